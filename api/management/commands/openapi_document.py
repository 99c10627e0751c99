"""``manage.py openapi_document [PATH]``: write the OpenAPI document (stdout without PATH).

``make clients`` generates the TypeScript types and the Python client from it;
the committed TypeScript types are generated under the default settings, so
run it without API_* overrides in the environment.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand

from api.openapi import build_document


class Command(BaseCommand):
    help = "Write the OpenAPI document of /api/v2/ as JSON."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", help="File to write (default: standard output).")

    def handle(self, *args, path=None, **options):
        text = json.dumps(build_document(), indent=1, ensure_ascii=False) + "\n"
        if path is None:
            self.stdout.write(text, ending="")
            return
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        Path(path).write_text(text, encoding="utf-8")
