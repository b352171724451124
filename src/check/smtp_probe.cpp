#include "check/smtp_probe.h"

#include <array>
#include <variant>

#include <fmt/format.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/tcp_stream.hpp>

#include "check/tcp_connect.h"
#include "notify/smtp_message.h"

namespace vigil::check {

namespace asio = boost::asio;
using Kind = ProbeOutcome::Kind;

namespace {

constexpr auto tuple = asio::as_tuple(asio::use_awaitable);

// One SMTP conversation; replies are parsed by the alert client's reply parser (multi-line
// replies, 4 KiB per reply at most: a health check needs no more).
class Conversation {
  public:
    Conversation(boost::beast::tcp_stream& s, Deadline deadline)
        : stream_(s), deadline_(deadline) {}

    // The next complete reply, or the failure that prevented it.
    asio::awaitable<std::variant<notify::SmtpReply, ProbeOutcome>> reply(std::string_view step) {
        for (;;) {
            if (auto r = parser_.next()) co_return std::move(*r);
            if (parser_.failed())
                co_return ProbeOutcome::failure(
                    Kind::protocol_error,
                    fmt::format("bad SMTP reply {}: {}", step, parser_.error()));
            if (closed_) co_return io_failure(closed_, step);
            std::array<char, 1024> buf{};
            auto [ec, n] = co_await stream_.async_read_some(asio::buffer(buf), tuple);
            if (n > 0) parser_.feed(std::string_view(buf.data(), n));
            closed_ = ec;  // a reply completed by the last bytes still counts
            if (!ec && deadline_.passed())
                co_return ProbeOutcome::failure(Kind::timed_out, fmt::format("timed out {}", step));
        }
    }

    asio::awaitable<std::optional<ProbeOutcome>> send(std::string text, std::string_view step) {
        auto [ec, n] = co_await asio::async_write(stream_, asio::buffer(text), tuple);
        if (ec) co_return io_failure(ec, step);
        co_return std::nullopt;
    }

  private:
    boost::beast::tcp_stream& stream_;
    Deadline deadline_;
    notify::SmtpReplyParser parser_{4096};
    boost::system::error_code closed_;
};

}  // namespace

SmtpProbe::SmtpProbe(asio::any_io_executor executor, ConnectTarget target, std::string helo_name)
    : executor_(std::move(executor)),
      target_(std::move(target)),
      helo_name_(helo_name.empty() ? std::string(default_helo_name) : std::move(helo_name)) {}

asio::awaitable<ProbeOutcome> SmtpProbe::run() {
    const auto deadline = Deadline::after(target_.timeout);
    boost::beast::tcp_stream stream(executor_);
    stream.expires_after(target_.timeout);
    if (auto failed = co_await connect_stream(stream, target_)) co_return std::move(*failed);
    Conversation c(stream, deadline);

    auto banner = co_await c.reply("reading the banner");
    if (auto* f = std::get_if<ProbeOutcome>(&banner)) co_return std::move(*f);
    if (const auto& r = std::get<notify::SmtpReply>(banner); r.code != 220)
        co_return ProbeOutcome::failure(Kind::mismatch,
                                        fmt::format("SMTP banner {} {}", r.code, r.text()));

    if (auto f = co_await c.send(fmt::format("HELO {}\r\n", helo_name_), "sending HELO"))
        co_return std::move(*f);
    auto helo = co_await c.reply("reading the HELO reply");
    if (auto* f = std::get_if<ProbeOutcome>(&helo)) co_return std::move(*f);
    if (const auto& r = std::get<notify::SmtpReply>(helo); r.code != 250)
        co_return ProbeOutcome::failure(Kind::mismatch,
                                        fmt::format("SMTP HELO reply {} {}", r.code, r.text()));

    if (auto f = co_await c.send("QUIT\r\n", "sending QUIT")) co_return std::move(*f);
    auto quit = co_await c.reply("reading the QUIT reply");
    if (auto* f = std::get_if<ProbeOutcome>(&quit)) co_return std::move(*f);
    co_return ProbeOutcome::success();
}

}  // namespace vigil::check
