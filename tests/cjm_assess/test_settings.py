"""Start-up failures give one clear line naming the variable; production settings pass check --deploy."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
INHERITED_SETTINGS = {
    "DEBUG",
    "SECRET_KEY",
    "DATABASE_URL",
    "TESTING",
    "SECURE_SSL_REDIRECT",
    "ALLOWED_HOSTS",
    "SECURE_COOKIES",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
}
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "x" * 60 + "-production-like-secret",
    "ALLOWED_HOSTS": "example.org",
    "PUBLIC_BASE_URL": "https://example.org",
}


def manage(*args, **env):
    clean = {k: v for k, v in os.environ.items() if k not in INHERITED_SETTINGS}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_it_refuses_to_start_without_secret_key_in_production():
    result = manage("check", DEBUG="0")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "SECRET_KEY" in lines[0]
    assert "Traceback" not in result.stderr


def test_it_names_database_url_when_it_cannot_be_parsed():
    result = manage("check", **PRODUCTION, DATABASE_URL="not a url at all")
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert "DATABASE_URL" in result.stderr


def test_it_names_database_url_for_an_unsupported_database():
    result = manage("check", **PRODUCTION, DATABASE_URL="mysql://user@localhost/cjm")
    assert result.returncode == 2
    assert "DATABASE_URL" in result.stderr


def test_it_says_in_one_line_when_the_database_is_unreachable():
    result = manage(
        "migrate", "--noinput", **PRODUCTION, DATABASE_URL="postgres://nobody@127.0.0.1:9/nothing?pool=false"
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Database unreachable (check DATABASE_URL)")


def test_a_bad_boolean_names_its_variable():
    result = manage("check", **PRODUCTION, SECURE_SSL_REDIRECT="maybe")
    assert result.returncode == 2
    assert "SECURE_SSL_REDIRECT" in result.stderr


def test_the_deployment_check_asks_for_the_public_address_of_mail_links():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        **{**PRODUCTION, "PUBLIC_BASE_URL": "http://example.org"},
    )
    assert result.returncode == 1
    assert "cjm.W001" in result.stderr and "PUBLIC_BASE_URL" in result.stderr


def test_production_settings_pass_the_deployment_check_without_warnings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("value", ["1", "true", "on"])
def test_debug_without_secret_key_uses_a_development_key(value):
    result = manage("check", DEBUG=value)
    assert result.returncode == 0, result.stderr


def test_offline_commands_run_without_the_production_secret():
    result = manage("makemigrations", "--check", "--dry-run", DEBUG="0")
    assert result.returncode == 0, result.stderr
    assert "No changes detected" in result.stdout
    assert manage("migrate", "--plan", DEBUG="0").returncode == 2  # everything else still needs the secret


@pytest.mark.parametrize("value", ["2", "0", "five"])
def test_a_benchmark_group_below_three_or_not_a_number_is_refused_by_name(value):
    result = manage("check", **PRODUCTION, BENCHMARK_K=value)
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert "BENCHMARK_K" in result.stderr
