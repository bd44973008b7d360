// VARIANT typing rules of IWbemClassObject::Put/Get (wmi-put-semantics.md
// §5.1): which VARIANTs a property of a given CIM type accepts, and the
// canonical VARIANT it is stored (and read back) as. Shared by the class
// objects and the repository. Pure functions; thread-safe, any thread.
#pragma once

#include "com/com.h"
#include "com/raii.h"

namespace wmiput::embedded {

using com::OleString;
using com::OleStringView;

// True for the CIM element types a property can have (sint8 ... object),
// optionally OR-ed with CIM_FLAG_ARRAY and nothing else.
bool IsValidCimType(CIMTYPE type) noexcept;
// S_OK or WBEM_E_INVALID_PROPERTY_TYPE.
HRESULT CheckCimType(CIMTYPE type) noexcept;

// The VARTYPE a value of `type` is stored as: VT_I2 for sint8/sint16/char16,
// VT_UI1 for uint8, VT_I4 for uint16/sint32/uint32, VT_BSTR for 64-bit,
// string, datetime, reference, VT_R4/VT_R8, VT_BOOL, VT_UNKNOWN for object;
// VT_ARRAY | that for arrays. VT_EMPTY for an invalid type.
VARTYPE CanonicalVarType(CIMTYPE type) noexcept;

// MOF name of an element type: "uint32", "string", "datetime", "ref",
// "object", ... (the array flag is ignored). Empty for an invalid type.
OleString CimTypeName(CIMTYPE type);

// True for VT_EMPTY/VT_NULL (and a null pointer): the value NULL.
bool IsNullValue(const VARIANT* v) noexcept;

// Converts `in` for a property of CIM type `type` into its canonical stored
// VARIANT (see CanonicalVarType). NULL input (VT_NULL, VT_EMPTY, a null
// VT_UNKNOWN) gives VT_NULL. Rules (every mismatch is WBEM_E_TYPE_MISMATCH):
//  - integers accept the integer VARTYPEs (I1, UI1, I2, UI2, I4, UI4, INT,
//    UINT, I8, UI8) within the property's range, and scalar VT_R4/VT_R8
//    holding an integral value in range; uint32 additionally takes VT_I4 of
//    any value (same bits) but rejects VT_I2/VT_I1 (documented WMI
//    behaviour); uint16 rejects negative values; char16 takes VT_I2 of any
//    value and others in 0..65535.
//  - sint64/uint64 take a decimal BSTR (optional '-' for sint64, no spaces,
//    no hex; leading zeros allowed and dropped) or an integer VARTYPE in
//    range; stored as the canonical decimal BSTR.
//  - real32/real64 take VT_R4, VT_R8 (finite for real32 narrowing) and
//    integer VARTYPEs.
//  - boolean takes only VT_BOOL holding VARIANT_TRUE (-1) or VARIANT_FALSE.
//  - string takes VT_BSTR; datetime a VT_BSTR that IsValidDateTimeOrInterval
//    accepts, or, when `interval` (SubType("interval")) is set, one that
//    IsValidInterval accepts; reference a VT_BSTR that ParseObjectPath
//    accepts.
//  - object takes VT_UNKNOWN/VT_DISPATCH of an IWbemClassObject, which is
//    Cloned (the stored value is a copy).
//  - arrays take VT_ARRAY|elem with each element converted as above except
//    that VT_R4/VT_R8 elements never go into integer arrays; VT_ARRAY|VT_VARIANT
//    elements are converted one by one (an empty one fits any array type).
//    A scalar into an array property or an array into a scalar one fails.
//  - VT_BYREF and multi-dimensional arrays are rejected.
// WBEM_E_INVALID_PROPERTY_TYPE when `type` itself is invalid. On failure
// *out is left as it was (callers may convert straight into a stored slot).
HRESULT CoerceForPut(CIMTYPE type, const VARIANT& in, com::Variant* out,
                     bool interval = false) noexcept;

// True when `v` already is exactly what CoerceForPut(type, v, &out,
// interval) would store (same VARTYPE and contents, nothing to convert), so
// a caller giving the value up may have it stored as is. Conservative: false
// for anything it does not recognise (CoerceForPut then decides). Covers the
// scalar types, NULL, and one-dimensional zero-based BSTR/I4/R8 arrays.
bool IsStoredForm(CIMTYPE type, const VARIANT& v, bool interval = false) noexcept;

// The CIM type a new class property gets from Put(name, 0, &v, 0): VT_I2 ->
// sint16, VT_I4 -> sint32, VT_UI1 -> uint8, VT_R4 -> real32, VT_R8 ->
// real64, VT_BOOL -> boolean, VT_BSTR -> string, VT_UNKNOWN -> object, and
// arrays of those. WBEM_E_TYPE_MISMATCH for anything else (including NULL).
HRESULT InferCimType(const VARIANT& v, CIMTYPE* out) noexcept;

// Copies a stored value for a caller (Get, Next, context GetValue): like
// VariantCopy, but embedded objects (VT_UNKNOWN, also inside arrays) are
// Cloned so that the caller cannot change the stored copy. `out` must be
// initialised; it is cleared first.
HRESULT CopyValueOut(const VARIANT& stored, VARIANT* out) noexcept;
HRESULT CopyValueOut(const VARIANT& stored, com::Variant* out) noexcept;

// Value equality of two canonical values (same VARTYPE and contents; BSTRs
// compared case-insensitively when ignoreCase; embedded objects with
// IWbemClassObject::CompareTo(flags)). Differing VARTYPEs are unequal.
bool ValuesEqual(const VARIANT& a, const VARIANT& b, bool ignoreCase = false,
                 long compareFlags = 0) noexcept;

}  // namespace wmiput::embedded
