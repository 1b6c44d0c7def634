"""The consultant's roadmap editor: targets and frame, re-planning, the quarterly review, own measures.

Every page is found through access.get_roadmap_for (404 for anything foreign); each POST calls one service.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from roadmap import services
from roadmap.access import get_roadmap_for, roadmap_of
from roadmap.forms import CustomItemForm, ItemForm, RevisionForm, SettingsForm, UnitTargetsForm
from roadmap.models import Roadmap, RoadmapItem
from roadmap.presentation import roadmap_view
from roadmap.unit_plans import unit_plan
from standortbestimmung.access import get_assessment_for
from standortbestimmung.grouping import groups_of
from standortbestimmung.models import Segment
from standortbestimmung.result import AssessmentResult, assessment_result, previous_assessment
from standortbestimmung.scoring import FieldCode


def _edit_page(
    request,
    roadmap: Roadmap,
    *,
    result: AssessmentResult | None = None,
    settings_form=None,
    custom_form=None,
    status=200,
):
    result = result or assessment_result(roadmap.assessment)
    previous = previous_assessment(roadmap.assessment)
    plan = roadmap_view(
        roadmap,
        result,
        previous=assessment_result(previous) if previous else None,
        with_suggestions=True,
    )
    for view in [*plan.quarters, plan.later]:
        for item in view.items:
            item.form = ItemForm.for_item(item)
    return render(
        request,
        "roadmap/edit.html",
        {
            "plan": plan,
            "assessment": roadmap.assessment,
            "settings_form": settings_form or SettingsForm.for_roadmap(roadmap, result.profile),
            "custom_form": custom_form
            or CustomItemForm(roadmap=roadmap, initial={"revision": roadmap.revision}),
            "units": _units(roadmap.assessment),
        },
        status=status,
    )


def _units(assessment) -> list[Segment]:
    """The business units a roadmap can also be planned for."""
    return list(assessment.segments.filter(dimension=Segment.Dimension.UNIT).order_by("position", "pk"))


@login_required
@require_GET
def edit(request, key):
    assessment = get_assessment_for(request, key)
    roadmap = roadmap_of(assessment)
    if roadmap is None:  # started before a catalogue was published: offer to plan it now
        return render(request, "roadmap/missing.html", {"assessment": assessment})
    return _edit_page(request, roadmap)


def _refused(request, roadmap, error: ValidationError, **forms):
    for message in error.messages:
        messages.error(request, message)
    status = 409 if isinstance(error, services.StaleRoadmap) else 400
    return _edit_page(request, roadmap, status=status, **forms)


@login_required
@require_POST
def settings_save(request, key):
    roadmap = get_roadmap_for(request, key)
    result = assessment_result(roadmap.assessment)
    form = SettingsForm(request.POST, roadmap=roadmap, profile=result.profile)
    if not form.is_valid():
        return _edit_page(request, roadmap, result=result, settings_form=form, status=400)
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
        return _refused(request, roadmap, error)
    messages.success(
        request, _("Settings saved and the roadmap re-planned. Items you edited stayed where they are.")
    )
    return redirect("workspace:roadmap:edit", key=key)


@login_required
@require_POST
def replan(request, key):
    assessment = get_assessment_for(request, key)
    form = RevisionForm(request.POST)
    roadmap = roadmap_of(assessment)
    if not form.is_valid():
        if roadmap is None:
            return render(request, "roadmap/missing.html", {"assessment": assessment}, status=400)
        return _edit_page(request, roadmap, status=400)
    try:
        services.roadmap_replan(assessment=assessment, expected_revision=form.cleaned_data["revision"])
    except ValidationError as error:
        if roadmap is None:
            messages.error(request, error.messages[0])
            return render(request, "roadmap/missing.html", {"assessment": assessment}, status=400)
        return _refused(request, roadmap, error)
    messages.success(request, _("Re-planned. Items you edited, started or finished stayed where they are."))
    return redirect("workspace:roadmap:edit", key=key)


@login_required
@require_POST
def item_save(request, key, item_id):
    roadmap = get_roadmap_for(request, key)
    item = get_object_or_404(RoadmapItem.objects.select_related("measure"), pk=item_id, roadmap=roadmap)
    form = ItemForm(request.POST, roadmap=roadmap, item=item, prefix=f"item{item.pk}")
    if not form.is_valid():
        for name, errors in form.errors.items():
            messages.error(
                request, f"{form.fields[name].label if name in form.fields else name}: {errors[0]}"
            )
        return _edit_page(request, roadmap, status=400)
    try:
        services.item_update(
            item=item,
            expected_revision=form.cleaned_data["revision"],
            when=form.cleaned_data["when"],
            status=form.cleaned_data["status"],
            owner=form.cleaned_data["owner"],
            note=form.cleaned_data["note"],
            progress=form.cleaned_data["progress"],
        )
    except ValidationError as error:
        return _refused(request, roadmap, error)
    messages.success(request, _("“%(title)s” saved.") % {"title": item.display_title})
    return redirect(reverse("workspace:roadmap:edit", args=[key]) + f"#item-{item.pk}")


@login_required
@require_POST
def custom_add(request, key):
    roadmap = get_roadmap_for(request, key)
    form = CustomItemForm(request.POST, roadmap=roadmap)
    if not form.is_valid():
        return _edit_page(request, roadmap, custom_form=form, status=400)
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
        return _refused(request, roadmap, error, custom_form=form)
    messages.success(request, _("Your measure was added."))
    return redirect("workspace:roadmap:edit", key=key)


def _unit_page(request, roadmap: Roadmap, segment: Segment, *, form=None, status=200):
    result = assessment_result(roadmap.assessment)
    plan = unit_plan(roadmap, result, groups_of(result), segment)
    if form is None and plan.shown:
        initial = {f"target_{code}": level for code, level in plan.targets.items()}
        form = UnitTargetsForm(profile=plan.profile, initial=initial)
    return render(
        request,
        "roadmap/unit.html",
        {
            "plan": plan,
            "assessment": roadmap.assessment,
            "form": form,
            "units": _units(roadmap.assessment),
            "current_unit": segment,
        },
        status=status,
    )


def _unit_of(roadmap: Roadmap, segment_id) -> Segment:
    return get_object_or_404(
        Segment, pk=segment_id, assessment=roadmap.assessment, dimension=Segment.Dimension.UNIT
    )


@login_required
@require_GET
def unit(request, key, segment_id):
    """The roadmap planned for one business unit: its levels, its targets, its quarters (not stored)."""
    roadmap = get_roadmap_for(request, key)
    return _unit_page(request, roadmap, _unit_of(roadmap, segment_id))


@login_required
@require_POST
def unit_targets(request, key, segment_id):
    roadmap = get_roadmap_for(request, key)
    segment = _unit_of(roadmap, segment_id)
    result = assessment_result(roadmap.assessment)
    plan = unit_plan(roadmap, result, groups_of(result), segment)
    if not plan.shown:
        messages.error(
            request, _("This unit has too few answers for a result of its own, so it has no targets yet.")
        )
        return _unit_page(request, roadmap, segment, status=400)
    form = UnitTargetsForm(request.POST, profile=plan.profile)
    if not form.is_valid():
        return _unit_page(request, roadmap, segment, form=form, status=400)
    try:
        services.unit_targets_update(segment=segment, targets=form.targets())
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return _unit_page(request, roadmap, segment, status=400)
    messages.success(request, _("Targets of %(unit)s saved; its plan follows them.") % {"unit": segment.name})
    return redirect("workspace:roadmap:unit", key=key, segment_id=segment.pk)
