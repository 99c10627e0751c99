"""Bounded load test while pages are published and unpublished underneath it.

    DATABASE_URL=postgres://… REDIS_URL=redis://… python benchmarks/load_publish.py [--duration 60 --connections 32]

Serves the production settings with gunicorn (2 workers) on the benchmark
corpus (seeded if missing), drives review detail, find-by-path and listing
requests with wrk for ``--duration`` seconds, and meanwhile publishes new
revisions of a set of "hot" reviews and unpublishes/republishes them.

Every revision N of a hot review has the title ``Hot N`` and a body that
says ``marker N``. A Lua check in wrk inspects every response: a 200 for a
hot review whose title and body disagree is a *torn* (half-published) page.
The run passes with zero errors (non-200/404 statuses, socket errors) and
zero torn pages; it prints p50/p99 and writes benchmarks/results/load-*.json.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.run import DATA, PYTHON, RESULTS, django_call, django_json, environment, gunicorn  # noqa: E402

HOT = 10

LUA = """
paths = {__PATHS__}
counter = 0
torn, bad, ok, gone = 0, 0, 0, 0
threads = {}
function setup(thread) table.insert(threads, thread) end
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter % #paths) + 1])
end
response = function(status, headers, body)
  if status == 200 then
    ok = ok + 1
    local title = string.match(body, '"title":"Hot (%d+)"')
    local marker = string.match(body, 'marker (%d+)')
    if title and marker and title ~= marker then torn = torn + 1 end
  elseif status == 404 then
    gone = gone + 1
  else
    bad = bad + 1
  end
end
done = function(summary, latency, requests)
  local t, b, o, g = 0, 0, 0, 0
  for _, thread in ipairs(threads) do
    t = t + thread:get("torn"); b = b + thread:get("bad"); o = o + thread:get("ok"); g = g + thread:get("gone")
  end
  io.write(string.format("CHECK torn=%d bad=%d ok=%d gone=%d\\n", t, b, o, g))
  io.write(string.format("LATENCY p50=%.2f p99=%.2f\\n", latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
"""

PUBLISHER = """
import django, sys, time, random
django.setup()
from reviews.models import ReviewPage
hot = list(ReviewPage.objects.order_by("-pk")[: int(sys.argv[2])])
deadline = time.monotonic() + float(sys.argv[1])
n = 0
published = unpublished = 0
rng = random.Random(7)
while time.monotonic() < deadline:
    n += 1
    page = rng.choice(hot)
    page.refresh_from_db()
    if rng.random() < 0.2:
        page.unpublish(); unpublished += 1
        time.sleep(0.05)
    page.title = f"Hot {n}"
    page.body = [{"type": "text", "value": f"<p>marker {n}</p>"}, *list(page.body.raw_data)[1:]]
    page.save_revision().publish(); published += 1
    time.sleep(0.02)
print(f"PUBLISHER published={published} unpublished={unpublished}")
"""


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--duration", type=int, default=60)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--reviews", type=int, default=2000)
    parser.add_argument(
        "--no-publish", action="store_true", help="baseline: the same load without publishing"
    )
    args = parser.parse_args()

    database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{DATA / f'bench-{args.reviews}.sqlite3'}"
    env = environment(database_url)
    django_call(env, "from django.core.management import call_command; call_command('migrate', verbosity=0)")
    django_call(
        env,
        f"from benchmarks.seed import seed; seed(reviews={args.reviews}, interviews={args.reviews // 10})",
    )
    hot = django_json(env, f"list(ReviewPage.objects.order_by('-pk').values_list('pk', 'slug')[:{HOT}])")
    paths = [f"/api/v2/pages/{pk}/" for pk, _ in hot]
    paths += [f"/api/v2/pages/find/?html_path=/reviews/{slug}/" for _, slug in hot]
    paths += [
        "/api/v2/pages/?type=reviews.ReviewPage&limit=20",
        "/api/v2/pages/?type=reviews.ReviewPage&fields=*&limit=5",
    ]

    with (
        gunicorn(env, cache=True) as server,
        tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script,
    ):
        script.write(LUA.replace("__PATHS__", ", ".join(json.dumps(p) for p in paths)))
        script.close()
        publish_seconds = "0" if args.no_publish else str(args.duration)
        publisher = subprocess.Popen(
            [PYTHON, "-c", PUBLISHER, publish_seconds, str(HOT)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        started = time.monotonic()
        output = subprocess.run(
            [
                "wrk",
                "-t2",
                f"-c{args.connections}",
                f"-d{args.duration}s",
                "--timeout",
                "10s",
                "-s",
                script.name,
                server.url(),
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        publisher_output = publisher.communicate(timeout=120)[0]
        elapsed = time.monotonic() - started
        os.unlink(script.name)

    check = dict(item.split("=") for item in output.split("CHECK ", 1)[1].split()[:4])
    latency = dict(item.split("=") for item in output.split("LATENCY ", 1)[1].split()[:2])
    socket_errors = 0
    if "Socket errors" in output:
        socket_errors = sum(
            int(part.split()[-1]) for part in output.split("Socket errors:", 1)[1].splitlines()[0].split(",")
        )
    result = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "database": "postgresql" if database_url.startswith("postgres") else "sqlite",
        "cache": "redis" if os.environ.get("REDIS_URL") else "local memory (per worker)",
        "duration_s": round(elapsed, 1),
        "connections": args.connections,
        "requests_per_s": float(output.split("Requests/sec:")[1].split()[0]),
        "p50_ms": float(latency["p50"]),
        "p99_ms": float(latency["p99"]),
        "ok_200": int(check["ok"]),
        "not_found_404_while_unpublished": int(check["gone"]),
        "errors": int(check["bad"]) + socket_errors,
        "torn_pages": int(check["torn"]),
        "publisher": publisher_output.strip(),
    }
    print(json.dumps(result, indent=2))
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"load-{datetime.now(UTC).strftime('%Y%m%dT%H%M%SZ')}-{result['database']}.json").write_text(
        json.dumps(result, indent=2)
    )
    publisher_ran = publisher.returncode == 0 and "published=" in result["publisher"]
    sys.exit(0 if publisher_ran and result["errors"] == 0 and result["torn_pages"] == 0 else 1)


if __name__ == "__main__":
    main()
