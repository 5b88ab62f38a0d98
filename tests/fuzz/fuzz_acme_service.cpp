// Fuzz target: the ACME server's request path (enroll/acme/acme_service.h:
// AcmeService::Handle) on a real CA in a throwaway directory, with one ACME
// pairing and its binding: routing, the request check, every resource's
// payload parsing, and the problem documents.
//
// Input: a selector byte, then the request body. Selector % 14 picks the
// path (the resources, with ids that exist), selector / 14 % 3 the method
// (POST, GET, HEAD). The nonce pool's random source is fixed, so the one
// nonce in play is always AAAAAAAAAAAAAAAAAAAAAA and inputs can carry it.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "ca/authority.h"
#include "enroll/acme/acme_pairing.h"
#include "enroll/acme/acme_service.h"
#include "tests/fuzz/fuzz_input.h"

namespace {

using namespace homeca;

struct ThrowawayCa {
  std::filesystem::path dir;
  std::unique_ptr<ca::Authority> authority;
  std::unique_ptr<enroll::acme::AcmeService> service;

  ThrowawayCa() {
    char pattern[] = "/tmp/homeca-fuzz-acme.XXXXXX";
    if (::mkdtemp(pattern) == nullptr) std::abort();
    dir = pattern;
    auto created = ca::Authority::Init(dir / "ca", ca::InitOptions{});
    if (!created.ok()) std::abort();
    authority = std::move(*created);
    auto pairing = enroll::acme::CreateAcmePairing(*authority, {"nas"});
    if (!pairing.ok()) std::abort();
    enroll::acme::AcmeServiceOptions options;
    options.origin = "https://ca.home.arpa:8443";
    options.nonce_random = [](std::size_t n) { return Bytes(n, 0); };
    service = std::make_unique<enroll::acme::AcmeService>(*authority, options);
  }
  ~ThrowawayCa() {
    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static ThrowawayCa ca;
  std::string_view text = fuzz::AsText(data, size);
  const std::uint8_t selector = fuzz::TakeSelector(text);
  static const char* const kPaths[] = {
      "/acme/directory", "/acme/new-nonce",        "/acme/new-account", "/acme/new-order",
      "/acme/acct/1",    "/acme/acct/1/orders",    "/acme/key-change",  "/acme/order/1",
      "/acme/authz/1/0", "/acme/order/1/finalize", "/acme/cert/0a",     "/acme/revoke-cert",
      "/acme/",          "/acme/authz/1/00"};
  static const char* const kMethods[] = {"POST", "GET", "HEAD"};
  enroll::acme::AcmeHttpRequest request;
  request.method = kMethods[(selector / 14) % 3];
  request.path = kPaths[selector % 14];
  request.content_type = "application/jose+json";
  request.body = std::string(text);
  (void)ca.service->Handle(request);
  return 0;
}
