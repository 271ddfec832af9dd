// SHA-256 against the NIST FIPS 180-4 example vectors (CSRC "SHA256.pdf", "SHA256_2.pdf",
// the long message) and padding boundaries checked with Python's hashlib.
#include <string>

#include <gtest/gtest.h>

#include "warcpairs/image/hash.h"

namespace warcpairs::image {
namespace {

std::string hex(const std::string& s) {
  return sha256_hex({reinterpret_cast<const uint8_t*>(s.data()), s.size()});
}

TEST(Sha256, NistVectors) {
  EXPECT_EQ(hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(hex("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopq"
                "klmnopqrlmnopqrsmnopqrstnopqrstu"),
            "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
  EXPECT_EQ(hex(std::string(1000000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

// Lengths around the 55/56/64-byte padding edges (one block vs two for the tail), from
// python3 -c "import hashlib; print(hashlib.sha256(b'x' * n).hexdigest())".
TEST(Sha256, PaddingBoundaries) {
  EXPECT_EQ(hex(std::string(55, 'x')),
            "d5e285683cd4efc02d021a5c62014694958901005d6f71e89e0989fac77e4072");
  EXPECT_EQ(hex(std::string(56, 'x')),
            "04c26261370ee7541549d16dee320c723e3fd14671e66a099afe0a377c16888e");
  EXPECT_EQ(hex(std::string(63, 'x')),
            "75220b47218278e656f2013bb8f0c455a25eaf01e86c64924e9d48d89776d6f2");
  EXPECT_EQ(hex(std::string(64, 'x')),
            "7ce100971f64e7001e8fe5a51973ecdfe1ced42befe7ee8d5fd6219506b5393c");
  EXPECT_EQ(hex(std::string(119, 'x')),
            "000b48d4edf0fa7bee3c6236ecd2785baa5db4eeb8bb54341b029e0d9fa5fb0c");
}

TEST(Sha256, RawDigestMatchesHex) {
  const std::string s = "warcpairs";
  const auto d = sha256({reinterpret_cast<const uint8_t*>(s.data()), s.size()});
  EXPECT_EQ(d[0], std::stoi(hex(s).substr(0, 2), nullptr, 16));
  EXPECT_EQ(d[31], std::stoi(hex(s).substr(62, 2), nullptr, 16));
}

}  // namespace
}  // namespace warcpairs::image
