"""Where webhooks may be sent: public addresses only, unless a setting allows others.

An endpoint URL is checked when it is saved and again on every send, because
what a host name resolves to can change in between. Every address the name
resolves to must be public (not loopback, private, link-local, shared, reserved
or multicast), and the connection goes to the address that was checked, so a
second, different DNS answer cannot slip a private target in
(``WEBHOOKS_ALLOW_PRIVATE_TARGETS`` turns the check off, e.g. for tests
against a receiver on localhost).
"""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings

SCHEMES = {"http": 80, "https": 443}


class RefusedTarget(Exception):
    """The URL may not receive webhooks; the message says why, for the editor."""


def check_target(url):
    """``(scheme, host, port, address)`` to connect to for ``url``, or :class:`RefusedTarget`."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES or not parts.hostname:
        raise RefusedTarget("Use an http:// or https:// URL with a host name.")
    try:
        port = parts.port or SCHEMES[scheme]
    except ValueError as error:
        raise RefusedTarget("The port is not a number between 0 and 65535.") from error
    try:
        answers = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise RefusedTarget(f"The host {parts.hostname} does not resolve.") from error
    addresses = list(dict.fromkeys(answer[4][0] for answer in answers))
    if not settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS:
        for address in addresses:
            if not is_public(address):
                raise RefusedTarget(
                    f"{parts.hostname} resolves to {address}, a private, loopback or reserved "
                    "address: webhooks go to public addresses only."
                )
    return scheme, parts.hostname, port, addresses[0]


NAT64 = ipaddress.ip_network("64:ff9b::/96")


def is_public(address):
    """True for an address on the public internet.

    IPv6 forms that carry an IPv4 address (mapped ``::ffff:a.b.c.d``, 6to4 ``2002::/16``,
    NAT64 ``64:ff9b::/96``) are judged by the IPv4 address they reach.
    """
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 zone: fe80::1%eth0
    if ip.version == 6:
        if ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped
        elif ip.sixtofour is not None:
            ip = ip.sixtofour
        elif ip in NAT64:
            ip = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return ip.is_global and not ip.is_multicast
