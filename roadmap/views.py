from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseNotModified
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cjm_assess.translation import LANGUAGE_CODES
from roadmap import exports, pdf, services
from roadmap.forms import CustomItemForm, ItemForm, RevisionForm, SettingsForm
from roadmap.models import RoadmapItem
from roadmap.presentation import roadmap_view
from standortbestimmung import access
from standortbestimmung.content import questionnaire_of
from standortbestimmung.scoring import FieldCode
from standortbestimmung.services import assessment_levels
from standortbestimmung.views import bad_request, private


@private
@require_GET
def plan(request, key):
    """The full roadmap, read-only, for the participant of a self-assessment."""
    participant = access.get_self_assessor_for(request, key)
    assessment = participant.assessment
    roadmap = services.roadmap_get_or_create(assessment=assessment)
    context = roadmap_view(roadmap, questionnaire_of(assessment))
    return render(
        request, "roadmap/plan.html", {**context, "participant": participant, "assessment": assessment}
    )


def _edit_page(request, assessment, roadmap, *, settings_form=None, custom_form=None, status=200):
    content = questionnaire_of(assessment)
    levels = assessment_levels(assessment=assessment, content=content)
    profile = levels[0]
    context = roadmap_view(roadmap, content, levels)
    settings_form = settings_form or SettingsForm(
        roadmap=roadmap,
        profile=profile,
        initial={
            "revision": roadmap.revision,
            "start": f"{roadmap.start.year}-{roadmap.start.number}",
            "horizon": roadmap.horizon,
            "capacity": roadmap.capacity,
            "capacity_in_points": roadmap.capacity_in_points,
            **{f"target_{code}": level for code, level in roadmap.targets.items()},
        },
    )
    for view in [*context["quarters"], context["later"]]:
        for item in view.items:
            item.form = ItemForm(
                roadmap=roadmap,
                item=item,
                prefix=f"item{item.pk}",
                initial={
                    "revision": roadmap.revision,
                    "when": f"{item.year}-{item.quarter}" if item.when else "later",
                    "status": item.status,
                    "owner": item.owner,
                    "note": item.note,
                },
            )
    custom_form = custom_form or CustomItemForm(roadmap=roadmap, initial={"revision": roadmap.revision})
    return render(
        request,
        "roadmap/edit.html",
        {
            **context,
            "assessment": assessment,
            "profile": profile,
            "settings_form": settings_form,
            "custom_form": custom_form,
            "revision": roadmap.revision,
        },
        status=status,
    )


@login_required
@require_GET
def edit(request, key):
    assessment = access.get_assessment_for(request, key)
    roadmap = services.roadmap_get_or_create(assessment=assessment)
    return _edit_page(request, assessment, roadmap)


def _refused(request, assessment, roadmap, error: ValidationError, **forms):
    for message in error.messages:
        messages.error(request, message)
    return _edit_page(
        request, assessment, roadmap, status=409 if isinstance(error, services.StaleRoadmap) else 400, **forms
    )


@login_required
@require_POST
def settings_save(request, key):
    assessment = access.get_assessment_for(request, key)
    roadmap = services.roadmap_get_or_create(assessment=assessment)
    profile, _answers = assessment_levels(assessment=assessment)
    form = SettingsForm(request.POST, roadmap=roadmap, profile=profile)
    if not form.is_valid():
        return _edit_page(request, assessment, roadmap, settings_form=form, status=400)
    try:
        services.roadmap_settings_update(
            roadmap=roadmap,
            expected_revision=form.cleaned_data["revision"],
            targets=form.targets(),
            start=form.cleaned_data["start"],
            horizon=form.cleaned_data["horizon"],
            capacity=form.cleaned_data["capacity"],
            capacity_in_points=form.cleaned_data["capacity_in_points"],
        )
    except ValidationError as error:
        return _refused(request, assessment, roadmap, error)
    messages.success(
        request, _("Settings saved and the roadmap re-planned. Items you edited stayed where they are.")
    )
    return redirect("roadmap_edit", key=key)


@login_required
@require_POST
def replan(request, key):
    assessment = access.get_assessment_for(request, key)
    roadmap = services.roadmap_get_or_create(assessment=assessment)
    form = RevisionForm(request.POST)
    if not form.is_valid():
        return _edit_page(request, assessment, roadmap, status=400)
    try:
        services.roadmap_replan(roadmap=roadmap, expected_revision=form.cleaned_data["revision"])
    except ValidationError as error:
        return _refused(request, assessment, roadmap, error)
    messages.success(request, _("Re-planned. Items you edited, started or finished stayed where they are."))
    return redirect("roadmap_edit", key=key)


@login_required
@require_POST
def item_save(request, key, item_id):
    assessment = access.get_assessment_for(request, key)
    roadmap = services.roadmap_get_or_create(assessment=assessment)
    item = get_object_or_404(RoadmapItem, pk=item_id, roadmap=roadmap)
    form = ItemForm(request.POST, roadmap=roadmap, item=item, prefix=f"item{item.pk}")
    if not form.is_valid():
        for name, errors in form.errors.items():
            messages.error(
                request, f"{form.fields[name].label if name in form.fields else name}: {errors[0]}"
            )
        return _edit_page(request, assessment, roadmap, status=400)
    try:
        services.item_update(
            item=item,
            expected_revision=form.cleaned_data["revision"],
            when=form.cleaned_data["when"],
            status=form.cleaned_data["status"],
            owner=form.cleaned_data["owner"],
            note=form.cleaned_data["note"],
        )
    except ValidationError as error:
        return _refused(request, assessment, roadmap, error)
    messages.success(request, _("“%(title)s” saved.") % {"title": item.display_title})
    return redirect(reverse("roadmap_edit", args=[key]) + f"#item-{item.pk}")


@login_required
@require_POST
def custom_add(request, key):
    assessment = access.get_assessment_for(request, key)
    roadmap = services.roadmap_get_or_create(assessment=assessment)
    form = CustomItemForm(request.POST, roadmap=roadmap)
    if not form.is_valid():
        return _edit_page(request, assessment, roadmap, custom_form=form, status=400)
    try:
        services.item_add_custom(
            roadmap=roadmap,
            expected_revision=form.cleaned_data["revision"],
            title=form.cleaned_data["title"],
            description=form.cleaned_data["description"],
            field=FieldCode(form.cleaned_data["field"]),
            when=form.cleaned_data["when"],
        )
    except ValidationError as error:
        return _refused(request, assessment, roadmap, error, custom_form=form)
    messages.success(request, _("Your measure was added."))
    return redirect("roadmap_edit", key=key)


def _pdf_response(request, assessment):
    language = request.GET.get("lang") or assessment.language
    if language not in LANGUAGE_CODES:
        return bad_request(request, _("This language is not available."))
    digest = pdf.report_digest(assessment, language)
    etag = f'"{digest}"'
    if request.headers.get("If-None-Match") == etag:
        return HttpResponseNotModified(headers={"ETag": etag})
    content, _digest = pdf.report_pdf(assessment, language, digest)
    name = slugify(assessment.organisation)[:60] or "report"
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="CJM-Standortbestimmung-{name}-{language}.pdf"'
    response["ETag"] = etag
    return response


@private
@require_GET
def report_for_participant(request, key):
    """The PDF report for the person who answered a self-assessment."""
    return _pdf_response(request, access.get_self_assessor_for(request, key).assessment)


@login_required
@require_GET
def report_for_owner(request, key):
    """The PDF report for the consultant who owns the assessment."""
    return _pdf_response(request, access.get_assessment_for(request, key))


def _export_response(assessment, kind: str):
    name = slugify(assessment.organisation)[:60] or "assessment"
    if kind == "json":
        response = HttpResponse(
            exports.export_json(assessment), content_type="application/json; charset=utf-8"
        )
    else:
        response = HttpResponse(exports.export_csv(assessment), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="CJM-Standortbestimmung-{name}.{kind}"'
    return response


@private
@require_GET
def export_for_participant(request, key, kind):
    """The participant's own data, machine-readable (JSON or CSV)."""
    return _export_response(access.get_self_assessor_for(request, key).assessment, kind)


@login_required
@require_GET
def export_for_owner(request, key, kind):
    return _export_response(access.get_assessment_for(request, key), kind)


@private
@require_GET
def my_data(request, key):
    """A participant's own data (GDPR): also for workshop participants, who see nobody else's answers."""
    participant = access.get_participant_for(request, key)
    response = HttpResponse(
        exports.export_participant(participant), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="meine-daten.json"'
    return response


@login_required
@require_GET
def client_data(request, pk):
    client = access.get_client_for(request, pk)
    response = HttpResponse(exports.export_client(client), content_type="application/json; charset=utf-8")
    name = slugify(client.name)[:60] or "client"
    response["Content-Disposition"] = f'attachment; filename="CJM-Kunde-{name}.json"'
    return response
