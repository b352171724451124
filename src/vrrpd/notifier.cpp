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

void Notifier::instance_state(const config::VrrpInstance& vi, std::string_view state,
                              int priority) {
    const std::optional<config::ScriptSpec>* specific = nullptr;
    if (state == "MASTER") specific = &vi.notify_master;
    if (state == "BACKUP") specific = &vi.notify_backup;
    if (state == "FAULT") specific = &vi.notify_fault;
    if (state == "STOP") specific = &vi.notify_stop;
    if (specific != nullptr && *specific)
        channels_.run_script(scripts_, **specific,
                             fmt::format("notify_{} ({})", fmt::to_string(state), vi.name), {},
                             log_);
    if (vi.notify)
        channels_.run_script(scripts_, *vi.notify, fmt::format("notify ({})", vi.name),
                             {"INSTANCE", vi.name, std::string(state), std::to_string(priority)},
                             log_);
    channels_.write_line(notify::instance_line(vi.name, state, priority));
    const auto& alerter = channels_.alerter();
    if (alerter && vi.smtp_alert.value_or(false) && state != "STOP") {
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
