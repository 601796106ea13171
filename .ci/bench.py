#!/usr/bin/env python3
"""Benchmark wblogin.py against the interpreter's own start-up (SPEC section 11).

Every figure is a whole-process median, measured in one run on one machine.
All the commands of one interpreter are interleaved round-robin in ONE run, so
that drift hits all of them alike; the slow cases (the 60,000-entry netrc,
100 concurrent logins) take part in fewer of the rounds, spread evenly over
them. Every run gets a fresh temporary HOME (netrc, settings) and a scrubbed
environment; the verify cases talk to the test suite's W&B stand-in
(test_wblogin.FakeWandb), served on 127.0.0.1 from a thread.

    python .ci/bench.py                     # CPython 3.6, 3.11, 3.12, 3.13 of pyenv
    python .ci/bench.py --all-pythons       # every CPython 3.6-3.13 of pyenv
    python .ci/bench.py --python /usr/bin/python3 --runs 31
    python .ci/bench.py --no-wandb          # without the wandb comparison

Time is taken by a small spawner process (-I -S, nothing imported) around
fork, exec and wait4, so neither this script's size nor subprocess' overhead
is measured. Peak memory is taken in separate runs by GNU time
(`/usr/bin/time -f %M`), whose own few hundred KiB are all a child inherits;
without it, by the spawner's wait4 (ru_maxrss). Never by wait4 in this script:
a child's ru_maxrss starts at the size of the process it was forked from.

When the `wandb` command sits beside the Python running this script (as in
`tox -e bench`), `wandb login` is measured too, interleaved with wblogin on
the interpreter behind that Python. Standard library only; prints a table
and a summary and exits 0 even when a goal is missed: it is a report, not a
test. Exits 1 only when a measured command fails.
"""

import argparse
import glob
import hashlib
import marshal
import netrc
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(HERE)
SCRIPT = os.path.join(TOP, "wblogin.py")
# The test suite's W&B stand-in serves the verify cases.
sys.path.insert(0, TOP)
from test_wblogin import KEY_V1 as KEY, FakeWandb  # noqa: E402

GNU_TIME = "/usr/bin/time"
# Start-up hooks of site-packages (.pth files) slower than this (and than
# the whole start-up without site) make `-I -c pass` a poor yardstick.
SITE_NOTE_MS = 8.0
# The interpreters measured by default (the newest patch release of each).
DEFAULT_MINORS = ((3, 6), (3, 11), (3, 12), (3, 13))

BIG_ENTRIES = 60000
BIG_EXISTING = "host-30000.example.com"     # the host of --status & co.
CONCURRENT = 100

QUERY = ("query Viewer { viewer { id entity username email "
         "teams { edges { node { name } } } } }")

# The same request wblogin --verify makes, as the shortest urllib program.
URLLIB_ONE_LINER = (
    "import urllib.request,base64,json;"
    "r=urllib.request.Request(%(url)r+'/graphql',"
    "data=json.dumps({'query':%(query)r,'operationName':'Viewer'}).encode(),"
    "headers={'Authorization':'Basic '+base64.b64encode(b'api:'+%(key)r.encode())"
    ".decode(),'Content-Type':'application/json','Accept':'application/json',"
    "'User-Agent':'bench'},method='POST');"
    "assert json.loads(urllib.request.urlopen(r,timeout=10).read())"
    "['data']['viewer']")

# A library caller: the import alone, and the import plus one lookup.
IMPORT_ONLY = "import sys; sys.path.insert(0, %(dir)r); import wblogin; env = %(env)r"
LOOKUP = IMPORT_ONLY + ("; assert wblogin.find_api_key(%(url)r, env=env)[0] == "
                        "%(key)r")

# SPEC 11
GOAL_STORE = 3.5            # x python -I -c pass (SPEC 11)
GOAL_MODULE = 2.5           # x python -I -c pass
GOAL_MEMORY = 7.0           # MiB over python -I -c pass
GOAL_VERIFY = 1.10          # x the urllib one-liner, Python 3.12+
GOAL_LOOKUP = 2.0           # ms over import wblogin
GOAL_BIG_STORE = 1.0        # s
GOAL_BIG_VS_WANDB = 0.2     # x wandb login --no-verify
GOAL_CONCURRENT = 3.0       # s for all of them, on 2 cores


class Failure(Exception):
    """A measured command failed."""


# --------------------------------------------------------------------------
# Interpreters
# --------------------------------------------------------------------------

def describe(python):
    """(version tuple, version text) of a CPython, or None for anything else."""
    try:
        out = subprocess.check_output(
            [python, "-I", "-c", "import platform,sys;print(platform."
             "python_implementation(),'.'.join(map(str,sys.version_info[:3])))"],
            stderr=subprocess.DEVNULL, timeout=30).decode().split()
    except (OSError, subprocess.SubprocessError):
        return None
    if len(out) != 2 or out[0] != "CPython":
        return None
    return tuple(int(x) for x in out[1].split(".")), out[1]


def base_python():
    """The interpreter behind this one, when this one runs in a venv."""
    if sys.prefix != getattr(sys, "base_prefix", sys.prefix):
        for name in ("python3", "python"):
            candidate = os.path.join(sys.base_prefix, "bin", name)
            if os.path.isfile(candidate):
                return candidate
    return sys.executable


def find_pythons(explicit, every):
    """[(version tuple, version text, path)], oldest first."""
    candidates = list(explicit)
    if not candidates:
        try:
            root = subprocess.check_output(["pyenv", "root"], timeout=30,
                                           stderr=subprocess.DEVNULL)
            root = root.decode().strip()
        except (OSError, subprocess.SubprocessError):
            root = os.environ.get("PYENV_ROOT")
        if root:
            candidates = sorted(glob.glob(os.path.join(
                root, "versions", "*", "bin", "python3")))
        if not candidates:
            candidates = [base_python()]
    found, seen = [], set()
    for python in candidates:
        real = os.path.realpath(python)
        if real in seen:
            continue
        seen.add(real)
        info = describe(python)
        if info is None or not (3, 6) <= info[0][:2] <= (3, 13):
            print("bench: skipping %s: not CPython 3.6-3.13" % python,
                  file=sys.stderr)
            continue
        found.append((info[0], info[1], python))
    found.sort()
    if explicit or every:
        return found
    newest = {}
    for item in found:
        newest[item[0][:2]] = item        # sorted: the newest patch wins
    chosen = [newest[m] for m in sorted(newest) if m in DEFAULT_MINORS]
    return chosen or found


# --------------------------------------------------------------------------
# Running
# --------------------------------------------------------------------------

# The process that starts every measured command. It forks (its own few MiB
# are all a child inherits, below any Python's start-up), execs, and takes
# the time around fork..wait4, so subprocess' own overhead is not measured.
# A command still running after `timeout` seconds is killed. Requests and
# replies are length-prefixed marshal data on its standard input and output.
_SPAWNER = r"""
import marshal, os, signal, sys, time
read, write = sys.stdin.buffer.read, sys.stdout.buffer.write
null = os.open(os.devnull, os.O_RDWR)
child = [0]
def expire(signum, frame):
    if child[0]:
        os.kill(child[0], signal.SIGKILL)
signal.signal(signal.SIGALRM, expire)
while True:
    head = read(4)
    if len(head) < 4:
        break
    argv, env, cwd, stdin, timeout = marshal.loads(
        read(int.from_bytes(head, "big")))
    start = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        try:
            os.chdir(cwd)
            os.dup2(os.open(stdin, os.O_RDONLY) if stdin else null, 0)
            os.dup2(null, 1)
            os.dup2(null, 2)
            os.execve(argv[0], argv, env)
        finally:
            os._exit(127)
    child[0] = pid
    signal.alarm(timeout)
    _, status, usage = os.wait4(pid, 0)
    elapsed = time.perf_counter() - start
    child[0] = 0
    signal.alarm(0)
    reply = marshal.dumps((elapsed, usage.ru_maxrss, status))
    write(len(reply).to_bytes(4, "big") + reply)
    sys.stdout.buffer.flush()
"""

TIMEOUT = 300      # seconds, for any one measured command


class Case(object):
    """One measured command.

    kind: "time" (seconds), "memory" (peak RSS in KiB) or "concurrent"
    (wall seconds of `CONCURRENT` processes started at once, entries kept).
    `argv(i)` gives the command (`i`: which of the concurrent processes);
    `setup(home)` puts what the run needs into its fresh HOME and returns
    the path of its standard input, or None; `check(home, out)` looks at the
    result of the one checked (warm-up) run and returns an error or None.
    """

    def __init__(self, name, argv, kind="time", runs=None, cwd=None,
                 setup=None, check=None, wandb=False, expect_ok=True):
        self.name = name
        self.argv = argv if callable(argv) else (lambda i, argv=argv: argv)
        self.kind = kind
        self.runs = runs
        self.cwd = cwd
        self.setup = setup
        self.check = check
        self.wandb = wandb
        self.expect_ok = expect_ok


class Bench(object):
    def __init__(self, root, server, script, memory_tool):
        self.root = root
        self.server = server
        self.url = server.url
        self.count = 0
        self.memory_tool = memory_tool
        self.procs = []
        self.problems = []      # failures that did not stop the measuring
        # One copy of wblogin.py for every case (the one in the repository
        # may change while this runs); `-m wblogin` and the library cases
        # import it from here with a warm __pycache__.
        self.module_dir = os.path.join(root, "module")
        os.mkdir(self.module_dir)
        self.script = os.path.join(self.module_dir, "wblogin.py")
        shutil.copyfile(script, self.script)
        with open(self.script, "rb") as handle:
            self.script_sha = hashlib.sha256(handle.read()).hexdigest()[:12]
        self.script_version = script_version(self.script)
        self.big, self.big_password = self.make_big_netrc()
        self.big_size = os.path.getsize(self.big)
        self.spawner = subprocess.Popen(
            [sys.executable, "-I", "-S", "-c", _SPAWNER],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE)

    def close(self):
        for process in self.procs:
            if process.poll() is None:
                process.kill()
            process.wait()
        self.procs = []
        if self.spawner.poll() is None:
            self.spawner.stdin.close()
            try:
                self.spawner.wait(TIMEOUT + 30)
            except subprocess.TimeoutExpired:
                self.spawner.kill()
                self.spawner.wait()
        self.spawner.stdout.close()

    def make_big_netrc(self):
        path = os.path.join(self.root, "big.netrc")
        rng = random.Random(60000)
        password = None
        with open(path, "w") as handle:
            for i in range(BIG_ENTRIES):
                secret = "%040x" % rng.getrandbits(160)
                machine = "host-%05d.example.com" % i
                if machine == BIG_EXISTING:
                    password = secret
                handle.write("machine %s\n  login user\n  password %s\n"
                             % (machine, secret))
        return path, password

    # ----- homes

    def fresh_home(self, wandb=False):
        """A new HOME for one run: (home, env)."""
        self.count += 1
        home = os.path.join(self.root, "home%d" % self.count)
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": home,
               "NETRC": os.path.join(home, ".netrc"),
               "WANDB_CONFIG_DIR": os.path.join(home, ".config", "wandb"),
               "WANDB_DIR": os.path.join(home, "work")}
        os.makedirs(env["WANDB_CONFIG_DIR"])
        os.makedirs(env["WANDB_DIR"])
        if wandb:
            env["TMPDIR"] = os.path.join(home, "tmp")
            os.mkdir(env["TMPDIR"])
            env.update(WANDB_ERROR_REPORTING="false", WANDB_DISABLE_CODE="true",
                       WANDB_DISABLE_GIT="true")
        return home, env

    def lookup_home(self):
        """A HOME with a one-entry netrc, for the library lookup (read only)."""
        home = os.path.join(self.root, "lookup")
        if not os.path.isdir(home):
            os.makedirs(os.path.join(home, ".config", "wandb"))
            os.makedirs(os.path.join(home, "work"))
            self.write_key(os.path.join(home, ".netrc"))
        return {"HOME": home, "NETRC": os.path.join(home, ".netrc"),
                "WANDB_CONFIG_DIR": os.path.join(home, ".config", "wandb"),
                "WANDB_DIR": os.path.join(home, "work")}

    def write_key(self, path):
        with open(path, "w") as handle:
            handle.write("machine %s\n  login user\n  password %s\n"
                         % (self.url.split("://", 1)[1], KEY))
        os.chmod(path, 0o600)

    # Set-ups (home -> stdin path or None)

    def key_on_stdin(self, home):
        path = os.path.join(home, "key.txt")
        with open(path, "w") as handle:
            handle.write(KEY + "\n")
        return path

    def logged_in(self, home):
        self.write_key(os.path.join(home, ".netrc"))
        with open(os.path.join(home, ".config", "wandb", "settings"), "w") as f:
            f.write("[default]\nbase_url = %s\n" % self.url)
        return None

    def big_copy(self, home):
        target = os.path.join(home, ".netrc")
        shutil.copyfile(self.big, target)
        os.chmod(target, 0o600)
        # A netrc that has been there a while: one written a moment ago by another
        # program waits out wblogin's 2 s quiet window (it may be half-written).
        an_hour_ago = time.time() - 3600
        os.utime(target, (an_hour_ago, an_hour_ago))
        return None

    # Checks of the warm-up run (home, stdout bytes -> error or None)

    def stored(self, home, out):
        try:
            hosts = netrc.netrc(os.path.join(home, ".netrc")).hosts
        except (OSError, netrc.NetrcParseError) as error:
            return "the netrc cannot be read: %s" % error
        entry = hosts.get(self.url.split("://", 1)[1])
        if not entry or entry[2] != KEY:
            return "the key is not in the netrc"
        return None

    def big_count(self, home, expect, present):
        with open(os.path.join(home, ".netrc"), "rb") as handle:
            data = handle.read()
        machine = self.url.split("://", 1)[1].encode()
        count = data.count(b"machine ")
        if count != expect:
            return "the netrc has %d entries, not %d" % (count, expect)
        for host, key, wanted in ((machine, KEY.encode(), present[0]),
                                  (BIG_EXISTING.encode(),
                                   self.big_password.encode(), present[1])):
            there = b"machine %s\n  login user\n  password %s\n" % (host, key) in data
            if there != wanted:
                return "the entry for %s is %s" % (
                    host.decode(), "missing" if wanted else "still there")
        return None

    def printed(self, home, out):
        if out.strip() != self.big_password.encode():
            return "--print-key did not print the key"
        return None

    # ----- cases

    def cases(self, python, wandb_cli, runs, big_runs, concurrent_runs,
              wandb_runs, wandb_concurrent_runs, memory_runs):
        """The cases of one interpreter's interleaved run."""
        url = self.url
        script = self.script
        lookup = {"dir": self.module_dir, "env": self.lookup_home(),
                  "url": url, "key": KEY}
        one_liner = URLLIB_ONE_LINER % {"url": url, "query": QUERY, "key": KEY}
        store = [python, "-I", script, KEY, "--host", url]
        module = [python, "-E", "-s", "-m", "wblogin", KEY, "--host", url]
        existing = "https://" + BIG_EXISTING
        cases = [
            Case("pass", [python, "-I", "-c", "pass"]),
            Case("nosite", [python, "-I", "-S", "-c", "pass"]),
            Case("store", store, check=self.stored),
            Case("module", module, cwd=self.module_dir, check=self.stored),
            Case("urllib", [python, "-I", "-c", one_liner]),
            Case("verify", [python, "-I", script, "-", "--host", url, "--verify"],
                 setup=self.key_on_stdin, check=self.stored),
            Case("import", [python, "-I", "-c", IMPORT_ONLY % lookup]),
            Case("lookup", [python, "-I", "-c", LOOKUP % lookup]),
            Case("mem:pass", [python, "-I", "-c", "pass"], "memory", memory_runs),
            Case("mem:store", store, "memory", memory_runs),
            Case("mem:module", module, "memory", memory_runs, cwd=self.module_dir),
            Case("big:store", store, runs=big_runs, setup=self.big_copy,
                 check=lambda h, o: self.big_count(h, BIG_ENTRIES + 1, (1, 1))),
            Case("big:status", [python, "-I", script, "--status", "--host",
                                existing], runs=big_runs, setup=self.big_copy),
            Case("big:print-key", [python, "-I", script, "--print-key", "--host",
                                   existing], runs=big_runs, setup=self.big_copy,
                 check=self.printed),
            Case("big:logout", [python, "-I", script, "--logout", "--host",
                                existing], runs=big_runs, setup=self.big_copy,
                 check=lambda h, o: self.big_count(h, BIG_ENTRIES - 1, (0, 0))),
            Case("mem:big:store", store, "memory", big_runs, setup=self.big_copy),
            Case("cc:wblogin",
                 lambda i: [python, "-I", script, KEY, "--host",
                            "https://cc-%03d.example.com" % i],
                 "concurrent", concurrent_runs),
        ]
        if wandb_cli:
            login = [wandb_cli, "login", "--no-verify", KEY, "--host", url]
            cases += [
                Case("wandb:store", login, runs=wandb_runs, wandb=True,
                     check=self.stored),
                Case("wandb:verify", [wandb_cli, "login", "--verify"],
                     runs=wandb_runs, wandb=True, setup=self.logged_in),
                Case("mem:wandb:store", login, "memory", memory_runs, wandb=True),
                Case("big:wandb", login, runs=big_runs, wandb=True,
                     setup=self.big_copy,
                     check=lambda h, o: self.big_count(h, BIG_ENTRIES + 1,
                                                       (1, 1))),
                Case("cc:wandb",
                     lambda i: [wandb_cli, "login", "--no-verify", KEY, "--host",
                                "https://cc-%03d.example.com" % i],
                     "concurrent", wandb_concurrent_runs, wandb=True,
                     expect_ok=False),
            ]
        for case in cases:
            case.runs = max(1, min(case.runs or runs, runs))
        return cases

    # ----- running

    def warm_up(self, case):
        """Run a case once with its output captured; raise Failure if it fails."""
        home, env = self.fresh_home(case.wandb)
        try:
            stdin = case.setup(home) if case.setup else None
            argv = case.argv(0)
            with open(stdin or os.devnull, "rb") as handle:
                process = subprocess.Popen(
                    argv, cwd=case.cwd or env["WANDB_DIR"], env=env,
                    stdin=handle, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                self.procs.append(process)
                try:
                    out, err = process.communicate(timeout=TIMEOUT)
                finally:
                    process.kill()
                    process.wait()
                    self.procs.remove(process)
            problem = None
            if process.returncode != 0:
                problem = "exited %d" % process.returncode
            elif case.check:
                problem = case.check(home, out)
            extra = set(os.listdir(self.module_dir)) - set(
                ["wblogin.py", "__pycache__"])
            if extra and not problem:
                problem = "it left %s in its working directory" % sorted(extra)
            if problem:
                raise Failure("%s: %s: %s\n%s" % (
                    case.name, " ".join(shown(argv)), problem,
                    err.decode("utf-8", "replace").rstrip()))
        finally:
            shutil.rmtree(home, True)

    def spawn(self, argv, env, cwd, stdin):
        """Run argv through the spawner: (seconds, ru_maxrss, wait status)."""
        request = marshal.dumps((argv, env, cwd, stdin, TIMEOUT))
        self.spawner.stdin.write(len(request).to_bytes(4, "big") + request)
        self.spawner.stdin.flush()
        head = self.spawner.stdout.read(4)
        if len(head) < 4:
            raise Failure("the spawner process died")
        return marshal.loads(self.spawner.stdout.read(int.from_bytes(head, "big")))

    def run(self, case):
        """One run of a case in a fresh home: seconds, KiB, or (seconds, kept)."""
        home, env = self.fresh_home(case.wandb)
        try:
            stdin = case.setup(home) if case.setup else None
            cwd = case.cwd or env["WANDB_DIR"]
            if case.kind == "concurrent":
                return self.run_concurrent(case, env, cwd)
            argv = case.argv(0)
            if case.kind == "memory" and self.memory_tool:
                report = os.path.join(home, "peak.txt")
                argv = [GNU_TIME, "-f", "%M", "-o", report] + argv
            # wblogin fsyncs what it writes; on ext4 an fsync also commits
            # every other pending change, such as the files of this set-up.
            os.sync()
            elapsed, peak, status = self.spawn(argv, env, cwd, stdin)
            if status != 0:
                raise Failure("%s: %s: wait status %d (killed after %d s?)" % (
                    case.name, " ".join(shown(case.argv(0))), status, TIMEOUT))
            if case.kind == "time":
                return elapsed
            if self.memory_tool:
                with open(report) as handle:
                    return int(handle.read().split()[-1])
            return peak // 1024 if sys.platform == "darwin" else peak
        finally:
            shutil.rmtree(home, True)

    def run_concurrent(self, case, env, cwd):
        """Start CONCURRENT processes at once, wait for all: (seconds, kept,
        failed, note). wblogin processes that fail are recorded in
        self.problems (the run goes on; the report shows them)."""
        errors = os.path.join(env["HOME"], "stderr")
        os.mkdir(errors)
        os.sync()
        null = open(os.devnull, "rb+")
        outs = []
        try:
            start = time.perf_counter()
            for i in range(CONCURRENT):
                outs.append(open(os.path.join(errors, "%03d" % i), "wb"))
                self.procs.append(subprocess.Popen(
                    case.argv(i), cwd=cwd, env=env, stdin=null, stdout=null,
                    stderr=outs[-1]))
            deadline = time.time() + TIMEOUT
            for process in self.procs:
                process.wait(max(1, deadline - time.time()))
            elapsed = time.perf_counter() - start
        except subprocess.TimeoutExpired:
            raise Failure("%s: still running after %d s" % (case.name, TIMEOUT))
        finally:
            null.close()
            for out in outs:
                out.close()
            for process in self.procs:
                if process.poll() is None:
                    process.kill()
                    process.wait()
            codes = [process.returncode for process in self.procs]
            self.procs = []
        failed = [i for i, code in enumerate(codes) if code != 0]
        if failed and case.expect_ok:
            with open(os.path.join(errors, "%03d" % failed[0]), "rb") as handle:
                lines = handle.read().decode("utf-8", "replace").splitlines()
            self.problems.append("%s: %d of %d processes failed; the first: %s "
                                 "exited %d: %s" % (
                                     case.name, len(failed), CONCURRENT,
                                     " ".join(shown(case.argv(failed[0]))),
                                     codes[failed[0]],
                                     lines[-1] if lines else "(no message)"))
        kept, note = count_kept(env["NETRC"])
        return elapsed, kept, len(failed), note

    def measure(self, cases, runs, label):
        """One interleaved run: name -> list of results."""
        for case in cases:
            if case.kind == "time":
                self.warm_up(case)
        samples = dict((case.name, []) for case in cases)
        for round_ in range(runs):
            for case in cases:
                if round_ in spread(case.runs, runs):
                    samples[case.name].append(self.run(case))
            print("bench: %s: round %d of %d" % (label, round_ + 1, runs),
                  file=sys.stderr)
        return samples


def spread(n, runs):
    """The n of `runs` rounds a case with n runs takes part in, evenly spread."""
    return set(j * runs // n for j in range(n))


def count_kept(path):
    """How many of the concurrent logins' hosts Python's netrc module finds
    with the key: (count, note about the file or "")."""
    hosts = ["cc-%03d.example.com" % i for i in range(CONCURRENT)]
    try:
        found = netrc.netrc(path).hosts
    except FileNotFoundError:
        return 0, "no netrc file"
    except netrc.NetrcParseError as error:
        # Count what a reader that stops at nothing would see, and say so.
        with open(path, "rb") as handle:
            data = handle.read().decode("utf-8", "replace")
        return (sum(1 for host in hosts if "machine %s\n" % host in data),
                "the netrc module cannot parse it: %s" % error.msg)
    return sum(1 for host in hosts if host in found and found[host][2] == KEY), ""


def shown(argv):
    """argv for a message: the key masked, long -c programs cut."""
    out = []
    for arg in argv:
        arg = arg.replace(KEY, "KEY")
        out.append(arg if len(arg) < 80 else arg[:60] + "...")
    return out


def warm_pycache(python, directory):
    subprocess.check_call([python, "-E", "-s", "-c", "import wblogin"],
                          cwd=directory, stdout=subprocess.DEVNULL)


def find_memory_tool():
    """GNU time's path when `time -f %M -o FILE` works here, else None."""
    if not os.access(GNU_TIME, os.X_OK):
        return None
    handle, report = tempfile.mkstemp()
    os.close(handle)
    try:
        subprocess.check_call([GNU_TIME, "-f", "%M", "-o", report,
                               sys.executable, "-I", "-S", "-c", "pass"],
                              stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, timeout=60)
        with open(report) as handle:
            return GNU_TIME if int(handle.read().split()[-1]) > 0 else None
    except (OSError, ValueError, IndexError, subprocess.SubprocessError):
        return None
    finally:
        os.unlink(report)


def busy_seconds():
    """CPU seconds the whole machine has spent busy (Linux), or None."""
    try:
        with open("/proc/stat") as handle:
            fields = [int(x) for x in handle.readline().split()[1:9]]
    except (OSError, ValueError):
        return None
    user, nice, system, _idle, _iowait, irq, softirq, steal = fields
    return (user + nice + system + irq + softirq + steal) / float(
        os.sysconf("SC_CLK_TCK"))


def own_seconds():
    """CPU seconds of this process and every child it (or the spawner,
    once waited for) has waited for."""
    times = os.times()
    return times[0] + times[1] + times[2] + times[3]


def wandb_version():
    try:
        from importlib import metadata
        return metadata.version("wandb")
    except Exception:
        try:
            return subprocess.check_output(
                [sys.executable, "-c", "import wandb;print(wandb.__version__)"],
                stderr=subprocess.DEVNULL, timeout=120).decode().strip()
        except (OSError, subprocess.SubprocessError):
            return "unknown"


def script_version(path):
    with open(path) as handle:
        for line in handle:
            if line.startswith("__version__"):
                return line.split("=", 1)[1].strip().strip("\"'")
    return "unknown"


# --------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------

MIB = 1024.0    # KiB per MiB

ROW = "%-9s %-38s %10s %10s %10s %10s  %s"


def verdict(ok):
    return "PASS" if ok else "MISS"


class Report(object):
    def __init__(self):
        self.lines = []
        self.summary = []

    def row(self, label, figure, value, ref="", ratio="", goal="", result=""):
        self.lines.append(ROW % (label, figure, value, ref, ratio, goal, result))

    def note(self, label, text):
        self.lines.append("%-9s %s" % (label, text))


def ms(seconds):
    return "%.1f ms" % (seconds * 1000)


def report_python(report, label, version, samples, big_size):
    med = {}
    for name, values in samples.items():
        if values and not isinstance(values[0], tuple):
            med[name] = statistics.median(values)
    mark = ""
    # Minimums, not medians: other work on the machine only adds time.
    floor_ms = min(samples["pass"]) * 1000
    bare_ms = min(samples["nosite"]) * 1000
    hooks = floor_ms - bare_ms
    distorted = hooks > max(SITE_NOTE_MS, bare_ms)
    if distorted:
        mark = "*"
    lab = label + mark
    r = report.row
    ratio = med["store"] / med["pass"]
    r(lab, "1 store: -I wblogin.py KEY --host URL", ms(med["store"]),
      ms(med["pass"]), "%.2fx" % ratio, "<=%.1fx" % GOAL_STORE,
      verdict(ratio <= GOAL_STORE))
    module = med["module"] / med["pass"]
    r(lab, "2 -E -s -m wblogin, warm __pycache__", ms(med["module"]),
      ms(med["pass"]), "%.2fx" % module, "<=%.1fx" % GOAL_MODULE,
      verdict(module <= GOAL_MODULE))
    floor = med["mem:pass"] / MIB
    extra = med["mem:store"] / MIB - floor
    r(lab, "3 peak RSS, store", "%.1f MiB" % (med["mem:store"] / MIB),
      "%.1f MiB" % floor, "%+.1f MiB" % extra, "<=+%.0f MiB" % GOAL_MEMORY,
      verdict(extra <= GOAL_MEMORY))
    r(lab, "  peak RSS, -m wblogin", "%.1f MiB" % (med["mem:module"] / MIB),
      "%.1f MiB" % floor, "%+.1f MiB" % (med["mem:module"] / MIB - floor),
      "", "info")
    verify = med["verify"] / med["urllib"]
    has_goal = version >= (3, 12)
    r(lab, "4 --verify (key on stdin) vs urllib", ms(med["verify"]),
      ms(med["urllib"]), "%.2fx" % verify,
      "<=%.2fx" % GOAL_VERIFY if has_goal else "(3.12+)",
      verdict(verify <= GOAL_VERIFY) if has_goal else "info")
    lookup = (med["lookup"] - med["import"]) * 1000
    r(lab, "5 find_api_key() vs import wblogin", ms(med["lookup"]),
      ms(med["import"]), "%+.2f ms" % lookup, "<=+%.0f ms" % GOAL_LOOKUP,
      verdict(lookup <= GOAL_LOOKUP))
    big = med["big:store"]
    r(lab, "6 60k netrc: store a new host", ms(big), "", "",
      "<=%.0f ms" % (GOAL_BIG_STORE * 1000), verdict(big <= GOAL_BIG_STORE))
    for name in ("status", "print-key", "logout"):
        r(lab, "6 60k netrc: --%s" % name, ms(med["big:" + name]), "", "",
          "linear", "info")
    peak = med["mem:big:store"] / MIB
    r(lab, "6 60k netrc: peak RSS, store", "%.1f MiB" % peak, "%.1f MiB" % floor,
      "%+.1f MiB" % (peak - floor), "", "info: %.1fx the %.1f MB file"
      % ((peak - floor) * MIB * 1024 / big_size, big_size / 1e6))
    cc = samples["cc:wblogin"]
    kept = min(k for _, k, _, _ in cc)
    failed = max(f for _, _, f, _ in cc)
    wall = statistics.median(t for t, _, _, _ in cc)
    r(lab, "7 %d concurrent stores: kept (min)" % CONCURRENT,
      "%d/%d" % (kept, CONCURRENT), "", "", "%d/%d" % (CONCURRENT, CONCURRENT),
      verdict(kept == CONCURRENT and not failed)
      + (" (up to %d failed)" % failed if failed else ""))
    r(lab, "7 %d concurrent stores: wall time" % CONCURRENT, "%.2f s" % wall,
      "", "", "<=%.0f s" % GOAL_CONCURRENT, verdict(wall <= GOAL_CONCURRENT))
    if distorted:
        report.note(lab, "distorted: this machine's %s runs .pth start-up hooks "
                    "(%.1f ms of its %.1f ms `-I -c pass`; `-I -S -c pass`: "
                    "%.1f ms; fastest runs), so its ratios flatter wblogin; "
                    "quote the others" % (label, hooks, floor_ms, bare_ms))
    summary = (
        "CPython %s%s: `python -I -c pass` %.1f ms; store %.1f ms (%.2fx); "
        "`-m wblogin` %.1f ms (%.2fx); peak RSS %.1f MiB (%+.1f MiB); "
        "--verify %.1f ms vs urllib %.1f ms (%.2fx); find_api_key() %+.2f ms; "
        "60k netrc: store %.0f ms, --status %.0f ms, --print-key %.0f ms, "
        "--logout %.0f ms, peak RSS %.0f MiB; %d concurrent: %d/%d kept in "
        "%.2f s" % (
            label, " (distorted by .pth hooks)" if distorted else "",
            med["pass"] * 1000, med["store"] * 1000, ratio,
            med["module"] * 1000, module, med["mem:store"] / MIB, extra,
            med["verify"] * 1000, med["urllib"] * 1000, verify, lookup,
            big * 1000, med["big:status"] * 1000, med["big:print-key"] * 1000,
            med["big:logout"] * 1000, peak, CONCURRENT, kept, CONCURRENT, wall))
    report.summary.append(summary)
    if "wandb:store" not in samples:
        return
    r(lab, "  wandb login --no-verify KEY --host", ms(med["wandb:store"]),
      ms(med["pass"]), "%.1fx" % (med["wandb:store"] / med["pass"]), "",
      "scale")
    r(lab, "  same, vs wblogin store", ms(med["wandb:store"]), ms(med["store"]),
      "%.1fx" % (med["wandb:store"] / med["store"]), "", "scale")
    r(lab, "  wandb login --verify vs urllib", ms(med["wandb:verify"]),
      ms(med["urllib"]), "%.1fx" % (med["wandb:verify"] / med["urllib"]), "",
      "scale")
    r(lab, "  peak RSS, wandb login --no-verify",
      "%.1f MiB" % (med["mem:wandb:store"] / MIB), "%.1f MiB" % floor,
      "%+.1f MiB" % (med["mem:wandb:store"] / MIB - floor), "", "scale")
    wandb_big = med["big:wandb"]
    r(lab, "6 60k netrc: wandb login --no-verify", ms(wandb_big), "", "", "",
      "scale")
    vs = big / wandb_big
    r(lab, "6 60k netrc: wblogin store vs wandb", ms(big), ms(wandb_big),
      "%.2fx" % vs, "<=%.1fx" % GOAL_BIG_VS_WANDB,
      verdict(vs <= GOAL_BIG_VS_WANDB))
    cc = samples["cc:wandb"]
    kept_w = sorted(k for _, k, _, _ in cc)
    failed = sorted(f for _, _, f, _ in cc)
    wall_w = statistics.median(t for t, _, _, _ in cc)
    r(lab, "7 %d concurrent wandb logins: kept" % CONCURRENT,
      "%d/%d" % (statistics.median(kept_w), CONCURRENT), "", "",
      "", "scale: %s in %d runs" % (",".join(map(str, kept_w)), len(cc)))
    r(lab, "7 %d concurrent wandb logins: wall" % CONCURRENT, "%.2f s" % wall_w,
      "%.2f s" % wall, "%.1fx" % (wall_w / wall), "", "scale (ref: wblogin)")
    notes = sorted(set(n for _, _, _, n in cc if n))
    if any(failed) or notes:
        report.note(lab, "  wandb, concurrent: exited non-zero: %s of %d per run%s"
                    % (",".join(map(str, failed)), CONCURRENT,
                       "; " + "; ".join(notes) if notes else ""))
    report.summary.append(
        "wandb login (same CPython %s): --no-verify %.0f ms (%.1fx wblogin's "
        "store), --verify %.0f ms, peak RSS %.0f MiB; 60k netrc: %.0f ms "
        "(wblogin %.2fx of it); %d concurrent: %d/%d kept in %.1f s"
        % (label, med["wandb:store"] * 1000,
           med["wandb:store"] / med["store"], med["wandb:verify"] * 1000,
           med["mem:wandb:store"] / MIB, wandb_big * 1000, vs, CONCURRENT,
           statistics.median(kept_w), CONCURRENT, wall_w))


def main(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__.split("\n\n", 1)[1])
    parser.add_argument("--python", action="append", default=[], metavar="PATH",
                        help="measure this interpreter (repeatable); default: "
                             "the newest CPython 3.6, 3.11, 3.12 and 3.13 under "
                             "`pyenv root`, else the one running this script")
    parser.add_argument("--all-pythons", action="store_true",
                        help="every CPython 3.6-3.13 under `pyenv root`")
    parser.add_argument("--runs", type=int, default=21,
                        help="interleaved rounds per interpreter (default 21)")
    parser.add_argument("--big-runs", type=int, default=5,
                        help="runs of each 60,000-entry netrc case (default 5)")
    parser.add_argument("--concurrent-runs", type=int, default=3,
                        help="runs of the %d concurrent logins (default 3)"
                        % CONCURRENT)
    parser.add_argument("--wandb-concurrent-runs", type=int, default=2,
                        help="runs of the %d concurrent wandb logins (default "
                        "2: each takes about a minute on 2 cores)" % CONCURRENT)
    parser.add_argument("--wandb-runs", type=int, default=11,
                        help="runs of the small wandb login cases (default 11)")
    parser.add_argument("--no-wandb", action="store_true",
                        help="skip the comparison with the wandb CLI")
    parser.add_argument("--memory", choices=("auto", "time", "wait4"),
                        default="auto",
                        help="how peak memory is taken: GNU time's %%M, the "
                             "spawner's wait4, or the first when it works "
                             "here (default)")
    parser.add_argument("--script", default=SCRIPT, metavar="PATH",
                        help="measure this copy of wblogin.py instead (to try "
                             "a change against the committed one)")
    args = parser.parse_args(argv)
    runs = max(args.runs, 1)
    memory_runs = 7
    pythons = find_pythons(args.python, args.all_pythons)
    if not pythons:
        parser.error("no CPython 3.6-3.13 to measure")

    wandb_cli = os.path.join(os.path.dirname(sys.executable), "wandb")
    if args.no_wandb:
        wandb_cli, wandb_why = None, "skipped (--no-wandb)"
    elif not os.access(wandb_cli, os.X_OK):
        wandb_cli = None
        wandb_why = ("skipped: no `wandb` command beside %s (run `tox -e bench`, "
                     "or this script with the Python of an environment that has "
                     "wandb)" % sys.executable)
    # wandb runs in the interleaved run of the interpreter behind its Python.
    wandb_home = None
    if wandb_cli:
        real = os.path.realpath(base_python())
        for item in pythons:
            if os.path.realpath(item[2]) == real:
                wandb_home = item
        info = describe(base_python()) if wandb_home is None else None
        if info:
            wandb_home = (info[0], info[1], base_python())
            pythons.append(wandb_home)
        elif wandb_home is None:
            wandb_cli = None
            wandb_why = "skipped: the Python beside `wandb` is not CPython 3.6-3.13"

    busy_start, own_start = busy_seconds(), own_seconds()
    memory_tool = find_memory_tool() if args.memory != "wait4" else None
    if args.memory == "time" and not memory_tool:
        parser.error("`%s -f %%M -o FILE` does not work here" % GNU_TIME)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
    root = tempfile.mkdtemp(prefix="wblogin-bench-")
    server = FakeWandb(keys=(KEY,))
    report = Report()
    failures = []
    started = time.perf_counter()
    bench = None
    labels = []
    try:
        bench = Bench(root, server, os.path.abspath(args.script), memory_tool)
        for item in pythons:
            version, text, python = item
            label = text
            labels.append(text)
            use_wandb = wandb_cli if item is wandb_home else None
            try:
                warm_pycache(python, bench.module_dir)
                cases = bench.cases(python, use_wandb, runs, args.big_runs,
                                    args.concurrent_runs, args.wandb_runs,
                                    args.wandb_concurrent_runs, memory_runs)
                samples = bench.measure(cases, runs, label)
            except (Failure, subprocess.CalledProcessError) as error:
                failures.append("%s: %s" % (label, error))
                report.note(label, "FAILED: %s" % str(error).splitlines()[0])
                print("bench: %s: a measured command failed: %s"
                      % (label, error), file=sys.stderr)
                continue
            report_python(report, label, version, samples, bench.big_size)
    except KeyboardInterrupt:
        print("bench: interrupted", file=sys.stderr)
        return 130
    finally:
        if bench is not None:
            bench.close()
        server.stop()
        shutil.rmtree(root, True)

    stamp = time.strftime("%Y-%m-%d %H:%M %Z")
    wandb_text = (("%s (CLI beside %s, measured with CPython %s)"
                   % (wandb_version(), sys.executable, wandb_home[1]))
                  if wandb_cli else wandb_why)
    print()
    print("wblogin benchmark (SPEC 11), %s, %s %s, %d CPUs"
          % (stamp, platform.system(), platform.machine(), os.cpu_count() or 0))
    print("wblogin.py %s (sha256 %s, copied at the start)"
          % (bench.script_version, bench.script_sha))
    print("time: medians of whole processes, %d interleaved rounds per "
          "interpreter, fresh HOME each run; the 60,000-entry netrc (%.1f MB, a "
          "fresh copy each run) in %d of the rounds, %d concurrent logins to one "
          "netrc in %d%s"
          % (runs, bench.big_size / 1e6, min(args.big_runs, runs), CONCURRENT,
             min(args.concurrent_runs, runs),
             " (wandb's in %d), wandb's single logins in %d"
             % (min(args.wandb_concurrent_runs, runs),
                min(args.wandb_runs, runs)) if wandb_cli else ""))
    print("peak memory: %s, in separate runs (%d per figure, %d for the 60k "
          "netrc) interleaved with the timed ones"
          % ("GNU time (`/usr/bin/time -f %M`: ru_maxrss of its child)"
             if memory_tool else
             "wait4 ru_maxrss in a small -I -S spawner process (no /usr/bin/time)",
             min(memory_runs, runs), min(args.big_runs, runs)))
    print("wandb: %s" % wandb_text)
    # CPU time the machine spent on anything but this benchmark.
    elapsed = time.perf_counter() - started
    busy = busy_seconds()
    foreign = (busy - busy_start - (own_seconds() - own_start)
               if busy is not None and busy_start is not None else None)
    if foreign is not None and foreign > 0.05 * elapsed:
        print("note: other processes kept %.2f of the %d CPUs busy on average "
              "while this ran (load average %.1f at the start): the figures are "
              "inflated and noisier than on a quiet machine"
              % (foreign / elapsed, os.cpu_count() or 0, load))
    elif foreign is None and load > 0.5:
        print("note: load average %.1f when this started: other work was "
              "running, so the figures are inflated and noisier than on a quiet "
              "machine" % load)
    else:
        print("quiet machine: other processes used %.1f CPU s in %.0f s"
              % (foreign or 0.0, elapsed))
    if (os.cpu_count() or 0) != 2:
        print("note: the concurrency goal is for 2 cores; this machine has %d"
              % (os.cpu_count() or 0))
    print()
    print(ROW % ("python", "figure", "value", "reference", "ratio", "goal",
                 "result"))
    print("-" * 106)
    last = None
    for line in report.lines:
        label = line.split()[0].rstrip("*")
        if last is not None and label != last:
            print()
        last = label
        print(line)
    print()
    print("Summary (%s; wblogin %s; CPython %s; wandb %s; %s; medians):"
          % (time.strftime("%Y-%m-%d"), bench.script_version, ", ".join(labels),
             wandb_version() if wandb_cli else "not measured",
             "%d CPUs" % (os.cpu_count() or 0)))
    for line in report.summary:
        print("- " + line)
    print("(%.0f s in all)" % (time.perf_counter() - started))
    for problem in bench.problems:
        print("bench: a measured command failed: %s" % problem, file=sys.stderr)
    if failures or bench.problems:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
