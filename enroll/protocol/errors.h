// The enrollment's errors, in one table (errors.cpp): each with its word
// (the `error` field the CA sends, docs/enrollment-protocol.md, or a local
// name for the device's own failures), its HTTP status, its Status code, a
// fixed sentence safe to show, and whether retrying can help. The numeric
// values are the C API's error codes (enroll/include/homeca_enroll.h) and
// never change.
//
// A failure is a Status (ca/base/status.h) whose reason() is the word:
// Fail() makes one, ErrorOf() reads it back. Nothing else maps errors to
// words.
//
// Thread-safety: pure functions over a constant table.
#pragma once

#include <string>
#include <string_view>

#include "ca/base/status.h"

namespace homeca::enroll {

enum class EnrollError {
  kOk = 0,
  // The device's own failures: nothing, or nothing useful, reached the CA.
  kInvalidArgument = 1,  // a bad URL, path, device id or option
  kInvalidCode = 2,      // malformed, mistyped (check digit) or trivial code; never sent
  kNetwork = 3,          // could not connect, timeout, TLS handshake failed
  kBadResponse = 4,      // the CA's answer is malformed or outside the protocol's bounds
  kUntrusted = 5,        // sealed answer failed authentication, or the chain does not verify
  kIo = 6,               // reading or writing the key/certificate files failed
  kNotEnrolled = 7,      // renewal or status without an installed certificate
  kInternal = 8,         // a local bug or crypto failure
  // The protocol's error words, as the CA sends them.
  kBadRequest = 20,
  kUnsupportedVersion = 21,
  kBadPoint = 22,
  kBadCsr = 23,
  kNoPairing = 24,
  kUnknownSession = 25,
  kOutOfOrder = 26,
  kBadConfirmation = 27,
  kCodeBurned = 28,
  kNoClientCertificate = 29,
  kRevoked = 30,
  kExpired = 31,
  kUnknownCertificate = 32,
  kRateLimited = 33,
  kCaInternal = 34,      // "internal": the CA failed
  kCaUnknownError = 35,  // a word this device does not know (a newer CA)
  // Renewal from a certificate that already has a successor (or whose device
  // was revoked and its lineage ended): only the head of a lineage renews.
  kSuperseded = 36,
  // The device's own again (appended: values never change). A device with
  // its own code stops after too many failed key confirmations.
  kLockedOut = 37,   // 5 failed confirmations: reset locally to pair again
  kBackingOff = 38,  // the last confirmation failed recently; retry after the pause
  // Sent by the CA but not in the protocol's table: a path under /enroll/v1/
  // that is no endpoint, answered as the daemon answers unknown paths (404
  // not_found). Not a C API code: a device reads it as kCaUnknownError.
  kUnknownEndpoint = 100,
};

// The word: the protocol's `error` value for what the CA sends
// ("bad_confirmation"), a short snake_case name for the device's own
// failures ("invalid_code").
std::string_view ErrorWord(EnrollError error);
// A fixed sentence describing the error, safe to show (never the CA's text).
// NUL-terminated (a string literal): the C API hands it out as is.
std::string_view ErrorDescription(EnrollError error);
// The HTTP status the CA answers the error with; 500 for the device's own.
int HttpStatus(EnrollError error);
// True for errors that will not go away by retrying the same request later
// (the certificate is revoked, expired, unknown; the code is burned...).
bool IsPermanent(EnrollError error);
// True for the errors the CA sends: the protocol's table, and not_found.
bool IsSentByCa(EnrollError error);
// The error a device reads from the CA's `error` word: kCaUnknownError for a
// word the protocol does not define.
EnrollError ErrorFromWire(std::string_view word);

// A failure: the table's Status code for `error`, `message` (safe to show),
// `detail` (for the log only), reason() = the error's word.
Status Fail(EnrollError error, std::string message, std::string detail = {});
// `cause` (from a lower layer: its code, message and detail) as `error`.
Status Fail(EnrollError error, const Status& cause);

// The error a Status carries: kOk when it is OK; the error whose word is its
// reason(); otherwise (a failure from below that nobody named) by its code:
// kInvalidArgument, kIo, or kInternal.
EnrollError ErrorOf(const Status& status);
template <typename T>
EnrollError ErrorOf(const Result<T>& result) {
  return ErrorOf(result.status());
}

}  // namespace homeca::enroll
