#include "enroll/device/protocol_client.h"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <catch2/catch.hpp>

#include "enroll/device/device_csr.h"
#include "enroll/pake/pairing_code.h"
#include "tests/enroll/device/fake_ca.h"

namespace homeca::enroll {
namespace {

ca::PrivateKey NewKey() {
  auto key = ca::PrivateKey::Generate(ca::KeyAlgorithm::kEcP256);
  REQUIRE(key.ok());
  return *key;
}

Poco::JSON::Object::Ptr Json(const std::string& body) {
  Poco::JSON::Parser parser;
  return parser.parse(body).extract<Poco::JSON::Object::Ptr>();
}

PairingOptions Options(const DeviceTestCa& ca) {
  PairingOptions options;
  options.clock = &ca.clock;
  return options;
}

std::string Display(const std::string& digits) {
  return digits.substr(0, 4) + "-" + digits.substr(4, 4) + "-" + digits.substr(8, 4);
}

TEST_CASE("pairing sends the protocol's messages and returns a verified chain", "[device]") {
  DeviceTestCa ca;
  const std::string code = NewCode(7);
  FakeCa fake(*ca.authority, code);
  const ca::PrivateKey key = NewKey();
  auto result = PairDevice(fake, Display(code), key, Options(ca));
  INFO(result.status().message());
  REQUIRE(result.ok());
  CHECK(fake.confirmed);

  REQUIRE(fake.requests.size() == 3);
  CHECK(fake.requests[0].path == "/enroll/v1/start");
  CHECK(fake.requests[1].path == "/enroll/v1/exchange");
  CHECK(fake.requests[2].path == "/enroll/v1/finish");
  auto start = Json(fake.requests[0].body);
  CHECK(start->getValue<int>("version") == 1);
  CHECK(start->getValue<int>("slot") == 7);
  CHECK_FALSE(start->has("device_id"));
  auto exchange = Json(fake.requests[1].body);
  auto finish = Json(fake.requests[2].body);
  CHECK(exchange->getValue<std::string>("session") == finish->getValue<std::string>("session"));
  CHECK(Base64UrlDecode(exchange->getValue<std::string>("share_p"))->size() == 65);
  CHECK(Base64UrlDecode(finish->getValue<std::string>("confirm_p"))->size() == 32);
  CHECK(finish->has("sealed_request"));
  for (const FakeCa::Request& r : fake.requests) {
    CHECK(r.body.find(code) == std::string::npos);
    CHECK(r.body.find(code.substr(2, 9)) == std::string::npos);
    CHECK(r.body.find(Display(code)) == std::string::npos);
  }

  CHECK(result->names == std::vector<std::string>{"nas.home.arpa"});
  REQUIRE(result->chain.size() == 2);
  CHECK(result->root.der() == ca.authority->root().der());
  CHECK(result->chain[1].der() == ca.authority->intermediate().der());
  CHECK(result->not_after == result->chain[0].NotAfter());  // not the answer's 2099 text
  CHECK(result->renew_url == fake.renew_url);
  CHECK(result->chain[0].SubjectAltNames() == std::vector<std::string>{"nas.home.arpa"});
}

TEST_CASE("a device with its own code identifies itself by device id", "[device]") {
  DeviceTestCa ca;
  const std::string code = NewCode(93);
  FakeCa fake(*ca.authority, code);
  PairingOptions options = Options(ca);
  options.device_id = "tv-livingroom-7f3a";
  auto result = PairDevice(fake, code, NewKey(), options);
  INFO(result.status().message());
  REQUIRE(result.ok());
  auto start = Json(fake.requests[0].body);
  CHECK(start->getValue<std::string>("device_id") == "tv-livingroom-7f3a");
  CHECK_FALSE(start->has("slot"));

  options.device_id = "bad id!";
  FakeCa other(*ca.authority, code);
  CHECK(ErrorOf(PairDevice(other, code, NewKey(), options)) == EnrollError::kInvalidArgument);
  CHECK(other.requests.empty());
}

TEST_CASE("codes with typos never reach the network", "[device]") {
  DeviceTestCa ca;
  const std::string code = NewCode();
  FakeCa fake(*ca.authority, code);
  for (const std::string& bad :
       {WithTypo(code), std::string("12345"), std::string("abcd-efgh-ijkl"), std::string(""),
        code.substr(0, 11), code + "1"}) {
    auto result = PairDevice(fake, bad, NewKey(), Options(ca));
    CHECK(ErrorOf(result) == EnrollError::kInvalidCode);
    if (!bad.empty()) CHECK(result.status().message().find(bad) == std::string::npos);
  }
  // A trivial secret (a straight run) is refused too.
  const std::string eleven = "17123456789";
  const std::string trivial = eleven + VerhoeffCheckDigit(eleven);
  auto result = PairDevice(fake, trivial, NewKey(), Options(ca));
  CHECK(ErrorOf(result) == EnrollError::kInvalidCode);
  CHECK(result.status().message().find("too easy") != std::string::npos);
  CHECK(fake.requests.empty());
}

TEST_CASE("a wrong code or an intercepted connection fails key confirmation", "[device]") {
  DeviceTestCa ca;
  SECTION("wrong code") {
    FakeCa fake(*ca.authority, NewCode(42));
    auto result = PairDevice(fake, NewCode(42), NewKey(), Options(ca));
    CHECK(ErrorOf(result) == EnrollError::kBadConfirmation);
    CHECK(result.status().message().find("wrong code or intercepted connection") !=
          std::string::npos);
    // The device stops: no finish, no confirm_p; it only tells the CA which
    // session did not match, so the admin sees that a wrong code was typed.
    REQUIRE(fake.requests.size() == 3);
    CHECK(fake.requests[2].path == "/enroll/v1/mismatch");
    auto report = Json(fake.requests[2].body);
    CHECK(report->size() == 1);
    CHECK(report->getValue<std::string>("session") ==
          Json(fake.requests[1].body)->getValue<std::string>("session"));
  }
  SECTION("another TLS certificate than the CA's") {
    const std::string code = NewCode();
    FakeCa fake(*ca.authority, code);
    fake.seen_cert_hash = RandomBytes(32);
    CHECK(ErrorOf(PairDevice(fake, code, NewKey(), Options(ca))) == EnrollError::kBadConfirmation);
  }
  SECTION("the TLS certificate changes during the run") {
    const std::string code = NewCode();
    FakeCa fake(*ca.authority, code);
    fake.change_seen_hash_at_request = 1;
    CHECK(ErrorOf(PairDevice(fake, code, NewKey(), Options(ca))) == EnrollError::kUntrusted);
  }
}

TEST_CASE("KDF parameters outside the protocol's bounds are refused", "[device]") {
  DeviceTestCa ca;
  const std::string code = NewCode();
  struct Case {
    std::size_t salt;
    std::string kdf;
    std::int64_t iterations, n, r, p;
    bool ok;
  };
  for (const Case& c : {
           Case{15, "pbkdf2-sha256", 20000, 0, 0, 0, false},
           Case{33, "pbkdf2-sha256", 20000, 0, 0, 0, false},
           Case{16, "pbkdf2-sha256", 999, 0, 0, 0, false},
           Case{16, "pbkdf2-sha256", 100001, 0, 0, 0, false},
           Case{16, "pbkdf2-sha256", -1, 0, 0, 0, false},
           Case{16, "pbkdf2-sha256", 1000, 0, 0, 0, true},
           Case{32, "pbkdf2-sha256", 1000, 0, 0, 0, true},
           // scrypt: a rogue CA must not make the device allocate gigabytes
           // (N = 2^24, r = 8: 16 GiB) or spin (p = 1000), nor go below 2^14.
           Case{16, "scrypt", 0, std::int64_t{1} << 24, 8, 1, false},
           Case{16, "scrypt", 0, std::int64_t{1} << 17, 8, 1, false},
           Case{16, "scrypt", 0, 65536, 16, 1, false},
           Case{16, "scrypt", 0, 32768, 8, 1000, false},
           Case{16, "scrypt", 0, 8192, 8, 1, false},
           Case{16, "scrypt", 0, 30000, 8, 1, false},  // not a power of two
           Case{16, "scrypt", 0, 32768, 0, 1, false},
           Case{16, "scrypt", 0, -32768, 8, 1, false},
           Case{16, "argon2id", 1000, 0, 0, 0, false},
           Case{16, "scrypt", 0, 16384, 8, 1, true},
       }) {
    FakeCa fake(*ca.authority, code);
    fake.salt = RandomBytes(c.salt);
    fake.kdf = c.kdf;
    fake.iterations = c.iterations;
    fake.scrypt_n = c.n;
    fake.scrypt_r = c.r;
    fake.scrypt_p = c.p;
    INFO("salt " << c.salt << ", " << c.kdf << " iterations " << c.iterations << " N " << c.n
                 << " r " << c.r << " p " << c.p);
    auto result = PairDevice(fake, code, NewKey(), Options(ca));
    INFO(result.status().message());
    CHECK(result.ok() == c.ok);
    if (!c.ok) {
      CHECK(ErrorOf(result) == EnrollError::kBadResponse);
      CHECK(fake.requests.size() == 1);
    }
  }
}

TEST_CASE("the device pairs with scrypt as the CA announces it", "[device]") {
  DeviceTestCa ca;
  const std::string code = NewCode();
  for (const std::string& id : {std::string(), std::string("cam-garden")}) {
    FakeCa fake(*ca.authority, code);
    fake.kdf = "scrypt";
    fake.scrypt_n = 32768;  // what a homeca CA announces
    PairingOptions options = Options(ca);
    options.device_id = id;
    auto paired = PairDevice(fake, code, NewKey(), options);
    INFO(id << ": " << paired.status().message());
    CHECK(paired.ok());
    CHECK(fake.confirmed);
  }
}

TEST_CASE("the sealed answer and its chain must check out", "[device]") {
  DeviceTestCa ca;
  const std::string code = NewCode();
  FakeCa fake(*ca.authority, code);
  SECTION("tampered") {
    fake.tamper_sealed_response = true;
    auto result = PairDevice(fake, code, NewKey(), Options(ca));
    CHECK(ErrorOf(result) == EnrollError::kUntrusted);
    CHECK(result.status().message().find("authentication") != std::string::npos);
  }
  SECTION("a root the chain does not verify to") {
    DeviceTestCa other;
    fake.root_override = other.authority->root().der();
    auto result = PairDevice(fake, code, NewKey(), Options(ca));
    CHECK(ErrorOf(result) == EnrollError::kUntrusted);
    CHECK(result.status().message().find("does not verify") != std::string::npos);
  }
  SECTION("the intermediate as root") {
    fake.root_override = ca.authority->intermediate().der();
    CHECK(ErrorOf(PairDevice(fake, code, NewKey(), Options(ca))) == EnrollError::kUntrusted);
  }
  SECTION("a name the certificate does not carry") {
    fake.claimed_names = {"nas.home.arpa", "bank.home.arpa"};
    auto result = PairDevice(fake, code, NewKey(), Options(ca));
    CHECK(ErrorOf(result) == EnrollError::kUntrusted);
    CHECK(result.status().message().find("bank.home.arpa") != std::string::npos);
  }
  SECTION("a certificate for another key") {
    auto other_key = NewKey();
    auto csr = MakeCsrDer(other_key, "someone else");
    REQUIRE(csr.ok());
    fake.issue_for_csr = ToString(*csr);
    auto result = PairDevice(fake, code, NewKey(), Options(ca));
    CHECK(ErrorOf(result) == EnrollError::kUntrusted);
    CHECK(result.status().message().find("another key") != std::string::npos);
  }
  SECTION("a root other than the fingerprint the device expects") {
    PairingOptions options = Options(ca);
    const std::string fingerprint = HexEncode(ca.authority->root().FingerprintSha256());
    options.root_fingerprint_prefix = fingerprint.substr(0, 16);
    FakeCa right(*ca.authority, code);
    CHECK(PairDevice(right, code, NewKey(), options).ok());
    options.root_fingerprint_prefix = std::string(16, fingerprint[0] == '0' ? '1' : '0');
    CHECK(ErrorOf(PairDevice(fake, code, NewKey(), options)) == EnrollError::kUntrusted);
  }
  SECTION("a device clock before the certificate's start") {
    ca::FakeClock past(ca.clock.Now() - 10 * 86400);
    PairingOptions options = Options(ca);
    options.clock = &past;
    auto result = PairDevice(fake, code, NewKey(), options);
    CHECK(ErrorOf(result) == EnrollError::kUntrusted);
    CHECK(result.status().message().find("clock") != std::string::npos);
  }
}

}  // namespace
}  // namespace homeca::enroll
