// The review server over real HTTP on loopback (cpp-httplib's client): the token and its
// cookie, the Host check, the JSON API (escaping, bad parameters, decisions, conflicts),
// writes refused without a same-origin JSON body, images served only from plain tar names
// directly in RUN/images (a tampered tar path or a symlink out of the folder serves nothing),
// and nothing else served at all. Plus the context segments the page draws.
#include "../../../../src/stages/review/review_server.h"

#include <gtest/gtest.h>
#include <httplib.h>
#include <unistd.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "../../../../src/stages/review/review_api.h"
#include "../../store/store_fixture.h"
#include "warcpairs/core/error.h"
#include "warcpairs/html/image_record.h"
#include "warcpairs/image/decode.h"
#include "warcpairs/io/tar_writer.h"
#include "warcpairs/store/database.h"
#include "warcpairs/store/page_record.h"
#include "warcpairs/store/score_record.h"
#include "warcpairs/store/shard.h"

namespace warcpairs::stages {
namespace {
namespace fs = std::filesystem;
using nlohmann::json;

const std::string kXss = "<script>alert(1)</script>\"'&";

store::ScoreRecord stored(int64_t image, std::string tar) {
  return store::testing::stored_score(image, 0.1 * double(image), 32, 24, std::move(tar));
}

// A run: 4 images on one page (image 1's alt is an XSS string), images 1..3 "stored": 1 in
// RUN/images/000000.tar, 2 with the tar path "../outside.tar", 3 in "evil.tar", a symlink
// to a tar outside RUN/images.
class ReviewServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("warcpairs_review_" + std::to_string(::getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "images");
    {
      store::ShardWriter w(dir_ / "a.h5", "extract");
      store::PageRecord p;
      p.url = "https://example.org/page", p.record_id = "<urn:uuid:1>", p.crawl_date = "2024-01-01T00:00:00Z";
      p.title = "A page", p.image_count = 4;
      const int64_t row = w.add_page(p);
      for (int i = 0; i < 4; ++i) {
        html::ImageRecord im;
        im.page_row = row, im.index = i;
        im.url = "https://img.example.org/" + std::to_string(i + 1) + ".jpg";
        im.alt = i == 0 ? kXss : "alt " + std::to_string(i + 1);
        im.context = "Grüße before — " + im.alt + " after";
        im.image_pos = 15;
        w.add_image(im);
      }
      store::FileSummary f;
      f.path = "/a.warc", f.status = "ok", f.pages = 1, f.images = 4;
      w.set_file(f);
      w.commit();
      store::ShardWriter s(dir_ / "score.h5", "score");
      s.add_score(stored(1, "000000.tar"));
      s.add_score(stored(2, "../outside.tar"));
      s.add_score(stored(3, "evil.tar"));
      s.commit();
      store::Database db(dir_ / "warcpairs.sqlite");
      db.merge_shard(dir_ / "a.h5");
      db.merge_shard(dir_ / "score.h5");
    }
    image::Image img{32, 24, std::vector<uint8_t>(32 * 24 * 3, 200)};
    const auto bytes = image::encode_jpeg(img);
    jpeg_.assign(bytes.begin(), bytes.end());
    for (const fs::path& tar : {dir_ / "images" / "000000.tar", dir_ / "outside.tar"}) {
      io::TarWriter t(tar);
      for (int i = 1; i <= 3; ++i) t.add("00000000" + std::to_string(i) + ".jpg", std::string_view(jpeg_));
      t.commit();
    }
    fs::create_symlink(dir_ / "outside.tar", dir_ / "images" / "evil.tar");

    ReviewServerOptions o;
    o.run_dir = dir_;
    o.reviewer = "default-reviewer";
    server_ = std::make_unique<ReviewServer>(o);
    thread_ = std::thread([this] { server_->serve(); });
    client_ = std::make_unique<httplib::Client>("127.0.0.1", server_->port());
    cookie_ = {{"Cookie", "warcpairs_review_" + std::to_string(server_->port()) + "=" + server_->token()}};
  }
  void TearDown() override {
    server_->stop();
    thread_.join();
    fs::remove_all(dir_);
  }
  httplib::Result get(const std::string& path, httplib::Headers h = {}) {
    h.insert(cookie_.begin(), cookie_.end());
    return client_->Get(path, h);
  }
  httplib::Result post(const json& body, httplib::Headers h = {}) {
    h.insert(cookie_.begin(), cookie_.end());
    return client_->Post("/api/decisions", h, body.dump(), "application/json");
  }

  fs::path dir_;
  std::string jpeg_;
  std::unique_ptr<ReviewServer> server_;
  std::thread thread_;
  std::unique_ptr<httplib::Client> client_;
  httplib::Headers cookie_;
};

TEST_F(ReviewServerTest, TheTokenIsNeededAndBecomesAPortBoundCookie) {
  EXPECT_EQ(client_->Get("/")->status, 403);
  EXPECT_EQ(client_->Get("/api/pairs")->status, 403);
  EXPECT_EQ(client_->Get("/?token=" + std::string(32, '0'))->status, 403);
  EXPECT_EQ(client_->Get("/", {{"Cookie", "warcpairs_review_1=" + server_->token()}})->status, 403);
  EXPECT_EQ(server_->token().size(), 32u);
  EXPECT_NE(server_->token(), random_token());
  auto r = client_->Get("/?token=" + server_->token());
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 303);
  EXPECT_EQ(r->get_header_value("Location"), "/");
  const std::string cookie = r->get_header_value("Set-Cookie");
  EXPECT_EQ(cookie.rfind("warcpairs_review_" + std::to_string(server_->port()) + "=" + server_->token() + ";", 0), 0u) << cookie;
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos);
  auto page = get("/");
  ASSERT_EQ(page->status, 200);
  EXPECT_NE(page->body.find("<script src=\"/review.js\""), std::string::npos);
  EXPECT_NE(page->get_header_value("Content-Security-Policy").find("script-src 'self'"), std::string::npos);
  EXPECT_EQ(page->get_header_value("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(get("/review.js")->status, 200);
  EXPECT_EQ(get("/review.css")->get_header_value("Content-Type"), "text/css; charset=utf-8");
  EXPECT_EQ(server_->url(), "http://127.0.0.1:" + std::to_string(server_->port()) + "/?token=" + server_->token());
}

TEST_F(ReviewServerTest, ABusyPortIsAnErrorNotASharedPort) {
  ReviewServerOptions o;
  o.run_dir = dir_;
  o.port = server_->port();
  EXPECT_THROW(ReviewServer{o}, Error);
}

TEST_F(ReviewServerTest, OtherHostNamesAreRefused) {  // DNS rebinding: evil.example -> 127.0.0.1
  EXPECT_EQ(get("/", {{"Host", "evil.example:" + std::to_string(server_->port())}})->status, 421);
  EXPECT_EQ(get("/", {{"Host", "localhost:" + std::to_string(server_->port())}})->status, 200);
}

TEST_F(ReviewServerTest, NothingButThePageTheApiAndStoredImagesIsServed) {
  for (const char* path : {"/warcpairs.sqlite", "/images/000000.tar", "/review_page/review.js", "/../../etc/passwd",
                           "/%2e%2e/%2e%2e/etc/passwd", "/image/../warcpairs.sqlite", "/index.html", "/api"})
    EXPECT_EQ(get(path)->status, 404) << path;
}

TEST_F(ReviewServerTest, PairsAreJsonWithTheMarkupAsText) {
  auto r = get("/api/pairs?limit=2&order=clip-desc");
  ASSERT_EQ(r->status, 200);
  EXPECT_EQ(r->get_header_value("Cache-Control"), "no-store");
  const json j = json::parse(r->body);
  EXPECT_EQ(j["total"], 4);
  EXPECT_EQ(j["reviewer"], "default-reviewer");
  ASSERT_EQ(j["pairs"].size(), 2u);
  EXPECT_EQ(j["pairs"][0]["image_id"], 3);  // CLIP 0.3 first
  const json all = json::parse(get("/api/pairs")->body);
  const json& first = all["pairs"][0];
  EXPECT_EQ(first["alt"], kXss);  // the string itself; the page sets it as text
  EXPECT_EQ(r->body.find("<script>"), std::string::npos);  // JSON escapes nothing, but the type is JSON
  EXPECT_EQ(r->get_header_value("Content-Type"), "application/json; charset=utf-8");
  std::string context;
  for (const auto& s : first["context"]) context += s["t"].get<std::string>();
  EXPECT_EQ(context, "Grüße before — " + kXss + " after");
  EXPECT_EQ(first["context"][1]["k"], "image");  // at code point 15, after "Grüße before — "
  EXPECT_EQ(first["image"], "/image/1");
  EXPECT_TRUE(all["pairs"][3]["image"].is_null());
  EXPECT_EQ(all["counts"]["undecided"], 4);
  for (const char* bad : {"/api/pairs?filter=bogus", "/api/pairs?limit=0", "/api/pairs?limit=1000",
                          "/api/pairs?offset=-1", "/api/pairs?offset=x", "/api/pairs?order=random"}) {
    auto b = get(bad);
    EXPECT_EQ(b->status, 400) << bad;
    EXPECT_TRUE(json::parse(b->body).contains("error")) << bad;
  }
}

TEST_F(ReviewServerTest, DecisionsAreSavedCheckedAndRefusedWhenStale) {
  auto a = post({{"image_id", 1}, {"action", "accept"}, {"expected", 0}});
  ASSERT_EQ(a->status, 200) << a->body;
  const json saved = json::parse(a->body);
  EXPECT_EQ(saved["status"], "saved");
  EXPECT_EQ(saved["decision"]["reviewer"], "default-reviewer");
  EXPECT_EQ(saved["counts"]["accept"], 1);
  const int64_t version = saved["version"];
  auto stale = post({{"image_id", 1}, {"action", "reject"}, {"expected", 0}});
  EXPECT_EQ(stale->status, 409);
  EXPECT_EQ(json::parse(stale->body)["decision"]["action"], "accept");
  auto e = post({{"image_id", 1}, {"action", "edit"}, {"expected", version},
                 {"text", "  a red\n\tferry  "}, {"reviewer", "bob\x01"}});
  ASSERT_EQ(e->status, 200) << e->body;
  EXPECT_EQ(json::parse(e->body)["decision"]["text"], "a red ferry");  // one line, one space
  EXPECT_EQ(json::parse(e->body)["decision"]["reviewer"], "bob");
  EXPECT_EQ(json::parse(get("/api/pairs/1/history")->body).size(), 2u);
  EXPECT_EQ(json::parse(get("/api/pairs?filter=edited")->body)["total"], 1);
  EXPECT_EQ(server_->decisions_saved(), 2);

  EXPECT_EQ(post({{"image_id", 2}, {"action", "edit"}, {"expected", 0}, {"text", " "}})->status, 400);
  EXPECT_EQ(post({{"image_id", 2}, {"action", "delete"}, {"expected", 0}})->status, 400);
  EXPECT_EQ(post({{"image_id", 99}, {"action", "accept"}, {"expected", 0}})->status, 404);
  EXPECT_EQ(post({{"image_id", "2"}, {"action", "accept"}})->status, 400);
  auto h = cookie_;
  EXPECT_EQ(client_->Post("/api/decisions", h, "{not json", "application/json")->status, 400);
  EXPECT_EQ(client_->Post("/api/decisions", h, R"({"image_id":2,"action":"accept"})", "text/plain")->status, 415);
  h.insert({"Origin", "http://evil.example"});
  EXPECT_EQ(client_->Post("/api/decisions", h, R"({"image_id":2,"action":"accept"})", "application/json")->status, 403);
  EXPECT_EQ(client_->Post("/api/decisions", R"({"image_id":2,"action":"accept"})", "application/json")->status, 403);
  EXPECT_EQ(server_->decisions_saved(), 2);
}

TEST_F(ReviewServerTest, ImagesOnlyFromPlainTarNamesInsideTheRun) {
  auto r = get("/image/1");
  ASSERT_EQ(r->status, 200);
  EXPECT_EQ(r->body, jpeg_);
  EXPECT_EQ(r->get_header_value("Content-Type"), "image/jpeg");
  EXPECT_EQ(get("/image/2")->status, 404);  // tar "../outside.tar" in the database
  EXPECT_EQ(get("/image/3")->status, 404);  // images/evil.tar links outside the folder
  EXPECT_EQ(get("/image/4")->status, 404);  // not scored
  EXPECT_EQ(get("/image/99999999999999999999")->status, 404);
}

TEST(ReviewServerOptionsTest, ANonLoopbackHostNeedsAllowRemote) {
  ReviewServerOptions o;
  o.run_dir = "/nonexistent";
  o.host = "0.0.0.0";
  EXPECT_THROW(ReviewServer{o}, UsageError);
  o.host = "127.0.0.1";
  EXPECT_THROW(ReviewServer{o}, Error);  // no database
}

store::ReviewPair with_context(std::string context, int32_t image_pos, int32_t s0, int32_t s1) {
  store::ReviewPair p;
  p.context = std::move(context);
  p.image_pos = image_pos, p.span_start = s0, p.span_end = s1;
  return p;
}

std::string shape(const json& segments) {
  std::string out;
  for (const auto& s : segments)
    out += s["k"] == "image" ? std::string("[img]") : s["k"] == "span" ? "<" + s["t"].get<std::string>() + ">" : s["t"].get<std::string>();
  return out;
}

TEST(ReviewContextTest, SpanAndImageMarkerAtCodePoints) {
  EXPECT_EQ(shape(context_segments(with_context("äöü a cat here", 4, 6, 9))), "äöü [img]a <cat> here");
  EXPECT_EQ(shape(context_segments(with_context("äöü a cat here", 14, 6, 9))), "äöü a <cat> here[img]");
  EXPECT_EQ(shape(context_segments(with_context("äöü a cat here", 7, 6, 9))), "äöü a <cat>[img] here");  // never inside
  EXPECT_EQ(shape(context_segments(with_context("äöü a cat here", 0, -1, -1))), "[img]äöü a cat here");
  EXPECT_EQ(shape(context_segments(with_context("短い", 99, 1, 99))), "短<い>[img]");  // clamped
  EXPECT_EQ(shape(context_segments(with_context("", 0, -1, -1))), "[img]");
}

}  // namespace
}  // namespace warcpairs::stages
