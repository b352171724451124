#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <filesystem>
#include <thread>

#include "../core/temp_dir.h"
#include "notify/fifo_format.h"
#include "notify/fifo_writer.h"
#include "notify/smtp_client.h"
#include "notify/smtp_message.h"

namespace vigil::notify {
namespace {

using namespace std::chrono_literals;
using vigil::testing::TempDir;

TEST(FifoFormat, KeepalivedLines) {
    EXPECT_EQ(instance_line("VI_1", "MASTER", 100), "INSTANCE \"VI_1\" MASTER 100\n");
    EXPECT_EQ(group_line("VG_1", "BACKUP"), "GROUP \"VG_1\" BACKUP 0\n");
    EXPECT_EQ(virtual_server_line("[192.0.2.15]:tcp:80", true), "VS [192.0.2.15]:tcp:80 UP\n");
    EXPECT_EQ(real_server_line("[198.51.100.4]:tcp:80", "[192.0.2.15]:tcp:80", false),
              "RS [198.51.100.4]:tcp:80 [192.0.2.15]:tcp:80 DOWN\n");
}

TEST(FifoWriter, WritesLinesAndNeverBlocks) {
    TempDir d;
    const auto path = d.file("notify.fifo");
    auto w = FifoWriter::open(path, FifoOwner{});
    ASSERT_TRUE(w) << w.error();
    const int reader = ::open(path.c_str(), O_RDONLY | O_NONBLOCK);
    ASSERT_GE(reader, 0);
    EXPECT_TRUE(w->write_line(instance_line("VI_1", "MASTER", 100)));
    char buf[256] = {};
    ASSERT_GT(::read(reader, buf, sizeof buf), 0);
    EXPECT_STREQ(buf, "INSTANCE \"VI_1\" MASTER 100\n");
    // Nobody reads: the FIFO fills up, lines are dropped and counted, nothing blocks.
    for (int i = 0; i < 10000; ++i) w->write_line(instance_line("VI_1", "BACKUP", 100));
    EXPECT_GT(w->dropped(), 0U);
    ::close(reader);
}

TEST(FifoWriter, RefusesANonFifo) {
    TempDir d;
    const auto path = d.write("plain", "x");
    EXPECT_FALSE(FifoWriter::open(path, FifoOwner{}));
}

FifoOwner nobody() {
    const passwd* pw = ::getpwnam("nobody");
    return pw ? FifoOwner{pw->pw_uid, pw->pw_gid} : FifoOwner{65534, 65534};
}

// The FIFO belongs to the user its script reads it as (keepalived gives it to the FIFO's
// user), 0600; the workers open the same FIFO again.
TEST(FifoWriter, BelongsToItsReader) {
    TempDir d;
    const auto path = d.file("notify.fifo");
    auto w = FifoWriter::open(path, nobody());
    ASSERT_TRUE(w) << w.error();
    EXPECT_TRUE(w->created());
    struct stat st {};
    ASSERT_EQ(::stat(path.c_str(), &st), 0);
    EXPECT_EQ(st.st_uid, nobody().uid);
    EXPECT_EQ(st.st_mode & 07777, 0600U);
    auto again = FifoWriter::open(path, nobody());
    ASSERT_TRUE(again) << again.error();
    EXPECT_FALSE(again->created());
}

// Another user's FIFO (it could feed the root-run reading script false events), a link to a
// FIFO and a FIFO others may write are not used.
TEST(FifoWriter, RefusesWhatItDidNotMake) {
    TempDir d;
    const auto theirs = d.file("theirs.fifo");
    ASSERT_EQ(::mkfifo(theirs.c_str(), 0600), 0);
    ASSERT_EQ(::chown(theirs.c_str(), nobody().uid, nobody().gid), 0);
    const auto refused = FifoWriter::open(theirs, FifoOwner{});
    ASSERT_FALSE(refused);
    EXPECT_NE(refused.error().find("belongs to uid"), std::string::npos) << refused.error();

    const auto ours = d.file("ours.fifo");
    ASSERT_EQ(::mkfifo(ours.c_str(), 0600), 0);
    const auto link = d.file("link.fifo");
    ASSERT_EQ(::symlink(ours.c_str(), link.c_str()), 0);
    const auto linked = FifoWriter::open(link, FifoOwner{});
    ASSERT_FALSE(linked);
    EXPECT_NE(linked.error().find("symbolic link"), std::string::npos) << linked.error();

    const auto open_to_all = d.file("all.fifo");
    ASSERT_EQ(::mkfifo(open_to_all.c_str(), 0600), 0);
    ASSERT_EQ(::chmod(open_to_all.c_str(), 0622), 0);
    EXPECT_FALSE(FifoWriter::open(open_to_all, FifoOwner{}));
}

TEST(SmtpMessage, ComposeDotStuffsAndUsesCrlf) {
    MailAlert a{"vigil@director1",
                {"ops@example.com", "noc@example.com"},
                "[director1] VRRP Instance VI_1 - Entering MASTER state",
                "line one\n.leading dot\nlast\n"};
    const auto m = compose_message(a, 0, "vigil");
    EXPECT_NE(m.find("From: vigil@director1\r\n"), std::string::npos);
    EXPECT_NE(m.find("To: ops@example.com, noc@example.com\r\n"), std::string::npos);
    EXPECT_NE(m.find("Date: Thu, 01 Jan 1970 00:00:00 +0000\r\n"), std::string::npos);
    EXPECT_NE(m.find("\r\n\r\nline one\r\n..leading dot\r\nlast\r\n.\r\n"), std::string::npos) << m;
}

TEST(SmtpMessage, HeaderInjectionIsNeutralised) {
    MailAlert a{"a@b", {"c@d"}, "subject\r\nBcc: evil@x", "body"};
    const auto m = compose_message(a, 0, "vigil");
    EXPECT_EQ(m.find("\r\nBcc:"), std::string::npos);
}

TEST(SmtpReplyParser, SingleMultiAndMalformed) {
    SmtpReplyParser p;
    p.feed("220 mail ready\r\n250-first\r\n250-second\r\n250 last\r\n");
    auto r1 = p.next();
    ASSERT_TRUE(r1);
    EXPECT_EQ(r1->code, 220);
    auto r2 = p.next();
    ASSERT_TRUE(r2);
    EXPECT_EQ(r2->lines.size(), 3U);
    EXPECT_FALSE(p.next());
    p.feed("35");
    EXPECT_FALSE(p.next());
    p.feed("4 go ahead\r\n");
    EXPECT_EQ(p.next()->code, 354);

    SmtpReplyParser bad;
    bad.feed("hello there\r\n");
    EXPECT_FALSE(bad.next());
    EXPECT_TRUE(bad.failed());

    SmtpReplyParser flood(100);
    flood.feed(std::string(200, '2'));
    EXPECT_TRUE(flood.failed());
}

std::uint16_t free_port() {
    const int s = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a);
    socklen_t len = sizeof a;
    ::getsockname(s, reinterpret_cast<sockaddr*>(&a), &len);
    ::close(s);
    return ntohs(a.sin_port);
}

SmtpOutcome send(const SmtpSettings& s, const MailAlert& a) {
    boost::asio::io_context ioc;
    SmtpOutcome out;
    send_alert(ioc.get_executor(), s, a, [&](const SmtpOutcome& o) { out = o; });
    ioc.run_for(30s);
    return out;
}

struct SmtpServer {
    TempDir dir;
    std::uint16_t port = free_port();
    pid_t pid = -1;
    SmtpServer() {
        const std::string script = std::string(VIGIL_TEST_SOURCE_DIR) + "/unit/notify/smtp_sink.py";
        int ready[2];
        EXPECT_EQ(::pipe(ready), 0);
        pid = ::fork();
        if (pid == 0) {
            ::dup2(ready[1], 1);
            ::execl("/usr/bin/python3", "python3", script.c_str(), std::to_string(port).c_str(),
                    dir.path().c_str(), nullptr);
            ::_exit(127);
        }
        ::close(ready[1]);
        char buf[16] = {};
        EXPECT_GT(::read(ready[0], buf, sizeof buf), 0) << "SMTP server did not start";
        ::close(ready[0]);
    }
    ~SmtpServer() {
        ::kill(pid, SIGTERM);
        ::waitpid(pid, nullptr, 0);
    }
    std::string message(int n) const { return TempDir::read(dir.file(std::to_string(n) + ".eml")); }
};

TEST(SmtpClient, DeliversToARealServer) {
    SmtpServer server;
    SmtpSettings s{"127.0.0.1", server.port, 5000ms, "director1.example.com"};
    MailAlert a{"vigil@director1",
                {"ops@example.com", "reject@example.com", "noc@example.com"},
                "[director1] Realserver [192.0.2.10]:tcp:80 - DOWN",
                "=> TCP CONNECT FAILED on service <=\n.dot\n"};
    const auto out = send(s, a);
    EXPECT_TRUE(out.delivered) << out.detail;
    EXPECT_EQ(out.accepted_recipients, 2U);
    const auto m = server.message(1);
    EXPECT_NE(m.find("HELO: director1.example.com"), std::string::npos) << m;
    EXPECT_NE(m.find("FROM: vigil@director1"), std::string::npos) << m;
    EXPECT_NE(m.find("TO: ops@example.com,noc@example.com"), std::string::npos) << m;
    EXPECT_NE(m.find("Subject: [director1] Realserver [192.0.2.10]:tcp:80 - DOWN"),
              std::string::npos);
    EXPECT_NE(m.find("=> TCP CONNECT FAILED on service <="), std::string::npos);
    EXPECT_NE(m.find("\r\n.dot\r\n"), std::string::npos) << "dot-stuffing was not undone";
}

TEST(SmtpClient, RefusedConnectionIsReported) {
    SmtpSettings s{"127.0.0.1", free_port(), 2000ms, "h"};
    const auto out = send(s, MailAlert{"a@b", {"c@d"}, "s", "b"});
    EXPECT_FALSE(out.delivered);
    EXPECT_NE(out.detail.find("refused"), std::string::npos) << out.detail;
}

TEST(SmtpClient, SilentServerTimesOut) {
    // Accepts the connection (kernel backlog) and never says a word.
    const int s = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
    ASSERT_EQ(::listen(s, 4), 0);
    socklen_t len = sizeof a;
    ::getsockname(s, reinterpret_cast<sockaddr*>(&a), &len);
    const auto start = std::chrono::steady_clock::now();
    const auto out =
        send(SmtpSettings{"127.0.0.1", ntohs(a.sin_port), 500ms, "h"}, {"a@b", {"c@d"}, "s", "b"});
    EXPECT_FALSE(out.delivered);
    EXPECT_NE(out.detail.find("timed out"), std::string::npos) << out.detail;
    EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
    ::close(s);
}

}  // namespace
}  // namespace vigil::notify

#include "config/config.h"
#include "notify/alerts.h"

namespace vigil::notify {
namespace {

TEST(Alerts, KeepalivedWording) {
    const auto a = vrrp_state_alert("director1", "VI_1", "MASTER");
    EXPECT_EQ(a.subject, "[director1] VRRP Instance VI_1 - Entering MASTER state");
    EXPECT_EQ(a.body, "=> VRRP Instance is now owning VRRP VIPs <=");
    const auto r = real_server_alert("director1", "[192.0.2.10]:tcp:80", false,
                                     "TCP CONNECT FAILED on service");
    EXPECT_EQ(r.subject, "[director1] Realserver [192.0.2.10]:tcp:80 - DOWN");
    EXPECT_EQ(r.body, "=> TCP CONNECT FAILED on service <=");
}

TEST(Alerts, DrivenByGlobalDefsToARealServer) {
    SmtpServer server;
    config::LoadOptions o;
    o.env.host_name = "director1.example.com";
    const auto conf = config::load_config_text(
        "global_defs {\n    router_id director1\n    notification_email {\n"
        "        ops@example.com\n        noc@example.com\n    }\n"
        "    notification_email_from vigil@director1.example.com\n"
        "    smtp_server 127.0.0.1 " +
            std::to_string(server.port) + "\n    smtp_connect_timeout 5\n}\n",
        o);
    ASSERT_TRUE(conf.ok()) << conf.render_diagnostics();
    boost::asio::io_context ioc;
    const auto alerter = Alerter::from(conf.model->globals.defs, ioc.get_executor());
    ASSERT_TRUE(alerter);
    EXPECT_EQ(alerter->settings().helo_name, "director1.example.com");
    std::optional<std::pair<bool, std::string>> result;
    alerter->send(vrrp_state_alert(conf.model->globals.defs.router_id, "VI_1", "MASTER"),
                  [&](bool ok, const std::string& detail) {
                      result = {ok, detail};
                  });
    ioc.run_for(20s);
    ASSERT_TRUE(result);
    EXPECT_TRUE(result->first) << result->second;
    const auto m = server.message(1);
    EXPECT_NE(m.find("FROM: vigil@director1.example.com"), std::string::npos) << m;
    EXPECT_NE(m.find("TO: ops@example.com,noc@example.com"), std::string::npos) << m;
    EXPECT_NE(m.find("Subject: [director1] VRRP Instance VI_1 - Entering MASTER state"),
              std::string::npos)
        << m;
    EXPECT_NE(m.find("=> VRRP Instance is now owning VRRP VIPs <="), std::string::npos);
}

TEST(Alerts, NotConfiguredMeansNoAlerter) {
    config::LoadOptions o;
    o.env.host_name = "h";
    const auto conf = config::load_config_text("global_defs {\n    router_id r\n}\n", o);
    boost::asio::io_context ioc;
    EXPECT_FALSE(Alerter::from(conf.model->globals.defs, ioc.get_executor()));
}

}  // namespace
}  // namespace vigil::notify
