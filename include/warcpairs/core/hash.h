// FNV-1a, 64-bit: a stable hash of bytes for names and splits that must not change between
// runs, machines or releases (not for hash tables, not for security). Cryptographic digests
// (SHA-1, SHA-256, WARC's base32 form) are in core/digest.h.
#pragma once

#include <cstdint>
#include <string_view>

namespace warcpairs {

inline constexpr uint64_t kFnv1a64Basis = 0xcbf29ce484222325ULL;

// Prime 0x100000001b3. `h` continues an earlier hash, so a stream hashes piece by piece.
inline uint64_t fnv1a64(std::string_view bytes, uint64_t h = kFnv1a64Basis) {
  for (unsigned char b : bytes) {
    h ^= b;
    h *= 0x100000001b3ULL;
  }
  return h;
}

}  // namespace warcpairs
