// Tells the outside world about VRRP state changes, as keepalived does: the instance's
// notify_master/backup/fault/stop script, its generic `notify` script (called with
// INSTANCE NAME STATE PRIORITY), the notify FIFOs, and an SMTP alert when smtp_alert is on.
// Never blocks: scripts run on the runner, FIFO writes drop when the reader is stuck, mail is
// sent asynchronously.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/any_io_executor.hpp>

#include "config/model.h"
#include "core/log.h"
#include "core/notify_channels.h"
#include "core/script_policy.h"
#include "core/script_runner.h"
#include "notify/alerts.h"
#include "notify/fifo_writer.h"
#include "vrrp/instance.h"

namespace vigil::vrrpd {

class Notifier {
  public:
    Notifier(const boost::asio::any_io_executor& ex, const core::Logger& log);

    // A new configuration: the script policy, FIFOs and mail settings follow it.
    void configure(const config::Model& m);
    // The instance entered `state` (INIT: it stopped).
    void instance_state(const config::VrrpInstance& vi, vrrp::State state, int priority);
    // notify_priority_changes: the effective priority on the notify FIFOs only (keepalived:
    // INSTANCE "VI_1" MASTER_PRIORITY 90, BACKUP_PRIORITY in any other state).
    void priority_changed(const config::VrrpInstance& vi, vrrp::State state, int priority);
    // The instance, master, heard a master of lower priority: notify_master_rx_lower_pri (no
    // arguments) and the FIFO line INSTANCE "VI_1" MASTER_RX_LOWER_PRI <our priority>.
    void lower_priority_master(const config::VrrpInstance& vi, int priority);
    // Stops running notify scripts (daemon stop).
    void terminate_all() { scripts_.terminate_all(); }

  private:
    boost::asio::any_io_executor ex_;
    core::Logger log_;
    core::ScriptRunner scripts_;
    core::NotifyChannels channels_;
    std::string router_id_;
};

}  // namespace vigil::vrrpd
