#include "vrrpd/tracking_shell.h"

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <boost/asio/post.hpp>

namespace vigil::vrrpd {

namespace asio = boost::asio;
using Cause = vrrp::ProcessQuorum::Cause;

namespace {

constexpr std::uint32_t file_events = IN_CLOSE_WRITE | IN_DELETE | IN_MOVED_TO | IN_MOVED_FROM;

// A small file's first bytes (keepalived reads 127), or nullopt when it cannot be read.
std::optional<std::string> read_head(const std::string& path) {
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC));
    if (!fd.valid()) return std::nullopt;
    std::array<char, 127> buf{};
    const ssize_t n = ::read(fd.get(), buf.data(), buf.size());
    if (n < 0) return std::nullopt;
    return std::string(buf.data(), static_cast<std::size_t>(n));
}

// The directory and name of a tracked file, its symbolic links resolved once (keepalived).
std::pair<std::string, std::string> locate(const std::string& path) {
    std::error_code ec;
    const auto resolved = std::filesystem::canonical(path, ec);
    std::filesystem::path p = ec ? std::filesystem::path(path) : resolved;
    auto dir = std::filesystem::canonical(p.parent_path(), ec);
    return {ec ? p.parent_path().string() : dir.string(), p.filename().string()};
}

// init_file: VALUE written when the file is missing (or, with `overwrite` at start, always),
// never through a symbolic link and never into something other than a regular file.
void init_file(const FileDef& f, bool start, const core::Logger& log) {
    if (!f.init_value) return;
    const bool overwrite = f.init_overwrite && start;
    const int flags = O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC | (overwrite ? 0 : O_EXCL);
    UniqueFd fd(::open(f.path.c_str(), flags, 0644));
    if (!fd.valid()) {
        if (errno != EEXIST)
            log->warn("track_file {}: cannot initialise {}: {}", f.name, f.path,
                      std::strerror(errno));
        return;
    }
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode)) {
        log->warn("track_file {}: cannot initialise {}: not a regular file", f.name, f.path);
        return;
    }
    const std::string text = fmt::format("{}\n", *f.init_value);
    if (::ftruncate(fd.get(), 0) != 0 ||
        ::write(fd.get(), text.data(), text.size()) != static_cast<ssize_t>(text.size()))
        log->warn("track_file {}: cannot write {}: {}", f.name, f.path, std::strerror(errno));
}

// /proc/PID/stat: the process's name (comm) and whether it is a zombie.
std::optional<std::pair<std::string, bool>> proc_stat(pid_t pid) {
    std::ifstream f(fmt::format("/proc/{}/stat", pid));
    std::string line;
    if (!std::getline(f, line)) return std::nullopt;
    const auto open = line.find('(');
    const auto close = line.rfind(')');
    if (open == std::string::npos || close == std::string::npos || close < open ||
        close + 2 >= line.size())
        return std::nullopt;
    return std::pair{line.substr(open + 1, close - open - 1), line[close + 2] == 'Z'};
}

std::vector<std::string> proc_cmdline(pid_t pid) {
    std::ifstream f(fmt::format("/proc/{}/cmdline", pid), std::ios::binary);
    std::vector<std::string> argv;
    std::string arg;
    // Bounded: tracking compares the command and a few parameters.
    for (std::size_t n = 0; n < 256 && std::getline(f, arg, '\0'); ++n) argv.push_back(arg);
    return argv;
}

// Whether this process is outside the initial network namespace (that of pid 1).
bool in_child_netns() {
    struct stat self {};
    struct stat init {};
    if (::stat("/proc/self/ns/net", &self) != 0 || ::stat("/proc/1/ns/net", &init) != 0)
        return false;
    return self.st_ino != init.st_ino || self.st_dev != init.st_dev;
}

}  // namespace

AsioTrackingShell::AsioTrackingShell(asio::io_context& ioc, core::Logger log, int initial_netns_fd)
    : ioc_(ioc),
      log_(log),
      runner_(ioc.get_executor(), std::move(log)),
      initial_netns_fd_(initial_netns_fd),
      linkbeat_timer_(ioc) {}

void AsioTrackingShell::configure(const config::Model& m) {
    auto p = core::ScriptPolicy::from(m.globals.defs, core::script_search_path());
    if (!p) {
        log_->error("VRRP scripts cannot run: {}", p.error());
        policy_.reset();
        return;
    }
    policy_.emplace(std::move(p.value()));
}

void AsioTrackingShell::run_script(const std::string& name, const config::ScriptSpec& script,
                                   std::chrono::milliseconds timeout) {
    if (!policy_) {
        asio::post(ioc_, [this, name] { sink_.script(name, ScriptResult::not_runnable); });
        return;
    }
    auto job = policy_->prepare(script, fmt::format("VRRP script {}", name), timeout);
    if (!job) {
        log_->warn("VRRP script {}: {}", name, job.error());
        asio::post(ioc_, [this, name] { sink_.script(name, ScriptResult::not_runnable); });
        return;
    }
    runner_.run(std::move(job.value()), [this, name](const core::ScriptOutcome& o) {
        switch (o.kind) {
            case core::ScriptOutcome::Kind::exited:
            case core::ScriptOutcome::Kind::signaled:
                return sink_.script(name,
                                    o.success() ? ScriptResult::success : ScriptResult::failure);
            case core::ScriptOutcome::Kind::timed_out:
                return sink_.script(name, ScriptResult::timed_out);
            case core::ScriptOutcome::Kind::not_started:
                return sink_.script(name, ScriptResult::not_runnable);
        }
    });
}

// ---- files ----

void AsioTrackingShell::watch_files(const std::vector<FileDef>& files, bool start) {
    if (inotify_.valid()) {
        for (const auto& [wd, dir] : watched_dirs_) (void)::inotify_rm_watch(inotify_.get(), wd);
    }
    watched_dirs_.clear();
    files_in_dir_.clear();
    if (files.empty()) return;
    if (!inotify_.valid()) {
        inotify_ = UniqueFd(::inotify_init1(IN_NONBLOCK | IN_CLOEXEC));
        if (!inotify_.valid()) {
            log_->error("track_file: inotify: {}; files are read once only", std::strerror(errno));
        } else {
            inotify_watch_.emplace(ioc_);
            inotify_watch_->assign(::fcntl(inotify_.get(), F_DUPFD_CLOEXEC, 3));
            watch_inotify();
        }
    }
    for (const auto& f : files) {
        init_file(f, start, log_);
        const auto [dir, base] = locate(f.path);
        if (inotify_.valid() && !files_in_dir_.contains(dir)) {
            const int wd =
                ::inotify_add_watch(inotify_.get(), dir.c_str(), file_events | IN_ONLYDIR);
            if (wd < 0)
                log_->warn("track_file {}: cannot watch {}: {}", f.name, dir, std::strerror(errno));
            else
                watched_dirs_[wd] = dir;
        }
        files_in_dir_[dir][base].push_back(f.name);
        read_file(f.name, (std::filesystem::path(dir) / base).string());
    }
}

void AsioTrackingShell::read_file(const std::string& name, const std::string& path) {
    sink_.file(name, read_head(path));
}

void AsioTrackingShell::watch_inotify() {
    inotify_watch_->async_wait(
        asio::posix::stream_descriptor::wait_read, [this](boost::system::error_code ec) {
            if (ec) return;
            alignas(inotify_event) std::array<char, 8192> buf{};
            for (;;) {
                const ssize_t n = ::read(inotify_.get(), buf.data(), buf.size());
                if (n <= 0) break;
                for (ssize_t at = 0; at < n;) {
                    const auto* e = reinterpret_cast<const inotify_event*>(buf.data() + at);
                    at += static_cast<ssize_t>(sizeof(inotify_event) + e->len);
                    auto dir = watched_dirs_.find(e->wd);
                    if (dir == watched_dirs_.end() || e->len == 0 || (e->mask & IN_ISDIR) != 0)
                        continue;
                    const auto& names = files_in_dir_[dir->second];
                    auto it = names.find(e->name);
                    if (it == names.end()) continue;
                    const bool gone = (e->mask & (IN_DELETE | IN_MOVED_FROM)) != 0;
                    for (const auto& name : it->second) {
                        if (gone)
                            sink_.file(name, std::nullopt);
                        else
                            read_file(name, dir->second + "/" + e->name);
                    }
                }
            }
            watch_inotify();
        });
}

// ---- processes ----

void AsioTrackingShell::watch_processes(const std::vector<ProcessDef>& processes) {
    const auto before = counts();
    processes_ = processes;
    pids_.clear();
    if (processes_.empty()) {
        deliver_counts(before, Cause::scan);
        return;
    }
    if (!events_ && !events_failed_ && !open_process_events()) events_failed_ = true;
    // keepalived: without process events every tracked process counts as not running.
    if (events_) scan_processes();
    deliver_counts(before, Cause::scan);
}

bool AsioTrackingShell::open_process_events() {
    // The kernel sends process events to the initial network namespace only: the one vigild
    // left for -s, or that of pid 1 when vigild was started in another one.
    int initial = initial_netns_fd_;
    UniqueFd ns;
    if (initial < 0 && in_child_netns()) {
        ns = UniqueFd(::open("/proc/1/ns/net", O_RDONLY | O_CLOEXEC));
        initial = ns.get();
    }
    auto e = net::ProcEvents::open(initial);
    if (!e) {
        log_->error(
            "vrrp_track_process cannot work here: {}; every tracked process counts as "
            "not running",
            e.error());
        return false;
    }
    events_.emplace(std::move(e.value()));
    events_watch_.emplace(ioc_);
    events_watch_->assign(::fcntl(events_->fd(), F_DUPFD_CLOEXEC, 3));
    watch_process_events();
    return true;
}

std::map<std::string, std::uint32_t> AsioTrackingShell::counts() const {
    std::map<std::string, std::uint32_t> out;
    for (const auto& d : processes_) out[d.name] = 0;
    for (const auto& [pid, names] : pids_)
        for (const auto& n : names) ++out[n];
    return out;
}

void AsioTrackingShell::deliver_counts(const std::map<std::string, std::uint32_t>& before,
                                       Cause cause) {
    for (const auto& [name, count] : counts()) {
        auto it = before.find(name);
        if (cause == Cause::scan || it == before.end() || it->second != count)
            sink_.process(name, count, cause);
    }
}

std::set<std::string> AsioTrackingShell::matching(pid_t pid, bool name_only,
                                                  const std::set<std::string>& keep) {
    std::set<std::string> out;
    const auto st = proc_stat(pid);
    if (!st || st->second) return out;  // gone, or a zombie
    std::vector<std::string> argv;
    bool have_argv = false;
    for (const auto& d : processes_) {
        if (name_only && d.full_command) {
            if (keep.contains(d.name)) out.insert(d.name);  // a name change does not matter
            continue;
        }
        if (d.full_command && !have_argv) {
            argv = proc_cmdline(pid);
            have_argv = true;
        }
        if (process_matches(d, st->first, argv)) out.insert(d.name);
    }
    return out;
}

void AsioTrackingShell::set_matches(pid_t pid, std::set<std::string> now, Cause cause) {
    const auto before = counts();
    if (now.empty())
        pids_.erase(pid);
    else
        pids_[pid] = std::move(now);
    deliver_counts(before, cause);
}

void AsioTrackingShell::scan_processes() {
    pids_.clear();
    DIR* d = ::opendir("/proc");
    if (d == nullptr) return;
    while (const dirent* e = ::readdir(d)) {
        char* end = nullptr;
        const long pid = std::strtol(e->d_name, &end, 10);
        if (end == e->d_name || *end != '\0' || pid <= 0) continue;
        auto m = matching(static_cast<pid_t>(pid), false, {});
        if (!m.empty()) pids_[static_cast<pid_t>(pid)] = std::move(m);
    }
    ::closedir(d);
}

void AsioTrackingShell::watch_process_events() {
    events_watch_->async_wait(
        asio::posix::stream_descriptor::wait_read, [this](boost::system::error_code ec) {
            if (ec) return;
            for (const auto& e : events_->drain()) {
                if (processes_.empty()) break;
                switch (e.kind) {
                    case net::ProcEvent::Kind::fork: {
                        // A tracked process's child counts for the same definitions (keepalived).
                        auto parent = pids_.find(e.parent);
                        if (parent != pids_.end()) set_matches(e.pid, parent->second, Cause::fork);
                        break;
                    }
                    case net::ProcEvent::Kind::exec:
                        set_matches(e.pid, matching(e.pid, false, {}), Cause::exec);
                        break;
                    case net::ProcEvent::Kind::comm: {
                        auto it = pids_.find(e.pid);
                        const auto keep = it == pids_.end() ? std::set<std::string>{} : it->second;
                        set_matches(e.pid, matching(e.pid, true, keep), Cause::exec);
                        break;
                    }
                    case net::ProcEvent::Kind::exit:
                        if (pids_.contains(e.pid)) set_matches(e.pid, {}, Cause::exit);
                        break;
                }
            }
            if (events_->take_overrun()) {
                // Events were lost: count again from /proc.
                const auto before = counts();
                scan_processes();
                deliver_counts(before, Cause::exec);
            }
            watch_process_events();
        });
}

// ---- linkbeat ----

void AsioTrackingShell::watch_linkbeat(const std::vector<LinkbeatDef>& interfaces) {
    std::vector<Polled> next;
    for (const auto& d : interfaces) {
        Polled p{d, d.method, std::nullopt};
        for (const auto& old : polled_)
            if (old.def == d) p = old;
        next.push_back(p);
    }
    polled_ = std::move(next);
    if (polled_.empty()) {
        linkbeat_timer_.cancel();
        return;
    }
    if (!linkbeat_) {
        auto l = net::Linkbeat::open();
        if (!l) {
            log_->error("{}; polled interfaces keep their link events", l.error());
            return;
        }
        linkbeat_.emplace(std::move(l.value()));
        log_->info("Using MII-BMSR/ETHTOOL NIC polling for {} interface(s)", polled_.size());
    }
    poll_links();
}

// keepalived polls every second.
void AsioTrackingShell::poll_links() {
    for (auto& p : polled_) {
        const auto r = linkbeat_->probe(p.def.interface, p.found);
        // A missing interface finds its method afresh when it comes back.
        p.found = r.exists ? r.method : p.def.method;
        if (p.up == r.up) continue;
        if (p.up)
            log_->info("Linkbeat reports {} {}", p.def.interface, r.up ? "up" : "down");
        else
            log_->info("Linkbeat: {} is {} ({})", p.def.interface, r.up ? "up" : "down",
                       r.exists ? to_string(r.method) : "no such interface");
        p.up = r.up;
        if (sink_.linkbeat) sink_.linkbeat(p.def.interface, r.up);
    }
    // (Re)arming cancels a wait still pending: one poll a second.
    linkbeat_timer_.expires_after(std::chrono::seconds(1));
    linkbeat_timer_.async_wait([this](boost::system::error_code ec) {
        if (!ec && !polled_.empty()) poll_links();
    });
}

}  // namespace vigil::vrrpd
