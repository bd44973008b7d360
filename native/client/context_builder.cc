#include "client/context_builder.h"

#include <new>

#include "client/coerce.h"

namespace wmiput::client {

using com::ComPtr;
using com::Variant;

namespace {

// BigInts become decimal strings before the untyped conversion.
Value Stringify(const Value& v) {
  if (v.kind == Value::Kind::kBigInt && !v.overflow) {
    Value s;
    s.kind = Value::Kind::kString;
    s.text = BigIntToDecimal(v.negative && v.magnitude != 0, v.magnitude);
    return s;
  }
  if (v.kind == Value::Kind::kArray) {
    Value a;
    a.kind = Value::Kind::kArray;
    for (const auto& item : v.items) a.items.push_back(Stringify(item));
    return a;
  }
  return v;
}

HRESULT CreateContext(Backend backend, ComPtr<IWbemContext>* out) {
#ifdef _WIN32
  if (backend == Backend::kWmi)
    return CoCreateInstance(CLSID_WbemContext, nullptr, CLSCTX_INPROC_SERVER, IID_IWbemContext,
                            reinterpret_cast<void**>(out->put()));
#else
  (void)backend;
#endif
  return embedded::CreateContext(out->put());
}

}  // namespace

// Thread: COM worker.
HRESULT BuildContext(Backend backend, const NamedValues& values, ComPtr<IWbemContext>* out,
                     OleString* name, OleString* why) noexcept {
  out->reset();
  if (values.empty()) return S_OK;
  try {
    ComPtr<IWbemContext> ctx;
    HRESULT hr = CreateContext(backend, &ctx);
    if (FAILED(hr)) return hr;
    for (const auto& [key, value] : values) {
      Variant v;
      OleString reason;
      hr = value.kind == Value::Kind::kBigInt && value.overflow
               ? (reason = ToOle("a bigint beyond 64 bits"), static_cast<HRESULT>(WBEM_E_TYPE_MISMATCH))
               : UntypedToVariant(Stringify(value), true, &v, &reason);
      if (SUCCEEDED(hr)) hr = ctx->SetValue(key.c_str(), 0, v.get());
      if (FAILED(hr)) {
        if (name) *name = key;
        if (why) *why = std::move(reason);
        return hr;
      }
    }
    *out = std::move(ctx);
    return S_OK;
  } catch (const std::bad_alloc&) {
    return WBEM_E_OUT_OF_MEMORY;
  } catch (...) {
    return WBEM_E_FAILED;
  }
}

}  // namespace wmiput::client
