// PING_CHECK: one ICMP echo (IPv4) or ICMPv6 echo to the real server, up when the matching
// reply comes back within connect_timeout, down on timeout or when an ICMP error about our
// echo arrives first (keepalived treats both the same way).
//
// It uses an unprivileged ping socket (SOCK_DGRAM, IPPROTO_ICMP[V6]) when
// net.ipv4.ping_group_range allows it, else a raw socket (vigild runs as root). keepalived
// widens ping_group_range instead; vigil leaves the sysctl alone. Only a reply from the target
// with our identifier (raw sockets; ping sockets have the kernel check it), our sequence
// number and our random payload counts: anything else is ignored.
#pragma once

#include <cstddef>

#include <boost/asio/awaitable.hpp>

#include "check/probe.h"

namespace vigil::check {

class PingProbe final : public Probe {
  public:
    explicit PingProbe(ConnectTarget target);
    boost::asio::awaitable<ProbeOutcome> run() override;

    // Echo data after the 8-byte ICMP header, as ping(8) sends by default.
    static constexpr std::size_t payload_size = 56;

  private:
    ConnectTarget target_;
};

}  // namespace vigil::check
