// merge_bench: times Database::merge_shard (shards → SQLite) against the sqlite3 CLI's
// `.import --csv` of the same rows into the same schema, and against the disk: writing as many
// bytes as the merged database has, then fdatasync (the physical ceiling of a durable merge).
#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "synthetic_rows.h"
#include "warcpairs/core/cpu_time.h"
#include "warcpairs/store/database.h"
#include "warcpairs/store/shard.h"

namespace fs = std::filesystem;
using namespace warcpairs;
using Clock = std::chrono::steady_clock;

namespace {

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

void csv_text(std::string& out, const std::string& s) {
  out += '"';
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

template <class... T>
void csv_row(std::string& out, const T&... fields) {
  bool first = true;
  auto put = [&](const auto& f) {
    if (!first) out += ',';
    first = false;
    if constexpr (std::is_convertible_v<decltype(f), const std::string&>) csv_text(out, f);
    else out += std::to_string(f);
  };
  (put(fields), ...);
  out += '\n';
}

struct Plan {
  bench::RowShape shape;
  int64_t pages;
  int64_t pages_per_shard;
  fs::path dir;
  int64_t rows() const { return pages * (1 + shape.images_per_page); }
  int64_t shards() const { return (pages + pages_per_shard - 1) / pages_per_shard; }
  fs::path shard(int64_t s) const { return dir / ("shard-" + std::to_string(s) + ".h5"); }
};

// Pass 1 (shards) and pass 2 (CSV) draw the same rows from the same seed.
template <class Sink>
void generate(const Plan& plan, Sink&& sink) {
  bench::SyntheticRows gen(plan.shape, 42);
  store::PageRecord page;
  html::ImageRecord image;
  int64_t image_i = 0;
  for (int64_t s = 0; s < plan.shards(); ++s) {
    int64_t first = s * plan.pages_per_shard;
    int64_t last = std::min(plan.pages, first + plan.pages_per_shard);
    sink.begin_shard(s, last - first);
    for (int64_t p = first; p < last; ++p) {
      gen.page(p, page);
      int64_t row = sink.page(page, p);
      for (int k = 0; k < plan.shape.images_per_page; ++k) {
        gen.image(image_i++, row, k, image);
        sink.image(image, p);
      }
    }
    sink.end_shard(s, last - first);
  }
}

struct ShardSink {
  const Plan& plan;
  std::unique_ptr<store::ShardWriter> w;
  void begin_shard(int64_t s, int64_t) { w = std::make_unique<store::ShardWriter>(plan.shard(s), "extract"); }
  int64_t page(const store::PageRecord& p, int64_t) { return w->add_page(p); }
  void image(const html::ImageRecord& im, int64_t) { w->add_image(im); }
  void end_shard(int64_t s, int64_t n) {
    store::FileSummary f;
    f.path = "/warc/file-" + std::to_string(s) + ".warc.gz";
    f.status = "ok";
    f.pages = n;
    f.images = n * plan.shape.images_per_page;
    w->set_file(f);
    w->commit();
    w.reset();
  }
};

// Same ids as merge assigns: files and pages in shard order, images in row order.
struct CsvSink {
  const Plan& plan;
  std::FILE* files;
  std::FILE* pages;
  std::FILE* images;
  std::string pbuf, ibuf, fbuf;
  int64_t image_id = 0;
  static void flush(std::string& buf, std::FILE* f) {
    std::fwrite(buf.data(), 1, buf.size(), f);
    buf.clear();
  }
  void begin_shard(int64_t, int64_t) {}
  int64_t page(const store::PageRecord& p, int64_t global) {
    csv_row(pbuf, global + 1, int64_t{0} + current_file, p.warc_offset, p.member_offset, p.record_id, p.url,
            p.crawl_date, p.http_status, p.content_type, p.charset, p.language, p.title,
            p.image_count);
    if (pbuf.size() > (1 << 20)) flush(pbuf, pages);
    return global - (current_file - 1) * plan.pages_per_shard;
  }
  void image(const html::ImageRecord& im, int64_t global_page) {
    csv_row(ibuf, ++image_id, global_page + 1, im.index, im.url, im.src, im.srcset, im.alt,
            int{im.has_alt}, im.title, im.width, im.height, im.figcaption, im.dom_path,
            im.context, im.image_pos, im.label_start, im.label_end);
    if (ibuf.size() > (1 << 20)) flush(ibuf, images);
  }
  void end_shard(int64_t s, int64_t n) {
    flush(pbuf, pages);
    flush(ibuf, images);
    csv_row(fbuf, s + 1, "/warc/file-" + std::to_string(s) + ".warc.gz", 0, std::string("ok"), 0,
            n, n * plan.shape.images_per_page, 0, std::string());
    flush(fbuf, files);
    ++current_file;
  }
  int64_t current_file = 1;
};

struct Timing { double wall, cpu; };

Timing time_merge(const Plan& plan, const fs::path& db_path) {
  auto t0 = Clock::now();
  double c0 = process_cpu_seconds();
  {
    store::Database db(db_path);
    for (int64_t s = 0; s < plan.shards(); ++s) db.merge_shard(plan.shard(s));
  }
  return {seconds_since(t0), process_cpu_seconds() - c0};
}

// The disk's share: `bytes` of non-zero data in 4 MiB writes, then fdatasync, like `dd
// conv=fdatasync`. A merge that fsyncs its commits cannot beat this for the same bytes.
double time_disk(const fs::path& path, uint64_t bytes) {
  std::vector<char> block(4 << 20);
  for (std::size_t i = 0; i < block.size(); ++i) block[i] = static_cast<char>(i * 131 + 7);
  auto t0 = Clock::now();
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) throw std::runtime_error("cannot create " + path.string());
  for (uint64_t done = 0; done < bytes;) {
    std::size_t n = static_cast<std::size_t>(std::min<uint64_t>(block.size(), bytes - done));
    if (::write(fd, block.data(), n) != static_cast<ssize_t>(n)) throw std::runtime_error("write");
    done += n;
  }
  ::fdatasync(fd);
  ::close(fd);
  double s = seconds_since(t0);
  fs::remove(path);
  return s;
}

// Reading alone, to show how merge time splits between HDF5 and SQLite.
double time_read(const Plan& plan) {
  auto t0 = Clock::now();
  std::vector<store::PageRecord> pages;
  std::vector<html::ImageRecord> images;
  for (int64_t s = 0; s < plan.shards(); ++s) {
    store::ShardReader r(plan.shard(s));
    for (int64_t f = 0; f < r.page_count(); f += 4096) r.read_pages(f, 4096, pages);
    for (int64_t f = 0; f < r.image_count(); f += 4096) r.read_images(f, 4096, images);
  }
  return seconds_since(t0);
}

double time_import(const Plan& plan, const fs::path& db_path) {
  const fs::path script = plan.dir / "import.sql";
  // WARCPAIRS_BENCH_SCHEMA: the schema file when the source tree is not where it was built.
  const char* schema = std::getenv("WARCPAIRS_BENCH_SCHEMA");
  std::ofstream(script) << ".read " << (schema ? schema : WARCPAIRS_SCHEMA_SQL) << "\n"
                        << ".import --csv " << (plan.dir / "files.csv").string() << " files\n"
                        << ".import --csv " << (plan.dir / "pages.csv").string() << " pages\n"
                        << ".import --csv " << (plan.dir / "images.csv").string() << " images\n";
  // Any message from sqlite3 (a rejected row) means the rows differ: keep it, then fail.
  std::string cmd = "sqlite3 -bail " + db_path.string() + " < " + script.string() + " 2>&1 | head -5";
  auto t0 = Clock::now();
  if (std::system(cmd.c_str()) != 0) throw std::runtime_error("sqlite3 .import failed");
  return seconds_since(t0);
}

std::string fingerprint(const fs::path& db_path) {
  sqlite3* db = nullptr;
  sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db,
                     "SELECT (SELECT count(*) || '/' || sum(length(title)) || '/' || sum(page_id) "
                     "|| '/' || sum(file_id) FROM pages) || ' ' || (SELECT count(*) || '/' || "
                     "sum(length(context)) || '/' || sum(page_id) || '/' || sum(label_start) || "
                     "'/' || sum(width) FROM images)",
                     -1, &st, nullptr);
  std::string out = sqlite3_step(st) == SQLITE_ROW
                        ? reinterpret_cast<const char*>(sqlite3_column_text(st, 0)) : "?";
  sqlite3_finalize(st);
  sqlite3_close(db);
  return out;
}

uint64_t dir_bytes(const fs::path& dir, const std::string& ext) {
  uint64_t n = 0;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ext) n += e.file_size();
  return n;
}

struct Result { double ours, ours_cpu, import, disk, disk_mb_s; };

Result run(const Plan& plan) {
  fs::remove_all(plan.dir);
  fs::create_directories(plan.dir);
  auto t0 = Clock::now();
  generate(plan, ShardSink{plan, nullptr});
  double write_s = seconds_since(t0);
  {
    CsvSink csv{plan, std::fopen((plan.dir / "files.csv").c_str(), "w"),
                std::fopen((plan.dir / "pages.csv").c_str(), "w"),
                std::fopen((plan.dir / "images.csv").c_str(), "w"), {}, {}, {}};
    generate(plan, csv);
    std::fclose(csv.files);
    std::fclose(csv.pages);
    std::fclose(csv.images);
  }
  // Each timed phase starts with nothing dirty in the page cache: otherwise the writeback of
  // the previous phase's files (shards, CSV: ~700 MB at scale 1) lands in the next one.
  ::sync();
  double read_s = time_read(plan);
  ::sync();
  Timing ours = time_merge(plan, plan.dir / "ours.sqlite");
  ::sync();
  double import = time_import(plan, plan.dir / "import.sqlite");
  const uint64_t db_bytes = fs::file_size(plan.dir / "ours.sqlite");
  ::sync();
  double disk = time_disk(plan.dir / "disk.bin", db_bytes);
  std::string a = fingerprint(plan.dir / "ours.sqlite"), b = fingerprint(plan.dir / "import.sqlite");
  std::printf("%-9s %lld rows in %lld shards: shard write %.0f rows/s, read %.0f rows/s, shards %.1f MB, csv %.1f MB, "
              "db %.1f MB; same content: %s\n",
              plan.shape.name, static_cast<long long>(plan.rows()),
              static_cast<long long>(plan.shards()), plan.rows() / write_s, plan.rows() / read_s,
              dir_bytes(plan.dir, ".h5") / 1e6, dir_bytes(plan.dir, ".csv") / 1e6,
              fs::file_size(plan.dir / "ours.sqlite") / 1e6, a == b ? "yes" : ("NO " + a + " vs " + b).c_str());
  if (a != b) std::exit(1);
  return {plan.rows() / ours.wall, plan.rows() / ours.cpu, plan.rows() / import,
          plan.rows() / disk, db_bytes / disk / 1e6};
}

}  // namespace

int main(int argc, char** argv) {
  fs::path dir = argc > 1 ? fs::path(argv[1]) : fs::temp_directory_path() / "warcpairs_merge_bench";
  double scale = argc > 2 ? std::atof(argv[2]) : 1.0;
  Plan realistic{bench::kRealistic, static_cast<int64_t>(50000 * scale), 5000, dir / "realistic"};
  Plan small{bench::kSmall, static_cast<int64_t>(200000 * scale), 20000, dir / "small"};
  Result r = run(realistic);
  Result s = run(small);
  // disk rows/s: the same bytes as the merged database written and fdatasync'ed (time_disk).
  std::printf("\n| variant | ours rows/s | ours rows per CPU-s | sqlite3 .import rows/s | ours/.import "
              "| disk rows/s (MB/s) | ours/disk |\n");
  std::printf("|---|---:|---:|---:|---:|---:|---:|\n");
  for (auto [name, res] : {std::pair{"realistic", r}, std::pair{"small", s}})
    std::printf("| %s | %.0f | %.0f | %.0f | %.2f | %.0f (%.0f) | %.2f |\n", name, res.ours,
                res.ours_cpu, res.import, res.ours / res.import, res.disk, res.disk_mb_s,
                res.ours / res.disk);
  // WARCPAIRS_BENCH_KEEP=1 leaves the shards for profiling merge alone.
  const char* keep = std::getenv("WARCPAIRS_BENCH_KEEP");
  if (!keep || std::string(keep) != "1") fs::remove_all(dir);
  return 0;
}
