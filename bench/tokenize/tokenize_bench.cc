// tokenize_bench: tokens/s of warcpairs' tokenizers on a file of text lines (one thread), the
// same work as `node tests/parity/reference.mjs --bench`: encode each line with its special
// tokens ([CLS]/[SEP] or <|startoftext|>/<|endoftext|>), count the tokens between them.
// Usage: tokenize_bench VOCAB LINES [SECONDS]          WordPiece (vocab.txt)
//        tokenize_bench --bpe MERGES LINES [SECONDS]   CLIP BPE (bpe_simple_vocab_16e6.txt.gz)
//        → prints {"tokens":N,"seconds":S}
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "warcpairs/text/clip_bpe.h"
#include "warcpairs/text/wordpiece.h"

namespace {

// Runs `encode` over all lines until `budget` seconds have passed; prints tokens and time.
template <typename Encode>
void time_lines(const std::vector<std::string>& lines, double budget, Encode&& encode) {
  warcpairs::text::Encoding enc;
  long long tokens = 0;
  const auto t0 = std::chrono::steady_clock::now();
  double elapsed = 0;
  do {
    for (const auto& line : lines) {
      encode(line, enc);
      tokens += static_cast<long long>(enc.size()) - 2;
    }
    elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  } while (elapsed < budget);
  std::printf("{\"tokens\":%lld,\"seconds\":%.3f}\n", tokens, elapsed);
}

}  // namespace

int main(int argc, char** argv) {
  const bool bpe = argc > 1 && std::string_view(argv[1]) == "--bpe";
  if (bpe) {
    --argc;
    ++argv;
  }
  if (argc < 3) {
    std::fprintf(stderr, "usage: tokenize_bench [--bpe] VOCAB|MERGES LINES [SECONDS]\n");
    return 2;
  }
  std::vector<std::string> lines;
  std::ifstream in(argv[2], std::ios::binary);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  const double budget = argc > 3 ? std::stod(argv[3]) : 5.0;

  if (bpe) {
    const auto clip = warcpairs::text::ClipBpe::from_file(argv[1]);
    time_lines(lines, budget, [&](const std::string& line, warcpairs::text::Encoding& enc) {
      clip.encode(line, enc);
    });
  } else {
    const auto wp = warcpairs::text::WordPiece::from_vocab_file(argv[1]);
    time_lines(lines, budget, [&](const std::string& line, warcpairs::text::Encoding& enc) {
      wp.encode(line, enc);
      wp.add_special_tokens(enc);
    });
  }
  return 0;
}
