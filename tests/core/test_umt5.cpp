// UMT5 text encoder against the fixtures: parity (plain and ERG), the relative-position buckets,
// padding/mask behaviour, the bf16 path, weight errors, the tied-embedding alias, and the tokenizer
// feeding the encoder inside a LibTorch process (the sentencepiece/protobuf clash, build-notes §7).
#include <gtest/gtest.h>

#include <cmath>

#include "acestep/checkpoint.h"
#include "acestep/config.h"
#include "acestep/error.h"
#include "common/test_util.h"
#include "models/umt5.h"
#include "models/weights.h"
#include "selftest/fixture.h"
#include "text/umt5_tokenizer.h"

using namespace acestep;

namespace {

fs::path ckpt_dir() { return test::fixtures_dir() / "checkpoint"; }
fs::path cases_dir() { return test::fixtures_dir() / "cases"; }

#define REQUIRE_FIXTURE()                                                   \
    if (!fs::exists(cases_dir() / "umt5_encoder.safetensors")) GTEST_SKIP() << "no umt5 fixtures"

Umt5Encoder load(at::ScalarType dtype = at::kFloat) {
    return Umt5Encoder::load(find_checkpoint(ckpt_dir()).umt5, dtype, at::Device(at::kCPU));
}

double rel(const at::Tensor& a, const at::Tensor& b) { return selftest::rel_l2(a.to(at::kFloat), b.to(at::kFloat)); }

// The fixture checkpoint's tensors, optionally renamed / dropped / reshaped, as an in-memory file.
std::shared_ptr<st::File> edited_weights(const std::string& drop, const std::string& rename_from = "",
                                         const std::string& rename_to = "", const std::string& truncate = "") {
    auto src = st::File::open(find_checkpoint(ckpt_dir()).umt5.weights);
    st::Writer w;
    for (const auto& t : src->tensors()) {
        if (t.name == drop) continue;
        std::string name = t.name == rename_from ? rename_to : t.name;
        std::vector<int64_t> shape = t.shape;
        uint64_t bytes = t.nbytes;
        if (t.name == truncate) {  // one row fewer
            bytes -= bytes / shape[0];
            shape[0] -= 1;
        }
        w.add(name, t.dtype, shape, t.data, bytes);
    }
    return st::File::from_memory(w.serialize(), "umt5-base/model.safetensors");
}

Umt5Config fixture_config() { return load_umt5_config(find_checkpoint(ckpt_dir()).umt5.config.string()); }

}  // namespace

TEST(Umt5Encoder, MatchesFixture) {
    REQUIRE_FIXTURE();
    auto enc = load();
    selftest::Fixture fx(cases_dir(), "umt5_encoder");
    const at::Tensor out = enc.forward(fx.tensor("input_ids"), fx.tensor("attention_mask"));
    EXPECT_EQ(out.scalar_type(), at::kFloat);
    EXPECT_EQ(out.sizes(), fx.tensor("last_hidden_state").sizes());
    EXPECT_LE(rel(out, fx.tensor("last_hidden_state")), 1e-5);
}

TEST(Umt5Encoder, ErgNullMatchesFixture) {
    REQUIRE_FIXTURE();
    auto enc = load();
    selftest::Fixture fx(cases_dir(), "umt5_encoder_erg_null");
    Umt5Erg erg;  // defaults are the pipeline's: blocks 8..10, tau 0.01
    EXPECT_EQ(fx.json()["l_min"].get<int64_t>(), erg.l_min);
    EXPECT_EQ(fx.json()["l_max"].get<int64_t>(), erg.l_max);
    EXPECT_DOUBLE_EQ(fx.json()["tau"].get<double>(), erg.tau);
    const at::Tensor out = enc.forward(fx.tensor("input_ids"), fx.tensor("attention_mask"), &erg);
    EXPECT_LE(rel(out, fx.tensor("last_hidden_state")), 1e-5);
    // and it is a different result from the plain encoder
    const at::Tensor plain = enc.forward(fx.tensor("input_ids"), fx.tensor("attention_mask"));
    EXPECT_GT(rel(out, plain), 1e-2);
    Umt5Erg identity{8, 10, 1.0};
    EXPECT_EQ(rel(enc.forward(fx.tensor("input_ids"), fx.tensor("attention_mask"), &identity), plain), 0.0);
}

TEST(Umt5Encoder, RelativePositionBucketsAreBidirectionalLogBuckets) {
    REQUIRE_FIXTURE();
    auto enc = load();
    const at::Tensor b = enc.relative_position_buckets(1, 401);  // query 0, keys 0..400: n = j - i = 0..400
    const at::Tensor bn = enc.relative_position_buckets(401, 1);  // keys 0, queries 0..400: n = -i
    auto bucket = [&](int64_t n) { return n >= 0 ? b[0][n].item<int64_t>() : bn[-n][0].item<int64_t>(); };
    // exact buckets below 8, then log buckets up to max_distance 128, keys after the query offset by 16
    for (int64_t a = 0; a < 8; ++a) {
        EXPECT_EQ(bucket(-a), a);
        if (a > 0) EXPECT_EQ(bucket(a), 16 + a);
    }
    const std::pair<int64_t, int64_t> known[] = {{10, 8}, {14, 9}, {20, 10}, {27, 11}, {40, 12}, {55, 13}, {80, 14}, {100, 15}, {400, 15}};
    for (auto [a, want] : known) {
        EXPECT_EQ(bucket(-a), want) << a;
        EXPECT_EQ(bucket(a), 16 + want) << a;
    }
    for (int64_t a = 1; a < 400; ++a) EXPECT_LE(bucket(-a), bucket(-(a + 1))) << "monotonic at " << a;
}

TEST(Umt5Encoder, PaddingIsMaskedOut) {
    REQUIRE_FIXTURE();
    auto enc = load();
    selftest::Fixture fx(cases_dir(), "umt5_encoder");
    const at::Tensor ids = fx.tensor("input_ids"), mask = fx.tensor("attention_mask");
    const int64_t n = mask[1].sum().item<int64_t>();
    ASSERT_LT(n, ids.size(1)) << "row 1 of the fixture is padded";
    // Row 1 alone, unpadded, gives the same states for its real tokens.
    const at::Tensor alone = enc.forward(ids.slice(0, 1, 2).slice(1, 0, n), at::Tensor());
    const at::Tensor batch = enc.forward(ids, mask);
    EXPECT_LE(rel(batch.slice(0, 1, 2).slice(1, 0, n), alone), 1e-5);  // fp32 rounding of other shapes: ~2e-6
    // Without the mask the padding is attended to and the states change.
    const at::Tensor unmasked = enc.forward(ids, at::ones_like(mask));
    EXPECT_GT(rel(unmasked.slice(0, 1, 2).slice(1, 0, n), alone), 1e-3);
    // Row 0 has no padding: no mask and an all-ones mask agree exactly.
    EXPECT_EQ(rel(unmasked[0], batch[0]), 0.0);
    // A float mask works like an integer one.
    EXPECT_EQ(rel(enc.forward(ids, mask.to(at::kFloat)), batch), 0.0);
}

TEST(Umt5Encoder, Bf16PathRunsAndStaysCloseToFp32) {
    REQUIRE_FIXTURE();
    auto enc32 = load(at::kFloat);
    auto enc16 = load(at::kBFloat16);
    selftest::Fixture fx(cases_dir(), "umt5_encoder");
    const at::Tensor ids = fx.tensor("input_ids"), mask = fx.tensor("attention_mask");
    const at::Tensor out16 = enc16.forward(ids, mask);
    EXPECT_EQ(out16.scalar_type(), at::kBFloat16);
    EXPECT_TRUE(at::isfinite(out16).all().item<bool>());
    const at::Tensor out32 = enc32.forward(ids, mask);
    // bf16 keeps 8 mantissa bits; on this tiny random checkpoint rounding only the weights to bf16 moves
    // the output by 5.9 %, the whole bf16 forward by 12 % (measured against the fp32 reference).
    EXPECT_LT(rel(out16, out32), 0.2);
    Umt5Erg erg;
    EXPECT_LT(rel(enc16.forward(ids, mask, &erg), enc32.forward(ids, mask, &erg)), 0.2);
}

TEST(Umt5Encoder, MissingOrMisshapenWeightNamesKeyAndShapes) {
    REQUIRE_FIXTURE();
    const auto cfg = fixture_config();
    {
        Weights w(edited_weights("encoder.block.3.layer.1.DenseReluDense.wo.weight"), at::kFloat, at::Device(at::kCPU));
        try {
            Umt5Encoder enc(cfg, w);
            FAIL() << "no error";
        } catch (const Error& e) {
            EXPECT_STREQ(e.what(), "umt5-base/model.safetensors: missing tensor 'encoder.block.3.layer.1.DenseReluDense.wo.weight' "
                                   "(expected shape [32, 64])");
        }
    }
    {
        Weights w(edited_weights("", "", "", "encoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight"), at::kFloat,
                  at::Device(at::kCPU));
        try {
            Umt5Encoder enc(cfg, w);
            FAIL() << "no error";
        } catch (const Error& e) {
            EXPECT_STREQ(e.what(), "umt5-base/model.safetensors: tensor 'encoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight' "
                                   "has shape [31, 2], expected [32, 2]");
        }
    }
    {
        Weights w(edited_weights("shared.weight"), at::kFloat, at::Device(at::kCPU));
        try {
            Umt5Encoder enc(cfg, w);
            FAIL() << "no error";
        } catch (const Error& e) {
            EXPECT_NE(std::string(e.what()).find("missing tensor 'shared.weight' (or its alias 'encoder.embed_tokens.weight')"),
                      std::string::npos)
                << e.what();
        }
    }
}

TEST(Umt5Encoder, TiedEmbeddingMayBeStoredAsEmbedTokens) {
    REQUIRE_FIXTURE();
    const auto cfg = fixture_config();
    Weights w(edited_weights("", "shared.weight", "encoder.embed_tokens.weight"), at::kFloat, at::Device(at::kCPU));
    Umt5Encoder enc(cfg, w);
    EXPECT_TRUE(w.unused().empty());
    selftest::Fixture fx(cases_dir(), "umt5_encoder");
    EXPECT_LE(rel(enc.forward(fx.tensor("input_ids"), fx.tensor("attention_mask")), fx.tensor("last_hidden_state")), 1e-5);
}

TEST(Umt5Encoder, BadInputsAreErrors) {
    REQUIRE_FIXTURE();
    auto enc = load();
    const auto V = enc.config().vocab_size;
    auto row = [](std::vector<int64_t> v) { return at::tensor(v, at::kLong).view({1, -1}); };
    auto ids = row({1, 2, 3});
    EXPECT_THROW(enc.forward(row({1, 2, V}), at::Tensor()), Error);
    EXPECT_THROW(enc.forward(row({-1, 2, 3}), at::Tensor()), Error);
    EXPECT_THROW(enc.forward(ids, at::ones({1, 4}, at::kLong)), Error);
    EXPECT_THROW(enc.forward(ids.view({3}), at::Tensor()), Error);
    EXPECT_THROW(enc.forward(ids.to(at::kFloat), at::Tensor()), Error);
    Umt5Erg bad{10, 20, 0.01};
    EXPECT_THROW(enc.forward(ids, at::Tensor(), &bad), Error);
}

TEST(Umt5Encoder, TokenizerFeedsEncoderInsideLibTorchProcess) {
    // The shim is dlopen()ed with RTLD_DEEPBIND here, next to LibTorch's protobuf.
    REQUIRE_FIXTURE();
    Umt5Tokenizer tok(find_checkpoint(ckpt_dir()));
    selftest::Fixture fx(cases_dir(), "umt5_encoder");
    const auto prompts = fx.json()["prompts"].get<std::vector<std::string>>();
    const auto b = tok.encode_batch(prompts);
    const at::Tensor ids = at::tensor(b.input_ids, at::kLong).view({b.batch, b.length});
    const at::Tensor mask = at::tensor(b.attention_mask, at::kLong).view({b.batch, b.length});
    EXPECT_TRUE(at::equal(ids, fx.tensor("input_ids")));
    EXPECT_TRUE(at::equal(mask, fx.tensor("attention_mask")));
    EXPECT_LE(rel(load().forward(ids, mask), fx.tensor("last_hidden_state")), 1e-5);
}
