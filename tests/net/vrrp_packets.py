"""VRRP adverts crafted with scapy, well-formed or broken on purpose, as Ethernet frames to
send from the attacker's namespace with netlab.packet_socket()."""
import socket
import struct

from scapy.layers.inet import IP
from scapy.layers.l2 import Ether
from scapy.packet import Raw
from scapy.utils import checksum

MCAST4 = "224.0.0.18"
MCAST4_MAC = "01:00:5e:00:00:12"
PROTO_VRRP = 112


def v2_payload(vrid, priority, addresses, auth_pass=None, advert_int=1, version=2, type_=1,
               count=None, csum=None, extra=b""):
    """A VRRPv2 advert (RFC 3768 5.1). `count`/`csum` override the computed fields; `extra`
    is appended after the authentication data."""
    auth_type = 1 if auth_pass is not None else 0
    auth = (auth_pass or "").encode().ljust(8, b"\0")[:8]
    addrs = b"".join(socket.inet_aton(a) for a in addresses)
    n = len(addresses) if count is None else count
    body = addrs + auth + extra

    def pack(c):
        return struct.pack("!BBBBBBH", (version << 4) | type_, vrid, priority, n, auth_type,
                           advert_int, c) + body

    if csum is None:
        csum = checksum(pack(0))
    return pack(csum)


def frame4(src_mac, src_ip, payload, ttl=255, dst=MCAST4, dst_mac=MCAST4_MAC):
    return bytes(Ether(src=src_mac, dst=dst_mac) /
                 IP(src=src_ip, dst=dst, ttl=ttl, proto=PROTO_VRRP) / Raw(payload))

