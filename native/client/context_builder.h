// Named values → IWbemContext (wmi-put-semantics.md §7.1). Value types: an
// integral Number in int32 range → VT_I4, any other Number → VT_R8, BigInt →
// VT_BSTR decimal (a context holds no 64-bit integers), String/DateTime/
// Interval → VT_BSTR, Boolean → VT_BOOL, null → VT_NULL, arrays of one kind →
// VT_ARRAY of it (an array of strings, e.g. __PUT_EXT_PROPERTIES, is
// VT_ARRAY|VT_BSTR; an empty array too). Objects are refused.
#pragma once

#include "client/api.h"
#include "com/raii.h"

namespace wmiput::client {

// Thread: COM worker. An empty `values` gives a null context. On failure
// `name` is the value at fault and `why` the reason (WBEM_E_TYPE_MISMATCH).
HRESULT BuildContext(Backend backend, const NamedValues& values,
                     com::ComPtr<IWbemContext>* out, OleString* name, OleString* why) noexcept;

}  // namespace wmiput::client
