// Test support: a "browser" made of curl with its own cookie jar, so tests
// exercise the same HTTP a browser sends, and what tests read from a page
// (test ids, the CSRF token).
//
// Thread-safety: one test thread. Ownership: a Browser borrows the TempDir
// its jar and last answer are kept in.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "tests/support/process.h"

namespace homeca::testing {

struct HttpResult {
  int status = 0;
  std::string headers;  // raw, as received
  std::string body;
  // The value of the last header `name` (case-insensitive), "" if absent.
  std::string Header(const std::string& name) const;
  std::vector<std::string> Headers(const std::string& name) const;
};

using FormFields = std::vector<std::pair<std::string, std::string>>;

class Browser {
 public:
  // `source`: the local address curl connects from ("" for the default),
  // e.g. 127.0.0.2 to look like a second host (loopback takes any 127/8).
  explicit Browser(const TempDir& dir, const std::string& name = "browser",
                   const std::string& source = "");
  HttpResult Get(const std::string& url, const std::vector<std::string>& extra = {}) const;
  HttpResult Post(const std::string& url, const FormFields& fields,
                  const std::vector<std::string>& extra = {}) const;
  // GETs `page_url` and posts `fields` plus the page's CSRF token to `action`.
  HttpResult Submit(const std::string& page_url, const std::string& action,
                    FormFields fields) const;
  std::string jar() const { return jar_; }

 private:
  HttpResult Curl(std::vector<std::string> args) const;
  const TempDir& dir_;
  std::string jar_;
  std::string name_;
  std::string source_;
};

// The text of the first element carrying data-testid="<id>" ("" if none).
std::string TestIdText(const std::string& html, const std::string& id);
int CountTestId(const std::string& html, const std::string& id);
// The value of the first <input name="csrf">.
std::string CsrfToken(const std::string& html);

}  // namespace homeca::testing
