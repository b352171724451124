// The pure DNS query builder and reply parser, on hand-made messages (RFC 1035 4.1).
#include "check/dns_message.h"

#include <gtest/gtest.h>

#include <vector>

namespace vigil::check::dns {
namespace {

using Bytes = std::vector<std::uint8_t>;

Bytes header(std::uint16_t id, std::uint16_t flags, std::uint16_t qd, std::uint16_t an,
             std::uint16_t ns = 0, std::uint16_t ar = 0) {
    auto be = [](std::uint16_t v) {
        return Bytes{static_cast<std::uint8_t>(v >> 8U), static_cast<std::uint8_t>(v)};
    };
    Bytes out;
    for (auto v : {id, flags, qd, an, ns, ar}) {
        auto b = be(v);
        out.insert(out.end(), b.begin(), b.end());
    }
    return out;
}

void append(Bytes& out, const Bytes& more) {
    out.insert(out.end(), more.begin(), more.end());
}

// www.example.test A IN, then one A answer compressed to the question name.
Bytes good_reply(std::uint16_t id) {
    Bytes m = header(id, 0x8180, 1, 1);
    append(m, {3, 'w', 'w', 'w', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 4, 't', 'e', 's', 't', 0});
    append(m, {0, 1, 0, 1});
    append(m, {0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 192, 0, 2, 10});
    return m;
}

TEST(DnsQuery, LayoutMatchesKeepalived) {
    auto q = build_query(0xbeef, "www.example.test", RecordType::a);
    ASSERT_TRUE(q) << q.error();
    Bytes expected = header(0xbeef, 0x0100, 1, 0);
    append(expected,
           {3, 'w', 'w', 'w', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 4, 't', 'e', 's', 't', 0});
    append(expected, {0, 1, 0, 1});
    EXPECT_EQ(q.value(), expected);
}

TEST(DnsQuery, RootAndTrailingDot) {
    auto root = build_query(1, ".", RecordType::soa);
    ASSERT_TRUE(root);
    Bytes expected = header(1, 0x0100, 1, 0);
    append(expected, {0, 0, 6, 0, 1});
    EXPECT_EQ(root.value(), expected);
    auto empty = build_query(1, "", RecordType::soa);
    ASSERT_TRUE(empty);
    EXPECT_EQ(empty.value(), expected);
    auto dotted = build_query(1, "example.test.", RecordType::mx);
    auto plain = build_query(1, "example.test", RecordType::mx);
    ASSERT_TRUE(dotted && plain);
    EXPECT_EQ(dotted.value(), plain.value());
}

TEST(DnsQuery, RejectsNamesThatCannotBeEncoded) {
    EXPECT_FALSE(build_query(1, "a..b", RecordType::a));
    EXPECT_FALSE(build_query(1, ".a", RecordType::a));
    EXPECT_FALSE(build_query(1, "a..", RecordType::a));
    EXPECT_FALSE(build_query(1, std::string(64, 'x') + ".test", RecordType::a));
    EXPECT_TRUE(build_query(1, std::string(63, 'x') + ".test", RecordType::a));
    std::string long_name;
    for (int i = 0; i < 50; ++i) long_name += "abcd.";
    EXPECT_FALSE(build_query(1, long_name + "test", RecordType::a));  // 256 bytes on the wire
}

TEST(DnsQuery, TypesFromTheConfiguration) {
    using T = config::DnsCheck::Type;
    EXPECT_EQ(record_type(T::a), RecordType::a);
    EXPECT_EQ(record_type(T::ns), RecordType::ns);
    EXPECT_EQ(record_type(T::cname), RecordType::cname);
    EXPECT_EQ(record_type(T::soa), RecordType::soa);
    EXPECT_EQ(record_type(T::mx), RecordType::mx);
    EXPECT_EQ(record_type(T::txt), RecordType::txt);
    EXPECT_EQ(record_type(T::aaaa), RecordType::aaaa);
    EXPECT_EQ(static_cast<int>(RecordType::aaaa), 28);
    EXPECT_EQ(to_string(RecordType::mx), "MX");
}

TEST(DnsReply, ParsesACompressedAnswer) {
    auto r = parse_reply(good_reply(7), RecordType::a);
    ASSERT_TRUE(r) << r.error();
    EXPECT_EQ(r->header.id, 7);
    EXPECT_TRUE(r->header.response);
    EXPECT_EQ(r->header.rcode, 0);
    EXPECT_EQ(r->header.answer_count, 1);
    EXPECT_EQ(r->answers_of_type, 1);
    auto other = parse_reply(good_reply(7), RecordType::mx);
    ASSERT_TRUE(other);
    EXPECT_EQ(other->answers_of_type, 0);
}

TEST(DnsReply, EveryTruncationIsAnErrorNotACrash) {
    const Bytes full = good_reply(7);
    for (std::size_t n = 0; n < full.size(); ++n) {
        const Bytes cut(full.begin(), full.begin() + static_cast<std::ptrdiff_t>(n));
        EXPECT_FALSE(parse_reply(cut, RecordType::a)) << n << " bytes";
    }
    EXPECT_TRUE(parse_reply(full, RecordType::a));
}

TEST(DnsReply, CompressionLoopsAndForwardPointersAreRejected) {
    Bytes self = header(1, 0x8180, 1, 0);
    append(self, {0xc0, 12, 0, 1, 0, 1});  // points at itself
    EXPECT_FALSE(parse_reply(self, RecordType::a));

    Bytes forward = header(1, 0x8180, 1, 0);
    append(forward, {0xc0, 14, 0xc0, 12, 0, 1, 0, 1});  // 12 -> 14 -> 12 ...
    EXPECT_FALSE(parse_reply(forward, RecordType::a));

    Bytes beyond = header(1, 0x8180, 1, 0);
    append(beyond, {0xff, 0xff, 0, 1, 0, 1});
    EXPECT_FALSE(parse_reply(beyond, RecordType::a));

    Bytes ext_label = header(1, 0x8180, 1, 0);
    append(ext_label, {0x41, 0, 0, 1, 0, 1});  // EDNS0 extended label type: not allowed here
    EXPECT_FALSE(parse_reply(ext_label, RecordType::a));
}

TEST(DnsReply, LongPointerChainsAreBoundedByTheNameLength) {
    // Each question's name is a label and a pointer to the previous question's name: legal
    // pointers (backwards), but by the fourth question the name is over 255 bytes.
    Bytes m = header(1, 0x8180, 9, 0);
    std::size_t prev = m.size();
    append(m, {63});
    m.insert(m.end(), 63, 'a');
    append(m, {0, 0, 1, 0, 1});
    for (int i = 0; i < 8; ++i) {
        const std::size_t here = m.size();
        append(m, {63});
        m.insert(m.end(), 63, 'b');
        append(m, {static_cast<std::uint8_t>(0xc0U | (prev >> 8U)),
                   static_cast<std::uint8_t>(prev & 0xffU), 0, 1, 0, 1});
        prev = here;
    }
    auto r = parse_reply(m, RecordType::a);
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().find("255"), std::string::npos) << r.error();
}

TEST(DnsReply, RecordDataPastTheEndIsRejected) {
    Bytes m = good_reply(1);
    m[m.size() - 5] = 200;  // RDLENGTH 4 -> 200
    EXPECT_FALSE(parse_reply(m, RecordType::a));
}

TEST(DnsReply, CountsAreNotTrusted) {
    Bytes m = header(1, 0x8180, 0xffff, 0xffff, 0xffff, 0xffff);
    EXPECT_FALSE(parse_reply(m, RecordType::a));
}

TEST(DnsReply, HeaderFlagsAndRcodes) {
    Bytes m = header(0x1234, 0x8383, 0, 0);  // QR, TC, RD, RA, NXDOMAIN
    auto h = parse_header(m);
    ASSERT_TRUE(h);
    EXPECT_TRUE(h->response);
    EXPECT_TRUE(h->truncated);
    EXPECT_EQ(h->rcode, 3);
    EXPECT_EQ(rcode_name(3), "NXDOMAIN");
    EXPECT_EQ(rcode_name(2), "SERVFAIL");
    EXPECT_EQ(rcode_name(11), "RCODE 11");
    EXPECT_FALSE(parse_header(Bytes(11, 0)));
}

}  // namespace
}  // namespace vigil::check::dns
