// TransferEngine: schedules Transfers on one libcurl multi handle: in-flight and per-host caps, retry timers.
#include "warcpairs/net/transfer_engine.h"

#include <arpa/inet.h>
#include <curl/curl.h>

#include <algorithm>
#include <deque>
#include <list>
#include <mutex>
#include <queue>
#include <string_view>
#include <unordered_map>

#include "transfer.h"
#include "warcpairs/core/error.h"

namespace warcpairs::net {
namespace {

// curl_global_init is not thread-safe before 7.84; do it once, before any handle exists.
void global_init_once() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) throw Error("curl_global_init");
  });
}

struct MultiDeleter {
  void operator()(CURLM* m) const { curl_multi_cleanup(m); }
};
struct ShareDeleter {
  void operator()(CURLSH* s) const { curl_share_cleanup(s); }
};
struct EasyDeleter {
  void operator()(CURL* e) const { curl_easy_cleanup(e); }
};
struct SlistDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

void append_all(std::unique_ptr<curl_slist, SlistDeleter>& list, const std::vector<std::string>& entries) {
  for (const auto& entry : entries) {
    curl_slist* next = curl_slist_append(list.get(), entry.c_str());
    if (!next) throw Error("libcurl: out of memory");
    list.release();
    list.reset(next);
  }
}

// Splits at ':' outside [...] (IPv6 literals), as libcurl reads these entries.
std::vector<std::string_view> split_fields(std::string_view s) {
  std::vector<std::string_view> out;
  size_t start = 0;
  bool bracket = false;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '[') bracket = true;
    if (s[i] == ']') bracket = false;
    if (s[i] == ':' && !bracket) {
      out.push_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  out.push_back(s.substr(start));
  return out;
}

bool is_port(std::string_view p) {
  if (p.empty() || p.size() > 5 || !std::all_of(p.begin(), p.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return false;
  const int v = std::stoi(std::string(p));
  return v >= 1 && v <= 65535;
}

bool is_address(std::string_view a) {
  unsigned char buf[sizeof(in6_addr)];
  if (a.size() > 2 && a.front() == '[' && a.back() == ']')
    return inet_pton(AF_INET6, std::string(a.substr(1, a.size() - 2)).c_str(), buf) == 1;
  const std::string s(a);
  return inet_pton(AF_INET, s.c_str(), buf) == 1 || inet_pton(AF_INET6, s.c_str(), buf) == 1;
}

bool is_host(std::string_view h) {
  return !h.empty() && (is_address(h) || h.find_first_of("[]/ \t") == std::string_view::npos);
}

struct Timed {
  Clock::time_point due;
  Transfer* transfer;
  bool operator>(const Timed& o) const { return due > o.due; }
};

}  // namespace

struct TransferEngine::Impl {
  explicit Impl(TransferOptions o);
  void start_ready();
  void start(Transfer* t);
  void finish(CURL* easy, CURLcode code, const std::function<void(Response&&)>& on_response);
  void release_host(const std::string& host);
  void promote_due_retries();
  int poll_timeout_ms() const;
  void abandon_all();

  TransferOptions options;
  // Declared before the easy handles: the multi and share handles must outlive them.
  std::unique_ptr<CURLSH, ShareDeleter> share;
  std::unique_ptr<CURLM, MultiDeleter> multi;
  std::unique_ptr<curl_slist, SlistDeleter> resolve, connect_to;
  std::vector<std::unique_ptr<CURL, EasyDeleter>> easy_pool;  // idle handles, reused
  std::list<Transfer> transfers;  // every URL not yet reported; list: stable addresses
  std::unordered_map<Transfer*, std::list<Transfer>::iterator> where;
  std::deque<Transfer*> ready;    // waiting for a free slot
  std::unordered_map<std::string, int> host_in_flight;
  std::unordered_map<std::string, std::deque<Transfer*>> host_waiting;  // host at max_per_host
  std::priority_queue<Timed, std::vector<Timed>, std::greater<>> retry_timers;
  std::unordered_map<CURL*, Transfer*> in_flight;
  std::vector<uint64_t> abandoned_keys;
};

TransferEngine::Impl::Impl(TransferOptions o) : options(std::move(o)) {
  global_init_once();
  share.reset(curl_share_init());
  multi.reset(curl_multi_init());
  if (!share || !multi) throw Error("libcurl: cannot create multi/share handles");
  // One DNS cache for all transfers; single-threaded use, so no lock callbacks are needed.
  curl_share_setopt(share.get(), CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
  const long total = std::max(1, options.max_connections);
  curl_multi_setopt(multi.get(), CURLMOPT_MAX_TOTAL_CONNECTIONS, total);
  curl_multi_setopt(multi.get(), CURLMOPT_MAX_HOST_CONNECTIONS, static_cast<long>(std::max(1, options.max_per_host)));
  curl_multi_setopt(multi.get(), CURLMOPT_MAXCONNECTS, total);  // idle keep-alive connections kept
  curl_multi_setopt(multi.get(), CURLMOPT_PIPELINING, static_cast<long>(CURLPIPE_MULTIPLEX));
  append_all(resolve, options.resolve);
  append_all(connect_to, options.connect_to);
}

void TransferEngine::Impl::start(Transfer* t) {
  std::unique_ptr<CURL, EasyDeleter> easy;
  if (!easy_pool.empty()) {
    easy = std::move(easy_pool.back());
    easy_pool.pop_back();
    curl_easy_reset(easy.get());
  } else {
    easy.reset(curl_easy_init());
    if (!easy) throw Error("libcurl: curl_easy_init failed");
  }
  t->start_attempt(easy.get(), share.get());
  if (resolve) curl_easy_setopt(easy.get(), CURLOPT_RESOLVE, resolve.get());
  if (connect_to) curl_easy_setopt(easy.get(), CURLOPT_CONNECT_TO, connect_to.get());
  ++host_in_flight[t->host()];
  CURL* raw = easy.release();
  in_flight.emplace(raw, t);
  curl_multi_add_handle(multi.get(), raw);
}

// Fills free slots from `ready`; a URL whose host is at max_per_host waits on that host, so one
// slow host cannot hold every slot and the per-host cap holds across redirects' first hops.
void TransferEngine::Impl::start_ready() {
  const size_t cap = static_cast<size_t>(std::max(1, options.max_connections));
  while (in_flight.size() < cap && !ready.empty()) {
    Transfer* t = ready.front();
    ready.pop_front();
    if (host_in_flight[t->host()] >= options.max_per_host) {
      host_waiting[t->host()].push_back(t);
      continue;
    }
    start(t);
  }
}

void TransferEngine::Impl::release_host(const std::string& host) {
  if (--host_in_flight[host] <= 0) host_in_flight.erase(host);
  auto it = host_waiting.find(host);
  if (it == host_waiting.end()) return;
  ready.push_front(it->second.front());
  it->second.pop_front();
  if (it->second.empty()) host_waiting.erase(it);
}

void TransferEngine::Impl::finish(CURL* easy, CURLcode code,
                              const std::function<void(Response&&)>& on_response) {
  Transfer* t = in_flight.at(easy);
  in_flight.erase(easy);
  curl_multi_remove_handle(multi.get(), easy);
  const Transfer::Next next = t->finish_attempt(easy, code);
  easy_pool.emplace_back(easy);
  // A waiting URL of this host may take the slot even when this one retries later: the retry
  // re-enters through `ready` and waits its turn like any other.
  const std::string host = t->host();
  if (next == Transfer::Next::kRetry) {
    const auto delay = std::chrono::duration<double>(t->retry_delay_s());
    retry_timers.push({Clock::now() + std::chrono::duration_cast<Clock::duration>(delay), t});
  } else {
    Response r = t->take_result();
    auto pos = where.at(t);
    where.erase(t);
    transfers.erase(pos);
    on_response(std::move(r));
  }
  release_host(host);
}

void TransferEngine::Impl::promote_due_retries() {
  const auto now = Clock::now();
  while (!retry_timers.empty() && retry_timers.top().due <= now) {
    ready.push_front(retry_timers.top().transfer);
    retry_timers.pop();
  }
}

int TransferEngine::Impl::poll_timeout_ms() const {
  int ms = options.max_poll_ms;  // bound, so should_stop() is asked at least this often
  if (!retry_timers.empty()) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        retry_timers.top().due - Clock::now());
    ms = std::clamp(static_cast<int>(left.count()) + 1, 0, ms);
  }
  return ms;
}

void TransferEngine::Impl::abandon_all() {
  for (auto& [easy, t] : in_flight) {
    curl_multi_remove_handle(multi.get(), easy);
    easy_pool.emplace_back(easy);
  }
  in_flight.clear();
  for (auto& t : transfers) abandoned_keys.push_back(t.key());
  transfers.clear();
  where.clear();
  ready.clear();
  host_in_flight.clear();
  host_waiting.clear();
  retry_timers = {};
}

TransferEngine::TransferEngine(TransferOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}

TransferEngine::~TransferEngine() {
  if (impl_) impl_->abandon_all();
}

const TransferOptions& TransferEngine::options() const { return impl_->options; }

void TransferEngine::add(uint64_t key, std::string url, int max_redirects) {
  auto& t = impl_->transfers.emplace_back(key, std::move(url), impl_->options, max_redirects);
  impl_->where.emplace(&t, std::prev(impl_->transfers.end()));
  impl_->ready.push_back(&t);
}

size_t TransferEngine::pending() const { return impl_->transfers.size(); }

void TransferEngine::run(const std::function<void(Response&&)>& on_response,
                     const std::function<bool()>& should_stop) {
  Impl& d = *impl_;
  while (!d.transfers.empty()) {
    if (should_stop && should_stop()) {
      d.abandon_all();
      return;
    }
    d.promote_due_retries();
    d.start_ready();
    int running = 0;
    curl_multi_perform(d.multi.get(), &running);
    int queued = 0;
    while (CURLMsg* msg = curl_multi_info_read(d.multi.get(), &queued)) {
      if (msg->msg == CURLMSG_DONE) d.finish(msg->easy_handle, msg->data.result, on_response);
    }
    if (d.transfers.empty()) break;
    if (!d.ready.empty() && d.in_flight.size() < static_cast<size_t>(std::max(1, d.options.max_connections))) {
      continue;  // slots freed: fill them before sleeping
    }
    curl_multi_poll(d.multi.get(), nullptr, 0, d.poll_timeout_ms(), nullptr);
  }
}

std::vector<uint64_t> TransferEngine::abandoned() {
  std::vector<uint64_t> out;
  out.swap(impl_->abandoned_keys);
  return out;
}

// 'entry' in quotes. Appended, not `"'" + std::string(entry)`: GCC 12 warns (-Wrestrict,
// a false positive) on that temporary.
static std::string quoted(std::string_view entry) {
  std::string out = "'";
  out.append(entry);
  out += '\'';
  return out;
}

std::string resolve_entry_error(std::string_view entry) {
  const std::string want = quoted(entry) + " is not HOST:PORT:ADDRESS[,ADDRESS...]";
  const bool removal = !entry.empty() && entry.front() == '-';  // "-HOST:PORT" drops an entry
  if (!entry.empty() && (entry.front() == '+' || removal)) entry.remove_prefix(1);
  const auto f = split_fields(entry);
  if (f.size() < 2 || !is_host(f[0])) return want + " (no host name)";
  if (!is_port(f[1])) return want + " (the port is a number 1-65535)";
  if (f.size() == 2) return removal ? "" : want + " (no address)";
  if (f.size() > 3) return want + " (write an IPv6 address in brackets: [::1])";
  for (size_t start = 0; start <= f[2].size();) {
    const size_t comma = std::min(f[2].find(',', start), f[2].size());
    if (!is_address(f[2].substr(start, comma - start)))
      return want + " ('" + std::string(f[2].substr(start, comma - start)) + "' is not an IP address)";
    start = comma + 1;
  }
  return "";
}

std::string connect_to_entry_error(std::string_view entry) {
  const std::string want = quoted(entry) + " is not HOST:PORT:CONNECT_HOST:CONNECT_PORT";
  const auto f = split_fields(entry);
  if (f.size() != 4) return want + " (four fields, any of them empty; IPv6 addresses in brackets)";
  if ((!f[0].empty() && !is_host(f[0])) || (!f[2].empty() && !is_host(f[2]))) return want + " (a bad host)";
  if ((!f[1].empty() && !is_port(f[1])) || (!f[3].empty() && !is_port(f[3])))
    return want + " (a port is empty or a number 1-65535)";
  return "";
}

}  // namespace warcpairs::net
