// The names reserved for the CA itself (ca.home.arpa, and ca.local where
// .local is permitted): refused on every path that issues, in the same words,
// with nothing stored; homecad's own server identity still gets them.
#include <catch2/catch.hpp>

#include "ca/authority.h"
#include "tests/ca/ca_fixture.h"
#include "tests/ca/verify_judge.h"
#include "tests/support/csr_factory.h"
#include "tests/support/process.h"

namespace homeca::ca {
namespace {

using testing::Run;
using testing::TempDir;

constexpr char kReserved[] = "'ca.home.arpa' is reserved for the CA itself";
constexpr char kReservedLocal[] = "'ca.local' is reserved for the CA itself";

std::size_t Stored(Authority& ca) {
  auto count = ca.certificates().Count(CertificateFilter{});
  REQUIRE(count.ok());
  return static_cast<std::size_t>(*count);
}

TEST_CASE("reserved names: Issue and IssueBatch refuse the CA's own names, storing nothing") {
  TempDir dir;
  InitOptions options;
  options.permit_local = true;
  auto ca = testing::NewAuthority(dir / "ca", options);
  auto key = testing::MakeEcKey();
  const std::string csr = testing::MakeCsrPem(key.get());
  struct Case {
    std::vector<std::string> names;
    const char* message;
  };
  const Case cases[] = {{{"ca"}, kReserved},
                        {{"CA.home.arpa."}, kReserved},
                        {{"nas", "ca.home.arpa"}, kReserved},
                        {{"ca.local"}, kReservedLocal},
                        {{"nas.local", "CA.LOCAL"}, kReservedLocal}};
  for (const Case& c : cases) {
    INFO(c.names.back());
    auto issued = ca->Issue({csr, c.names, 0, "test"});
    REQUIRE_FALSE(issued.ok());
    CHECK(issued.status().IsPolicyViolation());
    CHECK(issued.status().message() == c.message);
    // Asking as homecad through the ordinary door changes nothing.
    auto as_homecad = ca->Issue({csr, c.names, 0, "homecad"});
    CHECK(as_homecad.status().message() == c.message);
    auto batch = ca->IssueBatch({IssueRequest{csr, c.names}, IssueRequest{csr, {"nas"}}});
    REQUIRE(batch.size() == 2);
    CHECK(batch[0].status().message() == c.message);
    CHECK(batch[1].ok());
  }
  CHECK(Stored(*ca) == std::size(cases));  // only the batches' "nas"

  // Names that merely look alike are a device's to have.
  for (const char* name : {"cab", "ca-1", "ca.nas.home.arpa", "nas.ca.home.arpa"}) {
    INFO(name);
    CHECK(ca->Issue({csr, {name}}).ok());
  }
}

TEST_CASE("reserved names: homecad's own server identity gets them, and nothing else extra") {
  TempDir dir;
  InitOptions options;
  options.permit_local = true;
  auto ca = testing::NewAuthority(dir / "ca", options);
  auto key = testing::MakeEcKey();
  const std::string csr = testing::MakeCsrPem(key.get());
  auto own = ca->IssueServerIdentity(csr, {"ca.home.arpa", "ca.local", "homeca.local"});
  INFO(own.status().message());
  REQUIRE(own.ok());
  CHECK(own->record.requester == "homecad");
  CHECK(own->leaf.SubjectAltNames() ==
        std::vector<std::string>{"ca.home.arpa", "ca.local", "homeca.local"});
  CHECK(testing::JudgeLeaf(*ca, own->leaf.Pem()).exit_code == 0);
  // Every other rule still holds for it.
  CHECK(ca->IssueServerIdentity(csr, {"ca.example.com"}).status().IsPolicyViolation());
  CHECK(ca->IssueServerIdentity(csr, {"ca.home.arpa", "bad name"}).status().IsPolicyViolation());
  CHECK_FALSE(ca->IssueServerIdentity("garbage", {"ca.home.arpa"}).ok());
}

testing::ProcessResult Homeca(const TempDir& dir, std::vector<std::string> args) {
  args.insert(args.begin(), testing::BuiltProgram("ca/homeca"));
  args.push_back("--data-dir=" + (dir / "ca").string());
  return Run(args);
}

TEST_CASE("reserved names: homeca issue and homeca pair add refuse them in the same words") {
  TempDir dir;
  REQUIRE(Homeca(dir, {"init", "--permit-local"}).exit_code == 0);
  auto key = testing::MakeEcKey();
  testing::WriteText(dir / "csr.pem", testing::MakeCsrPem(key.get()));
  const std::string certificates = Homeca(dir, {"list", "--json"}).out;
  const std::string pairings = Homeca(dir, {"pair", "list", "--json"}).out;
  struct Case {
    std::vector<std::string> args;
    const char* message;
  };
  const std::string csr = (dir / "csr.pem").string();
  const Case cases[] = {
      {{"issue", "--csr", csr, "--name", "ca"}, kReserved},
      {{"issue", "--csr", csr, "--name", "nas", "--name", "CA.home.arpa"}, kReserved},
      {{"issue", "--csr", csr, "--name", "ca.local"}, kReservedLocal},
      {{"pair", "add", "--name", "ca"}, kReserved},
      {{"pair", "add", "--name", "ca.local"}, kReservedLocal},
  };
  for (const Case& c : cases) {
    auto refused = Homeca(dir, c.args);
    INFO(c.args[0] << " " << c.args.back() << ": " << refused.out << refused.err);
    CHECK(refused.exit_code != 0);
    CHECK_THAT(refused.err, Catch::Contains(c.message));
    CHECK(refused.out.empty());
  }
  CHECK(Homeca(dir, {"list", "--json"}).out == certificates);
  CHECK(Homeca(dir, {"pair", "list", "--json"}).out == pairings);
  auto audit = Homeca(dir, {"audit"});
  CHECK_THAT(audit.out, !Catch::Contains("ca.local") && !Catch::Contains("ca.home.arpa"));
}

TEST_CASE("init permits .local by default, --no-local leaves it out of the constraints") {
  TempDir dir;
  REQUIRE(Homeca(dir, {"init"}).exit_code == 0);
  auto ca = Authority::Open(dir / "ca");
  REQUIRE(ca.ok());
  CHECK((*ca)->policy().permitted_domains == std::vector<std::string>{"home.arpa", "local"});
  CHECK((*ca)->policy().box_host_label == LocalHostLabel());

  TempDir opted_out;
  auto init = Homeca(opted_out, {"init", "--no-local"});
  INFO(init.err);
  REQUIRE(init.exit_code == 0);
  auto without = Authority::Open(opted_out / "ca");
  REQUIRE(without.ok());
  CHECK((*without)->policy().permitted_domains == std::vector<std::string>{"home.arpa"});
  auto refused = Homeca(opted_out, {"pair", "add", "--name", "printer.local"});
  CHECK(refused.exit_code != 0);
  CHECK_THAT(refused.err, Catch::Contains("not under a permitted domain"));

  TempDir both;
  auto contradiction = Homeca(both, {"init", "--no-local", "--permit-local"});
  CHECK(contradiction.exit_code != 0);
  CHECK_THAT(contradiction.err, Catch::Contains("contradict"));
}

}  // namespace
}  // namespace homeca::ca
