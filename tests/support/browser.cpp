#include "tests/support/browser.h"

#include <catch2/catch.hpp>
#include <regex>
#include <sstream>

namespace homeca::testing {
namespace {

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

std::vector<std::string> HttpResult::Headers(const std::string& name) const {
  std::vector<std::string> values;
  std::istringstream in(headers);
  std::string line;
  const std::string wanted = Lower(name) + ":";
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (Lower(line.substr(0, wanted.size())) == wanted) {
      std::string value = line.substr(wanted.size());
      value.erase(0, value.find_first_not_of(' '));
      values.push_back(value);
    }
  }
  return values;
}

std::string HttpResult::Header(const std::string& name) const {
  auto values = Headers(name);
  return values.empty() ? "" : values.back();
}

Browser::Browser(const TempDir& dir, const std::string& name, const std::string& source)
    : dir_(dir), jar_((dir / (name + ".jar")).string()), name_(name), source_(source) {}

HttpResult Browser::Curl(std::vector<std::string> args) const {
  const std::string headers = (dir_ / (name_ + ".headers")).string();
  const std::string body = (dir_ / (name_ + ".body")).string();
  std::vector<std::string> argv = {"curl",  "-sS", "-k", "--max-time", "20",
                                   "-b",    jar_,  "-c", jar_,         "-D",
                                   headers, "-o",  body, "-w",         "%{http_code}"};
  if (!source_.empty()) argv.insert(argv.end(), {"--interface", source_});
  argv.insert(argv.end(), args.begin(), args.end());
  ProcessResult run = Run(argv);
  INFO(run.err);
  REQUIRE(run.exit_code == 0);
  HttpResult result;
  result.status = std::stoi(run.out);
  result.headers = ReadText(headers);
  result.body = ReadText(body);
  return result;
}

HttpResult Browser::Get(const std::string& url, const std::vector<std::string>& extra) const {
  std::vector<std::string> args = extra;
  args.push_back(url);
  return Curl(args);
}

HttpResult Browser::Post(const std::string& url, const FormFields& fields,
                         const std::vector<std::string>& extra) const {
  std::vector<std::string> args = extra;
  args.push_back("--data-urlencode");
  args.push_back("_=");  // always send a body, even without fields
  for (const auto& [name, value] : fields) {
    args.push_back("--data-urlencode");
    args.push_back(name + "=" + value);
  }
  args.push_back(url);
  return Curl(args);
}

HttpResult Browser::Submit(const std::string& page_url, const std::string& action,
                           FormFields fields) const {
  HttpResult page = Get(page_url);
  INFO(page.body);
  REQUIRE(page.status == 200);
  const std::string token = CsrfToken(page.body);
  REQUIRE_FALSE(token.empty());
  fields.emplace_back("csrf", token);
  return Post(action, fields);
}

std::string TestIdText(const std::string& html, const std::string& id) {
  // <wbr> (line-break hints in fingerprints) is markup, not text.
  const std::regex pattern("data-testid=\"" + id + "\"[^>]*>((?:[^<]|<wbr>)*)<");
  std::smatch match;
  if (!std::regex_search(html, match, pattern)) return "";
  return std::regex_replace(match[1].str(), std::regex("<wbr>"), "");
}

int CountTestId(const std::string& html, const std::string& id) {
  const std::string needle = "data-testid=\"" + id + "\"";
  int count = 0;
  for (std::size_t at = html.find(needle); at != std::string::npos;
       at = html.find(needle, at + 1)) {
    ++count;
  }
  return count;
}

std::string CsrfToken(const std::string& html) {
  static const std::regex pattern(R"re(name="csrf" value="([^"]*)")re");
  std::smatch match;
  if (!std::regex_search(html, match, pattern)) return "";
  return match[1];
}

}  // namespace homeca::testing
