// The GET request HTTP_GET / SSL_GET send, byte for byte what keepalived 2.2.7 sends, so that
// servers (and their access logs and virtual-host rules) see the same request from vigil.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/ip_address.h"
#include "config/model_lvs.h"

namespace vigil::check {

// "GET <path> HTTP/1.x", "User-Agent: KeepAliveClient", "Connection: close" for 1.0C and 1.1,
// and "Host:": the virtual host when one is set, otherwise the address and port the probe
// connects to ("[addr]:port" for IPv6, RFC 2732), always with the port (as keepalived).
std::string build_http_request(std::string_view path, config::HttpCheck::Protocol protocol,
                               const std::optional<std::string>& virtualhost,
                               const IpAddress& address, std::uint16_t port);

}  // namespace vigil::check
