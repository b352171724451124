// The connection sync daemons and the connection timeouts, as ipvsadm shows them.
#include <gtest/gtest.h>

#include <chrono>

#include "ipvs_genl/ipvs_fixture.h"

namespace vigil::ipvs::testing {
namespace {

using std::chrono::seconds;

class SyncDaemonTest : public IpvsTest {
  protected:
    void SetUp() override {
        IpvsTest::SetUp();
        if (IsSkipped() || HasFatalFailure()) return;
        // A master sends from the interface's IPv4 address: it needs one.
        ASSERT_TRUE(sh("ip link add vs0 type veth peer name vs1"));
        ASSERT_TRUE(sh("ip addr add 192.0.2.1/24 dev vs0"));
        ASSERT_TRUE(sh("ip link set vs0 up && ip link set vs1 up"));
    }

    std::vector<SyncDaemon> daemons() {
        auto d = ipvs_->sync_daemons();
        EXPECT_TRUE(d.ok()) << d.error();
        return d.ok() ? d.value() : std::vector<SyncDaemon>{};
    }
};

TEST_F(SyncDaemonTest, MasterWithDefaultsAndBackupWithEverySetting) {
    EXPECT_TRUE(daemons().empty());
    EXPECT_EQ(ipvsadm("-L --daemon"), "");

    apply(start_daemon(SyncDaemon{.role = SyncRole::master, .interface = "vs0", .syncid = 7}));
    apply(start_daemon(SyncDaemon{.role = SyncRole::backup,
                                  .interface = "vs1",
                                  .syncid = 9,
                                  .max_len = 1400,
                                  .group = ip("239.1.2.3"),
                                  .port = 9000,
                                  .ttl = 3}));

    // Read back with the kernel's defaults filled in.
    const std::vector<SyncDaemon> want{
        SyncDaemon{.role = SyncRole::master,
                   .interface = "vs0",
                   .syncid = 7,
                   .max_len = 1472,
                   .group = ip("224.0.0.81"),
                   .port = 8848,
                   .ttl = 1},
        SyncDaemon{.role = SyncRole::backup,
                   .interface = "vs1",
                   .syncid = 9,
                   .max_len = 1400,
                   .group = ip("239.1.2.3"),
                   .port = 9000,
                   .ttl = 3},
    };
    EXPECT_EQ(daemons(), want);
    EXPECT_EQ(ipvsadm("-L --daemon"),
              "master sync daemon (mcast=vs0, syncid=7, maxlen=1472, group=224.0.0.81, "
              "port=8848, ttl=1)\n"
              "backup sync daemon (mcast=vs1, syncid=9, maxlen=1400, group=239.1.2.3, "
              "port=9000, ttl=3)\n");

    apply(StopDaemon{SyncRole::master});
    ASSERT_EQ(daemons().size(), 1U);
    EXPECT_EQ(daemons().front().role, SyncRole::backup);
    apply(StopDaemon{SyncRole::backup});
    EXPECT_TRUE(daemons().empty());
    EXPECT_EQ(ipvsadm("-L --daemon"), "");
}

TEST_F(SyncDaemonTest, IPv6Group) {
    ASSERT_TRUE(sh("ip addr add 2001:db8::1/64 dev vs0 nodad"));
    apply(start_daemon(SyncDaemon{
        .role = SyncRole::backup, .interface = "vs0", .syncid = 1, .group = ip("ff02::81")}));
    const auto d = daemons();
    ASSERT_EQ(d.size(), 1U);
    EXPECT_EQ(d.front().group, ip("ff02::81"));
}

TEST_F(SyncDaemonTest, Errors) {
    const SyncDaemon master{.role = SyncRole::master, .interface = "vs0", .syncid = 7};
    apply(start_daemon(master));
    EXPECT_EQ(error_of(start_daemon(master)),
              "cannot start the master sync daemon on vs0 (syncid 7): File exists (it is running "
              "already)");
    EXPECT_EQ(error_of(StopDaemon{SyncRole::backup}),
              "cannot stop the backup sync daemon: No such process (it is not running)");
    EXPECT_EQ(error_of(start_daemon(SyncDaemon{.role = SyncRole::backup, .interface = "nosuch0"})),
              "cannot start the backup sync daemon on nosuch0 (syncid 0): No such device (no such "
              "interface)");
}

TEST_F(IpvsTest, Timeouts) {
    auto t = ipvs_->timeouts();
    ASSERT_TRUE(t.ok()) << t.error();
    EXPECT_EQ(t.value(), (Timeouts{seconds(900), seconds(120), seconds(300)}));
    EXPECT_EQ(capture("ipvsadm -L --timeout"), "Timeout (tcp tcpfin udp): 900 120 300\n");

    // Only the timeouts given change.
    apply(SetTimeouts{.tcp = seconds(600), .tcp_fin = std::nullopt, .udp = std::nullopt});
    EXPECT_EQ(capture("ipvsadm -L --timeout"), "Timeout (tcp tcpfin udp): 600 120 300\n");
    apply(SetTimeouts{.tcp = std::nullopt, .tcp_fin = seconds(30), .udp = seconds(45)});
    t = ipvs_->timeouts();
    ASSERT_TRUE(t.ok()) << t.error();
    EXPECT_EQ(t.value(), (Timeouts{seconds(600), seconds(30), seconds(45)}));
    EXPECT_EQ(capture("ipvsadm -L --timeout"), "Timeout (tcp tcpfin udp): 600 30 45\n");
}

}  // namespace
}  // namespace vigil::ipvs::testing
