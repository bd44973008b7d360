// The shortcuts of CoerceForPut (BSTR arrays converted straight from the
// source array, canonical 64-bit text stored as given, conversion straight
// into the stored slot) give exactly the general path's results.
#include "embedded/embedded.h"
#include "embedded/owned_put.h"
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

WP_TEST("put fast path: IsStoredForm accepts exactly the values CoerceForPut stores as they are") {
  using embedded::IsStoredForm;
  CHECK(IsStoredForm(CIM_STRING, *Variant::FromBstr(OLESTR("x")).get()));
  CHECK(IsStoredForm(CIM_STRING, *Variant::FromBstr(OLESTR("")).get()));
  VARIANT nullBstr;
  VariantInit(&nullBstr);
  nullBstr.vt = VT_BSTR;
  nullBstr.bstrVal = nullptr;
  CHECK(!IsStoredForm(CIM_STRING, nullBstr));  // stored as an empty BSTR, not NULL
  CHECK(IsStoredForm(CIM_STRING, *Variant::Null().get()));
  CHECK(!IsStoredForm(CIM_STRING, *Variant().get()));  // VT_EMPTY is stored as VT_NULL
  CHECK(IsStoredForm(CIM_UINT64, *Variant::FromBstr(OLESTR("1099511627776")).get()));
  CHECK(!IsStoredForm(CIM_UINT64, *Variant::FromBstr(OLESTR("007")).get()));
  CHECK(!IsStoredForm(CIM_UINT64, *Variant::FromBstr(OLESTR("-1")).get()));
  CHECK(IsStoredForm(CIM_SINT64, *Variant::FromBstr(OLESTR("-1")).get()));
  CHECK(!IsStoredForm(CIM_SINT64, *Variant::FromBstr(OLESTR("-0")).get()));
  CHECK(IsStoredForm(CIM_DATETIME, *Variant::FromBstr(OLESTR("20240102030405.123000+000")).get()));
  CHECK(!IsStoredForm(CIM_DATETIME, *Variant::FromBstr(OLESTR("20240102030405.123000+000")).get(),
                      /*interval=*/true));
  CHECK(!IsStoredForm(CIM_DATETIME, *Variant::FromBstr(OLESTR("2024")).get()));
  CHECK(IsStoredForm(CIM_UINT32, *Variant::FromI4(-1).get()));
  CHECK(!IsStoredForm(CIM_UINT32, *Variant::FromUI4(5).get()));  // converted to VT_I4
  CHECK(!IsStoredForm(CIM_UINT16, *Variant::FromI4(65536).get()));
  CHECK(!IsStoredForm(CIM_SINT8, *Variant::FromI2(128).get()));
  CHECK(IsStoredForm(CIM_BOOLEAN, *Variant::FromBool(true).get()));
  CHECK(!IsStoredForm(CIM_REFERENCE, *Variant::FromBstr(OLESTR("A.Name=\"x\"")).get()));
  CHECK(!IsStoredForm(CIM_STRING | CIM_FLAG_ARRAY, *Variant::FromBstr(OLESTR("x")).get()));
  CHECK(!IsStoredForm(CIM_STRING, *BstrArray({OLESTR("x")}).get()));
  CHECK(IsStoredForm(CIM_STRING | CIM_FLAG_ARRAY, *BstrArray({OLESTR("a"), OLESTR("b")}).get()));
  CHECK(!IsStoredForm(CIM_STRING | CIM_FLAG_ARRAY, *BstrArrayFrom(1, {OLESTR("a")}).get()));
  CHECK(!IsStoredForm(CIM_STRING | CIM_FLAG_ARRAY, *BstrArrayFrom(0, {OLESTR("a"), nullptr}).get()));
  CHECK(!IsStoredForm(CIM_DATETIME | CIM_FLAG_ARRAY, *BstrArray({OLESTR("2024")}).get()));
  Variant locked = BstrArray({OLESTR("a")});
  SafeArrayLock(locked.get()->parray);
  CHECK(!IsStoredForm(CIM_STRING | CIM_FLAG_ARRAY, *locked.get()));
  SafeArrayUnlock(locked.get()->parray);
  CHECK(IsStoredForm(CIM_SINT32 | CIM_FLAG_ARRAY, *ArrayOf<int32_t>(VT_I4, {1, -2}).get()));
  CHECK(!IsStoredForm(CIM_UINT16 | CIM_FLAG_ARRAY, *ArrayOf<int32_t>(VT_I4, {1}).get()));
}

WP_TEST("put fast path: PutTaking moves stored-form values, otherwise behaves as Put") {
  ClassData c = BaseClass();
  c.properties.push_back(
      MakeProperty(OLESTR("Tags"), CIM_STRING | CIM_FLAG_ARRAY, OLESTR("Test_Base")));
  ComPtr<IWbemClassObject> cls = embedded::NewClassObject(std::move(c));
  ComPtr<IWbemClassObject> inst;
  CHECK_HR(cls->SpawnInstance(0, inst.put()), S_OK);

  Variant name = Variant::FromBstr(OLESTR("n1"));
  CHECK_HR(embedded::PutTaking(inst.get(), OLESTR("name"), &name), S_OK);
  CHECK_EQ(name.vt(), VT_EMPTY);  // taken
  CHECK_EQ(Str(GetValue(inst.get(), OLESTR("Name"))), OleString(OLESTR("n1")));

  Variant tags = BstrArray({OLESTR("a"), OLESTR("b")});
  CHECK_HR(embedded::PutTaking(inst.get(), OLESTR("Tags"), &tags), S_OK);
  CHECK_EQ(tags.vt(), VT_EMPTY);
  CHECK_EQ(BstrAt(GetValue(inst.get(), OLESTR("Tags")), 1), OleString(OLESTR("b")));

  Variant size = Variant::FromBstr(OLESTR("007"));  // converted: copied, not taken
  CHECK_HR(embedded::PutTaking(inst.get(), OLESTR("Size"), &size), S_OK);
  CHECK_EQ(Str(size), OleString(OLESTR("007")));
  CHECK_EQ(Str(GetValue(inst.get(), OLESTR("Size"))), OleString(OLESTR("7")));

  Variant bad = Variant::FromBstr(OLESTR("x"));
  CHECK_HR(embedded::PutTaking(inst.get(), OLESTR("Count"), &bad), WBEM_E_TYPE_MISMATCH);
  CHECK_EQ(Str(bad), OleString(OLESTR("x")));
  CHECK_HR(embedded::PutTaking(inst.get(), OLESTR("Nope"), &bad), WBEM_E_NOT_FOUND);
  CHECK_HR(embedded::PutTaking(inst.get(), OLESTR("__PATH"), &bad), WBEM_E_READ_ONLY);
  CHECK_EQ(Str(bad), OleString(OLESTR("x")));

  // A class object: PutTaking is Put (the value is copied, the class changes).
  Variant def = Variant::FromI4(9);
  CHECK_HR(embedded::PutTaking(cls.get(), OLESTR("Count"), &def), S_OK);
  CHECK_EQ(def.vt(), VT_I4);
  CHECK_EQ(I4(GetValue(cls.get(), OLESTR("Count"))), 9);
}
