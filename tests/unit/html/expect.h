// Expected image fields for the table-driven extractor tests; unset fields are not checked.
#pragma once

#include <gtest/gtest.h>

#include <climits>
#include <optional>
#include <string>
#include <vector>

#include "warcpairs/html/extractor.h"

namespace warcpairs::html::testing {

// The tests of visible text and its windows cut contexts from all visible text; main-content
// contexts are tested in main_content_test.cc.
inline ExtractOptions all_text_options() {
  ExtractOptions o;
  o.context_from = ContextFrom::kAll;
  return o;
}

struct Img {
  std::optional<std::string> url, src, srcset, alt, title, figcaption, dom_path, context;
  std::optional<bool> has_alt;
  int width = INT_MIN, height = INT_MIN, image_pos = INT_MIN, label_start = INT_MIN,
      label_end = INT_MIN;
};

inline void expect_image(const ImageRecord& got, const Img& want, const std::string& where) {
  SCOPED_TRACE(where);
  if (want.url) { EXPECT_EQ(got.url, *want.url); }
  if (want.src) { EXPECT_EQ(got.src, *want.src); }
  if (want.srcset) { EXPECT_EQ(got.srcset, *want.srcset); }
  if (want.alt) { EXPECT_EQ(got.alt, *want.alt); }
  if (want.has_alt) { EXPECT_EQ(got.has_alt, *want.has_alt); }
  if (want.title) { EXPECT_EQ(got.title, *want.title); }
  if (want.figcaption) { EXPECT_EQ(got.figcaption, *want.figcaption); }
  if (want.dom_path) { EXPECT_EQ(got.dom_path, *want.dom_path); }
  if (want.context) { EXPECT_EQ(got.context, *want.context); }
  if (want.width != INT_MIN) { EXPECT_EQ(got.width, want.width); }
  if (want.height != INT_MIN) { EXPECT_EQ(got.height, want.height); }
  if (want.image_pos != INT_MIN) { EXPECT_EQ(got.image_pos, want.image_pos); }
  if (want.label_start != INT_MIN) { EXPECT_EQ(got.label_start, want.label_start); }
  if (want.label_end != INT_MIN) { EXPECT_EQ(got.label_end, want.label_end); }
}

// Every field of two records (e.g. the same image written and read back, or found two ways).
inline void expect_same_image(const ImageRecord& a, const ImageRecord& b) {
  EXPECT_EQ(a.page_row, b.page_row);
  EXPECT_EQ(a.index, b.index);
  EXPECT_EQ(a.url, b.url);
  EXPECT_EQ(a.src, b.src);
  EXPECT_EQ(a.srcset, b.srcset);
  EXPECT_EQ(a.alt, b.alt);
  EXPECT_EQ(a.has_alt, b.has_alt);
  EXPECT_EQ(a.title, b.title);
  EXPECT_EQ(a.width, b.width);
  EXPECT_EQ(a.height, b.height);
  EXPECT_EQ(a.figcaption, b.figcaption);
  EXPECT_EQ(a.dom_path, b.dom_path);
  EXPECT_EQ(a.context, b.context);
  EXPECT_EQ(a.image_pos, b.image_pos);
  EXPECT_EQ(a.label_start, b.label_start);
  EXPECT_EQ(a.label_end, b.label_end);
}

}  // namespace warcpairs::html::testing
