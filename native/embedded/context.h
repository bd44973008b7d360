// IWbemContext of the embedded server (wmi-put-semantics.md §7.1): an
// ordered bag of named VARIANTs, names case-insensitive (case-preserving).
// Unlike class objects a context may be read by the server's worker threads
// while the client still holds it, so every method takes an internal lock.
#pragma once

#include "com/com.h"
#include "com/raii.h"

namespace wmiput::embedded {

// True for the VARIANT types a context value may have: VT_NULL, VT_I1, VT_UI1,
// VT_I2, VT_UI2, VT_I4, VT_UI4, VT_R4, VT_R8, VT_BOOL, VT_BSTR, VT_UNKNOWN
// (an IWbemClassObject) and VT_ARRAY of those except VT_NULL.
bool IsValidContextValue(const VARIANT& v) noexcept;

// Thread: any. Reads one value of any IWbemContext (ours or WMI's) into
// *out; WBEM_E_NOT_FOUND when absent. A small helper for the server.
HRESULT GetContextValue(IWbemContext* ctx, com::OleStringView name, com::Variant* out) noexcept;

}  // namespace wmiput::embedded
