#!/usr/bin/env python3
"""wblogin: `wandb login` in one file of standard-library Python.

Stores a Weights & Biases API key where the wandb SDK looks for it (the netrc
file, plus `base_url` in the wandb settings file), without installing the SDK,
and says which key the SDK will use, read the way the SDK reads its files.
Copy this file onto a login node, a build box or a CI runner, or vendor it.

Runs on CPython 3.6-3.13, standard library only.
Documentation: README.md of the wblogin repository this file comes from.
Copyright (c) 2026 the wblogin authors.
SPDX-License-Identifier: MIT
"""

__version__ = "1.1.0"
__license__ = "MIT"

import os
import sys

__all__ = [
    "LoginError", "UsageError", "InvalidKeyError", "NoCredentialsError",
    "StorageError", "KeyRejectedError", "ServerError", "Interrupted",
    "CLOUD_URL", "normalize_host", "app_url", "clean_api_key",
    "validate_api_key", "mask_api_key", "parse_netrc", "netrc_set",
    "netrc_remove", "settings_set", "resolve_host", "netrc_path",
    "settings_paths", "find_api_key", "write_netrc_key", "remove_netrc_key",
    "verify_api_key", "login", "status", "logout", "print_key", "main",
]


# --------------------------------------------------------------------------
# Errors: one tree; only main() turns them into messages and exit codes.
# --------------------------------------------------------------------------

class LoginError(Exception):
    """Base of every error wblogin raises; `exit_code` is what the CLI returns.

    `message` is one printable line that never holds a full API key.
    """

    exit_code = 1

    def __init__(self, message, path=None, host=None):
        message = _printable(message, 2000)    # whatever it quotes
        Exception.__init__(self, message)
        self.message = message
        self.path = path
        self.host = host

    def __str__(self):
        return self.message


class UsageError(LoginError):
    """Bad flags, a bad URL or a malformed key typed by the user (exit 2)."""

    exit_code = 2


class InvalidKeyError(UsageError):
    """A key that does not have the shape of a W&B API key."""


class NoCredentialsError(LoginError):
    """No key anywhere, or none the wandb SDK would use (exit 1)."""


class StorageError(LoginError):
    """A file could not be read, locked, checked or written (exit 1)."""


class KeyRejectedError(LoginError):
    """The server says the key is not valid (exit 1)."""


class ServerError(LoginError):
    """The server could not be reached or is not the W&B API (exit 3)."""

    exit_code = 3


class Interrupted(LoginError):
    """Ctrl-C, or end of input at the prompt (exit 130)."""

    exit_code = 130


# --------------------------------------------------------------------------
# Constants, and every size limit in one place
# --------------------------------------------------------------------------

CLOUD_URL = "https://api.wandb.ai"
# wandb 0.31+ reaches the cloud through CoreWeave's Forge host: its default
# base_url, and the netrc machine its `wandb login --cloud` writes. Same
# service, same key; its netrc lookup falls back to api.wandb.ai.
_FORGE_URL = "https://api.forge.coreweave.com"
_DEFAULT_TIMEOUT = 10.0
_LOCK_WAIT = 10.0
_PROMPT_TRIES = 3
_PASTE_MARKERS = ("\x1b[200~", "\x1b[201~")
_KEY_CHARS = frozenset(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-")
_HOST_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-._")
_TRUE = ("1", "true", "yes", "on")
_WORD_CHARS = "".join(sorted(_KEY_CHARS)) + "."   # what a key or a token is made of

_MAX_KEY_CHARS = 4096             # a longer key is refused before any use
_MAX_STDIN_BYTES = 64 * 1024      # `-`: the first line, at most this much
_MAX_NETRC_BYTES = 64 << 20       # a netrc file (the benchmark's is 6 MB)
_MAX_SETTINGS_BYTES = 1 << 20     # a wandb settings file
_MAX_REPLY_BYTES = 1 << 20        # a --verify reply body
_MAX_JSON_DEPTH = 64              # nesting of a reply judged as JSON
_MAX_SHOWN_CHARS = 200            # outside text quoted in a message
_MAX_RETRY_AFTER = 30.0           # seconds of Retry-After ever honoured

# What older SDKs cannot use (found with the real SDK, see README).
_OLDEST_SDK_FOR_LONG_KEYS = (0, 22, 3)
_OLDEST_SDK_FOR_PORTS = (0, 24, 0)
_OLDEST_SDK_FOR_JWT = (0, 26, 0)

# The settings of wandb 0.31 (its pydantic Settings model), by what each
# accepts as text, in a settings file or a WANDB_* variable: b yes/no (true,
# false, yes, no, on, off, t, f, y, n, 1, 0, in any case), i a whole number
# (i0 at least 0, i1 at least 1), f a number (f0 at least 0, f1 above 0),
# s any text, u a URL, j a JSON object of texts, x no text at all, ? what
# wblogin cannot tell; p, r and w the rules for a project, run and sweep id.
# `=name:` lists the values a setting allows (b=: yes/no or one of them).
# A settings file with any other option, or a value its setting refuses,
# makes the SDK ignore both files; such a WANDB_* variable stops it.
# Read off the SDK itself (README, "Working with the wandb SDK").
_SDK_SETTINGS = """
b: allow_media_symlink allow_offline_artifacts allow_val_change
   console_multipart disable_code disable_git disable_git_fork_point
   disable_job_creation finish_timeout_raises force insecure_disable_ssl
   label_disable launch quiet relogin resumed sagemaker_disable save_code
   show_colors show_emoji show_errors show_info show_warnings silent
   stop_on_fatal_error strict symlink sync_tensorboard
   table_raise_on_max_row_limit_exceeded use_dot_wandb x_cli_only_mode
   x_disable_machine_info x_disable_meta x_disable_stats x_disable_viewer
   x_file_stream_no_gzip x_flow_control_custom x_flow_control_disabled
   x_primary x_save_requirements x_server_side_derived_summary
   x_skip_transaction_log x_stats_no_cgroup x_stats_self_usage
   x_stats_track_process_tree x_sync x_update_finish_state
i: heartbeat_seconds max_end_of_run_history_metrics
   max_end_of_run_summary_metrics summary_timeout summary_warnings
   x_file_stream_max_bytes x_file_stream_retry_max x_file_transfer_retry_max
   x_graphql_retry_max x_live_policy_rate_limit x_live_policy_wait_time
   x_log_level x_network_buffer x_stats_buffer_size x_stats_cpu_count
   x_stats_cpu_logical_count x_stats_gpu_count x_stats_pid
i0: console_chunk_max_bytes console_chunk_max_seconds
i1: x_file_stream_max_line_bytes
f: finish_timeout init_timeout login_timeout
   x_file_stream_retry_wait_max_seconds x_file_stream_retry_wait_min_seconds
   x_file_stream_timeout_seconds x_file_stream_transmit_interval
   x_file_transfer_retry_wait_max_seconds
   x_file_transfer_retry_wait_min_seconds x_file_transfer_timeout_seconds
   x_graphql_retry_wait_max_seconds x_graphql_retry_wait_min_seconds
   x_graphql_timeout_seconds x_internal_check_process x_start_time
   x_transaction_log_flush_interval
f0: x_service_wait
f1: x_stats_sampling_interval
s: anonymous api_key app_url_override base_url code_dir credentials_file
   docker email entity git_commit git_remote git_remote_url git_root host
   identity_token_file ignore_globs job_name launch_config_path
   notebook_name organization program program_abspath program_relpath
   root_dir run_group run_job_type run_name run_notes run_tags
   settings_system sweep_param_path username x_executable x_files_dir
   x_history_value_encoding x_jupyter_name x_jupyter_path x_jupyter_root
   x_label x_runqueue_item_id x_service_transport
   x_stats_coreweave_metadata_endpoint x_stats_dcgm_exporter
   x_stats_gpu_type x_stats_neuron_monitor_config_path x_sync_dir_suffix
u: http_proxy https_proxy x_stats_coreweave_metadata_base_url
j: x_extra_http_headers x_stats_open_metrics_endpoints
   x_stats_open_metrics_http_headers
x: azure_account_url_to_access_key capture_loggers config_paths fork_from
   resume_from stop_fn x_proxies x_stats_disk_paths
?: x_stats_gpu_device_ids x_stats_open_metrics_filters
p: project
r: run_id
w: sweep_id
=console: auto off wrap redirect wrap_raw wrap_emu
=job_source: repo artifact image
=mode: online offline shared disabled dryrun run
b=reinit: default return_previous finish_previous create_new
=resume: allow must never auto
"""
_SDK_KINDS = {}     # name -> kind, from _SDK_SETTINGS on first use


# --------------------------------------------------------------------------
# Code compiled on first use
#
# `python wblogin.py` compiles the whole file on every run (a script gets no
# __pycache__), and compiling costs time and memory in proportion to the
# code. The parts a plain store never runs -- the lookups, the other
# actions, the prompt and the check with the server -- are kept as text in
# _SECTIONS and compiled into this module the first time one of their
# functions is needed. Imported (or run with -m), the module caches that
# code beside its own bytecode in __pycache__, as Python caches a module
# (README, "Performance").
# --------------------------------------------------------------------------

_SECTIONS = {}
_SECTION_CACHE_LIMIT = 1 << 20      # bytes; ours are a few dozen KiB


def _section(name):
    """This module's namespace, with section `name` compiled into it once.

    A traceback from a section names it, with line numbers counted from the
    start of its text."""
    text = _SECTIONS.pop(name, None)
    if text is not None:
        exec(_section_code(name, text), globals())
    return globals()


def _section_code(name, text):
    """The code of section `name`: from the cache file beside this module's
    bytecode when that file was written by this Python from this very text
    (and by this user or root, writable by no one else), else compiled --
    and cached, when Python itself would write bytecode. The cache is only
    ever a speed-up: any failure to read or write it is ignored."""
    label = "wblogin, section " + name
    cached = globals().get("__cached__")
    if not cached or not cached.endswith(".pyc"):
        return compile(text, label, "exec")   # a script: no cache, as Python
    import marshal
    path = "%s.section-%s.pyc" % (cached[:-4], name)
    header = ("wblogin section cache\n%s %x\n" % (
        sys.implementation.cache_tag, sys.hexversion)).encode("ascii")
    try:
        data = _read_regular(path, _SECTION_CACHE_LIMIT, owned=True)
        if data is not None and data.startswith(header):
            stored_text, code = marshal.loads(data[len(header):])
            if stored_text == text and type(code) is type(_section.__code__):
                return code
    except Exception:   # unreadable, foreign or damaged: compile instead
        pass
    code = compile(text, label, "exec")
    if not sys.dont_write_bytecode:
        temp = "%s.%d.%s.tmp" % (path, os.getpid(), os.urandom(4).hex())
        try:
            _regular_or_absent(path)
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL |
                         getattr(os, "O_NOFOLLOW", 0) |
                         getattr(os, "O_BINARY", 0), 0o644)
            try:
                data = memoryview(header + marshal.dumps((text, code)))
                while data:
                    data = data[os.write(fd, data):]
            finally:
                os.close(fd)
            os.replace(temp, path)
        except Exception:   # a read-only folder, a full disk: no cache
            try:
                os.unlink(temp)
            except OSError:
                pass
    return code


# --------------------------------------------------------------------------
# Pure logic: text from outside, made safe to print
# --------------------------------------------------------------------------

def _printable(text, limit=_MAX_SHOWN_CHARS):
    """`text` fit for a message: control characters, escape sequences and
    invisible formatting characters shown escaped, anything that may be an
    API key masked (see _masked), cut to `limit` characters.

    The one way any text from outside (a server, a file, the environment,
    an argument) reaches a message: a Location header with ESC sequences
    must not drive the user's terminal, nor a URL that quotes the key show
    it.
    """
    text, cut = str(text), 2 * limit + 64
    if len(text) > cut:
        # Cut where no word that may be a key is cut short (and so missed).
        text = text[:cut].rstrip(_WORD_CHARS) + "..."
    text = _masked(text)
    if len(text) > limit:
        text = text[:limit] + "...(more)"
    if text.isprintable():
        return text
    out = []
    for ch in text:
        if ch.isprintable():
            out.append(ch)
        else:
            code = ord(ch)
            out.append("\\x%02x" % code if code < 0x100 else
                       "\\u%04x" % code if code < 0x10000 else "\\U%08x" % code)
    return "".join(out)


def mask_api_key(key):
    # type: (str) -> str
    """`****` and the last four characters: safe to print anywhere (ASCII)."""
    if not isinstance(key, str) or len(key) < 12:
        return "****"
    tail = key[-4:]
    if all(32 < ord(c) < 127 for c in tail):
        return "****" + tail
    return "****" + "".join(
        c if 32 < ord(c) < 127 else "\\u%04x" % ord(c) for c in tail)


def _masked(text):
    """`text` with every word that may be an API key shown as `****` and
    its last four letters: a run of 32 or more key letters, or a token
    (`eyJ...` and two more parts, joined by '.')."""
    out, word = [], []
    for ch in text + " ":
        if ch in _WORD_CHARS:
            word.append(ch)
            continue
        word = "".join(word)
        if len(word) >= 32 or "eyJ" in word:
            head, eyj, token = word.partition("eyJ")
            parts = (eyj + token).split(".")
            if eyj and len(parts) >= 3 and all(parts[:3]):
                word = head + ".".join([mask_api_key(".".join(parts[:3]))] +
                                       parts[3:])
            word = ".".join(mask_api_key(part) if len(part) >= 32 else part
                            for part in word.split("."))
        out += [word, ch]
        word = []
    return "".join(out)[:-1]


def _might_hold_key(text):
    """True when `text` holds a word that may be an API key (see _masked).

    Text the user typed (a --host value, an unknown argument) is echoed in
    messages only when this is False.
    """
    return _masked(text) != text


def _key_in(text):
    """True when a word of `text` (between . / : @ ? # [ ] =) is shaped like
    an API key: 40+ key letters, with both letters and digits in them."""
    for sep in "/:@?#[]=":
        text = text.replace(sep, ".")
    return any(validate_api_key(word) is None and any(c.isdigit() for c in word)
               and any(c.isalpha() for c in word) for word in text.split("."))


def _echo(text):
    """User input fit to quote in a message: printable, and never a key."""
    if _might_hold_key(text):
        return "(not shown: it may hold an API key)"
    return _printable(text)


def _seconds(value, name):
    """A time budget: a positive, finite number of seconds below 10**6."""
    try:
        value = float(value)
    except (TypeError, ValueError):
        value = -1.0
    if not 0 < value < 1e6:     # also refuses nan and inf
        raise UsageError("%s must be a positive number of seconds" % name)
    return value


def _text(value, what):
    """`value` when it is a str, else UsageError: library callers get a
    LoginError for a wrong argument, never a TypeError from deep inside."""
    if not isinstance(value, str):
        raise UsageError("%s must be text, not %s" % (what, type(value).__name__))
    return value


def _shell_word(text):
    """`text` quoted for a POSIX shell when it needs quoting (for hints the
    user may copy and paste)."""
    if text and all(c.isalnum() or c in "@%+=:,./-_" for c in text):
        return text
    return "'%s'" % text.replace("'", "'\\''")


def _ascii_int(text, digits=9):
    """int(text) for 1-`digits` ASCII digits, else None ('²'.isdigit() is
    True, but int('²') fails)."""
    if not text or len(text) > digits or not all("0" <= c <= "9" for c in text):
        return None
    return int(text)


# --------------------------------------------------------------------------
# Pure logic: host URLs
# --------------------------------------------------------------------------

def normalize_host(url, what="host URL"):
    # type: (str, str) -> str
    """Return the canonical form of a W&B server URL.

    The scheme and host name are lower-cased; a default port, trailing
    slashes and a trailing dot on the host name are dropped, so one server
    always maps to one netrc entry.

    Raises:
        UsageError: the URL is not an http(s) URL wblogin can store safely.
    """
    text = _text(url, what).strip()
    if not text:
        raise UsageError("%s is empty" % what)
    if _key_in(text):
        raise UsageError("%s looks like it holds an API key (not shown): give the "
                         "server's URL, like https://wandb.example.com" % what)
    for ch in text:
        if ord(ch) <= 32 or ord(ch) == 127:
            raise UsageError("%s must not contain spaces or control characters"
                             % what)
        if ord(ch) > 126:
            raise UsageError("%s must be ASCII (write an international name in "
                             "its xn-- form)" % what)
    scheme, sep, rest = text.partition("://")
    if not sep:
        shown = text.rstrip("/")
        if _might_hold_key(shown):
            raise UsageError("%s must be a URL like https://wandb.example.com; "
                             "the value given looks like an API key (not "
                             "shown)" % what)
        raise UsageError("%s must start with https:// or http:// "
                         "(did you mean https://%s?)" % (what, shown))
    scheme = scheme.lower()
    if scheme not in ("http", "https"):
        raise UsageError("%s must use https:// or http://, not %s://"
                         % (what, _echo(scheme)))
    if "?" in rest or "#" in rest:
        raise UsageError("%s must not have a query (?) or fragment (#)" % what)
    netloc, slash, path = rest.partition("/")
    path = (slash + path).rstrip("/")
    if "@" in netloc:
        raise UsageError("%s must not contain user:password@ (wblogin stores "
                         "the key in the netrc file instead)" % what)
    if not netloc:
        raise UsageError("%s has no host name" % what)
    if "%" in path or "\\" in path or '"' in path:
        raise UsageError("%s: the path must not contain %%, \\ or \"" % what)
    host, port = _split_netloc(netloc, what)
    if port == {"https": 443, "http": 80}[scheme]:
        port = None
    if host == "wandb.ai" or host.endswith(".wandb.ai"):
        if not host.startswith("api."):
            raise UsageError("%s points at the W&B web app, not its API "
                             "(did you mean https://api.wandb.ai?)" % what)
        if scheme != "https":
            raise UsageError("%s must use https:// for %s" % (what, host))
    if ":" in host:
        host = "[%s]" % host
    netloc = host if port is None else "%s:%d" % (host, port)
    if netloc == "default":
        raise UsageError("%s names a server 'default', whose netrc entry would be "
                         "`machine default`: the fallback that every other host "
                         "gets too; use its full name" % what)
    return "%s://%s%s" % (scheme, netloc, path)


def _split_netloc(netloc, what):
    # type: (str, str) -> tuple
    """Split `host[:port]` (IPv6 in brackets) into a lower-case host and port."""
    port_text = None
    if netloc.startswith("["):
        host, bracket, tail = netloc[1:].partition("]")
        if not bracket or not host:
            raise UsageError("%s has an unterminated [IPv6] address" % what)
        if tail:
            if not tail.startswith(":"):
                raise UsageError("%s has text after the [IPv6] address" % what)
            port_text = tail[1:]
        if not all(c in "0123456789abcdefABCDEF:." for c in host) or \
                host.count(":") < 2 or host.endswith(".") or len(host) > 45:
            raise UsageError("%s has an invalid IPv6 address" % what)
    else:
        if netloc.count(":") > 1:
            raise UsageError("%s: write an IPv6 address in brackets, "
                             "like http://[::1]:8080" % what)
        host, colon, port_text = netloc.partition(":")
        if not colon:
            port_text = None
        if host.endswith(".") and not host.endswith(".."):
            host = host[:-1]    # the root of DNS: the same server
        if not host:
            raise UsageError("%s has no host name" % what)
        if not all(c in _HOST_CHARS for c in host.lower()) or ".." in host \
                or host.startswith(".") or host.startswith("-") or \
                len(host) > 253 or any(len(label) > 63 for label in host.split(".")):
            raise UsageError("%s has an invalid host name" % what)
    port = None
    if port_text is not None:
        port = _ascii_int(port_text)
        if port is None or not 1 <= port <= 65535:
            raise UsageError("%s: the port must be a number from 1 to 65535"
                             % what)
    return host.lower(), port


def _netloc(url):
    # type: (str) -> str
    """The netrc machine name of a URL: its network location (as
    urllib.parse.urlsplit finds it)."""
    rest = url.split("://", 1)[1]
    for end in "/?#":
        rest = rest.split(end, 1)[0]
    return rest


def _without_password(text):
    """A URL or netloc with the password of its user:password@ shown as ****."""
    scheme, sep, rest = text.rpartition("://")
    userinfo, at, rest = rest.partition("@") if "@" in _netloc("x://" + rest) \
        else ("", "", rest)
    user, colon, _ = userinfo.partition(":")
    return scheme + sep + user + ":****" * bool(colon) + at + rest


def _is_loopback(url):
    # type: (str) -> bool
    """localhost, ::1, or an IPv4 literal in 127.0.0.0/8 (not 127.evil.example)."""
    netloc = _netloc(url).rpartition("@")[2]
    host = netloc[1:].split("]")[0] if netloc.startswith("[") else \
        netloc.split(":")[0]
    if host in ("localhost", "::1"):
        return True
    parts = host.split(".")
    return len(parts) == 4 and parts[0] == "127" and all(
        p.isdigit() and len(p) <= 3 and int(p) < 256 for p in parts)


def app_url(host, env=None):
    # type: (str, dict) -> str
    """The web app URL for an API URL: WANDB_APP_URL, or derived from it."""
    _text(host, "the host")
    env = _environ(env)
    explicit = env.get("WANDB_APP_URL", "").strip().rstrip("/")
    if explicit:
        return explicit
    if "://api.wandb." in host:
        return host.replace("://api.", "://", 1)
    if "://api." in host:
        return host.replace("://api.", "://app.", 1)
    return host


def _sdk_url(text):
    # type: (str) -> str
    """A URL as the wandb SDK holds it: trailing slashes dropped, and a Forge
    proxy path (https://forge.coreweave.com/api/wandb) turned into its host.
    The SDK compares these strings exactly (no case folding, ports kept).
    """
    text = text.rstrip("/")
    for forge in ("forge.coreweave.com", "qa.forge.coreweave.com"):
        if text == "https://%s/api/wandb" % forge:
            return "https://api." + forge
    return text


def _sdk_url_problem(text):
    # type: (str) -> object
    """Why the wandb SDK's settings would refuse `text` as a base_url, or None.

    A model of its checks: a strict http(s) URL with a host (pydantic), no
    web-app name for wandb.ai, and https for wandb.ai.
    """
    scheme, sep, rest = text.partition("://")
    if not sep or scheme.lower() not in ("http", "https"):
        return "it is not an http:// or https:// URL"
    netloc = _netloc(text)
    hostport = netloc.rpartition("@")[2]
    if not hostport or hostport.startswith(":") or any(
            ord(c) <= 32 or ord(c) in (127, 0x85) for c in text):
        return "it has no host name, or spaces in it"
    # Its validator is strict: what a browser would quietly escape is an error.
    tail = rest[len(netloc):]
    pieces = tail.split("%")
    if any(c in tail for c in '"<>[\\]^`{|}') or tail.count("#") > 1 or any(
            not all(c in "0123456789abcdefABCDEF" for c in piece[:2]) or
            len(piece) < 2 for piece in pieces[1:]):
        return "its path holds characters a URL must not hold as they are"
    if hostport.startswith("["):
        name, bracket, port = hostport[1:].partition("]")
        if not bracket or not name or port[:1] not in ("", ":"):
            return "its [IPv6] host is not closed"
        port = port[1:] if port else None
    else:
        name, colon, port = hostport.partition(":")
        port = port if colon else None
        pieces = name.split("%")
        try:    # %-escapes are decoded first, then judged like the rest
            name = pieces[0] + "".join(chr(int(p[:2], 16)) + p[2:] if
                                       len(p) >= 2 else "%" for p in pieces[1:])
        except ValueError:
            name = "%"
        labels = name.rstrip(".").split(".")
        if not name or any(c in name for c in '#/<>?@[\\]^|%') or any(
                c.isspace() or ord(c) < 32 for c in name) or (
                    labels[-1].isdigit() and not all(
                        label.isdigit() for label in labels)):
            return "its host name holds characters a host name cannot"
    if any(c in netloc.rpartition("@")[0] for c in ' "<>\\^`{|}@[]'):
        return "its user name holds characters a URL must not hold as they are"
    if port and (_ascii_int(port, 5) is None or int(port) > 65535):
        return "its port is not a number up to 65535"
    cut = text.rfind("wandb.ai")
    if cut >= 0 and "." not in text[cut + 8:]:
        if "api." not in text:
            return "it names the W&B web app, not its API"
        if not text.startswith("https"):
            return "wandb.ai needs https"
    return None


# --------------------------------------------------------------------------
# Pure logic: API keys
# --------------------------------------------------------------------------

def clean_api_key(text):
    # type: (str) -> str
    """Strip surrounding whitespace and terminal bracketed-paste markers."""
    text, previous = _text(text, "the API key"), None
    while text != previous:
        previous = text
        text = text.strip()
        for marker in _PASTE_MARKERS:
            if text.startswith(marker):
                text = text[len(marker):]
            if text.endswith(marker):
                text = text[:-len(marker)]
    return text


def validate_api_key(key):
    # type: (str) -> object
    """Return a sentence saying what is wrong with `key`, or None if it is fine.

    The rule for a key wblogin stores: `key` is cleaned first (see
    clean_api_key), then must be a JWT or a key of ASCII letters, digits, `_`
    and `-` with 40+ characters after its first `-`. The sentence never
    contains the key.
    """
    if not isinstance(key, str):
        return "API key must be text, not %s." % type(key).__name__
    if len(key) > 2 * _MAX_KEY_CHARS:
        return "API key has %d characters, more than %d." % (
            len(key), _MAX_KEY_CHARS)
    key = clean_api_key(key)
    if not key:
        return "API key is empty."
    if len(key) > _MAX_KEY_CHARS:
        return "API key has %d characters, more than %d." % (
            len(key), _MAX_KEY_CHARS)
    for ch in key:
        if ch.isspace():
            return "API key must be one word: it contains a space or line break."
        if ord(ch) > 126:
            return "API key must be ASCII: it contains other characters."
        if ord(ch) < 32 or ord(ch) == 127:
            return "API key contains a control character (U+%04X)." % ord(ch)
    if "." in key:
        parts = key.split(".")
        if len(parts) == 3 and all(p and set(p) <= _KEY_CHARS for p in parts):
            return None
        return ("API key looks like a token but is not three base64url parts "
                "joined by '.'.")
    bad = sorted(set(key) - _KEY_CHARS)
    if bad:
        return ("API key may contain only letters, digits, '_' and '-': "
                "it contains %s." % " ".join(repr(c) for c in bad))
    prefix, dash, rest = key.partition("-")
    body = rest if dash else key
    if len(body) < 40:
        if dash:
            return ("API key must have 40+ characters after '%s-', has %d."
                    % (prefix, len(body)) if len(prefix) <= 12 else
                    "API key must have 40+ characters after its first '-', "
                    "has %d." % len(body))
        return "API key must have 40+ characters, has %d." % len(body)
    return None


# --------------------------------------------------------------------------
# Pure logic: netrc text, read exactly as Python 3.11+'s netrc module reads it
#
# That module is the reader of every wandb SDK on a supported Python, so its
# answer is the truth for a lookup. This is a model of it (its tokenizer, its
# comments, `default`, `macdef`, the last entry winning, a parse error
# meaning no key at all) that also knows where each entry sits in the text,
# so that an edit can keep every other byte. It gives the same answer on
# 3.6-3.13, whose own netrc modules differ; the test suite checks it against
# the real module on generated files.
# --------------------------------------------------------------------------

_NETRC_SPACE = " \t\r\n"
_FIELDS = {"login": 3, "user": 3, "account": 4, "password": 5}
# White space other than " \t\r\n": str.split() cuts at it, netrc does not.
_ODD_SPACE = ("\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u1680\u180e\u2000\u2001\u2002"
              "\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029"
              "\u202f\u205f\u3000")
_FAST_NETRC_CHARS = 0     # a longer text is cut into words in bulk where it can be
_NETRC_CHUNK = 1 << 18    # characters cut into words at a time


class _NetrcParse(object):
    """What a netrc text means, and where its entries are.

    `hosts` maps each machine name ("default" included) to (login, account,
    password), exactly as netrc.netrc().hosts; `entries` lists the wanted
    entries in file order as (name, start, end, is_default_keyword), the
    span running from the `machine`/`default` word to the end of its last
    field; `macros` maps each macdef name to its body; `error` is (offset,
    reason) when Python's netrc raises (then no entry counts); `open_quote`
    is the offset of a quoted word that runs to the end of the file.
    """

    __slots__ = ("hosts", "entries", "macros", "error", "open_quote",
                 "dangling", "stop", "unended")

    def __init__(self):
        self.hosts = {}
        self.entries = []
        self.macros = {}
        self.error = None
        self.open_quote = None
        self.dangling = False   # the text ends with a field word and no value
        self.stop = None        # where an empty word "" ended the reading
        self.unended = False    # the last word runs to the end of the text

    def authenticators(self, machine):
        """(login, account, password) as netrc.authenticators(): the entry,
        else the `default` one, else None."""
        found = self.hosts.get(machine)
        return self.hosts.get("default") if found is None else found


def _netrc_token(text, p, find):
    """Python's netrc get_token() on `text`, whose lines end in \\n only,
    from `p`: (word, start, end, after, how it ended). `start` and `end`
    bound the word's text, quotes included; `after` follows the white-space
    character that ended it; it ended 0 as usual, 1 unquoted at the end of
    the text, 2 in a quote left open there."""
    n = len(text)
    while p < n and text[p] in " \t\n":
        p += 1
    if p >= n:
        return "", n, n, n, 0
    start, parts, quoted = p, [], text[p] == '"'
    p += quoted
    while True:
        if quoted:
            q = min(find('"', p), find("\\", p))
        else:
            q = min(find(" ", p), find("\t", p), find("\n", p), find("\\", p))
        parts.append(text[p:q])
        if q >= n:
            return "".join(parts), start, n, n, 2 if quoted else 1
        if text[q] != "\\":
            return "".join(parts), start, q + quoted, q + 1, 0
        parts.append(text[q + 1:q + 2])     # nothing, at the very end
        p = q + 2


def _netrc_plain_fields(words, k, entry, hosts, want):
    """The reader's inner loop, over words cut in bulk: the fields of
    entries whose position nobody asked for (`want` is a set), and the
    `machine NAME` that starts the next such entry. Stops at any other
    word; returns (k, the entry being read)."""
    last = len(words) - 1
    name, login, account, password = entry[0], entry[3], entry[4], entry[5]
    while k < last:
        word = words[k]
        if word == "password":
            password = words[k + 1]
        elif word == "login" or word == "user":
            login = words[k + 1]
        elif word == "machine":
            value = words[k + 1]
            if value in want:
                break
            hosts[name] = (login, account, password)
            name, login, account, password = value, "", "", ""
        elif word == "account":
            account = words[k + 1]
        else:
            break
        k += 2
    return k, [name, None, None, login, account, password, False, False]


def parse_netrc(text, want=True):
    # type: (str, object) -> _NetrcParse
    """Read netrc text as Python 3.11+'s netrc module does.

    `want` is the set of machine names whose entries' positions are needed
    (`default` entries are always listed), or True for all of them. Line
    ends are taken as a file opened in text mode takes them: `\r\n` and a
    lone `\r` end a line too.
    """
    # Python's netrc reads a file opened in text mode, where \r\n and a lone
    # \r arrive as \n: read that text, and map positions back at the end.
    _text(text, "the netrc text")
    lf = text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text
    n = len(lf)
    result = _NetrcParse()
    hosts, entries, macros = result.hosts, [], result.macros
    seen = {}

    def find(ch, p):
        # lf.find(ch, p), remembered: the reader only ever moves on.
        since, at = seen.get(ch, (n, -1))
        if not since <= p <= at:
            at = lf.find(ch, p)
            seen[ch] = since, at = p, n if at < 0 else at
        return at

    # A stretch without these is cut into words by str.split(); a macdef
    # switches the reader to lines.
    breaks = ['"', "\\", "#", "macdef"] + [c for c in _ODD_SPACE if c in lf]
    words, k, seek = [], 0, [0, 0, 0, 0, 0]

    def locate(j):
        # (start, end) of word j of the stretch: found on from the last one
        # asked for, or back from the end of the stretch when that is nearer.
        i, at, start, first, last = seek
        if j < i - 1 or j - i > len(words) - j:
            at = last
            for i in range(len(words) - 1, j - 1, -1):
                at = lf.rfind(words[i], first, at)
            return at, at + len(words[j])
        while i <= j:
            start = lf.find(words[i], at)
            at = start + len(words[i])
            i += 1
        seek[:3] = i, at, start
        return start, at

    def fail(at, reason):
        result.error = (at, reason)
        return _netrc_offsets(text, result, [])

    top, name, fields, value = 0, 1, 2, 3
    state, entry, slot, p = top, None, 0, 0
    bulk = n > _FAST_NETRC_CHARS
    while True:
        if k < len(words):
            if state == fields and not entry[7]:
                k, entry = _netrc_plain_fields(words, k, entry, hosts, want)
                if k >= len(words):
                    continue
            tok = words[k]
            start, stop = locate(k)
            resume = min(stop + 1, n)
            k += 1
        else:
            if bulk and p < n:
                end = min(p + _NETRC_CHUNK, min(find(c, p) for c in breaks))
                if end < n:
                    end = max(lf.rfind(" ", p, end), lf.rfind("\t", p, end),
                              lf.rfind("\n", p, end))
                    while end > p and lf[end - 1] in " \t\n":
                        end -= 1
                if end > p:
                    words, k, seek = lf[p:end].split(), 0, [0, p, p, p, end]
                    if end >= n:
                        result.unended = lf[-1] not in " \t\n"
                    p = min(end + 1, n)
                    continue
            before = p
            tok, start, stop, p, ended = _netrc_token(lf, p, find)
            resume = p
            if ended:
                result.unended = ended == 1
                if ended == 2 and result.open_quote is None:
                    result.open_quote = start
            if tok[:1] == "#" and (state == top or state == fields):
                # A comment runs to the end of its line only when its `#`
                # word is on the line the reader was on (Python's netrc
                # tells by its line count) and, at the top, alone.
                if (state == fields or len(tok) == 1) and \
                        lf.find("\n", before, p) < 0:
                    p = min(find("\n", p) + 1, n)
                continue
        if state == value:
            entry[slot] = tok
            if tok or start < n:
                entry[2] = stop
            else:
                result.dangling = True
            state = fields
            continue
        if state == name:
            if not tok:
                return fail(entry[1], "missing 'machine' name")
            entry[0], entry[2] = tok, stop
            entry[7] = want is True or tok in want
            state = fields
            continue
        if state == fields:
            if tok in _FIELDS:
                state, slot, entry[2] = value, _FIELDS[tok], stop
                continue
            if tok not in ("", "machine", "default", "macdef"):
                return fail(start, "bad follower token")
            hosts[entry[0]] = (entry[3], entry[4], entry[5])
            if entry[7]:
                entries.append(entry)
            state = top
            # The word that ended the entry is read again at the top level.
        if not tok:
            if start < n:
                result.stop = start
            break
        if tok == "machine":
            entry, state = [None, start, stop, "", "", "", False, False], name
        elif tok == "default":
            entry = ["default", start, stop, "", "", "", True, True]
            state = fields
        elif tok == "macdef":
            # Its body is read line by line, up to an empty line.
            words, k = [], 0        # the rest is read again from here
            label, _, _, p, _ = _netrc_token(lf, resume, find)
            body = p
            while True:
                if p >= n:
                    return fail(start, "a macdef without the empty line that "
                                "ends it")
                end = find("\n", p)
                if end == p:
                    break
                p = min(end + 1, n)
            macros[label] = lf[body:p]
            p += 1
        else:
            return fail(start, "bad toplevel token")
    return _netrc_offsets(text, result, entries)


def _netrc_offsets(text, result, entries):
    """Give `result` the positions of its entries in `text` itself, whose
    \\r\\n line ends the reader saw as one character."""
    at = lambda q: q
    if "\r\n" in text:
        import bisect
        collapsed, i = [], text.find("\r\n")
        while i >= 0:
            collapsed.append(i - len(collapsed))
            i = text.find("\r\n", i + 2)
        at = lambda q: q + bisect.bisect_left(collapsed, q)
    result.entries = [(e[0], at(e[1]), at(e[2]), e[6]) for e in entries]
    for field in ("open_quote", "stop"):
        if getattr(result, field) is not None:
            setattr(result, field, at(getattr(result, field)))
    if result.error is not None:
        result.error = (at(result.error[0]), result.error[1])
    return result


def _line_number(text, offset):
    """1-based line of `offset`, counting \\n, \\r\\n and a lone \\r."""
    lines = text.count("\n", 0, offset) + 1
    if "\r" in text:
        lines += text.count("\r", 0, offset) - text.count("\r\n", 0, offset)
    return lines


def _line_start(text, offset):
    """Where the line holding `offset` starts (after \\n, \\r\\n or a lone
    \\r); the search looks back about as far as that line is long."""
    width = 256
    while True:
        low = max(0, offset - width)
        end = max(text.rfind("\n", low, offset), text.rfind("\r", low, offset))
        if end >= 0 or low == 0:
            return end + 1
        width *= 4


def _line_end(text, offset):
    """Where the line holding `offset` ends (its \\n, \\r or \\r\\n), or
    len(text); the search looks on about as far as that line is long."""
    width = 256
    while True:
        high = min(len(text), offset + width)
        ends = [at for at in (text.find("\n", offset, high),
                              text.find("\r", offset, high)) if at >= 0]
        if ends or high == len(text):
            return min(ends) if ends else len(text)
        width *= 4


def _newline_of(text):
    if "\r\n" in text:
        return "\r\n"
    return "\r" if "\r" in text and "\n" not in text else "\n"


def _netrc_block(machine, key, newline):
    return "machine %s%s  login user%s  password %s" % (
        machine, newline, newline, key)


def _netrc_problem(text, parsed):
    """Why an edit of this text may not be written, or None."""
    if parsed.error is not None:
        offset, reason = parsed.error
        return ("line %d: %s; Python's netrc module (the wandb SDK's reader) "
                "cannot read the file, so the SDK ignores all of it"
                % (_line_number(text, offset), reason))
    if parsed.open_quote is not None:
        return ("line %d opens a quoted word that is never closed: Python's "
                "netrc module reads the rest of the file as part of it"
                % _line_number(text, parsed.open_quote))
    return None


def _netrc_edits(text, parsed, machines, key):
    """Plan the edits that give each of `machines` the key (or, key None,
    remove their entries).

    Returns candidate plans, best first, each a list of (start, end, new
    text) and how to check it: 'append' or 'replace' (changes the reading
    of the old text proves harmless), else 'full' (read the new text again).
    Only a new entry has more than one place to go.
    """
    newline = _newline_of(text)
    edits, blocks, cuts, replaced_only = [], [], [], True
    for machine in machines:
        mine = [e for e in parsed.entries if e[0] == machine and not e[3]]
        cuts += mine if key is None else mine[:-1]
        replaced_only = replaced_only and len(mine) < 2
        if key is None:
            continue
        block = _netrc_block(machine, key, newline)
        if mine:
            _, start, end, _ = mine[-1]
            if end < len(text) and text[end] not in _NETRC_SPACE:
                block += " "    # after a quoted word nothing else separates
            edits.append((start, end, block))
        else:
            blocks.append(block + newline)
            replaced_only = False
    # Removed entries take their lines with them; and since Python's netrc
    # reads a comment line as one only right below a line of its entry, the
    # blank lines above a removed entry may have to go too.
    line_span = _section("actions")["_line_span"] if cuts else None
    cut_plans = [[line_span(text, s, e, blanks) + ("",) for _, s, e, _ in cuts]
                 for blanks in (False, True)] if cuts else [[]]
    if blocks:
        places = _new_entry_places(text, parsed, "".join(blocks), newline,
                                   bool(edits or cuts))
    else:
        places = [(None, "replace" if key is not None and replaced_only
                   else "full")]
    return [(edits + cut + ([place] if place else []), how if not cut else "full")
            for cut in cut_plans for place, how in places]


def _new_entry_places(text, parsed, new, newline, edited):
    """Where new entries may go, best first: before `default` (ftp(1) and
    curl stop reading at it), else at the end; the start of the file is the
    last resort. Each (start, end, text) with how to check it."""
    places = []
    defaults = [e for e in parsed.entries if e[3]]
    if defaults:
        at = defaults[0][1]
        line_start = _line_start(text, at)
        if not text[line_start:at].strip(" \t"):
            at = line_start
        places.append(((at, at, new), "full"))
    tail = "" if not text or (text[-1] in "\r\n" and not parsed.unended) \
        else newline
    places.append(((len(text), len(text), tail + new),
                   "full" if edited or parsed.unended or parsed.dangling
                   or parsed.stop is not None else "append"))
    places.append(((0, 0, new), "full"))
    return places


def _apply_edits(text, edits):
    pieces, at = [], len(text)
    for start, end, new in sorted(edits, key=lambda e: (e[0], e[1]), reverse=True):
        pieces.append(text[end:at])
        pieces.append(new)
        at = start
    pieces.append(text[:at])
    return "".join(reversed(pieces))


def _netrc_change(text, parsed, machines, key):
    """New netrc text in which `machines` give `key` (or, key None, nothing
    of their own) and every other machine and `default` give what they gave.

    Returns (new text, how many entries were replaced or removed, what the
    new text means as a _NetrcParse). The new text is checked the way the
    SDK will read it before it is returned.

    Raises:
        StorageError: no edit keeps that promise (a file Python's netrc
            cannot read, a quote left open, a field left without a value).
    """
    problem = _netrc_problem(text, parsed)
    if problem:
        raise StorageError(problem)
    touched = sum(1 for e in parsed.entries if e[0] in machines and not e[3])
    if key is None and not touched:
        return text, 0, parsed
    failure = None
    for edits, how in _netrc_edits(text, parsed, machines, key):
        new = _apply_edits(text, edits)
        failure, meaning = _netrc_check(parsed, new, machines, key, how)
        if failure is None:
            return new, touched, meaning
    raise StorageError(failure)


def _netrc_check(old, new_text, machines, key, how):
    """(None, what `new_text` means) when it reads as promised, else
    (why not, None)."""
    if how != "full":
        # Appending after a file that reads cleanly, or replacing its only
        # entry for a machine by a block of plain words, changes nothing
        # else: the reader is in the same state before and after the change.
        new = _NetrcParse()
        new.hosts = dict(old.hosts)
        new.hosts.update((machine, ("user", "", key)) for machine in machines)
        new.macros = old.macros
        return None, new
    new = parse_netrc(new_text, want=set(machines))
    trouble = new.error[0] if new.error else new.open_quote
    if trouble is not None:
        return ("the change would make Python's netrc module misread what "
                "is now line %d (a comment is one only right below its "
                "entry's line)" % _line_number(new_text, trouble)), None
    for machine in machines:
        got = new.hosts.get(machine)
        if key is not None and got != ("user", "", key):
            return ("the new entry for %s would not be read back as written "
                    "(a field left without a value, or a comment, runs into "
                    "it)" % machine), None
        if key is None and got is not None:
            return "an entry for %s would still be read" % machine, None
    changed = [m for m, given in new.hosts.items() if m not in machines and
               old.hosts.get(m) != given] + [
        m for m in old.hosts if m not in machines and m not in new.hosts]
    if changed or new.macros != old.macros:
        return ("the change would alter what the entry for %s gives"
                % _echo(min(changed) if changed else "a macro")), None
    return None, new


def netrc_set(text, machines, key):
    # type: (str, object, str) -> str
    """Return netrc text in which each of `machines` (a name or a list of
    names) gives `key`.

    The last entry for a machine is replaced where it stands, the others
    are removed; every other byte is kept, and line ends follow the file's.
    A new entry goes before a `default` entry, else at the end.

    Raises:
        StorageError: the SDK would not read the key back from any edit.
    """
    machines = _machine_names(machines)
    parsed = parse_netrc(text, want=set(machines))
    return _netrc_change(text, parsed, machines, _netrc_word(key, "the key"))[0]


def netrc_remove(text, machines):
    # type: (str, object) -> tuple
    """Return (text without the entries for `machines`, how many were removed).

    Raises:
        StorageError: the file cannot be read by Python's netrc, or the
            removal would change what another entry gives.
    """
    machines = _machine_names(machines)
    parsed = parse_netrc(text, want=set(machines))
    return _netrc_change(text, parsed, machines, None)[:2]


def _netrc_word(value, what):
    """`value` if it can stand in a netrc file as one plain word (written
    unquoted, read back as written), else UsageError."""
    _text(value, what)
    if not value or value[0] in '"#' or any(
            ch in ' \t\r\n\\"' or ch.isspace() or ord(ch) < 32 for ch in value):
        raise UsageError("%s cannot be written in a netrc file as one plain word "
                         "(empty, or with spaces, quotes, backslashes or a "
                         "leading #)" % what)
    return value


def _machine_names(machines):
    names = [machines] if isinstance(machines, str) else \
        list(machines) if isinstance(machines, (list, tuple)) else None
    if not names:
        raise UsageError("the machines must be a name or a list of names")
    if "default" in names:
        raise UsageError("`machine default` is the netrc's fallback for every "
                         "host; wblogin does not write it")
    return [_netrc_word(name, "a machine name") for name in names]


# --------------------------------------------------------------------------
# Pure logic: settings text (INI with a [default] section)
#
# Read with configparser itself, as the SDK reads it: ConfigParser() with
# its defaults, from a file opened in text mode (universal newlines). Edited
# line by line so that comments, other sections and the order of options
# survive, and every edit is read back with configparser before it counts.
# --------------------------------------------------------------------------

class _SettingsText(object):
    """What configparser makes of one settings file.

    `values`: the [default] options as the SDK gets them (with [DEFAULT]
    and interpolation), or None when the file is not usable; `problem`:
    (line or None, sentence); `fatal`: the SDK stops with an error on this
    file (a `%` configparser cannot interpolate) rather than ignoring it.
    """

    __slots__ = ("values", "problem", "fatal")

    def __init__(self, values=None, problem=None, fatal=False):
        self.values, self.problem, self.fatal = values, problem, fatal


def _option_name(name):
    """An option or section name fit for a message (a key is never one)."""
    return _printable(name, 40) if len(name) <= 40 else "a long name"


def settings_set(text, option, value):
    # type: (str, str, object) -> str
    """Return settings text with [default] `option` set to `value`, or, with
    value None, removed (from [default] and from [DEFAULT]).

    Lines are edited where they stand, as configparser reads lines; every
    other line and its line end stays. A `%` in the value is written `%%`,
    as configparser reads it back.

    Raises:
        StorageError: configparser rejects the text, or would not read the
            edit back as asked with every other option as before.
    """
    _text(text, "the settings text")
    option = _text(option, "the option").strip().lower()
    if not option or option[0] in "#;" or any(
            c in option for c in "=:[]% \t\r\n"):
        raise UsageError("the option must be one word, without '=', ':', '%', "
                         "brackets or a leading # or ;")
    if value is not None and any(c in _text(value, "the value") for c in "\r\n"):
        raise UsageError("the value must be one line")
    new, problem = _settings_edit(text, value, option)
    if problem:
        raise StorageError(problem)
    return text if new is None else new


def _settings_edit(text, value, option="base_url"):
    """New settings text with `option` = `value` (None: removed), checked.

    Returns (new text or None when nothing changes, problem or None). The
    new text must read back, with configparser, with every option as before
    except this one, and this one as wanted.
    """
    if not text and value is not None and value == value.strip():
        # A new file: nothing else to keep, and nothing to compile or import.
        return "[default]\n%s = %s\n" % (option, value.replace("%", "%%")), None
    section = _section("settings")
    _read_settings, settings_edited = section["_read_settings"], \
        section["_settings_set"]
    old = _read_settings(text, everything=True)
    if old is None:
        return None, "configparser, the wandb SDK's reader, rejects the file " \
            "as it is, so the SDK ignores it"
    new_text = settings_edited(text, option, value)
    if new_text == text:
        return None, None
    new = _read_settings(new_text, everything=True)
    problem = "the edit would change what configparser reads for other options"
    if new is None:
        return None, problem
    strip = lambda values: dict(
        (k, v) for k, v in values.items() if k[1] != option)
    if strip(old) != strip(new):
        return None, problem
    got = _read_settings(new_text)
    if got.values is None or got.values.get(option) != value:
        return None, "configparser would not read %s back as written" % option
    return new_text, None


# Reading and editing, compiled on first use (see _section): only a run that
# finds a settings file needs them.
_SECTIONS["settings"] = r'''
def _universal_newlines(text):
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def _read_settings(text, everything=False):
    # type: (str, bool) -> object
    """Read settings text with configparser; a _SettingsText.

    With `everything`, return instead {(section, option): raw value} for
    every section, [DEFAULT] apart (for checking an edit), or None when
    configparser rejects the text.
    """
    import configparser
    parser = configparser.ConfigParser(
        interpolation=None) if everything else configparser.ConfigParser()
    try:
        parser.read_string(_universal_newlines(text), source="settings")
    except configparser.Error as error:
        # Its messages quote the offending line, which may hold a key.
        what = {"DuplicateSectionError": "a section that appears twice",
                "DuplicateOptionError": "an option that appears twice in its "
                                        "section",
                "MissingSectionHeaderError": "an option before any [section]"}
        lines = [e[0] for e in getattr(error, "errors", ()) if e] or [
            getattr(error, "lineno", None)]
        return None if everything else _SettingsText(problem=(lines[0], what.get(
            type(error).__name__, "a line that is not 'name = value', a "
            "comment or a [section]")))
    if everything:
        found = dict((("DEFAULT", k), v) for k, v in parser.defaults().items())
        for section in parser.sections():
            for option, value in parser.items(section, raw=True):
                found[(section, option)] = value
        return found
    try:
        return _SettingsText(values=dict(parser.items("default")) if
                             parser.has_section("default") else {})
    except configparser.InterpolationError as error:
        return _SettingsText(problem=(
            None, "option %s has a %% that configparser cannot interpolate "
            "(write %%%% for a literal %%)" % _option_name(
                getattr(error, "option", "") or "?")), fatal=True)


def _split_lines(text):
    """[(line, ending)] cut where a text-mode file ends lines: \\n, \\r\\n, \\r.

    Never str.splitlines(), which also cuts at U+0085, U+2028 and others
    that configparser keeps inside a line.
    """
    lines, at, n = [], 0, len(text)
    ahead = {"\n": -1, "\r": -1}     # the next of each, found once
    while at < n:
        for ch in ahead:
            if ahead[ch] < at:
                found = text.find(ch, at)
                ahead[ch] = n if found < 0 else found
        end = min(ahead.values())
        if end >= n:
            lines.append((text[at:], ""))
            break
        ending = "\r\n" if text.startswith("\r\n", end) else text[end]
        lines.append((text[at:end], ending))
        at = end + len(ending)
    return lines


def _settings_layout(lines):
    """For each line: (kind, section, option) as configparser sees it.

    kind is 'blank', 'comment', 'section', 'option', 'more' (a continuation
    of the option above) or 'bad'.
    """
    import configparser
    sect_re, opt_re = configparser.ConfigParser.SECTCRE, \
        configparser.ConfigParser.OPTCRE
    layout, section, option, indent = [], None, None, 0
    for line, _ in lines:
        value = line.strip()
        if value.startswith(("#", ";")):
            layout.append(("comment", section, None))
            continue
        if not value:
            layout.append(("blank", section, None))
            continue
        first = len(line) - len(line.lstrip())
        if section is not None and option and first > indent:
            layout.append(("more", section, option))
            continue
        indent = first
        match = sect_re.match(value)
        if match:
            section, option = match.group("header"), None
            layout.append(("section", section, None))
            continue
        match = opt_re.match(value) if section is not None else None
        if match is None:
            layout.append(("bad", section, None))
            continue
        option = match.group("option").rstrip().lower()
        layout.append(("option", section, option))
    return layout


def _settings_set(text, option, value):
    """Return settings text with [default] `option` set to `value`, or, with
    value None, removed (from [default] and from [DEFAULT]).

    A `%` in the value is written `%%`, as configparser reads it back.
    """
    lines = _split_lines(text)
    layout = _settings_layout(lines)
    newline = _newline_of(text)
    entry = None if value is None else "%s = %s" % (option, value.replace("%", "%%"))
    drop, replace_at, header_at, last_at, indent = set(), None, None, None, ""
    for index, (kind, section, name) in enumerate(layout):
        mine = section == "default" or (value is None and section == "DEFAULT")
        if kind == "section" and section == "default" and header_at is None:
            header_at = last_at = index
        if kind in ("option", "more") and section == "default" \
                and header_at is not None:
            last_at = index
            if kind == "option":    # a new line at its indent continues nothing
                line = lines[index][0]
                indent = line[:len(line) - len(line.lstrip())]
        if kind in ("option", "more") and mine and name == option:
            if kind == "option" and replace_at is None and entry is not None \
                    and section == "default":
                replace_at = index
            else:
                drop.add(index)
    out = list(lines)
    if replace_at is not None:
        line, ending = out[replace_at]
        indent = line[:len(line) - len(line.lstrip())]
        out[replace_at] = (indent + entry, ending or newline)
    elif entry is not None and header_at is not None:
        line, ending = out[last_at]
        out[last_at] = (line, ending or newline)
        out.insert(last_at + 1, (indent + entry, newline))
        drop = set(i + 1 if i > last_at else i for i in drop)
    elif entry is not None:
        if out and not out[-1][1]:
            out[-1] = (out[-1][0], newline)
        if out and out[-1][0].strip():
            out.append(("", newline))
        out += [("[default]", newline), (entry, newline)]
    return "".join(line + ending for i, (line, ending) in enumerate(out)
                   if i not in drop)
'''


# --------------------------------------------------------------------------
# Effects: messages
# --------------------------------------------------------------------------

class _Report(object):
    """Where the human lines go (stderr, each `wblogin: ...`) and the
    JSON result that carries the same facts (`warnings`)."""

    def __init__(self, stderr=None, result=None):
        self.stream = stderr
        self.result = result if result is not None else {}
        self.result.setdefault("warnings", [])

    def say(self, message):
        """One line; whatever outside text it quotes (a path, a URL, a
        server's words) goes through _printable, so no escape sequence
        reaches the terminal."""
        stream = sys.stderr if self.stream is None else self.stream
        try:
            stream.write("wblogin: %s\n" % _printable(message, 2000))
            stream.flush()
        except (AttributeError, OSError, ValueError):
            pass    # a closed stderr must not turn a login into a traceback

    def warn(self, message):
        """A warning line, kept for JSON as printed (once)."""
        message = _printable(message, 2000)
        if message not in self.result["warnings"]:
            self.result["warnings"].append(message)
            self.say("warning: " + message)


def _write_out(stdout, text):
    """Write `text` (UTF-8) to stdout; False when it is closed or a broken
    pipe, after which the real stdout is pointed at the null device so that
    Python's exit does not complain about it."""
    try:
        buffer = getattr(stdout, "buffer", None)
        if buffer is not None:
            buffer.write(text.encode("utf-8"))
            buffer.flush()
        else:
            stdout.write(text)
            stdout.flush()
        return True
    except (AttributeError, OSError, ValueError):
        if stdout is not None and stdout is sys.stdout:
            try:
                null = os.open(os.devnull, os.O_WRONLY)
                os.dup2(null, stdout.fileno())
                os.close(null)
            except (AttributeError, OSError, ValueError):
                pass
        return False


# --------------------------------------------------------------------------
# Effects: environment, paths, and the one gate for reading a file
# --------------------------------------------------------------------------

def _checked_path(path, what):
    """`path`, or UsageError when it cannot be a path (not text, a NUL
    character, a letter this system cannot put in a file name)."""
    if "\0" in _text(path, what):
        raise UsageError("%s contains a NUL character: not a path" % what)
    try:
        os.fsencode(path)
    except UnicodeError:
        raise UsageError("%s holds a character that cannot be in a file name "
                         "here" % what)
    return path


def _environ(env):
    """The environment to read: os.environ, or the mapping a caller gave,
    whose names and values must be text."""
    if env is None:
        return os.environ
    if not hasattr(env, "get") or not hasattr(env, "items") or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in env.items()):
        raise UsageError("env must be a mapping of variable names to text values")
    return env


def _home(env, os_name=None):
    """The home `~` means, as os.path.expanduser finds it but from `env`:
    HOME when it is set (even empty; USERPROFILE on Windows), else the
    account's home directory."""
    os_name = os.name if os_name is None else os_name
    home = env.get("USERPROFILE") or env.get("HOME") if os_name == "nt" else \
        env.get("HOME")
    if home is not None:
        return _checked_path(home, "HOME")
    try:
        import pwd
        return pwd.getpwuid(os.getuid()).pw_dir
    except (ImportError, KeyError, AttributeError):
        return os.path.expanduser("~")


def _expand_user(path, env, what="a path"):
    """`~` and `~user` expanded as os.path.expanduser does (and the SDK's
    pathlib), but `~` taken from `env`."""
    _checked_path(path, what)
    if not path.startswith("~"):
        return path
    cut = len(path)
    for sep in "/" + ("\\" if os.name == "nt" else ""):
        if sep in path:
            cut = min(cut, path.index(sep))
    if cut == 1:
        home = _home(env)
    else:
        try:
            import pwd
            home = pwd.getpwnam(path[1:cut]).pw_dir
        except (ImportError, KeyError):
            raise UsageError("%s names the home of user %s, who does not exist "
                             "here" % (_printable(path), _printable(path[1:cut])))
    return (home.rstrip("/\\") + path[cut:]) or "/"


def netrc_path(env=None, os_name=None):
    # type: (dict, str) -> str
    """Where the netrc file is: NETRC, else ~/.netrc or ~/_netrc, as the SDK."""
    env = _environ(env)
    os_name = os.name if os_name is None else os_name
    if env.get("NETRC"):
        return _expand_user(env["NETRC"], env, "NETRC")
    home = _home(env, os_name)
    for name in (".netrc", "_netrc"):
        candidate = (home.rstrip("/\\") + os.sep + name)
        if os.path.lexists(candidate):
            return candidate
    return home.rstrip("/\\") + os.sep + ("_netrc" if os_name == "nt" else ".netrc")


def settings_paths(env=None, cwd=None):
    # type: (dict, str) -> tuple
    """(workspace settings path, global settings path), where the SDK reads
    them: the workspace file under the working directory (the SDK reads it
    before it looks at WANDB_DIR), the global one in WANDB_CONFIG_DIR or
    ~/.config/wandb. The workspace one is None when the working directory
    no longer exists.
    """
    env = _environ(env)
    try:
        root = os.getcwd() if cwd is None else _checked_path(cwd, "the working "
                                                             "directory")
    except OSError:
        root = None
    workspace = None
    if root is not None:
        hidden = os.path.join(root, ".wandb")
        workspace = os.path.join(hidden if os.path.exists(hidden)
                                 else os.path.join(root, "wandb"), "settings")
    config_dir = env.get("WANDB_CONFIG_DIR")
    if config_dir:
        config_dir = _expand_user(config_dir, env, "WANDB_CONFIG_DIR")
    else:
        config_dir = _expand_user("~/.config/wandb", env)
    return workspace, os.path.join(config_dir, "settings")


def _regular(info):
    import stat
    return stat.S_ISREG(info.st_mode)


def _kind_of(mode):
    import stat
    for test, name in ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO"),
                       (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return name
    return "not a regular file"


class _NotAFile(OSError):
    """A path that is a device, FIFO, socket or directory (never opened for
    reading in a way that can block, never replaced)."""

    def __init__(self, path, kind):
        OSError.__init__(self, "%s is %s" % (path, kind))
        self.path, self.kind = path, kind
        self.strerror = "it is %s, not a regular file" % kind


def _regular_or_absent(path):
    """The gate: raise _NotAFile unless `path` (links followed) is a regular
    file or does not exist. Returns its stat, or None."""
    import stat
    try:
        info = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return None     # absent, or a dangling link whose target is created
    if not stat.S_ISREG(info.st_mode):
        raise _NotAFile(path, _kind_of(info.st_mode))
    return info


def _read_regular(path, limit, owned=False):
    """The bytes of a regular file, or None when it does not exist.

    Opened without blocking and checked again once open, so a FIFO or a
    device swapped in at the last moment is refused, never waited on. With
    `owned`, a file that is not this user's or root's, or that others may
    write, is refused too (PermissionError).

    Raises:
        _NotAFile: not a regular file. OSError: unreadable, or over `limit`.
    """
    import stat
    if _regular_or_absent(path) is None:
        return None
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | \
        getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0) | \
        getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except (FileNotFoundError, NotADirectoryError):
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise _NotAFile(path, _kind_of(info.st_mode))
        if owned and (info.st_mode & 0o022 or info.st_uid not in (
                0, getattr(os, "getuid", lambda: 0)())):
            raise PermissionError("written by another user", path)
        if info.st_size > limit:
            import errno
            raise OSError(errno.EFBIG, "it is larger than %d MiB, too large to "
                          "be one" % (limit >> 20), path)
        chunks, size = [], 0
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            size += len(chunk)
            if size > limit:
                import errno
                raise OSError(errno.EFBIG, "it grew larger than %d MiB while "
                              "being read" % (limit >> 20), path)
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def _decode(data):
    """Text as Python's readers get it: UTF-8, else the locale's encoding
    (netrc's fallback). Returns (text, encoding), or (None, sentence)."""
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as error:
        bad = error.start
    encoding = None
    try:
        import locale
        encoding = (locale.nl_langinfo(locale.CODESET)
                    if hasattr(locale, "nl_langinfo") else
                    locale.getpreferredencoding(False)) or None
        if encoding is not None:
            import codecs
            if codecs.lookup(encoding).name == "utf-8":
                encoding = None
    except (ImportError, LookupError, ValueError):
        encoding = None
    if encoding is not None:
        try:
            return data.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError):
            pass
    return None, "line %d is not UTF-8 text" % (data.count(b"\n", 0, bad) + 1)


# --------------------------------------------------------------------------
# The model of what the wandb SDK reads: one place
#
# Measured with wandb 0.31 (and read in its wbauth code), which differs from
# its reference page: the order is WANDB_API_KEY or WANDB_IDENTITY_TOKEN_FILE,
# then the netrc entry for the host (else the netrc `default` entry), then a
# settings api_key, which counts only when the merged base_url is that host.
# Everything here is pure: texts and the environment in, an answer out.
# --------------------------------------------------------------------------

_SDK_BOOLS = ("true", "false", "yes", "no", "on", "off", "t", "f", "y", "n",
              "1", "0")
_SDK_KIND_NAMES = {
    "b": "yes or no", "i": "a whole number", "i0": "a whole number of at least 0",
    "i1": "a whole number above 0", "f": "a number", "f0": "a number of at least "
    "0", "f1": "a number above 0", "u": "a URL", "j": "a JSON object of texts",
    "x": "anything a text can set", "p": "a project name (at most 128 "
    "characters, none of / \\ # ? % :)", "r": "a run id (not empty, no spaces "
    "around it, none of : ; , # ? / ')", "w": "a sweep id (not empty, no spaces "
    "around it)"}
# WANDB_* variables whose setting is not named after them.
_SDK_ENV_NAMES = {
    "WANDB_APP_URL": "app_url_override", "WANDB_DIR": "root_dir",
    "WANDB_SERVICE_TRANSPORT": "x_service_transport", "WANDB_NAME": "run_name",
    "WANDB_NOTES": "run_notes", "WANDB_TAGS": "run_tags",
    "WANDB_JOB_TYPE": "run_job_type", "WANDB_USER_EMAIL": "email",
    "WANDB_HTTP_TIMEOUT": "x_graphql_timeout_seconds",
    "WANDB_FILE_PUSHER_TIMEOUT": "x_file_transfer_timeout_seconds"}


def _sdk_kind(name):
    """(kind, allowed values) of the SDK's setting `name` (_SDK_SETTINGS), or
    None when it has no such setting."""
    if not _SDK_KINDS:
        kind = None
        for line in _SDK_SETTINGS.split("\n"):
            if line[:1] not in (" ", ""):
                head, _, line = line.partition(": ")
                if "=" in head:
                    kind, _, setting = head.partition("=")
                    _SDK_KINDS[setting] = (kind, tuple(line.split()))
                    continue
                kind = head
            for setting in line.split():
                _SDK_KINDS[setting] = (kind, ())
    return _SDK_KINDS.get(name)


def _sdk_number(text, whole):
    """`text` as the SDK's settings read a number (pydantic: ASCII, spaces
    around allowed, `_` between digits, 1.0 is a whole number), or None."""
    if not text or any(ord(c) > 127 for c in text):
        return None
    if whole and sum(c.isdigit() for c in text) > 4300:
        return None     # its limit, that of int() since Python 3.7.14
    try:
        if not whole:
            return float(text)
        if "." in text and "e" not in text.lower():
            head, _, tail = text.strip().lstrip("+-").partition(".")
            if not head or not tail:
                return None
            number = float(text)
            return int(number) if number == int(number) else None
        return int(text)
    except (ValueError, OverflowError):
        return None


def _sdk_value_problem(name, value):
    # type: (str, str) -> object
    """What the SDK's setting `name` needs that the text `value` is not,
    as "a whole number"; None when it takes the value (or wblogin cannot
    tell, or there is no such setting)."""
    found = _sdk_kind(name)
    if found is None:
        return None
    kind, choices = found
    if choices:
        if value in choices or kind == "b" and value.lower() in _SDK_BOOLS:
            return None
        return "one of " + ", ".join(choices + (("yes", "no") if kind else ()))
    if kind == "b":
        ok = value.lower() in _SDK_BOOLS
    elif kind[0] in "if":
        number = _sdk_number(value, kind[0] == "i")
        ok = number is not None and not (kind[1:] == "0" and number < 0) and \
            not (kind[1:] == "1" and (number < 1 if kind[0] == "i" else number <= 0))
    elif kind == "u":
        ok = _sdk_url_problem(value) is None
    elif kind == "j":
        import json
        try:
            given = json.loads(value)
        except (ValueError, RecursionError):    # the SDK fails on both alike
            given = False
        ok = given is None or isinstance(given, dict) and all(
            isinstance(v, str) for v in given.values())
    elif kind == "p":
        ok = len(value) <= 128 and not any(c in value for c in "/\\#?%:")
    elif kind in ("r", "w"):
        ok = bool(value.strip()) and value == value.strip() and not (
            kind == "r" and any(c in value for c in ":;,#?/'"))
    else:
        ok = kind != "x"    # s, and ? (what wblogin cannot tell) pass
    return None if ok else _SDK_KIND_NAMES[kind]


def _sdk_env_setting(variable):
    """The SDK setting a WANDB_* variable sets, or None."""
    if not variable.startswith("WANDB_"):
        return None
    if variable in _SDK_ENV_NAMES:
        return _SDK_ENV_NAMES[variable]
    if variable.startswith("WANDB__"):
        return "x_" + variable[7:].lower()
    return variable[6:].lower()


class _Host(object):
    """The server: `url` as wblogin shows and stores it, `sdk_url` as the
    SDK will hold it (what its netrc lookup and settings match use), and
    where it came from (`--host`, `--cloud`, a variable, a file, default)."""

    __slots__ = ("url", "sdk_url", "source", "storable")

    def __init__(self, url, sdk_url, source, storable=True):
        self.url, self.sdk_url, self.source = url, sdk_url, source
        self.storable = storable    # False: a URL wblogin only looks up

    def machines(self, parsed=None):
        """The entries that hold the key: every name a logout removes, or,
        given the netrc as it is (`parsed`), the names a store writes.

        For the cloud that is api.wandb.ai, which every SDK reads; and
        Forge's name too when the file already has an entry for it, or has
        a `default` entry, which wandb 0.31 would otherwise send instead
        (it asks for Forge's name first, and gets `default` for it)."""
        if self.url == CLOUD_URL:
            forge = _netloc(_FORGE_URL)
            if parsed is not None and forge not in parsed.hosts and \
                    "default" not in parsed.hosts:
                return ["api.wandb.ai"]
            return ["api.wandb.ai", forge]
        names = [_netloc(self.sdk_url).rpartition("@")[2], _netloc(self.url)]
        return names[:1] if names[0] == names[1] else names


def _cloud_host(source, explicit_url=None):
    """The public cloud: wandb 0.31's own default is the Forge URL."""
    return _Host(CLOUD_URL, explicit_url or _FORGE_URL, source)


class _SettingsState(object):
    """Both settings files as the SDK merges them.

    `files`: [(path, _SettingsText or None when absent, note or None)];
    `merged`: option -> (value, path), workspace over global; `dropped`:
    why the SDK ignores both files (an option it does not know, a value it
    refuses); `fatal`: why the SDK stops with an error on them.
    """

    __slots__ = ("files", "merged", "dropped", "fatal", "workspace", "global_")

    def __init__(self, workspace, global_, files):
        self.workspace, self.global_, self.files = workspace, global_, files
        self.merged, self.dropped, self.fatal = {}, None, None
        for path, parsed, _ in files:
            if parsed is None:
                continue
            if parsed.fatal:
                self.fatal = (path, parsed.problem)
            for option, value in (parsed.values or {}).items():
                self.merged[option] = (value, path)
        for option, (value, path) in sorted(self.merged.items()):
            problem = None
            if _sdk_kind(option) is None:
                problem = "it does not know option %s" % _option_name(option)
            elif option == "base_url" and _sdk_url_problem(value):
                problem = "its base_url %s: %s" % (_echo(value),
                                                   _sdk_url_problem(value))
            elif _sdk_value_problem(option, value):
                problem = "%s = %s is not %s" % (
                    _option_name(option), _echo(value),
                    _sdk_value_problem(option, value))
            if problem and self.dropped is None:
                self.dropped = (path, problem)
        if self.dropped is not None:
            self.merged = {}

    def stop(self):
        """Why the SDK stops on these files (self.fatal), as a sentence."""
        path, (line, sentence) = self.fatal
        if sentence.startswith("the wandb SDK"):
            return sentence
        return "the wandb SDK stops with an error on %s%s: %s" % (
            path, " line %d" % line if line else "", sentence)

    def get(self, option):
        """(value, path) of an option the SDK takes from the files."""
        value, path = self.merged.get(option, (None, None))
        if option in ("settings_system", "root_dir"):
            return None, None   # the SDK skips these in a settings file
        return value, path

    def in_effect(self):
        return [path for path, parsed, _ in reversed(self.files)
                if parsed is not None and parsed.values is not None]


class _NetrcState(object):
    """The netrc file as the SDK would read it.

    `kind`: 'absent', 'ok', 'ignored' (the SDK warns and reads no key from
    it), 'fatal' (the SDK stops with an error) or 'hangs' (the SDK would
    wait forever: a FIFO); `problem`: the sentence for the last three.
    """

    __slots__ = ("path", "text", "encoding", "parsed", "kind", "problem")

    def __init__(self, path, text=None, encoding="utf-8", parsed=None,
                 kind="absent", problem=None):
        self.path, self.text, self.encoding = path, text, encoding
        self.parsed, self.kind, self.problem = parsed, kind, problem


def _sdk_start_problem(env, settings):
    # type: (dict, _SettingsState) -> object
    """Why the wandb SDK stops with an error before it looks for any key
    (its settings files and WANDB_* variables are loaded first), or None."""
    if settings.fatal is not None:
        return settings.stop()
    if "WANDB_BASE_URL" in env:
        why = _sdk_url_problem(env["WANDB_BASE_URL"])
        if why:
            return ("the wandb SDK stops with an error: WANDB_BASE_URL is set "
                    "but %s; fix or unset it" % why)
    for variable, value in sorted(env.items()):
        setting = _sdk_env_setting(variable)
        if setting in (None, "base_url", "api_key"):
            continue        # no setting; or judged on their own
        needs = _sdk_value_problem(setting, value)
        if variable == "WANDB_HTTP_TIMEOUT" and not needs:
            try:    # the SDK's check of a key reads this one again, with int()
                int(value)
            except ValueError:
                needs = "a whole number"
        if needs:
            return ("the wandb SDK stops with an error: %s=%s is not %s; fix or "
                    "unset it" % (variable, _echo(value), needs))
    if env.get("WANDB_API_KEY") and env.get("WANDB_IDENTITY_TOKEN_FILE"):
        return ("both WANDB_API_KEY and WANDB_IDENTITY_TOKEN_FILE are set, which "
                "the wandb SDK refuses; unset one of them")
    return None


def _read_settings_files(env, cwd, report):
    """Both settings files, read once, as a _SettingsState."""
    workspace, global_ = settings_paths(env, cwd)
    if workspace is None:
        report.warn("the working directory no longer exists: no workspace "
                    "settings file is read")
    files = []
    for path in (global_, workspace):
        if path is None:
            continue
        note, parsed = None, None
        try:
            data = _read_regular(path, _MAX_SETTINGS_BYTES)
        except _NotAFile as error:
            note = "%s is %s, not a settings file; it is not read" % (
                path, error.kind)
            if error.kind == "a FIFO":
                # The SDK's configparser would wait on it forever.
                note, parsed = None, _SettingsText(problem=(
                    None, "the wandb SDK would wait forever reading %s: it is a "
                    "FIFO" % path), fatal=True)
            data = None
        except OSError as error:
            note = "cannot read settings file %s: %s" % (
                path, error.strerror or error)
            data = None
        if data is not None:
            text, why = _decode(data)
            if text is None:
                parsed = _SettingsText(problem=(None, why), fatal=True)
            else:
                parsed = _section("settings")["_read_settings"](text)
                if parsed.problem and not parsed.fatal:
                    line, sentence = parsed.problem
                    note = "the wandb SDK ignores settings file %s (%s%s)" % (
                        path, "line %d: " % line if line else "", sentence)
        if note:
            report.warn(note)
        files.append((path, parsed, note))
    state = _SettingsState(workspace, global_, files)
    if state.dropped is not None:
        report.warn("the wandb SDK ignores both settings files because of %s: "
                    "%s; fix or remove that line" % state.dropped)
    return state


def _read_netrc_file(path, want):
    """The netrc file as a _NetrcState, parsed with positions for `want`."""
    try:
        data = _read_regular(path, _MAX_NETRC_BYTES)
    except _NotAFile as error:
        if error.kind == "a FIFO":
            return _NetrcState(path, kind="hangs", problem=(
                "the wandb SDK would wait forever reading %s: it is a FIFO" % path))
        if error.kind == "a character device":
            if os.path.realpath(path) == os.devnull:
                return _NetrcState(path, text="", parsed=parse_netrc("", want))
            return _NetrcState(path, kind="hangs", problem=(
                "the wandb SDK would wait on %s, or read it forever: it is a "
                "character device" % path))
        return _NetrcState(path, kind="ignored", problem=(
            "%s is %s, not a file; the wandb SDK reads no key from it"
            % (path, error.kind)))
    except OSError as error:
        return _NetrcState(path, kind="ignored", problem=(
            "cannot read %s (%s); the wandb SDK reads no key from it"
            % (path, _printable(error.strerror or error))))
    if data is None:
        return _NetrcState(path)
    text, encoding = _decode(data)
    if text is None:
        return _NetrcState(path, kind="fatal", problem=(
            "the wandb SDK stops with an error reading %s: %s" % (path, encoding)))
    parsed = parse_netrc(text, want)
    if parsed.error is not None:
        offset, reason = parsed.error
        return _NetrcState(path, text, encoding, parsed, "ignored",
                           "%s line %d: %s; Python's netrc module cannot read the "
                           "file, so the wandb SDK reads no key from it"
                           % (path, _line_number(text, offset), reason))
    return _NetrcState(path, text, encoding, parsed, "ok")


# The answer itself is compiled on first use (see _section): a store never
# asks for it.
_SECTIONS["model"] = r'''
_FORGE_HOSTS = {"forge.coreweave.com": "https://api.wandb.ai",
                "api.forge.coreweave.com": "https://api.wandb.ai",
                "api.wandb.ai": "https://api.wandb.ai",
                "qa.forge.coreweave.com": "https://api.qa.wandb.ai",
                "api.qa.forge.coreweave.com": "https://api.qa.wandb.ai",
                "api.qa.wandb.ai": "https://api.qa.wandb.ai"}


def _hostname(url):
    netloc = _netloc(url).rpartition("@")[2]
    if netloc.startswith("["):
        return netloc[1:].split("]")[0].lower()
    return netloc.split(":")[0].lower()


def _lookups(host):
    """The netrc machines the SDK asks for, in order: the host's, then,
    when there is nothing at all for it, the cloud's behind Forge."""
    names = [_netloc(host.sdk_url)]
    upstream = _FORGE_HOSTS.get(_hostname(host.sdk_url))
    if upstream and upstream != host.sdk_url:
        names.append(_netloc(upstream))
    return names


def _word_chars(text):
    """True when every character is a regex \\w letter (Unicode) or '-'."""
    return bool(text) and all(c.isalnum() or c == "_" or c == "-" for c in text)


def _sdk_key_problem(key):
    # type: (str) -> object
    """What the wandb SDK says about a key it found, or None if it uses it.

    Its check, not ours: no stripping, Unicode letters allowed, a JWT or 40+
    `[\\w-]` characters after the first `-`. The SDK stops at a key it
    refuses; it does not go on to the next source.
    """
    if not key:
        return "API key is empty."
    if key != key.strip():
        return "API key cannot start or end with whitespace."
    parts = key.split(".")
    if len(parts) == 3 and all(_word_chars(p) for p in parts):
        return None
    secret = key.split("-", 1)[-1] if "-" in key else key
    if not _word_chars(secret):
        return "API key may only contain letters, digits, '_' and '-'."
    if len(secret) < 40:
        return "API key must have 40+ characters, has %d." % len(secret)
    return None


class _Answer(object):
    """What the SDK will use for a host: `key` and `source` (a variable name
    or a file path), `kind` ('env', 'token', 'netrc', 'default', 'settings'
    or None), or `stop`: the sentence with which the SDK refuses or fails."""

    __slots__ = ("key", "source", "kind", "stop", "warnings", "machine",
                 "disabled")

    def __init__(self):
        self.key = self.source = self.kind = self.stop = self.machine = None
        self.disabled = None
        self.warnings = []


def _env_value(env, name):
    """A variable as the SDK reads it: set and not empty, or None.

    Python 3.6 in the C locale hands over bytes that are not ASCII as
    surrogate escapes; the SDK's Python (3.7+) reads them as UTF-8, and so
    does this."""
    value = env.get(name)
    if value and any("\udc80" <= c <= "\udcff" for c in value):
        try:
            value = value.encode("utf-8", "surrogateescape").decode("utf-8")
        except UnicodeError:
            pass
    return value if value else None


def _sdk_answer(host, env, settings, netrc, command="wblogin"):
    # type: (_Host, dict, _SettingsState, _NetrcState, str) -> _Answer
    """The key the wandb SDK sends to `host`, and from where; or why none.
    `command` is how the user runs wblogin, for hints."""
    answer = _Answer()
    warn = answer.warnings.append
    answer.stop = _sdk_start_problem(env, settings)
    if answer.stop:
        return answer
    mode = env.get("WANDB_MODE") or settings.get("mode")[0]
    if mode == "disabled":
        answer.disabled = "WANDB_MODE" if env.get("WANDB_MODE") else \
            settings.get("mode")[1]
    api_key = _env_value(env, "WANDB_API_KEY")
    if api_key is not None:
        return _found(answer, api_key, "WANDB_API_KEY", "env", command)
    token_file = env.get("WANDB_IDENTITY_TOKEN_FILE")
    if token_file:
        answer.kind, answer.source = "token", "WANDB_IDENTITY_TOKEN_FILE"
        if os.path.isdir(token_file) or not os.access(token_file, os.R_OK):
            answer.stop = ("WANDB_IDENTITY_TOKEN_FILE names %s, which cannot be "
                           "read: the wandb SDK fails on it; fix or unset it"
                           % _printable(token_file))
        return answer
    if netrc.kind in ("fatal", "hangs"):
        answer.stop = netrc.problem
        return answer
    if netrc.kind == "ignored":
        warn(netrc.problem)
    elif netrc.kind == "ok":
        parsed = netrc.parsed
        if parsed.open_quote is not None:
            warn("%s line %d opens a quoted word that is never closed: Python's "
                 "netrc module reads the rest of the file as part of it"
                 % (netrc.path, _line_number(netrc.text, parsed.open_quote)))
        if parsed.stop is not None:
            warn("%s line %d: an empty quoted word \"\" ends Python's reading "
                 "of the file; entries after it are ignored"
                 % (netrc.path, _line_number(netrc.text, parsed.stop)))
        creds, machine = None, None
        for machine in _lookups(host):
            creds = parsed.authenticators(machine)
            if creds is not None:
                break
        if creds is not None:
            by_default = machine not in parsed.hosts
            if not creds[2]:
                warn("%s has an entry for %s with no password; the wandb SDK "
                     "skips it" % (netrc.path, "'default'" if by_default else machine))
            else:
                answer.machine = "default" if by_default else machine
                if by_default:
                    warn("the key comes from the 'default' entry of %s: the "
                         "wandb SDK sends that password to %s too"
                         % (netrc.path, host.url))
                    return _found(answer, creds[2], netrc.path + " (default entry)",
                                  "default", command)
                return _found(answer, creds[2], netrc.path, "netrc", command)
    key, key_path = settings.get("api_key")
    if "WANDB_API_KEY" in env:
        key = None      # set but empty: it still replaces the settings api_key
    if key:
        base, base_source = _env_value(env, "WANDB_BASE_URL"), "WANDB_BASE_URL"
        if base is None:
            base, base_source = settings.get("base_url")
        if base is None:
            base, base_source = _FORGE_URL, None
        if _sdk_url(base) == host.sdk_url:
            if base_source is not None and base_source != key_path:
                warn("the api_key in %s is used for %s because base_url comes "
                     "from %s: settings in another file decide where that key "
                     "is sent" % (key_path, host.url, base_source))
            return _found(answer, key, key_path, "settings", command)
    return answer


def _found(answer, key, source, kind, command):
    answer.source, answer.kind = source, kind
    problem = _sdk_key_problem(key)
    if problem:
        store = "`%s --relogin` (or `%s - < key.txt`)" % (command, command)
        answer.stop = "the API key in %s is not usable: %s The wandb SDK stops " \
                      "there; %s." % (source, problem, {
                          "env": "fix or unset WANDB_API_KEY",
                          "netrc": "store a valid key with " + store,
                          "default": "it is the password of the 'default' entry, "
                                     "which the SDK sends to every host without "
                                     "an entry: store a key for this host with "
                                     + store,
                      }.get(kind, "fix or remove api_key there"))
        return answer
    answer.key = key
    return answer


def _answer(run):
    """The SDK's answer for this run's host, its warnings said once."""
    answer = getattr(run, "answer", None)
    if answer is None:
        answer = run.answer = _sdk_answer(run.host, run.env, run.settings,
                                          run.netrc, run.command())
        for warning in answer.warnings:
            run.report.warn(warning)
        if answer.disabled:
            run.report.warn("the wandb SDK is switched off (mode disabled, from "
                            "%s) and sends no key while it is" % answer.disabled)
    return answer
'''


# --------------------------------------------------------------------------
# Effects: writing a file safely
# --------------------------------------------------------------------------

def _give_owner(fd, info):
    """Give an open file the owner and group in `info` (a stat), if we can.

    Run as root under sudo with the user's HOME, files that root leaves there
    would lock the user out of their own credentials.
    """
    if info is None or not hasattr(os, "fchown"):
        return
    mine = os.fstat(fd)
    if (mine.st_uid, mine.st_gid) != (info.st_uid, info.st_gid):
        try:
            os.fchown(fd, info.st_uid, info.st_gid)
        except OSError:
            pass


def _lock(path, wait, owner=None, report=None):
    """Take an exclusive advisory lock on `path`: (descriptor, locked).

    POSIX record locks (lockf) work on NFS and parallel file systems, where
    most HPC homes live. On Windows msvcrt locks a byte. Where nothing can
    lock (no fcntl or msvcrt; a file system that answers ENOLCK, as NFS does
    without its lock daemon) we go on unlocked: the atomic replace still
    keeps the file whole, and waiting for a lock no one holds would only end
    in a false "another login is writing". The lock file gets the owner of
    what it guards (`owner`, a stat), like the file itself.
    """
    import errno
    import stat
    import time
    flags = os.O_RDWR | getattr(os, "O_CLOEXEC", 0) | \
        getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        # Only a lock file we create ourselves is given away: an existing
        # one may be a link planted to make root chown another file.
        fd = os.open(path, flags | os.O_CREAT | os.O_EXCL, 0o600)
        if report is not None:
            report.say("created the lock file %s (empty; kept for the logins "
                       "that follow)" % path)
    except FileExistsError:
        fd, owner = os.open(path, flags), None
    try:
        info = os.fstat(fd)
        if not _regular(info):
            raise _NotAFile(path, _kind_of(info.st_mode))
        _give_owner(fd, owner)
        try:
            import fcntl

            def attempt():
                fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except ImportError:
            try:
                import msvcrt

                def attempt():
                    msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            except ImportError:
                return fd, False
        busy = (errno.EACCES, errno.EAGAIN,
                getattr(errno, "EDEADLOCK", errno.EDEADLK))
        deadline = time.monotonic() + wait
        while True:
            try:
                attempt()
                return fd, True
            except OSError as error:
                if error.errno not in busy:
                    return fd, False
                if time.monotonic() >= deadline:
                    raise StorageError(
                        "gave up after %g s waiting for the lock %s: another "
                        "login is still writing (or hung); try again"
                        % (wait, path), path=path)
            time.sleep(0.02)
    except BaseException:
        os.close(fd)
        raise


def _fsync_dir(directory):
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return   # Windows cannot open a directory; its rename is durable enough
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _update_file(path, change, report, limit, lock_wait=None, private=True):
    """Read, change and atomically replace a file under an advisory lock.

    `change(old_bytes_or_None)` returns the new bytes, or None to leave the
    file alone. The new content is written to a temporary file in the same
    directory, created 0600, synced, then renamed over the target, so a
    reader (or a crash) sees the old file or the new one, never a mix. The
    result is 0600 when `private` is true or the new text holds an
    `api_key` (a settings file may hold one); otherwise an existing file
    keeps its mode. The user is told when a file was narrowed to 0600. A
    symlink stays a symlink: its target is what gets replaced. Only a
    regular file is ever replaced.

    Returns True when the file was written.
    """
    target = os.path.realpath(path) if os.path.islink(path) else path
    owner = _regular_or_absent(target)
    directory = os.path.dirname(target) or "."
    base = os.path.basename(target)
    lock_fd, locked = _lock(target + ".lock",
                            _LOCK_WAIT if lock_wait is None else lock_wait, owner,
                            report)
    temp = None
    try:
        old = _read_regular(target, limit)
        info = os.stat(target) if old is not None else None
        new = change(old)
        if new is None:
            return False
        # Leftovers of writers that were killed: they held this lock, so
        # none of them is still running. Without a lock, they might be.
        prefix, suffix = "." + base + ".", ".wblogin-tmp"
        for name in os.listdir(directory) if locked else ():
            if name.startswith(prefix) and name.endswith(suffix):
                try:
                    os.unlink(os.path.join(directory, name))
                except OSError:
                    pass
        temp = os.path.join(directory, "%s%d.%s%s" % (
            prefix, os.getpid(), os.urandom(4).hex(), suffix))
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | \
            getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
        fd = os.open(temp, flags | getattr(os, "O_CLOEXEC", 0), 0o600)
        try:
            # A file that holds a key is exactly 0600, whatever the umask; a
            # settings file without one keeps its mode.
            keeps_mode = not private and info is not None and \
                b"api_key" not in new.lower()
            mode = info.st_mode & 0o777 if keeps_mode else 0o600
            if hasattr(os, "fchmod"):
                os.fchmod(fd, mode)
            _give_owner(fd, info)
            data = memoryview(new)
            while data:
                data = data[os.write(fd, data):]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temp, target)
        temp = None
        _fsync_dir(directory)
        if info is not None and info.st_mode & 0o077 and mode == 0o600:
            report.warn("%s was readable by others (mode %04o); it is now 0600"
                        % (target, info.st_mode & 0o777))
        return True
    finally:
        if temp is not None:
            try:
                os.unlink(temp)
            except OSError:
                pass
        os.close(lock_fd)


def _os_reason(error, path):
    """Why a write of `path` failed, naming the lock or temporary file beside
    it when that is what failed."""
    if isinstance(error, _NotAFile):
        if error.path.endswith(".lock"):
            return "%s is %s, not wblogin's lock file; remove it" % (
                error.path, error.kind)
        return "%s is %s, not a regular file: wblogin never replaces it" % (
            error.path, error.kind)
    if isinstance(error, LoginError):
        return error.message
    reason = error.strerror or str(error)
    culprit = getattr(error, "filename", None)
    if culprit and culprit != path:
        reason = "%s: %s" % (culprit, reason)
    return reason


def _storage_error(path, error):
    """A StorageError for an OSError met while writing `path`."""
    reason = _os_reason(error, path)
    if isinstance(error, _NotAFile):
        if error.path.endswith(".lock"):
            return StorageError(reason, path=path)
        return StorageError("%s; set NETRC=<a file> to store the key elsewhere"
                            % reason, path=path)
    return StorageError(
        "cannot write %s: %s; set NETRC=<writable file> to store the key "
        "elsewhere" % (path, reason), path=path)


# --------------------------------------------------------------------------
# The login flow: the world read once, storing a key, the settings
# --------------------------------------------------------------------------

_RESULT_FIELDS = ("ok", "action", "host", "host_source", "key_source", "key",
                  "netrc", "netrc_mode", "stored", "removed", "verified", "user",
                  "entity", "teams", "settings", "settings_updated",
                  "sdk_version", "warnings", "error", "version")


def _new_result(action):
    result = dict.fromkeys(_RESULT_FIELDS)
    result.update(ok=False, action=action, stored=False, verified=False,
                  warnings=[], settings_updated=[], version=__version__)
    return result


def _host_url(host, optional=False):
    """The normalised URL for a library caller's host: a URL or a bare name
    (or, `optional`, None: the host the SDK would use)."""
    if host is None and optional:
        return None
    if not isinstance(host, str):
        raise UsageError("the host must be a URL or a host name, not %s"
                         % type(host).__name__)
    return normalize_host(host if "://" in host else "https://" + host)


def _resolve(host, cloud, env, settings, lookup=False):
    """The _Host to log in to: --host/--cloud, WANDB_BASE_URL, the merged
    settings base_url, else the cloud (the last three as the SDK does).

    With `lookup` (nothing is going to be stored), a URL from the SDK's
    configuration is taken the way the SDK takes it."""
    if host is not None and cloud:
        raise UsageError("--cloud and --host exclude each other")
    value, source = None if host is None else _text(host, "the host"), "--host"
    if host is None and not cloud:
        value, source = env.get("WANDB_BASE_URL", ""), "WANDB_BASE_URL"
        if not value.strip():
            value, source = settings.get("base_url")
    if not value:
        return _Host(CLOUD_URL, _FORGE_URL, "--cloud" if cloud else "default")
    explicit = source == "--host"
    # The SDK keeps a URL as it was written (`wandb login --host HTTP://x`
    # compares "HTTP://x" with base_url), trailing slashes aside.
    sdk = _sdk_url(value.strip())
    try:
        url = normalize_host(value, source if explicit or source ==
                             "WANDB_BASE_URL" else "base_url in %s" % source)
    except UsageError:
        if explicit or not lookup:
            raise
        # The SDK's own configuration names a URL that wblogin would not
        # store a key for (user@host, a query, %-escapes): a lookup asks
        # what the SDK does with it.
        why = _sdk_url_problem(value)
        if why:
            raise LoginError("the wandb SDK stops with an error: %s is %s, but "
                             "%s; fix or unset it" % (source, _echo(value), why))
        return _Host(_printable(_without_password(sdk), 2000), sdk, source,
                     storable=False)
    return _Host(CLOUD_URL if url in (CLOUD_URL, _FORGE_URL) else url, sdk, source)


def resolve_host(host=None, cloud=False, env=None, cwd=None, stderr=None):
    # type: (str, bool, dict, str, object) -> tuple
    """Which server to log in to: (normalised URL, where that came from).

    Order: --host/--cloud, WANDB_BASE_URL, settings base_url (as the SDK
    merges the workspace and global files), https://api.wandb.ai.
    """
    env = _environ(env)
    settings = _read_settings_files(env, cwd, _Report(stderr))
    resolved = _resolve(host, cloud, env, settings)
    return resolved.url, resolved.source


class _Run(object):
    """One action's view of the world, read once: the settings files, the
    host, the netrc file; and how to word a hint for this user."""

    def __init__(self, action, host, cloud, env, cwd, netrc, stderr, result,
                 prog):
        self.env = _environ(env)
        self.result = _new_result(action) if result is None else result
        self.result["action"] = action
        self.report = _Report(stderr, self.result)
        self.prog = prog or "wblogin"
        self.settings = _read_settings_files(self.env, cwd, self.report)
        self.host = _resolve(host, cloud, self.env, self.settings,
                             lookup=action in ("status", "print-key"))
        self.path = netrc_path(self.env) if netrc is None else \
            _checked_path(netrc, "the netrc path")
        self.result.update(host=self.host.url, host_source=self.host.source,
                           netrc=self.path)
        if self.host.url.startswith("http:") and not _is_loopback(self.host.url):
            self.report.warn("%s is plain http: the API key travels unencrypted"
                             % self.host.url)
        override = self.env.get("WANDB_BASE_URL", "").strip()
        if override and self.host.source in ("--host", "--cloud"):
            try:
                same = normalize_host(override) == self.host.url
            except UsageError:
                same = False
            if not same:
                self.report.warn(
                    "WANDB_BASE_URL is set to %s: the wandb SDK uses that server, "
                    "not %s, until you unset it or set it to %s" % (
                        _echo(override), self.host.url, self.host.url))
        self.netrc = _read_netrc_file(self.path, set(self.host.machines()))

    def command(self):
        """The command the user runs, with the flag that names this host."""
        flag = {"--host": " --host " + self.host.url, "--cloud": " --cloud"}
        return self.prog + flag.get(self.host.source, "")

    def app(self):
        return app_url(self.host.url, self.env)


def _netrc_rewrite(path, host, key, report, cached=None):
    """Store `key` for `host` (or, key None, remove its entries) under the
    lock; returns (entries replaced or removed, the new _NetrcState)."""
    done = {}
    if cached is not None and cached.parsed is not None:
        problem = _netrc_problem(cached.text, cached.parsed)
        if problem:     # refused before a lock file is made for nothing
            raise StorageError("nothing was %s %s: %s; fix that, or set "
                               "NETRC=<another file>" % (
                                   "removed from" if key is None else "stored in",
                                   path, problem), path=path)

    def change(data):
        text, encoding = ("", "utf-8") if data is None else _decode(data)
        if text is None:
            raise StorageError("%s, which Python's netrc module (the wandb "
                               "SDK's reader) fails on" % encoding)
        parsed = cached.parsed if cached is not None and cached.text == text \
            else parse_netrc(text, set(host.machines()))    # read once per run
        machines = host.machines(parsed if key is not None else None)
        new_text, count, new = _netrc_change(text, parsed, machines, key)
        done.update(count=count, state=_NetrcState(path, new_text, encoding,
                                                   new, "ok"))
        return None if new_text == text else new_text.encode(encoding)

    try:
        _update_file(path, change, report, _MAX_NETRC_BYTES)
    except StorageError as error:
        raise StorageError("nothing was %s %s: %s; fix that, or set NETRC=<another "
                           "file>" % ("removed from" if key is None else
                                      "stored in", path, error.message), path=path)
    except OSError as error:
        raise _storage_error(path, error)
    return done["count"], done["state"]


def _store(run, key, source, verify, timeout):
    """Verify a new key (if asked), then store it; say what the SDK uses."""
    if verify:
        _section("network")["_verify"](run, key, source, timeout)
    _, run.netrc = _netrc_rewrite(run.path, run.host, key, run.report, run.netrc)
    run.result.update(stored=True, key=mask_api_key(key), key_source=source)
    run.report.say("stored API key %s for %s in %s" % (
        mask_api_key(key), run.host.url, run.path))
    problem = _sdk_start_problem(run.env, run.settings)
    if problem:
        run.report.warn("the stored key is not used until this is fixed: %s"
                        % problem)
    elif run.env.get("WANDB_API_KEY"):
        run.report.warn("WANDB_API_KEY is set, and the wandb SDK uses it instead "
                        "of the stored key until you unset it")
    elif run.env.get("WANDB_IDENTITY_TOKEN_FILE"):
        run.report.warn("WANDB_IDENTITY_TOKEN_FILE is set, and the wandb SDK "
                        "authenticates with it instead of the stored key")


def _update_settings(run):
    """After a login with --host/--cloud, make the settings name that host:
    base_url in the global file (none for the cloud), none in the workspace.
    Each edit is read back with configparser before it replaces the file."""
    wanted = None if run.host.url == CLOUD_URL else run.host.url
    for path, value in ((run.settings.global_, wanted),
                        (run.settings.workspace, None)):
        if path is None or (value is None and not os.path.lexists(path)):
            continue
        why = []

        def change(data, value=value):
            text, encoding = _decode(data) if data is not None else ("", "utf-8")
            new, problem = _settings_edit(text, value) \
                if text is not None else (None, "it is not UTF-8 text")
            why.append(problem)
            # Bytes are written back in the encoding they were read in.
            return None if new is None else new.encode(encoding)

        try:
            folder = os.path.dirname(path)
            if value is not None and not os.path.isdir(folder):
                if os.path.lexists(folder):
                    raise StorageError("%s is in the way of the folder" % folder)
                # exist_ok: a concurrent login may create it first.
                os.makedirs(folder, 0o700, exist_ok=True)
            written = _update_file(path, change, run.report, _MAX_SETTINGS_BYTES,
                                   private=False)
        except (OSError, LoginError) as error:
            why.append(_os_reason(error, path))
            written = False
        if written:
            run.result["settings_updated"].append(path)
            run.report.say("updated settings file %s (%s)" % (path, "base_url = "
                           + value if value else "removed base_url"))
        elif why and why[-1]:
            run.report.warn("could not update %s (%s); the key is stored, but "
                            "pass %s next time" % (path, why[-1], "--host " +
                                                   wanted if wanted else "--cloud"))


def _isatty(stream):
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


# --------------------------------------------------------------------------
# The library's actions: each one reads the world once (_Run)
# --------------------------------------------------------------------------

def login(key=None, host=None, cloud=False, relogin=False, verify=False,
          timeout=None, key_source="argument", env=None, cwd=None, netrc=None,
          stdin=None, stderr=None, ask=None, result=None, prog=None):
    # type: (...) -> dict
    """Log in as `wandb login` does; return what happened as a dict.

    With `key`, it is validated, verified if asked, then stored. Without
    one, the key the wandb SDK would use is reported (not copied) unless
    `relogin`; with none, the user is prompted when `stdin` is a terminal.
    The dict never holds the key itself, only its masked form.

    Raises:
        LoginError (or a subclass) with the exit code the CLI would return.
    """
    run = _Run("login", host, cloud, env, cwd, netrc, stderr, result, prog)
    if key is None:
        _section("actions")["_login_without_key"](
            run, relogin, verify, timeout, sys.stdin if stdin is None else stdin,
            ask)
    else:
        key = clean_api_key(key)
        problem = validate_api_key(key)
        if problem:
            raise InvalidKeyError(problem)
        _store(run, key, key_source, verify, timeout)
    if host is not None or cloud:
        _update_settings(run)
    run.result["ok"] = True
    return run.result


def find_api_key(host=None, env=None, cwd=None, netrc=None, stderr=None):
    # type: (str, dict, str, str, object) -> tuple
    """The key the wandb SDK would send to `host` (None: to the host it
    would use, see resolve_host): (key, source), or (None, None). `source`
    is a variable name or a file path.

    Raises:
        LoginError: the SDK would stop with an error (a key it refuses,
            a settings file it cannot read, ...).
    """
    run = _Run("status", _host_url(host, True), False, env, cwd, netrc, stderr, None,
               None)
    answer = _section("model")["_answer"](run)
    if answer.stop:
        raise LoginError(answer.stop)
    return (answer.key, answer.source) if answer.key else (None, None)


def status(host=None, cloud=False, verify=False, timeout=None, env=None,
           cwd=None, netrc=None, stderr=None, result=None, stdin=None, prog=None):
    # type: (...) -> dict
    """Report which host and key the wandb SDK would use, and from where;
    change nothing.

    Raises:
        NoCredentialsError: no key is configured for the host.
        LoginError: the SDK would refuse what is configured.
    """
    run = _Run("status", host, cloud, env, cwd, netrc, stderr, result, prog)
    return _section("actions")["_status"](
        run, verify, timeout, sys.stdin if stdin is None else stdin)


def logout(host=None, cloud=False, env=None, cwd=None, netrc=None, stderr=None,
           result=None, prog=None):
    # type: (...) -> dict
    """Remove the host's netrc entries; say what would still supply a key."""
    run = _Run("logout", host, cloud, env, cwd, netrc, stderr, result, prog)
    return _section("actions")["_logout"](run)


def print_key(host=None, cloud=False, verify=False, timeout=None, env=None,
              cwd=None, netrc=None, stdin=None, stdout=None, stderr=None,
              result=None, prog=None):
    # type: (...) -> dict
    """Write the key the wandb SDK would use for the host, alone, to stdout.

    With `verify`, only a key the server accepts is printed.

    Raises:
        NoCredentialsError: no key (or only an identity token file).
        LoginError: the SDK would refuse what is configured.
    """
    run = _Run("print-key", host, cloud, env, cwd, netrc, stderr, result, prog)
    return _section("actions")["_print_key"](
        run, verify, timeout, sys.stdin if stdin is None else stdin,
        sys.stdout if stdout is None else stdout)


def write_netrc_key(host, key, path=None, env=None, stderr=None):
    # type: (str, str, str, dict, object) -> str
    """Store `key` for `host` in the netrc file; return the file's path.

    Raises:
        InvalidKeyError: the key has not the shape of an API key.
        UsageError: the host is not a valid URL.
        StorageError: the file could not be read back, locked or written.
    """
    return _section("actions")["_write_netrc_key"](host, key, path, env, stderr)


def remove_netrc_key(host, path=None, env=None, stderr=None):
    # type: (str, str, dict, object) -> int
    """Remove every entry for `host` from the netrc file; return how many."""
    return _section("actions")["_remove_netrc_key"](host, path, env, stderr)


def verify_api_key(host, key, timeout=None, env=None, stderr=None):
    # type: (str, str, float, dict, object) -> dict
    """Ask `host` who owns `key`; return the viewer (username, entity,
    email, id, and `teams`, a list of names).

    The whole check -- DNS, connect, TLS, every read, retries -- ends within
    `timeout` seconds (default 10).

    Raises:
        KeyRejectedError: 401/403, or the server knows no viewer for the key.
        ServerError: unreachable, a redirect elsewhere, not the W&B API.
        UsageError: a CA bundle named in the environment does not exist.
    """
    return _section("network")["_verify_api_key"](
        _host_url(host), key, timeout, _environ(env),
        _Report(stderr), "the host name")


# --------------------------------------------------------------------------
# Compiled on first use: checking a key with the server (see _section)
# --------------------------------------------------------------------------

_SECTIONS["network"] = r'''
_section("model")


# --------------------------------------------------------------------------
# Pure logic: judging a reply to the Viewer query
# --------------------------------------------------------------------------

_VIEWER_QUERY = (
    "query Viewer { viewer { id entity username email "
    "teams { edges { node { name } } } } }")


def _json_nesting(text):
    """The deepest nesting of [ and { outside JSON strings."""
    if text.count("[") + text.count("{") <= _MAX_JSON_DEPTH:
        return 0
    depth = deepest = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > _MAX_JSON_DEPTH:
                    return deepest
        elif ch in "]}":
            depth -= 1
    return deepest


def _team_names(teams):
    """Names from a `teams { edges { node { name } } }` connection.

    Teams are only shown to the user: a reply of another shape gives fewer
    names, not a traceback.
    """
    edges = teams.get("edges") if isinstance(teams, dict) else None
    names = []
    for edge in edges if isinstance(edges, list) else ():
        node = edge.get("node") if isinstance(edge, dict) else None
        name = node.get("name") if isinstance(node, dict) else None
        if isinstance(name, str) and name:
            names.append(_printable(name, 100))
    return names


def _judge_reply(host, status, content_type, body):
    # type: (str, int, str, bytes) -> dict
    """What a reply to the Viewer query says: the viewer, or an error.

    Pure: status, Content-Type and body in. Redirects and retries are the
    transport's business and never reach here.

    Raises:
        KeyRejectedError: 401/403, or `data.viewer` is null.
        ServerError: anything that is not the W&B API answering.
    """
    if status in (401, 403):
        raise KeyRejectedError("HTTP %d" % status, host=host)
    start = body.lstrip()[:64].lower()
    html = "html" in content_type.lower() or start.startswith(b"<!doctype") \
        or start.startswith(b"<html")
    if status >= 500:
        raise ServerError("%s answered HTTP %d (a server error); try again later "
                          "or ask its administrator" % (host, status), host=host)
    if status == 404:
        raise ServerError("%s/graphql answered HTTP 404: no W&B API there (a "
                          "wrong path after the host name?)" % host, host=host)
    if html:
        raise ServerError(
            "%s/graphql answered HTTP %d with an HTML page, not the W&B API (a "
            "wrong URL, or the login page of an SSO proxy?)" % (host, status),
            host=host)
    if status != 200:
        raise ServerError("%s/graphql answered HTTP %d, which the W&B API does "
                          "not" % (host, status), host=host)
    import json
    not_api = ServerError("%s/graphql answered HTTP 200 with something that is "
                          "not JSON the W&B API sends (is this a W&B server?)"
                          % host, host=host)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise not_api
    if _json_nesting(text) > _MAX_JSON_DEPTH:
        raise not_api
    try:
        answer = json.loads(text)
    except (ValueError, RecursionError):
        raise not_api
    if not isinstance(answer, dict) or not isinstance(answer.get("data"), dict) \
            or "viewer" not in answer["data"]:
        raise ServerError("%s/graphql answered JSON without data.viewer (is this "
                          "a W&B server?)" % host, host=host)
    viewer = answer["data"]["viewer"]
    if not isinstance(viewer, dict):
        raise KeyRejectedError("the server knows no viewer for it", host=host)
    shown = {}
    for field in ("id", "entity", "username", "email"):
        value = viewer.get(field)
        shown[field] = _printable(value, 100) if isinstance(value, str) else None
    shown["teams"] = _team_names(viewer.get("teams"))
    return shown


# --------------------------------------------------------------------------
# Effects: verification over HTTP(S), bounded by one deadline
# --------------------------------------------------------------------------

class _Deadline(object):
    """The whole time budget of a check: connect, TLS, every read, retries."""

    def __init__(self, seconds):
        import time
        self._clock = time.monotonic
        self.seconds = seconds
        self.end = self._clock() + seconds

    def left(self):
        """Seconds left; raises socket.timeout once there are none."""
        left = self.end - self._clock()
        if left <= 0:
            import socket
            raise socket.timeout("the %g s budget ran out" % self.seconds)
        return left

    def allows(self, seconds):
        return self._clock() + seconds < self.end


class _TimedSocket(object):
    """A socket whose every send and receive waits at most the time left.

    A per-call timeout alone does not bound a server that trickles a byte
    every half second; asking the deadline before each call does.
    """

    def __init__(self, sock, deadline):
        self.sock, self.deadline = sock, deadline

    def sendall(self, data):
        self.sock.settimeout(self.deadline.left())
        return self.sock.sendall(data)

    def recv_into(self, buffer, size=0):
        self.sock.settimeout(self.deadline.left())
        return self.sock.recv_into(buffer, size)

    def makefile(self, mode="rb", *args, **kwargs):
        import io
        sock = self

        class Raw(io.RawIOBase):
            def readable(self):
                return True

            def readinto(self, buffer):
                return sock.recv_into(buffer)

        return io.BufferedReader(Raw())

    def setsockopt(self, *args):
        return self.sock.setsockopt(*args)

    def settimeout(self, value):
        pass    # the deadline decides

    def close(self):
        pass    # a reply may still be read from it: _post closes the socket


class _ProxyFailure(OSError):
    """The proxy, not the W&B server, could not be reached."""


def _connect(host, port, deadline, proxy=None):
    """A TCP connection within the deadline, DNS lookup included."""
    import socket
    if proxy:
        try:
            return _connect(host, port, deadline)
        except (OSError, UnicodeError) as error:
            reason = error.strerror if isinstance(error, OSError) and \
                error.strerror else error
            raise _ProxyFailure("cannot reach the proxy %s:%d that %s names (%s); "
                                "check or unset %s" % (host, port, proxy[3], _printable(
                                    reason, 80), proxy[3]))
    numeric = all(c in "0123456789." for c in host) or ":" in host
    if numeric:
        infos = socket.getaddrinfo(host, port, 0, socket.SOCK_STREAM, 0,
                                   socket.AI_NUMERICHOST)
    else:
        # getaddrinfo cannot be interrupted: ask it in a thread and stop
        # waiting when the budget is spent.
        import threading
        found = []

        def lookup():
            try:
                found.append(socket.getaddrinfo(host, port, 0, socket.SOCK_STREAM))
            except Exception as error:   # handed to the waiting thread
                found.append(error)

        thread = threading.Thread(target=lookup)
        thread.daemon = True
        thread.start()
        thread.join(deadline.left())
        if not found:
            raise socket.timeout("DNS lookup of %s timed out" % host)
        if isinstance(found[0], Exception):
            raise found[0]
        infos = found[0]
    error = None
    for family, kind, proto, _, address in infos:
        sock = socket.socket(family, kind, proto)
        try:
            sock.settimeout(deadline.left())
            sock.connect(address)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            return sock
        except OSError as failure:
            sock.close()
            error = failure
    raise error or OSError("no address for %s" % host)


def _http_connection(url, deadline, context, proxy):
    """An http.client connection to `url` (or through `proxy`) whose
    connect, TLS handshake and every read respect the deadline."""
    import http.client
    scheme = url.split("://", 1)[0]
    host, port = _split_netloc(_netloc(url), "URL")
    target = (host, port or (443 if scheme == "https" else 80))

    class Connection(http.client.HTTPConnection):
        default_port = 443 if scheme == "https" else 80

        def connect(self):
            sock = _connect(self.host, self.port, deadline, proxy)
            self.opened.append(sock)
            self.sock = _TimedSocket(sock, deadline)
            if getattr(self, "_tunnel_host", None):
                self._tunnel()
            if scheme == "https":
                sock.settimeout(deadline.left())   # bounds the whole handshake
                sock = context.wrap_socket(sock, server_hostname=target[0])
                self.opened.append(sock)
                self.sock = _TimedSocket(sock, deadline)

    if proxy:
        connection = Connection(proxy[0], proxy[1])
        if scheme == "https":
            connection.set_tunnel(target[0], target[1], headers=proxy[2])
    else:
        connection = Connection(target[0], target[1])
    connection.opened = []
    return connection


def _no_proxy(netloc, value):
    """True when NO_PROXY `value` covers `netloc`, as urllib decides it."""
    if value.strip() == "*":
        return True
    host, _, port = netloc.rpartition(":") if not netloc.endswith("]") and \
        ":" in netloc else (netloc, "", "")
    host = host.strip("[]").lower()
    for entry in value.replace(" ", "").split(","):
        if not entry:
            continue
        name, _, entry_port = entry.rpartition(":") if ":" in entry and \
            not entry.endswith("]") else (entry, "", "")
        name = name.lstrip(".").strip("[]").lower()
        if entry_port and entry_port != port:
            continue
        if host == name or host.endswith("." + name):
            return True
    return False


def _env_proxy(url, env):
    """(host, port, extra headers, variable name) of the proxy `env` names
    for `url`, or None.

    Read from the caller's `env` the way urllib reads os.environ (lower-case
    names win; HTTP_PROXY is ignored under CGI), never from os.environ.
    """
    scheme = url.split(":", 1)[0]
    proxies, names = {}, {}
    for name, value in env.items():
        if value and name.lower().endswith("_proxy"):
            proxies[name.lower()[:-6]], names[name.lower()[:-6]] = value, name
    if "REQUEST_METHOD" in env:
        proxies.pop("http", None)
    for name, value in env.items():
        if name.endswith("_proxy"):
            if value:
                proxies[name[:-6].lower()], names[name[:-6].lower()] = value, name
            else:
                proxies.pop(name[:-6].lower(), None)
    proxy = proxies.get(scheme)
    if not proxy or (proxies.get("no") and _no_proxy(_netloc(url), proxies["no"])):
        return None
    rest = proxy.split("://", 1)[1] if "://" in proxy else proxy
    rest = rest.split("/", 1)[0]
    userinfo, _, hostport = rest.rpartition("@")
    headers = {}
    if userinfo:
        import base64
        from urllib.parse import unquote
        user, _, password = userinfo.partition(":")
        headers["Proxy-Authorization"] = "Basic " + base64.b64encode(
            ("%s:%s" % (unquote(user), unquote(password))).encode()).decode("ascii")
    try:
        host, port = _split_netloc(hostport, "the proxy URL")
    except UsageError:
        raise UsageError("%s is not a proxy URL like http://proxy.example:3128"
                         % names[scheme])
    return host, port or 80, headers, names[scheme]


def _ssl_context(env, report):
    """A client TLS context whose CA certificates come from `env` only.

    REQUESTS_CA_BUNDLE, else SSL_CERT_FILE / SSL_CERT_DIR, else the
    system's store. OpenSSL's own default lookup would consult the
    process's SSL_CERT_FILE, which a library caller's `env` left out.
    """
    import ssl
    bundle = env.get("REQUESTS_CA_BUNDLE") or None
    cafile = capath = None
    if bundle:
        if not os.path.exists(bundle):
            raise UsageError("REQUESTS_CA_BUNDLE names %s, which does not exist"
                             % _printable(bundle), path=bundle)
        if os.path.isdir(bundle):
            capath = bundle
        else:
            cafile = bundle
    else:
        for name in ("SSL_CERT_FILE", "SSL_CERT_DIR"):
            value = env.get(name)
            if value and not os.path.exists(value):
                raise UsageError("%s names %s, which does not exist"
                                 % (name, _printable(value)), path=value)
        cafile = env.get("SSL_CERT_FILE") or None
        capath = env.get("SSL_CERT_DIR") or None
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    try:
        if cafile or capath:
            _regular_or_absent(cafile) if cafile else None
            context.load_verify_locations(cafile=cafile, capath=capath)
        elif os.name == "nt":
            context.load_default_certs()
        else:
            paths = ssl.get_default_verify_paths()
            default_file = paths.openssl_cafile if paths.openssl_cafile and \
                os.path.isfile(paths.openssl_cafile) else None
            default_dir = paths.openssl_capath if paths.openssl_capath and \
                os.path.isdir(paths.openssl_capath) else None
            if default_file or default_dir:
                context.load_verify_locations(cafile=default_file,
                                              capath=default_dir)
    except (ssl.SSLError, OSError) as error:
        raise UsageError("cannot load CA certificates from %s: %s"
                         % (_printable(bundle or cafile or capath or "the system"),
                            _printable(getattr(error, "strerror", None) or error)))
    if env.get("WANDB_INSECURE_DISABLE_SSL", "").strip().lower() in _TRUE:
        report.result["warnings"].append(
            "WANDB_INSECURE_DISABLE_SSL is set: the server's certificate is NOT "
            "checked; anyone on the path can read your key")
        report.say("WARNING: " + report.result["warnings"][-1])
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context


def _origin(url):
    """(scheme, host, port) of a URL; ValueError when it has no sensible one."""
    scheme, sep, rest = url.partition("://")
    if not sep or scheme.lower() not in ("http", "https"):
        raise ValueError(url)
    netloc = rest.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    try:
        host, port = _split_netloc(netloc.rpartition("@")[2], "URL")
    except UsageError:
        raise ValueError(url)
    return scheme.lower(), host, port or (443 if scheme.lower() == "https" else 80)


def _network_error(host, error, timeout, where):
    """Turn a connection failure into a one-line ServerError.

    `where` says where the host came from, for the hint ("--host",
    "WANDB_BASE_URL", a settings file).
    """
    import socket
    import ssl
    netloc = _netloc(host)
    text = None
    if isinstance(error, _ProxyFailure):
        text = str(error)
    elif isinstance(error, socket.gaierror):
        text = "cannot resolve %s: no such host (check %s, or your DNS)" % (
            _hostname(host), where)
    elif isinstance(error, ConnectionRefusedError):
        text = "connection to %s refused: nothing is listening there (is the " \
               "server running, and is the port right?)" % netloc
    elif isinstance(error, (socket.timeout, TimeoutError)):
        text = "no answer from %s within %g s (a firewall, a proxy, or a down " \
               "server? raise --timeout if it is only slow)" % (netloc, timeout)
    elif isinstance(error, (ssl.SSLError, ValueError)) or \
            isinstance(error, getattr(ssl, "CertificateError", ())):
        detail = str(getattr(error, "verify_message", None) or
                     getattr(error, "reason", None) or error)
        code = getattr(error, "verify_code", None)
        if code == 62 or "hostname" in detail.lower() or "match" in detail.lower():
            text = "the TLS certificate of %s is for another host name (%s); " \
                   "check %s" % (netloc, _printable(detail, 120), where)
        elif "CERTIFICATE_VERIFY_FAILED" in str(error).upper().replace(" ", "_") \
                or code is not None:
            text = "the TLS certificate of %s could not be verified (%s); point " \
                   "REQUESTS_CA_BUNDLE or SSL_CERT_FILE at your CA bundle" % (
                       netloc, _printable(detail, 120))
        else:
            text = "TLS handshake with %s failed (%s); is it an https server?" % (
                netloc, _printable(detail, 120))
    if text is None:
        text = "cannot reach %s: %s" % (netloc, _printable(
            getattr(error, "strerror", None) or error, 120))
    return ServerError(text, host=host)


def _post(url, body, headers, deadline, context, proxy):
    """One POST: (status, headers, body up to the limit)."""
    connection = _http_connection(url, deadline, context, proxy)
    try:
        path = url.split("://", 1)[1]
        path = "/" + path.split("/", 1)[1] if "/" in path else "/"
        target = url if proxy and url.startswith("http:") else path
        request_headers = dict(headers)
        if proxy and url.startswith("http:"):
            request_headers.update(proxy[2])
        connection.request("POST", target, body=body, headers=request_headers)
        reply = connection.getresponse()
        data = reply.read(_MAX_REPLY_BYTES)
        return reply.status, reply.msg, data
    finally:
        connection.close()
        for sock in connection.opened:
            sock.close()


def _verify_api_key(host, key, timeout, env, report, where):
    """verify_api_key(), for a normalised `host`; `where` names where the
    host came from, for hints ("--host", "base_url in <file>")."""
    import base64
    import http.client
    import json
    import time

    timeout = _DEFAULT_TIMEOUT if timeout is None else _seconds(timeout, "timeout")
    problem = _sdk_key_problem(key) if isinstance(key, str) else "API key is no text."
    if problem:
        raise InvalidKeyError(problem)
    body = json.dumps({"query": _VIEWER_QUERY, "operationName": "Viewer"}).encode()
    token = base64.b64encode(("api:" + key).encode("utf-8")).decode("ascii")
    headers = {"Authorization": "Basic " + token,
               "Content-Type": "application/json",
               "Accept": "application/json",
               "User-Agent": "wblogin/" + __version__}
    proxy = _env_proxy(host, env)
    if proxy and host.startswith("http:") and not _is_loopback(
            "http://" + ("[%s]" % proxy[0] if ":" in proxy[0] else proxy[0])):
        report.warn("the request goes through the proxy %s:%d that %s names, "
                    "and plain http: the API key travels unencrypted to it"
                    % (proxy[0], proxy[1], proxy[3]))
    context = _ssl_context(env, report) if host.startswith("https:") else None
    deadline = _Deadline(timeout)
    url, hops, attempt = host + "/graphql", 0, 0
    while True:
        attempt += 1
        failure = retry_after = status = None
        try:
            status, reply_headers, data = _post(url, body, headers, deadline,
                                                context, proxy)
        except (ConnectionResetError, ConnectionAbortedError, BrokenPipeError,
                http.client.RemoteDisconnected, http.client.BadStatusLine,
                http.client.IncompleteRead) as error:
            hint = "; if it is an https server, use https://" if \
                url.startswith("http:") else ""
            failure = ServerError("%s closed the connection without a complete "
                                  "answer%s" % (_netloc(host), hint), host=host)
        except http.client.HTTPException:
            raise ServerError("%s sent an answer that is not HTTP the W&B API "
                              "speaks (headers too long or malformed)"
                              % _netloc(host), host=host)
        except (OSError, ValueError) as error:
            raise _network_error(host, error, timeout, where)
        else:
            if status in (429, 502, 503, 504):
                failure = ServerError(
                    "%s answered HTTP %d (busy or down) %d times; try again later"
                    % (_netloc(host), status, attempt), host=host)
                retry_after = _ascii_int((reply_headers.get("Retry-After") or
                                          "").strip(), 6)
        if failure is not None:
            delay = 0.5 * 2 ** (attempt - 1)
            if retry_after is not None:
                delay = min(float(retry_after), _MAX_RETRY_AFTER)
            if attempt < 3 and not deadline.allows(delay):
                raise ServerError("%s answered HTTP %d and asked to be retried "
                                  "in %g s, beyond the %g s budget; try again "
                                  "later, or raise --timeout" % (
                                      _netloc(host), status, delay, timeout),
                                  host=host) if retry_after is not None else failure
            if attempt >= 3:
                raise failure
            time.sleep(delay)
            continue
        if 300 <= status < 400:
            location = reply_headers.get("Location") or ""
            if not location.strip():
                raise ServerError("%s answered HTTP %d, a redirect without a "
                                  "Location; is it a W&B server?" % (host, status),
                                  host=host)
            try:
                from urllib.parse import urljoin
                location = urljoin(url, location)
                same_origin = _origin(location) == _origin(url)
                # Followed only as a URL wblogin would accept itself.
                usable = normalize_host(location.split("?")[0]) \
                    if "?" not in location else None
            except (ValueError, UsageError):  # a port out of range, [IPv6]
                same_origin, usable = False, None
            if status in (307, 308) and same_origin and usable:
                if hops < 5:
                    url, hops = location, hops + 1
                    attempt -= 1
                    continue
                raise ServerError("%s kept redirecting (more than 5 redirects, "
                                  "the last to %s); is it a W&B server?"
                                  % (host, _printable(location)), host=host)
            suggestion = location[:-len("/graphql")] if \
                location.endswith("/graphql") else location
            try:
                suggestion = normalize_host(suggestion)
                if suggestion == host:
                    raise ServerError(
                        "%s answered HTTP %d, a redirect to itself (%s); is it a "
                        "W&B server, or a proxy that wants a login first?"
                        % (host, status, _printable(location)), host=host)
            except UsageError:
                scheme, sep, rest = location.partition("://")
                shown = scheme + sep + rest.partition("@")[2] if "@" in \
                    rest.split("/", 1)[0] else location    # no credentials
                raise ServerError("server redirected to %s, which is not a URL "
                                  "wblogin can use; is it a W&B server?"
                                  % _printable(shown), host=host)
            raise ServerError("server redirected to %s; try --host %s"
                              % (suggestion, suggestion), host=host)
        content_type = reply_headers.get("Content-Type") or ""
        try:
            return _judge_reply(host, status, content_type, data)
        except KeyRejectedError as error:
            raise KeyRejectedError("the server at %s rejected the API key %s (%s)"
                                   % (host, mask_api_key(key), error.message),
                                   host=host)


def _verify(run, key, source, timeout):
    """Check a key for this run's host; a rejection says whose key it was,
    that nothing was stored, and what to do."""
    try:
        viewer = _verify_api_key(run.host.url, key, timeout, run.env, run.report, {
            "--host": "the spelling of --host", "--cloud": "your network",
            "default": "your network", "WANDB_BASE_URL": "WANDB_BASE_URL",
        }.get(run.host.source, "base_url in %s" % run.host.source))
    except KeyRejectedError as error:
        why = error.message.rpartition("(")[2].rstrip(")")
        if source in ("argument", "standard input", "prompt"):
            tail = "nothing was stored; create a key at %s/authorize" % run.app()
        elif source == "WANDB_API_KEY":
            tail = "set WANDB_API_KEY to a valid key or unset it (keys: " \
                   "%s/authorize)" % run.app()
        elif source.startswith(run.path):
            tail = "store a new one with `%s --relogin` (keys: %s/authorize)" % (
                run.command(), run.app())
        else:
            tail = "edit api_key in %s, or store a key with `%s --relogin` (the " \
                   "SDK reads the netrc first)" % (source, run.command())
        raise KeyRejectedError("the server at %s rejected the API key %s from %s "
                               "(%s); %s" % (run.host.url, mask_api_key(key), source,
                                             why, tail), host=run.host.url)
    run.result.update(verified=True, user=viewer.get("username"),
                      entity=viewer.get("entity"), teams=viewer.get("teams"))
    run.report.say("logged in to %s as %s (default team: %s), with API key %s "
                   "from %s" % (run.host.url, viewer.get("username") or
                                viewer.get("email") or "?",
                                viewer.get("entity") or "none",
                                mask_api_key(key), source))
    return viewer
'''


# --------------------------------------------------------------------------
# Compiled on first use: which key the SDK sends, the actions that ask,
# the prompt, and the library's own netrc writes (see _section)
# --------------------------------------------------------------------------

_SECTIONS["actions"] = r'''
_section("model")


def _line_span(text, start, end, blank_lines=False):
    """[start, end) widened to whole lines when nothing else is on them (a
    comment after the entry goes with it), and with `blank_lines`, to the
    empty lines just above as well."""
    line_start = _line_start(text, start)
    line_end = _line_end(text, end)
    if line_end < len(text):
        line_end = line_end + 2 if text.startswith("\r\n", line_end) else line_end + 1
    rest = text[end:line_end].strip()
    if text[line_start:start].strip(" \t") or (rest and not (
            rest[0] == "#" and text[end] in " \t")):
        return start, end
    while blank_lines and line_start > 0:
        end_above = line_start - (2 if text.startswith("\r\n", line_start - 2)
                                  else 1)
        start_above = _line_start(text, end_above)
        if text[start_above:end_above].strip(" \t"):
            break
        line_start = start_above
    return line_start, line_end


def _no_key_message(run, stdin, action):
    """The one-line 'no key' error that fits what the user did."""
    if not run.host.storable:
        return ("no API key for %s, and wblogin stores keys only for URLs "
                "without user@, a query or %%-escapes: make %s the server's "
                "plain URL, then log in" % (run.host.url, run.host.source if
                                             run.host.source == "WANDB_BASE_URL"
                                             else "base_url in " + run.host.source))
    if run.netrc.kind != "ok" and os.path.lexists(run.path):
        # Its problem was said above; storing into it would fail the same way.
        return ("no API key for %s: the netrc file %s cannot be used (see "
                "above); fix it, or log in with `NETRC=<another file> %s - < "
                "key.txt`" % (run.host.url, run.path, run.command()))
    if action != "login":
        how = "run `%s` to log in" % run.command() if _isatty(stdin) else \
            "log in with `%s - < key.txt`" % run.command()
        return "no API key for %s: %s (new keys: %s/authorize)" % (
            run.host.url, how, run.app())
    return ("no API key for %s, and no terminal to ask on: pipe one in with "
            "`%s - < key.txt` (new keys: %s/authorize)" % (
                run.host.url, run.command(), run.app()))


def _getpass(prompt):
    import getpass
    return getpass.getpass(prompt)


def _prompt(run, ask, verify, timeout):
    """Ask for a key on the terminal, hidden; three tries in all (a bad
    format and a rejection by the server both count)."""
    run.report.say("logging in to %s" % run.host.url)
    run.report.say("create or copy an API key at %s/authorize" % run.app())
    for left in range(_PROMPT_TRIES - 1, -1, -1):
        try:
            typed = ask("API key (input hidden): ")
        except (KeyboardInterrupt, EOFError) as error:
            # The prompt line has no line end yet: the message goes below it.
            _write_out(run.report.stream or sys.stderr, "\n")
            raise Interrupted("%s; nothing was stored" % (
                "interrupted at the prompt" if isinstance(error, KeyboardInterrupt)
                else "no key entered (end of input at the prompt)"))
        key = clean_api_key(typed)
        problem = validate_api_key(key) if key else "No key entered."
        if problem is None:
            try:
                _store(run, key, "prompt", verify, timeout)
                return
            except KeyRejectedError:
                problem = "The server at %s rejected that key; nothing was " \
                          "stored." % run.host.url
        run.report.say(problem + (" Try again (%d left)." % left if left else ""))
    raise LoginError("no valid API key after %d tries; nothing was stored"
                     % _PROMPT_TRIES)


def _login_without_key(run, relogin, verify, timeout, stdin, ask):
    """A login with no KEY: report the key the SDK would use, else prompt."""
    ask = _getpass if ask is None else ask
    if relogin:
        if not _isatty(stdin):
            raise NoCredentialsError(
                "--relogin asks for a new key on a terminal, and standard input "
                "is not one; pipe the key instead: `%s - < key.txt`" % run.command())
        return _prompt(run, ask, verify, timeout)
    answer = _answer(run)
    if answer.stop:
        raise LoginError(answer.stop)
    if answer.kind == "token":
        run.result["key_source"] = answer.source
        run.report.say("the wandb SDK authenticates with the identity token file "
                       "in WANDB_IDENTITY_TOKEN_FILE (%s), not an API key"
                       % _printable(run.env["WANDB_IDENTITY_TOKEN_FILE"]))
    elif answer.key is not None:
        run.result.update(key=mask_api_key(answer.key), key_source=answer.source)
        if verify:
            _section("network")["_verify"](run, answer.key, answer.source, timeout)
        elif answer.kind == "env":
            run.report.say("already logged in to %s with API key %s from "
                           "WANDB_API_KEY, which the SDK uses before any stored "
                           "key (change or unset it to use another)"
                           % (run.host.url, mask_api_key(answer.key)))
        else:
            run.report.say("already logged in to %s with API key %s from %s (to "
                           "replace it: `%s --relogin`%s)" % (
                               run.host.url, mask_api_key(answer.key),
                               answer.source, run.command(),
                               ", which stores a netrc key; the SDK reads the "
                               "netrc first" if answer.kind == "settings" else ""))
    elif not _isatty(stdin):
        raise NoCredentialsError(_no_key_message(run, stdin, "login"))
    else:
        _prompt(run, ask, verify, timeout)


def _wandb_version():
    """The installed wandb version from its metadata, without importing it."""
    for folder in sys.path:
        try:
            names = os.listdir(folder or ".")
        except OSError:
            continue
        for name in names:
            low = name.lower()
            if low.startswith("wandb-") and low.endswith((".dist-info", ".egg-info")):
                return _printable(name[6:].rsplit(".", 1)[0].split("-")[0], 40)
    return None


def _sdk_warnings(run, key):
    """Name the installed SDK, and what it cannot use of what is configured."""
    installed = _wandb_version()
    run.result["sdk_version"] = installed
    if not installed:
        return
    run.report.say("wandb SDK %s is installed for this Python" % installed)
    version = tuple(_ascii_int(("".join(c for c in p if "0" <= c <= "9") or "0")
                               [:6]) for p in (installed.split(".") + ["0"] * 3)[:3])
    for oldest, wanted, why in (
            (_OLDEST_SDK_FOR_LONG_KEYS, key and len(key) > 40,
             "rejects API keys longer than 40 characters"),
            (_OLDEST_SDK_FOR_JWT, key and "." in key,
             "rejects API keys that are tokens (JWT)"),
            (_OLDEST_SDK_FOR_PORTS, ":" in _netloc(run.host.url).split("]")[-1],
             "looks netrc entries up without the port, so it will not find the "
             "one for %s" % _netloc(run.host.url))):
        if version < oldest and wanted:
            need = ".".join(str(p) for p in oldest)
            run.report.warn("wandb %s %s; upgrade to %s or later (pip install -U "
                            "'wandb>=%s')" % (installed, why, need, need))


def _status(run, verify, timeout, stdin):
    run.report.say("host: %s (from %s)" % (run.host.url, run.host.source))
    try:
        info = os.stat(run.path)
        mode, shown = info.st_mode & 0o777, "mode %04o" % (info.st_mode & 0o777)
        run.result["netrc_mode"] = "%04o" % mode
        if not _regular(info):
            mode, shown = None, _kind_of(info.st_mode)
    except OSError as error:
        mode, shown = None, "does not exist" if isinstance(
            error, FileNotFoundError) else "cannot be read: %s" % error.strerror
    parsed = run.netrc.parsed
    machine = next((m for m in _lookups(run.host) if parsed and m in parsed.hosts),
                   None)
    run.report.say("netrc: %s (%s%s)" % (
        run.path, shown, ", has an entry for %s" % _without_password(machine)
        if machine else ""))
    if mode is not None and mode & 0o077:
        run.report.warn("%s is readable by others (mode %04o); run `chmod 600 -- %s` "
                        "(wblogin makes it 0600 whenever it writes it)"
                        % (run.path, mode, _shell_word(run.path)))
    run.result["settings"] = run.settings.in_effect()
    run.report.say("settings: %s" % (", ".join(run.result["settings"]) or "none"))
    answer = _answer(run)
    _sdk_warnings(run, answer.key)
    if answer.stop:
        raise LoginError(answer.stop)
    if answer.kind == "token":
        run.result["key_source"] = answer.source
        run.report.say("key: none; the wandb SDK authenticates with the identity "
                       "token file in WANDB_IDENTITY_TOKEN_FILE (%s)"
                       % _printable(run.env["WANDB_IDENTITY_TOKEN_FILE"]))
    elif answer.key is None:
        raise NoCredentialsError(_no_key_message(run, stdin, "status"))
    else:
        run.result.update(key=mask_api_key(answer.key), key_source=answer.source)
        run.report.say("key: %s from %s" % (mask_api_key(answer.key),
                                            answer.source))
        if verify:
            _section("network")["_verify"](run, answer.key, answer.source,
                                           timeout)
    run.result["ok"] = True
    return run.result


def _logout(run):
    machines = run.host.machines()
    state = run.netrc
    if state.kind in ("fatal", "hangs") or (
            state.kind == "ignored" and os.path.lexists(run.path)):
        raise StorageError("nothing was removed from %s: %s" % (
            run.path, state.problem), path=run.path)
    removed = 0
    if state.parsed is not None and any(e[0] in machines and not e[3]
                                        for e in state.parsed.entries):
        removed, run.netrc = _netrc_rewrite(run.path, run.host, None, run.report,
                                            state)
    run.result["removed"] = removed
    run.report.say("removed the API key for %s from %s" % (run.host.url, run.path)
                   if removed else "no API key for %s in %s; nothing to remove"
                   % (run.host.url, run.path))
    answer = _answer(run)
    if answer.key is not None:
        run.result.update(key=mask_api_key(answer.key), key_source=answer.source)
        run.report.warn("%s still supplies an API key (%s) that the wandb SDK "
                        "sends to %s" % (answer.source, mask_api_key(answer.key),
                                         run.host.url))
    elif answer.kind == "token":
        run.report.warn("the wandb SDK still authenticates with "
                        "WANDB_IDENTITY_TOKEN_FILE")
    run.result["ok"] = True
    return run.result


def _print_key(run, verify, timeout, stdin, stdout):
    answer = _answer(run)
    if answer.stop:
        raise LoginError(answer.stop)
    if answer.kind == "token":
        raise NoCredentialsError("the wandb SDK authenticates with "
                                 "WANDB_IDENTITY_TOKEN_FILE, not an API key: "
                                 "there is no key to print")
    if answer.key is None:
        raise NoCredentialsError(_no_key_message(run, stdin, "print-key"))
    run.result.update(key=mask_api_key(answer.key), key_source=answer.source)
    if verify:
        _section("network")["_verify"](run, answer.key, answer.source, timeout)
    if not _write_out(stdout, answer.key + "\n"):
        raise LoginError("cannot write the key to standard output (closed, or "
                         "a broken pipe)")
    run.result["ok"] = True
    return run.result

def _library_path(path):
    if not path:
        raise UsageError("the netrc path is empty")
    return _checked_path(path, "the netrc path")


def _write_netrc_key(host, key, path, env, stderr):
    env = _environ(env)
    path = netrc_path(env) if path is None else _library_path(path)
    target = _resolve(_host_url(host), False, env, None)
    key = clean_api_key(key)
    problem = validate_api_key(key)
    if problem:
        raise InvalidKeyError(problem)
    _netrc_rewrite(path, target, key, _Report(stderr))
    return path


def _remove_netrc_key(host, path, env, stderr):
    env = _environ(env)
    path = netrc_path(env) if path is None else _library_path(path)
    target = _resolve(_host_url(host), False, env, None)
    state = _read_netrc_file(path, set(target.machines()))
    if state.parsed is None or not any(
            e[0] in target.machines() and not e[3] for e in state.parsed.entries):
        return 0    # nothing to remove needs no lock
    return _netrc_rewrite(path, target, None, _Report(stderr), state)[0]
'''


# --------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------

_DESCRIPTION = """\
Store a W&B API key on this machine, where the wandb SDK finds it (the netrc
file), without installing the SDK. The key is not checked with the server
unless --verify is given.

With no KEY, wblogin reports the key the wandb SDK would use, found where
the SDK itself looks, in this order:
  1. WANDB_API_KEY (or WANDB_IDENTITY_TOKEN_FILE: no key needed)
  2. the netrc entry for the host (NETRC, ~/.netrc or ~/_netrc), else its
     'default' entry
  3. api_key in the wandb settings files, when their base_url is the host
  4. a hidden prompt, when standard input is a terminal
(The SDK reads the netrc before the settings, whatever its help says.)

For a self-hosted or dedicated W&B server, name it with --host or set
WANDB_BASE_URL.
"""

_EPILOG = """\
examples:
  log in to a W&B server, asked for the key when none is configured:
    %(prog)s --host https://wandb.example.com
  read the key from standard input (not seen in `ps` or shell history):
    %(prog)s - < key.txt
  also check the key with the server:
    %(prog)s --verify
  show the host, the key the SDK will use and where it comes from:
    %(prog)s --status

API keys: current keys start with wandb_v1_ and are about 90 characters long;
older keys have 40. wandb SDKs older than 0.22.3 reject the longer keys.
A new key is shown once, at <app>/authorize: copy it right away.

exit codes: 0 done, 1 no usable key / rejected / not stored, 2 usage error,
3 server unreachable or not the W&B API, 130 interrupted.
"""


def _build_parser(env, prog):
    import argparse

    class Parser(argparse.ArgumentParser):
        def error(self, message):
            # argparse would print and exit; main() words it (never echoing
            # an argument that may be a key) and answers in JSON if asked.
            raise UsageError(message)

    try:
        columns = int(env.get("COLUMNS", ""))
    except ValueError:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns
        except (AttributeError, OSError, ValueError):
            columns = 80
    width = max(40, min(columns, 80) - 2)
    parser = Parser(
        prog=prog, usage="%(prog)s [OPTIONS] [KEY]", description=_DESCRIPTION,
        epilog=_EPILOG, allow_abbrev=False, add_help=False,
        # Given a width, argparse does not import shutil (and with it bz2
        # and lzma) on every run just to ask for the terminal's size.
        formatter_class=lambda prog: argparse.RawDescriptionHelpFormatter(
            prog, width=width))
    add = parser.add_argument
    # --help and --version are flags like the others, so that main() writes
    # them where they belong (standard error next to --json) and notices a
    # closed pipe, instead of argparse printing and exiting on its own.
    add("-h", "--help", action="store_true", help="show this help and exit")
    add("key", nargs="*", metavar="KEY",
        help="the API key to store; '-' reads it from standard input")
    add("--cloud", action="store_true",
        help="log in to the W&B public cloud (%s); not with --host" % CLOUD_URL)
    add("--host", "--base-url", dest="host", metavar="URL",
        help="log in to this W&B server (e.g. https://wandb.example.com); "
             "not with --cloud")
    add("--relogin", action="store_true",
        help="ignore existing credentials and ask for a new key")
    add("--verify", action="store_true", default=False,
        help="check the key with the server; on success show the user, the "
             "default team and where the key came from")
    add("--no-verify", dest="verify", action="store_false",
        help="do not check the key (the default)")
    add("--anonymously", action="store_true",
        help="accepted for old scripts; has no effect")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--status", action="store_true",
                       help="show the host and the key the wandb SDK would "
                            "use, and from where; change nothing")
    group.add_argument("--logout", action="store_true",
                       help="remove the stored key for the host")
    group.add_argument("--print-key", action="store_true",
                       help="print the key the SDK would use, alone, to "
                            "stdout (for export WANDB_API_KEY=...)")
    add("--json", action="store_true",
        help="print one JSON object describing the outcome on stdout")
    add("--timeout", metavar="SECONDS",
        help="time budget for --verify (default: WANDB_HTTP_TIMEOUT or 10)")
    add("--version", action="store_true", help="show wblogin's version and exit")
    return parser


def _arguments(argv, env, prog):
    """(parsed arguments, action, timeout), or UsageError with a message that
    never quotes an argument that may be a key."""
    parser = _build_parser(env, prog)
    try:
        args = parser.parse_args(argv)
    except UsageError as error:
        # argparse quotes arguments: _printable masks what may be a key in
        # them (`--api-key=KEY` shows as `--api-key=****wxyz`), and so is an
        # argument, or the value after its `=`, that is shaped like one.
        message = error.message
        for arg in sorted(set(argv), key=len, reverse=True):
            for part in (arg.partition("=")[2], arg):
                if len(part) >= 40 and validate_api_key(part) is None:
                    message = message.replace(part, mask_api_key(part))
        raise UsageError("%s (see %s --help)" % (_printable(message), prog))
    if args.help or args.version:
        args.text = parser.format_help() if args.help else \
            "wblogin %s\n" % __version__
        return args, "help" if args.help else "version", None
    action = "status" if args.status else "logout" if args.logout else \
        "print-key" if args.print_key else "login"
    refused = [
        (len(args.key) > 1, "give at most one KEY (or '-' to read it from "
                            "standard input)"),
        (args.cloud and args.host is not None, "--cloud and --host exclude "
                                               "each other"),
        (action != "login" and args.key, "--%s does not take a KEY" % action),
        (action != "login" and args.relogin, "--relogin does not go with --%s"
                                             % action),
        (action == "print-key" and args.json, "--print-key prints the key "
                                              "alone; it does not go with --json"),
        (action == "logout" and args.verify, "--verify does not go with "
                                             "--logout"),
        (args.timeout is not None and not args.verify, "--timeout only applies "
                                                       "to --verify")]
    for wrong, message in refused:
        if wrong:
            raise UsageError(message)
    timeout, name = args.timeout, "--timeout"
    if timeout is None and args.verify:
        timeout, name = env.get("WANDB_HTTP_TIMEOUT", "").strip() or None, \
            "WANDB_HTTP_TIMEOUT"
    return args, action, None if timeout is None else _seconds(timeout, name)


def _read_key_from_stdin(stdin, ask):
    """The first line of standard input (hidden, when it is a terminal)."""
    if _isatty(stdin):
        try:
            return (ask or _section("actions")["_getpass"])(
                "API key (input hidden): ")
        except KeyboardInterrupt:
            raise Interrupted("interrupted; nothing was stored")
        except EOFError:
            raise Interrupted("no key entered (end of input); nothing was stored")
    try:
        line = getattr(stdin, "buffer", stdin).readline(_MAX_STDIN_BYTES + 1)
    except (AttributeError, OSError, ValueError) as error:   # closed or write-only
        raise InvalidKeyError("cannot read standard input: %s"
                              % (getattr(error, "strerror", None) or "not open"))
    if isinstance(line, bytes):
        line = line.decode("utf-8", "replace")
    if len(line) > _MAX_STDIN_BYTES or len(line.strip()) > _MAX_KEY_CHARS:
        raise InvalidKeyError("the line on standard input is longer than %d "
                              "characters: not an API key" % _MAX_KEY_CHARS)
    if not line.strip():
        raise InvalidKeyError("no API key on standard input (an empty first line)")
    return line


def main(argv=None, env=None, cwd=None, stdin=None, stdout=None, stderr=None,
         prog=None, ask=None):
    # type: (list, dict, str, object, object, object, str, object) -> int
    """Run the command line; return the exit code.

    `prog` is the command shown in help and hints (default "wblogin");
    `ask` replaces the hidden prompt (for tests and embedding).
    """
    env = os.environ if env is None else env
    stdin = sys.stdin if stdin is None else stdin
    stdout = sys.stdout if stdout is None else stdout
    argv = sys.argv[1:] if argv is None else argv
    argv = list(argv) if isinstance(argv, (list, tuple)) else [None]
    prog = prog if isinstance(prog, str) and prog else "wblogin"
    result = _new_result("login")
    report = _Report(stderr, result)
    wants_json = any(arg == "--json" or isinstance(arg, str) and arg.startswith(
        "--json=") for arg in (argv[:argv.index("--")] if "--" in argv else argv))
    code = 0
    try:
        env = _environ(env)
        if not all(isinstance(a, str) for a in argv):
            raise UsageError("main() takes its arguments as a list of strings")
        args, action, timeout = _arguments(argv, env, prog)
        result["action"] = action
        if args.anonymously:
            report.warn("--anonymously has no effect; W&B no longer offers "
                        "anonymous logins")
        common = dict(env=env, cwd=cwd, stderr=stderr, result=result, prog=prog)
        if action in ("help", "version"):
            # Next to --json the text is for people: it goes to stderr.
            if wants_json:
                _write_out(stderr or sys.stderr, args.text)
            elif not _write_out(stdout, args.text):
                raise LoginError("cannot write the %s to standard output "
                                 "(closed, or a broken pipe)" % action)
            result["ok"] = True
        elif action == "print-key":
            print_key(args.host, args.cloud, args.verify, timeout, stdin=stdin,
                      stdout=stdout, **common)
        elif action == "status":
            status(args.host, args.cloud, args.verify, timeout, stdin=stdin,
                   **common)
        elif action == "logout":
            logout(args.host, args.cloud, **common)
        else:
            key = args.key[0] if args.key else None
            source = "argument"
            if key == "-":
                key, source = _read_key_from_stdin(stdin, ask), "standard input"
            elif key is not None:
                report.warn("a KEY typed on the command line can be seen in "
                            "`ps` and your shell history; `%s -` reads it from "
                            "standard input instead" % prog)
            login(key, args.host, args.cloud, args.relogin or key is not None,
                  args.verify, timeout, source, stdin=stdin, ask=ask, **common)
    except KeyboardInterrupt:
        code = 130
        if result["stored"]:
            message = ("interrupted after the key was stored in %s, while the "
                       "settings files were updated; run the same command "
                       "again to finish" % result["netrc"])
        elif result["removed"]:
            message = "interrupted after the key was removed from %s" % (
                result["netrc"])
        else:
            message = {"login": "interrupted; nothing was stored",
                       "logout": "interrupted; nothing was removed"}.get(
                           result["action"], "interrupted")
        result["error"] = {"code": code, "message": message}
        report.say(result["error"]["message"])
    except LoginError as error:
        code = error.exit_code
        result["error"] = {"code": code, "message": _printable(error.message, 2000)}
        report.say(error.message)
    if wants_json:
        import json
        # Paths and URLs too: nothing in it may show what may be a key.
        shown = dict((name, _masked(value) if isinstance(value, str) else
                      [_masked(v) for v in value] if isinstance(value, list)
                      else value) for name, value in result.items())
        if not _write_out(stdout, json.dumps(shown, sort_keys=True) + "\n"):
            report.say("cannot write the JSON result to standard output "
                       "(closed, or a broken pipe)")
            code = code or 1
    return code


def _invoked_as():
    """How the user ran us, for hints: `python -m wblogin` or `python PATH`."""
    spec = getattr(sys.modules.get("__main__"), "__spec__", None)
    if spec is not None and getattr(spec, "name", "") == "wblogin":
        return "python -m wblogin"
    script = sys.argv[0] if sys.argv and sys.argv[0] else "wblogin.py"
    if _might_hold_key(script) or not script.isprintable() or " " in script:
        script = "wblogin.py"
    return "python " + script


def _exit(code):
    """Exit with `code`, also when standard output or error cannot take
    what is still buffered (a full disk, a closed pipe)."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (AttributeError, OSError, ValueError):
            try:
                null = os.open(os.devnull, os.O_WRONLY)
                os.dup2(null, stream.fileno())
            except (AttributeError, OSError, ValueError):
                pass
            if stream is sys.stdout:
                code = code or 1    # what was asked for did not arrive
    sys.exit(code)


if __name__ == "__main__":
    _exit(main(prog=_invoked_as()))
