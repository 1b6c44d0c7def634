"""The consultant's market view: the benchmark's figures over every counted assessment (protected), or the
figures of the consultant's own clients (theirs to see), as a page with charts and as CSV. Read from the latest
snapshot only: a request never reads the assessments."""

import csv
import io

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from cjm_assess.http import bad_request
from market.forms import MarketFilterForm
from market.presentation import TOP, MarketView, market_view
from market.snapshots import latest_snapshot, view_figures
from roadmap.measures import current_catalogue
from standortbestimmung.questionnaire import questionnaire_for
from standortbestimmung.scoring import Level
from standortbestimmung.versions import current_version


def _view(request, *, top: int | None) -> tuple[MarketView, MarketFilterForm] | HttpResponse:
    snapshot = latest_snapshot()
    form = MarketFilterForm(request.GET or None, periods=snapshot.periods if snapshot else [])
    if form.is_bound and not form.is_valid():
        return bad_request(request, _("The market view offers no such filter. Please choose from the menus."))
    filters = form.filters()
    figures = view_figures(owner=request.user.pk if form.own else None, filters=filters) if snapshot else []
    version = current_version()
    catalogue = current_catalogue()
    measures = catalogue.measures.only("code", "title_de", "title_en") if catalogue else []
    titles = {m.code: m.title for m in measures}
    view = market_view(
        snapshot=snapshot,
        figures=figures,
        filters=filters,
        own=form.own,
        questionnaire=questionnaire_for(version) if version else None,
        measure_titles=titles,
        top=top,
    )
    return view, form


@login_required
@require_GET
def market(request):
    found = _view(request, top=TOP)
    if isinstance(found, HttpResponse):
        return found
    view, form = found
    return render(
        request,
        "market/market.html",
        {"view": view, "form": form, "levels": list(Level), "csv_query": request.GET.urlencode()},
    )


@login_required
@require_GET
def market_csv(request):
    """The aggregated figures of the chosen filters (never a single assessment), as CSV."""
    found = _view(request, top=None)
    if isinstance(found, HttpResponse):
        return found
    view, _form = found
    out = io.StringIO()
    writer = csv.writer(out)
    header = [_("section"), _("quarter"), _("field"), _("code"), _("text")]
    header += [level.label for level in Level]
    header += [
        _("results"),
        _("organisations"),
        _("lower quartile"),
        _("median"),
        _("upper quartile"),
        _("note"),
    ]
    writer.writerow(header)
    too_few = _("Too few comparable results")
    chosen = view.filters.periods[0] if view.filters.periods else _("all quarters")
    for row in view.rows:
        writer.writerow(_distribution_row(_("distribution"), chosen, row.name, row.figure, too_few))
    for quarter, figure in view.quarters:
        writer.writerow(_distribution_row(_("trend"), quarter, _("Overall"), figure, too_few))
    for section, items in [(_("holding back"), view.holding_back), (_("measures started"), view.measures)]:
        for item in items:
            writer.writerow(
                [section, chosen, item.field, item.code, item.text, "", "", "", "", "", item.organisations]
            )
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="CJM-Markt.csv"'
    return response


def _distribution_row(section, quarter, name, figure, too_few) -> list:
    if figure is None:
        return [section, quarter, name, "", "", "", "", "", "", "", "", "", "", "", too_few]
    return [
        section,
        quarter,
        name,
        "",
        "",
        *figure.counts,
        figure.n,
        figure.organisations,
        round(figure.q1, 2),
        round(figure.median, 2),
        round(figure.q3, 2),
        "",
    ]
