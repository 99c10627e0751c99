"""Serve the reference frontend on its own origin, as a static host or CDN would.

    python examples/frontend/serve.py --port 3000 --api http://127.0.0.1:8000/api/v2/

Any path that is not a file gets ``index.html`` (the page routes itself, so
``/reviews/<slug>/`` works on a full page load); ``/config.js`` names the API.
The content security policy allows scripts and styles from this origin only, and
fetches and images from the API's origin only: the page loads nothing from anywhere else.
Standard library only, so it runs before ``make install``.
"""

import argparse
import json
import mimetypes
import re
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent
# Query strings stay out of the log: /preview/?token=… carries a secret that reads a draft.
QUERY_STRING = re.compile(r"\?[^\s\"]*")


class FrontendHandler(SimpleHTTPRequestHandler):
    """Static files, ``index.html`` for every route, and a generated ``config.js``."""

    def __init__(self, *args, api_base, policy, **kwargs):
        self.api_base = api_base
        self.policy = policy
        super().__init__(*args, directory=str(ROOT), **kwargs)

    def do_GET(self):
        path = urlsplit(self.path).path
        if path == "/config.js":
            return self.send_config()
        if path != "/" and Path(self.translate_path(path)).is_file():
            return super().do_GET()
        self.path = "/index.html"
        return super().do_GET()

    def do_HEAD(self):
        self.do_GET()

    def send_config(self):
        body = f"window.MARQUEE_CONFIG = {json.dumps({'apiBase': self.api_base})};\n".encode()
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/javascript; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command == "GET":
            self.wfile.write(body)

    def end_headers(self):
        self.send_header("Content-Security-Policy", self.policy)
        self.send_header("Cache-Control", "no-cache")
        self.send_header("X-Content-Type-Options", "nosniff")
        super().end_headers()

    def log_message(self, format, *args):  # quieter: one line per request, no timestamp, no query
        print(f"frontend: {QUERY_STRING.sub('', format % args)}", flush=True)


def origin(url):
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def content_security_policy(api_base, media_origins):
    api = origin(api_base)
    images = " ".join(dict.fromkeys([api, *media_origins]))
    return (
        "default-src 'self'; "
        f"connect-src {api}; img-src 'self' {images}; "
        "script-src 'self'; style-src 'self'; object-src 'none'; base-uri 'none'"
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=3000)
    parser.add_argument("--api", default="http://127.0.0.1:8000/api/v2/", help="the API base URL")
    parser.add_argument(
        "--media-origin",
        action="append",
        default=[],
        help="another origin images come from (object storage, CDN); repeatable",
    )
    args = parser.parse_args(argv)
    api_base = args.api if args.api.endswith("/") else args.api + "/"
    mimetypes.add_type("text/javascript", ".js")
    policy = content_security_policy(api_base, args.media_origin)
    handler = partial(FrontendHandler, api_base=api_base, policy=policy)
    server = ThreadingHTTPServer((args.host, args.port), handler)
    print(f"Reference frontend: http://{args.host}:{args.port}/  (API: {api_base})", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
