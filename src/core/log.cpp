#include "core/log.h"

#include <syslog.h>

#include <vector>

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/sinks/syslog_sink.h>

namespace vigil::core {

std::string_view role_name(ProcessRole role) {
    switch (role) {
        case ProcessRole::supervisor:
            return "supervisor";
        case ProcessRole::vrrp:
            return "vrrp";
        case ProcessRole::checker:
            return "checker";
    }
    return "?";
}

namespace {

std::string_view file_suffix(ProcessRole role) {
    switch (role) {
        case ProcessRole::supervisor:
            return "";
        case ProcessRole::vrrp:
            return "_vrrp";
        case ProcessRole::checker:
            return "_checker";
    }
    return "";
}

int syslog_facility(std::optional<int> f) {
    static constexpr int locals[] = {LOG_LOCAL0, LOG_LOCAL1, LOG_LOCAL2, LOG_LOCAL3,
                                     LOG_LOCAL4, LOG_LOCAL5, LOG_LOCAL6, LOG_LOCAL7};
    if (!f) return LOG_DAEMON;
    if (*f >= 0 && *f <= 7) return locals[*f];
    return *f == 8 ? LOG_USER : LOG_DAEMON;
}

}  // namespace

std::string log_file_for(const std::string& base, ProcessRole role) {
    const auto suffix = file_suffix(role);
    const auto slash = base.rfind('/');
    const auto dot = base.rfind('.');
    if (dot == std::string::npos || (slash != std::string::npos && dot < slash))
        return base + std::string(suffix);
    return base.substr(0, dot) + std::string(suffix) + base.substr(dot);
}

Logger make_logger(ProcessRole role, const LogOptions& opts) {
    const std::string name =
        role == ProcessRole::supervisor ? "vigild" : "vigild_" + std::string(role_name(role));
    std::vector<spdlog::sink_ptr> sinks;
    if (opts.syslog) {
        auto s = std::make_shared<spdlog::sinks::syslog_sink_mt>(name, LOG_PID,
                                                                 syslog_facility(opts.facility),
                                                                 /*enable_formatting=*/true);
        s->set_pattern("%v");
        sinks.push_back(std::move(s));
    }
    if (opts.console) {
        auto s = std::make_shared<spdlog::sinks::stderr_sink_mt>();
        s->set_pattern("%Y-%m-%d %H:%M:%S.%f %n[%P] %l: %v");
        sinks.push_back(std::move(s));
    }
    std::string file_error;
    if (opts.file) {
        try {
            auto s =
                std::make_shared<spdlog::sinks::basic_file_sink_mt>(log_file_for(*opts.file, role));
            s->set_pattern("%Y-%m-%d %H:%M:%S.%f %n[%P] %l: %v");
            sinks.push_back(std::move(s));
        } catch (const spdlog::spdlog_ex& e) {
            // An unwritable log file must not stop vigild: the other sinks say why.
            file_error = e.what();
        }
    }
    auto logger = std::make_shared<spdlog::logger>(name, sinks.begin(), sinks.end());
    logger->set_level(opts.detail ? spdlog::level::debug : spdlog::level::info);
    logger->flush_on(opts.flush_file ? spdlog::level::trace : spdlog::level::info);
    if (!file_error.empty())
        logger->warn("cannot log to {}: {}", log_file_for(*opts.file, role), file_error);
    return logger;
}

}  // namespace vigil::core
