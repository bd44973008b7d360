// Per-repository state of the embedded server's COM face: the test controls
// (delivery mode, latency), injected faults and the executor (created on the
// first asynchronous operation). Kept outside Repository (which knows nothing
// of COM delivery) in a process-wide table keyed by the repository's address;
// every IWbemServices holds a reference, so the executor lives as long as any
// connection or pending operation of the repository.
#pragma once

#include <atomic>
#include <deque>
#include <memory>
#include <mutex>

#include "embedded/embedded.h"
#include "embedded/executor.h"

namespace wmiput::embedded {

class ServerState {
 public:
  ServerState() = default;
  ~ServerState();
  ServerState(const ServerState&) = delete;
  ServerState& operator=(const ServerState&) = delete;

  // Thread: any.
  RepositoryControls Controls() const noexcept;
  void SetControls(const RepositoryControls& controls) noexcept;

  // Thread: any. Faults apply to the next operations that write (PutClass,
  // PutInstance, DeleteClass, DeleteInstance, in every form), oldest first.
  void InjectFault(const Fault& fault);
  void ClearFaults() noexcept;
  // Consumes one failure of the oldest injected fault, if any.
  bool TakeFault(Fault* out) noexcept;

  // Thread: any. Throws std::bad_alloc.
  Executor& executor();

 private:
  std::atomic<int> mode_{static_cast<int>(DeliveryMode::kPooled)};
  std::atomic<int64_t> latencyUs_{0};
  std::mutex mu_;
  std::deque<Fault> faults_;
  std::atomic<int> faultsQueued_{0};
  std::unique_ptr<Executor> executor_;
  std::atomic<Executor*> executorFast_{nullptr};
};

// Thread: any. The state of `repo`, created on first use. Throws std::bad_alloc.
std::shared_ptr<ServerState> ServerStateFor(const RepositoryPtr& repo);
std::shared_ptr<ServerState> ServerStateFor(Repository& repo);
// Thread: any. Drops the table's reference (the repository is being destroyed).
void ForgetServerState(const Repository* repo) noexcept;

}  // namespace wmiput::embedded
