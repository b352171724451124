#include "ipvs/genl_parse.h"

#include <arpa/inet.h>
#include <linux/ip_vs.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <array>
#include <cstring>
#include <optional>
#include <string>

namespace vigil::ipvs::genl {

namespace {

// The attributes of one nested attribute, indexed by type (0..max).
template <int Max>
class Attributes {
  public:
    Status parse(nlattr* nested, const char* what) {
        if (nested == nullptr) return Error{std::string("IPVS reply without ") + what};
        if (nla_parse_nested(table_.data(), Max, nested, nullptr) < 0)
            return Error{std::string("malformed ") + what + " in an IPVS reply"};
        return Ok{};
    }
    nlattr* operator[](int type) const { return table_.at(static_cast<std::size_t>(type)); }

  private:
    std::array<nlattr*, Max + 1> table_{};
};

std::optional<std::uint64_t> number(const nlattr* a) {
    if (a == nullptr) return std::nullopt;
    switch (nla_len(a)) {
        case 1:
            return nla_get_u8(a);
        case 2:
            return nla_get_u16(a);
        case 4:
            return nla_get_u32(a);
        case 8:
            return nla_get_u64(a);
        default:
            return std::nullopt;
    }
}

std::optional<std::uint16_t> be16(const nlattr* a) {
    if (a == nullptr || nla_len(a) < 2) return std::nullopt;
    return ntohs(nla_get_u16(a));
}

std::optional<std::string> text(const nlattr* a) {
    if (a == nullptr || nla_len(a) < 1) return std::nullopt;
    const auto* data = static_cast<const char*>(nla_data(a));
    return std::string(data, strnlen(data, static_cast<std::size_t>(nla_len(a))));
}

std::optional<Family> family(const nlattr* a) {
    const auto af = number(a);
    if (af == std::uint64_t{AF_INET}) return Family::inet;
    if (af == std::uint64_t{AF_INET6}) return Family::inet6;
    return std::nullopt;
}

std::optional<IpAddress> address(const nlattr* a, Family f) {
    const std::size_t need = f == Family::inet ? 4 : 16;
    if (a == nullptr || static_cast<std::size_t>(nla_len(a)) < need) return std::nullopt;
    std::array<std::uint8_t, 16> bytes{};
    std::memcpy(bytes.data(), nla_data(a), need);
    if (f == Family::inet6) return IpAddress::v6(bytes);
    std::uint32_t be = 0;
    std::memcpy(&be, bytes.data(), 4);
    return IpAddress::v4(ntohl(be));
}

// STATS64 (every counter 64-bit, since 4.1) when present, else the older STATS.
Counters counters(nlattr* stats64, nlattr* stats) {
    Counters c;
    Attributes<IPVS_STATS_ATTR_MAX> a;
    if (!a.parse(stats64 != nullptr ? stats64 : stats, "statistics").ok()) return c;
    const auto get = [&a](int type) { return number(a[type]).value_or(0); };
    c.connections = get(IPVS_STATS_ATTR_CONNS);
    c.in_packets = get(IPVS_STATS_ATTR_INPKTS);
    c.out_packets = get(IPVS_STATS_ATTR_OUTPKTS);
    c.in_bytes = get(IPVS_STATS_ATTR_INBYTES);
    c.out_bytes = get(IPVS_STATS_ATTR_OUTBYTES);
    c.connections_per_s = get(IPVS_STATS_ATTR_CPS);
    c.in_packets_per_s = get(IPVS_STATS_ATTR_INPPS);
    c.out_packets_per_s = get(IPVS_STATS_ATTR_OUTPPS);
    c.in_bytes_per_s = get(IPVS_STATS_ATTR_INBPS);
    c.out_bytes_per_s = get(IPVS_STATS_ATTR_OUTBPS);
    return c;
}

std::optional<Protocol> protocol(const nlattr* a) {
    switch (number(a).value_or(0)) {
        case IPPROTO_TCP:
            return Protocol::tcp;
        case IPPROTO_UDP:
            return Protocol::udp;
        case IPPROTO_SCTP:
            return Protocol::sctp;
        default:
            return std::nullopt;
    }
}

}  // namespace

Result<ParsedService> parse_service(nlattr* nested) {
    Attributes<IPVS_SVC_ATTR_MAX> a;
    if (auto st = a.parse(nested, "service"); !st) return Error{st.error()};
    const auto fam = family(a[IPVS_SVC_ATTR_AF]);
    if (!fam) return Error{"IPVS reply: service without a known address family"};

    ParsedService out;
    if (const auto mark = number(a[IPVS_SVC_ATTR_FWMARK]); mark && *mark != 0) {
        out.key = ServiceKey::for_fwmark(*fam, static_cast<std::uint32_t>(*mark));
    } else {
        const auto proto = protocol(a[IPVS_SVC_ATTR_PROTOCOL]);
        const auto addr = address(a[IPVS_SVC_ATTR_ADDR], *fam);
        const auto port = be16(a[IPVS_SVC_ATTR_PORT]);
        if (!proto || !addr || !port)
            return Error{"IPVS reply: service without a protocol, address or port"};
        out.key = ServiceKey::for_address(*proto, *addr, *port);
    }

    Service& s = out.service;
    s.scheduler = text(a[IPVS_SVC_ATTR_SCHED_NAME]).value_or("");
    ip_vs_flags flags{};
    if (const nlattr* f = a[IPVS_SVC_ATTR_FLAGS]; f != nullptr && nla_len(f) >= 4)
        std::memcpy(&flags.flags, nla_data(f), sizeof flags.flags);
    s.one_packet = (flags.flags & IP_VS_SVC_F_ONEPACKET) != 0;
    s.sched_flag_1 = (flags.flags & IP_VS_SVC_F_SCHED1) != 0;
    s.sched_flag_2 = (flags.flags & IP_VS_SVC_F_SCHED2) != 0;
    s.sched_flag_3 = (flags.flags & IP_VS_SVC_F_SCHED3) != 0;
    if ((flags.flags & IP_VS_SVC_F_PERSISTENT) != 0) {
        Persistence p;
        p.timeout_s = static_cast<std::uint32_t>(number(a[IPVS_SVC_ATTR_TIMEOUT]).value_or(0));
        // The kernel keeps an IPv4 netmask in network order and an IPv6 prefix length as is.
        const auto raw = static_cast<std::uint32_t>(number(a[IPVS_SVC_ATTR_NETMASK]).value_or(0));
        p.netmask = *fam == Family::inet ? ntohl(raw) : raw;
        p.engine = text(a[IPVS_SVC_ATTR_PE_NAME]).value_or("");
        s.persistence = p;
    }
    out.counters = counters(a[IPVS_SVC_ATTR_STATS64], a[IPVS_SVC_ATTR_STATS]);
    return out;
}

Result<ParsedDestination> parse_destination(nlattr* nested, Family service_family) {
    Attributes<IPVS_DEST_ATTR_MAX> a;
    if (auto st = a.parse(nested, "destination"); !st) return Error{st.error()};
    const Family fam = a[IPVS_DEST_ATTR_ADDR_FAMILY] != nullptr
                           ? family(a[IPVS_DEST_ATTR_ADDR_FAMILY]).value_or(service_family)
                           : service_family;
    const auto addr = address(a[IPVS_DEST_ATTR_ADDR], fam);
    const auto port = be16(a[IPVS_DEST_ATTR_PORT]);
    if (!addr || !port) return Error{"IPVS reply: destination without an address or port"};

    ParsedDestination out;
    out.key = DestinationKey{*addr, *port};
    Destination& d = out.destination;
    const auto method =
        number(a[IPVS_DEST_ATTR_FWD_METHOD]).value_or(IP_VS_CONN_F_MASQ) & IP_VS_CONN_F_FWD_MASK;
    // Old kernels report a local real server as LOCALNODE; vigil only ever asks for the
    // three methods below, and a local one is masq to the kernel.
    d.forwarding = method == IP_VS_CONN_F_DROUTE   ? Forwarding::droute
                   : method == IP_VS_CONN_F_TUNNEL ? Forwarding::tunnel
                                                   : Forwarding::masq;
    // Tunnel settings only mean something for tunnelled destinations; the kernel keeps stale
    // ones after a change of method, which must not look like a difference.
    if (d.forwarding == Forwarding::tunnel) {
        switch (number(a[IPVS_DEST_ATTR_TUN_TYPE]).value_or(IP_VS_CONN_F_TUNNEL_TYPE_IPIP)) {
            case IP_VS_CONN_F_TUNNEL_TYPE_GUE:
                d.tunnel_type = TunnelType::gue;
                break;
            case IP_VS_CONN_F_TUNNEL_TYPE_GRE:
                d.tunnel_type = TunnelType::gre;
                break;
            default:
                d.tunnel_type = TunnelType::ipip;
                break;
        }
        d.tunnel_port = be16(a[IPVS_DEST_ATTR_TUN_PORT]).value_or(0);
        const auto tflags = number(a[IPVS_DEST_ATTR_TUN_FLAGS]).value_or(0);
        d.tunnel_checksum = (tflags & IP_VS_TUNNEL_ENCAP_FLAG_REMCSUM) != 0
                                ? TunnelChecksum::remcsum
                            : (tflags & IP_VS_TUNNEL_ENCAP_FLAG_CSUM) != 0 ? TunnelChecksum::csum
                                                                           : TunnelChecksum::nocsum;
    }
    d.weight = static_cast<std::uint32_t>(number(a[IPVS_DEST_ATTR_WEIGHT]).value_or(0));
    d.u_threshold = static_cast<std::uint32_t>(number(a[IPVS_DEST_ATTR_U_THRESH]).value_or(0));
    d.l_threshold = static_cast<std::uint32_t>(number(a[IPVS_DEST_ATTR_L_THRESH]).value_or(0));

    out.stats.active_connections =
        static_cast<std::uint32_t>(number(a[IPVS_DEST_ATTR_ACTIVE_CONNS]).value_or(0));
    out.stats.inactive_connections =
        static_cast<std::uint32_t>(number(a[IPVS_DEST_ATTR_INACT_CONNS]).value_or(0));
    out.stats.persistent_connections =
        static_cast<std::uint32_t>(number(a[IPVS_DEST_ATTR_PERSIST_CONNS]).value_or(0));
    out.stats.counters = counters(a[IPVS_DEST_ATTR_STATS64], a[IPVS_DEST_ATTR_STATS]);
    return out;
}

Result<SyncDaemon> parse_daemon(nlattr* nested) {
    Attributes<IPVS_DAEMON_ATTR_MAX> a;
    if (auto st = a.parse(nested, "sync daemon"); !st) return Error{st.error()};
    SyncDaemon d;
    const auto state = number(a[IPVS_DAEMON_ATTR_STATE]);
    if (state == std::uint64_t{IP_VS_STATE_MASTER})
        d.role = SyncRole::master;
    else if (state == std::uint64_t{IP_VS_STATE_BACKUP})
        d.role = SyncRole::backup;
    else
        return Error{"IPVS reply: sync daemon in an unknown state"};
    d.interface = text(a[IPVS_DAEMON_ATTR_MCAST_IFN]).value_or("");
    d.syncid = static_cast<std::uint8_t>(number(a[IPVS_DAEMON_ATTR_SYNC_ID]).value_or(0));
    d.max_len = static_cast<std::uint16_t>(number(a[IPVS_DAEMON_ATTR_SYNC_MAXLEN]).value_or(0));
    if (a[IPVS_DAEMON_ATTR_MCAST_GROUP] != nullptr)
        d.group = address(a[IPVS_DAEMON_ATTR_MCAST_GROUP], Family::inet);
    else if (a[IPVS_DAEMON_ATTR_MCAST_GROUP6] != nullptr)
        d.group = address(a[IPVS_DAEMON_ATTR_MCAST_GROUP6], Family::inet6);
    d.port = static_cast<std::uint16_t>(number(a[IPVS_DAEMON_ATTR_MCAST_PORT]).value_or(0));
    d.ttl = static_cast<std::uint8_t>(number(a[IPVS_DAEMON_ATTR_MCAST_TTL]).value_or(0));
    return d;
}

}  // namespace vigil::ipvs::genl
