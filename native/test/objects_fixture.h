// Helpers for the object-model tests (class_object, qualifier_set,
// value_rules, context): hand-built classes, value shortcuts and live-object
// accounting. Tests build ClassData directly; a non-empty Location marks an
// object as stored (as the repository would hand it out).
#pragma once

#include <string>
#include <vector>

#include "check.h"
#include "com/com.h"
#include "com/raii.h"
#include "embedded/class_object.h"
#include "embedded/counters.h"
#include "embedded/model.h"

namespace wmiput::test::objects {

using com::ComPtr;
using com::OleString;
using com::OleStringView;
using com::Variant;
using embedded::ClassData;
using embedded::Property;
using embedded::Qualifier;

inline embedded::Location TestLocation() {
  embedded::Location l;
  l.server = OLESTR("HOST");
  l.nameSpace = OLESTR("root\\test");
  return l;
}

// Live object counts at the start of a test; Check() at the end.
struct Live {
  int64_t objects = embedded::live::classObjects.load();
  int64_t contexts = embedded::live::contexts.load();
  void Check(const char* file, int line) const {
    if (embedded::live::classObjects.load() != objects)
      Fail(file, line, "class objects leaked: " + std::to_string(embedded::live::classObjects.load() - objects));
    if (embedded::live::contexts.load() != contexts)
      Fail(file, line, "contexts leaked: " + std::to_string(embedded::live::contexts.load() - contexts));
  }
};
#define CHECK_LIVE(live) (live).Check(__FILE__, __LINE__)

inline Qualifier MakeQualifier(OleStringView name, Variant value, long flavor = 0,
                               bool propagated = false) {
  Qualifier q;
  q.name = OleString(name);
  q.value = std::move(value);
  q.flavor = flavor;
  q.propagated = propagated;
  return q;
}

inline Property MakeProperty(OleStringView name, CIMTYPE type, OleStringView origin,
                             Variant value = Variant::Null()) {
  Property p;
  p.name = OleString(name);
  p.type = type;
  p.value = std::move(value);
  p.origin = OleString(origin);
  return p;
}

// Test_Base: [Description("base"): ToInstance ToSubclass] class with
//   [Key] string Name; uint32 Count = 5; [Description("size")] uint64 Size;
// stored at \\HOST\root\test.
inline ClassData BaseClass() {
  ClassData c;
  c.name = OLESTR("Test_Base");
  c.qualifiers.push_back(MakeQualifier(OLESTR("Description"), Variant::FromBstr(OLESTR("base")),
                                       WBEM_FLAVOR_FLAG_PROPAGATE_TO_INSTANCE |
                                           WBEM_FLAVOR_FLAG_PROPAGATE_TO_DERIVED_CLASS));
  c.qualifiers.push_back(MakeQualifier(OLESTR("Locale"), Variant::FromI4(1033), 0));
  Property name = MakeProperty(OLESTR("Name"), CIM_STRING, OLESTR("Test_Base"));
  name.qualifiers.push_back(MakeQualifier(OLESTR("Key"), Variant::FromBool(true), 0));
  c.properties.push_back(std::move(name));
  c.properties.push_back(
      MakeProperty(OLESTR("Count"), CIM_UINT32, OLESTR("Test_Base"), Variant::FromI4(5)));
  Property size = MakeProperty(OLESTR("Size"), CIM_UINT64, OLESTR("Test_Base"));
  size.qualifiers.push_back(MakeQualifier(OLESTR("Description"), Variant::FromBstr(OLESTR("size")),
                                          WBEM_FLAVOR_FLAG_PROPAGATE_TO_DERIVED_CLASS));
  c.properties.push_back(std::move(size));
  c.location = TestLocation();
  return c;
}

inline ComPtr<IWbemClassObject> StoredBase() { return embedded::NewClassObject(BaseClass()); }

inline OleString Str(const Variant& v) {
  if (v.vt() != VT_BSTR) return OLESTR("<not a BSTR>");
  BSTR b = v.get()->bstrVal;
  return b ? OleString(b, SysStringLen(b)) : OleString();
}

inline OleString Str(BSTR b) { return b ? OleString(b, SysStringLen(b)) : OleString(); }

// Get(name) value; fails the test when Get fails.
inline Variant GetValue(IWbemClassObject* obj, const OLECHAR* name, CIMTYPE* type = nullptr,
                        long* flavor = nullptr) {
  Variant v;
  HRESULT hr = obj->Get(name, 0, v.put(), type, flavor);
  if (FAILED(hr)) Fail(__FILE__, __LINE__, "Get failed: " + Show(static_cast<uint32_t>(hr)));
  return v;
}

// Scalars of a value (by value, so that CHECK_EQ never binds to a dead temporary).
inline long I4(const Variant& v) { return v.get()->lVal; }
inline VARTYPE Vt(const Variant& v) { return v.vt(); }

inline HRESULT PutValue(IWbemClassObject* obj, const OLECHAR* name, Variant v, CIMTYPE type = 0) {
  return obj->Put(name, 0, v.get(), type);
}

// The BSTRs of a SAFEARRAY of names (takes the array).
inline std::vector<OleString> Names(SAFEARRAY* sa) {
  com::SafeArray owned = com::SafeArray::Adopt(sa);
  std::vector<OleString> r;
  for (ULONG i = 0; i < owned.size(); ++i) {
    BSTR b = nullptr;
    if (FAILED(owned.Get(owned.lbound() + static_cast<LONG>(i), &b))) Fail(__FILE__, __LINE__, "Get");
    com::Bstr held = com::Bstr::Adopt(b);
    r.push_back(held.str());
  }
  return r;
}

inline std::vector<OleString> Strings(std::initializer_list<const OLECHAR*> items) {
  std::vector<OleString> r;
  for (const OLECHAR* s : items) r.emplace_back(s);
  return r;
}

inline std::string Join(const std::vector<OleString>& v) {
  std::string s;
  for (const OleString& x : v) {
    if (!s.empty()) s += ",";
    for (OLECHAR c : x) s += c < 128 ? static_cast<char>(c) : '?';
  }
  return s;
}

// A VT_ARRAY of `vt` from raw element pointers (SafeArray::Put semantics).
template <class T>
Variant ArrayOf(VARTYPE vt, std::initializer_list<T> items) {
  com::SafeArray sa = com::SafeArray::Create(vt, static_cast<ULONG>(items.size()));
  LONG i = 0;
  for (const T& x : items) {
    if constexpr (std::is_pointer_v<T>) sa.Put(i++, x);
    else sa.Put(i++, &x);
  }
  return Variant::FromArray(std::move(sa));
}

inline Variant BstrArray(std::initializer_list<const OLECHAR*> items) {
  com::SafeArray sa = com::SafeArray::Create(VT_BSTR, static_cast<ULONG>(items.size()));
  LONG i = 0;
  for (const OLECHAR* s : items) {
    com::Bstr b(s);
    sa.Put(i++, b.get());
  }
  return Variant::FromArray(std::move(sa));
}

inline ULONG ArraySize(const Variant& v) {
  if (!(v.vt() & VT_ARRAY)) return 0;
  LONG lo = 0, hi = -1;
  SafeArrayGetLBound(v.get()->parray, 1, &lo);
  SafeArrayGetUBound(v.get()->parray, 1, &hi);
  return static_cast<ULONG>(hi - lo + 1);
}

template <class T>
T ArrayAt(const Variant& v, LONG i) {
  T x{};
  SafeArrayGetElement(v.get()->parray, &i, &x);
  return x;
}

inline OleString BstrAt(const Variant& v, LONG i) {
  BSTR b = nullptr;
  SafeArrayGetElement(v.get()->parray, &i, &b);
  com::Bstr held = com::Bstr::Adopt(b);
  return held.str();
}

}  // namespace wmiput::test::objects
