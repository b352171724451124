#include "ipvs/ops.h"

#include <fmt/format.h>

namespace vigil::ipvs {

std::string_view to_string(SyncRole r) {
    switch (r) {
        case SyncRole::master:
            return "master";
        case SyncRole::backup:
            return "backup";
    }
    return "?";
}

namespace {

// ipvsadm writes an IPv6 address in brackets whenever a port may follow it.
std::string endpoint(const IpAddress& a, std::uint16_t port) {
    auto host = a.is_v6() ? fmt::format("[{}]", a.to_string()) : a.to_string();
    // A fwmark service's real servers may have no port of their own.
    if (port == 0) return host;
    return fmt::format("{}:{}", host, port);
}

// "-t 192.0.2.10:80", "-f 7 -6".
std::string service_args(const ServiceKey& key) {
    if (key.is_fwmark())
        return fmt::format("-f {}{}", key.fwmark, key.family == Family::inet6 ? " -6" : "");
    std::string_view flag;
    switch (key.protocol) {
        case Protocol::tcp:
            flag = "-t";
            break;
        case Protocol::udp:
            flag = "-u";
            break;
        case Protocol::sctp:
            flag = "--sctp-service";
            break;
    }
    return fmt::format("{} {}", flag, endpoint(key.address, key.port));
}

// "-s wlc -b sh-port -p 360 -M 255.255.255.0 --pe sip -o".
std::string service_attribute_args(const ServiceKey& key, const Service& s) {
    std::string out = fmt::format("-s {}", s.scheduler);
    if (const auto flags = scheduler_flags(s); !flags.empty()) out += fmt::format(" -b {}", flags);
    if (s.persistence) {
        out += fmt::format(" -p {}", s.persistence->timeout_s);
        if (key.family == Family::inet) {
            if (s.persistence->netmask != 0xffffffffU)
                out += fmt::format(" -M {}", IpAddress::v4(s.persistence->netmask).to_string());
        } else if (s.persistence->netmask != 128) {
            out += fmt::format(" -M {}", s.persistence->netmask);
        }
        if (!s.persistence->engine.empty()) out += fmt::format(" --pe {}", s.persistence->engine);
    }
    if (s.one_packet) out += " -o";
    return out;
}

std::string_view tunnel_type_name(TunnelType t) {
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

std::string_view tunnel_checksum_flag(TunnelChecksum c) {
    switch (c) {
        case TunnelChecksum::nocsum:
            return "--tun-nocsum";
        case TunnelChecksum::csum:
            return "--tun-csum";
        case TunnelChecksum::remcsum:
            return "--tun-remcsum";
    }
    return "?";
}

// "-m -w 1", "-i --tun-type gue --tun-port 6080 --tun-csum -w 2 -x 100 -y 10".
std::string destination_args(const Destination& d) {
    std::string out;
    switch (d.forwarding) {
        case Forwarding::masq:
            out = "-m";
            break;
        case Forwarding::droute:
            out = "-g";
            break;
        case Forwarding::tunnel:
            out = "-i";
            // ipip is ipvsadm's default type, and the checksum options only apply to the others.
            if (d.tunnel_type != TunnelType::ipip) {
                out += fmt::format(" --tun-type {}", tunnel_type_name(d.tunnel_type));
                if (d.tunnel_type == TunnelType::gue)
                    out += fmt::format(" --tun-port {}", d.tunnel_port);
                out += fmt::format(" {}", tunnel_checksum_flag(d.tunnel_checksum));
            }
            break;
    }
    out += fmt::format(" -w {}", d.weight);
    if (d.u_threshold != 0) out += fmt::format(" -x {}", d.u_threshold);
    if (d.l_threshold != 0) out += fmt::format(" -y {}", d.l_threshold);
    return out;
}

}  // namespace

std::string to_string(const AddService& op) {
    return fmt::format("-A {} {}", service_args(op.key),
                       service_attribute_args(op.key, op.service));
}

std::string to_string(const EditService& op) {
    return fmt::format("-E {} {}", service_args(op.key),
                       service_attribute_args(op.key, op.service));
}

std::string to_string(const DelService& op) {
    return fmt::format("-D {}", service_args(op.key));
}

std::string to_string(const AddDest& op) {
    return fmt::format("-a {} -r {} {}", service_args(op.service),
                       endpoint(op.key.address, op.key.port), destination_args(op.destination));
}

std::string to_string(const EditDest& op) {
    return fmt::format("-e {} -r {} {}", service_args(op.service),
                       endpoint(op.key.address, op.key.port), destination_args(op.destination));
}

std::string to_string(const DelDest& op) {
    return fmt::format("-d {} -r {}", service_args(op.service),
                       endpoint(op.key.address, op.key.port));
}

std::string to_string(const Flush& /*op*/) {
    return "-C";
}

std::string to_string(const StartDaemon& op) {
    const auto& c = op.config;
    std::string out = fmt::format("--start-daemon {} --mcast-interface {} --syncid {}",
                                  to_string(op.role), c.interface, c.syncid);
    if (c.maxlen) out += fmt::format(" --sync-maxlen {}", *c.maxlen);
    out += fmt::format(" --mcast-group {} --mcast-port {}", c.group.to_string(), c.port);
    if (c.ttl) out += fmt::format(" --mcast-ttl {}", *c.ttl);
    return out;
}

std::string to_string(const StopDaemon& op) {
    return fmt::format("--stop-daemon {}", to_string(op.role));
}

std::string to_string(const SetTimeouts& op) {
    const auto secs = [](const std::optional<std::chrono::seconds>& v) {
        return v ? std::to_string(v->count()) : std::string("0");
    };
    // ipvsadm --set: 0 keeps the current value.
    return fmt::format("--set {} {} {}", secs(op.tcp), secs(op.tcp_fin), secs(op.udp));
}

std::string to_string(const Op& op) {
    return std::visit([](const auto& o) { return to_string(o); }, op);
}

std::string to_string(const Ops& ops) {
    std::string out;
    for (const auto& op : ops) {
        out += to_string(op);
        out += '\n';
    }
    return out;
}

}  // namespace vigil::ipvs
