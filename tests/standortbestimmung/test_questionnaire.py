"""The questionnaire as versioned data: the shipped content, validation, and the admin workflow."""

import json
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from standortbestimmung import versions
from standortbestimmung.models import AnswerOption, Field, Question, QuestionnaireVersion
from standortbestimmung.scoring import FIELD_ORDER
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def test_the_fixture_gives_one_published_version_with_six_fields_and_four_options_per_question(version):
    assert QuestionnaireVersion.objects.count() == 1
    assert version.status == QuestionnaireVersion.Status.PUBLISHED
    fields = list(version.fields.order_by("position"))
    assert [f.code for f in fields] == [code.value for code in FIELD_ORDER]
    questions = Question.objects.filter(field__version=version)
    assert 36 <= questions.count() <= 48
    for field in fields:
        assert 6 <= field.questions.count() <= 8, field.code
    for question in questions.prefetch_related("options"):
        options = list(question.options.all())
        assert sorted(o.level for o in options) == [1, 2, 3, 4], question.code
        assert all(o.text_de.strip() and o.text_en.strip() for o in options), question.code
        assert question.text_de.strip() and question.text_en.strip()
        assert question.code.startswith(question.field.code + ".")
    assert versions.version_problems(version=version) == []


def test_the_texts_follow_the_active_language(version):
    question = Question.objects.get(field__version=version, code="journeys.1")
    with translation.override("de"):
        german = question.text
    with translation.override("en"):
        english = question.text
    assert german == question.text_de and english == question.text_en and german != english


def test_loading_twice_changes_nothing(version):
    call_command("load_content", verbosity=0)
    assert QuestionnaireVersion.objects.count() == 1


def broken_fixture(tmp_path, mutate):
    data = json.loads((FIXTURES / "questionnaire.json").read_text())
    mutate(data)
    (tmp_path / "questionnaire.json").write_text(json.dumps(data))
    (tmp_path / "measures.json").write_text((FIXTURES / "measures.json").read_text())
    return tmp_path


def test_a_fixture_with_a_question_missing_an_option_is_refused_naming_the_question(tmp_path):
    def drop_one_option(data):
        journeys_3 = next(
            o["pk"]
            for o in data
            if o["model"] == "standortbestimmung.question" and o["fields"]["code"] == "journeys.3"
        )
        option = next(
            o
            for o in data
            if o["model"] == "standortbestimmung.answeroption"
            and o["fields"]["question"] == journeys_3
            and o["fields"]["level"] == 2
        )
        data.remove(option)

    folder = broken_fixture(tmp_path, drop_one_option)
    with (
        translation.override("en"),
        pytest.raises(CommandError, match=r"journeys\.3 needs exactly four answer"),
    ):
        call_command("load_content", fixtures_dir=str(folder), verbosity=0)
    assert QuestionnaireVersion.objects.count() == 0
    assert AnswerOption.objects.count() == 0


def test_a_fixture_with_a_field_without_questions_is_refused_naming_the_field(tmp_path):
    def empty_tools(data):
        tools = next(
            o["pk"]
            for o in data
            if o["model"] == "standortbestimmung.field" and o["fields"]["code"] == "tools"
        )
        doomed = {
            o["pk"]
            for o in data
            if o["model"] == "standortbestimmung.question" and o["fields"]["field"] == tools
        }
        data[:] = [
            o
            for o in data
            if not (
                (o["model"] == "standortbestimmung.question" and o["pk"] in doomed)
                or (o["model"] == "standortbestimmung.answeroption" and o["fields"]["question"] in doomed)
            )
        ]

    folder = broken_fixture(tmp_path, empty_tools)
    with translation.override("en"), pytest.raises(CommandError, match="Field tools has 0 questions"):
        call_command("load_content", fixtures_dir=str(folder), verbosity=0)
    assert Field.objects.count() == 0


# --- versions: copy, edit the draft, publish --------------------------------------------------------


def test_copy_as_draft_copies_everything_into_a_new_editable_version(version):
    draft = versions.version_copy_as_draft(version=version)
    assert (draft.number, draft.status) == (2, QuestionnaireVersion.Status.DRAFT)
    original = list(Question.objects.filter(field__version=version).values_list("code", "text_de"))
    copied = list(Question.objects.filter(field__version=draft).values_list("code", "text_de"))
    assert copied == original
    assert AnswerOption.objects.filter(question__field__version=draft).count() == 4 * len(original)
    assert versions.version_problems(version=draft) == []


def test_publishing_a_draft_with_a_broken_question_is_refused_naming_it(version):
    draft = versions.version_copy_as_draft(version=version)
    AnswerOption.objects.filter(question__field__version=draft, question__code="skills.2", level=4).delete()
    with pytest.raises(ValidationError) as error:
        versions.version_publish(version=draft)
    assert any("skills.2" in message for message in error.value.messages)
    draft.refresh_from_db()
    assert draft.status == QuestionnaireVersion.Status.DRAFT


def test_a_published_version_cannot_be_published_again(version):
    with pytest.raises(ValidationError):
        versions.version_publish(version=version)


def test_publishing_a_valid_draft_makes_it_current(version):
    draft = versions.version_copy_as_draft(version=version)
    versions.version_publish(version=draft)
    assert versions.current_version() == draft
    versions.version_retire(version=version)
    version.refresh_from_db()
    assert version.status == QuestionnaireVersion.Status.RETIRED


@pytest.fixture
def staff_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("editor", "editor@example.org", "a-long-password-123")
    sign_in(client, user)
    return client


def test_the_admin_refuses_to_change_a_question_of_a_published_version(staff_client, version):
    question = Question.objects.get(field__version=version, code="journeys.1")
    url = reverse("admin:standortbestimmung_question_change", args=[question.pk])
    response = staff_client.get(url)
    assert response.status_code == 200
    assert (
        "can no longer be changed" in response.content.decode()
        or "kann nicht mehr geändert" in response.content.decode()
    )
    response = staff_client.post(url, {"text_de": "Geändert", "text_en": "Changed"}, follow=True)
    question.refresh_from_db()
    assert question.text_de != "Geändert"
    assert response.status_code == 200


def test_the_admin_copies_edits_and_publishes_a_draft(staff_client, version):
    changelist = reverse("admin:standortbestimmung_questionnaireversion_changelist")
    response = staff_client.post(changelist, {"action": "copy_as_draft", "_selected_action": [version.pk]})
    assert response.status_code == 302
    draft = QuestionnaireVersion.objects.get(number=2)

    question = Question.objects.get(field__version=draft, code="journeys.1")
    url = reverse("admin:standortbestimmung_question_change", args=[question.pk])
    options = list(question.options.order_by("level"))
    form = {
        "field": question.field_id,
        "code": question.code,
        "position": question.position,
        "text_de": "Gibt es Journey Maps für Ihre Kernreisen?",
        "text_en": question.text_en,
        "help_de": question.help_de,
        "help_en": question.help_en,
        "options-TOTAL_FORMS": "4",
        "options-INITIAL_FORMS": "4",
        "options-MIN_NUM_FORMS": "0",
        "options-MAX_NUM_FORMS": "4",
    }
    for i, option in enumerate(options):
        form |= {
            f"options-{i}-id": option.pk,
            f"options-{i}-question": question.pk,
            f"options-{i}-level": option.level,
            f"options-{i}-text_de": option.text_de,
            f"options-{i}-text_en": option.text_en,
        }
    response = staff_client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    question.refresh_from_db()
    assert question.text_de == "Gibt es Journey Maps für Ihre Kernreisen?"

    response = staff_client.post(changelist, {"action": "publish", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.status == QuestionnaireVersion.Status.PUBLISHED
    # the old version keeps its text: past results do not change
    assert Question.objects.get(field__version=version, code="journeys.1").text_de != question.text_de


def test_the_admin_publish_action_reports_problems_and_keeps_the_draft(staff_client, version):
    draft = versions.version_copy_as_draft(version=version)
    Question.objects.filter(field__version=draft, code="tools.7").first().options.all().delete()
    changelist = reverse("admin:standortbestimmung_questionnaireversion_changelist")
    response = staff_client.post(
        changelist, {"action": "publish", "_selected_action": [draft.pk]}, follow=True
    )
    assert "tools.7" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == QuestionnaireVersion.Status.DRAFT


def test_the_methodology_page_explains_the_rule_with_the_worked_example(client, version):
    html = client.get(reverse("methodology")).content.decode()
    assert "zwei Drittel" in html
    assert "Build, weil 5 von 6 beantworteten Praktiken auf Build oder höher liegen." in html
    translation.activate("en")
    client.cookies["django_language"] = "en"
    html = client.get(reverse("methodology")).content.decode()
    assert "two thirds" in html
    assert "Build, because 5 of 6 answered practices are at Build or higher." in html
