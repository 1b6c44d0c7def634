"""Who may open which assessment: personal links (tokens) and the session they are exchanged for.

A link carries a secret of 192 bits; only its SHA-256 is stored. Opening the link puts the participant into
the browser's session and redirects to a URL without the secret, so it does not stay in the address bar,
the history or a Referer header. Everything foreign or unknown is a plain 404.
"""

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.utils import timezone

from cjm_assess.security import security_event
from standortbestimmung.models import Assessment, Client, Participant

SESSION_KEY = "participants"
TOKEN_BYTES = 24  # 192 bits
_TOKEN_SHAPE = re.compile(r"^[A-Za-z0-9_-]{32}$")


class UnknownLink(ValidationError):
    """A personal link that leads to no participant (malformed, unknown, revoked or expired)."""


@dataclass(frozen=True)
class PersonalLink:
    """A participant's new link: the secret goes into the response that shows it, nowhere else."""

    participant: Participant
    token: str


def token_new() -> tuple[str, str]:
    """A fresh secret for a personal link and the hash that is stored in its place."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    return token, token_hash(token)


def participant_add(
    *, assessment: Assessment, name: str = "", email: str = "", language: str = ""
) -> PersonalLink:
    """A new participant of the assessment with a personal link (call it inside the action's transaction);
    language: of the mails to them ("" for the assessment's)."""
    token, digest = token_new()
    participant = Participant.objects.create(
        assessment=assessment, name=name.strip(), email=email.strip(), language=language, token_hash=digest
    )
    return PersonalLink(participant, token)


def link_replace(*, participant: Participant, token: str | None = None) -> PersonalLink:
    """Gives the participant a new link; the old one stops working at once.

    token: a secret made beforehand (token_new), for a mail that is sent before the link is stored, so that a
    mail that fails leaves the participant's current link working.
    """
    if token is None:
        token, digest = token_new()
    else:
        digest = token_hash(token)
    participant.token_hash = digest
    participant.token_created_at = timezone.now()
    participant.save(update_fields=["token_hash", "token_created_at"])
    return PersonalLink(participant, token)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_shaped(token: str) -> bool:
    """Whether a secret from a URL has the shape of ours (anything else is not even looked up)."""
    return bool(_TOKEN_SHAPE.match(token or ""))


def participant_by_token(token: str) -> Participant | None:
    """The participant a link belongs to, or None for a malformed, unknown, revoked or expired one."""
    if not token_shaped(token):
        return None
    digest = token_hash(token)
    oldest = timezone.now() - timedelta(days=settings.PERSONAL_LINK_DAYS)
    participant = (
        Participant.objects.select_related("assessment")
        .filter(token_hash=digest, revoked_at__isnull=True, token_created_at__gte=oldest)
        .first()
    )
    if participant is None or not hmac.compare_digest(participant.token_hash, digest):
        return None
    return participant


def _grants(request) -> dict[str, str]:
    grants = request.session.get(SESSION_KEY, {})
    return grants if isinstance(grants, dict) else {}


def link_exchange(request, participant: Participant) -> None:
    """Opening a personal link: the browser's session starts afresh with only this participant's grant.

    A session someone planted before (their cookie, with their grants or their login) is thrown away, not just
    given a new id; so is a login of this browser (a consultant opening a participant's link is logged out).
    """
    request.session.flush()
    session_grant(request, participant)


def session_grant(request, participant: Participant) -> None:
    """Lets this browser answer as the participant, for as long as the link it came with is valid."""
    grants = {k: v for k, v in _grants(request).items() if k != str(participant.key)}
    # A new session id on every grant: a session id known before the link was opened is worth nothing.
    request.session.cycle_key()
    grants[str(participant.key)] = participant.token_hash
    request.session[SESSION_KEY] = dict(list(grants.items())[-20:])


def get_participant_for(request, key, *, with_role: bool = False) -> Participant:
    """The participant with this key if this browser was granted it with the current link; else 404.

    A new link (or a revoked one) therefore also locks out every browser that used the old link. with_role:
    the same query also says whether they are the respondent (is_self_assessor then needs none); the pages
    answered most often do without it.
    """
    granted = _grants(request).get(str(key))
    if granted is None:
        security_event(request, "foreign_participant")  # a key this browser was never given: a probe
        raise Http404
    try:  # the version comes from content.questionnaire_of, cached per process
        participants = Participant.objects.select_related("assessment")
        if with_role:
            participants = participants.annotate(is_first=~Exists(_earlier_participants()))
        participant = participants.get(key=key, revoked_at__isnull=True)
    except Participant.DoesNotExist:
        raise Http404 from None
    if not hmac.compare_digest(participant.token_hash, granted):
        raise Http404
    return participant


def respondent_of(assessment: Assessment) -> Participant | None:
    """The respondent of a self-assessment: its first participant (None for a workshop).

    Self-assessments that got invitees before inviting into them was refused have more; those see only their
    own answers, as workshop participants do.
    """
    if assessment.kind != Assessment.Kind.SELF:
        return None
    return Participant.objects.filter(assessment_id=assessment.pk).order_by("pk").first()


def _earlier_participants():
    """The participants of the same assessment added before the outer one: none for its first (respondent_of),
    as a subquery, so that the participant's own query says whether it is the respondent."""
    return Participant.objects.filter(assessment_id=OuterRef("assessment_id"), pk__lt=OuterRef("pk"))


def is_self_assessor(participant: Participant) -> bool:
    """Whether the participant is the respondent of a self-assessment (see respondent_of); no query for a
    participant from get_participant_for(with_role=True)."""
    if participant.assessment.kind != Assessment.Kind.SELF:
        return False
    first = getattr(participant, "is_first", None)
    if first is None:  # a participant loaded elsewhere
        first = respondent_of(participant.assessment).pk == participant.pk
    return first


def get_self_assessor_for(request, key) -> Participant:
    """The respondent of a self-assessment: they may see its roadmap, report and exports (built from their own
    answers only). Anyone else with a personal link sees only their own answers, so these are 404 for them."""
    participant = get_participant_for(request, key, with_role=True)
    if not is_self_assessor(participant):
        raise Http404
    return participant


def _visible(user, objects):
    """What a consultant may open: staff everything, everybody else what they own."""
    return objects if user.is_staff else objects.filter(owner=user)


def _get_visible(request, objects, kind: str, **lookup):
    """One object the logged-in consultant may open; 404 for anything else, foreign objects logged."""
    if not request.user.is_authenticated:
        raise Http404
    found = _visible(request.user, objects).filter(**lookup).first()
    if found is None:
        if objects.filter(**lookup).exists():
            security_event(request, "foreign_object", kind=kind)
        raise Http404
    return found


def get_assessment_for(request, key) -> Assessment:
    """An assessment the logged-in consultant owns (staff: any); 404 for anything else, so nothing leaks."""
    return _get_visible(
        request, Assessment.objects.select_related("version", "client"), "assessment", key=key
    )


def get_client_for(request, pk) -> Client:
    """A client of the logged-in consultant (staff: any); 404 for anything else."""
    return _get_visible(request, Client.objects.all(), "client", pk=pk)


def assessments_of(user):
    """The assessments a consultant may open (staff: all)."""
    return _visible(user, Assessment.objects.all())


def clients_of(user):
    """The clients a consultant sees in the workspace (staff: all)."""
    return _visible(user, Client.objects.all())


def get_participant_of(assessment: Assessment, pk) -> Participant:
    """A participant of this assessment; 404 for one of another."""
    participant = Participant.objects.filter(assessment=assessment, pk=pk).first()
    if participant is None:
        raise Http404
    return participant
