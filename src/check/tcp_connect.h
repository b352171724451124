// The connecting step every TCP-based probe shares (TCP_CHECK, HTTP_GET, SSL_GET,
// SMTP_CHECK): open the socket, apply bindto/bind_port/bind_if/fwmark, connect; and the
// mapping of socket errors to probe outcomes. The stream's expiry (Beast's tcp_stream
// timeout, set once by the probe to the attempt's deadline) bounds connect and every later
// read and write: when it passes, the socket is closed and the pending operation fails.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/tcp_stream.hpp>

#include "check/probe.h"

namespace vigil::check {

boost::asio::ip::tcp::endpoint to_endpoint(const IpAddress& address, std::uint16_t port);

// Connects `stream` to the target; an outcome when it failed, nothing when connected.
boost::asio::awaitable<std::optional<ProbeOutcome>> connect_stream(boost::beast::tcp_stream& stream,
                                                                   const ConnectTarget& target);

// The attempt's deadline, checked between reads: Beast's stream timeout alone does not stop
// a peer that always has more data ready (each completed read re-arms its timer before the
// expiry is noticed), so read loops check it themselves.
struct Deadline {
    std::chrono::steady_clock::time_point at;
    static Deadline after(std::chrono::microseconds d) {
        return {std::chrono::steady_clock::now() + d};
    }
    bool passed() const { return std::chrono::steady_clock::now() >= at; }
};

// The outcome of a failed read, write or handshake during `step` ("reading the reply").
ProbeOutcome io_failure(const boost::system::error_code& ec, std::string_view step);

}  // namespace vigil::check
