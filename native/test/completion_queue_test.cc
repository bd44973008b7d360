// CompletionQueue: FIFO order, doorbell on empty→non-empty vs per event,
// bounded drains, 8 producer threads.
#include <atomic>
#include <thread>
#include <vector>

#include "check.h"
#include "client/completion_queue.h"

namespace {

using wmiput::client::Completion;
using wmiput::client::CompletionQueue;

Completion Make(uint32_t id) {
  Completion c;
  c.id = id;
  return c;
}

WP_TEST("completion_queue: FIFO across partial drains") {
  int rings = 0;
  CompletionQueue q([&] { ++rings; }, false);
  for (uint32_t i = 1; i <= 10; ++i) q.Push(Make(i));
  CHECK_EQ(rings, 1);
  std::vector<Completion> out;
  CHECK_EQ(q.Drain(&out, 3), size_t{7});
  for (uint32_t i = 11; i <= 12; ++i) q.Push(Make(i));
  CHECK_EQ(rings, 1);  // the queue never became empty
  CHECK_EQ(q.Drain(&out, 4), size_t{5});
  CHECK_EQ(q.Drain(&out, 100), size_t{0});
  CHECK_EQ(out.size(), size_t{12});
  for (uint32_t i = 0; i < 12; ++i) CHECK_EQ(out[i].id, i + 1);
  CHECK_EQ(q.Size(), size_t{0});
  q.Push(Make(13));
  CHECK_EQ(rings, 2);  // empty → non-empty again
}

WP_TEST("completion_queue: drain of an empty queue returns nothing") {
  CompletionQueue q(nullptr, false);
  std::vector<Completion> out;
  CHECK_EQ(q.Drain(&out, 10), size_t{0});
  CHECK(out.empty());
  q.Push(Make(1));  // no doorbell set: must not crash
  CHECK_EQ(q.Drain(&out, 0), size_t{1});
  CHECK(out.empty());
}

WP_TEST("completion_queue: per-event mode rings on every push") {
  int rings = 0;
  CompletionQueue q([&] { ++rings; }, true);
  for (uint32_t i = 0; i < 5; ++i) q.Push(Make(i));
  CHECK_EQ(rings, 5);
  q.Push(Make(6), false);
  CHECK_EQ(rings, 5);
}

WP_TEST("completion_queue: 8 producers, per-producer order kept, one ring per empty→non-empty") {
  constexpr int kProducers = 8;
  constexpr uint32_t kEach = 20000;
  std::atomic<int> rings{0};
  CompletionQueue q([&] { rings.fetch_add(1); }, false);
  std::atomic<bool> go{false};
  std::vector<std::thread> threads;
  for (int p = 0; p < kProducers; ++p) {
    threads.emplace_back([&, p] {
      while (!go.load()) std::this_thread::yield();
      for (uint32_t i = 0; i < kEach; ++i) q.Push(Make(static_cast<uint32_t>(p) << 24 | i));
    });
  }
  go = true;
  std::vector<uint32_t> next(kProducers, 0);
  size_t received = 0;
  int drainsThatEmptied = 0;
  std::vector<Completion> out;
  while (received < kProducers * kEach) {
    out.clear();
    size_t left = q.Drain(&out, 1000);
    if (left == 0 && !out.empty()) ++drainsThatEmptied;
    for (auto& c : out) {
      uint32_t p = c.id >> 24, i = c.id & 0xFFFFFF;
      CHECK_EQ(i, next[p]);
      next[p] = i + 1;
    }
    received += out.size();
  }
  for (auto& t : threads) t.join();
  for (int p = 0; p < kProducers; ++p) CHECK_EQ(next[p], kEach);
  // Every ring follows an empty queue: at most one ring per drain that emptied it, plus the first.
  CHECK(rings.load() >= 1);
  CHECK(rings.load() <= drainsThatEmptied + 1);
  CHECK_EQ(q.Size(), size_t{0});
}

}  // namespace
