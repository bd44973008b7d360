#include "embedded/storage_codec.h"

#include "embedded/class_object.h"

namespace wmiput::embedded::storage {
namespace {

constexpr uint32_t kNullString = 0xFFFFFFFFu;
constexpr int kMaxDepth = 64;  // nesting of embedded objects / inherited qualifiers

// Bytes of one element of `vt` in a VARIANT's union or a SAFEARRAY's data;
// 0 for types stored by pointer or not supported.
size_t FixedSize(VARTYPE vt) noexcept {
  switch (vt) {
    case VT_I1: case VT_UI1: return 1;
    case VT_I2: case VT_UI2: case VT_BOOL: return 2;
    case VT_I4: case VT_UI4: case VT_INT: case VT_UINT: case VT_R4: case VT_ERROR: return 4;
    case VT_I8: case VT_UI8: case VT_R8: case VT_DATE: case VT_CY: return 8;
    default: return 0;
  }
}

bool IsObjectType(VARTYPE vt) noexcept { return vt == VT_UNKNOWN || vt == VT_DISPATCH; }

bool EncodeClassAt(Encoder& e, const ClassData& c, int depth);
bool DecodeClassAt(Decoder& d, ClassData* out, int depth);
bool EncodeInstanceAt(Encoder& e, const InstanceData& inst, int depth);
bool DecodeInstanceAt(Decoder& d, InstanceData* out, int depth);
bool EncodeVariantAt(Encoder& e, const VARIANT& v, int depth);
bool DecodeVariantAt(Decoder& d, com::Variant* out, int depth);
bool EncodeQualifiersAt(Encoder& e, const QualifierList& list, int depth);
bool DecodeQualifiersAt(Decoder& d, QualifierList* out, int depth);

// Thread: any.
void EncodeBstr(Encoder& e, BSTR b) {
  if (!b) {
    e.U32(kNullString);
    return;
  }
  const UINT n = SysStringLen(b);
  e.U32(static_cast<uint32_t>(n));
  e.Raw(b, n * sizeof(OLECHAR));
}

// Thread: any. A new BSTR (null for the null marker); false on bad data.
bool DecodeBstr(Decoder& d, BSTR* out) {
  *out = nullptr;
  const uint32_t n = d.U32();
  if (!d.ok()) return false;
  if (n == kNullString) return true;
  if (d.remaining() / sizeof(OLECHAR) < n) {
    d.Fail();
    return false;
  }
  BSTR b = SysAllocStringLen(nullptr, n);
  if (!b) throw std::bad_alloc();
  d.Raw(b, n * sizeof(OLECHAR));
  *out = b;
  return true;
}

// Thread: any. 0 = null, 1 = class, 2 = instance.
bool EncodeObject(Encoder& e, IUnknown* unk, int depth) {
  if (!unk) {
    e.U8(0);
    return true;
  }
  if (depth > kMaxDepth) return false;
  com::ComPtr<IWbemClassObject> obj;
  void* raw = nullptr;
  if (FAILED(unk->QueryInterface(IID_IWbemClassObject, &raw)) || !raw) return false;
  obj = com::ComPtr<IWbemClassObject>::Adopt(static_cast<IWbemClassObject*>(raw));
  ClassObjectView* view = ViewOf(obj.get());
  if (!view) return false;  // a foreign object: nothing to serialise it with
  if (view->IsClass()) {
    e.U8(1);
    return EncodeClassAt(e, view->Class(), depth + 1);
  }
  e.U8(2);
  return EncodeInstanceAt(e, view->Instance(), depth + 1);
}

// Thread: any. *out gets a new reference (null for the null marker).
bool DecodeObject(Decoder& d, com::ComPtr<IWbemClassObject>* out, int depth) {
  out->reset();
  const uint8_t kind = d.U8();
  if (!d.ok() || depth > kMaxDepth) return false;
  if (kind == 0) return true;
  if (kind == 1) {
    ClassData c;
    if (!DecodeClassAt(d, &c, depth + 1)) return false;
    *out = NewClassObject(std::move(c));
    return static_cast<bool>(*out);
  }
  if (kind == 2) {
    InstanceData inst;
    if (!DecodeInstanceAt(d, &inst, depth + 1)) return false;
    *out = NewInstanceObject(std::move(inst));
    return static_cast<bool>(*out);
  }
  d.Fail();
  return false;
}

// Thread: any. One element of type `vt` stored at `p` (VARIANT union or array slot).
bool EncodeElement(Encoder& e, VARTYPE vt, const void* p, int depth) {
  if (const size_t n = FixedSize(vt)) {
    e.Raw(p, n);
    return true;
  }
  if (vt == VT_BSTR) {
    BSTR b;
    std::memcpy(&b, p, sizeof b);
    EncodeBstr(e, b);
    return true;
  }
  if (IsObjectType(vt)) {
    IUnknown* u;
    std::memcpy(&u, p, sizeof u);
    return EncodeObject(e, u, depth);
  }
  if (vt == VT_VARIANT) return EncodeVariantAt(e, *static_cast<const VARIANT*>(p), depth);
  return false;
}

// Thread: any. Writes one element of `vt` into zeroed storage at `p`
// (ownership of a BSTR or interface goes to that storage).
bool DecodeElement(Decoder& d, VARTYPE vt, void* p, int depth) {
  if (const size_t n = FixedSize(vt)) {
    d.Raw(p, n);
    return d.ok();
  }
  if (vt == VT_BSTR) {
    BSTR b = nullptr;
    if (!DecodeBstr(d, &b)) return false;
    std::memcpy(p, &b, sizeof b);
    return true;
  }
  if (IsObjectType(vt)) {
    com::ComPtr<IWbemClassObject> obj;
    if (!DecodeObject(d, &obj, depth)) return false;
    IUnknown* u = obj.detach();
    std::memcpy(p, &u, sizeof u);
    return true;
  }
  if (vt == VT_VARIANT) {
    com::Variant v;
    if (!DecodeVariantAt(d, &v, depth)) return false;
    VARIANT* slot = static_cast<VARIANT*>(p);
    *slot = v.detach();
    return true;
  }
  d.Fail();
  return false;
}

// Thread: any.
bool EncodeVariantAt(Encoder& e, const VARIANT& v, int depth) {
  if (depth > kMaxDepth) return false;
  const VARTYPE vt = v.vt;
  e.U16(vt);
  if (vt == VT_EMPTY || vt == VT_NULL) return true;
  if (vt & VT_ARRAY) {
    const VARTYPE et = static_cast<VARTYPE>(vt & ~VT_ARRAY);
    if (vt & VT_BYREF) return false;
    SAFEARRAY* sa = v.parray;
    if (!sa) {
      e.U8(0);
      return true;
    }
    e.U8(1);
    if (SafeArrayGetDim(sa) != 1) return false;
    LONG lb = 0, ub = -1;
    if (FAILED(SafeArrayGetLBound(sa, 1, &lb)) || FAILED(SafeArrayGetUBound(sa, 1, &ub))) return false;
    const uint32_t count = ub >= lb ? static_cast<uint32_t>(ub - lb + 1) : 0;
    e.U32(static_cast<uint32_t>(lb));
    e.U32(count);
    if (count == 0) return true;
    const size_t size = SafeArrayGetElemsize(sa);
    void* data = nullptr;
    if (FAILED(SafeArrayAccessData(sa, &data))) return false;
    bool ok = true;
    const size_t fixed = FixedSize(et);
    if (fixed && fixed == size) {
      e.Raw(data, fixed * count);
    } else {
      for (uint32_t i = 0; i < count && ok; ++i)
        ok = EncodeElement(e, et, static_cast<const uint8_t*>(data) + i * size, depth);
    }
    SafeArrayUnaccessData(sa);
    return ok;
  }
  if (vt & VT_BYREF) return false;
  return EncodeElement(e, vt, &v.llVal, depth);
}

// Thread: any.
bool DecodeVariantAt(Decoder& d, com::Variant* out, int depth) {
  if (depth > kMaxDepth) return false;
  const VARTYPE vt = d.U16();
  if (!d.ok()) return false;
  VARIANT* v = out->put();
  if (vt == VT_EMPTY || vt == VT_NULL) {
    v->vt = vt;
    return true;
  }
  if (vt & VT_ARRAY) {
    const VARTYPE et = static_cast<VARTYPE>(vt & ~VT_ARRAY);
    const uint8_t present = d.U8();
    if (!d.ok()) return false;
    if (!present) {
      v->vt = vt;
      v->parray = nullptr;
      return true;
    }
    const LONG lb = static_cast<LONG>(d.U32());
    const uint32_t count = d.U32();
    if (!d.ok() || count > d.remaining()) {  // every element takes at least a byte
      d.Fail();
      return false;
    }
    const size_t fixed = FixedSize(et);
    if (!fixed && et != VT_BSTR && !IsObjectType(et) && et != VT_VARIANT) {
      d.Fail();
      return false;
    }
    com::SafeArray sa = com::SafeArray::Adopt(SafeArrayCreateVector(et, lb, count));
    if (!sa) throw std::bad_alloc();
    if (count) {
      void* data = nullptr;
      if (FAILED(SafeArrayAccessData(sa.get(), &data))) return false;
      const size_t size = SafeArrayGetElemsize(sa.get());
      bool ok = true;
      if (fixed && fixed == size) {
        d.Raw(data, fixed * count);
        ok = d.ok();
      } else {
        for (uint32_t i = 0; i < count && ok; ++i)
          ok = DecodeElement(d, et, static_cast<uint8_t*>(data) + i * size, depth);
      }
      SafeArrayUnaccessData(sa.get());
      if (!ok) return false;
    }
    v->vt = vt;
    v->parray = sa.detach();
    return true;
  }
  if (!FixedSize(vt) && vt != VT_BSTR && !IsObjectType(vt)) {
    d.Fail();
    return false;
  }
  v->llVal = 0;
  if (!DecodeElement(d, vt, &v->llVal, depth)) return false;
  v->vt = vt;
  return true;
}

// Thread: any.
bool EncodeQualifierAt(Encoder& e, const Qualifier& q, int depth) {
  if (depth > kMaxDepth) return false;
  e.Str(q.name);
  if (!EncodeVariantAt(e, *q.value.get(), depth)) return false;
  e.U32(static_cast<uint32_t>(q.flavor));
  e.U8(q.propagated ? 1 : 0);
  e.U8(q.inherited ? 1 : 0);
  return !q.inherited || EncodeQualifierAt(e, *q.inherited, depth + 1);
}

// Thread: any.
bool DecodeQualifierAt(Decoder& d, Qualifier* q, int depth) {
  if (depth > kMaxDepth) return false;
  q->name = d.Str();
  if (!DecodeVariantAt(d, &q->value, depth)) return false;
  q->flavor = static_cast<long>(static_cast<int32_t>(d.U32()));
  q->propagated = d.U8() != 0;
  const uint8_t inherited = d.U8();
  if (!d.ok()) return false;
  if (inherited) {
    auto parent = std::make_shared<Qualifier>();
    if (!DecodeQualifierAt(d, parent.get(), depth + 1)) return false;
    q->inherited = std::move(parent);
  }
  return true;
}

// Thread: any.
bool EncodeQualifiersAt(Encoder& e, const QualifierList& list, int depth) {
  e.U32(static_cast<uint32_t>(list.size()));
  for (const Qualifier& q : list)
    if (!EncodeQualifierAt(e, q, depth)) return false;
  return true;
}

// Thread: any.
bool DecodeQualifiersAt(Decoder& d, QualifierList* out, int depth) {
  const uint32_t n = d.U32();
  if (!d.ok() || n > d.remaining()) {
    d.Fail();
    return false;
  }
  out->clear();
  out->resize(n);
  for (uint32_t i = 0; i < n; ++i)
    if (!DecodeQualifierAt(d, &(*out)[i], depth)) return false;
  return true;
}

// Thread: any.
bool EncodeClassAt(Encoder& e, const ClassData& c, int depth) {
  if (depth > kMaxDepth) return false;
  e.Str(c.name);
  e.Str(c.superclass);
  e.U32(static_cast<uint32_t>(c.derivation.size()));
  for (const OleString& s : c.derivation) e.Str(s);
  if (!EncodeQualifiersAt(e, c.qualifiers, depth)) return false;
  e.U32(static_cast<uint32_t>(c.properties.size()));
  for (const Property& p : c.properties) {
    e.Str(p.name);
    e.U32(static_cast<uint32_t>(p.type));
    if (!EncodeVariantAt(e, *p.value.get(), depth)) return false;
    if (!EncodeQualifiersAt(e, p.qualifiers, depth)) return false;
    e.Str(p.origin);
    e.U8(p.propagated ? 1 : 0);
  }
  e.U32(static_cast<uint32_t>(c.methods.size()));
  for (const Method& m : c.methods) {
    e.Str(m.name);
    e.U8(m.inParams ? 1 : 0);
    if (m.inParams && !EncodeClassAt(e, *m.inParams, depth + 1)) return false;
    e.U8(m.outParams ? 1 : 0);
    if (m.outParams && !EncodeClassAt(e, *m.outParams, depth + 1)) return false;
    if (!EncodeQualifiersAt(e, m.qualifiers, depth)) return false;
    e.Str(m.origin);
    e.U8(m.propagated ? 1 : 0);
  }
  e.Str(c.location.server);
  e.Str(c.location.nameSpace);
  return true;
}

// Thread: any.
bool DecodeParams(Decoder& d, std::shared_ptr<const ClassData>* out, int depth) {
  const uint8_t present = d.U8();
  if (!d.ok()) return false;
  if (!present) {
    out->reset();
    return true;
  }
  auto c = std::make_shared<ClassData>();
  if (!DecodeClassAt(d, c.get(), depth + 1)) return false;
  *out = std::move(c);
  return true;
}

// Thread: any.
bool DecodeClassAt(Decoder& d, ClassData* out, int depth) {
  if (depth > kMaxDepth) return false;
  ClassData c;
  c.name = d.Str();
  c.superclass = d.Str();
  uint32_t n = d.U32();
  if (!d.ok() || n > d.remaining()) return d.Fail(), false;
  c.derivation.resize(n);
  for (uint32_t i = 0; i < n; ++i) c.derivation[i] = d.Str();
  if (!DecodeQualifiersAt(d, &c.qualifiers, depth)) return false;
  n = d.U32();
  if (!d.ok() || n > d.remaining()) return d.Fail(), false;
  c.properties.resize(n);
  for (Property& p : c.properties) {
    p.name = d.Str();
    p.type = static_cast<CIMTYPE>(d.U32());
    if (!DecodeVariantAt(d, &p.value, depth)) return false;
    if (!DecodeQualifiersAt(d, &p.qualifiers, depth)) return false;
    p.origin = d.Str();
    p.propagated = d.U8() != 0;
  }
  n = d.U32();
  if (!d.ok() || n > d.remaining()) return d.Fail(), false;
  c.methods.resize(n);
  for (Method& m : c.methods) {
    m.name = d.Str();
    if (!DecodeParams(d, &m.inParams, depth)) return false;
    if (!DecodeParams(d, &m.outParams, depth)) return false;
    if (!DecodeQualifiersAt(d, &m.qualifiers, depth)) return false;
    m.origin = d.Str();
    m.propagated = d.U8() != 0;
  }
  c.location.server = d.Str();
  c.location.nameSpace = d.Str();
  if (!d.ok()) return false;
  *out = std::move(c);
  return true;
}

// Thread: any.
bool EncodeInstanceAt(Encoder& e, const InstanceData& inst, int depth) {
  if (!inst.cls || depth > kMaxDepth) return false;
  if (!EncodeClassAt(e, *inst.cls, depth)) return false;
  e.U32(static_cast<uint32_t>(inst.values.size()));
  for (const com::Variant& v : inst.values)
    if (!EncodeVariantAt(e, *v.get(), depth)) return false;
  e.U32(static_cast<uint32_t>(inst.modified.size()));
  for (bool b : inst.modified) e.U8(b ? 1 : 0);
  if (!EncodeQualifiersAt(e, inst.qualifiers, depth)) return false;
  e.U32(static_cast<uint32_t>(inst.propertyQualifiers.size()));
  for (const QualifierList& q : inst.propertyQualifiers)
    if (!EncodeQualifiersAt(e, q, depth)) return false;
  e.Str(inst.location.server);
  e.Str(inst.location.nameSpace);
  return true;
}

// Thread: any.
bool DecodeInstanceAt(Decoder& d, InstanceData* out, int depth) {
  if (depth > kMaxDepth) return false;
  auto cls = std::make_shared<ClassData>();
  if (!DecodeClassAt(d, cls.get(), depth)) return false;
  InstanceData inst;
  inst.cls = std::move(cls);
  uint32_t n = d.U32();
  if (!d.ok() || n > d.remaining()) return d.Fail(), false;
  inst.values.resize(n);
  for (com::Variant& v : inst.values)
    if (!DecodeVariantAt(d, &v, depth)) return false;
  n = d.U32();
  if (!d.ok() || n > d.remaining()) return d.Fail(), false;
  inst.modified.resize(n);
  for (uint32_t i = 0; i < n; ++i) inst.modified[i] = d.U8() != 0;
  if (!DecodeQualifiersAt(d, &inst.qualifiers, depth)) return false;
  n = d.U32();
  if (!d.ok() || n > d.remaining()) return d.Fail(), false;
  inst.propertyQualifiers.resize(n);
  for (QualifierList& q : inst.propertyQualifiers)
    if (!DecodeQualifiersAt(d, &q, depth)) return false;
  inst.location.server = d.Str();
  inst.location.nameSpace = d.Str();
  if (!d.ok()) return false;
  *out = std::move(inst);
  return true;
}

}  // namespace

// Thread: any.
OleString Decoder::Str() {
  const uint8_t* data = nullptr;
  uint32_t n = 0;
  if (!StrRaw(&data, &n)) return OleString();
  OleString s(n, OLECHAR(0));
  if (n) std::memcpy(&s[0], data, n * sizeof(OLECHAR));
  return s;
}

// Thread: any.
bool Decoder::StrRaw(const uint8_t** data, uint32_t* units) noexcept {
  const uint32_t n = U32();
  if (!ok_ || remaining() / sizeof(OLECHAR) < n) {
    Fail();
    return false;
  }
  *data = p_;
  *units = n;
  p_ += static_cast<size_t>(n) * sizeof(OLECHAR);
  return true;
}

// Thread: any. A top-level decoder that failed marks its Decoder failed.
static bool Failed(Decoder& d) {
  d.Fail();
  return false;
}
bool EncodeVariant(Encoder& e, const VARIANT& v) { return EncodeVariantAt(e, v, 0); }
bool DecodeVariant(Decoder& d, com::Variant* out) { return DecodeVariantAt(d, out, 0) || Failed(d); }
bool EncodeQualifiers(Encoder& e, const QualifierList& list) { return EncodeQualifiersAt(e, list, 0); }
bool DecodeQualifiers(Decoder& d, QualifierList* out) {
  return DecodeQualifiersAt(d, out, 0) || Failed(d);
}
bool EncodeClass(Encoder& e, const ClassData& c) { return EncodeClassAt(e, c, 0); }
bool DecodeClass(Decoder& d, ClassData* out) { return DecodeClassAt(d, out, 0) || Failed(d); }
bool EncodeInstanceData(Encoder& e, const InstanceData& inst) { return EncodeInstanceAt(e, inst, 0); }
bool DecodeInstanceData(Decoder& d, InstanceData* out) {
  return DecodeInstanceAt(d, out, 0) || Failed(d);
}

}  // namespace wmiput::embedded::storage
