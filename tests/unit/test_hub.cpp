// Downloads: a hub-shaped server on 127.0.0.1 over the tiny fixture checkpoint, with dropped
// connections, wrong checksums, 404s, stalls, resumes, offline mode and the lyric data files.
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <unistd.h>

#include <csignal>
#include <fstream>

#include "acestep/checkpoint.h"
#include "acestep/error.h"
#include "acestep/fs_util.h"
#include "acestep/hub.h"
#include "common/test_util.h"
#include "hub_test_server.h"

using namespace acestep;

namespace {

const std::string kCommit = "0123456789abcdef0123456789abcdef01234567";

fs::path fixture_checkpoint() { return test::fixtures_dir() / "checkpoint"; }

HubOptions options(const test::HubTestServer& s, const fs::path& cache) {
    HubOptions o;
    o.endpoint = s.endpoint();
    o.cache_dir = cache;
    o.offline = 0;
    o.low_speed_timeout_s = 30;  // generous: the machine may be loaded; the stall test sets its own
    o.connect_timeout_s = 5;
    return o;
}

bool same_bytes(const fs::path& a, const fs::path& b) { return read_file(a) == read_file(b); }

const char* kDit = "ace_step_transformer/diffusion_pytorch_model.safetensors";

class Hub : public ::testing::Test {
protected:
    void SetUp() override {
        if (!fs::exists(fixture_checkpoint())) GTEST_SKIP() << "fixtures not found";
        cache = test::scratch_dir(::testing::UnitTest::GetInstance()->current_test_info()->name());
        server = std::make_unique<test::HubTestServer>(fixture_checkpoint(), "ACE-Step/ACE-Step-v1-3.5B", kCommit);
    }
    fs::path cache;
    std::unique_ptr<test::HubTestServer> server;
};

}  // namespace

TEST_F(Hub, DownloadsIntoTheHuggingFaceCacheLayout) {
    std::vector<DownloadProgress> seen;
    auto r = download_checkpoint(options(*server, cache), [&](const DownloadProgress& p) { seen.push_back(p); });
    const fs::path repo = cache / "models--ACE-Step--ACE-Step-v1-3.5B";
    EXPECT_EQ(r.commit, kCommit);
    EXPECT_EQ(r.snapshot_dir, repo / "snapshots" / kCommit);
    EXPECT_EQ(read_file(repo / "refs" / "main"), kCommit);
    const fs::path link = r.snapshot_dir / kDit;
    ASSERT_TRUE(fs::is_symlink(link));
    EXPECT_EQ(fs::read_symlink(link).string().rfind("../../../blobs/", 0), 0u) << fs::read_symlink(link);
    EXPECT_TRUE(same_bytes(link, fixture_checkpoint() / kDit));
    EXPECT_EQ(find_checkpoint(cache).root, r.snapshot_dir) << "the checkpoint finder understands the cache";
    EXPECT_GE(r.files_downloaded, 10);
    EXPECT_FALSE(seen.empty());
    EXPECT_EQ(seen.back().phase, "done");
    EXPECT_EQ(seen.back().total_done, seen.back().total_total);
    // README.md is outside the four folders: not fetched.
    EXPECT_FALSE(fs::exists(r.snapshot_dir / "README.md"));
}

TEST_F(Hub, SecondRunDownloadsNothing) {
    download_checkpoint(options(*server, cache));
    const size_t before = server->requests().size();
    auto r = download_checkpoint(options(*server, cache));
    EXPECT_EQ(r.files_downloaded, 0);
    EXPECT_EQ(r.bytes_downloaded, 0u);
    EXPECT_GE(r.files_reused, 10);
    EXPECT_EQ(server->requests().size(), before + 1) << "only the listing";
}

TEST_F(Hub, DroppedConnectionResumesWithARange) {
    test::HubFault f;
    f.drop_after_bytes = 1000000;
    f.drop_times = 2;
    server->set_fault(kDit, f);
    auto r = download_checkpoint(options(*server, cache));
    EXPECT_TRUE(same_bytes(r.snapshot_dir / kDit, fixture_checkpoint() / kDit));
    EXPECT_GE(server->range_requests(), 2);
    bool saw_resume = false;
    for (const auto& l : server->requests()) saw_resume |= l.find("range=1000000") != std::string::npos;
    EXPECT_TRUE(saw_resume);
}

TEST_F(Hub, ServerIgnoringRangesStillEndsCorrect) {
    test::HubFault f;
    f.drop_after_bytes = 500000;
    f.drop_times = 1;
    f.ignore_range = true;
    server->set_fault(kDit, f);
    auto r = download_checkpoint(options(*server, cache));
    EXPECT_TRUE(same_bytes(r.snapshot_dir / kDit, fixture_checkpoint() / kDit));
}

TEST_F(Hub, WrongChecksumIsRefetchedThenRefused) {
    test::HubFault once;
    once.corrupt_times = 1;
    server->set_fault(kDit, once);
    auto r = download_checkpoint(options(*server, cache));
    EXPECT_TRUE(same_bytes(r.snapshot_dir / kDit, fixture_checkpoint() / kDit)) << "bad bytes detected and fetched again";

    const fs::path cache2 = cache / "second";
    test::HubFault always;
    always.corrupt_times = 1000;
    server->set_fault(kDit, always);
    auto o = options(*server, cache2);
    o.max_attempts = 2;
    try {
        download_checkpoint(o);
        FAIL() << "corrupt download accepted";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("checksum mismatch"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find(kDit), std::string::npos) << e.what();
    }
    // Nothing unverified under a final name.
    const fs::path blobs = cache2 / "models--ACE-Step--ACE-Step-v1-3.5B" / "blobs";
    for (const auto& e : fs::directory_iterator(blobs)) {
        const auto sha = sha256_file(fixture_checkpoint() / kDit);
        EXPECT_NE(e.path().filename().string(), sha) << "corrupt blob stored under its final name";
    }
}

TEST_F(Hub, CorruptedCachedFileIsFetchedAgain) {
    auto r = download_checkpoint(options(*server, cache));
    const fs::path blob = fs::canonical(r.snapshot_dir / kDit);
    {
        std::fstream f(blob, std::ios::in | std::ios::out | std::ios::binary);
        f.seekp(1234);
        f.put('\x42');
    }
    auto r2 = download_checkpoint(options(*server, cache));
    EXPECT_EQ(r2.files_downloaded, 1);
    EXPECT_TRUE(same_bytes(r2.snapshot_dir / kDit, fixture_checkpoint() / kDit));
}

TEST_F(Hub, InterruptedDownloadResumesNextRun) {
    // The connection dies mid-file and this run gives up (one attempt): the partial file stays.
    test::HubFault f;
    f.drop_after_bytes = 3000000;
    f.drop_times = 1;
    server->set_fault(kDit, f);
    auto o = options(*server, cache);
    o.max_attempts = 1;
    EXPECT_THROW(download_checkpoint(o), Error);
    const fs::path blobs = cache / "models--ACE-Step--ACE-Step-v1-3.5B" / "blobs";
    uint64_t partial = 0;
    for (const auto& e : fs::directory_iterator(blobs))
        if (e.path().extension() == ".incomplete") partial = e.file_size();
    EXPECT_GT(partial, 0u) << "partial file kept for resume";
    EXPECT_LE(partial, 3000000u);
    auto r = download_checkpoint(options(*server, cache));
    EXPECT_TRUE(same_bytes(r.snapshot_dir / kDit, fixture_checkpoint() / kDit));
    bool resumed = false;
    for (const auto& l : server->requests()) resumed |= l.find("range=" + std::to_string(partial)) != std::string::npos;
    EXPECT_TRUE(resumed) << "resumed from " << partial;
}

TEST_F(Hub, CancelStopsWithoutFinalFiles) {
    std::atomic<bool> cancel{false};
    EXPECT_THROW(download_checkpoint(options(*server, cache), [&](const DownloadProgress& p) {
        if (p.phase == "download") cancel = true;
    }, &cancel), Cancelled);
    const fs::path snap = cache / "models--ACE-Step--ACE-Step-v1-3.5B" / "snapshots" / kCommit;
    EXPECT_FALSE(fs::exists(snap / kDit));
}

TEST_F(Hub, StalledServerIsRetried) {
    test::HubFault f;
    f.stall_ms = 3500;
    f.stall_times = 1;
    server->set_fault("music_vocoder/diffusion_pytorch_model.safetensors", f);
    auto o = options(*server, cache);
    o.low_speed_timeout_s = 1;
    auto r = download_checkpoint(o);
    EXPECT_TRUE(same_bytes(r.snapshot_dir / "music_vocoder/diffusion_pytorch_model.safetensors",
                           fixture_checkpoint() / "music_vocoder/diffusion_pytorch_model.safetensors"));
}

TEST_F(Hub, NotFoundErrorsAreClear) {
    test::HubFault f;
    f.not_found = true;
    server->set_fault("umt5-base/config.json", f);
    try {
        download_checkpoint(options(*server, cache));
        FAIL();
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("umt5-base/config.json: not found"), std::string::npos) << e.what();
    }
    auto o = options(*server, cache);
    o.repo_id = "nobody/nothing";
    try {
        download_checkpoint(o);
        FAIL();
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("repository or revision not found"), std::string::npos) << e.what();
    }
}

TEST_F(Hub, TokenIsSentAndRequired) {
    server->set_required_token("hf_secret");
    auto o = options(*server, cache);
    try {
        download_checkpoint(o);
        FAIL();
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("HF_TOKEN"), std::string::npos) << e.what();
    }
    o.token = "hf_secret";
    EXPECT_NO_THROW(download_checkpoint(o));
}

TEST_F(Hub, UnreachableHubIsAClearError) {
    auto o = options(*server, cache);
    o.endpoint = "http://127.0.0.1:1";
    try {
        download_checkpoint(o);
        FAIL();
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("cannot reach http://127.0.0.1:1"), std::string::npos) << e.what();
    }
}

TEST_F(Hub, OfflineModeNeverTouchesTheNetwork) {
    auto o = options(*server, cache);
    o.offline = 1;
    try {
        download_checkpoint(o);
        FAIL();
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("offline mode"), std::string::npos) << e.what();
    }
    EXPECT_TRUE(server->requests().empty());
    o.offline = 0;
    download_checkpoint(o);
    const size_t n = server->requests().size();
    o.offline = 1;
    auto r = download_checkpoint(o);
    EXPECT_EQ(server->requests().size(), n);
    EXPECT_TRUE(fs::exists(r.snapshot_dir / kDit));
}

TEST_F(Hub, FullDiskGivesAClearMessageAndNoFinalFile) {
    // A 2 MB file size limit (soft, on this process, for the one download) stands in for a full disk.
    // In-process rather than in a forked child: a child forked from this multi-threaded process (the
    // test server's thread, sanitizer threads) may deadlock on a lock another thread held at fork time.
    rlimit old{};
    ASSERT_EQ(getrlimit(RLIMIT_FSIZE, &old), 0);
    auto old_handler = signal(SIGXFSZ, SIG_IGN);
    rlimit lim = old;
    lim.rlim_cur = std::min<rlim_t>(old.rlim_max, 2u << 20);
    ASSERT_EQ(setrlimit(RLIMIT_FSIZE, &lim), 0);
    std::string message = "(no error)";
    try {
        download_checkpoint(options(*server, cache));
    } catch (const Error& e) {
        message = e.what();
    } catch (const std::exception& e) {
        message = std::string("unexpected exception: ") + e.what();
    }
    setrlimit(RLIMIT_FSIZE, &old);
    signal(SIGXFSZ, old_handler);
    EXPECT_NE(message.find("cannot write"), std::string::npos) << message;
    EXPECT_NE(message.find("resume"), std::string::npos) << message;
    const auto sha = sha256_file(fixture_checkpoint() / kDit);
    EXPECT_FALSE(fs::exists(cache / "models--ACE-Step--ACE-Step-v1-3.5B" / "blobs" / sha));
    // With room again, the next run completes.
    auto r = download_checkpoint(options(*server, cache));
    EXPECT_TRUE(same_bytes(r.snapshot_dir / kDit, fixture_checkpoint() / kDit));
}

TEST_F(Hub, LyricDataFilesAreFetchedAndVerified) {
    const fs::path data = test::fixtures_dir() / "lyrics" / "data";
    if (!fs::exists(data)) GTEST_SKIP();
    std::vector<DataFile> files = lyric_data_files();
    const std::string gh = "https://raw.githubusercontent.com";
    for (auto& f : files) server->serve_file(f.url.substr(gh.size()), data / f.name);
    // One file with a wrong pinned checksum must fail alone.
    files[1].sha256 = std::string(64, '0');
    setenv("ACESTEP_DATA_BASE_URL", server->endpoint().c_str(), 1);
    const fs::path dest = cache / "acestep-lyric-data";
    auto d = download_data_files(files, dest, {}, nullptr, 0);
    EXPECT_EQ(d.fetched.size(), files.size() - 1);
    ASSERT_EQ(d.failed.size(), 1u);
    EXPECT_EQ(d.failed[0].first, files[1].name);
    EXPECT_NE(d.failed[0].second.find("checksum mismatch"), std::string::npos) << d.failed[0].second;
    EXPECT_NE(d.failed[0].second.find("language detection"), std::string::npos) << "says what cannot work";
    EXPECT_FALSE(fs::exists(dest / files[1].name));
    EXPECT_TRUE(same_bytes(dest / "vocab.json", data / "vocab.json"));
    auto again = download_data_files(files, dest, {}, nullptr, 0);
    EXPECT_EQ(again.present.size(), files.size() - 1);
    auto off = download_data_files(lyric_data_files(), cache / "other", {}, nullptr, 1);
    EXPECT_EQ(off.failed.size(), lyric_data_files().size());
    unsetenv("ACESTEP_DATA_BASE_URL");
}

TEST(HubPaths, LyricDataSitsNextToTheCheckpoint) {
    EXPECT_EQ(lyric_data_dir_near("/c/models--ACE-Step--ACE-Step-v1-3.5B/snapshots/abc"), fs::path("/c/acestep-lyric-data"));
    EXPECT_EQ(lyric_data_dir_near("/m/ckpt"), fs::path("/m/ckpt/acestep-lyric-data"));
}

TEST(HubPaths, PinnedDataTableMatchesSources) {
    const fs::path data = test::fixtures_dir() / "lyrics" / "data";
    if (!fs::exists(data)) GTEST_SKIP();
    for (const auto& f : lyric_data_files()) {
        EXPECT_EQ(sha256_file(data / f.name), f.sha256) << f.name;
        EXPECT_EQ(fs::file_size(data / f.name), f.size) << f.name;
    }
}

TEST(HubListing, DotsInsideANameAreFineClimbingOutIsRefused) {
    auto listing = [](const std::string& name) {
        return "{\"sha\": \"" + kCommit + "\", \"siblings\": [{\"rfilename\": \"" + name +
               "\", \"size\": 3, \"blobId\": \"0123456789abcdef0123456789abcdef01234567\"}]}";
    };
    std::string commit;
    auto files = parse_hub_listing(listing("umt5-base/a..b.json"), {"umt5-base/"}, &commit, "test");
    ASSERT_EQ(files.size(), 1u);
    EXPECT_EQ(files[0].path, "umt5-base/a..b.json");
    EXPECT_EQ(commit, kCommit);
    for (const char* bad : {"umt5-base/../../etc/passwd", "umt5-base/..", "umt5-base/./x", "umt5-base//x",
                            "umt5-base/x\\\\..\\\\y"}) {
        try {
            parse_hub_listing(listing(bad), {"umt5-base/"}, &commit, "test");
            ADD_FAILURE() << bad << " accepted";
        } catch (const Error& e) {
            EXPECT_NE(std::string(e.what()).find("unsafe file name"), std::string::npos) << e.what();
        }
    }
}
