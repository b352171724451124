#include "vrrpd/notifier.h"

#include "notify/fifo_format.h"

namespace vigil::vrrpd {

Notifier::Notifier(const boost::asio::any_io_executor& ex, const core::Logger& log)
    : ex_(ex), log_(log), scripts_(ex, log) {}

void Notifier::configure(const config::Model& m) {
    const auto& g = m.globals.defs;
    auto policy = core::ScriptPolicy::from(g, core::script_search_path());
    if (policy) {
        policy_ = std::move(policy.value());
    } else {
        policy_.reset();
        log_->error("notify scripts will not run: {}", policy.error());
    }
    fifos_.clear();
    // The supervisor created the FIFOs and started their readers; we only write lines.
    for (const auto* fifo : {&g.notify_fifo, &g.vrrp_notify_fifo}) {
        if (!*fifo) continue;
        auto w = notify::FifoWriter::open((*fifo)->path);
        if (w)
            fifos_.push_back(std::move(w.value()));
        else
            log_->error("notify FIFO: {}", w.error());
    }
    alerter_ = notify::Alerter::from(g, ex_);
    router_id_ = g.router_id;
}

void Notifier::run(const config::ScriptSpec& spec, std::string name,
                   const std::vector<std::string>& extra_args) {
    if (!policy_) return;
    config::ScriptSpec s = spec;
    s.argv.insert(s.argv.end(), extra_args.begin(), extra_args.end());
    auto job = policy_->prepare(s, std::move(name), std::chrono::milliseconds(0));
    if (!job) {
        log_->error("{}", job.error());
        return;
    }
    scripts_.run(std::move(job.value()), [](const core::ScriptOutcome&) {});
}

void Notifier::instance_state(const config::VrrpInstance& vi, std::string_view state,
                              int priority) {
    const std::optional<config::ScriptSpec>* specific = nullptr;
    if (state == "MASTER") specific = &vi.notify_master;
    if (state == "BACKUP") specific = &vi.notify_backup;
    if (state == "FAULT") specific = &vi.notify_fault;
    if (state == "STOP") specific = &vi.notify_stop;
    if (specific != nullptr && *specific)
        run(**specific, fmt::format("notify_{} ({})", fmt::to_string(state), vi.name), {});
    if (vi.notify)
        run(*vi.notify, fmt::format("notify ({})", vi.name),
            {"INSTANCE", vi.name, std::string(state), std::to_string(priority)});
    const auto line = notify::instance_line(vi.name, state, priority);
    for (auto& f : fifos_) f.write_line(line);
    if (alerter_ && vi.smtp_alert.value_or(false) && state != "STOP") {
        alerter_->send(notify::vrrp_state_alert(router_id_, vi.name, state),
                       [log = log_, name = vi.name](bool delivered, const std::string& detail) {
                           if (delivered)
                               log->info("({}) SMTP alert sent", name);
                           else
                               log->warn("({}) SMTP alert failed: {}", name, detail);
                       });
    }
}

}  // namespace vigil::vrrpd
