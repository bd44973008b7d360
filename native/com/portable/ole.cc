// Runtime of the portable OLE Automation subset: BSTR, VARIANT and one-dimensional SAFEARRAY,
// with oleaut32's observable behaviour (return codes, copy/ownership rules, lock counting).
// No global mutable state: every function is safe to call from any thread on distinct objects.

#include "com/portable/ole.h"

#include <cstdlib>
#include <cstring>

const IID IID_IUnknown = {0x00000000, 0x0000, 0x0000, {0xC0, 0, 0, 0, 0, 0, 0, 0x46}};
const IID IID_IDispatch = {0x00020400, 0x0000, 0x0000, {0xC0, 0, 0, 0, 0, 0, 0, 0x46}};

namespace {

// ---- BSTR ----
// Block layout: [uint32 byte length][characters][2 NUL bytes]; the BSTR points past the prefix.
constexpr size_t kBstrPrefix = sizeof(uint32_t);
constexpr UINT kMaxBstrBytes = 0x7FFFFFF0u;

// Thread: any.
BSTR AllocBstrBytes(const void* src, UINT bytes) noexcept {
  if (bytes > kMaxBstrBytes) return nullptr;
  char* block = static_cast<char*>(std::malloc(kBstrPrefix + bytes + sizeof(OLECHAR)));
  if (!block) return nullptr;
  const uint32_t len = bytes;
  std::memcpy(block, &len, sizeof(len));
  char* data = block + kBstrPrefix;
  if (src) {
    std::memcpy(data, src, bytes);
  } else {
    std::memset(data, 0, bytes);
  }
  data[bytes] = 0;
  data[bytes + 1] = 0;
  return reinterpret_cast<BSTR>(data);
}

// Thread: any.
char* BstrBlock(BSTR b) noexcept { return reinterpret_cast<char*>(b) - kBstrPrefix; }

// ---- SAFEARRAY ----
// Descriptor block: [16-byte prefix whose last 4 bytes hold the VARTYPE][SAFEARRAY]. Element data
// is a separate allocation.
constexpr size_t kDescriptorPrefix = 16;

// Thread: any.
size_t ElementSize(VARTYPE vt) noexcept {
  switch (vt) {
    case VT_I1: case VT_UI1:
      return 1;
    case VT_I2: case VT_UI2: case VT_BOOL:
      return 2;
    case VT_I4: case VT_UI4: case VT_INT: case VT_UINT: case VT_R4: case VT_ERROR:
      return 4;
    case VT_I8: case VT_UI8: case VT_R8: case VT_CY: case VT_DATE:
      return 8;
    case VT_BSTR:
      return sizeof(BSTR);
    case VT_UNKNOWN: case VT_DISPATCH:
      return sizeof(IUnknown*);
    case VT_VARIANT:
      return sizeof(VARIANT);
    default:
      return 0;
  }
}

// Thread: any.
USHORT FeaturesFor(VARTYPE vt) noexcept {
  USHORT f = FADF_HAVEVARTYPE;
  switch (vt) {
    case VT_BSTR: f |= FADF_BSTR; break;
    case VT_UNKNOWN: f |= FADF_UNKNOWN; break;
    case VT_DISPATCH: f |= FADF_DISPATCH; break;
    case VT_VARIANT: f |= FADF_VARIANT; break;
    default: break;
  }
  return f;
}

// Thread: any.
void StoreVartype(SAFEARRAY* sa, uint32_t vt) noexcept {
  std::memcpy(reinterpret_cast<char*>(sa) - sizeof(uint32_t), &vt, sizeof(vt));
}

// Thread: any.
uint32_t LoadVartype(const SAFEARRAY* sa) noexcept {
  uint32_t vt;
  std::memcpy(&vt, reinterpret_cast<const char*>(sa) - sizeof(uint32_t), sizeof(vt));
  return vt;
}

// A one-dimensional array with zeroed elements, or nullptr when out of memory.
// Thread: any.
SAFEARRAY* AllocArray(USHORT features, ULONG cbElements, uint32_t vt, LONG lbound,
                      ULONG count) noexcept {
  if (cbElements == 0) return nullptr;
  const uint64_t bytes = static_cast<uint64_t>(cbElements) * count;
  if (bytes > 0x7FFFFFFFu) return nullptr;
  char* block = static_cast<char*>(std::calloc(1, kDescriptorPrefix + sizeof(SAFEARRAY)));
  if (!block) return nullptr;
  // calloc(0) may return NULL; always allocate at least one byte so pvData is never NULL.
  void* data = std::calloc(1, bytes ? static_cast<size_t>(bytes) : 1);
  if (!data) {
    std::free(block);
    return nullptr;
  }
  SAFEARRAY* sa = reinterpret_cast<SAFEARRAY*>(block + kDescriptorPrefix);
  sa->cDims = 1;
  sa->fFeatures = features;
  sa->cbElements = cbElements;
  sa->cLocks = 0;
  sa->pvData = data;
  sa->rgsabound[0].cElements = count;
  sa->rgsabound[0].lLbound = lbound;
  StoreVartype(sa, vt);
  return sa;
}

// Thread: any.
void FreeDescriptor(SAFEARRAY* sa) noexcept {
  std::free(reinterpret_cast<char*>(sa) - kDescriptorPrefix);
}

// Thread: any.
ULONG ElementCount(const SAFEARRAY* sa) noexcept {
  return sa->cDims == 1 ? sa->rgsabound[0].cElements : 0;
}

// Releases what the elements own (BSTRs, interfaces, VARIANT contents) and zeroes them.
// Thread: any.
void ClearElements(SAFEARRAY* sa) noexcept {
  if (!sa->pvData) return;
  const ULONG n = ElementCount(sa);
  char* p = static_cast<char*>(sa->pvData);
  if (sa->fFeatures & FADF_BSTR) {
    for (ULONG i = 0; i < n; ++i) SysFreeString(reinterpret_cast<BSTR*>(p)[i]);
  } else if (sa->fFeatures & (FADF_UNKNOWN | FADF_DISPATCH)) {
    for (ULONG i = 0; i < n; ++i)
      if (IUnknown* u = reinterpret_cast<IUnknown**>(p)[i]) u->Release();
  } else if (sa->fFeatures & FADF_VARIANT) {
    for (ULONG i = 0; i < n; ++i) VariantClear(reinterpret_cast<VARIANT*>(p) + i);
  }
  std::memset(p, 0, static_cast<size_t>(n) * sa->cbElements);
}

// Pointer to element rgIndices[0] or DISP_E_BADINDEX.
// Thread: any.
HRESULT ElementPtr(SAFEARRAY* sa, const LONG* rgIndices, char** out) noexcept {
  if (sa->cDims != 1) return E_INVALIDARG;
  const int64_t offset =
      static_cast<int64_t>(rgIndices[0]) - static_cast<int64_t>(sa->rgsabound[0].lLbound);
  if (offset < 0 || offset >= static_cast<int64_t>(sa->rgsabound[0].cElements))
    return DISP_E_BADINDEX;
  if (!sa->pvData) return E_UNEXPECTED;
  *out = static_cast<char*>(sa->pvData) + offset * static_cast<int64_t>(sa->cbElements);
  return S_OK;
}

// ---- VARIANT ----

// DISP_E_BADVARTYPE for a VARTYPE that cannot be held in a VARIANT. Same rule as oleaut32 (as
// observed under Wine), except that VT_RECORD and VT_CLSID, which this subset does not model,
// are rejected too.
// Thread: any.
HRESULT ValidateVariantType(VARTYPE vt) noexcept {
  const VARTYPE extra = vt & ~VT_TYPEMASK;
  const VARTYPE base = vt & VT_TYPEMASK;
  if (extra & (VT_VECTOR | VT_RESERVED)) return DISP_E_BADVARTYPE;
  if (base >= VT_VOID || base == 15) return DISP_E_BADVARTYPE;
  if ((extra & (VT_BYREF | VT_ARRAY)) && base <= VT_NULL) return DISP_E_BADVARTYPE;
  return S_OK;
}

// A copy of b; NULL gives an allocated empty string, as in oleaut32.
// Thread: any.
BSTR CopyBstr(BSTR b) noexcept {
  return SysAllocStringByteLen(reinterpret_cast<LPCSTR>(b), SysStringByteLen(b));
}

}  // namespace

// ============================ BSTR ============================

// Thread: any.
BSTR SysAllocString(const OLECHAR* psz) {
  if (!psz) return nullptr;
  size_t n = 0;
  while (psz[n]) ++n;
  if (n > kMaxBstrBytes / sizeof(OLECHAR)) return nullptr;
  return AllocBstrBytes(psz, static_cast<UINT>(n * sizeof(OLECHAR)));
}

// Thread: any.
BSTR SysAllocStringLen(const OLECHAR* strIn, UINT ui) {
  if (ui > kMaxBstrBytes / sizeof(OLECHAR)) return nullptr;
  return AllocBstrBytes(strIn, ui * static_cast<UINT>(sizeof(OLECHAR)));
}

// Thread: any.
BSTR SysAllocStringByteLen(LPCSTR psz, UINT len) { return AllocBstrBytes(psz, len); }

// Thread: any.
INT SysReAllocStringLen(BSTR* pbstr, const OLECHAR* psz, UINT len) {
  if (!pbstr) return FALSE;
  // Allocate before freeing: psz may point into the old string.
  BSTR fresh = SysAllocStringLen(psz, len);
  if (!fresh) return FALSE;
  SysFreeString(*pbstr);
  *pbstr = fresh;
  return TRUE;
}

// Thread: any.
INT SysReAllocString(BSTR* pbstr, const OLECHAR* psz) {
  if (!pbstr) return FALSE;
  BSTR fresh = SysAllocString(psz);
  if (psz && !fresh) return FALSE;
  SysFreeString(*pbstr);
  *pbstr = fresh;
  return TRUE;
}

// Thread: any.
void SysFreeString(BSTR bstrString) {
  if (bstrString) std::free(BstrBlock(bstrString));
}

// Thread: any.
UINT SysStringByteLen(BSTR bstr) {
  if (!bstr) return 0;
  uint32_t len;
  std::memcpy(&len, BstrBlock(bstr), sizeof(len));
  return len;
}

// Thread: any.
UINT SysStringLen(BSTR pbstr) { return SysStringByteLen(pbstr) / sizeof(OLECHAR); }

// ============================ VARIANT ============================

// Thread: any.
void VariantInit(VARIANTARG* pvarg) {
  if (!pvarg) return;
  std::memset(pvarg, 0, sizeof(*pvarg));
  pvarg->vt = VT_EMPTY;
}

// Thread: any.
HRESULT VariantClear(VARIANTARG* pvarg) {
  if (!pvarg) return E_INVALIDARG;
  HRESULT hr = ValidateVariantType(pvarg->vt);
  if (FAILED(hr)) return hr;
  const VARTYPE vt = pvarg->vt;
  if (!(vt & VT_BYREF)) {
    if (vt & VT_ARRAY) {
      // A locked array is reported (DISP_E_ARRAYISLOCKED) but the VARIANT is still emptied, as
      // oleaut32 does; the array is then owned by whoever holds the lock.
      if (pvarg->parray) hr = SafeArrayDestroy(pvarg->parray);
    } else if (vt == VT_BSTR) {
      SysFreeString(pvarg->bstrVal);
    } else if (vt == VT_UNKNOWN || vt == VT_DISPATCH) {
      if (pvarg->punkVal) pvarg->punkVal->Release();
    }
  }
  pvarg->vt = VT_EMPTY;
  pvarg->llVal = 0;
  return hr;
}

// Thread: any.
HRESULT VariantCopy(VARIANTARG* pvargDest, VARIANTARG* pvargSrc) {
  if (!pvargDest || !pvargSrc) return E_INVALIDARG;
  HRESULT hr = ValidateVariantType(pvargSrc->vt);
  if (FAILED(hr)) return hr;
  if (pvargDest == pvargSrc) return S_OK;
  hr = VariantClear(pvargDest);
  if (FAILED(hr)) return hr;

  VARIANT copy = *pvargSrc;
  const VARTYPE vt = pvargSrc->vt;
  if (!(vt & VT_BYREF)) {
    if (vt & VT_ARRAY) {
      if (pvargSrc->parray) {
        hr = SafeArrayCopy(pvargSrc->parray, &copy.parray);
        if (FAILED(hr)) return hr;
      }
    } else if (vt == VT_BSTR) {
      copy.bstrVal = CopyBstr(pvargSrc->bstrVal);
      if (!copy.bstrVal) return E_OUTOFMEMORY;
    } else if (vt == VT_UNKNOWN || vt == VT_DISPATCH) {
      if (copy.punkVal) copy.punkVal->AddRef();
    }
  }
  *pvargDest = copy;
  return S_OK;
}

// ============================ SAFEARRAY ============================

// Thread: any.
SAFEARRAY* SafeArrayCreate(VARTYPE vt, UINT cDims, SAFEARRAYBOUND* rgsabound) {
  if (cDims != 1 || !rgsabound) return nullptr;
  return SafeArrayCreateVector(vt, rgsabound[0].lLbound, rgsabound[0].cElements);
}

// Thread: any.
SAFEARRAY* SafeArrayCreateVector(VARTYPE vt, LONG lLbound, ULONG cElements) {
  const size_t size = ElementSize(vt);
  if (size == 0) return nullptr;
  return AllocArray(FeaturesFor(vt), static_cast<ULONG>(size), vt, lLbound, cElements);
}

// Thread: any.
HRESULT SafeArrayDestroyData(SAFEARRAY* psa) {
  if (!psa) return E_INVALIDARG;
  if (__atomic_load_n(&psa->cLocks, __ATOMIC_ACQUIRE) != 0) return DISP_E_ARRAYISLOCKED;
  ClearElements(psa);
  std::free(psa->pvData);
  psa->pvData = nullptr;
  return S_OK;
}

// Thread: any.
HRESULT SafeArrayDestroy(SAFEARRAY* psa) {
  if (!psa) return S_OK;
  HRESULT hr = SafeArrayDestroyData(psa);
  if (FAILED(hr)) return hr;
  FreeDescriptor(psa);
  return S_OK;
}

// Thread: any.
UINT SafeArrayGetDim(SAFEARRAY* psa) { return psa ? psa->cDims : 0; }

// Thread: any.
UINT SafeArrayGetElemsize(SAFEARRAY* psa) { return psa ? psa->cbElements : 0; }

// Thread: any.
HRESULT SafeArrayGetLBound(SAFEARRAY* psa, UINT nDim, LONG* plLbound) {
  if (!psa || !plLbound) return E_INVALIDARG;
  if (nDim == 0 || nDim > psa->cDims) return DISP_E_BADINDEX;
  // Bounds are stored last dimension first, as in oleaut32.
  *plLbound = psa->rgsabound[psa->cDims - nDim].lLbound;
  return S_OK;
}

// Thread: any.
HRESULT SafeArrayGetUBound(SAFEARRAY* psa, UINT nDim, LONG* plUbound) {
  if (!psa || !plUbound) return E_INVALIDARG;
  if (nDim == 0 || nDim > psa->cDims) return DISP_E_BADINDEX;
  const SAFEARRAYBOUND& b = psa->rgsabound[psa->cDims - nDim];
  *plUbound = static_cast<LONG>(static_cast<int64_t>(b.lLbound) + b.cElements - 1);
  return S_OK;
}

// Thread: any.
HRESULT SafeArrayLock(SAFEARRAY* psa) {
  if (!psa) return E_INVALIDARG;
  const ULONG locks = __atomic_add_fetch(&psa->cLocks, 1u, __ATOMIC_ACQ_REL);
  if (locks > 0xFFFF) {
    __atomic_sub_fetch(&psa->cLocks, 1u, __ATOMIC_ACQ_REL);
    return E_UNEXPECTED;
  }
  return S_OK;
}

// Thread: any.
HRESULT SafeArrayUnlock(SAFEARRAY* psa) {
  if (!psa) return E_INVALIDARG;
  ULONG locks = __atomic_load_n(&psa->cLocks, __ATOMIC_ACQUIRE);
  do {
    if (locks == 0) return E_UNEXPECTED;
  } while (!__atomic_compare_exchange_n(&psa->cLocks, &locks, locks - 1, false,
                                        __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE));
  return S_OK;
}

// Thread: any.
HRESULT SafeArrayAccessData(SAFEARRAY* psa, void** ppvData) {
  if (!psa || !ppvData) return E_INVALIDARG;
  HRESULT hr = SafeArrayLock(psa);
  if (FAILED(hr)) {
    *ppvData = nullptr;
    return hr;
  }
  *ppvData = psa->pvData;
  return S_OK;
}

// Thread: any.
HRESULT SafeArrayUnaccessData(SAFEARRAY* psa) { return SafeArrayUnlock(psa); }

// Thread: any.
HRESULT SafeArrayPtrOfIndex(SAFEARRAY* psa, LONG* rgIndices, void** ppvData) {
  if (!psa || !rgIndices || !ppvData) return E_INVALIDARG;
  char* p = nullptr;
  HRESULT hr = ElementPtr(psa, rgIndices, &p);
  if (FAILED(hr)) return hr;
  *ppvData = p;
  return S_OK;
}

// Thread: any.
HRESULT SafeArrayGetElement(SAFEARRAY* psa, LONG* rgIndices, void* pv) {
  if (!psa || !rgIndices || !pv) return E_INVALIDARG;
  char* p = nullptr;
  HRESULT hr = ElementPtr(psa, rgIndices, &p);
  if (FAILED(hr)) return hr;
  hr = SafeArrayLock(psa);
  if (FAILED(hr)) return hr;
  if (psa->fFeatures & FADF_VARIANT) {
    hr = VariantCopy(static_cast<VARIANT*>(pv), reinterpret_cast<VARIANT*>(p));
  } else if (psa->fFeatures & FADF_BSTR) {
    // A NULL element is returned as NULL (whereas PutElement stores NULL as an empty string).
    BSTR src = *reinterpret_cast<BSTR*>(p);
    BSTR copy = src ? CopyBstr(src) : nullptr;
    if (src && !copy) {
      hr = E_OUTOFMEMORY;
    } else {
      *static_cast<BSTR*>(pv) = copy;
    }
  } else if (psa->fFeatures & (FADF_UNKNOWN | FADF_DISPATCH)) {
    IUnknown* u = *reinterpret_cast<IUnknown**>(p);
    if (u) u->AddRef();
    *static_cast<IUnknown**>(pv) = u;
  } else {
    std::memcpy(pv, p, psa->cbElements);
  }
  SafeArrayUnlock(psa);
  return hr;
}

// Thread: any.
HRESULT SafeArrayPutElement(SAFEARRAY* psa, LONG* rgIndices, void* pv) {
  if (!psa || !rgIndices) return E_INVALIDARG;
  const bool pointerElements = (psa->fFeatures & (FADF_BSTR | FADF_UNKNOWN | FADF_DISPATCH)) != 0;
  if (!pv && !pointerElements) return E_INVALIDARG;
  char* p = nullptr;
  HRESULT hr = ElementPtr(psa, rgIndices, &p);
  if (FAILED(hr)) return hr;
  hr = SafeArrayLock(psa);
  if (FAILED(hr)) return hr;
  if (psa->fFeatures & FADF_VARIANT) {
    hr = VariantCopy(reinterpret_cast<VARIANT*>(p), static_cast<VARIANT*>(pv));
  } else if (psa->fFeatures & FADF_BSTR) {
    BSTR copy = CopyBstr(static_cast<BSTR>(pv));
    if (!copy) {
      hr = E_OUTOFMEMORY;
    } else {
      BSTR* slot = reinterpret_cast<BSTR*>(p);
      SysFreeString(*slot);
      *slot = copy;
    }
  } else if (psa->fFeatures & (FADF_UNKNOWN | FADF_DISPATCH)) {
    IUnknown* u = static_cast<IUnknown*>(pv);
    if (u) u->AddRef();
    IUnknown** slot = reinterpret_cast<IUnknown**>(p);
    if (*slot) (*slot)->Release();
    *slot = u;
  } else {
    std::memcpy(p, pv, psa->cbElements);
  }
  SafeArrayUnlock(psa);
  return hr;
}

// Thread: any.
HRESULT SafeArrayGetVartype(SAFEARRAY* psa, VARTYPE* pvt) {
  if (!psa || !pvt) return E_INVALIDARG;
  if (psa->fFeatures & FADF_HAVEVARTYPE) {
    *pvt = static_cast<VARTYPE>(LoadVartype(psa));
  } else if (psa->fFeatures & FADF_BSTR) {
    *pvt = VT_BSTR;
  } else if (psa->fFeatures & FADF_UNKNOWN) {
    *pvt = VT_UNKNOWN;
  } else if (psa->fFeatures & FADF_DISPATCH) {
    *pvt = VT_DISPATCH;
  } else if (psa->fFeatures & FADF_VARIANT) {
    *pvt = VT_VARIANT;
  } else {
    return E_INVALIDARG;
  }
  return S_OK;
}

// Thread: any.
HRESULT SafeArrayCopy(SAFEARRAY* psa, SAFEARRAY** ppsaOut) {
  if (!ppsaOut) return E_INVALIDARG;
  *ppsaOut = nullptr;
  if (!psa) return S_OK;
  if (psa->cDims != 1) return E_INVALIDARG;
  const USHORT kept = FADF_HAVEVARTYPE | FADF_BSTR | FADF_UNKNOWN | FADF_DISPATCH | FADF_VARIANT;
  const ULONG n = psa->rgsabound[0].cElements;
  SAFEARRAY* out = AllocArray(static_cast<USHORT>(psa->fFeatures & kept), psa->cbElements,
                              LoadVartype(psa), psa->rgsabound[0].lLbound, n);
  if (!out) return E_OUTOFMEMORY;
  if (!psa->pvData) {
    *ppsaOut = out;
    return S_OK;
  }

  const char* src = static_cast<const char*>(psa->pvData);
  char* dst = static_cast<char*>(out->pvData);
  HRESULT hr = S_OK;
  if (psa->fFeatures & FADF_VARIANT) {
    for (ULONG i = 0; i < n && SUCCEEDED(hr); ++i)
      hr = VariantCopy(reinterpret_cast<VARIANT*>(dst) + i,
                       const_cast<VARIANT*>(reinterpret_cast<const VARIANT*>(src) + i));
  } else if (psa->fFeatures & FADF_BSTR) {
    for (ULONG i = 0; i < n && SUCCEEDED(hr); ++i) {
      BSTR s = reinterpret_cast<const BSTR*>(src)[i];
      if (!s) continue;
      BSTR c = SysAllocStringByteLen(reinterpret_cast<LPCSTR>(s), SysStringByteLen(s));
      if (!c) hr = E_OUTOFMEMORY;
      reinterpret_cast<BSTR*>(dst)[i] = c;
    }
  } else if (psa->fFeatures & (FADF_UNKNOWN | FADF_DISPATCH)) {
    for (ULONG i = 0; i < n; ++i) {
      IUnknown* u = reinterpret_cast<IUnknown* const*>(src)[i];
      if (u) u->AddRef();
      reinterpret_cast<IUnknown**>(dst)[i] = u;
    }
  } else {
    std::memcpy(dst, src, static_cast<size_t>(n) * psa->cbElements);
  }
  if (FAILED(hr)) {
    SafeArrayDestroy(out);
    return hr;
  }
  *ppsaOut = out;
  return S_OK;
}
