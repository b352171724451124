#include "ipvs/desired.h"

#include <fmt/format.h>

#include <array>

namespace vigil::ipvs {

std::string_view to_string(Protocol p) {
    switch (p) {
        case Protocol::tcp:
            return "TCP";
        case Protocol::udp:
            return "UDP";
        case Protocol::sctp:
            return "SCTP";
    }
    return "?";
}

namespace {

std::string_view to_string(Forwarding f) {
    switch (f) {
        case Forwarding::masq:
            return "Masq";
        case Forwarding::droute:
            return "Route";
        case Forwarding::tunnel:
            return "Tunnel";
    }
    return "?";
}

std::string_view to_string(TunnelType t) {
    switch (t) {
        case TunnelType::ipip:
            return "ipip";
        case TunnelType::gue:
            return "gue";
        case TunnelType::gre:
            return "gre";
    }
    return "?";
}

std::string_view to_string(TunnelChecksum c) {
    switch (c) {
        case TunnelChecksum::nocsum:
            return "nocsum";
        case TunnelChecksum::csum:
            return "csum";
        case TunnelChecksum::remcsum:
            return "remcsum";
    }
    return "?";
}

std::string endpoint(const IpAddress& a, std::uint16_t port) {
    if (a.is_v6()) return fmt::format("[{}]:{}", a.to_string(), port);
    return fmt::format("{}:{}", a.to_string(), port);
}

}  // namespace

ServiceKey ServiceKey::for_address(Protocol protocol, const IpAddress& address,
                                   std::uint16_t port) {
    ServiceKey k;
    k.family = address.family();
    k.protocol = protocol;
    k.address = address;
    k.port = port;
    return k;
}

ServiceKey ServiceKey::for_fwmark(Family family, std::uint32_t fwmark) {
    ServiceKey k;
    k.family = family;
    k.fwmark = fwmark;
    // A zero address of the service's family, so that two keys differing only in a stale
    // address never compare unequal.
    k.address = family == Family::inet ? IpAddress::v4(0) : IpAddress::v6({});
    return k;
}

std::string ServiceKey::to_string() const {
    if (is_fwmark())
        return fmt::format("FWM  {} {}", fwmark, family == Family::inet ? "IPv4" : "IPv6");
    return fmt::format("{:<4} {}", ipvs::to_string(protocol), endpoint(address, port));
}

std::string DestinationKey::to_string() const {
    return endpoint(address, port);
}

std::string scheduler_flags(const Service& s) {
    // ipvsadm names flags 1 and 2 after the scheduler that gives them a meaning.
    std::array<std::string, 3> names{"flag-1", "flag-2", "flag-3"};
    if (s.scheduler == "sh" || s.scheduler == "mh") {
        names[0] = s.scheduler + "-fallback";
        names[1] = s.scheduler + "-port";
    }
    const std::array<bool, 3> set{s.sched_flag_1, s.sched_flag_2, s.sched_flag_3};
    std::string out;
    for (std::size_t i = 0; i < set.size(); ++i) {
        if (!set.at(i)) continue;
        if (!out.empty()) out += ',';
        out += names.at(i);
    }
    return out;
}

std::string to_string(const Destination& d) {
    std::string out{to_string(d.forwarding)};
    if (d.forwarding == Forwarding::tunnel) {
        out += fmt::format(" type {}", to_string(d.tunnel_type));
        if (d.tunnel_type == TunnelType::gue) out += fmt::format(" port {}", d.tunnel_port);
        if (d.tunnel_type != TunnelType::ipip)
            out += fmt::format(" {}", to_string(d.tunnel_checksum));
    }
    out += fmt::format(" weight {}", d.weight);
    if (d.u_threshold != 0) out += fmt::format(" uthreshold {}", d.u_threshold);
    if (d.l_threshold != 0) out += fmt::format(" lthreshold {}", d.l_threshold);
    return out;
}

std::string to_string(const ServiceKey& key, const Service& s) {
    std::string out = fmt::format("{} {}", key.to_string(), s.scheduler);
    if (const auto flags = scheduler_flags(s); !flags.empty()) out += fmt::format(" ({})", flags);
    if (s.persistence) {
        out += fmt::format(" persistent {}", s.persistence->timeout_s);
        if (key.family == Family::inet) {
            if (s.persistence->netmask != 0xffffffffU)
                out += fmt::format(" mask {}", IpAddress::v4(s.persistence->netmask).to_string());
        } else if (s.persistence->netmask != 128) {
            out += fmt::format(" mask {}", s.persistence->netmask);
        }
        if (!s.persistence->engine.empty()) out += fmt::format(" pe {}", s.persistence->engine);
    }
    if (s.one_packet) out += " ops";
    out += '\n';
    for (const auto& [dkey, dest] : s.destinations)
        out += fmt::format("  -> {:<28} {}\n", dkey.to_string(), to_string(dest));
    return out;
}

std::string to_string(const DesiredState& state) {
    std::string out;
    for (const auto& [key, service] : state.services) out += to_string(key, service);
    return out;
}

}  // namespace vigil::ipvs
