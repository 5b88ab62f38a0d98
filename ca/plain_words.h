// The one place where the CA's internal words become the words people read:
// pairing states and what a pairing needs next, audit actions and actors
// ("pairing-burned", "slot:55"), and who a certificate was issued to
// ("pairing:1", "renewal:<serial>"). The web pages and the CLI both use it,
// so the same thing reads the same everywhere, and a rendered page never
// shows a store word (tests/webui/pages check that).
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "ca/pairing_record.h"

namespace homeca::ca {

// "waiting", "paired", "failed", "cancelled" or "expired": the pairing's
// state in one word (the JSON API's "status").
const char* PairingStateWord(PairingState state);

// A pairing as a person needs it: the word, a sentence saying what happened
// and what to do, and the attempts left while it waits.
struct PairingStanding {
  std::string word;      // PairingStateWord
  std::string sentence;  // e.g. "A wrong code was typed on the device -- 4 attempts left."
  int attempts_left = 0;
  bool wrong_code = false;         // a wrong code is known to have been typed
  bool can_make_new_code = false;  // waiting, failed or expired: "New code" makes sense
};
PairingStanding DescribePairing(const PairingSummary& pairing,
                                int max_attempts = kMaxPairingAttempts);

// "2 attempts left" / "1 attempt left" / "no attempts left".
std::string AttemptsLeftWords(int left);

// Audit log words: "pairing-burned" -> "pairing failed (attempts used up)".
// Unknown actions come back as they are, hyphens read as spaces.
std::string PlainAuditAction(std::string_view action);
// Who did it: "slot:07" -> "a device with a pairing code", "device:tv-1" ->
// "device tv-1", "admin" -> "administrator (web)", "cli" -> "command line",
// "acme:account-3" -> "ACME client (account 3)", "pairing:1" -> "a device,
// when it paired (device 1)", "renewal:<serial>" -> "a device renewing
// certificate <serial>". Unknown actors come back as they are.
std::string PlainActor(std::string_view actor);
// Whom a certificate was issued to (its requester, the same words).
std::string PlainRequester(std::string_view requester);

}  // namespace homeca::ca
