#include "embedded/server_state.h"

#include <unordered_map>
#include <vector>

namespace wmiput::embedded {

ServerState::~ServerState() = default;

// Thread: any.
RepositoryControls ServerState::Controls() const noexcept {
  RepositoryControls c;
  c.delivery = static_cast<DeliveryMode>(mode_.load(std::memory_order_relaxed));
  c.latency = std::chrono::microseconds(latencyUs_.load(std::memory_order_relaxed));
  return c;
}

// Thread: any.
void ServerState::SetControls(const RepositoryControls& controls) noexcept {
  mode_.store(static_cast<int>(controls.delivery), std::memory_order_relaxed);
  latencyUs_.store(controls.latency.count() > 0 ? controls.latency.count() : 0,
                   std::memory_order_relaxed);
}

// Thread: any.
void ServerState::InjectFault(const Fault& fault) {
  if (fault.count <= 0 || SUCCEEDED(fault.hr)) return;
  std::lock_guard<std::mutex> lk(mu_);
  faults_.push_back(fault);
  faultsQueued_.store(static_cast<int>(faults_.size()), std::memory_order_release);
}

// Thread: any.
void ServerState::ClearFaults() noexcept {
  std::lock_guard<std::mutex> lk(mu_);
  faults_.clear();
  faultsQueued_.store(0, std::memory_order_release);
}

// Thread: any.
bool ServerState::TakeFault(Fault* out) noexcept {
  if (faultsQueued_.load(std::memory_order_acquire) == 0) return false;
  std::lock_guard<std::mutex> lk(mu_);
  if (faults_.empty()) return false;
  Fault& f = faults_.front();
  *out = f;
  out->count = 1;
  if (--f.count <= 0) faults_.pop_front();
  faultsQueued_.store(static_cast<int>(faults_.size()), std::memory_order_release);
  return true;
}

// Thread: any.
Executor& ServerState::executor() {
  if (Executor* e = executorFast_.load(std::memory_order_acquire)) return *e;
  std::lock_guard<std::mutex> lk(mu_);
  if (!executor_) {
    executor_ = std::make_unique<Executor>();
    executorFast_.store(executor_.get(), std::memory_order_release);
  }
  return *executor_;
}

namespace {

struct Entry {
  std::weak_ptr<Repository> repo;  // empty when only known by reference
  bool tracked = false;
  std::shared_ptr<ServerState> state;
};

// Thread: any.
std::mutex& TableMutex() {
  static std::mutex* mu = new std::mutex;  // leaked: used until process exit
  return *mu;
}

// Thread: any.
std::unordered_map<const Repository*, Entry>& Table() {
  static auto* table = new std::unordered_map<const Repository*, Entry>;  // leaked, as above
  return *table;
}

// With the table locked: removes entries whose repository is gone and hands
// their state to the caller, to be destroyed after unlocking (destroying a
// state joins its executor threads).
// Thread: any.
void PurgeLocked(std::vector<std::shared_ptr<ServerState>>* graveyard) {
  auto& table = Table();
  for (auto it = table.begin(); it != table.end();) {
    if (it->second.tracked && it->second.repo.expired()) {
      graveyard->push_back(std::move(it->second.state));
      it = table.erase(it);
    } else {
      ++it;
    }
  }
}

}  // namespace

// Thread: any.
std::shared_ptr<ServerState> ServerStateFor(const RepositoryPtr& repo) {
  std::vector<std::shared_ptr<ServerState>> graveyard;
  std::shared_ptr<ServerState> state;
  {
    std::lock_guard<std::mutex> lk(TableMutex());
    PurgeLocked(&graveyard);
    Entry& e = Table()[repo.get()];
    if (!e.state) e.state = std::make_shared<ServerState>();
    if (!e.tracked) {
      e.repo = repo;
      e.tracked = true;
    }
    state = e.state;
  }
  return state;
}

// Thread: any.
std::shared_ptr<ServerState> ServerStateFor(Repository& repo) {
  std::vector<std::shared_ptr<ServerState>> graveyard;
  std::shared_ptr<ServerState> state;
  {
    std::lock_guard<std::mutex> lk(TableMutex());
    PurgeLocked(&graveyard);
    Entry& e = Table()[&repo];
    if (!e.state) e.state = std::make_shared<ServerState>();
    state = e.state;
  }
  return state;
}

// Thread: any.
void ForgetServerState(const Repository* repo) noexcept {
  std::shared_ptr<ServerState> dead;
  {
    std::lock_guard<std::mutex> lk(TableMutex());
    auto it = Table().find(repo);
    if (it == Table().end()) return;
    dead = std::move(it->second.state);
    Table().erase(it);
  }
}

}  // namespace wmiput::embedded
