#include "ca/crl_freshness.h"

#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "ca/base/file_util.h"
#include "ca/base/openssl_handles.h"
#include "ca/base/unix_time.h"

namespace homeca::ca {

Result<CrlDates> ParseCrlDates(const Bytes& der) {
  const unsigned char* p = der.data();
  ossl::X509Crl crl(d2i_X509_CRL(nullptr, &p, static_cast<long>(der.size())));
  if (!crl || p != der.data() + der.size()) {
    return Status::InvalidArgument("the CRL is not a DER X.509 CRL");
  }
  CrlDates dates;
  dates.this_update = UnixFromAsn1Time(X509_CRL_get0_lastUpdate(crl.get()));
  if (dates.this_update == 0) return Status::InvalidArgument("the CRL has no readable thisUpdate");
  if (const ASN1_TIME* next = X509_CRL_get0_nextUpdate(crl.get())) {
    dates.next_update = UnixFromAsn1Time(next);
  }
  ossl::Asn1Integer number(static_cast<ASN1_INTEGER*>(
      X509_CRL_get_ext_d2i(crl.get(), NID_crl_number, nullptr, nullptr)));
  if (number) {
    std::int64_t value = 0;
    if (ASN1_INTEGER_get_int64(&value, number.get()) == 1) dates.number = value;
  }
  return dates;
}

Result<CrlDates> ReadPublishedCrl(const DataDir& dir) {
  Result<std::string> der = ReadFile(dir.crl_der(), 16 * 1024 * 1024);
  if (!der.ok()) return der.status();
  return ParseCrlDates(ToBytes(*der));
}

bool CrlRepublishDue(const CrlDates& dates, std::int64_t now) {
  if (now - dates.this_update >= kCrlRepublishSeconds) return true;
  if (dates.next_update == 0) return true;  // ours always carry one
  const std::int64_t halfway = dates.this_update + (dates.next_update - dates.this_update) / 2;
  return now >= halfway;
}

Result<bool> RepublishCrlIfDue(Authority& authority, const std::string& actor) {
  Result<CrlDates> current = ReadPublishedCrl(authority.data_dir());
  // A missing or damaged CRL is replaced as well: relying parties fetch it.
  if (current.ok() && !CrlRepublishDue(*current, authority.clock().Now())) return false;
  Result<Crl> published = authority.PublishCrl(actor);
  if (!published.ok()) return published.status();
  return true;
}

}  // namespace homeca::ca
