// The RFC 8555 section 7.1 objects as this server shows them: accounts,
// orders and authorizations. An authorization is valid from the start (the
// pairing is the authorization), so it lists no challenge to answer.
#include <Poco/JSON/Array.h>

#include "ca/x509/certificate.h"
#include "enroll/acme/acme_service_impl.h"

namespace homeca::enroll::acme {
namespace {

Poco::JSON::Object Identifier(const std::string& name) {
  Poco::JSON::Object id;
  id.set("type", "dns");
  id.set("value", name);
  return id;
}

}  // namespace

Poco::JSON::Object AccountObject(const ca::AcmeAccount& account, const AcmeUrls& urls) {
  Poco::JSON::Object body;
  body.set("status", ca::ToString(account.status));
  Poco::JSON::Array contact;
  for (const std::string& c : account.contact) contact.add(c);
  body.set("contact", contact);
  body.set("orders", urls.Account(account.id) + "/orders");
  return body;
}

Poco::JSON::Object OrderObject(const ca::AcmeOrder& order, const AcmeUrls& urls, std::int64_t now) {
  Poco::JSON::Object body;
  // An order past its expiry that never became valid is invalid (RFC 8555
  // section 7.1.6); a valid one stays valid.
  const bool expired = order.status != ca::AcmeOrderStatus::kValid && order.expires_at <= now;
  body.set("status", expired ? "invalid" : ca::ToString(order.status));
  body.set("expires", ca::FormatTimeIso(order.expires_at));
  Poco::JSON::Array identifiers;
  Poco::JSON::Array authorizations;
  for (std::size_t i = 0; i < order.authorizations.size(); ++i) {
    identifiers.add(Identifier(order.authorizations[i].name));
    authorizations.add(urls.Authorization(order.id, i));
  }
  body.set("identifiers", identifiers);
  body.set("authorizations", authorizations);
  body.set("finalize", urls.Order(order.id) + "/finalize");
  if (!order.certificate_serial.empty()) {
    body.set("certificate", urls.Certificate(order.certificate_serial));
  }
  return body;
}

Poco::JSON::Object AuthorizationObject(const ca::AcmeOrder& order, std::size_t position,
                                       std::int64_t now) {
  const ca::AcmeAuthorization& authz = order.authorizations[position];
  Poco::JSON::Object body;
  body.set("identifier", Identifier(authz.name));
  const char* status = authz.deactivated ? "deactivated"
                       : order.expires_at <= now && order.status != ca::AcmeOrderStatus::kValid
                           ? "expired"
                           : "valid";
  body.set("status", status);
  body.set("expires", ca::FormatTimeIso(order.expires_at));
  body.set("challenges", Poco::JSON::Array());
  return body;
}

}  // namespace homeca::enroll::acme
