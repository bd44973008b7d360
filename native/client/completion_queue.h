// The per-connection completion queue: any thread pushes (sink callbacks, the
// COM worker), the JS thread drains in FIFO order. The doorbell rings when the
// queue goes from empty to non-empty (or on every push in per-event mode); the
// drainer learns about a remaining backlog from Drain's return value.
#pragma once

#include <cstddef>
#include <mutex>
#include <vector>

#include "client/api.h"

namespace wmiput::client {

class CompletionQueue {
 public:
  CompletionQueue(Connection::Doorbell doorbell, bool perEvent)
      : doorbell_(std::move(doorbell)), perEvent_(perEvent) {}
  CompletionQueue(const CompletionQueue&) = delete;
  CompletionQueue& operator=(const CompletionQueue&) = delete;

  // Thread: any. Appends `c`; rings the doorbell (outside the lock) when the
  // queue was empty, or always in per-event mode, unless `ring` is false.
  void Push(Completion&& c, bool ring = true);

  // Thread: the single drainer (JS). Moves up to `max` completions, oldest
  // first, into `out`; returns how many remain queued.
  size_t Drain(std::vector<Completion>* out, size_t max);

  // Thread: any. Completions pushed and not yet drained.
  size_t Size() const;

 private:
  Connection::Doorbell doorbell_;
  const bool perEvent_;

  mutable std::mutex mutex_;
  std::vector<Completion> pending_;  // guarded by mutex_
  size_t total_ = 0;                 // pending_ + undrained staged_, guarded by mutex_

  std::mutex drainMutex_;            // one drainer at a time
  std::vector<Completion> staged_;   // drainer only: swapped out of pending_
  size_t stagedPos_ = 0;             // next completion of staged_ to hand out
};

}  // namespace wmiput::client
