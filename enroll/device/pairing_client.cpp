#include <algorithm>
#include <cstdio>

#include "ca/base/device_id.h"
#include "enroll/device/answer.h"
#include "enroll/device/device_csr.h"
#include "enroll/device/issued_chain.h"
#include "enroll/device/protocol_client.h"
#include "enroll/pake/pairing_code.h"
#include "enroll/pake/seal.h"
#include "enroll/pake/spake2plus.h"
#include "enroll/protocol/limits.h"
#include "enroll/protocol/transcript.h"

namespace homeca::enroll {
namespace {

std::string IdProver(const PairingCode& code, const PairingOptions& options) {
  if (!options.device_id.empty()) return PairingProverId(std::nullopt, options.device_id);
  return PairingProverId(code.slot(), "");
}

// The server certificate must stay the same for the whole run: the SPAKE2+
// context binds the one seen at the start.
Status SameServer(const Transport& transport, const Bytes& bound) {
  if (transport.ServerCertificateSha256() != bound) {
    return Fail(EnrollError::kUntrusted,
                "pairing: the CA's TLS certificate changed during pairing; try again");
  }
  return Status::Ok();
}

std::string Path(const PairingOptions& options, std::string_view endpoint) {
  return options.base_path + "/" + std::string(endpoint);
}

Result<StartAnswer> Start(Transport& transport, const PairingCode& code,
                          const PairingOptions& options) {
  StartRequest request;
  if (options.device_id.empty()) {
    request.slot = code.slot();
  } else {
    request.device_id = options.device_id;
  }
  Result<TransportResponse> sent = transport.Post(Path(options, kStartEndpoint), ToJson(request));
  if (!sent.ok()) return sent.status();
  return ReadAnswer(*sent, "start", ParseStartAnswer);
}

Result<ExchangeAnswer> Exchange(Transport& transport, const PairingOptions& options,
                                const Bytes& session, const Bytes& share_p) {
  Result<TransportResponse> sent =
      transport.Post(Path(options, kExchangeEndpoint), ToJson(ExchangeRequest{session, share_p}));
  if (!sent.ok()) return sent.status();
  return ReadAnswer(*sent, "exchange", ParseExchangeAnswer);
}

// Opens and checks the sealed pairing answer.
Result<Enrollment> OpenAnswer(const Bytes& sealed, const SealKey& key, const Bytes& session,
                              const ca::PrivateKey& device_key, const PairingOptions& options) {
  Result<Bytes> plain = key.Open(sealed, ResponseAad(session));
  if (!plain.ok()) {
    return Fail(EnrollError::kUntrusted,
                "finish: the CA's answer failed authentication; nothing was installed",
                plain.status().message());
  }
  Result<PairingResult> answer = ParsePairingResult(ToString(*plain));
  if (!answer.ok()) return answer.status().WithContext("finish");
  if (Result<Endpoint> url = ParseHttpsUrl(answer->renew_url); !url.ok()) {
    return Fail(EnrollError::kBadResponse, "finish: the CA's renew_url is not an https URL");
  }

  Result<std::vector<ca::Certificate>> chain = ParseDerChain(answer->chain);
  if (!chain.ok()) return chain.status();
  Result<ca::Certificate> root = ca::Certificate::FromDer(answer->root);
  if (!root.ok()) return Fail(EnrollError::kBadResponse, "finish: the CA's root is unreadable");
  const std::string& prefix = options.root_fingerprint_prefix;
  if (!prefix.empty() && HexEncode(root->FingerprintSha256()).rfind(prefix, 0) != 0) {
    return Fail(EnrollError::kUntrusted,
                "finish: the CA's root does not have the expected fingerprint " + prefix);
  }
  Status verified =
      VerifyIssuedChain(*chain, *root, answer->names, device_key, options.clock->Now());
  if (!verified.ok()) return verified;
  // not_after comes from the verified leaf, not from the answer's text field.
  const std::int64_t not_after = chain->front().NotAfter();
  return Enrollment{device_key,
                    std::move(chain).value(),
                    std::move(root).value(),
                    std::move(answer->names),
                    not_after,
                    std::move(answer->renew_url),
                    ""};
}

// Sends confirmP with the sealed CSR, then opens and checks the answer.
Result<Enrollment> Finish(Transport& transport, const PairingOptions& options, const Bytes& session,
                          const Bytes& confirm_p, const SecretBytes& k_shared,
                          const ca::PrivateKey& key, const Bytes& cert_hash) {
  Result<SealKey> to_ca = SealKey::Derive(k_shared.span(), kSealInfoDeviceToCa);
  if (!to_ca.ok()) return Fail(EnrollError::kInternal, to_ca.status());
  Result<SealKey> to_device = SealKey::Derive(k_shared.span(), kSealInfoCaToDevice);
  if (!to_device.ok()) return Fail(EnrollError::kInternal, to_device.status());

  const std::string cn = !options.csr_common_name.empty() ? options.csr_common_name
                         : !options.device_id.empty()     ? options.device_id
                                                          : "homeca device";
  Result<Bytes> csr = MakeCsrDer(key, cn);
  if (!csr.ok()) return Fail(EnrollError::kInternal, csr.status());
  Result<Bytes> sealed = to_ca->Seal(ToBytes(ToJson(CsrRequest{*csr})), RequestAad(session));
  if (!sealed.ok()) return Fail(EnrollError::kInternal, sealed.status());
  Result<TransportResponse> sent = transport.Post(
      Path(options, kFinishEndpoint), ToJson(FinishRequest{session, confirm_p, *sealed}));
  if (!sent.ok()) return sent.status();
  if (Status same = SameServer(transport, cert_hash); !same.ok()) return same;
  Result<FinishAnswer> answer = ReadAnswer(*sent, "finish", ParseFinishAnswer);
  if (!answer.ok()) return answer.status();
  return OpenAnswer(answer->sealed_response, *to_device, session, key, options);
}

}  // namespace

Status CheckPairingCode(std::string_view text) {
  switch (PairingCode::Check(text)) {
    case PairingCodeProblem::kNone:
      return Status::Ok();
    case PairingCodeProblem::kMalformed:
      return Fail(EnrollError::kInvalidCode,
                  "pairing code: expected 12 digits, shown as three groups of four");
    case PairingCodeProblem::kTypo:
      return Fail(EnrollError::kInvalidCode,
                  "pairing code: this code has a typo; check each digit and try again");
    case PairingCodeProblem::kTrivial:
      break;
  }
  return Fail(EnrollError::kInvalidCode,
              "pairing code: the code is too easy to guess; use a different code");
}

Result<Enrollment> PairDevice(Transport& transport, std::string_view code_text,
                              const ca::PrivateKey& key, const PairingOptions& options) {
  if (Status checked = CheckPairingCode(code_text); !checked.ok()) {
    return checked;
  }
  Result<PairingCode> code = PairingCode::Parse(code_text);
  if (!code.ok()) return Fail(EnrollError::kInvalidCode, code.status());
  if (!options.device_id.empty() && !ca::IsValidDeviceId(options.device_id)) {
    return Fail(EnrollError::kInvalidArgument,
                "device id: use 1 to 64 characters from A-Z a-z 0-9 . _ -");
  }

  Result<StartAnswer> start = Start(transport, *code, options);
  if (!start.ok()) return start.status();
  if (options.seen_salt) *options.seen_salt = start->salt;
  if (!options.skip_salt.empty() && start->salt == options.skip_salt) {
    return Fail(EnrollError::kBadConfirmation,
                "pairing: the CA still holds the pairing whose code did not match this "
                "device's; it must be armed again with the right code");
  }
  const Bytes cert_hash = transport.ServerCertificateSha256();
  if (cert_hash.size() != kServerCertHashSize) {
    return Fail(EnrollError::kInternal,
                "pairing: the transport did not report the CA's TLS certificate");
  }
  const std::string id_prover = IdProver(*code, options);
  const auto& precomputed = options.precomputed_secrets;
  Result<ProverSecrets> secrets =
      precomputed && precomputed->salt == start->salt && precomputed->kdf == start->kdf
          ? Result<ProverSecrets>(precomputed->secrets)
          : DeriveProverSecrets(code->digits(), id_prover, kPairingVerifierId, start->salt,
                                start->kdf);
  if (!secrets.ok()) return Fail(EnrollError::kBadResponse, secrets.status());
  Result<Spake2PlusProver> prover =
      Spake2PlusProver::Create(PairingIds(cert_hash, id_prover), *secrets);
  if (!prover.ok()) return Fail(EnrollError::kInternal, prover.status());

  Result<ExchangeAnswer> exchange = Exchange(transport, options, start->session, prover->share_p());
  if (!exchange.ok()) return exchange.status();
  if (Status same = SameServer(transport, cert_hash); !same.ok()) {
    return same;
  }
  Result<Bytes> confirm_p = prover->Finish(exchange->share_v, exchange->confirm_v);
  if (!confirm_p.ok()) {
    // A share that is not a point is a broken CA; a wrong confirmV is what a
    // wrong code, or a machine in the middle with its own TLS certificate, looks like.
    if (confirm_p.status().IsInvalidArgument()) {
      return Fail(EnrollError::kBadResponse, "exchange: the CA's key share is not a valid point");
    }
    if (options.confirmation_failed) *options.confirmation_failed = true;
    // Tell the CA, so its admin sees that a wrong code was typed here. Only
    // the session goes back (no confirmP: that would let a CA-in-the-middle
    // test guesses offline); whether the CA hears it changes nothing here.
    (void)transport.Post(Path(options, kMismatchEndpoint), ToJson(MismatchRequest{start->session}));
    return Fail(EnrollError::kBadConfirmation,
                "pairing: wrong code or intercepted connection (key confirmation failed)");
  }
  Result<SecretBytes> k_shared = prover->SharedKey();
  if (!k_shared.ok()) return Fail(EnrollError::kInternal, k_shared.status());
  return Finish(transport, options, start->session, *confirm_p, *k_shared, key, cert_hash);
}

}  // namespace homeca::enroll
