"""The peer's virtualenv, bench/peer/.venv: made when missing or when the app's versions changed.

The same Python as the app's virtualenv (its base interpreter), and the same Django, gunicorn and psycopg,
read from the app's virtualenv and pinned. django-survey-and-report is installed with --no-deps: its metadata
asks for any Django from 2.2 on, and pip left to itself could pick another Django than the app's; the one
requirement it imports (PyYAML, for its exporters and admin) is installed on its own, with the app's Django
pinned as a constraint so that nothing can move it. Its other requirement, pytz, is not imported anywhere in
the package and stays out.
"""

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
VENV = HERE / ".venv"
PEER = "django-survey-and-report==1.5.*"
IMPORTED_REQUIREMENTS = ["PyYAML"]
SAME_AS_OURS = ["Django", "gunicorn", "psycopg", "psycopg-binary", "psycopg-pool"]


class PeerUnavailable(Exception):
    """The peer cannot be installed or started; the message is the short reason the table shows."""


def ours(python: str) -> dict:
    """The app's interpreter and versions, asked from its own virtualenv."""
    code = (
        "import importlib.metadata as m, json, sys; "
        f"print(json.dumps({{'python': sys._base_executable, 'versions': {{n: m.version(n) for n in {SAME_AS_OURS!r}}}}}))"
    )
    return json.loads(subprocess.run([python, "-c", code], capture_output=True, text=True, check=True).stdout)


def pip(python: Path, *args: str) -> None:
    done = subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *args],
        capture_output=True,
        text=True,
    )
    if done.returncode:
        lines = [line for line in (done.stderr or done.stdout).splitlines() if line.strip()]
        last = lines[-1].removeprefix("ERROR: ") if lines else f"exit status {done.returncode}"
        raise PeerUnavailable(f"not installed: {last[:80]}")


def peer_python(our_python: str) -> Path:
    """The peer's Python, with everything installed; raises PeerUnavailable with a short reason."""
    wanted = ours(our_python)
    pins = [f"{name}=={version}" for name, version in wanted["versions"].items()]
    python = VENV / "bin" / "python"
    stamp = VENV / ".installed"
    if stamp.exists() and json.loads(stamp.read_text()) == {"python": wanted["python"], "pins": pins}:
        return python
    shutil.rmtree(VENV, ignore_errors=True)
    made = subprocess.run([wanted["python"], "-m", "venv", str(VENV)], capture_output=True, text=True)
    if made.returncode:
        raise PeerUnavailable(f"no virtualenv: {made.stderr.strip()[-80:]}")
    pip(python, *pins)
    pip(python, "--no-deps", PEER)
    constraints = Path(tempfile.mkstemp(suffix=".txt")[1])
    constraints.write_text("\n".join(pins) + "\n")
    try:
        pip(python, "-c", str(constraints), *IMPORTED_REQUIREMENTS)
    finally:
        constraints.unlink()
    check = subprocess.run(
        [str(python), "-c", "import django; django.setup(); import survey.views, survey.forms"],
        cwd=HERE,
        capture_output=True,
        text=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "settings"},
    )
    if check.returncode:
        raise PeerUnavailable(f"import failed: {check.stderr.strip().splitlines()[-1][:80]}")
    stamp.write_text(json.dumps({"python": wanted["python"], "pins": pins}))
    return python


def versions(python: Path) -> dict:
    code = (
        "import importlib.metadata as m, json, sys; print(json.dumps({'Python': sys.version.split()[0], "
        "**{n: m.version(n) for n in ['django-survey-and-report', 'Django', 'gunicorn', 'psycopg']}}))"
    )
    return json.loads(
        subprocess.run([str(python), "-c", code], capture_output=True, text=True, check=True).stdout
    )
