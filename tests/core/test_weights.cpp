// Weights: state-dict loading into a dtype/device, zero-copy, shape errors, unused keys.
#include <gtest/gtest.h>

#include "acestep/error.h"
#include "common/test_util.h"
#include "models/weights.h"

using namespace acestep;

namespace {
std::shared_ptr<st::File> small_file() {
    st::Writer w;
    float f[6] = {1, 2, 3, 4, 5, 6};
    uint16_t bf[2] = {0x3f80, 0x4000};  // 1.0, 2.0 in bf16
    int64_t ids[3] = {7, 8, 9};
    w.add("a.weight", st::DType::F32, {2, 3}, f, sizeof f);
    w.add("b.bias", st::DType::BF16, {2}, bf, sizeof bf);
    w.add("ids", st::DType::I64, {3}, ids, sizeof ids);
    w.add("projectors.0.weight", st::DType::F32, {1}, f, 4);
    return st::File::from_memory(w.serialize(), "w.safetensors");
}
}  // namespace

TEST(Weights, TakesTensorsInTheTargetDtype) {
    Weights w(small_file(), at::kFloat, at::Device(at::kCPU));
    auto a = w.take("a.weight", {2, 3});
    EXPECT_EQ(a.scalar_type(), at::kFloat);
    EXPECT_FLOAT_EQ(a[1][2].item<float>(), 6.0f);
    auto b = w.take("b.bias", {2});
    EXPECT_EQ(b.scalar_type(), at::kFloat) << "bf16 stored, fp32 compute";
    EXPECT_FLOAT_EQ(b[1].item<float>(), 2.0f);
    EXPECT_EQ(w.take("ids").scalar_type(), at::kLong) << "integer tensors keep their dtype";
    Weights w16(small_file(), at::kBFloat16, at::Device(at::kCPU));
    EXPECT_EQ(w16.take("a.weight").scalar_type(), at::kBFloat16);
}

TEST(Weights, ZeroCopyWhenTheDtypeMatches) {
    auto f = small_file();
    Weights w(f, at::kFloat, at::Device(at::kCPU));
    auto a = w.take("a.weight");
    EXPECT_EQ(a.data_ptr(), (void*)f->at("a.weight").data);
}

TEST(Weights, ShapeMismatchNamesKeyAndShapes) {
    Weights w(small_file(), at::kFloat, at::Device(at::kCPU));
    try {
        w.take("a.weight", {3, 2});
        FAIL();
    } catch (const Error& e) {
        EXPECT_STREQ(e.what(), "w.safetensors: tensor 'a.weight' has shape [2, 3], expected [3, 2]");
    }
    try {
        w.take("c.weight", {4});
        FAIL();
    } catch (const Error& e) {
        EXPECT_STREQ(e.what(), "w.safetensors: missing tensor 'c.weight' (expected shape [4])");
    }
}

TEST(Weights, UnusedKeysAreListedExceptIgnoredPrefixes) {
    Weights w(small_file(), at::kFloat, at::Device(at::kCPU));
    w.ignore_prefix("projectors.");
    w.take("a.weight");
    auto u = w.unused();
    EXPECT_EQ(u, (std::vector<std::string>{"b.bias", "ids"}));
}
