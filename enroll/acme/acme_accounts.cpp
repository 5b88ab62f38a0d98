// AcmeService: accounts (RFC 8555 sections 7.3 to 7.3.6). An account comes
// into being only through an external account binding bound to a pairing:
// the first valid newAccount with a key id binds that account key to the
// pairing and wipes the HMAC key; the same key asking again gets its
// account back (200), any other key with that key id is refused.
#include <Poco/JSON/Array.h>

#include <algorithm>

#include "enroll/acme/acme_service_impl.h"
#include "enroll/acme/eab.h"
#include "enroll/acme/json_strict.h"
#include "enroll/acme/jws.h"

namespace homeca::enroll::acme {
namespace {

constexpr std::size_t kMaxContacts = 4;
constexpr std::size_t kMaxContactSize = 254;

// "contact": mailto: URLs only (as Let's Encrypt), printable, few and short.
Result<std::optional<std::vector<std::string>>> ParseContact(const Poco::JSON::Object& payload) {
  if (!payload.has("contact")) return std::optional<std::vector<std::string>>();
  Poco::JSON::Array::Ptr array = payload.getArray("contact");
  if (array.isNull()) return AcmeError(ProblemType::kMalformed, "\"contact\" must be an array");
  if (array->size() > kMaxContacts) {
    return AcmeError(ProblemType::kInvalidContact, "at most 4 contacts");
  }
  std::vector<std::string> out;
  for (unsigned int i = 0; i < array->size(); ++i) {
    if (!array->get(i).isString()) {
      return AcmeError(ProblemType::kMalformed, "each contact must be a string");
    }
    const std::string c = array->getElement<std::string>(i);
    if (c.rfind("mailto:", 0) != 0) {
      return AcmeError(ProblemType::kUnsupportedContact, "only mailto: contacts are supported");
    }
    if (c.size() <= 7 || c.size() > kMaxContactSize ||
        std::any_of(c.begin(), c.end(), [](char ch) { return ch <= 0x20 || ch > 0x7e; })) {
      return AcmeError(ProblemType::kInvalidContact, "a contact is a short mailto: URL");
    }
    out.push_back(c);
  }
  return std::optional<std::vector<std::string>>(out);
}

Result<bool> OptionalBool(const Poco::JSON::Object& payload, const std::string& name) {
  if (!payload.has(name)) return false;
  const Poco::Dynamic::Var value = payload.get(name);
  if (value.type() != typeid(bool)) {
    return AcmeError(ProblemType::kMalformed, "\"" + name + "\" must be a boolean");
  }
  return value.extract<bool>();
}

AcmeHttpResponse AccountAnswer(int status, const ca::AcmeAccount& account, const AcmeUrls& urls) {
  AcmeHttpResponse answer = JsonAnswer(status, AccountObject(account, urls));
  answer.headers.emplace_back("Location", urls.Account(account.id));
  return answer;
}

}  // namespace

AcmeHttpResponse AcmeService::Impl::NewAccount(const AcmeHttpRequest& request,
                                               const AcmeUrls& urls) {
  Result<VerifiedRequest> verified = Verify(request, urls, KeyReference::kJwk);
  if (!verified.ok()) return ProblemAnswer(verified.status());
  Result<Poco::JSON::Object::Ptr> payload = PayloadObject(*verified);
  if (!payload.ok()) return ProblemAnswer(payload.status());
  Result<bool> only_existing = OptionalBool(**payload, "onlyReturnExisting");
  if (!only_existing.ok()) return ProblemAnswer(only_existing.status());

  // RFC 8555 section 7.3.1: a key that has an account gets that account,
  // whatever else the request says; onlyReturnExisting is answered here,
  // before any binding is looked at.
  Result<ca::AcmeAccount> existing = records().FindAccountByThumbprint(verified->key.thumbprint());
  if (existing.ok()) {
    if (existing->status != ca::AcmeAccountStatus::kValid) {
      return ProblemAnswer(AcmeError(ProblemType::kUnauthorized, "this account is deactivated"));
    }
    return AccountAnswer(200, *existing, urls);
  }
  if (!existing.status().IsNotFound()) return ProblemAnswer(existing.status());
  if (*only_existing) {
    return ProblemAnswer(AcmeError(ProblemType::kAccountDoesNotExist, "no account has this key"));
  }

  Result<std::optional<std::vector<std::string>>> contact = ParseContact(**payload);
  if (!contact.ok()) return ProblemAnswer(contact.status());
  if (!(*payload)->has("externalAccountBinding")) {
    return ProblemAnswer(AcmeError(
        ProblemType::kExternalAccountRequired,
        "this CA needs an external account binding: add the device in homeca with \"it has an "
        "ACME client\" and give the client its key id and HMAC key"));
  }
  Poco::JSON::Object::Ptr binding_json = (*payload)->getObject("externalAccountBinding");
  if (binding_json.isNull()) {
    return ProblemAnswer(
        AcmeError(ProblemType::kMalformed, "\"externalAccountBinding\" must be an object"));
  }
  Result<ExternalAccountBinding> binding = ExternalAccountBinding::Parse(*binding_json);
  if (!binding.ok()) return ProblemAnswer(binding.status());
  Result<ca::AcmeEab> eab = records().FindEab(binding->key_id());
  if (!eab.ok()) {
    if (eab.status().IsNotFound()) {
      return ProblemAnswer(AcmeError(ProblemType::kUnauthorized, "unknown EAB key id"));
    }
    return ProblemAnswer(eab.status());
  }
  if (!eab->hmac_key) {
    return ProblemAnswer(AcmeError(ProblemType::kUnauthorized,
                                   "this EAB key id is already bound to another account key"));
  }
  Status mac = binding->Verify(urls.Url("/acme/new-account"), verified->key, *eab->hmac_key);
  if (!mac.ok()) return ProblemAnswer(mac);
  Result<DeviceStanding> standing = Standing(eab->pairing_id);
  if (!standing.ok()) return ProblemAnswer(standing.status());

  const std::int64_t now = Now();
  ca::NewAcmeAccount account{verified->key.thumbprint(), verified->key.canonical_json(),
                             contact->value_or(std::vector<std::string>{}), now};
  Result<ca::AcmeAccount> bound =
      records().BindAccount(account, eab->key_id, now + kAccountFirstOrderSeconds);
  if (!bound.ok()) {
    // Lost a race: the same key registered meanwhile (its account is the
    // answer), or another key took the binding first.
    if (bound.status().IsAlreadyExists()) {
      Result<ca::AcmeAccount> again = records().FindAccountByThumbprint(account.thumbprint);
      if (again.ok()) return AccountAnswer(200, *again, urls);
    }
    if (bound.status().code() == ErrorCode::kPermissionDenied) {
      return ProblemAnswer(AcmeError(ProblemType::kUnauthorized,
                                     "this EAB key id is already bound to another account key"));
    }
    return ProblemAnswer(bound.status());
  }
  return AccountAnswer(201, *bound, urls);
}

AcmeHttpResponse AcmeService::Impl::Account(const AcmeHttpRequest& request, const AcmeUrls& urls,
                                            std::int64_t id) {
  Result<VerifiedRequest> verified = Verify(request, urls, KeyReference::kKid);
  if (!verified.ok()) return ProblemAnswer(verified.status());
  if (verified->kid != urls.Account(id)) {
    return ProblemAnswer(
        AcmeError(ProblemType::kUnauthorized, "an account is changed only with its own key"));
  }
  Result<Requester> requester = AccountOf(*verified, urls);
  if (!requester.ok()) return ProblemAnswer(requester.status());
  Result<Poco::JSON::Object::Ptr> payload = PayloadObject(*verified);
  if (!payload.ok()) return ProblemAnswer(payload.status());
  ca::AcmeAccount account = requester->account;

  if ((*payload)->has("status")) {
    const Poco::Dynamic::Var status = (*payload)->get("status");
    if (!status.isString() || status.toString() != "deactivated") {
      return ProblemAnswer(
          AcmeError(ProblemType::kMalformed, "an account's status can only become deactivated"));
    }
    Status done = records().DeactivateAccount(id, Now(), AccountActor(id));
    if (!done.ok()) return ProblemAnswer(done);
    account.status = ca::AcmeAccountStatus::kDeactivated;
    return JsonAnswer(200, AccountObject(account, urls));
  }
  Result<std::optional<std::vector<std::string>>> contact = ParseContact(**payload);
  if (!contact.ok()) return ProblemAnswer(contact.status());
  if (*contact) {
    Status set = records().SetAccountContact(id, **contact);
    if (!set.ok()) return ProblemAnswer(set);
    account.contact = **contact;
  }
  return JsonAnswer(200, AccountObject(account, urls));
}

// RFC 8555 section 7.3.5: the outer JWS, signed by the old key, carries an
// inner JWS signed by the new key over {"account", "oldKey"}.
AcmeHttpResponse AcmeService::Impl::KeyChange(const AcmeHttpRequest& request,
                                              const AcmeUrls& urls) {
  Result<AccountRequest> checked = VerifyAccount(request, urls);
  if (!checked.ok()) return ProblemAnswer(checked.status());
  const VerifiedRequest* verified = &checked->verified;
  const Requester* requester = &checked->requester;
  Result<FlattenedJws> inner = ParseFlattenedJws(verified->payload);
  if (!inner.ok()) return ProblemAnswer(inner.status());
  Result<std::optional<std::string>> alg_text = OptionalString(*inner->header, "alg", "inner JWS");
  if (!alg_text.ok()) return ProblemAnswer(alg_text.status());
  Result<JwsAlgorithm> alg = ParseJwsAlgorithm(alg_text->value_or(""));
  if (!alg.ok()) return ProblemAnswer(alg.status());
  Poco::JSON::Object::Ptr jwk_json = inner->header->getObject("jwk");
  if (jwk_json.isNull() || inner->header->has("kid")) {
    return ProblemAnswer(
        AcmeError(ProblemType::kMalformed, "the inner JWS must carry the new key as \"jwk\""));
  }
  Result<std::optional<std::string>> inner_url = OptionalString(*inner->header, "url", "inner JWS");
  if (!inner_url.ok()) return ProblemAnswer(inner_url.status());
  if (inner_url->value_or("") != verified->url) {
    return ProblemAnswer(
        AcmeError(ProblemType::kMalformed, "the inner JWS's url is not the outer JWS's url"));
  }
  Result<Jwk> new_key = Jwk::FromJson(*jwk_json);
  if (!new_key.ok()) return ProblemAnswer(new_key.status());
  Status signature = VerifyJwsSignature(*inner, *alg, *new_key);
  if (!signature.ok()) return ProblemAnswer(signature);
  Result<Poco::JSON::Object::Ptr> change = ParseStrictObject(inner->payload, "the key change");
  if (!change.ok()) return ProblemAnswer(change.status());
  Result<std::string> account_url = RequiredString(**change, "account", "the key change");
  if (!account_url.ok()) return ProblemAnswer(account_url.status());
  if (*account_url != verified->kid) {
    return ProblemAnswer(AcmeError(ProblemType::kUnauthorized,
                                   "the key change names another account than the one signing"));
  }
  Poco::JSON::Object::Ptr old_json = (*change)->getObject("oldKey");
  if (old_json.isNull()) {
    return ProblemAnswer(AcmeError(ProblemType::kMalformed, "the key change needs \"oldKey\""));
  }
  Result<Jwk> old_key = Jwk::FromJson(*old_json);
  if (!old_key.ok()) return ProblemAnswer(old_key.status());
  if (!old_key->SameKey(verified->key)) {
    return ProblemAnswer(
        AcmeError(ProblemType::kUnauthorized, "\"oldKey\" is not the account's current key"));
  }
  const ca::AcmeAccount& account = requester->account;
  Status changed =
      records().ChangeAccountKey(account.id, account.thumbprint, new_key->thumbprint(),
                                 new_key->canonical_json(), Now(), AccountActor(account.id));
  if (changed.IsAlreadyExists()) {
    AcmeHttpResponse answer = ProblemAnswer(
        AcmeError(ProblemType::kMalformed, "another account already has the new key", {}, 409));
    Result<ca::AcmeAccount> other = records().FindAccountByThumbprint(new_key->thumbprint());
    if (other.ok()) answer.headers.emplace_back("Location", urls.Account(other->id));
    return answer;
  }
  if (changed.code() == ErrorCode::kPermissionDenied) {
    return ProblemAnswer(AcmeError(ProblemType::kUnauthorized, changed.message()));
  }
  if (!changed.ok()) return ProblemAnswer(changed);
  Result<ca::AcmeAccount> updated = records().FindAccount(account.id);
  if (!updated.ok()) return ProblemAnswer(updated.status());
  return JsonAnswer(200, AccountObject(*updated, urls));
}

}  // namespace homeca::enroll::acme
