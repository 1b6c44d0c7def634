"""Progress over time: the quarterly review records it with a date, the burn-up sets it against the plan."""

import re
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from roadmap import pdf, services
from roadmap.charts import burnup_chart
from roadmap.models import ProgressEntry, RoadmapItem
from roadmap.progress import BurnUp, Track, burnup, quarter_end, share_done, share_planned
from roadmap.quarters import Quarter
from tests.roadmap.test_report import text_of
from tests.roadmap.test_roadmap import consultant as consultant_fixture
from tests.roadmap.test_roadmap import edit_url, snapshot
from tests.roadmap.test_roadmap import roadmap as roadmap_fixture

Q1, Q2, Q3, Q4 = (Quarter(2027, n) for n in range(1, 5))


# --- the numbers (pure) -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "last", "quarter", "share"),
    [
        (Q1, Q1, Q1, 1.0),
        (Q2, Q2, Q1, 0.0),  # not begun
        (Q1, Q2, Q1, 0.5),  # a measure of two quarters: half by the end of the first
        (Q1, Q2, Q2, 1.0),
        (Q1, Q2, Q4, 1.0),
    ],
)
def test_a_measure_is_planned_evenly_over_the_quarters_it_runs(first, last, quarter, share):
    assert share_planned(Track(first, last), quarter) == share


@pytest.mark.parametrize(
    ("day", "share"),
    [
        (date(2027, 1, 9), 0.0),  # before the first entry
        (date(2027, 1, 10), 0.3),  # the day it was recorded
        (date(2027, 2, 27), 0.3),
        (date(2027, 2, 28), 0.8),
        (date(2027, 12, 31), 0.8),
    ],
)
def test_progress_counts_from_the_day_it_was_recorded(day, share):
    track = Track(Q1, Q1, ((date(2027, 1, 10), 30), (date(2027, 2, 28), 80)))
    assert share_done(track, day) == share


@pytest.mark.parametrize(
    ("quarter", "end"),
    [(Q1, date(2027, 3, 31)), (Q2, date(2027, 6, 30)), (Q3, date(2027, 9, 30)), (Q4, date(2027, 12, 31))],
)
def test_the_end_of_a_quarter(quarter, end):
    assert quarter_end(quarter) == end


def test_the_burn_up_counts_planned_and_done_per_quarter_up_to_today():
    tracks = [
        Track(Q1, Q1, ((date(2027, 2, 1), 50), (date(2027, 3, 20), 100))),
        Track(Q1, Q2, ((date(2027, 3, 1), 25), (date(2027, 5, 2), 75))),
        Track(Q3, Q3),
    ]
    result = burnup(tracks, [Q1, Q2, Q3, Q4], today=date(2027, 5, 15))
    assert result.scope == 3
    assert result.planned == (1.5, 2.0, 3.0, 3.0)
    assert result.done == (1.25, 1.75, None, None)  # Q2 as of today; Q3 has not begun
    assert result.latest == (Q2, 2.0, 1.75)
    assert burnup([], [Q1], today=date(2026, 12, 1)).latest is None


@given(
    st.lists(
        st.tuples(
            st.integers(0, 3),
            st.integers(1, 2),
            st.lists(st.tuples(st.integers(0, 400), st.integers(0, 100)), max_size=5),
        ),
        max_size=12,
    ),
    st.integers(0, 500),
)
def test_burn_up_lines_never_fall_and_stay_within_the_scope(items, days):
    quarters = [Q1, Q2, Q3, Q4]
    start = date(2027, 1, 1)
    tracks = []
    for offset, runs, entries in items:
        history = sorted(
            ((date.fromordinal(start.toordinal() + d), p) for d, p in entries), key=lambda e: e[0]
        )
        percents = sorted(p for _d, p in history)  # progress that only grows, as a review records it
        history = tuple((d, p) for (d, _p), p in zip(history, percents, strict=True))
        tracks.append(Track(quarters[offset], quarters[offset] + (runs - 1), history))
    result = burnup(tracks, quarters, today=date.fromordinal(start.toordinal() + days))
    assert list(result.planned) == sorted(result.planned) and result.planned[-1] <= result.scope
    done = [d for d in result.done if d is not None]
    assert done == sorted(done) and all(0 <= d <= result.scope for d in done)
    assert result.done[: len(done)] == tuple(done)  # only the quarters that have begun, in order


def test_the_chart_draws_the_lines_from_zero_and_the_scope_on_top():
    data = BurnUp((Q1, Q2), 4, (2.0, 4.0), (1.0, None))
    chart = burnup_chart(data)
    points = [tuple(map(float, p.split(","))) for p in chart.planned.split()]
    assert points[0] == (chart.left, chart.bottom)  # from zero at the start of the first quarter
    assert points[-1] == (chart.right, chart.scope)  # everything planned by the end
    assert len(chart.done.split()) == 2 and len(chart.done_dots) == 1
    assert [t.value for t in chart.ticks] == [0, 1, 2, 3, 4]
    assert chart.scope == chart.top
    assert [q.label for q in chart.quarters] == ["Q1 2027", "Q2 2027"]
    assert burnup_chart(BurnUp((Q1,), 0, (0.0,), (None,))).done == ""


# --- recording progress ---------------------------------------------------------------------------------

roadmap, consultant = roadmap_fixture, consultant_fixture  # the same cast as the editor's tests


def review(consultant, owned, item, revision, **changes):
    data = {"when": item.when.code if item.when else "later", "status": item.status, "owner": "", "note": ""}
    data.update(changes)
    return consultant.post(
        edit_url(owned, "item", item.pk),
        {f"item{item.pk}-revision": revision, **{f"item{item.pk}-{k}": v for k, v in data.items()}},
    )


def test_each_change_of_progress_is_recorded_with_its_day(roadmap):
    item = roadmap.items.filter(year=2027, quarter=1).first()
    for day, percent in [(date(2027, 1, 20), 30), (date(2027, 2, 10), 30), (date(2027, 3, 5), 70)]:
        roadmap.refresh_from_db()
        services.item_update(
            item=item,
            expected_revision=roadmap.revision,
            when=item.when,
            status="planned",
            owner="",
            note="",
            progress=percent,
            today=day,
        )
    item.refresh_from_db()
    history = list(item.progress_entries.values_list("recorded_on", "percent"))
    assert history == [(date(2027, 1, 20), 30), (date(2027, 3, 5), 70)]  # an unchanged value is no change
    assert (item.progress, item.status) == (70, "in_progress")  # progress on a planned item: it is running


@pytest.mark.parametrize(
    ("status", "progress", "expected"),
    [
        ("done", "40", ("done", 100)),  # done is 100 %
        ("in_progress", "100", ("done", 100)),  # 100 % is done
        ("planned", "", ("planned", 0)),  # no progress given: unchanged
        ("dropped", "30", ("dropped", 30)),  # dropped after some work: the work stays recorded
    ],
)
def test_status_and_progress_stay_in_step(consultant, owned, roadmap, status, progress, expected):
    item = roadmap.items.filter(year=2027, quarter=1).first()
    response = review(consultant, owned, item, roadmap.revision, status=status, progress=progress)
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.status, item.progress) == expected
    assert list(item.progress_entries.values_list("percent", flat=True)) == (
        [expected[1]] if expected[1] else []
    )


def test_a_finished_item_is_reopened_by_lowering_its_progress_not_by_its_status(consultant, owned, roadmap):
    item = roadmap.items.filter(year=2027, quarter=1).first()
    assert review(consultant, owned, item, roadmap.revision, status="done", progress="100").status_code == 302
    item.refresh_from_db()
    roadmap.refresh_from_db()
    before = snapshot(roadmap), list(ProgressEntry.objects.values_list("pk", flat=True))
    response = review(consultant, owned, item, roadmap.revision, status="in_progress", progress="100")
    assert response.status_code == 400
    assert "Um ihren Status zu ändern, senken Sie zuerst den Fortschritt" in response.content.decode()
    assert (snapshot(roadmap), list(ProgressEntry.objects.values_list("pk", flat=True))) == before
    assert (
        review(consultant, owned, item, roadmap.revision, status="in_progress", progress="80").status_code
        == 302
    )
    item.refresh_from_db()
    assert (item.status, item.progress) == ("in_progress", 80)


@pytest.mark.parametrize(("progress", "status"), [("60", "in_progress"), ("0", "planned")])
def test_lowering_the_progress_of_a_finished_item_reopens_it_even_with_its_status_left_at_done(
    consultant, owned, roadmap, progress, status
):
    item = roadmap.items.filter(year=2027, quarter=1).first()
    assert review(consultant, owned, item, roadmap.revision, status="done", progress="100").status_code == 302
    roadmap.refresh_from_db()
    item.refresh_from_db()
    assert (
        review(consultant, owned, item, roadmap.revision, status="done", progress=progress).status_code == 302
    )
    item.refresh_from_db()
    assert (item.status, item.progress) == (status, int(progress))
    assert list(item.progress_entries.values_list("percent", flat=True)) == [100, int(progress)]


@pytest.mark.parametrize("progress", ["101", "-1", "abc", "50.5", "1e2"])
def test_impossible_progress_is_refused_and_changes_nothing(consultant, owned, roadmap, progress):
    item = roadmap.items.filter(year=2027, quarter=1).first()
    before = snapshot(roadmap), ProgressEntry.objects.count()
    response = review(consultant, owned, item, roadmap.revision, progress=progress)
    assert response.status_code == 400
    assert "Fortschritt in %" in response.content.decode()  # the message names the field
    assert (snapshot(roadmap), ProgressEntry.objects.count()) == before


def test_a_re_assessment_carries_the_progress_history_of_running_items(owned, roadmap, alice, version):
    from standortbestimmung.models import Assessment
    from standortbestimmung.models import Client as ClientModel
    from tests.conftest import Respondent

    item = roadmap.items.filter(year=2027, quarter=1).first()
    services.item_update(
        item=item,
        expected_revision=roadmap.revision,
        when=item.when,
        status="in_progress",
        owner="",
        note="",
        progress=40,
        today=date(2027, 2, 1),
    )
    client = ClientModel.objects.create(owner=alice, name="Muster AG")
    Assessment.objects.filter(pk=roadmap.assessment_id).update(client=client)
    again = Respondent(Client(), version)
    again.answer_all(lambda code: 2)
    Assessment.objects.filter(pk=again.participant.assessment_id).update(client=client)
    again.client.post(again.url("summary"))
    carried = RoadmapItem.objects.get(roadmap__assessment=again.participant.assessment, measure=item.measure)
    assert carried.progress == 40
    assert list(carried.progress_entries.values_list("recorded_on", "percent")) == [(date(2027, 2, 1), 40)]


# --- the burn-up on the pages and in the report -----------------------------------------------------------


def recorded(roadmap):
    """Progress in the first two quarters of the plan (2027): one measure finished, one under way."""
    first, second = roadmap.items.filter(year=2027, quarter=1)[:2]
    for item, entries in [
        (first, [(date(2027, 2, 1), 50), (date(2027, 3, 15), 100)]),
        (second, [(date(2027, 3, 1), 50)]),
    ]:
        for day, percent in entries:
            ProgressEntry.objects.create(item=item, percent=percent, recorded_on=day)
        item.progress = entries[-1][1]
        item.status = "done" if item.progress == 100 else "in_progress"
        item.save()


def test_the_editor_shows_the_burn_up_and_each_items_history(consultant, owned, roadmap):
    recorded(roadmap)
    html = consultant.get(edit_url(owned)).content.decode()
    svg = re.search(r'<svg class="burnup".*?</svg>', html, re.S).group(0)
    assert 'role="img"' in svg and "<title" in svg and "<desc" in svg and "style=" not in svg
    assert "Geplant und erledigt, Quartal für Quartal" in svg
    history = re.search(r"Fortschrittsverlauf</summary>.*?</ol>", html, re.S).group(0)
    assert "01.02.2027: 50 %" in history and "15.03.2027: 100 %" in history


def test_the_burn_up_counts_what_was_done_by_the_end_of_each_quarter(roadmap, owned):
    from roadmap.presentation import roadmap_view
    from standortbestimmung.result import assessment_result

    recorded(roadmap)
    view = roadmap_view(roadmap, assessment_result(roadmap.assessment), today=date(2027, 5, 10))
    quarters = {q: (p, d) for q, p, d in view.progress.rows}
    assert quarters[Q1] == (view.progress.planned[0], 1.5)  # one finished, one half done by 31 March
    assert quarters[Q2][1] == 1.5 and quarters[Q3][1] is None
    assert view.progress.scope == sum(len(q.active) for q in view.quarters)


@pytest.mark.parametrize(
    ("lang", "title", "row"),
    [("de", "Geplant und erledigt", "Q1 2027"), ("en", "Planned and done", "Q1 2027")],
)
def test_the_report_shows_planned_and_done_per_quarter(roadmap, owned, lang, title, row):
    recorded(roadmap)
    flat = " ".join(text_of(pdf.render_pdf(roadmap.assessment, lang, for_owner=False))[0].split())
    assert title in flat
    assert row in flat
    assert ("Geplant bis Quartalsende" if lang == "de" else "Planned by its end") in flat


def test_the_respondent_sees_the_burn_up_read_only(owned, roadmap):
    html = owned.client.get(reverse("respondent:roadmap", args=[owned.key])).content.decode()
    assert '<svg class="burnup"' in html and "Geplant bis Quartalsende" in html
    assert 'name="item' not in html
