"""Data for the two new attributes on existing installations.

- Which measures of the shipped catalogue (version 1) carry their level. load_content never reloads a catalogue
  that is already there, so an installation that has version 1 gets the marks here; a new installation gets them
  from fixtures/measures.json, which marks the same codes (a test checks that both agree). The marks add
  knowledge about the measures; they change no title, level, prerequisite or text of the published version.
- Items finished before progress was recorded: 100 % on the day they were last changed, so the burn-up chart
  counts them where they were finished.
"""

from django.db import migrations

SHIPPED_CATALOGUE = 1
CARRYING = [
    "journeys.adopt.1",
    "journeys.build.1",
    "journeys.build.2",
    "journeys.commit.1",
    "journeys.commit.3",
    "insights.adopt.1",
    "insights.adopt.2",
    "insights.build.1",
    "insights.build.2",
    "insights.commit.1",
    "insights.commit.2",
    "skills.adopt.1",
    "skills.adopt.3",
    "skills.build.1",
    "skills.build.2",
    "skills.commit.1",
    "skills.commit.3",
    "culture.adopt.1",
    "culture.adopt.3",
    "culture.build.1",
    "culture.build.3",
    "culture.commit.1",
    "culture.commit.2",
    "operations.adopt.1",
    "operations.adopt.2",
    "operations.build.1",
    "operations.build.2",
    "operations.commit.1",
    "operations.commit.2",
    "tools.adopt.1",
    "tools.adopt.2",
    "tools.build.1",
    "tools.build.3",
    "tools.commit.1",
    "tools.commit.2",
]


def mark_carrying_measures(apps, schema_editor):
    Measure = apps.get_model("roadmap", "Measure")
    Measure.objects.filter(catalogue__number=SHIPPED_CATALOGUE, code__in=CARRYING, sustains=False).update(
        carries=True
    )


def record_finished_items(apps, schema_editor):
    RoadmapItem = apps.get_model("roadmap", "RoadmapItem")
    ProgressEntry = apps.get_model("roadmap", "ProgressEntry")
    finished = RoadmapItem.objects.filter(status="done")
    ProgressEntry.objects.bulk_create(
        ProgressEntry(item_id=pk, percent=100, recorded_on=changed.date())
        for pk, changed in finished.values_list("pk", "updated_at")
    )
    finished.update(progress=100)


class Migration(migrations.Migration):
    dependencies = [
        ("roadmap", "0005_measure_carries_item_progress"),
    ]

    operations = [
        migrations.RunPython(mark_carrying_measures, migrations.RunPython.noop),
        migrations.RunPython(record_finished_items, migrations.RunPython.noop),
    ]
