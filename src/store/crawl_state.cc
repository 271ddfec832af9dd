// CrawlState: the crawler's frontier, seen set, robots.txt cache and committed parts in SQLite.
#include "warcpairs/store/crawl_state.h"

#include <algorithm>

#include "sqlite_handle.h"

namespace warcpairs::store {
namespace {

// WAL + synchronous=FULL: a killed leader leaves the last committed transaction, never a half
// one, as with the rollback journal, but a commit costs one fsync (the WAL's) instead of four
// (journal, its header, database, journal deleted): the leader commits every part, and each
// BFS level waits for its last parts' commits (bench/crawl, BENCHMARKS.md). Exclusive locking
// (only the leader opens it; the run lock keeps other crawls out), set before WAL: the WAL
// index then lives in the leader's memory, not in an mmapped -shm file, which network file
// systems do not support.
constexpr const char* kSchema = R"sql(
PRAGMA locking_mode = EXCLUSIVE;
PRAGMA journal_mode = WAL;
PRAGMA synchronous = FULL;
BEGIN;  -- one transaction (one fsync) for the whole schema, not one per statement
CREATE TABLE IF NOT EXISTS urls (
  id INTEGER PRIMARY KEY,
  url TEXT NOT NULL UNIQUE,
  origin TEXT NOT NULL,
  depth INTEGER NOT NULL,
  kind INTEGER NOT NULL,      -- store::UrlKind
  state INTEGER NOT NULL,     -- store::UrlState
  outcome TEXT,               -- done: "ok" or the transfer's reason; disallowed/capped: why
  status INTEGER,
  part TEXT,                  -- the WARC part holding its records
  digest TEXT,                -- payload digest of a response eligible for deduplication
  date TEXT,                  -- its WARC-Date
  record INTEGER,             -- 1: its record is a response, 2: a revisit (finalize)
  tries INTEGER NOT NULL DEFAULT 0  -- reruns that fetched it again after a failure
);
CREATE INDEX IF NOT EXISTS urls_queue ON urls(origin, state, depth, id);
CREATE TABLE IF NOT EXISTS robots (
  origin TEXT PRIMARY KEY, status INTEGER NOT NULL, body BLOB, fetched_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS parts (
  name TEXT PRIMARY KEY, records INTEGER NOT NULL, bytes INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS payloads (
  digest TEXT PRIMARY KEY, uri TEXT NOT NULL, date TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
COMMIT;
)sql";

// Columns added after the first crawls: an older state gains them (NULL / 0 for old rows).
void migrate(sqlite3* db) {
  bool has_tries = false;
  {
    sql::Statement s(db, "SELECT name FROM pragma_table_info('urls')");
    while (s.step()) has_tries = has_tries || std::string_view(s.column_text(0)) == "tries";
  }
  if (!has_tries)
    sql::exec(db,
              "ALTER TABLE urls ADD COLUMN digest TEXT; ALTER TABLE urls ADD COLUMN date TEXT; "
              "ALTER TABLE urls ADD COLUMN record INTEGER; "
              "ALTER TABLE urls ADD COLUMN tries INTEGER NOT NULL DEFAULT 0;");
  sql::exec(db, "CREATE INDEX IF NOT EXISTS urls_digest ON urls(digest) WHERE digest IS NOT NULL;");
}

const char* state_name(int s) {
  switch (static_cast<UrlState>(s)) {
    case UrlState::queued: return "queued";
    case UrlState::done: return "done";
    case UrlState::disallowed: return "disallowed";
    case UrlState::capped: return "capped";
  }
  return "unknown";
}

}  // namespace

struct CrawlState::Impl {
  sql::Connection db;
  sql::Statement find, insert, lower_depth, finish, queued, add_part, find_part, put_robots, get_robots,
      find_payload, set_payload, mark_revisit;

  explicit Impl(const std::string& path)
      : db((sql::open(path))),
        find((sql::exec(db.get(), kSchema), migrate(db.get()), db.get()),
             "SELECT id, depth, state FROM urls WHERE url = ?1"),
        insert(db.get(),
               "INSERT INTO urls(url, origin, depth, kind, state, outcome) VALUES(?1,?2,?3,?4,?5,?6)"),
        lower_depth(db.get(), "UPDATE urls SET depth = ?2, state = ?3 WHERE id = ?1"),
        finish(db.get(),
               "UPDATE urls SET state = ?2, outcome = ?3, status = ?4, part = ?5 WHERE id = ?1"),
        queued(db.get(),
               "SELECT id, url, depth, kind FROM urls WHERE origin = ?1 AND state = 0 "
               "ORDER BY depth, id LIMIT ?2"),
        add_part(db.get(), "INSERT INTO parts(name, records, bytes) VALUES(?1,?2,?3)"),
        find_part(db.get(), "SELECT 1 FROM parts WHERE name = ?1"),
        put_robots(db.get(),
                   "INSERT OR REPLACE INTO robots(origin, status, body, fetched_at) VALUES(?1,?2,?3,?4)"),
        get_robots(db.get(), "SELECT status, body, fetched_at FROM robots WHERE origin = ?1"),
        find_payload(db.get(), "SELECT uri, date FROM payloads WHERE digest = ?1"),
        set_payload(db.get(), "UPDATE urls SET digest = ?2, date = ?3, record = 1 WHERE id = ?1"),
        mark_revisit(db.get(), "UPDATE urls SET record = 2 WHERE id = ?1") {}
};

CrawlState::CrawlState(const std::filesystem::path& path)
    : impl_(std::make_unique<Impl>(path.string())) {}
CrawlState::~CrawlState() = default;

int CrawlState::begin_attempt() {
  sql::exec(impl_->db.get(),
            "INSERT INTO meta(key, value) VALUES('attempt', 1) "
            "ON CONFLICT(key) DO UPDATE SET value = value + 1");
  sql::Statement s(impl_->db.get(), "SELECT value FROM meta WHERE key = 'attempt'");
  s.step();
  return static_cast<int>(s.column_int64(0));
}

void CrawlState::begin() { sql::exec(impl_->db.get(), "BEGIN IMMEDIATE"); }
void CrawlState::commit() { sql::exec(impl_->db.get(), "COMMIT"); }

CrawlState::Added CrawlState::add(const FrontierUrl& u, UrlState state, std::string_view reason,
                                  int revive_at_or_below) {
  auto& f = impl_->find;
  f.bind(1, u.url);
  if (f.step()) {
    const int64_t id = f.column_int64(0);
    const int depth = static_cast<int>(f.column_int64(1));
    const auto old = static_cast<UrlState>(f.column_int64(2));
    f.reset();
    if (depth <= u.depth || (old != UrlState::queued && old != UrlState::capped)) return {};
    const bool revive = old == UrlState::capped && u.depth <= revive_at_or_below;
    auto& l = impl_->lower_depth;
    l.bind(1, id);
    l.bind(2, u.depth);
    l.bind(3, static_cast<int64_t>(revive ? UrlState::queued : old));
    l.run();
    Added a;
    a.id = id;
    a.revived = revive;
    if (old == UrlState::queued) a.lowered_from = depth;
    return a;
  }
  f.reset();
  auto& s = impl_->insert;
  s.bind(1, u.url);
  s.bind(2, u.origin);
  s.bind(3, u.depth);
  s.bind(4, static_cast<int64_t>(u.kind));
  s.bind(5, static_cast<int64_t>(state));
  if (reason.empty()) s.bind_null(6);
  else s.bind(6, reason);
  s.run();
  Added a;
  a.id = sqlite3_last_insert_rowid(impl_->db.get());
  a.inserted = true;
  return a;
}

std::vector<FrontierUrl> CrawlState::queued(std::string_view origin, int limit) {
  std::vector<FrontierUrl> out;
  auto& s = impl_->queued;
  s.bind(1, origin);
  s.bind(2, limit);
  while (s.step())
    out.push_back({s.column_int64(0), std::string(s.column_text(1)), std::string(origin),
                   static_cast<int>(s.column_int64(2)), static_cast<UrlKind>(s.column_int64(3))});
  s.reset();
  return out;
}

std::map<std::string, int64_t> CrawlState::queued_per_origin() {
  std::map<std::string, int64_t> out;
  sql::Statement s(impl_->db.get(), "SELECT origin, COUNT(*) FROM urls WHERE state = 0 GROUP BY origin");
  while (s.step()) out[std::string(s.column_text(0))] = s.column_int64(1);
  return out;
}

std::map<int, int64_t> CrawlState::queued_per_depth() {
  std::map<int, int64_t> out;
  sql::Statement s(impl_->db.get(),
                   "SELECT depth, COUNT(*) FROM urls WHERE state = 0 AND kind != 3 GROUP BY depth");
  while (s.step()) out[static_cast<int>(s.column_int64(0))] = s.column_int64(1);
  return out;
}

std::map<std::string, int64_t> CrawlState::pages_per_origin() {
  std::map<std::string, int64_t> out;
  sql::Statement s(impl_->db.get(),
                   "SELECT origin, COUNT(*) FROM urls WHERE state IN (0, 1) AND kind != 3 GROUP BY origin");
  while (s.step()) out[std::string(s.column_text(0))] = s.column_int64(1);
  return out;
}

void CrawlState::finish(int64_t id, UrlState state, std::string_view outcome, int status,
                        std::string_view part) {
  auto& s = impl_->finish;
  s.bind(1, id);
  s.bind(2, static_cast<int64_t>(state));
  s.bind(3, outcome);
  s.bind(4, status);
  if (part.empty()) s.bind_null(5);
  else s.bind(5, part);
  s.run();
}

CrawlState::Requeued CrawlState::requeue_failed(int max_tries) {
  Requeued out;
  std::vector<std::string> origins;
  {
    sql::Statement s(impl_->db.get(),
                     "UPDATE urls SET state = 0, tries = tries + 1, outcome = NULL, status = NULL "
                     "WHERE state = 1 AND part IS NULL AND tries < ?1 AND outcome IN "
                     "('connect_failed', 'transfer_error', 'timeout', 'dns_failed') "
                     "RETURNING origin, kind");
    s.bind(1, static_cast<int64_t>(max_tries));
    while (s.step()) {
      ++out.urls;
      if (static_cast<UrlKind>(s.column_int64(1)) == UrlKind::robots)
        origins.emplace_back(s.column_text(0));
    }
  }
  sql::Statement drop(impl_->db.get(), "DELETE FROM robots WHERE origin = ?1");
  sql::Statement again(impl_->db.get(),
                       "UPDATE urls SET state = 0, outcome = NULL WHERE origin = ?1 AND state = 2 "
                       "AND outcome = 'robots'");
  for (const std::string& o : origins) {
    drop.bind(1, o);
    drop.run();
    again.bind(1, o);
    again.run();
    out.disallowed += sqlite3_changes(impl_->db.get());
  }
  out.origins = static_cast<int64_t>(origins.size());
  return out;
}

void CrawlState::add_part(std::string_view name, int64_t records, int64_t bytes) {
  auto& s = impl_->add_part;
  s.bind(1, name);
  s.bind(2, records);
  s.bind(3, bytes);
  s.run();
}

bool CrawlState::part_committed(std::string_view name) {
  auto& s = impl_->find_part;
  s.bind(1, name);
  const bool found = s.step();
  s.reset();
  return found;
}

std::optional<StoredPayload> CrawlState::payload(std::string_view digest) {
  auto& s = impl_->find_payload;
  s.bind(1, digest);
  std::optional<StoredPayload> out;
  if (s.step())
    out = StoredPayload{std::string(digest), std::string(s.column_text(0)), std::string(s.column_text(1))};
  s.reset();
  return out;
}

void CrawlState::set_payload(int64_t id, std::string_view digest, std::string_view date) {
  auto& s = impl_->set_payload;
  s.bind(1, id);
  s.bind(2, digest);
  s.bind(3, date);
  s.run();
}

std::vector<CrawlState::PendingRevisit> CrawlState::pending_revisits() {
  std::vector<PendingRevisit> out;
  sql::Statement s(impl_->db.get(),
                   "SELECT u.digest, u.url, u.id, COALESCE(u.part, ''), COALESCE(u.date, ''), "
                   "COALESCE(u.record, 0), p.uri, p.date FROM urls u "
                   "LEFT JOIN payloads p ON p.digest = u.digest "
                   "WHERE u.digest IN (SELECT digest FROM urls WHERE digest IS NOT NULL "
                   "GROUP BY digest HAVING COUNT(*) > 1) "
                   "ORDER BY u.digest, u.url");  // BINARY collation: bytewise
  std::string digest, owner_uri, owner_date;
  while (s.step()) {
    const std::string_view d = s.column_text(0), url = s.column_text(1);
    if (d != digest) {  // the group's first row: the smallest URL, unless an owner is settled
      digest = d;
      const bool settled = !s.column_null(6);
      owner_uri = settled ? s.column_text(6) : url;
      owner_date = settled ? s.column_text(7) : s.column_text(4);
    }
    if (url == owner_uri || s.column_int64(5) != 1) continue;
    out.push_back({s.column_int64(2), std::string(url), std::string(s.column_text(3)), digest,
                   owner_uri, owner_date});
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const PendingRevisit& a, const PendingRevisit& b) { return a.part < b.part; });
  return out;
}

void CrawlState::mark_revisit(int64_t id) {
  auto& s = impl_->mark_revisit;
  s.bind(1, id);
  s.run();
}

void CrawlState::settle_owners() {
  // Ordered by URL, so where two responses of one digest were left (none should be), the
  // smallest URL wins as in pending_revisits.
  sql::exec(impl_->db.get(),
            "INSERT OR IGNORE INTO payloads(digest, uri, date) SELECT digest, url, date FROM urls "
            "WHERE digest IS NOT NULL AND record = 1 ORDER BY digest, url");
}

std::optional<FrontierUrl> CrawlState::requeue_robots(std::string_view origin) {
  sql::Statement s(impl_->db.get(),
                   "UPDATE urls SET state = 0 WHERE origin = ?1 AND kind = 3 AND state = 1 "
                   "RETURNING id, url, depth");
  s.bind(1, origin);
  std::optional<FrontierUrl> out;
  if (s.step())
    out = FrontierUrl{s.column_int64(0), std::string(s.column_text(1)), std::string(origin),
                      static_cast<int>(s.column_int64(2)), UrlKind::robots};
  while (s.step()) {
  }
  return out;
}

void CrawlState::save_robots(std::string_view origin, const OriginRobots& r) {
  auto& s = impl_->put_robots;
  s.bind(1, origin);
  s.bind(2, r.status);
  s.bind(3, r.body);
  s.bind_double(4, r.fetched_at);
  s.run();
}

std::optional<OriginRobots> CrawlState::robots(std::string_view origin) {
  auto& s = impl_->get_robots;
  s.bind(1, origin);
  std::optional<OriginRobots> out;
  if (s.step())
    out = OriginRobots{static_cast<int>(s.column_int64(0)), std::string(s.column_text(1)),
                       s.column_double(2)};
  s.reset();
  return out;
}

std::map<std::string, int64_t> CrawlState::count_by_state() {
  std::map<std::string, int64_t> out;
  sql::Statement s(impl_->db.get(), "SELECT state, COUNT(*) FROM urls GROUP BY state");
  while (s.step()) out[state_name(static_cast<int>(s.column_int64(0)))] = s.column_int64(1);
  return out;
}

std::map<std::string, int64_t> CrawlState::count_by_outcome() {
  std::map<std::string, int64_t> out;
  sql::Statement s(impl_->db.get(),
                   "SELECT COALESCE(outcome, ''), COUNT(*) FROM urls WHERE state != 0 GROUP BY 1");
  while (s.step()) out[std::string(s.column_text(0))] = s.column_int64(1);
  return out;
}

int64_t CrawlState::pages_done() {
  sql::Statement s(impl_->db.get(), "SELECT COUNT(*) FROM urls WHERE state = 1 AND kind = 0");
  s.step();
  return s.column_int64(0);
}

void CrawlState::for_each_done(
    const std::function<void(std::string_view, std::string_view, int, std::string_view)>& fn) {
  sql::Statement s(impl_->db.get(),
                   "SELECT url, outcome, COALESCE(status, 0), COALESCE(part, '') FROM urls "
                   "WHERE state = 1 ORDER BY id");
  while (s.step())
    fn(s.column_text(0), s.column_text(1), static_cast<int>(s.column_int64(2)), s.column_text(3));
}

}  // namespace warcpairs::store
