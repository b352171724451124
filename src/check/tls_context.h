// The TLS client context of SSL_GET, built once from the global SSL block. Like keepalived,
// vigil presents the configured certificate and key (a key may be protected by `password`).
// Unlike keepalived, which loads `ca` but never asks OpenSSL to verify, vigil verifies the
// server's certificate chain against `ca` when one is configured (no host name check: real
// servers are addressed by IP); without `ca` nothing is verified, as in keepalived.
#pragma once

#include <memory>
#include <optional>

#include <boost/asio/ssl/context.hpp>

#include "common/result.h"
#include "config/model_lvs.h"

namespace vigil::check {

Result<std::shared_ptr<boost::asio::ssl::context>> make_tls_context(
    const std::optional<config::SslConfig>& ssl);

}  // namespace vigil::check
