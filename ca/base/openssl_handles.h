// RAII owners for OpenSSL's C handles: one stateless deleter per type and a
// std::unique_ptr alias (the BoringSSL bssl::UniquePtr pattern). Raw pointers
// elsewhere only borrow. When a handle must be shared, take an explicit
// reference with the matching *_up_ref() and wrap the result.
//
// This header is internal to homeca's own libraries: public headers expose
// homeca value types, never these.
#pragma once

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/param_build.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>

namespace homeca::ossl {

template <typename T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const { Free(p); }
};

template <typename T, void (*Free)(T*)>
using Ptr = std::unique_ptr<T, Deleter<T, Free>>;

inline void FreeBio(BIO* b) { BIO_free_all(b); }
inline void FreeBnSecure(BIGNUM* b) { BN_clear_free(b); }
inline void FreeOpenSslString(char* s) { OPENSSL_free(s); }
inline void FreeUChars(unsigned char* s) { OPENSSL_free(s); }
inline void FreeGeneralNames(GENERAL_NAMES* n) { GENERAL_NAMES_free(n); }
inline void FreeExtensionStack(STACK_OF(X509_EXTENSION) * s) {
  sk_X509_EXTENSION_pop_free(s, X509_EXTENSION_free);
}

using Bio = Ptr<BIO, FreeBio>;
using Bn = Ptr<BIGNUM, BN_free>;
using BnSecure = Ptr<BIGNUM, FreeBnSecure>;
using BnCtx = Ptr<BN_CTX, BN_CTX_free>;
using EcGroup = Ptr<EC_GROUP, EC_GROUP_free>;
using EcPoint = Ptr<EC_POINT, EC_POINT_free>;
using Pkey = Ptr<EVP_PKEY, EVP_PKEY_free>;
using PkeyCtx = Ptr<EVP_PKEY_CTX, EVP_PKEY_CTX_free>;
using MdCtx = Ptr<EVP_MD_CTX, EVP_MD_CTX_free>;
using Mac = Ptr<EVP_MAC, EVP_MAC_free>;
using MacCtx = Ptr<EVP_MAC_CTX, EVP_MAC_CTX_free>;
using Kdf = Ptr<EVP_KDF, EVP_KDF_free>;
using KdfCtx = Ptr<EVP_KDF_CTX, EVP_KDF_CTX_free>;
using CipherCtx = Ptr<EVP_CIPHER_CTX, EVP_CIPHER_CTX_free>;
using ParamBld = Ptr<OSSL_PARAM_BLD, OSSL_PARAM_BLD_free>;
using Params = Ptr<OSSL_PARAM, OSSL_PARAM_free>;
using X509Cert = Ptr<X509, X509_free>;
using X509Req = Ptr<X509_REQ, X509_REQ_free>;
using X509Crl = Ptr<X509_CRL, X509_CRL_free>;
using X509Revoked = Ptr<X509_REVOKED, X509_REVOKED_free>;
using X509Ext = Ptr<X509_EXTENSION, X509_EXTENSION_free>;
using X509ExtStack = Ptr<STACK_OF(X509_EXTENSION), FreeExtensionStack>;
using X509Name = Ptr<X509_NAME, X509_NAME_free>;
using X509Store = Ptr<X509_STORE, X509_STORE_free>;
using X509StoreCtx = Ptr<X509_STORE_CTX, X509_STORE_CTX_free>;
using Asn1Integer = Ptr<ASN1_INTEGER, ASN1_INTEGER_free>;
using Asn1Time = Ptr<ASN1_TIME, ASN1_TIME_free>;
using Asn1OctetString = Ptr<ASN1_OCTET_STRING, ASN1_OCTET_STRING_free>;
using Asn1Enumerated = Ptr<ASN1_ENUMERATED, ASN1_ENUMERATED_free>;
using GeneralNames = Ptr<GENERAL_NAMES, FreeGeneralNames>;
using GeneralName = Ptr<GENERAL_NAME, GENERAL_NAME_free>;
using GeneralSubtree = Ptr<GENERAL_SUBTREE, GENERAL_SUBTREE_free>;
using NameConstraints = Ptr<NAME_CONSTRAINTS, NAME_CONSTRAINTS_free>;
using OpenSslString = Ptr<char, FreeOpenSslString>;
using OpenSslBytes = Ptr<unsigned char, FreeUChars>;

}  // namespace homeca::ossl
