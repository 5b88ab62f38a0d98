// Root exports, checked with independent parsers (openssl, Python's plistlib).
#include <catch2/catch.hpp>

#include "ca/authority.h"
#include "ca/root_export.h"
#include "tests/ca/ca_fixture.h"
#include "tests/support/process.h"

namespace homeca::ca {
namespace {

TEST_CASE("PEM, DER and fingerprint agree with openssl") {
  testing::TempDir dir;
  auto created = testing::NewAuthority(dir / "ca");
  const Certificate& root = created->root();
  testing::WriteText(dir / "root.der", ExportRoot(root, RootFormat::kDer));
  auto fp = testing::Run({"openssl", "x509", "-inform", "DER", "-in", (dir / "root.der").string(),
                          "-noout", "-fingerprint", "-sha256"});
  REQUIRE(fp.exit_code == 0);
  CHECK_THAT(fp.out, Catch::Contains(RootFingerprint(root)));
  CHECK(RootFingerprint(root).size() == 32 * 3 - 1);
  CHECK(ExportRoot(root, RootFormat::kPem) == testing::ReadText(created->data_dir().root_cert()));
  CHECK(std::string(InfoFor(RootFormat::kMobileconfig).mime_type) ==
        "application/x-apple-aspen-config");
  CHECK(std::string(InfoFor(RootFormat::kDer).mime_type) == "application/x-x509-ca-cert");
  CHECK_FALSE(ParseRootFormat("p12").ok());
}

TEST_CASE("the Apple configuration profile is a property list holding the root") {
  if (!testing::HaveProgram("python3")) {
    FAIL("python3 is needed to parse the property list independently");
  }
  testing::TempDir dir;
  auto a = testing::NewAuthority(dir / "a");
  auto b = testing::NewAuthority(dir / "b");
  const std::string profile = ExportRoot(a->root(), RootFormat::kMobileconfig);
  testing::WriteText(dir / "root.mobileconfig", profile);
  testing::WriteText(dir / "root.der", ExportRoot(a->root(), RootFormat::kDer));
  const std::string script =
      "import plistlib, sys\n"
      "p = plistlib.load(open(sys.argv[1], 'rb'))\n"
      "assert p['PayloadType'] == 'Configuration', p['PayloadType']\n"
      "(c,) = p['PayloadContent']\n"
      "assert c['PayloadType'] == 'com.apple.security.root'\n"
      "assert c['PayloadContent'] == open(sys.argv[2], 'rb').read()\n"
      "print(p['PayloadIdentifier'], p['PayloadUUID'], c['PayloadUUID'], "
      "c['PayloadDisplayName'])\n";
  auto parsed = testing::Run(
      {"python3", "-c", script, (dir / "root.mobileconfig").string(), (dir / "root.der").string()});
  INFO(parsed.err);
  REQUIRE(parsed.exit_code == 0);
  CHECK_THAT(parsed.out, Catch::StartsWith("arpa.home.homeca."));
  CHECK_THAT(parsed.out, Catch::Contains(a->root().SubjectCommonName()));
  // Stable for one CA, distinct across CAs.
  CHECK(ExportRoot(a->root(), RootFormat::kMobileconfig) == profile);
  CHECK(ExportRoot(b->root(), RootFormat::kMobileconfig) != profile);
}

TEST_CASE("names in the profile are XML-escaped") {
  testing::TempDir dir;
  InitOptions options;
  options.organization = "Tom & Jerry's <home>";
  auto created = testing::NewAuthority(dir / "ca", options);
  const std::string profile = ExportRoot(created->root(), RootFormat::kMobileconfig);
  CHECK_THAT(profile, Catch::Contains("Tom &amp; Jerry&apos;s &lt;home&gt;"));
  CHECK_THAT(profile, !Catch::Contains("<home>"));
}

}  // namespace
}  // namespace homeca::ca
