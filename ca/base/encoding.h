// Byte strings and their text encodings (hex, base64, base64url).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace homeca {

using Bytes = std::vector<std::uint8_t>;

inline Bytes ToBytes(std::string_view s) { return Bytes(s.begin(), s.end()); }
inline std::string ToString(const Bytes& b) { return std::string(b.begin(), b.end()); }

// Lower-case hex, no separators.
std::string HexEncode(const std::uint8_t* data, std::size_t len);
inline std::string HexEncode(const Bytes& b) { return HexEncode(b.data(), b.size()); }
// Accepts upper or lower case; nullopt on odd length or a non-hex character.
std::optional<Bytes> HexDecode(std::string_view hex);
// Upper-case hex pairs joined by ':', the form browsers show for fingerprints.
std::string ColonHex(const Bytes& b);

// RFC 4648 section 4 (standard alphabet, padded).
std::string Base64Encode(const Bytes& b);
std::optional<Bytes> Base64Decode(std::string_view text);
// RFC 4648 section 5 (URL-safe alphabet, no padding), as used on the wire.
std::string Base64UrlEncode(const Bytes& b);
// Strict: rejects padding, whitespace and characters outside the alphabet.
std::optional<Bytes> Base64UrlDecode(std::string_view text);

// Fills `n` bytes from OpenSSL's CSPRNG. Aborts if the CSPRNG fails: there is
// no safe way to continue issuing serials or keys without randomness.
Bytes RandomBytes(std::size_t n);

// Overwrites memory that held a secret, in a way the compiler keeps.
void Cleanse(Bytes& b);
void Cleanse(std::string& s);

}  // namespace homeca
