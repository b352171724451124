// One health-check probe of one real server: the contract between the checker policy (which
// decides when to probe, retries, and what a result means for the server) and the probe
// implementations (one file each: TCP, HTTP/SSL, SMTP, DNS, UDP, PING, MISC, FILE), which
// perform a single attempt and report its outcome. No probe retries or sleeps: the policy
// owns all timing but the attempt's own deadline.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <boost/asio/awaitable.hpp>

#include "check/probe_outcome.h"
#include "common/ip_address.h"

namespace vigil::check {

// Where and how a probe connects: the checker's effective settings (connect_ip, connect_port,
// bindto, bind_port, bind_if, fwmark) and the attempt's deadline (connect_timeout).
struct ConnectTarget {
    IpAddress address;
    std::uint16_t port = 0;
    std::optional<IpAddress> bind_address;
    std::optional<std::uint16_t> bind_port;
    std::string bind_interface;
    std::optional<std::uint32_t> fwmark;  // SO_MARK
    std::chrono::microseconds timeout{5'000'000};
};

class Probe {
  public:
    virtual ~Probe() = default;
    // One attempt, finished within the target's timeout (plus what the probe documents, e.g.
    // MISC_CHECK's misc_timeout). Never throws: every failure is an outcome.
    virtual boost::asio::awaitable<ProbeOutcome> run() = 0;
};

}  // namespace vigil::check
