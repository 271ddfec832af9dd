// The unsafe-image score (unsafe_score.h): the prompt file and the softmax over prompts.
#include "unsafe_score.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "unsafe_prompts_default.h"  // generated from models/unsafe-prompts.tsv: kUnsafePromptsTsv
#include "warcpairs/core/error.h"
#include "warcpairs/core/hash.h"
#include "warcpairs/core/small_file.h"

namespace warcpairs::stages {

UnsafePrompts parse_unsafe_prompts(std::string_view text, const std::string& source) {
  UnsafePrompts p;
  p.source = source;
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(fnv1a64(text)));
  p.digest = std::string("fnv1a64:") + hex;
  int line_no = 0;
  while (!text.empty()) {
    ++line_no;
    const std::size_t nl = std::min(text.find('\n'), text.size());
    std::string_view line = text.substr(0, nl);
    text.remove_prefix(std::min(nl + 1, text.size()));
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line.front() == '#') continue;
    const std::size_t tab = line.find('\t');
    const std::string where = source + " line " + std::to_string(line_no) + ": ";
    if (tab == std::string_view::npos || tab + 1 == line.size())
      throw UsageError(where + "expected \"unsafe<TAB>text\", \"neutral<TAB>text\" or \"threshold<TAB>x\"");
    const std::string_view kind = line.substr(0, tab), value = line.substr(tab + 1);
    if (kind == "unsafe" || kind == "neutral") {
      p.texts.emplace_back(value);
      p.unsafe.push_back(kind == "unsafe" ? 1 : 0);
    } else if (kind == "threshold") {
      char* end = nullptr;
      const std::string v(value);
      p.threshold = std::strtod(v.c_str(), &end);
      if (end != v.c_str() + v.size() || !(p.threshold >= 0 && p.threshold <= 1))
        throw UsageError(where + "threshold '" + v + "' is not a number in 0..1");
    } else {
      throw UsageError(where + "unknown kind '" + std::string(kind) + "' (unsafe, neutral, threshold)");
    }
  }
  const auto unsafe = std::count(p.unsafe.begin(), p.unsafe.end(), 1);
  if (unsafe == 0 || unsafe == static_cast<long>(p.unsafe.size()))
    throw UsageError(source + ": a prompt set needs at least one unsafe and one neutral prompt");
  return p;
}

UnsafePrompts load_unsafe_prompts(const std::filesystem::path& file) {
  if (file.empty()) return parse_unsafe_prompts(kUnsafePromptsTsv, "built-in models/unsafe-prompts.tsv");
  return parse_unsafe_prompts(read_small_file(file, "--unsafe-prompts: cannot read", ReadBlame::usage, 1 << 20),
                              file.string());
}

void unsafe_scores(const float* images, std::size_t n, const float* prompts, std::size_t m,
                   std::size_t d, const std::vector<char>& unsafe, double logit_scale,
                   std::vector<double>& out) {
  out.assign(n, 0.0);
  std::vector<double> logits(m);
  for (std::size_t i = 0; i < n; ++i) {
    const float* x = images + i * d;
    double top = -INFINITY;
    for (std::size_t k = 0; k < m; ++k) {
      const float* t = prompts + k * d;
      double dot = 0;
      for (std::size_t j = 0; j < d; ++j) dot += double(x[j]) * double(t[j]);
      logits[k] = logit_scale * dot;
      top = std::max(top, logits[k]);
    }
    double all = 0, bad = 0;
    for (std::size_t k = 0; k < m; ++k) {
      const double e = std::exp(logits[k] - top);
      all += e;
      if (unsafe[k]) bad += e;
    }
    out[i] = bad / all;
  }
}

}  // namespace warcpairs::stages
