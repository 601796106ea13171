#!/usr/bin/env python3
"""wblogin: `wandb login` in one file of standard-library Python.

Stores a Weights & Biases API key where the wandb SDK looks for it (the netrc
file, plus `base_url` in the wandb settings file), without installing the SDK.
Copy this file onto a login node, a build box or a CI runner, or vendor it.

Runs on CPython 3.6-3.13, standard library only.
Documentation: README.md of the wblogin repository this file comes from.
Copyright (c) 2026 the wblogin authors.
SPDX-License-Identifier: MIT
"""

__version__ = "1.0.0"
__license__ = "MIT"

import os
import sys

__all__ = [
    "LoginError", "UsageError", "InvalidKeyError", "NoCredentialsError",
    "StorageError", "KeyRejectedError", "ServerError", "Interrupted",
    "CLOUD_URL", "normalize_host", "app_url", "clean_api_key",
    "validate_api_key", "mask_api_key", "resolve_host", "netrc_path",
    "settings_paths", "find_api_key", "write_netrc_key", "remove_netrc_key",
    "verify_api_key", "login", "status", "logout", "main",
]


# --------------------------------------------------------------------------
# Errors: one tree; only main() turns them into messages and exit codes.
# --------------------------------------------------------------------------

class LoginError(Exception):
    """Base of every error wblogin raises; `exit_code` is what the CLI returns."""

    exit_code = 1

    def __init__(self, message, path=None, host=None):
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
    """No key anywhere and no terminal to ask for one (exit 1)."""


class StorageError(LoginError):
    """The netrc file could not be read, locked or written (exit 1)."""


class KeyRejectedError(LoginError):
    """The server says the key is not valid (exit 1)."""


class ServerError(LoginError):
    """The server could not be reached or is not the W&B API (exit 3)."""

    exit_code = 3


class Interrupted(LoginError):
    """Ctrl-C, or end of input at the prompt (exit 130)."""

    exit_code = 130


# --------------------------------------------------------------------------
# Constants
# --------------------------------------------------------------------------

CLOUD_URL = "https://api.wandb.ai"
# wandb 0.31+ logs in to the cloud through CoreWeave's Forge host and stores
# the key under this machine name; it is the same service and the same key.
_FORGE_MACHINE = "api.forge.coreweave.com"
_DEFAULT_TIMEOUT = 10.0
_LOCK_WAIT = 10.0
_PROMPT_TRIES = 3
_PASTE_MARKERS = ("\x1b[200~", "\x1b[201~")
_KEY_CHARS = frozenset(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-")
_HOST_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-._")
_TRUE = ("1", "true", "yes", "on")
# What older SDKs cannot use (found with the real SDK, see README).
_OLDEST_SDK_FOR_LONG_KEYS = (0, 22, 3)
_OLDEST_SDK_FOR_PORTS = (0, 24, 0)
_OLDEST_SDK_FOR_JWT = (0, 26, 0)
_HOW_TO_SUPPLY = (
    "pass it as an argument (python wblogin.py KEY), pipe it with "
    "'python wblogin.py -', set WANDB_API_KEY, or run in a terminal to be "
    "prompted")


# --------------------------------------------------------------------------
# Pure logic: host URLs
# --------------------------------------------------------------------------

def normalize_host(url, what="host URL"):
    # type: (str, str) -> str
    """Return the canonical form of a W&B server URL.

    The scheme and host name are lower-cased, a default port and trailing
    slashes are dropped, so one server always maps to one netrc entry.

    Raises:
        UsageError: the URL is not an http(s) URL wblogin can store safely.
    """
    text = url.strip()
    if not text:
        raise UsageError("%s is empty" % what)
    for ch in text:
        if ord(ch) <= 32 or ord(ch) == 127:
            raise UsageError("%s must not contain spaces or control characters"
                             % what)
        if ord(ch) > 126:
            raise UsageError("%s must be ASCII (write an international name in "
                             "its xn-- form)" % what)
    scheme, sep, rest = text.partition("://")
    if not sep:
        if len(text) >= 40 and validate_api_key(text) is None:
            # Not echoed: an API key passed where the URL belongs.
            raise UsageError("%s must be a URL; that looks like an API key" % what)
        raise UsageError("%s must start with https:// or http:// "
                         "(did you mean https://%s?)" % (what, text.rstrip("/")))
    scheme = scheme.lower()
    if scheme not in ("http", "https"):
        raise UsageError("%s must use https:// or http://, not %s://"
                         % (what, scheme))
    if "?" in rest or "#" in rest:
        raise UsageError("%s must not have a query (?) or fragment (#)" % what)
    netloc, slash, path = rest.partition("/")
    path = (slash + path).rstrip("/")
    if "@" in netloc:
        raise UsageError("%s must not contain user:password@ (wblogin stores "
                         "the key in the netrc file instead)" % what)
    if not netloc:
        raise UsageError("%s has no host name" % what)
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
        if not all(c in "0123456789abcdefABCDEF:." for c in host):
            raise UsageError("%s has an invalid IPv6 address" % what)
    else:
        if netloc.count(":") > 1:
            raise UsageError("%s: write an IPv6 address in brackets, "
                             "like http://[::1]:8080" % what)
        host, colon, port_text = netloc.partition(":")
        if not colon:
            port_text = None
        if not host:
            raise UsageError("%s has no host name" % what)
        if not all(c in _HOST_CHARS for c in host.lower()) or ".." in host \
                or host.startswith(".") or host.startswith("-"):
            raise UsageError("%s has an invalid host name" % what)
    port = None
    if port_text is not None:
        if not port_text.isdigit() or not 1 <= int(port_text) <= 65535:
            raise UsageError("%s: the port must be a number from 1 to 65535"
                             % what)
        port = int(port_text)
    return host.lower(), port


def _netloc(url):
    # type: (str) -> str
    """The netrc machine name of a normalised URL: its network location."""
    return url.split("://", 1)[1].split("/", 1)[0]


def _is_loopback(url):
    # type: (str) -> bool
    netloc = _netloc(url)
    host = netloc[1:].split("]")[0] if netloc.startswith("[") else \
        netloc.split(":")[0]
    return host == "localhost" or host.startswith("127.") or host == "::1"


def app_url(host, env=None):
    # type: (str, dict) -> str
    """The web app URL for an API URL: WANDB_APP_URL, or derived from it."""
    env = os.environ if env is None else env
    explicit = env.get("WANDB_APP_URL", "").strip().rstrip("/")
    if explicit:
        return explicit
    if "://api.wandb." in host:
        return host.replace("://api.", "://", 1)
    if "://api." in host:
        return host.replace("://api.", "://app.", 1)
    return host


# --------------------------------------------------------------------------
# Pure logic: API keys
# --------------------------------------------------------------------------

def clean_api_key(text):
    # type: (str) -> str
    """Strip surrounding whitespace and terminal bracketed-paste markers."""
    previous = None
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

    `key` is cleaned first (see clean_api_key). The sentence never contains
    the key.
    """
    key = clean_api_key(key)
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


def mask_api_key(key):
    # type: (str) -> str
    """`****` and the last four characters: safe to print anywhere."""
    return "****" + key[-4:] if len(key) >= 12 else "****"


# --------------------------------------------------------------------------
# Pure logic: netrc text
#
# A reader of our own instead of the stdlib `netrc` module: that module's
# parser changed between 3.6 and 3.11 (quotes, comments, entries without a
# password), and an editor needs the byte position of every token anyway.
# --------------------------------------------------------------------------

_netrc_token_re = None


def _netrc_tokens():
    global _netrc_token_re
    if _netrc_token_re is None:
        import re
        _netrc_token_re = re.compile(
            r'[ \t\r\n]*(?:("(?:[^"\\\n]|\\.)*")|("[^\n]*)|((?:[^ \t\r\n\\]|\\.?)+))',
            re.S)
    return _netrc_token_re


class _NetrcEntry(object):
    """One `machine`, `default` or `macdef` block and where it sits in the text."""

    __slots__ = ("kind", "name", "start", "end", "login", "account", "password")

    def __init__(self, kind, name, start, end):
        self.kind, self.name, self.start, self.end = kind, name, start, end
        self.login = self.account = self.password = None


def parse_netrc(text):
    # type: (str) -> tuple
    """Read netrc text into (entries, problems).

    Accepts what the SDK and the stdlib accept: quoted tokens with backslash
    escapes, `#` comments, `default`, `macdef`, `account`, one-line entries.
    Problems are (line number, sentence) pairs; parsing goes on at the next
    `machine`, `default` or `macdef` so one bad line hides nothing else.
    """
    token_re = _netrc_tokens()
    entries, problems = [], []
    current, lost = None, False
    size, pos = len(text), 0

    def line_of(offset):
        return text.count("\n", 0, offset) + 1

    def next_token(at):
        # (value, start, end, quoted); value is None for a quote left open.
        match = token_re.match(text, at)
        if match is None or match.end() == at or match.lastindex is None:
            return None
        raw = match.group(match.lastindex)
        if match.lastindex == 2:
            return (None, match.start(2), match.end(), True)
        if match.lastindex == 1:
            raw = raw[1:-1]
        value = raw.replace("\\\\", "\0").replace("\\", "").replace("\0", "\\") \
            if "\\" in raw else raw
        return (value, match.start(match.lastindex), match.end(),
                match.lastindex == 1)

    def problem(offset, sentence):
        problems.append((line_of(offset), sentence))

    def open_quote(token):
        problem(token[1], "a quoted word is not closed on its line")
        return token[2]

    while True:
        token = next_token(pos)
        if token is None:
            break
        value, start, pos, quoted = token
        if value is None:
            open_quote(token)
            current, lost = None, True
            continue
        if value.startswith("#") and not quoted:
            newline = text.find("\n", start)
            pos = size if newline < 0 else newline + 1
            continue
        if value in ("machine", "default", "macdef") and not quoted:
            current, lost = None, False
            if value == "default":
                current = _NetrcEntry("default", None, start, pos)
                entries.append(current)
                continue
            name = next_token(pos)
            if name is None or name[0] is None:
                if name is None:
                    problem(start, "'%s' without a name" % value)
                else:
                    pos = open_quote(name)
                lost = True
                continue
            pos = name[2]
            if value == "machine":
                current = _NetrcEntry("machine", name[0], start, pos)
                entries.append(current)
                continue
            # A macro runs from the next line to the first empty line.
            newline = text.find("\n", pos)
            pos = size if newline < 0 else newline + 1
            while pos < size:
                newline = text.find("\n", pos)
                line = text[pos:] if newline < 0 else text[pos:newline]
                pos = size if newline < 0 else newline + 1
                if line in ("", "\r"):
                    break
            entries.append(_NetrcEntry("macdef", name[0], start, pos))
            continue
        if current is not None and not quoted and value in (
                "login", "user", "account", "password"):
            field = next_token(pos)
            if field is None or field[0] is None:
                if field is None:
                    problem(start, "'%s' without a value" % value)
                    # Part of its entry, so replacing the entry removes it.
                    current.end = pos
                else:
                    pos = open_quote(field)
                current, lost = None, True
                continue
            pos = current.end = field[2]
            setattr(current, "login" if value == "user" else value, field[0])
            continue
        if not lost:
            # The word itself is not shown: it may be a password.
            problem(start, "unexpected word where machine, default, macdef "
                    "or a login/password field should be")
        current, lost = None, True
    return entries, problems


def netrc_lookup(entries, machine):
    # type: (list, str) -> object
    """The last `machine` entry for `machine` (as the stdlib does), or None."""
    found = None
    for entry in entries:
        if entry.kind == "machine" and entry.name == machine:
            found = entry
    return found


def _machines_for(url):
    """netrc machine names that may hold the key for `url`, first one first.

    The cloud's key may sit under Forge's name (wandb 0.31+ writes it there);
    no other server ever reads that entry.
    """
    machine = _netloc(url)
    return [machine, _FORGE_MACHINE] if url == CLOUD_URL else [machine]


def _netrc_entry_for(entries, url):
    """The entry holding the key for `url` (see _machines_for), or None."""
    for machine in _machines_for(url):
        found = netrc_lookup(entries, machine)
        if found is not None:
            return found
    return None


def _cut(text, start, end):
    """Remove text[start:end], with its line when nothing else is on it."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end + 1
    if not text[line_start:start].strip() and not text[end:line_end].strip():
        return text[:line_start] + text[line_end:]
    return text[:start] + text[end:]


def netrc_set(text, machine, key):
    # type: (str, str, str) -> str
    """Return netrc text whose entry for `machine` holds `key`.

    The last entry for the machine is replaced where it stands, the others
    are removed; every other byte is kept. Line ends follow the file's. A new
    entry goes at the end, or before a `default` entry, which must come after
    every machine (ftp(1); curl stops reading at it).
    """
    entries, _ = parse_netrc(text)
    mine = [e for e in entries if e.kind == "machine" and e.name == machine]
    newline = "\r\n" if "\r\n" in text else "\n"
    block = "machine %s%s  login user%s  password %s" % (
        machine, newline, newline, key)
    if not mine:
        for entry in entries:
            if entry.kind == "default":
                at = text.rfind("\n", 0, entry.start) + 1
                if text[at:entry.start].strip():
                    at = entry.start
                return text[:at] + block + newline + text[at:]
        last = entries[-1] if entries else None
        unclosed_macro = last is not None and last.kind == "macdef" and \
            last.end == len(text) and not text.endswith(("\n\n", "\n\r\n"))
        if text and not text.endswith("\n"):
            text += newline
        if unclosed_macro:
            # A macro runs to the first empty line: without one, it would
            # swallow the new entry and the key would never be found.
            text += newline
        appended = text + block + newline
        found = netrc_lookup(parse_netrc(appended)[0], machine)
        if found is None or found.password != key:
            # A field left without a value at the very end would take
            # `machine` as its value: put the entry before everything else.
            return block + newline + text
        return appended
    last = mine[-1]
    for entry in reversed(mine[:-1]):
        if entry.start > last.start:
            text = _cut(text, entry.start, entry.end)
    text = text[:last.start] + block + text[last.end:]
    for entry in reversed(mine[:-1]):
        if entry.start < last.start:
            text = _cut(text, entry.start, entry.end)
    return text


def netrc_remove(text, machine):
    # type: (str, str) -> tuple
    """Return (text without the entries for `machine`, how many were removed)."""
    entries, _ = parse_netrc(text)
    mine = [e for e in entries if e.kind == "machine" and e.name == machine]
    for entry in reversed(mine):
        text = _cut(text, entry.start, entry.end)
    return text, len(mine)


# --------------------------------------------------------------------------
# Pure logic: settings text (INI with a [default] section)
#
# Edited line by line, not through configparser, so that comments, other
# sections and the order of keys survive a rewrite.
# --------------------------------------------------------------------------

def _ini_lines(text):
    """Yield (index, kind, section, option, value) for each line.

    kind is 'blank', 'comment', 'section', 'option', 'more' (a continuation
    line of the option above it) or 'bad'.
    """
    section, option_indent = None, None
    for index, line in enumerate(text.splitlines(True)):
        stripped = line.strip()
        indent = len(line) - len(line.lstrip())
        if not stripped:
            option_indent = None
            yield index, "blank", section, None, None
        elif stripped[0] in "#;":
            yield index, "comment", section, None, None
        elif option_indent is not None and indent > option_indent:
            yield index, "more", section, None, stripped
        elif stripped.startswith("[") and stripped.endswith("]") \
                and len(stripped) > 2:
            section, option_indent = stripped[1:-1], None
            yield index, "section", section, None, None
        else:
            cuts = [i for i in (stripped.find("="), stripped.find(":")) if i > 0]
            if section is None or not cuts:
                option_indent = None
                yield index, "bad", section, None, None
                continue
            cut = min(cuts)
            option_indent = indent
            yield (index, "option", section, stripped[:cut].strip().lower(),
                   stripped[cut + 1:].strip())


def parse_settings(text):
    # type: (str) -> tuple
    """Read the [default] section: (dict of options, first bad line or None)."""
    values, bad, last = {}, None, None
    for index, kind, section, option, value in _ini_lines(text):
        if kind == "bad" and bad is None:
            bad = index + 1
        elif kind == "option":
            last = option if section == "default" else None
            if last:
                values[last] = value
        elif kind == "more" and last:
            values[last] += "\n" + value
    return values, bad


def settings_set(text, option, value):
    # type: (str, str, object) -> str
    """Return settings text with [default] `option` set, or removed if None."""
    lines = text.splitlines(True)
    newline = "\r\n" if "\r\n" in text else "\n"
    drop, replace_at, header_at, end_of_default = set(), None, None, None
    owner = False
    for index, kind, section, name, _ in _ini_lines(text):
        in_default = section == "default"
        if kind == "section" and in_default and header_at is None:
            header_at = end_of_default = index
        if kind == "option":
            owner = in_default and name == option
            if owner:
                if replace_at is None and value is not None:
                    replace_at = index
                else:
                    drop.add(index)
        elif kind == "more" and owner:
            drop.add(index)
        elif kind != "more":
            owner = False
        if in_default and kind in ("option", "more") and header_at is not None:
            end_of_default = index
    entry = "%s = %s" % (option, value)
    if replace_at is not None:
        ending = lines[replace_at][len(lines[replace_at].rstrip("\r\n")):]
        lines[replace_at] = entry + (ending or newline)
    elif value is not None and header_at is not None:
        if not lines[end_of_default].endswith("\n"):
            lines[end_of_default] += newline
        lines.insert(end_of_default + 1, entry + newline)
        drop = set(i + 1 if i > end_of_default else i for i in drop)
    elif value is not None:
        if lines and not lines[-1].endswith("\n"):
            lines[-1] += newline
        if lines and lines[-1].strip():
            lines.append(newline)
        lines += ["[default]" + newline, entry + newline]
    return "".join(line for i, line in enumerate(lines) if i not in drop)


# --------------------------------------------------------------------------
# Effects: environment and paths
# --------------------------------------------------------------------------

def _home(env, os_name=None):
    os_name = os.name if os_name is None else os_name
    home = env.get("HOME") or (env.get("USERPROFILE") if os_name == "nt" else None)
    return home or os.path.expanduser("~")


def _expand(path, env):
    if path == "~" or path.startswith("~/") or path.startswith("~" + os.sep):
        return _home(env) + path[1:]
    return path


def netrc_path(env=None, os_name=None):
    # type: (dict, str) -> str
    """Where the netrc file is: NETRC, else ~/.netrc or ~/_netrc, as the SDK."""
    env = os.environ if env is None else env
    os_name = os.name if os_name is None else os_name
    if env.get("NETRC"):
        return _expand(env["NETRC"], env)
    home = _home(env, os_name)
    for name in (".netrc", "_netrc"):
        candidate = os.path.join(home, name)
        if os.path.exists(candidate):
            return candidate
    return os.path.join(home, "_netrc" if os_name == "nt" else ".netrc")


def settings_paths(env=None, cwd=None):
    # type: (dict, str) -> tuple
    """(workspace settings path, global settings path)."""
    env = os.environ if env is None else env
    root = env.get("WANDB_DIR") or (os.getcwd() if cwd is None else cwd)
    root = _expand(root, env)
    hidden = os.path.join(root, ".wandb")
    workspace = os.path.join(hidden if os.path.isdir(hidden)
                             else os.path.join(root, "wandb"), "settings")
    config_dir = env.get("WANDB_CONFIG_DIR")
    config_dir = _expand(config_dir, env) if config_dir else os.path.join(
        _home(env), ".config", "wandb")
    return workspace, os.path.join(config_dir, "settings")


def _say(stderr, message):
    stream = sys.stderr if stderr is None else stderr
    stream.write("wblogin: %s\n" % message)
    stream.flush()


def _read_text(path):
    """The file's text (bytes kept one to one), or None when it is absent."""
    try:
        with open(path, "rb") as handle:
            return handle.read().decode("latin-1")
    except (FileNotFoundError, NotADirectoryError):
        return None


class _Settings(object):
    """The workspace and global settings files, read once."""

    def __init__(self, env, cwd, stderr):
        self.workspace, self.global_ = settings_paths(env, cwd)
        self.values = {}   # option -> (value, path); workspace wins
        self.files = {}    # path -> its own options
        for path in (self.global_, self.workspace):
            try:
                text = _read_text(path)
            except OSError as error:
                _say(stderr, "warning: cannot read settings file %s: %s"
                     % (path, error.strerror or error))
                continue
            if text is None:
                continue
            values, bad = parse_settings(text)
            if bad:
                _say(stderr, "warning: settings file %s line %d is not "
                     "'key = value' or a [section]; ignoring that line"
                     % (path, bad))
            self.files[path] = values
            for option, value in values.items():
                self.values[option] = (value, path)

    def get(self, option):
        return self.values.get(option, (None, None))

    def in_effect(self):
        return [p for p in (self.workspace, self.global_) if os.path.isfile(p)]


def resolve_host(host=None, cloud=False, env=None, cwd=None, stderr=None,
                 _settings=None):
    # type: (str, bool, dict, str, object, object) -> tuple
    """Which server to log in to: (normalised URL, where that came from).

    Order: --host/--cloud, WANDB_BASE_URL, settings base_url (workspace,
    then global), https://api.wandb.ai.
    """
    env = os.environ if env is None else env
    if host is not None:
        return normalize_host(host, "--host"), "--host"
    if cloud:
        return CLOUD_URL, "--cloud"
    if env.get("WANDB_BASE_URL", "").strip():
        return normalize_host(env["WANDB_BASE_URL"], "WANDB_BASE_URL"), \
            "WANDB_BASE_URL"
    settings = _settings or _Settings(env, cwd, stderr)
    value, path = settings.get("base_url")
    if value:
        return normalize_host(value, "base_url in %s" % path), path
    return CLOUD_URL, "default"


# --------------------------------------------------------------------------
# Effects: the netrc file
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


def _lock(path, wait, owner=None):
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
    import time
    flags = os.O_RDWR | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOFOLLOW", 0)
    try:
        # Only a lock file we create ourselves is given away: an existing
        # one may be a link planted to make root chown another file.
        fd = os.open(path, flags | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        fd, owner = os.open(path, flags), None
    try:
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


def _update_file(path, change, lock_wait=None, stderr=None):
    """Read, change and atomically replace a file under an advisory lock.

    `change(old_text_or_None)` returns the new text, or None to leave the file
    alone. The new content is written to a temporary file in the same
    directory, created 0600, synced, then renamed over the target, so a
    reader (or a crash) sees the old file or the new one, never a mix. The
    result is always 0600 (netrc and settings files may both hold a key);
    the user is told when the file was more open than that. A symlink stays
    a symlink: its target is what gets replaced.

    Returns the old text, or None when there was no file.
    """
    target = os.path.realpath(path) if os.path.islink(path) else path
    if os.path.isdir(target):
        import errno
        raise IsADirectoryError(errno.EISDIR, "it is a directory", target)
    directory = os.path.dirname(target) or "."
    base = os.path.basename(target)
    try:
        owner = os.stat(target)
    except OSError:
        owner = None
    lock_fd, locked = _lock(target + ".lock",
                            _LOCK_WAIT if lock_wait is None else lock_wait, owner)
    temp = None
    try:
        old = _read_text(target)
        info = os.stat(target) if old is not None else None
        new = change(old)
        if new is None:
            return old
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
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
        fd = os.open(temp, flags | getattr(os, "O_CLOEXEC", 0), 0o600)
        try:
            if hasattr(os, "fchmod"):
                os.fchmod(fd, 0o600)   # exactly 0600, whatever the umask
            _give_owner(fd, info)
            data = new.encode("latin-1")
            while data:
                data = data[os.write(fd, data):]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temp, target)
        temp = None
        _fsync_dir(directory)
        if info is not None and info.st_mode & 0o077:
            _say(stderr, "%s was readable by others (mode %04o); it is now 0600"
                 % (target, info.st_mode & 0o777))
        return old
    finally:
        if temp is not None:
            try:
                os.unlink(temp)
            except OSError:
                pass
        os.close(lock_fd)


def _storage_error(path, error):
    reason = error.strerror or str(error)
    culprit = getattr(error, "filename", None)
    if culprit and culprit != path:
        # The lock or the temporary file beside it: name what really failed.
        reason = "%s: %s" % (culprit, reason)
    return StorageError(
        "cannot write %s: %s; set NETRC=<writable file> to store the key "
        "elsewhere" % (path, reason), path=path)


def _stdlib_netrc_check(path, stderr):
    """Warn when this Python's own netrc module (the SDK's reader) chokes."""
    import netrc
    try:
        netrc.netrc(path)
    except netrc.NetrcParseError as error:
        _say(stderr, "warning: Python's netrc module cannot read %s (line %s: "
             "%s); the wandb SDK may not find the key"
             % (path, error.lineno, error.msg))
    except UnicodeDecodeError as error:
        # Python 3.10+ tries UTF-8 and then the locale's encoding; older ones
        # only the locale's. Either way the SDK gets no key from this file.
        _say(stderr, "warning: Python's netrc module cannot read %s (line %d "
             "is not %s text); the wandb SDK may not find the key"
             % (path, _undecodable_line(path, error.encoding), error.encoding))
    except OSError:
        pass


def _undecodable_line(path, encoding):
    """The number of the first line of `path` not in `encoding` (0: none)."""
    try:
        with open(path, "rb") as handle:
            for number, line in enumerate(handle, 1):
                try:
                    line.decode(encoding)
                except UnicodeDecodeError:
                    return number
    except OSError:
        pass
    return 0


def _host_url(host):
    """The normalised URL for a library caller's host: a URL or a bare name."""
    return normalize_host(host if "://" in host else "https://" + host)


def write_netrc_key(host, key, path=None, env=None, stderr=None):
    # type: (str, str, str, dict, object) -> str
    """Store `key` for `host` in the netrc file; return the file's path.

    Raises:
        InvalidKeyError: the key has not the shape of an API key.
        UsageError: the host is not a valid URL.
        StorageError: the file could not be locked or written.
    """
    env = os.environ if env is None else env
    path = netrc_path(env) if path is None else path
    machine = _netloc(_host_url(host))
    key = clean_api_key(key)
    problem = validate_api_key(key)
    if problem:
        raise InvalidKeyError(problem)
    try:
        old = _update_file(path, lambda text: netrc_set(text or "", machine, key),
                           stderr=stderr)
    except OSError as error:
        raise _storage_error(path, error)
    if old is not None:
        problems = parse_netrc(old)[1]
        if problems:
            _say(stderr, "warning: %s line %d: %s; kept that line as it was"
                 % (path, problems[0][0], problems[0][1]))
    _stdlib_netrc_check(path, stderr)
    return path


def remove_netrc_key(host, path=None, env=None, stderr=None):
    # type: (str, str, dict, object) -> int
    """Remove every entry for `host` from the netrc file; return how many."""
    env = os.environ if env is None else env
    path = netrc_path(env) if path is None else path
    machines = _machines_for(_host_url(host))
    removed = [0]

    def change(text):
        removed[0] = 0
        for machine in machines:
            text, count = netrc_remove(text or "", machine)
            removed[0] += count
        return text if removed[0] else None

    try:
        # Nothing to remove needs no lock, so logging out twice works even
        # where the netrc cannot be written.
        if change(_read_text(path)) is None:
            return 0
        _update_file(path, change, stderr=stderr)
    except OSError as error:
        raise _storage_error(path, error)
    return removed[0]


def _read_netrc(path, stderr):
    try:
        text = _read_text(path)
    except OSError as error:
        _say(stderr, "warning: cannot read %s: %s" % (path, error.strerror))
        return []
    if text is None:
        return []
    entries, problems = parse_netrc(text)
    for line, sentence in problems[:1]:
        _say(stderr, "warning: %s line %d: %s" % (path, line, sentence))
    return entries


# --------------------------------------------------------------------------
# Effects: finding a key, the prompt
# --------------------------------------------------------------------------

def find_api_key(host, env=None, cwd=None, netrc=None, stderr=None,
                 _settings=None):
    # type: (str, dict, str, str, object, object) -> tuple
    """The key the SDK would use for `host`: (key, source) or (None, None).

    Order: WANDB_API_KEY, settings api_key (only for the host those settings
    name), the netrc entry. `source` is the variable name or the file path.
    The key is returned as found (cleaned), not validated.
    """
    env = os.environ if env is None else env
    host = normalize_host(host)
    if env.get("WANDB_API_KEY", "").strip():
        return clean_api_key(env["WANDB_API_KEY"]), "WANDB_API_KEY"
    settings = _settings or _Settings(env, cwd, stderr)
    key, path = settings.get("api_key")
    if key:
        # The server the key's own file names: a base_url from another
        # file (an untrusted project's wandb/settings) must not attract it.
        base_url = settings.files[path].get("base_url")
        try:
            named = normalize_host(base_url) if base_url else CLOUD_URL
        except UsageError:
            named = None
        if named == host:
            return clean_api_key(key), path
    netrc = netrc_path(env) if netrc is None else netrc
    entry = _netrc_entry_for(_read_netrc(netrc, stderr), host)
    if entry is not None and entry.password:
        return clean_api_key(entry.password), netrc
    return None, None


def _prompt_key(host, env, stderr, ask):
    """Ask for a key on the terminal, hidden; up to three tries."""
    _say(stderr, "logging in to %s" % host)
    _say(stderr, "create or copy an API key at %s/authorize" % app_url(host, env))
    for attempt in range(1, _PROMPT_TRIES + 1):
        try:
            typed = ask("API key (input hidden): ")
        except (EOFError, KeyboardInterrupt):
            raise Interrupted("interrupted at the prompt; nothing was stored")
        key = clean_api_key(typed)
        problem = validate_api_key(key) if key else "No key entered."
        if problem is None:
            yield key
            continue
        left = _PROMPT_TRIES - attempt
        _say(stderr, "%s%s" % (problem, " Try again (%d left)." % left if left else ""))
    raise LoginError("no valid API key after %d tries" % _PROMPT_TRIES)


def _getpass(prompt):
    import getpass
    return getpass.getpass(prompt)


# --------------------------------------------------------------------------
# Effects: verification over HTTP(S)
# --------------------------------------------------------------------------

_VIEWER_QUERY = (
    "query Viewer { viewer { id entity username email "
    "teams { edges { node { name } } } } }")


def _env_proxies(env):
    """Proxy settings from `env`, read the way urllib reads os.environ."""
    proxies = {}
    for name, value in env.items():
        if value and name.lower().endswith("_proxy"):
            proxies[name.lower()[:-6]] = value
    if "REQUEST_METHOD" in env:
        proxies.pop("http", None)
    for name, value in env.items():
        if name.endswith("_proxy"):
            if value:
                proxies[name[:-6].lower()] = value
            else:
                proxies.pop(name[:-6].lower(), None)
    return proxies


def _env_proxy(url, env):
    """The proxy `env` names for `url` (a *_proxy value), or None.

    Decided here rather than by urllib's ProxyHandler, which asks os.environ,
    not the caller's `env`, whether NO_PROXY applies.
    """
    import urllib.request
    proxies = _env_proxies(env)
    proxy = proxies.get(url.split(":", 1)[0])
    if not proxy or (proxies.get("no") and
                     urllib.request.proxy_bypass_environment(_netloc(url), proxies)):
        return None
    return proxy


def _use_proxy(request, proxy):
    """Send `request` through `proxy`, as urllib's ProxyHandler would."""
    import base64
    import urllib.parse
    scheme, _, rest = proxy.partition("://")
    if not rest:
        scheme, rest = request.type, proxy
    userinfo, _, hostport = rest.rpartition("@")
    user, _, password = userinfo.partition(":")
    if user and password:
        credentials = "%s:%s" % (urllib.parse.unquote(user),
                                 urllib.parse.unquote(password))
        request.add_header("Proxy-authorization", "Basic " + base64.b64encode(
            credentials.encode()).decode("ascii"))
    request.set_proxy(urllib.parse.unquote(hostport.split("/", 1)[0]), scheme)


def _ssl_context(env, stderr):
    import ssl
    bundle = env.get("REQUESTS_CA_BUNDLE") or None
    cafile = capath = None
    if bundle:
        if not os.path.exists(bundle):
            raise UsageError("REQUESTS_CA_BUNDLE names %s, which does not exist"
                             % bundle, path=bundle)
        if os.path.isdir(bundle):
            capath = bundle
        else:
            cafile = bundle
    else:
        for name in ("SSL_CERT_FILE", "SSL_CERT_DIR"):
            value = env.get(name)
            if value and not os.path.exists(value):
                raise UsageError("%s names %s, which does not exist"
                                 % (name, value), path=value)
        cafile = env.get("SSL_CERT_FILE") or None
        capath = env.get("SSL_CERT_DIR") or None
    try:
        context = ssl.create_default_context(cafile=cafile, capath=capath)
    except (ssl.SSLError, OSError) as error:
        raise UsageError("cannot load CA certificates from %s: %s"
                         % (bundle or cafile or capath, error))
    if env.get("WANDB_INSECURE_DISABLE_SSL", "").strip().lower() in _TRUE:
        _say(stderr, "WARNING: WANDB_INSECURE_DISABLE_SSL is set: the server's "
             "certificate is NOT checked; anyone on the path can read your key")
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context


def _origin(url):
    import urllib.parse
    parts = urllib.parse.urlsplit(url)
    port = parts.port or {"https": 443, "http": 80}.get(parts.scheme)
    return parts.scheme, (parts.hostname or "").lower(), port


def _network_error(host, error, timeout):
    """Turn a connection failure into a one-line ServerError."""
    import socket
    import ssl
    reason = getattr(error, "reason", error)
    where = _netloc(host)
    if isinstance(reason, socket.gaierror):
        text = "cannot resolve %s: no such host (check the spelling of --host, " \
               "or your DNS)" % where.rsplit(":", 1)[0]
    elif isinstance(reason, ConnectionRefusedError):
        text = "connection to %s refused: nothing is listening there (is the " \
               "server running, and is the port right?)" % where
    elif isinstance(reason, (socket.timeout, TimeoutError)):
        text = "no answer from %s within %g s (a firewall, a proxy, or a " \
               "down server? raise --timeout if it is only slow)" % (where, timeout)
    elif isinstance(reason, getattr(ssl, "CertificateError", ())) or (
            isinstance(reason, ssl.SSLError) and "CERTIFICATE_VERIFY_FAILED"
            in str(reason).upper().replace(" ", "_")):
        text = "TLS certificate of %s could not be verified (%s); point " \
               "REQUESTS_CA_BUNDLE or SSL_CERT_FILE at your CA bundle" % (
                   where, getattr(reason, "verify_message", None) or
                   getattr(reason, "reason", None) or reason)
    elif isinstance(reason, ssl.SSLError):
        text = "TLS handshake with %s failed (%s); is it an https server?" % (
            where, getattr(reason, "reason", None) or reason)
    else:
        text = "cannot reach %s: %s" % (where, getattr(reason, "strerror", None)
                                        or reason)
    return ServerError(text, host=host)


def _looks_like_html(body, content_type):
    start = body.lstrip()[:64].lower()
    return "html" in content_type or start.startswith(b"<!doctype") or \
        start.startswith(b"<html")


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
            names.append(name)
    return names


def verify_api_key(host, key, timeout=None, env=None, stderr=None):
    # type: (str, str, float, dict, object) -> dict
    """Ask `host` who owns `key`; return the viewer (user, entity, teams...).

    Raises:
        KeyRejectedError: 401/403, or the server knows no viewer for the key.
        ServerError: unreachable, a redirect elsewhere, not the W&B API.
        UsageError: a CA bundle named in the environment does not exist.
    """
    # The network stack is imported only here, so storing a key never pays
    # for it.
    import base64
    import http.client
    import json
    import time
    import urllib.error
    import urllib.parse
    import urllib.request

    env = os.environ if env is None else env
    host = normalize_host(host)
    timeout = _DEFAULT_TIMEOUT if timeout is None else float(timeout)
    body = json.dumps({"query": _VIEWER_QUERY, "operationName": "Viewer"}).encode()
    token = base64.b64encode(("api:" + key).encode()).decode()
    headers = {"Authorization": "Basic " + token,
               "Content-Type": "application/json",
               "Accept": "application/json",
               "User-Agent": "wblogin/" + __version__}

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        # urllib's own handler would carry the Authorization header to
        # wherever the server points (and trips over a malformed Location);
        # every redirect comes back as an HTTPError and is judged below.
        def http_error_302(self, *args):
            return None

        http_error_301 = http_error_303 = http_error_307 = http_error_302
        http_error_308 = http_error_302

    # An empty ProxyHandler keeps urllib from reading os.environ; the proxy
    # from `env` is set on each request instead.
    proxy = _env_proxy(host, env)
    handlers = [urllib.request.ProxyHandler({}), NoRedirect]
    if host.startswith("https:"):
        handlers.append(urllib.request.HTTPSHandler(context=_ssl_context(env, stderr)))
    opener = urllib.request.build_opener(*handlers)

    deadline = time.monotonic() + timeout
    url, hops, attempt = host + "/graphql", 0, 0
    while True:
        attempt += 1
        remaining = deadline - time.monotonic()
        status, retry_after, failure = None, None, None
        request = urllib.request.Request(url, data=body, headers=headers,
                                         method="POST")
        if proxy:
            _use_proxy(request, proxy)
        try:
            with opener.open(request, timeout=max(remaining, 0.001)) as reply:
                status, reply_headers = reply.status, reply.headers
                data = reply.read(1 << 20)
        except urllib.error.HTTPError as error:
            status, reply_headers = error.code, error.headers
            try:
                data = error.read(1 << 20)
            except (OSError, http.client.HTTPException):
                data = b""
        except (urllib.error.URLError, OSError, http.client.HTTPException) as error:
            reason = getattr(error, "reason", error)
            if isinstance(reason, (ConnectionResetError, ConnectionAbortedError,
                                   http.client.RemoteDisconnected,
                                   http.client.BadStatusLine)):
                failure = ServerError("%s closed the connection without an "
                                      "answer" % _netloc(host), host=host)
            else:
                raise _network_error(host, error, timeout)
        except ValueError as error:   # ssl.CertificateError on Python 3.6
            raise _network_error(host, error, timeout)
        if status in (429, 502, 503, 504):
            failure = ServerError(
                "%s answered HTTP %d (busy or down) %d times; try again later"
                % (_netloc(host), status, attempt), host=host)
            retry_after = reply_headers.get("Retry-After", "")
        if failure is not None:
            delay = 0.5 * 2 ** (attempt - 1)
            if retry_after and retry_after.strip().isdigit():
                delay = float(retry_after.strip())
            if attempt >= 3 or time.monotonic() + delay >= deadline:
                raise failure
            time.sleep(delay)
            continue
        if 300 <= status < 400:
            location = reply_headers.get("Location", "")
            try:
                location = urllib.parse.urljoin(url, location)
                same_origin = _origin(location) == _origin(url)
            except ValueError:    # a port out of range, a broken [IPv6]
                same_origin = False
            if status in (307, 308) and same_origin:
                if hops < 5:
                    url, hops = location, hops + 1
                    attempt -= 1
                    continue
                raise ServerError("%s kept redirecting (more than 5 redirects, "
                                  "the last to %s); is it a W&B server?"
                                  % (host, location), host=host)
            suggestion = location[:-len("/graphql")] if \
                location.endswith("/graphql") else location
            raise ServerError("server redirected to %s; try --host %s"
                              % (suggestion, suggestion.rstrip("/")), host=host)
        content_type = (reply_headers.get("Content-Type") or "").lower()
        if status in (401, 403):
            raise KeyRejectedError("%s rejected the API key %s (HTTP %d)"
                                   % (host, mask_api_key(key), status), host=host)
        if _looks_like_html(data, content_type):
            raise ServerError(
                "%s/graphql answered HTTP %d with an HTML page, not the W&B API "
                "(a wrong URL, or a login page of an SSO proxy?)"
                % (host, status), host=host)
        if status == 404:
            raise ServerError("%s/graphql answered HTTP 404: no W&B API there "
                              "(a wrong path prefix in --host?)" % host, host=host)
        if status >= 500:
            raise ServerError("%s answered HTTP %d (a server error); try again "
                              "later or ask its administrator" % (host, status),
                              host=host)
        if status != 200:
            raise ServerError("%s/graphql answered HTTP %d, which the W&B API "
                              "does not" % (host, status), host=host)
        try:
            answer = json.loads(data.decode("utf-8"))
        except ValueError:
            raise ServerError("%s/graphql answered HTTP 200 with something that "
                              "is not JSON (is this a W&B server?)" % host,
                              host=host)
        if not isinstance(answer, dict) or not isinstance(answer.get("data"), dict) \
                or "viewer" not in answer["data"]:
            raise ServerError("%s/graphql answered JSON without data.viewer "
                              "(is this a W&B server?)" % host, host=host)
        viewer = answer["data"]["viewer"]
        if not isinstance(viewer, dict):
            raise KeyRejectedError("%s does not know the API key %s"
                                   % (host, mask_api_key(key)), host=host)
        viewer["teams"] = _team_names(viewer.get("teams"))
        return viewer


# --------------------------------------------------------------------------
# The login flow
# --------------------------------------------------------------------------

def _new_result(action):
    return {"ok": False, "action": action, "host": None, "host_source": None,
            "key_source": None, "key": None, "netrc": None, "stored": False,
            "verified": False, "user": None, "entity": None, "teams": None,
            "error": None}


def _checked(key, source):
    """A key found somewhere: malformed is exit 1, naming where it was."""
    problem = validate_api_key(key)
    if problem:
        raise LoginError("the API key in %s is not usable: %s" % (source, problem))
    return key


def _verify_into(result, host, key, timeout, env, stderr):
    viewer = verify_api_key(host, key, timeout=timeout, env=env, stderr=stderr)
    result.update(verified=True, user=viewer.get("username"),
                  entity=viewer.get("entity"), teams=viewer.get("teams"))
    _say(stderr, "logged in to %s as %s (default team: %s), with API key %s "
         "from %s" % (host, viewer.get("username") or viewer.get("email") or "?",
                      viewer.get("entity") or "none", mask_api_key(key),
                      result["key_source"]))


def _warn_if_plain_http(url, stderr):
    if url.startswith("http:") and not _is_loopback(url):
        _say(stderr, "warning: %s is plain http: the API key travels "
             "unencrypted" % url)


def _write_settings(host, env, cwd, stderr):
    """After a login with --host/--cloud, make the settings name that host."""
    workspace, global_ = settings_paths(env, cwd)
    value = None if host == CLOUD_URL else host
    for path, wanted in ((global_, value), (workspace, None)):
        if wanted is None and not os.path.exists(path):
            continue
        try:
            if wanted is not None:
                parent = os.path.dirname(path)
                if not os.path.isdir(parent):
                    # exist_ok: a concurrent login may create it first.
                    os.makedirs(parent, 0o700, exist_ok=True)
            _update_file(path, lambda text: _settings_change(text, wanted),
                         stderr=stderr)
        except (OSError, StorageError) as error:
            _say(stderr, "warning: could not update %s (%s); the key is stored, "
                 "but pass --host %s next time" % (
                     path, getattr(error, "strerror", None) or error, host))


def _settings_change(text, value):
    new = settings_set(text or "", "base_url", value)
    return None if new == (text or "") else new


def login(key=None, host=None, cloud=False, relogin=False, verify=False,
          timeout=None, key_source="argument", env=None, cwd=None, netrc=None,
          stdin=None, stderr=None, ask=None, result=None):
    # type: (...) -> dict
    """Log in as `wandb login` does; return what happened as a dict.

    With `key`, it is validated, verified if asked, and stored. Without one,
    an existing key is reported (not copied) unless `relogin`; with none found,
    the user is prompted when `stdin` is a terminal. The dict never holds the
    key itself, only its masked form.

    Raises:
        LoginError (or a subclass) with the exit code the CLI would return.
    """
    env = os.environ if env is None else env
    stdin = sys.stdin if stdin is None else stdin
    ask = _getpass if ask is None else ask
    result = _new_result("login") if result is None else result
    if host is not None and cloud:
        raise UsageError("--cloud and --host exclude each other")
    settings = _Settings(env, cwd, stderr)
    url, source = resolve_host(host, cloud, env, cwd, stderr, settings)
    result.update(host=url, host_source=source)
    netrc = netrc_path(env) if netrc is None else netrc
    result["netrc"] = netrc
    _warn_if_plain_http(url, stderr)

    def store(new_key, where):
        result.update(key=mask_api_key(new_key), key_source=where)
        if verify:
            _verify_into(result, url, new_key, timeout, env, stderr)
        write_netrc_key(url, new_key, path=netrc, env=env, stderr=stderr)
        result["stored"] = True
        _say(stderr, "stored API key %s for %s in %s"
             % (mask_api_key(new_key), url, netrc))
        if env.get("WANDB_API_KEY", "").strip():
            _say(stderr, "note: WANDB_API_KEY is set and still takes precedence "
                 "over the stored key for the wandb SDK")

    if key is not None:
        key = clean_api_key(key)
        problem = validate_api_key(key)
        if problem:
            raise InvalidKeyError(problem)
        store(key, key_source)
    else:
        found, where = (None, None) if relogin else find_api_key(
            url, env, cwd, netrc, stderr, settings)
        if found is not None:
            _checked(found, where)
            result.update(key=mask_api_key(found), key_source=where)
            if verify:
                _verify_into(result, url, found, timeout, env, stderr)
            else:
                _say(stderr, "already logged in to %s with API key %s from %s "
                     "(use --relogin to replace it)"
                     % (url, mask_api_key(found), where))
        elif not _isatty(stdin):
            raise NoCredentialsError(
                "no API key for %s and no terminal to ask for one: %s"
                % (url, _HOW_TO_SUPPLY))
        else:
            for typed in _prompt_key(url, env, stderr, ask):
                try:
                    store(typed, "prompt")
                    break
                except KeyRejectedError as error:
                    _say(stderr, "%s" % error)
    if host is not None or cloud:
        _write_settings(url, env, cwd, stderr)
    result["ok"] = True
    return result


def _isatty(stream):
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


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
                return name[6:].rsplit(".", 1)[0].split("-")[0]
    return None


def _version_tuple(text):
    parts = []
    for piece in text.split(".")[:3]:
        digits = ""
        for ch in piece:
            if not ch.isdigit():
                break
            digits += ch
        parts.append(int(digits or 0))
    return tuple(parts)


def status(host=None, cloud=False, verify=False, timeout=None, env=None,
           cwd=None, netrc=None, stderr=None, result=None):
    # type: (...) -> dict
    """Report which host and key would be used, and from where; change nothing.

    Raises:
        NoCredentialsError: no key is configured for the host.
    """
    env = os.environ if env is None else env
    result = _new_result("status") if result is None else result
    settings = _Settings(env, cwd, stderr)
    url, source = resolve_host(host, cloud, env, cwd, stderr, settings)
    netrc = netrc_path(env) if netrc is None else netrc
    result.update(host=url, host_source=source, netrc=netrc)
    _say(stderr, "host: %s (from %s)" % (url, source))
    _warn_if_plain_http(url, stderr)
    try:
        mode = "mode %04o" % (os.stat(netrc).st_mode & 0o777)
    except OSError:
        mode = "does not exist"
    import io
    entries = _read_netrc(netrc, io.StringIO())   # find_api_key warns below
    entry = _netrc_entry_for(entries, url)
    _say(stderr, "netrc: %s (%s%s)" % (netrc, mode, ", has an entry for %s"
                                        % entry.name if entry else ""))
    if any(e.kind == "default" for e in entries):
        _say(stderr, "netrc: its 'default' entry is not used as a W&B key")
    in_effect = settings.in_effect()
    _say(stderr, "settings: %s" % (", ".join(in_effect) if in_effect else "none"))
    key, where = find_api_key(url, env, cwd, netrc, stderr, settings)
    installed = _wandb_version()
    if installed:
        _say(stderr, "wandb SDK %s is installed for this Python" % installed)
        version = _version_tuple(installed)
        for too_old, wanted, why in (
                (version < _OLDEST_SDK_FOR_LONG_KEYS, key and len(key) > 40,
                 "rejects API keys longer than 40 characters"),
                (version < _OLDEST_SDK_FOR_JWT, key and "." in key,
                 "rejects API keys that are tokens (JWT)"),
                (version < _OLDEST_SDK_FOR_PORTS, ":" in _netloc(url).split("]")[-1],
                 "looks netrc entries up without the port, so it will not "
                 "find the one for %s" % _netloc(url))):
            if too_old and wanted:
                _say(stderr, "warning: wandb %s %s; upgrade it (pip install -U "
                     "wandb)" % (installed, why))
    if key is None:
        raise NoCredentialsError("no API key for %s: %s" % (url, _HOW_TO_SUPPLY))
    _checked(key, where)
    result.update(key=mask_api_key(key), key_source=where)
    _say(stderr, "key: %s from %s" % (mask_api_key(key), where))
    if verify:
        _verify_into(result, url, key, timeout, env, stderr)
    result["ok"] = True
    return result


def logout(host=None, cloud=False, env=None, cwd=None, netrc=None, stderr=None,
           result=None):
    # type: (...) -> dict
    """Remove the host's netrc entries; say what would still supply a key."""
    env = os.environ if env is None else env
    result = _new_result("logout") if result is None else result
    settings = _Settings(env, cwd, stderr)
    url, source = resolve_host(host, cloud, env, cwd, stderr, settings)
    netrc = netrc_path(env) if netrc is None else netrc
    result.update(host=url, host_source=source, netrc=netrc)
    removed = remove_netrc_key(url, path=netrc, env=env, stderr=stderr)
    if removed:
        _say(stderr, "removed the API key for %s from %s" % (url, netrc))
    else:
        _say(stderr, "no API key for %s in %s; nothing to remove" % (url, netrc))
    key, where = find_api_key(url, env, cwd, netrc, stderr, settings)
    if key is not None:
        result.update(key=mask_api_key(key), key_source=where)
        _say(stderr, "note: %s still supplies an API key (%s) for %s"
             % (where, mask_api_key(key), url))
    result["ok"] = True
    return result


# --------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------

_DESCRIPTION = """\
Store a W&B API key on this machine, where the wandb SDK finds it (the netrc
file), without installing the SDK. The key is not checked with the server
unless --verify is given.

With no KEY, credentials are looked up in this order:
  1. the WANDB_API_KEY environment variable
  2. api_key in the workspace, then the global wandb settings file
  3. the netrc file (NETRC, ~/.netrc or ~/_netrc)
  4. a hidden prompt, when standard input is a terminal

For a self-hosted or dedicated W&B server, name it with --host or set
WANDB_BASE_URL.
"""

_EPILOG = """\
examples:
  python wblogin.py                          log in, prompting if needed
  python wblogin.py --host https://wandb.example.com
  python wblogin.py - < key.txt              read the key from standard input
  python wblogin.py --verify                 also check the key with the server
  python wblogin.py --cloud                  use https://api.wandb.ai
  python wblogin.py --relogin                ask for a new key
  python wblogin.py --status                 show host, key source, files

API keys: current keys start with wandb_v1_ and are about 90 characters long;
older keys have 40. wandb SDKs older than 0.22.3 reject the longer keys.
A new key is shown once, at <app>/authorize: copy it right away.

exit codes: 0 done, 1 no usable key / rejected / not stored, 2 usage error,
3 server unreachable or not the W&B API, 130 interrupted.
"""


def _help_width(env):
    """Columns for --help, found the way argparse would find them."""
    try:
        return int(env.get("COLUMNS", "")) - 2
    except ValueError:
        pass
    try:
        return os.get_terminal_size(sys.__stdout__.fileno()).columns - 2
    except (AttributeError, OSError, ValueError):
        return 78


def _build_parser(env):
    import argparse

    def formatter(prog):
        # Given a width, argparse does not import shutil (and with it bz2
        # and lzma) on every run just to ask for the terminal's size.
        return argparse.RawDescriptionHelpFormatter(prog, width=_help_width(env))

    parser = argparse.ArgumentParser(
        prog="wblogin.py", description=_DESCRIPTION, epilog=_EPILOG,
        formatter_class=formatter)
    add = parser.add_argument
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
    actions = parser.add_mutually_exclusive_group()
    actions.add_argument("--status", action="store_true",
                         help="show the host and key that would be used, and "
                              "from where; change nothing")
    actions.add_argument("--logout", action="store_true",
                         help="remove the stored key for the host")
    actions.add_argument("--print-key", action="store_true",
                         help="print the key that would be used, alone, to "
                              "stdout (for export WANDB_API_KEY=...)")
    add("--json", action="store_true",
        help="print one JSON object describing the outcome on stdout")
    add("--timeout", metavar="SECONDS",
        help="network timeout for --verify (default: WANDB_HTTP_TIMEOUT or 10)")
    add("--version", action="version", version="wblogin %s" % __version__)
    return parser


def _timeout(text, name, parser):
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 < value < 1e6:
        parser.error("%s must be a positive number of seconds" % name)
    return value


def _read_key_from_stdin(stdin, ask):
    if _isatty(stdin):
        try:
            return ask("API key (input hidden): ")
        except (EOFError, KeyboardInterrupt):
            raise Interrupted("interrupted; nothing was stored")
    try:
        line = stdin.buffer.readline() if hasattr(stdin, "buffer") else \
            stdin.readline()
    except (AttributeError, OSError, ValueError) as error:   # closed or write-only
        raise InvalidKeyError("cannot read standard input: %s"
                              % (getattr(error, "strerror", None) or "not open"))
    if isinstance(line, bytes):
        line = line.decode("utf-8", "replace")
    if not line.strip():
        raise InvalidKeyError("no API key on standard input")
    return line


def main(argv=None, env=None, cwd=None, stdin=None, stdout=None, stderr=None):
    # type: (list, dict, str, object, object, object) -> int
    """Run the command line; return the exit code."""
    env = os.environ if env is None else env
    stdin = sys.stdin if stdin is None else stdin
    stdout = sys.stdout if stdout is None else stdout
    parser = _build_parser(env)
    args = parser.parse_args(argv)
    if len(args.key) > 1:
        parser.error("give at most one KEY (or '-' to read it from standard input)")
    key = args.key[0] if args.key else None
    if args.cloud and args.host is not None:
        parser.error("--cloud and --host exclude each other")
    action = "status" if args.status else "logout" if args.logout else \
        "print-key" if args.print_key else "login"
    if action != "login" and key is not None:
        parser.error("--%s does not take a KEY" % action)
    if action == "print-key" and args.json:
        parser.error("--print-key prints the key alone; it does not go with --json")
    if args.timeout is not None:
        timeout = _timeout(args.timeout, "--timeout", parser)
    elif args.verify and env.get("WANDB_HTTP_TIMEOUT", "").strip():
        timeout = _timeout(env["WANDB_HTTP_TIMEOUT"], "WANDB_HTTP_TIMEOUT", parser)
    else:
        timeout = _DEFAULT_TIMEOUT
    if args.anonymously:
        _say(stderr, "warning: --anonymously has no effect; W&B no longer "
             "offers anonymous logins")
    result = _new_result("logout" if action == "logout" else
                         "status" if action == "status" else "login")
    code = 0
    try:
        if action == "print-key":
            settings = _Settings(env, cwd, stderr)
            url, _ = resolve_host(args.host, args.cloud, env, cwd, stderr, settings)
            found, where = find_api_key(url, env, cwd, None, stderr, settings)
            if found is None:
                raise NoCredentialsError("no API key for %s: %s"
                                         % (url, _HOW_TO_SUPPLY))
            stdout.write(_checked(found, where) + "\n")
            stdout.flush()
            return 0
        if action == "status":
            status(args.host, args.cloud, args.verify, timeout, env, cwd,
                   stderr=stderr, result=result)
        elif action == "logout":
            logout(args.host, args.cloud, env, cwd, stderr=stderr, result=result)
        else:
            source = "argument"
            if key == "-":
                key = _read_key_from_stdin(stdin, _getpass)
                source = "standard input"
            login(key, args.host, args.cloud, args.relogin or key is not None,
                  args.verify, timeout, source, env, cwd, stdin=stdin,
                  stderr=stderr, result=result)
    except KeyboardInterrupt:
        code, message = 130, "interrupted; nothing was stored"
        result["error"] = {"code": code, "message": message}
        _say(stderr, message)
    except LoginError as error:
        code = error.exit_code
        result["error"] = {"code": code, "message": error.message}
        _say(stderr, error.message)
    if args.json:
        import json
        stdout.write(json.dumps(result, sort_keys=True) + "\n")
        stdout.flush()
    return code


if __name__ == "__main__":
    sys.exit(main())
