// The IWbemObjectSink of one operation (ARCHITECTURE.md §3, semantics §3):
// refcounted, thread-safe, noexcept, never blocks, never calls WMI or JS.
// Indicate converts result objects on the calling thread; SetStatus(COMPLETE)
// copies hResult/strParam/__ExtendedStatus into exactly one kDone completion
// (a latch makes a second COMPLETE, or a local completion racing with the
// server's, a no-op).
#pragma once

#include <atomic>
#include <mutex>

#include "client/api.h"
#include "com/raii.h"

namespace wmiput::client {

// Receives an operation's completions. Implemented by the connection.
class SinkOwner {
 public:
  // Thread: any (executor, RPC or COM worker). A non-final completion
  // (kObjects, kProgress).
  virtual void OnProgress(Completion&& c) noexcept = 0;
  // Thread: any. The final completion; called exactly once per operation.
  virtual void OnFinal(Completion&& c) noexcept = 0;

 protected:
  ~SinkOwner() = default;
};

class ObjectSink final : public IWbemObjectSink {
 public:
  enum class Mode : uint8_t {
    kPut,     // no result objects: Indicate is tolerated and ignored
    kSingle,  // GetObject: objects travel with the final completion
    kStream,  // enumerations: one kObjects completion per Indicate
  };

  // Thread: COM worker. Refcount 1, owned by the returned pointer.
  static com::ComPtr<ObjectSink> Create(uint32_t id, Mode mode, SinkOwner* owner);

  HRESULT STDMETHODCALLTYPE QueryInterface(REFIID riid, void** ppv) noexcept override;
  ULONG STDMETHODCALLTYPE AddRef() noexcept override;
  ULONG STDMETHODCALLTYPE Release() noexcept override;
  HRESULT STDMETHODCALLTYPE Indicate(long lObjectCount,
                                     IWbemClassObject** apObjArray) noexcept override;
  HRESULT STDMETHODCALLTYPE SetStatus(long lFlags, HRESULT hResult, BSTR strParam,
                                      IWbemClassObject* pObjParam) noexcept override;

  // Thread: any. Completes the operation here with `hr` (e.g. the local
  // fallback when a server never answers a cancel) unless it already
  // completed; true when this call completed it. Detaches the owner.
  bool CompleteLocally(HRESULT hr, const OleString& message) noexcept;
  // Thread: any. Takes the latch without completing (the call returned a
  // failure: the caller completes the op itself) and detaches the owner so
  // that any late callback is harmless. False when already completed.
  bool Abandon() noexcept;
  // Thread: any. True once the final completion was taken.
  bool Completed() const noexcept { return latched_.load(std::memory_order_acquire); }
  uint32_t id() const noexcept { return id_; }

 private:
  ObjectSink(uint32_t id, Mode mode, SinkOwner* owner) noexcept;
  ~ObjectSink();

  void DeliverFinal(Completion&& c) noexcept;

  const uint32_t id_;
  const Mode mode_;
  std::atomic<ULONG> refs_{1};
  std::atomic<bool> latched_{false};

  std::mutex mutex_;              // serialises delivery against Abandon/Complete
  SinkOwner* owner_;              // guarded by mutex_; null once detached
  std::vector<ObjectRecord> pending_;  // kSingle results, guarded by mutex_
  HRESULT conversionError_ = S_OK;     // first Indicate conversion failure
};

// Thread: any. Copies an __ExtendedStatus (or subclass) error object.
void ReadExtendedStatus(IWbemClassObject* obj, ExtendedStatus* out) noexcept;

}  // namespace wmiput::client
