// Fills a CA's store with many certificates, fast, for the web UI benchmark
// (bench/webui.sh): IssueBatch in batches of 256 (one durable commit each),
// lifetimes spread over 1..90 days so some expire soon, and every
// REVOKE_EVERY-th certificate revoked (then one CRL), so status filters have
// something to filter. The CA is created first if DATA_DIR holds none.
//
// usage: fill_store DATA_DIR COUNT [REVOKE_EVERY (default 10; 0: none)]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "ca/authority.h"
#include "tests/support/csr_factory.h"

namespace {

constexpr int kBatch = 256;

homeca::Result<std::unique_ptr<homeca::ca::Authority>> OpenOrInit(const char* dir) {
  auto opened = homeca::ca::Authority::Open(dir);
  if (opened.ok() || !opened.status().IsNotFound()) return opened;
  return homeca::ca::Authority::Init(dir, homeca::ca::InitOptions{});
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3 || argc > 4) {
    std::fprintf(stderr, "usage: fill_store DATA_DIR COUNT [REVOKE_EVERY]\n");
    return 2;
  }
  const int total = std::atoi(argv[2]);
  const int revoke_every = argc == 4 ? std::atoi(argv[3]) : 10;
  auto authority = OpenOrInit(argv[1]);
  if (!authority.ok()) {
    std::fprintf(stderr, "fill_store: %s\n", authority.status().message().c_str());
    return 1;
  }
  homeca::ca::Authority& ca = **authority;
  // Revocations go straight to the store, through a second connection to the
  // same database: Authority::Revoke would sign a CRL each time.
  auto store = homeca::ca::OpenStore(ca.data_dir().database());
  if (!store.ok()) {
    std::fprintf(stderr, "fill_store: %s\n", store.status().message().c_str());
    return 1;
  }
  const auto start = std::chrono::steady_clock::now();
  int issued = 0;
  int revoked = 0;
  for (int first = 0; first < total; first += kBatch) {
    std::vector<homeca::ca::IssueRequest> requests;
    for (int i = first; i < std::min(total, first + kBatch); ++i) {
      auto key = homeca::testing::MakeEcKey();
      requests.push_back({homeca::testing::MakeCsrPem(key.get()),
                          {"device-" + std::to_string(i)},
                          1 + i % 90,
                          "bench"});
    }
    int index = first;
    for (const auto& result : ca.IssueBatch(requests)) {
      if (!result.ok()) {
        std::fprintf(stderr, "fill_store: issue: %s\n", result.status().message().c_str());
        return 1;
      }
      ++issued;
      if (revoke_every > 0 && index % revoke_every == revoke_every - 1) {
        const std::int64_t now = ca.clock().Now();
        homeca::ca::AuditEntry audit{0, now, "bench", "revoke",
                                     "serial " + result->record.serial_hex};
        homeca::Status s =
            (*store)->Revoke(result->record.serial_hex,
                             {homeca::ca::RevocationReason::kCessationOfOperation, now}, audit);
        if (!s.ok()) {
          std::fprintf(stderr, "fill_store: revoke: %s\n", s.message().c_str());
          return 1;
        }
        ++revoked;
      }
      ++index;
    }
  }
  if (revoked > 0 && !ca.PublishCrl("bench").ok()) {
    std::fprintf(stderr, "fill_store: publishing the CRL failed\n");
    return 1;
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("fill_store: issued=%d revoked=%d seconds=%.2f\n", issued, revoked, seconds);
  return 0;
}
