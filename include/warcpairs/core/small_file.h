// Reading a whole small file into memory: a config, a vocabulary, a pair list, a tool's output.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace warcpairs {

// Configs, vocabularies and tokenizer files are far below this; a file above it is a wrong path.
inline constexpr std::uint64_t kSmallFileMaxBytes = 64ull << 20;

// Who a file that cannot be opened is blamed on: the run (Error, exit 1) or the command line
// or config that named it (UsageError, exit 2).
enum class ReadBlame { run, usage };

// All bytes of `path`. `what` opens the message when it cannot be opened ("cannot read the
// pair list"): Error(what, path), or UsageError("<what> <path>") for ReadBlame::usage. A file
// larger than `max_bytes` (a WARC file where a config belongs) or a failing read throws an
// Error naming the file instead of filling memory.
std::string read_small_file(const std::filesystem::path& path, std::string_view what,
                            ReadBlame blame = ReadBlame::run,
                            std::uint64_t max_bytes = kSmallFileMaxBytes);

}  // namespace warcpairs
