"""A real app server for tests: gunicorn on a free loopback port, set up in a subprocess."""

from __future__ import annotations

import contextlib
import http.client
import re
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# One process for the set-up: each Django start-up costs seconds on a busy machine.
SET_UP = """
import django
django.setup()
from django.core.management import call_command
call_command("migrate", interactive=False, verbosity=0)
call_command("load_articles", "fixtures/seeds", no_extract=True, verbosity=0)
call_command("createsuperuser", interactive=False, username="editor", email="e@example.org")
"""


def set_up(env: dict) -> None:
    """Migrate, load the seeds and create a superuser, in a subprocess with ``env``."""
    result = subprocess.run(
        [sys.executable, "-c", SET_UP], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


class Browser:
    """Plain HTTP requests to the server, keeping cookies (enough for the admin sign-in)."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: str | None = None, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode("utf-8", errors="replace")
        finally:
            conn.close()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, dict(response.getheaders()), text

    def get(self, path: str):
        return self.request("GET", path)

    def post_form(self, path: str, fields: dict[str, str]):
        """Open the form at ``path``, then send ``fields`` with its CSRF token, as a browser would."""
        _, _, page = self.get(path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        return self.request(
            "POST",
            path,
            body=urlencode({"csrfmiddlewaretoken": token, **fields}),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": f"http://127.0.0.1:{self.port}{path}",
            },
        )

    def sign_in(self, username: str, password: str) -> None:
        fields = {"username": username, "password": password, "next": "/admin/"}
        status, _, _ = self.post_form("/admin/login/", fields)
        assert status == 302, "the admin sign-in should redirect"
        assert "sessionid" in self.cookies


@contextlib.contextmanager
def server(env: dict, port: int, log: Path, workers: int = 1):
    """gunicorn serving the app on 127.0.0.1:port with ``workers`` processes until the block ends."""
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "newsarchive.wsgi", "--bind", f"127.0.0.1:{port}",
             "--workers", str(workers), "--timeout", "60"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        deadline = time.time() + 60
        while time.time() < deadline:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
                break
            assert process.poll() is None, log.read_text()
            time.sleep(0.2)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
