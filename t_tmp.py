import django
import os

os.environ["DJANGO_SETTINGS_MODULE"] = "site_config.settings.dev"
django.setup()
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

c = Client()
import sys

for url in sys.argv[1:]:
    with CaptureQueriesContext(connection) as q:
        r = c.get(url, HTTP_HOST="127.0.0.1")
    print(url, r.status_code, len(q), "queries")
    print(r.content.decode()[:3000])
