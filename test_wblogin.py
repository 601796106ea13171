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

            def handle_error(self, request, client_address):
                # Clients that drop a kept-alive connection (the wandb SDK's
                # Go HTTP client does) are normal, not worth a traceback.
                if not isinstance(sys.exc_info()[1], OSError):
                    socketserver.BaseServer.handle_error(self, request,
                                                         client_address)

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



# --------------------------------------------------------------------------
# Interoperability with the real wandb SDK
# --------------------------------------------------------------------------

_REQUIRE_WANDB = "WBLOGIN_REQUIRE_WANDB"
_WANDB_CLI = os.path.join(os.path.dirname(sys.executable),
                          "wandb.exe" if os.name == "nt" else "wandb")

# Before 0.24 the SDK read the netrc through requests.utils.get_netrc_auth,
# which drops the port: it finds no entry for a server with a port (not even
# the one its own `wandb login` wrote), and FakeWandb always has one.
_OLDEST_SDK = (0, 24)
# wandb 0.24 and 0.25 refuse JWT keys, even from the netrc.
_FIRST_SDK_WITH_JWT = (0, 26)

# Run by this Python with the test's environment: where the SDK itself says
# the server is (settings and WANDB_BASE_URL, as wandb.init() resolves them)
# and which key its own netrc lookup returns for that server.
_SDK_LOOKUP = r"""
import json
from wandb.sdk import wandb_setup
from wandb.sdk.lib.wbauth import read_netrc_auth
host = wandb_setup.singleton().settings.base_url
print(json.dumps({"base_url": host, "key": read_netrc_auth(host=host)}))
"""


def _release(version):
    """(major, minor) of a version string such as '0.31.0'."""
    return tuple(int(part) for part in version.split(".")[:2] if part.isdigit())


def _find_sdk():
    """(wandb version, None) when the SDK and its CLI work here, else (None, why)."""
    home = tempfile.mkdtemp(prefix="wblogin-sdk-")
    try:
        process = subprocess.Popen(
            [sys.executable, "-c", "import wandb; print(wandb.__version__)"],
            env={"HOME": home, "PATH": os.environ.get("PATH", "/usr/bin:/bin")},
            cwd=home, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE)
        try:
            out, err = process.communicate(timeout=120)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
            return None, "import wandb took more than 120 s"
    finally:
        shutil.rmtree(home, True)
    if process.returncode != 0:
        lines = err.decode("utf-8", "replace").strip().splitlines()
        return None, "import wandb fails: %s" % (lines[-1] if lines else "?")
    version = out.decode().strip()
    if _release(version) < _OLDEST_SDK:
        return None, "wandb %s reads netrc entries without their port; " \
            "these tests need %d.%d or later" % ((version,) + _OLDEST_SDK)
    if not os.path.isfile(_WANDB_CLI):
        return None, "wandb imports, but there is no wandb command beside " \
            "this Python"
    return version, None


class TestInteropWithSDK(Fixture):
    """wblogin and the real wandb SDK each find what the other one stored.

    Runs where `import wandb` (0.24 or later) works for this Python
    (`tox -e interop` installs it), and is skipped elsewhere, unless
    WBLOGIN_REQUIRE_WANDB=1 makes a missing SDK a failure. The SDK runs in subprocesses with this
    test's temporary home and talks only to a FakeWandb on 127.0.0.1.
    """

    sdk_version = sdk_problem = None

    @classmethod
    def setUpClass(cls):
        cls.sdk_version, cls.sdk_problem = _find_sdk()

    def setUp(self):
        if self.sdk_problem:
            if os.environ.get(_REQUIRE_WANDB, "") not in ("", "0"):
                self.fail("%s is set, but %s" % (_REQUIRE_WANDB, self.sdk_problem))
            self.skipTest("the wandb SDK is not usable here: %s" % self.sdk_problem)
        Fixture.setUp(self)
        self.env.update(self.sdk_env(self.tmp))
        self.server = self.serve(keys=(KEY40, KEY_V1, KEY_LOCAL, KEY_JWT,
                                       OTHER_KEY))

    @staticmethod
    def sdk_env(tmp):
        """What keeps the SDK quiet, local, and inside the test's own folder."""
        scratch = os.path.join(tmp, "tmp")
        if not os.path.isdir(scratch):
            os.mkdir(scratch)
        # TMPDIR: the SDK's debug log and its service socket go there.
        # WANDB_ERROR_REPORTING: no telemetry posts to the server.
        return {"TMPDIR": scratch, "WANDB_ERROR_REPORTING": "false",
                "WANDB_DISABLE_CODE": "true", "WANDB_DISABLE_GIT": "true"}

    def another_home(self, name):
        """A second user's environment and working directory beside ours."""
        root = os.path.join(self.tmp, name)
        home, cwd = os.path.join(root, "home"), os.path.join(root, "work")
        os.makedirs(home)
        os.makedirs(cwd)
        env = dict(self.env)
        env.update(HOME=home, NETRC=os.path.join(home, ".netrc"),
                   WANDB_CONFIG_DIR=os.path.join(home, ".config", "wandb"),
                   WANDB_DIR=cwd)
        return env, cwd

    # -- running the SDK ---------------------------------------------------

    def run_program(self, argv, env=None, cwd=None, timeout=120):
        env = self.env if env is None else env
        process = subprocess.Popen(
            argv, cwd=cwd or self.cwd, env=env, stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            out, err = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
            raise
        return process.returncode, out.decode(), err.decode()

    def run_wandb(self, *args, **kwargs):
        """Run the real `wandb` CLI: (code, stdout, stderr)."""
        return self.run_program([_WANDB_CLI] + list(args), **kwargs)

    def sdk_lookup(self, **kwargs):
        """The server and the key the SDK resolves from the files in place."""
        code, out, err = self.run_program(
            [sys.executable, "-c", _SDK_LOOKUP], **kwargs)
        self.assertEqual(code, 0, err)
        return json.loads(out.strip().splitlines()[-1])

    def wblogin_json(self, *args, **kwargs):
        code, out, err = self.run_cli(*(args + ("--json",)), **kwargs)
        self.assertNoTraceback(err)
        return code, json.loads(out), err

    def settings_values(self, path):
        """The [default] section as configparser (the SDK's reader) sees it."""
        import configparser
        parser = configparser.ConfigParser(interpolation=None)
        parser.read(path)
        return dict(parser["default"]) if parser.has_section("default") else {}

    def machines(self, path):
        """The netrc file's machine entries as the stdlib reader sees them."""
        return self.stdlib_netrc(path).hosts

    def count_entries(self, path, machine):
        entries, _ = wblogin.parse_netrc(self.read(path))
        return sum(1 for e in entries if e.kind == "machine" and e.name == machine)

    # -- wblogin writes, the SDK reads -------------------------------------

    def test_sdk_finds_the_host_and_key_that_wblogin_stored(self):
        keys = [KEY40, KEY_V1, KEY_LOCAL]
        if _release(self.sdk_version) >= _FIRST_SDK_WITH_JWT:
            keys.append(KEY_JWT)
        for key in keys:
            with self.subTest(key=key[:12]):
                code, _, err = self.run_cli(key, "--host", self.server.url)
                self.assertEqual(code, 0, err)

                seen = self.sdk_lookup()

                self.assertEqual(seen, {"base_url": self.server.url, "key": key})

    def test_wandb_login_verify_succeeds_with_what_wblogin_stored(self):
        self.run_cli(KEY_V1, "--host", self.server.url)

        code, out, err = self.run_wandb("login", "--verify")

        self.assertEqual(code, 0, out + err)
        self.assertTrue(self.server.saw_key(KEY_V1))
        self.assertIn(self.netrc, err)

    def test_wandb_login_verify_fails_when_the_server_rejects_what_wblogin_stored(self):
        rejecting = self.serve(keys=(KEY40,))
        self.run_cli(KEY_V1, "--host", rejecting.url)

        code, out, err = self.run_wandb("login", "--verify")

        self.assertNotEqual(code, 0, out + err)
        self.assertTrue(rejecting.saw_key(KEY_V1))

    def test_wandb_login_verify_finds_a_key_for_a_server_behind_a_path_prefix(self):
        prefixed = self.serve(prefix="/wandb")
        self.run_cli(KEY40, "--host", prefixed.url + "/")

        code, out, err = self.run_wandb("login", "--verify")

        self.assertEqual(code, 0, out + err)
        self.assertEqual(prefixed.requests[0][1], "/wandb/graphql")
        self.assertTrue(prefixed.saw_key(KEY40))

    # -- the SDK writes, wblogin reads -------------------------------------

    def test_wblogin_status_finds_what_wandb_login_stored(self):
        code, out, err = self.run_wandb("login", "--host", self.server.url, KEY_V1)
        self.assertEqual(code, 0, out + err)

        code, result, err = self.wblogin_json("--status")

        self.assertEqual(code, 0, err)
        self.assertEqual((result["host"], result["host_source"]),
                         (self.server.url, self.global_settings))
        self.assertEqual((result["key"], result["key_source"]),
                         (wblogin.mask_api_key(KEY_V1), self.netrc))

    def test_wblogin_verify_accepts_what_wandb_login_stored(self):
        self.run_wandb("login", "--host", self.server.url, KEY_LOCAL)
        before = len(self.server.requests)

        code, result, err = self.wblogin_json("--verify")

        self.assertEqual(code, 0, err)
        self.assertEqual((result["verified"], result["user"]), (True, "ada"))
        self.assertEqual(result["key_source"], self.netrc)
        self.assertTrue(self.server.saw_key(KEY_LOCAL))
        self.assertIn("wblogin/", self.server.requests[before][2]["User-Agent"])

    def test_wblogin_finds_the_key_that_wandb_login_cloud_stored(self):
        # wandb 0.31 logs in to the cloud through CoreWeave's Forge host;
        # older releases through api.wandb.ai. --no-verify: no network here.
        code, out, err = self.run_wandb("login", "--cloud", "--no-verify", KEY40)
        self.assertEqual(code, 0, out + err)

        code, result, err = self.wblogin_json("--status")

        self.assertEqual(code, 0, err)
        self.assertEqual(result["host"], wblogin.CLOUD_URL)
        self.assertEqual((result["key"], result["key_source"]),
                         (wblogin.mask_api_key(KEY40), self.netrc))

    # -- each replaces the other's entry -----------------------------------

    def test_wandb_replacing_a_wblogin_entry_leaves_one_entry_both_read(self):
        self.make_netrc("""\
            # mine
            machine git.example.org login me password hunter2
            """)
        self.run_cli(KEY40, "--host", self.server.url)

        code, out, err = self.run_wandb("login", "--host", self.server.url,
                                        OTHER_KEY)

        self.assertEqual(code, 0, out + err)
        machine = "127.0.0.1:%d" % self.server.port
        self.assertEqual(self.count_entries(self.netrc, machine), 1)
        self.assertEqual(self.machines(self.netrc)[machine][2], OTHER_KEY)
        self.assertEqual(self.machines(self.netrc)["git.example.org"][2], "hunter2")
        self.assertEqual(self.sdk_lookup()["key"], OTHER_KEY)
        code, out, _ = self.run_cli("--print-key")
        self.assertEqual((code, out), (0, OTHER_KEY + "\n"))

    def test_wblogin_replacing_a_wandb_entry_leaves_one_entry_both_read(self):
        self.make_netrc("""\
            machine git.example.org
              login me
              password hunter2
            """)
        self.run_wandb("login", "--host", self.server.url, KEY40)

        code, _, err = self.run_cli(OTHER_KEY, "--host", self.server.url)

        self.assertEqual(code, 0, err)
        machine = "127.0.0.1:%d" % self.server.port
        self.assertEqual(self.count_entries(self.netrc, machine), 1)
        self.assertEqual(self.machines(self.netrc)[machine][2], OTHER_KEY)
        self.assertEqual(self.machines(self.netrc)["git.example.org"][2], "hunter2")
        self.assertEqual(self.sdk_lookup()["key"], OTHER_KEY)
        code, out, err = self.run_wandb("login", "--verify")
        self.assertEqual(code, 0, out + err)
        self.assertTrue(self.server.saw_key(OTHER_KEY))

    def test_wblogin_cloud_clears_the_base_url_that_wandb_wrote(self):
        self.run_wandb("login", "--host", self.server.url, KEY40)
        self.assertEqual(self.settings_values(self.global_settings)["base_url"],
                         self.server.url)

        code, _, err = self.run_cli("--cloud", KEY_V1)

        self.assertEqual(code, 0, err)
        self.assertNotIn("base_url", self.settings_values(self.global_settings))
        seen = self.sdk_lookup()
        self.assertNotEqual(seen["base_url"], self.server.url)
        self.assertEqual(seen["key"], KEY_V1)
        code, result, err = self.wblogin_json("--status")
        self.assertEqual((result["host"], result["key_source"]),
                         (wblogin.CLOUD_URL, self.netrc))

    # -- the same login, two tools, files that mean the same ---------------

    def test_the_same_login_through_both_tools_leaves_files_that_mean_the_same(self):
        homes = {}
        for tool in ("wblogin", "wandb"):
            env, cwd = self.another_home(tool)
            self.write(env["NETRC"], "machine git.example.org\n"
                       "  login me\n  password hunter2\n")
            self.write(os.path.join(env["WANDB_CONFIG_DIR"], "settings"),
                       "[default]\nentity = lab\n")
            self.write(os.path.join(cwd, "wandb", "settings"),
                       "[default]\nbase_url = http://127.0.0.1:9\n"
                       "project = demo\n")
            homes[tool] = env, cwd

        env, cwd = homes["wblogin"]
        code, _, err = self.run_cli(KEY_V1, "--host", self.server.url,
                                    extra_env=env, cwd=cwd)
        self.assertEqual(code, 0, err)
        env, cwd = homes["wandb"]
        code, out, err = self.run_wandb("login", "--host", self.server.url,
                                        KEY_V1, env=env, cwd=cwd)
        self.assertEqual(code, 0, out + err)

        meaning = {}
        for tool, (env, cwd) in homes.items():
            meaning[tool] = (
                self.machines(env["NETRC"]),
                self.settings_values(os.path.join(env["WANDB_CONFIG_DIR"],
                                                  "settings")),
                self.settings_values(os.path.join(cwd, "wandb", "settings")))
        self.assertEqual(meaning["wblogin"], meaning["wandb"])
        machines, global_values, workspace_values = meaning["wblogin"]
        self.assertEqual(machines["127.0.0.1:%d" % self.server.port][2], KEY_V1)
        self.assertEqual(global_values,
                         {"entity": "lab", "base_url": self.server.url})
        self.assertEqual(workspace_values, {"project": "demo"})


if __name__ == "__main__":
    unittest.main()
