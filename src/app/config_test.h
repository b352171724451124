// What vigild -t checks beyond the configuration itself, against this host as keepalived -t
// does: interfaces that do not exist (warnings) and scripts that would run as root without
// script security (exit 6), or that cannot be found (warnings).
#pragma once

#include <optional>
#include <string>

#include "config/model.h"
#include "config/source.h"
#include "core/exit_codes.h"

namespace vigil::app {

// Writes its findings to `output` (a file, appended) or stderr; returns the exit code.
core::ExitCode check_against_host(const config::Model& m, const config::SourceFiles& sources,
                                  const std::optional<std::string>& output);

}  // namespace vigil::app
