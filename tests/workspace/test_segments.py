"""Business units and roles of a workshop: defining them, who belongs where, the results per segment on real
data, suppression below the minimum, perception gaps, validated answers, the report and its cache."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from roadmap.pdf import report_digest, report_pdf
from standortbestimmung import scoring
from standortbestimmung.breakdown import segment_breakdown
from standortbestimmung.grouping import Definition
from standortbestimmung.models import (
    Answer,
    Assessment,
    Participant,
    Question,
    Segment,
    ValidatedAnswer,
)
from standortbestimmung.models import Client as ClientModel
from standortbestimmung.result import assessment_result
from standortbestimmung.scoring import Level
from tests.conftest import sign_in
from tests.roadmap.test_report import text_of
from workspace import services

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _german():
    """Sentences and headings built outside a request come in the active language: German here."""
    with translation.override("de"):
        yield


U, A, B, C = Level.UNAWARE, Level.ADOPT, Level.BUILD, Level.COMMIT
GL, FK, MA = "Geschäftsleitung", "Führungskraft", "Mitarbeitende mit Kundenkontakt"
UNITS, ROLES = ("Vertrieb", "Service"), (GL, FK, MA)
# name, unit, role, the level of every answer: two units, three roles, nine people
CAST = [
    ("Anna", "Vertrieb", GL, 3),
    ("Bert", "Vertrieb", FK, 3),
    ("Cem", "Vertrieb", MA, 2),
    ("Gus", "Vertrieb", GL, 3),
    ("Dora", "Service", GL, 4),
    ("Emil", "Service", FK, 2),
    ("Fay", "Service", MA, 1),
    ("Hana", "Service", FK, 2),
    ("Ines", "Service", MA, 1),
]


@pytest.fixture
def consultant(alice):
    browser = Client()
    sign_in(browser, alice)
    return browser


@pytest.fixture
def client_org(alice):
    return ClientModel.objects.create(owner=alice, name="Muster Versicherung AG")


def answer_all(participant, level_for):
    """Every question answered (level_for(code) -> 1..4, or None for "weiß nicht")."""
    questions = Question.objects.filter(field__version=participant.assessment.version).prefetch_related(
        "options"
    )
    Answer.objects.bulk_create(
        Answer(
            participant=participant,
            question=q,
            option=next((o for o in q.options.all() if o.level == level_for(q.code)), None),
        )
        for q in questions
    )


def segmented_workshop(client_org, version, cast=CAST, min_group_size=3):
    """A workshop with the two units and three roles, and the cast invited into them, everyone answered."""
    workshop = services.workshop_start(
        client=client_org,
        version=version,
        segments=Definition(units=UNITS, roles=ROLES, min_group_size=min_group_size),
    )
    named = {s.name: s for s in workshop.segments.all()}
    people = {}
    for name, unit, role, level in cast:
        link = services.participant_invite(
            assessment=workshop, name=name, unit=named.get(unit), role=named.get(role)
        )
        answer_all(link.participant, lambda code, level=level: level)
        people[name] = link.participant
    return workshop, people


@pytest.fixture
def workshop(client_org, version):
    return segmented_workshop(client_org, version)


def rows_of(breakdown, title):
    heatmap = next(h for h in breakdown.heatmaps if h.title == title)
    return {row.name: row for row in heatmap.rows}


# --- results per segment ----------------------------------------------------------------------------


def test_each_segment_scores_its_own_members_answers_with_the_same_rule(workshop):
    assessment, people = workshop
    result = assessment_result(assessment)
    breakdown = segment_breakdown(result)
    structure = result.questionnaire.structure()
    for title, position in [("Bereiche", 1), ("Rollen", 2)]:
        for name, row in rows_of(breakdown, title).items():
            members = [people[c[0]].pk for c in CAST if c[position] == name]
            expected = scoring.score(
                structure, scoring.group_answers(result.per_participant[pk] for pk in members)
            )
            assert row.members == row.answering == len(members)
            assert row.level == expected.level
            assert [c.level for c in row.cells] == [r.level for r in expected.fields]
    # lower medians: Vertrieb 3,3,2,3 -> Build; Service 4,2,1,2,1 -> Adopt; the roles 3,4,3 / 3,2,2 / 2,1,1
    assert {n: r.level for n, r in rows_of(breakdown, "Bereiche").items()} == {"Vertrieb": B, "Service": A}
    assert {n: r.level for n, r in rows_of(breakdown, "Rollen").items()} == {GL: B, FK: A, MA: U}


def test_segments_do_not_change_the_company_result(workshop, consultant):
    assessment, people = workshop
    before = assessment_result(assessment).profile
    assert before.level == A  # the lower median of all nine
    for participant in people.values():  # nobody in any unit or role any more
        services.participant_place(participant=participant, unit=None, role=None)
    Segment.objects.filter(assessment=assessment).delete()
    assert assessment_result(assessment).profile == before


def test_a_segment_below_the_minimum_says_so_and_is_not_merged(workshop, consultant):
    assessment, people = workshop
    url = reverse("workspace:segments", args=[assessment.key])
    data = {"units": "\n".join(UNITS), "roles": "\n".join(ROLES), "min_group_size": "4"}
    assert consultant.post(url, data).status_code == 302
    assessment.refresh_from_db()
    assert assessment.min_group_size == 4
    breakdown = segment_breakdown(assessment_result(assessment))
    assert {n: r.suppressed for n, r in rows_of(breakdown, "Bereiche").items()} == {
        "Vertrieb": False,
        "Service": False,
    }
    assert all(row.suppressed and row.cells is None for row in rows_of(breakdown, "Rollen").values())
    assert breakdown.field_gaps[0].dimension == "unit"  # only the units are compared now
    html = consultant.get(reverse("workspace:assessment", args=[assessment.key])).content.decode()
    roles_table = html.split('class="table heatmap heatmap-role"')[1].split("</table>")[0]
    assert roles_table.count("zu wenige Antworten (mindestens 4 nötig)") == 3
    assert "Unaware" not in roles_table and "Build" not in roles_table  # nothing to read off
    # a member who only says "weiß nicht" does not count toward the minimum
    Answer.objects.filter(participant=people["Gus"]).update(option=None)
    breakdown = segment_breakdown(assessment_result(assessment))
    assert rows_of(breakdown, "Bereiche")["Vertrieb"].answering == 3
    assert rows_of(breakdown, "Bereiche")["Vertrieb"].suppressed


def test_perception_gaps_come_largest_first_with_a_sentence_each(workshop, consultant):
    assessment, _people = workshop
    breakdown = segment_breakdown(assessment_result(assessment))
    sizes = [gap.levels for gap in breakdown.field_gaps]
    assert sizes == sorted(sizes, reverse=True) and sizes[0] == 2 and sizes[-1] == 1
    assert [g.dimension for g in breakdown.field_gaps] == ["role"] * 6 + ["unit"] * 6
    assert breakdown.field_gaps[0].sentence == (
        "Geschäftsleitung sieht Journeys auf Build, Mitarbeitende mit Kundenkontakt auf Unaware."
    )
    assert breakdown.field_gaps[6].sentence == "Vertrieb sieht Journeys auf Build, Service auf Adopt."
    assert [g.levels for g in breakdown.question_gaps] == [2] * 8
    html = consultant.get(reverse("workspace:assessment", args=[assessment.key])).content.decode()
    gaps = html.split('id="gaps-heading"')[1]
    assert gaps.index("Geschäftsleitung sieht Tools auf Build") < gaps.index(
        "Vertrieb sieht Journeys auf Build"
    )
    assert "2 Stufen Abstand" in gaps and "1 Stufe Abstand" in gaps


def test_the_heatmap_is_a_table_with_the_level_written_in_every_cell(workshop, consultant):
    assessment, _people = workshop
    html = consultant.get(reverse("workspace:assessment", args=[assessment.key])).content.decode()
    units = html.split('class="table heatmap heatmap-unit"')[1].split("</table>")[0]
    assert "<caption" in units and '<th scope="col">Journeys</th>' in units
    assert '<th scope="row">' in units and "4 von 4 haben geantwortet" in units
    cells = units.split("<tr>")[2]  # the header row, then Vertrieb
    assert cells.count('class="heat heat-3"') == 7 and cells.count("Build") == 7
    assert 'data-label="Tools"' in cells


# --- defining units and roles ---------------------------------------------------------------------------


def test_a_new_workshop_gets_its_units_and_roles_from_the_client_page(consultant, client_org, version):
    page = consultant.get(reverse("workspace:client", args=[client_org.pk])).content.decode()
    assert (
        "Geschäftsleitung\nFührungskraft\nMitarbeitende mit Kundenkontakt\nCX-/UX-Team" in page
    )  # suggested
    data = {"units": " Vertrieb \n\nService\n", "roles": f"{GL}\n{MA}", "min_group_size": "2"}
    response = consultant.post(reverse("workspace:assessment_new", args=[client_org.pk]), data)
    assert response.status_code == 302
    assessment = Assessment.objects.get()
    assert list(assessment.segments.values_list("dimension", "name", "position")) == [
        ("role", GL, 0),
        ("role", MA, 1),
        ("unit", "Vertrieb", 0),
        ("unit", "Service", 1),
    ]
    assert assessment.min_group_size == 2


def test_a_re_assessment_carries_the_units_and_roles_over(consultant, client_org, version, workshop):
    first, _people = workshop
    page = consultant.get(reverse("workspace:client", args=[client_org.pk])).content.decode()
    assert "Vertrieb\nService" in page and f"{GL}\n{FK}\n{MA}" in page  # the form offers the previous ones
    consultant.post(
        reverse("workspace:assessment_new", args=[client_org.pk])
    )  # a bare start carries them over
    second = Assessment.objects.exclude(pk=first.pk).get()
    assert [(s.dimension, s.name) for s in second.segments.order_by("dimension", "position")] == [
        (s.dimension, s.name) for s in first.segments.order_by("dimension", "position")
    ]
    assert second.participants.count() == 0


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"units": "Vertrieb\nvertrieb"}, "nur einmal"),
        ({"units": "x" * 81}, "höchstens 80 Zeichen"),
        ({"roles": "\n".join(f"Rolle {i}" for i in range(21))}, "höchstens 20 Namen"),
        ({"units": "Ver\x07trieb"}, "Steuerzeichen"),
        ({"min_group_size": "1"}, ""),
        ({"min_group_size": "51"}, ""),
        ({"min_group_size": "drei"}, ""),
    ],
)
def test_bad_units_and_roles_are_refused_and_write_nothing(consultant, client_org, workshop, data, message):
    assessment, _people = workshop
    before = list(Segment.objects.values_list("pk", "name", "position"))
    posted = {"units": "Vertrieb", "roles": "", "min_group_size": "3", **data}
    for url in [
        reverse("workspace:segments", args=[assessment.key]),
        reverse("workspace:assessment_new", args=[client_org.pk]),
    ]:
        response = consultant.post(url, posted)
        assert response.status_code == 400
        assert message in response.content.decode()
    assert list(Segment.objects.values_list("pk", "name", "position")) == before
    assert Assessment.objects.count() == 1
    assert Assessment.objects.get().min_group_size == 3


def test_removing_a_unit_leaves_its_participants_in_none(workshop, consultant):
    assessment, people = workshop
    url = reverse("workspace:segments", args=[assessment.key])
    response = consultant.post(
        url, {"units": "Service\nSchaden", "roles": f"{GL}\n{FK}\n{MA}", "min_group_size": "3"}
    )
    assert response.status_code == 302
    assert list(assessment.segments.filter(dimension="unit").values_list("name", flat=True)) == [
        "Service",
        "Schaden",
    ]
    people["Anna"].refresh_from_db()
    people["Dora"].refresh_from_db()
    assert people["Anna"].unit is None and people["Anna"].role.name == GL
    assert people["Dora"].unit.name == "Service"  # kept its name, kept its members
    page = consultant.get(reverse("workspace:assessment", args=[assessment.key])).content.decode()
    assert "Entfernt: Vertrieb." in page
    assert "4 Teilnehmende haben keinen Bereich" in page


def test_a_self_assessment_has_no_units_or_roles(consultant, owned, alice):
    assessment = owned.participant.assessment
    url = reverse("workspace:segments", args=[assessment.key])
    response = consultant.post(url, {"units": "Vertrieb", "roles": "", "min_group_size": "3"})
    assert response.status_code == 400 and "Nur ein Workshop" in response.content.decode()
    assert Segment.objects.count() == 0


# --- who belongs where -------------------------------------------------------------------------------


def test_the_invitation_sets_unit_and_role_and_refuses_foreign_ones(
    workshop, consultant, client_org, version
):
    assessment, _people = workshop
    named = {s.name: s for s in assessment.segments.all()}
    url = reverse("workspace:invite", args=[assessment.key])
    response = consultant.post(url, {"name": "Jo", "unit": named["Service"].pk, "role": named[FK].pk})
    assert response.status_code == 200
    jo = Participant.objects.get(name="Jo")
    assert (jo.unit.name, jo.role.name) == ("Service", FK)
    other, _ = segmented_workshop(client_org, version, cast=[])
    foreign = other.segments.get(name="Service")
    count = Participant.objects.count()
    for data in [
        {"name": "Kim", "unit": foreign.pk},  # a unit of another workshop
        {"name": "Kim", "unit": named[GL].pk},  # a role offered as a unit
        {"name": "Kim", "role": "abc"},
    ]:
        response = consultant.post(url, data)
        assert response.status_code == 400
        assert "Bitte wählen Sie einen der angebotenen Einträge." in response.content.decode()
    assert Participant.objects.count() == count


def test_the_consultant_moves_a_participant_to_another_unit_and_role(workshop, consultant):
    assessment, people = workshop
    named = {s.name: s for s in assessment.segments.all()}
    url = reverse("workspace:participant_place", args=[assessment.key, people["Cem"].pk])
    assert consultant.post(url, {"unit": named["Service"].pk, "role": ""}).status_code == 302
    people["Cem"].refresh_from_db()
    assert people["Cem"].unit.name == "Service" and people["Cem"].role is None
    assert consultant.post(url, {"unit": "999999"}).status_code == 400
    stranger = reverse("workspace:participant_place", args=[assessment.key, 999999])
    assert consultant.post(stranger, {"unit": ""}).status_code == 404
    people["Cem"].refresh_from_db()
    assert people["Cem"].unit.name == "Service"


def test_a_participant_chooses_unit_and_role_on_the_first_page(client_org, version):
    workshop, _people = segmented_workshop(client_org, version, cast=[])
    link = services.participant_invite(assessment=workshop, name="Lea")
    browser = Client()
    browser.get(reverse("respondent:resume", args=[link.token]))
    key = link.participant.key
    first = browser.get(reverse("respondent:step", args=[key, "journeys"])).content.decode()
    assert "Wo arbeiten Sie?" in first and ">Vertrieb</option>" in first and f">{MA}</option>" in first
    later = browser.get(reverse("respondent:step", args=[key, "tools"])).content.decode()
    assert "Wo arbeiten Sie?" not in later
    named = {s.name: s for s in workshop.segments.all()}
    url = reverse("respondent:segment", args=[key])
    assert browser.post(url, {"unit": named["Service"].pk, "role": named[MA].pk}).status_code == 302
    lea = Participant.objects.get(pk=link.participant.pk)
    assert (lea.unit.name, lea.role.name) == ("Service", MA) and lea.placed_at is not None
    again = browser.get(reverse("respondent:step", args=[key, "journeys"])).content.decode()
    assert f'value="{named["Service"].pk}" selected' in again
    # another workshop's unit, a role as a unit: refused; and nothing changes once finished
    other, _ = segmented_workshop(client_org, version, cast=[])
    assert browser.post(url, {"unit": other.segments.get(name="Service").pk}).status_code == 400
    assert browser.post(url, {"unit": named[GL].pk}).status_code == 400
    Participant.objects.filter(pk=lea.pk).update(finished_at=lea.created_at)
    assert browser.post(url, {"unit": named["Vertrieb"].pk}).status_code == 400
    lea.refresh_from_db()
    assert lea.unit.name == "Service"
    assert Client().post(url, {"unit": ""}).status_code == 404  # without the grant


# --- validated answers and confidence ---------------------------------------------------------------------


def guesses_in_tools(people, names):
    Answer.objects.filter(
        participant__in=[people[n] for n in names], question__code__startswith="tools."
    ).update(confidence="guess")


def test_unchecked_guesses_flag_a_field_until_the_workshop_validates_it(workshop, consultant):
    assessment, people = workshop
    guesses_in_tools(people, ["Anna", "Bert", "Cem", "Dora"])  # 4 of 9 answers to each tools question
    html = consultant.get(reverse("workspace:assessment", args=[assessment.key])).content.decode()
    assert "Beruht überwiegend auf Schätzungen, die im Workshop nicht geprüft wurden: Tools." in html
    assert 'class="radar-uncertain"' in html and "Mit einem Fragezeichen markiert" in html
    assert "sicher 0 · eher sicher 0 · geschätzt 4" in html
    url = reverse("workspace:consensus", args=[assessment.key])
    tools = Question.objects.filter(field__version=assessment.version, code__startswith="tools.")
    for question in tools:
        assert (
            consultant.post(url, {"question": question.pk, "answer": "clear", "validated": "1"}).status_code
            == 302
        )
    assert ValidatedAnswer.objects.filter(assessment=assessment).count() == tools.count()
    html = consultant.get(reverse("workspace:assessment", args=[assessment.key])).content.decode()
    assert "Beruht überwiegend auf Schätzungen" not in html and 'class="radar-uncertain"' not in html
    assert "✓ im Workshop geprüft" in html
    first = tools.first()
    consultant.post(url, {"question": first.pk, "answer": "clear"})  # the box unticked: no longer validated
    assert not ValidatedAnswer.objects.filter(assessment=assessment, question=first).exists()


# --- the report ------------------------------------------------------------------------------------------


def test_the_report_has_the_heatmaps_the_gaps_and_the_confidence(workshop):
    assessment, people = workshop
    guesses_in_tools(people, ["Anna", "Bert", "Cem", "Dora"])
    ValidatedAnswer.objects.create(
        assessment=assessment,
        question=Question.objects.get(field__version=assessment.version, code="journeys.1"),
    )
    services.segments_update(
        assessment=assessment, segments=Definition(units=UNITS, roles=(*ROLES, "CX-/UX-Team"))
    )
    text, _reader = text_of(report_pdf(assessment, "de", for_owner=True).pdf)
    flat = " ".join(text.split())
    assert "Ergebnisse nach Bereich und Rolle" in flat
    assert "Vertrieb (4/4) Build Build Build Build Build Build Build" in flat
    assert "Service (5/5) Adopt Adopt" in flat
    assert "CX-/UX-Team (0/0) zu wenige Antworten (mindestens 3 nötig)" in flat
    assert "Wahrnehmungslücken" in flat
    assert flat.index(
        "Geschäftsleitung sieht Journeys auf Build, Mitarbeitende mit Kundenkontakt auf Unaware."
    ) < (flat.index("Vertrieb sieht Journeys auf Build, Service auf Adopt."))
    assert "Beruht überwiegend auf Schätzungen, die im Workshop nicht geprüft wurden: Tools." in flat
    assert "Wie sicher: geschätzt 4" in flat  # the appendix, per tools question
    assert "im Workshop geprüft" in flat  # journeys.1
    english = " ".join(text_of(report_pdf(assessment, "en", for_owner=True).pdf)[0].split())
    assert "Results by business unit and role" in english and "too few answers (at least 3 needed)" in english


def test_the_report_digest_follows_units_roles_placements_notes_and_validations(workshop):
    assessment, people = workshop
    question = Question.objects.get(field__version=assessment.version, code="journeys.1")
    named = {s.name: s for s in assessment.segments.all()}
    seen = [report_digest(assessment, "de", for_owner=True)]
    answer = Answer.objects.get(participant=people["Anna"], question=question)
    changes = [
        lambda: services.participant_place(participant=people["Cem"], unit=named["Service"], role=named[MA]),
        lambda: services.segments_update(
            assessment=assessment, segments=Definition(units=("Service", "Vertrieb"), roles=ROLES)
        ),
        lambda: services.segments_update(
            assessment=assessment, segments=Definition(units=UNITS, roles=ROLES, min_group_size=2)
        ),
        lambda: ValidatedAnswer.objects.create(assessment=assessment, question=question),
        lambda: ValidatedAnswer.objects.filter(assessment=assessment).delete(),
        lambda: (setattr(answer, "confidence", "guess"), answer.save()),
    ]
    for change in changes:
        change()
        assessment.refresh_from_db()
        seen.append(report_digest(assessment, "de", for_owner=True))
        assert seen[-1] != seen[-2]
