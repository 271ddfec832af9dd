// `warcpairs crawl`: options into CrawlConfig, MPI session, the stage, a summary.
#include <unistd.h>

#include <cstdio>
#include <map>

#include "commands.h"
#include "warcpairs/core/error.h"
#include "warcpairs/dist/mpi_session.h"
#include "warcpairs/stages/crawl/crawl.h"

namespace warcpairs::cli {
namespace {

struct CrawlCli {
  stages::CrawlConfig config;
  LogOptions log;
  std::string scope = "same-host";
  std::string requisites = "all";
  double timeout_s = 30, connect_timeout_s = 10, max_mb = 20;
};

int run(CrawlCli& cli) {
  auto& c = cli.config;
  if (cli.scope == "same-host") c.scope = stages::CrawlScope::same_host;
  else if (cli.scope == "same-domain") c.scope = stages::CrawlScope::same_domain;
  else c.scope = stages::CrawlScope::prefixes, c.scope_file = cli.scope;
  c.requisites = std::map<std::string, stages::Requisites>{
      {"none", stages::Requisites::none}, {"images", stages::Requisites::images},
      {"all", stages::Requisites::all}}.at(cli.requisites);
  c.fetch.total_timeout_ms = static_cast<long>(cli.timeout_s * 1000);
  c.fetch.connect_timeout_ms = static_cast<long>(cli.connect_timeout_s * 1000);
  c.fetch.max_bytes = static_cast<int64_t>(cli.max_mb * 1024 * 1024);
  c.progress_tty = isatty(STDERR_FILENO) && !cli.log.quiet;
  const auto session = start_mpi_stage(cli.log, c.run_dir, "crawl");
  const auto t = stages::run_crawl(c, *session);
  if (session->is_root()) {
    std::printf("crawl: attempt %d: %lld URLs fetched (%lld failed without a response), %.1f MB "
                "in %.1f s (%.1f pages/s, %.2f MB/s); %lld disallowed by robots.txt, %lld capped "
                "(depth, URL length, query parameters, per-origin, --max-pages); %lld leases "
                "expired; %lld WARC parts in %s/warc; %lld URLs left queued\n",
                t.attempt, (long long)t.fetched, (long long)t.failed, double(t.bytes) / 1e6,
                t.seconds, t.pages_per_second, t.mb_per_second, (long long)t.disallowed,
                (long long)t.capped, (long long)t.leases_expired, (long long)t.parts,
                c.run_dir.c_str(), (long long)t.queued_left);
    if (t.stopped)
      std::printf("stopped by a signal; run the same command again to go on (exit %d)\n", kExitResume);
  }
  return t.stopped ? kExitResume : kExitOk;
}

}  // namespace

Runner add_crawl_command(CLI::App& app) {
  auto cli = std::make_shared<CrawlCli>();
  auto& c = cli->config;
  auto* cmd = app.add_subcommand("crawl", "Crawl sites from seed URLs into WARC/1.1 files "
                                          "(rank 0 leads, every rank fetches)");
  cmd->add_option("-o,--out", c.run_dir, "Run directory (RUN/warc/*.warc.gz, RUN/crawl/state.sqlite)")->required();
  cmd->add_option("--seeds", c.seeds, "Seed URLs, one a line ('#' comments)")->required()->check(CLI::ExistingFile);
  cmd->add_option("--scope", cli->scope, "same-host, same-domain (registrable domain, Public Suffix List) or a FILE of URL prefixes")->capture_default_str();
  cmd->add_option("--max-pages", c.max_pages, "Pages to fetch at most, all attempts (0: no cap; requisites not counted)")->check(CLI::NonNegativeNumber)->capture_default_str();
  cmd->add_option("--max-depth", c.max_depth, "Link hops from a seed (breadth first)")->check(CLI::NonNegativeNumber)->capture_default_str();
  cmd->add_option("--max-per-origin", c.max_per_origin, "URLs per scheme://host:port (trap cap)")->check(CLI::PositiveNumber)->capture_default_str();
  cmd->add_option("--max-url-length", c.max_url_length, "Longer URLs are not fetched (trap cap)")->check(CLI::PositiveNumber)->capture_default_str();
  cmd->add_option("--max-query-params", c.max_query_params, "URLs with more query parameters are not fetched (trap cap)")->check(CLI::NonNegativeNumber)->capture_default_str();
  cmd->add_option("--requisites", cli->requisites, "Page requisites fetched with the pages: none, images, all (images, stylesheets, scripts)")->check(CLI::IsMember({"none", "images", "all"}))->capture_default_str();
  cmd->add_option("--user-agent", c.fetch.user_agent, "User-Agent header; its first word is the robots.txt product token (add a contact URL)")->capture_default_str();
  cmd->add_option("--per-host", c.per_host, "URLs of one origin in flight at once, all ranks together")->check(CLI::PositiveNumber)->capture_default_str();
  cmd->add_option("--delay", c.delay_s, "Seconds from the end of one request to an origin to the start of the next (then one at a time; a larger robots.txt Crawl-delay wins)")->check(CLI::NonNegativeNumber)->capture_default_str();
  cmd->add_option("--max-crawl-delay", c.max_crawl_delay_s, "Cap on a robots.txt Crawl-delay, seconds")->check(CLI::NonNegativeNumber)->capture_default_str();
  cmd->add_option("--robots-max-age", c.robots_max_age_s, "Seconds a fetched robots.txt is used before it is fetched again (RFC 9309 §2.4: at most 24 hours)")->check(CLI::PositiveNumber)->capture_default_str();
  cmd->add_option("--retry-failed", c.retry_failed, "Reruns that fetch again a URL whose fetch failed without a response (connect failure, reset, timeout, DNS), per URL")->check(CLI::NonNegativeNumber)->capture_default_str();
  cmd->add_option("--lease", c.lease_s, "Seconds a rank has to report a URL before it is handed out again")->check(CLI::PositiveNumber)->capture_default_str();
  cmd->add_option("--batch", c.batch, "URLs per lease message")->check(CLI::PositiveNumber)->capture_default_str();
  cmd->add_option("--warc-mb", c.warc_mb, "A WARC part is rolled beyond this many MB")->check(CLI::PositiveNumber)->capture_default_str();
  cmd->add_option("--commit-every", c.commit_s, "Seconds between two commits of a rank's WARC part (the unit of resuming)")->check(CLI::PositiveNumber)->capture_default_str();
  cmd->add_option("--connections", c.fetch.max_connections, "Transfers in flight per rank")->check(CLI::PositiveNumber)->capture_default_str();
  cmd->add_option("--timeout", cli->timeout_s, "Seconds per attempt")->check(CLI::PositiveNumber)->capture_default_str();
  cmd->add_option("--connect-timeout", cli->connect_timeout_s, "Seconds to connect")->check(CLI::PositiveNumber)->capture_default_str();
  cmd->add_option("--retries", c.fetch.retries, "Extra attempts on 5xx, 429 (Retry-After honoured), timeouts")->check(CLI::NonNegativeNumber)->capture_default_str();
  cmd->add_option("--backoff", c.fetch.backoff_s, "Seconds before the first retry (doubled each time)")->check(CLI::NonNegativeNumber)->capture_default_str();
  cmd->add_option("--max-mb", cli->max_mb, "Cap on one response body")->check(CLI::PositiveNumber)->capture_default_str();
  cmd->add_flag("--allow-loopback", c.fetch.allow_loopback, "Allow 127.0.0.0/8 and ::1 (tests only)");
  cmd->add_option("--resolve", c.fetch.resolve,
                  "HOST:PORT:ADDRESS[,ADDRESS...], repeatable, as curl --resolve (the address guard still applies)")
      ->check(CLI::Validator(
          [](std::string& v) { return net::resolve_entry_error(v); }, "HOST:PORT:ADDRESS", "resolve"));
  add_log_options(*cmd, cli->log);
  cmd->footer(
      "Examples:\n"
      "  mpirun -np 4 warcpairs crawl --out run1 --seeds urls.txt --max-depth 5\n"
      "  warcpairs extract --out run1 run1/warc/*.warc.gz\n"
      "Polite by default: robots.txt (RFC 9309) per origin, --per-host URLs in flight per origin,\n"
      "Crawl-delay honoured; no private, loopback or link-local address is connected to.\n"
      "Stop it at any moment (SIGKILL too) and run the same command again: it goes on, and every\n"
      "URL's records are in RUN/warc exactly once. SIGTERM/SIGUSR1 stop it with exit 75.\n"
      "Totals of all attempts: RUN/crawl-stats.json; per-rank logs: RUN/logs/crawl.rankN.log.");
  return [cli] { return run(*cli); };
}

}  // namespace warcpairs::cli
