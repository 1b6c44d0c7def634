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
    where one was set and otherwise the lower median of the counted participants' answers
    (scoring.group_answers). Which participants count is the assessment's choice (counted_participants).
    """

    assessment: Assessment
    questionnaire: Questionnaire
    per_participant: Mapping[
        int, Mapping[str, Level | None]
    ]  # counted participant id -> their answers by code
    consensus: Mapping[str, Level | None]  # question code -> the answer the room agreed on
    answers: Mapping[str, Level | None]  # question code -> the answer that counts
    profile: Profile
    active_count: int = 0  # participants with a working link, counted or not

    @property
    def participant_count(self) -> int:
        """How many participants count for the result (with or without answers)."""
        return len(self.per_participant)

    @property
    def answered_by(self) -> int:
        """How many of the counted participants gave at least one answer: who the result is made of."""
        return sum(1 for answers in self.per_participant.values() if answers)

    @property
    def finished_only(self) -> bool:
        return self.assessment.counts_finished_only

    @cached_property
    def spreads(self) -> dict[str, QuestionSpread]:
        """Question code -> how the participants' answers spread (for a group: what divides the room)."""
        return {
            q.code: scoring.question_spread(
                q.code, [a[q.code] for a in self.per_participant.values() if q.code in a]
            )
            for q in self.questionnaire.questions.values()
        }


def _result(assessment, questionnaire, per_participant, consensus, active_count=1) -> AssessmentResult:
    answers = scoring.group_answers(per_participant.values(), consensus)
    return AssessmentResult(
        assessment=assessment,
        questionnaire=questionnaire,
        per_participant=per_participant,
        consensus=consensus,
        answers=answers,
        profile=scoring.score(questionnaire.structure(), answers),
        active_count=active_count,
    )


def counted_participants(assessment: Assessment):
    """The participants whose answers make up the result: those with a working link, and in a workshop that
    counts finished participants only, those who finished."""
    people = Participant.objects.filter(assessment=assessment, revoked_at__isnull=True)
    return people.filter(finished_at__isnull=False) if assessment.counts_finished_only else people


def assessment_result(assessment: Assessment) -> AssessmentResult:
    """The result of the whole assessment: the counted participants' answers and the consensus (3 queries)."""
    questionnaire = questionnaire_of(assessment)
    active = list(
        Participant.objects.filter(assessment=assessment, revoked_at__isnull=True).values_list(
            "pk", "finished_at"
        )
    )
    only_finished = assessment.counts_finished_only
    per_participant: dict[int, dict[str, Level | None]] = {
        pk: {} for pk, finished_at in active if finished_at is not None or not only_finished
    }
    rows = Answer.objects.filter(participant__in=counted_participants(assessment)).values_list(
        "participant_id", "question_id", "option_id"
    )
    for pid, qid, oid in rows:
        if pid in per_participant:  # one who finished (or was revoked) between the two queries waits
            per_participant[pid][questionnaire.questions[qid].code] = questionnaire.level_of(oid)
    consensus = questionnaire.by_code(
        ConsensusAnswer.objects.filter(assessment=assessment).values_list("question_id", "option_id")
    )
    return _result(assessment, questionnaire, per_participant, consensus, active_count=len(active))


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
