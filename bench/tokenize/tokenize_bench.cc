// tokenize_bench: WordPiece tokens/s of warcpairs on a file of text lines (one thread), the
// same work as `node tests/parity/reference.mjs --bench`: encode each line with [CLS]/[SEP].
// Usage: tokenize_bench VOCAB LINES [SECONDS]   → prints {"tokens":N,"seconds":S}
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "warcpairs/text/wordpiece.h"

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: tokenize_bench VOCAB LINES [SECONDS]\n");
    return 2;
  }
  const auto wp = warcpairs::text::WordPiece::from_vocab_file(argv[1]);
  std::vector<std::string> lines;
  std::ifstream in(argv[2], std::ios::binary);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  const double budget = argc > 3 ? std::stod(argv[3]) : 5.0;

  warcpairs::text::Encoding enc;
  long long tokens = 0;
  const auto t0 = std::chrono::steady_clock::now();
  double elapsed = 0;
  do {
    for (const auto& line : lines) {
      wp.encode(line, enc);
      wp.add_special_tokens(enc);
      tokens += static_cast<long long>(enc.size()) - 2;
    }
    elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  } while (elapsed < budget);
  std::printf("{\"tokens\":%lld,\"seconds\":%.3f}\n", tokens, elapsed);
  return 0;
}
