"""The scoring rule: worked examples, the four reference companies of the seed, and its properties."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from standortbestimmung.scoring import (
    FIELD_ORDER,
    FieldCode,
    Level,
    ScoringError,
    broad_level,
    group_answers,
    needed_count,
    question_spread,
    score,
    score_field,
)

U, A, B, C = Level.UNAWARE, Level.ADOPT, Level.BUILD, Level.COMMIT
levels = st.sampled_from(list(Level))
answer = st.one_of(st.none(), levels)


def field_answers(values, field="journeys"):
    codes = [f"{field}.{i}" for i in range(1, len(values) + 1)]
    return codes, {code: v for code, v in zip(codes, values, strict=True)}


def profile_of(levels_per_field):
    questionnaire, answers = {}, {}
    for field, values in levels_per_field.items():
        codes, given_answers = field_answers(values, field)
        questionnaire[field] = codes
        answers.update(given_answers)
    return score(questionnaire, answers)


# --- worked examples -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "level", "score_", "support", "missing"),
    [
        ([B, A, B, C, B, None, B], B, 3.0, 5, 3),  # the methodology page's example
        ([A, A, A, A, A, A, A], A, 2.0, 7, 5),
        ([U, U, U, C, U, U, U], U, 1.43, 7, 4),  # one isolated Commit does not lift
        ([B, B, B, B, A, A, A], A, 2.57, 7, 1),  # 4 of 7 at Build is not two thirds
        ([B, B, B, B, B, A, A], B, 2.71, 5, 5),  # 5 of 7 is
        ([C, C, C, C, C, C, C], C, 4.0, 7, 0),
    ],
)
def test_worked_examples(values, level, score_, support, missing):
    codes, answers = field_answers(values)
    result = score_field("journeys", codes, answers)
    assert result.level == level
    assert result.score == score_
    assert result.support == support
    assert result.missing_for_next == missing


def test_the_explanation_says_why_and_what_is_missing_in_both_languages():
    codes, answers = field_answers([B, A, B, C, B, None, B])
    result = score_field("journeys", codes, answers)
    texts = result.explanations()
    assert texts["en"] == (
        "Build, because 5 of 6 answered practices are at Build or higher. "
        "For Commit, 3 more practices would have to reach Commit."
    )
    assert texts["de"] == (
        "Build, weil 5 von 6 beantworteten Praktiken auf Build oder höher liegen. "
        "Für Commit müssten 3 weitere Praktiken Commit erreichen."
    )


@pytest.mark.parametrize(
    "levels, en, de",
    [
        (
            [U, U, U, U, U, U, U],
            "Unaware, because none of the 7 answered practices reaches Adopt yet. "
            "For Adopt, 5 more practices would have to reach Adopt.",
            "Unaware, weil noch keine der 7 beantworteten Praktiken Adopt erreicht. "
            "Für Adopt müssten 5 weitere Praktiken Adopt erreichen.",
        ),
        (
            [U, C, U, A, U, None, U],
            "Unaware, because only 2 of 6 answered practices reach Adopt; a level needs at least two thirds of "
            "them. For Adopt, 2 more practices would have to reach Adopt.",
            "Unaware, weil erst 2 von 6 beantworteten Praktiken Adopt erreichen; eine Stufe braucht mindestens "
            "zwei Drittel davon. Für Adopt müssten 2 weitere Praktiken Adopt erreichen.",
        ),
    ],
)
def test_the_lowest_level_is_explained_by_what_is_missing_for_the_next(levels, en, de):
    """Every answer reaches Unaware, so "7 of 7 are at Unaware or higher" would explain nothing."""
    codes, answers = field_answers(levels)
    result = score_field("journeys", codes, answers)
    assert result.level == U
    assert result.explanations() == {"en": en, "de": de}
    assert "or higher" not in en and "oder höher" not in de


def test_the_questions_holding_a_field_back_come_lowest_first():
    codes, answers = field_answers([B, U, B, C, A, None, B])
    result = score_field("journeys", codes, answers)
    assert result.level == B
    assert result.holding_back == ("journeys.2", "journeys.5", "journeys.1", "journeys.3", "journeys.7")


def test_a_field_with_too_few_answers_is_not_assessable_and_says_so():
    codes, answers = field_answers([C, C, None, None, None, None, None])
    result = score_field("journeys", codes, answers)
    assert not result.assessable
    assert result.level is None
    assert result.dont_know == 5
    assert "2 of 7" in result.explanation("en") and "at least 4" in result.explanation("en")
    assert "2 von 7" in result.explanation("de")


def test_unanswered_and_dont_know_are_counted_apart():
    codes, answers = field_answers([A, A, A, None, A])
    del answers["journeys.5"]
    result = score_field("journeys", codes, answers)
    assert (result.answered, result.dont_know, result.unanswered) == (3, 1, 1)


def test_the_profile_needs_enough_assessable_fields():
    fields = {code.value: [B] * 7 for code in FIELD_ORDER}
    for code in ["journeys", "insights", "skills", "culture"]:
        fields[code] = [None] * 7
    result = profile_of(fields)
    assert not result.assessable
    assert result.field("tools").level == B


# --- bad input -----------------------------------------------------------------------------------


def test_an_answer_to_an_unknown_question_is_an_error():
    with pytest.raises(ScoringError, match="unknown questions: journeys.99"):
        score({"journeys": ["journeys.1"]}, {"journeys.99": 2})


@pytest.mark.parametrize("bad", [0, 5, -1, "3", 2.5, True, [2]])
def test_an_impossible_level_is_an_error(bad):
    with pytest.raises(ScoringError, match="level from 1 to 4"):
        score({"journeys": ["journeys.1"]}, {"journeys.1": bad})


def test_an_unknown_field_is_an_error():
    with pytest.raises(ValueError):
        score({"marketing": ["marketing.1"]}, {})


# --- the four reference companies of the seed ------------------------------------------------------
# Each question answered with the option of the level the seed describes for that company and field.

REFERENCE_PROFILES = {
    # A Mittelständler without a CX strategy; pain points are suspected, feedback is not collected.
    "mittelstaendler": (
        {
            "journeys": [U, U, U, A, U, U, U],
            "insights": [A, U, U, U, U, U, U],
            "skills": [U] * 7,
            "culture": [U, U, U, U, A, U, U],
            "operations": [U] * 7,
            "tools": [U] * 7,
        },
        dict.fromkeys(["journeys", "insights", "skills", "culture", "operations", "tools"], U),
        U,
    ),
    # An e-commerce company: first maps, sporadic feedback, no standard process, occasional cooperation.
    "ecommerce": (
        {
            "journeys": [A, A, U, A, A, A, B],
            "insights": [A, A, B, U, A, A, A],
            "skills": [A, A, U, A, A, U, A],
            "culture": [A, A, A, A, U, A, A],
            "operations": [A, A, U, A, A, A, U],
            "tools": [U, A, A, U, A, A, A],
        },
        dict.fromkeys(["journeys", "insights", "skills", "culture", "operations", "tools"], A),
        A,
    ),
    # An insurer: CJM strategic in marketing and service, regular reviews, a repository used unevenly;
    # data and insights are not yet systematic.
    "versicherer": (
        {
            "journeys": [B, B, A, B, B, B, B],
            "insights": [A, B, A, A, B, A, A],
            "skills": [B, B, B, A, B, A, B],
            "culture": [B, B, A, B, B, B, C],
            "operations": [B, B, B, B, A, B, B],
            "tools": [B, A, B, B, B, B, A],
        },
        {"journeys": B, "insights": A, "skills": B, "culture": B, "operations": B, "tools": B},
        B,
    ),
    # A global company: CJM is part of the strategy, the repository is established but not used everywhere;
    # data-driven steering of all journeys is the open challenge.
    "konzern": (
        {
            "journeys": [C, C, B, C, C, C, C],
            "insights": [B, C, B, B, C, B, B],
            "skills": [C, B, C, C, C, C, C],  # the training programme is not continuous yet
            "culture": [C, C, C, C, C, B, C],
            "operations": [C, C, C, C, B, C, C],
            "tools": [C, C, C, B, C, C, B],
        },
        {"journeys": C, "insights": B, "skills": C, "culture": C, "operations": C, "tools": C},
        C,
    ),
}


@pytest.mark.parametrize("name", list(REFERENCE_PROFILES))
def test_reference_companies_score_as_the_seed_describes(name):
    answers, field_levels, overall = REFERENCE_PROFILES[name]
    result = profile_of(answers)
    assert {r.field.value: r.level for r in result.fields} == field_levels
    assert result.level == overall


def test_the_weakest_field_ranks_first():
    result = profile_of(REFERENCE_PROFILES["versicherer"][0])
    assert result.ranked()[0].field == FieldCode.INSIGHTS


# --- properties ----------------------------------------------------------------------------------


@given(level=levels, n=st.integers(min_value=3, max_value=12))
def test_uniform_answers_give_that_level(level, n):
    codes, answers = field_answers([level] * n)
    assert score_field("journeys", codes, answers).level == level


@given(values=st.lists(answer, min_size=3, max_size=12), data=st.data())
def test_raising_an_answer_never_lowers_the_level(values, data):
    answered = [i for i, v in enumerate(values) if v is not None and v < C]
    if not answered:
        return
    i = data.draw(st.sampled_from(answered))
    raised = list(values)
    raised[i] = data.draw(st.sampled_from([lv for lv in Level if lv > values[i]]))
    before = score_field("journeys", *field_answers(values))
    after = score_field("journeys", *field_answers(raised))
    assert after.assessable == before.assessable
    if before.assessable:
        assert after.level >= before.level
        assert after.score > before.score


@given(base=levels, others=st.integers(min_value=2, max_value=11), high=levels)
def test_one_isolated_high_answer_does_not_lift_a_field(base, others, high):
    values = [base] * others + [max(base, high)]
    assert score_field("journeys", *field_answers(values)).level == base


@given(values=st.lists(levels, min_size=3, max_size=10), unknowns=st.integers(min_value=0, max_value=5))
def test_dont_know_answers_change_nothing_but_the_counts(values, unknowns):
    known = score_field("journeys", *field_answers(values))
    codes, answers = field_answers(values + [None] * unknowns)
    with_unknowns = score_field("journeys", codes, answers)
    if with_unknowns.assessable:
        assert (with_unknowns.level, with_unknowns.score) == (known.level, known.score)
        assert with_unknowns.dont_know == unknowns


@given(values=st.lists(answer, min_size=1, max_size=12))
def test_too_few_answers_are_flagged_not_guessed(values):
    result = score_field("journeys", *field_answers(values))
    answered = sum(v is not None for v in values)
    assert result.assessable == (answered >= needed_count(len(values)))


@given(values=st.lists(levels, min_size=3, max_size=12))
def test_the_level_lies_between_the_lowest_and_highest_answer(values):
    result = score_field("journeys", *field_answers(values))
    assert min(values) <= result.level <= max(values)
    assert 1.0 <= result.score <= 4.0


@given(values=st.lists(levels, min_size=3, max_size=12))
def test_raising_what_holds_the_field_back_reaches_the_next_level(values):
    result = score_field("journeys", *field_answers(values))
    if result.next_level is None:
        return
    codes, answers = field_answers(values)
    for code in result.holding_back[: result.missing_for_next]:
        answers[code] = result.next_level
    assert score_field("journeys", codes, answers).level >= result.next_level
    assert 0 < result.missing_for_next <= len(result.holding_back)


@given(values=st.lists(levels, min_size=3, max_size=12), seed=st.randoms())
def test_the_order_of_answers_does_not_matter(values, seed):
    codes, answers = field_answers(values)
    shuffled = list(answers.items())
    seed.shuffle(shuffled)
    assert score_field("journeys", codes, dict(shuffled)) == score_field("journeys", codes, answers)


@given(field_levels=st.lists(st.one_of(st.none(), levels), min_size=6, max_size=6))
def test_the_overall_level_follows_the_same_broad_evidence_rule(field_levels):
    answers = {
        code.value: [lv] * 7 if lv is not None else [None] * 7
        for code, lv in zip(FIELD_ORDER, field_levels, strict=True)
    }
    result = profile_of(answers)
    assessable = [lv for lv in field_levels if lv is not None]
    if len(assessable) >= 3:
        assert result.level == broad_level(assessable)
    else:
        assert result.level is None


# --- several participants ---------------------------------------------------------------------------------


def test_the_spread_counts_levels_and_takes_the_lower_median():
    spread = question_spread("journeys.1", [U, C, B, None, B])
    assert spread.counts == (1, 0, 2, 1)
    assert (spread.dont_know, spread.central, spread.spread) == (1, B, 3)


def test_a_consensus_overrides_the_median():
    answers = group_answers([{"journeys.1": U}, {"journeys.1": A}], consensus={"journeys.1": C})
    assert answers == {"journeys.1": C}


@given(st.lists(st.one_of(st.none(), st.sampled_from(list(Level))), min_size=1, max_size=30))
def test_the_central_answer_lies_within_the_answers(levels):
    spread = question_spread("q", levels)
    given_levels = [lv for lv in levels if lv is not None]
    if given_levels:
        assert min(given_levels) <= spread.central <= max(given_levels)
        assert spread.spread == max(given_levels) - min(given_levels)
        assert sum(spread.counts) == len(given_levels)
    else:
        assert spread.central is None


@given(st.sampled_from(list(Level)), st.integers(min_value=1, max_value=20))
def test_a_room_that_agrees_gives_its_answer(level, people):
    assert group_answers([{"q": level}] * people) == {"q": level}


@pytest.mark.parametrize(
    "answers, chosen",
    [
        ([U, C, C, None], ((U, 1), (C, 2))),
        ([None, None], ()),
        ([A, B, A], ((A, 2), (B, 1))),
    ],
)
def test_a_spread_names_only_the_levels_somebody_chose(answers, chosen):
    assert question_spread("journeys.1", answers).chosen_levels == chosen
