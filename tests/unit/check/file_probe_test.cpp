// FILE_CHECK: numbers, missing files and garbage read as keepalived 2.2.7 reads them, and the
// weight rules of keepalived.conf(5) "Track files".
#include "check/file_probe.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <optional>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include "core/temp_dir.h"  // tests/unit/core

namespace vigil::check {
namespace {

namespace asio = boost::asio;
using K = ProbeOutcome::Kind;

TEST(TrackFileValue, ReadLikeStrtol) {
    EXPECT_EQ(parse_track_file_value("5"), 5);
    EXPECT_EQ(parse_track_file_value("  -12\n"), -12);
    EXPECT_EQ(parse_track_file_value("+3"), 3);
    EXPECT_EQ(parse_track_file_value("0x10"), 16);
    EXPECT_EQ(parse_track_file_value("010"), 8);
    EXPECT_EQ(parse_track_file_value("7 apples"), 7);
    EXPECT_EQ(parse_track_file_value("garbage"), 0);
    EXPECT_EQ(parse_track_file_value(""), 0);
    EXPECT_EQ(parse_track_file_value("2147483648"), 2147483648LL);  // keepalived's upper bound
    EXPECT_EQ(parse_track_file_value("-2147483648"), -2147483648LL);
    EXPECT_FALSE(parse_track_file_value("2147483649"));
    EXPECT_FALSE(parse_track_file_value("-2147483649"));
    EXPECT_FALSE(parse_track_file_value("99999999999999999999999"));
    EXPECT_EQ(parse_track_file_value(std::string_view("4\0"
                                                      "9",
                                                      3)),
              4);
}

TEST(TrackFileStatus, WeightZeroIsUpOrDown) {
    EXPECT_FALSE(track_file_status(0, 0, false).down);
    EXPECT_TRUE(track_file_status(1, 0, false).down);
    EXPECT_TRUE(track_file_status(-5, 0, false).down);
    EXPECT_TRUE(track_file_status(0, 0, true).down);  // reverse: 0 is the failure
    EXPECT_FALSE(track_file_status(3, 0, true).down);
    EXPECT_FALSE(track_file_status(3, 0, false).weight_delta);
}

TEST(TrackFileStatus, WeightMultipliesAndClamps) {
    EXPECT_EQ(track_file_status(5, 2, false).weight_delta, 10);
    EXPECT_EQ(track_file_status(5, 2, true).weight_delta, -10);
    EXPECT_EQ(track_file_status(-5, -2, false).weight_delta, 10);
    EXPECT_EQ(track_file_status(2147483648LL, 2147483647, false).weight_delta, 2147483647);
    EXPECT_TRUE(track_file_status(-2147483648LL, 1, false).down);
    EXPECT_TRUE(track_file_status(-2147483648LL, 2147483647, false).down);
    EXPECT_FALSE(track_file_status(-2147483647LL, 1, false).down);
}

TEST(FileOutcome, NewWeightIsConfiguredPlusDelta) {
    FileProbeSettings s{"/x", 2, false, 10};
    EXPECT_EQ(file_outcome(3, s).weight, 16U);
    EXPECT_EQ(file_outcome(-3, s).weight, 4U);
    EXPECT_EQ(file_outcome(-30, s).weight, 0U);  // never below 0
    EXPECT_TRUE(file_outcome(-30, s).ok());
    EXPECT_EQ(file_outcome(0, s).weight, 10U);  // back to the configured weight
    FileProbeSettings flag{"/x", 0, false, 10};
    EXPECT_FALSE(file_outcome(0, flag).weight);
    EXPECT_EQ(file_outcome(1, flag).kind, K::mismatch);
}

TEST(FileProbeSettingsFromModel, FileCheckWeightElseTrackFiles) {
    config::TrackFile tf;
    tf.file = "/run/x";
    tf.weight = -3;
    tf.weight_reverse = true;
    config::FileCheck fc;
    fc.weight = 0;
    auto s = file_probe_settings(fc, tf, 5);
    EXPECT_EQ(s.path, "/run/x");
    EXPECT_EQ(s.weight, -3);
    EXPECT_TRUE(s.reverse);
    EXPECT_EQ(s.configured_weight, 5U);
    fc.weight = 4;
    fc.reverse = false;
    s = file_probe_settings(fc, tf, 5);
    EXPECT_EQ(s.weight, 4);
    EXPECT_FALSE(s.reverse);
}

class FileProbeTest : public ::testing::Test {
  protected:
    ProbeOutcome run(FileProbe& p) {
        std::optional<ProbeOutcome> out;
        asio::co_spawn(ioc_, p.run(), [&](const std::exception_ptr&, ProbeOutcome o) { out = o; });
        ioc_.run();
        ioc_.restart();
        EXPECT_TRUE(out);
        return out.value_or(ProbeOutcome{});
    }
    vigil::testing::TempDir dir_;
    asio::io_context ioc_;
};

TEST_F(FileProbeTest, NumbersMissingFileAndGarbage) {
    const auto path = dir_.file("status");
    FileProbe flag(FileProbeSettings{path, 0, false, 1});
    EXPECT_TRUE(run(flag).ok());  // missing: 0
    dir_.write("status", "0\n");
    EXPECT_TRUE(run(flag).ok());
    dir_.write("status", "1\n");
    EXPECT_EQ(run(flag).kind, K::mismatch);
    dir_.write("status", "garbage\n");
    EXPECT_TRUE(run(flag).ok());  // no digits: 0
    dir_.write("status", "");
    EXPECT_TRUE(run(flag).ok());
    dir_.write("status", "3");
    EXPECT_FALSE(run(flag).ok());
    dir_.write("status", "99999999999");  // out of range: ignored, 3 stays
    EXPECT_FALSE(run(flag).ok());
    std::filesystem::remove(path);
    EXPECT_TRUE(run(flag).ok());  // deleted: 0
}

TEST_F(FileProbeTest, WeightedValues) {
    const auto path = dir_.write("w", "5\n");
    FileProbe p(FileProbeSettings{path, 10, false, 100});
    auto o = run(p);
    EXPECT_TRUE(o.ok());
    EXPECT_EQ(o.weight, 150U);
    dir_.write("w", "-2\n");
    EXPECT_EQ(run(p).weight, 80U);
}

TEST_F(FileProbeTest, AFifoDoesNotBlock) {
    const auto path = dir_.file("fifo");
    ASSERT_EQ(::mkfifo(path.c_str(), 0600), 0);
    FileProbe p(FileProbeSettings{path, 0, false, 1});
    EXPECT_TRUE(run(p).ok());
}

TEST_F(FileProbeTest, ADirectoryOrBigFileIsHarmless) {
    FileProbe dir(FileProbeSettings{dir_.path(), 0, false, 1});
    EXPECT_TRUE(run(dir).ok());
    const auto big = dir_.write("big", std::string(1 << 20, '7'));
    FileProbe p(FileProbeSettings{big, 0, false, 1});
    // 127 sevens overflow: ignored, the previous value (0) stays.
    EXPECT_TRUE(run(p).ok());
}

}  // namespace
}  // namespace vigil::check
