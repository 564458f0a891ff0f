// Self-test cases for the resampler: `resample` is derived from the dcae_decode fixture
// (its wav_44k resampled 44.1 -> 48 kHz must equal the recorded wav_48k, torchaudio Resample).
#include "acestep/resample.h"
#include "selftest/fixture.h"

namespace acestep::selftest {

namespace {

at::Tensor resample_rows(const at::Tensor& x, int64_t from, int64_t to) {
    at::Tensor c = x.to(at::kFloat).contiguous();
    const int64_t rows = c.size(0), n = c.size(1);
    const int64_t m = resampled_length(n, from, to);
    at::Tensor out = at::empty({rows, m}, at::kFloat);
    for (int64_t r = 0; r < rows; ++r) {
        auto y = resample(c[r].data_ptr<float>(), n, from, to);
        std::copy(y.begin(), y.end(), out[r].data_ptr<float>());
    }
    return out;
}

void resample_cases(Context& ctx, std::vector<Case>& out) {
    if (!ctx.has_case("dcae_decode")) return;
    out.push_back({"resample", [](Context& ctx) {
                       auto fx = ctx.fixture("dcae_decode");
                       if (!fx.has("wav_44k") || !fx.has("wav_48k")) return CaseResult::skip("dcae_decode has no wav_44k/wav_48k");
                       Comparison cmp;
                       cmp.add("wav_48k", resample_rows(fx.tensor("wav_44k"), 44100, 48000), fx.tensor("wav_48k"));
                       return cmp.result(1e-4);
                   }});
}

}  // namespace

ACESTEP_SELFTEST_PROVIDER(resample_cases);

}  // namespace acestep::selftest
