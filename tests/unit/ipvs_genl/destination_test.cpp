// Real servers through the driver: forwarding methods and tunnels, weights and thresholds,
// edits and deletes, errors, and the statistics compared with ipvsadm's.
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "ipvs_genl/ipvs_fixture.h"

namespace vigil::ipvs::testing {
namespace {

TEST_F(IpvsTest, ForwardingMethods) {
    const auto key = service(Protocol::tcp, "192.0.2.100", 80);
    Service s = scheduled("wrr");
    s.destinations[dest("198.51.100.10", 80)] = Destination{.forwarding = Forwarding::masq};
    s.destinations[dest("198.51.100.11", 80)] =
        Destination{.forwarding = Forwarding::droute, .weight = 2};
    s.destinations[dest("198.51.100.12", 80)] =
        Destination{.forwarding = Forwarding::tunnel, .weight = 3};
    add(key, s);

    EXPECT_EQ(read().services.at(key), s);
    EXPECT_EQ(ipvsadm("-Ln"),
              "TCP  192.0.2.100:80 wrr\n"
              "  -> 198.51.100.10:80             Masq    1      0          0         \n"
              "  -> 198.51.100.11:80             Route   2      0          0         \n"
              "  -> 198.51.100.12:80             Tunnel  3      0          0         \n");
}

TEST_F(IpvsTest, TunnelTypesPortsAndChecksums) {
    const auto key = service(Protocol::udp, "192.0.2.100", 53);
    Service s = scheduled("rr");
    s.destinations[dest("198.51.100.10", 53)] =
        Destination{.forwarding = Forwarding::tunnel, .tunnel_type = TunnelType::ipip};
    s.destinations[dest("198.51.100.11", 53)] =
        Destination{.forwarding = Forwarding::tunnel,
                    .tunnel_type = TunnelType::gue,
                    .tunnel_port = 6080,
                    .tunnel_checksum = TunnelChecksum::csum};
    s.destinations[dest("198.51.100.12", 53)] =
        Destination{.forwarding = Forwarding::tunnel,
                    .tunnel_type = TunnelType::gue,
                    .tunnel_port = 6081,
                    .tunnel_checksum = TunnelChecksum::remcsum};
    s.destinations[dest("198.51.100.13", 53)] =
        Destination{.forwarding = Forwarding::tunnel,
                    .tunnel_type = TunnelType::gre,
                    .tunnel_checksum = TunnelChecksum::csum};
    add(key, s);

    EXPECT_EQ(read().services.at(key), s);
    EXPECT_EQ(
        ipvsadm("-Ln --tun-info"),
        "UDP  192.0.2.100:53 rr\n"
        "  -> 198.51.100.10:53             Tunnel  ipip          1      0          0         \n"
        "  -> 198.51.100.11:53             Tunnel  gue:6080:+c   1      0          0         \n"
        "  -> 198.51.100.12:53             Tunnel  gue:6081:r+c  1      0          0         \n"
        "  -> 198.51.100.13:53             Tunnel  gre:+c        1      0          0         \n");
}

TEST_F(IpvsTest, IPv6ServiceWithIPv4TunnelledDestination) {
    const auto key = service(Protocol::tcp, "2001:db8::100", 80);
    Service s = scheduled("rr");
    s.destinations[dest("198.51.100.10", 80)] = Destination{.forwarding = Forwarding::tunnel};
    s.destinations[dest("2001:db8:1::10", 80)] = Destination{.forwarding = Forwarding::droute};
    add(key, s);
    EXPECT_EQ(read().services.at(key), s);
}

TEST_F(IpvsTest, WeightsThresholdsAndEdits) {
    const auto key = service(Protocol::tcp, "192.0.2.100", 80);
    Service s = scheduled("wlc");
    const auto rs = dest("198.51.100.10", 80);
    s.destinations[rs] = Destination{.weight = 5, .u_threshold = 100, .l_threshold = 50};
    s.destinations[dest("198.51.100.11", 80)] = Destination{.weight = 0};  // quiesced
    add(key, s);
    EXPECT_EQ(read().services.at(key), s);
    EXPECT_EQ(ipvsadm("-Ln --thresholds"),
              "TCP  192.0.2.100:80 wlc\n"
              "  -> 198.51.100.10:80             100        50         0          0         \n"
              "  -> 198.51.100.11:80             0          0          0          0         \n");

    // Weight, thresholds and method change in place.
    s.destinations[rs] = Destination{.forwarding = Forwarding::droute, .weight = 9};
    apply(EditDest{key, rs, s.destinations[rs]});
    EXPECT_EQ(read().services.at(key), s);
    EXPECT_EQ(ipvsadm("-Ln"),
              "TCP  192.0.2.100:80 wlc\n"
              "  -> 198.51.100.10:80             Route   9      0          0         \n"
              "  -> 198.51.100.11:80             Masq    0      0          0         \n");

    // From a GUE tunnel to masq: the kernel keeps stale tunnel settings, which must not show.
    s.destinations[rs] = Destination{.forwarding = Forwarding::tunnel,
                                     .tunnel_type = TunnelType::gue,
                                     .tunnel_port = 7000,
                                     .weight = 9};
    apply(EditDest{key, rs, s.destinations[rs]});
    EXPECT_EQ(read().services.at(key), s);
    s.destinations[rs] = Destination{.weight = 9};
    apply(EditDest{key, rs, s.destinations[rs]});
    EXPECT_EQ(read().services.at(key), s);
}

TEST_F(IpvsTest, DeleteDestination) {
    const auto key = ServiceKey::for_fwmark(Family::inet, 5);
    Service s = scheduled("rr");
    s.destinations[dest("198.51.100.10", 0)] = Destination{.forwarding = Forwarding::droute};
    s.destinations[dest("198.51.100.11", 0)] = Destination{.forwarding = Forwarding::droute};
    add(key, s);
    apply(DelDest{key, dest("198.51.100.10", 0)});
    s.destinations.erase(dest("198.51.100.10", 0));
    EXPECT_EQ(read().services.at(key), s);
    EXPECT_EQ(ipvsadm("-Ln"),
              "FWM  5 rr\n"
              "  -> 198.51.100.11:0              Route   1      0          0         \n");
}

TEST_F(IpvsTest, DestinationErrorsNameBothEnds) {
    const auto key = service(Protocol::tcp, "192.0.2.100", 80);
    const auto rs = dest("198.51.100.10", 80);
    EXPECT_EQ(error_of(AddDest{key, rs, Destination{}}),
              "cannot add destination 198.51.100.10:80 to TCP 192.0.2.100:80: No such process "
              "(the service does not exist)");
    add(key, scheduled("rr"));
    EXPECT_EQ(error_of(DelDest{key, rs}),
              "cannot delete destination 198.51.100.10:80 from TCP 192.0.2.100:80: No such file "
              "or directory (the destination does not exist)");
    EXPECT_EQ(error_of(EditDest{key, rs, Destination{}}),
              "cannot change destination 198.51.100.10:80 of TCP 192.0.2.100:80: No such file or "
              "directory (the destination does not exist)");
    apply(AddDest{key, rs, Destination{}});
    EXPECT_EQ(error_of(AddDest{key, rs, Destination{}}),
              "cannot add destination 198.51.100.10:80 to TCP 192.0.2.100:80: File exists (the "
              "destination exists already)");
    // GUE needs a port.
    const auto gue = dest("2001:db8::10", 80);
    EXPECT_TRUE(
        error_of(
            AddDest{service(Protocol::tcp, "192.0.2.100", 80), gue,
                    Destination{.forwarding = Forwarding::tunnel, .tunnel_type = TunnelType::gue}})
            .starts_with("cannot add destination [2001:db8::10]:80 to TCP 192.0.2.100:80: "));
}

// One numeric ipvsadm listing line: its first column and the numbers after the endpoint.
struct ListingLine {
    std::string endpoint;
    std::vector<std::uint64_t> numbers;
};

std::vector<ListingLine> listing(const std::string& text) {
    std::vector<ListingLine> out;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream words(line);
        std::string first;
        std::string endpoint;
        words >> first >> endpoint;
        ListingLine l{first == "->" ? endpoint : first + " " + endpoint, {}};
        std::string w;
        while (words >> w)
            if (w.find_first_not_of("0123456789") == std::string::npos)
                l.numbers.push_back(std::stoull(w));
        out.push_back(l);
    }
    return out;
}

TEST_F(IpvsTest, StatisticsAgreeWithIpvsadm) {
    // A locally sent datagram to a masq service is scheduled (IPVS's LOCAL_OUT hook) and
    // counted, though nobody answers.
    ASSERT_TRUE(sh("ip link add vs0 type veth peer name vs1"));
    ASSERT_TRUE(sh("ip addr add 192.0.2.1/24 dev vs0"));
    ASSERT_TRUE(sh("ip link set vs0 up && ip link set vs1 up"));
    const auto key = service(Protocol::udp, "192.0.2.100", 9);
    Service s = scheduled("rr");
    s.persistence = Persistence{.timeout_s = 60, .netmask = 0xffffffffU, .engine = ""};
    s.destinations[dest("192.0.2.2", 9)] = Destination{};
    s.destinations[dest("192.0.2.3", 9)] = Destination{.weight = 0};
    add(key, s);
    ASSERT_TRUE(sh("bash -c 'for i in 1 2 3; do echo hello >/dev/udp/192.0.2.100/9; done'"))
        << "bash's /dev/udp";

    // The kernel folds its per-CPU counters into what it reports every 2 s (its estimator).
    auto snapshot = ipvs_->read_with_stats();
    for (int i = 0; i < 50 && snapshot.ok() && snapshot->stats[key].counters.in_packets < 3; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        snapshot = ipvs_->read_with_stats();
    }
    ASSERT_TRUE(snapshot.ok()) << snapshot.error();
    EXPECT_EQ(snapshot->table.services.at(key), s);
    const ServiceStats& stats = snapshot->stats.at(key);
    EXPECT_EQ(stats.counters.in_packets, 3U);
    const DestinationStats& used = stats.destinations.at(dest("192.0.2.2", 9));
    EXPECT_EQ(used.counters.in_packets, 3U);
    EXPECT_EQ(used.persistent_connections, 1U);

    const auto lines = listing(ipvsadm("-Ln --stats --exact"));
    ASSERT_EQ(lines.size(), 3U) << ipvsadm("-Ln --stats --exact");
    const auto expect_counters = [](const ListingLine& l, const Counters& c) {
        EXPECT_EQ(l.numbers, (std::vector<std::uint64_t>{c.connections, c.in_packets, c.out_packets,
                                                         c.in_bytes, c.out_bytes}))
            << l.endpoint;
    };
    EXPECT_EQ(lines[0].endpoint, "UDP 192.0.2.100:9");
    expect_counters(lines[0], stats.counters);
    EXPECT_EQ(lines[1].endpoint, "192.0.2.2:9");
    expect_counters(lines[1], used.counters);
    EXPECT_EQ(lines[2].endpoint, "192.0.2.3:9");
    expect_counters(lines[2], stats.destinations.at(dest("192.0.2.3", 9)).counters);

    // Weight, persistent, active and inactive connections per destination.
    const auto conns = listing(ipvsadm("-Ln --persistent-conn"));
    ASSERT_EQ(conns.size(), 3U);
    EXPECT_EQ(conns[1].numbers,
              (std::vector<std::uint64_t>{1, used.persistent_connections, used.active_connections,
                                          used.inactive_connections}));
}

}  // namespace
}  // namespace vigil::ipvs::testing
