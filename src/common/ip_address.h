// IP addresses and prefixes as plain values (IPv4 and IPv6), shared by the config model,
// the VRRP codec and the IPVS model. Pure: no sockets, no name resolution.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace vigil {

enum class Family : std::uint8_t { inet, inet6 };

class IpAddress {
  public:
    IpAddress() = default;
    static IpAddress v4(std::uint32_t host_order);
    static IpAddress v6(const std::array<std::uint8_t, 16>& bytes);
    // Parses dotted-quad IPv4 or RFC 4291 IPv6 text; no names, no ports, no prefixes.
    static std::optional<IpAddress> parse(std::string_view text);

    Family family() const { return family_; }
    bool is_v4() const { return family_ == Family::inet; }
    bool is_v6() const { return family_ == Family::inet6; }
    // Network-order bytes; 4 significant bytes for IPv4, 16 for IPv6.
    const std::array<std::uint8_t, 16>& bytes() const { return bytes_; }
    std::uint32_t v4_host_order() const;
    unsigned max_prefix() const { return is_v4() ? 32U : 128U; }

    bool is_multicast() const;
    bool is_link_local() const;  // 169.254/16 or fe80::/10
    bool is_unspecified() const;

    // The address with `delta` added (wrapping within the family); used for ranges.
    IpAddress offset(std::uint64_t delta) const;
    // Keeps the first `prefix_len` bits, clears the rest.
    IpAddress masked(unsigned prefix_len) const;

    std::string to_string() const;
    // NOLINTNEXTLINE(modernize-use-nullptr): clang-tidy 14 misreads a defaulted <=>
    auto operator<=>(const IpAddress&) const = default;

  private:
    Family family_ = Family::inet;
    std::array<std::uint8_t, 16> bytes_{};
};

struct IpPrefix {
    IpAddress address;
    unsigned length = 0;
    // "a.b.c.d/len" or "x::y/len"; a bare address is a host prefix.
    static std::optional<IpPrefix> parse(std::string_view text);
    std::string to_string() const;
    // NOLINTNEXTLINE(modernize-use-nullptr): clang-tidy 14 misreads a defaulted <=>
    auto operator<=>(const IpPrefix&) const = default;
};

std::string_view to_string(Family f);

}  // namespace vigil
