// Owning wrappers for COM resources: interface pointers, BSTRs, VARIANTs and SAFEARRAYs. Outside
// com/ nobody calls AddRef/Release/SysFreeString/VariantClear/SafeArrayDestroy by hand.
//
// Thread: any. The wrappers hold no shared state; one object must not be used by two threads at
// once (like the resources they wrap).
//
// Throwing: constructors and makers that allocate throw std::bad_alloc when allocation fails
// (COM boundaries map it to WBEM_E_OUT_OF_MEMORY); everything else is noexcept and reports
// failure as an HRESULT.
#pragma once

#include <cstdint>
#include <new>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "com/com.h"

namespace wmiput::com {

// ---------------------------------------------------------------------------------------------
// ComPtr<T>: one counted reference to a COM interface.
template <class T>
class ComPtr {
 public:
  ComPtr() noexcept = default;
  ComPtr(std::nullptr_t) noexcept {}
  ComPtr(const ComPtr& other) noexcept : ptr_(other.ptr_) { AddRefIfSet(); }
  ComPtr(ComPtr&& other) noexcept : ptr_(other.ptr_) { other.ptr_ = nullptr; }
  template <class U, class = std::enable_if_t<std::is_convertible_v<U*, T*>>>
  ComPtr(const ComPtr<U>& other) noexcept : ptr_(other.get()) {
    AddRefIfSet();
  }
  template <class U, class = std::enable_if_t<std::is_convertible_v<U*, T*>>>
  ComPtr(ComPtr<U>&& other) noexcept : ptr_(other.detach()) {}
  ~ComPtr() { reset(); }

  ComPtr& operator=(const ComPtr& other) noexcept {
    if (other.ptr_ != ptr_) {
      T* old = ptr_;
      ptr_ = other.ptr_;
      AddRefIfSet();
      if (old) old->Release();
    }
    return *this;
  }
  ComPtr& operator=(ComPtr&& other) noexcept {
    if (this != &other) {
      T* old = ptr_;
      ptr_ = other.ptr_;
      other.ptr_ = nullptr;
      if (old) old->Release();
    }
    return *this;
  }
  ComPtr& operator=(std::nullptr_t) noexcept {
    reset();
    return *this;
  }

  // Takes over a reference the caller already owns (no AddRef).
  static ComPtr Adopt(T* p) noexcept {
    ComPtr r;
    r.ptr_ = p;
    return r;
  }
  // Takes a new reference (AddRef).
  static ComPtr Share(T* p) noexcept {
    ComPtr r;
    r.ptr_ = p;
    r.AddRefIfSet();
    return r;
  }

  T* get() const noexcept { return ptr_; }
  T* operator->() const noexcept { return ptr_; }
  T& operator*() const noexcept { return *ptr_; }
  explicit operator bool() const noexcept { return ptr_ != nullptr; }

  // Releases the current pointer and returns the slot for an out-parameter.
  T** put() noexcept {
    reset();
    return &ptr_;
  }
  // Hands the reference to the caller.
  T* detach() noexcept {
    T* p = ptr_;
    ptr_ = nullptr;
    return p;
  }
  void reset() noexcept {
    if (T* p = ptr_) {
      ptr_ = nullptr;
      p->Release();
    }
  }
  void swap(ComPtr& other) noexcept { std::swap(ptr_, other.ptr_); }

  // QueryInterface for U. E_POINTER when this or out is null; *out is emptied first.
  template <class U>
  HRESULT As(ComPtr<U>* out) const noexcept {
    if (!out) return E_POINTER;
    U** slot = out->put();
    if (!ptr_) return E_POINTER;
    return ptr_->QueryInterface(IidOf<U>(), reinterpret_cast<void**>(slot));
  }

 private:
  void AddRefIfSet() noexcept {
    if (ptr_) ptr_->AddRef();
  }
  T* ptr_ = nullptr;
};

template <class T, class U>
bool operator==(const ComPtr<T>& a, const ComPtr<U>& b) noexcept {
  return a.get() == b.get();
}
template <class T, class U>
bool operator!=(const ComPtr<T>& a, const ComPtr<U>& b) noexcept {
  return a.get() != b.get();
}
template <class T>
bool operator==(const ComPtr<T>& a, std::nullptr_t) noexcept {
  return a.get() == nullptr;
}
template <class T>
bool operator!=(const ComPtr<T>& a, std::nullptr_t) noexcept {
  return a.get() != nullptr;
}

// ---------------------------------------------------------------------------------------------
// Strings.

// The characters of b (embedded NULs included); NULL gives an empty string.
OleString ToOleString(BSTR b);
// UTF-8 <-> UTF-16 conversions; invalid sequences become U+FFFD.
OleString Utf8ToOle(std::string_view utf8);
std::string OleToUtf8(OleStringView ole);

// Bstr: owns a BSTR (NULL by default, which COM treats as the empty string).
class Bstr {
 public:
  Bstr() noexcept = default;
  explicit Bstr(OleStringView s);  // throws std::bad_alloc
  Bstr(const Bstr& other);         // deep copy; throws std::bad_alloc
  Bstr(Bstr&& other) noexcept : b_(other.b_) { other.b_ = nullptr; }
  ~Bstr() { reset(); }
  Bstr& operator=(const Bstr& other);
  Bstr& operator=(Bstr&& other) noexcept;

  static Bstr Adopt(BSTR b) noexcept {
    Bstr r;
    r.b_ = b;
    return r;
  }
  static Bstr FromUtf8(std::string_view utf8) { return Bstr(Utf8ToOle(utf8)); }

  BSTR get() const noexcept { return b_; }
  BSTR* put() noexcept {
    reset();
    return &b_;
  }
  BSTR detach() noexcept {
    BSTR b = b_;
    b_ = nullptr;
    return b;
  }
  void reset() noexcept;
  explicit operator bool() const noexcept { return b_ != nullptr; }

  size_t size() const noexcept;  // SysStringLen: embedded NULs count
  bool empty() const noexcept { return size() == 0; }
  OleStringView view() const noexcept { return OleStringView(b_ ? b_ : OLESTR(""), size()); }
  OleString str() const { return OleString(view()); }
  std::string utf8() const { return OleToUtf8(view()); }

 private:
  BSTR b_ = nullptr;
};

inline bool operator==(const Bstr& a, const Bstr& b) noexcept { return a.view() == b.view(); }
inline bool operator!=(const Bstr& a, const Bstr& b) noexcept { return !(a == b); }

// ---------------------------------------------------------------------------------------------
// SafeArray: owns a one-dimensional SAFEARRAY*.
class SafeArray {
 public:
  SafeArray() noexcept = default;
  SafeArray(const SafeArray& other);  // SafeArrayCopy (deep); throws std::bad_alloc
  SafeArray(SafeArray&& other) noexcept : sa_(other.sa_) { other.sa_ = nullptr; }
  ~SafeArray() { reset(); }
  SafeArray& operator=(const SafeArray& other);
  SafeArray& operator=(SafeArray&& other) noexcept;

  // A zero-initialised vector of `count` elements of type vt, lower bound 0. Throws
  // std::bad_alloc when allocation fails; returns a null SafeArray for a VARTYPE that cannot be
  // an array element (VT_EMPTY, VT_NULL, flags, unknown types).
  static SafeArray Create(VARTYPE vt, ULONG count);
  static SafeArray Adopt(SAFEARRAY* sa) noexcept {
    SafeArray r;
    r.sa_ = sa;
    return r;
  }

  SAFEARRAY* get() const noexcept { return sa_; }
  SAFEARRAY** put() noexcept {
    reset();
    return &sa_;
  }
  SAFEARRAY* detach() noexcept {
    SAFEARRAY* s = sa_;
    sa_ = nullptr;
    return s;
  }
  void reset() noexcept;
  explicit operator bool() const noexcept { return sa_ != nullptr; }

  ULONG size() const noexcept;        // elements in dimension 1; 0 when null
  LONG lbound() const noexcept;       // lower bound of dimension 1; 0 when null
  VARTYPE elementType() const noexcept;  // SafeArrayGetVartype; VT_EMPTY when unknown/null

  // SafeArrayPutElement / SafeArrayGetElement at absolute index `index` (lbound() included).
  // Element passing as in oleaut32: for VT_BSTR `value` is the BSTR itself (copied), for
  // VT_UNKNOWN/VT_DISPATCH the interface pointer (AddRef'd), for VT_VARIANT a VARIANT* (copied),
  // otherwise a pointer to the value. Get writes a new BSTR/AddRef'd pointer/copied VARIANT to
  // `out`; for VT_VARIANT `out` must be an initialised VARIANT (it is cleared first).
  HRESULT Put(LONG index, const void* value) noexcept;
  HRESULT Get(LONG index, void* out) const noexcept;

 private:
  SAFEARRAY* sa_ = nullptr;
};

// ---------------------------------------------------------------------------------------------
// Variant: owns a VARIANT (VT_EMPTY by default).
class Variant {
 public:
  Variant() noexcept { VariantInit(&v_); }
  Variant(const Variant& other);  // VariantCopy; throws std::bad_alloc
  Variant(Variant&& other) noexcept : v_(other.v_) { VariantInit(&other.v_); }
  ~Variant() { VariantClear(&v_); }
  Variant& operator=(const Variant& other);
  Variant& operator=(Variant&& other) noexcept;

  // Takes over the contents of *v and leaves *v VT_EMPTY (no copy).
  static Variant Adopt(VARIANT* v) noexcept;
  // Deep copy of *src into *out (VariantCopy); noexcept alternative to the copy constructor.
  static HRESULT Copy(const VARIANT* src, Variant* out) noexcept;

  static Variant Null() noexcept;
  static Variant FromBool(bool b) noexcept;
  static Variant FromI1(int8_t i) noexcept;
  static Variant FromUI1(uint8_t i) noexcept;
  static Variant FromI2(int16_t i) noexcept;
  static Variant FromUI2(uint16_t i) noexcept;
  static Variant FromI4(int32_t i) noexcept;
  static Variant FromUI4(uint32_t i) noexcept;
  static Variant FromI8(int64_t i) noexcept;
  static Variant FromUI8(uint64_t i) noexcept;
  static Variant FromR4(float f) noexcept;
  static Variant FromR8(double d) noexcept;
  static Variant FromBstr(OleStringView s);  // throws std::bad_alloc
  static Variant FromBstr(Bstr&& b) noexcept;
  static Variant FromUnknown(IUnknown* p) noexcept;  // AddRefs (p may be null)
  // Takes the array; vt = VT_ARRAY | element type. A null array gives VT_EMPTY.
  static Variant FromArray(SafeArray&& a) noexcept;

  VARIANT* get() noexcept { return &v_; }
  const VARIANT* get() const noexcept { return &v_; }
  // Clears and returns the VARIANT for an out-parameter.
  VARIANT* put() noexcept;
  // Hands the contents to the caller, who must VariantClear them; this becomes VT_EMPTY.
  VARIANT detach() noexcept;
  void reset() noexcept { put(); }
  VARTYPE vt() const noexcept { return v_.vt; }
  bool isEmpty() const noexcept { return v_.vt == VT_EMPTY; }
  bool isNull() const noexcept { return v_.vt == VT_NULL; }

 private:
  VARIANT v_;
};

}  // namespace wmiput::com
