// The reaper: drops shared ownership on a background thread so that the last
// release of something expensive to destroy (a repository holding hundreds of
// thousands of instances, reached through a connection collected by the GC)
// does not stall the event loop. One per env (EnvState), started on first
// use, joined when the env is torn down (everything still queued is released
// before the join returns).
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace wmiput::bridge {

class Reaper {
 public:
  Reaper() = default;
  // Thread: JS (env teardown). Releases whatever is still queued, joins.
  ~Reaper();
  Reaper(const Reaper&) = delete;
  Reaper& operator=(const Reaper&) = delete;

  // Thread: JS. Takes `p` and lets it go on the reaper thread; when that
  // thread cannot be started, `p` is let go here.
  void Release(std::shared_ptr<void> p) noexcept;

 private:
  // Thread: reaper.
  void Run() noexcept;

  std::mutex mutex_;
  std::condition_variable cv_;
  std::vector<std::shared_ptr<void>> queue_;  // guarded by mutex_
  bool stop_ = false;                         // guarded by mutex_
  std::thread thread_;                        // JS thread only
};

}  // namespace wmiput::bridge
