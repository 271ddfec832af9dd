// read_id_list: the lists search writes (JSON lines, CSV with descriptions that hold commas and
// quotes), plain id files, and what it refuses (with the file and line).
#include "warcpairs/stages/common/id_list.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

#include "warcpairs/core/error.h"

namespace warcpairs::stages {
namespace {
namespace fs = std::filesystem;

fs::path write(const std::string& name, const std::string& text) {
  const fs::path p = fs::temp_directory_path() / ("warcpairs_ids_" + std::to_string(::getpid()) + "_" + name);
  std::ofstream(p, std::ios::binary) << text;
  return p;
}

using Ids = std::unordered_set<int64_t>;

TEST(IdList, ReadsJsonLinesCsvAndPlainIds) {
  EXPECT_EQ(read_id_list(write("a.jsonl", "{\"image_id\": 7, \"similarity\": 0.3}\n{\"url\": \"x\", \"image_id\": 12}\n")),
            (Ids{7, 12}));
  EXPECT_EQ(read_id_list(write("b.csv", "image_id,similarity,bm25,url,description\n"
                                        "5,0.5,,http://a/b.jpg,\"a, b and \"\"c\"\"\"\r\n3,0.4,,u,d\n")),
            (Ids{5, 3}));
  EXPECT_EQ(read_id_list(write("c.csv", "url,image_id\nhttp://x,41\nhttp://y,42\n")), (Ids{41, 42}));
  EXPECT_EQ(read_id_list(write("d.txt", "1\n2\n\n2\n")), (Ids{1, 2}));
  EXPECT_TRUE(read_id_list(write("e.txt", "")).empty());
}

TEST(IdList, RefusesWhatItCannotRead) {
  try {
    read_id_list(write("f.txt", "1\nnot-an-id\n"));
    FAIL();
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("line 2"), std::string::npos) << e.what();
  }
  EXPECT_THROW(read_id_list(write("g.jsonl", "{\"id\": 3}\n")), UsageError);
  EXPECT_THROW(read_id_list(write("h.csv", "x,y\n1,2\n")), UsageError);
  EXPECT_THROW(read_id_list("/nonexistent/ids.txt"), UsageError);
}

}  // namespace
}  // namespace warcpairs::stages
