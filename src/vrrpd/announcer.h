// Gratuitous ARP (IPv4) and unsolicited neighbour advertisements (IPv6) for the VIPs of a
// master, sent on an AF_PACKET socket so that they leave whatever the routing table says.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

#include "common/ip_address.h"
#include "common/result.h"
#include "core/log.h"
#include "net/packet_socket.h"

namespace vigil::vrrpd {

struct GratuitousTarget {
    int ifindex = 0;
    std::array<std::uint8_t, 6> mac{};
    IpAddress vip;
    std::optional<IpAddress> link_local;  // IPv6: the NA's source address
};

class Announcer {
  public:
    explicit Announcer(core::Logger log) : log_(std::move(log)) {}

    // `rounds` messages for each target.
    void send(const std::vector<GratuitousTarget>& targets, std::uint32_t rounds);
    std::uint64_t sent() const { return sent_; }
    std::uint64_t failed() const { return failed_; }

  private:
    core::Logger log_;
    std::optional<net::PacketSocket> socket_;  // opened on first use
    std::uint64_t sent_ = 0;
    std::uint64_t failed_ = 0;
};

}  // namespace vigil::vrrpd
