"""Milliseconds per uncached API request, measured in one process (no HTTP, no load generator).

    python benchmarks/inprocess.py --reviews 50000 --requests 300

Uses the corpus ``make bench`` seeded (benchmarks/.data/bench-<reviews>.sqlite3) with the
response cache off, and times review detail (cycling through 200 reviews) and the
20-item ``fields=*`` listing (cycling through 10 offsets) through Django's test client.
Quieter than wrk for comparing two versions of the code; ``--profile`` prints a
pyinstrument profile (``pip install pyinstrument``) of the listing instead.
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.run import DATA, environment  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reviews", type=int, default=2000, help="which seeded corpus")
    parser.add_argument("--requests", type=int, default=200, help="detail requests; listings get a tenth")
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    database = DATA / f"bench-{args.reviews}.sqlite3"
    if not database.exists():
        sys.exit(f"{database} is missing: run `python benchmarks/run.py --reviews {args.reviews}` first")
    os.environ.update(environment(f"sqlite:///{database}"), ALLOWED_HOSTS="127.0.0.1")

    import django

    django.setup()
    from django.test import Client

    from reviews.models import ReviewPage

    client = Client(HTTP_HOST="127.0.0.1")
    ids = list(ReviewPage.objects.order_by("-pk").values_list("pk", flat=True)[:200])
    detail = [f"/api/v2/pages/{pk}/" for pk in ids]
    listing = [f"/api/v2/pages/?type=reviews.ReviewPage&fields=*&limit=20&offset={20 * n}" for n in range(10)]

    def timed(paths, count):
        for path in paths[:5]:  # warm-up: imports, URL resolution, first-query caches
            assert client.get(path).status_code == 200, path
        start = time.perf_counter()
        for n in range(count):
            client.get(paths[n % len(paths)])
        return (time.perf_counter() - start) / count * 1000

    if args.profile:
        from pyinstrument import Profiler

        with Profiler(interval=0.0005) as profiler:
            timed(listing, max(args.requests // 10, 1))
        print(profiler.output_text(color=False))
        return
    print(f"corpus: {args.reviews} reviews")
    print(f"review detail: {timed(detail, args.requests):.2f} ms/request")
    print(f"20-item listing fields=*: {timed(listing, max(args.requests // 10, 1)):.2f} ms/request")


if __name__ == "__main__":
    main()
