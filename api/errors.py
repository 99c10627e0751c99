"""The API's one error shape: ``{"message": "…", "status": 400}``.

Every JSON error (DRF views, the preview, the OpenAPI view, catch-all 404s,
503 on a database outage, 429 from the rate limiter) is built here.
"""

from django.http import JsonResponse


def json_error(message, status, cache_control=None, **headers):
    """A JSON error response; ``headers`` like ``Retry_After="5"`` become ``Retry-After: 5``."""
    response = JsonResponse({"message": message, "status": status}, status=status)
    if cache_control:
        response["Cache-Control"] = cache_control
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def method_not_allowed(request, allowed=("GET", "HEAD")):
    return json_error(f'Method "{request.method}" not allowed.', 405, Allow=", ".join(allowed))
