"""Health endpoints for load balancers and the person on call.

``/healthz``: the process is up (no dependencies touched).
``/readyz``: the database and the cache answer; 503 with details if not.
"""

import time

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse


def healthz(request):
    return JsonResponse({"status": "ok"})


def readyz(request):
    checks = {"database": _check(_database), "cache": _check(_cache)}
    ready = all(check["ok"] for check in checks.values())
    response = JsonResponse(
        {"status": "ok" if ready else "unavailable", "checks": checks}, status=200 if ready else 503
    )
    response["Cache-Control"] = "no-store"
    if not ready:
        response["Retry-After"] = "5"
    return response


def _database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _cache():
    key = "readyz:probe"
    cache.set(key, "1", timeout=10)
    if cache.get(key) != "1":
        raise RuntimeError("cache did not return what was stored")


def _check(probe):
    started = time.perf_counter()
    try:
        probe()
    except Exception as exc:
        return {
            "ok": False,
            "error": type(exc).__name__,
            "ms": round((time.perf_counter() - started) * 1000, 1),
        }
    return {"ok": True, "ms": round((time.perf_counter() - started) * 1000, 1)}
