// One URL's attempts: libcurl options, the SSRF guard callbacks, raw headers, body cap, outcome tokens.
#include "transfer.h"

#include <sys/socket.h>

#include <algorithm>
#include <cmath>

#include "warcpairs/core/ascii.h"
#include "warcpairs/core/splitmix64.h"
#include "warcpairs/net/address_guard.h"

namespace warcpairs::net {
namespace {

// Host of a URL as libcurl will parse it; empty when the URL does not parse.
std::string host_of(const std::string& url) {
  CURLU* u = curl_url();
  std::string host;
  char* h = nullptr;
  if (curl_url_set(u, CURLUPART_URL, url.c_str(), 0) == CURLUE_OK &&
      curl_url_get(u, CURLUPART_HOST, &h, 0) == CURLUE_OK) {
    host = h;
    curl_free(h);
  }
  curl_url_cleanup(u);
  return host;
}

// Draw attempt + 1 of SplitMix64 seeded with the key: a deterministic jitter, so a rerun
// schedules retries the same way.
double jitter(uint64_t key, int attempt) {
  uint64_t state = key + 0x9E3779B97F4A7C15ull * static_cast<uint64_t>(attempt);
  const uint64_t z = splitmix64_next(state);
  return 0.75 + 0.5 * static_cast<double>(z >> 11) / static_cast<double>(1ull << 53);
}

void read_timings(CURL* e, Timings& t) {
  auto seconds = [e](CURLINFO what) {
    curl_off_t us = 0;
    return curl_easy_getinfo(e, what, &us) == CURLE_OK ? static_cast<double>(us) / 1e6 : 0.0;
  };
  t.dns = seconds(CURLINFO_NAMELOOKUP_TIME_T);
  t.connect = seconds(CURLINFO_CONNECT_TIME_T);
  t.tls = seconds(CURLINFO_APPCONNECT_TIME_T);
  t.first_byte = seconds(CURLINFO_STARTTRANSFER_TIME_T);
  t.total = seconds(CURLINFO_TOTAL_TIME_T);
}

}  // namespace

// Field lines are "name:" OWS value OWS (RFC 9110 §5.5); a folded continuation line (starting with
// whitespace) and the status line have no field name of their own and never match.
std::vector<std::string_view> header_values(std::string_view headers, std::string_view name) {
  std::vector<std::string_view> out;
  constexpr std::string_view kSpace = " \t\r\n";
  while (!headers.empty()) {
    const size_t end = headers.find('\n');
    std::string_view line = headers.substr(0, end);
    headers.remove_prefix(end == std::string_view::npos ? headers.size() : end + 1);
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos || !iequals(line.substr(0, colon), name)) continue;
    std::string_view value = line.substr(colon + 1);
    value.remove_prefix(std::min(value.find_first_not_of(kSpace), value.size()));
    value.remove_suffix(value.size() - (value.find_last_not_of(kSpace) + 1));
    out.push_back(value);
  }
  return out;
}

Transfer::Transfer(uint64_t key, std::string url, const TransferOptions& options, int max_redirects)
    : options_(options), host_(host_of(url)), max_redirects_(max_redirects) {
  result_.key = key;
  result_.url = std::move(url);
}

void Transfer::start_attempt(CURL* e, CURLSH* share) {
  if (result_.attempts++ == 0) first_start_ = Clock::now();
  blocked_ = too_large_ = body_started_ = refused_ = headers_done_ = false;
  retry_after_s_ = -1;
  error_buffer_[0] = '\0';
  easy_ = e;
  result_.body.clear();
  result_.detail.clear();
  result_.headers.clear();
  result_.trailers.clear();
  result_.redirect_url.clear();
  result_.request_head.clear();
  result_.truncated.clear();
  curl_easy_setopt(e, CURLOPT_URL, result_.url.c_str());
  curl_easy_setopt(e, CURLOPT_PRIVATE, this);
  curl_easy_setopt(e, CURLOPT_SHARE, share);
  curl_easy_setopt(e, CURLOPT_ERRORBUFFER, error_buffer_);
  curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, &Transfer::on_body);
  curl_easy_setopt(e, CURLOPT_WRITEDATA, this);
  curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, &Transfer::on_header);
  curl_easy_setopt(e, CURLOPT_HEADERDATA, this);
  // The guard: every new connection's address before connect(), every reused one before a request.
  curl_easy_setopt(e, CURLOPT_OPENSOCKETFUNCTION, &Transfer::on_open_socket);
  curl_easy_setopt(e, CURLOPT_OPENSOCKETDATA, this);
  curl_easy_setopt(e, CURLOPT_PREREQFUNCTION, &Transfer::on_prereq);
  curl_easy_setopt(e, CURLOPT_PREREQDATA, this);
  // No proxy from the environment: the guard must see the origin's address, not a proxy's.
  curl_easy_setopt(e, CURLOPT_PROXY, "");
  curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  const bool follow = max_redirects_ >= 0 || options_.follow_redirects;
  curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, follow ? 1L : 0L);
  curl_easy_setopt(e, CURLOPT_MAXREDIRS,
                   static_cast<long>(max_redirects_ >= 0 ? max_redirects_ : options_.max_redirects));
  curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, options_.connect_timeout_ms);
  curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, options_.total_timeout_ms);
  curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, 1024L);
  curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, options_.low_speed_time_s);
  if (options_.wire_format) {
    // The body as received: no de-chunking, no content decoding (none is asked for either:
    // no Accept-Encoding is sent). libcurl still parses the chunks to find the message's end.
    // No MAXFILESIZE: a body over the cap keeps its first max_bytes (on_body), marked truncated.
    curl_easy_setopt(e, CURLOPT_HTTP_TRANSFER_DECODING, 0L);
    curl_easy_setopt(e, CURLOPT_HTTP_CONTENT_DECODING, 0L);
    curl_easy_setopt(e, CURLOPT_DEBUGFUNCTION, &Transfer::on_debug);
    curl_easy_setopt(e, CURLOPT_DEBUGDATA, this);
    curl_easy_setopt(e, CURLOPT_VERBOSE, 1L);  // the debug callback is called only with it
  } else {
    curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(options_.max_bytes));
  }
  curl_easy_setopt(e, CURLOPT_USERAGENT, options_.user_agent.c_str());
  curl_easy_setopt(e, CURLOPT_HTTP_VERSION,
                   static_cast<long>(options_.http2 ? CURL_HTTP_VERSION_2TLS : CURL_HTTP_VERSION_1_1));
  curl_easy_setopt(e, CURLOPT_PIPEWAIT, 1L);  // prefer a stream on an HTTP/2 connection to a new one
  curl_easy_setopt(e, CURLOPT_BUFFERSIZE, 128L * 1024);
  if (!options_.ca_file.empty()) curl_easy_setopt(e, CURLOPT_CAINFO, options_.ca_file.c_str());
}

size_t Transfer::on_body(char* data, size_t size, size_t n, void* self_ptr) {
  auto* self = static_cast<Transfer*>(self_ptr);
  const size_t bytes = size * n;
  if (!self->body_started_ && !self->begin_body()) {
    self->refused_ = true;  // stop downloading what the caller will not use
    return 0;
  }
  auto& body = self->result_.body;
  if (static_cast<int64_t>(body.size() + bytes) > self->options_.max_bytes) {
    self->too_large_ = true;  // chunked responses carry no length for MAXFILESIZE to check
    if (self->options_.wire_format) {  // keep exactly max_bytes: a record marked truncated
      body.insert(body.end(), data, data + (self->options_.max_bytes - static_cast<int64_t>(body.size())));
      self->result_.truncated = "length";
    }
    return 0;
  }
  body.insert(body.end(), data, data + bytes);
  return bytes;
}

// libcurl passes no body of a redirect it follows, so these are the last response's first bytes.
bool Transfer::begin_body() {
  body_started_ = true;
  long status = 0;
  curl_easy_getinfo(easy_, CURLINFO_RESPONSE_CODE, &status);
  if (options_.accept_body && !options_.accept_body(status, result_.headers)) return false;
  curl_off_t length = -1;  // reserve once from Content-Length, within the cap
  curl_easy_getinfo(easy_, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &length);
  if (length > 0) result_.body.reserve(static_cast<size_t>(std::min<int64_t>(length, options_.max_bytes)));
  return true;
}

// libcurl calls this once per complete header line, the line end included (CURLOPT_HEADERFUNCTION).
size_t Transfer::on_header(char* data, size_t size, size_t n, void* self_ptr) {
  auto* self = static_cast<Transfer*>(self_ptr);
  const size_t bytes = size * n;
  const std::string_view line(data, bytes);
  if (line.starts_with("HTTP/")) {  // a new response (after a 1xx or a redirect): only its own count
    self->result_.headers.clear();
    self->headers_done_ = false;
  } else if (self->headers_done_) {
    self->result_.trailers.append(line);
    return bytes;
  } else if (line == "\r\n" || line == "\n") {
    self->headers_done_ = true;
  }
  self->result_.headers.append(line);
  return bytes;
}

// wire_format: the request header bytes as libcurl sent them. One call per request head; after a
// followed redirect the next request's head replaces the last one.
int Transfer::on_debug(CURL*, curl_infotype type, char* data, size_t size, void* self_ptr) {
  if (type != CURLINFO_HEADER_OUT) return 0;
  auto& head = static_cast<Transfer*>(self_ptr)->result_.request_head;
  if (head.ends_with("\r\n\r\n")) head.clear();
  head.append(data, size);
  return 0;
}

curl_socket_t Transfer::on_open_socket(void* self_ptr, curlsocktype purpose, curl_sockaddr* addr) {
  auto* self = static_cast<Transfer*>(self_ptr);
  std::string why;
  if (purpose != CURLSOCKTYPE_IPCXN) {
    why = "not an outgoing connection";
  } else if (!is_forbidden_address(&addr->addr, addr->addrlen, self->options_.allow_loopback, &why)) {
    return socket(addr->family, addr->socktype | SOCK_CLOEXEC, addr->protocol);
  }
  self->blocked_ = true;
  self->result_.detail = "refused before connect: " + why;
  return CURL_SOCKET_BAD;
}

int Transfer::on_prereq(void* self_ptr, char* primary_ip, char*, int, int) {
  auto* self = static_cast<Transfer*>(self_ptr);
  std::string why;
  if (!is_forbidden_address(std::string(primary_ip), self->options_.allow_loopback, &why)) {
    return CURL_PREREQFUNC_OK;
  }
  self->blocked_ = true;
  self->result_.detail = "refused before request: " + why;
  return CURL_PREREQFUNC_ABORT;
}

bool Transfer::is_retryable(CURLcode code, long status) const {
  if (blocked_) return false;
  if (code == CURLE_OK) return status >= 500 || status == 429;
  return code == CURLE_COULDNT_CONNECT || code == CURLE_OPERATION_TIMEDOUT;
}

Transfer::Next Transfer::finish_attempt(CURL* e, CURLcode code) {
  long status = 0;
  char* text = nullptr;
  curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
  result_.http_status = status;
  if (curl_easy_getinfo(e, CURLINFO_EFFECTIVE_URL, &text) == CURLE_OK && text) result_.final_url = text;
  if (curl_easy_getinfo(e, CURLINFO_PRIMARY_IP, &text) == CURLE_OK && text) result_.ip = text;
  text = nullptr;
  curl_easy_getinfo(e, CURLINFO_CONTENT_TYPE, &text);
  result_.content_type = text ? text : "";
  text = nullptr;
  curl_easy_getinfo(e, CURLINFO_REDIRECT_URL, &text);  // set only when a Location was not followed
  result_.redirect_url = text ? text : "";
  read_timings(e, result_.timings);
  long redirects = 0;
  curl_easy_getinfo(e, CURLINFO_REDIRECT_COUNT, &redirects);
  result_.redirects = static_cast<int>(redirects);
  if (is_retryable(code, status) && result_.attempts <= options_.retries) {
    curl_off_t after = -1;
    // libcurl parses both Retry-After forms, delta-seconds and HTTP-date (RFC 9110 §10.2.3).
    // 0 means "no header" to libcurl, so "Retry-After: 0" falls back to the backoff too.
    if (curl_easy_getinfo(e, CURLINFO_RETRY_AFTER, &after) == CURLE_OK && after > 0 &&
        (status == 429 || status == 503)) {
      retry_after_s_ = static_cast<double>(after);
    }
    return Next::kRetry;
  }
  classify(code, error_buffer_);
  return Next::kDone;
}

double Transfer::retry_delay_s() const {
  if (retry_after_s_ >= 0) return std::min(retry_after_s_, options_.max_retry_after_s);
  const int k = result_.attempts - 1;
  return options_.backoff_s * std::ldexp(1.0, k) * jitter(result_.key, k);
}

void Transfer::classify(CURLcode code, const char* curl_error) {
  auto& r = result_;
  if (code == CURLE_OK) {
    r.outcome = "ok";  // whatever the status: judging it is the caller's business
    if (r.detail.empty()) r.detail = curl_error;
    return;
  }
  auto fail = [&](const char* outcome) {
    r.outcome = outcome;
    if (r.detail.empty()) r.detail = curl_error[0] ? curl_error : curl_easy_strerror(code);
    if (r.truncated.empty()) r.body.clear();  // a wire_format body cut at the cap is kept
  };
  if (blocked_) return fail("blocked_address");
  if (too_large_ || code == CURLE_FILESIZE_EXCEEDED) return fail("too_large");
  if (refused_) return fail("refused");
  switch (code) {
    case CURLE_TOO_MANY_REDIRECTS: return fail("too_many_redirects");
    case CURLE_COULDNT_RESOLVE_HOST: return fail("dns_failed");
    case CURLE_COULDNT_CONNECT: return fail("connect_failed");
    case CURLE_OPERATION_TIMEDOUT: return fail("timeout");
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL: return fail("bad_url");
    default: return fail("transfer_error");
  }
}

Response Transfer::take_result() {
  result_.seconds = std::chrono::duration<double>(Clock::now() - first_start_).count();
  return std::move(result_);
}

}  // namespace warcpairs::net
