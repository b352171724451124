// UDP_CHECK: one datagram to the real server, then keepalived's verdict (keepalived.conf(5),
// UDP_CHECK): without require_reply the check fails only when an ICMP error (port, host or
// network unreachable...) comes back before connect_timeout, and any reply or silence is a
// success; with require_reply a reply must arrive in time, its length lie within
// [min_reply_length, max_reply_length] and its bytes match reply_data under the mask (up to
// the shorter of the two). Only the first datagram counts, as in keepalived.
//
// Also the connected-UDP-socket plumbing that DNS_CHECK shares.
#pragma once

#include <chrono>
#include <cstdint>
#include <span>
#include <system_error>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/steady_timer.hpp>

#include "check/probe.h"
#include "common/result.h"
#include "config/model_lvs.h"

namespace vigil::check {

// The target as an Asio endpoint; port 0 in the target means `default_port`. An IPv6
// link-local address gets bind_interface's index as its scope.
Result<boost::asio::ip::udp::endpoint> udp_endpoint(const ConnectTarget& t,
                                                    std::uint16_t default_port);

// A UDP socket of the target's family with the connection options applied, IP_RECVERR /
// IPV6_RECVERR on (so that every ICMP error, not only port unreachable, fails the next
// receive), connected to `to`.
Result<boost::asio::ip::udp::socket> open_connected_udp(const boost::asio::any_io_executor& ex,
                                                        const ConnectTarget& t,
                                                        const boost::asio::ip::udp::endpoint& to);

struct Datagram {
    bool timed_out = false;
    std::error_code error;  // a receive error: ECONNREFUSED and friends from ICMP
    std::size_t size = 0;   // bytes received into the buffer (MSG_TRUNC not reported)
};

// Receives one datagram into `buffer`, or gives up when `deadline` (already armed) expires.
boost::asio::awaitable<Datagram> receive_until(boost::asio::ip::udp::socket& socket,
                                               boost::asio::steady_timer& deadline,
                                               std::span<std::uint8_t> buffer);

// keepalived's reply rule with require_reply; pure, for tests. Empty: the reply is good.
std::string check_udp_reply(std::span<const std::uint8_t> reply, const config::UdpCheck& c);

class UdpProbe final : public Probe {
  public:
    UdpProbe(ConnectTarget target, config::UdpCheck check);
    boost::asio::awaitable<ProbeOutcome> run() override;

    // Random payload length when none is configured.
    static constexpr std::size_t random_payload_size = 16;

  private:
    ConnectTarget target_;
    config::UdpCheck check_;
};

}  // namespace vigil::check
