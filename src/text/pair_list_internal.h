// What pair_list.cc and pair_list_parquet.cc share.
#pragma once

#include "warcpairs/text/pair_list.h"

namespace warcpairs::text {

// The column names as messages say them: "url" / "`caption` (or `text`, `description`)".
std::string list_url_column(const ListColumns& c);
std::string list_caption_column(const ListColumns& c);
// A Parquet list (the parquet layer's reader): UsageError for a missing or non-string column
// or a malformed file, naming the file.
std::vector<ListedPair> read_parquet_pair_list(const std::filesystem::path& path, const ListColumns& columns);

}  // namespace warcpairs::text
