"""Benchmark of the PDF report: full render next to a trivial one-page document, the cached download, memory.

Part of `make bench` (bench/run.py), or alone: `python bench/report.py`. Prints one "ROW:" line per figure with
medians over repeated runs. Uses a throw-away SQLite database: the render does not depend on the database.
"""

import io
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cjm_assess.settings")
os.environ.setdefault("DEBUG", "1")
os.environ["ALLOWED_HOSTS"] = "testserver"
os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
RUNS = int(os.environ.get("BENCH_RUNS", "7"))


def median_seconds(fn, runs=RUNS) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rss_mb() -> float:
    """The resident memory of this process now."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 1024 / 1024


def main() -> None:
    import json

    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from respondent.services import participant_finish, self_assessment_start
    from roadmap import pdf
    from standortbestimmung.answering import answers_save
    from standortbestimmung.models import Question
    from standortbestimmung.versions import current_version

    call_command("migrate", verbosity=0)
    call_command("load_content", verbosity=0)
    link = self_assessment_start(version=current_version(), organisation="Benchmark GmbH")
    participant, token = link.participant, link.token
    questions = Question.objects.filter(field__version=participant.assessment.version).prefetch_related(
        "options"
    )
    answers_save(
        participant=participant, answers={q: q.options.get(level=1 + q.position % 3) for q in questions}
    )
    participant_finish(participant=participant)
    assessment = participant.assessment

    weasyprint, fonts, fetcher = pdf._weasyprint()  # import and set-up once, as a running process does
    # One page set like the report (its stylesheet, fonts and PDF/UA tagging): the engine's cost per document.
    one_page = (
        f'<html lang="de"><head><title>Baseline</title><link rel="stylesheet" href="{pdf.STATIC_PREFIX}'
        f'{pdf.STYLESHEET}"></head><body><h2>Management Summary</h2><p>Eine Seite.</p></body></html>'
    )

    def baseline():
        weasyprint.HTML(string=one_page, base_url=pdf.BASE_URL, url_fetcher=fetcher).write_pdf(
            font_config=fonts, pdf_variant="pdf/ua-1"
        )

    baseline()
    base = median_seconds(baseline)
    full = median_seconds(lambda: pdf.render_pdf(assessment, "de", for_owner=False))

    browser = Client()
    browser.get(f"/r/{token}/")
    url = f"/a/{participant.key}/bericht.pdf"
    browser.get(url)  # renders once and fills the cache
    cached = median_seconds(lambda: browser.get(url), runs=max(RUNS * 3, 20))
    from pypdf import PdfReader

    pages = len(PdfReader(io.BytesIO(pdf.render_pdf(assessment, "de", for_owner=False))).pages)

    renders = int(os.environ.get("BENCH_RENDERS", "100"))
    for _ in range(10 - 2 - RUNS):  # 10 renders so far, counting the ones above
        pdf.render_pdf(assessment, "de", for_owner=False)
    after_10 = rss_mb()
    for _ in range(renders - 10):
        pdf.render_pdf(assessment, "de", for_owner=False)
    after_n = rss_mb()

    rows = [
        (
            f"full PDF report ({pages} pages), first render",
            f"{full * 1000:.0f} ms",
            f"peak RSS {peak_rss_mb():.0f} MB",
            f"{full / base:.0f}x one page in the same style ({base * 1000:.0f} ms)",
            f"≤ 500 ms and ≤ 40x: {'met' if full <= 0.5 and full / base <= 40 else 'MISSED'}",
        ),
        (
            "PDF download from the cache (in-process)",
            f"{cached * 1000:.1f} ms",
            "",
            f"{cached / full:.1%} of a render",
            "",
        ),
        (
            f"memory: one process after {renders} renders",
            f"{after_n:.0f} MB RSS",
            f"after 10: {after_10:.0f} MB",
            f"{after_n / after_10:.2f}x",
            f"≤ 1.3x: {'met' if after_n / after_10 <= 1.3 else 'MISSED'}",
        ),
    ]
    for row in rows:
        print("ROW: " + json.dumps(row, ensure_ascii=False))


if __name__ == "__main__":
    main()
