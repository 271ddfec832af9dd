// run_search: rank 0 builds the query (CLIP text/image embeddings, or a given vector: their
// mean, re-normalised) and catches the full-text index up; every rank builds the id filter,
// scans its slice of the embeddings store and keeps its best k; the ranks reduce to the global
// best k (dist/top_k.h); rank 0 looks up url and description and writes the list.
#include "warcpairs/stages/search/search.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <cmath>
#include <cstring>
#include <optional>

#include "../score/clip_embedder.h"
#include "search_output.h"
#include "search_scan.h"
#include "warcpairs/core/error.h"
#include "warcpairs/core/small_file.h"
#include "warcpairs/dist/top_k.h"
#include "warcpairs/image/clip.h"
#include "warcpairs/image/decode.h"
#include "warcpairs/store/embedding_query.h"
#include "warcpairs/store/npy.h"

namespace warcpairs::stages {
namespace fs = std::filesystem;

namespace {

struct Query {
  std::vector<float> vector;  // empty: no CLIP query (--match alone)
  std::string clip_model;     // the model that embedded it; "" for a given vector
};

void check_config(const SearchConfig& c) {
  for (const auto& t : c.texts)
    if (t.find_first_not_of(" \t\r\n") == std::string::npos)
      throw UsageError("--text is empty: give the words to search for");
  if (c.texts.empty() && c.images.empty() && c.query_vector.empty() && c.match.empty())
    throw UsageError("nothing to search for: give --text, --image, --query-vector or --match");
  if ((!c.texts.empty() || !c.images.empty()) && c.clip_dir.empty())
    throw UsageError("--text and --image need --clip DIR: the CLIP checkpoint the run was scored with");
  if (!c.match.empty() && c.match.find_first_not_of(" \t\r\n") == std::string::npos)
    throw UsageError("--match is empty");
  if (c.top < 1) throw UsageError("--top must be >= 1");
  if (c.dest.empty()) throw UsageError("--dest FILE is required");
}

// Rows of a float32 .npy ((dim,) or (n, dim)) appended to `rows`; returns dim.
int64_t read_query_vector(const fs::path& path, std::vector<float>& rows) {
  std::optional<store::NpyMap> m;
  try {
    try {
      m.emplace(path, "<f4", 1);
    } catch (const Error&) {
      m.emplace(path, "<f4", 2);
    }
  } catch (const Error& e) {
    throw UsageError(std::string("--query-vector: ") + e.what() + " (a float32 .npy of shape (dim,) or (n, dim))");
  }
  const int64_t dim = m->shape().back();
  const auto* f = static_cast<const float*>(m->data());
  rows.insert(rows.end(), f, f + m->data_bytes() / sizeof(float));
  if (dim < 1 || rows.empty()) throw UsageError("--query-vector " + path.string() + " is empty");
  return dim;
}

// Rank 0: every query part as a row, then their mean, L2-normalised (docs/search.md).
Query build_query(const SearchConfig& c, const dist::NodePlace& node) {
  Query q;
  std::vector<float> rows, out;
  int64_t dim = 0;
  if (!c.texts.empty() || !c.images.empty()) {
    ScoreConfig sc;
    sc.clip_dir = c.clip_dir, sc.bpe = c.bpe, sc.device = c.device, sc.threads = c.threads;
    auto clip = make_clip_embedder(sc, node);
    dim = clip->projection_dim();
    q.clip_model = clip->version();
    if (!c.texts.empty()) {
      clip->embed_texts(c.texts, out);
      rows.insert(rows.end(), out.begin(), out.end());
    }
    for (const auto& path : c.images) {
      const std::string bytes = read_small_file(path, "--image", ReadBlame::usage);
      const auto decoded = image::decode({reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()});
      if (!decoded.ok) throw UsageError("--image " + path.string() + ": " + decoded.error + " " + decoded.detail);
      const auto pixels = image::clip_pixels(decoded.image, int32_t(clip->image_size()));
      clip->embed_images(pixels.data(), 1, out);
      rows.insert(rows.end(), out.begin(), out.end());
    }
  }
  if (!c.query_vector.empty()) {
    std::vector<float> given;
    const int64_t d = read_query_vector(c.query_vector, given);
    if (dim && d != dim)
      throw UsageError("--query-vector has dimension " + std::to_string(d) + ", CLIP's is " + std::to_string(dim));
    dim = d;
    rows.insert(rows.end(), given.begin(), given.end());
  }
  if (dim == 0) return q;
  q.vector.assign(static_cast<std::size_t>(dim), 0.0f);
  const std::size_t n = rows.size() / static_cast<std::size_t>(dim);
  for (std::size_t r = 0; r < n; ++r) {
    double norm = 0;
    for (int64_t j = 0; j < dim; ++j) norm += double(rows[r * dim + j]) * rows[r * dim + j];
    if (!(norm > 0)) throw UsageError("a query vector is zero or not a number");
    for (int64_t j = 0; j < dim; ++j) q.vector[j] += float(rows[r * dim + j] / std::sqrt(norm));
  }
  double norm = 0;
  for (float v : q.vector) norm += double(v) * v;
  if (!(norm > 0)) throw UsageError("the query parts cancel out (their mean is zero)");
  for (float& v : q.vector) v = float(v / std::sqrt(norm));
  return q;
}

// Runs fn on rank 0 and hands every rank its outcome: the same exception type and message on
// all ranks (no rank is left waiting in a collective), else rank 0's bytes.
std::string on_root_shared(const dist::MpiSession& session, const std::function<std::string()>& fn) {
  std::string payload;
  if (session.is_root()) {
    try {
      payload = fn();
      payload.insert(payload.begin(), 'O');
    } catch (const UsageError& e) {
      payload.assign(1, 'U').append(e.what());
    } catch (const std::exception& e) {
      payload.assign(1, 'E').append(e.what());
    }
  }
  payload = session.broadcast(payload);
  if (payload[0] == 'U') throw UsageError(payload.substr(1));
  if (payload[0] == 'E') throw Error(payload.substr(1));
  return payload.substr(1);
}

// The first failure of any rank, thrown on every rank.
void share_failure(const dist::MpiSession& session, const std::string& mine) {
  std::string first;
  for (const auto& m : session.gather(mine))
    if (first.empty() && !m.empty()) first = m;
  first = session.broadcast(first);
  if (!first.empty()) throw Error(first);
}

}  // namespace

SearchTotals run_search(const SearchConfig& c, const dist::MpiSession& session) {
  const auto started = std::chrono::steady_clock::now();
  check_config(c);
  const fs::path db_path = c.run_dir / "warcpairs.sqlite";
  SearchTotals t;
  Query q;
  const dist::NodePlace node = session.node_place();  // collective: every rank, before rank 0 alone
  std::string shared = on_root_shared(session, [&] {
    { store::EmbeddingQuery check(db_path); }  // exists, schema 10
    const int64_t indexed = c.match.empty() ? 0 : store::update_text_index(db_path);
    Query built = build_query(c, node);
    std::string bytes(reinterpret_cast<const char*>(&indexed), sizeof indexed);
    bytes += built.clip_model + '\n';
    bytes.append(reinterpret_cast<const char*>(built.vector.data()), built.vector.size() * sizeof(float));
    return bytes;
  });
  std::memcpy(&t.text_indexed, shared.data(), sizeof t.text_indexed);
  const std::size_t nl = shared.find('\n', sizeof t.text_indexed);
  q.clip_model = shared.substr(sizeof t.text_indexed, nl - sizeof t.text_indexed);
  q.vector.resize((shared.size() - nl - 1) / sizeof(float));
  std::memcpy(q.vector.data(), shared.data() + nl + 1, q.vector.size() * sizeof(float));

  store::EmbeddingQuery db(db_path);
  const auto parts = db.parts();
  t.parts = static_cast<int64_t>(parts.size());
  for (const auto& p : parts) t.embeddings += p.rows;
  if (!q.vector.empty()) {
    if (parts.empty())
      throw UsageError("no embeddings in " + (c.run_dir / "embeddings").string() +
                       ": run `warcpairs score --clip DIR` and `warcpairs merge` first (or search "
                       "with --match alone)");
    for (const auto& p : parts) {
      if (p.dim != static_cast<int64_t>(q.vector.size()))
        throw UsageError("dimension mismatch: the query has " + std::to_string(q.vector.size()) +
                         " values, " + p.vectors.string() + " holds embeddings of " + std::to_string(p.dim));
      if (!q.clip_model.empty() && p.clip_model != q.clip_model)
        throw UsageError("the store was embedded with CLIP " + p.clip_model + " (" + p.vectors.string() +
                         "), the query with " + q.clip_model + ": give the same --clip");
    }
  }
  // The filter: --where and --match both, when given (filter then rank).
  std::optional<IdFilter> filter;
  std::vector<dist::Scored> by_text;  // --match alone: its ids in bm25 order (rank 0)
  if (!c.where.empty() || !c.match.empty()) {
    const int64_t max_id = db.max_image_id();
    std::optional<IdFilter> where;
    if (!c.where.empty()) {
      where.emplace(max_id);
      db.for_each_where(c.where, [&](int64_t id) { where->allow(id); });
    }
    if (!c.match.empty() && !q.vector.empty()) {
      filter.emplace(max_id);
      db.for_each_match(c.match, [&](int64_t id, double) { filter->allow(id); });
      if (where) filter->intersect(*where);
    } else {
      filter = std::move(where);
    }
    if (!c.match.empty() && q.vector.empty() && session.is_root())
      db.for_each_match(c.match, [&](int64_t id, double rank) {
        if (static_cast<int64_t>(by_text.size()) < c.top && (!filter || filter->allows(id)))
          by_text.push_back({static_cast<float>(rank), id});
      });
  }
  std::vector<dist::Scored> best;
  if (!q.vector.empty()) {
    const DotKernel kernel = best_dot_kernel();
    t.kernel = kernel.name;
    ScanShare share;
    std::string failure;
    try {
      share = scan_share(parts, q.vector, filter ? &*filter : nullptr, float(c.min_similarity),
                         static_cast<std::size_t>(c.top), session.rank(), session.size(), kernel);
    } catch (const std::exception& e) {
      failure = e.what();
    }
    share_failure(session, failure);
    std::vector<double> seconds(static_cast<std::size_t>(session.size()), 0.0);
    seconds[static_cast<std::size_t>(session.rank())] = share.seconds;
    session.allreduce_sum(seconds.data(), seconds.size());
    t.scan_seconds = *std::max_element(seconds.begin(), seconds.end());
    best = dist::reduce_top_k(session, share.best, static_cast<std::size_t>(c.top));
  } else {
    best = std::move(by_text);
  }
  if (session.is_root()) {
    std::vector<int64_t> ids;
    for (const auto& s : best) ids.push_back(s.id);
    std::vector<SearchResult> rows;
    const auto described = db.describe(ids);
    for (std::size_t i = 0; i < best.size(); ++i) {
      SearchResult r;
      r.image_id = best[i].id;
      if (!q.vector.empty()) r.similarity = best[i].score;
      else r.bm25 = best[i].score;
      r.url = described[i].url, r.description = described[i].description;
      rows.push_back(std::move(r));
    }
    write_search_results(c.dest, rows);
    t.results = static_cast<int64_t>(rows.size());
  }
  t.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return t;
}

}  // namespace warcpairs::stages
