// Main-content detection: block classification and main text (main_content.h); the
// element marks it starts from are in element_marks.cc.
#include "main_content.h"

#include <algorithm>

namespace warcpairs::html {

std::string_view region_name(Region r) {
  switch (r) {
    case Region::kMain: return "main";
    case Region::kNav: return "nav";
    case Region::kHeader: return "header";
    case Region::kFooter: return "footer";
    case Region::kAside: return "aside";
    case Region::kOther: break;
  }
  return "other";
}

void MainContent::clear() {
  blocks_.clear();
  marks_.clear();
  main_offsets_.clear();
  container_ = -1;
}

int32_t MainContent::open_mark(Mark mark, uint8_t strength, int32_t parent, bool from_tag) {
  // A <header> inside an article or the main element heads that article (its title, lead
  // and date), not the page: HTML-AAM maps it to the banner landmark only when it is scoped
  // to the body. It marks nothing then.
  if (mark == Mark::kHeader && from_tag && inside_article(parent)) return parent;
  marks_.push_back(Marked{parent, mark, strength, from_tag});
  return static_cast<int32_t>(marks_.size() - 1);
}

void MainContent::add_text(std::size_t begin, std::size_t end, bool new_block, int32_t mark,
                           bool heading, bool link) {
  if (new_block || blocks_.empty()) {
    blocks_.push_back(Block{static_cast<uint32_t>(begin), static_cast<uint32_t>(end), 0, mark,
                            heading});
  }
  Block& b = blocks_.back();
  b.end = static_cast<uint32_t>(end);
  if (link) b.link_bytes += static_cast<uint32_t>(end - begin);
}

// The first mark up from `mark` that is not an ignored wrapper; `content` gets the innermost
// content mark on the way (-1 none).
Mark MainContent::effective(int32_t mark, int32_t* content) const {
  Mark found = Mark::kNone;
  for (int32_t m = mark; m >= 0; m = marks_[m].parent) {
    const Marked& e = marks_[m];
    if (e.ignored) continue;
    if (e.mark != Mark::kContent) return e.mark;
    // A strong container (main, article, a specific class) is content even inside a region
    // marked as boilerplate: nearest wins. A generic "content" word does not override.
    if (e.strength >= 2) {
      if (content && found == Mark::kNone) *content = m;
      return Mark::kContent;
    }
    if (found == Mark::kNone) {
      found = Mark::kContent;
      if (content) *content = m;
    }
  }
  return found;
}

bool MainContent::inside_article(int32_t mark) const {
  for (int32_t m = mark; m >= 0; m = marks_[m].parent)
    if (marks_[m].mark == Mark::kContent && marks_[m].strength >= 2) return true;
  return false;
}

bool MainContent::inside(int32_t mark, int32_t container) const {
  for (int32_t m = mark; m >= 0; m = marks_[m].parent)
    if (m == container) return true;
  return false;
}

int32_t MainContent::choose_container() const {
  uint64_t best = 0;
  for (const Marked& m : marks_)
    if (m.mark == Mark::kContent) best = std::max(best, m.plain);
  int32_t chosen = -1;
  for (std::size_t i = 0; i < marks_.size(); ++i) {
    const Marked& m = marks_[i];
    if (m.mark != Mark::kContent || m.plain * 2 < best || m.plain == 0) continue;
    if (m.parent >= 0 && effective(m.parent) > Mark::kContent) continue;
    if (chosen < 0) { chosen = static_cast<int32_t>(i); continue; }
    const Marked& c = marks_[chosen];
    // Stronger evidence first; then the one holding more text; then the inner one.
    if (m.strength > c.strength || (m.strength == c.strength && m.plain >= c.plain))
      chosen = static_cast<int32_t>(i);
  }
  return chosen;
}

// Text per marked element; wrappers ignored; non-link text of content marks.
void MainContent::weigh_marks() {
  uint64_t total = 0;
  for (const Block& b : blocks_) {
    total += b.end - b.begin;
    for (int32_t m = b.mark; m >= 0; m = marks_[m].parent) {
      Marked& e = marks_[m];
      e.text += b.end - b.begin;
      // A <form> (the one boilerplate element among the landmarks) that holds a paragraph of
      // running text is not a search, login or comment form but a page built inside one
      // (a shop's product form, ASP.NET's page form): it marks nothing.
      if (e.mark == Mark::kBoiler && e.from_tag && b.link_bytes == 0 &&
          b.end - b.begin >= kLoneParagraphBytes)
        e.ignored = true;
    }
  }
  // A boilerplate mark around most of the page's text is a page wrapper, not a region.
  for (Marked& m : marks_)
    if (m.mark > Mark::kContent && total > 0 && m.text * 10 >= total * 6) m.ignored = true;
  for (const Block& b : blocks_) {
    if (effective(b.mark) > Mark::kContent) continue;
    const uint64_t plain = b.end - b.begin - b.link_bytes;
    for (int32_t m = b.mark; m >= 0; m = marks_[m].parent)
      if (marks_[m].mark == Mark::kContent) marks_[m].plain += plain;
  }
}

// A copyright line is boilerplate wherever it stands (only short blocks are searched: a
// paragraph that mentions © is still a paragraph, and the search is not free).
bool MainContent::copyright_line(const Block& b, const std::string& text) {
  const uint32_t len = b.end - b.begin;
  return len < kCopyrightLineBytes &&
         std::string_view(text).substr(b.begin, len).find("\xC2\xA9") != std::string_view::npos;
}

// jusText's classes: 0 boilerplate, 1 short, 2 near content, 3 content.
uint8_t MainContent::block_class(const Block& b, const std::string& text) const {
  const uint32_t len = b.end - b.begin;
  if (effective(b.mark) > Mark::kContent || b.link_bytes * 2 > len) return 0;
  if (copyright_line(b, text)) return 0;
  const bool linky = b.link_bytes * 4 > len;
  if (container_ >= 0) {
    // Outside the container only a long paragraph without links is content.
    if (!inside(b.mark, container_)) return len >= kLoneParagraphBytes && b.link_bytes == 0 ? 3 : 0;
    // Inside it the bar is lower.
    return (len >= 50 && !linky) ? 3 : (len < 20 && !b.heading) ? 1 : 2;
  }
  if (len >= 80 && !linky) return 3;
  if (len < 30) return b.heading ? 2 : 1;
  return linky ? 1 : 2;
}

// The lead above the container: news and blog pages put the title, the standfirst and the
// byline above the element that holds the article's body. Of the few blocks just before the
// container (headings not counted), a link-free one of a sentence's length that no mark calls
// boilerplate is content (readability joins the top candidate's siblings by the same test:
// longer than 80 characters, few links).
void MainContent::take_lead(std::vector<uint8_t>& cls, const std::string& text) const {
  std::size_t first = 0;
  while (first < blocks_.size() && !inside(blocks_[first].mark, container_)) ++first;
  std::size_t seen = 0;
  for (std::size_t i = first; i-- > 0 && seen < kLeadBlocks;) {
    const Block& b = blocks_[i];
    if (b.heading) continue;
    ++seen;
    if (cls[i] == 0 && b.link_bytes == 0 && b.end - b.begin >= kLeadBytes &&
        effective(b.mark) <= Mark::kContent && !copyright_line(b, text))
      cls[i] = 3;
  }
}

// Inside the container, a run of short or near blocks between two content blocks is content
// (ingredient lists, short lines, subheadings), unless the run holds a boilerplate block of
// the container (a "related" heading before its link list); the container's edges are not
// filled (share bars, "read also", credits).
void MainContent::fill_between(std::vector<uint8_t>& cls) const {
  std::size_t first = blocks_.size(), last = 0;
  for (std::size_t i = 0; i < blocks_.size(); ++i)
    if (cls[i] == 3) first = std::min(first, i), last = i;
  std::size_t i = first;
  while (i < last) {
    std::size_t j = i + 1;
    bool clean = true;
    for (; j < last && cls[j] != 3; ++j)
      if (cls[j] == 0 && inside(blocks_[j].mark, container_)) clean = false;
    if (clean)
      for (std::size_t k = i + 1; k < j; ++k)
        if (cls[k] == 1 || cls[k] == 2) cls[k] = 3;
    i = j;
  }
}

void MainContent::classify(const std::string& text) {
  weigh_marks();
  container_ = choose_container();
  if (container_ >= 0 && marks_[container_].plain < kMinContainerBytes) container_ = -1;
  std::vector<uint8_t>& cls = classes_;
  cls.resize(blocks_.size());
  for (std::size_t i = 0; i < blocks_.size(); ++i) cls[i] = block_class(blocks_[i], text);
  if (container_ >= 0) take_lead(cls, text);
  if (container_ >= 0) fill_between(cls);
  resolve_by_neighbours(cls);
  bool any = false;
  for (std::size_t i = 0; i < blocks_.size(); ++i) any |= (blocks_[i].main = cls[i] == 3);
  // A page whose text is all short (a gallery, a form letter) gives length nothing to go by:
  // then every block that no mark and no link density calls boilerplate is its content.
  if (!any)
    for (Block& b : blocks_)
      b.main = effective(b.mark) <= Mark::kContent && b.link_bytes * 2 <= b.end - b.begin;
}

// jusText's context step: a short block between content stays content; a near-content block
// next to content is content; a heading (near-content however short) before content is.
void MainContent::resolve_by_neighbours(std::vector<uint8_t>& cls) const {
  const std::size_t n = cls.size();
  std::vector<uint8_t> prev(n), next(n);  // class of the nearest non-short block each side
  uint8_t last = 0;
  for (std::size_t i = 0; i < n; ++i) {
    prev[i] = last;
    if (cls[i] != 1) last = cls[i];
  }
  last = 0;
  for (std::size_t i = n; i-- > 0;) {
    next[i] = last;
    if (cls[i] != 1) last = cls[i];
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (cls[i] == 1) cls[i] = (prev[i] == 3 && next[i] == 3) ? 4 : 0;
    else if (cls[i] == 2)
      cls[i] = (blocks_[i].heading ? next[i] == 3 : (prev[i] == 3 || next[i] == 3)) ? 4 : 0;
  }
  for (uint8_t& c : cls)
    if (c == 4) c = 3;
}

Region MainContent::region_of(int32_t mark, uint32_t block) const {
  switch (effective(mark)) {
    case Mark::kNav: return Region::kNav;
    case Mark::kHeader: return Region::kHeader;
    case Mark::kFooter: return Region::kFooter;
    case Mark::kAside: return Region::kAside;
    case Mark::kBoiler: return Region::kOther;
    default: break;
  }
  if (container_ >= 0 && inside(mark, container_)) return Region::kMain;
  if (is_main_block(block) || (block > 0 && is_main_block(block - 1))) return Region::kMain;
  return Region::kOther;
}

void MainContent::main_text(const std::string& text, std::string& out) {
  out.clear();
  main_offsets_.resize(blocks_.size() + 1);
  for (std::size_t i = 0; i < blocks_.size(); ++i) {
    main_offsets_[i] = out.size();
    if (!blocks_[i].main) continue;
    if (!out.empty()) out.push_back('\n');
    main_offsets_[i] = out.size();
    out.append(text, blocks_[i].begin, blocks_[i].end - blocks_[i].begin);
  }
  main_offsets_[blocks_.size()] = out.size();
}

std::size_t MainContent::main_anchor(uint32_t block, std::size_t anchor) const {
  if (block >= blocks_.size()) return main_offsets_.back();
  const Block& b = blocks_[block];
  if (b.main && anchor >= b.begin && anchor <= b.end) return main_offsets_[block] + (anchor - b.begin);
  return main_offsets_[block];
}

}  // namespace warcpairs::html
