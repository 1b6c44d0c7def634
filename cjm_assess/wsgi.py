import os

from django.core.wsgi import get_wsgi_application

from cjm_assess.config_errors import run_reporting_config_errors

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cjm_assess.settings")

application = run_reporting_config_errors(get_wsgi_application)
