// Raw sockets for VRRP (IP protocol 112, and 51 for VRRPv2 over AH): one per interface,
// family and protocol, shared by every instance there (the router dispatches by VRID). The
// shell only: bytes in and out with their addresses, TTL/hop limit and interface.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "common/ip_address.h"
#include "common/result.h"
#include "common/unique_fd.h"

namespace vigil::net {

struct Datagram {
    std::span<const std::byte> data;  // IPv4: with its IP header; IPv6: the payload only
    IpAddress source;                 // IPv6 only (IPv4 reads them from the header)
    IpAddress destination;
    std::uint8_t hop_limit = 0;
    int ifindex = 0;
};

class VrrpSocket {
  public:
    // Non-blocking; bound to `ifname` when it is not empty. IPv4 sockets send with
    // IP_HDRINCL (the caller builds the header); multicast is never looped back to us.
    static Result<VrrpSocket> open(Family f, std::uint8_t protocol, const std::string& ifname,
                                   int ifindex);

    // Joins a multicast group on the socket's interface (idempotent per group).
    Status join(const IpAddress& group);
    // One pending datagram into `buffer`, or nullopt when none is pending.
    Result<std::optional<Datagram>> receive(std::span<std::byte> buffer);
    // IPv4: `bytes` is the whole IP packet. IPv6: the payload, sent from `source` with
    // `hop_limit`.
    Status send(std::span<const std::byte> bytes, const IpAddress& source,
                const IpAddress& destination, std::uint8_t hop_limit);

    int fd() const { return fd_.get(); }
    Family family() const { return family_; }
    int ifindex() const { return ifindex_; }

  private:
    VrrpSocket(UniqueFd fd, Family f, int ifindex, std::string ifname)
        : fd_(std::move(fd)), family_(f), ifindex_(ifindex), ifname_(std::move(ifname)) {}
    UniqueFd fd_;
    Family family_;
    int ifindex_;
    std::string ifname_;
};

}  // namespace vigil::net
