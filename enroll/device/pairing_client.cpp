#include <algorithm>
#include <cstdio>

#include "ca/base/device_id.h"
#include "enroll/device/device_csr.h"
#include "enroll/device/issued_chain.h"
#include "enroll/device/protocol_client.h"
#include "enroll/device/wire_json.h"
#include "enroll/pake/pairing_code.h"
#include "enroll/pake/seal.h"
#include "enroll/pake/spake2plus.h"

namespace homeca::enroll {
namespace {

constexpr std::string_view kContextLabel = "homeca-enroll-v1";
constexpr std::string_view kRequestAad = "homeca-enroll-v1 request";
constexpr std::string_view kResponseAad = "homeca-enroll-v1 response";
constexpr std::size_t kCertHashSize = 32;

Bytes Concat(std::string_view label, const Bytes& tail) {
  Bytes out = ToBytes(label);
  out.insert(out.end(), tail.begin(), tail.end());
  return out;
}

std::string IdProver(const PairingCode& code, const PairingOptions& options) {
  if (!options.device_id.empty()) return PairingProverId(std::nullopt, options.device_id);
  return PairingProverId(code.slot(), "");
}

// The server certificate must stay the same for the whole run: the SPAKE2+
// context binds the one seen at the start.
DeviceResult<Done> SameServer(const Transport& transport, const Bytes& bound) {
  if (transport.ServerCertificateSha256() != bound) {
    return Fail(DeviceError::kUntrusted,
                "pairing: the CA's TLS certificate changed during pairing; try again");
  }
  return Done{};
}

struct StartAnswer {
  Bytes session;
  Bytes salt;
  PasswordKdf kdf;
};

// A field that must be an integer in [1, max]; 0 when it is not (the bounds
// check then refuses it with one message).
std::uint64_t BoundedField(const JsonObject& answer, std::string_view field, std::uint64_t max) {
  DeviceResult<std::int64_t> value = answer.Integer(field);
  if (!value.ok() || *value < 1 || static_cast<std::uint64_t>(*value) > max) return 0;
  return static_cast<std::uint64_t>(*value);
}

// The KDF the CA announced. Refused unless it is within the protocol's
// bounds: a CA (or an impostor) asking for a tiny cost would weaken the code;
// a huge one would make the device allocate gigabytes or spin for minutes.
DeviceResult<PasswordKdf> AnnouncedKdf(const JsonObject& answer) {
  DeviceResult<std::string> name = answer.String("kdf");
  if (!name.ok()) return name.failure();
  std::optional<PasswordKdf> kdf;
  if (*name == kKdfScrypt) {
    const std::uint64_t n = BoundedField(answer, "n", std::uint64_t{1} << 32);
    const std::uint64_t r = BoundedField(answer, "r", 1u << 16);
    const std::uint64_t p = BoundedField(answer, "p", 1u << 16);
    // N must be a power of two; log2 of anything else fails the bounds.
    int log2_n = 0;
    while (log2_n < 40 && (std::uint64_t{1} << log2_n) < n) ++log2_n;
    if (n != 0 && (std::uint64_t{1} << log2_n) == n) {
      kdf =
          PasswordKdf::Scrypt(log2_n, static_cast<std::uint32_t>(r), static_cast<std::uint32_t>(p));
    } else {
      kdf = PasswordKdf::Scrypt(0, 0, 0);
    }
  } else if (*name == kKdfPbkdf2) {
    kdf = PasswordKdf::Pbkdf2(
        static_cast<std::uint32_t>(BoundedField(answer, "iterations", 1u << 31)));
  } else {
    return Fail(DeviceError::kBadResponse,
                "start: the CA asked for a password KDF this device does not know: " +
                    SanitizeForLog(*name, 40));
  }
  if (Status ok = CheckPasswordKdf(*kdf); !ok.ok()) {
    return Fail(DeviceError::kBadResponse,
                "start: the CA asked for KDF parameters outside the protocol's bounds (scrypt: "
                "N 2^14-2^16, r 1-16, p 1-4, at most 64 MiB; PBKDF2: 1000-100000 iterations)");
  }
  return *kdf;
}

DeviceResult<StartAnswer> Start(Transport& transport, const PairingCode& code,
                                const PairingOptions& options) {
  JsonWriter request;
  request.Set("version", std::int64_t{kProtocolVersion});
  if (options.device_id.empty()) {
    request.Set("slot", std::int64_t{code.slot()});
  } else {
    request.Set("device_id", options.device_id);
  }
  DeviceResult<TransportResponse> sent =
      transport.Post(options.base_path + "/start", request.Render());
  if (!sent.ok()) return sent.failure();
  DeviceResult<JsonObject> answer = ParseAnswer(*sent, "start");
  if (!answer.ok()) return answer.failure();
  DeviceResult<Bytes> session =
      answer->Binary("session", kPairingSessionIdSize, kPairingSessionIdSize);
  if (!session.ok()) return session.failure();
  DeviceResult<std::string> salt_text = answer->String("salt");
  if (!salt_text.ok()) return salt_text.failure();
  std::optional<Bytes> salt = Base64UrlDecode(*salt_text);
  if (!salt || salt->size() < kMinPbkdfSaltSize || salt->size() > kMaxPbkdfSaltSize) {
    return Fail(DeviceError::kBadResponse,
                "start: the CA sent a salt outside the protocol's bounds (16-32 bytes)");
  }
  DeviceResult<PasswordKdf> kdf = AnnouncedKdf(*answer);
  if (!kdf.ok()) return kdf.failure();
  return StartAnswer{std::move(*session), std::move(*salt), *kdf};
}

struct ExchangeAnswer {
  Bytes share_v;
  Bytes confirm_v;
};

DeviceResult<ExchangeAnswer> Exchange(Transport& transport, const PairingOptions& options,
                                      const Bytes& session, const Bytes& share_p) {
  JsonWriter request;
  request.SetBinary("session", session).SetBinary("share_p", share_p);
  DeviceResult<TransportResponse> sent =
      transport.Post(options.base_path + "/exchange", request.Render());
  if (!sent.ok()) return sent.failure();
  DeviceResult<JsonObject> answer = ParseAnswer(*sent, "exchange");
  if (!answer.ok()) return answer.failure();
  DeviceResult<Bytes> share_v = answer->Binary("share_v", kSpakePointSize, kSpakePointSize);
  if (!share_v.ok()) return share_v.failure();
  DeviceResult<Bytes> confirm_v = answer->Binary("confirm_v", kSpakeHashSize, kSpakeHashSize);
  if (!confirm_v.ok()) return confirm_v.failure();
  return ExchangeAnswer{std::move(*share_v), std::move(*confirm_v)};
}

// Opens and checks the sealed pairing answer.
DeviceResult<Enrollment> OpenAnswer(const Bytes& sealed, const SealKey& key, const Bytes& session,
                                    const ca::PrivateKey& device_key,
                                    const PairingOptions& options) {
  Result<Bytes> plain = key.Open(sealed, Concat(kResponseAad, session));
  if (!plain.ok()) {
    return Fail(DeviceError::kUntrusted,
                "finish: the CA's answer failed authentication; nothing was installed",
                plain.status().message());
  }
  const std::string text = ToString(*plain);
  DeviceResult<JsonObject> answer = JsonObject::Parse(text);
  if (!answer.ok()) return answer.failure();
  DeviceResult<std::vector<Bytes>> chain_der = answer->BinaryArray("chain");
  if (!chain_der.ok()) return chain_der.failure();
  DeviceResult<Bytes> root_der = answer->Binary("root", 1, kMaxResponseBody);
  if (!root_der.ok()) return root_der.failure();
  DeviceResult<std::vector<std::string>> names = answer->Strings("names");
  if (!names.ok()) return names.failure();
  DeviceResult<std::string> renew_url = answer->String("renew_url");
  if (!renew_url.ok()) return renew_url.failure();
  if (Result<Endpoint> url = ParseHttpsUrl(*renew_url); !url.ok()) {
    return Fail(DeviceError::kBadResponse, "finish: the CA's renew_url is not an https URL");
  }

  DeviceResult<std::vector<ca::Certificate>> chain = ParseDerChain(*chain_der);
  if (!chain.ok()) return chain.failure();
  Result<ca::Certificate> root = ca::Certificate::FromDer(*root_der);
  if (!root.ok()) return Fail(DeviceError::kBadResponse, "finish: the CA's root is unreadable");
  const std::string& prefix = options.root_fingerprint_prefix;
  if (!prefix.empty() && HexEncode(root->FingerprintSha256()).rfind(prefix, 0) != 0) {
    return Fail(DeviceError::kUntrusted,
                "finish: the CA's root does not have the expected fingerprint " + prefix);
  }
  DeviceResult<Done> verified =
      VerifyIssuedChain(*chain, *root, *names, device_key, options.clock->Now());
  if (!verified.ok()) return verified.failure();
  // not_after comes from the verified leaf, not from the answer's text field.
  const std::int64_t not_after = chain->front().NotAfter();
  return Enrollment{device_key,
                    std::move(chain).value(),
                    std::move(root).value(),
                    std::move(*names),
                    not_after,
                    std::move(*renew_url),
                    ""};
}

// Sends confirmP with the sealed CSR, then opens and checks the answer.
DeviceResult<Enrollment> Finish(Transport& transport, const PairingOptions& options,
                                const Bytes& session, const Bytes& confirm_p,
                                const SecretBytes& k_shared, const ca::PrivateKey& key,
                                const Bytes& cert_hash) {
  Result<SealKey> to_ca = SealKey::Derive(k_shared.span(), kSealInfoDeviceToCa);
  if (!to_ca.ok()) return Fail(DeviceError::kInternal, to_ca.status());
  Result<SealKey> to_device = SealKey::Derive(k_shared.span(), kSealInfoCaToDevice);
  if (!to_device.ok()) return Fail(DeviceError::kInternal, to_device.status());

  const std::string cn = !options.csr_common_name.empty() ? options.csr_common_name
                         : !options.device_id.empty()     ? options.device_id
                                                          : "homeca device";
  Result<Bytes> csr = MakeCsrDer(key, cn);
  if (!csr.ok()) return Fail(DeviceError::kInternal, csr.status());
  JsonWriter inner;
  inner.SetBinary("csr", *csr);
  Result<Bytes> sealed = to_ca->Seal(ToBytes(inner.Render()), Concat(kRequestAad, session));
  if (!sealed.ok()) return Fail(DeviceError::kInternal, sealed.status());
  JsonWriter request;
  request.SetBinary("session", session)
      .SetBinary("confirm_p", confirm_p)
      .SetBinary("sealed_request", *sealed);
  DeviceResult<TransportResponse> sent =
      transport.Post(options.base_path + "/finish", request.Render());
  if (!sent.ok()) return sent.failure();
  if (DeviceResult<Done> same = SameServer(transport, cert_hash); !same.ok()) {
    return same.failure();
  }
  DeviceResult<JsonObject> answer = ParseAnswer(*sent, "finish");
  if (!answer.ok()) return answer.failure();
  DeviceResult<Bytes> sealed_response =
      answer->Binary("sealed_response", kSealOverhead, kMaxResponseBody);
  if (!sealed_response.ok()) return sealed_response.failure();
  return OpenAnswer(*sealed_response, *to_device, session, key, options);
}

}  // namespace

DeviceResult<Done> CheckPairingCode(std::string_view text) {
  switch (PairingCode::Check(text)) {
    case PairingCodeProblem::kNone:
      return Done{};
    case PairingCodeProblem::kMalformed:
      return Fail(DeviceError::kInvalidCode,
                  "pairing code: expected 12 digits, shown as three groups of four");
    case PairingCodeProblem::kTypo:
      return Fail(DeviceError::kInvalidCode,
                  "pairing code: this code has a typo; check each digit and try again");
    case PairingCodeProblem::kTrivial:
      break;
  }
  return Fail(DeviceError::kInvalidCode,
              "pairing code: the code is too easy to guess; use a different code");
}

DeviceResult<Enrollment> PairDevice(Transport& transport, std::string_view code_text,
                                    const ca::PrivateKey& key, const PairingOptions& options) {
  if (DeviceResult<Done> checked = CheckPairingCode(code_text); !checked.ok()) {
    return checked.failure();
  }
  Result<PairingCode> code = PairingCode::Parse(code_text);
  if (!code.ok()) return Fail(DeviceError::kInvalidCode, code.status());
  if (!options.device_id.empty() && !ca::IsValidDeviceId(options.device_id)) {
    return Fail(DeviceError::kInvalidArgument,
                "device id: use 1 to 64 characters from A-Z a-z 0-9 . _ -");
  }

  DeviceResult<StartAnswer> start = Start(transport, *code, options);
  if (!start.ok()) return start.failure();
  if (options.seen_salt) *options.seen_salt = start->salt;
  if (!options.skip_salt.empty() && start->salt == options.skip_salt) {
    return Fail(DeviceError::kBadConfirmation,
                "pairing: the CA still holds the pairing whose code did not match this "
                "device's; it must be armed again with the right code");
  }
  const Bytes cert_hash = transport.ServerCertificateSha256();
  if (cert_hash.size() != kCertHashSize) {
    return Fail(DeviceError::kInternal,
                "pairing: the transport did not report the CA's TLS certificate");
  }
  const std::string id_prover = IdProver(*code, options);
  const auto& precomputed = options.precomputed_secrets;
  Result<ProverSecrets> secrets =
      precomputed && precomputed->salt == start->salt && precomputed->kdf == start->kdf
          ? Result<ProverSecrets>(precomputed->secrets)
          : DeriveProverSecrets(code->digits(), id_prover, kPairingVerifierId, start->salt,
                                start->kdf);
  if (!secrets.ok()) return Fail(DeviceError::kBadResponse, secrets.status());
  const Spake2PlusIds ids{Concat(kContextLabel, cert_hash), ToBytes(id_prover),
                          ToBytes(kPairingVerifierId)};
  Result<Spake2PlusProver> prover = Spake2PlusProver::Create(ids, *secrets);
  if (!prover.ok()) return Fail(DeviceError::kInternal, prover.status());

  DeviceResult<ExchangeAnswer> exchange =
      Exchange(transport, options, start->session, prover->share_p());
  if (!exchange.ok()) return exchange.failure();
  if (DeviceResult<Done> same = SameServer(transport, cert_hash); !same.ok()) {
    return same.failure();
  }
  Result<Bytes> confirm_p = prover->Finish(exchange->share_v, exchange->confirm_v);
  if (!confirm_p.ok()) {
    // A share that is not a point is a broken CA; a wrong confirmV is what a
    // wrong code, or a machine in the middle with its own TLS certificate, looks like.
    if (confirm_p.status().IsInvalidArgument()) {
      return Fail(DeviceError::kBadResponse, "exchange: the CA's key share is not a valid point");
    }
    if (options.confirmation_failed) *options.confirmation_failed = true;
    return Fail(DeviceError::kBadConfirmation,
                "pairing: wrong code or intercepted connection (key confirmation failed)");
  }
  Result<SecretBytes> k_shared = prover->SharedKey();
  if (!k_shared.ok()) return Fail(DeviceError::kInternal, k_shared.status());
  return Finish(transport, options, start->session, *confirm_p, *k_shared, key, cert_hash);
}

}  // namespace homeca::enroll
