"""Who the client is: the address our own proxies saw, whatever the request claims.

One answer for everything that keys on a client: the API rate limit
(api/throttling.py), the admin's lock-out after failed logins (django-axes,
``AXES_CLIENT_IP_CALLABLE``) and DRF (``REST_FRAMEWORK["NUM_PROXIES"]``), all
set from the one ``TRUSTED_PROXY_COUNT`` setting.
"""

import ipaddress

from django.conf import settings


def client_ip(request):
    """The client's address, counting ``TRUSTED_PROXY_COUNT`` proxies from the right.

    Each proxy appends the address it received the request from to
    ``X-Forwarded-For``; anything to the left of what our own proxies appended
    was written by the client and is ignored. With one proxy,
    ``X-Forwarded-For: 1.2.3.4, 198.51.100.7`` from ``REMOTE_ADDR=10.0.0.1`` is
    ``198.51.100.7``, whatever ``1.2.3.4`` is. This is DRF's ``NUM_PROXIES``
    rule. With 0 (the default, no proxy) the header is ignored and the client is
    ``REMOTE_ADDR``, as it is when the chosen hop is not an IP address.
    """
    remote_addr = request.META.get("REMOTE_ADDR") or None
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0 or not forwarded:
        return remote_addr
    hops = forwarded.split(",")
    try:
        return str(ipaddress.ip_address(hops[-min(proxies, len(hops))].strip()))
    except ValueError:
        return remote_addr
