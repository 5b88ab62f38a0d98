// Finding the CA on the LAN: browse _homeca._tcp, keep the records that
// follow homeca's schema (mdns/homeca_records.h), and pick one, so that
// `homeca-enroll pair --code CODE` needs no address.
//
// Which one: with a name (--ca-name), the first CA of that instance name;
// without, the only CA on the LAN. Several CAs without a name is an error
// that lists them, never a guess: pairing with the wrong CA would only burn
// a code, but the person should choose. The address is the first IPv4 one
// when there is one (it needs no scope), else IPv6, with the interface for a
// link-local address.
//
// What the record says is not trusted: its fingerprint prefix is checked
// against the root that arrives sealed under the pairing code (PairingOptions
// ::root_fingerprint_prefix), so a record pointing at the wrong CA makes the
// pairing fail before anything is written.
//
// Thread-safety: FindCa blocks the calling thread; ChooseCa is pure.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "enroll/device/endpoint_url.h"
#include "enroll/protocol/errors.h"
#include "mdns/mdns.h"

namespace homeca::enroll {

struct FoundCa {
  std::string name;  // the instance name, e.g. "homeca on nas"
  std::string host_name;
  Endpoint endpoint;  // address, port, enrollment path
  std::string fingerprint_prefix;
};

struct FindCaOptions {
  std::string ca_name;  // empty: the only CA there is
  std::chrono::milliseconds timeout{5000};
  // After the first CA appears, how long to wait for others before deciding
  // (unless Avahi says it has all answers for now).
  std::chrono::milliseconds settle{400};
};

// What one _homeca._tcp record offers: a usable CA, or why not.
struct CaCandidate {
  mdns::ResolvedService service;
  std::string problem;  // empty when usable
};

// Decides from what was seen. kNotFound-like failures carry a message naming
// the candidates (sanitized names; safe to print).
Result<FoundCa> ChooseCa(const std::vector<CaCandidate>& seen, const std::string& ca_name);

// Browses until it can decide or `timeout` passes.
Result<FoundCa> FindCa(mdns::Mdns& mdns, const FindCaOptions& options);

}  // namespace homeca::enroll
