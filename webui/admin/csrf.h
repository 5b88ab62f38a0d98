// CSRF protection for the admin forms: the synchronizer-token pattern. Each
// session has its own random token; every form carries it in a hidden field
// named "csrf", and a state-changing request is refused unless the field
// matches the session's token (compared in constant time). Cookies are also
// SameSite=Strict, so this is the second of two locks.
//
// Before there is a session (the login and first-run setup forms) the same
// check runs against a short-lived random cookie instead (double submit), so
// another site cannot post a login on the admin's behalf either.
//
// Thread-safety: pure functions.
#pragma once

#include <string_view>

namespace homeca::webui {

inline constexpr const char* kCsrfField = "csrf";
// __Host-: the browser only accepts it with Secure, Path=/ and no Domain.
inline constexpr const char* kLoginCsrfCookie = "__Host-homeca-login";

// True only when `presented` equals the non-empty `expected` token.
bool CsrfTokenMatches(std::string_view expected, std::string_view presented);

}  // namespace homeca::webui
