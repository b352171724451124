#include "app/genhash.h"

#include <CLI/CLI.hpp>

#include <fmt/format.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "check/http_probe.h"
#include "check/http_reply.h"
#include "check/http_request.h"
#include "check/md5_digest.h"
#include "check/tls_context.h"

namespace vigil::app {

namespace asio = boost::asio;
using Protocol = config::HttpCheck::Protocol;

namespace {

constexpr std::string_view header_hexa =
    "-----------------------[    HTTP Header Buffer    ]-----------------------\n";
constexpr std::string_view header_ascii =
    "-----------------------[ HTTP Header Ascii Buffer ]-----------------------\n";
constexpr std::string_view html_hexa =
    "-----------------------[        HTML Buffer        ]-----------------------\n";
constexpr std::string_view html_hash =
    "-----------------------[    HTML hash resulting    ]-----------------------\n";
constexpr std::string_view html_hash_final =
    "-----------------------[ HTML hash final resulting ]-----------------------\n";

void put(std::FILE* f, std::string_view s) {
    std::fwrite(s.data(), 1, s.size(), f);
}

// Dumps a body streamed in pieces as whole 16-byte lines, offsets running on.
class BodyDump {
  public:
    explicit BodyDump(std::FILE* out) : out_(out) {}
    void feed(std::string_view piece) {
        if (!started_) put(out_, html_hexa);
        started_ = true;
        line_.append(piece);
        const std::size_t whole = line_.size() / 16 * 16;
        if (whole == 0) return;
        put(out_, hex_dump(std::string_view(line_).substr(0, whole), offset_));
        offset_ += whole;
        line_.erase(0, whole);
    }
    void finish() {
        if (!line_.empty()) put(out_, hex_dump(line_, offset_));
        line_.clear();
    }

  private:
    std::FILE* out_;
    std::string line_;
    std::size_t offset_ = 0;
    bool started_ = false;
};

std::optional<IpAddress> resolve(const std::string& server) {
    if (auto ip = IpAddress::parse(server)) return ip;
    asio::io_context io;
    asio::ip::tcp::resolver resolver(io);
    boost::system::error_code ec;
    const auto results = resolver.resolve(server, "", ec);
    if (ec) return std::nullopt;
    for (const auto& r : results)
        if (auto ip = IpAddress::parse(r.endpoint().address().to_string())) return ip;
    return std::nullopt;
}

std::string hex_to_bytes(std::string_view hex) {
    std::string bytes;
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
        bytes.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
    return bytes;
}

}  // namespace

void add_genhash_options(CLI::App& command, GenhashOptions& o) {
    command.add_flag("-S,--use-ssl", o.ssl, "Use SSL connection to remote server.");
    command.add_flag("-I,--use-sni", o.sni,
                     "Use SNI during SSL handshake (uses virtualhost setting; see -V).");
    command.add_option("-s,--server", o.server, "Use the specified remote server address.")
        ->required();
    command.add_option("-p,--port", o.port, "Use the specified remote server port.")->required();
    command.add_option("-u,--url", o.url, "Use the specified remote server url.")->required();
    command.add_option("-V,--use-virtualhost", o.virtualhost,
                       "Use the specified virtualhost in GET query.");
    command.add_flag("-v,--verbose", o.verbose, "Use verbose mode output.");
    command.add_option("-m,--fwmark", o.fwmark, "Use the specified FW mark.");
    command
        .add_option_function<std::string>(
            "-P,--protocol",
            [&o](const std::string& v) {
                if (v == "1.1")
                    o.protocol = Protocol::http_1_1;
                else if (v == "1.0c" || v == "1.0C")
                    o.protocol = Protocol::http_1_0c;
                else
                    o.protocol = Protocol::http_1_0;
            },
            "Use the specified HTTP protocol - '1.0', '1.0c', '1.1'. 1.0c means 1.0 with "
            "'Connection: close'")
        ->check(CLI::IsMember({"1.0", "1.0c", "1.0C", "1.1"}));
    command
        .add_option_function<unsigned>(
            "-t,--timeout", [&o](unsigned s) { o.timeout = std::chrono::seconds(s); },
            "Timeout in seconds")
        ->check(CLI::Range(1U, 86400U));
}

std::string hex_dump(std::string_view bytes, std::size_t first_offset) {
    std::string out;
    for (std::size_t line = 0; line < bytes.size(); line += 16) {
        out += fmt::format("{:04}  ", first_offset + line);
        std::string ascii;
        for (std::size_t j = 0; j < 16; ++j) {
            if (j == 8) out += "- ";
            if (line + j < bytes.size()) {
                const auto c = static_cast<unsigned char>(bytes[line + j]);
                out += fmt::format("{:02x} ", c);
                ascii += (c >= 0x20 && c < 0x7f) ? static_cast<char>(c) : '.';
            } else {
                out += "   ";
                ascii += ' ';
            }
        }
        out += "  " + ascii + "\n";
    }
    return out;
}

int run_genhash(const GenhashOptions& o, std::FILE* out, std::FILE* err) {
    const auto address = resolve(o.server);
    if (!address) {
        fmt::print(err, "genhash: cannot resolve server '{}'\n", o.server);
        return 1;
    }
    check::HttpFetch fetch;
    fetch.target.address = *address;
    fetch.target.port = o.port;
    fetch.target.fwmark = o.fwmark;
    fetch.target.timeout = o.timeout;
    fetch.request = check::build_http_request(o.url, o.protocol, o.virtualhost, *address, o.port);
    if (o.ssl) {
        auto tls = check::make_tls_context(std::nullopt);
        if (!tls) {
            fmt::print(err, "genhash: {}\n", tls.error());
            return 1;
        }
        fetch.tls = tls.value();
        if (o.sni && o.virtualhost) fetch.sni = o.virtualhost;
    }

    check::HttpReplyReader reader;
    check::Md5Digest md5;
    BodyDump dump(out);
    reader.on_header([&](std::string_view raw) {
        if (!o.verbose) return;
        put(out, header_hexa);
        put(out, hex_dump(raw));
        put(out, header_ascii);
        put(out, raw);
        put(out, "\n");
    });
    reader.on_body([&](std::string_view piece) {
        md5.update(piece);
        if (o.verbose) dump.feed(piece);
    });

    const auto started = std::chrono::steady_clock::now();
    asio::io_context io;
    std::optional<check::ProbeOutcome> failed;
    asio::co_spawn(io, check::fetch_http(io.get_executor(), fetch, reader),
                   [&](const std::exception_ptr& e, std::optional<check::ProbeOutcome> r) {
                       if (e)
                           failed = check::ProbeOutcome::failure(
                               check::ProbeOutcome::Kind::io_error, "internal error");
                       else
                           failed = std::move(r);
                   });
    io.run();
    const auto elapsed = std::chrono::duration_cast<std::chrono::microseconds>(
        std::chrono::steady_clock::now() - started);
    if (o.verbose) dump.finish();
    if (failed) {
        std::fflush(out);
        fmt::print(err, "{}\n", failed->reason);
        return 1;
    }
    const std::string digest = md5.final_hex();
    if (o.verbose) {
        put(out, "\n");
        put(out, html_hash);
        put(out, hex_dump(hex_to_bytes(digest)));
        put(out, html_hash_final);
    }
    fmt::print(out, "{}\n", digest);
    if (o.verbose)
        fmt::print(out, "\nGlobal response time for [{}] = {} usecs\n", o.url, elapsed.count());
    return 0;
}

}  // namespace vigil::app
