#include "embedded/call_result.h"

#include <chrono>
#include <new>

namespace wmiput::embedded {
namespace {

// The sink that completes a pending CallResult.
class Completer final : public com::UnknownImpl<Completer, IWbemObjectSink, IID_IWbemObjectSink> {
  friend class com::UnknownImpl<Completer, IWbemObjectSink, IID_IWbemObjectSink>;  // deletes us on the last Release
 public:
  explicit Completer(std::shared_ptr<CallResult::State> state) : state_(std::move(state)) {}

  // Thread: executor worker.
  HRESULT STDMETHODCALLTYPE Indicate(long lObjectCount,
                                     IWbemClassObject** apObjArray) noexcept override {
    if (lObjectCount <= 0 || !apObjArray || !apObjArray[0]) return WBEM_S_NO_ERROR;
    std::lock_guard<std::mutex> lk(state_->mu);
    if (!state_->object) state_->object = com::ComPtr<IWbemClassObject>::Share(apObjArray[0]);
    return WBEM_S_NO_ERROR;
  }
  // Thread: executor worker.
  HRESULT STDMETHODCALLTYPE SetStatus(long lFlags, HRESULT hResult, BSTR strParam,
                                      IWbemClassObject* /*pObjParam*/) noexcept override {
    if (lFlags != WBEM_STATUS_COMPLETE) return WBEM_S_NO_ERROR;
    {
      std::lock_guard<std::mutex> lk(state_->mu);
      if (state_->done) return WBEM_S_NO_ERROR;
      state_->status = hResult;
      if (strParam && SUCCEEDED(hResult)) {
        try {
          state_->text = com::ToOleString(strParam);
          state_->hasText = true;
        } catch (...) {
        }
      }
      if (FAILED(hResult)) state_->object.reset();
      state_->done = true;
    }
    state_->cv.notify_all();
    return WBEM_S_NO_ERROR;
  }

 private:
  ~Completer() = default;
  std::shared_ptr<CallResult::State> state_;
};

}  // namespace

// Thread: any.
CallResult::CallResult(std::shared_ptr<State> state) : state_(std::move(state)) {}
CallResult::~CallResult() = default;

// Thread: any.
HRESULT CallResult::CreatePending(com::ComPtr<IWbemCallResult>* result,
                                  com::ComPtr<IWbemObjectSink>* completer) noexcept {
  try {
    auto state = std::make_shared<State>();
    *completer = com::ComPtr<IWbemObjectSink>::Adopt(new Completer(state));
    *result = com::ComPtr<IWbemCallResult>::Adopt(new CallResult(std::move(state)));
    return S_OK;
  } catch (...) {
    completer->reset();
    return WBEM_E_OUT_OF_MEMORY;
  }
}

// Thread: any.
HRESULT CallResult::CreateDone(HRESULT status, const OleString* text, IWbemClassObject* object,
                               com::ComPtr<IWbemCallResult>* result) noexcept {
  try {
    auto state = std::make_shared<State>();
    state->done = true;
    state->status = status;
    if (text && SUCCEEDED(status)) {
      state->text = *text;
      state->hasText = true;
    }
    if (SUCCEEDED(status)) state->object = com::ComPtr<IWbemClassObject>::Share(object);
    *result = com::ComPtr<IWbemCallResult>::Adopt(new CallResult(std::move(state)));
    return S_OK;
  } catch (...) {
    return WBEM_E_OUT_OF_MEMORY;
  }
}

// Thread: any. Caller does not hold state_->mu.
bool CallResult::Wait(long lTimeout) noexcept {
  std::unique_lock<std::mutex> lk(state_->mu);
  if (state_->done) return true;
  if (static_cast<uint32_t>(lTimeout) == WBEM_INFINITE) {
    state_->cv.wait(lk, [&] { return state_->done; });
    return true;
  }
  if (lTimeout <= 0) return false;
  return state_->cv.wait_for(lk, std::chrono::milliseconds(lTimeout),
                             [&] { return state_->done; });
}

namespace {
// Thread: any.
bool ValidTimeout(long lTimeout) {
  return lTimeout >= 0 || static_cast<uint32_t>(lTimeout) == WBEM_INFINITE;
}
}  // namespace

// Thread: any.
HRESULT STDMETHODCALLTYPE CallResult::GetResultObject(long lTimeout,
                                                      IWbemClassObject** ppResultObject) noexcept {
  if (!ppResultObject || !ValidTimeout(lTimeout)) return WBEM_E_INVALID_PARAMETER;
  *ppResultObject = nullptr;
  if (!Wait(lTimeout)) return WBEM_S_TIMEDOUT;
  std::lock_guard<std::mutex> lk(state_->mu);
  if (FAILED(state_->status)) return state_->status;
  com::ComPtr<IWbemClassObject> copy = state_->object;
  *ppResultObject = copy.detach();
  return WBEM_S_NO_ERROR;
}

// Thread: any.
HRESULT STDMETHODCALLTYPE CallResult::GetResultString(long lTimeout,
                                                      BSTR* pstrResultString) noexcept {
  if (!pstrResultString || !ValidTimeout(lTimeout)) return WBEM_E_INVALID_PARAMETER;
  *pstrResultString = nullptr;
  if (!Wait(lTimeout)) return WBEM_S_TIMEDOUT;
  std::lock_guard<std::mutex> lk(state_->mu);
  if (FAILED(state_->status)) return state_->status;
  if (state_->hasText) {
    try {
      *pstrResultString = com::Bstr(state_->text).detach();
    } catch (...) {
      return WBEM_E_OUT_OF_MEMORY;
    }
  }
  return WBEM_S_NO_ERROR;
}

// Thread: any. Only OpenNamespace yields services, and the embedded server
// does not implement it.
HRESULT STDMETHODCALLTYPE CallResult::GetResultServices(long /*lTimeout*/,
                                                        IWbemServices** ppServices) noexcept {
  if (ppServices) *ppServices = nullptr;
  return WBEM_E_NOT_SUPPORTED;
}

// Thread: any.
HRESULT STDMETHODCALLTYPE CallResult::GetCallStatus(long lTimeout, long* plStatus) noexcept {
  if (!plStatus || !ValidTimeout(lTimeout)) return WBEM_E_INVALID_PARAMETER;
  if (!Wait(lTimeout)) return WBEM_S_TIMEDOUT;
  std::lock_guard<std::mutex> lk(state_->mu);
  *plStatus = state_->status;
  return WBEM_S_NO_ERROR;
}

}  // namespace wmiput::embedded
