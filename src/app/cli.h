// vigild's command line, compatible with keepalived(8): the same short and long options,
// so an operator can swap binaries. Parsing is separate from acting on it so it can be
// tested.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace vigil::app {

struct DaemonOptions {
    std::string config_file = "/etc/keepalived/keepalived.conf";  // -f
    bool vrrp_only = false;                                       // -P
    bool checkers_only = false;                                   // -C
    bool no_bfd = false;                                          // -B
    bool all_subsystems = false;                                  // --all
    bool log_console = false;                                     // -l
    bool log_detail = false;                                      // -D
    std::optional<int> log_facility;                // -S: 0-7 = local0-7, 8 = user, 9 = daemon
    std::optional<std::string> log_file;            // -g
    bool flush_log_file = false;                    // --flush-log-file
    bool no_syslog = false;                         // -G
    bool release_vips = false;                      // -X
    bool dont_release_vrrp = false;                 // -V
    bool dont_release_ipvs = false;                 // -I
    bool dont_respawn = false;                      // -R
    bool dont_fork = false;                         // -n
    bool dump_conf = false;                         // -d
    bool dump_json = false;                         // --dump-json (vigil)
    std::optional<std::string> pid_file;            // -p
    std::optional<std::string> vrrp_pid_file;       // -r
    std::optional<std::string> checkers_pid_file;   // -c
    std::optional<std::string> bfd_pid_file;        // -b
    bool address_monitoring = false;                // -a
    std::optional<std::string> net_namespace;       // -s
    bool all_config = false;                        // -e
    std::optional<std::string> config_id;           // -i
    bool snmp = false;                              // -x
    std::optional<std::string> snmp_agent_socket;   // -A
    std::optional<unsigned> umask_value;            // -u
    bool core_dump = false;                         // -m
    std::optional<std::string> core_dump_pattern;   // -M
    bool config_test = false;                       // -t
    std::optional<std::string> config_test_output;  // -t=FILE
    std::optional<std::string> signum;              // --signum
    bool version = false;                           // -v
    std::optional<std::string> worker;  // --worker vrrp|checker (internal, set by vigild)
    // --initial-netns-fd (internal): with -s, the supervisor's descriptor of the network
    // namespace it started in, inherited by the workers (process events are sent there only).
    std::optional<int> initial_netns_fd;
};

struct CliResult {
    std::optional<DaemonOptions> options;  // set when the daemon should act
    int exit_code = 0;                     // when options is empty: exit with this
    std::string output;                    // help, version or the error to print
};

CliResult parse_vigild_cli(const std::vector<std::string>& argv);

// The arguments the supervisor starts a worker with (after the executable): everything a
// worker needs from the command line, with the configuration file made absolute.
std::vector<std::string> worker_arguments(const DaemonOptions& o, const std::string& config_file);

// keepalived --signum: the signal number for STOP, RELOAD, DATA, STATS, STATS_CLEAR, JSON.
std::optional<int> signal_number(const std::string& name);

}  // namespace vigil::app
