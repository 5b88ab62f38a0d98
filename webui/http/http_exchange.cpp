#include "webui/http/http_exchange.h"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPCookie.h>
#include <Poco/Net/NameValueCollection.h>
#include <Poco/URI.h>

#include "ca/base/encoding.h"

namespace homeca::webui {
namespace {

std::string FirstOf(const std::multimap<std::string, std::string>& values,
                    const std::string& name) {
  auto it = values.find(name);
  return it == values.end() ? std::string() : it->second;
}

}  // namespace

Result<std::multimap<std::string, std::string>> ParseUrlEncoded(std::string_view text,
                                                                std::size_t max_fields) {
  std::multimap<std::string, std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('&', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view field = text.substr(start, end - start);
    start = end + 1;
    if (field.empty()) continue;
    if (out.size() >= max_fields) return Status::InvalidArgument("too many form fields");
    const std::size_t eq = field.find('=');
    std::string name(field.substr(0, eq));
    std::string value(eq == std::string_view::npos ? std::string_view() : field.substr(eq + 1));
    for (std::string* s : {&name, &value}) {
      for (char& c : *s) {
        if (c == '+') c = ' ';
      }
      std::string decoded;
      try {
        Poco::URI::decode(*s, decoded);
      } catch (const Poco::Exception&) {
        return Status::InvalidArgument("the form data is malformed");
      }
      *s = std::move(decoded);
    }
    out.emplace(std::move(name), std::move(value));
  }
  return out;
}

HttpExchange::HttpExchange(Poco::Net::HTTPServerRequest& request,
                           Poco::Net::HTTPServerResponse& response)
    : request_(request), response_(response) {
  try {
    Poco::URI uri(request.getURI());
    path_ = uri.getPath();
    const std::string& raw = uri.getRawQuery();
    auto query = ParseUrlEncoded(raw);
    if (query.ok()) {
      query_ = std::move(*query);
    } else {
      valid_ = false;
    }
  } catch (const Poco::Exception&) {
    valid_ = false;
  }
  if (path_.empty() || path_[0] != '/') valid_ = false;
}

bool HttpExchange::IsGet() const {
  return method() == Poco::Net::HTTPRequest::HTTP_GET ||
         method() == Poco::Net::HTTPRequest::HTTP_HEAD;
}

bool HttpExchange::IsPost() const { return method() == Poco::Net::HTTPRequest::HTTP_POST; }

std::string HttpExchange::Query(const std::string& name) const { return FirstOf(query_, name); }

Result<std::string> HttpExchange::ReadBody(std::size_t max_bytes) {
  if (request_.hasContentLength() &&
      request_.getContentLength64() > static_cast<Poco::Int64>(max_bytes)) {
    return Status::InvalidArgument("the request body is larger than " +
                                   std::to_string(max_bytes / 1024) + " KiB");
  }
  // Read at most one byte past the cap, whatever the headers claimed.
  std::string body(max_bytes + 1, '\0');
  request_.stream().read(body.data(), static_cast<std::streamsize>(body.size()));
  body.resize(static_cast<std::size_t>(request_.stream().gcount()));
  if (body.size() > max_bytes) {
    return Status::InvalidArgument("the request body is larger than " +
                                   std::to_string(max_bytes / 1024) + " KiB");
  }
  return body;
}

Status HttpExchange::ReadForm(std::size_t max_bytes) {
  const std::string type = request_.getContentType();
  if (type.rfind("application/x-www-form-urlencoded", 0) != 0) {
    return Status::InvalidArgument("expected a form (application/x-www-form-urlencoded)");
  }
  Result<std::string> body = ReadBody(max_bytes);
  if (!body.ok()) return body.status();
  auto form = ParseUrlEncoded(*body);
  Cleanse(*body);  // may hold a password
  if (!form.ok()) return form.status();
  form_ = std::move(*form);
  return Status::Ok();
}

std::string HttpExchange::Form(const std::string& name) const { return FirstOf(form_, name); }

std::string HttpExchange::Cookie(const std::string& name) const {
  Poco::Net::NameValueCollection cookies;
  request_.getCookies(cookies);
  return cookies.get(name, "");
}

std::string HttpExchange::Header(const std::string& name) const { return request_.get(name, ""); }

std::string HttpExchange::HostHeader() const { return request_.getHost(); }

std::string HttpExchange::ClientAddress() const {
  return request_.clientAddress().host().toString();
}

void HttpExchange::Send(int status, std::string_view content_type, std::string_view body) {
  response_.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
  response_.setContentType(std::string(content_type));
  response_.setContentLength(static_cast<std::streamsize>(body.size()));
  std::ostream& out = response_.send();
  out.write(body.data(), static_cast<std::streamsize>(body.size()));
}

void HttpExchange::SendHtml(int status, const Html& page) {
  Send(status, "text/html; charset=utf-8", page.str());
}

void HttpExchange::SendJson(int status, const std::string& json) {
  Send(status, "application/json", json);
}

void HttpExchange::Redirect(int status, const std::string& location) {
  response_.set("Location", location);
  Send(status, "text/plain; charset=utf-8", "See " + location + "\n");
}

void HttpExchange::SetCookie(const std::string& name, const std::string& value, int max_age) {
  std::string cookie = name + "=" + value + "; Path=/; Secure; HttpOnly; SameSite=Strict";
  if (max_age >= 0) cookie += "; Max-Age=" + std::to_string(max_age);
  response_.add("Set-Cookie", cookie);
}

}  // namespace homeca::webui
