// CIMTYPE-driven conversion between client Values and VARIANTs, exact and
// lossless in both directions (wmi-put-semantics.md §5.1, ARCHITECTURE.md §5
// "Values"). Every refusal is WBEM_E_TYPE_MISMATCH with a reason in `why`.
//
// Decisions (documented here once):
// - Integers up to 32 bits come from Number (integral, in range; NaN/±Inf
//   refused) or BigInt (in range). 64-bit integers come from BigInt, a
//   safe-integer Number (|n| <= 2^53-1) or a decimal String (optional '-' for
//   sint64 only, digits only, leading zeros allowed); they are written as the
//   canonical decimal BSTR.
// - real32 takes any finite Number whose nearest float is finite: rounding to
//   the nearest float is accepted (0.1 has no exact float; refusing it would
//   make real32 unusable) and the value read back is that float. Numbers
//   beyond ±FLT_MAX (after rounding) and NaN/±Inf are refused.
// - real64 takes any Number (NaN and ±Inf included: VT_R8 carries them as is).
// - Strings are kept as the exact UTF-16 code units: unpaired surrogates and
//   embedded NULs are written unchanged (a BSTR holds them, and the round
//   trip stays lossless).
// - char16 takes a one-code-unit String or an integral Number 0..65535.
// - Embedded objects nest at most kMaxObjectDepth levels; deeper is refused.
// - Array elements may not be NULL.
#pragma once

#include "client/api.h"
#include "com/raii.h"

namespace wmiput::client {

using com::OleStringView;

// Deepest nesting of embedded objects ToVariant builds (the top-level
// instance is depth 0; its object properties depth 1, ...).
constexpr int kMaxObjectDepth = 32;

// Builds embedded instances for CIM_OBJECT values (object_builder.cc
// implements it over the connection's services and class cache).
class EmbeddedObjectFactory {
 public:
  virtual ~EmbeddedObjectFactory() = default;
  // Thread: COM worker. An instance of `className` (or `defaultClass` when the
  // value names none) holding `value`'s properties, built at `depth`.
  virtual HRESULT Build(const ObjectValue& value, const OleString& defaultClass, int depth,
                        com::ComPtr<IWbemClassObject>* out, OleString* why) noexcept = 0;
};

// Thread: any. `type` is the property's CIMTYPE (| CIM_FLAG_ARRAY); `interval`
// says the property carries SubType("interval"); `objectClass` is the class of
// a CIM_OBJECT property ("object:X"), used when a value has no __CLASS.
// `objects` may be null (then object values are refused); `depth` is the
// nesting level of the object holding this property.
HRESULT ToVariant(const Value& value, CIMTYPE type, bool interval, com::Variant* out,
                  OleString* why, EmbeddedObjectFactory* objects = nullptr,
                  const OleString& objectClass = OleString(), int depth = 0) noexcept;

// Thread: any. The reverse: `type` is the CIMTYPE reported by Get. 64-bit
// integers become BigInt, uint32/uint16 unsigned Numbers, char16 a one-unit
// String, datetimes kDateTime or kInterval (by their DMTF form), embedded
// objects kObject (recursively, __CLASS in className).
HRESULT FromVariant(const VARIANT& v, CIMTYPE type, Value* out) noexcept;

// Thread: any. All non-system properties of an embedded object.
HRESULT ObjectToValue(IWbemClassObject* obj, Value* out, int depth = 0) noexcept;

// Qualifier and context values (no CIMTYPE): Boolean → VT_BOOL, integral
// Number in int32 range → VT_I4, other Number → VT_R8, BigInt → VT_I4 when it
// fits, else VT_BSTR decimal when `bigintAsString`, else refused; String,
// DateTime, Interval → VT_BSTR; arrays of one kind → VT_ARRAY of it.
HRESULT UntypedToVariant(const Value& value, bool bigintAsString, com::Variant* out,
                         OleString* why) noexcept;
HRESULT UntypedFromVariant(const VARIANT& v, Value* out) noexcept;

// Small helpers shared with the builders.
OleString ToOle(const char* ascii);
// Decimal text of a BigInt value.
OleString BigIntToDecimal(bool negative, uint64_t magnitude);
// Parses an optionally '-'-prefixed decimal (no other characters) into
// sign + magnitude; false on bad syntax or a magnitude beyond 2^64-1.
bool ParseDecimal(OleStringView text, bool* negative, uint64_t* magnitude) noexcept;
// CIM type name for messages ("uint32", "string[]").
OleString CimTypeName(CIMTYPE type);

}  // namespace wmiput::client
