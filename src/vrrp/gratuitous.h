// Gratuitous ARP (IPv4) and unsolicited Neighbour Advertisement (IPv6) frames, pure: a new
// master announces each virtual address with them so that hosts and switches learn the MAC
// the address now lives behind (RFC 5798 6.4.1 / 6.4.2, RFC 3768 6.4.1). The builders write
// whole Ethernet frames into the caller's buffer, ready for an AF_PACKET socket.
//
// The frames are byte-exact with what keepalived 2.2.7 sends (captured on a veth pair):
// - ARP: a broadcast *request* with sender IP = target IP = the VIP and target MAC
//   ff:ff:ff:ff:ff:ff (not zero), 42 bytes without Ethernet padding (the NIC pads).
// - NA: to 33:33:00:00:00:01 / ff02::1, hop limit 255, Override set, Solicited clear, Router
//   set only when the interface forwards IPv6, a target link-layer address option. keepalived
//   uses the VIP itself as the IPv6 source address; RFC 4861 7.2.6 allows any address of the
//   interface, so the source is the caller's choice (pass the VIP to match keepalived, or the
//   interface's link-local address).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "common/ip_address.h"

namespace vigil::vrrp {

using Mac = std::array<std::uint8_t, 6>;

constexpr std::size_t ethernet_header_size = 14;
constexpr std::uint16_t ethertype_arp = 0x0806;
constexpr std::uint16_t ethertype_ipv6 = 0x86DD;

// Ethernet (14) + ARP for IPv4 over Ethernet (28).
constexpr std::size_t garp_frame_size = ethernet_header_size + 28;
// Ethernet (14) + IPv6 (40) + NA (24) + target link-layer address option (8).
constexpr std::size_t unsolicited_na_frame_size = ethernet_header_size + 40 + 24 + 8;
// A buffer of this size holds either frame.
constexpr std::size_t max_gratuitous_frame_size = unsolicited_na_frame_size;

// A gratuitous ARP for `vip` (IPv4) from `src_mac`. `out` holds at least garp_frame_size
// bytes; returns the frame size.
std::size_t build_garp(std::span<std::byte> out, const Mac& src_mac, const IpAddress& vip);

// An unsolicited Neighbour Advertisement for `vip` (IPv6) from `src_mac` and IPv6 source
// `src_ip`, with the Router flag when `router` (the interface forwards). `out` holds at least
// unsolicited_na_frame_size bytes; returns the frame size.
std::size_t build_unsolicited_na(std::span<std::byte> out, const Mac& src_mac,
                                 const IpAddress& src_ip, const IpAddress& vip, bool router);

}  // namespace vigil::vrrp
