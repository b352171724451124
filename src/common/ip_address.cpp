#include "common/ip_address.h"

#include <arpa/inet.h>

#include <charconv>

namespace vigil {

IpAddress IpAddress::v4(std::uint32_t host_order) {
    IpAddress a;
    a.family_ = Family::inet;
    a.bytes_[0] = static_cast<std::uint8_t>(host_order >> 24);
    a.bytes_[1] = static_cast<std::uint8_t>(host_order >> 16);
    a.bytes_[2] = static_cast<std::uint8_t>(host_order >> 8);
    a.bytes_[3] = static_cast<std::uint8_t>(host_order);
    return a;
}

IpAddress IpAddress::v6(const std::array<std::uint8_t, 16>& bytes) {
    IpAddress a;
    a.family_ = Family::inet6;
    a.bytes_ = bytes;
    return a;
}

std::optional<IpAddress> IpAddress::parse(std::string_view text) {
    if (text.empty() || text.size() > INET6_ADDRSTRLEN) return std::nullopt;
    const std::string s(text);
    IpAddress a;
    if (s.find(':') == std::string::npos) {
        // inet_pton(AF_INET) accepts exactly dotted-quad decimal, as keepalived does.
        if (inet_pton(AF_INET, s.c_str(), a.bytes_.data()) != 1) return std::nullopt;
        a.family_ = Family::inet;
        return a;
    }
    if (inet_pton(AF_INET6, s.c_str(), a.bytes_.data()) != 1) return std::nullopt;
    a.family_ = Family::inet6;
    return a;
}

std::uint32_t IpAddress::v4_host_order() const {
    return (std::uint32_t{bytes_[0]} << 24) | (std::uint32_t{bytes_[1]} << 16) |
           (std::uint32_t{bytes_[2]} << 8) | std::uint32_t{bytes_[3]};
}

bool IpAddress::is_multicast() const {
    return is_v4() ? (bytes_[0] & 0xF0U) == 0xE0U : bytes_[0] == 0xFFU;
}

bool IpAddress::is_link_local() const {
    return is_v4() ? (bytes_[0] == 169 && bytes_[1] == 254)
                   : (bytes_[0] == 0xFE && (bytes_[1] & 0xC0U) == 0x80U);
}

bool IpAddress::is_unspecified() const {
    const unsigned n = is_v4() ? 4 : 16;
    for (unsigned i = 0; i < n; ++i)
        if (bytes_[i] != 0) return false;
    return true;
}

IpAddress IpAddress::offset(std::uint64_t delta) const {
    IpAddress r = *this;
    const int last = is_v4() ? 3 : 15;
    unsigned carry = 0;
    for (int i = last; i >= 0 && (delta != 0 || carry != 0); --i) {
        const unsigned sum = r.bytes_[i] + static_cast<unsigned>(delta & 0xFFU) + carry;
        r.bytes_[i] = static_cast<std::uint8_t>(sum);
        carry = sum >> 8;
        delta >>= 8;
    }
    return r;
}

IpAddress IpAddress::masked(unsigned prefix_len) const {
    IpAddress r = *this;
    const unsigned nbytes = is_v4() ? 4 : 16;
    for (unsigned i = 0; i < nbytes; ++i) {
        const unsigned bit = i * 8;
        if (prefix_len >= bit + 8) continue;
        if (prefix_len <= bit) {
            r.bytes_[i] = 0;
        } else {
            const unsigned keep = prefix_len - bit;
            r.bytes_[i] &= static_cast<std::uint8_t>(0xFFU << (8 - keep));
        }
    }
    return r;
}

std::string IpAddress::to_string() const {
    char buf[INET6_ADDRSTRLEN] = {};
    inet_ntop(is_v4() ? AF_INET : AF_INET6, bytes_.data(), buf, sizeof buf);
    return buf;
}

std::optional<IpPrefix> IpPrefix::parse(std::string_view text) {
    const auto slash = text.find('/');
    auto addr = IpAddress::parse(text.substr(0, slash));
    if (!addr) return std::nullopt;
    IpPrefix p{*addr, addr->max_prefix()};
    if (slash == std::string_view::npos) return p;
    const auto len_text = text.substr(slash + 1);
    unsigned len = 0;
    const auto* end = len_text.data() + len_text.size();
    const auto [ptr, ec] = std::from_chars(len_text.data(), end, len);
    if (ec != std::errc{} || ptr != end || len_text.empty() || len > addr->max_prefix())
        return std::nullopt;
    p.length = len;
    return p;
}

std::string IpPrefix::to_string() const {
    return address.to_string() + "/" + std::to_string(length);
}

std::string_view to_string(Family f) {
    switch (f) {
        case Family::inet:
            return "inet";
        case Family::inet6:
            return "inet6";
    }
    return "?";
}

}  // namespace vigil
