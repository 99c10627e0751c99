"""The Makefile does what the README says: `make help` lists everything, ports follow PORT.

`make run PORT=8011` must tell the API where its frontend lives (FRONTEND_BASE_URL,
CORS) and print the exact command that starts that frontend against port 8011;
`make frontend PORT=8011` must read the API there. Both are run for real.
"""

import json
import os
import re
import subprocess
import sys
import urllib.request

from tests.processes import ROOT, ServerProcess, free_port, http_get

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def phony_targets():
    makefile = (ROOT / "Makefile").read_text()
    line = next(line for line in makefile.splitlines() if line.startswith(".PHONY:"))
    return line.removeprefix(".PHONY:").split()


def test_make_help_lists_every_phony_target():
    output = subprocess.run(
        ["make", "-s", "help"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    listed = {line.split()[0] for line in ANSI.sub("", output).splitlines() if line.strip()}

    assert [target for target in phony_targets() if target not in listed] == []


def clean_env(**extra):
    """The caller's environment without the frontend settings the Makefile derives from ports."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("FRONTEND_BASE_URL", "CORS_ALLOWED_ORIGINS", "REDIS_URL", "DJANGO_SETTINGS_MODULE")
    }
    return {**env, **extra}


def test_make_frontend_reads_the_api_on_port():
    api_port, frontend_port = free_port(), free_port()
    command = [
        "make", "-s", "frontend", f"PORT={api_port}", f"FRONTEND_PORT={frontend_port}", f"PYTHON={sys.executable}"
    ]  # fmt: skip
    with ServerProcess(command, port=frontend_port, env=clean_env()) as frontend:
        status, _, body = http_get(frontend.url("/config.js"))

    assert status == 200
    assert f'"apiBase": "http://127.0.0.1:{api_port}/api/v2/"' in body.decode()


def test_make_run_configures_the_api_for_its_frontend_port(migrated_sqlite, tmp_path):
    api_port, frontend_port = free_port(), free_port()
    frontend_origin = f"http://localhost:{frontend_port}"
    # -o demo: the database is already migrated; skip install, migrate and load_demo.
    command = [
        "make", "-o", "demo", "run", f"PORT={api_port}", f"FRONTEND_PORT={frontend_port}", f"PY={sys.executable}"
    ]  # fmt: skip
    env = clean_env(DATABASE_URL=f"sqlite:///{migrated_sqlite}", MEDIA_ROOT=str(tmp_path / "media"))
    with ServerProcess(command, port=api_port, env=env, ready_path="/healthz") as api:
        request = urllib.request.Request(
            api.url("/api/v2/pages/?type=reviews.ReviewIndexPage"), headers={"Origin": frontend_origin}
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            allowed_origin = response.headers["Access-Control-Allow-Origin"]
            sections = json.loads(response.read())["items"]
        banner = api.output()

    assert allowed_origin == frontend_origin
    assert sections[0]["meta"]["html_url"] == f"{frontend_origin}/reviews/"
    assert f"make frontend PORT={api_port} FRONTEND_PORT={frontend_port}" in banner
