#include "core/runtime.h"

#include <csignal>

namespace vigil::core {

void log_diagnostics(const Logger& log, const config::LoadResult& r) {
    for (const auto& d : r.diags.all()) {
        const auto level =
            d.severity == config::Severity::error ? spdlog::level::err : spdlog::level::warn;
        // A diagnostic without a place (e.g. an unreadable file) is its message alone: the
        // log line already carries the severity.
        const std::string text = d.loc.file == 0 ? d.message : config::render(d, r.sources);
        for (std::size_t start = 0; start < text.size();) {
            auto nl = text.find('\n', start);
            if (nl == std::string::npos) nl = text.size();
            log->log(level, "{}", text.substr(start, nl - start));
            start = nl + 1;
        }
    }
}

std::vector<int> control_signals() {
    return {SIGHUP, SIGTERM, SIGINT, SIGUSR1, SIGUSR2, SIGRTMIN + 2};
}

void unblock_control_signals() {
    sigset_t mask;
    ::sigemptyset(&mask);
    for (const int s : control_signals()) ::sigaddset(&mask, s);
    ::sigprocmask(SIG_UNBLOCK, &mask, nullptr);
}

bool wants_worker(ProcessRole role, const config::Model& m, const RuntimeOptions& o) {
    switch (role) {
        case ProcessRole::supervisor:
            return false;
        case ProcessRole::vrrp:
            return !o.checkers_only && (o.all_subsystems || m.has_vrrp());
        case ProcessRole::checker:
            return !o.vrrp_only && (o.all_subsystems || m.has_checkers());
    }
    return false;
}

std::string default_pid_file(ProcessRole role, const std::optional<std::string>& netns) {
    const std::string dir = netns ? "/run/vigil/" + *netns : "/run/vigil";
    switch (role) {
        case ProcessRole::supervisor:
            return dir + "/vigild.pid";
        case ProcessRole::vrrp:
            return dir + "/vigild_vrrp.pid";
        case ProcessRole::checker:
            return dir + "/vigild_checker.pid";
    }
    return dir + "/vigild.pid";
}

}  // namespace vigil::core
