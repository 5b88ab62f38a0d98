// The cost of the pairing KDF (enroll/pake/password_kdf.h) on this machine: what
// `homeca pair add` / `pair device` spend deriving the verifier record, and
// what a device spends after `start`, for each KDF the protocol announces.
//
// usage: pairing_kdf [RUNS]   (default 20; prints min and median per KDF)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "enroll/pake/spake2plus.h"

using homeca::enroll::PasswordKdf;

int main(int argc, char** argv) {
  const int runs = argc > 1 ? std::max(1, std::atoi(argv[1])) : 20;
  const homeca::Bytes salt = homeca::RandomBytes(16);
  struct Case {
    const char* label;
    PasswordKdf kdf;
  };
  for (const Case& c : {Case{"scrypt N=2^15 r=8 p=1 (default)", PasswordKdf::Scrypt()},
                        Case{"scrypt N=2^14 r=8 p=1 (lowest allowed)", PasswordKdf::Scrypt(14)},
                        Case{"pbkdf2-sha256 20000", PasswordKdf::Pbkdf2()}}) {
    std::vector<double> ms;
    for (int i = 0; i < runs; ++i) {
      const auto t0 = std::chrono::steady_clock::now();
      auto s =
          homeca::enroll::DeriveProverSecrets("314159265358", "slot:31", "homeca", salt, c.kdf);
      const auto t1 = std::chrono::steady_clock::now();
      if (!s.ok()) {
        std::fprintf(stderr, "pairing_kdf: %s\n", s.status().message().c_str());
        return 1;
      }
      ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
    }
    std::sort(ms.begin(), ms.end());
    std::printf("%-40s runs %3d  min %7.1f ms  median %7.1f ms\n", c.label, runs, ms.front(),
                ms[ms.size() / 2]);
  }
  return 0;
}
