// Pidfiles, dump files, log file names, credentials.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>

#include "core/credentials.h"
#include "core/dump_file.h"
#include "core/log.h"
#include "core/pidfile.h"
#include "temp_dir.h"

namespace vigil::core {
namespace {

using vigil::testing::TempDir;

TEST(PidFile, HeldRefusedReleasedReused) {
    TempDir d;
    const auto path = d.file("run/sub/v.pid");
    {
        auto first = PidFile::acquire(path);
        ASSERT_TRUE(first) << first.error();
        EXPECT_EQ(TempDir::read(path), std::to_string(::getpid()) + "\n");
        auto second = PidFile::acquire(path);
        ASSERT_FALSE(second);
        EXPECT_NE(second.error().find("held by a running process (pid " + std::to_string(getpid())),
                  std::string::npos)
            << second.error();
    }
    EXPECT_FALSE(std::filesystem::exists(path));
    // A pidfile left behind by a dead process is not locked: it is taken over.
    d.write("run/sub/v.pid", "999999\n");
    auto again = PidFile::acquire(path);
    ASSERT_TRUE(again) << again.error();
    EXPECT_EQ(TempDir::read(path), std::to_string(::getpid()) + "\n");
}

TEST(DumpFile, AtomicReplace) {
    TempDir d;
    const auto p = d.file("x.data");
    ASSERT_TRUE(write_file_atomically(p, "one\n"));
    ASSERT_TRUE(write_file_atomically(p, "two\n"));
    EXPECT_EQ(TempDir::read(p), "two\n");
    EXPECT_EQ(std::distance(std::filesystem::directory_iterator(d.path()), {}), 1);
    EXPECT_FALSE(write_file_atomically(d.file("missing/x"), "y"));
}

TEST(DumpFile, DocumentedPaths) {
    EXPECT_EQ(dump_path(DumpKind::data, ProcessRole::vrrp, std::nullopt), "/tmp/vigil_vrrp.data");
    EXPECT_EQ(dump_path(DumpKind::stats, ProcessRole::checker, std::nullopt),
              "/tmp/vigil_checker.stats");
    EXPECT_EQ(dump_path(DumpKind::json, ProcessRole::vrrp, std::string("blue")),
              "/tmp/vigil_blue_vrrp.json");
    EXPECT_EQ(dump_path(DumpKind::data, ProcessRole::supervisor, std::nullopt),
              "/tmp/vigil_parent.data");
}

TEST(Log, FilePerProcessLikeKeepalived) {
    EXPECT_EQ(log_file_for("/var/log/vigild.log", ProcessRole::vrrp), "/var/log/vigild_vrrp.log");
    EXPECT_EQ(log_file_for("/var/log/vigild.log", ProcessRole::checker),
              "/var/log/vigild_checker.log");
    EXPECT_EQ(log_file_for("/var/log/vigild.log", ProcessRole::supervisor), "/var/log/vigild.log");
    EXPECT_EQ(log_file_for("/var/log.d/vigild", ProcessRole::vrrp), "/var/log.d/vigild_vrrp");
}

TEST(Log, FileSinkWritesWithProcessName) {
    TempDir d;
    LogOptions o;
    o.syslog = false;
    o.file = d.file("v.log");
    auto log = make_logger(ProcessRole::vrrp, o);
    log->info("(VI_1) Entering MASTER STATE");
    log->flush();
    const auto text = TempDir::read(d.file("v_vrrp.log"));
    EXPECT_NE(text.find("vigild_vrrp["), std::string::npos) << text;
    EXPECT_NE(text.find("(VI_1) Entering MASTER STATE"), std::string::npos) << text;
}

TEST(Credentials, Lookup) {
    auto root = lookup_credentials("root");
    ASSERT_TRUE(root) << root.error();
    EXPECT_EQ(root->uid, 0U);
    auto nobody = lookup_credentials("nobody", "nogroup");
    ASSERT_TRUE(nobody) << nobody.error();
    EXPECT_NE(nobody->uid, 0U);
    EXPECT_FALSE(lookup_credentials("no-such-user-vigil"));
    EXPECT_FALSE(lookup_credentials("root", "no-such-group-vigil"));
    auto by_number = lookup_credentials("0");
    ASSERT_TRUE(by_number);
    EXPECT_EQ(by_number->user, "root");
    auto configured = default_script_credentials("nobody", "");
    ASSERT_TRUE(configured);
    EXPECT_EQ(configured->user, "nobody");
}

}  // namespace
}  // namespace vigil::core
