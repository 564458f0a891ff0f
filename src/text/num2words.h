// num2words 0.5.14 (savoirfairelinux/num2words), internal to the lyric cleaners: exactly the calls
// the official multilingual_cleaners makes -- cardinal of an int or a float, ordinal of an int,
// to="currency" of a float -- for ar de en es fr hu it ko nl pl pt ru tr.
//
// Python's numeric semantics are part of the output, so they are modelled rather than approximated:
// ints are arbitrary precision (BigInt), a float argument stays an IEEE double through the whole
// conversion (PyNum mixes them the way Python does), str(float) is Python's repr, Decimal steps use
// the process-wide decimal context precision that lang_AR can raise (see decimal_precision()).
// Wherever num2words raises, these functions throw n2w::Error; the cleaner then keeps its text.
// Files: num2words_base.cpp (numbers, the cards engine, registry), num2words_germanic.cpp (en de nl),
// num2words_romance.cpp (fr es it pt), num2words_slavic.cpp (pl ru), num2words_other.cpp (ar hu ko tr).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace acestep::text::n2w {

// Any Python exception num2words would raise (NotImplementedError, OverflowError, KeyError, ...).
struct Error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Non-negative arbitrary-precision integer (decimal digits; everything here is small or a power of 10).
class BigInt {
public:
    BigInt() : d_("0") {}
    BigInt(uint64_t v);  // NOLINT(implicit)
    static BigInt parse(const std::string& digits);  // ASCII digits, leading zeros allowed
    static BigInt pow10(size_t k);
    const std::string& str() const { return d_; }
    size_t ndigits() const { return d_.size(); }
    bool is_zero() const { return d_ == "0"; }
    bool fits_u64() const;
    uint64_t to_u64() const;  // requires fits_u64()
    int cmp(const BigInt& o) const;
    BigInt operator+(const BigInt& o) const;
    BigInt operator-(const BigInt& o) const;  // requires *this >= o
    BigInt operator*(const BigInt& o) const;
    BigInt mul_small(uint32_t m) const;  // *this * m in one linear pass
    // Floor division and remainder (divisor > 0).
    std::pair<BigInt, BigInt> divmod(const BigInt& o) const;
    uint32_t mod_small(uint32_t m) const;
    bool operator==(const BigInt& o) const { return d_ == o.d_; }
    bool operator!=(const BigInt& o) const { return d_ != o.d_; }
    bool operator<(const BigInt& o) const { return cmp(o) < 0; }
    bool operator<=(const BigInt& o) const { return cmp(o) <= 0; }
    bool operator>(const BigInt& o) const { return cmp(o) > 0; }
    bool operator>=(const BigInt& o) const { return cmp(o) >= 0; }

private:
    std::string d_;
};

// Python float(int): correctly rounded; throws (OverflowError) past DBL_MAX.
double to_double(const BigInt& v);
// Python int(float) for a finite non-negative double (truncates).
BigInt trunc_to_int(double d);
// Python repr(float) / str(float).
std::string float_repr(double d);
// Python float(s) for s made of ASCII digits and '.' (throws ValueError like Python otherwise);
// may return inf, as Python does for huge literals.
double parse_float(const std::string& s);

// A Python int or float.
struct PyNum {
    bool is_float = false;
    BigInt i;
    double f = 0.0;
    PyNum() = default;
    PyNum(BigInt v) : i(std::move(v)) {}  // NOLINT(implicit)
    PyNum(uint64_t v) : i(v) {}           // NOLINT(implicit)
    PyNum(int v) : i((uint64_t)v) {}      // NOLINT(implicit); v >= 0
    static PyNum from_double(double d) {
        PyNum n;
        n.is_float = true;
        n.f = d;
        return n;
    }
    double as_double() const { return is_float ? f : to_double(i); }
    bool is_integral() const;  // int(value) == value
    BigInt to_int() const;     // int(value)
};
int cmp(const PyNum& a, const PyNum& b);
inline bool operator<(const PyNum& a, const PyNum& b) { return cmp(a, b) < 0; }
inline bool operator>(const PyNum& a, const PyNum& b) { return cmp(a, b) > 0; }
inline bool operator<=(const PyNum& a, const PyNum& b) { return cmp(a, b) <= 0; }
inline bool operator>=(const PyNum& a, const PyNum& b) { return cmp(a, b) >= 0; }
inline bool operator==(const PyNum& a, const PyNum& b) { return cmp(a, b) == 0; }
inline bool operator!=(const PyNum& a, const PyNum& b) { return cmp(a, b) != 0; }
PyNum operator+(const PyNum& a, const PyNum& b);
PyNum operator*(const PyNum& a, const PyNum& b);
// Python divmod / % / // for non-negative operands.
std::pair<PyNum, PyNum> divmod(const PyNum& a, const PyNum& b);
inline PyNum operator%(const PyNum& a, const PyNum& b) { return divmod(a, b).second; }
// Python str(value) of an int or a float.
std::string py_str(const PyNum& v);

// decimal.getcontext().prec: 28, raised for good by lang_AR when it meets a long number.
int decimal_precision();
void raise_decimal_precision(int prec);

// base.float2tuple(value): (pre, post) and the precision it sets.
struct FloatParts {
    BigInt pre, post;
    int precision = 0;
};
FloatParts float2tuple(double value);

// currency.parse_currency_parts(float): Decimal(value).quantize(.01, ROUND_HALF_UP) -> (int, cents).
struct CurrencyParts {
    BigInt left;
    uint32_t cents = 0;
};
CurrencyParts parse_currency_parts(double value);

// One language's converter: the operations the cleaner calls.
class Converter {
public:
    virtual ~Converter() = default;
    virtual std::string cardinal(const PyNum& v) = 0;
    virtual std::string ordinal(const BigInt& v) = 0;
    virtual std::string currency(double amount, const std::string& code) = 0;
};

// ---- the shared "cards" engine of Num2Word_Base ---------------------------------------------
struct Node {
    bool leaf = true;
    std::string text;
    PyNum num;
    std::vector<Node> kids;
    static Node pair(std::string t, PyNum n) {
        Node x;
        x.text = std::move(t);
        x.num = std::move(n);
        return x;
    }
    static Node list(std::vector<Node> k) {
        Node x;
        x.leaf = false;
        x.kids = std::move(k);
        return x;
    }
};

using Forms = std::vector<std::string>;
struct CurrencyForm {
    Forms unit, sub;
};

class CardsConverter : public Converter {
public:
    std::string cardinal(const PyNum& v) override;  // Num2Word_Base.to_cardinal
    std::string ordinal(const BigInt& v) override { return cardinal(PyNum(v)); }
    std::string currency(double amount, const std::string& code) override;  // base to_currency

protected:
    // cards in insertion order (OrderedDict)
    std::vector<std::pair<BigInt, std::string>> cards_;
    BigInt maxval_;
    std::string pointword_;
    std::map<std::string, CurrencyForm> currency_forms_;
    std::string separator_ = ",";

    void add_card(const BigInt& k, const std::string& w);
    void finish_cards();  // MAXVAL = 1000 * first card
    // EU set_high_numwords: long scale with the GIGA/MEGA suffixes (empty suffix = none).
    void set_high_eu(const std::vector<std::string>& high, const std::string& giga, const std::string& mega);
    void set_mid(const std::vector<std::pair<int, std::string>>& mid);
    void set_low(const std::vector<std::string>& low);
    static std::vector<std::string> gen_high_numwords(const std::vector<std::string>& units,
                                                      const std::vector<std::string>& tens,
                                                      const std::vector<std::string>& lows);
    static std::vector<std::string> eu_high_numwords();  // Num2Word_EU.setup's list
    const std::string& card(const PyNum& k) const;         // self.cards[k] (KeyError -> Error)
    const std::string* find_card(const PyNum& k) const;

    std::vector<Node> splitnum(const PyNum& value) const;
    Node clean(std::vector<Node> val) const;
    virtual Node merge(const Node& l, const Node& r) const = 0;
    std::string int_cardinal(const PyNum& value) const;   // the integer branch of to_cardinal
    virtual std::string cardinal_float(double value);      // base to_cardinal_float
    virtual std::string pluralize(const BigInt& n, const Forms& forms) const;  // EU: 0 if n == 1 else 1
    virtual std::string money_verbose(const BigInt& n, const std::string& code) { return cardinal(PyNum(n)); }
    virtual std::string cents_verbose(const BigInt& n, const std::string& code) { return cardinal(PyNum(n)); }
    std::string base_currency(double amount, const std::string& code, const std::string& separator);
};

// Registry: the converter for a num2words lang code ("en", ...); nullptr where num2words has none
// (NotImplementedError), e.g. "cz", which the cleaners pass for Czech.
Converter* converter(const std::string& lang);

// Factories, one per language file.
std::unique_ptr<Converter> make_en();
std::unique_ptr<Converter> make_de();
std::unique_ptr<Converter> make_nl();
std::unique_ptr<Converter> make_fr();
std::unique_ptr<Converter> make_es();
std::unique_ptr<Converter> make_it();
std::unique_ptr<Converter> make_pt();
std::unique_ptr<Converter> make_pl();
std::unique_ptr<Converter> make_ru();
std::unique_ptr<Converter> make_ar();
std::unique_ptr<Converter> make_hu();
std::unique_ptr<Converter> make_ko();
std::unique_ptr<Converter> make_tr();

// Small string helpers (code-point aware where Python slices str).
bool ends_with(const std::string& s, const std::string& suf);
bool starts_with(const std::string& s, const std::string& pre);
std::string replace_all(const std::string& s, const std::string& from, const std::string& to);
std::string replace_first(const std::string& s, const std::string& from, const std::string& to);
std::vector<std::string> split(const std::string& s, const std::string& sep);  // str.split(sep)
std::vector<std::string> split_ws(const std::string& s);                       // str.split()
std::string join(const std::vector<std::string>& v, const std::string& sep);
std::string strip_ws(const std::string& s);  // str.strip()
size_t cp_len(const std::string& s);
std::string cp_slice(const std::string& s, long a, long b);  // s[a:b] in code points, Python rules
std::string cp_drop_last(const std::string& s, size_t n);    // s[:-n]

}  // namespace acestep::text::n2w
