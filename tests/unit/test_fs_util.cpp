// Atomic writes and collision-free names: nothing half-written, nothing clobbered.
#include <gtest/gtest.h>

#include "acestep/error.h"
#include "acestep/fs_util.h"
#include "common/test_util.h"

using namespace acestep;

TEST(FsUtil, AtomicWriteReplacesOnlyWhenAsked) {
    auto dir = test::scratch_dir("fs_atomic");
    auto p = dir / "take.json";
    write_file_atomic(p, "first", Overwrite::Never);
    EXPECT_EQ(read_file(p), "first");
    EXPECT_THROW(write_file_atomic(p, "second", Overwrite::Never), Error);
    EXPECT_EQ(read_file(p), "first");
    write_file_atomic(p, "third", Overwrite::Replace);
    EXPECT_EQ(read_file(p), "third");
}

TEST(FsUtil, AbandonedAtomicFileLeavesNothing) {
    auto dir = test::scratch_dir("fs_abandon");
    auto p = dir / "out.wav";
    {
        AtomicFile af(p);
        write_file_atomic(af.temp_path(), "partial");
        EXPECT_TRUE(fs::exists(af.temp_path()));
    }  // no commit: e.g. a cancel or an exception mid-write
    EXPECT_FALSE(fs::exists(p));
    EXPECT_TRUE(fs::is_empty(dir)) << "temp file removed";
}

TEST(FsUtil, FailedWriteKeepsTheOldFile) {
    auto dir = test::scratch_dir("fs_fail");
    auto p = dir / "keep.txt";
    write_file_atomic(p, "precious");
    EXPECT_THROW(write_file_atomic(dir / "no" / "such" / "\0bad", "x"), Error);
    EXPECT_EQ(read_file(p), "precious");
}

TEST(FsUtil, UniquePathNeverCollides) {
    auto dir = test::scratch_dir("fs_unique");
    auto a = unique_path(dir / "output_20250101000000_0", ".wav");
    EXPECT_EQ(a.filename(), "output_20250101000000_0.wav");
    write_file_atomic(a, "x");
    auto b = unique_path(dir / "output_20250101000000_0", ".wav");
    EXPECT_EQ(b.filename(), "output_20250101000000_0_2.wav");
    EXPECT_TRUE(reserve_path(b));
    EXPECT_FALSE(reserve_path(b)) << "second reservation of the same name fails";
}

TEST(FsUtil, ReadFileErrors) {
    EXPECT_THROW(read_file("/nonexistent/file"), Error);
    auto dir = test::scratch_dir("fs_read");
    EXPECT_THROW(read_file(dir), Error);
    write_file_atomic(dir / "big", std::string(1000, 'a'));
    EXPECT_THROW(read_file(dir / "big", 10), Error);
}
