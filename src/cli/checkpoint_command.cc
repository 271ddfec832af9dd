// `warcpairs checkpoint`: writes random-weight checkpoints in Hugging Face layout, for tests,
// benchmarks and trying the pipeline without downloads (no LibTorch needed: model_io writes
// them). Real use starts from downloaded weights (models/README.md).
#include <cstdio>
#include <filesystem>

#include "commands.h"
#include "warcpairs/core/error.h"
#include "warcpairs/model_io/distilbert_config.h"
#include "warcpairs/model_io/tiny_checkpoint.h"
#include "warcpairs/model_io/tiny_clip.h"

namespace warcpairs::cli {
namespace {

struct CheckpointCli {
  std::string kind;
  std::filesystem::path out, vocab, bpe;
  uint64_t seed = 0;
  bool full_size = false;
};

int run(const CheckpointCli& c) {
  namespace fs = std::filesystem;
  if (c.out.empty()) throw UsageError("checkpoint needs --dest DIR, the directory to write");
  if (c.kind == "clip") {
    model_io::TinyClipOptions o;
    o.seed = c.seed;
    o.config = c.full_size ? model_io::TinyClipOptions::clip_vit_b32_sizes()
                           : model_io::TinyClipOptions::tiny_clip_config();
    // The real BPE vocabulary (49408 tokens) so that real text tokenizes into valid ids.
    o.config.text.vocab_size = 49408;
    o.config.text.bos_token_id = 49406;
    o.config.text.eos_token_id = 49407;
    model_io::write_tiny_clip(c.out.string(), o);
    // Under a name `score` looks for: HF's merges.txt, or the original release's file name.
    if (!c.bpe.empty())
      fs::copy_file(c.bpe, c.out / (c.bpe.extension() == ".gz" ? "bpe_simple_vocab_16e6.txt.gz" : "merges.txt"),
                    fs::copy_options::overwrite_existing);
  } else {
    if (c.vocab.empty()) throw UsageError("checkpoint distilbert needs --vocab vocab.txt");
    model_io::TinyCheckpointOptions o;
    o.vocab_path = c.vocab.string();
    o.seed = c.seed;
    if (c.full_size) o.n_layers = 6, o.dim = 768, o.n_heads = 12, o.hidden_dim = 3072, o.max_position_embeddings = 512;
    model_io::write_tiny_distilbert_qa(c.out.string(), o);
  }
  std::printf("wrote a random %s%s checkpoint to %s\n", c.full_size ? "full-size " : "tiny ",
              c.kind.c_str(), c.out.c_str());
  return kExitOk;
}

}  // namespace

Runner add_checkpoint_command(CLI::App& app) {
  auto cli = std::make_shared<CheckpointCli>();
  auto* cmd = app.add_subcommand("checkpoint", "Write a random-weight checkpoint (tests, benchmarks)");
  cmd->add_option("kind", cli->kind, "distilbert or clip")->required()->check(CLI::IsMember({"distilbert", "clip"}));
  // --dest as in export (a folder this command creates); elsewhere -o/--out is the run folder a
  // stage reads and adds to. -o/--out, this command's first spelling, still work (listed apart).
  cmd->add_option("--dest", cli->out, "Directory to write (required)");
  // In a group of its own, not hidden: CLI11 names no hidden option in its errors.
  cmd->add_option("-o,--out", cli->out, "Old spelling of --dest")->group("Old spellings");
  cmd->add_option("--vocab", cli->vocab, "distilbert: the WordPiece vocab.txt");
  cmd->add_option("--bpe", cli->bpe, "clip: a BPE merges file to copy beside it");
  cmd->add_option("--seed", cli->seed, "Seeds the random weights")->capture_default_str();
  cmd->add_flag("--full-size", cli->full_size,
                "distilbert-base-uncased / clip-vit-base-patch32 sizes instead of tiny ones");
  cmd->footer("Examples:\n  warcpairs checkpoint clip --dest tiny-clip --bpe vocab/clip-bpe_simple_vocab_16e6.txt.gz\n"
              "  warcpairs checkpoint distilbert --dest tiny --vocab vocab.txt   # then: train --model-config tiny/config.json\n"
              "Random weights: for tests and speed measurements, not for results.");
  return [cli] { return run(*cli); };
}

}  // namespace warcpairs::cli
