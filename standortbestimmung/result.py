"""The result of an assessment as one immutable snapshot, read once per request by pages, report and exports."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

from standortbestimmung import scoring
from standortbestimmung.models import Answer, Assessment, ConsensusAnswer, Participant
from standortbestimmung.questionnaire import Questionnaire, questionnaire_of
from standortbestimmung.scoring import Level, Profile, QuestionSpread


@dataclass(frozen=True)
class AssessmentResult:
    """The answers that count, the profile scored from them, and for a group what lies behind them.

    A self-assessment has one participant, whose answers are the result; a workshop's result takes the consensus
    where one was set and otherwise the lower median of the participants' answers (scoring.group_answers).
    """

    assessment: Assessment
    questionnaire: Questionnaire
    per_participant: Mapping[int, Mapping[str, Level | None]]  # participant id -> their answers by code
    consensus: Mapping[str, Level | None]  # question code -> the answer the room agreed on
    answers: Mapping[str, Level | None]  # question code -> the answer that counts
    profile: Profile

    @property
    def participant_count(self) -> int:
        return len(self.per_participant)

    @cached_property
    def spreads(self) -> dict[str, QuestionSpread]:
        """Question code -> how the participants' answers spread (for a group: what divides the room)."""
        return {
            q.code: scoring.question_spread(
                q.code, [a[q.code] for a in self.per_participant.values() if q.code in a]
            )
            for q in self.questionnaire.questions.values()
        }


def _result(assessment, questionnaire, per_participant, consensus) -> AssessmentResult:
    answers = scoring.group_answers(per_participant.values(), consensus)
    return AssessmentResult(
        assessment=assessment,
        questionnaire=questionnaire,
        per_participant=per_participant,
        consensus=consensus,
        answers=answers,
        profile=scoring.score(questionnaire.structure(), answers),
    )


def assessment_result(assessment: Assessment) -> AssessmentResult:
    """The result of the whole assessment: every active participant's answers and the consensus (2 queries)."""
    questionnaire = questionnaire_of(assessment)
    per_participant: dict[int, dict[str, Level | None]] = {
        pk: {} for pk in assessment.participants.filter(revoked_at__isnull=True).values_list("pk", flat=True)
    }
    rows = Answer.objects.filter(
        participant__assessment=assessment, participant__revoked_at__isnull=True
    ).values_list("participant_id", "question_id", "option_id")
    for pid, qid, oid in rows:
        per_participant.setdefault(pid, {})[questionnaire.questions[qid].code] = questionnaire.level_of(oid)
    consensus = questionnaire.by_code(
        ConsensusAnswer.objects.filter(assessment=assessment).values_list("question_id", "option_id")
    )
    return _result(assessment, questionnaire, per_participant, consensus)


def assessment_results(assessments: Sequence[Assessment]) -> list[AssessmentResult]:
    """The results of many assessments by the rule of assessment_result, in three queries (for background work
    over all of them; pass a few hundred at a time)."""
    ids = [a.pk for a in assessments]
    people: dict[int, dict[int, dict[str, Level | None]]] = {pk: {} for pk in ids}
    active = Participant.objects.filter(assessment_id__in=ids, revoked_at__isnull=True)
    owner_of = dict(active.values_list("pk", "assessment_id"))
    for pid, aid in owner_of.items():
        people[aid][pid] = {}
    questionnaires = {a.pk: questionnaire_of(a) for a in assessments}
    rows = Answer.objects.filter(
        participant__assessment_id__in=ids, participant__revoked_at__isnull=True
    ).values_list("participant_id", "question_id", "option_id")
    for pid, qid, oid in rows:
        questionnaire = questionnaires[owner_of[pid]]
        people[owner_of[pid]][pid][questionnaire.questions[qid].code] = questionnaire.level_of(oid)
    agreed: dict[int, list[tuple[int, int | None]]] = {pk: [] for pk in ids}
    for aid, qid, oid in ConsensusAnswer.objects.filter(assessment_id__in=ids).values_list(
        "assessment_id", "question_id", "option_id"
    ):
        agreed[aid].append((qid, oid))
    return [
        _result(a, questionnaires[a.pk], people[a.pk], questionnaires[a.pk].by_code(agreed[a.pk]))
        for a in assessments
    ]


def participant_result(participant: Participant) -> AssessmentResult:
    """The result of one participant's own answers: what their result page shows (1 query)."""
    assessment = participant.assessment
    questionnaire = questionnaire_of(assessment)
    answers = questionnaire.by_code(
        Answer.objects.filter(participant=participant).values_list("question_id", "option_id")
    )
    return _result(assessment, questionnaire, {participant.pk: answers}, {})


def previous_assessment(assessment: Assessment) -> Assessment | None:
    """The client's assessment before this one, to compare with and to carry the roadmap's status from."""
    if not assessment.client_id:
        return None
    return (
        Assessment.objects.filter(client_id=assessment.client_id, created_at__lt=assessment.created_at)
        .select_related("version")
        .order_by("-created_at")
        .first()
    )
