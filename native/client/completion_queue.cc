#include "client/completion_queue.h"

#include <algorithm>
#include <iterator>

namespace wmiput::client {

// Thread: any.
void CompletionQueue::Push(Completion&& c, bool ring) {
  bool wasEmpty;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    pending_.push_back(std::move(c));
    wasEmpty = total_++ == 0;
  }
  if (ring && (wasEmpty || perEvent_) && doorbell_) doorbell_();
}

// Thread: JS (the single drainer).
size_t CompletionQueue::Drain(std::vector<Completion>* out, size_t max) {
  std::lock_guard<std::mutex> drainLock(drainMutex_);
  size_t taken = 0;
  while (taken < max) {
    if (stagedPos_ == staged_.size()) {
      staged_.clear();
      stagedPos_ = 0;
      std::lock_guard<std::mutex> lock(mutex_);
      staged_.swap(pending_);
      if (staged_.empty()) break;
    }
    size_t n = std::min(max - taken, staged_.size() - stagedPos_);
    auto first = staged_.begin() + static_cast<std::ptrdiff_t>(stagedPos_);
    out->insert(out->end(), std::make_move_iterator(first),
                std::make_move_iterator(first + static_cast<std::ptrdiff_t>(n)));
    stagedPos_ += n;
    taken += n;
  }
  std::lock_guard<std::mutex> lock(mutex_);
  total_ -= taken;
  return total_;
}

// Thread: any.
size_t CompletionQueue::Size() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return total_;
}

}  // namespace wmiput::client
