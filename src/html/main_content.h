// Main-content detection over the page's block list: while the SAX parse runs, PageBuilder
// records each text block (its byte range in the visible text, its link text, the innermost
// marked element around it); after the last event, classify() decides in one pass over the
// blocks which are main content. No DOM, no second parse. Internal to the html layer.
//
// Written by hand: Debian 12 has no C or C++ library for boilerplate removal (the extractors
// people use, trafilatura, jusText, readability, resiliparse, are Python or Python bindings
// over a DOM). The rules learn from their published designs, not their code:
//  - semantics of the enclosing elements: main/article/role=main/itemprop=articleBody and
//    class/id words such as entry-content, post-body, article-body mark a content container;
//    nav/header/footer/aside/form, the ARIA landmark roles and words such as menu, sidebar,
//    comment, share, cookie, breadcrumb, related, widget mark boilerplate (trafilatura);
//  - a mark whose element holds most of the page's text is a page wrapper (body classes such
//    as "has-sidebar"), not a region: it is ignored;
//  - link density and block length, then context (jusText): short blocks between content stay
//    content, link-dense blocks are boilerplate;
//  - when a content container holds enough text, blocks outside it are boilerplate unless
//    they are long link-free paragraphs (the main container of trafilatura and readability);
//    inside it, short blocks between two content blocks are content unless a boilerplate
//    block lies between them; copyright lines never are;
//  - the lead just above the container (standfirst, a paragraph of sentence length without
//    links) is content, as readability joins the top candidate's siblings;
//  - a <header> inside main or article heads the article (HTML-AAM), not the page;
//  - a page whose text is all short keeps every block that no mark calls boilerplate.
// Scored on real pages in BENCHMARKS.md ("Main content"); each rule has a unit test in
// tests/unit/html/main_content_test.cc.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace warcpairs::html {

// What an element says about the text inside it. Order: boilerplate kinds after kContent.
enum class Mark : uint8_t { kNone, kContent, kNav, kHeader, kFooter, kAside, kBoiler };

// The mark of an element from its tag name, id, class, role and itemprop attribute values
// (raw, any case). A boilerplate word in id or class wins over a content word.
// `strength` (out): how sure a content mark is (3 specific class words such as entry-content,
// 2 main/article/role=main, 1 generic words such as content or post).
Mark mark_element(std::string_view tag, std::string_view id, std::string_view cls,
                  std::string_view role, std::string_view itemprop, uint8_t& strength);

// Where an image sits on the page, as stored in images.region.
enum class Region : uint8_t { kMain, kNav, kHeader, kFooter, kAside, kOther };
std::string_view region_name(Region r);

class MainContent {
 public:
  void clear();

  // A marked element opened (kNone elements are not recorded). Returns its id, which the
  // caller keeps on its element stack as the innermost marked element of what follows.
  int32_t open_mark(Mark mark, uint8_t strength, int32_t parent, bool from_tag);

  // Text was appended to the visible text: [begin, end) are its new bytes (begin after any
  // separator). `new_block`: a block boundary came before it. `mark`: the innermost marked
  // element (-1 none); `heading`: inside h1-h6; `link`: inside <a>.
  void add_text(std::size_t begin, std::size_t end, bool new_block, int32_t mark, bool heading,
                bool link);
  // Where an image stands: the index of the block it is in or the next one.
  uint32_t anchor_block(bool block_open) const {
    return static_cast<uint32_t>(block_open && !blocks_.empty() ? blocks_.size() - 1 : blocks_.size());
  }

  // Classifies every block (after the last add_text); `text` is the visible text the
  // blocks' byte ranges point into.
  void classify(const std::string& text);
  bool is_main_block(uint32_t block) const { return block < blocks_.size() && blocks_[block].main; }
  // The image's region from its innermost marked element and the block it stands at.
  Region region_of(int32_t mark, uint32_t block) const;

  // The main-content text: kept blocks joined by "\n" (valid after classify()).
  void main_text(const std::string& text, std::string& out);
  // Where an image anchored at byte `anchor` of the visible text, at block `block`, stands
  // in main_text(): inside a kept block at the same place, else where the next kept block
  // starts (just after the previous one's text).
  std::size_t main_anchor(uint32_t block, std::size_t anchor) const;

 private:
  struct Block {
    uint32_t begin, end;   // bytes of the visible text
    uint32_t link_bytes;   // of which inside <a>
    int32_t mark;          // innermost marked element, -1 none
    bool heading;
    bool main = false;
  };
  struct Marked {
    int32_t parent;
    Mark mark;
    uint8_t strength;
    bool from_tag;          // nav/header/footer/aside/form/main/article element (not a class)
    bool ignored = false;   // a wrapper holding most of the page's text
    uint64_t text = 0, plain = 0;  // bytes of text (and of non-link text) inside
  };

  // A content container with less non-link text than this is not trusted to hold the page.
  static constexpr uint64_t kMinContainerBytes = 200;
  // Outside the chosen container, a block without links this long is still content (a lead
  // paragraph above the article element, text of a second column).
  static constexpr uint32_t kLoneParagraphBytes = 150;
  static constexpr uint32_t kCopyrightLineBytes = 400;
  // Just before the container, this many blocks (headings not counted) are read for the lead,
  // and a link-free one this long is content.
  static constexpr std::size_t kLeadBlocks = 4;
  static constexpr uint32_t kLeadBytes = 80;

  Mark effective(int32_t mark, int32_t* content = nullptr) const;
  int32_t choose_container() const;
  bool inside(int32_t mark, int32_t container) const;
  // Inside main, article, role=main or a specific content class (content strength 2+).
  bool inside_article(int32_t mark) const;
  void weigh_marks();
  uint8_t block_class(const Block& b, const std::string& text) const;
  void fill_between(std::vector<uint8_t>& cls) const;
  void resolve_by_neighbours(std::vector<uint8_t>& cls) const;
  void take_lead(std::vector<uint8_t>& cls, const std::string& text) const;
  static bool copyright_line(const Block& b, const std::string& text);

  std::vector<Block> blocks_;
  std::vector<Marked> marks_;
  std::vector<std::size_t> main_offsets_;  // per block (+ end): its offset in main_text()
  std::vector<uint8_t> classes_;           // scratch of classify()
  int32_t container_ = -1;                 // the chosen content container, -1 none
};

}  // namespace warcpairs::html
