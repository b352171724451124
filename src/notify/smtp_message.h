// The pure half of SMTP alerts (RFC 5321/5322): composing the message with dot-stuffing and
// CRLF line ends, and parsing server replies, including multi-line ones ("250-...").
#pragma once

#include <ctime>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::notify {

struct MailAlert {
    std::string from;
    std::vector<std::string> to;
    std::string subject;
    std::string body;
};

// The DATA payload: headers, blank line, body; every line CRLF-terminated, lines starting
// with '.' doubled (RFC 5321 4.5.2), ending with the "." line. `now` is the Date header.
std::string compose_message(const MailAlert& alert, std::time_t now, std::string_view mailer);

struct SmtpReply {
    int code = 0;
    std::vector<std::string> lines;  // text after the code and separator
    bool positive_completion() const { return code >= 200 && code < 300; }
    bool positive_intermediate() const { return code >= 300 && code < 400; }
    std::string text() const;
};

// Accumulates bytes from the server and yields complete replies. A malformed line or a
// reply longer than `max_bytes` makes the parser fail (the connection is then abandoned).
class SmtpReplyParser {
  public:
    explicit SmtpReplyParser(std::size_t max_bytes = std::size_t{64} * 1024)
        : max_bytes_(max_bytes) {}
    void feed(std::string_view bytes);
    std::optional<SmtpReply> next();
    bool failed() const { return failed_; }
    const std::string& error() const { return error_; }

  private:
    std::string buffer_;
    SmtpReply partial_;
    std::size_t max_bytes_;
    bool failed_ = false;
    std::string error_;
};

}  // namespace vigil::notify
