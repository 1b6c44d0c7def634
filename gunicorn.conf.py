"""gunicorn's settings for production: `gunicorn -c gunicorn.conf.py cjm_assess.wsgi` (see the README).

The access log goes to stdout like the app's own log, with the secrets of personal links (/r/<token>/) and of
password-reset links removed from every request line, path and Referer: a log is read by more people, and kept
longer, than a secret may be.
"""

import os
import sys
from pathlib import Path

from gunicorn.glogging import Logger

sys.path.insert(0, str(Path(__file__).resolve().parent))
from cjm_assess.logging import redact  # noqa: E402 - the project's one redaction rule, found from here

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
max_requests = 1000  # recycles a worker now and then (a PDF render grows it by about 0.1 MB)
max_requests_jitter = 100
accesslog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(f)s" "%(a)s" %({x-request-id}o)s'


class RedactingLogger(Logger):
    """gunicorn's logger, with link secrets removed from every value an access-log line may show."""

    def atoms(self, resp, req, environ, request_time):
        return {
            name: redact(value) if isinstance(value, str) else value
            for name, value in super().atoms(resp, req, environ, request_time).items()
        }


logger_class = RedactingLogger
