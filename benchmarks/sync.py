"""The change feed under load: an offline client's initial sync of every review, then a delta.

    python benchmarks/sync.py                  # 2,000 reviews (the corpus make bench seeds)
    python benchmarks/sync.py --reviews 50000  # the issue's figure
    python benchmarks/sync.py --limit 100      # items per request (default: SYNC_LIMIT_MAX)

Seeds the corpus as ``benchmarks/run.py`` does (or reuses it), serves the production
settings with gunicorn, and runs the reference client (examples/sync_client.py, SQLite in
memory) against it over HTTP:

1. the initial sync of every public review and interview: wall time, requests, bytes;
2. 10 reviews edited and published through Wagtail (the store re-renders them and logs
   10 changes), then the delta sync: requests (one), items, bytes and time;
3. a poll with nothing new (the same cursor comes back).

Results go to benchmarks/results/sync-<timestamp>-<database>-<reviews>.json and .md.
"""

import argparse
import json
import os
import platform
import sqlite3
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.run import DATA, RESULTS, django_call, django_json, environment, gunicorn  # noqa: E402
from examples.sync_client import SyncClient, http_get  # noqa: E402


def edit_reviews(count):
    """Retitle and publish ``count`` reviews through Wagtail, as editors would (run inside Django)."""
    from reviews.models import ReviewPage

    for page in ReviewPage.objects.order_by("pk")[:count]:
        page.title += " (revised)"
        page.save_revision().publish()
    return count


def clone_documents(total):
    """Grow the store to ``total`` synced documents by copying stored ones under new ids, each
    with its change-log entry (run inside Django); returns the number of synced documents.

    For ``--clone-to``: the feed reads stored bytes only, so copies cost it what rendered
    documents would, without the hour of CPU that rendering 50,000 pages takes.
    """
    from django.db import transaction

    from delivery.models import Change, StoredPage

    synced = StoredPage.objects.filter(page_type__in=["reviews.ReviewPage", "reviews.InterviewPage"])
    have = synced.count()
    sources = list(synced.order_by("page_id").values(*(f.attname for f in StoredPage._meta.concrete_fields)))
    first_id = CLONE_IDS_FROM + StoredPage.objects.filter(page_id__gte=CLONE_IDS_FROM).count()
    for start in range(0, max(total - have, 0), 2000):
        copies = [
            StoredPage(**{**sources[n % len(sources)], "page_id": first_id + n})
            for n in range(start, min(start + 2000, total - have))
        ]
        with transaction.atomic():
            StoredPage.objects.bulk_create(copies)
            Change.objects.bulk_create(Change(page_id=c.page_id, page_type=c.page_type) for c in copies)
    return synced.count()


CLONE_IDS_FROM = 10_000_000  # far above any page id the corpus uses


def timed_sync(client):
    """``{"seconds", "requests", "bytes", "items"}`` of one ``client.sync()``."""
    requests, size = client.requests, client.bytes
    started = time.perf_counter()
    items = client.sync()
    return {
        "seconds": time.perf_counter() - started,
        "requests": client.requests - requests,
        "bytes": client.bytes - size,
        "items": items,
    }


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--reviews", type=int, default=2000)
    parser.add_argument("--interviews", type=int, default=None, help="default: reviews / 10")
    parser.add_argument("--limit", type=int, default=None, help="items per request (default SYNC_LIMIT_MAX)")
    parser.add_argument(
        "--clone-to",
        type=int,
        help="SQLite only: grow a copy of the corpus's store to this many documents by copying "
        "stored ones (see clone_documents), e.g. --clone-to 50000",
    )
    args = parser.parse_args()
    reviews = args.reviews
    interviews = args.interviews if args.interviews is not None else max(reviews // 10, 10)
    DATA.mkdir(parents=True, exist_ok=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{DATA / f'bench-{reviews}.sqlite3'}"
    env = environment(database_url)
    backend = "postgresql" if database_url.startswith("postgres") else "sqlite"

    print(f"== Sync benchmark: {reviews} reviews, {interviews} interviews on {backend}")
    django_call(env, "from django.core.management import call_command; call_command('migrate', verbosity=0)")
    django_call(
        env,
        "from benchmarks.seed import films_for, seed; "
        f"seed(reviews={reviews}, interviews={interviews}, people=100, films=films_for({reviews}))",
    )
    django_json(env, "__import__('benchmarks.seed', fromlist=['x']).build_store()")
    if args.clone_to:
        if backend != "sqlite":
            sys.exit("--clone-to copies the SQLite corpus file; run it without DATABASE_URL")
        clone = DATA / f"bench-{reviews}-sync-{args.clone_to}.sqlite3"
        with sqlite3.connect(DATA / f"bench-{reviews}.sqlite3") as source, sqlite3.connect(clone) as target:
            source.backup(target)
        env = environment(f"sqlite:///{clone}")
        django_json(env, f"__import__('benchmarks.sync', fromlist=['x']).clone_documents({args.clone_to})")
    limit = args.limit or django_json(env, "__import__('django.conf').conf.settings.SYNC_LIMIT_MAX")
    public = django_json(
        env,
        "__import__('delivery.models', fromlist=['x']).StoredPage.objects.filter("
        "page_type__in=['reviews.ReviewPage', 'reviews.InterviewPage']).count()",
    )

    results = {}
    with gunicorn(env) as server:
        client = SyncClient(server.url(""), fetch=http_get, limit=limit)
        results["initial sync"] = timed_sync(client)
        stored = client.db.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
        assert stored == public, (stored, public)
        django_json(env, "__import__('benchmarks.sync', fromlist=['x']).edit_reviews(10)")
        results["delta after 10 changes"] = timed_sync(client)
        results["poll, nothing new"] = timed_sync(client)

    meta = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "reviews": reviews,
        "interviews": interviews,
        "documents": public,
        "copied documents": max(public - (reviews + interviews), 0) if args.clone_to else 0,
        "database": backend,
        "limit": limit,
        "workers": 2,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
    }
    table = render(meta, results)
    print(table)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    base = RESULTS / f"sync-{stamp}-{backend}-{public}"
    base.with_suffix(".json").write_text(json.dumps({"meta": meta, "results": results}, indent=2))
    base.with_suffix(".md").write_text(table + "\n")
    print(f"\nwritten: {base.with_suffix('.json').relative_to(ROOT)} and .md")


def render(meta, results):
    lines = [
        f"Sync benchmark — {meta['reviews']} reviews, {meta['interviews']} interviews "
        f"({meta['documents']} documents, {meta['copied documents']} of them byte copies), "
        f"{meta['database']}, limit {meta['limit']} per request, "
        f"gunicorn {meta['workers']} workers, one client, {meta['machine']}, {meta['when']}",
        "",
        "| step | seconds | requests | items | bytes | documents/s |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, r in results.items():
        rate = r["items"] / r["seconds"] if r["items"] and r["seconds"] else 0
        lines.append(
            f"| {name} | {r['seconds']:.2f} | {r['requests']} | {r['items']} | {r['bytes']:,} | {rate:.0f} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
