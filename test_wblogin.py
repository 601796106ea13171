"""Tests for wblogin.py: unittest only, no dependencies, no real home, no network.

Run with `python -m unittest -v` beside wblogin.py. Each test gets its own
temporary HOME, NETRC, WANDB_CONFIG_DIR, WANDB_DIR and working directory and
a scrubbed environment; the CLI runs in subprocesses as a user runs it;
servers listen on 127.0.0.1 only.
"""

import errno
import io
import json
import os
import random
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import textwrap
import time
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


# --------------------------------------------------------------------------
# Credential storage: the netrc text, its reader, the file on disk, the lock
# --------------------------------------------------------------------------

def netrc_entry(machine, key, newline="\n"):
    """The entry wblogin writes, as exact text."""
    return "machine %s%s  login user%s  password %s%s" % (
        machine, newline, newline, key, newline)


ENTRY = netrc_entry("api.wandb.ai", KEY40)

# (what the file holds, its text, the text after storing KEY40 for
# api.wandb.ai). Strings are latin-1: one character per byte on disk.
NETRC_EDITS = [
    ("nothing at all", "", ENTRY),
    ("comments, blank lines and tabs",
     "# my credentials\n\n\tmachine other.example\tlogin me\tpassword pw\n"
     "\n# end\n",
     "# my credentials\n\n\tmachine other.example\tlogin me\tpassword pw\n"
     "\n# end\n" + ENTRY),
    ("the host's entry between comments",
     "# top\nmachine other.example login me password pw\n"
     "machine api.wandb.ai\n  login old\n  password oldoldold\n# after\n"
     "machine z.example login z password zz\n",
     "# top\nmachine other.example login me password pw\n" + ENTRY +
     "# after\nmachine z.example login z password zz\n"),
    ("one-line entries on both sides",
     "machine a.example login a password aa\n"
     "machine api.wandb.ai login old password old\tmachine b.example login b "
     "password bb\n",
     "machine a.example login a password aa\n" + ENTRY[:-1] +
     "\tmachine b.example login b password bb\n"),
    ("a quoted password with spaces",
     'machine other.example login me password "two words"\n',
     'machine other.example login me password "two words"\n' + ENTRY),
    ("account fields",
     "machine other.example login me account acct password pw\n"
     "machine api.wandb.ai login old account team password old\n",
     "machine other.example login me account acct password pw\n" + ENTRY),
    ("a macdef whose body names the host",
     "macdef init\nmachine api.wandb.ai login x password y\necho hi\n\n"
     "machine api.wandb.ai login old password old\n",
     "macdef init\nmachine api.wandb.ai login x password y\necho hi\n\n" + ENTRY),
    ("a macdef at the end without its empty line",
     "machine other.example login me password pw\nmacdef init\ncd /pub\n",
     "machine other.example login me password pw\nmacdef init\ncd /pub\n\n"
     + ENTRY),
    ("a default entry, which stays last",
     "machine other.example login me password pw\n"
     "default login anonymous password guest@\n",
     "machine other.example login me password pw\n" + ENTRY +
     "default login anonymous password guest@\n"),
    ("CRLF line ends",
     "machine other.example\r\n  login me\r\n  password pw\r\n",
     "machine other.example\r\n  login me\r\n  password pw\r\n" +
     netrc_entry("api.wandb.ai", KEY40, "\r\n")),
    ("CRLF around the host's entry",
     "# c\r\nmachine api.wandb.ai\r\n  login old\r\n  password old\r\n# d\r\n",
     "# c\r\n" + netrc_entry("api.wandb.ai", KEY40, "\r\n") + "# d\r\n"),
    ("no final newline",
     "machine other.example login me password pw",
     "machine other.example login me password pw\n" + ENTRY),
    ("no final newline after the host's entry",
     "# x\nmachine api.wandb.ai login old password old",
     "# x\n" + ENTRY[:-1]),
    ("bytes that are not UTF-8",
     "# caf\xe9 \xff\xfe\nmachine other.example login j\xf6rg password p\xe4ss\n",
     "# caf\xe9 \xff\xfe\nmachine other.example login j\xf6rg password p\xe4ss\n"
     + ENTRY),
    ("several entries for the host",
     "machine api.wandb.ai login a password first\n# keep\n"
     "machine other.example login me password pw\n"
     "machine api.wandb.ai\n  login b\n  password second\n# tail\n",
     "# keep\nmachine other.example login me password pw\n" + ENTRY +
     "# tail\n"),
    ("look-alike machine names",
     "machine api.wandb.ai.evil.com login e password evil\n"
     "machine xapi.wandb.ai login x password xx\n",
     "machine api.wandb.ai.evil.com login e password evil\n"
     "machine xapi.wandb.ai login x password xx\n" + ENTRY),
]


def _leftovers(directory):
    return sorted(n for n in os.listdir(directory) if n.endswith(".wblogin-tmp"))


class StorageFixture(Fixture):
    """Fixture plus processes started without waiting, and -c wrappers."""

    def start_cli(self, *args, **kwargs):
        """Start `python wblogin.py ARGS`; the test's cleanup kills it.

        `wrapper` is Python code run before wblogin is imported (with `os`
        and `sys` imported); `after_import` runs just after it.
        """
        env = dict(self.env)
        env.update(kwargs.pop("extra_env", {}))
        wrapper = kwargs.pop("wrapper", None)
        after_import = kwargs.pop("after_import", "")
        if wrapper is None and not after_import:
            command = [sys.executable, SCRIPT] + list(args)
        else:
            code = "import os, sys\n%s\nsys.path.insert(0, sys.argv.pop(1))\n" \
                   "import wblogin\n%s\nsys.exit(wblogin.main(sys.argv[1:]))\n" \
                   % (wrapper or "", after_import)
            command = [sys.executable, "-c", code, HERE] + list(args)
        process = subprocess.Popen(
            command, cwd=self.cwd, env=env, stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            preexec_fn=kwargs.pop("preexec_fn", None))
        self.assertEqual(kwargs, {})

        def stop():
            if process.poll() is None:
                process.kill()
            process.wait()
            process.stdout.close()
            process.stderr.close()
        self.addCleanup(stop)
        return process

    def finish(self, process, timeout=60):
        """Wait for a started process: (code, stdout, stderr)."""
        out, err = process.communicate(timeout=timeout)
        return process.returncode, out.decode(), err.decode()

    def run_started(self, *args, **kwargs):
        timeout = kwargs.pop("timeout", 60)
        return self.finish(self.start_cli(*args, **kwargs), timeout)


class TestNetrcText(Fixture):
    """netrc_set and netrc_remove: text in, text out, every other byte kept."""

    def test_storing_a_key_keeps_every_byte_outside_the_replaced_entry(self):
        for name, before, after in NETRC_EDITS:
            with self.subTest(name):

                result = wblogin.netrc_set(before, "api.wandb.ai", KEY40)

                self.assertEqual(result, after)

    def test_storing_the_same_key_again_changes_nothing(self):
        for name, _, after in NETRC_EDITS:
            with self.subTest(name):
                self.assertEqual(
                    wblogin.netrc_set(after, "api.wandb.ai", KEY40), after)

    def test_the_stored_entry_is_the_one_the_reader_finds(self):
        for name, before, _ in NETRC_EDITS:
            with self.subTest(name):

                entries, _ = wblogin.parse_netrc(
                    wblogin.netrc_set(before, "api.wandb.ai", KEY40))

                found = wblogin.netrc_lookup(entries, "api.wandb.ai")
                self.assertEqual((found.login, found.password), ("user", KEY40))

    def test_removing_drops_every_entry_for_the_host_and_keeps_the_rest(self):
        table = [
            ("entries above and below others",
             "machine api.wandb.ai login a password first\n# keep\n"
             "machine other.example login me password pw\n"
             "machine api.wandb.ai\n  login b\n  password second\n# tail\n",
             "# keep\nmachine other.example login me password pw\n# tail\n", 2),
            ("an entry between one-line neighbours",
             "machine a.example login a password aa machine api.wandb.ai login "
             "u password p machine b.example login b password bb\n",
             "machine a.example login a password aa  machine b.example login b "
             "password bb\n", 1),
            ("CRLF line ends",
             "machine api.wandb.ai\r\n  login u\r\n  password p\r\n# c\r\n",
             "# c\r\n", 1),
            ("no entry for the host",
             "machine other.example login me password pw\n",
             "machine other.example login me password pw\n", 0),
            ("a macdef whose body names the host",
             "macdef init\nmachine api.wandb.ai login x password y\n\n",
             "macdef init\nmachine api.wandb.ai login x password y\n\n", 0),
        ]
        for name, before, after, count in table:
            with self.subTest(name):

                result = wblogin.netrc_remove(before, "api.wandb.ai")

                self.assertEqual(result, (after, count))

    def test_machine_names_match_exactly_never_by_substring(self):
        for other in ("api.wandb.ai.evil.com", "xapi.wandb.ai", "pi.wandb.ai",
                      "api.wandb.a", "api.wandb.ai:8080"):
            with self.subTest(other):
                before = "machine %s login x password %s\n" % (other, OTHER_KEY)

                stored = wblogin.netrc_set(before, "api.wandb.ai", KEY40)
                removed = wblogin.netrc_remove(before, "api.wandb.ai")

                self.assertEqual(stored, before + ENTRY)
                self.assertEqual(removed, (before, 0))


class TestNetrcReaderAcrossPythons(Fixture):
    """parse_netrc gives one answer on 3.6-3.13; the stdlib reads what we write."""

    def summary(self, text):
        entries, problems = wblogin.parse_netrc(text)
        return ([(e.kind, e.name, e.login, e.account, e.password)
                 for e in entries], [line for line, _ in problems])

    def test_the_reader_gives_pinned_answers(self):
        m = "machine"
        table = [
            ("quoted tokens lose their quotes",
             'machine "a.example" login "u s" password "p w"\n',
             [(m, "a.example", "u s", None, "p w")]),
            ("a backslash escapes inside quotes",
             'machine a login u password "a\\"b\\\\c"\n',
             [(m, "a", "u", None, 'a"b\\c')]),
            ("a backslash escapes outside quotes",
             "machine a login u password a\\ b\n",
             [(m, "a", "u", None, "a b")]),
            ("comments at the start of a line",
             "# machine x login y password z\n#machine q login r password s\n"
             "machine a login u password p\n",
             [(m, "a", "u", None, "p")]),
            ("a comment after an entry",
             "machine a login u password p # machine evil password e\n",
             [(m, "a", "u", None, "p")]),
            ("a # inside a word is not a comment",
             "machine a login u password ab#cd\n",
             [(m, "a", "u", None, "ab#cd")]),
            ("a default entry",
             "machine a login u password p\ndefault login anonymous password g\n",
             [(m, "a", "u", None, "p"), ("default", None, "anonymous", None, "g")]),
            ("a macdef body up to the empty line",
             "macdef init\nmachine evil login e password e\n\n"
             "machine a login u password p\n",
             [("macdef", "init", None, None, None), (m, "a", "u", None, "p")]),
            ("an account field",
             "machine a login u account acct password p\n",
             [(m, "a", "u", "acct", "p")]),
            ("one-line entries side by side",
             "machine a login u password p machine b login v password q\n",
             [(m, "a", "u", None, "p"), (m, "b", "v", None, "q")]),
            ("an entry without a password",
             "machine a login u\nmachine b login v password q\n",
             [(m, "a", "u", None, None), (m, "b", "v", None, "q")]),
            ("tabs and CRLF",
             "machine\ta\r\n\tlogin\tu\r\n\tpassword\tp\r\n",
             [(m, "a", "u", None, "p")]),
            ("a keyword used as a value",
             "machine a login machine password default\n",
             [(m, "a", "machine", None, "default")]),
            ("ordinary words that name parser states",
             "machine unterminated login None password unterminated\n",
             [(m, "unterminated", "None", None, "unterminated")]),
        ]
        for name, text, expected in table:
            with self.subTest(name):
                self.assertEqual(self.summary(text), (expected, []))

    def test_the_last_entry_for_a_machine_counts(self):
        entries, _ = wblogin.parse_netrc(
            "machine a login u password first\nmachine a login v password last\n")

        self.assertEqual(wblogin.netrc_lookup(entries, "a").password, "last")

    def test_malformed_text_is_reported_by_line_and_reading_goes_on(self):
        table = [
            ("an unterminated quote",
             'machine a login u password "abc\nmachine b login v password q\n',
             [("machine", "a", "u", None, None), ("machine", "b", "v", None, "q")],
             [1]),
            ("a stray word inside an entry",
             "machine a\n  login u\n  port 21\n  password p\n"
             "machine b login v password q\n",
             [("machine", "a", "u", None, None), ("machine", "b", "v", None, "q")],
             [3]),
            ("a stray word before any entry",
             "hello there\nmachine b login v password q\n",
             [("machine", "b", "v", None, "q")], [1]),
            ("a field without its value",
             "machine b login v password q\nmachine a login",
             [("machine", "b", "v", None, "q"), ("machine", "a", None, None, None)],
             [2]),
        ]
        for name, text, entries, lines in table:
            with self.subTest(name):
                self.assertEqual(self.summary(text), (entries, lines))

    def test_every_file_wblogin_writes_is_read_by_this_pythons_netrc(self):
        import netrc
        unreadable = (netrc.NetrcParseError, UnicodeDecodeError)
        original = os.path.join(self.tmp, "original")
        for name, before, after in NETRC_EDITS:
            with self.subTest(name):
                self.write(original, before)
                self.write(self.netrc, before)
                err = io.StringIO()

                wblogin.write_netrc_key("https://api.wandb.ai", KEY40,
                                        path=self.netrc, stderr=err)

                self.assertEqual(self.read(self.netrc), after)
                try:
                    theirs = self.stdlib_netrc()
                except unreadable:
                    # Only a file this Python could not read already.
                    self.assertRaises(unreadable, self.stdlib_netrc, original)
                    self.assertIn("Python's netrc module cannot read",
                                  err.getvalue())
                    continue
                self.assertEqual(theirs.authenticators("api.wandb.ai")[2], KEY40)
                try:
                    old = self.stdlib_netrc(original)
                except unreadable:
                    continue
                old.hosts.pop("api.wandb.ai", None)
                theirs.hosts.pop("api.wandb.ai")
                self.assertEqual((theirs.hosts, theirs.macros),
                                 (old.hosts, old.macros))


class TestMalformedNetrc(StorageFixture):
    """A broken netrc is a warning naming file and line, never a crash."""

    MALFORMED = [
        ("an unterminated quote",
         'machine a.example login u password "abc\n'
         "machine b.example login v password %s\n" % KEY40, 1),
        ("a stray word inside an entry",
         "machine a.example\n  login u\n  port 21\n  password p\n"
         "machine b.example login v password %s\n" % KEY40, 3),
        ("a stray word before any entry",
         "hello\nmachine b.example login v password %s\n" % KEY40, 1),
    ]

    def test_looking_up_a_key_warns_and_still_finds_the_good_entries(self):
        for name, text, line in self.MALFORMED:
            with self.subTest(name):
                self.make_netrc(text)

                code, out, err = self.run_cli("--print-key", "--host",
                                              "https://b.example")

                self.assertEqual((code, out), (0, KEY40 + "\n"), err)
                self.assertIn("%s line %d" % (self.netrc, line), err)
                self.assertNoTraceback(err)

    def test_storing_a_key_warns_and_keeps_the_old_lines(self):
        for name, text, line in self.MALFORMED:
            with self.subTest(name):
                self.make_netrc(text)

                code, _, err = self.run_cli(OTHER_KEY, "--host",
                                            "https://c.example")

                self.assertEqual(code, 0, err)
                self.assertEqual(self.read(self.netrc),
                                 text + netrc_entry("c.example", OTHER_KEY))
                self.assertIn("%s line %d" % (self.netrc, line), err)
                self.assertNoTraceback(err)

    def test_replacing_an_entry_after_a_broken_one_keeps_the_broken_lines(self):
        for name, text, line in self.MALFORMED:
            with self.subTest(name):
                self.make_netrc(text)
                old_entry = "machine b.example login v password %s\n" % KEY40

                code, _, err = self.run_cli(OTHER_KEY, "--host",
                                            "https://b.example")

                self.assertEqual(code, 0, err)
                self.assertEqual(self.read(self.netrc), text.replace(
                    old_entry, netrc_entry("b.example", OTHER_KEY)))


class TestNetrcInjection(StorageFixture):
    """A key or host that would smuggle netrc syntax in is refused up front."""

    BEFORE = "# mine\nmachine other.example login me password pw\n"

    def test_the_cli_refuses_injection_and_leaves_the_file_alone(self):
        table = [
            ("a key with a space", [KEY40 + " machine evil"], None),
            ("a key with a newline",
             [KEY40 + "\nmachine evil login x password y"], None),
            ("a key with a tab", [KEY40 + "\tmachine\tevil"], None),
            ("a quoted key", ['"%s" machine evil' % KEY40], None),
            ("a key with a #", [KEY40 + "#machine evil"], None),
            ("a key with a backslash", [KEY40 + "\\ machine evil"], None),
            ("a key on stdin with more words", ["-"],
             KEY40 + " machine evil password x\n"),
            ("a host with a space",
             [KEY40, "--host", "https://h.example machine evil"], None),
            ("a host with a newline",
             [KEY40, "--host", "https://h.example\nmachine evil"], None),
            ("a host with a quote", [KEY40, "--host", 'https://h"x.example'], None),
            ("a host with a #",
             [KEY40, "--host", "https://h.example#machine evil"], None),
            ("a host with user:password@",
             [KEY40, "--host", "https://machine:evil@h.example"], None),
        ]
        for name, args, stdin_text in table:
            with self.subTest(name):
                self.make_netrc(self.BEFORE)

                code, _, err = self.run_cli(*args, input=stdin_text)

                self.assertEqual(code, 2, err)
                self.assertEqual(self.read(self.netrc), self.BEFORE)
                self.assertFalse(os.path.exists(self.global_settings))
                self.assertNoTraceback(err)

    def test_the_library_refuses_injection_too(self):
        table = [
            ("https://h.example", KEY40 + "\nmachine evil password x"),
            ("https://h.example", '"' + KEY40 + '"'),
            ("h.example\nmachine evil", KEY40),
            ("h.example machine evil", KEY40),
            ('h"x.example', KEY40),
        ]
        for host, key in table:
            with self.subTest(host=host, key=key):
                self.make_netrc(self.BEFORE)

                with self.assertRaises(wblogin.UsageError):
                    wblogin.write_netrc_key(host, key, path=self.netrc,
                                            stderr=io.StringIO())

                self.assertEqual(self.read(self.netrc), self.BEFORE)


class TestStorageOnDisk(StorageFixture):
    """The netrc on disk: links, modes, owners, exact bytes through the CLI."""

    def test_the_cli_writes_exactly_the_expected_bytes(self):
        before = "# caf\xe9\r\nmachine other.example\r\n\tlogin me\r\n" \
                 "\tpassword \xff\xfe\r\n"
        self.make_netrc(before)

        code, _, err = self.run_cli(KEY40)

        self.assertEqual(code, 0, err)
        with open(self.netrc, "rb") as handle:
            self.assertEqual(handle.read(), (
                before + netrc_entry("api.wandb.ai", KEY40, "\r\n")).encode(
                    "latin-1"))

    def test_a_file_the_sdks_netrc_cannot_decode_is_a_warning_naming_the_line(self):
        before = "machine other.example login me password pw\n# caf\xe9\n"
        self.make_netrc(before)

        code, _, err = self.run_cli(KEY40)

        self.assertEqual(code, 0, err)
        self.assertIn("Python's netrc module cannot read %s (line 2 "
                      % self.netrc, err)
        self.assertEqual(self.read(self.netrc), before + ENTRY)

    def test_logout_removes_every_entry_for_the_host_and_keeps_the_rest(self):
        self.make_netrc(
            "machine h.example login a password first\n# keep\n"
            "machine h.example.evil.com login x password x\n"
            "machine h.example\n  login b\n  password second\n# tail\n")

        code, _, err = self.run_cli("--logout", "--host", "https://h.example")

        self.assertEqual(code, 0, err)
        self.assertEqual(self.read(self.netrc),
                         "# keep\nmachine h.example.evil.com login x password x\n"
                         "# tail\n")

    def test_a_symlinked_netrc_stays_a_link_and_its_target_is_updated(self):
        vault = os.path.join(self.tmp, "vault")
        target = os.path.join(vault, "netrc")
        link = os.path.join("..", "vault", "netrc")
        before = "machine other.example login me password pw\n"
        for name, existing in (("an existing target", before),
                               ("a target not there yet", None)):
            with self.subTest(name):
                shutil.rmtree(vault, True)
                os.mkdir(vault)
                if existing is not None:
                    self.write(target, existing)
                if os.path.lexists(self.netrc):
                    os.unlink(self.netrc)
                os.symlink(link, self.netrc)

                code, _, err = self.run_cli(KEY40)

                self.assertEqual(code, 0, err)
                self.assertTrue(os.path.islink(self.netrc))
                self.assertEqual(os.readlink(self.netrc), link)
                self.assertEqual(self.read(target), (existing or "") + ENTRY)
                self.assertEqual(self.mode(target), 0o600)
                self.assertEqual(_leftovers(vault) + _leftovers(self.home), [])

    def test_a_netrc_readable_by_others_ends_0600_and_the_user_is_told(self):
        self.make_netrc("machine other.example login me password pw\n", 0o644)

        code, _, err = self.run_cli(KEY40)

        self.assertEqual(code, 0, err)
        self.assertEqual(self.mode(self.netrc), 0o600)
        self.assertIn("0644", err)
        self.assertIn("0600", err)

    @unittest.skipUnless(hasattr(os, "geteuid") and os.geteuid() == 0,
                         "only root can store into a file another user owns")
    def test_root_keeps_the_owner_of_the_netrc_and_of_its_lock(self):
        # sudo with the user's HOME: root-owned files there would lock the
        # user out of their own credentials.
        self.make_netrc("machine other.example login me password pw\n")
        os.chown(self.netrc, 65534, 65534)

        code, _, err = self.run_cli(KEY40)

        self.assertEqual(code, 0, err)
        for path in (self.netrc, self.netrc + ".lock"):
            info = os.stat(path)
            self.assertEqual((path, info.st_uid, info.st_gid),
                             (path, 65534, 65534))


@unittest.skipUnless(os.name == "posix", "uses signals, umask and fcntl")
class TestStorageUnderStress(StorageFixture):
    """Many processes at once, kills mid-write, any umask: no key lost or shown."""

    def test_two_dozen_concurrent_logins_to_different_hosts_all_survive(self):
        before = textwrap.dedent("""\
            # hand-written: keep me
            machine other.example login me password pw

            machine api.wandb.ai
              login user
              password %s
            # trailing comment
            """) % KEY_V1
        self.make_netrc(before)
        keys = ["k%02d" % n + "x" * 40 for n in range(24)]

        processes = [self.start_cli(keys[n], "--host", "https://wandb-%d.example" % n)
                     for n in range(24)]
        results = [self.finish(p) for p in processes]

        for n, (code, _, err) in enumerate(results):
            self.assertEqual(code, 0, err)
            self.assertNotIn("warning", err)
        text = self.read(self.netrc)
        self.assertTrue(text.startswith(before), text[:len(before)])
        added = [netrc_entry("wandb-%d.example" % n, keys[n]) for n in range(24)]
        self.assertEqual(len(text), len(before) + sum(len(a) for a in added))
        for entry in added:
            self.assertIn(entry, text)
        self.assertEqual(self.stdlib_netrc().authenticators(
            "wandb-23.example")[2], keys[23])

    def wait_for_new_temp(self, process, seen):
        """Poll until a temporary file not in `seen` appears: its time, or None."""
        deadline = time.monotonic() + 30
        while process.poll() is None and time.monotonic() < deadline:
            if set(_leftovers(self.home)) - seen:
                return time.monotonic()
        return None

    def test_a_login_killed_at_any_moment_leaves_the_old_file_or_the_new_one(self):
        padding = "".join("# padding %06d %s\n" % (n, "." * 60)
                          for n in range(40000))

        def with_key(key):
            return padding + netrc_entry("api.wandb.ai", key)
        self.write(self.netrc, with_key(KEY_V1))
        # An undisturbed login first: how long it takes, and how long its
        # temporary file lives (the write itself).
        started = time.monotonic()
        process = self.start_cli(KEY40)
        appeared = self.wait_for_new_temp(process, set())
        while _leftovers(self.home) and process.poll() is None:
            pass
        writing = time.monotonic() - appeared if appeared else 0.005
        self.assertEqual(self.finish(process)[0], 0)
        undisturbed = time.monotonic() - started
        current = self.read(self.netrc)
        self.assertEqual(current, with_key(KEY40))
        chance, mid_write = random.Random(20), 0

        for attempt in range(20):
            key = OTHER_KEY if current == with_key(KEY40) else KEY40
            seen = set(_leftovers(self.home))
            process = self.start_cli(key)
            if attempt % 2:
                # Aimed at the write: once the new temporary file shows up,
                # at once or later (a write takes 0.5-10 ms, varying).
                self.wait_for_new_temp(process, seen)
                if attempt % 4 == 3:
                    time.sleep(chance.uniform(0, writing))
            else:
                time.sleep(chance.uniform(0, undisturbed))
            process.kill()
            process.communicate(timeout=30)
            text = self.read(self.netrc)
            self.assertTrue(text in (current, with_key(key)),
                            "after kill %d the file is neither the old nor the "
                            "new one (%d bytes)" % (attempt, len(text)))
            leftovers = _leftovers(self.home)
            self.assertLessEqual(len(leftovers), 1, leftovers)
            mid_write += bool(set(leftovers) - seen)
            current = text

        self.assertGreater(mid_write, 0, "no kill landed during a write")
        code, _, err = self.run_cli(KEY_V1)
        self.assertEqual(code, 0, err)
        self.assertEqual(self.read(self.netrc), with_key(KEY_V1))
        self.assertEqual(_leftovers(self.home), [])

    def watch_modes(self, processes, directories):
        """Until `processes` end, stat every file in `directories`.

        Returns (files seen readable by group or others, temp files seen).
        """
        exposed, temps = set(), 0
        deadline = time.monotonic() + 60
        while any(p.poll() is None for p in processes):
            self.assertLess(time.monotonic(), deadline, "logins hang")
            for directory in directories:
                try:
                    names = os.listdir(directory)
                except OSError:
                    continue
                for name in names:
                    try:
                        info = os.lstat(os.path.join(directory, name))
                    except OSError:
                        continue
                    if stat.S_ISREG(info.st_mode):
                        temps += name.endswith(".wblogin-tmp")
                        if info.st_mode & 0o077:
                            exposed.add("%s %04o" % (
                                name, stat.S_IMODE(info.st_mode)))
        return exposed, temps

    def test_no_file_holding_a_key_is_ever_readable_by_others_whatever_the_umask(self):
        padding = "".join("# padding %06d %s\n" % (n, "." * 60)
                          for n in range(15000))
        for umask in (0, 0o022):
            with self.subTest(umask="%04o" % umask):
                shutil.rmtree(self.home)
                os.mkdir(self.home)

                def set_umask():
                    os.umask(umask)
                watched = (self.home, self.config_dir)
                first = self.start_cli(KEY40, "--host", "https://one.example",
                                       preexec_fn=set_umask)
                exposed, _ = self.watch_modes([first], watched)
                self.assertEqual(self.finish(first)[0], 0)
                self.write(self.netrc, padding + self.read(self.netrc))
                logins = [self.start_cli(key, "--host", host, preexec_fn=set_umask)
                          for key, host in ((OTHER_KEY, "https://two.example"),
                                            (KEY_V1, "https://three.example"),
                                            (KEY_LOCAL, "https://four.example"))]
                more, temps = self.watch_modes(logins, watched)

                self.assertEqual([self.finish(p)[0] for p in logins], [0, 0, 0])
                self.assertEqual(exposed | more, set())
                for path in (self.netrc, self.global_settings):
                    self.assertEqual(self.mode(path), 0o600, path)
                self.assertEqual(self.mode(self.config_dir) & 0o077, 0)


@unittest.skipUnless(os.name == "posix", "holds the lock with fcntl.lockf")
class TestNetrcLock(StorageFixture):
    """The read-modify-write lock: waits while held, gives up after a bound."""

    def hold_lock(self):
        import fcntl
        fd = os.open(self.netrc + ".lock", os.O_RDWR | os.O_CREAT, 0o600)
        self.addCleanup(os.close, fd)
        fcntl.lockf(fd, fcntl.LOCK_EX)
        return fd

    def test_a_login_waits_for_the_lock_and_succeeds_once_it_is_released(self):
        import fcntl
        self.make_netrc("machine other.example login me password pw\n")
        fd = self.hold_lock()

        process = self.start_cli(KEY40)
        time.sleep(0.6)
        waited = process.poll() is None
        unchanged = self.read(self.netrc)
        fcntl.lockf(fd, fcntl.LOCK_UN)
        code, _, err = self.finish(process, timeout=20)

        self.assertTrue(waited, "the login did not wait for the lock: %s" % err)
        self.assertEqual(unchanged, "machine other.example login me password pw\n")
        self.assertEqual(code, 0, err)
        self.assertEqual(self.read(self.netrc),
                         "machine other.example login me password pw\n" + ENTRY)

    def test_a_lock_held_too_long_fails_naming_the_lock_file(self):
        # Production waits _LOCK_WAIT (10 s); this child waits half a second.
        self.assertEqual(wblogin._LOCK_WAIT, 10.0)
        self.make_netrc("machine other.example login me password pw\n")
        self.hold_lock()
        started = time.monotonic()

        code, _, err = self.run_started(
            KEY40, after_import="wblogin._LOCK_WAIT = 0.5", timeout=20)

        self.assertLess(time.monotonic() - started, 8)
        self.assertEqual(code, 1, err)
        self.assertIn(self.netrc + ".lock", err)
        self.assertNoTraceback(err)
        self.assertEqual(self.read(self.netrc),
                         "machine other.example login me password pw\n")

    def test_a_file_system_that_cannot_lock_still_gets_the_key(self):
        # NFS without a lock daemon answers ENOLCK at once: no one holds the
        # lock, so waiting for it would only end in a false "another login".
        no_locks = textwrap.dedent("""\
            import errno, types
            fcntl = types.ModuleType("fcntl")
            fcntl.LOCK_EX, fcntl.LOCK_NB, fcntl.LOCK_UN = 2, 4, 8
            def lockf(fd, operation, *args):
                raise OSError(errno.ENOLCK, "No locks available")
            fcntl.lockf = fcntl.flock = lockf
            sys.modules["fcntl"] = fcntl
            """)
        started = time.monotonic()

        code, _, err = self.run_started(KEY40, wrapper=no_locks, timeout=30)

        self.assertEqual(code, 0, err)
        self.assertLess(time.monotonic() - started, 5)
        self.assertEqual(self.read(self.netrc), ENTRY)


def _unprivileged_ways():
    """[(description, preexec_fn)] that may make a child obey permission bits."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return [("as this user", None)]
    ways = []
    try:
        import ctypes
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (ImportError, OSError, AttributeError):
        prctl = None
    if prctl is not None:
        def drop_dac_override():
            # Out of the bounding set, so root does not regain them at exec.
            for capability in (1, 2):   # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
                if prctl(24, capability, 0, 0, 0) != 0:   # PR_CAPBSET_DROP
                    raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")
        ways.append(("as root without CAP_DAC_OVERRIDE", drop_dac_override))

    def nobody():
        os.setgroups([])
        os.setgid(65534)
        os.setuid(65534)
    ways.append(("as uid 65534", nobody))
    return ways


class TestUnwritable(StorageFixture):
    """Places the key cannot go: exit 1, the path, a NETRC= hint, no damage."""

    BEFORE = "# mine\nmachine other.example login me password pw\n"

    def assertStorageFailed(self, code, err, path):
        self.assertEqual(code, 1, err)
        self.assertIn(path, err)
        self.assertIn("NETRC=", err)
        self.assertNoTraceback(err)

    def test_a_parent_that_is_a_file_fails_and_changes_nothing(self):
        blocker = self.write(os.path.join(self.home, "not-a-directory"),
                             self.BEFORE)
        netrc = os.path.join(blocker, "netrc")

        code, _, err = self.run_cli(KEY40, extra_env={"NETRC": netrc})

        self.assertStorageFailed(code, err, netrc)
        self.assertEqual(self.read(blocker), self.BEFORE)

    def unprivileged(self, directory, netrc):
        """A preexec_fn under which `directory` cannot be written, or skip."""
        probe = ("import os, sys\nopen(sys.argv[1], 'rb').close()\n"
                 "try:\n    open(os.path.join(sys.argv[2], 'probe'), 'w')\n"
                 "except PermissionError:\n    sys.exit(0)\nsys.exit(5)\n")
        reasons = []
        for name, preexec in _unprivileged_ways():
            if name == "as uid 65534":
                for path in (self.tmp, self.home, self.cwd, directory):
                    os.chmod(path, 0o755 if path != directory else 0o555)
                os.chown(netrc, 65534, 65534)
            try:
                process = subprocess.Popen(
                    [sys.executable, "-c", probe, SCRIPT, directory],
                    cwd=self.cwd, env=self.env, preexec_fn=preexec,
                    stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                _, err = process.communicate(timeout=30)
            except (OSError, subprocess.SubprocessError) as error:
                reasons.append("%s: %s" % (name, error))
                continue
            if process.returncode == 0:
                return preexec
            reasons.append("%s: the probe %s" % (
                name, "could write" if process.returncode == 5
                else "failed: " + err.decode().strip()[-120:]))
        self.skipTest("running as root, and no child process here obeys "
                      "permission bits (%s)" % "; ".join(reasons))

    def test_a_read_only_directory_fails_and_leaves_the_netrc_untouched(self):
        directory = os.path.join(self.tmp, "read-only")
        netrc = self.write(os.path.join(directory, "netrc"), self.BEFORE)
        for name, lock_exists in (("no lock file yet", False),
                                  ("a writable lock file", True)):
            with self.subTest(name):
                os.chmod(directory, 0o700)
                if lock_exists:
                    self.write(netrc + ".lock", "")
                os.chmod(directory, 0o500)
                self.addCleanup(os.chmod, directory, 0o700)
                preexec = self.unprivileged(directory, netrc)
                listing = sorted(os.listdir(directory))

                code, _, err = self.run_started(
                    KEY40, extra_env={"NETRC": netrc}, preexec_fn=preexec)

                self.assertStorageFailed(code, err, netrc)
                self.assertEqual(self.read(netrc), self.BEFORE)
                self.assertEqual(sorted(os.listdir(directory)), listing)

    @unittest.skipUnless(os.name == "posix", "RLIMIT_FSIZE is POSIX")
    def test_a_full_disk_fails_and_leaves_no_temporary_file(self):
        import resource
        before = "".join("machine host-%03d.example login u password %s\n"
                         % (n, KEY40) for n in range(200))
        self.make_netrc(before)
        hard = resource.getrlimit(resource.RLIMIT_FSIZE)[1]

        def small_files():
            resource.setrlimit(resource.RLIMIT_FSIZE, (4096, hard))
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)

        code, _, err = self.run_started(KEY_V1, preexec_fn=small_files)

        self.assertStorageFailed(code, err, self.netrc)
        self.assertIn(os.strerror(errno.EFBIG), err)
        self.assertEqual(self.read(self.netrc), before)
        self.assertEqual(_leftovers(self.home), [])

    def test_an_unwritable_settings_file_is_only_a_warning(self):
        blocker = self.write(os.path.join(self.home, "blocker"), "a file\n")
        config_dir = os.path.join(blocker, "wandb")

        code, _, err = self.run_cli(
            KEY40, "--host", "https://h.example",
            extra_env={"WANDB_CONFIG_DIR": config_dir})

        self.assertEqual(code, 0, err)
        self.assertIn("warning", err)
        self.assertIn(os.path.join(config_dir, "settings"), err)
        self.assertEqual(self.read(self.netrc), netrc_entry("h.example", KEY40))
        self.assertEqual(self.read(blocker), "a file\n")


class TestWindowsRules(StorageFixture):
    """What of the Windows behaviour can be checked on this machine."""

    def test_the_netrc_path_follows_the_sdk_rules(self):
        home = self.home
        profile = os.path.join(self.tmp, "profile")
        table = [
            ("Windows, no file yet", "nt", [], {}, os.path.join(home, "_netrc")),
            ("POSIX, no file yet", "posix", [], {}, os.path.join(home, ".netrc")),
            ("POSIX with only _netrc", "posix", ["_netrc"], {},
             os.path.join(home, "_netrc")),
            ("Windows with only .netrc", "nt", [".netrc"], {},
             os.path.join(home, ".netrc")),
            ("Windows with both", "nt", [".netrc", "_netrc"], {},
             os.path.join(home, ".netrc")),
            ("POSIX with both", "posix", [".netrc", "_netrc"], {},
             os.path.join(home, ".netrc")),
            ("NETRC with ~", "posix", [".netrc"], {"NETRC": "~/keys/netrc"},
             os.path.join(home, "keys", "netrc")),
            ("NETRC with ~ on Windows", "nt", [], {"NETRC": "~/keys/netrc"},
             os.path.join(home, "keys", "netrc")),
            ("NETRC as it is", "nt", [".netrc"], {"NETRC": profile},
             profile),
            ("Windows without HOME uses USERPROFILE", "nt", [],
             {"HOME": None, "USERPROFILE": profile},
             os.path.join(profile, "_netrc")),
        ]
        for name, os_name, present, extra, expected in table:
            with self.subTest(name):
                for leftover in (".netrc", "_netrc"):
                    if os.path.exists(os.path.join(home, leftover)):
                        os.unlink(os.path.join(home, leftover))
                for file_name in present:
                    self.write(os.path.join(home, file_name), "")
                env = {"HOME": home}
                env.update(extra)
                env = dict((k, v) for k, v in env.items() if v is not None)

                self.assertEqual(wblogin.netrc_path(env, os_name=os_name),
                                 expected)

    def test_the_cli_stores_a_key_without_posix_only_calls(self):
        windows_like = textwrap.dedent("""\
            sys.modules["fcntl"] = None
            for name in ("fchmod", "fchown", "O_NOFOLLOW"):
                if hasattr(os, name):
                    delattr(os, name)
            """)
        self.make_netrc("machine other.example login me password pw\n")

        code, _, err = self.run_started(KEY40, "--host", "https://h.example",
                                        wrapper=windows_like)

        self.assertEqual(code, 0, err)
        self.assertNoTraceback(err)
        self.assertEqual(self.read(self.netrc),
                         "machine other.example login me password pw\n" +
                         netrc_entry("h.example", KEY40))
        self.assertEqual(self.mode(self.netrc), 0o600)
        self.assertIn("base_url = https://h.example", self.read(self.global_settings))


if __name__ == "__main__":
    unittest.main()
