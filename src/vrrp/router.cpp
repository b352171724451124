#include "vrrp/router.h"

#include <algorithm>
#include <cassert>

#include "vrrp/ah.h"

namespace vigil::vrrp {

std::string_view counter_key(RejectReason r) {
    switch (r) {
        case RejectReason::too_short:
            return "too_short";
        case RejectReason::bad_version:
            return "bad_version";
        case RejectReason::bad_type:
            return "bad_type";
        case RejectReason::bad_length:
            return "bad_length";
        case RejectReason::bad_checksum:
            return "bad_checksum";
        case RejectReason::bad_family:
            return "bad_family";
        case RejectReason::bad_auth_type:
            return "bad_auth_type";
        case RejectReason::bad_ip_header:
            return "bad_ip_header";
    }
    return "other";
}

std::string_view counter_key(InstanceReject r) {
    switch (r) {
        case InstanceReject::ttl:
            return "ttl";
        case InstanceReject::version_mismatch:
            return "version_mismatch";
        case InstanceReject::auth_type_mismatch:
            return "auth_type_mismatch";
        case InstanceReject::auth_failure:
            return "auth_failure";
        case InstanceReject::interval_mismatch:
            return "interval_mismatch";
        case InstanceReject::address_mismatch:
            return "address_mismatch";
        case InstanceReject::unknown_source:
            return "unknown_source";
        case InstanceReject::ttl_out_of_range:
            return "ttl_out_of_range";
    }
    return "other";
}

RouterInstance::RouterInstance(InstanceSettings s, int ifindex, IpAddress source,
                               std::uint32_t ah_sequence)
    : settings_(std::move(s)),
      fsm_([&] {
          InstanceConfig c = settings_.fsm;
          c.primary_address = source;
          return c;
      }()),
      ifindex_(ifindex),
      source_(source),
      ah_sent_(ah_sequence - 1) {}

void RouterInstance::reconfigure(InstanceSettings s) {
    assert(s.identity == settings_.identity);
    settings_ = std::move(s);
    InstanceConfig c = settings_.fsm;
    c.primary_address = source_;
    fsm_.reconfigure(std::move(c));
}

std::vector<Outbound> RouterInstance::build_adverts(std::uint8_t priority) {
    const auto& cfg = settings_.fsm;
    const auto& send = settings_.send;
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

    std::vector<IpAddress> destinations = send.unicast_peers;
    if (destinations.empty()) destinations.push_back(send.multicast_group);
    std::vector<Outbound> out;
    out.reserve(destinations.size());
    std::vector<std::byte> vrrp(encoded_size(a));
    for (const auto& dst : destinations) {
        if (dst.family() != a.family) continue;
        encode_advert(a, source_, dst, vrrp, send.v3_ipv4_checksum);
        Outbound o{a.family, source_, dst, {}};
        if (a.family == Family::inet6) {
            o.bytes = vrrp;
        } else {
            Ipv4Header h{source_, dst, ++ip_id_, send.ttl, 0xC0};
            if (h.id == 0) h.id = ++ip_id_;  // 0 would let the kernel choose it
            if (send.auth_type == AuthType::ah) {
                o.bytes.resize(ipv4_header_size + ah_header_size + vrrp.size());
                const std::span<const std::uint8_t> key(send.password.data(), send.password_size);
                o.bytes.resize(encode_ah_packet(vrrp, h, ++ah_sent_, key, o.bytes));
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
    const auto& id = i->settings().identity;
    index_[{i->ifindex(), id.family, id.vrid}] = i.get();
    instances_.push_back(std::move(i));
    return *instances_.back();
}

void Router::remove(std::string_view name) {
    const auto it = std::find_if(instances_.begin(), instances_.end(),
                                 [&](const auto& i) { return i->name() == name; });
    if (it == instances_.end()) return;
    const auto& id = (*it)->settings().identity;
    index_.erase({(*it)->ifindex(), id.family, id.vrid});
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

std::optional<Router::Delivery> Router::receive(int ifindex, Family family,
                                                std::span<const std::byte> data, const RxMeta& meta,
                                                Time now) {
    RxMeta m = meta;
    std::span<const std::byte> vrrp = data;
    bool ah = false;
    if (family == Family::inet) {
        auto ip = parse_ipv4(data);
        if (auto* r = std::get_if<Reject>(&ip)) {
            ++unattributed_[std::string(counter_key(r->reason))];
            return std::nullopt;
        }
        const auto& v = std::get<Ipv4View>(ip);
        m = RxMeta{v.source, v.destination, v.ttl};
        vrrp = v.payload;
        ah = v.protocol == ip_protocol_ah;
        if (ah) vrrp = vrrp.size() >= ah_header_size ? vrrp.subspan(ah_header_size) : vrrp.last(0);
    }
    // The VRID byte names the instance, so that even a malformed advert is counted where an
    // operator looks for it.
    if (vrrp.size() < 2) {
        ++unattributed_[std::string(counter_key(RejectReason::too_short))];
        return std::nullopt;
    }
    RouterInstance* ri = lookup(ifindex, family, static_cast<std::uint8_t>(vrrp[1]));
    if (ri == nullptr) {
        ++unknown_vrid_;
        return std::nullopt;
    }
    if (ah) {
        if (ri->settings().send.auth_type != AuthType::ah) {
            ri->count(counter_key(InstanceReject::auth_type_mismatch));
            return std::nullopt;
        }
        const auto& send = ri->settings().send;
        auto verified = verify_ah(data, {send.password.data(), send.password_size});
        if (auto* r = std::get_if<Reject>(&verified)) {
            ri->count(r->reason == RejectReason::bad_checksum ? ah_auth_key
                                                              : counter_key(r->reason));
            return std::nullopt;
        }
        const auto& v = std::get<AhVerified>(verified);
        // Anti-replay (RFC 2402 3.4.3): from the same sender the sequence must grow. A new
        // sender (or the same one restarted, once we have taken over) starts afresh.
        if (ri->ah_seen_ && ri->ah_seen_->first == m.source && v.sequence <= ri->ah_seen_->second) {
            ri->count(ah_replay_key);
            return std::nullopt;
        }
        vrrp = v.ip.payload;
        auto d = deliver(*ri, vrrp, m, true, now);
        if (d) ri->ah_seen_ = {m.source, v.sequence};
        return d;
    }
    if (ri->settings().send.auth_type == AuthType::ah) {
        ri->count(counter_key(InstanceReject::auth_type_mismatch));
        return std::nullopt;
    }
    return deliver(*ri, vrrp, m, false, now);
}

std::optional<Router::Delivery> Router::deliver(RouterInstance& ri, std::span<const std::byte> vrrp,
                                                const RxMeta& meta, bool via_ah, Time now) {
    auto parsed = parse_advert(vrrp, meta);
    if (auto* r = std::get_if<Reject>(&parsed)) {
        ri.count(counter_key(r->reason));
        return std::nullopt;
    }
    Advert& a = std::get<Parsed>(parsed).advert;
    // Over AH the VRRP header says auth type AH; the ICV was the authentication.
    if (via_ah && a.auth_type != AuthType::ah) {
        ri.count(counter_key(InstanceReject::auth_type_mismatch));
        return std::nullopt;
    }
    const bool same_master = ri.master_ && *ri.master_ == meta.source;
    if (auto r = check_received(a, meta, ri.settings().receive, same_master)) {
        ri.count(counter_key(*r));
        return std::nullopt;
    }
    Delivery d{&ri, ri.fsm_.on_advert(a, meta.source, now)};
    // The sender of the last accepted advert (a stopping master's priority 0 ends it).
    if (a.priority == stop_priority)
        ri.master_.reset();
    else
        ri.master_ = meta.source;
    return d;
}

}  // namespace vigil::vrrp
