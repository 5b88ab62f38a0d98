// The command-line parser both CLIs share (ca/cli/args.h).
#include "ca/base/args.h"

#include <catch2/catch.hpp>

namespace homeca::cli {
namespace {

const CommandSpec kIssue{"issue",
                         "homeca issue --csr FILE [options] [NOTE]",
                         "issue a certificate",
                         {{"csr", "FILE", "the request"},
                          {"name", "NAME", "a DNS name", /*repeatable=*/true},
                          {"json", "", "print JSON"}},
                         /*min_positional=*/0,
                         /*max_positional=*/1};
const CommandSpec kPair{"pair",
                        "homeca-enroll pair [options]",
                        "pair this device",
                        {{"ca", "URL", "the CA"}, {"dir", "DIR", "state directory"}}};

Result<ParsedArgs> Parse(const CommandSpec& spec, std::vector<std::string> args) {
  return ParseArgs(spec, args);
}

std::string Error(const CommandSpec& spec, std::vector<std::string> args) {
  Result<ParsedArgs> parsed = ParseArgs(spec, args);
  REQUIRE_FALSE(parsed.ok());
  CHECK(parsed.status().IsInvalidArgument());
  return parsed.status().message();
}

TEST_CASE("cli args: values, inline values, flags, repeats and positionals") {
  auto parsed =
      Parse(kIssue, {"--csr", "a.csr", "--name=nas", "--json", "--name", "files", "backup box"});
  REQUIRE(parsed.ok());
  CHECK(parsed->Get("csr") == "a.csr");
  CHECK(parsed->GetAll("name") == std::vector<std::string>{"nas", "files"});
  CHECK(parsed->Get("name") == "files");  // the last one
  CHECK(parsed->Has("json"));
  CHECK(parsed->Get("json") == "");
  CHECK_FALSE(parsed->Has("missing"));
  CHECK_FALSE(parsed->Get("missing").has_value());
  CHECK(parsed->positional() == std::vector<std::string>{"backup box"});
  CHECK_FALSE(parsed->help());

  // A value may itself look like an option once it is attached with '='.
  auto dashes = Parse(kIssue, {"--csr=--odd--"});
  REQUIRE(dashes.ok());
  CHECK(dashes->Get("csr") == "--odd--");
}

TEST_CASE("cli args: --help and -h win over everything after them") {
  for (const char* help : {"--help", "-h"}) {
    auto parsed = Parse(kPair, {help, "--no-such-option"});
    REQUIRE(parsed.ok());
    CHECK(parsed->help());
  }
}

TEST_CASE("cli args: every misuse is refused with the option and the way to help") {
  CHECK(Error(kPair, {"--bogus"}) == "unknown option --bogus (see 'homeca-enroll pair --help')");
  CHECK(Error(kIssue, {"--bogus=1"}) == "unknown option --bogus (see 'homeca issue --help')");
  CHECK(Error(kPair, {"--ca", "a", "--ca=b"}) == "--ca given more than once");
  CHECK(Error(kPair, {"--ca"}) == "--ca needs a value");
  CHECK(Error(kIssue, {"--json=yes"}) == "--json takes no value");
  CHECK(Error(kPair, {"stray"}) == "unexpected argument 'stray' (see 'homeca-enroll pair --help')");
  CHECK(Error(kIssue, {"one", "two"}) == "usage: homeca issue --csr FILE [options] [NOTE]");
}

TEST_CASE("cli args: help lists every option, its value and --help, in columns") {
  const std::string help = HelpText(kIssue);
  CHECK_THAT(help, Catch::StartsWith("usage: homeca issue --csr FILE [options] [NOTE]\n\n"
                                     "issue a certificate\n\noptions:\n"));
  CHECK_THAT(help, Catch::Contains("\n  --csr FILE                  the request\n"));
  CHECK_THAT(help, Catch::Contains("\n  --name NAME                 a DNS name (repeatable)\n"));
  CHECK_THAT(help, Catch::Contains("\n  --help                      show this help\n"));
}

TEST_CASE("cli args: whole numbers in range only") {
  CHECK(*ParseInt("days", "90", 1, 825) == 90);
  for (const char* bad : {"", "0", "826", "9x", " 9", "+9", "1e2", "99999999999"}) {
    INFO(bad);
    auto parsed = ParseInt("days", bad, 1, 825);
    REQUIRE_FALSE(parsed.ok());
    CHECK(parsed.status().message() == "--days must be a whole number from 1 to 825");
  }
  CHECK(ParseInt("timeout", "0", 1, 3600, "seconds").status().message() ==
        "--timeout must be a whole number of seconds from 1 to 3600");
}

}  // namespace
}  // namespace homeca::cli
