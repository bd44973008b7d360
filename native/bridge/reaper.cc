#include "bridge/reaper.h"

#include <utility>

namespace wmiput::bridge {

// Thread: JS (env teardown).
Reaper::~Reaper() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  cv_.notify_one();
  if (thread_.joinable()) thread_.join();
  queue_.clear();  // only when the thread never started
}

// Thread: JS.
void Reaper::Release(std::shared_ptr<void> p) noexcept {
  if (!p) return;
  try {
    if (!thread_.joinable()) thread_ = std::thread([this] { Run(); });
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (!stop_) {
        queue_.push_back(std::move(p));
      }
    }
    cv_.notify_one();
  } catch (...) {
    // No thread or no memory for the queue: let go right here.
  }
  p.reset();
}

// Thread: reaper.
void Reaper::Run() noexcept {
  std::vector<std::shared_ptr<void>> batch;
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    cv_.wait(lock, [&] { return stop_ || !queue_.empty(); });
    if (queue_.empty()) break;  // stopping and drained
    batch.swap(queue_);
    lock.unlock();
    batch.clear();  // the destructors run here, off the JS thread
    lock.lock();
  }
}

}  // namespace wmiput::bridge
