#include "webui/names/bounded_command.h"

#include "ca/base/command_runner.h"
#include "webui/names/name_map.h"

namespace homeca::webui::names {
namespace {

constexpr std::size_t kMaxLoggedLine = 300;  // an error message with a path or two

std::string FirstLine(const std::string& output) {
  std::size_t start = output.find_first_not_of(" \t\r\n");
  if (start == std::string::npos) return {};
  std::size_t end = output.find('\n', start);
  return Printable(output.substr(start, end == std::string::npos ? std::string::npos : end - start),
                   kMaxLoggedLine);
}

Status Failure(const std::vector<std::string>& argv, const std::string& what,
               const std::string& output) {
  const std::string line = FirstLine(output);
  return Status::Io("reload command " + DescribeCommand(argv) + " " + what +
                    (line.empty() ? "" : ": " + line));
}

}  // namespace

std::string DescribeCommand(const std::vector<std::string>& argv) {
  std::string out;
  for (const std::string& word : argv) {
    const bool plain = !word.empty() && word.find_first_of(" \t'\"\\$`") == std::string::npos;
    out += (out.empty() ? "" : " ") + (plain ? Printable(word) : "'" + Printable(word) + "'");
  }
  return out;
}

Status RunBoundedCommand(const std::vector<std::string>& argv, std::chrono::milliseconds timeout) {
  if (argv.empty()) return Status::InvalidArgument("reload command: empty");
  Result<CommandEnd> ran = RunCommand(argv, {.deadline = timeout, .capture_output = true});
  if (!ran.ok()) return Failure(argv, ran.status().message(), "");
  if (ran->ok()) return Status::Ok();
  return Failure(argv, ran->Describe(), ran->output);
}

}  // namespace homeca::webui::names
