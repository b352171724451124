// Fuzzes the VRRP worker's whole receive path (IPv4 header, AH, codec, the instances'
// checks, dispatch) with instances of every kind. Oracle: a dropped datagram changes no
// instance's state, deadline or received-advert count.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <span>
#include <vector>

#include "vrrp/router.h"

namespace {

using namespace vigil;
using namespace vigil::vrrp;

IpAddress ip(const char* s) {
    return *IpAddress::parse(s);
}

InstanceSettings make(std::uint8_t vrid, std::uint8_t version, Family f, AuthType auth,
                      bool unicast) {
    InstanceSettings s;
    s.name = "VI_" + std::to_string(vrid);
    s.identity = {"eth0", vrid, f, unicast};
    s.fsm.name = s.name;
    s.fsm.vrid = vrid;
    s.fsm.version = version;
    s.fsm.family = f;
    s.advertised = {f == Family::inet ? ip("192.0.2.100") : ip("2001:db8::100")};
    s.send.multicast_group = f == Family::inet ? ip("224.0.0.18") : ip("ff02::12");
    if (unicast) s.send.unicast_peers = {f == Family::inet ? ip("192.0.2.2") : ip("fe80::2")};
    s.send.auth_type = auth;
    s.send.password = {'s', 'e', 'c', 'r', 'e', 't', 0, 0};
    s.send.password_size = 6;
    s.receive.version = version;
    s.receive.unicast = unicast;
    s.receive.auth_type = auth;
    if (auth == AuthType::pass) s.receive.auth_data = s.send.password;
    s.receive.vips = s.advertised;
    s.receive.peers = {{s.send.unicast_peers.empty() ? ip("192.0.2.2") : s.send.unicast_peers[0],
                        std::nullopt, std::nullopt}};
    return s;
}

Router make_router() {
    Router r;
    const auto add = [&r](InstanceSettings s, const char* src) {
        auto& i = r.add(std::make_unique<RouterInstance>(std::move(s), Binding{2, ip(src)}));
        (void)i.start(Time{});
    };
    add(make(1, 2, Family::inet, AuthType::pass, false), "192.0.2.1");
    add(make(2, 2, Family::inet, AuthType::ah, false), "192.0.2.1");
    add(make(3, 3, Family::inet, AuthType::none, false), "192.0.2.1");
    add(make(4, 3, Family::inet, AuthType::none, true), "192.0.2.1");
    add(make(5, 3, Family::inet6, AuthType::none, false), "fe80::1");
    add(make(6, 3, Family::inet6, AuthType::none, true), "fe80::1");
    return r;
}

struct Snapshot {
    State state;
    std::optional<Time> deadline;
    std::uint64_t received;
    std::optional<IpAddress> master;
    bool operator==(const Snapshot&) const = default;
};

std::vector<Snapshot> snapshot(const Router& r) {
    std::vector<Snapshot> out;
    for (const auto& i : r.instances())
        out.push_back({i->fsm().state(), i->next_deadline(), i->fsm().counters().adverts_received,
                       i->master_address()});
    return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) return 0;
    static Router router = make_router();
    const auto bytes = std::as_bytes(std::span(data + 1, size - 1));
    const Family f = (data[0] & 1U) != 0 ? Family::inet6 : Family::inet;
    const int ifindex = (data[0] & 2U) != 0 ? 3 : 2;
    const RxMeta meta{(data[0] & 4U) != 0 ? ip("fe80::2") : ip("fe80::9"), ip("ff02::12"),
                      static_cast<std::uint8_t>((data[0] & 8U) != 0 ? 255 : 1), std::nullopt};
    const auto before = snapshot(router);
    const auto t = Time{} + std::chrono::microseconds(size);
    const auto rx = router.receive(ifindex, f, bytes, meta, t);
    if (std::holds_alternative<Router::Rejected>(rx) && snapshot(router) != before) std::abort();
    return 0;
}
