// Reads an HTTP reply from bytes as they arrive (sans-I/O, Beast's parser underneath): the
// status, the raw header (for genhash), and the body handed on piece by piece (de-chunked) to
// an observer, so that digests and regexes see the body without it ever being held whole.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"

namespace vigil::check {

struct HttpReplyLimits {
    // keepalived needs the header inside its 4 KiB read buffer; vigil allows 16 KiB, so that
    // cookie-heavy headers pass, and fails a larger one as a protocol error.
    std::uint32_t header_limit = 16 * 1024;
    // Unset: no limit, as keepalived (the body streams through; the deadline bounds it).
    std::optional<std::uint64_t> body_limit;
};

class HttpReplyReader {
  public:
    using HeaderObserver = std::function<void(std::string_view raw_header)>;
    using BodyObserver = std::function<void(std::string_view piece)>;

    explicit HttpReplyReader(HttpReplyLimits limits = {});
    HttpReplyReader(const HttpReplyReader&) = delete;
    HttpReplyReader& operator=(const HttpReplyReader&) = delete;
    ~HttpReplyReader();

    // Called once with the header's bytes as received (status line to the blank line).
    void on_header(HeaderObserver f);
    // Called with each piece of the (de-chunked) body, in order.
    void on_body(BodyObserver f);

    // More bytes from the server. An error means the reply is not HTTP, or is too large;
    // bytes after a complete reply are ignored.
    Status feed(std::string_view bytes);
    // The server closed the connection: completes a body delimited by the close, or fails
    // a truncated reply.
    Status finish();

    bool done() const;
    bool header_done() const;
    unsigned status() const;
    std::uint64_t body_bytes() const;

  private:
    class Parser;
    std::unique_ptr<Parser> parser_;
};

}  // namespace vigil::check
