#include "vrrpd/engine.h"

#include <algorithm>

#include "vrrp/ah.h"

namespace vigil::vrrpd {

namespace {

// Instances that cannot bind (interface or address missing) try again this often, besides
// trying at every kernel event that may have fixed it.
constexpr vrrp::Micros rebind_retry{std::chrono::seconds(1)};

std::uint8_t protocol_of(const vrrp::InstanceSettings& s) {
    return s.identity.family == Family::inet && s.send.auth_type == vrrp::AuthType::ah
               ? vrrp::ip_protocol_ah
               : vrrp::ip_protocol;
}

}  // namespace

Engine::Engine(EngineDeps d)
    : netlink_(d.netlink),
      transport_(d.transport),
      host_(d.host),
      observer_(d.observer),
      tracking_(d.tracking),
      log_(d.log),
      release_on_stop_(d.release_on_stop),
      keeper_(d.netlink, d.log),
      sockets_(d.transport, d.log),
      announcer_(d.frames, d.log),
      rejects_(d.log),
      trackers_(d.log) {}

// ---- configuration ----

void Engine::start(const config::Model& m, Time now) {
    if (const auto delay = m.globals.defs.vrrp_startup_delay; delay > vrrp::Micros{0}) {
        log_->info("VRRP: delaying start-up for {:.3f} s (vrrp_startup_delay)",
                   std::chrono::duration<double>(delay).count());
        not_master_before_ = now + delay;
    }
    start_tracking(m, true, now);
    apply(m, now);
    run_scripts(now);  // their first run, at once
    log_->info("VRRP: {} instance(s) started", slots_.size());
}

void Engine::reload(const config::Model& m, Time now) {
    start_tracking(m, false, now);
    apply(m, now);
    run_scripts(now);  // new ones only: the others keep their cadence
}

void Engine::run_scripts(Time now) {
    for (const auto& name : trackers_.due_scripts(now))
        tracking_.run_script(name, *trackers_.script_spec(name), trackers_.script_timeout(name));
}

void Engine::start_tracking(const config::Model& m, bool start, Time now) {
    trackers_.configure(m, now);
    // The interfaces' states now (a tracked interface that is missing is down).
    for (const auto& name : trackers_.interfaces()) {
        auto link = netlink_.link(name);
        (void)trackers_.on_link(name, link && link->admin_up && link->oper_up, !link, now);
    }
    tracking_.watch_files(trackers_.files(), start);
    tracking_.watch_processes(trackers_.processes());
    tracking_.watch_linkbeat(trackers_.linkbeat());
}

void Engine::apply(const config::Model& m, Time now) {
    globals_ = m.globals.defs;
    announcer_.configure(m);
    keeper_.set_statics(m.globals.static_addresses, m.globals.static_routes,
                        m.globals.static_rules);
    vips_.clear();
    for (const auto& vi : m.vrrp.instances)
        for (const auto& a : wanted_of(vi).addresses) vips_.insert(a.address.address);

    std::set<std::string> kept;
    for (const auto& vi : m.vrrp.instances) {
        auto it = slots_.find(vi.name);
        if (it == slots_.end()) continue;
        auto settings = vrrp::make_settings(vi, globals_);
        if (it->second.ri->settings().identity != settings.identity) continue;
        migrate(it->second, vi, std::move(settings), now);
        kept.insert(vi.name);
    }
    std::vector<std::string> gone;
    for (const auto& [name, slot] : slots_)
        if (!kept.contains(name)) gone.push_back(name);
    for (const auto& name : gone) {
        log_->info("({}) removed by reload", name);
        remove_slot(name, now);
    }
    for (const auto& vi : m.vrrp.instances)
        if (!slots_.contains(vi.name)) add_slot(vi, m, now);
}

void Engine::add_slot(const config::VrrpInstance& vi, const config::Model& m, Time now) {
    auto settings = vrrp::make_settings(vi, m.globals.defs);
    Slot& slot = slots_[vi.name];
    slot.cfg = vi;
    slot.ri =
        &router_.add(std::make_unique<vrrp::RouterInstance>(std::move(settings), std::nullopt));
    // Left over from a crash or another daemon: a backup must not hold the VIPs.
    if (!vi.interface.empty())
        if (auto link = netlink_.link(vi.interface))
            keeper_.remove_stale(vi.name, Home{link->ifindex, vi.interface}, wanted_of(vi));
    // Its trackers' verdict first: it starts at its effective priority, or in FAULT.
    execute(slot, track(slot, now), now);
    bind(slot, now);
    execute(slot, slot.ri->start(now, not_master_before_), now);
}

void Engine::remove_slot(const std::string& name, Time now) {
    Slot& slot = slots_.at(name);
    execute(slot, slot.ri->stop(now, true), now);
    announcer_.cancel(name);
    detach(slot);
    if (slot.scheduled) timers_.erase({*slot.scheduled, &slot});
    router_.remove(name);
    slots_.erase(name);
}

void Engine::migrate(Slot& slot, const config::VrrpInstance& vi, vrrp::InstanceSettings s,
                     Time now) {
    slot.cfg = vi;
    slot.ri->reconfigure(std::move(s), trackers_.evaluate(vi.name, vi.priority).priority, now);
    execute(slot, track(slot, now), now);
    // The source address, the multicast group or the socket may have changed with it.
    if (slot.socket) check_binding(slot, now);
    if (slot.held.installed) keeper_.sync(vi.name, slot.home, wanted_of(vi), slot.held);
    reschedule(slot);
}

void Engine::stop(Time now) {
    for (auto& [name, slot] : slots_) {
        execute(slot, slot.ri->stop(now, release_on_stop_), now);
        announcer_.cancel(name);
        detach(slot);
    }
    if (release_on_stop_) keeper_.remove_statics();
    timers_.clear();
    for (auto& [name, slot] : slots_) slot.scheduled.reset();
    rebind_at_.reset();
}

// ---- binding ----

std::variant<Engine::Place, std::string> Engine::locate(const Slot& slot) {
    const auto& vi = slot.cfg;
    const auto& s = slot.ri->settings();
    Place p;
    if (!vi.interface.empty()) {
        auto link = netlink_.link(vi.interface);
        if (!link) return fmt::format("interface {} not found", vi.interface);
        p.home = {link->ifindex, vi.interface};
    }
    if (s.send.source) {
        p.binding = vrrp::Binding{p.home.ifindex, *s.send.source};
        return p;
    }
    if (p.home.ifindex == 0) return std::string("no interface and no unicast_src_ip");
    auto addrs = netlink_.addresses(p.home.ifindex, vi.family);
    if (!addrs) return addrs.error();
    const auto source = choose_source(vi.family, addrs.value(), vips_);
    if (!source)
        return fmt::format("no usable {} address on {}",
                           vi.family == Family::inet ? "IPv4" : "link-local IPv6", vi.interface);
    p.binding = vrrp::Binding{p.home.ifindex, *source};
    return p;
}

Status Engine::attach(Slot& slot, const Place& p) {
    const auto& s = slot.ri->settings();
    const SocketKey key{p.home.ifindex, s.identity.family, protocol_of(s)};
    std::optional<IpAddress> group;
    if (s.send.unicast_peers.empty()) group = s.send.multicast_group;
    // The new socket first: when it is the same one, its reference never drops to zero.
    if (auto st = sockets_.acquire(key, p.home.ifname, group); !st) return st;
    if (slot.socket) sockets_.release(*slot.socket);
    slot.socket = key;
    slot.home = p.home;
    router_.bind(*slot.ri, p.binding);
    return Ok{};
}

void Engine::detach(Slot& slot) {
    if (slot.socket) sockets_.release(*slot.socket);
    slot.socket.reset();
    router_.bind(*slot.ri, std::nullopt);
}

void Engine::bind(Slot& slot, Time now) {
    auto located = locate(slot);
    if (auto* why = std::get_if<std::string>(&located)) return unbind(slot, *why, now);
    const auto& p = std::get<Place>(located);
    if (auto s = attach(slot, p); !s) {
        log_->error("({}) {}", slot.cfg.name, s.error());
        return unbind(slot, "cannot open its VRRP socket", now);
    }
    if (slot.cfg.promote_secondaries && !p.home.ifname.empty())
        if (auto s = host_.set_promote_secondaries(p.home.ifname); !s)
            log_->warn("({}) {}", slot.cfg.name, s.error());
    slot.unbound_reason.clear();
    const auto& s = slot.ri->settings();
    log_->info("({}) on {} from {}, VRID {}, VRRPv{}, priority {}", slot.cfg.name,
               p.home.ifname.empty() ? "any interface" : p.home.ifname,
               p.binding.source.to_string(), s.identity.vrid, s.fsm.version, s.fsm.priority);
    // The link's and the trackers' state first, so that clearing the binding fault of an
    // instance whose link is down does not pass through BACKUP.
    auto effects = track(slot, now);
    auto more = slot.ri->set_fault(vrrp::FaultSource::unbound, false, now);
    effects.insert(effects.end(), more.begin(), more.end());
    execute(slot, std::move(effects), now);
}

void Engine::unbind(Slot& slot, std::string reason, Time now) {
    if (slot.unbound_reason != reason) log_->warn("({}) cannot run: {}", slot.cfg.name, reason);
    slot.unbound_reason = std::move(reason);
    // The fault first: a master says goodbye (priority 0) while its socket is still there.
    execute(slot, slot.ri->set_fault(vrrp::FaultSource::unbound, true, now), now);
    detach(slot);
    schedule_rebind(now);
}

// The source address, the group or the interface may have changed (a reload, an address
// deleted, a send that failed): move to where the instance belongs now, or go to FAULT.
void Engine::check_binding(Slot& slot, Time now) {
    auto located = locate(slot);
    if (auto* why = std::get_if<std::string>(&located)) return unbind(slot, *why, now);
    const auto& p = std::get<Place>(located);
    const auto& b = slot.ri->binding();
    if (!b || b->source != p.binding.source)
        log_->info("({}) now sends from {}", slot.cfg.name, p.binding.source.to_string());
    // Even at the same place: a reload may have brought a new multicast group to join.
    if (auto s = attach(slot, p); !s) {
        log_->error("({}) {}", slot.cfg.name, s.error());
        unbind(slot, "cannot open its VRRP socket", now);
    }
}

void Engine::schedule_rebind(Time now) {
    if (!rebind_at_) rebind_at_ = now + rebind_retry;
}

// ---- effects ----

void Engine::execute(Slot& slot, vrrp::Effects effects, Time now) {
    for (auto& effect : effects) {
        std::visit(
            [&](auto& e) {
                using T = std::decay_t<decltype(e)>;
                if constexpr (std::is_same_v<T, vrrp::StateChange>) {
                    state_changed(slot, e);
                } else if constexpr (std::is_same_v<T, vrrp::SendAdvert>) {
                    send_adverts(slot, e.priority);
                } else if constexpr (std::is_same_v<T, vrrp::AddVips>) {
                    keeper_.install(slot.cfg.name, slot.home, wanted_of(slot.cfg), slot.held);
                } else if constexpr (std::is_same_v<T, vrrp::RemoveVips>) {
                    keeper_.uninstall(slot.cfg.name, slot.held);
                } else if constexpr (std::is_same_v<T, vrrp::Announce>) {
                    announce(slot, e.rounds, now);
                } else if constexpr (std::is_same_v<T, vrrp::LowerPriorityMaster>) {
                    observer_.lower_priority_master(slot.cfg, slot.ri->fsm().config().priority);
                }
            },
            effect);
    }
    reschedule(slot);
    // A master whose adverts cannot leave must not pretend: find out why (a source address
    // gone) and move, or go to FAULT.
    if (slot.send_failed) {
        slot.send_failed = false;
        check_binding(slot, now);
    }
}

void Engine::state_changed(Slot& slot, const vrrp::StateChange& c) {
    const auto& name = slot.cfg.name;
    if (c.to == vrrp::State::init)
        log_->info("({}) Stopped ({})", name, vrrp::describe(c));
    else
        log_->info("({}) Entering {} STATE ({})", name, vrrp::to_string(c.to), vrrp::describe(c));
    if (c.from == vrrp::State::master) announcer_.cancel(name);
    // keepalived hands notify scripts and the FIFO the effective priority.
    observer_.state_changed(slot.cfg, c, slot.ri->fsm().config().priority);
}

void Engine::send_adverts(Slot& slot, std::uint8_t priority) {
    if (!slot.socket || !slot.ri->binding()) return;
    for (const auto& o : slot.ri->build_adverts(priority)) {
        if (auto s = transport_.send(*slot.socket, o.bytes, o.source, o.destination,
                                     slot.ri->settings().send.ttl);
            !s) {
            ++send_errors_;
            log_->warn("({}) {}", slot.cfg.name, s.error());
            slot.send_failed = true;
        }
    }
}

void Engine::announce(Slot& slot, std::uint32_t rounds, Time now) {
    std::vector<GratuitousTarget> targets;
    std::map<int, std::optional<net::Link>> links;
    for (const auto& a : slot.held.addresses) {
        auto& link = links[a.ifindex];
        if (!link) {
            auto l = netlink_.link(a.ifindex);
            if (!l || !l->has_mac) continue;
            link = l.value();
        }
        GratuitousTarget t{a.ifindex, link->name, link->mac, a.spec.address.address, false};
        if (t.vip.is_v6()) t.router = host_.ipv6_forwarding(link->name);
        targets.push_back(std::move(t));
    }
    announcer_.send(slot.cfg.name, targets, rounds, now);
}

// ---- time ----

void Engine::reschedule(Slot& slot) {
    if (slot.scheduled) timers_.erase({*slot.scheduled, &slot});
    slot.scheduled = slot.ri->next_deadline();
    if (slot.scheduled) timers_.insert({*slot.scheduled, &slot});
}

std::optional<Time> Engine::next_deadline() const {
    std::optional<Time> first;
    const auto consider = [&first](std::optional<Time> t) {
        if (t && (!first || *t < *first)) first = t;
    };
    if (!timers_.empty()) consider(timers_.begin()->first);
    consider(announcer_.next_deadline());
    consider(rebind_at_);
    consider(trackers_.next_deadline());
    return first;
}

void Engine::on_timer(Time now) {
    while (!timers_.empty() && timers_.begin()->first <= now) {
        Slot& slot = *timers_.begin()->second;
        timers_.erase(timers_.begin());
        slot.scheduled.reset();
        execute(slot, slot.ri->on_timer(now), now);
    }
    announcer_.on_timer(now);
    run_scripts(now);
    for (const auto& id : trackers_.on_timer(now)) retrack(id, now);
    if (rebind_at_ && *rebind_at_ <= now) {
        rebind_at_.reset();
        for (auto& [name, slot] : slots_)
            if (!slot.unbound_reason.empty()) bind(slot, now);
    }
}

// ---- input ----

Engine::Slot* Engine::slot_of(const vrrp::RouterInstance* ri) {
    if (ri == nullptr) return nullptr;
    auto it = slots_.find(ri->name());
    return it == slots_.end() ? nullptr : &it->second;
}

void Engine::on_datagram(const SocketKey& key, const net::Datagram& d, Time now) {
    const vrrp::RxMeta meta{d.source, d.destination, d.hop_limit, std::nullopt};
    auto rx = router_.receive(d.ifindex, key.family, d.data, meta, now);
    if (auto* r = std::get_if<vrrp::Router::Rejected>(&rx)) {
        rejects_.note(*r, now);
        return;
    }
    auto& delivered = std::get<vrrp::Router::Delivered>(rx);
    if (Slot* slot = slot_of(delivered.instance)) execute(*slot, std::move(delivered.effects), now);
}

void Engine::on_net_event(const net::NetEvent& ev, Time now) {
    std::visit(
        [&](const auto& e) {
            using T = std::decay_t<decltype(e)>;
            if constexpr (std::is_same_v<T, net::LinkEvent>) {
                on_link(e, now);
            } else if constexpr (std::is_same_v<T, net::AddressEvent>) {
                on_address(e, now);
            } else if constexpr (std::is_same_v<T, net::RouteDeleted>) {
                for (auto& [name, slot] : slots_)
                    if (slot.held.installed && keeper_.route_lost(name, slot.home, slot.held, e))
                        execute(slot, slot.ri->on_addresses_lost(now), now);
            } else if constexpr (std::is_same_v<T, net::RuleDeleted>) {
                for (auto& [name, slot] : slots_)
                    if (slot.held.installed && keeper_.rule_lost(name, slot.held, e.family))
                        execute(slot, slot.ri->on_addresses_lost(now), now);
            }
        },
        ev);
}

void Engine::on_link(const net::LinkEvent& ev, Time now) {
    // keepalived: an interface is up when both IFF_UP and IFF_RUNNING are set.
    const bool up = ev.link.admin_up && ev.link.oper_up;
    // A polled interface's state is linkbeat's (on_linkbeat).
    if (!trackers_.polled(ev.link.name) && trackers_.on_link(ev.link.name, up, ev.removed, now))
        retrack({vrrp::TrackerKind::interface, ev.link.name}, now);
    for (auto& [name, slot] : slots_) {
        if (slot.cfg.interface.empty() || slot.cfg.interface != ev.link.name) continue;
        if (!slot.unbound_reason.empty()) {
            if (!ev.removed) bind(slot, now);
            continue;
        }
        if (ev.removed || ev.link.ifindex != slot.home.ifindex) {
            // The interface went away (or was replaced): its sockets go with it.
            unbind(slot, fmt::format("interface {} removed", slot.cfg.interface), now);
            if (!ev.removed) bind(slot, now);
        }
    }
}

vrrp::Effects Engine::track(Slot& slot, Time now) {
    const auto& vi = slot.cfg;
    const auto t = trackers_.evaluate(vi.name, vi.priority);
    const bool own_down =
        trackers_.tracks_own_interface(vi.name) && !trackers_.interface_up(vi.interface);
    if (own_down != slot.ri->fsm().has_fault(vrrp::FaultSource::link_down))
        log_->info("({}) interface {} is {}", vi.name, vi.interface, own_down ? "down" : "up");
    vrrp::Effects out = slot.ri->set_fault(vrrp::FaultSource::link_down, own_down, now);
    if (t.fault != slot.tracking_fault) {
        if (t.fault)
            log_->warn("({}) tracked {} {} failed: FAULT", vi.name, to_string(t.fault_by->kind),
                       t.fault_by->name);
        else
            log_->info("({}) its tracked objects are all up again", vi.name);
        slot.tracking_fault = t.fault;
    }
    auto more = slot.ri->set_fault(vrrp::FaultSource::tracking, t.fault, now);
    out.insert(out.end(), more.begin(), more.end());
    const auto before = slot.ri->fsm().config().priority;
    if (t.priority != before) {
        log_->info("({}) Changing effective priority from {} to {}", vi.name, before, t.priority);
        more = slot.ri->set_priority(t.priority, now);
        out.insert(out.end(), more.begin(), more.end());
        if (vi.notify_priority_changes)
            observer_.priority_changed(vi, slot.ri->fsm().state(), t.priority);
    }
    return out;
}

void Engine::retrack(const vrrp::TrackerId& id, Time now) {
    for (const auto& name : trackers_.tracking(id))
        if (auto it = slots_.find(name); it != slots_.end())
            execute(it->second, track(it->second, now), now);
}

void Engine::on_script_result(const std::string& name, ScriptResult r, Time now) {
    if (trackers_.on_script_result(name, r)) retrack({vrrp::TrackerKind::script, name}, now);
}

void Engine::on_file_content(const std::string& name, const std::optional<std::string>& content,
                             Time now) {
    if (trackers_.on_file_content(name, content)) retrack({vrrp::TrackerKind::file, name}, now);
}

void Engine::on_linkbeat(const std::string& ifname, bool up, Time now) {
    if (trackers_.polled(ifname) && trackers_.on_link(ifname, up, false, now))
        retrack({vrrp::TrackerKind::interface, ifname}, now);
}

void Engine::on_process_count(const std::string& name, std::uint32_t count,
                              vrrp::ProcessQuorum::Cause cause, Time now) {
    if (trackers_.on_process_count(name, count, cause, now))
        retrack({vrrp::TrackerKind::process, name}, now);
}

void Engine::on_address(const net::AddressEvent& ev, Time now) {
    const IpAddress& address = ev.address.prefix.address;
    for (auto& [name, slot] : slots_) {
        if (ev.removed) {
            // A VIP (not no_track) deleted behind our back: keepalived gives up mastership
            // (priority 0) and takes it back after Skew_Time, adding everything again.
            if (slot.held.installed && keeper_.address_lost(slot.held, ev.ifindex, address)) {
                log_->warn("({}) {} was deleted from its interface", name, address.to_string());
                execute(slot, slot.ri->on_addresses_lost(now), now);
            }
            const auto& b = slot.ri->binding();
            if (b && b->source == address) check_binding(slot, now);
        } else if (!ev.address.tentative && !slot.unbound_reason.empty()) {
            // An address that may be the one it was waiting for.
            if (slot.home.ifindex == 0 || slot.home.ifindex == ev.ifindex ||
                slot.cfg.interface.empty())
                bind(slot, now);
        }
    }
}

void Engine::resync(Time now) {
    for (auto& [name, slot] : slots_) {
        if (!slot.unbound_reason.empty()) {
            bind(slot, now);
            continue;
        }
        if (!slot.cfg.interface.empty()) {
            auto link = netlink_.link(slot.cfg.interface);
            net::LinkEvent ev;
            if (link)
                ev.link = link.value();
            else
                ev = {net::Link{0, slot.cfg.interface}, true};
            on_link(ev, now);
        }
        if (slot.unbound_reason.empty()) check_binding(slot, now);
        // The VIPs a master holds: one deleted while the events were lost is lost as well.
        if (slot.held.installed) {
            bool lost = false;
            std::map<std::pair<int, Family>, std::vector<net::InterfaceAddress>> present;
            for (const auto& a : slot.held.addresses) {
                if (a.spec.no_track) continue;
                const auto fam = a.spec.address.address.family();
                auto it = present.find({a.ifindex, fam});
                if (it == present.end()) {
                    auto listed = netlink_.addresses(a.ifindex, fam);
                    it =
                        present
                            .emplace(std::pair{a.ifindex, fam},
                                     listed ? listed.value() : std::vector<net::InterfaceAddress>{})
                            .first;
                }
                lost = lost || std::none_of(it->second.begin(), it->second.end(),
                                            [&](const net::InterfaceAddress& x) {
                                                return x.prefix.address == a.spec.address.address;
                                            });
            }
            if (lost) execute(slot, slot.ri->on_addresses_lost(now), now);
        }
    }
}

// ---- status ----

std::optional<vrrp::State> Engine::state_of(const std::string& name) const {
    auto it = slots_.find(name);
    if (it == slots_.end()) return std::nullopt;
    return it->second.ri->fsm().state();
}

std::string Engine::stats_text() const {
    const auto faults = unbound_reasons();
    return vrrpd::stats_text(router_, faults, tracked_text()) + trackers_.stats_text();
}

std::string Engine::state_text() const {
    const auto faults = unbound_reasons();
    return vrrpd::state_text(router_, faults, tracked_text()) + trackers_.stats_text();
}

std::map<std::string, std::string> Engine::unbound_reasons() const {
    std::map<std::string, std::string> out;
    for (const auto& [name, slot] : slots_)
        if (!slot.unbound_reason.empty()) out[name] = slot.unbound_reason;
    return out;
}

TrackedText Engine::tracked_text() const {
    return [this](const std::string& name, std::uint8_t base) {
        return trackers_.instance_text(name, base);
    };
}

std::string Engine::status_json() const {
    const auto faults = unbound_reasons();
    return vrrpd::status_json(router_, faults,
                              {announcer_.sent(), announcer_.failed(), announcer_.dropped(),
                               send_errors_, sockets_.open_sockets()},
                              trackers_.status_json(),
                              [this](const std::string& name, std::uint8_t base) {
                                  return trackers_.instance_json(name, base);
                              });
}

}  // namespace vigil::vrrpd
