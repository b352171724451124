#include "vrrp/receive_check.h"

#include <algorithm>

namespace vigil::vrrp {

std::string_view to_string(InstanceReject r) {
    switch (r) {
        case InstanceReject::ttl:
            return "TTL/hop limit is not 255";
        case InstanceReject::version_mismatch:
            return "VRRP version mismatch";
        case InstanceReject::auth_type_mismatch:
            return "authentication type mismatch";
        case InstanceReject::auth_failure:
            return "authentication failure";
        case InstanceReject::interval_mismatch:
            return "advertisement interval mismatch";
        case InstanceReject::address_mismatch:
            return "address list mismatch";
        case InstanceReject::unknown_source:
            return "source is not a unicast peer";
        case InstanceReject::ttl_out_of_range:
            return "TTL outside the peer's min_ttl/max_ttl";
    }
    return "?";
}

namespace {

bool same_addresses(std::vector<IpAddress> a, std::vector<IpAddress> b) {
    if (a.size() != b.size()) return false;
    std::sort(a.begin(), a.end());
    std::sort(b.begin(), b.end());
    return a == b;
}

}  // namespace

std::optional<InstanceReject> check_received(const Advert& a, const RxMeta& meta,
                                             const ReceivePolicy& p, bool same_master) {
    // RFC 5798 7.1: a multicast advert MUST arrive with TTL / hop limit 255, which proves it
    // was not routed. Unicast adverts may be routed: their TTL is checked only against the
    // peer's configured range.
    if (!p.unicast && meta.ttl != 255) return InstanceReject::ttl;
    if (a.version != p.version) return InstanceReject::version_mismatch;
    if (p.unicast) {
        const auto peer = std::find_if(p.peers.begin(), p.peers.end(),
                                       [&](const auto& r) { return r.address == meta.source; });
        const bool ttl_rules = std::any_of(p.peers.begin(), p.peers.end(),
                                           [](const auto& r) { return r.min_ttl || r.max_ttl; });
        if ((p.check_unicast_src || ttl_rules) && peer == p.peers.end())
            return InstanceReject::unknown_source;
        if (peer != p.peers.end() && ((peer->min_ttl && meta.ttl < *peer->min_ttl) ||
                                      (peer->max_ttl && meta.ttl > *peer->max_ttl)))
            return InstanceReject::ttl_out_of_range;
    }
    if (a.version == 2) {
        // RFC 3768 7.1: the authentication type and the advertisement interval MUST match.
        if (a.auth_type != p.auth_type) return InstanceReject::auth_type_mismatch;
        if (a.auth_type == AuthType::pass && a.auth_data != p.auth_data)
            return InstanceReject::auth_failure;
        if (a.interval != p.advert_interval) return InstanceReject::interval_mismatch;
    }
    // VRRPv3 learns the master's interval instead (RFC 5798 6.4.2).
    if (!(p.skip_check_adv_addr && same_master) && !same_addresses(a.addresses, p.vips))
        return InstanceReject::address_mismatch;
    return std::nullopt;
}

}  // namespace vigil::vrrp
