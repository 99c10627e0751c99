import django
import os
import sys

os.environ["DJANGO_SETTINGS_MODULE"] = "site_config.settings.dev"
django.setup()
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

c = Client()
c.get(sys.argv[1], HTTP_HOST="127.0.0.1")
with CaptureQueriesContext(connection) as q:
    r = c.get(sys.argv[1], HTTP_HOST="127.0.0.1")
print(r.status_code, len(q))
for x in q.captured_queries:
    print("-", x["sql"][:300])
