"""Where the mock listens: loopback only by default; any other interface needs ``--host`` and says so."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from mock_support import PETSTORE3, Server

from specforge.mock.serve import is_loopback

WARNING = "specforge mock: warning: listening on {host} \u2014 the mock is reachable from other machines"


def listening_addresses(port: int) -> set[str]:
    """The IPv4 addresses with a listening TCP socket on ``port`` (from /proc/net/tcp)."""
    found = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        local, state = line.split()[1], line.split()[3]
        address, local_port = local.split(":")
        if state == "0A" and int(local_port, 16) == port:
            found.add(socket.inet_ntoa(bytes.fromhex(address)[::-1]))
    return found


def test_the_default_is_127_0_0_1_only_and_quiet():
    server = Server(PETSTORE3)
    try:
        assert listening_addresses(server.port) == {"127.0.0.1"}
        assert "warning: listening on" not in server.log()
    finally:
        server.stop()


def test_another_interface_needs_host_and_logs_a_warning():
    server = Server(PETSTORE3, "--host", "0.0.0.0")
    try:
        assert listening_addresses(server.port) == {"0.0.0.0"}
        lines = server.log().splitlines()
        assert WARNING.format(host="0.0.0.0") in lines
        assert lines.index(WARNING.format(host="0.0.0.0")) < next(
            i for i, line in enumerate(lines) if line.startswith("specforge mock: serving"))
    finally:
        server.stop()


@pytest.mark.parametrize("host, loopback", [
    ("127.0.0.1", True), ("127.0.0.2", True), ("::1", True), ("[::1]", True), ("localhost", True),
    ("0.0.0.0", False), ("::", False), ("192.168.1.20", False), ("10.0.0.1", False), ("fe80::1", False),
    ("mock.example.com", False),
])
def test_which_hosts_count_as_loopback(host, loopback):
    assert is_loopback(host) is loopback
