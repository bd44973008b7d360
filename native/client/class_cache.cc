#include "client/class_cache.h"

#include <new>

#include "client/counters.h"

namespace wmiput::client {

using com::Bstr;
using com::ComPtr;
using com::Variant;

OleString FoldCase(OleStringView s) {
  OleString r(s);
  for (auto& c : r)
    if (c >= OLECHAR('A') && c <= OLECHAR('Z')) c = static_cast<OLECHAR>(c + 32);
  return r;
}

const PropertyInfo* CachedClass::Find(OleStringView name) const {
  auto it = properties.find(FoldCase(name));
  return it == properties.end() ? nullptr : &it->second;
}

namespace {

bool EqualsNoCase(OleStringView a, const char* b) {
  size_t i = 0;
  for (; i < a.size() && b[i]; ++i) {
    OLECHAR x = a[i], y = static_cast<OLECHAR>(b[i]);
    if (x >= OLECHAR('A') && x <= OLECHAR('Z')) x = static_cast<OLECHAR>(x + 32);
    if (y >= OLECHAR('A') && y <= OLECHAR('Z')) y = static_cast<OLECHAR>(y + 32);
    if (x != y) return false;
  }
  return i == a.size() && !b[i];
}

}  // namespace

// Thread: any.
HRESULT IndexClass(IWbemClassObject* cls, CachedClass* out) noexcept {
  try {
    HRESULT hr = cls->BeginEnumeration(WBEM_FLAG_NONSYSTEM_ONLY);
    if (FAILED(hr)) return hr;
    for (;;) {
      Bstr name;
      CIMTYPE type = CIM_EMPTY;
      hr = cls->Next(0, name.put(), nullptr, &type, nullptr);
      if (hr != WBEM_S_NO_ERROR) break;
      PropertyInfo info;
      info.name = name.str();
      info.type = type;
      out->properties.emplace(FoldCase(info.name), std::move(info));
    }
    cls->EndEnumeration();
    if (FAILED(hr)) return hr;
    // SubType and CIMTYPE qualifiers only matter for datetime and object properties.
    for (auto& [key, info] : out->properties) {
      CIMTYPE elem = info.type & ~CIM_FLAG_ARRAY;
      if (elem != CIM_DATETIME && elem != CIM_OBJECT) continue;
      ComPtr<IWbemQualifierSet> quals;
      if (FAILED(cls->GetPropertyQualifierSet(info.name.c_str(), quals.put())) || !quals) continue;
      Variant v;
      if (elem == CIM_DATETIME) {
        if (SUCCEEDED(quals->Get(OLESTR("SubType"), 0, v.put(), nullptr)) && v.vt() == VT_BSTR)
          info.interval = EqualsNoCase(com::ToOleString(v.get()->bstrVal), "interval");
      } else if (SUCCEEDED(quals->Get(OLESTR("CIMTYPE"), 0, v.put(), nullptr)) &&
                 v.vt() == VT_BSTR) {
        OleString t = com::ToOleString(v.get()->bstrVal);
        if (t.size() > 7 && EqualsNoCase(OleStringView(t).substr(0, 7), "object:"))
          info.objectClass = t.substr(7);
      }
    }
    out->object = ComPtr<IWbemClassObject>::Share(cls);
    return S_OK;
  } catch (const std::bad_alloc&) {
    return WBEM_E_OUT_OF_MEMORY;
  } catch (...) {
    return WBEM_E_FAILED;
  }
}

ClassCache::~ClassCache() { Clear(); }

// Thread: COM worker.
void ClassCache::Remember(OleStringView className,
                          const std::shared_ptr<const CachedClass>& entry) noexcept {
  try {
    lastName_.assign(className.data(), className.size());
    last_ = entry;
  } catch (...) {
    last_.reset();  // only a shortcut lost
  }
}

// Thread: COM worker.
HRESULT ClassCache::Get(IWbemServices* services, OleStringView className,
                        std::shared_ptr<const CachedClass>* out, bool* fetched) noexcept {
  if (fetched) *fetched = false;
  try {
    if (last_ && className == lastName_) {
      *out = last_;
      return S_OK;
    }
    OleString key = FoldCase(className);
    auto it = classes_.find(key);
    if (it != classes_.end()) {
      *out = it->second;
      Remember(className, it->second);
      return S_OK;
    }
    if (className.empty()) return WBEM_E_INVALID_CLASS;
    Bstr path{className};
    ComPtr<IWbemClassObject> cls;
    HRESULT hr = services->GetObject(path.get(), 0, nullptr, cls.put(), nullptr);
    if (FAILED(hr)) return hr;
    if (!cls) return WBEM_E_FAILED;
    auto entry = std::make_shared<CachedClass>();
    hr = IndexClass(cls.get(), entry.get());
    if (FAILED(hr)) return hr;
    classes_.emplace(std::move(key), entry);
    live::cachedClasses.fetch_add(1, std::memory_order_relaxed);
    Remember(className, entry);
    if (fetched) *fetched = true;
    *out = std::move(entry);
    return S_OK;
  } catch (const std::bad_alloc&) {
    return WBEM_E_OUT_OF_MEMORY;
  } catch (...) {
    return WBEM_E_FAILED;
  }
}

// Thread: COM worker.
void ClassCache::Invalidate(OleStringView className) noexcept {
  last_.reset();
  try {
    if (classes_.erase(FoldCase(className)))
      live::cachedClasses.fetch_sub(1, std::memory_order_relaxed);
  } catch (...) {
    Clear();
  }
}

// Thread: COM worker.
void ClassCache::Clear() noexcept {
  last_.reset();
  lastName_.clear();
  live::cachedClasses.fetch_sub(static_cast<int64_t>(classes_.size()), std::memory_order_relaxed);
  classes_.clear();
}

}  // namespace wmiput::client
