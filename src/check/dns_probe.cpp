#include "check/dns_probe.h"

#include <exception>
#include <random>
#include <vector>

#include <fmt/format.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "check/dns_message.h"
#include "check/udp_probe.h"

// GCC 12 pairs Asio's recycled coroutine-frame allocation (aligned_alloc) with the frame's
// operator delete after inlining and warns; the pairing is right at run time (Asio frees it).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

namespace vigil::check {

namespace asio = boost::asio;
using namespace asio::experimental::awaitable_operators;

DnsProbe::DnsProbe(ConnectTarget target, config::DnsCheck check)
    : target_(std::move(target)), check_(std::move(check)) {}

asio::awaitable<ProbeOutcome> DnsProbe::run() {
    ProbeOutcome out;
    try {
        out = co_await attempt();
    } catch (const std::exception& e) {
        out = ProbeOutcome::failure(ProbeOutcome::Kind::io_error, e.what());
    }
    co_return out;
}

asio::awaitable<ProbeOutcome> DnsProbe::attempt() {
    using K = ProbeOutcome::Kind;
    constexpr auto nothrow = asio::as_tuple(asio::use_awaitable);
    {
        auto ex = co_await asio::this_coro::executor;
        asio::steady_timer deadline(ex);
        deadline.expires_after(target_.timeout);

        const dns::RecordType type = dns::record_type(check_.type);
        // A fresh random id per attempt (RFC 5452 section 9.2), as keepalived does.
        std::random_device rd;
        const auto id = static_cast<std::uint16_t>(rd());
        auto query = dns::build_query(id, check_.name, type);
        if (!query) co_return ProbeOutcome::failure(K::io_error, query.error());

        auto to = udp_endpoint(target_, default_port);
        if (!to) co_return ProbeOutcome::failure(K::io_error, to.error());
        auto socket = open_connected_udp(ex, target_, to.value());
        if (!socket) co_return ProbeOutcome::failure(K::io_error, socket.error());

        auto sent = co_await (socket->async_send(asio::buffer(query.value()), nothrow) ||
                              deadline.async_wait(nothrow));
        if (sent.index() == 1) co_return ProbeOutcome::failure(K::timed_out, "sending timed out");
        if (auto [ec, n] = std::get<0>(sent); ec)
            co_return ProbeOutcome::failure(K::connect_failed,
                                            fmt::format("cannot send: {}", ec.message()));

        std::vector<std::uint8_t> buffer(receive_buffer_size);
        std::size_t ignored = 0;
        for (;;) {
            const Datagram d = co_await receive_until(socket.value(), deadline, buffer);
            if (d.timed_out)
                co_return ProbeOutcome::failure(
                    K::timed_out,
                    ignored == 0
                        ? std::string("no reply")
                        : fmt::format("no matching reply ({} other datagrams ignored)", ignored));
            if (d.error) co_return ProbeOutcome::failure(K::connect_failed, d.error.message());
            const std::span<const std::uint8_t> msg(buffer.data(), d.size);
            auto header = dns::parse_header(msg);
            if (!header || header->id != id || !header->response) {
                ++ignored;  // not the answer to our question: keep listening
                continue;
            }
            if (header->rcode != 0)
                co_return ProbeOutcome::failure(
                    K::mismatch, fmt::format("{} {} {}", dns::rcode_name(header->rcode),
                                             dns::to_string(type), check_.name));
            const auto reply = dns::parse_reply(msg, type);
            if (!reply)
                co_return ProbeOutcome::failure(K::protocol_error,
                                                fmt::format("malformed reply: {}", reply.error()));
            co_return ProbeOutcome::success();
        }
    }
}

}  // namespace vigil::check
