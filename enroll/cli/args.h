// A tiny parser for `homeca-enroll <command> [options]`: long options only
// ("--ca URL" or "--ca=URL"), no positional arguments, generated --help.
// (The admin CLI's parser lives inside the `homeca` executable and carries
// its --data-dir option, so the device CLI has its own, smaller one.)
//
// Thread-safety: plain values and pure functions.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "ca/status.h"

namespace homeca::enroll_cli {

struct OptionSpec {
  std::string name;        // without "--"
  std::string value_name;  // "" for a flag
  std::string help;
};

struct CommandSpec {
  std::string name;
  std::string usage;
  std::string summary;
  std::vector<OptionSpec> options;
};

class ParsedArgs {
 public:
  bool Has(const std::string& name) const { return values_.count(name) != 0; }
  std::optional<std::string> Get(const std::string& name) const;
  bool help() const { return help_; }

 private:
  friend Result<ParsedArgs> ParseArgs(const CommandSpec&, const std::vector<std::string>&);
  std::map<std::string, std::string> values_;
  bool help_ = false;
};

Result<ParsedArgs> ParseArgs(const CommandSpec& spec, const std::vector<std::string>& args);
std::string HelpText(const CommandSpec& spec);

}  // namespace homeca::enroll_cli
