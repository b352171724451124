#include "check/http_request.h"

#include <fmt/format.h>

namespace vigil::check {

std::string build_http_request(std::string_view path, config::HttpCheck::Protocol protocol,
                               const std::optional<std::string>& virtualhost,
                               const IpAddress& address, std::uint16_t port) {
    using P = config::HttpCheck::Protocol;
    const int minor = protocol == P::http_1_1 ? 1 : 0;
    const bool close = protocol == P::http_1_0c || protocol == P::http_1_1;
    std::string host;
    if (virtualhost)
        host = *virtualhost;  // an operator-given Host is sent as is, without a port
    else if (address.is_v6())
        host = fmt::format("[{}]:{}", address.to_string(), port);
    else
        host = fmt::format("{}:{}", address.to_string(), port);
    return fmt::format("GET {} HTTP/1.{}\r\nUser-Agent: KeepAliveClient\r\n{}Host: {}\r\n\r\n",
                       path, minor, close ? "Connection: close\r\n" : "", host);
}

}  // namespace vigil::check
