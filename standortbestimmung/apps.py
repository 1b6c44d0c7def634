from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StandortbestimmungConfig(AppConfig):
    name = "standortbestimmung"
    verbose_name = _("Standortbestimmung")
