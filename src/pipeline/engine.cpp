// acestep::Engine (include/acestep/engine.h) over the model store and the pipeline:
// validate -> memory guard -> load (+ LoRA) -> run_pipeline -> write takes + sidecars.
//
// Output files (product.md §3.1): `<out_dir>/output_<YYYYmmddHHMMSS>_<i>.<format>` and
// `<stem>_input_params.json` next to it.  Unlike the official app, names never collide: a taken stem
// gets `_2`, `_3`, ... (audio and sidecar are checked together), and the audio is written with
// Overwrite::Never, so a concurrent writer of the same name is detected and the next name is used.
// Every file goes through a temp file + rename; if a job fails or is cancelled nothing is left, and a
// failure while writing a batch removes the takes of that job already written.
#include <ATen/ATen.h>

#include <chrono>
#include <ctime>
#include <mutex>

#include "acestep/audio_io.h"
#include "acestep/engine.h"
#include "acestep/error.h"
#include "acestep/fs_util.h"
#include "acestep/resources.h"
#include "acestep/safetensors.h"
#include "pipeline/engine_internals.h"
#include "pipeline/model_store.h"
#include "pipeline/pipeline.h"

namespace acestep {

struct Engine::Impl {
    EngineOptions opt;
    std::unique_ptr<pipeline::ModelStore> store;
    std::mutex run_mu;                // one load / generate / unload at a time
    mutable std::mutex status_mu;     // status() from any thread
    EngineStatus status;

    pipeline::ModelStore& ensure_store() {
        if (!store) {
            pipeline::StoreOptions so;
            so.checkpoint = opt.checkpoint;
            so.device = opt.device;
            so.dtype = opt.dtype;
            so.threads = opt.threads;
            so.lyric_data_dir = opt.lyric_data_dir;
            store = std::make_unique<pipeline::ModelStore>(so);
            publish();
        }
        return *store;
    }
    void publish() {
        EngineStatus s = store ? store->status() : EngineStatus{};
        std::lock_guard<std::mutex> lk(status_mu);
        status = s;
    }
};

pipeline::ModelStore& EngineInternals::store(Engine& e) {
    std::lock_guard<std::mutex> lk(e.impl_->run_mu);
    return e.impl_->ensure_store();
}

namespace {

std::string timestamp_now() {
    const std::time_t t = std::time(nullptr);
    std::tm tm{};
    localtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y%m%d%H%M%S", &tm);
    return buf;
}

void emit(const ProgressFn& fn, const std::string& stage, double fraction, const std::string& msg,
          std::chrono::steady_clock::time_point t0) {
    if (!fn) return;
    Progress p;
    p.stage = stage;
    p.fraction = fraction;
    p.elapsed_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    p.message = msg;
    fn(p);
}

Audio to_audio(const at::Tensor& t, int sample_rate) {
    at::Tensor a = t.detach().to(at::kCPU).to(at::kFloat).contiguous();  // [channels, samples]
    Audio out;
    out.sample_rate = sample_rate;
    out.channels = (int)a.size(0);
    out.frames = a.size(1);
    out.samples.assign(a.data_ptr<float>(), a.data_ptr<float>() + a.numel());
    return out;
}

// Writes one take under the first free stem `base`, `base_2`, ...; returns the audio and sidecar paths.
std::pair<fs::path, fs::path> write_take(const fs::path& dir, const std::string& base, const Audio& audio,
                                         const AudioWriteOptions& wo, GenerationParams* sidecar) {
    const std::string ext = std::string(".") + audio_format_name(wo.format);
    std::error_code ec;
    for (int k = 1; k < 100000; ++k) {
        const std::string stem = k == 1 ? base : base + "_" + std::to_string(k);
        const fs::path audio_path = dir / (stem + ext), json_path = dir / (stem + "_input_params.json");
        if (fs::exists(audio_path, ec) || fs::exists(json_path, ec)) continue;
        try {
            write_audio(audio_path, audio, wo);  // Overwrite::Never: a racing writer makes this throw
        } catch (const Error&) {
            if (fs::exists(audio_path, ec)) continue;  // taken meanwhile: next name
            throw;
        }
        sidecar->audio_path = audio_path.string();
        try {
            write_file_atomic(json_path, params_to_json_text(*sidecar), Overwrite::Never);
        } catch (...) {
            fs::remove(audio_path, ec);
            throw;
        }
        return {audio_path, json_path};
    }
    throw Error((dir / (base + ext)).string() + ": no free file name");
}

}  // namespace

Engine::Engine(EngineOptions opt) : impl_(std::make_unique<Impl>()) {
    impl_->opt = std::move(opt);
    impl_->status.device = impl_->opt.device;
    impl_->status.dtype = impl_->opt.dtype;
    impl_->status.lora = "none";
}

Engine::~Engine() = default;

const EngineOptions& Engine::options() const { return impl_->opt; }

EngineStatus Engine::status() const {
    std::lock_guard<std::mutex> lk(impl_->status_mu);
    return impl_->status;
}

void Engine::load(const ProgressFn& progress) {
    std::lock_guard<std::mutex> lk(impl_->run_mu);
    const auto t0 = std::chrono::steady_clock::now();
    pipeline::ModelStore& store = impl_->ensure_store();
    store.load([&](const std::string& what, int done, int total) {
        emit(progress, "load", 0.0, "loading " + what + " (" + std::to_string(done) + "/" + std::to_string(total) + ")", t0);
    });
    impl_->publish();
}

void Engine::unload() {
    std::lock_guard<std::mutex> lk(impl_->run_mu);
    if (impl_->store) impl_->store->unload();
    impl_->publish();
}

std::vector<Take> Engine::generate(const GenerationParams& params, const OutputOptions& out, const ProgressFn& progress,
                                   const std::atomic<bool>* cancel, const GivenTokens* tokens) {
    std::lock_guard<std::mutex> lk(impl_->run_mu);
    const auto t0 = std::chrono::steady_clock::now();
    auto check_cancel = [&] {
        if (cancel && cancel->load()) throw Cancelled();
    };

    // ---- validation: everything that needs no model, before anything is loaded or written ----
    pipeline::ModelStore& store = impl_->ensure_store();
    // Everything but the lyric front end first (prepare_job's own lyric check is done below, with the reason).
    pipeline::PrepareOptions po;
    po.have_lyric_tokenizer = true;
    const pipeline::Job job = pipeline::prepare_job(params, po);
    AudioWriteOptions wo;
    if (!parse_audio_format(job.params.format, &wo.format))
        throw Error("format '" + job.params.format + "': expected wav, flac, ogg, mp3 or opus");
    wo.bit_depth = out.bit_depth;
    wo.quality = out.quality;
    wo.overwrite = Overwrite::Never;
    if (const auto lora = pipeline::resolve_lora(job.params.lora_name_or_path)) st::File::open(lora->path);  // readable?
    if (!store.has_codec())
        throw Error("this build cannot turn latents into audio: the MusicDCAE audio codec is not built yet");
    if (!store.has_lyric_tokenizer()) {
        const bool ids = tokens && tokens->lyric_ids;
        if (!ids && !job.params.lyrics.empty()) throw Error("lyrics: " + store.lyric_tokenizer_error());
        if (job.params.task == "edit" && !(tokens && tokens->target_lyric_ids) && !job.params.edit_target_lyrics->empty() &&
            !(ids && *job.params.edit_target_lyrics == job.params.lyrics))
            throw Error("edit_target_lyrics: " + store.lyric_tokenizer_error() + "; or --target-lyric-ids FILE");
    }

    // ---- memory guard (host memory; on a GPU the weights and activations live in device memory) ----
    if (store.device().is_cpu()) {
        const double src_seconds = job.src_audio ? job.src_audio->seconds() : job.ref_audio ? job.ref_audio->seconds() : -1.0;
        const MemoryEstimate est = estimate_job_memory(job.params, store.configs(), (int)at::elementSize(store.dtype()),
                                                       store.loaded(), impl_->opt.overlapped_decode, src_seconds);
        check_memory_fits(est, available_memory_bytes());
    }
    check_cancel();

    // ---- load ----
    if (!store.loaded()) {
        store.load(
            [&](const std::string& what, int done, int total) {
                emit(progress, "load", 0.0, "loading " + what + " (" + std::to_string(done) + "/" + std::to_string(total) + ")", t0);
            },
            cancel);
    }
    store.set_lora(job.params.lora_name_or_path, job.params.lora_weight);
    impl_->publish();
    check_cancel();

    // ---- run ----
    pipeline::RunOptions ro;
    ro.progress = progress;
    ro.cancel = cancel;
    ro.overlapped_decode = impl_->opt.overlapped_decode;
    if (tokens) {
        ro.overrides.lyric_ids = tokens->lyric_ids;
        ro.overrides.target_lyric_ids = tokens->target_lyric_ids;
        if (job.params.task == "edit" && !ro.overrides.target_lyric_ids && ro.overrides.lyric_ids &&
            job.params.edit_target_lyrics.value_or(job.params.lyrics) == job.params.lyrics)
            ro.overrides.target_lyric_ids = ro.overrides.lyric_ids;  // same lyrics: same ids
    }
    pipeline::RunResult r = pipeline::run_pipeline(store.components(), job, ro);
    check_cancel();

    // ---- write ----
    emit(progress, "write", 0.99, "writing " + std::to_string(r.audio.size()) + " file(s)", t0);
    const fs::path dir = out.out_dir.empty() ? fs::path(".") : fs::path(out.out_dir);
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) throw Error(dir.string() + ": cannot create the output folder: " + ec.message());
    const std::string ts = timestamp_now();
    std::vector<Take> takes;
    try {
        for (size_t i = 0; i < r.audio.size(); ++i) {
            std::string base;
            if (out.file_stem.empty()) base = "output_" + ts + "_" + std::to_string(i);
            else base = r.audio.size() > 1 ? out.file_stem + "_" + std::to_string(i) : out.file_stem;
            GenerationParams side = pipeline::sidecar_params(r.params);
            const Audio audio = to_audio(r.audio[i], 48000);
            Take t;
            if (out.write_sidecar) {
                auto [ap, jp] = write_take(dir, base, audio, wo, &side);
                t.audio_path = ap.string();
                t.params_path = jp.string();
            } else {
                const std::string ext = std::string(".") + audio_format_name(wo.format);
                for (int k = 1;; ++k) {
                    const fs::path ap = dir / ((k == 1 ? base : base + "_" + std::to_string(k)) + ext);
                    if (fs::exists(ap, ec)) continue;
                    try {
                        write_audio(ap, audio, wo);
                    } catch (const Error&) {
                        if (fs::exists(ap, ec) && k < 100000) continue;
                        throw;
                    }
                    t.audio_path = ap.string();
                    side.audio_path = t.audio_path;
                    break;
                }
            }
            t.params = side;
            t.seconds = audio.seconds();
            t.sample_rate = audio.sample_rate;
            takes.push_back(std::move(t));
        }
    } catch (...) {
        for (const auto& t : takes) {
            fs::remove(t.audio_path, ec);
            if (!t.params_path.empty()) fs::remove(t.params_path, ec);
        }
        throw;
    }
    emit(progress, "write", 1.0, "done", t0);
    return takes;
}

}  // namespace acestep
