#include "app/cli.h"

#include <csignal>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

namespace vigil::app {

namespace {

std::optional<int> parse_facility(const std::string& v) {
    if (v.size() == 1 && v[0] >= '0' && v[0] <= '7') return v[0] - '0';
    if (v.size() == 6 && v.starts_with("local") && v[5] >= '0' && v[5] <= '7') return v[5] - '0';
    if (v == "user") return 8;
    if (v == "daemon") return 9;
    return std::nullopt;
}

}  // namespace

std::optional<int> signal_number(const std::string& name) {
    if (name == "STOP") return SIGTERM;
    if (name == "RELOAD") return SIGHUP;
    if (name == "DATA") return SIGUSR1;
    if (name == "STATS") return SIGUSR2;
    if (name == "STATS_CLEAR") return SIGRTMIN + 1;
    if (name == "JSON") return SIGRTMIN + 2;
    return std::nullopt;
}

std::vector<std::string> worker_arguments(const DaemonOptions& o, const std::string& config_file) {
    std::vector<std::string> a = {"-f", config_file};
    const auto flag = [&a](bool on, const char* name) {
        if (on) a.emplace_back(name);
    };
    const auto opt = [&a](const std::optional<std::string>& v, const char* name) {
        if (v) a.push_back(std::string(name) + "=" + *v);
    };
    flag(o.log_console, "--log-console");
    flag(o.log_detail, "--log-detail");
    if (o.log_facility) {
        const int f = *o.log_facility;
        a.push_back("--log-facility=" + (f <= 7 ? "local" + std::to_string(f)
                                                : std::string(f == 8 ? "user" : "daemon")));
    }
    opt(o.log_file, "--log-file");
    flag(o.flush_log_file, "--flush-log-file");
    flag(o.no_syslog, "--no-syslog");
    flag(o.release_vips, "--release-vips");
    flag(o.dont_release_vrrp, "--dont-release-vrrp");
    flag(o.dont_release_ipvs, "--dont-release-ipvs");
    flag(o.address_monitoring, "--address-monitoring");
    flag(o.all_config, "--all-config");
    opt(o.config_id, "--config-id");
    opt(o.vrrp_pid_file, "--vrrp_pid");
    opt(o.checkers_pid_file, "--checkers_pid");
    opt(o.net_namespace, "--namespace");
    if (o.initial_netns_fd)
        a.push_back("--initial-netns-fd=" + std::to_string(*o.initial_netns_fd));
    a.emplace_back("--worker");
    return a;
}

CliResult parse_vigild_cli(const std::vector<std::string>& argv) {
    CLI::App app{"vigild - VRRP and IPVS health-checking daemon, compatible with keepalived",
                 "vigild"};
    app.set_version_flag("-v,--version", std::string("vigild ") + VIGIL_VERSION);
    DaemonOptions o;
    std::string facility;
    std::string umask_text;

    app.add_option("-f,--use-file", o.config_file, "Use the specified configuration file");
    app.add_flag("-P,--vrrp", o.vrrp_only, "Only run the VRRP subsystem");
    app.add_flag("-C,--check", o.checkers_only, "Only run the health-checker subsystem");
    app.add_flag("-B,--no_bfd", o.no_bfd, "Don't run the BFD subsystem");
    app.add_flag("--all", o.all_subsystems, "Run all subsystems, even without configuration");
    app.add_flag("-l,--log-console", o.log_console, "Log messages to the local console");
    app.add_flag("-D,--log-detail", o.log_detail, "Detailed log messages");
    app.add_option("-S,--log-facility", facility, "Syslog facility: 0-7, local0-7, user, daemon");
    app.add_option("-g,--log-file", o.log_file, "Also log to FILE (per process)")
        ->expected(0, 1)
        ->default_str("/tmp/vigild.log");
    app.add_flag("--flush-log-file", o.flush_log_file, "Flush the log file after each write");
    app.add_flag("-G,--no-syslog", o.no_syslog, "Don't log to syslog");
    app.add_flag("-X,--release-vips", o.release_vips, "Drop VIPs on transition from signal");
    app.add_flag("-V,--dont-release-vrrp", o.dont_release_vrrp,
                 "Don't remove VRRP VIPs and routes on stop");
    app.add_flag("-I,--dont-release-ipvs", o.dont_release_ipvs,
                 "Don't remove IPVS topology on stop");
    app.add_flag("-R,--dont-respawn", o.dont_respawn, "Don't respawn child processes");
    app.add_flag("-n,--dont-fork", o.dont_fork, "Don't fork the daemon process");
    app.add_flag("-d,--dump-conf", o.dump_conf, "Dump the configuration data");
    app.add_flag("--dump-json", o.dump_json, "Dump the configuration as JSON (vigil)");
    app.add_option("-p,--pid", o.pid_file, "Pidfile of the parent process");
    app.add_option("-r,--vrrp_pid", o.vrrp_pid_file, "Pidfile of the VRRP process");
    app.add_option("-c,--checkers_pid", o.checkers_pid_file, "Pidfile of the checker process");
    app.add_option("-b,--bfd_pid", o.bfd_pid_file, "Pidfile of the BFD process");
    app.add_flag("-a,--address-monitoring", o.address_monitoring,
                 "Log all address changes reported by netlink");
    app.add_option("-s,--namespace", o.net_namespace, "Run in network namespace NAME");
    app.add_flag("-e,--all-config", o.all_config,
                 "Don't load if any configuration file is missing or unreadable");
    app.add_option("-i,--config-id", o.config_id, "Configuration id for @ conditionals");
    app.add_flag("-x,--snmp", o.snmp, "Enable the SNMP subsystem");
    app.add_option("-A,--snmp-agent-socket", o.snmp_agent_socket, "SNMP master agent socket");
    app.add_option("-u,--umask", umask_text, "umask (numeric)");
    app.add_flag("-m,--core-dump", o.core_dump, "Enable core dumps");
    app.add_option("-M,--core-dump-pattern", o.core_dump_pattern, "Core dump pattern")
        ->expected(0, 1)
        ->default_str("core");
    app.add_option("-t,--config-test", o.config_test_output,
                   "Check the configuration and exit; diagnostics to FILE if given")
        ->expected(0, 1);
    app.add_option("--worker", o.worker, "Internal: run as the vrrp or checker worker")
        ->check(CLI::IsMember({"vrrp", "checker"}))
        ->group("");
    app.add_option("--initial-netns-fd", o.initial_netns_fd,
                   "Internal: the initial network namespace, inherited from vigild")
        ->check(CLI::NonNegativeNumber)
        ->group("");
    app.add_option("--signum", o.signum,
                   "Print the signal number of STOP, RELOAD, DATA, STATS, STATS_CLEAR, JSON");

    std::vector<std::string> args(argv.rbegin(), argv.rend() - 1);
    CliResult r;
    try {
        app.parse(args);
    } catch (const CLI::CallForHelp&) {
        r.output = app.help();
        return r;
    } catch (const CLI::CallForVersion&) {
        r.output = std::string("vigild ") + VIGIL_VERSION + "\n";
        return r;
    } catch (const CLI::ParseError& e) {
        r.exit_code = 2;
        r.output = fmt::format("vigild: {}\nTry 'vigild --help' for more information.\n", e.what());
        return r;
    }
    o.config_test = app.count("--config-test") > 0;
    if (o.config_test_output && o.config_test_output->empty()) o.config_test_output.reset();
    if (app.count("--log-file") > 0 && (!o.log_file || o.log_file->empty()))
        o.log_file = "/tmp/vigild.log";
    if (!facility.empty()) {
        o.log_facility = parse_facility(facility);
        if (!o.log_facility) {
            r.exit_code = 2;
            r.output = fmt::format(
                "vigild: invalid log facility '{}': expected 0-7, local0-local7, user or daemon\n",
                facility);
            return r;
        }
    }
    if (!umask_text.empty()) {
        char* end = nullptr;
        const unsigned long v = std::strtoul(umask_text.c_str(), &end, 0);
        if (*end != '\0' || v > 0777) {
            r.exit_code = 2;
            r.output = fmt::format("vigild: invalid umask '{}': expected a number up to 0777\n",
                                   umask_text);
            return r;
        }
        o.umask_value = static_cast<unsigned>(v);
    }
    if (o.signum) {
        const auto n = signal_number(*o.signum);
        if (!n) {
            r.exit_code = 1;
            r.output = fmt::format("vigild: unknown signal function '{}'\n", *o.signum);
        } else {
            r.output = fmt::format("{}\n", *n);
        }
        return r;
    }
    r.options = std::move(o);
    return r;
}

}  // namespace vigil::app
