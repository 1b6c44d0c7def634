"""Two outside judges next to axe, run on every page the browser tests reach.

* The W3C Nu HTML checker (vnu.jar, npm package vnu-jar) judges the HTML as the server sent it: 0 errors.
* pa11y (npm) judges the page in the browser with its default runner, HTML_CodeSniffer at WCAG2AA, and
  counts errors as its command line does. pa11y's own in-page scripts are injected into the Playwright page,
  so the page is judged in the state the test brought it to (after htmx swaps, with a session) instead of
  being loaded a second time by another Chromium.

Both come from node_modules, which `make test` installs (`npm ci --ignore-scripts`, only when missing).
"""

import json
import shutil
import socket
import subprocess
import time
import urllib.request
from functools import cache
from pathlib import Path

NODE_MODULES = Path(__file__).resolve().parents[2] / "node_modules"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
PA11Y = NODE_MODULES / "pa11y"
MISSING = "The judges' npm packages are missing: run `make node-deps` (make test does it)."

# pa11y's defaults (pa11y.defaults in lib/pa11y.js), which its command line uses.
PA11Y_OPTIONS = {
    "hideElements": None,
    "ignore": [],
    "levelCapWhenNeedsReview": "error",
    "rootElement": None,
    "rules": [],
    "runners": ["htmlcs"],
    "standard": "WCAG2AA",
    "wait": 0,
}


@cache
def pa11y_script() -> str:
    """pa11y's in-page runner and its htmlcs runner, built exactly as pa11y builds them (by Node)."""
    if not (PA11Y / "lib" / "runner.js").exists() or shutil.which("node") is None:
        raise RuntimeError(MISSING)
    build = (
        "const fs = require('fs'); const runner = require(process.argv[1] + '/lib/runners/htmlcs.js');"
        "const bundle = runner.scripts.map(s => fs.readFileSync(s, 'utf-8')).join('\\n\\n');"
        "process.stdout.write(fs.readFileSync(process.argv[1] + '/lib/runner.js', 'utf-8') + '\\n;' + bundle"
        " + '\\n;window.__pa11y.runners.htmlcs = ' + runner.run.toString() + ';');"
    )
    version = json.loads((PA11Y / "package.json").read_text())["version"]
    script = subprocess.run(
        ["node", "-e", build, str(PA11Y)], check=True, capture_output=True, text=True, timeout=60
    ).stdout
    return script + f"\n;window.__pa11y.version = {json.dumps(version)};"


def pa11y_issues(page) -> list[str]:
    """The errors pa11y reports for the page in its current state, one line each (code, selector, message)."""
    if not page.evaluate("() => Boolean(window.__pa11y && window.__pa11y.runners.htmlcs)"):
        page.evaluate(pa11y_script())
    options = {**PA11Y_OPTIONS, "pa11yVersion": page.evaluate("() => window.__pa11y.version")}
    results = page.evaluate("options => window.__pa11y.run(options)", options)
    return [
        f"{issue['code']} at {issue['selector']}: {issue['message']}"
        for issue in results["issues"]
        if issue["type"] == "error"
    ]


class NuChecker:
    """The Nu HTML checker as a local HTTP service, started once (the JVM takes a few seconds)."""

    def __init__(self):
        if not VNU_JAR.exists() or shutil.which("java") is None:
            raise RuntimeError(MISSING + " (The Nu checker also needs Java.)")
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.process = subprocess.Popen(
            [
                "java",
                "-Xss4m",  # its schema checks recurse deeply
                "-Dnu.validator.servlet.bind-address=127.0.0.1",
                "-cp",
                str(VNU_JAR),
                "nu.validator.servlet.Main",
                str(self.port),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 90
        while True:
            try:
                self.errors("<!DOCTYPE html><html lang=en><title>up</title>")
                break
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.close()
                    raise RuntimeError("The Nu HTML checker did not start.") from None
                time.sleep(0.5)

    def errors(self, html: str) -> list[str]:
        """The checker's errors for a document (warnings and infos are left out), one line each."""
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}/?out=json",
            data=html.encode(),
            headers={"Content-Type": "text/html; charset=utf-8"},
        )
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - our own loopback service
            messages = json.load(response)["messages"]
        return [
            f"line {m.get('lastLine', '?')}: {m['message']}"
            for m in messages
            if m["type"] in {"error", "non-document-error"}
        ]

    def close(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
