"""Real server processes for tests that cross a process boundary.

The fault tests run gunicorn against a database they break, the object-storage
tests run an S3 server, the browser tests run the API and the reference frontend
on two origins. They all start a command that serves HTTP, wait until it answers,
and stop it afterwards, whatever happened: ``ServerProcess`` does that once.
"""

import os
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def http_get(url, timeout=10):
    """``(status, headers, body bytes)`` of a GET, without raising on 4xx/5xx."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


class ServerProcess:
    """``with ServerProcess([...], port=p) as server:`` runs a command until the block ends.

    Ready means an HTTP answer (any status) on ``ready_path``. Output goes to a
    temporary file, shown in the error if the process dies or never answers.
    """

    def __init__(self, command, *, port, env=None, ready_path="/", timeout=60):
        self.command = [str(part) for part in command]
        self.port = port
        self.env = env if env is not None else dict(os.environ)
        self.ready_path = ready_path
        self.timeout = timeout

    def url(self, path="/"):
        return f"http://127.0.0.1:{self.port}{path}"

    def __enter__(self):
        self.log = tempfile.TemporaryFile()
        self.process = subprocess.Popen(
            self.command,
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stop() reaches its children
        )
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"{self.command[:4]} exited with {self.process.returncode}:\n{self.output()}"
                )
            try:
                urllib.request.urlopen(self.url(self.ready_path), timeout=2).close()
                return self
            except urllib.error.HTTPError:
                return self  # it answered
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"{self.command[:4]} did not answer within {self.timeout}s:\n{self.output()}")

    def __exit__(self, *exc):
        self.stop()

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()

    def output(self):
        self.log.seek(0)
        return self.log.read().decode(errors="replace")[-4000:]
