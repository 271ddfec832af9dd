// The --config TOML file: hoisted to where CLI11 reads it, and checked strictly first (TOML
// v1.0 §Keys, §Table, §String, §Array; inline tables, arrays of tables and dates are no option
// values, so they are refused).
#include "config_file.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstring>
#include <map>
#include <sstream>

#include "warcpairs/core/error.h"
#include "warcpairs/core/small_file.h"

namespace warcpairs::cli {
namespace fs = std::filesystem;
namespace {

struct Entry {
  std::vector<std::string> path;  // section parts, then key parts
  int line = 0;
  bool section = false;  // a [section] header rather than a key
};

// A cursor over the whole file; every failure names the file, the line and its text.
class TomlScanner {
 public:
  TomlScanner(std::string text, std::string file) : s_(std::move(text)), file_(std::move(file)) {}

  std::vector<Entry> entries() {
    std::vector<Entry> out;
    std::vector<std::string> section;
    for (;;) {
      skip_space_and_newlines();
      if (done()) return out;
      const int line = line_;
      if (peek() == '[') {
        advance();
        if (peek() == '[') fail("arrays of tables ([[...]]) are not options");
        skip_blanks();
        section = key();
        skip_blanks();
        if (peek() != ']') fail("a section header is `[name]`");
        advance();
        end_of_line();
        out.push_back({section, line, true});
        continue;
      }
      auto path = section;
      for (auto& part : key()) path.push_back(std::move(part));
      skip_blanks();
      if (peek() != '=') fail("expected `key = value`");
      advance();
      skip_blanks();
      value();
      end_of_line();
      out.push_back({std::move(path), line, false});
    }
  }

 private:
  bool done() const { return i_ >= s_.size(); }
  char peek(std::size_t ahead = 0) const { return i_ + ahead < s_.size() ? s_[i_ + ahead] : '\0'; }
  void advance() {
    if (s_[i_] == '\n') ++line_;
    ++i_;
  }
  void skip_blanks() {
    while (peek() == ' ' || peek() == '\t') advance();
  }
  void skip_comment() {
    if (peek() == '#')
      while (!done() && peek() != '\n') advance();
  }
  void skip_space_and_newlines() {
    for (;;) {
      skip_blanks();
      skip_comment();
      if (peek() != '\n' && peek() != '\r') return;
      advance();
    }
  }
  void end_of_line() {
    skip_blanks();
    skip_comment();
    if (peek() == '\r') advance();
    if (done()) return;
    if (peek() != '\n') fail("unexpected text after the value");
    advance();
  }

  [[noreturn]] void fail(const std::string& what) const {
    std::istringstream lines(s_);
    std::string text;
    for (int k = 0; k < line_ && std::getline(lines, text);) ++k;
    throw UsageError("config file " + file_ + " line " + std::to_string(line_) + ": " + what +
                     ": " + text);
  }

  // key = part ('.' part)*; a part is bare (A-Za-z0-9_-) or quoted.
  std::vector<std::string> key() {
    std::vector<std::string> parts;
    for (;;) {
      skip_blanks();
      std::string part;
      if (peek() == '"' || peek() == '\'') {
        const std::size_t begin = i_ + 1;
        string();
        part = s_.substr(begin, i_ - begin - 1);
      } else {
        while (std::isalnum(static_cast<unsigned char>(peek())) || peek() == '_' || peek() == '-')
          part.push_back(peek()), advance();
        if (part.empty()) fail("expected a name");
      }
      parts.push_back(std::move(part));
      skip_blanks();
      if (peek() != '.') return parts;
      advance();
    }
  }

  void string() {
    const char quote = peek();
    const bool multiline = peek(1) == quote && peek(2) == quote;
    for (int k = 0; k < (multiline ? 3 : 1); ++k) advance();
    for (;;) {
      if (done() || (!multiline && peek() == '\n')) fail("the string is not closed");
      if (quote == '"' && peek() == '\\') {
        advance();
        if (!done()) advance();
        continue;
      }
      if (peek() == quote && (!multiline || (peek(1) == quote && peek(2) == quote))) {
        for (int k = 0; k < (multiline ? 3 : 1); ++k) advance();
        return;
      }
      advance();
    }
  }

  void value() {
    const char c = peek();
    if (c == '"' || c == '\'') return string();
    if (c == '{') fail("inline tables are not option values");
    if (c == '[') {
      advance();
      for (;;) {
        skip_space_and_newlines();
        if (peek() == ']') return advance();
        value();
        skip_space_and_newlines();
        if (peek() == ',') {
          advance();
          continue;
        }
        if (peek() != ']') fail("expected `,` or `]` in the array");
        return advance();
      }
    }
    std::string word;
    while (std::isalnum(static_cast<unsigned char>(peek())) || std::strchr("+-._", peek()) != nullptr)
      word.push_back(peek()), advance();
    const bool number = !word.empty() && (std::isdigit(static_cast<unsigned char>(word[0])) ||
                                          word[0] == '+' || word[0] == '-' || word == "inf" || word == "nan");
    if (word != "true" && word != "false" && !number)
      fail(word.empty() ? "expected a value" : "'" + word + "' is not a TOML value (text needs quotes)");
  }

  std::string s_, file_;
  std::size_t i_ = 0;
  int line_ = 1;
};

// The names a config key may use for the options of `sub` (CLI11's rule: a long name, a
// one-letter short name or a positional's name), without help and config themselves.
std::vector<std::string> key_names(const CLI::App& sub) {
  std::vector<std::string> names;
  for (const CLI::Option* opt : sub.get_options()) {
    if (!opt->get_configurable()) continue;
    for (const auto& n : opt->get_lnames())
      if (n != "help" && n != "config") names.push_back(n);
    if (opt->get_lnames().empty() && opt->get_snames().empty() && !opt->get_name().empty())
      names.push_back(opt->get_name());
  }
  return names;
}

std::string closest(const std::string& word, const std::vector<std::string>& names) {
  std::string best;
  std::size_t best_distance = SIZE_MAX;
  for (const auto& n : names)
    if (const auto d = edit_distance(word, n); d < best_distance) best_distance = d, best = n;
  return best;
}

std::string joined(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : ".") + p;
  return out;
}

const CLI::App* find_subcommand(const CLI::App& app, const std::string& name,
                                std::vector<std::string>& names) {
  const CLI::App* found = nullptr;
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
    names.push_back(sub->get_name());
    if (sub->get_name() == name) found = sub;
  }
  return found;
}

void check_entry(const CLI::App& app, const Entry& e, const std::string& where) {
  std::vector<std::string> sections;
  const CLI::App* sub = find_subcommand(app, e.path[0], sections);
  if (sub == nullptr)
    throw UsageError(where + ": unknown section [" + e.path[0] + "]; the closest subcommand is [" +
                     closest(e.path[0], sections) + "] (sections are subcommand names)");
  if (e.section && e.path.size() > 1)
    throw UsageError(where + ": [" + joined(e.path) + "]: a subcommand's section has no subsections");
  if (e.section) return;
  const std::string key = joined({e.path.begin() + 1, e.path.end()});
  const auto names = key_names(*sub);
  if (std::find(names.begin(), names.end(), key) == names.end())
    throw UsageError(where + ": unknown key '" + key + "' in [" + e.path[0] +
                     "]; the closest option is '" + closest(key, names) + "' (`warcpairs " +
                     e.path[0] + " --help` lists them)");
}

}  // namespace

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

std::vector<std::string> config_option_first(int argc, char** argv, std::vector<fs::path>& files) {
  std::vector<std::string> rest, configs;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--") {  // what follows is positional
      rest.insert(rest.end(), argv + i, argv + argc);
      break;
    }
    if (arg == "--config" && i + 1 < argc) {
      configs.push_back(argv[++i]);
    } else if (arg.rfind("--config=", 0) == 0) {
      configs.push_back(arg.substr(9));
    } else {
      rest.push_back(arg);
      continue;
    }
    files.emplace_back(configs.back());
  }
  std::vector<std::string> out{argv[0]};
  for (const auto& c : configs) out.insert(out.end(), {"--config", c});
  out.insert(out.end(), rest.begin(), rest.end());
  return out;
}

void check_config_file(const CLI::App& app, const fs::path& path) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) return;  // CLI11 says the file is missing
  std::map<std::string, int> seen;
  const std::string text = read_small_file(path, "cannot read the config file", ReadBlame::usage);
  for (const Entry& e : TomlScanner(text, path.string()).entries()) {
    const std::string where = "config file " + path.string() + " line " + std::to_string(e.line);
    if (!e.section && e.path.size() == 1)
      throw UsageError(where + ": '" + e.path[0] +
                       "' is outside any section; options go under their subcommand, e.g. [extract]");
    check_entry(app, e, where);
    if (e.section) continue;
    const auto [it, inserted] = seen.emplace(joined(e.path), e.line);
    if (!inserted)
      throw UsageError(where + ": '" + it->first + "' is set twice (first on line " +
                       std::to_string(it->second) + ")");
  }
}

}  // namespace warcpairs::cli
