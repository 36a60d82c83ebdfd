"""Who is sending: the client address (behind a trusted proxy, from its header) counted
per network a person controls, and kept only as a keyed hash; and the wrong moderator
secrets per client, so a guesser locks out only itself."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import os
import secrets
import threading
from collections.abc import Callable, Mapping, Sequence

from wijkmap.config import (
    CLIENT_IPV6_PREFIX,
    CLIENT_SALT_ENV,
    LOGIN_MAX_FAILURES,
    LOGIN_MAX_FAILURES_CLIENT,
    LOGIN_WINDOW_S,
    TRUSTED_HEADER_ENV,
    TRUSTED_PROXIES_ENV,
)

LOCAL = "lokaal"  # a connection from this machine (Streamlit gives no address for it)


# --- who is sending: the client address ------------------------------------------------


def _trusted_proxies(environ: Mapping[str, str]) -> list:
    networks = []
    for entry in environ.get(TRUSTED_PROXIES_ENV, "").replace(";", ",").split(","):
        if entry.strip():
            try:
                networks.append(ipaddress.ip_network(entry.strip(), strict=False))
            except ValueError:
                raise ValueError(
                    f"{TRUSTED_PROXIES_ENV}: {entry.strip()!r} is geen IP-adres of netwerk (bijvoorbeeld 10.0.0.0/8)"
                ) from None
    return networks


def _address(text: str):
    """An IP address from a header hop or a peer ("1.2.3.4", "1.2.3.4:80", "[::1]:80"), or None."""
    text = text.strip().strip('"')
    if text.startswith("["):
        text = text[1:].split("]", 1)[0]
    elif text.count(":") == 1:  # IPv4 with a port; a bare IPv6 address has several colons
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if address.version == 6 and address.ipv4_mapped:  # ::ffff:1.2.3.4 is the IPv4 client 1.2.3.4
        return address.ipv4_mapped
    return address


def _counted(text: str) -> str:
    """What a client is counted by: its IPv4 address, or the network of an IPv6 address
    that one home or office is given (config.CLIENT_IPV6_PREFIX: it picks addresses
    from all of it)."""
    address = _address(text)
    if address is None:  # not an address ("unknown", an obfuscated proxy id): count by the text
        return text.strip().lower()[:100] or LOCAL
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/{CLIENT_IPV6_PREFIX}", strict=False))
    return str(address)


def client_address(
    peer: str | None,
    headers: Callable[[str], Sequence[str]] = lambda name: [],
    environ: Mapping[str, str] | None = None,
) -> str:
    """The address a visitor connects from, to count submissions and wrong secrets by.

    `peer` is the address of the connection (st.context.ip_address: None for this
    machine); `headers(name)` gives every value of a request header. Without
    WIJKMAP_TRUSTED_PROXY_HEADER it is the peer. With it (a reverse proxy in front,
    e.g. X-Forwarded-For), and only when the peer is a trusted proxy (this machine, or
    in WIJKMAP_TRUSTED_PROXIES), it is the right-most hop of that header that is not a
    trusted proxy: hops further left were written by the client and can be forged."""
    environ = os.environ if environ is None else environ
    header = environ.get(TRUSTED_HEADER_ENV, "").strip()
    peer_address = _address(peer) if peer else None
    if peer and peer_address is None:
        return _counted(peer)
    proxies = _trusted_proxies(environ) if header else []

    def trusted(address) -> bool:
        return address is None or address.is_loopback or any(address in network for network in proxies)

    if not header or not trusted(peer_address):
        return _counted(peer) if peer else LOCAL
    hops = [hop.strip() for value in headers(header) for hop in str(value).split(",") if hop.strip()]
    for hop in reversed(hops):
        address = _address(hop)
        if address is None or not trusted(address):
            return _counted(hop)
    if hops:  # every hop is a trusted proxy: the left-most is where the request began
        return _counted(hops[0])
    return _counted(peer) if peer else LOCAL


_PROCESS_SALT = secrets.token_bytes(32)


def client_key(address: str, environ: Mapping[str, str] | None = None) -> str:
    """A client address as stored and counted: an HMAC-SHA256 with a server-side key
    (WIJKMAP_CLIENT_SALT, else random per process), never the address itself."""
    salt = (os.environ if environ is None else environ).get(CLIENT_SALT_ENV, "").encode("utf-8") or _PROCESS_SALT
    return hmac.new(salt, address.encode("utf-8"), hashlib.sha256).hexdigest()


def login_wait(failures: Sequence[float], now: float, limit: int = LOGIN_MAX_FAILURES) -> float:
    """Seconds before another secret may be tried after `limit` wrong ones within
    LOGIN_WINDOW_S (per session; LOGIN_FAILURES counts per client address)."""
    recent = sorted(moment for moment in failures if now - moment < LOGIN_WINDOW_S)
    if len(recent) < limit:
        return 0.0
    return LOGIN_WINDOW_S - (now - recent[-limit])


class LoginFailures:
    """Wrong moderator secrets per client key, for all sessions of this server process.

    Per client, so a guesser locks out only itself, never the moderator elsewhere. In
    memory, not in the store: it only has to last LOGIN_WINDOW_S, and a guesser cannot
    restart the server. At most `max_clients` keys are held (the oldest go first)."""

    def __init__(self, max_clients: int = 10_000):
        self._lock = threading.Lock()
        self._by_client: dict[str, list[float]] = {}
        self.max_clients = max_clients

    def add(self, client: str, now: float) -> None:
        with self._lock:
            recent = [moment for moment in self._by_client.pop(client, []) if now - moment < LOGIN_WINDOW_S]
            self._by_client[client] = [*recent, now]  # re-inserted: the dict's order is oldest first
            while len(self._by_client) > self.max_clients:
                del self._by_client[next(iter(self._by_client))]

    def wait(self, client: str, now: float, limit: int = LOGIN_MAX_FAILURES_CLIENT) -> float:
        with self._lock:
            failures = list(self._by_client.get(client, []))
        return login_wait(failures, now, limit)


LOGIN_FAILURES = LoginFailures()
