// Process exit codes, numerically identical to keepalived 2.2.7's (measured with Debian's
// keepalived: `keepalived -t` exits 5 on configuration errors, 6 on script-security errors),
// so scripts and unit files written for keepalived read vigild's the same way.
#pragma once

namespace vigil::core {

enum class ExitCode : int {
    ok = 0,
    no_memory = 1,
    program_error = 2,         // also: bad command line
    fatal = 3,                 // cannot initialise a subsystem
    config = 4,                // configuration cannot be run (permanent: no respawn)
    config_test = 5,           // -t found configuration errors
    config_test_security = 6,  // -t: scripts configured without script security
    missing_permission = 7,    // permanent: no respawn
};

constexpr int to_int(ExitCode c) {
    return static_cast<int>(c);
}

}  // namespace vigil::core
