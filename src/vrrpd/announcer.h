// Gratuitous ARP (IPv4) and unsolicited neighbour advertisements (IPv6) for the VIPs of a
// master, sent on an AF_PACKET socket so that they leave whatever the routing table says.
// Paced per interface by vrrp_garp_interval / vrrp_gna_interval or the interface's
// garp_group: frames that may not leave yet wait on a timer, never blocking the loop.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "common/ip_address.h"
#include "config/model.h"
#include "core/log.h"
#include "net/packet_socket.h"
#include "vrrp/garp_schedule.h"

namespace vigil::vrrpd {

struct GratuitousTarget {
    int ifindex = 0;
    std::string ifname;
    std::array<std::uint8_t, 6> mac{};
    IpAddress vip;
    // IPv6: the NA's Router flag. keepalived sets it when the interface forwards IPv6.
    bool router = false;
};

class Announcer {
  public:
    Announcer(boost::asio::io_context& ioc, core::Logger log);

    // The pacing intervals: global, and per garp_group interface.
    void configure(const config::Model& m);
    // `rounds` messages for each target (every target once per round).
    void send(const std::vector<GratuitousTarget>& targets, std::uint32_t rounds);
    std::uint64_t sent() const { return sent_; }
    std::uint64_t failed() const { return failed_; }

  private:
    struct Frame {
        int ifindex = 0;
        std::vector<std::byte> bytes;
    };
    vrrp::Pacer& pacer(const GratuitousTarget& t);
    void transmit(const Frame& f);
    void arm();

    core::Logger log_;
    std::optional<net::PacketSocket> socket_;  // opened on first use
    vrrp::Micros garp_interval_{0};
    vrrp::Micros gna_interval_{0};
    // garp_group intervals by interface name: (ARP, NA); unset: the global one.
    std::map<std::string, std::pair<std::optional<vrrp::Micros>, std::optional<vrrp::Micros>>>
        group_intervals_;
    std::map<std::pair<int, bool>, vrrp::Pacer> pacers_;  // (ifindex, IPv6)
    std::multimap<vrrp::Time, Frame> queue_;
    boost::asio::steady_timer timer_;
    std::uint64_t sent_ = 0;
    std::uint64_t failed_ = 0;
};

}  // namespace vigil::vrrpd
