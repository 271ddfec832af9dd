// safetensors reader and writer: the Rust crate's own byte vectors, every validation error,
// round trips through the file API, and a cross-check with an independent Python implementation.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <filesystem>

#include "test_files.h"
#include "warcpairs/core/error.h"
#include "warcpairs/model_io/safetensors.h"
#include "warcpairs/model_io/safetensors_writer.h"

using namespace warcpairs;
using namespace warcpairs::model_io;
using namespace model_io_test;

namespace {
std::vector<std::byte> u8s(std::initializer_list<int> v) {
  std::vector<std::byte> out;
  for (int x : v) out.push_back(static_cast<std::byte>(x));
  return out;
}

// Expects parsing `file` to throw an Error whose message contains `needle`.
void expect_rejected(const std::vector<std::byte>& file, const std::string& needle) {
  try {
    SafetensorsView view(file, "bad.safetensors");
    FAIL() << "accepted; expected an error containing: " << needle;
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
    EXPECT_EQ(e.file(), "bad.safetensors");
  }
}

const std::vector<float> kSix = {0, 1, 2, 3, 4, 5};
}  // namespace

// Byte vectors from the tests in huggingface/safetensors safetensors/src/tensor.rs
// (test_serialization, test_serialization_forced_alignement, test_empty), commit 24b0b28.
TEST(SafetensorsWriter, MatchesRustCrateTestSerialization) {
  const auto data = le_bytes(kSix);
  const auto out = serialize_safetensors({{"attn.0", Dtype::kF32, {1, 2, 3}, data}});
  const auto expected = u8s({64, 0, 0, 0, 0, 0, 0, 0, 123, 34, 97, 116, 116, 110, 46, 48, 34, 58, 123, 34, 100,
                             116, 121, 112, 101, 34, 58, 34, 70, 51, 50, 34, 44, 34, 115, 104, 97, 112, 101, 34,
                             58, 91, 49, 44, 50, 44, 51, 93, 44, 34, 100, 97, 116, 97, 95, 111, 102, 102, 115,
                             101, 116, 115, 34, 58, 91, 48, 44, 50, 52, 93, 125, 125, 0, 0, 0, 0, 0, 0, 128, 63,
                             0, 0, 0, 64, 0, 0, 64, 64, 0, 0, 128, 64, 0, 0, 160, 64});
  EXPECT_EQ(out, expected);
  SafetensorsView view(out, "mem");
  EXPECT_EQ(view.tensor("attn.0").to_float(), kSix);
}

TEST(SafetensorsWriter, MatchesRustCrateForcedAlignment) {
  const auto data = le_bytes(kSix);
  const auto out = serialize_safetensors({{"attn0", Dtype::kF32, {1, 1, 2, 3}, data}});
  const auto expected = u8s({72, 0, 0, 0, 0, 0, 0, 0, 123, 34, 97, 116, 116, 110, 48, 34, 58, 123, 34, 100, 116,
                             121, 112, 101, 34, 58, 34, 70, 51, 50, 34, 44, 34, 115, 104, 97, 112, 101, 34, 58,
                             91, 49, 44, 49, 44, 50, 44, 51, 93, 44, 34, 100, 97, 116, 97, 95, 111, 102, 102,
                             115, 101, 116, 115, 34, 58, 91, 48, 44, 50, 52, 93, 125, 125, 32, 32, 32, 32, 32,
                             32, 32, 0, 0, 0, 0, 0, 0, 128, 63, 0, 0, 0, 64, 0, 0, 64, 64, 0, 0, 128, 64, 0, 0,
                             160, 64});
  EXPECT_EQ(out, expected);
  SafetensorsView view(out, "mem");
  EXPECT_EQ(reinterpret_cast<uintptr_t>(view.tensor("attn0").data) % 8, 0u);
}

TEST(SafetensorsWriter, MatchesRustCrateEmptyWithAndWithoutMetadata) {
  EXPECT_EQ(serialize_safetensors({}), u8s({8, 0, 0, 0, 0, 0, 0, 0, 123, 125, 32, 32, 32, 32, 32, 32}));
  const auto out = serialize_safetensors({}, {{"framework", "pt"}});
  EXPECT_EQ(out, u8s({40, 0, 0, 0, 0, 0, 0, 0, 123, 34, 95, 95, 109, 101, 116, 97, 100, 97, 116, 97, 95,
                      95, 34, 58, 123, 34, 102, 114, 97, 109, 101, 119, 111, 114, 107, 34, 58, 34, 112,
                      116, 34, 125, 125, 32, 32, 32, 32, 32}));
  SafetensorsView view(out, "mem");
  EXPECT_EQ(view.size(), 0u);
  EXPECT_EQ(view.metadata().at("framework"), "pt");
}

TEST(SafetensorsReader, ReadsRustCrateDeserializationExample) {
  // The doc example of SafeTensors::deserialize: I32 [2,2] of zeros.
  const std::string header = R"({"test":{"dtype":"I32","shape":[2,2],"data_offsets":[0,16]}})";
  ASSERT_EQ(header.size(), 0x3cu);  // '<' in the example's length prefix
  const auto file = raw_file(header, std::string(16, '\0'));
  SafetensorsView view(file, "mem");
  const TensorView t = view.tensor("test");
  EXPECT_EQ(t.dtype, Dtype::kI32);
  EXPECT_EQ(std::vector<int64_t>(t.shape.begin(), t.shape.end()), (std::vector<int64_t>{2, 2}));
  EXPECT_EQ(t.size, 16u);
  EXPECT_EQ(t.numel(), 4);
}

TEST(SafetensorsWriter, OrdersByDescendingAlignmentThenName) {
  const auto f32 = le_bytes(std::vector<float>{1.5f});
  const auto i64 = le_bytes(std::vector<int64_t>{7});
  const auto u8 = u8s({9});
  const auto f16 = u8s({0, 0x3c});
  const std::string header = safetensors_header({{"b", Dtype::kF32, {1}, f32},
                                                 {"z", Dtype::kU8, {1}, u8},
                                                 {"a", Dtype::kF32, {1}, f32},
                                                 {"m", Dtype::kI64, {}, i64},
                                                 {"h", Dtype::kF16, {1}, f16}});
  const std::string json(header.substr(8));
  EXPECT_EQ(json.substr(0, json.find_last_not_of(' ') + 1),
            R"({"m":{"dtype":"I64","shape":[],"data_offsets":[0,8]},)"
            R"("a":{"dtype":"F32","shape":[1],"data_offsets":[8,12]},)"
            R"("b":{"dtype":"F32","shape":[1],"data_offsets":[12,16]},)"
            R"("h":{"dtype":"F16","shape":[1],"data_offsets":[16,18]},)"
            R"("z":{"dtype":"U8","shape":[1],"data_offsets":[18,19]}})");
  EXPECT_EQ(json.size() % 8, 0u);
}

TEST(SafetensorsWriter, EscapesNamesLikeSerdeJson) {
  const auto b = u8s({1});
  const std::string header = safetensors_header({{"q\"b\\s\n\x01\x7f\xc3\xa9", Dtype::kU8, {1}, b}});
  EXPECT_NE(header.find(R"("q\"b\\s\n\u0001)" "\x7f\xc3\xa9\""), std::string::npos) << header;
  const auto file = serialize_safetensors({{"q\"b\\s\n\x01\x7f\xc3\xa9", Dtype::kU8, {1}, b}});
  SafetensorsView view(file, "mem");
  EXPECT_TRUE(view.contains("q\"b\\s\n\x01\x7f\xc3\xa9"));
}

TEST(SafetensorsWriter, RefusesBadInput) {
  const auto four = u8s({0, 0, 0, 0});
  EXPECT_THROW(safetensors_header({{"a", Dtype::kF32, {2}, four}}), Error);               // 4 bytes for 8
  EXPECT_THROW(safetensors_header({{"a", Dtype::kU8, {-4}, four}}), Error);               // negative dim
  EXPECT_THROW(safetensors_header({{"a", Dtype::kU8, {4}, four}, {"a", Dtype::kU8, {4}, four}}), Error);
  EXPECT_THROW(safetensors_header({{"__metadata__", Dtype::kU8, {4}, four}}), Error);
  EXPECT_THROW(safetensors_header({{"a", Dtype::kU8, {INT64_MAX, 4}, four}}), Error);     // overflow
}

TEST(SafetensorsRoundTrip, AllDtypesEmptyScalarAndMetadataThroughTheFile) {
  TempDir dir;
  const auto f64 = le_bytes(std::vector<double>{-1.25, 3e300});
  const auto i16 = le_bytes(std::vector<int16_t>{-3, 300, 7});
  const auto bf = u8s({0x80, 0x3f});
  const auto boolean = u8s({1, 0, 1});
  const auto scalar = le_bytes(std::vector<int32_t>{-42});
  const std::vector<std::byte> none;
  const std::vector<TensorToWrite> tensors = {
      {"x.f64", Dtype::kF64, {2}, f64},      {"x.i16", Dtype::kI16, {3, 1}, i16},
      {"x.bf16", Dtype::kBF16, {1}, bf},     {"x.bool", Dtype::kBool, {3}, boolean},
      {"x.scalar", Dtype::kI32, {}, scalar}, {"x.empty", Dtype::kF32, {0, 5}, none},
      {"x.empty2", Dtype::kI8, {3, 0}, none}};
  const std::string path = dir.file("m.safetensors");
  write_safetensors(path, tensors, pytorch_metadata());
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
  EXPECT_EQ(read_file(path), std::string(reinterpret_cast<const char*>(serialize_safetensors(tensors, pytorch_metadata()).data()),
                                         serialize_safetensors(tensors, pytorch_metadata()).size()));
  SafetensorsFile file(path);
  EXPECT_EQ(file.names(), (std::vector<std::string>{"x.bf16", "x.bool", "x.empty", "x.empty2", "x.f64",
                                                    "x.i16", "x.scalar"}));
  EXPECT_EQ(file.metadata(), pytorch_metadata());
  for (const TensorToWrite& t : tensors) {
    const TensorView v = file.tensor(t.name);
    EXPECT_EQ(v.dtype, t.dtype) << t.name;
    EXPECT_EQ(std::vector<int64_t>(v.shape.begin(), v.shape.end()), t.shape) << t.name;
    ASSERT_EQ(v.size, t.data.size()) << t.name;
    EXPECT_TRUE(std::equal(t.data.begin(), t.data.end(), v.data)) << t.name;
    EXPECT_EQ(reinterpret_cast<uintptr_t>(v.data) % dtype_size(v.dtype), 0u) << t.name;
  }
  EXPECT_EQ(file.tensor("x.scalar").numel(), 1);
  EXPECT_EQ(file.tensor("x.empty").numel(), 0);
  EXPECT_EQ(file.tensor("x.f64").to_float(), (std::vector<float>{-1.25f, INFINITY}));
  EXPECT_EQ(file.tensor("x.bf16").to_float(), (std::vector<float>{1.0f}));
  EXPECT_THROW(file.tensor("x.i16").to_float(), Error);
  EXPECT_FALSE(file.find("nope").has_value());
  try {
    file.tensor("nope");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("'nope'"), std::string::npos);
    EXPECT_EQ(e.file(), path);
  }
}

TEST(SafetensorsFile, MissingEmptyAndDirectory) {
  TempDir dir;
  EXPECT_THROW(SafetensorsFile(dir.file("absent.safetensors")), Error);
  EXPECT_THROW(SafetensorsFile(dir.str()), Error);
  write_file(dir.file("empty.safetensors"), "");
  try {
    SafetensorsFile f(dir.file("empty.safetensors"));
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("too small"), std::string::npos) << e.what();
  }
}

TEST(SafetensorsFile, WriteReplacesAnExistingFileAtomically) {
  TempDir dir;
  const std::string path = dir.file("m.safetensors");
  write_file(path, "old junk");
  const auto one = u8s({5});
  write_safetensors(path, {{"a", Dtype::kU8, {1}, one}});
  SafetensorsFile f(path);
  EXPECT_EQ(f.names(), std::vector<std::string>{"a"});
  // A failed write (bad tensor) leaves the previous file and no temporary behind.
  EXPECT_THROW(write_safetensors(path, {{"b", Dtype::kF32, {1}, one}}), Error);
  EXPECT_TRUE(SafetensorsFile(path).view().contains("a"));
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
  EXPECT_THROW(write_safetensors(dir.file("no/such/dir/m.safetensors"), {}), Error);
}

// ---- every validation error -------------------------------------------------------------

TEST(SafetensorsValidation, HeaderLength) {
  expect_rejected({}, "too small");
  expect_rejected(u8s({0, 0, 0}), "too small");
  // test_header_too_large in tensor.rs: length 0xffffff0000003c.
  expect_rejected(u8s({0x3c, 0, 0, 0, 0, 0xff, 0xff, 0xff}), "exceeds the 100 MB limit");
  expect_rejected(u8s({0x00, 0xe1, 0xf5, 0x05, 0, 0, 0, 0}), "runs past the end");  // exactly 100 MB: allowed, but absent
  expect_rejected(u8s({0x01, 0xe1, 0xf5, 0x05, 0, 0, 0, 0}), "exceeds the 100 MB limit");  // 100'000'001
  expect_rejected(u8s({0x3c, 0, 0, 0, 0, 0, 0, 0}), "runs past the end");  // test_invalid_header_length
  expect_rejected(raw_file(""), "does not start with '{'");
  expect_rejected(raw_file(" {}"), "does not start with '{'");
}

TEST(SafetensorsValidation, HeaderJson) {
  expect_rejected(u8s({1, 0, 0, 0, 0, 0, 0, 0, 0xff}), "does not start");  // test_invalid_header_non_utf8
  expect_rejected(raw_file("{\"a\xff\":1}"), "not valid JSON");             // invalid UTF-8 inside a string
  expect_rejected(raw_file("{\"a\":"), "not valid JSON");
  expect_rejected(raw_file("{} x"), "not valid JSON");
  expect_rejected(raw_file(R"({"w":{"dtype":"U8","shape":[1e999],"data_offsets":[0,0]}})"), "not valid JSON");
  expect_rejected(raw_file(std::string(1, '{') + std::string(20, '[') + std::string(20, ']') + "}"), "nests deeper");
  expect_rejected(raw_file(R"({"a":{"dtype":"U8","shape":[0],"data_offsets":[0,0]},"a":{"dtype":"U8","shape":[0],"data_offsets":[0,0]}})"),
                  "repeats the key 'a'");
  expect_rejected(raw_file(R"({"a":{"dtype":"U8","dtype":"U8","shape":[0],"data_offsets":[0,0]}})"), "repeats the key 'dtype'");
  EXPECT_NO_THROW(SafetensorsView(raw_file("{}\t\n  "), "ok"));  // trailing whitespace is padding
}

TEST(SafetensorsValidation, Metadata) {
  expect_rejected(raw_file(R"({"__metadata__":["pt"]})"), "__metadata__ is not an object");
  expect_rejected(raw_file(R"({"__metadata__":{"format":1}})"), "value of 'format' is not a string");
  expect_rejected(raw_file(R"({"__metadata__":{"format":null}})"), "value of 'format' is not a string");
}

TEST(SafetensorsValidation, TensorEntries) {
  expect_rejected(raw_file(R"({"w":[1]})"), "tensor 'w': entry is not an object");
  expect_rejected(raw_file(R"({"w":{"shape":[1],"data_offsets":[0,1]}})"), "tensor 'w': missing \"dtype\"");
  expect_rejected(raw_file(R"({"w":{"dtype":32,"shape":[1],"data_offsets":[0,4]}})"), "missing \"dtype\"");
  for (const char* dt : {"F8_E4M3", "U16", "U32", "U64", "C64", "F4", "f32", ""})
    expect_rejected(raw_file(std::string(R"({"w":{"dtype":")") + dt + R"(","shape":[1],"data_offsets":[0,1]}})", "x"),
                    "unsupported dtype");
  expect_rejected(raw_file(R"({"w":{"dtype":"U8","data_offsets":[0,1]}})"), "missing \"shape\"");
  expect_rejected(raw_file(R"({"w":{"dtype":"U8","shape":1,"data_offsets":[0,1]}})"), "missing \"shape\"");
  expect_rejected(raw_file(R"({"w":{"dtype":"U8","shape":[-1],"data_offsets":[0,1]}})"), "non-negative integers");
  expect_rejected(raw_file(R"({"w":{"dtype":"U8","shape":[1.0],"data_offsets":[0,1]}})"), "non-negative integers");
  expect_rejected(raw_file(R"({"w":{"dtype":"U8","shape":["1"],"data_offsets":[0,1]}})"), "non-negative integers");
  expect_rejected(raw_file(R"({"w":{"dtype":"U8","shape":[9223372036854775808,0],"data_offsets":[0,0]}})"), "too large");
  expect_rejected(raw_file(R"({"w":{"dtype":"U8","shape":[4294967296,4294967296],"data_offsets":[0,0]}})"), "overflows");
  expect_rejected(raw_file(R"({"w":{"dtype":"F64","shape":[4611686018427387904],"data_offsets":[0,0]}})"), "overflows");
  expect_rejected(raw_file(R"({"w":{"dtype":"U8","shape":[1]}})"), "\"data_offsets\" is not [begin, end]");
  expect_rejected(raw_file(R"({"w":{"dtype":"U8","shape":[1],"data_offsets":[0]}})", "x"), "is not [begin, end]");
  expect_rejected(raw_file(R"({"w":{"dtype":"U8","shape":[1],"data_offsets":[0,1,2]}})", "x"), "is not [begin, end]");
  expect_rejected(raw_file(R"({"w":{"dtype":"U8","shape":[1],"data_offsets":[-1,0]}})", "x"), "is not [begin, end]");
  expect_rejected(raw_file(R"({"w":{"dtype":"U8","shape":[0],"data_offsets":[1,0]}})", "x"), "end before begin");
  // tensor.rs TensorInvalidInfo: offsets disagree with dtype × shape.
  expect_rejected(raw_file(R"({"w":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}})", "xxxx"),
                  "hold 4 bytes but F32 [2] needs 8");
}

TEST(SafetensorsValidation, DataSectionCoverage) {
  const std::string two = R"({"a":{"dtype":"U8","shape":[2],"data_offsets":[0,2]},)";
  // test_json_attack in tensor.rs: every tensor pointing at the same bytes.
  expect_rejected(raw_file(two + R"("b":{"dtype":"U8","shape":[2],"data_offsets":[0,2]}})", "xx"), "overlap tensor 'a'");
  expect_rejected(raw_file(two + R"("b":{"dtype":"U8","shape":[2],"data_offsets":[1,3]}})", "xxx"), "overlap");
  expect_rejected(raw_file(two + R"("b":{"dtype":"U8","shape":[2],"data_offsets":[3,5]}})", "xxxxx"), "leave a hole after byte 2");
  expect_rejected(raw_file(R"({"b":{"dtype":"U8","shape":[2],"data_offsets":[1,3]}})", "xxx"), "hole after byte 0");
  // test_metadata_incomplete_buffer: trailing bytes (polyglot files), and missing bytes.
  const std::string i32 = R"({"test":{"dtype":"I32","shape":[2,2],"data_offsets":[0,16]}})";
  expect_rejected(raw_file(i32, std::string(16, '\0') + "extra_bogus_data_for_polyglot_file"), "(trailing bytes)");
  expect_rejected(raw_file(i32, std::string(14, '\0')), "(file truncated)");
  expect_rejected(raw_file("{}", "x"), "tensors cover 0 bytes but the data section has 1");
  // Zero-sized tensors share an offset legitimately; order in the header does not matter.
  SafetensorsView ok(raw_file(R"({"z":{"dtype":"U8","shape":[2],"data_offsets":[1,3]},"e":{"dtype":"F32","shape":[0],"data_offsets":[1,1]},)"
                              R"("d":{"dtype":"I8","shape":[1],"data_offsets":[0,1]},"f":{"dtype":"F16","shape":[3,0],"data_offsets":[3,3]}})",
                              "abc"),
                     "ok");
  EXPECT_EQ(ok.names(), (std::vector<std::string>{"d", "e", "f", "z"}));
  EXPECT_EQ(static_cast<char>(ok.tensor("z").data[0]), 'b');
}

TEST(SafetensorsReader, UnalignedDataFromAnotherWriterConverts) {
  // A 61-byte header (JSON + 6 spaces, not a multiple of 8): the F16 data starts at file
  // offset 69, an odd address in a malloc'd buffer.
  std::string header = R"({"h":{"dtype":"F16","shape":[3],"data_offsets":[0,6]}})";
  header.resize(61, ' ');
  const auto file = raw_file(header, std::string("\x00\x3c\x00\xc0\x00\x7c", 6));
  SafetensorsView view(file, "mem");
  const TensorView h = view.tensor("h");
  ASSERT_EQ(h.data, file.data() + 69);
  ASSERT_EQ(reinterpret_cast<uintptr_t>(h.data) % 2, 1u);
  const std::vector<float> v = h.to_float();
  EXPECT_EQ(v[0], 1.0f);
  EXPECT_EQ(v[1], -2.0f);
  EXPECT_TRUE(std::isinf(v[2]));
}

// ---- independent implementation (Python stdlib, written from the README) ----------------

TEST(SafetensorsCrossCheck, PythonWriterProducesTheSameBytes) {
  TempDir dir;
  const auto f32 = le_bytes(std::vector<float>{0.5f, -2.0f, 1e-3f});
  const auto f16 = u8s({0x01, 0x00, 0xff, 0x7b});
  const auto i64 = le_bytes(std::vector<int64_t>{1, -1});
  const auto u8 = u8s({1, 2, 3});
  const std::vector<TensorToWrite> tensors = {{"encoder.w", Dtype::kF32, {3}, f32},
                                              {"a\"\n\xc3\xa9", Dtype::kF16, {2}, f16},
                                              {"ids", Dtype::kI64, {1, 2}, i64},
                                              {"Z", Dtype::kU8, {3}, u8},
                                              {"b", Dtype::kF32, {0}, {}}};
  nlohmann::json spec;
  spec["metadata"] = {{"format", "pt"}, {"author", "t\u00e9st"}};
  for (const TensorToWrite& t : tensors) {
    std::string hex;
    for (std::byte b : t.data) hex += fmt_hex(static_cast<unsigned>(b));
    spec["tensors"].push_back({{"name", t.name}, {"dtype", std::string(dtype_name(t.dtype))}, {"shape", t.shape}, {"hex", hex}});
  }
  write_file(dir.file("spec.json"), spec.dump());
  int status = 0;
  run_python("write " + dir.file("spec.json") + " " + dir.file("py.safetensors"), &status);
  ASSERT_EQ(status, 0);
  const auto ours = serialize_safetensors(tensors, {{"format", "pt"}, {"author", "t\u00e9st"}});
  EXPECT_EQ(read_file(dir.file("py.safetensors")), std::string(reinterpret_cast<const char*>(ours.data()), ours.size()));
}

TEST(SafetensorsCrossCheck, PythonReaderAgreesWithOurFile) {
  TempDir dir;
  const auto f32 = le_bytes(std::vector<float>{0.5f, -2.0f, 1e-3f, 3.0e38f});
  const auto f16 = u8s({0x01, 0x00, 0xff, 0x7b, 0x00, 0x7c, 0x00, 0x80});  // 2^-24, 65504, inf, -0
  const auto bf16 = u8s({0x80, 0x3f, 0x49, 0x40});                           // 1.0, 3.140625
  const std::vector<TensorToWrite> tensors = {
      {"f32", Dtype::kF32, {2, 2}, f32}, {"f16", Dtype::kF16, {4}, f16}, {"bf16", Dtype::kBF16, {2}, bf16}};
  write_safetensors(dir.file("m.safetensors"), tensors, pytorch_metadata());
  int status = 0;
  const auto out = nlohmann::json::parse(run_python("read " + dir.file("m.safetensors"), &status));
  ASSERT_EQ(status, 0);
  EXPECT_EQ(out["metadata"]["format"], "pt");
  SafetensorsFile file(dir.file("m.safetensors"));
  for (const std::string& name : file.names()) {
    const auto& py = out["tensors"][name];
    const TensorView t = file.tensor(name);
    EXPECT_EQ(py["dtype"], std::string(dtype_name(t.dtype)));
    EXPECT_EQ(py["shape"].get<std::vector<int64_t>>(), std::vector<int64_t>(t.shape.begin(), t.shape.end()));
    const std::vector<float> ours = t.to_float();
    ASSERT_EQ(py["values"].size(), ours.size());
    for (size_t i = 0; i < ours.size(); ++i) {
      if (py["values"][i].is_string()) {
        EXPECT_TRUE(std::isinf(ours[i])) << name << "[" << i << "]";
      } else {
        EXPECT_EQ(py["values"][i].get<double>(), static_cast<double>(ours[i])) << name << "[" << i << "]";
        EXPECT_EQ(std::signbit(py["values"][i].get<double>()), std::signbit(ours[i])) << name << "[" << i << "]";
      }
    }
  }
}
