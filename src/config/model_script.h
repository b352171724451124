// A script to run (notify_*, vrrp_script, MISC_CHECK, quorum_up, startup_script...) and a
// FIFO to write to, as configured. Resolving user names to ids happens at run time.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "config/source.h"

namespace vigil::config {

struct ScriptSpec {
    SourceLoc loc;
    std::vector<std::string> argv;  // argv[0] is the program
    std::string user;               // empty: global script_user, else keepalived_script/root
    std::string group;              // empty: the user's group
};

struct FifoSpec {
    SourceLoc loc;
    std::string path;
    std::string user;
    std::string group;
};

class Args;

// Reads "<STRING>|<QUOTED-STRING> [username [groupname]]" starting at argument `first`.
// An unquoted program is a single word; a quoted string is split into arguments as
// keepalived does (single or double quotes group words). Reports errors; nullopt on failure.
std::optional<ScriptSpec> parse_script_spec(const Args& a, std::size_t first = 0);
// Reads "FIFO_NAME [username [groupname]]".
std::optional<FifoSpec> parse_fifo_spec(const Args& a, std::size_t first = 0);

}  // namespace vigil::config
