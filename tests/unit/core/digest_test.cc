// Digests against the published vectors (FIPS 180-4 examples for SHA-256, RFC 3174 §7.3 for
// SHA-1, RFC 4648 §10 for base32), padding edges from Python's hashlib, and WARC digests
// against the headers of real records in ../shared/data/warc.
#include "warcpairs/core/digest.h"

#include <fstream>
#include <iterator>
#include <string>

#include <gtest/gtest.h>

namespace warcpairs {
namespace {

std::span<const uint8_t> bytes_of(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

std::string sha256_of(const std::string& s) { return sha256_hex(bytes_of(s)); }
std::string sha1_of(const std::string& s) { return hex(sha1(bytes_of(s))); }

TEST(Sha256, NistVectors) {
  EXPECT_EQ(sha256_of("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_of(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_of("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(sha256_of("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopq"
                      "klmnopqrlmnopqrsmnopqrstnopqrstu"),
            "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
  EXPECT_EQ(sha256_of(std::string(1000000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

// Lengths around the 55/56/64-byte padding edges (one block vs two for the tail), from
// python3 -c "import hashlib; print(hashlib.sha256(b'x' * n).hexdigest())".
TEST(Sha256, PaddingBoundaries) {
  EXPECT_EQ(sha256_of(std::string(55, 'x')),
            "d5e285683cd4efc02d021a5c62014694958901005d6f71e89e0989fac77e4072");
  EXPECT_EQ(sha256_of(std::string(56, 'x')),
            "04c26261370ee7541549d16dee320c723e3fd14671e66a099afe0a377c16888e");
  EXPECT_EQ(sha256_of(std::string(63, 'x')),
            "75220b47218278e656f2013bb8f0c455a25eaf01e86c64924e9d48d89776d6f2");
  EXPECT_EQ(sha256_of(std::string(64, 'x')),
            "7ce100971f64e7001e8fe5a51973ecdfe1ced42befe7ee8d5fd6219506b5393c");
  EXPECT_EQ(sha256_of(std::string(119, 'x')),
            "000b48d4edf0fa7bee3c6236ecd2785baa5db4eeb8bb54341b029e0d9fa5fb0c");
}

TEST(Sha256, RawDigestMatchesHex) {
  const std::string s = "warcpairs";
  const auto d = sha256(bytes_of(s));
  EXPECT_EQ(d[0], std::stoi(sha256_of(s).substr(0, 2), nullptr, 16));
  EXPECT_EQ(d[31], std::stoi(sha256_of(s).substr(62, 2), nullptr, 16));
}

TEST(Sha1, Rfc3174Vectors) {
  EXPECT_EQ(sha1_of("abc"), "a9993e364706816aba3e25717850c26c9cd0d89d");
  EXPECT_EQ(sha1_of("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
  EXPECT_EQ(sha1_of(std::string(1000000, 'a')), "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
  std::string ten;
  for (int i = 0; i < 10; ++i) ten += "0123456701234567012345670123456701234567012345670123456701234567";
  EXPECT_EQ(sha1_of(ten), "dea356a2cddd90c7a7ecedc5ebb563934f460452");
}

// Any split of the input gives the one-shot digest; final() starts the stream over.
TEST(Digest, PiecesEqualOneShot) {
  std::string s;
  for (int i = 0; i < 1000; ++i) s += static_cast<char>(i * 7 % 256);
  // python3 -c "import hashlib; d = bytes(i * 7 % 256 for i in range(1000));
  //             print(hashlib.sha256(d).hexdigest(), hashlib.sha1(d).hexdigest())"
  const std::string want256 = "89f4ff56a25dd1db06a4ce6033603775d705fb96f30f8693733fef602a1ca532";
  const std::string want1 = "38f3aa587f4aa04965a359f9151092759b3a4c2a";
  ASSERT_EQ(sha256_of(s), want256);
  Digest d256(DigestAlgorithm::sha256), d1(DigestAlgorithm::sha1);
  EXPECT_EQ(d256.size(), 32u);
  EXPECT_EQ(d1.size(), 20u);
  for (size_t cut : {size_t{0}, size_t{1}, size_t{63}, size_t{64}, size_t{65}, size_t{999}}) {
    d256.update(std::string_view(s).substr(0, cut));
    d256.update(bytes_of(std::string_view(s).substr(cut)));
    EXPECT_EQ(hex(d256.final()), want256) << cut;
    d1.update(std::string_view(s).substr(0, cut));
    d1.update(std::string_view(s).substr(cut));
    EXPECT_EQ(hex(d1.final()), want1) << cut;
  }
  Digest moved = std::move(d1);
  moved.update(s);
  EXPECT_EQ(hex(moved.final()), want1);
  EXPECT_EQ(hex(moved.final()), sha1_of(""));  // nothing since the last final()
}

TEST(Base32, Rfc4648Vectors) {
  EXPECT_EQ(base32(bytes_of("")), "");
  EXPECT_EQ(base32(bytes_of("f")), "MY======");
  EXPECT_EQ(base32(bytes_of("fo")), "MZXQ====");
  EXPECT_EQ(base32(bytes_of("foo")), "MZXW6===");
  EXPECT_EQ(base32(bytes_of("foob")), "MZXW6YQ=");
  EXPECT_EQ(base32(bytes_of("fooba")), "MZXW6YTB");
  EXPECT_EQ(base32(bytes_of("foobar")), "MZXW6YTBOI======");
  const uint8_t ones[5] = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF};
  EXPECT_EQ(base32(ones), "77777777");
}

TEST(WarcDigest, EmptyPayload) {
  // python3 -c "import hashlib, base64; print(base64.b32encode(hashlib.sha1(b'').digest()))"
  EXPECT_EQ(warc_sha1_digest({}), "sha1:3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ");
}

// The first record of an uncompressed WARC file: its header, and its block of Content-Length
// bytes after the blank line (WARC 1.1 §4).
struct FirstRecord {
  std::string header, block;
};

FirstRecord first_record(const std::string& name) {
  std::ifstream in(std::string(WARCPAIRS_SHARED_DIR) + "/data/warc/" + name, std::ios::binary);
  const std::string file((std::istreambuf_iterator<char>(in)), {});
  const size_t end = file.find("\r\n\r\n");
  if (end == std::string::npos) return {};
  FirstRecord r{file.substr(0, end + 2), {}};
  const size_t at = r.header.find("Content-Length: ");
  if (at == std::string::npos) return {};
  const size_t length = std::stoul(r.header.substr(at + 16));
  r.block = file.substr(end + 4, length);
  return r;
}

std::string header_value(const std::string& header, const std::string& name) {
  const size_t at = header.find(name + ": ");
  if (at == std::string::npos) return {};
  const size_t from = at + name.size() + 2;
  return header.substr(from, header.find("\r\n", from) - from);
}

TEST(WarcDigest, RealRecordsCarryTheDigestsWeCompute) {
  // A response (pywb's example.com): the payload is the HTTP body after the HTTP header.
  const FirstRecord response = first_record("pywb-example-extra.warc");
  ASSERT_EQ(response.block.size(), 1610u);
  const std::string body = response.block.substr(response.block.find("\r\n\r\n") + 4);
  EXPECT_EQ(body.size(), 1270u);
  EXPECT_EQ(warc_sha1_digest(bytes_of(body)),
            header_value(response.header, "WARC-Payload-Digest"));
  // A request (warcio's digest example): the block digest covers the whole block.
  const FirstRecord request = first_record("wio-example-digest.warc");
  ASSERT_EQ(request.block.size(), 493u);
  EXPECT_EQ(warc_sha1_digest(bytes_of(request.block)),
            header_value(request.header, "WARC-Block-Digest"));
  EXPECT_EQ(header_value(request.header, "WARC-Block-Digest"),
            "sha1:Z6W6WEQQQICP5WA7OWB2SS75WLK4K7Y3");
}

}  // namespace
}  // namespace warcpairs
