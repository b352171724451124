// The vrrp_instance keyword table (keepalived.conf(5) "VRRP instance(s)"). Checks that
// need the whole instance or other objects are in area_vrrp_resolve.cpp.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <limits>

#include "config/area_vrrp_parts.h"

namespace vigil::config::vrrp_detail {

using namespace std::chrono_literals;

namespace {

constexpr std::size_t max_ifname = 15;  // IFNAMSIZ - 1
constexpr std::int64_t uint_max = std::numeric_limits<std::uint32_t>::max();

bool valid_ifname(std::string_view n) {
    return !n.empty() && n.size() <= max_ifname && n.find('/') == std::string_view::npos &&
           n.find(':') == std::string_view::npos;
}

// "aa:bb:cc:dd:ee[:ff]": 5 or 6 hex octets.
std::optional<std::pair<std::array<std::uint8_t, 6>, std::size_t>> parse_mac(std::string_view s) {
    std::array<std::uint8_t, 6> mac{};
    std::size_t n = 0;
    while (true) {
        const auto colon = s.find(':');
        const auto part = s.substr(0, colon);
        if (part.empty() || part.size() > 2 || n == 6) return std::nullopt;
        unsigned v = 0;
        for (const char c : part) {
            v <<= 4;
            if (c >= '0' && c <= '9')
                v |= static_cast<unsigned>(c - '0');
            else if (c >= 'a' && c <= 'f')
                v |= static_cast<unsigned>(c - 'a' + 10);
            else if (c >= 'A' && c <= 'F')
                v |= static_cast<unsigned>(c - 'A' + 10);
            else
                return std::nullopt;
        }
        mac[n++] = static_cast<std::uint8_t>(v);
        if (colon == std::string_view::npos) break;
        s.remove_prefix(colon + 1);
    }
    if (n < 5) return std::nullopt;
    return std::pair{mac, n};
}

// Records where the keyword was written (for checks when resolving), then runs `h`.
using Own = VrrpInstance::Own;

// A setting the instance may leave to global_defs: kept in vi.own for the resolver.
Handler<VrrpInstance> own(Handler<Own> h) {
    return kw::member(&VrrpInstance::own, std::move(h));
}

Handler<VrrpInstance> with_loc(SourceLoc VrrpInstanceLocs::*l, Handler<VrrpInstance> h) {
    return [l, h = std::move(h)](const Args& a, VrrpInstance& vi) {
        vi.locs.*l = a.node().keyword.loc;
        h(a, vi);
    };
}

Handler<VrrpInstance> notify_handler(std::optional<ScriptSpec> VrrpInstance::*m) {
    return [m](const Args& a, VrrpInstance& vi) {
        auto s = parse_script_spec(a);
        if (!s) return;
        // keepalived 2.2.7 keeps the first and reports the others.
        if (vi.*m) {
            a.diags().warning(a.node().keyword.loc,
                              fmt::format("'{}' is given again; the first one (line {}) is kept",
                                          a.node().keyword.text, (vi.*m)->loc.line));
            return;
        }
        vi.*m = std::move(*s);
    };
}

Handler<VrrpInstance> track_handler(std::vector<TrackedRef> VrrpInstance::*m, TrackKind kind) {
    return [m, kind](const Args& a, VrrpInstance& vi) { read_track_block(a, vi.*m, kind); };
}

Handler<VrrpInstance> address_list(std::vector<AddressSpec> VrrpInstance::*m) {
    return [m](const Args& a, VrrpInstance& vi) {
        a.count(0, 0, a.node().keyword.text + " {");
        for_each_item(a, [&](const Args& item) {
            if (auto spec = parse_address_spec(item)) (vi.*m).push_back(std::move(*spec));
        });
    };
}

void read_use_vmac(const Args& a, VrrpInstance& vi) {
    if (!a.count(0, 2, "use_vmac [<VMAC_INTERFACE_NAME>] [MAC_ADDRESS]")) return;
    std::string name;
    std::optional<std::array<std::uint8_t, 6>> mac;
    for (std::size_t i = 0; i < a.size(); ++i) {
        const std::string& w = a.text(i);
        if (w.find(':') != std::string::npos) {
            const auto m = parse_mac(w);
            if (!m) {
                a.error(i, fmt::format("expected a MAC address of 5 or 6 hex octets "
                                       "(aa:bb:cc:dd:ee[:ff]), got '{}'",
                                       w));
                return;
            }
            if (mac) {
                a.error(i, "MAC address already specified");
                return;
            }
            mac = m->first;
            // 5 octets: the VRID becomes the last octet when resolved.
            vi.vmac_mac_from_vrid = m->second == 5;
        } else {
            if (!name.empty()) {
                a.error(i, "VMAC interface name already specified");
                return;
            }
            if (!valid_ifname(w)) {
                a.error(i, fmt::format("invalid VMAC interface name '{}'; expected at most {} "
                                       "characters, without '/' or ':'",
                                       w, max_ifname));
                return;
            }
            name = w;
        }
    }
    vi.use_vmac = true;
    vi.vmac_name = name;
    vi.vmac_mac = mac;
}

void read_use_ipvlan(const Args& a, VrrpInstance& vi) {
    const std::string_view usage =
        "use_ipvlan [<INTERFACE_NAME>] [IP_ADDRESS] [bridge|private|vepa]";
    if (!a.count(0, 3, usage)) return;
    std::string name;
    std::optional<IpPrefix> addr;
    std::optional<IpvlanMode> mode;
    for (std::size_t i = 0; i < a.size(); ++i) {
        const std::string& w = a.text(i);
        std::optional<IpvlanMode> m;
        if (w == "bridge")
            m = IpvlanMode::bridge;
        else if (w == "private")
            m = IpvlanMode::private_;
        else if (w == "vepa")
            m = IpvlanMode::vepa;
        if (m) {
            if (mode) {
                a.error(i, "ipvlan mode already specified");
                return;
            }
            mode = m;
        } else if (auto p = IpPrefix::parse(w)) {
            if (addr) {
                a.error(i, "ipvlan address already specified");
                return;
            }
            addr = *p;
        } else {
            if (!name.empty()) {
                a.error(i, fmt::format("unexpected argument '{}'; expected '{}'", w, usage));
                return;
            }
            if (!valid_ifname(w)) {
                a.error(i, fmt::format("invalid ipvlan interface name '{}'; expected at most {} "
                                       "characters, without '/' or ':'",
                                       w, max_ifname));
                return;
            }
            name = w;
        }
    }
    vi.use_ipvlan = true;
    vi.ipvlan_name = name;
    vi.ipvlan_address = addr;
    vi.ipvlan_mode = mode.value_or(IpvlanMode::bridge);
}

void read_unicast_peers(const Args& a, VrrpInstance& vi) {
    a.count(0, 0, "unicast_peer {");
    for_each_item(a, [&](const Args& item) {
        UnicastPeer p;
        p.loc = item.loc(0);
        // keepalived accepts (and ignores) a /prefix on a peer address.
        const auto addr = IpPrefix::parse(item.text(0));
        if (!addr) {
            item.error(
                0, fmt::format("expected an IPv4 or IPv6 peer address, got '{}'", item.text(0)));
            return;
        }
        p.address = addr->address;
        for (std::size_t i = 1; i < item.size(); i += 2) {
            const std::string& opt = item.text(i);
            if (opt != "min_ttl" && opt != "max_ttl") {
                item.error(i, fmt::format("unknown option '{}'; expected '<IPADDR> [min_ttl "
                                          "{{0..255}}] [max_ttl {{0..255}}]'",
                                          opt));
                return;
            }
            if (!item.has(i + 1)) {
                item.error(i + 1, fmt::format("missing value after '{}'", opt));
                return;
            }
            const auto v = item.integer(i + 1, 0, 255);
            if (!v) return;
            (opt == "min_ttl" ? p.min_ttl : p.max_ttl) = static_cast<std::uint8_t>(*v);
        }
        if (p.min_ttl && p.max_ttl && *p.min_ttl > *p.max_ttl) {
            item.error(0, fmt::format("min_ttl {} > max_ttl {}: every packet would be discarded",
                                      *p.min_ttl, *p.max_ttl));
            return;
        }
        const bool dup = std::any_of(vi.unicast_peers.begin(), vi.unicast_peers.end(),
                                     [&](const UnicastPeer& o) { return o.address == p.address; });
        if (dup) {
            item.warning(0,
                         fmt::format("duplicate unicast peer {}; ignored", p.address.to_string()));
            return;
        }
        vi.unicast_peers.push_back(p);
    });
}

const KeywordTable<Authentication>& authentication_table() {
    static const KeywordTable<Authentication> t = [] {
        KeywordTable<Authentication> k;
        k.add("auth_type", [](const Args& a, Authentication& au) {
            if (!a.count(1, 1, "auth_type PASS|AH")) return;
            if (auto v = a.choice<AuthType>(0, {{"PASS", AuthType::pass}, {"AH", AuthType::ah}}))
                au.type = *v;
        });
        k.add("auth_pass", [](const Args& a, Authentication& au) {
            if (!a.count(1, 1, "auth_pass <STRING>")) return;
            // RFC 2338 5.3.10: the simple text password is 8 octets.
            au.password = a.text(0);
            if (au.password.size() > 8) {
                a.warning(0, "only the first 8 characters of the password are used");
                au.password.resize(8);
            }
        });
        return k;
    }();
    return t;
}

}  // namespace

const KeywordTable<VrrpInstance>& vrrp_instance_table() {
    static const KeywordTable<VrrpInstance> t = [] {
        KeywordTable<VrrpInstance> k;
        k.add("state", with_loc(&VrrpInstanceLocs::state, [](const Args& a, VrrpInstance& vi) {
                  if (!a.count(1, 1, "state MASTER|BACKUP")) return;
                  if (auto v = a.choice<InitialState>(
                          0, {{"MASTER", InitialState::master}, {"BACKUP", InitialState::backup}}))
                      vi.state = *v;
              }));
        k.add("interface", [](const Args& a, VrrpInstance& vi) {
            if (!a.count(1, 1, "interface <STRING>")) return;
            if (!valid_ifname(a.text(0))) {
                a.error(0, fmt::format("invalid interface name '{}'; expected at most {} "
                                       "characters, without '/' or ':'",
                                       a.text(0), max_ifname));
                return;
            }
            vi.interface = a.text(0);
            vi.locs.interface = a.loc(0);
        });
        k.add("vrf", [](const Args& a, VrrpInstance& vi) {
            if (!a.count(1, 1, "vrf <VRF_IF>")) return;
            if (!valid_ifname(a.text(0))) {
                a.error(0, fmt::format("invalid VRF interface name '{}'", a.text(0)));
                return;
            }
            vi.vrf = a.text(0);
            vi.locs.vrf = a.loc(0);
        });
        k.add("use_vmac", read_use_vmac);
        k.add("use_vmac_addr", kw::flag(&VrrpInstance::use_vmac_addr));
        k.add("vmac_xmit_base",
              with_loc(&VrrpInstanceLocs::vmac_xmit_base, kw::flag(&VrrpInstance::vmac_xmit_base)));
        k.add("use_ipvlan", read_use_ipvlan);
        k.add("native_ipv6", kw::flag(&VrrpInstance::native_ipv6));
        k.add("dont_track_primary", kw::flag(&VrrpInstance::dont_track_primary));
        k.add("track_interface", BlockUse::required,
              track_handler(&VrrpInstance::track_interfaces, TrackKind::interface));
        k.add("track_script", BlockUse::required,
              track_handler(&VrrpInstance::track_scripts, TrackKind::script));
        k.add("track_file", BlockUse::required,
              track_handler(&VrrpInstance::track_files, TrackKind::file));
        k.add("track_process", BlockUse::required,
              track_handler(&VrrpInstance::track_processes, TrackKind::process));
        k.add("track_bfd", BlockUse::required,
              track_handler(&VrrpInstance::track_bfds, TrackKind::bfd));
        k.add("mcast_src_ip", [](const Args& a, VrrpInstance& vi) {
            if (!a.count(1, 1, a.node().keyword.text + " <IPADDR>")) return;
            // keepalived 2.2.7 takes "192.0.2.1/24" as 192.0.2.1 (measured; silently).
            if (const auto p = IpPrefix::parse(a.text(0));
                p && a.text(0).find('/') != std::string::npos) {
                a.warning(0, fmt::format("the prefix length is ignored: {} is used, as keepalived "
                                         "does",
                                         p->address.to_string()));
                vi.mcast_src_ip = p->address;
                vi.locs.mcast_src_ip = a.loc(0);
                return;
            }
            if (auto v = a.address(0)) {
                vi.mcast_src_ip = *v;
                vi.locs.mcast_src_ip = a.loc(0);
            }
        });
        k.alias("unicast_src_ip", "mcast_src_ip");
        k.add("mcast_dst_ip", [](const Args& a, VrrpInstance& vi) {
            if (!a.count(1, 1, "mcast_dst_ip <MULTICAST_IPADDR>")) return;
            const auto v = a.address(0);
            if (!v) return;
            if (!v->is_multicast()) {
                a.error(0, fmt::format("expected a multicast address, got '{}'", a.text(0)));
                return;
            }
            // IPv6 adverts are link-local only (RFC 5798 5.1.2.2: hop limit 255), so the
            // group must be link-local scope (ffX2::).
            if (v->is_v6() && (v->bytes()[1] & 0x0f) != 2) {
                a.error(0, fmt::format("expected a link-local IPv6 multicast address (ffX2::), "
                                       "got '{}'",
                                       a.text(0)));
                return;
            }
            vi.own.mcast_dst_ip = *v;
            vi.locs.mcast_dst_ip = a.loc(0);
        });
        k.add("track_src_ip", kw::flag(&VrrpInstance::track_src_ip));
        k.add("version", [](const Args& a, VrrpInstance& vi) {
            if (!a.count(1, 1, "version <2 or 3>")) return;
            if (auto v = a.integer(0, 2, 3)) {
                vi.own.version = static_cast<std::uint8_t>(*v);
                vi.locs.version = a.loc(0);
            }
        });
        k.add("check_unicast_src", kw::flag(&VrrpInstance::check_unicast_src));
        k.add("unicast_peer", BlockUse::required, read_unicast_peers);
        k.add("unicast_fault_no_peer", kw::flag(&VrrpInstance::unicast_fault_no_peer));
        k.add("unicast_ttl", with_loc(&VrrpInstanceLocs::unicast_ttl,
                                      own(kw::integer(&Own::unicast_ttl, 0, 255))));
        k.add("old_unicast_checksum", [](const Args& a, VrrpInstance& vi) {
            if (!a.count(0, 1, "old_unicast_checksum [never]")) return;
            if (!a.has(0)) {
                vi.old_unicast_checksum = OldUnicastChecksum::on;
                return;
            }
            if (auto v = a.choice<OldUnicastChecksum>(0, {{"never", OldUnicastChecksum::never}}))
                vi.old_unicast_checksum = *v;
        });
        // The garp delays are whole seconds in keepalived 2.2.7 (fractions are rejected).
        k.add("garp_master_delay", own(whole_seconds(&Own::garp_master_delay, 0, uint_max)));
        k.add("garp_master_repeat", own(kw::integer(&Own::garp_master_repeat, 1, uint_max)));
        k.add("garp_lower_prio_delay",
              own(whole_seconds(&Own::garp_lower_prio_delay, 0, uint_max)));
        k.add("garp_lower_prio_repeat",
              own(kw::integer(&Own::garp_lower_prio_repeat, 0, uint_max)));
        k.add("garp_master_refresh", own(whole_seconds(&Own::garp_master_refresh, 0, uint_max)));
        k.add("garp_master_refresh_repeat",
              own(kw::integer(&Own::garp_master_refresh_repeat, 1, uint_max)));
        k.add("garp_extra_if", [](const Args& a, VrrpInstance& vi) {
            const std::string_view usage = "garp_extra_if [all] <SECONDS>";
            if (!a.count(1, 2, usage)) return;
            GarpExtraIf g;
            std::size_t i = 0;
            if (a.text(0) == "all") {
                g.all = true;
                i = 1;
                if (!a.has(1)) {
                    a.error(1, fmt::format("missing argument; expected '{}'", usage));
                    return;
                }
            } else if (a.has(1)) {
                a.error(0, fmt::format("expected 'all', got '{}'", a.text(0)));
                return;
            }
            const auto v = a.integer(i, 0, uint_max);
            if (!v) return;
            g.interval = std::chrono::seconds(*v);
            vi.garp_extra_if = g;
        });
        k.add("down_timer_adverts", own(kw::integer(&Own::down_timer_adverts, 1, 100)));
        k.add("lower_prio_no_advert", with_loc(&VrrpInstanceLocs::lower_prio_no_advert,
                                               own(kw::boolean(&Own::lower_prio_no_advert))));
        k.add("higher_prio_send_advert", with_loc(&VrrpInstanceLocs::higher_prio_send_advert,
                                                  own(kw::boolean(&Own::higher_prio_send_advert))));
        k.add("virtual_router_id", [](const Args& a, VrrpInstance& vi) {
            if (!a.count(1, 1, "virtual_router_id <1-255>")) return;
            if (auto v = a.integer(0, 1, 255)) vi.virtual_router_id = static_cast<std::uint8_t>(*v);
        });
        k.add("priority", [](const Args& a, VrrpInstance& vi) {
            if (!a.count(1, 1, "priority <1-255>")) return;
            if (auto v = a.integer(0, 1, 255)) {
                vi.priority = static_cast<std::uint8_t>(*v);
                vi.priority_configured = true;
                vi.locs.priority = a.loc(0);
            }
        });
        // RFC 5798 5.2.7: VRRPv3 carries centiseconds in 12 bits; RFC 3768 5.3.7: VRRPv2
        // whole seconds in 8 bits. Resolution against the version is checked when resolved.
        k.add("advert_int", [](const Args& a, VrrpInstance& vi) {
            if (!a.count(1, 1, "advert_int <SECONDS>")) return;
            if (auto v = a.seconds(0, 10ms, 255s)) {
                vi.advert_interval = *v;
                vi.locs.advert_int = a.loc(0);
            }
        });
        k.add("authentication", BlockUse::required, [](const Args& a, VrrpInstance& vi) {
            a.count(0, 0, "authentication {");
            Authentication au;
            au.loc = a.node().keyword.loc;
            authentication_table().apply(a.node().children, au, a.diags(), "authentication");
            vi.authentication = std::move(au);
        });
        k.add("virtual_ipaddress", BlockUse::required,
              address_list(&VrrpInstance::virtual_ipaddresses));
        k.add("virtual_ipaddress_excluded", BlockUse::required,
              address_list(&VrrpInstance::virtual_ipaddresses_excluded));
        k.add("promote_secondaries", kw::flag(&VrrpInstance::promote_secondaries));
        k.add("virtual_routes", BlockUse::required, [](const Args& a, VrrpInstance& vi) {
            a.count(0, 0, "virtual_routes {");
            for_each_item(a, [&](const Args& item) {
                if (auto r = parse_route_spec(item)) vi.virtual_routes.push_back(std::move(*r));
            });
        });
        k.add("virtual_rules", BlockUse::required, [](const Args& a, VrrpInstance& vi) {
            a.count(0, 0, "virtual_rules {");
            for_each_item(a, [&](const Args& item) {
                if (auto r = parse_rule_spec(item)) vi.virtual_rules.push_back(std::move(*r));
            });
        });
        k.add("accept", [](const Args& a, VrrpInstance& vi) {
            if (!a.count(0, 0, "accept")) return;
            vi.accept = true;
            vi.locs.accept = a.node().keyword.loc;
        });
        k.add("no_accept", [](const Args& a, VrrpInstance& vi) {
            if (!a.count(0, 0, "no_accept")) return;
            vi.accept = false;
            vi.locs.accept = a.node().keyword.loc;
        });
        k.add("nopreempt", [](const Args& a, VrrpInstance& vi) {
            if (!a.count(0, 0, "nopreempt")) return;
            vi.preempt = false;
            vi.locs.nopreempt = a.node().keyword.loc;
        });
        k.add("preempt", kw::flag(&VrrpInstance::preempt, true));
        k.add("preempt_delay", [](const Args& a, VrrpInstance& vi) {
            if (!a.count(1, 1, "preempt_delay <SECONDS>")) return;
            if (auto v = a.seconds(0, 0s, 1000s)) {
                vi.preempt_delay = *v;
                vi.locs.preempt_delay = a.loc(0);
            }
        });
        k.add("skip_check_adv_addr", own(kw::boolean(&Own::skip_check_adv_addr)));
        k.add("strict_mode",
              with_loc(&VrrpInstanceLocs::strict_mode, own(kw::boolean(&Own::strict_mode))));
        k.add("debug", kw::integer(&VrrpInstance::debug, 0, 4));
        k.add("notify_master", notify_handler(&VrrpInstance::notify_master));
        k.add("notify_backup", notify_handler(&VrrpInstance::notify_backup));
        k.add("notify_fault", notify_handler(&VrrpInstance::notify_fault));
        k.add("notify_stop", notify_handler(&VrrpInstance::notify_stop));
        k.add("notify", notify_handler(&VrrpInstance::notify));
        k.add("notify_master_rx_lower_pri",
              notify_handler(&VrrpInstance::notify_master_rx_lower_pri));
        k.add("notify_deleted", [](const Args& a, VrrpInstance& vi) {
            vi.notify_deleted = true;
            if (a.size() == 0) return;
            if (auto s = parse_script_spec(a)) vi.notify_deleted_script = std::move(*s);
        });
        k.add("notify_priority_changes", own(kw::boolean(&Own::notify_priority_changes)));
        k.add("smtp_alert", own(kw::boolean(&Own::smtp_alert)));
        k.add("kernel_rx_buf_size", kw::integer(&VrrpInstance::kernel_rx_buf_size, 0,
                                                std::numeric_limits<std::int64_t>::max()));
        k.add("linkbeat_use_polling", [](const Args& a, VrrpInstance& vi) {
            if (!a.count(0, 0, "linkbeat_use_polling")) return;
            a.diags().warning(a.node().keyword.loc,
                              "linkbeat_use_polling: deprecated in vrrp_instance; use a "
                              "linkbeat_interfaces block");
            vi.linkbeat_use_polling = true;
        });
        k.add("lvs_sync_daemon_interface", [](const Args& a, VrrpInstance& vi) {
            if (!a.count(1, 1, "lvs_sync_daemon_interface <STRING>")) return;
            a.warning(0, "deprecated in vrrp_instance; use the global lvs_sync_daemon");
            vi.lvs_sync_daemon_interface = a.text(0);
        });
        k.unsupported({"use_vmac", "use_vmac_addr", "vmac_xmit_base", "use_ipvlan"},
                      "VMAC and ipvlan interfaces are not implemented: the virtual addresses go "
                      "on the instance's interface and gratuitous ARP moves them")
            .unsupported({"no_accept"},
                         "vigil installs no firewall rules: traffic to the virtual addresses is "
                         "accepted")
            .unsupported({"strict_mode"},
                         "its checks of the configuration apply, but no firewall rules are "
                         "installed and received adverts are checked as without it")
            .unsupported({"vrf"}, "the instance's addresses and routes stay in the main table")
            .unsupported({"track_bfd"}, "BFD is not implemented")
            .unsupported({"track_src_ip"}, "a lost source address is not tracked")
            .unsupported({"unicast_fault_no_peer"},
                         "an instance with no unicast peers is not put in FAULT for it")
            .unsupported({"garp_extra_if"}, "gratuitous ARP goes on the instance's interfaces only")
            .unsupported({"debug"}, "use vigild's -D and log levels")
            .unsupported({"notify_deleted"}, "this notify script is not run")
            .unsupported({"kernel_rx_buf_size"}, "vigil sizes its socket buffers itself")
            .unsupported({"lvs_sync_daemon_interface"},
                         "use the global lvs_sync_daemon, which vigil runs");
        return k;
    }();
    return t;
}

void catalogue_instance_tables(KeywordCatalogue& c) {
    catalogue(c, "vrrp_instance", vrrp_instance_table());
    catalogue(c, "authentication", authentication_table());
}

}  // namespace vigil::config::vrrp_detail
