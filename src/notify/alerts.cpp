#include "notify/alerts.h"

#include <fmt/format.h>

namespace vigil::notify {

MailAlert vrrp_state_alert(std::string_view router_id, std::string_view instance,
                           std::string_view state) {
    MailAlert a;
    a.subject =
        fmt::format("[{}] VRRP Instance {} - Entering {} state", router_id, instance, state);
    if (state == "MASTER")
        a.body = "=> VRRP Instance is now owning VRRP VIPs <=";
    else if (state == "BACKUP")
        a.body = "=> VRRP Instance is nolonger owning VRRP VIPs <=";
    else
        a.body = fmt::format("=> VRRP Instance is in {} state <=", state);
    return a;
}

MailAlert real_server_alert(std::string_view router_id, std::string_view real_server, bool up,
                            std::string_view reason) {
    MailAlert a;
    a.subject = fmt::format("[{}] Realserver {} - {}", router_id, real_server, up ? "UP" : "DOWN");
    a.body = fmt::format("=> {} <=", reason);
    return a;
}

std::optional<Alerter> Alerter::from(const config::GlobalDefs& g, boost::asio::any_io_executor ex) {
    if (!g.smtp_server || g.notification_email.empty()) return std::nullopt;
    SmtpSettings s;
    s.server = g.smtp_server->host;
    s.port = g.smtp_server->port;
    s.timeout = std::chrono::duration_cast<std::chrono::milliseconds>(g.smtp_connect_timeout);
    s.helo_name = g.smtp_helo_name;
    return Alerter(std::move(ex), std::move(s), g.notification_email_from, g.notification_email);
}

void Alerter::send(MailAlert alert, Logger log) const {
    alert.from = from_;
    alert.to = to_;
    const std::string subject = alert.subject;
    send_alert(
        ex_, settings_, std::move(alert), [log = std::move(log), subject](const SmtpOutcome& o) {
            if (log)
                log(o.delivered,
                    o.delivered ? fmt::format("alert '{}' delivered to {} "
                                              "recipients",
                                              subject, o.accepted_recipients)
                                : fmt::format("alert '{}' not delivered: {}", subject, o.detail));
        });
}

}  // namespace vigil::notify
