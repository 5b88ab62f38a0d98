#include "tests/enroll/enroll_fixture.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Parser.h>

#include <catch2/catch.hpp>
#include <ctime>

#include "ca/base/file_util.h"
#include "ca/cert_builder.h"
#include "ca/csr.h"
#include "ca/leaf_profile.h"
#include "ca/x509/certificate.h"
#include "ca/x509/key.h"
#include "enroll/pairing_admin.h"
#include "tests/support/csr_factory.h"

namespace homeca::enroll {

TestCa::TestCa() : clock(static_cast<std::int64_t>(std::time(nullptr))) {
  auto created = ca::Authority::Init(dir / "ca", ca::InitOptions{}, clock);
  INFO(created.status().message());
  REQUIRE(created.ok());
  authority = std::move(*created);
}

std::int64_t TestCa::CertificateCount() {
  auto count = authority->certificates().Count({});
  REQUIRE(count.ok());
  return *count;
}

std::vector<ca::AuditEntry> TestCa::AuditLog() {
  auto entries = authority->audit_log().ListAudit(1000, 0);
  REQUIRE(entries.ok());
  return *entries;
}

std::string TestCa::AuditText() {
  std::string out;
  for (const ca::AuditEntry& e : AuditLog()) {
    out += e.actor + " | " + e.action + " | " + e.detail + "\n";
  }
  return out;
}

Bytes RandomServerHash() { return RandomBytes(32); }

EnrollmentOptions TestOptions(const Bytes& server_hash) {
  EnrollmentOptions options;
  options.server_cert_sha256 = server_hash;
  options.renew_url = "https://ca.home.arpa/enroll/v1/renew";
  return options;
}

Poco::JSON::Object::Ptr Json(const std::string& body) {
  try {
    Poco::JSON::Parser parser;
    Poco::Dynamic::Var value = parser.parse(body);
    REQUIRE(value.type() == typeid(Poco::JSON::Object::Ptr));
    return value.extract<Poco::JSON::Object::Ptr>();
  } catch (const Poco::Exception& e) {
    FAIL("not JSON: " << body << " (" << e.displayText() << ")");
  }
  return {};
}

std::string ErrorOf(const EnrollmentResponse& response) {
  Poco::JSON::Object::Ptr body = Json(response.body);
  if (!body->has("error")) return "";
  CHECK(body->has("message"));
  return body->getValue<std::string>("error");
}

EnrollmentResponse Post(EnrollmentService& service, const std::string& endpoint,
                        const std::string& body, std::vector<Bytes> client_chain,
                        std::string peer_address) {
  return service.Handle(
      {"/enroll/v1/" + endpoint, body, std::move(client_chain), std::move(peer_address)});
}

std::string NewCsrDer() {
  auto key = testing::MakeEcKey();
  return testing::MakeCsrDer(key.get());
}

testing::ProcessResult VerifyWithOpenssl(const Poco::JSON::Object::Ptr& result,
                                         const Bytes& root_der, const std::string& hostname) {
  Poco::JSON::Array::Ptr chain = result->getArray("chain");
  REQUIRE(chain);
  REQUIRE(chain->size() == 2);
  auto pem = [](const std::string& b64) {
    auto der = Base64UrlDecode(b64);
    REQUIRE(der.has_value());
    auto cert = ca::Certificate::FromDer(*der);
    REQUIRE(cert.ok());
    return cert->Pem();
  };
  testing::TempDir dir;
  testing::WriteText(dir / "leaf.pem", pem(chain->getElement<std::string>(0)));
  testing::WriteText(dir / "intermediate.pem", pem(chain->getElement<std::string>(1)));
  testing::WriteText(dir / "root.pem", pem(Base64UrlEncode(root_der)));
  return testing::Run({"openssl", "verify", "-x509_strict", "-purpose", "sslserver",
                       "-verify_hostname", hostname, "-CAfile", (dir / "root.pem").string(),
                       "-untrusted", (dir / "intermediate.pem").string(),
                       (dir / "leaf.pem").string()});
}

TestDevice::TestDevice(EnrollmentService& service, std::string start_body, std::string id_prover,
                       std::string code, Bytes server_hash)
    : service_(&service),
      start_body_(std::move(start_body)),
      id_prover_(std::move(id_prover)),
      code_(std::move(code)),
      server_hash_(std::move(server_hash)) {}

TestDevice TestDevice::ForSlot(EnrollmentService& service, std::string code, Bytes server_hash) {
  REQUIRE(code.size() == 12);
  const std::string slot = code.substr(0, 2);
  return TestDevice(service, R"({"version": 1, "slot": )" + std::to_string(std::stoi(slot)) + "}",
                    "slot:" + slot, std::move(code), std::move(server_hash));
}

TestDevice TestDevice::ForDevice(EnrollmentService& service, std::string device_id,
                                 std::string code, Bytes server_hash) {
  return TestDevice(service, R"({"version": 1, "device_id": ")" + device_id + "\"}",
                    "device:" + device_id, std::move(code), std::move(server_hash));
}

std::string TestDevice::session_b64() const { return Base64UrlEncode(session_); }

EnrollmentResponse TestDevice::Start() {
  EnrollmentResponse r = Post(*service_, "start", start_body_, {}, peer_address_);
  prover_.reset();
  confirmed_ = false;
  if (r.http_status != 200) return r;
  auto body = Json(r.body);
  session_ = Base64UrlDecode(body->getValue<std::string>("session")).value();
  salt_ = Base64UrlDecode(body->getValue<std::string>("salt")).value();
  const std::string kdf = body->getValue<std::string>("kdf");
  if (kdf == "scrypt") {
    std::uint64_t n = body->getValue<std::uint64_t>("n");
    int log2_n = 0;
    while ((std::uint64_t{1} << log2_n) < n) ++log2_n;
    kdf_ = PasswordKdf::Scrypt(log2_n, body->getValue<std::uint32_t>("r"),
                               body->getValue<std::uint32_t>("p"));
  } else {
    REQUIRE(kdf == "pbkdf2-sha256");
    kdf_ = PasswordKdf::Pbkdf2(body->getValue<std::uint32_t>("iterations"));
  }
  CHECK(session_.size() == 16);
  return r;
}

EnrollmentResponse TestDevice::Exchange() {
  if (!secrets_ || secrets_salt_ != salt_) {
    auto derived = DeriveProverSecrets(code_, id_prover_, "homeca", salt_, kdf_);
    REQUIRE(derived.ok());
    secrets_.emplace(std::move(*derived));
    secrets_salt_ = salt_;
  }
  Bytes context = ToBytes("homeca-enroll-v1");
  context.insert(context.end(), server_hash_.begin(), server_hash_.end());
  auto prover =
      Spake2PlusProver::Create({context, ToBytes(id_prover_), ToBytes("homeca")}, *secrets_);
  REQUIRE(prover.ok());
  prover_.emplace(std::move(*prover));
  EnrollmentResponse r = Post(*service_, "exchange",
                              R"({"session": ")" + session_b64() + R"(", "share_p": ")" +
                                  Base64UrlEncode(prover_->share_p()) + "\"}",
                              {}, peer_address_);
  if (r.http_status != 200) return r;
  auto body = Json(r.body);
  const Bytes share_v = Base64UrlDecode(body->getValue<std::string>("share_v")).value();
  const Bytes confirm_v = Base64UrlDecode(body->getValue<std::string>("confirm_v")).value();
  Result<Bytes> confirm_p = prover_->Finish(share_v, confirm_v);
  confirmed_ = confirm_p.ok();
  confirm_p_ = confirmed_ ? *confirm_p : prover_->TranscriptForTesting().confirm_p;
  return r;
}

namespace {

// The key a device would seal with: its confirmed K_shared, or (for a device
// with the wrong code) what its own transcript computed.
SecretBytes DeviceKey(const Spake2PlusProver& prover, bool confirmed) {
  if (confirmed) return prover.SharedKey().value();
  return prover.TranscriptForTesting().k_shared;
}

Bytes Aad(const char* prefix, const Bytes& session) {
  Bytes aad = ToBytes(prefix);
  aad.insert(aad.end(), session.begin(), session.end());
  return aad;
}

}  // namespace

EnrollmentResponse TestDevice::Finish(const std::string& csr_der) {
  return Post(*service_, "finish", FinishBody(csr_der), {}, peer_address_);
}

std::string TestDevice::FinishBody(const std::string& csr_der) {
  REQUIRE(prover_.has_value());
  auto key = SealKey::Derive(DeviceKey(*prover_, confirmed_).span(), kSealInfoDeviceToCa);
  REQUIRE(key.ok());
  const std::string plaintext = R"({"csr": ")" + Base64UrlEncode(ToBytes(csr_der)) + "\"}";
  auto sealed = key->Seal(ToBytes(plaintext), Aad("homeca-enroll-v1 request", session_));
  REQUIRE(sealed.ok());
  return R"({"session": ")" + session_b64() + R"(", "confirm_p": ")" + Base64UrlEncode(confirm_p_) +
         R"(", "sealed_request": ")" + Base64UrlEncode(*sealed) + "\"}";
}

EnrollmentResponse TestDevice::Pair() {
  EnrollmentResponse r = Start();
  if (r.http_status != 200) return r;
  r = Exchange();
  if (r.http_status != 200) return r;
  return Finish(NewCsrDer());
}

bool TestDevice::ResultOpens(const EnrollmentResponse& finish) const {
  REQUIRE(prover_.has_value());
  auto key = SealKey::Derive(DeviceKey(*prover_, confirmed_).span(), kSealInfoCaToDevice);
  REQUIRE(key.ok());
  auto sealed = Base64UrlDecode(Json(finish.body)->getValue<std::string>("sealed_response"));
  REQUIRE(sealed.has_value());
  return key->Open(*sealed, Aad("homeca-enroll-v1 response", session_)).ok();
}

Poco::JSON::Object::Ptr TestDevice::OpenResult(const EnrollmentResponse& finish) const {
  INFO(finish.body);
  REQUIRE(finish.http_status == 200);
  REQUIRE(confirmed_);
  auto key = SealKey::Derive(prover_->SharedKey().value().span(), kSealInfoCaToDevice);
  REQUIRE(key.ok());
  auto sealed = Base64UrlDecode(Json(finish.body)->getValue<std::string>("sealed_response"));
  REQUIRE(sealed.has_value());
  auto plaintext = key->Open(*sealed, Aad("homeca-enroll-v1 response", session_));
  REQUIRE(plaintext.ok());
  return Json(ToString(*plaintext));
}

std::string RenewBody(const std::string& csr_der) {
  return R"({"csr": ")" + Base64UrlEncode(ToBytes(csr_der)) + "\"}";
}

ca::IssuedCertificate IssueDirect(TestCa& ca, std::vector<std::string> names) {
  auto issued = ca->Issue({NewCsrDer(), std::move(names), 0, "cli"});
  INFO(issued.status().message());
  REQUIRE(issued.ok());
  return *issued;
}

Bytes SignedButNotStored(TestCa& ca) {
  auto key_pem = ReadFile(ca->data_dir().intermediate_key());
  REQUIRE(key_pem.ok());
  auto key = ca::PrivateKey::FromPem(*key_pem);
  REQUIRE(key.ok());
  auto csr = ca::CertificateRequest::Parse(NewCsrDer());
  REQUIRE(csr.ok());
  auto names = ca::CheckNames(ca->policy(), {"ghost.home.arpa"});
  REQUIRE(names.ok());
  const std::int64_t now = ca.clock.Now();
  auto leaf = ca::SignLeaf(*csr, {*names, {now - 60, now + 86400}, ""}, ca->intermediate(), *key);
  REQUIRE(leaf.ok());
  return leaf->der();
}

Bytes Twin(TestCa& ca, const ca::IssuedCertificate& original) {
  auto key_pem = ReadFile(ca->data_dir().intermediate_key());
  REQUIRE(key_pem.ok());
  auto signer = ca::PrivateKey::FromPem(*key_pem);
  REQUIRE(signer.ok());
  auto key = testing::MakeEcKey();
  auto names = ca::CheckNames(ca->policy(), original.record.names);
  REQUIRE(names.ok());
  ca::CertBuilder builder;
  REQUIRE(builder.SetSerial(HexDecode(original.record.serial_hex).value()).ok());
  REQUIRE(builder.SetSubject("", original.record.subject_cn).ok());
  builder.SetValidity(original.record.not_before, original.record.not_after);
  REQUIRE(builder.SetPublicKey(key.get()).ok());
  REQUIRE(builder.SetIssuer(ca->intermediate()).ok());
  REQUIRE(builder.AddSubjectAltNames(*names, false).ok());
  auto twin = builder.Sign(*signer);
  REQUIRE(twin.ok());
  REQUIRE(twin->SerialHex() == original.record.serial_hex);
  return twin->der();
}

Bytes RenewedLeaf(const EnrollmentResponse& r) {
  INFO(r.body);
  REQUIRE(r.http_status == 200);
  auto der = Base64UrlDecode(Json(r.body)->getArray("chain")->getElement<std::string>(0));
  REQUIRE(der.has_value());
  return *der;
}

std::string SerialOf(const Bytes& der) {
  auto cert = ca::Certificate::FromDer(der);
  REQUIRE(cert.ok());
  return cert->SerialHex();
}

std::int64_t CertificateIdOf(TestCa& ca, const Bytes& der) {
  auto record = ca->certificates().FindBySerial(SerialOf(der));
  REQUIRE(record.ok());
  REQUIRE(record->der == der);
  return record->id;
}

PairedDevice PairDevice(TestCa& ca, EnrollmentService& service, const Bytes& hash,
                        const std::string& name, const std::string& peer_address) {
  auto pairing = CreateCodePairing(*ca, {name});
  REQUIRE(pairing.ok());
  TestDevice device = TestDevice::ForSlot(service, std::string(pairing->code.digits()), hash);
  device.set_peer_address(peer_address);
  EnrollmentResponse finish = device.Pair();
  REQUIRE(finish.http_status == 200);
  auto leaf =
      Base64UrlDecode(device.OpenResult(finish)->getArray("chain")->getElement<std::string>(0));
  REQUIRE(leaf.has_value());
  return {pairing->id, *leaf};
}

std::vector<std::string> CodeForms(const std::string& digits) {
  REQUIRE(digits.size() == 12);
  return {digits, digits.substr(0, 4) + "-" + digits.substr(4, 4) + "-" + digits.substr(8, 4),
          digits.substr(2, 9)};
}

}  // namespace homeca::enroll
