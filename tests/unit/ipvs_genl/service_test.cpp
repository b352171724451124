// Virtual services through the driver, checked twice: read back through the driver, and as
// ipvsadm (the kernel's other client) lists them.
#include <gtest/gtest.h>

#include "ipvs_genl/ipvs_fixture.h"

namespace vigil::ipvs::testing {
namespace {

TEST_F(IpvsTest, EmptyTable) {
    EXPECT_EQ(read(), DesiredState{});
    EXPECT_EQ(ipvsadm("-Ln"), "");
}

TEST_F(IpvsTest, EveryProtocolInBothFamilies) {
    DesiredState want;
    want.services[service(Protocol::tcp, "192.0.2.100", 80)] = scheduled("wlc");
    want.services[service(Protocol::udp, "192.0.2.100", 53)] = scheduled("rr");
    want.services[service(Protocol::sctp, "192.0.2.100", 5060)] = scheduled("wrr");
    want.services[service(Protocol::tcp, "2001:db8::100", 443)] = scheduled("lc");
    want.services[service(Protocol::udp, "2001:db8::100", 53)] = scheduled("sed");
    want.services[service(Protocol::sctp, "2001:db8::100", 5060)] = scheduled("nq");
    for (const auto& [k, s] : want.services) add(k, s);

    EXPECT_EQ(read(), want);
    EXPECT_EQ(ipvsadm("-Ln"),
              "TCP  192.0.2.100:80 wlc\n"
              "UDP  192.0.2.100:53 rr\n"
              "SCTP 192.0.2.100:5060 wrr\n"
              "TCP  [2001:db8::100]:443 lc\n"
              "UDP  [2001:db8::100]:53 sed\n"
              "SCTP [2001:db8::100]:5060 nq\n");
}

TEST_F(IpvsTest, FirewallMarkServices) {
    DesiredState want;
    want.services[ServiceKey::for_fwmark(Family::inet, 7)] = scheduled("lblc");
    want.services[ServiceKey::for_fwmark(Family::inet6, 8)] = scheduled("lblcr");
    for (const auto& [k, s] : want.services) add(k, s);

    EXPECT_EQ(read(), want);
    EXPECT_EQ(ipvsadm("-Ln"),
              "FWM  7 lblc\n"
              "FWM  8 IPv6 lblcr\n");
}

TEST_F(IpvsTest, SchedulersAndTheirFlags) {
    DesiredState want;
    Service sh = scheduled("sh");
    sh.sched_flag_1 = true;
    sh.sched_flag_2 = true;
    want.services[service(Protocol::tcp, "192.0.2.1", 80)] = sh;
    Service mh = scheduled("mh");
    mh.sched_flag_2 = true;
    want.services[service(Protocol::tcp, "192.0.2.2", 80)] = mh;
    Service dh = scheduled("dh");
    dh.sched_flag_3 = true;
    want.services[service(Protocol::tcp, "192.0.2.3", 80)] = dh;
    want.services[service(Protocol::tcp, "192.0.2.4", 80)] = scheduled("fo");
    want.services[service(Protocol::tcp, "192.0.2.5", 80)] = scheduled("ovf");
    for (const auto& [k, s] : want.services) add(k, s);

    EXPECT_EQ(read(), want);
    EXPECT_EQ(ipvsadm("-Ln"),
              "TCP  192.0.2.1:80 sh (sh-fallback,sh-port)\n"
              "TCP  192.0.2.2:80 mh (mh-port)\n"
              "TCP  192.0.2.3:80 dh (flag-3)\n"
              "TCP  192.0.2.4:80 fo\n"
              "TCP  192.0.2.5:80 ovf\n");
}

TEST_F(IpvsTest, PersistenceNetmasksAndEngine) {
    DesiredState want;
    Service v4 = scheduled("wlc");
    v4.persistence = Persistence{.timeout_s = 600, .netmask = 0xffffff00U, .engine = ""};
    want.services[service(Protocol::tcp, "192.0.2.100", 443)] = v4;
    Service v6 = scheduled("rr");
    v6.persistence = Persistence{.timeout_s = 300, .netmask = 64, .engine = ""};
    want.services[service(Protocol::tcp, "2001:db8::100", 443)] = v6;
    Service sip = scheduled("rr");
    sip.persistence = Persistence{.timeout_s = 360, .netmask = 0xffffffffU, .engine = "sip"};
    want.services[service(Protocol::udp, "192.0.2.100", 5060)] = sip;
    Service fwm = scheduled("wlc");
    fwm.persistence = Persistence{.timeout_s = 50, .netmask = 0xffff0000U, .engine = ""};
    want.services[ServiceKey::for_fwmark(Family::inet, 1)] = fwm;
    for (const auto& [k, s] : want.services) add(k, s);

    EXPECT_EQ(read(), want);
    EXPECT_EQ(ipvsadm("-Ln"),
              "TCP  192.0.2.100:443 wlc persistent 600 mask 255.255.255.0\n"
              "UDP  192.0.2.100:5060 rr persistent 360 pe sip\n"
              "TCP  [2001:db8::100]:443 rr persistent 300 mask 64\n"
              "FWM  1 wlc persistent 50 mask 255.255.0.0\n");
}

TEST_F(IpvsTest, OnePacketScheduling) {
    Service s = scheduled("rr");
    s.one_packet = true;
    const auto key = service(Protocol::udp, "192.0.2.53", 53);
    add(key, s);
    EXPECT_EQ(read().services.at(key), s);
    EXPECT_EQ(ipvsadm("-Ln"), "UDP  192.0.2.53:53 rr ops\n");
}

TEST_F(IpvsTest, EditChangesSchedulerFlagsAndPersistence) {
    const auto key = service(Protocol::tcp, "192.0.2.100", 80);
    Service s = scheduled("wlc");
    add(key, s);

    s.scheduler = "sh";
    s.sched_flag_2 = true;
    s.one_packet = true;
    s.persistence = Persistence{.timeout_s = 120, .netmask = 0xffffff00U, .engine = ""};
    apply(EditService{key, s});
    EXPECT_EQ(read().services.at(key), s);
    EXPECT_EQ(ipvsadm("-Ln"),
              "TCP  192.0.2.100:80 sh (sh-port) persistent 120 mask 255.255.255.0 ops\n");

    // Back to plain: every flag and the persistence go away.
    s = scheduled("rr");
    apply(EditService{key, s});
    EXPECT_EQ(read().services.at(key), s);
    EXPECT_EQ(ipvsadm("-Ln"), "TCP  192.0.2.100:80 rr\n");
}

TEST_F(IpvsTest, EditAddsAndRemovesThePersistenceEngine) {
    const auto key = service(Protocol::udp, "192.0.2.100", 5060);
    Service s = scheduled("rr");
    s.persistence = Persistence{.timeout_s = 360, .netmask = 0xffffffffU, .engine = ""};
    add(key, s);
    s.persistence->engine = "sip";
    apply(EditService{key, s});
    EXPECT_EQ(read().services.at(key), s);
    EXPECT_EQ(ipvsadm("-Ln"), "UDP  192.0.2.100:5060 rr persistent 360 pe sip\n");
    s.persistence->engine.clear();
    apply(EditService{key, s});
    EXPECT_EQ(read().services.at(key), s);
    EXPECT_EQ(ipvsadm("-Ln"), "UDP  192.0.2.100:5060 rr persistent 360\n");
}

TEST_F(IpvsTest, DeleteAndFlush) {
    const auto a = service(Protocol::tcp, "192.0.2.100", 80);
    const auto b = service(Protocol::udp, "2001:db8::1", 53);
    const auto c = ServiceKey::for_fwmark(Family::inet6, 9);
    Service with_dest = scheduled("rr");
    with_dest.destinations[dest("198.51.100.10", 80)] = Destination{};
    add(a, with_dest);
    add(b, scheduled("rr"));
    add(c, scheduled("rr"));

    apply(DelService{a});
    auto state = read();
    EXPECT_EQ(state.services.size(), 2U);
    EXPECT_FALSE(state.services.contains(a));

    apply(Flush{});
    EXPECT_EQ(read(), DesiredState{});
    EXPECT_EQ(ipvsadm("-Ln"), "");
}

// The parser against the kernel's table as ipvsadm wrote it, independently of the encoder.
TEST_F(IpvsTest, ReadsWhatIpvsadmWrote) {
    ASSERT_TRUE(
        sh("ipvsadm -A -t 192.0.2.100:80 -s mh -b mh-fallback,mh-port -p 120 -M 255.255.0.0"));
    // ipvsadm gives a direct-routing real server the service's port.
    ASSERT_TRUE(sh("ipvsadm -a -t 192.0.2.100:80 -r 198.51.100.10:8080 -g -w 3 -x 10 -y 5"));
    ASSERT_TRUE(sh("ipvsadm -a -t 192.0.2.100:80 -r 198.51.100.11:8080 -m -w 0"));
    ASSERT_TRUE(sh("ipvsadm -A -u [2001:db8::53]:53 -s rr -o"));
    ASSERT_TRUE(
        sh("ipvsadm -a -u [2001:db8::53]:53 -r [2001:db8:1::10]:53 -i --tun-type gue "
           "--tun-port 6080 --tun-csum -w 2"));
    ASSERT_TRUE(sh("ipvsadm -A -f 42 -6 -s wrr -p 30 -M 96"));

    DesiredState want;
    Service web = scheduled("mh");
    web.sched_flag_1 = true;
    web.sched_flag_2 = true;
    web.persistence = Persistence{.timeout_s = 120, .netmask = 0xffff0000U, .engine = ""};
    web.destinations[dest("198.51.100.10", 80)] = Destination{
        .forwarding = Forwarding::droute, .weight = 3, .u_threshold = 10, .l_threshold = 5};
    web.destinations[dest("198.51.100.11", 8080)] = Destination{.weight = 0};
    want.services[service(Protocol::tcp, "192.0.2.100", 80)] = web;
    Service dns = scheduled("rr");
    dns.one_packet = true;
    dns.destinations[dest("2001:db8:1::10", 53)] =
        Destination{.forwarding = Forwarding::tunnel,
                    .tunnel_type = TunnelType::gue,
                    .tunnel_port = 6080,
                    .tunnel_checksum = TunnelChecksum::csum,
                    .weight = 2};
    want.services[service(Protocol::udp, "2001:db8::53", 53)] = dns;
    Service mark = scheduled("wrr");
    mark.persistence = Persistence{.timeout_s = 30, .netmask = 96, .engine = ""};
    want.services[ServiceKey::for_fwmark(Family::inet6, 42)] = mark;

    EXPECT_EQ(read(), want);
}

TEST_F(IpvsTest, ServiceErrorsNameTheServiceAndTheKernelsReason) {
    const auto key = service(Protocol::tcp, "192.0.2.100", 80);
    add(key, scheduled("wlc"));
    EXPECT_EQ(error_of(AddService{key, scheduled("wlc")}),
              "cannot add service TCP 192.0.2.100:80 (scheduler wlc): File exists (the service "
              "exists already)");
    EXPECT_EQ(error_of(AddService{service(Protocol::tcp, "192.0.2.101", 80), scheduled("nosuch")}),
              "cannot add service TCP 192.0.2.101:80 (scheduler nosuch): No such file or "
              "directory (no such scheduler or persistence engine in this kernel)");
    EXPECT_EQ(error_of(DelService{service(Protocol::udp, "2001:db8::1", 53)}),
              "cannot delete service UDP [2001:db8::1]:53: No such process (the service does not "
              "exist)");
    EXPECT_EQ(error_of(EditService{ServiceKey::for_fwmark(Family::inet, 3), scheduled("rr")}),
              "cannot change service FWM 3 IPv4: No such process (the service does not exist)");
    // The table is as it was.
    EXPECT_EQ(ipvsadm("-Ln"), "TCP  192.0.2.100:80 wlc\n");
}

TEST(IpvsAvailability, OutsideAKernelWithIpvsTheErrorSaysSo) {
    auto opened = open_ipvs();
    if (opened) GTEST_SKIP() << "this kernel has IPVS";
    EXPECT_TRUE(opened.error().starts_with("IPVS is not available in this kernel"))
        << opened.error();
}

}  // namespace
}  // namespace vigil::ipvs::testing
