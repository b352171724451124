#include "check/tcp_connect.h"

#include <fmt/format.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/error.hpp>

#include "check/socket_options.h"

namespace vigil::check {

namespace asio = boost::asio;
using Kind = ProbeOutcome::Kind;

asio::ip::tcp::endpoint to_endpoint(const IpAddress& address, std::uint16_t port) {
    if (address.is_v4()) return {asio::ip::address_v4(address.v4_host_order()), port};
    asio::ip::address_v6::bytes_type b{};
    std::copy(address.bytes().begin(), address.bytes().end(), b.begin());
    return {asio::ip::address_v6(b), port};
}

asio::awaitable<std::optional<ProbeOutcome>> connect_stream(boost::beast::tcp_stream& stream,
                                                            const ConnectTarget& target) {
    const auto endpoint = to_endpoint(target.address, target.port);
    boost::system::error_code ec;
    stream.socket().open(endpoint.protocol(), ec);
    if (ec)
        co_return ProbeOutcome::failure(Kind::io_error,
                                        fmt::format("cannot open a socket: {}", ec.message()));
    if (auto st = apply_connect_options(stream.socket().native_handle(), target); !st)
        co_return ProbeOutcome::failure(Kind::io_error, st.error());
    auto [cec] = co_await stream.async_connect(endpoint, asio::as_tuple(asio::use_awaitable));
    if (!cec) co_return std::nullopt;
    if (cec == boost::beast::error::timeout)
        co_return ProbeOutcome::failure(Kind::timed_out, "timed out connecting");
    co_return ProbeOutcome::failure(Kind::connect_failed,
                                    fmt::format("cannot connect: {}", cec.message()));
}

ProbeOutcome io_failure(const boost::system::error_code& ec, std::string_view step) {
    if (ec == boost::beast::error::timeout)
        return ProbeOutcome::failure(Kind::timed_out, fmt::format("timed out {}", step));
    // The server hung up or reset: it answered, but not with the protocol.
    if (ec == asio::error::eof || ec == asio::error::connection_reset ||
        ec == asio::ssl::error::stream_truncated)
        return ProbeOutcome::failure(Kind::protocol_error,
                                     fmt::format("connection closed {}", step));
    if (ec.category() == asio::error::get_ssl_category())
        return ProbeOutcome::failure(Kind::protocol_error,
                                     fmt::format("TLS error {}: {}", step, ec.message()));
    return ProbeOutcome::failure(Kind::io_error, fmt::format("{}: {}", step, ec.message()));
}

}  // namespace vigil::check
