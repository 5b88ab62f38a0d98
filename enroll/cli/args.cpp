#include "enroll/cli/args.h"

#include <algorithm>

namespace homeca::enroll_cli {

std::optional<std::string> ParsedArgs::Get(const std::string& name) const {
  auto it = values_.find(name);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

Result<ParsedArgs> ParseArgs(const CommandSpec& spec, const std::vector<std::string>& args) {
  ParsedArgs parsed;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--help" || arg == "-h") {
      parsed.help_ = true;
      return parsed;
    }
    if (arg.rfind("--", 0) != 0 || arg == "--") {
      return Status::InvalidArgument("unexpected argument '" + arg + "' (see 'homeca-enroll " +
                                     spec.name + " --help')");
    }
    std::string name = arg.substr(2);
    std::optional<std::string> value;
    if (auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name.resize(eq);
    }
    auto option = std::find_if(spec.options.begin(), spec.options.end(),
                               [&](const OptionSpec& o) { return o.name == name; });
    if (option == spec.options.end()) {
      return Status::InvalidArgument("unknown option --" + name + " (see 'homeca-enroll " +
                                     spec.name + " --help')");
    }
    if (parsed.values_.count(name) != 0) {
      return Status::InvalidArgument("--" + name + " given more than once");
    }
    if (option->value_name.empty()) {
      if (value) return Status::InvalidArgument("--" + name + " takes no value");
      parsed.values_[name] = "";
      continue;
    }
    if (!value) {
      if (i + 1 >= args.size()) return Status::InvalidArgument("--" + name + " needs a value");
      value = args[++i];
    }
    parsed.values_[name] = *value;
  }
  return parsed;
}

std::string HelpText(const CommandSpec& spec) {
  std::string out = "usage: " + spec.usage + "\n\n" + spec.summary + "\n\noptions:\n";
  std::vector<OptionSpec> all = spec.options;
  all.push_back({"help", "", "show this help"});
  for (const OptionSpec& o : all) {
    std::string left = "  --" + o.name + (o.value_name.empty() ? "" : " " + o.value_name);
    if (left.size() < 24) {
      left.resize(24, ' ');
    } else {
      left += "\n" + std::string(24, ' ');
    }
    out += left + o.help + "\n";
  }
  return out;
}

}  // namespace homeca::enroll_cli
