#include "enroll/device/answer.h"
#include "enroll/device/device_csr.h"
#include "enroll/device/issued_chain.h"
#include "enroll/device/protocol_client.h"

namespace homeca::enroll {

Result<Enrollment> Renew(Transport& transport, const ca::PrivateKey& key,
                         const ca::Certificate& root, const std::string& renew_url,
                         const RenewalOptions& options) {
  Result<Bytes> csr = MakeCsrDer(key, options.csr_common_name);
  if (!csr.ok()) return Fail(EnrollError::kInternal, csr.status());
  Result<TransportResponse> sent = transport.Post(options.renew_path, ToJson(CsrRequest{*csr}));
  if (!sent.ok()) return sent.status();
  Result<RenewAnswer> answer = ReadAnswer(*sent, "renew", ParseRenewAnswer);
  if (!answer.ok()) return answer.status();
  Result<std::vector<ca::Certificate>> chain = ParseDerChain(answer->chain);
  if (!chain.ok()) return chain.status();
  // The TLS channel authenticated the CA already; verifying the chain to the
  // same root as well means a CA bug or a misconfigured proxy can never make
  // the device install something its peers would refuse.
  Status verified = VerifyIssuedChain(*chain, root, answer->names, key, options.clock->Now());
  if (!verified.ok()) return verified;
  const std::int64_t not_after = chain->front().NotAfter();
  return Enrollment{
      key, std::move(chain).value(), root, std::move(answer->names), not_after, renew_url, ""};
}

}  // namespace homeca::enroll
