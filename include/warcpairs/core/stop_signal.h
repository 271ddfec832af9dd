// Graceful stop: SIGTERM, SIGUSR1 (what `sbatch --signal=B:USR1@120` sends before the time
// limit) and SIGINT set a flag that long loops poll between records.
#pragma once

#include <filesystem>

namespace warcpairs {

// Installs the handlers (idempotent). A second SIGINT ends the process at once, so a
// person at a terminal is never stuck behind a slow record.
void install_stop_handlers();

// True once a stop signal arrived (or request_stop() was called).
bool stop_requested();
// The signal number that asked to stop, 0 if none (or a programmatic request).
int stop_signal();
// Asks this process to stop as a signal would (used when another rank stopped).
void request_stop();
// Forgets a stop request (tests).
void reset_stop();

// The stop marker: once a stop signal arrives (or request_stop() is called), `path` is
// written (from the handler, with open/write/close only), so a script can tell "stopped,
// resume me" from a failure even where the launcher cannot pass exit 75 on (mpirun exits 1
// after Ctrl-C or SIGTERM, README "Stopping and resuming"). Written at once when a stop was
// already requested. An empty path turns the marker off.
void set_stop_marker(const std::filesystem::path& path);
// Removes the marker file (a finished run: nothing to resume).
void clear_stop_marker();

}  // namespace warcpairs
