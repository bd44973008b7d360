#include "embedded/value_rules.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

#include "embedded/datetime.h"
#include "embedded/names.h"
#include "embedded/object_path.h"

namespace wmiput::embedded {

namespace {

// An integer read from a VARIANT as sign + magnitude (covers the whole of
// int64 and uint64).
struct Int {
  bool negative = false;
  uint64_t magnitude = 0;
};

// Thread: any.
Int FromSigned(int64_t v) {
  Int r;
  r.negative = v < 0;
  r.magnitude = v < 0 ? static_cast<uint64_t>(-(v + 1)) + 1 : static_cast<uint64_t>(v);
  return r;
}
// Thread: any.
Int FromUnsigned(uint64_t v) {
  Int r;
  r.magnitude = v;
  return r;
}

// Thread: any.
bool IsIntegerVt(VARTYPE vt) {
  switch (vt) {
    case VT_I1: case VT_UI1: case VT_I2: case VT_UI2: case VT_I4: case VT_UI4:
    case VT_INT: case VT_UINT: case VT_I8: case VT_UI8:
      return true;
    default:
      return false;
  }
}

// Reads an integer VARTYPE; with allowReal also an integral finite VT_R4/VT_R8.
// Thread: any.
bool ReadInt(const VARIANT& v, bool allowReal, Int* out) {
  switch (v.vt) {
    case VT_I1: *out = FromSigned(v.cVal); return true;
    case VT_UI1: *out = FromUnsigned(v.bVal); return true;
    case VT_I2: *out = FromSigned(v.iVal); return true;
    case VT_UI2: *out = FromUnsigned(v.uiVal); return true;
    case VT_I4: *out = FromSigned(v.lVal); return true;
    case VT_UI4: *out = FromUnsigned(v.ulVal); return true;
    case VT_INT: *out = FromSigned(v.intVal); return true;
    case VT_UINT: *out = FromUnsigned(v.uintVal); return true;
    case VT_I8: *out = FromSigned(v.llVal); return true;
    case VT_UI8: *out = FromUnsigned(v.ullVal); return true;
    case VT_R4:
    case VT_R8: {
      if (!allowReal) return false;
      double d = v.vt == VT_R4 ? static_cast<double>(v.fltVal) : v.dblVal;
      if (!std::isfinite(d) || std::trunc(d) != d) return false;
      // 2^64 is exactly representable; everything below it converts exactly.
      if (std::fabs(d) >= 18446744073709551616.0) return false;
      out->negative = d < 0;
      out->magnitude = static_cast<uint64_t>(std::fabs(d));
      if (out->magnitude == 0) out->negative = false;
      return true;
    }
    default:
      return false;
  }
}

// lo <= value <= hi, for lo in int64 and hi in uint64.
// Thread: any.
bool InRange(const Int& v, int64_t lo, uint64_t hi) {
  if (v.negative) {
    if (lo >= 0) return false;
    uint64_t maxMag = static_cast<uint64_t>(-(lo + 1)) + 1;
    return v.magnitude <= maxMag;
  }
  return v.magnitude <= hi;
}

// Thread: any.
int64_t ToSigned(const Int& v) {
  if (!v.negative) return static_cast<int64_t>(v.magnitude);
  if (v.magnitude == (uint64_t{1} << 63)) return std::numeric_limits<int64_t>::min();
  return -static_cast<int64_t>(v.magnitude);
}

// Thread: any.
OleStringView BstrView(BSTR b) {
  return b ? OleStringView(b, SysStringLen(b)) : OleStringView();
}

// Thread: any.
OleString Ascii(const std::string& s) { return OleString(s.begin(), s.end()); }

// Thread: any.
OleString FormatInt(const Int& v) {
  std::string s = std::to_string(v.magnitude);
  if (v.negative && v.magnitude != 0) s.insert(s.begin(), '-');
  return Ascii(s);
}

// Decimal text: optional '-' (when allowMinus), then one or more ASCII digits.
// Thread: any.
bool ParseDecimal(OleStringView s, bool allowMinus, Int* out) {
  size_t i = 0;
  Int r;
  if (!s.empty() && s[0] == u'-' && allowMinus) {
    r.negative = true;
    i = 1;
  }
  if (i == s.size()) return false;
  for (; i < s.size(); ++i) {
    OLECHAR c = s[i];
    if (c < u'0' || c > u'9') return false;
    uint64_t d = static_cast<uint64_t>(c - u'0');
    if (r.magnitude > (std::numeric_limits<uint64_t>::max() - d) / 10) return false;
    r.magnitude = r.magnitude * 10 + d;
  }
  if (r.magnitude == 0) r.negative = false;
  *out = r;
  return true;
}

// True when `s` (already accepted by ParseDecimal) is exactly what FormatInt
// prints for its value: no leading zeros and no "-0".
// Thread: any.
bool IsCanonicalDecimal(OleStringView s) {
  const size_t i = !s.empty() && s[0] == u'-' ? 1 : 0;
  if (i >= s.size()) return false;
  if (s[i] == u'0') return i == 0 && s.size() == 1;
  return true;
}

// Thread: any.
bool IsElementType(CIMTYPE t) {
  switch (t) {
    case CIM_SINT8: case CIM_UINT8: case CIM_SINT16: case CIM_UINT16:
    case CIM_SINT32: case CIM_UINT32: case CIM_SINT64: case CIM_UINT64:
    case CIM_REAL32: case CIM_REAL64: case CIM_BOOLEAN: case CIM_STRING:
    case CIM_DATETIME: case CIM_REFERENCE: case CIM_CHAR16: case CIM_OBJECT:
      return true;
    default:
      return false;
  }
}

// Thread: any.
VARTYPE ElementVarType(CIMTYPE t) {
  switch (t) {
    case CIM_SINT8: case CIM_SINT16: case CIM_CHAR16: return VT_I2;
    case CIM_UINT8: return VT_UI1;
    case CIM_UINT16: case CIM_SINT32: case CIM_UINT32: return VT_I4;
    case CIM_SINT64: case CIM_UINT64: case CIM_STRING: case CIM_DATETIME:
    case CIM_REFERENCE: return VT_BSTR;
    case CIM_REAL32: return VT_R4;
    case CIM_REAL64: return VT_R8;
    case CIM_BOOLEAN: return VT_BOOL;
    case CIM_OBJECT: return VT_UNKNOWN;
    default: return VT_EMPTY;
  }
}

// Clones the IWbemClassObject behind `unk` (which may be null: *out stays null).
// Thread: any.
HRESULT CloneObject(IUnknown* unk, com::ComPtr<IWbemClassObject>* out) {
  out->reset();
  if (!unk) return S_OK;
  com::ComPtr<IWbemClassObject> obj;
  if (FAILED(com::ComPtr<IUnknown>::Share(unk).As(&obj)) || !obj) return WBEM_E_TYPE_MISMATCH;
  HRESULT hr = obj->Clone(out->put());
  if (FAILED(hr)) return hr;
  return *out ? S_OK : static_cast<HRESULT>(WBEM_E_FAILED);
}

// One scalar (or one array element when inArray).
// Thread: any.
HRESULT CoerceScalar(CIMTYPE t, const VARIANT& in, bool interval, bool inArray,
                     com::Variant* out) {
  const bool allowReal = !inArray;
  Int n;
  switch (t) {
    case CIM_SINT8:
      if (!ReadInt(in, allowReal, &n) || !InRange(n, -128, 127)) return WBEM_E_TYPE_MISMATCH;
      *out = com::Variant::FromI2(static_cast<int16_t>(ToSigned(n)));
      return S_OK;
    case CIM_UINT8:
      if (!ReadInt(in, allowReal, &n) || !InRange(n, 0, 255)) return WBEM_E_TYPE_MISMATCH;
      *out = com::Variant::FromUI1(static_cast<uint8_t>(n.magnitude));
      return S_OK;
    case CIM_SINT16:
      if (!ReadInt(in, allowReal, &n) || !InRange(n, -32768, 32767)) return WBEM_E_TYPE_MISMATCH;
      *out = com::Variant::FromI2(static_cast<int16_t>(ToSigned(n)));
      return S_OK;
    case CIM_UINT16:
      if (!ReadInt(in, allowReal, &n) || !InRange(n, 0, 65535)) return WBEM_E_TYPE_MISMATCH;
      *out = com::Variant::FromI4(static_cast<int32_t>(n.magnitude));
      return S_OK;
    case CIM_CHAR16:
      if (in.vt == VT_I2) {
        *out = com::Variant::FromI2(in.iVal);
        return S_OK;
      }
      if (!ReadInt(in, allowReal, &n) || !InRange(n, 0, 65535)) return WBEM_E_TYPE_MISMATCH;
      *out = com::Variant::FromI2(static_cast<int16_t>(static_cast<uint16_t>(n.magnitude)));
      return S_OK;
    case CIM_SINT32:
      if (!ReadInt(in, allowReal, &n) || !InRange(n, INT32_MIN, INT32_MAX))
        return WBEM_E_TYPE_MISMATCH;
      *out = com::Variant::FromI4(static_cast<int32_t>(ToSigned(n)));
      return S_OK;
    case CIM_UINT32:
      // Documented: VT_I2 is refused for uint32 (and so is VT_I1).
      if (in.vt == VT_I2 || in.vt == VT_I1) return WBEM_E_TYPE_MISMATCH;
      if (in.vt == VT_I4) {
        *out = com::Variant::FromI4(in.lVal);  // same bits
        return S_OK;
      }
      if (!ReadInt(in, allowReal, &n) || !InRange(n, 0, UINT32_MAX)) return WBEM_E_TYPE_MISMATCH;
      *out = com::Variant::FromI4(static_cast<int32_t>(static_cast<uint32_t>(n.magnitude)));
      return S_OK;
    case CIM_SINT64:
    case CIM_UINT64: {
      const bool isSigned = t == CIM_SINT64;
      if (in.vt == VT_BSTR) {
        if (!ParseDecimal(BstrView(in.bstrVal), isSigned, &n)) return WBEM_E_TYPE_MISMATCH;
      } else if (!IsIntegerVt(in.vt) || !ReadInt(in, false, &n)) {
        return WBEM_E_TYPE_MISMATCH;
      }
      if (isSigned ? !InRange(n, INT64_MIN, INT64_MAX) : !InRange(n, 0, UINT64_MAX))
        return WBEM_E_TYPE_MISMATCH;
      if (in.vt == VT_BSTR && IsCanonicalDecimal(BstrView(in.bstrVal))) {
        // Already what FormatInt would print: one copy, no reformatting.
        *out = com::Variant::FromBstr(BstrView(in.bstrVal));
        return S_OK;
      }
      *out = com::Variant::FromBstr(FormatInt(n));
      return S_OK;
    }
    case CIM_REAL32: {
      if (in.vt == VT_R4) {
        *out = com::Variant::FromR4(in.fltVal);
        return S_OK;
      }
      if (in.vt == VT_R8) {
        double d = in.dblVal;
        if (std::isfinite(d) && std::fabs(d) > static_cast<double>(std::numeric_limits<float>::max()))
          return WBEM_E_TYPE_MISMATCH;
        *out = com::Variant::FromR4(static_cast<float>(d));
        return S_OK;
      }
      if (!IsIntegerVt(in.vt) || !ReadInt(in, false, &n)) return WBEM_E_TYPE_MISMATCH;
      double d = static_cast<double>(n.magnitude);
      *out = com::Variant::FromR4(static_cast<float>(n.negative ? -d : d));
      return S_OK;
    }
    case CIM_REAL64: {
      if (in.vt == VT_R8) {
        *out = com::Variant::FromR8(in.dblVal);
        return S_OK;
      }
      if (in.vt == VT_R4) {
        *out = com::Variant::FromR8(static_cast<double>(in.fltVal));
        return S_OK;
      }
      if (!IsIntegerVt(in.vt) || !ReadInt(in, false, &n)) return WBEM_E_TYPE_MISMATCH;
      double d = static_cast<double>(n.magnitude);
      *out = com::Variant::FromR8(n.negative ? -d : d);
      return S_OK;
    }
    case CIM_BOOLEAN:
      if (in.vt != VT_BOOL || (in.boolVal != VARIANT_TRUE && in.boolVal != VARIANT_FALSE))
        return WBEM_E_TYPE_MISMATCH;
      *out = com::Variant::FromBool(in.boolVal == VARIANT_TRUE);
      return S_OK;
    case CIM_STRING:
      if (in.vt != VT_BSTR) return WBEM_E_TYPE_MISMATCH;
      *out = com::Variant::FromBstr(BstrView(in.bstrVal));
      return S_OK;
    case CIM_DATETIME: {
      if (in.vt != VT_BSTR) return WBEM_E_TYPE_MISMATCH;
      OleStringView s = BstrView(in.bstrVal);
      if (interval ? !IsValidInterval(s) : !IsValidDateTimeOrInterval(s))
        return WBEM_E_TYPE_MISMATCH;
      *out = com::Variant::FromBstr(s);
      return S_OK;
    }
    case CIM_REFERENCE: {
      if (in.vt != VT_BSTR) return WBEM_E_TYPE_MISMATCH;
      OleStringView s = BstrView(in.bstrVal);
      ObjectPath path;
      HRESULT hr = ParseObjectPath(s, &path);
      if (hr == static_cast<HRESULT>(WBEM_E_OUT_OF_MEMORY)) return hr;
      if (FAILED(hr)) return WBEM_E_TYPE_MISMATCH;
      *out = com::Variant::FromBstr(s);
      return S_OK;
    }
    case CIM_OBJECT: {
      if (in.vt != VT_UNKNOWN && in.vt != VT_DISPATCH) return WBEM_E_TYPE_MISMATCH;
      IUnknown* unk = in.vt == VT_UNKNOWN ? in.punkVal : static_cast<IUnknown*>(in.pdispVal);
      if (!unk) {
        if (inArray) return WBEM_E_TYPE_MISMATCH;
        *out = com::Variant::Null();
        return S_OK;
      }
      com::ComPtr<IWbemClassObject> copy;
      HRESULT hr = CloneObject(unk, &copy);
      if (FAILED(hr)) return hr;
      *out = com::Variant::FromUnknown(copy.get());
      return S_OK;
    }
    default:
      return WBEM_E_INVALID_PROPERTY_TYPE;
  }
}

// Where the payload of a canonical scalar lives, in SafeArrayPutElement terms.
// Thread: any.
const void* ElementPointer(const VARIANT& v) {
  switch (v.vt) {
    case VT_BSTR: return v.bstrVal;
    case VT_UNKNOWN: return v.punkVal;
    case VT_I2: return &v.iVal;
    case VT_UI1: return &v.bVal;
    case VT_I4: return &v.lVal;
    case VT_R4: return &v.fltVal;
    case VT_R8: return &v.dblVal;
    case VT_BOOL: return &v.boolVal;
    default: return nullptr;
  }
}

// Thread: any.
bool ArrayBounds(SAFEARRAY* sa, LONG* lo, ULONG* count) {
  if (!sa || SafeArrayGetDim(sa) != 1) return false;
  LONG l = 0, u = -1;
  if (FAILED(SafeArrayGetLBound(sa, 1, &l)) || FAILED(SafeArrayGetUBound(sa, 1, &u))) return false;
  *lo = l;
  *count = u >= l ? static_cast<ULONG>(u - l + 1) : 0;
  return true;
}

// Reads element `index` of `sa` (whose element type is `vt`) into *out as a
// VARIANT of that type.
// Thread: any.
HRESULT ReadElement(SAFEARRAY* sa, VARTYPE vt, LONG index, com::Variant* out) {
  VARIANT* v = out->put();
  if (vt == VT_VARIANT) return SafeArrayGetElement(sa, &index, v);
  HRESULT hr = S_OK;
  switch (vt) {
    case VT_BSTR: hr = SafeArrayGetElement(sa, &index, &v->bstrVal); break;
    case VT_UNKNOWN: hr = SafeArrayGetElement(sa, &index, &v->punkVal); break;
    case VT_DISPATCH: hr = SafeArrayGetElement(sa, &index, &v->pdispVal); break;
    case VT_I1: hr = SafeArrayGetElement(sa, &index, &v->cVal); break;
    case VT_UI1: hr = SafeArrayGetElement(sa, &index, &v->bVal); break;
    case VT_I2: hr = SafeArrayGetElement(sa, &index, &v->iVal); break;
    case VT_UI2: hr = SafeArrayGetElement(sa, &index, &v->uiVal); break;
    case VT_BOOL: hr = SafeArrayGetElement(sa, &index, &v->boolVal); break;
    case VT_I4: hr = SafeArrayGetElement(sa, &index, &v->lVal); break;
    case VT_UI4: hr = SafeArrayGetElement(sa, &index, &v->ulVal); break;
    case VT_INT: hr = SafeArrayGetElement(sa, &index, &v->intVal); break;
    case VT_UINT: hr = SafeArrayGetElement(sa, &index, &v->uintVal); break;
    case VT_I8: hr = SafeArrayGetElement(sa, &index, &v->llVal); break;
    case VT_UI8: hr = SafeArrayGetElement(sa, &index, &v->ullVal); break;
    case VT_R4: hr = SafeArrayGetElement(sa, &index, &v->fltVal); break;
    case VT_R8: hr = SafeArrayGetElement(sa, &index, &v->dblVal); break;
    default: return WBEM_E_TYPE_MISMATCH;
  }
  if (SUCCEEDED(hr)) v->vt = vt;
  return hr;
}

// Holds SafeArrayAccessData for a scope.
class ArrayData {
 public:
  explicit ArrayData(SAFEARRAY* sa) noexcept : sa_(sa) {
    if (FAILED(SafeArrayAccessData(sa_, &data_))) {
      sa_ = nullptr;
      data_ = nullptr;
    }
  }
  ~ArrayData() {
    if (sa_) SafeArrayUnaccessData(sa_);
  }
  ArrayData(const ArrayData&) = delete;
  ArrayData& operator=(const ArrayData&) = delete;
  BSTR* bstrs() const noexcept { return static_cast<BSTR*>(data_); }

 private:
  SAFEARRAY* sa_;
  void* data_ = nullptr;
};

// VT_ARRAY|VT_BSTR into an array of a BSTR-stored type (string, datetime,
// reference, 64-bit): each element is checked and converted straight from
// the source array's data into `result` (lower bound 0, `count` elements),
// without the per-element copies of the general path. Same outcome as the
// general path element by element.
// Thread: any.
HRESULT CoerceBstrArray(CIMTYPE elem, SAFEARRAY* in, ULONG count, bool interval,
                        com::SafeArray result, com::Variant* out) {
  ArrayData src(in);
  ArrayData dst(result.get());
  if (count > 0 && (!src.bstrs() || !dst.bstrs())) return WBEM_E_TYPE_MISMATCH;
  for (ULONG i = 0; i < count; ++i) {
    BSTR b = src.bstrs()[i];
    if (elem == CIM_STRING) {
      dst.bstrs()[i] = com::Bstr(BstrView(b)).detach();
      continue;
    }
    VARIANT element;  // borrows b
    VariantInit(&element);
    element.vt = VT_BSTR;
    element.bstrVal = b;
    com::Variant converted;
    HRESULT hr = CoerceScalar(elem, element, interval, /*inArray=*/true, &converted);
    if (FAILED(hr)) return hr;
    if (converted.vt() != VT_BSTR) return WBEM_E_TYPE_MISMATCH;
    dst.bstrs()[i] = converted.detach().bstrVal;
  }
  *out = com::Variant::FromArray(std::move(result));
  return S_OK;
}

// Thread: any.
HRESULT CoerceArray(CIMTYPE elem, const VARIANT& in, bool interval, com::Variant* out) {
  const VARTYPE inElem = static_cast<VARTYPE>(in.vt & VT_TYPEMASK);
  LONG lo = 0;
  ULONG count = 0;
  if (!ArrayBounds(in.parray, &lo, &count)) return WBEM_E_TYPE_MISMATCH;
  if (inElem != VT_VARIANT) {
    // The element VARTYPE must be one the element type can take at all.
    bool ok = false;
    switch (elem) {
      case CIM_BOOLEAN: ok = inElem == VT_BOOL; break;
      case CIM_STRING: case CIM_DATETIME: case CIM_REFERENCE: ok = inElem == VT_BSTR; break;
      case CIM_OBJECT: ok = inElem == VT_UNKNOWN || inElem == VT_DISPATCH; break;
      case CIM_REAL32: case CIM_REAL64:
        ok = inElem == VT_R4 || inElem == VT_R8 || IsIntegerVt(inElem);
        break;
      case CIM_SINT64: case CIM_UINT64: ok = inElem == VT_BSTR || IsIntegerVt(inElem); break;
      case CIM_UINT32: ok = IsIntegerVt(inElem) && inElem != VT_I2 && inElem != VT_I1; break;
      default: ok = IsIntegerVt(inElem); break;
    }
    if (!ok) return WBEM_E_TYPE_MISMATCH;
  }
  const VARTYPE outElem = ElementVarType(elem);
  com::SafeArray result = com::SafeArray::Create(outElem, count);
  if (!result) return WBEM_E_OUT_OF_MEMORY;
  if (inElem == VT_BSTR && outElem == VT_BSTR)
    return CoerceBstrArray(elem, in.parray, count, interval, std::move(result), out);
  for (ULONG i = 0; i < count; ++i) {
    com::Variant element;
    HRESULT hr = ReadElement(in.parray, inElem, lo + static_cast<LONG>(i), &element);
    if (FAILED(hr)) return WBEM_E_TYPE_MISMATCH;
    if (IsNullValue(element.get()) || (element.vt() & (VT_ARRAY | VT_BYREF)))
      return WBEM_E_TYPE_MISMATCH;
    com::Variant converted;
    hr = CoerceScalar(elem, *element.get(), interval, /*inArray=*/true, &converted);
    if (FAILED(hr)) return hr;
    hr = result.Put(static_cast<LONG>(i), ElementPointer(*converted.get()));
    if (FAILED(hr)) return hr;
  }
  *out = com::Variant::FromArray(std::move(result));
  return S_OK;
}

}  // namespace

// Thread: any.
bool IsValidCimType(CIMTYPE type) noexcept {
  return IsElementType(type & ~static_cast<CIMTYPE>(CIM_FLAG_ARRAY));
}

// Thread: any.
HRESULT CheckCimType(CIMTYPE type) noexcept {
  return IsValidCimType(type) ? S_OK : static_cast<HRESULT>(WBEM_E_INVALID_PROPERTY_TYPE);
}

// Thread: any.
VARTYPE CanonicalVarType(CIMTYPE type) noexcept {
  if (!IsValidCimType(type)) return VT_EMPTY;
  VARTYPE vt = ElementVarType(type & ~static_cast<CIMTYPE>(CIM_FLAG_ARRAY));
  return (type & CIM_FLAG_ARRAY) ? static_cast<VARTYPE>(VT_ARRAY | vt) : vt;
}

// Thread: any.
OleString CimTypeName(CIMTYPE type) {
  switch (type & ~static_cast<CIMTYPE>(CIM_FLAG_ARRAY)) {
    case CIM_SINT8: return OLESTR("sint8");
    case CIM_UINT8: return OLESTR("uint8");
    case CIM_SINT16: return OLESTR("sint16");
    case CIM_UINT16: return OLESTR("uint16");
    case CIM_SINT32: return OLESTR("sint32");
    case CIM_UINT32: return OLESTR("uint32");
    case CIM_SINT64: return OLESTR("sint64");
    case CIM_UINT64: return OLESTR("uint64");
    case CIM_REAL32: return OLESTR("real32");
    case CIM_REAL64: return OLESTR("real64");
    case CIM_BOOLEAN: return OLESTR("boolean");
    case CIM_STRING: return OLESTR("string");
    case CIM_DATETIME: return OLESTR("datetime");
    case CIM_REFERENCE: return OLESTR("ref");
    case CIM_CHAR16: return OLESTR("char16");
    case CIM_OBJECT: return OLESTR("object");
    default: return OleString();
  }
}

// Thread: any.
bool IsNullValue(const VARIANT* v) noexcept {
  return !v || v->vt == VT_EMPTY || v->vt == VT_NULL;
}

// Thread: any.
HRESULT CoerceForPut(CIMTYPE type, const VARIANT& in, com::Variant* out, bool interval) noexcept {
  if (!out) return WBEM_E_INVALID_PARAMETER;
  try {
    if (!IsValidCimType(type)) return WBEM_E_INVALID_PROPERTY_TYPE;
    if (IsNullValue(&in)) {
      *out = com::Variant::Null();
      return S_OK;
    }
    if (in.vt & VT_BYREF) return WBEM_E_TYPE_MISMATCH;
    const CIMTYPE elem = type & ~static_cast<CIMTYPE>(CIM_FLAG_ARRAY);
    const bool isArray = (type & CIM_FLAG_ARRAY) != 0;
    if (((in.vt & VT_ARRAY) != 0) != isArray) return WBEM_E_TYPE_MISMATCH;
    // Both assign *out only when they succeed.
    return isArray ? CoerceArray(elem, in, interval, out)
                   : CoerceScalar(elem, in, interval, false, out);
  } catch (const std::bad_alloc&) {
    return WBEM_E_OUT_OF_MEMORY;
  } catch (...) {
    return WBEM_E_FAILED;
  }
}

namespace {

// One element or scalar of `elem` in its stored VARTYPE, checked as
// CoerceScalar would check it, without converting.
// Thread: any.
bool IsStoredScalar(CIMTYPE elem, const VARIANT& v, bool interval) {
  switch (elem) {
    case CIM_STRING:
      return v.vt == VT_BSTR && v.bstrVal != nullptr;
    case CIM_DATETIME: {
      if (v.vt != VT_BSTR || !v.bstrVal) return false;
      OleStringView s = BstrView(v.bstrVal);
      return interval ? IsValidInterval(s) : IsValidDateTimeOrInterval(s);
    }
    case CIM_SINT64:
    case CIM_UINT64: {
      if (v.vt != VT_BSTR || !v.bstrVal) return false;
      const bool isSigned = elem == CIM_SINT64;
      Int n;
      OleStringView s = BstrView(v.bstrVal);
      if (!ParseDecimal(s, isSigned, &n)) return false;
      if (isSigned ? !InRange(n, INT64_MIN, INT64_MAX) : !InRange(n, 0, UINT64_MAX)) return false;
      return IsCanonicalDecimal(s);
    }
    case CIM_SINT32:
    case CIM_UINT32:
      return v.vt == VT_I4;
    case CIM_UINT16:
      return v.vt == VT_I4 && v.lVal >= 0 && v.lVal <= 65535;
    case CIM_SINT16:
    case CIM_CHAR16:
      return v.vt == VT_I2;
    case CIM_SINT8:
      return v.vt == VT_I2 && v.iVal >= -128 && v.iVal <= 127;
    case CIM_UINT8:
      return v.vt == VT_UI1;
    case CIM_REAL32:
      return v.vt == VT_R4;
    case CIM_REAL64:
      return v.vt == VT_R8;
    case CIM_BOOLEAN:
      return v.vt == VT_BOOL && (v.boolVal == VARIANT_TRUE || v.boolVal == VARIANT_FALSE);
    default:  // references and objects: always through CoerceForPut
      return false;
  }
}

}  // namespace

// Thread: any.
bool IsStoredForm(CIMTYPE type, const VARIANT& v, bool interval) noexcept {
  try {
    if (!IsValidCimType(type)) return false;
    if (v.vt == VT_NULL) return true;
    const CIMTYPE elem = type & ~static_cast<CIMTYPE>(CIM_FLAG_ARRAY);
    if (!(type & CIM_FLAG_ARRAY)) return !(v.vt & (VT_ARRAY | VT_BYREF)) && IsStoredScalar(elem, v, interval);
    const VARTYPE stored = ElementVarType(elem);
    if (v.vt != (VT_ARRAY | stored)) return false;
    if (stored != VT_BSTR && stored != VT_I4 && stored != VT_R8) return false;
    if (elem == CIM_UINT16 || elem == CIM_REFERENCE) return false;  // per-element conversion
    SAFEARRAY* sa = v.parray;
    VARTYPE saType = VT_EMPTY;
    if (!sa || SafeArrayGetDim(sa) != 1 || FAILED(SafeArrayGetVartype(sa, &saType)) ||
        saType != stored)
      return false;
    // Only an array that owns its memory and is not locked can change hands.
    if (sa->cLocks != 0 ||
        (sa->fFeatures & (FADF_AUTO | FADF_STATIC | FADF_EMBEDDED | FADF_FIXEDSIZE)) != 0)
      return false;
    LONG lo = 0;
    ULONG count = 0;
    if (!ArrayBounds(sa, &lo, &count) || lo != 0) return false;
    if (stored != VT_BSTR) return true;  // sint32/uint32/real64: every element is stored as is
    ArrayData data(sa);
    if (count > 0 && !data.bstrs()) return false;
    for (ULONG i = 0; i < count; ++i) {
      VARIANT element;  // borrows the BSTR
      VariantInit(&element);
      element.vt = VT_BSTR;
      element.bstrVal = data.bstrs()[i];
      if (!IsStoredScalar(elem, element, interval)) return false;
    }
    return true;
  } catch (...) {
    return false;
  }
}

// Thread: any.
HRESULT InferCimType(const VARIANT& v, CIMTYPE* out) noexcept {
  if (!out) return WBEM_E_INVALID_PARAMETER;
  CIMTYPE t = CIM_EMPTY;
  switch (v.vt & VT_TYPEMASK) {
    case VT_I2: t = CIM_SINT16; break;
    case VT_I4: t = CIM_SINT32; break;
    case VT_UI1: t = CIM_UINT8; break;
    case VT_R4: t = CIM_REAL32; break;
    case VT_R8: t = CIM_REAL64; break;
    case VT_BOOL: t = CIM_BOOLEAN; break;
    case VT_BSTR: t = CIM_STRING; break;
    case VT_UNKNOWN: t = CIM_OBJECT; break;
    default: return WBEM_E_TYPE_MISMATCH;
  }
  if (v.vt & VT_BYREF) return WBEM_E_TYPE_MISMATCH;
  if (v.vt & VT_ARRAY) t |= CIM_FLAG_ARRAY;
  *out = t;
  return S_OK;
}

// Thread: any.
HRESULT CopyValueOut(const VARIANT& stored, VARIANT* out) noexcept {
  if (!out) return S_OK;
  try {
    com::Variant result;
    HRESULT hr = CopyValueOut(stored, &result);
    if (FAILED(hr)) return hr;
    VariantClear(out);
    *out = result.detach();
    return S_OK;
  } catch (const std::bad_alloc&) {
    return WBEM_E_OUT_OF_MEMORY;
  } catch (...) {
    return WBEM_E_FAILED;
  }
}

// Thread: any.
HRESULT CopyValueOut(const VARIANT& stored, com::Variant* out) noexcept {
  if (!out) return S_OK;
  try {
    if (stored.vt == VT_UNKNOWN) {
      com::ComPtr<IWbemClassObject> copy;
      HRESULT hr = CloneObject(stored.punkVal, &copy);
      if (FAILED(hr)) return hr;
      *out = copy ? com::Variant::FromUnknown(copy.get()) : com::Variant::Null();
      return S_OK;
    }
    if (stored.vt == (VT_ARRAY | VT_UNKNOWN)) {
      LONG lo = 0;
      ULONG count = 0;
      if (!ArrayBounds(stored.parray, &lo, &count)) return WBEM_E_FAILED;
      com::SafeArray result = com::SafeArray::Create(VT_UNKNOWN, count);
      if (!result) return WBEM_E_OUT_OF_MEMORY;
      for (ULONG i = 0; i < count; ++i) {
        com::Variant element;
        HRESULT hr = ReadElement(stored.parray, VT_UNKNOWN, lo + static_cast<LONG>(i), &element);
        if (FAILED(hr)) return hr;
        com::ComPtr<IWbemClassObject> copy;
        hr = CloneObject(element.get()->punkVal, &copy);
        if (FAILED(hr)) return hr;
        IUnknown* unk = copy.get();
        hr = result.Put(static_cast<LONG>(i), unk);
        if (FAILED(hr)) return hr;
      }
      *out = com::Variant::FromArray(std::move(result));
      return S_OK;
    }
    return com::Variant::Copy(&stored, out);
  } catch (const std::bad_alloc&) {
    return WBEM_E_OUT_OF_MEMORY;
  } catch (...) {
    return WBEM_E_FAILED;
  }
}

namespace {

// Thread: any.
bool ScalarEqual(const VARIANT& a, const VARIANT& b, bool ignoreCase, long flags) {
  if (a.vt != b.vt) return false;
  switch (a.vt) {
    case VT_EMPTY: case VT_NULL: return true;
    case VT_I1: return a.cVal == b.cVal;
    case VT_UI1: return a.bVal == b.bVal;
    case VT_I2: return a.iVal == b.iVal;
    case VT_UI2: return a.uiVal == b.uiVal;
    case VT_I4: return a.lVal == b.lVal;
    case VT_UI4: return a.ulVal == b.ulVal;
    case VT_INT: return a.intVal == b.intVal;
    case VT_UINT: return a.uintVal == b.uintVal;
    case VT_I8: return a.llVal == b.llVal;
    case VT_UI8: return a.ullVal == b.ullVal;
    case VT_R4: return a.fltVal == b.fltVal;
    case VT_R8: return a.dblVal == b.dblVal;
    case VT_BOOL: return (a.boolVal != 0) == (b.boolVal != 0);
    case VT_BSTR: {
      OleStringView x = BstrView(a.bstrVal), y = BstrView(b.bstrVal);
      return ignoreCase ? EqualsNoCase(x, y) : x == y;
    }
    case VT_UNKNOWN: case VT_DISPATCH: {
      IUnknown* x = a.vt == VT_UNKNOWN ? a.punkVal : static_cast<IUnknown*>(a.pdispVal);
      IUnknown* y = b.vt == VT_UNKNOWN ? b.punkVal : static_cast<IUnknown*>(b.pdispVal);
      if (!x || !y) return x == y;
      com::ComPtr<IWbemClassObject> ox, oy;
      if (FAILED(com::ComPtr<IUnknown>::Share(x).As(&ox)) ||
          FAILED(com::ComPtr<IUnknown>::Share(y).As(&oy)))
        return x == y;
      return ox->CompareTo(flags, oy.get()) == static_cast<HRESULT>(WBEM_S_SAME);
    }
    default:
      return false;
  }
}

}  // namespace

// Thread: any.
bool ValuesEqual(const VARIANT& a, const VARIANT& b, bool ignoreCase, long compareFlags) noexcept {
  try {
    if (a.vt != b.vt) return false;
    if (!(a.vt & VT_ARRAY)) return ScalarEqual(a, b, ignoreCase, compareFlags);
    LONG la = 0, lb = 0;
    ULONG na = 0, nb = 0;
    if (!ArrayBounds(a.parray, &la, &na) || !ArrayBounds(b.parray, &lb, &nb)) return false;
    if (na != nb) return false;
    const VARTYPE elem = static_cast<VARTYPE>(a.vt & VT_TYPEMASK);
    for (ULONG i = 0; i < na; ++i) {
      com::Variant x, y;
      if (FAILED(ReadElement(a.parray, elem, la + static_cast<LONG>(i), &x)) ||
          FAILED(ReadElement(b.parray, elem, lb + static_cast<LONG>(i), &y)))
        return false;
      if (!ScalarEqual(*x.get(), *y.get(), ignoreCase, compareFlags)) return false;
    }
    return true;
  } catch (...) {
    return false;
  }
}

}  // namespace wmiput::embedded
