#include "ipvs/ipvs.h"

namespace vigil::ipvs {

StartDaemon start_daemon(const SyncDaemon& d) {
    StartDaemon o;
    o.role = d.role;
    o.config.interface = d.interface;
    o.config.syncid = d.syncid;
    if (d.max_len != 0) o.config.maxlen = d.max_len;
    if (d.group) o.config.group = *d.group;
    if (d.port != 0) o.config.port = d.port;
    if (d.ttl != 0) o.config.ttl = d.ttl;
    return o;
}

}  // namespace vigil::ipvs
