// num2words 0.5.14 core: Python number semantics, base.py's "cards" engine (splitnum / clean /
// to_cardinal / to_cardinal_float / to_currency), currency.parse_currency_parts, and the registry.
// Exact to the Python library: the float paths keep IEEE doubles where Python keeps floats.
#include <algorithm>
#include <atomic>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <mutex>

#include "text/num2words.h"
#include "text/utf8.h"

namespace acestep::text::n2w {

// ---- BigInt (decimal digits) ------------------------------------------------------------------

BigInt::BigInt(uint64_t v) : d_(std::to_string(v)) {}

BigInt BigInt::parse(const std::string& digits) {
    BigInt b;
    size_t i = 0;
    while (i + 1 < digits.size() && digits[i] == '0') ++i;
    b.d_ = digits.empty() ? "0" : digits.substr(i);
    for (char c : b.d_)
        if (c < '0' || c > '9') throw Error("ValueError: invalid literal for int()");
    return b;
}

BigInt BigInt::pow10(size_t k) {
    BigInt b;
    b.d_ = "1" + std::string(k, '0');
    return b;
}

bool BigInt::fits_u64() const { return d_.size() < 20 || (d_.size() == 20 && d_ <= "18446744073709551615"); }

uint64_t BigInt::to_u64() const {
    uint64_t v = 0;
    for (char c : d_) v = v * 10 + (uint64_t)(c - '0');
    return v;
}

int BigInt::cmp(const BigInt& o) const {
    if (d_.size() != o.d_.size()) return d_.size() < o.d_.size() ? -1 : 1;
    const int c = d_.compare(o.d_);
    return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

BigInt BigInt::operator+(const BigInt& o) const {
    std::string r;
    int carry = 0;
    size_t i = d_.size(), j = o.d_.size();
    while (i > 0 || j > 0 || carry) {
        int s = carry;
        if (i > 0) s += d_[--i] - '0';
        if (j > 0) s += o.d_[--j] - '0';
        r.push_back((char)('0' + s % 10));
        carry = s / 10;
    }
    BigInt b;
    b.d_.assign(r.rbegin(), r.rend());
    return b;
}

BigInt BigInt::operator-(const BigInt& o) const {
    std::string r = d_;
    int borrow = 0;
    for (size_t k = 0; k < r.size(); ++k) {
        const size_t i = r.size() - 1 - k;
        int v = (r[i] - '0') - borrow - (k < o.d_.size() ? o.d_[o.d_.size() - 1 - k] - '0' : 0);
        borrow = v < 0;
        if (v < 0) v += 10;
        r[i] = (char)('0' + v);
    }
    return parse(r);
}

BigInt BigInt::operator*(const BigInt& o) const {
    if (is_zero() || o.is_zero()) return BigInt();
    std::vector<int> acc(d_.size() + o.d_.size(), 0);
    for (size_t i = 0; i < d_.size(); ++i)
        for (size_t j = 0; j < o.d_.size(); ++j)
            acc[i + j + 1] += (d_[i] - '0') * (o.d_[j] - '0');
    for (size_t k = acc.size() - 1; k > 0; --k) {
        acc[k - 1] += acc[k] / 10;
        acc[k] %= 10;
    }
    std::string r;
    for (int v : acc) r.push_back((char)('0' + v));
    return parse(r);
}

BigInt BigInt::mul_small(uint32_t m) const {
    if (m == 0 || is_zero()) return BigInt();
    std::string r;
    uint64_t carry = 0;
    for (size_t i = d_.size(); i-- > 0;) {
        const uint64_t v = (uint64_t)(d_[i] - '0') * m + carry;
        r.push_back((char)('0' + v % 10));
        carry = v / 10;
    }
    for (; carry; carry /= 10) r.push_back((char)('0' + carry % 10));
    BigInt b;
    b.d_.assign(r.rbegin(), r.rend());
    return b;
}

std::pair<BigInt, BigInt> BigInt::divmod(const BigInt& o) const {
    if (o.is_zero()) throw Error("ZeroDivisionError");
    std::string q;
    BigInt rem;
    for (char c : d_) {
        if (rem.is_zero()) rem.d_.assign(1, c);  // rem * 10 + digit, without re-parsing the digits
        else rem.d_.push_back(c);
        int digit = 0;
        while (rem >= o) {
            rem = rem - o;
            ++digit;
        }
        q.push_back((char)('0' + digit));
    }
    return {parse(q), rem};
}

uint32_t BigInt::mod_small(uint32_t m) const {
    uint64_t r = 0;
    for (char c : d_) r = (r * 10 + (uint64_t)(c - '0')) % m;
    return (uint32_t)r;
}

// ---- floats -----------------------------------------------------------------------------------

double to_double(const BigInt& v) {
    errno = 0;
    const double d = std::strtod(v.str().c_str(), nullptr);
    if (std::isinf(d)) throw Error("OverflowError: int too large to convert to float");
    return d;
}

BigInt trunc_to_int(double d) {
    if (!std::isfinite(d)) throw Error("OverflowError: cannot convert float infinity to integer");
    d = std::trunc(std::fabs(d));
    if (d < 18446744073709551616.0) return BigInt((uint64_t)d);
    int e = 0;
    const double m = std::frexp(d, &e);  // d = m * 2^e, m in [0.5, 1)
    BigInt r((uint64_t)std::ldexp(m, 53));
    // r * 2^(e-53), 2^28 at a time (linear in the digits; a float compares against every card of
    // the converter, so this runs often for a long number).
    for (int k = e - 53; k > 0; k -= 28) r = r.mul_small(1u << std::min(k, 28));
    return r;
}

namespace {

// Shortest round-trip digits and decimal point position: value = 0.DIGITS * 10^decpt.
void shortest_digits(double d, std::string& digits, int& decpt) {
    char buf[64];
    auto res = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
    std::string s(buf, res.ptr);
    const size_t e = s.find('e');
    std::string mant = s.substr(0, e);
    const int exp10 = std::atoi(s.c_str() + e + 1);
    digits.clear();
    for (char c : mant)
        if (c != '.' && c != '-') digits.push_back(c);
    decpt = exp10 + 1;
}

}  // namespace

std::string float_repr(double d) {
    if (std::isnan(d)) return "nan";
    if (std::isinf(d)) return d < 0 ? "-inf" : "inf";
    std::string sign = std::signbit(d) ? "-" : "";
    std::string digits;
    int decpt = 0;
    shortest_digits(std::fabs(d), digits, decpt);
    const int n = (int)digits.size();
    if (decpt <= -4 || decpt > 16) {
        std::string out = sign + digits.substr(0, 1);
        if (n > 1) out += "." + digits.substr(1);
        const int e = decpt - 1;
        char eb[16];
        std::snprintf(eb, sizeof eb, "e%c%02d", e < 0 ? '-' : '+', std::abs(e));
        return out + eb;
    }
    if (decpt <= 0) return sign + "0." + std::string(-decpt, '0') + digits;
    if (decpt >= n) return sign + digits + std::string(decpt - n, '0') + ".0";
    return sign + digits.substr(0, decpt) + "." + digits.substr(decpt);
}

double parse_float(const std::string& s) {
    // Python's float() grammar restricted to what the cleaner's regexes can hand it.
    size_t i = 0, int_digits = 0, frac_digits = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++int_digits;
    if (i < s.size() && s[i] == '.') {
        ++i;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++frac_digits;
    }
    if (i != s.size() || int_digits + frac_digits == 0)
        throw Error("ValueError: could not convert string to float: '" + s + "'");
    return std::strtod(s.c_str(), nullptr);
}

// ---- PyNum ------------------------------------------------------------------------------------

bool PyNum::is_integral() const {
    if (!is_float) return true;
    if (!std::isfinite(f)) throw Error("OverflowError: cannot convert float infinity to integer");
    return f == std::floor(f);
}

BigInt PyNum::to_int() const { return is_float ? trunc_to_int(f) : i; }

namespace {

int cmp_int_float(const BigInt& a, double f) {
    if (std::isinf(f)) return f > 0 ? -1 : 1;
    const double fl = std::floor(f);
    const int c = a.cmp(trunc_to_int(fl));
    if (c != 0) return c;
    return f > fl ? -1 : 0;
}

}  // namespace

int cmp(const PyNum& a, const PyNum& b) {
    if (!a.is_float && !b.is_float) return a.i.cmp(b.i);
    if (a.is_float && b.is_float) return a.f < b.f ? -1 : (a.f > b.f ? 1 : 0);
    if (!a.is_float) return cmp_int_float(a.i, b.f);
    return -cmp_int_float(b.i, a.f);
}

PyNum operator+(const PyNum& a, const PyNum& b) {
    if (!a.is_float && !b.is_float) return PyNum(a.i + b.i);
    return PyNum::from_double(a.as_double() + b.as_double());
}

PyNum operator*(const PyNum& a, const PyNum& b) {
    if (!a.is_float && !b.is_float) return PyNum(a.i * b.i);
    return PyNum::from_double(a.as_double() * b.as_double());
}

std::pair<PyNum, PyNum> divmod(const PyNum& a, const PyNum& b) {
    if (!a.is_float && !b.is_float) {
        auto [q, r] = a.i.divmod(b.i);
        return {PyNum(q), PyNum(r)};
    }
    // CPython float_divmod.
    const double vx = a.as_double(), wx = b.as_double();
    if (wx == 0.0) throw Error("ZeroDivisionError: float divmod()");
    double mod = std::fmod(vx, wx);
    double div = (vx - mod) / wx;
    if (mod != 0.0) {
        if ((wx < 0) != (mod < 0)) {
            mod += wx;
            div -= 1.0;
        }
    } else {
        mod = std::copysign(0.0, wx);
    }
    double floordiv;
    if (div != 0.0) {
        floordiv = std::floor(div);
        if (div - floordiv > 0.5) floordiv += 1.0;
    } else {
        floordiv = std::copysign(0.0, vx / wx);
    }
    return {PyNum::from_double(floordiv), PyNum::from_double(mod)};
}

std::string py_str(const PyNum& v) { return v.is_float ? float_repr(v.f) : v.i.str(); }

// ---- decimal context --------------------------------------------------------------------------

namespace {
std::atomic<int> g_decimal_prec{28};
}

int decimal_precision() { return g_decimal_prec.load(); }

void raise_decimal_precision(int prec) {
    int cur = g_decimal_prec.load();
    while (prec > cur && !g_decimal_prec.compare_exchange_weak(cur, prec)) {
    }
}

// ---- base.float2tuple, currency.parse_currency_parts ------------------------------------------

FloatParts float2tuple(double value) {
    FloatParts p;
    p.pre = trunc_to_int(value);
    // abs(Decimal(str(value)).as_tuple().exponent)
    const std::string r = float_repr(value);
    const size_t e = r.find('e'), dot = r.find('.');
    long exponent;
    if (e != std::string::npos) {
        const std::string mant = r.substr(0, e);
        const size_t mdot = mant.find('.');
        const long frac = mdot == std::string::npos ? 0 : (long)(mant.size() - mdot - 1);
        exponent = std::atol(r.c_str() + e + 1) - frac;
    } else {
        exponent = dot == std::string::npos ? 0 : -(long)(r.size() - dot - 1);
    }
    p.precision = (int)std::labs(exponent);
    const double diff = std::fabs(value - to_double(p.pre));
    const double post = diff * to_double(BigInt::pow10((size_t)p.precision));
    const double rounded = std::nearbyint(post);  // round(): ties to even
    if (std::fabs(rounded - post) < 0.01)
        p.post = trunc_to_int(rounded);
    else
        p.post = trunc_to_int(std::floor(post));
    return p;
}

CurrencyParts parse_currency_parts(double value) {
    if (!std::isfinite(value)) throw Error("decimal.InvalidOperation: quantize of a non-finite value");
    // Decimal(value) is exact; %.1100f prints the exact binary value (glibc), enough for any double.
    std::vector<char> buf(1500);
    std::snprintf(buf.data(), buf.size(), "%.1100f", std::fabs(value));
    const std::string s(buf.data());
    const size_t dot = s.find('.');
    BigInt scaled = BigInt::parse(s.substr(0, dot) + s.substr(dot + 1, 2));
    if (s[dot + 3] >= '5') scaled = scaled + BigInt(1);  // ROUND_HALF_UP at two places
    if ((int)scaled.ndigits() > decimal_precision())
        throw Error("decimal.InvalidOperation: quantize result has too many digits");
    CurrencyParts c;
    auto [left, cents] = scaled.divmod(BigInt(100));
    c.left = left;
    c.cents = (uint32_t)cents.to_u64();
    return c;
}

// ---- the cards engine -------------------------------------------------------------------------

void CardsConverter::add_card(const BigInt& k, const std::string& w) {
    for (auto& c : cards_)
        if (c.first == k) {
            c.second = w;
            return;
        }
    cards_.emplace_back(k, w);
}

void CardsConverter::finish_cards() { maxval_ = BigInt(1000) * cards_.front().first; }

void CardsConverter::set_high_eu(const std::vector<std::string>& high, const std::string& giga,
                                 const std::string& mega) {
    size_t n = 3 + 6 * high.size();
    for (const auto& word : high) {
        if (n <= 3) break;
        if (!giga.empty()) add_card(BigInt::pow10(n), word + giga);
        if (!mega.empty()) add_card(BigInt::pow10(n - 3), word + mega);
        n -= 6;
    }
}

void CardsConverter::set_mid(const std::vector<std::pair<int, std::string>>& mid) {
    for (const auto& [k, w] : mid) add_card(BigInt((uint64_t)k), w);
}

void CardsConverter::set_low(const std::vector<std::string>& low) {
    for (size_t i = 0; i < low.size(); ++i) add_card(BigInt((uint64_t)(low.size() - 1 - i)), low[i]);
}

std::vector<std::string> CardsConverter::gen_high_numwords(const std::vector<std::string>& units,
                                                           const std::vector<std::string>& tens,
                                                           const std::vector<std::string>& lows) {
    std::vector<std::string> out;
    for (const auto& t : tens)
        for (const auto& u : units) out.push_back(u + t);
    std::reverse(out.begin(), out.end());
    out.insert(out.end(), lows.begin(), lows.end());
    return out;
}

std::vector<std::string> CardsConverter::eu_high_numwords() {
    std::vector<std::string> h{"cent"};
    auto rest = gen_high_numwords({"", "un", "duo", "tre", "quattuor", "quin", "sex", "sept", "octo", "novem"},
                                  {"dec", "vigint", "trigint", "quadragint", "quinquagint", "sexagint",
                                   "septuagint", "octogint", "nonagint"},
                                  {"non", "oct", "sept", "sext", "quint", "quadr", "tr", "b", "m"});
    h.insert(h.end(), rest.begin(), rest.end());
    return h;
}

const std::string* CardsConverter::find_card(const PyNum& k) const {
    for (const auto& c : cards_)
        if (cmp(PyNum(c.first), k) == 0) return &c.second;
    return nullptr;
}

const std::string& CardsConverter::card(const PyNum& k) const {
    const std::string* w = find_card(k);
    if (!w) throw Error("KeyError: " + py_str(k));
    return *w;
}

std::vector<Node> CardsConverter::splitnum(const PyNum& value) const {
    for (const auto& [elem_i, word] : cards_) {
        const PyNum elem(elem_i);
        if (elem > value) continue;
        std::vector<Node> out;
        PyNum div, mod;
        if (value == PyNum(0)) {
            div = PyNum(1);
            mod = PyNum(0);
        } else {
            std::tie(div, mod) = divmod(value, elem);
        }
        if (div == PyNum(1)) {
            out.push_back(Node::pair(card(PyNum(1)), PyNum(1)));
        } else {
            if (div == value) throw Error("TypeError: tally branch of splitnum");
            out.push_back(Node::list(splitnum(div)));
        }
        out.push_back(Node::pair(word, elem));
        if (mod != PyNum(0)) out.push_back(Node::list(splitnum(mod)));
        return out;
    }
    throw Error("TypeError: no card for " + py_str(value));
}

Node CardsConverter::clean(std::vector<Node> val) const {
    // base.py's clean(); the nodes are moved, not copied (a long number makes a deep tree).
    while (val.size() != 1) {
        std::vector<Node> out;
        if (val.size() < 2) throw Error("ValueError: clean() of an empty list");
        if (val[0].leaf && val[1].leaf) {
            out.push_back(merge(val[0], val[1]));
            if (val.size() > 2)
                out.push_back(Node::list(std::vector<Node>(std::make_move_iterator(val.begin() + 2),
                                                           std::make_move_iterator(val.end()))));
        } else {
            out.reserve(val.size());
            for (Node& elem : val) {
                if (!elem.leaf) {
                    if (elem.kids.size() == 1)
                        out.push_back(std::move(elem.kids[0]));
                    else
                        out.push_back(clean(std::move(elem.kids)));
                } else {
                    out.push_back(std::move(elem));
                }
            }
        }
        val = std::move(out);
    }
    if (!val[0].leaf) throw Error("TypeError: clean() did not reduce to a pair");
    return std::move(val[0]);
}

std::string CardsConverter::int_cardinal(const PyNum& value) const {
    if (value >= PyNum(maxval_)) throw Error("OverflowError: abs(" + py_str(value) + ") must be less than MAXVAL");
    return clean(splitnum(value)).text;
}

std::string CardsConverter::cardinal(const PyNum& v) {
    if (!v.is_integral()) return cardinal_float(v.f);
    return int_cardinal(v);
}

std::string CardsConverter::cardinal_float(double value) {
    const FloatParts p = float2tuple(value);
    std::string post = p.post.str();
    if ((int)post.size() < p.precision) post = std::string(p.precision - post.size(), '0') + post;
    std::vector<std::string> out{cardinal(PyNum(p.pre))};
    if (p.precision) out.push_back(pointword_);
    for (int i = 0; i < p.precision; ++i) out.push_back(cardinal(PyNum((uint64_t)(post[i] - '0'))));
    return join(out, " ");
}

std::string CardsConverter::pluralize(const BigInt& n, const Forms& forms) const {
    return forms[n == BigInt(1) ? 0 : 1];
}

std::string CardsConverter::base_currency(double amount, const std::string& code, const std::string& separator) {
    const CurrencyParts parts = parse_currency_parts(amount);
    auto it = currency_forms_.find(code);
    if (it == currency_forms_.end())
        throw Error("NotImplementedError: Currency code \"" + code + "\" not implemented");
    const std::string money = money_verbose(parts.left, code);
    const std::string cents = cents_verbose(BigInt(parts.cents), code);
    return money + " " + pluralize(parts.left, it->second.unit) + separator + " " + cents + " " +
           pluralize(BigInt(parts.cents), it->second.sub);
}

std::string CardsConverter::currency(double amount, const std::string& code) {
    return base_currency(amount, code, separator_);
}

// ---- registry ---------------------------------------------------------------------------------

Converter* converter(const std::string& lang) {
    // One converter per thread: some keep per-call state exactly as the Python singletons do.
    thread_local std::map<std::string, std::unique_ptr<Converter>> reg;
    auto it = reg.find(lang);
    if (it != reg.end()) return it->second.get();
    using Factory = std::unique_ptr<Converter> (*)();
    static const std::map<std::string, Factory> factories = {
        {"ar", make_ar}, {"de", make_de}, {"en", make_en}, {"es", make_es}, {"fr", make_fr},
        {"hu", make_hu}, {"it", make_it}, {"ko", make_ko}, {"nl", make_nl}, {"pl", make_pl},
        {"pt", make_pt}, {"ru", make_ru}, {"tr", make_tr}};
    auto f = factories.find(lang);
    if (f == factories.end()) return nullptr;
    return (reg[lang] = f->second()).get();
}

// ---- string helpers ---------------------------------------------------------------------------

bool ends_with(const std::string& s, const std::string& suf) {
    return s.size() >= suf.size() && s.compare(s.size() - suf.size(), suf.size(), suf) == 0;
}

bool starts_with(const std::string& s, const std::string& pre) { return s.compare(0, pre.size(), pre) == 0; }

std::string replace_all(const std::string& s, const std::string& from, const std::string& to) {
    if (from.empty()) return s;
    std::string out;
    size_t pos = 0;
    for (;;) {
        const size_t hit = s.find(from, pos);
        if (hit == std::string::npos) break;
        out.append(s, pos, hit - pos);
        out += to;
        pos = hit + from.size();
    }
    out.append(s, pos, std::string::npos);
    return out;
}

std::string replace_first(const std::string& s, const std::string& from, const std::string& to) {
    const size_t hit = s.find(from);
    if (hit == std::string::npos) return s;
    return s.substr(0, hit) + to + s.substr(hit + from.size());
}

std::vector<std::string> split(const std::string& s, const std::string& sep) {
    std::vector<std::string> out;
    size_t pos = 0;
    for (;;) {
        const size_t hit = s.find(sep, pos);
        if (hit == std::string::npos) break;
        out.push_back(s.substr(pos, hit - pos));
        pos = hit + sep.size();
    }
    out.push_back(s.substr(pos));
    return out;
}

std::vector<std::string> split_ws(const std::string& s) {
    // The words here are ASCII-space separated; Unicode whitespace never occurs in num2words output.
    std::vector<std::string> out;
    size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n')) ++i;
        size_t j = i;
        while (j < s.size() && !(s[j] == ' ' || s[j] == '\t' || s[j] == '\n')) ++j;
        if (j > i) out.push_back(s.substr(i, j - i));
        i = j;
    }
    return out;
}

std::string join(const std::vector<std::string>& v, const std::string& sep) {
    std::string out;
    for (size_t i = 0; i < v.size(); ++i) {
        if (i) out += sep;
        out += v[i];
    }
    return out;
}

std::string strip_ws(const std::string& s) {
    size_t a = 0, b = s.size();
    while (a < b && (s[a] == ' ' || s[a] == '\t' || s[a] == '\n')) ++a;
    while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t' || s[b - 1] == '\n')) --b;
    return s.substr(a, b - a);
}

size_t cp_len(const std::string& s) { return utf8::length(s); }

std::string cp_slice(const std::string& s, long a, long b) {
    const std::u32string u = utf8::decode(s);
    const long n = (long)u.size();
    auto norm = [n](long x) { return x < 0 ? std::max(0L, n + x) : std::min(x, n); };
    a = norm(a);
    b = norm(b);
    if (b <= a) return "";
    return utf8::encode(std::u32string_view(u).substr((size_t)a, (size_t)(b - a)));
}

std::string cp_drop_last(const std::string& s, size_t n) { return cp_slice(s, 0, -(long)n); }

}  // namespace acestep::text::n2w
