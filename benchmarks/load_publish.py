"""Bounded load test while pages are published and unpublished underneath it.

    DATABASE_URL=postgres://… REDIS_URL=redis://… python benchmarks/load_publish.py [--duration 60 --connections 32]

Serves the production settings with gunicorn (2 workers) and the delivery
store's task worker (``manage.py db_worker``, django-tasks-db) on the benchmark
corpus (seeded if missing), drives review detail, find-by-path and listing
requests with wrk for ``--duration`` seconds twice: first without publishing
(the baseline), then while a publisher publishes new revisions of a set of
"hot" reviews at ``--rate`` publishes a second (and unpublishes/republishes
some). For every publish, the publisher times how long its commit takes to
become visible in the API (it polls the detail URL every 100 ms until that
revision or a later one is served): publish-to-visible p50/p99. Each phase
also reports the CPU seconds used by the web workers, the task worker, the
database server (every PostgreSQL process on the host: run it on a quiet machine)
and the publisher, and the tasks still queued when the phase ended.

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
from contextlib import nullcontext
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
import django, json, sys, threading, time, random, urllib.request
django.setup()
from reviews.models import ReviewPage
seconds, hot_count, rate, base = float(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
polling = sys.argv[5] == "poll"  # without a worker nothing becomes visible: do not poll
hot = list(ReviewPage.objects.order_by("-pk")[:hot_count])
deadline = time.monotonic() + seconds
n = 0
published = unpublished = 0
visible_after = []
rng = random.Random(7)

def wait_visible(pk, n, committed):
    # Poll the API until this revision (or a later one of the page) is served: the
    # publish-to-visible delay.
    while time.monotonic() - committed < 30:
        try:
            body = urllib.request.urlopen(f"{base}/api/v2/pages/{pk}/", timeout=5).read()
            title = json.loads(body).get("title", "")
            if title.startswith("Hot ") and int(title[4:]) >= n:
                visible_after.append(time.monotonic() - committed)
                return
        except OSError:
            pass
        # Every 100 ms: finer polling would itself load the server it measures (about
        # five polls are in flight at five publishes a second).
        time.sleep(0.1)

pollers = []
while time.monotonic() < deadline:
    started = time.monotonic()
    n += 1
    page = rng.choice(hot)
    page.refresh_from_db()
    if rng.random() < 0.2:
        page.unpublish(); unpublished += 1
    page.title = f"Hot {n}"
    page.body = [{"type": "text", "value": f"<p>marker {n}</p>"}, *list(page.body.raw_data)[1:]]
    page.save_revision().publish(); published += 1
    if polling:
        poller = threading.Thread(target=wait_visible, args=(page.pk, n, time.monotonic()))
        poller.start(); pollers.append(poller)
    time.sleep(max(0.0, 1 / rate - (time.monotonic() - started)))
for poller in pollers:
    poller.join()
visible_after.sort()
def pct(p):
    return visible_after[min(len(visible_after) - 1, int(len(visible_after) * p))] * 1000 if visible_after else float("nan")
print(f"PUBLISHER published={published} unpublished={unpublished} seen={len(visible_after)} "
      f"cpu_s={time.process_time():.1f} "
      f"visible_p50_ms={pct(0.5):.0f} visible_p99_ms={pct(0.99):.0f}")
"""


ROLES = {
    "gunicorn": "web",
    "db_worker": "worker",
    "postgres": "database",
    "redis-server": "redis",
}


def cpu_seconds():
    """Cumulative CPU seconds of every running process, by pid: ``{pid: (role, seconds)}``."""
    listing = subprocess.run(
        ["ps", "-eo", "pid,cputimes,args", "--no-headers"], capture_output=True, text=True
    )
    processes = {}
    for line in listing.stdout.splitlines():
        pid, seconds, command = line.split(None, 2)
        role = next((role for needle, role in ROLES.items() if needle in command), None)
        if role:
            processes[int(pid)] = (role, int(seconds))
    return processes


def cpu_by_role(before, after):
    """CPU seconds each role used between two :func:`cpu_seconds` readings (ps counts whole seconds)."""
    used = {}
    for pid, (role, seconds) in after.items():
        used[role] = used.get(role, 0) + seconds - before.get(pid, (role, 0))[1]
    return used


def phase(env, paths, args, publish):
    """One wrk run (optionally with the publisher); the measured figures as a dict."""
    worker_command = [PYTHON, "manage.py", "db_worker", "--interval", "0.05", "--no-startup-delay"]
    # Each phase starts with an empty queue: the last phase's leftovers are not this one's load.
    subprocess.run([*worker_command, "--batch"], cwd=ROOT, env=env, check=True, capture_output=True)
    with (
        gunicorn(env) as server,
        subprocess.Popen(worker_command, cwd=ROOT, env=env) if args.worker else nullcontext() as worker,
        tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script,
    ):
        script.write(LUA.replace("__PATHS__", ", ".join(json.dumps(p) for p in paths)))
        script.close()
        publish_seconds = str(args.duration) if publish else "0"
        publisher = subprocess.Popen(
            [PYTHON, "-c", PUBLISHER, publish_seconds, str(HOT), str(args.rate), server.url().rstrip("/")]
            + ["poll" if args.worker else "no-poll"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        started = time.monotonic()
        started_at = datetime.now(UTC).isoformat()
        cpu_before = cpu_seconds()
        output = subprocess.run(
            ["wrk", "-t2", f"-c{args.connections}", f"-d{args.duration}s", "--timeout", "10s"]
            + ["-s", script.name, server.url()],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        cpu = cpu_by_role(cpu_before, cpu_seconds())
        backlog = django_json(env, "__import__('benchmarks.seed', fromlist=['x']).queued_tasks()")
        ran = django_json(
            env, f"__import__('benchmarks.seed', fromlist=['x']).tasks_run_since({started_at!r})"
        )
        publisher_output = publisher.communicate(timeout=120)[0]
        elapsed = time.monotonic() - started
        os.unlink(script.name)
        if args.worker:
            worker.terminate()

    check = dict(item.split("=") for item in output.split("CHECK ", 1)[1].split()[:4])
    latency = dict(item.split("=") for item in output.split("LATENCY ", 1)[1].split()[:2])
    socket_errors = 0
    if "Socket errors" in output:
        socket_errors = sum(
            int(part.split()[-1]) for part in output.split("Socket errors:", 1)[1].splitlines()[0].split(",")
        )
    publisher_figures = dict(item.split("=") for item in publisher_output.split("PUBLISHER ", 1)[-1].split())
    return {
        "publishing": publish,
        "duration_s": round(elapsed, 1),
        "requests_per_s": float(output.split("Requests/sec:")[1].split()[0]),
        "p50_ms": float(latency["p50"]),
        "p99_ms": float(latency["p99"]),
        "ok_200": int(check["ok"]),
        "not_found_404_while_unpublished": int(check["gone"]),
        "errors": int(check["bad"]) + socket_errors,
        "torn_pages": int(check["torn"]),
        "publisher": publisher_figures,
        # CPU seconds over wrk's run, by process (the publisher's own is in "publisher").
        "cpu_seconds": cpu,
        # Tasks still waiting when wrk stopped: work the worker had not kept up with.
        "queued_tasks_at_end": backlog,
        # Tasks the worker ran during the phase: [count, wall seconds] by task.
        "tasks_run": ran,
        "publisher_ok": publisher.returncode == 0 and "published" in publisher_figures,
    }


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--duration", type=int, default=60)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--reviews", type=int, default=2000)
    parser.add_argument("--rate", type=float, default=5.0, help="publishes per second")
    parser.add_argument(
        "--no-worker",
        dest="worker",
        action="store_false",
        help="run no task worker: what publishing alone costs the readers (nothing becomes visible)",
    )
    args = parser.parse_args()

    database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{DATA / f'bench-{args.reviews}.sqlite3'}"
    env = {**environment(database_url), "TASKS_BACKEND": "database"}
    django_call(env, "from django.core.management import call_command; call_command('migrate', verbosity=0)")
    django_call(
        env,
        f"from benchmarks.seed import seed; seed(reviews={args.reviews}, interviews={args.reviews // 10})",
    )
    django_json(env, "__import__('benchmarks.seed', fromlist=['x']).build_store()")
    hot = django_json(env, f"list(ReviewPage.objects.order_by('-pk').values_list('pk', 'slug')[:{HOT}])")
    paths = [f"/api/v2/pages/{pk}/" for pk, _ in hot]
    paths += [f"/api/v2/pages/find/?html_path=/reviews/{slug}/" for _, slug in hot]
    paths += [
        "/api/v2/pages/?type=reviews.ReviewPage&limit=20",
        "/api/v2/pages/?type=reviews.ReviewPage&fields=*&limit=5",
    ]

    baseline = phase(env, paths, args, publish=False)
    loaded = phase(env, paths, args, publish=True)
    result = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "database": "postgresql" if database_url.startswith("postgres") else "sqlite",
        "connections": args.connections,
        "publish_rate_per_s": args.rate,
        "worker": args.worker,
        "without_publishing": baseline,
        "with_publishing": loaded,
        "throughput_ratio": loaded["requests_per_s"] / baseline["requests_per_s"],
    }
    print(json.dumps(result, indent=2))
    print(
        f"\nthroughput {baseline['requests_per_s']:.0f} req/s without publishing, "
        f"{loaded['requests_per_s']:.0f} with {args.rate:g} publishes/s "
        f"({result['throughput_ratio']:.0%}; target >= 80%); "
        f"publish-to-visible p50 {loaded['publisher'].get('visible_p50_ms')} ms, "
        f"p99 {loaded['publisher'].get('visible_p99_ms')} ms (target p99 <= 2000 ms); "
        f"errors {loaded['errors']}, torn pages {loaded['torn_pages']}"
    )
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"load-{datetime.now(UTC).strftime('%Y%m%dT%H%M%SZ')}-{result['database']}.json").write_text(
        json.dumps(result, indent=2)
    )
    passed = all(
        run["publisher_ok"] and run["errors"] == 0 and run["torn_pages"] == 0 for run in (baseline, loaded)
    )
    sys.exit(0 if passed else 1)


if __name__ == "__main__":
    main()
