// LoRA scale per module: what diffusers + peft make of a PEFT adapter file (model.md §9.7).
//
// Every targeted Linear computes y = W x + b + s_m · B(A x) with s_m = lora_weight · alpha_m / r_m
// (peft's set_scale; the rsLoRA √r rule is not applied there). Where alpha_m and r_m come from:
//  * the file records its LoraConfig in the safetensors header ("lora_adapter_metadata", diffusers >= 0.34):
//    r_m / alpha_m from `rank_pattern` / `alpha_pattern` (peft's get_pattern_key: the first key K with
//    re.match("(.*\.)?(K)$", module)), else `r` / `lora_alpha` (peft defaults 8 / 8). Each r_m must be the
//    rank the tensors have (peft could not load the file otherwise).
//  * no metadata (diffusers 0.33, the official app's version, get_peft_kwargs + _maybe_adjust_config):
//    r = the most common rank (ties: the first module in key order), lora_alpha = the FIRST module's rank,
//    rank_pattern = the modules of another rank; with more than one such module _maybe_adjust_config sets
//    lora_alpha = r and alpha_pattern = rank_pattern, so every s_m = weight. Net effect: uniform ranks (every
//    published ACE-Step LoRA) give s = weight; exactly one odd-rank module gives s_m = weight · r_first / r_m.
//    _maybe_adjust_config's "ambiguous key" branch (a module name that is a substring of another) cannot
//    trigger on this DiT's module names (tested) and is not implemented.
// Pattern keys may use what module names and diffusers' anchors need ('^' at the start, '.', names);
// other regular-expression syntax is refused with a clear error rather than run (untrusted files).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace acestep {

// "transformer_blocks.3.attn.to_q.lora_A.weight" -> {"transformer_blocks.3.attn.to_q", 'A'}; a leading
// "transformer." or "base_model.model." is dropped. part = 0 when the key is not a lora_A/lora_B weight.
struct LoraKey {
    std::string module;
    char part = 0;
};
LoraKey parse_lora_key(const std::string& key);

struct LoraScaling {
    std::map<std::string, double> factor;  // module -> alpha_m / r_m (the user's weight multiplies it)
    std::string rule;                      // one line saying which rule applied, for the status line / log
};

// ranks: every module with its rank (lora_B's second dimension), in the order of the file's lora_B keys
// sorted bytewise (how safetensors' Python API lists them). metadata: the header's
// "lora_adapter_metadata" text, nullptr when absent. Throws acestep::Error naming `file` on bad metadata.
LoraScaling lora_scaling(const std::vector<std::pair<std::string, int64_t>>& ranks, const std::string* metadata,
                         const std::string& file);

// peft's get_pattern_key match: does `pattern` select `module`? Throws acestep::Error for unsupported syntax.
bool lora_pattern_matches(const std::string& pattern, const std::string& module);

}  // namespace acestep
