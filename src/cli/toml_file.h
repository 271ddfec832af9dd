// A TOML file of the command line (--config, export's --cleaners), parsed by toml++ (TOML
// v1.0, Debian's libtomlplusplus-dev); every error names the file, the line and its text.
#pragma once

#include <string>

#include <toml++/toml.h>

namespace warcpairs::cli {

class TomlFile {
 public:
  // Reads and parses `path`; `kind` ("config file", "cleaner file") starts every message.
  // Throws UsageError for an unreadable file or a syntax error.
  TomlFile(const std::string& path, std::string kind);

  const toml::table& table() const { return table_; }
  // UsageError: "<kind> <path> line <line>: <what>: <the line's text>".
  [[noreturn]] void fail(int line, const std::string& what) const;
  // The line of a key, 1-based (toml++ keeps keys sorted by name; this gives the file's order).
  static int line_of(const toml::key& key) { return static_cast<int>(key.source().begin.line); }

 private:
  std::string path_, kind_, text_;
  toml::table table_;
};

}  // namespace warcpairs::cli
