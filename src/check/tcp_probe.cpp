#include "check/tcp_probe.h"

#include <boost/beast/core/tcp_stream.hpp>

#include "check/tcp_connect.h"

namespace vigil::check {

TcpProbe::TcpProbe(boost::asio::any_io_executor executor, ConnectTarget target)
    : executor_(std::move(executor)), target_(std::move(target)) {}

boost::asio::awaitable<ProbeOutcome> TcpProbe::run() {
    boost::beast::tcp_stream stream(executor_);
    stream.expires_after(target_.timeout);
    if (auto failed = co_await connect_stream(stream, target_)) co_return std::move(*failed);
    boost::system::error_code ec;
    stream.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ec);
    stream.close();
    co_return ProbeOutcome::success();
}

}  // namespace vigil::check
