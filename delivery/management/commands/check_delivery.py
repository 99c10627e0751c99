"""``manage.py check_delivery``: compare the store with a fresh render of the database.

Reports every public page missing from the store, every stored page that is no
longer public, every document rendered under other settings (base URLs, media,
rendition specs) and every document that differs from a fresh render. Exit
status 1 on any drift, so deploy scripts and CI can gate on it.
"""

import random

from django.core.management.base import BaseCommand, CommandError

from delivery.models import StoredPage
from delivery.rebuild import drift


class Command(BaseCommand):
    help = "Re-render stored documents (all, or --sample N) and report any difference from the store."

    def add_arguments(self, parser):
        parser.add_argument("--sample", type=int, default=0, help="check N random stored documents only")

    def handle(self, *args, **options):
        page_ids = None
        if options["sample"]:
            stored = list(StoredPage.objects.values_list("pk", flat=True))
            page_ids = random.sample(stored, min(options["sample"], len(stored)))
        problems = drift(page_ids)
        for page_id, problem in problems:
            self.stdout.write(f"page {page_id}: {problem}" if page_id is not None else problem)
        checked = "all documents" if page_ids is None else f"{len(page_ids)} sampled documents"
        if problems:
            raise CommandError(f"{len(problems)} documents drifted from the database ({checked})")
        self.stdout.write(f"delivery store matches a fresh render ({checked})")
