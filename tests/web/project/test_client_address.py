"""The address a request came from, which the public pages' limits and the sign-in lockout count by."""

from __future__ import annotations

from minsheng.forms import client_address


def test_the_client_address_believes_only_trusted_proxies():
    meta = {"REMOTE_ADDR": "10.0.0.5", "HTTP_X_FORWARDED_FOR": "6.6.6.6, 203.0.113.7, 10.0.0.9"}
    assert client_address(meta) == "10.0.0.5"  # no proxy configured: the header is ignored
    assert client_address(meta, ["10.0.0.0/8"]) == "203.0.113.7"  # 6.6.6.6 is what the client sent
    assert client_address(meta | {"REMOTE_ADDR": "8.8.8.8"}, ["10.0.0.0/8"]) == "8.8.8.8"  # not via the proxy
    assert client_address({"REMOTE_ADDR": "10.0.0.5"}, ["10.0.0.5"]) == "10.0.0.5"
    assert client_address({"REMOTE_ADDR": "::1", "HTTP_X_FORWARDED_FOR": "2001:db8::1"}, ["::1"]) == "2001:db8::1"
