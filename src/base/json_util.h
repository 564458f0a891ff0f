// Typed access to JSON objects with one-line errors that name the file and the field.
// Internal to the core libraries (src/), not part of the public API.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "acestep/error.h"

namespace acestep {

// Parses text as JSON; on failure throws "<what>: malformed JSON: <detail>".
nlohmann::json parse_json_text(const std::string& text, const std::string& what);
// Reads and parses a JSON file (size-capped); errors name the path.
nlohmann::json load_json_file(const std::string& path);

class JsonFields {
public:
    JsonFields(const nlohmann::json& j, std::string where);  // throws unless j is an object

    bool has(const char* key) const;
    const nlohmann::json* get(const char* key) const;  // nullptr if absent or null

    // Required fields: absent or wrong type -> Error("<where>: field 'key': ...").
    int64_t req_int(const char* key) const;
    double req_num(const char* key) const;
    bool req_bool(const char* key) const;
    std::string req_str(const char* key) const;
    std::vector<int64_t> req_int_list(const char* key) const;
    std::vector<std::vector<int64_t>> req_int_list_list(const char* key) const;
    std::vector<std::string> req_str_list(const char* key) const;

    // Optional fields with a default; a present field of the wrong type is still an error.
    int64_t opt_int(const char* key, int64_t def) const;
    double opt_num(const char* key, double def) const;
    bool opt_bool(const char* key, bool def) const;
    std::string opt_str(const char* key, const std::string& def) const;
    std::vector<int64_t> opt_int_list(const char* key, std::vector<int64_t> def) const;
    std::vector<std::string> opt_str_list(const char* key, std::vector<std::string> def) const;
    // A string, or a list of strings (diffusers accepts both for per-block options).
    std::vector<std::string> opt_str_or_list(const char* key, size_t n, const std::string& def) const;

    [[noreturn]] void fail(const char* key, const std::string& what) const;
    const std::string& where() const { return where_; }
    const nlohmann::json& json() const { return j_; }

private:
    const nlohmann::json& j_;
    std::string where_;
};

}  // namespace acestep
