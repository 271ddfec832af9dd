// Cryptographic digests for every layer, on OpenSSL's libcrypto (EVP): SHA-256 of image bytes
// (score), SHA-1 in base32 for WARC digests (WARC 1.1 §5.8 WARC-Block-Digest, §5.9
// WARC-Payload-Digest). Not to be confused with core/hash.h: FNV-1a, a stable
// non-cryptographic hash for names and splits.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

struct evp_md_ctx_st;  // OpenSSL's EVP_MD_CTX; kept out of every includer

namespace warcpairs {

enum class DigestAlgorithm { sha1, sha256 };

// A digest over a stream: update() piece by piece, then final(). Owns its EVP_MD_CTX.
class Digest {
 public:
  explicit Digest(DigestAlgorithm algorithm);
  ~Digest();
  Digest(Digest&&) noexcept;
  Digest& operator=(Digest&&) noexcept;

  void update(std::span<const uint8_t> bytes);
  void update(std::string_view bytes);
  // The digest of everything since construction or the last final(); starts over after.
  std::vector<uint8_t> final();
  size_t size() const;  // digest bytes: 20 (SHA-1), 32 (SHA-256)

 private:
  struct Free {
    void operator()(evp_md_ctx_st* ctx) const;
  };
  DigestAlgorithm algorithm_;
  std::unique_ptr<evp_md_ctx_st, Free> ctx_;
};

std::array<uint8_t, 32> sha256(std::span<const uint8_t> bytes);  // FIPS 180-4
std::string sha256_hex(std::span<const uint8_t> bytes);          // 64 lowercase hex digits
std::array<uint8_t, 20> sha1(std::span<const uint8_t> bytes);    // FIPS 180-4, RFC 3174

std::string hex(std::span<const uint8_t> bytes);  // lowercase, two digits a byte
// RFC 4648 §6: alphabet A-Z 2-7, '=' padding to a multiple of 8 characters.
std::string base32(std::span<const uint8_t> bytes);
// "sha1:" + base32(SHA-1): the labelled digest WARC writers put in WARC-Payload-Digest
// (the HTTP entity body) and WARC-Block-Digest (the whole record block).
std::string warc_sha1_digest(std::span<const uint8_t> bytes);

}  // namespace warcpairs
