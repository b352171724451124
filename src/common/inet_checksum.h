// The Internet checksum (RFC 1071): one's complement sum of 16-bit words, used by VRRP
// (RFC 3768 5.3.8, RFC 5798 5.2.8) and ICMPv6.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace vigil {

class InetChecksum {
  public:
    // Adds bytes as if they followed everything added so far (odd lengths are handled).
    void add(std::span<const std::byte> data);
    void add_u16(std::uint16_t v);
    void add_u32(std::uint32_t v);
    // The checksum to put in the packet (network byte order value).
    std::uint16_t finish() const;

  private:
    std::uint32_t sum_ = 0;
    bool odd_ = false;
};

}  // namespace vigil
