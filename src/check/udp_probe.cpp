#include "check/udp_probe.h"

#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <exception>
#include <random>

#include <fmt/format.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "check/socket_options.h"

// GCC 12 pairs Asio's recycled coroutine-frame allocation (aligned_alloc) with the frame's
// operator delete after inlining and warns; the pairing is right at run time (Asio frees it).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

namespace vigil::check {

namespace asio = boost::asio;
using asio::ip::udp;
using namespace asio::experimental::awaitable_operators;

namespace {

constexpr auto nothrow = asio::as_tuple(asio::use_awaitable);

std::string hex_prefix(std::span<const std::uint8_t> data) {
    std::string out;
    for (std::size_t i = 0; i < std::min<std::size_t>(data.size(), 16); ++i)
        out += fmt::format("{:02x}", data[i]);
    if (data.size() > 16) out += "...";
    return out;
}

}  // namespace

Result<udp::endpoint> udp_endpoint(const ConnectTarget& t, std::uint16_t default_port) {
    const std::uint16_t port = t.port != 0 ? t.port : default_port;
    const auto& b = t.address.bytes();
    if (t.address.is_v4())
        return udp::endpoint(asio::ip::address_v4({b[0], b[1], b[2], b[3]}), port);
    asio::ip::address_v6::bytes_type v6{};
    std::copy(b.begin(), b.end(), v6.begin());
    unsigned scope = 0;
    if (t.address.is_link_local()) {
        if (t.bind_interface.empty())
            return Error{fmt::format("{} is link-local: bind_if is needed to reach it",
                                     t.address.to_string())};
        scope = ::if_nametoindex(t.bind_interface.c_str());
        if (scope == 0)
            return Error{
                fmt::format("no interface {}: {}", t.bind_interface, std::strerror(errno))};
    }
    return udp::endpoint(asio::ip::address_v6(v6, scope), port);
}

Result<udp::socket> open_connected_udp(const asio::any_io_executor& ex, const ConnectTarget& t,
                                       const udp::endpoint& to) {
    udp::socket socket(ex);
    boost::system::error_code ec;
    (void)socket.open(to.protocol(), ec);
    if (ec) return Error{fmt::format("cannot open a UDP socket: {}", ec.message())};
    if (auto st = apply_connect_options(socket.native_handle(), t); !st) return Error{st.error()};
    const int one = 1;
    const int rc =
        to.address().is_v4()
            ? ::setsockopt(socket.native_handle(), IPPROTO_IP, IP_RECVERR, &one, sizeof one)
            : ::setsockopt(socket.native_handle(), IPPROTO_IPV6, IPV6_RECVERR, &one, sizeof one);
    if (rc != 0) return Error{fmt::format("cannot ask for ICMP errors: {}", std::strerror(errno))};
    (void)socket.connect(to, ec);
    if (ec)
        return Error{
            fmt::format("cannot connect to {}: {}", to.address().to_string(), ec.message())};
    return socket;
}

asio::awaitable<Datagram> receive_until(udp::socket& socket, asio::steady_timer& deadline,
                                        std::span<std::uint8_t> buffer) {
    auto r = co_await (socket.async_receive(asio::buffer(buffer.data(), buffer.size()), nothrow) ||
                       deadline.async_wait(nothrow));
    if (r.index() == 1) co_return Datagram{true, {}, 0};
    const auto [ec, n] = std::get<0>(r);
    co_return Datagram{false, ec, n};
}

std::string check_udp_reply(std::span<const std::uint8_t> reply, const config::UdpCheck& c) {
    if (reply.size() < c.min_reply_length || reply.size() > c.max_reply_length)
        return fmt::format("reply of {} bytes, expected {} to {}", reply.size(), c.min_reply_length,
                           c.max_reply_length);
    const std::size_t n = std::min(reply.size(), c.reply_data.size());
    for (std::size_t i = 0; i < n; ++i) {
        const std::uint8_t mask = i < c.reply_mask.size() ? c.reply_mask[i] : 0xff;
        if (((reply[i] ^ c.reply_data[i]) & mask) != 0)
            return fmt::format("reply differs from the expected data at byte {} ({})", i,
                               hex_prefix(reply));
    }
    return {};
}

UdpProbe::UdpProbe(ConnectTarget target, config::UdpCheck check)
    : target_(std::move(target)), check_(std::move(check)) {}

asio::awaitable<ProbeOutcome> UdpProbe::run() {
    using K = ProbeOutcome::Kind;
    try {
        auto ex = co_await asio::this_coro::executor;
        asio::steady_timer deadline(ex);
        deadline.expires_after(target_.timeout);
        auto to = udp_endpoint(target_, 0);
        if (!to) co_return ProbeOutcome::failure(K::io_error, to.error());
        if (to->port() == 0) co_return ProbeOutcome::failure(K::io_error, "no port to send to");
        auto socket = open_connected_udp(ex, target_, to.value());
        if (!socket) co_return ProbeOutcome::failure(K::io_error, socket.error());

        std::vector<std::uint8_t> payload = check_.payload;
        if (payload.empty()) {
            // keepalived sends random bytes when no payload is configured.
            std::random_device rd;
            payload.resize(random_payload_size);
            for (auto& b : payload) b = static_cast<std::uint8_t>(rd());
        }
        auto sent = co_await (socket->async_send(asio::buffer(payload), nothrow) ||
                              deadline.async_wait(nothrow));
        if (sent.index() == 1) co_return ProbeOutcome::failure(K::timed_out, "sending timed out");
        if (auto [ec, n] = std::get<0>(sent); ec)
            co_return ProbeOutcome::failure(K::connect_failed,
                                            fmt::format("cannot send: {}", ec.message()));

        // One byte more than the longest acceptable reply, so that a longer one is seen.
        std::vector<std::uint8_t> buffer(
            check_.require_reply ? std::size_t{check_.max_reply_length} + 1 : 1);
        const Datagram d = co_await receive_until(socket.value(), deadline, buffer);
        if (d.timed_out) {
            if (check_.require_reply)
                co_return ProbeOutcome::failure(K::timed_out, "no reply before the timeout");
            co_return ProbeOutcome::success();  // silence: nothing says the port is closed
        }
        if (d.error) co_return ProbeOutcome::failure(K::connect_failed, d.error.message());
        if (!check_.require_reply) co_return ProbeOutcome::success();
        auto why = check_udp_reply(std::span(buffer).first(d.size), check_);
        if (!why.empty()) co_return ProbeOutcome::failure(K::mismatch, std::move(why));
        co_return ProbeOutcome::success();
    } catch (const std::exception& e) {
        co_return ProbeOutcome::failure(K::io_error, e.what());
    }
}

}  // namespace vigil::check
