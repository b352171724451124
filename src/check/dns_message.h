// DNS messages for DNS_CHECK (RFC 1035 section 4): a pure query builder and a defensive reply
// parser. No sockets: the probe (dns_probe.cpp) does the I/O.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "config/model_lvs.h"

namespace vigil::check::dns {

// The query types DNS_CHECK offers (RFC 1035 3.2.2, RFC 3596 for AAAA).
enum class RecordType : std::uint16_t {
    a = 1,
    ns = 2,
    cname = 5,
    soa = 6,
    mx = 15,
    txt = 16,
    aaaa = 28,
};

RecordType record_type(config::DnsCheck::Type t);
std::string_view to_string(RecordType t);

// RFC 1035 4.1.1: the fixed 12-byte header.
inline constexpr std::size_t header_size = 12;

// A query as keepalived sends it: the given id, RD set, one question (name, type, class IN), no
// EDNS. `name` is dotted text; "." (or "") is the root, a trailing dot is allowed. Error when
// the name cannot be encoded (an empty label, a label over 63 bytes, over 255 bytes in all).
Result<std::vector<std::uint8_t>> build_query(std::uint16_t id, std::string_view name,
                                              RecordType type);

// What the header of a datagram says; nullopt-like failure when it is shorter than a header.
struct Header {
    std::uint16_t id = 0;
    bool response = false;   // QR
    bool truncated = false;  // TC
    std::uint8_t rcode = 0;  // RFC 1035 4.1.1 RCODE (0 NOERROR, 2 SERVFAIL, 3 NXDOMAIN...)
    std::uint16_t question_count = 0;
    std::uint16_t answer_count = 0;
    std::uint16_t authority_count = 0;
    std::uint16_t additional_count = 0;
};

Result<Header> parse_header(std::span<const std::uint8_t> msg);

struct Reply {
    Header header;
    std::uint16_t answers_of_type = 0;  // answer records of the queried type, class IN
};

// Walks the whole reply (questions, answers, authority, additional records) with every name
// checked: compression pointers must point backwards (which also rules out loops), labels
// and records must lie inside the message, names stay within 255 bytes. Error on any breach.
// Bytes after the last record are tolerated (some servers pad).
Result<Reply> parse_reply(std::span<const std::uint8_t> msg, RecordType type);

// "NOERROR", "SERVFAIL", "NXDOMAIN", ... or "RCODE n".
std::string rcode_name(std::uint8_t rcode);

}  // namespace vigil::check::dns
