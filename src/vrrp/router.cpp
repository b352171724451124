#include "vrrp/router.h"

#include <algorithm>
#include <cassert>

#include <fmt/format.h>

#include "vrrp/ah.h"

namespace vigil::vrrp {

namespace {

// Senders whose AH sequence numbers an instance remembers: the routers of its group. Only
// senders that know the key get here, so the bound only matters against a misconfiguration.
constexpr std::size_t max_ah_senders = 16;

}  // namespace

RxReject to_rx_reject(RejectReason r) {
    switch (r) {
        case RejectReason::too_short:
            return RxReject::too_short;
        case RejectReason::bad_version:
            return RxReject::bad_version;
        case RejectReason::bad_type:
            return RxReject::bad_type;
        case RejectReason::bad_length:
            return RxReject::bad_length;
        case RejectReason::bad_checksum:
            return RxReject::bad_checksum;
        case RejectReason::bad_family:
            return RxReject::bad_family;
        case RejectReason::bad_auth_type:
            return RxReject::bad_auth_type;
        case RejectReason::bad_ip_header:
            return RxReject::bad_ip_header;
    }
    return RxReject::bad_ip_header;
}

RxReject to_rx_reject(InstanceReject r) {
    switch (r) {
        case InstanceReject::ttl:
            return RxReject::ttl;
        case InstanceReject::version_mismatch:
            return RxReject::version_mismatch;
        case InstanceReject::auth_type_mismatch:
            return RxReject::auth_type_mismatch;
        case InstanceReject::auth_failure:
            return RxReject::auth_failure;
        case InstanceReject::interval_mismatch:
            return RxReject::interval_mismatch;
        case InstanceReject::address_mismatch:
            return RxReject::address_mismatch;
        case InstanceReject::unknown_source:
            return RxReject::unknown_source;
        case InstanceReject::ttl_out_of_range:
            return RxReject::ttl_out_of_range;
    }
    return RxReject::ttl;
}

std::string_view counter_key(RxReject r) {
    switch (r) {
        case RxReject::too_short:
            return "too_short";
        case RxReject::bad_version:
            return "bad_version";
        case RxReject::bad_type:
            return "bad_type";
        case RxReject::bad_length:
            return "bad_length";
        case RxReject::bad_checksum:
            return "bad_checksum";
        case RxReject::bad_family:
            return "bad_family";
        case RxReject::bad_auth_type:
            return "bad_auth_type";
        case RxReject::bad_ip_header:
            return "bad_ip_header";
        case RxReject::ttl:
            return "ttl";
        case RxReject::version_mismatch:
            return "version_mismatch";
        case RxReject::auth_type_mismatch:
            return "auth_type_mismatch";
        case RxReject::auth_failure:
            return "auth_failure";
        case RxReject::interval_mismatch:
            return "interval_mismatch";
        case RxReject::address_mismatch:
            return "address_mismatch";
        case RxReject::unknown_source:
            return "unknown_source";
        case RxReject::ttl_out_of_range:
            return "ttl_out_of_range";
        case RxReject::ah_replay:
            return "ah_replay";
        case RxReject::own_address:
            return "own_address";
        case RxReject::unknown_vrid:
            return "unknown_vrid";
    }
    return "other";
}

bool RxCounters::empty() const {
    return std::all_of(counts_.begin(), counts_.end(), [](std::uint64_t c) { return c == 0; });
}

RouterInstance::RouterInstance(InstanceSettings s, std::optional<Binding> binding)
    : settings_(std::move(s)),
      fsm_(settings_.fsm, binding ? binding->source : IpAddress{}),
      garp_(settings_.garp),
      binding_(binding) {
    if (!binding_) (void)fsm_.set_fault(FaultSource::unbound, true, Time{});
}

std::optional<Time> RouterInstance::next_deadline() const {
    const auto a = fsm_.next_deadline();
    const auto b = garp_.next_deadline();
    if (a && b) return std::min(*a, *b);
    return a ? a : b;
}

Effects RouterInstance::translate(Actions actions, Time now) {
    Effects out;
    out.reserve(actions.size());
    for (auto& action : actions) {
        std::visit(
            [&](auto& a) {
                using T = std::decay_t<decltype(a)>;
                if constexpr (std::is_same_v<T, SendGratuitous>) {
                    if (a.reason == GarpReason::lower_priority_master)
                        out.emplace_back(LowerPriorityMaster{});
                    const auto rounds = a.reason == GarpReason::became_master
                                            ? garp_.on_master(now)
                                            : garp_.on_lower_priority_advert(now);
                    if (rounds != 0) out.emplace_back(Announce{rounds});
                } else {
                    if constexpr (std::is_same_v<T, StateChange>)
                        if (a.from == State::master) garp_.on_leave_master();
                    out.emplace_back(std::move(a));
                }
            },
            action);
    }
    return out;
}

Effects RouterInstance::start(Time now, std::optional<Time> not_master_before) {
    return translate(fsm_.start(now, not_master_before), now);
}

Effects RouterInstance::stop(Time now, bool release) {
    return translate(fsm_.stop(now, release), now);
}

Effects RouterInstance::set_fault(FaultSource source, bool on, Time now) {
    return translate(fsm_.set_fault(source, on, now), now);
}

Effects RouterInstance::set_priority(std::uint8_t priority, Time now) {
    return translate(fsm_.set_priority(priority, now), now);
}

Effects RouterInstance::on_addresses_lost(Time now) {
    return translate(fsm_.on_addresses_lost(now), now);
}

Effects RouterInstance::on_timer(Time now) {
    Effects out;
    if (const auto d = fsm_.next_deadline(); d && *d <= now)
        out = translate(fsm_.on_timer(now), now);
    if (const auto d = garp_.next_deadline(); d && *d <= now)
        if (const auto rounds = garp_.on_timer(now); rounds != 0)
            out.emplace_back(Announce{rounds});
    return out;
}

void RouterInstance::reconfigure(InstanceSettings s, std::uint8_t priority, Time now) {
    assert(s.identity == settings_.identity);
    settings_ = std::move(s);
    InstanceConfig c = settings_.fsm;
    c.priority = priority;
    fsm_.reconfigure(c);
    garp_.set_policy(settings_.garp, now);
}

bool RouterInstance::ah_accept(const IpAddress& sender, std::uint32_t sequence) {
    auto it = ah_last_.find(sender);
    if (it != ah_last_.end() && sequence <= it->second) return false;
    if (it == ah_last_.end()) {
        if (ah_last_.size() >= max_ah_senders) ah_last_.erase(ah_last_.begin());
        it = ah_last_.emplace(sender, sequence).first;
    }
    it->second = sequence;
    ah_sequence_ = std::max(ah_sequence_, sequence);
    return true;
}

std::vector<Outbound> RouterInstance::build_adverts(std::uint8_t priority) {
    assert(binding_);
    const auto& cfg = settings_.fsm;
    const auto& send = settings_.send;
    const IpAddress& source = binding_->source;
    Advert a;
    a.version = cfg.version;
    a.vrid = cfg.vrid;
    a.priority = priority;
    a.interval = cfg.advert_interval;
    a.family = cfg.family;
    a.addresses = settings_.advertised;
    if (a.version == 2) {
        a.auth_type = send.auth_type;
        if (send.auth_type == AuthType::pass) a.auth_data = send.password;
    }
    const bool unicast = !send.unicast_peers.empty();
    std::vector<IpAddress> destinations = send.unicast_peers;
    if (destinations.empty()) destinations.push_back(send.multicast_group);
    // One sequence number per advert, whatever the number of peers (keepalived).
    if (send.auth_type == AuthType::ah) ++ah_sequence_;
    std::vector<Outbound> out;
    out.reserve(destinations.size());
    std::vector<std::byte> vrrp(encoded_size(a));
    for (const auto& dst : destinations) {
        if (dst.family() != a.family) continue;
        encode_advert(a, source, dst, vrrp, send.v3_ipv4_checksum, send.multicast_group);
        Outbound o{a.family, source, dst, {}};
        if (a.family == Family::inet6) {
            o.bytes = vrrp;
        } else {
            Ipv4Header h{source, dst, ++ip_id_, send.ttl, 0xC0};
            if (h.id == 0) h.id = ++ip_id_;  // 0 would let the kernel choose it
            if (send.auth_type == AuthType::ah) {
                o.bytes.resize(ipv4_header_size + ah_header_size + vrrp.size());
                const std::span<const std::uint8_t> key(send.password.data(), send.password_size);
                o.bytes.resize(encode_ah_packet(vrrp, h, ah_sequence_, key, unicast, o.bytes));
            } else {
                o.bytes.resize(ipv4_header_size + vrrp.size());
                o.bytes.resize(encode_ipv4_packet(vrrp, h, o.bytes));
            }
        }
        out.push_back(std::move(o));
    }
    return out;
}

RouterInstance& Router::add(std::unique_ptr<RouterInstance> i) {
    instances_.push_back(std::move(i));
    RouterInstance& ri = *instances_.back();
    if (ri.binding_) {
        const auto& id = ri.settings().identity;
        index_[{ri.binding_->ifindex, id.family, id.vrid}] = &ri;
    }
    return ri;
}

void Router::bind(RouterInstance& ri, std::optional<Binding> b) {
    const auto& id = ri.settings().identity;
    if (ri.binding_) {
        auto it = index_.find({ri.binding_->ifindex, id.family, id.vrid});
        if (it != index_.end() && it->second == &ri) index_.erase(it);
    }
    ri.binding_ = b;
    if (b) {
        index_[{b->ifindex, id.family, id.vrid}] = &ri;
        ri.fsm_.set_primary_address(b->source);
    }
}

void Router::remove(std::string_view name) {
    const auto it = std::find_if(instances_.begin(), instances_.end(),
                                 [&](const auto& i) { return i->name() == name; });
    if (it == instances_.end()) return;
    bind(**it, std::nullopt);
    instances_.erase(it);
}

RouterInstance* Router::find(std::string_view name) {
    for (auto& i : instances_)
        if (i->name() == name) return i.get();
    return nullptr;
}

RouterInstance* Router::lookup(int ifindex, Family f, std::uint8_t vrid) const {
    if (auto it = index_.find({ifindex, f, vrid}); it != index_.end()) return it->second;
    // An instance not bound to an interface hears its VRID on any of them.
    if (auto it = index_.find({0, f, vrid}); it != index_.end()) return it->second;
    return nullptr;
}

Router::Reception Router::reject(RxReject r, RouterInstance* ri, const IpAddress& sender,
                                 std::string detail) {
    if (ri != nullptr)
        ri->count(r);
    else
        unattributed_.count(r);
    return Rejected{r, ri, sender, std::move(detail)};
}

Router::Reception Router::receive(int ifindex, Family family, std::span<const std::byte> data,
                                  const RxMeta& meta, Time now) {
    RxMeta m = meta;
    std::span<const std::byte> vrrp = data;
    bool ah = false;
    if (family == Family::inet) {
        auto ip = parse_ipv4(data);
        if (auto* r = std::get_if<Reject>(&ip))
            return reject(to_rx_reject(r->reason), nullptr, {}, r->detail);
        const auto& v = std::get<Ipv4View>(ip);
        m = RxMeta{v.source, v.destination, v.ttl, std::nullopt};
        vrrp = v.payload;
        ah = v.protocol == ip_protocol_ah;
        if (ah) vrrp = vrrp.size() >= ah_header_size ? vrrp.subspan(ah_header_size) : vrrp.last(0);
    }
    // The VRID byte names the instance, so that even a malformed advert is counted where an
    // operator looks for it.
    if (vrrp.size() < 2) return reject(RxReject::too_short, nullptr, m.source, "no VRID");
    RouterInstance* ri = lookup(ifindex, family, static_cast<std::uint8_t>(vrrp[1]));
    if (ri == nullptr)
        return reject(RxReject::unknown_vrid, nullptr, m.source,
                      fmt::format("VRID {}", static_cast<unsigned>(vrrp[1])));
    const auto& send = ri->settings().send;
    if (ah != (send.auth_type == AuthType::ah))
        return reject(RxReject::auth_type_mismatch, ri, m.source,
                      ah ? "AH header but the instance does not use AH"
                         : "no AH header but the instance uses AH");
    if (ah) {
        const bool unicast = !send.unicast_peers.empty();
        auto verified = verify_ah(data, {send.password.data(), send.password_size}, unicast);
        if (auto* r = std::get_if<Reject>(&verified))
            return reject(r->reason == RejectReason::bad_checksum ? RxReject::auth_failure
                                                                  : to_rx_reject(r->reason),
                          ri, m.source, r->detail);
        const auto& v = std::get<AhVerified>(verified);
        return deliver(*ri, v.ip.payload, m, v.sequence, now);
    }
    return deliver(*ri, vrrp, m, std::nullopt, now);
}

Router::Reception Router::deliver(RouterInstance& ri, std::span<const std::byte> vrrp, RxMeta meta,
                                  std::optional<std::uint32_t> ah_sequence, Time now) {
    const auto& s = ri.settings();
    // keepalived's old unicast checksum: the group in the pseudo-header, accepted from peers.
    if (!s.send.unicast_peers.empty()) meta.group = s.send.multicast_group;
    auto parsed = parse_advert(vrrp, meta);
    if (auto* r = std::get_if<Reject>(&parsed))
        return reject(to_rx_reject(r->reason), &ri, meta.source, r->detail);
    Advert& a = std::get<Parsed>(parsed).advert;
    // Over AH the VRRP header says auth type AH; the ICV was the authentication.
    if (ah_sequence && a.auth_type != AuthType::ah)
        return reject(RxReject::auth_type_mismatch, &ri, meta.source, "AH, but not in the advert");
    // Our own adverts never come back (no multicast loop); one that claims our address is
    // forged or misrouted, and must not count as another master.
    if (ri.binding_ && meta.source == ri.binding_->source)
        return reject(RxReject::own_address, &ri, meta.source, "sent from our own address");
    const bool same_master = ri.master_address() && *ri.master_address() == meta.source;
    if (auto r = check_received(a, meta, s.receive, same_master))
        return reject(to_rx_reject(*r), &ri, meta.source, std::string(to_string(*r)));
    // The sequence number is taken last, once the advert passed every other check, so that
    // a dropped packet changes nothing.
    if (ah_sequence && !ri.ah_accept(meta.source, *ah_sequence))
        return reject(RxReject::ah_replay, &ri, meta.source,
                      fmt::format("AH sequence number {} used already", *ah_sequence));
    return Delivered{&ri, ri.translate(ri.fsm_.on_advert(a, meta.source, now), now)};
}

}  // namespace vigil::vrrp
