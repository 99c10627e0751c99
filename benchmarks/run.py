"""``make bench``: Marquee's API against stock Wagtail v2 and a trivial view, on the same data.

Seeds a corpus (benchmarks/seed.py), serves the production settings with
gunicorn (2 workers; PostgreSQL when DATABASE_URL is set, else a SQLite file
under benchmarks/.data/), drives each scenario with wrk and prints req/s,
p50 and p99 side by side, with the ratios the performance issue sets targets
for. Results also go to benchmarks/results/<timestamp>.json and .md.

    python benchmarks/run.py                 # 2,000 reviews, 10 s per scenario
    python benchmarks/run.py --scale 50000 --no-search   # 50,000 reviews
    python benchmarks/run.py --duration 3 --reviews 200   # a quick smoke run
"""

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.processes import ServerProcess, free_port  # noqa: E402  (run as a script)

DATA = ROOT / "benchmarks" / ".data"
RESULTS = ROOT / "benchmarks" / "results"
PYTHON = sys.executable


def environment(database_url):
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="benchmarks.settings",
        SECRET_KEY="benchmark-only-" + "k" * 60,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="false",
        DATABASE_URL=database_url,
        MEDIA_ROOT=str(DATA / "media"),
        WAGTAILAPI_BASE_URL="http://127.0.0.1",
        FRONTEND_BASE_URL="https://www.marquee.example",
        PYTHONPATH=str(ROOT),
        LOG_LEVEL="WARNING",
        API_RATE_LIMIT="0",  # one load generator on one IP is not abuse
    )
    return env


def django_call(env, code):
    subprocess.run([PYTHON, "-c", f"import django; django.setup(); {code}"], cwd=ROOT, env=env, check=True)


def django_json(env, expression):
    """Evaluate ``expression`` in a Django process on the benchmark database; return it via JSON."""
    code = f"import django, json; django.setup(); from reviews.models import ReviewPage; print(json.dumps({expression}))"
    result = subprocess.run(
        [PYTHON, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout)


def gunicorn(env, workers=2):
    """gunicorn (production settings, benchmark URLconf) as a ``ServerProcess``."""
    port = free_port()
    env = {**env, "DJANGO_SETTINGS_MODULE": "benchmarks.settings"}
    command = [PYTHON, "-m", "gunicorn", "site_config.wsgi:application", "--workers", workers]
    command += ["--bind", f"127.0.0.1:{port}", "--log-level", "warning"]
    return ServerProcess(command, port=port, env=env, ready_path="/bench/floor/")


LUA = """
%s
paths = {%s}
counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1])
end
"""

LATENCY = re.compile(r"^\s+(50|99)(?:\.0+)?%\s+([\d.]+)(us|ms|s)\s*$", re.M)
UNIT = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk(url, paths, duration, connections, headers=None):
    """Run wrk over ``paths`` (cycled) and return req/s, p50 and p99 in ms, and non-2xx count."""
    header_lines = "\n".join(
        f"wrk.headers[{json.dumps(k)}] = {json.dumps(v)}" for k, v in (headers or {}).items()
    )
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(LUA % (header_lines, ", ".join(json.dumps(path) for path in paths)))
    output = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", "-s", script.name, url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    os.unlink(script.name)
    latencies = {p: float(v) * UNIT[u] for p, v, u in LATENCY.findall(output)}
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50_ms": latencies.get("50", float("nan")),
        "p99_ms": latencies.get("99", float("nan")),
        "non_2xx": int(errors.group(1)) if errors else 0,
        "socket_errors": sum(int(n) for n in socket_errors.groups()) if socket_errors else 0,
    }


def count_queries(env, path):
    code = (
        "from django.test import Client; from django.db import connection; "
        "from django.test.utils import CaptureQueriesContext; from django.core.cache import cache; "
        "c = Client(); "
        f"c.get({path!r}, HTTP_HOST='127.0.0.1');\n"
        "with CaptureQueriesContext(connection) as q: r = c.get(" + repr(path) + ", HTTP_HOST='127.0.0.1')\n"
        "print(r.status_code, len(q))"
    )
    result = subprocess.run(
        [PYTHON, "-c", f"import django; django.setup()\n{code}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return int(result.stdout.split()[-1])


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--reviews", type=int, default=2000)
    parser.add_argument("--interviews", type=int, default=None, help="default: reviews / 10")
    parser.add_argument("--scale", type=int, help="number of reviews, e.g. 50000 (same as --reviews)")
    parser.add_argument("--duration", type=int, default=10, help="seconds per scenario")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument(
        "--no-search",
        action="store_true",
        help="skip the search scenarios (on SQLite at large scale one search outlasts its scenario "
        "and occupies the workers into the next ones)",
    )
    args = parser.parse_args()
    reviews = args.scale or args.reviews
    interviews = args.interviews if args.interviews is not None else max(reviews // 10, 10)

    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install wrk (make bench does this)")
    DATA.mkdir(parents=True, exist_ok=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{DATA / f'bench-{reviews}.sqlite3'}"
    env = environment(database_url)
    backend = "postgresql" if database_url.startswith("postgres") else "sqlite"

    print(f"== Marquee benchmark: {reviews} reviews, {interviews} interviews on {backend}")
    django_call(env, "from django.core.management import call_command; call_command('migrate', verbosity=0)")
    django_call(
        env,
        "from benchmarks.seed import films_for, seed; "
        f"seed(reviews={reviews}, interviews={interviews}, people=100, films=films_for({reviews}))",
    )
    django_call(
        env,
        "from django.core.management import call_command; call_command('collectstatic', verbosity=0, interactive=False)",
    )
    # Seeding writes rows in bulk, without signals: render the delivery store once.
    rendering = django_json(
        env,
        "__import__('benchmarks.seed', fromlist=['x']).build_store()",
    )
    print(f"  delivery store: {rendering['rendered']} documents rendered in {rendering['seconds']:.1f} s")

    review_ids = django_json(
        env,
        "list(ReviewPage.objects.order_by('-pk').values_list('pk', 'slug', 'authors__person__slug')[:200])",
    )
    details = [f"/api/v2/pages/{pk}/" for pk, _, _ in review_ids]
    stock_details = [f"/stock/api/v2/pages/{pk}/" for pk, _, _ in review_ids]
    finds = [f"/api/v2/pages/find/?html_path=/reviews/{slug}/" for _, slug, _ in review_ids]
    authors = sorted(
        {f"/api/v2/pages/?type=reviews.ReviewPage&author={author}" for _, _, author in review_ids if author}
    )
    listing = "/api/v2/pages/?type=reviews.ReviewPage&fields=*&limit=20"
    listings = [listing + f"&offset={20 * n}" for n in range(10)]
    stock_listings = [path.replace("/api/", "/stock/api/", 1) for path in listings]
    deep_listings = [
        listing + f"&offset={offset}" for offset in range(max(reviews - 400, 0), reviews - 20, 40)
    ]
    first_pages = ["/api/v2/pages/?type=reviews.ReviewPage&limit=20"]
    keyset_deep = django_json(env, f"__import__('benchmarks.seed', fromlist=['x']).keyset_paths({reviews})")
    searches = [
        f"/api/v2/pages/?type=reviews.ReviewPage&search={word}"
        for word in ("cinema", "festival", "river", "portrait", "archive")
    ]
    stock_searches = [path.replace("/api/", "/stock/api/", 1) for path in searches]

    scenarios = [
        # name, paths: every Marquee read is served from the delivery store (no response cache)
        ("floor: trivial JSON view", ["/bench/floor/"]),
        ("stock: review detail", stock_details),
        ("marquee: review detail", details),
        ("marquee: review detail, gzip", details),
        ("stock: 20-item listing fields=*", stock_listings),
        ("marquee: 20-item listing fields=*", listings),
        ("marquee: 20-item listing fields=*, gzip", listings),
        ("marquee: listing, first page", first_pages),
        ("marquee: listing, deep offsets", deep_listings),
        ("marquee: listing, keyset-deep (after=)", keyset_deep),
        *([] if args.no_search else [("stock: search", stock_searches), ("marquee: search", searches)]),
        ("marquee: find by path", finds),
        ("marquee: author filter", authors),
    ]
    queries = {
        "marquee detail": count_queries(env, details[0]),
        "stock detail": count_queries(env, stock_details[0]),
        "marquee listing 20 fields=*": count_queries(env, listings[0]),
        "stock listing 20 fields=*": count_queries(env, stock_listings[0]),
    }

    results = {}
    with gunicorn(env) as server:
        for name, paths in scenarios:
            try:
                urllib.request.urlopen(
                    server.url(paths[0]), timeout=60
                ).read()  # warm the worker's code paths
            except OSError as exc:
                print(f"  {name:40s} warm-up failed ({exc}); measuring anyway")
            headers = {"Accept-Encoding": "gzip"} if name.endswith(", gzip") else None
            results[name] = wrk(server.url(), paths, args.duration, args.connections, headers)
            r = results[name]
            print(
                f"  {name:40s} {r['rps']:9.1f} req/s   p50 {r['p50_ms']:8.2f} ms   p99 {r['p99_ms']:8.2f} ms   "
                f"errors {r['non_2xx'] + r['socket_errors']}"
            )

        sizes = {
            "review detail": response_sizes(server.url(details[0])),
            "20-item listing fields=*": response_sizes(server.url(listings[0])),
        }

    def ratio(a, b):
        return results[a]["rps"] / results[b]["rps"] if results[b]["rps"] else float("inf")

    ratios = {
        "detail vs stock (target >= 10x)": ratio("marquee: review detail", "stock: review detail"),
        "detail vs floor (target >= 0.5)": ratio("marquee: review detail", "floor: trivial JSON view"),
        "20-item listing fields=* vs stock (target >= 20x)": ratio(
            "marquee: 20-item listing fields=*", "stock: 20-item listing fields=*"
        ),
        "20-item listing fields=* vs floor (target >= 0.25)": ratio(
            "marquee: 20-item listing fields=*", "floor: trivial JSON view"
        ),
    }
    if not args.no_search:
        ratios["search vs stock"] = ratio("marquee: search", "stock: search")
    rendering.update(django_json(env, "__import__('benchmarks.seed', fromlist=['x']).render_cost()"))
    meta = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "reviews": reviews,
        "interviews": interviews,
        "database": backend,
        "cache": "none (delivery store)",
        "workers": 2,
        "connections": args.connections,
        "duration_s": args.duration,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
    }
    table = render(meta, results, ratios, queries, rendering, sizes)
    print()
    print(table)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    base = RESULTS / f"{stamp}-{backend}-{reviews}"
    base.with_suffix(".json").write_text(
        json.dumps(
            {
                "meta": meta,
                "results": results,
                "ratios": ratios,
                "queries": queries,
                "rendering": rendering,
                "sizes": sizes,
            },
            indent=2,
        )
    )
    base.with_suffix(".md").write_text(table + "\n")
    print(f"\nwritten: {base.with_suffix('.json').relative_to(ROOT)} and .md")


def response_sizes(url):
    """``(bytes as sent plainly, bytes gzipped)`` of the response at ``url``."""
    plain = len(urllib.request.urlopen(url, timeout=60).read())
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})
    return plain, len(urllib.request.urlopen(request, timeout=60).read())


def render(meta, results, ratios, queries, rendering, sizes):
    lines = [
        f"Marquee benchmark — {meta['reviews']} reviews, {meta['interviews']} interviews, {meta['database']}, "
        f"cache: {meta['cache']}, gunicorn {meta['workers']} workers, wrk {meta['connections']} connections × "
        f"{meta['duration_s']} s, {meta['machine']}, {meta['when']}",
        "",
        "| scenario | req/s | p50 ms | p99 ms | non-2xx | socket errors |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, r in results.items():
        lines.append(
            f"| {name} | {r['rps']:.1f} | {r['p50_ms']:.2f} | {r['p99_ms']:.2f} | {r['non_2xx']} | {r['socket_errors']} |"
        )
    lines += ["", "| ratio | value |", "|---|---:|"]
    lines += [f"| {name} | {value:.2f} |" for name, value in ratios.items()]
    lines += ["", "| response size | plain bytes | gzip bytes |", "|---|---:|---:|"]
    lines += [f"| {name} | {plain} | {packed} |" for name, (plain, packed) in sizes.items()]
    lines += ["", "| SQL queries per request | count |", "|---|---:|"]
    lines += [f"| {name} | {count} |" for name, count in queries.items()]
    lines += [
        "",
        "| rendering (write side) | value |",
        "|---|---:|",
        f"| store built after seeding: documents | {rendering['rendered']} |",
        f"| store built after seeding: seconds | {rendering['seconds']:.1f} |",
        f"| re-render one review, median ms | {rendering['rerender_ms_p50']:.1f} |",
        f"| re-render one review, p99 ms | {rendering['rerender_ms_p99']:.1f} |",
        f"| re-render in a batch of ten, mean ms per review | {rendering['rerender_batched_ms_mean']:.1f} |",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
