// One virtual_server with its real servers' health, pure: quorum with hysteresis, the sorry
// server, inhibit_on_failure, dynamic weights, ha_suspend and omega, turned into the IPVS
// services and destinations vigil wants (ipvs::DesiredState). The reconciler applies the
// difference to the kernel; the shell runs the scripts and alerts the actions ask for.
//
// keepalived's rules, which this reproduces:
// - The alive weight is the sum of the current weights of the real servers that are up.
// - Quorum starts up and is evaluated at start(). It is lost when the alive weight is 0 or
//   below quorum - hysteresis, and regained when it is at least quorum + hysteresis, so that a
//   weight flapping inside the band around quorum changes nothing.
// - While quorum is lost and a sorry_server is configured, the sorry server is the only
//   destination: the real servers that are still up are taken out too (man page: "all real
//   servers will be brought down when the quorum is not achieved and be replaced with the
//   sorry server"). Without a sorry server, the real servers that are up stay.
// - A real server that is not serving is removed, or kept with weight 0 (quiesced: existing
//   connections continue) with inhibit_on_failure; keepalived adds such servers with weight 0
//   at start-up too. sorry_server_inhibit treats the sorry server the same way: vigil keeps it
//   in the table with weight 0 while it is not needed (keepalived sets it to weight 0 once it
//   has been used; keeping it from the start makes the desired state a function of the
//   current health only, so a restart changes nothing).
// - ha_suspend: a service exists only while its address is local (the VRRP VIP is up), and
//   its checkers are suspended while none of its addresses is (suspended()). fwmark services
//   have no address and are never suspended.
// - A virtual_server_group expands into one IPVS service per address of each range and per
//   fwmark, all with the same destinations. A real server without a port uses the service's.
// - Shutdown removes every service; with omega, it first asks for the notify_down of each real
//   server that is up and the quorum_down if quorum is up (man page: "On daemon shutdown
//   consider quorum and RS down notifiers for execution").
#pragma once

#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "check/real_server_health.h"
#include "config/model_lvs.h"
#include "ipvs/desired.h"

namespace vigil::check {

// Quorum was gained or lost: run quorum_up / quorum_down, send the alert.
struct QuorumChanged {
    bool up = true;
    std::int64_t alive_weight = 0;
    std::string reason;
};
// The sorry server starts (active) or stops serving: for the log.
struct SorryServerChanged {
    bool active = false;
};
// omega at shutdown: run real server `real_server`'s notify_down (and alert).
struct NotifyRealServerDown {
    std::size_t real_server = 0;
    std::string reason;
};
using VsAction = std::variant<QuorumChanged, SorryServerChanged, NotifyRealServerDown>;
using VsActions = std::vector<VsAction>;

struct RealServerStatus {
    bool up = true;
    std::uint32_t weight = 1;
};

class VirtualServerState {
  public:
    // `group`: the virtual_server_group a Kind::group virtual server names (nullptr
    // otherwise, or when it does not exist: then there is no service). `initial`: each real
    // server's health, in vs.real_servers' order (RealServerHealth::up() and weight()).
    VirtualServerState(const config::VirtualServer& vs, const config::VirtualServerGroup* group,
                       std::vector<RealServerStatus> initial);

    // Evaluates quorum once the real servers' initial health is known.
    VsActions start();
    // Real server `index` changed health or weight.
    VsActions set_real_server(std::size_t index, RealServerStatus status);
    // Applies one real server's ServerUp / ServerDown / ServerWeightChanged events.
    VsActions apply(std::size_t index, const ServerEvents& events);
    // ha_suspend: `address` was added to or removed from a local interface.
    void set_local_address(const IpAddress& address, bool present);
    // Daemon shutdown: what omega asks to notify; afterwards no service is desired.
    VsActions shutdown();

    // ha_suspend and none of the services' addresses is local: stop the checkers.
    bool suspended() const;
    bool quorum_up() const { return quorum_up_; }
    bool sorry_server_active() const { return sorry_active_; }
    std::int64_t alive_weight() const;
    const std::vector<ipvs::ServiceKey>& service_keys() const { return keys_; }
    const std::string& name() const { return name_; }

    // The services this virtual server wants now, with their destinations.
    void add_desired(ipvs::DesiredState& into) const;

  private:
    struct Member {
        IpAddress address;
        std::uint16_t port = 0;  // 0: the service's port
        ipvs::Destination destination;
    };

    void evaluate_quorum(VsActions& out);
    bool service_present(const ipvs::ServiceKey& key) const;
    void add_member(const Member& m, std::uint32_t weight, const ipvs::ServiceKey& key,
                    ipvs::Service& service) const;

    std::string name_;
    std::vector<ipvs::ServiceKey> keys_;
    ipvs::Service service_;  // scheduler and options, no destinations
    std::vector<Member> real_servers_;
    std::vector<RealServerStatus> status_;
    std::vector<bool> inhibit_;  // inhibit_on_failure of each real server
    std::optional<Member> sorry_;
    bool sorry_inhibit_ = false;
    bool ha_suspend_ = false;
    bool omega_ = false;
    std::int64_t quorum_ = 1;
    std::int64_t hysteresis_ = 0;
    bool quorum_up_ = true;
    bool sorry_active_ = false;
    bool stopped_ = false;
    std::set<IpAddress> local_addresses_;
};

// The whole desired IPVS table. Two virtual servers with the same service key would be a
// configuration error; the first one wins here.
ipvs::DesiredState desired_state(const std::vector<VirtualServerState>& virtual_servers);

// The IPVS equivalents of the configuration's names.
std::string_view scheduler_name(config::LvsScheduler s);
ipvs::Protocol to_ipvs(config::LvsProtocol p);
ipvs::Destination destination_for(const config::ForwardingMethod& m);

}  // namespace vigil::check
