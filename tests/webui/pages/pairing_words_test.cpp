// What the pairing, audit and certificate pages say: plain words, one state
// at a time (no "paired · done" beside "Waiting for device", no "expired ·
// expired"), and never a store word such as "armed", "burned", "slot:55",
// "pairing-burned" or "pairing:1" (ca/plain_words.h).
#include <catch2/catch.hpp>

#include "ca/plain_words.h"
#include "webui/pages/pages.h"

namespace homeca::webui {
namespace {

const pages::PageFrame kFrame{"Pairing", "add", "csrf-token-value-0123456789abcdefghijkl"};
constexpr std::int64_t kNow = 1'800'000'000;

// The view as GetPairing fills it from the store's summary.
pages::PairingView ViewOf(const ca::PairingSummary& p) {
  pages::PairingView view;
  view.id = p.id;
  view.names = p.names;
  view.status = ca::PairingStateWord(p.state);
  const ca::PairingStanding standing = ca::DescribePairing(p);
  view.summary = standing.sentence;
  view.attempts_left = standing.attempts_left;
  view.wrong_code = standing.wrong_code;
  view.can_make_new_code = standing.can_make_new_code && p.key.slot.has_value();
  view.replaces = p.replaces;
  view.expires_at = p.expires_at;
  view.seconds_left = p.state == ca::PairingState::kArmed ? p.expires_at - kNow : 0;
  view.certificate_serial = p.certificate_serial;
  return view;
}

ca::PairingSummary Pairing(ca::PairingState state, int attempts = 0, int failed = 0) {
  ca::PairingSummary p;
  p.id = 1;
  p.key = ca::PairingKey::Slot(55);
  p.names = {"nas.home.arpa", "nas.local"};
  p.state = state;
  p.created_at = kNow - 60;
  p.expires_at = kNow + 540;
  p.attempts = attempts;
  p.failed_attempts = failed;
  if (state == ca::PairingState::kPaired) p.certificate_serial = "0a1b2c";
  return p;
}

// The page's text, tags (and their test ids and attributes) left out.
std::string TextOf(const std::string& html) {
  std::string text;
  bool in_tag = false;
  for (char c : html) {
    if (c == '<') in_tag = true;
    if (!in_tag) text += c;
    if (c == '>') in_tag = false;
  }
  return text;
}

// Store words and contradictions that must never reach a person.
void CheckPlain(const std::string& html) {
  const std::string text = TextOf(html);
  for (const char* word : {"armed", "burned", "slot:", "pairing:", "pairing-", "device-revoke",
                           "· done", "expired · expired", "kArmed"}) {
    INFO("found " << word);
    CHECK(text.find(word) == std::string::npos);
  }
}

bool Visible(const std::string& html, const std::string& testid) {
  const std::size_t at = html.find("data-testid=\"" + testid + "\"");
  if (at == std::string::npos) return false;
  const std::size_t end = html.find('>', at);
  return html.substr(at, end - at).find(" hidden") == std::string::npos;
}

// The "New code" form, shown (not hidden).
bool NewCodeOffered(const std::string& html) {
  return html.find("data-when-new-code action=\"/pairings/1/new-code\">") != std::string::npos;
}

TEST_CASE("pairing page: a wrong code typed on the device, with the attempts left") {
  const std::string html =
      pages::RenderPairingPage(kFrame, ViewOf(Pairing(ca::PairingState::kArmed, 1, 1))).str();
  CheckPlain(html);
  CHECK(html.find("A wrong code was typed on the device -- 4 attempts left.") != std::string::npos);
  CHECK(NewCodeOffered(html));
  CHECK(html.find("csrf-token-value-0123456789abcdefghijkl") != std::string::npos);
  CHECK(html.find("Cancel this pairing") != std::string::npos);
  CHECK_FALSE(Visible(html, "next-steps"));
}

TEST_CASE("pairing page: each ended state says one thing, in words") {
  SECTION("failed") {
    const std::string html =
        pages::RenderPairingPage(kFrame, ViewOf(Pairing(ca::PairingState::kBurned, 5, 5))).str();
    CheckPlain(html);
    CHECK(html.find("Failed: a wrong code was typed on the device too many times.") !=
          std::string::npos);
    CHECK(html.find(">failed</span>") != std::string::npos);
    CHECK(NewCodeOffered(html));
  }
  SECTION("expired") {
    const std::string html =
        pages::RenderPairingPage(kFrame, ViewOf(Pairing(ca::PairingState::kExpired))).str();
    CheckPlain(html);
    CHECK(html.find("Expired before the device paired.") != std::string::npos);
    CHECK(NewCodeOffered(html));
    // The expiry line belongs to a waiting pairing only.
    CHECK(html.find("<span data-when-waiting hidden>") != std::string::npos);
  }
  SECTION("paired: next steps, the device's files and links, no new code") {
    const std::string html =
        pages::RenderPairingPage(kFrame, ViewOf(Pairing(ca::PairingState::kPaired, 1))).str();
    CheckPlain(html);
    CHECK(html.find("Waiting for") == std::string::npos);
    CHECK(Visible(html, "next-steps"));
    CHECK(html.find("/var/lib/homeca-enroll") != std::string::npos);
    CHECK(html.find("homeca-enroll run") != std::string::npos);
    CHECK(html.find("systemctl enable --now homeca-enroll") != std::string::npos);
    CHECK(html.find("href=\"https://nas.home.arpa/\"") != std::string::npos);
    CHECK(html.find("href=\"https://nas.local/\"") != std::string::npos);
    CHECK(html.find("<form class=\"actions\" method=\"post\" data-when-new-code action=\"/"
                    "pairings/1/new-code\" hidden>") != std::string::npos);
  }
  SECTION("paired with the device's own code: no 'Waiting for device' beside it") {
    ca::PairingSummary p = Pairing(ca::PairingState::kPaired, 1);
    p.key = ca::PairingKey::Device("tv-1");
    pages::PairingView view = ViewOf(p);
    view.device_id = "tv-1";
    const std::string html = pages::RenderPairingPage(kFrame, view).str();
    CheckPlain(html);
    CHECK(html.find("Waiting for") == std::string::npos);
    CHECK_FALSE(NewCodeOffered(html));  // only the device can bring a new code
    view.status = "waiting";
    view.summary = "Waiting for the device.";
    CHECK(pages::RenderPairingPage(kFrame, view).str().find("Waiting for device <strong>tv-1") !=
          std::string::npos);
  }
  SECTION("cancelled") {
    const std::string html =
        pages::RenderPairingPage(kFrame, ViewOf(Pairing(ca::PairingState::kCancelled))).str();
    CheckPlain(html);
    CHECK(html.find("Cancelled: this code no longer works.") != std::string::npos);
  }
}

TEST_CASE("add-device page: a name in use is refused with a replace choice") {
  pages::AddDeviceView view;
  view.device_name = "nas";
  view.error_form = "code";
  view.error = "nas.home.arpa is already the name of a paired device (device 3).";
  view.offer_replace = true;
  view.replace_what = "nas";
  const std::string html = pages::RenderAddDevicePage(kFrame, view).str();
  CHECK(html.find("data-testid=\"replace-device\">Replace nas</button>") != std::string::npos);
  CHECK(html.find("name=\"replace\" value=\"on\"") != std::string::npos);
  view.offer_replace = false;
  CHECK(pages::RenderAddDevicePage(kFrame, view).str().find("replace-device") == std::string::npos);
}

TEST_CASE("audit and certificate pages say who and what in words") {
  pages::AuditView audit;
  audit.rows.push_back({kNow, "slot:55", "pairing-burned", "pairing 1 (slot 55): burned"});
  audit.rows.push_back({kNow, "pairing:1", "issue", "serial 0a1b for nas.home.arpa"});
  audit.rows.push_back({kNow, "slot:55", "pairing-wrong-code", "pairing 1 (slot 55): wrong"});
  audit.rows.push_back({kNow, "admin", "device-revoke", "device 1"});
  const std::string html = pages::RenderAuditPage(kFrame, audit).str();
  CHECK(html.find("slot:55") == std::string::npos);
  CHECK(html.find("pairing-burned") == std::string::npos);
  CHECK(html.find("pairing:1") == std::string::npos);
  CHECK(html.find("pairing failed (attempts used up)") != std::string::npos);
  CHECK(html.find("wrong code typed on the device") != std::string::npos);
  CHECK(html.find("a device with a pairing code") != std::string::npos);
  CHECK(html.find("device revoked") != std::string::npos);

  pages::CertificateView cert;
  cert.row = {"0a1b", "nas.home.arpa", "nas.home.arpa", "valid", kNow + 86400, kNow, "pairing:1"};
  cert.names = {"nas.home.arpa"};
  const std::string cert_html = pages::RenderCertificatePage(kFrame, cert).str();
  CHECK(cert_html.find("pairing:1") == std::string::npos);
  CHECK(cert_html.find("for pairing") == std::string::npos);
  CHECK(cert_html.find("a device, when it paired (device 1)") != std::string::npos);
}

TEST_CASE("plain words: attempts left and unknown words") {
  CHECK(ca::AttemptsLeftWords(1) == "1 attempt left");
  CHECK(ca::AttemptsLeftWords(0) == "no attempts left");
  CHECK(ca::PlainAuditAction("some-new-thing") == "some new thing");
  CHECK(ca::PlainActor("device:tv-1") == "device tv-1");
  CHECK(ca::PlainRequester("renewal:0A1B") == "a device renewing certificate 0A1B");
  ca::PairingSummary tried;
  tried.attempts = 2;
  CHECK(ca::DescribePairing(tried).sentence == "The device tried to pair -- 3 attempts left.");
}

}  // namespace
}  // namespace homeca::webui
