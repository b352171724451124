// Logging for every vigil process: syslog (facility from -S, off with -G), the console (-l)
// and a file per process (-g FILE: FILE with _vrrp / _checker inserted before the last '.',
// as keepalived does). Each process has its own logger whose name says which process it is;
// messages say which instance or server they are about.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <spdlog/spdlog.h>

#include "common/result.h"
#include "common/unique_fd.h"

namespace vigil::core {

enum class ProcessRole { supervisor, vrrp, checker };

std::string_view role_name(ProcessRole role);  // "supervisor", "vrrp", "checker"

struct LogOptions {
    bool console = false;             // -l
    bool detail = false;              // -D: debug level
    bool syslog = true;               // not -G
    std::optional<int> facility;      // -S: 0-7 local0-7, 8 user, 9 daemon (default)
    std::optional<std::string> file;  // -g
    bool flush_file = false;          // --flush-log-file
};

using Logger = std::shared_ptr<spdlog::logger>;

Logger make_logger(ProcessRole role, const LogOptions& opts);

// Opens a log file for appending, close-on-exec, created 0600. Refused: a symbolic link, not a
// regular file, not owned by vigild's user, writable by group or others, or hard-linked
// elsewhere (the default path is under /tmp, where anyone can plant one of these).
Result<UniqueFd> open_log_file(const std::string& path);

// "/var/log/vigild.log" -> "/var/log/vigild_vrrp.log" for the VRRP worker.
std::string log_file_for(const std::string& base, ProcessRole role);

}  // namespace vigil::core
