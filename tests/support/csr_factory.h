// Test support: keys and certificate signing requests made with OpenSSL,
// including deliberately hostile ones.
#pragma once

#include <string>
#include <vector>

#include "ca/base/openssl_handles.h"

namespace homeca::testing {

ossl::Pkey MakeEcKey(const char* curve = "P-256");
ossl::Pkey MakeRsaKey(int bits);
ossl::Pkey MakeEd25519Key();

struct CsrOptions {
  std::string common_name = "device";
  std::vector<std::string> dns_names;  // put in a requested subjectAltName
  bool request_ca = false;             // asks for basicConstraints CA:TRUE
  const char* digest = "SHA256";       // nullptr for keys that sign without one
};

std::string MakeCsrPem(EVP_PKEY* key, const CsrOptions& options = {});
std::string MakeCsrDer(EVP_PKEY* key, const CsrOptions& options = {});
std::string PrivateKeyPem(EVP_PKEY* key);

}  // namespace homeca::testing
