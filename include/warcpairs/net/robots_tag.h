// Opt-outs as img2dataset reads them: X-Robots-Tag directives on the image response
// (img2dataset's downloader.py is_disallowed, its default directive list and user-agent rule)
// and the page's own <meta name="robots"> noai / noimageai.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace warcpairs::net {

// What an X-Robots-Tag value may forbid, and the bot name it may address us by.
struct OptOutRules {
  // img2dataset's default --disallowed_header_directives; score --disallowed-directives.
  std::vector<std::string> disallowed{"noai", "noimageai", "noindex", "noimageindex"};
  // img2dataset's --user_agent_token: "<token>: noindex" addresses us, "otherbot: noindex"
  // does not. Lower case.
  std::string user_agent_token = "warcpairs";
};

// One X-Robots-Tag field value, img2dataset's rule exactly: split once at the first ':'; with
// a colon the part before it, lower-cased (not trimmed), is a user-agent token and the
// directives apply only when it equals rules.user_agent_token; without one they apply to
// every bot. Directives are the ','-separated pieces after it, trimmed and lower-cased; the
// first one in rules.disallowed is returned, "" when none is. (So "unavailable_after: <date>"
// reads as a bot named "unavailable_after", as in img2dataset.) The value itself is trimmed
// of surrounding whitespace first, as HTTP field values are.
std::string robots_tag_opt_out(std::string_view value, const OptOutRules& rules);
// Every X-Robots-Tag field of a raw header block, in order: the first opt-out found, or "".
std::string headers_opt_out(std::string_view headers, const OptOutRules& rules);

// A page's <meta name="robots"> directives as extract records them (pages.robots: lower case,
// ','-joined): "noai" or "noimageai" when one is there, else "". Other directives (noindex,
// nofollow) speak of search engines, not of the images' use, and are kept but not honoured.
std::string_view meta_robots_opt_out(std::string_view directives);

}  // namespace warcpairs::net
