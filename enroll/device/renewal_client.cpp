#include "enroll/device/device_csr.h"
#include "enroll/device/issued_chain.h"
#include "enroll/device/protocol_client.h"
#include "enroll/device/wire_json.h"

namespace homeca::enroll {

DeviceResult<Enrollment> Renew(Transport& transport, const ca::PrivateKey& key,
                               const ca::Certificate& root, const std::string& renew_url,
                               const RenewalOptions& options) {
  Result<Bytes> csr = MakeCsrDer(key, options.csr_common_name);
  if (!csr.ok()) return Fail(DeviceError::kInternal, csr.status());
  JsonWriter request;
  request.SetBinary("csr", *csr);
  DeviceResult<TransportResponse> sent = transport.Post(options.renew_path, request.Render());
  if (!sent.ok()) return sent.failure();
  DeviceResult<JsonObject> answer = ParseAnswer(*sent, "renew");
  if (!answer.ok()) return answer.failure();
  DeviceResult<std::vector<Bytes>> chain_der = answer->BinaryArray("chain");
  if (!chain_der.ok()) return chain_der.failure();
  DeviceResult<std::vector<std::string>> names = answer->Strings("names");
  if (!names.ok()) return names.failure();
  DeviceResult<std::vector<ca::Certificate>> chain = ParseDerChain(*chain_der);
  if (!chain.ok()) return chain.failure();
  // The TLS channel authenticated the CA already; verifying the chain to the
  // same root as well means a CA bug or a misconfigured proxy can never make
  // the device install something its peers would refuse.
  DeviceResult<Done> verified = VerifyIssuedChain(*chain, root, *names, key, options.clock->Now());
  if (!verified.ok()) return verified.failure();
  const std::int64_t not_after = chain->front().NotAfter();
  return Enrollment{key, std::move(chain).value(), root, std::move(*names), not_after, renew_url,
                    ""};
}

}  // namespace homeca::enroll
