#include "ca/base/openssl_error.h"

#include <openssl/err.h>

namespace homeca::ossl {

std::string DrainErrors() {
  std::string all;
  const char* file = nullptr;
  int line = 0;
  const char* data = nullptr;
  int flags = 0;
  // ERR_get_error_all pops the oldest entry; loop until the queue is empty so
  // no stale entry is blamed on a later, unrelated call.
  while (unsigned long e = ERR_get_error_all(&file, &line, nullptr, &data, &flags)) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    if (!all.empty()) all += "; ";
    all += buf;
    if (data != nullptr && (flags & ERR_TXT_STRING) != 0 && *data != '\0') {
      all += " (";
      all += data;
      all += ")";
    }
  }
  return all;
}

Status CryptoError(std::string message) {
  return Status::Crypto(std::move(message), DrainErrors());
}

void ClearErrors() { ERR_clear_error(); }

}  // namespace homeca::ossl
