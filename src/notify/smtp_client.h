// Sends one alert by SMTP (RFC 5321): EHLO (HELO when EHLO is refused), MAIL FROM, RCPT TO per
// recipient, DATA, QUIT. Runs as a coroutine on the worker's event loop; every step has the
// smtp_connect_timeout deadline, and a failure is reported, never thrown at the caller.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

#include <boost/asio/any_io_executor.hpp>

#include "notify/smtp_message.h"

namespace vigil::notify {

struct SmtpSettings {
    std::string server;  // address or host name
    std::uint16_t port = 25;
    std::chrono::milliseconds timeout{30000};
    std::string helo_name;
};

struct SmtpOutcome {
    bool delivered = false;
    std::size_t accepted_recipients = 0;
    std::string detail;  // the failing step and the server's reply, or "delivered"
};

// Starts sending; `done` is called once on the executor with the outcome.
void send_alert(const boost::asio::any_io_executor& ex, SmtpSettings settings, MailAlert alert,
                std::function<void(const SmtpOutcome&)> done);

}  // namespace vigil::notify
