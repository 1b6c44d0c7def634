"""Existing installations: the shipped catalogue learns which measures carry a level, finished items get 100 %."""

import importlib
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from roadmap.models import Measure, ProgressEntry, RoadmapItem

MIGRATION = "0006_carrying_measures_and_done_items"
BEFORE = ("roadmap", "0005_measure_carries_item_progress")
FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "measures.json"


def test_the_migration_marks_the_same_measures_as_the_fixture():
    migration = importlib.import_module(f"roadmap.migrations.{MIGRATION}")
    fixture = json.loads(FIXTURE.read_text())
    marked = {
        o["fields"]["code"] for o in fixture if o["model"] == "roadmap.measure" and o["fields"]["carries"]
    }
    assert set(migration.CARRYING) == marked
    assert len(migration.CARRYING) == len(set(migration.CARRYING))


@pytest.mark.django_db(transaction=True)
def test_an_existing_installation_gets_the_marks_and_its_finished_items_count_as_done(owned):
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])  # the schema is the same before the data migration: only data is missing
    Measure.objects.update(carries=False)
    ProgressEntry.objects.all().delete()
    RoadmapItem.objects.update(progress=0)
    finished = RoadmapItem.objects.filter(year__isnull=False).first()
    RoadmapItem.objects.filter(pk=finished.pk).update(status="done")
    changed = RoadmapItem.objects.get(pk=finished.pk).updated_at.date()

    executor = MigrationExecutor(connection)
    executor.migrate([("roadmap", MIGRATION)])

    marked = set(Measure.objects.filter(carries=True).values_list("code", flat=True))
    assert marked == set(importlib.import_module(f"roadmap.migrations.{MIGRATION}").CARRYING)
    finished.refresh_from_db()
    assert finished.progress == 100
    assert list(finished.progress_entries.values_list("percent", "recorded_on")) == [(100, changed)]
    assert not ProgressEntry.objects.exclude(item=finished).exists()
    call_command("load_content", verbosity=0)  # nothing to load again, and what is there is valid
