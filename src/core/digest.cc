// SHA-1 and SHA-256 through OpenSSL's EVP interface, with the hex and base32 spellings.
#include "warcpairs/core/digest.h"

#include <openssl/evp.h>

#include "warcpairs/core/error.h"

namespace warcpairs {
namespace {

const EVP_MD* md_of(DigestAlgorithm algorithm) {
  return algorithm == DigestAlgorithm::sha1 ? EVP_sha1() : EVP_sha256();
}

// One-shot digests into a fixed-size array; EVP_Digest fails only without memory.
template <size_t N>
std::array<uint8_t, N> digest_of(std::span<const uint8_t> bytes, const EVP_MD* md) {
  std::array<uint8_t, N> out;
  unsigned int n = 0;
  if (!EVP_Digest(bytes.data(), bytes.size(), out.data(), &n, md, nullptr) || n != N) {
    throw Error("OpenSSL EVP_Digest failed");
  }
  return out;
}

}  // namespace

void Digest::Free::operator()(evp_md_ctx_st* ctx) const { EVP_MD_CTX_free(ctx); }

Digest::Digest(DigestAlgorithm algorithm) : algorithm_(algorithm), ctx_(EVP_MD_CTX_new()) {
  if (!ctx_ || !EVP_DigestInit_ex(ctx_.get(), md_of(algorithm_), nullptr)) {
    throw Error("OpenSSL EVP_DigestInit_ex failed");
  }
}

Digest::~Digest() = default;
Digest::Digest(Digest&&) noexcept = default;
Digest& Digest::operator=(Digest&&) noexcept = default;

void Digest::update(std::span<const uint8_t> bytes) {
  if (!EVP_DigestUpdate(ctx_.get(), bytes.data(), bytes.size())) {
    throw Error("OpenSSL EVP_DigestUpdate failed");
  }
}

void Digest::update(std::string_view bytes) {
  update({reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()});
}

std::vector<uint8_t> Digest::final() {
  std::vector<uint8_t> out(EVP_MAX_MD_SIZE);
  unsigned int n = 0;
  if (!EVP_DigestFinal_ex(ctx_.get(), out.data(), &n) ||
      !EVP_DigestInit_ex(ctx_.get(), md_of(algorithm_), nullptr)) {
    throw Error("OpenSSL EVP_DigestFinal_ex failed");
  }
  out.resize(n);
  return out;
}

size_t Digest::size() const { return static_cast<size_t>(EVP_MD_get_size(md_of(algorithm_))); }

std::array<uint8_t, 32> sha256(std::span<const uint8_t> bytes) {
  return digest_of<32>(bytes, EVP_sha256());
}

std::string sha256_hex(std::span<const uint8_t> bytes) { return hex(sha256(bytes)); }

std::array<uint8_t, 20> sha1(std::span<const uint8_t> bytes) {
  return digest_of<20>(bytes, EVP_sha1());
}

std::string hex(std::span<const uint8_t> bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string s;
  s.reserve(bytes.size() * 2);
  for (const uint8_t b : bytes) s += {kHex[b >> 4], kHex[b & 15]};
  return s;
}

std::string base32(std::span<const uint8_t> bytes) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  std::string s;
  s.reserve((bytes.size() + 4) / 5 * 8);
  uint32_t acc = 0;
  int bits = 0;
  for (const uint8_t b : bytes) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      s += kAlphabet[(acc >> bits) & 31];
    }
  }
  if (bits > 0) s += kAlphabet[(acc << (5 - bits)) & 31];  // §6: the last group zero-filled
  while (s.size() % 8 != 0) s += '=';
  return s;
}

std::string warc_sha1_digest(std::span<const uint8_t> bytes) {
  return "sha1:" + base32(sha1(bytes));
}

}  // namespace warcpairs
