#!/usr/bin/env python
import os
import sys

# Commands that only read code and write files sign nothing: they run without the production SECRET_KEY.
OFFLINE_COMMANDS = {"makemigrations", "makemessages", "compilemessages"}


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cjm_assess.settings")
    if len(sys.argv) > 1 and sys.argv[1] in OFFLINE_COMMANDS:
        os.environ.setdefault("SECRET_KEY", "offline-command-" + "x" * 40)  # noqa: S105 - never signs anything
    from django.core.management import execute_from_command_line

    from cjm_assess.config_errors import run_reporting_config_errors

    run_reporting_config_errors(lambda: execute_from_command_line(sys.argv))


if __name__ == "__main__":
    main()
