// Typed JSON field access with errors that name the file and field.
#include "base/json_util.h"

#include <cmath>

#include "acestep/fs_util.h"

namespace acestep {

nlohmann::json parse_json_text(const std::string& text, const std::string& what) {
    try {
        return nlohmann::json::parse(text);
    } catch (const nlohmann::json::exception& e) {
        std::string msg = e.what();
        // nlohmann messages start with "[json.exception.parse_error.101] "; keep the useful part.
        auto p = msg.find("] ");
        if (p != std::string::npos) msg = msg.substr(p + 2);
        throw Error(what + ": malformed JSON: " + msg);
    }
}

nlohmann::json load_json_file(const std::string& path) {
    return parse_json_text(read_file(path, 64ull << 20), path);
}

JsonFields::JsonFields(const nlohmann::json& j, std::string where) : j_(j), where_(std::move(where)) {
    if (!j_.is_object()) throw Error(where_ + ": expected a JSON object");
}

void JsonFields::fail(const char* key, const std::string& what) const {
    throw Error(where_ + ": field '" + key + "': " + what);
}

bool JsonFields::has(const char* key) const { return get(key) != nullptr; }

const nlohmann::json* JsonFields::get(const char* key) const {
    auto it = j_.find(key);
    if (it == j_.end() || it->is_null()) return nullptr;
    return &*it;
}

namespace {
bool is_int(const nlohmann::json& v) {
    if (v.is_number_integer()) return true;
    if (v.is_number_float()) {
        double d = v.get<double>();
        return std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 9e15;
    }
    return false;
}
int64_t as_int(const nlohmann::json& v) {
    return v.is_number_float() ? static_cast<int64_t>(v.get<double>()) : v.get<int64_t>();
}
}  // namespace

int64_t JsonFields::req_int(const char* key) const {
    auto v = get(key);
    if (!v) fail(key, "missing");
    if (!is_int(*v)) fail(key, "expected an integer, found " + v->dump());
    return as_int(*v);
}
double JsonFields::req_num(const char* key) const {
    auto v = get(key);
    if (!v) fail(key, "missing");
    if (!v->is_number()) fail(key, "expected a number, found " + v->dump());
    return v->get<double>();
}
bool JsonFields::req_bool(const char* key) const {
    auto v = get(key);
    if (!v) fail(key, "missing");
    if (!v->is_boolean()) fail(key, "expected true or false, found " + v->dump());
    return v->get<bool>();
}
std::string JsonFields::req_str(const char* key) const {
    auto v = get(key);
    if (!v) fail(key, "missing");
    if (!v->is_string()) fail(key, "expected a string, found " + v->dump());
    return v->get<std::string>();
}
std::vector<int64_t> JsonFields::req_int_list(const char* key) const {
    auto v = get(key);
    if (!v) fail(key, "missing");
    if (!v->is_array()) fail(key, "expected a list of integers, found " + v->dump());
    std::vector<int64_t> out;
    for (const auto& e : *v) {
        if (!is_int(e)) fail(key, "expected a list of integers, found " + v->dump());
        out.push_back(as_int(e));
    }
    return out;
}
std::vector<std::vector<int64_t>> JsonFields::req_int_list_list(const char* key) const {
    auto v = get(key);
    if (!v) fail(key, "missing");
    if (!v->is_array()) fail(key, "expected a list of lists of integers");
    std::vector<std::vector<int64_t>> out;
    for (const auto& row : *v) {
        if (!row.is_array()) fail(key, "expected a list of lists of integers");
        std::vector<int64_t> r;
        for (const auto& e : row) {
            if (!is_int(e)) fail(key, "expected a list of lists of integers");
            r.push_back(as_int(e));
        }
        out.push_back(std::move(r));
    }
    return out;
}
std::vector<std::string> JsonFields::req_str_list(const char* key) const {
    auto v = get(key);
    if (!v) fail(key, "missing");
    if (!v->is_array()) fail(key, "expected a list of strings, found " + v->dump());
    std::vector<std::string> out;
    for (const auto& e : *v) {
        if (!e.is_string()) fail(key, "expected a list of strings, found " + v->dump());
        out.push_back(e.get<std::string>());
    }
    return out;
}
int64_t JsonFields::opt_int(const char* key, int64_t def) const { return has(key) ? req_int(key) : def; }
double JsonFields::opt_num(const char* key, double def) const { return has(key) ? req_num(key) : def; }
bool JsonFields::opt_bool(const char* key, bool def) const { return has(key) ? req_bool(key) : def; }
std::string JsonFields::opt_str(const char* key, const std::string& def) const { return has(key) ? req_str(key) : def; }
std::vector<int64_t> JsonFields::opt_int_list(const char* key, std::vector<int64_t> def) const {
    return has(key) ? req_int_list(key) : def;
}
std::vector<std::string> JsonFields::opt_str_list(const char* key, std::vector<std::string> def) const {
    return has(key) ? req_str_list(key) : def;
}
std::vector<std::string> JsonFields::opt_str_or_list(const char* key, size_t n, const std::string& def) const {
    auto v = get(key);
    if (!v) return std::vector<std::string>(n, def);
    if (v->is_string()) return std::vector<std::string>(n, v->get<std::string>());
    auto l = req_str_list(key);
    if (l.size() != n) fail(key, "expected " + std::to_string(n) + " entries, found " + std::to_string(l.size()));
    return l;
}

}  // namespace acestep
