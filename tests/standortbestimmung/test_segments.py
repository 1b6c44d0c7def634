"""Results per unit and role, the heatmap, perception gaps and the confidence flag: examples and properties."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from standortbestimmung.scoring import FIELD_ORDER, FieldCode, Level, ScoringError, group_answers, score
from standortbestimmung.segments import (
    Confidence,
    Dimension,
    Participant,
    field_confidence,
    field_gaps,
    gap_sentence,
    heatmap,
    profile_of,
    question_gaps,
    segment_results,
)

U, A, B, C = Level.UNAWARE, Level.ADOPT, Level.BUILD, Level.COMMIT
GUESS, SURE = Confidence.GUESS, Confidence.SURE
GL, FK, MA = "Geschäftsleitung", "Führungskraft", "Mitarbeitende mit Kundenkontakt"

# Four questions per field: three answers make a field assessable.
STRUCTURE = {code.value: [f"{code.value}.{i}" for i in range(1, 5)] for code in FIELD_ORDER}
QUESTIONS = [q for codes in STRUCTURE.values() for q in codes]


def uniform(level, field=None):
    """Every question (or every question of one field) answered with one level."""
    codes = STRUCTURE[field] if field else QUESTIONS
    return dict.fromkeys(codes, level)


def people(role, n, answers, unit=None, start=0):
    return [Participant(f"{role}-{start + i}", unit, role, dict(answers)) for i in range(n)]


# --- who counts, who is shown -------------------------------------------------------------------------


@pytest.mark.parametrize("value", [1, 0, -3])
def test_it_refuses_a_threshold_below_two(value):
    with pytest.raises(ValueError, match="at least 2"):
        segment_results(STRUCTURE, [], Dimension.ROLE, min_participants=value)


@pytest.mark.parametrize(
    ("answers", "answered"),
    [
        ({}, False),  # nothing at all
        ({"journeys.1": None}, False),  # only "weiß nicht"
        ({"journeys.1": None, "tools.4": None}, False),
        ({"journeys.1": None, "tools.4": U}, True),  # one level is enough, even Unaware
        ({"culture.2": C}, True),
        ({"culture.2": 3}, True),  # plain 1..4 as scoring accepts them
    ],
)
def test_a_participant_has_answered_with_at_least_one_level(answers, answered):
    assert Participant("p", None, None, answers).answered is answered


@pytest.mark.parametrize(
    ("answering", "silent", "min_participants", "shown"),
    [
        (2, 0, 3, False),
        (3, 0, 3, True),
        (2, 1, 3, False),  # the member with only "weiß nicht" does not count
        (2, 5, 3, False),
        (2, 0, 2, True),
        (4, 0, 5, False),
        (5, 0, 5, True),
    ],
)
def test_a_segment_is_shown_from_min_participants_answering_members(
    answering, silent, min_participants, shown
):
    participants = people(GL, answering, uniform(B)) + people(GL, silent, uniform(None), start=answering)
    result = segment_results(STRUCTURE, participants, Dimension.ROLE, min_participants=min_participants)
    (segment,) = result.segments
    assert segment.answering == answering
    assert len(segment.members) == answering + silent
    assert segment.suppressed is not shown
    assert (segment.profile is not None) is shown


def test_small_segments_stay_suppressed_and_are_never_merged():
    participants = people(GL, 2, uniform(C)) + people(FK, 2, uniform(C)) + people(MA, 3, uniform(A))
    result = segment_results(STRUCTURE, participants, Dimension.ROLE, order=[GL, FK, MA])
    assert [(s.name, s.suppressed) for s in result.segments] == [(GL, True), (FK, True), (MA, False)]
    assert result.segments[0].answers == {}
    assert result.shown[0].profile.level == A
    # the whole company still counts everybody: 4 of 7 at Commit, the lower median is Commit
    assert profile_of(STRUCTURE, participants).level == C


def test_participants_without_a_unit_are_counted_as_unassigned_but_keep_their_role():
    participants = [
        Participant("a", "Vertrieb", GL, uniform(B)),
        Participant("b", None, GL, uniform(B)),
        Participant("c", "", GL, uniform(B)),
        Participant("d", "   ", GL, uniform(B)),
    ]
    units = segment_results(STRUCTURE, participants, Dimension.UNIT, min_participants=2)
    assert [(s.name, s.members) for s in units.segments] == [("Vertrieb", ("a",))]
    assert units.unassigned == ("b", "c", "d")
    roles = segment_results(STRUCTURE, participants, "role", min_participants=2)
    assert roles.segments[0].members == ("a", "b", "c", "d")
    assert roles.unassigned == ()


def test_segments_come_in_the_given_order_then_the_others_by_name():
    participants = [
        Participant(i, unit, None, uniform(B))
        for i, unit in enumerate(["zoll", "Service", "Einkauf", "Service", "Aussendienst"])
    ]
    result = segment_results(STRUCTURE, participants, Dimension.UNIT, order=["Service", "Marketing"])
    assert [s.name for s in result.segments] == ["Service", "Marketing", "Aussendienst", "Einkauf", "zoll"]
    marketing = result.segments[1]
    assert (marketing.members, marketing.answering, marketing.suppressed) == ((), 0, True)


@pytest.mark.parametrize(
    ("participants", "order", "error"),
    [
        ([Participant(1, "a", None), Participant(1, "b", None)], (), ValueError),
        ([], ["Service", "Service"], ValueError),
        ([Participant(1, "a", None, {"journeys.9": B})], (), ScoringError),
    ],
)
def test_it_rejects_input_it_cannot_segment_honestly(participants, order, error):
    with pytest.raises(error):
        segment_results(STRUCTURE, participants, Dimension.UNIT, order=order)


def test_a_segment_result_uses_the_lower_median_of_its_members():
    answers = [uniform(A), uniform(B), uniform(C), uniform(C)]
    participants = [Participant(i, "Service", None, a) for i, a in enumerate(answers)]
    (segment,) = segment_results(STRUCTURE, participants, Dimension.UNIT).segments
    assert segment.answers["journeys.1"] == B
    assert segment.profile.level == B


# --- heatmap ------------------------------------------------------------------------------------------


def test_the_heatmap_has_a_row_per_segment_and_the_six_fields_as_columns():
    thin = {**uniform(B), "tools.1": None, "tools.2": None}  # tools: two answers, not assessable
    participants = people(GL, 3, thin) + people(FK, 1, uniform(A))
    rows = heatmap(segment_results(STRUCTURE, participants, Dimension.ROLE, order=[FK, GL]))
    assert [(r.segment, r.suppressed) for r in rows] == [(FK, True), (GL, False)]
    assert rows[0].cells is None
    assert [c.field for c in rows[1].cells] == list(FIELD_ORDER)
    assert [(c.level, c.score) for c in rows[1].cells] == [(B, 3.0)] * 5 + [(None, None)]


def test_the_heatmap_keeps_field_order_whatever_the_structure_order():
    structure = dict(reversed(list(STRUCTURE.items())))
    rows = heatmap(segment_results(structure, people(GL, 3, uniform(C)), Dimension.ROLE))
    assert [c.field for c in rows[0].cells] == list(FIELD_ORDER)


# --- perception gaps ----------------------------------------------------------------------------------


def test_management_sees_build_and_the_front_line_adopt_in_operations():
    management = {**uniform(B), **uniform(A, "tools")}
    front_line = {**uniform(B), **uniform(A, "operations"), **uniform(A, "tools"), "tools.1": B}
    participants = people(GL, 3, management) + people(MA, 4, front_line)
    result = segment_results(STRUCTURE, participants, Dimension.ROLE, order=[GL, MA])
    (gap,) = field_gaps(result)
    assert (gap.field, gap.high, gap.high_level, gap.low, gap.low_level) == ("operations", GL, B, MA, A)
    assert (gap.levels, gap.score_gap, gap.question) == (1, 1.0, None)
    assert gap_sentence(gap, "Operations", "en") == (
        "Geschäftsleitung sees Build, Mitarbeitende mit Kundenkontakt Adopt in Operations."
    )
    # tools differ by score only (2.25 against 2.0): a gap when asked for every difference
    every = field_gaps(result, min_levels=0)
    assert [(g.field, g.levels, g.score_gap) for g in every] == [
        ("operations", 1, 1.0),
        ("tools", 0, 0.25),
        ("journeys", 0, 0.0),
        ("insights", 0, 0.0),
        ("skills", 0, 0.0),
        ("culture", 0, 0.0),
    ]
    questions = question_gaps(result)
    assert [(g.question, g.high, g.low, g.levels) for g in questions] == [
        ("operations.1", GL, MA, 1),
        ("operations.2", GL, MA, 1),
        ("operations.3", GL, MA, 1),
        ("operations.4", GL, MA, 1),
        ("tools.1", MA, GL, 1),
    ]
    assert gap_sentence(questions[-1], "Tools are integrated", "en") == (
        "Mitarbeitende mit Kundenkontakt answers Build, Geschäftsleitung Adopt to “Tools are integrated”."
    )


@pytest.mark.parametrize(
    ("levels_by_role", "expected"),
    [
        # level difference first
        ({GL: {"journeys": C, "tools": C}, FK: {"journeys": B, "tools": U}}, ["tools", "journeys"]),
        # then the score difference: skills 4.0 against 2.75 before culture 4.0 against 3.0
        ({GL: {"culture": C, "skills": C}, FK: {"culture": B, "skills": B}}, ["skills", "culture"]),
        # then field order
        ({GL: {"tools": B, "insights": B}, FK: {"tools": A, "insights": A}}, ["insights", "tools"]),
    ],
)
def test_field_gaps_are_ordered_by_levels_then_score_then_field_order(levels_by_role, expected):
    participants = []
    for role, levels in levels_by_role.items():
        answers = uniform(B)
        for field, level in levels.items():
            answers.update(uniform(level, field))
        if role == FK and "skills" in levels:
            answers["skills.1"] = A  # skills 2.75 against culture's 3.0: a larger score gap
        participants += people(role, 3, answers)
    gaps = field_gaps(segment_results(STRUCTURE, participants, Dimension.ROLE))
    assert [g.field for g in gaps] == expected


def test_among_equal_segments_the_earlier_one_names_the_gap():
    participants = people(GL, 3, uniform(C)) + people(FK, 3, uniform(C)) + people(MA, 3, uniform(A))
    result = segment_results(STRUCTURE, participants, Dimension.ROLE, order=[FK, GL, MA])
    assert {(g.high, g.low) for g in field_gaps(result)} == {(FK, MA)}
    assert {(g.high, g.low) for g in question_gaps(result)} == {(FK, MA)}


def test_suppressed_segments_and_dont_know_answers_make_no_gap():
    participants = (
        people(GL, 3, uniform(C))
        + people(FK, 2, uniform(U))  # suppressed
        + people(MA, 3, {**uniform(C), "journeys.1": None})
    )
    result = segment_results(STRUCTURE, participants, Dimension.ROLE)
    assert field_gaps(result) == ()
    assert question_gaps(result, min_levels=0)[0].question == "journeys.2"  # journeys.1: only one segment


# --- confidence -------------------------------------------------------------------------------------


def confident(answers, guesses):
    return {q: GUESS if q in guesses else SURE for q in answers}


@pytest.mark.parametrize(
    ("guessed", "validated", "counts", "flagged"),
    [
        ([], [], (9, 0, 0), False),
        (["journeys.1"], [], (9, 3, 3), False),  # exactly a third is not more than a third
        (["journeys.1", "journeys.2"], [], (9, 6, 6), True),
        (["journeys.1", "journeys.2"], ["journeys.2"], (9, 6, 3), False),  # one guessed question checked
        (["journeys.1", "journeys.2"], ["journeys.1", "journeys.2"], (9, 6, 0), False),
        (["journeys.1", "journeys.2", "journeys.3"], ["journeys.1"], (9, 9, 6), True),
    ],
)
def test_a_field_resting_on_unvalidated_guesses_is_flagged(guessed, validated, counts, flagged):
    answers = {**uniform(B, "journeys"), "journeys.4": None}  # "weiß nicht" does not count
    participants = [Participant(i, None, None, answers, confident(answers, guessed)) for i in range(3)]
    journeys, *others = field_confidence(STRUCTURE, participants, validated)
    assert (journeys.field, journeys.answers, journeys.guesses, journeys.unchecked_guesses) == (
        "journeys",
        *counts,
    )
    assert journeys.low_confidence is flagged
    assert not any(o.low_confidence for o in others)  # no answers there: nothing to flag


@pytest.mark.parametrize(
    ("guesses", "sure", "flagged"),
    [(1, 2, False), (1, 1, True), (2, 4, False), (2, 3, True), (4, 8, False), (4, 7, True)],
)
def test_more_than_a_third_guesses_flags_a_field(guesses, sure, flagged):
    participants = [
        Participant(i, None, None, {"skills.1": A}, {"skills.1": GUESS if i < guesses else SURE})
        for i in range(guesses + sure)
    ]
    skills = next(f for f in field_confidence(STRUCTURE, participants) if f.field == FieldCode.SKILLS)
    assert skills.low_confidence is flagged


def test_an_answer_without_confidence_or_a_guessed_dont_know_is_no_guess():
    participants = [
        Participant(1, None, None, {"tools.1": B}),
        Participant(2, None, None, {"tools.1": None}, {"tools.1": GUESS}),
    ]
    tools = field_confidence(STRUCTURE, participants)[-1]
    assert (tools.answers, tools.guesses, tools.low_confidence) == (1, 0, False)


# --- properties -------------------------------------------------------------------------------------

answer = st.sampled_from([None, *Level])
participant_answers = st.one_of(
    st.dictionaries(st.sampled_from(QUESTIONS), answer, max_size=len(QUESTIONS)),
    # complete answer sets as well, so that segments are often assessable and gaps appear
    st.fixed_dictionaries({q: answer for q in QUESTIONS}),
)


def crowds(min_size=0):
    """Workshop participants, each with a unit and a role (or none) and their answers."""
    rows = st.tuples(
        st.sampled_from(["Service", "Vertrieb", "Marketing", None, ""]),
        st.sampled_from([GL, FK, MA, None]),
        participant_answers,
    )
    return st.lists(rows, min_size=min_size, max_size=16).map(
        lambda rows: [Participant(i, unit, role, a) for i, (unit, role, a) in enumerate(rows)]
    )


participant_lists = crowds()
dimensions = st.sampled_from(list(Dimension))
thresholds = st.integers(min_value=2, max_value=4)


@given(participants=participant_lists, dimension=dimensions, min_participants=thresholds)
def test_a_segment_result_is_the_rule_applied_to_its_participants(participants, dimension, min_participants):
    result = segment_results(STRUCTURE, participants, dimension, min_participants=min_participants)
    for segment in result.segments:
        members = [p for p in participants if p.segment(dimension) == segment.name]
        answering = sum(1 for p in members if any(v is not None for v in p.answers.values()))
        assert segment.answering == answering
        assert segment.suppressed is (answering < min_participants)
        if not segment.suppressed:
            assert segment.profile == score(STRUCTURE, group_answers(p.answers for p in members))


@given(participants=participant_lists, dimension=dimensions)
def test_the_segments_partition_the_participants(participants, dimension):
    result = segment_results(STRUCTURE, participants, dimension)
    placed = [pid for s in result.segments for pid in s.members] + list(result.unassigned)
    assert sorted(placed) == sorted(p.id for p in participants)
    by_id = {p.id: p for p in participants}
    for segment in result.segments:
        assert all(by_id[pid].segment(dimension) == segment.name for pid in segment.members)
    assert all(by_id[pid].segment(dimension) is None for pid in result.unassigned)


@given(participants=participant_lists, dimension=dimensions, min_participants=thresholds)
def test_no_shown_segment_has_fewer_than_min_participants_answering(
    participants, dimension, min_participants
):
    result = segment_results(STRUCTURE, participants, dimension, min_participants=min_participants)
    by_id = {p.id: p for p in participants}
    for segment in result.shown:
        assert sum(1 for pid in segment.members if by_id[pid].answered) >= min_participants
    rows = heatmap(result)
    assert [(r.segment, r.suppressed) for r in rows] == [(s.name, s.suppressed) for s in result.segments]


@given(
    participants=crowds(min_size=10),
    dimension=dimensions,
    min_participants=thresholds,
    min_levels=st.integers(0, 2),
    seed=st.randoms(),
)
def test_gaps_come_largest_first_whatever_the_order_of_participants(
    participants, dimension, min_participants, min_levels, seed
):
    def gaps(ps):
        result = segment_results(STRUCTURE, ps, dimension, min_participants=min_participants)
        return field_gaps(result, min_levels=min_levels), question_gaps(result, min_levels=min_levels)

    fields, questions = gaps(participants)
    sizes = [(g.levels, g.score_gap) for g in fields]
    assert sizes == sorted(sizes, reverse=True)
    assert [g.levels for g in questions] == sorted((g.levels for g in questions), reverse=True)
    assert all(g.levels >= min_levels and g.high != g.low for g in fields + questions)
    shuffled = list(participants)
    seed.shuffle(shuffled)
    assert gaps(shuffled) == (fields, questions)


@given(participants=participant_lists, dimension=dimensions)
def test_one_segment_with_everyone_has_the_whole_group_result(participants, dimension):
    everyone = [Participant(p.id, "Alle", "Alle", p.answers) for p in participants]
    result = segment_results(STRUCTURE, everyone, dimension, min_participants=2)
    if not result.shown:
        return
    (segment,) = result.segments
    whole = score(STRUCTURE, group_answers(p.answers for p in participants))
    assert segment.profile == whole == profile_of(STRUCTURE, participants)
    assert field_gaps(result, min_levels=0) == question_gaps(result, min_levels=0) == ()
