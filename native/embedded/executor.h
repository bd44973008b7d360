// The embedded server's worker threads: they run asynchronous operations and
// call client sinks, the way WMI calls sinks from its RPC threads.
//
// Three lanes, each a mutex+condvar FIFO drained by its own threads, each
// created lazily on first use:
//   - the pool: DeliveryMode::kPooled without latency. One thread fewer than
//     the cores, 1-4: puts serialise on the repository's write lock anyway,
//     and the JS thread and the COM worker need the other core (on 2 cores,
//     one pool thread instead of two: putMany +15% in memory, +9% durable,
//     fewer futex calls from the lane and from malloc's arena locks);
//   - the wide lane (2-4 threads, at least 2): DeliveryMode::kChaos (each
//     task is first delayed by a random 0-50 us, so completions leave the
//     lane out of submission order and from several threads) and kPooled
//     with a simulated latency (operations wait out their latency side by
//     side, as a server's requests do);
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
  // Thread: executor worker. True when running would do nothing (a cancelled
  // call): the executor then skips the task's simulated latency.
  virtual bool Moot() const noexcept { return false; }

 private:
  friend class Executor;
  Task* next_ = nullptr;
  std::chrono::microseconds delay_{0};
  bool chaos_ = false;
};

class Executor {
 public:
  // poolThreads 0 = default: hardware concurrency - 1, clamped to [1, 4].
  // The wide lane gets max(2, hardware concurrency clamped to [2, 4],
  // poolThreads).
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
  std::shared_ptr<Lane> wide_;
  std::shared_ptr<Lane> ordered_;
};

}  // namespace wmiput::embedded
