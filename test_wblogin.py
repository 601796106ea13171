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
import warnings

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



# --------------------------------------------------------------------------
# Host URLs
# --------------------------------------------------------------------------

class TestHost(Fixture):

    def test_equivalent_urls_normalise_to_one_form(self):
        table = [
            ("https://api.wandb.ai", "https://api.wandb.ai"),
            ("  HTTPS://API.WandB.AI/  ", "https://api.wandb.ai"),
            ("https://api.wandb.ai:443/", "https://api.wandb.ai"),
            ("http://127.0.0.1:80", "http://127.0.0.1"),
            ("http://127.0.0.1:8080//", "http://127.0.0.1:8080"),
            ("https://Wandb.Corp.Example:8443/W&B/api/", "https://wandb.corp.example:8443/W&B/api"),
            ("http://[::1]:8080/", "http://[::1]:8080"),
            ("https://[FE80::1]", "https://[fe80::1]"),
            ("https://api.eu.wandb.ai", "https://api.eu.wandb.ai"),
            ("http://localhost:8080", "http://localhost:8080"),
        ]
        for given, expected in table:
            with self.subTest(given=given):
                self.assertEqual(wblogin.normalize_host(given), expected)

    def test_bad_urls_are_usage_errors_with_a_reason(self):
        table = [
            ("", "empty"),
            ("wandb.corp.example", "did you mean https://wandb.corp.example?"),
            ("https://app.wandb.ai", "did you mean https://api.wandb.ai?"),
            ("https://wandb.ai", "did you mean https://api.wandb.ai?"),
            ("http://api.wandb.ai", "must use https://"),
            ("https://user:secret@wandb.corp.example", "user:password@"),
            ("ftp://wandb.corp.example", "not ftp://"),
            ("https://wandb.corp.example/?x=1", "query"),
            ("https://wandb.corp.example#top", "fragment"),
            ("https://", "no host name"),
            ("https://:8080", "no host name"),
            ("https://wandb.corp.example:0", "1 to 65535"),
            ("https://wandb.corp.example:65536", "1 to 65535"),
            ("https://wandb.corp.example:http", "1 to 65535"),
            ("https://wandb corp.example", "spaces or control"),
            ("https://wandb.corp.example/\nmachine evil", "spaces or control"),
            ("https://wandb.corp.example\t", None),
            ("https://::1:8080", "IPv6 address in brackets"),
            ("https://[::1", "unterminated"),
            ("https://bad..example", "invalid host name"),
            ("https://b\u00fccher.example", "ASCII"),
            ("https://wandb.corp.example/\"quoted\"", None),
        ]
        for given, reason in table:
            with self.subTest(given=given):
                if reason is None and given.strip() == "https://wandb.corp.example":
                    self.assertEqual(wblogin.normalize_host(given), "https://wandb.corp.example")
                    continue
                if reason is None:
                    continue
                with self.assertRaises(wblogin.UsageError) as caught:
                    wblogin.normalize_host(given)
                self.assertIn(reason, str(caught.exception))
                self.assertEqual(caught.exception.exit_code, 2)

    def test_the_netrc_machine_is_the_network_location(self):
        table = [
            ("http://127.0.0.1:8080/", "127.0.0.1:8080"),
            ("http://[::1]:8080", "[::1]:8080"),
            ("https://wandb.corp.example:443/prefix", "wandb.corp.example"),
            ("https://API.wandb.ai", "api.wandb.ai"),
        ]
        for given, machine in table:
            with self.subTest(given=given):
                path = os.path.join(self.tmp, machine.replace(":", "_") + ".netrc")

                wblogin.write_netrc_key(given, KEY40, path=path, env=self.env,
                                        stderr=io.StringIO())

                self.assertEqual(self.read(path),
                                 "machine %s\n  login user\n  password %s\n" % (machine, KEY40))
                self.assertEqual(self.stdlib_netrc(path).authenticators(machine)[2], KEY40)

    def test_app_url_is_derived_from_the_api_url(self):
        table = [
            ("https://api.wandb.ai", {}, "https://wandb.ai"),
            ("https://api.eu.wandb.ai", {}, "https://app.eu.wandb.ai"),
            ("https://api.corp.example", {}, "https://app.corp.example"),
            ("http://127.0.0.1:8080", {}, "http://127.0.0.1:8080"),
            ("https://api.corp.example", {"WANDB_APP_URL": "https://ui.corp.example/"},
             "https://ui.corp.example"),
        ]
        for host, env, expected in table:
            with self.subTest(host=host, env=env):
                self.assertEqual(wblogin.app_url(host, env), expected)

    def test_host_comes_from_flag_then_env_then_workspace_then_global_then_default(self):
        self.write(self.global_settings, "[default]\nbase_url = https://global.example\n")
        self.write(self.workspace_settings, "[default]\nbase_url = https://workspace.example\n")
        env = dict(self.env, WANDB_BASE_URL="https://env.example/")

        self.assertEqual(wblogin.resolve_host("https://flag.example", env=env),
                         ("https://flag.example", "--host"))
        self.assertEqual(wblogin.resolve_host(cloud=True, env=env),
                         ("https://api.wandb.ai", "--cloud"))
        self.assertEqual(wblogin.resolve_host(env=env),
                         ("https://env.example", "WANDB_BASE_URL"))
        self.assertEqual(wblogin.resolve_host(env=self.env),
                         ("https://workspace.example", self.workspace_settings))
        os.remove(self.workspace_settings)
        self.assertEqual(wblogin.resolve_host(env=self.env),
                         ("https://global.example", self.global_settings))
        os.remove(self.global_settings)
        self.assertEqual(wblogin.resolve_host(env=self.env),
                         ("https://api.wandb.ai", "default"))

    def test_hidden_wandb_folder_is_the_workspace_when_it_exists(self):
        os.mkdir(os.path.join(self.cwd, ".wandb"))
        self.write(os.path.join(self.cwd, ".wandb", "settings"),
                   "[default]\nbase_url = https://hidden.example\n")
        self.write(self.workspace_settings, "[default]\nbase_url = https://plain.example\n")

        self.assertEqual(wblogin.resolve_host(env=self.env)[0], "https://hidden.example")

    def test_cloud_with_host_is_a_usage_error(self):
        code, out, err = self.run_cli(KEY40, "--cloud", "--host", "https://x.example")

        self.assertEqual(code, 2)
        self.assertIn("--cloud and --host exclude each other", err)
        self.assertFalse(os.path.exists(self.netrc))

    def test_bad_host_on_the_command_line_is_one_line_and_exit_2(self):
        code, out, err = self.run_cli(KEY40, "--host", "https://app.wandb.ai")

        self.assertEqual(code, 2)
        self.assertEqual(err, "wblogin: --host points at the W&B web app, not its API "
                              "(did you mean https://api.wandb.ai?)\n")
        self.assertFalse(os.path.exists(self.netrc))

    def test_bad_base_url_in_a_settings_file_names_the_file(self):
        self.write(self.global_settings, "[default]\nbase_url = wandb.corp.example\n")

        code, out, err = self.run_cli(KEY40)

        self.assertEqual(code, 2)
        self.assertIn(self.global_settings, err)
        self.assertNoTraceback(err)

    def test_plain_http_to_another_machine_warns(self):
        code, out, err = self.run_cli(KEY40, "--host", "http://wandb.corp.example")

        self.assertEqual(code, 0)
        self.assertIn("unencrypted", err)
        code, out, err = self.run_cli(KEY40, "--host", "http://127.0.0.1:9")
        self.assertNotIn("unencrypted", err)


# --------------------------------------------------------------------------
# Key format
# --------------------------------------------------------------------------

class TestKeyFormat(Fixture):

    def test_valid_keys_are_accepted(self):
        for key in (KEY40, KEY_V1, KEY_LOCAL, KEY_JWT, "A" * 40, "wandb_v1_" + "x" * 77,
                    "a-" + "b" * 40):
            with self.subTest(key=key):
                self.assertIsNone(wblogin.validate_api_key(key))

    def test_whitespace_and_bracketed_paste_markers_are_stripped(self):
        for raw in ("  %s\n" % KEY40, "\x1b[200~%s\x1b[201~" % KEY40,
                    " \x1b[200~ %s \x1b[201~\r\n" % KEY40, "\t%s\t" % KEY40):
            with self.subTest(raw=raw):
                self.assertEqual(wblogin.clean_api_key(raw), KEY40)
                self.assertIsNone(wblogin.validate_api_key(raw))

    def test_invalid_keys_are_explained_without_echoing_them(self):
        secret = "s3cretS3cret"
        table = [
            ("", "API key is empty."),
            (secret, "API key must have 40+ characters, has 12."),
            ("local-" + secret, "API key must have 40+ characters after 'local-', has 12."),
            (secret * 4 + " " + secret, "contains a space or line break"),
            (secret * 4 + "\n" + secret, "contains a space or line break"),
            (secret * 4 + "\u00e9", "must be ASCII"),
            (secret * 4 + "\x07", "control character"),
            (secret * 4 + "#", "'#'"),
            (secret * 4 + '"', "'\"'"),
            (secret * 4 + "\\", "only letters, digits"),
            ("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyIn0=.c2ln", "three base64url parts"),
            ("eyJhbGciOiJIUzI1NiJ9..c2ln", "three base64url parts"),
            ("a.b", "three base64url parts"),
        ]
        for key, expected in table:
            with self.subTest(key=key):
                problem = wblogin.validate_api_key(key)
                self.assertIsNotNone(problem)
                self.assertIn(expected, problem)
                self.assertNotIn(secret, problem)

    def test_masking_shows_only_the_last_four_characters(self):
        self.assertEqual(wblogin.mask_api_key(KEY_V1), "****x9Qa")
        self.assertEqual(wblogin.mask_api_key("short"), "****")

    def test_a_malformed_key_argument_is_exit_2_and_is_not_echoed(self):
        secret = "not-a-key-" + "x" * 12

        code, out, err = self.run_cli(secret, "--host", "https://wandb.corp.example")

        self.assertEqual(code, 2)
        self.assertIn("API key must have 40+ characters after 'not-', has 18.", err)
        self.assertNotIn(secret, err + out)
        self.assertFalse(os.path.exists(self.netrc))

    def test_a_key_that_tries_to_inject_a_netrc_entry_is_refused(self):
        evil = KEY40 + "\nmachine evil.example login x password y"

        code, out, err = self.run_cli("-", input=evil.replace("\n", " "))

        self.assertEqual(code, 2)
        self.assertIn("contains a space or line break", err)
        self.assertFalse(os.path.exists(self.netrc))


# --------------------------------------------------------------------------
# Settings text
# --------------------------------------------------------------------------

class TestSettingsText(unittest.TestCase):

    def test_setting_a_value_keeps_everything_else(self):
        table = [
            ("", "[default]\nbase_url = https://x.example\n"),
            ("[default]\n", "[default]\nbase_url = https://x.example\n"),
            ("# mine\n[default]\nentity = lab ; not a comment\n\n[other]\nbase_url = keep\n",
             "# mine\n[default]\nentity = lab ; not a comment\nbase_url = https://x.example\n"
             "\n[other]\nbase_url = keep\n"),
            ("[default]\nBASE_URL: https://old.example\n    continued\nproject = p\n",
             "[default]\nbase_url = https://x.example\nproject = p\n"),
            ("[default]\r\nentity = lab\r\n", "[default]\r\nentity = lab\r\nbase_url = https://x.example\r\n"),
            ("[other]\nkey = v", "[other]\nkey = v\n\n[default]\nbase_url = https://x.example\n"),
            ("[default]\nbase_url = a\nbase_url = b\n", "[default]\nbase_url = https://x.example\n"),
        ]
        for before, after in table:
            with self.subTest(before=before):
                self.assertEqual(wblogin.settings_set(before, "base_url", "https://x.example"), after)

    def test_removing_a_value_keeps_everything_else(self):
        table = [
            ("", ""),
            ("[default]\nbase_url = https://old.example\n", "[default]\n"),
            ("[default]\n; why\nbase_url = a\n  more\nentity = e\n[x]\nbase_url = b\n",
             "[default]\n; why\nentity = e\n[x]\nbase_url = b\n"),
        ]
        for before, after in table:
            with self.subTest(before=before):
                self.assertEqual(wblogin.settings_set(before, "base_url", None), after)

    def test_reading_takes_the_default_section_and_reports_a_bad_line(self):
        values, bad = wblogin.parse_settings(
            "[default]\nBase_URL = https://x.example\napi_key=abc\n[other]\nentity = no\n")
        self.assertEqual(values, {"base_url": "https://x.example", "api_key": "abc"})
        self.assertIsNone(bad)

        values, bad = wblogin.parse_settings("[default]\nentity = e\njunk line\n")
        self.assertEqual(values, {"entity": "e"})
        self.assertEqual(bad, 3)


class TestSettingsFiles(Fixture):

    def test_host_login_sets_global_base_url_and_clears_the_workspace_one(self):
        self.write(self.global_settings, "# keep me\n[default]\nentity = lab\n\n[extra]\nx = 1\n")
        self.write(self.workspace_settings, "[default]\nbase_url = https://old.example\nproject = p\n")

        code, out, err = self.run_cli(KEY40, "--host", "https://wandb.corp.example/")

        self.assertEqual(code, 0, err)
        self.assertEqual(self.read(self.global_settings),
                         "# keep me\n[default]\nentity = lab\nbase_url = https://wandb.corp.example\n"
                         "\n[extra]\nx = 1\n")
        self.assertEqual(self.read(self.workspace_settings), "[default]\nproject = p\n")

    def test_cloud_login_removes_base_url_from_both_files(self):
        self.write(self.global_settings, "[default]\nbase_url = https://a.example\nentity = e\n")
        self.write(self.workspace_settings, "[default]\nbase_url = https://b.example\n")

        code, out, err = self.run_cli(KEY40, "--cloud")

        self.assertEqual(code, 0, err)
        self.assertEqual(self.read(self.global_settings), "[default]\nentity = e\n")
        self.assertEqual(self.read(self.workspace_settings), "[default]\n")
        self.assertIn("machine api.wandb.ai", self.read(self.netrc))

    def test_host_login_with_a_found_key_still_updates_settings(self):
        extra = {"WANDB_API_KEY": KEY_V1}

        code, out, err = self.run_cli("--host", "https://wandb.corp.example", extra_env=extra)

        self.assertEqual(code, 0, err)
        self.assertIn("base_url = https://wandb.corp.example", self.read(self.global_settings))
        self.assertFalse(os.path.exists(self.netrc))

    def test_failed_login_leaves_settings_alone(self):
        code, out, err = self.run_cli("short", "--host", "https://wandb.corp.example")

        self.assertEqual(code, 2)
        self.assertFalse(os.path.exists(self.global_settings))

    def test_no_workspace_file_is_created_when_there_was_none(self):
        code, out, err = self.run_cli(KEY40, "--cloud")

        self.assertEqual(code, 0, err)
        self.assertFalse(os.path.exists(os.path.join(self.cwd, "wandb")))
        self.assertFalse(os.path.exists(self.global_settings))

    def test_a_malformed_settings_file_is_a_warning_naming_it(self):
        self.write(self.global_settings, "no section here\n")

        code, out, err = self.run_cli(KEY40)

        self.assertEqual(code, 0, err)
        self.assertIn("warning: settings file %s line 1" % self.global_settings, err)

    def test_config_dir_defaults_to_dot_config_wandb_under_home(self):
        env = dict(self.env)
        del env["WANDB_CONFIG_DIR"]
        del env["WANDB_DIR"]

        workspace, global_ = wblogin.settings_paths(env, cwd=self.cwd)

        self.assertEqual(global_, os.path.join(self.home, ".config", "wandb", "settings"))
        self.assertEqual(workspace, os.path.join(self.cwd, "wandb", "settings"))


# --------------------------------------------------------------------------
# Which key: the lookup order
# --------------------------------------------------------------------------

class TestLookupOrder(Fixture):

    def find(self, host="https://api.wandb.ai", **env):
        merged = dict(self.env)
        merged.update(env)
        return wblogin.find_api_key(host, env=merged, cwd=self.cwd, stderr=io.StringIO())

    def test_environment_wins_over_settings_and_netrc(self):
        self.make_netrc("machine api.wandb.ai login user password %s\n" % OTHER_KEY)
        self.write(self.global_settings, "[default]\napi_key = %s\n" % KEY_V1)

        self.assertEqual(self.find(WANDB_API_KEY=" %s " % KEY40), (KEY40, "WANDB_API_KEY"))

    def test_an_empty_environment_variable_is_skipped(self):
        self.make_netrc("machine api.wandb.ai login user password %s\n" % OTHER_KEY)

        self.assertEqual(self.find(WANDB_API_KEY=""), (OTHER_KEY, self.netrc))

    def test_workspace_settings_key_wins_over_global_and_netrc(self):
        self.make_netrc("machine api.wandb.ai login user password %s\n" % OTHER_KEY)
        self.write(self.global_settings, "[default]\napi_key = %s\n" % KEY_V1)
        self.write(self.workspace_settings, "[default]\napi_key = %s\n" % KEY40)

        self.assertEqual(self.find(), (KEY40, self.workspace_settings))
        os.remove(self.workspace_settings)
        self.assertEqual(self.find(), (KEY_V1, self.global_settings))

    def test_a_settings_key_is_only_for_the_host_those_settings_name(self):
        self.write(self.global_settings,
                   "[default]\nbase_url = https://wandb.corp.example\napi_key = %s\n" % KEY_V1)
        self.make_netrc("machine api.wandb.ai login user password %s\n" % OTHER_KEY)

        self.assertEqual(self.find("https://wandb.corp.example"), (KEY_V1, self.global_settings))
        self.assertEqual(self.find("https://api.wandb.ai"), (OTHER_KEY, self.netrc))
        self.assertEqual(self.find("https://other.example"), (None, None))

    def test_the_netrc_entry_must_match_the_host_exactly(self):
        self.make_netrc("""\
            machine xapi.wandb.ai login user password %s
            machine api.wandb.ai.evil.example login user password %s
            default login anonymous password %s
            """ % (KEY40, KEY40, KEY40))

        self.assertEqual(self.find(), (None, None))

    def test_a_found_key_is_reported_with_its_source_and_not_copied(self):
        extra = {"WANDB_API_KEY": KEY_V1}

        code, out, err = self.run_cli(extra_env=extra)

        self.assertEqual(code, 0, err)
        self.assertIn("API key ****x9Qa from WANDB_API_KEY", err)
        self.assertKeyNotShown(err + out, KEY_V1)
        self.assertFalse(os.path.exists(self.netrc))
        self.assertFalse(os.path.exists(self.global_settings))

    def test_a_netrc_key_is_reported_with_the_file_path(self):
        self.make_netrc("machine api.wandb.ai\n  login user\n  password %s\n" % KEY_V1)
        before = self.read(self.netrc)

        code, out, err = self.run_cli()

        self.assertEqual(code, 0, err)
        self.assertIn("from %s" % self.netrc, err)
        self.assertEqual(self.read(self.netrc), before)

    def test_a_malformed_found_key_is_exit_1_naming_where_it_was(self):
        for env, where in (({"WANDB_API_KEY": "tooshort"}, "WANDB_API_KEY"),):
            code, out, err = self.run_cli(extra_env=env)

            self.assertEqual(code, 1)
            self.assertIn("the API key in %s is not usable: API key must have 40+ "
                          "characters, has 8." % where, err)
            self.assertNotIn("tooshort", err)
        self.make_netrc("machine api.wandb.ai login user password tooshort\n")
        code, out, err = self.run_cli()
        self.assertEqual(code, 1)
        self.assertIn(self.netrc, err)

    def test_no_key_and_no_terminal_says_how_to_supply_one(self):
        code, out, err = self.run_cli()

        self.assertEqual(code, 1)
        for way in ("argument", "wblogin.py -", "WANDB_API_KEY", "terminal"):
            self.assertIn(way, err)
        self.assertEqual(len(err.strip().splitlines()), 1)

    def test_relogin_without_a_terminal_does_not_use_the_found_key(self):
        self.make_netrc("machine api.wandb.ai login user password %s\n" % KEY40)

        code, out, err = self.run_cli("--relogin")

        self.assertEqual(code, 1)
        self.assertIn("no terminal", err)

    def test_netrc_path_follows_netrc_then_dot_netrc_then_underscore_netrc(self):
        env = {"HOME": self.home}
        self.assertEqual(wblogin.netrc_path(env, os_name="posix"),
                         os.path.join(self.home, ".netrc"))
        self.assertEqual(wblogin.netrc_path(env, os_name="nt"),
                         os.path.join(self.home, "_netrc"))
        self.write(os.path.join(self.home, "_netrc"), "")
        self.assertEqual(wblogin.netrc_path(env, os_name="posix"),
                         os.path.join(self.home, "_netrc"))
        self.write(os.path.join(self.home, ".netrc"), "")
        self.assertEqual(wblogin.netrc_path(env, os_name="nt"),
                         os.path.join(self.home, ".netrc"))
        self.assertEqual(wblogin.netrc_path(dict(env, NETRC="~/alt/netrc")),
                         os.path.join(self.home, "alt", "netrc"))


# --------------------------------------------------------------------------
# The prompt, through a pseudo-terminal
# --------------------------------------------------------------------------

PROMPT = b"API key (input hidden): "


@unittest.skipUnless(hasattr(os, "fork"), "needs a POSIX pseudo-terminal")
class TestPrompt(Fixture):

    def run_in_terminal(self, args, answers, extra_env=None, deadline=30):
        """Run the CLI on a pty that is its controlling terminal.

        Waits for each prompt before typing the next answer (None means
        Ctrl-D); returns (exit code, everything the terminal showed).
        """
        import pty
        import select
        import time
        env = dict(self.env)
        env.update(extra_env or {})
        with warnings.catch_warnings():
            # 3.12+ warns about forking with the server thread alive; the
            # child only calls execve, which is safe.
            warnings.simplefilter("ignore", DeprecationWarning)
            pid, fd = pty.fork()
        if pid == 0:
            try:
                os.chdir(self.cwd)
                os.execve(sys.executable, [sys.executable, SCRIPT] + list(args), env)
            finally:
                os._exit(127)
        shown, answers, seen = b"", list(answers), 0
        end = time.monotonic() + deadline
        try:
            while time.monotonic() < end:
                if answers and shown.count(PROMPT) > seen:
                    seen += 1
                    answer = answers.pop(0)
                    os.write(fd, b"\x04" if answer is None else answer.encode() + b"\n")
                ready, _, _ = select.select([fd], [], [], 0.1)
                if not ready:
                    continue
                try:
                    chunk = os.read(fd, 4096)
                except OSError:
                    break
                if not chunk:
                    break
                shown += chunk
            else:
                self.fail("the prompt did not finish in %d s: %r" % (deadline, shown))
        finally:
            os.close(fd)
            done, status = os.waitpid(pid, os.WNOHANG)
            if not done:
                os.kill(pid, 9)
                done, status = os.waitpid(pid, 0)
        code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else -os.WTERMSIG(status)
        return code, shown.decode("utf-8", "replace")

    def test_prompt_shows_the_authorize_url_and_stores_the_typed_key(self):
        code, shown = self.run_in_terminal(["--host", "https://api.corp.example"], [KEY_V1])

        self.assertEqual(code, 0, shown)
        self.assertIn("https://app.corp.example/authorize", shown)
        self.assertKeyNotShown(shown, KEY_V1)
        self.assertEqual(self.stdlib_netrc().authenticators("api.corp.example")[2], KEY_V1)

    def test_invalid_input_is_explained_and_asked_again(self):
        code, shown = self.run_in_terminal([], ["tooshort", "  %s  " % KEY40])

        self.assertEqual(code, 0, shown)
        self.assertIn("API key must have 40+ characters, has 8. Try again (2 left).", shown)
        self.assertEqual(shown.count("API key (input hidden)"), 2)
        self.assertEqual(self.stdlib_netrc().authenticators("api.wandb.ai")[2], KEY40)

    def test_three_bad_tries_end_with_exit_1_and_nothing_stored(self):
        code, shown = self.run_in_terminal([], ["a", "", "b" * 39])

        self.assertEqual(code, 1, shown)
        self.assertIn("no valid API key after 3 tries", shown)
        self.assertFalse(os.path.exists(self.netrc))

    def test_end_of_input_at_the_prompt_is_exit_130(self):
        code, shown = self.run_in_terminal([], [None])

        self.assertEqual(code, 130, shown)
        self.assertNotIn("Traceback", shown)
        self.assertFalse(os.path.exists(self.netrc))

    def test_relogin_prompts_even_when_a_key_is_stored(self):
        self.make_netrc("machine api.wandb.ai login user password %s\n" % OTHER_KEY)

        code, shown = self.run_in_terminal(["--relogin"], [KEY40])

        self.assertEqual(code, 0, shown)
        self.assertEqual(self.stdlib_netrc().authenticators("api.wandb.ai")[2], KEY40)

    def test_dash_on_a_terminal_reads_the_key_hidden(self):
        code, shown = self.run_in_terminal(["-"], [KEY_V1])

        self.assertEqual(code, 0, shown)
        self.assertKeyNotShown(shown, KEY_V1)
        self.assertEqual(self.stdlib_netrc().authenticators("api.wandb.ai")[2], KEY_V1)

    def test_a_rejected_key_counts_as_a_try_with_verify(self):
        server = self.serve(keys=[KEY40])

        code, shown = self.run_in_terminal(["--host", server.url, "--verify"], [OTHER_KEY, KEY40])

        self.assertEqual(code, 0, shown)
        self.assertIn("rejected the API key ****Zz99", shown)
        self.assertIn("as ada", shown)
        self.assertEqual(self.stdlib_netrc().authenticators("127.0.0.1:%d" % server.port)[2], KEY40)


# --------------------------------------------------------------------------
# The command line
# --------------------------------------------------------------------------

class TestCommandLine(Fixture):

    def test_a_key_argument_is_stored_and_only_shown_masked(self):
        code, out, err = self.run_cli(KEY_V1, "--host", "https://wandb.corp.example")

        self.assertEqual(code, 0, err)
        self.assertEqual(out, "")
        self.assertEqual(err, "wblogin: stored API key ****x9Qa for https://wandb.corp.example "
                              "in %s\n" % self.netrc)
        self.assertEqual(self.read(self.netrc),
                         "machine wandb.corp.example\n  login user\n  password %s\n" % KEY_V1)
        self.assertEqual(self.mode(self.netrc), 0o600)

    def test_dash_reads_the_first_line_of_standard_input(self):
        code, out, err = self.run_cli("-", input="  %s  \nsecond line\n" % KEY40)

        self.assertEqual(code, 0, err)
        self.assertEqual(self.stdlib_netrc().authenticators("api.wandb.ai")[2], KEY40)

    def test_empty_standard_input_is_a_usage_error(self):
        code, out, err = self.run_cli("-", input="")

        self.assertEqual(code, 2)
        self.assertIn("no API key on standard input", err)

    def test_more_than_one_key_is_a_usage_error(self):
        code, out, err = self.run_cli(KEY40, KEY_V1)

        self.assertEqual(code, 2)
        self.assertIn("at most one KEY", err)
        self.assertKeyNotShown(err, KEY_V1)

    def test_a_new_key_with_the_variable_set_says_the_variable_still_wins(self):
        code, out, err = self.run_cli(KEY40, extra_env={"WANDB_API_KEY": KEY_V1})

        self.assertEqual(code, 0, err)
        self.assertIn("WANDB_API_KEY is set and still takes precedence", err)
        self.assertEqual(self.stdlib_netrc().authenticators("api.wandb.ai")[2], KEY40)

    def test_anonymously_is_accepted_with_a_warning(self):
        code, out, err = self.run_cli(KEY40, "--anonymously")

        self.assertEqual(code, 0, err)
        self.assertIn("--anonymously has no effect", err)

    def test_exclusive_actions_and_keys_are_usage_errors(self):
        for args in (["--status", "--logout"], ["--status", KEY40], ["--print-key", "--logout"],
                     ["--logout", "-"], ["--print-key", "--json"], ["--timeout", "0"],
                     ["--timeout", "soon"], ["--bogus"]):
            with self.subTest(args=args):
                code, out, err = self.run_cli(*args)

                self.assertEqual(code, 2)
                self.assertEqual(out, "")
                self.assertNoTraceback(err)
                self.assertKeyNotShown(err, KEY40)

    def test_a_bad_timeout_in_the_environment_is_a_usage_error(self):
        code, out, err = self.run_cli(KEY40, extra_env={"WANDB_HTTP_TIMEOUT": "-3"})

        self.assertEqual(code, 2)
        self.assertIn("WANDB_HTTP_TIMEOUT must be a positive number", err)

    def test_help_mirrors_the_reference_page(self):
        code, out, err = self.run_cli("--help")

        self.assertEqual(code, 0)
        for text in ("WANDB_API_KEY", "settings file", "netrc", "prompt", "--cloud",
                     "--host", "--base-url", "--relogin", "--verify", "--no-verify",
                     "--anonymously", "--status", "--logout", "--print-key", "--json",
                     "--timeout", "wandb_v1_", "0.22.3", "exit codes"):
            self.assertIn(text, out)

    def test_version_prints_the_module_version(self):
        code, out, err = self.run_cli("--version")

        self.assertEqual(code, 0)
        self.assertEqual(out.strip(), "wblogin %s" % wblogin.__version__)

    def test_python_dash_m_works_like_the_script(self):
        env = dict(self.env, PYTHONPATH=HERE)

        out = subprocess.check_output([sys.executable, "-m", "wblogin", KEY40, "--json"],
                                      cwd=self.cwd, env=env, stderr=subprocess.STDOUT)

        self.assertTrue(json.loads(out.decode().splitlines()[-1])["stored"])
        self.assertEqual(self.stdlib_netrc().authenticators("api.wandb.ai")[2], KEY40)


# --------------------------------------------------------------------------
# --status, --logout, --print-key, --json
# --------------------------------------------------------------------------

class TestStatusLogoutPrintKey(Fixture):

    def snapshot(self):
        found = {}
        for root, dirs, files in os.walk(self.tmp):
            for name in files:
                path = os.path.join(root, name)
                found[path] = (self.read(path), self.mode(path))
        return found

    def test_status_reports_host_key_and_files_and_changes_nothing(self):
        self.make_netrc("machine wandb.corp.example login user password %s\n" % KEY_V1, mode=0o640)
        self.write(self.global_settings, "[default]\nbase_url = https://wandb.corp.example\n")
        before = self.snapshot()

        code, out, err = self.run_cli("--status")

        self.assertEqual(code, 0, err)
        self.assertIn("host: https://wandb.corp.example (from %s)" % self.global_settings, err)
        self.assertIn("key: ****x9Qa from %s" % self.netrc, err)
        self.assertIn("netrc: %s (mode 0640, has an entry for wandb.corp.example)" % self.netrc, err)
        self.assertIn("settings: %s" % self.global_settings, err)
        self.assertKeyNotShown(err + out, KEY_V1)
        self.assertEqual(self.snapshot(), before)

    def test_status_without_a_key_is_exit_1(self):
        code, out, err = self.run_cli("--status")

        self.assertEqual(code, 1)
        self.assertIn("host: https://api.wandb.ai (from default)", err)
        self.assertIn("no API key for https://api.wandb.ai", err)
        self.assertFalse(os.path.exists(self.netrc))

    def test_status_mentions_a_default_entry_it_does_not_use(self):
        self.make_netrc("default login anonymous password %s\n" % KEY40)

        code, out, err = self.run_cli("--status")

        self.assertEqual(code, 1)
        self.assertIn("'default' entry is not used", err)

    def test_status_warns_when_an_old_sdk_would_reject_a_long_key(self):
        site = os.path.join(self.tmp, "site")
        os.makedirs(os.path.join(site, "wandb-0.19.1.dist-info"))
        env = {"WANDB_API_KEY": KEY_V1, "PYTHONPATH": site}

        code, out, err = self.run_cli("--status", extra_env=env)

        self.assertEqual(code, 0, err)
        self.assertIn("wandb SDK 0.19.1 is installed", err)
        self.assertIn("wandb 0.19.1 rejects API keys longer than 40 characters", err)

    def test_logout_removes_only_the_hosts_entry_and_is_idempotent(self):
        self.make_netrc("""\
            # my hosts
            machine github.com login me password gh-token
            machine api.wandb.ai
              login user
              password %s
            machine pypi.org login __token__ password pypi-token
            """ % KEY40)

        code, out, err = self.run_cli("--logout")

        self.assertEqual(code, 0, err)
        self.assertEqual(self.read(self.netrc), textwrap.dedent("""\
            # my hosts
            machine github.com login me password gh-token
            machine pypi.org login __token__ password pypi-token
            """))
        self.assertIn("removed the API key for https://api.wandb.ai", err)
        code, out, err = self.run_cli("--logout")
        self.assertEqual(code, 0, err)
        self.assertIn("nothing to remove", err)

    def test_logout_without_a_netrc_creates_nothing(self):
        code, out, err = self.run_cli("--logout")

        self.assertEqual(code, 0, err)
        self.assertFalse(os.path.exists(self.netrc))

    def test_logout_says_what_still_supplies_a_key(self):
        self.make_netrc("machine api.wandb.ai login user password %s\n" % KEY40)
        self.write(self.global_settings, "[default]\napi_key = %s\n" % KEY_V1)

        code, out, err = self.run_cli("--logout", extra_env={"WANDB_API_KEY": OTHER_KEY})

        self.assertEqual(code, 0, err)
        self.assertIn("WANDB_API_KEY still supplies an API key (****Zz99)", err)
        code, out, err = self.run_cli("--logout")
        self.assertIn("%s still supplies an API key (****x9Qa)" % self.global_settings, err)

    def test_print_key_prints_the_key_alone(self):
        self.make_netrc("machine api.wandb.ai login user password %s\n" % KEY_V1)

        code, out, err = self.run_cli("--print-key")

        self.assertEqual(code, 0, err)
        self.assertEqual(out, KEY_V1 + "\n")
        self.assertEqual(err, "")

    def test_print_key_without_a_key_is_exit_1_with_empty_stdout(self):
        code, out, err = self.run_cli("--print-key", "--host", "https://wandb.corp.example")

        self.assertEqual(code, 1)
        self.assertEqual(out, "")
        self.assertIn("no API key for https://wandb.corp.example", err)

    def test_json_describes_a_login_without_the_key(self):
        code, out, err = self.run_cli(KEY_V1, "--host", "https://wandb.corp.example", "--json")

        self.assertEqual(code, 0, err)
        self.assertEqual(out.count("\n"), 1)
        result = json.loads(out)
        self.assertEqual(result, {
            "ok": True, "action": "login", "host": "https://wandb.corp.example",
            "host_source": "--host", "key_source": "argument", "key": "****x9Qa",
            "netrc": self.netrc, "stored": True, "verified": False, "user": None,
            "entity": None, "teams": None, "error": None})
        self.assertKeyNotShown(out, KEY_V1)

    def test_json_describes_errors_too(self):
        code, out, err = self.run_cli("--json")

        self.assertEqual(code, 1)
        result = json.loads(out)
        self.assertFalse(result["ok"])
        self.assertEqual(result["error"]["code"], 1)
        self.assertIn("no API key", result["error"]["message"])

    def test_json_for_status_and_logout(self):
        self.make_netrc("machine api.wandb.ai login user password %s\n" % KEY_V1)

        code, out, err = self.run_cli("--status", "--json")
        status = json.loads(out)
        code2, out2, err2 = self.run_cli("--logout", "--json")
        logout = json.loads(out2)

        self.assertEqual((code, code2), (0, 0))
        self.assertEqual((status["action"], status["key"], status["key_source"]),
                         ("status", "****x9Qa", self.netrc))
        self.assertEqual((logout["action"], logout["ok"], logout["host"]),
                         ("logout", True, "https://api.wandb.ai"))
        self.assertKeyNotShown(out + out2, KEY_V1)


# --------------------------------------------------------------------------
# Library use
# --------------------------------------------------------------------------

class TestLibrary(Fixture):

    def test_import_is_silent_and_touches_nothing(self):
        code = ("import os, sys; before = set(sys.modules); import wblogin; "
                "print(sorted(m for m in ('argparse', 'json', 'ssl', 'urllib.request', "
                "'http.client', 'configparser', 'netrc') if m in sys.modules))")
        env = dict(self.env, PYTHONPATH=HERE)

        process = subprocess.Popen([sys.executable, "-c", code], cwd=self.cwd, env=env,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        out, err = process.communicate(timeout=30)

        self.assertEqual((out.decode().strip(), err.decode()), ("[]", ""))
        self.assertEqual(os.listdir(self.home), [])
        self.assertEqual(os.listdir(self.cwd), [])

    def test_public_names_exist_and_are_documented(self):
        for name in wblogin.__all__:
            with self.subTest(name=name):
                self.assertTrue(hasattr(wblogin, name))
                if callable(getattr(wblogin, name)):
                    self.assertTrue(getattr(wblogin, name).__doc__)

    def test_errors_share_one_root_and_carry_exit_codes(self):
        table = [(wblogin.UsageError, 2), (wblogin.InvalidKeyError, 2),
                 (wblogin.NoCredentialsError, 1), (wblogin.StorageError, 1),
                 (wblogin.KeyRejectedError, 1), (wblogin.ServerError, 3),
                 (wblogin.Interrupted, 130)]
        for cls, code in table:
            with self.subTest(cls=cls.__name__):
                self.assertTrue(issubclass(cls, wblogin.LoginError))
                self.assertEqual(cls("x").exit_code, code)

    def test_main_runs_in_process_with_injected_streams(self):
        out, err = io.StringIO(), io.StringIO()

        code = wblogin.main([KEY40, "--host", "http://127.0.0.1:9", "--json"], env=self.env,
                            cwd=self.cwd, stdout=out, stderr=err)

        self.assertEqual(code, 0, err.getvalue())
        self.assertTrue(json.loads(out.getvalue())["stored"])
        self.assertEqual(self.stdlib_netrc().authenticators("127.0.0.1:9")[2], KEY40)

    def test_login_returns_a_result_without_the_key(self):
        result = wblogin.login(KEY_V1, host="https://wandb.corp.example", env=self.env,
                               cwd=self.cwd, stderr=io.StringIO())

        self.assertTrue(result["stored"])
        self.assertEqual(result["key"], "****x9Qa")
        self.assertNotIn(KEY_V1, repr(result))

    def test_login_raises_instead_of_exiting(self):
        with self.assertRaises(wblogin.NoCredentialsError):
            wblogin.login(env=self.env, cwd=self.cwd, stdin=io.StringIO(), stderr=io.StringIO())
        with self.assertRaises(wblogin.InvalidKeyError):
            wblogin.login("short", env=self.env, cwd=self.cwd, stderr=io.StringIO())

    def test_write_and_remove_with_an_explicit_path(self):
        path = os.path.join(self.tmp, "custom-netrc")

        wblogin.write_netrc_key("wandb.corp.example", KEY40, path=path, env=self.env)
        self.assertEqual(self.stdlib_netrc(path).authenticators("wandb.corp.example")[2], KEY40)
        self.assertEqual(wblogin.remove_netrc_key("https://wandb.corp.example", path=path), 1)
        self.assertEqual(self.read(path), "")
        self.assertEqual(wblogin.remove_netrc_key("https://wandb.corp.example", path=path), 0)

    def test_write_refuses_a_key_that_needs_quoting(self):
        path = os.path.join(self.tmp, "custom-netrc")

        with self.assertRaises(wblogin.InvalidKeyError):
            wblogin.write_netrc_key("https://x.example", KEY40 + " machine evil", path=path)
        self.assertFalse(os.path.exists(path))



if __name__ == "__main__":
    unittest.main()
