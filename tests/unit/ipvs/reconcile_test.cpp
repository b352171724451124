// The reconciler over sequences of steps (configuration changes, health changes, kernel drift,
// start, reload, stop), asserting the exact operations, and a property test over random tables
// against an in-memory kernel that applies the operations with the kernel's own rules.
#include "ipvs/reconcile.h"

#include <gtest/gtest.h>

#include <functional>
#include <random>

#include "check/virtual_server_state.h"
#include "common/result.h"

namespace vigil::ipvs {
namespace {

IpAddress ip(const char* s) {
    return *IpAddress::parse(s);
}

ServiceKey tcp(const char* address, std::uint16_t port) {
    return ServiceKey::for_address(Protocol::tcp, ip(address), port);
}

DestinationKey rs(const char* address, std::uint16_t port = 80) {
    return DestinationKey{ip(address), port};
}

Destination weight(std::uint32_t w) {
    Destination d;
    d.weight = w;
    return d;
}

// The kernel's IPVS table in memory: each command fails where the kernel's would (EEXIST on a
// second add, ENOENT on a missing entry), so that an operation list in the wrong order or with
// a redundant entry fails the test.
class FakeKernel {
  public:
    explicit FakeKernel(DesiredState table = {}) : table_(std::move(table)) {}

    Status apply(const Op& op) {
        return std::visit([this](const auto& o) { return do_apply(o); }, op);
    }
    Status apply(const Ops& ops) {
        for (const auto& op : ops)
            if (auto st = apply(op); !st) return Error{to_string(op) + ": " + st.error()};
        return Ok{};
    }
    DesiredState& table() { return table_; }
    const DesiredState& table() const { return table_; }

  private:
    Service* find(const ServiceKey& key) {
        const auto it = table_.services.find(key);
        return it == table_.services.end() ? nullptr : &it->second;
    }
    Status do_apply(const AddService& op) {
        if (!op.service.destinations.empty()) return Error{"service with destinations"};
        if (find(op.key) != nullptr) return Error{"EEXIST"};
        table_.services.emplace(op.key, op.service);
        return Ok{};
    }
    Status do_apply(const EditService& op) {
        if (!op.service.destinations.empty()) return Error{"service with destinations"};
        auto* s = find(op.key);
        if (s == nullptr) return Error{"ESRCH"};
        auto dests = std::move(s->destinations);
        *s = op.service;
        s->destinations = std::move(dests);
        return Ok{};
    }
    Status do_apply(const DelService& op) {
        if (table_.services.erase(op.key) == 0) return Error{"ESRCH"};
        return Ok{};
    }
    Status do_apply(const AddDest& op) {
        auto* s = find(op.service);
        if (s == nullptr) return Error{"ESRCH"};
        if (!s->destinations.emplace(op.key, op.destination).second) return Error{"EEXIST"};
        return Ok{};
    }
    Status do_apply(const EditDest& op) {
        auto* s = find(op.service);
        if (s == nullptr) return Error{"ESRCH"};
        const auto it = s->destinations.find(op.key);
        if (it == s->destinations.end()) return Error{"ENOENT"};
        it->second = op.destination;
        return Ok{};
    }
    Status do_apply(const DelDest& op) {
        auto* s = find(op.service);
        if (s == nullptr) return Error{"ESRCH"};
        if (s->destinations.erase(op.key) == 0) return Error{"ENOENT"};
        return Ok{};
    }
    Status do_apply(const Flush& /*op*/) {
        table_.services.clear();
        return Ok{};
    }
    Status do_apply(const StartDaemon& /*op*/) { return Error{"not a table operation"}; }
    Status do_apply(const StopDaemon& /*op*/) { return Error{"not a table operation"}; }
    Status do_apply(const SetTimeouts& /*op*/) { return Error{"not a table operation"}; }

    DesiredState table_;
};

std::vector<std::string> lines(const Ops& ops) {
    std::vector<std::string> out;
    out.reserve(ops.size());
    for (const auto& op : ops) out.push_back(to_string(op));
    return out;
}

using Lines = std::vector<std::string>;

// One step of a scenario: what changes (the configuration or health in `desired`, drift in the
// kernel's table), and the exact operations vigil must then issue.
struct Step {
    std::string what;
    std::function<void(DesiredState& desired, DesiredState& kernel)> change;
    Lines expected;
};

// Runs the steps; after each, the operations are applied and a second update must find
// nothing left to do.
void run(Reconciler& r, DesiredState& desired, FakeKernel& kernel, const std::vector<Step>& steps) {
    for (const auto& step : steps) {
        SCOPED_TRACE(step.what);
        step.change(desired, kernel.table());
        const auto ops = r.update(desired, kernel.table());
        EXPECT_EQ(lines(ops), step.expected);
        const auto st = kernel.apply(ops);
        ASSERT_TRUE(st.ok()) << st.error();
        EXPECT_TRUE(r.update(desired, kernel.table()).empty());
    }
}

const ServiceKey web = tcp("192.0.2.10", 80);
const ServiceKey mail = tcp("192.0.2.10", 25);
const ServiceKey foreign = ServiceKey::for_address(Protocol::udp, ip("203.0.113.50"), 53);

DesiredState two_servers() {
    DesiredState d;
    auto& s = d.services[web];
    s.scheduler = "wlc";
    s.destinations[rs("198.51.100.1")] = weight(1);
    s.destinations[rs("198.51.100.2")] = weight(2);
    return d;
}

DesiredState with_foreign_service() {
    DesiredState k;
    k.services[foreign].scheduler = "rr";
    k.services[foreign].destinations[rs("203.0.113.53", 53)] = weight(1);
    return k;
}

TEST(Reconcile, ConfigurationHealthAndDriftSteps) {
    Reconciler r;
    DesiredState desired;
    FakeKernel kernel{with_foreign_service()};
    const auto original_foreign = kernel.table().services.at(foreign);
    const std::vector<Step> steps{
        {"start: services before their destinations; the foreign service stays",
         [](DesiredState& d, DesiredState&) { d = two_servers(); },
         {"-A -t 192.0.2.10:80 -s wlc", "-a -t 192.0.2.10:80 -r 198.51.100.1:80 -m -w 1",
          "-a -t 192.0.2.10:80 -r 198.51.100.2:80 -m -w 2"}},
        {"nothing changed", [](DesiredState&, DesiredState&) {}, {}},
        {"weight change: one EditDest",
         [](DesiredState& d, DesiredState&) {
             d.services[web].destinations[rs("198.51.100.2")].weight = 5;
         },
         {"-e -t 192.0.2.10:80 -r 198.51.100.2:80 -m -w 5"}},
        {"threshold change: one EditDest",
         [](DesiredState& d, DesiredState&) {
             d.services[web].destinations[rs("198.51.100.2")].u_threshold = 100;
         },
         {"-e -t 192.0.2.10:80 -r 198.51.100.2:80 -m -w 5 -x 100"}},
        {"forwarding method change: an edit, the kernel sets the connection flags",
         [](DesiredState& d, DesiredState&) {
             d.services[web].destinations[rs("198.51.100.1")].forwarding = Forwarding::droute;
         },
         {"-e -t 192.0.2.10:80 -r 198.51.100.1:80 -g -w 1"}},
        {"scheduler change: one EditService",
         [](DesiredState& d, DesiredState&) { d.services[web].scheduler = "rr"; },
         {"-E -t 192.0.2.10:80 -s rr"}},
        {"persistence: one EditService",
         [](DesiredState& d, DesiredState&) {
             d.services[web].persistence = Persistence{300, 0xffffffffU, ""};
         },
         {"-E -t 192.0.2.10:80 -s rr -p 300"}},
        {"real server down without inhibit: DelDest",
         [](DesiredState& d, DesiredState&) {
             d.services[web].destinations.erase(rs("198.51.100.2"));
         },
         {"-d -t 192.0.2.10:80 -r 198.51.100.2:80"}},
        {"real server back",
         [](DesiredState& d, DesiredState&) {
             d.services[web].destinations[rs("198.51.100.2")] = weight(2);
         },
         {"-a -t 192.0.2.10:80 -r 198.51.100.2:80 -m -w 2"}},
        {"real server down with inhibit_on_failure: weight 0",
         [](DesiredState& d, DesiredState&) {
             d.services[web].destinations[rs("198.51.100.2")].weight = 0;
         },
         {"-e -t 192.0.2.10:80 -r 198.51.100.2:80 -m -w 0"}},
        {"drift: a destination deleted behind vigil's back is added again",
         [](DesiredState&, DesiredState& k) {
             k.services[web].destinations.erase(rs("198.51.100.1"));
         },
         {"-a -t 192.0.2.10:80 -r 198.51.100.1:80 -g -w 1"}},
        {"drift: a weight changed by hand is set back",
         [](DesiredState&, DesiredState& k) {
             k.services[web].destinations[rs("198.51.100.1")].weight = 9;
         },
         {"-e -t 192.0.2.10:80 -r 198.51.100.1:80 -g -w 1"}},
        {"drift: a scheduler changed by hand is set back",
         [](DesiredState&, DesiredState& k) { k.services[web].scheduler = "lc"; },
         {"-E -t 192.0.2.10:80 -s rr -p 300"}},
        {"drift: a foreign service and a foreign destination in vigil's service stay",
         [](DesiredState&, DesiredState& k) {
             k.services[tcp("203.0.113.80", 80)].destinations[rs("203.0.113.81")] = weight(1);
             k.services[web].destinations[rs("198.51.100.99")] = weight(1);
         },
         {}},
        {"drift: vigil's service deleted by hand is created again",
         [](DesiredState&, DesiredState& k) { k.services.erase(web); },
         {"-A -t 192.0.2.10:80 -s rr -p 300", "-a -t 192.0.2.10:80 -r 198.51.100.1:80 -g -w 1",
          "-a -t 192.0.2.10:80 -r 198.51.100.2:80 -m -w 0"}},
        {"reload adds a service, in key order (port 25 before 80)",
         [](DesiredState& d, DesiredState&) {
             d.services[mail].destinations[rs("198.51.100.1", 25)] = weight(1);
         },
         {"-A -t 192.0.2.10:25 -s wlc", "-a -t 192.0.2.10:25 -r 198.51.100.1:25 -m -w 1"}},
        {"reload replaces a real server: add before delete",
         [](DesiredState& d, DesiredState&) {
             auto& dests = d.services[web].destinations;
             dests.erase(rs("198.51.100.2"));
             dests[rs("198.51.100.3")] = weight(1);
         },
         {"-a -t 192.0.2.10:80 -r 198.51.100.3:80 -m -w 1",
          "-d -t 192.0.2.10:80 -r 198.51.100.2:80"}},
        {"reload removes a service: DelService alone",
         [](DesiredState& d, DesiredState&) { d.services.erase(web); },
         {"-D -t 192.0.2.10:80"}},
    };
    run(r, desired, kernel, steps);
    EXPECT_EQ(kernel.table().services.at(foreign), original_foreign);
    EXPECT_TRUE(kernel.table().services.contains(tcp("203.0.113.80", 80)));

    // Stop: vigil's services only.
    EXPECT_EQ(lines(r.stop(kernel.table())), (Lines{"-D -t 192.0.2.10:25"}));
}

TEST(Reconcile, StartAdoptsWhatTheKernelAlreadyHolds) {
    // A restart after -I: the table is as wanted, nothing is touched.
    FakeKernel kernel{two_servers()};
    Reconciler r;
    EXPECT_TRUE(r.update(two_servers(), kernel.table()).empty());
    EXPECT_EQ(r.owned(), Ownership::of(two_servers()));

    // The kernel holds the service with a stale weight and an unknown destination: the weight is
    // set, the unknown destination is someone else's.
    Reconciler r2;
    auto k = two_servers();
    k.services[web].destinations[rs("198.51.100.1")].weight = 7;
    k.services[web].destinations[rs("198.51.100.9")] = weight(1);
    EXPECT_EQ(lines(r2.update(two_servers(), k)),
              (Lines{"-e -t 192.0.2.10:80 -r 198.51.100.1:80 -m -w 1"}));
    // Stop: the adopted service is vigil's now, and goes with its destinations.
    EXPECT_EQ(lines(r2.stop(k)), (Lines{"-D -t 192.0.2.10:80"}));
}

TEST(Reconcile, LvsFlushFlushesFirstAtStartOnly) {
    FakeKernel kernel{with_foreign_service()};
    kernel.table().services[web] = two_servers().services.at(web);
    Reconciler r{ReconcilePolicy{.flush_at_start = true, .stop = StopMode::remove}};
    DesiredState desired = two_servers();
    std::vector<Step> steps{
        {"start: flush, then everything",
         [](DesiredState&, DesiredState&) {},
         {"-C", "-A -t 192.0.2.10:80 -s wlc", "-a -t 192.0.2.10:80 -r 198.51.100.1:80 -m -w 1",
          "-a -t 192.0.2.10:80 -r 198.51.100.2:80 -m -w 2"}},
        {"afterwards a foreign service is left alone",
         [](DesiredState&, DesiredState& k) { k = with_foreign_service(); },
         {"-A -t 192.0.2.10:80 -s wlc", "-a -t 192.0.2.10:80 -r 198.51.100.1:80 -m -w 1",
          "-a -t 192.0.2.10:80 -r 198.51.100.2:80 -m -w 2"}},
    };
    run(r, desired, kernel, steps);
    EXPECT_TRUE(kernel.table().services.contains(foreign));
}

TEST(Reconcile, StopModes) {
    auto table = with_foreign_service();
    table.services[web] = two_servers().services.at(web);
    table.services[mail].scheduler = "rr";

    Reconciler remove;
    EXPECT_TRUE(remove.update(two_servers(), table).empty());
    // Only what vigil owns, even though `mail` is there too (someone else's).
    EXPECT_EQ(lines(remove.stop(table)), (Lines{"-D -t 192.0.2.10:80"}));

    Reconciler keep{ReconcilePolicy{.flush_at_start = false, .stop = StopMode::keep}};
    EXPECT_TRUE(keep.update(two_servers(), table).empty());
    EXPECT_TRUE(keep.stop(table).empty());

    Reconciler flush{ReconcilePolicy{.flush_at_start = false, .stop = StopMode::flush}};
    EXPECT_TRUE(flush.update(two_servers(), table).empty());
    EXPECT_EQ(lines(flush.stop(table)), (Lines{"-C"}));

    // A service vigil owned but that is already gone is not deleted again.
    auto gone = table;
    gone.services.erase(web);
    EXPECT_TRUE(remove.stop(gone).empty());
}

TEST(Reconcile, FailedDeleteIsRetried) {
    Reconciler r;
    auto table = two_servers();
    EXPECT_TRUE(r.update(two_servers(), table).empty());
    const DesiredState none;
    EXPECT_EQ(lines(r.update(none, table)), (Lines{"-D -t 192.0.2.10:80"}));
    // The delete did not happen (the driver failed): still vigil's, asked again.
    EXPECT_EQ(lines(r.update(none, table)), (Lines{"-D -t 192.0.2.10:80"}));
    // Once gone it is forgotten: a service of that key created by someone else is theirs.
    EXPECT_TRUE(r.update(none, DesiredState{}).empty());
    EXPECT_TRUE(r.update(none, table).empty());
}

TEST(Reconcile, FieldsTheKernelIgnoresDoNotCount) {
    auto wanted = two_servers();
    auto read_back = wanted;
    // Masq: the tunnel settings mean nothing.
    read_back.services[web].destinations[rs("198.51.100.1")].tunnel_type = TunnelType::gre;
    read_back.services[web].destinations[rs("198.51.100.1")].tunnel_port = 9;
    EXPECT_TRUE(reconcile(wanted, read_back, Ownership::of(wanted)).empty());

    // ipip: neither port nor checksum; gre: the checksum but no port; gue: both.
    Destination a;
    a.forwarding = Forwarding::tunnel;
    auto b = a;
    b.tunnel_port = 1;
    b.tunnel_checksum = TunnelChecksum::csum;
    EXPECT_TRUE(same_destination(a, b));
    a.tunnel_type = b.tunnel_type = TunnelType::gre;
    EXPECT_FALSE(same_destination(a, b));
    b.tunnel_checksum = a.tunnel_checksum;
    EXPECT_TRUE(same_destination(a, b));
    a.tunnel_type = b.tunnel_type = TunnelType::gue;
    EXPECT_FALSE(same_destination(a, b));
    b.tunnel_type = TunnelType::ipip;
    EXPECT_FALSE(same_destination(a, b));

    // A change of tunnel settings is an edit.
    wanted.services[web].destinations[rs("198.51.100.1")] = a;
    EXPECT_EQ(lines(reconcile(wanted, read_back, Ownership::of(wanted))),
              (Lines{"-e -t 192.0.2.10:80 -r 198.51.100.1:80 -i --tun-type gue --tun-port 0 "
                     "--tun-nocsum -w 1"}));
}

// ------------------------------------------------ with the checker core's virtual servers

config::VirtualServer virtual_server() {
    config::VirtualServer v;
    v.kind = config::VirtualServer::Kind::address;
    v.address = ip("192.0.2.10");
    v.port = 80;
    v.protocol = config::LvsProtocol::tcp;
    v.lvs_sched = config::LvsScheduler::rr;
    v.quorum = 2;
    for (const char* a : {"198.51.100.1", "198.51.100.2"}) {
        config::RealServer r;
        r.address = ip(a);
        r.port = 80;
        v.real_servers.push_back(r);
    }
    v.real_servers[1].effective_inhibit_on_failure = true;
    v.sorry_server = config::SorryServer{};
    v.sorry_server->address = ip("203.0.113.9");
    v.sorry_server->port = 8080;
    return v;
}

DesiredState desired_of(const check::VirtualServerState& vs) {
    DesiredState d;
    vs.add_desired(d);
    return d;
}

TEST(Reconcile, HealthQuorumAndReloadThroughTheCheckerCore) {
    const auto config = virtual_server();
    check::VirtualServerState vs(config, nullptr, {{true, 1}, {true, 1}});
    (void)vs.start();
    Reconciler r;
    FakeKernel kernel;
    auto step = [&](const Lines& expected) {
        const auto ops = r.update(desired_of(vs), kernel.table());
        EXPECT_EQ(lines(ops), expected);
        const auto st = kernel.apply(ops);
        ASSERT_TRUE(st.ok()) << st.error();
    };
    step({"-A -t 192.0.2.10:80 -s rr", "-a -t 192.0.2.10:80 -r 198.51.100.1:80 -m -w 1",
          "-a -t 192.0.2.10:80 -r 198.51.100.2:80 -m -w 1"});
    step({});

    // The inhibited server goes down: weight 0, kept for its connections. Quorum 2 is lost
    // (alive weight 1): the sorry server is added first, then the real servers leave (the
    // inhibited one at weight 0).
    (void)vs.set_real_server(1, {false, 1});
    step({"-a -t 192.0.2.10:80 -r 203.0.113.9:8080 -m -w 1",
          "-e -t 192.0.2.10:80 -r 198.51.100.2:80 -m -w 0",
          "-d -t 192.0.2.10:80 -r 198.51.100.1:80"});
    ASSERT_TRUE(vs.sorry_server_active());

    // Quorum back: the real servers first, then the sorry server goes.
    (void)vs.set_real_server(1, {true, 1});
    step({"-a -t 192.0.2.10:80 -r 198.51.100.1:80 -m -w 1",
          "-e -t 192.0.2.10:80 -r 198.51.100.2:80 -m -w 1",
          "-d -t 192.0.2.10:80 -r 203.0.113.9:8080"});

    // A reload with an unchanged configuration: new state objects, the same table, no ops.
    check::VirtualServerState reloaded(config, nullptr, {{true, 1}, {true, 1}});
    (void)reloaded.start();
    EXPECT_TRUE(r.update(desired_of(reloaded), kernel.table()).empty());

    // A dynamic weight change.
    (void)reloaded.set_real_server(0, {true, 4});
    EXPECT_EQ(lines(r.update(desired_of(reloaded), kernel.table())),
              (Lines{"-e -t 192.0.2.10:80 -r 198.51.100.1:80 -m -w 4"}));

    // Shutdown: no service wanted any more.
    (void)reloaded.shutdown();
    EXPECT_EQ(lines(r.update(desired_of(reloaded), kernel.table())),
              (Lines{"-D -t 192.0.2.10:80"}));
}

// ------------------------------------------------------------------------- property test

// A small universe of keys and values, so that random tables overlap often.
class RandomTables {
  public:
    explicit RandomTables(std::uint32_t seed) : rng_(seed) {}

    DesiredState table() {
        DesiredState t;
        for (const auto& key : service_keys_) {
            if (!chance(2)) continue;
            auto& s = t.services[key];
            s.scheduler = pick<std::string>({"wlc", "rr", "sh"});
            s.sched_flag_1 = chance(4);
            if (chance(4))
                s.persistence = Persistence{pick<std::uint32_t>({300, 360}), 0xffffffffU, ""};
            for (const auto& dkey : dest_keys_)
                if (chance(2)) s.destinations[dkey] = destination();
        }
        return t;
    }

    Ownership ownership(const DesiredState& a, const DesiredState& b) {
        Ownership o;
        for (const auto* t : {&a, &b})
            for (const auto& [key, s] : t->services) {
                if (chance(2)) o.services.insert(key);
                for (const auto& [dkey, d] : s.destinations)
                    if (chance(2)) o.destinations.emplace(key, dkey);
            }
        return o;
    }

  private:
    bool chance(std::uint32_t one_in) {
        return std::uniform_int_distribution<std::uint32_t>(1, one_in)(rng_) == 1;
    }
    template <class T>
    T pick(std::initializer_list<T> values) {
        const auto i = std::uniform_int_distribution<std::size_t>(0, values.size() - 1)(rng_);
        return *(values.begin() + static_cast<std::ptrdiff_t>(i));
    }
    Destination destination() {
        Destination d;
        d.forwarding = pick({Forwarding::masq, Forwarding::droute, Forwarding::tunnel});
        // Also values in the fields the kernel ignores, which must not cause operations.
        d.tunnel_type = pick({TunnelType::ipip, TunnelType::gue, TunnelType::gre});
        d.tunnel_port = pick<std::uint16_t>({0, 6080});
        d.tunnel_checksum = pick({TunnelChecksum::nocsum, TunnelChecksum::csum});
        d.weight = pick<std::uint32_t>({0, 1, 2});
        d.u_threshold = pick<std::uint32_t>({0, 100});
        return d;
    }

    std::mt19937 rng_;
    std::vector<ServiceKey> service_keys_{
        tcp("192.0.2.10", 80), tcp("192.0.2.10", 443), tcp("192.0.2.11", 80),
        ServiceKey::for_fwmark(Family::inet, 5),
        ServiceKey::for_address(Protocol::udp, ip("2001:db8::10"), 53)};
    std::vector<DestinationKey> dest_keys_{rs("198.51.100.1"), rs("198.51.100.2"),
                                           rs("198.51.100.3", 8080), rs("2001:db8::2", 53)};
};

// After `ops` took `before` to `after`: what vigil wants is there, what it owned and no longer
// wants is gone, and what it never owned nor wants is untouched.
void check_outcome(const DesiredState& desired, const DesiredState& before,
                   const DesiredState& after, const Ownership& owned) {
    for (const auto& [key, want] : desired.services) {
        SCOPED_TRACE(key.to_string());
        const auto it = after.services.find(key);
        ASSERT_NE(it, after.services.end());
        const auto& got = it->second;
        EXPECT_TRUE(same_attributes(got, want));
        for (const auto& [dkey, d] : want.destinations) {
            const auto jt = got.destinations.find(dkey);
            ASSERT_NE(jt, got.destinations.end()) << dkey.to_string();
            EXPECT_TRUE(same_destination(jt->second, d)) << dkey.to_string();
        }
        // Any other destination is a foreign one the kernel held, untouched.
        for (const auto& [dkey, d] : got.destinations) {
            if (want.destinations.contains(dkey)) continue;
            EXPECT_FALSE(owned.owns(key, dkey)) << dkey.to_string();
            const auto bt = before.services.find(key);
            ASSERT_NE(bt, before.services.end());
            const auto old = bt->second.destinations.find(dkey);
            ASSERT_NE(old, bt->second.destinations.end());
            EXPECT_EQ(old->second, d);
        }
        // And every foreign destination the kernel held is still there; the owned ones are not.
        if (const auto bt = before.services.find(key); bt != before.services.end()) {
            for (const auto& [dkey, d] : bt->second.destinations) {
                if (want.destinations.contains(dkey)) continue;
                EXPECT_EQ(got.destinations.contains(dkey), !owned.owns(key, dkey))
                    << dkey.to_string();
            }
        }
    }
    for (const auto& [key, had] : before.services) {
        if (desired.services.contains(key)) continue;
        SCOPED_TRACE(key.to_string());
        if (owned.owns(key)) {
            EXPECT_FALSE(after.services.contains(key));
        } else {
            ASSERT_TRUE(after.services.contains(key));
            EXPECT_EQ(after.services.at(key), had);
        }
    }
    for (const auto& [key, s] : after.services)
        EXPECT_TRUE(desired.services.contains(key) || before.services.contains(key));
}

TEST(ReconcileProperty, RandomTablesConvergeAndLeaveForeignEntriesAlone) {
    RandomTables gen{20240611};
    for (int i = 0; i < 3000; ++i) {
        SCOPED_TRACE(i);
        const auto desired = gen.table();
        const auto actual = gen.table();
        const auto owned = gen.ownership(desired, actual);
        const auto ops = reconcile(desired, actual, owned);
        EXPECT_EQ(ops, reconcile(desired, actual, owned));  // deterministic
        FakeKernel kernel{actual};
        const auto st = kernel.apply(ops);
        ASSERT_TRUE(st.ok()) << st.error() << "\n" << to_string(ops);
        check_outcome(desired, actual, kernel.table(), owned);
        // Minimal: nothing left to do, and nothing issued when nothing differed.
        auto now_owned = owned;
        now_owned.add(desired);
        EXPECT_TRUE(reconcile(desired, kernel.table(), now_owned).empty());
        if (desired == actual) {
            EXPECT_TRUE(ops.empty());
        }
        // Every operation changes something: each edit differs, each add is missing.
        for (const auto& op : ops) {
            if (const auto* e = std::get_if<EditDest>(&op)) {
                EXPECT_FALSE(same_destination(
                    e->destination, actual.services.at(e->service).destinations.at(e->key)));
            }
            if (const auto* e = std::get_if<EditService>(&op)) {
                EXPECT_FALSE(same_attributes(e->service, actual.services.at(e->key)));
            }
            EXPECT_FALSE(std::holds_alternative<Flush>(op));
        }

        // lvs_flush: exactly the desired table.
        FakeKernel flushed{actual};
        ASSERT_TRUE(flushed.apply(reconcile(desired, actual, owned, ReconcileMode::flush)).ok());
        EXPECT_EQ(flushed.table(), desired);
    }
}

TEST(ReconcileProperty, ReconcilerOverRandomSequences) {
    RandomTables gen{7};
    for (int run_no = 0; run_no < 200; ++run_no) {
        SCOPED_TRACE(run_no);
        Reconciler r;
        FakeKernel kernel{gen.table()};
        // What vigil has ever wanted: anything else in the kernel must never be touched.
        Ownership ever;
        for (int step = 0; step < 8; ++step) {
            SCOPED_TRACE(step);
            const auto desired = gen.table();
            const auto before = kernel.table();
            const auto owned_before = [&] {
                auto o = r.owned();
                o.forget_absent(before);
                return o;
            }();
            const auto ops = r.update(desired, before);
            ASSERT_TRUE(kernel.apply(ops).ok());
            check_outcome(desired, before, kernel.table(), owned_before);
            ever.add(desired);
            // Drift: someone else changes a random part of the table.
            if (step % 3 == 2) {
                auto drift = gen.table();
                for (auto& [key, s] : drift.services) kernel.table().services[key] = s;
            }
        }
        const auto before = kernel.table();
        FakeKernel stopped{before};
        ASSERT_TRUE(stopped.apply(r.stop(before)).ok());
        for (const auto& [key, s] : before.services) {
            EXPECT_EQ(stopped.table().services.contains(key), !r.owned().owns(key));
            // A service vigil never wanted survives every step and the stop.
            if (!ever.owns(key)) {
                EXPECT_TRUE(stopped.table().services.contains(key));
            }
        }
    }
}

}  // namespace
}  // namespace vigil::ipvs
