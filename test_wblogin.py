"""Tests for wblogin.py: unittest only, no dependencies, no real home, no network.

Run with `python -m unittest -v` beside wblogin.py. Each test gets its own
temporary HOME, NETRC, WANDB_CONFIG_DIR, WANDB_DIR and working directory and
a scrubbed environment; the CLI runs in subprocesses as a user runs it;
servers listen on 127.0.0.1 only. With WBLOGIN_TESTS_IN_PROCESS=1 (`tox -e
cov`), the CLI runs in the test process instead, to be measured (see
Fixture.run_cli and run_in_process).
"""

import base64
import errno
import io
import json
import os
import random
import shutil
import socket
import signal
import stat
import struct
import subprocess
import sys
import tempfile
import textwrap
import time
import unittest
import warnings

import wblogin

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPT = os.path.join(HERE, "wblogin.py")
# Hints name the interpreter by the name it was run by (python3, python3.6, ...).
PYTHON = os.path.basename(sys.executable)[:-4 if sys.executable.endswith(".exe") else None]

# Windows (`tox -e windows`: the official CPython under wine) has no pty, fork,
# preexec_fn, FIFOs, pwd, fcntl, bytes environment or POSIX mode bits: the tests
# that need them skip there, saying which.
WINDOWS = os.name == "nt"


def decoded(data):
    """What a child wrote, as text (its CRLF line ends as \\n on Windows)."""
    text = data.decode()
    return text.replace("\r\n", "\n") if WINDOWS else text


def symlinks_work():
    """Whether os.symlink makes links that work here: not on Windows without
    the privilege, nor under wine (whose links are no links to Python)."""
    if "symlinks" not in _PROBED:
        folder = tempfile.mkdtemp(prefix="wblogin-probe-")
        try:
            target, link = os.path.join(folder, "target"), os.path.join(folder, "link")
            with open(target, "w") as handle:
                handle.write("x")
            os.symlink(target, link)
            with open(link) as handle:
                _PROBED["symlinks"] = os.path.islink(link) and handle.read() == "x"
        except (AttributeError, NotImplementedError, OSError):
            _PROBED["symlinks"] = False
        finally:
            shutil.rmtree(folder, True)
    return _PROBED["symlinks"]


_PROBED = {}


def export_line(name, value):
    """The line a hint gives a job script to set a variable (cmd's `set` on Windows)."""
    return ("set %s=%s" if WINDOWS else "export %s=%s") % (name, value)


def popen(command, **kwargs):
    """subprocess.Popen, tried again when wine fails to start the process at
    all (WinError 1359, "Internal error", about one start in a thousand)."""
    for attempt in range(3):
        try:
            return subprocess.Popen(command, **kwargs)
        except OSError as error:
            if getattr(error, "winerror", None) != 1359 or attempt == 2:
                raise
            time.sleep(0.2)


def script_command():
    """The command that runs wblogin.py as `python wblogin.py` runs it: the
    code Python compiles from the file, run as __main__ with sys.argv[0] the
    script's path (so no __pycache__ either), only compiled once per test
    run instead of once per process (a third of each run's time). Tests
    that need the interpreter's own script start run [python, SCRIPT]."""
    if "code" not in _SCRIPT_CODE:
        import atexit
        import marshal
        folder = tempfile.mkdtemp(prefix="wblogin-script-")
        atexit.register(shutil.rmtree, folder, True)
        _SCRIPT_CODE["code"] = os.path.join(folder, "wblogin.marshal")
        with open(_SCRIPT_CODE["code"], "wb") as handle:
            marshal.dump(script_code(), handle)
    launcher = ("import marshal, sys\n"
                "sys.argv[0] = %r\n"
                "with open(%r, 'rb') as f: code = marshal.load(f)\n"
                "del marshal, f\n"
                "exec(code, {'__name__': '__main__', '__file__': %r, "
                "'__builtins__': __builtins__})\n" % (SCRIPT, _SCRIPT_CODE["code"],
                                                      SCRIPT))
    return [sys.executable, "-c", launcher]


_SCRIPT_CODE = {}


def script_code():
    """The code object Python compiles from wblogin.py to run it as a script."""
    if "object" not in _SCRIPT_CODE:
        with open(SCRIPT, "rb") as handle:
            _SCRIPT_CODE["object"] = compile(handle.read(), SCRIPT, "exec",
                                             dont_inherit=True)
    return _SCRIPT_CODE["object"]


def needing_a_process(test):
    """Mark a test whose CLI runs need a process of their own, also under
    WBLOGIN_TESTS_IN_PROCESS=1 (one that could hang this one, say)."""
    test.needs_a_process = True
    return test


# Variables read as the interpreter starts, not by wblogin: a run with other
# values than the fixture's gets a process of its own. (PYTHONPATH is played
# in process: wblogin reads only sys.path, for the wandb SDK's version.)
_INTERPRETER_VARIABLES = ("PYTHON", "LC_", "LANG", "LOCPATH")
_STREAMS = ("stdin", "stdout", "stderr")


def run_in_process(args, env, cwd, stdin_text=None, streams=None, cwd_removed=False,
                   timeout=60, wrapper=None):
    """`python wblogin.py ARGS` in this process, for coverage: the script's
    code compiled once and run as __main__ in a fresh module (so its own
    start, _command_line, runs, and no state is kept from one run to the
    next), with sys.argv, sys.path, os.environ, the working directory, the
    standard streams (files, with the encodings and error handlers Python
    gives them) and the signal handlers as that process would have them,
    all put back afterwards. `streams` (see Fixture.run_cli): a standard
    stream "closed" is None, as Python makes it when its descriptor is not
    open; a file descriptor is used as it is. An exception that escapes is
    a traceback on stderr and exit code 1, as in a process; a run that
    outlasts `timeout` ends the whole test run with every thread's
    traceback, not a hang. `wrapper` is code run first (with os and sys),
    as in Fixture.run_cli; what it changes in sys.modules is put back.
    Returns (code, stdout, stderr). Main thread only."""
    import builtins
    import faulthandler
    import traceback
    import types
    streams = streams or {}
    folder = tempfile.mkdtemp(prefix="wblogin-run-")
    paths = dict((name, os.path.join(folder, name)) for name in _STREAMS)
    with open(paths["stdin"], "wb") as handle:
        handle.write((stdin_text or "").encode())
    # What Python chooses under LC_ALL=C: UTF-8 mode from 3.7, ASCII before.
    encoding = "ascii" if sys.version_info < (3, 7) else "utf-8"
    opened = {}
    for name in _STREAMS:
        given = streams.get(name)
        if given == "closed":
            opened[name] = None
            continue
        mode = "rb" if name == "stdin" else "wb"
        raw = open(os.dup(given), mode) if given is not None else open(
            paths[name] if name != "stdin" or stdin_text is not None else os.devnull, mode)
        opened[name] = io.TextIOWrapper(
            raw, encoding, "backslashreplace" if name == "stderr" else "surrogateescape",
            line_buffering=name == "stderr")
    saved_streams = sys.stdin, sys.stdout, sys.stderr
    saved_argv, saved_path, saved_main = sys.argv, list(sys.path), sys.modules["__main__"]
    saved_modules = {}
    saved_environ, saved_cwd = dict(os.environ), os.getcwd()
    names = [name for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)]
    saved_handlers = [(getattr(signal, name), signal.getsignal(getattr(signal, name)))
                      for name in names]
    saved_mask = signal.pthread_sigmask(signal.SIG_BLOCK, []) if hasattr(
        signal, "pthread_sigmask") else None
    try:
        os.chdir(cwd)
        if cwd_removed:
            os.rmdir(cwd)
        os.environ.clear()
        os.environ.update(env)
        # As `python wblogin.py` starts: the script's folder, PYTHONPATH, the rest.
        sys.path[:] = [HERE] + [entry for entry in env.get("PYTHONPATH", "").split(
            os.pathsep) if entry] + [entry for entry in saved_path[1:] if entry != HERE]
        sys.argv = [SCRIPT] + list(args)
        sys.stdin, sys.stdout, sys.stderr = (opened[name] for name in _STREAMS)
        if sys.__stderr__ is not None:
            faulthandler.dump_traceback_later(timeout, exit=True, file=sys.__stderr__)
        main = types.ModuleType("__main__")
        main.__file__, main.__builtins__ = SCRIPT, builtins
        sys.modules["__main__"] = main
        try:
            if wrapper is not None:
                modules = dict(sys.modules)
                exec(wrapper, {"os": os, "sys": sys})
                for name in set(modules) | set(sys.modules):
                    if modules.get(name) is not sys.modules.get(name):
                        saved_modules[name] = modules.get(name)
            exec(script_code(), main.__dict__)
            code = 0
        except SystemExit as stop:
            code = stop.code
            if code is not None and not isinstance(code, int):
                if sys.stderr is not None:
                    print(code, file=sys.stderr)
                code = 1
            code = code or 0
        except BaseException as error:
            if sys.stderr is not None:
                traceback.print_exc()
            code = -signal.SIGINT if isinstance(error, KeyboardInterrupt) else 1
        finally:
            faulthandler.cancel_dump_traceback_later()
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved_streams
        sys.modules["__main__"] = saved_main
        for name, module in saved_modules.items():
            if module is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = module
        sys.argv = saved_argv
        sys.path[:] = saved_path
        os.environ.clear()
        os.environ.update(saved_environ)
        os.chdir(saved_cwd)
        for number, handler in saved_handlers:
            signal.signal(number, handler)
        if saved_mask is not None:
            signal.pthread_sigmask(signal.SIG_SETMASK, saved_mask)
        for stream in opened.values():
            try:
                if stream is not None:
                    stream.close()
            except (OSError, ValueError):
                pass
    try:
        texts = []
        for name in _STREAMS[1:]:
            if not os.path.exists(paths[name]):     # not ours: closed, or given
                texts.append("")
                continue
            with open(paths[name], "rb") as handle:
                texts.append(handle.read().decode())
    finally:
        shutil.rmtree(folder, True)
    return code, texts[0], texts[1]

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
    play any other server, or FakeWandb.DROP to hang up without an answer
    (a connection reset), or FakeWandb.HANDLED when it wrote to
    handler.wfile itself. Every request is recorded in `requests` as
    (method, path, headers dict, body bytes). Use as a context manager or
    call stop(); the test's cleanup stops it anyway.
    """

    DROP = "drop the connection"
    HANDLED = "the respond function wrote the answer itself"

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
                fake.requests.append((self.command, self.path, dict(self.headers),
                                      body))
                answer = fake.respond(self, body) if fake.respond else None
                if answer is FakeWandb.HANDLED:
                    self.close_connection = True
                    return
                if answer is FakeWandb.DROP:
                    # Linger 0: close() sends a TCP reset, not a polite FIN.
                    self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                               struct.pack("ii", 1, 0))
                    self.connection.close()
                    self.close_connection = True
                    return
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

            do_GET = do_CONNECT = do_POST

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


def settled(path):
    """Date `path` a few seconds back: a file written earlier, not one another
    program is writing right now (wblogin waits for such a file to be quiet)."""
    then = time.time() - 5
    os.utime(path, (then, then))
    return path


def warnings_in(err):
    """The warning lines of a run, but the note every KEY argument gets."""
    return [line for line in err.splitlines() if "warning:" in line and
            "can be seen in `ps`" not in line]


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
        # Under `tox -e cov`, the CLI runs of the tests are measured too.
        self.env.update((name, value) for name, value in os.environ.items()
                        if name.startswith("COVERAGE_"))

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
        return settled(path)

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

    # `tox -e cov` sets this to measure the CLI: run_cli then runs wblogin in this
    # process as `python wblogin.py` would run it (see run_in_process), but for the
    # tests that need a process of their own, which say so: `needs_a_process = True`
    # on the class, or @needing_a_process on the test. Runs whose environment changes
    # how the interpreter itself starts (a locale, PYTHONPATH, ...) get one anyway.
    IN_PROCESS = os.environ.get("WBLOGIN_TESTS_IN_PROCESS") == "1"
    needs_a_process = False

    def runs_in_process(self, env):
        """Whether run_cli runs wblogin in this process, for this environment."""
        if not self.IN_PROCESS or self.needs_a_process or getattr(
                getattr(self, self._testMethodName, None), "needs_a_process", False):
            return False
        import threading
        if threading.current_thread() is not threading.main_thread():
            return False    # signal handlers are the main thread's
        return all(env.get(name) == self.env.get(name) for name in set(env) | set(self.env)
                   if name.startswith(_INTERPRETER_VARIABLES) and name != "PYTHONPATH")

    def run_cli(self, *args, **kwargs):
        """Run `python wblogin.py ARGS` as a user would: (code, stdout, stderr).

        `stdin`, `stdout`, `stderr`: "closed" (the process starts without that
        descriptor) or a file descriptor to give it (its text is then ""),
        instead of pipes. `cwd_removed`: the working directory is removed
        once the process is in it. `wrapper`: Python code the process runs
        before wblogin.py (with `os` and `sys` imported), a stand-in module
        in sys.modules say.
        """
        env = dict(self.env)
        env.update(kwargs.pop("extra_env", {}))
        for name in kwargs.pop("unset", ()):
            env.pop(name, None)
        stdin_text = kwargs.pop("input", None)
        streams = dict((name, kwargs.pop(name, None)) for name in _STREAMS)
        cwd, cwd_removed = kwargs.pop("cwd", self.cwd), kwargs.pop("cwd_removed", False)
        timeout, wrapper = kwargs.pop("timeout", 60), kwargs.pop("wrapper", None)
        self.assertEqual(kwargs, {})
        if self.runs_in_process(env):
            return run_in_process(list(args), env, cwd, stdin_text, streams, cwd_removed,
                                  timeout, wrapper)
        closed = [number for number, name in enumerate(_STREAMS)
                  if streams[name] == "closed"]

        def started():
            for number in closed:
                os.close(number)
            if cwd_removed:
                os.rmdir(cwd)
        pipes = [subprocess.PIPE if stdin_text is not None else subprocess.DEVNULL,
                 subprocess.PIPE, subprocess.PIPE]
        command = script_command()
        if wrapper is not None:
            command[-1] = "import os, sys\n%s\n%s" % (wrapper, command[-1])
        process = popen(
            command + list(args), cwd=cwd, env=env,
            stdin=streams["stdin"] if isinstance(streams["stdin"], int) else pipes[0],
            stdout=streams["stdout"] if isinstance(streams["stdout"], int) else pipes[1],
            stderr=streams["stderr"] if isinstance(streams["stderr"], int) else pipes[2],
            preexec_fn=started if closed or cwd_removed else None)
        try:
            out, err = process.communicate(
                stdin_text.encode() if stdin_text is not None else None, timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
            raise
        return process.returncode, decoded(out or b""), decoded(err or b"")

    def run_cli_all(self, runs, **common):
        """run_cli for each of `runs` (argument lists, or (arguments, keyword
        dict) pairs) two at a time, the machine's cores: [(code, out, err)].
        Only for runs that do not depend on each other. In process (IN_PROCESS),
        one after the other: a run there has the process's streams to itself."""
        if self.IN_PROCESS:
            return [self.run_cli(*run, **common) if isinstance(run, list) else
                    self.run_cli(*run[0], **dict(common, **run[1])) for run in runs]
        import threading
        results, lock, queue = {}, threading.Lock(), list(enumerate(runs))

        def work():
            while True:
                with lock:
                    if not queue:
                        return
                    number, run = queue.pop(0)
                args, extra = (run, {}) if isinstance(run, list) else run
                kwargs = dict(common, **extra)
                try:
                    results[number] = self.run_cli(*args, **kwargs)
                except Exception as error:      # reported by the caller
                    results[number] = error
        threads = [threading.Thread(target=work) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        for number in sorted(results):
            if isinstance(results[number], Exception):
                raise results[number]
        return [results[number] for number in range(len(runs))]

    def run_in_terminal(self, args, answers, extra_env=None, deadline=30,
                        script=SCRIPT):
        """Run the CLI on a pty that is its controlling terminal.

        Waits for each prompt before typing the next answer (None means
        Ctrl-D, "^C" Ctrl-C); returns (exit code, everything the terminal
        showed). `script` runs another copy of wblogin.py.
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
                os.execve(sys.executable, [sys.executable, script] + list(args), env)
            finally:
                os._exit(127)
        shown, answers, seen = b"", list(answers), 0
        end = time.monotonic() + deadline
        try:
            while time.monotonic() < end:
                if answers and shown.count(PROMPT) > seen:
                    seen += 1
                    answer = answers.pop(0)
                    os.write(fd, b"\x04" if answer is None else b"\x03"
                             if answer == "^C" else answer.encode() + b"\n")
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

    def run_json(self, *args, **kwargs):
        """Run the CLI with --json: (code, the JSON object, stderr)."""
        code, out, err = self.run_cli(*(args + ("--json",)), **kwargs)
        self.assertNoTraceback(err)
        return code, json.loads(out), err

    def assertNoTraceback(self, err):
        self.assertNotIn("Traceback", err)

    def needs_symlinks(self):
        if not symlinks_work():
            self.skipTest("os.symlink makes no working link here")

    def assertKeyNotShown(self, text, key):
        self.assertNotIn(key, text)
        self.assertNotIn(key[:-4], text)



# --------------------------------------------------------------------------
# Host URLs
# --------------------------------------------------------------------------

class TestHost(Fixture):
    """Which server: the URL's rules, and where the SDK's settings files are.

    The SDK's rules these tests prove:

    | which server | --host or --cloud, then WANDB_BASE_URL, then base_url of the workspace
      settings file, then of the global one, then https://api.wandb.ai
      | test_host_comes_from_flag_then_env_then_workspace_then_global_then_default |
    | the workspace settings file | ./wandb/settings under the working directory: the SDK reads it
      before it looks at WANDB_DIR, so WANDB_DIR does not move it
      | test_the_workspace_file_is_the_working_directorys_as_the_sdk_reads_it |
    | a ./.wandb folder | ./.wandb/settings is the workspace file
      | test_hidden_wandb_folder_is_the_workspace_when_it_exists |
    | a base_url that is not an http(s) URL | the SDK ignores both settings files and uses its
      default server; so does wblogin, saying why
      | test_a_base_url_the_sdk_refuses_makes_it_ignore_the_settings |
    """

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

        self.assertEqual(wblogin.resolve_host("https://flag.example", env=env, cwd=self.cwd),
                         ("https://flag.example", "--host"))
        self.assertEqual(wblogin.resolve_host(cloud=True, env=env, cwd=self.cwd),
                         ("https://api.wandb.ai", "--cloud"))
        self.assertEqual(wblogin.resolve_host(env=env, cwd=self.cwd),
                         ("https://env.example", "WANDB_BASE_URL"))
        self.assertEqual(wblogin.resolve_host(env=self.env, cwd=self.cwd),
                         ("https://workspace.example", self.workspace_settings))
        os.remove(self.workspace_settings)
        self.assertEqual(wblogin.resolve_host(env=self.env, cwd=self.cwd),
                         ("https://global.example", self.global_settings))
        os.remove(self.global_settings)
        self.assertEqual(wblogin.resolve_host(env=self.env, cwd=self.cwd),
                         ("https://api.wandb.ai", "default"))

    def test_hidden_wandb_folder_is_the_workspace_when_it_exists(self):
        os.mkdir(os.path.join(self.cwd, ".wandb"))
        self.write(os.path.join(self.cwd, ".wandb", "settings"),
                   "[default]\nbase_url = https://hidden.example\n")
        self.write(self.workspace_settings, "[default]\nbase_url = https://plain.example\n")

        self.assertEqual(wblogin.resolve_host(env=self.env, cwd=self.cwd)[0], "https://hidden.example")

    def test_the_workspace_file_is_the_working_directorys_as_the_sdk_reads_it(self):
        # wandb 0.31 reads the settings files before it applies WANDB_DIR.
        elsewhere = os.path.join(self.tmp, "elsewhere")
        self.write(os.path.join(elsewhere, "wandb", "settings"),
                   "[default]\nbase_url = https://elsewhere.example\n")
        self.write(self.workspace_settings, "[default]\nbase_url = https://here.example\n")
        env = dict(self.env, WANDB_DIR=elsewhere)

        self.assertEqual(wblogin.resolve_host(env=env, cwd=self.cwd),
                         ("https://here.example", self.workspace_settings))

    def test_cloud_with_host_is_a_usage_error(self):
        code, out, err = self.run_cli(KEY40, "--cloud", "--host", "https://x.example")

        self.assertEqual(code, 2)
        self.assertIn("--cloud and --host exclude each other", err)
        self.assertFalse(os.path.exists(self.netrc))

    def test_bad_host_on_the_command_line_is_one_line_and_exit_2(self):
        code, out, err = self.run_cli("-", "--host", "https://app.wandb.ai", input=KEY40)

        self.assertEqual(code, 2)
        self.assertEqual(err, "wblogin: --host points at the W&B web app, not its API "
                              "(did you mean https://api.wandb.ai?)\n")
        self.assertFalse(os.path.exists(self.netrc))

    def test_a_base_url_the_sdk_refuses_makes_it_ignore_the_settings(self):
        # The SDK then uses its default, the cloud: so does wblogin, saying why.
        self.write(self.global_settings, "[default]\nbase_url = wandb.corp.example\n")

        code, out, err = self.run_cli("--status")

        self.assertIn("host: https://api.wandb.ai (from default)", err)
        self.assertIn("the wandb SDK ignores both settings files because of %s: "
                      "base_url = wandb.corp.example is not a URL the SDK takes (it is not "
                      "an http:// or https:// URL)" % self.global_settings, err)
        self.assertNoTraceback(err)

    def test_a_base_url_only_wblogin_refuses_is_exit_2_naming_the_file(self):
        self.write(self.global_settings,
                   "[default]\nbase_url = https://me:pw@wandb.corp.example\n")

        code, out, err = self.run_cli("-", input=KEY40)

        self.assertEqual(code, 2)
        self.assertIn("base_url in %s must not contain user:password@"
                      % self.global_settings, err)
        self.assertNotIn("me:pw", err)
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
    """The shape of a key: what wblogin accepts to store, and how a key is shown.

    | a key with Unicode letters (the SDK's check allows them in a key it finds) | not stored:
      'must be ASCII' (a configured one is still named: TestLookupOrder)
      | test_invalid_keys_are_explained_without_echoing_them |
    """

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
            (secret * 342, "API key has more than 4096 characters."),
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
# Credential storage: the netrc text, its reader, the file on disk, the lock
# --------------------------------------------------------------------------

def netrc_entry(machine, key, newline="\n"):
    """The entry wblogin writes, as exact text."""
    return "machine %s%s  login user%s  password %s%s" % (
        machine, newline, newline, key, newline)


ENTRY = netrc_entry("api.wandb.ai", KEY40)

# (what the file holds, its text, the text after storing KEY40 for
# api.wandb.ai). Every text here is one Python's netrc module reads.
NETRC_EDITS = [
    ("nothing at all", "", ENTRY),
    ("comments and tabs",
     "# my credentials\n\tmachine other.example\tlogin me\tpassword pw\n# end\n",
     "# my credentials\n\tmachine other.example\tlogin me\tpassword pw\n# end\n"
     + ENTRY),
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
    ("a quoted password right before the next entry",
     'machine api.wandb.ai login u password "old"machine b login v password q\n',
     ENTRY[:-1] + ' machine b login v password q\n'),
    ("account fields",
     "machine other.example login me account acct password pw\n"
     "machine api.wandb.ai login old account team password old\n",
     "machine other.example login me account acct password pw\n" + ENTRY),
    ("a macdef whose body names the host",
     "macdef init\nmachine api.wandb.ai login x password y\necho hi\n\n"
     "machine api.wandb.ai login old password old\n",
     "macdef init\nmachine api.wandb.ai login x password y\necho hi\n\n" + ENTRY),
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
    ("CR-only line ends, as old Macs wrote them",
     "# mine\rmachine other.example\r  login me\r  password pw\r",
     "# mine\rmachine other.example\r  login me\r  password pw\r" +
     netrc_entry("api.wandb.ai", KEY40, "\r")),
    ("no final newline",
     "machine other.example login me password pw",
     "machine other.example login me password pw\n" + ENTRY),
    ("no final newline after the host's entry",
     "# x\nmachine api.wandb.ai login old password old",
     "# x\n" + ENTRY[:-1]),
    ("a field left without a value at the end",
     "machine foo.example\n  login bar\n  password",
     ENTRY + "machine foo.example\n  login bar\n  password"),
    ("letters that are not ASCII",
     "# caf\u00e9 \u00c5\nmachine other.example login j\u00f6rg password p\u00e4ss\n",
     "# caf\u00e9 \u00c5\nmachine other.example login j\u00f6rg password p\u00e4ss\n"
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

# Texts Python's netrc module (3.11+, the SDK's reader) cannot read, or reads
# in a way no edit can keep: (what, text, line wblogin names, words).
NETRC_REFUSED = [
    ("an unknown word such as git's port", "machine a.example\n  login u\n"
     "  port 21\n  password %s\n" % OTHER_KEY, 3, "a word netrc does not know"),
    ("a comment after a blank line inside an entry",
     "machine a.example login u password %s\n\n# old keys below\n" % OTHER_KEY,
     3, "a # comment after a blank line inside an entry"),
    ("a word with a # at the top level", "#mine: %s\nmachine b login v "
     "password q\n" % OTHER_KEY, 1, "a word outside any entry"),
    ("a line without the password keyword",
     "machine a.example login u %s\n" % OTHER_KEY, 1, "a value without the word password"),
    ("a macdef that the file ends inside",
     "machine a login u password p\nmacdef init\ncd /pub\n", 2, "macdef"),
    ("a quote left open", 'machine a.example login u password "%s\n'
     "machine b.example login v password q\n" % OTHER_KEY, 1, "quoted word"),
]


def _leftovers(directory):
    return sorted(n for n in os.listdir(directory) if n.endswith(".wblogin-tmp"))


def stdlib_hosts(text, path):
    """What this Python's netrc module makes of `text`: hosts, or None when
    it raises. Meaningful on 3.11+ (the SDK's reader); earlier modules differ."""
    import netrc
    with open(path, "wb") as handle:
        handle.write(text.encode("utf-8"))
    try:
        return netrc.netrc(path).hosts
    except netrc.NetrcParseError:
        return None


MODERN_NETRC = sys.version_info >= (3, 11)
WHY_NOT_MODERN = ("this Python's netrc module is older than 3.11's, the reader "
                  "of every wandb SDK on a supported Python; wblogin models 3.11's")


class StorageFixture(Fixture):
    """Fixture plus processes started without waiting, and -c wrappers."""

    def store_in_threads(self, hosts, paths=(None,)):
        """write_netrc_key for every host at once, each in a thread (the n-th into
        paths[n % len(paths)], None: the netrc); the LoginError messages."""
        import threading
        errors = []

        def store(number):
            try:
                wblogin.write_netrc_key(hosts[number], KEY40, path=paths[number % len(paths)],
                                        env=self.env, stderr=io.StringIO())
            except wblogin.LoginError as error:
                errors.append(error.message)
        threads = [threading.Thread(target=store, args=(n,)) for n in range(len(hosts))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return errors

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
            command = script_command() + list(args)
        else:
            code = "import os, sys\n%s\nsys.path.insert(0, sys.argv.pop(1))\n" \
                   "import wblogin\n%s\nsys.exit(wblogin.main(sys.argv[1:]))\n" \
                   % (wrapper or "", after_import)
            command = [sys.executable, "-c", code, HERE] + list(args)
        process = popen(
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
        return process.returncode, decoded(out), decoded(err)

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

    def test_the_stored_entry_is_the_one_python_reads(self):
        path = os.path.join(self.tmp, "n")
        for name, before, _ in NETRC_EDITS:
            with self.subTest(name):

                after = wblogin.netrc_set(before, "api.wandb.ai", KEY40)

                self.assertEqual(wblogin.parse_netrc(after).hosts["api.wandb.ai"],
                                 ("user", "", KEY40))
                if MODERN_NETRC:
                    hosts = stdlib_hosts(after, path)
                    old = stdlib_hosts(before, path)
                    self.assertEqual(hosts.pop("api.wandb.ai"), ("user", "", KEY40))
                    old.pop("api.wandb.ai", None)
                    self.assertEqual(hosts, old)

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
            ("CR-only line ends",
             "machine api.wandb.ai\r  login u\r  password p\r# c\r", "# c\r", 1),
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

    def test_a_text_python_cannot_read_is_refused_naming_the_line(self):
        for name, text, line, words in NETRC_REFUSED:
            with self.subTest(name):
                for change in (lambda: wblogin.netrc_set(text, "c.example", KEY40),
                               lambda: wblogin.netrc_remove(text, "a.example")):
                    with self.assertRaises(wblogin.StorageError) as caught:
                        change()
                    message = str(caught.exception)
                    self.assertIn("line %d" % line, message)
                    self.assertIn(words, message)
                    self.assertKeyNotShown(message, OTHER_KEY)

    def test_an_empty_quoted_word_hides_what_follows_so_the_entry_goes_first(self):
        before = 'machine a login u password p\n""\nmachine b login v password q\n'

        after = wblogin.netrc_set(before, "api.wandb.ai", KEY40)

        self.assertEqual(after, ENTRY + before)
        self.assertEqual(wblogin.parse_netrc(after).hosts,
                         {"api.wandb.ai": ("user", "", KEY40), "a": ("u", "", "p")})


class TestNetrcModel(Fixture):
    """parse_netrc is Python 3.11+'s netrc module on every Python 3.6-3.13.

    That module is the reader of every SDK on a supported Python; the modules of older Pythons
    differ, so wblogin carries its own reader, checked against the real module on hundreds of
    generated files. The module's rules, some of them surprising (each a case of PINNED):

    | a quoted word | its quotes dropped; a backslash escapes the next character, inside quotes or
      not
      | test_the_reader_gives_pinned_answers_on_every_python,
        test_the_pins_are_what_pythons_own_netrc_says |
    | a quote left open | runs to the end of the file (wblogin warns, and refuses to edit such a
      file: TestMalformedNetrc)
      | test_the_reader_gives_pinned_answers_on_every_python,
        test_the_pins_are_what_pythons_own_netrc_says |
    | CRLF, and a lone CR | end a line, as in any text file; a lone CR ends a comment too
      | test_the_reader_gives_pinned_answers_on_every_python,
        test_the_pins_are_what_pythons_own_netrc_says |
    | a # word | a comment to the end of its line only when it is on the line the reader was on: a
      '# note' line right after a blank line inside an entry is a parse error, and #word at the top
      level skips only that word; a # inside a word, or a value that starts with #, is no comment
      | test_the_reader_gives_pinned_answers_on_every_python,
        test_the_pins_are_what_pythons_own_netrc_says |
    | an empty quoted word | ends the reading: the rest of the file is ignored
      | test_the_reader_gives_pinned_answers_on_every_python,
        test_the_pins_are_what_pythons_own_netrc_says |
    | default, or machine default | the fallback entry
      | test_the_reader_gives_pinned_answers_on_every_python,
        test_the_pins_are_what_pythons_own_netrc_says |
    | macdef | runs to the first empty line; a file that ends inside one is a parse error
      | test_the_reader_gives_pinned_answers_on_every_python,
        test_the_pins_are_what_pythons_own_netrc_says |
    | a word it does not expect (port 21), machine without a name | a parse error, and a parse
      error means no key from the whole file (TestLookupOrder)
      | test_the_reader_gives_pinned_answers_on_every_python,
        test_the_pins_are_what_pythons_own_netrc_says |
    | a byte order mark | a word like any other (at the start: a parse error)
      | test_the_reader_gives_pinned_answers_on_every_python,
        test_the_pins_are_what_pythons_own_netrc_says |
    | several entries for one machine; an entry without a password | the last one counts; the
      password is empty (the SDK skips the entry)
      | test_the_reader_gives_pinned_answers_on_every_python,
        test_the_pins_are_what_pythons_own_netrc_says |
    | generated files and word soups (seeded) | read as Python 3.11+'s netrc reads them
      | test_generated_files_read_as_pythons_netrc_reads_them,
        test_generated_word_soups_read_as_pythons_netrc_reads_them |
    | storing into them, or logging out of them | every other machine and default reads as before;
      only a file Python cannot read, or one with a quote left open, is refused
      | test_storing_into_generated_files_keeps_every_other_answer,
        test_logging_out_of_generated_files_keeps_every_other_answer,
        test_storing_into_and_removing_from_word_soups_keeps_every_other_answer |
    | a big file | read once, in linear time, each entry found where it is
      | test_every_entry_of_a_big_file_is_found_where_it_is,
        test_a_big_file_is_read_once_in_linear_time |
    """

    PINNED = [
        ("quoted tokens lose their quotes",
         'machine "a.example" login "u s" password "p w"\n',
         {"a.example": ("u s", "", "p w")}),
        ("a backslash escapes inside quotes",
         'machine a login u password "a\\"b\\\\c"\n', {"a": ("u", "", 'a"b\\c')}),
        ("a backslash escapes outside quotes",
         "machine a login u password a\\ b\n", {"a": ("u", "", "a b")}),
        ("a # line at the top", "# machine x login y password z\n"
         "machine a login u password p\n", {"a": ("u", "", "p")}),
        ("a comment after an entry on its line",
         "machine a login u password p # machine evil password e\n",
         {"a": ("u", "", "p")}),
        ("a # inside a word is not a comment",
         "machine a login u password ab#cd\n", {"a": ("u", "", "ab#cd")}),
        ("a value that starts with #", "machine a login u password #x\n",
         {"a": ("u", "", "#x")}),
        ("#word at the top level skips only that word",
         "#note\nmachine a login u password p\n", {"a": ("u", "", "p")}),
        ("a default entry", "machine a login u password p\n"
         "default login anonymous password g\n",
         {"a": ("u", "", "p"), "default": ("anonymous", "", "g")}),
        ("machine default is the default entry",
         "machine default login u password p\n", {"default": ("u", "", "p")}),
        ("a macdef body up to the empty line",
         "macdef init\nmachine evil login e password e\n\n"
         "machine a login u password p\n", {"a": ("u", "", "p")}),
        ("one-line entries side by side",
         "machine a login u password p machine b login v password q\n",
         {"a": ("u", "", "p"), "b": ("v", "", "q")}),
        ("an entry without a password",
         "machine a login u\nmachine b login v password q\n",
         {"a": ("u", "", ""), "b": ("v", "", "q")}),
        ("the last entry for a machine counts",
         "machine a login u password first\nmachine a login v password last\n",
         {"a": ("v", "", "last")}),
        ("tabs and CRLF", "machine\ta\r\n\tlogin\tu\r\n\tpassword\tp\r\n",
         {"a": ("u", "", "p")}),
        ("CR-only line ends end comments too",
         "# c\rmachine a\rlogin u\rpassword p\r", {"a": ("u", "", "p")}),
        ("a keyword used as a value",
         "machine a login machine password default\n",
         {"a": ("machine", "", "default")}),
        ("a quote left open runs to the end of the file",
         'machine a login u password "abc\nmachine b login v password q\n',
         {"a": ("u", "", "abc\nmachine b login v password q\n")}),
        ("an empty quoted word ends the reading",
         'machine a login u password p\n""\nmachine b login v password q\n',
         {"a": ("u", "", "p")}),
        ("a byte order mark is a word", "\ufeffmachine a login u password p\n",
         None),
        ("a comment after a blank line inside an entry",
         "machine a login u password p\n\n# note\n", None),
        ("an unknown word", "machine a login u port 21 password p\n", None),
        ("a macdef without its empty line", "macdef m\ncd /\n", None),
        ("machine without a name", "machine", None),
    ]

    def test_the_reader_gives_pinned_answers_on_every_python(self):
        for name, text, hosts in self.PINNED:
            with self.subTest(name):
                parsed = wblogin.parse_netrc(text)

                self.assertEqual(None if parsed.error else parsed.hosts, hosts)

    @unittest.skipUnless(MODERN_NETRC, WHY_NOT_MODERN)
    def test_the_pins_are_what_pythons_own_netrc_says(self):
        path = os.path.join(self.tmp, "n")
        for name, text, hosts in self.PINNED:
            with self.subTest(name):
                self.assertEqual(stdlib_hosts(text, path), hosts)

    @unittest.skipUnless(MODERN_NETRC, WHY_NOT_MODERN)
    def test_generated_files_read_as_pythons_netrc_reads_them(self):
        path = os.path.join(self.tmp, "n")
        for seed, text in generated_netrc_texts(300):
            parsed = wblogin.parse_netrc(text)

            mine = None if parsed.error else parsed.hosts
            self.assertEqual(mine, stdlib_hosts(text, path),
                             "seed %d, text %r" % (seed, text))

    @unittest.skipUnless(MODERN_NETRC, WHY_NOT_MODERN)
    def test_storing_into_generated_files_keeps_every_other_answer(self):
        path = os.path.join(self.tmp, "n")
        refused = 0
        for seed, text in generated_netrc_texts(300):
            before = stdlib_hosts(text, path)
            target = random.Random(seed).choice(
                ["api.wandb.ai", "a.example", "b.example", "new.example"])
            try:
                after_text = wblogin.netrc_set(text, target, KEY40)
            except wblogin.StorageError:
                refused += 1
                parsed = wblogin.parse_netrc(text)
                # Only a file Python cannot read, or one with a quote left
                # open, is refused.
                self.assertTrue(parsed.error or parsed.open_quote is not None,
                                "seed %d, text %r" % (seed, text))
                continue
            after = stdlib_hosts(after_text, path)
            self.assertIsNotNone(before, "seed %d, text %r" % (seed, text))
            self.assertEqual(after.pop(target), ("user", "", KEY40),
                             "seed %d, text %r" % (seed, text))
            before.pop(target, None)
            self.assertEqual(after, before, "seed %d, text %r" % (seed, text))
        self.assertLess(refused, 150)

    @unittest.skipUnless(MODERN_NETRC, WHY_NOT_MODERN)
    def test_logging_out_of_generated_files_keeps_every_other_answer(self):
        path = os.path.join(self.tmp, "n")
        awkward = []
        for seed, text in generated_netrc_texts(300):
            target = random.Random(seed).choice(["api.wandb.ai", "a.example"])
            try:
                after_text, count = wblogin.netrc_remove(text, target)
            except wblogin.StorageError as error:
                parsed = wblogin.parse_netrc(text)
                if not (parsed.error or parsed.open_quote is not None):
                    # A readable file whose comments Python reads as comments
                    # only because of the removed entry's line: refused, not
                    # broken.
                    self.assertIn("would", str(error))
                    awkward.append(seed)
                continue
            before, after = stdlib_hosts(text, path), stdlib_hosts(after_text, path)
            self.assertNotIn(target, after, "seed %d, text %r" % (seed, text))
            self.assertEqual(count > 0, target in before)
            before.pop(target, None)
            self.assertEqual(after, before, "seed %d, text %r" % (seed, text))
        self.assertLess(len(awkward), 6, "refused: seeds %s" % awkward)

    @unittest.skipUnless(MODERN_NETRC, WHY_NOT_MODERN)
    def test_generated_word_soups_read_as_pythons_netrc_reads_them(self):
        path = os.path.join(self.tmp, "n")
        for seed, text in generated_netrc_soups(600):
            parsed = wblogin.parse_netrc(text)

            mine = None if parsed.error else parsed.hosts
            self.assertEqual(mine, stdlib_hosts(text, path),
                             "seed %d, text %r" % (seed, text))

    @unittest.skipUnless(MODERN_NETRC, WHY_NOT_MODERN)
    def test_storing_into_and_removing_from_word_soups_keeps_every_other_answer(
            self):
        path = os.path.join(self.tmp, "n")
        stored = removed = 0
        for seed, text in generated_netrc_soups(600):
            before = stdlib_hosts(text, path)
            for key in (KEY40, None):
                try:
                    after_text = wblogin.netrc_set(text, "a.example", key) if key \
                        else wblogin.netrc_remove(text, "a.example")[0]
                except wblogin.StorageError:
                    continue
                after = stdlib_hosts(after_text, path)
                self.assertIsNotNone(after, "seed %d, text %r" % (seed, text))
                self.assertEqual(after.pop("a.example", None),
                                 key and ("user", "", key),
                                 "seed %d, text %r" % (seed, text))
                self.assertEqual(after, dict((m, v) for m, v in before.items()
                                             if m != "a.example"),
                                 "seed %d, text %r" % (seed, text))
                stored, removed = stored + bool(key), removed + (not key)
        self.assertGreater(min(stored, removed), 50)

    def test_every_entry_of_a_big_file_is_found_where_it_is(self):
        pieces = []
        for i in range(6000):
            entry = ("machine h%d.example\r\n  login u\r\n  password %s%d" if i % 3
                     else "machine h%d.example login u password %s%d") % (
                         i, KEY40[:30], i)
            pieces.append(entry + ("\r\n" if i % 500 else " # %d\r\n" % i))
        text = "".join(pieces)

        parsed = wblogin.parse_netrc(text)

        self.assertIsNone(parsed.error)
        self.assertEqual([text[s:e].split()[1] for _, s, e, _ in parsed.entries],
                         ["h%d.example" % i for i in range(6000)])
        self.assertTrue(all(text[e - 4:e].endswith(str(i)[-4:]) for i, (
            _, s, e, _) in enumerate(parsed.entries)))

    def test_a_big_file_is_read_once_in_linear_time(self):
        # 20,000 entries with comments between some: a wanted entry in the
        # middle has the right position, and every entry is read.
        pieces = []
        for i in range(20000):
            pieces.append("machine h%d.example login u password %s%d\n"
                          % (i, KEY40[:30], i))
            if i % 997 == 0:
                pieces.append("# checkpoint %d\n" % i)
        text = "".join(pieces)

        wanted = wblogin.parse_netrc(text, want={"h12345.example"})

        self.assertIsNone(wanted.error)
        self.assertEqual(len(wanted.hosts), 20000)
        (name, start, end, _), = wanted.entries
        self.assertEqual(text[start:end], "machine h12345.example login u "
                                          "password %s12345" % KEY40[:30])
        self.assertEqual(wanted.hosts, wblogin.parse_netrc(text).hosts)


def generated_netrc_texts(count, seed=20261125):
    """`count` (seed, text) pairs: netrc files as people and tools write
    them, with the odd corners Python's netrc module has. Replay one with
    generated_netrc_text(seed)."""
    return [(seed + i, generated_netrc_text(seed + i)) for i in range(count)]


def generated_netrc_text(seed):
    r = random.Random(seed)
    newline = r.choice(["\n"] * 6 + ["\r\n"] * 2 + ["\r"])
    words = ["user", "me", "p\u00e4ss", "s3cret", KEY40, OTHER_KEY, "#x", "ab#cd",
             "machine", "default", "login"]

    def value():
        word = r.choice(words)
        roll = r.random()
        if roll < 0.15:
            return '"%s"' % word.replace("\\", "\\\\").replace('"', '\\"')
        if roll < 0.2:
            return '"two words"'
        if roll < 0.23:
            return word + "\\ x"
        return word

    out = []
    for _ in range(r.randint(0, 7)):
        roll = r.random()
        sep = r.choice([" ", "\t", newline + "  ", newline + "\t"])
        if roll < 0.6:
            name = r.choice(["api.wandb.ai", "a.example", "b.example",
                             "127.0.0.1:8080", '"q.example"'])
            fields = [(k, value()) for k in r.sample(
                ["login", "password", "account", "user"], r.randint(0, 3))]
            if r.random() < 0.03:
                fields.insert(r.randint(0, len(fields)), ("port", "21"))
            if r.random() < 0.05:
                fields.append(("password", ""))     # dangles at the very end
            entry = "machine " + name + "".join(
                sep + k + (" " + v if v else "") for k, v in fields)
            if r.random() < 0.1:
                entry += " # " + r.choice(["note", "machine evil password e"])
            out.append(entry + newline)
        elif roll < 0.7:
            out.append("default login anonymous password %s%s" % (value(), newline))
        elif roll < 0.8:
            out.append("# " + r.choice(["comment", "caf\u00e9 \u00c5", "machine x"])
                       + newline)
        elif roll < 0.85:
            out.append("macdef init%scd /pub%s%s" % (newline, newline, newline))
        elif roll < 0.93:
            out.append(newline)
        elif roll < 0.96:
            out.append("#" + r.choice(["note", "mine:"]) + newline)
        else:
            out.append(r.choice(['machine open login u password "abc' + newline,
                                 '""' + newline, "\ufeff", "port 21" + newline]))
    text = "".join(out)
    if text and r.random() < 0.1:
        text = text.rstrip("\r\n")
    return text


def generated_netrc_soups(count, seed=20261202):
    """`count` (seed, text) pairs of netrc words and separators thrown
    together: the corners a tidy generator never reaches (comments after
    blank lines, odd white space, escapes at the very end, a macdef line
    with a trailing space). Replay one with generated_netrc_soup(seed)."""
    return [(seed + i, generated_netrc_soup(seed + i)) for i in range(count)]


_SOUP = ["machine", "machine", "default", "macdef", "login", "user", "account",
         "password", "password", "port", "21", "a.example", "a.example",
         "api.wandb.ai", KEY40, "#", "#x", "# c", '"', '""', '"q w"', '"a\\"b"',
         "\\", "a\\ b", "ab#cd", 'x"y', "\ufeff", "\x0b", "\x0c", "\x85",
         "\xa0", "\u2028", "\u00c5", "h\u0445", "init", "cd /"]
_SOUP_GAPS = [" ", " ", "\t", "\n", "\n", "\r\n", "\r", "\n\n", "  \n", ""]


def generated_netrc_soup(seed):
    r = random.Random(seed)
    out = []
    if r.random() < 0.4:        # anything at all: mostly files Python rejects
        for _ in range(r.randint(0, 30)):
            out += [r.choice(_SOUP), r.choice(_SOUP_GAPS)]
        return "".join(out)
    # Entries whose values and separators come from the soup.
    for _ in range(r.randint(0, 8)):
        roll = r.random()
        if roll < 0.65:
            out += ["machine", r.choice(_SOUP_GAPS[:-1]),
                    r.choice(["a.example", "b.example", "api.wandb.ai", "c"])]
            for field in r.sample(["login", "user", "account", "password"],
                                  r.randint(0, 4)):
                out += [r.choice(_SOUP_GAPS[:-1]), field, r.choice(
                    _SOUP_GAPS[:-1]), r.choice(_SOUP)]
        elif roll < 0.75:
            out.append("default password " + r.choice(["g", KEY40, '"d d"']))
        elif roll < 0.85:
            out.append("macdef m" + r.choice(["\n", " ", " x\n"]) +
                       r.choice(["cd /\n", ""]) + r.choice(["\n", "  \n", ""]))
        else:
            out.append(r.choice(["# c", "#c", "\x0c", "\xa0", '""', "port 21"]))
        out.append(r.choice(["\n", "\r\n", "\r", " ", "\n\n", " # n\n"]))
    return "".join(out)


class TestMalformedNetrc(StorageFixture):
    """A netrc the SDK cannot read gives no key; wblogin never writes into it.

    The files are NETRC_REFUSED: an unknown word such as git's port, a comment after a blank line
    inside an entry, a word outside any entry, a line without the password word, a file that ends
    inside a macdef, a quote left open.

    | a netrc Python's netrc module cannot parse | a lookup finds no key (the SDK ignores the whole
      file) and warns, naming the file, the line and the reason, never quoting the line's words
      | test_a_lookup_finds_no_key_and_names_the_line_without_quoting_it |
    | a quote left open | read as Python reads it, with a warning naming the line
      | test_a_quote_left_open_is_read_as_python_reads_it_with_a_warning |
    | a store or --logout into any of them | exit 1, every byte left as it was, naming the line and
      NETRC=<another file>
      | test_storing_a_key_is_refused_and_leaves_every_byte,
        test_logging_out_is_refused_and_leaves_every_byte |
    """

    def test_a_lookup_finds_no_key_and_names_the_line_without_quoting_it(self):
        for name, text, line, words in NETRC_REFUSED[:-1]:
            with self.subTest(name):
                self.make_netrc(text.replace("a.example", "b.example"))

                code, out, err = self.run_cli("--print-key", "--host",
                                              "https://b.example")

                self.assertEqual((code, out), (1, ""), err)
                self.assertIn("%s line %d" % (self.netrc, line), err)
                self.assertIn(words, err)
                self.assertKeyNotShown(err, OTHER_KEY)
                self.assertNoTraceback(err)

    def test_a_quote_left_open_is_read_as_python_reads_it_with_a_warning(self):
        self.make_netrc('machine b.example login u password %s\n'
                        'machine c.example login v password "abc\n' % OTHER_KEY)

        code, out, err = self.run_cli("--print-key", "--host", "https://b.example")

        self.assertEqual((code, out), (0, OTHER_KEY + "\n"), err)
        self.assertIn("%s line 2: a quoted word is never closed" % self.netrc, err)

    def test_storing_a_key_is_refused_and_leaves_every_byte(self):
        for name, text, line, words in NETRC_REFUSED:
            with self.subTest(name):
                self.make_netrc(text)

                code, out, err = self.run_cli("-", "--host", "https://c.example",
                                              input=KEY40)

                self.assertEqual(code, 1, err)
                self.assertEqual(self.read(self.netrc), text)
                self.assertIn("nothing was stored in %s" % self.netrc, err)
                self.assertIn("line %d" % line, err)
                self.assertIn("NETRC=", err)
                self.assertEqual(len(err.splitlines()), 1, err)
                self.assertKeyNotShown(err, OTHER_KEY)
                self.assertKeyNotShown(err, KEY40)

    def test_logging_out_is_refused_and_leaves_every_byte(self):
        for name, text, line, words in NETRC_REFUSED:
            with self.subTest(name):
                self.make_netrc(text)

                code, out, err = self.run_cli("--logout", "--host",
                                              "https://a.example")

                self.assertEqual(code, 1, err)
                self.assertEqual(self.read(self.netrc), text)
                self.assertIn("line %d" % line, err)
                self.assertKeyNotShown(err, OTHER_KEY)
                self.assertNoTraceback(err)


class TestNetrcInjection(StorageFixture):
    """A key or host that would smuggle netrc syntax in is refused up front.

    | a key that tries to inject a netrc entry (a space, a newline, a tab, quotes, #, a backslash,
      more words on standard input), or a host that does (a space, a newline, a quote, #,
      user:password@) | refused (exit 2), the file untouched, no settings written
      | test_the_cli_refuses_injection_and_leaves_the_file_alone |
    | the same through write_netrc_key | a UsageError, the file untouched
      | test_the_library_refuses_injection_too |
    """

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
        self.make_netrc(self.BEFORE)

        results = self.run_cli_all([(args, {"input": stdin_text})
                                    for _, args, stdin_text in table])

        for (name, _, _), (code, _, err) in zip(table, results):
            with self.subTest(name):
                self.assertEqual(code, 2, err)
                self.assertNoTraceback(err)
        self.assertEqual(self.read(self.netrc), self.BEFORE)
        self.assertFalse(os.path.exists(self.global_settings))

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
    """The netrc on disk: links, modes, owners, exact bytes through the CLI.

    Hostile input and rules of the SDK these tests prove:

    | a planted .netrc.lock symlink, under root | the link's target is not given away; nothing is
      stored (exit 1)
      | test_a_planted_lock_link_does_not_make_root_chown_its_target |
    | a directory as the netrc | a store is exit 1 naming it and NETRC=; no lock file left
      | test_a_netrc_path_that_is_a_directory_is_exit_1_and_leaves_nothing |
    | a netrc that is not UTF-8 (nor in the locale's encoding) | the SDK stops with an error when
      it reaches it: a lookup is exit 1 saying so; a store is refused naming the line, the file
      left as it was
      | test_a_file_that_is_not_utf8_is_refused_naming_the_line |
    """

    def test_the_cli_writes_exactly_the_expected_bytes(self):
        before = "# caf\u00e9 \u00c5\r\nmachine other.example\r\n\tlogin me\r\n" \
                 "\tpassword p\u00e4ss\r\n"
        self.write(self.netrc, before.encode("utf-8"))

        code, _, err = self.run_cli("-", input=KEY40)

        self.assertEqual(code, 0, err)
        with open(self.netrc, "rb") as handle:
            self.assertEqual(handle.read(), (
                before + netrc_entry("api.wandb.ai", KEY40, "\r\n")).encode("utf-8"))

    @unittest.skipIf(WINDOWS, "Windows' locale encoding (cp1252) reads any byte: see "
                     "test_a_file_that_is_not_utf8_is_read_as_cp1252_on_windows")
    def test_a_file_that_is_not_utf8_is_refused_naming_the_line(self):
        # Python's netrc reads UTF-8, then the locale's encoding (ASCII
        # here): the SDK stops with an error on this file, so nothing is
        # written into it.
        before = "machine other.example login me password pw\n# caf\xe9\n"
        self.make_netrc(before)

        code, out, err = self.run_cli("-", input=KEY40)

        self.assertEqual(code, 1, err)
        self.assertIn("nothing was stored in %s: line 2 is not UTF-8 text"
                      % self.netrc, err)
        self.assertEqual(self.read(self.netrc), before)
        code, out, err = self.run_cli("--print-key")
        self.assertEqual((code, out), (1, ""))
        self.assertIn("stops with an error reading %s" % self.netrc, err)

    @unittest.skipUnless(WINDOWS, "the locale's encoding is cp1252 on Windows only")
    def test_a_file_that_is_not_utf8_is_read_as_cp1252_on_windows(self):
        # Python's netrc (the SDK's reader) falls back to the locale's encoding:
        # the file is read, and written back in it.
        import locale
        if locale.getpreferredencoding(False).lower() not in ("cp1252", "windows-1252"):
            self.skipTest("the ANSI code page here is %s"
                          % locale.getpreferredencoding(False))
        before = "machine other.example login me password pw\n# caf\xe9\n"
        self.make_netrc(before)

        code, out, err = self.run_cli("-", input=KEY40)

        self.assertEqual(code, 0, err)
        self.assertEqual(self.read(self.netrc), before + ENTRY)
        self.assertEqual(self.stdlib_netrc().authenticators("api.wandb.ai")[2], KEY40)
        self.assertEqual(self.run_cli("--print-key")[:2], (0, KEY40 + "\n"))

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
        self.needs_symlinks()
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
                if not WINDOWS:
                    self.assertEqual(self.mode(target), 0o600)
                self.assertEqual(_leftovers(vault) + _leftovers(self.home), [])

    def test_a_netrc_readable_by_others_ends_0600_and_the_user_is_told(self):
        self.make_netrc("machine other.example login me password pw\n", 0o644)

        code, _, err = self.run_cli(KEY40)

        self.assertEqual(code, 0, err)
        if WINDOWS:     # no POSIX modes to tighten or to talk about
            self.assertEqual(warnings_in(err), [])
            return
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

    @unittest.skipUnless(hasattr(os, "geteuid") and os.geteuid() == 0,
                         "needs root to give the netrc to another user")
    def test_a_planted_lock_link_does_not_make_root_chown_its_target(self):
        victim = self.write(os.path.join(self.tmp, "victim"), "root's file\n")
        self.make_netrc("machine other.example login me password pw\n")
        os.chown(self.netrc, 65534, 65534)
        os.symlink(victim, self.netrc + ".lock")

        code, out, err = self.run_cli(KEY40)

        self.assertEqual(code, 1)
        self.assertEqual((os.stat(victim).st_uid, self.read(victim)), (0, "root's file\n"))
        self.assertNotIn(KEY40, self.read(self.netrc))

    def test_a_netrc_path_that_is_a_directory_is_exit_1_and_leaves_nothing(self):
        folder = os.path.join(self.tmp, "folder")
        os.mkdir(folder)

        code, out, err = self.run_cli("-", input=KEY40, extra_env={"NETRC": folder})

        self.assertEqual(code, 1)
        self.assertIn("%s is a directory" % folder, err)
        self.assertIn("NETRC=", err)
        self.assertFalse(os.path.exists(folder + ".lock"))

    def test_the_temporary_files_a_killed_login_left_are_removed_by_the_next(self):
        self.make_netrc("machine other.example login me password pw\n")
        # A temporary file is named ".<file name>.<12 random hex digits>.wblogin-tmp".
        left = os.path.join(self.home, "..netrc.00000badf00d.wblogin-tmp")
        kept = os.path.join(self.home, ".netrc.backup")
        for path in (left, kept):
            self.write(path, "machine api.wandb.ai login user password %s\n" % OTHER_KEY)

        code, out, err = self.run_cli("-", input=KEY40)

        self.assertEqual(code, 0, err)
        self.assertFalse(os.path.exists(left))
        self.assertTrue(os.path.exists(kept))
        self.assertEqual(self.read(self.netrc),
                         "machine other.example login me password pw\n" + ENTRY)


@unittest.skipUnless(os.name == "posix", "uses signals, umask and fcntl")
class TestStorageUnderStress(StorageFixture):
    """Many processes at once, kills mid-write, any umask: no key lost or shown.

    | two dozen logins to different hosts at once | every entry kept
      | test_two_dozen_concurrent_logins_to_different_hosts_all_survive |
    | a login killed (SIGKILL) at any moment | the old file or the new one, never half
      | test_a_login_killed_at_any_moment_leaves_the_old_file_or_the_new_one |
    | any umask | no file holding a key is ever readable by others, not even for a moment
      | test_no_file_holding_a_key_is_ever_readable_by_others_whatever_the_umask |
    """

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
            self.assertEqual(warnings_in(err), [])
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
        padding = "".join("# padding %06d %s\n" % (n, "." * 700)
                          for n in range(4000))

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

        code, _, err = self.run_cli(KEY40, wrapper=no_locks, timeout=30)

        self.assertEqual(code, 0, err)
        self.assertLess(time.monotonic() - started, 5)
        self.assertEqual(self.read(self.netrc), ENTRY)

    def test_a_python_without_fcntl_or_msvcrt_still_gets_the_key(self):
        # No way to lock at all: the atomic replace still keeps the file whole.
        code, _, err = self.run_cli(
            "-", input=KEY40, wrapper="sys.modules['fcntl'] = sys.modules['msvcrt'] = None")

        self.assertEqual(code, 0, err)
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
        if WINDOWS:
            self.skipTest("POSIX mode bits and preexec_fn: a folder made 0555 still "
                          "takes new files on Windows")
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
                else "failed: " + decoded(err).strip()[-120:]))
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
        if not WINDOWS:
            self.assertEqual(self.mode(self.netrc), 0o600)
        self.assertIn("base_url = https://h.example", self.read(self.global_settings))

    def test_without_netrc_set_the_key_goes_to_the_platforms_file_in_the_home(self):
        # The SDK's rule: ~/.netrc or ~/_netrc where one exists, else _netrc on
        # Windows (where ~ is USERPROFILE) and .netrc elsewhere.
        if WINDOWS:
            extra, unset = {"USERPROFILE": self.home}, ["NETRC", "HOME"]
        else:
            extra, unset = {}, ["NETRC"]
        expected = os.path.join(self.home, "_netrc" if WINDOWS else ".netrc")

        stored = self.run_cli(KEY40, extra_env=extra, unset=unset)
        printed = self.run_cli("--print-key", extra_env=extra, unset=unset)
        status = self.run_cli("--status", extra_env=extra, unset=unset)

        self.assertEqual(stored[0], 0, stored[2])
        self.assertIn("stored API key ****4567 for https://api.wandb.ai in %s" % expected,
                      stored[2])
        self.assertEqual(self.stdlib_netrc(expected).authenticators("api.wandb.ai")[2],
                         KEY40)
        self.assertEqual(printed[:2], (0, KEY40 + "\n"), printed[2])
        self.assertIn("netrc: %s (" % expected, status[2])
        self.assertIn("key: ****4567 from %s" % expected, status[2])

    def test_netrc_with_a_tilde_and_the_systems_separators_is_found_and_named(self):
        os.mkdir(os.path.join(self.home, "keys"))
        given = "~" + os.sep + os.path.join("keys", "netrc")
        path = os.path.join(self.home, "keys", "netrc")
        extra = {"NETRC": given, "USERPROFILE": self.home} if WINDOWS else \
            {"NETRC": given}

        stored = self.run_cli(KEY40, extra_env=extra)
        printed = self.run_cli("--print-key", extra_env=extra)
        logout = self.run_cli("--logout", extra_env=extra)

        self.assertEqual(stored[0], 0, stored[2])
        self.assertIn("in %s" % path, stored[2])
        self.assertEqual(printed[:2], (0, KEY40 + "\n"), printed[2])
        self.assertEqual(logout[0], 0, logout[2])
        self.assertIn(path, logout[2])
        self.assertEqual(self.read(path), "")

    def test_ten_logins_at_once_to_ten_hosts_keep_every_entry(self):
        # The lock (msvcrt on Windows) and the replace, retried on Windows while
        # a reader has the file open: no entry lost, no temporary file left.
        before = "# hand-written: keep me\nmachine other.example login me password pw\n"
        self.make_netrc(before)
        keys = ["k%02d" % n + "x" * 40 for n in range(10)]

        processes = [self.start_cli(keys[n], "--host", "https://wandb-%d.example" % n)
                     for n in range(10)]
        results = [self.finish(process, timeout=120) for process in processes]

        for code, _, err in results:
            self.assertEqual(code, 0, err)
            self.assertEqual(warnings_in(err), [])
        text = self.read(self.netrc)
        self.assertTrue(text.startswith(before), text)
        for n in range(10):
            self.assertIn(netrc_entry("wandb-%d.example" % n, keys[n]), text)
        self.assertEqual(len(text), len(before) + sum(
            len(netrc_entry("wandb-%d.example" % n, keys[n])) for n in range(10)))
        self.assertEqual(self.stdlib_netrc().authenticators("wandb-9.example")[2], keys[9])
        self.assertEqual(_leftovers(self.home) + _leftovers(self.config_dir), [])


# --------------------------------------------------------------------------
# Settings text
# --------------------------------------------------------------------------

class TestSettingsText(unittest.TestCase):
    """settings_set edits lines and keeps the rest; configparser judges it."""

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
            ("[default]\rentity = lab\r", "[default]\rentity = lab\rbase_url = https://x.example\r"),
            ("[other]\nkey = v", "[other]\nkey = v\n\n[default]\nbase_url = https://x.example\n"),
            ("[default]  ; mine\nentity = lab\n",
             "[default]  ; mine\nentity = lab\nbase_url = https://x.example\n"),
            ("[default]\nentity = \u00c5sa \u0445\u0445\n",
             "[default]\nentity = \u00c5sa \u0445\u0445\nbase_url = https://x.example\n"),
            ("[default]\n  entity = indented\n",
             "[default]\n  entity = indented\n  base_url = https://x.example\n"),
        ]
        for before, after in table:
            with self.subTest(before=before):
                self.assertEqual(wblogin.settings_set(before, "base_url", "https://x.example"), after)

    def test_a_percent_is_written_so_configparser_reads_it_back(self):
        text = wblogin.settings_set("", "base_url", "https://x.example/a%b")

        self.assertEqual(text, "[default]\nbase_url = https://x.example/a%%b\n")
        self.assertEqual(settings_values(text)[("default", "base_url")],
                         "https://x.example/a%b")

    def test_removing_a_value_keeps_everything_else(self):
        table = [
            ("", ""),
            ("[default]\nbase_url = https://old.example\n", "[default]\n"),
            ("[default]\n; why\nbase_url = a\n  more\nentity = e\n[x]\nbase_url = b\n",
             "[default]\n; why\nentity = e\n[x]\nbase_url = b\n"),
            ("[DEFAULT]\nbase_url = d\n[default]\nentity = e\n",
             "[DEFAULT]\n[default]\nentity = e\n"),
        ]
        for before, after in table:
            with self.subTest(before=before):
                self.assertEqual(wblogin.settings_set(before, "base_url", None), after)

    def test_generated_settings_files_keep_every_other_option(self):
        # Through the library, in one temporary home: the edit, the check
        # with configparser, and the write. An edit that would change what
        # configparser reads (say, a new [default] that a [DEFAULT] fills)
        # leaves the file alone, with a warning.
        tmp = tempfile.mkdtemp(prefix="wblogin-test-")
        self.addCleanup(shutil.rmtree, tmp, True)
        env = {"HOME": tmp, "NETRC": os.path.join(tmp, "netrc"),
               "WANDB_CONFIG_DIR": tmp, "WANDB_DIR": os.path.join(tmp, "work")}
        path = os.path.join(tmp, "settings")
        kept = 0
        for seed, text in generated_settings_texts(300):
            for host, value in (("https://new.example", "https://new.example"),
                                ("https://api.wandb.ai", None)):
                with open(path, "wb") as handle:
                    handle.write(text.encode("utf-8"))
                settled(path)
                err = io.StringIO()

                wblogin.login(KEY40, host=host, env=env, cwd=tmp, stderr=err)

                with open(path, "rb") as handle:
                    after_text = handle.read().decode("utf-8")
                before, after = settings_values(text), settings_values(after_text)
                where = "seed %d, %s, text %r" % (seed, host, text)
                if after_text == text:
                    if before is None or before.get(("default", "base_url")) != value:
                        kept += 1
                        self.assertIn("could not update %s" % path, err.getvalue(),
                                      where)
                    continue
                self.assertIsNotNone(before, where)
                strip = lambda values: dict(
                    (k, v) for k, v in values.items() if k[1] != "base_url")
                self.assertEqual(strip(after), strip(before), where)
                self.assertEqual(after.get(("default", "base_url"), after.get(
                    ("DEFAULT", "base_url"))), value, where)
        self.assertLess(kept, 200)


def settings_values(text):
    """{(section, option): value} as configparser reads `text` from a file
    (universal newlines), [DEFAULT] apart; None when it rejects the text."""
    import configparser
    parser = configparser.ConfigParser()
    try:
        parser.read_string(text.replace("\r\n", "\n").replace("\r", "\n"))
        values = dict((("DEFAULT", k), v) for k, v in parser.defaults().items())
        for section in parser.sections():
            for option in parser.options(section):
                values[(section, option)] = parser.get(section, option)
    except configparser.Error:
        return None
    return values


def generated_settings_texts(count, seed=20261125):
    """`count` (seed, text) pairs: wandb settings files as people and tools
    write them. Replay one with generated_settings_text(seed)."""
    return [(seed + i, generated_settings_text(seed + i)) for i in range(count)]


def generated_settings_text(seed):
    r = random.Random(seed)
    newline = r.choice(["\n"] * 6 + ["\r\n"] * 2 + ["\r"])
    lines = []
    sections = r.sample(["default", "DEFAULT", "other", "default"], r.randint(0, 3))
    if r.random() < 0.2:
        lines.append(r.choice(["# settings", "; made by hand"]))
    for section in sections:
        header = "[%s]" % section
        if r.random() < 0.2:
            header += r.choice(["  ; mine", " # x"])
        lines.append(header)
        used = set()
        for _ in range(r.randint(0, 4)):
            name = r.choice(["base_url", "entity", "project", "api_key", "mode",
                             "BASE_URL", "Entity"])
            if name.lower() in used and r.random() < 0.9:
                continue
            used.add(name.lower())
            value = r.choice(["https://old.example", "lab", "\u00c5sa \u0445",
                              "a ; not a comment", KEY40, "online", "",
                              "a\x85b \u2028 c", "x%%y", "\x0cz"])
            indent = r.choice(["", "", "", "  "])
            lines.append("%s%s%s%s" % (indent, name, r.choice([" = ", "=", ": "]),
                                       value))
            if r.random() < 0.15:
                lines.append(indent + "    continued")
            if r.random() < 0.15:
                lines.append(r.choice(["", "# note", "; note"]))
    text = newline.join(lines)
    if text and r.random() < 0.8:
        text += newline
    return text


class TestSettingsFiles(Fixture):
    """The settings files: what a login writes there, and how the SDK reads them.

    The SDK's rules these tests prove:

    | a settings file | read with configparser.ConfigParser(): [DEFAULT] values apply to [default],
      a header may carry a comment, option names are case-insensitive, ':' works like '=', a lone
      CR ends a line, letters whose UTF-8 holds byte 0x85 are letters
      | test_settings_are_read_as_configparser_reads_them |
    | a file configparser rejects (no section line, a duplicate option) | ignored on its own, with
      a warning: the other file still counts; a store leaves it as it was, giving the
      `export WANDB_BASE_URL=...` that makes the SDK use the server
      | test_a_file_configparser_rejects_is_ignored_alone_with_a_warning,
        test_a_file_configparser_rejects_is_left_alone_with_a_warning |
    | an option the SDK does not know (its Settings model forbids extra fields) | the SDK ignores
      both files, and uses its default server
      | test_an_option_the_sdk_does_not_know_makes_it_ignore_both_files |
    """

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

    def test_a_file_configparser_rejects_is_ignored_alone_with_a_warning(self):
        self.write(self.global_settings, "no section here\n")
        self.write(self.workspace_settings, "[default]\nbase_url = https://w.example\n")

        code, out, err = self.run_cli("--status")

        self.assertIn("warning: the wandb SDK ignores settings file %s (line 1: "
                      % self.global_settings, err)
        self.assertIn("host: https://w.example (from %s)" % self.workspace_settings,
                      err)

    def test_settings_are_read_as_configparser_reads_them(self):
        table = [
            ("a header with a comment", "[default]  ; mine\nbase_url = https://x.example\n"),
            ("[DEFAULT] applies to [default]",
             "[DEFAULT]\nbase_url = https://x.example\n[default]\nentity = e\n"),
            ("upper-case names and a colon", "[default]\nBASE_URL: https://x.example\n"),
            ("CR-only line ends", "[default]\rbase_url = https://x.example\r"),
            ("letters whose UTF-8 holds byte 0x85",
             "[default]\nentity = \u00c5sa \u0445\nbase_url = https://x.example\n"),
        ]
        for name, text in table:
            with self.subTest(name):
                self.write(self.global_settings, text.encode("utf-8"))

                host = wblogin.resolve_host(env=self.env, stderr=io.StringIO())

                self.assertEqual(host, ("https://x.example", self.global_settings))

    def test_an_option_the_sdk_does_not_know_makes_it_ignore_both_files(self):
        self.write(self.global_settings, "[default]\nbase_url = https://g.example\n")
        self.write(self.workspace_settings, "[default]\nfoo = 1\n")

        code, out, err = self.run_cli("--status")

        self.assertIn("ignores both settings files because of %s: it does not know "
                      "option foo" % self.workspace_settings, err)
        self.assertIn("host: https://api.wandb.ai (from default)", err)

    def test_a_rewrite_keeps_bytes_of_letters_that_contain_0x85(self):
        before = "[default]\nentity = \u00c5sa \u0445\n".encode("utf-8")
        self.write(self.global_settings, before)

        code, out, err = self.run_cli("-", "--host", "https://x.example", input=KEY40)

        self.assertEqual(code, 0, err)
        with open(self.global_settings, "rb") as handle:
            self.assertEqual(handle.read(),
                             before + b"base_url = https://x.example\n")

    def test_a_file_configparser_rejects_is_left_alone_with_a_warning(self):
        before = "[default]\nbase_url = https://a.example\nbase_url = https://b.example\n"
        self.write(self.global_settings, before)

        code, out, err = self.run_cli("-", "--host", "https://x.example", input=KEY40)

        self.assertEqual(code, 0, err)
        self.assertEqual(self.read(self.global_settings), before)
        self.assertIn("could not update %s (configparser, the wandb SDK's reader, "
                      "rejects the file" % self.global_settings, err)
        self.assertIn("`%s`" % export_line("WANDB_BASE_URL", "https://x.example"), err)

    def test_config_dir_defaults_to_dot_config_wandb_under_home(self):
        env = dict(self.env)
        del env["WANDB_CONFIG_DIR"]
        del env["WANDB_DIR"]

        workspace, global_ = wblogin.settings_paths(env, cwd=self.cwd)

        self.assertEqual(global_, os.path.join(self.home, ".config", "wandb", "settings"))
        self.assertEqual(workspace, os.path.join(self.cwd, "wandb", "settings"))

    def test_a_value_the_sdk_refuses_makes_it_ignore_both_files(self):
        self.make_netrc("machine api.wandb.ai login user password %s\n" % KEY40)
        table = [("mode = bogus", "mode = bogus is not one of online, offline"),
                 ("run_id = a:b", "run_id = a:b is not a run id"),
                 ("project = a/b", "project = a/b is not a project name"),
                 ("https_proxy = not a url", "https_proxy = not a url is not a URL")]
        for line, why in table:
            with self.subTest(line=line):
                self.write(self.global_settings, "[default]\n%s\n" % line)
                said = io.StringIO()

                found = wblogin.find_api_key(env=self.env, cwd=self.cwd, stderr=said)

                self.assertEqual(found, (KEY40, self.netrc))
                self.assertIn("the wandb SDK ignores both settings files because of "
                              "%s: %s" % (self.global_settings, why), said.getvalue())

    @unittest.skipIf(WINDOWS, "the SDK reads settings in the ANSI code page there: any byte")
    def test_a_settings_file_that_is_not_utf8_stops_the_sdk(self):
        self.make_netrc("machine api.wandb.ai login user password %s\n" % KEY40)
        self.write(self.global_settings, b"[default]\nentity = jos\xe9\n")

        code, out, err = self.run_cli("--print-key")

        self.assertEqual((code, out), (1, ""), err)
        self.assertIn("the wandb SDK stops with an error reading %s: line 2 is not UTF-8 "
                      "text" % self.global_settings, err)

    def test_a_settings_file_over_a_mebibyte_stops_the_lookup(self):
        self.make_netrc("machine api.wandb.ai login user password %s\n" % KEY40)
        self.write(self.global_settings, "")
        with open(self.global_settings, "r+b") as handle:
            handle.truncate((1 << 20) + 1)     # sparse: no disk used

        code, out, err = self.run_cli("--print-key")

        self.assertEqual((code, out), (1, ""), err)
        self.assertIn("wblogin does not read %s (it is larger than 1 MiB), so it cannot tell "
                      "what the wandb SDK finds there" % self.global_settings, err)


# --------------------------------------------------------------------------
# Which key: the lookup order
# --------------------------------------------------------------------------

class TestLookupOrder(Fixture):
    """The key wblogin names is the key the wandb SDK sends (wandb 0.31).

    Measured with wandb 0.31 (the key it sends to a stand-in server is the truth: TestSDKOracle)
    and read in its wandb/sdk/lib/wbauth code. The order differs from the reference page, which
    puts the settings api_key before the netrc. Steps 1-3, and rules of the SDK that wblogin
    follows; step 4, the prompt, is TestPrompt, and more rules are in TestHost, TestSettingsFiles,
    TestCloudKeyStoredThroughForge, TestSecondAttack and TestStorageOnDisk:

    | 1. WANDB_API_KEY, if not empty | wins over the netrc and the settings files
      | test_the_environment_wins_over_the_netrc_and_settings |
    | an empty WANDB_API_KEY | no key: the netrc is read next
      | test_an_empty_environment_variable_is_skipped |
    | 1. WANDB_IDENTITY_TOKEN_FILE | identity federation: the SDK sends no API key; --print-key is
      exit 1 saying so, and a key stored beside it is said not to be used
      | test_the_identity_token_file_is_the_sdks_credential |
    | both WANDB_API_KEY and WANDB_IDENTITY_TOKEN_FILE | the SDK refuses; so does a lookup (exit 1)
      | test_a_key_and_an_identity_token_file_together_are_refused |
    | 2. the netrc entry for the host | the entry named exactly so (no longer name, no other port);
      the last one counts (TestNetrcModel)
      | test_the_netrc_entry_must_match_the_host_exactly |
    | 2. no entry for the host, a default entry | its password is sent to W&B (Python's
      authenticators() falls back to it): named, with a warning, the source '<netrc> (default
      entry)'
      | test_the_default_entry_supplies_the_key_with_a_warning |
    | an entry without a password | skipped: the settings api_key is next
      | test_an_entry_without_a_password_is_skipped |
    | a netrc Python's netrc cannot parse | no key from the whole file (the warning:
      TestMalformedNetrc)
      | test_a_netrc_python_cannot_read_gives_no_key_at_all |
    | 3. api_key from the settings files | counted only when the merged base_url (WANDB_BASE_URL,
      else the workspace file, else the global one) is this host; from another file than base_url,
      a warning names both (a cloned project's wandb/settings can send your global key to its
      server)
      | test_a_settings_key_counts_for_the_merged_base_url |
    | the netrc and a settings api_key | the netrc first, as the SDK's code and behaviour do; the
      settings key without a netrc entry
      | test_the_netrc_is_read_before_a_settings_key |
    | a key the SDK refuses (too short, spaces around it, an e-mail address as the default
      password) | stops the SDK where it was found, without going on to the next source: exit 1
      naming that source, never the key
      | test_a_malformed_found_key_is_exit_1_naming_where_it_was,
        test_a_default_password_that_is_no_key_stops_the_sdk |
    | a key of Unicode letters, which the SDK's check allows | named, as the SDK sends it (wblogin
      stores only ASCII keys: TestKeyFormat)
      | test_a_key_the_sdk_takes_is_named_even_if_wblogin_would_not_store_it |
    | the cloud, no host named (or --cloud) | the api.forge.coreweave.com entry first (wandb 0.31's
      default server), api.wandb.ai when there is nothing for Forge
      | test_for_the_cloud_the_forge_entry_is_asked_for_first |
    | --host https://api.wandb.ai | the api.wandb.ai entry alone, however the name is spelled
      | test_the_cloud_named_by_host_reads_only_its_own_netrc_entry |
    | a settings api_key without any base_url | the cloud's with no host named (or --cloud); not
      for --host https://api.wandb.ai (the SDK's default base_url is Forge's URL), nor for another
      host
      | test_a_settings_key_without_any_base_url_is_the_clouds |
    | a % in a settings file that configparser cannot interpolate | the SDK stops with an error
      before it looks for any key: a lookup is exit 1 saying so
      | test_a_settings_file_the_sdk_stops_on_means_no_key |
    | CR-only line ends in the netrc | read, and logged out of
      | test_cr_only_line_ends_are_read_and_logged_out_of |
    | a key found in steps 1-3 | reported with its source, masked, and not copied anywhere
      | test_a_found_key_is_reported_with_its_source_and_not_copied,
        test_a_netrc_key_is_reported_with_the_file_path |
    | which netrc file | NETRC (~ and ~user expanded, as the SDK does), else ~/.netrc if it exists,
      else ~/_netrc if it exists, else ~/.netrc (~/_netrc on Windows)
      | test_netrc_path_follows_netrc_then_dot_netrc_then_underscore_netrc,
        test_netrc_names_another_users_home_as_the_sdk_expands_it |
    | the cloud with a default entry and an api.wandb.ai entry | the default entry's password:
      the SDK asks for Forge first, and netrc answers with default
      | test_for_the_cloud_a_default_entry_wins_over_api_wandb_ai |
    | a settings value its setting refuses (mode = bogus) | both files ignored: their base_url too
      | test_a_bad_mode_in_a_settings_file_drops_its_base_url |
    | a settings file that is not UTF-8; a space in WANDB_BASE_URL | the SDK stops with an
      error before it looks for a key: exit 1 saying so
      | test_a_settings_file_the_sdk_cannot_decode_stops_the_lookup,
        test_what_stops_the_sdk_stops_the_lookup |
    """

    HOST = "https://wandb.corp.example"

    def test_for_the_cloud_a_default_entry_wins_over_api_wandb_ai(self):
        self.make_netrc("machine api.wandb.ai login user password %s\n"
                        "default login user password %s\n" % (KEY40, KEY_V1))

        key, source = self.find(None)

        self.assertEqual((key, source), (KEY_V1, self.netrc + " (default entry)"))

    def test_a_bad_mode_in_a_settings_file_drops_its_base_url(self):
        self.write(self.global_settings, "[default]\nmode = bogus\nbase_url = %s\n" % self.HOST)

        host, source = wblogin.resolve_host(env=self.env, cwd=self.cwd, stderr=io.StringIO())

        self.assertEqual((host, source), ("https://api.wandb.ai", "default"))

    def test_what_stops_the_sdk_stops_the_lookup(self):
        with self.assertRaises(wblogin.LoginError) as space:
            self.find(None, WANDB_BASE_URL=self.HOST + "/a b")

        self.assertIn("WANDB_BASE_URL", space.exception.message)

    @unittest.skipIf(WINDOWS, "the SDK reads settings in the ANSI code page there: any byte")
    def test_a_settings_file_the_sdk_cannot_decode_stops_the_lookup(self):
        self.write(self.global_settings, b"[default]\nentity = \xe9\n")

        with self.assertRaises(wblogin.LoginError) as not_utf8:
            self.find()

        self.assertIn("line 2 is not UTF-8 text", not_utf8.exception.message)
        self.assertEqual(not_utf8.exception.exit_code, 1)

    def find(self, host=HOST, **env):
        merged = dict(self.env)
        merged.update(env)
        return wblogin.find_api_key(host, env=merged, cwd=self.cwd, stderr=io.StringIO())

    def entry(self, key, machine="wandb.corp.example"):
        return "machine %s login user password %s\n" % (machine, key)

    def test_the_environment_wins_over_the_netrc_and_settings(self):
        self.make_netrc(self.entry(OTHER_KEY))
        self.write(self.global_settings, "[default]\nbase_url = %s\napi_key = %s\n"
                   % (self.HOST, KEY_V1))

        self.assertEqual(self.find(WANDB_API_KEY=KEY40), (KEY40, "WANDB_API_KEY"))

    def test_an_empty_environment_variable_is_skipped(self):
        self.make_netrc(self.entry(OTHER_KEY))

        self.assertEqual(self.find(WANDB_API_KEY=""), (OTHER_KEY, self.netrc))

    def test_the_netrc_is_read_before_a_settings_key(self):
        # The reference page says settings first; the SDK does not.
        self.make_netrc(self.entry(OTHER_KEY))
        self.write(self.workspace_settings, "[default]\nbase_url = %s\napi_key = %s\n"
                   % (self.HOST, KEY40))

        self.assertEqual(self.find(), (OTHER_KEY, self.netrc))
        os.remove(self.netrc)
        self.assertEqual(self.find(), (KEY40, self.workspace_settings))

    def test_a_settings_key_counts_for_the_merged_base_url(self):
        self.write(self.global_settings, "[default]\napi_key = %s\n" % KEY_V1)
        self.write(self.workspace_settings, "[default]\nbase_url = %s\n" % self.HOST)

        code, out, err = self.run_cli("--print-key")

        self.assertEqual((code, out), (0, KEY_V1 + "\n"), err)
        self.assertIn("the api_key in %s is used for %s because base_url comes from "
                      "%s" % (self.global_settings, self.HOST, self.workspace_settings),
                      err)
        self.assertEqual(self.find("https://other.example"), (None, None))
        self.assertEqual(self.find(self.HOST, WANDB_BASE_URL="https://other.example"),
                         (None, None))

    def test_a_settings_key_without_any_base_url_is_the_clouds(self):
        self.write(self.global_settings, "[default]\napi_key = %s\n" % KEY_V1)

        # The SDK's own default is Forge's URL: asked about api.wandb.ai by
        # name (`wandb login --host https://api.wandb.ai`), it finds no
        # settings key, since base_url is not that URL.
        self.assertEqual(self.find(None), (KEY_V1, self.global_settings))
        self.assertEqual(self.run_cli("--print-key", "--cloud")[:2], (0, KEY_V1 + "\n"))
        self.assertEqual(self.find("https://api.wandb.ai"), (None, None))
        self.assertEqual(self.find(self.HOST), (None, None))

    def test_the_cloud_named_by_host_reads_only_its_own_netrc_entry(self):
        self.make_netrc("machine api.forge.coreweave.com login u password %s\n"
                        "machine api.wandb.ai login u password %s\n" % (KEY40, KEY_V1))

        self.assertEqual(self.find("https://api.wandb.ai"), (KEY_V1, self.netrc))
        self.assertEqual(self.find("https://API.WANDB.AI"), (KEY_V1, self.netrc))
        self.assertEqual(self.find(None), (KEY40, self.netrc))

    def test_the_default_entry_supplies_the_key_with_a_warning(self):
        self.make_netrc("machine other.example login u password pw\n"
                        "default login anonymous password %s\n" % KEY40)
        self.write(self.global_settings, "[default]\nbase_url = %s\napi_key = %s\n"
                   % (self.HOST, KEY_V1))

        code, out, err = self.run_cli("--print-key")

        self.assertEqual((code, out), (0, KEY40 + "\n"), err)
        self.assertIn("the key comes from the 'default' entry of %s" % self.netrc, err)
        code, result, err = self.run_json("--status")
        self.assertEqual(result["key_source"], self.netrc + " (default entry)")

    def test_a_default_password_that_is_no_key_stops_the_sdk(self):
        self.make_netrc("default login anonymous password guest@example.org\n")

        code, out, err = self.run_cli("--print-key", "--host", self.HOST)

        self.assertEqual((code, out), (1, ""))
        self.assertIn("the API key in %s (default entry) is not usable" % self.netrc,
                      err)
        self.assertIn("'default' entry", err)
        self.assertNotIn("guest@", err)

    def test_an_entry_without_a_password_is_skipped(self):
        self.make_netrc("machine wandb.corp.example login user\n")
        self.write(self.global_settings, "[default]\nbase_url = %s\napi_key = %s\n"
                   % (self.HOST, KEY_V1))

        self.assertEqual(self.find(), (KEY_V1, self.global_settings))

    def test_a_netrc_python_cannot_read_gives_no_key_at_all(self):
        self.make_netrc(self.entry(OTHER_KEY).replace(" password", " port 21 password"))
        self.write(self.global_settings, "[default]\nbase_url = %s\napi_key = %s\n"
                   % (self.HOST, KEY_V1))

        self.assertEqual(self.find(), (KEY_V1, self.global_settings))

    def test_cr_only_line_ends_are_read_and_logged_out_of(self):
        self.make_netrc("# mine\rmachine wandb.corp.example\r  login u\r  password %s\r"
                        % OTHER_KEY)

        code, out, err = self.run_cli("--print-key", "--host", self.HOST)
        self.assertEqual((code, out), (0, OTHER_KEY + "\n"), err)
        code, out, err = self.run_cli("--logout", "--host", self.HOST)

        self.assertEqual(code, 0, err)
        self.assertEqual(self.read(self.netrc), "# mine\r")

    def test_a_key_the_sdk_takes_is_named_even_if_wblogin_would_not_store_it(self):
        odd = "\u00e9" * 40      # \w letters: the SDK sends it as it is
        self.write(self.netrc, self.entry(odd).encode("utf-8"))

        self.assertEqual(self.find(), (odd, self.netrc))

    def test_a_malformed_found_key_is_exit_1_naming_where_it_was(self):
        table = [
            ({"WANDB_API_KEY": "tooshort"}, "WANDB_API_KEY", "has 8"),
            ({"WANDB_API_KEY": " %s " % KEY40}, "WANDB_API_KEY", "whitespace"),
        ]
        for env, where, why in table:
            with self.subTest(where=where, why=why):
                code, out, err = self.run_cli(extra_env=env)

                self.assertEqual(code, 1)
                self.assertIn("the API key in %s is not usable" % where, err)
                self.assertIn(why, err)
                self.assertNotIn("tooshort", err)
                self.assertKeyNotShown(err, KEY40)
        self.make_netrc("machine api.wandb.ai login user password tooshort\n")
        code, out, err = self.run_cli("--host", "https://api.wandb.ai")
        self.assertEqual(code, 1)
        self.assertIn("the API key in %s is not usable" % self.netrc, err)

    def test_the_identity_token_file_is_the_sdks_credential(self):
        token = self.write(os.path.join(self.tmp, "token.jwt"), "eyJ.eyJ.sig")
        self.make_netrc(self.entry(OTHER_KEY))
        extra = {"WANDB_IDENTITY_TOKEN_FILE": token}

        code, result, err = self.run_json("--status", "--host", self.HOST,
                                          extra_env=extra)
        self.assertEqual(code, 0, err)
        self.assertEqual((result["key_source"], result["key"]),
                         ("WANDB_IDENTITY_TOKEN_FILE", None))
        code, out, err = self.run_cli("--print-key", "--host", self.HOST,
                                      extra_env=extra)
        self.assertEqual((code, out), (1, ""))
        self.assertIn("authenticates with WANDB_IDENTITY_TOKEN_FILE", err)
        code, out, err = self.run_cli("-", "--host", self.HOST, input=KEY40,
                                      extra_env=extra)
        self.assertEqual(code, 0, err)
        self.assertIn("WANDB_IDENTITY_TOKEN_FILE is set, and the wandb SDK "
                      "uses it instead of the stored key", err)

    def test_a_key_and_an_identity_token_file_together_are_refused(self):
        extra = {"WANDB_IDENTITY_TOKEN_FILE": "/nonexistent", "WANDB_API_KEY": KEY40}

        code, out, err = self.run_cli("--print-key", extra_env=extra)

        self.assertEqual((code, out), (1, ""))
        self.assertIn("both WANDB_API_KEY and WANDB_IDENTITY_TOKEN_FILE are set", err)

    def test_a_settings_file_the_sdk_stops_on_means_no_key(self):
        self.make_netrc(self.entry(OTHER_KEY))
        self.write(self.global_settings, "[default]\nentity = 100%\n")

        code, out, err = self.run_cli("--print-key", "--host", self.HOST)

        self.assertEqual((code, out), (1, ""))
        self.assertIn("the wandb SDK stops with an error on %s" % self.global_settings,
                      err)
        self.assertIn("%%", err)

    def test_the_netrc_entry_must_match_the_host_exactly(self):
        self.make_netrc("""\
            machine xwandb.corp.example login user password %s
            machine wandb.corp.example.evil.example login user password %s
            machine wandb.corp.example:8443 login user password %s
            """ % (KEY40, KEY40, KEY40))

        self.assertEqual(self.find(), (None, None))

    def test_for_the_cloud_the_forge_entry_is_asked_for_first(self):
        # wandb 0.31's default host is CoreWeave's Forge; its lookup falls
        # back to api.wandb.ai only when there is nothing for Forge.
        self.make_netrc(self.entry(KEY40, "api.wandb.ai") +
                        self.entry(OTHER_KEY, "api.forge.coreweave.com"))

        code, out, err = self.run_cli("--print-key")

        self.assertEqual((code, out), (0, OTHER_KEY + "\n"), err)

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

    @unittest.skipIf(WINDOWS, "~user needs the pwd module, which Windows lacks")
    def test_netrc_names_another_users_home_as_the_sdk_expands_it(self):
        import pwd
        user = pwd.getpwuid(os.getuid())
        self.assertEqual(wblogin.netrc_path({"HOME": self.home,
                                             "NETRC": "~%s/n" % user.pw_name}),
                         os.path.join(user.pw_dir, "n"))
        with self.assertRaises(wblogin.UsageError):
            wblogin.netrc_path({"HOME": self.home, "NETRC": "~no-such-user-x/n"})

    def test_a_base_url_the_sdk_refuses_stops_it_and_says_why(self):
        self.make_netrc(self.entry(KEY40, "api.wandb.ai"))
        table = [("http://[::1", "its [IPv6] host is not closed"),
                 ("http://[::1]x/", "its [IPv6] host is not closed"),
                 ("http://[fe80::1%25eth0]:8080", "its [IPv6] address has a zone"),
                 ("http://[v1.a:b]", "its [IPv6] address is not valid"),
                 ("http://ex%ffample.com", "its host name holds characters a host name "
                                           "cannot"),
                 ("https://x.example:99999", "its port is not a number up to 65535")]
        for url, why in table:
            with self.subTest(url=url):
                with self.assertRaises(wblogin.LoginError) as caught:
                    self.find(None, WANDB_BASE_URL=url)

                self.assertEqual(str(caught.exception), "the wandb SDK stops with an error: "
                                 "WANDB_BASE_URL is %s, but %s; fix or unset it" % (url, why))

    def test_an_empty_quoted_word_in_the_netrc_ends_the_sdks_reading(self):
        self.make_netrc(self.entry(KEY40) + '""\n' + self.entry(OTHER_KEY, "x.example"))

        here = self.run_cli("--print-key", "--host", self.HOST)
        after = self.run_cli("--print-key", "--host", "https://x.example")

        self.assertEqual(here[:2], (0, KEY40 + "\n"), here[2])
        self.assertIn('%s line 2: an empty quoted word "" ends Python\'s reading of the '
                      'file; entries after it are ignored' % self.netrc, here[2])
        self.assertEqual(after[:2], (1, ""), after[2])

    def test_login_and_logout_name_the_identity_token_file_the_sdk_uses(self):
        token = self.write(os.path.join(self.tmp, "token.jwt"), "eyJ.eyJ.sig")
        self.make_netrc(self.entry(KEY40, "api.wandb.ai"))
        extra = {"WANDB_IDENTITY_TOKEN_FILE": token}

        login = self.run_cli(extra_env=extra)
        logout = self.run_cli("--logout", extra_env=extra)

        self.assertEqual(login[0], 0, login[2])
        self.assertIn("the wandb SDK authenticates with WANDB_IDENTITY_TOKEN_FILE (%s), not an "
                      "API key" % token, login[2])
        self.assertEqual(logout[0], 0, logout[2])
        self.assertIn("removed the API key for https://api.wandb.ai", logout[2])
        self.assertIn("warning: WANDB_IDENTITY_TOKEN_FILE still supplies its token to the "
                      "wandb SDK for https://api.wandb.ai", logout[2])


# --------------------------------------------------------------------------
# The prompt, through a pseudo-terminal
# --------------------------------------------------------------------------

PROMPT = b"API key (input hidden): "


@unittest.skipUnless(hasattr(os, "fork"), "needs a POSIX pseudo-terminal")
class TestPrompt(Fixture):
    """The hidden prompt, step 4 of the lookup, through a pseudo-terminal.

    It asks only when standard input is a terminal (without one: TestMessages):

    | no key anywhere | asks, hidden, showing where to get a key (<app url>/authorize); the key
      typed is stored
      | test_prompt_shows_the_authorize_url_and_stores_the_typed_key |
    | a key of the wrong shape | explained, and asked again
      | test_invalid_input_is_explained_and_asked_again |
    | three tries in all (a bad shape and an empty line count) | then exit 1, nothing stored
      | test_three_bad_tries_end_with_exit_1_and_nothing_stored |
    | a key the server rejects, with --verify | counts as a try
      | test_a_rejected_key_counts_as_a_try_with_verify |
    | end of input (Ctrl-D) at the prompt | exit 130, nothing stored
      | test_end_of_input_at_the_prompt_is_exit_130 |
    """

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
        self.assertIn("rejected that key; nothing was stored. Try again (2 left).",
                      shown)
        self.assertIn("as ada", shown)
        self.assertEqual(self.stdlib_netrc().authenticators("127.0.0.1:%d" % server.port)[2], KEY40)

    # -- main() as an embedding program calls it: `ask` replaces the hidden prompt

    def main_on_a_terminal(self, args, answers):
        """wblogin.main(ARGS) with a terminal (a pty) as standard input and `ask`
        answering the prompt from `answers` (an exception class: raised):
        (exit code, what stderr said, the prompts asked)."""
        if not hasattr(os, "openpty"):
            self.skipTest("no pseudo-terminals here")
        master, slave = os.openpty()
        self.addCleanup(os.close, master)
        terminal = open(slave, "r")
        self.addCleanup(terminal.close)
        asked, answers = [], list(answers)

        def ask(prompt):
            asked.append(prompt)
            answer = answers.pop(0)
            if isinstance(answer, type):
                raise answer()
            return answer
        err = io.StringIO()
        code = wblogin.main(list(args), env=dict(self.env), cwd=self.cwd, stdin=terminal,
                            stdout=io.StringIO(), stderr=err, ask=ask)
        return code, err.getvalue(), asked

    def test_ask_is_asked_again_after_a_bad_key_and_the_good_one_is_stored(self):
        code, err, asked = self.main_on_a_terminal([], ["tooshort", KEY40])

        self.assertEqual(code, 0, err)
        self.assertEqual(asked, ["API key (input hidden): "] * 2)
        self.assertIn("get an API key at https://wandb.ai/authorize", err)
        self.assertIn("API key must have 40+ characters, has 8. Try again (2 left).", err)
        self.assertEqual(self.stdlib_netrc().authenticators("api.wandb.ai")[2], KEY40)

    def test_ask_gets_three_tries_then_nothing_is_stored(self):
        code, err, asked = self.main_on_a_terminal([], ["a", "", "b" * 39])

        self.assertEqual((code, len(asked)), (1, 3), err)
        self.assertIn("API key is empty. Try again (1 left).", err)
        self.assertIn("no valid API key after 3 tries; nothing was stored", err)
        self.assertFalse(os.path.exists(self.netrc))

    def test_ctrl_c_and_ctrl_d_at_the_prompt_are_exit_130_and_store_nothing(self):
        for args, answer, said in (
                ([], KeyboardInterrupt, "interrupted at the prompt; nothing was stored"),
                ([], EOFError, "no key entered (end of input at the prompt); nothing "
                               "was stored"),
                (["-"], KeyboardInterrupt, "interrupted at the prompt; nothing was stored"),
                (["-"], EOFError, "no key entered (end of input at the prompt); nothing "
                                  "was stored")):
            with self.subTest(args=args, answer=answer.__name__):
                code, err, _ = self.main_on_a_terminal(args, [answer])

                self.assertEqual(code, 130, err)
                self.assertIn(said, err)
                self.assertNoTraceback(err)
                self.assertFalse(os.path.exists(self.netrc))

    def test_dash_on_a_terminal_asks_ask(self):
        code, err, asked = self.main_on_a_terminal(["-"], [KEY_V1])

        self.assertEqual((code, asked), (0, ["API key (input hidden): "]), err)
        self.assertKeyNotShown(err, KEY_V1)
        self.assertEqual(self.stdlib_netrc().authenticators("api.wandb.ai")[2], KEY_V1)

    def test_a_key_the_server_rejects_at_the_prompt_counts_as_a_try(self):
        server = self.serve(keys=[KEY40])

        code, err, asked = self.main_on_a_terminal(["--host", server.url, "--verify"],
                                                   [OTHER_KEY, KEY40])

        self.assertEqual((code, len(asked)), (0, 2), err)
        self.assertIn("rejected that key; nothing was stored. Try again (2 left).", err)
        self.assertEqual(self.stdlib_netrc().authenticators(
            "127.0.0.1:%d" % server.port)[2], KEY40)


# --------------------------------------------------------------------------
# Verification (--verify): real servers on 127.0.0.1, no patching of urllib
# --------------------------------------------------------------------------

# A test CA and a server certificate it signed (SAN IP:127.0.0.1, DNS:localhost;
# valid 2000-2125), RSA 2048, made once with the openssl CLI (`openssl ca
# -selfsign`, then `openssl ca`). They carry the extensions that Python 3.13's
# strict verification (VERIFY_X509_STRICT) insists on: the CA has
# basicConstraints=critical,CA:TRUE, keyUsage=critical,keyCertSign,cRLSign and
# a subjectKeyIdentifier; the server certificate has basicConstraints CA:FALSE,
# keyUsage digitalSignature,keyEncipherment, extendedKeyUsage serverAuth,
# subjectAltName, authorityKeyIdentifier and subjectKeyIdentifier.
TEST_CA_PEM = """\
-----BEGIN CERTIFICATE-----
MIIDJDCCAgygAwIBAgICEAAwDQYJKoZIhvcNAQELBQAwMjEYMBYGA1UEAwwPd2Js
b2dpbiB0ZXN0IENBMRYwFAYDVQQKDA13YmxvZ2luIHRlc3RzMCAXDTAwMDEwMTAw
MDAwMFoYDzIxMjUxMjMxMjM1OTU5WjAyMRgwFgYDVQQDDA93YmxvZ2luIHRlc3Qg
Q0ExFjAUBgNVBAoMDXdibG9naW4gdGVzdHMwggEiMA0GCSqGSIb3DQEBAQUAA4IB
DwAwggEKAoIBAQDVagGM61aTlvImJ72kHGNvJA/8v74Y5NKNpW7b6c9Zo1b+lyXV
/Jr9+G9CtztXEImuO9xWrT3qS+UvZtFYaNo+4bNw1s2Xha5gPOHjykXleD/MyYnG
/qcQR4X9q28TZ6zk4dD/N7f1zM8DaJf9rAURx7x/3RvN5NU0g9opYUFoAVcaQrk4
oNduT9fdlDHFAsVR0Xhji8l6aX2LHSg1BqhyMbHLeXJPlMRRChEnz0pRujmglojv
rIJ9Z16ejFjpG1osYKrlGm7B0TVz4ZLBwzUPPPrmZ48XzVZ3hl9T8gnB1+2qBrOY
H1gg9/xeTeAPUIWKmwC/of7Vs1ysocJCDzbnAgMBAAGjQjBAMA8GA1UdEwEB/wQF
MAMBAf8wDgYDVR0PAQH/BAQDAgEGMB0GA1UdDgQWBBQGDfQPQ06kgrOaeZfmMYuJ
zs7JczANBgkqhkiG9w0BAQsFAAOCAQEAmQjnf2UkB+MB0obRyq+NPjDYXoEyb8f7
aq3Mf13pXvBIE1pps55ydiNDPem/iJ1yKHOKPV7Rhpwzw6l4sWyms2GatKwhvfeS
eJ6z9T+K8SGcEhDYxLEQnntQ14FBW/cFuTpIkXUf0tB8VGqcn5W4NgvglY27MXb2
TLWhfE6oOxhODt/j4+TQV4Hu2kuJ3mWwpTmfRQs5GIewp3Fr3KxamamDjmM/GVXQ
Ah5ujUn1uyqYsMiS4uWizSrJpE6u6GWhO0qPZTUcSNFsv9iyUgD8izQycdnrLTId
I/kqk2vO0KaLmVMtdklHibgVrQbZ/NFYfQfs6MfaifOljM7kc4JuBg==
-----END CERTIFICATE-----
"""

TEST_SERVER_CERT_PEM = """\
-----BEGIN CERTIFICATE-----
MIIDbzCCAlegAwIBAgICEAEwDQYJKoZIhvcNAQELBQAwMjEYMBYGA1UEAwwPd2Js
b2dpbiB0ZXN0IENBMRYwFAYDVQQKDA13YmxvZ2luIHRlc3RzMCAXDTAwMDEwMTAw
MDAwMFoYDzIxMjUxMjMxMjM1OTU5WjAsMRIwEAYDVQQDDAlsb2NhbGhvc3QxFjAU
BgNVBAoMDXdibG9naW4gdGVzdHMwggEiMA0GCSqGSIb3DQEBAQUAA4IBDwAwggEK
AoIBAQDcFnmzDNzR4I/IuHLv/OYHpxHIJXPKUmxQaURBclUX8zgVmtBqNnMoIlVi
hVaBPwomPxLEQApVDZI4zGShGgh1yiyCYaZRBYzuECCvR37oEKUFgSDKp/OxXOta
rGYSr6LRBe/Fac/5FifLOXhRZ83TJl60dulvalFQoAB7UzWfNKaXZDUah+77He8v
Ro2WVjwI/9chTYjYZBYNFWMCp0ELMVnxenOBIYOMZJEWCujsObkJwUQfnYPVwFAv
tD3TKJ4CCVXYmpeRr9gATz/lzP/sy5/H1U5zPJYKvHN8MA4HQg3lz/24uRp0PoXr
EpyI3zEJt5JMhQipb0WkX13e5qUrAgMBAAGjgZIwgY8wDAYDVR0TAQH/BAIwADAO
BgNVHQ8BAf8EBAMCBaAwEwYDVR0lBAwwCgYIKwYBBQUHAwEwGgYDVR0RBBMwEYcE
fwAAAYIJbG9jYWxob3N0MB8GA1UdIwQYMBaAFAYN9A9DTqSCs5p5l+Yxi4nOzslz
MB0GA1UdDgQWBBSqKOv+2STDboSNubLPumiv8BxQ5jANBgkqhkiG9w0BAQsFAAOC
AQEAf8ykx/4tZw3Tc2+5hGv5y6fDmoW2l98sh0azEZ3s07EAX+ioHtKsna0RaNLe
D0BdOFJ4njnenIejxFdja90/07zvdE66FK9o0s8m1q5FRGYd4jx9vfMCCQiZJcXY
KCvnBtyG0HWr2WsGNdc/Dc2lZ1bWxWorcvHbbMGT3Kj4dAYVEaJxwszHYo5ZxhTL
uVoT7iBooRveBgRyAXGvXigBn14fWwzvnyEC5pxwl3NVh2kzwpJPIe2S7CDWF4BL
Q4+myTfDZtwgKCMe747VFQTQlpNxjBGGEbt3gH8nD8gvIKSf2GJxuHpMswqVvVwA
nKpb6UrcJ9Bc7X4wIxP3rbofyQ==
-----END CERTIFICATE-----
"""

TEST_SERVER_KEY_PEM = """\
-----BEGIN PRIVATE KEY-----
MIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQDcFnmzDNzR4I/I
uHLv/OYHpxHIJXPKUmxQaURBclUX8zgVmtBqNnMoIlVihVaBPwomPxLEQApVDZI4
zGShGgh1yiyCYaZRBYzuECCvR37oEKUFgSDKp/OxXOtarGYSr6LRBe/Fac/5FifL
OXhRZ83TJl60dulvalFQoAB7UzWfNKaXZDUah+77He8vRo2WVjwI/9chTYjYZBYN
FWMCp0ELMVnxenOBIYOMZJEWCujsObkJwUQfnYPVwFAvtD3TKJ4CCVXYmpeRr9gA
Tz/lzP/sy5/H1U5zPJYKvHN8MA4HQg3lz/24uRp0PoXrEpyI3zEJt5JMhQipb0Wk
X13e5qUrAgMBAAECggEAXMXGmBCYdonT4jbKEFqI9nnY14beB891o/GzmWjh8L4Q
Cp9fMh5wrV7Hokd1fva9RwD4XqxmDpMxa2rREk3AejJ2T6Fs86NE1EcNGAWpu5Xk
kezsDzD72uxBs0+PmVna5oQ7nXosdiF+Nb6sdpgsnVCDxEuJu/LTgwpnGZUqOci2
FnIbfSh4+0wKKcx+5Jx7CurUdHLAhADOC+htNuGCN4obAyuPVXbR1/+COrlo+kFY
7XJdBeHwvuCVkB/dFk3TYWg1+HFZBtNEE36Gk+sm1k/U7pUPeXy0LQe6kGIoeRcY
epNc1vejM/m9ZuWT98Eb8PgIGu/SJqlupA0e4NtRGQKBgQD3ROWrzx+ShkQKyv1g
gC2UXK+mzHqkY4dBlbGMSGUBOCYOgwOAAaQFenJNUaqrKW8U89IIl5luFG0vkrvv
dZTaV9Qb+dPsby8CrKDZp9mguXUEV2LOPbzzjeDGVzk+Ke23xUj0N/LhUhaPSL8r
HRFh45bYX7KbF+cHkFBupSf6SQKBgQDj2+HOuT4mS0xxryQ/Ax8P+f0eJIX4Emsd
1/NHSK7MucQULPdbRtThUuhxxkwpsS5/kS9UzxHKFYwwMq9f2uXIdoHxQQ+5PevH
GZUEVrksiz3acezmnH9WL/aMl/2oJj6fqYPzukU37X0gXthlJOcm7ZBD8yIj5Jgq
KNYy+uCD0wKBgQDHG29lHW9q6Tq5BiNpJU2OfePjCBxpastrAELrlw/eH3xlixGy
bZ/J2YNYxz4KfV65HGwwBwLBJSmWeS1j8OZfuwFNVapUZGMSYDdVjFctmKilSkiB
ki0oYUJx86JgcBq/M9k+7h5hWVxZHFbzPIDWthCtQsHrKSAbcxWRQuQiIQKBgFCT
JcObX+3cvLiKzY92xBo7NZXeJn21zaks/zta6W0916emywW9A3R2g/oPvEkV/bJg
ndMoskq62esFUVzdJFqCBatRbYT8745lbnutSygESSghFzvpZWIN7eqDqNA4TfbZ
0+5xFR8U3SWARJdnuFHcuiI9LPpyUJi//hbi/le/AoGBAJhqAEBKofUSOd9JRngI
Th6TbeCrbk5Lnef98JUErprqtw4vGT8kDVWXeyfveEuVAqCkbUHa5bn4eBSy+9gl
knPa4jRpFV7F6YzMd8vOq8Lt9I+mG6xCjb2qEClfmATq+43hnUySBlNxvl+RpQHB
+Fqt0Ed2CLDFC7+9YOkFd+H/
-----END PRIVATE KEY-----
"""

VIEWER_REPLY = (200, {}, json.dumps({"data": {"viewer": VIEWER}}).encode())
NETWORK_MODULES = ("ssl", "http.client", "json")

# Runs wblogin.py as __main__ (argv[1] is the script, the rest its arguments)
# and prints, after it exits, which network modules it loaded. exec() of the
# source rather than runpy, so that nothing but the script can load them.
IMPORT_PROBE = textwrap.dedent("""\
    import sys
    script = sys.argv[1]
    sys.argv = sys.argv[1:]
    with open(script, "rb") as handle:
        code = compile(handle.read(), script, "exec")
    status = 0
    try:
        exec(code, {"__name__": "__main__", "__file__": script})
    except SystemExit as stop:
        status = stop.code
    sys.stdout.write("loaded: %r\\n" % sorted(
        m for m in ("urllib.request", "ssl", "http.client", "json")
        if m in sys.modules))
    sys.exit(status)
""")


class Script(object):
    """A FakeWandb `respond` that plays `answers` in turn, then the default.

    `times` records when each request arrived (time.monotonic()).
    """

    def __init__(self, *answers):
        self.answers = list(answers)
        self.times = []

    def __call__(self, handler, body):
        self.times.append(time.monotonic())
        return self.answers.pop(0) if self.answers else None

    def gaps(self):
        return [b - a for a, b in zip(self.times, self.times[1:])]


def always(status, payload=b"", headers=None):
    """A FakeWandb `respond` that gives every request the same answer."""
    return lambda handler, body: (status, dict(headers or {}), payload)


def basic_auth(key):
    return "Basic " + base64.b64encode(("api:" + key).encode()).decode()


class VerifyFixture(Fixture):
    """Fixture plus the helpers the --verify tests share."""

    def refused_url(self):
        """A loopback URL that refuses connections: bound, never listening."""
        sock = socket.socket()
        self.addCleanup(sock.close)
        sock.bind(("127.0.0.1", 0))
        return "http://127.0.0.1:%d" % sock.getsockname()[1]

    def silent_url(self):
        """A loopback URL that accepts connections and never answers."""
        sock = socket.socket()
        self.addCleanup(sock.close)
        sock.bind(("127.0.0.1", 0))
        sock.listen(8)
        return "http://127.0.0.1:%d" % sock.getsockname()[1]

    def verify(self, key, url, *args, **kwargs):
        """Run `wblogin.py - --host URL --verify ARGS` with KEY on standard
        input (as a careful user would): (code, stdout, stderr)."""
        kwargs.setdefault("input", key)
        return self.run_cli("-", "--host", url, "--verify", *args, **kwargs)

    def check(self, url, key=KEY40, env=None):
        """verify_api_key() in-process, with an empty environment by default."""
        return wblogin.verify_api_key(url, key, timeout=5, stderr=io.StringIO(),
                                      env={} if env is None else env)

    def run_python(self, code, *args, **kwargs):
        """Run `python -E -S -c CODE ARGS` beside wblogin.py: (code, out, err)."""
        env = dict(self.env)
        env.update(kwargs.pop("extra_env", {}))
        process = subprocess.Popen(
            [sys.executable, "-E", "-S", "-c", code] + list(args), cwd=HERE,
            env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE)
        try:
            out, err = process.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
            raise
        return process.returncode, decoded(out), decoded(err)

    def assertFailure(self, result, code, *fragments):
        """Exit `code`, one line on stderr holding every fragment, no key."""
        returned, out, err = result
        self.assertEqual(returned, code, err)
        self.assertNoTraceback(err)
        self.assertEqual(len(err.splitlines()), 1, err)
        for fragment in fragments:
            self.assertIn(fragment, err)
        for key in (KEY40, KEY_V1, OTHER_KEY):
            self.assertKeyNotShown(err, key)

    def assertCalm(self, result, code, *fragments):
        """Exit `code` in one piece: no traceback, no key, the fragments said."""
        returned, out, err = result
        self.assertEqual(returned, code, err)
        self.assertNoTraceback(err)
        for fragment in fragments:
            self.assertIn(fragment, err)
        for key in (KEY40, KEY_V1, OTHER_KEY):
            self.assertKeyNotShown(err + (out if "--print-key" not in fragments
                                          else ""), key)

    def assertStored(self, host, key):
        entry = self.stdlib_netrc().authenticators(host)
        self.assertIsNotNone(entry)
        self.assertEqual((entry[0], entry[2]), ("user", key))


class TestVerify(VerifyFixture):
    """--verify succeeds: what is checked, what is sent, what is said."""

    def test_new_key_is_verified_then_stored(self):
        server = self.serve()

        code, out, err = self.verify(KEY40, server.url)

        self.assertEqual(code, 0, err)
        self.assertEqual(len(server.requests), 1)
        self.assertTrue(server.saw_key(KEY40))
        self.assertStored("127.0.0.1:%d" % server.port, KEY40)
        self.assertEqual(out, "")

    def test_success_names_user_team_host_and_source(self):
        server = self.serve()

        code, out, err = self.verify(KEY40, server.url)

        self.assertEqual(code, 0, err)
        self.assertIn(" as ada ", err)
        self.assertIn("default team: ada-team", err)
        self.assertIn(server.url, err)
        self.assertIn("from standard input", err)
        self.assertNotIn("unencrypted", err)
        self.assertKeyNotShown(err, KEY40)

    def test_key_from_stdin_is_verified_then_stored(self):
        server = self.serve()

        code, out, err = self.run_cli("-", "--host", server.url, "--verify",
                                      input=KEY_V1 + "\n")

        self.assertEqual(code, 0, err)
        self.assertTrue(server.saw_key(KEY_V1))
        self.assertIn("from standard input", err)
        self.assertStored("127.0.0.1:%d" % server.port, KEY_V1)

    def test_rejected_key_leaves_the_netrc_byte_for_byte_and_exits_1(self):
        server = self.serve()
        original = ("# mine\r\nmachine 127.0.0.1:%d\r\n  login user\r\n"
                    "  password %s\r\nmachine other.example login me password "
                    "caf\xe9\r\n" % (server.port, KEY40)).encode("latin-1")
        self.write(self.netrc, original)
        inode = os.stat(self.netrc).st_ino
        rejections = [
            ("HTTP 401", None, "HTTP 401"),
            ("HTTP 403", always(403, b'{"errors": [{"message": "no"}]}'),
             "HTTP 403"),
            ("viewer null", always(200, b'{"data": {"viewer": null}}'),
             "knows no viewer"),
        ]

        for name, respond, fragment in rejections:
            with self.subTest(name):
                server.respond = respond

                result = self.verify(OTHER_KEY, server.url)

                self.assertFailure(result, 1, fragment, "****Zz99",
                                   "rejected the API key", "nothing was stored",
                                   "/authorize")
                with open(self.netrc, "rb") as handle:
                    self.assertEqual(handle.read(), original)
                self.assertEqual(os.stat(self.netrc).st_ino, inode)
                self.assertFalse(os.path.exists(self.global_settings))

    def test_rejected_key_creates_no_netrc(self):
        server = self.serve()

        result = self.verify(OTHER_KEY, server.url)

        self.assertFailure(result, 1, "rejected")
        self.assertFalse(os.path.exists(self.netrc))

    def test_key_from_environment_is_verified_and_not_copied(self):
        server = self.serve()

        code, out, err = self.run_cli("--host", server.url, "--verify",
                                      extra_env={"WANDB_API_KEY": KEY40})

        self.assertEqual(code, 0, err)
        self.assertTrue(server.saw_key(KEY40))
        self.assertIn("from WANDB_API_KEY", err)
        self.assertFalse(os.path.exists(self.netrc))

    def test_key_from_netrc_is_verified_and_left_as_it_was(self):
        server = self.serve()
        self.make_netrc("machine 127.0.0.1:%d login user password %s\n"
                        % (server.port, KEY_V1))
        before = self.read(self.netrc)

        code, out, err = self.run_cli("--host", server.url, "--verify")

        self.assertEqual(code, 0, err)
        self.assertTrue(server.saw_key(KEY_V1))
        self.assertIn("from " + self.netrc, err)
        self.assertEqual(self.read(self.netrc), before)

    def test_found_key_that_the_server_rejects_exits_1(self):
        server = self.serve()

        result = self.run_cli("--host", server.url, "--verify",
                              extra_env={"WANDB_API_KEY": OTHER_KEY})

        self.assertFailure(result, 1, "rejected", "****Zz99")

    def test_status_with_verify_shows_the_server_answer(self):
        server = self.serve()

        code, out, err = self.run_cli("--status", "--verify", "--host", server.url,
                                      extra_env={"WANDB_API_KEY": KEY40})

        self.assertEqual(code, 0, err)
        self.assertTrue(server.saw_key(KEY40))
        self.assertIn(" as ada ", err)

    def test_json_output_has_the_viewer_and_never_the_key(self):
        server = self.serve()

        code, out, err = self.verify(KEY_V1, server.url, "--json")

        self.assertEqual(code, 0, err)
        result = json.loads(out)
        self.assertEqual(
            (result["ok"], result["verified"], result["stored"], result["user"],
             result["entity"], result["teams"], result["error"]),
            (True, True, True, "ada", "ada-team", ["ada-team", "lab"], None))
        self.assertKeyNotShown(out, KEY_V1)

    def test_json_output_of_a_rejected_key_says_so(self):
        server = self.serve()

        code, out, err = self.verify(OTHER_KEY, server.url, "--json")

        self.assertEqual(code, 1, err)
        result = json.loads(out)
        self.assertEqual((result["ok"], result["verified"], result["stored"]),
                         (False, False, False))
        self.assertEqual(result["error"]["code"], 1)
        self.assertKeyNotShown(out, OTHER_KEY)

    def test_request_posts_the_viewer_query_with_basic_auth(self):
        server = self.serve()

        code, out, err = self.verify(KEY40, server.url)

        self.assertEqual(code, 0, err)
        method, path, headers, body = server.requests[0]
        headers = dict((name.lower(), value) for name, value in headers.items())
        self.assertEqual((method, path), ("POST", "/graphql"))
        self.assertEqual(headers["authorization"], basic_auth(KEY40))
        self.assertEqual(headers["content-type"], "application/json")
        self.assertEqual(headers["user-agent"], "wblogin/" + wblogin.__version__)
        payload = json.loads(body.decode("utf-8"))
        self.assertEqual(payload["operationName"], "Viewer")
        for field in ("viewer", "id", "entity", "username", "email", "teams",
                      "edges", "node", "name"):
            self.assertRegex(payload["query"], r"\b%s\b" % field)

    def test_host_with_a_path_prefix_posts_under_the_prefix(self):
        server = self.serve(prefix="/wandb")

        code, out, err = self.verify(KEY40, server.url)

        self.assertEqual(code, 0, err)
        self.assertEqual([r[1] for r in server.requests], ["/wandb/graphql"])
        self.assertStored("127.0.0.1:%d" % server.port, KEY40)


class TestVerifyLibrary(VerifyFixture):
    """verify_api_key() called in-process, as a vendoring project would."""

    def test_returns_the_viewer_with_a_list_of_team_names(self):
        server = self.serve()

        viewer = wblogin.verify_api_key(server.url, KEY40, timeout=5, env={})

        self.assertEqual((viewer["username"], viewer["entity"], viewer["email"]),
                         ("ada", "ada-team", "ada@example.com"))
        self.assertEqual(viewer["teams"], ["ada-team", "lab"])

    def test_rejected_key_raises_key_rejected_error_with_exit_code_1(self):
        server = self.serve()

        with self.assertRaises(wblogin.KeyRejectedError) as caught:
            wblogin.verify_api_key(server.url, OTHER_KEY, timeout=5, env={})

        self.assertEqual(caught.exception.exit_code, 1)
        self.assertIsInstance(caught.exception, wblogin.LoginError)

    def test_unusable_server_raises_server_error_with_exit_code_3(self):
        server = self.serve()
        server.respond = always(500, b"{}")

        for url in (server.url, self.refused_url()):
            with self.subTest(url):
                with self.assertRaises(wblogin.ServerError) as caught:
                    wblogin.verify_api_key(url, KEY40, timeout=5, env={})

                self.assertEqual(caught.exception.exit_code, 3)

    def test_teams_in_an_unexpected_shape_do_not_break_the_answer(self):
        server = self.serve()
        shapes = [None, [], {"edges": None}, {"edges": {"node": "x"}},
                  {"edges": [None, {"node": None}, {"node": {"name": "lab"}}]},
                  "lab"]

        for teams in shapes:
            with self.subTest(teams=teams):
                viewer = dict(VIEWER, teams=teams)
                server.respond = always(200, json.dumps(
                    {"data": {"viewer": viewer}}).encode())

                answer = wblogin.verify_api_key(server.url, KEY40, timeout=5,
                                                env={})

                self.assertEqual(answer["username"], "ada")
                self.assertIn(answer["teams"], ([], ["lab"]))


class TestVerifyFailures(VerifyFixture):
    """Every way verification fails: one line, its own message, no traceback."""

    def test_bad_answers_exit_3_each_with_its_own_message(self):
        server = self.serve()
        html = b"<!DOCTYPE html>\n<html><body>Sign in with SSO</body></html>"
        answers = [
            ("HTTP 500", (500, {}, b'{"error": "boom"}'), "HTTP 500"),
            ("HTTP 400", (400, {}, b'{"error": "bad"}'), "HTTP 400"),
            ("not JSON", (200, {"Content-Type": "text/plain"}, b"hello"),
             "not JSON"),
            ("no data.viewer", (200, {}, b'{"data": {"me": {}}}'), "data.viewer"),
            ("HTML page", (200, {"Content-Type": "text/html"}, html), "SSO"),
        ]
        messages = set()

        for name, answer, fragment in answers:
            with self.subTest(name):
                del server.requests[:]
                server.respond = lambda handler, body, answer=answer: answer

                result = self.verify(KEY40, server.url)

                self.assertFailure(result, 3, fragment)
                self.assertEqual(len(server.requests), 1)
                self.assertFalse(os.path.exists(self.netrc))
                messages.add(result[2])
        self.assertEqual(len(messages), len(answers))

    def test_json_without_data_viewer_is_not_the_w_and_b_api(self):
        server = self.serve()
        server.respond = always(200, b'{"errors": [{"message": "what?"}]}')

        result = self.verify(KEY40, server.url)

        self.assertFailure(result, 3, "without data.viewer")

    def test_wrong_path_prefix_is_a_404_with_a_hint(self):
        server = self.serve(prefix="/wandb")

        result = self.verify(KEY40, "http://127.0.0.1:%d" % server.port)

        self.assertFailure(result, 3, "404", "a wrong path after the host name")
        self.assertEqual([r[1] for r in server.requests], ["/graphql"])

    def test_refused_connection_exits_3(self):
        url = self.refused_url()

        result = self.verify(KEY40, url)

        self.assertFailure(result, 3, "refused", url.split("//")[1])

    def test_unknown_host_exits_3_after_the_plain_http_warning(self):
        code, out, err = self.verify(KEY40, "http://nohost.invalid", "--timeout", "3")

        self.assertEqual(code, 3, err)
        self.assertNoTraceback(err)
        lines = err.splitlines()
        self.assertEqual(len(lines), 2, err)
        self.assertIn("unencrypted", lines[0])
        self.assertIn("cannot resolve nohost.invalid", lines[1])

    def test_status_verify_over_plain_http_warns_too(self):
        code, out, err = self.run_cli(
            "--status", "--verify", "--host", "http://nohost.invalid",
            "--timeout", "3", extra_env={"WANDB_API_KEY": KEY40})

        self.assertEqual(code, 3, err)
        self.assertIn("unencrypted", err)
        self.assertIn("cannot resolve nohost.invalid", err)

    def test_silent_server_times_out_within_the_timeout(self):
        url = self.silent_url()

        started = time.monotonic()
        result = self.verify(KEY40, url, "--timeout", "1")
        elapsed = time.monotonic() - started

        self.assertFailure(result, 3, "no complete answer", "within 1 s")
        self.assertLess(elapsed, 4)
        self.assertGreater(elapsed, 0.9)

    def test_wandb_http_timeout_bounds_the_check(self):
        url = self.silent_url()

        started = time.monotonic()
        result = self.verify(KEY40, url, extra_env={"WANDB_HTTP_TIMEOUT": "0.3"})
        elapsed = time.monotonic() - started

        self.assertFailure(result, 3, "no complete answer", "within 0.3 s")
        self.assertLess(elapsed, 3.3)

    def test_busy_server_is_retried_until_it_answers(self):
        server = self.serve()
        busy = (503, {"Retry-After": "0"}, b"busy")
        server.respond = Script(busy, busy)

        code, out, err = self.verify(KEY40, server.url)

        self.assertEqual(code, 0, err)
        self.assertEqual(len(server.requests), 3)
        self.assertStored("127.0.0.1:%d" % server.port, KEY40)

    def test_each_retryable_status_is_retried(self):
        server = self.serve()

        for status in (429, 502, 503, 504):
            with self.subTest(status=status):
                del server.requests[:]
                server.respond = Script((status, {"Retry-After": "0"}, b""))

                viewer = self.check(server.url)

                self.assertEqual(viewer["username"], "ada")
                self.assertEqual(len(server.requests), 2)

    def test_retries_stop_after_three_attempts(self):
        server = self.serve()
        server.respond = always(503, b"busy", {"Retry-After": "0"})

        result = self.verify(KEY40, server.url)

        self.assertFailure(result, 3, "HTTP 503", "3 times")
        self.assertEqual(len(server.requests), 3)
        self.assertFalse(os.path.exists(self.netrc))

    def test_short_retry_after_is_honoured(self):
        server = self.serve()
        server.respond = script = Script((429, {"Retry-After": "1"}, b""))

        viewer = self.check(server.url)

        self.assertEqual(viewer["username"], "ada")
        self.assertEqual(len(script.times), 2)
        self.assertGreater(script.gaps()[0], 0.9)

    def test_retry_after_beyond_the_timeout_is_not_waited_for(self):
        server = self.serve()
        server.respond = always(503, b"busy", {"Retry-After": "60"})

        started = time.monotonic()
        result = self.verify(KEY40, server.url, "--timeout", "2")
        elapsed = time.monotonic() - started

        self.assertFailure(result, 3, "HTTP 503")
        self.assertEqual(len(server.requests), 1)
        self.assertLess(elapsed, 2)

    def test_connection_reset_is_retried_after_a_backoff(self):
        server = self.serve()
        server.respond = script = Script(FakeWandb.DROP)

        viewer = self.check(server.url)

        self.assertEqual(viewer["username"], "ada")
        self.assertEqual(len(server.requests), 2)
        self.assertGreater(script.gaps()[0], 0.3)

    def test_resets_and_busy_answers_share_three_attempts(self):
        server = self.serve()
        server.respond = Script(FakeWandb.DROP, (503, {"Retry-After": "0"}, b""),
                                FakeWandb.DROP)

        result = self.verify(KEY40, server.url)

        self.assertFailure(result, 3, "closed the connection")
        self.assertEqual(len(server.requests), 3)

    def test_an_address_no_connection_can_go_to_is_a_server_error_naming_it(self):
        # The broadcast address: the kernel refuses at once (no route, or EACCES).
        with self.assertRaises(wblogin.ServerError) as caught:
            self.check("http://255.255.255.255:9")

        self.assertEqual(caught.exception.exit_code, 3)
        self.assertIn("cannot reach 255.255.255.255:9: ", str(caught.exception))


class TestVerifyRedirects(VerifyFixture):
    """The key never follows a redirect to another origin."""

    def test_a_forge_url_is_another_origin_than_its_api_host(self):
        # normalize_host makes both the same server, but they are two hosts.
        with self.assertRaises(wblogin.ServerError) as caught:
            wblogin._redirect("https://api.forge.coreweave.com",
                              "https://api.forge.coreweave.com/graphql", 307,
                              "https://forge.coreweave.com/api/wandb/graphql", 0)

        self.assertIn("https://forge.coreweave.com/api/wandb/graphql", caught.exception.message)

    def test_redirect_to_another_origin_is_reported_and_gets_no_key(self):
        server = self.serve()
        elsewhere = self.serve()
        server.respond = always(307, b"", {"Location": elsewhere.url + "/graphql"})

        result = self.verify(KEY40, server.url)

        self.assertFailure(result, 3, "server redirected to %s; try --host %s"
                           % (elsewhere.url, elsewhere.url))
        self.assertEqual(elsewhere.requests, [])
        self.assertFalse(elsewhere.saw_key(KEY40))
        self.assertFalse(os.path.exists(self.netrc))

    def test_no_redirect_status_carries_the_key_to_another_origin(self):
        server = self.serve()
        elsewhere = self.serve()

        for status in (301, 302, 303, 307, 308):
            with self.subTest(status=status):
                server.respond = always(
                    status, b"", {"Location": elsewhere.url + "/graphql"})

                with self.assertRaises(wblogin.ServerError) as caught:
                    self.check(server.url)

                self.assertIn("try --host %s" % elsewhere.url, str(caught.exception))
                self.assertEqual(elsewhere.requests, [])

    def test_same_origin_307_and_308_resend_the_same_post(self):
        for status, location in ((307, "/v2/graphql"), (308, None)):
            with self.subTest(status=status):
                server = self.serve(prefix="/v2")
                moved = (status, {"Location": location or server.url + "/graphql"},
                         b"")
                server.respond = lambda handler, body, moved=moved: \
                    moved if handler.path == "/graphql" else None

                viewer = self.check("http://127.0.0.1:%d" % server.port)

                self.assertEqual(viewer["username"], "ada")
                first, second = server.requests
                self.assertEqual((first[:2], second[:2]),
                                 (("POST", "/graphql"), ("POST", "/v2/graphql")))
                self.assertEqual(second[3], first[3])
                self.assertEqual(second[2].get("Authorization"), basic_auth(KEY40))

    def test_same_origin_301_and_302_are_reported_not_followed(self):
        server = self.serve(prefix="/v2")

        for status in (301, 302):
            with self.subTest(status=status):
                del server.requests[:]
                server.respond = always(status, b"",
                                        {"Location": server.url + "/graphql"})

                with self.assertRaises(wblogin.ServerError) as caught:
                    self.check("http://127.0.0.1:%d" % server.port)

                self.assertEqual(str(caught.exception), "server redirected to %s; "
                                 "try --host %s" % (server.url, server.url))
                self.assertEqual(len(server.requests), 1)

    def test_malformed_location_is_reported_not_followed(self):
        server = self.serve()

        for location in ("http://127.0.0.1:99999/graphql", "http://[::1/graphql"):
            with self.subTest(location=location):
                server.respond = always(307, b"", {"Location": location})

                with self.assertRaises(wblogin.ServerError) as caught:
                    self.check(server.url)

                self.assertIn("server redirected to " + location[:-len("/graphql")],
                              str(caught.exception))

    def test_same_origin_redirects_stop_after_five_hops(self):
        server = self.serve()
        server.respond = always(307, b"", {"Location": "/graphql"})

        with self.assertRaises(wblogin.ServerError) as caught:
            self.check(server.url)

        self.assertIn("more than 5 redirects", str(caught.exception))
        self.assertEqual(len(server.requests), 6)


class TestVerifyProxies(VerifyFixture):
    """HTTP(S)_PROXY and NO_PROXY, read as urllib reads them; loopback only."""

    def test_http_proxy_is_used(self):
        target = self.serve()
        proxy = self.serve()
        proxy.respond = lambda handler, body: VIEWER_REPLY

        for value in (proxy.url, "127.0.0.1:%d" % proxy.port):
            with self.subTest(HTTP_PROXY=value):
                del proxy.requests[:]

                code, out, err = self.verify(KEY40, target.url,
                                             extra_env={"HTTP_PROXY": value})

                self.assertEqual(code, 0, err)
                self.assertEqual([r[1] for r in proxy.requests],
                                 [target.url + "/graphql"])
                self.assertEqual(target.requests, [])

    def test_proxy_credentials_go_to_the_proxy(self):
        target = self.serve()
        proxy = self.serve()
        proxy.respond = lambda handler, body: VIEWER_REPLY
        value = "http://me:s%%40cret@127.0.0.1:%d" % proxy.port

        code, out, err = self.verify(KEY40, target.url,
                                     extra_env={"http_proxy": value})

        self.assertEqual(code, 0, err)
        headers = dict((k.lower(), v) for k, v in proxy.requests[0][2].items())
        self.assertEqual(headers["proxy-authorization"],
                         "Basic " + base64.b64encode(b"me:s@cret").decode())

    def test_https_goes_through_the_proxy_in_a_tunnel(self):
        proxy = self.serve()
        target = "https://" + self.refused_url().split("//")[1]

        result = self.verify(KEY40, target, extra_env={"HTTPS_PROXY": proxy.url})

        self.assertFailure(result, 3, "Tunnel")
        self.assertEqual([r[:2] for r in proxy.requests],
                         [("CONNECT", target.split("//")[1])])
        self.assertFalse(proxy.saw_key(KEY40))

    def test_no_proxy_bypasses_the_proxy(self):
        target = self.serve()
        proxy = self.serve()

        code, out, err = self.verify(KEY40, target.url, extra_env={
            "HTTP_PROXY": proxy.url, "NO_PROXY": "127.0.0.1"})

        self.assertEqual(code, 0, err)
        self.assertEqual(proxy.requests, [])
        self.assertEqual([r[1] for r in target.requests], ["/graphql"])

    def test_library_takes_proxies_from_the_env_it_is_given(self):
        target = self.serve()
        proxy = self.serve()
        proxy.respond = lambda handler, body: VIEWER_REPLY
        call = ("import sys, wblogin; env = {} if sys.argv[3] == '-' else "
                "{'HTTP_PROXY': sys.argv[3]}; print(wblogin.verify_api_key("
                "sys.argv[1], sys.argv[2], timeout=5, env=env)['username'])")
        cases = [
            ("proxy in env, NO_PROXY in os.environ", proxy.url,
             {"NO_PROXY": "127.0.0.1"}, proxy),
            ("no proxy in env, a dead one in os.environ", "-",
             {"HTTP_PROXY": self.refused_url()}, target),
        ]

        for name, env_proxy, process_env, reached in cases:
            with self.subTest(name):
                del proxy.requests[:], target.requests[:]

                code, out, err = self.run_python(call, target.url, KEY40, env_proxy,
                                                 extra_env=process_env)

                self.assertEqual((code, out), (0, "ada\n"), err)
                self.assertEqual(len(reached.requests), 1)
                self.assertEqual(len(proxy.requests) + len(target.requests), 1)

    def test_a_proxy_variable_that_is_no_proxy_url_is_a_usage_error(self):
        target = self.serve()
        for value in ("http://:3128", "http://proxy.example:70000"):
            with self.subTest(HTTP_PROXY=value):
                with self.assertRaises(wblogin.UsageError) as caught:
                    self.check(target.url, env={"HTTP_PROXY": value})

                self.assertEqual(str(caught.exception), "HTTP_PROXY is not a proxy URL like "
                                 "http://proxy.example:3128")
                self.assertEqual(target.requests, [])

    def test_http_proxy_is_ignored_under_cgi_as_urllib_ignores_it(self):
        target = self.serve()
        proxy = self.refused_url()

        viewer = self.check(target.url, env={"HTTP_PROXY": proxy, "REQUEST_METHOD": "GET"})

        self.assertEqual(viewer["username"], "ada")
        self.assertTrue(target.saw_key(KEY40))


class TestVerifyTLS(VerifyFixture):
    """HTTPS with a test CA: bundles from the environment, failures, opt-out."""

    def setUp(self):
        import ssl
        super(TestVerifyTLS, self).setUp()
        self.ca = self.write(os.path.join(self.tmp, "ca.pem"), TEST_CA_PEM)
        cert = self.write(os.path.join(self.tmp, "server.pem"), TEST_SERVER_CERT_PEM)
        key = self.write(os.path.join(self.tmp, "server.key"), TEST_SERVER_KEY_PEM)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        self.server = self.serve(context=context)
        self.machine = "127.0.0.1:%d" % self.server.port

    def test_requests_ca_bundle_is_trusted(self):
        code, out, err = self.verify(KEY40, self.server.url,
                                     extra_env={"REQUESTS_CA_BUNDLE": self.ca})

        self.assertEqual(code, 0, err)
        self.assertTrue(self.server.saw_key(KEY40))
        self.assertStored(self.machine, KEY40)

    def test_ssl_cert_file_is_trusted(self):
        code, out, err = self.verify(KEY40, self.server.url,
                                     extra_env={"SSL_CERT_FILE": self.ca})

        self.assertEqual(code, 0, err)
        self.assertTrue(self.server.saw_key(KEY40))

    def test_unknown_ca_is_a_tls_failure_with_a_hint(self):
        result = self.verify(KEY40, self.server.url)

        self.assertFailure(result, 3, "certificate", "REQUESTS_CA_BUNDLE",
                           "SSL_CERT_FILE")
        self.assertEqual(self.server.requests, [])
        self.assertFalse(os.path.exists(self.netrc))

    def test_missing_ca_bundle_is_a_usage_error(self):
        missing = os.path.join(self.tmp, "missing.pem")

        for name in ("REQUESTS_CA_BUNDLE", "SSL_CERT_FILE"):
            with self.subTest(name):
                result = self.verify(KEY40, self.server.url,
                                     extra_env={name: missing})

                self.assertFailure(result, 2, name, "missing.pem")
                self.assertEqual(self.server.requests, [])
                self.assertFalse(os.path.exists(self.netrc))

    def test_insecure_setting_skips_the_check_with_a_loud_warning(self):
        code, out, err = self.verify(KEY40, self.server.url,
                                     extra_env={"WANDB_INSECURE_DISABLE_SSL": "true"})

        self.assertEqual(code, 0, err)
        self.assertTrue(self.server.saw_key(KEY40))
        self.assertIn("warning: WANDB_INSECURE_DISABLE_SSL", err)
        self.assertIn("NOT checked", err)

    def test_insecure_setting_accepts_the_usual_spellings_of_true(self):
        for value in ("1", "yes", "ON", " True "):
            with self.subTest(value=value):
                stderr = io.StringIO()

                viewer = wblogin.verify_api_key(
                    self.server.url, KEY40, timeout=5, stderr=stderr,
                    env={"WANDB_INSECURE_DISABLE_SSL": value})

                self.assertEqual(viewer["username"], "ada")
                self.assertIn("NOT checked", stderr.getvalue())

    def test_insecure_setting_that_is_false_keeps_the_check(self):
        result = self.verify(KEY40, self.server.url,
                             extra_env={"WANDB_INSECURE_DISABLE_SSL": "false"})

        self.assertFailure(result, 3, "REQUESTS_CA_BUNDLE")

    def test_https_to_a_plain_http_server_is_a_tls_failure(self):
        plain = self.serve()

        result = self.verify(KEY40, "https://127.0.0.1:%d" % plain.port)

        self.assertFailure(result, 3, "TLS")

    def test_library_uses_the_ca_bundle_of_the_env_it_is_given(self):
        viewer = wblogin.verify_api_key(self.server.url, KEY40, timeout=5,
                                        env={"REQUESTS_CA_BUNDLE": self.ca})

        self.assertEqual(viewer["username"], "ada")

    def test_library_raises_usage_error_for_a_missing_bundle(self):
        missing = os.path.join(self.tmp, "missing.pem")

        with self.assertRaises(wblogin.UsageError) as caught:
            wblogin.verify_api_key(self.server.url, KEY40, timeout=5,
                                   env={"REQUESTS_CA_BUNDLE": missing})

        self.assertEqual(caught.exception.exit_code, 2)
        self.assertEqual(self.server.requests, [])

    def test_a_ca_file_without_a_certificate_is_a_usage_error(self):
        empty = self.write(os.path.join(self.tmp, "empty.pem"), "no certificate here\n")

        with self.assertRaises(wblogin.UsageError) as caught:
            self.check(self.server.url, env={"SSL_CERT_FILE": empty})

        self.assertIn("cannot load CA certificates from %s: " % empty, str(caught.exception))
        self.assertEqual(self.server.requests, [])


class TestVerifyImports(VerifyFixture):
    """The network stack is imported only when a request is made."""

    def test_import_loads_no_network_module(self):
        code, out, err = self.run_python(
            "import sys, wblogin; print(sorted(m for m in %r if m in sys.modules))"
            % (NETWORK_MODULES,))

        self.assertEqual((code, out), (0, "[]\n"), err)

    def test_storing_a_key_loads_no_network_module(self):
        cases = [((), []), (("--json",), ["json"])]

        for extra, allowed in cases:
            with self.subTest(extra=extra):
                code, out, err = self.run_python(
                    IMPORT_PROBE, SCRIPT, KEY40, "--host", "https://wandb.example.com",
                    *extra)

                self.assertEqual(code, 0, err)
                self.assertEqual(out.splitlines()[-1], "loaded: %r" % allowed)
                self.assertStored("wandb.example.com", KEY40)

    def test_the_probe_sees_the_network_modules_a_verify_loads(self):
        server = self.serve()

        code, out, err = self.run_python(IMPORT_PROBE, SCRIPT, KEY40, "--host",
                                         server.url, "--verify")

        self.assertEqual(code, 0, err)
        self.assertEqual(out, "loaded: %r\n" % sorted(NETWORK_MODULES))


# --------------------------------------------------------------------------
# The command line
# --------------------------------------------------------------------------

class TestCommandLine(Fixture):
    """The command line: flags, KEY and standard input.

    | a key stored while WANDB_API_KEY is set | stored, and said: the SDK uses the variable until
      it is unset
      | test_a_new_key_with_the_variable_set_says_the_variable_still_wins |
    """

    def test_a_key_argument_is_stored_and_only_shown_masked(self):
        code, out, err = self.run_cli(KEY_V1, "--host", "https://wandb.corp.example")

        self.assertEqual(code, 0, err)
        self.assertEqual(out, "")
        self.assertEqual(err.splitlines(), [
            "wblogin: warning: a KEY typed on the command line can be seen in `ps` "
            "and your shell history; `%s %s -` reads it from standard input "
            "instead" % (PYTHON, SCRIPT),
            "wblogin: stored API key ****x9Qa for https://wandb.corp.example in %s"
            % self.netrc,
            "wblogin: updated settings file %s (base_url = https://wandb.corp.example)"
            % self.global_settings])
        self.assertEqual(self.read(self.netrc),
                         "machine wandb.corp.example\n  login user\n  password %s\n" % KEY_V1)
        if not WINDOWS:
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
        self.assertIn("WANDB_API_KEY is set, and the wandb SDK uses it instead of the "
                      "stored key until you unset it", err)
        self.assertEqual(self.stdlib_netrc().authenticators("api.wandb.ai")[2], KEY40)

    def test_anonymously_is_accepted_with_a_warning(self):
        code, out, err = self.run_cli(KEY40, "--anonymously")

        self.assertEqual(code, 0, err)
        self.assertIn("--anonymously has no effect", err)

    def test_exclusive_actions_and_keys_are_usage_errors(self):
        table = [["--status", "--logout"], ["--status", KEY40], ["--print-key", "--logout"],
                 ["--logout", "-"], ["--timeout", "0", "--verify"],
                 ["--timeout", "soon", "--verify"], ["--bogus"],
                 ["--timeout", "5"], ["--logout", "--verify"],
                 ["--status", "--relogin"], ["--print-key", "--relogin"]]
        for args, (code, out, err) in zip(table, self.run_cli_all(table)):
            with self.subTest(args=args):

                self.assertEqual(code, 2)
                self.assertEqual(out, "")
                self.assertEqual(len(err.splitlines()), 1, err)
                self.assertTrue(err.startswith("wblogin: "), err)
                self.assertNoTraceback(err)
                self.assertKeyNotShown(err, KEY40)

    def test_a_usage_error_with_json_is_json_too(self):
        code, out, err = self.run_cli("--print-key", "--json")

        self.assertEqual(code, 2)
        result = json.loads(out)
        self.assertEqual(result["error"], {"code": 2, "message": "--json does not go with "
                                           "--print-key"})
        self.assertFalse(result["ok"])

    def test_a_bad_timeout_in_the_environment_is_a_usage_error_with_verify(self):
        code, out, err = self.run_cli(KEY40, "--verify",
                                      extra_env={"WANDB_HTTP_TIMEOUT": "-3"})

        self.assertEqual(code, 2)
        self.assertIn("WANDB_HTTP_TIMEOUT must be a positive number", err)

    def test_a_bad_timeout_in_the_environment_does_not_stop_a_plain_store(self):
        code, out, err = self.run_cli(KEY40, extra_env={"WANDB_HTTP_TIMEOUT": "soon"})

        self.assertEqual(code, 0, err)
        self.assertEqual(self.stdlib_netrc().authenticators("api.wandb.ai")[2], KEY40)

    def test_a_key_given_as_the_host_is_not_echoed(self):
        code, out, err = self.run_cli("--host", KEY_V1, "--json")

        self.assertEqual(code, 2)
        self.assertIn("--host looks like it holds an API key (not shown)", err)
        self.assertKeyNotShown(err + out, KEY_V1)

    @unittest.skipUnless(os.name == "posix", "closes file descriptor 0")
    def test_dash_with_standard_input_closed_is_one_line_and_exit_2(self):
        code, out, err = self.run_cli("-", stdin="closed")

        self.assertEqual(code, 2, err)
        self.assertNoTraceback(err)
        self.assertIn("cannot read standard input", err)

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

        self.assertTrue(json.loads(decoded(out).splitlines()[-1])["stored"])
        self.assertEqual(self.stdlib_netrc().authenticators("api.wandb.ai")[2], KEY40)


# --------------------------------------------------------------------------
# --status, --logout, --print-key, --json
# --------------------------------------------------------------------------

class TestStatusLogoutPrintKey(Fixture):
    """--status, --logout and --print-key.

    What older SDK releases do, found with them; --status warns (here a wandb-<version>.dist-info
    stands in for the installed SDK):

    | wandb older than 0.22.3 | refuses keys longer than 40 characters: a warning
      | test_status_warns_when_an_old_sdk_would_reject_a_long_key |
    | wandb 0.22.3-0.23.x and a host with a port | looks netrc entries up without the port: it
      cannot find the entry for 127.0.0.1:8080, not even the one its own wandb login wrote (wblogin
      still writes host:port, what 0.24+ reads and what keeps the key from the machine's other
      ports): a warning
      | test_status_warns_when_an_old_sdk_cannot_use_a_token_or_a_port |
    | a JWT key and wandb 0.24-0.25 (or older) | refused by that SDK: a warning below 0.26
      | test_status_warns_when_an_old_sdk_cannot_use_a_token_or_a_port |
    | wandb 0.31 | no warning | test_status_is_quiet_about_a_recent_sdk |
    """

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
        self.assertIn("netrc: %s (%s, has an entry for wandb.corp.example)" % (
            self.netrc, "exists" if WINDOWS else "mode 0640"), err)
        self.assertIn("settings: %s" % self.global_settings, err)
        self.assertKeyNotShown(err + out, KEY_V1)
        self.assertEqual(self.snapshot(), before)

    def test_status_without_a_key_is_exit_1(self):
        code, out, err = self.run_cli("--status")

        self.assertEqual(code, 1)
        self.assertIn("host: https://api.wandb.ai (from default)", err)
        self.assertIn("no API key for https://api.wandb.ai", err)
        self.assertFalse(os.path.exists(self.netrc))

    def test_status_says_the_key_comes_from_the_default_entry(self):
        self.make_netrc("default login anonymous password %s\n" % KEY40)

        code, result, err = self.run_json("--status")

        self.assertEqual(code, 0)
        self.assertEqual(result["key_source"], self.netrc + " (default entry)")
        self.assertIn("the key comes from the 'default' entry of %s: the wandb SDK "
                      "sends that password to https://api.wandb.ai too" % self.netrc,
                      result["warnings"])

    def status_with_sdk(self, version, key, *args):
        """`--status` with `key` in WANDB_API_KEY and wandb `version` installed."""
        site = os.path.join(self.tmp, "site")
        os.makedirs(os.path.join(site, "wandb-%s.dist-info" % version))
        env = {"WANDB_API_KEY": key, "PYTHONPATH": site}
        return self.run_cli("--status", *args, extra_env=env)

    def test_status_warns_when_an_old_sdk_would_reject_a_long_key(self):
        code, out, err = self.status_with_sdk("0.19.1", KEY_V1)

        self.assertEqual(code, 0, err)
        self.assertIn("wandb SDK 0.19.1 is installed", err)
        self.assertIn("wandb 0.19.1 rejects API keys longer than 40 characters", err)

    def test_status_warns_when_an_old_sdk_cannot_use_a_token_or_a_port(self):
        code, out, err = self.status_with_sdk("0.23.1", KEY_JWT, "--host",
                                              "http://127.0.0.1:8080")

        self.assertEqual(code, 0, err)
        self.assertIn("wandb 0.23.1 rejects API keys that are tokens (JWT)", err)
        self.assertIn("wandb 0.23.1 looks netrc entries up without the port, so it "
                      "will not find the one for 127.0.0.1:8080", err)
        self.assertNotIn("longer than 40", err)

    def test_status_is_quiet_about_a_recent_sdk(self):
        code, out, err = self.status_with_sdk("0.31.0", KEY_JWT, "--host",
                                              "http://127.0.0.1:8080")

        self.assertEqual(code, 0, err)
        self.assertIn("wandb SDK 0.31.0 is installed", err)
        self.assertNotIn("warning", err)

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
            "netrc": self.netrc, "netrc_mode": None, "stored": True, "removed": None,
            "verified": False, "user": None, "entity": None, "email": None, "teams": None,
            "settings": None, "settings_updated": [self.global_settings], "exports": None,
            "servers": None, "sdk_version": None, "error": None,
            "version": wblogin.__version__,
            "warnings": ["a KEY typed on the command line can be seen in `ps` and "
                         "your shell history; `%s %s -` reads it from standard "
                         "input instead" % (PYTHON, SCRIPT)]})
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

    def test_status_warns_about_a_netrc_the_sdk_ignores_once(self):
        self.make_netrc("machine api.wandb.ai login user password %s\nstray\n" % KEY40)

        code, out, err = self.run_cli("--status")

        self.assertEqual(code, 1, err)
        self.assertEqual(err.count("line 2"), 1, err)
        self.assertIn("so the wandb SDK reads no key from it", err)

    def test_cloud_logout_also_removes_the_forge_entry_the_sdk_reads(self):
        self.make_netrc("machine api.forge.coreweave.com login user password %s\n"
                        "machine other.example login me password pw\n" % KEY40)

        code, out, err = self.run_cli("--logout")

        self.assertEqual(code, 0, err)
        self.assertEqual(self.read(self.netrc), "machine other.example login me password pw\n")
        self.assertNotIn("still supplies", err)

    def test_logout_with_nothing_to_remove_needs_no_lock(self):
        self.make_netrc("machine other.example login me password pw\n")
        os.mkdir(self.netrc + ".lock")   # the lock cannot be taken

        code, out, err = self.run_cli("--logout")
        store_code, _, store_err = self.run_cli(KEY40)

        self.assertEqual(code, 0, err)
        self.assertIn("nothing to remove", err)
        self.assertEqual(store_code, 1, store_err)
        self.assertIn(self.netrc + ".lock", store_err)

    def test_logout_tightens_an_open_netrc_and_says_so(self):
        self.make_netrc("machine api.wandb.ai login user password %s\n" % KEY40, mode=0o644)

        code, out, err = self.run_cli("--logout")

        self.assertEqual(code, 0, err)
        if WINDOWS:     # no POSIX modes to tighten or to talk about
            self.assertNotIn("readable by others", err)
            return
        self.assertEqual(self.mode(self.netrc), 0o600)
        self.assertIn("was readable by others (mode 0644); it is now 0600", err)

    def test_status_verify_of_a_rejected_settings_key_says_to_edit_it(self):
        server = self.serve(keys=[KEY40])
        self.write(self.global_settings, "[default]\nbase_url = %s\napi_key = %s\n"
                   % (server.url, OTHER_KEY))

        code, out, err = self.run_cli("--status", "--verify")

        self.assertEqual(code, 1, err)
        self.assertIn("rejected the API key ****Zz99 from %s" % self.global_settings, err)
        self.assertIn("edit api_key in %s, or store a key with `%s %s --relogin`"
                      % (self.global_settings, PYTHON, SCRIPT), err)
        self.assertNotIn(OTHER_KEY, err)


# --------------------------------------------------------------------------
# Messages: each fits what the user did (SPEC 13)
# --------------------------------------------------------------------------

class TestMessages(VerifyFixture):
    """Every hint names what helps here, and the commands the user runs.

    | no key, and no terminal to ask on | exit 1: pipe one in with the command as it was run, or
      set WANDB_API_KEY (the prompt is only for a terminal)
      | test_no_key_in_a_script_says_to_pipe_one_with_the_command_as_run |
    | an SDK older than 0.22.3 installed | the warning names the version to install
      | test_an_old_sdk_warning_names_the_version_to_install |
    """

    def copy_script(self, folder):
        """wblogin.py copied to `folder` under the working directory."""
        target = os.path.join(self.cwd, folder, "wblogin.py")
        os.makedirs(os.path.dirname(target))
        shutil.copy(SCRIPT, target)
        return target

    def test_no_key_in_a_script_says_to_pipe_one_with_the_command_as_run(self):
        self.copy_script("tools")

        code, out, err = self.run_cli_as(["tools/wblogin.py", "--host",
                                          "https://wandb.corp.example"])

        self.assertEqual(code, 1)
        self.assertEqual(err, "wblogin: no API key for https://wandb.corp.example, "
                         "and no terminal to ask on: pipe one in with `%s "
                         "tools/wblogin.py --host https://wandb.corp.example - < "
                         "key.txt`, or set WANDB_API_KEY (where a key is stored, "
                         "`--print-key` shows it; new keys: "
                         "https://wandb.corp.example/authorize)\n" % PYTHON)
        self.assertLess(len(err), 300)   # the host, three times, is most of it

    def test_under_python_dash_m_hints_say_python_dash_m(self):
        code, out, err = self.run_cli_as(["-m", "wblogin", "--status"],
                                         extra_env={"PYTHONPATH": HERE})

        self.assertEqual(code, 1)
        self.assertIn("`%s -m wblogin - < key.txt`" % PYTHON, err)

    @unittest.skipUnless(hasattr(os, "fork"), "needs a POSIX pseudo-terminal")
    def test_status_in_a_terminal_says_how_to_log_in_not_to_use_a_terminal(self):
        code, shown = self.run_in_terminal(["--status", "--host",
                                            "https://wandb.corp.example"], [])

        self.assertEqual(code, 1, shown)
        self.assertIn("run `%s %s --host https://wandb.corp.example` to log in"
                      % (PYTHON, SCRIPT), shown)
        self.assertNotIn("terminal", shown)

    def test_relogin_without_a_terminal_says_what_relogin_needs(self):
        self.make_netrc("machine api.wandb.ai login user password %s\n" % KEY40)

        code, out, err = self.run_cli("--relogin")

        self.assertEqual(code, 1)
        self.assertIn("--relogin asks for a new key on a terminal", err)
        self.assertIn("- < key.txt", err)
        self.assertNotIn("no API key", err)

    def test_a_key_from_the_environment_is_not_said_to_be_replaceable_by_relogin(self):
        code, out, err = self.run_cli(extra_env={"WANDB_API_KEY": KEY40})

        self.assertEqual(code, 0, err)
        self.assertIn("from WANDB_API_KEY, which the SDK uses before any stored key "
                      "(change or unset it to use another)", err)
        self.assertNotIn("--relogin", err)

    def test_a_settings_key_says_relogin_stores_a_netrc_key_the_sdk_reads_first(self):
        self.write(self.global_settings, "[default]\napi_key = %s\n" % KEY40)

        code, out, err = self.run_cli()

        self.assertEqual(code, 0, err)
        self.assertIn("--relogin`, which stores a netrc key; the SDK reads the "
                      "netrc first", err)

    def test_a_rejected_key_says_whose_it_was_and_what_to_do(self):
        server = self.serve(keys=[KEY_V1])
        table = [
            ("argument", ["-"], {}, "nothing was stored; create a key at %s/authorize"
             % server.url),
            ("WANDB_API_KEY", [], {"WANDB_API_KEY": KEY40},
             "set WANDB_API_KEY to a valid key or unset it"),
            ("netrc", [], {}, "store a new one with `%s %s --host %s --relogin`"
             % (PYTHON, SCRIPT, server.url)),
        ]
        for name, args, extra, tail in table:
            with self.subTest(name):
                if name == "netrc":
                    self.make_netrc("machine 127.0.0.1:%d login u password %s\n"
                                    % (server.port, KEY40))
                for respond in (None, always(200, b'{"data": {"viewer": null}}')):
                    server.respond = respond
                    code, out, err = self.run_cli(
                        *(args + ["--host", server.url, "--verify"]),
                        input=KEY40 if args else None, extra_env=extra)

                    self.assertEqual(code, 1, err)
                    self.assertIn("the server at %s rejected the API key ****4567 "
                                  "from " % server.url, err)
                    self.assertIn(tail, err)
                    self.assertEqual(len(err.splitlines()), 1, err)

    def test_a_server_error_page_is_not_called_a_wrong_url(self):
        server = self.serve()
        server.respond = always(500, b"<!DOCTYPE html><html>oops</html>",
                                {"Content-Type": "text/html"})

        result = self.verify(KEY40, server.url)

        self.assertFailure(result, 3, "HTTP 500 (a server error)")
        self.assertNotIn("wrong URL", result[2])

    def test_a_host_name_mismatch_does_not_suggest_a_ca_bundle(self):
        import ssl
        if hasattr(ssl, "SSLCertVerificationError"):
            error = ssl.SSLCertVerificationError(
                1, "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: "
                   "Hostname mismatch, certificate is not valid for 'w.example'.")
            error.verify_code, error.verify_message = 62, "Hostname mismatch"
        else:
            error = ssl.CertificateError("hostname 'w.example' doesn't match 'x'")

        message = wblogin._network_error("https://w.example", error, 10,
                                         "base_url in /s").message

        self.assertIn("is for another host name", message)
        self.assertIn("check base_url in /s", message)
        self.assertNotIn("CA_BUNDLE", message)

    def test_an_unknown_host_from_a_settings_file_names_that_file(self):
        self.write(self.global_settings, "[default]\nbase_url = http://nohost.invalid\n")
        self.make_netrc("machine nohost.invalid login u password %s\n" % KEY40)

        code, out, err = self.run_cli("--status", "--verify")

        self.assertEqual(code, 3, err)
        self.assertIn("check base_url in %s" % self.global_settings, err)
        self.assertNotIn("--host", err.splitlines()[-1])

    def test_plain_http_to_a_tls_port_asks_whether_it_is_https(self):
        import ssl
        cert = self.write(os.path.join(self.tmp, "s.pem"), TEST_SERVER_CERT_PEM)
        key = self.write(os.path.join(self.tmp, "s.key"), TEST_SERVER_KEY_PEM)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        server = self.serve(context=context)

        result = self.verify(KEY40, "http://127.0.0.1:%d" % server.port)

        self.assertFailure(result, 3, "if it is an https server, use https://")

    @unittest.skipUnless(hasattr(os, "fork"), "needs a POSIX pseudo-terminal")
    def test_ctrl_c_and_ctrl_d_at_the_prompt_speak_on_their_own_line(self):
        for answer, words in (("^C", "interrupted at the prompt"),
                              (None, "no key entered (end of input at the prompt)")):
            with self.subTest(words):
                code, shown = self.run_in_terminal([], [answer])

                self.assertEqual(code, 130, shown)
                self.assertIn("\r\nwblogin: %s; nothing was stored" % words, shown)
                self.assertFalse(os.path.exists(self.netrc))

    def test_print_key_with_verify_prints_only_an_accepted_key(self):
        server = self.serve(keys=[KEY_V1])
        self.make_netrc("machine 127.0.0.1:%d login u password %s\n"
                        % (server.port, KEY40))

        code, out, err = self.run_cli("--print-key", "--verify", "--host", server.url)

        self.assertEqual((code, out), (1, ""))
        self.assertIn("rejected the API key ****4567", err)

    def test_usage_says_one_key_and_errors_start_like_every_other_line(self):
        code, out, err = self.run_cli("--help")
        self.assertIn("usage: %s %s [OPTIONS] [KEY]" % (PYTHON, SCRIPT), out)
        self.assertNotIn("[KEY ...]", out)
        # Every line fits 80 columns but the usage line, which is as long as the
        # command as it was typed (here, wherever the clone is).
        self.assertEqual([line for line in out.splitlines() if len(line) > 80 and
                          not line.startswith("usage: ")], [], out)
        code, out, err = self.run_cli("--bogus")
        self.assertEqual(code, 2)
        self.assertEqual(err, "wblogin: unrecognized arguments: --bogus (see %s %s "
                              "--help)\n" % (PYTHON, SCRIPT))

    def test_help_under_python_dash_m_names_python_dash_m(self):
        code, out, err = self.run_cli_as(["-m", "wblogin", "--help"],
                                         extra_env={"PYTHONPATH": HERE})

        self.assertEqual(code, 0, err)
        self.assertIn("usage: %s -m wblogin [OPTIONS] [KEY]" % PYTHON, out)

    def test_json_carries_what_the_human_lines_say(self):
        self.make_netrc("machine api.wandb.ai login user password %s\n" % KEY40,
                        mode=0o644)
        self.write(self.global_settings, "[default]\nentity = e\n")

        code, status, err = self.run_json("--status")
        self.assertEqual(code, 0, err)
        self.assertEqual((status["netrc_mode"], status["settings"],
                          status["sdk_version"]),
                         ("0666" if WINDOWS else "0644", [self.global_settings], None))
        if WINDOWS:     # no mode warning there, in either
            self.assertEqual((status["warnings"], warnings_in(err)), ([], []))
        else:
            self.assertEqual(len(status["warnings"]), 1)
            self.assertIn("readable by others (mode 0644); run `chmod 600",
                          status["warnings"][0])
            self.assertIn("warning: " + status["warnings"][0], err)
        code, logout, err = self.run_json("--logout")
        self.assertEqual((code, logout["removed"]), (0, 1))
        code, logout, err = self.run_json("--logout")
        self.assertEqual((code, logout["removed"]), (0, 0))

    def test_every_file_written_is_said(self):
        code, out, err = self.run_cli("-", "--host", "https://wandb.corp.example",
                                      input=KEY40)

        self.assertEqual(code, 0, err)
        for path in (self.netrc, self.global_settings):
            self.assertTrue(os.path.exists(path), path)
            self.assertIn(path, err)
        for path in (self.netrc + ".lock", self.global_settings + ".lock"):
            self.assertTrue(os.path.exists(path), path)
            self.assertNotIn(path, err)     # named by --status and the README instead

    def test_an_old_sdk_warning_names_the_version_to_install(self):
        site = os.path.join(self.tmp, "site")
        os.makedirs(os.path.join(site, "wandb-0.19.1.dist-info"))

        code, out, err = self.run_cli("--status", extra_env={
            "WANDB_API_KEY": KEY_V1, "PYTHONPATH": site})

        self.assertIn("upgrade to 0.22.3 or later (pip install -U 'wandb>=0.22.3')",
                      err)

    def test_a_key_argument_is_said_to_be_visible_once(self):
        code, out, err = self.run_cli(KEY40)

        self.assertEqual(code, 0, err)
        self.assertEqual(err.count("can be seen in `ps` and your shell history"), 1)
        code, out, err = self.run_cli("-", input=KEY_V1)
        self.assertNotIn("`ps`", err)

    def run_cli_as(self, argv, **kwargs):
        """Run `python ARGV` (a script path or -m) in the working directory."""
        env = dict(self.env)
        env.update(kwargs.pop("extra_env", {}))
        process = subprocess.Popen(
            [sys.executable] + argv, cwd=self.cwd, env=env, stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        out, err = process.communicate(timeout=60)
        return process.returncode, decoded(out), decoded(err)


# --------------------------------------------------------------------------
# Hostile input: the README's table, one test (or subtest) per row
# --------------------------------------------------------------------------

def trickle(parts, pause):
    """A FakeWandb `respond` that sends `parts` (bytes) one at a time, a
    pause between them: a server that never quite stops answering."""
    def respond(handler, body):
        for part in parts:
            try:
                handler.wfile.write(part)
                handler.wfile.flush()
            except OSError:
                break
            time.sleep(pause)
        return FakeWandb.HANDLED
    return respond


@unittest.skipUnless(os.name == "posix", "devices, FIFOs and signals")
class TestHostileInput(VerifyFixture):
    """Never a traceback, a hang, a replaced device, a key shown, unbounded use.

    Everything from outside may be malformed or hostile. Each row is a test here; rows that other
    classes prove are in TestNetrcInjection, TestStorageOnDisk, TestStorageUnderStress,
    TestAttackFindings and TestSecondAttack:

    | NETRC=/dev/null, or ~/.netrc linked to it | never replaced; a store is exit 1 naming the
      device; a lookup finds no key
      | test_a_device_as_the_netrc_is_never_replaced |
    | a FIFO as the netrc | never opened in a way that blocks: a store is exit 1, --status and
      --logout say the SDK would wait on it
      | test_a_fifo_as_the_netrc_never_blocks |
    | a FIFO as ./wandb/settings | not read, no hang: --status says the SDK would wait on it;
      a store still stores
      | test_a_fifo_as_a_settings_file_never_blocks |
    | a FIFO as <netrc>.lock | refused (exit 1), not waited on
      | test_a_fifo_as_the_lock_file_is_refused_not_waited_on |
    | a directory as a settings file | a warning; the key is stored (a directory as the netrc:
      TestStorageOnDisk)
      | test_a_directory_as_a_settings_file_is_a_warning |
    | a netrc over 64 MiB | not read: a lookup and a store are exit 1
      | test_a_netrc_larger_than_64_mib_is_not_read |
    | a 20 MB word in the netrc | read in bounded memory (the test runs under a 400 MiB
      address-space limit)
      | test_a_20_mb_comment_token_is_read_in_bounded_memory |
    | 40,000 entries with an unknown word | one parse error, reported once, in one pass
      | test_40000_entries_with_an_unknown_word_are_read_in_one_pass |
    | a 2,000,000-character key on standard input | refused at once (keys have at most 4,096
      characters), exit 2
      | test_a_huge_key_on_standard_input_is_refused_at_once |
    | --api-key=KEY, --key=KEY, --relogin=KEY, -xKEY, --json=KEY, --host KEY/, --host
      https://KEY@host | exit 2; the key masked or not shown
      | test_arguments_that_may_hold_a_key_are_never_echoed |
    | WANDB_BASE_URL=KEY: | not shown: a lookup is exit 1 (the SDK stops on it), a store exit 2
      | test_a_key_in_wandb_base_url_is_never_echoed |
    | a netrc word that trips Python's parser is a key | the message names the line, never the word
      | test_a_netrc_error_never_quotes_the_word_it_trips_on |
    | a deleted working directory | the workspace file is skipped with a warning; the key is stored
      | test_a_deleted_working_directory_still_stores_the_key |
    | HOME unset | the account's home from the password database; no traceback
      | test_home_unset_is_not_a_traceback |
    | NETRC='~user/.netrc' | expanded as the SDK does; an unknown user is exit 2
      | test_a_netrc_under_another_users_home_is_expanded_as_the_sdk_does |
    | --json with standard output closed | the key stored; one line and exit 1, no traceback
      | test_a_closed_stdout_with_json_is_one_line_not_a_traceback |
    | --print-key into a closed pipe | one line and exit 1, no traceback, no 'Exception ignored'
      | test_print_key_into_a_closed_pipe_is_one_line_not_a_traceback |
    | a reply of 100,000 [ | exit 3, 'not JSON' | test_a_reply_of_deep_nesting_is_not_the_api |
    | a reply of more than 1 MiB | read no further: exit 3, 'not JSON'
      | test_a_reply_larger_than_a_mebibyte_is_read_no_further |
    | a Retry-After that is not ASCII digits (a superscript two) | ignored, not a traceback
      | test_a_retry_after_that_is_not_ascii_digits_is_ignored |
    | a server that trickles its headers or body a byte at a time | stopped at --timeout in total
      (exit 3)
      | test_trickled_headers_and_bodies_end_at_the_timeout |
    | a Location with escape sequences | shown escaped, never sent to the terminal
      | test_escape_sequences_from_the_server_are_shown_escaped |
    | 200 response headers | exit 3 | test_too_many_headers_are_not_the_api |
    | http://api.wandb.ai., https://app.wandb.ai. | the trailing dot is the same server: refused
      like the name without it
      | test_a_trailing_dot_is_the_same_server |
    | http://127.evil.example | not loopback: the plain-http warning
      | test_a_name_that_starts_with_127_is_not_loopback |
    | a library env without SSL_CERT_FILE while the process has one | the process's bundle is not
      trusted
      | test_the_library_trusts_only_the_bundles_in_the_env_it_is_given |
    """

    # -- files that are not files ------------------------------------------

    def test_a_device_as_the_netrc_is_never_replaced(self):
        for how in ("NETRC", "a link"):
            with self.subTest(how):
                extra = {"NETRC": os.devnull}
                if how == "a link":
                    os.symlink(os.devnull, self.netrc)
                    extra = {}

                stored = self.run_cli("-", input=KEY40, extra_env=extra)
                looked = self.run_cli("--print-key", extra_env=extra)

                self.assertCalm(stored, 1, "%s is a character device" % os.devnull,
                                "never replaces it")
                self.assertEqual(looked[:2], (1, ""))
                self.assertTrue(stat.S_ISCHR(os.stat(os.devnull).st_mode))
                if how == "a link":
                    self.assertEqual(os.readlink(self.netrc), os.devnull)

    def test_a_fifo_as_the_netrc_never_blocks(self):
        os.mkfifo(self.netrc)
        for args, code, words in ((["-"], 1, "is a FIFO"),
                                  (["--status"], 1, "would wait on"),
                                  (["--logout"], 1, "would wait on")):
            with self.subTest(args=args):
                result = self.run_cli(*args, input=KEY40, timeout=20)

                self.assertCalm(result, code, words)
                self.assertTrue(stat.S_ISFIFO(os.stat(self.netrc).st_mode))

    def test_a_fifo_as_a_settings_file_never_blocks(self):
        os.makedirs(os.path.dirname(self.workspace_settings))
        os.mkfifo(self.workspace_settings)

        status = self.run_cli("--status", timeout=20)
        stored = self.run_cli("-", "--host", "https://w.example", input=KEY40,
                              timeout=20)

        self.assertCalm(status, 1, "would wait on %s, or read it forever: it is a FIFO"
                        % self.workspace_settings)
        self.assertCalm(stored, 0, "stored API key")
        self.assertTrue(stat.S_ISFIFO(os.stat(self.workspace_settings).st_mode))

    def test_a_fifo_as_the_lock_file_is_refused_not_waited_on(self):
        os.mkfifo(self.netrc + ".lock")

        result = self.run_cli("-", input=KEY40, timeout=20)

        self.assertCalm(result, 1, "%s.lock is a FIFO" % self.netrc)
        self.assertFalse(os.path.exists(self.netrc))

    def test_a_directory_as_a_settings_file_is_a_warning(self):
        os.makedirs(self.global_settings)

        result = self.run_cli("-", input=KEY40)

        self.assertCalm(result, 0, "%s is a directory, not a settings file"
                        % self.global_settings)

    # -- the world around -------------------------------------------------

    def test_a_deleted_working_directory_still_stores_the_key(self):
        gone = os.path.join(self.tmp, "gone")
        os.mkdir(gone)

        result = self.run_cli("-", input=KEY40, cwd=gone, cwd_removed=True,
                              unset=["WANDB_DIR"])

        self.assertCalm(result, 0, "the working directory no longer exists")
        self.assertEqual(self.stdlib_netrc().authenticators("api.wandb.ai")[2], KEY40)

    def test_home_unset_is_not_a_traceback(self):
        result = self.run_cli("--status", unset=["HOME"])

        self.assertCalm(result, 1, "no API key")

    def test_a_netrc_under_another_users_home_is_expanded_as_the_sdk_does(self):
        import pwd
        name = pwd.getpwuid(os.getuid()).pw_name

        unknown = self.run_cli("--status", extra_env={"NETRC": "~no-such-user-x/n"})
        known = self.run_cli("--status", extra_env={"NETRC": "~%s/wblogin-test-none"
                                                    % name})

        self.assertCalm(unknown, 2, "~no-such-user-x/n names the home of a user who does "
                                    "not exist")
        self.assertFalse(os.path.exists(os.path.join(self.cwd, "~no-such-user-x")))
        self.assertIn("netrc: %s (does not exist)" % os.path.join(
            pwd.getpwuid(os.getuid()).pw_dir, "wblogin-test-none"), known[2])

    # -- size ---------------------------------------------------------------

    def limited(self, megabytes):
        import resource

        def limit():
            resource.setrlimit(resource.RLIMIT_AS, (megabytes << 20, megabytes << 20))
        return limit

    def test_a_20_mb_comment_token_is_read_in_bounded_memory(self):
        with open(self.netrc, "w") as handle:
            handle.write("machine api.wandb.ai login u password %s\n#" % KEY40)
            handle.write("x" * (20 << 20))
            handle.write("\n")
        process = subprocess.Popen(
            [sys.executable, SCRIPT, "--print-key"], cwd=self.cwd, env=self.env,
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            preexec_fn=self.limited(400))
        out, err = process.communicate(timeout=120)

        self.assertEqual((process.returncode, decoded(out)), (0, KEY40 + "\n"), err)

    def test_a_netrc_larger_than_64_mib_is_not_read(self):
        with open(self.netrc, "wb") as handle:
            handle.truncate(65 << 20)      # sparse: no disk used

        looked = self.run_cli("--print-key")
        stored = self.run_cli("-", input=KEY40)

        self.assertCalm(looked, 1, "larger than 64 MiB")
        self.assertCalm(stored, 1, "larger than 64 MiB")
        self.assertEqual(os.path.getsize(self.netrc), 65 << 20)

    def test_40000_entries_with_an_unknown_word_are_read_in_one_pass(self):
        self.make_netrc("".join("machine h%d.example login u port 21 password p\n"
                                % i for i in range(40000)))

        result = self.run_cli("--status", timeout=60)

        self.assertCalm(result, 1, "line 1: a value without the word password")
        self.assertEqual(result[2].count("a value without"), 1)
        self.assertNotIn("token", result[2])

    def test_a_huge_key_on_standard_input_is_refused_at_once(self):
        result = self.run_cli("-", input="a" * 2000000)

        self.assertCalm(result, 2, "more than 4096 characters")
        self.assertFalse(os.path.exists(self.netrc))

    # -- keys never shown ------------------------------------------------------

    def test_arguments_that_may_hold_a_key_are_never_echoed(self):
        table = [["--api-key=" + KEY_V1], ["--key=" + KEY_V1], ["--relogin=" + KEY_V1],
                 ["-x" + KEY_V1], ["--json=" + KEY_V1], ["--host", KEY_V1 + "/"],
                 ["--host", "https://" + KEY_V1 + "@x.example"],
                 ["--host", "ftp" + KEY_V1 + "://x.example"]]
        for args, result in zip(table, self.run_cli_all(table)):
            with self.subTest(args=args[0][:12]):
                self.assertCalm(result, 2)

    def test_a_key_in_wandb_base_url_is_never_echoed(self):
        looked = self.run_cli("--status", extra_env={"WANDB_BASE_URL": KEY_V1 + ":"})
        stored = self.run_cli("-", input=KEY40, extra_env={"WANDB_BASE_URL": KEY_V1 + ":"})

        # A lookup says the SDK stops on it (exit 1); a store refuses it (exit 2).
        self.assertCalm(looked, 1, "WANDB_BASE_URL is (not shown: it may hold an API key)")
        self.assertCalm(stored, 2, "looks like it holds an API key (not shown)")

    def test_a_netrc_error_never_quotes_the_word_it_trips_on(self):
        self.make_netrc("machine a.example login u password p %s\n" % KEY_V1)

        for args in (["-"], ["--status"], ["--logout", "--host", "https://a.example"]):
            with self.subTest(args=args):
                self.assertCalm(self.run_cli(*args, input=KEY40), 1, "line 1")

    # -- output that cannot be written ------------------------------------------

    def test_a_closed_stdout_with_json_is_one_line_not_a_traceback(self):
        result = self.run_cli("-", "--json", input=KEY40, stdout="closed")

        self.assertCalm(result, 1, "stored API key", "cannot write the JSON result")

    def test_print_key_into_a_closed_pipe_is_one_line_not_a_traceback(self):
        self.make_netrc("machine api.wandb.ai login u password %s\n" % KEY40)
        reader, writer = os.pipe()
        os.close(reader)
        self.addCleanup(os.close, writer)

        result = self.run_cli("--print-key", stdout=writer)

        self.assertCalm(result, 1, "cannot write the key to standard output")
        self.assertNotIn("Exception ignored", result[2])

    # -- the server ---------------------------------------------------------------

    def test_a_reply_of_deep_nesting_is_not_the_api(self):
        server = self.serve()
        server.respond = always(200, b"[" * 100000)

        self.assertCalm(self.verify(KEY40, server.url), 3, "not JSON")

    def test_a_reply_larger_than_a_mebibyte_is_read_no_further(self):
        server = self.serve()
        server.respond = always(200, b'{"data": {"viewer": ' + b" " * (2 << 20) + b"}}")

        self.assertCalm(self.verify(KEY40, server.url), 3, "not JSON")

    def test_a_retry_after_that_is_not_ascii_digits_is_ignored(self):
        server = self.serve()
        server.respond = Script((503, {"Retry-After": "\u00b2".encode(
            "latin-1").decode("latin-1")}, b""))

        result = self.verify(KEY40, server.url)

        self.assertCalm(result, 0, "logged in to")

    def test_trickled_headers_and_bodies_end_at_the_timeout(self):
        server = self.serve()
        table = [
            ("headers", [b"HTTP/1.1 200 OK\r\n"] + [b"X-Slow: 1\r\n"] * 200),
            ("body", [b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n"] +
             [b"{"] * 1000),
        ]
        for name, parts in table:
            with self.subTest(name):
                server.respond = trickle(parts, 0.1)
                started = time.monotonic()

                result = self.verify(KEY40, server.url, "--timeout", "0.8")

                self.assertCalm(result, 3, "no complete answer from", "within 0.8 s")
                self.assertLess(time.monotonic() - started, 20)   # a hang guard

    def test_escape_sequences_from_the_server_are_shown_escaped(self):
        server = self.serve()
        server.respond = always(302, b"", {
            "Location": "http://x.example/\x1b]0;pwned\x07\x1b[2J"})

        result = self.verify(KEY40, server.url)

        self.assertCalm(result, 3, "server redirected to http://x.example/\\x1b]0;"
                        "pwned\\x07\\x1b[2J")
        self.assertNotIn("\x1b", result[2])

    def test_too_many_headers_are_not_the_api(self):
        server = self.serve()
        server.respond = always(200, b"{}", dict(("X-H%d" % i, "v") for i in range(200)))

        self.assertCalm(self.verify(KEY40, server.url), 3)

    # -- hosts ----------------------------------------------------------------------

    def test_a_trailing_dot_is_the_same_server(self):
        self.assertEqual(wblogin.normalize_host("https://api.wandb.ai."), CLOUD)
        for url, words in (("http://api.wandb.ai.", "must use https://"),
                           ("https://app.wandb.ai.", "did you mean https://api.wandb.ai?")):
            with self.assertRaises(wblogin.UsageError) as caught:
                wblogin.normalize_host(url)
            self.assertIn(words, str(caught.exception))

    def test_a_name_that_starts_with_127_is_not_loopback(self):
        result = self.run_cli("-", "--host", "http://127.evil.example", input=KEY40)

        self.assertCalm(result, 0, "http://127.evil.example is plain http")

    # -- TLS --------------------------------------------------------------------------

    def test_the_library_trusts_only_the_bundles_in_the_env_it_is_given(self):
        import ssl
        ca = self.write(os.path.join(self.tmp, "ca.pem"), TEST_CA_PEM)
        cert = self.write(os.path.join(self.tmp, "s.pem"), TEST_SERVER_CERT_PEM)
        key = self.write(os.path.join(self.tmp, "s.key"), TEST_SERVER_KEY_PEM)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        server = self.serve(context=context)
        code = ("import os, sys, wblogin\n"
                "try:\n"
                "    wblogin.verify_api_key(sys.argv[1], sys.argv[2], timeout=5, env={})\n"
                "except wblogin.ServerError as error:\n"
                "    print(error)\n")

        returned, out, err = self.run_python(code, server.url, KEY40,
                                             extra_env={"SSL_CERT_FILE": ca})

        self.assertEqual(returned, 0, err)
        self.assertIn("could not be verified", out)


class TestAttackFindings(VerifyFixture):
    """What an outside attack on 1.1 found, one test each:

    | a reply whose body arrives after its headers (Connection: close, HTTP/1.0 without a length,
      300 KB) | read whole; the key is verified
      | test_a_body_that_follows_its_headers_later_is_read |
    | HTTP 501 from a plain http:// server (HTTP/1.0, no length) | exit 3 naming HTTP 501, not a
      crash
      | test_a_501_from_a_plain_http_server_is_reported_as_such |
    | standard error closed | the key is still stored; exit 0
      | test_a_closed_stderr_still_stores_the_key |
    | escape sequences in NETRC or WANDB_APP_URL | shown escaped, never sent to the terminal
      | test_escape_sequences_in_paths_and_variables_are_shown_escaped |
    | HOME='' | ~ is /, as the SDK reads it
      | test_an_empty_home_is_the_file_systems_root_as_for_the_sdk |
    | WANDB_BASE_URL set to another server than --host | a warning: the SDK uses the variable
      | test_a_wandb_base_url_that_overrides_the_host_is_said |
    | a settings file in Latin-1 under a Latin-1 locale | rewritten in its own encoding, every
      other byte kept
      | test_a_settings_file_keeps_its_bytes_in_a_latin1_locale |
    | a proxy that cannot be reached | exit 3 naming the proxy and its variable
      | test_a_proxy_that_cannot_be_reached_is_named |
    | a same-origin redirect wblogin cannot follow (with user:password@, a space, letters that are
      not ASCII) | reported, not followed; credentials not echoed
      | test_same_origin_redirects_wblogin_cannot_follow_are_reported |
    | a redirect to a URL that is no host (javascript:) | reported; no --host hint that cannot work
      | test_a_redirect_to_a_url_that_is_no_host_is_not_suggested_for_host |
    | a FIFO as settings.lock | a warning naming it; the key is stored
      | test_a_fifo_as_a_settings_lock_names_the_lock |
    | a file where the config folder should be | a warning naming it; the key is stored
      | test_a_config_dir_that_is_a_file_is_said_to_be_in_the_way |
    | a key the SDK would refuse (a short WANDB_API_KEY, an e-mail address as the netrc default
      password) | exit 1 naming the source and what to do
      | test_an_unusable_key_message_says_what_to_do |
    | a netrc that is a symlink loop | said that it cannot be read, not that it is missing
      | test_a_symlink_loop_as_the_netrc_is_not_said_to_be_missing |
    | /dev/full as standard error, or as standard output of --help | no traceback, no 'Exception
      ignored'; exit 0 when only messages were lost, 1 when the output was
      | test_output_to_a_full_disk_is_an_exit_code_not_a_complaint |
    | library calls with bad arguments (a NUL in a path, an empty path, an infinite or NaN timeout,
      a timeout that is no number, a key that is no text) | a LoginError, never another exception
      | test_library_calls_raise_only_login_errors |
    | a key in the path or the host name of --host | refused (exit 2) without showing the key
      | test_a_key_inside_a_host_url_is_refused_unseen |
    | a Retry-After longer than the --timeout budget | says so instead of waiting
      | test_a_retry_after_beyond_the_budget_says_so |
    | a settings file without a key, rewritten | keeps its mode (0644 stays), no warning
      | test_a_settings_file_without_a_key_keeps_its_mode |
    | /dev/zero as the netrc | never read: exit 1, 'would wait on it, or read it forever'
      | test_a_device_that_never_ends_is_not_read |
    | --json after -- | a KEY, not the flag (exit 2)
      | test_json_after_a_double_dash_is_a_key_not_the_flag |
    """

    def raw_server(self, reply, pause=0.1):
        """A server on 127.0.0.1 that answers any request with `reply`
        (head, body) bytes, the body a moment after the head."""
        head, body = reply

        def respond(handler, _):
            handler.wfile.write(head)
            handler.wfile.flush()
            time.sleep(pause)
            handler.wfile.write(body)
            return FakeWandb.HANDLED
        server = self.serve()
        server.respond = respond
        return server

    def test_a_body_that_follows_its_headers_later_is_read(self):
        viewer = json.dumps({"data": {"viewer": VIEWER}}).encode()
        table = [
            ("Connection: close", b"HTTP/1.1 200 OK\r\nContent-Type: application/json"
             b"\r\nContent-Length: %d\r\nConnection: close\r\n\r\n" % len(viewer), viewer),
            ("HTTP/1.0 without a length", b"HTTP/1.0 200 OK\r\n\r\n", viewer),
            ("300 KB", b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\nConnection: close"
             b"\r\n\r\n" % (len(viewer) + 300000), viewer[:-2] + b" " * 300000 + b"}}"),
        ]
        for name, head, body in table:
            with self.subTest(name):
                server = self.raw_server((head, body))

                code, out, err = self.verify(KEY40, server.url)

                self.assertEqual(code, 0, err)
                self.assertIn("as ada", err)

    def test_a_501_from_a_plain_http_server_is_reported_as_such(self):
        server = self.raw_server((b"HTTP/1.0 501 Unsupported method\r\n"
                                  b"Content-Type: text/html\r\n\r\n", b"<html>no</html>"))

        result = self.verify(KEY40, server.url)

        self.assertFailure(result, 3, "HTTP 501")

    @unittest.skipIf(WINDOWS, "closes the child's stderr in a preexec_fn (POSIX only)")
    def test_a_closed_stderr_still_stores_the_key(self):
        code, _, _ = self.run_cli("-", input=KEY40, stderr="closed")

        self.assertEqual(code, 0)
        self.assertEqual(self.stdlib_netrc().authenticators("api.wandb.ai")[2], KEY40)

    def test_escape_sequences_in_paths_and_variables_are_shown_escaped(self):
        odd = os.path.join(self.tmp, "n\x1b[31mred")

        stored = self.run_cli("-", input=KEY40, extra_env={
            "NETRC": odd, "WANDB_APP_URL": "https://x\x1b]0;PWNED\x07"})
        hint = self.run_cli(extra_env={"WANDB_APP_URL": "https://x\x1b]0;PWNED\x07"})

        # Windows takes no control character in a file name: the error names it.
        self.assertEqual(stored[0], 1 if WINDOWS else 0, stored[2])
        for err in (stored[2], hint[2]):
            self.assertNotIn("\x1b", err)
            self.assertNotIn("\x07", err)
        self.assertIn("n\\x1b[31mred", stored[2])
        self.assertIn("https://x\\x1b]0;PWNED\\x07/authorize", hint[2])

    def test_an_empty_home_is_the_file_systems_root_as_for_the_sdk(self):
        env = {"HOME": ""}

        # (On Windows the root of the working folder's drive.)
        self.assertEqual(wblogin.netrc_path(env, os_name="posix"), os.sep + ".netrc")
        self.assertEqual(wblogin.netrc_path(dict(env, NETRC="~/x")), os.sep + "x")
        self.assertEqual(wblogin.settings_paths(env, cwd=self.cwd)[1], os.path.join(
            self.cwd, os.sep + os.path.join(".config", "wandb", "settings")))

    def test_a_wandb_base_url_that_overrides_the_host_is_said(self):
        result = self.run_cli("-", "--host", "https://a.example", input=KEY40,
                              extra_env={"WANDB_BASE_URL": "https://b.example"})

        self.assertEqual(result[0], 0, result[2])
        self.assertIn("WANDB_BASE_URL is set to https://b.example: the wandb SDK uses "
                      "that server, not https://a.example", result[2])

    def test_a_settings_file_keeps_its_bytes_in_a_latin1_locale(self):
        locales = os.path.join(self.tmp, "locales")
        os.mkdir(locales)
        made = subprocess.call(["localedef", "-i", "en_US", "-f", "ISO-8859-1",
                                os.path.join(locales, "en_US.ISO-8859-1")],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) \
            if shutil.which("localedef") else 1
        if made != 0 or not os.path.isdir(os.path.join(locales, "en_US.ISO-8859-1")):
            self.skipTest("cannot build a Latin-1 locale here (localedef)")
        before = b"[default]\nentity = jos\xe9\n"
        self.write(self.global_settings, before)

        code, out, err = self.run_cli("-", "--host", "https://x.example", input=KEY40,
                                      extra_env={"LOCPATH": locales,
                                                 "LC_ALL": "en_US.ISO-8859-1"})

        self.assertEqual(code, 0, err)
        with open(self.global_settings, "rb") as handle:
            self.assertEqual(handle.read(), before + b"base_url = https://x.example\n")

    def test_a_proxy_that_cannot_be_reached_is_named(self):
        server = self.serve()
        proxy = self.refused_url()

        result = self.verify(KEY40, server.url, extra_env={"HTTP_PROXY": proxy})

        self.assertFailure(result, 3, "cannot reach the proxy %s that HTTP_PROXY "
                           "names" % proxy.split("//")[1], "check or unset HTTP_PROXY")

    def test_same_origin_redirects_wblogin_cannot_follow_are_reported(self):
        server = self.serve()
        for location in ("http://u:p@127.0.0.1:%d/graphql2" % server.port,
                         "/graph ql", "/gr\u00e4phql"):
            with self.subTest(location=location):
                server.respond = always(307, b"", {"Location": location.encode(
                    "utf-8").decode("latin-1")})

                result = self.verify(KEY40, server.url)

                self.assertFailure(result, 3, "server redirected to")
                self.assertNotIn("u:p@", result[2])

    def test_a_redirect_to_a_url_that_is_no_host_is_not_suggested_for_host(self):
        server = self.serve()
        server.respond = always(302, b"", {"Location": "javascript:alert(1)"})

        result = self.verify(KEY40, server.url)

        self.assertFailure(result, 3, "which is not a URL wblogin can use")
        self.assertNotIn("try --host", result[2])

    @unittest.skipUnless(hasattr(os, "mkfifo"), "needs FIFOs")
    def test_a_fifo_as_a_settings_lock_names_the_lock(self):
        os.makedirs(self.config_dir)
        os.mkfifo(self.global_settings + ".lock")

        code, out, err = self.run_cli("-", "--host", "https://x.example", input=KEY40,
                                      timeout=30)

        self.assertEqual(code, 0, err)
        self.assertIn("%s.lock is a FIFO, not wblogin's lock file; remove it"
                      % self.global_settings, err)

    def test_a_config_dir_that_is_a_file_is_said_to_be_in_the_way(self):
        self.write(self.config_dir, "")

        code, out, err = self.run_cli("-", "--host", "https://x.example", input=KEY40)

        self.assertEqual(code, 0, err)
        self.assertIn("%s is in the way of the folder" % self.config_dir, err)

    def test_an_unusable_key_message_says_what_to_do(self):
        table = [({"WANDB_API_KEY": "short"}, "fix or unset WANDB_API_KEY")]
        for extra, words in table:
            code, out, err = self.run_cli("--print-key", extra_env=extra)
            self.assertEqual(code, 1)
            self.assertIn(words, err)
        self.make_netrc("default login x password me@example.org\n")
        code, out, err = self.run_cli("--print-key")
        self.assertIn("store a key for this host with `%s %s --relogin` (or "
                      "`%s %s - < key.txt`)" % (PYTHON, SCRIPT, PYTHON, SCRIPT), err)

    def test_a_symlink_loop_as_the_netrc_is_not_said_to_be_missing(self):
        self.needs_symlinks()
        os.symlink(self.netrc, self.netrc)

        code, out, err = self.run_cli("--status")

        self.assertNotIn("does not exist", err)
        self.assertIn("cannot be read", err)
        self.assertNoTraceback(err)

    @unittest.skipUnless(os.path.exists("/dev/full"), "needs /dev/full")
    def test_output_to_a_full_disk_is_an_exit_code_not_a_complaint(self):
        self.make_netrc("machine api.wandb.ai login u password %s\n" % KEY40)
        with open("/dev/full", "w") as full:
            status = self.run_cli("--status", stderr=full.fileno())
            helped = self.run_cli("--help", stdout=full.fileno())

        self.assertEqual(status[0], 0)
        self.assertEqual(helped[0], 1)
        self.assertIn("cannot write the help to standard output", helped[2])
        self.assertNotIn("Exception ignored", helped[2])

    def test_library_calls_raise_only_login_errors(self):
        calls = [
            lambda: wblogin.find_api_key("https://x.example", env={"NETRC": "a\x00b"}),
            lambda: wblogin.find_api_key("https://x.example", env={"HOME": "/h\x00"}),
            lambda: wblogin.write_netrc_key("https://x.example", KEY40, path="a\x00"),
            lambda: wblogin.write_netrc_key("https://x.example", KEY40, path=""),
            lambda: wblogin.verify_api_key("https://x.example", KEY40,
                                           timeout=float("inf"), env={}),
            lambda: wblogin.verify_api_key("https://x.example", KEY40,
                                           timeout=float("nan"), env={}),
            lambda: wblogin.verify_api_key("https://x.example", "\udcff" * 40, env={}),
            lambda: wblogin.login(KEY40, verify=True, timeout="x", env=dict(self.env),
                                  cwd=self.cwd, stderr=io.StringIO()),
        ]
        for index, call in enumerate(calls):
            with self.subTest(index=index):
                with self.assertRaises(wblogin.LoginError):
                    call()
        self.assertFalse(os.path.exists(os.path.join(self.cwd, ".lock")))

    def test_a_key_inside_a_host_url_is_refused_unseen(self):
        for url in ("http://127.0.0.1:1/" + KEY_V1, "http://%s.example" % KEY40):
            with self.subTest(url=url[:24]):
                result = self.run_cli("--status", "--host", url)

                self.assertEqual(result[0], 2)
                self.assertIn("looks like it holds an API key (not shown)", result[2])
                self.assertKeyNotShown(result[2], KEY_V1)
                self.assertKeyNotShown(result[2], KEY40)

    def test_a_retry_after_beyond_the_budget_says_so(self):
        server = self.serve()
        server.respond = always(503, b"", {"Retry-After": "100"})

        result = self.verify(KEY40, server.url, "--timeout", "2")

        self.assertFailure(result, 3, "asked to be retried in 100 s, beyond the 2 s "
                           "budget")

    def test_a_settings_file_without_a_key_keeps_its_mode(self):
        self.write(self.workspace_settings, "[default]\nbase_url = https://old.example\n",
                   mode=0o644)
        before = self.mode(self.workspace_settings)     # 0644 (0666 on Windows)

        code, out, err = self.run_cli("-", "--host", "https://x.example", input=KEY40)

        self.assertEqual(code, 0, err)
        self.assertEqual(self.mode(self.workspace_settings), before)
        self.assertNotIn("readable by others", err)

    @unittest.skipIf(WINDOWS, "/dev/zero is a POSIX device")
    def test_a_device_that_never_ends_is_not_read(self):
        result = self.run_cli("--print-key", extra_env={"NETRC": "/dev/zero"},
                              timeout=30)

        self.assertEqual(result[:2], (1, ""))
        self.assertIn("would wait on /dev/zero, or read it forever", result[2])

    def test_json_after_a_double_dash_is_a_key_not_the_flag(self):
        code, out, err = self.run_cli("--", "--json")

        self.assertEqual((code, out), (2, ""))


SHORT_JWT = "aaaaaaaaaaaaaaaaaaaa.bbbbbbbbbbbbbbbbbbbb.cccccccccccccccccccc"


class TestSecondAttack(VerifyFixture):
    """What a second outside attack and a differential run beside the real SDK found in 1.1.

    Hostile input, one test each:

    | -h<KEY>, -hh<KEY>, -hx<KEY>, --api-key=<token>, --relogin=<token> | exit 2; the key or token
      masked
      | test_a_key_glued_to_a_short_flag_or_shaped_as_a_token_is_masked |
    | a Location that quotes the key (query, path, fragment) | reported, the key masked; nothing
      stored
      | test_a_location_that_quotes_the_key_is_masked |
    | NETRC='~<KEY>/x'; a WANDB_APP_URL holding the key | the key masked in every message
      | test_keys_in_netrc_and_app_url_variables_are_masked |
    | --host https://default | exit 2 (its entry would be the fallback, machine default), the netrc
      untouched
      | test_a_server_named_default_is_refused |
    | a host name longer than DNS allows, https://[::1.] | exit 2
      | test_host_names_longer_than_dns_allows_are_refused |
    | 10,000 default lines, macdef blocks, or entries for the host (LF or CR) | --status, a store
      and --logout each in one pass; the right entries
      | test_big_files_of_defaults_macros_and_duplicates_take_one_pass |
    | HTTP_PROXY that is not on loopback, for a plain http:// check | a warning: the proxy sees the
      key
      | test_a_proxy_over_plain_http_is_said_to_see_the_key |
    | a redirect to the same URL, or without a Location | exit 3 saying so, no --host hint
      | test_redirects_to_the_same_place_or_nowhere_say_so |
    | Ctrl-C while a settings file is updated after the store | exit 130, 'interrupted after the
      key was stored'
      | test_ctrl_c_after_the_key_was_stored_says_that_it_was |
    | --help or --version into a closed pipe with PYTHONUNBUFFERED=1 (Python 3.6-3.10) | exit 1, no
      traceback
      | test_help_and_version_into_a_closed_pipe_with_unbuffered_output |
    | --json --version, --json --help, --json=1 | one JSON object each
      | test_json_answers_help_version_and_its_own_misuse |
    | --status beside a netrc Python cannot parse | the hint names NETRC=<another file>, not a
      store that would fail
      | test_no_key_in_an_unusable_netrc_points_at_netrc_not_at_storing_there |
    | a store with both WANDB_API_KEY and WANDB_IDENTITY_TOKEN_FILE set | the warning says the SDK
      refuses them
      | test_a_store_beside_both_variables_says_the_sdk_refuses_them |
    | a netrc path with a space, in the chmod hint | shell-quoted
      | test_the_chmod_hint_is_quoted_for_the_shell |
    | library calls with arguments of the wrong kind (None, bytes, numbers, a lone surrogate in a
      path, a word that needs netrc quoting, a host that is no string, env that is no mapping) | a
      LoginError (validate_api_key returns a sentence, mask_api_key '****')
      | test_library_calls_with_arguments_of_the_wrong_kind_raise_login_errors |
    | a netrc that ends in a backslash and a lone CR | the new entry goes where the file still
      reads as before (the edit is read back)
      | test_a_store_after_a_backslash_and_a_lone_cr_keeps_the_file_readable |
    | 100,000 [ in a JSON-typed setting or variable | refused like any bad value, not a crash
      | test_deeply_nested_json_in_a_json_setting_is_refused_not_a_crash |
    | a path (NETRC, WANDB_CONFIG_DIR) that holds a key, in --json or a library error | masked
      there too
      | test_paths_that_hold_a_key_are_masked_in_json_and_library_errors |
    | a token followed by . or glued to a word | masked
      | test_a_token_beside_a_dot_or_a_letter_is_masked |
    | a key cut by the length limit of a message | the cut never leaves part of it
      | test_a_long_text_is_cut_where_no_key_is_cut_short |
    | WANDB_BASE_URL=http://user:password@host | the password shown as ****; no plain-http warning
      for loopback
      | test_a_password_in_wandb_base_url_is_never_shown |
    | a whole number of more than 4,300 digits in a setting | refused on every Python, as by the
      SDK
      | test_a_whole_number_of_more_than_4300_digits_is_refused_on_every_python |
    | settings_set asked for what configparser would not read back (#a, a value with a leading
      space, a broken file) | refused: a UsageError for an option that is no word, else a
      StorageError, as netrc_set
      | test_settings_set_reads_its_edit_back_or_refuses |

    Rules of the SDK, measured beside wandb 0.31, one test each (the lookup order is
    TestLookupOrder):

    | a settings value its setting refuses (login_timeout = abc, silent = maybe, console = bogus,
      project = a/b, heartbeat_seconds = 1.5) | the SDK checks every setting it loads against its
      Settings model, and ignores both files; values their settings take (login_timeout = 1_0.5,
      silent = Off, heartbeat_seconds = 30.0) count
      | test_a_settings_value_its_setting_refuses_makes_the_sdk_ignore_both_files |
    | a WANDB_* variable its setting refuses (WANDB_HTTP_TIMEOUT=abc, WANDB_SILENT=maybe,
      WANDB__SERVICE_WAIT=-1, WANDB_MODE=bogus); WANDB_<NAME> sets <name>, WANDB__<NAME> sets
      x_<name> | the SDK stops before it looks for a key: a lookup is exit 1, a store warns;
      WANDB_HTTP_TIMEOUT=7.5 too (the SDK's check of a key reads it again with int())
      | test_a_wandb_variable_its_setting_refuses_stops_the_sdk |
    | a key longer than 4,096 characters in the netrc | named: a key the SDK finds has no length
      limit (wblogin stores none that long)
      | test_a_key_longer_than_4096_characters_is_sent_by_the_sdk |
    | a non-ASCII WANDB_API_KEY under Python 3.6 in the C locale | read as UTF-8, as the SDK's
      Python reads it
      | test_a_key_that_is_not_ascii_in_the_environment_reads_as_utf8 |
    | WANDB_BASE_URL as written, after the SDK's strict URL check | http://u@host:8080 is looked up
      under u@host:8080; a query or %20 in the path is fine; a double quote or a backslash stops
      the SDK (exit 1); a store for such a URL is refused (exit 2)
      | test_urls_of_the_sdks_own_configuration_are_taken_as_it_takes_them |
    | a WANDB_IDENTITY_TOKEN_FILE that cannot be read | the SDK fails; so does the lookup (exit 1)
      | test_an_identity_token_file_that_is_not_there_stops_the_sdk |
    | ./.wandb that is a file | the workspace file is ./.wandb/settings, as for the SDK
      | test_a_dot_wandb_file_moves_the_workspace_settings_as_for_the_sdk |
    """

    # -- keys never shown ----------------------------------------------------

    def test_a_key_glued_to_a_short_flag_or_shaped_as_a_token_is_masked(self):
        table = [["-h" + KEY40], ["-hh" + KEY40], ["-hx" + KEY40],
                 ["--api-key=" + SHORT_JWT], ["--relogin=" + SHORT_JWT]]
        for args, (code, out, err) in zip(table, self.run_cli_all(table)):
            with self.subTest(args=args[0][:6]):

                self.assertCalm((code, out, err), 2)
                self.assertNotIn(SHORT_JWT, err)
                self.assertIn("****", err)

    def test_a_location_that_quotes_the_key_is_masked(self):
        for location in ("https://evil.example/graphql?key=" + KEY40,
                         "https://evil.example/%s/graphql" % KEY40,
                         "https://evil.example/graphql#" + KEY40):
            with self.subTest(location=location[:30]):
                server = self.serve()
                server.respond = always(301, headers={"Location": location})

                result = self.verify(KEY40, server.url)

                self.assertCalm(result, 3, "server redirected to")
                self.assertFalse(os.path.exists(self.netrc))

    def test_keys_in_netrc_and_app_url_variables_are_masked(self):
        looked = self.run_cli("--status", extra_env={"NETRC": "~%s/.netrc" % KEY40})
        prompted = self.run_cli(extra_env={"WANDB_APP_URL": "https://app.example/?k="
                                           + KEY40})

        self.assertCalm(looked, 2, "****")
        self.assertCalm(prompted, 1, "https://app.example/?k=****")

    # -- hosts -----------------------------------------------------------------

    def test_a_server_named_default_is_refused(self):
        before = "machine git.example.org login me password %s\ndefault login " \
                 "anonymous password ftp@example.org\n" % OTHER_KEY
        self.make_netrc(before)

        result = self.run_cli("-", "--host", "https://default", input=KEY40)

        self.assertCalm(result, 2, "`machine default`")
        self.assertEqual(self.read(self.netrc), before)
        with self.assertRaises(wblogin.UsageError):
            wblogin.netrc_set("", "default", KEY40)

    def test_host_names_longer_than_dns_allows_are_refused(self):
        for url in ("https://%s.example" % ("a" * 64), "https://" + "a." * 130 + "example",
                    "https://[::1.]"):
            with self.subTest(url=url[:20]):
                self.assertCalm(self.run_cli("-", "--host", url, input=KEY40), 2)

    # -- files at scale ----------------------------------------------------------

    def test_big_files_of_defaults_macros_and_duplicates_take_one_pass(self):
        # Each took 20 s or more before (a position was found again from the
        # start of a stretch for every entry, a line end looked for up to
        # the end of the file); one pass takes a fraction of a second.
        shapes = [("default lines", "default login u password p\n", 1),
                  ("macdef blocks", "macdef m\nline\n\n", 1),
                  ("duplicate entries", "machine h.example login u password %s\n"
                   % OTHER_KEY, 0),
                  ("duplicates with CR line ends", "machine h.example\r login u\r "
                   "password %s\r" % OTHER_KEY, 0)]
        for name, shape, looked in shapes:
            with self.subTest(name):
                self.make_netrc(shape * 10000)

                status = self.run_cli("--status", "--host", "https://h.example",
                                      timeout=10)
                stored = self.run_cli("-", "--host", "https://h.example",
                                      input=KEY40, timeout=10)
                hosts = self.stdlib_netrc().hosts
                removed = self.run_cli("--logout", "--host", "https://h.example",
                                       timeout=10)

                self.assertEqual(status[0], looked, status[2])
                self.assertEqual(stored[0], 0, stored[2])
                self.assertEqual(hosts["h.example"][::2], ("user", KEY40))
                self.assertEqual(removed[0], 0, removed[2])
                self.assertNotIn("h.example", self.stdlib_netrc().hosts)

    # -- the network --------------------------------------------------------------

    def test_a_proxy_over_plain_http_is_said_to_see_the_key(self):
        result = self.verify(KEY40, "http://127.0.0.1:9", "--timeout", "5",
                             extra_env={"HTTP_PROXY": "http://proxy.invalid:3128"})

        self.assertEqual(result[0], 3, result[2])
        self.assertIn("through the proxy proxy.invalid:3128 that HTTP_PROXY names, "
                      "and plain http", result[2])

    def test_redirects_to_the_same_place_or_nowhere_say_so(self):
        server = self.serve()
        for headers, words in (({"Location": server.url + "/graphql"},
                                "a redirect to itself"), ({}, "without a Location")):
            with self.subTest(words):
                server.respond = always(301 if headers else 302, headers=headers)

                result = self.verify(KEY40, server.url)

                self.assertCalm(result, 3, words)
                self.assertNotIn("try --host", result[2])

    # -- interruptions and closed streams ----------------------------------------

    @unittest.skipIf(WINDOWS, "holds the lock with fcntl and sends SIGINT (POSIX only)")
    def test_ctrl_c_after_the_key_was_stored_says_that_it_was(self):
        import fcntl
        import signal
        os.makedirs(self.config_dir)
        lock = os.open(self.global_settings + ".lock", os.O_RDWR | os.O_CREAT, 0o600)
        self.addCleanup(os.close, lock)
        fcntl.lockf(lock, fcntl.LOCK_EX)
        process = subprocess.Popen(
            [sys.executable, SCRIPT, "-", "--host", "https://w.example"],
            cwd=self.cwd, env=self.env, stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.addCleanup(process.kill)
        process.stdin.write(KEY40.encode() + b"\n")
        process.stdin.close()
        process.stdin = None
        deadline = time.time() + 30
        while not (os.path.exists(self.netrc) and KEY40 in self.read(self.netrc)):
            self.assertLess(time.time(), deadline, "the key was never stored")
            time.sleep(0.05)
        time.sleep(0.2)     # waiting for the settings file's lock now

        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=30)

        self.assertEqual(process.returncode, 130, err)
        self.assertIn(b"interrupted after the key was stored in", err)
        self.assertNotIn(b"nothing was stored", err)

    def main_interrupted_when(self, ready, args, key):
        """wblogin.main(ARGS) in this process, KEY on its standard input, and
        Ctrl-C for the main thread (as a terminal sends it, SIGINT, held back
        while wblogin holds it) as soon as ready() is true: (code, stderr)."""
        import threading
        main, done = threading.main_thread().ident, threading.Event()

        def interrupt():
            end = time.monotonic() + 30
            while not ready() and not done.is_set() and time.monotonic() < end:
                time.sleep(0.01)
            if not done.is_set():
                signal.pthread_kill(main, signal.SIGINT)
        previous = signal.signal(signal.SIGINT, signal.default_int_handler)
        self.addCleanup(signal.signal, signal.SIGINT, previous)
        thread = threading.Thread(target=interrupt)
        thread.daemon = True
        err = io.StringIO()
        try:
            thread.start()
            try:
                code = wblogin.main(list(args), env=dict(self.env), cwd=self.cwd,
                                    stdin=io.StringIO(key + "\n"), stdout=io.StringIO(),
                                    stderr=err)
            finally:
                done.set()
                thread.join()
        except KeyboardInterrupt:
            self.fail("Ctrl-C came after main() had returned: %s" % err.getvalue())
        return code, err.getvalue()

    def hold_lock_elsewhere(self, path):
        """Another process holds the lock on `path` until the test ends (this
        process's own locks never keep wblogin.main in it waiting)."""
        code = ("import fcntl, os, sys\n"
                "fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o600)\n"
                "fcntl.lockf(fd, fcntl.LOCK_EX)\n"
                "sys.stdout.write('locked\\n'); sys.stdout.flush(); sys.stdin.read()\n")
        holder = subprocess.Popen([sys.executable, "-S", "-c", code, path],
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE)

        def release():
            holder.stdin.close()
            holder.wait(30)
            holder.stdout.close()
        self.addCleanup(release)
        self.assertEqual(holder.stdout.readline(), b"locked\n")

    @unittest.skipUnless(hasattr(signal, "pthread_kill"), "POSIX signals")
    def test_ctrl_c_in_main_while_the_settings_wait_says_the_key_was_stored(self):
        os.makedirs(self.config_dir)
        self.hold_lock_elsewhere(self.global_settings + ".lock")
        seen = []

        def waiting():
            # The key is stored; a tenth of a second on, wblogin is trying the
            # settings file's lock every 20 ms.
            if not seen and os.path.exists(self.netrc) and KEY40 in self.read(self.netrc):
                seen.append(time.monotonic())
            return seen and time.monotonic() - seen[0] > 0.1

        code, err = self.main_interrupted_when(waiting, ["-", "--host", "https://w.example"],
                                               KEY40)

        self.assertEqual(code, 130, err)
        self.assertIn("interrupted after the key was stored in %s; run the same command "
                      "again to finish" % self.netrc, err)
        self.assertFalse(os.path.exists(self.global_settings))

    @unittest.skipUnless(hasattr(signal, "pthread_kill"), "POSIX signals")
    def test_ctrl_c_in_main_while_verify_waits_stores_nothing(self):
        import threading
        server = self.serve()
        asked, answer = threading.Event(), threading.Event()
        self.addCleanup(answer.set)     # before the server stops

        def slow(handler, body):
            asked.set()
            answer.wait(30)
        server.respond = slow

        code, err = self.main_interrupted_when(
            asked.is_set, ["-", "--host", server.url, "--verify"], KEY40)

        self.assertEqual(code, 130, err)
        self.assertIn("wblogin: interrupted; nothing was stored", err)
        self.assertFalse(os.path.exists(self.netrc))

    def test_help_and_version_into_a_closed_pipe_with_unbuffered_output(self):
        for flag in ("--help", "--version"):
            with self.subTest(flag):
                read, write = os.pipe()
                os.close(read)
                env = dict(self.env, PYTHONUNBUFFERED="1")
                process = subprocess.Popen([sys.executable, SCRIPT, flag], env=env,
                                           stdout=write, stderr=subprocess.PIPE)
                os.close(write)
                err = process.communicate(timeout=30)[1].decode()

                self.assertEqual(process.returncode, 1, err)
                self.assertNoTraceback(err)
                self.assertNotIn("Exception ignored", err)

    # -- JSON ----------------------------------------------------------------------

    def test_json_answers_help_version_and_its_own_misuse(self):
        version = self.run_cli("--json", "--version")
        helped = self.run_cli("--help", "--json")
        misused = self.run_cli("--json=1")

        self.assertEqual(json.loads(version[1])["action"], "version")
        self.assertEqual(json.loads(version[1])["version"], wblogin.__version__)
        self.assertEqual((helped[0], json.loads(helped[1])["action"]), (0, "help"))
        self.assertIn("usage:", helped[2])
        self.assertEqual(misused[0], 2)
        self.assertEqual(json.loads(misused[1])["error"]["code"], 2)

    # -- messages that fit ----------------------------------------------------------

    def test_no_key_in_an_unusable_netrc_points_at_netrc_not_at_storing_there(self):
        self.make_netrc("machine api.wandb.ai login u password %s port 21\n" % KEY40)

        result = self.run_cli("--status")

        self.assertCalm(result, 1, "cannot be used (see above)", "NETRC=<another file>")

    def test_a_store_beside_both_variables_says_the_sdk_refuses_them(self):
        token = self.write(os.path.join(self.home, "token.jwt"), KEY_JWT)
        result = self.run_cli("-", input=KEY40, extra_env={
            "WANDB_API_KEY": OTHER_KEY, "WANDB_IDENTITY_TOKEN_FILE": token})

        self.assertCalm(result, 0, "both WANDB_API_KEY and WANDB_IDENTITY_TOKEN_FILE "
                        "are set, which the wandb SDK refuses")

    def test_the_chmod_hint_is_quoted_for_the_shell(self):
        path = self.write(os.path.join(self.home, "my netrc"),
                          "machine api.wandb.ai login u password %s\n" % KEY40, 0o644)

        result = self.run_cli("--status", extra_env={"NETRC": path})

        if WINDOWS:     # no chmod there: no hint
            self.assertNotIn("chmod", result[2])
        else:
            self.assertIn("chmod 600 -- '%s'" % path, result[2])

    # -- the library -------------------------------------------------------------

    def test_library_calls_with_arguments_of_the_wrong_kind_raise_login_errors(self):
        env = dict(self.env)
        calls = [
            lambda: wblogin.normalize_host(None), lambda: wblogin.app_url(5, env={}),
            lambda: wblogin.clean_api_key(b"key"), lambda: wblogin.parse_netrc(None),
            lambda: wblogin.netrc_set("", ["a"], None),
            lambda: wblogin.netrc_set("", "a b", KEY40),
            lambda: wblogin.netrc_set("", "a", KEY40 + " password x"),
            lambda: wblogin.netrc_remove("", 5), lambda: wblogin.settings_set(None, "a", "b"),
            lambda: wblogin.settings_set("", "a=b", "c"),
            lambda: wblogin.settings_set("", "a", "b\nc"),
            lambda: wblogin.netrc_path(env={"NETRC": 5}),
            lambda: wblogin.settings_paths(env=env, cwd=b"/"),
            lambda: wblogin.login(KEY40, host=1.5, env=env, stderr=io.StringIO()),
            lambda: wblogin.status(env="HOME=/", stderr=io.StringIO()),
        ]
        if not WINDOWS:     # a lone surrogate is a valid Windows (UTF-16) file name
            calls += [
                lambda: wblogin.find_api_key("h.example", env=env, netrc="h\ud800"),
                lambda: wblogin.write_netrc_key("h.example", KEY40, path="x\ud800",
                                                env=env)]
        for number, call in enumerate(calls):
            with self.subTest(call=number):
                self.assertRaises(wblogin.LoginError, call)
        self.assertEqual(wblogin.validate_api_key(None), "API key must be text, not "
                         "NoneType.")
        self.assertEqual(wblogin.mask_api_key(None), "****")
        self.assertEqual(wblogin.main(["--status"], env="x", stderr=io.StringIO()), 2)
        self.assertEqual(wblogin.main([5], env=env, stderr=io.StringIO()), 2)

    # -- the third attack ---------------------------------------------------------

    def test_a_store_after_a_backslash_and_a_lone_cr_keeps_the_file_readable(self):
        before = "machine a.example password x\nmachine h\\\r"
        self.write(self.netrc, before)

        code, out, err = self.run_cli("-", "--host", "https://zz.example", input=KEY40)

        parsed = wblogin.parse_netrc(self.read(self.netrc))
        hosts = self.stdlib_netrc().hosts if MODERN_NETRC else parsed.hosts
        self.assertIsNone(parsed.error)
        self.assertEqual(code, 0, err)
        self.assertEqual(hosts["zz.example"][::2], ("user", KEY40))
        self.assertEqual(hosts["a.example"][2], "x")
        self.assertEqual(wblogin.parse_netrc(wblogin.netrc_set(before, "zz", KEY40)
                                             ).hosts["zz"][2], KEY40)

    def test_deeply_nested_json_in_a_json_setting_is_refused_not_a_crash(self):
        self.make_netrc("machine api.wandb.ai login u password %s\n" % KEY40)
        deep = "[" * 100000
        self.write(self.global_settings, "[default]\nx_extra_http_headers = %s\n"
                   % deep)

        looked = self.run_cli("--status", "--json",
                              extra_env={"WANDB__EXTRA_HTTP_HEADERS": deep})
        filed = self.run_cli("--print-key")

        self.assertCalm(looked, 1, "WANDB__EXTRA_HTTP_HEADERS=")
        self.assertEqual(json.loads(looked[1])["error"]["code"], 1)
        self.assertEqual(filed[:2], (0, KEY40 + "\n"), filed[2])
        self.assertIn("ignores both settings files", filed[2])

    def test_paths_that_hold_a_key_are_masked_in_json_and_library_errors(self):
        folder = os.path.join(self.tmp, KEY40)
        env = {"NETRC": os.path.join(folder, "netrc"),
               "WANDB_CONFIG_DIR": os.path.join(folder, "cfg")}
        self.write(env["NETRC"], "machine api.wandb.ai login u password %s\n"
                   % OTHER_KEY)
        self.write(os.path.join(folder, "cfg", "settings"), "[default]\n")

        code, out, err = self.run_cli("--status", "--json", extra_env=env)

        self.assertEqual(code, 0, err)
        self.assertKeyNotShown(out + err, KEY40)
        self.assertIn("****", json.loads(out)["netrc"])
        with self.assertRaises(wblogin.StorageError) as caught:
            wblogin.write_netrc_key("h.example", OTHER_KEY, env=self.env,
                                    path=os.path.join(folder, "file", "sub", "x"),
                                    stderr=io.StringIO())
        self.write(os.path.join(folder, "file"), "in the way")
        with self.assertRaises(wblogin.StorageError) as caught:
            wblogin.write_netrc_key("h.example", OTHER_KEY, env=self.env,
                                    path=os.path.join(folder, "file", "x"),
                                    stderr=io.StringIO())
        self.assertKeyNotShown(str(caught.exception), KEY40)

    def test_a_token_beside_a_dot_or_a_letter_is_masked(self):
        token = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlX3Nob3J0"
        for args in (["--host", token + "."], ["--host", "x" + token],
                     ["--api-key=" + token + "."]):
            with self.subTest(args=args):
                code, out, err = self.run_cli(*args)

                self.assertEqual(code, 2, err)
                self.assertNotIn(token, err)
                self.assertNotIn(token.split(".")[2], err)

    def test_a_long_text_is_cut_where_no_key_is_cut_short(self):
        text = (KEY40 + " ") * 10 + "!" * 23 + KEY40

        shown = wblogin._printable(text)

        self.assertNotIn(KEY40[:20], shown)

    def test_a_password_in_wandb_base_url_is_never_shown(self):
        self.make_netrc("machine user:hunter2@127.0.0.1:8080 login u password %s\n"
                        % KEY40)
        extra = {"WANDB_BASE_URL": "http://user:hunter2@127.0.0.1:8080"}

        code, out, err = self.run_cli("--status", "--json", extra_env=extra)
        empty = self.run_cli("--print-key", extra_env=dict(
            extra, NETRC=os.path.join(self.home, "none")))

        self.assertEqual(code, 0, err)
        self.assertNotIn("hunter2", out + err)
        self.assertEqual(json.loads(out)["host"], "http://user:****@127.0.0.1:8080")
        self.assertNotIn("plain http", err)
        self.assertCalm(empty, 1, "make WANDB_BASE_URL the server's plain URL")
        self.assertNotIn("hunter2", empty[2])

    def test_a_whole_number_of_more_than_4300_digits_is_refused_on_every_python(self):
        self.assertIsNotNone(wblogin._sdk_value_problem("heartbeat_seconds", "9" * 4301))
        self.assertIsNone(wblogin._sdk_value_problem("heartbeat_seconds", "9" * 4300))
        self.assertIsNone(wblogin._sdk_value_problem("login_timeout", "9" * 5000))

    def test_settings_set_reads_its_edit_back_or_refuses(self):
        table = [("[default]\nbase_url = a\n", "BASE_URL", "b",
                  "[default]\nbase_url = b\n"),
                 ("[default]\na = 1\n", "A", None, "[default]\n")]
        for text, option, value, after in table:
            with self.subTest(option=option):
                self.assertEqual(wblogin.settings_set(text, option, value), after)
        for text, option, value in (("[default]\n", "#a", "1"),
                                    ("[default", "a", "1"),
                                    ("[default]\n", "a", " lead")):
            with self.subTest(text=text, option=option, value=value):
                self.assertRaises(wblogin.LoginError, wblogin.settings_set, text,
                                  option, value)

    # -- what the SDK does (measured beside wandb 0.31) ---------------------------

    def test_a_settings_value_its_setting_refuses_makes_the_sdk_ignore_both_files(self):
        self.write(self.global_settings, "[default]\nbase_url = https://wandb.corp."
                   "example\napi_key = %s\n" % KEY40)
        table = [("login_timeout", "abc", False), ("silent", "maybe", False),
                 ("console", "bogus", False), ("project", "a/b", False),
                 ("heartbeat_seconds", "1.5", False),
                 ("login_timeout", " 1_0.5 ", True), ("silent", "Off", True),
                 ("heartbeat_seconds", "30.0", True)]
        folders = []
        for number, (option, value, _) in enumerate(table):
            folders.append(os.path.join(self.tmp, "work%d" % number))
            self.write(os.path.join(folders[-1], "wandb", "settings"),
                       "[default]\n%s = %s\n" % (option, value))

        results = self.run_cli_all([(["--print-key"], {"cwd": folder})
                                    for folder in folders])

        for (option, value, fine), (code, out, err) in zip(table, results):
            with self.subTest(option=option, value=value):

                if fine:
                    self.assertEqual((code, out), (0, KEY40 + "\n"), err)
                else:
                    self.assertEqual((code, out), (1, ""), err)
                    self.assertIn("ignores both settings files", err)

    def test_a_wandb_variable_its_setting_refuses_stops_the_sdk(self):
        self.make_netrc("machine api.wandb.ai login u password %s\n" % KEY40)
        table = [("WANDB_HTTP_TIMEOUT", "abc", False), ("WANDB_SILENT", "maybe", False),
                 ("WANDB__SERVICE_WAIT", "-1", False), ("WANDB_MODE", "bogus", False),
                 ("WANDB_HTTP_TIMEOUT", "7.5", False), ("WANDB_HTTP_TIMEOUT", " 20 ", True),
                 ("WANDB_SILENT", "TRUE", True), ("WANDB_UNHEARD_OF", "x", True)]
        # Every store writes the same key for the same host: they may overlap.
        results = self.run_cli_all(sum(([
            (["--print-key"], {"extra_env": {variable: value}}),
            (["-", "--cloud"], {"input": KEY40, "extra_env": {variable: value}})]
            for variable, value, _ in table), []))
        for number, (variable, value, fine) in enumerate(table):
            with self.subTest(variable=variable, value=value):
                looked, stored = results[2 * number:2 * number + 2]

                if fine:
                    self.assertEqual(looked[:2], (0, KEY40 + "\n"), looked[2])
                    self.assertNotIn("not used until", stored[2])
                else:
                    self.assertCalm(looked, 1, "the wandb SDK stops with an error: "
                                    "%s=" % variable)
                    self.assertCalm(stored, 0, "the stored key is not used until "
                                    "this is fixed")

    def test_a_key_longer_than_4096_characters_is_sent_by_the_sdk(self):
        long_key = "L0ng" * 1300
        self.make_netrc("machine api.wandb.ai login u password %s\n" % long_key)

        code, out, err = self.run_cli("--print-key")

        self.assertEqual((code, out), (0, long_key + "\n"), err)

    @unittest.skipIf(WINDOWS, "a bytes environment is POSIX only")
    def test_a_key_that_is_not_ascii_in_the_environment_reads_as_utf8(self):
        # Python 3.6 in the C locale hands over surrogate escapes; the SDK's
        # Python reads the variable as UTF-8.
        key = "A" * 20 + "\u00c5" + "A" * 20
        env = dict((k.encode(), v.encode()) for k, v in self.env.items())
        env[b"WANDB_API_KEY"] = key.encode("utf-8")
        process = subprocess.Popen([sys.executable, SCRIPT, "--print-key"],
                                   cwd=self.cwd, env=env, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE)
        out, err = process.communicate(timeout=30)

        self.assertEqual((process.returncode, out.decode("utf-8")), (0, key + "\n"),
                         err)

    def test_urls_of_the_sdks_own_configuration_are_taken_as_it_takes_them(self):
        self.make_netrc("machine u@127.0.0.1:8080 login u password %s\n"
                        "machine 127.0.0.1:8080 login u password %s\n"
                        % (KEY40, OTHER_KEY))
        table = [("http://u@127.0.0.1:8080", 0, KEY40),
                 ("http://127.0.0.1:8080/?x=1", 0, OTHER_KEY),
                 ("http://127.0.0.1:8080/a%20b", 0, OTHER_KEY),
                 ('http://127.0.0.1:8080/p"q', 1, None),
                 ("http://127.0.0.1:8080/a\\b", 1, None)]
        results = self.run_cli_all([(["--print-key"], {"extra_env": {
            "WANDB_BASE_URL": url}}) for url, _, _ in table])
        for (url, code, key), result in zip(table, results):
            with self.subTest(url=url):

                self.assertEqual(result[:2], (code, key + "\n" if key else ""),
                                 result[2])
                if not key:
                    self.assertIn("the wandb SDK stops with an error", result[2])
        stored = self.run_cli("-", input=KEY40,
                              extra_env={"WANDB_BASE_URL": "http://u@127.0.0.1:8080"})
        self.assertCalm(stored, 2, "user:password@")

    def test_an_identity_token_file_that_is_not_there_stops_the_sdk(self):
        result = self.run_cli("--status", extra_env={
            "WANDB_IDENTITY_TOKEN_FILE": os.path.join(self.home, "missing.jwt")})

        self.assertCalm(result, 1, "missing.jwt, which cannot be read")

    def test_a_dot_wandb_file_moves_the_workspace_settings_as_for_the_sdk(self):
        self.write(os.path.join(self.cwd, ".wandb"), "not a folder")

        workspace, _ = wblogin.settings_paths(self.env, self.cwd)

        self.assertEqual(workspace, os.path.join(self.cwd, ".wandb", "settings"))


class TestThirdAttack(VerifyFixture, StorageFixture):
    """What an attack on 1.1.0 reproduced (issue 16), one test per row:

    | another program rewriting the netrc as wblogin writes it (the SDK empties it, then writes it) | every entry kept |
    | URLs the SDK's own check refuses (Forge forms, *wandb.ai look-alikes, IPv4 parts over 255, characters in a path) | exit 2, the SDK's rule |
    | WANDB_BASE_URL spelled otherwise than --host (capitals, a trailing dot, a default port) | stored (and removed) under the SDK's spelling too |
    | a dangling or looping ~/.netrc beside ~/_netrc | ~/_netrc, as the SDK |
    | relative NETRC and WANDB_CONFIG_DIR in library calls | taken from the `cwd` argument |
    | a settings file linked to /dev/zero | reported, never read |
    | a chunked reply with a negative or huge chunk size | read within bounds, exit 3 |
    | a FIFO in SSL_CERT_DIR | --verify ends within --timeout |
    | a store into a big netrc under an address-space limit | one line, exit 1 |
    | SIGTERM or SIGHUP at the hidden prompt | echo restored, exit 130 |
    | Ctrl-C just after the replace | says the key was stored |
    | library arguments of the wrong type | UsageError |
    | root with a user's HOME and a ~/.netrc link the user planted | not followed |
    """

    def test_another_writer_that_empties_the_file_loses_no_entry(self):
        entries = "".join("machine keep-%03d.example login u password %s%03d\n"
                          % (n, KEY40[:37], n) for n in range(300))
        self.make_netrc(entries)
        # The SDK's way of writing: read, empty the file, write it again.
        rewriter = textwrap.dedent("""\
            import sys, time
            path, stop = sys.argv[1], time.monotonic() + float(sys.argv[2])
            while time.monotonic() < stop:
                with open(path) as handle:
                    text = handle.read()
                with open(path, "w") as handle:
                    handle.write(text[:len(text) // 2])
                    handle.flush()
                    time.sleep(0.002)
                    handle.write(text[len(text) // 2:])
            """)
        other = subprocess.Popen([sys.executable, "-c", rewriter, self.netrc, "1.5"])
        self.addCleanup(other.wait)
        logins = [self.start_cli(OTHER_KEY, "--host", "https://new-%d.example" % n)
                  for n in range(8)]

        results = [self.finish(process) for process in logins]
        other.wait(30)

        hosts = self.stdlib_netrc().hosts if MODERN_NETRC else \
            wblogin.parse_netrc(self.read(self.netrc)).hosts
        for n in range(300):
            self.assertEqual(hosts["keep-%03d.example" % n][2], KEY40[:37] + "%03d" % n)
        for code, _, err in results:
            self.assertIn(code, (0, 1), err)
            self.assertNoTraceback(err)

    def test_urls_the_sdk_refuses_are_refused_with_its_rule(self):
        table = [("https://forge.coreweave.com", "a Forge host is reached at "
                  "https://api.forge.coreweave.com"),
                 ("https://FORGE.coreweave.com:8443/api/wandb", "a Forge host"),
                 ("https://mywandb.ai", "the W&B web app"),
                 ("https://api-wandb.ai", "the W&B web app"),
                 ("http://127.0.0.300", "IPv4 address has a part over 255"),
                 ("http://10.0.1", None), ("http://a.1", "ends in a number"),
                 ("https://wandb.corp.example/a|b", "its path holds characters")]
        for url, words in table:
            with self.subTest(url=url):
                if words is None:
                    self.assertEqual(wblogin.normalize_host(url), url)
                    continue
                with self.assertRaises(wblogin.UsageError) as caught:
                    wblogin.normalize_host(url, "--host")
                self.assertIn("the wandb SDK refuses it: ", str(caught.exception))
                self.assertIn(words, str(caught.exception))
        self.assertEqual(wblogin.normalize_host("https://Forge.CoreWeave.com/api/wandb/"),
                         "https://api.forge.coreweave.com")
        code, out, err = self.run_cli("-", "--host", "https://mywandb.ai", input=KEY40)
        self.assertEqual((code, os.path.exists(self.netrc)), (2, False), err)

    def test_wandb_base_url_spelled_otherwise_gets_the_key_under_its_spelling(self):
        for spelling in ("https://WANDB.corp.example", "https://wandb.corp.example.",
                         "https://wandb.corp.example:443/"):
            with self.subTest(spelling=spelling):
                if os.path.exists(self.netrc):
                    os.unlink(self.netrc)
                extra = {"WANDB_BASE_URL": spelling}

                stored = self.run_cli("-", "--host", "https://wandb.corp.example",
                                      input=KEY40, extra_env=extra)
                found = self.run_cli("--print-key", extra_env=extra)
                removed = self.run_cli("--logout", "--host", "https://wandb.corp.example",
                                       extra_env=extra)
                after = self.run_cli("--print-key", extra_env=extra)

                machine = spelling.split("//")[1].rstrip("/")
                self.assertEqual(stored[0], 0, stored[2])
                self.assertIn("also as %s, as WANDB_BASE_URL spells it" % machine, stored[2])
                self.assertEqual(found[:2], (0, KEY40 + "\n"), found[2])
                self.assertEqual(removed[0], 0, removed[2])
                self.assertNotIn("still supplies", removed[2])
                self.assertEqual(after[:2], (1, ""), after[2])

    @unittest.skipUnless(hasattr(os, "symlink") and os.name == "posix", "POSIX links")
    def test_a_dangling_or_looping_dot_netrc_makes_the_sdk_read_underscore_netrc(self):
        underscore = self.write(os.path.join(self.home, "_netrc"), "")
        dot = os.path.join(self.home, ".netrc")
        for target in (os.path.join(self.home, "nowhere"), dot):
            with self.subTest(target=target):
                if os.path.lexists(dot):
                    os.unlink(dot)
                os.symlink(target, dot)

                self.assertEqual(wblogin.netrc_path({"HOME": self.home}), underscore)

    def test_relative_paths_in_library_calls_are_taken_from_cwd(self):
        env = {"HOME": self.home, "NETRC": "n/netrc", "WANDB_CONFIG_DIR": "cfg"}
        os.mkdir(os.path.join(self.cwd, "n"))

        wblogin.login(KEY40, host="https://wandb.corp.example", env=env, cwd=self.cwd,
                      stderr=io.StringIO())

        self.assertTrue(os.path.isfile(os.path.join(self.cwd, "n", "netrc")))
        self.assertTrue(os.path.isfile(os.path.join(self.cwd, "cfg", "settings")))
        self.assertEqual(wblogin.find_api_key("https://wandb.corp.example", env=env,
                                              cwd=self.cwd)[0], KEY40)

    @unittest.skipUnless(os.path.exists("/dev/zero"), "needs /dev/zero")
    def test_a_settings_file_linked_to_a_device_is_never_read(self):
        self.needs_symlinks()
        os.makedirs(self.config_dir)
        os.symlink("/dev/zero", self.global_settings)
        self.make_netrc("machine api.wandb.ai login u password %s\n" % KEY40)

        result = self.run_cli("--print-key", timeout=20)

        self.assertCalm(result, 1, "would wait on %s, or read it forever"
                        % self.global_settings)

    def test_chunked_replies_with_odd_chunk_sizes_are_read_within_bounds(self):
        server = self.serve()
        for size in (b"-5", b"ffffffffff"):
            with self.subTest(size=size):
                head = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + size
                server.respond = trickle([head + b"\r\n"] + [b"x" * 65536] * 40, 0.001)
                started = time.monotonic()

                result = self.verify(KEY40, server.url, "--timeout", "10")

                self.assertCalm(result, 3)
                self.assertLess(time.monotonic() - started, 8)
                self.assertFalse(os.path.exists(self.netrc))

    @unittest.skipUnless(hasattr(os, "mkfifo"), "needs FIFOs")
    @needing_a_process   # in process, its thread blocked on the FIFO outlives it
    def test_a_fifo_in_ssl_cert_dir_does_not_outlast_the_timeout(self):
        folder = os.path.join(self.tmp, "certs")
        os.mkdir(folder)
        # The names OpenSSL opens in a CA folder to find TEST_CA_PEM: the hashes
        # of its subject (`openssl x509 -hash` and `-subject_hash_old`).
        for name in ("951f648a.0", "48a52885.0"):
            os.mkfifo(os.path.join(folder, name))
        import ssl
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.write(os.path.join(self.tmp, "s.pem"),
                                           TEST_SERVER_CERT_PEM),
                                self.write(os.path.join(self.tmp, "s.key"),
                                           TEST_SERVER_KEY_PEM))
        server = self.serve(context=context)
        started = time.monotonic()

        result = self.verify(KEY40, server.url, "--timeout", "1", timeout=30,
                             extra_env={"SSL_CERT_DIR": folder})

        self.assertLess(time.monotonic() - started, 10)
        self.assertCalm(result, 3, "within 1 s")

    @unittest.skipUnless(os.name == "posix", "RLIMIT_AS is POSIX")
    def test_a_store_into_a_big_netrc_without_the_memory_for_it_is_one_line(self):
        import resource
        # 60 MB: it is reading it whole that fails (one big allocation, which fails
        # cleanly; the small ones that fail near a limit can crash an interpreter).
        self.write(self.netrc, b"# padding %s\n" % (b"." * 989) * 60000 +
                   b"machine a.example login user password %s\n" % KEY40.encode())

        def little_memory():
            resource.setrlimit(resource.RLIMIT_AS, (120 << 20, 120 << 20))

        code, out, err = self.run_started(KEY40, "--host", "https://x.example",
                                          preexec_fn=little_memory)

        self.assertEqual(code, 1, err)
        self.assertNoTraceback(err)
        self.assertIn("memory", err.splitlines()[-1])

    @unittest.skipUnless(hasattr(os, "fork"), "needs a POSIX pseudo-terminal")
    def test_sigterm_and_sighup_at_the_prompt_restore_the_terminal(self):
        import pty
        import select
        import termios
        for number in (signal.SIGTERM, signal.SIGHUP):
            with self.subTest(signal=number):
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", DeprecationWarning)
                    pid, fd = pty.fork()
                if pid == 0:
                    try:
                        os.chdir(self.cwd)
                        os.execve(sys.executable, [sys.executable, SCRIPT], self.env)
                    finally:
                        os._exit(127)
                shown, end = b"", time.monotonic() + 30
                while PROMPT not in shown and time.monotonic() < end:
                    if select.select([fd], [], [], 0.1)[0]:
                        shown += os.read(fd, 4096)
                time.sleep(0.2)
                os.kill(pid, number)
                _, status = os.waitpid(pid, 0)
                echo = termios.tcgetattr(fd)[3] & termios.ECHO
                os.close(fd)

                self.assertIn(PROMPT, shown)
                self.assertEqual(os.WEXITSTATUS(status) if os.WIFEXITED(status) else
                                 -os.WTERMSIG(status), 130)
                self.assertTrue(echo, "the terminal was left without echo")
                self.assertFalse(os.path.exists(self.netrc))

    @unittest.skipUnless(hasattr(signal, "pthread_sigmask"), "holds signals")
    def test_ctrl_c_right_after_the_replace_says_the_key_was_stored(self):
        interrupt = textwrap.dedent("""\
            import signal
            real = os.replace
            def replace(source, target):
                real(source, target)
                if target.endswith(".netrc"):
                    os.kill(os.getpid(), signal.SIGINT)
            os.replace = replace
            """)

        code, out, err = self.finish(self.start_cli(KEY40, after_import=interrupt))

        self.assertEqual(code, 130, err)
        self.assertIn("interrupted after the key was stored in", err)
        self.assertEqual(self.stdlib_netrc().authenticators("api.wandb.ai")[2], KEY40)

    def test_library_arguments_of_the_wrong_type_are_usage_errors(self):
        env = dict(self.env)
        calls = [lambda: wblogin.login(KEY40, env=env, cwd=self.cwd, prog=5),
                 lambda: wblogin.login(KEY40, env=env, cwd=self.cwd, stderr=5),
                 lambda: wblogin.status(env=env, cwd=self.cwd, result=[],
                                        stderr=io.StringIO()),
                 lambda: wblogin.parse_netrc("", want=[1]),
                 lambda: wblogin.status("x.example", cloud=True, env=env, cwd=self.cwd,
                                        stderr=io.StringIO()),
                 lambda: wblogin.parse_netrc("", want=5),
                 lambda: wblogin.login(env=env, cwd=self.cwd, relogin=True, ask=5,
                                       stderr=io.StringIO())]
        for number, call in enumerate(calls):
            with self.subTest(call=number):
                self.assertRaises(wblogin.UsageError, call)
        import contextlib
        with contextlib.redirect_stderr(io.StringIO()):     # where the message goes
            self.assertEqual(wblogin.main(["--status"], env=env, cwd=self.cwd, stderr=5), 2)

    @unittest.skipUnless(hasattr(os, "geteuid") and os.geteuid() == 0,
                         "only root can be misled into another user's link")
    def test_root_does_not_follow_a_netrc_link_another_user_planted(self):
        vault = os.path.join(self.tmp, "root-only")
        os.mkdir(vault, 0o700)
        target = os.path.join(vault, "netrc")
        os.symlink(target, self.netrc)
        os.lchown(self.netrc, 65534, 65534)

        code, out, err = self.run_cli(KEY40)

        self.assertEqual(code, 1, err)
        self.assertIn("a link another user owns", err)
        self.assertEqual(os.listdir(vault), [])


class TestFourthAttack(VerifyFixture, StorageFixture):
    """What an attack on 2.0 found (a helper that had not seen these tests), one
    test per row:

    | a host whose last label is a number (example.0x1) | exit 2: the SDK's URL check refuses it |
    | a non-ASCII host in WANDB_BASE_URL with its netrc entry | its key, as the SDK finds it |
    | an IPv6 zone (fe80::1%25eth0) in WANDB_BASE_URL | refused on every Python, as the SDK does |
    | run from ~/.config, where ./wandb/settings is the global file | base_url set, not set and removed |
    | a settings file with only [DEFAULT] | left alone, saying [default] would take its options |
    | standard output closed | a store still exits 0 |
    | threads of one process storing into one netrc | every entry kept |
    | another program stalled half-way through writing the netrc | every entry kept |
    | a netrc full of backslashes | read in memory a small multiple of the file |
    | library arguments: huge timeouts, want of lists, argv of non-strings, byte streams, a partial result | UsageError or a clean answer |
    | a short token-shaped key echoed by an argparse error | masked |
    | a dangling NETRC link | no "cannot be used (see above)", a store works |
    | a status line that is not HTTP; a body that never ends; Retry-After far off | "not HTTP" at once; "no complete answer"; the number asked for |
    | another service's entry with `login user` | not in --list |
    | a key of 120,000 bracketed-paste markers | cleaned in linear time |
    | a settings file with an option the SDK does not know, and --host | said that base_url has no effect until it is fixed |
    | a FIFO as the netrc, and --list | "would wait on", exit 1 |
    """

    def test_a_host_whose_last_label_is_a_number_is_refused(self):
        code, out, err = self.run_cli(KEY40, "--host", "https://example.0x1")

        self.assertEqual(code, 2, err)
        self.assertIn("IPv4", err)
        self.assertFalse(os.path.exists(self.netrc))
        self.assertFalse(os.path.exists(self.global_settings))

    def test_a_non_ascii_host_in_wandb_base_url_finds_its_entry(self):
        self.write(self.netrc, ("machine b\u00fccher.example login user password %s\n"
                                % KEY40).encode("utf-8"))

        key, source = wblogin.find_api_key(
            env=dict(self.env, WANDB_BASE_URL="https://b\u00fccher.example"), cwd=self.cwd)

        self.assertEqual((key, source), (KEY40, self.netrc))

    def test_an_ipv6_zone_in_wandb_base_url_is_refused(self):
        self.make_netrc("machine [fe80::1%%25eth0]:8080 login user password %s\n" % KEY40)

        code, out, err = self.run_cli("--print-key", extra_env={
            "WANDB_BASE_URL": "http://[fe80::1%25eth0]:8080"})

        self.assertNotEqual(code, 0, err)
        self.assertIn("zone", err)
        self.assertEqual(out, "")

    def test_run_from_dot_config_the_one_settings_file_keeps_base_url(self):
        config = os.path.join(self.home, ".config")
        os.makedirs(config)

        code, out, err = self.run_cli(KEY40, "--host", "https://wandb.example.com",
                                      cwd=config, unset=["WANDB_CONFIG_DIR"])

        self.assertEqual(code, 0, err)
        self.assertEqual(self.read(os.path.join(config, "wandb", "settings")),
                         "[default]\nbase_url = https://wandb.example.com\n")

    def test_a_default_only_settings_file_is_left_alone_and_said_why(self):
        self.write(self.global_settings, "[DEFAULT]\nentity = myteam\n")

        code, out, err = self.run_cli(KEY40, "--host", "https://wandb.example.com")

        self.assertEqual(code, 0, err)
        self.assertIn("a new [default] section would take the options of [DEFAULT]", err)
        self.assertEqual(self.read(self.global_settings), "[DEFAULT]\nentity = myteam\n")

    def test_a_store_with_standard_output_closed_exits_0(self):
        closed = "os.close(1)\nsys.stdout = None\n"

        code, out, err = self.finish(self.start_cli(KEY40, wrapper=closed))

        self.assertEqual(code, 0, err)
        self.assertEqual(self.stdlib_netrc().authenticators("api.wandb.ai")[2], KEY40)

    def test_threads_of_one_process_keep_every_entry(self):
        errors = self.store_in_threads(["http://127.0.0.1:%d" % (5000 + n) for n in range(20)])

        self.assertEqual(errors, [])
        self.assertEqual(sorted(self.stdlib_netrc().hosts),
                         sorted("127.0.0.1:%d" % (5000 + n) for n in range(20)))

    def test_another_writer_stalled_half_way_loses_no_entry(self):
        self.make_netrc("".join("machine host%02d.example login user password %s\n"
                                % (n, KEY40) for n in range(40)))
        stalled = textwrap.dedent("""\
            import sys, time
            text = open(sys.argv[1]).read()
            with open(sys.argv[1], "w") as handle:
                handle.write(text[:len(text) // 2])
                handle.flush()
                print("half", flush=True)
                time.sleep(1.0)
                handle.write(text[len(text) // 2:])
            """)
        other = subprocess.Popen([sys.executable, "-c", stalled, self.netrc],
                                 stdout=subprocess.PIPE)
        self.addCleanup(other.wait)
        self.assertEqual(other.stdout.readline().strip(), b"half")

        code, out, err = self.run_cli(KEY40, "--host", "https://new.example")
        other.communicate()

        self.assertEqual(code, 0, err)
        self.assertEqual(len(self.stdlib_netrc().hosts), 41)

    def test_a_netrc_full_of_backslashes_is_read_in_bounded_memory(self):
        import tracemalloc
        text = ("machine api.wandb.ai login user password %s\nmachine big password %s\n"
                % (KEY40, "a\\\\" * 200000))
        tracemalloc.start()
        self.addCleanup(tracemalloc.stop)

        parsed = wblogin.parse_netrc(text)

        self.assertLess(tracemalloc.get_traced_memory()[1], 12 * len(text))
        self.assertEqual(parsed.hosts["big"][2], "a\\" * 200000)
        self.assertEqual(parsed.hosts["api.wandb.ai"][2], KEY40)

    def test_library_arguments_out_of_range_are_usage_errors(self):
        env = dict(self.env)
        quiet = dict(stderr=io.StringIO(), stdout=io.StringIO())
        calls = [
            lambda: wblogin.verify_api_key("http://127.0.0.1:9", KEY40, timeout=10 ** 400,
                                           env=env),
            lambda: wblogin.login(KEY40, host="http://127.0.0.1:9", verify=True,
                                  timeout=10 ** 400, env=env, stderr=io.StringIO()),
            lambda: wblogin.parse_netrc("machine a password b", [["x"]])]
        for number, call in enumerate(calls):
            with self.subTest(call=number):
                self.assertRaises(wblogin.UsageError, call)
        self.assertEqual(wblogin.main([["--status"]], env=env, **quiet), 2)
        self.assertEqual(wblogin.main([bytearray(b"x")], env=env, **quiet), 2)
        self.assertEqual(wblogin.main(["--version"], env=env, stdout=io.BytesIO(),
                                      stderr=io.StringIO()), 1)
        result = wblogin.login(KEY40, host="http://127.0.0.1:1", result={"warnings": []},
                               env=env, stderr=io.StringIO())
        self.assertEqual(result["host"], "http://127.0.0.1:1")

    def test_a_short_token_in_an_argparse_error_is_masked(self):
        token = "Qx7kPz.Wm3nRv.Jt9sLb"

        code, out, err = self.run_cli("--cloud=" + token)

        self.assertEqual(code, 2, err)
        self.assertNotIn(token, err)
        self.assertIn("****9sLb", err)

    def test_a_dangling_netrc_link_is_no_problem(self):
        self.needs_symlinks()
        os.symlink(os.path.join(self.home, "real-netrc"), self.netrc)

        before = self.run_cli("--print-key")
        stored = self.run_cli(KEY40)

        self.assertCalm(before, 1, "no API key for https://api.wandb.ai")
        self.assertNotIn("cannot be used", before[2])
        self.assertEqual(stored[0], 0, stored[2])
        self.assertEqual(self.stdlib_netrc(os.path.join(self.home, "real-netrc"))
                         .authenticators("api.wandb.ai")[2], KEY40)

    def test_odd_answers_are_named_for_what_they_are(self):
        server = self.serve()

        def garbage(handler, body):
            handler.wfile.write(b"\x00\x01garbage\r\n\r\n")
            return FakeWandb.HANDLED
        server.respond = garbage
        not_http = self.verify(KEY40, server.url)
        requests = len(server.requests)
        server.respond = lambda handler, body: (429, {"Retry-After": "999999"}, b"{}")
        far_off = self.verify(KEY40, server.url, "--timeout", "3")

        self.assertCalm(not_http, 3, "is not HTTP", "use https://")
        self.assertEqual(requests, 1)
        self.assertCalm(far_off, 3, "asked to be retried in 999999 s")
        self.assertFalse(os.path.exists(self.netrc))

    def test_another_services_entry_is_not_listed(self):
        self.make_netrc("machine api.github.com login user password ghp_%s\n"
                        "machine wandb.corp.example login user password %s\n"
                        % ("Ab1" * 12, KEY_LOCAL))

        code, result, err = self.run_json("--list")

        self.assertEqual(code, 0, err)
        self.assertEqual([s["machine"] for s in result["servers"]], ["wandb.corp.example"])

    def test_a_key_among_many_paste_markers_is_cleaned_in_linear_time(self):
        key = wblogin.clean_api_key("\x1b[200~" * 120000 + KEY40 + "\x1b[201~")

        self.assertEqual(key, KEY40)

    def test_host_beside_a_settings_option_the_sdk_does_not_know_says_so(self):
        self.write(self.global_settings, "[default]\nfoo = 1\n")

        code, out, err = self.run_cli(KEY40, "--host", "https://x.example")

        self.assertEqual(code, 0, err)
        self.assertIn("does not know option foo", err)
        self.assertIn("the wandb SDK ignores base_url until %s is fixed"
                      % self.global_settings, err)

    @unittest.skipUnless(hasattr(os, "mkfifo"), "no FIFOs")
    def test_list_with_a_fifo_as_the_netrc_says_it_would_hang(self):
        os.mkfifo(self.netrc)

        code, out, err = self.run_cli("--list", timeout=20)

        self.assertEqual(code, 1, err)
        self.assertIn("would wait on %s" % self.netrc, err)


class TestFifthAttack(VerifyFixture, StorageFixture):
    """What an attack on the trimmed 2.0 found (a helper that had not seen these
    tests), one test per row:

    | a key of non-ASCII letters (the SDK's key check takes any \\w) in an argparse error, a settings warning or JSON | masked |
    | threads storing into one netrc through two spellings of its folder (a link, //) | every entry kept |
    | a netrc over 64 MiB | exit 1, "wblogin does not read it": never that the SDK reads no key |
    | a settings file over 1 MiB | the same: the lookup stops instead of answering for the cloud |
    | a switch beside a settings option the SDK does not know | never "switched": base_url has no effect until it is fixed |
    | a workspace settings file wblogin cannot change | the export of WANDB_BASE_URL that works, not "pass --host" |
    | a netrc of millions of empty lines (\\n, \\r\\n, \\r), stored into and removed from | memory a small multiple of the file: no table of line starts |
    | a small netrc read under an address-space limit (ulimit -v on a login node) | read in chunks: no buffer the size of the 64 MiB limit |
    """

    UNICODE_KEY = "\u00e9" * 20 + "\u0436" * 25

    def assertUnicodeKeyNotShown(self, text):
        for form in (self.UNICODE_KEY, json.dumps(self.UNICODE_KEY)[1:-1]):
            self.assertNotIn(form[:-4], text)

    def test_a_non_ascii_key_is_masked_in_every_message(self):
        key = self.UNICODE_KEY
        self.write(self.global_settings, ("[default]\nbase_url = %s\n" % key).encode("utf-8"))

        runs = [self.run_cli("--api-key=" + key), self.run_cli("--cloud=" + key, "--json"),
                self.run_cli("--status"), self.run_cli("--status", "--json")]

        for code, out, err in runs:
            self.assertNoTraceback(err)
            self.assertUnicodeKeyNotShown(out + err)
        self.assertEqual(runs[0][0], 2)

    def test_threads_reaching_one_netrc_by_two_spellings_keep_every_entry(self):
        self.needs_symlinks()
        os.symlink(self.home, os.path.join(self.tmp, "alias"))
        paths = [self.netrc, os.path.join(self.tmp, "alias", ".netrc")]
        if os.name == "posix":
            paths.append("/" + self.netrc)

        errors = self.store_in_threads(["https://t%d.example" % n for n in range(24)], paths)

        self.assertEqual(errors, [])
        self.assertEqual(sorted(self.stdlib_netrc().hosts),
                         sorted("t%d.example" % n for n in range(24)))

    def test_a_netrc_over_the_size_limit_is_said_to_be_unread_not_keyless(self):
        self.write(self.netrc, "machine b.example login user password %s\n" % KEY40)
        with open(self.netrc, "r+b") as handle:
            handle.truncate(65 << 20)      # sparse: no disk used

        result = self.run_cli("--print-key", "--host", "https://b.example")

        self.assertCalm(result, 1, "larger than 64 MiB")
        self.assertEqual(result[1], "")
        self.assertNotIn("reads no key", result[2])

    def test_a_settings_file_over_the_size_limit_stops_the_lookup(self):
        self.make_netrc("machine x.example login user password %s\n" % KEY40)
        self.write(self.global_settings, "[default]\nbase_url = https://x.example\n" +
                   ("# " + "c" * 97 + "\n") * 11000)

        result = self.run_cli("--print-key")

        self.assertCalm(result, 1, "larger than 1 MiB")
        self.assertEqual(result[1], "")
        self.assertNotIn("api.wandb.ai", result[2])

    def test_a_switch_beside_an_option_the_sdk_does_not_know_claims_no_switch(self):
        self.make_netrc("machine x.example login user password %s\n" % KEY40)
        self.write(self.global_settings, "[default]\nfoo = 1\n")

        code, out, err = self.run_cli("--host", "https://x.example")

        self.assertEqual(code, 0, err)
        self.assertNotIn("switched", err)
        self.assertNotIn("now uses", err)
        self.assertIn("the wandb SDK ignores base_url until %s is fixed"
                      % self.global_settings, err)

    def test_a_netrc_of_empty_lines_is_edited_in_memory_a_small_multiple_of_it(self):
        import tracemalloc
        for end in ("\n", "\r\n", "\r"):
            text = "machine a.example login u password %s%s" % (KEY40, end * 100000) + \
                "machine b.example login u password %s\n" % KEY40
            tracemalloc.start()
            try:
                stored = wblogin.netrc_set(text, ["c.example"], KEY40)
                removed = wblogin.netrc_remove(text, ["b.example"])[0]
                peak = tracemalloc.get_traced_memory()[1]
            finally:
                tracemalloc.stop()

            self.assertLess(peak, 12 * len(text), repr(end))
            self.assertTrue(stored.startswith(text.rstrip("\n")), repr(end))
            self.assertNotIn("b.example", removed)

    @unittest.skipUnless(os.name == "posix" and os.path.exists("/proc/self/statm"),
                         "RLIMIT_AS and /proc/self/statm (Linux)")
    def test_a_small_netrc_is_read_with_little_address_space_to_spare(self):
        self.make_netrc("machine api.wandb.ai login user password %s\n" % KEY40)
        child = textwrap.dedent("""\
            import os, resource, sys
            sys.path.insert(0, sys.argv[1])
            import wblogin
            with open("/proc/self/statm") as statm:
                used = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
            resource.setrlimit(resource.RLIMIT_AS, (used + (24 << 20), used + (24 << 20)))
            print(wblogin.find_api_key(env=dict(os.environ))[0])
            """)
        process = subprocess.Popen([sys.executable, "-c", child, os.path.dirname(SCRIPT)],
                                   cwd=self.cwd, env=self.env, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE)
        out, err = process.communicate(timeout=60)

        self.assertEqual((process.returncode, decoded(out)), (0, KEY40 + "\n"), decoded(err))

    def test_a_workspace_file_that_cannot_change_gives_the_export_that_works(self):
        self.make_netrc("machine x.example login user password %s\n" % KEY40)
        self.write(self.workspace_settings,
                   "[default]\nbase_url = https://z.example\nentity = %(base_url)s\n")

        code, out, err = self.run_cli("--host", "https://x.example")
        json_code, json_out, _ = self.run_cli("--host", "https://x.example", "--json")

        self.assertIn("could not update %s" % self.workspace_settings, err)
        self.assertIn(export_line("WANDB_BASE_URL", "https://x.example"), err)
        self.assertNotIn("pass --host", err)
        self.assertNotIn("now uses", err)
        self.assertEqual(json.loads(json_out)["exports"],
                         {"WANDB_BASE_URL": "https://x.example"})


class TestSixthAttack(VerifyFixture, StorageFixture):
    """What an attack on the final 2.0 file found (a helper that had not seen these
    tests), one test per row:

    | a store into `netrc` beside a live store into `netrc.prod` | only this file's own leftovers are removed |
    | a --verify reply holding a number of a million digits (3.6 converts it for seconds) | "not JSON" within the timeout |
    | a library `result` whose preset fields have the wrong type | UsageError, before anything is stored |
    | a short non-ASCII token-shaped key (the SDK sends it) in an argparse error | masked |
    | a dangling link as the workspace settings file, and --host | left alone: no lock file where it points |
    """

    def test_a_store_removes_only_its_own_files_leftovers(self):
        live = os.path.join(self.home, "..netrc.prod.0123456789ab.wblogin-tmp")
        leftover = os.path.join(self.home, "..netrc.0123456789ab.wblogin-tmp")
        for path in (live, leftover):
            self.write(path, "x")

        code, out, err = self.run_cli(KEY40)

        self.assertEqual(code, 0, err)
        self.assertTrue(os.path.exists(live))
        self.assertFalse(os.path.exists(leftover))

    def test_a_reply_with_a_huge_number_is_no_answer_within_the_timeout(self):
        server = self.serve()
        number = b"9" * 900000
        server.respond = lambda handler, body: (200, {"Content-Type": "application/json"},
                                                b'{"data": {"viewer": {"id": %s}}}' % number)
        started = time.monotonic()

        result = self.verify(KEY40, server.url, "--timeout", "2")

        self.assertCalm(result, 3, "not JSON")
        self.assertLess(time.monotonic() - started, 8)
        self.assertFalse(os.path.exists(self.netrc))

    def test_result_fields_of_the_wrong_type_are_usage_errors(self):
        for preset in ({"settings_updated": None}, {"warnings": "x"}, {"ok": "yes"}):
            with self.subTest(preset=preset):
                with self.assertRaises(wblogin.UsageError):
                    wblogin.login(KEY40, host="https://x.example", env=self.env,
                                  cwd=self.cwd, stderr=io.StringIO(), result=dict(preset))
        self.assertFalse(os.path.exists(self.netrc))
        said = wblogin.login(KEY40, env=self.env, cwd=self.cwd, stderr=io.StringIO(),
                             result={"host": None, "warnings": []})
        self.assertTrue(said["stored"])

    def test_a_short_non_ascii_token_in_an_argparse_error_is_masked(self):
        key = ".".join(["\u00e4" * 8] * 3)

        runs = [self.run_cli("--api-key=" + key), self.run_cli("--api-key=" + key, "--json")]

        for code, out, err in runs:
            self.assertEqual(code, 2, err)
            for form in (key, json.dumps(key)[1:-1]):
                self.assertNotIn(form[:-4], out + err)

    def test_a_dangling_workspace_settings_link_is_left_alone(self):
        self.needs_symlinks()
        elsewhere = os.path.join(self.tmp, "elsewhere")
        os.mkdir(elsewhere)
        os.mkdir(os.path.dirname(self.workspace_settings))
        os.symlink(os.path.join(elsewhere, "settings"), self.workspace_settings)

        code, out, err = self.run_cli(KEY40, "--host", "https://h.example")

        self.assertEqual(code, 0, err)
        self.assertEqual(os.listdir(elsewhere), [])
        self.assertNotIn("could not update", err)
        self.assertTrue(os.path.islink(self.workspace_settings))


class TestWorkflows(VerifyFixture):
    """What people came for (issue 17): several servers (list, switch), homes that
    cannot be written (keys elsewhere, and what a job then needs), CI, and
    messages that fit what the user did."""

    OTHERS = ("machine github.com login me password gh-token-%s\n"
              "machine pypi.org login __token__ password pypi-%s\n" % (KEY40, KEY40))

    def test_list_shows_the_wandb_servers_and_marks_the_one_in_use(self):
        self.make_netrc(self.OTHERS + "machine api.wandb.ai login user password %s\n"
                        "machine wandb.corp.example login user password %s\n"
                        "machine 127.0.0.1:8080 login user password %s\n"
                        % (KEY40, KEY_V1, KEY_LOCAL))
        self.write(self.global_settings, "[default]\nbase_url = https://wandb.corp.example\n")

        code, result, err = self.run_json("--list")

        self.assertEqual(code, 0, err)
        self.assertEqual(result["action"], "list")
        self.assertEqual([(s["host"], s["machine"], s["key"], s["active"])
                          for s in result["servers"]],
                         [(None, "127.0.0.1:8080", "****ffff", False),
                          ("https://api.wandb.ai", "api.wandb.ai", "****4567", False),
                          ("https://wandb.corp.example", "wandb.corp.example", "****x9Qa",
                           True)])
        self.assertIn("* https://wandb.corp.example  ****x9Qa", err)
        self.assertNotIn("github", err + json.dumps(result))
        self.assertNotIn("pypi", err + json.dumps(result))
        for key in (KEY40, KEY_V1, OTHER_KEY):
            self.assertKeyNotShown(err + json.dumps(result), key)

    def test_list_names_a_key_from_the_environment_and_says_when_there_is_none(self):
        self.make_netrc(self.OTHERS)

        empty = self.run_cli("--list")
        code, result, err = self.run_json("--list", extra_env={"WANDB_API_KEY": KEY_V1})

        self.assertCalm(empty, 1, "no W&B server has a key here")
        self.assertEqual(code, 0, err)
        self.assertEqual([(s["key_source"], s["active"]) for s in result["servers"]],
                         [("WANDB_API_KEY", True)])

    def test_switching_to_a_server_whose_key_is_stored_says_so(self):
        self.make_netrc("machine api.wandb.ai login user password %s\n"
                        "machine wandb.corp.example login user password %s\n"
                        % (KEY40, KEY_V1))
        self.write(self.global_settings, "[default]\nbase_url = https://wandb.corp.example\n")

        to_cloud = self.run_cli("--cloud")
        back = self.run_cli("--host", "https://wandb.corp.example")
        again = self.run_cli("--host", "https://wandb.corp.example")

        self.assertCalm(to_cloud, 0, "switched to https://api.wandb.ai: the wandb SDK now "
                        "uses it, with API key ****4567 from %s" % self.netrc)
        self.assertCalm(back, 0, "switched to https://wandb.corp.example")
        for result in (to_cloud, back):
            self.assertNotIn("--relogin", result[2])
            self.assertNotIn("already logged in", result[2])
        self.assertCalm(again, 0, "already logged in to https://wandb.corp.example")
        self.assertEqual(self.run_cli("--print-key")[1], KEY_V1 + "\n")

    def test_a_key_stored_where_the_sdk_does_not_look_says_what_a_job_needs(self):
        scratch = os.path.join(self.tmp, "scratch")
        os.mkdir(scratch)
        netrc, config = os.path.join(scratch, "netrc"), os.path.join(scratch, "wandb")

        code, result, err = self.run_json(
            "-", "--host", "https://wandb.corp.example", input=KEY40,
            extra_env={"NETRC": netrc, "WANDB_CONFIG_DIR": config})

        self.assertEqual(code, 0, err)
        self.assertEqual(result["exports"], {"NETRC": netrc, "WANDB_CONFIG_DIR": config})
        # cmd's `set` on Windows (where a job script is a batch file)
        line = "set %s=%s" if WINDOWS else "export %s=%s"
        self.assertIn("in a job script, `%s`" % (line % ("NETRC", netrc)), err)
        self.assertIn("in a job script, `%s`" % (line % ("WANDB_CONFIG_DIR", config)), err)
        code, result, err = self.run_json("-", input=KEY40)
        self.assertEqual(result["exports"], None)

    def test_an_empty_wandb_api_key_is_named_as_set_but_empty(self):
        for args in ([], ["--status"]):
            with self.subTest(args=args):
                result = self.run_cli(*args, extra_env={"WANDB_API_KEY": ""})

                self.assertCalm(result, 1, "WANDB_API_KEY is set but empty")
                self.assertIn("WANDB_API_KEY", result[2])

    def test_a_key_the_server_accepted_but_that_cannot_be_stored_is_one_account(self):
        server = self.serve()
        blocker = self.write(os.path.join(self.tmp, "blocker"), "a file\n")

        result = self.verify(KEY40, server.url,
                             extra_env={"NETRC": os.path.join(blocker, "netrc")})

        self.assertFailure(result, 1, "the server at %s accepted the key, but nothing was "
                           "stored" % server.url)
        self.assertNotIn("logged in", result[2])

    def test_a_new_key_and_a_server_that_cannot_be_reached_say_nothing_was_stored(self):
        self.assertFailure(self.verify(KEY40, self.refused_url()), 3, "nothing was stored")

    def test_the_extra_forge_entry_of_a_cloud_login_is_said(self):
        self.make_netrc("default login anonymous password guest\n")

        code, out, err = self.run_cli("-", "--cloud", input=KEY40)

        self.assertEqual(code, 0, err)
        self.assertIn("also as api.forge.coreweave.com, which wandb 0.31 asks for first", err)

    def test_status_names_the_lock_files(self):
        self.run_cli("-", "--host", "https://wandb.corp.example", input=KEY40)

        code, out, err = self.run_cli("--status")

        self.assertIn("lock files: %s.lock, %s.lock" % (self.netrc, self.global_settings),
                      err)

    def test_a_settings_file_wblogin_writes_ends_with_a_newline(self):
        self.write(self.global_settings, "[default]\nentity = lab\nbase_url = https://a.example")

        code, out, err = self.run_cli("-", "--host", "https://b.example", input=KEY40)

        self.assertEqual(code, 0, err)
        self.assertEqual(self.read(self.global_settings),
                         "[default]\nentity = lab\nbase_url = https://b.example\n")

    def test_json_usage_errors_carry_the_action_and_verify_the_email(self):
        server = self.serve()
        for args, action in ((["--status", "--bogus"], "status"),
                             (["--list", "--cloud"], "list"),
                             (["--print-key", "--timeout", "3"], "print-key")):
            with self.subTest(args=args):
                code, out, err = self.run_cli(*(args + ["--json"]))

                self.assertEqual((code, json.loads(out)["action"]), (2, action), err)
        code, out, err = self.verify(KEY40, server.url, "--json")
        self.assertEqual(json.loads(out)["email"], "ada@example.com")

    def test_host_login_says_an_unusable_wandb_base_url_still_wins(self):
        code, out, err = self.run_cli("-", "--host", "https://a.example", input=KEY40,
                                      extra_env={"WANDB_BASE_URL": "http://[::1"})

        self.assertEqual(code, 0, err)
        self.assertIn("WANDB_BASE_URL is set to http://[::1: the wandb SDK uses that server, "
                      "not https://a.example, until you unset it", err)
        self.assertIn("the stored key is not used until this is fixed: the wandb SDK stops "
                      "with an error: WANDB_BASE_URL=http://[::1 is not a URL the SDK takes "
                      "(its [IPv6] host is not closed)", err)
        self.assertEqual(self.stdlib_netrc().authenticators("a.example")[2], KEY40)


CLOUD = "https://api.wandb.ai"


# --------------------------------------------------------------------------
# Library use
# --------------------------------------------------------------------------

class TestReadmeRecipes(VerifyFixture):
    """Every command of the README's recipes, run as written by bash, in order,
    in one temporary home: `python` is this interpreter, wblogin.py sits in the
    working directory beside key.txt, and https://wandb.example.com is a
    stand-in server on 127.0.0.1 (the one change made to the text)."""

    needs_a_process = True

    def recipes(self):
        with open(os.path.join(HERE, "README.md"), encoding="utf-8") as handle:
            section = handle.read().split("\n## Recipes\n", 1)[1].split("\n## ", 1)[0]
        blocks, current = [], []
        for line in section.split("\n") + [""]:
            if line.startswith("    "):
                current.append(line[4:])
            elif current:
                blocks.append("\n".join(current) + "\n")
                current = []
        return blocks

    @unittest.skipIf(os.name == "nt" or not shutil.which("bash"), "the recipes are bash")
    def test_every_recipe_runs_as_written(self):
        server = self.serve()
        tools = os.path.join(self.tmp, "bin")
        os.mkdir(tools)
        os.symlink(sys.executable, os.path.join(tools, "python"))
        shutil.copy(SCRIPT, self.cwd)
        with open(os.path.join(self.cwd, "key.txt"), "w") as handle:
            handle.write(KEY40 + "\n")
        env = dict(self.env, PATH=tools + os.pathsep + self.env["PATH"])
        del env["NETRC"], env["WANDB_CONFIG_DIR"]       # the recipes' own defaults
        blocks = self.recipes()
        self.assertGreaterEqual(len(blocks), 5)

        # The first recipe's home cannot be written (a file stands where it would be).
        scratch = os.path.join(self.tmp, "scratch")
        os.mkdir(scratch)
        unwritable = dict(env, SCRATCH=scratch, HOME=os.path.join(self.write(
            os.path.join(self.tmp, "a-file"), ""), "home"))

        results = []
        for block in blocks:
            script = block.replace("https://wandb.example.com", server.url)
            process = subprocess.Popen(["bash", "-euo", "pipefail", "-c", script],
                                       cwd=self.cwd, stdin=subprocess.DEVNULL,
                                       env=unwritable if "SCRATCH" in block else env,
                                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            out, err = process.communicate(timeout=60)
            results.append((block, process.returncode, out.decode(), err.decode()))

        for block, code, out, err in results:
            with self.subTest(recipe=block.splitlines()[0]):
                self.assertEqual(code, 0, "%s\n%s%s" % (block, out, err))
                self.assertNoTraceback(err)
                self.assertKeyNotShown(err, KEY40)
        self.assertEqual(self.stdlib_netrc(os.path.join(scratch, "netrc")).authenticators(
            "127.0.0.1:%d" % server.port)[2], KEY40)
        self.assertIn(server.url, self.read(os.path.join(scratch, "wandb", "settings")))
        said = "".join(err for _, _, _, err in results)
        self.assertIn("switched to %s" % server.url, said)
        self.assertIn("export NETRC=", said)
        self.assertIn("as ada", said)
        self.assertIn("the SDK would send ****4567 from", "".join(
            out for _, _, out, _ in results))


class TestLibrary(Fixture):

    def test_import_is_silent_and_touches_nothing(self):
        code = ("import os, sys; before = set(sys.modules); import wblogin; "
                "print(sorted(m for m in ('argparse', 'json', 'ssl', 'urllib.request', "
                "'http.client', 'configparser', 'netrc') if m in sys.modules))")
        env = dict(self.env, PYTHONPATH=HERE)

        process = subprocess.Popen([sys.executable, "-c", code], cwd=self.cwd, env=env,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        out, err = process.communicate(timeout=30)

        self.assertEqual((decoded(out).strip(), decoded(err)), ("[]", ""))
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

    def test_find_api_key_without_a_host_asks_about_the_host_the_sdk_uses(self):
        self.write(self.global_settings, "[default]\nbase_url = https://wandb.example.com\n")
        self.make_netrc("machine wandb.example.com login user password %s\n"
                        "machine api.wandb.ai login user password %s\n" % (KEY40, KEY_V1))

        self.assertEqual(wblogin.find_api_key(env=self.env, cwd=self.cwd),
                         (KEY40, self.netrc))
        self.assertEqual(wblogin.find_api_key("api.wandb.ai", env=self.env, cwd=self.cwd),
                         (KEY_V1, self.netrc))
        for bad in (123, b"api.wandb.ai"):
            with self.subTest(host=bad):
                with self.assertRaises(wblogin.UsageError) as caught:
                    wblogin.find_api_key(bad, env=self.env, cwd=self.cwd)
                self.assertIn("must be a URL or a host name", str(caught.exception))

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

        said = io.StringIO()
        wblogin.write_netrc_key("wandb.corp.example", KEY40, path=path, env=self.env,
                                stderr=said)
        self.assertEqual(self.stdlib_netrc(path).authenticators("wandb.corp.example")[2], KEY40)
        self.assertEqual(wblogin.remove_netrc_key("https://wandb.corp.example", path=path,
                                                  stderr=said), 1)
        self.assertEqual(self.read(path), "")
        self.assertEqual(wblogin.remove_netrc_key("https://wandb.corp.example", path=path,
                                                  stderr=said), 0)
        self.assertTrue(os.path.isfile(path + ".lock"))

    def test_write_refuses_a_key_that_needs_quoting(self):
        path = os.path.join(self.tmp, "custom-netrc")

        with self.assertRaises(wblogin.InvalidKeyError):
            wblogin.write_netrc_key("https://x.example", KEY40 + " machine evil", path=path)
        self.assertFalse(os.path.exists(path))

    def test_find_api_key_reads_a_surrogate_escaped_variable_as_utf8(self):
        # What Python 3.6 hands over in the C locale for a UTF-8 value; the SDK's
        # Python reads the variable as UTF-8.
        key = "A" * 20 + "\u00c5" + "A" * 20
        escaped = key.encode("utf-8").decode("ascii", "surrogateescape")
        not_utf8 = "A" * 20 + "\udcff" + "A" * 20

        found = wblogin.find_api_key(env=dict(self.env, WANDB_API_KEY=escaped),
                                     cwd=self.cwd, stderr=io.StringIO())
        with self.assertRaises(wblogin.LoginError) as caught:
            wblogin.find_api_key(env=dict(self.env, WANDB_API_KEY=not_utf8), cwd=self.cwd,
                                 stderr=io.StringIO())

        self.assertEqual(found, (key, "WANDB_API_KEY"))
        self.assertIn("the API key in WANDB_API_KEY is not usable", str(caught.exception))

    def test_find_api_key_raises_where_the_sdk_would_stop(self):
        self.make_netrc("machine api.wandb.ai login user password %s\n" % KEY40)

        with self.assertRaises(wblogin.LoginError) as caught:
            wblogin.find_api_key(env=dict(self.env, WANDB_API_KEY="not a key"),
                                 cwd=self.cwd, stderr=io.StringIO())

        self.assertIn("WANDB_API_KEY is not usable", str(caught.exception))
        self.assertIn("fix or unset WANDB_API_KEY", str(caught.exception))



class TestCloudKeyStoredThroughForge(Fixture):
    """wandb 0.31+ stores the cloud's key for api.forge.coreweave.com.

    For the public cloud, wandb 0.31's default server is CoreWeave's Forge
    (https://api.forge.coreweave.com); wblogin answers as it does:

    | the cloud with no host named (or --cloud), a Forge entry | it supplies the key; named as
      --host https://api.wandb.ai, the cloud is asked for by that name alone
      | test_a_forge_entry_supplies_the_key_for_the_cloud |
    | entries for Forge and for api.wandb.ai | Forge's wins: the SDK asks for it first, and for
      api.wandb.ai only when there is nothing for Forge
      | test_the_forge_entry_wins_because_the_sdk_asks_for_it_first |
    | a Forge entry, and another server | never sent there
      | test_a_forge_entry_is_not_sent_to_any_other_server |
    | a store for the cloud | one api.wandb.ai entry, which every SDK reads, when that is enough; a
      Forge entry gets the key too when there is one, or a default entry that wandb 0.31 would send
      instead
      | test_storing_for_the_cloud_writes_one_entry_when_that_is_enough,
        test_storing_for_the_cloud_replaces_a_forge_entry_too,
        test_storing_for_the_cloud_beside_a_default_entry_writes_forge_too |
    """

    def test_a_forge_entry_supplies_the_key_for_the_cloud(self):
        self.make_netrc("""\
            machine api.forge.coreweave.com
              login user
              password %s
            """ % KEY40)

        found = wblogin.find_api_key(None, env=self.env, cwd=self.cwd)
        named = wblogin.find_api_key(wblogin.CLOUD_URL, env=self.env, cwd=self.cwd)

        self.assertEqual(found, (KEY40, self.netrc))
        # Named as https://api.wandb.ai, the cloud is asked for by that name
        # alone, as `wandb login --host https://api.wandb.ai` does.
        self.assertEqual(named, (None, None))

    def test_the_forge_entry_wins_because_the_sdk_asks_for_it_first(self):
        self.make_netrc("""\
            machine api.wandb.ai login user password %s
            machine api.forge.coreweave.com login user password %s
            """ % (KEY_V1, KEY40))

        found = wblogin.find_api_key(None, env=self.env, cwd=self.cwd)
        named = wblogin.find_api_key(wblogin.CLOUD_URL, env=self.env, cwd=self.cwd)

        self.assertEqual(found, (KEY40, self.netrc))
        self.assertEqual(named, (KEY_V1, self.netrc))

    def test_storing_for_the_cloud_writes_one_entry_when_that_is_enough(self):
        code, out, err = self.run_cli("-", "--cloud", input=KEY40)

        self.assertEqual(code, 0, err)
        self.assertEqual(self.read(self.netrc), ENTRY)

    def test_storing_for_the_cloud_replaces_a_forge_entry_too(self):
        self.make_netrc("machine api.forge.coreweave.com login user password %s\n"
                        % KEY_V1)

        code, out, err = self.run_cli("-", "--cloud", input=KEY40)

        self.assertEqual(code, 0, err)
        self.assertEqual(self.read(self.netrc), netrc_entry(
            "api.forge.coreweave.com", KEY40) + ENTRY)
        self.assertEqual(self.run_cli("--print-key")[1], KEY40 + "\n")

    def test_storing_for_the_cloud_beside_a_default_entry_writes_forge_too(self):
        # wandb 0.31 asks for Forge's name first and would get `default`.
        before = "default login anonymous password %s\n" % KEY_V1
        self.make_netrc(before)

        code, out, err = self.run_cli("-", "--cloud", input=KEY40)

        self.assertEqual(code, 0, err)
        self.assertEqual(self.read(self.netrc), ENTRY + netrc_entry(
            "api.forge.coreweave.com", KEY40) + before)
        self.assertEqual(self.run_cli("--print-key")[1], KEY40 + "\n")

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
    version = decoded(out).strip()
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

    What it shows, and what it found about the SDK besides the lookup rules (TestLookupOrder and
    the classes it names):

    | a key wblogin stored for 127.0.0.1:PORT | the SDK's own lookup finds the host and the key;
      wandb 0.22.3-0.23.x look netrc entries up without the port, so this class needs 0.24
      (_OLDEST_SDK)
      | test_sdk_finds_the_host_and_key_that_wblogin_stored |
    | a JWT key wblogin stored | wandb 0.24-0.25 refuse JWT keys, even from the netrc; checked from
      0.26 (_FIRST_SDK_WITH_JWT)
      | test_sdk_finds_the_host_and_key_that_wblogin_stored |
    | wandb login --verify after wblogin stored | succeeds, also for a server behind a path prefix;
      fails when the server rejects the key
      | test_wandb_login_verify_succeeds_with_what_wblogin_stored,
        test_wandb_login_verify_finds_a_key_for_a_server_behind_a_path_prefix,
        test_wandb_login_verify_fails_when_the_server_rejects_what_wblogin_stored |
    | wandb login --host URL KEY, or --cloud (Forge's entry in 0.31) | wblogin --status finds the
      host and the key, and --verify accepts it
      | test_wblogin_status_finds_what_wandb_login_stored,
        test_wblogin_verify_accepts_what_wandb_login_stored,
        test_wblogin_finds_the_key_that_wandb_login_cloud_stored |
    | each tool replacing the other's entry | one entry, which both read
      | test_wandb_replacing_a_wblogin_entry_leaves_one_entry_both_read,
        test_wblogin_replacing_a_wandb_entry_leaves_one_entry_both_read |
    | wblogin --cloud after wandb login --host | the base_url wandb wrote is cleared; the SDK goes
      to the cloud
      | test_wblogin_cloud_clears_the_base_url_that_wandb_wrote |
    | wandb login and wblogin at once | every entry that was there is kept (the SDK empties the
      netrc, then writes it, without a lock; it may drop what wblogin stored meanwhile, which is
      counted)
      | test_wandb_login_and_wblogin_at_once_lose_no_entry |
    | the same login through both tools | files that mean the same
      | test_the_same_login_through_both_tools_leaves_files_that_mean_the_same |
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
        return process.returncode, decoded(out), decoded(err)

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
        entries = wblogin.parse_netrc(self.read(path)).entries
        return sum(1 for name, _, _, default in entries
                   if name == machine and not default)

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

    def test_wandb_login_and_wblogin_at_once_lose_no_entry(self):
        # The SDK rewrites the netrc in place (it empties the file, then writes
        # it) and takes no lock; wblogin 1.1 that read inside that window wrote
        # the empty file back with its one entry. Here both run at once.
        import threading
        keep = dict(("keep-%03d.example" % n, "%s%03d" % (KEY40[:37], n)) for n in range(300))
        self.make_netrc("".join("machine %s\n  login user\n  password %s\n" % item
                                for item in sorted(keep.items())))
        sdk_hosts = ["sdk-%d.example" % n for n in range(4)]
        done, results = threading.Event(), []

        def wblogin_logins():
            number = 0
            while not done.is_set() or number < 6:
                results.append(self.run_cli(KEY_LOCAL, "--host", "https://wbl-%d.example"
                                            % number))
                number += 1
        thread = threading.Thread(target=wblogin_logins)
        thread.start()
        try:
            sdk = [self.run_wandb("login", "--no-verify", "--host", "http://" + host,
                                  OTHER_KEY) for host in sdk_hosts]
        finally:
            done.set()
            thread.join()

        hosts = self.machines(self.netrc)
        self.assertEqual([(name, hosts.get(name, (0, 0, None))[2]) for name in sorted(keep)],
                         sorted(keep.items()))
        for (code, out, err), host in zip(sdk, sdk_hosts):
            self.assertEqual(code, 0, out + err)
            self.assertEqual(hosts[host][2], OTHER_KEY)
        self.assertEqual([code for code, _, _ in results], [0] * len(results))
        kept = sum(1 for n in range(len(results)) if "wbl-%d.example" % n in hosts)
        sys.stderr.write("\n  %d of %d entries wblogin stored beside %d wandb logins "
                         "survived them (the SDK writes back what it read before)\n"
                         % (kept, len(results), len(sdk)))

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


# --------------------------------------------------------------------------
# The wandb SDK as the oracle for lookups
# --------------------------------------------------------------------------

_ORACLE_SEED = 20261125
_ORACLE_COUNT = 150
# Other configurations, or some of them again (negative: the kept ones below):
#   WBLOGIN_ORACLE_SEED=7 WBLOGIN_ORACLE_COUNT=400 python -m unittest \
#       test_wblogin.TestSDKOracle
#   WBLOGIN_ORACLE_SEED=20261125 WBLOGIN_ORACLE_CASES=17,42,-1 python -m unittest ...
_ORACLE_SEED_ENV = "WBLOGIN_ORACLE_SEED"
_ORACLE_COUNT_ENV = "WBLOGIN_ORACLE_COUNT"
_ORACLE_CASES_ENV = "WBLOGIN_ORACLE_CASES"
_ORACLE_WORKERS = 2
# Configurations also run through the real `wandb` command, to show that the
# zygote below runs the SDK as the command does.
_ORACLE_FIDELITY_CASES = 5
_ORACLE_OTHER_URL = "http://other.example:8080"
_ORACLE_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

# The SDK started once per worker: it imports wandb and its CLI (about 1 s),
# then for each job forks a child that takes the job's environment, working
# directory and arguments and runs `wandb ARGS` as the console script does,
# its stdin on /dev/null and its output in the job's file. A fresh `wandb`
# process per login costs about 1.2 s; a forked child about 0.3 s. The zygote
# starts no thread (FakeWandb runs in the test process), so fork is safe.
# Protocol: one JSON job per line on stdin, one JSON answer per line on the
# zygote's own copy of stdout (anything wandb prints while importing goes to
# stderr instead).
_SDK_ZYGOTE = r'''
import json, os, signal, sys, time
replies = os.fdopen(os.dup(1), "w")
os.dup2(2, 1)
import atexit, tempfile, threading, traceback
import wandb
from wandb.cli import cli
import wandb.sdk.wandb_login, wandb.sdk.lib.wbauth, netrc, configparser
try:
    import wandb.apis.public.service_api
except Exception:
    pass
# The zygote's exit hooks (a temporary folder wandb made while importing,
# logging) are not the children's to run; each child runs only its own.
if hasattr(atexit, "_clear"):
    atexit._clear()
replies.write(json.dumps({"ready": True, "threads": threading.active_count(),
                          "wandb": wandb.__version__}) + "\n")
replies.flush()


def child(job):
    os.setsid()
    os.environ.clear()
    os.environ.update(job["env"])
    os.chdir(job["cwd"])
    null = os.open(os.devnull, os.O_RDONLY)
    out = os.open(job["out"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(null, 0)
    os.dup2(out, 1)
    os.dup2(out, 2)
    os.close(null)
    os.close(out)
    # What a fresh `wandb` process would compute from its own environment.
    tempfile.tempdir = None
    cli._wandb_dir = cli._get_wandb_dir(wandb.env.get_dir())
    if not os.path.exists(cli._wandb_dir) or not os.access(cli._wandb_dir, os.W_OK):
        cli._wandb_dir = tempfile.gettempdir()
    cli._wandb_log_path = os.path.join(cli._wandb_dir,
                                       "debug-cli.%s.log" % cli._username)
    code = 0
    try:
        cli.cli.main(args=job["argv"], prog_name="wandb", standalone_mode=True)
    except SystemExit as e:
        if e.code is None:
            code = 0
        elif isinstance(e.code, int):
            code = e.code
        else:
            sys.stderr.write("%s\n" % (e.code,))
            code = 1
    except BaseException:
        traceback.print_exc()
        code = 1
    try:
        atexit._run_exitfuncs()  # the wandb-core service's teardown
        sys.stdout.flush()
        sys.stderr.flush()
    except BaseException:
        pass
    os._exit(code & 0xFF)


for line in sys.stdin:
    job = json.loads(line)
    sys.stdout.flush()
    sys.stderr.flush()
    started = time.time()
    pid = os.fork()
    if pid == 0:
        try:
            child(job)
        finally:
            os._exit(70)
    deadline = started + job["timeout"]
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if time.time() > deadline:
            for kill in (os.killpg, os.kill):
                try:
                    kill(pid, signal.SIGKILL)
                except OSError:
                    pass
            os.waitpid(pid, 0)
            status = None
            break
        time.sleep(0.005)
    try:  # a wandb-core left behind in the child's session
        os.killpg(pid, signal.SIGKILL)
    except OSError:
        pass
    if status is None:
        code = None
    elif os.WIFEXITED(status):
        code = os.WEXITSTATUS(status)
    else:
        code = -os.WTERMSIG(status)
    replies.write(json.dumps({"code": code, "seconds": time.time() - started}) + "\n")
    replies.flush()
'''


class _SDKZygote(object):
    """One long-lived SDK process that runs `wandb ARGS` jobs in forked children."""

    def __init__(self, env, cwd, timeout=120):
        self.process = subprocess.Popen(
            [sys.executable, "-c", _SDK_ZYGOTE], env=env, cwd=cwd,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.errors = tempfile.TemporaryFile()
        self._pending = b""
        try:
            hello = json.loads(self._read_line(time.time() + timeout))
        except Exception:
            self.stop()
            raise
        if hello.get("threads") != 1:
            self.stop()
            raise RuntimeError("the SDK zygote has %s threads after importing "
                               "wandb: forking it is not safe" % hello.get("threads"))
        self.version = hello["wandb"]

    def _read_line(self, deadline):
        """The zygote's next answer; its stderr is kept aside for a failure."""
        import select
        stdout = self.process.stdout.fileno()
        streams = [stdout, self.process.stderr.fileno()]
        while b"\n" not in self._pending:
            left = deadline - time.time()
            if left <= 0:
                raise RuntimeError("the SDK zygote did not answer in time")
            ready, _, _ = select.select(streams, [], [], left)
            for fd in ready:
                chunk = os.read(fd, 65536)
                if fd != stdout:
                    if not chunk:
                        streams.remove(fd)
                    self.errors.write(chunk)
                elif chunk:
                    self._pending += chunk
                else:
                    self.errors.seek(0)
                    raise RuntimeError("the SDK zygote exited: %s" % self.errors.read(
                        ).decode("utf-8", "replace")[-2000:])
        line, _, self._pending = self._pending.partition(b"\n")
        return line.decode()

    def run(self, argv, env, cwd, out, timeout=60):
        """Run `wandb ARGV` in a child: (exit code or None on timeout, output)."""
        job = {"argv": list(argv), "env": env, "cwd": cwd, "out": out,
               "timeout": timeout}
        try:
            self.process.stdin.write((json.dumps(job) + "\n").encode())
            self.process.stdin.flush()
            answer = json.loads(self._read_line(time.time() + timeout + 30))
        except Exception:
            # Out of step with the zygote: no later job may read this answer.
            self.process.kill()
            raise
        with open(out, "rb") as handle:
            output = handle.read().decode("utf-8", "replace")
        return answer["code"], output

    def stop(self):
        if self.process.poll() is None:
            try:
                self.process.stdin.close()
            except OSError:
                pass
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        for stream in (self.process.stdin, self.process.stdout, self.process.stderr,
                       self.errors):
            try:
                stream.close()
            except OSError:
                pass


# -- generated configurations ----------------------------------------------

def _oracle_key(rnd, tag):
    """A key the SDK accepts, naming its place (`tag`) so a report reads easily."""
    body = "".join(rnd.choice(_ORACLE_LETTERS) for _ in range(rnd.randint(40, 70)))
    shape = rnd.random()
    if shape < 0.15:
        return "local-%s%s" % (tag, body[:40])
    if shape < 0.35:
        return "wandb_v1_%s_%s" % (tag, body)
    return "%s_%s" % (tag, body[:rnd.randint(40, 50)])


def _oracle_bad_key(rnd, tag):
    """A key the SDK refuses by its format."""
    return rnd.choice([
        tag + "short",
        tag + "x" * (39 - len(tag)),
        "%s!%s" % (tag, "b" * 44),
        "local-" + tag + "c" * (39 - len(tag)),
    ])


def _oracle_choice(rnd, table):
    """Pick from [(weight, value), ...]."""
    point = rnd.random() * sum(weight for weight, _ in table)
    for weight, value in table:
        point -= weight
        if point < 0:
            return value
    return table[-1][1]


class _OracleCase(object):
    """One generated configuration: environment, files and where each key sits.

    Texts hold @URL@ and @NETLOC@ for the stand-in server's URL and netloc,
    which are known only when a worker runs the case. Paths are relative to
    the case's own folder: home/ (HOME), work/ (the working directory),
    ws/ (WANDB_DIR, when set), cfg/ (WANDB_CONFIG_DIR, when set).
    """

    def __init__(self, seed, index, kept=None):
        self.seed = seed
        self.index = index
        self.env = {}
        self.unset = []
        self.files = {}
        self.keys = {}        # key -> (kind of place, file) where it was put
        self.features = []
        self.unknown_keys = set()  # valid keys the stand-in server rejects
        if kept is None:
            self._generate(random.Random("wblogin-oracle:%d:%d" % (seed, index)))
            return
        name, spec = kept
        self.features = [name]
        self.host = spec.get("host", "@URL@")     # None: no --host at all
        self.writes = spec.get("writes", True)
        self.env = dict(NETRC="@ROOT@/home/.netrc", WANDB_CONFIG_DIR="@ROOT@/cfg",
                        WANDB_DIR="@ROOT@/work")
        self.env.update(spec.get("env", {}))
        self.netrc_path, self.global_path = "home/.netrc", "cfg/settings"
        self.workspace_path = self.env["WANDB_DIR"][len("@ROOT@/"):] + "/wandb/settings"
        self.files = dict((path, text.encode()) for path, text in spec["files"].items())
        self.keys = dict(spec["keys"])
        self.new_key = "keptnew_" + "N" * 40
        self.keys[self.new_key] = ("stored by wblogin", None)
        self.store_from_stdin = True

    # -- where things live ---------------------------------------------

    def _paths(self, rnd):
        netrc = _oracle_choice(rnd, [(77, "env"), (8, "tilde"), (7, "home"),
                                     (5, "underscore"), (2, "device"), (1, "folder")])
        self.netrc_path = {"env": "home/.netrc", "tilde": "home/alt netrc",
                           "home": "home/.netrc", "underscore": "home/_netrc",
                           "device": os.devnull, "folder": "home/netrc.d"}[netrc]
        if netrc == "env":
            self.env["NETRC"] = "@ROOT@/home/.netrc"
        elif netrc == "folder":
            self.env["NETRC"] = "@ROOT@/home/netrc.d"
            self.files["home/netrc.d/.keep"] = b""
            self.features.append("NETRC is a folder")
        elif netrc == "device":
            # A common way to switch the netrc off; never to be replaced.
            self.env["NETRC"] = os.devnull
            self.features.append("NETRC=" + os.devnull)
        elif netrc == "tilde":
            self.env["NETRC"] = "~/alt netrc"
            self.features.append("NETRC=~/...")
        else:
            self.unset.append("NETRC")
            self.features.append("NETRC unset, %s" % self.netrc_path)
        if rnd.random() < 0.85:
            self.env["WANDB_CONFIG_DIR"] = "@ROOT@/cfg"
            self.global_path = "cfg/settings"
        else:
            self.unset.append("WANDB_CONFIG_DIR")
            self.global_path = "home/.config/wandb/settings"
            self.features.append("WANDB_CONFIG_DIR unset")
        # WANDB_DIR names the workspace folder wblogin reads; wandb 0.31 reads
        # the settings files before it applies the environment, so it reads
        # <cwd>/wandb/settings whatever WANDB_DIR says (and writes WANDB_DIR's).
        workspace = _oracle_choice(rnd, [(45, "ws"), (25, "same"), (15, "cwd"),
                                         (8, "dot"), (7, "ws dot")])
        root = "ws" if workspace in ("ws", "ws dot") else "work"
        if workspace == "cwd" or workspace == "dot":
            self.unset.append("WANDB_DIR")
            self.features.append("WANDB_DIR unset")
        else:
            self.env["WANDB_DIR"] = "@ROOT@/" + root
            if root == "ws":
                self.features.append("WANDB_DIR is not the working directory")
        dot = workspace in ("dot", "ws dot")
        self.workspace_path = "%s/%s/settings" % (root, ".wandb" if dot else "wandb")
        if dot:
            self.files[root + "/.wandb/.keep"] = b""
            self.features.append("%s/.wandb" % root)

    # -- the generator -----------------------------------------------

    def _generate(self, rnd):
        self.writes = True
        self._paths(rnd)
        self.host = _oracle_choice(rnd, [(88, "@URL@"), (8, "@URL@/"),
                                         (4, "@UPPERURL@")])
        if self.host != "@URL@":
            self.features.append("--host " + self.host)

        api_key = _oracle_choice(rnd, [(62, None), (20, "key"), (5, "empty"),
                                       (4, "spaces"), (6, "bad"), (3, "jwt")])
        if api_key == "key":
            self.env["WANDB_API_KEY"] = self._key(rnd, "env", "WANDB_API_KEY")
        elif api_key == "empty":
            self.env["WANDB_API_KEY"] = ""
        elif api_key == "spaces":
            key = self._key(rnd, "envsp", "WANDB_API_KEY (with spaces)")
            self.env["WANDB_API_KEY"] = rnd.choice([" %s", "%s\n", "\t%s  "]) % key
        elif api_key == "bad":
            self.env["WANDB_API_KEY"] = _oracle_bad_key(rnd, "envbad")
        elif api_key == "jwt":
            self.env["WANDB_API_KEY"] = self._jwt(rnd, "WANDB_API_KEY")
        if api_key:
            self.features.append("WANDB_API_KEY %s" % api_key)

        if rnd.random() < 0.07:
            token = _oracle_choice(rnd, [(70, "file"), (15, "missing"), (15, "empty")])
            self.env["WANDB_IDENTITY_TOKEN_FILE"] = ("" if token == "empty"
                                                     else "@ROOT@/home/token.jwt")
            if token == "file":
                self.files["home/token.jwt"] = self._jwt(rnd, "token").encode()
            self.features.append("WANDB_IDENTITY_TOKEN_FILE " + token)

        if rnd.random() < 0.06:
            variable, good, bad = rnd.choice(_ORACLE_TYPED_ENV)
            self.env[variable] = rnd.choice(good if rnd.random() < 0.5 else bad)
            self.features.append("%s=%r%s" % (variable, self.env[variable], ""
                                              if self.env[variable] in good
                                              else " (refused)"))

        base_url = _oracle_choice(rnd, [(60, None), (18, "@URL@"), (4, "@URL@/"),
                                        (2, "@URL@//"), (2, "@UPPERURL@"),
                                        (10, _ORACLE_OTHER_URL),
                                        (2, _ORACLE_OTHER_URL + "/"), (2, "")])
        if base_url is not None:
            self.env["WANDB_BASE_URL"] = base_url
            self.features.append("WANDB_BASE_URL %r" % base_url)

        if rnd.random() < 0.6:
            self.files[self.global_path] = self._settings(rnd, self.global_path, "g")
        if rnd.random() < 0.4:
            self.files[self.workspace_path] = self._settings(rnd, self.workspace_path,
                                                             "w")
        if not self.workspace_path.startswith("work/") and rnd.random() < 0.15:
            # The working directory's own wandb/settings, beside WANDB_DIR's.
            self.files["work/wandb/settings"] = (
                "[default]\nbase_url = @URL@\napi_key = %s\n"
                % self._key(rnd, "cwdws", "settings", "work/wandb/settings")).encode()
            self.features.append("work/wandb/settings beside WANDB_DIR's")

        if rnd.random() < 0.8 and self.netrc_path not in (os.devnull, "home/netrc.d"):
            self.files[self.netrc_path] = self._netrc(rnd, self.netrc_path)
            if self.netrc_path != "home/.netrc" and rnd.random() < 0.3:
                self.files["home/.netrc"] = (
                    "machine @NETLOC@ login user password %s\n"
                    % self._key(rnd, "dotnrc", "netrc", "home/.netrc")).encode()
                self.features.append("a ~/.netrc too")

        self.new_key = self._key(rnd, "stored", "stored by wblogin")
        self.store_from_stdin = rnd.random() < 0.5

    def _key(self, rnd, tag, kind, where=None):
        """A new valid key, remembered as put in `kind` (of file `where`)."""
        key = _oracle_key(rnd, tag)
        self.keys[key] = (kind, where)
        if rnd.random() < 0.08:
            self.unknown_keys.add(key)
        return key

    def _jwt(self, rnd, kind):
        def segment():
            return "".join(rnd.choice(_ORACLE_LETTERS + "-_")
                           for _ in range(rnd.randint(8, 30)))
        token = "eyJ%s.eyJ%s.%s" % (segment(), segment(), segment())
        self.keys[token] = (kind, None)
        return token

    # -- settings files ----------------------------------------------

    def _settings(self, rnd, where, tag):
        """An INI text as configparser reads it, in one of many shapes."""
        features = []
        url = _oracle_choice(rnd, [(52, "@URL@"), (8, "@URL@/"), (2, "@URL@//"),
                                   (3, "@UPPERURL@"), (2, "@URL@ # mine"),
                                   (28, _ORACLE_OTHER_URL),
                                   (5, _ORACLE_OTHER_URL + "/")])
        if url not in ("@URL@", _ORACLE_OTHER_URL):
            features.append("base_url %r" % url)
        options = []  # (name, value) in [default]
        defaults = []  # in [DEFAULT]
        if rnd.random() < 0.7:
            kind = _oracle_choice(rnd, [(84, "key"), (5, "bad"), (3, "empty"),
                                        (3, "two lines"), (3, "on the next line"),
                                        (2, "inline comment")])
            if kind == "key":
                value = self._key(rnd, tag + "set", "settings", where)
            elif kind == "bad":
                value = _oracle_bad_key(rnd, tag + "bad")
            elif kind == "empty":
                value = ""
            elif kind == "two lines":
                value = self._key(rnd, tag + "two", "settings", where) + "\n  more"
            elif kind == "on the next line":
                value = "\n  " + self._key(rnd, tag + "nxt", "settings", where)
            else:
                value = self._key(rnd, tag + "cmt", "settings", where) + "  ; mine"
            if kind != "key":
                features.append("api_key " + kind)
            (defaults if rnd.random() < 0.15 else options).append(("api_key", value))
        if rnd.random() < 0.6:
            (defaults if rnd.random() < 0.15 else options).append(("base_url", url))
        if rnd.random() < 0.5:
            options.append(("entity", rnd.choice(["lab", "ada-team", "h\u00e5kon"])))
        if rnd.random() < 0.3:
            value = rnd.choice(["demo", "demo\n  second line", "demo\n\n  after blank"])
            options.append(("project", value))
            if "\n" in value:
                features.append("continuation line")
        if rnd.random() < 0.04:
            options.append(("foo", "1"))
            features.append("unknown option")
        if rnd.random() < 0.08:
            option, good, bad = rnd.choice(_ORACLE_TYPED)
            value = rnd.choice(good if rnd.random() < 0.5 else bad)
            options.append((option, value))
            features.append("%s = %r%s" % (option, value, "" if value in good
                                            else " (refused)"))
        if rnd.random() < 0.03:
            options.append((rnd.choice(["entity", "project"]), "100%"))
            features.append("% in a value")
        if rnd.random() < 0.04 and options:
            options.append((options[0][0], options[0][1].split("\n")[0]))
            features.append("duplicate option")
        rnd.shuffle(options)

        header = _oracle_choice(rnd, [(80, "[default]"), (10, "[default]  ; mine"),
                                      (4, "[default] # x"), (6, None)])
        if header is None:
            features.append("no [default]")
        elif header != "[default]":
            features.append("header " + header)
        sections = []
        if defaults or rnd.random() < 0.05:
            sections.append(("[DEFAULT]", defaults or [("entity", "lab")]))
            features.append("[DEFAULT]")
        if header is not None:
            sections.append((header, options))
        elif options and not defaults:
            sections.append(("[other]", options))
        if rnd.random() < 0.12:
            other = [("api_key", self._key(rnd, tag + "oth", "another section", where))]
            if rnd.random() < 0.3:
                other.append(("note", "50%"))
            sections.append(("[other]", other))
            features.append("[other] section")
        if rnd.random() < 0.03 and header is not None:
            sections.append((header, [("project", "again")]))
            features.append("duplicate section")
        rnd.shuffle(sections)

        lines = []
        if rnd.random() < 0.3:
            lines.append(rnd.choice(["# wandb settings \u00c5", "# written by hand",
                                     "; \u0445\u043e\u0440\u043e\u0448\u043e"]))
        if rnd.random() < 0.02:
            lines.append("stray = before any section")
            features.append("option before a section")
        upper = rnd.random() < 0.1
        separator = rnd.choice(["=", " = ", ": ", " : ", "= ", " =  "])
        if upper:
            features.append("upper-case names")
        if separator.strip() == ":":
            features.append("':'")
        for name, body in sections:
            if lines and rnd.random() < 0.5:
                lines.append("")
            lines.append(name)
            for option, value in body:
                if rnd.random() < 0.1:
                    lines.append(rnd.choice(["# \u00c5ngstr\u00f6m", "; note \u0445",
                                             "  # indented comment"]))
                if upper:
                    option = rnd.choice([option.upper(), option.title()])
                text = option + separator + value
                lines.extend(text.split("\n"))
        if rnd.random() < 0.02:
            lines.append("just some words")
            features.append("line that is not an option")
        if rnd.random() < 0.2:
            lines.append("")
        newline = _oracle_choice(rnd, [(80, "\n"), (14, "\r\n"), (6, "\r")])
        if newline != "\n":
            features.append(repr(newline) + " line ends")
        text = newline.join(lines) + (newline if rnd.random() < 0.9 else "")
        self.features.append("%s: %s" % (where, ", ".join(features) or "plain"))
        return text.encode("utf-8")

    # -- the netrc file -------------------------------------------------

    def _netrc(self, rnd, where):
        """A netrc text with the odd content real files have."""
        features = []
        chunks = []  # each a list of lines; the last line may take a comment

        def entry(machine, login, password, layout):
            if layout == "quoted":
                machine, login = '"%s"' % machine, '"%s"' % login
                if password is not None and not password.startswith('"'):
                    password = '"%s"' % password
            fields = []
            if login is not None and layout != "no login":
                fields.append(("login", login))
            if layout == "account":
                fields.append(("account", "acct"))
            if password is not None:
                fields.append(("password", password))
            if layout == "password first":
                fields.reverse()
            if layout == "port":
                fields.insert(1, ("port", "21"))
            if layout in ("line", "quoted", "account", "no login", "password first",
                          "port"):
                words = ["machine %s" % machine] + ["%s %s" % f for f in fields]
                return [" ".join(words)]
            if layout == "tabs":
                return ["machine\t%s" % machine] + ["\t%s\t%s" % f for f in fields]
            lines = ["machine %s" % machine] + ["  %s %s" % f for f in fields]
            if layout == "blank then comment":
                lines.insert(len(lines) - 1, "")
                lines.insert(len(lines) - 1, "  # the key")
            elif layout == "comment inside":
                lines.insert(len(lines) - 1, "  # the key")
            return lines

        layouts = [(30, "lines"), (22, "line"), (8, "tabs"), (8, "quoted"),
                   (5, "account"), (5, "password first"), (5, "no login"),
                   (4, "comment inside"), (3, "blank then comment"), (3, "port")]
        hosts = _oracle_choice(rnd, [(35, 0), (50, 1), (15, 2)])
        for _ in range(hosts):
            layout = _oracle_choice(rnd, layouts)
            password = _oracle_choice(rnd, [(85, "key"), (7, "bad"), (5, "none"),
                                            (3, "empty")])
            if password == "key":
                value = self._key(rnd, "nrc", "netrc", where)
            elif password == "bad":
                value = _oracle_bad_key(rnd, "nrcbad")
            elif password == "empty":
                value = '""'
            else:
                value = None
            if password != "key":
                features.append("host entry password %s" % password)
            if layout != "lines":
                features.append(layout)
            chunks.append(entry("@NETLOC@", "user", value, layout))
        if hosts == 2:
            features.append("two entries for the host")

        for _ in range(_oracle_choice(rnd, [(45, 0), (35, 1), (20, 2)])):
            machine = rnd.choice(["git.example.org", "127.0.0.1", "localhost:@PORT@",
                                  "127.0.0.1:1", "other.example:8080", "api.wandb.ai"])
            if rnd.random() < 0.15:
                password = "hun\\ ter2"
                features.append("escaped space")
            else:
                password = self._key(rnd, "oth", "another machine", where)
            chunks.append(entry(machine, "me", password,
                                _oracle_choice(rnd, [(3, "line"), (3, "lines"),
                                                     (1, "tabs")])))
        if rnd.random() < 0.2:
            body = ["cd /pub", "bin"]
            if rnd.random() < 0.5:
                body.append("machine @NETLOC@ login user password %s"
                            % self._key(rnd, "mac", "a macdef body", where))
            chunks.append(["macdef init"] + body + [""])
            features.append("macdef")
        rnd.shuffle(chunks)
        if rnd.random() < 0.25:
            default = _oracle_choice(rnd, [(70, "key"), (20, "bad"), (10, "none")])
            if default == "key":
                password = self._key(rnd, "dflt", "netrc default", where)
            elif default == "bad":
                password = "anonymous@"
            else:
                password = None
            lines = entry("default", "anonymous", password, "line")
            lines[0] = lines[0].replace("machine default", "default")
            # Usually last, as the format asks; Python reads it anywhere.
            chunks.insert(len(chunks) if rnd.random() < 0.8
                          else rnd.randint(0, len(chunks)), lines)
            features.append("default entry" + ("" if default == "key"
                                               else " password " + default))

        lines = []
        if rnd.random() < 0.25:
            spot = _oracle_choice(rnd, [(70, "first"), (30, "after a blank")])
            lines.extend(["", "# my netrc"] if spot != "first" else ["# my netrc"])
            features.append("comment " + spot)
        if rnd.random() < 0.06:
            lines.append("#mine")
            features.append("#word at the top")
        for chunk in chunks:
            chunk = list(chunk)
            if chunk[0].startswith("macdef"):
                lines.extend(chunk)
                continue
            spot = rnd.random()
            if spot < 0.1:
                chunk[-1] += "  # trailing"
                features.append("trailing comment")
            elif spot < 0.16:
                chunk.append("# own line after the entry")
                features.append("comment line after an entry")
            elif spot < 0.2:
                chunk.extend(["", "# after a blank line"])
                features.append("comment after a blank line")
            if rnd.random() < 0.3:
                chunk.append("")
            lines.extend(chunk)
        if rnd.random() < 0.04 and lines:
            lines[rnd.randint(0, len(lines) - 1)] += ' password "open'
            features.append("quote left open")
        newline = _oracle_choice(rnd, [(75, "\n"), (15, "\r\n"), (10, "\r")])
        if newline != "\n":
            features.append(repr(newline) + " line ends")
        text = newline.join(lines)
        if rnd.random() < 0.9:
            text += newline
        else:
            features.append("no final newline")
        data = text.encode("utf-8")
        if rnd.random() < 0.02:
            data = b"# caf\xe9 (latin-1)\n" + data
            features.append("not UTF-8")
        self.features.append("%s: %s" % (where, ", ".join(features) or "plain"))
        return data

    # -- running it ----------------------------------------------------

    def render(self, root, url, port):
        """Make the case's folder under `root`: (env additions, unset names, cwd)."""
        netloc = url.split("://", 1)[1]
        for folder in ("home", "work", "ws", "tmp"):
            os.makedirs(os.path.join(root, folder))
        for relative, data in sorted(self.files.items()):
            path = os.path.join(root, relative)
            if not os.path.isdir(os.path.dirname(path)):
                os.makedirs(os.path.dirname(path))
            with open(path, "wb") as handle:
                handle.write(self.fill(data, root, url, netloc, port))
            os.chmod(path, 0o600)
            settled(path)
        env = dict((name, self.fill(value, root, url, netloc, port))
                   for name, value in self.env.items())
        return env, os.path.join(root, "work")

    @staticmethod
    def fill(text, root, url, netloc, port):
        pairs = [("@URL@", url), ("@UPPERURL@", url.upper()), ("@NETLOC@", netloc),
                 ("@PORT@", str(port)), ("@ROOT@", root)]
        for old, new in pairs:
            if isinstance(text, bytes):
                text = text.replace(old.encode(), new.encode())
            else:
                text = text.replace(old, new)
        return text

    def expected_source(self, key, root, netrc=None):
        """The key_source wblogin must report for `key`; None: never sent.

        Each generated key sits in one place only, so the key the SDK sends
        tells where it took it from. `netrc`: where wblogin stored its key.
        """
        kind, where = self.keys.get(key, (None, None))
        if kind == "stored by wblogin":
            return netrc
        if kind == "WANDB_API_KEY":
            return kind
        if kind in ("netrc", "settings"):
            return os.path.join(root, where)
        if kind == "netrc default":
            return os.path.join(root, where) + " (default entry)"
        return None

    def describe(self, root=None, url=None, port=None):
        """The whole configuration, as text to replay it from."""
        def show(text):
            if text is None:
                return "(none)"
            if root:
                text = self.fill(text, root, url, url.split("://", 1)[1], port)
            return text
        if self.seed is None:
            lines = ["kept configuration %d (replay: %s=%d)" % (
                self.index, _ORACLE_CASES_ENV, self.index)]
        else:
            lines = ["configuration %d of seed %d (replay: %s=%d %s=%d)" % (
                self.index, self.seed, _ORACLE_SEED_ENV, self.seed, _ORACLE_CASES_ENV,
                self.index)]
        lines.append("  features: " + "; ".join(self.features))
        lines.append("  wandb login --verify --host %s   (cwd %s)"
                     % (show(self.host), show("@ROOT@/work")))
        for name in sorted(self.env):
            lines.append("  env %s=%r" % (name, show(self.env[name])))
        for name in self.unset:
            lines.append("  env %s unset" % name)
        for relative in sorted(self.files):
            lines.append("  file %s:" % show("@ROOT@/" + relative))
            lines.append("    %r" % show(self.files[relative]))
        for key, (kind, where) in sorted(self.keys.items(),
                                         key=lambda item: str(item[1])):
            lines.append("  key in %s%s: %s%s" % (
                kind, " of " + where if where else "", key,
                " (the server rejects it)" if key in self.unknown_keys else ""))
        return "\n".join(lines)


# Small configurations kept from generated ones that once showed wblogin and
# the SDK disagreeing (or that issue 9 was about), replayed on every run as
# kept configurations -1, -2, ...: (what it shows, {files, env, keys, host}).
# Settings with values their types take (good) and refuse (bad): a refused
# one makes the SDK ignore both settings files, or, as a WANDB_* variable,
# stops it.
_ORACLE_TYPED = [
    ("login_timeout", ["30", " 1.5 ", "inf"], ["soon", "1,5"]),
    ("silent", ["true", "No", "off"], ["maybe", "2"]),
    ("heartbeat_seconds", ["10", "1.0", "1_000"], ["1.5", "ten"]),
    ("console", ["wrap", "off"], ["bogus", "AUTO"]),
    ("project", ["demo"], ["a/b", "x#y"]),
    ("x_file_stream_max_line_bytes", ["100"], ["0"]),
    ("x_extra_http_headers", ['{"a": "b"}'], ["{bad"]),
]
_ORACLE_TYPED_ENV = [
    ("WANDB_HTTP_TIMEOUT", ["20", " 7 "], ["abc", "7.5"]),
    ("WANDB_SILENT", ["true", "YES"], ["maybe"]),
    ("WANDB_CONSOLE", ["off"], ["bogus"]),
    ("WANDB__SERVICE_WAIT", ["30"], ["-1"]),
    ("WANDB_PROJECT", ["demo"], ["a/b"]),
    ("WANDB_RESUME", ["allow"], ["sometimes"]),
]
_ORACLE_KEY_A = "keptA_" + "a1B2" * 10
_ORACLE_KEY_B = "keptB_" + "b3C4" * 10
_ORACLE_KEY_LONG = "keptL_" + "L0ng" * 1250
# The netrc of many kept configurations: one entry for the stand-in server.
_KEPT_NETRC_B = {"home/.netrc": "machine @NETLOC@ login user password %s\n"
                                % _ORACLE_KEY_B}
_KEPT_KEYS_B = {_ORACLE_KEY_B: ("netrc", "home/.netrc")}
_ORACLE_KEPT = [
    ("the SDK reads <cwd>/wandb/settings, not $WANDB_DIR/wandb/settings", {
        "env": {"WANDB_DIR": "@ROOT@/ws"},
        "files": {"ws/wandb/settings": "[default]\nbase_url = @URL@\n"
                                       "api_key = %s\n" % _ORACLE_KEY_A,
                  "work/wandb/settings": "[default]\nbase_url = @URL@\n"
                                         "api_key = %s\n" % _ORACLE_KEY_B},
        "keys": {_ORACLE_KEY_A: ("settings", "ws/wandb/settings"),
                 _ORACLE_KEY_B: ("settings", "work/wandb/settings")}}),
    ("an empty WANDB_API_KEY hides the settings api_key", {
        "env": {"WANDB_API_KEY": ""},
        "files": {"cfg/settings": "[default]\nbase_url = @URL@\n"
                                  "api_key = %s\n" % _ORACLE_KEY_A},
        "keys": {_ORACLE_KEY_A: ("settings", "cfg/settings")}}),
    ("--host HTTP://... is compared with base_url as written", {
        "host": "@UPPERURL@",
        "files": {"cfg/settings": "[default]\nbase_url = @URL@\n"
                                  "api_key = %s\n" % _ORACLE_KEY_A},
        "keys": {_ORACLE_KEY_A: ("settings", "cfg/settings")}}),
    ("the netrc comes before the settings api_key", {
        "files": {"cfg/settings": "[default]  ; mine\r\nbase_url = @URL@\r\n"
                                  "api_key = %s\r\n" % _ORACLE_KEY_A,
                  "home/.netrc": "machine @NETLOC@\r  login user\r  password %s\r"
                                 % _ORACLE_KEY_B},
        "keys": {_ORACLE_KEY_A: ("settings", "cfg/settings"),
                 _ORACLE_KEY_B: ("netrc", "home/.netrc")}}),
    ("a netrc Python cannot parse is ignored whole", {
        "files": {"cfg/settings": "[DEFAULT]\nbase_url = @URL@\n[default]\n"
                                  "api_key = %s\n" % _ORACLE_KEY_A,
                  "home/.netrc": "machine @NETLOC@ login user port 21 password %s\n"
                                 % _ORACLE_KEY_B},
        "keys": {_ORACLE_KEY_A: ("settings", "cfg/settings"),
                 _ORACLE_KEY_B: ("netrc", "home/.netrc")}}),
    ("a settings value its setting refuses makes the SDK ignore both files", {
        "files": {"cfg/settings": "[default]\nbase_url = @URL@\napi_key = %s\n"
                                  "login_timeout = soon\n" % _ORACLE_KEY_A,
                  "work/wandb/settings": "[default]\nsilent = maybe\n"},
        "keys": {_ORACLE_KEY_A: ("settings", "cfg/settings")}}),
    ("settings values their settings take", {
        "files": {"cfg/settings": "[default]\nbase_url = @URL@\napi_key = %s\n"
                                  "login_timeout = 1_0.5\nsilent = No\n"
                                  "heartbeat_seconds = 30.0\nconsole = wrap\n"
                                  % _ORACLE_KEY_A},
        "keys": {_ORACLE_KEY_A: ("settings", "cfg/settings")}}),
    ("a WANDB_* variable its setting refuses stops the SDK", {
        "env": {"WANDB_HTTP_TIMEOUT": "abc"},
        "files": _KEPT_NETRC_B, "keys": _KEPT_KEYS_B}),
    ("WANDB_* variables their settings take", {
        "env": {"WANDB_HTTP_TIMEOUT": " 20 ", "WANDB_SILENT": "TRUE",
                "WANDB__SERVICE_WAIT": "30", "WANDB_PROJECT": "demo"},
        "files": _KEPT_NETRC_B, "keys": _KEPT_KEYS_B}),
    ("a key longer than 4,096 characters is sent as it is", {
        "files": {"home/.netrc": "machine @NETLOC@ login user password %s\n"
                                 % _ORACLE_KEY_LONG},
        "keys": {_ORACLE_KEY_LONG: ("netrc", "home/.netrc")}}),
    ("a WANDB_BASE_URL with user@ is looked up with it", {
        "host": None, "writes": False,
        "env": {"WANDB_BASE_URL": "http://u@@NETLOC@"},
        "files": {"home/.netrc": "machine u@@NETLOC@ login user password %s\n"
                                 "machine @NETLOC@ login user password %s\n"
                                 % (_ORACLE_KEY_A, _ORACLE_KEY_B)},
        "keys": {_ORACLE_KEY_A: ("netrc", "home/.netrc"),
                 _ORACLE_KEY_B: ("netrc", "home/.netrc")}}),
    ("a WANDB_BASE_URL with a query and %-escapes", {
        "host": None, "writes": False,
        "env": {"WANDB_BASE_URL": "@URL@/a%20b?x=1"},
        "files": _KEPT_NETRC_B, "keys": _KEPT_KEYS_B}),
    ("a WANDB_BASE_URL the SDK's strict URL check refuses", {
        "host": None, "writes": False,
        "env": {"WANDB_BASE_URL": '@URL@/p"q'},
        "files": _KEPT_NETRC_B, "keys": _KEPT_KEYS_B}),
    ("an identity token file that is not there", {
        "env": {"WANDB_IDENTITY_TOKEN_FILE": "@ROOT@/home/missing.jwt"},
        "files": _KEPT_NETRC_B, "keys": _KEPT_KEYS_B}),
    ("the netrc default entry is sent to W&B", {
        "files": {"home/.netrc": "machine git.example.org login me password x\n"
                                 "default login anonymous password %s\n"
                                 % _ORACLE_KEY_B},
        "keys": {_ORACLE_KEY_B: ("netrc default", "home/.netrc")}}),
]


def _oracle_cases():
    """The configurations this run checks: (seed, [case, ...])."""
    seed = int(os.environ.get(_ORACLE_SEED_ENV) or _ORACLE_SEED)
    count = int(os.environ.get(_ORACLE_COUNT_ENV) or _ORACLE_COUNT)
    only = os.environ.get(_ORACLE_CASES_ENV, "").strip()
    kept = [-1 - number for number in range(len(_ORACLE_KEPT))]
    indexes = ([int(part) for part in only.split(",") if part.strip()] if only
               else kept + list(range(count)))
    return seed, [_OracleCase(None, index, _ORACLE_KEPT[-1 - index]) if index < 0
                  else _OracleCase(seed, index) for index in indexes]


# -- running one configuration through both tools ---------------------------

def _sent_keys(requests):
    """The API keys in the Authorization headers of `requests`, in order."""
    keys = []
    for _, _, headers, _ in requests:
        auth = headers.get("Authorization", "")
        if auth.startswith("Basic "):
            user, _, key = base64.b64decode(auth[6:]).decode("utf-8", "replace"
                                                               ).partition(":")
            keys.append(key if user == "api" else "<user %r>" % user)
        elif auth:
            keys.append("<%s ...>" % auth.split(" ")[0])
    return keys


class _OracleWorker(object):
    """A stand-in server and an SDK zygote; runs configurations one at a time."""

    def __init__(self, root, base_env):
        self.root = root
        self.base_env = base_env
        self.server = FakeWandb(keys=())
        self.zygote = None
        try:
            os.makedirs(os.path.join(root, "zygote"))
            env = dict(base_env, HOME=os.path.join(root, "zygote"),
                       TMPDIR=os.path.join(root, "zygote"))
            self.zygote = _SDKZygote(env, os.path.join(root, "zygote"))
        except Exception:
            self.stop()
            raise
        self.sdk_runs = 0
        self.command_runs = 0

    def stop(self):
        if self.zygote is not None:
            self.zygote.stop()
        self.server.stop()

    # -- the two tools -------------------------------------------------

    def wblogin(self, env, cwd, args, stdin_text=None):
        process = subprocess.Popen(
            [sys.executable, SCRIPT] + list(args), env=env, cwd=cwd,
            stdin=subprocess.PIPE if stdin_text is not None else subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            out, err = process.communicate(
                stdin_text.encode() if stdin_text is not None else None, timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
            return None, "", "wblogin %s took more than 60 s" % " ".join(args)
        return process.returncode, out.decode("utf-8", "replace"), err.decode(
            "utf-8", "replace")

    def sdk(self, env, cwd, host, scratch, command=False):
        """`wandb login --verify --host HOST`: (exit code, keys sent, output)."""
        before = len(self.server.requests)
        argv = ["login", "--verify"] + (["--host", host] if host else [])
        if command:
            self.command_runs += 1
            process = subprocess.Popen(
                [_WANDB_CLI] + argv, env=env, cwd=cwd, stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                start_new_session=True)
            try:
                out, _ = process.communicate(timeout=120)
            except subprocess.TimeoutExpired:
                process.kill()
                process.communicate()
                out, process.returncode = b"wandb took more than 120 s", None
            code, output = process.returncode, out.decode("utf-8", "replace")
        else:
            self.sdk_runs += 1
            code, output = self.zygote.run(argv, env, cwd,
                                           os.path.join(scratch, "sdk-output"))
        sent = _sent_keys(self.server.requests[before:])
        return code, sent, output

    # -- one configuration ---------------------------------------------

    def run(self, case, command=False):
        """Everything the assertions need about one configuration, as a dict."""
        root = os.path.join(self.root, "case-%d" % case.index)
        record = {"case": case, "root": root, "url": self.server.url,
                  "port": self.server.port, "steps": []}
        try:
            self._run(case, root, record, command)
        except Exception:
            import traceback
            record["error"] = traceback.format_exc()
        finally:
            shutil.rmtree(root, True)
        return record

    def _run(self, case, root, record, command):
        url = self.server.url
        self.server.keys.update(key for key in case.keys
                                if key not in case.unknown_keys)
        additions, cwd = case.render(root, url, self.server.port)
        env = dict(self.base_env, HOME=os.path.join(root, "home"),
                   TMPDIR=os.path.join(root, "tmp"))
        env.update(additions)
        for name in case.unset:
            env.pop(name, None)
        host = case.fill(case.host, root, url, "", 0) if case.host else None
        at = ["--host", host] if host else []
        record["env"] = env
        watched = self._watched(case, root)

        def step(name, **fields):
            fields["name"] = name
            record["steps"].append(fields)
            return fields

        def lookup(name):
            """wblogin's --print-key and --status, then the SDK, from the same files."""
            files = self._snapshot(watched)
            code, out, err = self.wblogin(env, cwd, at + ["--print-key"])
            status_code, status_out, status_err = self.wblogin(
                env, cwd, at + ["--status", "--json"])
            try:
                status = json.loads(status_out)
            except ValueError:
                status = None
            unchanged = self._snapshot(watched) == files
            sdk = self.sdk(env, cwd, host, root)
            self._restore(files)
            sdk_command = None
            if command:
                sdk_command = self.sdk(env, cwd, host, root, command=True)
                self._restore(files)
            return step(name, print_key=(code, out, err),
                        status=(status_code, status, status_err),
                        lookup_changed_nothing=unchanged, sdk=sdk,
                        sdk_command=sdk_command, files=files)

        lookup("lookup")
        if command or not case.writes:
            return

        files = self._snapshot(watched)
        if case.store_from_stdin:
            code, out, err = self.wblogin(env, cwd, ["-", "--host", host, "--json"],
                                          stdin_text=case.new_key + "\n")
        else:
            code, out, err = self.wblogin(env, cwd, [case.new_key, "--host", host,
                                                     "--json"])
        try:
            result = json.loads(out)
        except ValueError:
            result = None
        if result:
            record["stored_in"] = result.get("netrc")
        step("store", result=(code, result, err), before=files,
             after=self._snapshot(watched))
        if code == 0 and result and result.get("stored"):
            lookup("after store")
        files = self._snapshot(watched)
        code, out, err = self.wblogin(env, cwd, ["--host", host, "--logout", "--json"])
        try:
            result = json.loads(out)
        except ValueError:
            result = None
        step("logout", result=(code, result, err), before=files,
             after=self._snapshot(watched))
        lookup("after logout")

    @staticmethod
    def _watched(case, root):
        names = set(case.files) | {case.netrc_path, case.global_path,
                                   case.workspace_path, "home/.netrc",
                                   "work/wandb/settings"}
        return sorted(os.path.join(root, name) for name in names
                      if not name.endswith("/.keep") and not os.path.isabs(name))

    @staticmethod
    def _snapshot(paths):
        """The bytes of each regular file in `paths` (None: absent)."""
        import stat
        files = {}
        for path in paths:
            try:
                mode = os.lstat(path).st_mode
            except OSError:
                files[path] = None
                continue
            if stat.S_ISREG(mode):
                with open(path, "rb") as handle:
                    files[path] = handle.read()
        return files

    @staticmethod
    def _restore(files):
        """Put the files back as they were: `wandb login` rewrites the settings."""
        for path, data in files.items():
            if data is None:
                if os.path.lexists(path):
                    os.remove(path)
                continue
            if not os.path.isdir(os.path.dirname(path)):
                os.makedirs(os.path.dirname(path))
            with open(path, "wb") as handle:
                handle.write(data)
            os.chmod(path, 0o600)
            settled(path)


def _oracle_run_all(workers, cases, command=False):
    """Run `cases` on `workers` in parallel threads: records in case order."""
    import threading
    records = {}
    queue = list(cases)
    lock = threading.Lock()

    def work(worker):
        while True:
            with lock:
                if not queue:
                    return
                case = queue.pop(0)
            record = worker.run(case, command=command)
            with lock:
                records[case.index] = record

    threads = [threading.Thread(target=work, args=(worker,)) for worker in workers]
    for thread in threads:
        thread.daemon = True
        thread.start()
    deadline = time.time() + 60 + 30 * len(cases)
    for thread in threads:
        thread.join(max(0, deadline - time.time()))
        if thread.is_alive():
            raise AssertionError("the oracle's workers did not finish in time")
    return [records[case.index] for case in cases]


def _oracle_outcome(case, sent, output):
    """A short name for what the SDK did, for the summary."""
    if sent:
        kind, where = case.keys.get(sent[-1], ("nowhere", None))
        if kind == "settings":
            kind = "settings " + ("global" if where == case.global_path
                                  else where)
        return "sent a key from " + kind
    for marker, name in [("Traceback", "crashed"),
                         ("No API key configured", "found no key"),
                         ("Both WANDB_API_KEY and WANDB_IDENTITY_TOKEN_FILE",
                          "refused both variables"),
                         ("identity token", "used the identity token file"),
                         ("access token", "used the identity token file"),
                         ("API key", "refused a key's format")]:
        if marker in output:
            return name
    return "failed otherwise"


class TestSDKOracle(Fixture):
    """The key wblogin names is the key the real wandb SDK sends (SPEC 4, 12).

    Seeded generated configurations (environment, settings files, netrc files,
    identity token file) in temporary homes: `wandb login --verify --host URL`
    with no key, against a FakeWandb recording what arrives, is the truth;
    wblogin's --print-key and --status must name that key and its source, and
    after wblogin stores a key or logs out, the SDK must send what
    `wblogin --print-key` then names. The kept configurations (_ORACLE_KEPT)
    run first, every time. Runs where the SDK works (`tox -e interop`), is
    skipped elsewhere unless WBLOGIN_REQUIRE_WANDB=1; a failure prints the
    seed and the whole configuration.

    Each run checks 150 generated configurations (seed 20261125; WBLOGIN_ORACLE_SEED,
    WBLOGIN_ORACLE_COUNT and WBLOGIN_ORACLE_CASES pick others) and the 15 kept ones, each a rule of
    the SDK measured once:

    | the workspace settings file | <cwd>/wandb/settings is read, not $WANDB_DIR/wandb/settings
      | test_wblogin_names_the_key_the_sdk_sends_before_and_after_it_writes |
    | an empty WANDB_API_KEY | no key, and it hides the settings api_key
      | test_wblogin_names_the_key_the_sdk_sends_before_and_after_it_writes |
    | --host HTTP://... in capitals | compared with base_url as written
      | test_wblogin_names_the_key_the_sdk_sends_before_and_after_it_writes |
    | the netrc and the settings api_key (CRLF and CR line ends, a header comment) | the netrc
      first
      | test_wblogin_names_the_key_the_sdk_sends_before_and_after_it_writes |
    | a netrc Python cannot parse | ignored whole; the settings api_key ([DEFAULT] base_url) is
      sent
      | test_wblogin_names_the_key_the_sdk_sends_before_and_after_it_writes |
    | settings values | one its setting refuses makes the SDK ignore both files; values their
      settings take count
      | test_wblogin_names_the_key_the_sdk_sends_before_and_after_it_writes |
    | WANDB_* variables | one its setting refuses stops the SDK; values their settings take do not
      | test_wblogin_names_the_key_the_sdk_sends_before_and_after_it_writes |
    | a key longer than 4,096 characters | sent as it is
      | test_wblogin_names_the_key_the_sdk_sends_before_and_after_it_writes |
    | WANDB_BASE_URL with user@, with a query and %-escapes, with a double quote | looked up as
      written; the last stops the SDK's strict URL check
      | test_wblogin_names_the_key_the_sdk_sends_before_and_after_it_writes |
    | an identity token file that is not there | stops the SDK
      | test_wblogin_names_the_key_the_sdk_sends_before_and_after_it_writes |
    | the netrc default entry | its password is sent to W&B
      | test_wblogin_names_the_key_the_sdk_sends_before_and_after_it_writes |

    The generated ones (_OracleCase) also reach, with the default seed:

    | an empty WANDB_BASE_URL | the SDK stops: no key sent, and none named
      | test_wblogin_names_the_key_the_sdk_sends_before_and_after_it_writes |
    | a netrc that is not UTF-8 | the SDK stops when it reaches it
      | test_wblogin_names_the_key_the_sdk_sends_before_and_after_it_writes |
    | settings values continued on indented lines, CRLF line ends, [DEFAULT], another section,
      upper-case names, ':' | read as configparser reads them
      | test_wblogin_names_the_key_the_sdk_sends_before_and_after_it_writes |
    | typed settings and WANDB_* values (_ORACLE_TYPED, _ORACLE_TYPED_ENV) | wblogin's table of the
      SDK's settings agrees with the SDK
      | test_wblogin_names_the_key_the_sdk_sends_before_and_after_it_writes |
    | a forked child of one SDK process per login (the zygote) | sends what the wandb command
      sends, on 5 of the configurations
      | test_the_zygote_runs_the_sdk_as_the_wandb_command_does |
    """

    sdk_version = sdk_problem = None
    workers = ()

    @classmethod
    def setUpClass(cls):
        cls.sdk_version, cls.sdk_problem = _find_sdk()
        if cls.sdk_problem:
            return
        cls.root = tempfile.mkdtemp(prefix="wblogin-oracle-")
        cls.base_env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "LC_ALL": "C",
        }
        cls.base_env.update(TestInteropWithSDK.sdk_env(cls.root))
        workers = []
        try:
            for number in range(_ORACLE_WORKERS):
                workers.append(_OracleWorker(
                    os.path.join(cls.root, "worker-%d" % number), cls.base_env))
        except Exception:
            for worker in workers:
                worker.stop()
            shutil.rmtree(cls.root, True)
            raise
        cls.workers = workers

    @classmethod
    def tearDownClass(cls):
        for worker in cls.workers:
            worker.stop()
        cls.workers = ()
        if getattr(cls, "root", None):
            shutil.rmtree(cls.root, True)

    def setUp(self):
        if self.sdk_problem:
            if os.environ.get(_REQUIRE_WANDB, "") not in ("", "0"):
                self.fail("%s is set, but %s" % (_REQUIRE_WANDB, self.sdk_problem))
            self.skipTest("the wandb SDK is not usable here: %s" % self.sdk_problem)
        Fixture.setUp(self)

    # -- reporting -----------------------------------------------------

    def explain(self, record, what):
        case = record["case"]
        lines = [what, case.describe(record["root"], record["url"], record["port"])]
        shown = ("key_source", "key", "stored", "removed", "netrc", "warnings",
                 "error")
        for step in record["steps"]:
            lines.append("  -- %s" % step["name"])
            for name in ("print_key", "status", "result", "sdk", "sdk_command"):
                if step.get(name) is None:
                    continue
                value = step[name]
                if name in ("status", "result") and isinstance(value[1], dict):
                    value = (value[0], dict((field, value[1].get(field))
                                            for field in shown), value[2])
                text = repr(value)
                if len(text) > 3000:
                    text = text[:1500] + " ... " + text[-1500:]
                lines.append("     %s: %s" % (name, text))
        return "\n".join(lines)

    # -- the checks ----------------------------------------------------

    def check_lookup(self, record, step):
        case = record["case"]
        code, out, err = step["print_key"]
        sdk_code, sent, output = step["sdk"]
        self.assertLessEqual(len(set(sent)), 1, self.explain(
            record, "%s: the SDK sent more than one key" % step["name"]))
        truth = sent[-1] if sent else None
        named = out.strip() if code == 0 else None
        self.assertNotIn("Traceback", err, self.explain(record, "wblogin crashed"))
        self.assertEqual(named, truth, self.explain(
            record, "%s: the SDK sent %s, wblogin --print-key named %s (exit %s)"
            % (step["name"], truth, named, code)))
        self.assertEqual((code, out), (0, truth + "\n") if truth else (1, ""),
                         self.explain(record, "%s: --print-key must print the key "
                                      "alone and exit 0, or nothing and exit 1"
                                      % step["name"]))
        self.assertTrue(step["lookup_changed_nothing"], self.explain(
            record, "%s: --print-key or --status changed a file" % step["name"]))
        status_code, status, status_err = step["status"]
        self.assertIsNotNone(status, self.explain(
            record, "%s: --status --json printed no JSON" % step["name"]))
        if truth is not None:
            expected = case.expected_source(truth, record["root"],
                                            record.get("stored_in"))
            self.assertIsNotNone(expected, self.explain(
                record, "%s: the SDK sent a key from %s" % (
                    step["name"], case.keys.get(truth, "nowhere"))))
            self.assertEqual((status["key_source"], status["key"]),
                             (expected, "****" + truth[-4:]), self.explain(
                record, "%s: --status names the wrong source" % step["name"]))
        if step.get("sdk_command") is not None:
            command_code, command_sent, command_output = step["sdk_command"]
            self.assertEqual((command_sent, command_code), (sent, sdk_code),
                             self.explain(record, "the wandb command and the "
                                          "zygote disagree"))

    def check_store(self, record, step):
        case = record["case"]
        code, result, err = step["result"]
        self.assertNotIn("Traceback", err, self.explain(record, "wblogin crashed"))
        self.assertIsNotNone(result, self.explain(record, "store printed no JSON"))
        netrc = result.get("netrc") or os.path.join(record["root"], case.netrc_path)
        if code != 0 or not result.get("stored"):
            self.assertEqual(code, 1, self.explain(
                record, "a store that did not store must exit 1"))
            self.assertEqual(step["after"].get(netrc), step["before"].get(netrc),
                             self.explain(record, "a refused store changed the netrc"))
            return False
        env = record["env"]
        if not env.get("WANDB_API_KEY") and not env.get("WANDB_IDENTITY_TOKEN_FILE"):
            after = [s for s in record["steps"] if s["name"] == "after store"][0]
            sent = after["sdk"][1]
            self.assertIn(sent[-1] if sent else None, (case.new_key, None),
                          self.explain(record, "wblogin said stored, but the SDK "
                                       "sent another key"))
        return True

    def check_logout(self, record, step):
        code, result, err = step["result"]
        self.assertNotIn("Traceback", err, self.explain(record, "wblogin crashed"))
        self.assertIsNotNone(result, self.explain(record, "logout printed no JSON"))
        if code != 0:
            # A netrc Python cannot read is left alone (the SDK reads no key
            # from it anyway); anything else is a failure.
            netrc = result.get("netrc") or os.path.join(record["root"],
                                                         record["case"].netrc_path)
            self.assertEqual(code, 1, self.explain(record, "--logout failed"))
            self.assertEqual(step["after"].get(netrc), step["before"].get(netrc),
                             self.explain(record, "a refused logout changed the netrc"))

    def run_oracle(self, cases, command=False):
        started = time.time()
        records = _oracle_run_all(self.workers, cases, command=command)
        return records, time.time() - started

    def test_wblogin_names_the_key_the_sdk_sends_before_and_after_it_writes(self):
        seed, cases = _oracle_cases()
        sdk_runs = sum(worker.sdk_runs for worker in self.workers)

        records, seconds = self.run_oracle(cases)

        outcomes = {}
        for record in records:
            with self.subTest(seed=seed, configuration=record["case"].index):
                self.assertNotIn("error", record, record.get("error", "") and
                                 self.explain(record, record["error"]))
                first = record["steps"][0]
                outcome = _oracle_outcome(record["case"], first["sdk"][1],
                                          first["sdk"][2])
                outcomes[outcome] = outcomes.get(outcome, 0) + 1
                for step in record["steps"]:
                    if step["name"] == "store":
                        self.check_store(record, step)
                    elif step["name"] == "logout":
                        self.check_logout(record, step)
                    else:
                        self.check_lookup(record, step)
        sdk_runs = sum(worker.sdk_runs for worker in self.workers) - sdk_runs
        sys.stderr.write(
            "\n  SDK oracle: seed %d, %d configurations (%d kept), %d SDK logins, "
            "%.0f s; first lookup: %s\n" % (
                seed, len(records), sum(1 for case in cases if case.seed is None),
                sdk_runs, seconds, ", ".join(
                "%s %d" % item for item in sorted(outcomes.items(),
                                                   key=lambda item: -item[1]))))
        if not (os.environ.get(_ORACLE_CASES_ENV) or os.environ.get(_ORACLE_COUNT_ENV)):
            self.assertGreaterEqual(len(records), 150)

    def test_the_zygote_runs_the_sdk_as_the_wandb_command_does(self):
        seed, cases = _oracle_cases()
        chosen = cases[::max(1, len(cases) // _ORACLE_FIDELITY_CASES)]
        chosen = chosen[:_ORACLE_FIDELITY_CASES]

        records, _ = self.run_oracle(chosen, command=True)

        for record in records:
            with self.subTest(seed=seed, configuration=record["case"].index):
                self.assertNotIn("error", record, record.get("error", "") and
                                 self.explain(record, record["error"]))
                step = record["steps"][0]
                self.assertEqual(step["sdk_command"][:2], step["sdk"][:2],
                                 self.explain(record, "the wandb command and the "
                                              "zygote disagree"))


if __name__ == "__main__":
    unittest.main()
