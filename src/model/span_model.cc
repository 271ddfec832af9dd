// SpanModel, SpanTrainer: DistilBertForQuestionAnswering behind a LibTorch-free interface.
#include "warcpairs/model/span_model.h"

#include <ATen/Parallel.h>
#include <ATen/autocast_mode.h>
#include <torch/types.h>  // before clip_grad.h, which uses Tensor without including it
#include <torch/cuda.h>
#include <torch/nn/functional/loss.h>
#include <torch/nn/utils/clip_grad.h>
#include <torch/optim/adamw.h>
#include <torch/serialize.h>
#include <torch/utils.h>

#include <dlfcn.h>

#include <cstring>

#include <nlohmann/json.hpp>

#include "warcpairs/core/error.h"
#include "warcpairs/model/checkpoint.h"
#include "warcpairs/model/span_batch.h"
#include "parameter_io.h"

namespace warcpairs::model {
namespace fs = std::filesystem;

// ---- devices -------------------------------------------------------------------------------

bool cuda_available() { return torch::cuda::is_available() && torch::cuda::device_count() > 0; }

void set_threads(int threads) {
  if (threads <= 0) return;
  at::set_num_threads(threads);
  // LibTorch's matrix products go to the system BLAS (Debian: OpenBLAS via libblas.so.3),
  // which keeps a thread pool of its own that at::set_num_threads does not limit: without
  // this, two ranks on two cores each ran two BLAS threads and 1 -> 2 ranks got 0.42
  // efficiency. Looked up at run time: the reference BLAS has no such function.
  using SetThreads = void (*)(int);
  if (auto* f = reinterpret_cast<SetThreads>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads")))
    f(threads);
}

std::string resolve_device(const std::string& spec, int local_rank) {
  auto pick_gpu = [&] {
    const auto n = static_cast<int>(torch::cuda::device_count());
    return "cuda:" + std::to_string((local_rank < 0 ? 0 : local_rank) % n);
  };
  if (spec == "cpu") return "cpu";
  if (spec == "auto") return cuda_available() ? pick_gpu() : "cpu";
  if (spec == "cuda" || spec.rfind("cuda:", 0) == 0) {
    if (!cuda_available())
      throw UsageError("--device " + spec +
                       ": this build's LibTorch has no CUDA or sees no GPU (Debian's libtorch-dev "
                       "is CPU-only; README.md, \"GPU builds\", says how to build against a CUDA "
                       "LibTorch), or use --device cpu");
    if (spec == "cuda") return pick_gpu();
    const std::string n = spec.substr(5);
    if (n.empty() || n.find_first_not_of("0123456789") != std::string::npos ||
        std::stoi(n) >= static_cast<int>(torch::cuda::device_count()))
      throw UsageError("--device " + spec + ": no such GPU (this node has " +
                       std::to_string(torch::cuda::device_count()) + ")");
    return spec;
  }
  throw UsageError("--device " + spec + ": expected auto, cpu, cuda or cuda:N");
}

// ---- batches and loss ----------------------------------------------------------------------

SpanBatch make_span_batch(std::span<const text::SpanWindow* const> windows, int64_t pad_id,
                          const torch::Device& device) {
  const int64_t b = static_cast<int64_t>(windows.size());
  int64_t t = 1;
  for (const auto* w : windows) t = std::max<int64_t>(t, w->length);
  auto ids = torch::full({b, t}, pad_id, torch::kInt64);
  auto mask = torch::zeros({b, t}, torch::kInt64);
  auto starts = torch::empty({b}, torch::kInt64);
  auto ends = torch::empty({b}, torch::kInt64);
  auto* id = ids.data_ptr<int64_t>();
  auto* m = mask.data_ptr<int64_t>();
  for (int64_t i = 0; i < b; ++i) {
    const auto& w = *windows[i];
    for (int32_t k = 0; k < w.length; ++k) {
      id[i * t + k] = w.input_ids[k];
      m[i * t + k] = 1;
    }
    starts.data_ptr<int64_t>()[i] = w.start_token;
    ends.data_ptr<int64_t>()[i] = w.end_token;
  }
  return {ids.to(device), mask.to(device), starts.to(device), ends.to(device)};
}

torch::Tensor span_loss_sum(const SpanLogits& logits, const SpanBatch& batch) {
  namespace F = torch::nn::functional;
  const auto pad = batch.attention_mask.eq(0);
  const auto neg_inf = -std::numeric_limits<double>::infinity();
  const auto start = logits.start_logits.masked_fill(pad, neg_inf);
  const auto end = logits.end_logits.masked_fill(pad, neg_inf);
  auto sum = F::CrossEntropyFuncOptions().reduction(torch::kSum);
  return (F::cross_entropy(start, batch.start_positions, sum) +
          F::cross_entropy(end, batch.end_positions, sum)) /
         2;
}

// ---- SpanModel -----------------------------------------------------------------------------

namespace {
// Mixed precision on a GPU: matrix products in bfloat16 under LibTorch's autocast (softmax,
// LayerNorm and the loss stay float32 by autocast's own rules). bfloat16 keeps float32's
// exponent, so training needs no loss scaling. Off on the CPU and for float64 models.
// Not exercised by the test suite: these machines have no GPU and Debian's LibTorch no CUDA.
class GpuAutocast {
 public:
  GpuAutocast(const torch::Device& device, Precision precision)
      : on_(device.is_cuda() && precision == Precision::kFloat32) {
    if (!on_) return;
    at::autocast::set_autocast_gpu_dtype(at::kBFloat16);
    at::autocast::set_enabled(true);
  }
  ~GpuAutocast() {
    if (!on_) return;
    at::autocast::clear_cache();
    at::autocast::set_enabled(false);
  }
  GpuAutocast(const GpuAutocast&) = delete;
  GpuAutocast& operator=(const GpuAutocast&) = delete;

 private:
  bool on_;
};
}  // namespace

struct SpanModel::Impl {
  Impl(const model_io::DistilBertConfig& config, const std::string& dev, Precision p)
      : net(config), device(dev), precision(p) {}
  void place() {
    net->to(device, precision == Precision::kFloat64 ? torch::kDouble : torch::kFloat);
  }
  DistilBertForQuestionAnswering net;
  // The other members of an ensemble checkpoint (kEnsembleKey): their logits are averaged
  // with net's. Empty for a single model.
  std::vector<DistilBertForQuestionAnswering> members;
  torch::Device device;
  Precision precision;
  std::string version;
  bool untrained_head = false;
};

namespace {
// The member directories an ensemble checkpoint's config.json lists (kEnsembleKey), relative
// to it; none for a single model. Throws for a record that is not a list of plain relative
// paths inside the checkpoint.
std::vector<fs::path> ensemble_members(const model_io::DistilBertConfig& config, const fs::path& dir) {
  const auto it = config.extra.find(kEnsembleKey);
  if (it == config.extra.end()) return {};
  const auto list = nlohmann::json::parse(it->second, nullptr, false);
  std::vector<fs::path> out;
  if (list.is_array())
    for (const auto& m : list) {
      const fs::path rel = m.is_string() ? fs::path(m.get<std::string>()) : fs::path();
      const bool inside = !rel.empty() && rel.is_relative() &&
                          std::none_of(rel.begin(), rel.end(), [](const fs::path& part) { return part == ".."; });
      if (!inside) {
        out.clear();
        break;
      }
      out.push_back(dir / rel);
    }
  if (out.empty())
    throw Error(std::string("config.json's \"") + kEnsembleKey + "\" must list member directories inside the "
                "checkpoint (written by `warcpairs train --ensemble N`), got " + it->second,
                (dir / "config.json").string());
  return out;
}

// A member must window and decode as the ensemble does: the same vocabulary size and the same
// extra config.json records (train's window settings), and no ensemble of its own.
void check_member(const model_io::DistilBertConfig& top, const model_io::DistilBertConfig& member,
                  const fs::path& dir) {
  auto extra = top.extra;
  extra.erase(kEnsembleKey);
  if (member.vocab_size != top.vocab_size || member.extra != extra)
    throw UsageError("ensemble member " + dir.string() + " does not match the ensemble's config.json "
                     "(vocab_size and the window/decoding records must be equal; members are not "
                     "ensembles themselves)");
}
}  // namespace

SpanModel::SpanModel(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SpanModel::SpanModel(SpanModel&&) noexcept = default;
SpanModel& SpanModel::operator=(SpanModel&&) noexcept = default;
SpanModel::~SpanModel() = default;

SpanModel SpanModel::load(const fs::path& dir, const std::string& device, Precision precision) {
  for (const char* name : {"config.json", "model.safetensors"})
    if (!fs::is_regular_file(dir / name))
      throw UsageError("model directory " + dir.string() + " lacks " + name +
                       " (models/README.md says what a checkpoint holds)");
  auto loaded = load_distilbert_qa(dir.string());
  auto impl = std::make_unique<Impl>(loaded.model->config(), device, precision);
  impl->net = loaded.model;
  impl->place();
  impl->net->eval();
  impl->version = file_version(dir / "model.safetensors");
  impl->untrained_head = !loaded.report.newly_initialized.empty();
  for (const fs::path& member_dir : ensemble_members(impl->net->config(), dir)) {
    for (const char* name : {"config.json", "model.safetensors"})
      if (!fs::is_regular_file(member_dir / name))
        throw UsageError("ensemble member " + member_dir.string() + " lacks " + name);
    auto member = load_distilbert_qa(member_dir.string());
    check_member(impl->net->config(), member.model->config(), member_dir);
    member.model->to(impl->device, precision == Precision::kFloat64 ? torch::kDouble : torch::kFloat);
    member.model->eval();
    impl->members.push_back(member.model);
    impl->version.push_back('+');
    impl->version += file_version(member_dir / "model.safetensors");
    impl->untrained_head = impl->untrained_head || !member.report.newly_initialized.empty();
  }
  return SpanModel(std::move(impl));
}

SpanModel SpanModel::create(const model_io::DistilBertConfig& config, uint64_t seed,
                            const std::string& device, Precision precision) {
  config.validate();
  torch::manual_seed(seed);
  auto impl = std::make_unique<Impl>(config, device, precision);
  init_distilbert_weights(*impl->net, config);
  impl->place();
  impl->net->eval();
  return SpanModel(std::move(impl));
}

void SpanModel::predict(std::span<const text::SpanWindow* const> batch, BatchLogits& out) {
  torch::NoGradGuard no_grad;
  Impl& m = *impl_;
  m.net->eval();
  const SpanBatch b = make_span_batch(batch, m.net->config().pad_token_id, m.device);
  GpuAutocast autocast(m.device, m.precision);
  SpanLogits logits = m.net->forward(b.input_ids, b.attention_mask);
  if (!m.members.empty()) {  // an ensemble: the mean of its members' logits
    for (auto& member : m.members) {
      const SpanLogits more = member->forward(b.input_ids, b.attention_mask);
      logits.start_logits = logits.start_logits + more.start_logits;
      logits.end_logits = logits.end_logits + more.end_logits;
    }
    const double n = static_cast<double>(m.members.size() + 1);
    logits.start_logits = logits.start_logits / n;
    logits.end_logits = logits.end_logits / n;
  }
  const auto start = logits.start_logits.to(torch::kCPU, torch::kFloat).contiguous();
  const auto end = logits.end_logits.to(torch::kCPU, torch::kFloat).contiguous();
  out.rows = static_cast<int32_t>(start.size(0));
  out.width = static_cast<int32_t>(start.size(1));
  out.start.assign(start.data_ptr<float>(), start.data_ptr<float>() + start.numel());
  out.end.assign(end.data_ptr<float>(), end.data_ptr<float>() + end.numel());
}

void SpanModel::save(const fs::path& dir, const fs::path& tokenizer_dir) const {
  if (!impl_->members.empty())
    throw UsageError("an ensemble checkpoint cannot be saved as one model (write_ensemble assembles it "
                     "from its members' checkpoints)");
  save_distilbert_qa(*impl_->net, dir.string(), tokenizer_dir.string());
}

const model_io::DistilBertConfig& SpanModel::config() const { return impl_->net->config(); }
void SpanModel::set_config_extra(const std::string& key, const std::string& json_text) {
  impl_->net->distilbert->config.extra[key] = json_text;
}
std::string SpanModel::device() const { return impl_->device.str(); }
const std::string& SpanModel::version() const { return impl_->version; }
bool SpanModel::untrained_head() const { return impl_->untrained_head; }
std::size_t SpanModel::ensemble_size() const { return impl_->members.size() + 1; }

int64_t SpanModel::parameter_count() const {
  int64_t n = 0;
  for (const auto& p : impl_->net->parameters()) n += p.numel();
  for (const auto& member : impl_->members)
    for (const auto& p : member->parameters()) n += p.numel();
  return n;
}

void write_ensemble(const std::vector<fs::path>& members, const fs::path& out) {
  if (members.size() < 2) throw UsageError("an ensemble needs at least two member checkpoints");
  std::vector<model_io::DistilBertConfig> configs;
  for (const fs::path& m : members) {
    for (const char* name : {"config.json", "model.safetensors"})
      if (!fs::is_regular_file(m / name)) throw UsageError("ensemble member " + m.string() + " lacks " + name);
    configs.push_back(model_io::load_distilbert_config((m / "config.json").string()));
    if (configs.back().extra.contains(kEnsembleKey))
      throw UsageError("ensemble member " + m.string() + " is an ensemble itself");
  }
  for (std::size_t k = 1; k < members.size(); ++k) check_member(configs[0], configs[k], members[k]);
  fs::create_directories(out);
  for (const auto& entry : fs::directory_iterator(members[0]))
    if (entry.is_regular_file())
      fs::copy_file(entry.path(), out / entry.path().filename(), fs::copy_options::overwrite_existing);
  nlohmann::json list = nlohmann::json::array();
  for (std::size_t k = 1; k < members.size(); ++k) {
    const std::string rel = "ensemble/" + std::to_string(k);
    fs::create_directories(out / rel);
    for (const char* name : {"config.json", "model.safetensors"})
      fs::copy_file(members[k] / name, out / rel / name, fs::copy_options::overwrite_existing);
    list.push_back(rel);
  }
  configs[0].extra[kEnsembleKey] = list.dump();
  model_io::write_distilbert_config((out / "config.json").string(), configs[0]);
}

std::vector<double> SpanModel::flat_parameters() const {
  std::vector<double> out;
  for (const auto& p : impl_->net->parameters()) {
    const auto t = p.detach().to(torch::kCPU, torch::kDouble).contiguous().view(-1);
    out.insert(out.end(), t.data_ptr<double>(), t.data_ptr<double>() + t.numel());
  }
  return out;
}

double evaluate_loss(SpanModel& model, std::span<const text::SpanWindow* const> batch) {
  if (batch.empty()) return 0;
  torch::NoGradGuard no_grad;
  auto& m = model.impl();
  m.net->eval();
  const SpanBatch b = make_span_batch(batch, m.net->config().pad_token_id, m.device);
  return span_loss_sum(m.net->forward(b.input_ids, b.attention_mask), b).item<double>() /
         static_cast<double>(batch.size());
}

// ---- SpanTrainer ---------------------------------------------------------------------------

struct SpanTrainer::Impl {
  Impl(SpanModel& m, TrainOptions o, GradientSum s)
      : model(m.impl()), options(o), sum(std::move(s)), optimizer(param_groups(m.impl(), o)) {}

  // HF Trainer's grouping: no weight decay on biases and LayerNorm weights.
  static std::vector<torch::optim::OptimizerParamGroup> param_groups(SpanModel::Impl& m,
                                                                     const TrainOptions& o) {
    std::vector<torch::Tensor> decay, no_decay;
    for (const auto& item : m.net->named_parameters()) {
      const std::string& name = item.key();
      const bool exempt = name.ends_with(".bias") || name.find("LayerNorm") != std::string::npos ||
                          name.find("layer_norm") != std::string::npos;
      (exempt ? no_decay : decay).push_back(item.value());
    }
    auto opts = [&](double wd) {
      return std::make_unique<torch::optim::AdamWOptions>(
          torch::optim::AdamWOptions(o.learning_rate)
              .betas({o.beta1, o.beta2})
              .eps(o.epsilon)
              .weight_decay(wd));
    };
    std::vector<torch::optim::OptimizerParamGroup> groups;
    groups.emplace_back(decay, opts(o.weight_decay));
    groups.emplace_back(no_decay, opts(0.0));
    return groups;
  }

  double rate(int64_t step) const {  // HF get_linear_schedule_with_warmup
    if (step < options.warmup_steps)
      return options.learning_rate * double(step) / double(std::max<int64_t>(1, options.warmup_steps));
    const double left = double(options.total_steps - step) /
                        double(std::max<int64_t>(1, options.total_steps - options.warmup_steps));
    return options.learning_rate * std::max(0.0, left);
  }

  // Flattens gradients into buckets of about bucket_bytes, sums each over the ranks, copies
  // the sums back. Order = parameters() order, the same on every rank.
  // The word-embedding gradient is non-zero only in the rows of tokens in the batch: with the
  // `any` reduction, only the rows used on some rank are summed (exactly the same result).
  void all_reduce_embedding_rows(torch::Tensor& grad, std::vector<uint8_t>& used) {
    sum.any(used.data(), used.size());
    std::vector<int64_t> rows;
    for (std::size_t i = 0; i < used.size(); ++i)
      if (used[i]) rows.push_back(static_cast<int64_t>(i));
    if (rows.empty()) return;
    const auto index = torch::tensor(rows, torch::kInt64).to(grad.device());
    auto picked = grad.index_select(0, index).to(torch::kCPU).contiguous();
    if (model.precision == Precision::kFloat64) sum.f64(picked.data_ptr<double>(), picked.numel());
    else sum.f32(picked.data_ptr<float>(), picked.numel());
    grad.index_copy_(0, index, picked.to(grad.device()));
  }

  void all_reduce_gradients(std::vector<uint8_t>* used_tokens) {
    std::vector<torch::Tensor> grads;
    auto& embedding = model.net->distilbert->embeddings->word_embeddings->weight;
    const bool sparse = sum.any && used_tokens;
    for (auto& p : model.net->parameters()) {
      if (!p.grad().defined()) continue;
      if (sparse && p.is_same(embedding)) continue;
      grads.push_back(p.grad());
    }
    if (sparse) all_reduce_embedding_rows(embedding.mutable_grad(), *used_tokens);
    const bool f64 = model.precision == Precision::kFloat64;
    const std::size_t elem = f64 ? sizeof(double) : sizeof(float);
    const std::size_t bucket_elems = std::max<std::size_t>(1, options.bucket_bytes / elem);
    std::size_t i = 0;
    while (i < grads.size()) {
      std::size_t j = i, n = 0;
      do n += static_cast<std::size_t>(grads[j++].numel());
      while (j < grads.size() && n + static_cast<std::size_t>(grads[j].numel()) <= bucket_elems);
      std::vector<torch::Tensor> part(grads.begin() + i, grads.begin() + j);
      auto flat = torch::cat(part_views(part)).to(torch::kCPU).contiguous();
      if (f64) sum.f64(flat.data_ptr<double>(), n);
      else sum.f32(flat.data_ptr<float>(), n);
      flat = flat.to(grads[i].device());
      int64_t at = 0;
      for (auto& g : part) {
        g.copy_(flat.narrow(0, at, g.numel()).view_as(g));
        at += g.numel();
      }
      i = j;
    }
  }
  static std::vector<torch::Tensor> part_views(const std::vector<torch::Tensor>& ts) {
    std::vector<torch::Tensor> v;
    v.reserve(ts.size());
    for (const auto& t : ts) v.push_back(t.reshape(-1));
    return v;
  }

  SpanModel::Impl& model;
  TrainOptions options;
  GradientSum sum;
  torch::optim::AdamW optimizer;
  int64_t steps = 0;
  std::vector<uint8_t> used_tokens;  // per vocabulary id: in this rank's batch
};

SpanTrainer::SpanTrainer(SpanModel& model, TrainOptions options, GradientSum sum)
    : impl_(std::make_unique<Impl>(model, options, std::move(sum))) {}
SpanTrainer::~SpanTrainer() = default;

double SpanTrainer::step(std::span<const text::SpanWindow* const> local, int64_t global_count) {
  Impl& s = *impl_;
  auto& net = s.model.net;
  net->train();
  // Dropout masks from (seed, step, rank): a resumed run draws what the uninterrupted one did.
  torch::manual_seed(s.options.seed * 1000003ULL + uint64_t(s.steps) * 7919ULL + uint64_t(s.options.rank));
  s.optimizer.zero_grad();
  double loss_sum = 0;
  if (!local.empty()) {
    const SpanBatch b = make_span_batch(local, net->config().pad_token_id, s.model.device);
    torch::Tensor loss;
    {
      GpuAutocast autocast(s.model.device, s.model.precision);
      loss = span_loss_sum(net->forward(b.input_ids, b.attention_mask), b);
    }
    (loss / static_cast<double>(std::max<int64_t>(1, global_count))).backward();
    loss_sum = loss.item<double>();
  } else {
    // A rank without examples in this batch still takes part in every all-reduce, with zeros.
    for (auto& p : net->parameters()) p.mutable_grad() = torch::zeros_like(p);
  }
  for (auto& p : net->parameters())  // parameters no example reached: a zero gradient, not none
    if (!p.grad().defined()) p.mutable_grad() = torch::zeros_like(p);
  std::vector<uint8_t>* used = nullptr;
  if (s.sum.any) {
    s.used_tokens.assign(static_cast<std::size_t>(net->config().vocab_size), 0);
    s.used_tokens[static_cast<std::size_t>(net->config().pad_token_id)] = 1;
    for (const auto* w : local)
      for (int32_t id : w->input_ids)
        if (id >= 0 && id < static_cast<int32_t>(s.used_tokens.size())) s.used_tokens[id] = 1;
    used = &s.used_tokens;
  }
  s.all_reduce_gradients(used);
  if (s.options.max_grad_norm > 0)
    torch::nn::utils::clip_grad_norm_(net->parameters(), s.options.max_grad_norm);
  const double lr = s.rate(s.steps);
  for (auto& group : s.optimizer.param_groups())
    static_cast<torch::optim::AdamWOptions&>(group.options()).lr(lr);
  s.optimizer.step();
  ++s.steps;
  net->eval();
  return loss_sum;
}

int64_t SpanTrainer::steps_done() const { return impl_->steps; }
double SpanTrainer::learning_rate() const { return impl_->rate(impl_->steps); }

void SpanTrainer::save_state(const fs::path& file) const {
  torch::serialize::OutputArchive archive;
  impl_->optimizer.save(archive);
  archive.write("steps", torch::tensor(impl_->steps, torch::kInt64));
  archive.save_to(file.string());
}

void SpanTrainer::load_state(const fs::path& file) {
  torch::serialize::InputArchive archive;
  try {
    archive.load_from(file.string());
    impl_->optimizer.load(archive);
    torch::Tensor steps;
    archive.read("steps", steps);
    impl_->steps = steps.item<int64_t>();
  } catch (const c10::Error& e) {
    throw Error(std::string("cannot read the trainer state: ") + e.what_without_backtrace(),
                file.string());
  }
}

}  // namespace warcpairs::model
