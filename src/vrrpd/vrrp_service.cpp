#include "vrrpd/vrrp_service.h"

#include <ctime>
#include <fstream>
#include <map>
#include <set>
#include <tuple>

#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include "net/link_monitor.h"
#include "net/netlink.h"
#include "net/vrrp_socket.h"
#include "vrrp/ah.h"
#include "vrrp/garp_schedule.h"
#include "vrrp/router.h"
#include "vrrpd/announcer.h"
#include "vrrpd/notifier.h"
#include "vrrpd/status.h"
#include "vrrpd/sync_daemon.h"

namespace vigil::vrrpd {

namespace asio = boost::asio;

namespace {

using Clock = std::chrono::steady_clock;

// /proc/sys/net/ipv6/conf/IF/forwarding: a forwarding interface's NAs carry the Router flag.
bool ipv6_forwarding(const std::string& ifname) {
    std::ifstream f("/proc/sys/net/ipv6/conf/" + ifname + "/forwarding");
    int v = 0;
    return (f >> v) && v != 0;
}

std::string_view notify_word(vrrp::State s) {
    switch (s) {
        case vrrp::State::master:
            return "MASTER";
        case vrrp::State::backup:
            return "BACKUP";
        case vrrp::State::fault:
            return "FAULT";
        case vrrp::State::init:
            return "STOP";
    }
    return "STOP";
}

vrrp::GarpPolicy garp_policy(const config::VrrpInstance& vi) {
    vrrp::GarpPolicy p;
    p.master_delay = vi.garp_master_delay.value_or(std::chrono::seconds(5));
    p.master_repeat = vi.garp_master_repeat.value_or(5);
    p.lower_prio_delay = vi.garp_lower_prio_delay.value_or(p.master_delay);
    p.lower_prio_repeat = vi.garp_lower_prio_repeat.value_or(p.master_repeat);
    p.refresh = vi.garp_master_refresh.value_or(vrrp::Micros{0});
    p.refresh_repeat = vi.garp_master_refresh_repeat.value_or(1);
    return p;
}

struct SocketKey {
    int ifindex;
    Family family;
    std::uint8_t protocol;
    // NOLINTNEXTLINE(modernize-use-nullptr): clang-tidy 14 misreads a defaulted <=>
    auto operator<=>(const SocketKey&) const = default;
};

struct SocketEntry {
    net::VrrpSocket socket;
    asio::posix::stream_descriptor watch;
    std::set<IpAddress> groups;
};

// One configured instance and what the shell keeps for it.
struct Slot {
    const config::VrrpInstance* cfg = nullptr;  // into the current model
    vrrp::InstanceSettings settings;
    vrrp::RouterInstance* ri = nullptr;  // null while its interface or address is missing
    std::string ifname;
    int ifindex = 0;
    bool link_up = false;
    std::string unbound_reason;
    std::unique_ptr<asio::steady_timer> timer;
    std::unique_ptr<asio::steady_timer> garp_timer;
    std::optional<vrrp::GarpSchedule> garp;
    bool vips_installed = false;
    std::vector<config::AddressSpec> installed_addresses;
    std::vector<config::RouteSpec> installed_routes;
    std::vector<config::RuleSpec> installed_rules;
};

class VrrpService final : public core::WorkerService {
  public:
    VrrpService(const core::WorkerContext& ctx, std::unique_ptr<net::Netlink> nl)
        : ioc_(ctx.ioc),
          log_(ctx.log),
          opts_(ctx.opts),
          netlink_(std::move(nl)),
          notifier_(ctx.ioc.get_executor(), ctx.log),
          announcer_(ctx.ioc, ctx.log),
          sync_daemon_(ctx.log),
          rebind_timer_(ctx.ioc) {}

    void start(std::shared_ptr<const config::Model> m) override {
        model_ = std::move(m);
        notifier_.configure(*model_);
        announcer_.configure(*model_);
        open_link_monitor();
        install_statics();
        for (const auto& vi : model_->vrrp.instances) add_slot(vi);
        configure_sync_daemon();
        log_->info("VRRP: {} instance(s) started", slots_.size());
    }

    void reload(std::shared_ptr<const config::Model> m) override {
        model_ = std::move(m);
        notifier_.configure(*model_);
        announcer_.configure(*model_);
        install_statics();
        std::set<std::string> kept;
        for (const auto& vi : model_->vrrp.instances) {
            auto it = slots_.find(vi.name);
            auto settings = vrrp::make_settings(vi, model_->globals.defs);
            if (it != slots_.end() && it->second.settings.identity == settings.identity) {
                migrate(it->second, vi, std::move(settings));
                kept.insert(vi.name);
            }
        }
        for (auto it = slots_.begin(); it != slots_.end();) {
            if (kept.count(it->first) != 0U) {
                ++it;
                continue;
            }
            log_->info("({}) removed by reload", it->first);
            stop_slot(it->second, true);
            if (it->second.ri) router_.remove(it->first);
            it = slots_.erase(it);
        }
        for (const auto& vi : model_->vrrp.instances)
            if (slots_.count(vi.name) == 0U) add_slot(vi);
        configure_sync_daemon();
    }

    void stop(std::function<void()> done) override {
        stopping_ = true;
        rebind_timer_.cancel();
        for (auto& [name, slot] : slots_) stop_slot(slot, opts_.release_vrrp);
        if (opts_.release_vrrp) remove_statics();
        if (opts_.release_ipvs) sync_daemon_.stop();
        asio::post(ioc_, std::move(done));
    }

    std::string stats_text() const override { return vrrpd::stats_text(router_, unbound()); }
    std::string status_json() const override {
        return vrrpd::status_json(router_, unbound(), announcer_.sent());
    }

  private:
    std::vector<UnboundInstance> unbound() const {
        std::vector<UnboundInstance> out;
        for (const auto& [name, slot] : slots_)
            if (!slot.ri) out.push_back({name, slot.ifname, slot.unbound_reason});
        return out;
    }

    // ---- instances ----

    void add_slot(const config::VrrpInstance& vi) {
        Slot& slot = slots_[vi.name];
        slot.cfg = &vi;
        slot.settings = vrrp::make_settings(vi, model_->globals.defs);
        slot.ifname = vi.interface;
        slot.timer = std::make_unique<asio::steady_timer>(ioc_);
        slot.garp_timer = std::make_unique<asio::steady_timer>(ioc_);
        slot.garp.emplace(garp_policy(vi));
        // Left over from a crash or another daemon: a backup must not hold the VIPs.
        remove_stale_addresses(slot);
        bind(slot);
    }

    // Finds the interface and the source address and creates the protocol instance; an
    // instance that cannot bind yet waits (FAULT) for a link event.
    void bind(Slot& slot) {
        const auto& vi = *slot.cfg;
        slot.ifindex = 0;
        slot.link_up = !slot.ifname.empty() ? false : true;
        if (!slot.ifname.empty()) {
            auto link = netlink_->link(slot.ifname);
            if (!link) {
                return unbound(slot, fmt::format("interface {} not found", slot.ifname));
            }
            slot.ifindex = link->ifindex;
            slot.link_up = link->oper_up;
        }
        IpAddress source;
        if (slot.settings.send.source) {
            source = *slot.settings.send.source;
        } else if (slot.ifindex > 0) {
            auto addrs = netlink_->addresses(slot.ifindex, vi.family);
            if (!addrs || addrs->empty() ||
                (vi.family == Family::inet6 && !addrs->front().address.is_link_local()))
                return unbound(slot,
                               fmt::format("no {} address on {}",
                                           vi.family == Family::inet ? "IPv4" : "link-local IPv6",
                                           slot.ifname));
            source = addrs->front().address;
        } else {
            return unbound(slot, "no interface and no unicast_src_ip");
        }
        if (!open_sockets(slot)) return unbound(slot, "cannot open its VRRP socket");
        if (vi.promote_secondaries && !slot.ifname.empty()) promote_secondaries(slot.ifname);
        // AH sequence numbers start from the wall clock so that a restarted vigild sends
        // numbers its peers have not seen yet.
        const auto seq = static_cast<std::uint32_t>(std::time(nullptr));
        slot.ri = &router_.add(std::make_unique<vrrp::RouterInstance>(slot.settings, slot.ifindex,
                                                                      source, seq == 0 ? 1 : seq));
        slot.unbound_reason.clear();
        const auto now = Clock::now();
        if (!slot.link_up) (void)slot.ri->fsm().set_fault(true, now);
        log_->info("({}) on {} from {}, VRID {}, VRRPv{}, priority {}", vi.name,
                   slot.ifname.empty() ? "any interface" : slot.ifname, source.to_string(),
                   vi.virtual_router_id, slot.settings.fsm.version, vi.priority);
        execute(slot, slot.ri->fsm().start(now));
    }

    // promote_secondaries: removing a VIP that is the primary address of its subnet must not
    // take the other addresses of that subnet with it.
    void promote_secondaries(const std::string& ifname) {
        std::ofstream f("/proc/sys/net/ipv4/conf/" + ifname + "/promote_secondaries");
        if (!(f << "1\n")) log_->warn("cannot set promote_secondaries on {}", ifname);
    }

    void unbound(Slot& slot, std::string reason) {
        if (slot.unbound_reason != reason) log_->warn("({}) FAULT: {}", slot.cfg->name, reason);
        if (slot.unbound_reason.empty()) notifier_.instance_state(*slot.cfg, "FAULT", 0);
        slot.unbound_reason = std::move(reason);
        schedule_rebind();
    }

    // An address can appear without a link event: unbound instances retry every second.
    void schedule_rebind() {
        if (rebind_pending_) return;
        rebind_pending_ = true;
        rebind_timer_.expires_after(std::chrono::seconds(1));
        rebind_timer_.async_wait([this](boost::system::error_code ec) {
            rebind_pending_ = false;
            if (ec) return;
            for (auto& [name, slot] : slots_)
                if (!slot.ri) bind(slot);
        });
    }

    void migrate(Slot& slot, const config::VrrpInstance& vi, vrrp::InstanceSettings s) {
        slot.cfg = &vi;
        slot.settings = s;
        slot.garp.emplace(garp_policy(vi));
        if (!slot.ri) return bind(slot);
        slot.ri->reconfigure(std::move(s));
        (void)open_sockets(slot);
        if (slot.vips_installed) sync_installed(slot);
        arm(slot);
    }

    void stop_slot(Slot& slot, bool release) {
        slot.timer->cancel();
        slot.garp_timer->cancel();
        if (!slot.ri) return;
        auto actions = slot.ri->fsm().stop(Clock::now());
        if (!release)
            std::erase_if(actions, [](const vrrp::Action& a) {
                return std::holds_alternative<vrrp::RemoveVips>(a);
            });
        execute(slot, std::move(actions));
    }

    // lvs_sync_daemon follows its instance (the default syncid is the instance's VRID).
    void configure_sync_daemon() {
        const auto& cfg = model_->globals.defs.lvs_sync_daemon;
        std::optional<std::uint8_t> vrid;
        std::optional<vrrp::State> state;
        if (cfg && !cfg->instance.empty()) {
            for (const auto& vi : model_->vrrp.instances)
                if (vi.name == cfg->instance) vrid = vi.virtual_router_id;
            if (auto it = slots_.find(cfg->instance); it != slots_.end() && it->second.ri)
                state = it->second.ri->fsm().state();
        }
        sync_daemon_.configure(cfg, vrid);
        sync_daemon_.update(state);
    }

    // ---- actions ----

    void execute(Slot& slot, vrrp::Actions actions) {
        bool entering_master = false;
        for (const auto& a : actions)
            if (const auto* c = std::get_if<vrrp::StateChange>(&a))
                entering_master = entering_master || c->to == vrrp::State::master;
        const auto now = Clock::now();
        for (auto& a : actions) {
            std::visit(
                [&](auto& act) {
                    using T = std::decay_t<decltype(act)>;
                    if constexpr (std::is_same_v<T, vrrp::SendAdvert>) {
                        send_adverts(slot, act.priority);
                    } else if constexpr (std::is_same_v<T, vrrp::AddVips>) {
                        install(slot);
                    } else if constexpr (std::is_same_v<T, vrrp::RemoveVips>) {
                        uninstall(slot);
                    } else if constexpr (std::is_same_v<T, vrrp::SendGratuitous>) {
                        const auto rounds = entering_master
                                                ? slot.garp->on_master(now)
                                                : slot.garp->on_lower_priority_advert(now);
                        announce(slot, rounds);
                    } else if constexpr (std::is_same_v<T, vrrp::StateChange>) {
                        state_changed(slot, act);
                    }
                },
                a);
        }
        arm(slot);
    }

    void state_changed(Slot& slot, const vrrp::StateChange& c) {
        const auto& name = slot.cfg->name;
        if (c.to == vrrp::State::init)
            log_->info("({}) Stopped ({})", name, c.reason);
        else
            log_->info("({}) Entering {} STATE ({})", name, vrrp::to_string(c.to), c.reason);
        if (c.from == vrrp::State::master) slot.garp->on_leave_master();
        if (!stopping_ && name == sync_daemon_.instance()) sync_daemon_.update(c.to);
        notifier_.instance_state(*slot.cfg, notify_word(c.to), slot.settings.fsm.priority);
    }

    void send_adverts(Slot& slot, std::uint8_t priority) {
        for (const auto& o : slot.ri->build_adverts(priority)) {
            const std::uint8_t proto =
                o.family == Family::inet && slot.settings.send.auth_type == vrrp::AuthType::ah
                    ? vrrp::ip_protocol_ah
                    : vrrp::ip_protocol;
            auto it = sockets_.find({slot.ifindex, o.family, proto});
            if (it == sockets_.end()) continue;
            if (auto s = it->second->socket.send(o.bytes, o.source, o.destination,
                                                 slot.settings.send.ttl);
                !s) {
                ++send_errors_;
                log_->warn("({}) {}", slot.cfg->name, s.error());
            }
        }
    }

    void arm(Slot& slot) {
        if (!slot.ri) return;
        const auto deadline = slot.ri->fsm().next_deadline();
        if (!deadline) {
            slot.timer->cancel();
        } else {
            slot.timer->expires_at(*deadline);
            slot.timer->async_wait([this, name = slot.cfg->name](boost::system::error_code ec) {
                if (ec) return;
                auto it = slots_.find(name);
                if (it == slots_.end() || !it->second.ri) return;
                execute(it->second, it->second.ri->fsm().on_timer(Clock::now()));
            });
        }
        const auto garp_deadline = slot.garp->next_deadline();
        if (!garp_deadline) {
            slot.garp_timer->cancel();
            return;
        }
        slot.garp_timer->expires_at(*garp_deadline);
        slot.garp_timer->async_wait([this, name = slot.cfg->name](boost::system::error_code ec) {
            if (ec) return;
            auto it = slots_.find(name);
            if (it == slots_.end()) return;
            announce(it->second, it->second.garp->on_timer(Clock::now()));
            arm(it->second);
        });
    }

    // ---- addresses, routes, rules ----

    int ifindex_of(const std::string& dev, const Slot& slot) {
        if (dev.empty() || dev == slot.ifname) return slot.ifindex;
        auto link = netlink_->link(dev);
        return link ? link->ifindex : 0;
    }

    void add_address(const Slot& slot, const config::AddressSpec& a) {
        const int ifindex = ifindex_of(a.dev, slot);
        if (ifindex == 0) {
            log_->error("({}) cannot add {}: no interface {}", slot.cfg->name,
                        a.address.to_string(), a.dev.empty() ? slot.ifname : a.dev);
            return;
        }
        if (auto s = netlink_->add_address(ifindex, a); !s)
            log_->error("({}) {}", slot.cfg->name, s.error());
    }

    void remove_address(const Slot& slot, const config::AddressSpec& a) {
        const int ifindex = ifindex_of(a.dev, slot);
        if (ifindex == 0) return;
        if (auto s = netlink_->remove_address(ifindex, a); !s)
            log_->error("({}) {}", slot.cfg->name, s.error());
    }

    void install(Slot& slot) {
        const auto& vi = *slot.cfg;
        slot.installed_addresses = vi.virtual_ipaddresses;
        slot.installed_addresses.insert(slot.installed_addresses.end(),
                                        vi.virtual_ipaddresses_excluded.begin(),
                                        vi.virtual_ipaddresses_excluded.end());
        for (const auto& a : slot.installed_addresses) add_address(slot, a);
        slot.installed_routes = vi.virtual_routes;
        for (const auto& r : slot.installed_routes)
            if (auto s = netlink_->add_route(r, slot.ifindex); !s)
                log_->error("({}) {}", vi.name, s.error());
        slot.installed_rules = vi.virtual_rules;
        for (const auto& r : slot.installed_rules)
            if (auto s = netlink_->add_rule(r); !s) log_->error("({}) {}", vi.name, s.error());
        slot.vips_installed = true;
        log_->info("({}) setting VIPs", vi.name);
    }

    void uninstall(Slot& slot) {
        for (const auto& r : slot.installed_rules)
            if (auto s = netlink_->remove_rule(r); !s)
                log_->error("({}) {}", slot.cfg->name, s.error());
        for (const auto& r : slot.installed_routes)
            if (auto s = netlink_->remove_route(r, slot.ifindex); !s)
                log_->error("({}) {}", slot.cfg->name, s.error());
        for (const auto& a : slot.installed_addresses) remove_address(slot, a);
        slot.installed_addresses.clear();
        slot.installed_routes.clear();
        slot.installed_rules.clear();
        slot.vips_installed = false;
        log_->info("({}) removing VIPs", slot.cfg->name);
    }

    // A reload while master: only the addresses that changed move.
    void sync_installed(Slot& slot) {
        const auto& vi = *slot.cfg;
        std::vector<config::AddressSpec> wanted = vi.virtual_ipaddresses;
        wanted.insert(wanted.end(), vi.virtual_ipaddresses_excluded.begin(),
                      vi.virtual_ipaddresses_excluded.end());
        const auto contains = [](const std::vector<config::AddressSpec>& v,
                                 const config::AddressSpec& a) {
            return std::any_of(v.begin(), v.end(),
                               [&](const auto& b) { return config::same_line(a, b); });
        };
        for (const auto& a : slot.installed_addresses)
            if (!contains(wanted, a)) remove_address(slot, a);
        for (const auto& a : wanted)
            if (!contains(slot.installed_addresses, a)) add_address(slot, a);
        slot.installed_addresses = wanted;
        // Routes and rules: only those whose line changed (not just moved) are replaced.
        replace_changed(
            slot.installed_routes, vi.virtual_routes,
            [&](const config::RouteSpec& r) { return netlink_->remove_route(r, slot.ifindex); },
            [&](const config::RouteSpec& r) { return netlink_->add_route(r, slot.ifindex); });
        replace_changed(
            slot.installed_rules, vi.virtual_rules,
            [&](const config::RuleSpec& r) { return netlink_->remove_rule(r); },
            [&](const config::RuleSpec& r) { return netlink_->add_rule(r); });
    }

    template <class Spec, class Remove, class Add>
    void replace_changed(std::vector<Spec>& installed, const std::vector<Spec>& wanted,
                         Remove remove, Add add) {
        const auto contains = [](const std::vector<Spec>& v, const Spec& x) {
            return std::any_of(v.begin(), v.end(),
                               [&](const Spec& y) { return config::same_line(x, y); });
        };
        for (const auto& x : installed)
            if (!contains(wanted, x))
                if (auto s = remove(x); !s) log_->error("{}", s.error());
        for (const auto& x : wanted)
            if (!contains(installed, x))
                if (auto s = add(x); !s) log_->error("{}", s.error());
        installed = wanted;
    }

    void remove_stale_addresses(const Slot& slot) {
        if (slot.ifname.empty()) return;
        auto link = netlink_->link(slot.ifname);
        if (!link) return;
        Slot probe;
        probe.cfg = slot.cfg;
        probe.ifname = slot.ifname;
        probe.ifindex = link->ifindex;
        for (const auto& a : slot.cfg->virtual_ipaddresses) remove_address(probe, a);
        for (const auto& a : slot.cfg->virtual_ipaddresses_excluded) remove_address(probe, a);
    }

    // static_ipaddress / static_routes / static_rules: set at start; on reload only the
    // lines that changed move.
    void install_statics() {
        const auto& g = model_->globals;
        replace_changed(
            statics_.addresses, g.static_addresses,
            [&](const config::AddressSpec& a) { return remove_static_address(a); },
            [&](const config::AddressSpec& a) { return add_static_address(a); });
        replace_changed(
            statics_.routes, g.static_routes,
            [&](const config::RouteSpec& r) { return netlink_->remove_route(r, 0); },
            [&](const config::RouteSpec& r) { return netlink_->add_route(r, 0); });
        replace_changed(
            statics_.rules, g.static_rules,
            [&](const config::RuleSpec& r) { return netlink_->remove_rule(r); },
            [&](const config::RuleSpec& r) { return netlink_->add_rule(r); });
    }

    void remove_statics() {
        for (const auto& r : statics_.rules) (void)netlink_->remove_rule(r);
        for (const auto& r : statics_.routes) (void)netlink_->remove_route(r, 0);
        for (const auto& a : statics_.addresses) (void)remove_static_address(a);
        statics_ = {};
    }

    Status add_static_address(const config::AddressSpec& a) {
        auto link = netlink_->link(a.dev);
        if (!link)
            return Error{
                fmt::format("static_ipaddress {}: {}", a.address.to_string(), link.error())};
        return netlink_->add_address(link->ifindex, a);
    }

    Status remove_static_address(const config::AddressSpec& a) {
        auto link = netlink_->link(a.dev);
        if (!link) return Ok{};
        return netlink_->remove_address(link->ifindex, a);
    }

    // ---- gratuitous ARP / NA ----

    void announce(Slot& slot, std::uint32_t rounds) {
        if (rounds == 0 || !slot.vips_installed) return;
        std::vector<GratuitousTarget> targets;
        std::map<int, std::optional<net::Link>> links;
        for (const auto& a : slot.installed_addresses) {
            const int ifindex = ifindex_of(a.dev, slot);
            if (ifindex == 0) continue;
            auto& link = links[ifindex];
            if (!link) {
                auto l = netlink_->link(ifindex);
                if (!l || !l->has_mac) continue;
                link = l.value();
            }
            GratuitousTarget t{ifindex, link->name, link->mac, a.address.address, false};
            if (t.vip.is_v6()) t.router = ipv6_forwarding(link->name);
            targets.push_back(t);
        }
        announcer_.send(targets, rounds);
    }

    // ---- sockets ----

    bool open_sockets(Slot& slot) {
        const auto& s = slot.settings;
        std::vector<std::uint8_t> protocols{vrrp::ip_protocol};
        if (s.identity.family == Family::inet && s.send.auth_type == vrrp::AuthType::ah)
            protocols = {vrrp::ip_protocol_ah};
        for (const auto proto : protocols) {
            const SocketKey key{slot.ifindex, s.identity.family, proto};
            auto it = sockets_.find(key);
            if (it == sockets_.end()) {
                auto sock = net::VrrpSocket::open(key.family, proto, slot.ifname, slot.ifindex);
                if (!sock) {
                    log_->error("({}) {}", slot.cfg->name, sock.error());
                    return false;
                }
                const int fd = sock->fd();
                auto entry = std::make_unique<SocketEntry>(
                    SocketEntry{std::move(sock.value()), asio::posix::stream_descriptor(ioc_), {}});
                entry->watch.assign(::dup(fd));
                it = sockets_.emplace(key, std::move(entry)).first;
                watch(key);
            }
            if (s.send.unicast_peers.empty() &&
                it->second->groups.insert(s.send.multicast_group).second)
                if (auto j = it->second->socket.join(s.send.multicast_group); !j)
                    log_->error("({}) {}", slot.cfg->name, j.error());
        }
        return true;
    }

    void watch(const SocketKey& key) {
        auto it = sockets_.find(key);
        if (it == sockets_.end()) return;
        it->second->watch.async_wait(asio::posix::stream_descriptor::wait_read,
                                     [this, key](boost::system::error_code ec) {
                                         if (ec) return;
                                         drain(key);
                                         watch(key);
                                     });
    }

    void drain(const SocketKey& key) {
        auto it = sockets_.find(key);
        if (it == sockets_.end()) return;
        auto& sock = it->second->socket;
        // Bounded per wake-up so that one flooded socket cannot starve the timers.
        for (int i = 0; i < 64; ++i) {
            auto r = sock.receive(rx_buffer_);
            if (!r) {
                log_->warn("{}", r.error());
                return;
            }
            if (!r.value()) return;
            const auto& d = *r.value();
            const vrrp::RxMeta meta{d.source, d.destination, d.hop_limit};
            auto delivery = router_.receive(d.ifindex, key.family, d.data, meta, Clock::now());
            if (!delivery) continue;
            auto slot = slots_.find(delivery->instance->name());
            if (slot != slots_.end()) execute(slot->second, std::move(delivery->actions));
        }
    }

    // ---- links ----

    void open_link_monitor() {
        auto m = net::LinkMonitor::open();
        if (!m) {
            log_->error("link monitor: {}; interface state changes will not be seen", m.error());
            return;
        }
        monitor_.emplace(std::move(m.value()));
        monitor_watch_.emplace(ioc_);
        monitor_watch_->assign(::dup(monitor_->fd()));
        watch_links();
    }

    void watch_links() {
        monitor_watch_->async_wait(asio::posix::stream_descriptor::wait_read,
                                   [this](boost::system::error_code ec) {
                                       if (ec) return;
                                       for (const auto& ev : monitor_->drain()) on_link(ev);
                                       // Events were lost: read the links we care about.
                                       if (monitor_->take_overrun()) resync_links();
                                       watch_links();
                                   });
    }

    void resync_links() {
        std::set<std::string> names;
        for (const auto& [name, slot] : slots_)
            if (!slot.ifname.empty()) names.insert(slot.ifname);
        for (const auto& ifname : names) {
            net::LinkEvent ev;
            auto link = netlink_->link(ifname);
            if (link)
                ev.link = link.value();
            else
                ev = {net::Link{0, ifname}, true};
            on_link(ev);
        }
    }

    void on_link(const net::LinkEvent& ev) {
        const auto now = Clock::now();
        for (auto& [name, slot] : slots_) {
            if (slot.ifname.empty() || slot.ifname != ev.link.name) continue;
            if (!slot.ri) {
                if (!ev.removed) bind(slot);
                continue;
            }
            if (ev.removed || ev.link.ifindex != slot.ifindex) {
                // The interface went away (or was replaced): the instance needs rebinding.
                execute(slot, slot.ri->fsm().stop(now));
                router_.remove(name);
                slot.ri = nullptr;
                unbound(slot, fmt::format("interface {} removed", slot.ifname));
                if (!ev.removed) bind(slot);
                continue;
            }
            const bool up = ev.link.oper_up;
            if (up == slot.link_up) continue;
            slot.link_up = up;
            log_->info("({}) interface {} is {}", name, slot.ifname, up ? "up" : "down");
            execute(slot, slot.ri->fsm().set_fault(!up, now));
        }
    }

    asio::io_context& ioc_;
    core::Logger log_;
    const core::RuntimeOptions& opts_;
    std::unique_ptr<net::Netlink> netlink_;
    Notifier notifier_;
    Announcer announcer_;
    SyncDaemonControl sync_daemon_;
    std::shared_ptr<const config::Model> model_;
    vrrp::Router router_;
    std::map<std::string, Slot> slots_;
    std::map<SocketKey, std::unique_ptr<SocketEntry>> sockets_;
    std::optional<net::LinkMonitor> monitor_;
    std::optional<asio::posix::stream_descriptor> monitor_watch_;
    asio::steady_timer rebind_timer_;
    bool rebind_pending_ = false;
    bool stopping_ = false;
    std::array<std::byte, 65536> rx_buffer_{};
    std::uint64_t send_errors_ = 0;
    struct Installed {
        std::vector<config::AddressSpec> addresses;
        std::vector<config::RouteSpec> routes;
        std::vector<config::RuleSpec> rules;
    } statics_;
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
