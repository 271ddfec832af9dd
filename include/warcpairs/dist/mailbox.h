// Point-to-point messages between ranks (MPI_Isend / MPI_Iprobe): for a leader and workers
// that talk while they work, where no rank may wait on a collective. Bytes only; what they
// mean is the caller's.
#pragma once

#include <deque>
#include <memory>
#include <optional>
#include <string>

#include "warcpairs/dist/mpi_session.h"

namespace warcpairs::dist {

struct Message {
  int from = 0;
  int tag = 0;
  std::string bytes;
};

class Mailbox {
 public:
  explicit Mailbox(const MpiSession& session);
  ~Mailbox();  // waits for this rank's sends still in flight
  Mailbox(const Mailbox&) = delete;
  Mailbox& operator=(const Mailbox&) = delete;

  // Sends without blocking: the bytes are kept until MPI has delivered them. Sending to
  // oneself works too (the message comes back from receive()).
  void send(int to, int tag, std::string bytes);
  // The next message for this rank, if one has arrived (never blocks).
  std::optional<Message> receive();
  // The next message, waiting up to `timeout_s` seconds (polling, so other work of the
  // calling thread is delayed at most that long).
  std::optional<Message> receive_within(double timeout_s);
  // Sends not yet delivered (completes those that are).
  std::size_t sends_in_flight();
  // Counters, for the stats and the scaling measurements.
  int64_t messages_sent() const { return sent_; }
  int64_t messages_received() const { return received_; }
  int64_t bytes_sent() const { return bytes_sent_; }

 private:
  struct Pending;
  const MpiSession& session_;
  std::deque<std::unique_ptr<Pending>> pending_;
  std::deque<Message> to_self_;
  int64_t sent_ = 0, received_ = 0, bytes_sent_ = 0;
};

}  // namespace warcpairs::dist
