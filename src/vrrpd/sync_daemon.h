// lvs_sync_daemon: the kernel's IPVS connection-synchronisation daemons follow a VRRP
// instance, as keepalived's VRRP process does it: the master daemon runs while the named
// instance is MASTER, the backup daemon otherwise (both when no instance is named). The pure
// decision is ipvs::wanted_sync_daemons / sync_daemon_ops; this applies it to the kernel.
#pragma once

#include <memory>
#include <optional>

#include "config/model_global.h"
#include "core/log.h"
#include "ipvs/ipvs.h"
#include "ipvs/reconcile.h"
#include "vrrp/instance.h"

namespace vigil::vrrpd {

class SyncDaemonControl {
  public:
    explicit SyncDaemonControl(core::Logger log) : log_(std::move(log)) {}

    // The configured daemon (nullopt: none) and the VRID of the instance it names (the
    // default syncid).
    void configure(const std::optional<config::LvsSyncDaemon>& cfg,
                   std::optional<std::uint8_t> instance_vrid);
    const std::string& instance() const { return instance_; }
    // The named instance's state (ignored when no instance is named).
    void update(std::optional<vrrp::State> state);
    // Daemon stop: the daemons vigil started stop too.
    void stop();

  private:
    void apply(const ipvs::SyncDaemons& wanted);

    core::Logger log_;
    std::optional<ipvs::SyncDaemonConfig> config_;
    std::string instance_;
    std::unique_ptr<ipvs::Ipvs> kernel_;  // opened when a daemon is configured
    bool unavailable_logged_ = false;
};

}  // namespace vigil::vrrpd
