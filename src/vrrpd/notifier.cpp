#include "vrrpd/notifier.h"

#include "notify/fifo_format.h"

namespace vigil::vrrpd {

Notifier::Notifier(const boost::asio::any_io_executor& ex, const core::Logger& log)
    : ex_(ex), log_(log), scripts_(ex, log) {}

void Notifier::configure(const config::Model& m) {
    const auto& g = m.globals.defs;
    channels_.configure(g, g.vrrp_notify_fifo, ex_, log_);
    router_id_ = g.router_id;
}

namespace {

// keepalived's word for a state in notifications, and the instance's script for it.
struct Notification {
    std::string_view word;
    const std::optional<config::ScriptSpec>* script;
};

Notification notification(const config::VrrpInstance& vi, vrrp::State s) {
    switch (s) {
        case vrrp::State::master:
            return {"MASTER", &vi.notify_master};
        case vrrp::State::backup:
            return {"BACKUP", &vi.notify_backup};
        case vrrp::State::fault:
            return {"FAULT", &vi.notify_fault};
        case vrrp::State::init:
            return {"STOP", &vi.notify_stop};
    }
    return {"STOP", &vi.notify_stop};
}

}  // namespace

void Notifier::priority_changed(const config::VrrpInstance& vi, vrrp::State state, int priority) {
    channels_.write_line(notify::instance_line(
        vi.name, state == vrrp::State::master ? "MASTER_PRIORITY" : "BACKUP_PRIORITY", priority));
}

void Notifier::lower_priority_master(const config::VrrpInstance& vi, int priority) {
    if (vi.notify_master_rx_lower_pri)
        channels_.run_script(scripts_, *vi.notify_master_rx_lower_pri,
                             fmt::format("notify_master_rx_lower_pri ({})", vi.name), {}, log_);
    channels_.write_line(notify::instance_line(vi.name, "MASTER_RX_LOWER_PRI", priority));
}

void Notifier::instance_state(const config::VrrpInstance& vi, vrrp::State s, int priority) {
    const auto [state, specific] = notification(vi, s);
    if (*specific)
        channels_.run_script(scripts_, **specific,
                             fmt::format("notify_{} ({})", fmt::to_string(state), vi.name), {},
                             log_);
    if (vi.notify)
        channels_.run_script(scripts_, *vi.notify, fmt::format("notify ({})", vi.name),
                             {"INSTANCE", vi.name, std::string(state), std::to_string(priority)},
                             log_);
    channels_.write_line(notify::instance_line(vi.name, state, priority));
    const auto& alerter = channels_.alerter();
    if (alerter && vi.smtp_alert && s != vrrp::State::init) {
        alerter->send(notify::vrrp_state_alert(router_id_, vi.name, state),
                      [log = log_, name = vi.name](bool delivered, const std::string& detail) {
                          if (delivered)
                              log->info("({}) SMTP alert sent", name);
                          else
                              log->warn("({}) SMTP alert failed: {}", name, detail);
                      });
    }
}

}  // namespace vigil::vrrpd
