#include "com/raii.h"

#include <stdexcept>

namespace wmiput::com {
namespace {

// Thread: any.
[[noreturn]] void ThrowFor(HRESULT hr) {
  if (hr == E_OUTOFMEMORY) throw std::bad_alloc();
  throw std::runtime_error("COM copy failed");
}

// VARTYPEs SafeArray::Create accepts as element types.
// Thread: any.
bool IsArrayElementType(VARTYPE vt) noexcept {
  switch (vt) {
    case VT_I1: case VT_UI1: case VT_I2: case VT_UI2: case VT_I4: case VT_UI4:
    case VT_INT: case VT_UINT: case VT_I8: case VT_UI8: case VT_R4: case VT_R8:
    case VT_CY: case VT_DATE: case VT_BSTR: case VT_DISPATCH: case VT_ERROR:
    case VT_BOOL: case VT_VARIANT: case VT_UNKNOWN:
      return true;
    default:
      return false;
  }
}

// Thread: any.
void AppendUtf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// Thread: any.
void AppendUtf16(OleString& out, uint32_t cp) {
  if (cp < 0x10000) {
    out.push_back(static_cast<OLECHAR>(cp));
  } else {
    cp -= 0x10000;
    out.push_back(static_cast<OLECHAR>(0xD800 + (cp >> 10)));
    out.push_back(static_cast<OLECHAR>(0xDC00 + (cp & 0x3FF)));
  }
}

}  // namespace

// ---- strings ----

// Thread: any.
OleString ToOleString(BSTR b) {
  if (!b) return OleString();
  return OleString(b, SysStringLen(b));
}

// Thread: any.
OleString Utf8ToOle(std::string_view s) {
  OleString out;
  out.reserve(s.size());
  const size_t n = s.size();
  size_t i = 0;
  while (i < n) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    uint32_t cp;
    size_t len;
    if (c < 0x80) {
      cp = c;
      len = 1;
    } else if ((c & 0xE0) == 0xC0) {
      cp = c & 0x1F;
      len = 2;
    } else if ((c & 0xF0) == 0xE0) {
      cp = c & 0x0F;
      len = 3;
    } else if ((c & 0xF8) == 0xF0) {
      cp = c & 0x07;
      len = 4;
    } else {
      AppendUtf16(out, 0xFFFD);
      ++i;
      continue;
    }
    bool ok = i + len <= n;
    for (size_t k = 1; ok && k < len; ++k) {
      const unsigned char cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) {
        ok = false;
        len = k;
      } else {
        cp = (cp << 6) | (cc & 0x3F);
      }
    }
    if (ok) {
      static const uint32_t kMin[5] = {0, 0, 0x80, 0x800, 0x10000};
      if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) ok = false;
    }
    if (!ok) {
      AppendUtf16(out, 0xFFFD);
      i += (i + len <= n) ? len : n - i;
      continue;
    }
    AppendUtf16(out, cp);
    i += len;
  }
  return out;
}

// Thread: any.
std::string OleToUtf8(OleStringView s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    uint32_t c = static_cast<uint16_t>(s[i]);
    if (c >= 0xD800 && c <= 0xDBFF && i + 1 < s.size()) {
      const uint32_t d = static_cast<uint16_t>(s[i + 1]);
      if (d >= 0xDC00 && d <= 0xDFFF) {
        AppendUtf8(out, 0x10000 + ((c - 0xD800) << 10) + (d - 0xDC00));
        ++i;
        continue;
      }
    }
    if (c >= 0xD800 && c <= 0xDFFF) c = 0xFFFD;
    AppendUtf8(out, c);
  }
  return out;
}

// ---- Bstr ----

// Thread: any.
Bstr::Bstr(OleStringView s) {
  b_ = SysAllocStringLen(s.data(), static_cast<UINT>(s.size()));
  if (!b_) throw std::bad_alloc();
}

// Thread: any.
Bstr::Bstr(const Bstr& other) {
  if (other.b_) {
    b_ = SysAllocStringLen(other.b_, SysStringLen(other.b_));
    if (!b_) throw std::bad_alloc();
  }
}

// Thread: any.
Bstr& Bstr::operator=(const Bstr& other) {
  if (this != &other) {
    Bstr copy(other);
    std::swap(b_, copy.b_);
  }
  return *this;
}

// Thread: any.
Bstr& Bstr::operator=(Bstr&& other) noexcept {
  if (this != &other) {
    reset();
    b_ = other.b_;
    other.b_ = nullptr;
  }
  return *this;
}

// Thread: any.
void Bstr::reset() noexcept {
  if (b_) {
    SysFreeString(b_);
    b_ = nullptr;
  }
}

// Thread: any.
size_t Bstr::size() const noexcept { return b_ ? SysStringLen(b_) : 0; }

// ---- SafeArray ----

// Thread: any.
SafeArray::SafeArray(const SafeArray& other) {
  if (other.sa_) {
    HRESULT hr = SafeArrayCopy(other.sa_, &sa_);
    if (FAILED(hr)) {
      sa_ = nullptr;
      ThrowFor(hr);
    }
  }
}

// Thread: any.
SafeArray& SafeArray::operator=(const SafeArray& other) {
  if (this != &other) {
    SafeArray copy(other);
    std::swap(sa_, copy.sa_);
  }
  return *this;
}

// Thread: any.
SafeArray& SafeArray::operator=(SafeArray&& other) noexcept {
  if (this != &other) {
    reset();
    sa_ = other.sa_;
    other.sa_ = nullptr;
  }
  return *this;
}

// Thread: any.
SafeArray SafeArray::Create(VARTYPE vt, ULONG count) {
  if (!IsArrayElementType(vt)) return SafeArray();
  SAFEARRAY* sa = SafeArrayCreateVector(vt, 0, count);
  if (!sa) throw std::bad_alloc();
  return Adopt(sa);
}

// Thread: any.
void SafeArray::reset() noexcept {
  if (sa_) {
    SafeArrayDestroy(sa_);
    sa_ = nullptr;
  }
}

// Thread: any.
ULONG SafeArray::size() const noexcept {
  if (!sa_ || sa_->cDims < 1) return 0;
  return sa_->rgsabound[0].cElements;
}

// Thread: any.
LONG SafeArray::lbound() const noexcept {
  LONG lb = 0;
  if (!sa_ || FAILED(SafeArrayGetLBound(sa_, 1, &lb))) return 0;
  return lb;
}

// Thread: any.
VARTYPE SafeArray::elementType() const noexcept {
  VARTYPE vt = VT_EMPTY;
  if (!sa_ || FAILED(SafeArrayGetVartype(sa_, &vt))) return VT_EMPTY;
  return vt;
}

// Thread: any.
HRESULT SafeArray::Put(LONG index, const void* value) noexcept {
  if (!sa_) return E_INVALIDARG;
  return SafeArrayPutElement(sa_, &index, const_cast<void*>(value));
}

// Thread: any.
HRESULT SafeArray::Get(LONG index, void* out) const noexcept {
  if (!sa_) return E_INVALIDARG;
  return SafeArrayGetElement(sa_, &index, out);
}

// ---- Variant ----

// Thread: any.
Variant::Variant(const Variant& other) {
  VariantInit(&v_);
  HRESULT hr = VariantCopy(&v_, const_cast<VARIANT*>(&other.v_));
  if (FAILED(hr)) ThrowFor(hr);
}

// Thread: any.
Variant& Variant::operator=(const Variant& other) {
  if (this != &other) {
    Variant copy(other);
    std::swap(v_, copy.v_);
  }
  return *this;
}

// Thread: any.
Variant& Variant::operator=(Variant&& other) noexcept {
  if (this != &other) {
    VariantClear(&v_);
    v_ = other.v_;
    VariantInit(&other.v_);
  }
  return *this;
}

// Thread: any.
Variant Variant::Adopt(VARIANT* v) noexcept {
  Variant r;
  if (v) {
    r.v_ = *v;
    VariantInit(v);
  }
  return r;
}

// Thread: any.
HRESULT Variant::Copy(const VARIANT* src, Variant* out) noexcept {
  if (!src || !out) return E_POINTER;
  return VariantCopy(out->put(), const_cast<VARIANT*>(src));
}

// Thread: any.
Variant Variant::Null() noexcept {
  Variant r;
  r.v_.vt = VT_NULL;
  return r;
}

// Thread: any.
Variant Variant::FromBool(bool b) noexcept {
  Variant r;
  r.v_.vt = VT_BOOL;
  r.v_.boolVal = b ? VARIANT_TRUE : VARIANT_FALSE;
  return r;
}

// Thread: any.
Variant Variant::FromI1(int8_t i) noexcept {
  Variant r;
  r.v_.vt = VT_I1;
  r.v_.cVal = static_cast<CHAR>(i);
  return r;
}

// Thread: any.
Variant Variant::FromUI1(uint8_t i) noexcept {
  Variant r;
  r.v_.vt = VT_UI1;
  r.v_.bVal = i;
  return r;
}

// Thread: any.
Variant Variant::FromI2(int16_t i) noexcept {
  Variant r;
  r.v_.vt = VT_I2;
  r.v_.iVal = i;
  return r;
}

// Thread: any.
Variant Variant::FromUI2(uint16_t i) noexcept {
  Variant r;
  r.v_.vt = VT_UI2;
  r.v_.uiVal = i;
  return r;
}

// Thread: any.
Variant Variant::FromI4(int32_t i) noexcept {
  Variant r;
  r.v_.vt = VT_I4;
  r.v_.lVal = i;
  return r;
}

// Thread: any.
Variant Variant::FromUI4(uint32_t i) noexcept {
  Variant r;
  r.v_.vt = VT_UI4;
  r.v_.ulVal = i;
  return r;
}

// Thread: any.
Variant Variant::FromI8(int64_t i) noexcept {
  Variant r;
  r.v_.vt = VT_I8;
  r.v_.llVal = i;
  return r;
}

// Thread: any.
Variant Variant::FromUI8(uint64_t i) noexcept {
  Variant r;
  r.v_.vt = VT_UI8;
  r.v_.ullVal = i;
  return r;
}

// Thread: any.
Variant Variant::FromR4(float f) noexcept {
  Variant r;
  r.v_.vt = VT_R4;
  r.v_.fltVal = f;
  return r;
}

// Thread: any.
Variant Variant::FromR8(double d) noexcept {
  Variant r;
  r.v_.vt = VT_R8;
  r.v_.dblVal = d;
  return r;
}

// Thread: any.
Variant Variant::FromBstr(OleStringView s) {
  Bstr b(s);
  return FromBstr(std::move(b));
}

// Thread: any.
Variant Variant::FromBstr(Bstr&& b) noexcept {
  Variant r;
  r.v_.vt = VT_BSTR;
  r.v_.bstrVal = b.detach();
  return r;
}

// Thread: any.
Variant Variant::FromUnknown(IUnknown* p) noexcept {
  Variant r;
  r.v_.vt = VT_UNKNOWN;
  r.v_.punkVal = p;
  if (p) p->AddRef();
  return r;
}

// Thread: any.
Variant Variant::FromArray(SafeArray&& a) noexcept {
  Variant r;
  if (!a) return r;
  const VARTYPE element = a.elementType();
  if (element == VT_EMPTY) return r;  // cannot be described; `a` keeps (and frees) the array
  r.v_.vt = static_cast<VARTYPE>(VT_ARRAY | element);
  r.v_.parray = a.detach();
  return r;
}

// Thread: any.
VARIANT* Variant::put() noexcept {
  VariantClear(&v_);
  VariantInit(&v_);
  return &v_;
}

// Thread: any.
VARIANT Variant::detach() noexcept {
  VARIANT out = v_;
  VariantInit(&v_);
  return out;
}

}  // namespace wmiput::com
