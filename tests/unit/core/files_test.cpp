// Pidfiles, dump files, log file names, credentials.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

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

// A dump holds auth_pass and SSL key passwords; a link planted at its path is replaced,
// never followed.
TEST(DumpFile, OwnerOnlyAndNeverThroughALink) {
    TempDir d;
    const auto target = d.write("victim", "keep\n", 0644);
    const auto p = d.file("x.json");
    ASSERT_EQ(::symlink(target.c_str(), p.c_str()), 0);
    ASSERT_TRUE(write_file_atomically(p, "secret\n"));
    EXPECT_EQ(TempDir::read(target), "keep\n");
    struct stat st {};
    ASSERT_EQ(::lstat(p.c_str(), &st), 0);
    EXPECT_TRUE(S_ISREG(st.st_mode));
    EXPECT_EQ(st.st_mode & 07777, 0600U);
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

// The default log file is under /tmp: whatever another user planted there is refused, and
// the warning says why (the other sinks still log).
TEST(Log, FileThatIsNotVigildsOwnIsRefused) {
    TempDir d;
    const auto victim = d.write("victim", "keep\n", 0644);
    const auto link = d.file("link.log");
    ASSERT_EQ(::symlink(victim.c_str(), link.c_str()), 0);
    const auto refused = open_log_file(link);
    ASSERT_FALSE(refused);
    EXPECT_NE(refused.error().find("symbolic link"), std::string::npos) << refused.error();

    const auto shared = d.write("shared.log", "", 0666);
    ::chmod(shared.c_str(), 0666);  // past the umask
    EXPECT_FALSE(open_log_file(shared));

    const auto theirs = d.write("theirs.log", "", 0644);
    auto nobody = lookup_credentials("nobody");
    ASSERT_TRUE(nobody);
    ASSERT_EQ(::chown(theirs.c_str(), nobody->uid, nobody->gid), 0);
    const auto not_ours = open_log_file(theirs);
    ASSERT_FALSE(not_ours);
    EXPECT_NE(not_ours.error().find("owned by uid"), std::string::npos) << not_ours.error();

    const auto hard = d.file("hard.log");
    ASSERT_EQ(::link(victim.c_str(), hard.c_str()), 0);
    EXPECT_FALSE(open_log_file(hard));

    LogOptions o;
    o.syslog = false;
    o.file = link;
    make_logger(ProcessRole::supervisor, o)->info("hello");
    EXPECT_EQ(TempDir::read(victim), "keep\n");
}

TEST(Log, NewFileIsOwnerOnlyAndCloseOnExec) {
    TempDir d;
    const auto path = d.file("new.log");
    auto fd = open_log_file(path);
    ASSERT_TRUE(fd) << fd.error();
    struct stat st {};
    ASSERT_EQ(::stat(path.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 07777, 0600U);
    EXPECT_NE(::fcntl(fd.value().get(), F_GETFD) & FD_CLOEXEC, 0);
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
