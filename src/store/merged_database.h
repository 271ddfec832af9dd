// Opening the canonical database for the stages after merge: it must exist (else the message
// says to merge first) and carry a schema version this build reads.
#pragma once

#include <cstdint>
#include <filesystem>

#include "sqlite_handle.h"

namespace warcpairs::store {

// Throws Error when `path` is not a file: run `warcpairs merge` first.
void require_merged_database(const std::filesystem::path& path);

// Read-only; `version` gets PRAGMA user_version. Throws Error as require_merged_database, or
// when the version is not 1..kSchemaVersion.
sql::Connection open_merged_database(const std::filesystem::path& path, int64_t& version);

// The kind of image `i` as the later stages read it (schema 6's image_kinds view, aliased k,
// joined by kind_join: an inner join, which SQLite flattens; every image has its row); a
// database of an older schema has no kinds: 'unknown'.
inline const char* kind_column(int64_t version) { return version >= 6 ? "k.kind" : "'unknown'"; }
inline const char* kind_join(int64_t version) {
  return version >= 6 ? "JOIN image_kinds k ON k.image_id = i.image_id " : "";
}

}  // namespace warcpairs::store
