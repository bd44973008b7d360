// ClassObject: construction, IUnknown, properties (Get/Put/Delete/GetNames and
// the property enumeration), system properties, Clone, Spawn*, origins.
// Methods are in class_object_methods.cc, GetObjectText and CompareTo in
// class_object_text.cc.
#include <atomic>
#include <new>

#include "embedded/class_object_impl.h"
#include "embedded/counters.h"
#include "embedded/names.h"
#include "embedded/object_path.h"
#include "embedded/owned_put.h"
#include "embedded/qualifier_set.h"
#include "embedded/value_rules.h"

namespace wmiput::embedded {

// {6C1E2F0A-5B7D-4E21-9A3C-77D0E4B1C2A9}: private to wmi-put.
const IID IID_IWmiPutEmbeddedObject = {
    0x6c1e2f0a, 0x5b7d, 0x4e21, {0x9a, 0x3c, 0x77, 0xd0, 0xe4, 0xb1, 0xc2, 0xa9}};

namespace {

struct SystemPropertyInfo {
  const OLECHAR* name;
  CIMTYPE type;
};

const SystemPropertyInfo kSystemProperties[kSystemPropertyCount] = {
    {OLESTR("__GENUS"), CIM_SINT32},
    {OLESTR("__CLASS"), CIM_STRING},
    {OLESTR("__SUPERCLASS"), CIM_STRING},
    {OLESTR("__DYNASTY"), CIM_STRING},
    {OLESTR("__RELPATH"), CIM_STRING},
    {OLESTR("__PROPERTY_COUNT"), CIM_SINT32},
    {OLESTR("__DERIVATION"), CIM_STRING | CIM_FLAG_ARRAY},
    {OLESTR("__SERVER"), CIM_STRING},
    {OLESTR("__NAMESPACE"), CIM_STRING},
    {OLESTR("__PATH"), CIM_STRING},
};

// Thread: any.
bool StartsWithUnderscore(OleStringView s) { return !s.empty() && s[0] == u'_'; }

// Thread: any.
HRESULT MakeNameArray(const std::vector<OleString>& names, SAFEARRAY** out) {
  com::SafeArray sa = com::SafeArray::Create(VT_BSTR, static_cast<ULONG>(names.size()));
  if (!sa) return WBEM_E_OUT_OF_MEMORY;
  for (size_t i = 0; i < names.size(); ++i) {
    com::Bstr b(names[i]);
    HRESULT hr = sa.Put(static_cast<LONG>(i), b.get());
    if (FAILED(hr)) return hr;
  }
  *out = sa.detach();
  return S_OK;
}

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
// `target`: the type the value is converted to (only datetimes can be
// intervals, so the qualifier scan is skipped for every other type).
bool IsIntervalProperty(const Property& p, CIMTYPE target) {
  if ((target & ~static_cast<CIMTYPE>(CIM_FLAG_ARRAY)) != CIM_DATETIME) return false;
  const Qualifier* q = FindQualifier(p.qualifiers, OLESTR("SubType"));
  if (!q || q->value.vt() != VT_BSTR) return false;
  BSTR b = q->value.get()->bstrVal;
  return EqualsNoCase(b ? OleStringView(b, SysStringLen(b)) : OleStringView(), OLESTR("interval"));
}

constexpr long kNameFlagsAllowed = WBEM_MASK_PRIMARY_CONDITION | WBEM_FLAG_KEYS_ONLY |
                                   WBEM_FLAG_REFS_ONLY | WBEM_MASK_CONDITION_ORIGIN |
                                   WBEM_MASK_CLASS_CONDITION;

// Thread: any.
bool ValidOriginCondition(long flags) {
  long origin = flags & WBEM_MASK_CONDITION_ORIGIN;
  return origin == 0 || origin == WBEM_FLAG_LOCAL_ONLY || origin == WBEM_FLAG_PROPAGATED_ONLY ||
         origin == WBEM_FLAG_SYSTEM_ONLY || origin == WBEM_FLAG_NONSYSTEM_ONLY;
}

}  // namespace

// Thread: any.
int FindSystemProperty(OleStringView name) noexcept {
  if (name.size() < 2 || name[0] != u'_' || name[1] != u'_') return -1;
  for (int i = 0; i < kSystemPropertyCount; ++i)
    if (EqualsNoCase(name, kSystemProperties[i].name)) return i;
  return -1;
}

// Thread: any.
OleStringView SystemPropertyName(int index) noexcept { return kSystemProperties[index].name; }
// Thread: any.
CIMTYPE SystemPropertyType(int index) noexcept { return kSystemProperties[index].type; }

// ---------------------------------------------------------------------------
// Construction and IUnknown.

// Thread: any.
ClassObject::ClassObject(ClassPtr cls, bool owned)
    : isClass_(true), cls_(std::move(cls)), owned_(owned) {
  live::classObjects.fetch_add(1, std::memory_order_relaxed);
}

// Thread: any.
ClassObject::ClassObject(InstanceData inst) : isClass_(false), inst_(std::move(inst)) {
  if (inst_.modified.size() != inst_.values.size()) inst_.modified.resize(inst_.values.size());
  live::classObjects.fetch_add(1, std::memory_order_relaxed);
}

// Thread: any.
ClassObject::~ClassObject() { live::classObjects.fetch_sub(1, std::memory_order_relaxed); }

// Thread: any.
ClassObject* ImplOf(IWbemClassObject* obj) noexcept {
  if (!obj) return nullptr;
  void* p = nullptr;
  if (FAILED(obj->QueryInterface(IID_IWmiPutEmbeddedObject, &p)) || !p) return nullptr;
  auto* impl = static_cast<ClassObject*>(static_cast<IWbemClassObject*>(p));
  impl->Release();
  return impl;
}

// Thread: any.
ClassObjectView* ViewOf(IWbemClassObject* obj) noexcept { return ImplOf(obj); }

// Thread: any.
com::ComPtr<IWbemClassObject> NewClassObject(ClassData data) {
  auto shared = std::make_shared<ClassData>(std::move(data));
  return com::ComPtr<IWbemClassObject>::Adopt(new ClassObject(std::move(shared), true));
}

// Thread: any.
com::ComPtr<IWbemClassObject> NewClassObject(ClassPtr shared) {
  if (!shared) shared = std::make_shared<ClassData>();
  return com::ComPtr<IWbemClassObject>::Adopt(new ClassObject(std::move(shared), false));
}

// Thread: any.
com::ComPtr<IWbemClassObject> NewInstanceObject(InstanceData data) {
  return com::ComPtr<IWbemClassObject>::Adopt(new ClassObject(std::move(data)));
}

// Thread: any.
ClassData& ClassObject::MutableClass() {
  if (!owned_ || cls_.use_count() != 1) {
    cls_ = std::make_shared<ClassData>(*cls_);
    owned_ = true;
  } else {
    // Sole owner: pairs with the release in the last other holder's
    // shared_ptr destructor (possibly on another thread) before we write.
    std::atomic_thread_fence(std::memory_order_acquire);
  }
  // The data was created non-const by this object and nobody else holds it.
  return const_cast<ClassData&>(*cls_);
}

// Thread: any.
bool ClassObject::HasAmendedQualifiers() const noexcept {
  auto any = [](const QualifierList& l) {
    for (const Qualifier& q : l)
      if (q.flavor & WBEM_FLAVOR_AMENDED) return true;
    return false;
  };
  const ClassData& c = Definition();
  if (isClass_) {
    if (any(c.qualifiers)) return true;
    for (const Property& p : c.properties)
      if (any(p.qualifiers)) return true;
    for (const Method& m : c.methods)
      if (any(m.qualifiers)) return true;
    return false;
  }
  for (const Qualifier& q : c.qualifiers)
    if ((q.flavor & WBEM_FLAVOR_AMENDED) && PropagatesToInstance(q)) return true;
  for (const Property& p : c.properties)
    for (const Qualifier& q : p.qualifiers)
      if ((q.flavor & WBEM_FLAVOR_AMENDED) && PropagatesToInstance(q)) return true;
  if (any(inst_.qualifiers)) return true;
  for (const QualifierList& l : inst_.propertyQualifiers)
    if (any(l)) return true;
  return false;
}

// ---------------------------------------------------------------------------
// System properties and origins.

// Thread: any.
HRESULT ClassObject::GetSystemProperty(int index, com::Variant* out) const {
  const ClassData& c = Definition();
  const Location& loc = ObjectLocation();
  const bool stored = IsStored();
  auto str = [&](OleStringView s) {
    *out = s.empty() ? com::Variant::Null() : com::Variant::FromBstr(s);
  };
  auto relPath = [&]() { return isClass_ ? c.name : InstanceRelPath(inst_); };
  switch (static_cast<SystemProperty>(index)) {
    case SystemProperty::kGenus:
      *out = com::Variant::FromI4(isClass_ ? WBEM_GENUS_CLASS : WBEM_GENUS_INSTANCE);
      break;
    case SystemProperty::kClass: str(c.name); break;
    case SystemProperty::kSuperclass: str(c.superclass); break;
    case SystemProperty::kDynasty: str(c.derivation.empty() ? c.name : c.derivation.back()); break;
    case SystemProperty::kRelPath:
      if (stored) str(relPath()); else *out = com::Variant::Null();
      break;
    case SystemProperty::kPropertyCount:
      *out = com::Variant::FromI4(static_cast<int32_t>(c.properties.size()));
      break;
    case SystemProperty::kDerivation: {
      com::SafeArray sa = com::SafeArray::Create(VT_BSTR, static_cast<ULONG>(c.derivation.size()));
      if (!sa) return WBEM_E_OUT_OF_MEMORY;
      for (size_t i = 0; i < c.derivation.size(); ++i) {
        com::Bstr b(c.derivation[i]);
        HRESULT hr = sa.Put(static_cast<LONG>(i), b.get());
        if (FAILED(hr)) return hr;
      }
      *out = com::Variant::FromArray(std::move(sa));
      break;
    }
    case SystemProperty::kServer:
      if (stored) str(loc.server); else *out = com::Variant::Null();
      break;
    case SystemProperty::kNamespace:
      if (stored) str(loc.nameSpace); else *out = com::Variant::Null();
      break;
    case SystemProperty::kPath:
      if (stored) str(FormatFullPath(loc.server, loc.nameSpace, relPath()));
      else *out = com::Variant::Null();
      break;
    default:
      return WBEM_E_NOT_FOUND;
  }
  return S_OK;
}

// Thread: any.
long ClassObject::PropertyOrigin(size_t index) const noexcept {
  if (isClass_) {
    return cls_->properties[index].propagated ? WBEM_FLAVOR_ORIGIN_PROPAGATED
                                              : WBEM_FLAVOR_ORIGIN_LOCAL;
  }
  return index < inst_.modified.size() && inst_.modified[index] ? WBEM_FLAVOR_ORIGIN_LOCAL
                                                                 : WBEM_FLAVOR_ORIGIN_PROPAGATED;
}

// ---------------------------------------------------------------------------
// Get / Put / Delete.

// Thread: any (one thread at a time per object).
HRESULT ClassObject::Get(LPCWSTR wszName, long lFlags, VARIANT* pVal, CIMTYPE* pType,
                         long* plFlavor) noexcept {
  try {
    if (!wszName || lFlags != 0) return WBEM_E_INVALID_PARAMETER;
    OleStringView name(wszName);
    com::Variant value;
    CIMTYPE type = CIM_EMPTY;
    long flavor = 0;
    int sys = FindSystemProperty(name);
    if (sys >= 0) {
      if (pVal) {
        HRESULT hr = GetSystemProperty(sys, &value);
        if (FAILED(hr)) return hr;
      }
      type = SystemPropertyType(sys);
      flavor = WBEM_FLAVOR_ORIGIN_SYSTEM;
    } else {
      const ClassData& c = Definition();
      int idx = c.FindProperty(name);
      if (idx < 0) return WBEM_E_NOT_FOUND;
      const size_t i = static_cast<size_t>(idx);
      if (pVal) {
        const com::Variant& stored = isClass_ ? c.properties[i].value : inst_.values[i];
        HRESULT hr = CopyValueOut(*stored.get(), &value);
        if (FAILED(hr)) return hr;
      }
      type = c.properties[i].type;
      flavor = PropertyOrigin(i);
    }
    if (pVal) *pVal = value.detach();
    if (pType) *pType = type;
    if (plFlavor) *plFlavor = flavor;
    return S_OK;
  } catch (...) {
    return MapException();
  }
}

// Thread: any.
HRESULT ClassObject::RenameClass(const VARIANT* value, CIMTYPE type) {
  if (!isClass_ || IsStored()) return WBEM_E_READ_ONLY;
  if (type != 0 && type != CIM_STRING) return WBEM_E_TYPE_MISMATCH;
  if (IsNullValue(value)) return WBEM_E_INVALID_PARAMETER;
  if (value->vt != VT_BSTR) return WBEM_E_TYPE_MISMATCH;
  OleString newName(value->bstrVal ? OleStringView(value->bstrVal, SysStringLen(value->bstrVal))
                                   : OleStringView());
  if (newName.empty()) return WBEM_E_INVALID_PARAMETER;
  ClassData& c = MutableClass();
  const OleString oldName = c.name;
  auto local = [&](const OleString& origin) {
    return origin.empty() || EqualsNoCase(origin, oldName);
  };
  for (Property& p : c.properties)
    if (!p.propagated && local(p.origin)) p.origin = newName;
  for (Method& m : c.methods)
    if (!m.propagated && local(m.origin)) m.origin = newName;
  c.name = std::move(newName);
  return S_OK;
}

// Thread: any.
HRESULT ClassObject::PutClassProperty(OleStringView name, const VARIANT* value, CIMTYPE type) {
  if (type != 0) {
    HRESULT hr = CheckCimType(type);
    if (FAILED(hr)) return hr;
  }
  const ClassData& current = *cls_;
  int idx = current.FindProperty(name);
  static const VARIANT kNull = [] {
    VARIANT v;
    VariantInit(&v);
    v.vt = VT_NULL;
    return v;
  }();
  const VARIANT& in = value ? *value : kNull;
  if (idx >= 0) {
    const Property& p = current.properties[static_cast<size_t>(idx)];
    const bool inherited = IsInheritedOrigin(current, p.origin);
    CIMTYPE target = p.type;
    if (type != 0 && type != p.type) {
      // A local property may be redefined while the class is being built;
      // an inherited one keeps its type.
      if (inherited) return WBEM_E_TYPE_MISMATCH;
      target = type;
    }
    com::Variant stored;
    HRESULT hr = CoerceForPut(target, in, &stored, IsIntervalProperty(p, target));
    if (FAILED(hr)) return hr;
    Property& w = MutableClass().properties[static_cast<size_t>(idx)];
    if (target != w.type) {
      w.type = target;
      // A stored CIMTYPE qualifier described the old type.
      for (size_t q = 0; q < w.qualifiers.size(); ++q)
        if (EqualsNoCase(w.qualifiers[q].name, OLESTR("CIMTYPE"))) {
          w.qualifiers.erase(w.qualifiers.begin() + static_cast<long>(q));
          break;
        }
    }
    w.value = std::move(stored);
    w.propagated = false;
    return S_OK;
  }
  // A new property: its name must be a valid identifier.
  if (!IsValidIdentifier(name)) return WBEM_E_INVALID_PARAMETER;
  CIMTYPE target = type;
  if (target == 0) {
    if (IsNullValue(&in)) return WBEM_E_INVALID_PROPERTY_TYPE;
    HRESULT hr = InferCimType(in, &target);
    if (FAILED(hr)) return hr;
  }
  com::Variant stored;
  HRESULT hr = CoerceForPut(target, in, &stored, false);
  if (FAILED(hr)) return hr;
  Property p;
  p.name = OleString(name);
  p.type = target;
  p.value = std::move(stored);
  ClassData& c = MutableClass();
  p.origin = c.name;
  c.properties.push_back(std::move(p));
  return S_OK;
}

// Thread: any.
HRESULT ClassObject::PutInstanceProperty(OleStringView name, const VARIANT* value, CIMTYPE type) {
  const ClassData& c = *inst_.cls;
  int idx = c.FindProperty(name);
  if (idx < 0) return WBEM_E_NOT_FOUND;
  const size_t i = static_cast<size_t>(idx);
  const Property& p = c.properties[i];
  if (type != 0 && type != p.type) return WBEM_E_TYPE_MISMATCH;
  if (value) {
    // Straight into the slot: CoerceForPut leaves it untouched on failure.
    HRESULT hr = CoerceForPut(p.type, *value, &inst_.values[i], IsIntervalProperty(p, p.type));
    if (FAILED(hr)) return hr;
  } else {
    inst_.values[i] = com::Variant::Null();
  }
  inst_.modified[i] = true;
  return S_OK;
}

// Thread: any (one thread at a time per object).
HRESULT ClassObject::PutTaking(LPCWSTR name, com::Variant* value) noexcept {
  if (!isClass_ && name && value && !(value->vt() & VT_BYREF)) {
    OleStringView n(name);
    // System properties (leading "__") keep Put's handling.
    if (!n.empty() && n[0] != u'_') {
      const ClassData& c = *inst_.cls;
      const int idx = c.FindProperty(n);
      if (idx >= 0) {
        const Property& p = c.properties[static_cast<size_t>(idx)];
        if (IsStoredForm(p.type, *value->get(), IsIntervalProperty(p, p.type))) {
          inst_.values[static_cast<size_t>(idx)] = std::move(*value);
          inst_.modified[static_cast<size_t>(idx)] = true;
          return S_OK;
        }
      }
    }
  }
  return Put(name, 0, value ? value->get() : nullptr, 0);
}

// Thread: any (one thread at a time per object).
HRESULT PutTaking(IWbemClassObject* obj, LPCWSTR name, com::Variant* value) noexcept {
  if (!obj) return E_POINTER;
  if (ClassObject* impl = ImplOf(obj)) return impl->PutTaking(name, value);
  return obj->Put(name, 0, value ? value->get() : nullptr, 0);
}

// Thread: any (one thread at a time per object).
HRESULT ClassObject::Put(LPCWSTR wszName, long lFlags, VARIANT* pVal, CIMTYPE Type) noexcept {
  try {
    if (!wszName || lFlags != 0) return WBEM_E_INVALID_PARAMETER;
    OleStringView name(wszName);
    if (name.empty()) return WBEM_E_INVALID_PARAMETER;
    int sys = FindSystemProperty(name);
    if (sys >= 0) {
      if (static_cast<SystemProperty>(sys) == SystemProperty::kClass)
        return RenameClass(pVal, Type);
      return WBEM_E_READ_ONLY;
    }
    if (pVal && (pVal->vt & VT_BYREF)) return WBEM_E_TYPE_MISMATCH;
    if (isClass_) {
      if (StartsWithUnderscore(name) || name.back() == u'_') return WBEM_E_INVALID_PARAMETER;
      return PutClassProperty(name, pVal, Type);
    }
    return PutInstanceProperty(name, pVal, Type);
  } catch (...) {
    return MapException();
  }
}

// Thread: any (one thread at a time per object).
HRESULT ClassObject::Delete(LPCWSTR wszName) noexcept {
  try {
    if (!wszName) return WBEM_E_INVALID_PARAMETER;
    OleStringView name(wszName);
    if (FindSystemProperty(name) >= 0) return WBEM_E_SYSTEM_PROPERTY;
    const ClassData& c = Definition();
    int idx = c.FindProperty(name);
    if (idx < 0) return WBEM_E_NOT_FOUND;
    const size_t i = static_cast<size_t>(idx);
    if (isClass_) {
      if (IsInheritedOrigin(c, c.properties[i].origin)) return WBEM_E_PROPAGATED_PROPERTY;
      ClassData& w = MutableClass();
      w.properties.erase(w.properties.begin() + static_cast<long>(i));
      return S_OK;
    }
    inst_.values[i] = c.properties[i].value;
    inst_.modified[i] = false;
    return WBEM_S_RESET_TO_DEFAULT;
  } catch (...) {
    return MapException();
  }
}

// ---------------------------------------------------------------------------
// Names and enumeration.

// Thread: any.
bool ClassObject::MatchesNameFilter(size_t index, long flags, OleStringView qualifier,
                                    const VARIANT* qualifierValue) const {
  const ClassData& c = Definition();
  const Property& p = c.properties[index];
  const long origin = flags & WBEM_MASK_CONDITION_ORIGIN;
  const long flavor = PropertyOrigin(index);
  if (origin == WBEM_FLAG_SYSTEM_ONLY) return false;
  if (origin == WBEM_FLAG_LOCAL_ONLY && flavor != WBEM_FLAVOR_ORIGIN_LOCAL) return false;
  if (origin == WBEM_FLAG_PROPAGATED_ONLY && flavor != WBEM_FLAVOR_ORIGIN_PROPAGATED) return false;
  if (isClass_) {
    const long classCondition = flags & WBEM_MASK_CLASS_CONDITION;
    if (classCondition == WBEM_FLAG_CLASS_OVERRIDES_ONLY &&
        (p.propagated || !IsInheritedOrigin(c, p.origin)))
      return false;
    if (classCondition == WBEM_FLAG_CLASS_LOCAL_AND_OVERRIDES && p.propagated) return false;
  }
  if ((flags & WBEM_FLAG_KEYS_ONLY) && !c.IsKeyProperty(index)) return false;
  if ((flags & WBEM_FLAG_REFS_ONLY) &&
      (p.type & ~static_cast<CIMTYPE>(CIM_FLAG_ARRAY)) != CIM_REFERENCE)
    return false;
  const long primary = flags & WBEM_MASK_PRIMARY_CONDITION;
  if (primary == WBEM_FLAG_ALWAYS) return true;
  QualifierList quals;
  EffectiveQualifiers(*this, QualifierScope::kProperty, p.name, &quals);
  const Qualifier* q = FindQualifier(quals, qualifier);
  switch (primary) {
    case WBEM_FLAG_ONLY_IF_TRUE: return q != nullptr;
    case WBEM_FLAG_ONLY_IF_FALSE: return q == nullptr;
    default: return q && ValuesEqual(*q->value.get(), *qualifierValue);
  }
}

// Thread: any.
HRESULT ClassObject::CollectNames(OleStringView qualifier, long flags,
                                  const VARIANT* qualifierValue,
                                  std::vector<OleString>* out) const {
  const long origin = flags & WBEM_MASK_CONDITION_ORIGIN;
  const bool filtered = (flags & (WBEM_MASK_PRIMARY_CONDITION | WBEM_FLAG_KEYS_ONLY |
                                  WBEM_FLAG_REFS_ONLY | WBEM_MASK_CLASS_CONDITION)) != 0;
  if ((origin == 0 || origin == WBEM_FLAG_SYSTEM_ONLY) && !filtered) {
    for (int i = 0; i < kSystemPropertyCount; ++i) out->emplace_back(SystemPropertyName(i));
  }
  const ClassData& c = Definition();
  for (size_t i = 0; i < c.properties.size(); ++i)
    if (MatchesNameFilter(i, flags, qualifier, qualifierValue)) out->push_back(c.properties[i].name);
  return S_OK;
}

// Thread: any (one thread at a time per object).
HRESULT ClassObject::GetNames(LPCWSTR wszQualifierName, long lFlags, VARIANT* pQualifierVal,
                              SAFEARRAY** pNames) noexcept {
  try {
    if (!pNames) return WBEM_E_INVALID_PARAMETER;
    if ((lFlags & ~kNameFlagsAllowed) != 0 || !ValidOriginCondition(lFlags))
      return WBEM_E_INVALID_PARAMETER;
    const long primary = lFlags & WBEM_MASK_PRIMARY_CONDITION;
    OleStringView qualifier;
    if (primary != WBEM_FLAG_ALWAYS) {
      if (!wszQualifierName || !*wszQualifierName) return WBEM_E_INVALID_PARAMETER;
      qualifier = wszQualifierName;
      if (primary == WBEM_FLAG_ONLY_IF_IDENTICAL) {
        if (!pQualifierVal) return WBEM_E_INVALID_PARAMETER;
      } else if (pQualifierVal && !IsNullValue(pQualifierVal)) {
        return WBEM_E_INVALID_PARAMETER;
      }
    }
    std::vector<OleString> names;
    HRESULT hr = CollectNames(qualifier, lFlags, pQualifierVal, &names);
    if (FAILED(hr)) return hr;
    return MakeNameArray(names, pNames);
  } catch (...) {
    return MapException();
  }
}

// Thread: any (one thread at a time per object).
HRESULT ClassObject::BeginEnumeration(long lEnumFlags) noexcept {
  try {
    const long allowed = WBEM_FLAG_KEYS_ONLY | WBEM_FLAG_REFS_ONLY | WBEM_MASK_CONDITION_ORIGIN |
                         WBEM_MASK_CLASS_CONDITION;
    if ((lEnumFlags & ~allowed) != 0 || !ValidOriginCondition(lEnumFlags))
      return WBEM_E_INVALID_PARAMETER;
    std::vector<OleString> names;
    HRESULT hr = CollectNames(OleStringView(), lEnumFlags, nullptr, &names);
    if (FAILED(hr)) return hr;
    enumNames_ = std::move(names);
    enumPos_ = 0;
    enumActive_ = true;
    return S_OK;
  } catch (...) {
    return MapException();
  }
}

// Thread: any (one thread at a time per object).
HRESULT ClassObject::Next(long lFlags, BSTR* strName, VARIANT* pVal, CIMTYPE* pType,
                          long* plFlavor) noexcept {
  try {
    if (lFlags != 0) return WBEM_E_INVALID_PARAMETER;
    if (!enumActive_) return WBEM_E_UNEXPECTED;
    while (enumPos_ < enumNames_.size()) {
      const OleString& name = enumNames_[enumPos_++];
      com::Variant value;
      CIMTYPE type = CIM_EMPTY;
      long flavor = 0;
      HRESULT hr = Get(name.c_str(), 0, pVal ? value.get() : nullptr, &type, &flavor);
      if (hr == static_cast<HRESULT>(WBEM_E_NOT_FOUND)) continue;  // deleted since BeginEnumeration
      if (FAILED(hr)) return hr;
      if (strName) *strName = com::Bstr(name).detach();
      if (pVal) *pVal = value.detach();
      if (pType) *pType = type;
      if (plFlavor) *plFlavor = flavor;
      return S_OK;
    }
    return WBEM_S_NO_MORE_DATA;
  } catch (...) {
    return MapException();
  }
}

// Thread: any (one thread at a time per object).
HRESULT ClassObject::EndEnumeration() noexcept {
  enumActive_ = false;
  enumNames_.clear();
  enumPos_ = 0;
  return S_OK;
}

// ---------------------------------------------------------------------------
// Qualifier sets.

// Thread: any (one thread at a time per object).
HRESULT ClassObject::GetQualifierSet(IWbemQualifierSet** ppQualSet) noexcept {
  return NewQualifierSet(this, QualifierScope::kObject, OleStringView(), ppQualSet);
}

// Thread: any (one thread at a time per object).
HRESULT ClassObject::GetPropertyQualifierSet(LPCWSTR wszProperty,
                                             IWbemQualifierSet** ppQualSet) noexcept {
  if (!wszProperty) return WBEM_E_INVALID_PARAMETER;
  return NewQualifierSet(this, QualifierScope::kProperty, OleStringView(wszProperty), ppQualSet);
}

// ---------------------------------------------------------------------------
// Clone, Spawn*, origins.

// Thread: any (one thread at a time per object).
HRESULT ClassObject::Clone(IWbemClassObject** ppCopy) noexcept {
  try {
    if (!ppCopy) return WBEM_E_INVALID_PARAMETER;
    ClassObject* copy = isClass_ ? new ClassObject(cls_, owned_) : new ClassObject(inst_);
    *ppCopy = copy;
    return S_OK;
  } catch (...) {
    return MapException();
  }
}

// Thread: any (one thread at a time per object).
HRESULT ClassObject::SpawnDerivedClass(long lFlags, IWbemClassObject** ppNewClass) noexcept {
  try {
    if (lFlags != 0 || !ppNewClass) return WBEM_E_INVALID_PARAMETER;
    if (!isClass_) return WBEM_E_ILLEGAL_OPERATION;
    if (!IsStored() || cls_->name.empty()) return WBEM_E_INCOMPLETE_CLASS;
    *ppNewClass = NewClassObject(DeriveFrom(*cls_)).detach();
    return S_OK;
  } catch (...) {
    return MapException();
  }
}

// Thread: any (one thread at a time per object).
HRESULT ClassObject::SpawnInstance(long lFlags, IWbemClassObject** ppNewInstance) noexcept {
  try {
    if (lFlags != 0 || !ppNewInstance) return WBEM_E_INVALID_PARAMETER;
    if (isClass_) {
      // Method signature classes (`__PARAMETERS`) are never stored but can
      // be spawned, as clients do to fill in method arguments.
      const bool signature = EqualsNoCase(cls_->name, OLESTR("__PARAMETERS"));
      if ((!IsStored() && !signature) || cls_->name.empty()) return WBEM_E_INCOMPLETE_CLASS;
      *ppNewInstance = NewInstanceObject(NewInstance(cls_)).detach();
    } else {
      *ppNewInstance = NewInstanceObject(NewInstance(inst_.cls)).detach();
    }
    return S_OK;
  } catch (...) {
    return MapException();
  }
}

// Thread: any (one thread at a time per object).
HRESULT ClassObject::GetPropertyOrigin(LPCWSTR wszName, BSTR* pstrClassName) noexcept {
  try {
    if (!wszName || !pstrClassName) return WBEM_E_INVALID_PARAMETER;
    OleStringView name(wszName);
    if (FindSystemProperty(name) >= 0) {
      *pstrClassName = com::Bstr(OLESTR("___SYSTEM")).detach();
      return S_OK;
    }
    const ClassData& c = Definition();
    int idx = c.FindProperty(name);
    if (idx < 0) return WBEM_E_NOT_FOUND;
    const OleString& origin = c.properties[static_cast<size_t>(idx)].origin;
    *pstrClassName = com::Bstr(origin.empty() ? c.name : origin).detach();
    return S_OK;
  } catch (...) {
    return MapException();
  }
}

// Thread: any (one thread at a time per object).
HRESULT ClassObject::InheritsFrom(LPCWSTR strAncestor) noexcept {
  if (!strAncestor) return WBEM_E_INVALID_PARAMETER;
  OleStringView ancestor(strAncestor);
  const ClassData& c = Definition();
  if (!isClass_ && EqualsNoCase(c.name, ancestor)) return WBEM_S_NO_ERROR;
  for (const OleString& d : c.derivation)
    if (EqualsNoCase(d, ancestor)) return WBEM_S_NO_ERROR;
  return WBEM_S_FALSE;
}

}  // namespace wmiput::embedded
