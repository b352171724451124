// The operations in ipvsadm's words: what the log shows and an operator can replay by hand.
#include "ipvs/ops.h"

#include <gtest/gtest.h>

namespace vigil::ipvs {
namespace {

IpAddress ip(const char* s) {
    return *IpAddress::parse(s);
}

const ServiceKey web = ServiceKey::for_address(Protocol::tcp, ip("192.0.2.10"), 80);
const DestinationKey rs1{ip("198.51.100.1"), 8080};

Service attributes(std::string scheduler) {
    Service s;
    s.scheduler = std::move(scheduler);
    return s;
}

TEST(IpvsOps, Services) {
    EXPECT_EQ(to_string(Op{AddService{web, attributes("wlc")}}), "-A -t 192.0.2.10:80 -s wlc");
    EXPECT_EQ(to_string(Op{DelService{web}}), "-D -t 192.0.2.10:80");
    EXPECT_EQ(to_string(Op{Flush{}}), "-C");

    auto s = attributes("sh");
    s.sched_flag_1 = true;
    s.sched_flag_2 = true;
    s.persistence = Persistence{600, 0xffffff00U, "sip"};
    s.one_packet = true;
    const auto udp = ServiceKey::for_address(Protocol::udp, ip("192.0.2.11"), 5060);
    EXPECT_EQ(to_string(Op{EditService{udp, s}}),
              "-E -u 192.0.2.11:5060 -s sh -b sh-fallback,sh-port -p 600 -M 255.255.255.0 "
              "--pe sip -o");
    // The default persistence granularity is not spelt out.
    s = attributes("rr");
    s.persistence = Persistence{};
    EXPECT_EQ(to_string(Op{AddService{web, s}}), "-A -t 192.0.2.10:80 -s rr -p 360");
}

TEST(IpvsOps, ServiceKinds) {
    const auto v6 = ServiceKey::for_address(Protocol::sctp, ip("2001:db8::10"), 443);
    EXPECT_EQ(to_string(Op{DelService{v6}}), "-D --sctp-service [2001:db8::10]:443");
    EXPECT_EQ(to_string(Op{DelService{ServiceKey::for_fwmark(Family::inet, 7)}}), "-D -f 7");
    EXPECT_EQ(to_string(Op{DelService{ServiceKey::for_fwmark(Family::inet6, 7)}}), "-D -f 7 -6");
    auto s = attributes("wrr");
    s.persistence = Persistence{360, 64, ""};
    EXPECT_EQ(to_string(Op{AddService{v6, s}}),
              "-A --sctp-service [2001:db8::10]:443 -s wrr -p 360 -M 64");
    s.persistence = Persistence{360, 128, ""};
    EXPECT_EQ(to_string(Op{AddService{v6, s}}),
              "-A --sctp-service [2001:db8::10]:443 -s wrr -p 360");
}

TEST(IpvsOps, Destinations) {
    Destination d;
    d.weight = 3;
    EXPECT_EQ(to_string(Op{AddDest{web, rs1, d}}),
              "-a -t 192.0.2.10:80 -r 198.51.100.1:8080 -m -w 3");
    d.forwarding = Forwarding::droute;
    d.weight = 0;
    d.u_threshold = 100;
    d.l_threshold = 10;
    EXPECT_EQ(to_string(Op{EditDest{web, rs1, d}}),
              "-e -t 192.0.2.10:80 -r 198.51.100.1:8080 -g -w 0 -x 100 -y 10");
    EXPECT_EQ(to_string(Op{DelDest{web, rs1}}), "-d -t 192.0.2.10:80 -r 198.51.100.1:8080");

    // A fwmark service's real server without a port, an IPv6 real server.
    const auto mark = ServiceKey::for_fwmark(Family::inet6, 9);
    EXPECT_EQ(to_string(Op{DelDest{mark, DestinationKey{ip("2001:db8::2"), 0}}}),
              "-d -f 9 -6 -r [2001:db8::2]");
    EXPECT_EQ(to_string(Op{DelDest{mark, DestinationKey{ip("2001:db8::2"), 80}}}),
              "-d -f 9 -6 -r [2001:db8::2]:80");
}

TEST(IpvsOps, Tunnels) {
    Destination d;
    d.forwarding = Forwarding::tunnel;
    EXPECT_EQ(to_string(Op{AddDest{web, rs1, d}}),
              "-a -t 192.0.2.10:80 -r 198.51.100.1:8080 -i -w 1");
    d.tunnel_type = TunnelType::gue;
    d.tunnel_port = 6080;
    d.tunnel_checksum = TunnelChecksum::remcsum;
    EXPECT_EQ(to_string(Op{AddDest{web, rs1, d}}),
              "-a -t 192.0.2.10:80 -r 198.51.100.1:8080 -i --tun-type gue --tun-port 6080 "
              "--tun-remcsum -w 1");
    d.tunnel_type = TunnelType::gre;
    d.tunnel_checksum = TunnelChecksum::csum;
    EXPECT_EQ(to_string(Op{AddDest{web, rs1, d}}),
              "-a -t 192.0.2.10:80 -r 198.51.100.1:8080 -i --tun-type gre --tun-csum -w 1");
}

TEST(IpvsOps, SyncDaemons) {
    SyncDaemonConfig c;
    c.interface = "eth1";
    c.syncid = 7;
    EXPECT_EQ(to_string(Op{StartDaemon{SyncRole::backup, c}}),
              "--start-daemon backup --mcast-interface eth1 --syncid 7 --mcast-group 224.0.0.81 "
              "--mcast-port 8848");
    c.maxlen = 1400;
    c.ttl = 2;
    c.port = 9000;
    c.group = ip("ff02::81");
    EXPECT_EQ(to_string(Op{StartDaemon{SyncRole::master, c}}),
              "--start-daemon master --mcast-interface eth1 --syncid 7 --sync-maxlen 1400 "
              "--mcast-group ff02::81 --mcast-port 9000 --mcast-ttl 2");
    EXPECT_EQ(to_string(Op{StopDaemon{SyncRole::master}}), "--stop-daemon master");
}

TEST(IpvsOps, ListOnePerLine) {
    const Ops ops{Flush{}, DelService{web}};
    EXPECT_EQ(to_string(ops), "-C\n-D -t 192.0.2.10:80\n");
    EXPECT_EQ(to_string(Ops{}), "");
}

}  // namespace
}  // namespace vigil::ipvs
