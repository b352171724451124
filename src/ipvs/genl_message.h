// Building the IPVS generic netlink requests (the attributes of linux/ip_vs.h) from vigil's
// value types. Private to the driver (ipvs/genl.cpp).
#pragma once

#include <netlink/msg.h>

#include <cstdint>
#include <memory>
#include <span>
#include <string_view>

#include "common/result.h"
#include "ipvs/desired.h"
#include "ipvs/ipvs.h"

namespace vigil::ipvs::genl {

struct MessageDeleter {
    void operator()(nl_msg* m) const { nlmsg_free(m); }
};
using Message = std::unique_ptr<nl_msg, MessageDeleter>;

// One request being built. The first failing put (the message is full, which cannot happen
// with IPVS's small requests, or out of memory) is remembered and reported by finish(), so
// that the encoders read as a plain list of attributes.
class MessageBuilder {
  public:
    // `flags` are netlink header flags (NLM_F_DUMP for a dump).
    MessageBuilder(int family, std::uint8_t command, int flags);

    void u8(int type, std::uint8_t value);
    void u16(int type, std::uint16_t value);
    void u32(int type, std::uint32_t value);
    // A 16-bit value the kernel reads in network byte order (ports).
    void be16(int type, std::uint16_t host_order);
    void bytes(int type, std::span<const std::uint8_t> data);
    void string(int type, std::string_view text);
    // Nested attributes: begin() returns a handle for end().
    nlattr* begin(int type);
    void end(nlattr* nest);

    Result<Message> finish();

  private:
    void check(int rc);
    Message message_;
    bool failed_ = false;
};

// IPVS_CMD_ATTR_SERVICE with only what identifies the service (for destination commands,
// DEL_SERVICE and GET_DEST).
void put_service_key(MessageBuilder& b, const ServiceKey& key);
// IPVS_CMD_ATTR_SERVICE with every attribute (NEW_SERVICE, SET_SERVICE): the kernel wants the
// scheduler, flags, timeout and netmask even when persistence is off.
void put_service(MessageBuilder& b, const ServiceKey& key, const Service& service);
// IPVS_CMD_ATTR_DEST; with `full` false only the address and port (DEL_DEST).
void put_destination(MessageBuilder& b, const DestinationKey& key, const Destination& dest,
                     bool full);
// IPVS_CMD_ATTR_DAEMON to start a daemon, and with only its state to stop one.
void put_daemon(MessageBuilder& b, const SyncDaemon& daemon);
void put_daemon_state(MessageBuilder& b, SyncRole role);
void put_timeouts(MessageBuilder& b, const SetTimeouts& timeouts);

// The kernel's protocol number of a service protocol.
std::uint16_t protocol_number(Protocol p);

}  // namespace vigil::ipvs::genl
