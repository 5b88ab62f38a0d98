// Raw issuance throughput: CSR in, certificate durably stored, out. CSRs are
// made before the clock starts, so only the CA's own work is measured (CSR
// parse and signature check, policy, signing, SQLite commit with
// synchronous=FULL on a real file).
//
// BATCH 1 issues one certificate per call (each caller waits for its own
// durable commit; concurrent callers share commits). BATCH n > 1 uses
// Authority::IssueBatch, the bulk-renewal path: n certificates per commit.
//
// usage: issuance_bench DATA_PARENT_DIR ISSUANCES THREADS BATCH
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <thread>
#include <vector>

#include "ca/authority.h"
#include "tests/support/csr_factory.h"

int main(int argc, char** argv) {
  if (argc != 5) {
    std::fprintf(stderr, "usage: issuance_bench DATA_PARENT_DIR ISSUANCES THREADS BATCH\n");
    return 2;
  }
  const std::filesystem::path dir = std::filesystem::path(argv[1]) / "bench-ca";
  const int total = std::atoi(argv[2]);
  const int threads = std::atoi(argv[3]);
  const int batch = std::max(1, std::atoi(argv[4]));
  std::filesystem::remove_all(dir);
  auto authority = homeca::ca::Authority::Init(dir, homeca::ca::InitOptions{});
  if (!authority.ok()) {
    std::fprintf(stderr, "init: %s\n", authority.status().message().c_str());
    return 1;
  }
  std::vector<std::string> csrs;
  for (int i = 0; i < total; ++i) {
    auto key = homeca::testing::MakeEcKey();
    csrs.push_back(homeca::testing::MakeCsrPem(key.get()));
  }
  std::atomic<int> failures{0};
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      // Thread t takes every threads-th chunk of `batch` requests.
      for (int first = t * batch; first < total; first += threads * batch) {
        std::vector<homeca::ca::IssueRequest> requests;
        for (int i = first; i < std::min(total, first + batch); ++i) {
          requests.push_back({csrs[i], {"device" + std::to_string(i)}, 0, "bench"});
        }
        if (batch == 1) {
          if (!(*authority)->Issue(requests[0]).ok()) ++failures;
          continue;
        }
        for (const auto& issued : (*authority)->IssueBatch(requests)) {
          if (!issued.ok()) ++failures;
        }
      }
    });
  }
  for (auto& w : workers) w.join();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("threads=%d batch=%d issuances=%d seconds=%.3f rate=%.1f/s failures=%d\n", threads,
              batch, total, seconds, total / seconds, failures.load());
  std::filesystem::remove_all(dir);
  return failures.load() == 0 ? 0 : 1;
}
