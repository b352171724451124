// `vigilctl genhash`: keepalived's genhash(1). Fetches one url as HTTP_GET/SSL_GET would
// and prints the MD5 digest of its body, the value for a url block's `digest`. The options
// and the output (plain: the digest; -v: keepalived's hex dumps of the header, the body and
// the digest, then the response time) are keepalived 2.2.7's. Differences: a failure
// (connection, timeout, malformed reply) is reported on stderr with exit status 1, where
// keepalived prints it on stdout and exits 0; a chunked body is hashed de-chunked, as vigil's
// HTTP_GET checks it; the -v body dump runs its offsets across the whole body, where
// keepalived restarts them at each read.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

#include "config/model_lvs.h"

namespace CLI {
class App;
}

namespace vigil::app {

struct GenhashOptions {
    std::string server;                      // -s: an address, or a name resolved once
    std::uint16_t port = 0;                  // -p
    std::string url;                         // -u: the path, as in a url block
    bool ssl = false;                        // -S
    bool sni = false;                        // -I: send the virtual host (-V) as TLS server name
    std::optional<std::string> virtualhost;  // -V
    config::HttpCheck::Protocol protocol = config::HttpCheck::Protocol::http_1_0;  // -P
    std::chrono::seconds timeout{5};                                               // -t
    std::optional<std::uint32_t> fwmark;                                           // -m
    bool verbose = false;                                                          // -v
};

// Declares genhash's options (keepalived's short and long forms) on a CLI11 (sub)command.
void add_genhash_options(CLI::App& command, GenhashOptions& options);

// keepalived's dump layout: per 16 bytes, the decimal offset, the bytes in hex in two groups
// of eight, and the printable characters (others as '.'). Offsets start at `first_offset`.
std::string hex_dump(std::string_view bytes, std::size_t first_offset = 0);

// Fetches and prints; returns the process exit status.
int run_genhash(const GenhashOptions& options, std::FILE* out, std::FILE* err);

}  // namespace vigil::app
