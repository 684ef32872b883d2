"""deploy/: the systemd units, the proxy sample and the environment file work
as written."""

import configparser
import json
import re
import shlex
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.footcare import servers

DEPLOY = servers.ROOT / "deploy"
INSTALLED = "/srv/footcare"


def unit(name):
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str  # systemd keys are case-sensitive
    parser.read(DEPLOY / name)
    return parser


def exec_start(name):
    """The unit's command line, run by this checkout's Python instead of
    /srv/footcare/.venv's (a script's #! may name another copy of the venv)."""
    program, *args = shlex.split(unit(name)["Service"]["ExecStart"])
    assert program.startswith(f"{INSTALLED}/.venv/bin/")
    script = Path(program).name
    if script == "python":
        return [sys.executable, *args]
    return [sys.executable, "-m", script, *args]


def env_file():
    env = {}
    for line in (DEPLOY / "footcare.env.example").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, value = line.partition("=")
            env[name] = value
    return env


def test_every_variable_of_the_env_file_is_in_the_readme():
    readme = (servers.ROOT / "README.md").read_text()
    table = {
        name
        for row in readme.splitlines()
        if row.startswith("| `")
        for name in re.findall(r"`([A-Z_]+)`", row.split("|")[1])
    }
    assert set(env_file()) <= table


def test_the_units_run_from_the_install_directory_with_the_env_file():
    for name in ("footcare-web.service", "footcare-reminders.service"):
        service = unit(name)["Service"]
        assert service["WorkingDirectory"] == INSTALLED
        assert service["EnvironmentFile"] == "/etc/footcare.env"
        assert service["User"] == "footcare"
        assert shlex.split(service["ExecStart"])[0].startswith(
            f"{INSTALLED}/.venv/bin/"
        )
    assert exec_start("footcare-reminders.service")[-4:] == [
        "send_reminders",
        "--loop",
        "--interval",
        "60",
    ]


def test_the_proxy_sets_the_headers_the_app_reads():
    caddy = (DEPLOY / "Caddyfile").read_text()
    assert "reverse_proxy 127.0.0.1:8000" in caddy
    assert "header_up X-Forwarded-Proto {scheme}" in caddy
    assert "header_up X-Request-ID" in caddy
    assert "health_uri /healthz" in caddy
    env = env_file()
    assert env["DJANGO_BEHIND_PROXY"] == "1"
    assert env["AXES_PROXY_COUNT"] == "1"


@pytest.fixture(scope="module")
def deploy_env(django_db_setup, tmp_path_factory):
    """The example environment file, pointed at the test database and Redis."""
    tmp_path = tmp_path_factory.mktemp("deploy")
    env = servers.base_env(**env_file())
    env["DJANGO_SECRET_KEY"] = "insecure-key-for-tests-only"
    env["FOOTCARE_IMPORT_DIR"] = str(tmp_path / "imports")
    env["FOOTCARE_BACKUP_DIR"] = str(tmp_path / "backups")
    try:
        env["DATABASE_URL"] = servers.postgres_or_skip()
    except pytest.skip.Exception:
        # SQLite: a file of its own that the server process can open.
        env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'deploy.sqlite3'}"
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
            cwd=servers.ROOT,
            env=env,
            check=True,
        )
    try:
        env["REDIS_URL"] = servers.redis_or_skip()
        env["DJANGO_CACHE_PREFIX"] = servers.unique_cache_prefix()
    except pytest.skip.Exception:
        del env["REDIS_URL"]
    return env


@pytest.mark.django_db
def test_gunicorn_started_from_the_unit_answers_healthz(deploy_env, tmp_path):
    port = servers.free_port()
    argv = [
        f"127.0.0.1:{port}" if arg == "127.0.0.1:8000" else arg
        for arg in exec_start("footcare-web.service")
    ]
    assert argv[1:5] == ["-m", "gunicorn", "footcare.wsgi", "--bind"]
    assert argv[5] == f"127.0.0.1:{port}"
    log = tmp_path / "web.log"
    with servers.running(argv, deploy_env, port, log):
        status, headers, body = servers.get(f"http://127.0.0.1:{port}/healthz")
        assert status == 200
        assert json.loads(body) == {
            "status": "ok",
            "database": "ok",
            "cache": "ok",
            "migrations": "ok",
        }
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/healthz",
            method="POST",
            headers={"X-Request-ID": "deploy-test-1"},
        )
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=5)
        assert refused.value.code == 405
        assert refused.value.headers["X-Request-ID"] == "deploy-test-1"
    lines = [
        json.loads(line)
        for line in log.read_text().splitlines()
        if line.startswith("{")
    ]
    mine = [e for e in lines if e.get("request_id") == "deploy-test-1"]
    assert sorted(e["logger"] for e in mine) == ["django.request", "footcare.request"]
    (entry,) = [e for e in mine if e["logger"] == "footcare.request"]
    assert entry["message"] == "POST /healthz 405"
    assert entry["status"] == 405


@pytest.mark.django_db
def test_the_reminder_unit_runs_until_sigterm(deploy_env, tmp_path):
    log = tmp_path / "reminders.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            exec_start("footcare-reminders.service"),
            cwd=servers.ROOT,
            env=deploy_env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 30
        while "Reminder loop started" not in log.read_text():
            assert process.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.1)
        time.sleep(0.5)
        process.send_signal(signal.SIGTERM)
        assert process.wait(15) == 0
    finally:
        if process.poll() is None:
            process.kill()
    text = log.read_text()
    assert "SIGTERM received" in text
    assert "Stopped after 1 pass(es)." in text
