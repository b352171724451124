// vigild: parses the command line and the configuration. With -t it checks and exits;
// otherwise it becomes the supervisor (or, started by the supervisor, a worker).
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>

#include "app/cli.h"
#include "app/config_test.h"
#include "checkd/check_service.h"
#include "config/config.h"
#include "config/dump.h"
#include "core/exit_codes.h"
#include "core/log.h"
#include "core/runtime.h"
#include "core/supervisor.h"
#include "core/worker.h"
#include "vrrpd/vrrp_service.h"

namespace {

using vigil::core::ExitCode;
using vigil::core::to_int;

std::string node_name() {
    utsname u{};
    if (uname(&u) != 0) return "localhost";
    return u.nodename;
}

// keepalived's default config id is the host name up to the first '.'.
std::string short_host_name(const std::string& node) {
    return node.substr(0, node.find('.'));
}

// -s NAME: enter the network namespace that `ip netns add NAME` created.
bool enter_netns(const std::string& name, std::string& error) {
    const std::string path = "/run/netns/" + name;
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0 || ::setns(fd, CLONE_NEWNET) != 0) {
        error = "cannot enter network namespace " + name + ": " + std::strerror(errno);
        if (fd >= 0) ::close(fd);
        return false;
    }
    ::close(fd);
    return true;
}

// The classic double fork: the daemon is not a session leader and has no terminal.
void daemonize(bool keep_stderr) {
    if (::fork() > 0) ::_exit(0);
    ::setsid();
    if (::fork() > 0) ::_exit(0);
    if (::chdir("/") != 0) return;
    const int null = ::open("/dev/null", O_RDWR);
    if (null < 0) return;
    ::dup2(null, STDIN_FILENO);
    ::dup2(null, STDOUT_FILENO);
    if (!keep_stderr) ::dup2(null, STDERR_FILENO);
    if (null > STDERR_FILENO) ::close(null);
}

vigil::core::RuntimeOptions runtime_options(const vigil::app::DaemonOptions& o,
                                            const vigil::config::LoadOptions& load,
                                            const std::string& exe, int initial_netns_fd) {
    using vigil::core::ProcessRole;
    vigil::core::RuntimeOptions r;
    std::error_code ec;
    r.config_file = std::filesystem::absolute(o.config_file, ec).lexically_normal().string();
    r.load = load;
    r.log.console = o.log_console;
    r.log.detail = o.log_detail;
    r.log.syslog = !o.no_syslog;
    r.log.facility = o.log_facility;
    // The daemon leaves the working directory: every path must be absolute first.
    const auto absolute = [](const std::string& p) {
        std::error_code e;
        return std::filesystem::absolute(p, e).lexically_normal().string();
    };
    if (o.log_file) r.log.file = absolute(*o.log_file);
    r.log.flush_file = o.flush_log_file;
    r.netns = o.net_namespace;
    r.initial_netns_fd = o.initial_netns_fd.value_or(initial_netns_fd);
    r.pid_file = absolute(
        o.pid_file.value_or(vigil::core::default_pid_file(ProcessRole::supervisor, r.netns)));
    r.vrrp_pid_file = absolute(
        o.vrrp_pid_file.value_or(vigil::core::default_pid_file(ProcessRole::vrrp, r.netns)));
    r.checker_pid_file = absolute(
        o.checkers_pid_file.value_or(vigil::core::default_pid_file(ProcessRole::checker, r.netns)));
    r.vrrp_only = o.vrrp_only;
    r.checkers_only = o.checkers_only;
    r.all_subsystems = o.all_subsystems;
    r.respawn = !o.dont_respawn;
    r.release_vrrp = !o.dont_release_vrrp;
    r.release_ipvs = !o.dont_release_ipvs;
    auto worker_opts = o;
    worker_opts.log_file = r.log.file;
    worker_opts.vrrp_pid_file = r.vrrp_pid_file;
    worker_opts.checkers_pid_file = r.checker_pid_file;
    if (r.initial_netns_fd >= 0) worker_opts.initial_netns_fd = r.initial_netns_fd;
    r.worker_command = {exe};
    for (auto& a : vigil::app::worker_arguments(worker_opts, r.config_file))
        r.worker_command.push_back(std::move(a));
    return r;
}

}  // namespace

int main(int argc, char** argv) {
    // Until a process has its handlers, the signals it acts on stay blocked (and pending):
    // a SIGHUP or SIGUSR1 sent while vigild starts must not kill it with the default action.
    // The supervisor and the workers unblock them once their handlers are installed.
    {
        sigset_t mask;
        ::sigemptyset(&mask);
        for (const int s : vigil::core::control_signals()) ::sigaddset(&mask, s);
        ::sigprocmask(SIG_BLOCK, &mask, nullptr);
    }
    const auto cli = vigil::app::parse_vigild_cli(std::vector<std::string>(argv, argv + argc));
    if (!cli.options) {
        (cli.exit_code == 0 ? std::cout : std::cerr) << cli.output;
        return cli.exit_code;
    }
    const auto& opts = *cli.options;
    if (opts.umask_value) ::umask(static_cast<mode_t>(*opts.umask_value));

    vigil::config::LoadOptions load;
    const std::string node = node_name();
    load.read.config_id = opts.config_id.value_or(short_host_name(node));
    load.read.random_seed = std::random_device{}();
    load.read.all_includes_required = opts.all_config;
    load.env.host_name = node;

    std::error_code ec;
    const std::string exe = std::filesystem::read_symlink("/proc/self/exe", ec).string();
    // Before -s moves vigild: the workers' way back to the namespace the kernel sends process
    // events to (vrrp_track_process). Kept open for vigild's life.
    int initial_netns = -1;
    if (opts.net_namespace && !opts.worker && !opts.config_test)
        initial_netns = ::open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
    auto runtime = runtime_options(opts, load, exe.empty() ? argv[0] : exe, initial_netns);

    if (opts.worker) {
        const auto role = *opts.worker == "vrrp" ? vigil::core::ProcessRole::vrrp
                                                 : vigil::core::ProcessRole::checker;
        vigil::core::ServiceFactory factory;
        if (role == vigil::core::ProcessRole::vrrp) factory = vigil::vrrpd::make_vrrp_service;
        if (role == vigil::core::ProcessRole::checker) factory = vigil::checkd::make_check_service;
        return vigil::core::run_worker(role, runtime, factory);
    }

    if (opts.net_namespace && !opts.config_test) {
        std::string error;
        if (!enter_netns(*opts.net_namespace, error)) {
            std::cerr << "vigild: " << error << "\n";
            return to_int(ExitCode::fatal);
        }
    }

    const auto result = vigil::config::load_config_file(opts.config_file, load);
    const std::string diagnostics = result.render_diagnostics();

    if (opts.config_test) {
        if (opts.config_test_output) {
            std::ofstream out(*opts.config_test_output, std::ios::trunc);
            out << diagnostics;
        } else {
            std::cerr << diagnostics;
        }
        if (!result.ok()) return to_int(ExitCode::config_test);
        if (opts.dump_conf) std::cout << vigil::config::dump_text(*result.model);
        if (opts.dump_json) std::cout << vigil::config::dump_json(*result.model);
        return to_int(
            vigil::app::check_against_host(*result.model, result.sources, opts.config_test_output));
    }

    std::cerr << diagnostics;
    if (!result.ok()) return to_int(ExitCode::config);
    if (opts.dump_conf) std::cout << vigil::config::dump_text(*result.model);
    if (opts.dump_json) std::cout << vigil::config::dump_json(*result.model);

    // keepalived.conf(5) umask: the configured value (default IWGRP|IWOTH) unless -u said.
    if (!opts.umask_value) ::umask(static_cast<mode_t>(result.model->globals.defs.umask));
    if (!opts.dont_fork) daemonize(opts.log_console);
    const auto log = vigil::core::make_logger(vigil::core::ProcessRole::supervisor, runtime.log);
    // The warnings (skipped and unsupported keywords) also go to the daemon's log, where an
    // operator reads them later; on the console they were printed above.
    if (!opts.log_console) vigil::core::log_diagnostics(log, result);
    return vigil::core::run_supervisor(runtime, result.model, log);
}
