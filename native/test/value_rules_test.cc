// The VARIANT rules of IWbemClassObject::Put (wmi-put-semantics.md §5.1), one
// by one, through CoerceForPut and through Put on class objects.
#include <cmath>

#include "embedded/embedded.h"
#include "embedded/value_rules.h"
#include "objects_fixture.h"

using namespace wmiput;
using namespace wmiput::test::objects;
using embedded::CoerceForPut;

namespace {

HRESULT Coerce(CIMTYPE t, const Variant& in, Variant* out, bool interval = false) {
  return CoerceForPut(t, *in.get(), out, interval);
}

Variant I8(int64_t v) {
  Variant x;
  VARIANT* p = x.put();
  p->vt = VT_I8;
  p->llVal = v;
  return x;
}

Variant UI8(uint64_t v) {
  Variant x;
  VARIANT* p = x.put();
  p->vt = VT_UI8;
  p->ullVal = v;
  return x;
}

Variant Bool(short raw) {
  Variant x;
  VARIANT* p = x.put();
  p->vt = VT_BOOL;
  p->boolVal = raw;
  return x;
}

}  // namespace

WP_TEST("value_rules: uint32 takes VT_I4 (same bits), VT_UI4, integral VT_R8; refuses VT_I2") {
  Variant out;
  CHECK_HR(Coerce(CIM_UINT32, Variant::FromI4(5), &out), S_OK);
  CHECK_EQ(out.vt(), VT_I4);
  CHECK_EQ(out.get()->lVal, 5);
  CHECK_HR(Coerce(CIM_UINT32, Variant::FromI4(-1), &out), S_OK);
  CHECK_EQ(out.get()->lVal, -1);
  CHECK_HR(Coerce(CIM_UINT32, Variant::FromUI4(0xFFFFFFFEu), &out), S_OK);
  CHECK_EQ(out.vt(), VT_I4);
  CHECK_EQ(static_cast<uint32_t>(out.get()->lVal), 0xFFFFFFFEu);
  CHECK_HR(Coerce(CIM_UINT32, Variant::FromI2(5), &out), WBEM_E_TYPE_MISMATCH);
  CHECK_HR(Coerce(CIM_UINT32, Variant::FromR8(7.0), &out), S_OK);
  CHECK_EQ(out.vt(), VT_I4);
  CHECK_EQ(out.get()->lVal, 7);
  CHECK_HR(Coerce(CIM_UINT32, Variant::FromR8(4294967295.0), &out), S_OK);
  CHECK_EQ(static_cast<uint32_t>(out.get()->lVal), 4294967295u);
  CHECK_HR(Coerce(CIM_UINT32, Variant::FromR8(7.5), &out), WBEM_E_TYPE_MISMATCH);
  CHECK_HR(Coerce(CIM_UINT32, Variant::FromR8(-1.0), &out), WBEM_E_TYPE_MISMATCH);
  CHECK_HR(Coerce(CIM_UINT32, Variant::FromR8(4294967296.0), &out), WBEM_E_TYPE_MISMATCH);
  CHECK_HR(Coerce(CIM_UINT32, Variant::FromR8(NAN), &out), WBEM_E_TYPE_MISMATCH);
  CHECK_HR(Coerce(CIM_UINT32, Variant::FromBstr(OLESTR("5")), &out), WBEM_E_TYPE_MISMATCH);
  CHECK_HR(Coerce(CIM_UINT32, Variant::FromBool(true), &out), WBEM_E_TYPE_MISMATCH);
}

WP_TEST("value_rules: uint32[] refuses VT_ARRAY|VT_R8 and VT_ARRAY|VT_I2, takes VT_ARRAY|VT_I4") {
  Variant out;
  CHECK_HR(Coerce(CIM_UINT32 | CIM_FLAG_ARRAY, ArrayOf<double>(VT_R8, {1.0, 2.0}), &out),
           WBEM_E_TYPE_MISMATCH);
  CHECK_HR(Coerce(CIM_UINT32 | CIM_FLAG_ARRAY, ArrayOf<short>(VT_I2, {1, 2}), &out),
           WBEM_E_TYPE_MISMATCH);
  CHECK_HR(Coerce(CIM_UINT32 | CIM_FLAG_ARRAY, ArrayOf<int32_t>(VT_I4, {1, -1, 3}), &out), S_OK);
  CHECK_EQ(out.vt(), VT_ARRAY | VT_I4);
  CHECK_EQ(ArraySize(out), 3u);
  CHECK_EQ(ArrayAt<int32_t>(out, 1), -1);
  CHECK_EQ(ArrayAt<int32_t>(out, 2), 3);
}

WP_TEST("value_rules: an empty VT_ARRAY|VT_VARIANT fits any array type") {
  const CIMTYPE types[] = {CIM_UINT32, CIM_STRING, CIM_SINT64, CIM_BOOLEAN, CIM_OBJECT,
                           CIM_DATETIME, CIM_REAL64, CIM_CHAR16};
  for (CIMTYPE t : types) {
    Variant out;
    Variant empty = Variant::FromArray(com::SafeArray::Create(VT_VARIANT, 0));
    CHECK_HR(Coerce(t | CIM_FLAG_ARRAY, empty, &out), S_OK);
    CHECK_EQ(out.vt(), embedded::CanonicalVarType(t | CIM_FLAG_ARRAY));
    CHECK_EQ(ArraySize(out), 0u);
  }
  // A non-empty VT_VARIANT array is converted element by element.
  com::SafeArray sa = com::SafeArray::Create(VT_VARIANT, 2);
  Variant a = Variant::FromI4(7), b = Variant::FromBstr(OLESTR("x"));
  sa.Put(0, a.get());
  sa.Put(1, b.get());
  Variant mixed = Variant::FromArray(std::move(sa));
  Variant out;
  CHECK_HR(Coerce(CIM_SINT32 | CIM_FLAG_ARRAY, mixed, &out), WBEM_E_TYPE_MISMATCH);
  CHECK_HR(Coerce(CIM_STRING | CIM_FLAG_ARRAY, mixed, &out), WBEM_E_TYPE_MISMATCH);
  com::SafeArray sb = com::SafeArray::Create(VT_VARIANT, 1);
  sb.Put(0, a.get());
  CHECK_HR(Coerce(CIM_UINT8 | CIM_FLAG_ARRAY, Variant::FromArray(std::move(sb)), &out), S_OK);
  CHECK_EQ(out.vt(), VT_ARRAY | VT_UI1);
  CHECK_EQ(ArrayAt<uint8_t>(out, 0), 7);
}

WP_TEST("value_rules: uint64 is a decimal BSTR up to 18446744073709551615") {
  Variant out;
  CHECK_HR(Coerce(CIM_UINT64, Variant::FromBstr(OLESTR("18446744073709551615")), &out), S_OK);
  CHECK_EQ(out.vt(), VT_BSTR);
  CHECK_EQ(Str(out), OleString(OLESTR("18446744073709551615")));
  CHECK_HR(Coerce(CIM_UINT64, Variant::FromBstr(OLESTR("18446744073709551616")), &out),
           WBEM_E_TYPE_MISMATCH);
  CHECK_HR(Coerce(CIM_UINT64, Variant::FromBstr(OLESTR("-1")), &out), WBEM_E_TYPE_MISMATCH);
  CHECK_HR(Coerce(CIM_UINT64, Variant::FromBstr(OLESTR("0x10")), &out), WBEM_E_TYPE_MISMATCH);
  CHECK_HR(Coerce(CIM_UINT64, Variant::FromBstr(OLESTR("")), &out), WBEM_E_TYPE_MISMATCH);
  CHECK_HR(Coerce(CIM_UINT64, Variant::FromBstr(OLESTR(" 1")), &out), WBEM_E_TYPE_MISMATCH);
  CHECK_HR(Coerce(CIM_UINT64, Variant::FromBstr(OLESTR("12abc")), &out), WBEM_E_TYPE_MISMATCH);
  CHECK_HR(Coerce(CIM_UINT64, Variant::FromBstr(OLESTR("007")), &out), S_OK);
  CHECK_EQ(Str(out), OleString(OLESTR("7")));
  CHECK_HR(Coerce(CIM_UINT64, Variant::FromI4(42), &out), S_OK);
  CHECK_EQ(Str(out), OleString(OLESTR("42")));
  CHECK_HR(Coerce(CIM_UINT64, Variant::FromI4(-42), &out), WBEM_E_TYPE_MISMATCH);
  CHECK_HR(Coerce(CIM_UINT64, UI8(18446744073709551615ull), &out), S_OK);
  CHECK_EQ(Str(out), OleString(OLESTR("18446744073709551615")));
  CHECK_HR(Coerce(CIM_UINT64, Variant::FromR8(1.0), &out), WBEM_E_TYPE_MISMATCH);
}

WP_TEST("value_rules: sint64 is a decimal BSTR from -9223372036854775808 to 9223372036854775807") {
  Variant out;
  CHECK_HR(Coerce(CIM_SINT64, Variant::FromBstr(OLESTR("-9223372036854775808")), &out), S_OK);
  CHECK_EQ(Str(out), OleString(OLESTR("-9223372036854775808")));
  CHECK_HR(Coerce(CIM_SINT64, Variant::FromBstr(OLESTR("-9223372036854775809")), &out),
           WBEM_E_TYPE_MISMATCH);
  CHECK_HR(Coerce(CIM_SINT64, Variant::FromBstr(OLESTR("9223372036854775807")), &out), S_OK);
  CHECK_HR(Coerce(CIM_SINT64, Variant::FromBstr(OLESTR("9223372036854775808")), &out),
           WBEM_E_TYPE_MISMATCH);
  CHECK_HR(Coerce(CIM_SINT64, Variant::FromBstr(OLESTR("-0")), &out), S_OK);
  CHECK_EQ(Str(out), OleString(OLESTR("0")));
  CHECK_HR(Coerce(CIM_SINT64, Variant::FromBstr(OLESTR("-")), &out), WBEM_E_TYPE_MISMATCH);
  CHECK_HR(Coerce(CIM_SINT64, Variant::FromBstr(OLESTR("+5")), &out), WBEM_E_TYPE_MISMATCH);
  CHECK_HR(Coerce(CIM_SINT64, I8(INT64_MIN), &out), S_OK);
  CHECK_EQ(Str(out), OleString(OLESTR("-9223372036854775808")));
  CHECK_HR(Coerce(CIM_SINT64, UI8(9223372036854775808ull), &out), WBEM_E_TYPE_MISMATCH);
  CHECK_HR(Coerce(CIM_SINT64, Variant::FromI4(-3), &out), S_OK);
  CHECK_EQ(Str(out), OleString(OLESTR("-3")));
  CHECK_HR(Coerce(CIM_SINT64 | CIM_FLAG_ARRAY, BstrArray({OLESTR("1"), OLESTR("-2")}), &out), S_OK);
  CHECK_EQ(out.vt(), VT_ARRAY | VT_BSTR);
  CHECK_EQ(BstrAt(out, 1), OleString(OLESTR("-2")));
}

WP_TEST("value_rules: small integers widen to their canonical VARTYPE with range checks") {
  Variant out;
  CHECK_HR(Coerce(CIM_SINT8, Variant::FromI4(-128), &out), S_OK);
  CHECK_EQ(out.vt(), VT_I2);
  CHECK_EQ(out.get()->iVal, -128);
  CHECK_HR(Coerce(CIM_SINT8, Variant::FromI4(128), &out), WBEM_E_TYPE_MISMATCH);
  CHECK_HR(Coerce(CIM_UINT8, Variant::FromI4(255), &out), S_OK);
  CHECK_EQ(out.vt(), VT_UI1);
  CHECK_EQ(out.get()->bVal, 255);
  CHECK_HR(Coerce(CIM_UINT8, Variant::FromI4(256), &out), WBEM_E_TYPE_MISMATCH);
  CHECK_HR(Coerce(CIM_UINT8, Variant::FromI2(-1), &out), WBEM_E_TYPE_MISMATCH);
  CHECK_HR(Coerce(CIM_SINT16, Variant::FromI4(-32768), &out), S_OK);
  CHECK_EQ(out.vt(), VT_I2);
  CHECK_HR(Coerce(CIM_SINT16, Variant::FromI4(32768), &out), WBEM_E_TYPE_MISMATCH);
  CHECK_HR(Coerce(CIM_UINT16, Variant::FromI4(65535), &out), S_OK);
  CHECK_EQ(out.vt(), VT_I4);
  CHECK_EQ(out.get()->lVal, 65535);
  CHECK_HR(Coerce(CIM_UINT16, Variant::FromI2(-1), &out), WBEM_E_TYPE_MISMATCH);
  CHECK_HR(Coerce(CIM_UINT16, Variant::FromI4(65536), &out), WBEM_E_TYPE_MISMATCH);
  CHECK_HR(Coerce(CIM_SINT32, Variant::FromI2(-7), &out), S_OK);
  CHECK_EQ(out.vt(), VT_I4);
  CHECK_EQ(out.get()->lVal, -7);
  CHECK_HR(Coerce(CIM_SINT32, Variant::FromUI4(0x80000000u), &out), WBEM_E_TYPE_MISMATCH);
  CHECK_HR(Coerce(CIM_SINT32, Variant::FromR8(2.5), &out), WBEM_E_TYPE_MISMATCH);
}

WP_TEST("value_rules: char16 is VT_I2") {
  Variant out;
  CHECK_HR(Coerce(CIM_CHAR16, Variant::FromI2(0x41), &out), S_OK);
  CHECK_EQ(out.vt(), VT_I2);
  CHECK_EQ(out.get()->iVal, 0x41);
  CHECK_HR(Coerce(CIM_CHAR16, Variant::FromI2(-1), &out), S_OK);  // U+FFFF, same bits
  CHECK_EQ(out.get()->iVal, -1);
  CHECK_HR(Coerce(CIM_CHAR16, Variant::FromI4(0xFFFF), &out), S_OK);
  CHECK_EQ(out.vt(), VT_I2);
  CHECK_EQ(static_cast<uint16_t>(out.get()->iVal), 0xFFFF);
  CHECK_HR(Coerce(CIM_CHAR16, Variant::FromI4(0x10000), &out), WBEM_E_TYPE_MISMATCH);
  CHECK_HR(Coerce(CIM_CHAR16, Variant::FromBstr(OLESTR("A")), &out), WBEM_E_TYPE_MISMATCH);
}

WP_TEST("value_rules: reals, booleans and strings") {
  Variant out;
  CHECK_HR(Coerce(CIM_REAL32, Variant::FromR8(1.5), &out), S_OK);
  CHECK_EQ(out.vt(), VT_R4);
  CHECK_EQ(out.get()->fltVal, 1.5f);
  CHECK_HR(Coerce(CIM_REAL32, Variant::FromR8(1e300), &out), WBEM_E_TYPE_MISMATCH);
  CHECK_HR(Coerce(CIM_REAL32, Variant::FromI4(3), &out), S_OK);
  CHECK_EQ(out.get()->fltVal, 3.0f);
  CHECK_HR(Coerce(CIM_REAL64, Variant::FromR4(0.25f), &out), S_OK);
  CHECK_EQ(out.vt(), VT_R8);
  CHECK_EQ(out.get()->dblVal, 0.25);
  CHECK_HR(Coerce(CIM_REAL64, Variant::FromBstr(OLESTR("1.0")), &out), WBEM_E_TYPE_MISMATCH);
  CHECK_HR(Coerce(CIM_BOOLEAN, Bool(-1), &out), S_OK);
  CHECK_EQ(out.vt(), VT_BOOL);
  CHECK_EQ(out.get()->boolVal, VARIANT_TRUE);
  CHECK_HR(Coerce(CIM_BOOLEAN, Bool(0), &out), S_OK);
  CHECK_EQ(out.get()->boolVal, VARIANT_FALSE);
  CHECK_HR(Coerce(CIM_BOOLEAN, Bool(1), &out), WBEM_E_TYPE_MISMATCH);
  CHECK_HR(Coerce(CIM_BOOLEAN, Variant::FromI4(1), &out), WBEM_E_TYPE_MISMATCH);
  CHECK_HR(Coerce(CIM_STRING, Variant::FromBstr(OLESTR("hi")), &out), S_OK);
  CHECK_EQ(Str(out), OleString(OLESTR("hi")));
  CHECK_HR(Coerce(CIM_STRING, Variant::FromI4(1), &out), WBEM_E_TYPE_MISMATCH);
}

WP_TEST("value_rules: datetime and interval strings are validated") {
  Variant out;
  CHECK_HR(Coerce(CIM_DATETIME, Variant::FromBstr(OLESTR("20240131235959.000000+060")), &out), S_OK);
  CHECK_EQ(Str(out), OleString(OLESTR("20240131235959.000000+060")));
  CHECK_HR(Coerce(CIM_DATETIME, Variant::FromBstr(OLESTR("19980416******.000000+***")), &out), S_OK);
  CHECK_HR(Coerce(CIM_DATETIME, Variant::FromBstr(OLESTR("2024-01-31 23:59:59")), &out),
           WBEM_E_TYPE_MISMATCH);
  CHECK_HR(Coerce(CIM_DATETIME, Variant::FromBstr(OLESTR("20240230000000.000000+000")), &out),
           WBEM_E_TYPE_MISMATCH);
  // Without SubType("interval") both forms are datetime values.
  CHECK_HR(Coerce(CIM_DATETIME, Variant::FromBstr(OLESTR("00000001020304.000000:000")), &out), S_OK);
  // With SubType("interval") only intervals.
  CHECK_HR(Coerce(CIM_DATETIME, Variant::FromBstr(OLESTR("00000001020304.000000:000")), &out, true),
           S_OK);
  CHECK_HR(Coerce(CIM_DATETIME, Variant::FromBstr(OLESTR("20240131235959.000000+060")), &out, true),
           WBEM_E_TYPE_MISMATCH);
  CHECK_HR(Coerce(CIM_DATETIME, Variant::FromI4(0), &out), WBEM_E_TYPE_MISMATCH);
}

WP_TEST("value_rules: references must parse as object paths") {
  Variant out;
  CHECK_HR(Coerce(CIM_REFERENCE, Variant::FromBstr(OLESTR("Test_Base.Name=\"x\"")), &out), S_OK);
  CHECK_EQ(Str(out), OleString(OLESTR("Test_Base.Name=\"x\"")));
  CHECK_HR(Coerce(CIM_REFERENCE, Variant::FromBstr(OLESTR("\\\\HOST\\root\\test:Test_Single=@")), &out),
           S_OK);
  CHECK_HR(Coerce(CIM_REFERENCE, Variant::FromBstr(OLESTR("not a path!")), &out), WBEM_E_TYPE_MISMATCH);
  CHECK_HR(Coerce(CIM_REFERENCE, Variant::FromBstr(OLESTR("")), &out), WBEM_E_TYPE_MISMATCH);
  CHECK_HR(Coerce(CIM_REFERENCE, Variant::FromI4(1), &out), WBEM_E_TYPE_MISMATCH);
}

WP_TEST("value_rules: NULL is distinct from 0; invalid CIM types") {
  Variant out;
  CHECK_HR(Coerce(CIM_UINT32, Variant::Null(), &out), S_OK);
  CHECK_EQ(out.vt(), VT_NULL);
  CHECK_HR(Coerce(CIM_UINT32, Variant(), &out), S_OK);  // VT_EMPTY
  CHECK_EQ(out.vt(), VT_NULL);
  CHECK_HR(Coerce(CIM_UINT32, Variant::FromI4(0), &out), S_OK);
  CHECK_EQ(out.vt(), VT_I4);
  CHECK_HR(Coerce(99, Variant::FromI4(0), &out), WBEM_E_INVALID_PROPERTY_TYPE);
  CHECK_HR(embedded::CheckCimType(CIM_EMPTY), WBEM_E_INVALID_PROPERTY_TYPE);
  CHECK_HR(embedded::CheckCimType(CIM_FLAG_ARRAY), WBEM_E_INVALID_PROPERTY_TYPE);
  CHECK_HR(embedded::CheckCimType(CIM_ILLEGAL), WBEM_E_INVALID_PROPERTY_TYPE);
  CHECK_HR(embedded::CheckCimType(CIM_UINT32 | 0x4000), WBEM_E_INVALID_PROPERTY_TYPE);
  CHECK_HR(embedded::CheckCimType(CIM_REFERENCE | CIM_FLAG_ARRAY), S_OK);
  // Scalars and arrays do not mix; VT_BYREF is refused.
  CHECK_HR(Coerce(CIM_UINT32 | CIM_FLAG_ARRAY, Variant::FromI4(1), &out), WBEM_E_TYPE_MISMATCH);
  CHECK_HR(Coerce(CIM_UINT32, ArrayOf<int32_t>(VT_I4, {1}), &out), WBEM_E_TYPE_MISMATCH);
  LONG target = 3;
  VARIANT byref;
  VariantInit(&byref);
  byref.vt = VT_I4 | VT_BYREF;
  byref.plVal = &target;
  CHECK_HR(CoerceForPut(CIM_SINT32, byref, &out), WBEM_E_TYPE_MISMATCH);
}

WP_TEST("value_rules: embedded objects are copied at Put") {
  Live live;
  {
    ComPtr<IWbemClassObject> cls = StoredBase();
    ComPtr<IWbemClassObject> inst;
    CHECK_HR(cls->SpawnInstance(0, inst.put()), S_OK);
    CHECK_HR(PutValue(inst.get(), OLESTR("Name"), Variant::FromBstr(OLESTR("before"))), S_OK);
    Variant out;
    CHECK_HR(Coerce(CIM_OBJECT, Variant::FromUnknown(inst.get()), &out), S_OK);
    CHECK_EQ(out.vt(), VT_UNKNOWN);
    CHECK(out.get()->punkVal != static_cast<IUnknown*>(inst.get()));
    CHECK_HR(PutValue(inst.get(), OLESTR("Name"), Variant::FromBstr(OLESTR("after"))), S_OK);
    ComPtr<IWbemClassObject> stored;
    CHECK_HR(ComPtr<IUnknown>::Share(out.get()->punkVal).As(&stored), S_OK);
    CHECK_EQ(Str(GetValue(stored.get(), OLESTR("Name"))), OleString(OLESTR("before")));
    // A foreign IUnknown that is not a class object is a type mismatch.
    ComPtr<IWbemContext> ctx;
    CHECK_HR(embedded::CreateContext(ctx.put()), S_OK);
    CHECK_HR(Coerce(CIM_OBJECT, Variant::FromUnknown(ctx.get()), &out), WBEM_E_TYPE_MISMATCH);
    // A null object is NULL.
    CHECK_HR(Coerce(CIM_OBJECT, Variant::FromUnknown(nullptr), &out), S_OK);
    CHECK_EQ(out.vt(), VT_NULL);
    // Arrays of objects: every element copied.
    IUnknown* raw = inst.get();
    CHECK_HR(Coerce(CIM_OBJECT | CIM_FLAG_ARRAY, ArrayOf<IUnknown*>(VT_UNKNOWN, {raw, raw}), &out),
             S_OK);
    CHECK_EQ(out.vt(), VT_ARRAY | VT_UNKNOWN);
    CHECK_EQ(ArraySize(out), 2u);
  }
  CHECK_LIVE(live);
}

WP_TEST("value_rules: InferCimType, CimTypeName, CanonicalVarType, ValuesEqual") {
  CIMTYPE t = 0;
  CHECK_HR(embedded::InferCimType(*Variant::FromI4(1).get(), &t), S_OK);
  CHECK_EQ(t, CIM_SINT32);
  CHECK_HR(embedded::InferCimType(*BstrArray({OLESTR("a")}).get(), &t), S_OK);
  CHECK_EQ(t, CIM_STRING | CIM_FLAG_ARRAY);
  CHECK_HR(embedded::InferCimType(*Variant::FromUI4(1).get(), &t), WBEM_E_TYPE_MISMATCH);
  CHECK_HR(embedded::InferCimType(*Variant::Null().get(), &t), WBEM_E_TYPE_MISMATCH);
  CHECK_EQ(embedded::CimTypeName(CIM_UINT16 | CIM_FLAG_ARRAY), OleString(OLESTR("uint16")));
  CHECK_EQ(embedded::CimTypeName(CIM_REFERENCE), OleString(OLESTR("ref")));
  CHECK_EQ(embedded::CanonicalVarType(CIM_UINT16), VT_I4);
  CHECK_EQ(embedded::CanonicalVarType(CIM_CHAR16 | CIM_FLAG_ARRAY), VT_ARRAY | VT_I2);
  CHECK_EQ(embedded::CanonicalVarType(77), VT_EMPTY);
  CHECK(embedded::ValuesEqual(*Variant::FromBstr(OLESTR("Ab")).get(),
                              *Variant::FromBstr(OLESTR("aB")).get(), true));
  CHECK(!embedded::ValuesEqual(*Variant::FromBstr(OLESTR("Ab")).get(),
                               *Variant::FromBstr(OLESTR("aB")).get(), false));
  CHECK(!embedded::ValuesEqual(*Variant::FromI4(0).get(), *Variant::Null().get()));
  CHECK(embedded::ValuesEqual(*ArrayOf<int32_t>(VT_I4, {1, 2}).get(),
                              *ArrayOf<int32_t>(VT_I4, {1, 2}).get()));
  CHECK(!embedded::ValuesEqual(*ArrayOf<int32_t>(VT_I4, {1, 2}).get(),
                               *ArrayOf<int32_t>(VT_I4, {1, 3}).get()));
}
