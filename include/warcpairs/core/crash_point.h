// A test hook for the exactly-once tests: with WARCPAIRS_CRASH_AT=NAME[:N] in the environment,
// the N-th pass (default the first) through crash_point(NAME) kills the process with SIGKILL,
// so a test can die exactly between a shard's fsync and its rename, or inside a merge
// transaction, instead of hoping a random kill lands there. Unset, it costs one comparison.
// Points: shard_before_rename, shard_after_rename, merge_in_transaction, extract_record,
// train_step (after each optimizer step), predict_pool (after each batch pool of a shard),
// score_fetched (after each download is journaled), score_between_tar_and_shard,
// export_before_publish (before an export's folder is renamed into place),
// merge_embeddings_written (a score shard's .npy files renamed into place, its merge not committed).
// index_after_cdxj (a file's CDXJ renamed, its stamp not written), index_merge_before_rename.
#pragma once

namespace warcpairs {

void crash_point(const char* name);

}  // namespace warcpairs
