#include "embedded/model.h"

#include <algorithm>

#include "embedded/names.h"
#include "embedded/object_path.h"
#include "embedded/value_rules.h"

namespace wmiput::embedded {

namespace {

const OLECHAR kKey[] = OLESTR("Key");
const OLECHAR kCimType[] = OLESTR("CIMTYPE");
const OLECHAR kAbstract[] = OLESTR("Abstract");
const OLECHAR kId[] = OLESTR("ID");

// Thread: any.
bool IsTrueValue(const VARIANT& v) {
  switch (v.vt) {
    case VT_EMPTY: case VT_NULL: return false;
    case VT_BOOL: return v.boolVal != VARIANT_FALSE;
    default: return true;  // a non-boolean value counts as present
  }
}

// A copy of q as seen in a derived class / on an instance: propagated and
// without override history.
// Thread: any.
Qualifier PropagatedCopy(const Qualifier& q) {
  Qualifier r;
  r.name = q.name;
  r.value = q.value;
  r.flavor = q.flavor;
  r.propagated = true;
  return r;
}

// Thread: any.
QualifierList DerivedQualifiers(const QualifierList& parent) {
  QualifierList r;
  for (const Qualifier& q : parent)
    if (PropagatesToDerived(q)) r.push_back(PropagatedCopy(q));
  return r;
}

// Puts the child's local qualifiers on top of `base` (the propagated ones of
// the new parent). Returns the first conflict, or S_OK; with force the
// conflicting child qualifier is dropped.
// Thread: any.
HRESULT OverlayQualifiers(const QualifierList& child, bool force, QualifierList* base) {
  HRESULT first = S_OK;
  for (const Qualifier& q : child) {
    if (q.propagated) continue;
    Qualifier* existing = FindQualifier(*base, q.name);
    if (!existing) {
      Qualifier c = q;
      c.inherited.reset();
      base->push_back(std::move(c));
      continue;
    }
    if (ValuesEqual(*existing->value.get(), *q.value.get()) && existing->flavor == q.flavor)
      continue;  // the same as the parent's: stays propagated
    if (existing->flavor & WBEM_FLAVOR_NOT_OVERRIDABLE) {
      if (!force && first == S_OK) first = WBEM_E_UPDATE_OVERRIDE_NOT_ALLOWED;
      continue;  // force: the child's copy is dropped
    }
    Qualifier c = q;
    c.propagated = false;
    c.inherited = std::make_shared<const Qualifier>(PropagatedCopy(*existing));
    *existing = std::move(c);
  }
  return first;
}

// Parameters of a signature class: name, type, ID, sorted by name.
struct Param {
  OleString name;
  CIMTYPE type;
  long id;
};

// Thread: any.
std::vector<Param> Params(const ClassPtr& sig) {
  std::vector<Param> r;
  if (!sig) return r;
  for (const Property& p : sig->properties) {
    long id = -1;
    if (const Qualifier* q = FindQualifier(p.qualifiers, kId))
      if (q->value.vt() == VT_I4) id = q->value.get()->lVal;
    r.push_back({FoldCase(p.name), p.type, id});
  }
  std::sort(r.begin(), r.end(), [](const Param& a, const Param& b) { return a.name < b.name; });
  return r;
}

// Thread: any.
bool SameParams(const ClassPtr& a, const ClassPtr& b) {
  std::vector<Param> x = Params(a), y = Params(b);
  if (x.size() != y.size()) return false;
  for (size_t i = 0; i < x.size(); ++i)
    if (x[i].name != y[i].name || x[i].type != y[i].type || x[i].id != y[i].id) return false;
  return true;
}

// Thread: any.
OleStringView BstrView(const com::Variant& v) {
  BSTR b = v.get()->bstrVal;
  return b ? OleStringView(b, SysStringLen(b)) : OleStringView();
}

// The key literal of a stored value of CIM type `type`; false for NULL.
// Thread: any.
bool KeyLiteralOf(CIMTYPE type, const com::Variant& v, KeyLiteral* out) {
  const VARIANT& x = *v.get();
  if (x.vt == VT_NULL || x.vt == VT_EMPTY) return false;
  switch (type) {
    case CIM_SINT8: case CIM_SINT16:
      *out = KeyLiteral::MakeSigned(x.vt == VT_I2 ? x.iVal : x.lVal);
      return true;
    case CIM_CHAR16:
      *out = KeyLiteral::MakeUnsigned(static_cast<uint16_t>(x.iVal));
      return true;
    case CIM_UINT8:
      *out = KeyLiteral::MakeUnsigned(x.vt == VT_UI1 ? x.bVal : static_cast<uint32_t>(x.lVal));
      return true;
    case CIM_UINT16: case CIM_UINT32:
      *out = KeyLiteral::MakeUnsigned(static_cast<uint32_t>(x.lVal));
      return true;
    case CIM_SINT32:
      *out = KeyLiteral::MakeSigned(x.lVal);
      return true;
    case CIM_SINT64: case CIM_UINT64: {
      if (x.vt != VT_BSTR) return false;
      OleStringView s = BstrView(v);
      bool negative = !s.empty() && s[0] == u'-';
      uint64_t mag = 0;
      for (size_t i = negative ? 1 : 0; i < s.size(); ++i) mag = mag * 10 + (s[i] - u'0');
      *out = KeyLiteral::MakeInteger(negative && mag != 0, mag);
      return true;
    }
    case CIM_BOOLEAN:
      *out = KeyLiteral::MakeBoolean(x.boolVal != VARIANT_FALSE);
      return true;
    case CIM_REAL32:
      *out = KeyLiteral::MakeReal(x.fltVal);
      return true;
    case CIM_REAL64:
      *out = KeyLiteral::MakeReal(x.dblVal);
      return true;
    default:
      if (x.vt != VT_BSTR) return false;
      *out = KeyLiteral::MakeString(BstrView(v));
      return true;
  }
}

}  // namespace

// Thread: any.
Qualifier* FindQualifier(QualifierList& list, OleStringView name) {
  for (Qualifier& q : list)
    if (EqualsNoCase(q.name, name)) return &q;
  return nullptr;
}

// Thread: any.
const Qualifier* FindQualifier(const QualifierList& list, OleStringView name) {
  for (const Qualifier& q : list)
    if (EqualsNoCase(q.name, name)) return &q;
  return nullptr;
}

// Thread: any.
bool PropagatesToDerived(const Qualifier& q) {
  if (EqualsNoCase(q.name, kKey) || EqualsNoCase(q.name, kCimType)) return true;
  if (EqualsNoCase(q.name, kAbstract)) return false;
  return (q.flavor & WBEM_FLAVOR_FLAG_PROPAGATE_TO_DERIVED_CLASS) != 0;
}

// Thread: any.
bool PropagatesToInstance(const Qualifier& q) {
  if (EqualsNoCase(q.name, kKey) || EqualsNoCase(q.name, kCimType)) return true;
  if (EqualsNoCase(q.name, kAbstract)) return false;
  return (q.flavor & WBEM_FLAVOR_FLAG_PROPAGATE_TO_INSTANCE) != 0;
}

// Thread: any.
bool IsQualifierSet(const QualifierList& list, OleStringView name) {
  const Qualifier* q = FindQualifier(list, name);
  return q && IsTrueValue(*q->value.get());
}

// Thread: any.
OleString CimTypeQualifierValue(const Property& p) {
  if (const Qualifier* q = FindQualifier(p.qualifiers, kCimType))
    if (q->value.vt() == VT_BSTR) return OleString(BstrView(q->value));
  return CimTypeName(p.type);
}

// Thread: any.
bool IsInheritedOrigin(const ClassData& cls, OleStringView origin) {
  return !origin.empty() && !EqualsNoCase(origin, cls.name);
}

// Thread: any.
int ClassData::FindProperty(OleStringView n) const {
  for (size_t i = 0; i < properties.size(); ++i)
    if (EqualsNoCase(properties[i].name, n)) return static_cast<int>(i);
  return -1;
}

// Thread: any.
const Method* ClassData::FindMethod(OleStringView n) const {
  for (const Method& m : methods)
    if (EqualsNoCase(m.name, n)) return &m;
  return nullptr;
}

// Thread: any.
bool ClassData::IsKeyProperty(size_t index) const {
  return index < properties.size() && IsQualifierSet(properties[index].qualifiers, kKey);
}

// Thread: any.
bool ClassData::HasQualifier(OleStringView n) const { return IsQualifierSet(qualifiers, n); }

// Thread: any.
bool ClassData::IsAbstract() const { return HasQualifier(kAbstract); }
// Thread: any.
bool ClassData::IsSingleton() const { return HasQualifier(OLESTR("Singleton")); }
// Thread: any.
bool ClassData::IsDynamic() const { return HasQualifier(OLESTR("Dynamic")); }

// Thread: any.
ClassData DeriveFrom(const ClassData& parent) {
  ClassData d;
  d.superclass = parent.name;
  d.derivation.reserve(parent.derivation.size() + 1);
  d.derivation.push_back(parent.name);
  d.derivation.insert(d.derivation.end(), parent.derivation.begin(), parent.derivation.end());
  d.qualifiers = DerivedQualifiers(parent.qualifiers);
  d.properties.reserve(parent.properties.size());
  for (const Property& p : parent.properties) {
    Property c;
    c.name = p.name;
    c.type = p.type;
    c.value = p.value;
    c.qualifiers = DerivedQualifiers(p.qualifiers);
    c.origin = p.origin.empty() ? parent.name : p.origin;
    c.propagated = true;
    d.properties.push_back(std::move(c));
  }
  for (const Method& m : parent.methods) {
    Method c;
    c.name = m.name;
    c.inParams = m.inParams;
    c.outParams = m.outParams;
    c.qualifiers = DerivedQualifiers(m.qualifiers);
    c.origin = m.origin.empty() ? parent.name : m.origin;
    c.propagated = true;
    d.methods.push_back(std::move(c));
  }
  return d;
}

// Thread: any.
HRESULT Rebase(const ClassData& newParent, const ClassData& child, bool force, ClassData* out) {
  ClassData r = DeriveFrom(newParent);
  r.name = child.name;
  r.location = child.location;
  r.version = child.version;
  HRESULT first = S_OK;
  auto note = [&](HRESULT hr) {
    if (FAILED(hr) && first == S_OK) first = hr;
  };

  note(OverlayQualifiers(child.qualifiers, force, &r.qualifiers));

  for (const Property& p : child.properties) {
    if (p.propagated) continue;  // comes from the new parent, if it still has it
    int idx = r.FindProperty(p.name);
    if (idx < 0) {
      // An override of a property the parent no longer has disappears with it.
      if (IsInheritedOrigin(child, p.origin)) continue;
      Property c = p;
      c.origin = child.name;
      c.propagated = false;
      r.properties.push_back(std::move(c));
      continue;
    }
    Property& rp = r.properties[static_cast<size_t>(idx)];
    if (rp.type != p.type) {
      if (!force) note(WBEM_E_UPDATE_TYPE_MISMATCH);
      continue;  // force: the child's definition is dropped, the parent's stays
    }
    rp.value = p.value;
    note(OverlayQualifiers(p.qualifiers, force, &rp.qualifiers));
    rp.propagated = false;
  }

  for (const Method& m : child.methods) {
    if (m.propagated) continue;
    Method* rm = nullptr;
    for (Method& x : r.methods)
      if (EqualsNoCase(x.name, m.name)) rm = &x;
    if (!rm) {
      if (IsInheritedOrigin(child, m.origin)) continue;
      Method c = m;
      c.origin = child.name;
      c.propagated = false;
      r.methods.push_back(std::move(c));
      continue;
    }
    if (!SameSignature(*rm, m)) {
      if (!force) note(WBEM_E_UPDATE_PROPAGATED_METHOD);
      continue;
    }
    note(OverlayQualifiers(m.qualifiers, force, &rm->qualifiers));
    rm->propagated = false;
  }

  if (FAILED(first)) return first;
  *out = std::move(r);
  return S_OK;
}

// Thread: any.
InstanceData NewInstance(const ClassPtr& cls) {
  InstanceData d;
  d.cls = cls;
  if (cls) {
    d.values.reserve(cls->properties.size());
    for (const Property& p : cls->properties) d.values.push_back(p.value);
    d.modified.assign(cls->properties.size(), false);
  }
  return d;
}

// Thread: any.
bool SameSignature(const Method& a, const Method& b) {
  return SameParams(a.inParams, b.inParams) && SameParams(a.outParams, b.outParams);
}

// Thread: any.
OleString InstanceRelPath(const InstanceData& inst) {
  if (!inst.cls) return OleString();
  const ClassData& cls = *inst.cls;
  ObjectPath p;
  p.className = cls.name;
  if (cls.IsSingleton()) {
    p.singleton = true;
  } else {
    for (size_t i = 0; i < cls.properties.size() && i < inst.values.size(); ++i) {
      if (!cls.IsKeyProperty(i)) continue;
      KeyBinding k;
      k.name = cls.properties[i].name;
      if (!KeyLiteralOf(cls.properties[i].type, inst.values[i], &k.value)) continue;
      p.keys.push_back(std::move(k));
    }
  }
  return FormatRelPath(p);
}

}  // namespace wmiput::embedded
