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

__version__ = "2.0.0"
__license__ = "MIT"

import _thread
import errno
import os
import re
import stat
import sys
import time
from collections import namedtuple
# Every action takes a URL apart, so urllib.parse (and the re it imports) comes
# with the module; the network, TLS, JSON and configparser come when used.
from urllib.parse import urljoin, urlsplit

__all__ = [
    "LoginError", "UsageError", "InvalidKeyError", "NoCredentialsError", "StorageError",
    "KeyRejectedError", "ServerError", "Interrupted", "CLOUD_URL", "normalize_host",
    "app_url", "clean_api_key", "validate_api_key", "mask_api_key", "parse_netrc",
    "netrc_set", "netrc_remove", "settings_set", "resolve_host", "netrc_path",
    "settings_paths", "find_api_key", "write_netrc_key", "remove_netrc_key",
    "verify_api_key", "login", "status", "logout", "print_key", "list_servers", "main",
]


# == Errors: one tree; only main() turns them into messages and exit codes ====

class LoginError(Exception):
    """Every wblogin error: `message`, one printable line without a full key; `exit_code`."""
    exit_code = 1

    def __init__(self, message, path=None, host=None):
        self.message = _printable(message, 2000)    # whatever it quotes
        Exception.__init__(self, self.message)
        self.path, self.host = path, host


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


# == Constants, and every limit in one place ==================================

CLOUD_URL = "https://api.wandb.ai"
# wandb 0.31's default base_url is CoreWeave's Forge: each Forge host, the W&B API behind it.
_FORGE_URL = "https://api.forge.coreweave.com"
_FORGE_HOSTS = {"forge.coreweave.com": "api.wandb.ai", "qa.forge.coreweave.com": "api.qa.wandb.ai"}
_KEY_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-")
_DEFAULT_TIMEOUT = 10.0           # seconds for the whole --verify check
_LOCK_WAIT = 10.0                 # seconds to wait for a file's lock
_QUIET = 2.0                      # seconds another program's write must lie back
_TURNS, _TURNS_GUARD = {}, _thread.allocate_lock()     # a lock per file, for threads
_PROMPT_TRIES = 3
_MAX_KEY_CHARS = 4096             # a longer key is refused before any use
_MAX_STDIN_BYTES = 64 * 1024      # `-`: the first line, at most this much
_MAX_NETRC_BYTES = 64 << 20       # a netrc file (the benchmark's is 6 MB)
_MAX_SETTINGS_BYTES = 1 << 20     # a wandb settings file
_MAX_REPLY_BYTES = 1 << 20        # the body of a --verify reply
_MAX_SHOWN_CHARS = 200            # outside text quoted in a message
_MAX_RETRY_AFTER = 30.0           # seconds of Retry-After ever honoured
_OLDEST_SDKS = ((0, 22, 3), (0, 24, 0), (0, 26, 0))   # first with long keys, netrc ports, JWTs


# == The wandb SDK's settings, and what each takes (wandb 0.31's model) =======
# Any other option, or a value its setting refuses, makes the SDK ignore both settings
# files; such a WANDB_* variable stops it. A kind "|a|b" takes a or b; "b|a|b" yes, no, a or b.

_SDK_KINDS = {  # kind: (what its values must be, None for any text; the settings of that kind)
    "b": ("yes or no", "allow_media_symlink allow_offline_artifacts allow_val_change "
          "console_multipart disable_code disable_git disable_git_fork_point "
          "disable_job_creation finish_timeout_raises force insecure_disable_ssl label_disable "
          "launch quiet relogin resumed sagemaker_disable save_code show_colors show_emoji "
          "show_errors show_info show_warnings silent stop_on_fatal_error strict symlink "
          "sync_tensorboard table_raise_on_max_row_limit_exceeded use_dot_wandb x_cli_only_mode "
          "x_disable_machine_info x_disable_meta x_disable_stats x_disable_viewer "
          "x_file_stream_no_gzip x_flow_control_custom x_flow_control_disabled x_primary "
          "x_save_requirements x_server_side_derived_summary x_skip_transaction_log "
          "x_stats_no_cgroup x_stats_self_usage x_stats_track_process_tree x_sync "
          "x_update_finish_state"),
    "i": ("a whole number", "heartbeat_seconds max_end_of_run_history_metrics "
          "max_end_of_run_summary_metrics summary_timeout summary_warnings "
          "x_file_stream_max_bytes x_file_stream_retry_max x_file_transfer_retry_max "
          "x_graphql_retry_max x_live_policy_rate_limit x_live_policy_wait_time x_log_level "
          "x_network_buffer x_stats_buffer_size x_stats_cpu_count x_stats_cpu_logical_count "
          "x_stats_gpu_count x_stats_pid"),
    "i0": ("a whole number of at least 0", "console_chunk_max_bytes console_chunk_max_seconds"),
    "i1": ("a whole number above 0", "x_file_stream_max_line_bytes"),
    "f": ("a number", "finish_timeout init_timeout login_timeout "
          "x_file_stream_retry_wait_max_seconds x_file_stream_retry_wait_min_seconds "
          "x_file_stream_timeout_seconds x_file_stream_transmit_interval "
          "x_file_transfer_retry_wait_max_seconds x_file_transfer_retry_wait_min_seconds "
          "x_file_transfer_timeout_seconds x_graphql_retry_wait_max_seconds "
          "x_graphql_retry_wait_min_seconds x_graphql_timeout_seconds x_internal_check_process "
          "x_start_time x_transaction_log_flush_interval"),
    "f0": ("a number of at least 0", "x_service_wait"),
    "f1": ("a number above 0", "x_stats_sampling_interval"),
    "s": (None, "anonymous api_key app_url_override code_dir credentials_file docker "
          "email entity git_commit git_remote git_remote_url git_root host identity_token_file "
          "ignore_globs job_name launch_config_path notebook_name organization program "
          "program_abspath program_relpath root_dir run_group run_job_type run_name run_notes "
          "run_tags settings_system sweep_param_path username x_executable x_files_dir "
          "x_history_value_encoding x_jupyter_name x_jupyter_path x_jupyter_root x_label "
          "x_runqueue_item_id x_service_transport x_stats_coreweave_metadata_endpoint "
          "x_stats_dcgm_exporter x_stats_gpu_type x_stats_neuron_monitor_config_path "
          "x_sync_dir_suffix"),
    "u": ("a URL the SDK takes", "base_url http_proxy https_proxy "
          "x_stats_coreweave_metadata_base_url"),
    "j": ("a JSON object of texts", "x_extra_http_headers x_stats_open_metrics_endpoints "
          "x_stats_open_metrics_http_headers"),
    "x": ("anything a text can set", "azure_account_url_to_access_key capture_loggers "
          "config_paths fork_from resume_from stop_fn x_proxies x_stats_disk_paths"),
    "?": (None, "x_stats_gpu_device_ids x_stats_open_metrics_filters"),
    "p": ("a project name (at most 128 characters, none of / \\ # ? % :)", "project"),
    "r": ("a run id (not empty, no spaces around it, none of : ; , # ? / ')", "run_id"),
    "w": ("a sweep id (not empty, no spaces around it)", "sweep_id"),
    "|auto|off|wrap|redirect|wrap_raw|wrap_emu": (None, "console"),
    "|repo|artifact|image": (None, "job_source"),
    "|online|offline|shared|disabled|dryrun|run": (None, "mode"),
    "|allow|must|never|auto": (None, "resume"),
    "b|default|return_previous|finish_previous|create_new": (None, "reinit")}
_SDK_SETTINGS = dict((name, kind) for kind, (_, names) in _SDK_KINDS.items()
                     for name in names.split())
_SDK_BOOLS = ("true", "false", "yes", "no", "on", "off", "t", "f", "y", "n", "1", "0")
_SDK_ENV_NAMES = {     # WANDB_* variables whose setting is not named after them
    "WANDB_APP_URL": "app_url_override", "WANDB_DIR": "root_dir",
    "WANDB_SERVICE_TRANSPORT": "x_service_transport", "WANDB_NAME": "run_name",
    "WANDB_NOTES": "run_notes", "WANDB_TAGS": "run_tags", "WANDB_JOB_TYPE": "run_job_type",
    "WANDB_USER_EMAIL": "email", "WANDB_HTTP_TIMEOUT": "x_graphql_timeout_seconds",
    "WANDB_FILE_PUSHER_TIMEOUT": "x_file_transfer_timeout_seconds"}


# == Pure: text from outside, made fit to show ================================
# One test for a word that may be an API key, one redaction on it; every message,
# JSON field and exception passes through it.

_WORD = re.compile(r"[\w.-]+")        # any letters: the SDK's key check takes [\w-]{40,}
_TOKEN = re.compile(r"eyJ[\w-]*\.[\w-]+\.[\w-]+", re.ASCII)
# W&B's own key shapes (for --list): 40 hex digits perhaps after `prefix-`, wandb_v1_, a token.
_WANDB_KEY = re.compile(r"(\w+-)?[0-9a-f]{40}\Z|wandb_v1_[\w-]{40,}\Z|%s\Z" % _TOKEN.pattern,
                        re.ASCII)


def mask_api_key(key: "str") -> "str":
    """`****` and the last four characters: safe to print anywhere (ASCII)."""
    if not isinstance(key, str) or len(key) < 12:
        return "****"
    return "****" + "".join(c if 32 < ord(c) < 127 else "\\u%04x" % ord(c) for c in key[-4:])


def _redact(text):
    """`text` with each word that may hold a key (32+ key letters in a row, a token) masked."""
    def mask(match):
        word = _TOKEN.sub(lambda token: mask_api_key(token.group()), match.group())
        return ".".join(mask_api_key(part) if len(part) >= 32 else part
                        for part in word.split("."))
    return _WORD.sub(mask, text)


def _printable(text, limit=_MAX_SHOWN_CHARS):
    """`text` redacted, cut to `limit`, and escaped where not printable (no terminal codes)."""
    text = str(text)
    if len(text) > 2 * limit + 64:      # cut where no word that may be a key is cut
        text = re.sub(_WORD.pattern + r"\Z", "", text[:2 * limit + 64]) + "..."
    text = _redact(text)
    text = text[:limit] + "...(more)" if len(text) > limit else text
    return text if text.isprintable() else "".join(
        c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text)


def _echo(text):
    """User input fit to quote in a message: printable, never a key."""
    return _printable(text) if _redact(text) == text else "(not shown: it may hold an API key)"


def _text(value, what):
    """`value` if it is a str, else UsageError (never a TypeError from deep inside)."""
    if not isinstance(value, str):
        raise UsageError("%s must be text, not %s" % (what, type(value).__name__))
    return value


def _seconds(value, name):
    """A time budget: a positive, finite number of seconds below 10**6."""
    try:
        if 0 < float(value) < 1e6:     # also refuses nan and inf
            return float(value)
    except (TypeError, ValueError, OverflowError):
        pass
    raise UsageError("%s must be a positive number of seconds" % name)


def _ascii_int(text, digits=9):
    """int(text) for 1 to `digits` ASCII digits, else None (int('²') fails)."""
    return int(text) if re.match(r"[0-9]{1,%d}\Z" % digits, text) else None


# == Pure: URLs ===============================================================
# One model (_split_url) for every URL; on it what wblogin stores and what the SDK refuses.

_Url = namedtuple("_Url", "scheme netloc user host port path query fragment")


def _split_url(text):
    """urlsplit's parts and the netloc's: user, host (unbracketed), port (None if absent)."""
    parts = urlsplit(text)
    user, _, hostport = parts.netloc.rpartition("@")
    host, colon, port = hostport.partition(":")
    if hostport.startswith("["):
        host, bracket, rest = hostport[1:].partition("]")
        if not bracket or rest[:1] not in ("", ":"):
            raise ValueError("invalid or unterminated [IPv6] address")
        colon, port = rest[:1], rest[1:]
    return _Url(parts.scheme, parts.netloc, user if "@" in parts.netloc else None, host,
                port if colon else None, parts.path, parts.query, parts.fragment)


def normalize_host(url: "str", what: "str" = "host URL") -> "str":
    """The canonical form of a W&B server URL (lower case, no default port, trailing slash or
    dot: one server, one netrc entry), a Forge URL as its API host; else UsageError."""
    parts = _storable(_text(url, what).strip(), what)
    host = parts.host
    netloc = "[%s]" % host if ":" in host else host
    if parts.port and int(parts.port) != {"https": 443, "http": 80}[parts.scheme]:
        netloc += ":%d" % int(parts.port)
    canonical = "%s://%s%s" % (parts.scheme, netloc, parts.path.rstrip("/"))
    sdk_problem = _sdk_url_problem(canonical)
    problem = _first([
        (netloc == "default", " names a server 'default', whose netrc entry would be "
                              "`machine default`, every host's fallback; use its full name"),
        ((host == "wandb.ai" or host.endswith(".wandb.ai")) and not host.startswith("api."),
         " points at the W&B web app, not its API (did you mean https://api.wandb.ai?)"),
        (host.endswith("wandb.ai") and parts.scheme != "https", " must use https:// for " + host),
        (sdk_problem, ": the wandb SDK refuses it: %s" % sdk_problem)])
    if problem:
        raise UsageError(what + problem)
    return _sdk_url(canonical)


def _storable(text, what):
    """`text` split (host lower-cased, no root dot) if wblogin stores a key for it."""
    problem = _first([
        (not text, "is empty"),
        (_redact(text) != text, "looks like it holds an API key (not shown), not a URL"),
        (any(not 32 < ord(ch) < 127 for ch in text), "must be ASCII without spaces or "
         "control characters (write an international name in its xn-- form)"),
        ("://" not in text, "must start with https:// or http:// (did you mean "
                            "https://%s?)" % text.rstrip("/"))])
    try:
        url = None if problem else _split_url(text)
    except ValueError:
        url, problem = None, "has an invalid or unterminated [IPv6] address"
    host = url.host.lower() if url else ""
    if host.endswith(".") and not host.endswith("..") and ":" not in host:
        host = host[:-1]    # the root of DNS: the same server
    problem = problem or _first([
        (url.scheme not in ("http", "https"),
         "must use https:// or http://, not %s://" % _echo(text.partition("://")[0])),
        ("?" in text or "#" in text, "must not have a query (?) or fragment (#)"),
        (url.user is not None, "must not contain user:password@ (the key goes in the netrc)"),
        ("[" not in url.netloc and url.netloc.count(":") > 1,
         "needs an IPv6 address in brackets, like http://[::1]:8080"),
        (not host, "has no host name"),
        (":" not in host and not (len(host) <= 253 and re.match(
            r"(?!-)[-_a-z0-9]{1,63}(\.[-_a-z0-9]{1,63})*\Z", host)), "has an invalid host name"),
        (url.port is not None and not 0 < (_ascii_int(url.port) or 0) < 65536,
         "needs a port from 1 to 65535"),
        (any(ch in url.path for ch in '%\\"'), "must not have %, \\ or \" in its path")])
    if problem:
        raise UsageError("%s %s" % (what, problem))
    return url._replace(host=host)


def _first(checks):
    """The problem of the first of the checks, (failed, problem), that failed."""
    return next((problem for failed, problem in checks if failed), None)


def _sdk_url_problem(text):
    """Why wandb 0.31 refuses base_url `text` (URL validator, Forge, wandb.ai), or None."""
    try:
        url, forge = _split_url(text), urlsplit(text).hostname
    except ValueError:
        return "its [IPv6] host is not closed"
    tail, sdk = text.partition("://")[2][len(url.netloc):], _sdk_url(text)
    host_problem = url.host and _sdk_host_problem(url.host)
    bad = re.compile(r'[ "<>\[\\\]^`{|}]|%(?![0-9A-Fa-f]{2})').search
    return _first([
        (url.scheme not in ("http", "https") or "://" not in text,
         "it is not an http:// or https:// URL"),
        (not url.host or any(ord(c) <= 32 or ord(c) in (127, 0x85) for c in text),
         "it has no host name, or spaces in it"),
        (bad(tail) or "#" in url.fragment,
         "its path holds characters a URL must not hold as they are"),
        (url.user is not None and (bad(url.user) or "@" in url.user),
         "its user name holds characters a URL must not hold as they are"),
        (url.port and (_ascii_int(url.port, 5) is None or int(url.port) > 65535),
         "its port is not a number up to 65535"),
        (host_problem, host_problem),
        (forge in _FORGE_HOSTS and (url.scheme, url.port, url.path.rstrip("/")) != (
            "https", None, "/api/wandb"), "a Forge host is reached at https://api.%s" % forge),
        (re.match(r".*wandb\.ai[^.]*$", sdk) and "api." not in sdk,
         "it names the W&B web app, not its API (did you mean %s?)" % CLOUD_URL),
        (re.match(r".*wandb\.ai[^.]*$", sdk) and not sdk.startswith("https"),
         "wandb.ai needs https")])


def _sdk_host_problem(host):
    """Why the URL standard refuses a host name, %-escapes decoded, or None."""
    if ":" in host:
        import ipaddress
        try:    # a zone (%eth0) it refuses; ipaddress takes one from 3.9 on
            return "%" in host and "its [IPv6] address has a zone" or \
                ipaddress.IPv6Address(host) and None
        except ValueError:
            return "its [IPv6] address is not valid"
    from urllib.parse import unquote
    try:
        name = unquote(host, errors="strict")
    except UnicodeError:
        name = "%"
    if any(c in "#%/:<>?@[\\]^|" or c.isspace() or ord(c) < 32 for c in name):
        return "its host name holds characters a host name cannot"
    labels = name[:-1].split(".") if name.endswith(".") else name.split(".")
    if re.match(r"([0-9]+|0[xX][0-9a-fA-F]*)\Z", labels[-1]):
        # An IPv4 address of decimal, 0x hex or 0 octal parts (20 digits are already too big).
        if not all(re.match(r"(0[xX][0-9a-fA-F]*|0[0-7]*|[1-9][0-9]*)\Z", p) for p in labels):
            return "its host name ends in a number but is no IPv4 address"
        numbers = [int(p[2:] or "0", 16) if p[:2] in ("0x", "0X") else
                   int(p, 8) if p[:1] == "0" else int(p[:20]) for p in labels]
        if len(numbers) > 4 or max(numbers[:-1] + [0]) > 255 or \
                numbers[-1] >= 256 ** (5 - len(numbers)):
            return "its IPv4 address has a part over 255"
    return None


def _sdk_url(text):
    """A URL as the SDK holds it: a Forge proxy URL as its API host, no trailing slash."""
    try:
        parts = urlsplit(text)
        if parts.hostname in _FORGE_HOSTS and parts.path.rstrip("/") == "/api/wandb":
            return "https://api." + parts.hostname
    except ValueError:
        pass
    return text.rstrip("/")


def _sdk_lookups(sdk_url):
    """The netrc machines the SDK asks for: base_url's netloc, then the W&B host behind Forge."""
    host = urlsplit(sdk_url).hostname
    return [_split_url(sdk_url).netloc] + [
        upstream for forge, upstream in _FORGE_HOSTS.items()
        if host in (forge, "api." + forge, upstream) and sdk_url != "https://" + upstream]


def _without_password(text):
    """A URL or a network location with its password shown as ****."""
    try:
        user = _split_url(text if "://" in text else "//" + text).user
    except ValueError:
        return text
    return text.replace(user, user.partition(":")[0] + ":****", 1) \
        if user and ":" in user else text


def _is_loopback(url):
    """localhost, ::1, or an IPv4 literal in 127.0.0.0/8 (not 127.evil.example)."""
    host = _split_url(url).host.lower()
    return host in ("localhost", "::1") or bool(re.match(r"127(\.[0-9]{1,3}){3}\Z", host)) \
        and max(map(int, host.split("."))) < 256


def app_url(host: "str", env: "dict" = None) -> "str":
    """The web app URL for an API URL: WANDB_APP_URL, or derived from it."""
    explicit = _environ(env).get("WANDB_APP_URL", "").strip().rstrip("/")
    return explicit or _text(host, "the host").replace(
        "://api.", "://" if "://api.wandb." in host else "://app.", 1)


# == Pure: API keys ===========================================================

def clean_api_key(text: "str") -> "str":
    """Strip surrounding whitespace and terminal bracketed-paste markers."""
    start = re.match(r"(?:\s|\x1b\[20[01]~)*", _text(text, "the API key")).end()
    end = re.match(r"(?:\s|~[01]02\[\x1b)*", text[::-1]).end()
    return text[start:len(text) - end]     # empty where the two ends overlap


def validate_api_key(key: "str") -> "object":
    """Return what is wrong with `key`, cleaned (never quoting it), or None: a key is a
    JWT, or ASCII letters, digits, `_` and `-` with 40+ of them after its first `-`."""
    if not isinstance(key, str):
        return "API key must be text, not %s." % type(key).__name__
    key = clean_api_key(key[:2 * _MAX_KEY_CHARS + 1])
    if len(key) > _MAX_KEY_CHARS:
        return "API key has more than %d characters." % _MAX_KEY_CHARS
    for ch in key:
        if ch.isspace():
            return "API key must be one word: it contains a space or line break."
        if ord(ch) > 126:
            return "API key must be ASCII: it contains other characters."
        if ord(ch) < 32 or ord(ch) == 127:
            return "API key contains a control character (U+%04X)." % ord(ch)
    if "." in key:
        parts = key.split(".")
        return None if len(parts) == 3 and all(p and set(p) <= _KEY_CHARS for p in parts) \
            else "API key looks like a token but is not three base64url parts joined by '.'."
    if set(key) - _KEY_CHARS:
        return "API key may contain only letters, digits, '_' and '-': it contains %s." % (
            " ".join(repr(c) for c in sorted(set(key) - _KEY_CHARS)))
    prefix, dash, rest = key.partition("-")
    if dash and len(rest) < 40:
        return "API key must have 40+ characters after %s, has %d." % (
            "'%s-'" % prefix if len(prefix) <= 12 else "its first '-'", len(rest))
    return _sdk_key_problem(key)    # all that is left is the SDK's: 40+ characters


def _sdk_key_problem(key):
    """What the SDK says of a key it found, or None: unstripped, a JWT or 40+ [\\w-] after `-`."""
    parts, secret = key.split("."), key.split("-", 1)[-1]
    jwt = len(parts) == 3 and all(re.match(r"[\w-]+$", part) for part in parts)
    return _first([
        (not key, "API key is empty."),
        (key != key.strip(), "API key cannot start or end with whitespace."),
        (not jwt and not re.match(r"[\w-]+$", secret),
         "API key may only contain letters, digits, '_' and '-'."),
        (not jwt and len(secret) < 40, "API key must have 40+ characters, has %d." % len(secret))])


# == Pure: netrc text =========================================================
# Read as Python 3.11+'s netrc (every SDK's reader) reads it, keeping where entries stand.

# A word as get_token() reads it: "quoted" (to the closing quote or the end) or up to white
# space; found in a copy where each \ and the character it takes are "__" (no backtracking).
_NETRC_WORD = re.compile(r'"([^"]*)("?)|[^ \t\n"][^ \t\n]*')
_NETRC_FIELDS = {"login": 0, "user": 0, "account": 1, "password": 2}
_Entry = namedtuple("_Entry", "name start end default")


class _NetrcParse(object):
    """What netrc text means (`hosts`, `macros`) and where: `entries` (wanted and default
    ones), `error` (offset, why), `open_quote`, `stop` (a "" that ends the reading)."""

    def __init__(self):
        self.hosts, self.entries, self.macros = {}, [], {}
        self.error = self.open_quote = self.stop = None
        self.unended = False    # the last word runs to the very end

    def authenticators(self, machine):
        """As netrc.authenticators(): the machine's entry, else `default`."""
        return self.hosts.get(machine, self.hosts.get("default"))


def parse_netrc(text: "str", want=True) -> "_NetrcParse":
    """Read netrc text as Python 3.11+'s netrc module does (line ends as a file in
    text mode has them); `want`: the machines whose positions are needed, or True."""
    _text(text, "the netrc text")
    if want is not True and not (isinstance(want, (set, frozenset, list, tuple)) and
                                 all(isinstance(name, str) for name in want)):
        raise UsageError("want must be True or a set of machine names")
    lf = text.replace("\r\n", "\n").replace("\r", "\n")
    plain = re.sub(r"\\[\s\S]", "__", lf)
    result = _NetrcParse()
    try:
        _read_netrc(lf, plain, result, want if want is True else set(want))
    except ValueError as error:     # where the module raises NetrcParseError
        result.error = error.args
    if "\r\n" in text:      # positions in `text`, whose \r\n the reader saw as \n
        import array
        import bisect
        pairs = array.array("q", (m.start() - i for i, m in enumerate(re.finditer("\r\n", text))))
        at = lambda offset: None if offset is None else offset + bisect.bisect_left(pairs, offset)
        result.entries = [e._replace(start=at(e.start), end=at(e.end)) for e in result.entries]
        result.open_quote, result.stop = at(result.open_quote), at(result.stop)
        result.error = result.error and (at(result.error[0]), result.error[1])
    return result


def _read_netrc(lf, plain, result, want):
    """The module's _parse() over `lf`, words found in `plain`; ValueError(at, why) quotes none."""
    n, hosts = len(lf), result.hosts
    words, resume, previous = _NETRC_WORD.finditer(plain), 0, None
    state, name, start, end, fields, keyword, wanted = "top", "", 0, 0, [], "", 0
    while True:
        match = next(words, None)
        word = "" if match is None else _read_word(lf, match, result)
        if word[:1] == "#":
            # A comment runs to the end of its line only if it began on the reader's line,
            # and at the top only if it is "#" alone; else only the word is skipped.
            resume = _word_stop(previous, n) if previous else resume
            previous = match
            if (state == "fields" or word == "#") and \
                    lf.find("\n", resume, _word_stop(match, n)) < 0:
                resume = lf.find("\n", _word_stop(match, n)) + 1 or n   # past the line end
                words, previous = _NETRC_WORD.finditer(plain, resume), None
            continue
        previous = match or previous
        if state == "fields":
            if word in _NETRC_FIELDS:    # the next word is its value, whatever it is
                value = next(words, None)
                fields[_NETRC_FIELDS[word]] = _read_word(lf, value, result) if value else ""
                previous, end = value or match, (value or match).end() if wanted else 0
                continue
            if word not in ("", "machine", "default", "macdef"):
                line = lf[lf.rfind("\n", 0, match.start()) + 1:match.start()].lstrip()
                raise ValueError(match.start(), "a # comment after a blank line inside an entry "
                                 "(netrc reads it as words)" if line.startswith("#") else
                                 "a value without the word password (or login) before it, or "
                                 "a word netrc does not know, such as port")
            hosts[name], state = tuple(fields), "top"
            if wanted:
                result.entries.append(_Entry(name, start, end, keyword == "default"))
        # The top level; a word that ended an entry is read here again.
        if not word:
            result.stop = match and match.start()
            result.unended = previous is not None and previous.end() == n and \
                previous.group(1) is None
            return
        if word in ("machine", "default"):     # a machine's name is the next word, whatever it is
            named = match if word == "default" else next(words, None)
            name = "default" if named is match else named and _read_word(lf, named, result)
            if not name:
                raise ValueError(match.start(), "'machine' without a name after it")
            start, keyword, fields, state = match.start(), word, ["", "", ""], "fields"
            wanted = named is match or want is True or name in want
            previous, end = named, named.end() if wanted else 0
        elif word == "macdef":
            resume = _read_macro(lf, plain, result, match)
            words, previous = _NETRC_WORD.finditer(plain, resume), None
        else:
            raise ValueError(match.start(), "a word outside any entry (a # comment must be a "
                                            "word of its own: '# note')")


def _read_word(lf, match, result):
    """The word at `match`, without its quotes and escapes; a quote left open is noted."""
    word = lf[match.start():match.end()]
    if word[0] == '"':
        if not match.group(2) and result.open_quote is None:
            result.open_quote = match.start()
        word = lf[match.start(1):match.end(1)]
    # Each backslash takes the next character; `lf` has no \r to stand in for an escaped one.
    return word if "\\" not in word else \
        word.replace("\\\\", "\r").replace("\\", "").replace("\r", "\\")


def _word_stop(match, n):
    """Where get_token() stops after `match`: past the quote or the white space."""
    return match.end() + (match.end() < n and match.group(1) is None)


def _read_macro(lf, plain, result, match):
    """A macdef's name, then its lines up to an empty one; where reading goes on."""
    named = _NETRC_WORD.search(plain, _word_stop(match, len(lf)))
    pos = _word_stop(named, len(lf)) if named else len(lf)
    end = pos if lf.startswith("\n", pos) else lf.find("\n\n", pos) + 1    # the empty line
    if not end:
        raise ValueError(match.start(), "a macdef without the empty line that ends it")
    result.macros[_read_word(lf, named, result)] = re.findall(r".*\n", lf[pos:end])
    return end + 1


def _line_of(text, offset):
    """The 1-based number of the line of `text` that holds `offset`: counted, no table."""
    return 1 + text.count("\n", 0, offset) + text.count("\r", 0, offset) - \
        text.count("\r\n", 0, offset)


def _line_start(text, offset):
    """Where the line that holds `offset` starts."""
    return max(text.rfind("\n", 0, offset), text.rfind("\r", 0, offset)) + 1


def _newline_of(text):
    """The line end a text uses, for the lines added to it."""
    return "\r\n" if "\r\n" in text else "\r" if "\r" in text and "\n" not in text else "\n"


def _netrc_problem(text, parsed):
    """Why this netrc text may not be edited, or None."""
    if parsed.error is not None:
        return "line %d: %s; Python's netrc module, the SDK's reader, fails on the file" % (
            _line_of(text, parsed.error[0]), parsed.error[1])
    if parsed.open_quote is not None:
        return "line %d: a quoted word that is never closed runs to the end of the file" % (
            _line_of(text, parsed.open_quote))
    return None


def _netrc_change(text, machines, key, parsed=None):
    """(new text, entries changed, its _NetrcParse) in which `machines` give `key` (None:
    nothing) and all else is as it was: the first plan read back so, else StorageError."""
    parsed = parsed or parse_netrc(text, set(machines))
    problem = _netrc_problem(text, parsed)
    if problem:
        raise StorageError(problem)
    newline, edits, cuts, new = _newline_of(text), [], [], ""
    for machine in machines:
        mine = [e for e in parsed.entries if e.name == machine and not e.default]
        cuts += mine if key is None else mine[:-1]
        block = "machine %s%s  login user%s  password %s" % (machine, newline, newline, key)
        if key is not None and mine:    # the last one replaced where it stands
            end = mine[-1].end      # after a quoted word nothing else separates
            edits.append((mine[-1].start, end, block + " " * (text[end:end + 1] not in " \t\r\n")))
        elif key is not None:
            new += block + newline
    # netrc reads a comment line as one only right below its entry: blank lines may go too.
    for blanks in (False, True)[:1 + bool(cuts)]:
        removed = [_line_span(text, e, blanks) for e in cuts]
        for place in _new_entry_places(text, parsed, new, newline):
            candidate = _apply_edits(text, edits + removed + place)
            failure, meaning = _netrc_check(parsed, candidate, machines, key)
            if failure is None:
                return candidate, len(cuts) + len(edits), meaning
    raise StorageError(failure)


def _line_span(text, entry, blank_lines):
    """The edit removing `entry` with its own lines (and blank lines above, if `blank_lines`)."""
    start, end = entry.start, entry.end
    first, line_end = _line_start(text, start), re.compile(r"\r\n?|\n").search(text, end)
    after = line_end.end() if line_end else len(text)
    rest = text[end:after].strip()
    if text[first:start].strip(" \t") or rest and not (rest[0] == "#" and text[end] in " \t"):
        return start, end, ""
    while blank_lines and first:
        above = _line_start(text, first - 1 - (text[first - 2:first] == "\r\n"))
        if text[above:first].strip(" \t\r\n"):
            break
        first = above
    return first, after, ""


def _new_entry_places(text, parsed, new, newline):
    """Edits that add `new`, best first: before default (curl stops there), at end, at start."""
    if not new:
        return [[]]
    places = []
    for entry in [e for e in parsed.entries if e.default][:1]:
        first = _line_start(text, entry.start)
        at = first if not text[first:entry.start].strip(" \t") else entry.start
        places.append([(at, at, new)])
    tail = "" if not text or text[-1] in "\r\n" and not parsed.unended else newline
    return places + [[(len(text), len(text), tail + new)], [(0, 0, new)]]


def _apply_edits(text, edits):
    pieces, at = [], len(text)
    for start, end, new in sorted(edits, reverse=True):
        pieces += [text[end:at], new]
        at = start
    return text[:at] + "".join(reversed(pieces))


def _netrc_check(old, new_text, machines, key):
    """(None, its _NetrcParse) if the SDK reads `new_text` as promised, else (why not, None)."""
    new = parse_netrc(new_text, want=set(machines))
    problem = _netrc_problem(new_text, new)
    if problem:
        return "the edit would make Python's netrc misread " + problem, None
    promised = dict(old.hosts)
    promised.update(dict.fromkeys(machines, None if key is None else ("user", "", key)))
    wrong = sorted(m for m in set(promised) | set(new.hosts)
                   if promised.get(m) != new.hosts.get(m))
    if wrong or new.macros != old.macros:
        return ("the edit would change what Python's netrc reads for %s (a field left "
                "without a value, or a comment, runs into an entry)"
                % _echo((wrong or ["a macro"])[0])), None
    return None, new


def _netrc_word(value, what):
    """`value` if it stands in a netrc file as one plain word, else UsageError."""
    if not _text(value, what) or value[0] == "#" or re.search(r'[\\"\s\x00-\x1f]', value):
        raise UsageError("%s cannot be written in a netrc file as one plain word (empty, "
                         "or with spaces, quotes, backslashes or a leading #)" % what)
    return value


def _machine_names(machines):
    names = [machines] if isinstance(machines, str) else machines
    if not isinstance(names, (list, tuple)) or not names:
        raise UsageError("the machines must be a name or a list of names")
    if "default" in names:
        raise UsageError("wblogin does not write `machine default`, every host's fallback")
    return [_netrc_word(name, "a machine name") for name in names]


def netrc_set(text: "str", machines, key: "str") -> "str":
    """Netrc text in which each of `machines` (a name or a list) gives `key`: its last entry
    replaced where it stands, the others removed, a new one before `default`, else at the end;
    every other byte kept. StorageError: the SDK would not read the key back from any edit."""
    return _netrc_change(text, _machine_names(machines), _netrc_word(key, "the key"))[0]


def netrc_remove(text: "str", machines) -> "tuple":
    """(text without the entries for `machines`, how many were removed). StorageError: Python's
    netrc cannot read the text, or the removal would change what another entry gives."""
    return _netrc_change(text, _machine_names(machines), None)[:2]


# == Pure: settings text (INI with a [default] section) =======================
# Read as the SDK reads it; edited a line at a time, so that comments and order survive.

_Settings = namedtuple("_Settings", "values problem fatal raw")
# values: [default]'s options as the SDK gets them (None: it cannot use the file); problem:
# why; fatal: the SDK stops on it; raw: {(section, option): value}, None when rejected.


def _read_settings(text):
    """Settings text as configparser, the SDK's reader, takes it: a _Settings."""
    import configparser
    parser = configparser.ConfigParser()
    try:
        parser.read_string(text.replace("\r\n", "\n").replace("\r", "\n"))
    except configparser.Error as error:
        # Its messages quote the offending line, which may hold a key.
        line = next((e[0] for e in getattr(error, "errors", ()) if e), getattr(
            error, "lineno", None))
        why = {"DuplicateSectionError": "a section that appears twice",
               "DuplicateOptionError": "an option that appears twice in its section",
               "MissingSectionHeaderError": "an option before any [section]"}.get(
            type(error).__name__, "a line that is not 'name = value', a comment or a [section]")
        return _Settings(None, ("line %d: " % line if line else "") + why, False, None)
    raw = dict(((section, k), v) for section in parser.sections()
               for k, v in parser.items(section, raw=True))
    try:
        values = dict(parser.items("default")) if parser.has_section("default") else {}
    except configparser.InterpolationError as error:
        return _Settings(None, "option %s has a %% that configparser cannot interpolate (write "
                         "%%%% for a literal %%)" % _printable(error.option or "?", 40), True, raw)
    return _Settings(values, None, False, raw)


def settings_set(text: "str", option: "str", value) -> "str":
    """Return settings text with [default] `option` set to `value`, or removed (None) there
    and from [DEFAULT]. StorageError: configparser rejects the text, or reads the edit amiss."""
    import configparser
    option = _text(option, "the option").strip().lower()
    if not option or option[0] in "#;" or any(c in option for c in "=:[]% \t\r\n"):
        raise UsageError("the option must be one word, without = : % [ ] or a leading # or ;")
    if value is not None and any(c in _text(value, "the value") for c in "\r\n"):
        raise UsageError("the value must be one line")
    old = _read_settings(_text(text, "the settings text")).raw
    if old is None:
        raise StorageError("configparser, the wandb SDK's reader, rejects the file as it is")
    newline = _newline_of(text)
    ended = text + (newline if text[-1:] not in ("", "\r", "\n") else "")
    entry = None if value is None else "%s = %s" % (option, value.replace("%", "%%"))
    rows, done = [], entry is None
    section, name, at, indent, pad = None, None, None, 0, ""
    for whole in re.findall(r"[^\r\n]*(?:\r\n?|\n)", ended):    # lines as configparser has them
        line = whole.rstrip("\r\n")
        words, lead = line.strip(), line[:len(line) - len(line.lstrip())]
        if words[:1] in ("", "#", ";"):
            kind = "blank"      # or a comment: neither ends the option above
        elif name and len(lead) > indent:
            kind = "more"       # the option above goes on
        else:
            header = configparser.ConfigParser.SECTCRE.match(words)
            kind, indent = "section" if header else "option", len(lead)
            section = header.group("header") if header else section
            name = None if header else configparser.ConfigParser.OPTCRE.match(
                words).group("option").rstrip().lower()
        if kind != "blank" and name == option and (
                section == "default" or entry is None and section == "DEFAULT"):
            if not done:        # its first line, replaced where it stands
                rows.append(lead + entry + whole[len(line):])
            done = True
            continue
        rows.append(whole)
        if section == "default" and kind != "blank":
            at, pad = len(rows), lead if kind == "option" else pad
    if not done and at is not None:
        rows.insert(at, pad + entry + newline)
    elif not done:
        if rows and rows[-1].strip():
            rows.append(newline)        # a blank line before the new section
        rows += ["[default]" + newline, entry + newline]
    new_text = "".join(rows)
    if new_text == text:
        return text
    new = _read_settings(new_text)
    others = lambda values: dict((k, v) for k, v in values.items() if k[1] != option)
    if new.raw is None or others(old) != others(new.raw):
        raise StorageError("a new [default] section would take the options of [DEFAULT]"
                           if not any(k[0] == "default" for k in old) else
                           "the edit would change what configparser reads for other options")
    if new.values is None or new.values.get(option) != value:
        raise StorageError("configparser would not read %s back as written" % option)
    return new_text


# == Pure: what the wandb SDK reads, and the key it sends =====================
# Measured with wandb 0.31 (and read in its wbauth code; its reference page differs):
# WANDB_API_KEY or WANDB_IDENTITY_TOKEN_FILE, then the host's netrc entry (else `default`),
# then a settings api_key, counted only when the merged base_url is that host.

def _sdk_number(text, whole):
    """`text` as pydantic reads a number for the SDK (ASCII, spaces, `_`, 1.0 whole), or None."""
    if any(ord(c) > 127 for c in text) or whole and sum(c.isdigit() for c in text) > 4300:
        return None     # 4300 digits: int()'s limit since 3.7.14
    try:
        if not whole:
            return float(text)
        if "." in text and "e" not in text.lower():
            head, _, tail = text.strip().lstrip("+-").partition(".")
            return float(text) if head and tail and float(text).is_integer() else None
        return int(text)
    except (ValueError, OverflowError):
        return None


def _sdk_value_problem(name, value):
    """What setting `name` needs that `value` is not ("a whole number"), or None."""
    kind, *choices = _SDK_SETTINGS.get(name, "s").split("|")
    if value in choices or kind == "b" and value.lower() in _SDK_BOOLS:
        return None
    if choices:
        return "one of " + ", ".join(choices + ["yes", "no"] * (kind == "b"))
    if kind[0] in ("i", "f"):
        number = _sdk_number(value, kind[0] == "i")
        ok = number is not None and not (kind[1:] == "0" and number < 0 or
                                         kind[1:] == "1" and number <= 0)
    elif kind == "u":
        problem = _sdk_url_problem(value)
        return problem and "%s (%s)" % (_SDK_KINDS[kind][0], problem)
    elif kind == "j":
        import json
        try:
            given = json.loads(value)
        except (ValueError, RecursionError):    # the SDK fails on both alike
            given = 0
        ok = given is None or isinstance(given, dict) and all(
            isinstance(v, str) for v in given.values())
    elif kind == "p":
        ok = len(value) <= 128 and not re.search(r"[/\\#?%:]", value)
    elif kind in ("r", "w"):
        ok = value.strip() == value != "" and not (kind == "r" and
                                                   re.search(r"[:;,#?/']", value))
    else:
        ok = _SDK_KINDS[kind][0] is None
    return None if ok else _SDK_KINDS[kind][0]


_SettingsState = namedtuple("_SettingsState", "workspace global_ files stop merged dropped")
# files: [(path, _Settings or None, kind)], global first; merged, dropped: see _sdk_merged.


def _sdk_merged(files):
    """({option: (value, path)} the SDK takes, None) or ({}, (path, why it takes none))."""
    merged = dict((option, (value, path)) for path, parsed, _ in files
                  for option, value in (parsed and parsed.values or {}).items())
    for option, (value, path) in sorted(merged.items()):
        if option not in _SDK_SETTINGS:
            return {}, (path, "it does not know option %s" % _printable(option, 40))
        needs = _sdk_value_problem(option, value)
        if needs:
            return {}, (path, "%s = %s is not %s" % (_printable(option, 40), _echo(value), needs))
    return merged, None


_NetrcState = namedtuple("_NetrcState", "path text parsed kind problem")  # see _read_text


class _Host(namedtuple("_Host", "url sdk_url source storable spellings")):
    """The server: `url` as wblogin stores it, `sdk_url` as the SDK holds it, other `spellings`."""

    def machines(self, parsed=None):
        """The names a logout removes; given the netrc (`parsed`), those a store writes: for
        the cloud, Forge's only if the file has it or `default` (wandb 0.31 asks for it first)."""
        names, forge = [_split_url(self.url).netloc], _split_url(_FORGE_URL).netloc
        if self.url == CLOUD_URL and (parsed is None or forge in parsed.hosts or
                                      "default" in parsed.hosts):
            names.append(forge)
        return names + [name for name in self.spellings if name not in names]

    def named_by(self, flags=None):
        """For messages: WANDB_BASE_URL, "base_url in FILE", or `flags` (None: the source)."""
        if self.source in ("--host", "--cloud", "default"):
            return flags or self.source
        return self.source if self.source == "WANDB_BASE_URL" else "base_url in " + self.source


def _sdk_start_problem(env, settings):
    """Why the SDK stops before it looks for a key (settings files, WANDB_* variables)."""
    if settings.stop:
        return settings.stop
    for variable, value in sorted(env.items()):
        if not variable.startswith("WANDB_") or variable == "WANDB_API_KEY":
            continue
        setting = "x_" + variable[7:].lower() if variable.startswith("WANDB__") else \
            _SDK_ENV_NAMES.get(variable, variable[6:].lower())
        needs = _sdk_value_problem(setting, value)
        if variable == "WANDB_HTTP_TIMEOUT" and not needs:
            try:    # the SDK's check of a key reads this one again, with int()
                int(value)
            except ValueError:
                needs = "a whole number"
        if needs:
            return ("the wandb SDK stops with an error: %s=%s is not %s; fix or unset it"
                    % (variable, _echo(value), needs))
    if env.get("WANDB_API_KEY") and env.get("WANDB_IDENTITY_TOKEN_FILE"):
        return ("both WANDB_API_KEY and WANDB_IDENTITY_TOKEN_FILE are set, which the "
                "wandb SDK refuses; unset one of them")
    return None


def _env_value(env, name):
    """A variable as the SDK reads it (UTF-8, where 3.6 in a C locale gives escapes), or None."""
    value = env.get(name) or None
    try:
        return value and value.encode("utf-8", "surrogateescape").decode("utf-8")
    except UnicodeError:    # not escaped UTF-8 bytes: as it is
        return value


_Answer = namedtuple("_Answer", "key source kind stop warnings machine")
# The SDK's key, its source and kind (env, token, netrc, default, settings), or why it stops.


def _sdk_answer(host, env, settings, netrc, command="wblogin"):
    """The key the SDK sends to `host` and its source, or why none (`command`: for hints)."""
    warnings = []

    def answer(key=None, source=None, kind=None, stop=None, machine=None):
        problem = key is not None and _sdk_key_problem(key)
        if problem:     # the SDK stops there: it does not try the next source
            fix = {"env": "fix or unset WANDB_API_KEY", "settings": "fix or remove it"}.get(
                kind, "store a key for this host with `%s --relogin` (or `%s - < key.txt`)"
                % (command, command))
            key, stop = None, "the API key in %s is not usable: %s The wandb SDK stops " \
                "there; %s." % (source, problem, fix)
        return _Answer(key, source, kind, stop, warnings, machine)
    key, token_file = _env_value(env, "WANDB_API_KEY"), env.get("WANDB_IDENTITY_TOKEN_FILE")
    stop = _sdk_start_problem(env, settings)
    if stop:
        return answer(stop=stop)
    if key is not None:
        return answer(key, "WANDB_API_KEY", "env")
    if token_file:
        unusable = os.path.isdir(token_file) or not os.access(token_file, os.R_OK)
        return answer(None, "WANDB_IDENTITY_TOKEN_FILE", "token", unusable and (
            "WANDB_IDENTITY_TOKEN_FILE names %s, which cannot be read: the wandb SDK "
            "fails on it; fix or unset it" % _printable(token_file)) or None)
    if netrc.kind in ("fatal", "hangs"):
        return answer(stop=netrc.problem)
    if netrc.kind == "ignored":
        warnings.append(netrc.problem)
    found = _netrc_answer(host, netrc, warnings) if netrc.kind == "ok" else None
    if found:
        return answer(*found)
    key, key_path = settings.merged.get("api_key", (None, None))
    if key and "WANDB_API_KEY" not in env:  # set but empty, it still hides this one
        base, base_source = _env_value(env, "WANDB_BASE_URL"), "WANDB_BASE_URL"
        if base is None:
            base, base_source = settings.merged.get("base_url", (None, None))
        if _sdk_url(base or _FORGE_URL) == host.sdk_url:
            if base and base_source != key_path:
                warnings.append("the api_key in %s is used for %s because base_url comes "
                                "from %s: settings in another file decide where that key "
                                "is sent" % (key_path, host.url, base_source))
            return answer(key, key_path, "settings")
    return answer()


def _netrc_answer(host, netrc, warnings):
    """(key, source, kind, None, machine) as the SDK finds them in the netrc, or None."""
    parsed = netrc.parsed
    for at, why in ((parsed.open_quote, "a quoted word is never closed, so Python's netrc "
                     "module reads the rest of the file as part of it"),
                    (parsed.stop, "an empty quoted word \"\" ends Python's reading of the file; "
                     "entries after it are ignored")):
        if at is not None:
            warnings.append("%s line %d: %s" % (netrc.path, _line_of(netrc.text, at), why))
    machine = next((m for m in _sdk_lookups(host.sdk_url) if parsed.authenticators(m)), None)
    if machine is None:
        return None
    key, by_default = parsed.authenticators(machine)[2], machine not in parsed.hosts
    if not key:
        warnings.append("%s has an entry for %s with no password; the wandb SDK skips "
                        "it" % (netrc.path, "'default'" if by_default else machine))
        return None
    if by_default:
        warnings.append("the key comes from the 'default' entry of %s: the wandb SDK "
                        "sends that password to %s too" % (netrc.path, host.url))
        return key, netrc.path + " (default entry)", "default", None, "default"
    return key, netrc.path, "netrc", None, machine


# == Effects: messages ========================================================

class _Report(object):
    """Where the human lines go (stderr, `wblogin: ...`) and the JSON result that says it too."""

    def __init__(self, stderr=None, result=None):
        if stderr is not None and not hasattr(stderr, "write"):
            raise UsageError("stderr must be a stream, not %s" % type(stderr).__name__)
        if result is not None and not isinstance(result, dict):
            raise UsageError("result must be a dict, not %s" % type(result).__name__)
        self.stream, self.result = stderr, {} if result is None else result
        for name, value in _new_result(self.result.get("action", "")).items():
            given = self.result.setdefault(name, value)
            if value is not None and not isinstance(given, type(value)):
                raise UsageError("result[%r] must be %s" % (name, type(value).__name__))

    def say(self, message):
        """One line, through _printable (no key, no escape sequence)."""
        try:
            stream = sys.stderr if self.stream is None else self.stream
            stream.write("wblogin: %s\n" % _printable(message, 2000))
            stream.flush()
        except (AttributeError, OSError, ValueError, TypeError):
            pass    # a closed stderr must not turn a login into a traceback

    def warn(self, message):
        """A warning line, kept for JSON as printed (once)."""
        message = _printable(message, 2000)
        if message not in self.result["warnings"]:
            self.result["warnings"].append(message)
            self.say("warning: " + message)


def _write_out(stdout, text):
    """Write `text` (UTF-8) to stdout; False when closed or a broken pipe (then _silence it)."""
    try:
        buffer = getattr(stdout, "buffer", stdout)
        buffer.write(text.encode("utf-8") if buffer is not stdout else text)
        buffer.flush()
        return True
    except (AttributeError, OSError, ValueError, TypeError):     # TypeError: a bytes stream
        if stdout is sys.stdout:
            _silence(stdout)
        return False


def _silence(stream):
    """Point a standard stream that cannot be written at the null device."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, stream.fileno())
        os.close(null)
    except (AttributeError, OSError, ValueError):
        pass


# == Effects: the environment, paths, and the one gate for reading a file =====

def _quietly(function, *args):
    """`function(*args)`, a best effort: None on an OSError."""
    try:
        return function(*args)
    except OSError:
        return None


def _environ(env):
    """os.environ, or the caller's mapping, whose names and values are text."""
    if env is None:
        return os.environ
    if not hasattr(env, "get") or not hasattr(env, "items") or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in env.items()):
        raise UsageError("env must be a mapping of variable names to text values")
    return env


def _checked_path(path, what):
    """`path` if it can name a file here (text, no NUL, characters a name can hold)."""
    if "\0" in _text(path, what):
        raise UsageError("%s contains a NUL character: not a path" % what)
    try:
        os.fsencode(path)
    except UnicodeError:
        raise UsageError("%s holds a character that cannot be in a file name here" % what)
    return path


def _home(env, os_name=None):
    """`~` from `env`: HOME, even empty (USERPROFILE first on Windows), else the account's."""
    home = (os_name or os.name) == "nt" and env.get("USERPROFILE") or env.get("HOME")
    if home is not None:
        return _checked_path(home, "HOME")
    try:
        import pwd
        return pwd.getpwuid(os.getuid()).pw_dir
    except (ImportError, KeyError, AttributeError):
        return os.path.expanduser("~")


def _expand_user(path, env, what):
    """`~` and `~user` expanded as os.path.expanduser (the SDK's) does, `~` from `env`."""
    if not _checked_path(path, what).startswith("~"):
        return path
    if path == "~" or path[1] in ("/\\" if os.name == "nt" else "/"):
        return (_home(env).rstrip("/\\") + path[1:]) or "/"
    if os.path.expanduser(path) == path:
        raise UsageError("%s names the home of a user who does not exist" % _printable(path))
    return os.path.expanduser(path)


def netrc_path(env: "dict" = None, os_name: "str" = None, cwd: "str" = None) -> "str":
    """The netrc file the SDK reads: NETRC (from `cwd`), else ~/.netrc or ~/_netrc if present."""
    env = _environ(env)
    if env.get("NETRC"):
        return _in_folder(cwd, _expand_user(env["NETRC"], env, "NETRC"))
    home = _home(env, os_name).rstrip("/\\") + os.sep
    return next((home + name for name in (".netrc", "_netrc") if os.path.exists(home + name)),
                home + ("_netrc" if (os_name or os.name) == "nt" else ".netrc"))


def settings_paths(env: "dict" = None, cwd: "str" = None) -> "tuple":
    """The settings files the SDK reads: (./wandb/settings, or ./.wandb/settings when ./.wandb
    exists, None without a working directory; WANDB_CONFIG_DIR or ~/.config/wandb/settings)."""
    env = _environ(env)
    root = _quietly(os.getcwd) if cwd is None else _checked_path(cwd, "the working directory")
    hidden = os.path.exists(os.path.join(root, ".wandb")) if root else False
    workspace = root and os.path.join(root, ".wandb" if hidden else "wandb", "settings")
    folder = _expand_user(env.get("WANDB_CONFIG_DIR") or "~/.config/wandb", env,
                          "WANDB_CONFIG_DIR")
    return workspace, os.path.join(_in_folder(root, folder), "settings")


def _in_folder(cwd, path):
    """`path`, relative ones taken from `cwd`; on Windows with backslashes, as the SDK has it."""
    path = path if cwd is None or os.path.isabs(path) else os.path.join(cwd, path)
    return os.path.normpath(path) if os.name == "nt" else path


class _NotAFile(OSError):
    """A device, FIFO, socket or directory where a file was wanted: never read or replaced."""

    def __init__(self, path, mode):
        kinds = {"d": "a directory", "p": "a FIFO", "c": "a character device",
                 "b": "a block device", "s": "a socket"}
        self.path, self.kind = path, kinds.get(stat.filemode(mode)[0], "not a regular file")
        OSError.__init__(self, "%s is %s" % (path, self.kind))


def _regular_or_absent(path, fd=None):
    """The gate: the stat of `path` (links followed) or of `fd`, if regular; None if absent."""
    try:
        info = os.stat(path) if fd is None else os.fstat(fd)
    except (FileNotFoundError, NotADirectoryError):
        return None     # absent, or a dangling link whose target can be made
    if not stat.S_ISREG(info.st_mode):
        raise _NotAFile(path, info.st_mode)
    return info


def _read_regular(path, limit):
    """A regular file's bytes (None when absent), checked again once open: no FIFO blocks it."""
    _regular_or_absent(path)    # if absent, the open says so
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | \
        getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    try:    # (on Windows, refused for a moment while another login replaces it)
        fd = _retried(lambda: os.open(path, flags), time.monotonic() + 1)
    except (FileNotFoundError, NotADirectoryError):
        return None
    with open(fd, "rb") as stream:
        _regular_or_absent(path, fd)
        chunks = [stream.read(1 << 20)]     # no buffer of `limit` bytes: ulimit -v is common
        while chunks[-1] and len(chunks) <= limit >> 20:
            chunks.append(stream.read(1 << 20))
    data = b"".join(chunks)
    if len(data) > limit:
        raise OSError(errno.EFBIG, "it is larger than %d MiB" % (limit >> 20))
    return data


def _decode(data):
    """(text, encoding): UTF-8, else the locale's (the netrc module's fallback); or (None, why)."""
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as error:
        bad = error.start
    try:    # what open(encoding="locale") takes, also in UTF-8 mode
        import locale
        encoding = locale.nl_langinfo(locale.CODESET) if hasattr(
            locale, "nl_langinfo") else locale.getpreferredencoding(False)
        return data.decode(encoding), encoding
    except (LookupError, ValueError):   # no such codec, or the text is not in it either
        return None, "line %d is not UTF-8 text" % (data.count(b"\n", 0, bad) + 1)


def _read_text(path, limit, what):
    """(text, kind, why), read without blocking; kind: ok, absent, ignored, fatal or hangs."""
    try:
        data = _read_regular(path, limit)
    except _NotAFile as error:
        if error.kind not in ("a FIFO", "a character device"):
            return None, "ignored", "%s is %s, not %s" % (path, error.kind, what)
        if os.path.realpath(path) != os.devnull:
            return None, "hangs", "the wandb SDK would wait on %s, or read it forever: it is " \
                "%s" % (path, error.kind)
        data = b""      # the null device: an empty file
    except OSError as error:
        if error.errno == errno.EFBIG:  # the SDK reads it whole: what it finds is unknown
            return None, "fatal", "wblogin does not read %s (%s), so it cannot tell what " \
                "the wandb SDK finds there" % (path, error.strerror)
        return None, "ignored", "cannot read %s (%s)" % (path, error.strerror or error)
    if data is None:
        return None, "absent", None
    text, encoding = _decode(data)
    if text is None:
        return None, "fatal", "the wandb SDK stops with an error reading %s: %s" % (path, encoding)
    return text, "ok", None


def _read_settings_files(env, cwd, report):
    """Both settings files, read once, as a _SettingsState."""
    workspace, global_ = settings_paths(env, cwd)
    if workspace is None:
        report.warn("the working directory no longer exists: its settings file is not read")
    files, stop = [], None
    for path in [p for p in (global_, workspace) if p]:
        text, kind, why = _read_text(path, _MAX_SETTINGS_BYTES, "a settings file")
        parsed = None if text is None else _read_settings(text)
        if kind in ("fatal", "hangs"):
            stop = why
        elif kind == "ignored":
            report.warn(why + "; it is not read")
        elif parsed and parsed.fatal:
            stop = "the wandb SDK stops with an error on %s: %s" % (path, parsed.problem)
        elif parsed and parsed.problem:
            report.warn("the wandb SDK ignores settings file %s (%s)" % (path, parsed.problem))
        files.append((path, parsed, kind))
    state = _SettingsState(workspace, global_, files, stop, *_sdk_merged(files))
    if state.dropped is not None:
        report.warn("the wandb SDK ignores both settings files because of %s: %s; fix "
                    "or remove that line" % state.dropped)
    return state


def _read_netrc_file(path, want):
    """The netrc file as a _NetrcState, parsed with positions for `want`."""
    text, kind, why = _read_text(path, _MAX_NETRC_BYTES, "a netrc file")
    parsed = None if text is None else parse_netrc(text, want)
    if parsed and parsed.error is not None:
        kind, why = "ignored", "%s line %d: %s; Python's netrc module cannot read the " \
            "file" % (path, _line_of(text, parsed.error[0]), parsed.error[1])
    if kind == "ignored":
        why += ", so the wandb SDK reads no key from it"
    return _NetrcState(path, text, parsed, kind, why)


# == Effects: the one writer (a lock, a temporary file, fsync, replace) =======

def _give_owner(fd, info):
    """Give `fd` the owner of `info` (a stat) if we may: sudo must not lock a user out."""
    if info is not None and hasattr(os, "fchown"):
        _quietly(os.fchown, fd, info.st_uid, info.st_gid)


def _lock(path, owner):
    """An exclusive lock on `path` (lockf works on NFS): (descriptor, locked). Where nothing
    locks (no fcntl nor msvcrt, or ENOLCK) we go on unlocked: the replace is atomic anyway."""
    flags = os.O_RDWR | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOFOLLOW", 0) | \
        getattr(os, "O_NONBLOCK", 0)
    try:
        # Only a lock file we create gets the target's owner: an old one may be a planted link.
        fd = os.open(path, flags | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        fd, owner = os.open(path, flags), None
    try:
        _regular_or_absent(path, fd)
        _give_owner(fd, owner)
        try:
            import fcntl
            attempt = lambda: fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except ImportError:
            try:
                import msvcrt
                attempt = lambda: msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            except ImportError:
                return fd, False
        # msvcrt's errors all mean "held" (wine's say errno 0)
        held = lambda error: error.errno in (errno.EACCES, errno.EAGAIN, errno.EDEADLK) or \
            os.name == "nt"
        try:
            _retried(attempt, time.monotonic() + _LOCK_WAIT, held)
            return fd, True
        except OSError as error:
            if held(error):
                raise _gave_up(path)
            return fd, False
    except BaseException:
        os.close(fd)
        raise


def _gave_up(path):
    return StorageError("gave up after %g s waiting for the lock %s: another login is still "
                        "writing (or hung); try again" % (_LOCK_WAIT, path), path=path)


def _update_file(path, change, report, limit, private=True, replaced=lambda: None):
    """Read, change and atomically replace a file under its advisory lock; True when written.
    `change(old bytes or None)` gives the new bytes, or None to leave it. It ends 0600 when
    `private` or holding an api_key; a link stays; `replaced()` follows the rename, Ctrl-C held."""
    import signal
    if os.path.islink(path) and getattr(os, "geteuid", lambda: 1)() == 0 and \
            os.lstat(path).st_uid != 0:
        raise PermissionError(1, "root does not follow a link another user owns", path)
    target = os.path.realpath(path) if os.path.islink(path) else path
    folder, base = os.path.dirname(target) or ".", os.path.basename(target)
    # A record lock belongs to the process: its threads take turns first, per real file.
    with _TURNS_GUARD:
        turn = _TURNS.setdefault(os.path.realpath(target), _thread.allocate_lock())
    if not turn.acquire(timeout=_LOCK_WAIT):
        raise _gave_up(target + ".lock")
    lock_fd, temp = None, None
    try:
        lock_fd, locked = _lock(target + ".lock", _regular_or_absent(target))
        deadline = time.monotonic() + _LOCK_WAIT
        # Leftovers of killed writers: they held this lock, so none still runs.
        leftover = re.compile(re.escape("." + base) + r"\.[0-9a-f]{12}\.wblogin-tmp\Z").match
        for name in filter(leftover, os.listdir(folder) if locked else ()):
            _quietly(os.unlink, os.path.join(folder, name))
        while True:
            old = _read_regular(target, limit)
            info = os.stat(target) if old is not None else None
            # Others take no lock (the SDK empties, then writes): a fresh file may be half-written.
            if not info or not 0 <= time.time() - info.st_mtime < _QUIET or \
                    time.monotonic() >= deadline or _lock_note(lock_fd, info):
                new = change(old)
                if new is None:
                    return False
                keeps = not private and info is not None and b"api_key" not in new.lower()
                mode = info.st_mode & 0o777 if keeps else 0o600
                temp = os.path.join(folder, ".%s.%s.wblogin-tmp" % (base, os.urandom(6).hex()))
                _write_temp(temp, new, mode, info)
                if _read_regular(target, limit) == old:     # still what `change` was given
                    break
                _quietly(os.unlink, temp)
                if time.monotonic() > deadline:
                    raise StorageError("%s kept changing while wblogin wrote it; try again"
                                       % target, path=target)
            time.sleep(0.05)
        # Noted before the rename (which keeps inode, size, time): if killed, we stall no one.
        _lock_note(lock_fd, os.stat(temp), write=True)
        # Ctrl-C, SIGTERM and SIGHUP wait until `replaced` has told it, so that it is true.
        held = hasattr(signal, "pthread_sigmask") and signal.pthread_sigmask(
            signal.SIG_BLOCK, [signal.SIGINT, signal.SIGTERM, signal.SIGHUP])
        try:
            _retried(lambda: os.replace(temp, target), deadline)
            temp = None
            replaced()
        finally:
            if held is not False:
                signal.pthread_sigmask(signal.SIG_SETMASK, held)
        fd = _quietly(os.open, folder, os.O_RDONLY)    # not on Windows: its rename is durable
        if fd is not None:
            _quietly(os.fsync, fd)
            os.close(fd)
        if info is not None and info.st_mode & 0o077 and mode == 0o600 and os.name != "nt":
            report.warn("%s was readable by others (mode %04o); it is now 0600"
                        % (target, info.st_mode & 0o777))
        return True
    finally:
        if temp is not None:
            _quietly(os.unlink, temp)
        if lock_fd is not None:
            os.close(lock_fd)
        turn.release()


def _retried(call, deadline, held=None):
    """call(), tried again until `deadline` while `held(its OSError)`; by default while Windows
    refuses a file that another process has open, or is replacing, at this instant (WinError 5)."""
    while True:
        try:
            return call()
        except OSError as error:
            if not (held(error) if held else os.name == "nt" and isinstance(
                    error, PermissionError)) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def _lock_note(fd, info, write=False):
    """Whether the lock file notes `info` (a stat) as wblogin's last write; `write`: note it."""
    note = b"%d %d %d\n" % (info.st_ino, info.st_size, info.st_mtime_ns)
    os.lseek(fd, 0, 0)
    if not write:
        return os.read(fd, 64) == note
    os.ftruncate(fd, 0)
    os.write(fd, note)


def _write_temp(temp, data, mode, info):
    """Write `data` to `temp`, a new private file beside the target, and sync it."""
    # open() adds O_CLOEXEC (O_NOINHERIT on Windows) and O_BINARY to the flags it hands on.
    private = lambda name, flags: os.open(name, flags | getattr(os, "O_NOFOLLOW", 0), 0o600)
    with open(temp, "xb", opener=private) as file:
        if hasattr(os, "fchmod"):
            os.fchmod(file.fileno(), mode)
        _give_owner(file.fileno(), info)
        file.write(data)
        file.flush()
        os.fsync(file.fileno())


def _os_reason(error, path):
    """Why a write of `path` failed, naming the lock or temporary file if that failed."""
    if isinstance(error, _NotAFile):
        return "%s is %s%s" % (error.path, error.kind, ", not wblogin's lock file; remove it"
                               if error.path.endswith(".lock") else ": wblogin never replaces it")
    if isinstance(error, LoginError):
        return error.message
    culprit = getattr(error, "filename", None)
    reason = error.strerror or str(error)
    return "%s: %s" % (culprit, reason) if culprit and culprit != path else reason


# == Effects: checking a key with the server (--verify) =======================
# http.client does the work; around it, one deadline and a bound on the reply.

_VIEWER_QUERY = "query Viewer { viewer { id entity username email teams { edges { " \
    "node { name } } } } }"
_Proxy = namedtuple("_Proxy", "host port headers variable")


def _judge_reply(host, status, content_type, body):
    """The viewer a reply names: {id, entity, username, email, teams}."""
    if status in (401, 403):
        raise KeyRejectedError("HTTP %d" % status, host=host)
    import json
    try:    # json.loads stops deep nesting at the recursion limit
        answer = json.loads(body.decode("utf-8")) if len(body) <= _MAX_REPLY_BYTES and not \
            re.search(rb"[0-9]{4301}", body) else None   # 3.6's int() of those takes seconds
    except (ValueError, RecursionError):
        answer = None
    dig = lambda value, name: value.get(name) if isinstance(value, dict) else None
    said = "%s/graphql answered HTTP %d" % (host, status)
    html = "html" in content_type.lower() or body.lstrip()[:64].lower().startswith((
        b"<!doctype", b"<html"))
    problem = _first([
        (status >= 500, said + " (a server error); try again later or ask its administrator"),
        (status == 404, said + ": no W&B API there (a wrong path after the host name?)"),
        (html, said + " with an HTML page: a wrong URL, or an SSO proxy's login page?"),
        (status != 200, said + ", which the W&B API does not"),
        (answer is None, said + " with something that is not JSON; is it a W&B server?"),
        (not isinstance(dig(answer, "data"), dict) or "viewer" not in answer["data"],
         said + " with JSON without data.viewer; is it a W&B server?")])
    if problem:
        raise ServerError(problem, host=host)
    viewer = answer["data"]["viewer"]
    if not isinstance(viewer, dict):
        raise KeyRejectedError("the server knows no viewer for it", host=host)
    text = lambda value: _printable(value, 100) if isinstance(value, str) else None
    shown = {name: text(viewer.get(name)) for name in ("id", "entity", "username", "email")}
    edges = dig(dig(viewer, "teams"), "edges")      # only shown: any shape will do
    names = [dig(dig(edge, "node"), "name") for edge in edges] if isinstance(edges, list) else []
    shown["teams"] = [text(name) for name in names if isinstance(name, str) and name]
    return shown


def _env_proxy(url, env):
    """The proxy `env` names for `url` (a _Proxy or None), found as urllib finds one."""
    proxies = {}
    # Lower-case names last: they win, even empty. Under CGI a client's `Proxy:` header
    # becomes HTTP_PROXY, so only http_proxy counts there.
    for variable, value in sorted(env.items(), key=lambda item: item[0].endswith("_proxy")):
        name = variable.lower()
        if name.endswith("_proxy") and (variable.endswith("_proxy") or value and not (
                name == "http_proxy" and "REQUEST_METHOD" in env)):
            proxies[name[:-6]] = (value, variable)
    value, variable = proxies.get(url.partition(":")[0], ("", ""))
    if not value:
        return None
    import urllib.request
    if urllib.request.proxy_bypass_environment(_split_url(url).netloc, {
            "no": proxies.get("no", ("",))[0]}):
        return None
    try:
        proxy = _split_url(value if "://" in value else "http://" + value)
        port = int(proxy.port or 80)
        _storable("http://%s:%d" % (proxy.host, port), variable)     # so no IPv6 proxy
    except (ValueError, UsageError):
        raise UsageError("%s is not a proxy URL like http://proxy.example:3128" % variable)
    user, _, password = (proxy.user or "").partition(":")
    headers = {} if proxy.user is None else {"Proxy-Authorization": _basic_auth(
        urllib.parse.unquote(user), urllib.parse.unquote(password))}
    return _Proxy(proxy.host.lower(), port, headers, variable)


def _basic_auth(user, password):
    """The value of an Authorization header in HTTP's Basic scheme."""
    import base64
    return "Basic " + base64.b64encode(("%s:%s" % (user, password)).encode()).decode()


def _ssl_context(env, report):
    """A TLS context with CA certificates from `env` only, not the process's SSL_CERT_FILE."""
    import ssl
    bundle = env.get("REQUESTS_CA_BUNDLE")
    for name in ("REQUESTS_CA_BUNDLE",) if bundle else ("SSL_CERT_FILE", "SSL_CERT_DIR"):
        if env.get(name) and not os.path.exists(env[name]):
            raise UsageError("%s names %s, which does not exist" % (
                name, _printable(env[name])), path=env[name])
    cafile, capath = ((None, bundle) if os.path.isdir(bundle) else (bundle, None)) if \
        bundle else (env.get("SSL_CERT_FILE") or None, env.get("SSL_CERT_DIR") or None)
    if not (cafile or capath) and os.name != "nt":  # OpenSSL's places, not its variables
        paths = ssl.get_default_verify_paths()
        cafile = paths.openssl_cafile if os.path.isfile(paths.openssl_cafile or "") else None
        capath = paths.openssl_capath if os.path.isdir(paths.openssl_capath or "") else None
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    try:
        if cafile:
            _regular_or_absent(cafile)      # a FIFO there would block
        if cafile or capath:
            context.load_verify_locations(cafile=cafile, capath=capath)
        elif os.name == "nt":
            context.load_default_certs()
    except (ssl.SSLError, OSError) as error:
        raise UsageError("cannot load CA certificates from %s: %s" % (_printable(
            cafile or capath or "the system"), _printable(error.strerror or error)))
    if env.get("WANDB_INSECURE_DISABLE_SSL", "").strip().lower() in ("1", "true", "yes", "on"):
        report.warn("WANDB_INSECURE_DISABLE_SSL is set: certificates are NOT checked; anyone "
                    "on the path can read your key")
        context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
    return context


def _network_error(host, error, timeout, where, proxy=None):
    """A connection failure as one line; `where` names the host's source, for the hint."""
    import socket
    import ssl
    tls = isinstance(error, (ssl.SSLError, ssl.CertificateError))
    detail = _printable((getattr(error, "verify_message", None) or getattr(
        error, "reason", None) if tls else getattr(error, "strerror", None)) or error, 120)
    code, lower = getattr(error, "verify_code", None), detail.lower()
    facts = {"netloc": _split_url(host).netloc, "name": _split_url(host).host,
             "where": where, "timeout": timeout, "detail": detail,
             "proxy": "%s:%d" % proxy[:2] if proxy else "", "variable": proxy and proxy.variable}
    unreachable = isinstance(error, (socket.gaierror, ConnectionRefusedError))
    text = _first([
        (proxy and (unreachable or "Tunnel" in str(error)),
         "cannot reach the proxy %(proxy)s that %(variable)s names (%(detail)s); check or "
         "unset %(variable)s"),
        (isinstance(error, socket.gaierror), "cannot resolve %(name)s; check %(where)s"),
        (isinstance(error, ConnectionRefusedError),
         "%(netloc)s refused the connection; is the server running, on that port?"),
        (isinstance(error, (socket.timeout, TimeoutError)),
         "no complete answer from %(netloc)s within %(timeout)g s; raise --timeout if slow"),
        (tls and (code == 62 or "hostname" in lower or "match" in lower),
         "the TLS certificate of %(netloc)s is for another host name (%(detail)s); check "
         "%(where)s"),
        (tls and (code is not None or "CERTIFICATE_VERIFY_FAILED" in str(error)),
         "the TLS certificate of %(netloc)s could not be verified (%(detail)s); set "
         "REQUESTS_CA_BUNDLE or SSL_CERT_FILE to your CA bundle"),
        (tls, "TLS handshake with %(netloc)s failed (%(detail)s); is it an https server?")])
    return ServerError((text or "cannot reach %(netloc)s: %(detail)s") % facts, host=host)


def _verify_api_key(host, key, timeout, env, report, where):
    """verify_api_key() for a normalised `host`; `where` names its source, for hints."""
    import json
    import socket
    import threading
    timeout = _DEFAULT_TIMEOUT if timeout is None else _seconds(timeout, "timeout")
    problem = _sdk_key_problem(key) if isinstance(key, str) else "API key is no text."
    if problem:
        raise InvalidKeyError(problem)
    proxy = _env_proxy(host, env)
    if proxy and host.startswith("http:") and not _is_loopback("http://" + proxy.host):
        report.warn("the request goes through the proxy %s:%d that %s names, and plain http: "
                    "the key travels unencrypted" % (proxy.host, proxy.port, proxy.variable))
    request = (json.dumps({"query": _VIEWER_QUERY, "operationName": "Viewer"}).encode(), {
        "Authorization": _basic_auth("api", key), "Content-Type": "application/json",
        "Accept": "application/json", "User-Agent": "wblogin/" + __version__})
    # A thread, given up on at the deadline: nothing else bounds DNS or a CA folder.
    opened, box = [], {}    # its sockets, its outcome

    def run():
        try:
            box["viewer"] = _check(host, request, env, report, proxy, timeout, opened)
        except BaseException as error:     # handed to the waiting thread
            box["error"] = error
    thread = threading.Thread(target=run, name="wblogin --verify", daemon=True)
    thread.start()
    thread.join(timeout)
    try:
        if thread.is_alive():   # given up on: its sockets shut, so that it ends soon too
            for sock in list(opened):
                _quietly(sock.shutdown, socket.SHUT_RDWR)
            raise socket.timeout("the %g s budget ran out" % timeout)
        if "error" in box:
            raise box["error"]
        return box["viewer"]
    except KeyRejectedError as error:
        raise KeyRejectedError("the server at %s rejected the API key %s (%s)" % (
            host, mask_api_key(key), error.message), host=host)
    except (OSError, ValueError) as error:
        raise _network_error(host, error, timeout, where, proxy)


def _check(host, request, env, report, proxy, timeout, opened):
    """The check, in the deadline's thread: 3 tries with backoff, same-origin 307/308 followed."""
    import http.client
    deadline = time.monotonic() + timeout
    context = _ssl_context(env, report) if host.startswith("https:") else None
    url, hops, attempt, netloc = host + "/graphql", 0, 1, _split_url(host).netloc
    hint = "; if it is an https server, use https://" if context is None else ""
    while True:
        parts, left = _split_url(url), max(deadline - time.monotonic(), 0.01)
        target = (parts.host, int(parts.port or (80 if context is None else 443)))
        address, path, sent = (proxy or target)[:2], parts.path or "/", request[1]
        connection = http.client.HTTPConnection(*address, timeout=left) if context is None \
            else http.client.HTTPSConnection(*address, timeout=left, context=context)
        if proxy and context:   # https: a CONNECT tunnel; http: the whole URL, to the proxy
            connection.set_tunnel(*target, headers=proxy.headers)
        elif proxy:
            path, sent = url, dict(sent, **proxy.headers)
        try:
            connection.connect()
            opened.append(connection.sock)
            connection.request("POST", path, body=request[0], headers=sent)
            reply, data = connection.getresponse(), bytearray()    # grows in place
            for piece in iter(lambda: reply.read1(1 << 16), b""):   # read(n) follows a
                data += piece                                        # negative chunk size
                if len(data) > _MAX_REPLY_BYTES:
                    break
            status, headers = reply.status, reply.msg
        except (ConnectionResetError, ConnectionAbortedError, BrokenPipeError,
                http.client.IncompleteRead):
            status, headers = None, {}
        except http.client.HTTPException:       # a bad status line or headers
            raise ServerError("%s sent something that is not HTTP%s" % (netloc, hint), host=host)
        finally:
            connection.close()
        if status is not None and 300 <= status < 400:
            url, hops = _redirect(host, url, status, headers.get("Location") or "", hops)
            continue
        if status not in (None, 429, 502, 503, 504):
            return _judge_reply(host, status, headers.get("Content-Type") or "", data)
        retry_after = _ascii_int((headers.get("Retry-After") or "").strip(), 6)
        delay = 0.5 * 2 ** (attempt - 1) if retry_after is None else min(
            float(retry_after), _MAX_RETRY_AFTER)
        late = time.monotonic() + delay >= deadline
        if late and attempt < 3 and retry_after is not None:
            raise ServerError("%s answered HTTP %d and asked to be retried in %g s, beyond "
                              "the %g s budget; raise --timeout" % (
                                  netloc, status, retry_after, timeout), host=host)
        if late or attempt == 3:
            raise ServerError("%s closed the connection without a complete answer%s" % (
                netloc, hint) if status is None else "%s answered HTTP %d (busy or down) "
                "%d times; try again later" % (netloc, status, attempt), host=host)
        time.sleep(delay)
        attempt += 1


def _origin(url):
    """(scheme, host, port) of a URL as written: a Forge URL is not its API host here."""
    parts = _storable(url, "a redirect")
    return parts.scheme, parts.host, int(parts.port or {"http": 80, "https": 443}[parts.scheme])


def _redirect(host, url, status, location, hops):
    """(next URL, hops) for a same-origin 307/308; the key never follows other redirects."""
    said = "%s answered HTTP %d" % (host, status)
    if not location.strip():
        raise ServerError(said + ", a redirect without a Location; is it a W&B server?", host=host)
    try:
        location = urljoin(url, location)
        better = normalize_host(re.sub(r"/graphql\Z", "", location))
        follow = status in (307, 308) and _origin(location) == _origin(url)
    except (ValueError, UsageError):
        better, follow = None, False
    if follow and hops < 5:
        return location, hops + 1
    shown = _printable(_without_password(location))
    problem = _first([
        (follow, "%s kept redirecting (more than 5 redirects, last to %s)" % (host, shown)),
        (better is None, "server redirected to %s, which is not a URL wblogin can use" % shown),
        (better == host, said + ", a redirect to itself (%s); a proxy wanting a login?" % shown)])
    raise ServerError(problem or "server redirected to %s; try --host %s" % (better, better),
                      host=host)


# == The login flow ===========================================================
# The world read once per action (_Run), and what it asks.

def _new_result(action):
    """The JSON result of `action`, before anything happened."""
    result = dict.fromkeys(("host", "host_source", "key_source", "key", "netrc", "netrc_mode",
                            "removed", "user", "entity", "email", "teams", "settings",
                            "exports", "servers", "sdk_version", "error"))
    result.update(ok=False, action=action, stored=False, verified=False, warnings=[],
                  settings_updated=[], version=__version__)
    return result


def _normalized(text):
    """normalize_host(text), or None when wblogin would not store a key for it."""
    try:
        return normalize_host(text)
    except UsageError:
        return None


def _as_url(host):
    """A caller's host as URL text: a bare host name means https://name."""
    if not isinstance(host, str):
        raise UsageError("the host must be a URL or a host name, not %s" % type(host).__name__)
    return host if "://" in host else "https://" + host.strip()


def _resolve(host, cloud, env, settings, lookup=False):
    """The _Host: `host`, --cloud, WANDB_BASE_URL, base_url or the cloud (`lookup`: as the SDK)."""
    if host is not None and cloud:
        raise UsageError("--cloud and --host exclude each other")
    value, source = None if host is None else _as_url(host), "--host"
    if host is None and not cloud:
        value, source = env.get("WANDB_BASE_URL", ""), "WANDB_BASE_URL"
        if not value.strip():
            value, source = settings.merged.get("base_url", (None, None))
    if not value:
        return _Host(CLOUD_URL, _FORGE_URL, "--cloud" if cloud else "default", True, ())
    # The SDK keeps a URL as written (HTTP://x) for its netrc lookup and base_url match.
    sdk = _sdk_url(value.strip())
    try:
        url = normalize_host(value, source if source in ("--host", "WANDB_BASE_URL")
                             else "base_url in " + source)
    except UsageError:
        if source == "--host" or not lookup:
            raise
        if _sdk_url_problem(value):
            raise LoginError("the wandb SDK stops with an error: %s is %s, but %s; fix or "
                             "unset it" % (source, _echo(value), _sdk_url_problem(value)))
        return _Host(_printable(_without_password(sdk), 2000), sdk, source, False, ())
    url = CLOUD_URL if url == _FORGE_URL else url
    # After a store the SDK asks the netrc for the variable's or base_url's spelling.
    spelling = sdk if source != "--host" else _sdk_url(env.get("WANDB_BASE_URL", "").strip())
    same = _normalized(spelling) in (url, _FORGE_URL if url == CLOUD_URL else url)
    return _Host(url, sdk, source, True, [_split_url(spelling).netloc] if same else [])


class _Run(object):
    """One action's view of the world, read once (settings, host, netrc), and its hints."""

    def __init__(self, action, host, cloud, env, cwd, netrc, stderr, result, prog):
        self.env = _environ(env)
        self.prog = "wblogin" if prog is None else _text(prog, "prog") or "wblogin"
        self.report = _Report(stderr, result)
        self.result = self.report.result
        self.result["action"] = action
        self.settings = _read_settings_files(self.env, cwd, self.report)
        self.host = _resolve(host, cloud, self.env, self.settings,
                             lookup=action in ("status", "print-key", "list"))
        self.path = _netrc_file(netrc, self.env, cwd)
        self.result.update(host=self.host.url, host_source=self.host.source, netrc=self.path)
        if self.host.url.startswith("http:") and not _is_loopback(self.host.url):
            self.report.warn("%s is plain http: the API key travels unencrypted" % self.host.url)
        override = self.env.get("WANDB_BASE_URL", "").strip()
        if override and self.host.source in ("--host", "--cloud") and \
                _normalized(override) != self.host.url:
            self.report.warn("WANDB_BASE_URL is set to %s: the wandb SDK uses that server, not "
                             "%s, until you unset it" % (_echo(override), self.host.url))
        self.netrc = _read_netrc_file(self.path, set(self.host.machines()))

    def command(self):      # what the user runs, with the flag that names this host
        return self.prog + {"--host": " --host " + self.host.url,
                            "--cloud": " --cloud"}.get(self.host.source, "")

    def keys(self):         # the page where new keys are made
        return app_url(self.host.url, self.env) + "/authorize"

    def token(self):        # what the SDK sends instead of a key
        return ("the wandb SDK authenticates with WANDB_IDENTITY_TOKEN_FILE (%s), not an API "
                "key" % _printable(self.env["WANDB_IDENTITY_TOKEN_FILE"]))

    def answer(self, stdin=None, action=None, strict=True):
        """What the SDK sends here; raises if it stops (`strict`) or, for `action`, has no key."""
        answer = _sdk_answer(self.host, self.env, self.settings, self.netrc, self.command())
        for warning in answer.warnings:
            self.report.warn(warning)
        if strict and answer.stop:
            raise LoginError(answer.stop)
        if action and answer.key is None and answer.kind != "token":
            raise NoCredentialsError(_no_key_message(self, stdin, action))
        if answer.key is not None or answer.kind == "token":
            self.result.update(key=answer.key and mask_api_key(answer.key),
                               key_source=answer.source)
        return answer

    def check(self, answer, verify, timeout):
        """With `verify`, check the key the SDK uses with the server, and say so."""
        if verify and answer.key:
            self.report.say(_verify(self, answer.key, answer.source, timeout))

    def done(self):
        self.result["ok"] = True
        return self.result


def _netrc_file(path, env, cwd=None):
    """A caller's netrc path, checked; None: where the SDK finds the file."""
    if path is None:
        return netrc_path(env, cwd=cwd)
    if not path:
        raise UsageError("the netrc path is empty")
    return _checked_path(path, "the netrc path")


def _netrc_rewrite(path, host, key, report, cached):
    """Store `key` for `host` (None: remove its entries); (entries changed, new state)."""
    if key is None and not (cached.parsed and any(
            e.name in host.machines() and not e.default for e in cached.parsed.entries)):
        return 0, cached    # nothing to remove needs no lock
    done = {}

    def change(data):
        text, encoding = _decode(data or b"")
        if text is None:
            raise StorageError("%s, which Python's netrc module fails on" % encoding)
        parsed = cached.parsed if cached and cached.text == text else \
            parse_netrc(text, set(host.machines()))
        new_text, count, new = _netrc_change(text, host.machines(
            parsed if key is not None else None), key, parsed)
        done.update(count=count, state=_NetrcState(path, new_text, new, "ok", None))
        return None if new_text == text else new_text.encode(encoding)
    try:
        problem = cached and cached.parsed and _netrc_problem(cached.text, cached.parsed)
        if problem:     # refused before a lock file is made for nothing
            raise StorageError(problem)
        _update_file(path, change, report, _MAX_NETRC_BYTES, replaced=lambda: report.result.update(
            {"stored": True} if key else {"removed": done["count"]}))
    except (OSError, StorageError, MemoryError) as error:
        if getattr(error, "message", "").startswith("gave up"):
            raise
        why = "there is not enough memory to read and check it" if isinstance(
            error, MemoryError) else _os_reason(error, path)
        fix = "" if why.endswith("remove it") else "; fix that, or set NETRC=<another file>"
        raise StorageError("nothing was %s %s: %s%s" % (
            "removed from" if key is None else "stored in", path, why, fix), path=path)
    return done["count"], done["state"]


def _verify(run, key, source, timeout, new=False):
    """The server's words on a key ("logged in to URL as ada ..."), or the error that fits."""
    where = run.host.named_by("the spelling of --host" if run.host.source == "--host" else
                              "your network")
    try:
        viewer = _verify_api_key(run.host.url, key, timeout, run.env, run.report, where)
    except KeyRejectedError as error:
        if new:
            tail = "nothing was stored; create a key at " + run.keys()
        elif source == "WANDB_API_KEY":
            tail = "set WANDB_API_KEY to a valid key or unset it (keys: %s)" % run.keys()
        elif source.startswith(run.path):
            tail = "store a new one with `%s --relogin` (keys: %s)" % (run.command(), run.keys())
        else:
            tail = "edit api_key in %s, or store a key with `%s --relogin` (the SDK reads " \
                   "the netrc first)" % (source, run.command())
        raise KeyRejectedError("the server at %s rejected the API key %s from %s (%s); %s" % (
            run.host.url, mask_api_key(key), source,
            error.message.rpartition("(")[2].rstrip(")"), tail), host=run.host.url)
    except ServerError as error:
        raise ServerError(error.message + "; nothing was stored" * new, host=run.host.url)
    run.result.update(((name, viewer[name]) for name in ("entity", "teams", "email")),
                      verified=True, user=viewer["username"])
    return "logged in to %s as %s (default team: %s), with API key %s from %s" % (
        run.host.url, viewer["username"] or viewer["email"] or "?", viewer["entity"] or "none",
        mask_api_key(key), source)


def _store(run, key, source, verify, timeout):
    """Verify (if asked) and store a new key; one account of it and of what the SDK uses."""
    known = _verify(run, key, source, timeout, new=True) if verify else None
    try:
        _, run.netrc = _netrc_rewrite(run.path, run.host, key, run.report, run.netrc)
    except StorageError as error:
        if known:
            raise StorageError("the server at %s accepted the key, but %s" % (
                run.host.url, error.message), path=run.path)
        raise
    run.result.update(stored=True, key=mask_api_key(key), key_source=source)
    spelled = "as %s spells it for the SDK" % run.host.named_by("WANDB_BASE_URL")
    also = "".join(" (also as %s, %s)" % (name, "which wandb 0.31 asks for first" if
                                          "https://" + name == _FORGE_URL else spelled)
                   for name in run.host.machines(run.netrc.parsed)[1:])
    run.report.say(known + "; stored in %s%s" % (run.path, also) if known else
                   "stored API key %s for %s in %s%s" % (mask_api_key(key), run.host.url,
                                                         run.path, also))
    if run.path != netrc_path(dict(run.env, NETRC="")):
        _export(run, "NETRC", run.path)
    problem = _sdk_start_problem(run.env, run.settings)
    wins = [name for name in ("WANDB_API_KEY", "WANDB_IDENTITY_TOKEN_FILE") if run.env.get(name)]
    if problem:
        run.report.warn("the stored key is not used until this is fixed: %s" % problem)
    elif wins:
        run.report.warn("%s is set, and the wandb SDK uses it instead of the stored key until "
                        "you unset it" % wins[0])


def _export(run, name, value):
    """Say what a job needs to find what was written where the SDK does not look."""
    run.result["exports"] = dict(run.result["exports"] or {}, **{name: value})
    line = "set " + _shell_word(name + "=" + value) if os.name == "nt" else \
        "export %s=%s" % (name, _shell_word(value))
    run.report.say("the wandb SDK finds it only where %s is set: in a job script, `%s`"
                   % (name, line))


def _update_settings(run):
    """After --host or --cloud, set base_url as `wandb login` does; False if it could not."""
    wanted = None if run.host.url == CLOUD_URL else run.host.url
    global_, workspace = run.settings.global_, run.settings.workspace
    if workspace and os.path.realpath(workspace) == os.path.realpath(global_):
        workspace = None        # run from ~/.config: one file, read twice by the SDK
    for path, value in ((global_, wanted), (workspace, None)):
        if path is None or value is None and not os.path.exists(path):
            continue

        def change(data, value=value):
            text, encoding = _decode(data or b"")
            if text is None:
                raise StorageError(encoding)
            new = settings_set(text, "base_url", value)
            return None if new == text else new.encode(encoding)   # as it was read
        try:
            folder = os.path.dirname(path)
            if os.path.lexists(folder) and not os.path.isdir(folder):
                raise StorageError("%s is in the way of the folder" % folder)
            os.makedirs(folder, 0o700, exist_ok=True)   # another login may too
            written = _update_file(path, change, run.report, _MAX_SETTINGS_BYTES, False)
        except (OSError, LoginError) as error:
            run.report.warn("could not update %s (%s)" % (path, _os_reason(error, path)))
            _export(run, "WANDB_BASE_URL", run.host.url)
            return False
        if written:
            run.result["settings_updated"].append(path)
            run.report.say("updated settings file %s (%s)" % (
                path, "base_url = " + value if value else "removed base_url"))
    if global_ in run.result["settings_updated"] and os.path.normcase(global_) != \
            os.path.normcase(settings_paths(dict(run.env, WANDB_CONFIG_DIR=""))[1]):
        _export(run, "WANDB_CONFIG_DIR", os.path.dirname(global_))
    if run.settings.dropped and not run.settings.dropped[1].startswith("base_url ="):
        run.report.warn("the wandb SDK ignores base_url until %s is fixed (see above)"
                        % run.settings.dropped[0])
        return False
    return True


def _isatty(stream):
    try:
        tty = bool(stream.isatty())
    except (AttributeError, ValueError):
        return False
    if not tty or os.name != "nt":
        return tty
    try:   # NUL is a character device too: only a console is a terminal to ask on
        import ctypes
        import msvcrt
        return ctypes.windll.kernel32.GetConsoleMode(msvcrt.get_osfhandle(
            stream.fileno()), ctypes.byref(ctypes.c_ulong())) != 0
    except Exception:
        return False


def _no_key_message(run, stdin, action):
    """The one-line 'no key' error that fits what the user did."""
    if not run.host.storable:
        return ("no API key for %s; wblogin stores keys only for URLs without user@, a query "
                "or %%-escapes: make %s the server's plain URL" % (run.host.url,
                                                                   run.host.named_by()))
    if run.netrc.kind not in ("ok", "absent"):
        # Its problem was said above; storing into it would fail the same way.
        return ("no API key for %s: %s cannot be used (see above); fix it, or log in with "
                "`NETRC=<another file> %s - < key.txt`" % (run.host.url, run.path, run.command()))
    empty = "WANDB_API_KEY is set but empty (a CI secret that is not there?); " \
        if "WANDB_API_KEY" in run.env and not run.env["WANDB_API_KEY"] else ""
    how = "run `%s` to log in" % run.command() if _isatty(stdin) else \
        "pipe one in with `%s - < key.txt`, or set WANDB_API_KEY" % run.command()
    asked = action == "login"   # with a terminal, it would have asked
    return "no API key for %s%s: %s%s (%snew keys: %s)" % (
        run.host.url, ", and no terminal to ask on" * asked, empty, how,
        "where a key is stored, `--print-key` shows it; " * asked, run.keys())


def _read_key(stdin, ask, stderr):
    """A key from the hidden prompt (`ask`) when `stdin` is a terminal, else its first line."""
    if _isatty(stdin):
        import getpass
        try:
            return (ask or getpass.getpass)("API key (input hidden): ")
        except (KeyboardInterrupt, EOFError) as error:
            _write_out(stderr or sys.stderr, "\n")     # below the prompt, which has no line end
            raise Interrupted("%s; nothing was stored" % (
                "interrupted at the prompt" if isinstance(error, KeyboardInterrupt)
                else "no key entered (end of input at the prompt)"))
    try:
        line = getattr(stdin, "buffer", stdin).readline(_MAX_STDIN_BYTES + 1)
    except (AttributeError, OSError, ValueError) as error:   # closed or write-only
        raise InvalidKeyError("cannot read standard input: %s"
                              % (getattr(error, "strerror", None) or "not open"))
    if isinstance(line, bytes):
        line = line.decode("utf-8", "replace")
    if not line.strip():
        raise InvalidKeyError("no API key on standard input (an empty first line)")
    return line


def _prompt(run, stdin, ask, verify, timeout):
    """Ask on the terminal; three tries in all (bad formats and rejections both count)."""
    run.report.say("logging in to %s; get an API key at %s" % (run.host.url, run.keys()))
    for left in range(_PROMPT_TRIES - 1, -1, -1):
        key = clean_api_key(_read_key(stdin, ask, run.report.stream))
        problem = validate_api_key(key)
        if problem is None:
            try:
                return _store(run, key, "prompt", verify, timeout)
            except KeyRejectedError:
                problem = "The server rejected that key; nothing was stored."
        run.report.say(problem + (" Try again (%d left)." % left if left else ""))
    raise LoginError("no valid API key after %d tries; nothing was stored" % _PROMPT_TRIES)


def _wandb_version():
    """The installed wandb version, from its metadata: importing wandb takes seconds."""
    for folder in sys.path:
        try:
            names = os.listdir(folder or ".")
        except OSError:
            continue
        for name in names:
            match = re.match(r"wandb-([^-]*?)(-.*)?\.(dist|egg)-info$", name, re.I)
            if match:
                return _printable(match.group(1), 40)


def _sdk_warnings(run, key):
    """Name the installed SDK, and what it cannot use of what is configured."""
    installed = run.result["sdk_version"] = _wandb_version()
    if not installed:
        return
    run.report.say("wandb SDK %s is installed for this Python" % installed)
    version = tuple(int(re.match(r"\d{0,6}", part).group() or 0)
                    for part in (installed.split(".") + ["0"] * 3)[:3])
    for oldest, wanted, why in zip(_OLDEST_SDKS, (
            key and len(key) > 40, _split_url(run.host.url).port is not None,
            key and "." in key), (
            "rejects API keys longer than 40 characters", "looks netrc entries up without "
            "the port, so it will not find the one for %s" % _split_url(run.host.url).netloc,
            "rejects API keys that are tokens (JWT)")):
        if version < oldest and wanted:
            need = ".".join(str(part) for part in oldest)
            run.report.warn("wandb %s %s; upgrade to %s or later (pip install -U "
                            "'wandb>=%s')" % (installed, why, need, need))


# == The library ==============================================================

def login(key=None, host=None, cloud=False, relogin=False, verify=False, timeout=None,
          key_source="argument", env=None, cwd=None, netrc=None, stdin=None,
          stderr=None, ask=None, result=None, prog=None) -> "dict":
    """Log in as `wandb login` does: store `key` (verified if asked), else report the key
    the SDK uses, or ask (`ask`) on a terminal; return the result dict. Raises LoginError."""
    if ask is not None and not callable(ask):
        raise UsageError("ask must be a function, not %s" % type(ask).__name__)
    run = _Run("login", host, cloud, env, cwd, netrc, stderr, result, prog)
    stdin = sys.stdin if stdin is None else stdin
    found = key is None and not relogin and run.answer()
    try:    # the server the SDK used before this login
        before = _resolve(None, False, run.env, run.settings, lookup=True).url
    except LoginError:
        before = None
    switching = (host is not None or cloud) and before != run.host.url
    if key is not None:
        _store(run, _valid_key(key), _text(key_source, "key_source"), verify, timeout)
    elif relogin and not _isatty(stdin):
        raise NoCredentialsError("--relogin asks for a new key on a terminal, and there is "
                                 "none: pipe it in with `%s - < key.txt`" % run.command())
    elif relogin or not (found.key or found.kind == "token") and _isatty(stdin):
        _prompt(run, stdin, ask, verify, timeout)
    elif run.answer(stdin, "login").kind == "token":
        run.report.say(run.token())
    elif verify:
        run.check(found, verify, timeout)
    elif found.kind == "env" or not switching:
        run.report.say("already logged in to %s with API key %s from %s" % (
            run.host.url, mask_api_key(found.key), found.source) + (
            ", which the SDK uses before any stored key (change or unset it to use another)"
            if found.kind == "env" else " (to replace it: `%s --relogin`%s)" % (
                run.command(), ", which stores a netrc key; the SDK reads the netrc first" * (
                    found.kind == "settings"))))
    if (host is not None or cloud) and _update_settings(run) and switching and found and \
            found.key and not run.env.get("WANDB_BASE_URL"):
        run.report.say("switched to %s: the wandb SDK now uses it, with API key %s from %s"
                       % (run.host.url, mask_api_key(found.key), found.source))
    return run.done()


def _valid_key(key):
    """`key` cleaned, or InvalidKeyError saying why it is no API key."""
    key = clean_api_key(key)
    if validate_api_key(key):
        raise InvalidKeyError(validate_api_key(key))
    return key


def find_api_key(host: "str" = None, env: "dict" = None, cwd: "str" = None,
                 netrc: "str" = None, stderr=None) -> "tuple":
    """(key, source: a variable or a file) the wandb SDK would send to `host` (None: the one
    it uses), or (None, None). LoginError: the SDK would stop (a bad key, settings file...)."""
    answer = _Run("status", host, False, env, cwd, netrc, stderr, None, None).answer()
    return (answer.key, answer.source) if answer.key else (None, None)


def resolve_host(host: "str" = None, cloud: "bool" = False, env: "dict" = None,
                 cwd: "str" = None, stderr=None) -> "tuple":
    """Which server to log in to: (normalised URL, where that came from): --host or --cloud,
    WANDB_BASE_URL, settings base_url (workspace over global), https://api.wandb.ai."""
    env = _environ(env)
    found = _resolve(host, cloud, env, _read_settings_files(env, cwd, _Report(stderr)))
    return found.url, found.source


def _shell_word(text):
    """`text` quoted for a POSIX shell (cmd on Windows) when it needs quoting, for hints."""
    if os.name == "nt":
        return text if text and not re.search(r"[^\w@+=:,./\\-]", text, re.ASCII) else \
            '"%s"' % text.replace('"', '""')
    return text if text and not re.search(r"[^\w@%+=:,./-]", text, re.ASCII) else \
        "'%s'" % text.replace("'", "'\\''")


def status(host=None, cloud=False, verify=False, timeout=None, env=None, cwd=None,
           netrc=None, stderr=None, result=None, stdin=None, prog=None) -> "dict":
    """Say which host and key the SDK would use, and why. NoCredentialsError: none; LoginError."""
    run = _Run("status", host, cloud, env, cwd, netrc, stderr, result, prog)
    run.report.say("host: %s (from %s)" % (run.host.url, run.host.source))
    try:
        info = os.stat(run.path)
        mode = run.result["netrc_mode"] = "%04o" % stat.S_IMODE(info.st_mode)
        shown = _NotAFile(run.path, info.st_mode).kind if not stat.S_ISREG(info.st_mode) \
            else "exists" if os.name == "nt" else "mode " + mode
    except OSError as error:
        info, shown = None, "does not exist" if isinstance(error, FileNotFoundError) else \
            "cannot be read: %s" % error.strerror
    hosts = run.netrc.parsed.hosts if run.netrc.parsed else {}
    machine = [name for name in _sdk_lookups(run.host.sdk_url) if name in hosts]
    run.report.say("netrc: %s (%s%s)" % (run.path, shown, ", has an entry for %s" %
                                         _without_password(machine[0]) if machine else ""))
    locks = [path + ".lock" for path in (run.path, run.settings.global_)
             if os.path.exists(path + ".lock")]
    if locks:
        run.report.say("lock files: %s (kept, so that logins at once lose no entry)"
                       % ", ".join(locks))
    if info and stat.S_ISREG(info.st_mode) and info.st_mode & 0o077 and os.name != "nt":
        run.report.warn("%s is readable by others (mode %s); run `chmod 600 -- %s`"
                        % (run.path, mode, _shell_word(run.path)))
    run.result["settings"] = [path for path, parsed, _ in reversed(run.settings.files)
                              if parsed is not None and parsed.values is not None]
    run.report.say("settings: %s" % (", ".join(run.result["settings"]) or "none"))
    _sdk_warnings(run, run.answer(strict=False).key)
    answer = run.answer(stdin or sys.stdin, "status")
    run.report.say("key: none; " + run.token() if answer.kind == "token" else
                   "key: %s from %s" % (mask_api_key(answer.key), answer.source))
    run.check(answer, verify, timeout)
    return run.done()


def logout(host=None, cloud=False, env=None, cwd=None, netrc=None, stderr=None,
           result=None, prog=None) -> "dict":
    """Remove the host's netrc entries; say what would still supply a key."""
    run = _Run("logout", host, cloud, env, cwd, netrc, stderr, result, prog)
    if run.netrc.kind in ("fatal", "hangs") or run.netrc.kind == "ignored" and \
            os.path.lexists(run.path):
        raise StorageError("nothing was removed from %s: %s" % (run.path, run.netrc.problem),
                           path=run.path)
    removed, run.netrc = _netrc_rewrite(run.path, run.host, None, run.report, run.netrc)
    run.result["removed"] = removed
    run.report.say(("removed the API key for %s from %s" if removed else
                    "no API key for %s in %s; nothing to remove") % (run.host.url, run.path))
    answer = run.answer(strict=False)
    if answer.key is not None or answer.kind == "token":
        what = "an API key (%s)" % mask_api_key(answer.key) if answer.key else "its token"
        run.report.warn("%s still supplies %s to the wandb SDK for %s" % (
            answer.source, what, run.host.url))
    return run.done()


def print_key(host=None, cloud=False, verify=False, timeout=None, env=None, cwd=None,
              netrc=None, stdin=None, stdout=None, stderr=None, result=None, prog=None) -> "dict":
    """Write the SDK's key for the host (`verify`: checked) to stdout. NoCredentialsError."""
    run = _Run("print-key", host, cloud, env, cwd, netrc, stderr, result, prog)
    answer = run.answer(stdin or sys.stdin, "print-key")
    if answer.kind == "token":
        raise NoCredentialsError(run.token() + ": there is no key to print")
    run.check(answer, verify, timeout)
    if not _write_out(stdout or sys.stdout, answer.key + "\n"):
        raise LoginError("cannot write the key to standard output (closed, or a broken pipe)")
    return run.done()


def list_servers(env=None, cwd=None, netrc=None, stderr=None, result=None, prog=None) -> "dict":
    """The W&B servers with a key the SDK could use, in `servers` (`active`: the one in use):
    netrc entries of known hosts or in W&B's shape, and any other key. NoCredentialsError."""
    run = _Run("list", None, False, env, cwd, netrc, stderr, result, prog)
    answer, named = run.answer(), {}
    hosts = run.netrc.parsed.hosts if run.netrc.parsed else {}
    urls = [CLOUD_URL, _FORGE_URL, run.env.get("WANDB_BASE_URL")] + [
        (settings.values or {}).get("base_url") for _, settings, _ in run.settings.files
        if settings]
    for url in filter(None, map(_normalized, urls)):
        named.setdefault(_split_url(url).netloc, url)
    servers = [dict(host=named.get(machine), machine=machine, key=mask_api_key(password),
                    key_source=run.path, active=answer.kind == "netrc" and
                    answer.machine == machine)
               for machine, (user, _, password) in sorted(hosts.items())
               if machine != "default" and password and (
                   machine in named or user == "user" and _WANDB_KEY.match(password))]
    if answer.key and answer.kind != "netrc":
        servers.insert(0, dict(host=run.host.url, machine=answer.machine, key=mask_api_key(
            answer.key), key_source=answer.source, active=True))
    run.result["servers"] = servers
    if not servers:
        raise NoCredentialsError("no W&B server has a key here: log in with `%s --host URL` "
                                 "(or --cloud)" % run.prog)
    for server in servers:
        run.report.say("%s %s  %s  (%s%s)" % (
            "*" if server["active"] else " ", server["host"] or server["machine"],
            server["key"], server["key_source"],
            ", machine %s" % server["machine"] if server["machine"] else ""))
    run.report.say("the wandb SDK uses %s now (from %s)%s; switch with `%s --host URL`" % (
        run.host.url, run.host.source, ", with the key marked *" if answer.key else
        ", and has no key for it", run.prog))
    return run.done()


def _library_target(host, path, env):
    """(netrc path, _Host) for write_netrc_key and remove_netrc_key."""
    env = _environ(env)
    return _netrc_file(path, env), _resolve(normalize_host(_as_url(host)), False, env, None)


def write_netrc_key(host: "str", key: "str", path: "str" = None, env: "dict" = None,
                    stderr=None) -> "str":
    """Store `key` for `host` in the netrc file; return its path. InvalidKeyError, UsageError
    (no host URL), StorageError (the file could not be read or written)."""
    path, target = _library_target(host, path, env)
    _netrc_rewrite(path, target, _valid_key(key), _Report(stderr), None)
    return path


def remove_netrc_key(host: "str", path: "str" = None, env: "dict" = None, stderr=None) -> "int":
    """Remove every entry for `host` from the netrc file; return how many."""
    path, target = _library_target(host, path, env)
    state = _read_netrc_file(path, set(target.machines()))
    return _netrc_rewrite(path, target, None, _Report(stderr), state)[0]


def verify_api_key(host: "str", key: "str", timeout: "float" = None, env: "dict" = None,
                   stderr=None) -> "dict":
    """Ask `host` who owns `key` within `timeout` s (10): the viewer (username, entity, email,
    id, teams). KeyRejectedError; ServerError: unreachable, not W&B; UsageError: no CA file."""
    return _verify_api_key(normalize_host(_as_url(host)), key, timeout, _environ(env),
                           _Report(stderr), "the host name")


# == The command line =========================================================

_DESCRIPTION = """\
Store a W&B API key where the wandb SDK finds it (the netrc file). With no KEY,
report the key the SDK would use (WANDB_API_KEY, the netrc, a settings file);
with none, ask at a hidden prompt on a terminal.
"""

_EPILOG = """\
API keys have 40 characters or start with wandb_v1_ (wandb 0.22.3 or later).
exit codes: 0 done, 1 no usable key / rejected / not stored, 2 usage error,
3 server unreachable or not the W&B API, 130 interrupted.
"""


def _arguments(argv, env, prog):
    """(arguments, action, timeout), or a UsageError that never quotes a key."""
    import argparse

    class Parser(argparse.ArgumentParser):
        def error(self, message):
            # argparse would print and exit; main() words it (never showing a key).
            raise UsageError(message)
    # Given a width, argparse does not import shutil on every run for the terminal's size.
    parser = Parser(prog=prog, usage="%(prog)s [OPTIONS] [KEY]", description=_DESCRIPTION,
                    epilog=_EPILOG, allow_abbrev=False, add_help=False,
                    formatter_class=lambda prog: argparse.RawDescriptionHelpFormatter(
                        prog, width=78))
    add, action = parser.add_argument, parser.add_mutually_exclusive_group().add_argument
    # main() writes --help and --version where they belong and notices a closed pipe.
    add("-h", "--help", action="store_true", help="show this help and exit")
    add("key", nargs="*", metavar="KEY", help="the API key to store; '-' reads it from stdin")
    add("--cloud", action="store_true", help="log in to the W&B cloud, " + CLOUD_URL)
    add("--host", "--base-url", dest="host", metavar="URL", help="log in to this W&B server")
    add("--relogin", action="store_true", help="ask for a new key, whatever is stored")
    add("--verify", action="store_true", help="check the key with the server")
    add("--no-verify", dest="verify", action="store_false", help="do not check it (default)")
    add("--anonymously", action="store_true", help="has no effect (for old scripts)")
    action("--status", action="store_true", help="show the host and key in use, and why")
    action("--logout", action="store_true", help="remove the stored key for the host")
    action("--print-key", action="store_true", help="print the key in use, alone, to stdout")
    action("--list", action="store_true", help="list the W&B servers with a key here")
    add("--json", action="store_true", help="print the outcome as JSON on stdout")
    add("--timeout", metavar="SECONDS", help="for --verify (default: WANDB_HTTP_TIMEOUT, 10)")
    add("--version", action="store_true", help="show wblogin's version and exit")
    try:
        args = parser.parse_args(argv)
    except UsageError as error:
        # argparse quotes arguments: one (or the value after its `=`) that is a key is masked.
        message = error.message
        for arg in sorted(set(argv), key=len, reverse=True):
            for part in (arg.partition("=")[2], arg):
                if _sdk_key_problem(part) is None:      # what the SDK would send
                    message = message.replace(part, mask_api_key(part))
        raise UsageError("%s (see %s --help)" % (message, prog))
    if args.help or args.version:
        args.text = parser.format_help() if args.help else "wblogin %s\n" % __version__
        return args, "help" if args.help else "version", None
    action = "status" if args.status else "logout" if args.logout else \
        "print-key" if args.print_key else "list" if args.list else "login"
    for wrong, message in [
            (len(args.key) > 1, "give at most one KEY (or '-' to read it from standard input)"),
            (action != "login" and args.key, "--%s does not take a KEY" % action),
            (action != "login" and args.relogin, "--relogin does not go with --" + action),
            (action == "print-key" and args.json, "--json does not go with --print-key"),
            (action in ("logout", "list") and args.verify,
             "--verify does not go with --" + action),
            (action == "list" and (args.host is not None or args.cloud),
             "--host and --cloud do not go with --list"),
            (args.timeout is not None and not args.verify, "--timeout only applies to --verify")]:
        if wrong:
            raise UsageError(message)
    if args.host is not None and "://" not in args.host:
        normalize_host(args.host, "--host")     # a bare name: says why, with a hint
    timeout, name = args.timeout, "--timeout"
    if timeout is None and args.verify:
        timeout, name = env.get("WANDB_HTTP_TIMEOUT", "").strip() or None, "WANDB_HTTP_TIMEOUT"
    return args, action, None if timeout is None else _seconds(timeout, name)


def _interrupted(result, error):
    """What is true when the run stops half-way (Ctrl-C, SIGTERM, no memory)."""
    what = "ran out of memory" if isinstance(error, MemoryError) else "interrupted"
    if result["stored"] or result["removed"]:
        return "%s after the key was %s %s; run the same command again to finish" % (
            what, "stored in" if result["stored"] else "removed from", result["netrc"])
    return what + {"login": "; nothing was stored", "logout": "; nothing was removed"}.get(
        result["action"], "")


def _redacted(value):
    """A JSON value with whatever may be a key masked in its texts."""
    if isinstance(value, list):
        return [_redacted(item) for item in value]
    if isinstance(value, dict):
        return dict((name, _redacted(item)) for name, item in value.items())
    return _redact(value) if isinstance(value, str) else value


def main(argv: "list" = None, env: "dict" = None, cwd: "str" = None, stdin=None, stdout=None,
         stderr=None, prog: "str" = None, ask=None) -> "int":
    """Run the command line; return the exit code (`prog`: in hints; `ask`: the prompt)."""
    stdout = sys.stdout if stdout is None else stdout
    argv = sys.argv[1:] if argv is None else argv
    argv = list(argv) if isinstance(argv, (list, tuple)) and all(
        isinstance(arg, str) for arg in argv) else None
    prog = prog if isinstance(prog, str) and prog else "wblogin"
    actions = {"--status": "status", "--logout": "logout", "--print-key": "print-key",
               "--list": "list", "--help": "help", "-h": "help", "--version": "version"}
    report = _Report(stderr if hasattr(stderr, "write") else None, {"action": next(
        (actions[a] for a in argv or () if a in actions), "login")})
    result = report.result
    options = argv[:argv.index("--")] if argv and "--" in argv else argv or ()
    wants_json = any(arg == "--json" or arg.startswith("--json=") for arg in options)
    code = 0
    try:
        env = _environ(env)
        if argv is None:
            raise UsageError("main() takes its arguments as a list of strings")
        args, action, timeout = _arguments(argv, env, prog)
        result["action"] = action
        if args.anonymously:
            report.warn("--anonymously has no effect; W&B no longer offers anonymous logins")
        common = dict(env=env, cwd=cwd, stderr=stderr, result=result, prog=prog)
        if action in ("help", "version"):
            if args.json:   # beside JSON, the text is for people: on stderr
                _write_out(report.stream or sys.stderr, args.text)
            elif not _write_out(stdout, args.text):
                raise LoginError("cannot write the %s to standard output (closed, or a broken "
                                 "pipe)" % action)
            result["ok"] = True
        elif action == "print-key":
            print_key(args.host, args.cloud, args.verify, timeout, stdin=stdin, stdout=stdout,
                      **common)
        elif action == "status":
            status(args.host, args.cloud, args.verify, timeout, stdin=stdin, **common)
        elif action == "logout":
            logout(args.host, args.cloud, **common)
        elif action == "list":
            list_servers(**common)
        else:
            key, source = (args.key or [None])[0], "argument"
            if key == "-":
                key, source = _read_key(stdin or sys.stdin, ask, report.stream), "standard input"
            elif key is not None:
                report.warn("a KEY typed on the command line can be seen in `ps` and your "
                            "shell history; `%s -` reads it from standard input instead" % prog)
            login(key, args.host, args.cloud, args.relogin or key is not None, args.verify,
                  timeout, source, stdin=stdin, ask=ask, **common)
    except (KeyboardInterrupt, LoginError, MemoryError) as error:    # Ctrl-C, SIGTERM, SIGHUP
        code = getattr(error, "exit_code", 130 if isinstance(error, KeyboardInterrupt) else 1)
        result["error"] = {"code": code, "message": getattr(error, "message", None) or
                           _interrupted(result, error)}
        report.say(result["error"]["message"])
    if wants_json:
        import json
        if not _write_out(stdout, json.dumps(_redacted(result), sort_keys=True) + "\n"):
            report.say("cannot write the JSON result to standard output (closed, or a "
                       "broken pipe)")
            code = code or 1
    return code


def _invoked_as():
    """How the user ran wblogin, for hints: `python3.6 tools/wblogin.py`, `python3 -m wblogin`."""
    python = _shell_word(re.sub(r"(?i)\.exe\Z", "", os.path.basename(sys.executable or "python")))
    spec = getattr(sys.modules.get("__main__"), "__spec__", None)
    if spec is not None and getattr(spec, "name", "") == "wblogin":
        return python + " -m wblogin"
    script = sys.argv[0] if sys.argv and sys.argv[0] else "wblogin.py"
    return "%s %s" % (python, _shell_word(script if _redact(script) == script and
                                          script.isprintable() else "wblogin.py"))


def _command_line():
    """`python wblogin.py`: SIGTERM and SIGHUP act as Ctrl-C; exit 1 if output is lost."""
    import signal
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.default_int_handler)
    try:
        code = main(prog=_invoked_as())
    except MemoryError:     # even saying so ran out of memory
        code = 1
        _quietly(os.write, 2, b"wblogin: ran out of memory\n")
    for stream in (stream for stream in (sys.stdout, sys.stderr) if stream is not None):
        try:
            stream.flush()
        except (AttributeError, OSError, ValueError):
            _silence(stream)
            code = code or int(stream is sys.stdout)    # what was asked for did not arrive
    sys.exit(code)


if __name__ == "__main__":
    _command_line()
