// ClassObject: GetObjectText (MOF text of the object) and CompareTo.
#include <cstdio>
#include <map>
#include <new>

#include "embedded/class_object_impl.h"
#include "embedded/names.h"
#include "embedded/object_path.h"
#include "embedded/qualifier_set.h"
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
void Append(OleString* out, const char* ascii) {
  while (*ascii) out->push_back(static_cast<OLECHAR>(*ascii++));
}

// Thread: any.
OleStringView View(BSTR b) { return b ? OleStringView(b, SysStringLen(b)) : OleStringView(); }

// Thread: any.
void AppendScalar(OleString* out, const VARIANT& v, CIMTYPE elem) {
  char buf[64];
  switch (v.vt) {
    case VT_EMPTY: case VT_NULL: Append(out, "NULL"); return;
    case VT_BSTR:
      if (elem == CIM_SINT64 || elem == CIM_UINT64) out->append(View(v.bstrVal));
      else out->append(QuoteString(View(v.bstrVal)));
      return;
    case VT_I2:
      if (elem == CIM_CHAR16) std::snprintf(buf, sizeof buf, "%u", static_cast<unsigned>(static_cast<uint16_t>(v.iVal)));
      else std::snprintf(buf, sizeof buf, "%d", v.iVal);
      break;
    case VT_I4:
      if (elem == CIM_UINT32 || elem == CIM_UINT16)
        std::snprintf(buf, sizeof buf, "%u", static_cast<unsigned>(static_cast<uint32_t>(v.lVal)));
      else std::snprintf(buf, sizeof buf, "%d", static_cast<int>(v.lVal));
      break;
    case VT_UI1: std::snprintf(buf, sizeof buf, "%u", static_cast<unsigned>(v.bVal)); break;
    case VT_R4: std::snprintf(buf, sizeof buf, "%.9g", static_cast<double>(v.fltVal)); break;
    case VT_R8: std::snprintf(buf, sizeof buf, "%.17g", v.dblVal); break;
    case VT_BOOL: Append(out, v.boolVal ? "TRUE" : "FALSE"); return;
    case VT_UNKNOWN: {
      com::ComPtr<IWbemClassObject> obj;
      com::Bstr text;
      if (v.punkVal && SUCCEEDED(com::ComPtr<IUnknown>::Share(v.punkVal).As(&obj)) &&
          SUCCEEDED(obj->GetObjectText(0, text.put()))) {
        OleString t = text.str();
        while (!t.empty() && (t.back() == u'\n' || t.back() == u';')) t.pop_back();
        out->append(t);
      } else {
        Append(out, "NULL");
      }
      return;
    }
    default: Append(out, "NULL"); return;
  }
  Append(out, buf);
}

// Thread: any.
void AppendValue(OleString* out, const VARIANT& v, CIMTYPE type) {
  const CIMTYPE elem = type & ~static_cast<CIMTYPE>(CIM_FLAG_ARRAY);
  if (!(v.vt & VT_ARRAY)) {
    AppendScalar(out, v, elem);
    return;
  }
  Append(out, "{");
  LONG lo = 0, hi = -1;
  if (v.parray) {
    SafeArrayGetLBound(v.parray, 1, &lo);
    SafeArrayGetUBound(v.parray, 1, &hi);
  }
  const VARTYPE vt = static_cast<VARTYPE>(v.vt & VT_TYPEMASK);
  for (LONG i = lo; i <= hi; ++i) {
    if (i != lo) Append(out, ", ");
    com::Variant e;
    VARIANT* x = e.put();
    HRESULT hr = E_FAIL;
    switch (vt) {
      case VT_BSTR: hr = SafeArrayGetElement(v.parray, &i, &x->bstrVal); break;
      case VT_UNKNOWN: hr = SafeArrayGetElement(v.parray, &i, &x->punkVal); break;
      case VT_I2: hr = SafeArrayGetElement(v.parray, &i, &x->iVal); break;
      case VT_I4: hr = SafeArrayGetElement(v.parray, &i, &x->lVal); break;
      case VT_UI1: hr = SafeArrayGetElement(v.parray, &i, &x->bVal); break;
      case VT_R4: hr = SafeArrayGetElement(v.parray, &i, &x->fltVal); break;
      case VT_R8: hr = SafeArrayGetElement(v.parray, &i, &x->dblVal); break;
      case VT_BOOL: hr = SafeArrayGetElement(v.parray, &i, &x->boolVal); break;
      case VT_VARIANT: hr = SafeArrayGetElement(v.parray, &i, x); break;
      default: break;
    }
    if (SUCCEEDED(hr) && vt != VT_VARIANT) x->vt = vt;
    AppendScalar(out, *x, elem);
  }
  Append(out, "}");
}

// Thread: any.
CIMTYPE QualifierCimType(const VARIANT& v) {
  switch (v.vt & VT_TYPEMASK) {
    case VT_I4: return CIM_SINT32;
    case VT_R8: return CIM_REAL64;
    case VT_BOOL: return CIM_BOOLEAN;
    default: return CIM_STRING;
  }
}

// "[A, B(1): ToSubclass] " for the local qualifiers of a list (none: "").
// Thread: any.
void AppendQualifiers(OleString* out, const QualifierList& list, bool flavors,
                      const OleString* extra = nullptr) {
  bool first = true;
  auto open = [&]() {
    Append(out, first ? "[" : ", ");
    first = false;
  };
  if (extra) {
    open();
    out->append(*extra);
  }
  for (const Qualifier& q : list) {
    if (q.propagated || EqualsNoCase(q.name, OLESTR("CIMTYPE"))) continue;
    open();
    out->append(q.name);
    const VARIANT& v = *q.value.get();
    if (!(v.vt == VT_BOOL && v.boolVal == VARIANT_TRUE)) {
      const bool isArray = (v.vt & VT_ARRAY) != 0;
      if (!isArray) Append(out, "(");
      AppendValue(out, v, QualifierCimType(v));
      if (!isArray) Append(out, ")");
    }
    if (flavors && (q.flavor & (WBEM_FLAVOR_MASK_PROPAGATION | WBEM_FLAVOR_NOT_OVERRIDABLE |
                                WBEM_FLAVOR_AMENDED))) {
      Append(out, ":");
      if (q.flavor & WBEM_FLAVOR_FLAG_PROPAGATE_TO_INSTANCE) Append(out, " ToInstance");
      if (q.flavor & WBEM_FLAVOR_FLAG_PROPAGATE_TO_DERIVED_CLASS) Append(out, " ToSubclass");
      if (q.flavor & WBEM_FLAVOR_NOT_OVERRIDABLE) Append(out, " DisableOverride");
      if (q.flavor & WBEM_FLAVOR_AMENDED) Append(out, " Amended");
    }
  }
  if (!first) Append(out, "] ");
}

// MOF type of a property: "uint32", "Foo ref", "object", "Foo" (embedded).
// Thread: any.
OleString MofType(const Property& p) {
  OleString t = CimTypeQualifierValue(p);
  const CIMTYPE elem = p.type & ~static_cast<CIMTYPE>(CIM_FLAG_ARRAY);
  if (elem == CIM_REFERENCE) {
    size_t colon = t.find(u':');
    OleString cls = colon == OleString::npos ? OleString(OLESTR("object")) : t.substr(colon + 1);
    return cls + OLESTR(" ref");
  }
  if (elem == CIM_OBJECT) {
    size_t colon = t.find(u':');
    return colon == OleString::npos ? OleString(OLESTR("object")) : t.substr(colon + 1);
  }
  return CimTypeName(p.type);
}

// Thread: any.
void AppendMethod(OleString* out, const Method& m, bool flavors) {
  Append(out, "\t");
  AppendQualifiers(out, m.qualifiers, flavors);
  // Parameters ordered by ID, each with its direction.
  struct Param {
    const Property* p;
    bool in = false, out = false;
  };
  std::map<long, Param> params;
  const Property* ret = nullptr;
  auto scan = [&](const ClassPtr& sig, bool isOut) {
    if (!sig) return;
    for (const Property& p : sig->properties) {
      if (isOut && EqualsNoCase(p.name, OLESTR("ReturnValue"))) {
        ret = &p;
        continue;
      }
      long id = static_cast<long>(params.size()) + 1000;
      if (const Qualifier* q = FindQualifier(p.qualifiers, OLESTR("ID")))
        if (q->value.vt() == VT_I4) id = q->value.get()->lVal;
      Param& e = params[id];
      e.p = &p;
      (isOut ? e.out : e.in) = true;
    }
  };
  scan(m.inParams, false);
  scan(m.outParams, true);
  if (ret) out->append(MofType(*ret));
  else Append(out, "void");
  Append(out, " ");
  out->append(m.name);
  Append(out, "(");
  bool first = true;
  for (const auto& [id, e] : params) {
    if (!first) Append(out, ", ");
    first = false;
    Append(out, e.in && e.out ? "[in, out] " : e.in ? "[in] " : "[out] ");
    out->append(MofType(*e.p));
    Append(out, " ");
    out->append(e.p->name);
    if (e.p->type & CIM_FLAG_ARRAY) Append(out, "[]");
  }
  Append(out, ");\n");
}

// Thread: any.
bool QualifierListsEqual(const QualifierList& a, const QualifierList& b, long flags) {
  const bool ignoreCase = (flags & WBEM_FLAG_IGNORE_CASE) != 0;
  if (a.size() != b.size()) return false;
  for (const Qualifier& q : a) {
    const Qualifier* o = FindQualifier(b, q.name);
    if (!o) return false;
    if (!ValuesEqual(*q.value.get(), *o->value.get(), ignoreCase, flags)) return false;
    if (!(flags & WBEM_FLAG_IGNORE_FLAVOR) &&
        (q.flavor != o->flavor || q.propagated != o->propagated))
      return false;
  }
  return true;
}

// Thread: any.
bool LocationsEqual(const Location& a, const Location& b) {
  return EqualsNoCase(a.server, b.server) && EqualsNoCase(a.nameSpace, b.nameSpace);
}

// Thread: any.
bool ClassDataEqual(const ClassData& a, const ClassData& b, long flags) {
  const bool ignoreCase = (flags & WBEM_FLAG_IGNORE_CASE) != 0;
  const bool quals = !(flags & WBEM_FLAG_IGNORE_QUALIFIERS);
  if (!EqualsNoCase(a.name, b.name) || !EqualsNoCase(a.superclass, b.superclass)) return false;
  if (quals && !QualifierListsEqual(a.qualifiers, b.qualifiers, flags)) return false;
  if (a.properties.size() != b.properties.size() || a.methods.size() != b.methods.size())
    return false;
  for (const Property& p : a.properties) {
    int j = b.FindProperty(p.name);
    if (j < 0) return false;
    const Property& o = b.properties[static_cast<size_t>(j)];
    if (p.type != o.type) return false;
    if (!(flags & WBEM_FLAG_IGNORE_DEFAULT_VALUES) &&
        !ValuesEqual(*p.value.get(), *o.value.get(), ignoreCase, flags))
      return false;
    if (quals && !QualifierListsEqual(p.qualifiers, o.qualifiers, flags)) return false;
  }
  for (const Method& m : a.methods) {
    const Method* o = b.FindMethod(m.name);
    if (!o || !SameSignature(m, *o)) return false;
    if (quals && !QualifierListsEqual(m.qualifiers, o->qualifiers, flags)) return false;
  }
  return true;
}

}  // namespace

// Thread: any.
bool ClassObject::EqualTo(const ClassObject& other, long flags) const {
  if (isClass_ != other.isClass_) return false;
  if (!(flags & WBEM_FLAG_IGNORE_OBJECT_SOURCE) &&
      !LocationsEqual(ObjectLocation(), other.ObjectLocation()))
    return false;
  if (isClass_) return ClassDataEqual(*cls_, *other.cls_, flags);
  const ClassData& a = *inst_.cls;
  const ClassData& b = *other.inst_.cls;
  if (flags & WBEM_FLAG_IGNORE_CLASS) {
    if (!EqualsNoCase(a.name, b.name) || a.properties.size() != b.properties.size()) return false;
  } else if (inst_.cls != other.inst_.cls && !ClassDataEqual(a, b, flags)) {
    return false;
  }
  const bool ignoreCase = (flags & WBEM_FLAG_IGNORE_CASE) != 0;
  for (size_t i = 0; i < a.properties.size(); ++i) {
    int j = b.FindProperty(a.properties[i].name);
    if (j < 0 || a.properties[i].type != b.properties[static_cast<size_t>(j)].type) return false;
    if (!ValuesEqual(*inst_.values[i].get(), *other.inst_.values[static_cast<size_t>(j)].get(),
                     ignoreCase, flags))
      return false;
  }
  if (!(flags & WBEM_FLAG_IGNORE_QUALIFIERS)) {
    if (!QualifierListsEqual(inst_.qualifiers, other.inst_.qualifiers, flags)) return false;
    for (size_t i = 0; i < a.properties.size(); ++i) {
      static const QualifierList kNone;
      int j = b.FindProperty(a.properties[i].name);
      const QualifierList& x = i < inst_.propertyQualifiers.size() ? inst_.propertyQualifiers[i] : kNone;
      const size_t k = static_cast<size_t>(j);
      const QualifierList& y =
          k < other.inst_.propertyQualifiers.size() ? other.inst_.propertyQualifiers[k] : kNone;
      if (!QualifierListsEqual(x, y, flags)) return false;
    }
  }
  return true;
}

// Thread: any (one thread at a time per object).
HRESULT ClassObject::CompareTo(long lFlags, IWbemClassObject* pCompareTo) noexcept {
  try {
    const long allowed = WBEM_FLAG_IGNORE_QUALIFIERS | WBEM_FLAG_IGNORE_OBJECT_SOURCE |
                         WBEM_FLAG_IGNORE_DEFAULT_VALUES | WBEM_FLAG_IGNORE_CLASS |
                         WBEM_FLAG_IGNORE_CASE | WBEM_FLAG_IGNORE_FLAVOR;
    if (!pCompareTo || (lFlags & ~allowed) != 0) return WBEM_E_INVALID_PARAMETER;
    ClassObject* other = ImplOf(pCompareTo);
    if (!other) return WBEM_S_DIFFERENT;
    if (other == this) return WBEM_S_SAME;
    return EqualTo(*other, lFlags) ? WBEM_S_SAME : WBEM_S_DIFFERENT;
  } catch (...) {
    return MapException();
  }
}

// Thread: any (one thread at a time per object).
HRESULT ClassObject::GetObjectText(long lFlags, BSTR* pstrObjectText) noexcept {
  try {
    if (!pstrObjectText || (lFlags & ~static_cast<long>(WBEM_FLAG_NO_FLAVORS)) != 0)
      return WBEM_E_INVALID_PARAMETER;
    const bool flavors = (lFlags & WBEM_FLAG_NO_FLAVORS) == 0;
    OleString t;
    const ClassData& c = Definition();
    if (isClass_) {
      AppendQualifiers(&t, c.qualifiers, flavors);
      if (!t.empty()) t.back() = u'\n';
      Append(&t, "class ");
      t.append(c.name);
      if (!c.superclass.empty()) {
        Append(&t, " : ");
        t.append(c.superclass);
      }
      Append(&t, "\n{\n");
      for (const Property& p : c.properties) {
        if (p.propagated) continue;
        Append(&t, "\t");
        AppendQualifiers(&t, p.qualifiers, flavors);
        t.append(MofType(p));
        Append(&t, " ");
        t.append(p.name);
        if (p.type & CIM_FLAG_ARRAY) Append(&t, "[]");
        if (!IsNullValue(p.value.get())) {
          Append(&t, " = ");
          AppendValue(&t, *p.value.get(), p.type);
        }
        Append(&t, ";\n");
      }
      for (const Method& m : c.methods)
        if (!m.propagated) AppendMethod(&t, m, flavors);
      Append(&t, "};\n");
    } else {
      AppendQualifiers(&t, inst_.qualifiers, flavors);
      if (!t.empty()) t.back() = u'\n';
      Append(&t, "instance of ");
      t.append(c.name);
      Append(&t, "\n{\n");
      for (size_t i = 0; i < c.properties.size(); ++i) {
        if (IsNullValue(inst_.values[i].get())) continue;
        Append(&t, "\t");
        if (i < inst_.propertyQualifiers.size())
          AppendQualifiers(&t, inst_.propertyQualifiers[i], flavors);
        t.append(c.properties[i].name);
        Append(&t, " = ");
        AppendValue(&t, *inst_.values[i].get(), c.properties[i].type);
        Append(&t, ";\n");
      }
      Append(&t, "};\n");
    }
    *pstrObjectText = com::Bstr(t).detach();
    return S_OK;
  } catch (...) {
    return MapException();
  }
}

}  // namespace wmiput::embedded
