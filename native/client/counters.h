// Process-wide live counters of the client (GetClientCounters reads them):
// relaxed atomics, compared only when the process is quiescent.
#pragma once

#include <atomic>
#include <cstdint>

namespace wmiput::client::live {

inline std::atomic<int64_t> sinks{0};
inline std::atomic<int64_t> operations{0};
inline std::atomic<int64_t> cachedClasses{0};
inline std::atomic<int64_t> connections{0};

}  // namespace wmiput::client::live
