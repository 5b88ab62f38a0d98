// The device's side of a certificate request: building and signing the CSR
// (enroll/device/device_csr.cpp), which a device pays on every pairing and
// every renewal. Prints the time per CSR with homeca's EC public key encoding
// and, for comparison in the same run, with OpenSSL's general path
// (X509_REQ_set_pubkey), which round-trips the key through the provider
// encoder and decoder. Compare both against `openssl speed ecdsap256`: the
// signature is the floor.
//
// usage: device_csr [COUNT]
#include "enroll/device/device_csr.h"

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>

#include "ca/base/openssl_handles.h"
#include "ca/x509/key.h"

namespace {

double MicrosecondsPer(int count, const std::function<bool()>& make_one) {
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < count; ++i) {
    if (!make_one()) {
      std::fprintf(stderr, "device_csr: a CSR failed\n");
      std::exit(1);
    }
  }
  const auto took = std::chrono::steady_clock::now() - start;
  return std::chrono::duration<double, std::micro>(took).count() / count;
}

// The general path, as the device library did it before: subject aside, the
// same request.
bool GeneralPathCsr(EVP_PKEY* key) {
  homeca::ossl::X509Req req(X509_REQ_new());
  if (!req || X509_REQ_set_version(req.get(), 0) != 1 || X509_REQ_set_pubkey(req.get(), key) != 1 ||
      X509_REQ_sign(req.get(), key, EVP_sha256()) <= 0) {
    return false;
  }
  unsigned char* der = nullptr;
  const int len = i2d_X509_REQ(req.get(), &der);
  homeca::ossl::OpenSslBytes owned(der);
  return len > 0;
}

}  // namespace

int main(int argc, char** argv) {
  const int count = argc > 1 ? std::atoi(argv[1]) : 2000;
  if (count < 1) {
    std::fprintf(stderr, "usage: device_csr [COUNT]\n");
    return 2;
  }
  auto key = homeca::ca::PrivateKey::Generate(homeca::ca::KeyAlgorithm::kEcP256);
  if (!key.ok()) return 1;
  // Warm up OpenSSL's method caches for both paths before timing.
  MicrosecondsPer(50, [&] { return homeca::enroll::MakeCsrDer(*key, "nas").ok(); });
  MicrosecondsPer(50, [&] { return GeneralPathCsr(key->native()); });
  const double ours =
      MicrosecondsPer(count, [&] { return homeca::enroll::MakeCsrDer(*key, "nas").ok(); });
  const double general = MicrosecondsPer(count, [&] { return GeneralPathCsr(key->native()); });
  std::printf("csrs=%d key=P-256 homeca_us_per_csr=%.1f openssl_general_path_us_per_csr=%.1f\n",
              count, ours, general);
}
