// tokenize_nodes: one WordPiece pass over the joined text, then code-point offsets turned into
// (node, UTF-16 offset) by one walk over the UTF-8 of each node.
#include "warcpairs/render/token_map.h"

#include <algorithm>

namespace warcpairs::render {

std::string page_text(const std::vector<std::string>& nodes) {
  std::string out;
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    if (i) out.push_back('\n');
    out += nodes[i];
  }
  return out;
}

namespace {

// For each code point of the page text: its node and UTF-16 offset in that node (the "\n"
// between nodes maps to the end of the node before it). One entry more for the end.
struct CodePointPlace {
  int32_t node;
  int32_t u16;
};

void place_code_points(const std::vector<std::string>& nodes, std::vector<CodePointPlace>& out) {
  out.clear();
  for (int32_t n = 0; n < static_cast<int32_t>(nodes.size()); ++n) {
    const std::string& s = nodes[static_cast<std::size_t>(n)];
    int32_t u16 = 0;
    for (std::size_t i = 0; i < s.size();) {
      const auto c = static_cast<unsigned char>(s[i]);
      const std::size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
      out.push_back({n, u16});
      u16 += len == 4 ? 2 : 1;  // a code point above U+FFFF is a surrogate pair
      i += len;
    }
    out.push_back({n, u16});  // the "\n" after the node, or the end of the text
  }
}

}  // namespace

void tokenize_nodes(const text::WordPiece& wordpiece, const std::vector<std::string>& nodes,
                    text::Encoding& enc, std::vector<NodeToken>& out) {
  out.clear();
  wordpiece.encode(page_text(nodes), enc);
  std::vector<CodePointPlace> places;
  place_code_points(nodes, places);
  for (std::size_t t = 0; t < enc.ids.size(); ++t) {
    const auto [start, end] = enc.offsets[t];
    if (start < 0 || end <= start || static_cast<std::size_t>(end) >= places.size()) continue;
    const CodePointPlace a = places[static_cast<std::size_t>(start)];
    const CodePointPlace b = places[static_cast<std::size_t>(end - 1)];
    if (a.node != b.node) continue;  // cannot happen: "\n" splits words; kept as a guard
    // The place after the token's last code point is in the same node: the node's own
    // entries end with one for its end (where the "\n" after it sits).
    const CodePointPlace after = places[static_cast<std::size_t>(end)];
    out.push_back({enc.ids[t], a.node, a.u16, after.u16, start, end});
  }
}

}  // namespace warcpairs::render
