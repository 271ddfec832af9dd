// The export cleaner file (--cleaners FILE): a [cleaners] table in file order, arrays joined
// with commas; a line outside the table, a syntax error (with its line) and a missing file are
// usage errors.
#include "../../../src/cli/cleaner_file.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

#include "warcpairs/core/error.h"

namespace warcpairs::cli {
namespace {

TEST(CleanerFile, TomlFileInOrder) {
  const auto path = std::filesystem::temp_directory_path() / ("cleaners_" + std::to_string(::getpid()) + ".toml");
  std::ofstream(path) << "# comment\n[cleaners]\nmin_words = 3\nlanguages = [\"en\", \"de\"]\n"
                         "exact_duplicates = true\nmin_clip = 0.25\n";
  const auto specs = read_cleaner_file(path);
  ASSERT_EQ(specs.size(), 4u);
  EXPECT_EQ(specs[0].name, "min_words");
  EXPECT_EQ(specs[0].value, "3");
  EXPECT_EQ(specs[1].name, "languages");
  EXPECT_EQ(specs[1].value, "en,de");
  EXPECT_EQ(specs[2].value, "true");
  EXPECT_EQ(specs[3].name, "min_clip");
  EXPECT_EQ(specs[3].value, "0.25");
  std::ofstream(path) << "min_words = 3\n";  // outside [cleaners]
  EXPECT_THROW(read_cleaner_file(path), UsageError);
  // Parsed by toml++: a syntax error or a value no cleaner takes names the line.
  auto message = [&](const char* text) {
    std::ofstream(path) << text;
    try {
      read_cleaner_file(path);
    } catch (const UsageError& e) {
      return std::string(e.what());
    }
    return std::string("(accepted)");
  };
  EXPECT_NE(message("[cleaners]\nmin_words = 3\nlanguages = en\n").find("line 3"), std::string::npos);
  EXPECT_NE(message("[cleaners]\nlanguages = en\n").find("need quotes"), std::string::npos);
  EXPECT_NE(message("[cleaners]\n\nmin_words = {a = 1}\n").find("line 3: a cleaner takes"), std::string::npos);
  EXPECT_NE(message("[cleaners]\nmin_words = 1\nmin_words = 2\n").find("line 3"), std::string::npos);
  std::filesystem::remove(path);
  EXPECT_THROW(read_cleaner_file(path), UsageError);
}

}  // namespace
}  // namespace warcpairs::cli
