"""A backup restored into an empty database serves identical API output.

Runs on the database the suite runs on: SQLite files by default, fresh
PostgreSQL databases when DATABASE_URL points at PostgreSQL (as in .ci/run).
"""

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.databases import scratch_database

ROOT = Path(__file__).resolve().parents[2]
PATHS = [
    "/api/v2/pages/?type=reviews.ReviewPage&fields=*&limit=50",
    "/api/v2/pages/find/?html_path=/reviews/ai-weiwei-never-sorry/",
    "/api/v2/people/?limit=50",
    "/api/v2/films/?limit=50",
    "/api/v2/images/?limit=50",
]
SNAPSHOT = """
import django, json, sys
django.setup()
from django.test import Client
client = Client()
print(json.dumps({path: client.get(path, HTTP_HOST="localhost").json() for path in json.loads(sys.argv[1])}))
"""


def manage(env, *args):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )


def snapshot(env):
    result = subprocess.run(
        [sys.executable, "-c", SNAPSHOT, json.dumps(PATHS)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(result.stdout)


def test_restore_into_an_empty_database_gives_identical_api_output(tmp_path):
    base_env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL",)}
    base_env.update(DJANGO_SETTINGS_MODULE="site_config.settings.dev", WAGTAILAPI_BASE_URL="http://localhost")
    with (
        scratch_database("marquee_bk", tmp_path) as original,
        scratch_database("marquee_rs", tmp_path) as restored,
    ):
        source_env = {**base_env, "DATABASE_URL": original, "MEDIA_ROOT": str(tmp_path / "media-a")}
        target_env = {**base_env, "DATABASE_URL": restored, "MEDIA_ROOT": str(tmp_path / "media-a")}
        manage(source_env, "migrate", "--noinput", "-v", "0")
        manage(source_env, "load_demo")
        before = snapshot(source_env)
        assert before[PATHS[1]]["title"] == "Ai Weiwei: Never Sorry"

        output = manage(source_env, "backup", "--output", str(tmp_path / "backups")).stdout
        folder = output.strip().rsplit(" ", 1)[-1]
        # The media folder goes away, as on a lost server; restore brings it back.
        subprocess.run(["rm", "-rf", str(tmp_path / "media-a")], check=True)
        manage(target_env, "restore", folder, "--yes")

        assert snapshot(target_env) == before
        rendition = before[PATHS[4]]["items"][0]["renditions"]["medium"]["url"]
        assert (tmp_path / "media-a" / rendition.split("/media/", 1)[1]).exists()
