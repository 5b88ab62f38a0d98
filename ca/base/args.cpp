#include "ca/base/args.h"

#include <algorithm>
#include <charconv>

namespace homeca::cli {
namespace {

constexpr std::size_t kHelpColumn = 30;

const OptionSpec* Find(const CommandSpec& spec, const std::string& name) {
  auto it = std::find_if(spec.options.begin(), spec.options.end(),
                         [&](const OptionSpec& o) { return o.name == name; });
  return it == spec.options.end() ? nullptr : &*it;
}

// " (see 'homeca-enroll pair --help')": the program is the usage's first word.
std::string SeeHelp(const CommandSpec& spec) {
  const std::string program = spec.usage.substr(0, spec.usage.find(' '));
  return " (see '" + program + " " + spec.name + " --help')";
}

}  // namespace

std::optional<std::string> ParsedArgs::Get(const std::string& name) const {
  auto it = values_.find(name);
  if (it == values_.end() || it->second.empty()) return std::nullopt;
  return it->second.back();
}

std::vector<std::string> ParsedArgs::GetAll(const std::string& name) const {
  auto it = values_.find(name);
  return it == values_.end() ? std::vector<std::string>{} : it->second;
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
      if (spec.max_positional == 0) {
        return Status::InvalidArgument("unexpected argument '" + arg + "'" + SeeHelp(spec));
      }
      parsed.positional_.push_back(arg);
      continue;
    }
    std::string name = arg.substr(2);
    std::optional<std::string> inline_value;
    if (auto eq = name.find('='); eq != std::string::npos) {
      inline_value = name.substr(eq + 1);
      name.resize(eq);
    }
    const OptionSpec* option = Find(spec, name);
    if (option == nullptr) {
      return Status::InvalidArgument("unknown option --" + name + SeeHelp(spec));
    }
    if (!option->repeatable && parsed.values_.count(name) != 0) {
      return Status::InvalidArgument("--" + name + " given more than once");
    }
    if (option->value_name.empty()) {
      if (inline_value) return Status::InvalidArgument("--" + name + " takes no value");
      parsed.values_[name].push_back("");
      continue;
    }
    if (!inline_value) {
      if (i + 1 >= args.size()) return Status::InvalidArgument("--" + name + " needs a value");
      inline_value = args[++i];
    }
    parsed.values_[name].push_back(*inline_value);
  }
  const int count = static_cast<int>(parsed.positional_.size());
  if (count < spec.min_positional || count > spec.max_positional) {
    return Status::InvalidArgument("usage: " + spec.usage);
  }
  return parsed;
}

std::string HelpText(const CommandSpec& spec) {
  std::string out = "usage: " + spec.usage + "\n\n" + spec.summary + "\n\noptions:\n";
  std::vector<OptionSpec> all = spec.options;
  all.push_back({"help", "", "show this help"});
  for (const OptionSpec& o : all) {
    std::string left = "  --" + o.name + (o.value_name.empty() ? "" : " " + o.value_name);
    if (left.size() < kHelpColumn) {
      left.resize(kHelpColumn, ' ');
    } else {
      left += "\n" + std::string(kHelpColumn, ' ');
    }
    out += left + o.help + (o.repeatable ? " (repeatable)" : "") + "\n";
  }
  return out;
}

Result<int> ParseInt(const std::string& option, const std::string& text, int min, int max,
                     const std::string& unit) {
  int value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < min || value > max) {
    return Status::InvalidArgument("--" + option + " must be a whole number " +
                                   (unit.empty() ? "" : "of " + unit + " ") + "from " +
                                   std::to_string(min) + " to " + std::to_string(max));
  }
  return value;
}

}  // namespace homeca::cli
