// sentencepiece ModelProto wire format (see spm_proto.h).
#include "text/spm_proto.h"

#include <cstring>

#include "acestep/error.h"

namespace acestep::spm {

namespace {

// Field numbers from sentencepiece_model.proto.
enum : uint32_t {
    kModelPieces = 1, kModelTrainerSpec = 2, kModelNormalizerSpec = 3,
    kPiecePiece = 1, kPieceScore = 2, kPieceType = 3,
    kTrainerModelType = 3, kTrainerVocabSize = 4, kTrainerByteFallback = 35,
    kTrainerUnkId = 40, kTrainerBosId = 41, kTrainerEosId = 42, kTrainerPadId = 43,
    kNormName = 1, kNormCharsmap = 2, kNormAddDummyPrefix = 3, kNormRemoveExtraWs = 4, kNormEscapeWs = 5,
};
enum : uint32_t { kVarint = 0, kFixed64 = 1, kLen = 2, kFixed32 = 5 };

void put_varint(std::string& out, uint64_t v) {
    while (v >= 0x80) {
        out.push_back(static_cast<char>((v & 0x7f) | 0x80));
        v >>= 7;
    }
    out.push_back(static_cast<char>(v));
}
void put_tag(std::string& out, uint32_t field, uint32_t wire) { put_varint(out, (uint64_t(field) << 3) | wire); }
// int32 fields are sign-extended to 64 bits on the wire (negative ids take 10 bytes).
void put_int(std::string& out, uint32_t field, int64_t v) {
    put_tag(out, field, kVarint);
    put_varint(out, static_cast<uint64_t>(v));
}
void put_bool(std::string& out, uint32_t field, bool v) { put_int(out, field, v ? 1 : 0); }
void put_bytes(std::string& out, uint32_t field, std::string_view b) {
    put_tag(out, field, kLen);
    put_varint(out, b.size());
    out.append(b.data(), b.size());
}
void put_float(std::string& out, uint32_t field, float f) {
    put_tag(out, field, kFixed32);
    uint32_t u;
    std::memcpy(&u, &f, 4);
    for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((u >> (8 * i)) & 0xff));
}

// A bounds-checked reader over one message.
class Reader {
public:
    Reader(std::string_view b, const std::string& what) : b_(b), what_(what) {}
    bool done() const { return i_ >= b_.size(); }

    uint64_t varint() {
        uint64_t v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (i_ >= b_.size()) fail("truncated varint");
            const uint8_t c = static_cast<uint8_t>(b_[i_++]);
            v |= uint64_t(c & 0x7f) << shift;
            if (!(c & 0x80)) return v;
        }
        fail("varint longer than 10 bytes");
    }
    // Reads a tag; returns false at the end of the message.
    bool next(uint32_t& field, uint32_t& wire) {
        if (done()) return false;
        const uint64_t t = varint();
        field = static_cast<uint32_t>(t >> 3);
        wire = static_cast<uint32_t>(t & 7);
        if (field == 0) fail("field number 0");
        return true;
    }
    std::string_view bytes() {
        const uint64_t n = varint();
        if (n > b_.size() - i_) fail("length-delimited field runs past the end");
        std::string_view s = b_.substr(i_, n);
        i_ += n;
        return s;
    }
    float fixed32_float() {
        if (b_.size() - i_ < 4) fail("truncated fixed32");
        uint32_t u = 0;
        for (int k = 0; k < 4; ++k) u |= uint32_t(static_cast<uint8_t>(b_[i_ + k])) << (8 * k);
        i_ += 4;
        float f;
        std::memcpy(&f, &u, 4);
        return f;
    }
    void skip(uint32_t wire) {
        switch (wire) {
            case kVarint: varint(); break;
            case kFixed64:
                if (b_.size() - i_ < 8) fail("truncated fixed64");
                i_ += 8;
                break;
            case kLen: bytes(); break;
            case kFixed32:
                if (b_.size() - i_ < 4) fail("truncated fixed32");
                i_ += 4;
                break;
            default: fail("unsupported wire type " + std::to_string(wire));
        }
    }
    void expect(uint32_t wire, uint32_t want, const char* field) {
        if (wire != want) fail(std::string("field '") + field + "' has wire type " + std::to_string(wire));
    }
    [[noreturn]] void fail(const std::string& why) const {
        throw Error(what_ + ": malformed sentencepiece model (" + why + ")");
    }

private:
    std::string_view b_;
    const std::string& what_;
    size_t i_ = 0;
};

int32_t as_int32(uint64_t v) { return static_cast<int32_t>(static_cast<uint32_t>(v)); }

}  // namespace

std::string serialize(const Model& m) {
    std::string out;
    out.reserve(m.pieces.size() * 16 + m.precompiled_charsmap.size() + 64);
    std::string msg;
    for (const auto& p : m.pieces) {
        msg.clear();
        put_bytes(msg, kPiecePiece, p.piece);
        put_float(msg, kPieceScore, p.score);
        if (p.type != PieceType::Normal) put_int(msg, kPieceType, static_cast<int>(p.type));
        put_bytes(out, kModelPieces, msg);
    }
    msg.clear();
    put_int(msg, kTrainerModelType, m.model_type);
    put_int(msg, kTrainerVocabSize, static_cast<int64_t>(m.pieces.size()));
    put_bool(msg, kTrainerByteFallback, m.byte_fallback);
    put_int(msg, kTrainerUnkId, m.unk_id);
    put_int(msg, kTrainerBosId, m.bos_id);
    put_int(msg, kTrainerEosId, m.eos_id);
    put_int(msg, kTrainerPadId, m.pad_id);
    put_bytes(out, kModelTrainerSpec, msg);
    msg.clear();
    if (!m.normalizer_name.empty()) put_bytes(msg, kNormName, m.normalizer_name);
    if (!m.precompiled_charsmap.empty()) put_bytes(msg, kNormCharsmap, m.precompiled_charsmap);
    put_bool(msg, kNormAddDummyPrefix, m.add_dummy_prefix);
    put_bool(msg, kNormRemoveExtraWs, m.remove_extra_whitespaces);
    put_bool(msg, kNormEscapeWs, m.escape_whitespaces);
    put_bytes(out, kModelNormalizerSpec, msg);
    return out;
}

Model parse(std::string_view bytes, const std::string& what) {
    Model m;
    Reader r(bytes, what);
    uint32_t f, w;
    while (r.next(f, w)) {
        if (f == kModelPieces && w == kLen) {
            Reader pr(r.bytes(), what);
            Piece p;
            uint32_t pf, pw;
            while (pr.next(pf, pw)) {
                if (pf == kPiecePiece) {
                    pr.expect(pw, kLen, "piece");
                    p.piece = std::string(pr.bytes());
                } else if (pf == kPieceScore) {
                    pr.expect(pw, kFixed32, "score");
                    p.score = pr.fixed32_float();
                } else if (pf == kPieceType) {
                    pr.expect(pw, kVarint, "type");
                    const uint64_t t = pr.varint();
                    if (t < 1 || t > 6) pr.fail("piece type " + std::to_string(t));
                    p.type = static_cast<PieceType>(t);
                } else {
                    pr.skip(pw);
                }
            }
            m.pieces.push_back(std::move(p));
        } else if (f == kModelTrainerSpec && w == kLen) {
            Reader tr(r.bytes(), what);
            uint32_t tf, tw;
            while (tr.next(tf, tw)) {
                if (tw != kVarint) {
                    tr.skip(tw);
                    continue;
                }
                const uint64_t v = tr.varint();
                switch (tf) {
                    case kTrainerModelType: m.model_type = as_int32(v); break;
                    case kTrainerByteFallback: m.byte_fallback = v != 0; break;
                    case kTrainerUnkId: m.unk_id = as_int32(v); break;
                    case kTrainerBosId: m.bos_id = as_int32(v); break;
                    case kTrainerEosId: m.eos_id = as_int32(v); break;
                    case kTrainerPadId: m.pad_id = as_int32(v); break;
                    default: break;
                }
            }
        } else if (f == kModelNormalizerSpec && w == kLen) {
            Reader nr(r.bytes(), what);
            uint32_t nf, nw;
            while (nr.next(nf, nw)) {
                if (nf == kNormName && nw == kLen) {
                    m.normalizer_name = std::string(nr.bytes());
                } else if (nf == kNormCharsmap && nw == kLen) {
                    m.precompiled_charsmap = std::string(nr.bytes());
                } else if (nw == kVarint && (nf == kNormAddDummyPrefix || nf == kNormRemoveExtraWs || nf == kNormEscapeWs)) {
                    const bool v = nr.varint() != 0;
                    if (nf == kNormAddDummyPrefix) m.add_dummy_prefix = v;
                    if (nf == kNormRemoveExtraWs) m.remove_extra_whitespaces = v;
                    if (nf == kNormEscapeWs) m.escape_whitespaces = v;
                } else {
                    nr.skip(nw);
                }
            }
        } else {
            r.skip(w);
        }
    }
    return m;
}

static const char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string base64_encode(std::string_view in) {
    std::string out;
    out.reserve((in.size() + 2) / 3 * 4);
    size_t i = 0;
    for (; i + 2 < in.size(); i += 3) {
        const uint32_t v = (uint32_t(uint8_t(in[i])) << 16) | (uint32_t(uint8_t(in[i + 1])) << 8) | uint8_t(in[i + 2]);
        out += kB64[(v >> 18) & 63];
        out += kB64[(v >> 12) & 63];
        out += kB64[(v >> 6) & 63];
        out += kB64[v & 63];
    }
    if (i < in.size()) {
        uint32_t v = uint32_t(uint8_t(in[i])) << 16;
        if (i + 1 < in.size()) v |= uint32_t(uint8_t(in[i + 1])) << 8;
        out += kB64[(v >> 18) & 63];
        out += kB64[(v >> 12) & 63];
        out += i + 1 < in.size() ? kB64[(v >> 6) & 63] : '=';
        out += '=';
    }
    return out;
}

std::string base64_decode(std::string_view in, const std::string& what) {
    auto val = [](char c) -> int {
        if (c >= 'A' && c <= 'Z') return c - 'A';
        if (c >= 'a' && c <= 'z') return c - 'a' + 26;
        if (c >= '0' && c <= '9') return c - '0' + 52;
        if (c == '+') return 62;
        if (c == '/') return 63;
        return -1;
    };
    while (!in.empty() && in.back() == '=') in.remove_suffix(1);
    if (in.size() % 4 == 1) throw Error(what + ": invalid base64 (bad length)");
    std::string out;
    out.reserve(in.size() / 4 * 3 + 2);
    uint32_t acc = 0;
    int bits = 0;
    for (char c : in) {
        const int v = val(c);
        if (v < 0) throw Error(what + ": invalid base64 character");
        acc = (acc << 6) | uint32_t(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out.push_back(static_cast<char>((acc >> bits) & 0xff));
        }
    }
    return out;
}

}  // namespace acestep::spm
