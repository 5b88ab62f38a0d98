#include "ca/plain_words.h"

#include <algorithm>
#include <string_view>
#include <utility>

namespace homeca::ca {
namespace {

bool TakePrefix(std::string_view& text, std::string_view prefix) {
  if (!text.starts_with(prefix)) return false;
  text.remove_prefix(prefix.size());
  return true;
}

}  // namespace

const char* PairingStateWord(PairingState state) {
  switch (state) {
    case PairingState::kArmed:
      return "waiting";
    case PairingState::kPaired:
      return "paired";
    case PairingState::kBurned:
      return "failed";
    case PairingState::kCancelled:
      return "cancelled";
    case PairingState::kExpired:
      return "expired";
  }
  return "failed";
}

std::string AttemptsLeftWords(int left) {
  if (left <= 0) return "no attempts left";
  return std::to_string(left) + (left == 1 ? " attempt left" : " attempts left");
}

PairingStanding DescribePairing(const PairingSummary& p, int max_attempts) {
  PairingStanding s;
  s.word = PairingStateWord(p.state);
  s.attempts_left = p.state == PairingState::kArmed ? std::max(0, max_attempts - p.attempts) : 0;
  s.wrong_code = p.failed_attempts > 0;
  switch (p.state) {
    case PairingState::kArmed:
      s.can_make_new_code = true;
      if (s.wrong_code) {
        s.sentence = std::string(p.failed_attempts == 1 ? "A wrong code was" : "Wrong codes were") +
                     " typed on the device -- " + AttemptsLeftWords(s.attempts_left) + ".";
      } else if (p.attempts > 0) {
        s.sentence = "The device tried to pair -- " + AttemptsLeftWords(s.attempts_left) + ".";
      } else {
        s.sentence = "Waiting for the device.";
      }
      break;
    case PairingState::kPaired:
      s.sentence = "The device is paired.";
      break;
    case PairingState::kBurned:
      s.can_make_new_code = true;
      s.sentence = s.wrong_code ? "Failed: a wrong code was typed on the device too many times. "
                                  "Make a new code to try again."
                                : "Failed: the attempts for this code are used up. Make a new "
                                  "code to try again.";
      break;
    case PairingState::kCancelled:
      s.sentence = "Cancelled: this code no longer works.";
      break;
    case PairingState::kExpired:
      s.can_make_new_code = true;
      s.sentence = "Expired before the device paired. Make a new code to try again.";
      break;
  }
  return s;
}

std::string PlainAuditAction(std::string_view action) {
  static constexpr std::pair<std::string_view, std::string_view> kWords[] = {
      {"pairing-created", "pairing code made"},
      {"pairing-armed", "device's own code armed"},
      {"pairing-attempt", "device tried to pair"},
      {"pairing-wrong-code", "wrong code typed on the device"},
      {"pairing-bad-confirmation", "wrong code typed on the device"},
      {"pairing-burned", "pairing failed (attempts used up)"},
      {"pairing-cancelled", "pairing cancelled"},
      {"pairing-expired", "pairing code expired"},
      {"pairing-paired", "device paired"},
      {"pairing-finish-failed", "pairing failed"},
      {"device-revoke", "device revoked"},
      {"device-replaced", "device replaced"},
      {"device-pin", "device address pinned"},
      {"issue", "certificate issued"},
      {"renew", "certificate renewed"},
      {"renew-retry", "renewal answered again"},
      {"crl", "revocation list published"},
      {"init", "CA created"},
      {"settings", "settings changed"},
      {"admin-password", "admin password set"},
      {"acme-issue", "certificate issued (ACME)"},
      {"acme-order", "ACME order"},
      {"acme-key-change", "ACME account key changed"},
      {"api-token-revoke", "API token revoked"},
      {"root-key-export", "root key exported"},
      {"root-key-offline", "root key taken offline"},
      {"intermediate-renew", "intermediate certificate renewed"},
  };
  for (const auto& [word, plain] : kWords) {
    if (action == word) return std::string(plain);
  }
  std::string out(action);
  std::replace(out.begin(), out.end(), '-', ' ');
  return out;
}

std::string PlainActor(std::string_view actor) {
  if (actor == "admin") return "administrator (web)";
  if (actor == "cli") return "command line";
  if (actor == "enrollment") return "enrollment service";
  std::string_view rest = actor;
  if (TakePrefix(rest, "slot:")) return "a device with a pairing code";
  if (TakePrefix(rest, "device:")) return "device " + std::string(rest);
  if (TakePrefix(rest, "acme:account-")) return "ACME client (account " + std::string(rest) + ")";
  // Certificates' requesters act in the audit log too (the "issue" entry).
  if (TakePrefix(rest, "pairing:")) {
    return "a device, when it paired (device " + std::string(rest) + ")";
  }
  if (TakePrefix(rest, "renewal:")) return "a device renewing certificate " + std::string(rest);
  return std::string(actor);
}

std::string PlainRequester(std::string_view requester) { return PlainActor(requester); }

}  // namespace homeca::ca
