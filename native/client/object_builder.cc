#include "client/object_builder.h"

#include <algorithm>
#include <new>

#include "embedded/owned_put.h"

namespace wmiput::client {

using com::Bstr;
using com::ComPtr;
using com::Variant;

namespace {

bool Is(OleStringView a, const char* b) {
  size_t i = 0;
  for (; i < a.size() && b[i]; ++i) {
    OLECHAR x = a[i], y = static_cast<OLECHAR>(b[i]);
    if (x >= OLECHAR('A') && x <= OLECHAR('Z')) x = static_cast<OLECHAR>(x + 32);
    if (y >= OLECHAR('A') && y <= OLECHAR('Z')) y = static_cast<OLECHAR>(y + 32);
    if (x != y) return false;
  }
  return i == a.size() && !b[i];
}

HRESULT Fail(BuildFault* fault, HRESULT hr, const OleString& property, OleString message) {
  if (fault) {
    fault->hr = hr;
    fault->property = property;
    fault->message = std::move(message);
  }
  return hr;
}

OleString Concat(const char* a, const OleString& b, const char* c = "") {
  return ToOle(a) + b + ToOle(c);
}

OleString HrText(HRESULT hr) {
  static const char kHex[] = "0123456789ABCDEF";
  char buf[11] = "0x";
  uint32_t u = static_cast<uint32_t>(hr);
  for (int i = 0; i < 8; ++i) buf[2 + i] = kHex[(u >> (28 - 4 * i)) & 0xF];
  buf[10] = 0;
  return ToOle(buf);
}

bool IntervalOf(const std::vector<QualifierSpec>& qualifiers) {
  for (const auto& q : qualifiers)
    if (Is(q.name, "SubType") && q.value.kind == Value::Kind::kString && Is(q.value.text, "interval"))
      return true;
  return false;
}

// The CIMTYPE qualifier text for a typed reference / embedded object, or empty.
OleString CimTypeText(CIMTYPE type, const OleString& refClass, const OleString& objectClass) {
  CIMTYPE elem = type & ~CIM_FLAG_ARRAY;
  if (elem == CIM_REFERENCE && !refClass.empty()) return ToOle("ref:") + refClass;
  if (elem == CIM_OBJECT && !objectClass.empty()) return ToOle("object:") + objectClass;
  return {};
}

bool QualifierIsTrue(IWbemQualifierSet* set, const OLECHAR* name) {
  Variant v;
  return SUCCEEDED(set->Get(name, 0, v.put(), nullptr)) && v.vt() == VT_BOOL &&
         v.get()->boolVal != VARIANT_FALSE;
}

bool QualifierEquals(IWbemQualifierSet* set, const OLECHAR* name, const OleString& text) {
  Variant v;
  return SUCCEEDED(set->Get(name, 0, v.put(), nullptr)) && v.vt() == VT_BSTR &&
         com::ToOleString(v.get()->bstrVal) == text;
}

HRESULT PutTypeQualifiers(IWbemQualifierSet* set, CIMTYPE type, const OleString& refClass,
                          const OleString& objectClass, const OleString& owner,
                          BuildFault* fault) {
  OleString text = CimTypeText(type, refClass, objectClass);
  if (text.empty() || QualifierEquals(set, OLESTR("CIMTYPE"), text)) return S_OK;
  Variant v = Variant::FromBstr(text);
  HRESULT hr = set->Put(OLESTR("CIMTYPE"), v.get(), kCimTypeFlavor);
  if (FAILED(hr)) return Fail(fault, hr, owner, Concat("setting CIMTYPE ", text, " failed"));
  return S_OK;
}

// Reads every qualifier of `set` except the names in `skip`; only the
// non-propagated ones unless `all`.
HRESULT ReadQualifiers(IWbemQualifierSet* set, std::initializer_list<const char*> skip, bool all,
                       std::vector<QualifierSpec>* out) {
  HRESULT hr = set->BeginEnumeration(0);
  if (FAILED(hr)) return hr;
  for (;;) {
    Bstr name;
    Variant v;
    long flavor = 0;
    hr = set->Next(0, name.put(), v.put(), &flavor);
    if (hr != WBEM_S_NO_ERROR) break;
    OleString n = name.str();
    bool skipped = false;
    for (const char* s : skip) skipped = skipped || Is(n, s);
    bool propagated = (flavor & WBEM_FLAVOR_ORIGIN_PROPAGATED) != 0;
    if (skipped || (propagated && !all)) continue;
    QualifierSpec q;
    q.name = std::move(n);
    q.flavor = flavor & ~static_cast<long>(WBEM_FLAVOR_MASK_ORIGIN);
    q.propagated = propagated;
    hr = UntypedFromVariant(*v.get(), &q.value);
    if (FAILED(hr)) break;
    out->push_back(std::move(q));
  }
  set->EndEnumeration();
  return FAILED(hr) ? hr : S_OK;
}

bool HasLocalQualifier(IWbemQualifierSet* set) {
  std::vector<QualifierSpec> local;
  if (FAILED(ReadQualifiers(set, {"CIMTYPE"}, false, &local))) return false;
  return !local.empty();
}

OleString TypedClassOf(IWbemQualifierSet* set, const char* prefix) {
  Variant v;
  if (FAILED(set->Get(OLESTR("CIMTYPE"), 0, v.put(), nullptr)) || v.vt() != VT_BSTR) return {};
  OleString t = com::ToOleString(v.get()->bstrVal);
  size_t n = std::char_traits<char>::length(prefix);
  if (t.size() > n && Is(OleStringView(t).substr(0, n), prefix)) return t.substr(n);
  return {};
}

OleString StringOf(IWbemClassObject* obj, const OLECHAR* name) {
  Variant v;
  if (FAILED(obj->Get(name, 0, v.put(), nullptr, nullptr)) || v.vt() != VT_BSTR) return {};
  return com::ToOleString(v.get()->bstrVal);
}

// Parameters of one signature object, with their ID.
struct SignatureParam {
  long id = -1;
  ParameterSpec spec;
};

HRESULT ReadSignature(IWbemClassObject* sig, bool outputs, CIMTYPE* returnType,
                      std::vector<SignatureParam>* out) {
  if (!sig) return S_OK;
  HRESULT hr = sig->BeginEnumeration(WBEM_FLAG_NONSYSTEM_ONLY);
  if (FAILED(hr)) return hr;
  std::vector<std::pair<OleString, CIMTYPE>> props;
  for (;;) {
    Bstr name;
    CIMTYPE type = CIM_EMPTY;
    hr = sig->Next(0, name.put(), nullptr, &type, nullptr);
    if (hr != WBEM_S_NO_ERROR) break;
    props.emplace_back(name.str(), type);
  }
  sig->EndEnumeration();
  if (FAILED(hr)) return hr;
  for (auto& [name, type] : props) {
    if (outputs && Is(name, "ReturnValue")) {
      *returnType = type;
      continue;
    }
    SignatureParam p;
    p.spec.name = name;
    p.spec.type = type;
    p.spec.in = !outputs;
    p.spec.out = outputs;
    ComPtr<IWbemQualifierSet> quals;
    if (SUCCEEDED(sig->GetPropertyQualifierSet(name.c_str(), quals.put())) && quals) {
      Variant id;
      if (SUCCEEDED(quals->Get(OLESTR("ID"), 0, id.put(), nullptr)) && id.vt() == VT_I4)
        p.id = id.get()->lVal;
      p.spec.refClass = TypedClassOf(quals.get(), "ref:");
      p.spec.objectClass = TypedClassOf(quals.get(), "object:");
      hr = ReadQualifiers(quals.get(), {"ID", "In", "Out", "CIMTYPE"}, true, &p.spec.qualifiers);
      if (FAILED(hr)) return hr;
      for (auto& q : p.spec.qualifiers) q.propagated = false;
    }
    out->push_back(std::move(p));
  }
  return S_OK;
}

HRESULT ClassSpecOf(IWbemClassObject* cls, ClassSpec* out) {
  out->name = StringOf(cls, OLESTR("__CLASS"));
  out->superclass = StringOf(cls, OLESTR("__SUPERCLASS"));
  ComPtr<IWbemQualifierSet> quals;
  HRESULT hr = cls->GetQualifierSet(quals.put());
  if (FAILED(hr)) return hr;
  hr = ReadQualifiers(quals.get(), {"CIMTYPE"}, false, &out->qualifiers);
  if (FAILED(hr)) return hr;

  hr = cls->BeginEnumeration(WBEM_FLAG_NONSYSTEM_ONLY);
  if (FAILED(hr)) return hr;
  struct Raw {
    OleString name;
    Variant value;
    CIMTYPE type;
    long flavor;
  };
  std::vector<Raw> raw;
  for (;;) {
    Raw r;
    Bstr name;
    r.type = CIM_EMPTY;
    r.flavor = 0;
    hr = cls->Next(0, name.put(), r.value.put(), &r.type, &r.flavor);
    if (hr != WBEM_S_NO_ERROR) break;
    r.name = name.str();
    raw.push_back(std::move(r));
  }
  cls->EndEnumeration();
  if (FAILED(hr)) return hr;
  for (Raw& r : raw) {
    ComPtr<IWbemQualifierSet> pq;
    hr = cls->GetPropertyQualifierSet(r.name.c_str(), pq.put());
    if (FAILED(hr) || !pq) return FAILED(hr) ? hr : static_cast<HRESULT>(WBEM_E_FAILED);
    bool inherited = (r.flavor & WBEM_FLAVOR_ORIGIN_PROPAGATED) != 0;
    if (inherited && !HasLocalQualifier(pq.get())) continue;
    PropertySpec p;
    p.name = r.name;
    p.type = r.type;
    p.key = QualifierIsTrue(pq.get(), OLESTR("Key"));
    p.refClass = TypedClassOf(pq.get(), "ref:");
    p.objectClass = TypedClassOf(pq.get(), "object:");
    if (r.value.vt() != VT_NULL && r.value.vt() != VT_EMPTY) {
      p.hasDefault = true;
      hr = FromVariant(*r.value.get(), r.type, &p.defaultValue);
      if (FAILED(hr)) return hr;
    }
    hr = ReadQualifiers(pq.get(), {"CIMTYPE", "Key"}, false, &p.qualifiers);
    if (FAILED(hr)) return hr;
    out->properties.push_back(std::move(p));
  }

  hr = cls->BeginMethodEnumeration(0);
  if (FAILED(hr)) return hr;
  struct RawMethod {
    OleString name;
    ComPtr<IWbemClassObject> in, out;
  };
  std::vector<RawMethod> methods;
  for (;;) {
    RawMethod m;
    Bstr name;
    hr = cls->NextMethod(0, name.put(), m.in.put(), m.out.put());
    if (hr != WBEM_S_NO_ERROR) break;
    m.name = name.str();
    methods.push_back(std::move(m));
  }
  cls->EndMethodEnumeration();
  if (FAILED(hr)) return hr;
  for (RawMethod& m : methods) {
    Bstr origin;
    bool local = SUCCEEDED(cls->GetMethodOrigin(m.name.c_str(), origin.put())) &&
                 FoldCase(origin.view()) == FoldCase(out->name);
    ComPtr<IWbemQualifierSet> mq;
    hr = cls->GetMethodQualifierSet(m.name.c_str(), mq.put());
    if (FAILED(hr) || !mq) return FAILED(hr) ? hr : static_cast<HRESULT>(WBEM_E_FAILED);
    if (!local && !HasLocalQualifier(mq.get())) continue;
    MethodSpec spec;
    spec.name = m.name;
    std::vector<SignatureParam> params;
    hr = ReadSignature(m.in.get(), false, &spec.returnType, &params);
    if (SUCCEEDED(hr)) hr = ReadSignature(m.out.get(), true, &spec.returnType, &params);
    if (FAILED(hr)) return hr;
    // Merge in/out halves of the same parameter, then order by ID.
    std::vector<SignatureParam> merged;
    for (auto& p : params) {
      auto same = std::find_if(merged.begin(), merged.end(), [&](const SignatureParam& m2) {
        return FoldCase(m2.spec.name) == FoldCase(p.spec.name);
      });
      if (same == merged.end()) {
        merged.push_back(std::move(p));
      } else {
        same->spec.in = same->spec.in || p.spec.in;
        same->spec.out = same->spec.out || p.spec.out;
      }
    }
    std::stable_sort(merged.begin(), merged.end(),
                     [](const SignatureParam& a, const SignatureParam& b) { return a.id < b.id; });
    for (auto& p : merged) spec.parameters.push_back(std::move(p.spec));
    hr = ReadQualifiers(mq.get(), {}, false, &spec.qualifiers);
    if (FAILED(hr)) return hr;
    out->methods.push_back(std::move(spec));
  }
  return S_OK;
}

HRESULT ReadProperties(IWbemClassObject* obj, long flags, NamedValues* out) {
  HRESULT hr = obj->BeginEnumeration(flags);
  if (FAILED(hr)) return hr;
  for (;;) {
    Bstr name;
    Variant v;
    CIMTYPE type = CIM_EMPTY;
    hr = obj->Next(0, name.put(), v.put(), &type, nullptr);
    if (hr != WBEM_S_NO_ERROR) break;
    Value value;
    hr = FromVariant(*v.get(), type, &value);
    if (FAILED(hr)) break;
    out->emplace_back(name.str(), std::move(value));
  }
  obj->EndEnumeration();
  return FAILED(hr) ? hr : S_OK;
}

}  // namespace

// Thread: any.
HRESULT PutQualifiers(IWbemQualifierSet* set, const std::vector<QualifierSpec>& qualifiers,
                      BuildFault* fault) {
  for (const auto& q : qualifiers) {
    Variant v;
    OleString why;
    HRESULT hr = UntypedToVariant(q.value, false, &v, &why);
    if (FAILED(hr)) return Fail(fault, hr, {}, Concat("qualifier ", q.name, ": ") + why);
    hr = set->Put(q.name.c_str(), v.get(), q.flavor & ~static_cast<long>(WBEM_FLAVOR_MASK_ORIGIN));
    if (FAILED(hr)) return Fail(fault, hr, {}, Concat("setting qualifier ", q.name, " failed"));
  }
  return S_OK;
}

// Thread: COM worker.
HRESULT ObjectBuilder::FillInstance(const CachedClass& cls, const NamedValues& properties,
                                    int depth, ComPtr<IWbemClassObject>* out,
                                    BuildFault* fault) {
  // Resolve and convert everything first: a bad value fails before any Put.
  std::vector<std::pair<const PropertyInfo*, Variant>> values;
  values.reserve(properties.size());
  for (const auto& [name, value] : properties) {
    const PropertyInfo* info = cls.Find(name);
    if (!info)
      return Fail(fault, WBEM_E_NOT_FOUND, name,
                  Concat("the class has no property ", name));
    Variant v;
    OleString why;
    HRESULT hr = ToVariant(value, info->type, info->interval, &v, &why, this, info->objectClass,
                           depth);
    if (FAILED(hr)) return Fail(fault, hr, info->name, std::move(why));
    values.emplace_back(info, std::move(v));
  }
  ComPtr<IWbemClassObject> inst;
  HRESULT hr = cls.object->SpawnInstance(0, inst.put());
  if (FAILED(hr)) return Fail(fault, hr, {}, ToOle("SpawnInstance failed"));
  for (auto& [info, v] : values) {
    // Our embedded instances take the converted value over instead of
    // copying it (plain Put for real WMI objects); v is not used afterwards.
    hr = embedded::PutTaking(inst.get(), info->name.c_str(), &v);
    if (FAILED(hr)) return Fail(fault, hr, info->name, Concat("Put of ", info->name, " failed"));
  }
  *out = std::move(inst);
  return S_OK;
}

// Thread: COM worker.
HRESULT ObjectBuilder::BuildInstance(const OleString& className, const NamedValues& properties,
                                     ComPtr<IWbemClassObject>* out, BuildFault* fault) noexcept {
  try {
    for (int attempt = 0;; ++attempt) {
      std::shared_ptr<const CachedClass> cls;
      bool fetched = false;
      HRESULT hr = cache_->Get(services_, className, &cls, &fetched);
      if (FAILED(hr)) return Fail(fault, hr, {}, Concat("class ", className, ": GetObject failed"));
      hr = FillInstance(*cls, properties, 0, out, fault);
      if (SUCCEEDED(hr)) return hr;
      bool maybeStale = hr == static_cast<HRESULT>(WBEM_E_INVALID_PROPERTY) ||
                        hr == static_cast<HRESULT>(WBEM_E_NOT_FOUND) ||
                        hr == static_cast<HRESULT>(WBEM_E_TYPE_MISMATCH);
      if (!maybeStale || fetched || attempt > 0) return hr;
      cache_->Invalidate(className);
    }
  } catch (const std::bad_alloc&) {
    return Fail(fault, WBEM_E_OUT_OF_MEMORY, {}, {});
  } catch (...) {
    return Fail(fault, WBEM_E_FAILED, {}, {});
  }
}

// Thread: COM worker.
HRESULT ObjectBuilder::Build(const ObjectValue& value, const OleString& defaultClass, int depth,
                             ComPtr<IWbemClassObject>* out, OleString* why) noexcept {
  try {
    const OleString& className = value.className.empty() ? defaultClass : value.className;
    if (className.empty()) {
      *why = ToOle("an embedded object needs __CLASS");
      return WBEM_E_TYPE_MISMATCH;
    }
    std::shared_ptr<const CachedClass> cls;
    HRESULT hr = cache_->Get(services_, className, &cls);
    if (FAILED(hr)) {
      *why = Concat("embedded object class ", className, ": GetObject failed with ") + HrText(hr);
      return WBEM_E_TYPE_MISMATCH;
    }
    BuildFault inner;
    hr = FillInstance(*cls, value.properties, depth, out, &inner);
    if (FAILED(hr)) {
      *why = Concat("embedded ", className, ".") + inner.property + ToOle(": ") + inner.message;
      return WBEM_E_TYPE_MISMATCH;
    }
    return S_OK;
  } catch (const std::bad_alloc&) {
    return WBEM_E_OUT_OF_MEMORY;
  } catch (...) {
    return WBEM_E_FAILED;
  }
}

// Thread: COM worker.
HRESULT ObjectBuilder::BuildSignature(const MethodSpec& method, bool outputs,
                                      ComPtr<IWbemClassObject>* out, BuildFault* fault) {
  bool any = outputs && method.returnType != CIM_EMPTY;
  for (const auto& p : method.parameters) any = any || (outputs ? p.out : p.in);
  if (!any) {
    out->reset();
    return S_OK;
  }
  ComPtr<IWbemClassObject> sig;
  HRESULT hr = services_->GetObject(nullptr, 0, nullptr, sig.put(), nullptr);
  if (FAILED(hr)) return Fail(fault, hr, {}, ToOle("GetObject(NULL) failed"));
  Variant name = Variant::FromBstr(ToOle("__PARAMETERS"));
  hr = sig->Put(OLESTR("__CLASS"), 0, name.get(), 0);
  if (FAILED(hr)) return Fail(fault, hr, {}, ToOle("naming __PARAMETERS failed"));
  for (size_t i = 0; i < method.parameters.size(); ++i) {
    const ParameterSpec& p = method.parameters[i];
    if (!(outputs ? p.out : p.in)) continue;
    Variant null = Variant::Null();
    hr = sig->Put(p.name.c_str(), 0, null.get(), p.type);
    if (FAILED(hr))
      return Fail(fault, hr, p.name, Concat("parameter ", p.name, " of ") + method.name);
    ComPtr<IWbemQualifierSet> quals;
    hr = sig->GetPropertyQualifierSet(p.name.c_str(), quals.put());
    if (FAILED(hr)) return Fail(fault, hr, p.name, ToOle("parameter qualifiers"));
    Variant id = Variant::FromI4(static_cast<int32_t>(i));
    Variant yes = Variant::FromBool(true);
    hr = quals->Put(OLESTR("ID"), id.get(), 0);
    if (SUCCEEDED(hr)) hr = quals->Put(outputs ? OLESTR("Out") : OLESTR("In"), yes.get(), 0);
    if (FAILED(hr)) return Fail(fault, hr, p.name, ToOle("ID/In/Out qualifiers"));
    hr = PutTypeQualifiers(quals.get(), p.type, p.refClass, p.objectClass, p.name, fault);
    if (FAILED(hr)) return hr;
    hr = PutQualifiers(quals.get(), p.qualifiers, fault);
    if (FAILED(hr)) return hr;
  }
  if (outputs && method.returnType != CIM_EMPTY) {
    Variant null = Variant::Null();
    hr = sig->Put(OLESTR("ReturnValue"), 0, null.get(), method.returnType);
    ComPtr<IWbemQualifierSet> quals;
    if (SUCCEEDED(hr)) hr = sig->GetPropertyQualifierSet(OLESTR("ReturnValue"), quals.put());
    Variant yes = Variant::FromBool(true);
    if (SUCCEEDED(hr)) hr = quals->Put(OLESTR("Out"), yes.get(), 0);
    if (FAILED(hr)) return Fail(fault, hr, {}, Concat("ReturnValue of ", method.name));
  }
  *out = std::move(sig);
  return S_OK;
}

// Thread: COM worker.
HRESULT ObjectBuilder::BuildClassImpl(const ClassSpec& spec, ComPtr<IWbemClassObject>* out,
                                      BuildFault* fault) {
  ComPtr<IWbemClassObject> cls;
  HRESULT hr;
  if (spec.superclass.empty()) {
    hr = services_->GetObject(nullptr, 0, nullptr, cls.put(), nullptr);
    if (FAILED(hr)) return Fail(fault, hr, {}, ToOle("GetObject(NULL) failed"));
  } else {
    Bstr parentPath{spec.superclass};
    ComPtr<IWbemClassObject> parent;
    hr = services_->GetObject(parentPath.get(), 0, nullptr, parent.put(), nullptr);
    if (FAILED(hr))
      return Fail(fault, hr, {}, Concat("superclass ", spec.superclass, ": GetObject failed"));
    hr = parent->SpawnDerivedClass(0, cls.put());
    if (FAILED(hr)) return Fail(fault, hr, {}, ToOle("SpawnDerivedClass failed"));
  }
  Variant name = Variant::FromBstr(spec.name);
  hr = cls->Put(OLESTR("__CLASS"), 0, name.get(), 0);
  if (FAILED(hr)) return Fail(fault, hr, {}, Concat("setting __CLASS to ", spec.name, " failed"));

  ComPtr<IWbemQualifierSet> classQuals;
  hr = cls->GetQualifierSet(classQuals.put());
  if (FAILED(hr)) return Fail(fault, hr, {}, ToOle("GetQualifierSet failed"));
  hr = PutQualifiers(classQuals.get(), spec.qualifiers, fault);
  if (FAILED(hr)) return hr;

  for (const PropertySpec& p : spec.properties) {
    Variant v = Variant::Null();
    if (p.hasDefault) {
      OleString why;
      hr = ToVariant(p.defaultValue, p.type, IntervalOf(p.qualifiers), &v, &why, this,
                     p.objectClass, 0);
      if (FAILED(hr)) return Fail(fault, hr, p.name, std::move(why));
    }
    hr = cls->Put(p.name.c_str(), 0, v.get(), p.type);
    if (FAILED(hr)) return Fail(fault, hr, p.name, Concat("Put of property ", p.name, " failed"));
    ComPtr<IWbemQualifierSet> quals;
    hr = cls->GetPropertyQualifierSet(p.name.c_str(), quals.put());
    if (FAILED(hr)) return Fail(fault, hr, p.name, ToOle("GetPropertyQualifierSet failed"));
    hr = PutTypeQualifiers(quals.get(), p.type, p.refClass, p.objectClass, p.name, fault);
    if (FAILED(hr)) return hr;
    if (p.key && !QualifierIsTrue(quals.get(), OLESTR("Key"))) {
      Variant yes = Variant::FromBool(true);
      hr = quals->Put(OLESTR("Key"), yes.get(), kKeyFlavor);
      if (FAILED(hr)) return Fail(fault, hr, p.name, ToOle("setting Key failed"));
    }
    hr = PutQualifiers(quals.get(), p.qualifiers, fault);
    if (FAILED(hr)) {
      if (fault && fault->property.empty()) fault->property = p.name;
      return hr;
    }
  }

  for (const MethodSpec& m : spec.methods) {
    ComPtr<IWbemClassObject> in, outSig;
    hr = BuildSignature(m, false, &in, fault);
    if (SUCCEEDED(hr)) hr = BuildSignature(m, true, &outSig, fault);
    if (FAILED(hr)) return hr;
    hr = cls->PutMethod(m.name.c_str(), 0, in.get(), outSig.get());
    if (FAILED(hr)) return Fail(fault, hr, {}, Concat("PutMethod ", m.name, " failed"));
    ComPtr<IWbemQualifierSet> mq;
    hr = cls->GetMethodQualifierSet(m.name.c_str(), mq.put());
    if (FAILED(hr)) return Fail(fault, hr, {}, ToOle("GetMethodQualifierSet failed"));
    hr = PutQualifiers(mq.get(), m.qualifiers, fault);
    if (FAILED(hr)) return hr;
  }
  *out = std::move(cls);
  return S_OK;
}

// Thread: COM worker.
HRESULT ObjectBuilder::BuildClass(const ClassSpec& spec, ComPtr<IWbemClassObject>* out,
                                  BuildFault* fault) noexcept {
  try {
    return BuildClassImpl(spec, out, fault);
  } catch (const std::bad_alloc&) {
    return Fail(fault, WBEM_E_OUT_OF_MEMORY, {}, {});
  } catch (...) {
    return Fail(fault, WBEM_E_FAILED, {}, {});
  }
}

// Thread: any.
HRESULT ToClassSpec(IWbemClassObject* cls, ClassSpec* out) noexcept {
  if (!cls) return WBEM_E_INVALID_PARAMETER;
  try {
    return ClassSpecOf(cls, out);
  } catch (const std::bad_alloc&) {
    return WBEM_E_OUT_OF_MEMORY;
  } catch (...) {
    return WBEM_E_FAILED;
  }
}

// Thread: any.
HRESULT ToObjectRecord(IWbemClassObject* obj, ObjectRecord* out) noexcept {
  if (!obj) return WBEM_E_INVALID_PARAMETER;
  try {
    Variant genus;
    HRESULT hr = obj->Get(OLESTR("__GENUS"), 0, genus.put(), nullptr, nullptr);
    if (FAILED(hr)) return hr;
    out->isClass = genus.vt() == VT_I4 && genus.get()->lVal == WBEM_GENUS_CLASS;
    if (out->isClass) {
      auto spec = std::make_shared<ClassSpec>();
      hr = ClassSpecOf(obj, spec.get());
      if (FAILED(hr)) return hr;
      out->classSpec = std::move(spec);
    } else {
      hr = ReadProperties(obj, WBEM_FLAG_NONSYSTEM_ONLY, &out->properties);
      if (FAILED(hr)) return hr;
    }
    return ReadProperties(obj, WBEM_FLAG_SYSTEM_ONLY, &out->properties);
  } catch (const std::bad_alloc&) {
    return WBEM_E_OUT_OF_MEMORY;
  } catch (...) {
    return WBEM_E_FAILED;
  }
}

}  // namespace wmiput::client
