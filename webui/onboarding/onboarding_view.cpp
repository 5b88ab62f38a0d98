#include "webui/onboarding/onboarding_view.h"

#include <openssl/sha.h>

#include "ca/root_export.h"

namespace homeca::webui {

pages::OnboardingView MakeOnboardingView(WebContext& web, const std::string& host_header,
                                         const std::string& user_agent) {
  const ca::Certificate& root = web.authority().root();
  pages::OnboardingView view;
  view.ca_name = root.SubjectCommonName();
  view.fingerprint = ca::RootFingerprint(root);
  // SHA-1 only to compare with what Windows shows (its "Thumbprint"): a
  // fingerprint of a certificate already in hand, never a signature.
  Bytes sha1(SHA_DIGEST_LENGTH);
  SHA1(root.der().data(), root.der().size(), sha1.data());
  view.fingerprint_sha1 = ColonHex(sha1);
  view.root_not_after = root.NotAfter();
  view.page_url = web.OnboardingUrlFor(host_header);
  view.admin_url = web.urls().admin_base;
  view.platform = DetectPlatform(user_agent);
  return view;
}

}  // namespace homeca::webui
