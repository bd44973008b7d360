// Tests of the COM ABI runtime (portable BSTR/VARIANT/SAFEARRAY; on Windows the same checks run
// against oleaut32) and of the RAII wrappers in com/raii.h.
#include <cstring>
#include <thread>

#include "check.h"
#include "com/raii.h"

using namespace wmiput::com;

namespace {

// An IUnknown that counts references and never frees itself, so tests can read the count.
class CountedUnknown : public IUnknown {
 public:
  HRESULT STDMETHODCALLTYPE QueryInterface(REFIID riid, void** ppv) noexcept override {
    if (!ppv) return E_POINTER;
    if (IsEqualGUID(riid, IID_IUnknown)) {
      *ppv = static_cast<IUnknown*>(this);
      AddRef();
      return S_OK;
    }
    *ppv = nullptr;
    return E_NOINTERFACE;
  }
  ULONG STDMETHODCALLTYPE AddRef() noexcept override { return ++refs; }
  ULONG STDMETHODCALLTYPE Release() noexcept override { return --refs; }
  ULONG refs = 1;
};

// A fake WBEM sink: QueryInterface answers IUnknown and IWbemObjectSink.
class CountedSink : public IWbemObjectSink {
 public:
  HRESULT STDMETHODCALLTYPE QueryInterface(REFIID riid, void** ppv) noexcept override {
    if (!ppv) return E_POINTER;
    if (IsEqualGUID(riid, IID_IUnknown) || IsEqualGUID(riid, IID_IWbemObjectSink)) {
      *ppv = static_cast<IWbemObjectSink*>(this);
      AddRef();
      return S_OK;
    }
    *ppv = nullptr;
    return E_NOINTERFACE;
  }
  ULONG STDMETHODCALLTYPE AddRef() noexcept override { return ++refs; }
  ULONG STDMETHODCALLTYPE Release() noexcept override { return --refs; }
  HRESULT STDMETHODCALLTYPE Indicate(long, IWbemClassObject**) noexcept override { return S_OK; }
  HRESULT STDMETHODCALLTYPE SetStatus(long, HRESULT, BSTR, IWbemClassObject*) noexcept override {
    return S_OK;
  }
  ULONG refs = 1;
};

const OLECHAR kWithNul[] = {u'a', u'\0', u'b', u'c'};

}  // namespace

// ---------------------------------------------------------------- BSTR

WP_TEST("ole: BSTR lengths, prefix and terminator") {
  BSTR b = SysAllocString(OLESTR("hello"));
  CHECK(b != nullptr);
  CHECK_EQ(SysStringLen(b), 5u);
  CHECK_EQ(SysStringByteLen(b), 10u);
  CHECK(b[5] == 0);
  uint32_t prefix = 0;
  std::memcpy(&prefix, reinterpret_cast<const char*>(b) - 4, 4);
  CHECK_EQ(prefix, 10u);
  SysFreeString(b);
}

WP_TEST("ole: BSTR keeps embedded NULs") {
  BSTR b = SysAllocStringLen(kWithNul, 4);
  CHECK_EQ(SysStringLen(b), 4u);
  CHECK_EQ(SysStringByteLen(b), 8u);
  CHECK(b[1] == 0 && b[2] == u'b' && b[3] == u'c' && b[4] == 0);
  CHECK(ToOleString(b) == OleString(kWithNul, 4));
  SysFreeString(b);
}

WP_TEST("ole: BSTR NULL handling") {
  CHECK(SysAllocString(nullptr) == nullptr);
  CHECK_EQ(SysStringLen(nullptr), 0u);
  CHECK_EQ(SysStringByteLen(nullptr), 0u);
  SysFreeString(nullptr);
  BSTR zeros = SysAllocStringLen(nullptr, 3);
  CHECK(zeros != nullptr);
  CHECK_EQ(SysStringLen(zeros), 3u);
  CHECK(zeros[0] == 0 && zeros[1] == 0 && zeros[2] == 0 && zeros[3] == 0);
  SysFreeString(zeros);
  BSTR empty = SysAllocString(OLESTR(""));
  CHECK(empty != nullptr);
  CHECK_EQ(SysStringLen(empty), 0u);
  SysFreeString(empty);
  CHECK(ToOleString(nullptr) == OleString());
}

WP_TEST("ole: SysAllocStringByteLen with an odd length") {
  BSTR b = SysAllocStringByteLen("abc", 3);
  CHECK_EQ(SysStringByteLen(b), 3u);
  CHECK_EQ(SysStringLen(b), 1u);
  SysFreeString(b);
}

WP_TEST("ole: SysReAllocStringLen may read from the old string") {
  BSTR b = SysAllocString(OLESTR("abcdef"));
  CHECK_EQ(SysReAllocStringLen(&b, b + 2, 3), TRUE);
  CHECK(ToOleString(b) == OleString(OLESTR("cde")));
  CHECK_EQ(SysReAllocString(&b, OLESTR("xy")), TRUE);
  CHECK_EQ(SysStringLen(b), 2u);
  SysFreeString(b);
}

// ---------------------------------------------------------------- VARIANT

WP_TEST("ole: VariantInit and VariantClear of scalars") {
  VARIANT v;
  std::memset(&v, 0xAB, sizeof(v));
  VariantInit(&v);
  CHECK_EQ(v.vt, VARTYPE(VT_EMPTY));
  v.vt = VT_I4;
  v.lVal = 42;
  CHECK_HR(VariantClear(&v), S_OK);
  CHECK_EQ(v.vt, VARTYPE(VT_EMPTY));
#ifndef _WIN32  // oleaut32 dereferences NULL here
  CHECK_HR(VariantClear(nullptr), E_INVALIDARG);
#endif
}

WP_TEST("ole: VariantCopy deep-copies a BSTR and VariantClear frees it") {
  VARIANT src, dst;
  VariantInit(&src);
  VariantInit(&dst);
  src.vt = VT_BSTR;
  src.bstrVal = SysAllocStringLen(kWithNul, 4);
  CHECK_HR(VariantCopy(&dst, &src), S_OK);
  CHECK_EQ(dst.vt, VARTYPE(VT_BSTR));
  CHECK(dst.bstrVal != src.bstrVal);
  CHECK_EQ(SysStringLen(dst.bstrVal), 4u);
  CHECK(ToOleString(dst.bstrVal) == OleString(kWithNul, 4));
  CHECK_HR(VariantClear(&src), S_OK);
  CHECK(ToOleString(dst.bstrVal) == OleString(kWithNul, 4));
  CHECK_HR(VariantClear(&dst), S_OK);
  CHECK_EQ(dst.vt, VARTYPE(VT_EMPTY));
}

WP_TEST("ole: VariantCopy of a NULL BSTR gives an empty BSTR") {
  VARIANT src, dst;
  VariantInit(&src);
  VariantInit(&dst);
  src.vt = VT_BSTR;
  src.bstrVal = nullptr;
  CHECK_HR(VariantCopy(&dst, &src), S_OK);
  CHECK_EQ(dst.vt, VARTYPE(VT_BSTR));
  CHECK(dst.bstrVal != nullptr);
  CHECK_EQ(SysStringLen(dst.bstrVal), 0u);
  CHECK_HR(VariantClear(&dst), S_OK);
}

WP_TEST("ole: VariantCopy/VariantClear of VT_UNKNOWN AddRef and Release") {
  CountedUnknown unk;
  VARIANT src, dst;
  VariantInit(&src);
  VariantInit(&dst);
  src.vt = VT_UNKNOWN;
  src.punkVal = &unk;
  unk.AddRef();
  CHECK_EQ(unk.refs, 2u);
  CHECK_HR(VariantCopy(&dst, &src), S_OK);
  CHECK_EQ(unk.refs, 3u);
  CHECK(dst.punkVal == &unk);
  CHECK_HR(VariantClear(&dst), S_OK);
  CHECK_EQ(unk.refs, 2u);
  CHECK_HR(VariantClear(&src), S_OK);
  CHECK_EQ(unk.refs, 1u);
}

WP_TEST("ole: VariantCopy clears the destination first") {
  CountedUnknown unk;
  VARIANT dst, src;
  VariantInit(&dst);
  VariantInit(&src);
  dst.vt = VT_UNKNOWN;
  dst.punkVal = &unk;
  unk.AddRef();
  src.vt = VT_I2;
  src.iVal = -7;
  CHECK_HR(VariantCopy(&dst, &src), S_OK);
  CHECK_EQ(unk.refs, 1u);
  CHECK_EQ(dst.vt, VARTYPE(VT_I2));
  CHECK_EQ(dst.iVal, SHORT(-7));
  CHECK_HR(VariantCopy(&dst, &dst), S_OK);  // self-copy is a no-op
  CHECK_EQ(dst.iVal, SHORT(-7));
}

WP_TEST("ole: invalid VARTYPEs are rejected with DISP_E_BADVARTYPE") {
  VARIANT v, d;
  VariantInit(&d);
  VariantInit(&v);
  v.vt = 15;
  CHECK_HR(VariantClear(&v), DISP_E_BADVARTYPE);
  CHECK_EQ(v.vt, VARTYPE(15));  // untouched
  CHECK_HR(VariantCopy(&d, &v), DISP_E_BADVARTYPE);
  v.vt = 0x7FF;
  CHECK_HR(VariantClear(&v), DISP_E_BADVARTYPE);
  v.vt = VT_VARIANT;  // meaningless but accepted by oleaut32
  CHECK_HR(VariantClear(&v), S_OK);
  CHECK_EQ(v.vt, VARTYPE(VT_EMPTY));
  v.vt = VT_BYREF | VT_NULL;
  CHECK_HR(VariantClear(&v), DISP_E_BADVARTYPE);
  v.vt = VT_VOID;
  CHECK_HR(VariantClear(&v), DISP_E_BADVARTYPE);
  v.vt = VT_ARRAY | VT_EMPTY;
  CHECK_HR(VariantClear(&v), DISP_E_BADVARTYPE);
  v.vt = VT_VECTOR | VT_I4;
  CHECK_HR(VariantClear(&v), DISP_E_BADVARTYPE);
#ifndef _WIN32
  CHECK_HR(VariantCopy(nullptr, &d), E_INVALIDARG);
  CHECK_HR(VariantCopy(&d, nullptr), E_INVALIDARG);
#endif
  v.vt = VT_EMPTY;
}

WP_TEST("ole: VT_BYREF is copied shallowly and not freed") {
  LONG target = 5;
  VARIANT v, d;
  VariantInit(&v);
  VariantInit(&d);
  v.vt = VT_BYREF | VT_I4;
  v.plVal = &target;
  CHECK_HR(VariantCopy(&d, &v), S_OK);
  CHECK(d.plVal == &target);
  CHECK_HR(VariantClear(&d), S_OK);
  CHECK_HR(VariantClear(&v), S_OK);
  CHECK_EQ(target, LONG(5));
}

WP_TEST("ole: VariantCopy of VT_ARRAY|VT_BSTR copies every string") {
  SAFEARRAY* sa = SafeArrayCreateVector(VT_BSTR, 0, 2);
  CHECK(sa != nullptr);
  BSTR one = SysAllocString(OLESTR("one"));
  LONG i = 0;
  CHECK_HR(SafeArrayPutElement(sa, &i, one), S_OK);
  SysFreeString(one);
  VARIANT src, dst;
  VariantInit(&src);
  VariantInit(&dst);
  src.vt = VT_ARRAY | VT_BSTR;
  src.parray = sa;
  CHECK_HR(VariantCopy(&dst, &src), S_OK);
  CHECK(dst.parray != nullptr && dst.parray != sa);
  BSTR* a = static_cast<BSTR*>(sa->pvData);
  BSTR* b = static_cast<BSTR*>(dst.parray->pvData);
  CHECK(a[0] != b[0]);
  CHECK(ToOleString(b[0]) == OleString(OLESTR("one")));
  CHECK(b[1] == nullptr);
  CHECK_HR(VariantClear(&src), S_OK);
  CHECK(ToOleString(b[0]) == OleString(OLESTR("one")));
  CHECK_HR(VariantClear(&dst), S_OK);
}

WP_TEST("ole: VariantCopy of VT_ARRAY|VT_VARIANT copies nested values") {
  CountedUnknown unk;
  SAFEARRAY* sa = SafeArrayCreateVector(VT_VARIANT, 0, 2);
  VARIANT e;
  VariantInit(&e);
  e.vt = VT_UNKNOWN;
  e.punkVal = &unk;  // borrowed: PutElement copies (AddRef)
  LONG i = 0;
  CHECK_HR(SafeArrayPutElement(sa, &i, &e), S_OK);
  CHECK_EQ(unk.refs, 2u);
  VARIANT s;
  VariantInit(&s);
  s.vt = VT_BSTR;
  s.bstrVal = SysAllocString(OLESTR("x"));
  i = 1;
  CHECK_HR(SafeArrayPutElement(sa, &i, &s), S_OK);
  CHECK_HR(VariantClear(&s), S_OK);

  VARIANT src, dst;
  VariantInit(&src);
  VariantInit(&dst);
  src.vt = VT_ARRAY | VT_VARIANT;
  src.parray = sa;
  CHECK_HR(VariantCopy(&dst, &src), S_OK);
  CHECK_EQ(unk.refs, 3u);
  VARIANT* copied = static_cast<VARIANT*>(dst.parray->pvData);
  CHECK_EQ(copied[1].vt, VARTYPE(VT_BSTR));
  CHECK(copied[1].bstrVal != static_cast<VARIANT*>(sa->pvData)[1].bstrVal);
  CHECK(ToOleString(copied[1].bstrVal) == OleString(OLESTR("x")));
  CHECK_HR(VariantClear(&src), S_OK);
  CHECK_EQ(unk.refs, 2u);
  CHECK_HR(VariantClear(&dst), S_OK);
  CHECK_EQ(unk.refs, 1u);
}

WP_TEST("ole: VariantClear of a locked array reports it and empties the variant") {
  SAFEARRAY* sa = SafeArrayCreateVector(VT_I4, 0, 1);
  VARIANT v;
  VariantInit(&v);
  v.vt = VT_ARRAY | VT_I4;
  v.parray = sa;
  CHECK_HR(SafeArrayLock(sa), S_OK);
  CHECK_HR(VariantClear(&v), DISP_E_ARRAYISLOCKED);
  CHECK_EQ(v.vt, VARTYPE(VT_EMPTY));
  CHECK_HR(SafeArrayUnlock(sa), S_OK);
  CHECK_HR(SafeArrayDestroy(sa), S_OK);  // the array was left to the lock holder
}

// ---------------------------------------------------------------- SAFEARRAY

WP_TEST("ole: SafeArrayCreate shape, bounds and element size") {
  SAFEARRAYBOUND bound{3, 5};
  SAFEARRAY* sa = SafeArrayCreate(VT_I4, 1, &bound);
  CHECK(sa != nullptr);
  CHECK_EQ(SafeArrayGetDim(sa), 1u);
  CHECK_EQ(SafeArrayGetElemsize(sa), 4u);
  LONG lb = 0, ub = 0;
  CHECK_HR(SafeArrayGetLBound(sa, 1, &lb), S_OK);
  CHECK_HR(SafeArrayGetUBound(sa, 1, &ub), S_OK);
  CHECK_EQ(lb, LONG(5));
  CHECK_EQ(ub, LONG(7));
  CHECK_HR(SafeArrayGetLBound(sa, 0, &lb), DISP_E_BADINDEX);
  CHECK_HR(SafeArrayGetUBound(sa, 2, &ub), DISP_E_BADINDEX);
  CHECK_HR(SafeArrayGetLBound(nullptr, 1, &lb), E_INVALIDARG);
  VARTYPE vt = 0;
  CHECK_HR(SafeArrayGetVartype(sa, &vt), S_OK);
  CHECK_EQ(vt, VARTYPE(VT_I4));
  CHECK(sa->fFeatures & FADF_HAVEVARTYPE);
  CHECK_HR(SafeArrayDestroy(sa), S_OK);
}

WP_TEST("ole: SafeArrayCreate element sizes and features per VARTYPE") {
  struct Row {
    VARTYPE vt;
    UINT size;
    USHORT feature;
  };
  const Row rows[] = {
      {VT_UI1, 1, 0},        {VT_I2, 2, 0},      {VT_BOOL, 2, 0},
      {VT_R8, 8, 0},         {VT_I8, 8, 0},      {VT_BSTR, sizeof(void*), FADF_BSTR},
      {VT_UNKNOWN, sizeof(void*), FADF_UNKNOWN}, {VT_VARIANT, sizeof(VARIANT), FADF_VARIANT},
  };
  for (const Row& r : rows) {
    SAFEARRAY* sa = SafeArrayCreateVector(r.vt, 0, 2);
    CHECK(sa != nullptr);
    CHECK_EQ(SafeArrayGetElemsize(sa), r.size);
    if (r.feature) CHECK(sa->fFeatures & r.feature);
    VARTYPE vt = 0;
    CHECK_HR(SafeArrayGetVartype(sa, &vt), S_OK);
    CHECK_EQ(vt, r.vt);
    CHECK_HR(SafeArrayDestroy(sa), S_OK);
  }
}

WP_TEST("ole: SafeArrayCreate rejects bad dimensions and element types") {
  SAFEARRAYBOUND bounds[2] = {{2, 0}, {2, 0}};
#ifndef _WIN32  // the portable runtime is one-dimensional only
  CHECK(SafeArrayCreate(VT_I4, 2, bounds) == nullptr);
#endif
  CHECK(SafeArrayCreate(VT_I4, 0, bounds) == nullptr);
  CHECK(SafeArrayCreateVector(VT_EMPTY, 0, 1) == nullptr);
  CHECK(SafeArrayCreateVector(VT_NULL, 0, 1) == nullptr);
  CHECK_HR(SafeArrayDestroy(nullptr), S_OK);
}

WP_TEST("ole: SafeArray element access out of bounds is DISP_E_BADINDEX") {
  SAFEARRAY* sa = SafeArrayCreateVector(VT_I4, 10, 2);  // indices 10 and 11
  LONG value = 99, out = 0;
  LONG idx = 9;
  CHECK_HR(SafeArrayPutElement(sa, &idx, &value), DISP_E_BADINDEX);
  CHECK_HR(SafeArrayGetElement(sa, &idx, &out), DISP_E_BADINDEX);
  idx = 12;
  CHECK_HR(SafeArrayPutElement(sa, &idx, &value), DISP_E_BADINDEX);
  CHECK_HR(SafeArrayGetElement(sa, &idx, &out), DISP_E_BADINDEX);
  idx = 11;
  CHECK_HR(SafeArrayPutElement(sa, &idx, &value), S_OK);
  CHECK_HR(SafeArrayGetElement(sa, &idx, &out), S_OK);
  CHECK_EQ(out, LONG(99));
  CHECK_EQ(static_cast<LONG*>(sa->pvData)[1], LONG(99));
  CHECK_HR(SafeArrayGetElement(nullptr, &idx, &out), E_INVALIDARG);
  CHECK_HR(SafeArrayGetElement(sa, nullptr, &out), E_INVALIDARG);
  CHECK_HR(SafeArrayDestroy(sa), S_OK);
}

WP_TEST("ole: SafeArray locking") {
  SAFEARRAY* sa = SafeArrayCreateVector(VT_BSTR, 0, 1);
  void* data = nullptr;
  CHECK_HR(SafeArrayAccessData(sa, &data), S_OK);
  CHECK(data == sa->pvData);
  CHECK_EQ(sa->cLocks, 1u);
  CHECK_HR(SafeArrayLock(sa), S_OK);
  CHECK_EQ(sa->cLocks, 2u);
  CHECK_HR(SafeArrayDestroy(sa), DISP_E_ARRAYISLOCKED);
  CHECK_HR(SafeArrayUnlock(sa), S_OK);
  CHECK_HR(SafeArrayUnaccessData(sa), S_OK);
  CHECK_EQ(sa->cLocks, 0u);
  CHECK_HR(SafeArrayUnlock(sa), E_UNEXPECTED);
  CHECK_EQ(sa->cLocks, 0u);
  CHECK_HR(SafeArrayLock(nullptr), E_INVALIDARG);
  CHECK_HR(SafeArrayDestroy(sa), S_OK);
}

WP_TEST("ole: SafeArray BSTR elements are copied in and out") {
  SAFEARRAY* sa = SafeArrayCreateVector(VT_BSTR, 0, 1);
  BSTR in = SysAllocStringLen(kWithNul, 4);
  LONG i = 0;
  CHECK_HR(SafeArrayPutElement(sa, &i, in), S_OK);
  BSTR stored = static_cast<BSTR*>(sa->pvData)[0];
  CHECK(stored != in);
  SysFreeString(in);
  BSTR out = nullptr;
  CHECK_HR(SafeArrayGetElement(sa, &i, &out), S_OK);
  CHECK(out != stored);
  CHECK(ToOleString(out) == OleString(kWithNul, 4));
  SysFreeString(out);
  // Replacing an element frees the previous string (checked by the sanitizer build); a NULL
  // BSTR is stored as an allocated empty string.
  CHECK_HR(SafeArrayPutElement(sa, &i, nullptr), S_OK);
  CHECK(static_cast<BSTR*>(sa->pvData)[0] != nullptr);
  CHECK_EQ(SysStringLen(static_cast<BSTR*>(sa->pvData)[0]), 0u);
  CHECK_HR(SafeArrayDestroy(sa), S_OK);
}

WP_TEST("ole: SafeArray IUnknown elements AddRef on put/get and Release on destroy") {
  CountedUnknown a, b;
  SAFEARRAY* sa = SafeArrayCreateVector(VT_UNKNOWN, 0, 1);
  LONG i = 0;
  CHECK_HR(SafeArrayPutElement(sa, &i, static_cast<IUnknown*>(&a)), S_OK);
  CHECK_EQ(a.refs, 2u);
  IUnknown* out = nullptr;
  CHECK_HR(SafeArrayGetElement(sa, &i, &out), S_OK);
  CHECK(out == &a);
  CHECK_EQ(a.refs, 3u);
  out->Release();
  CHECK_HR(SafeArrayPutElement(sa, &i, static_cast<IUnknown*>(&b)), S_OK);
  CHECK_EQ(a.refs, 1u);
  CHECK_EQ(b.refs, 2u);
  SAFEARRAY* copy = nullptr;
  CHECK_HR(SafeArrayCopy(sa, &copy), S_OK);
  CHECK_EQ(b.refs, 3u);
  CHECK_HR(SafeArrayDestroy(copy), S_OK);
  CHECK_HR(SafeArrayDestroy(sa), S_OK);
  CHECK_EQ(b.refs, 1u);
}

WP_TEST("ole: SafeArrayCopy of plain data, bounds and NULL") {
  SAFEARRAY* sa = SafeArrayCreateVector(VT_R8, -1, 3);
  for (LONG i = -1; i <= 1; ++i) {
    double d = i * 1.5;
    CHECK_HR(SafeArrayPutElement(sa, &i, &d), S_OK);
  }
  SAFEARRAY* copy = nullptr;
  CHECK_HR(SafeArrayCopy(sa, &copy), S_OK);
  CHECK(copy->pvData != sa->pvData);
  LONG lb = 0;
  CHECK_HR(SafeArrayGetLBound(copy, 1, &lb), S_OK);
  CHECK_EQ(lb, LONG(-1));
  LONG i = 1;
  double d = 0;
  CHECK_HR(SafeArrayGetElement(copy, &i, &d), S_OK);
  CHECK_EQ(d, 1.5);
  VARTYPE vt = 0;
  CHECK_HR(SafeArrayGetVartype(copy, &vt), S_OK);
  CHECK_EQ(vt, VARTYPE(VT_R8));
  CHECK_EQ(copy->cLocks, 0u);
  CHECK_HR(SafeArrayDestroy(copy), S_OK);
  CHECK_HR(SafeArrayDestroy(sa), S_OK);
  SAFEARRAY* none = reinterpret_cast<SAFEARRAY*>(1);
  CHECK_HR(SafeArrayCopy(nullptr, &none), S_OK);
  CHECK(none == nullptr);
}

WP_TEST("ole: empty SafeArray has UBound = LBound - 1") {
  SAFEARRAY* sa = SafeArrayCreateVector(VT_VARIANT, 0, 0);
  CHECK(sa != nullptr);
  LONG ub = 99;
  CHECK_HR(SafeArrayGetUBound(sa, 1, &ub), S_OK);
  CHECK_EQ(ub, LONG(-1));
  LONG i = 0;
  VARIANT v;
  VariantInit(&v);
  CHECK_HR(SafeArrayGetElement(sa, &i, &v), DISP_E_BADINDEX);
  CHECK_HR(SafeArrayDestroy(sa), S_OK);
}

// ---------------------------------------------------------------- RAII

WP_TEST("raii: ComPtr copy, move, Adopt, Share, put, detach, reset") {
  CountedUnknown u;
  {
    auto a = ComPtr<IUnknown>::Share(&u);
    CHECK_EQ(u.refs, 2u);
    ComPtr<IUnknown> b = a;
    CHECK_EQ(u.refs, 3u);
    ComPtr<IUnknown> c = std::move(b);
    CHECK_EQ(u.refs, 3u);
    CHECK(!b);
    CHECK(c.get() == &u);
    c = a;  // same pointer: no change
    CHECK_EQ(u.refs, 3u);
    c.reset();
    CHECK_EQ(u.refs, 2u);
    u.AddRef();
    auto d = ComPtr<IUnknown>::Adopt(&u);
    CHECK_EQ(u.refs, 3u);
    IUnknown* raw = d.detach();
    CHECK(!d);
    CHECK_EQ(u.refs, 3u);
    *d.put() = raw;  // back into a holder
    CHECK_EQ(u.refs, 3u);
    d.put();  // releases
    CHECK_EQ(u.refs, 2u);
    a = nullptr;
    CHECK_EQ(u.refs, 1u);
    CHECK(a == nullptr);
  }
  CHECK_EQ(u.refs, 1u);
}

WP_TEST("raii: ComPtr::As queries and counts references") {
  CountedSink sink;
  {
    auto unk = ComPtr<IUnknown>::Share(&sink);
    CHECK_EQ(sink.refs, 2u);
    ComPtr<IWbemObjectSink> s;
    CHECK_HR(unk.As(&s), S_OK);
    CHECK(s.get() == &sink);
    CHECK_EQ(sink.refs, 3u);
    ComPtr<IWbemServices> svc;
    CHECK_HR(unk.As(&svc), E_NOINTERFACE);
    CHECK(!svc);
    CHECK_EQ(sink.refs, 3u);
    ComPtr<IUnknown> up = s;  // converting copy
    CHECK_EQ(sink.refs, 4u);
    ComPtr<IUnknown> empty;
    CHECK_HR(empty.As(&s), E_POINTER);
    CHECK(!s);
    CHECK_EQ(sink.refs, 3u);
  }
  CHECK_EQ(sink.refs, 1u);
}

WP_TEST("raii: IidOf returns the SDK identifiers") {
  CHECK(IsEqualGUID(IidOf<IUnknown>(), IID_IUnknown));
  CHECK_EQ(IidOf<IWbemServices>().Data1, 0x9556DC99u);
  CHECK_EQ(IidOf<IWbemObjectSink>().Data1, 0x7C857801u);
  CHECK_EQ(IidOf<IWbemClassObject>().Data1, 0xDC12A681u);
  CHECK_EQ(IidOf<IWbemQualifierSet>().Data1, 0xDC12A680u);
  CHECK_EQ(IidOf<IWbemContext>().Data1, 0x44ACA674u);
  CHECK_EQ(IidOf<IWbemCallResult>().Data1, 0x44ACA675u);
  CHECK_EQ(IidOf<IEnumWbemClassObject>().Data1, 0x027947E1u);
  CHECK_EQ(int(IidOf<IUnknown>().Data4[0]), 0xC0);
  CHECK_EQ(int(IidOf<IUnknown>().Data4[7]), 0x46);
  CHECK(!IsEqualGUID(IidOf<IWbemContext>(), IidOf<IWbemCallResult>()));
}

WP_TEST("raii: Bstr ownership, size with embedded NULs, copies") {
  Bstr a(OleStringView(kWithNul, 4));
  CHECK_EQ(a.size(), size_t(4));
  CHECK_EQ(SysStringLen(a.get()), 4u);
  CHECK(a.str() == OleString(kWithNul, 4));
  Bstr b = a;
  CHECK(b.get() != a.get());
  CHECK(b == a);
  Bstr c = std::move(b);
  CHECK(!b);
  CHECK_EQ(c.size(), size_t(4));
  BSTR raw = c.detach();
  CHECK(!c);
  Bstr d = Bstr::Adopt(raw);
  CHECK(d.get() == raw);
  *d.put() = SysAllocString(OLESTR("z"));
  CHECK(d.str() == OleString(OLESTR("z")));
  Bstr empty;
  CHECK_EQ(empty.size(), size_t(0));
  CHECK(empty.str() == OleString());
  Bstr fromEmpty{OleStringView()};
  CHECK(fromEmpty.get() != nullptr);  // an allocated empty BSTR, not NULL
  CHECK_EQ(fromEmpty.size(), size_t(0));
}

WP_TEST("raii: UTF-8 conversions") {
  const std::string s = "a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80";  // a é € 😀
  OleString o = Utf8ToOle(s);
  CHECK_EQ(o.size(), size_t(5));
  CHECK(o[1] == 0xE9 && o[2] == 0x20AC && o[3] == 0xD83D && o[4] == 0xDE00);
  CHECK_EQ(OleToUtf8(o), s);
  CHECK(Bstr::FromUtf8("hi").str() == OleString(OLESTR("hi")));
  OleString bad = Utf8ToOle("\xFF" "x");
  CHECK(bad.size() == 2 && bad[0] == 0xFFFD && bad[1] == u'x');
  const OLECHAR lone[] = {0xD800, u'y'};
  CHECK(OleToUtf8(OleStringView(lone, 2)) == std::string("\xEF\xBF\xBDy"));
}

WP_TEST("raii: Variant makers set vt and value") {
  CHECK_EQ(Variant().vt(), VARTYPE(VT_EMPTY));
  CHECK_EQ(Variant::Null().vt(), VARTYPE(VT_NULL));
  auto t = Variant::FromBool(true);
  CHECK_EQ(t.vt(), VARTYPE(VT_BOOL));
  CHECK_EQ(t.get()->boolVal, VARIANT_TRUE);
  // Values are read into locals: a reference into a temporary Variant would dangle.
  auto value = [](const Variant& v) { return *v.get(); };
  CHECK_EQ(value(Variant::FromBool(false)).boolVal, VARIANT_FALSE);
  CHECK_EQ(value(Variant::FromI1(-5)).cVal, CHAR(-5));
  CHECK_EQ(Variant::FromI1(-5).vt(), VARTYPE(VT_I1));
  CHECK_EQ(value(Variant::FromUI1(200)).bVal, BYTE(200));
  CHECK_EQ(value(Variant::FromI2(-300)).iVal, SHORT(-300));
  CHECK_EQ(value(Variant::FromUI2(60000)).uiVal, USHORT(60000));
  CHECK_EQ(Variant::FromUI2(60000).vt(), VARTYPE(VT_UI2));
  CHECK_EQ(value(Variant::FromI4(-70000)).lVal, LONG(-70000));
  CHECK_EQ(value(Variant::FromUI4(0xFFFFFFFFu)).ulVal, ULONG(0xFFFFFFFFu));
  CHECK_EQ(Variant::FromUI4(1).vt(), VARTYPE(VT_UI4));
  CHECK_EQ(value(Variant::FromI8(-(1LL << 40))).llVal, LONGLONG(-(1LL << 40)));
  CHECK_EQ(value(Variant::FromUI8(1ULL << 63)).ullVal, ULONGLONG(1ULL << 63));
  CHECK_EQ(value(Variant::FromR4(1.5f)).fltVal, 1.5f);
  CHECK_EQ(value(Variant::FromR8(2.25)).dblVal, 2.25);
  CHECK_EQ(Variant::FromR8(2.25).vt(), VARTYPE(VT_R8));
  auto s = Variant::FromBstr(OleStringView(kWithNul, 4));
  CHECK_EQ(s.vt(), VARTYPE(VT_BSTR));
  CHECK_EQ(SysStringLen(s.get()->bstrVal), 4u);
}

WP_TEST("raii: Variant copy/move/put/detach ownership") {
  CountedUnknown u;
  {
    auto a = Variant::FromUnknown(&u);
    CHECK_EQ(u.refs, 2u);
    Variant b = a;
    CHECK_EQ(u.refs, 3u);
    Variant c = std::move(b);
    CHECK_EQ(b.vt(), VARTYPE(VT_EMPTY));
    CHECK_EQ(u.refs, 3u);
    c.put();
    CHECK_EQ(c.vt(), VARTYPE(VT_EMPTY));
    CHECK_EQ(u.refs, 2u);
    VARIANT raw = a.detach();
    CHECK_EQ(a.vt(), VARTYPE(VT_EMPTY));
    CHECK_EQ(u.refs, 2u);
    Variant back = Variant::Adopt(&raw);
    CHECK_EQ(raw.vt, VARTYPE(VT_EMPTY));
    CHECK_EQ(u.refs, 2u);
    Variant copy;
    CHECK_HR(Variant::Copy(back.get(), &copy), S_OK);
    CHECK_EQ(u.refs, 3u);
    copy = Variant::FromI4(1);
    CHECK_EQ(u.refs, 2u);
  }
  CHECK_EQ(u.refs, 1u);
}

WP_TEST("raii: SafeArray Create/Put/Get and Variant::FromArray") {
  auto sa = SafeArray::Create(VT_BSTR, 3);
  CHECK(sa);
  CHECK_EQ(sa.size(), 3u);
  CHECK_EQ(sa.lbound(), LONG(0));
  CHECK_EQ(sa.elementType(), VARTYPE(VT_BSTR));
  Bstr x(OLESTR("x"));
  CHECK_HR(sa.Put(2, x.get()), S_OK);
  CHECK_HR(sa.Put(3, x.get()), DISP_E_BADINDEX);
  Bstr got;
  CHECK_HR(sa.Get(2, got.put()), S_OK);
  CHECK(got.get() != x.get());
  CHECK(got.str() == OleString(OLESTR("x")));
  SafeArray copy = sa;
  CHECK(copy.get() != sa.get());
  CHECK_EQ(copy.size(), 3u);
  Variant v = Variant::FromArray(std::move(sa));
  CHECK(!sa);
  CHECK_EQ(v.vt(), VARTYPE(VT_ARRAY | VT_BSTR));
  CHECK_EQ(v.get()->parray->rgsabound[0].cElements, 3u);
  Variant v2 = v;  // deep copy of the array
  CHECK(v2.get()->parray != v.get()->parray);
  CHECK(!SafeArray::Create(VT_EMPTY, 1));
  CHECK_EQ(Variant::FromArray(SafeArray()).vt(), VARTYPE(VT_EMPTY));  // vt() returns by value
}

WP_TEST("raii: SafeArray of VARIANT and of IUnknown through the wrapper") {
  CountedUnknown u;
  {
    auto sa = SafeArray::Create(VT_VARIANT, 2);
    auto e = Variant::FromUnknown(&u);
    CHECK_EQ(u.refs, 2u);
    CHECK_HR(sa.Put(0, e.get()), S_OK);
    CHECK_EQ(u.refs, 3u);
    Variant out;
    CHECK_HR(sa.Get(0, out.put()), S_OK);
    CHECK_EQ(out.vt(), VARTYPE(VT_UNKNOWN));
    CHECK_EQ(u.refs, 4u);
    auto units = SafeArray::Create(VT_UNKNOWN, 1);
    CHECK_HR(units.Put(0, static_cast<IUnknown*>(&u)), S_OK);
    CHECK_EQ(u.refs, 5u);
    ComPtr<IUnknown> p;
    CHECK_HR(units.Get(0, p.put()), S_OK);
    CHECK_EQ(u.refs, 6u);
    CHECK_HR(SafeArray().Put(0, nullptr), E_INVALIDARG);
  }
  CHECK_EQ(u.refs, 1u);
}

WP_TEST("ole: SafeArray argument errors and DestroyData while locked") {
  VARTYPE vt = 0;
  void* data = nullptr;
  CHECK_HR(SafeArrayGetVartype(nullptr, &vt), E_INVALIDARG);
  CHECK_HR(SafeArrayAccessData(nullptr, &data), E_INVALIDARG);
  CHECK_HR(SafeArrayUnaccessData(nullptr), E_INVALIDARG);
  CHECK_EQ(SafeArrayGetDim(nullptr), 0u);
  CHECK_EQ(SafeArrayGetElemsize(nullptr), 0u);
  SAFEARRAY* sa = SafeArrayCreateVector(VT_BSTR, 0, 1);
  LONG i = 0;
  CHECK_HR(SafeArrayLock(sa), S_OK);
  Bstr s(OLESTR("locked"));
  CHECK_HR(SafeArrayPutElement(sa, &i, s.get()), S_OK);  // element access works while locked
  CHECK_HR(SafeArrayDestroyData(sa), DISP_E_ARRAYISLOCKED);
  CHECK_HR(SafeArrayUnlock(sa), S_OK);
  BSTR out = nullptr;
  CHECK_HR(SafeArrayGetElement(sa, &i, &out), S_OK);
  CHECK(ToOleString(out) == OleString(OLESTR("locked")));
  SysFreeString(out);
  CHECK_HR(SafeArrayDestroy(sa), S_OK);
}

WP_TEST("ole: SafeArrayGetElement of a NULL BSTR element gives NULL") {
  SAFEARRAY* sa = SafeArrayCreateVector(VT_BSTR, 0, 1);
  LONG i = 0;
  BSTR out = reinterpret_cast<BSTR>(&i);
  CHECK_HR(SafeArrayGetElement(sa, &i, &out), S_OK);
  CHECK(out == nullptr);
  CHECK_HR(SafeArrayDestroy(sa), S_OK);
}

WP_TEST("ole: VT_DISPATCH values are reference-counted like VT_UNKNOWN") {
  class CountedDispatch : public IDispatch {
   public:
    HRESULT STDMETHODCALLTYPE QueryInterface(REFIID, void** ppv) noexcept override {
      *ppv = nullptr;
      return E_NOINTERFACE;
    }
    ULONG STDMETHODCALLTYPE AddRef() noexcept override { return ++refs; }
    ULONG STDMETHODCALLTYPE Release() noexcept override { return --refs; }
#ifdef _WIN32
    HRESULT STDMETHODCALLTYPE GetTypeInfoCount(UINT*) noexcept override { return E_NOTIMPL; }
    HRESULT STDMETHODCALLTYPE GetTypeInfo(UINT, LCID, ITypeInfo**) noexcept override {
      return E_NOTIMPL;
    }
    HRESULT STDMETHODCALLTYPE GetIDsOfNames(REFIID, LPOLESTR*, UINT, LCID,
                                            DISPID*) noexcept override {
      return E_NOTIMPL;
    }
    HRESULT STDMETHODCALLTYPE Invoke(DISPID, REFIID, LCID, WORD, DISPPARAMS*, VARIANT*,
                                     EXCEPINFO*, UINT*) noexcept override {
      return E_NOTIMPL;
    }
#endif
    ULONG refs = 1;
  } disp;
  VARIANT a, b;
  VariantInit(&a);
  VariantInit(&b);
  a.vt = VT_DISPATCH;
  a.pdispVal = &disp;
  CHECK_HR(VariantCopy(&b, &a), S_OK);
  CHECK_EQ(disp.refs, 2u);
  CHECK_HR(VariantClear(&b), S_OK);
  CHECK_EQ(disp.refs, 1u);
  a.vt = VT_EMPTY;
}

WP_TEST("ole: SafeArray lock counting is atomic across threads") {
  SAFEARRAY* sa = SafeArrayCreateVector(VT_I4, 0, 1);
  auto work = [sa] {
    for (int i = 0; i < 20000; ++i) {
      SafeArrayLock(sa);
      SafeArrayUnlock(sa);
    }
  };
  std::thread t1(work), t2(work);
  t1.join();
  t2.join();
  CHECK_EQ(sa->cLocks, 0u);
  CHECK_HR(SafeArrayDestroy(sa), S_OK);
}
