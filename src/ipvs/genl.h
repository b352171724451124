// The real Ipvs: the kernel's "IPVS" generic netlink family, through libnl-genl-3. Like
// ipvsadm, it works on the IPVS table of the network namespace it was opened in.
#pragma once

#include <memory>

#include "common/result.h"
#include "ipvs/ipvs.h"

namespace vigil::ipvs {

// Fails with a message starting "IPVS is not available in this kernel" when the kernel has
// no IPVS family (ip_vs not loaded, or not built), and with the reason when no generic netlink
// socket can be opened.
Result<std::unique_ptr<Ipvs>> open_ipvs();

}  // namespace vigil::ipvs
