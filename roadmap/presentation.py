"""The roadmap as pages and the report show it: quarters with their items, progress and projected levels."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from roadmap.models import Roadmap, RoadmapItem
from roadmap.planning import Quarter, Reason
from roadmap.services import roadmap_projection
from standortbestimmung.scoring import FIELD_ORDER, Level
from standortbestimmung.services import assessment_levels


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


def reason_text(
    item: RoadmapItem, field_names: dict[str, str], question_texts: dict[str, str], titles: dict[str, str]
) -> str:
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


def roadmap_view(roadmap: Roadmap, content, levels=None) -> dict:
    """Quarters, later items and projection table of a roadmap, ready for a template.

    levels is the (profile, answers) pair of the assessment when the caller has it already.
    """
    field_names = {f.code: f.name for f in content.fields}
    items = _annotated(roadmap, roadmap.items.all(), content)
    quarters = {q: QuarterView(q) for q in roadmap.quarters()}
    later = QuarterView(None)
    earlier = QuarterView(None)  # finished before this roadmap's first quarter (carried from the last one)
    for item in items:
        if item.when and item.when < roadmap.start:
            earlier.items.append(item)
        else:
            (quarters.get(item.when) or later).items.append(item)
    for view in quarters.values():
        view.focus = _focus(view, field_names)
    levels = levels or assessment_levels(assessment=roadmap.assessment, content=content)
    projection = roadmap_projection(roadmap, items, levels)
    levels_now = levels[0]
    rows = []
    for code in FIELD_ORDER:
        target = Level(roadmap.targets.get(code.value, Level.ADOPT))
        levels_by_quarter = [p[code] for p in projection]
        reached = next(
            (q for q, lv in zip(roadmap.quarters(), levels_by_quarter, strict=True) if lv >= target), None
        )
        rows.append(
            {
                "field": field_names.get(code.value, code.value),
                "code": code.value,
                "today": levels_now.field(code).level,
                "levels": levels_by_quarter,
                "target": target,
                "reached": reached,
            }
        )
    return {
        "roadmap": roadmap,
        "quarters": list(quarters.values()),
        "later": later,
        "earlier": earlier,
        "projection": rows,
    }


def _focus(view: QuarterView, field_names: dict[str, str]) -> list[str]:
    """The fields a quarter works on most, by number of active items."""
    counts: dict[str, int] = {}
    for item in view.active:
        key = item.for_field or item.field
        counts[key] = counts.get(key, 0) + 1
    order = [code.value for code in FIELD_ORDER]
    return [field_names.get(c, c) for c in sorted(counts, key=lambda c: (-counts[c], order.index(c)))]


def first_quarter(view: dict) -> QuarterView | None:
    return next((q for q in view["quarters"] if q.active), None)


def first_quarter_of(roadmap: Roadmap, content) -> QuarterView | None:
    """The same as first_quarter(roadmap_view(...)) for the result page's preview, from the items of one
    quarter (usually the first) instead of the whole plan and its projection."""
    for quarter in roadmap.quarters():
        items = roadmap.items.filter(year=quarter.year, quarter=quarter.number)
        view = QuarterView(quarter, _annotated(roadmap, items, content))
        if view.active:
            view.focus = _focus(view, {f.code: f.name for f in content.fields})
            return view
    return None


def _annotated(roadmap: Roadmap, items, content) -> list[RoadmapItem]:
    """Items in plan order, each with the line on why it is there and the name of its field."""
    field_names = {f.code: f.name for f in content.fields}
    question_texts = {q.code: q.text for q in content.questions.values()}
    items = list(items.select_related("measure").order_by("year", "quarter", "position", "pk"))
    enabled = {item.enables for item in items if item.enables}
    titles = {m.code: m.title for m in roadmap.catalogue.measures.filter(code__in=enabled)} if enabled else {}
    for item in items:
        item.reason_line = reason_text(item, field_names, question_texts, titles)
        item.field_name = field_names.get(item.field, item.field)
    return items
