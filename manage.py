#!/usr/bin/env python
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cjm_assess.settings")
    from django.core.management import execute_from_command_line

    from cjm_assess.config_errors import run_reporting_config_errors

    run_reporting_config_errors(lambda: execute_from_command_line(sys.argv))


if __name__ == "__main__":
    main()
