// The embedded WMI server's public face: repositories, connecting an
// IWbemServices to a namespace, contexts, and the test controls (delivery
// modes, fault injection, latency, live-object counters). This is all the
// client and the bridge may include from embedded/.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "com/com.h"
#include "com/raii.h"

namespace wmiput::embedded {

class Repository;
using RepositoryPtr = std::shared_ptr<Repository>;

// Thread: any. The process-wide repository (created on first use, like WMI
// per machine) and independent ones on demand. Both start with the
// namespaces root, root\cimv2 and root\default, each holding the system classes.
RepositoryPtr DefaultRepository();
RepositoryPtr NewRepository();

// Thread: any. A durable repository backed by the file at `path` (UTF-8;
// created when absent; docs/repository-format.md): its content is replayed
// from the file and every write whose success is delivered is on disk first.
// One process (one open repository) owns a file at a time. Errors, with *why
// (UTF-8) naming the file: WBEM_E_ACCESS_DENIED (in use), WBEM_E_INVALID_STREAM
// (not a repository file, or damaged before its end), WBEM_E_NOT_SUPPORTED
// (newer format), WBEM_E_FAILED (I/O).
HRESULT OpenRepository(const std::string& path, RepositoryPtr* out, std::string* why) noexcept;
// Thread: any. Flushes a durable repository and releases its file; later
// writes fail with WBEM_E_SHUTTING_DOWN. S_OK for in-memory repositories.
HRESULT CloseRepository(Repository& repo) noexcept;

// Thread: any. An IWbemServices bound to namespace `ns` of `repo`
// ("root\\cimv2"; '/' accepted; case-insensitive). WBEM_E_INVALID_NAMESPACE
// when the namespace does not exist.
HRESULT ConnectServer(const RepositoryPtr& repo, com::OleStringView ns,
                      IWbemServices** out) noexcept;

// Thread: any. A new empty IWbemContext (our implementation of the named-value
// bag; on Windows the client uses CLSID_WbemContext against real WMI).
HRESULT CreateContext(IWbemContext** out) noexcept;

// How the executor delivers sink callbacks.
enum class DeliveryMode {
  kPooled,   // worker threads, no order promised across operations (default)
  kOrdered,  // one worker: operations complete in submission order
  kChaos,    // several workers, each operation delayed by a random few
             // microseconds so completions come out of submission order
};

enum class FaultWhen { kSynchronous, kThroughSink };

struct Fault {
  HRESULT hr = 0;       // e.g. WBEM_E_QUOTA_VIOLATION
  int count = 0;        // how many of the next operations fail
  FaultWhen when = FaultWhen::kThroughSink;
};

struct RepositoryControls {
  DeliveryMode delivery = DeliveryMode::kPooled;
  std::chrono::microseconds latency{0};  // added before each async operation runs
};

// Thread: any.
void SetControls(Repository& repo, const RepositoryControls& controls);
void InjectFault(Repository& repo, const Fault& fault);
void ClearFaults(Repository& repo);

// Live objects, process-wide, for leak accounting in tests.
struct Counters {
  int64_t classObjects = 0;   // IWbemClassObject instances alive
  int64_t services = 0;       // IWbemServices alive
  int64_t pendingCalls = 0;   // async calls accepted and not yet completed
  int64_t contexts = 0;
  int64_t repositories = 0;
};
Counters GetCounters() noexcept;

}  // namespace wmiput::embedded
