// The command-line parser both CLIs share (`homeca <command>` and
// `homeca-enroll <command>`): long options only ("--name nas" or
// "--name=nas"), repeatable where a command says so, positional arguments
// where it allows them, and generated --help text.
//
// Thread-safety: plain values and pure functions.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "ca/base/status.h"

namespace homeca::cli {

struct OptionSpec {
  std::string name;        // without the leading "--"
  std::string value_name;  // "" for a flag
  std::string help;
  bool repeatable = false;
};

struct CommandSpec {
  std::string name;
  std::string usage;    // program first, e.g. "homeca issue --csr FILE --name NAME... [options]"
  std::string summary;  // one line
  std::vector<OptionSpec> options;
  int min_positional = 0;
  int max_positional = 0;
};

class ParsedArgs {
 public:
  bool Has(const std::string& name) const { return values_.count(name) != 0; }
  // The value (the last one, for a repeatable option); "" for a flag given.
  std::optional<std::string> Get(const std::string& name) const;
  std::vector<std::string> GetAll(const std::string& name) const;
  const std::vector<std::string>& positional() const { return positional_; }
  bool help() const { return help_; }

 private:
  friend Result<ParsedArgs> ParseArgs(const CommandSpec&, const std::vector<std::string>&);
  std::map<std::string, std::vector<std::string>> values_;
  std::vector<std::string> positional_;
  bool help_ = false;
};

// Every command also accepts --help (and -h). InvalidArgument, naming the
// option and how to get help, for anything the spec does not allow.
Result<ParsedArgs> ParseArgs(const CommandSpec& spec, const std::vector<std::string>& args);
std::string HelpText(const CommandSpec& spec);

// Parses a whole decimal number in [min, max]; names the option (and the
// unit, e.g. "seconds", when given) in errors.
Result<int> ParseInt(const std::string& option, const std::string& text, int min, int max,
                     const std::string& unit = "");

}  // namespace homeca::cli
