#include "check/dns_message.h"

#include <fmt/format.h>

namespace vigil::check::dns {

namespace {

constexpr std::uint16_t class_in = 1;
constexpr std::size_t max_name_length = 255;  // RFC 1035 2.3.4, wire form
constexpr std::size_t max_label_length = 63;

std::uint16_t read16(std::span<const std::uint8_t> msg, std::size_t at) {
    return static_cast<std::uint16_t>((msg[at] << 8U) | msg[at + 1]);
}

void append16(std::vector<std::uint8_t>& out, std::uint16_t v) {
    out.push_back(static_cast<std::uint8_t>(v >> 8U));
    out.push_back(static_cast<std::uint8_t>(v & 0xffU));
}

// Skips the (possibly compressed) name at `at`; returns the offset just past it in the
// message (past the first pointer when there is one). RFC 1035 4.1.4: a pointer is two bytes
// with the top bits 11; we accept only pointers to earlier offsets, so following them always
// terminates, and the 255-byte limit bounds the work on top of that.
Result<std::size_t> skip_name(std::span<const std::uint8_t> msg, std::size_t at) {
    std::size_t pos = at;
    std::size_t resume = 0;  // where the caller continues: set at the first pointer
    bool jumped = false;
    std::size_t length = 0;
    for (;;) {
        if (pos >= msg.size()) return Error{"name runs past the end of the message"};
        const std::uint8_t len = msg[pos];
        if ((len & 0xc0U) == 0xc0U) {
            if (pos + 1 >= msg.size()) return Error{"truncated compression pointer"};
            const std::size_t target = read16(msg, pos) & 0x3fffU;
            if (target >= pos) return Error{"compression pointer does not point backwards"};
            if (!jumped) resume = pos + 2;
            jumped = true;
            pos = target;
            continue;
        }
        if ((len & 0xc0U) != 0) return Error{fmt::format("unknown label type {:#04x}", len)};
        length += std::size_t{len} + 1;
        if (length > max_name_length) return Error{"name longer than 255 bytes"};
        if (len == 0) return jumped ? resume : pos + 1;
        pos += std::size_t{len} + 1;
    }
}

}  // namespace

RecordType record_type(config::DnsCheck::Type t) {
    using T = config::DnsCheck::Type;
    switch (t) {
        case T::a:
            return RecordType::a;
        case T::ns:
            return RecordType::ns;
        case T::cname:
            return RecordType::cname;
        case T::soa:
            return RecordType::soa;
        case T::mx:
            return RecordType::mx;
        case T::txt:
            return RecordType::txt;
        case T::aaaa:
            return RecordType::aaaa;
    }
    return RecordType::soa;
}

std::string_view to_string(RecordType t) {
    switch (t) {
        case RecordType::a:
            return "A";
        case RecordType::ns:
            return "NS";
        case RecordType::cname:
            return "CNAME";
        case RecordType::soa:
            return "SOA";
        case RecordType::mx:
            return "MX";
        case RecordType::txt:
            return "TXT";
        case RecordType::aaaa:
            return "AAAA";
    }
    return "?";
}

Result<std::vector<std::uint8_t>> build_query(std::uint16_t id, std::string_view name,
                                              RecordType type) {
    std::vector<std::uint8_t> out;
    out.reserve(header_size + name.size() + 6);
    append16(out, id);
    append16(out, 0x0100);  // RD: keepalived asks for recursion, so a resolver answers too
    append16(out, 1);       // QDCOUNT
    append16(out, 0);
    append16(out, 0);
    append16(out, 0);
    if (!name.empty() && name.back() == '.') name.remove_suffix(1);
    std::size_t wire = 1;  // the root label
    while (!name.empty()) {
        const auto dot = name.find('.');
        const std::string_view label = name.substr(0, dot);
        if (label.empty()) return Error{"DNS name has an empty label"};
        if (label.size() > max_label_length)
            return Error{fmt::format("DNS label '{}' is longer than 63 bytes", label)};
        wire += label.size() + 1;
        if (wire > max_name_length) return Error{"DNS name is longer than 255 bytes"};
        out.push_back(static_cast<std::uint8_t>(label.size()));
        out.insert(out.end(), label.begin(), label.end());
        name = dot == std::string_view::npos ? std::string_view{} : name.substr(dot + 1);
        if (dot != std::string_view::npos && name.empty())
            return Error{"DNS name has an empty label"};  // "a..": a second trailing dot
    }
    out.push_back(0);
    append16(out, static_cast<std::uint16_t>(type));
    append16(out, class_in);
    return out;
}

Result<Header> parse_header(std::span<const std::uint8_t> msg) {
    if (msg.size() < header_size)
        return Error{fmt::format("{} bytes is shorter than a DNS header", msg.size())};
    Header h;
    h.id = read16(msg, 0);
    const std::uint16_t flags = read16(msg, 2);
    h.response = (flags & 0x8000U) != 0;
    h.truncated = (flags & 0x0200U) != 0;
    h.rcode = static_cast<std::uint8_t>(flags & 0x000fU);
    h.question_count = read16(msg, 4);
    h.answer_count = read16(msg, 6);
    h.authority_count = read16(msg, 8);
    h.additional_count = read16(msg, 10);
    return h;
}

Result<Reply> parse_reply(std::span<const std::uint8_t> msg, RecordType type) {
    auto header = parse_header(msg);
    if (!header) return Error{header.error()};
    Reply r{header.value(), 0};
    std::size_t pos = header_size;
    for (unsigned i = 0; i < r.header.question_count; ++i) {
        auto next = skip_name(msg, pos);
        if (!next) return Error{fmt::format("question {}: {}", i + 1, next.error())};
        pos = next.value();
        if (pos + 4 > msg.size()) return Error{fmt::format("question {} is truncated", i + 1)};
        pos += 4;
    }
    const unsigned records =
        unsigned{r.header.answer_count} + r.header.authority_count + r.header.additional_count;
    for (unsigned i = 0; i < records; ++i) {
        auto next = skip_name(msg, pos);
        if (!next) return Error{fmt::format("record {}: {}", i + 1, next.error())};
        pos = next.value();
        if (pos + 10 > msg.size()) return Error{fmt::format("record {} is truncated", i + 1)};
        const std::uint16_t rtype = read16(msg, pos);
        const std::uint16_t rclass = read16(msg, pos + 2);
        const std::size_t rdlength = read16(msg, pos + 8);
        pos += 10;
        if (pos + rdlength > msg.size())
            return Error{fmt::format("record {} data runs past the end", i + 1)};
        pos += rdlength;
        if (i < r.header.answer_count && rtype == static_cast<std::uint16_t>(type) &&
            rclass == class_in)
            ++r.answers_of_type;
    }
    return r;
}

std::string rcode_name(std::uint8_t rcode) {
    static constexpr std::string_view names[] = {"NOERROR",  "FORMERR", "SERVFAIL",
                                                 "NXDOMAIN", "NOTIMP",  "REFUSED"};
    if (rcode < std::size(names)) return std::string(names[rcode]);
    return fmt::format("RCODE {}", rcode);
}

}  // namespace vigil::check::dns
