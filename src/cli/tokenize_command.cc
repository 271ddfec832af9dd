// `warcpairs tokenize`: one UTF-8 text per stdin line → one JSON line of token ids and offsets,
// for debugging and for parity checks against Hugging Face (tests/parity).
#include <cstdio>
#include <iostream>
#include <string>

#include "commands.h"
#include "warcpairs/core/error.h"
#include "warcpairs/text/clip_bpe.h"
#include "warcpairs/text/wordpiece.h"

namespace warcpairs::cli {
namespace {

struct TokenizeCli {
  std::filesystem::path vocab;
  std::filesystem::path bpe;
  bool no_special = false;
  bool tokens = false;
  bool byte_offsets = false;
};

void append_json_string(std::string& out, std::string_view s) {
  out.push_back('"');
  for (const char ch : s) {
    const auto b = static_cast<unsigned char>(ch);
    if (ch == '"' || ch == '\\') {
      out.push_back('\\');
      out.push_back(ch);
    } else if (b < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", b);
      out += buf;
    } else {
      out.push_back(ch);
    }
  }
  out.push_back('"');
}

template <typename Pairs>
void append_pairs(std::string& out, const char* name, const Pairs& pairs) {
  out += ",\"";
  out += name;
  out += "\":[";
  for (std::size_t k = 0; k < pairs.size(); ++k) {
    if (k) out.push_back(',');
    out += '[' + std::to_string(pairs[k].first) + ',' + std::to_string(pairs[k].second) + ']';
  }
  out.push_back(']');
}

void write_json(const text::Encoding& enc, const TokenizeCli& cli, std::string& out) {
  out = "{\"ids\":[";
  for (std::size_t k = 0; k < enc.ids.size(); ++k) {
    if (k) out.push_back(',');
    out += std::to_string(enc.ids[k]);
  }
  out.push_back(']');
  append_pairs(out, "offsets", enc.offsets);
  if (cli.byte_offsets) append_pairs(out, "byte_offsets", enc.byte_offsets);
  if (cli.tokens) {
    out += ",\"tokens\":[";
    for (std::size_t k = 0; k < enc.tokens.size(); ++k) {
      if (k) out.push_back(',');
      append_json_string(out, enc.tokens[k]);
    }
    out.push_back(']');
  }
  out += "}\n";
}

// One JSON line per stdin line, whichever tokenizer `encode` runs.
template <typename Encode>
int tokenize_lines(const TokenizeCli& cli, Encode&& encode) {
  std::ios::sync_with_stdio(false);
  text::Encoding enc;
  std::string line, json;
  while (std::getline(std::cin, line)) {
    encode(line, enc);
    write_json(enc, cli, json);
    std::fwrite(json.data(), 1, json.size(), stdout);
  }
  return std::fflush(stdout) == 0 ? kExitOk : kExitFailed;
}

int run(const TokenizeCli& cli) {
  if (cli.vocab.empty() == cli.bpe.empty())
    throw UsageError("tokenize needs one of --vocab FILE (WordPiece vocab.txt) or --bpe FILE (CLIP merges)");
  if (!cli.bpe.empty()) {
    const auto bpe = text::ClipBpe::from_file(cli.bpe);
    return tokenize_lines(cli, [&](const std::string& line, text::Encoding& enc) {
      bpe.encode(line, enc, !cli.no_special, cli.tokens);
    });
  }
  const auto wp = text::WordPiece::from_vocab_file(cli.vocab);
  return tokenize_lines(cli, [&](const std::string& line, text::Encoding& enc) {
    wp.encode(line, enc, cli.tokens);
    if (!cli.no_special) wp.add_special_tokens(enc);
  });
}

}  // namespace

Runner add_tokenize_command(CLI::App& app) {
  auto cli = std::make_shared<TokenizeCli>();
  auto* cmd = app.add_subcommand("tokenize", "Text lines on stdin -> token ids and offsets (JSON lines)");
  cmd->add_option("--vocab", cli->vocab, "WordPiece vocab.txt (bert/distilbert-base-uncased)")
      ->check(CLI::ExistingFile);
  cmd->add_option("--bpe", cli->bpe,
                  "CLIP byte-level BPE merges (bpe_simple_vocab_16e6.txt, gzip or plain)")
      ->check(CLI::ExistingFile);
  cmd->add_flag("--no-special-tokens", cli->no_special,
                "Leave out [CLS]/[SEP] (WordPiece) or <|startoftext|>/<|endoftext|> (BPE)");
  cmd->add_flag("--tokens", cli->tokens, "Also write the token strings");
  cmd->add_flag("--byte-offsets", cli->byte_offsets, "Also write UTF-8 byte offsets");
  cmd->footer(
      "One JSON line per input line (lines end at \\n only):\n"
      "  {\"ids\":[101,7592,1010,2088,999,102],\"offsets\":[[0,0],[0,5],[5,6],[7,12],[12,13],[0,0]]}\n"
      "like Hugging Face's tokenizer(text) with add_special_tokens=True: [CLS] first and [SEP]\n"
      "last, both at offset [0,0]. Offsets are [start,end) in code points of the line (Python /\n"
      "HF character offsets); --byte-offsets adds them in UTF-8 bytes.\n"
      "With --bpe (CLIP, like HF's CLIPTokenizerFast) the ids are CLIP's, <|startoftext|> first\n"
      "and <|endoftext|> last, both at [0,0].\n"
      "Examples:\n"
      "  echo 'Hello, WORLD!' | warcpairs tokenize --vocab models/distilbert/vocab.txt\n"
      "  warcpairs tokenize --vocab vocab.txt --tokens --no-special-tokens < contexts.txt\n"
      "  echo 'a photo of a cat' | warcpairs tokenize --bpe bpe_simple_vocab_16e6.txt.gz");
  return [cli] { return run(*cli); };
}

}  // namespace warcpairs::cli
