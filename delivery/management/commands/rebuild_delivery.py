"""``manage.py rebuild_delivery``: (re)render stored documents.

Idempotent and resumable: pages are written twenty to a transaction, and a
page whose document is already current is left untouched (reported
"unchanged"), so an interrupted run simply continues where it stopped when run
again. Safe while editors publish: every write locks and re-reads its page.
"""

import sys
import time

from django.core.management.base import BaseCommand

from delivery.rebuild import pages_to_render, rebuild


class Command(BaseCommand):
    help = "Render every public page into the delivery store and drop pages that are no longer public."

    def add_arguments(self, parser):
        selection = parser.add_mutually_exclusive_group()
        selection.add_argument("--missing", action="store_true", help="only public pages with no document")
        selection.add_argument(
            "--stale", action="store_true", help="only documents rendered under other settings"
        )
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args, **options):
        page_ids = pages_to_render(only_missing=options["missing"], only_stale=options["stale"])
        started = time.monotonic()
        show = not options["no_progress"] and page_ids
        outcomes = rebuild(page_ids, progress=self._progress if show else None)
        if show:
            self.stdout.write("")
        elapsed = time.monotonic() - started
        summary = ", ".join(f"{count} {outcome}" for outcome, count in outcomes.items())
        self.stdout.write(f"{len(page_ids)} pages in {elapsed:.1f} s: {summary}")

    def _progress(self, done, total):
        width = 30
        filled = width * done // total
        self.stdout.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}", ending="")
        if self.stdout.isatty() if hasattr(self.stdout, "isatty") else sys.stdout.isatty():
            self.stdout.flush()
