// Getting the model: a dependable Hugging Face hub client (torch-free, libcurl).
//
// download_checkpoint() fetches the four component folders of ACE-Step/ACE-Step-v1-3.5B into the
// standard Hugging Face cache layout (blobs/<etag>, snapshots/<commit>/<path> -> ../../blobs/<etag>,
// refs/<revision>), so an existing Python cache is reused and nothing is downloaded twice:
//   - the file list and each file's size and SHA-256 come from the hub API (?blobs=true);
//   - interrupted downloads resume with HTTP ranges from blobs/<etag>.incomplete;
//   - every file is verified (size + SHA-256 for LFS files, git blob SHA-1 otherwise) before it is
//     moved to its final name; a corrupted cached file is fetched again;
//   - a full disk or a network error gives one clear message and leaves the cache consistent.
// Environment: HF_HOME / HF_HUB_CACHE (where), HF_ENDPOINT (which hub), HF_TOKEN (auth),
// HF_HUB_OFFLINE (never touch the network).
//
// download_data_files() fetches the lyric front end's data files from their pinned public sources
// (another host; base address overridable with $ACESTEP_DATA_BASE_URL), verified by SHA-256.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace acestep {

namespace fs = std::filesystem;

struct DownloadProgress {
    std::string phase;        // "list", "download", "verify", "done"
    std::string file;         // current file (repo-relative path or data file name)
    int file_index = 0, file_count = 0;
    uint64_t file_done = 0, file_total = 0;
    uint64_t total_done = 0, total_total = 0;  // bytes of this run (already-present files excluded)
    double speed_bps = 0.0;   // recent average
    double eta_s = -1.0;      // < 0 while unknown
};
using DownloadProgressFn = std::function<void(const DownloadProgress&)>;

struct HubOptions {
    std::string repo_id = "ACE-Step/ACE-Step-v1-3.5B";
    std::string revision = "main";
    fs::path cache_dir;       // "" = hf_hub_cache_dir() ($HF_HUB_CACHE, $HF_HOME/hub, ~/.cache/huggingface/hub)
    std::string endpoint;     // "" = $HF_ENDPOINT or https://huggingface.co
    std::string token;        // "" = $HF_TOKEN
    int offline = -1;         // -1 = $HF_HUB_OFFLINE, 0 = online, 1 = offline
    // Repository paths to fetch: files under these prefixes (the four component folders).
    std::vector<std::string> prefixes = {"ace_step_transformer/", "music_dcae_f8c8/", "music_vocoder/", "umt5-base/"};
    int max_attempts = 6;             // per file, with resume between attempts
    double low_speed_timeout_s = 60;  // abort an attempt slower than 1 KiB/s for this long
    double connect_timeout_s = 20;
};

struct HubFile {
    std::string path;         // repo-relative
    uint64_t size = 0;
    std::string sha256;       // LFS files
    std::string blob_id;      // git blob id (SHA-1)
    std::string etag() const { return sha256.empty() ? blob_id : sha256; }
};

struct DownloadResult {
    fs::path snapshot_dir;    // folder holding the four component folders
    std::string commit;
    int files_downloaded = 0, files_reused = 0;
    uint64_t bytes_downloaded = 0;
};

// Throws acestep::Error with one clear line (404, auth, network, disk full, checksum); acestep::Cancelled on cancel.
DownloadResult download_checkpoint(const HubOptions& opt, const DownloadProgressFn& progress = {},
                                   const std::atomic<bool>* cancel = nullptr);

// The repository listing (hub API). Exposed for tests and `acestep-cli models`.
std::vector<HubFile> list_hub_files(const HubOptions& opt, std::string* commit);
// Parses a /api/models/<repo>/revision/<rev>?blobs=true answer, keeping files under `prefixes`.
// Throws acestep::Error naming `where` on anything malformed or unsafe (e.g. "../" in a path).
std::vector<HubFile> parse_hub_listing(const std::string& body, const std::vector<std::string>& prefixes,
                                       std::string* commit, const std::string& where);

// ---- lyric front end data ----------------------------------------------------------------------
struct DataFile {
    std::string name;     // file name in the data folder
    std::string url;      // pinned public address
    std::string sha256;
    uint64_t size = 0;
    std::string purpose;  // what needs it, for messages
};
// The pinned sources (ace-step/ACE-Step, adbar/py3langid, mozillazg/python-pinyin, polm/cutlet).
const std::vector<DataFile>& lyric_data_files();

struct DataDownloadResult {
    std::vector<std::string> fetched, present;
    std::vector<std::pair<std::string, std::string>> failed;  // name, reason
};
// Never throws for a single failed file (it is reported in `failed`); throws Cancelled on cancel.
DataDownloadResult download_data_files(const std::vector<DataFile>& files, const fs::path& dest_dir,
                                       const DownloadProgressFn& progress = {}, const std::atomic<bool>* cancel = nullptr,
                                       int offline = -1);
// The data folder that goes with a checkpoint: <cache or checkpoint root>/acestep-lyric-data.
fs::path lyric_data_dir_near(const fs::path& checkpoint_root);

// ---- checking files ----------------------------------------------------------------------------
std::string sha256_file(const fs::path& path, const std::atomic<bool>* cancel = nullptr);
std::string git_blob_sha1_file(const fs::path& path);
bool hub_offline(int flag = -1);  // resolves -1 through $HF_HUB_OFFLINE
std::string hub_endpoint(const std::string& explicit_endpoint = "");

}  // namespace acestep
