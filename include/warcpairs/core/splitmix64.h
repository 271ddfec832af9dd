// SplitMix64 (Steele, Lea, Flood 2014; the generator Java's SplittableRandom and xoshiro's
// seeding use): the next 64 bits of a counter-based sequence. Explicit arithmetic, so shuffles,
// dropout masks, fixture weights and retry jitter are the same on every machine and standard
// library (std::mt19937 is, but its distributions are not).
#pragma once

#include <cstdint>

namespace warcpairs {

inline uint64_t splitmix64_next(uint64_t& state) {
  uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

}  // namespace warcpairs
