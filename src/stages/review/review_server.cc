// The review page's HTTP server (review_server.h): access checks before routing, then the
// page, the JSON API and the images. cpp-httplib runs handlers on its worker threads, so the
// database connections come from a small pool (a ReviewStore is one connection, one thread at
// a time) and the image tars from a locked cache.
#include "review_server.h"

#include <fmt/format.h>
#include <httplib.h>
#include <spdlog/spdlog.h>
#include <sys/random.h>

#include <atomic>
#include <charconv>

#include "review_api.h"
#include "review_page_assets.h"
#include "review_sources.h"  // generated from review_page/: kReviewHtml, kReviewJs, kReviewCss, kReviewIcon
#include "../common/span_model_choice.h"
#include "warcpairs/core/digest.h"
#include "warcpairs/core/error.h"
#include "warcpairs/image/decode.h"
#include "warcpairs/store/review_store.h"

namespace warcpairs::stages {
namespace fs = std::filesystem;
using nlohmann::json;

std::string random_token() {
  unsigned char bytes[16];
  std::size_t got = 0;
  while (got < sizeof bytes) {
    const ssize_t n = ::getrandom(bytes + got, sizeof bytes - got, 0);
    if (n < 0 && errno != EINTR) throw Error("getrandom failed: no access token");
    if (n > 0) got += static_cast<std::size_t>(n);
  }
  return hex(bytes);
}

namespace {

constexpr int64_t kMaxPageSize = 200;
constexpr std::size_t kMaxReviewerBytes = 100, kMaxTextBytes = 10000;

bool is_loopback(const std::string& host) {
  return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

// Same length and every byte compared: the time taken says nothing about the token.
bool same_secret(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

// The value of cookie `name` in a Cookie header ("a=1; b=2"), "" when absent.
std::string cookie_value(const std::string& header, const std::string& name) {
  std::size_t at = 0;
  while (at < header.size()) {
    const std::size_t end = std::min(header.find(';', at), header.size());
    std::string item = header.substr(at, end - at);
    item.erase(0, item.find_first_not_of(' '));
    if (item.size() > name.size() && item.compare(0, name.size(), name) == 0 && item[name.size()] == '=')
      return item.substr(name.size() + 1);
    at = end + 1;
  }
  return "";
}

void send_json(httplib::Response& res, int status, const json& body) {
  res.status = status;
  res.set_header("Cache-Control", "no-store");
  res.set_content(dump(body), "application/json; charset=utf-8");
}

void send_text(httplib::Response& res, int status, const std::string& text) {
  res.status = status;
  res.set_header("Cache-Control", "no-store");
  res.set_content(text + "\n", "text/plain; charset=utf-8");
}

// One trimmed line of at most `max` bytes (cut at a character boundary).
std::string clean_line(const std::string& in, std::size_t max) {
  // Control characters (a typed newline or tab among them) become spaces, runs of spaces one:
  // a description is one line, like the pipeline's normalized texts.
  std::string s;
  for (char c : in) {
    const bool space = c == ' ' || static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
    if (!space) s += c;
    else if (!s.empty() && s.back() != ' ') s += ' ';
  }
  if (!s.empty() && s.back() == ' ') s.pop_back();
  if (s.size() > max) {
    std::size_t cut = max;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
    s.resize(cut);
  }
  return s;
}

}  // namespace

struct ReviewServer::Impl {
  ReviewServerOptions options;
  std::string cookie_name;
  std::vector<std::string> allowed_hosts;  // Host headers answered (DNS rebinding)
  std::unique_ptr<StorePool> pool;
  ImageShelf images;
  httplib::Server server;
  int port = 0;
  std::atomic<int64_t> saved{0};

  explicit Impl(ReviewServerOptions o) : options(std::move(o)), images(options.run_dir / "images") {
    if (!is_loopback(options.host) && !options.allow_remote)
      throw UsageError("--host " + options.host + " is not a loopback address: anyone who can reach it "
                       "and learns the token can change decisions; add --allow-remote to mean it");
    if (options.token.empty()) options.token = random_token();
    const fs::path db = options.run_dir / "warcpairs.sqlite";
    {
      store::ReviewStore probe(db, "");
      options.span_model = choose_span_model(probe.prediction_models(), options.span_model);
    }
    pool = std::make_unique<StorePool>(db, options.span_model, options.kinds, options.ids);
    routes();
    port = options.port == 0 ? server.bind_to_any_port(options.host)
                             : (server.bind_to_port(options.host, options.port) ? options.port : -1);
    if (port <= 0)
      throw Error("cannot listen on " + options.host + ":" + std::to_string(options.port) +
                  " (in use? choose another --port, or 0 for a free one)");
    cookie_name = fmt::format("warcpairs_review_{}", port);  // cookies ignore ports: one name per server
    allowed_hosts = {host_port(), fmt::format("localhost:{}", port), fmt::format("127.0.0.1:{}", port),
                     fmt::format("[::1]:{}", port)};
  }

  std::string host_port() const {
    const std::string h = options.host.find(':') != std::string::npos ? "[" + options.host + "]" : options.host;
    return h + ":" + std::to_string(port);
  }

  // Before any route: Host, token, and for writes the origin and body type.
  httplib::Server::HandlerResponse check_access(const httplib::Request& req, httplib::Response& res) {
    using R = httplib::Server::HandlerResponse;
    if (!options.allow_remote) {
      const std::string host = req.get_header_value("Host");
      if (std::find(allowed_hosts.begin(), allowed_hosts.end(), host) == allowed_hosts.end()) {
        send_text(res, 421, "this server answers only to http://" + host_port() + "/");
        return R::Handled;
      }
    }
    if (req.method == "GET" && req.path == "/" && req.has_param("token")) {
      if (!same_secret(req.get_param_value("token"), options.token)) {
        send_text(res, 403, "wrong access token: open the URL that `warcpairs review` printed");
        return R::Handled;
      }
      // The token moves into a cookie for this port only, and out of the address bar.
      res.set_header("Set-Cookie", cookie_name + "=" + options.token + "; Path=/; HttpOnly; SameSite=Strict");
      res.set_redirect("/", 303);
      return R::Handled;
    }
    if (!same_secret(cookie_value(req.get_header_value("Cookie"), cookie_name), options.token)) {
      send_text(res, 403, "no access token: open the URL that `warcpairs review` printed (it ends in ?token=...)");
      return R::Handled;
    }
    if (req.method == "POST") {
      const std::string origin = req.get_header_value("Origin");
      if (!origin.empty() && origin != "http://" + req.get_header_value("Host")) {
        send_text(res, 403, "cross-origin write refused");
        return R::Handled;
      }
      if (req.get_header_value("Content-Type").rfind("application/json", 0) != 0) {
        send_text(res, 415, "writes take a JSON body (Content-Type: application/json)");
        return R::Handled;
      }
    }
    return R::Unhandled;
  }

  void routes() {
    server.set_default_headers({
        {"Content-Security-Policy",
         "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
         "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"},
        {"X-Content-Type-Options", "nosniff"},
        {"Referrer-Policy", "no-referrer"},
        {"X-Frame-Options", "DENY"}});
    server.set_payload_max_length(64 * 1024);
    // SO_REUSEADDR only: the library's default adds SO_REUSEPORT, with which a second review
    // server binds the same port and the kernel splits the connections between the two
    // (each with its own token). Found by starting two with the same --port.
    server.set_socket_options([](socket_t sock) {
      int yes = 1;
      ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    });
    server.set_keep_alive_max_count(1000);  // the library's default, 5, reconnects a reviewing browser constantly
    // Headers and body go out in separate writes: without TCP_NODELAY, Nagle's algorithm holds
    // the body until the client's delayed ACK, 40 ms per response (measured, bench/review).
    server.set_tcp_nodelay(true);
    server.set_pre_routing_handler([this](const auto& req, auto& res) { return check_access(req, res); });
    server.set_error_handler(httplib::Server::HandlerWithResponse(
        [](const httplib::Request&, httplib::Response& res) {
          if (res.body.empty()) send_text(res, res.status, res.status == 404 ? "not found" : "request refused");
          return httplib::Server::HandlerResponse::Handled;
        }));
    server.set_exception_handler([](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
      try {
        std::rethrow_exception(ep);
      } catch (const UsageError& e) {
        send_json(res, 400, {{"error", e.what()}});
      } catch (const std::exception& e) {
        spdlog::error("review: {} {}: {}", req.method, req.path, e.what());
        send_json(res, 500, {{"error", e.what()}});
      }
    });
    const auto asset = [](const char* body, const char* type) {
      return [body, type](const httplib::Request&, httplib::Response& res) {
        res.set_header("Cache-Control", "no-cache");
        res.set_content(body, type);
      };
    };
    server.Get("/", asset(kReviewHtml, "text/html; charset=utf-8"));
    server.Get("/review.js", asset(kReviewJs, "text/javascript; charset=utf-8"));
    server.Get("/review.css", asset(kReviewCss, "text/css; charset=utf-8"));
    server.Get("/favicon.svg", asset(kReviewIcon, "image/svg+xml"));  // else the browser asks for /favicon.ico
    server.Get("/api/pairs", [this](const auto& req, auto& res) { list_pairs(req, res); });
    // Ids: image_id, or minus the list row for a `score --pairs` pair (ReviewStore).
    server.Get(R"(/api/pairs/(-?\d{1,18})/history)", [this](const auto& req, auto& res) { history(req, res); });
    server.Post("/api/decisions", [this](const auto& req, auto& res) { decide(req, res); });
    server.Get(R"(/image/(-?\d{1,18}))", [this](const auto& req, auto& res) { image(req, res); });
  }

  static int64_t int_param(const httplib::Request& req, const char* name, int64_t fallback, int64_t lo, int64_t hi) {
    if (!req.has_param(name)) return fallback;
    const std::string v = req.get_param_value(name);
    int64_t n = 0;
    const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
    if (ec != std::errc() || end != v.data() + v.size() || n < lo || n > hi)
      throw UsageError(std::string(name) + ": a whole number in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
    return n;
  }

  void list_pairs(const httplib::Request& req, httplib::Response& res) {
    const auto filter = parse_filter(req.get_param_value("filter"));
    const auto order = parse_order(req.get_param_value("order"));
    const int64_t offset = int_param(req, "offset", 0, 0, INT64_MAX / 2);
    const int64_t limit = int_param(req, "limit", 24, 1, kMaxPageSize);
    auto store = pool->lease();
    const auto page = store->list(filter, order, offset, limit);
    json pairs = json::array();
    for (const auto& p : page.pairs) pairs.push_back(pair_json(p));
    send_json(res, 200, {{"total", page.total}, {"offset", offset}, {"pairs", pairs},
                         {"counts", page.counts}, {"reviewer", options.reviewer},
                         {"span_model", options.span_model}});
  }

  void history(const httplib::Request& req, httplib::Response& res) {
    json rows = json::array();
    for (const auto& d : pool->lease()->history(std::stoll(req.matches[1].str()))) rows.push_back(decision_json(d));
    send_json(res, 200, rows);
  }

  void decide(const httplib::Request& req, httplib::Response& res) {
    const json body = json::parse(req.body, nullptr, /*allow_exceptions=*/false);
    if (!body.is_object() || !body.contains("image_id") || !body["image_id"].is_number_integer() ||
        !body.contains("action") || !body["action"].is_string() ||
        (body.contains("expected") && !body["expected"].is_number_integer()) ||
        (body.contains("text") && !body["text"].is_string()) ||
        (body.contains("reviewer") && !body["reviewer"].is_string()))
      throw UsageError("a decision is {\"image_id\": N, \"action\": \"accept|reject|edit|reset\", "
                       "\"expected\": N, \"text\": \"...\", \"reviewer\": \"...\"}");
    store::DecisionRequest r;
    r.image_id = body["image_id"].get<int64_t>();
    r.action = body["action"].get<std::string>();
    r.expected = body.value("expected", int64_t{0});
    r.text = clean_line(body.value("text", std::string()), kMaxTextBytes);
    r.reviewer = clean_line(body.value("reviewer", std::string()), kMaxReviewerBytes);
    if (r.reviewer.empty()) r.reviewer = options.reviewer;
    auto store = pool->lease();
    const auto out = store->decide(r);
    using S = store::DecisionResult::Status;
    if (out.status == S::no_such_pair) return send_json(res, 404, {{"error", "no such pair"}});
    const json reply = {{"status", out.status == S::saved ? "saved" : "conflict"},
                        {"decision", decision_json(out.current)},
                        {"version", out.current.decision_id},
                        {"counts", store->counts()}};
    if (out.status == S::conflict) return send_json(res, 409, reply);
    ++saved;
    spdlog::info("review: image {} {} by {} (decision {})", r.image_id, r.action, r.reviewer, out.current.decision_id);
    send_json(res, 200, reply);
  }

  void image(const httplib::Request& req, httplib::Response& res) {
    std::string tar, key, bytes;
    if (!pool->lease()->image_location(std::stoll(req.matches[1].str()), tar, key) || !images.read(tar, key + ".jpg", bytes))
      return send_text(res, 404, "no stored image for this pair");
    const auto format = image::sniff({reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()});
    res.set_header("Cache-Control", "private, max-age=3600");
    res.set_content(bytes, image::mime_type(format));
  }
};

ReviewServer::ReviewServer(ReviewServerOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}
ReviewServer::~ReviewServer() = default;
int ReviewServer::port() const { return impl_->port; }
const std::string& ReviewServer::token() const { return impl_->options.token; }
std::string ReviewServer::url() const { return "http://" + impl_->host_port() + "/?token=" + impl_->options.token; }
void ReviewServer::serve() { impl_->server.listen_after_bind(); }
void ReviewServer::stop() { impl_->server.stop(); }
int64_t ReviewServer::decisions_saved() const { return impl_->saved.load(); }
std::map<std::string, int64_t> ReviewServer::counts() { return impl_->pool->lease()->counts(); }
std::map<std::string, int64_t> ReviewServer::skipped_kinds() { return impl_->pool->lease()->skipped_kinds(); }

}  // namespace warcpairs::stages
