// The sentencepiece shim: a tiny C ABI around sentencepiece::SentencePieceProcessor (see spm_wrap.h).
// Built as the MODULE acestep_spm.so, linked with sentencepiece only, never with LibTorch.
#include "spm_wrap.h"

#include <sentencepiece_processor.h>

#include <cstdlib>
#include <cstring>
#include <exception>
#include <new>
#include <string>

struct acestep_spm {
    sentencepiece::SentencePieceProcessor sp;
};

namespace {

thread_local std::string g_last_error;

void set_error(const std::string& s) { g_last_error = s; }

acestep_spm* finish_load(acestep_spm* p, const sentencepiece::util::Status& st, const std::string& what) {
    if (st.ok()) return p;
    set_error(what + ": " + st.ToString());
    delete p;
    return nullptr;
}

}  // namespace

extern "C" {

int acestep_spm_abi_version(void) { return ACESTEP_SPM_ABI_VERSION; }

acestep_spm* acestep_spm_load_file(const char* path) {
    try {
        if (!path) {
            set_error("no model path given");
            return nullptr;
        }
        auto* p = new acestep_spm;
        return finish_load(p, p->sp.Load(path), path);
    } catch (const std::exception& e) {
        set_error(std::string(path ? path : "") + ": " + e.what());
        return nullptr;
    }
}

acestep_spm* acestep_spm_load_proto(const void* data, size_t size) {
    try {
        auto* p = new acestep_spm;
        const std::string_view bytes(static_cast<const char*>(data), data ? size : 0);
        return finish_load(p, p->sp.LoadFromSerializedProto(bytes), "serialized ModelProto");
    } catch (const std::exception& e) {
        set_error(std::string("serialized ModelProto: ") + e.what());
        return nullptr;
    }
}

void acestep_spm_free(acestep_spm* p) { delete p; }

acestep_spm_result* acestep_spm_encode(const acestep_spm* p, const char* text, size_t len) {
    if (!p) {
        set_error("encode: no model");
        return nullptr;
    }
    acestep_spm_result* r = nullptr;
    try {
        sentencepiece::ImmutableSentencePieceText spt;
        const auto st = p->sp.Encode(std::string_view(text ? text : "", text ? len : 0), spt.mutable_proto());
        if (!st.ok()) {
            set_error("encode: " + st.ToString());
            return nullptr;
        }
        const size_t n = spt.pieces_size();
        size_t bytes = 0;
        for (size_t i = 0; i < n; ++i) bytes += spt.pieces(static_cast<int>(i)).piece().size() + 1;
        r = static_cast<acestep_spm_result*>(std::calloc(1, sizeof(acestep_spm_result)));
        if (!r) throw std::bad_alloc();
        r->n = n;
        r->ids = static_cast<int32_t*>(std::malloc(sizeof(int32_t) * (n ? n : 1)));
        r->offsets = static_cast<size_t*>(std::malloc(sizeof(size_t) * (n ? n : 1)));
        r->text = static_cast<char*>(std::malloc(bytes ? bytes : 1));
        if (!r->ids || !r->offsets || !r->text) throw std::bad_alloc();
        size_t at = 0;
        for (size_t i = 0; i < n; ++i) {
            const auto piece = spt.pieces(static_cast<int>(i));
            r->ids[i] = static_cast<int32_t>(piece.id());
            r->offsets[i] = at;
            std::memcpy(r->text + at, piece.piece().data(), piece.piece().size());
            at += piece.piece().size();
            r->text[at++] = '\0';
        }
        return r;
    } catch (const std::exception& e) {
        acestep_spm_free_result(r);
        set_error(std::string("encode: ") + e.what());
        return nullptr;
    }
}

void acestep_spm_free_result(acestep_spm_result* r) {
    if (!r) return;
    std::free(r->ids);
    std::free(r->offsets);
    std::free(r->text);
    std::free(r);
}

int acestep_spm_vocab_size(const acestep_spm* p) { return p ? p->sp.GetPieceSize() : 0; }

int acestep_spm_piece_to_id(const acestep_spm* p, const char* piece) {
    if (!p || !piece) return -1;
    try {
        const int id = p->sp.PieceToId(piece);
        // PieceToId answers unk_id for unknown pieces; tell them apart.
        if (p->sp.IsUnknown(id) && p->sp.IdToPiece(id) != piece) return -1;
        return id;
    } catch (const std::exception& e) {
        set_error(e.what());
        return -1;
    }
}

const char* acestep_spm_last_error(void) { return g_last_error.c_str(); }

}  // extern "C"
