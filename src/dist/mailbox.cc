// Mailbox: MPI_Isend with owned buffers, MPI_Iprobe + MPI_Recv of sized byte messages.
#include "warcpairs/dist/mailbox.h"

#include <mpi.h>

#include <chrono>
#include <climits>
#include <thread>

#include "warcpairs/core/error.h"

namespace warcpairs::dist {

struct Mailbox::Pending {
  std::string bytes;
  MPI_Request request = MPI_REQUEST_NULL;
};

Mailbox::Mailbox(const MpiSession& session) : session_(session) {}

Mailbox::~Mailbox() {
  for (auto& p : pending_) MPI_Wait(&p->request, MPI_STATUS_IGNORE);
}

void Mailbox::send(int to, int tag, std::string bytes) {
  ++sent_;
  bytes_sent_ += static_cast<int64_t>(bytes.size());
  if (to == session_.rank()) {
    to_self_.push_back({to, tag, std::move(bytes)});
    return;
  }
  if (bytes.size() > static_cast<std::size_t>(INT_MAX)) throw Error("message over 2 GiB");
  auto p = std::make_unique<Pending>();
  p->bytes = std::move(bytes);
  MPI_Isend(p->bytes.data(), static_cast<int>(p->bytes.size()), MPI_BYTE, to, tag, MPI_COMM_WORLD,
            &p->request);
  pending_.push_back(std::move(p));
  sends_in_flight();
}

std::size_t Mailbox::sends_in_flight() {
  while (!pending_.empty()) {
    int done = 0;
    MPI_Test(&pending_.front()->request, &done, MPI_STATUS_IGNORE);
    if (!done) break;
    pending_.pop_front();
  }
  return pending_.size();
}

std::optional<Message> Mailbox::receive() {
  sends_in_flight();
  if (!to_self_.empty()) {
    Message m = std::move(to_self_.front());
    to_self_.pop_front();
    ++received_;
    return m;
  }
  int flag = 0;
  MPI_Status status;
  MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &status);
  if (!flag) return std::nullopt;
  int count = 0;
  MPI_Get_count(&status, MPI_BYTE, &count);
  Message m{status.MPI_SOURCE, status.MPI_TAG, std::string(static_cast<std::size_t>(count), '\0')};
  MPI_Recv(m.bytes.data(), count, MPI_BYTE, status.MPI_SOURCE, status.MPI_TAG, MPI_COMM_WORLD,
           MPI_STATUS_IGNORE);
  ++received_;
  return m;
}

std::optional<Message> Mailbox::receive_within(double timeout_s) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout_s);
  auto pause = std::chrono::microseconds(20);
  while (true) {
    if (auto m = receive()) return m;
    if (std::chrono::steady_clock::now() >= until) return std::nullopt;
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::microseconds(2000));
  }
}

}  // namespace warcpairs::dist
