// The straightforward find_label (fold everything, then search): the oracle label.cc must match.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <utility>

namespace warcpairs::text::testing {

std::optional<std::pair<int32_t, int32_t>> reference_find_label(std::string_view context,
                                                                std::string_view alt,
                                                                int32_t image_pos,
                                                                int32_t min_chars);

}  // namespace warcpairs::text::testing
