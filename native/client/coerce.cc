#include "client/coerce.h"

#include <cfloat>
#include <cmath>
#include <cstdio>
#include <new>
#include <string>

namespace wmiput::client {
namespace {

using com::ComPtr;
using com::SafeArray;
using com::Variant;
using Kind = Value::Kind;

constexpr double kTwo64 = 18446744073709551616.0;
constexpr double kMaxSafe = 9007199254740991.0;  // 2^53 - 1
constexpr int kMaxReadDepth = 64;                // WBEM_MAX_OBJECT_NESTING

HRESULT Mismatch(OleString* why, const std::string& text) {
  if (why) *why = ToOle(text.c_str());
  return WBEM_E_TYPE_MISMATCH;
}

std::string Narrow(const OleString& s) {
  std::string r;
  for (OLECHAR c : s) r.push_back(c < 128 ? static_cast<char>(c) : '?');
  return r;
}

std::string TypeText(CIMTYPE type) { return Narrow(CimTypeName(type)); }

const char* KindName(Kind k) {
  switch (k) {
    case Kind::kNull: return "null";
    case Kind::kBoolean: return "a boolean";
    case Kind::kNumber: return "a number";
    case Kind::kBigInt: return "a bigint";
    case Kind::kString: return "a string";
    case Kind::kDateTime: return "a CimDateTime";
    case Kind::kInterval: return "a CimInterval";
    case Kind::kObject: return "an object";
    case Kind::kArray: return "an array";
  }
  return "a value";
}

std::string Describe(const Value& v) {
  char buf[64];
  switch (v.kind) {
    case Kind::kNumber:
      std::snprintf(buf, sizeof buf, "%.17g", v.number);
      return buf;
    case Kind::kBigInt:
      if (v.overflow) return "a bigint beyond 64 bits";
      return Narrow(BigIntToDecimal(v.negative, v.magnitude)) + "n";
    default:
      return KindName(v.kind);
  }
}

HRESULT WrongKind(const Value& v, CIMTYPE type, OleString* why) {
  return Mismatch(why, std::string("cannot convert ") + KindName(v.kind) + " to " + TypeText(type));
}

// An integer candidate as sign + magnitude; false when `v` is not an integer
// (non-integral or non-finite Number, BigInt beyond 64 bits, other kinds).
bool IntegerOf(const Value& v, bool* negative, uint64_t* magnitude) {
  if (v.kind == Kind::kNumber) {
    double x = v.number;
    if (!std::isfinite(x) || std::trunc(x) != x || std::fabs(x) >= kTwo64) return false;
    *negative = x < 0;
    *magnitude = static_cast<uint64_t>(std::fabs(x));
    return true;
  }
  if (v.kind == Kind::kBigInt && !v.overflow) {
    *negative = v.negative && v.magnitude != 0;
    *magnitude = v.magnitude;
    return true;
  }
  return false;
}

bool InSigned(bool negative, uint64_t magnitude, int bits) {
  uint64_t limit = uint64_t{1} << (bits - 1);
  return negative ? magnitude <= limit : magnitude < limit;
}

bool InUnsigned(bool negative, uint64_t magnitude, int bits) {
  if (negative) return false;
  return bits == 64 ? true : magnitude < (uint64_t{1} << bits);
}

int64_t SignedOf(bool negative, uint64_t magnitude) {
  return negative ? static_cast<int64_t>(0 - magnitude) : static_cast<int64_t>(magnitude);
}

HRESULT SmallInteger(const Value& v, CIMTYPE type, Variant* out, OleString* why) {
  if (v.kind != Kind::kNumber && v.kind != Kind::kBigInt) return WrongKind(v, type, why);
  bool negative = false;
  uint64_t magnitude = 0;
  if (!IntegerOf(v, &negative, &magnitude))
    return Mismatch(why, Describe(v) + " is not an integer (" + TypeText(type) + ")");
  bool isSigned = type == CIM_SINT8 || type == CIM_SINT16 || type == CIM_SINT32;
  int bits = (type == CIM_SINT8 || type == CIM_UINT8)     ? 8
             : (type == CIM_SINT16 || type == CIM_UINT16) ? 16
                                                          : 32;
  bool ok = isSigned ? InSigned(negative, magnitude, bits) : InUnsigned(negative, magnitude, bits);
  if (!ok) return Mismatch(why, Describe(v) + " is out of range for " + TypeText(type));
  int64_t n = SignedOf(negative, magnitude);
  switch (type) {
    case CIM_SINT8:
    case CIM_SINT16:
      *out = Variant::FromI2(static_cast<int16_t>(n));
      break;
    case CIM_UINT8:
      *out = Variant::FromUI1(static_cast<uint8_t>(n));
      break;
    case CIM_UINT16:
    case CIM_SINT32:
      *out = Variant::FromI4(static_cast<int32_t>(n));
      break;
    default:  // CIM_UINT32: VT_I4 with the same bits
      *out = Variant::FromI4(static_cast<int32_t>(static_cast<uint32_t>(n)));
      break;
  }
  return S_OK;
}

HRESULT WideInteger(const Value& v, CIMTYPE type, Variant* out, OleString* why) {
  bool negative = false;
  uint64_t magnitude = 0;
  if (v.kind == Kind::kBigInt) {
    if (!IntegerOf(v, &negative, &magnitude))
      return Mismatch(why, Describe(v) + " is out of range for " + TypeText(type));
  } else if (v.kind == Kind::kNumber) {
    if (!IntegerOf(v, &negative, &magnitude))
      return Mismatch(why, Describe(v) + " is not an integer (" + TypeText(type) + ")");
    if (static_cast<double>(magnitude) > kMaxSafe)
      return Mismatch(why, Describe(v) + " is not a safe integer; pass a bigint for " +
                               TypeText(type));
  } else if (v.kind == Kind::kString) {
    if (!ParseDecimal(v.text, &negative, &magnitude))
      return Mismatch(why, "\"" + Narrow(v.text) + "\" is not a decimal integer (" +
                               TypeText(type) + ")");
    if (magnitude == 0) negative = false;
  } else {
    return WrongKind(v, type, why);
  }
  bool ok = type == CIM_SINT64 ? InSigned(negative, magnitude, 64)
                               : InUnsigned(negative, magnitude, 64);
  if (!ok)
    return Mismatch(why, Narrow(BigIntToDecimal(negative, magnitude)) + " is out of range for " +
                             TypeText(type));
  *out = Variant::FromBstr(BigIntToDecimal(negative, magnitude));
  return S_OK;
}

HRESULT Scalar(const Value& v, CIMTYPE type, bool interval, Variant* out, OleString* why,
               EmbeddedObjectFactory* objects, const OleString& objectClass, int depth) {
  if (v.kind == Kind::kArray)
    return Mismatch(why, "an array cannot be stored in a " + TypeText(type) + " property");
  switch (type) {
    case CIM_SINT8:
    case CIM_UINT8:
    case CIM_SINT16:
    case CIM_UINT16:
    case CIM_SINT32:
    case CIM_UINT32:
      return SmallInteger(v, type, out, why);
    case CIM_SINT64:
    case CIM_UINT64:
      return WideInteger(v, type, out, why);
    case CIM_REAL32: {
      if (v.kind != Kind::kNumber) return WrongKind(v, type, why);
      if (!std::isfinite(v.number))
        return Mismatch(why, Describe(v) + " cannot be stored in a real32");
      float f = static_cast<float>(v.number);
      if (!std::isfinite(f)) return Mismatch(why, Describe(v) + " is out of range for real32");
      *out = Variant::FromR4(f);
      return S_OK;
    }
    case CIM_REAL64:
      if (v.kind != Kind::kNumber) return WrongKind(v, type, why);
      *out = Variant::FromR8(v.number);
      return S_OK;
    case CIM_BOOLEAN:
      if (v.kind != Kind::kBoolean) return WrongKind(v, type, why);
      *out = Variant::FromBool(v.boolean);
      return S_OK;
    case CIM_STRING:
    case CIM_REFERENCE:
      if (v.kind != Kind::kString) return WrongKind(v, type, why);
      *out = Variant::FromBstr(v.text);
      return S_OK;
    case CIM_CHAR16: {
      if (v.kind == Kind::kString) {
        if (v.text.size() != 1)
          return Mismatch(why, "a char16 takes a string of exactly one UTF-16 code unit, not " +
                                   std::to_string(v.text.size()));
        *out = Variant::FromI2(static_cast<int16_t>(static_cast<uint16_t>(v.text[0])));
        return S_OK;
      }
      if (v.kind != Kind::kNumber) return WrongKind(v, type, why);
      bool negative = false;
      uint64_t magnitude = 0;
      if (!IntegerOf(v, &negative, &magnitude) || !InUnsigned(negative, magnitude, 16))
        return Mismatch(why, Describe(v) + " is not a char16 code unit (0..65535)");
      *out = Variant::FromI2(static_cast<int16_t>(static_cast<uint16_t>(magnitude)));
      return S_OK;
    }
    case CIM_DATETIME:
      if (v.kind == Kind::kString || v.kind == Kind::kInterval ||
          (v.kind == Kind::kDateTime && !interval)) {
        *out = Variant::FromBstr(v.text);
        return S_OK;
      }
      if (v.kind == Kind::kDateTime)
        return Mismatch(why, "a CimDateTime cannot be stored in an interval property");
      return WrongKind(v, type, why);
    case CIM_OBJECT: {
      if (v.kind != Kind::kObject || !v.object) return WrongKind(v, type, why);
      if (!objects) return Mismatch(why, "embedded objects cannot be built here");
      if (depth + 1 > kMaxObjectDepth)
        return Mismatch(why, "embedded objects nest deeper than " +
                                 std::to_string(kMaxObjectDepth) + " levels");
      ComPtr<IWbemClassObject> inst;
      HRESULT hr = objects->Build(*v.object, objectClass, depth + 1, &inst, why);
      if (FAILED(hr)) return hr;
      *out = Variant::FromUnknown(inst.get());
      return S_OK;
    }
    default:
      return Mismatch(why, "unsupported CIM type " + std::to_string(type));
  }
}

VARTYPE ElementVarType(CIMTYPE elem) {
  switch (elem) {
    case CIM_SINT8:
    case CIM_SINT16:
    case CIM_CHAR16:
      return VT_I2;
    case CIM_UINT8:
      return VT_UI1;
    case CIM_UINT16:
    case CIM_SINT32:
    case CIM_UINT32:
      return VT_I4;
    case CIM_SINT64:
    case CIM_UINT64:
    case CIM_STRING:
    case CIM_DATETIME:
    case CIM_REFERENCE:
      return VT_BSTR;
    case CIM_REAL32:
      return VT_R4;
    case CIM_REAL64:
      return VT_R8;
    case CIM_BOOLEAN:
      return VT_BOOL;
    case CIM_OBJECT:
      return VT_UNKNOWN;
    default:
      return VT_EMPTY;
  }
}

// The SafeArrayPutElement argument for a scalar VARIANT of type vt.
const void* ElementPointer(const VARIANT* v) {
  switch (v->vt) {
    case VT_BSTR:
      return v->bstrVal;
    case VT_UNKNOWN:
      return v->punkVal;
    default:
      return &v->lVal;  // every union member starts at the same address
  }
}

// Reads element `i` (0-based) of a one-dimensional array into `out` typed vt.
HRESULT ReadElement(SAFEARRAY* sa, LONG lbound, ULONG i, VARTYPE vt, Variant* out) {
  LONG index = lbound + static_cast<LONG>(i);
  VARIANT* p = out->put();
  if (vt == VT_VARIANT) return SafeArrayGetElement(sa, &index, p);
  HRESULT hr = SafeArrayGetElement(sa, &index, &p->lVal);
  if (SUCCEEDED(hr)) p->vt = vt;
  return hr;
}

HRESULT ArrayBounds(SAFEARRAY* sa, LONG* lbound, ULONG* count) {
  if (!sa) {
    *lbound = 0;
    *count = 0;
    return S_OK;
  }
  LONG lb = 0, ub = -1;
  HRESULT hr = SafeArrayGetLBound(sa, 1, &lb);
  if (SUCCEEDED(hr)) hr = SafeArrayGetUBound(sa, 1, &ub);
  if (FAILED(hr)) return hr;
  *lbound = lb;
  *count = ub >= lb ? static_cast<ULONG>(ub - lb + 1) : 0;
  return S_OK;
}

// Integer held by a VARIANT of any integer type (or a decimal BSTR when
// `allowText`); false otherwise.
bool VariantInteger(const VARIANT& v, bool allowText, bool* negative, uint64_t* magnitude) {
  int64_t s = 0;
  switch (v.vt) {
    case VT_I1: s = v.cVal; break;
    case VT_UI1: s = v.bVal; break;
    case VT_I2: s = v.iVal; break;
    case VT_UI2: s = v.uiVal; break;
    case VT_I4: s = v.lVal; break;
    case VT_UI4: s = v.ulVal; break;
    case VT_INT: s = v.intVal; break;
    case VT_UINT: s = v.uintVal; break;
    case VT_I8: s = v.llVal; break;
    case VT_UI8:
      *negative = false;
      *magnitude = v.ullVal;
      return true;
    case VT_BSTR:
      if (!allowText) return false;
      return ParseDecimal(OleStringView(v.bstrVal ? v.bstrVal : OLESTR(""), SysStringLen(v.bstrVal)),
                          negative, magnitude);
    default:
      return false;
  }
  *negative = s < 0;
  *magnitude = s < 0 ? 0 - static_cast<uint64_t>(s) : static_cast<uint64_t>(s);
  return true;
}

Value NumberValue(double d) {
  Value r;
  r.kind = Kind::kNumber;
  r.number = d;
  return r;
}

Value TextValue(Kind kind, BSTR b) {
  Value r;
  r.kind = kind;
  r.text = com::ToOleString(b);
  return r;
}

HRESULT ScalarFromVariant(const VARIANT& v, CIMTYPE type, Value* out, int depth) {
  if (v.vt == VT_NULL || v.vt == VT_EMPTY) {
    *out = Value();
    return S_OK;
  }
  bool negative = false;
  uint64_t magnitude = 0;
  switch (type) {
    case CIM_SINT8:
    case CIM_SINT16:
    case CIM_SINT32:
      if (!VariantInteger(v, false, &negative, &magnitude)) return WBEM_E_TYPE_MISMATCH;
      *out = NumberValue(static_cast<double>(SignedOf(negative, magnitude)));
      return S_OK;
    case CIM_UINT8:
    case CIM_UINT16:
    case CIM_UINT32: {
      if (!VariantInteger(v, false, &negative, &magnitude)) return WBEM_E_TYPE_MISMATCH;
      uint64_t bits = static_cast<uint64_t>(SignedOf(negative, magnitude));
      uint64_t mask = type == CIM_UINT8 ? 0xFF : type == CIM_UINT16 ? 0xFFFF : 0xFFFFFFFF;
      *out = NumberValue(static_cast<double>(bits & mask));
      return S_OK;
    }
    case CIM_SINT64:
    case CIM_UINT64: {
      if (!VariantInteger(v, true, &negative, &magnitude)) return WBEM_E_TYPE_MISMATCH;
      if (type == CIM_SINT64 && !InSigned(negative, magnitude, 64)) return WBEM_E_TYPE_MISMATCH;
      if (type == CIM_UINT64 && negative && magnitude != 0) return WBEM_E_TYPE_MISMATCH;
      Value r;
      r.kind = Kind::kBigInt;
      r.negative = negative && magnitude != 0;
      r.magnitude = magnitude;
      *out = std::move(r);
      return S_OK;
    }
    case CIM_REAL32:
    case CIM_REAL64:
      if (v.vt == VT_R4) {
        *out = NumberValue(v.fltVal);
      } else if (v.vt == VT_R8) {
        *out = NumberValue(v.dblVal);
      } else {
        return WBEM_E_TYPE_MISMATCH;
      }
      return S_OK;
    case CIM_BOOLEAN: {
      if (v.vt != VT_BOOL) return WBEM_E_TYPE_MISMATCH;
      Value r;
      r.kind = Kind::kBoolean;
      r.boolean = v.boolVal != VARIANT_FALSE;
      *out = std::move(r);
      return S_OK;
    }
    case CIM_STRING:
    case CIM_REFERENCE:
      if (v.vt != VT_BSTR) return WBEM_E_TYPE_MISMATCH;
      *out = TextValue(Kind::kString, v.bstrVal);
      return S_OK;
    case CIM_CHAR16: {
      Value r;
      r.kind = Kind::kString;
      if (v.vt == VT_BSTR && SysStringLen(v.bstrVal) == 1) {
        r.text.assign(1, v.bstrVal[0]);
      } else if (VariantInteger(v, false, &negative, &magnitude)) {
        r.text.assign(1, static_cast<OLECHAR>(static_cast<uint16_t>(SignedOf(negative, magnitude))));
      } else {
        return WBEM_E_TYPE_MISMATCH;
      }
      *out = std::move(r);
      return S_OK;
    }
    case CIM_DATETIME: {
      if (v.vt != VT_BSTR) return WBEM_E_TYPE_MISMATCH;
      Value r = TextValue(Kind::kDateTime, v.bstrVal);
      if (r.text.size() == 25 && r.text[21] == OLECHAR(':')) r.kind = Kind::kInterval;
      *out = std::move(r);
      return S_OK;
    }
    case CIM_OBJECT: {
      if (v.vt != VT_UNKNOWN && v.vt != VT_DISPATCH) return WBEM_E_TYPE_MISMATCH;
      ComPtr<IWbemClassObject> obj;
      if (!v.punkVal) return WBEM_E_TYPE_MISMATCH;
      HRESULT hr = v.punkVal->QueryInterface(IID_IWbemClassObject,
                                             reinterpret_cast<void**>(obj.put()));
      if (FAILED(hr)) return WBEM_E_TYPE_MISMATCH;
      return ObjectToValue(obj.get(), out, depth + 1);
    }
    default:
      return UntypedFromVariant(v, out);
  }
}

HRESULT FromVariantAt(const VARIANT& v, CIMTYPE type, Value* out, int depth) {
  if ((v.vt & VT_ARRAY) == 0) {
    if ((type & CIM_FLAG_ARRAY) && v.vt != VT_NULL && v.vt != VT_EMPTY) return WBEM_E_TYPE_MISMATCH;
    return ScalarFromVariant(v, type & ~CIM_FLAG_ARRAY, out, depth);
  }
  VARTYPE vt = static_cast<VARTYPE>(v.vt & VT_TYPEMASK);
  LONG lbound = 0;
  ULONG count = 0;
  HRESULT hr = ArrayBounds(v.parray, &lbound, &count);
  if (FAILED(hr)) return hr;
  Value r;
  r.kind = Kind::kArray;
  r.items.reserve(count);
  CIMTYPE elem = type & ~CIM_FLAG_ARRAY;
  for (ULONG i = 0; i < count; ++i) {
    Variant e;
    hr = ReadElement(v.parray, lbound, i, vt, &e);
    if (FAILED(hr)) return hr;
    Value item;
    hr = elem == CIM_EMPTY ? UntypedFromVariant(*e.get(), &item)
                           : ScalarFromVariant(*e.get(), elem, &item, depth);
    if (FAILED(hr)) return hr;
    r.items.push_back(std::move(item));
  }
  *out = std::move(r);
  return S_OK;
}

HRESULT ObjectToValueAt(IWbemClassObject* obj, Value* out, int depth) {
  if (!obj) return WBEM_E_INVALID_PARAMETER;
  if (depth > kMaxReadDepth) return WBEM_E_TYPE_MISMATCH;
  auto value = std::make_shared<ObjectValue>();
  Variant cls;
  HRESULT hr = obj->Get(OLESTR("__CLASS"), 0, cls.put(), nullptr, nullptr);
  if (FAILED(hr)) return hr;
  if (cls.vt() == VT_BSTR) value->className = com::ToOleString(cls.get()->bstrVal);
  hr = obj->BeginEnumeration(WBEM_FLAG_NONSYSTEM_ONLY);
  if (FAILED(hr)) return hr;
  for (;;) {
    com::Bstr name;
    Variant v;
    CIMTYPE type = CIM_EMPTY;
    hr = obj->Next(0, name.put(), v.put(), &type, nullptr);
    if (hr != WBEM_S_NO_ERROR) break;
    Value item;
    hr = FromVariantAt(*v.get(), type, &item, depth);
    if (FAILED(hr)) break;
    value->properties.emplace_back(name.str(), std::move(item));
  }
  obj->EndEnumeration();
  if (FAILED(hr)) return hr;
  Value r;
  r.kind = Kind::kObject;
  r.object = std::move(value);
  *out = std::move(r);
  return S_OK;
}

}  // namespace

OleString ToOle(const char* ascii) {
  OleString r;
  for (; *ascii; ++ascii) r.push_back(static_cast<OLECHAR>(static_cast<unsigned char>(*ascii)));
  return r;
}

OleString BigIntToDecimal(bool negative, uint64_t magnitude) {
  OLECHAR buf[24];
  int pos = 24;
  do {
    buf[--pos] = static_cast<OLECHAR>(OLECHAR('0') + magnitude % 10);
    magnitude /= 10;
  } while (magnitude);
  if (negative) buf[--pos] = OLECHAR('-');
  return OleString(buf + pos, buf + 24);
}

bool ParseDecimal(OleStringView text, bool* negative, uint64_t* magnitude) noexcept {
  size_t i = 0;
  bool neg = false;
  if (!text.empty() && text[0] == OLECHAR('-')) {
    neg = true;
    i = 1;
  }
  if (i == text.size()) return false;
  uint64_t m = 0;
  for (; i < text.size(); ++i) {
    OLECHAR c = text[i];
    if (c < OLECHAR('0') || c > OLECHAR('9')) return false;
    uint64_t d = static_cast<uint64_t>(c - OLECHAR('0'));
    if (m > (UINT64_MAX - d) / 10) return false;
    m = m * 10 + d;
  }
  *negative = neg;
  *magnitude = m;
  return true;
}

OleString CimTypeName(CIMTYPE type) {
  const char* name = "unknown";
  switch (type & ~CIM_FLAG_ARRAY) {
    case CIM_SINT8: name = "sint8"; break;
    case CIM_UINT8: name = "uint8"; break;
    case CIM_SINT16: name = "sint16"; break;
    case CIM_UINT16: name = "uint16"; break;
    case CIM_SINT32: name = "sint32"; break;
    case CIM_UINT32: name = "uint32"; break;
    case CIM_SINT64: name = "sint64"; break;
    case CIM_UINT64: name = "uint64"; break;
    case CIM_REAL32: name = "real32"; break;
    case CIM_REAL64: name = "real64"; break;
    case CIM_BOOLEAN: name = "boolean"; break;
    case CIM_STRING: name = "string"; break;
    case CIM_DATETIME: name = "datetime"; break;
    case CIM_REFERENCE: name = "reference"; break;
    case CIM_CHAR16: name = "char16"; break;
    case CIM_OBJECT: name = "object"; break;
    default: break;
  }
  OleString r = ToOle(name);
  if (type & CIM_FLAG_ARRAY) r += OLESTR("[]");
  return r;
}

// Thread: any.
HRESULT ToVariant(const Value& value, CIMTYPE type, bool interval, com::Variant* out,
                  OleString* why, EmbeddedObjectFactory* objects, const OleString& objectClass,
                  int depth) noexcept {
  try {
    if (value.kind == Kind::kNull) {
      *out = Variant::Null();
      return S_OK;
    }
    CIMTYPE elem = type & ~CIM_FLAG_ARRAY;
    if ((type & CIM_FLAG_ARRAY) == 0)
      return Scalar(value, type, interval, out, why, objects, objectClass, depth);
    if (value.kind != Kind::kArray)
      return Mismatch(why, std::string("cannot convert ") + KindName(value.kind) + " to " +
                               TypeText(type) + " (an array is required)");
    VARTYPE vt = ElementVarType(elem);
    if (vt == VT_EMPTY) return Mismatch(why, "unsupported CIM type " + std::to_string(type));
    SafeArray sa = SafeArray::Create(vt, static_cast<ULONG>(value.items.size()));
    if (!sa) return WBEM_E_OUT_OF_MEMORY;
    for (size_t i = 0; i < value.items.size(); ++i) {
      const Value& item = value.items[i];
      if (item.kind == Kind::kNull)
        return Mismatch(why, "element " + std::to_string(i) + " of a " + TypeText(type) +
                                 " array is null");
      Variant e;
      OleString elemWhy;
      HRESULT hr = Scalar(item, elem, interval, &e, &elemWhy, objects, objectClass, depth);
      if (FAILED(hr)) {
        if (why) *why = ToOle(("element " + std::to_string(i) + ": ").c_str()) + elemWhy;
        return hr;
      }
      hr = sa.Put(static_cast<LONG>(i), ElementPointer(e.get()));
      if (FAILED(hr)) return hr;
    }
    *out = Variant::FromArray(std::move(sa));
    return S_OK;
  } catch (const std::bad_alloc&) {
    return WBEM_E_OUT_OF_MEMORY;
  } catch (...) {
    return WBEM_E_FAILED;
  }
}

// Thread: any.
HRESULT FromVariant(const VARIANT& v, CIMTYPE type, Value* out) noexcept {
  try {
    return FromVariantAt(v, type, out, 0);
  } catch (const std::bad_alloc&) {
    return WBEM_E_OUT_OF_MEMORY;
  } catch (...) {
    return WBEM_E_FAILED;
  }
}

// Thread: any.
HRESULT ObjectToValue(IWbemClassObject* obj, Value* out, int depth) noexcept {
  try {
    return ObjectToValueAt(obj, out, depth);
  } catch (const std::bad_alloc&) {
    return WBEM_E_OUT_OF_MEMORY;
  } catch (...) {
    return WBEM_E_FAILED;
  }
}

// Thread: any.
HRESULT UntypedToVariant(const Value& value, bool bigintAsString, com::Variant* out,
                         OleString* why) noexcept {
  try {
    auto scalar = [&](const Value& v, Variant* o) -> HRESULT {
      switch (v.kind) {
        case Kind::kNull:
          *o = Variant::Null();
          return S_OK;
        case Kind::kBoolean:
          *o = Variant::FromBool(v.boolean);
          return S_OK;
        case Kind::kNumber:
          if (std::trunc(v.number) == v.number && v.number >= -2147483648.0 &&
              v.number <= 2147483647.0)
            *o = Variant::FromI4(static_cast<int32_t>(v.number));
          else
            *o = Variant::FromR8(v.number);
          return S_OK;
        case Kind::kBigInt: {
          bool negative = false;
          uint64_t magnitude = 0;
          if (!IntegerOf(v, &negative, &magnitude))
            return Mismatch(why, "a bigint beyond 64 bits cannot be stored here");
          if (InSigned(negative, magnitude, 32)) {
            *o = Variant::FromI4(static_cast<int32_t>(SignedOf(negative, magnitude)));
            return S_OK;
          }
          if (!bigintAsString) return Mismatch(why, Describe(v) + " does not fit in a sint32");
          *o = Variant::FromBstr(BigIntToDecimal(negative, magnitude));
          return S_OK;
        }
        case Kind::kString:
        case Kind::kDateTime:
        case Kind::kInterval:
          *o = Variant::FromBstr(v.text);
          return S_OK;
        default:
          return Mismatch(why, std::string(KindName(v.kind)) + " cannot be stored here");
      }
    };
    if (value.kind != Kind::kArray) return scalar(value, out);
    std::vector<Variant> elems(value.items.size());
    VARTYPE vt = VT_BSTR;
    for (size_t i = 0; i < value.items.size(); ++i) {
      if (value.items[i].kind == Kind::kNull || value.items[i].kind == Kind::kArray)
        return Mismatch(why, "array elements must be booleans, numbers, bigints or strings");
      HRESULT hr = scalar(value.items[i], &elems[i]);
      if (FAILED(hr)) return hr;
      if (i == 0) vt = elems[i].vt();
    }
    // Numbers mixing integers and reals become all reals; any other mix is refused.
    bool anyR8 = false;
    for (auto& e : elems) anyR8 = anyR8 || e.vt() == VT_R8;
    if (anyR8) {
      vt = VT_R8;
      for (auto& e : elems)
        if (e.vt() == VT_I4) e = Variant::FromR8(e.get()->lVal);
    }
    for (auto& e : elems)
      if (e.vt() != vt) return Mismatch(why, "array elements must all be of one kind");
    SafeArray sa = SafeArray::Create(vt, static_cast<ULONG>(elems.size()));
    if (!sa) return WBEM_E_OUT_OF_MEMORY;
    for (size_t i = 0; i < elems.size(); ++i) {
      HRESULT hr = sa.Put(static_cast<LONG>(i), ElementPointer(elems[i].get()));
      if (FAILED(hr)) return hr;
    }
    *out = Variant::FromArray(std::move(sa));
    return S_OK;
  } catch (const std::bad_alloc&) {
    return WBEM_E_OUT_OF_MEMORY;
  } catch (...) {
    return WBEM_E_FAILED;
  }
}

// Thread: any.
HRESULT UntypedFromVariant(const VARIANT& v, Value* out) noexcept {
  try {
    if (v.vt & VT_ARRAY) return FromVariantAt(v, CIM_EMPTY | CIM_FLAG_ARRAY, out, 0);
    bool negative = false;
    uint64_t magnitude = 0;
    switch (v.vt) {
      case VT_EMPTY:
      case VT_NULL:
        *out = Value();
        return S_OK;
      case VT_BOOL: {
        Value r;
        r.kind = Kind::kBoolean;
        r.boolean = v.boolVal != VARIANT_FALSE;
        *out = std::move(r);
        return S_OK;
      }
      case VT_R4:
        *out = NumberValue(v.fltVal);
        return S_OK;
      case VT_R8:
        *out = NumberValue(v.dblVal);
        return S_OK;
      case VT_BSTR:
        *out = TextValue(Kind::kString, v.bstrVal);
        return S_OK;
      case VT_I8:
      case VT_UI8: {
        VariantInteger(v, false, &negative, &magnitude);
        Value r;
        r.kind = Kind::kBigInt;
        r.negative = negative;
        r.magnitude = magnitude;
        *out = std::move(r);
        return S_OK;
      }
      case VT_UNKNOWN:
      case VT_DISPATCH:
        return ScalarFromVariant(v, CIM_OBJECT, out, 0);
      default:
        if (!VariantInteger(v, false, &negative, &magnitude)) return WBEM_E_TYPE_MISMATCH;
        *out = NumberValue(static_cast<double>(SignedOf(negative, magnitude)));
        return S_OK;
    }
  } catch (const std::bad_alloc&) {
    return WBEM_E_OUT_OF_MEMORY;
  } catch (...) {
    return WBEM_E_FAILED;
  }
}

}  // namespace wmiput::client
