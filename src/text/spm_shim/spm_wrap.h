// C ABI of the sentencepiece shim (build/lib/acestep_spm.so).
//
// Debian's libsentencepiece bundles protobuf-lite 3.14 and crashes next to LibTorch's protobuf 3.21
// (build-notes.md §7), so sentencepiece lives alone in this MODULE, which Umt5Tokenizer dlopen()s
// with RTLD_LOCAL|RTLD_DEEPBIND.  Only plain C types cross the boundary; no exception escapes it.
// Every function is safe to call from several threads on one processor (sentencepiece encoding is
// const); errors are reported through acestep_spm_last_error() (thread-local).
#pragma once

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define ACESTEP_SPM_ABI_VERSION 1

typedef struct acestep_spm acestep_spm;

// One encoding: n pieces, their ids, and the piece strings ('\0'-terminated, concatenated in `text`;
// piece i starts at text + offsets[i]).
typedef struct acestep_spm_result {
    size_t n;
    int32_t* ids;
    size_t* offsets;
    char* text;
} acestep_spm_result;

int acestep_spm_abi_version(void);
// Load a model from a .model file, or from the bytes of a serialized ModelProto. NULL on failure.
acestep_spm* acestep_spm_load_file(const char* path);
acestep_spm* acestep_spm_load_proto(const void* data, size_t size);
void acestep_spm_free(acestep_spm* p);
// Encodes `len` bytes of UTF-8 text. NULL on failure; free the result with acestep_spm_free_result.
acestep_spm_result* acestep_spm_encode(const acestep_spm* p, const char* text, size_t len);
void acestep_spm_free_result(acestep_spm_result* r);
int acestep_spm_vocab_size(const acestep_spm* p);
// -1 when `piece` is not in the vocabulary (sentencepiece itself answers the unknown id).
int acestep_spm_piece_to_id(const acestep_spm* p, const char* piece);
// Text of the last error on this thread ("" if none).
const char* acestep_spm_last_error(void);

#ifdef __cplusplus
}
#endif
