// Turns the INPUT arguments of a stage (files, directories, globs, @list.txt) into one
// sorted list of WARC paths.
#pragma once

#include <string>
#include <vector>

namespace warcpairs::stages {

// Files named on the command line must exist (UsageError naming the path otherwise: a typo
// or a file not there yet is not work done); directories are searched recursively for
// *.warc and *.warc.gz; glob patterns are expanded; "@FILE" reads one input per line ('#'
// comments and blank lines ignored; relative entries are relative to FILE's folder). An
// entry of a list that does not exist is not an error: it is returned in `missing` (with a
// warning naming it), for the stage to count and report.
// `files` is absolute, lexically normalised, sorted and free of duplicates; two paths of
// the same file (a symlink beside its target, a hard link) are one input: the first as
// given is kept and the log says which was dropped.
// Throws UsageError when nothing at all is found or a list file cannot be read.
struct InputFiles {
  std::vector<std::string> files;    // to read
  std::vector<std::string> missing;  // @list entries that do not exist (absolute, sorted)
};
InputFiles expand_inputs(const std::vector<std::string>& inputs);

// The name prefix of the shards that hold the result of `stage` for one input file
// ("extract-<file name>-<hash of the path>"): stable for the same path, distinct for
// different paths with the same file name. Part names: shard_ledger.h.
std::string shard_prefix_for(const std::string& stage, const std::string& input_path);

}  // namespace warcpairs::stages
