// The sync daemons follow the VRRP instance lvs_sync_daemon names.
#include <gtest/gtest.h>

#include "ipvs/reconcile.h"

namespace vigil::ipvs {
namespace {

SyncDaemonConfig eth1() {
    SyncDaemonConfig c;
    c.interface = "eth1";
    c.syncid = 51;
    return c;
}

std::vector<std::string> lines(const Ops& ops) {
    std::vector<std::string> out;
    out.reserve(ops.size());
    for (const auto& op : ops) out.push_back(to_string(op));
    return out;
}

using Lines = std::vector<std::string>;

TEST(SyncDaemon, WantedByInstanceState) {
    const auto c = eth1();
    EXPECT_EQ(wanted_sync_daemons(c, SyncInstance::master), (SyncDaemons{c, std::nullopt}));
    EXPECT_EQ(wanted_sync_daemons(c, SyncInstance::not_master), (SyncDaemons{std::nullopt, c}));
    EXPECT_EQ(wanted_sync_daemons(c, SyncInstance::unnamed), (SyncDaemons{c, c}));
    EXPECT_EQ(wanted_sync_daemons(std::nullopt, SyncInstance::master), SyncDaemons{});
}

struct Transition {
    std::string what;
    SyncDaemons current;
    SyncDaemons wanted;
    Lines expected;
};

TEST(SyncDaemon, Transitions) {
    const auto c = eth1();
    auto other = c;
    other.interface = "eth2";
    auto reported = c;  // as the kernel reports a daemon started without maxlen and ttl
    reported.maxlen = 1472;
    reported.ttl = 1;
    const std::string start_master =
        "--start-daemon master --mcast-interface eth1 --syncid 51 --mcast-group 224.0.0.81 "
        "--mcast-port 8848";
    const std::string start_backup =
        "--start-daemon backup --mcast-interface eth1 --syncid 51 --mcast-group 224.0.0.81 "
        "--mcast-port 8848";
    const std::vector<Transition> table{
        {"start as backup", {}, wanted_sync_daemons(c, SyncInstance::not_master), {start_backup}},
        {"backup to master: stop before start",
         {std::nullopt, c},
         wanted_sync_daemons(c, SyncInstance::master),
         {"--stop-daemon backup", start_master}},
        {"master to backup",
         {c, std::nullopt},
         wanted_sync_daemons(c, SyncInstance::not_master),
         {"--stop-daemon master", start_backup}},
        {"unchanged", {c, std::nullopt}, wanted_sync_daemons(c, SyncInstance::master), {}},
        {"kernel defaults for maxlen and ttl match unset values",
         {reported, std::nullopt},
         wanted_sync_daemons(c, SyncInstance::master),
         {}},
        {"a set maxlen that differs restarts",
         {reported, std::nullopt},
         [&] {
             auto w = c;
             w.maxlen = 1400;
             return SyncDaemons{w, std::nullopt};
         }(),
         {"--stop-daemon master",
          "--start-daemon master --mcast-interface eth1 --syncid 51 --sync-maxlen 1400 "
          "--mcast-group 224.0.0.81 --mcast-port 8848"}},
        {"reload moves to another interface: stop and start",
         {std::nullopt, other},
         wanted_sync_daemons(c, SyncInstance::not_master),
         {"--stop-daemon backup", start_backup}},
        {"no instance named: both",
         {},
         wanted_sync_daemons(c, SyncInstance::unnamed),
         {start_master, start_backup}},
        {"stop: both stopped",
         {c, c},
         wanted_sync_daemons(std::nullopt, SyncInstance::master),
         {"--stop-daemon master", "--stop-daemon backup"}},
    };
    for (const auto& t : table) {
        SCOPED_TRACE(t.what);
        EXPECT_EQ(lines(sync_daemon_ops(t.current, t.wanted)), t.expected);
    }
}

}  // namespace
}  // namespace vigil::ipvs
