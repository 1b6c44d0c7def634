"""Idle and absolute timeouts for logged-in consultants (participants' sessions only hold their grants)."""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect

from cjm_assess.security import security_event


class SessionTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            started = request.session.setdefault("auth_started", now)
            last = request.session.get("last_seen", now)
            idle = now - last > settings.SESSION_IDLE_MINUTES * 60
            expired = now - started > settings.SESSION_ABSOLUTE_HOURS * 3600
            if idle or expired:
                security_event(request, "session_timeout", reason="idle" if idle else "absolute")
                logout(request)
                return redirect(f"{settings.LOGIN_URL_PATH}?next={request.path}")
            # Minute precision is enough for the idle timeout, and spares a session write on every request.
            if "last_seen" not in request.session or now - last >= 60:
                request.session["last_seen"] = now
        return self.get_response(request)
