// What a CSR asks to be named, and the check that it asks for nothing but
// the device's names (ca/csr.h): the CA decides names, so a CSR made for
// someone else's name is refused in plain words rather than quietly ignored.
#include <catch2/catch.hpp>

#include "ca/csr.h"
#include "tests/support/csr_factory.h"

namespace homeca::ca {
namespace {

using testing::CsrOptions;

CertificateRequest Csr(const CsrOptions& options) {
  ossl::Pkey key = testing::MakeEcKey();
  Result<CertificateRequest> csr =
      CertificateRequest::Parse(testing::MakeCsrPem(key.get(), options));
  REQUIRE(csr.ok());
  return *csr;
}

const std::vector<std::string> kNas = {"nas.home.arpa", "nas.local"};

TEST_CASE("a CSR's requested names: common name and DNS SANs, normalized, once each") {
  CsrOptions options;
  options.common_name = "NAS.home.arpa.";
  options.dns_names = {"nas.home.arpa", "Nas.Local"};
  CHECK(Csr(options).RequestedNames() == std::vector<std::string>{"nas.home.arpa", "nas.local"});
  options.common_name = "";
  options.dns_names = {};
  CHECK(Csr(options).RequestedNames().empty());
}

TEST_CASE("a CSR asking for the device's names, some of them or none passes") {
  CsrOptions options;
  options.common_name = "nas.home.arpa";
  options.dns_names = {"nas.local"};
  CHECK(CheckCsrAsksOnlyFor(Csr(options), kNas).ok());
  options.dns_names = {};
  CHECK(CheckCsrAsksOnlyFor(Csr(options), kNas).ok());
  options.common_name = "";
  CHECK(CheckCsrAsksOnlyFor(Csr(options), kNas).ok());
}

TEST_CASE("a CSR asking for another name is refused, saying what to put in it") {
  CsrOptions options;
  options.common_name = "nas.home.arpa";
  options.dns_names = {"nas.home.arpa", "bank.example.com"};
  Status status = CheckCsrAsksOnlyFor(Csr(options), kNas);
  REQUIRE(status.IsPolicyViolation());
  CHECK(status.message() ==
        "the CSR asks for 'bank.example.com', but this device's names are nas.home.arpa and "
        "nas.local. homeca decides the names: make the CSR again with Common Name "
        "nas.home.arpa (or with no names at all); nothing was issued");

  options.dns_names = {};
  options.common_name = "printer.home.arpa";  // another device's name
  CHECK(CheckCsrAsksOnlyFor(Csr(options), kNas).IsPolicyViolation());
  options.common_name = "Synology NAS";  // a label, not a name
  CHECK(CheckCsrAsksOnlyFor(Csr(options), kNas).message().find("'synology nas'") !=
        std::string::npos);
}

TEST_CASE("a CSR's long hostile name is cut short in the message") {
  CsrOptions options;
  options.common_name = "";
  options.dns_names = {std::string(60, 'a') + "." + std::string(60, 'b') + ".example"};
  Status status = CheckCsrAsksOnlyFor(Csr(options), kNas);
  REQUIRE(status.IsPolicyViolation());
  CHECK(status.message().find(std::string(60, 'b')) == std::string::npos);
  CHECK(status.message().find("...'") != std::string::npos);
}

}  // namespace
}  // namespace homeca::ca
