// Resolving the VRRP area once the whole configuration has been read: defaults that depend
// on other settings, cross-references (tracked objects, sync group members) and the
// checks keepalived 2.2.7 makes on a complete vrrp_instance.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <set>
#include <tuple>
#include <unordered_map>

#include "config/areas.h"

namespace vigil::config {

using namespace std::chrono_literals;

namespace {

std::string family_name(Family f) {
    return f == Family::inet ? "IPv4" : "IPv6";
}

std::string where(const SourceLoc& l) {
    return fmt::format("line {}", l.line);
}

// Reports the second and later objects sharing a name.
template <class T>
void check_unique_names(const std::vector<T>& objs, std::string_view kind, Diagnostics& d) {
    std::map<std::string, SourceLoc, std::less<>> seen;
    for (const auto& o : objs) {
        const auto [it, fresh] = seen.emplace(o.name, o.loc);
        if (!fresh)
            d.error(o.loc, fmt::format("{} '{}' is already defined (at {})", kind, o.name,
                                       where(it->second)));
    }
}

void resolve_scripts(VrrpAreaModel& v, Diagnostics& d) {
    check_unique_names(v.scripts, "vrrp_script", d);
    // keepalived 2.2.7 removes a vrrp_script without a script, and then ignores the
    // track_script lines that name it (measured: Debian's conditional_conf sample).
    std::erase_if(v.scripts, [&d](const VrrpScript& s) {
        if (s.script) return false;
        d.warning(s.loc, fmt::format("vrrp_script '{}' has no script; removed, as keepalived does",
                                     s.name));
        return true;
    });
    check_unique_names(v.track_files, "track_file", d);
    for (const auto& f : v.track_files)
        if (f.file.empty()) d.error(f.loc, fmt::format("track_file '{}' has no file", f.name));
    check_unique_names(v.track_processes, "vrrp_track_process", d);
    for (auto& p : v.track_processes) {
        if (p.process.empty())
            d.error(p.loc, fmt::format("vrrp_track_process '{}' has no process", p.name));
        if (p.quorum_max && *p.quorum_max < p.quorum) {
            if (!p.quorum_configured) {
                // "quorum_max 0": the process must not run at all (keepalived.conf(5)).
                p.quorum = *p.quorum_max;
            } else {
                d.warning(p.loc, fmt::format("vrrp_track_process '{}': quorum_max {} is less "
                                             "than quorum {}; quorum_max ignored",
                                             p.name, *p.quorum_max, p.quorum));
                p.quorum_max.reset();
            }
        }
        // Parameters given without param_match must match exactly.
        if (p.process.size() > 1 && p.param_match == ParamMatch::none)
            p.param_match = ParamMatch::exact;
    }
}

// The weight a tracking line ends up with: its own, else the tracked object's default.
// Tracked objects by name, indexed once: lookups stay cheap with tens of thousands of
// instances (keepalived.conf(5)'s ~SEQ example makes 65,024).
class Tracked {
  public:
    explicit Tracked(const VrrpAreaModel& v)
        : scripts_(index(v.scripts)),
          files_(index(v.track_files)),
          processes_(index(v.track_processes)) {}

    const VrrpScript* script(std::string_view n) const { return find(scripts_, n); }
    const TrackFile* file(std::string_view n) const { return find(files_, n); }
    const TrackProcess* process(std::string_view n) const { return find(processes_, n); }

    std::int32_t script_weight(const TrackedRef& r) const {
        if (r.weight) return *r.weight;
        const auto* s = script(r.name);
        return s ? s->weight : 0;
    }
    std::int32_t file_weight(const TrackedRef& r) const {
        if (r.weight) return *r.weight;
        const auto* f = file(r.name);
        return f ? f->weight : 1;
    }
    std::int32_t process_weight(const TrackedRef& r) const {
        if (r.weight) return *r.weight;
        const auto* p = process(r.name);
        return p ? p->weight : 1;
    }

  private:
    template <class T>
    using Index = std::unordered_map<std::string_view, const T*>;

    // The first object of a name wins, as duplicates are reported separately.
    template <class T>
    static Index<T> index(const std::vector<T>& objs) {
        Index<T> idx;
        idx.reserve(objs.size());
        for (const auto& o : objs) idx.emplace(o.name, &o);
        return idx;
    }
    template <class T>
    static const T* find(const Index<T>& idx, std::string_view n) {
        const auto it = idx.find(n);
        return it == idx.end() ? nullptr : it->second;
    }

    Index<VrrpScript> scripts_;
    Index<TrackFile> files_;
    Index<TrackProcess> processes_;
};

// track_script/track_file/track_process must name a defined object; track_bfd names are
// checked against the global area's bfd_instance blocks after the merge. A track_script line
// naming no vrrp_script is ignored with a warning, as keepalived 2.2.7 does.
void check_track_refs(const Tracked& v, std::string_view owner, std::vector<TrackedRef>& scripts,
                      const std::vector<TrackedRef>& files,
                      const std::vector<TrackedRef>& processes, Diagnostics& d) {
    std::erase_if(scripts, [&](const TrackedRef& r) {
        if (v.script(r.name) != nullptr) return false;
        d.warning(r.loc, fmt::format("{}: track_script '{}' is not a defined vrrp_script; "
                                     "ignored, as keepalived does",
                                     owner, r.name));
        return true;
    });
    for (const auto& r : files)
        if (v.file(r.name) == nullptr)
            d.error(r.loc,
                    fmt::format("{}: track_file '{}' is not a defined track_file", owner, r.name));
    for (const auto& r : processes)
        if (v.process(r.name) == nullptr)
            d.error(r.loc, fmt::format("{}: track_process '{}' is not a defined "
                                       "vrrp_track_process",
                                       owner, r.name));
}

bool is_ipv6_link_local(const IpAddress& a) {
    return a.is_v6() && a.is_link_local();
}

// The instance's address family: keepalived takes it from the first address it sees;
// the VIPs are what the adverts carry, so they decide, then the other addresses.
Family deduce_family(const VrrpInstance& vi) {
    if (vi.native_ipv6) return Family::inet6;
    if (!vi.virtual_ipaddresses.empty()) return vi.virtual_ipaddresses[0].address.address.family();
    if (vi.mcast_src_ip) return vi.mcast_src_ip->family();
    if (vi.own.mcast_dst_ip) return vi.own.mcast_dst_ip->family();
    if (!vi.unicast_peers.empty()) return vi.unicast_peers[0].address.family();
    return Family::inet;
}

void check_families(VrrpInstance& vi, Diagnostics& d) {
    vi.family = deduce_family(vi);
    const std::string fam = family_name(vi.family);
    for (const auto& a : vi.virtual_ipaddresses)
        if (a.address.address.family() != vi.family)
            d.error(a.loc, fmt::format("vrrp_instance '{}': virtual_ipaddress {} is not {} like "
                                       "the instance; use virtual_ipaddress_excluded to mix "
                                       "families",
                                       vi.name, a.address.to_string(), fam));
    if (vi.mcast_src_ip && vi.mcast_src_ip->family() != vi.family)
        d.error(vi.locs.mcast_src_ip, fmt::format("vrrp_instance '{}': source address {} is not "
                                                  "{} like the instance",
                                                  vi.name, vi.mcast_src_ip->to_string(), fam));
    if (vi.own.mcast_dst_ip && vi.own.mcast_dst_ip->family() != vi.family)
        d.error(vi.locs.mcast_dst_ip, fmt::format("vrrp_instance '{}': mcast_dst_ip {} is not {} "
                                                  "like the instance",
                                                  vi.name, vi.own.mcast_dst_ip->to_string(), fam));
    for (const auto& p : vi.unicast_peers)
        if (p.address.family() != vi.family)
            d.error(p.loc, fmt::format("vrrp_instance '{}': unicast peer {} is not {} like the "
                                       "instance",
                                       vi.name, p.address.to_string(), fam));
}

void check_version_and_interval(VrrpInstance& vi, Diagnostics& d) {
    // RFC 5798 is the only VRRP for IPv6: IPv6 instances always run version 3.
    if (vi.family == Family::inet6) {
        // Only a version written in the instance conflicts; an inherited global
        // vrrp_version does not apply to IPv6 instances.
        const bool own_v2 = vi.own.version == 2;
        if (own_v2 && vi.strict_mode)
            d.error(vi.locs.version, fmt::format("vrrp_instance '{}': strict mode does not allow "
                                                 "IPv6 with VRRP version 2",
                                                 vi.name));
        else if (own_v2)
            d.warning(vi.locs.version, fmt::format("vrrp_instance '{}': IPv6 instances use VRRP "
                                                   "version 3; version 2 ignored",
                                                   vi.name));
        vi.version = 3;
    }
    // keepalived 2.2.7 rounds an interval the version cannot carry to the nearest one it can
    // (at least one unit) and caps it at the field's maximum, with a warning.
    const SourceLoc at = vi.locs.advert_int.line != 0 ? vi.locs.advert_int : vi.loc;
    const auto fit = [&](Micros unit, Micros max, std::string_view unit_name) {
        if (vi.advert_interval > max) {
            d.warning(at, fmt::format("vrrp_instance '{}': VRRP version {} advert_int is at most "
                                      "{}s; set to {}s",
                                      vi.name, vi.version, max.count() / 1e6, max.count() / 1e6));
            vi.advert_interval = max;
        } else if (vi.advert_interval % unit != Micros(0)) {
            const auto rounded = std::max(unit, (vi.advert_interval + unit / 2) / unit * unit);
            d.warning(at, fmt::format("vrrp_instance '{}': VRRP version {} advert_int must be in "
                                      "{}; rounded to {}s",
                                      vi.name, vi.version, unit_name, rounded.count() / 1e6));
            vi.advert_interval = rounded;
        }
    };
    if (vi.version == 2)
        fit(1s, 255s, "whole seconds");  // RFC 3768 5.3.7: 8 bits of seconds
    else
        fit(10ms, 40950ms, "units of 0.01s");  // RFC 5798 5.2.7: 12 bits of centiseconds
}

void check_interface(VrrpInstance& vi, Diagnostics& d) {
    if (!vi.vrf.empty() && !vi.interface.empty())
        d.error(vi.locs.vrf, fmt::format("vrrp_instance '{}': vrf cannot be used with interface "
                                         "(only for unicast without an interface)",
                                         vi.name));
    if (vi.interface.empty()) {
        // keepalived.conf(5): the interface may be omitted when unicasting, unless a peer
        // is IPv6 link local (a link-local address needs an interface to be reached).
        const bool link_local_peer =
            std::any_of(vi.unicast_peers.begin(), vi.unicast_peers.end(),
                        [](const UnicastPeer& p) { return is_ipv6_link_local(p.address); });
        if (!vi.unicast())
            d.error(vi.loc, fmt::format("vrrp_instance '{}' has no interface (required unless "
                                        "unicast_peer is used)",
                                        vi.name));
        else if (link_local_peer)
            d.error(vi.loc, fmt::format("vrrp_instance '{}' has no interface, which IPv6 "
                                        "link-local unicast peers require",
                                        vi.name));
    }
    if (vi.virtual_router_id == 0)
        d.error(vi.loc, fmt::format("vrrp_instance '{}' has no virtual_router_id (required, "
                                    "1-255)",
                                    vi.name));
}

void check_unicast(VrrpInstance& vi, Diagnostics& d) {
    if (vi.unicast()) {
        // keepalived.conf(5): min_ttl/max_ttl turn on check_unicast_src.
        if (std::any_of(vi.unicast_peers.begin(), vi.unicast_peers.end(),
                        [](const UnicastPeer& p) { return p.min_ttl || p.max_ttl; }))
            vi.check_unicast_src = true;
        if (vi.use_vmac && !vi.vmac_xmit_base) {
            d.warning(vi.loc, fmt::format("vrrp_instance '{}': unicast with use_vmac requires "
                                          "vmac_xmit_base; set",
                                          vi.name));
            vi.vmac_xmit_base = true;
        }
        return;
    }
    if (vi.own.unicast_ttl) {
        d.warning(vi.locs.unicast_ttl, fmt::format("vrrp_instance '{}': unicast_ttl without "
                                                   "unicast_peer; ignored",
                                                   vi.name));
        vi.unicast_ttl = 255;
    }
    if (vi.check_unicast_src || vi.old_unicast_checksum != OldUnicastChecksum::auto_detect)
        d.warning(vi.loc, fmt::format("vrrp_instance '{}': a unicast keyword is used without "
                                      "unicast_peer; the instance uses multicast",
                                      vi.name));
}

void check_vmac(VrrpInstance& vi, Diagnostics& d) {
    if (vi.vmac_mac && vi.vmac_mac_from_vrid) (*vi.vmac_mac)[5] = vi.virtual_router_id;
    if (vi.vmac_xmit_base && !vi.use_vmac) {
        d.warning(vi.locs.vmac_xmit_base, fmt::format("vrrp_instance '{}': vmac_xmit_base is "
                                                      "only valid with use_vmac; ignored",
                                                      vi.name));
        vi.vmac_xmit_base = false;
    }
    if (vi.use_ipvlan && vi.family == Family::inet && !vi.ipvlan_address)
        d.error(vi.loc,
                fmt::format("vrrp_instance '{}': an IPv4 use_ipvlan needs an address", vi.name));
}

void check_priority_and_state(VrrpInstance& vi, const Tracked& tracked, Diagnostics& d) {
    // keepalived: an unset priority with state MASTER makes the instance the address owner.
    if (!vi.priority_configured && vi.state == InitialState::master) vi.priority = 255;
    if (vi.authentication && vi.authentication->type == AuthType::ah &&
        vi.state == InitialState::master) {
        d.warning(vi.locs.state, fmt::format("vrrp_instance '{}': initial state MASTER is "
                                             "incompatible with AH authentication; starting as "
                                             "BACKUP",
                                             vi.name));
        vi.state = InitialState::backup;
    }
    const SourceLoc np = vi.locs.nopreempt;
    if (!vi.preempt && vi.priority == 255) {
        d.warning(np, fmt::format("vrrp_instance '{}': nopreempt is incompatible with priority "
                                  "255 (address owner); ignored",
                                  vi.name));
        vi.preempt = true;
    } else if (!vi.preempt && vi.state == InitialState::master) {
        d.warning(np, fmt::format("vrrp_instance '{}': nopreempt does not work with initial "
                                  "state MASTER; ignored",
                                  vi.name));
        vi.preempt = true;
    }
    if (vi.preempt_delay > 0us && vi.state == InitialState::master && !vi.strict_mode) {
        d.warning(vi.locs.preempt_delay, fmt::format("vrrp_instance '{}': preempt_delay does not "
                                                     "work with initial state MASTER; ignored",
                                                     vi.name));
        vi.preempt_delay = 0us;
    }
    // RFC 5798 6.1: the address owner's priority is fixed at 255, so weighted tracking
    // cannot apply to it; keepalived ignores such tracking lines.
    if (vi.priority == 255) {
        const auto drop = [&](std::vector<TrackedRef>& refs, std::string_view what,
                              const auto& weight_of) {
            std::erase_if(refs, [&](const TrackedRef& r) {
                if (weight_of(r) == 0) return false;
                d.warning(r.loc, fmt::format("vrrp_instance '{}': weighted {} '{}' ignored: "
                                             "priority 255 (address owner) cannot change",
                                             vi.name, what, r.name));
                return true;
            });
        };
        drop(vi.track_interfaces, "track_interface",
             [](const TrackedRef& r) { return r.weight.value_or(0); });
        drop(vi.track_scripts, "track_script",
             [&](const TrackedRef& r) { return tracked.script_weight(r); });
        drop(vi.track_files, "track_file",
             [&](const TrackedRef& r) { return tracked.file_weight(r); });
        drop(vi.track_processes, "track_process",
             [&](const TrackedRef& r) { return tracked.process_weight(r); });
        drop(vi.track_bfds, "track_bfd", [](const TrackedRef& r) { return r.weight.value_or(0); });
    }
    std::erase_if(vi.track_interfaces, [&](const TrackedRef& r) {
        if (vi.interface.empty() || r.name != vi.interface) return false;
        d.warning(r.loc, fmt::format("vrrp_instance '{}': track_interface '{}' is the "
                                     "instance's own interface; ignored",
                                     vi.name, r.name));
        return true;
    });
}

void check_authentication(VrrpInstance& vi, Diagnostics& d) {
    if (!vi.authentication) return;
    const auto& au = *vi.authentication;
    if (vi.strict_mode) {
        // keepalived 2.2.7: "Strict mode does not support authentication. Ignoring."
        d.warning(au.loc, fmt::format("vrrp_instance '{}': strict mode does not allow "
                                      "authentication; ignored, as keepalived does",
                                      vi.name));
        vi.authentication.reset();
        return;
    }
    // RFC 5798 removed authentication from VRRP.
    if (vi.version == 3) {
        d.warning(au.loc, fmt::format("vrrp_instance '{}': VRRP version 3 has no "
                                      "authentication; ignored",
                                      vi.name));
        vi.authentication.reset();
        return;
    }
    if (au.type != AuthType::none && au.password.empty()) {
        d.warning(au.loc, fmt::format("vrrp_instance '{}': authentication without auth_pass; "
                                      "ignored",
                                      vi.name));
        vi.authentication.reset();
    }
}

// keepalived.conf(5) vrrp_strict, applied when the instance's own strict_mode is on.
void check_strict(VrrpInstance& vi, Diagnostics& d) {
    if (!vi.strict_mode) return;
    const auto err = [&](SourceLoc l, std::string_view what) {
        d.error(l.line != 0 ? l : vi.loc,
                fmt::format("vrrp_instance '{}': strict mode: {}", vi.name, what));
    };
    if (vi.virtual_ipaddresses.empty()) err(vi.loc, "at least one virtual_ipaddress is required");
    if (vi.unicast())
        d.warning(vi.unicast_peers[0].loc,
                  fmt::format("vrrp_instance '{}': strict mode: unicast peers do not comply "
                              "with the VRRP RFCs",
                              vi.name));
    if (vi.family == Family::inet6 && !vi.virtual_ipaddresses.empty() &&
        !vi.virtual_ipaddresses[0].address.address.is_link_local())
        err(vi.virtual_ipaddresses[0].loc,
            "the first IPv6 virtual_ipaddress must be link local (RFC 5798 5.2.9)");
    if ((vi.state == InitialState::master) != (vi.priority == 255))
        err(vi.locs.state.line != 0 ? vi.locs.state : vi.locs.priority,
            "state MASTER is allowed if and only if priority is 255");
    if (vi.preempt_delay > 0us) err(vi.locs.preempt_delay, "preempt_delay is not allowed");
    if (vi.accept == true && vi.version == 2)
        err(vi.locs.accept, "accept mode is not allowed with VRRP version 2 (RFC 3768)");
    if (vi.own.lower_prio_no_advert == false)
        err(vi.locs.lower_prio_no_advert, "lower_prio_no_advert cannot be cleared");
    if (vi.own.higher_prio_send_advert == true)
        err(vi.locs.higher_prio_send_advert, "higher_prio_send_advert cannot be set");
    if (vi.vmac_xmit_base) err(vi.locs.vmac_xmit_base, "vmac_xmit_base is not allowed");
}

// Two instances conflict when they would share a socket and a VRID: same interface and
// family, and either both multicast to the same group or both unicast to a common peer.
void check_duplicate_vrids(const std::vector<VrrpInstance>& instances, Diagnostics& d) {
    const auto group = [](const VrrpInstance& vi) { return vi.mcast_dst_ip; };
    // Only instances with the same VRID, interface, family and mode can clash: bucket them
    // so that the pairwise comparison stays within a bucket.
    using Key = std::tuple<std::uint8_t, std::string_view, Family, bool>;
    std::map<Key, std::vector<const VrrpInstance*>> buckets;
    for (const auto& b : instances) {
        if (b.virtual_router_id == 0 || b.interface.empty()) continue;
        auto& seen = buckets[Key{b.virtual_router_id, b.interface, b.family, b.unicast()}];
        for (const auto* a : seen) {
            if (a->name == b.name) continue;
            bool clash = false;
            if (!a->unicast()) {
                clash = group(*a) == group(b);
            } else {
                for (const auto& pa : a->unicast_peers)
                    for (const auto& pb : b.unicast_peers)
                        if (pa.address == pb.address) clash = true;
            }
            if (clash) {
                d.error(b.loc, fmt::format("vrrp_instance '{}' and '{}' (at {}) both use VRID {} "
                                           "with {} on interface {}",
                                           b.name, a->name, where(a->loc), b.virtual_router_id,
                                           family_name(b.family), b.interface));
                break;
            }
        }
        seen.push_back(&b);
    }
}

void resolve_sync_groups(VrrpAreaModel& v, Diagnostics& d) {
    check_unique_names(v.sync_groups, "vrrp_sync_group", d);
    std::map<std::string, std::string, std::less<>> member_of;  // instance -> group
    const Tracked tracked{v};
    std::unordered_map<std::string_view, VrrpInstance*> instances;
    instances.reserve(v.instances.size());
    for (auto& vi : v.instances) instances.emplace(vi.name, &vi);
    for (auto& g : v.sync_groups) {
        const std::string owner = fmt::format("vrrp_sync_group '{}'", g.name);
        check_track_refs(tracked, owner, g.track_scripts, g.track_files, g.track_processes, d);
        std::size_t found = 0;
        std::set<std::string, std::less<>> in_this;
        for (const auto& m : g.members) {
            const auto it = instances.find(m.name);
            if (it == instances.end()) {
                d.error(m.loc,
                        fmt::format("{}: '{}' is not a defined vrrp_instance", owner, m.name));
                continue;
            }
            if (!in_this.insert(m.name).second) {
                d.warning(m.loc, fmt::format("{}: '{}' is listed twice; ignored", owner, m.name));
                continue;
            }
            const auto [prev, fresh] = member_of.emplace(m.name, g.name);
            if (!fresh) {
                d.error(m.loc, fmt::format("{}: vrrp_instance '{}' is already in "
                                           "vrrp_sync_group '{}'; an instance can be in only "
                                           "one sync group",
                                           owner, m.name, prev->second));
                continue;
            }
            ++found;
            VrrpInstance& vi = *it->second;
            vi.sync_group = g.name;
            if (g.sync_group_tracking_weight) continue;
            // keepalived.conf(5): the tracking weights of sync group members are set to 0
            // so that all members keep consistent priorities.
            const auto zero = [&](std::vector<TrackedRef>& refs, std::string_view what,
                                  const auto& weight_of) {
                for (auto& r : refs) {
                    if (weight_of(r) == 0) continue;
                    d.warning(r.loc, fmt::format("vrrp_instance '{}': weight of {} '{}' set to "
                                                 "0 in vrrp_sync_group '{}' (no "
                                                 "sync_group_tracking_weight)",
                                                 vi.name, what, r.name, g.name));
                    r.weight = 0;
                }
            };
            zero(vi.track_interfaces, "track_interface",
                 [](const TrackedRef& r) { return r.weight.value_or(0); });
            zero(vi.track_scripts, "track_script",
                 [&](const TrackedRef& r) { return tracked.script_weight(r); });
            zero(vi.track_files, "track_file",
                 [&](const TrackedRef& r) { return tracked.file_weight(r); });
            zero(vi.track_processes, "track_process",
                 [&](const TrackedRef& r) { return tracked.process_weight(r); });
            zero(vi.track_bfds, "track_bfd",
                 [](const TrackedRef& r) { return r.weight.value_or(0); });
        }
        if (g.members.empty() || found == 0)
            d.warning(g.loc, fmt::format("{} has no vrrp_instance; it has no effect", owner));
        else if (found == 1)
            d.warning(g.loc, fmt::format("{} has only one vrrp_instance", owner));
    }
}

void resolve_garp_groups(const VrrpAreaModel& v, Diagnostics& d) {
    std::map<std::string, SourceLoc, std::less<>> seen;
    const auto claim = [&](const std::string& ifname, SourceLoc at) {
        const auto [it, fresh] = seen.emplace(ifname, at);
        if (!fresh)
            d.error(at, fmt::format("garp_group: interface '{}' is already in a garp_group (at "
                                    "{})",
                                    ifname, where(it->second)));
    };
    for (const auto& g : v.garp_groups) {
        if (!g.garp_interval && !g.gna_interval)
            d.warning(g.loc,
                      "garp_group sets neither garp_interval nor gna_interval; it has no "
                      "effect");
        if (g.interface.empty() && g.interfaces.empty())
            d.error(g.loc, "garp_group needs 'interface' or 'interfaces'");
        if (!g.interface.empty() && !g.interfaces.empty())
            d.warning(g.loc, "garp_group: use only one of 'interface' and 'interfaces'");
        if (!g.interface.empty()) claim(g.interface, g.loc);
        for (const auto& i : g.interfaces) claim(i.name, i.loc);
    }
}

// Settings global_defs can supply (the `own` members of VrrpInstance and SyncGroup) are
// resolved here once the global area is merged; the checks below rely on vi.version and
// vi.strict_mode holding the effective values.
void inherit_global_defaults(Model& m) {
    const GlobalDefs& g = m.globals.defs;
    // smtp_alert_vrrp, then smtp_alert, decide for instances and groups that say nothing.
    const bool smtp_alert = g.smtp_alert_vrrp.value_or(g.smtp_alert.value_or(false));
    for (auto& vi : m.vrrp.instances) {
        const auto& own = vi.own;
        vi.version = own.version.value_or(static_cast<std::uint8_t>(g.vrrp_version));
        vi.unicast_ttl = own.unicast_ttl.value_or(255);
        vi.garp_master_delay = own.garp_master_delay.value_or(g.vrrp_garp_master_delay);
        vi.garp_master_repeat = own.garp_master_repeat.value_or(g.vrrp_garp_master_repeat);
        // The lower-priority GARP settings follow the instance's own master settings when it
        // gives them, else the global ones.
        vi.garp_lower_prio_delay = own.garp_lower_prio_delay.value_or(
            own.garp_master_delay
                ? *own.garp_master_delay
                : g.vrrp_garp_lower_prio_delay.value_or(g.vrrp_garp_master_delay));
        vi.garp_lower_prio_repeat = own.garp_lower_prio_repeat.value_or(
            own.garp_master_repeat
                ? *own.garp_master_repeat
                : g.vrrp_garp_lower_prio_repeat.value_or(g.vrrp_garp_master_repeat));
        vi.garp_master_refresh = own.garp_master_refresh.value_or(g.vrrp_garp_master_refresh);
        vi.garp_master_refresh_repeat =
            own.garp_master_refresh_repeat.value_or(g.vrrp_garp_master_refresh_repeat);
        if (!vi.garp_extra_if && g.vrrp_garp_extra_if) vi.garp_extra_if = g.vrrp_garp_extra_if;
        vi.down_timer_adverts =
            own.down_timer_adverts.value_or(static_cast<std::uint8_t>(g.vrrp_down_timer_adverts));
        vi.strict_mode = own.strict_mode.value_or(g.vrrp_strict);
        // Strict mode means RFC behaviour: no advert in reply to a lower priority one.
        vi.lower_prio_no_advert = own.lower_prio_no_advert.value_or(
            vi.strict_mode || g.vrrp_lower_prio_no_advert.value_or(false));
        vi.higher_prio_send_advert =
            own.higher_prio_send_advert.value_or(g.vrrp_higher_prio_send_advert.value_or(false));
        vi.skip_check_adv_addr = own.skip_check_adv_addr.value_or(g.vrrp_skip_check_adv_addr);
        vi.notify_priority_changes =
            own.notify_priority_changes.value_or(g.vrrp_notify_priority_changes);
        vi.smtp_alert = own.smtp_alert.value_or(smtp_alert);
    }
    for (auto& sg : m.vrrp.sync_groups) {
        sg.notify_priority_changes =
            sg.own.notify_priority_changes.value_or(g.vrrp_notify_priority_changes);
        sg.smtp_alert = sg.own.smtp_alert.value_or(smtp_alert);
    }
}

}  // namespace

void resolve_vrrp_area(Model& m, Diagnostics& d, const BuildEnv& /*env*/) {
    inherit_global_defaults(m);
    VrrpAreaModel& v = m.vrrp;
    resolve_scripts(v, d);
    // keepalived 2.2.7 keeps the first instance of a name and skips the others (measured).
    std::map<std::string, SourceLoc, std::less<>> first_of;
    std::erase_if(v.instances, [&](const VrrpInstance& vi) {
        const auto [it, fresh] = first_of.emplace(vi.name, vi.loc);
        if (fresh) return false;
        d.warning(vi.loc, fmt::format("vrrp_instance '{}' is already defined (at {}); this one is "
                                      "skipped, as keepalived does",
                                      vi.name, where(it->second)));
        return true;
    });
    const Tracked tracked{v};
    for (auto& vi : v.instances) {
        const std::string owner = fmt::format("vrrp_instance '{}'", vi.name);
        check_interface(vi, d);
        check_families(vi, d);
        vi.mcast_dst_ip = vi.own.mcast_dst_ip.value_or(vi.family == Family::inet6
                                                           ? m.globals.defs.vrrp_mcast_group6
                                                           : m.globals.defs.vrrp_mcast_group4);
        check_version_and_interval(vi, d);
        check_unicast(vi, d);
        check_vmac(vi, d);
        check_track_refs(tracked, owner, vi.track_scripts, vi.track_files, vi.track_processes, d);
        check_priority_and_state(vi, tracked, d);
        check_authentication(vi, d);
        check_strict(vi, d);
        if (vi.virtual_ipaddresses.empty() && !vi.strict_mode)
            d.warning(vi.loc, fmt::format("{} has no virtual_ipaddress", owner));
    }
    check_duplicate_vrids(v.instances, d);
    resolve_sync_groups(v, d);
    resolve_garp_groups(v, d);
}

}  // namespace vigil::config
