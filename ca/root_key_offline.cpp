#include "ca/root_key_offline.h"

#include <fcntl.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/rand.h>
#include <unistd.h>

#include <cerrno>

#include "ca/base/file_util.h"
#include "ca/base/openssl_error.h"
#include "ca/base/openssl_handles.h"
#include "ca/pwri_envelope.h"

namespace homeca::ca {
namespace {

using P8Info = ossl::Ptr<PKCS8_PRIV_KEY_INFO, PKCS8_PRIV_KEY_INFO_free>;
using X509Sig = ossl::Ptr<X509_SIG, X509_SIG_free>;
using X509Algor = ossl::Ptr<X509_ALGOR, X509_ALGOR_free>;

constexpr std::size_t kMaxKeyBytes = 64 * 1024;

Result<std::int64_t> TimeSetting(AdminStore& store, const char* key) {
  auto value = store.GetSetting(key);
  if (!value.ok()) return value.status();
  if (!value->has_value() || (*value)->empty()) return std::int64_t{0};
  try {
    return static_cast<std::int64_t>(std::stoll(**value));
  } catch (const std::exception&) {
    return std::int64_t{0};
  }
}

Status SyncDirectory(const std::filesystem::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Status::Io("cannot open " + dir.string());
  const int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) return Status::Io("cannot sync " + dir.string());
  return Status::Ok();
}

}  // namespace

Result<RootKeyState> GetRootKeyState(Authority& authority) {
  RootKeyState state;
  auto pem = ReadFile(authority.data_dir().root_key(), kMaxKeyBytes);
  if (pem.ok()) {
    state.on_box = true;
    state.encrypted_on_box = pem->find("ENCRYPTED") != std::string::npos;
    Cleanse(*pem);
  } else if (!pem.status().IsNotFound()) {
    return pem.status();
  }
  auto exported = TimeSetting(authority.admin(), settings::kRootKeyExportedAt);
  if (!exported.ok()) return exported.status();
  auto offline = TimeSetting(authority.admin(), settings::kRootKeyOfflineSince);
  if (!offline.ok()) return offline.status();
  state.exported_at = *exported;
  state.offline_since = *offline;
  return state;
}

std::string DescribeRootKeyLocation(const RootKeyState& state) {
  if (state.on_box) return "on this box";
  if (state.offline_since == 0) return "not on this box";
  return "offline since " + FormatTime(state.offline_since);
}

Result<std::string> EncryptPrivateKeyPem(const PrivateKey& key, std::string_view passphrase) {
  HOMECA_RETURN_IF_ERROR(CheckNewPassphrase(passphrase));
  unsigned char salt[16];
  if (RAND_bytes(salt, sizeof salt) != 1) return ossl::CryptoError("no randomness");
  X509Algor pbe(PKCS5_pbe2_set_iv(EVP_aes_256_cbc(), kPassphraseKdfIterations, salt, sizeof salt,
                                  nullptr, NID_hmacWithSHA256));
  P8Info info(EVP_PKEY2PKCS8(key.native()));
  if (!pbe || !info) return ossl::CryptoError("cannot prepare the key for export");
  std::string pass(passphrase);
  X509Sig sealed(PKCS8_set0_pbe(pass.data(), static_cast<int>(pass.size()), info.get(), pbe.get()));
  Cleanse(pass);
  if (!sealed) return ossl::CryptoError("cannot encrypt the key");
  (void)pbe.release();  // owned by `sealed` now
  ossl::Bio bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PKCS8(bio.get(), sealed.get()) != 1) {
    return ossl::CryptoError("cannot encode the key");
  }
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(len));
}

Result<std::string> ExportRootKey(Authority& authority, std::string_view passphrase,
                                  std::string_view stored_passphrase, const std::string& actor) {
  HOMECA_RETURN_IF_ERROR(CheckNewPassphrase(passphrase));
  auto pem = ReadFile(authority.data_dir().root_key(), kMaxKeyBytes);
  if (pem.status().IsNotFound()) {
    return Status::FailedPrecondition("the root key is not on this box (it was taken offline)");
  }
  if (!pem.ok()) return pem.status();
  if (pem->find("ENCRYPTED") != std::string::npos && stored_passphrase.empty()) {
    Cleanse(*pem);
    return Status::InvalidArgument(
        "the root key on this box is encrypted; give its current passphrase "
        "(homeca root-key export --current-passphrase-file FILE)");
  }
  auto key = ReadRootKey(authority.root(), *pem, stored_passphrase);
  Cleanse(*pem);
  if (!key.ok()) return key.status();
  auto exported = EncryptPrivateKeyPem(*key, passphrase);
  if (!exported.ok()) return exported.status();
  const std::int64_t now = authority.clock().Now();
  HOMECA_RETURN_IF_ERROR(authority.admin().SetSettingAudited(
      settings::kRootKeyExportedAt, std::to_string(now),
      AuditEntry{0, now, actor, "root-key-export",
                 "root key exported, encrypted with a passphrase (PKCS#8, "
                 "PBKDF2-HMAC-SHA256, AES-256-CBC)"}));
  return exported;
}

Result<PrivateKey> ReadRootKey(const Certificate& root, std::string_view pem,
                               std::string_view passphrase) {
  auto key = PrivateKey::FromPem(pem, passphrase);
  if (!key.ok()) {
    return Status::PermissionDenied(passphrase.empty()
                                        ? "cannot read the root key (is it encrypted?)"
                                        : "cannot read the root key: wrong passphrase?");
  }
  if (X509_check_private_key(root.native(), key->native()) != 1) {
    ERR_clear_error();
    return Status::PolicyViolation("that key is not this CA's root key");
  }
  return key;
}

Status DeleteRootKey(Authority& authority, const std::string& actor) {
  auto state = GetRootKeyState(authority);
  if (!state.ok()) return state.status();
  if (!state->on_box) return Status::FailedPrecondition("the root key is not on this box");
  if (state->exported_at == 0) {
    return Status::FailedPrecondition(
        "export the root key first (and keep it safe): deleting it otherwise would make new "
        "intermediates impossible");
  }
  const std::filesystem::path file = authority.data_dir().root_key();
  if (::unlink(file.c_str()) != 0 && errno != ENOENT) {
    return Status::Io("cannot delete " + file.string());
  }
  HOMECA_RETURN_IF_ERROR(SyncDirectory(authority.data_dir().root()));
  const std::int64_t now = authority.clock().Now();
  return authority.admin().SetSettingAudited(
      settings::kRootKeyOfflineSince, std::to_string(now),
      AuditEntry{0, now, actor, "root-key-offline",
                 "root key deleted from this box after its export; it is offline now"});
}

}  // namespace homeca::ca
