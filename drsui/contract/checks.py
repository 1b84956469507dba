"""Small value checks shared by the validator (hosts, ports, lists). Each one never raises."""

import binascii
import ipaddress
import re

_HOST_LABEL = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?")
_PORT = re.compile(r"[0-9]{1,5}")


def is_ipv4(value):
    if not isinstance(value, str) or len(value) > 15:
        return False
    try:
        ipaddress.IPv4Address(value)
    except ValueError:
        return False
    return True


def is_ip(value):
    if not isinstance(value, str) or len(value) > 64:
        return False
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def is_host(value):
    """One IPv4/IPv6 address or an RFC 1123 host name."""
    if is_ip(value):
        return True
    if not isinstance(value, str) or not 0 < len(value) <= 253:
        return False
    labels = value.removesuffix(".").split(".")
    if labels[-1].isdigit():  # looks like an IPv4 address but is not one
        return False
    return all(_HOST_LABEL.fullmatch(label) for label in labels)


def is_port(value):
    """A string holding a whole number from 1 to 65535 (R-28)."""
    return isinstance(value, str) and bool(_PORT.fullmatch(value)) and 1 <= int(value) <= 65535


def split_list(value):
    """Comma-separated items with surrounding blanks removed; empty items kept (as "")."""
    return [item.strip() for item in value.split(",")]


def is_host_port(value):
    """`host:port` or `[ipv6]:port`."""
    if value.startswith("["):
        host, sep, port = value[1:].partition("]:")
        return bool(sep) and is_ip(host) and ":" in host and is_port(port)
    host, sep, port = value.rpartition(":")
    return bool(sep) and ":" not in host and is_host(host) and is_port(port)


def is_base64(value):
    """Valid, non-empty base64 (line breaks and blanks allowed, as in PEM bodies)."""
    compact = "".join(value.split())
    if not compact:
        return False
    try:
        binascii.a2b_base64(compact, strict_mode=True)
    except (binascii.Error, ValueError):
        return False
    return True
