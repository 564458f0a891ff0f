// safetensors: round trip and every kind of malformed or hostile file.
#include <gtest/gtest.h>

#include <cstring>
#include <fstream>

#include "acestep/error.h"
#include "acestep/safetensors.h"
#include "common/test_util.h"

using namespace acestep;

namespace {

std::vector<uint8_t> make_file(const std::string& header, const std::vector<uint8_t>& data, int64_t len_override = -1) {
    std::vector<uint8_t> out;
    uint64_t n = len_override >= 0 ? (uint64_t)len_override : header.size();
    for (int i = 0; i < 8; ++i) out.push_back((uint8_t)(n >> (8 * i)));
    out.insert(out.end(), header.begin(), header.end());
    out.insert(out.end(), data.begin(), data.end());
    return out;
}

std::string error_of(const std::vector<uint8_t>& bytes) {
    try {
        st::File::from_memory(bytes, "bad.safetensors");
    } catch (const Error& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST(Safetensors, RoundTripAllDtypes) {
    st::Writer w;
    float f[6] = {1, 2, 3, 4, 5, 6};
    int64_t l[2] = {-7, 1ll << 40};
    uint16_t h[3] = {0x3c00, 0x4000, 0xbc00};
    uint8_t b[4] = {1, 0, 1, 1};
    int8_t c[2] = {-1, 2};
    int32_t i32[1] = {123456};
    int16_t i16[2] = {-3, 3};
    w.add("float", st::DType::F32, {2, 3}, f, sizeof f);
    w.add("long", st::DType::I64, {2}, l, sizeof l);
    w.add("half", st::DType::F16, {3}, h, sizeof h);
    w.add("bf16", st::DType::BF16, {3}, h, sizeof h);
    w.add("bool", st::DType::BOOL, {4}, b, sizeof b);
    w.add("u8", st::DType::U8, {2, 2}, b, sizeof b);
    w.add("i8", st::DType::I8, {2}, c, sizeof c);
    w.add("i32", st::DType::I32, {1}, i32, sizeof i32);
    w.add("i16", st::DType::I16, {2}, i16, sizeof i16);
    w.add("empty", st::DType::F32, {0, 4}, nullptr, 0);
    w.set_metadata("format", "pt");
    auto dir = test::scratch_dir("st_roundtrip");
    auto path = dir / "x.safetensors";
    w.write(path);
    auto r = st::File::open(path);
    ASSERT_EQ(r->tensors().size(), 10u);
    EXPECT_EQ(r->metadata().at("format"), "pt");
    const auto& t = r->at("float");
    EXPECT_EQ(t.dtype, st::DType::F32);
    EXPECT_EQ(t.shape, (std::vector<int64_t>{2, 3}));
    EXPECT_EQ(0, std::memcmp(t.data, f, sizeof f));
    EXPECT_EQ(0, std::memcmp(r->at("long").data, l, sizeof l));
    EXPECT_EQ(r->at("half").dtype, st::DType::F16);
    EXPECT_EQ(r->at("bf16").dtype, st::DType::BF16);
    EXPECT_EQ(r->at("bool").nbytes, 4u);
    EXPECT_EQ(r->at("empty").numel(), 0);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(t.data) % 8, (uintptr_t)0) << "writer keeps data 8-byte aligned";
    EXPECT_EQ(r->find("nope"), nullptr);
}

TEST(Safetensors, MissingTensorErrorNamesFileAndTensor) {
    st::Writer w;
    float f = 1;
    w.add("a", st::DType::F32, {1}, &f, 4);
    auto r = st::File::from_memory(w.serialize(), "model.safetensors");
    try {
        r->at("blocks.0.weight");
        FAIL();
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("model.safetensors"), std::string::npos);
        EXPECT_NE(std::string(e.what()).find("blocks.0.weight"), std::string::npos);
    }
}

TEST(Safetensors, RejectsShortFile) {
    EXPECT_NE(error_of({1, 2, 3}).find("bad.safetensors"), std::string::npos);
    EXPECT_NE(error_of({}).find("not a safetensors file"), std::string::npos);
}

TEST(Safetensors, RejectsHugeHeaderLength) {
    auto e = error_of(make_file("{}", {}, (int64_t)1 << 40));
    EXPECT_NE(e.find("header length"), std::string::npos) << e;
}

TEST(Safetensors, RejectsHeaderBeyondFile) {
    auto e = error_of(make_file("{}", {}, 5000));
    EXPECT_NE(e.find("truncated"), std::string::npos) << e;
}

TEST(Safetensors, RejectsMalformedJson) {
    EXPECT_NE(error_of(make_file("{\"a\": ", {})).find("malformed header JSON"), std::string::npos);
    EXPECT_NE(error_of(make_file("[1,2,3]", {})).find("not an object"), std::string::npos);
    EXPECT_NE(error_of(make_file("{\"a\": 5}", {})).find("tensor 'a'"), std::string::npos);
}

TEST(Safetensors, RejectsUnknownDtype) {
    auto e = error_of(make_file(R"({"w":{"dtype":"F8","shape":[1],"data_offsets":[0,1]}})", {0}));
    EXPECT_NE(e.find("tensor 'w'"), std::string::npos) << e;
    EXPECT_NE(e.find("unknown dtype 'F8'"), std::string::npos) << e;
}

TEST(Safetensors, RejectsShapeByteMismatch) {
    auto e = error_of(make_file(R"({"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}})", std::vector<uint8_t>(8)));
    EXPECT_NE(e.find("shape x itemsize = 12 bytes"), std::string::npos) << e;
}

TEST(Safetensors, RejectsOffsetsOutsideFile) {
    auto e = error_of(make_file(R"({"w":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}})", std::vector<uint8_t>(8)));
    EXPECT_NE(e.find("beyond the end of the file"), std::string::npos) << e;
    e = error_of(make_file(R"({"w":{"dtype":"F32","shape":[1],"data_offsets":[8,4]}})", std::vector<uint8_t>(8)));
    EXPECT_NE(e.find("begin 8 > end 4"), std::string::npos) << e;
}

TEST(Safetensors, RejectsOverlap) {
    auto e = error_of(make_file(
        R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}})",
        std::vector<uint8_t>(12)));
    EXPECT_NE(e.find("overlaps"), std::string::npos) << e;
}

TEST(Safetensors, RejectsBadShapeEntries) {
    EXPECT_NE(error_of(make_file(R"({"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,0]}})", {})).find("non-negative"),
              std::string::npos);
    EXPECT_NE(error_of(make_file(R"({"a":{"dtype":"F32","shape":[1.5],"data_offsets":[0,4]}})", std::vector<uint8_t>(4)))
                  .find("non-negative"),
              std::string::npos);
    // Overflowing element counts must not wrap around into a small byte count.
    auto e = error_of(make_file(
        R"({"a":{"dtype":"F32","shape":[4294967296,4294967296,4294967296],"data_offsets":[0,0]}})", {}));
    EXPECT_NE(e.find("too large"), std::string::npos) << e;
    EXPECT_NE(error_of(make_file(R"({"a":{"dtype":"F32","shape":[1],"data_offsets":[0]}})", {})).find("data_offsets"),
              std::string::npos);
}

TEST(Safetensors, RejectsNonStringMetadata) {
    auto e = error_of(make_file(R"({"__metadata__":{"format":3}})", {}));
    EXPECT_NE(e.find("__metadata__"), std::string::npos) << e;
}

TEST(Safetensors, OpenErrorsNameThePath) {
    try {
        st::File::open("/nonexistent/dir/model.safetensors");
        FAIL();
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("/nonexistent/dir/model.safetensors"), std::string::npos);
    }
    auto dir = test::scratch_dir("st_dir");
    EXPECT_THROW(st::File::open(dir), Error);
}

TEST(Safetensors, TruncatedRealFileIsAnErrorNotACrash) {
    auto src = test::fixtures_dir() / "checkpoint" / "music_vocoder" / "diffusion_pytorch_model.safetensors";
    if (!std::filesystem::exists(src)) GTEST_SKIP() << "fixtures not found";
    std::ifstream in(src, std::ios::binary);
    std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), {});
    bytes.resize(bytes.size() / 2);
    auto e = error_of(bytes);
    EXPECT_NE(e.find("beyond the end of the file"), std::string::npos) << e;
    // Every prefix length of the header region must be handled without a crash.
    for (size_t n = 0; n < 600; n += 7) {
        std::vector<uint8_t> p(bytes.begin(), bytes.begin() + n);
        EXPECT_FALSE(error_of(p).empty());
    }
}

TEST(Safetensors, WriterRejectsInconsistentInput) {
    st::Writer w;
    float f[2] = {};
    EXPECT_THROW(w.add("a", st::DType::F32, {3}, f, sizeof f), Error);
    w.add("a", st::DType::F32, {2}, f, sizeof f);
    EXPECT_THROW(w.add("a", st::DType::F32, {2}, f, sizeof f), Error);
    EXPECT_THROW(w.add("__metadata__", st::DType::F32, {2}, f, sizeof f), Error);
}
