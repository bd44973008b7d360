// One accepted asynchronous operation of the embedded server and the rules of
// wmi-put-semantics.md §1.5, §3.3, §3.4:
//   - the sink is AddRef'd only once the call is accepted (Start succeeded);
//   - exactly one SetStatus(WBEM_STATUS_COMPLETE, ...) per operation, then
//     the sink is released and nothing else is called;
//   - one callback at a time per operation (a per-operation delivery mutex);
//   - the final-status latch: completion and cancellation race for it, the
//     winner delivers, the loser does nothing;
//   - a failing HRESULT from Indicate cancels the operation (CALL_CANCELLED),
//     and so does an Indicate that takes longer than the sink timeout (30 s,
//     WMI's per-callback timer; a blocked callback cannot be interrupted, so
//     the cancellation follows when it returns);
//   - CancelAsyncCall cancels every pending call made with that sink and
//     delivers SetStatus(CALL_CANCELLED) before returning, except when it is
//     called from inside a sink callback: then the thread that is delivering
//     finishes its callback and sends the cancellation right after it (no
//     callback nested in a callback of the same operation, no deadlock).
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "com/raii.h"
#include "embedded/executor.h"
#include "embedded/model.h"

namespace wmiput::embedded {

// Where an operation body reports its results. Implemented by AsyncCall (sink
// delivery on an executor thread) and by the synchronous collectors of
// services.cc.
class Delivery {
 public:
  virtual ~Delivery() = default;
  // Delivers objects (enumerations, GetObject). false = stop producing: the
  // operation was cancelled or the receiver failed.
  virtual bool Indicate(long count, IWbemClassObject** objects) noexcept = 0;
  // The final status; only the first call (or a cancellation) counts.
  virtual void Complete(HRESULT hr, const OleString* param,
                        IWbemClassObject* status) noexcept = 0;
  // True once the operation no longer needs results.
  virtual bool Finished() const noexcept = 0;
  // Keeps the operation open after its body returns so that Complete can be
  // called later from another thread (a durable repository reports a write
  // once it is on disk). false when this delivery cannot wait (synchronous
  // forms): the body must then complete before it returns. Each successful
  // Retain is paired with one Unretain, after Complete.
  virtual bool Retain() noexcept { return false; }
  virtual void Unretain() noexcept {}
};

// The body of an operation: does the work and reports to the Delivery,
// ending with Complete.
using OpBody = std::function<void(Delivery&)>;

class AsyncCall;

// Makes the __ExtendedStatus object that goes with a cancellation.
class StatusSource {
 public:
  // Thread: any (called with the operation's delivery lock held; must not
  // call back into the operation).
  virtual com::ComPtr<IWbemClassObject> CancelStatus(HRESULT hr,
                                                     const OLECHAR* operation) noexcept = 0;

 protected:
  ~StatusSource() = default;
};

// The pending asynchronous calls of one IWbemServices, for CancelAsyncCall.
class CallRegistry {
 public:
  CallRegistry() = default;
  CallRegistry(const CallRegistry&) = delete;
  CallRegistry& operator=(const CallRegistry&) = delete;

  // Thread: any. Cancels every pending call made with `sink`. S_OK, or
  // WBEM_E_NOT_FOUND when no pending call used it.
  HRESULT CancelAll(IWbemObjectSink* sink) noexcept;
  // Thread: any.
  size_t PendingCount() const noexcept;

 private:
  friend class AsyncCall;
  void Add(AsyncCall* call) noexcept;
  void Remove(AsyncCall* call) noexcept;

  mutable std::mutex mu_;
  AsyncCall* head_ = nullptr;
  size_t count_ = 0;
};

class AsyncCall final : public Task, public Delivery {
 public:
  // Thread: any. Accepts an operation: AddRefs `sink`, registers the call in
  // `registry` and queues `body` on `executor`. On failure (E_OUTOFMEMORY,
  // WBEM_E_SHUTTING_DOWN) nothing is kept and the sink is untouched.
  // `source` (optional) supplies the error object of a cancellation; it must
  // outlive the body (the body keeps its owner alive).
  static HRESULT Start(const std::shared_ptr<CallRegistry>& registry, IWbemObjectSink* sink,
                       OpBody body, Executor& executor, DeliveryMode mode,
                       std::chrono::microseconds latency, StatusSource* source = nullptr,
                       const OLECHAR* operation = nullptr) noexcept;

  // Task. Thread: executor worker.
  void Run() noexcept override;
  void Done() noexcept override { Release(); }
  // Thread: executor worker. Its final status is already delivered (cancelled).
  bool Moot() const noexcept override { return Finished(); }

  // Delivery. Thread: executor worker (the one running the body).
  bool Indicate(long count, IWbemClassObject** objects) noexcept override;
  void Complete(HRESULT hr, const OleString* param, IWbemClassObject* status) noexcept override;
  bool Finished() const noexcept override { return final_.load(std::memory_order_acquire); }
  // Thread: executor worker (Retain, inside the body); any (Unretain).
  bool Retain() noexcept override {
    AddRef();
    retained_.store(true, std::memory_order_release);
    return true;
  }
  void Unretain() noexcept override { Release(); }

  // Thread: any (CancelAsyncCall, possibly from inside a sink callback).
  void Cancel() noexcept;

  // Thread: any. The per-callback sink timeout (tests shorten it).
  static void SetSinkTimeout(std::chrono::milliseconds timeout) noexcept;
  static std::chrono::milliseconds SinkTimeout() noexcept;

  void AddRef() noexcept { refs_.fetch_add(1, std::memory_order_relaxed); }
  void Release() noexcept;

 private:
  friend class CallRegistry;
  AsyncCall(std::shared_ptr<CallRegistry> registry, IWbemObjectSink* sink, OpBody body);
  ~AsyncCall() override;

  // With deliver_ held: sends SetStatus, releases the sink, unregisters and
  // counts the call as finished.
  bool SendFinalLocked(HRESULT hr, const OleString* param, IWbemClassObject* status) noexcept;
  // With deliver_ held: delivers a pending cancellation, if any.
  bool SendDeferredLocked() noexcept;
  // After unlocking deliver_: a cancellation raised meanwhile is delivered.
  void SendDeferredAfterUnlock() noexcept;

  std::atomic<int> refs_{1};
  std::shared_ptr<CallRegistry> registry_;
  StatusSource* source_ = nullptr;
  const OLECHAR* operation_ = nullptr;
  IWbemObjectSink* const sinkKey_;        // identity for CancelAsyncCall
  com::ComPtr<IWbemObjectSink> sink_;     // guarded by deliver_
  OpBody body_;
  std::atomic<bool> final_{false};        // the final-status latch
  std::atomic<bool> deferredCancel_{false};
  std::atomic<bool> retained_{false};     // Complete comes later (Retain)
  std::mutex deliver_;                    // one callback at a time
  std::atomic<std::thread::id> deliveringThread_{};
  // Registry links (guarded by the registry's mutex).
  AsyncCall* regPrev_ = nullptr;
  AsyncCall* regNext_ = nullptr;
  bool registered_ = false;
};

}  // namespace wmiput::embedded
