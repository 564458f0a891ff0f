// Checkpoint discovery in plain and Hugging Face cache layouts.
#include "acestep/checkpoint.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>

#include "acestep/error.h"

namespace acestep {

namespace {

struct Want {
    const char* folder;
    const char* weights;
    ComponentPaths CheckpointPaths::*member;
};
constexpr Want kComponents[] = {
    {"ace_step_transformer", "diffusion_pytorch_model.safetensors", &CheckpointPaths::dit},
    {"music_dcae_f8c8", "diffusion_pytorch_model.safetensors", &CheckpointPaths::dcae},
    {"music_vocoder", "diffusion_pytorch_model.safetensors", &CheckpointPaths::vocoder},
    {"umt5-base", "model.safetensors", &CheckpointPaths::umt5},
};

bool is_file(const fs::path& p) {
    std::error_code ec;
    return fs::is_regular_file(p, ec);
}
bool is_dir(const fs::path& p) {
    std::error_code ec;
    return fs::is_directory(p, ec);
}

// Checks a folder that should directly contain the four component folders.
std::optional<CheckpointPaths> check_root(const fs::path& root, std::vector<std::string>* missing) {
    CheckpointPaths cp;
    cp.root = root;
    bool ok = true;
    for (const auto& w : kComponents) {
        ComponentPaths c;
        c.dir = root / w.folder;
        c.config = c.dir / "config.json";
        c.weights = c.dir / w.weights;
        if (!is_dir(c.dir)) {
            missing->push_back(std::string(w.folder) + "/");
            ok = false;
            continue;
        }
        if (!is_file(c.config)) {
            missing->push_back(std::string(w.folder) + "/config.json");
            ok = false;
        }
        if (!is_file(c.weights)) {
            // Accept a single differently named .safetensors; refuse pickle checkpoints loudly.
            std::vector<fs::path> st, pickles;
            std::error_code ec;
            for (const auto& e : fs::directory_iterator(c.dir, ec)) {
                const auto ext = e.path().extension().string();
                if (ext == ".safetensors") st.push_back(e.path());
                if (ext == ".bin" || ext == ".pt" || ext == ".pth" || ext == ".ckpt") pickles.push_back(e.path());
            }
            if (st.size() == 1) {
                c.weights = st[0];
            } else if (!pickles.empty()) {
                throw Error(pickles[0].string() +
                            ": pickle checkpoints are not loaded (unpickling can run arbitrary code); convert it to "
                            ".safetensors, e.g. in Python: safetensors.torch.save_file(torch.load(f), '" +
                            w.weights + "')");
            } else {
                missing->push_back(std::string(w.folder) + "/" + w.weights);
                ok = false;
            }
        }
        cp.*(w.member) = c;
    }
    if (!ok) return std::nullopt;
    if (is_file(cp.umt5.dir / "spiece.model")) cp.umt5_spiece = cp.umt5.dir / "spiece.model";
    if (is_file(cp.umt5.dir / "tokenizer.json")) cp.umt5_tokenizer_json = cp.umt5.dir / "tokenizer.json";
    return cp;
}

std::string read_ref(const fs::path& p) {
    std::ifstream in(p);
    std::string s;
    std::getline(in, s);
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
    return s;
}

// `repo` is a models--ACE-Step--ACE-Step-v1-3.5B folder.
std::optional<CheckpointPaths> check_repo(const fs::path& repo, std::vector<std::string>* missing) {
    const fs::path snaps = repo / "snapshots";
    if (!is_dir(snaps)) {
        missing->push_back((repo / "snapshots").string());
        return std::nullopt;
    }
    const std::string ref = read_ref(repo / "refs" / "main");
    if (!ref.empty() && ref.find('/') == std::string::npos && is_dir(snaps / ref)) {
        std::vector<std::string> m;
        if (auto cp = check_root(snaps / ref, &m)) return cp;
    }
    // Newest complete snapshot.
    std::vector<std::pair<fs::file_time_type, fs::path>> cands;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(snaps, ec))
        if (e.is_directory(ec)) cands.emplace_back(fs::last_write_time(e.path(), ec), e.path());
    std::sort(cands.rbegin(), cands.rend());
    for (const auto& [t, p] : cands) {
        std::vector<std::string> m;
        if (auto cp = check_root(p, &m)) return cp;
        if (missing->empty()) *missing = m;
    }
    if (missing->empty()) missing->push_back("a complete snapshot under " + snaps.string());
    return std::nullopt;
}

}  // namespace

std::optional<CheckpointPaths> try_find_checkpoint(const fs::path& path, std::string* why) {
    std::vector<std::string> missing;
    std::optional<CheckpointPaths> cp;
    if (!is_dir(path)) {
        if (why) *why = path.string() + ": no such folder";
        return std::nullopt;
    }
    if (path.filename().string().rfind("models--", 0) == 0) {
        cp = check_repo(path, &missing);
    } else if (is_dir(path / kHfRepoFolder)) {
        cp = check_repo(path / kHfRepoFolder, &missing);
    } else if (is_dir(path / "hub" / kHfRepoFolder)) {
        cp = check_repo(path / "hub" / kHfRepoFolder, &missing);
    } else {
        cp = check_root(path, &missing);
    }
    if (!cp && why) {
        std::string m;
        for (size_t i = 0; i < missing.size(); ++i) m += (i ? ", " : "") + missing[i];
        *why = path.string() + ": not an ACE-Step v1 checkpoint (missing " + m + ")";
    }
    return cp;
}

CheckpointPaths find_checkpoint(const fs::path& path) {
    std::string why;
    if (auto cp = try_find_checkpoint(path, &why)) return *cp;
    throw Error(why);
}

fs::path hf_hub_cache_dir() {
    if (const char* c = std::getenv("HF_HUB_CACHE"); c && *c) return c;
    if (const char* h = std::getenv("HF_HOME"); h && *h) return fs::path(h) / "hub";
    const char* home = std::getenv("HOME");
    return fs::path(home ? home : ".") / ".cache" / "huggingface" / "hub";
}

std::vector<fs::path> default_checkpoint_search_path() {
    std::vector<fs::path> out;
    if (const char* c = std::getenv("ACESTEP_CHECKPOINT"); c && *c) out.emplace_back(c);
    out.emplace_back("models");
    const char* home = std::getenv("HOME");
    out.push_back(fs::path(home ? home : ".") / ".cache" / "ace-step" / "checkpoints");
    out.push_back(hf_hub_cache_dir());
    return out;
}

}  // namespace acestep
