// The whole warcpairs command line as main() builds it: every option described, each stage's
// help naming its stats file, and the --config file checked strictly (syntax with the line,
// unknown sections and keys with the closest valid name).
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

#include "../../../src/cli/commands.h"
#include "../../../src/cli/config_file.h"
#include "warcpairs/core/error.h"

namespace warcpairs::cli {
namespace {

struct Warcpairs {
  CLI::App app{"warcpairs", "warcpairs"};
  std::map<CLI::App*, Runner> runners = add_commands(app);
};

std::vector<CLI::App*> subcommands(CLI::App& app) {
  return app.get_subcommands([](CLI::App*) { return true; });
}

TEST(Options, EveryOptionOfEverySubcommandHasADescription) {
  Warcpairs w;
  ASSERT_GE(subcommands(w.app).size(), 10u);
  for (CLI::App* sub : subcommands(w.app))
    for (const CLI::Option* opt : sub->get_options()) {
      if (opt->get_group().empty()) continue;  // hidden: an old spelling
      EXPECT_FALSE(opt->get_description().empty()) << sub->get_name() << " " << opt->get_name();
    }
}

TEST(Options, EachStageHelpNamesTheStatsFileItWrites) {
  Warcpairs w;
  for (const std::string stage : {"extract", "merge", "predict", "score"})
    EXPECT_NE(w.app.get_subcommand(stage)->help().find("RUN/" + stage + "-stats.json"), std::string::npos)
        << stage;
}

TEST(Options, ThreadsIsOneSpellingEverywhere) {
  Warcpairs w;
  for (const std::string stage : {"extract", "train", "predict", "score"})
    EXPECT_NE(w.app.get_subcommand(stage)->get_option_no_throw("--threads"), nullptr) << stage;
  EXPECT_NE(w.app.get_subcommand("extract")->get_option_no_throw("--model-threads"), nullptr);
}

TEST(ConfigOption, MovesToTheFrontWhereverItStands) {
  std::vector<std::string> in{"warcpairs", "extract", "--config", "a.toml", "--out", "r", "--config=b.toml"};
  std::vector<char*> argv;
  for (auto& s : in) argv.push_back(s.data());
  std::vector<std::filesystem::path> files;
  const auto out = config_option_first(static_cast<int>(argv.size()), argv.data(), files);
  EXPECT_EQ(out, (std::vector<std::string>{"warcpairs", "--config", "a.toml", "--config", "b.toml",
                                           "extract", "--out", "r"}));
  EXPECT_EQ(files, (std::vector<std::filesystem::path>{"a.toml", "b.toml"}));
}

TEST(EditDistance, Levenshtein) {
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
  EXPECT_EQ(edit_distance("", "abc"), 3u);
  EXPECT_EQ(edit_distance("context-char", "context-chars"), 1u);
}

class ConfigFile : public ::testing::Test {
 protected:
  void TearDown() override { std::filesystem::remove(path_); }
  // The UsageError's message for `text`, or "" when the file passes.
  std::string check(const std::string& text) {
    std::ofstream(path_) << text;
    try {
      check_config_file(w_.app, path_);
    } catch (const UsageError& e) {
      return e.what();
    }
    return "";
  }
  Warcpairs w_;
  std::filesystem::path path_ =
      std::filesystem::temp_directory_path() / ("config_" + std::to_string(::getpid()) + ".toml");
};

TEST_F(ConfigFile, ValidFilesPass) {
  EXPECT_EQ(check("# a run\n[extract]\nout = \"run1\"  # here\ninputs = [\n  \"a.warc.gz\", # one\n  'b/',\n]\n"
                  "context-chars = 300\nmodel-threads = 2\nquiet = true\n\n[merge]\nout = 'run1'\n"
                  "[export]\nvalidation-fraction = 0.05\nmin-width = 64\n"),
            "");
}

TEST_F(ConfigFile, SyntaxErrorsNameTheLine) {
  auto e = check("[extract]\nout = \"run1\"\ncontext-chars = = 3\n");
  EXPECT_NE(e.find("line 3"), std::string::npos) << e;
  e = check("[extract]\nout = run1\n");
  EXPECT_NE(e.find("line 2"), std::string::npos) << e;
  EXPECT_NE(e.find("quotes"), std::string::npos) << e;
  e = check("[extract\nout = \"x\"\n");
  EXPECT_NE(e.find("line 1"), std::string::npos) << e;
  e = check("[extract]\n\ninputs = [\"a\",\n \"b\"\nout = \"x\"\n");
  EXPECT_NE(e.find("line 5"), std::string::npos) << e;
  e = check("[extract]\nout = \"x\n");
  EXPECT_NE(e.find("line 2"), std::string::npos) << e;
  EXPECT_NE(e.find("string"), std::string::npos) << e;
  e = check("[extract]\nout = {a = 1}\n");
  EXPECT_NE(e.find("inline tables"), std::string::npos) << e;
  e = check("[extract]\nout = 1979-05-27\n");
  EXPECT_NE(e.find("dates"), std::string::npos) << e;
  e = check("[[extract]]\nout = \"x\"\n");
  EXPECT_NE(e.find("arrays of tables"), std::string::npos) << e;
  e = check("[extract]\nout = \"x\" trailing\n");
  EXPECT_NE(e.find("line 2"), std::string::npos) << e;
}

TEST_F(ConfigFile, UnknownKeysAndSectionsNameTheClosestValidOne) {
  auto e = check("[extract]\nout = \"r\"\ncontext-char = 3\n");
  EXPECT_NE(e.find("line 3"), std::string::npos) << e;
  EXPECT_NE(e.find("'context-char'"), std::string::npos) << e;
  EXPECT_NE(e.find("'context-chars'"), std::string::npos) << e;
  e = check("[extrct]\nout = \"r\"\n");
  EXPECT_NE(e.find("[extrct]"), std::string::npos) << e;
  EXPECT_NE(e.find("[extract]"), std::string::npos) << e;
  e = check("out = \"r\"\n");
  EXPECT_NE(e.find("outside any section"), std::string::npos) << e;
  e = check("[extract]\nout = \"r\"\nout = \"s\"\n");
  EXPECT_NE(e.find("line 3"), std::string::npos) << e;
  EXPECT_NE(e.find("redefine"), std::string::npos) << e;
  e = check("[extract]\nhelp = true\n");
  EXPECT_NE(e.find("unknown key 'help'"), std::string::npos) << e;
}

}  // namespace
}  // namespace warcpairs::cli
