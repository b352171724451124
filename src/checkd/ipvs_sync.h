// Keeps the kernel's IPVS table as the checkers want it: reads the table, lets the pure
// reconciler compute the difference, applies it through the driver, and logs every
// operation (ipvsadm's words) and every refusal. Touches nothing that did not change.
#pragma once

#include <cstdint>
#include <memory>

#include "config/model_global.h"
#include "core/log.h"
#include "ipvs/desired.h"
#include "ipvs/ipvs.h"
#include "ipvs/reconcile.h"

namespace vigil::checkd {

class IpvsSync {
  public:
    IpvsSync(core::Logger log, std::unique_ptr<ipvs::Ipvs> kernel);

    // global_defs lvs_flush / lvs_flush_on_stop / lvs_timeouts and -I (`release`).
    void configure(const config::GlobalDefs& g, bool release);
    // Brings the kernel's table to `desired` on the entries vigil wants or owns.
    void update(const ipvs::DesiredState& desired);
    // Daemon stop: removes vigil's entries (or flushes, or keeps them with -I).
    void stop();

    std::uint64_t operations() const { return operations_; }
    std::uint64_t failures() const { return failures_; }

  private:
    void apply(const ipvs::Ops& ops);

    core::Logger log_;
    std::unique_ptr<ipvs::Ipvs> kernel_;
    ipvs::Reconciler reconciler_;
    std::uint64_t operations_ = 0;
    std::uint64_t failures_ = 0;
};

}  // namespace vigil::checkd
