#include "core/notify_channels.h"

#include <fmt/format.h>

#include "core/credentials.h"

namespace vigil::core {

Result<notify::FifoWriter> open_notify_fifo(const config::FifoSpec& fifo,
                                            const config::GlobalDefs& g) {
    auto who = fifo.user.empty() ? default_script_credentials(
                                       g.script_user ? g.script_user->user : std::string{},
                                       g.script_user ? g.script_user->group : std::string{})
                                 : lookup_credentials(fifo.user, fifo.group);
    if (!who) return Error{fmt::format("{}: {}", fifo.path, who.error())};
    return notify::FifoWriter::open(fifo.path, notify::FifoOwner{who->uid, who->gid});
}

void NotifyChannels::configure(const config::GlobalDefs& g,
                               const std::optional<config::FifoSpec>& role_fifo,
                               const boost::asio::any_io_executor& ex, const Logger& log) {
    auto policy = ScriptPolicy::from(g, script_search_path());
    if (policy) {
        policy_ = std::move(policy.value());
    } else {
        policy_.reset();
        log->error("notify scripts will not run: {}", policy.error());
    }
    fifos_.clear();
    for (const auto* fifo : {&g.notify_fifo, &role_fifo}) {
        if (!*fifo) continue;
        auto w = open_notify_fifo(**fifo, g);
        if (w)
            fifos_.push_back(std::move(w.value()));
        else
            log->error("notify FIFO: {}", w.error());
    }
    alerter_ = notify::Alerter::from(g, ex);
}

void NotifyChannels::run_script(ScriptRunner& runner, const config::ScriptSpec& spec,
                                std::string name, const std::vector<std::string>& extra_args,
                                const Logger& log) const {
    if (!policy_) return;
    config::ScriptSpec s = spec;
    s.argv.insert(s.argv.end(), extra_args.begin(), extra_args.end());
    auto job = policy_->prepare(s, std::move(name), std::chrono::milliseconds(0));
    if (!job) {
        log->error("{}", job.error());
        return;
    }
    runner.run(std::move(job.value()), [](const ScriptOutcome&) {});
}

void NotifyChannels::write_line(const std::string& line) {
    for (auto& f : fifos_) f.write_line(line);
}

}  // namespace vigil::core
