"""Benchmark of the PDF report: full render, a trivial one-page document as baseline, the cached download.

Run with `make bench-report` (or `python bench/report.py`). Prints medians over repeated runs, the ratio to the
baseline measured in the same run, and the peak memory (RSS) of the process. Uses a throw-away SQLite database.
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


def main() -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from roadmap import pdf
    from standortbestimmung.models import Question
    from standortbestimmung.services import answers_save, assessment_start, current_version

    call_command("migrate", verbosity=0)
    call_command("load_content", verbosity=0)
    participant, token = assessment_start(version=current_version(), organisation="Benchmark GmbH")
    questions = Question.objects.filter(field__version=participant.assessment.version).prefetch_related(
        "options"
    )
    answers_save(
        participant=participant, answers={q: q.options.get(level=1 + q.position % 3) for q in questions}
    )
    assessment = participant.assessment

    weasyprint, fonts, fetcher = pdf._weasyprint()  # import and set-up once, as a running process does
    trivial = "<html><body><h1>Hello</h1><p>One page.</p></body></html>"

    def baseline():
        weasyprint.HTML(string=trivial, base_url=pdf.BASE_URL, url_fetcher=fetcher).write_pdf(
            font_config=fonts
        )

    baseline()
    rss_before = peak_rss_mb()
    base = median_seconds(baseline)
    full = median_seconds(lambda: pdf.render_pdf(assessment, "de"))
    rss_after = peak_rss_mb()

    browser = Client()
    browser.get(f"/r/{token}/")
    url = f"/roadmap/a/{participant.key}/bericht.pdf"
    browser.get(url)  # renders once and fills the cache
    cached = median_seconds(lambda: browser.get(url), runs=max(RUNS * 3, 20))
    from pypdf import PdfReader

    pages = len(PdfReader(io.BytesIO(pdf.render_pdf(assessment, "de"))).pages)

    rows = [
        ("trivial one-page document (baseline)", f"{base * 1000:.0f} ms", "", ""),
        (
            "full report, first render",
            f"{full * 1000:.0f} ms",
            f"{full / base:.0f}x baseline",
            "goal <= 500 ms, <= 40x",
        ),
        ("PDF download from cache", f"{cached * 1000:.1f} ms", f"{cached / full * 100:.1f}% of a render", ""),
        (
            "peak RSS of the process",
            f"{rss_after:.0f} MB",
            f"+{rss_after - rss_before:.0f} MB for rendering",
            "",
        ),
    ]
    print(f"PDF report benchmark: {RUNS} runs each, medians; report of {pages} pages")
    width = max(len(r[0]) for r in rows)
    for name, value, ratio, goal in rows:
        print(f"  {name:<{width}}  {value:>10}  {ratio:<28} {goal}")


if __name__ == "__main__":
    main()
