// The shard layout in one place: which groups hold which columns, named like the struct fields.
// Writer and reader both walk these tables, so a column cannot be written under one name and
// read under another. docs/storage.md documents the same layout for h5py users.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <variant>

#include "warcpairs/core/skip_log.h"
#include "warcpairs/html/image_record.h"
#include "warcpairs/store/page_record.h"
#include "warcpairs/store/prediction_record.h"
#include "warcpairs/store/render_record.h"
#include "warcpairs/store/score_record.h"
#include "warcpairs/store/shard.h"

namespace warcpairs::store::layout {

using html::ImageRecord;  // the /images rows are the HTML extractor's records

inline constexpr const char* kFormat = "warcpairs-shard";
// Rows per HDF5 chunk; the writer also flushes exactly this many rows at a time, so every
// chunk except a table's last is written once, whole, and never re-read to be extended.
inline constexpr std::size_t kChunkRows = 4096;
// zlib level 1 for numeric columns and text offsets (docs/storage.md).
inline constexpr unsigned kDeflateLevel = 1;
// Text bytes ("<column>.bytes"): chunk size in bytes, and their deflate level (0: none).
inline constexpr std::size_t kTextChunkBytes = 1 << 16;
inline constexpr unsigned kTextDeflateLevel = 0;

// On disk: int64 → H5T_STD_I64LE, int32 → H5T_STD_I32LE, bool → H5T_STD_U8LE (0/1),
// double → H5T_IEEE_F64LE; a string column `name` is two datasets, `name.bytes` (H5T_STD_U8LE,
// the UTF-8 of all rows, concatenated) and `name.offsets` (H5T_STD_I64LE, rows + 1 entries
// from 0: row i is bytes[offsets[i], offsets[i+1])). Adding a column is one line below.
template <class Row>
using Member = std::variant<int64_t Row::*, int32_t Row::*, bool Row::*, std::string Row::*,
                            double Row::*>;

template <class Row>
struct Column {
  const char* name;
  Member<Row> member;
};

inline const std::array<Column<PageRecord>, 16> kPageColumns{{
    {"warc_offset", &PageRecord::warc_offset},
    {"member_offset", &PageRecord::member_offset},
    {"record_id", &PageRecord::record_id},
    {"url", &PageRecord::url},
    {"crawl_date", &PageRecord::crawl_date},
    {"http_status", &PageRecord::http_status},
    {"content_type", &PageRecord::content_type},
    {"charset", &PageRecord::charset},
    {"language", &PageRecord::language},
    {"title", &PageRecord::title},
    {"image_count", &PageRecord::image_count},
    {"text", &PageRecord::text},
    {"text_language", &PageRecord::text_language},
    {"text_language_reliable", &PageRecord::text_language_reliable},
    {"text_language_percent", &PageRecord::text_language_percent},
    {"robots", &PageRecord::robots},
}};

inline const std::array<Column<ImageRecord>, 21> kImageColumns{{
    {"page_row", &ImageRecord::page_row},
    {"index", &ImageRecord::index},
    {"url", &ImageRecord::url},
    {"src", &ImageRecord::src},
    {"srcset", &ImageRecord::srcset},
    {"alt", &ImageRecord::alt},
    {"has_alt", &ImageRecord::has_alt},
    {"title", &ImageRecord::title},
    {"width", &ImageRecord::width},
    {"height", &ImageRecord::height},
    {"figcaption", &ImageRecord::figcaption},
    {"dom_path", &ImageRecord::dom_path},
    {"context", &ImageRecord::context},
    {"image_pos", &ImageRecord::image_pos},
    {"label_start", &ImageRecord::label_start},
    {"label_end", &ImageRecord::label_end},
    {"region", &ImageRecord::region},
    {"kind", &ImageRecord::kind},
    {"kind_reason", &ImageRecord::kind_reason},
    {"context_language", &ImageRecord::context_language},
    {"context_language_reliable", &ImageRecord::context_language_reliable},
}};

// Span predictions (optional group: shards written before it existed lack it). `image` is the
// row in this shard's /images for an extract shard, the database's image_id for a predict shard.
inline const std::array<Column<PredictionRecord>, 5> kPredictionColumns{{
    {"image", &PredictionRecord::image},
    {"start", &PredictionRecord::start},
    {"end", &PredictionRecord::end},
    {"text", &PredictionRecord::text},
    {"score", &PredictionRecord::score},
}};

// Score results (optional group). `image` as ScoreRecord says: image_id for stage "score",
// the URL list's row for stage "score_list".
inline const std::array<Column<ScoreRecord>, 20> kScoreColumns{{
    {"image", &ScoreRecord::image},
    {"url", &ScoreRecord::url},
    {"caption", &ScoreRecord::caption},
    {"alt", &ScoreRecord::alt},
    {"outcome", &ScoreRecord::outcome},
    {"detail", &ScoreRecord::detail},
    {"http_status", &ScoreRecord::http_status},
    {"attempts", &ScoreRecord::attempts},
    {"bytes", &ScoreRecord::bytes},
    {"mime", &ScoreRecord::mime},
    {"width", &ScoreRecord::width},
    {"height", &ScoreRecord::height},
    {"sha256", &ScoreRecord::sha256},
    {"phash", &ScoreRecord::phash},
    {"noai", &ScoreRecord::noai},
    {"clip_caption", &ScoreRecord::clip_caption},
    {"clip_alt", &ScoreRecord::clip_alt},
    {"key", &ScoreRecord::key},
    {"tar", &ScoreRecord::tar},
    {"unsafe", &ScoreRecord::unsafe},
}};

// Render shards (stage "render", optional groups): pages, crops, token boxes. docs/storage.md.
inline const std::array<Column<RenderPageRecord>, 14> kRenderPageColumns{{
    {"warc_offset", &RenderPageRecord::warc_offset},
    {"member_offset", &RenderPageRecord::member_offset},
    {"url", &RenderPageRecord::url},
    {"crawl_date", &RenderPageRecord::crawl_date},
    {"http_status", &RenderPageRecord::http_status},
    {"text", &RenderPageRecord::text},
    {"tokens", &RenderPageRecord::tokens},
    {"visible_tokens", &RenderPageRecord::visible_tokens},
    {"crops", &RenderPageRecord::crops},
    {"requests", &RenderPageRecord::requests},
    {"fulfilled", &RenderPageRecord::fulfilled},
    {"failed", &RenderPageRecord::failed},
    {"seconds", &RenderPageRecord::seconds},
    {"browser", &RenderPageRecord::browser},
}};

inline const std::array<Column<RenderRecord>, 13> kRenderColumns{{
    {"page_row", &RenderRecord::page_row},
    {"crop", &RenderRecord::crop},
    {"x", &RenderRecord::x},
    {"y", &RenderRecord::y},
    {"width", &RenderRecord::width},
    {"height", &RenderRecord::height},
    {"viewport_width", &RenderRecord::viewport_width},
    {"viewport_height", &RenderRecord::viewport_height},
    {"device_scale_factor", &RenderRecord::device_scale_factor},
    {"fonts", &RenderRecord::fonts},
    {"png", &RenderRecord::png},
    {"tokens", &RenderRecord::tokens},
    {"visible_tokens", &RenderRecord::visible_tokens},
}};

inline const std::array<Column<RenderTokenRecord>, 13> kRenderTokenColumns{{
    {"render_row", &RenderTokenRecord::render_row},
    {"position", &RenderTokenRecord::position},
    {"token_id", &RenderTokenRecord::token_id},
    {"token", &RenderTokenRecord::token},
    {"char_start", &RenderTokenRecord::char_start},
    {"char_end", &RenderTokenRecord::char_end},
    {"box", &RenderTokenRecord::box},
    {"x", &RenderTokenRecord::x},
    {"y", &RenderTokenRecord::y},
    {"width", &RenderTokenRecord::width},
    {"height", &RenderTokenRecord::height},
    {"visible", &RenderTokenRecord::visible},
    {"hidden_by", &RenderTokenRecord::hidden_by},
}};

// SkipEntry::file is not stored: it is the file of the shard's /file row.
inline const std::array<Column<SkipEntry>, 3> kSkipColumns{{
    {"offset", &SkipEntry::offset},
    {"reason", &SkipEntry::reason},
    {"detail", &SkipEntry::detail},
}};

// /file holds zero rows (a shard of a stage that reads no WARC file) or exactly one.
inline const std::array<Column<FileSummary>, 12> kFileColumns{{
    {"part", &FileSummary::part},
    {"last", &FileSummary::last},
    {"resume_offset", &FileSummary::resume_offset},
    {"resume_member_offset", &FileSummary::resume_member_offset},
    {"path", &FileSummary::path},
    {"size", &FileSummary::size},
    {"status", &FileSummary::status},
    {"records", &FileSummary::records},
    {"pages", &FileSummary::pages},
    {"images", &FileSummary::images},
    {"skipped", &FileSummary::skipped},
    {"error", &FileSummary::error},
}};

}  // namespace warcpairs::store::layout
