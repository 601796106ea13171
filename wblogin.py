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

import os
import re
import sys
from collections import namedtuple
# Every action takes a URL apart, so urllib.parse (and the re it imports) comes
# with the module; the network, TLS, JSON and configparser come when used.
from urllib.parse import urlsplit

__all__ = [
    "LoginError", "UsageError", "InvalidKeyError", "NoCredentialsError", "StorageError",
    "KeyRejectedError", "ServerError", "Interrupted", "CLOUD_URL", "normalize_host",
    "app_url", "clean_api_key", "validate_api_key", "mask_api_key", "parse_netrc",
    "netrc_set", "netrc_remove", "settings_set", "resolve_host", "netrc_path",
    "settings_paths", "find_api_key", "write_netrc_key", "remove_netrc_key",
    "verify_api_key", "login", "status", "logout", "print_key", "list_servers", "main",
]


# ==========================================================================
# Errors: one tree; only main() turns them into messages and exit codes
# ==========================================================================

class LoginError(Exception):
    """Every error wblogin raises: `message`, one printable line that never holds a
    full API key, and `exit_code`, what the command line returns."""

    exit_code = 1

    def __init__(self, message, path=None, host=None):
        self.message = _printable(message, 2000)    # whatever it quotes
        Exception.__init__(self, self.message)
        self.path, self.host = path, host

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


# ==========================================================================
# Constants, and every limit in one place
# ==========================================================================

CLOUD_URL = "https://api.wandb.ai"
# wandb 0.31 reaches the cloud through CoreWeave's Forge, its default base_url:
# each Forge host, and the W&B API host behind it (wandb/sdk/lib/urls.py).
_FORGE_URL = "https://api.forge.coreweave.com"
_FORGE_HOSTS = {"forge.coreweave.com": "api.wandb.ai", "qa.forge.coreweave.com":
                "api.qa.wandb.ai"}
_KEY_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-")
_WORD_CHARS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_.-"
_DEFAULT_TIMEOUT = 10.0           # seconds for the whole --verify check
_LOCK_WAIT = 10.0                 # seconds to wait for a file's lock
_PROMPT_TRIES = 3
_MAX_KEY_CHARS = 4096             # a longer key is refused before any use
_MAX_STDIN_BYTES = 64 * 1024      # `-`: the first line, at most this much
_MAX_NETRC_BYTES = 64 << 20       # a netrc file (the benchmark's is 6 MB)
_MAX_SETTINGS_BYTES = 1 << 20     # a wandb settings file
_MAX_REPLY_BYTES = 1 << 20        # the body of a --verify reply
_MAX_SHOWN_CHARS = 200            # outside text quoted in a message
_MAX_RETRY_AFTER = 30.0           # seconds of Retry-After ever honoured
# The oldest SDKs that take long keys, ports in netrc names, and JWT keys.
_OLDEST_SDKS = ((0, 22, 3), (0, 24, 0), (0, 26, 0))


# ==========================================================================
# The wandb SDK's settings, and what each takes as text (wandb 0.31's model)
#
# Any other option, or a value its setting refuses, makes the SDK ignore both
# settings files; such a WANDB_* variable stops it. Kinds: b yes/no; i a whole
# number (i0 >= 0, i1 > 0); f a number (f0 >= 0, f1 > 0); s text; u a URL; j a
# JSON object of texts; x no text at all; ? not known; p, r, w a project, run
# and sweep id; "|a|b" one of a, b; "b|a|b" yes/no or one of a, b.
# ==========================================================================

_SDK_SETTINGS = {
    "allow_media_symlink": "b", "allow_offline_artifacts": "b", "allow_val_change": "b",
    "console_multipart": "b", "disable_code": "b", "disable_git": "b",
    "disable_git_fork_point": "b", "disable_job_creation": "b", "finish_timeout_raises": "b",
    "force": "b", "insecure_disable_ssl": "b", "label_disable": "b", "launch": "b", "quiet": "b",
    "relogin": "b", "resumed": "b", "sagemaker_disable": "b", "save_code": "b", "show_colors": "b",
    "show_emoji": "b", "show_errors": "b", "show_info": "b", "show_warnings": "b", "silent": "b",
    "stop_on_fatal_error": "b", "strict": "b", "symlink": "b", "sync_tensorboard": "b",
    "table_raise_on_max_row_limit_exceeded": "b", "use_dot_wandb": "b", "x_cli_only_mode": "b",
    "x_disable_machine_info": "b", "x_disable_meta": "b", "x_disable_stats": "b",
    "x_disable_viewer": "b", "x_file_stream_no_gzip": "b", "x_flow_control_custom": "b",
    "x_flow_control_disabled": "b", "x_primary": "b", "x_save_requirements": "b",
    "x_server_side_derived_summary": "b", "x_skip_transaction_log": "b", "x_stats_no_cgroup": "b",
    "x_stats_self_usage": "b", "x_stats_track_process_tree": "b", "x_sync": "b",
    "x_update_finish_state": "b", "heartbeat_seconds": "i", "max_end_of_run_history_metrics": "i",
    "max_end_of_run_summary_metrics": "i", "summary_timeout": "i", "summary_warnings": "i",
    "x_file_stream_max_bytes": "i", "x_file_stream_retry_max": "i",
    "x_file_transfer_retry_max": "i", "x_graphql_retry_max": "i", "x_live_policy_rate_limit": "i",
    "x_live_policy_wait_time": "i", "x_log_level": "i", "x_network_buffer": "i",
    "x_stats_buffer_size": "i", "x_stats_cpu_count": "i", "x_stats_cpu_logical_count": "i",
    "x_stats_gpu_count": "i", "x_stats_pid": "i", "console_chunk_max_bytes": "i0",
    "console_chunk_max_seconds": "i0", "x_file_stream_max_line_bytes": "i1", "finish_timeout": "f",
    "init_timeout": "f", "login_timeout": "f", "x_file_stream_retry_wait_max_seconds": "f",
    "x_file_stream_retry_wait_min_seconds": "f", "x_file_stream_timeout_seconds": "f",
    "x_file_stream_transmit_interval": "f", "x_file_transfer_retry_wait_max_seconds": "f",
    "x_file_transfer_retry_wait_min_seconds": "f", "x_file_transfer_timeout_seconds": "f",
    "x_graphql_retry_wait_max_seconds": "f", "x_graphql_retry_wait_min_seconds": "f",
    "x_graphql_timeout_seconds": "f", "x_internal_check_process": "f", "x_start_time": "f",
    "x_transaction_log_flush_interval": "f", "x_service_wait": "f0",
    "x_stats_sampling_interval": "f1", "anonymous": "s", "api_key": "s", "app_url_override": "s",
    "base_url": "s", "code_dir": "s", "credentials_file": "s", "docker": "s", "email": "s",
    "entity": "s", "git_commit": "s", "git_remote": "s", "git_remote_url": "s", "git_root": "s",
    "host": "s", "identity_token_file": "s", "ignore_globs": "s", "job_name": "s",
    "launch_config_path": "s", "notebook_name": "s", "organization": "s", "program": "s",
    "program_abspath": "s", "program_relpath": "s", "root_dir": "s", "run_group": "s",
    "run_job_type": "s", "run_name": "s", "run_notes": "s", "run_tags": "s",
    "settings_system": "s", "sweep_param_path": "s", "username": "s", "x_executable": "s",
    "x_files_dir": "s", "x_history_value_encoding": "s", "x_jupyter_name": "s",
    "x_jupyter_path": "s", "x_jupyter_root": "s", "x_label": "s", "x_runqueue_item_id": "s",
    "x_service_transport": "s", "x_stats_coreweave_metadata_endpoint": "s",
    "x_stats_dcgm_exporter": "s", "x_stats_gpu_type": "s",
    "x_stats_neuron_monitor_config_path": "s", "x_sync_dir_suffix": "s", "http_proxy": "u",
    "https_proxy": "u", "x_stats_coreweave_metadata_base_url": "u", "x_extra_http_headers": "j",
    "x_stats_open_metrics_endpoints": "j", "x_stats_open_metrics_http_headers": "j",
    "azure_account_url_to_access_key": "x", "capture_loggers": "x", "config_paths": "x",
    "fork_from": "x", "resume_from": "x", "stop_fn": "x", "x_proxies": "x",
    "x_stats_disk_paths": "x", "x_stats_gpu_device_ids": "?", "x_stats_open_metrics_filters": "?",
    "project": "p", "run_id": "r", "sweep_id": "w",
    "console": "|auto|off|wrap|redirect|wrap_raw|wrap_emu", "job_source": "|repo|artifact|image",
    "mode": "|online|offline|shared|disabled|dryrun|run",
    "reinit": "b|default|return_previous|finish_previous|create_new",
    "resume": "|allow|must|never|auto",
}
_SDK_KIND_NAMES = {
    "b": "yes or no", "i": "a whole number", "i0": "a whole number of at least 0",
    "i1": "a whole number above 0", "f": "a number", "f0": "a number of at least 0",
    "f1": "a number above 0", "u": "a URL", "j": "a JSON object of texts",
    "x": "anything a text can set",
    "p": "a project name (at most 128 characters, none of / \\ # ? % :)",
    "r": "a run id (not empty, no spaces around it, none of : ; , # ? / ')",
    "w": "a sweep id (not empty, no spaces around it)"}
_SDK_BOOLS = ("true", "false", "yes", "no", "on", "off", "t", "f", "y", "n", "1", "0")
# WANDB_* variables whose setting is not named after them.
_SDK_ENV_NAMES = {
    "WANDB_APP_URL": "app_url_override", "WANDB_DIR": "root_dir",
    "WANDB_SERVICE_TRANSPORT": "x_service_transport", "WANDB_NAME": "run_name",
    "WANDB_NOTES": "run_notes", "WANDB_TAGS": "run_tags", "WANDB_JOB_TYPE": "run_job_type",
    "WANDB_USER_EMAIL": "email", "WANDB_HTTP_TIMEOUT": "x_graphql_timeout_seconds",
    "WANDB_FILE_PUSHER_TIMEOUT": "x_file_transfer_timeout_seconds"}


# ==========================================================================
# Pure: text from outside, made fit to show. One test for a word that may be an
# API key, one redaction on it; every message, JSON field and exception passes.
# ==========================================================================

_WORD = re.compile(r"[A-Za-z0-9_.-]+")
_TOKEN = re.compile(r"eyJ[\w-]*\.[\w-]+\.[\w-]+", re.ASCII)


def _may_be_key(word):
    """Whether a word (letters, digits, _ - .) may hold an API key: 32 or more key
    letters in a row, or a token (`eyJ...` and two more parts)."""
    return max(len(part) for part in word.split(".")) >= 32 or \
        "eyJ" in word and _TOKEN.search(word) is not None


def mask_api_key(key):
    # type: (str) -> str
    """`****` and the last four characters: safe to print anywhere (ASCII)."""
    if not isinstance(key, str) or len(key) < 12:
        return "****"
    return "****" + "".join(c if 32 < ord(c) < 127 else "\\u%04x" % ord(c) for c in key[-4:])


def _redact(text):
    """`text` with each word that may be a key masked (a token as a whole)."""
    def mask(match):
        word = _TOKEN.sub(lambda token: mask_api_key(token.group()), match.group())
        return ".".join(mask_api_key(part) if len(part) >= 32 else part
                        for part in word.split("."))
    return _WORD.sub(lambda match: mask(match) if _may_be_key(match.group())
                     else match.group(), text)


def _printable(text, limit=_MAX_SHOWN_CHARS):
    """`text` fit for a message: redacted, cut to `limit`, and control and invisible
    characters escaped, so that nothing from outside drives the terminal."""
    text = str(text)
    if len(text) > 2 * limit + 64:      # cut where no word that may be a key is cut
        text = text[:2 * limit + 64].rstrip(_WORD_CHARS) + "..."
    text = _redact(text)
    text = text[:limit] + "...(more)" if len(text) > limit else text
    return text if text.isprintable() else "".join(
        c if c.isprintable() else "\\x%02x" % ord(c) if ord(c) < 0x100 else
        "\\u%04x" % ord(c) if ord(c) < 0x10000 else "\\U%08x" % ord(c) for c in text)


def _echo(text):
    """User input fit to quote in a message: printable, never a key."""
    return "(not shown: it may hold an API key)" if _redact(text) != text else \
        _printable(text)


def _text(value, what):
    """`value` if it is a str, else UsageError (never a TypeError from deep inside)."""
    if not isinstance(value, str):
        raise UsageError("%s must be text, not %s" % (what, type(value).__name__))
    return value


def _seconds(value, name):
    """A time budget: a positive, finite number of seconds below 10**6."""
    try:
        value = float(value)
    except (TypeError, ValueError, OverflowError):
        value = -1.0
    if not 0 < value < 1e6:     # also refuses nan and inf
        raise UsageError("%s must be a positive number of seconds" % name)
    return value


def _ascii_int(text, digits=9):
    """int(text) for 1 to `digits` ASCII digits, else None (int('²') fails)."""
    return int(text) if text and len(text) <= digits and not text.strip("0123456789") \
        else None


# ==========================================================================
# Pure: URLs, one model for --host, WANDB_BASE_URL, settings, redirects, proxies
#
# _split_url takes a URL apart with urllib.parse; on it stand normalize_host (the
# form wblogin stores), _sdk_url_problem (what the wandb SDK refuses: its URL
# validator, its Forge rules, its wandb.ai pattern), the netrc names the SDK
# asks for, loopback and origins.
# ==========================================================================

_Url = namedtuple("_Url", "scheme netloc user host port path query fragment")


def _split_url(text):
    """`text` taken apart by urlsplit, the netloc too: user (or None), host (no
    brackets), port text (or None); an absent query or fragment is None.
    ValueError: an [IPv6] address left open."""
    parts = urlsplit(text)
    user, _, hostport = parts.netloc.rpartition("@")
    host, colon, port = hostport.partition(":")
    if hostport.startswith("["):
        host, bracket, rest = hostport[1:].partition("]")
        if not bracket or rest[:1] not in ("", ":"):
            raise ValueError("unterminated [IPv6] address")
        colon, port = rest[:1], rest[1:]
    return _Url(parts.scheme, parts.netloc, user if "@" in parts.netloc else None, host,
                port if colon else None, parts.path, parts.query if parts.query or "?" in
                text else None, parts.fragment if parts.fragment or "#" in text else None)


def normalize_host(url, what="host URL"):
    # type: (str, str) -> str
    """Return the canonical form of a W&B server URL: scheme and host name in
    lower case, without a default port, trailing slashes or a trailing dot, so
    that one server is one netrc entry; a Forge proxy URL becomes its API host.

    Raises:
        UsageError: not an http(s) URL wblogin stores, or one the SDK refuses.
    """
    text = _text(url, what).strip()
    parts = _storable(text, what)
    host = parts.host.lower()
    host = host[:-1] if host.endswith(".") and ":" not in host else host
    netloc = "[%s]" % host if ":" in host else host
    if parts.port and int(parts.port) != {"https": 443, "http": 80}[parts.scheme]:
        netloc += ":%d" % int(parts.port)
    if netloc == "default":
        raise UsageError("%s names a server 'default', whose netrc entry would be "
                         "`machine default`: the fallback that every other host gets too; "
                         "use its full name" % what)
    if (host == "wandb.ai" or host.endswith(".wandb.ai")) and not host.startswith("api."):
        raise UsageError("%s points at the W&B web app, not its API (did you mean "
                         "https://api.wandb.ai?)" % what)
    if host.endswith("wandb.ai") and parts.scheme != "https":
        raise UsageError("%s must use https:// for %s" % (what, host))
    canonical = "%s://%s%s" % (parts.scheme, netloc, parts.path.rstrip("/"))
    if _sdk_url_problem(canonical):
        raise UsageError("%s: the wandb SDK refuses it: %s" % (
            what, _sdk_url_problem(canonical)))
    return _sdk_url(canonical)


def _storable(text, what):
    """`text` taken apart, when it is a URL wblogin stores a key for; else the
    UsageError that says why."""
    problem = _first([
        (not text, "is empty"),
        (_redact(text) != text, "looks like it holds an API key (not shown): give the "
                                "server's URL, like https://wandb.example.com"),
        (any(ord(ch) <= 32 or ord(ch) == 127 for ch in text),
         "must not contain spaces or control characters"),
        (any(ord(ch) > 126 for ch in text),
         "must be ASCII (write an international name in its xn-- form)"),
        ("://" not in text, "must start with https:// or http:// (did you mean "
                            "https://%s?)" % text.rstrip("/"))])
    url = None
    try:
        url = None if problem else _split_url(text)
    except ValueError:
        problem = "has an unterminated [IPv6] address"
    host = url.host.lower() if url else ""
    if host.endswith(".") and not host.endswith("..") and ":" not in host:
        host = host[:-1]    # the root of DNS: the same server
    problem = problem or _first([
        (url.scheme not in ("http", "https"),
         "must use https:// or http://, not %s://" % _echo(text.partition("://")[0])),
        (url.query is not None or url.fragment is not None,
         "must not have a query (?) or fragment (#)"),
        (url.user is not None,
         "must not contain user:password@ (wblogin stores the key in the netrc file)"),
        ("[" not in url.netloc and url.netloc.count(":") > 1,
         "needs an IPv6 address in brackets, like http://[::1]:8080"),
        (not host, "has no host name"),
        (":" in host and (host.strip("0123456789abcdef:.") or host.count(":") < 2 or
                          host.endswith(".") or len(host) > 45),
         "has an invalid IPv6 address"),
        (":" not in host and (host.strip("abcdefghijklmnopqrstuvwxyz0123456789-._") or
                              ".." in host or host.startswith((".", "-")) or
                              len(host) > 253 or max(map(len, host.split("."))) > 63),
         "has an invalid host name"),
        (url.port is not None and not 0 < (_ascii_int(url.port) or 0) < 65536,
         "needs a port from 1 to 65535"),
        (any(ch in url.path for ch in '%\\"'), "must not have %, \\ or \" in its path")])
    if problem:
        raise UsageError("%s %s" % (what, problem))
    return url


def _first(checks):
    """The problem of the first of the checks, (failed, problem), that failed."""
    return next((problem for failed, problem in checks if failed), None)


def _sdk_url_problem(text):
    """Why the wandb SDK refuses `text` as its base_url, or None: its strict URL
    validator (pydantic's: the URL standard), its Forge rules and its wandb.ai
    pattern (wandb 0.31, urls.py and host_url.py)."""
    try:
        url, forge = _split_url(text), urlsplit(text).hostname
    except ValueError:
        return "its [IPv6] host is not closed"
    tail, sdk = text.partition("://")[2][len(url.netloc):], _sdk_url(text)
    host_problem = url.host and _sdk_host_problem(url.host)
    bad = lambda part: any(c in part for c in ' "<>[\\]^`{|}') or \
        re.search(r"%(?![0-9A-Fa-f]{2})", part)
    return _first([
        (url.scheme not in ("http", "https") or "://" not in text,
         "it is not an http:// or https:// URL"),
        (not url.host or any(ord(c) <= 32 or ord(c) in (127, 0x85) for c in text),
         "it has no host name, or spaces in it"),
        (bad(tail) or "#" in (url.fragment or ""),
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
    hex_digits = "0123456789abcdefABCDEF"
    if labels[-1] and not labels[-1].strip("0123456789") or \
            labels[-1][:2].lower() == "0x" and not labels[-1][2:].strip(hex_digits):
        # A name that ends in a number is an IPv4 address (decimal, 0x hex or 0 octal).
        numbers = []
        for part in labels:
            digits, base = (part[2:], 16) if part[:2].lower() == "0x" else \
                (part[1:], 8) if part[:1] == "0" and len(part) > 1 else (part, 10)
            if not part or digits.strip(hex_digits[:{16: 22, 8: 8, 10: 10}[base]]):
                return "its host name ends in a number but is no IPv4 address"
            numbers.append(int(digits or "0", base))
        if len(numbers) > 4 or max(numbers[:-1] + [0]) > 255 or \
                numbers[-1] >= 256 ** (5 - len(numbers)):
            return "its IPv4 address has a part over 255"
    return None


def _sdk_url(text):
    """A URL as the SDK holds and compares it: a Forge proxy URL turned into its
    API host, trailing slashes dropped."""
    try:
        parts = urlsplit(text)
        if parts.hostname in _FORGE_HOSTS and parts.path.rstrip("/") == "/api/wandb":
            return "https://api." + parts.hostname
    except ValueError:
        pass
    return text.rstrip("/")


def _sdk_lookups(sdk_url):
    """The netrc machines the SDK asks for: its base_url's netloc, then, when that
    gives nothing, the W&B API host behind Forge."""
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
    parts = host.split(".")
    return host in ("localhost", "::1") or len(parts) == 4 and parts[0] == "127" and \
        all(_ascii_int(part, 3) is not None and int(part) < 256 for part in parts)


def app_url(host, env=None):
    # type: (str, dict) -> str
    """The web app URL for an API URL: WANDB_APP_URL, or derived from it."""
    explicit = _environ(env).get("WANDB_APP_URL", "").strip().rstrip("/")
    if explicit:
        return explicit
    return _text(host, "the host").replace("://api.", "://" if "://api.wandb." in host
                                           else "://app.", 1)


# ==========================================================================
# Pure: API keys
# ==========================================================================

def clean_api_key(text):
    # type: (str) -> str
    """Strip surrounding whitespace and terminal bracketed-paste markers."""
    start = re.match(r"(?:\s|\x1b\[20[01]~)*", _text(text, "the API key")).end()
    end = re.match(r"(?:\s|~[01]02\[\x1b)*", text[::-1]).end()
    return text[start:len(text) - end] if start < len(text) - end else ""


def validate_api_key(key):
    # type: (str) -> object
    """Return a sentence saying what is wrong with `key` (never quoting it), or
    None: once cleaned (clean_api_key), a key wblogin stores is a JWT or ASCII
    letters, digits, `_` and `-` with 40+ characters after its first `-`."""
    if not isinstance(key, str):
        return "API key must be text, not %s." % type(key).__name__
    key = clean_api_key(key[:2 * _MAX_KEY_CHARS + 1])
    if len(key) > _MAX_KEY_CHARS:
        return "API key has more than %d characters." % _MAX_KEY_CHARS
    if not key:
        return "API key is empty."
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
    if len(rest if dash else key) >= 40:
        return None
    if dash:
        return "API key must have 40+ characters after %s, has %d." % (
            "'%s-'" % prefix if len(prefix) <= 12 else "its first '-'", len(rest))
    return "API key must have 40+ characters, has %d." % len(key)


def _sdk_key_problem(key):
    """What the SDK says of a key it found (it stops there), or None: no stripping,
    a JWT or 40+ `[\\w-]` (Unicode) after the first `-`."""
    parts, secret = key.split("."), key.split("-", 1)[-1]
    if not key:
        return "API key is empty."
    if key != key.strip():
        return "API key cannot start or end with whitespace."
    if len(parts) == 3 and all(re.match(r"[\w-]+$", part) for part in parts):
        return None
    if not re.match(r"[\w-]+$", secret):
        return "API key may only contain letters, digits, '_' and '-'."
    return "API key must have 40+ characters, has %d." % len(secret) \
        if len(secret) < 40 else None


# ==========================================================================
# Pure: netrc text, read as Python 3.11+'s netrc module reads it: the reader of
# every wandb SDK on a supported Python, so the truth for a lookup on every
# Python (their own modules differ). Its lexer and parser, in the same shape,
# keeping where each entry stands, so that an edit keeps every other byte.
# ==========================================================================

# A word as get_token() reads it: "quoted" (to the closing quote or the end; group
# 1 its text, group 2 the quote) or unquoted up to white space; \ takes any next.
_NETRC_WORD = re.compile(r'"([^"\\]*(?:\\[\s\S]?[^"\\]*)*)("?)'
                         r'|(?:[^ \t\n\\"]|\\[\s\S]?)[^ \t\n\\]*(?:\\[\s\S]?[^ \t\n\\]*)*')
_NETRC_FIELDS = {"login": 0, "user": 0, "account": 1, "password": 2}
# Where Python's netrc module stops, in plain words (its own words, such as "bad
# follower token", mean nothing to a user, and its messages quote passwords).
_NETRC_MISTAKES = {
    "comment": "a # comment after a blank line inside an entry (Python's netrc reads a "
               "comment as one only right below its entry's line)",
    "word": "a value without the word password (or login, account) before it, or a word "
            "netrc does not know, such as port",
    "top": "a word outside any entry (a # comment must be a word of its own: '# note')",
    "name": "'machine' without a name after it",
    "macdef": "a macdef without the empty line that ends it"}
_Entry = namedtuple("_Entry", "name start end default")


class _NetrcParse(object):
    """What netrc text means: `hosts` (as netrc().hosts), `macros`; and where:
    `entries` (wanted ones and `default`, from `machine` to the last field's end),
    `error` (offset, reason) when the module raises, `open_quote` (a word that runs
    to the end), `stop` (a "" that ends the reading), `dangling` (a last field with
    no value), `unended` (the last word runs to the very end)."""

    def __init__(self):
        self.hosts, self.entries, self.macros = {}, [], {}
        self.error = self.open_quote = self.stop = None
        self.dangling = self.unended = False

    def authenticators(self, machine):
        """As netrc.authenticators(): the machine's entry, else `default`."""
        return self.hosts.get(machine, self.hosts.get("default"))


class _NetrcError(Exception):
    """Where, and why, Python's netrc module raises NetrcParseError."""


def parse_netrc(text, want=True):
    # type: (str, object) -> _NetrcParse
    """Read netrc text as Python 3.11+'s netrc module does (line ends as a file in
    text mode has them); `want`: the machines whose positions are needed, or True."""
    _text(text, "the netrc text")
    if want is not True and not isinstance(want, (set, frozenset, list, tuple)):
        raise UsageError("want must be True or a set of machine names")
    lf = text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text
    result = _NetrcParse()
    if want is not True and not all(isinstance(name, str) for name in want):
        raise UsageError("want must be True or a set of machine names")
    try:
        _read_netrc(lf, result, want if want is True else set(want))
    except _NetrcError as error:
        result.error = error.args
    if "\r\n" in text:      # positions in `text`, whose \r\n the reader saw as \n
        import bisect
        pairs = [m.start() - i for i, m in enumerate(re.finditer("\r\n", text))]
        at = lambda offset: offset + bisect.bisect_left(pairs, offset)
        result.entries = [_Entry(e.name, at(e.start), at(e.end), e.default)
                          for e in result.entries]
        result.open_quote, result.stop = [None if x is None else at(x) for x in (
            result.open_quote, result.stop)]
        result.error = result.error and (at(result.error[0]), result.error[1])
    return result


def _read_netrc(lf, result, want):
    """The module's _parse() over `lf`, a word at a time: its get_token(), its
    comment rule, its macdef lines; with the positions of wanted entries."""
    n, hosts = len(lf), result.hosts
    words, resume, previous = _NETRC_WORD.finditer(lf), 0, None
    state, name, start, end, slot, fields, keyword, wanted = "top", "", 0, 0, 0, [], "", 0
    while True:
        match = next(words, None)
        word = "" if match is None else match.group()
        if word[:1] == '"' or "\\" in word:
            word = _netrc_unquote(match, result)
        if state == "value":
            fields[slot], state, previous = word, "fields", match or previous
            if match is None:
                result.dangling = True
            elif wanted:
                end = match.end()
            continue
        if word[:1] == "#" and state != "name":
            # A comment runs to the end of its line only when it began on the
            # line the reader was on (the module compares line counts), and at
            # the top only when it is "#" alone; else only the word is skipped.
            resume = _word_stop(previous, n) if previous else resume
            previous = match
            if (state == "fields" or word == "#") and \
                    lf.find("\n", resume, _word_stop(match, n)) < 0:
                newline = lf.find("\n", _word_stop(match, n))
                resume = n if newline < 0 else newline + 1
                words, previous = _NETRC_WORD.finditer(lf, resume), None
            continue
        previous = match or previous
        if state == "fields":
            if word in _NETRC_FIELDS:
                slot, state, end = _NETRC_FIELDS[word], "value", match.end() if wanted else 0
                continue
            if word not in ("", "machine", "default", "macdef"):
                line = lf[lf.rfind("\n", 0, match.start()) + 1:match.start()].lstrip()
                raise _NetrcError(match.start(), _NETRC_MISTAKES[
                    "comment" if line.startswith("#") else "word"])
            hosts[name], state = tuple(fields), "top"
            if wanted:
                result.entries.append(_Entry(name, start, end, keyword == "default"))
        elif state == "name":
            if not word:
                raise _NetrcError(start, _NETRC_MISTAKES["name"])
            name, state, wanted = word, "fields", want is True or word in want
            end = match.end() if wanted else 0
            continue
        # The top level; a word that ended an entry is read here again.
        if not word:
            result.stop = match and match.start()
            result.unended = previous is not None and previous.end() == n and \
                previous.group(1) is None
            return
        if word in ("machine", "default"):
            start, end, keyword, fields = match.start(), match.end(), word, ["", "", ""]
            name, state, wanted = "default", "name" if word == "machine" else "fields", True
        elif word == "macdef":
            resume = _read_macro(lf, result, match)
            words, previous = _NETRC_WORD.finditer(lf, resume), None
        else:
            raise _NetrcError(match.start(), _NETRC_MISTAKES["top"])


def _netrc_unquote(match, result):
    """A word without its quotes and backslashes; a quote left open is noted."""
    word = match.group()
    if word[0] == '"':
        if not match.group(2) and result.open_quote is None:
            result.open_quote = match.start()
        word = match.group(1)
    # A backslash takes the next character as it is: "\\\\" is one backslash, a
    # lone one goes. str.replace, not re.sub: memory stays a small multiple of the word.
    spare = next(chr(n) for n in range(1, 0x110000) if chr(n) not in word)
    return word.replace("\\\\", spare).replace("\\", "").replace(spare, "\\")


def _word_stop(match, n):
    """Where get_token() stops after `match`: past the quote or the white space."""
    return match.end() + (match.end() < n and match.group(1) is None)


def _read_macro(lf, result, match):
    """A macdef's name, then its lines up to an empty one; where reading goes on."""
    named = _NETRC_WORD.search(lf, _word_stop(match, len(lf)))
    name, pos = ("", len(lf)) if named is None else (
        _netrc_unquote(named, result), _word_stop(named, len(lf)))
    lines = []
    while pos < len(lf):
        line_end = lf.find("\n", pos) + 1 or len(lf)
        if line_end == pos + 1 and lf[pos] == "\n":
            result.macros[name] = lines
            return line_end
        lines.append(lf[pos:line_end])
        pos = line_end
    raise _NetrcError(match.start(), _NETRC_MISTAKES["macdef"])


def _line_starts(text):
    """Where each line starts: \\n, \\r\\n and a lone \\r end one, as Python's readers
    see them (never splitlines(): it cuts at U+0085, a byte of UTF-8 letters)."""
    return [0] + [match.end() for match in re.finditer(r"\r\n?|\n", text)]


def _line_of(text, offset, starts=None):
    """The 1-based number of the line of `text` that holds `offset`."""
    import bisect
    return bisect.bisect_right(starts or _line_starts(text), offset)


def _newline_of(text):
    """The line end a text uses, for the lines added to it."""
    return "\r\n" if "\r\n" in text else "\r" if "\r" in text and "\n" not in text \
        else "\n"


def _netrc_problem(text, parsed):
    """Why this netrc text may not be edited, or None."""
    if parsed.error is not None:
        return ("line %d: %s; Python's netrc module (the wandb SDK's reader) cannot "
                "read the file, so the SDK ignores all of it"
                % (_line_of(text, parsed.error[0]), parsed.error[1]))
    if parsed.open_quote is not None:
        return ("line %d opens a quoted word that is never closed: Python's netrc "
                "module reads the rest of the file as part of it"
                % _line_of(text, parsed.open_quote))
    return None


def _netrc_change(text, parsed, machines, key):
    """(new text, entries replaced or removed, its _NetrcParse) in which `machines`
    give `key` (None: nothing) and every other machine gives what it gave: the
    last entry replaced where it stands, the others gone, a new one before
    `default` or at the end. Each plan is read back as the SDK reads it; the
    first that keeps every promise wins, else StorageError."""
    problem = _netrc_problem(text, parsed)
    if problem:
        raise StorageError(problem)
    newline, edits, cuts, new = _newline_of(text), [], [], ""
    for machine in machines:
        mine = [e for e in parsed.entries if e.name == machine and not e.default]
        cuts += mine if key is None else mine[:-1]
        block = "machine %s%s  login user%s  password %s" % (machine, newline, newline, key)
        if key is not None and mine:    # after a quoted word nothing else separates
            space = "" if text[mine[-1].end:mine[-1].end + 1] in ("", " ", "\t", "\r",
                                                                   "\n") else " "
            edits.append((mine[-1].start, mine[-1].end, block + space))
        elif key is not None:
            new += block + newline
    touched = sum(1 for e in parsed.entries if e.name in machines and not e.default)
    if key is None and not touched:
        return text, 0, parsed
    starts, failure = _line_starts(text), None
    # Removed entries take their lines with them; as Python's netrc reads a
    # comment line as one only right below a line of its entry, the blank lines
    # above a removed entry may have to go too.
    for blanks in (False, True)[:1 + bool(cuts)]:
        removed = [_line_span(text, starts, e, blanks) for e in cuts]
        for place in _new_entry_places(text, starts, parsed, new, newline):
            candidate = _apply_edits(text, edits + removed + place)
            failure, meaning = _netrc_check(parsed, candidate, machines, key)
            if failure is None:
                return candidate, touched, meaning
    raise StorageError(failure)


def _line_span(text, starts, entry, blank_lines):
    """The edit that removes `entry`: its lines when nothing else is on them (a
    comment after it goes too), with `blank_lines` the empty ones above too."""
    start, end = entry.start, entry.end
    line = _line_of(text, start, starts)
    first, after = starts[line - 1], starts[_line_of(text, end, starts)] if \
        _line_of(text, end, starts) < len(starts) else len(text)
    rest = text[end:after].strip()
    if text[first:start].strip(" \t") or rest and not (rest[0] == "#" and
                                                       text[end] in " \t"):
        return start, end, ""
    while blank_lines and line > 1 and not text[starts[line - 2]:first].strip(" \t\r\n"):
        line -= 1
        first = starts[line - 1]
    return first, after, ""


def _new_entry_places(text, starts, parsed, new, newline):
    """Where new entries may go, best first: before `default` (ftp(1) and curl
    stop reading at it), at the end, at the start; each a list of edits."""
    if not new:
        return [[]]
    places = []
    for entry in [e for e in parsed.entries if e.default][:1]:
        first = starts[_line_of(text, entry.start, starts) - 1]
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
    """(None, its _NetrcParse) when the SDK reads `new_text` as promised, else
    (why not, None)."""
    new = parse_netrc(new_text, want=set(machines))
    trouble = new.error[0] if new.error else new.open_quote
    if trouble is not None:
        return ("the change would make Python's netrc module misread what is now line "
                "%d (a comment is one only right below its entry's line)"
                % _line_of(new_text, trouble)), None
    for machine in machines:
        if key is not None and new.hosts.get(machine) != ("user", "", key):
            return ("the new entry for %s would not be read back as written (a field "
                    "left without a value, or a comment, runs into it)" % machine), None
        if key is None and machine in new.hosts:
            return "an entry for %s would still be read" % machine, None
    before, after = dict(old.hosts), dict(new.hosts)
    for machine in machines:
        before.pop(machine, None)
        after.pop(machine, None)
    if before != after or new.macros != old.macros:
        changed = sorted(m for m in set(before) | set(after)
                         if before.get(m) != after.get(m)) or ["a macro"]
        return "the change would alter what the entry for %s gives" % _echo(changed[0]), None
    return None, new


def _netrc_word(value, what):
    """`value` if it stands in a netrc file as one plain word, else UsageError."""
    if not _text(value, what) or value[0] in '"#' or any(
            ch in '\\"' or ch.isspace() or ord(ch) < 32 for ch in value):
        raise UsageError("%s cannot be written in a netrc file as one plain word (empty, "
                         "or with spaces, quotes, backslashes or a leading #)" % what)
    return value


def _machine_names(machines):
    names = [machines] if isinstance(machines, str) else \
        list(machines) if isinstance(machines, (list, tuple)) else None
    if not names:
        raise UsageError("the machines must be a name or a list of names")
    if "default" in names:
        raise UsageError("`machine default` is the netrc's fallback for every host; "
                         "wblogin does not write it")
    return [_netrc_word(name, "a machine name") for name in names]


def netrc_set(text, machines, key):
    # type: (str, object, str) -> str
    """Return netrc text in which each of `machines` (a name or a list) gives
    `key`: its last entry replaced where it stands, the others removed, every
    other byte kept; a new entry goes before `default`, else at the end.

    Raises:
        StorageError: the SDK would not read the key back from any edit.
    """
    machines = _machine_names(machines)
    key = _netrc_word(key, "the key")
    return _netrc_change(text, parse_netrc(text, set(machines)), machines, key)[0]


def netrc_remove(text, machines):
    # type: (str, object) -> tuple
    """Return (text without the entries for `machines`, how many were removed).

    Raises:
        StorageError: Python's netrc cannot read the text, or the removal would
            change what another entry gives."""
    machines = _machine_names(machines)
    return _netrc_change(text, parse_netrc(text, set(machines)), machines, None)[:2]
# ==========================================================================
# Pure: settings text (INI with a [default] section)
#
# Read with configparser, as the SDK reads it (ConfigParser() with its
# defaults, a file opened in text mode). Edited a line at a time, so that
# comments, other sections and the order of options survive; every edit is
# read back with configparser before it counts.
# ==========================================================================

_Settings = namedtuple("_Settings", "values problem fatal")
# values: the [default] options as the SDK gets them, or None when it cannot
# use the file; problem: (line or None, sentence); fatal: the SDK stops on it.


def _read_settings(text, raw=False):
    """Settings text read with configparser: a _Settings; or, `raw`, every
    {(section, option): value} ([DEFAULT] as a section, no interpolation),
    None when configparser rejects the text."""
    import configparser
    parser = configparser.ConfigParser(interpolation=None) if raw \
        else configparser.ConfigParser()
    try:
        parser.read_string(text.replace("\r\n", "\n").replace("\r", "\n"))
    except configparser.Error as error:
        # Its messages quote the offending line, which may hold a key.
        lines = [e[0] for e in getattr(error, "errors", ()) if e] or [
            getattr(error, "lineno", None)]
        return None if raw else _Settings(None, (lines[0], {
            "DuplicateSectionError": "a section that appears twice",
            "DuplicateOptionError": "an option that appears twice in its section",
            "MissingSectionHeaderError": "an option before any [section]"}.get(
                type(error).__name__, "a line that is not 'name = value', a comment or "
                "a [section]")), False)
    if raw:
        return dict(((section, k), v) for section in parser.sections()
                    for k, v in parser.items(section, raw=True))
    try:
        return _Settings(dict(parser.items("default")) if parser.has_section("default")
                         else {}, None, False)
    except configparser.InterpolationError as error:
        return _Settings(None, (None, "option %s has a %% that configparser cannot "
                                "interpolate (write %%%% for a literal %%)" % _option_name(
                                    getattr(error, "option", "") or "?")), True)


def _option_name(name):
    """An option or section name fit for a message (a key is never one)."""
    return _printable(name, 40) if len(name) <= 40 else "a long name"


def _settings_lines(text):
    """[line, line end, kind, section, option] for each line of settings text,
    as configparser takes it: kind comment, blank, section, option, more (the
    option above goes on: indented further) or bad."""
    import configparser
    starts, rows = _line_starts(text) + [len(text)], []
    section = option = None
    indent = 0
    for start, after in zip(starts, starts[1:]):
        line = text[start:after].rstrip("\r\n")
        value, lead = line.strip(), len(line) - len(line.lstrip())
        kind = "comment" if value[:1] in ("#", ";") else None if value else "blank"
        if kind is None and section is not None and option and lead > indent:
            kind = "more"
        elif kind is None:
            indent = lead
            header = configparser.ConfigParser.SECTCRE.match(value)
            found = not header and section is not None and \
                configparser.ConfigParser.OPTCRE.match(value)
            kind = "section" if header else "option" if found else "bad"
            section = header.group("header") if header else section
            option = None if header else found.group("option").rstrip().lower() \
                if found else option
        if start < len(text):
            rows.append([line, text[start:after][len(line):], kind, section,
                         option if kind in ("option", "more") else None])
    return rows


def _settings_edited(text, option, value):
    """Settings text with [default] `option` set to `value`, or, value None,
    removed (from [default] and [DEFAULT]); `%` is written `%%`."""
    rows, newline = _settings_lines(text), _newline_of(text)
    entry = None if value is None else "%s = %s" % (option, value.replace("%", "%%"))
    drop, replace_at, last_at, indent = set(), None, None, ""
    for index, (line, _, kind, section, name) in enumerate(rows):
        if kind == "section" and section == "default" and last_at is None:
            last_at = index
        elif kind in ("option", "more") and section == "default" and last_at is not None:
            last_at = index
            indent = line[:len(line) - len(line.lstrip())] if kind == "option" else indent
        if name == option and (section == "default" or not entry and section == "DEFAULT"):
            if kind == "option" and entry and section == "default" and replace_at is None:
                replace_at = index
            else:
                drop.add(index)
    if replace_at is not None:
        line = rows[replace_at][0]
        rows[replace_at][:2] = [line[:len(line) - len(line.lstrip())] + entry,
                                rows[replace_at][1] or newline]
    elif entry and last_at is not None:
        rows[last_at][1] = rows[last_at][1] or newline
        rows.insert(last_at + 1, [indent + entry, newline])
        drop = set(i + (i > last_at) for i in drop)
    elif entry:
        if rows and not rows[-1][1]:
            rows[-1][1] = newline
        rows += ([["", newline]] if rows and rows[-1][0].strip() else []) + [
            ["[default]", newline], [entry, newline]]
    text = "".join(row[0] + row[1] for i, row in enumerate(rows) if i not in drop)
    return text + newline if text and text[-1] not in "\r\n" else text     # ends a line


def _settings_edit(text, value, option="base_url"):
    """(new settings text with `option` = `value` (None: removed), or None when
    nothing changes; the problem, or None). The new text must read back with
    configparser with every other option as before, and this one as wanted."""
    if not text and value is not None and value == value.strip():
        # A new file: nothing else to keep, nothing to import configparser for.
        return "[default]\n%s = %s\n" % (option, value.replace("%", "%%")), None
    old = _read_settings(text, raw=True)
    if old is None:
        return None, ("configparser, the wandb SDK's reader, rejects the file as it "
                      "is, so the SDK ignores it")
    new_text = _settings_edited(text, option, value)
    if new_text == text:
        return None, None
    new = _read_settings(new_text, raw=True)
    others = lambda values: dict((k, v) for k, v in values.items() if k[1] != option)
    if new is None or others(old) != others(new):
        return None, ("a new [default] section would take the options of [DEFAULT]"
                      if not any(k[0] == "default" for k in old) else
                      "the edit would change what configparser reads for other options")
    got = _read_settings(new_text).values
    if got is None or got.get(option) != value:
        return None, "configparser would not read %s back as written" % option
    return new_text, None


def settings_set(text, option, value):
    # type: (str, str, object) -> str
    """Return settings text with [default] `option` set to `value`, or, value
    None, removed (from [default] and from [DEFAULT]). Lines are edited where
    they stand; every other line and its line end stays; `%` is written `%%`.

    Raises:
        StorageError: configparser rejects the text, or would not read the edit
            back as asked with every other option as before.
    """
    option = _text(option, "the option").strip().lower()
    if not option or option[0] in "#;" or any(c in option for c in "=:[]% \t\r\n"):
        raise UsageError("the option must be one word, without '=', ':', '%', "
                         "brackets or a leading # or ;")
    if value is not None and any(c in _text(value, "the value") for c in "\r\n"):
        raise UsageError("the value must be one line")
    new, problem = _settings_edit(_text(text, "the settings text"), value, option)
    if problem:
        raise StorageError(problem)
    return text if new is None else new


# ==========================================================================
# Pure: what the wandb SDK reads, and the key it sends
#
# Measured with wandb 0.31 (and read in its wbauth code), which differs from
# its reference page: WANDB_API_KEY or WANDB_IDENTITY_TOKEN_FILE, then the
# netrc entry for the host (else the netrc `default` entry), then a settings
# api_key, which counts only when the merged base_url is that host.
# ==========================================================================

def _sdk_number(text, whole):
    """`text` as the SDK's settings read a number (pydantic: ASCII, spaces
    around allowed, `_` between digits, 1.0 is whole), or None."""
    if not text or any(ord(c) > 127 for c in text) or \
            whole and sum(c.isdigit() for c in text) > 4300:  # int()'s limit since 3.7.14
        return None
    try:
        if not whole:
            return float(text)
        if "." in text and "e" not in text.lower():
            head, _, tail = text.strip().lstrip("+-").partition(".")
            number = float(text) if head and tail else 0.5
            return int(number) if number == int(number) else None
        return int(text)
    except (ValueError, OverflowError):
        return None


def _sdk_value_problem(name, value):
    """What the SDK's setting `name` needs that the text `value` is not ("a
    whole number"); None when it takes it, or wblogin cannot tell."""
    kind = _SDK_SETTINGS.get(name, "s").split("|")
    kind, choices = kind[0], tuple(kind[1:])
    if choices:
        if value in choices or kind == "b" and value.lower() in _SDK_BOOLS:
            return None
        return "one of " + ", ".join(choices + (("yes", "no") if kind else ()))
    if kind == "b":
        ok = value.lower() in _SDK_BOOLS
    elif kind[0] in "if":
        number = _sdk_number(value, kind[0] == "i")
        ok = number is not None and not (kind[1:] == "0" and number < 0 or
                                         kind[1:] == "1" and number <= 0)
    elif kind == "u":
        ok = _sdk_url_problem(value) is None
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
        ok = kind != "x"    # s, and ? (what wblogin cannot tell) pass
    return None if ok else _SDK_KIND_NAMES[kind]


def _sdk_env_setting(variable):
    """The SDK setting a WANDB_* variable sets, or None."""
    if not variable.startswith("WANDB_"):
        return None
    if variable.startswith("WANDB__"):
        return "x_" + variable[7:].lower()
    return _SDK_ENV_NAMES.get(variable, variable[6:].lower())


class _SettingsState(object):
    """Both settings files as the SDK merges them. `files`: [(path, _Settings
    or None when absent, note)], global first; `merged`: option -> (value,
    path), workspace over global; `dropped`: (path, why) the SDK ignores both
    files; `fatal`: (path, problem) it stops on them."""

    def __init__(self, workspace, global_, files):
        self.workspace, self.global_, self.files = workspace, global_, files
        self.merged, self.dropped, self.fatal = {}, None, None
        for path, parsed, _ in files:
            self.fatal = (path, parsed.problem) if parsed and parsed.fatal else self.fatal
            self.merged.update((option, (value, path)) for option, value in (
                parsed and parsed.values or {}).items())
        for option, (value, path) in sorted(self.merged.items()):
            if option not in _SDK_SETTINGS:
                problem = "it does not know option %s" % _option_name(option)
            elif option == "base_url":
                problem = _sdk_url_problem(value) and "its base_url %s: %s" % (
                    _echo(value), _sdk_url_problem(value))
            else:
                needs = _sdk_value_problem(option, value)
                problem = needs and "%s = %s is not %s" % (_option_name(option),
                                                           _echo(value), needs)
            if problem and self.dropped is None:
                self.dropped = (path, problem)
        self.merged = {} if self.dropped else self.merged

    def stop(self):
        """Why the SDK stops with an error on these files, or None."""
        if self.fatal is None:
            return None
        path, (line, sentence) = self.fatal
        return sentence if sentence.startswith("the wandb SDK") else \
            "the wandb SDK stops with an error on %s%s: %s" % (
                path, " line %d" % line if line else "", sentence)

    def get(self, option):
        """(value, path) of an option the SDK takes from the files."""
        return self.merged.get(option, (None, None))


class _NetrcState(object):
    """The netrc file as the SDK would read it. `kind`: absent, ok, ignored (it
    reads no key from it), fatal (it stops) or hangs (it would wait forever);
    `problem` says why."""

    def __init__(self, path, text=None, encoding="utf-8", parsed=None, kind="absent",
                 problem=None):
        self.path, self.text, self.encoding = path, text, encoding
        self.parsed, self.kind, self.problem = parsed, kind, problem


class _Host(object):
    """The server: `url` as wblogin shows and stores it, `sdk_url` as the SDK
    holds it (its netrc lookup and settings match use that), where it came from,
    whether wblogin stores keys for it, and `spellings`: other names the SDK asks
    the netrc for, for this server (as WANDB_BASE_URL or a settings file writes it)."""

    def __init__(self, url, sdk_url, source, storable=True, spellings=()):
        self.url, self.sdk_url, self.source, self.storable = url, sdk_url, source, storable
        self.spellings = [name for name in spellings if name != _split_url(url).netloc]

    def machines(self, parsed=None):
        """The entries that hold the key: every name a logout removes, or, given the
        netrc as it is (`parsed`), the names a store writes: the host's and its
        spellings; for the cloud, api.wandb.ai (which every SDK reads) and Forge's
        name too when the file has an entry for it or a `default` entry, which wandb
        0.31 would send instead (it asks for Forge first, and gets `default`)."""
        names = [_split_url(self.url).netloc]
        if self.url == CLOUD_URL:
            forge = _FORGE_URL.partition("://")[2]
            if not (parsed and forge not in parsed.hosts and "default" not in parsed.hosts):
                names.append(forge)
        return names + [name for name in self.spellings if name not in names]

    def named_by(self, flags=None):
        """Where the host's name comes from, for messages: WANDB_BASE_URL or "base_url
        in FILE", or `flags` (None: --host, --cloud or default as they are)."""
        if self.source in ("--host", "--cloud", "default"):
            return flags or self.source
        return self.source if self.source == "WANDB_BASE_URL" else "base_url in " + \
            self.source


def _sdk_start_problem(env, settings):
    """Why the wandb SDK stops with an error before it looks for any key (its
    settings files and WANDB_* variables are loaded first), or None."""
    if settings.stop():
        return settings.stop()
    if "WANDB_BASE_URL" in env and _sdk_url_problem(env["WANDB_BASE_URL"]):
        return ("the wandb SDK stops with an error: WANDB_BASE_URL is set but %s; fix or "
                "unset it" % _sdk_url_problem(env["WANDB_BASE_URL"]))
    for variable, value in sorted(env.items()):
        setting = _sdk_env_setting(variable)
        needs = setting not in (None, "base_url", "api_key") and \
            _sdk_value_problem(setting, value)
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
    """A variable as the SDK reads it: set and not empty, or None. (Python 3.6
    in the C locale hands over surrogate escapes; the SDK reads UTF-8.)"""
    value = env.get(name)
    if value and re.search("[\udc80-\udcff]", value):
        try:
            value = value.encode("utf-8", "surrogateescape").decode("utf-8")
        except UnicodeError:
            pass
    return value or None


_Answer = namedtuple("_Answer", "key source kind stop warnings machine")
# What the SDK uses for a host: the key and its source (a variable or a path),
# the kind of source (env, token, netrc, default, settings), or `stop`: the
# sentence with which it refuses or fails; warnings; the netrc machine used.


def _sdk_answer(host, env, settings, netrc, command="wblogin"):
    """The key the wandb SDK sends to `host`, and from where; or why none.
    `command` is how the user runs wblogin, for hints."""
    warnings = []

    def answer(key=None, source=None, kind=None, stop=None, machine=None):
        return _found(_Answer(key, source, kind, stop, warnings, machine), command)
    stop = _sdk_start_problem(env, settings)
    if stop:
        return answer(stop=stop)
    if _env_value(env, "WANDB_API_KEY") is not None:
        return answer(_env_value(env, "WANDB_API_KEY"), "WANDB_API_KEY", "env")
    token_file = env.get("WANDB_IDENTITY_TOKEN_FILE")
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
    key, key_path = settings.get("api_key")
    if key and "WANDB_API_KEY" not in env:  # set but empty, it still hides this one
        base, base_source = _env_value(env, "WANDB_BASE_URL"), "WANDB_BASE_URL"
        if base is None:
            base, base_source = settings.get("base_url")
        if _sdk_url(base or _FORGE_URL) == host.sdk_url:
            if base and base_source != key_path:
                warnings.append("the api_key in %s is used for %s because base_url comes "
                                "from %s: settings in another file decide where that key "
                                "is sent" % (key_path, host.url, base_source))
            return answer(key, key_path, "settings")
    return answer()


def _netrc_answer(host, netrc, warnings):
    """(key, source, kind, None, machine) from the netrc, as the SDK finds it
    for `host`, or None."""
    parsed = netrc.parsed
    if parsed.open_quote is not None:
        warnings.append("%s line %d opens a quoted word that is never closed: Python's "
                        "netrc module reads the rest of the file as part of it"
                        % (netrc.path, _line_of(netrc.text, parsed.open_quote)))
    if parsed.stop is not None:
        warnings.append("%s line %d: an empty quoted word \"\" ends Python's reading of "
                        "the file; entries after it are ignored"
                        % (netrc.path, _line_of(netrc.text, parsed.stop)))
    found = [(m, parsed.authenticators(m)) for m in _sdk_lookups(host.sdk_url)
             if parsed.authenticators(m) is not None][:1]
    if not found:
        return None
    machine, (_, _, key) = found[0]
    by_default = machine not in parsed.hosts
    if not key:
        warnings.append("%s has an entry for %s with no password; the wandb SDK skips "
                        "it" % (netrc.path, "'default'" if by_default else machine))
        return None
    if by_default:
        warnings.append("the key comes from the 'default' entry of %s: the wandb SDK "
                        "sends that password to %s too" % (netrc.path, host.url))
        return key, netrc.path + " (default entry)", "default", None, "default"
    return key, netrc.path, "netrc", None, machine


def _found(answer, command):
    """`answer`, stopped when the SDK refuses the key it names."""
    problem = answer.key is not None and _sdk_key_problem(answer.key)
    if not problem:
        return answer
    store = "`%s --relogin` (or `%s - < key.txt`)" % (command, command)
    return answer._replace(key=None, stop=(
        "the API key in %s is not usable: %s The wandb SDK stops there; %s." % (
            answer.source, problem, {
                "env": "fix or unset WANDB_API_KEY",
                "netrc": "store a valid key with " + store,
                "default": "it is the password of the 'default' entry, which the SDK "
                           "sends to every host without an entry: store a key for this "
                           "host with " + store}.get(answer.kind,
                                                     "fix or remove api_key there"))))


# ==========================================================================
# Effects: messages
# ==========================================================================

class _Report(object):
    """Where the human lines go (stderr, each `wblogin: ...`), and the JSON
    result that carries the same facts (`warnings`)."""

    def __init__(self, stderr=None, result=None):
        if stderr is not None and not hasattr(stderr, "write"):
            raise UsageError("stderr must be a stream, not %s" % type(stderr).__name__)
        if result is not None and not isinstance(result, dict):
            raise UsageError("result must be a dict, not %s" % type(result).__name__)
        self.stream, self.result = stderr, {} if result is None else result
        for name, value in _new_result(self.result.get("action", "")).items():
            self.result.setdefault(name, value)

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
    """Write `text` (UTF-8) to stdout; False when it is closed or a broken pipe
    (then the real stdout is pointed at the null device, so that Python's exit
    does not complain about it)."""
    try:
        buffer = getattr(stdout, "buffer", stdout)
        buffer.write(text.encode("utf-8") if buffer is not stdout else text)
        buffer.flush()
        return True
    except (AttributeError, OSError, ValueError, TypeError):     # TypeError: a bytes stream
        if stdout is not None and stdout is sys.stdout:
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


# ==========================================================================
# Effects: the environment, paths, and the one gate for reading a file
# ==========================================================================

def _environ(env):
    """os.environ, or the caller's mapping, whose names and values are text."""
    if env is None:
        return os.environ
    if not hasattr(env, "get") or not hasattr(env, "items") or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in env.items()):
        raise UsageError("env must be a mapping of variable names to text values")
    return env


def _checked_path(path, what):
    """`path`, or UsageError when it cannot be a path (not text, a NUL, a
    character this system cannot put in a file name)."""
    if "\0" in _text(path, what):
        raise UsageError("%s contains a NUL character: not a path" % what)
    try:
        os.fsencode(path)
    except UnicodeError:
        raise UsageError("%s holds a character that cannot be in a file name here" % what)
    return path


def _home(env, os_name=None):
    """The home `~` means, as os.path.expanduser finds it but from `env`: HOME
    when set (even empty; USERPROFILE first on Windows), else the account's."""
    nt = (os.name if os_name is None else os_name) == "nt"
    home = env.get("USERPROFILE") or env.get("HOME") if nt else env.get("HOME")
    if home is not None:
        return _checked_path(home, "HOME")
    try:
        import pwd
        return pwd.getpwuid(os.getuid()).pw_dir
    except (ImportError, KeyError, AttributeError):
        return os.path.expanduser("~")


def _expand_user(path, env, what):
    """`~` and `~user` expanded as os.path.expanduser (and the SDK's pathlib)
    does, but `~` taken from `env`."""
    if not _checked_path(path, what).startswith("~"):
        return path
    cut = min([path.index(s) for s in "/\\"[:1 + (os.name == "nt")] if s in path] or
              [len(path)])
    if cut == 1:
        home = _home(env)
    else:
        try:
            import pwd
            home = pwd.getpwnam(path[1:cut]).pw_dir
        except (ImportError, KeyError):
            raise UsageError("%s names the home of user %s, who does not exist here"
                             % (_printable(path), _printable(path[1:cut])))
    return (home.rstrip("/\\") + path[cut:]) or "/"


def netrc_path(env=None, os_name=None, cwd=None):
    # type: (dict, str, str) -> str
    """Where the netrc file is, as the SDK finds it: NETRC (relative to `cwd`),
    else ~/.netrc or ~/_netrc when it exists (links followed), else the first."""
    env = _environ(env)
    if env.get("NETRC"):
        return _in_folder(cwd, _expand_user(env["NETRC"], env, "NETRC"))
    home = _home(env, os_name).rstrip("/\\") + os.sep
    for name in (".netrc", "_netrc"):
        if os.path.exists(home + name):
            return home + name
    return home + ("_netrc" if (os.name if os_name is None else os_name) == "nt" else
                   ".netrc")


def settings_paths(env=None, cwd=None):
    # type: (dict, str) -> tuple
    """(workspace settings path, global settings path), where the SDK reads
    them: ./wandb/settings (./.wandb/settings when ./.wandb exists) in the
    working directory (the SDK reads it before it looks at WANDB_DIR), or None
    when that directory no longer exists; WANDB_CONFIG_DIR or ~/.config/wandb."""
    env = _environ(env)
    try:
        root = os.getcwd() if cwd is None else _checked_path(cwd, "the working directory")
    except OSError:
        root = None
    hidden = root and os.path.join(root, ".wandb")
    workspace = root and os.path.join(hidden if os.path.exists(hidden) else
                                      os.path.join(root, "wandb"), "settings")
    folder = _expand_user(env.get("WANDB_CONFIG_DIR") or "~/.config/wandb", env,
                          "WANDB_CONFIG_DIR")
    return workspace, os.path.join(_in_folder(root, folder), "settings")


def _in_folder(cwd, path):
    """`path`, relative ones taken from `cwd` (a library caller's working folder);
    on Windows with backslashes only, as the SDK's pathlib writes it."""
    path = path if cwd is None or os.path.isabs(path) else os.path.join(cwd, path)
    return os.path.normpath(path) if os.name == "nt" else path


class _NotAFile(OSError):
    """A path that is a device, FIFO, socket or directory: never read in a way
    that can block, never replaced."""

    def __init__(self, path, mode):
        import stat
        kinds = [(stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO"),
                 (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
                 (stat.S_ISSOCK, "a socket")]
        self.path = path
        self.kind = ([name for test, name in kinds if test(mode)] +
                     ["not a regular file"])[0]
        OSError.__init__(self, "%s is %s" % (path, self.kind))
        self.strerror = "it is %s, not a regular file" % self.kind


def _never_ends(error):
    """What the SDK does with a FIFO or a device other than the null device in
    place of a file it reads, or None."""
    if error.kind == "a FIFO":
        return "the wandb SDK would wait forever reading %s: it is a FIFO" % error.path
    if error.kind == "a character device" and os.path.realpath(error.path) != os.devnull:
        return "the wandb SDK would wait on %s, or read it forever: it is a character " \
               "device" % error.path
    return None


def _regular_or_absent(path):
    """The gate: its stat when `path` (links followed) is a regular file, None
    when it does not exist, else _NotAFile."""
    import stat
    try:
        info = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return None     # absent, or a dangling link whose target can be made
    if not stat.S_ISREG(info.st_mode):
        raise _NotAFile(path, info.st_mode)
    return info


def _read_regular(path, limit):
    """The bytes of a regular file, or None when it does not exist. Opened
    without blocking and checked again once open, so that a FIFO or a device
    swapped in at the last moment is refused, never waited on.

    Raises:
        _NotAFile: not a regular file. OSError: unreadable, or over `limit`.
    """
    import errno
    import time
    if _regular_or_absent(path) is None:
        return None
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | \
        getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    try:    # (on Windows, refused for a moment while another login replaces it)
        fd = _retried(lambda: os.open(path, flags), time.monotonic() + 1)
    except (FileNotFoundError, NotADirectoryError):
        return None
    try:
        import stat
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise _NotAFile(path, os.fstat(fd).st_mode)
        chunks, size = [], 0
        while size <= limit:
            chunks.append(os.read(fd, min(1 << 20, limit + 1 - size)))
            if not chunks[-1]:
                return b"".join(chunks)
            size += len(chunks[-1])
        raise OSError(errno.EFBIG, "it is larger than %d MiB, too large to be one"
                      % (limit >> 20), path)
    finally:
        os.close(fd)


def _decode(data):
    """Text as Python's readers get it: UTF-8, else the locale's encoding (the
    netrc module's fallback). (text, encoding), or (None, sentence)."""
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as error:
        bad = error.start
    try:    # what open(encoding="locale") takes, also in UTF-8 mode
        import codecs
        import locale
        encoding = locale.nl_langinfo(locale.CODESET) if hasattr(
            locale, "nl_langinfo") else locale.getpreferredencoding(False)
        if encoding and codecs.lookup(encoding).name != "utf-8":
            return data.decode(encoding), encoding
    except (LookupError, ValueError):
        pass
    return None, "line %d is not UTF-8 text" % (data.count(b"\n", 0, bad) + 1)


def _read_settings_files(env, cwd, report):
    """Both settings files, read once, as a _SettingsState."""
    workspace, global_ = settings_paths(env, cwd)
    if workspace is None:
        report.warn("the working directory no longer exists: no workspace settings "
                    "file is read")
    files = []
    for path in [p for p in (global_, workspace) if p]:
        note = parsed = data = None
        try:
            data = _read_regular(path, _MAX_SETTINGS_BYTES)
        except _NotAFile as error:
            note = "%s is %s, not a settings file; it is not read" % (path, error.kind)
            if _never_ends(error):      # configparser would wait on it, or read forever
                note, parsed = None, _Settings(None, (None, _never_ends(error)), True)
        except OSError as error:
            note = "cannot read settings file %s: %s" % (path, error.strerror or error)
        if data is not None:
            text, why = _decode(data)
            parsed = _read_settings(text) if text is not None else \
                _Settings(None, (None, why), True)
            if parsed.problem and not parsed.fatal:
                note = "the wandb SDK ignores settings file %s (%s%s)" % (
                    path, "line %d: " % parsed.problem[0] if parsed.problem[0] else "",
                    parsed.problem[1])
        if note:
            report.warn(note)
        files.append((path, parsed, note))
    state = _SettingsState(workspace, global_, files)
    if state.dropped is not None:
        report.warn("the wandb SDK ignores both settings files because of %s: %s; fix "
                    "or remove that line" % state.dropped)
    return state


def _read_netrc_file(path, want):
    """The netrc file as a _NetrcState, parsed with positions for `want`."""
    try:
        data = _read_regular(path, _MAX_NETRC_BYTES)
    except _NotAFile as error:
        if _never_ends(error):
            return _NetrcState(path, kind="hangs", problem=_never_ends(error))
        if error.kind == "a character device":      # the null device: an empty file
            return _NetrcState(path, "", parsed=parse_netrc("", want), kind="ok")
        return _NetrcState(path, kind="ignored", problem="%s is %s, not a file; the "
                           "wandb SDK reads no key from it" % (path, error.kind))
    except OSError as error:
        return _NetrcState(path, kind="ignored", problem="cannot read %s (%s); the wandb "
                           "SDK reads no key from it" % (path, error.strerror or error))
    if data is None:
        return _NetrcState(path)
    text, encoding = _decode(data)
    if text is None:
        return _NetrcState(path, kind="fatal", problem="the wandb SDK stops with an "
                           "error reading %s: %s" % (path, encoding))
    parsed = parse_netrc(text, want)
    if parsed.error is not None:
        return _NetrcState(path, text, encoding, parsed, "ignored", (
            "%s line %d: %s; Python's netrc module cannot read the file, so the wandb "
            "SDK reads no key from it" % (path, _line_of(text, parsed.error[0]),
                                          parsed.error[1])))
    return _NetrcState(path, text, encoding, parsed, "ok")


# ==========================================================================
# Effects: the one writer (a lock, a private temporary file, fsync, replace)
# ==========================================================================

def _give_owner(fd, info):
    """Give an open file the owner and group in `info` (a stat), if we can: as
    root under sudo with the user's HOME, root-owned files there would lock the
    user out of their own credentials."""
    if info is not None and hasattr(os, "fchown") and \
            (os.fstat(fd).st_uid, os.fstat(fd).st_gid) != (info.st_uid, info.st_gid):
        try:
            os.fchown(fd, info.st_uid, info.st_gid)
        except OSError:
            pass


def _lock(path, owner):
    """An exclusive advisory lock on `path`: (descriptor, locked).

    POSIX record locks (lockf) work on NFS and parallel file systems, where
    most HPC homes live; msvcrt locks a byte on Windows. Where nothing locks
    (no fcntl or msvcrt, or ENOLCK: NFS without its lock daemon) we go on
    unlocked: the atomic replace still keeps the file whole, and waiting for a
    lock no one holds would only end in a false "another login is writing".
    """
    import errno
    import stat
    import time
    flags = os.O_RDWR | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOFOLLOW", 0) | \
        getattr(os, "O_NONBLOCK", 0)
    try:
        # Only a lock file we create gets the owner of what it guards: one that
        # is there already may be a link planted to make root chown another file.
        fd = os.open(path, flags | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        fd, owner = os.open(path, flags), None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise _NotAFile(path, os.fstat(fd).st_mode)
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
        deadline = time.monotonic() + _LOCK_WAIT
        while True:
            try:
                attempt()
                return fd, True
            except OSError as error:
                # msvcrt's errors all mean "held" (wine's say errno 0)
                if error.errno not in (errno.EACCES, errno.EAGAIN, errno.EDEADLK) and \
                        os.name != "nt":
                    return fd, False
            if time.monotonic() >= deadline:
                raise StorageError("gave up after %g s waiting for the lock %s: another "
                                   "login is still writing (or hung); try again"
                                   % (_LOCK_WAIT, path), path=path)
            time.sleep(0.02)
    except BaseException:
        os.close(fd)
        raise


def _update_file(path, change, report, limit, private=True, replaced=None):
    """Read, change and atomically replace a file, under its advisory lock.

    `change(old bytes or None)` returns the new bytes, or None to leave the file
    alone. They go to a temporary file in the same folder, created 0600, synced,
    then renamed over the target: a reader (or a crash) sees the old file or the
    new one, never a mix. Other programs write without a lock (the SDK empties
    the file, then writes it): a file written a moment ago by anyone but wblogin
    (whose last write the lock file notes) is read again once it is quiet, and
    is replaced only while it still is what was read. It ends 0600
    when `private` or when it holds an `api_key`. A link stays (its target is
    replaced), but root does not follow one that someone else owns. `replaced()`
    runs right after the rename, with Ctrl-C held back. True when written.
    """
    import time
    if os.path.islink(path) and getattr(os, "geteuid", lambda: 1)() == 0 and \
            os.lstat(path).st_uid != 0:
        raise PermissionError(1, "it is a link another user owns, which root does not "
                                 "follow", path)
    target = os.path.realpath(path) if os.path.islink(path) else path
    folder, base = os.path.dirname(target) or ".", os.path.basename(target)
    lock_fd, locked = _lock(target + ".lock", _regular_or_absent(target))
    deadline, temp = time.monotonic() + _LOCK_WAIT, None
    try:
        # Leftovers of killed writers: they held this lock, so none still runs.
        for name in os.listdir(folder) if locked else ():
            if name.startswith("." + base + ".") and name.endswith(".wblogin-tmp"):
                _unlink(os.path.join(folder, name))
        while True:
            old = _read_regular(target, limit)
            info = os.stat(target) if old is not None else None
            # Written a moment ago, by anyone but wblogin: half-written, perhaps.
            if info and 0 <= time.time() - info.st_mtime < 0.1 and time.monotonic() < \
                    deadline and _lock_note(lock_fd) != _signature(info):
                time.sleep(0.05)
                continue
            new = change(old)
            if new is None:
                return False
            keeps = not private and info is not None and b"api_key" not in new.lower()
            mode = info.st_mode & 0o777 if keeps else 0o600
            temp = _write_temp(folder, base, new, mode, info)
            if _read_regular(target, limit) == old:
                break
            _unlink(temp)
            if time.monotonic() > deadline:
                raise StorageError("%s kept changing while wblogin wrote it (another "
                                   "program writing it?); try again" % target, path=target)
            time.sleep(0.05)
        with _signals_held():
            _retried(lambda: os.replace(temp, target), deadline)
            temp = None
            if replaced:
                replaced()
        _lock_note(lock_fd, _signature(os.stat(target)))
        try:
            fd = os.open(folder, os.O_RDONLY)
            os.fsync(fd)
            os.close(fd)
        except OSError:
            pass    # Windows cannot open a folder; its rename is durable enough
        if info is not None and info.st_mode & 0o077 and mode == 0o600 and os.name != "nt":
            report.warn("%s was readable by others (mode %04o); it is now 0600"
                        % (target, info.st_mode & 0o777))
        return True
    finally:
        if temp is not None:
            _unlink(temp)
        os.close(lock_fd)


def _retried(call, deadline):
    """call(), retried on Windows until `deadline` (time.monotonic()) while it
    raises PermissionError (WinError 5): another process has the file open, or
    is replacing it, at this instant."""
    import time
    while True:
        try:
            return call()
        except PermissionError:
            if os.name != "nt" or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def _signature(info):
    """What tells one version of a file from another, as the lock file records it."""
    return b"%d %d %d\n" % (info.st_ino, info.st_size, info.st_mtime_ns)


def _lock_note(fd, note=None):
    """What the lock file says (the signature of wblogin's last write); or say `note`."""
    os.lseek(fd, 0, 0)
    if note is None:
        return os.read(fd, 64)
    os.ftruncate(fd, 0)
    os.write(fd, note)


def _write_temp(folder, base, data, mode, info):
    """A new private file beside the target holding `data`, synced: its path."""
    temp = os.path.join(folder, ".%s.%d.%s.wblogin-tmp" % (base, os.getpid(),
                                                           os.urandom(4).hex()))
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) |
                 getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0), 0o600)
    try:
        if hasattr(os, "fchmod"):
            os.fchmod(fd, mode)
        _give_owner(fd, info)
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        _unlink(temp)
        raise
    os.close(fd)
    return temp


def _unlink(path):
    try:
        os.unlink(path)
    except OSError:
        pass


class _signals_held(object):
    """Ctrl-C, SIGTERM and SIGHUP held back while a file is replaced and the
    result says so: what is said after an interruption is then true."""

    def __enter__(self):
        import signal
        self.held = getattr(signal, "pthread_sigmask", None) and signal.pthread_sigmask(
            signal.SIG_BLOCK, [signal.SIGINT, signal.SIGTERM, signal.SIGHUP])

    def __exit__(self, *exc):
        import signal
        if self.held is not None:
            signal.pthread_sigmask(signal.SIG_SETMASK, self.held)


def _os_reason(error, path):
    """Why a write of `path` failed, naming the lock or temporary file beside
    it when that is what failed."""
    if isinstance(error, _NotAFile):
        return ("%s is %s, not wblogin's lock file; remove it" if error.path.endswith(
            ".lock") else "%s is %s, not a regular file: wblogin never replaces it") % (
                error.path, error.kind)
    if isinstance(error, LoginError):
        return error.message
    culprit = getattr(error, "filename", None)
    reason = error.strerror or str(error)
    return "%s: %s" % (culprit, reason) if culprit and culprit != path else reason


# ==========================================================================
# Effects: checking a key with the server (--verify)
#
# The standard library's HTTP client does the work: DNS, sockets, TLS, proxy
# tunnels, chunked replies. Around it, what it lacks: one deadline for the
# whole check, kept by running the check in a thread that is given up on
# (sockets shut) when the time is spent, so that no DNS lookup, CA file,
# handshake or trickling server outlasts it; and replies read a piece at a
# time up to a bound (its read(n) follows a negative chunk size to the end).
# ==========================================================================

_VIEWER_QUERY = "query Viewer { viewer { id entity username email teams { edges { " \
    "node { name } } } } }"
_Proxy = namedtuple("_Proxy", "host port headers variable")


def _judge_reply(host, status, content_type, body):
    """The viewer a reply to the Viewer query names: {id, entity, username,
    email, teams}. KeyRejectedError for 401/403 or `viewer: null`; ServerError
    for anything that is not the W&B API answering."""
    if status in (401, 403):
        raise KeyRejectedError("HTTP %d" % status, host=host)
    if status >= 500:
        raise ServerError("%s answered HTTP %d (a server error); try again later or ask "
                          "its administrator" % (host, status), host=host)
    if status == 404:
        raise ServerError("%s/graphql answered HTTP 404: no W&B API there (a wrong path "
                          "after the host name?)" % host, host=host)
    if "html" in content_type.lower() or body.lstrip()[:64].lower().startswith(
            (b"<!doctype", b"<html")):
        raise ServerError("%s/graphql answered HTTP %d with an HTML page, not the W&B API "
                          "(a wrong URL, or the login page of an SSO proxy?)"
                          % (host, status), host=host)
    if status != 200:
        raise ServerError("%s/graphql answered HTTP %d, which the W&B API does not"
                          % (host, status), host=host)
    import json
    try:    # json.loads stops deep nesting at the recursion limit
        answer = json.loads(body.decode("utf-8")) if len(body) <= _MAX_REPLY_BYTES else None
    except (ValueError, RecursionError):
        answer = None
    if answer is None:
        raise ServerError("%s/graphql answered HTTP 200 with something that is not JSON "
                          "the W&B API sends (is this a W&B server?)" % host, host=host)
    if not isinstance(answer, dict) or not isinstance(answer.get("data"), dict) or \
            "viewer" not in answer["data"]:
        raise ServerError("%s/graphql answered JSON without data.viewer (is this a W&B "
                          "server?)" % host, host=host)
    viewer = answer["data"]["viewer"]
    if not isinstance(viewer, dict):
        raise KeyRejectedError("the server knows no viewer for it", host=host)
    shown = dict((field, _printable(viewer[field], 100) if isinstance(
        viewer.get(field), str) else None) for field in ("id", "entity", "username",
                                                         "email"))
    # Teams are only shown: a reply of another shape gives fewer names.
    edges = (viewer.get("teams") or {}).get("edges") if isinstance(
        viewer.get("teams"), dict) else None
    nodes = [e.get("node") for e in edges if isinstance(e, dict)] if isinstance(
        edges, list) else []
    shown["teams"] = [_printable(node["name"], 100) for node in nodes if isinstance(
        node, dict) and isinstance(node.get("name"), str) and node["name"]]
    return shown


def _env_proxy(url, env):
    """The proxy `env` names for `url` (a _Proxy or None), as urllib reads
    proxies from os.environ: lower-case names win, HTTP_PROXY is ignored under
    CGI, NO_PROXY by urllib's own rule."""
    proxies, names = {}, {}
    for lower_only in (False, True):
        for variable, value in env.items():
            scheme = variable.lower()[:-6]
            if variable.lower().endswith("_proxy") and (value or lower_only) and (
                    not lower_only or variable.endswith("_proxy")):
                proxies[scheme], names[scheme] = value, variable
        if not lower_only and "REQUEST_METHOD" in env:
            proxies.pop("http", None)
    proxies = dict((k, v) for k, v in proxies.items() if v)
    scheme = url.partition(":")[0]
    if scheme not in proxies:
        return None
    if "no" in proxies:
        import urllib.request
        if urllib.request.proxy_bypass_environment(_split_url(url).netloc, proxies):
            return None
    value, variable = proxies[scheme], names[scheme]
    try:
        proxy = _split_url(value if "://" in value else "http://" + value)
        port = int(proxy.port or 80)
        if not proxy.host or not 0 < port < 65536:
            raise ValueError(value)
        _storable("http://" + proxy.host, variable)
    except (ValueError, UsageError):
        raise UsageError("%s is not a proxy URL like http://proxy.example:3128" % variable)
    headers = {}
    if proxy.user is not None:
        import base64
        from urllib.parse import unquote
        user, _, password = proxy.user.partition(":")
        headers["Proxy-Authorization"] = "Basic " + base64.b64encode((
            "%s:%s" % (unquote(user), unquote(password))).encode()).decode("ascii")
    return _Proxy(proxy.host.lower(), port, headers, variable)


def _ssl_context(env, report):
    """A TLS context whose CA certificates come from `env` only:
    REQUESTS_CA_BUNDLE, else SSL_CERT_FILE / SSL_CERT_DIR, else the system's
    (OpenSSL's own default would read the process's SSL_CERT_FILE, which a
    library caller's `env` may have left out)."""
    import ssl
    bundle = env.get("REQUESTS_CA_BUNDLE") or None
    named = [("REQUESTS_CA_BUNDLE", bundle)] if bundle else [
        (name, env.get(name)) for name in ("SSL_CERT_FILE", "SSL_CERT_DIR")]
    for name, value in named:
        if value and not os.path.exists(value):
            raise UsageError("%s names %s, which does not exist" % (
                name, _printable(value)), path=value)
    cafile, capath = (None, bundle) if bundle and os.path.isdir(bundle) else (
        bundle, None) if bundle else (env.get("SSL_CERT_FILE") or None,
                                      env.get("SSL_CERT_DIR") or None)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    try:
        if not (cafile or capath) and os.name == "nt":
            context.load_default_certs()
        elif not (cafile or capath):
            paths = ssl.get_default_verify_paths()
            cafile = paths.openssl_cafile if os.path.isfile(paths.openssl_cafile or "") \
                else None
            capath = paths.openssl_capath if os.path.isdir(paths.openssl_capath or "") \
                else None
        if cafile:
            _regular_or_absent(cafile)      # a FIFO there would block
        if cafile or capath:
            context.load_verify_locations(cafile=cafile, capath=capath)
    except (ssl.SSLError, OSError) as error:
        raise UsageError("cannot load CA certificates from %s: %s" % (_printable(
            cafile or capath or "the system"), _printable(getattr(
                error, "strerror", None) or error)))
    if env.get("WANDB_INSECURE_DISABLE_SSL", "").strip().lower() in ("1", "true", "yes",
                                                                     "on"):
        report.result["warnings"].append(
            "WANDB_INSECURE_DISABLE_SSL is set: the server's certificate is NOT checked; "
            "anyone on the path can read your key")
        report.say("WARNING: " + report.result["warnings"][-1])
        context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
    return context


def _post(url, request, context, proxy, timeout, opened):
    """One POST with http.client: (status, headers, body, read up to the bound).
    Each socket is added to `opened`, for the deadline to shut."""
    import http.client
    parts = _split_url(url)
    https, body, headers = parts.scheme == "https", request[0], dict(request[1])
    target = (parts.host, int(parts.port or (443 if https else 80)))
    address = proxy[:2] if proxy else target
    connection = http.client.HTTPSConnection(*address, timeout=timeout, context=context) \
        if https else http.client.HTTPConnection(*address, timeout=timeout)
    path = parts.path or "/"
    if proxy and https:
        connection.set_tunnel(target[0], target[1], headers=proxy.headers)
    elif proxy:
        path = url
        headers.update(proxy.headers)
    try:
        connection.connect()
        opened.append(connection.sock)
        connection.request("POST", path, body=body, headers=headers)
        reply, data = connection.getresponse(), b""
        while len(data) <= _MAX_REPLY_BYTES:
            piece = reply.read1(1 << 16)
            if not piece:
                break
            data += piece
        return reply.status, reply.msg, data
    finally:
        connection.close()


def _within(seconds, work, opened):
    """work() run in a thread and given up on after `seconds`: its result, its
    error, or socket.timeout (then every socket in `opened` is shut, so that the
    thread ends soon too)."""
    import socket
    import threading
    box = {}

    def run():
        try:
            box["result"] = work()
        except BaseException as error:     # handed to the waiting thread
            box["error"] = error
    thread = threading.Thread(target=run, name="wblogin --verify")
    thread.daemon = True
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        for sock in list(opened):
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        raise socket.timeout("the %g s budget ran out" % seconds)
    if "error" in box:
        raise box["error"]
    return box["result"]


def _network_error(host, error, timeout, where, proxy=None):
    """A connection failure as a one-line ServerError; `where` says where the
    host came from, for the hint ("--host", "base_url in <file>")."""
    import socket
    import ssl
    netloc, detail = _split_url(host).netloc, _printable(
        getattr(error, "strerror", None) or error, 120)
    if proxy and (isinstance(error, (socket.gaierror, ConnectionRefusedError)) or
                  "Tunnel" in str(error)):
        text = "cannot reach the proxy %s:%d that %s names (%s); check or unset %s" % (
            proxy.host, proxy.port, proxy.variable, detail, proxy.variable)
    elif isinstance(error, socket.gaierror):
        text = "cannot resolve %s: no such host (check %s, or your DNS)" % (
            _split_url(host).host, where)
    elif isinstance(error, ConnectionRefusedError):
        text = "connection to %s refused: nothing is listening there (is the server " \
               "running, and is the port right?)" % netloc
    elif isinstance(error, (socket.timeout, TimeoutError)):
        text = "no answer from %s within %g s (a firewall, a proxy, or a down server? " \
               "raise --timeout if it is only slow)" % (netloc, timeout)
    elif isinstance(error, (ssl.SSLError, ssl.CertificateError)):
        detail = _printable(getattr(error, "verify_message", None) or getattr(
            error, "reason", None) or error, 120)
        code = getattr(error, "verify_code", None)
        if code == 62 or "hostname" in detail.lower() or "match" in detail.lower():
            text = "the TLS certificate of %s is for another host name (%s); check %s" % (
                netloc, detail, where)
        elif code is not None or "CERTIFICATE_VERIFY_FAILED" in str(error):
            text = "the TLS certificate of %s could not be verified (%s); point " \
                   "REQUESTS_CA_BUNDLE or SSL_CERT_FILE at your CA bundle" % (netloc, detail)
        else:
            text = "TLS handshake with %s failed (%s); is it an https server?" % (
                netloc, detail)
    else:
        text = "cannot reach %s: %s" % (netloc, detail)
    return ServerError(text, host=host)


def _verify_api_key(host, key, timeout, env, report, where):
    """verify_api_key() for a normalised `host`; `where` names where the host
    came from, for hints."""
    import base64
    import json
    import time
    timeout = _DEFAULT_TIMEOUT if timeout is None else _seconds(timeout, "timeout")
    problem = _sdk_key_problem(key) if isinstance(key, str) else "API key is no text."
    if problem:
        raise InvalidKeyError(problem)
    proxy = _env_proxy(host, env)
    if proxy and host.startswith("http:") and not _is_loopback("http://" + (
            "[%s]" % proxy.host if ":" in proxy.host else proxy.host)):
        report.warn("the request goes through the proxy %s:%d that %s names, and plain "
                    "http: the API key travels unencrypted to it"
                    % (proxy.host, proxy.port, proxy.variable))
    request = (json.dumps({"query": _VIEWER_QUERY, "operationName": "Viewer"}).encode(), {
        "Authorization": "Basic " + base64.b64encode(("api:" + key).encode()).decode(),
        "Content-Type": "application/json", "Accept": "application/json",
        "User-Agent": "wblogin/" + __version__})
    budget, opened = (time.monotonic() + timeout, timeout), []
    try:
        return _within(timeout, lambda: _check(host, request, env, report, proxy, budget,
                                               opened), opened)
    except KeyRejectedError as error:
        raise KeyRejectedError("the server at %s rejected the API key %s (%s)" % (
            host, mask_api_key(key), error.message), host=host)
    except (OSError, ValueError) as error:
        raise _network_error(host, error, timeout, where, proxy)


def _check(host, request, env, report, proxy, budget, opened):
    """The check, in the deadline's thread: three attempts in all, with backoff
    (a short Retry-After honoured), and same-origin 307/308 redirects.
    `budget` is (the deadline, the seconds it allows)."""
    import http.client
    import time
    context = _ssl_context(env, report) if host.startswith("https:") else None
    url, hops, attempt, netloc = host + "/graphql", 0, 0, _split_url(host).netloc
    while True:
        attempt, failure, retry_after = attempt + 1, None, None
        try:
            status, headers, data = _post(url, request, context, proxy, max(
                budget[0] - time.monotonic(), 0.01), opened)
        except (ConnectionResetError, ConnectionAbortedError, BrokenPipeError,
                http.client.BadStatusLine, http.client.IncompleteRead):
            failure = ServerError("%s closed the connection without a complete answer%s"
                                  % (netloc, "; if it is an https server, use https://"
                                     if url.startswith("http:") else ""), host=host)
        except http.client.HTTPException:
            raise ServerError("%s sent an answer that is not HTTP the W&B API speaks "
                              "(headers too long or malformed)" % netloc, host=host)
        else:
            if status in (429, 502, 503, 504):
                failure = ServerError("%s answered HTTP %d (busy or down) %d times; try "
                                      "again later" % (netloc, status, attempt), host=host)
                retry_after = _ascii_int((headers.get("Retry-After") or "").strip(), 6)
        if failure is not None:
            delay = 0.5 * 2 ** (attempt - 1) if retry_after is None else min(
                float(retry_after), _MAX_RETRY_AFTER)
            if attempt < 3 and time.monotonic() + delay >= budget[0] and \
                    retry_after is not None:
                raise ServerError("%s answered HTTP %d and asked to be retried in %g s, "
                                  "beyond the %g s budget; try again later, or raise "
                                  "--timeout" % (netloc, status, delay, budget[1]),
                                  host=host)
            if attempt >= 3 or time.monotonic() + delay >= budget[0]:
                raise failure
            time.sleep(delay)
        elif 300 <= status < 400:
            url, hops = _redirect(host, url, status, headers.get("Location") or "", hops)
            attempt -= 1
        else:
            return _judge_reply(host, status, headers.get("Content-Type") or "", data)


def _redirect(host, url, status, location, hops):
    """(the next URL, hops so far) for a same-origin 307 or 308 to a URL wblogin
    accepts itself; any other redirect is reported, never followed: the key
    never goes elsewhere."""
    from urllib.parse import urljoin
    if not location.strip():
        raise ServerError("%s answered HTTP %d, a redirect without a Location; is it a "
                          "W&B server?" % (host, status), host=host)
    try:
        location = urljoin(url, location)
        follow = status in (307, 308) and "?" not in location and \
            normalize_host(location).partition("://")[2].partition("/")[0] == \
            normalize_host(url).partition("://")[2].partition("/")[0] and \
            location.partition(":")[0].lower() == url.partition(":")[0]
    except (ValueError, UsageError):
        follow = False
    if follow and hops < 5:
        return location, hops + 1
    if follow:
        raise ServerError("%s kept redirecting (more than 5 redirects, the last to %s); "
                          "is it a W&B server?" % (host, _printable(location)), host=host)
    try:
        suggestion = normalize_host(location[:-len("/graphql")] if location.endswith(
            "/graphql") else location)
    except UsageError:
        raise ServerError("server redirected to %s, which is not a URL wblogin can use; "
                          "is it a W&B server?" % _printable(_without_password(location)),
                          host=host)
    if suggestion == host:
        raise ServerError("%s answered HTTP %d, a redirect to itself (%s); is it a W&B "
                          "server, or a proxy that wants a login first?"
                          % (host, status, _printable(location)), host=host)
    raise ServerError("server redirected to %s; try --host %s" % (suggestion, suggestion),
                      host=host)


# ==========================================================================
# The login flow: the world read once per action (_Run), and what it asks
# ==========================================================================

_RESULT_FIELDS = ("ok", "action", "host", "host_source", "key_source", "key", "netrc",
                  "netrc_mode", "stored", "removed", "verified", "user", "entity", "email",
                  "teams", "settings", "settings_updated", "exports", "servers",
                  "sdk_version", "warnings", "error", "version")


def _new_result(action):
    result = dict.fromkeys(_RESULT_FIELDS)
    result.update(ok=False, action=action, stored=False, verified=False, warnings=[],
                  settings_updated=[], version=__version__)
    return result


def _resolve(host, cloud, env, settings, lookup=False):
    """The _Host to log in to: `host` (a URL, or a bare host name), --cloud,
    WANDB_BASE_URL, the merged settings base_url, else the cloud.

    With `lookup` (nothing is going to be stored), a URL from the SDK's own
    configuration that wblogin would not store a key for is taken as the SDK
    takes it."""
    if host is not None and cloud:
        raise UsageError("--cloud and --host exclude each other")
    value, source = host, "--host"
    if host is not None:
        value = _as_url(host)
    elif not cloud:
        value, source = env.get("WANDB_BASE_URL", ""), "WANDB_BASE_URL"
        if not value.strip():
            value, source = settings.get("base_url")
    if not value:
        return _Host(CLOUD_URL, _FORGE_URL, "--cloud" if cloud else "default")
    # The SDK keeps a URL as it was written: `wandb login --host HTTP://x` asks
    # the netrc for "x" as written, and compares "HTTP://x" with base_url.
    sdk = _sdk_url(value.strip())
    try:
        url = normalize_host(value, source if source in ("--host", "WANDB_BASE_URL")
                             else "base_url in %s" % source)
    except UsageError:
        if source == "--host" or not lookup:
            raise
        if _sdk_url_problem(value):
            raise LoginError("the wandb SDK stops with an error: %s is %s, but %s; fix or "
                             "unset it" % (source, _echo(value), _sdk_url_problem(value)))
        return _Host(_printable(_without_password(sdk), 2000), sdk, source, False)
    url = CLOUD_URL if url == _FORGE_URL else url
    # After a store the SDK asks the netrc for its base_url as written: ours (a
    # --host is written to the settings), or the variable's or the file's spelling.
    spelling = sdk if source != "--host" else _sdk_url(env.get("WANDB_BASE_URL", "").strip())
    try:
        same = spelling and normalize_host(spelling) in (url, _FORGE_URL if url ==
                                                          CLOUD_URL else url)
    except UsageError:
        same = False
    return _Host(url, sdk, source, spellings=[_split_url(spelling).netloc] if same else [])


def _as_url(host):
    """A caller's host as URL text: a bare host name means https://name."""
    if not isinstance(host, str):
        raise UsageError("the host must be a URL or a host name, not %s"
                         % type(host).__name__)
    return host if "://" in host else "https://" + host.strip()


class _Run(object):
    """One action's view of the world, read once: the settings files, the host,
    the netrc file, what the SDK makes of them; and how to word a hint."""

    def __init__(self, action, host, cloud, env, cwd, netrc, stderr, result, prog):
        if prog is not None and not isinstance(prog, str):
            raise UsageError("prog must be text, not %s" % type(prog).__name__)
        self.env, self.prog = _environ(env), prog or "wblogin"
        self.report = _Report(stderr, _new_result(action) if result is None else result)
        self.result = self.report.result
        self.result["action"] = action
        self.settings = _read_settings_files(self.env, cwd, self.report)
        self.host = _resolve(host, cloud, self.env, self.settings,
                             lookup=action in ("status", "print-key", "list"))
        self.path = netrc_path(self.env, cwd=cwd) if netrc is None else \
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
                self.report.warn("WANDB_BASE_URL is set to %s: the wandb SDK uses that "
                                 "server, not %s, until you unset it or set it to %s"
                                 % (_echo(override), self.host.url, self.host.url))
        self.netrc = _read_netrc_file(self.path, set(self.host.machines()))
        self._answer = None

    def command(self):
        """The command the user runs, with the flag that names this host."""
        return self.prog + {"--host": " --host " + self.host.url,
                            "--cloud": " --cloud"}.get(self.host.source, "")

    def app(self):
        return app_url(self.host.url, self.env)

    def answer(self, stdin=None, action=None):
        """The SDK's answer for this host, its warnings said once; with `action`,
        only an answer that names a key (else the LoginError that fits)."""
        if self._answer is None:
            self._answer = _sdk_answer(self.host, self.env, self.settings, self.netrc,
                                       self.command())
            for warning in self._answer.warnings:
                self.report.warn(warning)
        answer = self._answer
        if action and answer.stop:
            raise LoginError(answer.stop)
        if action and answer.key is None and answer.kind != "token":
            raise NoCredentialsError(_no_key_message(self, stdin, action))
        if answer.key is not None or answer.kind == "token":
            self.result.update(key=answer.key and mask_api_key(answer.key),
                               key_source=answer.source)
        return answer

    def found(self, verify, timeout):
        """Say where the key the SDK uses comes from; check it if asked."""
        answer = self._answer
        if answer.kind == "token":
            self.report.say("the wandb SDK authenticates with the identity token file "
                            "in WANDB_IDENTITY_TOKEN_FILE (%s), not an API key"
                            % _printable(self.env["WANDB_IDENTITY_TOKEN_FILE"]))
        elif verify:
            self.report.say("logged in to %s %s, with API key %s from %s" % (
                self.host.url, _verify(self, answer.key, answer.source, timeout),
                mask_api_key(answer.key), answer.source))


def _netrc_rewrite(path, host, key, report, cached=None):
    """Store `key` for `host` (or, key None, remove its entries) under the lock;
    returns (entries replaced or removed, the new _NetrcState)."""
    done, verb = {}, "removed from" if key is None else "stored in"
    problem = cached and cached.parsed and _netrc_problem(cached.text, cached.parsed)
    if problem:     # refused before a lock file is made for nothing
        raise StorageError("nothing was %s %s: %s; fix that, or set NETRC=<another "
                           "file>" % (verb, path, problem), path=path)

    def change(data):
        text, encoding = ("", "utf-8") if data is None else _decode(data)
        if text is None:
            raise StorageError("%s, which Python's netrc module (the wandb SDK's reader) "
                               "fails on" % encoding)
        parsed = cached.parsed if cached and cached.text == text else \
            parse_netrc(text, set(host.machines()))
        machines = host.machines(parsed if key is not None else None)
        new_text, count, new = _netrc_change(text, parsed, machines, key)
        done.update(count=count, state=_NetrcState(path, new_text, encoding, new, "ok"))
        return None if new_text == text else new_text.encode(encoding)
    def replaced():
        report.result.update({"stored": True} if key is not None else
                             {"removed": done["count"]})
    try:
        _update_file(path, change, report, _MAX_NETRC_BYTES, replaced=replaced)
    except MemoryError:
        raise StorageError("nothing was %s %s: there is not enough memory to read and check "
                           "it" % (verb, path), path=path)
    except StorageError as error:
        raise error if error.message.startswith("gave up") else StorageError(
            "nothing was %s %s: %s; fix that, or set NETRC=<another file>" % (
                verb, path, error.message), path=path)
    except OSError as error:
        reason = _os_reason(error, path)
        if not isinstance(error, _NotAFile):
            reason = "cannot write %s: %s; set NETRC=<writable file> to store the key " \
                     "elsewhere" % (path, reason)
        elif not error.path.endswith(".lock"):
            reason += "; set NETRC=<a file> to store the key elsewhere"
        raise StorageError(reason, path=path)
    return done["count"], done["state"]


def _verify(run, key, source, timeout, new=False):
    """Check a key for this run's host: the server's words on it ("as ada (default
    team: lab)"). A failure says whose key it was and what to do, and for a
    `new` key that nothing was stored."""
    where = run.host.named_by() if run.host.source != "--host" else "the spelling of --host"
    where = "your network" if where in ("--cloud", "default") else where
    try:
        viewer = _verify_api_key(run.host.url, key, timeout, run.env, run.report, where)
    except KeyRejectedError as error:
        if new:
            tail = "nothing was stored; create a key at %s/authorize" % run.app()
        elif source == "WANDB_API_KEY":
            tail = "set WANDB_API_KEY to a valid key or unset it (keys: %s/authorize)" % (
                run.app())
        elif source.startswith(run.path):
            tail = "store a new one with `%s --relogin` (keys: %s/authorize)" % (
                run.command(), run.app())
        else:
            tail = "edit api_key in %s, or store a key with `%s --relogin` (the SDK " \
                   "reads the netrc first)" % (source, run.command())
        raise KeyRejectedError("the server at %s rejected the API key %s from %s (%s); %s"
                               % (run.host.url, mask_api_key(key), source, error.message.
                                  rpartition("(")[2].rstrip(")"), tail), host=run.host.url)
    except ServerError as error:
        raise ServerError(error.message + "; nothing was stored" * new, host=run.host.url)
    run.result.update(verified=True, user=viewer["username"], entity=viewer["entity"],
                      teams=viewer["teams"], email=viewer["email"])
    return "as %s (default team: %s)" % (viewer["username"] or viewer["email"] or "?",
                                         viewer["entity"] or "none")


def _store(run, key, source, verify, timeout):
    """Verify a new key (if asked), then store it; one account of what happened
    and of what the SDK will use."""
    known = _verify(run, key, source, timeout, new=True) if verify else None
    try:
        _, run.netrc = _netrc_rewrite(run.path, run.host, key, run.report, run.netrc)
    except StorageError as error:
        if known:
            raise StorageError("the server at %s accepted the key, but it could not be "
                               "stored: %s" % (run.host.url, error.message), path=run.path)
        raise
    run.result.update(stored=True, key=mask_api_key(key), key_source=source)
    also = "".join(" (also as %s, %s)" % (name, "which wandb 0.31 asks for first" if name ==
                                          _FORGE_URL.partition("://")[2] else "as %s spells "
                                          "it for the SDK" % run.host.named_by(
                                              "WANDB_BASE_URL"))
                   for name in run.host.machines(run.netrc.parsed)[1:])
    run.report.say("logged in to %s %s, with API key %s from %s; stored in %s%s" % (
        run.host.url, known, mask_api_key(key), source, run.path, also) if known else
        "stored API key %s for %s in %s%s" % (mask_api_key(key), run.host.url, run.path, also))
    if run.path != netrc_path(dict((k, v) for k, v in run.env.items() if k != "NETRC")):
        _export(run, "NETRC", run.path)
    problem = _sdk_start_problem(run.env, run.settings)
    if problem:
        run.report.warn("the stored key is not used until this is fixed: %s" % problem)
    elif run.env.get("WANDB_API_KEY"):
        run.report.warn("WANDB_API_KEY is set, and the wandb SDK uses it instead of the "
                        "stored key until you unset it")
    elif run.env.get("WANDB_IDENTITY_TOKEN_FILE"):
        run.report.warn("WANDB_IDENTITY_TOKEN_FILE is set, and the wandb SDK "
                        "authenticates with it instead of the stored key")


def _export(run, name, value):
    """Say what a job needs to find what was written somewhere the SDK does not
    look by default."""
    run.result["exports"] = dict(run.result.get("exports") or {}, **{name: value})
    line = "set " + _shell_word(name + "=" + value) if os.name == "nt" else \
        "export %s=%s" % (name, _shell_word(value))
    run.report.say("the wandb SDK finds it only where %s is set: in a job script, `%s`"
                   % (name, line))


def _update_settings(run):
    """After a login with --host or --cloud, make the settings name that host:
    base_url in the global file (none for the cloud), none in the workspace
    file. Each edit is read back with configparser first."""
    wanted = None if run.host.url == CLOUD_URL else run.host.url
    for path, value in ((run.settings.global_, wanted), (run.settings.workspace, None)):
        if path is None or value is None and not os.path.lexists(path):
            continue
        why = []

        def change(data, value=value):
            text, encoding = _decode(data) if data is not None else ("", "utf-8")
            new, problem = _settings_edit(text, value) if text is not None else (
                None, "it is not UTF-8 text")
            why.append(problem)
            return None if new is None else new.encode(encoding)   # as it was read
        try:
            folder = os.path.dirname(path)
            if value is not None and not os.path.isdir(folder):
                if os.path.lexists(folder):
                    raise StorageError("%s is in the way of the folder" % folder)
                os.makedirs(folder, 0o700, exist_ok=True)   # another login may too
            written = _update_file(path, change, run.report, _MAX_SETTINGS_BYTES, False)
        except (OSError, LoginError) as error:
            why.append(_os_reason(error, path))
            written = False
        if written:
            run.result["settings_updated"].append(path)
            run.report.say("updated settings file %s (%s)" % (
                path, "base_url = " + value if value else "removed base_url"))
        elif why and why[-1]:
            run.report.warn("could not update %s (%s); the key is stored, but pass %s next "
                            "time" % (path, why[-1], "--host " + wanted if wanted else
                                      "--cloud"))
            return False
    usual = dict((k, v) for k, v in run.env.items() if k != "WANDB_CONFIG_DIR")
    if run.settings.global_ in run.result["settings_updated"] and os.path.normcase(
            run.settings.global_) != os.path.normcase(settings_paths(usual)[1]):
        _export(run, "WANDB_CONFIG_DIR", os.path.dirname(run.settings.global_))
    return True


def _isatty(stream):
    try:
        if not stream.isatty():
            return False
    except (AttributeError, ValueError):
        return False
    if os.name != "nt":
        return True
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
        return ("no API key for %s, and wblogin stores keys only for URLs without user@, "
                "a query or %%-escapes: make %s the server's plain URL, then log in" % (
                    run.host.url, run.host.named_by()))
    if run.netrc.kind != "ok" and os.path.lexists(run.path):
        # Its problem was said above; storing into it would fail the same way.
        return ("no API key for %s: the netrc file %s cannot be used (see above); fix it, "
                "or log in with `NETRC=<another file> %s - < key.txt`"
                % (run.host.url, run.path, run.command()))
    empty = "WANDB_API_KEY is set but empty (a CI secret that is not there?); " \
        if "WANDB_API_KEY" in run.env and not run.env["WANDB_API_KEY"] else ""
    if action == "login":
        return ("no API key for %s, and no terminal to ask on: %spipe one in with `%s - < "
                "key.txt`, or set WANDB_API_KEY (where a key is stored, `--print-key` shows "
                "it; new keys: %s/authorize)" % (run.host.url, empty, run.command(), run.app()))
    return "no API key for %s: %s%s (new keys: %s/authorize)" % (
        run.host.url, empty, "run `%s` to log in" % run.command() if _isatty(stdin) else
        "log in with `%s - < key.txt`, or set WANDB_API_KEY" % run.command(), run.app())


def _getpass(prompt):
    import getpass
    return getpass.getpass(prompt)


def _prompt(run, ask, verify, timeout):
    """Ask for a key on the terminal, hidden; three tries in all (a bad format
    and a rejection by the server both count)."""
    run.report.say("logging in to %s" % run.host.url)
    run.report.say("create or copy an API key at %s/authorize" % run.app())
    for left in range(_PROMPT_TRIES - 1, -1, -1):
        try:
            key = clean_api_key(ask("API key (input hidden): "))
        except (KeyboardInterrupt, EOFError) as error:
            # The prompt line has no line end yet: the message goes below it.
            _write_out(run.report.stream or sys.stderr, "\n")
            raise Interrupted("%s; nothing was stored" % (
                "interrupted at the prompt" if isinstance(error, KeyboardInterrupt)
                else "no key entered (end of input at the prompt)"))
        problem = validate_api_key(key) if key else "No key entered."
        if problem is None:
            try:
                return _store(run, key, "prompt", verify, timeout)
            except KeyRejectedError:
                problem = "The server at %s rejected that key; nothing was stored." % (
                    run.host.url)
        run.report.say(problem + (" Try again (%d left)." % left if left else ""))
    raise LoginError("no valid API key after %d tries; nothing was stored" % _PROMPT_TRIES)


def _wandb_version():
    """The installed wandb version from its metadata, without importing it."""
    for folder in sys.path:
        try:
            names = os.listdir(folder or ".")
        except OSError:
            continue
        for name in names:
            if name.lower().startswith("wandb-") and name.lower().endswith(
                    (".dist-info", ".egg-info")):
                return _printable(name[6:].rsplit(".", 1)[0].split("-")[0], 40)
    return None


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


# ==========================================================================
# The library: each action reads the world once (_Run); `host` is a URL or a
# bare host name everywhere
# ==========================================================================

def login(key=None, host=None, cloud=False, relogin=False, verify=False, timeout=None,
          key_source="argument", env=None, cwd=None, netrc=None, stdin=None,
          stderr=None, ask=None, result=None, prog=None):
    # type: (...) -> dict
    """Log in as `wandb login` does; return what happened as a dict (with the
    key masked, never whole).

    With `key`, it is validated, verified if asked, then stored. Without one,
    the key the wandb SDK would use is reported (not copied) unless
    `relogin`; with none, the user is prompted when `stdin` is a terminal.

    Raises:
        LoginError (or a subclass) with the exit code the CLI would return.
    """
    if ask is not None and not callable(ask):
        raise UsageError("ask must be a function, not %s" % type(ask).__name__)
    run = _Run("login", host, cloud, env, cwd, netrc, stderr, result, prog)
    stdin, ask = sys.stdin if stdin is None else stdin, ask or _getpass
    found = key is None and not relogin and run.answer()
    switching = (host is not None or cloud) and _sdk_host(run) != run.host.url
    if key is not None:
        key = clean_api_key(key)
        if validate_api_key(key):
            raise InvalidKeyError(validate_api_key(key))
        _store(run, key, _text(key_source, "key_source"), verify, timeout)
    elif relogin and not _isatty(stdin):
        raise NoCredentialsError("--relogin asks for a new key on a terminal, and standard "
                                 "input is not one; pipe the key instead: `%s - < key.txt`"
                                 % run.command())
    elif relogin or not (found.key or found.kind == "token" or found.stop) and \
            _isatty(stdin):
        _prompt(run, ask, verify, timeout)
    else:
        run.answer(stdin, "login")
        run.found(verify, timeout)
        if found.kind == "env" and not verify:
            run.report.say("already logged in to %s with API key %s from WANDB_API_KEY, which "
                           "the SDK uses before any stored key (change or unset it to use "
                           "another)" % (run.host.url, mask_api_key(found.key)))
        elif found.key and not verify and not switching:
            run.report.say("already logged in to %s with API key %s from %s (to replace it: "
                           "`%s --relogin`%s)" % (
                               run.host.url, mask_api_key(found.key), found.source,
                               run.command(), ", which stores a netrc key; the SDK reads "
                               "the netrc first" if found.kind == "settings" else ""))
    if (host is not None or cloud) and _update_settings(run) and switching and found and \
            found.key and not run.env.get("WANDB_BASE_URL"):
        run.report.say("switched to %s: the wandb SDK now uses it, with API key %s from %s"
                       % (run.host.url, mask_api_key(found.key), found.source))
    run.result["ok"] = True
    return run.result


def _sdk_host(run):
    """The URL the SDK used before this run: WANDB_BASE_URL, the settings, or the
    cloud; None when it would stop on them."""
    try:
        return _resolve(None, False, run.env, run.settings, lookup=True).url
    except LoginError:
        return None


def find_api_key(host=None, env=None, cwd=None, netrc=None, stderr=None):
    # type: (str, dict, str, str, object) -> tuple
    """The key the wandb SDK would send to `host` (None: to the host it would
    use, see resolve_host): (key, source), or (None, None). `source` is a
    variable name or a file path.

    Raises:
        LoginError: the SDK would stop with an error (a key it refuses, a
            settings file it cannot read, ...).
    """
    answer = _Run("status", host, False, env, cwd, netrc, stderr, None, None).answer()
    if answer.stop:
        raise LoginError(answer.stop)
    return (answer.key, answer.source) if answer.key else (None, None)


def resolve_host(host=None, cloud=False, env=None, cwd=None, stderr=None):
    # type: (str, bool, dict, str, object) -> tuple
    """Which server to log in to: (normalised URL, where that came from). Order:
    --host or --cloud, WANDB_BASE_URL, settings base_url (workspace over
    global, as the SDK merges them), https://api.wandb.ai."""
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
           netrc=None, stderr=None, result=None, stdin=None, prog=None):
    # type: (...) -> dict
    """Report which host and key the wandb SDK would use, and from where; change
    nothing. NoCredentialsError: no key; LoginError: the SDK would refuse."""
    import stat
    run = _Run("status", host, cloud, env, cwd, netrc, stderr, result, prog)
    run.report.say("host: %s (from %s)" % (run.host.url, run.host.source))
    try:
        info = os.stat(run.path)
        mode = stat.S_IMODE(info.st_mode)
        run.result["netrc_mode"], shown = "%04o" % mode, "exists" if os.name == "nt" \
            else "mode %04o" % mode
        if not stat.S_ISREG(info.st_mode):
            mode, shown = None, _NotAFile(run.path, info.st_mode).kind
    except OSError as error:
        mode, shown = None, "does not exist" if isinstance(
            error, FileNotFoundError) else "cannot be read: %s" % error.strerror
    parsed = run.netrc.parsed
    machine = [m for m in _sdk_lookups(run.host.sdk_url) if parsed and m in parsed.hosts]
    run.report.say("netrc: %s (%s%s)" % (run.path, shown, ", has an entry for %s" %
                                         _without_password(machine[0]) if machine else ""))
    locks = [path + ".lock" for path in (run.path, run.settings.global_) if
             os.path.exists(path + ".lock")]
    if locks:
        run.report.say("lock files: %s (wblogin keeps them, so that logins at once lose no "
                       "entry)" % ", ".join(locks))
    if mode is not None and mode & 0o077 and os.name != "nt":
        run.report.warn("%s is readable by others (mode %04o); run `chmod 600 -- %s` "
                        "(wblogin makes it 0600 whenever it writes it)"
                        % (run.path, mode, _shell_word(run.path)))
    run.result["settings"] = [path for path, parsed, _ in reversed(run.settings.files)
                              if parsed is not None and parsed.values is not None]
    run.report.say("settings: %s" % (", ".join(run.result["settings"]) or "none"))
    _sdk_warnings(run, run.answer().key)
    answer = run.answer(stdin or sys.stdin, "status")
    run.report.say("key: none; the wandb SDK authenticates with the identity token file "
                   "in WANDB_IDENTITY_TOKEN_FILE (%s)" % _printable(run.env[
                       "WANDB_IDENTITY_TOKEN_FILE"]) if answer.kind == "token" else
                   "key: %s from %s" % (mask_api_key(answer.key), answer.source))
    if answer.key:
        run.found(verify, timeout)
    run.result["ok"] = True
    return run.result


def logout(host=None, cloud=False, env=None, cwd=None, netrc=None, stderr=None,
           result=None, prog=None):
    # type: (...) -> dict
    """Remove the host's netrc entries; say what would still supply a key."""
    run = _Run("logout", host, cloud, env, cwd, netrc, stderr, result, prog)
    state, removed = run.netrc, 0
    if state.kind in ("fatal", "hangs") or state.kind == "ignored" and \
            os.path.lexists(run.path):
        raise StorageError("nothing was removed from %s: %s" % (run.path, state.problem),
                           path=run.path)
    if state.parsed and any(e.name in run.host.machines() and not e.default
                            for e in state.parsed.entries):
        removed, run.netrc = _netrc_rewrite(run.path, run.host, None, run.report, state)
    run.result["removed"] = removed
    run.report.say("removed the API key for %s from %s" % (run.host.url, run.path) if
                   removed else "no API key for %s in %s; nothing to remove" % (
                       run.host.url, run.path))
    answer = run.answer()
    if answer.key is not None:
        run.report.warn("%s still supplies an API key (%s) that the wandb SDK sends to %s"
                        % (answer.source, mask_api_key(answer.key), run.host.url))
    elif answer.kind == "token":
        run.report.warn("the wandb SDK still authenticates with WANDB_IDENTITY_TOKEN_FILE")
    run.result["ok"] = True
    return run.result


def print_key(host=None, cloud=False, verify=False, timeout=None, env=None, cwd=None,
              netrc=None, stdin=None, stdout=None, stderr=None, result=None, prog=None):
    # type: (...) -> dict
    """Write the key the wandb SDK would use for the host, alone, to stdout
    (with `verify`, only a key the server accepts). NoCredentialsError: no key
    (or only an identity token file); LoginError: the SDK would refuse it."""
    run = _Run("print-key", host, cloud, env, cwd, netrc, stderr, result, prog)
    answer = run.answer(stdin or sys.stdin, "print-key")
    if answer.kind == "token":
        raise NoCredentialsError("the wandb SDK authenticates with "
                                 "WANDB_IDENTITY_TOKEN_FILE, not an API key: there is no "
                                 "key to print")
    run.found(verify, timeout)
    if not _write_out(stdout or sys.stdout, answer.key + "\n"):
        raise LoginError("cannot write the key to standard output (closed, or a broken "
                         "pipe)")
    run.result["ok"] = True
    return run.result


def list_servers(env=None, cwd=None, netrc=None, stderr=None, result=None, prog=None):
    # type: (...) -> dict
    """Every W&B server with a key the wandb SDK could use, in `servers`: the netrc
    entries of the hosts the cloud, WANDB_BASE_URL or a settings file names, and
    those written as wblogin and the SDK write them (`login user` and a key's
    shape), never another service's; and a key from WANDB_API_KEY or a settings
    file; `active` marks what the SDK uses now. NoCredentialsError: none."""
    run = _Run("list", None, False, env, cwd, netrc, stderr, result, prog)
    answer, parsed, named = run.answer(), run.netrc.parsed, {}
    for url in [CLOUD_URL, _FORGE_URL, run.env.get("WANDB_BASE_URL")] + [
            (parsed_file.values or {}).get("base_url") for _, parsed_file, _ in
            run.settings.files if parsed_file]:
        try:
            named.setdefault(_split_url(normalize_host(url)).netloc, normalize_host(url))
        except (UsageError, TypeError):
            pass
    servers = [dict(host=named.get(machine), machine=machine, key=mask_api_key(password),
                    key_source=run.path, active=answer.kind == "netrc" and
                    answer.machine == machine)
               for machine, (login, _, password) in sorted(parsed.hosts.items() if parsed
                                                           else ())
               if machine != "default" and password and (machine in named or login ==
                                                         "user" and not validate_api_key(
                                                             password))]
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
            server["key"], server["key_source"], ", machine %s" % server["machine"]
            if server["machine"] else ""))
    run.report.say("* the wandb SDK uses that key for %s now (from %s); switch with `%s "
                   "--host URL` or `%s --cloud`" % (run.host.url, run.host.source, run.prog,
                                                    run.prog) if answer.key else
                   "the wandb SDK has no key for %s, the host it uses now (from %s)"
                   % (run.host.url, run.host.source))
    run.result["ok"] = True
    return run.result


def _library_target(host, path, env):
    """(netrc path, _Host) for write_netrc_key and remove_netrc_key."""
    env = _environ(env)
    if path is not None and not path:
        raise UsageError("the netrc path is empty")
    path = netrc_path(env) if path is None else _checked_path(path, "the netrc path")
    return path, _resolve(normalize_host(_as_url(host)), False, env, None)


def write_netrc_key(host, key, path=None, env=None, stderr=None):
    # type: (str, str, str, dict, object) -> str
    """Store `key` for `host` in the netrc file; return the file's path.

    Raises:
        InvalidKeyError: the key has not the shape of an API key.
        UsageError: the host is not a valid URL.
        StorageError: the file could not be read back, locked or written.
    """
    path, target = _library_target(host, path, env)
    key = clean_api_key(key)
    if validate_api_key(key):
        raise InvalidKeyError(validate_api_key(key))
    _netrc_rewrite(path, target, key, _Report(stderr))
    return path


def remove_netrc_key(host, path=None, env=None, stderr=None):
    # type: (str, str, dict, object) -> int
    """Remove every entry for `host` from the netrc file; return how many."""
    path, target = _library_target(host, path, env)
    state = _read_netrc_file(path, set(target.machines()))
    if not (state.parsed and any(e.name in target.machines() and not e.default
                                 for e in state.parsed.entries)):
        return 0    # nothing to remove needs no lock
    return _netrc_rewrite(path, target, None, _Report(stderr), state)[0]


def verify_api_key(host, key, timeout=None, env=None, stderr=None):
    # type: (str, str, float, dict, object) -> dict
    """Ask `host` who owns `key`; return the viewer (username, entity, email, id,
    and `teams`, a list of names). The whole check (DNS, connect, TLS, every
    read, retries) ends within `timeout` seconds (default 10).

    Raises:
        KeyRejectedError: 401/403, or the server knows no viewer for the key.
        ServerError: unreachable, a redirect elsewhere, not the W&B API.
        UsageError: a CA bundle named in the environment does not exist.
    """
    return _verify_api_key(normalize_host(_as_url(host)), key, timeout, _environ(env),
                           _Report(stderr), "the host name")


# ==========================================================================
# The command line
# ==========================================================================

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
            # argparse would print and exit; main() words it (never echoing an
            # argument that may be a key) and answers in JSON if asked.
            raise UsageError(message)
    try:
        columns = int(env.get("COLUMNS", "")) if env.get("COLUMNS") else \
            os.get_terminal_size(sys.__stdout__.fileno()).columns
    except (AttributeError, OSError, ValueError):
        columns = 80
    # Given a width, argparse does not import shutil (and with it bz2 and lzma)
    # on every run just to ask for the terminal's size.
    parser = Parser(prog=prog, usage="%(prog)s [OPTIONS] [KEY]", description=_DESCRIPTION,
                    epilog=_EPILOG, allow_abbrev=False, add_help=False,
                    formatter_class=lambda prog: argparse.RawDescriptionHelpFormatter(
                        prog, width=max(40, min(columns, 80) - 2)))
    add = parser.add_argument
    # --help and --version are flags like the others, so that main() writes them
    # where they belong (stderr beside --json) and notices a closed pipe.
    add("-h", "--help", action="store_true", help="show this help and exit")
    add("key", nargs="*", metavar="KEY",
        help="the API key to store; '-' reads it from standard input")
    add("--cloud", action="store_true",
        help="log in to the W&B public cloud (%s); not with --host" % CLOUD_URL)
    add("--host", "--base-url", dest="host", metavar="URL",
        help="log in to this W&B server (e.g. https://wandb.example.com); not with "
             "--cloud")
    add("--relogin", action="store_true",
        help="ignore existing credentials and ask for a new key")
    add("--verify", action="store_true", default=False,
        help="check the key with the server; on success show the user, the default "
             "team and where the key came from")
    add("--no-verify", dest="verify", action="store_false",
        help="do not check the key (the default)")
    add("--anonymously", action="store_true",
        help="accepted for old scripts; has no effect")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--status", action="store_true",
                       help="show the host and the key the wandb SDK would use, and "
                            "from where; change nothing")
    group.add_argument("--logout", action="store_true",
                       help="remove the stored key for the host")
    group.add_argument("--print-key", action="store_true",
                       help="print the key the SDK would use, alone, to stdout (for "
                            "export WANDB_API_KEY=...)")
    group.add_argument("--list", action="store_true",
                       help="list every W&B server with a key here; * marks the one the "
                            "wandb SDK uses now")
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
        # argparse quotes arguments: an argument, or the value after its `=`,
        # that has the shape of a key is masked (`--api-key=****wxyz`), and
        # _printable masks whatever else may be one.
        message = error.message
        for arg in sorted(set(argv), key=len, reverse=True):
            for part in (arg.partition("=")[2], arg):
                if len(part) >= 40 and validate_api_key(part) is None:
                    message = message.replace(part, mask_api_key(part))
        raise UsageError("%s (see %s --help)" % (message, prog))
    if args.help or args.version:
        args.text = parser.format_help() if args.help else "wblogin %s\n" % __version__
        return args, "help" if args.help else "version", None
    action = "status" if args.status else "logout" if args.logout else \
        "print-key" if args.print_key else "list" if args.list else "login"
    refused = [
        (len(args.key) > 1, "give at most one KEY (or '-' to read it from standard "
                            "input)"),
        (args.cloud and args.host is not None, "--cloud and --host exclude each other"),
        (action != "login" and args.key, "--%s does not take a KEY" % action),
        (action != "login" and args.relogin, "--relogin does not go with --%s" % action),
        (action == "print-key" and args.json, "--print-key prints the key alone; it "
                                              "does not go with --json"),
        (action in ("logout", "list") and args.verify, "--verify does not go with --%s"
                                                       % action),
        (action == "list" and (args.host is not None or args.cloud),
         "--list shows every server; it does not go with --host or --cloud"),
        (args.timeout is not None and not args.verify, "--timeout only applies to "
                                                       "--verify")]
    for wrong, message in refused:
        if wrong:
            raise UsageError(message)
    if args.host is not None and "://" not in args.host:
        normalize_host(args.host, "--host")     # a bare name: says why, with a hint
    timeout, name = args.timeout, "--timeout"
    if timeout is None and args.verify:
        timeout, name = env.get("WANDB_HTTP_TIMEOUT", "").strip() or None, \
            "WANDB_HTTP_TIMEOUT"
    return args, action, None if timeout is None else _seconds(timeout, name)


def _read_key_from_stdin(stdin, ask):
    """The first line of standard input (hidden, when it is a terminal)."""
    if _isatty(stdin):
        try:
            return (ask or _getpass)("API key (input hidden): ")
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


def _run_action(args, action, timeout, common, stdin, stdout, ask, report):
    """The action the arguments ask for, through the library's functions."""
    if action == "print-key":
        print_key(args.host, args.cloud, args.verify, timeout, stdin=stdin,
                  stdout=stdout, **common)
    elif action == "status":
        status(args.host, args.cloud, args.verify, timeout, stdin=stdin, **common)
    elif action == "logout":
        logout(args.host, args.cloud, **common)
    elif action == "list":
        list_servers(**common)
    else:
        key, source = (args.key or [None])[0], "argument"
        if key == "-":
            key, source = _read_key_from_stdin(stdin, ask), "standard input"
        elif key is not None:
            report.warn("a KEY typed on the command line can be seen in `ps` and your "
                        "shell history; `%s -` reads it from standard input instead"
                        % common["prog"])
        login(key, args.host, args.cloud, args.relogin or key is not None, args.verify,
              timeout, source, stdin=stdin, ask=ask, **common)


def _interrupted(result, what="interrupted"):
    """What is true when the run stops half-way (Ctrl-C, SIGTERM, no memory)."""
    if result["stored"]:
        return ("%s after the key was stored in %s, while the settings files were "
                "updated; run the same command again to finish" % (what, result["netrc"]))
    if result["removed"]:
        return "%s after the key was removed from %s" % (what, result["netrc"])
    return what + {"login": "; nothing was stored", "logout": "; nothing was removed"}.get(
        result["action"], "")


def main(argv=None, env=None, cwd=None, stdin=None, stdout=None, stderr=None,
         prog=None, ask=None):
    # type: (list, dict, str, object, object, object, str, object) -> int
    """Run the command line; return the exit code.

    `prog` is the command shown in help and hints (default "wblogin");
    `ask` replaces the hidden prompt (for tests and embedding).
    """
    stdin = sys.stdin if stdin is None else stdin
    stdout = sys.stdout if stdout is None else stdout
    argv = sys.argv[1:] if argv is None else argv
    argv = list(argv) if isinstance(argv, (list, tuple)) else [None]
    prog = prog if isinstance(prog, str) and prog else "wblogin"
    actions = {"--status": "status", "--logout": "logout", "--print-key": "print-key",
               "--list": "list", "--help": "help", "-h": "help", "--version": "version"}
    argv = argv if all(isinstance(arg, str) for arg in argv) else [None]
    result = _new_result(next((actions[arg] for arg in argv if arg in actions), "login"))
    report = _Report(stderr if hasattr(stderr, "write") else None, result)
    wants_json = any(arg == "--json" or isinstance(arg, str) and arg.startswith(
        "--json=") for arg in (argv[:argv.index("--")] if "--" in argv else argv))
    code = 0
    try:
        env = _environ(os.environ if env is None else env)
        if not all(isinstance(a, str) for a in argv):
            raise UsageError("main() takes its arguments as a list of strings")
        args, action, timeout = _arguments(argv, env, prog)
        result["action"] = action
        if args.anonymously:
            report.warn("--anonymously has no effect; W&B no longer offers anonymous "
                        "logins")
        if action in ("help", "version"):
            # Beside --json the text is for people: it goes to stderr.
            if wants_json:
                _write_out(stderr or sys.stderr, args.text)
            elif not _write_out(stdout, args.text):
                raise LoginError("cannot write the %s to standard output (closed, or a "
                                 "broken pipe)" % action)
            result["ok"] = True
        else:
            common = dict(env=env, cwd=cwd, stderr=stderr, result=result, prog=prog)
            _run_action(args, action, timeout, common, stdin, stdout, ask, report)
    except KeyboardInterrupt:   # Ctrl-C, SIGTERM or SIGHUP
        code = 130
        result["error"] = {"code": code, "message": _interrupted(result)}
        report.say(result["error"]["message"])
    except (LoginError, MemoryError) as error:
        code = getattr(error, "exit_code", 1)
        result["error"] = {"code": code, "message": getattr(error, "message", None) or
                           _interrupted(result, "ran out of memory")}
        report.say(result["error"]["message"])
    if wants_json:
        import json
        # Paths and URLs too: nothing in it may show what may be a key.
        redacted = lambda value: _redact(value) if isinstance(value, str) else \
            [redacted(item) for item in value] if isinstance(value, list) else dict(
                (name, redacted(item)) for name, item in value.items()) if isinstance(
                    value, dict) else value
        if not _write_out(stdout, json.dumps(redacted(result), sort_keys=True) + "\n"):
            report.say("cannot write the JSON result to standard output (closed, or a "
                       "broken pipe)")
            code = code or 1
    return code


def _invoked_as():
    """How the user ran wblogin, for hints: `python3.6 tools/wblogin.py`, `python3 -m
    wblogin` (the interpreter by the name it was run by)."""
    python = os.path.basename(sys.executable or "python")
    python = _shell_word(python[:-4] if python.lower().endswith(".exe") else python)
    spec = getattr(sys.modules.get("__main__"), "__spec__", None)
    if spec is not None and getattr(spec, "name", "") == "wblogin":
        return python + " -m wblogin"
    script = sys.argv[0] if sys.argv and sys.argv[0] else "wblogin.py"
    return "%s %s" % (python, _shell_word(script if _redact(script) == script and
                                          script.isprintable() else "wblogin.py"))


def _exit(code):
    """Exit with `code`, also when standard output or error cannot take what
    is still buffered (a full disk, a closed pipe)."""
    for stream in (stream for stream in (sys.stdout, sys.stderr) if stream is not None):
        try:
            stream.flush()
        except (AttributeError, OSError, ValueError):
            _silence(stream)
            if stream is sys.stdout:
                code = code or 1    # what was asked for did not arrive
    sys.exit(code)


def _command_line():
    """`python wblogin.py`: SIGTERM and SIGHUP are taken as Ctrl-C (the terminal's
    echo comes back, exit 130), and running out of memory is one line too."""
    import signal
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.default_int_handler)
    try:
        code = main(prog=_invoked_as())
    except MemoryError:     # even saying so ran out of memory
        code = 1
        try:
            os.write(2, b"wblogin: ran out of memory\n")
        except OSError:
            pass
    _exit(code)


if __name__ == "__main__":
    _command_line()
