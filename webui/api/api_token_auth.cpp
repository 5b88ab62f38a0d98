#include "webui/api/api_token_auth.h"

#include "webui/http/secret_tokens.h"

namespace homeca::webui {
namespace {

std::string Trim(const std::string& text) {
  const std::size_t first = text.find_first_not_of(" \t");
  if (first == std::string::npos) return "";
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

}  // namespace

Result<MintedApiToken> CreateApiToken(ca::AdminStore& store, const std::string& label,
                                      std::int64_t now, const std::string& actor) {
  const std::string trimmed = Trim(label);
  if (trimmed.empty() || trimmed.size() > 100) {
    return Status::InvalidArgument("describe the token in 1 to 100 characters");
  }
  for (unsigned char c : trimmed) {
    if (c < 0x20 || c == 0x7f) {
      return Status::InvalidArgument("the description must not contain control characters");
    }
  }
  MintedApiToken minted;
  minted.token = kApiTokenPrefix + NewRandomToken();
  Result<std::int64_t> id = store.CreateApiToken({trimmed, Sha256(minted.token), now, actor});
  if (!id.ok()) {
    Cleanse(minted.token);
    return id.status();
  }
  minted.id = *id;
  return minted;
}

Result<ca::ApiTokenRecord> AuthenticateBearer(ca::AdminStore& store,
                                              const std::string& authorization) {
  static const std::string kScheme = "Bearer ";
  if (authorization.empty()) {
    return Status::PermissionDenied("send an API token: 'Authorization: Bearer <token>'");
  }
  if (authorization.size() > 200 || authorization.compare(0, kScheme.size(), kScheme) != 0) {
    return Status::PermissionDenied("the Authorization header must be 'Bearer <token>'");
  }
  const std::string token = Trim(authorization.substr(kScheme.size()));
  if (token.rfind(kApiTokenPrefix, 0) != 0) {
    return Status::PermissionDenied("that is not a homeca API token");
  }
  Result<ca::ApiTokenRecord> record = store.FindActiveApiToken(Sha256(token));
  if (!record.ok() && record.status().IsNotFound()) {
    return Status::PermissionDenied("the API token is unknown or has been revoked");
  }
  return record;
}

}  // namespace homeca::webui
