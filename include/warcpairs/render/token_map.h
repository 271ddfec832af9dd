// From the page's text nodes to WordPiece tokens over them: the page text is the nodes' texts
// joined by "\n" (what `warcpairs tokenize` gets for the same ids), and each token, which never
// spans the "\n", is placed in its node by UTF-16 offsets, the unit of DOM Range offsets.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "warcpairs/text/wordpiece.h"

namespace warcpairs::render {

struct NodeToken {
  int32_t id = 0;
  int32_t node = 0;                    // index into the text nodes
  int32_t start16 = 0, end16 = 0;      // [start, end) in UTF-16 code units of the node's text
  int32_t start = 0, end = 0;          // [start, end) in code points of the page text
};

// The page text of `nodes` (joined by "\n").
std::string page_text(const std::vector<std::string>& nodes);

// Tokens of page_text(nodes), each with its node and UTF-16 span; `enc` is reused scratch.
void tokenize_nodes(const text::WordPiece& wordpiece, const std::vector<std::string>& nodes,
                    text::Encoding& enc, std::vector<NodeToken>& out);

}  // namespace warcpairs::render
