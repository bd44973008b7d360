#include "embedded/services.h"

#include <new>
#include <vector>

#include "com/status.h"
#include "embedded/call_result.h"
#include "embedded/class_object.h"
#include "embedded/counters.h"
#include "embedded/names.h"
#include "embedded/object_enum.h"
#include "embedded/object_path.h"
#include "embedded/system_classes.h"

namespace wmiput::embedded {
namespace {

// Allowed flag sets per method (wmi-put-semantics.md §1.2); bits of
// WBEM_MASK_RESERVED_FLAGS are ignored everywhere.
constexpr long kCreateUpdate = WBEM_FLAG_UPDATE_ONLY | WBEM_FLAG_CREATE_ONLY;
// The description of a failure injected through RepositoryControls.
constexpr const OLECHAR* kInjectedFault = OLESTR("Injected fault.");
constexpr long kPutInstanceAsyncFlags =
    kCreateUpdate | WBEM_FLAG_SEND_STATUS | WBEM_FLAG_USE_AMENDED_QUALIFIERS;
constexpr long kPutInstanceFlags =
    kCreateUpdate | WBEM_FLAG_RETURN_IMMEDIATELY | WBEM_FLAG_USE_AMENDED_QUALIFIERS;
constexpr long kPutClassAsyncFlags = kPutInstanceAsyncFlags | WBEM_MASK_UPDATE_MODE;
constexpr long kPutClassFlags = kPutInstanceFlags | WBEM_MASK_UPDATE_MODE;
constexpr long kGetObjectFlags =
    WBEM_FLAG_RETURN_IMMEDIATELY | WBEM_FLAG_USE_AMENDED_QUALIFIERS | WBEM_FLAG_DIRECT_READ;
constexpr long kGetObjectAsyncFlags =
    WBEM_FLAG_SEND_STATUS | WBEM_FLAG_USE_AMENDED_QUALIFIERS | WBEM_FLAG_DIRECT_READ;
constexpr long kDeleteFlags = WBEM_FLAG_RETURN_IMMEDIATELY;
constexpr long kDeleteAsyncFlags = WBEM_FLAG_SEND_STATUS;
constexpr long kClassEnumFlags = WBEM_FLAG_SHALLOW | WBEM_FLAG_RETURN_IMMEDIATELY |
                                 WBEM_FLAG_FORWARD_ONLY | WBEM_FLAG_USE_AMENDED_QUALIFIERS;
constexpr long kClassEnumAsyncFlags =
    WBEM_FLAG_SHALLOW | WBEM_FLAG_SEND_STATUS | WBEM_FLAG_USE_AMENDED_QUALIFIERS;
constexpr long kInstanceEnumFlags = kClassEnumFlags | WBEM_FLAG_DIRECT_READ;
constexpr long kInstanceEnumAsyncFlags = kClassEnumAsyncFlags | WBEM_FLAG_DIRECT_READ;
// What reaches the repository.
constexpr long kRepositoryFlags =
    kCreateUpdate | WBEM_MASK_UPDATE_MODE | WBEM_FLAG_USE_AMENDED_QUALIFIERS;
// Objects per Indicate of an enumeration.
constexpr size_t kIndicateBatch = 256;

// Thread: any.
long Effective(long flags) { return flags & ~static_cast<long>(WBEM_MASK_RESERVED_FLAGS); }

// Thread: any.
bool FlagsValid(long flags, long allowed) {
  const long f = Effective(flags);
  if (f & ~allowed) return false;
  if ((f & kCreateUpdate) == kCreateUpdate) return false;
  if ((allowed & WBEM_MASK_UPDATE_MODE) == WBEM_MASK_UPDATE_MODE &&
      (f & WBEM_MASK_UPDATE_MODE) == WBEM_MASK_UPDATE_MODE) {
    return false;
  }
  return true;
}

// True when the instance's __RELPATH would be longer than WBEM_MAX_PATH
// (exact for string keys, which are the only ones that can get that long).
// Thread: any.
bool RelPathTooLong(const InstanceData& inst) {
  const ClassData& c = *inst.cls;
  size_t len = c.name.size();
  if (c.IsSingleton()) return len + 2 > kMaxPathLength;
  for (size_t i = 0; i < c.properties.size(); ++i) {
    if (!c.IsKeyProperty(i)) continue;
    const Property& p = c.properties[i];
    len += 2 + p.name.size();  // '.' or ',', name, '='
    const VARIANT* v = i < inst.values.size() ? inst.values[i].get() : nullptr;
    const CIMTYPE t = p.type & ~CIM_FLAG_ARRAY;
    if (v && v->vt == VT_BSTR) {
      const UINT n = SysStringLen(v->bstrVal);
      if (t == CIM_SINT64 || t == CIM_UINT64) {
        len += n;
      } else {
        len += n + 2;
        for (UINT k = 0; k < n; ++k) {
          if (v->bstrVal[k] == OLESTR('"') || v->bstrVal[k] == OLESTR('\\')) ++len;
        }
      }
    } else if (!v || v->vt == VT_NULL || v->vt == VT_EMPTY) {
      if (t == CIM_STRING) len += 40;  // the GUID the repository assigns, quoted
    } else {
      len += 1;
    }
    if (len > kMaxPathLength) return true;
  }
  return len > kMaxPathLength;
}

// Collects the outcome of an operation run on the calling thread.
class SyncCollector final : public Delivery {
 public:
  // Thread: any.
  bool Indicate(long count, IWbemClassObject** objects) noexcept override {
    if (count > 0 && objects && objects[0] && !object) {
      object = com::ComPtr<IWbemClassObject>::Share(objects[0]);
    }
    return true;
  }
  // Thread: any.
  void Complete(HRESULT h, const OleString* p, IWbemClassObject* /*status*/) noexcept override {
    if (done) return;
    done = true;
    hr = h;
    if (p) {
      try {
        param = *p;
        hasParam = true;
      } catch (...) {
      }
    }
  }
  bool Finished() const noexcept override { return done; }

  bool done = false;
  HRESULT hr = WBEM_E_FAILED;
  bool hasParam = false;
  OleString param;
  com::ComPtr<IWbemClassObject> object;
};

// Thread: any.
OleString ToOle(const BSTR b) { return b ? com::ToOleString(b) : OleString(); }

}  // namespace

// ---- lifetime ----------------------------------------------------------------

// Thread: any.
Services::Services(RepositoryPtr repo, std::shared_ptr<ServerState> state, OleString ns)
    : repo_(std::move(repo)),
      state_(std::move(state)),
      ns_(std::move(ns)),
      calls_(std::make_shared<CallRegistry>()) {
  live::services.fetch_add(1, std::memory_order_relaxed);
}

// Thread: any.
Services::~Services() { live::services.fetch_sub(1, std::memory_order_relaxed); }

// Thread: any.
HRESULT Services::Create(const RepositoryPtr& repo, OleStringView ns,
                         IWbemServices** out) noexcept {
  if (!out) return WBEM_E_INVALID_PARAMETER;
  *out = nullptr;
  if (!repo) return WBEM_E_INVALID_PARAMETER;
  try {
    OleString canonical = repo->CanonicalNamespace(ns);
    if (canonical.empty()) return WBEM_E_INVALID_NAMESPACE;
    std::shared_ptr<ServerState> state = ServerStateFor(repo);
    *out = new Services(repo, std::move(state), std::move(canonical));
    return WBEM_S_NO_ERROR;
  } catch (const std::bad_alloc&) {
    return WBEM_E_OUT_OF_MEMORY;
  } catch (...) {
    return WBEM_E_FAILED;
  }
}

// ---- shared machinery ------------------------------------------------------------

// Thread: any.
HRESULT Services::CheckNamespace() const noexcept {
  // Read the removal count before looking: a removal after this read changes
  // it, so the next call looks again.
  const uint64_t removals = repo_->NamespaceRemovals();
  if (nsSeenAt_.load(std::memory_order_acquire) == removals) return WBEM_S_NO_ERROR;
  try {
    if (repo_->CanonicalNamespace(ns_).empty()) return WBEM_E_INVALID_NAMESPACE;
    nsSeenAt_.store(removals, std::memory_order_release);
    return WBEM_S_NO_ERROR;
  } catch (...) {
    return WBEM_E_OUT_OF_MEMORY;
  }
}

// Thread: any.
ClassPtr Services::ExtendedStatusClass() noexcept {
  std::lock_guard<std::mutex> lk(statusMu_);
  if (extendedStatus_) return extendedStatus_;
  ClassPtr cls;
  try {
    if (FAILED(repo_->GetClass(ns_, OLESTR("__ExtendedStatus"), &cls)) || !cls) {
      cls.reset();
      for (const ClassPtr& c : SystemClasses()) {
        if (EqualsNoCase(c->name, OLESTR("__ExtendedStatus"))) cls = c;
      }
    }
  } catch (...) {
    return nullptr;
  }
  extendedStatus_ = cls;
  return cls;
}

// Thread: any.
com::ComPtr<IWbemClassObject> Services::StatusObject(HRESULT hr, const OLECHAR* operation,
                                                     OleStringView description,
                                                     OleStringView parameterInfo) noexcept {
  try {
    ClassPtr cls = ExtendedStatusClass();
    if (!cls) return nullptr;
    InstanceData inst = NewInstance(cls);
    auto set = [&](OleStringView name, com::Variant value) {
      int i = cls->FindProperty(name);
      if (i < 0) return;
      const size_t idx = static_cast<size_t>(i);
      if (idx < inst.values.size()) inst.values[idx] = std::move(value);
      if (idx < inst.modified.size()) inst.modified[idx] = true;
    };
    OleString text(description);
    if (text.empty()) {
      const char* d = com::StatusDescription(hr);
      text = d ? com::Utf8ToOle(d) : OleString(OLESTR("The operation failed."));
    }
    set(OLESTR("Description"), com::Variant::FromBstr(text));
    set(OLESTR("Operation"), com::Variant::FromBstr(operation));
    set(OLESTR("ParameterInfo"), com::Variant::FromBstr(parameterInfo));
    set(OLESTR("ProviderName"), com::Variant::FromBstr(OLESTR("Windows Management")));
    set(OLESTR("StatusCode"), com::Variant::FromI4(hr));
    return NewInstanceObject(std::move(inst));
  } catch (...) {
    return nullptr;
  }
}

// Thread: any (inside an operation's delivery lock).
com::ComPtr<IWbemClassObject> Services::CancelStatus(HRESULT hr,
                                                     const OLECHAR* operation) noexcept {
  return StatusObject(hr, operation ? operation : OLESTR(""), OLESTR(""), OLESTR(""));
}

// Thread: executor worker, the caller (sync forms) or a durable
// repository's commit thread.
void Services::Report(Delivery& d, const OpResult& r, const OLECHAR* operation,
                      OleStringView defaultParameter) noexcept {
  if (r.ticket) {
    // A durable repository: report once the write (and every one before it)
    // is on disk; an asynchronous call is kept open meanwhile instead of
    // holding this worker.
    auto onDisk = [](const OpResult& res, HRESULT io) {
      if (SUCCEEDED(io) || FAILED(res.hr)) return res;
      OpResult bad = res;
      bad.hr = io;
      bad.path.clear();
      bad.description = OLESTR("The change could not be written to the repository file.");
      return bad;
    };
    OpResult copy = r;
    copy.ticket = 0;
    if (d.Retain()) {
      try {
        com::ComPtr<IWbemServices> keep = com::ComPtr<IWbemServices>::Share(this);
        OleString param(defaultParameter);
        Delivery* held = &d;
        repo_->AfterDurable(r.ticket, [this, keep, held, copy, operation, param, onDisk](HRESULT io) {
          // Thread: the commit thread, or the worker when already on disk.
          Report(*held, onDisk(copy, io), operation, param);
          held->Unretain();
        });
        return;
      } catch (...) {
        d.Unretain();
      }
    }
    Report(d, onDisk(copy, repo_->WaitDurable(r.ticket)), operation, defaultParameter);
    return;
  }
  if (SUCCEEDED(r.hr)) {
    d.Complete(r.hr, r.path.empty() ? nullptr : &r.path, nullptr);
    return;
  }
  com::ComPtr<IWbemClassObject> status =
      StatusObject(r.hr, operation, r.description,
                   r.parameterInfo.empty() ? defaultParameter : OleStringView(r.parameterInfo));
  d.Complete(r.hr, nullptr, status.get());
}

// Thread: any.
OpBody Services::FailureBody(HRESULT hr, const OLECHAR* operation, const OLECHAR* description,
                             OleString parameterInfo) {
  com::ComPtr<IWbemServices> keep = com::ComPtr<IWbemServices>::Share(this);
  return [this, keep, hr, operation, description, parameterInfo](Delivery& d) {
    // Thread: executor worker or the caller.
    com::ComPtr<IWbemClassObject> status = StatusObject(hr, operation, description, parameterInfo);
    d.Complete(hr, nullptr, status.get());
  };
}

// Thread: any.
HRESULT Services::Run(const Form& form, OpBody body, const OLECHAR* operation) noexcept {
  try {
    if (form.sink) {
      const RepositoryControls c = state_->Controls();
      return AsyncCall::Start(calls_, form.sink, std::move(body), state_->executor(), c.delivery,
                              c.latency, this, operation);
    }
    if (form.semisync) {
      com::ComPtr<IWbemCallResult> result;
      com::ComPtr<IWbemObjectSink> completer;
      HRESULT hr = CallResult::CreatePending(&result, &completer);
      if (FAILED(hr)) return hr;
      const RepositoryControls c = state_->Controls();
      hr = AsyncCall::Start(calls_, completer.get(), std::move(body), state_->executor(),
                            c.delivery, c.latency, this, operation);
      if (FAILED(hr)) return hr;
      *form.ppCallResult = result.detach();
      return WBEM_S_NO_ERROR;
    }
    SyncCollector c;
    try {
      body(c);
    } catch (const std::bad_alloc&) {
      c.Complete(WBEM_E_OUT_OF_MEMORY, nullptr, nullptr);
    } catch (...) {
      c.Complete(WBEM_E_FAILED, nullptr, nullptr);
    }
    c.Complete(WBEM_E_FAILED, nullptr, nullptr);  // a body without a final status
    if (form.ppCallResult) {
      com::ComPtr<IWbemCallResult> result;
      if (SUCCEEDED(CallResult::CreateDone(c.hr, c.hasParam ? &c.param : nullptr,
                                           c.object.get(), &result))) {
        *form.ppCallResult = result.detach();
      }
    }
    if (form.ppObject && SUCCEEDED(c.hr)) *form.ppObject = c.object.detach();
    return c.hr;
  } catch (const std::bad_alloc&) {
    return WBEM_E_OUT_OF_MEMORY;
  } catch (...) {
    return WBEM_E_FAILED;
  }
}

// ---- puts ----------------------------------------------------------------------

// Thread: any. `flags` were validated by the caller.
HRESULT Services::DoPutClass(IWbemClassObject* obj, long flags, IWbemContext* ctx,
                             const Form& form) noexcept {
  ClassObjectView* view = ViewOf(obj);
  if (!view) return WBEM_E_INVALID_PARAMETER;
  HRESULT hr = CheckNamespace();
  if (FAILED(hr)) return hr;
  try {
    const bool isClass = view->IsClass();
    OleString name = isClass ? view->Class().name : view->Instance().cls->name;
    Fault fault;
    if (state_->TakeFault(&fault)) {
      if (fault.when == FaultWhen::kSynchronous) return fault.hr;
      return Run(form, FailureBody(fault.hr, OLESTR("PutClass"), kInjectedFault, std::move(name)), OLESTR("PutClass"));
    }
    com::ComPtr<IWbemServices> keep = com::ComPtr<IWbemServices>::Share(this);
    if (!isClass) {
      return Run(form, FailureBody(WBEM_E_INVALID_CLASS, OLESTR("PutClass"),
                                   OLESTR("PutClass was given an instance; it takes a class object."),
                                   std::move(name)),
                 OLESTR("PutClass"));
    }
    if (!(flags & WBEM_FLAG_USE_AMENDED_QUALIFIERS) && view->HasAmendedQualifiers()) {
      return Run(form, FailureBody(WBEM_E_AMENDED_OBJECT, OLESTR("PutClass"),
                                   OLESTR("The class carries amended qualifiers; write it with ")
                                   OLESTR("WBEM_FLAG_USE_AMENDED_QUALIFIERS."),
                                   std::move(name)),
                 OLESTR("PutClass"));
    }
    ClassData data = view->Class();  // snapshot: the caller may reuse its object
    com::ComPtr<IWbemContext> context = com::ComPtr<IWbemContext>::Share(ctx);
    const long repoFlags = Effective(flags) & kRepositoryFlags;
    return Run(form, [this, keep, data = std::move(data), context, repoFlags](Delivery& d) {
      // Thread: executor worker or the caller.
      OpResult r = repo_->PutClass(ns_, data, repoFlags, context.get());
      Report(d, r, OLESTR("PutClass"), data.name);
    }, OLESTR("PutClass"));
  } catch (const std::bad_alloc&) {
    return WBEM_E_OUT_OF_MEMORY;
  } catch (...) {
    return WBEM_E_FAILED;
  }
}

// Thread: any. `flags` were validated by the caller.
HRESULT Services::DoPutInstance(IWbemClassObject* obj, long flags, IWbemContext* ctx,
                                const Form& form) noexcept {
  ClassObjectView* view = ViewOf(obj);
  if (!view) return WBEM_E_INVALID_PARAMETER;
  HRESULT hr = CheckNamespace();
  if (FAILED(hr)) return hr;
  try {
    const bool isClass = view->IsClass();
    if (!isClass && RelPathTooLong(view->Instance())) return WBEM_E_QUOTA_VIOLATION;
    // The class name for the error paths (a successful put never copies it).
    auto name = [view, isClass] { return isClass ? view->Class().name : view->Instance().cls->name; };
    Fault fault;
    if (state_->TakeFault(&fault)) {
      if (fault.when == FaultWhen::kSynchronous) return fault.hr;
      return Run(form, FailureBody(fault.hr, OLESTR("PutInstance"), kInjectedFault, name()), OLESTR("PutInstance"));
    }
    com::ComPtr<IWbemServices> keep = com::ComPtr<IWbemServices>::Share(this);
    if (isClass) {
      return Run(form, FailureBody(WBEM_E_INVALID_OBJECT, OLESTR("PutInstance"),
                                   OLESTR("PutInstance was given a class; it takes an instance."),
                                   name()),
                 OLESTR("PutInstance"));
    }
    InstanceData data = view->Instance();  // snapshot: the caller may reuse its object
    com::ComPtr<IWbemContext> context = com::ComPtr<IWbemContext>::Share(ctx);
    const long repoFlags = Effective(flags) & kRepositoryFlags;
    return Run(form, [this, keep, data = std::move(data), context, repoFlags](Delivery& d) mutable {
      // Thread: executor worker or the caller. The body runs once, so the
      // snapshot's values move into the store (only the values: data.cls stays).
      OpResult r = repo_->PutInstance(ns_, std::move(data), repoFlags, context.get());
      Report(d, r, OLESTR("PutInstance"), data.cls->name);
    }, OLESTR("PutInstance"));
  } catch (const std::bad_alloc&) {
    return WBEM_E_OUT_OF_MEMORY;
  } catch (...) {
    return WBEM_E_FAILED;
  }
}

// Thread: any.
HRESULT STDMETHODCALLTYPE Services::PutClass(IWbemClassObject* pObject, long lFlags,
                                             IWbemContext* pCtx,
                                             IWbemCallResult** ppCallResult) noexcept {
  if (ppCallResult) *ppCallResult = nullptr;
  if (!pObject || !FlagsValid(lFlags, kPutClassFlags)) return WBEM_E_INVALID_PARAMETER;
  Form form;
  if (!Form::Call(lFlags, ppCallResult, &form)) return WBEM_E_INVALID_PARAMETER;
  return DoPutClass(pObject, lFlags, pCtx, form);
}

// Thread: any.
HRESULT STDMETHODCALLTYPE Services::PutClassAsync(IWbemClassObject* pObject, long lFlags,
                                                  IWbemContext* pCtx,
                                                  IWbemObjectSink* pResponseHandler) noexcept {
  if (!pObject || !pResponseHandler || !FlagsValid(lFlags, kPutClassAsyncFlags)) {
    return WBEM_E_INVALID_PARAMETER;
  }
  return DoPutClass(pObject, lFlags, pCtx, Form::Async(pResponseHandler));
}

// Thread: any.
HRESULT STDMETHODCALLTYPE Services::PutInstance(IWbemClassObject* pInst, long lFlags,
                                                IWbemContext* pCtx,
                                                IWbemCallResult** ppCallResult) noexcept {
  if (ppCallResult) *ppCallResult = nullptr;
  if (!pInst || !FlagsValid(lFlags, kPutInstanceFlags)) return WBEM_E_INVALID_PARAMETER;
  Form form;
  if (!Form::Call(lFlags, ppCallResult, &form)) return WBEM_E_INVALID_PARAMETER;
  return DoPutInstance(pInst, lFlags, pCtx, form);
}

// Thread: any.
HRESULT STDMETHODCALLTYPE Services::PutInstanceAsync(IWbemClassObject* pInst, long lFlags,
                                                     IWbemContext* pCtx,
                                                     IWbemObjectSink* pResponseHandler) noexcept {
  if (!pInst || !pResponseHandler || !FlagsValid(lFlags, kPutInstanceAsyncFlags)) {
    return WBEM_E_INVALID_PARAMETER;
  }
  return DoPutInstance(pInst, lFlags, pCtx, Form::Async(pResponseHandler));
}

// ---- deletes -------------------------------------------------------------------

// Thread: any.
HRESULT Services::DoDelete(bool isClass, const BSTR target, IWbemContext* /*ctx*/,
                           const Form& form) noexcept {
  if (!target || SysStringLen(target) == 0) return WBEM_E_INVALID_PARAMETER;
  HRESULT hr = CheckNamespace();
  if (FAILED(hr)) return hr;
  const OLECHAR* op = isClass ? OLESTR("DeleteClass") : OLESTR("DeleteInstance");
  try {
    OleString name = com::ToOleString(target);
    Fault fault;
    if (state_->TakeFault(&fault)) {
      if (fault.when == FaultWhen::kSynchronous) return fault.hr;
      return Run(form, FailureBody(fault.hr, op, kInjectedFault, std::move(name)), op);
    }
    com::ComPtr<IWbemServices> keep = com::ComPtr<IWbemServices>::Share(this);
    return Run(form, [this, keep, isClass, op, name](Delivery& d) {
      // Thread: executor worker or the caller.
      OpResult r = isClass ? repo_->DeleteClass(ns_, name) : repo_->DeleteInstance(ns_, name);
      Report(d, r, op, name);
    }, op);
  } catch (const std::bad_alloc&) {
    return WBEM_E_OUT_OF_MEMORY;
  } catch (...) {
    return WBEM_E_FAILED;
  }
}

// Thread: any.
HRESULT STDMETHODCALLTYPE Services::DeleteClass(const BSTR strClass, long lFlags,
                                                IWbemContext* pCtx,
                                                IWbemCallResult** ppCallResult) noexcept {
  if (ppCallResult) *ppCallResult = nullptr;
  if (!FlagsValid(lFlags, kDeleteFlags)) return WBEM_E_INVALID_PARAMETER;
  Form form;
  if (!Form::Call(lFlags, ppCallResult, &form)) return WBEM_E_INVALID_PARAMETER;
  return DoDelete(true, strClass, pCtx, form);
}

// Thread: any.
HRESULT STDMETHODCALLTYPE Services::DeleteClassAsync(const BSTR strClass, long lFlags,
                                                     IWbemContext* pCtx,
                                                     IWbemObjectSink* pResponseHandler) noexcept {
  if (!pResponseHandler || !FlagsValid(lFlags, kDeleteAsyncFlags)) {
    return WBEM_E_INVALID_PARAMETER;
  }
  return DoDelete(true, strClass, pCtx, Form::Async(pResponseHandler));
}

// Thread: any.
HRESULT STDMETHODCALLTYPE Services::DeleteInstance(const BSTR strObjectPath, long lFlags,
                                                   IWbemContext* pCtx,
                                                   IWbemCallResult** ppCallResult) noexcept {
  if (ppCallResult) *ppCallResult = nullptr;
  if (!FlagsValid(lFlags, kDeleteFlags)) return WBEM_E_INVALID_PARAMETER;
  Form form;
  if (!Form::Call(lFlags, ppCallResult, &form)) return WBEM_E_INVALID_PARAMETER;
  return DoDelete(false, strObjectPath, pCtx, form);
}

// Thread: any.
HRESULT STDMETHODCALLTYPE Services::DeleteInstanceAsync(const BSTR strObjectPath, long lFlags,
                                                        IWbemContext* pCtx,
                                                        IWbemObjectSink* pResponseHandler) noexcept {
  if (!pResponseHandler || !FlagsValid(lFlags, kDeleteAsyncFlags)) {
    return WBEM_E_INVALID_PARAMETER;
  }
  return DoDelete(false, strObjectPath, pCtx, Form::Async(pResponseHandler));
}

// ---- GetObject -----------------------------------------------------------------

// Thread: any.
HRESULT Services::DoGetObject(const BSTR path, long /*flags*/, const Form& form) noexcept {
  HRESULT hr = CheckNamespace();
  if (FAILED(hr)) return hr;
  try {
    com::ComPtr<IWbemServices> keep = com::ComPtr<IWbemServices>::Share(this);
    OleString text = ToOle(path);
    return Run(form, [this, keep, text](Delivery& d) {
      // Thread: executor worker or the caller.
      com::ComPtr<IWbemClassObject> obj;
      HRESULT hr = WBEM_S_NO_ERROR;
      if (text.empty()) {
        obj = NewClassObject(ClassData{});
      } else {
        ObjectPath parsed;
        hr = ParseObjectPath(text, &parsed);
        if (SUCCEEDED(hr)) {
          if (parsed.IsClassPath()) {
            ClassPtr cls;
            hr = repo_->GetClass(ns_, parsed.className, &cls);
            if (SUCCEEDED(hr)) obj = NewClassObject(cls);
          } else {
            InstanceData inst;
            hr = repo_->GetInstance(ns_, text, &inst);
            if (SUCCEEDED(hr)) obj = NewInstanceObject(std::move(inst));
          }
        }
      }
      if (SUCCEEDED(hr) && !obj) hr = WBEM_E_OUT_OF_MEMORY;
      if (FAILED(hr)) {
        com::ComPtr<IWbemClassObject> status = StatusObject(hr, OLESTR("GetObject"), OLESTR(""), text);
        d.Complete(hr, nullptr, status.get());
        return;
      }
      IWbemClassObject* one[1] = {obj.get()};
      if (!d.Indicate(1, one)) return;
      d.Complete(WBEM_S_NO_ERROR, nullptr, nullptr);
    }, OLESTR("GetObject"));
  } catch (const std::bad_alloc&) {
    return WBEM_E_OUT_OF_MEMORY;
  } catch (...) {
    return WBEM_E_FAILED;
  }
}

// Thread: any.
HRESULT STDMETHODCALLTYPE Services::GetObject(const BSTR strObjectPath, long lFlags,
                                              IWbemContext* /*pCtx*/, IWbemClassObject** ppObject,
                                              IWbemCallResult** ppCallResult) noexcept {
  if (ppCallResult) *ppCallResult = nullptr;
  if (ppObject) *ppObject = nullptr;
  if (!FlagsValid(lFlags, kGetObjectFlags)) return WBEM_E_INVALID_PARAMETER;
  Form form;
  if (!Form::Call(lFlags, ppCallResult, &form)) return WBEM_E_INVALID_PARAMETER;
  form.ppObject = ppObject;
  if (!form.semisync && !ppObject && !ppCallResult) return WBEM_E_INVALID_PARAMETER;
  return DoGetObject(strObjectPath, lFlags, form);
}

// Thread: any.
HRESULT STDMETHODCALLTYPE Services::GetObjectAsync(const BSTR strObjectPath, long lFlags,
                                                   IWbemContext* /*pCtx*/,
                                                   IWbemObjectSink* pResponseHandler) noexcept {
  if (!pResponseHandler || !FlagsValid(lFlags, kGetObjectAsyncFlags)) {
    return WBEM_E_INVALID_PARAMETER;
  }
  return DoGetObject(strObjectPath, lFlags, Form::Async(pResponseHandler));
}

// ---- enumerations --------------------------------------------------------------

// Thread: any.
HRESULT Services::DoEnum(bool classes, const BSTR name, long flags, const Form& form,
                         IEnumWbemClassObject** ppEnum) noexcept {
  if (!classes && (!name || SysStringLen(name) == 0)) return WBEM_E_INVALID_PARAMETER;
  HRESULT hr = CheckNamespace();
  if (FAILED(hr)) return hr;
  const bool deep = (Effective(flags) & WBEM_FLAG_SHALLOW) == 0;
  const OLECHAR* op = classes ? OLESTR("CreateClassEnum") : OLESTR("CreateInstanceEnum");
  try {
    OleString text = ToOle(name);
    auto snapshot = [this, classes, text, deep](EnumSnapshot* snap) {
      return classes ? repo_->EnumClasses(ns_, text, deep, &snap->classes)
                     : repo_->EnumInstances(ns_, text, deep, &snap->instances);
    };
    if (!form.sink) {
      // Synchronous and semisynchronous: the snapshot is taken now; a
      // semisynchronous enumerator reports a failure from Next.
      auto snap = std::make_shared<EnumSnapshot>();
      hr = snapshot(snap.get());
      if (FAILED(hr) && !form.semisync) return hr;
      com::ComPtr<IEnumWbemClassObject> e;
      HRESULT created =
          ObjectEnum::Create(std::move(snap), (Effective(flags) & WBEM_FLAG_FORWARD_ONLY) != 0,
                             FAILED(hr) ? hr : static_cast<HRESULT>(WBEM_S_NO_ERROR), &e);
      if (FAILED(created)) return created;
      *ppEnum = e.detach();
      return WBEM_S_NO_ERROR;
    }
    com::ComPtr<IWbemServices> keep = com::ComPtr<IWbemServices>::Share(this);
    return Run(form, [this, keep, snapshot, op, text](Delivery& d) {
      // Thread: executor worker.
      EnumSnapshot snap;
      HRESULT hr = snapshot(&snap);
      if (FAILED(hr)) {
        com::ComPtr<IWbemClassObject> status = StatusObject(hr, op, OLESTR(""), text);
        d.Complete(hr, nullptr, status.get());
        return;
      }
      const size_t total = snap.size();
      std::vector<com::ComPtr<IWbemClassObject>> batch;
      std::vector<IWbemClassObject*> raw;
      batch.reserve(std::min(total, kIndicateBatch));
      raw.reserve(std::min(total, kIndicateBatch));
      for (size_t i = 0; i < total;) {
        batch.clear();
        raw.clear();
        for (size_t n = 0; n < kIndicateBatch && i < total; ++n, ++i) {
          batch.push_back(ObjectEnum::MakeObject(snap, i));
          raw.push_back(batch.back().get());
        }
        if (!d.Indicate(static_cast<long>(raw.size()), raw.data())) return;
      }
      d.Complete(WBEM_S_NO_ERROR, nullptr, nullptr);
    }, op);
  } catch (const std::bad_alloc&) {
    return WBEM_E_OUT_OF_MEMORY;
  } catch (...) {
    return WBEM_E_FAILED;
  }
}

// Thread: any.
HRESULT STDMETHODCALLTYPE Services::CreateClassEnum(const BSTR strSuperclass, long lFlags,
                                                    IWbemContext* /*pCtx*/,
                                                    IEnumWbemClassObject** ppEnum) noexcept {
  if (!ppEnum) return WBEM_E_INVALID_PARAMETER;
  *ppEnum = nullptr;
  if (!FlagsValid(lFlags, kClassEnumFlags)) return WBEM_E_INVALID_PARAMETER;
  Form form;
  form.semisync = (lFlags & WBEM_FLAG_RETURN_IMMEDIATELY) != 0;
  return DoEnum(true, strSuperclass, lFlags, form, ppEnum);
}

// Thread: any.
HRESULT STDMETHODCALLTYPE Services::CreateClassEnumAsync(const BSTR strSuperclass, long lFlags,
                                                         IWbemContext* /*pCtx*/,
                                                         IWbemObjectSink* pResponseHandler) noexcept {
  if (!pResponseHandler || !FlagsValid(lFlags, kClassEnumAsyncFlags)) {
    return WBEM_E_INVALID_PARAMETER;
  }
  return DoEnum(true, strSuperclass, lFlags, Form::Async(pResponseHandler), nullptr);
}

// Thread: any.
HRESULT STDMETHODCALLTYPE Services::CreateInstanceEnum(const BSTR strFilter, long lFlags,
                                                       IWbemContext* /*pCtx*/,
                                                       IEnumWbemClassObject** ppEnum) noexcept {
  if (!ppEnum) return WBEM_E_INVALID_PARAMETER;
  *ppEnum = nullptr;
  if (!FlagsValid(lFlags, kInstanceEnumFlags)) return WBEM_E_INVALID_PARAMETER;
  Form form;
  form.semisync = (lFlags & WBEM_FLAG_RETURN_IMMEDIATELY) != 0;
  return DoEnum(false, strFilter, lFlags, form, ppEnum);
}

// Thread: any.
HRESULT STDMETHODCALLTYPE Services::CreateInstanceEnumAsync(
    const BSTR strFilter, long lFlags, IWbemContext* /*pCtx*/,
    IWbemObjectSink* pResponseHandler) noexcept {
  if (!pResponseHandler || !FlagsValid(lFlags, kInstanceEnumAsyncFlags)) {
    return WBEM_E_INVALID_PARAMETER;
  }
  return DoEnum(false, strFilter, lFlags, Form::Async(pResponseHandler), nullptr);
}

// ---- cancellation and the unsupported rest ---------------------------------------

// Thread: any.
HRESULT STDMETHODCALLTYPE Services::CancelAsyncCall(IWbemObjectSink* pSink) noexcept {
  if (!pSink) return WBEM_E_INVALID_PARAMETER;
  return calls_->CancelAll(pSink);
}

// Thread: any.
HRESULT STDMETHODCALLTYPE Services::OpenNamespace(const BSTR /*strNamespace*/, long /*lFlags*/,
                                                  IWbemContext* /*pCtx*/,
                                                  IWbemServices** ppWorkingNamespace,
                                                  IWbemCallResult** ppResult) noexcept {
  if (ppWorkingNamespace) *ppWorkingNamespace = nullptr;
  if (ppResult) *ppResult = nullptr;
  return WBEM_E_NOT_SUPPORTED;
}

// Thread: any.
HRESULT STDMETHODCALLTYPE Services::QueryObjectSink(long /*lFlags*/,
                                                    IWbemObjectSink** ppResponseHandler) noexcept {
  if (ppResponseHandler) *ppResponseHandler = nullptr;
  return WBEM_E_NOT_SUPPORTED;
}

// Thread: any.
HRESULT STDMETHODCALLTYPE Services::ExecQuery(const BSTR, const BSTR, long, IWbemContext*,
                                              IEnumWbemClassObject** ppEnum) noexcept {
  if (ppEnum) *ppEnum = nullptr;
  return WBEM_E_NOT_SUPPORTED;
}

// Thread: any.
HRESULT STDMETHODCALLTYPE Services::ExecQueryAsync(const BSTR, const BSTR, long, IWbemContext*,
                                                   IWbemObjectSink*) noexcept {
  return WBEM_E_NOT_SUPPORTED;
}

// Thread: any.
HRESULT STDMETHODCALLTYPE Services::ExecNotificationQuery(const BSTR, const BSTR, long,
                                                          IWbemContext*,
                                                          IEnumWbemClassObject** ppEnum) noexcept {
  if (ppEnum) *ppEnum = nullptr;
  return WBEM_E_NOT_SUPPORTED;
}

// Thread: any.
HRESULT STDMETHODCALLTYPE Services::ExecNotificationQueryAsync(const BSTR, const BSTR, long,
                                                               IWbemContext*,
                                                               IWbemObjectSink*) noexcept {
  return WBEM_E_NOT_SUPPORTED;
}

// Thread: any.
HRESULT STDMETHODCALLTYPE Services::ExecMethod(const BSTR, const BSTR, long, IWbemContext*,
                                               IWbemClassObject*, IWbemClassObject** ppOutParams,
                                               IWbemCallResult** ppCallResult) noexcept {
  if (ppOutParams) *ppOutParams = nullptr;
  if (ppCallResult) *ppCallResult = nullptr;
  return WBEM_E_NOT_SUPPORTED;
}

// Thread: any.
HRESULT STDMETHODCALLTYPE Services::ExecMethodAsync(const BSTR, const BSTR, long, IWbemContext*,
                                                    IWbemClassObject*,
                                                    IWbemObjectSink*) noexcept {
  return WBEM_E_NOT_SUPPORTED;
}

}  // namespace wmiput::embedded
