// When a master sends its gratuitous ARPs / unsolicited NAs, pure: fed the instance's events
// and the time they happen at, it says how many rounds to send now and when it next needs to
// be woken. A round is one gratuitous message per VIP. It owns no socket and reads no clock.
//
// keepalived.conf(5) semantics, checked against keepalived 2.2.7 on the wire:
// - on becoming master: garp_master_repeat rounds at once, and garp_master_repeat again
//   after garp_master_delay (a delay of 0: no second burst);
// - while master, every garp_master_refresh (0: never): garp_master_refresh_repeat rounds;
// - when the master hears a lower priority advert (a split brain healing):
//   garp_lower_prio_repeat rounds at once and again after garp_lower_prio_delay;
// - leaving master cancels everything pending.
//
// The policy holds resolved values: config::VrrpInstance's garp_* fields after the global
// vrrp_garp_* defaults were inherited.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>

#include "vrrp/instance.h"

namespace vigil::vrrp {

struct GarpPolicy {
    Micros master_delay{std::chrono::seconds{5}};
    std::uint32_t master_repeat = 5;
    Micros lower_prio_delay{std::chrono::seconds{5}};
    std::uint32_t lower_prio_repeat = 5;
    Micros refresh{0};
    std::uint32_t refresh_repeat = 1;
};

class GarpSchedule {
  public:
    explicit GarpSchedule(GarpPolicy p) : policy_(p) {}

    // Each returns the number of rounds to send now; 0 = none.
    // Becoming master (again): starts the schedule afresh.
    std::uint32_t on_master(Time now);
    // A lower priority advert heard while master; ignored otherwise.
    std::uint32_t on_lower_priority_advert(Time now);
    // Call when next_deadline() has passed: the rounds of every burst now due.
    std::uint32_t on_timer(Time now);
    void on_leave_master();
    // A reload: the new policy applies from the next burst; what is pending stays, but for a
    // changed refresh period, which restarts from `now`.
    void set_policy(GarpPolicy p, Time now);

    std::optional<Time> next_deadline() const;
    bool master() const { return master_; }
    const GarpPolicy& policy() const { return policy_; }

  private:
    GarpPolicy policy_;
    bool master_ = false;
    std::optional<Time> master_second_burst_;
    std::optional<Time> lower_prio_second_burst_;
    std::optional<Time> next_refresh_;
};

// The per-interface rate limit (garp_interval for ARP, gna_interval for NA, global or per
// garp_group, where one Pacer is shared by the group's interfaces): consecutive messages
// leave at least `interval` apart. The shell asks for a slot for every frame and queues the
// frame until then.
class Pacer {
  public:
    explicit Pacer(Micros interval) : interval_(interval) {}

    // When the next frame may leave (`now` if the interface is idle); reserves that slot.
    Time slot(Time now);
    // The end of the last reserved slot's interval: frames asked for before it wait.
    std::optional<Time> busy_until() const { return next_free_; }
    Micros interval() const { return interval_; }

  private:
    Micros interval_;
    std::optional<Time> next_free_;
};

}  // namespace vigil::vrrp
