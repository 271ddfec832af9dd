// One scored pair as store keeps it: a row of a shard's /scores and of the database's scores
// table (docs/storage.md). Made by the score stage. Plain struct, no logic.
#pragma once

#include <cstdint>
#include <limits>
#include <string>

namespace warcpairs::store {

// What the score stage made of one image–description pair: the download, the image, and the
// CLIP similarities. Unknown numbers are -1 (sizes, bytes) or NaN (scores): NULL in SQLite.
struct ScoreRecord {
  int64_t image = -1;         // image_id (pairs from the database) or 1-based row of a URL list
  std::string url;
  std::string caption;        // the description scored: the prediction (else the alt text), or
                              // the list's caption
  std::string alt;
  std::string outcome;        // "ok" or a stable reason token (download, decode or noai)
  std::string detail;
  int32_t http_status = 0;
  int32_t attempts = 0;
  int64_t bytes = -1;         // response body bytes
  std::string mime;           // sniffed from the bytes ("image/jpeg", ...), "" when unknown
  int32_t width = -1;         // original size
  int32_t height = -1;
  std::string sha256;         // hex, of the downloaded bytes
  int64_t phash = 0;          // 64-bit DCT perceptual hash (bits as int64)
  bool noai = false;          // X-Robots-Tag noai / noimageai was sent
  double clip_caption = std::numeric_limits<double>::quiet_NaN();
  double clip_alt = std::numeric_limits<double>::quiet_NaN();
  // Zero-shot probability mass on the unsafe prompts (score --unsafe-prompts), in [0, 1].
  double unsafe = std::numeric_limits<double>::quiet_NaN();
  std::string key;            // WebDataset sample key in `tar`
  std::string tar;            // file name under RUN/images ("" when the image was not stored)
};

}  // namespace warcpairs::store
