#include "vrrp/settings.h"

#include <algorithm>

namespace vigil::vrrp {

namespace {

AuthType auth_type_of(const config::VrrpInstance& vi) {
    if (!vi.authentication || vi.version != 2) return AuthType::none;
    switch (vi.authentication->type) {
        case config::AuthType::none:
            return AuthType::none;
        case config::AuthType::pass:
            return AuthType::pass;
        case config::AuthType::ah:
            return AuthType::ah;
    }
    return AuthType::none;
}

}  // namespace

InstanceSettings make_settings(const config::VrrpInstance& vi, const config::GlobalDefs& g) {
    InstanceSettings s;
    s.name = vi.name;
    const std::uint8_t version = vi.version;
    s.identity = {vi.interface, vi.virtual_router_id, vi.family, vi.unicast()};

    InstanceConfig& f = s.fsm;
    f.name = vi.name;
    f.vrid = vi.virtual_router_id;
    f.priority = vi.priority;
    f.version = version;
    f.family = vi.family;
    f.advert_interval = vi.advert_interval;
    f.preempt = vi.preempt;
    f.preempt_delay = vi.preempt_delay;
    f.down_timer_adverts = vi.down_timer_adverts;
    f.lower_prio_no_advert = vi.lower_prio_no_advert;
    f.higher_prio_send_advert = vi.higher_prio_send_advert;
    f.initial_master = vi.state == config::InitialState::master;

    s.garp.master_delay = vi.garp_master_delay;
    s.garp.master_repeat = vi.garp_master_repeat;
    s.garp.lower_prio_delay = vi.garp_lower_prio_delay;
    s.garp.lower_prio_repeat = vi.garp_lower_prio_repeat;
    s.garp.refresh = vi.garp_master_refresh;
    s.garp.refresh_repeat = vi.garp_master_refresh_repeat;

    for (const auto& a : vi.virtual_ipaddresses)
        if (a.address.address.family() == vi.family) s.advertised.push_back(a.address.address);
    // An advert carries at most 255 addresses; keepalived sends the first ones.
    if (s.advertised.size() > max_addresses) s.advertised.resize(max_addresses);

    SendSettings& out = s.send;
    out.source = vi.mcast_src_ip;
    out.multicast_group = vi.mcast_dst_ip;
    for (const auto& p : vi.unicast_peers) out.unicast_peers.push_back(p.address);
    if (vi.unicast()) out.ttl = vi.unicast_ttl;
    out.auth_type = auth_type_of(vi);
    if (out.auth_type != AuthType::none) {
        const auto& pw = vi.authentication->password;
        out.password_size = std::min(pw.size(), v2_auth_size);
        std::copy_n(pw.begin(), out.password_size, out.password.begin());
    }
    // keepalived's form before 1.3.6: the group in the pseudo-header instead of the peer.
    if (vi.unicast() && vi.old_unicast_checksum == config::OldUnicastChecksum::on)
        out.v3_ipv4_checksum = ChecksumForm::group_destination;

    ReceivePolicy& r = s.receive;
    r.version = version;
    r.unicast = vi.unicast();
    r.auth_type = out.auth_type;
    // PASS compares the password field; with AH the VRRP auth data is zero.
    if (out.auth_type == AuthType::pass) r.auth_data = out.password;
    r.advert_interval = vi.advert_interval;
    r.vips = s.advertised;
    r.skip_check_adv_addr = vi.skip_check_adv_addr;
    r.check_unicast_src = vi.check_unicast_src || g.vrrp_check_unicast_src;
    for (const auto& p : vi.unicast_peers) {
        r.peers.push_back({p.address, p.min_ttl, p.max_ttl});
    }
    return s;
}

}  // namespace vigil::vrrp
