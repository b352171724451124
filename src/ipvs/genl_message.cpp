#include "ipvs/genl_message.h"

#include <arpa/inet.h>
#include <linux/ip_vs.h>
#include <netinet/in.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <sys/socket.h>

#include <string>

namespace vigil::ipvs::genl {

MessageBuilder::MessageBuilder(int family, std::uint8_t command, int flags)
    : message_(nlmsg_alloc()) {
    if (!message_) {
        failed_ = true;
        return;
    }
    if (genlmsg_put(message_.get(), NL_AUTO_PORT, NL_AUTO_SEQ, family, 0, flags, command,
                    IPVS_GENL_VERSION) == nullptr)
        failed_ = true;
}

void MessageBuilder::check(int rc) {
    if (rc < 0) failed_ = true;
}

void MessageBuilder::u8(int type, std::uint8_t value) {
    if (!failed_) check(nla_put_u8(message_.get(), type, value));
}

void MessageBuilder::u16(int type, std::uint16_t value) {
    if (!failed_) check(nla_put_u16(message_.get(), type, value));
}

void MessageBuilder::u32(int type, std::uint32_t value) {
    if (!failed_) check(nla_put_u32(message_.get(), type, value));
}

void MessageBuilder::be16(int type, std::uint16_t host_order) {
    u16(type, htons(host_order));
}

void MessageBuilder::bytes(int type, std::span<const std::uint8_t> data) {
    if (!failed_) check(nla_put(message_.get(), type, static_cast<int>(data.size()), data.data()));
}

void MessageBuilder::string(int type, std::string_view text) {
    if (!failed_) check(nla_put_string(message_.get(), type, std::string(text).c_str()));
}

nlattr* MessageBuilder::begin(int type) {
    if (failed_) return nullptr;
    nlattr* nest = nla_nest_start(message_.get(), type);
    if (nest == nullptr) failed_ = true;
    return nest;
}

void MessageBuilder::end(nlattr* nest) {
    if (!failed_ && nest != nullptr) check(nla_nest_end(message_.get(), nest));
}

Result<Message> MessageBuilder::finish() {
    if (failed_) return Error{"cannot build an IPVS netlink request (out of memory)"};
    return std::move(message_);
}

std::uint16_t protocol_number(Protocol p) {
    switch (p) {
        case Protocol::tcp:
            return IPPROTO_TCP;
        case Protocol::udp:
            return IPPROTO_UDP;
        case Protocol::sctp:
            return IPPROTO_SCTP;
    }
    return 0;
}

namespace {

std::uint16_t af(Family f) {
    return f == Family::inet ? AF_INET : AF_INET6;
}

// The kernel copies at most a union nf_inet_addr; IPv4 is its first four bytes.
void put_address(MessageBuilder& b, int type, const IpAddress& a) {
    b.bytes(type, std::span<const std::uint8_t>(a.bytes()).first(a.is_v4() ? 4 : 16));
}

void put_key_attributes(MessageBuilder& b, const ServiceKey& key) {
    b.u16(IPVS_SVC_ATTR_AF, af(key.family));
    if (key.is_fwmark()) {
        b.u32(IPVS_SVC_ATTR_FWMARK, key.fwmark);
        return;
    }
    b.u16(IPVS_SVC_ATTR_PROTOCOL, protocol_number(key.protocol));
    put_address(b, IPVS_SVC_ATTR_ADDR, key.address);
    b.be16(IPVS_SVC_ATTR_PORT, key.port);
}

std::uint32_t forwarding_method(Forwarding f) {
    switch (f) {
        case Forwarding::masq:
            return IP_VS_CONN_F_MASQ;
        case Forwarding::droute:
            return IP_VS_CONN_F_DROUTE;
        case Forwarding::tunnel:
            return IP_VS_CONN_F_TUNNEL;
    }
    return IP_VS_CONN_F_MASQ;
}

std::uint8_t tunnel_type(TunnelType t) {
    switch (t) {
        case TunnelType::ipip:
            return IP_VS_CONN_F_TUNNEL_TYPE_IPIP;
        case TunnelType::gue:
            return IP_VS_CONN_F_TUNNEL_TYPE_GUE;
        case TunnelType::gre:
            return IP_VS_CONN_F_TUNNEL_TYPE_GRE;
    }
    return IP_VS_CONN_F_TUNNEL_TYPE_IPIP;
}

std::uint16_t tunnel_flags(TunnelChecksum c) {
    switch (c) {
        case TunnelChecksum::nocsum:
            return IP_VS_TUNNEL_ENCAP_FLAG_NOCSUM;
        case TunnelChecksum::csum:
            return IP_VS_TUNNEL_ENCAP_FLAG_CSUM;
        case TunnelChecksum::remcsum:
            return IP_VS_TUNNEL_ENCAP_FLAG_REMCSUM;
    }
    return IP_VS_TUNNEL_ENCAP_FLAG_NOCSUM;
}

}  // namespace

void put_service_key(MessageBuilder& b, const ServiceKey& key) {
    nlattr* nest = b.begin(IPVS_CMD_ATTR_SERVICE);
    put_key_attributes(b, key);
    b.end(nest);
}

void put_service(MessageBuilder& b, const ServiceKey& key, const Service& service) {
    nlattr* nest = b.begin(IPVS_CMD_ATTR_SERVICE);
    put_key_attributes(b, key);
    b.string(IPVS_SVC_ATTR_SCHED_NAME, service.scheduler);

    std::uint32_t flags = 0;
    if (service.persistence) flags |= IP_VS_SVC_F_PERSISTENT;
    if (service.one_packet) flags |= IP_VS_SVC_F_ONEPACKET;
    if (service.sched_flag_1) flags |= IP_VS_SVC_F_SCHED1;
    if (service.sched_flag_2) flags |= IP_VS_SVC_F_SCHED2;
    if (service.sched_flag_3) flags |= IP_VS_SVC_F_SCHED3;
    // The mask says which flags this request sets: all of those vigil manages, so that an
    // edit also clears them. IP_VS_SVC_F_HASHED is the kernel's own and stays out.
    const ip_vs_flags svc_flags{.flags = flags,
                                .mask = IP_VS_SVC_F_PERSISTENT | IP_VS_SVC_F_ONEPACKET |
                                        IP_VS_SVC_F_SCHED1 | IP_VS_SVC_F_SCHED2 |
                                        IP_VS_SVC_F_SCHED3};
    b.bytes(IPVS_SVC_ATTR_FLAGS,
            std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(&svc_flags),
                                          sizeof svc_flags));

    // IPv4 netmasks travel in network order; an IPv6 "netmask" is a prefix length, as is.
    const bool v4 = key.family == Family::inet;
    const std::uint32_t netmask = service.persistence ? service.persistence->netmask
                                  : v4                ? 0xffffffffU
                                                      : 128U;
    b.u32(IPVS_SVC_ATTR_TIMEOUT, service.persistence ? service.persistence->timeout_s : 0);
    b.u32(IPVS_SVC_ATTR_NETMASK, v4 ? htonl(netmask) : netmask);
    // An empty engine on an edit removes the one the service had.
    if (service.persistence && !service.persistence->engine.empty())
        b.string(IPVS_SVC_ATTR_PE_NAME, service.persistence->engine);
    b.end(nest);
}

void put_destination(MessageBuilder& b, const DestinationKey& key, const Destination& dest,
                     bool full) {
    nlattr* nest = b.begin(IPVS_CMD_ATTR_DEST);
    b.u16(IPVS_DEST_ATTR_ADDR_FAMILY, af(key.address.family()));
    put_address(b, IPVS_DEST_ATTR_ADDR, key.address);
    b.be16(IPVS_DEST_ATTR_PORT, key.port);
    if (full) {
        b.u32(IPVS_DEST_ATTR_FWD_METHOD, forwarding_method(dest.forwarding));
        b.u32(IPVS_DEST_ATTR_WEIGHT, dest.weight);
        b.u32(IPVS_DEST_ATTR_U_THRESH, dest.u_threshold);
        b.u32(IPVS_DEST_ATTR_L_THRESH, dest.l_threshold);
        if (dest.forwarding == Forwarding::tunnel) {
            b.u8(IPVS_DEST_ATTR_TUN_TYPE, tunnel_type(dest.tunnel_type));
            b.be16(IPVS_DEST_ATTR_TUN_PORT, dest.tunnel_port);
            b.u16(IPVS_DEST_ATTR_TUN_FLAGS, tunnel_flags(dest.tunnel_checksum));
        }
    }
    b.end(nest);
}

void put_daemon_state(MessageBuilder& b, SyncRole role) {
    nlattr* nest = b.begin(IPVS_CMD_ATTR_DAEMON);
    b.u32(IPVS_DAEMON_ATTR_STATE,
          role == SyncRole::master ? IP_VS_STATE_MASTER : IP_VS_STATE_BACKUP);
    b.end(nest);
}

void put_daemon(MessageBuilder& b, const SyncDaemon& daemon) {
    nlattr* nest = b.begin(IPVS_CMD_ATTR_DAEMON);
    b.u32(IPVS_DAEMON_ATTR_STATE,
          daemon.role == SyncRole::master ? IP_VS_STATE_MASTER : IP_VS_STATE_BACKUP);
    b.string(IPVS_DAEMON_ATTR_MCAST_IFN, daemon.interface);
    b.u32(IPVS_DAEMON_ATTR_SYNC_ID, daemon.syncid);
    // Zero means "the kernel's default": leaving the attribute out asks for exactly that.
    if (daemon.max_len != 0) b.u16(IPVS_DAEMON_ATTR_SYNC_MAXLEN, daemon.max_len);
    if (daemon.group) {
        if (daemon.group->is_v4())
            put_address(b, IPVS_DAEMON_ATTR_MCAST_GROUP, *daemon.group);
        else
            put_address(b, IPVS_DAEMON_ATTR_MCAST_GROUP6, *daemon.group);
    }
    // Unlike every other port of the family, the kernel keeps this one in host order.
    if (daemon.port != 0) b.u16(IPVS_DAEMON_ATTR_MCAST_PORT, daemon.port);
    if (daemon.ttl != 0) b.u8(IPVS_DAEMON_ATTR_MCAST_TTL, daemon.ttl);
    b.end(nest);
}

void put_timeouts(MessageBuilder& b, const SetTimeouts& timeouts) {
    const auto put = [&b](int type, const std::optional<std::chrono::seconds>& t) {
        if (t) b.u32(type, static_cast<std::uint32_t>(t->count()));
    };
    put(IPVS_CMD_ATTR_TIMEOUT_TCP, timeouts.tcp);
    put(IPVS_CMD_ATTR_TIMEOUT_TCP_FIN, timeouts.tcp_fin);
    put(IPVS_CMD_ATTR_TIMEOUT_UDP, timeouts.udp);
}

}  // namespace vigil::ipvs::genl
