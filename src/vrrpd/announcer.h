// Gratuitous ARP (IPv4) and unsolicited neighbour advertisements (IPv6) for the VIPs of a
// master, handed to a FrameSender (AF_PACKET) so that they leave whatever the routing table
// says. Paced per interface by vrrp_garp_interval / vrrp_gna_interval or the interface's
// garp_group: frames that may not leave yet wait in a bounded queue until the engine's timer
// says so. An instance that leaves MASTER takes its queued frames with it.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/ip_address.h"
#include "config/model.h"
#include "core/log.h"
#include "vrrp/garp_schedule.h"
#include "vrrpd/ports.h"

namespace vigil::vrrpd {

struct GratuitousTarget {
    int ifindex = 0;
    std::string ifname;
    std::array<std::uint8_t, 6> mac{};
    IpAddress vip;
    // IPv6: the NA's Router flag. keepalived sets it when the interface forwards IPv6.
    bool router = false;
};

// At most this many frames wait for their pacing slot; more are dropped (and counted). A
// master's burst is garp_master_repeat x VIPs frames, so this only bites on a flood.
constexpr std::size_t max_queued_frames = 16384;

class Announcer {
  public:
    Announcer(FrameSender& frames, core::Logger log) : frames_(frames), log_(std::move(log)) {}

    // The pacing intervals: global, and per garp_group interface.
    void configure(const config::Model& m);
    // `rounds` messages for each target (every target once per round), on behalf of the
    // instance `owner`.
    void send(const std::string& owner, const std::vector<GratuitousTarget>& targets,
              std::uint32_t rounds, vrrp::Time now);
    // Drops what is queued for `owner` (it left MASTER).
    void cancel(const std::string& owner);
    // Sends the queued frames now due.
    void on_timer(vrrp::Time now);
    std::optional<vrrp::Time> next_deadline() const;

    std::uint64_t sent() const { return sent_; }
    std::uint64_t failed() const { return failed_; }
    std::uint64_t dropped() const { return dropped_; }
    std::size_t queued() const { return queue_.size(); }

  private:
    struct Frame {
        std::string owner;
        int ifindex = 0;
        std::vector<std::byte> bytes;
    };
    vrrp::Pacer& pacer(const GratuitousTarget& t);
    void transmit(const Frame& f);

    FrameSender& frames_;
    core::Logger log_;
    vrrp::Micros garp_interval_{0};
    vrrp::Micros gna_interval_{0};
    // garp_group intervals by interface name: (ARP, NA); unset: the global one.
    std::map<std::string, std::pair<std::optional<vrrp::Micros>, std::optional<vrrp::Micros>>>
        group_intervals_;
    std::map<std::pair<int, bool>, vrrp::Pacer> pacers_;  // (ifindex, IPv6)
    std::multimap<vrrp::Time, Frame> queue_;
    std::uint64_t sent_ = 0;
    std::uint64_t failed_ = 0;
    std::uint64_t dropped_ = 0;
};

}  // namespace vigil::vrrpd
