// URL + caption lists made elsewhere (TSV, CSV, JSON lines or Parquet), as `score --pairs FILE` reads them.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace warcpairs::text {

struct ListedPair {
  int64_t row = 0;       // 1-based data row (the header row not counted)
  std::string url;
  std::string caption;
  std::string alt;
};

enum class ListFormat { automatic, tsv, csv, jsonl, parquet };

// Which columns hold the URL and the caption (img2dataset's --url_col / --caption_col): empty
// means `url`, and `caption` or else `text` or `description`. The `alt` column is optional.
struct ListColumns {
  std::string url, caption;
};

// Reads the whole list (lists are the small case; the database is the streaming path). TSV
// and CSV need a header row naming the columns: `url`, and `caption` (or `text`,
// `description`), optionally `alt`; other columns are ignored. CSV follows RFC 4180 (quoted
// fields, doubled quotes, line breaks inside quotes, CRLF). TSV fields are taken verbatim
// (no quoting, as img2dataset's tsv). JSON lines: one object per line with the same keys;
// blank lines skipped. Parquet: string columns of those names (nulls read as ""; row groups in
// order). `automatic` picks by extension: .tsv, .csv, .jsonl/.json, .parquet. A row with an
// empty url is kept (score reports it as bad_url). Throws UsageError naming file and line for
// a missing header column, bad JSON or an unterminated quote, and file and what is wrong for a
// Parquet file that is malformed or lacks the columns.
std::vector<ListedPair> read_pair_list(const std::filesystem::path& path,
                                       ListFormat format = ListFormat::automatic,
                                       const ListColumns& columns = {});

}  // namespace warcpairs::text
