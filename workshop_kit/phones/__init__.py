"""Participants answer on their own phones: a small server of the kit's own.

Phones open ``http://ADDRESS:PORT/j/JOINCODE`` on a network the facilitator brings, join
as one partner with that partner's own secret, and answer on server-rendered pages. Every
answer goes through :class:`~workshop_kit.session.Session` into the session file on the
laptop. No cloud, no account, no app; never Jupyter.
"""

from .devices import close_joining, joined_text, joining, open_joining, revoke_devices
from .network import DEFAULT_PORT, join_url


def __getattr__(name: str):
    # The web server (Tornado, Jinja2) loads only when it is used, so the summary and the
    # notebooks that read the joining state start light.
    if name == "PhoneServer":
        from .server import PhoneServer

        return PhoneServer
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "DEFAULT_PORT",
    "PhoneServer",
    "close_joining",
    "join_url",
    "joined_text",
    "joining",
    "open_joining",
    "revoke_devices",
]
