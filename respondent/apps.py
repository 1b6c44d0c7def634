from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RespondentConfig(AppConfig):
    name = "respondent"
    verbose_name = _("Respondents")
