// read_pair_list: header-mapped TSV, RFC 4180 CSV and JSON-lines readers (Parquet: pair_list_parquet.cc).
#include "warcpairs/text/pair_list.h"

#include "pair_list_internal.h"

#include <limits>
#include <nlohmann/json.hpp>
#include <sstream>

#include "warcpairs/core/error.h"
#include "warcpairs/core/small_file.h"

namespace warcpairs::text {
namespace fs = std::filesystem;

namespace {

[[noreturn]] void bad(const fs::path& path, int64_t line, const std::string& what) {
  throw UsageError(path.string() + ":" + std::to_string(line) + ": " + what);
}

// Splits CSV text into records of fields (RFC 4180); `line_of` gets each record's first line.
std::vector<std::vector<std::string>> parse_csv(const std::string& text, const fs::path& path,
                                                std::vector<int64_t>& line_of) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string field;
  bool quoted = false, in_quotes = false, any = false;
  int64_t line = 1, row_line = 1;
  auto end_field = [&] {
    row.push_back(std::move(field));
    field.clear();
    quoted = false;
  };
  auto end_row = [&] {
    end_field();
    if (!(row.size() == 1 && row[0].empty() && !any)) {
      rows.push_back(std::move(row));
      line_of.push_back(row_line);
    }
    row.clear();
    any = false;
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_quotes) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') field += '"', ++i;
      else if (c == '"') in_quotes = false;
      else {
        if (c == '\n') ++line;
        field += c;
      }
      continue;
    }
    if (c == '"' && field.empty() && !quoted) {
      in_quotes = quoted = any = true;
    } else if (c == ',') {
      end_field();
      any = true;
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      end_row();
      row_line = ++line;
    } else {
      field += c;
      any = true;
    }
  }
  if (in_quotes) bad(path, row_line, "unterminated quoted field");
  if (any || !field.empty() || !row.empty()) end_row();
  return rows;
}

std::vector<std::vector<std::string>> parse_tsv(const std::string& text,
                                                std::vector<int64_t>& line_of) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream in(text);
  int64_t line = 0;
  for (std::string l; std::getline(in, l);) {
    ++line;
    if (!l.empty() && l.back() == '\r') l.pop_back();
    if (l.empty()) continue;
    std::vector<std::string> fields;
    std::size_t at = 0;
    for (std::size_t tab; (tab = l.find('\t', at)) != std::string::npos; at = tab + 1)
      fields.push_back(l.substr(at, tab - at));
    fields.push_back(l.substr(at));
    rows.push_back(std::move(fields));
    line_of.push_back(line);
  }
  return rows;
}

int column(const std::vector<std::string>& header, std::initializer_list<const char*> names) {
  for (const char* n : names)
    for (std::size_t i = 0; i < header.size(); ++i)
      if (header[i] == n) return static_cast<int>(i);
  return -1;
}

std::vector<ListedPair> from_table(const std::vector<std::vector<std::string>>& rows,
                                   const std::vector<int64_t>& line_of, const fs::path& path, const ListColumns& cols) {
  if (rows.empty()) return {};
  const auto& header = rows[0];
  const int url = cols.url.empty() ? column(header, {"url"}) : column(header, {cols.url.c_str()});
  const int caption = cols.caption.empty() ? column(header, {"caption", "text", "description"})
                                           : column(header, {cols.caption.c_str()});
  const int alt = column(header, {"alt"});
  if (url < 0) bad(path, line_of[0], "the header row has no `" + list_url_column(cols) + "` column");
  if (caption < 0) bad(path, line_of[0], "the header row has no " + list_caption_column(cols) + " column");
  std::vector<ListedPair> out;
  for (std::size_t r = 1; r < rows.size(); ++r) {
    const auto& f = rows[r];
    auto get = [&](int i) { return i >= 0 && i < static_cast<int>(f.size()) ? f[i] : std::string(); };
    out.push_back({static_cast<int64_t>(r), get(url), get(caption), get(alt)});
  }
  return out;
}

std::vector<ListedPair> from_jsonl(const std::string& text, const fs::path& path, const ListColumns& cols) {
  std::vector<ListedPair> out;
  std::istringstream in(text);
  int64_t line = 0;
  for (std::string l; std::getline(in, l);) {
    ++line;
    if (l.find_first_not_of(" \t\r") == std::string::npos) continue;
    const auto j = nlohmann::json::parse(l, nullptr, false);
    if (j.is_discarded() || !j.is_object()) bad(path, line, "not a JSON object");
    auto str = [&](std::initializer_list<const char*> keys) {
      for (const char* k : keys)
        if (j.contains(k) && j[k].is_string()) return j[k].get<std::string>();
      return std::string();
    };
    out.push_back({static_cast<int64_t>(out.size() + 1), cols.url.empty() ? str({"url"}) : str({cols.url.c_str()}),
                   cols.caption.empty() ? str({"caption", "text", "description"}) : str({cols.caption.c_str()}),
                   str({"alt"})});
  }
  return out;
}

}  // namespace

std::string list_url_column(const ListColumns& c) { return c.url.empty() ? "url" : c.url; }
std::string list_caption_column(const ListColumns& c) {
  return c.caption.empty() ? "`caption` (or `text`, `description`)" : "`" + c.caption + "`";
}

std::vector<ListedPair> read_pair_list(const fs::path& path, ListFormat format, const ListColumns& columns) {
  if (format == ListFormat::automatic) {
    const std::string ext = path.extension().string();
    if (ext == ".tsv") format = ListFormat::tsv;
    else if (ext == ".csv") format = ListFormat::csv;
    else if (ext == ".jsonl" || ext == ".json") format = ListFormat::jsonl;
    else if (ext == ".parquet") format = ListFormat::parquet;
    else throw UsageError("cannot tell the format of " + path.string() +
                          " from its extension: name it .tsv, .csv, .jsonl or .parquet, or give --pairs-format");
  }
  if (format == ListFormat::parquet) return read_parquet_pair_list(path, columns);
  // Read whole, with no cap beyond memory: a list's length is the user's to choose.
  const std::string text = read_small_file(path, "cannot read the pair list", ReadBlame::usage,
                                           std::numeric_limits<std::uint64_t>::max());
  std::vector<int64_t> line_of;
  switch (format) {
    case ListFormat::csv: return from_table(parse_csv(text, path, line_of), line_of, path, columns);
    case ListFormat::tsv: return from_table(parse_tsv(text, line_of), line_of, path, columns);
    default: return from_jsonl(text, path, columns);
  }
}

}  // namespace warcpairs::text
