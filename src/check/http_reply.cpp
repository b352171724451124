#include "check/http_reply.h"

#include <fmt/format.h>
#include <boost/asio/buffer.hpp>
#include <boost/beast/http/basic_parser.hpp>
#include <boost/beast/http/error.hpp>

namespace vigil::check {

namespace http = boost::beast::http;
using boost::beast::error_code;

class HttpReplyReader::Parser final : public http::basic_parser<false> {
  public:
    explicit Parser(const HttpReplyLimits& limits) : max_pending(limits.header_limit + 64 * 1024) {
        header_limit(limits.header_limit);
        body_limit(limits.body_limit ? boost::optional<std::uint64_t>(*limits.body_limit)
                                     : boost::none);
        // Stop after the header so that its raw bytes can be told apart from the body's.
        eager(false);
    }

    HeaderObserver header_observer;
    BodyObserver body_observer;
    std::string pending;  // bytes received but not yet consumed by the parser
    std::string header_bytes;
    unsigned status = 0;
    std::uint64_t body_bytes = 0;
    std::uint64_t received = 0;
    std::size_t max_pending;

    Status put_pending() {
        while (!pending.empty() && !is_done()) {
            error_code ec;
            const bool header_before = is_header_done();
            const std::size_t used = put(boost::asio::buffer(pending), ec);
            if (!header_before) header_bytes.append(pending, 0, used);
            pending.erase(0, used);
            if (!header_before && is_header_done()) {
                if (header_observer) header_observer(header_bytes);
                header_bytes.clear();
                header_bytes.shrink_to_fit();
                eager(true);
            }
            if (ec == http::error::need_more) break;
            if (ec) return Error{describe(ec)};
            if (used == 0) break;
        }
        if (is_done()) pending.clear();
        return Ok{};
    }

  private:
    static std::string describe(const error_code& ec) {
        if (ec == http::error::header_limit) return "reply header too large";
        if (ec == http::error::body_limit) return "reply body too large";
        return fmt::format("malformed reply: {}", ec.message());
    }

    void on_request_impl(http::verb /*method*/, boost::beast::string_view /*method_str*/,
                         boost::beast::string_view /*target*/, int /*version*/,
                         error_code& /*ec*/) override {}
    void on_response_impl(int code, boost::beast::string_view /*reason*/, int /*version*/,
                          error_code& /*ec*/) override {
        status = static_cast<unsigned>(code);
    }
    void on_field_impl(http::field /*name*/, boost::beast::string_view /*name_string*/,
                       boost::beast::string_view /*value*/, error_code& /*ec*/) override {}
    void on_header_impl(error_code& /*ec*/) override {}
    void on_body_init_impl(const boost::optional<std::uint64_t>& /*content_length*/,
                           error_code& /*ec*/) override {}
    std::size_t on_body_impl(boost::beast::string_view body, error_code& /*ec*/) override {
        deliver(body);
        return body.size();
    }
    void on_chunk_header_impl(std::uint64_t /*size*/, boost::beast::string_view /*extensions*/,
                              error_code& /*ec*/) override {}
    std::size_t on_chunk_body_impl(std::uint64_t /*remain*/, boost::beast::string_view body,
                                   error_code& /*ec*/) override {
        deliver(body);
        return body.size();
    }
    void on_finish_impl(error_code& /*ec*/) override {}

    void deliver(boost::beast::string_view body) {
        body_bytes += body.size();
        if (body_observer && !body.empty()) body_observer({body.data(), body.size()});
    }
};

HttpReplyReader::HttpReplyReader(HttpReplyLimits limits)
    : parser_(std::make_unique<Parser>(limits)) {}

HttpReplyReader::~HttpReplyReader() = default;

void HttpReplyReader::on_header(HeaderObserver f) {
    parser_->header_observer = std::move(f);
}
void HttpReplyReader::on_body(BodyObserver f) {
    parser_->body_observer = std::move(f);
}

Status HttpReplyReader::feed(std::string_view bytes) {
    if (parser_->is_done()) return Ok{};
    parser_->received += bytes.size();
    parser_->pending.append(bytes);
    auto st = parser_->put_pending();
    if (!st) return st;
    // What the parser left unconsumed is at most an incomplete header or chunk-size line;
    // anything longer is not HTTP as a health check expects it.
    if (parser_->pending.size() > parser_->max_pending)
        return Error{"malformed reply: unterminated line"};
    return Ok{};
}

Status HttpReplyReader::finish() {
    if (parser_->is_done()) return Ok{};
    if (parser_->received == 0) return Error{"no data received"};
    error_code ec;
    parser_->put_eof(ec);
    if (ec == http::error::partial_message)
        return Error{parser_->is_header_done() ? "reply truncated" : "reply header truncated"};
    if (ec) return Error{fmt::format("malformed reply: {}", ec.message())};
    return Ok{};
}

bool HttpReplyReader::done() const {
    return parser_->is_done();
}
bool HttpReplyReader::header_done() const {
    return parser_->is_header_done();
}
unsigned HttpReplyReader::status() const {
    return parser_->status;
}
std::uint64_t HttpReplyReader::body_bytes() const {
    return parser_->body_bytes;
}

}  // namespace vigil::check
