// acestep::Engine end to end on the tiny fixture checkpoint (real UMT5 + DiT; the codec is the fake
// one of core/fake_components.h until this build has MusicDCAE): files and sidecars, names that never
// collide, cancel and bad input leave nothing behind, sidecar round trip, LoRA switching, and the
// `acestep-cli generate` command.
#include <gtest/gtest.h>

#include <sys/wait.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>

#include "acestep/audio_io.h"
#include "acestep/engine.h"
#include "acestep/error.h"
#include "acestep/fs_util.h"
#include "acestep/lyrics.h"
#include "acestep/params.h"
#include "acestep/safetensors.h"
#include "common/test_util.h"
#include "core/fake_components.h"
#include "models/device.h"
#include "pipeline/engine_internals.h"

using namespace acestep;
namespace fs = std::filesystem;

namespace {

fs::path checkpoint() { return test::fixtures_dir() / "checkpoint"; }

std::unique_ptr<Engine> make_engine() {
    EngineOptions o;
    o.checkpoint = checkpoint().string();
    o.device = "cpu";
    o.dtype = "fp32";
    auto e = std::make_unique<Engine>(o);
    pipeline::ModelStore& s = EngineInternals::store(*e);
    if (!pipeline::ModelStore::codec_available()) s.override_codec(std::make_shared<test::FakeCodec>());
    return e;
}

// One shared engine: the models load once for the whole file.
Engine& engine() {
    static std::unique_ptr<Engine> e = make_engine();
    return *e;
}

GenerationParams small_params() {
    GenerationParams p;
    p.prompt = "pop, rock, female vocals, upbeat";
    p.lyrics = "";  // no lyric front end needed
    p.audio_duration = 1.0;
    p.infer_step = 3;
    p.manual_seeds = {1334};
    p.retake_seeds = {1434};
    return p;
}

OutputOptions out_to(const fs::path& dir, const std::string& stem = "") {
    OutputOptions o;
    o.out_dir = dir.string();
    o.file_stem = stem;
    return o;
}

size_t files_in(const fs::path& dir) {
    std::error_code ec;
    if (!fs::exists(dir, ec)) return 0;
    size_t n = 0;
    for (const auto& e : fs::directory_iterator(dir)) n += e.is_regular_file() ? 1 : 0;  // hidden temp files count too
    return n;
}

std::string error_of(const GenerationParams& p, const fs::path& dir, const GivenTokens* tokens = nullptr) {
    try {
        engine().generate(p, out_to(dir), {}, nullptr, tokens);
    } catch (const Error& e) {
        return e.what();
    }
    return "";
}

fs::path write_wav(const fs::path& dir, double seconds) {
    Audio a = Audio::zeros(2, (int64_t)(seconds * 44100), 44100);
    for (size_t i = 0; i < a.samples.size(); ++i) a.samples[i] = 0.1f * (float)((i % 100) / 100.0);
    fs::create_directories(dir);
    const fs::path p = dir / "src.wav";
    write_audio(p, a);
    return p;
}

int run_cli(const std::string& args, std::string* out = nullptr) {
    const fs::path log = test::scratch_dir("engine-cli-log") / "out.txt";
    const std::string cmd = (test::build_dir() / "bin" / "acestep-cli").string() + " " + args + " > " + log.string() + " 2>&1";
    const int rc = std::system(cmd.c_str());
    if (out) out->assign(read_file(log));
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

}  // namespace

TEST(Engine, WritesTheAudioAndItsSidecar) {
    const fs::path dir = test::scratch_dir("engine-write");
    std::vector<Progress> seen;
    auto takes = engine().generate(small_params(), out_to(dir), [&](const Progress& p) { seen.push_back(p); });
    ASSERT_EQ(takes.size(), 1u);
    const Take& t = takes[0];
    EXPECT_TRUE(fs::exists(t.audio_path));
    EXPECT_TRUE(fs::exists(t.params_path));
    EXPECT_EQ(fs::path(t.audio_path).parent_path(), dir);
    EXPECT_EQ(fs::path(t.audio_path).filename().string().rfind("output_", 0), 0u);
    EXPECT_EQ(fs::path(t.params_path).filename().string(),
              fs::path(t.audio_path).stem().string() + "_input_params.json");
    Audio a = read_audio(t.audio_path);
    EXPECT_EQ(a.sample_rate, 48000);
    EXPECT_EQ(a.channels, 2);
    EXPECT_EQ(a.frames, (4096 * 10 * 160 + 146) / 147) << "frames(1 s) = 10 latent frames, at 48 kHz";
    EXPECT_EQ(files_in(dir), 2u);
    ASSERT_FALSE(seen.empty());
    EXPECT_EQ(seen.back().stage, "write");
    EXPECT_DOUBLE_EQ(seen.back().fraction, 1.0);
    bool eta = false;
    for (const auto& p : seen) eta |= p.stage == "diffusion" && p.eta_s >= 0;
    EXPECT_TRUE(eta) << "diffusion steps report an ETA";
    EXPECT_TRUE(engine().status().loaded);
    EXPECT_EQ(engine().status().dtype, "fp32");
    EXPECT_GT(engine().status().weight_bytes, 0u);
}

TEST(Engine, SidecarRoundTripsAndReproducesTheTake) {
    const fs::path dir = test::scratch_dir("engine-sidecar");
    GenerationParams p = small_params();
    p.guidance_scale = 7.5;
    p.scheduler_type = "heun";
    auto first = engine().generate(p, out_to(dir));
    ASSERT_EQ(first.size(), 1u);
    GenerationParams back = load_params_file(first[0].params_path);
    EXPECT_EQ(back.prompt, p.prompt);
    EXPECT_EQ(back.scheduler_type, "heun");
    EXPECT_DOUBLE_EQ(back.guidance_scale, 7.5);
    EXPECT_EQ(back.manual_seeds, (std::vector<int64_t>{1334})) << "actual_seeds";
    EXPECT_EQ(back.audio_path, first[0].audio_path);
    EXPECT_EQ(back.infer_step, 3);
    // Rendering the loaded sidecar gives the same audio.
    auto again = engine().generate(back, out_to(dir));
    ASSERT_EQ(again.size(), 1u);
    EXPECT_NE(again[0].audio_path, first[0].audio_path);
    EXPECT_EQ(read_audio(again[0].audio_path).samples, read_audio(first[0].audio_path).samples);
}

TEST(Engine, NamesNeverCollide) {
    const fs::path dir = test::scratch_dir("engine-names");
    auto a = engine().generate(small_params(), out_to(dir));
    auto b = engine().generate(small_params(), out_to(dir));  // very likely the same second
    ASSERT_EQ(a.size(), 1u);
    ASSERT_EQ(b.size(), 1u);
    EXPECT_NE(a[0].audio_path, b[0].audio_path);
    EXPECT_NE(a[0].params_path, b[0].params_path);
    auto c = engine().generate(small_params(), out_to(dir, "take"));
    auto d = engine().generate(small_params(), out_to(dir, "take"));
    EXPECT_EQ(fs::path(c[0].audio_path).filename(), "take.wav");
    EXPECT_EQ(fs::path(d[0].audio_path).filename(), "take_2.wav");
    EXPECT_EQ(fs::path(d[0].params_path).filename(), "take_2_input_params.json");
    EXPECT_EQ(files_in(dir), 8u) << "every take and sidecar survives";
}

TEST(Engine, BatchWritesOneFileAndSidecarPerTake) {
    const fs::path dir = test::scratch_dir("engine-batch");
    GenerationParams p = small_params();
    p.batch_size = 2;
    p.manual_seeds = {1, 2};
    auto takes = engine().generate(p, out_to(dir));
    ASSERT_EQ(takes.size(), 2u);
    EXPECT_EQ(files_in(dir), 4u);
    EXPECT_EQ(takes[0].params.actual_seeds, (std::vector<int64_t>{1, 2}));
    EXPECT_NE(read_audio(takes[0].audio_path).samples, read_audio(takes[1].audio_path).samples);
}

TEST(Engine, CancelLeavesNoFile) {
    const fs::path dir = test::scratch_dir("engine-cancel");
    std::atomic<bool> cancel{false};
    auto on_progress = [&](const Progress& p) {
        if (p.stage == "diffusion" && p.step >= 1) cancel = true;
    };
    EXPECT_THROW(engine().generate(small_params(), out_to(dir), on_progress, &cancel), Cancelled);
    EXPECT_EQ(files_in(dir), 0u);
    // Cancelled before it starts: nothing either, and the engine still works afterwards.
    EXPECT_THROW(engine().generate(small_params(), out_to(dir), {}, &cancel), Cancelled);
    EXPECT_EQ(files_in(dir), 0u);
    EXPECT_EQ(engine().generate(small_params(), out_to(dir)).size(), 1u);
}

TEST(Engine, BadParametersWriteNothing) {
    const fs::path dir = test::scratch_dir("engine-bad") / "out";
    GenerationParams p = small_params();
    p.scheduler_type = "ddim";
    EXPECT_NE(error_of(p, dir).find("scheduler_type must be euler, heun or pingpong"), std::string::npos);
    p = small_params();
    p.audio_duration = 500;
    EXPECT_NE(error_of(p, dir).find("audio_duration"), std::string::npos);
    p = small_params();
    p.format = "aac";
    EXPECT_NE(error_of(p, dir).find("format"), std::string::npos);
    p = small_params();
    p.task = "repaint";
    EXPECT_NE(error_of(p, dir).find("src_audio_path"), std::string::npos) << "missing source audio";
    p.src_audio_path = (dir.parent_path() / "nope.wav").string();
    EXPECT_NE(error_of(p, dir).find("nope.wav"), std::string::npos);
    p.src_audio_path = write_wav(dir.parent_path() / "src", 2.0).string();
    p.repaint_start = 1.0;
    p.repaint_end = 5.0;
    EXPECT_NE(error_of(p, dir).find("outside the source audio"), std::string::npos);
    p = small_params();
    p.lora_name_or_path = (dir.parent_path() / "no-such-lora").string();
    EXPECT_NE(error_of(p, dir).find("no-such-lora"), std::string::npos);
    fs::create_directories(dir.parent_path() / "bad-lora");
    std::ofstream(dir.parent_path() / "bad-lora" / "pytorch_lora_weights.safetensors") << "not a safetensors file";
    p.lora_name_or_path = (dir.parent_path() / "bad-lora").string();
    EXPECT_NE(error_of(p, dir).find("pytorch_lora_weights.safetensors"), std::string::npos);
    EXPECT_FALSE(fs::exists(dir)) << "nothing written, not even the output folder";
}

// Issue 8, resource guard: a job that cannot fit is refused before anything is loaded or written, with
// the figures and the way out; the engine works again once memory allows. $ACESTEP_MAX_MEMORY stands in
// for a small machine.
TEST(Engine, JobThatCannotFitIsRefusedBeforeItStarts) {
    const fs::path dir = test::scratch_dir("engine-memory") / "out";
    ASSERT_EQ(setenv("ACESTEP_MAX_MEMORY", "64MiB", 1), 0);
    const std::string err = error_of(small_params(), dir);
    EXPECT_NE(err.find("this job needs about"), std::string::npos) << err;
    EXPECT_NE(err.find("only 64 MiB of memory are available"), std::string::npos) << err;
    EXPECT_FALSE(fs::exists(dir)) << "nothing written";
    std::string out;
    EXPECT_EQ(run_cli("generate -q --checkpoint " + checkpoint().string() + " --device cpu --duration 1 --steps 2 --out " +
                          dir.string(), &out), 1);
    EXPECT_NE(out.find("error: this job needs about"), std::string::npos) << out;
    EXPECT_FALSE(fs::exists(dir));
    ASSERT_EQ(setenv("ACESTEP_MAX_MEMORY", "a lot", 1), 0);
    EXPECT_NE(error_of(small_params(), dir).find("ACESTEP_MAX_MEMORY: 'a lot' is not a size"), std::string::npos);
    unsetenv("ACESTEP_MAX_MEMORY");
    EXPECT_EQ(engine().generate(small_params(), out_to(dir)).size(), 1u);
}

TEST(Engine, LyricsNeedTheFrontEndOrGivenTokenIds) {
    if (EngineInternals::store(engine()).has_lyric_tokenizer()) GTEST_SKIP() << "this build has the lyric front end";
    const fs::path dir = test::scratch_dir("engine-lyrics");
    GenerationParams p = small_params();
    p.lyrics = "[verse]\nhello world";
    EXPECT_NE(error_of(p, dir).find("--lyric-ids"), std::string::npos);
    EXPECT_EQ(files_in(dir), 0u);
    GivenTokens t;
    t.lyric_ids = std::vector<int64_t>{261, 40, 41, 42, 2};
    auto takes = engine().generate(p, out_to(dir), {}, nullptr, &t);
    EXPECT_EQ(takes.size(), 1u);
}

TEST(Engine, LyricsGoThroughTheLyricFrontEnd) {
    const fs::path data = test::fixtures_dir() / "lyrics" / "data";
    if (!fs::exists(data / "vocab.json")) GTEST_SKIP() << "lyric data not found";
    EngineOptions o;
    o.checkpoint = checkpoint().string();
    o.device = "cpu";
    o.dtype = "fp32";
    o.lyric_data_dir = data.string();
    Engine e(o);
    pipeline::ModelStore& s = EngineInternals::store(e);
    if (!pipeline::ModelStore::codec_available()) s.override_codec(std::make_shared<test::FakeCodec>());
    ASSERT_TRUE(s.has_lyric_tokenizer()) << s.lyric_tokenizer_error();
    const fs::path dir = test::scratch_dir("engine-lyrics-fe");
    GenerationParams p = small_params();
    p.lyrics = "[verse]\nhello world\n\nsing along";
    auto text = e.generate(p, out_to(dir));
    GivenTokens t;
    t.lyric_ids = LyricFrontEnd(data).ids(p.lyrics);
    EXPECT_EQ(t.lyric_ids->front(), 261);
    auto ids = e.generate(p, out_to(dir), {}, nullptr, &t);
    EXPECT_EQ(read_audio(text[0].audio_path).samples, read_audio(ids[0].audio_path).samples);
    GenerationParams q = p;
    q.lyrics = "[verse]\ngoodbye moon";
    auto other = e.generate(q, out_to(dir));
    EXPECT_NE(read_audio(other[0].audio_path).samples, read_audio(text[0].audio_path).samples);
}

TEST(Engine, LoraChangesTheResultAndUnloadsWithoutReload) {
    const fs::path dir = test::scratch_dir("engine-lora");
    // A rank-2 adapter on one self-attention query of the tiny DiT (inner dim 64).
    st::Writer w;
    std::vector<float> a(2 * 64), b(64 * 2);
    for (size_t i = 0; i < a.size(); ++i) a[i] = 0.05f * (float)((int)(i % 7) - 3);
    for (size_t i = 0; i < b.size(); ++i) b[i] = 0.05f * (float)((int)(i % 5) - 2);
    for (const char* m : {"transformer_blocks.0.attn.to_q", "transformer_blocks.1.cross_attn.to_v"}) {
        w.add(std::string(m) + ".lora_A.weight", st::DType::F32, {2, 64}, a.data(), a.size() * 4);
        w.add(std::string(m) + ".lora_B.weight", st::DType::F32, {64, 2}, b.data(), b.size() * 4);
    }
    fs::create_directories(dir / "lora");
    w.write(dir / "lora" / "pytorch_lora_weights.safetensors");

    GenerationParams p = small_params();
    auto base = engine().generate(p, out_to(dir / "out"));
    p.lora_name_or_path = (dir / "lora").string();
    p.lora_weight = 2.0;
    auto with = engine().generate(p, out_to(dir / "out"));
    EXPECT_EQ(engine().status().lora, p.lora_name_or_path);
    EXPECT_NE(read_audio(with[0].audio_path).samples, read_audio(base[0].audio_path).samples);
    EXPECT_EQ(with[0].params.lora_name_or_path, p.lora_name_or_path);
    EXPECT_DOUBLE_EQ(with[0].params.lora_weight, 2.0);
    // The same adapter with diffusers >= 0.34 metadata lora_alpha 1 / r 2 at weight 4 is scale 2 again.
    {
        st::Writer wm = w;
        wm.set_metadata("lora_adapter_metadata", R"({"r": 2, "lora_alpha": 1, "use_rslora": false})");
        fs::create_directories(dir / "lora-md");
        wm.write(dir / "lora-md" / "pytorch_lora_weights.safetensors");
        GenerationParams q = p;
        q.lora_name_or_path = (dir / "lora-md").string();
        q.lora_weight = 4.0;
        auto md = engine().generate(q, out_to(dir / "out"));
        EXPECT_EQ(read_audio(md[0].audio_path).samples, read_audio(with[0].audio_path).samples);
        EXPECT_NE(engine().status().lora_rule.find("1 / 2"), std::string::npos) << engine().status().lora_rule;
        wm.set_metadata("lora_adapter_metadata", R"({"r": 8, "lora_alpha": 1})");  // tensors have rank 2
        wm.write(dir / "lora-md" / "pytorch_lora_weights.safetensors");
        q.lora_name_or_path = (dir / "lora").string();
        engine().generate(q, out_to(dir / "out"));  // switch away, then back to the (now bad) file
        q.lora_name_or_path = (dir / "lora-md").string();
        const std::string err = error_of(q, dir / "out");
        EXPECT_NE(err.find("has rank 2 in the tensors but r 8 in the metadata"), std::string::npos) << err;
        EXPECT_EQ(engine().status().lora, (dir / "lora").string()) << "a failed switch keeps the previous adapter";
    }
    p.lora_weight = 0.0;  // rescale only: scale 0 is the base model
    auto zero = engine().generate(p, out_to(dir / "out"));
    EXPECT_EQ(read_audio(zero[0].audio_path).samples, read_audio(base[0].audio_path).samples);
    p.lora_name_or_path = "none";
    auto after = engine().generate(p, out_to(dir / "out"));
    EXPECT_EQ(engine().status().lora, "none");
    EXPECT_EQ(read_audio(after[0].audio_path).samples, read_audio(base[0].audio_path).samples);
}

TEST(Engine, CudaRequestFallsBackToCpuWithAWarning) {
    EngineOptions o;
    o.checkpoint = checkpoint().string();
    o.device = "cuda";
    Engine e(o);
    pipeline::ModelStore& s = EngineInternals::store(e);
    if (s.device().is_cuda()) GTEST_SKIP() << "a GPU is present";
    EXPECT_TRUE(s.device().is_cpu());
    EXPECT_NE(e.status().warning.find("running on the CPU"), std::string::npos);
    // dtype "auto" on the CPU: bf16 where the CPU has fast bf16 (avx512_bf16 / amx), else fp32.
    EXPECT_EQ(e.status().dtype, cpu_has_fast_bf16() ? "bf16" : "fp32");
}

TEST(CliGenerate, HelpListsEveryFlagWithItsDefault) {
    std::string out;
    ASSERT_EQ(run_cli("generate -h", &out), 0);
    for (const char* f : {"--prompt", "--tags", "--lyrics", "--lyrics-file", "--duration", "--steps", "--scheduler", "--cfg-type",
                          "--guidance-scale", "--omega-scale", "--guidance-interval", "--guidance-interval-decay",
                          "--min-guidance-scale", "--use-erg-tag", "--use-erg-lyric", "--use-erg-diffusion", "--oss-steps",
                          "--seed", "--retake-seeds", "--retake-variance", "--guidance-scale-text", "--guidance-scale-lyric",
                          "--task", "--repaint-start", "--repaint-end", "--src-audio", "--edit-target-prompt",
                          "--edit-target-lyrics", "--edit-n-min", "--edit-n-max", "--edit-n-avg", "--audio2audio",
                          "--ref-audio", "--ref-audio-strength", "--lora", "--lora-weight", "--batch", "--format", "--params",
                          "--checkpoint", "--device", "--dtype", "--threads", "--out", "--lyric-ids"})
        EXPECT_TRUE(out.find("  " + std::string(f) + " ") != std::string::npos || out.find("  " + std::string(f) + ",") != std::string::npos ||
                    out.find(", " + std::string(f) + " ") != std::string::npos || out.find(", " + std::string(f) + "\n") != std::string::npos)
            << f;
    EXPECT_NE(out.find("(default: 60)"), std::string::npos) << "steps";
    EXPECT_NE(out.find("(default: euler)"), std::string::npos);
    EXPECT_NE(out.find("(default: apg)"), std::string::npos);
}

TEST(CliGenerate, BadParameterIsOneErrorLineAndWritesNothing) {
    const fs::path dir = test::scratch_dir("engine-cli-bad") / "out";
    std::string out;
    EXPECT_NE(run_cli("generate --checkpoint " + checkpoint().string() + " --device cpu --scheduler ddim --out " + dir.string(), &out), 0);
    EXPECT_EQ(out, "error: scheduler_type must be euler, heun or pingpong; got 'ddim'\n");
    EXPECT_NE(run_cli("generate --checkpoint " + checkpoint().string() + " --steps many --out " + dir.string(), &out), 0);
    EXPECT_NE(out.find("--steps"), std::string::npos);
    EXPECT_FALSE(fs::exists(dir));
}

TEST(CliGenerate, RendersAnE2eCaseLikeTheReference) {
    if (!pipeline::ModelStore::codec_available()) GTEST_SKIP() << "no MusicDCAE codec in this build yet";
    const fs::path dir = test::scratch_dir("engine-cli-e2e");
    const fs::path cases = test::fixtures_dir() / "cases";
    std::string out;
    ASSERT_EQ(run_cli("generate -q --checkpoint " + checkpoint().string() + " --device cpu --dtype fp32 --params " +
                          (cases / "e2e_t2m_euler_apg.json").string() + " --lyric-ids " +
                          (cases / "e2e_t2m_euler_apg.safetensors").string() + ":lyric_token_idx_0 --out " + dir.string(),
                      &out),
              0)
        << out;
    std::string wav = out.substr(0, out.find('\n'));
    Audio got = read_audio(wav);
    auto f = st::File::open(cases / "e2e_t2m_euler_apg.safetensors");
    const auto& ref = f->at("audio_48k");
    ASSERT_EQ((int64_t)got.samples.size(), ref.numel());
    const float* want = reinterpret_cast<const float*>(ref.data);
    double num = 0, den = 0;
    for (size_t i = 0; i < got.samples.size(); ++i) {
        num += (got.samples[i] - want[i]) * (double)(got.samples[i] - want[i]);
        den += (double)want[i] * want[i];
    }
    EXPECT_LE(std::sqrt(num / den), 1e-4);
    EXPECT_TRUE(fs::exists(dir / (fs::path(wav).stem().string() + "_input_params.json")));
}
