// Graceful stop: SIGTERM, SIGUSR1 (what `sbatch --signal=B:USR1@120` sends before the time
// limit) and SIGINT set a flag that long loops poll between records.
#pragma once

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

}  // namespace warcpairs
