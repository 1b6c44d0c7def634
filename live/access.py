"""Who may open which live screen: the owning consultant (control, presenter), and the people in the room,
each identified by their browser's session, never by a secret in a URL. 404 for everything else."""

import hmac

from django.core.exceptions import ValidationError
from django.http import Http404

from cjm_assess.ratelimit import BAD_JOIN_CODES
from cjm_assess.security import client_ip, security_event
from live.codes import code_normalise
from live.models import LiveSession
from standortbestimmung import access
from standortbestimmung.models import Assessment, Participant

SESSION_KEY = "live"
_GRANTS_KEPT = 20


class TooManyGuesses(Exception):
    """This address tried too many wrong join codes; it has to wait."""


def get_live_for(request, key) -> LiveSession:
    """A live session of an assessment the logged-in consultant owns (staff: any); 404 for anything else."""
    session = LiveSession.objects.select_related("assessment").filter(key=key).first()
    if session is None:
        raise Http404
    session.assessment = access.get_assessment_for(request, session.assessment.key)  # logs foreign ones
    return session


def session_by_code(request, text: str) -> LiveSession | None:
    """The live session with this join code (an ended one too, so the page can say so), or None.

    Wrong codes are counted per address; once there are too many, TooManyGuesses is raised before anything
    is looked up, so guessing the code of someone else's workshop is hopeless.
    """
    if BAD_JOIN_CODES.reached(client_ip(request)):
        security_event(request, "rate_limited", what="join_codes")
        raise TooManyGuesses
    code = code_normalise(text)
    session = LiveSession.objects.select_related("assessment").filter(code=code).first() if code else None
    if session is None:
        security_event(request, "bad_join_code")
        BAD_JOIN_CODES.hit(client_ip(request))
    return session


def _grants(request) -> dict:
    grants = request.session.get(SESSION_KEY, {})
    return grants if isinstance(grants, dict) else {}


def live_grant(request, session: LiveSession, participant: Participant) -> None:
    """Lets this browser vote in the session as the participant (for as long as the participant's link is
    the one it is now: a new link or a revocation locks the browser out)."""
    grants = {k: v for k, v in _grants(request).items() if k != str(session.key)}
    request.session.cycle_key()  # a session id known before joining is worth nothing afterwards
    grants[str(session.key)] = [str(participant.key), participant.token_hash]
    request.session[SESSION_KEY] = dict(list(grants.items())[-_GRANTS_KEPT:])


def has_joined(request, key) -> bool:
    """Whether this browser joined the session (from its session alone, for the cheap "nothing new" poll)."""
    return str(key) in _grants(request)


def get_member_for(request, key) -> tuple[LiveSession, Participant]:
    """The session and the participant this browser joined it as; 404 if it did not (or was revoked)."""
    grant = _grants(request).get(str(key))
    if not (isinstance(grant, list) and len(grant) == 2):
        raise Http404
    session = LiveSession.objects.select_related("assessment").filter(key=key).first()
    if session is None:
        raise Http404
    try:
        participant = Participant.objects.filter(
            key=grant[0], assessment_id=session.assessment_id, revoked_at__isnull=True
        ).first()
    except ValidationError:  # not a key at all
        participant = None
    if participant is None or not hmac.compare_digest(participant.token_hash, str(grant[1])):
        raise Http404
    participant.assessment = session.assessment
    return session, participant


def participant_in_browser(request, assessment: Assessment) -> Participant | None:
    """The participant of this workshop the browser already answers as (their personal link was opened
    here): joining the live session continues as them instead of counting the person twice."""
    for key in reversed(list(request.session.get(access.SESSION_KEY, {}))):
        try:
            participant = access.get_participant_for(request, key)
        except (Http404, ValidationError):
            continue
        if participant.assessment_id == assessment.pk:
            return participant
    return None
