#ifdef _WIN32

#include "windows/call_hooks.h"

#include <algorithm>
#include <new>
#include <vector>

#include "com/raii.h"
#include "com/status.h"
#include "windows/security.h"

namespace wmiput::windows {

using client::OpKind;
using com::Bstr;
using com::ComPtr;

namespace {

// Objects taken from an enumerator per Next call, and Next calls per
// enumeration per Poll (so one long enumeration cannot starve the others).
constexpr ULONG kBatch = 64;
constexpr int kRoundsPerPoll = 8;

// Thread: COM worker. The error object of the call that just failed on this
// thread (the __ExtendedStatus WMI attaches as COM error info), if any.
ComPtr<IWbemClassObject> TakeErrorObject() noexcept {
  ComPtr<IWbemClassObject> object;
  IErrorInfo* raw = nullptr;
  if (GetErrorInfo(0, &raw) == S_OK && raw) {
    raw->QueryInterface(IID_IWbemClassObject, reinterpret_cast<void**>(object.put()));
    raw->Release();
  }
  return object;
}

class WmiCallHooks final : public CallHooks {
 public:
  WmiCallHooks(const client::ConnectOptions& options, const CallPolicy& policy)
      : options_(options), policy_(policy) {}

  ~WmiCallHooks() override { Shutdown(); }

  // Thread: COM worker.
  HRESULT Connect(IWbemServices** out, OleString* message) noexcept override {
    HRESULT hr = ConnectWithSecurity(options_, out, &identity_, &blanket_, message);
    if (SUCCEEDED(hr)) wmi_ = true;
    return hr;
  }

  // Thread: COM worker.
  HRESULT Prepare(IWbemServices* /*services*/, OleString* message) noexcept override {
    try {
      // Semisynchronous connections hand no sink to the server at all.
      if (policy_.callMode == CallMode::kSemisync) return S_OK;
      bool unsecapp = policy_.sinkSecurity == SinkSecurity::kUnsecappCheckAccess ||
                      (policy_.sinkSecurity == SinkSecurity::kAuto && wmi_ && blanket_.remote);
      if (!unsecapp) return S_OK;
      EnsureProcessSecurity();
      ComPtr<IUnknown> unknown;
      HRESULT hr = CoCreateInstance(CLSID_UnsecuredApartment, nullptr, CLSCTX_LOCAL_SERVER,
                                    IID_IUnknown, reinterpret_cast<void**>(unknown.put()));
      if (SUCCEEDED(hr))
        hr = unknown->QueryInterface(IID_IWbemUnsecuredApartment,
                                     reinterpret_cast<void**>(apartment_.put()));
      if (FAILED(hr)) {
        if (message) {
          const char* name = com::StatusName(hr);
          *message = Ole("sinkSecurity 'unsecapp-check-access' needs Unsecapp.exe "
                         "(CLSID_UnsecuredApartment, IWbemUnsecuredApartment), which could not be "
                         "created (") +
                     Ole(name ? name : "error") +
                     Ole("); use sinkSecurity 'in-process' or callMode 'semisync'");
        }
        return hr;
      }
      return S_OK;
    } catch (const std::bad_alloc&) {
      return WBEM_E_OUT_OF_MEMORY;
    } catch (...) {
      return WBEM_E_FAILED;
    }
  }

  // Thread: COM worker.
  HRESULT WrapSink(IWbemObjectSink* sink, IWbemObjectSink** out,
                   OleString* message) noexcept override {
    if (!sink || !out) return WBEM_E_INVALID_PARAMETER;
    *out = nullptr;
    if (!apartment_) {
      sink->AddRef();
      *out = sink;
      return S_OK;
    }
    // The stub holds the only reference the server sees; it forwards every
    // call to `sink` and is released by the caller at the final SetStatus.
    HRESULT hr = apartment_->CreateSinkStub(sink, WBEM_FLAG_UNSECAPP_CHECK_ACCESS, nullptr, out);
    if (SUCCEEDED(hr) && !*out) hr = WBEM_E_FAILED;
    if (FAILED(hr) && message) {
      try {
        *message = Ole("IWbemUnsecuredApartment::CreateSinkStub failed");
      } catch (...) {
      }
    }
    return hr;
  }

  // Thread: COM worker.
  bool Semisync(OpKind) const noexcept override {
    return policy_.callMode == CallMode::kSemisync;
  }

  // Thread: COM worker.
  HRESULT StartSemisync(IWbemServices* services, const client::OpRequest& req,
                        IWbemClassObject* object, IWbemContext* context,
                        IWbemObjectSink* sink) noexcept override {
    if (!services || !sink) return WBEM_E_INVALID_PARAMETER;
    try {
      Pending p;
      p.sink = ComPtr<IWbemObjectSink>::Share(sink);
      p.kind = req.kind;
      const long flags = req.flags | WBEM_FLAG_RETURN_IMMEDIATELY;
      HRESULT hr = WBEM_E_INVALID_PARAMETER;
      switch (req.kind) {
        case OpKind::kPutInstance:
          hr = services->PutInstance(object, flags, context, p.result.put());
          break;
        case OpKind::kPutClass:
          hr = services->PutClass(object, flags, context, p.result.put());
          break;
        case OpKind::kGetObject:
        case OpKind::kGetClass: {
          Bstr path{req.kind == OpKind::kGetObject ? req.path : req.className};
          hr = services->GetObject(path.get(), flags, context, nullptr, p.result.put());
          break;
        }
        case OpKind::kDeleteInstance: {
          Bstr path{req.path};
          hr = services->DeleteInstance(path.get(), flags, context, p.result.put());
          break;
        }
        case OpKind::kDeleteClass: {
          Bstr name{req.className};
          hr = services->DeleteClass(name.get(), flags, context, p.result.put());
          break;
        }
        case OpKind::kEnumInstances:
        case OpKind::kEnumClasses: {
          Bstr name;
          if (!req.className.empty()) name = Bstr(req.className);
          long enumFlags = flags | WBEM_FLAG_FORWARD_ONLY |
                           (req.deep ? WBEM_FLAG_DEEP : WBEM_FLAG_SHALLOW);
          hr = req.kind == OpKind::kEnumInstances
                   ? services->CreateInstanceEnum(name.get(), enumFlags, context, p.items.put())
                   : services->CreateClassEnum(name.get(), enumFlags, context, p.items.put());
          break;
        }
      }
      if (FAILED(hr)) return hr;
      IUnknown* proxy = p.result ? static_cast<IUnknown*>(p.result.get())
                                 : static_cast<IUnknown*>(p.items.get());
      if (!proxy) return WBEM_E_FAILED;
      // Proxies do not inherit the blanket of the services they came from.
      if (wmi_) {
        hr = ApplyBlanket(proxy, blanket_);
        if (FAILED(hr)) return hr;
      }
      pending_.push_back(std::move(p));
      return S_OK;
    } catch (const std::bad_alloc&) {
      return WBEM_E_OUT_OF_MEMORY;
    } catch (...) {
      return WBEM_E_FAILED;
    }
  }

  // Thread: COM worker.
  size_t Poll() noexcept override {
    // Delivery may run the sink's owner (queue push) but never re-enters us.
    for (auto& p : pending_)
      if (!p.done) p.done = Step(p);
    pending_.erase(std::remove_if(pending_.begin(), pending_.end(),
                                  [](const Pending& p) { return p.done; }),
                   pending_.end());
    return pending_.size();
  }

  // Thread: COM worker.
  bool Forget(IWbemObjectSink* sink) noexcept override {
    auto it = std::find_if(pending_.begin(), pending_.end(),
                           [&](const Pending& p) { return p.sink.get() == sink; });
    if (it == pending_.end()) return false;
    pending_.erase(it);
    return true;
  }

  // Thread: COM worker.
  void Shutdown() noexcept override {
    pending_.clear();
    apartment_.reset();
  }

 private:
  struct Pending {
    ComPtr<IWbemObjectSink> sink;
    OpKind kind = OpKind::kPutInstance;
    ComPtr<IWbemCallResult> result;      // put, get, delete
    ComPtr<IEnumWbemClassObject> items;  // enumerations
    bool done = false;
  };

  // Thread: COM worker. True once the call's final status was delivered.
  static bool Step(Pending& p) noexcept {
    return p.items ? StepEnum(p) : StepCall(p);
  }

  // Thread: COM worker.
  static bool StepCall(Pending& p) noexcept {
    SetErrorInfo(0, nullptr);  // no stale error object from an earlier call
    long status = 0;
    HRESULT hr = p.result->GetCallStatus(0, &status);
    if (hr == static_cast<HRESULT>(WBEM_S_TIMEDOUT)) return false;
    if (FAILED(hr)) {  // the call result itself failed (e.g. the link broke)
      ComPtr<IWbemClassObject> error = TakeErrorObject();
      p.sink->SetStatus(WBEM_STATUS_COMPLETE, hr, nullptr, error.get());
      return true;
    }
    ComPtr<IWbemClassObject> error;
    Bstr text;
    if (FAILED(status)) {
      error = TakeErrorObject();
    } else if (p.kind == OpKind::kPutInstance || p.kind == OpKind::kPutClass) {
      // PutInstance gives the path; PutClass may give nothing (the caller
      // falls back to the class name), as its async form may.
      if (FAILED(p.result->GetResultString(0, text.put()))) text = Bstr();
    } else if (p.kind == OpKind::kGetObject || p.kind == OpKind::kGetClass) {
      ComPtr<IWbemClassObject> object;
      HRESULT got = p.result->GetResultObject(0, object.put());
      if (SUCCEEDED(got) && object) {
        IWbemClassObject* one[1] = {object.get()};
        p.sink->Indicate(1, one);
      } else {
        status = FAILED(got) ? got : static_cast<HRESULT>(WBEM_E_FAILED);
      }
    }
    p.sink->SetStatus(WBEM_STATUS_COMPLETE, status, text.get(), error.get());
    return true;
  }

  // Thread: COM worker.
  static bool StepEnum(Pending& p) noexcept {
    for (int round = 0; round < kRoundsPerPoll; ++round) {
      IWbemClassObject* raw[kBatch] = {};
      ULONG returned = 0;
      SetErrorInfo(0, nullptr);
      HRESULT hr = p.items->Next(0, kBatch, raw, &returned);
      if (returned > kBatch) returned = 0;  // a broken server; never read past the array
      if (returned > 0) p.sink->Indicate(static_cast<long>(returned), raw);
      for (ULONG i = 0; i < returned; ++i)
        if (raw[i]) raw[i]->Release();
      if (hr == static_cast<HRESULT>(WBEM_S_TIMEDOUT)) return false;
      if (hr == static_cast<HRESULT>(WBEM_S_FALSE)) {
        p.sink->SetStatus(WBEM_STATUS_COMPLETE, WBEM_S_NO_ERROR, nullptr, nullptr);
        return true;
      }
      if (FAILED(hr)) {
        ComPtr<IWbemClassObject> error = TakeErrorObject();
        p.sink->SetStatus(WBEM_STATUS_COMPLETE, hr, nullptr, error.get());
        return true;
      }
      // WBEM_S_NO_ERROR: a full batch; there may be more right away.
    }
    return false;
  }

  const client::ConnectOptions options_;
  const CallPolicy policy_;
  bool wmi_ = false;  // connected through Connect (proxies need blankets)
  Blanket blanket_;
  std::unique_ptr<Identity> identity_;  // outlives every proxy (destroyed last)
  ComPtr<IWbemUnsecuredApartment> apartment_;
  std::vector<Pending> pending_;
};

}  // namespace

// Thread: COM worker.
std::unique_ptr<CallHooks> MakeCallHooks(const client::ConnectOptions& options,
                                         const CallPolicy& policy) noexcept {
  try {
    return std::make_unique<WmiCallHooks>(options, policy);
  } catch (...) {
    return nullptr;
  }
}

}  // namespace wmiput::windows

#endif  // _WIN32
