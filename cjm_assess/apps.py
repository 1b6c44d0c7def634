from django.apps import AppConfig


class CjmAssessConfig(AppConfig):
    name = "cjm_assess"
    verbose_name = "CJM-Standortbestimmung"

    def ready(self):
        from cjm_assess import checks, security  # noqa: F401 - registers the checks and the security signal handlers
