// ToVariant / FromVariant: every CIM type both ways at its limits and one
// past, NaN/Inf, non-integral numbers, 2^64, -2^63, decimal strings, char16,
// strings with NULs and unpaired surrogates, datetimes, arrays.
#include <cmath>
#include <limits>

#include "check.h"
#include "client_values.h"
#include "client/coerce.h"

namespace {

using namespace wmiput::client;
using wmiput::com::OleString;
using wmiput::com::Variant;
using Kind = Value::Kind;

using namespace wmiput::client::testing;

HRESULT To(const Value& v, CIMTYPE t, Variant* out, OleString* why = nullptr) {
  OleString w;
  return ToVariant(v, t, false, out, why ? why : &w);
}

// Converts in and back; checks the VARIANT type and returns the value read back.
Value RoundTrip(const Value& v, CIMTYPE t, VARTYPE expectVt) {
  Variant var;
  OleString why;
  HRESULT hr = ToVariant(v, t, false, &var, &why);
  CHECK_HR(hr, S_OK);
  CHECK_EQ(var.vt(), expectVt);
  Value back;
  CHECK_HR(FromVariant(*var.get(), t, &back), S_OK);
  return back;
}

void ExpectMismatch(const Value& v, CIMTYPE t) {
  Variant var;
  OleString why;
  CHECK_HR(ToVariant(v, t, false, &var, &why), WBEM_E_TYPE_MISMATCH);
  CHECK(!why.empty());
}

WP_TEST("coerce: sint8/uint8/sint16/uint16/sint32/uint32 limits and one past") {
  struct Case {
    CIMTYPE type;
    double min, max;
    VARTYPE vt;
  } cases[] = {
      {CIM_SINT8, -128, 127, VT_I2},           {CIM_UINT8, 0, 255, VT_UI1},
      {CIM_SINT16, -32768, 32767, VT_I2},      {CIM_UINT16, 0, 65535, VT_I4},
      {CIM_SINT32, -2147483648.0, 2147483647.0, VT_I4},
      {CIM_UINT32, 0, 4294967295.0, VT_I4},
  };
  for (const auto& c : cases) {
    CHECK_EQ(RoundTrip(Num(c.min), c.type, c.vt).number, c.min);
    CHECK_EQ(RoundTrip(Num(c.max), c.type, c.vt).number, c.max);
    ExpectMismatch(Num(c.min - 1), c.type);
    ExpectMismatch(Num(c.max + 1), c.type);
    // BigInt in range and one past.
    CHECK_EQ(RoundTrip(Big(false, static_cast<uint64_t>(c.max)), c.type, c.vt).number, c.max);
    ExpectMismatch(Big(false, static_cast<uint64_t>(c.max) + 1), c.type);
    ExpectMismatch(Num(1.5), c.type);
    ExpectMismatch(Num(std::nan("")), c.type);
    ExpectMismatch(Num(INFINITY), c.type);
    ExpectMismatch(Num(-INFINITY), c.type);
    ExpectMismatch(Str(OLESTR("1")), c.type);
    ExpectMismatch(Bool(true), c.type);
  }
}

WP_TEST("coerce: uint32 travels as VT_I4 with the same bits") {
  Variant v;
  CHECK_HR(To(Num(4294967295.0), CIM_UINT32, &v), S_OK);
  CHECK_EQ(v.vt(), VT_I4);
  CHECK_EQ(v.get()->lVal, -1);
  Variant w;
  CHECK_HR(To(Num(2147483648.0), CIM_UINT32, &w), S_OK);
  CHECK_EQ(static_cast<uint32_t>(w.get()->lVal), 2147483648u);
  Value back;
  CHECK_HR(FromVariant(*w.get(), CIM_UINT32, &back), S_OK);
  CHECK_EQ(back.number, 2147483648.0);
  // sint8 goes as VT_I2; -128 keeps its sign.
  Variant s8;
  CHECK_HR(To(Num(-128), CIM_SINT8, &s8), S_OK);
  CHECK_EQ(s8.get()->iVal, -128);
  // A negative zero is zero.
  Variant z;
  CHECK_HR(To(Num(-0.0), CIM_UINT8, &z), S_OK);
  CHECK_EQ(static_cast<int>(z.get()->bVal), 0);
}

WP_TEST("coerce: sint64/uint64 from bigint, safe numbers and decimal strings") {
  const uint64_t k2p63 = uint64_t{1} << 63;
  // sint64 minimum -2^63 and maximum 2^63-1; one past each.
  Value back = RoundTrip(Big(true, k2p63), CIM_SINT64, VT_BSTR);
  CHECK(back.kind == Kind::kBigInt);
  CHECK(back.negative);
  CHECK_EQ(back.magnitude, k2p63);
  back = RoundTrip(Big(false, k2p63 - 1), CIM_SINT64, VT_BSTR);
  CHECK_EQ(back.magnitude, k2p63 - 1);
  ExpectMismatch(Big(true, k2p63 + 1), CIM_SINT64);
  ExpectMismatch(Big(false, k2p63), CIM_SINT64);
  // uint64 maximum 2^64-1; 2^64 (overflow) and -1 refused.
  back = RoundTrip(Big(false, UINT64_MAX), CIM_UINT64, VT_BSTR);
  CHECK_EQ(back.magnitude, UINT64_MAX);
  CHECK(!back.negative);
  Value over = Big(false, 0);
  over.overflow = true;
  ExpectMismatch(over, CIM_UINT64);
  ExpectMismatch(Big(true, 1), CIM_UINT64);
  // The BSTR is the canonical decimal.
  Variant v;
  CHECK_HR(To(Big(true, k2p63), CIM_SINT64, &v), S_OK);
  CHECK(wmiput::com::ToOleString(v.get()->bstrVal) == OleString(OLESTR("-9223372036854775808")));
  CHECK_HR(To(Str(OLESTR("0018446744073709551615")), CIM_UINT64, &v), S_OK);
  CHECK(wmiput::com::ToOleString(v.get()->bstrVal) == OleString(OLESTR("18446744073709551615")));
  CHECK_HR(To(Str(OLESTR("-0")), CIM_UINT64, &v), S_OK);
  CHECK(wmiput::com::ToOleString(v.get()->bstrVal) == OleString(OLESTR("0")));
  // Strings: 2^64 and -2^63-1 refused, bad syntax refused.
  ExpectMismatch(Str(OLESTR("18446744073709551616")), CIM_UINT64);
  ExpectMismatch(Str(OLESTR("-9223372036854775809")), CIM_SINT64);
  CHECK_HR(To(Str(OLESTR("-9223372036854775808")), CIM_SINT64, &v), S_OK);
  for (const OLECHAR* bad : {OLESTR(""), OLESTR("-"), OLESTR("+1"), OLESTR("1.5"), OLESTR("0x10"), OLESTR(" 1"), OLESTR("1e3"), OLESTR("abc")})
    ExpectMismatch(Str(bad), CIM_SINT64);
  // Numbers: safe integers only.
  back = RoundTrip(Num(9007199254740991.0), CIM_UINT64, VT_BSTR);
  CHECK_EQ(back.magnitude, uint64_t{9007199254740991});
  back = RoundTrip(Num(-9007199254740991.0), CIM_SINT64, VT_BSTR);
  CHECK(back.negative);
  ExpectMismatch(Num(9007199254740992.0), CIM_UINT64);
  ExpectMismatch(Num(0.5), CIM_SINT64);
  ExpectMismatch(Num(std::nan("")), CIM_SINT64);
  ExpectMismatch(Num(-1), CIM_UINT64);
}

WP_TEST("coerce: real32 and real64") {
  Value back = RoundTrip(Num(3.4028234663852886e38), CIM_REAL32, VT_R4);
  CHECK_EQ(back.number, 3.4028234663852886e38);
  ExpectMismatch(Num(3.5e38), CIM_REAL32);
  ExpectMismatch(Num(-3.5e38), CIM_REAL32);
  ExpectMismatch(Num(std::nan("")), CIM_REAL32);
  ExpectMismatch(Num(INFINITY), CIM_REAL32);
  back = RoundTrip(Num(0.1), CIM_REAL32, VT_R4);  // rounded to the nearest float
  CHECK_EQ(back.number, static_cast<double>(0.1f));
  back = RoundTrip(Num(1.401298464324817e-45), CIM_REAL32, VT_R4);  // smallest denormal
  CHECK_EQ(back.number, 1.401298464324817e-45);
  back = RoundTrip(Num(0.1), CIM_REAL64, VT_R8);
  CHECK_EQ(back.number, 0.1);
  back = RoundTrip(Num(std::numeric_limits<double>::max()), CIM_REAL64, VT_R8);
  CHECK_EQ(back.number, std::numeric_limits<double>::max());
  back = RoundTrip(Num(-INFINITY), CIM_REAL64, VT_R8);
  CHECK(std::isinf(back.number) && back.number < 0);
  ExpectMismatch(Big(false, 1), CIM_REAL64);
}

WP_TEST("coerce: boolean, string (NULs, unpaired surrogates), reference") {
  Value back = RoundTrip(Bool(true), CIM_BOOLEAN, VT_BOOL);
  CHECK(back.kind == Kind::kBoolean && back.boolean);
  Variant v;
  CHECK_HR(To(Bool(true), CIM_BOOLEAN, &v), S_OK);
  CHECK_EQ(v.get()->boolVal, VARIANT_TRUE);
  ExpectMismatch(Num(1), CIM_BOOLEAN);
  OleString odd(OLESTR("a\0b"), 3);
  odd.push_back(static_cast<OLECHAR>(0xD800));  // unpaired high surrogate
  back = RoundTrip(Str(odd), CIM_STRING, VT_BSTR);
  CHECK(back.kind == Kind::kString);
  CHECK(back.text == odd);
  back = RoundTrip(Str(OLESTR("")), CIM_STRING, VT_BSTR);
  CHECK(back.text.empty());
  ExpectMismatch(Num(1), CIM_STRING);
  back = RoundTrip(Str(OLESTR("Contoso_App.Name=\"x\"")), CIM_REFERENCE, VT_BSTR);
  CHECK(back.text == OleString(OLESTR("Contoso_App.Name=\"x\"")));
}

WP_TEST("coerce: char16 from one-unit strings and numbers") {
  Value back = RoundTrip(Str(OLESTR("A")), CIM_CHAR16, VT_I2);
  CHECK(back.kind == Kind::kString && back.text == OleString(OLESTR("A")));
  Variant v;
  CHECK_HR(To(Num(65535), CIM_CHAR16, &v), S_OK);
  CHECK_EQ(v.vt(), VT_I2);
  CHECK_EQ(v.get()->iVal, -1);
  CHECK_HR(FromVariant(*v.get(), CIM_CHAR16, &back), S_OK);
  CHECK_EQ(static_cast<uint32_t>(back.text[0]), 0xFFFFu);
  CHECK_EQ(back.text.size(), size_t{1});
  back = RoundTrip(Num(0), CIM_CHAR16, VT_I2);
  CHECK_EQ(back.text.size(), size_t{1});
  ExpectMismatch(Num(65536), CIM_CHAR16);
  ExpectMismatch(Num(-1), CIM_CHAR16);
  ExpectMismatch(Num(65.5), CIM_CHAR16);
  ExpectMismatch(Str(OLESTR("AB")), CIM_CHAR16);
  ExpectMismatch(Str(OLESTR("")), CIM_CHAR16);
}

WP_TEST("coerce: datetime and interval text") {
  const OleString dt = OLESTR("20240131235959.123456+060");
  const OleString iv = OLESTR("00000001020304.000005:000");
  Value back = RoundTrip(Str(dt, Kind::kDateTime), CIM_DATETIME, VT_BSTR);
  CHECK(back.kind == Kind::kDateTime && back.text == dt);
  back = RoundTrip(Str(dt), CIM_DATETIME, VT_BSTR);  // plain string text accepted
  CHECK(back.kind == Kind::kDateTime);
  back = RoundTrip(Str(iv, Kind::kInterval), CIM_DATETIME, VT_BSTR);
  CHECK(back.kind == Kind::kInterval && back.text == iv);
  Variant v;
  OleString why;
  CHECK_HR(ToVariant(Str(dt, Kind::kDateTime), CIM_DATETIME, true, &v, &why),
           WBEM_E_TYPE_MISMATCH);
  CHECK_HR(ToVariant(Str(iv, Kind::kInterval), CIM_DATETIME, true, &v, &why), S_OK);
  ExpectMismatch(Num(0), CIM_DATETIME);
  ExpectMismatch(Str(dt, Kind::kDateTime), CIM_STRING);
}

WP_TEST("coerce: NULL, arrays, empty arrays, array/scalar mismatches") {
  Variant v;
  CHECK_HR(To(Value(), CIM_UINT32, &v), S_OK);
  CHECK_EQ(v.vt(), VT_NULL);
  Value back;
  CHECK_HR(FromVariant(*v.get(), CIM_UINT32, &back), S_OK);
  CHECK(back.kind == Kind::kNull);
  CHECK_HR(To(Value(), CIM_STRING | CIM_FLAG_ARRAY, &v), S_OK);
  CHECK_EQ(v.vt(), VT_NULL);

  back = RoundTrip(Arr({}), CIM_UINT32 | CIM_FLAG_ARRAY, VT_ARRAY | VT_I4);
  CHECK(back.kind == Kind::kArray && back.items.empty());
  back = RoundTrip(Arr({Num(-128), Num(127)}), CIM_SINT8 | CIM_FLAG_ARRAY, VT_ARRAY | VT_I2);
  CHECK_EQ(back.items.size(), size_t{2});
  CHECK_EQ(back.items[0].number, -128.0);
  back = RoundTrip(Arr({Num(4294967295.0), Num(0)}), CIM_UINT32 | CIM_FLAG_ARRAY,
                   VT_ARRAY | VT_I4);
  CHECK_EQ(back.items[0].number, 4294967295.0);
  back = RoundTrip(Arr({Big(false, UINT64_MAX), Str(OLESTR("5"))}), CIM_UINT64 | CIM_FLAG_ARRAY,
                   VT_ARRAY | VT_BSTR);
  CHECK_EQ(back.items[0].magnitude, UINT64_MAX);
  CHECK_EQ(back.items[1].magnitude, uint64_t{5});
  back = RoundTrip(Arr({Str(OLESTR("a")), Str(OLESTR(""))}), CIM_STRING | CIM_FLAG_ARRAY, VT_ARRAY | VT_BSTR);
  CHECK(back.items[0].text == OleString(OLESTR("a")) && back.items[1].text.empty());
  back = RoundTrip(Arr({Bool(true), Bool(false)}), CIM_BOOLEAN | CIM_FLAG_ARRAY,
                   VT_ARRAY | VT_BOOL);
  CHECK(back.items[0].boolean && !back.items[1].boolean);
  back = RoundTrip(Arr({Str(OLESTR("x")), Num(0x263A)}), CIM_CHAR16 | CIM_FLAG_ARRAY, VT_ARRAY | VT_I2);
  CHECK_EQ(static_cast<uint32_t>(back.items[1].text[0]), 0x263Au);
  back = RoundTrip(Arr({Num(1.5)}), CIM_REAL32 | CIM_FLAG_ARRAY, VT_ARRAY | VT_R4);
  CHECK_EQ(back.items[0].number, 1.5);

  ExpectMismatch(Arr({Num(1), Value()}), CIM_UINT32 | CIM_FLAG_ARRAY);  // NULL element
  ExpectMismatch(Arr({Num(1), Num(256)}), CIM_UINT8 | CIM_FLAG_ARRAY);  // element out of range
  ExpectMismatch(Num(1), CIM_UINT32 | CIM_FLAG_ARRAY);                  // scalar into array
  ExpectMismatch(Arr({Num(1)}), CIM_UINT32);                            // array into scalar
  OleString why;
  CHECK_HR(ToVariant(Arr({Num(1), Num(256)}), CIM_UINT8 | CIM_FLAG_ARRAY, false, &v, &why),
           WBEM_E_TYPE_MISMATCH);
  CHECK(why.find(OLESTR("element 1")) == 0);
}

WP_TEST("coerce: objects need a factory and are refused without one") {
  Value obj;
  obj.kind = Kind::kObject;
  auto ov = std::make_shared<ObjectValue>();
  ov->className = OLESTR("X");
  obj.object = ov;
  ExpectMismatch(obj, CIM_OBJECT);
  ExpectMismatch(Num(1), CIM_OBJECT);
}

WP_TEST("coerce: untyped values (qualifiers, context)") {
  Variant v;
  OleString why;
  CHECK_HR(UntypedToVariant(Num(5), false, &v, &why), S_OK);
  CHECK_EQ(v.vt(), VT_I4);
  CHECK_HR(UntypedToVariant(Num(2147483648.0), false, &v, &why), S_OK);
  CHECK_EQ(v.vt(), VT_R8);
  CHECK_HR(UntypedToVariant(Big(false, uint64_t{1} << 40), false, &v, &why),
           WBEM_E_TYPE_MISMATCH);
  CHECK_HR(UntypedToVariant(Big(false, uint64_t{1} << 40), true, &v, &why), S_OK);
  CHECK_EQ(v.vt(), VT_BSTR);
  CHECK_HR(UntypedToVariant(Arr({Num(1), Num(2.5)}), false, &v, &why), S_OK);
  CHECK_EQ(v.vt(), VT_ARRAY | VT_R8);
  CHECK_HR(UntypedToVariant(Arr({Num(1), Str(OLESTR("a"))}), false, &v, &why), WBEM_E_TYPE_MISMATCH);
  CHECK_HR(UntypedToVariant(Arr({}), false, &v, &why), S_OK);
  CHECK_EQ(v.vt(), VT_ARRAY | VT_BSTR);
  CHECK_HR(UntypedToVariant(Arr({Str(OLESTR("a")), Str(OLESTR("b"))}), false, &v, &why), S_OK);
  Value back;
  CHECK_HR(UntypedFromVariant(*v.get(), &back), S_OK);
  CHECK(back.kind == Kind::kArray && back.items.size() == 2 && back.items[1].text == OLESTR("b"));
}

WP_TEST("coerce: decimal helpers") {
  bool neg = false;
  uint64_t m = 0;
  CHECK(ParseDecimal(OLESTR("18446744073709551615"), &neg, &m));
  CHECK_EQ(m, UINT64_MAX);
  CHECK(!ParseDecimal(OLESTR("18446744073709551616"), &neg, &m));
  CHECK(ParseDecimal(OLESTR("-12"), &neg, &m) && neg && m == 12);
  CHECK(BigIntToDecimal(true, uint64_t{1} << 63) == OleString(OLESTR("-9223372036854775808")));
  CHECK(BigIntToDecimal(false, 0) == OleString(OLESTR("0")));
  CHECK(CimTypeName(CIM_UINT32 | CIM_FLAG_ARRAY) == OleString(OLESTR("uint32[]")));
}

}  // namespace
