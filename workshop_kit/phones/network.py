"""Which address the phone server listens on, and the join address phones open.

The server listens on one interface: by default the laptop's first private (LAN) address,
which is the workshop network's, or 127.0.0.1 when there is none. All interfaces
(``0.0.0.0``) only when asked for by name.
"""

from __future__ import annotations

import ipaddress
import socket

from ..errors import InputError

DEFAULT_PORT = 8877
ALL_INTERFACES = ("0.0.0.0", "::")
LOOPBACK = "127.0.0.1"


def local_addresses() -> list[str]:
    """The laptop's own IPv4 addresses that are private (LAN) and not loopback.

    Found without sending anything: the address the system would use for the default
    route (a UDP socket is "connected", which sends no packet), then the host name's.
    """
    found: list[str] = []
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        probe.connect(("10.255.255.255", 9))
        found.append(probe.getsockname()[0])
    except OSError:
        pass
    finally:
        probe.close()
    try:
        for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET):
            found.append(info[4][0])
    except OSError:
        pass
    private = []
    for address in found:
        ip = ipaddress.ip_address(address)
        if ip.is_private and not ip.is_loopback and not ip.is_link_local and address not in private:
            private.append(address)
    return private


def default_bind() -> str:
    """The first private LAN address of the laptop, or 127.0.0.1 when there is none."""
    found = local_addresses()
    return found[0] if found else LOOPBACK


def check_bind(address: str | None) -> str:
    """The address to listen on: a given IPv4 address (``0.0.0.0`` only when written
    out), or :func:`default_bind` for None.

    Raises
    ------
    InputError
        When ``address`` is not an IPv4 address.

    >>> check_bind("127.0.0.1")
    '127.0.0.1'
    >>> check_bind("phones.local")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    workshop_kit.errors.InputError: --bind must be an IPv4 address such as 192.168.8.10 ...
    """
    if address is None:
        return default_bind()
    text = str(address).strip()
    try:
        ip = ipaddress.ip_address(text)
    except ValueError:
        ip = None
    if ip is None or ip.version != 4:
        raise InputError(
            "--bind must be an IPv4 address such as 192.168.8.10 (or 0.0.0.0 for every "
            f"network of this laptop); not {address!r}"
        )
    return text


def check_port(port: int) -> int:
    """``port`` when it is a usable port number (1024-65535), else an InputError.

    >>> check_port(8877)
    8877
    """
    if isinstance(port, bool) or not isinstance(port, int) or not 1024 <= port <= 65535:
        raise InputError(f"--port must be a number from 1024 to 65535; not {port!r}")
    return port


def public_address(bind: str) -> str:
    """The address phones use: the bound one, or the LAN address when bound to all."""
    return default_bind() if bind in ALL_INTERFACES else bind


def allowed_hosts(bind: str, port: int) -> frozenset[str]:
    """Host headers the server answers (anything else is refused: DNS rebinding).

    >>> sorted(allowed_hosts("127.0.0.1", 8877))
    ['127.0.0.1:8877', 'localhost:8877']
    """
    addresses = {bind}
    if bind in ALL_INTERFACES:
        addresses = {LOOPBACK, *local_addresses()}
    if LOOPBACK in addresses:
        addresses.add("localhost")
    return frozenset(f"{a}:{port}" for a in addresses)


def join_url(address: str, port: int, join_code: str) -> str:
    """The address a phone opens to join.

    >>> join_url("192.168.8.10", 8877, "K7P3QA")
    'http://192.168.8.10:8877/j/K7P3QA'
    """
    return f"http://{address}:{port}/j/{join_code}"
