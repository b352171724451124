// Reading the kernel's IPVS generic netlink replies (services, destinations, sync daemons)
// into vigil's value types. Private to the driver (ipvs/genl.cpp). The kernel is trusted to
// speak its own protocol, but a missing or short attribute is still a clear error, never a
// crash.
#pragma once

#include <netlink/attr.h>

#include "common/result.h"
#include "ipvs/desired.h"
#include "ipvs/ipvs.h"

namespace vigil::ipvs::genl {

struct ParsedService {
    ServiceKey key;
    Service service;  // without destinations
    Counters counters;
};

struct ParsedDestination {
    DestinationKey key;
    Destination destination;
    DestinationStats stats;
};

// The nested IPVS_CMD_ATTR_SERVICE of a GET_SERVICE reply.
Result<ParsedService> parse_service(nlattr* nested);
// The nested IPVS_CMD_ATTR_DEST of a GET_DEST reply; kernels before 3.18 leave out the
// destination's family, which is then the service's.
Result<ParsedDestination> parse_destination(nlattr* nested, Family service_family);
// The nested IPVS_CMD_ATTR_DAEMON of a GET_DAEMON reply.
Result<SyncDaemon> parse_daemon(nlattr* nested);

}  // namespace vigil::ipvs::genl
