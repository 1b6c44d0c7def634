"""The live session's actions: each one a whole change in one transaction, refused when stale or out of turn,
and votes that are ordinary answers of the workshop (group result and roadmap follow)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from live import services
from live.models import LiveMember, LiveSession
from live.phases import Phase, Status
from roadmap.models import Roadmap
from standortbestimmung.answering import AnswerRefused, BadAnswer
from standortbestimmung.models import Answer, ConsensusAnswer, Field, Participant, QuestionnaireVersion
from standortbestimmung.result import assessment_result
from standortbestimmung.scoring import Level
from tests.conftest import Respondent

pytestmark = pytest.mark.django_db
U, A, B, C = Level.UNAWARE, Level.ADOPT, Level.BUILD, Level.COMMIT


def opened(live, question=None, field=None):
    return services.live_open(session=live, revision=live.revision, question=question, field=field)


def joined(live, name="Anna"):
    return services.live_join(session=live, name=name)


def option(question, level):
    return question.options.get(level=level)


def test_starting_twice_gives_the_one_open_session_and_a_new_one_after_the_end(workshop):
    first = services.live_start(assessment=workshop)
    assert services.live_start(assessment=workshop) == first
    services.live_end(session=first, revision=first.revision)
    second = services.live_start(assessment=workshop)
    assert second != first and second.code != first.code
    assert LiveSession.objects.exclude(status=Status.ENDED).get() == second


def test_only_a_workshop_can_be_run_live(client, version):
    self_assessment = Respondent(client, version).participant.assessment
    with pytest.raises(ValidationError):
        services.live_start(assessment=self_assessment)
    assert not LiveSession.objects.exists()


def test_every_action_raises_the_revision_and_a_stale_one_is_refused_without_writing(live, questions):
    live = opened(live, questions[0])
    assert live.revision == 2
    with pytest.raises(services.LiveStale):
        services.live_reveal(session=live, revision=1)  # a second tab that still shows revision 1
    live.refresh_from_db()
    assert (live.revealed, live.revision) == (False, 2)
    live = services.live_reveal(session=live, revision=2)
    assert (live.revealed, live.revision, live.phase()) == (True, 3, Phase.REVEALED)


def test_opening_a_question_hides_the_results_and_stops_the_timer(live, questions):
    live = opened(live, questions[0])
    live = services.live_timer_start(session=live, revision=live.revision, seconds=60)
    live = services.live_reveal(session=live, revision=live.revision)
    live = opened(live, questions[1])
    assert (live.question_id, live.revealed, live.timer_ends_at, live.phase()) == (
        questions[1].pk,
        False,
        None,
        Phase.VOTING,
    )


def test_a_question_of_another_questionnaire_or_two_items_at_once_are_refused(live, questions):
    with pytest.raises(ValidationError):
        services.live_open(session=live, revision=1, question=questions[0], field=questions[0].field)
    with pytest.raises(ValidationError):
        services.live_open(session=live, revision=1)
    other = QuestionnaireVersion.objects.create(number=99, title_de="Entwurf", title_en="Draft")
    foreign = Field.objects.create(
        version=other, code="journeys", position=1, name_de="J", name_en="J", question_de="?", question_en="?"
    )
    with pytest.raises(ValidationError):
        services.live_open(session=live, revision=1, field=foreign)
    assert LiveSession.objects.get(pk=live.pk).revision == 1


@pytest.mark.parametrize("seconds", [0, 9, 901])
def test_a_timer_outside_its_bounds_is_refused(live, questions, seconds):
    live = opened(live, questions[0])
    with pytest.raises(ValidationError):
        services.live_timer_start(session=live, revision=live.revision, seconds=seconds)
    assert LiveSession.objects.get(pk=live.pk).timer_ends_at is None


def test_a_timer_needs_an_open_question(live):
    with pytest.raises(ValidationError):
        services.live_timer_start(session=live, revision=live.revision, seconds=60)


def test_a_vote_is_an_ordinary_answer_of_the_workshop(live, questions):
    live = opened(live, questions[0])
    anna = joined(live, "Anna")
    services.live_vote(session=live, participant=anna, answers={questions[0]: option(questions[0], B)})
    answer = Answer.objects.get()
    assert (answer.participant, answer.question, answer.option.level) == (anna, questions[0], B)
    assert anna.assessment == live.assessment and anna.name == "Anna"
    assert assessment_result(live.assessment).answers[questions[0].code] == B


def test_changing_a_vote_before_the_reveal_keeps_one_answer(live, questions):
    live = opened(live, questions[0])
    anna = joined(live)
    services.live_vote(session=live, participant=anna, answers={questions[0]: option(questions[0], U)})
    services.live_vote(session=live, participant=anna, answers={questions[0]: None})
    answer = Answer.objects.get()
    assert (answer.option, answer.revision) == (None, 2)


def closed_after(live, how, questions):
    if how == "nothing open":
        return live
    live = opened(live, questions[0])
    if how == "timer ran out":
        LiveSession.objects.filter(pk=live.pk).update(timer_ends_at=timezone.now() - timedelta(seconds=1))
    elif how == "revealed":
        services.live_reveal(session=live, revision=live.revision)
    elif how == "paused":
        services.live_pause(session=live, revision=live.revision, paused=True)
    elif how == "ended":
        services.live_end(session=live, revision=live.revision)
    return LiveSession.objects.get(pk=live.pk)


@pytest.mark.parametrize("how", ["nothing open", "timer ran out", "revealed", "paused", "ended"])
def test_a_vote_when_votes_are_closed_is_refused_and_writes_nothing(live, questions, how):
    anna = joined(live)
    live = closed_after(live, how, questions)
    with pytest.raises(services.VoteClosed) as refused:
        services.live_vote(session=live, participant=anna, answers={questions[0]: option(questions[0], A)})
    assert refused.value.status == 409
    assert not Answer.objects.exists()


def test_a_vote_on_a_question_that_is_not_open_is_refused(live, questions):
    live = opened(live, questions[0])
    anna = joined(live)
    with pytest.raises(services.VoteClosed):
        services.live_vote(
            session=live,
            participant=anna,
            answers={questions[0]: option(questions[0], A), questions[1]: option(questions[1], A)},
        )
    assert not Answer.objects.exists()


def test_a_vote_with_an_option_of_another_question_is_refused(live, questions):
    live = opened(live, questions[0])
    anna = joined(live)
    with pytest.raises(BadAnswer):
        services.live_vote(session=live, participant=anna, answers={questions[0]: option(questions[1], A)})
    assert not Answer.objects.exists()


def test_a_whole_field_opens_every_question_of_it(live, questions):
    field = questions[7].field
    live = opened(live, field=field)
    anna = joined(live)
    field_questions = [q for q in questions if q.field_id == field.pk]
    services.live_vote(session=live, participant=anna, answers={q: option(q, C) for q in field_questions})
    assert Answer.objects.count() == len(field_questions) == 7
    with pytest.raises(services.VoteClosed):
        services.live_vote(session=live, participant=anna, answers={questions[0]: option(questions[0], C)})


def test_the_timer_stopped_after_it_ran_out_opens_the_votes_again(live, questions):
    live = closed_after(live, "timer ran out", questions)
    assert live.phase() == Phase.LOCKED
    live = services.live_timer_stop(session=live, revision=live.revision)
    assert live.phase() == Phase.VOTING


def test_reopening_after_the_reveal_lets_people_change_their_vote(live, questions):
    anna = joined(live)
    live = closed_after(live, "revealed", questions)
    live = services.live_reopen(session=live, revision=live.revision)
    services.live_vote(session=live, participant=anna, answers={questions[0]: option(questions[0], A)})
    assert Answer.objects.get().option.level == A


def test_the_consensus_is_the_workshops_consensus_and_the_roadmap_follows(live, questions):
    live = opened(live, questions[0])
    for name, level in [("Anna", U), ("Bert", U), ("Cem", C)]:
        services.live_vote(
            session=live, participant=joined(live, name), answers={questions[0]: option(questions[0], level)}
        )
    with pytest.raises(ValidationError):  # not before the room saw the results
        services.live_consensus(session=live, revision=live.revision, question=questions[0], option=None)
    live = services.live_reveal(session=live, revision=live.revision)
    before = Roadmap.objects.get(assessment=live.assessment).revision
    live = services.live_consensus(
        session=live, revision=live.revision, question=questions[0], option=option(questions[0], B)
    )
    assert ConsensusAnswer.objects.get().option.level == B
    assert assessment_result(live.assessment).answers[questions[0].code] == B
    assert Roadmap.objects.get(assessment=live.assessment).revision > before
    services.live_consensus(
        session=live, revision=live.revision, question=questions[0], option=None, clear=True
    )
    assert not ConsensusAnswer.objects.exists()


def test_a_consensus_on_a_question_that_is_not_shown_is_refused(live, questions):
    live = closed_after(live, "revealed", questions)
    with pytest.raises(ValidationError):
        services.live_consensus(
            session=live, revision=live.revision, question=questions[1], option=option(questions[1], B)
        )
    assert not ConsensusAnswer.objects.exists()


def test_joining_needs_a_name_unless_anonymous_voting_is_allowed(live):
    with pytest.raises(services.JoinRefused):
        services.live_join(session=live, name="   ")
    live = services.live_anonymous_set(session=live, revision=live.revision, allow=True)
    anonymous = services.live_join(session=live, name="")
    assert anonymous.name == "" and LiveMember.objects.get().participant == anonymous


def test_nobody_joins_an_ended_session(live):
    services.live_end(session=live, revision=live.revision)
    with pytest.raises(services.JoinRefused):
        services.live_join(session=live, name="Anna")
    assert not Participant.objects.exists()


def test_an_invited_participant_joins_as_themselves(live):
    from standortbestimmung import access

    paul = access.participant_add(assessment=live.assessment, name="Paul").participant
    assert services.live_join(session=live, participant=paul) == paul
    assert services.live_join(session=live, participant=paul) == paul  # twice: still one membership
    assert Participant.objects.count() == 1 and LiveMember.objects.count() == 1


def test_a_revoked_participant_cannot_vote(live, questions):
    from workspace.services import participant_revoke

    live = opened(live, questions[0])
    anna = joined(live)
    participant_revoke(participant=anna)
    with pytest.raises(AnswerRefused):
        services.live_vote(session=live, participant=anna, answers={questions[0]: option(questions[0], A)})
    assert not Answer.objects.exists()


def test_ending_stops_the_code_and_keeps_the_answers(live, questions):
    live = opened(live, questions[0])
    anna = joined(live)
    services.live_vote(session=live, participant=anna, answers={questions[0]: option(questions[0], A)})
    live = services.live_end(session=live, revision=live.revision, share_result=True)
    assert (live.status, live.result_shared, live.phase()) == (Status.ENDED, True, Phase.ENDED)
    assert live.ended_at is not None and Answer.objects.count() == 1
    with pytest.raises(ValidationError):
        services.live_reveal(session=live, revision=live.revision)
