#include "core/supervisor.h"

#include <signal.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <functional>
#include <map>

#include <fmt/format.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include "core/child_process.h"
#include "core/dump_file.h"
#include "core/exit_codes.h"
#include "core/notify_channels.h"
#include "core/pidfile.h"
#include "core/respawn.h"
#include "core/script_policy.h"
#include "core/script_runner.h"
#include "core/systemd_notify.h"
#include "notify/fifo_writer.h"

namespace vigil::core {

namespace asio = boost::asio;

namespace {

constexpr std::array<ProcessRole, 2> worker_roles = {ProcessRole::vrrp, ProcessRole::checker};

class Supervisor {
  public:
    Supervisor(const RuntimeOptions& opts, std::shared_ptr<const config::Model> model, Logger log)
        : opts_(opts),
          model_(std::move(model)),
          log_(std::move(log)),
          signals_(ioc_),
          stop_timer_(ioc_) {
        RespawnPolicyConfig policy;
        policy.respawn = opts.respawn;
        for (const auto role : worker_roles) slots_.try_emplace(role, ioc_, policy);
    }

    int run() {
        auto pid = PidFile::acquire(opts_.pid_file);
        if (!pid) {
            log_->error("{}", pid.error());
            return core::to_int(core::ExitCode::missing_permission);
        }
        for (const int s : control_signals()) signals_.add(s);
        unblock_control_signals();
        wait_signal();
        log_->info("vigild {} starting (pid {}) with {}", VIGIL_VERSION, ::getpid(),
                   opts_.config_file);
        log_script_audit();
        start_fifo_scripts();
        // keepalived.conf(5): the startup script runs before any worker starts.
        run_global_script(model_->globals.defs.startup_script, "startup_script",
                          model_->globals.defs.startup_script_timeout, [this] {
                              if (stopping_) return finish_if_stopped();
                              workers_started_ = true;
                              apply_worker_set();
                              notify_ready(status());
                          });
        ioc_.run();
        // keepalived removes the FIFOs it created when it stops; one that was there is left.
        for (const auto& f : fifos_)
            if (f.created()) ::unlink(f.path().c_str());
        log_->info("vigild stopped");
        return exit_code_;
    }

  private:
    struct Slot {
        Slot(asio::io_context& ioc, RespawnPolicyConfig policy)
            : pidfd(ioc), respawn_timer(ioc), backoff(policy) {}
        asio::posix::stream_descriptor pidfd;
        asio::steady_timer respawn_timer;
        RespawnBackoff backoff;
        Child child;
        Clock::time_point started{};
        bool running = false;
        bool wanted = false;
        bool respawn_pending = false;
        unsigned starts = 0;
    };

    std::string status() const {
        std::string s;
        for (const auto& [role, slot] : slots_)
            if (slot.running) s += (s.empty() ? "" : ", ") + std::string(role_name(role));
        return s.empty() ? "no workers (nothing configured)" : "workers: " + s;
    }

    void apply_worker_set() {
        for (auto& [role, slot] : slots_) {
            slot.wanted = wants_worker(role, *model_, opts_);
            if (slot.wanted && !slot.running && !slot.respawn_pending) start(role);
            if (!slot.wanted && slot.running) {
                log_->info("{} worker is no longer needed: stopping it", role_name(role));
                ::kill(slot.child.pid, SIGTERM);
            }
            if (!slot.wanted && slot.respawn_pending) {
                slot.respawn_timer.cancel();
                slot.respawn_pending = false;
            }
        }
    }

    void start(ProcessRole role) {
        Slot& slot = slots_.at(role);
        SpawnOptions so;
        so.argv = opts_.worker_command;
        so.argv.emplace_back(role_name(role));
        so.own_process_group = false;  // a terminal's ^C reaches the workers too
        so.blocked_signals = control_signals();
        so.output_fd = opts_.log.console ? STDERR_FILENO : -1;
        so.inherit_fd = opts_.initial_netns_fd;
        auto child = spawn_child(so);
        if (!child) {
            log_->error("cannot start the {} worker: {}", role_name(role), child.error());
            schedule_respawn(role, WorkerExit{false, 127, {}});
            return;
        }
        slot.child = std::move(child.value());
        slot.running = true;
        slot.started = Clock::now();
        ++slot.starts;
        log_->info("started the {} worker (pid {})", role_name(role), slot.child.pid);
        slot.pidfd.assign(::dup(slot.child.pidfd.get()));
        slot.pidfd.async_wait(asio::posix::stream_descriptor::wait_read,
                              [this, role](boost::system::error_code ec) {
                                  if (!ec) on_worker_exit(role);
                              });
    }

    void on_worker_exit(ProcessRole role) {
        Slot& slot = slots_.at(role);
        const auto st = reap_child(slot.child);
        if (!st) {  // spurious wakeup: wait again
            slot.pidfd.async_wait(asio::posix::stream_descriptor::wait_read,
                                  [this, role](boost::system::error_code ec) {
                                      if (!ec) on_worker_exit(role);
                                  });
            return;
        }
        slot.pidfd.close();
        slot.child = Child{};
        slot.running = false;
        const WorkerExit exit{st->signaled, st->code, Clock::now() - slot.started};
        if (stopping_ || !slot.wanted) {
            log_->info("{} worker {}", role_name(role), describe(exit));
            if (stopping_) finish_if_stopped();
            return;
        }
        log_->warn("{} worker {}", role_name(role), describe(exit));
        schedule_respawn(role, exit);
    }

    void schedule_respawn(ProcessRole role, const WorkerExit& exit) {
        Slot& slot = slots_.at(role);
        const auto d = slot.backoff.on_exit(exit);
        if (d.kind == RespawnDecision::Kind::stop) {
            log_->error("{} worker: {}; stopping vigild", role_name(role), d.reason);
            exit_code_ = d.exit_code;
            stop();
            return;
        }
        log_->info("{} worker: {}", role_name(role), d.reason);
        slot.respawn_pending = true;
        slot.respawn_timer.expires_after(d.delay);
        slot.respawn_timer.async_wait([this, role](boost::system::error_code ec) {
            Slot& s = slots_.at(role);
            if (ec || stopping_ || !s.respawn_pending) return;
            s.respawn_pending = false;
            if (s.wanted) start(role);
        });
    }

    void reload() {
        notify_reloading();
        log_->info("reload requested: checking {}", opts_.config_file);
        auto loaded = config::load_config_file(opts_.config_file, opts_.load);
        log_diagnostics(log_, loaded);  // the errors, or what was skipped or is not supported
        if (!loaded.ok()) {
            log_->error(
                "reload refused: the new configuration is invalid; keeping the running "
                "one");
            notify_ready(status());
            return;
        }
        model_ = loaded.model;
        log_script_audit();
        if (!workers_started_) {
            // The startup script is still running: the workers start after it, with this
            // configuration.
            log_->info("reload: configuration taken; workers start when startup_script ends");
            return;
        }
        for (auto& [role, slot] : slots_)
            if (slot.running && wants_worker(role, *model_, opts_)) ::kill(slot.child.pid, SIGHUP);
        apply_worker_set();
        notify_ready(status());
    }

    void forward(int sig) {
        for (auto& [role, slot] : slots_)
            if (slot.running) ::kill(slot.child.pid, sig);
    }

    void write_parent_data() {
        std::string s = fmt::format("process: parent\npid: {}\nconfig file: {}\n", ::getpid(),
                                    opts_.config_file);
        for (const auto& [role, slot] : slots_)
            s += fmt::format("{} worker: {}, pid {}, started {} times\n", role_name(role),
                             slot.running ? "running" : (slot.wanted ? "restarting" : "not needed"),
                             slot.running ? slot.child.pid : 0, slot.starts);
        const auto path = dump_path(DumpKind::data, ProcessRole::supervisor, opts_.netns);
        if (auto r = write_file_atomically(path, s); !r) log_->error("dump: {}", r.error());
    }

    void wait_signal() {
        signals_.async_wait([this](boost::system::error_code ec, int sig) {
            if (ec) return;
            switch (sig) {
                case SIGTERM:
                case SIGINT:
                    log_->info("stopping on signal {}", sig);
                    stop();
                    return;
                case SIGHUP:
                    if (!stopping_) reload();
                    break;
                case SIGUSR1:
                    write_parent_data();
                    forward(sig);
                    break;
                default:
                    forward(sig);
                    break;
            }
            wait_signal();
        });
    }

    using Micros = std::chrono::microseconds;

    void log_script_audit() {
        const auto audit = audit_scripts(*model_, script_search_path());
        for (const auto& m : audit.missing) log_->warn("{}", m);
        for (const auto& p : audit.problems) log_->error("{}", p);
        if (audit.root_scripts_without_security)
            log_->warn(
                "SECURITY VIOLATION - scripts are being executed but script_security not "
                "enabled");
    }

    // A job for the script runner, as the current configuration's script policy says.
    Result<ScriptJob> prepare_script(const config::ScriptSpec& spec, std::string name,
                                     std::chrono::milliseconds timeout) const {
        auto policy = ScriptPolicy::from(model_->globals.defs, script_search_path());
        if (!policy) return Error{policy.error()};
        return policy->prepare(spec, std::move(name), timeout);
    }

    // Runs a startup/shutdown script (as the script policy says) and then `next`, also when
    // there is no script or it cannot run.
    void run_global_script(const std::optional<config::ScriptSpec>& spec, const char* what,
                           Micros timeout, std::function<void()> next) {
        if (!spec) return next();
        auto job = prepare_script(*spec, what,
                                  std::chrono::duration_cast<std::chrono::milliseconds>(timeout));
        if (!job) {
            log_->error("{}", job.error());
            return next();
        }
        log_->info("running {}", what);
        scripts_.run(std::move(job.value()),
                     [next = std::move(next)](const ScriptOutcome&) { next(); });
    }

    // notify_fifo_script and friends read the FIFO vigil writes events to: the FIFO is
    // created here and the script started with its path as the last argument.
    void start_fifo_scripts() {
        const auto& g = model_->globals.defs;
        const std::array<std::pair<const std::optional<config::FifoSpec>*,
                                   const std::optional<config::ScriptSpec>*>,
                         3>
            fifos = {{{&g.notify_fifo, &g.notify_fifo_script},
                      {&g.vrrp_notify_fifo, &g.vrrp_notify_fifo_script},
                      {&g.lvs_notify_fifo, &g.lvs_notify_fifo_script}}};
        for (const auto& [fifo, script] : fifos) {
            if (!*fifo) continue;
            auto writer = open_notify_fifo(**fifo, g);
            if (!writer) {
                log_->error("notify FIFO: {}", writer.error());
                continue;
            }
            // Held open for vigild's life: a reader never sees end-of-file between events.
            fifos_.push_back(std::move(writer.value()));
            if (!*script) continue;
            auto spec = **script;
            spec.argv.push_back((*fifo)->path);
            auto job = prepare_script(spec, "FIFO script for " + (*fifo)->path,
                                      std::chrono::milliseconds(0));
            if (!job) {
                log_->error("{}", job.error());
                continue;
            }
            scripts_.run(std::move(job.value()), [this](const ScriptOutcome&) {
                if (stopping_) finish_if_stopped();
            });
        }
    }

    void stop() {
        if (stopping_) return;
        stopping_ = true;
        notify_stopping();
        signals_.cancel();
        for (auto& [role, slot] : slots_) {
            slot.respawn_timer.cancel();
            if (slot.running) ::kill(slot.child.pid, SIGTERM);
        }
        scripts_.terminate_all();
        // Workers that do not stop within the allowed time are killed.
        stop_timer_.expires_after(model_->globals.defs.child_wait_time);
        stop_timer_.async_wait([this](boost::system::error_code ec) {
            if (ec) return;
            for (auto& [role, slot] : slots_) {
                if (!slot.running) continue;
                log_->warn("{} worker did not stop in time: killing it", role_name(role));
                ::kill(slot.child.pid, SIGKILL);
            }
        });
        finish_if_stopped();
    }

    void finish_if_stopped() {
        for (const auto& [role, slot] : slots_)
            if (slot.running) return;
        // A startup or FIFO script still running is stopped first; its end calls back here.
        if (finishing_ || scripts_.running() > 0) return;
        finishing_ = true;
        stop_timer_.cancel();
        // keepalived.conf(5): the shutdown script runs after all workers have terminated.
        run_global_script(model_->globals.defs.shutdown_script, "shutdown_script",
                          model_->globals.defs.shutdown_script_timeout, [this] { ioc_.stop(); });
    }

    const RuntimeOptions& opts_;
    std::shared_ptr<const config::Model> model_;
    Logger log_;
    asio::io_context ioc_;
    asio::signal_set signals_;
    asio::steady_timer stop_timer_;
    std::map<ProcessRole, Slot> slots_;
    ScriptRunner scripts_{ioc_.get_executor(), log_};
    bool stopping_ = false;
    bool finishing_ = false;
    bool workers_started_ = false;
    std::vector<notify::FifoWriter> fifos_;
    int exit_code_ = 0;
};

}  // namespace

int run_supervisor(const RuntimeOptions& opts, std::shared_ptr<const config::Model> model,
                   const Logger& log) {
    Supervisor s(opts, std::move(model), log);
    return s.run();
}

}  // namespace vigil::core
