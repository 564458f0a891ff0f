// num2words 0.5.14 as the lyric cleaners call it: cardinal of ints (0, teens, large, past MAXVAL),
// cardinal of floats, ordinals and currency with cents, per language.  Expected strings were made
// with the Python rules (num2words_cases.inc); nullptr means the library raises there.
#include <gtest/gtest.h>

#include <cmath>

#include "text/num2words.h"

using namespace acestep::text;

namespace {

enum class N2W { Cardinal, Float, Ordinal, Currency };
struct N2WCase {
    const char* lang;
    N2W kind;
    const char* value;  // "" with pow10 > 0: 10**pow10
    int pow10;
    const char* code;
    const char* expected;
};
#include "num2words_cases.inc"

std::string run(const N2WCase& c) {
    n2w::Converter* conv = n2w::converter(c.lang);
    if (!conv) throw n2w::Error("no converter");
    const std::string v = c.pow10 ? "1" + std::string(c.pow10, '0') : c.value;
    switch (c.kind) {
        case N2W::Cardinal: return conv->cardinal(n2w::PyNum(n2w::BigInt::parse(v)));
        case N2W::Float: return conv->cardinal(n2w::PyNum::from_double(n2w::parse_float(v)));
        case N2W::Ordinal: return conv->ordinal(n2w::BigInt::parse(v));
        case N2W::Currency: return conv->currency(n2w::parse_float(v), c.code);
    }
    return {};
}

}  // namespace

TEST(Num2Words, EveryLanguageTable) {
    int n = 0;
    for (const N2WCase& c : kN2WCases) {
        const std::string label = std::string(c.lang) + " " + std::to_string((int)c.kind) + " " + c.value + " " + c.code;
        if (c.expected) {
            EXPECT_EQ(run(c), c.expected) << label;
        } else {
            EXPECT_THROW(run(c), std::exception) << label;
        }
        ++n;
    }
    EXPECT_GT(n, 500);
}

TEST(Num2Words, CzechIsNotAConverter) { EXPECT_EQ(n2w::converter("cz"), nullptr); }

TEST(Num2Words, PythonFloatSemantics) {
    EXPECT_EQ(n2w::float_repr(12.5), "12.5");
    EXPECT_EQ(n2w::float_repr(1e16), "1e+16");
    EXPECT_EQ(n2w::float_repr(1e15), "1000000000000000.0");
    EXPECT_EQ(n2w::float_repr(0.0001), "0.0001");
    EXPECT_EQ(n2w::float_repr(0.00001), "1e-05");
    EXPECT_EQ(n2w::float_repr(1.5e-7), "1.5e-07");
    EXPECT_THROW(n2w::parse_float("1.2.3"), std::exception);
    EXPECT_TRUE(std::isinf(n2w::parse_float(std::string(400, '9'))));
    // 1.005 is 1.00499999... in binary: ROUND_HALF_UP on the exact value gives 0 cents.
    EXPECT_EQ(n2w::parse_currency_parts(1.005).cents, 0u);
    EXPECT_EQ(n2w::parse_currency_parts(0.125).cents, 13u);
    EXPECT_EQ(n2w::parse_currency_parts(20.15).cents, 15u);
    // float2tuple keeps Python's tolerance rescue: 1.239999... reads as .24 only when within 0.01.
    const n2w::FloatParts p = n2w::float2tuple(3.14159);
    EXPECT_EQ(p.precision, 5);
    EXPECT_EQ(p.post.str(), "14159");
}

TEST(Num2Words, BigIntArithmetic) {
    const n2w::BigInt a = n2w::BigInt::parse("123456789012345678901234567890");
    const n2w::BigInt b = n2w::BigInt::parse("987654321");
    EXPECT_EQ((a * b).str(), "121932631124828532112482853211126352690");
    auto [q, r] = a.divmod(b);
    EXPECT_EQ(q.str(), "124999998873437499901");
    EXPECT_EQ(r.str(), "574845669");
    EXPECT_EQ((a + b).str(), "123456789012345678902222222211");
    EXPECT_EQ(n2w::trunc_to_int(1e30).str(), "1000000000000000019884624838656");
    // Python: int(float("4" * 40 + ".5")) and int(1e300) (2^28 steps of the power of two, and the rest).
    EXPECT_EQ(n2w::trunc_to_int(n2w::parse_float(std::string(40, '4') + ".5")).str(),
              "4444444444444444646623002612814361657344");
    EXPECT_EQ(n2w::trunc_to_int(1e300).str().substr(0, 20), "10000000000000000525");
    EXPECT_EQ(n2w::trunc_to_int(1e300).str().size(), 301u);
    EXPECT_EQ(a.mul_small(268435456).str(), "33140179454824801945482480194515107840");
    EXPECT_EQ(b.mul_small(0).str(), "0");
}
