// `acestep-cli download` and `acestep-cli models`: get the official checkpoint and the lyric data
// files, and list what is present and complete (see include/acestep/hub.h).
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <iostream>

#include "acestep/checkpoint.h"
#include "acestep/error.h"
#include "acestep/hub.h"
#include "cli/args.h"
#include "cli/cancel.h"

namespace acestep::cli {

namespace {

std::string bytes_text(double b) {
    char buf[32];
    if (b >= 1e9) std::snprintf(buf, sizeof buf, "%.2f GB", b / 1e9);
    else if (b >= 1e6) std::snprintf(buf, sizeof buf, "%.1f MB", b / 1e6);
    else std::snprintf(buf, sizeof buf, "%.0f kB", b / 1e3);
    return buf;
}

std::string eta_text(double s) {
    if (s < 0) return "--";
    char buf[32];
    if (s >= 3600) std::snprintf(buf, sizeof buf, "%dh%02dm", (int)s / 3600, ((int)s % 3600) / 60);
    else std::snprintf(buf, sizeof buf, "%dm%02ds", (int)s / 60, (int)s % 60);
    return buf;
}

DownloadProgressFn printer() {
    auto last = std::make_shared<std::chrono::steady_clock::time_point>();
    return [last](const DownloadProgress& p) {
        const auto now = std::chrono::steady_clock::now();
        const bool force = p.phase == "done" || p.phase == "list";
        if (!force && std::chrono::duration<double>(now - *last).count() < (isatty(2) ? 0.25 : 5.0)) return;
        *last = now;
        char line[512];
        if (p.phase == "list") std::snprintf(line, sizeof line, "listing files...");
        else if (p.phase == "done") std::snprintf(line, sizeof line, "done: %s", bytes_text((double)p.total_done).c_str());
        else
            std::snprintf(line, sizeof line, "[%d/%d] %s %s %s/%s  total %s/%s  %s/s  ETA %s", p.file_index, p.file_count,
                          p.phase == "verify" ? "verifying" : "", p.file.c_str(), bytes_text((double)p.file_done).c_str(),
                          bytes_text((double)p.file_total).c_str(), bytes_text((double)p.total_done).c_str(),
                          bytes_text((double)p.total_total).c_str(), bytes_text(p.speed_bps).c_str(), eta_text(p.eta_s).c_str());
        status_line(line, p.phase == "done");
    };
}

void report_data(const DataDownloadResult& d, const fs::path& dir) {
    std::fprintf(stderr, "lyric data in %s: %zu present, %zu fetched, %zu failed\n", dir.c_str(), d.present.size(),
                 d.fetched.size(), d.failed.size());
    for (const auto& [name, why] : d.failed) std::fprintf(stderr, "  missing %s: %s\n", name.c_str(), why.c_str());
}

int cmd_download(int argc, char** argv) {
    HubOptions opt;
    std::string dir, endpoint;
    bool no_data = false, data_only = false, offline = false;
    Args a("download", "[--dir DIR] [--revision REV]",
           "Downloads ACE-Step/ACE-Step-v1-3.5B (the four component folders) into the Hugging Face cache layout,\n"
           "resuming interrupted files and verifying every file's size and SHA-256, then the lyric front end's\n"
           "data files from their pinned sources. Environment: HF_HOME, HF_HUB_CACHE, HF_ENDPOINT, HF_TOKEN,\n"
           "HF_HUB_OFFLINE, ACESTEP_DATA_BASE_URL (mirror for the data files' host).");
    a.option("--dir", &dir, "DIR", "cache folder (default: $HF_HUB_CACHE, $HF_HOME/hub or ~/.cache/huggingface/hub)");
    a.option("--revision", &opt.revision, "REV", "branch, tag or commit of the repository");
    a.option("--endpoint", &endpoint, "URL", "hub address (default: $HF_ENDPOINT or https://huggingface.co)");
    a.flag("--no-data", &no_data, "skip the lyric data files");
    a.flag("--data-only", &data_only, "only fetch the lyric data files (next to the checkpoint in --dir)");
    a.flag("--offline", &offline, "never touch the network; report what is missing");
    if (!a.parse(argc, argv)) return 0;
    opt.cache_dir = dir;
    opt.endpoint = endpoint;
    if (offline) opt.offline = 1;
    const auto* cancel = cancel_on_interrupt();
    fs::path root;
    if (!data_only) {
        auto r = download_checkpoint(opt, printer(), cancel);
        std::fprintf(stderr, "checkpoint %s@%s (commit %s): %d files downloaded (%s), %d already present and verified\n",
                     opt.repo_id.c_str(), opt.revision.c_str(), r.commit.c_str(), r.files_downloaded,
                     bytes_text((double)r.bytes_downloaded).c_str(), r.files_reused);
        root = r.snapshot_dir;
        std::printf("%s\n", root.c_str());
    } else {
        HubOptions off = opt;
        off.offline = 1;
        root = download_checkpoint(off).snapshot_dir;
    }
    int rc = 0;
    if (!no_data) {
        const fs::path ddir = lyric_data_dir_near(root);
        auto d = download_data_files(lyric_data_files(), ddir, printer(), cancel, opt.offline);
        report_data(d, ddir);
        if (!d.failed.empty()) {
            std::fprintf(stderr, "the checkpoint is complete; lyrics in the languages above cannot be tokenized until the files arrive "
                                 "(run 'acestep-cli download --data-only' again)\n");
            rc = 3;
        }
    }
    return rc;
}

int cmd_models(int argc, char** argv) {
    std::vector<std::string> extra;
    Args a("models", "[DIR...]",
           "Lists the ACE-Step checkpoints found in the default locations (and in DIR...), whether each is\n"
           "complete, and which lyric data files are present next to it.");
    a.positional("DIR", &extra, "more folders to look in");
    if (!a.parse(argc, argv)) return 0;
    std::vector<std::pair<fs::path, bool>> where;  // path, given explicitly
    for (const auto& e : extra) where.emplace_back(e, true);
    for (const auto& p : default_checkpoint_search_path()) where.emplace_back(p, false);
    int complete = 0;
    for (const auto& [p, explicit_dir] : where) {
        std::string why;
        auto cp = try_find_checkpoint(p, &why);
        if (!cp) {
            // Default locations only matter when something checkpoint-like is there.
            std::error_code ec;
            bool partial = explicit_dir && fs::exists(p, ec);
            for (const char* d : {"ace_step_transformer", "music_dcae_f8c8", "music_vocoder", "umt5-base", kHfRepoFolder})
                partial |= fs::exists(p / d, ec);
            if (partial) std::printf("incomplete  %s\n            %s\n", p.c_str(), why.c_str());
            continue;
        }
        ++complete;
        uint64_t bytes = 0;
        std::error_code ec;
        for (const auto* c : {&cp->dit, &cp->dcae, &cp->vocoder, &cp->umt5}) bytes += fs::file_size(c->weights, ec);
        std::printf("complete    %s (%s)\n", cp->root.c_str(), bytes_text((double)bytes).c_str());
        const fs::path ddir = lyric_data_dir_near(cp->root);
        for (const auto& f : lyric_data_files()) {
            const bool have = fs::exists(ddir / f.name, ec);
            std::printf("            %-8s %s%s\n", have ? "data" : "missing", f.name.c_str(),
                        have ? "" : (" (" + f.purpose + ")").c_str());
        }
    }
    if (complete == 0) std::printf("no complete checkpoint found; run 'acestep-cli download' or pass --checkpoint DIR\n");
    return complete > 0 ? 0 : 1;
}

}  // namespace

ACESTEP_CLI_COMMAND(download, "download", "download the official checkpoint and lyric data (resumable, verified)", cmd_download);
ACESTEP_CLI_COMMAND(models, "models", "list the checkpoints present and whether they are complete", cmd_models);

}  // namespace acestep::cli
