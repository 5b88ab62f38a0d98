// Fuzz target: the CA side of the enrollment protocol
// (docs/enrollment-protocol.md) on a throwaway CA: the message parsers
// (enroll/protocol/messages.h: ParseStartRequest, ParseExchangeRequest,
// ParseFinishRequest, ParseCsrRequest, ParseCheckInRequest) and EnrollmentService::Handle with any
// path and body.
//
// Input: a selector byte, then the request body. The selector's low three
// bits pick the path: start, exchange, finish, renew, or (4-7) the body's
// first line as the path and the rest as the body. Bit 3 runs a real `start`
// first (device id "fuzz-device", armed at setup) and puts its session id
// wherever the body says SESSION, so exchange and finish get past the
// session lookup. Bit 4 presents a real certificate of this CA as the TLS
// client certificate, so renew gets to the CSR.
//
// A fresh EnrollmentService per input keeps inputs independent (sessions
// and rate limits are per service); the CA and its store are shared.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <limits>
#include <string>

#include "ca/authority.h"
#include "ca/x509/key.h"
#include "enroll/device/device_csr.h"
#include "enroll/enrollment_service.h"
#include "enroll/pairing_admin.h"
#include "enroll/pake/pairing_code.h"
#include "enroll/protocol/messages.h"
#include "tests/fuzz/fuzz_input.h"

namespace {

using namespace homeca;

struct ThrowawayCa {
  std::filesystem::path dir;
  std::unique_ptr<ca::Authority> authority;
  std::vector<Bytes> client_chain;

  ThrowawayCa() {
    char pattern[] = "/tmp/homeca-fuzz-enroll.XXXXXX";
    if (::mkdtemp(pattern) == nullptr) std::abort();
    dir = pattern;
    auto created = ca::Authority::Init(dir / "ca", ca::InitOptions{});
    if (!created.ok()) std::abort();
    authority = std::move(*created);
    // The device pairing that `start` with device_id "fuzz-device" finds.
    auto code = enroll::PairingCode::Generate(1);
    if (!code.ok()) std::abort();
    auto armed = enroll::ArmDevicePairing(*authority, "fuzz-device", code->Display(), {"nas"},
                                          enroll::kMaxPairingTtlSeconds, "fuzz");
    if (!armed.ok()) std::abort();
    // A certificate of this CA for renew's client certificate.
    auto key = ca::PrivateKey::Generate(ca::KeyAlgorithm::kEcP256);
    if (!key.ok()) std::abort();
    auto csr = enroll::MakeCsrDer(*key, "tv");
    if (!csr.ok()) std::abort();
    ca::IssueRequest request;
    request.csr = ToString(*csr);
    request.names = {"tv"};
    request.requester = "fuzz";
    auto issued = authority->Issue(request);
    if (!issued.ok()) std::abort();
    for (const ca::Certificate& c : issued->chain) client_chain.push_back(c.der());
  }
  ~ThrowawayCa() {
    authority.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
};

std::string Replace(std::string text, std::string_view from, const std::string& to) {
  for (std::size_t at = text.find(from); at != std::string::npos;
       at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

std::string SessionOf(const std::string& start_answer) {
  const std::string field = "\"session\":\"";
  const std::size_t at = start_answer.find(field);
  if (at == std::string::npos) return "";
  const std::size_t begin = at + field.size();
  return start_answer.substr(begin, start_answer.find('"', begin) - begin);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static ThrowawayCa ca;
  std::string_view input = fuzz::AsText(data, size);
  const std::uint8_t selector = fuzz::TakeSelector(input);

  {  // The parsers alone.
    (void)enroll::ParseStartRequest(input);
    (void)enroll::ParseExchangeRequest(input);
    (void)enroll::ParseFinishRequest(input);
    (void)enroll::ParseCsrRequest(input);
    (void)enroll::ParseCheckInRequest(input);
  }

  enroll::EnrollmentOptions options;
  options.server_cert_sha256 = Bytes(32, 0x5a);
  options.renew_url = "https://ca.home.arpa/enroll/v1/renew";
  // Attempts are counted in the shared store: never let them burn the pairing.
  options.max_attempts_per_pairing = std::numeric_limits<int>::max();
  enroll::EnrollmentService service(*ca.authority, options);

  enroll::EnrollmentRequest request;
  static constexpr const char* kPaths[] = {"/enroll/v1/start", "/enroll/v1/exchange",
                                           "/enroll/v1/finish", "/enroll/v1/renew"};
  if ((selector & 7) < 4) {
    request.path = kPaths[selector & 7];
    request.body = std::string(input);
  } else {
    const std::size_t line = input.find('\n');
    request.path = std::string(input.substr(0, line));
    request.body = line == std::string_view::npos ? "" : std::string(input.substr(line + 1));
  }
  if (selector & 8) {
    enroll::EnrollmentRequest start{
        "/enroll/v1/start", R"({"version":1,"device_id":"fuzz-device"})", {}};
    const std::string session = SessionOf(service.Handle(start).body);
    request.body = Replace(std::move(request.body), "SESSION", session);
  }
  if (selector & 16) request.client_chain = ca.client_chain;
  (void)service.Handle(request);
  return 0;
}
