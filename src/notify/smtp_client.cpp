#include "notify/smtp_client.h"

#include <ctime>

#include <fmt/format.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

namespace vigil::notify {

namespace asio = boost::asio;
using asio::awaitable;
using asio::use_awaitable;
using asio::ip::tcp;
using namespace asio::experimental::awaitable_operators;

namespace {

struct StepFailed {
    std::string what;
};

class Session {
  public:
    Session(const asio::any_io_executor& ex, SmtpSettings s)
        : socket_(ex), timer_(ex), s_(std::move(s)) {}

    awaitable<SmtpOutcome> run(MailAlert alert) {
        SmtpOutcome out;
        try {
            co_await connect();
            expect_ok(co_await reply(), "banner");
            auto hello = co_await command(fmt::format("EHLO {}\r\n", s_.helo_name));
            if (!hello.positive_completion())
                expect_ok(co_await command(fmt::format("HELO {}\r\n", s_.helo_name)), "HELO");
            expect_ok(co_await command(fmt::format("MAIL FROM:<{}>\r\n", alert.from)), "MAIL FROM");
            for (const auto& rcpt : alert.to) {
                const auto r = co_await command(fmt::format("RCPT TO:<{}>\r\n", rcpt));
                if (r.positive_completion()) ++out.accepted_recipients;
            }
            if (out.accepted_recipients == 0) throw StepFailed{"no recipient was accepted"};
            const auto data = co_await command("DATA\r\n");
            if (!data.positive_intermediate()) throw StepFailed{"DATA refused: " + data.text()};
            expect_ok(co_await command(compose_message(alert, std::time(nullptr), "vigil")),
                      "message");
            out.delivered = true;
            out.detail = "delivered";
            co_await command("QUIT\r\n");
        } catch (const StepFailed& f) {
            if (!out.delivered) out.detail = f.what;
        } catch (const boost::system::system_error& e) {
            if (!out.delivered) out.detail = e.code().message();
        }
        co_return out;
    }

  private:
    static void expect_ok(const SmtpReply& r, const char* step) {
        if (!r.positive_completion())
            throw StepFailed{fmt::format("{} refused: {}", step, r.text())};
    }

    // Races an operation (completing with (error_code, T) through as_tuple, so that a failure
    // ends the race too) against the step deadline; returns T or throws StepFailed.
    template <class Op>
    auto with_deadline(Op op, const char* step)
        -> awaitable<std::tuple_element_t<1, typename Op::value_type>> {
        timer_.expires_after(s_.timeout);
        auto result = co_await (std::move(op) || timer_.async_wait(use_awaitable));
        if (result.index() == 1) throw StepFailed{fmt::format("timed out: {}", step)};
        auto [ec, value] = std::get<0>(std::move(result));
        if (ec) throw StepFailed{fmt::format("{}: {}", step, ec.message())};
        co_return std::move(value);
    }

    static constexpr auto tuple = asio::as_tuple(use_awaitable);

    awaitable<void> connect() {
        tcp::resolver resolver(socket_.get_executor());
        auto endpoints = co_await with_deadline(
            resolver.async_resolve(s_.server, std::to_string(s_.port), tuple), "resolve");
        co_await with_deadline(asio::async_connect(socket_, endpoints, tuple), "connect");
    }

    awaitable<SmtpReply> reply() {
        for (;;) {
            if (auto r = parser_.next()) co_return *r;
            if (parser_.failed()) throw StepFailed{"bad reply: " + parser_.error()};
            std::array<char, 2048> buf{};
            const std::size_t n = co_await with_deadline(
                socket_.async_read_some(asio::buffer(buf), tuple), "reading a reply");
            parser_.feed(std::string_view(buf.data(), n));
        }
    }

    awaitable<SmtpReply> command(const std::string& text) {
        co_await with_deadline(asio::async_write(socket_, asio::buffer(text), tuple), "sending");
        co_return co_await reply();
    }

    tcp::socket socket_;
    asio::steady_timer timer_;
    SmtpSettings s_;
    SmtpReplyParser parser_;
};

}  // namespace

void send_alert(const asio::any_io_executor& ex, SmtpSettings settings, MailAlert alert,
                std::function<void(const SmtpOutcome&)> done) {
    auto session = std::make_shared<Session>(ex, std::move(settings));
    asio::co_spawn(
        ex,
        [session, alert = std::move(alert)]() -> awaitable<SmtpOutcome> {
            co_return co_await session->run(alert);
        },
        [done = std::move(done)](const std::exception_ptr& e, SmtpOutcome out) {
            if (e) out.detail = "internal error";
            if (done) done(out);
        });
}

}  // namespace vigil::notify
