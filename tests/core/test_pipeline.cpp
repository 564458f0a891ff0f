// The generation pipeline's task logic on fake models (core/fake_components.h): shapes per task,
// seeds, retake/repaint/extend/edit/audio2audio semantics, validation messages, progress and cancel.
#include <gtest/gtest.h>

#include "acestep/audio_io.h"
#include "acestep/error.h"
#include "common/test_util.h"
#include "core/fake_components.h"
#include "pipeline/diffusion.h"
#include "pipeline/pipeline.h"

using namespace acestep;
using namespace acestep::pipeline;

namespace {

GenerationParams base_params() {
    GenerationParams p;
    p.prompt = "pop, rock";
    p.lyrics = "[verse]\nhello";
    p.audio_duration = 2.0;
    p.infer_step = 4;
    p.manual_seeds = {1334};
    p.retake_seeds = {1434};
    return p;
}

std::string write_wav(const std::string& name, double seconds, float value = 0.25f) {
    auto dir = test::scratch_dir("pipeline-audio-" + name);
    Audio a = Audio::zeros(2, (int64_t)(seconds * 44100), 44100);
    for (auto& s : a.samples) s = value;
    auto path = (dir / (name + ".wav")).string();
    write_audio(path, a);
    return path;
}

RunResult run(test::FakeModels& m, const GenerationParams& p, RunOptions opt = {}) {
    return run_pipeline(m.components(), prepare_job(p), opt);
}

std::string error_of(const GenerationParams& p) {
    try {
        prepare_job(p);
    } catch (const Error& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST(Pipeline, Text2MusicShapesFollowTheDuration) {
    test::FakeModels m;
    auto r = run(m, base_params());
    EXPECT_EQ(r.latents.sizes(), (std::vector<int64_t>{1, 8, 16, 21}));  // int(2 * 10.7666)
    ASSERT_EQ(r.audio.size(), 1u);
    EXPECT_EQ(r.audio[0].size(1), 93623) << "ceil(4096 * 21 * 160 / 147), as the fixture audio_48k";
    EXPECT_EQ(r.params.actual_seeds, (std::vector<int64_t>{1334}));
    EXPECT_EQ(r.params.actual_retake_seeds, (std::vector<int64_t>{1434}));
}

TEST(Pipeline, SameSeedSameResultOtherSeedOtherResult) {
    test::FakeModels m;
    auto a = run(m, base_params()), b = run(m, base_params());
    EXPECT_TRUE(at::equal(a.latents, b.latents));
    auto p = base_params();
    p.manual_seeds = {7};
    EXPECT_FALSE(at::equal(run(m, p).latents, a.latents));
}

TEST(Pipeline, BatchDrawsOneSeedPerItem) {
    test::FakeModels m;
    auto p = base_params();
    p.batch_size = 3;
    p.manual_seeds = {5, 6};
    auto r = run(m, p);
    EXPECT_EQ(r.latents.size(0), 3);
    EXPECT_EQ(r.audio.size(), 3u);
    EXPECT_EQ(r.params.actual_seeds, (std::vector<int64_t>{5, 6, 6})) << "the last seed repeats";
    EXPECT_FALSE(at::equal(r.latents[0], r.latents[1]));
    p.manual_seeds.clear();
    auto q = run(m, p);
    EXPECT_EQ(q.params.actual_seeds.size(), 3u) << "random seeds are reported";
}

TEST(Pipeline, RetakeWithZeroVarianceIsTheSourceGeneration) {
    test::FakeModels m;
    auto t2m = run(m, base_params());
    auto p = base_params();
    p.task = "retake";
    p.retake_variance = 0.0;
    auto r = run(m, p);
    EXPECT_TRUE(at::equal(r.latents, t2m.latents));
    EXPECT_DOUBLE_EQ(r.params.repaint_end, 2.0) << "retake is a repaint over [0, duration]";
    p.retake_variance = 0.5;
    EXPECT_FALSE(at::equal(run(m, p).latents, t2m.latents));
}

TEST(Pipeline, RepaintKeepsTheSourceOutsideTheRange) {
    test::FakeModels m;
    auto p = base_params();
    p.task = "repaint";
    p.src_audio_path = write_wav("src", 2.2);
    p.repaint_start = 0.5;
    p.repaint_end = 1.5;
    p.retake_variance = 0.7;
    auto r = run(m, p);
    at::Tensor src = m.codec.encode(read_audio(*p.src_audio_path));
    ASSERT_EQ(r.latents.size(-1), 24);
    const int64_t a = frames_for_seconds(0.5), b = frames_for_seconds(1.5);
    EXPECT_TRUE(at::equal(r.latents.slice(-1, 0, a), src.slice(-1, 0, a)));
    EXPECT_TRUE(at::equal(r.latents.slice(-1, b, 24), src.slice(-1, b, 24)));
    EXPECT_FALSE(at::equal(r.latents.slice(-1, a, b), src.slice(-1, a, b)));
    EXPECT_NEAR(r.params.audio_duration, 2.2, 1e-9) << "measured from the source";
}

TEST(Pipeline, ExtendAddsFramesAndKeepsTheSource) {
    test::FakeModels m;
    auto p = base_params();
    p.task = "extend";
    p.src_audio_path = write_wav("src", 2.2);
    p.retake_variance = 1.0;
    p.repaint_start = -0.6;
    p.repaint_end = 2.2;
    auto left = run(m, p);
    at::Tensor src = m.codec.encode(read_audio(*p.src_audio_path));
    EXPECT_EQ(left.latents.size(-1), 30);
    EXPECT_TRUE(at::equal(left.latents.slice(-1, 6, 30), src));
    p.repaint_start = 0;
    p.repaint_end = 2.8000000000000003;
    auto right = run(m, p);
    EXPECT_EQ(right.latents.size(-1), 30);
    EXPECT_TRUE(at::equal(right.latents.slice(-1, 0, 24), src));
}

TEST(Pipeline, ExtendLongerThanTheSourceWorks) {
    // Q16: the official code asserts; here the new frames get more retake noise.
    test::FakeModels m;
    auto p = base_params();
    p.task = "extend";
    p.src_audio_path = write_wav("short", 1.0);
    p.retake_variance = 1.0;
    p.repaint_start = -3.0;
    p.repaint_end = 1.0;
    auto r = run(m, p);
    EXPECT_EQ(r.latents.size(-1), 11 + 32);
}

TEST(Pipeline, TwoSidedExtendKeepsBothLengths) {
    // Q17 fixed: the right extension is measured from the source end.
    auto e = plan_extend(24, -0.6, 2.2 + 0.6);
    EXPECT_EQ(e.pad_left, 6);
    EXPECT_EQ(e.pad_right, frames_for_seconds(2.8) - 24);
    EXPECT_EQ(e.window(), 24 + e.pad_left + e.pad_right);
}

TEST(Pipeline, ExtendPastTheWindowReattachesTheTrueSourcePart) {
    // Q15 fixed: only the last 240 s are generated; the cut-off head of the source is put back.
    auto e = plan_extend(2500, 0, 2500 / 10.7666 + 20.0);
    EXPECT_GT(e.trim_left, 0);
    EXPECT_EQ(e.window(), kMaxFrames);
    EXPECT_THROW(plan_extend(2500, -10, 2500 / 10.7666 + 20.0), Error) << "both sides past the window";
    EXPECT_THROW(plan_extend(24, 0, 1.0), Error) << "nothing to extend";
}

TEST(Pipeline, EditRunsFlowEditAndStoresTheTarget) {
    test::FakeModels m;
    auto p = base_params();
    p.task = "edit";
    p.src_audio_path = write_wav("src", 2.2);
    p.edit_target_prompt = "jazz";
    p.edit_n_min = 0.2;
    p.edit_n_max = 0.4;
    auto r = run(m, p);
    EXPECT_EQ(r.latents.size(-1), 24);
    auto side = sidecar_params(r.params);
    EXPECT_EQ(side.prompt, "jazz") << "the sidecar keeps the target under prompt";
    EXPECT_EQ(side.lyrics, p.lyrics) << "empty target lyrics = the source lyrics";
}

TEST(Pipeline, EditWithPingPongKeepsZEditDuringTheEditPhase) {
    // Q19: with n_max = 1.0 and pingpong the official result is the source latent itself.
    test::FakeModels m;
    auto p = base_params();
    p.task = "edit";
    p.scheduler_type = "pingpong";
    p.src_audio_path = write_wav("src", 2.2);
    p.edit_n_min = 0.5;
    p.edit_n_max = 1.0;
    auto r = run(m, p);
    EXPECT_TRUE(at::equal(r.latents.to(at::kFloat), m.codec.encode(read_audio(*p.src_audio_path))));
}

TEST(Pipeline, Audio2AudioFollowsTheReferenceLength) {
    test::FakeModels m;
    auto p = base_params();
    p.audio2audio_enable = true;
    p.ref_audio_input = write_wav("ref", 2.2);
    p.audio_duration = 60;
    int steps = 0;
    RunOptions o;
    o.progress = [&](const Progress& pr) {
        if (pr.stage == "diffusion" && pr.step > 0) steps = pr.total;
    };
    auto r = run(m, p, o);
    EXPECT_EQ(r.params.task, "audio2audio");
    EXPECT_EQ(r.latents.size(-1), 24);
    EXPECT_EQ(steps, 2) << "int((1 - 0.5) * 4) steps";
}

TEST(Pipeline, ProgressStagesInOrderWithEta) {
    test::FakeModels m;
    std::vector<std::string> stages;
    double last_fraction = -1, eta_seen = -1;
    bool monotonic = true;
    RunOptions o;
    o.progress = [&](const Progress& pr) {
        if (stages.empty() || stages.back() != pr.stage) stages.push_back(pr.stage);
        monotonic &= pr.fraction >= last_fraction;
        last_fraction = pr.fraction;
        if (pr.stage == "diffusion" && pr.step == 2) eta_seen = pr.eta_s;
    };
    run(m, base_params(), o);
    EXPECT_EQ(stages, (std::vector<std::string>{"text", "lyrics", "diffusion", "decode"}));
    EXPECT_TRUE(monotonic);
    EXPECT_GE(eta_seen, 0.0);
}

TEST(Pipeline, CancelStopsBetweenSteps) {
    test::FakeModels m;
    std::atomic<bool> cancel{false};
    m.dit.cancel_after = &cancel;
    m.dit.cancel_at = 2;
    RunOptions o;
    o.cancel = &cancel;
    EXPECT_THROW(run(m, base_params(), o), Cancelled);
    EXPECT_LE(m.dit.decodes.load(), 3) << "stopped at the next step boundary";
}

TEST(Pipeline, LyricIdsReplaceTheFrontEnd) {
    test::FakeModels m;
    auto c = m.components();
    c.lyrics = nullptr;
    auto p = base_params();
    PrepareOptions po;
    po.have_lyric_tokenizer = false;
    EXPECT_THROW(prepare_job(p, po), Error);
    po.lyric_ids_given = true;
    RunOptions o;
    o.overrides.lyric_ids = std::vector<int64_t>{261, 259, 6683, 2};
    EXPECT_NO_THROW(run_pipeline(c, prepare_job(p, po), o));
}

TEST(Pipeline, BadParametersAreClearErrors) {
    auto p = base_params();
    p.scheduler_type = "dpm";
    EXPECT_NE(error_of(p).find("scheduler_type"), std::string::npos) << error_of(p);
    p = base_params();
    p.task = "repaint";
    EXPECT_NE(error_of(p).find("src_audio_path"), std::string::npos) << error_of(p);
    p.src_audio_path = "/nonexistent/song.wav";
    EXPECT_NE(error_of(p).find("/nonexistent/song.wav"), std::string::npos) << error_of(p);
    p.src_audio_path = write_wav("src", 2.2);
    p.repaint_start = 1.0;
    p.repaint_end = 5.0;
    EXPECT_NE(error_of(p).find("outside the source audio"), std::string::npos) << error_of(p);
    p.repaint_start = 1.5;
    p.repaint_end = 1.0;
    EXPECT_NE(error_of(p).find("repaint_end"), std::string::npos) << error_of(p);
    p = base_params();
    p.scheduler_type = "heun";
    p.oss_steps = {2, 4};
    EXPECT_NE(error_of(p).find("heun"), std::string::npos) << error_of(p);
    p = base_params();
    p.audio2audio_enable = true;
    EXPECT_NE(error_of(p).find("ref_audio_input"), std::string::npos) << error_of(p);
    p = base_params();
    p.audio_duration = 500;
    EXPECT_NE(error_of(p).find("audio_duration"), std::string::npos) << error_of(p);
}

TEST(Pipeline, RandomDurationIsResolved) {
    auto p = base_params();
    p.audio_duration = -1;
    auto j = prepare_job(p);
    EXPECT_GE(j.params.audio_duration, 30.0);
    EXPECT_LE(j.params.audio_duration, 240.0);
}

TEST(Pipeline, ExtendPastTheWindowKeepsTheWholeSource) {
    // A 235 s source extended by 10 s on the right: only the last 240 s are generated, the head is put back.
    test::FakeModels m;
    Job job;
    job.params = base_params();
    job.params.task = "extend";
    job.params.retake_variance = 1.0;
    const int64_t n = (int64_t)(235.0 * 44100);
    job.src_audio = Audio{44100, 2, n, {0.25f}};  // the fake codec reads only the length and the first sample
    job.src_frames = (n + 4095) / 4096;
    job.params.audio_duration = 235.0;
    job.params.repaint_start = 0;
    job.params.repaint_end = 245.0;
    auto r = run_pipeline(m.components(), job, {});
    at::Tensor src = m.codec.encode(*job.src_audio);
    const auto e = plan_extend(job.src_frames, 0, 245.0);
    ASSERT_GT(e.trim_left, 0);
    EXPECT_EQ(r.latents.size(-1), job.src_frames + e.pad_right) << "longer than 240 s, as the official UI promises";
    EXPECT_TRUE(at::equal(r.latents.slice(-1, 0, job.src_frames), src)) << "head re-attached, window source kept";
}
