// SMTP alerts as keepalived sends them: who they go to comes from global_defs
// (notification_email, notification_email_from, smtp_server, smtp_connect_timeout,
// smtp_helo_name); subjects and bodies follow keepalived's wording so that mail filters keep
// working. Sending never blocks the caller and a failure is logged, never thrown.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include <boost/asio/any_io_executor.hpp>

#include "config/model_global.h"
#include "notify/smtp_client.h"
#include "notify/smtp_message.h"

namespace vigil::notify {

// "[router_id] VRRP Instance VI_1 - Entering MASTER state" and its body.
MailAlert vrrp_state_alert(std::string_view router_id, std::string_view instance,
                           std::string_view state);
// "[router_id] Realserver [192.0.2.10]:tcp:80 - DOWN" with the checker's reason as body.
MailAlert real_server_alert(std::string_view router_id, std::string_view real_server, bool up,
                            std::string_view reason);

class Alerter {
  public:
    // nullopt when alerts are not configured (no smtp_server or no notification_email).
    static std::optional<Alerter> from(const config::GlobalDefs& g,
                                       boost::asio::any_io_executor ex);

    using Logger = std::function<void(bool delivered, const std::string& detail)>;
    // Fills in From and To, sends, and reports the outcome to `log`.
    void send(MailAlert alert, Logger log) const;
    const SmtpSettings& settings() const { return settings_; }

  private:
    Alerter(boost::asio::any_io_executor ex, SmtpSettings s, std::string from,
            std::vector<std::string> to)
        : ex_(std::move(ex)), settings_(std::move(s)), from_(std::move(from)), to_(std::move(to)) {}
    boost::asio::any_io_executor ex_;
    SmtpSettings settings_;
    std::string from_;
    std::vector<std::string> to_;
};

}  // namespace vigil::notify
