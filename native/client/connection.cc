#include <new>
#include <unordered_set>

#include "client/backend.h"
#include "client/coerce.h"
#include "client/connection_impl.h"
#include "client/context_builder.h"
#include "client/counters.h"
#include "client/object_builder.h"

namespace wmiput::client {

using com::Bstr;
using com::ComPtr;

ClientCounters GetClientCounters() noexcept {
  ClientCounters c;
  c.sinks = live::sinks.load(std::memory_order_relaxed);
  c.operations = live::operations.load(std::memory_order_relaxed);
  c.cachedClasses = live::cachedClasses.load(std::memory_order_relaxed);
  c.connections = live::connections.load(std::memory_order_relaxed);
  return c;
}

// Thread: JS.
std::shared_ptr<Connection> Connection::Open(ConnectOptions options, Doorbell doorbell) {
  auto impl = std::make_shared<ConnectionImpl>(std::move(options), std::move(doorbell));
  impl->Start();
  return impl;
}

ConnectionImpl::ConnectionImpl(ConnectOptions options, Doorbell doorbell)
    : options_(std::move(options)), queue_(std::move(doorbell), options_.perEventDelivery) {
  live::connections.fetch_add(1, std::memory_order_relaxed);
}

ConnectionImpl::~ConnectionImpl() {
  Close();
  live::connections.fetch_sub(1, std::memory_order_relaxed);
}

// Thread: JS.
void ConnectionImpl::Start() {
  try {
    worker_ = std::thread([this] { Run(); });
  } catch (...) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      closed_ = true;
    }
    CompleteHere(0, WBEM_E_OUT_OF_MEMORY, {}, ToOle("could not start the COM worker thread"));
  }
}

// Thread: JS.
void ConnectionImpl::Submit(std::vector<OpRequest> requests) {
  if (requests.empty()) return;
  std::unique_lock<std::mutex> lock(mutex_);
  inFlight_.fetch_add(requests.size(), std::memory_order_relaxed);
  live::operations.fetch_add(static_cast<int64_t>(requests.size()), std::memory_order_relaxed);
  if (closed_) {
    lock.unlock();
    // The doorbell is not rung after Close: the caller drains directly.
    for (const auto& r : requests)
      CompleteHere(r.id, WBEM_E_CALL_CANCELLED, {}, ToOle("the connection is closed"), false);
    return;
  }
  bool wasEmpty = requests_.empty();
  if (wasEmpty) {
    requests_ = std::move(requests);
  } else {
    for (auto& r : requests) requests_.push_back(std::move(r));
  }
  lock.unlock();
  if (wasEmpty) cv_.notify_one();
}

// Thread: JS.
void ConnectionImpl::Cancel(uint32_t id) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (closed_) return;
    cancels_.push_back(id);
  }
  cv_.notify_one();
}

// Thread: JS.
size_t ConnectionImpl::Drain(std::vector<Completion>* out, size_t max) {
  return queue_.Drain(out, max);
}

// Thread: JS.
void ConnectionImpl::Close() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    closed_ = true;
    stop_ = true;
  }
  cv_.notify_all();
  if (worker_.joinable()) worker_.join();
}

// Thread: any.
size_t ConnectionImpl::InFlight() const { return inFlight_.load(std::memory_order_relaxed); }

// Thread: any.
void ConnectionImpl::Finished() noexcept {
  // The operation's completion is queued; counting it down is the last thing
  // done with *this for it: Shutdown (and so the destructor) waits until
  // inFlight_ is 0. While nobody is stopping, no lock (taking the connection's
  // mutex per completion made the JS thread's Submit wait for server threads
  // preempted under it, and notifying the worker per completion cost a futex
  // wake and a context switch each). Once stopping, count down under
  // activeMutex_ and notify, so that Shutdown cannot return (and free *this)
  // before this thread is done with the mutex.
  live::operations.fetch_sub(1, std::memory_order_relaxed);
  if (stopping_.load(std::memory_order_acquire)) {
    std::lock_guard<std::mutex> lock(activeMutex_);
    inFlight_.fetch_sub(1, std::memory_order_acq_rel);
    activeCv_.notify_all();
    return;
  }
  inFlight_.fetch_sub(1, std::memory_order_acq_rel);  // nothing of *this after this
}

// Thread: COM worker (Shutdown). True when every operation has completed and
// been counted down (Finished) within `timeout`.
bool ConnectionImpl::WaitAllFinished(std::chrono::milliseconds timeout) noexcept {
  std::unique_lock<std::mutex> lock(activeMutex_);
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (inFlight_.load(std::memory_order_acquire) != 0) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    // Finished notifies once it sees stopping_; a count-down that raced with
    // setting stopping_ is picked up by the next look, at most 1 ms later.
    activeCv_.wait_for(lock, std::chrono::milliseconds(1));
  }
  return true;
}

// Thread: any (sink threads).
void ConnectionImpl::OnProgress(Completion&& c) noexcept {
  try {
    queue_.Push(std::move(c));
  } catch (...) {
    // A lost progress/batch record: the final completion still arrives.
  }
}

// Thread: any (sink threads, or the COM worker for local completions).
// Finished() must stay the last use of `this`: Shutdown returns (and the
// connection may be destroyed, e.g. on the bridge's reaper thread) once every
// operation has been counted down, not when active_ is empty. (This replaces
// 8ba577a's reordering, which made the erase from active_ the last use.)
void ConnectionImpl::OnFinal(Completion&& c) noexcept {
  ComPtr<ObjectSink> sink;  // released after the lock, outside the map
  ComPtr<IWbemObjectSink> handed;
  {
    std::lock_guard<std::mutex> lock(activeMutex_);
    auto it = active_.find(c.id);
    if (it != active_.end()) {
      if (it->second.kind == OpKind::kPutClass || it->second.kind == OpKind::kDeleteClass)
        classGeneration_.fetch_add(1, std::memory_order_relaxed);
      sink = std::move(it->second.sink);
      handed = std::move(it->second.handed);
      active_.erase(it);
    }
  }
  try {
    queue_.Push(std::move(c));
  } catch (...) {
    try {
      Completion minimal;
      minimal.id = c.id;
      minimal.hr = WBEM_E_OUT_OF_MEMORY;
      queue_.Push(std::move(minimal));
    } catch (...) {
    }
  }
  Finished();
}

// Thread: any.
void ConnectionImpl::CompleteHere(uint32_t id, HRESULT hr, OleString property,
                                  OleString message, bool ring) noexcept {
  try {
    Completion c;
    c.id = id;
    c.type = Completion::Type::kDone;
    c.hr = hr;
    c.property = std::move(property);
    c.message = std::move(message);
    queue_.Push(std::move(c), ring);
  } catch (...) {
  }
  if (id != 0) Finished();
}

// Thread: COM worker.
void ConnectionImpl::Run() noexcept {
#ifdef _WIN32
  HRESULT coInit = CoInitializeEx(nullptr, COINIT_MULTITHREADED);
#endif
  OleString message;
  connectHr_ = Connect(&message);
  CompleteHere(0, connectHr_, {}, std::move(message));

  std::vector<OpRequest> requests;
  std::vector<uint32_t> cancels;
  for (;;) {
    bool stopping;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      auto ready = [&] { return stop_ || !requests_.empty() || !cancels_.empty(); };
      if (semisyncPending_)
        cv_.wait_for(lock, std::chrono::milliseconds(1), ready);
      else
        cv_.wait(lock, ready);
      requests.swap(requests_);
      cancels.swap(cancels_);
      stopping = stop_;
    }
    Process(requests, cancels, stopping);
    requests.clear();
    cancels.clear();
    if (hooks_) semisyncPending_ = hooks_->Poll() > 0;
    if (stopping) break;
  }
  Shutdown();
#ifdef _WIN32
  if (SUCCEEDED(coInit)) CoUninitialize();
#endif
}

// Thread: COM worker.
HRESULT ConnectionImpl::Connect(OleString* message) noexcept {
  HRESULT hr;
#ifdef _WIN32
  hooks_ = windows::MakeCallHooks(options_, options_.callPolicy);
  if (!hooks_) return WBEM_E_OUT_OF_MEMORY;
  if (options_.backend == Backend::kWmi)
    hr = hooks_->Connect(services_.put(), message);
  else
    hr = OpenServices(options_, services_.put(), message);
  if (SUCCEEDED(hr) && services_) hr = hooks_->Prepare(services_.get(), message);
#else
  hr = OpenServices(options_, services_.put(), message);
#endif
  if (SUCCEEDED(hr) && !services_) hr = WBEM_E_FAILED;
  if (FAILED(hr)) services_.reset();
  return hr;
}

// Thread: COM worker.
void ConnectionImpl::CancelActive(const ComPtr<ObjectSink>& sink,
                                  const ComPtr<IWbemObjectSink>& handed) noexcept {
  if (!sink || sink->Completed()) return;
  if (hooks_ && handed && hooks_->Forget(handed.get())) {
    sink->CompleteLocally(WBEM_E_CALL_CANCELLED, OleString());
    return;
  }
  // Never under a lock: the server may deliver the cancelled status from
  // inside CancelAsyncCall.
  if (services_ && handed) services_->CancelAsyncCall(handed.get());
}

// Thread: COM worker.
void ConnectionImpl::Process(std::vector<OpRequest>& requests, std::vector<uint32_t>& cancels,
                             bool stopping) noexcept {
  std::unordered_set<uint32_t> cancelled;
  try {
    cancelled.insert(cancels.begin(), cancels.end());
  } catch (...) {
  }
  for (OpRequest& req : requests) {
    if (stopping || cancelled.erase(req.id)) {
      CompleteHere(req.id, WBEM_E_CALL_CANCELLED, {},
                   ToOle(stopping ? "the connection was closed before the operation started"
                                  : "cancelled before the operation started"));
      continue;
    }
    StartOp(req);
  }
  for (uint32_t id : cancelled) {
    ComPtr<ObjectSink> sink;
    ComPtr<IWbemObjectSink> handed;
    {
      std::lock_guard<std::mutex> lock(activeMutex_);
      auto it = active_.find(id);
      if (it != active_.end()) {
        sink = it->second.sink;
        handed = it->second.handed;
      }
    }
    CancelActive(sink, handed);
  }
}

// Thread: COM worker.
HRESULT ConnectionImpl::Call(const OpRequest& req, IWbemClassObject* obj, IWbemContext* ctx,
                             IWbemObjectSink* sink) noexcept {
  try {
    switch (req.kind) {
      case OpKind::kPutInstance:
        return services_->PutInstanceAsync(obj, req.flags, ctx, sink);
      case OpKind::kPutClass:
        return services_->PutClassAsync(obj, req.flags, ctx, sink);
      case OpKind::kGetObject: {
        Bstr path{req.path};
        return services_->GetObjectAsync(path.get(), req.flags, ctx, sink);
      }
      case OpKind::kGetClass: {
        Bstr path{req.className};
        return services_->GetObjectAsync(path.get(), req.flags, ctx, sink);
      }
      case OpKind::kDeleteInstance: {
        Bstr path{req.path};
        return services_->DeleteInstanceAsync(path.get(), req.flags, ctx, sink);
      }
      case OpKind::kDeleteClass: {
        Bstr name{req.className};
        return services_->DeleteClassAsync(name.get(), req.flags, ctx, sink);
      }
      case OpKind::kEnumInstances: {
        Bstr name{req.className};
        long flags = req.flags | (req.deep ? WBEM_FLAG_DEEP : WBEM_FLAG_SHALLOW);
        return services_->CreateInstanceEnumAsync(name.get(), flags, ctx, sink);
      }
      case OpKind::kEnumClasses: {
        Bstr name;
        if (!req.className.empty()) name = Bstr(req.className);
        long flags = req.flags | (req.deep ? WBEM_FLAG_DEEP : WBEM_FLAG_SHALLOW);
        return services_->CreateClassEnumAsync(name.get(), flags, ctx, sink);
      }
    }
    return WBEM_E_INVALID_PARAMETER;
  } catch (const std::bad_alloc&) {
    return WBEM_E_OUT_OF_MEMORY;
  } catch (...) {
    return WBEM_E_FAILED;
  }
}

// Thread: COM worker.
void ConnectionImpl::StartOp(OpRequest& req) noexcept {
  try {
    if (!services_) {
      CompleteHere(req.id, connectHr_, {}, ToOle("the connection could not be opened"));
      return;
    }
    uint64_t generation = classGeneration_.load(std::memory_order_relaxed);
    if (generation != seenGeneration_) {
      cache_.Clear();
      seenGeneration_ = generation;
    }

    ComPtr<IWbemContext> ctx;
    OleString badName, why;
    HRESULT hr = BuildContext(options_.backend, req.context, &ctx, &badName, &why);
    if (FAILED(hr)) {
      CompleteHere(req.id, hr, {}, ToOle("context value ") + badName + ToOle(": ") + why);
      return;
    }

    ComPtr<IWbemClassObject> obj;
    BuildFault fault;
    ObjectBuilder builder(services_.get(), &cache_);
    ObjectSink::Mode mode = ObjectSink::Mode::kPut;
    switch (req.kind) {
      case OpKind::kPutInstance:
        hr = builder.BuildInstance(req.className, req.properties, &obj, &fault);
        break;
      case OpKind::kPutClass:
        cache_.Clear();
        if (!req.classSpec) {
          fault.hr = hr = WBEM_E_INVALID_PARAMETER;
          fault.message = ToOle("no class definition");
          break;
        }
        hr = builder.BuildClass(*req.classSpec, &obj, &fault);
        break;
      case OpKind::kDeleteClass:
        cache_.Clear();
        break;
      case OpKind::kGetObject:
      case OpKind::kGetClass:
        mode = ObjectSink::Mode::kSingle;
        break;
      case OpKind::kEnumInstances:
      case OpKind::kEnumClasses:
        mode = ObjectSink::Mode::kStream;
        break;
      case OpKind::kDeleteInstance:
        break;
    }
    if (FAILED(hr)) {
      CompleteHere(req.id, fault.hr, std::move(fault.property), std::move(fault.message));
      return;
    }

    ComPtr<ObjectSink> sink = ObjectSink::Create(req.id, mode, this);
    ComPtr<IWbemObjectSink> handed = ComPtr<IWbemObjectSink>::Share(sink.get());
    bool semisync = hooks_ && hooks_->Semisync(req.kind);
    if (hooks_ && !semisync) {
      OleString message;
      hr = hooks_->WrapSink(sink.get(), handed.put(), &message);
      if (FAILED(hr)) {
        sink->Abandon();
        CompleteHere(req.id, hr, {}, std::move(message));
        return;
      }
    }
    {
      std::lock_guard<std::mutex> lock(activeMutex_);
      active_[req.id] = Active{sink, handed, req.kind};
    }
    if (semisync) {
      hr = hooks_->StartSemisync(services_.get(), req, obj.get(), ctx.get(), handed.get());
      if (SUCCEEDED(hr)) semisyncPending_ = true;
    } else {
      hr = Call(req, obj.get(), ctx.get(), handed.get());
    }
    if (FAILED(hr)) {
      // §1.5: a failing call completes the operation now; the sink is unused.
      if (sink->Abandon()) {
        {
          std::lock_guard<std::mutex> lock(activeMutex_);
          active_.erase(req.id);
        }
        CompleteHere(req.id, hr, {}, {});
      }
    }
  } catch (const std::bad_alloc&) {
    CompleteHere(req.id, WBEM_E_OUT_OF_MEMORY, {}, {});
  } catch (...) {
    CompleteHere(req.id, WBEM_E_FAILED, {}, {});
  }
}

// Thread: COM worker.
void ConnectionImpl::Shutdown() noexcept {
  std::vector<std::pair<ComPtr<ObjectSink>, ComPtr<IWbemObjectSink>>> sinks;
  try {
    std::lock_guard<std::mutex> lock(activeMutex_);
    for (auto& [id, active] : active_) sinks.emplace_back(active.sink, active.handed);
  } catch (...) {
  }
  stopping_.store(true, std::memory_order_release);
  for (auto& [sink, handed] : sinks) CancelActive(sink, handed);
  WaitAllFinished(std::chrono::duration_cast<std::chrono::milliseconds>(kCloseTimeout));
  // The server never answered: complete locally; the sinks are detached, so
  // a late callback does nothing.
  for (auto& entry : sinks)
    entry.first->CompleteLocally(WBEM_E_CALL_CANCELLED,
                                 ToOle("the server did not answer the cancel"));
  // A delivery that won its sink's latch just before may still be counting
  // down: the connection must not go away under it.
  WaitAllFinished(std::chrono::seconds(1));
  sinks.clear();
  cache_.Clear();
  if (hooks_) hooks_->Shutdown();
  services_.reset();
  // After services_: the hooks own the credentials the proxy's blanket points at.
  hooks_.reset();
}

}  // namespace wmiput::client
