// State dumps on SIGUSR1 (data), SIGUSR2 (stats) and SIGRTMIN+2 (JSON), written atomically:
// a reader sees the old file or the new one, never a half-written one.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"
#include "core/log.h"

namespace vigil::core {

enum class DumpKind { data, stats, json };

// Documented paths: /tmp/vigil[_NS]_<process>.<data|stats|json>, where <process> is
// parent, vrrp or checker and NS the network namespace given with -s.
std::string dump_path(DumpKind kind, ProcessRole role, const std::optional<std::string>& netns);

// Writes to a temporary file in the same directory, then renames it over `path`.
Result<bool> write_file_atomically(const std::string& path, std::string_view content);

}  // namespace vigil::core
