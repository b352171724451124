// The Asio shell of the VRRP worker: the real implementations of the engine's ports (raw VRRP
// sockets, the AF_PACKET sender, /proc/sys, notifications and the IPVS sync daemon), the
// kernel monitor, and one timer armed at the engine's next deadline. Every decision is the
// engine's (engine.h); this file only moves bytes and time.
#include "vrrpd/vrrp_service.h"

#include <fcntl.h>

#include <fstream>
#include <map>

#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include "net/net_monitor.h"
#include "net/netlink.h"
#include "net/packet_socket.h"
#include "net/vrrp_socket.h"
#include "vrrpd/engine.h"
#include "vrrpd/notifier.h"
#include "vrrpd/sync_daemon.h"
#include "vrrpd/tracking_shell.h"

namespace vigil::vrrpd {

namespace asio = boost::asio;

namespace {

using Clock = std::chrono::steady_clock;

// An Asio watch on a descriptor the shell does not own: a close-on-exec duplicate, so that
// the scripts the worker runs never inherit it.
int watchable(int fd) {
    return ::fcntl(fd, F_DUPFD_CLOEXEC, 3);
}

// The raw VRRP sockets, each watched for readability; datagrams go to `deliver`.
class AsioTransport final : public Transport {
  public:
    using Deliver = std::function<void(const SocketKey&, const net::Datagram&)>;
    AsioTransport(asio::io_context& ioc, core::Logger log) : ioc_(ioc), log_(std::move(log)) {}
    void set_delivery(Deliver d) { deliver_ = std::move(d); }

    Status open(const SocketKey& key, const std::string& ifname) override {
        auto sock = net::VrrpSocket::open(key.family, key.protocol, ifname, key.ifindex);
        if (!sock) return Error{sock.error()};
        const int fd = watchable(sock->fd());
        if (fd < 0) return Error{"cannot watch a VRRP socket: no descriptor left"};
        auto entry = std::make_unique<Entry>(
            Entry{std::move(sock.value()), asio::posix::stream_descriptor(ioc_)});
        entry->watch.assign(fd);
        entries_[key] = std::move(entry);
        watch(key);
        return Ok{};
    }

    void close(const SocketKey& key) override { entries_.erase(key); }

    Status join(const SocketKey& key, const IpAddress& group) override {
        auto it = entries_.find(key);
        if (it == entries_.end()) return Error{"join: no such socket"};
        return it->second->socket.join(group);
    }

    Status send(const SocketKey& key, std::span<const std::byte> bytes, const IpAddress& source,
                const IpAddress& destination, std::uint8_t hop_limit) override {
        auto it = entries_.find(key);
        if (it == entries_.end()) return Error{"send: no such socket"};
        return it->second->socket.send(bytes, source, destination, hop_limit);
    }

  private:
    struct Entry {
        net::VrrpSocket socket;
        asio::posix::stream_descriptor watch;
    };

    void watch(const SocketKey& key) {
        auto it = entries_.find(key);
        if (it == entries_.end()) return;
        it->second->watch.async_wait(asio::posix::stream_descriptor::wait_read,
                                     [this, key](boost::system::error_code ec) {
                                         if (ec) return;
                                         drain(key);
                                         watch(key);
                                     });
    }

    void drain(const SocketKey& key) {
        // Bounded per wake-up so that one flooded socket cannot starve the timers.
        for (int i = 0; i < 64; ++i) {
            auto it = entries_.find(key);  // a datagram may close the socket (an unbind)
            if (it == entries_.end()) return;
            auto r = it->second->socket.receive(buffer_);
            if (!r) {
                log_->warn("{}", r.error());
                return;
            }
            if (!r.value()) return;
            deliver_(key, *r.value());
        }
    }

    asio::io_context& ioc_;
    core::Logger log_;
    Deliver deliver_;
    std::map<SocketKey, std::unique_ptr<Entry>> entries_;
    std::array<std::byte, 65536> buffer_{};
};

class PacketFrameSender final : public FrameSender {
  public:
    Status send_frame(int ifindex, std::span<const std::byte> frame) override {
        if (!socket_) {
            auto s = net::PacketSocket::open();
            if (!s) return Error{s.error()};
            socket_.emplace(std::move(s.value()));
        }
        return socket_->send(ifindex, frame);
    }

  private:
    std::optional<net::PacketSocket> socket_;  // opened on first use
};

class ProcHostSettings final : public HostSettings {
  public:
    bool ipv6_forwarding(const std::string& ifname) override {
        std::ifstream f("/proc/sys/net/ipv6/conf/" + ifname + "/forwarding");
        int v = 0;
        return (f >> v) && v != 0;
    }
    Status set_promote_secondaries(const std::string& ifname) override {
        std::ofstream f("/proc/sys/net/ipv4/conf/" + ifname + "/promote_secondaries");
        if (!(f << "1\n")) return Error{"cannot set promote_secondaries on " + ifname};
        return Ok{};
    }
};

// Notify scripts, FIFOs, mail, and the IPVS sync daemon that follows its instance.
class Observer final : public StateObserver {
  public:
    Observer(Notifier& n, SyncDaemonControl& s) : notifier_(n), sync_daemon_(s) {}
    void state_changed(const config::VrrpInstance& vi, const vrrp::StateChange& c,
                       std::uint8_t priority) override {
        if (!stopping && vi.name == sync_daemon_.instance()) sync_daemon_.update(c.to);
        notifier_.instance_state(vi, c.to, priority);
    }
    void priority_changed(const config::VrrpInstance& vi, vrrp::State state,
                          std::uint8_t priority) override {
        notifier_.priority_changed(vi, state, priority);
    }
    void lower_priority_master(const config::VrrpInstance& vi, std::uint8_t priority) override {
        notifier_.lower_priority_master(vi, priority);
    }
    bool stopping = false;

  private:
    Notifier& notifier_;
    SyncDaemonControl& sync_daemon_;
};

class VrrpService final : public core::WorkerService {
  public:
    VrrpService(const core::WorkerContext& ctx, std::unique_ptr<net::Netlink> nl)
        : ioc_(ctx.ioc),
          log_(ctx.log),
          netlink_(std::move(nl)),
          transport_(ctx.ioc, ctx.log),
          notifier_(ctx.ioc.get_executor(), ctx.log),
          sync_daemon_(ctx.log),
          observer_(notifier_, sync_daemon_),
          tracking_(ctx.ioc, ctx.log, ctx.opts.initial_netns_fd),
          engine_(EngineDeps{*netlink_, transport_, frames_, host_, observer_, tracking_, ctx.log,
                             ctx.opts.release_vrrp}),
          release_ipvs_(ctx.opts.release_ipvs),
          timer_(ctx.ioc) {
        transport_.set_delivery([this](const SocketKey& key, const net::Datagram& d) {
            engine_.on_datagram(key, d, Clock::now());
            arm();
        });
        tracking_.set_sink(
            {[this](const std::string& name, ScriptResult r) {
                 engine_.on_script_result(name, r, Clock::now());
                 arm();
             },
             [this](const std::string& name, const std::optional<std::string>& content) {
                 engine_.on_file_content(name, content, Clock::now());
                 arm();
             },
             [this](const std::string& name, std::uint32_t count,
                    vrrp::ProcessQuorum::Cause cause) {
                 engine_.on_process_count(name, count, cause, Clock::now());
                 arm();
             },
             [this](const std::string& ifname, bool up) {
                 engine_.on_linkbeat(ifname, up, Clock::now());
                 arm();
             }});
    }

    void start(std::shared_ptr<const config::Model> m) override {
        notifier_.configure(*m);
        tracking_.configure(*m);
        open_monitor();
        engine_.start(*m, Clock::now());
        configure_sync_daemon(*m);
        arm();
    }

    void reload(std::shared_ptr<const config::Model> m) override {
        notifier_.configure(*m);
        tracking_.configure(*m);
        engine_.reload(*m, Clock::now());
        configure_sync_daemon(*m);
        arm();
    }

    void stop(std::function<void()> done) override {
        observer_.stopping = true;
        timer_.cancel();
        engine_.stop(Clock::now());
        tracking_.stop();
        if (release_ipvs_) sync_daemon_.stop();
        asio::post(ioc_, std::move(done));
    }

    std::string stats_text() const override { return engine_.stats_text(); }
    std::string data_text() const override { return engine_.state_text(); }
    std::string status_json() const override { return engine_.status_json(); }

  private:
    void arm() {
        const auto deadline = engine_.next_deadline();
        if (!deadline) {
            timer_.cancel();
            return;
        }
        if (armed_ == deadline) return;
        armed_ = deadline;
        timer_.expires_at(*deadline);
        timer_.async_wait([this](boost::system::error_code ec) {
            if (ec) return;
            armed_.reset();
            engine_.on_timer(Clock::now());
            arm();
        });
    }

    // lvs_sync_daemon follows its instance (the default syncid is the instance's VRID).
    void configure_sync_daemon(const config::Model& m) {
        const auto& cfg = m.globals.defs.lvs_sync_daemon;
        std::optional<std::uint8_t> vrid;
        std::optional<vrrp::State> state;
        if (cfg && !cfg->instance.empty()) {
            for (const auto& vi : m.vrrp.instances)
                if (vi.name == cfg->instance) vrid = vi.virtual_router_id;
            state = engine_.state_of(cfg->instance);
        }
        sync_daemon_.configure(cfg, vrid);
        sync_daemon_.update(state);
    }

    void open_monitor() {
        auto m = net::NetMonitor::open();
        if (!m) {
            log_->error("kernel monitor: {}; interface and address changes will not be seen",
                        m.error());
            return;
        }
        monitor_.emplace(std::move(m.value()));
        monitor_watch_.emplace(ioc_);
        monitor_watch_->assign(watchable(monitor_->fd()));
        watch_monitor();
    }

    void watch_monitor() {
        monitor_watch_->async_wait(asio::posix::stream_descriptor::wait_read,
                                   [this](boost::system::error_code ec) {
                                       if (ec) return;
                                       for (const auto& ev : monitor_->drain())
                                           engine_.on_net_event(ev, Clock::now());
                                       // Events were lost: read again what matters.
                                       if (monitor_->take_overrun()) engine_.resync(Clock::now());
                                       arm();
                                       watch_monitor();
                                   });
    }

    asio::io_context& ioc_;
    core::Logger log_;
    std::unique_ptr<net::Netlink> netlink_;
    AsioTransport transport_;
    PacketFrameSender frames_;
    ProcHostSettings host_;
    Notifier notifier_;
    SyncDaemonControl sync_daemon_;
    Observer observer_;
    AsioTrackingShell tracking_;
    Engine engine_;
    bool release_ipvs_;
    asio::steady_timer timer_;
    std::optional<Clock::time_point> armed_;
    std::optional<net::NetMonitor> monitor_;
    std::optional<asio::posix::stream_descriptor> monitor_watch_;
};

}  // namespace

std::unique_ptr<core::WorkerService> make_vrrp_service(const core::WorkerContext& ctx) {
    auto nl = net::open_netlink();
    if (!nl) {
        ctx.log->critical("netlink: {}", nl.error());
        return nullptr;
    }
    return std::make_unique<VrrpService>(ctx, std::move(nl.value()));
}

}  // namespace vigil::vrrpd
