// The embedded server's worker threads: they run asynchronous operations and
// call client sinks, the way WMI calls sinks from its RPC threads.
//
// Two lanes, each a mutex+condvar FIFO drained by its own threads, both
// created lazily on first use:
//   - the pool (2-4 threads): DeliveryMode::kPooled and kChaos (in chaos mode
//     each task is first delayed by a random 0-50 us, so completions leave
//     the pool out of submission order and from several threads);
//   - the ordered lane (one thread): DeliveryMode::kOrdered, strict FIFO.
// Submitting wakes a sleeping worker only when the awake ones cannot already
// absorb the queued work, so a burst of submissions costs at most one wake per
// thread, not one per task.
//
// Destruction stops both lanes after draining them (every accepted task runs)
// and joins the threads; when the last owner lets go on one of the executor's
// own threads, that thread is detached instead and exits by itself (the lane
// state it uses is shared with it).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>

#include "embedded/embedded.h"

namespace wmiput::embedded {

// One unit of work. The executor calls Run() once on a worker thread and then
// Done(), which by default deletes the task.
class Task {
 public:
  virtual ~Task() = default;
  // Thread: executor worker.
  virtual void Run() noexcept = 0;
  // Thread: executor worker. Called after Run; releases the executor's claim.
  virtual void Done() noexcept { delete this; }

 private:
  friend class Executor;
  Task* next_ = nullptr;
  std::chrono::microseconds delay_{0};
  bool chaos_ = false;
};

class Executor {
 public:
  // poolThreads 0 = default: hardware concurrency clamped to [2, 4].
  explicit Executor(int poolThreads = 0);
  ~Executor();
  Executor(const Executor&) = delete;
  Executor& operator=(const Executor&) = delete;

  // Thread: any. Queues `task` for the lane of `mode`; `latency` is slept on
  // the worker before the task runs. On failure (the worker thread could not
  // be started) the task is NOT taken and E_OUTOFMEMORY is returned.
  HRESULT Submit(Task* task, DeliveryMode mode,
                 std::chrono::microseconds latency) noexcept;
  // Thread: any. Convenience for tests and small jobs.
  HRESULT Submit(std::function<void()> fn, DeliveryMode mode = DeliveryMode::kPooled,
                 std::chrono::microseconds latency = std::chrono::microseconds{0}) noexcept;

  int poolThreads() const noexcept { return poolThreads_; }

  // Thread: any. True when called from one of this executor's workers.
  bool OnWorkerThread() const noexcept;

 private:
  struct Lane;
  const int poolThreads_;
  std::shared_ptr<Lane> pool_;
  std::shared_ptr<Lane> ordered_;
};

}  // namespace wmiput::embedded
