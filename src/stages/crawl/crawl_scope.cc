// Scope and trap caps of the crawl; registrable domains from libpsl.
#include "crawl_scope.h"

#include <libpsl.h>

#include <fstream>

#include "warcpairs/core/error.h"
#include "warcpairs/text/url.h"
#include "warcpairs/text/url_normalize.h"

namespace warcpairs::stages::crawl {

std::string origin_of(std::string_view url) {
  const std::size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return {};
  const std::size_t end = url.find_first_of("/?#", scheme + 3);
  return std::string(url.substr(0, end));
}

std::string registrable_domain(std::string_view host) {
  const std::string h(host);
  const char* d = psl_registrable_domain(psl_builtin(), h.c_str());
  return d ? std::string(d) : h;
}

ScopeRules::ScopeRules(const CrawlConfig& config, const SeedSource& seeds)
    : scope_(config.scope), max_length_(config.max_url_length), max_params_(config.max_query_params) {
  if (scope_ == CrawlScope::prefixes) {
    std::ifstream in(config.scope_file);
    if (!in) throw UsageError("--scope: cannot read " + config.scope_file.string());
    std::string line;
    while (std::getline(in, line)) {
      if (line.empty() || line[0] == '#') continue;
      const std::string n = text::normalize_url(line);
      if (n.empty()) throw UsageError("--scope " + config.scope_file.string() +
                                      ": not an http(s) URL prefix: " + line);
      // normalize_url makes "http://h" "http://h/"; a prefix given with a path keeps it.
      prefixes_.push_back(n);
    }
    return;
  }
  seeds([&](const std::string& s) {
    const std::string host = text::url_host(s);
    hosts_.insert(scope_ == CrawlScope::same_domain ? registrable_domain(host) : host);
  });
}

bool ScopeRules::in_scope(std::string_view url) const {
  if (scope_ == CrawlScope::prefixes) {
    for (const auto& p : prefixes_)
      if (url.starts_with(p)) return true;
    return false;
  }
  const std::string host = text::url_host(url);
  return hosts_.count(scope_ == CrawlScope::same_domain ? registrable_domain(host) : host) > 0;
}

std::string ScopeRules::trap(std::string_view url) const {
  if (static_cast<int>(url.size()) > max_length_) return "url_length";
  const std::size_t q = url.find('?');
  if (q != std::string_view::npos) {
    int params = 1;
    for (std::size_t i = q + 1; i < url.size(); ++i) params += url[i] == '&';
    if (params > max_params_) return "query_params";
  }
  return {};
}

}  // namespace warcpairs::stages::crawl
