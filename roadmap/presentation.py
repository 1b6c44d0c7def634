"""The roadmap as pages and the report show it: quarters with their items, progress and projected levels."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from roadmap import planning
from roadmap.measures import catalogue_specs
from roadmap.models import Roadmap, RoadmapItem
from roadmap.planning import Reason
from roadmap.quarters import Quarter
from standortbestimmung.questionnaire import Questionnaire
from standortbestimmung.result import AssessmentResult
from standortbestimmung.scoring import FIELD_ORDER, Level, Profile


@dataclass
class QuarterView:
    quarter: Quarter | None
    items: list[RoadmapItem] = field(default_factory=list)
    focus: list[str] = field(default_factory=list)

    @property
    def active(self) -> list[RoadmapItem]:
        return [i for i in self.items if i.status != RoadmapItem.Status.DROPPED]

    @property
    def done(self) -> int:
        return sum(1 for i in self.active if i.status == RoadmapItem.Status.DONE)

    @property
    def percent(self) -> int:
        return round(100 * self.done / len(self.active)) if self.active else 0


@dataclass(frozen=True)
class ProjectionRow:
    """One field's way through the plan: today's level, the projected level per quarter, the target."""

    field: str  # the field's name
    code: str
    today: Level | None
    levels: list[Level]
    target: Level
    reached: Quarter | None  # the first quarter at the target, None when not within the horizon


@dataclass(frozen=True)
class RoadmapView:
    """A roadmap ready for a page or the report, built once per request."""

    roadmap: Roadmap
    quarters: list[QuarterView]
    later: QuarterView
    earlier: QuarterView  # finished before the first quarter (carried from the previous roadmap)
    projection: list[ProjectionRow]

    @property
    def first_quarter(self) -> QuarterView | None:
        """The first quarter with something to do."""
        return next((q for q in self.quarters if q.active), None)


def reason_text(item: RoadmapItem, field_names: dict[str, str], question_texts: dict[str, str]) -> str:
    """One line on why the item is in the plan, naming the gap it closes."""
    name = field_names.get(item.for_field or item.field, item.field)
    level = Level(item.target_level).label
    if item.measure_id is None:
        return _("Added by the consultant.")
    if item.reason == Reason.PREREQUISITE:
        return _("Needed first by a measure for %(field)s (%(code)s).") % {
            "field": name,
            "code": item.enables,
        }
    if item.reason == Reason.SUSTAIN:
        return _("Keeps %(field)s at Commit.") % {"field": name}
    lagging = [question_texts[c] for c in item.measure.question_codes if c in question_texts][:2]
    if item.reason == Reason.GAP:
        text = _("Lifts practices of %(field)s that lag behind its level.") % {"field": name}
    else:
        text = _("Closes the gap to %(level)s in %(field)s.") % {"level": level, "field": name}
    if lagging:
        text += " " + _("Improves: %(questions)s") % {"questions": " · ".join(lagging)}
    return text


def roadmap_view(roadmap: Roadmap, result: AssessmentResult) -> RoadmapView:
    """Quarters, later items and the projection of a roadmap, from the result it was planned for."""
    field_names = result.questionnaire.field_names()
    items = _annotated(roadmap.items.all(), result.questionnaire)
    quarters = {q: QuarterView(q) for q in roadmap.quarters()}
    later, earlier = QuarterView(None), QuarterView(None)
    for item in items:
        if item.when and item.when < roadmap.start:
            earlier.items.append(item)
        else:
            (quarters.get(item.when) or later).items.append(item)
    for view in quarters.values():
        view.focus = _focus(view, field_names)
    projected = planning.projection(
        goals=roadmap.goals(result.profile),
        measures=catalogue_specs(roadmap.catalogue),
        items=[item.fixed() for item in items if item.measure_id],
        start=roadmap.start,
        horizon=roadmap.horizon,
        answers=result.answers,
    )
    rows = projection_rows(roadmap.quarters(), projected, roadmap.targets, result.profile, field_names)
    return RoadmapView(roadmap, list(quarters.values()), later, earlier, rows)


def projection_rows(
    quarters: list[Quarter],
    projected: list[dict],
    targets: dict[str, int],
    profile: Profile,
    field_names: dict[str, str],
) -> list[ProjectionRow]:
    """One row per field: today's level, the projected level per quarter, the target and when it is reached."""
    rows = []
    for code in FIELD_ORDER:
        target = Level(targets.get(code.value, Level.ADOPT))
        levels = [p[code] for p in projected]
        rows.append(
            ProjectionRow(
                field=field_names.get(code.value, code.value),
                code=code.value,
                today=profile.field(code).level,
                levels=levels,
                target=target,
                reached=planning.first_reached(quarters, levels, target),
            )
        )
    return rows


def _focus(view: QuarterView, field_names: dict[str, str]) -> list[str]:
    """The fields a quarter works on most, by number of active items."""
    counts: dict[str, int] = {}
    for item in view.active:
        key = item.for_field or item.field
        counts[key] = counts.get(key, 0) + 1
    order = [code.value for code in FIELD_ORDER]
    return [field_names.get(c, c) for c in sorted(counts, key=lambda c: (-counts[c], order.index(c)))]


def first_quarter_of(roadmap: Roadmap, questionnaire: Questionnaire) -> QuarterView | None:
    """The same as roadmap_view(...).first_quarter for the result page's preview, from the items of one
    quarter (usually the first) instead of the whole plan and its projection."""
    for quarter in roadmap.quarters():
        items = roadmap.items.filter(year=quarter.year, quarter=quarter.number)
        view = QuarterView(quarter, _annotated(items, questionnaire))
        if view.active:
            view.focus = _focus(view, questionnaire.field_names())
            return view
    return None


def _annotated(items, questionnaire: Questionnaire) -> list[RoadmapItem]:
    """Items in plan order, each with the line on why it is there and the name of its field."""
    field_names = questionnaire.field_names()
    question_texts = {q.code: q.text for q in questionnaire.questions.values()}
    items = list(items.select_related("measure").order_by("year", "quarter", "position", "pk"))
    for item in items:
        item.reason_line = reason_text(item, field_names, question_texts)
        item.field_name = field_names.get(item.field, item.field)
    return items
