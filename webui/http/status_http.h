// The one place where a Status becomes an HTTP answer, for every admin page
// and API handler (docs/api.md, "Errors"):
//
//   kInvalidArgument     400 invalid_argument  malformed input
//   kPolicyViolation     400 policy_violation  well-formed, but the CA's rules
//                                              refuse it (a name outside the
//                                              policy, a trivial code)
//   kFailedPrecondition  409 conflict          the thing is in the wrong state
//                                              (a pairing no longer waiting,
//                                              all code slots in use)
//   kAlreadyExists       409 conflict          already revoked, already waiting
//   kNotFound            404 not_found
//   kPermissionDenied    403 forbidden
//   anything else        500 internal          the CA's own failure: logged
//
// A policy refusal is 400, not 422: the API answered it with 400 from the
// start, clients test for 400, and the word policy_violation already tells
// it apart from malformed input. Handlers may still answer a status of their
// own where no Status is involved (a missing form field, a bad route).
//
// Thread-safety: pure functions.
#pragma once

#include "ca/base/status.h"

namespace homeca::webui {

// 200 for an OK status.
int HttpStatusFor(const Status& status);
// The API's "error" word for a failed status ("invalid_argument", ...).
const char* ErrorWordFor(const Status& status);
// 4xx: the request can be fixed by the one who sent it; the CA is fine.
inline bool IsClientError(const Status& status) {
  const int code = HttpStatusFor(status);
  return code >= 400 && code < 500;
}

}  // namespace homeca::webui
