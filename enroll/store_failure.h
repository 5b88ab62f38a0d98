// A store write an answer does not depend on failed (an audit entry of a
// refusal or of a step already durable, a housekeeping sweep): the answer
// stands, and the failure goes to standard error, which is homecad's log, so
// a gap in the audit log is explained there. Used by the enrollment and the
// ACME services.
//
// Thread-safety: callable from any thread.
#pragma once

#include <string_view>

#include "ca/base/status.h"

namespace homeca::enroll {

// `what` names the write.
void ReportStoreFailure(std::string_view what, const Status& failure);

}  // namespace homeca::enroll
