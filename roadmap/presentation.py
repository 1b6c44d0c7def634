"""The roadmap as pages and the report show it: quarters with their items, focus, projection, progress."""

from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from roadmap import planning
from roadmap.access import roadmap_of
from roadmap.catalogue import carrying_codes
from roadmap.charts import BurnUpChart, burnup_chart
from roadmap.measures import catalogue_specs
from roadmap.models import Measure, Roadmap, RoadmapItem
from roadmap.planning import FieldOutlook, Reason, Stance, Suggestion
from roadmap.progress import BurnUp, Track, burnup
from roadmap.quarters import Quarter
from standortbestimmung.presentation import join_names
from standortbestimmung.questionnaire import Questionnaire
from standortbestimmung.result import AssessmentResult
from standortbestimmung.scoring import FIELD_ORDER, FieldCode, Level


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
    """One field's way through the plan: today's level, the projected level per quarter, the target, and what
    the plan does for it (focus or later, and why)."""

    field: str  # the field's name
    code: str
    today: Level | None
    levels: list[Level]
    target: Level
    outlook: FieldOutlook
    why: str  # for a field left for later: why, in a sentence

    @property
    def reached(self) -> Quarter | None:
        """The first quarter at the target, None when not within the horizon."""
        return self.outlook.reached

    @property
    def at_horizon(self) -> Level:
        return self.outlook.level


@dataclass(frozen=True)
class TrackRecordRow:
    """A field across a re-assessment: where the previous plan expected it, and where it was measured."""

    field: str
    before: Level | None  # measured in the previous assessment
    expected: Level | None  # projected by the previous plan for the quarter before this assessment
    measured: Level | None  # measured now

    @property
    def verdict(self) -> str:
        """ "ahead", "as_planned" or "behind" (empty when one of the levels is missing)."""
        if self.expected is None or self.measured is None:
            return ""
        if self.measured > self.expected:
            return "ahead"
        return "as_planned" if self.measured == self.expected else "behind"


@dataclass(frozen=True)
class TrackRecord:
    previous: object  # the previous Assessment
    by_quarter: Quarter | None  # the quarter whose end the expectation is for; None: no quarter had ended
    rows: list[TrackRecordRow]


@dataclass(frozen=True)
class SuggestionView:
    """A change that would let the plan reach every target, with the settings to apply it."""

    text: str
    settings: dict  # the settings form's values with the change


@dataclass(frozen=True)
class RoadmapView:
    """A roadmap ready for a page or the report, built once per request."""

    roadmap: Roadmap
    quarters: list[QuarterView]
    later: QuarterView
    earlier: QuarterView  # finished before the first quarter (carried from the previous roadmap)
    projection: list[ProjectionRow]
    focus: list[str]  # the names of the focus fields, biggest lever first
    progress: BurnUp
    chart: BurnUpChart
    suggestions: list[SuggestionView] = field(default_factory=list)
    track_record: TrackRecord | None = None

    @property
    def first_quarter(self) -> QuarterView | None:
        """The first quarter with something to do."""
        return next((q for q in self.quarters if q.active), None)

    @property
    def later_fields(self) -> list[ProjectionRow]:
        """The fields left for later, in the order they start (those after the horizon last)."""
        later = [row for row in self.projection if row.outlook.stance == Stance.LATER]
        return sorted(later, key=lambda row: (row.outlook.starts is None, row.outlook.starts or 0))

    @property
    def holding_fields(self) -> list[ProjectionRow]:
        return [row for row in self.projection if row.outlook.stance == Stance.HOLDS]

    @property
    def missed(self) -> list[ProjectionRow]:
        """The fields that do not reach their target within the horizon."""
        return [row for row in self.projection if not row.outlook.on_target]

    @property
    def all_on_one_level(self) -> bool:
        return len({row.today for row in self.projection}) == 1


def reason_text(
    item: RoadmapItem,
    field_names: dict[str, str],
    question_texts: dict[str, str],
    titles: dict[str, str] | None = None,
    carrying: frozenset[str] = frozenset(),
) -> str:
    """One line on why the item is in the plan, naming the gap it closes (or the measure it enables)."""
    name = field_names.get(item.for_field or item.field, item.field)
    level = Level(item.target_level).label
    if item.measure_id is None:
        return _("Added by the consultant.")
    if item.reason == Reason.PREREQUISITE:
        enabled = (titles or {}).get(item.enables)
        if enabled:
            return _("Needed first for “%(measure)s” (%(field)s).") % {"measure": enabled, "field": name}
        return _("Needed first by a measure for %(field)s.") % {"field": name}
    if item.reason == Reason.SUSTAIN:
        return _("Keeps %(field)s at Commit.") % {"field": name}
    lagging = [question_texts[c] for c in item.measure.question_codes if c in question_texts][:2]
    if item.reason == Reason.GAP:
        text = _("Lifts practices of %(field)s that lag behind its level.") % {"field": name}
    elif item.measure.code in carrying:
        text = _("Carries %(level)s in %(field)s: one of the few measures the level rests on.") % {
            "level": level,
            "field": name,
        }
    else:
        text = _("Deepens %(level)s in %(field)s once the measures that carry it are done.") % {
            "level": level,
            "field": name,
        }
    if lagging:
        text += " " + _("Improves: %(questions)s") % {"questions": " · ".join(lagging)}
    return text


def roadmap_view(
    roadmap: Roadmap,
    result: AssessmentResult,
    *,
    previous: AssessmentResult | None = None,
    with_suggestions: bool = False,
    today: date | None = None,
) -> RoadmapView:
    """Quarters, later items, focus, projection and progress of a roadmap, from the result it was planned for.

    previous: the client's previous assessment, to set what its plan expected next to what is measured now.
    with_suggestions: when the targets do not fit, the changes that would make them fit (for the editor).
    """
    today = today or timezone.localdate()
    field_names = result.questionnaire.field_names()
    specs = catalogue_specs(roadmap.catalogue)
    items = _annotated(roadmap, roadmap.items.all(), result.questionnaire, carrying_codes(specs))
    quarters = {q: QuarterView(q) for q in roadmap.quarters()}
    later, earlier = QuarterView(None), QuarterView(None)
    for item in items:
        if item.when and item.when < roadmap.start:
            earlier.items.append(item)
        else:
            (quarters.get(item.when) or later).items.append(item)
    for view in quarters.values():
        view.focus = _focus(view, field_names)
    goals = roadmap.goals(result.profile)
    projected = planning.projection(
        goals=goals,
        measures=specs,
        items=[item.fixed() for item in items if item.measure_id],
        start=roadmap.start,
        horizon=roadmap.horizon,
        answers=result.answers,
    )
    rows, focus = field_outlook(
        goals=goals,
        measures=specs,
        views=quarters.values(),
        frame=roadmap.quarters(),
        projected=projected,
        capacity=roadmap.capacity,
        answers=result.answers,
        field_names=field_names,
    )
    tracks = [
        Track(view.quarter, view.quarter + (item.duration - 1), tuple(item.history))
        for view in quarters.values()
        for item in view.active
    ]
    progress = burnup(tracks, roadmap.quarters(), today)
    return RoadmapView(
        roadmap=roadmap,
        quarters=list(quarters.values()),
        later=later,
        earlier=earlier,
        projection=rows,
        focus=[field_names.get(f.value, f.value) for f in focus],  # as focus_names()
        progress=progress,
        chart=burnup_chart(progress),
        suggestions=_suggestions(roadmap, result, items, goals, field_names) if with_suggestions else [],
        track_record=_track_record(result, previous) if previous else None,
    )


def field_outlook(
    *,
    goals: list[planning.FieldGoal],
    measures,
    views,
    frame: list[Quarter],
    projected: list[dict],
    capacity: int,
    answers,
    field_names: dict[str, str],
) -> tuple[list[ProjectionRow], tuple[FieldCode, ...]]:
    """One row per field (today's level, the projected level per quarter, the target, focus or later and why)
    and the focus fields, for a plan whose quarters (views) start the fields' measures."""
    focus = planning.focus_fields(goals, capacity)
    starts: dict[FieldCode, Quarter] = {}
    for view in views:
        for item in view.active:
            starts.setdefault(FieldCode(item.field), view.quarter)
    outlook = planning.outlook(
        goals=goals,
        measures=measures,
        focus=focus,
        quarters=frame,
        projected=projected,
        starts=starts,
        answers=answers,
    )
    rows = [
        ProjectionRow(
            field=field_names.get(goal.field.value, goal.field.value),
            code=goal.field.value,
            today=goal.level,
            levels=[p[goal.field] for p in projected],
            target=goal.target,
            outlook=seen,
            why=_why(seen, goals, focus, field_names),
        )
        for goal, seen in zip(goals, outlook, strict=True)
    ]
    rows.sort(key=lambda row: FIELD_ORDER.index(FieldCode(row.code)))
    return rows, focus


def _why(seen: FieldOutlook, goals, focus, field_names) -> str:
    """Why a field is left for later, in a sentence (empty for the others)."""
    if seen.stance != Stance.LATER:
        return ""
    names = [field_names.get(f.value, f.value) for f in seen.builds_on]
    goal = next(g for g in goals if g.field == seen.field)
    parts = []
    if seen.stronger:
        parts.append(
            _("it already stands at %(level)s, the weaker fields come first") % {"level": goal.current.label}
        )
    if names:
        parts.append(_("its next measures build on %(fields)s") % {"fields": join_names(names)})
    if not parts:
        same = [field_names.get(f.value, f.value) for f in focus]
        parts.append(
            _("on the same level, the method builds %(level)s on %(fields)s first")
            % {"level": Level(goal.current + 1).label, "fields": join_names(same)}
        )
    return "; ".join(parts)


def _suggestions(roadmap, result, items, goals, field_names) -> list[SuggestionView]:
    found = planning.suggestions(
        goals=goals,
        measures=catalogue_specs(roadmap.catalogue),
        start=roadmap.start,
        horizon=roadmap.horizon,
        capacity=roadmap.capacity,
        capacity_in_points=roadmap.capacity_in_points,
        fixed=[item.fixed() for item in items if item.measure_id and item.is_kept_on_replan],
        answers=result.answers,
    )
    views = []
    for s in found:
        settings = {
            "revision": roadmap.revision,
            "start": roadmap.start.code,
            "horizon": s.horizon,
            "capacity": s.capacity,
            "capacity_in_points": roadmap.capacity_in_points,
            **{f"target_{g.field.value}": int(g.target) for g in goals},
        }
        if s.field is not None:
            settings[f"target_{s.field.value}"] = int(s.target)
        views.append(SuggestionView(_suggestion_text(s, roadmap, goals, field_names), settings))
    return views


def _suggestion_text(s: Suggestion, roadmap: Roadmap, goals, field_names) -> str:
    if s.field is not None:
        before = next(g.target for g in goals if g.field == s.field)
        return _("the target of %(field)s one level lower: %(new)s instead of %(old)s") % {
            "field": field_names.get(s.field.value, s.field.value),
            "new": s.target.label,
            "old": before.label,
        }
    numbers = {"new": s.capacity, "old": roadmap.capacity}
    if s.capacity != roadmap.capacity and roadmap.capacity_in_points:
        return _("one more effort point per quarter (%(new)s instead of %(old)s)") % numbers
    if s.capacity != roadmap.capacity:
        return _("one more measure per quarter (%(new)s instead of %(old)s)") % numbers
    numbers = {"new": s.horizon, "old": roadmap.horizon}
    if s.horizon - roadmap.horizon == 2:
        return _("two more quarters (%(new)s instead of %(old)s)") % numbers
    return _("a longer horizon: %(new)s quarters instead of %(old)s") % numbers


def _track_record(result: AssessmentResult, previous: AssessmentResult) -> TrackRecord:
    """What the previous assessment's plan expected for the quarter before this assessment, next to now."""
    names = result.questionnaire.field_names()
    old = roadmap_of(previous.assessment)
    expected: dict[FieldCode, Level] = {}
    by_quarter = None
    if old is not None:
        ended = Quarter.containing(timezone.localdate(result.assessment.created_at)) + -1
        if ended >= old.start:
            by_quarter = min(ended, old.start + (old.horizon - 1))
            specs = catalogue_specs(old.catalogue)
            fixed = [i.fixed() for i in old.items.select_related("measure") if i.measure_id]
            projected = planning.projection(
                goals=old.goals(previous.profile),
                measures=specs,
                items=fixed,
                start=old.start,
                horizon=by_quarter - old.start + 1,
                answers=previous.answers,
            )
            expected = projected[-1]
    rows = [
        TrackRecordRow(
            field=names.get(code.value, code.value),
            before=previous.profile.field(code).level,
            expected=expected.get(code) if expected else previous.profile.field(code).level,
            measured=result.profile.field(code).level,
        )
        for code in FIELD_ORDER
    ]
    return TrackRecord(previous.assessment, by_quarter, rows)


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
    carrying = carrying_codes(catalogue_specs(roadmap.catalogue))
    for quarter in roadmap.quarters():
        items = roadmap.items.filter(year=quarter.year, quarter=quarter.number)
        view = QuarterView(quarter, _annotated(roadmap, items, questionnaire, carrying, with_history=False))
        if view.active:
            view.focus = _focus(view, questionnaire.field_names())
            return view
    return None


def focus_names(roadmap: Roadmap, result: AssessmentResult) -> list[str]:
    """The names of the fields the roadmap focuses on (as roadmap_view(...).focus, without the plan)."""
    names = result.questionnaire.field_names()
    focus = planning.focus_fields(roadmap.goals(result.profile), roadmap.capacity)
    return [names.get(f.value, f.value) for f in focus]


def _annotated(
    roadmap: Roadmap,
    items,
    questionnaire: Questionnaire,
    carrying: frozenset[str],
    *,
    with_history: bool = True,
) -> list[RoadmapItem]:
    """Items in plan order, each with the line on why it is there, the name of its field, whether it carries
    its level, and (with_history) its progress history."""
    field_names = questionnaire.field_names()
    question_texts = {q.code: q.text for q in questionnaire.questions.values()}
    items = items.select_related("measure").order_by("year", "quarter", "position", "pk")
    items = list(items.prefetch_related("progress_entries") if with_history else items)
    titles = {item.measure.code: item.measure.title for item in items if item.measure_id}
    wanted = {item.enables for item in items if item.enables and item.enables not in titles}
    if wanted:  # an enabled measure that is no longer in the plan (done before, dropped from it)
        for measure in Measure.objects.filter(catalogue=roadmap.catalogue_id, code__in=wanted):
            titles[measure.code] = measure.title
    for item in items:
        item.reason_line = reason_text(item, field_names, question_texts, titles, carrying)
        item.field_name = field_names.get(item.field, item.field)
        item.carries = item.measure_id is not None and item.measure.code in carrying
        item.history = (
            [(e.recorded_on, e.percent) for e in item.progress_entries.all()] if with_history else []
        )
    return items
