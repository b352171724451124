// The VRRP worker's service: every vrrp_instance of the configuration running on real
// sockets, netlink and timers. The protocol decisions are the pure core's (vrrp::Router and
// vrrp::Instance); this file carries out their actions.
#pragma once

#include <memory>

#include "core/worker.h"

namespace vigil::vrrpd {

std::unique_ptr<core::WorkerService> make_vrrp_service(const core::WorkerContext& ctx);

}  // namespace vigil::vrrpd
