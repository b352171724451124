#include "notify/smtp_message.h"

#include <fmt/format.h>

namespace vigil::notify {

namespace {

std::string rfc5322_date(std::time_t now) {
    std::tm tm{};
    ::gmtime_r(&now, &tm);
    char buf[64];
    std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S +0000", &tm);
    return buf;
}

// Header values must not carry line breaks (header injection from names in the config).
std::string one_line(std::string_view s) {
    std::string out;
    for (const char c : s) out.push_back(c == '\r' || c == '\n' ? ' ' : c);
    return out;
}

}  // namespace

std::string compose_message(const MailAlert& alert, std::time_t now, std::string_view mailer) {
    std::string to;
    for (const auto& r : alert.to) to += (to.empty() ? "" : ", ") + one_line(r);
    std::string msg = fmt::format(
        "From: {}\r\nTo: {}\r\nSubject: {}\r\nDate: {}\r\nX-Mailer: {}\r\nMIME-Version: 1.0\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\n",
        one_line(alert.from), to, one_line(alert.subject), rfc5322_date(now), one_line(mailer));
    std::size_t start = 0;
    const std::string& b = alert.body;
    while (start < b.size()) {
        auto nl = b.find('\n', start);
        if (nl == std::string::npos) nl = b.size();
        std::string_view line(b.data() + start, nl - start);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (!line.empty() && line.front() == '.') msg.push_back('.');
        msg.append(line).append("\r\n");
        start = nl + 1;
    }
    msg += ".\r\n";
    return msg;
}

std::string SmtpReply::text() const {
    std::string t;
    for (const auto& l : lines) t += (t.empty() ? "" : " / ") + l;
    return fmt::format("{} {}", code, t);
}

void SmtpReplyParser::feed(std::string_view bytes) {
    if (failed_) return;
    buffer_.append(bytes);
    if (buffer_.size() > max_bytes_) {
        failed_ = true;
        error_ = "reply too long";
    }
}

std::optional<SmtpReply> SmtpReplyParser::next() {
    while (!failed_) {
        const auto nl = buffer_.find('\n');
        if (nl == std::string::npos) return std::nullopt;
        std::string line = buffer_.substr(0, nl);
        buffer_.erase(0, nl + 1);
        if (!line.empty() && line.back() == '\r') line.pop_back();
        // "ddd" then ' ' (last line), '-' (more follow) or end of line.
        if (line.size() < 3 || line[0] < '2' || line[0] > '5' || line[1] < '0' || line[1] > '9' ||
            line[2] < '0' || line[2] > '9' ||
            (line.size() > 3 && line[3] != ' ' && line[3] != '-')) {
            failed_ = true;
            error_ = "malformed reply line '" + line.substr(0, 80) + "'";
            return std::nullopt;
        }
        const int code = std::stoi(line.substr(0, 3));
        if (!partial_.lines.empty() && code != partial_.code) {
            failed_ = true;
            error_ = "reply code changed inside a multi-line reply";
            return std::nullopt;
        }
        partial_.code = code;
        partial_.lines.push_back(line.size() > 4 ? line.substr(4) : "");
        if (line.size() <= 3 || line[3] == ' ') {
            SmtpReply done = std::move(partial_);
            partial_ = {};
            return done;
        }
    }
    return std::nullopt;
}

}  // namespace vigil::notify
