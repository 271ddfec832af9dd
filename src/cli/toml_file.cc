// TOML files of the command line (toml_file.h).
#include "toml_file.h"

#include <sstream>

#include "warcpairs/core/error.h"
#include "warcpairs/core/small_file.h"

namespace warcpairs::cli {

TomlFile::TomlFile(const std::string& path, std::string kind)
    : path_(path), kind_(std::move(kind)),
      text_(read_small_file(path, "cannot read the " + kind_, ReadBlame::usage)) {
  try {
    table_ = toml::parse(std::string_view(text_), std::string_view(path_));
  } catch (const toml::parse_error& e) {
    std::string what(e.description());
    // toml++ says this of a bare word; the usual cause is text without its quotes.
    if (what.find("could not determine value type") != std::string::npos)
      what += " (text values need quotes)";
    fail(static_cast<int>(e.source().begin.line), what);
  }
}

void TomlFile::fail(int line, const std::string& what) const {
  std::istringstream lines(text_);
  std::string text;
  for (int k = 0; k < line && std::getline(lines, text);) ++k;
  throw UsageError(kind_ + " " + path_ + " line " + std::to_string(line) + ": " + what + ": " + text);
}

}  // namespace warcpairs::cli
