"""Turns configuration and connection failures at start-up into one clear line instead of a traceback."""

import sys

from django.core.exceptions import ImproperlyConfigured
from django.db import OperationalError


def run_reporting_config_errors(main):
    """Returns main(); a bad setting or an unreachable database ends the process with one line on stderr."""
    try:
        return main()
    except ImproperlyConfigured as exc:
        sys.stderr.write(f"Configuration error: {exc}\n")
        sys.exit(2)
    except OperationalError as exc:
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else exc.__class__.__name__
        sys.stderr.write(f"Database unreachable (check DATABASE_URL): {first_line}\n")
        sys.exit(2)
