#include "check/tls_context.h"

#include <fmt/format.h>

namespace vigil::check {

namespace ssl = boost::asio::ssl;

Result<std::shared_ptr<ssl::context>> make_tls_context(
    const std::optional<config::SslConfig>& cfg) {
    auto ctx = std::make_shared<ssl::context>(ssl::context::tls_client);
    boost::system::error_code ec;
    ctx->set_verify_mode(ssl::verify_none, ec);
    if (!cfg) return ctx;
    if (!cfg->password.empty()) {
        ctx->set_password_callback(
            [password = cfg->password](std::size_t, ssl::context::password_purpose) {
                return password;
            },
            ec);
    }
    if (!cfg->certificate.empty() && ctx->use_certificate_chain_file(cfg->certificate, ec))
        return Error{fmt::format("SSL certificate {}: {}", cfg->certificate, ec.message())};
    if (!cfg->key.empty() && ctx->use_private_key_file(cfg->key, ssl::context::pem, ec))
        return Error{fmt::format("SSL key {}: {}", cfg->key, ec.message())};
    if (!cfg->ca.empty()) {
        if (ctx->load_verify_file(cfg->ca, ec))
            return Error{fmt::format("SSL CA file {}: {}", cfg->ca, ec.message())};
        if (ctx->set_verify_mode(ssl::verify_peer, ec))
            return Error{fmt::format("SSL verify mode: {}", ec.message())};
    }
    return ctx;
}

}  // namespace vigil::check
