from django.apps import AppConfig


class CjmAssessConfig(AppConfig):
    name = "cjm_assess"
    verbose_name = "CJM-Standortbestimmung"

    def ready(self):
        from cjm_assess import security  # noqa: F401 - connects the security signal handlers
