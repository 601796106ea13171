"""Tests for wblogin.py: unittest only, no dependencies, no real home, no network.

Run with `python -m unittest -v` beside wblogin.py. Each test gets its own
temporary HOME, NETRC, WANDB_CONFIG_DIR, WANDB_DIR and working directory and
a scrubbed environment; the CLI runs in subprocesses as a user runs it;
servers listen on 127.0.0.1 only.
"""

import io
import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import textwrap
import unittest

import wblogin

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPT = os.path.join(HERE, "wblogin.py")

KEY40 = "0123456789abcdef0123456789abcdef01234567"
KEY_V1 = "wandb_v1_" + "Ab3_" * 19 + "x9Qa"
KEY_LOCAL = "local-" + "f" * 40
KEY_JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyIn0.c2lnbmF0dXJlLXNpZ25hdHVyZQ"
OTHER_KEY = "z" * 44 + "Zz99"


VIEWER = {"id": "VXNlcjox", "entity": "ada-team", "username": "ada",
          "email": "ada@example.com",
          "teams": {"edges": [{"node": {"name": "ada-team"}},
                              {"node": {"name": "lab"}}]}}


class FakeWandb(object):
    """A W&B API stand-in on 127.0.0.1, served from a thread.

    POST <prefix>/graphql answers the Viewer query: `data.viewer` for a key in
    `keys`, 401 otherwise. Set `respond` to a function(handler, body) that
    returns (status, headers dict, body bytes), or None for the default, to
    play any other server. Every request is recorded in `requests` as
    (method, path, headers dict, body bytes). Use as a context manager or
    call stop(); the test's cleanup stops it anyway.
    """

    def __init__(self, keys=(KEY40, KEY_V1), prefix="", context=None):
        import http.server
        import socketserver
        import threading
        fake = self
        self.keys = set(keys)
        self.prefix = prefix
        self.respond = None
        self.requests = []

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                fake.requests.append(("POST", self.path, dict(self.headers), body))
                answer = fake.respond(self, body) if fake.respond else None
                if answer is None:
                    answer = fake.default_answer(self.path, dict(self.headers))
                status, headers, payload = answer
                self.send_response(status)
                headers = dict(headers)
                headers.setdefault("Content-Type", "application/json")
                headers["Content-Length"] = str(len(payload))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST

        class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
            daemon_threads = True
            allow_reuse_address = True

        self.server = Server(("127.0.0.1", 0), Handler)
        if context is not None:
            self.server.socket = context.wrap_socket(self.server.socket,
                                                     server_side=True)
        self.scheme = "https" if context is not None else "http"
        self.thread = threading.Thread(target=self.server.serve_forever,
                                       kwargs={"poll_interval": 0.05})
        self.thread.daemon = True
        self.thread.start()

    @property
    def port(self):
        return self.server.server_address[1]

    @property
    def url(self):
        return "%s://127.0.0.1:%d%s" % (self.scheme, self.port, self.prefix)

    def default_answer(self, path, headers):
        import base64
        if path != self.prefix + "/graphql":
            return 404, {"Content-Type": "text/plain"}, b"not found"
        auth = headers.get("Authorization", "")
        try:
            user, _, key = base64.b64decode(auth[6:]).decode().partition(":")
        except ValueError:
            user, key = "", ""
        if not auth.startswith("Basic ") or user != "api" or key not in self.keys:
            return 401, {}, b'{"errors": [{"message": "unauthorized"}]}'
        return 200, {}, json.dumps({"data": {"viewer": VIEWER}}).encode()

    def saw_key(self, key):
        import base64
        token = "Basic " + base64.b64encode(("api:" + key).encode()).decode()
        return any(h.get("Authorization") == token for _, _, h, _ in self.requests)

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


class Fixture(unittest.TestCase):
    """A fresh HOME, working directory and scrubbed environment per test."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="wblogin-test-")
        self.addCleanup(shutil.rmtree, self.tmp, True)
        self.home = os.path.join(self.tmp, "home")
        self.cwd = os.path.join(self.tmp, "work")
        os.mkdir(self.home)
        os.mkdir(self.cwd)
        self.netrc = os.path.join(self.home, ".netrc")
        self.config_dir = os.path.join(self.home, ".config", "wandb")
        self.global_settings = os.path.join(self.config_dir, "settings")
        self.workspace_settings = os.path.join(self.cwd, "wandb", "settings")
        self.env = {
            "HOME": self.home,
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "NETRC": self.netrc,
            "WANDB_CONFIG_DIR": self.config_dir,
            "WANDB_DIR": self.cwd,
            "LC_ALL": "C",
        }

    # -- files -------------------------------------------------------------

    def write(self, path, text, mode=0o600):
        """Write `text` (str or bytes) to `path`, creating parents."""
        parent = os.path.dirname(path)
        if not os.path.isdir(parent):
            os.makedirs(parent)
        data = text.encode("latin-1") if isinstance(text, str) else text
        with open(path, "wb") as handle:
            handle.write(data)
        os.chmod(path, mode)
        return path

    def read(self, path):
        with open(path, "rb") as handle:
            return handle.read().decode("latin-1")

    def make_netrc(self, text, mode=0o600):
        return self.write(self.netrc, textwrap.dedent(text), mode)

    def stdlib_netrc(self, path=None):
        """The file as this Python's own netrc module (the SDK's reader) sees it."""
        import netrc
        return netrc.netrc(path or self.netrc)

    def mode(self, path):
        return stat.S_IMODE(os.stat(path).st_mode)

    def serve(self, **kwargs):
        """Start a FakeWandb for this test; it is stopped when the test ends."""
        server = FakeWandb(**kwargs)
        self.addCleanup(server.stop)
        return server

    # -- running the CLI ---------------------------------------------------

    def run_cli(self, *args, **kwargs):
        """Run `python wblogin.py ARGS` as a user would: (code, stdout, stderr)."""
        env = dict(self.env)
        env.update(kwargs.pop("extra_env", {}))
        for name in kwargs.pop("unset", ()):
            env.pop(name, None)
        stdin_text = kwargs.pop("input", None)
        process = subprocess.Popen(
            [sys.executable, SCRIPT] + list(args), cwd=kwargs.pop("cwd", self.cwd),
            env=env, stdin=subprocess.PIPE if stdin_text is not None
            else subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            out, err = process.communicate(
                stdin_text.encode() if stdin_text is not None else None,
                timeout=kwargs.pop("timeout", 60))
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
            raise
        return process.returncode, out.decode(), err.decode()

    def assertNoTraceback(self, err):
        self.assertNotIn("Traceback", err)

    def assertKeyNotShown(self, text, key):
        self.assertNotIn(key, text)
        self.assertNotIn(key[:-4], text)



class TestCloudKeyStoredThroughForge(Fixture):
    """wandb 0.31+ stores the cloud's key for api.forge.coreweave.com."""

    def test_a_forge_entry_supplies_the_key_for_the_cloud(self):
        self.make_netrc("""\
            machine api.forge.coreweave.com
              login user
              password %s
            """ % KEY40)

        found = wblogin.find_api_key(wblogin.CLOUD_URL, env=self.env, cwd=self.cwd)

        self.assertEqual(found, (KEY40, self.netrc))

    def test_the_clouds_own_entry_wins_over_the_forge_entry(self):
        self.make_netrc("""\
            machine api.wandb.ai login user password %s
            machine api.forge.coreweave.com login user password %s
            """ % (KEY_V1, KEY40))

        found = wblogin.find_api_key(wblogin.CLOUD_URL, env=self.env, cwd=self.cwd)

        self.assertEqual(found, (KEY_V1, self.netrc))

    def test_a_forge_entry_is_not_sent_to_any_other_server(self):
        self.make_netrc("machine api.forge.coreweave.com login user password %s\n"
                        % KEY40)

        found = wblogin.find_api_key("https://wandb.example.com", env=self.env,
                                     cwd=self.cwd)

        self.assertEqual(found, (None, None))


if __name__ == "__main__":
    unittest.main()
