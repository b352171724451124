#include "core/script_runner.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <fmt/format.h>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>

#include "core/child_process.h"

namespace vigil::core {

namespace asio = boost::asio;

std::string describe(const ScriptOutcome& o) {
    switch (o.kind) {
        case ScriptOutcome::Kind::exited:
            return fmt::format("exited with status {}", o.code);
        case ScriptOutcome::Kind::signaled:
            return fmt::format("killed by signal {}", o.code);
        case ScriptOutcome::Kind::timed_out:
            return "timed out and was killed";
        case ScriptOutcome::Kind::not_started:
            return "could not be started: " + o.error;
    }
    return "?";
}

// One running script: owns the pidfd watcher, the output reader and the timers. It keeps
// itself alive through the shared_ptr captured by its pending operations.
struct ScriptRunner::Run : std::enable_shared_from_this<ScriptRunner::Run> {
    Run(const asio::any_io_executor& ex, Logger logger, ScriptJob j, Done d,
        std::shared_ptr<std::size_t> counter, std::shared_ptr<std::set<pid_t>> dying)
        : job(std::move(j)),
          done(std::move(d)),
          log(std::move(logger)),
          pidfd(ex),
          output(ex),
          timeout(ex),
          running(std::move(counter)),
          condemned(std::move(dying)) {}

    ScriptJob job;
    Done done;
    Logger log;
    Child child;
    asio::posix::stream_descriptor pidfd;
    asio::posix::stream_descriptor output;
    asio::steady_timer timeout;
    std::shared_ptr<std::size_t> running;
    std::shared_ptr<std::set<pid_t>> condemned;  // groups sent SIGTERM, SIGKILL not yet
    std::array<char, 4096> buf{};
    std::string line;
    std::size_t logged = 0;
    bool timed_out = false;
    bool finished = false;

    void start() {
        int fds[2];
        if (::pipe2(fds, O_CLOEXEC | O_NONBLOCK) != 0) {
            finish({ScriptOutcome::Kind::not_started, 0, "pipe failed"});
            return;
        }
        UniqueFd read_end(fds[0]);
        UniqueFd write_end(fds[1]);
        // The child's end must not be non-blocking or close-on-exec once dup2'ed; dup2
        // clears FD_CLOEXEC, and blocking mode is per open file: make it blocking.
        ::fcntl(write_end.get(), F_SETFL, 0);
        SpawnOptions opts;
        opts.argv = job.argv;
        opts.run_as = job.run_as;
        opts.output_fd = write_end.get();
        opts.wait_for_exec = false;  // a storm of notify scripts must not hold up the loop
        auto spawned = spawn_child(opts);
        write_end.reset();
        if (!spawned) {
            finish({ScriptOutcome::Kind::not_started, 0, spawned.error()});
            return;
        }
        child = std::move(spawned.value());
        ++*running;
        log->debug("script {}: started pid {}", job.name, child.pid);
        output.assign(read_end.release());
        pidfd.assign(child.pidfd.release());
        child.pidfd = UniqueFd();
        read_output();
        wait_exit();
        if (job.timeout.count() > 0) {
            timeout.expires_after(job.timeout);
            timeout.async_wait([self = shared_from_this()](boost::system::error_code ec) {
                if (!ec) self->on_timeout();
            });
        }
    }

    void read_output() {
        output.async_read_some(asio::buffer(buf), [self = shared_from_this()](
                                                      boost::system::error_code ec, std::size_t n) {
            if (ec) {
                self->flush_line();
                return;
            }
            self->consume(std::string_view(self->buf.data(), n));
            self->read_output();
        });
    }

    void consume(std::string_view data) {
        for (const char c : data) {
            if (c == '\n') {
                flush_line();
            } else if (line.size() < 1024) {
                line.push_back(c);
            }
        }
    }

    void flush_line() {
        if (line.empty()) return;
        if (logged < max_logged_output) log->info("script {}: {}", job.name, line);
        logged += line.size();
        line.clear();
    }

    void wait_exit() {
        pidfd.async_wait(asio::posix::stream_descriptor::wait_read,
                         [self = shared_from_this()](boost::system::error_code ec) {
                             if (ec) return;
                             self->on_exit();
                         });
    }

    void on_timeout() {
        if (finished) return;
        timed_out = true;
        log->warn("script {}: timed out after {} ms, killing its process group", job.name,
                  job.timeout.count());
        kill_group();
    }

    // SIGTERM to the script's whole process group now, SIGKILL to what is left after the
    // grace period. The SIGKILL does not depend on this run: when the script itself dies of
    // the SIGTERM, its children that ignore it are still killed.
    void kill_group() {
        if (finished || child.pid <= 0) return;
        ::kill(-child.pid, SIGTERM);
        condemned->insert(child.pid);
        auto kill = std::make_shared<asio::steady_timer>(timeout.get_executor(), kill_grace);
        kill->async_wait([kill, pgid = child.pid, dying = condemned](boost::system::error_code ec) {
            if (dying->erase(pgid) != 0 && !ec) ::kill(-pgid, SIGKILL);
        });
    }

    void on_exit() {
        const auto st = reap_child(child);
        if (!st) {
            wait_exit();
            return;
        }
        --*running;
        timeout.cancel();
        // Drain what the script wrote before exiting; descendants that keep the pipe open
        // do not hold up the result.
        for (;;) {
            const auto n = ::read(output.native_handle(), buf.data(), buf.size());
            if (n <= 0) break;
            consume(std::string_view(buf.data(), static_cast<std::size_t>(n)));
        }
        flush_line();
        output.close();
        pidfd.close();
        if (auto e = exec_error(child, job.argv.at(0))) {
            finish({ScriptOutcome::Kind::not_started, 0, *e});
            return;
        }
        ScriptOutcome o;
        if (timed_out) {
            o.kind = ScriptOutcome::Kind::timed_out;
            o.code = st->code;
        } else if (st->signaled) {
            o.kind = ScriptOutcome::Kind::signaled;
            o.code = st->code;
        } else {
            o.kind = ScriptOutcome::Kind::exited;
            o.code = st->code;
        }
        finish(o);
    }

    void finish(const ScriptOutcome& o) {
        finished = true;
        if (o.kind != ScriptOutcome::Kind::exited || o.code != 0)
            log->info("script {}: {}", job.name, describe(o));
        else
            log->debug("script {}: {}", job.name, describe(o));
        if (done) done(o);
    }
};

ScriptRunner::ScriptRunner(asio::any_io_executor ex, Logger log)
    : ex_(std::move(ex)),
      log_(std::move(log)),
      running_(std::make_shared<std::size_t>(0)),
      condemned_(std::make_shared<std::set<pid_t>>()) {}

ScriptRunner::~ScriptRunner() = default;

void ScriptRunner::run(ScriptJob job, Done done) {
    auto r =
        std::make_shared<Run>(ex_, log_, std::move(job), std::move(done), running_, condemned_);
    std::erase_if(runs_, [](const std::weak_ptr<Run>& w) { return w.expired(); });
    runs_.push_back(r);
    r->start();
}

void ScriptRunner::terminate_all() {
    for (const auto& w : runs_)
        if (auto r = w.lock()) {
            log_->info("script {}: stopping it", r->job.name);
            r->kill_group();
        }
}

void ScriptRunner::kill_all() {
    for (const auto& w : runs_)
        if (auto r = w.lock(); r && !r->finished && r->child.pid > 0)
            ::kill(-r->child.pid, SIGKILL);
    // And what is left of scripts that already died of their SIGTERM.
    for (const pid_t pgid : *condemned_) ::kill(-pgid, SIGKILL);
    condemned_->clear();
}

std::size_t ScriptRunner::running() const {
    return *running_;
}

}  // namespace vigil::core
