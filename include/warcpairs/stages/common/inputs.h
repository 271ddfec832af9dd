// Turns the INPUT arguments of a stage (files, directories, globs, @list.txt) into one
// sorted list of WARC paths.
#pragma once

#include <string>
#include <vector>

namespace warcpairs::stages {

// Files are taken as given (even when missing: extract then records them as unreadable, so
// a typo in a list is reported, not silently dropped); directories are searched recursively
// for *.warc and *.warc.gz; glob patterns are expanded; "@FILE" reads one input per line
// ('#' comments and blank lines ignored; relative entries are relative to FILE's folder).
// The result is absolute, lexically normalised, sorted and free of duplicates.
// Throws UsageError when nothing at all is found or a list file cannot be read.
std::vector<std::string> expand_inputs(const std::vector<std::string>& inputs);

// The name prefix of the shards that hold the result of `stage` for one input file
// ("extract-<file name>-<hash of the path>"): stable for the same path, distinct for
// different paths with the same file name. Part names: shard_ledger.h.
std::string shard_prefix_for(const std::string& stage, const std::string& input_path);

}  // namespace warcpairs::stages
