// AcmeService: orders and authorizations (RFC 8555 sections 7.4, 7.5). The
// pairing is the authorization: an order for names its pairing holds is
// ready at once, with authorizations already valid; any other name is a
// rejectedIdentifier, and nothing is stored.
#include <Poco/JSON/Array.h>

#include <algorithm>
#include <cctype>

#include "enroll/acme/acme_rate_limits.h"
#include "enroll/acme/acme_service_impl.h"
#include "enroll/acme/json_strict.h"

namespace homeca::enroll::acme {
namespace {

constexpr std::size_t kMaxIdentifiers = 100;

std::string Lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

std::string Join(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

// The order's names, lower-cased, in the order asked, without repeats; each
// one a name `allowed` holds.
Result<std::vector<std::string>> OrderNames(const Poco::JSON::Object& payload,
                                            const std::vector<std::string>& allowed) {
  Poco::JSON::Array::Ptr identifiers = payload.getArray("identifiers");
  if (identifiers.isNull() || identifiers->size() == 0) {
    return AcmeError(ProblemType::kMalformed, "an order needs a non-empty \"identifiers\" array");
  }
  if (identifiers->size() > kMaxIdentifiers) {
    return AcmeError(ProblemType::kMalformed, "too many identifiers in one order");
  }
  std::vector<std::string> names;
  for (unsigned int i = 0; i < identifiers->size(); ++i) {
    Poco::JSON::Object::Ptr id = identifiers->getObject(i);
    if (id.isNull()) return AcmeError(ProblemType::kMalformed, "an identifier is an object");
    Result<std::string> type = RequiredString(*id, "type", "an identifier");
    if (!type.ok()) return type.status();
    Result<std::string> value = RequiredString(*id, "value", "an identifier");
    if (!value.ok()) return value.status();
    if (*type != "dns") {
      return AcmeError(ProblemType::kUnsupportedIdentifier,
                       "only dns identifiers are supported, not \"" + *type + "\"");
    }
    const std::string name = Lower(*value);
    if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
      return AcmeError(
          ProblemType::kRejectedIdentifier,
          "\"" + name + "\" is not a name of this device; it may order " + Join(allowed));
    }
    if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
  }
  return names;
}

}  // namespace

AcmeHttpResponse AcmeService::Impl::NewOrder(const AcmeHttpRequest& request, const AcmeUrls& urls) {
  Result<AccountRequest> checked = VerifyAccount(request, urls);
  if (!checked.ok()) return ProblemAnswer(checked.status());
  const VerifiedRequest* verified = &checked->verified;
  const Requester* requester = &checked->requester;
  if (verified->post_as_get()) {
    return ProblemAnswer(AcmeError(ProblemType::kMalformed, "newOrder needs a payload"));
  }
  Result<Poco::JSON::Object::Ptr> payload = PayloadObject(*verified);
  if (!payload.ok()) return ProblemAnswer(payload.status());
  Result<DeviceStanding> standing = Standing(requester->account.pairing_id);
  if (!standing.ok()) return ProblemAnswer(standing.status());
  Status limited =
      CheckOrderRate(authority, *standing, requester->account.id, certificates_per_day);
  if (!limited.ok()) return ProblemAnswer(limited);
  Result<std::vector<std::string>> names = OrderNames(**payload, standing->pairing.names);
  if (!names.ok()) return ProblemAnswer(names.status());
  const std::int64_t now = Now();
  Result<ca::AcmeOrder> order = records().CreateOrder(
      requester->account.id, *names, now, now + kOrderLifetimeSeconds,
      ca::AuditEntry{0, now, AccountActor(requester->account.id), "acme-order",
                     "for " + Join(*names) + " (pairing " +
                         std::to_string(requester->account.pairing_id) + ")"});
  if (!order.ok()) return ProblemAnswer(order.status());
  AcmeHttpResponse answer = JsonAnswer(201, OrderObject(*order, urls, now));
  answer.headers.emplace_back("Location", urls.Order(order->id));
  return answer;
}

AcmeHttpResponse AcmeService::Impl::Order(const AcmeHttpRequest& request, const AcmeUrls& urls,
                                          std::int64_t id) {
  Result<OrderRequest> about = VerifyOrder(request, urls, id);
  if (!about.ok()) return ProblemAnswer(about.status());
  return JsonAnswer(200, OrderObject(about->order, urls, Now()));
}

AcmeHttpResponse AcmeService::Impl::Orders(const AcmeHttpRequest& request, const AcmeUrls& urls,
                                           std::int64_t account_id) {
  Result<VerifiedRequest> verified = Verify(request, urls, KeyReference::kKid);
  if (!verified.ok()) return ProblemAnswer(verified.status());
  if (verified->kid != urls.Account(account_id)) {
    return ProblemAnswer(
        AcmeError(ProblemType::kUnauthorized, "an account lists only its own orders"));
  }
  Result<std::vector<std::int64_t>> ids = records().ListOrderIds(account_id, kMaxListedOrders);
  if (!ids.ok()) return ProblemAnswer(ids.status());
  Poco::JSON::Array list;
  for (std::int64_t id : *ids) list.add(urls.Order(id));
  Poco::JSON::Object body;
  body.set("orders", list);
  return JsonAnswer(200, body);
}

AcmeHttpResponse AcmeService::Impl::Authorization(const AcmeHttpRequest& request,
                                                  const AcmeUrls& urls, std::int64_t order_id,
                                                  std::int64_t position) {
  Result<OrderRequest> about = VerifyOrder(request, urls, order_id);
  if (!about.ok()) return ProblemAnswer(about.status());
  const VerifiedRequest* verified = &about->checked.verified;
  const Requester* requester = &about->checked.requester;
  Result<ca::AcmeOrder> order = about->order;
  if (position < 0 || static_cast<std::size_t>(position) >= order->authorizations.size()) {
    return ProblemAnswer(AcmeError(ProblemType::kMalformed, "no such authorization", {}, 404));
  }
  const auto index = static_cast<std::size_t>(position);
  Result<Poco::JSON::Object::Ptr> payload = PayloadObject(*verified);
  if (!payload.ok()) return ProblemAnswer(payload.status());
  // RFC 8555 section 7.5.2: the client gives up an authorization (certbot
  // --dry-run does, so that the next run starts afresh).
  if ((*payload)->has("status")) {
    const Poco::Dynamic::Var status = (*payload)->get("status");
    if (!status.isString() || status.toString() != "deactivated") {
      return ProblemAnswer(AcmeError(ProblemType::kMalformed,
                                     "an authorization's status can only become deactivated"));
    }
    Status done = records().DeactivateAuthorization(order_id, static_cast<int>(index), Now(),
                                                    AccountActor(requester->account.id));
    if (!done.ok()) return ProblemAnswer(done);
    order = records().FindOrder(order_id);
    if (!order.ok()) return ProblemAnswer(order.status());
  }
  return JsonAnswer(200, AuthorizationObject(*order, index, Now()));
}

}  // namespace homeca::enroll::acme
