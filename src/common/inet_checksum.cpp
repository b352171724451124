#include "common/inet_checksum.h"

namespace vigil {

void InetChecksum::add(std::span<const std::byte> data) {
    for (const std::byte b : data) {
        const auto v = static_cast<std::uint32_t>(b);
        sum_ += odd_ ? v : v << 8;
        odd_ = !odd_;
    }
    while ((sum_ >> 16) != 0) sum_ = (sum_ & 0xFFFFU) + (sum_ >> 16);
}

void InetChecksum::add_u16(std::uint16_t v) {
    const std::byte b[2] = {std::byte(v >> 8), std::byte(v & 0xFF)};
    add(b);
}

void InetChecksum::add_u32(std::uint32_t v) {
    add_u16(static_cast<std::uint16_t>(v >> 16));
    add_u16(static_cast<std::uint16_t>(v & 0xFFFF));
}

std::uint16_t InetChecksum::finish() const {
    std::uint32_t s = sum_;
    while ((s >> 16) != 0) s = (s & 0xFFFFU) + (s >> 16);
    return static_cast<std::uint16_t>(~s & 0xFFFFU);
}

}  // namespace vigil
