#include "embedded/async_call.h"

#include <new>
#include <vector>

#include "embedded/counters.h"

namespace wmiput::embedded {
namespace {

std::atomic<int64_t> gSinkTimeoutMs{30000};

// Depth of sink callbacks the current thread is inside (any operation).
thread_local int tlsCallbackDepth = 0;

struct CallbackScope {
  // Thread: any.
  explicit CallbackScope(std::atomic<std::thread::id>& slot) : slot_(slot) {
    ++tlsCallbackDepth;
    slot_.store(std::this_thread::get_id(), std::memory_order_release);
  }
  ~CallbackScope() {
    slot_.store(std::thread::id(), std::memory_order_release);
    --tlsCallbackDepth;
  }
  std::atomic<std::thread::id>& slot_;
};

}  // namespace

// ---- CallRegistry ----------------------------------------------------------

// Thread: any.
void CallRegistry::Add(AsyncCall* call) noexcept {
  std::lock_guard<std::mutex> lk(mu_);
  call->regPrev_ = nullptr;
  call->regNext_ = head_;
  if (head_) head_->regPrev_ = call;
  head_ = call;
  call->registered_ = true;
  ++count_;
}

// Thread: any.
void CallRegistry::Remove(AsyncCall* call) noexcept {
  std::lock_guard<std::mutex> lk(mu_);
  if (!call->registered_) return;
  if (call->regPrev_) {
    call->regPrev_->regNext_ = call->regNext_;
  } else {
    head_ = call->regNext_;
  }
  if (call->regNext_) call->regNext_->regPrev_ = call->regPrev_;
  call->regPrev_ = call->regNext_ = nullptr;
  call->registered_ = false;
  --count_;
}

// Thread: any.
HRESULT CallRegistry::CancelAll(IWbemObjectSink* sink) noexcept {
  std::vector<AsyncCall*> hits;
  try {
    std::lock_guard<std::mutex> lk(mu_);
    for (AsyncCall* c = head_; c; c = c->regNext_) {
      if (c->sinkKey_ == sink) {
        hits.push_back(c);
        c->AddRef();
      }
    }
  } catch (const std::bad_alloc&) {
    for (AsyncCall* c : hits) c->Release();
    return WBEM_E_OUT_OF_MEMORY;
  }
  if (hits.empty()) return WBEM_E_NOT_FOUND;
  for (AsyncCall* c : hits) {
    c->Cancel();
    c->Release();
  }
  return WBEM_S_NO_ERROR;
}

// Thread: any.
size_t CallRegistry::PendingCount() const noexcept {
  std::lock_guard<std::mutex> lk(mu_);
  return count_;
}

// ---- AsyncCall -------------------------------------------------------------

// Thread: any.
AsyncCall::AsyncCall(std::shared_ptr<CallRegistry> registry, IWbemObjectSink* sink, OpBody body)
    : registry_(std::move(registry)),
      sinkKey_(sink),
      sink_(com::ComPtr<IWbemObjectSink>::Share(sink)),
      body_(std::move(body)) {}

AsyncCall::~AsyncCall() = default;

// Thread: any.
HRESULT AsyncCall::Start(const std::shared_ptr<CallRegistry>& registry, IWbemObjectSink* sink,
                         OpBody body, Executor& executor, DeliveryMode mode,
                         std::chrono::microseconds latency, StatusSource* source,
                         const OLECHAR* operation) noexcept {
  if (!sink || !registry) return WBEM_E_INVALID_PARAMETER;
  AsyncCall* call = nullptr;
  try {
    call = new AsyncCall(registry, sink, std::move(body));
  } catch (...) {
    return WBEM_E_OUT_OF_MEMORY;
  }
  call->source_ = source;
  call->operation_ = operation;
  live::pendingCalls.fetch_add(1, std::memory_order_relaxed);
  registry->Add(call);
  HRESULT hr = executor.Submit(call, mode, latency);
  if (FAILED(hr)) {
    // Not accepted: undo everything; the sink was never called.
    registry->Remove(call);
    call->sink_.reset();
    live::pendingCalls.fetch_sub(1, std::memory_order_relaxed);
    call->Release();
    return hr == E_OUTOFMEMORY ? static_cast<HRESULT>(WBEM_E_OUT_OF_MEMORY) : hr;
  }
  return WBEM_S_NO_ERROR;
}

// Thread: any.
void AsyncCall::SetSinkTimeout(std::chrono::milliseconds timeout) noexcept {
  gSinkTimeoutMs.store(timeout.count(), std::memory_order_relaxed);
}

// Thread: any.
std::chrono::milliseconds AsyncCall::SinkTimeout() noexcept {
  return std::chrono::milliseconds(gSinkTimeoutMs.load(std::memory_order_relaxed));
}

// Thread: any.
void AsyncCall::Release() noexcept {
  if (refs_.fetch_sub(1, std::memory_order_acq_rel) == 1) delete this;
}

// Thread: executor worker.
void AsyncCall::Run() noexcept {
  if (!Finished()) {
    try {
      body_(*this);
    } catch (const std::bad_alloc&) {
      Complete(WBEM_E_OUT_OF_MEMORY, nullptr, nullptr);
    } catch (...) {
      Complete(WBEM_E_FAILED, nullptr, nullptr);
    }
    // A body that returned without a final status still ends the operation
    // (unless it retained the call to complete it later).
    if (!retained_.load(std::memory_order_acquire)) Complete(WBEM_E_FAILED, nullptr, nullptr);
  }
  OpBody discard;
  discard.swap(body_);  // captured state is released here, on the worker
}

// Thread: executor worker or canceller, deliver_ held. Sends the final
// SetStatus and finishes the call before the lock is let go, so whoever
// waited for the lock (CancelAsyncCall) returns after the sink's release.
bool AsyncCall::SendFinalLocked(HRESULT hr, const OleString* param,
                                IWbemClassObject* status) noexcept {
  com::Bstr text;
  if (param) {
    try {
      text = com::Bstr(*param);
    } catch (...) {
    }
  }
  if (sink_) {
    CallbackScope scope(deliveringThread_);
    sink_->SetStatus(WBEM_STATUS_COMPLETE, hr, text.get(), status);
  }
  sink_.reset();  // the sink's reference goes before the call counts as done
  registry_->Remove(this);
  live::pendingCalls.fetch_sub(1, std::memory_order_release);
  return true;
}

// Thread: any, deliver_ held.
bool AsyncCall::SendDeferredLocked() noexcept {
  if (!deferredCancel_.exchange(false, std::memory_order_acq_rel)) return false;
  com::ComPtr<IWbemClassObject> status;
  if (source_ && sink_) status = source_->CancelStatus(WBEM_E_CALL_CANCELLED, operation_);
  return SendFinalLocked(WBEM_E_CALL_CANCELLED, nullptr, status.get());
}

// Thread: any, deliver_ not held.
void AsyncCall::SendDeferredAfterUnlock() noexcept {
  if (!deferredCancel_.load(std::memory_order_acquire)) return;
  std::lock_guard<std::mutex> lk(deliver_);
  SendDeferredLocked();
}

// Thread: executor worker.
bool AsyncCall::Indicate(long count, IWbemClassObject** objects) noexcept {
  bool sent = false;
  {
    std::lock_guard<std::mutex> lk(deliver_);
    if (!Finished()) {
      HRESULT hr;
      const auto started = std::chrono::steady_clock::now();
      {
        CallbackScope scope(deliveringThread_);
        hr = sink_->Indicate(count, objects);
      }
      if (std::chrono::steady_clock::now() - started > SinkTimeout()) hr = WBEM_E_CALL_CANCELLED;
      // A failing or too slow sink callback cancels the operation (§3.3).
      if (FAILED(hr) && !final_.exchange(true, std::memory_order_acq_rel)) {
        deferredCancel_.store(true, std::memory_order_release);
      }
    }
    sent = SendDeferredLocked();
  }
  if (!sent) SendDeferredAfterUnlock();
  return !Finished();
}

// Thread: executor worker.
void AsyncCall::Complete(HRESULT hr, const OleString* param, IWbemClassObject* status) noexcept {
  if (final_.exchange(true, std::memory_order_acq_rel)) return;  // cancelled first
  std::lock_guard<std::mutex> lk(deliver_);
  SendFinalLocked(hr, param, status);
}

// Thread: any.
void AsyncCall::Cancel() noexcept {
  if (final_.exchange(true, std::memory_order_acq_rel)) return;  // already final
  deferredCancel_.store(true, std::memory_order_release);
  // Inside a callback of this very operation: the delivering frame below us
  // sends the cancellation once our callback returns.
  if (deliveringThread_.load(std::memory_order_acquire) == std::this_thread::get_id()) return;
  if (tlsCallbackDepth > 0) {
    // Inside some other sink callback: never block on another operation's
    // delivery (two callbacks cancelling each other would deadlock). If the
    // operation is busy delivering, its deliverer sends the cancellation.
    if (!deliver_.try_lock()) return;
    SendDeferredLocked();
    deliver_.unlock();
    SendDeferredAfterUnlock();
    return;
  }
  std::lock_guard<std::mutex> lk(deliver_);
  SendDeferredLocked();
}

}  // namespace wmiput::embedded
