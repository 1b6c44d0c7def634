from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MarketConfig(AppConfig):
    name = "market"
    verbose_name = _("Market and benchmark")

    def ready(self):
        # The report (roadmap, a layer below) shows the peer benchmark without importing this app.
        from market.presentation import benchmark_stamp, report_benchmark
        from roadmap.report import SECTIONS, Section

        SECTIONS["benchmark"] = Section(report_benchmark, benchmark_stamp)
