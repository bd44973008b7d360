#include "com/unknown.h"
#include "embedded/context.h"

#include <atomic>
#include <mutex>
#include <new>
#include <utility>
#include <vector>

#include "embedded/counters.h"
#include "embedded/embedded.h"
#include "embedded/names.h"
#include "embedded/value_rules.h"

namespace wmiput::embedded {

namespace {

// Thread: any.
HRESULT MapException() noexcept {
  try {
    throw;
  } catch (const std::bad_alloc&) {
    return WBEM_E_OUT_OF_MEMORY;
  } catch (...) {
    return WBEM_E_FAILED;
  }
}

// Thread: any.
bool IsContextElementVt(VARTYPE vt) {
  switch (vt) {
    case VT_I1: case VT_UI1: case VT_I2: case VT_UI2: case VT_I4: case VT_UI4:
    case VT_R4: case VT_R8: case VT_BOOL: case VT_BSTR: case VT_UNKNOWN:
      return true;
    default:
      return false;
  }
}

// Every VT_UNKNOWN in v (scalar or array) is an IWbemClassObject.
// Thread: any.
bool HoldsOnlyClassObjects(const VARIANT& v) {
  auto isObject = [](IUnknown* unk) {
    if (!unk) return true;
    com::ComPtr<IWbemClassObject> obj;
    return SUCCEEDED(com::ComPtr<IUnknown>::Share(unk).As(&obj)) && obj;
  };
  if (v.vt == VT_UNKNOWN) return isObject(v.punkVal);
  if (v.vt != (VT_ARRAY | VT_UNKNOWN)) return true;
  LONG lo = 0, hi = -1;
  if (FAILED(SafeArrayGetLBound(v.parray, 1, &lo)) || FAILED(SafeArrayGetUBound(v.parray, 1, &hi)))
    return false;
  for (LONG i = lo; i <= hi; ++i) {
    IUnknown* raw = nullptr;
    if (FAILED(SafeArrayGetElement(v.parray, &i, &raw))) return false;
    com::ComPtr<IUnknown> unk = com::ComPtr<IUnknown>::Adopt(raw);
    if (!isObject(unk.get())) return false;
  }
  return true;
}

class Context final : public com::UnknownImpl<Context, IWbemContext, IID_IWbemContext> {
  friend class com::UnknownImpl<Context, IWbemContext, IID_IWbemContext>;  // deletes us on the last Release
 public:
  Context() { live::contexts.fetch_add(1, std::memory_order_relaxed); }
  ~Context() { live::contexts.fetch_sub(1, std::memory_order_relaxed); }
  Context(const Context&) = delete;
  Context& operator=(const Context&) = delete;


  // Thread: any.
  HRESULT STDMETHODCALLTYPE Clone(IWbemContext** ppNewCopy) noexcept override {
    try {
      if (!ppNewCopy) return WBEM_E_INVALID_PARAMETER;
      com::ComPtr<Context> copy = com::ComPtr<Context>::Adopt(new Context());
      {
        std::lock_guard<std::mutex> lock(mutex_);
        for (const auto& [name, value] : values_) {
          com::Variant v;
          HRESULT hr = CopyValueOut(*value.get(), &v);
          if (FAILED(hr)) return hr;
          copy->values_.emplace_back(name, std::move(v));
        }
      }
      *ppNewCopy = copy.detach();
      return S_OK;
    } catch (...) {
      return MapException();
    }
  }

  // Thread: any.
  HRESULT STDMETHODCALLTYPE GetNames(long lFlags, SAFEARRAY** pNames) noexcept override {
    try {
      if (lFlags != 0 || !pNames) return WBEM_E_INVALID_PARAMETER;
      std::lock_guard<std::mutex> lock(mutex_);
      com::SafeArray sa = com::SafeArray::Create(VT_BSTR, static_cast<ULONG>(values_.size()));
      if (!sa) return WBEM_E_OUT_OF_MEMORY;
      for (size_t i = 0; i < values_.size(); ++i) {
        com::Bstr b(values_[i].first);
        HRESULT hr = sa.Put(static_cast<LONG>(i), b.get());
        if (FAILED(hr)) return hr;
      }
      *pNames = sa.detach();
      return S_OK;
    } catch (...) {
      return MapException();
    }
  }

  // Thread: any.
  HRESULT STDMETHODCALLTYPE BeginEnumeration(long lFlags) noexcept override {
    try {
      if (lFlags != 0) return WBEM_E_INVALID_PARAMETER;
      std::lock_guard<std::mutex> lock(mutex_);
      enumNames_.clear();
      for (const auto& e : values_) enumNames_.push_back(e.first);
      enumPos_ = 0;
      enumActive_ = true;
      return S_OK;
    } catch (...) {
      return MapException();
    }
  }

  // Thread: any.
  HRESULT STDMETHODCALLTYPE Next(long lFlags, BSTR* pstrName, VARIANT* pValue) noexcept override {
    try {
      if (lFlags != 0) return WBEM_E_INVALID_PARAMETER;
      std::lock_guard<std::mutex> lock(mutex_);
      if (!enumActive_) return WBEM_E_UNEXPECTED;
      while (enumPos_ < enumNames_.size()) {
        const OleString& name = enumNames_[enumPos_++];
        const com::Variant* v = Find(name);
        if (!v) continue;  // deleted since BeginEnumeration
        com::Variant copy;
        if (pValue) {
          HRESULT hr = CopyValueOut(*v->get(), &copy);
          if (FAILED(hr)) return hr;
        }
        if (pstrName) *pstrName = com::Bstr(name).detach();
        if (pValue) *pValue = copy.detach();
        return S_OK;
      }
      return WBEM_S_NO_MORE_DATA;
    } catch (...) {
      return MapException();
    }
  }

  // Thread: any.
  HRESULT STDMETHODCALLTYPE EndEnumeration() noexcept override {
    std::lock_guard<std::mutex> lock(mutex_);
    enumActive_ = false;
    enumNames_.clear();
    enumPos_ = 0;
    return S_OK;
  }

  // Thread: any.
  HRESULT STDMETHODCALLTYPE SetValue(LPCWSTR wszName, long lFlags, VARIANT* pValue) noexcept override {
    try {
      if (!wszName || !*wszName || lFlags != 0 || !pValue) return WBEM_E_INVALID_PARAMETER;
      if (!IsValidContextValue(*pValue) || !HoldsOnlyClassObjects(*pValue))
        return WBEM_E_INVALID_PARAMETER;
      com::Variant copy;
      HRESULT hr = CopyValueOut(*pValue, &copy);  // embedded objects are copied
      if (FAILED(hr)) return hr;
      OleStringView name(wszName);
      std::lock_guard<std::mutex> lock(mutex_);
      for (auto& e : values_) {
        if (EqualsNoCase(e.first, name)) {
          e.second = std::move(copy);
          return S_OK;
        }
      }
      values_.emplace_back(OleString(name), std::move(copy));
      return S_OK;
    } catch (...) {
      return MapException();
    }
  }

  // Thread: any.
  HRESULT STDMETHODCALLTYPE GetValue(LPCWSTR wszName, long lFlags, VARIANT* pValue) noexcept override {
    try {
      if (!wszName || lFlags != 0 || !pValue) return WBEM_E_INVALID_PARAMETER;
      std::lock_guard<std::mutex> lock(mutex_);
      const com::Variant* v = Find(wszName);
      if (!v) return WBEM_E_NOT_FOUND;
      com::Variant copy;
      HRESULT hr = CopyValueOut(*v->get(), &copy);
      if (FAILED(hr)) return hr;
      *pValue = copy.detach();
      return S_OK;
    } catch (...) {
      return MapException();
    }
  }

  // Thread: any.
  HRESULT STDMETHODCALLTYPE DeleteValue(LPCWSTR wszName, long lFlags) noexcept override {
    try {
      if (!wszName || lFlags != 0) return WBEM_E_INVALID_PARAMETER;
      OleStringView name(wszName);
      std::lock_guard<std::mutex> lock(mutex_);
      for (size_t i = 0; i < values_.size(); ++i) {
        if (EqualsNoCase(values_[i].first, name)) {
          values_.erase(values_.begin() + static_cast<long>(i));
          return S_OK;
        }
      }
      return WBEM_E_NOT_FOUND;
    } catch (...) {
      return MapException();
    }
  }

  // Thread: any.
  HRESULT STDMETHODCALLTYPE DeleteAll() noexcept override {
    std::vector<std::pair<OleString, com::Variant>> old;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      old.swap(values_);
    }
    return S_OK;
  }

 private:
  const com::Variant* Find(OleStringView name) const {
    for (const auto& e : values_)
      if (EqualsNoCase(e.first, name)) return &e.second;
    return nullptr;
  }

  mutable std::mutex mutex_;
  std::vector<std::pair<OleString, com::Variant>> values_;
  bool enumActive_ = false;
  size_t enumPos_ = 0;
  std::vector<OleString> enumNames_;
};

}  // namespace

// Thread: any.
bool IsValidContextValue(const VARIANT& v) noexcept {
  if (v.vt == VT_NULL) return true;
  if (v.vt & VT_BYREF) return false;
  if (v.vt & VT_ARRAY) {
    if (!v.parray || SafeArrayGetDim(v.parray) != 1) return false;
    return IsContextElementVt(static_cast<VARTYPE>(v.vt & ~VT_ARRAY));
  }
  return IsContextElementVt(v.vt);
}

// Thread: any.
HRESULT GetContextValue(IWbemContext* ctx, com::OleStringView name, com::Variant* out) noexcept {
  try {
    if (!ctx || !out) return WBEM_E_INVALID_PARAMETER;
    OleString n(name);
    return ctx->GetValue(n.c_str(), 0, out->put());
  } catch (...) {
    return MapException();
  }
}

// Thread: any.
HRESULT CreateContext(IWbemContext** out) noexcept {
  try {
    if (!out) return WBEM_E_INVALID_PARAMETER;
    *out = new Context();
    return S_OK;
  } catch (...) {
    return MapException();
  }
}

}  // namespace wmiput::embedded
