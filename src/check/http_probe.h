// HTTP_GET and SSL_GET: GET each url in turn (one connection per url, as keepalived) and
// check the reply: the status against status_code (default 200-299), then the MD5 digest of
// the body, then the regex (or its absence with regex_no_match). All urls must pass.
//
// Time: each url's fetch (connect, TLS handshake, request, whole reply) must finish within
// connect_timeout, so one run() takes at most url_count() x connect_timeout. keepalived
// applies connect_timeout to each read and write instead, so a server trickling its reply
// byte by byte can hold a keepalived check forever; a vigil fetch always ends at its deadline.
//
// Memory: the body is never held. It streams through the digest and the regex scanner (a
// bounded window), so a page of any size is checked in constant memory; as keepalived, there
// is no size limit, the deadline bounds it. Headers are limited to 16 KiB (keepalived: its
// 4 KiB buffer). Chunked bodies are de-chunked before hashing (keepalived hashes the raw
// chunked stream, chunk sizes included; servers do not chunk keepalived's default HTTP/1.0
// requests, so digests agree for them).
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ssl/context.hpp>

#include "check/http_regex.h"
#include "check/http_reply.h"
#include "check/probe.h"
#include "config/model_lvs.h"

namespace vigil::check {

// One GET of one url: what a probe and `vigilctl genhash` both do.
struct HttpFetch {
    ConnectTarget target;  // target.timeout bounds the whole fetch
    // Set for SSL_GET: TLS over the connection.
    std::shared_ptr<boost::asio::ssl::context> tls;
    std::optional<std::string> sni;  // server name sent in the TLS ClientHello
    std::string request;             // the exact request bytes (build_http_request)
};

// Connects, handshakes, sends the request and reads the reply into `reader` until it is
// complete; an outcome when any step failed (the reply itself is for the caller to judge).
boost::asio::awaitable<std::optional<ProbeOutcome>> fetch_http(
    boost::asio::any_io_executor executor, const HttpFetch& fetch, HttpReplyReader& reader);

class HttpProbe final : public Probe {
  public:
    // `check` as loaded (urls with effective_virtualhost); `tls` is required for SSL_GET
    // (make_tls_context). Fails when a url's regex does not compile.
    static Result<std::unique_ptr<HttpProbe>> create(
        boost::asio::any_io_executor executor, ConnectTarget target, config::HttpCheck check,
        std::shared_ptr<boost::asio::ssl::context> tls = nullptr);

    // Every url in order; the first failure ends the run, its reason names the url.
    boost::asio::awaitable<ProbeOutcome> run() override;
    // One url, for a policy that paces urls (alpha mode without fast_recovery).
    boost::asio::awaitable<ProbeOutcome> check_url(std::size_t index);
    std::size_t url_count() const { return check_.urls.size(); }

  private:
    HttpProbe(boost::asio::any_io_executor executor, ConnectTarget target, config::HttpCheck check,
              std::shared_ptr<boost::asio::ssl::context> tls);

    boost::asio::any_io_executor executor_;
    ConnectTarget target_;
    config::HttpCheck check_;
    std::shared_ptr<boost::asio::ssl::context> tls_;
    std::vector<std::shared_ptr<const HttpRegex>> regexes_;  // per url; null: no regex
};

}  // namespace vigil::check
