// Flag parsing for acestep-cli (see args.h).
#include "cli/args.h"

#include <cmath>
#include <cstdio>
#include <sstream>

#include "acestep/error.h"

namespace acestep::cli {

std::vector<CommandInfo>& commands() {
    static std::vector<CommandInfo> c;
    return c;
}

namespace {
std::vector<std::string> split_names(const std::string& s) {
    std::vector<std::string> out;
    std::stringstream ss(s);
    std::string n;
    while (std::getline(ss, n, '|')) out.push_back(n);
    return out;
}
std::string num_text(double v) {
    std::ostringstream o;
    o << v;
    return o.str();
}
}  // namespace

Args::Args(std::string command, std::string usage, std::string description)
    : command_(std::move(command)), usage_(std::move(usage)), description_(std::move(description)) {}

void Args::flag(const std::string& names, bool* out, const std::string& help) {
    Opt o{split_names(names), "", help, "", true, [out](const std::string&) { *out = true; }};
    opts_.push_back(o);
}

void Args::option(const std::string& names, std::string* out, const std::string& meta, const std::string& help) {
    opts_.push_back({split_names(names), meta, help, out->empty() ? "" : *out, false, [out](const std::string& v) { *out = v; }});
}

void Args::option(const std::string& names, int64_t* out, const std::string& meta, const std::string& help) {
    const std::string nm = split_names(names)[0];
    opts_.push_back({split_names(names), meta, help, std::to_string(*out), false, [out, nm](const std::string& v) {
                         size_t pos = 0;
                         long long x = 0;
                         try {
                             x = std::stoll(v, &pos);
                         } catch (...) {
                             pos = 0;
                         }
                         if (pos == 0 || pos != v.size()) throw Error(nm + ": '" + v + "' is not an integer");
                         *out = x;
                     }});
}

void Args::option(const std::string& names, int* out, const std::string& meta, const std::string& help) {
    const std::string nm = split_names(names)[0];
    opts_.push_back({split_names(names), meta, help, std::to_string(*out), false, [out, nm](const std::string& v) {
                         size_t pos = 0;
                         long x = 0;
                         try {
                             x = std::stol(v, &pos);
                         } catch (...) {
                             pos = 0;
                         }
                         if (pos == 0 || pos != v.size() || x < -2147483647l || x > 2147483647l)
                             throw Error(nm + ": '" + v + "' is not an integer");
                         *out = (int)x;
                     }});
}

void Args::option(const std::string& names, double* out, const std::string& meta, const std::string& help) {
    const std::string nm = split_names(names)[0];
    opts_.push_back({split_names(names), meta, help, num_text(*out), false, [out, nm](const std::string& v) {
                         size_t pos = 0;
                         double x = 0;
                         try {
                             x = std::stod(v, &pos);
                         } catch (...) {
                             pos = 0;
                         }
                         if (pos == 0 || pos != v.size() || !std::isfinite(x)) throw Error(nm + ": '" + v + "' is not a number");
                         *out = x;
                     }});
}

void Args::option(const std::string& names, bool* out, const std::string& meta, const std::string& help) {
    const std::string nm = split_names(names)[0];
    opts_.push_back({split_names(names), meta, help, *out ? "true" : "false", false, [out, nm](const std::string& v) {
                         if (v == "true" || v == "1" || v == "on" || v == "yes") *out = true;
                         else if (v == "false" || v == "0" || v == "off" || v == "no") *out = false;
                         else throw Error(nm + ": expected true or false, got '" + v + "'");
                     }});
}

void Args::custom(const std::string& names, const std::string& meta, const std::string& help, std::string def_text,
                  std::function<void(const std::string&)> on_set) {
    opts_.push_back({split_names(names), meta, help, std::move(def_text), meta.empty(), std::move(on_set)});
}

void Args::positional(const std::string& meta, std::vector<std::string>* out, const std::string& help) {
    positional_ = out;
    pos_meta_ = meta;
    pos_help_ = help;
}

Args::Opt* Args::find(const std::string& name) {
    for (auto& o : opts_)
        for (const auto& n : o.names)
            if (n == name) return &o;
    return nullptr;
}

bool Args::given(const std::string& name) const {
    for (const auto& o : opts_) {
        bool match = false;
        for (const auto& n : o.names) match |= n == name;
        if (!match) continue;
        for (const auto& g : given_)
            for (const auto& n : o.names)
                if (g == n) return true;
    }
    return false;
}

bool Args::parse(int argc, char** argv) {
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "-h" || a == "--help") {
            std::fputs(help().c_str(), stdout);
            return false;
        }
        if (a.size() > 1 && a[0] == '-' && !(a.size() > 1 && (std::isdigit((unsigned char)a[1]) || a[1] == '.'))) {
            std::string val;
            bool has_val = false;
            auto eq = a.find('=');
            if (eq != std::string::npos) {
                val = a.substr(eq + 1);
                a = a.substr(0, eq);
                has_val = true;
            }
            Opt* o = find(a);
            if (!o) throw Error(command_ + ": unknown option '" + a + "' (see " + command_ + " -h)");
            given_.push_back(a);
            if (o->is_flag) {
                if (has_val) throw Error(command_ + ": " + a + " takes no value");
                o->set("");
                continue;
            }
            if (!has_val) {
                if (i + 1 >= argc) throw Error(command_ + ": " + a + " needs a value (" + o->meta + ")");
                val = argv[++i];
            }
            o->set(val);
        } else {
            if (!positional_) throw Error(command_ + ": unexpected argument '" + a + "' (see " + command_ + " -h)");
            positional_->push_back(a);
        }
    }
    return true;
}

std::string Args::help() const {
    std::ostringstream o;
    o << "usage: acestep-cli " << command_ << " " << usage_ << "\n\n" << description_ << "\n\n";
    if (positional_) o << "  " << pos_meta_ << "\n      " << pos_help_ << "\n";
    for (const auto& opt : opts_) {
        o << "  ";
        for (size_t i = 0; i < opt.names.size(); ++i) o << (i ? ", " : "") << opt.names[i];
        if (!opt.meta.empty() && !opt.is_flag) o << " " << opt.meta;
        o << "\n      " << opt.help;
        if (!opt.def.empty()) o << " (default: " << opt.def << ")";
        o << "\n";
    }
    o << "  -h, --help\n      show this help\n";
    return o.str();
}

}  // namespace acestep::cli
