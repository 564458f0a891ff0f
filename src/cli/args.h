// Tiny flag parser for acestep-cli subcommands: every flag has a help line that shows its default,
// unknown flags and bad values are one-line errors, `-h/--help` prints the list.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace acestep::cli {

class Args {
public:
    Args(std::string command, std::string usage, std::string description);

    // Flag names may have aliases: "--prompt|--tags". `meta` names the value ("DIR", "N").
    void flag(const std::string& names, bool* out, const std::string& help);  // presence sets true
    void option(const std::string& names, std::string* out, const std::string& meta, const std::string& help);
    void option(const std::string& names, int64_t* out, const std::string& meta, const std::string& help);
    void option(const std::string& names, int* out, const std::string& meta, const std::string& help);
    void option(const std::string& names, double* out, const std::string& meta, const std::string& help);
    void option(const std::string& names, bool* out, const std::string& meta, const std::string& help);  // true/false
    // Custom parser; `on_set` runs when the flag appears (may throw acestep::Error).
    void custom(const std::string& names, const std::string& meta, const std::string& help, std::string def_text,
                std::function<void(const std::string&)> on_set);
    void positional(const std::string& meta, std::vector<std::string>* out, const std::string& help);

    // Returns false if help was printed (caller exits 0). Throws acestep::Error on bad input.
    bool parse(int argc, char** argv);
    // Whether a flag was given on the command line (any alias).
    bool given(const std::string& name) const;
    std::string help() const;

private:
    struct Opt {
        std::vector<std::string> names;
        std::string meta, help, def;
        bool is_flag = false;
        std::function<void(const std::string&)> set;
    };
    Opt* find(const std::string& name);
    std::string command_, usage_, description_;
    std::vector<Opt> opts_;
    std::vector<std::string>* positional_ = nullptr;
    std::string pos_meta_, pos_help_;
    std::vector<std::string> given_;
};

// Subcommand registry: ACESTEP_CLI_COMMAND(name, "one-line summary", fn) in any src/cli/*.cpp.
using CommandFn = int (*)(int argc, char** argv);  // argv[0] is the subcommand name
struct CommandInfo {
    const char* name;
    const char* summary;
    CommandFn fn;
};
std::vector<CommandInfo>& commands();
struct CommandRegistrar {
    CommandRegistrar(const char* name, const char* summary, CommandFn fn) { commands().push_back({name, summary, fn}); }
};
#define ACESTEP_CLI_COMMAND(ident, name, summary, fn) \
    static ::acestep::cli::CommandRegistrar acestep_cli_cmd_##ident(name, summary, fn)

}  // namespace acestep::cli
