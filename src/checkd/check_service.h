// The checker worker's service: every virtual_server's real servers probed by their checkers
// (Asio coroutines), the pure policy core deciding health, quorum and the sorry server,
// transitions logged and notified (notify_up/down, quorum_up/down, FIFO, SMTP), and the
// desired IPVS state kept for the IPVS layer.
#pragma once

#include <memory>

#include "core/worker.h"

namespace vigil::checkd {

std::unique_ptr<core::WorkerService> make_check_service(const core::WorkerContext& ctx);

}  // namespace vigil::checkd
