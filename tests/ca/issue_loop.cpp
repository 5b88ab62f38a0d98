// Test helper for the crash-safety test: issues certificates from the CA in
// argv[1] as fast as it can and prints each serial only after Issue() has
// returned, i.e. after the store said it was durable.
#include <cstdio>

#include "ca/authority.h"
#include "tests/support/csr_factory.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: issue_loop DATA_DIR\n");
    return 2;
  }
  auto authority = homeca::ca::Authority::Open(argv[1]);
  if (!authority.ok()) {
    std::fprintf(stderr, "issue_loop: %s\n", authority.status().message().c_str());
    return 1;
  }
  auto key = homeca::testing::MakeEcKey();
  const std::string csr = homeca::testing::MakeCsrPem(key.get());
  for (;;) {
    auto issued = (*authority)->Issue({csr, {"loop"}, 0, "crash-test"});
    if (!issued.ok()) {
      std::fprintf(stderr, "issue_loop: %s\n", issued.status().message().c_str());
      return 1;
    }
    std::printf("%s\n", issued->record.serial_hex.c_str());
    std::fflush(stdout);
  }
}
