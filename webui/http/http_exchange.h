// HttpExchange: one request and its response, as the web UI's handlers see
// them: the decoded path, query and form fields, cookies, the client's
// address, and a few ways to answer. It caps what it reads (bodies, field
// counts) so a handler never has to.
//
// Ownership: borrows Poco's request and response for the duration of one
// handleRequest call. Thread-safety: one exchange per request thread.
#pragma once

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "ca/base/status.h"
#include "webui/http/html.h"

namespace homeca::webui {

inline constexpr std::size_t kMaxFormBytes = 16 * 1024;
inline constexpr std::size_t kMaxJsonBytes = 64 * 1024;

class HttpExchange {
 public:
  HttpExchange(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response);

  // False when the request target could not be parsed (answer 400).
  bool valid() const { return valid_; }
  const std::string& method() const { return request_.getMethod(); }
  bool IsGet() const;  // GET or HEAD
  bool IsPost() const;
  const std::string& path() const { return path_; }  // percent-decoded, no query
  std::string Query(const std::string& name) const;  // "" when absent

  // Reads and parses an application/x-www-form-urlencoded body.
  Status ReadForm(std::size_t max_bytes = kMaxFormBytes);
  std::string Form(const std::string& name) const;  // "" when absent
  // Reads the raw body (JSON), at most `max_bytes`.
  Result<std::string> ReadBody(std::size_t max_bytes = kMaxJsonBytes);

  std::string Cookie(const std::string& name) const;
  std::string Header(const std::string& name) const;
  std::string HostHeader() const;
  std::string ClientAddress() const;

  Poco::Net::HTTPServerResponse& response() { return response_; }
  void Send(int status, std::string_view content_type, std::string_view body);
  void SendHtml(int status, const Html& page);
  void SendJson(int status, const std::string& json);
  void Redirect(int status, const std::string& location);
  // Secure; HttpOnly; SameSite=Strict; Path=/. max_age < 0: a browser-session
  // cookie; 0: delete it.
  void SetCookie(const std::string& name, const std::string& value, int max_age = -1);

 private:
  Poco::Net::HTTPServerRequest& request_;
  Poco::Net::HTTPServerResponse& response_;
  bool valid_ = true;
  std::string path_;
  std::multimap<std::string, std::string> query_;
  std::multimap<std::string, std::string> form_;
};

// Parses name=value&... with '+' as space and %XX escapes; InvalidArgument on
// a malformed escape or more than `max_fields` fields.
Result<std::multimap<std::string, std::string>> ParseUrlEncoded(std::string_view text,
                                                                std::size_t max_fields = 64);

}  // namespace homeca::webui
