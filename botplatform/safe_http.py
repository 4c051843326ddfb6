"""SSRF-safe JSON calls to the addresses store owners type into a flow's HTTP request node.

Every address a host resolves to is checked, and the connection then goes to a checked IP itself, so a DNS
answer that changes in between (rebinding) cannot reach an internal host. Redirects are followed here, one
checked hop at a time: http.client never follows them, ignores proxy variables and keeps no cookies.
See docs/http-requests.md.
"""

import contextlib
import http.client
import ipaddress
import json
import re
import socket
import ssl
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urljoin, urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

MAX_BYTES = 1024 * 1024
MAX_REDIRECTS = 3
MAX_TIMEOUT = 60.0  # seconds; a worker waits this long at most for one node
USER_AGENT = "Shopbot/1 (+flows http node)"
METHODS = frozenset({"GET", "POST", "PUT", "PATCH", "DELETE"})
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_TOO_LARGE = "The answer was larger than 1 MB."
# Headers the platform sets itself; a store owner's values for them are dropped.
_OWN_HEADERS = frozenset([
    "host", "user-agent", "content-type", "content-length", "transfer-encoding", "connection", "keep-alive",
    "accept-encoding", "expect", "te", "trailer", "upgrade", "proxy-connection",
])  # fmt: skip
_HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
_HEADER_VALUE = re.compile(r"[\t\x20-\x7e\x80-\xff]*")
_HOST = re.compile(r"[A-Za-z0-9._:%-]+")  # after IDNA; % for an IPv6 zone
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_TLS_CONTEXT = ssl.create_default_context()  # verifies the certificate chain and the host name
# Never public, whatever this Python's ipaddress tables say: they have changed between patch releases, and
# they call multicast, site-local and NAT64 addresses global. IPv4-mapped, 6to4 and NAT64 addresses are
# judged by the IPv4 address they carry (see _permitted); the rest of ::/8 is refused outright.
_BLOCKED = tuple(ipaddress.ip_network(cidr) for cidr in [
    "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24",
    "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24",
    "224.0.0.0/3", "::/8", "64:ff9b:1::/48", "100::/64", "2001::/23", "2001:db8::/32", "3fff::/20", "5f00::/16",
    "fc00::/7", "fd00:ec2::254/128", "fe80::/10", "fec0::/10", "ff00::/8",
])  # fmt: skip


@dataclass(frozen=True)
class HttpOutcome:
    """What a call came to. ``error`` is a short sentence for the store owner's logs; empty when ``ok``."""

    ok: bool
    status: int | None
    json: Any | None
    error: str


class _Stop(Exception):
    """Ends a call early; the message becomes the outcome's error."""


@dataclass(frozen=True)
class _Target:
    scheme: str
    host: str  # an ASCII (IDNA) name or an IP literal without brackets
    port: int
    path: str
    addresses: tuple[str, ...]  # all checked; connections go only to these

    @property
    def host_header(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return host if self.port == (443 if self.scheme == "https" else 80) else f"{host}:{self.port}"


def fetch_json(
    method: str, url: str, *, headers: Mapping[str, str] | None = None, body: Any = None, timeout: float = 10.0
) -> HttpOutcome:
    """Call an outside JSON API for a flow. Never raises for a bad address or a network or remote problem.

    Refuses hosts that resolve to any address that is not public (unless it is in the operator's
    SAFE_HTTP_ALLOWED_NETWORKS), follows at most MAX_REDIRECTS redirects with the same checks, and gives up
    after ``timeout`` seconds in all (host name look-ups excepted: the system resolver bounds those).
    Raises ImproperlyConfigured only if SAFE_HTTP_ALLOWED_NETWORKS is not a list of valid networks.
    """
    deadline = time.monotonic() + timeout
    try:
        method = method.upper()
        if method not in METHODS:
            raise _Stop(f"Refused: the method {method} is not supported.")
        if not 0 < timeout <= MAX_TIMEOUT:  # also refuses NaN
            raise _Stop(f"Refused: the timeout must be more than 0 and at most {MAX_TIMEOUT:g} s.")
        try:
            payload = None if body is None else json.dumps(body, ensure_ascii=False, allow_nan=False).encode()
        except (TypeError, ValueError):
            raise _Stop("The request body could not be written as JSON.") from None
        extra, previous = _caller_headers(headers or {}), None
        for _hop in range(MAX_REDIRECTS + 1):
            target = _target(url)
            if previous and (target.host != previous.host or (previous.scheme, target.scheme) == ("https", "http")):
                extra = {}  # the caller's headers (API keys, say) go only to the host the store owner typed
            previous = target
            request = (method, _headers(target, extra, payload), payload)
            status, location, data = _exchange(target, request, deadline, timeout)
            if location is None:
                return _outcome(status, data)
            url = urljoin(url, location)
            if status == 303 or (status in (301, 302) and method == "POST"):
                method, payload = "GET", None
        return HttpOutcome(False, status, None, f"Stopped after {MAX_REDIRECTS} redirects.")
    except _Stop as stop:
        return HttpOutcome(False, None, None, str(stop))


def _target(url: str) -> _Target:
    try:
        parts = urlsplit(url)
        port = parts.port
        host = (parts.hostname or "").encode("idna").decode("ascii")
    except ValueError:  # includes UnicodeError from the IDNA codec
        raise _Stop("Refused: the address is not a valid URL.") from None
    if parts.scheme not in ("http", "https"):
        raise _Stop("Refused: only http and https addresses are allowed.")
    if parts.username is not None or parts.password is not None:
        raise _Stop("Refused: the address must not contain a user name or password.")
    if not _HOST.fullmatch(host):
        raise _Stop("Refused: the address has no valid host name.")
    if port == 0:
        raise _Stop("Refused: port 0 is not allowed.")
    port = port or (443 if parts.scheme == "https" else 80)
    # Percent-encode spaces, control and non-ASCII characters as a browser would; existing escapes stay.
    path = quote(parts.path or "/", safe="/%!$&'()*+,;=:@~") + (
        "?" + quote(parts.query, safe="/%!$&'()*+,;=:@~?") if parts.query else ""
    )
    return _Target(parts.scheme, host, port, path, _resolve(host, port))


def _resolve(host: str, port: int) -> tuple[str, ...]:
    """Every address ``host`` resolves to; refuses the call if any one of them is not public."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise _Stop(f"Could not find the server {host}.") from None
    allowed = _allowed_networks()
    addresses = [ipaddress.ip_address(info[4][0]) for info in infos]
    for ip in addresses:
        if not _permitted(ip, allowed):
            where = f"the address {ip} is private" if host == str(ip) else f"{host} points to the private address {ip}"
            raise _Stop(f"Refused: {where}.")
    return tuple(dict.fromkeys(str(ip) for ip in addresses))


def _permitted(ip: ipaddress.IPv4Address | ipaddress.IPv6Address, allowed: tuple) -> bool:
    """Public or operator-allowed. IPv4-mapped, 6to4 and NAT64 addresses are judged by the IPv4 host they reach."""
    if ip.version == 6:
        ip = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF) if ip in _NAT64 else (ip.ipv4_mapped or ip.sixtofour or ip)
    if any(ip in network for network in allowed):
        return True
    return ip.is_global and not ip.is_multicast and not any(ip in network for network in _BLOCKED)


def _allowed_networks() -> tuple:
    try:
        return tuple(ipaddress.ip_network(cidr) for cidr in getattr(settings, "SAFE_HTTP_ALLOWED_NETWORKS", ()))
    except ValueError as exc:
        raise ImproperlyConfigured(f"SAFE_HTTP_ALLOWED_NETWORKS: {exc}") from None


def _caller_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """The store owner's headers minus those the platform sets itself; refuses any that could split the request."""
    kept = {}
    for name, value in headers.items():
        valid = isinstance(name, str) and isinstance(value, str) and _HEADER_NAME.fullmatch(name)
        if not (valid and _HEADER_VALUE.fullmatch(value)):
            raise _Stop(f"Refused: the header {name!r} is not valid.")
        if name.lower() not in _OWN_HEADERS:
            kept[name] = value
    return kept


def _headers(target: _Target, extra: dict[str, str], payload: bytes | None) -> dict[str, str]:
    headers = dict(extra) if any(k.lower() == "accept" for k in extra) else {"Accept": "application/json", **extra}
    # identity: the size cap then applies to what we parse, and no compressed bomb can get past it.
    headers |= {"Host": target.host_header, "User-Agent": USER_AGENT, "Accept-Encoding": "identity"}
    headers["Connection"] = "close"
    if payload is not None:
        headers["Content-Type"] = "application/json"
    return headers


class _PinnedConnection(http.client.HTTPConnection):
    """Connects only to the target's checked addresses, never to its name, which might resolve differently now."""

    def __init__(self, target: _Target, deadline: float):
        super().__init__(target.addresses[0], target.port)
        self.target, self.deadline, self.timed_out = target, deadline, False

    def connect(self) -> None:
        for address in self.target.addresses:
            remaining = self.deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError
            try:  # the socket keeps this timeout for every later read and write
                self.sock = socket.create_connection((address, self.port), timeout=remaining)
                break
            except OSError as exc:
                error = exc
        else:
            raise error
        if self.target.scheme == "https":
            # SNI and the certificate check use the host name from the URL; TCP goes to the checked IP.
            self.sock = _TLS_CONTEXT.wrap_socket(self.sock, server_hostname=self.target.host)


def _exchange(target: _Target, request: tuple, deadline: float, timeout: float) -> tuple[int, str | None, bytes]:
    """Send (method, headers, payload) to one checked target: (status, redirect location or None, body)."""
    connection = _PinnedConnection(target, deadline)
    # Socket timeouts bound each read, not a server that drips a byte at a time; this ends the call at the deadline.
    watchdog = threading.Timer(max(0.0, deadline - time.monotonic()), _cut, (connection,))
    watchdog.daemon = True
    watchdog.start()
    try:
        answer = _send(connection, *request)
    except (OSError, http.client.HTTPException) as exc:
        raise _Stop(_describe(exc, target, connection.timed_out or time.monotonic() >= deadline, timeout)) from None
    finally:
        watchdog.cancel()
        connection.close()
    if connection.timed_out:  # a cut connection can look like an answer that simply ended
        raise _Stop(f"Timed out after {timeout:g} s.")
    return answer


def _send(connection: _PinnedConnection, method: str, headers: dict, payload: bytes | None) -> tuple:
    connection.request(method, connection.target.path, body=payload, headers=headers)
    response = connection.getresponse()
    location = response.getheader("Location")
    if response.status in _REDIRECTS and location:
        return response.status, location, b""
    if response.length is not None and response.length > MAX_BYTES:
        raise _Stop(_TOO_LARGE)
    chunks, size = [], 0
    while chunk := response.read(64 * 1024):  # in pieces: a huge answer is dropped, not held in memory
        size += len(chunk)
        if size > MAX_BYTES:
            raise _Stop(_TOO_LARGE)
        chunks.append(chunk)
    return response.status, None, b"".join(chunks)


def _cut(connection: _PinnedConnection) -> None:
    connection.timed_out = True  # before the shutdown, which the reading thread sees at once
    sock = connection.sock
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)


def _describe(exc: Exception, target: _Target, timed_out: bool, timeout: float) -> str:
    if timed_out or isinstance(exc, TimeoutError):
        return f"Timed out after {timeout:g} s."
    if isinstance(exc, ssl.SSLCertVerificationError):
        return f"Refused: the certificate of {target.host} is not valid ({exc.verify_message})."
    if isinstance(exc, ssl.SSLError):
        return f"The secure connection to {target.host} failed."
    if isinstance(exc, http.client.HTTPException):
        return f"{target.host} did not answer with valid HTTP."
    return f"Could not connect to {target.host_header}."


def _outcome(status: int, data: bytes) -> HttpOutcome:
    success = 200 <= status < 300
    try:
        document = json.loads(data, parse_constant=_refuse_constant) if data.strip() else None
    except (ValueError, RecursionError):  # RecursionError: deeply nested arrays
        if success:
            return HttpOutcome(False, status, None, "The answer was not JSON.")
        document = None
    if success:
        return HttpOutcome(True, status, document, "")
    return HttpOutcome(False, status, document, f"The server answered with status {status}.")


def _refuse_constant(name: str) -> None:
    raise ValueError(f"{name} is not JSON")  # NaN and Infinity: Python accepts them, PostgreSQL's jsonb does not


def address_problem(url: str) -> str:
    """Why ``url`` may not be called (not http(s), or a host that is not public), or "" if it may be now."""
    try:
        _target(url)
    except _Stop as stop:
        return str(stop)
    return ""


def post_signed(url: str, *, body: bytes, headers: Mapping[str, str], timeout: float = 10.0) -> HttpOutcome:
    """POST exact JSON bytes (so a signature over them holds) with every check ``fetch_json`` makes.

    A 2xx answer is ``ok`` whatever its body (receivers often answer "ok" in plain text).
    """
    try:
        document = json.loads(body)
    except ValueError:
        return HttpOutcome(False, None, None, "The body to send is not JSON.")
    if json.dumps(document, ensure_ascii=False, allow_nan=False).encode() != body:
        return HttpOutcome(False, None, None, "The body must be written as fetch_json writes JSON.")
    outcome = fetch_json("POST", url, headers=headers, body=document, timeout=timeout)
    if not outcome.ok and outcome.status is not None and 200 <= outcome.status < 300:
        return HttpOutcome(True, outcome.status, None, "")
    return outcome
