#include "check/http_probe.h"

#include <array>

#include <fmt/format.h>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include "check/http_request.h"
#include "check/md5_digest.h"
#include "check/tcp_connect.h"

namespace vigil::check {

namespace asio = boost::asio;
namespace beast = boost::beast;
using Kind = ProbeOutcome::Kind;

namespace {

constexpr auto tuple = asio::as_tuple(asio::use_awaitable);

template <class Stream>
asio::awaitable<std::optional<ProbeOutcome>> exchange(Stream& stream, const std::string& request,
                                                      HttpReplyReader& reader, Deadline deadline) {
    auto [wec, written] = co_await asio::async_write(stream, asio::buffer(request), tuple);
    if (wec) co_return io_failure(wec, "sending the request");
    std::array<char, 16 * 1024> buf{};
    for (;;) {
        auto [ec, n] = co_await stream.async_read_some(asio::buffer(buf), tuple);
        if (n > 0) {
            if (auto st = reader.feed(std::string_view(buf.data(), n)); !st)
                co_return ProbeOutcome::failure(Kind::protocol_error, st.error());
            if (reader.done()) co_return std::nullopt;
            if (deadline.passed())
                co_return ProbeOutcome::failure(Kind::timed_out, "timed out reading the reply");
        }
        if (!ec) continue;
        // The end of the connection ends a body that has no length (HTTP/1.0 style). Over
        // TLS, a server that closes without close_notify is accepted, as keepalived does.
        if (ec == asio::error::eof || ec == asio::ssl::error::stream_truncated) {
            if (auto st = reader.finish(); !st)
                co_return ProbeOutcome::failure(Kind::protocol_error, st.error());
            co_return std::nullopt;
        }
        co_return io_failure(ec, "reading the reply");
    }
}

bool status_accepted(const config::HttpUrl& url, unsigned status) {
    if (url.status_codes.empty()) return status >= 200 && status <= 299;
    for (const auto& r : url.status_codes)
        if (status >= r.first && status <= r.last) return true;
    return false;
}

}  // namespace

asio::awaitable<std::optional<ProbeOutcome>> fetch_http(asio::any_io_executor executor,
                                                        const HttpFetch& fetch,
                                                        HttpReplyReader& reader) {
    const auto deadline = Deadline::after(fetch.target.timeout);
    if (!fetch.tls) {
        beast::tcp_stream stream(executor);
        stream.expires_after(fetch.target.timeout);
        if (auto failed = co_await connect_stream(stream, fetch.target)) co_return failed;
        co_return co_await exchange(stream, fetch.request, reader, deadline);
    }
    beast::ssl_stream<beast::tcp_stream> stream(executor, *fetch.tls);
    beast::get_lowest_layer(stream).expires_after(fetch.target.timeout);
    if (auto failed = co_await connect_stream(beast::get_lowest_layer(stream), fetch.target))
        co_return failed;
    // SSL_set_tlsext_host_name() is a macro with a C cast: call what it expands to.
    if (fetch.sni &&
        SSL_ctrl(stream.native_handle(), SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
                 const_cast<char*>(fetch.sni->c_str())) != 1)
        co_return ProbeOutcome::failure(Kind::io_error,
                                        fmt::format("cannot set TLS server name {}", *fetch.sni));
    auto [hec] = co_await stream.async_handshake(asio::ssl::stream_base::client, tuple);
    if (hec) co_return io_failure(hec, "in the TLS handshake");
    co_return co_await exchange(stream, fetch.request, reader, deadline);
}

HttpProbe::HttpProbe(asio::any_io_executor executor, ConnectTarget target, config::HttpCheck check,
                     std::shared_ptr<asio::ssl::context> tls)
    : executor_(std::move(executor)),
      target_(std::move(target)),
      check_(std::move(check)),
      tls_(std::move(tls)) {}

Result<std::unique_ptr<HttpProbe>> HttpProbe::create(asio::any_io_executor executor,
                                                     ConnectTarget target, config::HttpCheck check,
                                                     std::shared_ptr<asio::ssl::context> tls) {
    if (check.ssl && !tls) return Error{"SSL_GET needs a TLS context"};
    std::unique_ptr<HttpProbe> p(
        new HttpProbe(std::move(executor), std::move(target), std::move(check), std::move(tls)));
    for (const auto& url : p->check_.urls) {
        if (url.regex.empty()) {
            p->regexes_.emplace_back();
            continue;
        }
        auto re = HttpRegex::compile(url);
        if (!re) return Error{re.error()};
        p->regexes_.push_back(std::move(re.value()));
    }
    return p;
}

asio::awaitable<ProbeOutcome> HttpProbe::run() {
    for (std::size_t i = 0; i < check_.urls.size(); ++i) {
        auto outcome = co_await check_url(i);
        if (!outcome.ok()) co_return outcome;
    }
    co_return ProbeOutcome::success();
}

asio::awaitable<ProbeOutcome> HttpProbe::check_url(std::size_t index) {
    const config::HttpUrl& url = check_.urls.at(index);
    HttpFetch fetch;
    fetch.target = target_;
    fetch.request = build_http_request(url.path, check_.http_protocol, url.effective_virtualhost,
                                       target_.address, target_.port);
    if (check_.ssl) {
        fetch.tls = tls_;
        if (check_.enable_sni && url.effective_virtualhost) fetch.sni = url.effective_virtualhost;
    }

    HttpReplyReader reader;
    std::optional<Md5Digest> md5;
    if (!url.digest.empty()) md5.emplace();
    std::optional<RegexScan> scan;
    if (regexes_[index]) scan.emplace(regexes_[index]);
    reader.on_body([&](std::string_view piece) {
        if (md5) md5->update(piece);
        if (scan) scan->feed(piece);
    });

    if (auto failed = co_await fetch_http(executor_, fetch, reader)) {
        failed->reason = fmt::format("{} for {}", failed->reason, url.path);
        co_return std::move(*failed);
    }
    if (!status_accepted(url, reader.status()))
        co_return ProbeOutcome::failure(
            Kind::mismatch, fmt::format("HTTP status {} for {}", reader.status(), url.path));
    if (md5) {
        const std::string got = md5->final_hex();
        if (got != url.digest)
            co_return ProbeOutcome::failure(
                Kind::mismatch,
                fmt::format("MD5 digest {} for {}, expected {}", got, url.path, url.digest));
    }
    if (scan) {
        scan->finish();
        if (scan->matched() && url.regex_no_match)
            co_return ProbeOutcome::failure(
                Kind::mismatch, fmt::format("regex '{}' matched {}", url.regex, url.path));
        if (!scan->matched() && !url.regex_no_match)
            co_return ProbeOutcome::failure(
                Kind::mismatch, fmt::format("regex '{}' did not match {}", url.regex, url.path));
    }
    co_return ProbeOutcome::success();
}

}  // namespace vigil::check
