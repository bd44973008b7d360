// IWbemCallResult of the embedded server: the handle a synchronous method
// hands back through ppCallResult. With WBEM_FLAG_RETURN_IMMEDIATELY
// (semisynchronous) the operation runs on the executor and the call result
// completes later; GetCallStatus/GetResult* wait up to lTimeout ms
// (WBEM_INFINITE = forever) and answer WBEM_S_TIMEDOUT while it is pending.
// Otherwise the call result is created already complete.
#pragma once

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>

#include "com/unknown.h"
#include "com/raii.h"
#include "embedded/model.h"

namespace wmiput::embedded {

class CallResult final : public com::UnknownImpl<CallResult, IWbemCallResult, IID_IWbemCallResult> {
  friend class com::UnknownImpl<CallResult, IWbemCallResult, IID_IWbemCallResult>;  // deletes us on the last Release
 public:
  // Thread: any. A pending call result and the sink that completes it (to be
  // passed to AsyncCall::Start; its Indicate keeps the first object, its
  // SetStatus(COMPLETE) records status and string).
  static HRESULT CreatePending(com::ComPtr<IWbemCallResult>* result,
                               com::ComPtr<IWbemObjectSink>* completer) noexcept;
  // Thread: any. An already complete call result.
  static HRESULT CreateDone(HRESULT status, const OleString* text, IWbemClassObject* object,
                            com::ComPtr<IWbemCallResult>* result) noexcept;

  // IWbemCallResult. Thread: any.
  HRESULT STDMETHODCALLTYPE GetResultObject(long lTimeout,
                                            IWbemClassObject** ppResultObject) noexcept override;
  HRESULT STDMETHODCALLTYPE GetResultString(long lTimeout, BSTR* pstrResultString) noexcept override;
  HRESULT STDMETHODCALLTYPE GetResultServices(long lTimeout,
                                              IWbemServices** ppServices) noexcept override;
  HRESULT STDMETHODCALLTYPE GetCallStatus(long lTimeout, long* plStatus) noexcept override;

  // The shared completion record (also referenced by the completer sink).
  struct State {
    std::mutex mu;
    std::condition_variable cv;
    bool done = false;
    HRESULT status = WBEM_S_NO_ERROR;
    bool hasText = false;
    OleString text;
    com::ComPtr<IWbemClassObject> object;
  };

 private:
  explicit CallResult(std::shared_ptr<State> state);
  ~CallResult();
  // false when lTimeout expired before completion.
  bool Wait(long lTimeout) noexcept;

  std::shared_ptr<State> state_;
};

}  // namespace wmiput::embedded
