// embedded.h entry points other than CreateContext (context.cc).
#include "embedded/embedded.h"

#include <new>

#include "embedded/counters.h"
#include "embedded/repository.h"
#include "embedded/server_state.h"
#include "embedded/services.h"

namespace wmiput::embedded {

// Thread: any. Every repository handed out here drops its server state (and
// so joins its executor threads, unless the last reference goes on one of
// them) right before it is deleted.
RepositoryPtr NewRepository() {
  RepositoryPtr repo(new Repository(), [](Repository* r) {
    // Thread: whichever thread drops the last reference.
    ForgetServerState(r);
    delete r;
  });
  ServerStateFor(repo);  // registers the repository as tracked
  return repo;
}

// Thread: any. Created on first use and deliberately never destroyed: it is
// shared by every connection of the process (like WMI per machine), and
// static destructors would run while addon threads (executor workers, the
// client's COM worker) may still be using it at process exit. Leaking it also
// keeps its executor's threads from being joined during exit.
RepositoryPtr DefaultRepository() {
  static RepositoryPtr* repo = new RepositoryPtr(NewRepository());
  return *repo;
}

// Thread: any.
HRESULT ConnectServer(const RepositoryPtr& repo, com::OleStringView ns,
                      IWbemServices** out) noexcept {
  return Services::Create(repo, ns, out);
}

// Thread: any.
void SetControls(Repository& repo, const RepositoryControls& controls) {
  ServerStateFor(repo)->SetControls(controls);
}

// Thread: any.
void InjectFault(Repository& repo, const Fault& fault) {
  ServerStateFor(repo)->InjectFault(fault);
}

// Thread: any.
void ClearFaults(Repository& repo) { ServerStateFor(repo)->ClearFaults(); }

// Thread: any.
Counters GetCounters() noexcept {
  Counters c;
  c.classObjects = live::classObjects.load(std::memory_order_relaxed);
  c.services = live::services.load(std::memory_order_relaxed);
  c.pendingCalls = live::pendingCalls.load(std::memory_order_relaxed);
  c.contexts = live::contexts.load(std::memory_order_relaxed);
  c.repositories = live::repositories.load(std::memory_order_relaxed);
  return c;
}

}  // namespace wmiput::embedded
