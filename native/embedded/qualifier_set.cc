#include "com/unknown.h"
#include "embedded/qualifier_set.h"

#include <atomic>
#include <new>

#include "embedded/class_object_impl.h"
#include "embedded/names.h"
#include "embedded/value_rules.h"

namespace wmiput::embedded {

namespace {

const OLECHAR kCimType[] = OLESTR("CIMTYPE");
const OLECHAR kKey[] = OLESTR("Key");

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

// Qualifiers WMI defines as boolean: their value must be VT_BOOL.
// Thread: any.
bool IsBooleanQualifier(OleStringView name) {
  static const OLECHAR* const kNames[] = {
      OLESTR("Key"),     OLESTR("Singleton"), OLESTR("Abstract"),
      OLESTR("Dynamic"), OLESTR("Indexed"),   OLESTR("Not_Null"),
  };
  for (const OLECHAR* n : kNames)
    if (EqualsNoCase(name, n)) return true;
  return false;
}

// Thread: any.
bool IsAllowedQualifierVt(VARTYPE vt) {
  if (vt & VT_BYREF) return false;
  switch (vt & ~VT_ARRAY) {
    case VT_I4: case VT_R8: case VT_BSTR: case VT_BOOL: return true;
    default: return false;
  }
}

// Thread: any.
bool IsTrue(const VARIANT& v) { return v.vt == VT_BOOL && v.boolVal != VARIANT_FALSE; }

// Thread: any.
OleStringView View(BSTR b) { return b ? OleStringView(b, SysStringLen(b)) : OleStringView(); }

// Thread: any.
bool StartsWithNoCase(OleStringView s, OleStringView prefix) {
  return s.size() >= prefix.size() && EqualsNoCase(s.substr(0, prefix.size()), prefix);
}

// Whether `value` is an acceptable CIMTYPE qualifier for property type `type`.
// Thread: any.
bool CimTypeMatches(CIMTYPE type, OleStringView value) {
  const CIMTYPE elem = type & ~static_cast<CIMTYPE>(CIM_FLAG_ARRAY);
  if (EqualsNoCase(value, CimTypeName(elem))) return true;
  auto classPart = [&](OleStringView prefix) {
    if (!StartsWithNoCase(value, prefix)) return false;
    OleStringView cls = value.substr(prefix.size());
    return IsValidIdentifier(cls) || (IsSystemName(cls) && cls.size() > 2);
  };
  if (elem == CIM_REFERENCE) return classPart(OLESTR("ref:"));
  if (elem == CIM_OBJECT) return classPart(OLESTR("object:"));
  return false;
}

// Thread: any.
Qualifier PropagatedCopy(const Qualifier& q) {
  Qualifier r;
  r.name = q.name;
  r.value = q.value;
  r.flavor = q.flavor;
  r.propagated = true;
  return r;
}

// Instance overlay: the entries of `own` replace (or join) those of `base`.
// Thread: any.
void Overlay(const QualifierList& own, QualifierList* base) {
  for (const Qualifier& q : own) {
    if (Qualifier* e = FindQualifier(*base, q.name)) *e = q;
    else base->push_back(q);
  }
}

// Thread: any.
void AddCimType(const Property& p, bool propagated, QualifierList* out) {
  if (FindQualifier(*out, kCimType)) return;
  Qualifier q;
  q.name = kCimType;
  q.value = com::Variant::FromBstr(CimTypeName(p.type));
  q.flavor = WBEM_FLAVOR_FLAG_PROPAGATE_TO_INSTANCE | WBEM_FLAVOR_FLAG_PROPAGATE_TO_DERIVED_CLASS;
  q.propagated = propagated;
  out->push_back(std::move(q));
}

class QualifierSet final : public com::UnknownImpl<QualifierSet, IWbemQualifierSet, IID_IWbemQualifierSet> {
  friend class com::UnknownImpl<QualifierSet, IWbemQualifierSet, IID_IWbemQualifierSet>;  // deletes us on the last Release
 public:
  QualifierSet(ClassObject* owner, QualifierScope scope, OleString name)
      : ownerRef_(com::ComPtr<IWbemClassObject>::Share(owner)),
        owner_(owner),
        scope_(scope),
        name_(std::move(name)) {}


  // Thread: any (one thread at a time per owner).
  HRESULT STDMETHODCALLTYPE Get(LPCWSTR wszName, long lFlags, VARIANT* pVal,
                                long* plFlavor) noexcept override {
    try {
      if (!wszName || lFlags != 0) return WBEM_E_INVALID_PARAMETER;
      QualifierList list;
      HRESULT hr = EffectiveQualifiers(*owner_, scope_, name_, &list);
      if (FAILED(hr)) return hr;
      const Qualifier* q = FindQualifier(list, wszName);
      if (!q) return WBEM_E_NOT_FOUND;
      if (pVal) {
        com::Variant copy;
        hr = com::Variant::Copy(q->value.get(), &copy);
        if (FAILED(hr)) return hr;
        *pVal = copy.detach();
      }
      if (plFlavor) *plFlavor = ReportedFlavor(*q);
      return S_OK;
    } catch (...) {
      return MapException();
    }
  }

  // Thread: any (one thread at a time per owner).
  HRESULT STDMETHODCALLTYPE Put(LPCWSTR wszName, VARIANT* pVal, long lFlavor) noexcept override {
    try {
      return DoPut(wszName, pVal, lFlavor);
    } catch (...) {
      return MapException();
    }
  }

  // Thread: any (one thread at a time per owner).
  HRESULT STDMETHODCALLTYPE Delete(LPCWSTR wszName) noexcept override {
    try {
      return DoDelete(wszName);
    } catch (...) {
      return MapException();
    }
  }

  // Thread: any (one thread at a time per owner).
  HRESULT STDMETHODCALLTYPE GetNames(long lFlags, SAFEARRAY** pNames) noexcept override {
    try {
      if (!pNames) return WBEM_E_INVALID_PARAMETER;
      std::vector<OleString> names;
      HRESULT hr = Names(lFlags, &names);
      if (FAILED(hr)) return hr;
      com::SafeArray sa = com::SafeArray::Create(VT_BSTR, static_cast<ULONG>(names.size()));
      if (!sa) return WBEM_E_OUT_OF_MEMORY;
      for (size_t i = 0; i < names.size(); ++i) {
        com::Bstr b(names[i]);
        hr = sa.Put(static_cast<LONG>(i), b.get());
        if (FAILED(hr)) return hr;
      }
      *pNames = sa.detach();
      return S_OK;
    } catch (...) {
      return MapException();
    }
  }

  // Thread: any (one thread at a time per owner).
  HRESULT STDMETHODCALLTYPE BeginEnumeration(long lFlags) noexcept override {
    try {
      std::vector<OleString> names;
      HRESULT hr = Names(lFlags, &names);
      if (FAILED(hr)) return hr;
      enumNames_ = std::move(names);
      enumPos_ = 0;
      enumActive_ = true;
      return S_OK;
    } catch (...) {
      return MapException();
    }
  }

  // Thread: any (one thread at a time per owner).
  HRESULT STDMETHODCALLTYPE Next(long lFlags, BSTR* pstrName, VARIANT* pVal,
                                 long* plFlavor) noexcept override {
    try {
      if (lFlags != 0) return WBEM_E_INVALID_PARAMETER;
      if (!enumActive_) return WBEM_E_UNEXPECTED;
      while (enumPos_ < enumNames_.size()) {
        const OleString& name = enumNames_[enumPos_++];
        com::Variant value;
        long flavor = 0;
        HRESULT hr = Get(name.c_str(), 0, pVal ? value.get() : nullptr, &flavor);
        if (hr == static_cast<HRESULT>(WBEM_E_NOT_FOUND)) continue;
        if (FAILED(hr)) return hr;
        if (pstrName) *pstrName = com::Bstr(name).detach();
        if (pVal) *pVal = value.detach();
        if (plFlavor) *plFlavor = flavor;
        return S_OK;
      }
      return WBEM_S_NO_MORE_DATA;
    } catch (...) {
      return MapException();
    }
  }

  // Thread: any (one thread at a time per owner).
  HRESULT STDMETHODCALLTYPE EndEnumeration() noexcept override {
    enumActive_ = false;
    enumNames_.clear();
    enumPos_ = 0;
    return S_OK;
  }

 private:
  HRESULT Names(long lFlags, std::vector<OleString>* out) const {
    if (lFlags != 0 && lFlags != WBEM_FLAG_LOCAL_ONLY && lFlags != WBEM_FLAG_PROPAGATED_ONLY)
      return WBEM_E_INVALID_PARAMETER;
    QualifierList list;
    HRESULT hr = EffectiveQualifiers(*owner_, scope_, name_, &list);
    if (FAILED(hr)) return hr;
    for (const Qualifier& q : list) {
      if (lFlags == WBEM_FLAG_LOCAL_ONLY && q.propagated) continue;
      if (lFlags == WBEM_FLAG_PROPAGATED_ONLY && !q.propagated) continue;
      out->push_back(q.name);
    }
    return S_OK;
  }

  // The stored list the scope writes to on a class (copy-on-write), with the
  // property/method it belongs to (null for the class itself).
  QualifierList* ClassList(Property** prop, Method** method) {
    ClassData& c = owner_->MutableClass();
    *prop = nullptr;
    *method = nullptr;
    switch (scope_) {
      case QualifierScope::kObject: return &c.qualifiers;
      case QualifierScope::kProperty: {
        int i = c.FindProperty(name_);
        if (i < 0) return nullptr;
        *prop = &c.properties[static_cast<size_t>(i)];
        return &(*prop)->qualifiers;
      }
      case QualifierScope::kMethod:
        for (Method& m : c.methods)
          if (EqualsNoCase(m.name, name_)) {
            *method = &m;
            return &m.qualifiers;
          }
        return nullptr;
    }
    return nullptr;
  }

  // The instance's own list for the scope (created on demand).
  QualifierList* InstanceList() {
    InstanceData& d = owner_->MutableInstance();
    if (scope_ == QualifierScope::kObject) return &d.qualifiers;
    int i = d.cls->FindProperty(name_);
    if (i < 0) return nullptr;
    if (d.propertyQualifiers.size() < d.cls->properties.size())
      d.propertyQualifiers.resize(d.cls->properties.size());
    return &d.propertyQualifiers[static_cast<size_t>(i)];
  }

  HRESULT DoPut(LPCWSTR wszName, VARIANT* pVal, long lFlavor) {
    if (!wszName || !*wszName || !pVal) return WBEM_E_INVALID_PARAMETER;
    const long known = WBEM_FLAVOR_MASK_PROPAGATION | WBEM_FLAVOR_MASK_PERMISSIONS |
                       WBEM_FLAVOR_MASK_ORIGIN | WBEM_FLAVOR_MASK_AMENDED;
    if ((lFlavor & ~known) != 0) return WBEM_E_INVALID_PARAMETER;
    const long flavor = lFlavor & ~static_cast<long>(WBEM_FLAVOR_MASK_ORIGIN);
    OleStringView name(wszName);
    if (!IsValidIdentifier(name)) return WBEM_E_INVALID_PARAMETER;
    if (!IsAllowedQualifierVt(pVal->vt)) return WBEM_E_INVALID_QUALIFIER_TYPE;
    if (IsBooleanQualifier(name) && pVal->vt != VT_BOOL) return WBEM_E_INVALID_QUALIFIER_TYPE;

    const bool isClass = owner_->IsClass();
    const ClassData& def = owner_->Definition();
    const Property* prop = nullptr;
    if (scope_ == QualifierScope::kProperty) {
      int i = def.FindProperty(name_);
      if (i < 0) return WBEM_E_NOT_FOUND;
      prop = &def.properties[static_cast<size_t>(i)];
    }
    if (EqualsNoCase(name, kCimType) && scope_ == QualifierScope::kProperty) {
      if (!isClass) return WBEM_E_READ_ONLY;
      if (pVal->vt != VT_BSTR) return WBEM_E_INVALID_QUALIFIER_TYPE;
      if (!CimTypeMatches(prop->type, View(pVal->bstrVal))) return WBEM_E_TYPE_MISMATCH;
    }
    if (EqualsNoCase(name, kKey) && IsTrue(*pVal)) {
      if (!isClass) return WBEM_E_CANNOT_BE_KEY;
      if (prop) {
        const CIMTYPE elem = prop->type & ~static_cast<CIMTYPE>(CIM_FLAG_ARRAY);
        if ((prop->type & CIM_FLAG_ARRAY) || elem == CIM_REAL32 || elem == CIM_REAL64 ||
            elem == CIM_OBJECT)
          return WBEM_E_CANNOT_BE_KEY;
      }
    }

    QualifierList effective;
    HRESULT hr = EffectiveQualifiers(*owner_, scope_, name_, &effective);
    if (FAILED(hr)) return hr;
    if (const Qualifier* e = FindQualifier(effective, name)) {
      if (e->propagated && (e->flavor & WBEM_FLAVOR_NOT_OVERRIDABLE)) {
        if (ValuesEqual(*e->value.get(), *pVal) && (e->flavor == flavor)) return S_OK;
        return WBEM_E_OVERRIDE_NOT_ALLOWED;
      }
    }

    Qualifier q;
    q.name = OleString(name);
    hr = com::Variant::Copy(pVal, &q.value);
    if (FAILED(hr)) return hr;
    q.flavor = flavor;

    if (isClass) {
      Property* p = nullptr;
      Method* m = nullptr;
      QualifierList* list = ClassList(&p, &m);
      if (!list) return WBEM_E_NOT_FOUND;
      if (Qualifier* stored = FindQualifier(*list, name)) {
        q.name = stored->name;
        if (stored->propagated) {
          q.inherited = std::make_shared<const Qualifier>(PropagatedCopy(*stored));
        } else {
          q.inherited = stored->inherited;
        }
        *stored = std::move(q);
      } else {
        list->push_back(std::move(q));
      }
      if (p) p->propagated = false;
      if (m) m->propagated = false;
      return S_OK;
    }
    QualifierList* list = InstanceList();
    if (!list) return WBEM_E_NOT_FOUND;
    if (Qualifier* stored = FindQualifier(*list, name)) *stored = std::move(q);
    else list->push_back(std::move(q));
    return S_OK;
  }

  HRESULT DoDelete(LPCWSTR wszName) {
    if (!wszName || !*wszName) return WBEM_E_INVALID_PARAMETER;
    OleStringView name(wszName);
    QualifierList effective;
    HRESULT hr = EffectiveQualifiers(*owner_, scope_, name_, &effective);
    if (FAILED(hr)) return hr;
    const Qualifier* e = FindQualifier(effective, name);
    if (!e) return WBEM_E_NOT_FOUND;
    const bool isClass = owner_->IsClass();
    if (isClass) {
      // Look before writing so that a refused delete does not copy the class.
      const QualifierList* current = nullptr;
      const ClassData& c = owner_->Class();
      if (scope_ == QualifierScope::kObject) current = &c.qualifiers;
      else if (scope_ == QualifierScope::kProperty) current = &c.properties[static_cast<size_t>(c.FindProperty(name_))].qualifiers;
      else current = &c.FindMethod(name_)->qualifiers;
      const Qualifier* stored = FindQualifier(*current, name);
      if (!stored) return WBEM_E_INVALID_OPERATION;  // the automatic CIMTYPE
      if (stored->propagated) return WBEM_E_PROPAGATED_QUALIFIER;
      Property* p = nullptr;
      Method* m = nullptr;
      QualifierList* list = ClassList(&p, &m);
      for (size_t i = 0; i < list->size(); ++i) {
        Qualifier& q = (*list)[i];
        if (!EqualsNoCase(q.name, name)) continue;
        if (q.inherited) {
          Qualifier parent = PropagatedCopy(*q.inherited);
          q = std::move(parent);
          return WBEM_S_RESET_TO_DEFAULT;
        }
        list->erase(list->begin() + static_cast<long>(i));
        return S_OK;
      }
      return WBEM_E_NOT_FOUND;
    }
    if (!e->propagated) {
      QualifierList* list = InstanceList();
      for (size_t i = 0; list && i < list->size(); ++i) {
        if (!EqualsNoCase((*list)[i].name, name)) continue;
        list->erase(list->begin() + static_cast<long>(i));
        // Did a class qualifier come back into view?
        QualifierList after;
        hr = EffectiveQualifiers(*owner_, scope_, name_, &after);
        if (FAILED(hr)) return hr;
        return FindQualifier(after, name) ? static_cast<HRESULT>(WBEM_S_RESET_TO_DEFAULT) : S_OK;
      }
      return WBEM_E_NOT_FOUND;
    }
    if (EqualsNoCase(name, kCimType)) return WBEM_E_INVALID_OPERATION;
    return WBEM_E_PROPAGATED_QUALIFIER;
  }

  com::ComPtr<IWbemClassObject> ownerRef_;  // keeps owner_ alive
  ClassObject* owner_;
  QualifierScope scope_;
  OleString name_;
  bool enumActive_ = false;
  size_t enumPos_ = 0;
  std::vector<OleString> enumNames_;
};

}  // namespace

// Thread: any.
long ReportedFlavor(const Qualifier& q) noexcept {
  return (q.flavor & ~static_cast<long>(WBEM_FLAVOR_MASK_ORIGIN)) |
         (q.propagated ? WBEM_FLAVOR_ORIGIN_PROPAGATED : WBEM_FLAVOR_ORIGIN_LOCAL);
}

// Thread: any.
HRESULT EffectiveQualifiers(const ClassObject& owner, QualifierScope scope, OleStringView name,
                            QualifierList* out) {
  out->clear();
  const ClassData& c = owner.Definition();
  if (owner.IsClass()) {
    switch (scope) {
      case QualifierScope::kObject:
        *out = c.qualifiers;
        return S_OK;
      case QualifierScope::kProperty: {
        if (FindSystemProperty(name) >= 0) return WBEM_E_SYSTEM_PROPERTY;
        int i = c.FindProperty(name);
        if (i < 0) return WBEM_E_NOT_FOUND;
        const Property& p = c.properties[static_cast<size_t>(i)];
        *out = p.qualifiers;
        AddCimType(p, IsInheritedOrigin(c, p.origin), out);
        return S_OK;
      }
      case QualifierScope::kMethod: {
        const Method* m = c.FindMethod(name);
        if (!m) return WBEM_E_NOT_FOUND;
        *out = m->qualifiers;
        return S_OK;
      }
    }
    return WBEM_E_FAILED;
  }
  const InstanceData& d = owner.Instance();
  switch (scope) {
    case QualifierScope::kObject:
      for (const Qualifier& q : c.qualifiers)
        if (PropagatesToInstance(q)) out->push_back(PropagatedCopy(q));
      Overlay(d.qualifiers, out);
      return S_OK;
    case QualifierScope::kProperty: {
      if (FindSystemProperty(name) >= 0) return WBEM_E_SYSTEM_PROPERTY;
      int i = c.FindProperty(name);
      if (i < 0) return WBEM_E_NOT_FOUND;
      const size_t idx = static_cast<size_t>(i);
      const Property& p = c.properties[idx];
      for (const Qualifier& q : p.qualifiers)
        if (PropagatesToInstance(q)) out->push_back(PropagatedCopy(q));
      AddCimType(p, true, out);
      if (idx < d.propertyQualifiers.size()) Overlay(d.propertyQualifiers[idx], out);
      return S_OK;
    }
    case QualifierScope::kMethod:
      return WBEM_E_ILLEGAL_OPERATION;
  }
  return WBEM_E_FAILED;
}

// Thread: any.
HRESULT NewQualifierSet(ClassObject* owner, QualifierScope scope, OleStringView name,
                        IWbemQualifierSet** out) noexcept {
  try {
    if (!out || !owner) return WBEM_E_INVALID_PARAMETER;
    *out = nullptr;
    // Validate the target now, as WMI does when the set is requested.
    QualifierList probe;
    HRESULT hr = EffectiveQualifiers(*owner, scope, name, &probe);
    if (FAILED(hr)) return hr;
    *out = new QualifierSet(owner, scope, OleString(name));
    return S_OK;
  } catch (...) {
    return MapException();
  }
}

}  // namespace wmiput::embedded
