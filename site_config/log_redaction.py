"""Keep secrets that travel in URLs out of every log.

A headless preview URL carries a signed token (``/api/v2/preview/?content_type=…&token=…``,
api/preview.py) that reads an unpublished draft. Access logs record request lines,
query strings and referers, and log files outlive tokens' purpose and reach more
people than drafts should, so every log line is passed through ``redact_secrets``:
gunicorn's access log (``RedactingGunicornLogger``, set in site_config/gunicorn.py)
and Django's handlers (``RedactSecretsFilter``, set in the settings' ``LOGGING``).

    >>> redact_secrets('"GET /api/v2/preview/?content_type=reviews.reviewpage&token=eyJr:1v:x HTTP/1.1"')
    '"GET /api/v2/preview/?content_type=reviews.reviewpage&token=[redacted] HTTP/1.1"'
"""

import logging
import re

from gunicorn.glogging import Logger

REDACTED = "[redacted]"
# ``token=`` as a query parameter (also percent-encoded inside another URL, as in a
# referer's ``?next=``), up to the end of its value.
SECRET_PARAMETER = re.compile(
    r"(?P<name>(?:^|(?<=[?&;\s\"'])|(?<=%3F)|(?<=%26))token(?:=|%3D))(?:(?!%26)[^&;#\s\"'])*",
    re.IGNORECASE,
)


def redact_secrets(text):
    """``text`` with the value of every ``token`` query parameter replaced by ``[redacted]``."""
    return SECRET_PARAMETER.sub(lambda match: match["name"] + REDACTED, text)


class RedactSecretsFilter(logging.Filter):
    """A logging filter (for handlers) that redacts the formatted message of each record."""

    def filter(self, record):
        message = record.getMessage()
        redacted = redact_secrets(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True


class RedactingGunicornLogger(Logger):
    """gunicorn's logger, with secrets redacted from every access-log atom.

    The request line (``%(r)s``), query string (``%(q)s``), referer (``%(f)s``) and
    any header or environ atom a custom ``access_log_format`` might use.
    """

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {
            name: redact_secrets(value) if isinstance(value, str) else value for name, value in atoms.items()
        }
