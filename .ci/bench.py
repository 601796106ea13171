#!/usr/bin/env python3
"""Benchmark wblogin.py against the interpreter's own start-up (SPEC section 11).

Whole-process wall-clock medians, measured in one run on one machine, with the
commands of one interpreter interleaved round-robin so that drift hits all of
them alike. Every run gets a fresh temporary HOME (netrc, settings); the
verify cases talk to a minimal W&B stand-in that this script serves on
127.0.0.1 from a thread. Peak memory is the child's own ru_maxrss (os.wait4
in a small spawner process).

    python .ci/bench.py                       # every CPython 3.6-3.13 pyenv has
    python .ci/bench.py --python /usr/bin/python3 --runs 31

When the `wandb` command sits beside the Python running this script (as in
`tox -e bench`), `wandb login` is measured too, for scale. Standard library
only; prints a table and exits 0 even when a goal is missed: it is a report,
not a test. Exits 1 only when a measured command itself fails.
"""

import argparse
import glob
import marshal
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPT = os.path.join(os.path.dirname(HERE), "wblogin.py")
# The test suite's W&B stand-in serves the verify cases.
sys.path.insert(0, os.path.dirname(HERE))
from test_wblogin import KEY_V1 as KEY, FakeWandb  # noqa: E402
# Start-up hooks of site-packages (.pth files) slower than this (and than
# half the start-up without site) make the interpreter's own `-I -c pass` a
# poor yardstick; the report says so.
SITE_NOTE_MS = 8.0

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

GOALS = {"store": 1.5, "module": 1.3, "verify": 1.25, "memory": 3.0}


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
    version = tuple(int(x) for x in out[1].split("."))
    return version, out[1]


def base_python():
    """The interpreter behind this one, when this one runs in a venv."""
    if sys.prefix != getattr(sys, "base_prefix", sys.prefix):
        for name in ("python3", "python"):
            candidate = os.path.join(sys.base_prefix, "bin", name)
            if os.path.isfile(candidate):
                return candidate
    return sys.executable


def find_pythons(explicit):
    candidates = list(explicit)
    if not candidates:
        try:
            root = subprocess.check_output(["pyenv", "root"], timeout=30,
                                           stderr=subprocess.DEVNULL)
            root = root.decode().strip()
        except (OSError, subprocess.SubprocessError):
            root = None
        if root:
            candidates = glob.glob(os.path.join(root, "versions", "*", "bin",
                                                "python3"))
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
    return [(text, python) for _, text, python in sorted(found)]


# --------------------------------------------------------------------------
# Running and timing
# --------------------------------------------------------------------------

# The process that starts every measured command. A child's ru_maxrss
# starts at the RSS of the process it was forked from (Linux carries the old
# memory's high-water mark across exec), so the forking is done by this
# small helper (-I -S, nothing imported) instead of the benchmark itself:
# its few MiB stay below any Python's start-up. It also takes the time, so
# subprocess' own overhead is not measured. Requests and replies are
# length-prefixed marshal data on its standard input and output.
_SPAWNER = r"""
import marshal, os, sys, time
read, write = sys.stdin.buffer.read, sys.stdout.buffer.write
null = os.open(os.devnull, os.O_RDWR)
while True:
    head = read(4)
    if len(head) < 4:
        break
    argv, env, cwd = marshal.loads(read(int.from_bytes(head, "big")))
    start = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        try:
            os.chdir(cwd)
            for fd in (0, 1, 2):
                os.dup2(null, fd)
            os.execve(argv[0], argv, env)
        finally:
            os._exit(127)
    _, status, usage = os.wait4(pid, 0)
    reply = marshal.dumps((time.perf_counter() - start, usage.ru_maxrss, status))
    write(len(reply).to_bytes(4, "big") + reply)
    sys.stdout.buffer.flush()
"""


class Bench(object):
    def __init__(self, root, server, script=SCRIPT):
        self.root = root
        self.server = server
        self.script = script
        self.count = 0
        self.module_dir = os.path.join(root, "module")
        os.mkdir(self.module_dir)
        shutil.copyfile(script, os.path.join(self.module_dir, "wblogin.py"))
        self.scratch = os.path.join(root, "tmp")
        os.mkdir(self.scratch)
        self.spawner = subprocess.Popen(
            [sys.executable, "-I", "-S", "-c", _SPAWNER],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE)

    def close(self):
        self.spawner.stdin.close()
        self.spawner.wait(30)
        self.spawner.stdout.close()

    def fresh_home(self, logged_in=False):
        """A new HOME for one run; `logged_in` puts a key and base_url there."""
        self.count += 1
        home = os.path.join(self.root, "home%d" % self.count)
        work = os.path.join(home, "work")
        config = os.path.join(home, ".config", "wandb")
        os.makedirs(work)
        os.makedirs(config)
        env = {"HOME": home, "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
               "NETRC": os.path.join(home, ".netrc"),
               "WANDB_CONFIG_DIR": config, "WANDB_DIR": work, "LC_ALL": "C",
               "TMPDIR": self.scratch, "WANDB_ERROR_REPORTING": "false"}
        if logged_in:
            machine = self.server.url.split("://", 1)[1]
            with open(env["NETRC"], "w") as handle:
                handle.write("machine %s\n  login user\n  password %s\n"
                             % (machine, KEY))
            os.chmod(env["NETRC"], 0o600)
            with open(os.path.join(config, "settings"), "w") as handle:
                handle.write("[default]\nbase_url = %s\n" % self.server.url)
        return env, work

    def cases(self, python, wandb_cli=None):
        """name -> (argv, cwd or None for the run's own, needs a logged-in home)."""
        url = self.server.url
        one_liner = URLLIB_ONE_LINER % {"url": url, "query": QUERY, "key": KEY}
        cases = {
            "pass": ([python, "-I", "-c", "pass"], None, False),
            "nosite": ([python, "-I", "-S", "-c", "pass"], None, False),
            "store": ([python, "-I", self.script, KEY, "--host", url], None, False),
            "module": ([python, "-E", "-s", "-m", "wblogin", KEY, "--host", url],
                       self.module_dir, False),
            "urllib": ([python, "-I", "-c", one_liner], None, False),
            "verify": ([python, "-I", self.script, KEY, "--host", url, "--verify"],
                       None, False),
        }
        if wandb_cli:
            cases["wandb-store"] = ([wandb_cli, "login", "--no-verify", KEY,
                                     "--host", url], None, False)
            cases["wandb-verify"] = ([wandb_cli, "login", "--verify"], None, True)
        return cases

    def check(self, case):
        """Run a case once with its output captured; raise if it fails."""
        argv, cwd, logged_in = case
        env, work = self.fresh_home(logged_in)
        process = subprocess.Popen(argv, cwd=cwd or work, env=env,
                                   stdin=subprocess.DEVNULL,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        out, err = process.communicate(timeout=120)
        if process.returncode != 0:
            raise RuntimeError("%s exited %d:\n%s%s" % (
                " ".join(argv[:4]), process.returncode,
                out.decode("utf-8", "replace"), err.decode("utf-8", "replace")))

    def run(self, case):
        """Run one case in a fresh home: (seconds, peak RSS in MiB)."""
        argv, cwd, logged_in = case
        env, work = self.fresh_home(logged_in)
        # wblogin fsyncs what it writes; on ext4 an fsync also commits every
        # other pending change, such as the homes made for the runs before.
        os.sync()
        request = marshal.dumps((argv, env, cwd or work))
        self.spawner.stdin.write(len(request).to_bytes(4, "big") + request)
        self.spawner.stdin.flush()
        head = self.spawner.stdout.read(4)
        if len(head) < 4:
            raise RuntimeError("the spawner process died")
        elapsed, peak, status = marshal.loads(
            self.spawner.stdout.read(int.from_bytes(head, "big")))
        if status != 0:
            raise RuntimeError("%s ended with wait status %d"
                               % (" ".join(argv[:4]), status))
        # ru_maxrss is KiB on Linux, bytes on macOS.
        return elapsed, peak / (1024.0 * 1024 if sys.platform == "darwin"
                                else 1024.0)

    def measure(self, cases, runs):
        """Round-robin `runs` times over `cases`: name -> (times, peaks)."""
        for case in cases.values():      # a checked warm-up run each
            self.check(case)
        samples = dict((name, ([], [])) for name in cases)
        for _ in range(runs):
            for name, case in cases.items():
                elapsed, peak = self.run(case)
                samples[name][0].append(elapsed)
                samples[name][1].append(peak)
        return samples


def warm_pycache(python, directory):
    subprocess.check_call([python, "-E", "-s", "-c", "import wblogin"],
                          cwd=directory, stdout=subprocess.DEVNULL)


# --------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------

def row(label, case, this, ref, ratio, goal, verdict):
    return "%-14s %-28s %10s %10s %9s %9s  %s" % (
        label, case, this, ref, ratio, goal, verdict)


def report_python(label, samples):
    med = dict((name, statistics.median(t) * 1000) for name, (t, _) in samples.items())
    mem = dict((name, statistics.median(m)) for name, (_, m) in samples.items())
    lines = []
    for name, ref, title in (("store", "pass", "store (-I wblogin.py)"),
                             ("module", "pass", "module (-E -s -m wblogin)"),
                             ("verify", "urllib", "verify vs urllib one-liner")):
        ratio = med[name] / med[ref]
        goal = GOALS[name]
        lines.append(row(label, title, "%.1f ms" % med[name], "%.1f ms" % med[ref],
                         "%.2fx" % ratio, "<=%.2fx" % goal,
                         "PASS" if ratio <= goal else "MISS"))
    extra = mem["store"] - mem["pass"]
    lines.append(row(label, "peak memory, store", "%.1f MiB" % mem["store"],
                     "%.1f MiB" % mem["pass"], "%+.1f MiB" % extra,
                     "<=+%.0f MiB" % GOALS["memory"],
                     "PASS" if extra <= GOALS["memory"] else "MISS"))
    lines.append(row(label, "peak memory, module", "%.1f MiB" % mem["module"],
                     "%.1f MiB" % mem["pass"],
                     "%+.1f MiB" % (mem["module"] - mem["pass"]), "(info)", ""))
    hooks = med["pass"] - med["nosite"]
    if hooks > max(SITE_NOTE_MS, med["nosite"] / 2):
        lines.append("%-14s note: site-packages start-up hooks (.pth files) take "
                     "%.1f ms of `-I -c pass` here (`-I -S -c pass`: %.1f ms): "
                     "these ratios flatter wblogin" % (label, hooks, med["nosite"]))
    return lines


def report_wandb(label, samples):
    med = dict((name, statistics.median(t) * 1000) for name, (t, _) in samples.items())
    mem = dict((name, statistics.median(m)) for name, (_, m) in samples.items())
    lines = [row(label, "python -I -c pass", "%.1f ms" % med["pass"], "", "",
                 "", "%.1f MiB" % mem["pass"])]
    for name, ref, title in (("store", "pass", "wblogin store"),
                             ("wandb-store", "pass", "wandb login --no-verify"),
                             ("wandb-store", "store", "  same, vs wblogin store"),
                             ("verify", "urllib", "wblogin --verify"),
                             ("wandb-verify", "urllib", "wandb login --verify"),
                             ("wandb-verify", "verify", "  same, vs wblogin verify")):
        lines.append(row(label, title, "%.1f ms" % med[name], "%.1f ms" % med[ref],
                         "%.2fx" % (med[name] / med[ref]), "for scale",
                         "%.1f MiB" % mem[name]))
    return lines


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--python", action="append", default=[], metavar="PATH",
                        help="measure this interpreter (repeatable); default: "
                             "every CPython 3.6-3.13 under `pyenv root`, else "
                             "the one running this script")
    parser.add_argument("--runs", type=int, default=31,
                        help="interleaved runs per command (default 31, min 15)")
    parser.add_argument("--wandb-runs", type=int, default=15,
                        help="runs of the wandb comparison (default 15)")
    parser.add_argument("--no-wandb", action="store_true",
                        help="skip the comparison with the wandb CLI")
    parser.add_argument("--script", default=SCRIPT, metavar="PATH",
                        help="measure this copy of wblogin.py instead (to try "
                             "a change against the committed one)")
    args = parser.parse_args(argv)
    runs = max(args.runs, 15)
    pythons = find_pythons(args.python)
    wandb_cli = os.path.join(os.path.dirname(sys.executable), "wandb")
    if args.no_wandb or not os.path.isfile(wandb_cli):
        wandb_cli = None

    root = tempfile.mkdtemp(prefix="wblogin-bench-")
    server = FakeWandb()
    lines = []
    started = time.perf_counter()
    bench = Bench(root, server, os.path.abspath(args.script))
    try:
        for version, python in pythons:
            warm_pycache(python, bench.module_dir)
            samples = bench.measure(bench.cases(python), runs)
            lines += report_python(version, samples)
            print("bench: measured %s" % version, file=sys.stderr)
        if wandb_cli:
            info = describe(sys.executable)
            wandb_version = subprocess.check_output(
                [sys.executable, "-c", "import wandb;print(wandb.__version__)"],
                stderr=subprocess.DEVNULL).decode().strip()
            cases = bench.cases(sys.executable, wandb_cli)
            del cases["module"], cases["nosite"]
            samples = bench.measure(cases, max(args.wandb_runs, 15))
            label = "%s+wandb" % (info[1] if info else "?")
            lines.append("")
            lines.append("wandb %s (CLI beside %s), %d runs:"
                         % (wandb_version, sys.executable, max(args.wandb_runs, 15)))
            lines += report_wandb(label, samples)
    except RuntimeError as error:
        print("bench: a measured command failed: %s" % error, file=sys.stderr)
        return 1
    finally:
        bench.close()
        server.stop()
        shutil.rmtree(root, True)

    print()
    print("wblogin benchmark: medians of %d interleaved runs per command, "
          "fresh HOME each run, %s" % (runs, time.strftime("%Y-%m-%d %H:%M")))
    if bench.script != SCRIPT:
        print("script measured: %s" % bench.script)
    print(row("python", "case", "this", "reference", "ratio", "goal", "result"))
    print("-" * 96)
    for line in lines:
        print(line)
    print("(%.0f s in all)" % (time.perf_counter() - started))
    return 0


if __name__ == "__main__":
    sys.exit(main())
