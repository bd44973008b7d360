#include "client/object_sink.h"

#include <new>

#include "client/coerce.h"
#include "client/counters.h"
#include "client/object_builder.h"

namespace wmiput::client {

using com::ComPtr;
using com::Variant;

namespace {

OleString StringProperty(IWbemClassObject* obj, const OLECHAR* name) {
  Variant v;
  if (FAILED(obj->Get(name, 0, v.put(), nullptr, nullptr)) || v.vt() != VT_BSTR) return {};
  return com::ToOleString(v.get()->bstrVal);
}

}  // namespace

// Thread: any.
void ReadExtendedStatus(IWbemClassObject* obj, ExtendedStatus* out) noexcept {
  if (!obj) return;
  try {
    out->present = true;
    out->description = StringProperty(obj, OLESTR("Description"));
    out->operation = StringProperty(obj, OLESTR("Operation"));
    out->parameterInfo = StringProperty(obj, OLESTR("ParameterInfo"));
    out->providerName = StringProperty(obj, OLESTR("ProviderName"));
    Variant code;
    if (SUCCEEDED(obj->Get(OLESTR("StatusCode"), 0, code.put(), nullptr, nullptr))) {
      if (code.vt() == VT_I4) out->statusCode = static_cast<uint32_t>(code.get()->lVal);
      else if (code.vt() == VT_UI4) out->statusCode = code.get()->ulVal;
    }
  } catch (...) {
    // Keep what was copied; the HRESULT is what matters.
  }
}

// Thread: COM worker.
ComPtr<ObjectSink> ObjectSink::Create(uint32_t id, Mode mode, SinkOwner* owner) {
  return ComPtr<ObjectSink>::Adopt(new ObjectSink(id, mode, owner));
}

ObjectSink::ObjectSink(uint32_t id, Mode mode, SinkOwner* owner) noexcept
    : id_(id), mode_(mode), owner_(owner) {
  live::sinks.fetch_add(1, std::memory_order_relaxed);
}

ObjectSink::~ObjectSink() { live::sinks.fetch_sub(1, std::memory_order_relaxed); }

// Thread: any.
HRESULT STDMETHODCALLTYPE ObjectSink::QueryInterface(REFIID riid, void** ppv) noexcept {
  if (!ppv) return E_POINTER;
  if (IsEqualIID(riid, IID_IUnknown) || IsEqualIID(riid, IID_IWbemObjectSink)) {
    *ppv = static_cast<IWbemObjectSink*>(this);
    AddRef();
    return S_OK;
  }
  *ppv = nullptr;
  return E_NOINTERFACE;
}

// Thread: any.
ULONG STDMETHODCALLTYPE ObjectSink::AddRef() noexcept {
  return refs_.fetch_add(1, std::memory_order_relaxed) + 1;
}

// Thread: any.
ULONG STDMETHODCALLTYPE ObjectSink::Release() noexcept {
  ULONG n = refs_.fetch_sub(1, std::memory_order_acq_rel) - 1;
  if (n == 0) delete this;
  return n;
}

// Thread: any (executor or RPC thread).
HRESULT STDMETHODCALLTYPE ObjectSink::Indicate(long lObjectCount,
                                               IWbemClassObject** apObjArray) noexcept {
  if (mode_ == Mode::kPut || Completed()) return WBEM_S_NO_ERROR;
  if (lObjectCount < 0 || (lObjectCount > 0 && !apObjArray)) return WBEM_S_NO_ERROR;
  ComPtr<IWbemObjectSink> self = ComPtr<IWbemObjectSink>::Share(this);
  try {
    std::vector<ObjectRecord> records;
    records.reserve(static_cast<size_t>(lObjectCount));
    HRESULT failure = S_OK;
    for (long i = 0; i < lObjectCount; ++i) {
      ObjectRecord r;
      HRESULT hr = ToObjectRecord(apObjArray[i], &r);
      if (FAILED(hr)) {
        failure = hr;
        continue;
      }
      records.push_back(std::move(r));
    }
    std::lock_guard<std::mutex> lock(mutex_);
    if (FAILED(failure) && SUCCEEDED(conversionError_)) conversionError_ = failure;
    if (!owner_) return WBEM_S_NO_ERROR;
    if (mode_ == Mode::kSingle) {
      for (auto& r : records) pending_.push_back(std::move(r));
    } else if (!records.empty()) {
      Completion c;
      c.id = id_;
      c.type = Completion::Type::kObjects;
      c.objects = std::move(records);
      owner_->OnProgress(std::move(c));
    }
  } catch (...) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (SUCCEEDED(conversionError_)) conversionError_ = WBEM_E_OUT_OF_MEMORY;
  }
  return WBEM_S_NO_ERROR;
}

// Thread: any (executor or RPC thread).
HRESULT STDMETHODCALLTYPE ObjectSink::SetStatus(long lFlags, HRESULT hResult, BSTR strParam,
                                                IWbemClassObject* pObjParam) noexcept {
  ComPtr<IWbemObjectSink> self = ComPtr<IWbemObjectSink>::Share(this);
  if (lFlags == WBEM_STATUS_PROGRESS) {
    if (Completed()) return WBEM_S_NO_ERROR;
    try {
      Completion c;
      c.id = id_;
      c.type = Completion::Type::kProgress;
      uint32_t packed = static_cast<uint32_t>(hResult);
      c.progressCurrent = static_cast<int32_t>(packed & 0xFFFF);
      c.progressTotal = static_cast<int32_t>(packed >> 16);
      c.progressMessage = com::ToOleString(strParam);
      std::lock_guard<std::mutex> lock(mutex_);
      if (owner_ && !Completed()) owner_->OnProgress(std::move(c));
    } catch (...) {
    }
    return WBEM_S_NO_ERROR;
  }
  if (lFlags != WBEM_STATUS_COMPLETE) return WBEM_S_NO_ERROR;
  if (latched_.exchange(true, std::memory_order_acq_rel)) return WBEM_S_NO_ERROR;
  Completion c;
  c.id = id_;
  c.type = Completion::Type::kDone;
  c.hr = hResult;
  try {
    c.strParam = com::ToOleString(strParam);
    ReadExtendedStatus(pObjParam, &c.extended);
  } catch (...) {
    c.strParam.clear();
  }
  DeliverFinal(std::move(c));
  return WBEM_S_NO_ERROR;
}

// Thread: any. Caller holds the latch.
void ObjectSink::DeliverFinal(Completion&& c) noexcept {
  std::lock_guard<std::mutex> lock(mutex_);
  if (mode_ == Mode::kSingle) c.objects = std::move(pending_);
  if (SUCCEEDED(c.hr) && FAILED(conversionError_)) {
    c.hr = conversionError_;
    try {
      c.message = ToOle("a result object could not be converted");
    } catch (...) {
    }
  }
  if (SinkOwner* owner = owner_) {
    owner_ = nullptr;
    owner->OnFinal(std::move(c));
  }
}

// Thread: any.
bool ObjectSink::CompleteLocally(HRESULT hr, const OleString& message) noexcept {
  if (latched_.exchange(true, std::memory_order_acq_rel)) return false;
  Completion c;
  c.id = id_;
  c.type = Completion::Type::kDone;
  c.hr = hr;
  try {
    c.message = message;
  } catch (...) {
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    pending_.clear();
  }
  DeliverFinal(std::move(c));
  return true;
}

// Thread: any.
bool ObjectSink::Abandon() noexcept {
  bool won = !latched_.exchange(true, std::memory_order_acq_rel);
  std::lock_guard<std::mutex> lock(mutex_);
  owner_ = nullptr;
  pending_.clear();
  return won;
}

}  // namespace wmiput::client
