// The shortcuts of CoerceForPut (BSTR arrays converted straight from the
// source array, canonical 64-bit text stored as given, conversion straight
// into the stored slot) give exactly the general path's results.
#include "embedded/embedded.h"
#include "embedded/value_rules.h"
#include "objects_fixture.h"

using namespace wmiput;
using namespace wmiput::test::objects;
using com::ComPtr;
using embedded::CoerceForPut;

namespace {

HRESULT Coerce(CIMTYPE t, const Variant& in, Variant* out, bool interval = false) {
  return CoerceForPut(t, *in.get(), out, interval);
}

// A VT_ARRAY|VT_BSTR with lower bound `lbound`; a null entry is a null BSTR.
Variant BstrArrayFrom(LONG lbound, std::initializer_list<const OLECHAR*> items) {
  SAFEARRAY* sa = SafeArrayCreateVector(VT_BSTR, lbound, static_cast<ULONG>(items.size()));
  LONG i = lbound;
  for (const OLECHAR* s : items) {
    if (s) {
      com::Bstr b(s);
      SafeArrayPutElement(sa, &i, b.get());
    }
    ++i;
  }
  return Variant::FromArray(com::SafeArray::Adopt(sa));
}

}  // namespace

WP_TEST("put fast path: string[] copies every element, lower bound 0, null BSTR -> empty") {
  Variant out;
  CHECK_HR(Coerce(CIM_STRING | CIM_FLAG_ARRAY,
                  BstrArrayFrom(3, {OLESTR("alpha"), nullptr, OLESTR("")}), &out),
           S_OK);
  CHECK_EQ(out.vt(), VT_ARRAY | VT_BSTR);
  CHECK_EQ(ArraySize(out), 3u);
  LONG lo = -1;
  SafeArrayGetLBound(out.get()->parray, 1, &lo);
  CHECK_EQ(lo, 0);
  CHECK_EQ(BstrAt(out, 0), OleString(OLESTR("alpha")));
  CHECK_EQ(BstrAt(out, 1), OleString());
  CHECK_EQ(BstrAt(out, 2), OleString());
  LONG one = 1;
  BSTR stored = nullptr;
  SafeArrayGetElement(out.get()->parray, &one, &stored);
  CHECK(stored != nullptr);  // stored as an empty BSTR, as the general path does
  SysFreeString(stored);
  // An empty array stays an empty array.
  CHECK_HR(Coerce(CIM_STRING | CIM_FLAG_ARRAY, BstrArrayFrom(0, {}), &out), S_OK);
  CHECK_EQ(out.vt(), VT_ARRAY | VT_BSTR);
  CHECK_EQ(ArraySize(out), 0u);
}

WP_TEST("put fast path: datetime[] and interval checks per element; failure leaves out as it was") {
  Variant out = Variant::FromI4(77);
  CHECK_HR(Coerce(CIM_DATETIME | CIM_FLAG_ARRAY,
                  BstrArray({OLESTR("20240102030405.123000+000"), OLESTR("not a date")}), &out),
           WBEM_E_TYPE_MISMATCH);
  CHECK_EQ(out.vt(), VT_I4);
  CHECK_EQ(out.get()->lVal, 77);
  CHECK_HR(Coerce(CIM_DATETIME | CIM_FLAG_ARRAY,
                  BstrArray({OLESTR("20240102030405.123000+000"),
                             OLESTR("00000001020304.000000:000")}),
                  &out),
           S_OK);
  CHECK_EQ(BstrAt(out, 0), OleString(OLESTR("20240102030405.123000+000")));
  CHECK_EQ(BstrAt(out, 1), OleString(OLESTR("00000001020304.000000:000")));
  CHECK_HR(Coerce(CIM_DATETIME | CIM_FLAG_ARRAY,
                  BstrArray({OLESTR("00000001020304.000000:000"),
                             OLESTR("20240102030405.123000+000")}),
                  &out, /*interval=*/true),
           WBEM_E_TYPE_MISMATCH);
  CHECK_EQ(BstrAt(out, 0), OleString(OLESTR("20240102030405.123000+000")));  // unchanged
  CHECK_HR(Coerce(CIM_REFERENCE | CIM_FLAG_ARRAY, BstrArrayFrom(0, {OLESTR("A.Name=\"x\""), nullptr}),
                  &out),
           WBEM_E_TYPE_MISMATCH);
}

WP_TEST("put fast path: 64-bit text is stored as given only when canonical") {
  Variant out;
  CHECK_HR(Coerce(CIM_UINT64 | CIM_FLAG_ARRAY,
                  BstrArray({OLESTR("0"), OLESTR("007"), OLESTR("1099511627776")}), &out),
           S_OK);
  CHECK_EQ(BstrAt(out, 0), OleString(OLESTR("0")));
  CHECK_EQ(BstrAt(out, 1), OleString(OLESTR("7")));
  CHECK_EQ(BstrAt(out, 2), OleString(OLESTR("1099511627776")));
  CHECK_HR(Coerce(CIM_SINT64, Variant::FromBstr(OLESTR("-00")), &out), S_OK);
  CHECK_EQ(Str(out), OleString(OLESTR("0")));
  CHECK_HR(Coerce(CIM_SINT64, Variant::FromBstr(OLESTR("-012")), &out), S_OK);
  CHECK_EQ(Str(out), OleString(OLESTR("-12")));
  CHECK_HR(Coerce(CIM_SINT64, Variant::FromBstr(OLESTR("-12")), &out), S_OK);
  CHECK_EQ(Str(out), OleString(OLESTR("-12")));
  CHECK_HR(Coerce(CIM_UINT64 | CIM_FLAG_ARRAY, BstrArray({OLESTR("1"), OLESTR("-1")}), &out),
           WBEM_E_TYPE_MISMATCH);
  CHECK_HR(Coerce(CIM_UINT64 | CIM_FLAG_ARRAY, BstrArrayFrom(0, {OLESTR("1"), nullptr}), &out),
           WBEM_E_TYPE_MISMATCH);
}

WP_TEST("put fast path: a failed instance Put keeps the property's previous value") {
  ClassData c = BaseClass();
  c.properties.push_back(
      MakeProperty(OLESTR("Tags"), CIM_STRING | CIM_FLAG_ARRAY, OLESTR("Test_Base")));
  c.properties.push_back(MakeProperty(OLESTR("When"), CIM_DATETIME, OLESTR("Test_Base")));
  ComPtr<IWbemClassObject> cls = embedded::NewClassObject(std::move(c));
  ComPtr<IWbemClassObject> inst;
  CHECK_HR(cls->SpawnInstance(0, inst.put()), S_OK);
  Variant tags = BstrArray({OLESTR("a"), OLESTR("b")});
  CHECK_HR(inst->Put(OLESTR("Tags"), 0, tags.get(), 0), S_OK);
  Variant bad = Variant::FromI4(3);
  CHECK_HR(inst->Put(OLESTR("Tags"), 0, bad.get(), 0), WBEM_E_TYPE_MISMATCH);
  Variant got;
  CHECK_HR(inst->Get(OLESTR("Tags"), 0, got.put(), nullptr, nullptr), S_OK);
  CHECK_EQ(got.vt(), VT_ARRAY | VT_BSTR);
  CHECK_EQ(BstrAt(got, 1), OleString(OLESTR("b")));
  Variant when = Variant::FromBstr(OLESTR("20240102030405.123000+000"));
  CHECK_HR(inst->Put(OLESTR("When"), 0, when.get(), 0), S_OK);
  Variant badWhen = Variant::FromBstr(OLESTR("2024"));
  CHECK_HR(inst->Put(OLESTR("When"), 0, badWhen.get(), 0), WBEM_E_TYPE_MISMATCH);
  CHECK_HR(inst->Get(OLESTR("When"), 0, got.put(), nullptr, nullptr), S_OK);
  CHECK_EQ(Str(got), OleString(OLESTR("20240102030405.123000+000")));
}
