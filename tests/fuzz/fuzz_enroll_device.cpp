// Fuzz target: the device library reading the CA's answers
// (docs/enrollment-protocol.md), which are untrusted until the sealed answer
// opens and the chain verifies. A scripted Transport hands PairDevice and
// Renew the input's answers; a third mode reads a sealed answer's plaintext
// the way the pairing client does once it opened (the fuzzer cannot forge
// the seal, so this is the only way to reach that code).
//
// Functions reached: PairDevice, Renew (enroll/device/protocol_client.h);
// ParseErrorAnswer and the answers' parsers (enroll/protocol/messages.h),
// JsonReader (enroll/protocol/json.h); ParseDerChain,
// ParsePemCertificates, VerifyIssuedChain (issued_chain.h); ParseHttpsUrl
// (endpoint_url.h).
//
// Input: a selector byte (mode = selector % 3: 0 pairing, 1 renewal,
// 2 sealed plaintext), then the answers separated by NUL bytes. An answer
// may start with an HTTP status and a space ("409 {...}"); otherwise it is
// a 200 answer.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <string>
#include <vector>

#include "ca/authority.h"
#include "ca/x509/key.h"
#include "enroll/device/endpoint_url.h"
#include "enroll/device/issued_chain.h"
#include "enroll/device/protocol_client.h"
#include "enroll/pake/pairing_code.h"
#include "enroll/protocol/json.h"
#include "enroll/protocol/messages.h"
#include "tests/fuzz/fuzz_input.h"

namespace {

using namespace homeca;
using namespace homeca::enroll;

class ScriptedTransport final : public Transport {
 public:
  explicit ScriptedTransport(std::vector<std::string_view> answers)
      : answers_(std::move(answers)) {}
  Result<TransportResponse> Post(std::string_view, std::string_view) override {
    if (next_ >= answers_.size()) return Fail(EnrollError::kNetwork, "no more answers");
    std::string_view answer = answers_[next_++];
    TransportResponse response{200, "", 0};
    if (answer.size() >= 4 && answer[3] == ' ' &&
        answer.substr(0, 3).find_first_not_of("0123456789") == std::string_view::npos) {
      response.http_status = std::stoi(std::string(answer.substr(0, 3)));
      response.retry_after_seconds = response.http_status == 429 ? 1 : 0;
      answer.remove_prefix(4);
    }
    response.body = std::string(answer);
    return response;
  }
  Bytes ServerCertificateSha256() const override { return Bytes(32, 0x5a); }

 private:
  std::vector<std::string_view> answers_;
  std::size_t next_ = 0;
};

// The device's key and a real root to verify against, made once.
struct DeviceState {
  std::filesystem::path dir;
  std::unique_ptr<ca::Authority> authority;
  ca::PrivateKey key;
  std::string code;
  ca::FakeClock clock{static_cast<std::int64_t>(std::time(nullptr))};

  static ca::PrivateKey NewKey() {
    auto key = ca::PrivateKey::Generate(ca::KeyAlgorithm::kEcP256);
    if (!key.ok()) std::abort();
    return std::move(*key);
  }
  DeviceState() : key(NewKey()) {
    char pattern[] = "/tmp/homeca-fuzz-device.XXXXXX";
    if (::mkdtemp(pattern) == nullptr) std::abort();
    dir = pattern;
    auto created = ca::Authority::Init(dir / "ca", ca::InitOptions{});
    if (!created.ok()) std::abort();
    authority = std::move(*created);
    auto generated = PairingCode::Generate(1);
    if (!generated.ok()) std::abort();
    code = generated->Display();
  }
  ~DeviceState() {
    authority.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
};

// What the pairing client does with the sealed answer's plaintext.
void ReadSealedPlaintext(const DeviceState& state, std::string_view text) {
  Result<PairingResult> answer = ParsePairingResult(text);
  if (!answer.ok()) return;
  (void)ParseHttpsUrl(answer->renew_url);
  auto chain = ParseDerChain(answer->chain);
  if (!chain.ok()) return;
  const ca::Certificate& root = state.authority->root();
  (void)ca::Certificate::FromDer(answer->root);
  (void)VerifyIssuedChain(*chain, root, answer->names, state.key, state.clock.Now());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static DeviceState state;
  std::string_view input = fuzz::AsText(data, size);
  const std::uint8_t selector = fuzz::TakeSelector(input);
  std::vector<std::string_view> answers = fuzz::Split(input, '\0', 4);

  switch (selector % 3) {
    case 0: {
      ScriptedTransport transport(answers);
      PairingOptions options;
      options.device_id = "fuzz-device";
      options.clock = &state.clock;
      (void)PairDevice(transport, state.code, state.key, options);
      break;
    }
    case 1: {
      ScriptedTransport transport(answers);
      RenewalOptions options;
      options.clock = &state.clock;
      (void)Renew(transport, state.key, state.authority->root(),
                  "https://ca.home.arpa/enroll/v1/renew", options);
      break;
    }
    default:
      ReadSealedPlaintext(state, answers[0]);
      (void)ParsePemCertificates(input);
      (void)SanitizeForLog(input);
      break;
  }
  return 0;
}
