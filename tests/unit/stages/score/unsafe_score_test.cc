// The unsafe-image score's arithmetic against a numpy reference (unsafe_reference.py), and the
// prompt file's format.
#include "../../../../src/stages/score/unsafe_score.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>

#include "warcpairs/core/error.h"

namespace warcpairs::stages {
namespace {

// Random L2-normalised rows, as CLIP's embeddings are.
std::vector<float> unit_rows(std::size_t n, std::size_t d, std::mt19937& rng) {
  std::normal_distribution<float> g;
  std::vector<float> v(n * d);
  for (std::size_t i = 0; i < n; ++i) {
    double norm = 0;
    for (std::size_t j = 0; j < d; ++j) v[i * d + j] = g(rng), norm += double(v[i * d + j]) * v[i * d + j];
    for (std::size_t j = 0; j < d; ++j) v[i * d + j] = float(v[i * d + j] / std::sqrt(norm));
  }
  return v;
}

TEST(UnsafeScore, MatchesNumpyReference) {
  std::mt19937 rng(20);
  const std::size_t n = 64, m = 20, d = 512;
  auto images = unit_rows(n, d, rng), prompts = unit_rows(m, d, rng);
  // Make some images lean on prompts, so scores spread over (0, 1) and not only near 0.
  for (std::size_t i = 0; i < 16; ++i)
    for (std::size_t j = 0; j < d; ++j) images[i * d + j] = 0.8f * prompts[(i % m) * d + j] + 0.6f * images[i * d + j];
  std::vector<char> unsafe(m, 0);
  for (std::size_t k = 0; k < 7; ++k) unsafe[k] = 1;
  for (double scale : {100.0, 1.0, 14.285714}) {
    std::vector<double> ours;
    unsafe_scores(images.data(), n, prompts.data(), m, d, unsafe, scale, ours);
    const std::string in = ::testing::TempDir() + "unsafe_in.txt", out = ::testing::TempDir() + "unsafe_out.txt";
    {
      std::ofstream f(in);
      f.precision(9);
      f << n << ' ' << m << ' ' << d << ' ' << scale << '\n';
      for (char u : unsafe) f << int(u) << ' ';
      f << '\n';
      for (const auto* rows : {&images, &prompts})
        for (std::size_t i = 0; i < rows->size() / d; ++i) {
          for (std::size_t j = 0; j < d; ++j) f << (*rows)[i * d + j] << ' ';
          f << '\n';
        }
    }
    const std::string cmd = "/usr/bin/python3 " WARCPAIRS_SOURCE_DIR "/tests/unit/stages/score/unsafe_reference.py " + in + " " + out;
    ASSERT_EQ(std::system(cmd.c_str()), 0) << "unsafe_reference.py failed (needs python3-numpy): " << cmd;
    std::ifstream f(out);
    std::vector<double> ref;
    for (double v; f >> v;) ref.push_back(v);
    ASSERT_EQ(ref.size(), n);
    double lo = 1, hi = 0;
    for (std::size_t i = 0; i < n; ++i) {
      EXPECT_NEAR(ours[i], ref[i], 1e-5) << "image " << i << " scale " << scale;
      EXPECT_GE(ours[i], 0.0);
      EXPECT_LE(ours[i], 1.0);
      lo = std::min(lo, ours[i]), hi = std::max(hi, ours[i]);
    }
    if (scale == 100.0) {
      EXPECT_GT(hi - lo, 0.5) << "the test data should spread the scores";
    }
  }
}

TEST(UnsafeScore, ExtremesAndLargeLogits) {
  // An image equal to the unsafe prompt, with OpenAI CLIP's scale: the softmax must not
  // overflow (exp(100) alone would lose the neutral mass) and gives ~1.
  const std::vector<float> prompts = {1, 0, 0, 1};  // unsafe (1,0), neutral (0,1)
  const std::vector<char> unsafe = {1, 0};
  std::vector<double> out;
  const std::vector<float> images = {1, 0, 0, 1, 0.70710678f, 0.70710678f};
  unsafe_scores(images.data(), 3, prompts.data(), 2, 2, unsafe, 100, out);
  EXPECT_NEAR(out[0], 1.0, 1e-12);
  EXPECT_NEAR(out[1], 0.0, 1e-12);
  EXPECT_NEAR(out[2], 0.5, 1e-12);
}

TEST(UnsafePrompts, BuiltInSet) {
  const UnsafePrompts p = load_unsafe_prompts({});
  EXPECT_EQ(p.source, "built-in models/unsafe-prompts.tsv");
  EXPECT_DOUBLE_EQ(p.threshold, 0.5);
  ASSERT_EQ(p.texts.size(), p.unsafe.size());
  EXPECT_GE(std::count(p.unsafe.begin(), p.unsafe.end(), 1), 3);
  EXPECT_GE(std::count(p.unsafe.begin(), p.unsafe.end(), 0), 3);
  EXPECT_EQ(p.texts[0], "a pornographic photo");
  EXPECT_EQ(p.digest.rfind("fnv1a64:", 0), 0u);
}

TEST(UnsafePrompts, FormatErrorsNameTheLine) {
  const auto p = parse_unsafe_prompts("# c\n\nunsafe\tbad\r\nneutral\tok\nthreshold\t0.25\n", "f.tsv");
  EXPECT_EQ(p.texts, (std::vector<std::string>{"bad", "ok"}));
  EXPECT_DOUBLE_EQ(p.threshold, 0.25);
  auto message = [](const char* text) {
    try {
      parse_unsafe_prompts(text, "f.tsv");
    } catch (const UsageError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(message("unsafe\ta\nsafe\tb\n").find("f.tsv line 2: unknown kind 'safe'"), std::string::npos);
  EXPECT_NE(message("unsafe a\n").find("line 1"), std::string::npos);
  EXPECT_NE(message("unsafe\ta\nneutral\tb\nthreshold\t1.5\n").find("line 3"), std::string::npos);
  EXPECT_NE(message("neutral\ta\n").find("at least one unsafe and one neutral"), std::string::npos);
  EXPECT_NE(message("").find("at least one unsafe"), std::string::npos);
}

}  // namespace
}  // namespace warcpairs::stages
