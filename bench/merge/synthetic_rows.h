// Deterministic synthetic pages and images with realistic field sizes for the merge bench.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "warcpairs/html/image_record.h"
#include "warcpairs/store/page_record.h"

namespace warcpairs::bench {

struct RowShape {
  const char* name;
  int images_per_page;
  int context_chars;  // approximate length of an image's context
  int title_chars;
  int alt_chars;
};

inline constexpr RowShape kRealistic{"realistic", 5, 1000, 60, 40};
inline constexpr RowShape kSmall{"small", 5, 40, 12, 8};

// Fills reused records; text is drawn from a pseudo-word vocabulary so it compresses like text.
class SyntheticRows {
 public:
  SyntheticRows(RowShape shape, uint64_t seed);
  void page(int64_t i, store::PageRecord& out);
  // Every image has a label and a size, so the CSV copy (where empty is not NULL) holds
  // exactly the same values as the merged database.
  void image(int64_t i, int64_t page_row, int32_t index, html::ImageRecord& out);

 private:
  void words(int chars, std::string& out);
  RowShape shape_;
  std::mt19937_64 rng_;
  std::vector<std::string> vocab_;
};

}  // namespace warcpairs::bench
