// URL + caption lists made elsewhere (TSV, CSV or JSON lines), as `score --pairs FILE` reads them.
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

enum class ListFormat { automatic, tsv, csv, jsonl };

// Reads the whole list (lists are the small case; the database is the streaming path). TSV
// and CSV need a header row naming the columns: `url`, and `caption` (or `text`,
// `description`), optionally `alt`; other columns are ignored. CSV follows RFC 4180 (quoted
// fields, doubled quotes, line breaks inside quotes, CRLF). TSV fields are taken verbatim
// (no quoting, as img2dataset's tsv). JSON lines: one object per line with the same keys;
// blank lines skipped. `automatic` picks by extension: .tsv, .csv, .jsonl/.json. A row with an
// empty url is kept (score reports it as bad_url). Throws UsageError naming file and line for
// a missing header column, bad JSON or an unterminated quote.
std::vector<ListedPair> read_pair_list(const std::filesystem::path& path,
                                       ListFormat format = ListFormat::automatic);

}  // namespace warcpairs::text
