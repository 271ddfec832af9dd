// PageRenderer: one tab navigated from page to page (a new one per page with isolate_pages, and
// after a failure), device metrics fixed, Fetch interception on before navigation, load
// awaited, then the two injected scripts, the tokenizer between them, crop choice and one
// clipped screenshot per crop.
#include "warcpairs/render/page_renderer.h"

#include <unistd.h>

#include <chrono>

#include <spdlog/spdlog.h>

#include "page_scripts.h"
#include "warcpairs/image/decode.h"
#include "warcpairs/render/pixel_check.h"
#include "warcpairs/render/token_map.h"

namespace warcpairs::render {
using cdp::BrowserError;
using cdp::Json;
using Clock = std::chrono::steady_clock;

namespace {

double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// A page that cannot be rendered, as opposed to a browser that must be restarted.
struct PageError {
  std::string reason, detail;
};

}  // namespace

PageRenderer::PageRenderer(cdp::BrowserOptions browser, ArchiveLookup& archive,
                           const text::WordPiece& wordpiece, RenderOptions options)
    : browser_options_(std::move(browser)), archive_(archive), wordpiece_(wordpiece),
      options_(std::move(options)) {}

PageRenderer::~PageRenderer() = default;

void PageRenderer::start_browser() {
  target_.clear();
  session_.clear();
  replay_.reset();
  browser_.reset();  // the old one is closed and reaped first
  browser_ = std::make_unique<cdp::Browser>(browser_options_);
  replay_ = std::make_unique<Replay>(*browser_, archive_);
  version_ = browser_->call("Browser.getVersion").value("product", std::string());
  ++starts_;
  pages_since_start_ = 0;
}

Json PageRenderer::evaluate(const std::string& session, const std::string& expression, bool await) {
  Json params = {{"expression", expression}, {"returnByValue", true}, {"awaitPromise", await}};
  if (context_id_ > 0) params["contextId"] = context_id_;
  const Json r = browser_->call("Runtime.evaluate", std::move(params), session, options_.page_timeout_ms);
  if (r.contains("exceptionDetails"))
    throw PageError{"script_failed", r["exceptionDetails"].value("text", std::string("exception"))};
  return r["result"].value("value", Json());
}

bool PageRenderer::render(const std::string& url, RenderedPage& out, PageFailure& failure) {
  const auto started = Clock::now();
  if (!browser_ || !browser_->alive() || pages_since_start_ >= options_.restart_after_pages)
    start_browser();
  ++pages_since_start_;
  const bool kept_tab = !target_.empty();
  bool ok = attempt(url, out, failure);
  if (!ok && kept_tab && browser_) {
    spdlog::debug("{} failed in the kept tab ({}: {}): once more in a new tab", url, failure.reason, failure.detail);
    ok = attempt(url, out, failure);
  }
  out.seconds = since(started);
  return ok;
}

bool PageRenderer::attempt(const std::string& url, RenderedPage& out, PageFailure& failure) {
  out = RenderedPage{};
  out.url = url;
  replay_->reset();
  replay_->expect_main(url);
  std::string target, session;
  std::swap(target, target_);
  std::swap(session, session_);
  bool ok = false, close = options_.isolate_pages;
  try {
    if (target.empty()) {
      const auto attach_at = Clock::now();
      target = browser_->call("Target.createTarget", {{"url", "about:blank"}})["targetId"];
      session = browser_->call("Target.attachToTarget", {{"targetId", target}, {"flatten", true}})["sessionId"];
      out.add_phase("target", since(attach_at));
    }
    render_in_session(session, url, out);
    ok = true;
  } catch (const PageError& e) {
    failure = {e.reason, e.detail};
    close = true;  // what the page left behind must not meet the next one
  } catch (const Json::exception& e) {
    // A reply of another shape than asked for (a page's own scripts can reach into what the
    // injected ones return): the page fails, and the browser is not trusted further.
    failure = {"bad_reply", e.what()};
    spdlog::warn("browser closed after an unexpected reply on {}: {}", url, e.what());
    browser_.reset();
    replay_.reset();
    target.clear();
  } catch (const BrowserError& e) {
    const bool restart = e.kind() != BrowserError::Kind::protocol;
    failure = {e.kind() == BrowserError::Kind::hung      ? "timeout"
               : e.kind() == BrowserError::Kind::crashed ? "browser_crashed"
                                                          : "protocol_error",
               e.what()};
    close = true;
    if (restart) {
      spdlog::warn("browser closed after {} on {} ({}); the next page starts a new one", failure.reason, url, e.what());
      browser_.reset();  // the next page starts a new one
      replay_.reset();
      target.clear();
    }
  }
  if (browser_ && !target.empty() && !close) {
    target_ = std::move(target);  // the next page navigates this tab
    session_ = std::move(session);
  } else if (browser_ && !target.empty()) {
    try {
      const auto close_at = Clock::now();
      browser_->call("Target.closeTarget", {{"targetId", target}});
      out.add_phase("target", since(close_at));
    } catch (const BrowserError&) {
      browser_.reset();
      replay_.reset();
    }
  }
  if (replay_) out.replay = replay_->counts(), out.failed_urls = replay_->failed_urls();
  return ok;
}

void PageRenderer::render_in_session(const std::string& session, const std::string& url, RenderedPage& out) {
  const auto deadline = Clock::now() + std::chrono::milliseconds(options_.page_timeout_ms);
  auto left_ms = [&] {
    return static_cast<int>(std::max<int64_t>(
        0, std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count()));
  };
  bool loaded = false;
  // The handler refers to this frame: it must go when the frame does, by return or by throw.
  struct HandlerReset {
    cdp::Browser& browser;
    ~HandlerReset() { browser.set_event_handler(nullptr); }
  } reset_handler{*browser_};
  browser_->set_event_handler([&](const Json& ev) {
    if (replay_->on_event(ev)) return;
    const std::string method = ev.value("method", std::string());
    if (ev.value("sessionId", std::string()) != session) return;
    if (method == "Page.loadEventFired") loaded = true;
    // alert(), confirm(), beforeunload: a dialog left open would stall the page until the timeout.
    if (method == "Page.javascriptDialogOpening") browser_->send("Page.handleJavaScriptDialog", {{"accept", true}}, session);
  });
  const auto in_browser = Clock::now();
  browser_->call("Emulation.setDeviceMetricsOverride",
                 {{"width", options_.viewport_width}, {"height", options_.viewport_height},
                  {"deviceScaleFactor", options_.device_scale_factor}, {"mobile", false}},
                 session);
  if (!options_.javascript) browser_->call("Emulation.setScriptExecutionDisabled", {{"value", true}}, session);
  replay_->enable(session);
  browser_->call("Page.enable", Json::object(), session);
  const Json nav = browser_->call("Page.navigate", {{"url", url}}, session, options_.page_timeout_ms);
  if (nav.contains("errorText")) {
    if (replay_->main_status() == 0) throw PageError{"not_archived", url};
    throw PageError{"navigation_failed", nav.value("errorText", std::string())};
  }
  if (!browser_->pump_until([&] { return loaded; }, left_ms()))
    throw BrowserError(BrowserError::Kind::hung, "no load event within the page timeout");
  browser_->pump_until([] { return false; }, options_.settle_ms);
  out.status = replay_->main_status();
  // Our scripts run in an isolated world of their own: the same DOM, but none of the page's
  // JavaScript (a page that replaces createTreeWalker or getComputedStyle cannot touch them).
  context_id_ = 0;
  const std::string frame = browser_->call("Page.getFrameTree", Json::object(), session)["frameTree"]["frame"]["id"];
  context_id_ = browser_->call("Page.createIsolatedWorld", {{"frameId", frame}, {"worldName", "warcpairs"}},
                               session)["executionContextId"].get<int>();
  evaluate(session, "document.fonts.ready.then(() => true)", true);
  out.add_phase("load", since(in_browser));
  const auto text_at = Clock::now();
  const Json texts = evaluate(session, scripts::kTextNodes);
  out.add_phase("text_nodes", since(text_at));

  std::vector<std::string> nodes;
  for (const auto& t : texts) nodes.push_back(t.get<std::string>());
  out.text = page_text(nodes);
  text::Encoding enc;
  std::vector<NodeToken> node_tokens;
  tokenize_nodes(wordpiece_, nodes, enc, node_tokens);
  Json spec = Json::array();
  for (const auto& t : node_tokens) spec.insert(spec.end(), {t.node, t.start16, t.end16});

  const auto boxes_at = Clock::now();
  const Json result = evaluate(session, std::string("(") + scripts::kTokenBoxes + ")(" + spec.dump() + ", " +
                                            std::to_string(options_.viewport_width) + ", " +
                                            std::to_string(options_.viewport_height) + ")");
  out.add_phase("boxes", since(boxes_at));
  for (const auto& f : result["fonts"]) out.fonts.push_back(f.get<std::string>());
  const Json& rows = result["tokens"];
  std::vector<TokenBoxes> for_crops;
  for (std::size_t i = 0; i < node_tokens.size() && i < rows.size(); ++i) {
    const Json& row = rows[i];
    PageToken t;
    t.id = node_tokens[i].id;
    t.start = node_tokens[i].start;
    t.end = node_tokens[i].end;
    t.hidden_by = row[0].get<std::string>();
    t.visible = t.hidden_by.empty();
    t.font = row[1].get<int32_t>();
    for (std::size_t k = 2; k + 3 < row.size(); k += 4)
      t.boxes.push_back({row[k].get<double>(), row[k + 1].get<double>(), row[k + 2].get<double>(),
                         row[k + 3].get<double>()});
    for_crops.push_back({t.boxes, t.visible});
    out.tokens.push_back(std::move(t));
  }

  if (options_.pixel_check) {
    const auto pixels_at = Clock::now();
    check_pixels(session, out);
    out.add_phase("pixel_check", since(pixels_at));
    for (std::size_t i = 0; i < out.tokens.size(); ++i) for_crops[i].visible = out.tokens[i].visible;
  }
  for (const Box& region : choose_crops(for_crops, options_.viewport_width, options_.viewport_height,
                                        options_.crops)) {
    Crop crop;
    crop.region = region;
    for (std::size_t i = 0; i < out.tokens.size(); ++i)
      for (const Box& b : out.tokens[i].boxes)
        if (region.intersects(b)) {
          crop.tokens.push_back(static_cast<int32_t>(i));
          break;
        }
    crop.visible_tokens = visible_tokens_inside(for_crops, region);
    const auto shot_at = Clock::now();
    const Json shot = browser_->call(
        "Page.captureScreenshot",
        {{"format", "png"},
         {"clip", {{"x", region.x}, {"y", region.y}, {"width", region.width}, {"height", region.height},
                   {"scale", 1}}}},
        session, options_.page_timeout_ms);
    out.add_phase("screenshots", since(shot_at));
    crop.png = base64_decode(shot.value("data", std::string()));
    out.crops.push_back(std::move(crop));
  }
}

// The viewport as is and with all text transparent (colour does not change layout, so every box
// stays where it was). A token judged visible whose boxes change no pixel is not drawn where it
// can be seen; one rejected by a colour check alone whose boxes do change is drawn after all.
void PageRenderer::check_pixels(const std::string& session, RenderedPage& out) {
  auto shot = [&] {
    const Json r = browser_->call("Page.captureScreenshot", {{"format", "png"}}, session, options_.page_timeout_ms);
    const std::string png = base64_decode(r.value("data", std::string()));
    image::DecodeResult d = image::decode(std::span(reinterpret_cast<const uint8_t*>(png.data()), png.size()));
    if (!d.ok) throw PageError{"pixel_check_failed", d.error};
    return std::move(d.image);
  };
  const image::Image with_text = shot();
  evaluate(session, scripts::kHideText);
  const image::Image without_text = shot();
  evaluate(session, scripts::kShowText);
  for (PageToken& t : out.tokens) {
    if (t.boxes.empty()) continue;
    double most = 0;
    for (const Box& b : t.boxes) most = std::max(most, changed_share(with_text, without_text, b, options_.device_scale_factor));
    if (t.visible && most == 0) {
      t.visible = false;
      t.hidden_by = "pixel_check";
    } else if (!t.visible && (t.hidden_by == "same_colour" || t.hidden_by == "low_contrast") && most >= 0.02) {
      t.visible = true;
      t.hidden_by.clear();
    }
  }
}

}  // namespace warcpairs::render
