// read_pair_list for Parquet files (img2dataset's parquet input): the url, caption and alt
// columns of every row group, in order.
#include "pair_list_internal.h"
#include "warcpairs/core/error.h"
#include "warcpairs/parquet/reader.h"

namespace warcpairs::text {

std::vector<ListedPair> read_parquet_pair_list(const std::filesystem::path& path, const ListColumns& cols) {
  try {
    parquet::Reader rd(path);
    auto find = [&](std::initializer_list<std::string> names) {
      for (const auto& n : names)
        if (const int i = rd.find(n); i >= 0) return i;
      return -1;
    };
    const int url = cols.url.empty() ? find({"url"}) : find({cols.url});
    const int caption = cols.caption.empty() ? find({"caption", "text", "description"}) : find({cols.caption});
    const int alt = find({"alt"});
    std::string names;
    for (const auto& c : rd.columns()) names += (names.empty() ? "" : ", ") + c.path;
    if (url < 0) throw UsageError(path.string() + ": no `" + list_url_column(cols) + "` column (it has " + names + "); name it with --url-col");
    if (caption < 0) throw UsageError(path.string() + ": no " + list_caption_column(cols) + " column (it has " + names + "); name it with --caption-col");
    for (int k : {url, caption, alt})
      if (k >= 0 && rd.columns()[k].physical != 6 && rd.columns()[k].physical != 7)  // BYTE_ARRAY, FIXED_LEN_BYTE_ARRAY
        throw UsageError(path.string() + ": column " + rd.columns()[k].path + " holds " + rd.columns()[k].type_name +
                         " values, not strings");
    std::vector<ListedPair> out;
    for (std::size_t g = 0; g < rd.row_groups(); ++g) {
      auto u = rd.read(g, static_cast<std::size_t>(url));
      auto c = rd.read(g, static_cast<std::size_t>(caption));
      parquet::ColumnValues a;
      if (alt >= 0) a = rd.read(g, static_cast<std::size_t>(alt));
      for (std::size_t r = 0; r < u.size(); ++r)
        out.push_back({static_cast<int64_t>(out.size() + 1), std::move(u.bytes[r]), std::move(c.bytes[r]),
                       alt >= 0 ? std::move(a.bytes[r]) : std::string()});
    }
    return out;
  } catch (const UsageError&) {
    throw;
  } catch (const Error& e) {
    // A list is the user's input: a malformed one is a usage error (exit 2); what() names the
    // file (and the byte).
    throw UsageError(e.file().empty() ? path.string() + ": " + e.what() : std::string(e.what()));
  }
}

}  // namespace warcpairs::text
