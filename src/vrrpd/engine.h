// The VRRP worker's engine: every vrrp_instance of the configuration, composed from parts
// with one job each: the instance runtime (vrrp::RouterInstance: state machine and
// announcement schedule), the AddressKeeper (VIPs, routes, rules), the SocketKeeper (sockets
// and source addresses), the Announcer (paced gratuitous ARPs) and the status. It is fed
// events (datagrams, kernel notifications, the time) and talks to the world only through
// the interfaces it is given, so that the unit tests run it on fakes and simulated time. The
// Asio shell around it (vrrp_service.cpp) owns the file descriptors and one timer, armed at
// next_deadline().
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "config/model.h"
#include "core/log.h"
#include "net/netlink.h"
#include "net/vrrp_socket.h"
#include "vrrp/router.h"
#include "vrrpd/address_keeper.h"
#include "vrrpd/announcer.h"
#include "vrrpd/ports.h"
#include "vrrpd/reject_log.h"
#include "vrrpd/socket_keeper.h"
#include "vrrpd/status.h"
#include "vrrpd/trackers.h"

namespace vigil::vrrpd {

using vrrp::Time;

struct EngineDeps {
    net::Netlink& netlink;
    Transport& transport;
    FrameSender& frames;
    HostSettings& host;
    StateObserver& observer;
    TrackingShell& tracking;
    core::Logger log;
    // At stop: send priority 0 and remove the VIPs (and static addresses); -V says no.
    bool release_on_stop = true;
};

class Engine {
  public:
    explicit Engine(EngineDeps deps);

    void start(const config::Model& m, Time now);
    // Unchanged instances keep their state and addresses; only what changed moves.
    void reload(const config::Model& m, Time now);
    void stop(Time now);

    // A datagram a socket of `key` received.
    void on_datagram(const SocketKey& key, const net::Datagram& d, Time now);
    // A kernel notification: link, address, route or rule.
    void on_net_event(const net::NetEvent& ev, Time now);
    // Kernel notifications were lost: read again what the instances depend on.
    void resync(Time now);
    // Tracking results from the shells.
    void on_script_result(const std::string& name, ScriptResult r, Time now);
    void on_file_content(const std::string& name, const std::optional<std::string>& content,
                         Time now);
    void on_process_count(const std::string& name, std::uint32_t count,
                          vrrp::ProcessQuorum::Cause cause, Time now);
    void on_linkbeat(const std::string& ifname, bool up, Time now);
    // Call when next_deadline() has passed.
    void on_timer(Time now);
    std::optional<Time> next_deadline() const;

    // The state of an instance (nullopt: no such instance).
    std::optional<vrrp::State> state_of(const std::string& name) const;
    const vrrp::Router& router() const { return router_; }
    std::string stats_text() const;  // SIGUSR2
    std::string state_text() const;  // SIGUSR1
    std::string status_json() const;

  private:
    std::map<std::string, std::string> unbound_reasons() const;
    TrackedText tracked_text() const;
    struct Slot {
        // A copy: reloads never leave a slot pointing into a freed configuration.
        config::VrrpInstance cfg;
        vrrp::RouterInstance* ri = nullptr;
        Home home;                    // ifindex 0 while its interface is missing (or it has none)
        std::string unbound_reason;   // why it is not bound (empty: bound)
        bool tracking_fault = false;  // as last logged
        std::optional<SocketKey> socket;
        Held held;
        std::optional<Time> scheduled;  // its entry in timers_
        bool send_failed = false;
    };

    void add_slot(const config::VrrpInstance& vi, const config::Model& m, Time now);
    void remove_slot(const std::string& name, Time now);
    void migrate(Slot& slot, const config::VrrpInstance& vi, vrrp::InstanceSettings s, Time now);

    // Binding: the interface, the source address and the socket.
    struct Place {
        Home home;
        vrrp::Binding binding;
    };
    std::variant<Place, std::string> locate(const Slot& slot);
    void bind(Slot& slot, Time now);
    void unbind(Slot& slot, std::string reason, Time now);
    Status attach(Slot& slot, const Place& p);
    void detach(Slot& slot);
    void check_binding(Slot& slot, Time now);

    void execute(Slot& slot, vrrp::Effects effects, Time now);
    void state_changed(Slot& slot, const vrrp::StateChange& c);
    void send_adverts(Slot& slot, std::uint8_t priority);
    void announce(Slot& slot, std::uint32_t rounds, Time now);
    void reschedule(Slot& slot);
    void schedule_rebind(Time now);

    void on_link(const net::LinkEvent& ev, Time now);
    // Tracking: the effective priority and the tracking faults of an instance, now.
    vrrp::Effects track(Slot& slot, Time now);
    void retrack(const vrrp::TrackerId& id, Time now);
    void start_tracking(const config::Model& m, bool start, Time now);
    void apply(const config::Model& m, Time now);
    void run_scripts(Time now);
    void on_address(const net::AddressEvent& ev, Time now);
    Slot* slot_of(const vrrp::RouterInstance* ri);

    net::Netlink& netlink_;
    Transport& transport_;
    HostSettings& host_;
    StateObserver& observer_;
    TrackingShell& tracking_;
    core::Logger log_;
    bool release_on_stop_;
    AddressKeeper keeper_;
    SocketKeeper sockets_;
    Announcer announcer_;
    RejectLog rejects_;
    Trackers trackers_;
    vrrp::Router router_;
    config::GlobalDefs globals_;
    std::set<IpAddress> vips_;  // every instance's VIPs: never a source address
    std::map<std::string, Slot> slots_;
    std::set<std::pair<Time, Slot*>> timers_;
    std::optional<Time> rebind_at_;
    // vrrp_startup_delay: no instance (also one added by a reload meanwhile) is master before.
    std::optional<Time> not_master_before_;
    std::uint64_t send_errors_ = 0;
};

}  // namespace vigil::vrrpd
