// Cleaners for `warcpairs export`: thresholds on CLIP, size, aspect ratio and words, exact
// (sha256) and near (pHash Hamming distance, banded index) duplicates, languages, noai.
#include "export_cleaners.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <sstream>
#include <unordered_map>
#include <unordered_set>

#include "warcpairs/core/error.h"
#include "warcpairs/net/robots_tag.h"
#include "warcpairs/text/language.h"

namespace warcpairs::stages {

const std::vector<std::string> kCleanerNames = {
    "min_clip",  "max_aspect_ratio", "min_width",       "min_height", "min_words",
    "max_words", "exact_duplicates", "near_duplicates", "languages", "max_unsafe"};

namespace {

double number(const CleanerSpec& s) {
  try {
    std::size_t used = 0;
    const double v = std::stod(s.value, &used);
    if (used == s.value.size() && std::isfinite(v)) return v;
  } catch (const std::exception&) {
  }
  throw UsageError("cleaner " + s.name + ": '" + s.value + "' is not a number");
}

bool boolean(const CleanerSpec& s) {
  if (s.value == "true" || s.value == "1") return true;
  if (s.value == "false" || s.value == "0") return false;
  throw UsageError("cleaner " + s.name + ": '" + s.value + "' is not true or false");
}

// A function of the row as a cleaner.
template <class F>
class Predicate : public Cleaner {
 public:
  Predicate(std::string name, std::string setting, F f) : Cleaner(std::move(name), std::move(setting)), f_(f) {}

 protected:
  bool accept(const store::ExportRow& row) override { return f_(row); }

 private:
  F f_;
};
template <class F>
std::unique_ptr<Cleaner> predicate(std::string name, std::string setting, F f) {
  return std::make_unique<Predicate<F>>(std::move(name), std::move(setting), f);
}

// The first pair (lowest image_id) with a given sha256 is kept. Pairs without a hash (not
// scored) pass.
class ExactDuplicates : public Cleaner {
 public:
  ExactDuplicates() : Cleaner("exact_duplicates", "sha256") {}

 protected:
  bool accept(const store::ExportRow& row) override {
    return row.sha256.empty() || seen_.insert(row.sha256).second;
  }

 private:
  std::unordered_set<std::string> seen_;
};

// Near duplicates: a pair whose pHash is within Hamming distance `d` of a kept pair's is
// dropped. Index: the 64 bits split into d+1 bands; two hashes within distance d agree on at
// least one whole band (pigeonhole), so looking up each band's bucket finds every candidate
// (exact recall), and each candidate is confirmed with a full popcount.
class NearDuplicates : public Cleaner {
 public:
  explicit NearDuplicates(int d) : Cleaner("near_duplicates", "phash hamming <= " + std::to_string(d)), d_(d) {
    const int bands = d + 1;
    for (int b = 0, at = 0; b < bands; ++b) {
      const int width = 64 / bands + (b < 64 % bands ? 1 : 0);
      shift_.push_back(at);
      mask_.push_back(width == 64 ? ~0ull : ((1ull << width) - 1));
      at += width;
    }
    buckets_.resize(static_cast<std::size_t>(bands));
  }

 protected:
  bool accept(const store::ExportRow& row) override {
    if (!row.has_phash) return true;
    const uint64_t h = row.phash;
    for (std::size_t b = 0; b < buckets_.size(); ++b) {
      const auto it = buckets_[b].find((h >> shift_[b]) & mask_[b]);
      if (it == buckets_[b].end()) continue;
      for (uint32_t k : it->second)
        if (std::popcount(kept_[k] ^ h) <= d_) return false;
    }
    const auto k = static_cast<uint32_t>(kept_.size());
    kept_.push_back(h);
    for (std::size_t b = 0; b < buckets_.size(); ++b) buckets_[b][(h >> shift_[b]) & mask_[b]].push_back(k);
    return true;
  }

 private:
  int d_;
  std::vector<int> shift_;
  std::vector<uint64_t> mask_;
  std::vector<std::unordered_map<uint64_t, std::vector<uint32_t>>> buckets_;
  std::vector<uint64_t> kept_;
};

std::unique_ptr<Cleaner> languages(const CleanerSpec& s) {
  std::unordered_set<std::string> allowed;
  std::stringstream in(s.value);
  for (std::string item; std::getline(in, item, ',');) {
    item.erase(0, item.find_first_not_of(" \t"));
    item.erase(item.find_last_not_of(" \t") + 1);
    if (!item.empty()) allowed.insert(text::primary_language(item));
  }
  if (allowed.empty()) throw UsageError("cleaner languages: give at least one language tag");
  // The detected language (CLD2, ExportRow::detected_language); <html lang> only where
  // detection found none (a database made before schema 8, a page without letters).
  return predicate("languages", s.value, [allowed](const store::ExportRow& r) {
    const std::string& tag = r.detected_language.empty() ? r.language : r.detected_language;
    return allowed.count(text::primary_language(tag)) != 0;
  });
}

std::unique_ptr<Cleaner> make_cleaner(const CleanerSpec& s) {
  using R = store::ExportRow;
  if (s.name == "min_clip") {
    const double v = number(s);  // unknown (no CLIP score) cannot pass a CLIP threshold
    return predicate(s.name, s.value, [v](const R& r) { return !std::isnan(r.clip_caption) && r.clip_caption >= v; });
  }
  if (s.name == "min_width" || s.name == "min_height") {
    const auto v = static_cast<int64_t>(number(s));
    const bool w = s.name == "min_width";
    return predicate(s.name, s.value, [v, w](const R& r) {
      const int64_t side = w ? r.width : r.height;
      return side < 0 || side >= v;  // unknown sizes pass
    });
  }
  if (s.name == "max_aspect_ratio") {
    const double v = number(s);
    if (v < 1) throw UsageError("cleaner max_aspect_ratio: must be >= 1 (long side / short side)");
    return predicate(s.name, s.value, [v](const R& r) {
      if (r.width <= 0 || r.height <= 0) return true;
      return double(std::max(r.width, r.height)) / double(std::min(r.width, r.height)) <= v;
    });
  }
  if (s.name == "min_words" || s.name == "max_words") {
    const auto v = static_cast<int64_t>(number(s));
    const bool min = s.name == "min_words";
    return predicate(s.name, s.value, [v, min](const R& r) {
      const int64_t n = count_words(r.text);
      return min ? n >= v : n <= v;
    });
  }
  if (s.name == "exact_duplicates") return boolean(s) ? std::make_unique<ExactDuplicates>() : nullptr;
  if (s.name == "near_duplicates") {
    const double v = number(s);
    if (v < 0 || v > 32 || v != std::floor(v))
      throw UsageError("cleaner near_duplicates: a Hamming distance 0..32");
    return std::make_unique<NearDuplicates>(static_cast<int>(v));
  }
  if (s.name == "languages") return languages(s);
  if (s.name == "max_unsafe") {
    const double v = number(s);
    if (v < 0 || v > 1) throw UsageError("cleaner max_unsafe: a probability 0..1");
    // Unknown (no unsafe score: not scored with --clip) cannot pass a safety threshold.
    return predicate(s.name, s.value, [v](const R& r) { return !std::isnan(r.unsafe) && r.unsafe <= v; });
  }
  throw UsageError("unknown cleaner '" + s.name + "' (known: min_clip, min_width, min_height, "
                   "max_aspect_ratio, min_words, max_words, exact_duplicates, near_duplicates, languages, "
                   "max_unsafe)");
}

}  // namespace

int64_t count_words(const std::string& text) {
  int64_t n = 0;
  bool in_word = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    bool space = c == ' ' || (c >= '\t' && c <= '\r');
    // U+00A0 (C2 A0), U+2000..U+200A, U+3000 (E3 80 80): the common Unicode spaces.
    if (c == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0xA0) space = true, ++i;
    else if (c == 0xE2 && i + 2 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0x80 &&
             static_cast<unsigned char>(text[i + 2]) <= 0x8A) space = true, i += 2;
    else if (c == 0xE3 && i + 2 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0x80 &&
             static_cast<unsigned char>(text[i + 2]) == 0x80) space = true, i += 2;
    if (!space && !in_word) ++n;
    in_word = !space;
  }
  return n;
}

CleanerChain make_cleaner_chain(const ExportConfig& config, bool has_scores) {
  CleanerChain chain;
  // A person's decision comes first: a pair someone rejected is counted as rejected, whatever
  // else would also have dropped it.
  if (config.review == ReviewMode::apply)
    chain.push_back(predicate("review", "rejected on the review page",
                              [](const store::ExportRow& r) { return r.review != "reject"; }));
  if (config.review == ReviewMode::reviewed_only)
    chain.push_back(predicate("review", "only pairs accepted or edited on the review page",
                              [](const store::ExportRow& r) { return r.review == "accept" || r.review == "edit"; }));
  if (!config.include_noai)
    chain.push_back(predicate("noai", "X-Robots-Tag opt-outs excluded (score --disallowed-directives)",
                              [](const store::ExportRow& r) { return !r.noai; }));
  if (!config.include_noai)
    chain.push_back(predicate("page_noai", "<meta name=\"robots\"> noai/noimageai excluded",
                              [](const store::ExportRow& r) { return net::meta_robots_opt_out(r.page_robots).empty(); }));
  if (has_scores)
    chain.push_back(predicate("no_image", "scores.outcome = 'ok' only",
                              [](const store::ExportRow& r) { return r.outcome == "ok" && !r.key.empty(); }));
  for (const auto& spec : config.cleaners)
    if (auto c = make_cleaner(spec)) chain.push_back(std::move(c));
  return chain;
}

}  // namespace warcpairs::stages
