// Value checks shared by the subcommands' options, beyond CLI11's own (its NonNegativeNumber
// takes 2.5 where a count is meant, its Range is closed at both ends).
#pragma once

#include <cmath>
#include <cstdint>
#include <string>

#include <CLI/CLI.hpp>

namespace warcpairs::cli {

// A whole number >= min ("-5" and "2.5" are refused).
inline CLI::Validator integer_at_least(int64_t min) {
  return CLI::Validator(
      [min](std::string& s) -> std::string {
        int64_t v = 0;
        if (!CLI::detail::lexical_cast(s, v)) return "'" + s + "' is not a whole number";
        return v < min ? "must be at least " + std::to_string(min) + ", got " + s : std::string();
      },
      "INT>=" + std::to_string(min));
}

// A finite number >= min.
inline CLI::Validator number_at_least(double min) {
  return CLI::Validator(
      [min](std::string& s) -> std::string {
        double v = 0;
        if (!CLI::detail::lexical_cast(s, v) || !std::isfinite(v)) return "'" + s + "' is not a number";
        return v < min ? "must be at least " + CLI::detail::to_string(min) + ", got " + s : std::string();
      },
      "NUMBER>=" + CLI::detail::to_string(min));
}

// A share strictly between 0 and 1 (train's validation split needs pages on both sides).
inline CLI::Validator open_fraction() {
  return CLI::Validator(
      [](std::string& s) -> std::string {
        double v = 0;
        if (!CLI::detail::lexical_cast(s, v)) return "'" + s + "' is not a number";
        return v > 0 && v < 1 ? std::string() : "must be in (0, 1): above 0 and below 1, got " + s;
      },
      "in (0, 1)");
}

}  // namespace warcpairs::cli
