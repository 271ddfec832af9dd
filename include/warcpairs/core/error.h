// The one error type of warcpairs: what went wrong, in which file, at which byte offset.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

namespace warcpairs {

// Exit codes of every subcommand (DESIGN.md, "The interface that scripts rely on").
enum ExitCode : int {
  kExitOk = 0,       // done; skipped bad records are counted, not fatal
  kExitFailed = 1,   // the stage could not finish
  kExitUsage = 2,    // bad command line or config
  kExitResume = 75,  // stopped by a signal after saving progress: run the same command again
};

// A run-level failure. Record-level problems never become an Error: they go to SkipLog.
class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& what, std::string file = {}, int64_t offset = -1);
  const std::string& file() const { return file_; }
  int64_t offset() const { return offset_; }

 private:
  std::string file_;
  int64_t offset_;
};

// A bad command line or configuration: the message says what to change; exits kExitUsage.
class UsageError : public Error {
 public:
  explicit UsageError(const std::string& what) : Error(what) {}
};

}  // namespace warcpairs
