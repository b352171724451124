#include "core/worker.h"

#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <ctime>

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include "config/dump.h"
#include "core/dump_file.h"
#include "core/exit_codes.h"
#include "core/pidfile.h"

namespace vigil::core {

namespace asio = boost::asio;

namespace {

class Worker {
  public:
    Worker(ProcessRole role, const RuntimeOptions& opts, Logger log, const ServiceFactory& factory)
        : role_(role), opts_(opts), log_(std::move(log)), signals_(ioc_) {
        if (factory) {
            service_ = factory(WorkerContext{ioc_, log_, opts_});
            service_failed_ = !service_;
        }
    }

    int run() {
        const std::string pid_path =
            role_ == ProcessRole::vrrp ? opts_.vrrp_pid_file : opts_.checker_pid_file;
        auto pid = PidFile::acquire(pid_path);
        if (!pid) {
            log_->error("{}", pid.error());
            return core::to_int(core::ExitCode::missing_permission);
        }
        auto loaded = config::load_config_file(opts_.config_file, opts_.load);
        if (!loaded.ok()) {
            log_diagnostics(log_, loaded);
            log_->error("configuration {} is invalid; the {} worker cannot run", opts_.config_file,
                        role_name(role_));
            return core::to_int(core::ExitCode::config);
        }
        model_ = loaded.model;
        if (service_failed_) {
            log_->error("the {} worker cannot run its service", role_name(role_));
            return core::to_int(core::ExitCode::fatal);
        }
        started_ = std::chrono::system_clock::now();
        log_->info("{} worker started (pid {}) with {}", role_name(role_), ::getpid(),
                   opts_.config_file);

        for (const int s : control_signals()) signals_.add(s);
        // The supervisor started us with these blocked: now that they have handlers, take
        // them (and any that arrived meanwhile).
        unblock_control_signals();
        wait_signal();
        if (service_) service_->start(model_);
        ioc_.run();
        log_->info("{} worker stopped", role_name(role_));
        return core::to_int(core::ExitCode::ok);
    }

  private:
    void wait_signal() {
        signals_.async_wait([this](boost::system::error_code ec, int sig) {
            if (ec) return;
            if (sig == SIGTERM || sig == SIGINT) {
                log_->info("stopping on signal {}", sig);
                if (!service_) return ioc_.stop();
                // A second signal while the service releases its resources stops at once.
                signals_.async_wait([this](boost::system::error_code e, int) {
                    if (!e) ioc_.stop();
                });
                service_->stop([this] { ioc_.stop(); });
                return;
            }
            if (sig == SIGHUP) reload();
            if (sig == SIGUSR1) dump(DumpKind::data);
            if (sig == SIGUSR2) dump(DumpKind::stats);
            if (sig == SIGRTMIN + 2) dump(DumpKind::json);
            wait_signal();
        });
    }

    void reload() {
        auto loaded = config::load_config_file(opts_.config_file, opts_.load);
        if (!loaded.ok()) {
            ++reload_failures_;
            log_diagnostics(log_, loaded);
            log_->error("reload: {} is invalid; keeping the running configuration",
                        opts_.config_file);
            return;
        }
        model_ = loaded.model;
        ++reloads_;
        log_->info("reload: configuration reloaded");
        if (service_) service_->reload(model_);
    }

    std::string process_summary() const {
        return fmt::format(
            "process: {}\npid: {}\nstarted: {:%Y-%m-%d %H:%M:%S}\nconfig file: {}\nreloads: {}\n"
            "failed reloads: {}\n",
            role_name(role_), ::getpid(),
            fmt::gmtime(std::chrono::system_clock::to_time_t(started_)), opts_.config_file,
            reloads_, reload_failures_);
    }

    void dump(DumpKind kind) {
        std::string content;
        switch (kind) {
            case DumpKind::data:
                content = process_summary();
                if (service_) content += service_->data_text();
                content += "------ configuration ------\n" + config::dump_text(*model_);
                break;
            case DumpKind::stats:
                content = process_summary();
                if (service_) content += service_->stats_text();
                break;
            case DumpKind::json:
                content = fmt::format(
                    "{{\"process\": \"{}\", \"pid\": {}, \"reloads\": {}, \"failed_reloads\": {}, "
                    "\"{}\": {}, \"config\": {}}}\n",
                    role_name(role_), ::getpid(), reloads_, reload_failures_, role_name(role_),
                    service_ ? service_->status_json() : "{}", config::dump_json(*model_, -1));
                break;
        }
        const auto path = dump_path(kind, role_, opts_.netns);
        if (auto r = write_file_atomically(path, content); !r)
            log_->error("dump: {}", r.error());
        else
            log_->debug("dump: wrote {}", path);
    }

    ProcessRole role_;
    const RuntimeOptions& opts_;
    Logger log_;
    asio::io_context ioc_;
    asio::signal_set signals_;
    std::shared_ptr<const config::Model> model_;
    std::unique_ptr<WorkerService> service_;
    bool service_failed_ = false;
    std::chrono::system_clock::time_point started_;
    unsigned reloads_ = 0;
    unsigned reload_failures_ = 0;
};

}  // namespace

int run_worker(ProcessRole role, const RuntimeOptions& opts, const ServiceFactory& factory) {
    auto log = make_logger(role, opts.log);
    Worker w(role, opts, log, factory);
    return w.run();
}

}  // namespace vigil::core
