#include "check/virtual_server_state.h"

#include <fmt/format.h>

#include <cassert>
#include <utility>

namespace vigil::check {

namespace {

// A range like 192.0.2.1-10 changes the last byte (IPv4) or the last group (IPv6) only, so it
// has at most 65536 addresses; this bound only guards against a model built by hand.
constexpr std::size_t max_range_addresses = 65536;

std::string describe(const config::VirtualServer& vs) {
    switch (vs.kind) {
        case config::VirtualServer::Kind::address:
            return fmt::format(
                "{}:{}",
                vs.address.is_v6() ? "[" + vs.address.to_string() + "]" : vs.address.to_string(),
                vs.port);
        case config::VirtualServer::Kind::fwmark:
            return fmt::format("fwmark {}", vs.fwmark);
        case config::VirtualServer::Kind::group:
            return fmt::format("group {}", vs.group);
    }
    return "?";
}

ipvs::Service service_for(const config::VirtualServer& vs) {
    ipvs::Service s;
    s.scheduler = std::string(scheduler_name(vs.lvs_sched));
    // keepalived's sh-/mh- names are aliases of the kernel's scheduler flags 1 and 2.
    s.sched_flag_1 = vs.flag_1 || vs.sh_fallback || vs.mh_fallback;
    s.sched_flag_2 = vs.flag_2 || vs.sh_port || vs.mh_port;
    s.sched_flag_3 = vs.flag_3;
    s.one_packet = vs.ops;
    if (vs.persistence_timeout) {
        ipvs::Persistence p;
        p.timeout_s = *vs.persistence_timeout;
        p.netmask = vs.family == Family::inet ? 0xffffffffU : 128U;
        if (const auto& g = vs.persistence_granularity) {
            p.netmask = g->family == Family::inet ? g->netmask.v4_host_order() : g->prefix_len;
        }
        p.engine = vs.persistence_engine;
        s.persistence = p;
    }
    return s;
}

std::vector<ipvs::ServiceKey> keys_for(const config::VirtualServer& vs,
                                       const config::VirtualServerGroup* group) {
    // Resolved for every service that has addresses (a fwmark service has no protocol).
    const auto protocol = [&vs] { return to_ipvs(vs.protocol.value()); };
    std::vector<ipvs::ServiceKey> keys;
    switch (vs.kind) {
        case config::VirtualServer::Kind::address:
            keys.push_back(ipvs::ServiceKey::for_address(protocol(), vs.address, vs.port));
            break;
        case config::VirtualServer::Kind::fwmark:
            keys.push_back(ipvs::ServiceKey::for_fwmark(vs.family, vs.fwmark));
            break;
        case config::VirtualServer::Kind::group:
            if (group == nullptr) break;
            for (const auto& r : group->ranges) {
                IpAddress a = r.first;
                for (std::size_t n = 0; n < max_range_addresses; ++n) {
                    keys.push_back(ipvs::ServiceKey::for_address(protocol(), a, r.port));
                    if (a == r.last) break;
                    a = a.offset(1);
                }
            }
            for (const auto& f : group->fwmarks)
                keys.push_back(
                    ipvs::ServiceKey::for_fwmark(f.family.value_or(vs.family), f.fwmark));
            break;
    }
    return keys;
}

}  // namespace

std::string_view scheduler_name(config::LvsScheduler s) {
    switch (s) {
        case config::LvsScheduler::rr:
            return "rr";
        case config::LvsScheduler::wrr:
            return "wrr";
        case config::LvsScheduler::lc:
            return "lc";
        case config::LvsScheduler::wlc:
            return "wlc";
        case config::LvsScheduler::lblc:
            return "lblc";
        case config::LvsScheduler::sh:
            return "sh";
        case config::LvsScheduler::mh:
            return "mh";
        case config::LvsScheduler::dh:
            return "dh";
        case config::LvsScheduler::fo:
            return "fo";
        case config::LvsScheduler::ovf:
            return "ovf";
        case config::LvsScheduler::lblcr:
            return "lblcr";
        case config::LvsScheduler::sed:
            return "sed";
        case config::LvsScheduler::nq:
            return "nq";
        case config::LvsScheduler::twos:
            return "twos";
    }
    return "wlc";
}

ipvs::Protocol to_ipvs(config::LvsProtocol p) {
    switch (p) {
        case config::LvsProtocol::tcp:
            return ipvs::Protocol::tcp;
        case config::LvsProtocol::udp:
            return ipvs::Protocol::udp;
        case config::LvsProtocol::sctp:
            return ipvs::Protocol::sctp;
    }
    return ipvs::Protocol::tcp;
}

ipvs::Destination destination_for(const config::ForwardingMethod& m) {
    using M = config::ForwardingMethod;
    ipvs::Destination d;
    switch (m.kind) {
        case M::Kind::nat:
            d.forwarding = ipvs::Forwarding::masq;
            return d;
        case M::Kind::dr:
            d.forwarding = ipvs::Forwarding::droute;
            return d;
        case M::Kind::tun:
            d.forwarding = ipvs::Forwarding::tunnel;
            break;
    }
    switch (m.tunnel) {
        case M::Tunnel::ipip:
            d.tunnel_type = ipvs::TunnelType::ipip;
            return d;  // no port, no checksum options
        case M::Tunnel::gue:
            d.tunnel_type = ipvs::TunnelType::gue;
            d.tunnel_port = m.tunnel_port;
            break;
        case M::Tunnel::gre:
            d.tunnel_type = ipvs::TunnelType::gre;
            break;
    }
    switch (m.checksum) {
        case M::Checksum::nocsum:
            d.tunnel_checksum = ipvs::TunnelChecksum::nocsum;
            break;
        case M::Checksum::csum:
            d.tunnel_checksum = ipvs::TunnelChecksum::csum;
            break;
        case M::Checksum::remcsum:
            d.tunnel_checksum = ipvs::TunnelChecksum::remcsum;
            break;
    }
    return d;
}

VirtualServerState::VirtualServerState(const config::VirtualServer& vs,
                                       const config::VirtualServerGroup* group,
                                       std::vector<RealServerStatus> initial)
    : name_(describe(vs)),
      keys_(keys_for(vs, group)),
      service_(service_for(vs)),
      status_(std::move(initial)),
      ha_suspend_(vs.ha_suspend),
      omega_(vs.omega),
      quorum_(vs.quorum),
      hysteresis_(vs.hysteresis) {
    assert(status_.size() == vs.real_servers.size());
    status_.resize(vs.real_servers.size());
    for (const auto& rs : vs.real_servers) {
        Member m{rs.address, rs.port, destination_for(rs.effective_lvs_method)};
        m.destination.u_threshold = rs.uthreshold;
        m.destination.l_threshold = rs.lthreshold;
        real_servers_.push_back(m);
        inhibit_.push_back(rs.effective_inhibit_on_failure);
    }
    if (vs.sorry_server) {
        const auto& s = *vs.sorry_server;
        sorry_ = Member{s.address, s.port, destination_for(s.effective_lvs_method)};
        sorry_inhibit_ = s.inhibit;
    }
}

VsActions VirtualServerState::start() {
    VsActions out;
    evaluate_quorum(out);
    return out;
}

VsActions VirtualServerState::set_real_server(std::size_t index, RealServerStatus status) {
    assert(index < status_.size());
    VsActions out;
    if (stopped_) return out;
    status_.at(index) = status;
    evaluate_quorum(out);
    return out;
}

VsActions VirtualServerState::apply(std::size_t index, const ServerEvents& events) {
    assert(index < status_.size());
    RealServerStatus s = status_.at(index);
    for (const auto& e : events) {
        if (std::holds_alternative<ServerUp>(e)) s.up = true;
        if (std::holds_alternative<ServerDown>(e)) s.up = false;
        if (const auto* w = std::get_if<ServerWeightChanged>(&e)) s.weight = w->weight;
    }
    return set_real_server(index, s);
}

void VirtualServerState::set_local_address(const IpAddress& address, bool present) {
    if (present)
        local_addresses_.insert(address);
    else
        local_addresses_.erase(address);
}

VsActions VirtualServerState::shutdown() {
    VsActions out;
    if (stopped_) return out;
    stopped_ = true;
    if (!omega_) return out;
    for (std::size_t i = 0; i < status_.size(); ++i)
        if (status_.at(i).up) out.emplace_back(NotifyRealServerDown{i, "shutdown (omega)"});
    if (quorum_up_) {
        quorum_up_ = false;
        out.emplace_back(QuorumChanged{false, alive_weight(), "shutdown (omega)"});
    }
    return out;
}

bool VirtualServerState::suspended() const {
    if (!ha_suspend_) return false;
    for (const auto& k : keys_)
        if (service_present(k)) return false;
    return !keys_.empty();
}

std::int64_t VirtualServerState::alive_weight() const {
    std::int64_t sum = 0;
    for (const auto& s : status_)
        if (s.up) sum += s.weight;
    return sum;
}

void VirtualServerState::evaluate_quorum(VsActions& out) {
    const std::int64_t alive = alive_weight();
    if (quorum_up_) {
        const std::int64_t floor = quorum_ - hysteresis_;
        if (alive != 0 && alive >= floor) return;
        quorum_up_ = false;
        out.emplace_back(QuorumChanged{false, alive,
                                       fmt::format("lost quorum: alive weight {} < {}-{} for VS {}",
                                                   alive, quorum_, hysteresis_, name_)});
        if (sorry_ && !sorry_active_) {
            sorry_active_ = true;
            out.emplace_back(SorryServerChanged{true});
        }
        return;
    }
    const std::int64_t ceiling = quorum_ + hysteresis_;
    if (alive == 0 || alive < ceiling) return;
    quorum_up_ = true;
    if (sorry_active_) {
        sorry_active_ = false;
        out.emplace_back(SorryServerChanged{false});
    }
    out.emplace_back(QuorumChanged{true, alive,
                                   fmt::format("gained quorum: alive weight {} >= {}+{} for VS {}",
                                               alive, quorum_, hysteresis_, name_)});
}

bool VirtualServerState::service_present(const ipvs::ServiceKey& key) const {
    if (!ha_suspend_ || key.is_fwmark()) return true;
    return local_addresses_.contains(key.address);
}

void VirtualServerState::add_member(const Member& m, std::uint32_t weight,
                                    const ipvs::ServiceKey& key, ipvs::Service& service) const {
    ipvs::Destination d = m.destination;
    d.weight = weight;
    service.destinations.insert_or_assign(
        ipvs::DestinationKey{m.address, m.port != 0 ? m.port : key.port}, d);
}

void VirtualServerState::add_desired(ipvs::DesiredState& into) const {
    if (stopped_) return;
    for (const auto& key : keys_) {
        if (!service_present(key) || into.services.contains(key)) continue;
        ipvs::Service service = service_;
        for (std::size_t i = 0; i < real_servers_.size(); ++i) {
            // With the sorry server in, the real servers still up step aside too.
            const bool serving = status_.at(i).up && !sorry_active_;
            if (serving)
                add_member(real_servers_.at(i), status_.at(i).weight, key, service);
            else if (inhibit_.at(i))
                add_member(real_servers_.at(i), 0, key, service);
        }
        if (sorry_) {
            if (sorry_active_)
                add_member(*sorry_, 1, key, service);
            else if (sorry_inhibit_)
                add_member(*sorry_, 0, key, service);
        }
        into.services.emplace(key, std::move(service));
    }
}

ipvs::DesiredState desired_state(const std::vector<VirtualServerState>& virtual_servers) {
    ipvs::DesiredState state;
    for (const auto& vs : virtual_servers) vs.add_desired(state);
    return state;
}

}  // namespace vigil::check
