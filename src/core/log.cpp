#include "core/log.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <mutex>
#include <vector>

#include <spdlog/sinks/base_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/sinks/syslog_sink.h>

#include "common/unique_fd.h"

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

// Appends each message to an open log file with one write(2): nothing is buffered, so
// nothing is lost when a process dies, and lines of the three processes do not interleave.
class FileSink final : public spdlog::sinks::base_sink<std::mutex> {
  public:
    explicit FileSink(UniqueFd fd) : fd_(std::move(fd)) {}

  protected:
    void sink_it_(const spdlog::details::log_msg& msg) override {
        spdlog::memory_buf_t line;
        formatter_->format(msg, line);
        std::size_t off = 0;
        while (off < line.size()) {
            const auto n = ::write(fd_.get(), line.data() + off, line.size() - off);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) return;  // a full disk must not stop vigild
            off += static_cast<std::size_t>(n);
        }
    }
    void flush_() override {}

  private:
    UniqueFd fd_;
};

}  // namespace

Result<UniqueFd> open_log_file(const std::string& path) {
    // O_NOFOLLOW: a link planted at the path (the default is under /tmp) is refused, so root
    // never appends to a file someone else chose.
    UniqueFd fd(::open(path.c_str(),
                       O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY, 0600));
    if (!fd.valid())
        return Error{errno == ELOOP ? "it is a symbolic link" : std::string(strerror(errno))};
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0) return Error{strerror(errno)};
    if (!S_ISREG(st.st_mode)) return Error{"it is not a regular file"};
    if (st.st_uid != ::geteuid())
        return Error{fmt::format("it is owned by uid {}, not by vigild's user", st.st_uid)};
    if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0)
        return Error{"it is writable by its group or by others"};
    if (st.st_nlink != 1) return Error{"it has other hard links"};
    return fd;
}

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
        // A log file vigild cannot or must not write does not stop it: the other sinks say why.
        if (auto fd = open_log_file(log_file_for(*opts.file, role))) {
            auto s = std::make_shared<FileSink>(std::move(fd.value()));
            s->set_pattern("%Y-%m-%d %H:%M:%S.%f %n[%P] %l: %v");
            sinks.push_back(std::move(s));
        } else {
            file_error = fd.error();
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
