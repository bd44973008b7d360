// Process-wide live-object counters of the embedded server (leak accounting;
// embedded.h GetCounters() reads them). Incremented in constructors,
// decremented in destructors, relaxed atomics: they are only ever compared
// when the process is quiescent.
#pragma once

#include <atomic>
#include <cstdint>

namespace wmiput::embedded::live {

inline std::atomic<int64_t> classObjects{0};
inline std::atomic<int64_t> services{0};
inline std::atomic<int64_t> pendingCalls{0};
inline std::atomic<int64_t> contexts{0};
inline std::atomic<int64_t> repositories{0};

}  // namespace wmiput::embedded::live
