// enable_script_security: a script that runs as root must not be replaceable by anyone but
// root. The script and every directory on its path (as written and as resolved through
// symlinks) must be owned by root and not writable by group (unless the group is root) or
// others (a sticky directory such as /tmp is allowed only for its root-owned entries).
#pragma once

#include <string>

namespace vigil::core {

struct ScriptPathVerdict {
    bool secure = false;
    std::string resolved;  // the program's absolute path, when found
    std::string reason;    // why it is refused, naming the offending path
};

// `program` is argv[0]: absolute, relative to the working directory, or searched in `path`
// (the PATH variable) when it has no '/'.
ScriptPathVerdict check_script_security(const std::string& program, const std::string& path);

// Finds `program` as execvp would; empty when not found or not executable.
std::string resolve_program(const std::string& program, const std::string& path);

}  // namespace vigil::core
