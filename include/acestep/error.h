// acestep::Error — the one exception type the core library throws for bad input.
//
// Its message is a single line that names the file (or parameter) and the problem, ready to be
// shown to a user as is: "ace_step_transformer/config.json: field 'num_layers': expected an integer".
#pragma once

#include <stdexcept>
#include <string>

namespace acestep {

class Error : public std::runtime_error {
public:
    explicit Error(const std::string& msg) : std::runtime_error(msg) {}
};

// Thrown when a user cancels a long job; never an error to report.
class Cancelled : public std::runtime_error {
public:
    Cancelled() : std::runtime_error("cancelled") {}
};

}  // namespace acestep
