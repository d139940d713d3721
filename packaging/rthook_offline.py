"""PyInstaller runtime hook: the frozen app never touches the network, even by accident."""

import sys


def _no_sockets(event: str, args: tuple) -> None:
    if event in ("socket.__new__", "socket.connect", "socket.getaddrinfo"):
        raise OSError("network access is forbidden in HSTC Desk")


sys.addaudithook(_no_sockets)
