// Helpers for the repository tests: building ClassData / InstanceData through
// model.h, a minimal IWbemContext, and short names for strings.
#pragma once

#include <atomic>
#include <cstdint>
#include <initializer_list>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "check.h"
#include "com/com.h"
#include "com/raii.h"
#include "embedded/model.h"
#include "embedded/repository.h"

namespace wmiput::test::repo {

using com::OleString;
using com::Variant;
using embedded::ClassData;
using embedded::ClassPtr;
using embedded::InstanceData;
using embedded::OpResult;
using embedded::Property;
using embedded::Qualifier;
using embedded::Repository;

// ASCII text as an OleString ("root\\default").
inline OleString W(const char* s) {
  OleString o;
  for (; *s; ++s) o.push_back(static_cast<OLECHAR>(static_cast<unsigned char>(*s)));
  return o;
}

inline std::string A(const OleString& s) {
  std::string o;
  for (OLECHAR c : s) o.push_back(c < 128 ? static_cast<char>(c) : '?');
  return o;
}

inline const OleString& Ns() {
  static const OleString ns = W("root\\default");
  return ns;
}

inline Variant Str(const char* s) { return Variant::FromBstr(W(s)); }
inline Variant I4(int32_t v) { return Variant::FromI4(v); }
inline Variant Bool(bool b) { return Variant::FromBool(b); }

inline Qualifier Qual(const char* name, Variant v, long flavor = 0) {
  Qualifier q;
  q.name = W(name);
  q.value = std::move(v);
  q.flavor = flavor;
  return q;
}

inline Qualifier KeyQ() {
  return Qual("Key", Bool(true),
              WBEM_FLAVOR_FLAG_PROPAGATE_TO_INSTANCE | WBEM_FLAVOR_FLAG_PROPAGATE_TO_DERIVED_CLASS);
}

inline Property Prop(const char* name, CIMTYPE type, std::vector<Qualifier> quals = {},
                     Variant def = Variant::Null()) {
  Property p;
  p.name = W(name);
  p.type = type;
  p.value = std::move(def);
  p.qualifiers = std::move(quals);
  return p;
}

inline Property KeyProp(const char* name, CIMTYPE type) { return Prop(name, type, {KeyQ()}); }

// A new base class (what GetObject(NULL) + Put gives).
inline ClassData Base(const char* name, std::vector<Property> props,
                      std::vector<Qualifier> quals = {}) {
  ClassData c;
  c.name = W(name);
  c.properties = std::move(props);
  for (Property& p : c.properties) p.origin = c.name;
  c.qualifiers = std::move(quals);
  return c;
}

inline ClassPtr Get(Repository& r, const char* cls, const OleString& ns = Ns()) {
  ClassPtr p;
  HRESULT hr = r.GetClass(ns, W(cls), &p);
  if (FAILED(hr)) Fail(__FILE__, __LINE__, std::string("GetClass failed for ") + cls);
  return p;
}

// SpawnDerivedClass of the stored `parent`, named `name`, plus own members.
inline ClassData Derived(Repository& r, const char* parent, const char* name,
                         std::vector<Property> props = {}, std::vector<Qualifier> quals = {},
                         const OleString& ns = Ns()) {
  ClassData d = embedded::DeriveFrom(*Get(r, parent, ns));
  d.name = W(name);
  for (Property& p : props) {
    p.origin = d.name;
    int i = d.FindProperty(p.name);
    if (i >= 0) {
      d.properties[i].value = p.value;
      d.properties[i].propagated = false;
      for (Qualifier& q : p.qualifiers) d.properties[i].qualifiers.push_back(q);
    } else {
      d.properties.push_back(std::move(p));
    }
  }
  for (Qualifier& q : quals) d.qualifiers.push_back(std::move(q));
  return d;
}

// SpawnInstance of the stored class plus Put of each value.
inline InstanceData Inst(Repository& r, const char* cls,
                         std::vector<std::pair<const char*, Variant>> values,
                         const OleString& ns = Ns()) {
  InstanceData d = embedded::NewInstance(Get(r, cls, ns));
  for (auto& kv : values) {
    int i = d.cls->FindProperty(W(kv.first));
    if (i < 0) Fail(__FILE__, __LINE__, std::string("no property ") + kv.first);
    d.values[i] = std::move(kv.second);
    d.modified[i] = true;
  }
  return d;
}

inline HRESULT PutC(Repository& r, const ClassData& c, long flags = 0) {
  return r.PutClass(Ns(), c, flags, nullptr).hr;
}

inline HRESULT PutI(Repository& r, const InstanceData& d, long flags = 0,
                    IWbemContext* ctx = nullptr) {
  return r.PutInstance(Ns(), d, flags, ctx).hr;
}

// The value of property `prop` of the instance at `path` (VT_EMPTY when the
// instance is missing).
inline Variant ValueAt(Repository& r, const char* path, const char* prop,
                       const OleString& ns = Ns()) {
  InstanceData d;
  if (FAILED(r.GetInstance(ns, W(path), &d))) return Variant();
  int i = d.cls->FindProperty(W(prop));
  return i < 0 ? Variant() : d.values[i];
}

// The VT_I4 value of property `prop` of the instance at `path` (INT32_MIN
// when missing or not VT_I4).
inline int32_t LongAt(Repository& r, const char* path, const char* prop,
                      const OleString& ns = Ns()) {
  Variant v = ValueAt(r, path, prop, ns);
  return v.vt() == VT_I4 ? v.get()->lVal : INT32_MIN;
}

inline OleString StrOf(const Variant& v) {
  return v.vt() == VT_BSTR ? com::ToOleString(v.get()->bstrVal) : OleString();
}

// A minimal IWbemContext: a name -> VARIANT map (GetValue/SetValue only).
class TestContext : public IWbemContext {
 public:
  HRESULT STDMETHODCALLTYPE QueryInterface(REFIID riid, void** ppv) noexcept override {
    if (!ppv) return E_POINTER;
    if (riid == IID_IUnknown || riid == IID_IWbemContext) {
      *ppv = static_cast<IWbemContext*>(this);
      AddRef();
      return S_OK;
    }
    *ppv = nullptr;
    return E_NOINTERFACE;
  }
  ULONG STDMETHODCALLTYPE AddRef() noexcept override { return ++refs_; }
  ULONG STDMETHODCALLTYPE Release() noexcept override { return --refs_; }  // stack-owned
  HRESULT STDMETHODCALLTYPE Clone(IWbemContext**) noexcept override { return E_NOTIMPL; }
  HRESULT STDMETHODCALLTYPE GetNames(long, SAFEARRAY**) noexcept override { return E_NOTIMPL; }
  HRESULT STDMETHODCALLTYPE BeginEnumeration(long) noexcept override { return E_NOTIMPL; }
  HRESULT STDMETHODCALLTYPE Next(long, BSTR*, VARIANT*) noexcept override { return E_NOTIMPL; }
  HRESULT STDMETHODCALLTYPE EndEnumeration() noexcept override { return E_NOTIMPL; }
  HRESULT STDMETHODCALLTYPE SetValue(LPCWSTR name, long, VARIANT* v) noexcept override {
    Variant copy;
    if (FAILED(Variant::Copy(v, &copy))) return WBEM_E_FAILED;
    values_[OleString(name)] = std::move(copy);
    return S_OK;
  }
  HRESULT STDMETHODCALLTYPE GetValue(LPCWSTR name, long, VARIANT* out) noexcept override {
    auto it = values_.find(OleString(name));
    if (it == values_.end()) return WBEM_E_NOT_FOUND;
    VariantInit(out);
    return VariantCopy(out, const_cast<VARIANT*>(it->second.get()));
  }
  HRESULT STDMETHODCALLTYPE DeleteValue(LPCWSTR name, long) noexcept override {
    values_.erase(OleString(name));
    return S_OK;
  }
  HRESULT STDMETHODCALLTYPE DeleteAll() noexcept override {
    values_.clear();
    return S_OK;
  }
  void Set(const char* name, Variant v) { values_[W(name)] = std::move(v); }

 private:
  std::atomic<ULONG> refs_{1};
  std::map<OleString, Variant> values_;
};

inline Variant StringArray(std::initializer_list<const char*> items) {
  com::SafeArray a = com::SafeArray::Create(VT_BSTR, static_cast<ULONG>(items.size()));
  LONG i = 0;
  for (const char* s : items) {
    com::Bstr b(W(s));
    a.Put(i++, b.get());
  }
  return Variant::FromArray(std::move(a));
}

}  // namespace wmiput::test::repo
