// POST /api/v1/certificates: a device without a shell from its CSR, for a
// script holding an API token (enroll/manual_device.h; docs/api.md). The
// same checks and words as the admin page: the CA decides the names, a CSR
// asking for another one issues nothing.
#include "ca/csr.h"
#include "enroll/manual_device.h"
#include "webui/api/api_body.h"
#include "webui/api/api_json.h"
#include "webui/api/api_request.h"
#include "webui/names/name_directory.h"

namespace homeca::webui {

void ApiIssueForCsr(ApiRequest& r) {
  Poco::JSON::Object::Ptr body = r.JsonBody();
  if (body.isNull()) return;
  std::optional<std::string> device = StringMember(body, "device");
  std::optional<std::string> csr = StringMember(body, "csr");
  if (!device || !csr || csr->empty()) {
    return r.Error(400, "invalid_argument",
                   "expected {\"device\": \"nas\", \"csr\": \"-----BEGIN CERTIFICATE "
                   "REQUEST-----...\"}");
  }
  Result<enroll::ManualCertificate> issued =
      enroll::IssueForCsr(r.web.authority(), *device, *csr, r.Actor());
  if (!issued.ok()) return r.Fail(issued.status());
  if (r.web.names() != nullptr) r.web.names()->Changed();
  r.Ok(201, IssuedForDeviceJson(issued->pairing_id, issued->renewed, issued->issued.record,
                                r.web.clock().Now(), ca::ChainPem(issued->issued.chain)));
}

}  // namespace homeca::webui
