// IWbemContext of the embedded server (wmi-put-semantics.md §7.1).
#include "embedded/context.h"

#include <thread>

#include "embedded/embedded.h"
#include "objects_fixture.h"

using namespace wmiput;
using namespace wmiput::test::objects;

namespace {

ComPtr<IWbemContext> NewContext() {
  ComPtr<IWbemContext> ctx;
  if (FAILED(embedded::CreateContext(ctx.put()))) test::Fail(__FILE__, __LINE__, "CreateContext");
  return ctx;
}

HRESULT Set(IWbemContext* ctx, const OLECHAR* name, Variant v) {
  return ctx->SetValue(name, 0, v.get());
}

std::vector<OleString> ContextNames(IWbemContext* ctx) {
  SAFEARRAY* sa = nullptr;
  if (FAILED(ctx->GetNames(0, &sa))) test::Fail(__FILE__, __LINE__, "GetNames");
  return Names(sa);
}

Variant I8(int64_t v) {
  Variant x;
  VARIANT* p = x.put();
  p->vt = VT_I8;
  p->llVal = v;
  return x;
}

}  // namespace

WP_TEST("context: SetValue/GetValue, case-insensitive names, overwrite, NOT_FOUND") {
  Live live;
  {
    ComPtr<IWbemContext> ctx = NewContext();
    CHECK_EQ(embedded::live::contexts.load(), live.contexts + 1);
    CHECK_HR(Set(ctx.get(), OLESTR("__ProviderArchitecture"), Variant::FromI4(64)), S_OK);
    CHECK_HR(Set(ctx.get(), OLESTR("Tag"), Variant::FromBstr(OLESTR("a"))), S_OK);
    Variant v;
    CHECK_HR(ctx->GetValue(OLESTR("__providerarchitecture"), 0, v.put()), S_OK);
    CHECK_EQ(v.vt(), VT_I4);
    CHECK_EQ(v.get()->lVal, 64);
    CHECK_HR(Set(ctx.get(), OLESTR("TAG"), Variant::FromBstr(OLESTR("b"))), S_OK);
    CHECK_HR(ctx->GetValue(OLESTR("tag"), 0, v.put()), S_OK);
    CHECK_EQ(Str(v), OleString(OLESTR("b")));
    // The first spelling is kept.
    CHECK_EQ(Join(ContextNames(ctx.get())), std::string("__ProviderArchitecture,Tag"));
    CHECK_HR(ctx->GetValue(OLESTR("Missing"), 0, v.put()), WBEM_E_NOT_FOUND);
    CHECK_HR(ctx->GetValue(OLESTR("Tag"), 1, v.put()), WBEM_E_INVALID_PARAMETER);
    CHECK_HR(ctx->GetValue(OLESTR("Tag"), 0, nullptr), WBEM_E_INVALID_PARAMETER);
    CHECK_HR(ctx->GetValue(nullptr, 0, v.put()), WBEM_E_INVALID_PARAMETER);
    // GetContextValue helper.
    CHECK_HR(embedded::GetContextValue(ctx.get(), OLESTR("tag"), &v), S_OK);
    CHECK_EQ(Str(v), OleString(OLESTR("b")));
    CHECK_HR(embedded::GetContextValue(ctx.get(), OLESTR("nope"), &v), WBEM_E_NOT_FOUND);
  }
  CHECK_LIVE(live);
}

WP_TEST("context: allowed VARIANT types (no 64-bit integers, no VT_EMPTY)") {
  Live live;
  {
    ComPtr<IWbemContext> ctx = NewContext();
    CHECK_HR(Set(ctx.get(), OLESTR("a"), Variant::Null()), S_OK);
    CHECK_HR(Set(ctx.get(), OLESTR("b"), Variant::FromI1(-1)), S_OK);
    CHECK_HR(Set(ctx.get(), OLESTR("c"), Variant::FromUI1(1)), S_OK);
    CHECK_HR(Set(ctx.get(), OLESTR("d"), Variant::FromI2(1)), S_OK);
    CHECK_HR(Set(ctx.get(), OLESTR("e"), Variant::FromUI2(1)), S_OK);
    CHECK_HR(Set(ctx.get(), OLESTR("f"), Variant::FromUI4(1)), S_OK);
    CHECK_HR(Set(ctx.get(), OLESTR("g"), Variant::FromR4(1)), S_OK);
    CHECK_HR(Set(ctx.get(), OLESTR("h"), Variant::FromR8(1)), S_OK);
    CHECK_HR(Set(ctx.get(), OLESTR("i"), Variant::FromBool(true)), S_OK);
    CHECK_HR(Set(ctx.get(), OLESTR("j"), BstrArray({OLESTR("x"), OLESTR("y")})), S_OK);
    CHECK_HR(Set(ctx.get(), OLESTR("k"), ArrayOf<int32_t>(VT_I4, {1, 2, 3})), S_OK);
    CHECK_HR(Set(ctx.get(), OLESTR("x"), I8(1)), WBEM_E_INVALID_PARAMETER);
    CHECK_HR(Set(ctx.get(), OLESTR("x"), Variant::FromUI8(1)), WBEM_E_INVALID_PARAMETER);
    CHECK_HR(Set(ctx.get(), OLESTR("x"), Variant()), WBEM_E_INVALID_PARAMETER);
    CHECK_HR(Set(ctx.get(), OLESTR("x"), ArrayOf<int64_t>(VT_I8, {1})), WBEM_E_INVALID_PARAMETER);
    // VT_UNKNOWN must be a class object.
    ComPtr<IWbemContext> other = NewContext();
    CHECK_HR(Set(ctx.get(), OLESTR("x"), Variant::FromUnknown(other.get())), WBEM_E_INVALID_PARAMETER);
    CHECK_HR(ctx->SetValue(OLESTR("x"), 0, nullptr), WBEM_E_INVALID_PARAMETER);
    CHECK_HR(ctx->SetValue(OLESTR(""), 0, Variant::FromI4(1).get()), WBEM_E_INVALID_PARAMETER);
    CHECK_HR(ctx->SetValue(nullptr, 0, Variant::FromI4(1).get()), WBEM_E_INVALID_PARAMETER);
    CHECK_HR(ctx->SetValue(OLESTR("x"), 1, Variant::FromI4(1).get()), WBEM_E_INVALID_PARAMETER);
    CHECK_EQ(ContextNames(ctx.get()).size(), 11u);
    Variant v;
    CHECK_HR(ctx->GetValue(OLESTR("k"), 0, v.put()), S_OK);
    CHECK_EQ(v.vt(), VT_ARRAY | VT_I4);
    CHECK_EQ(ArrayAt<int32_t>(v, 2), 3);
    CHECK_HR(ctx->GetValue(OLESTR("a"), 0, v.put()), S_OK);
    CHECK_EQ(v.vt(), VT_NULL);
  }
  CHECK_LIVE(live);
}

WP_TEST("context: embedded objects are copied by SetValue and GetValue") {
  Live live;
  {
    ComPtr<IWbemContext> ctx = NewContext();
    ComPtr<IWbemClassObject> cls = StoredBase();
    ComPtr<IWbemClassObject> inst;
    CHECK_HR(cls->SpawnInstance(0, inst.put()), S_OK);
    CHECK_HR(PutValue(inst.get(), OLESTR("Name"), Variant::FromBstr(OLESTR("before"))), S_OK);
    CHECK_HR(Set(ctx.get(), OLESTR("obj"), Variant::FromUnknown(inst.get())), S_OK);
    CHECK_HR(PutValue(inst.get(), OLESTR("Name"), Variant::FromBstr(OLESTR("after"))), S_OK);
    Variant v;
    CHECK_HR(ctx->GetValue(OLESTR("obj"), 0, v.put()), S_OK);
    CHECK_EQ(v.vt(), VT_UNKNOWN);
    CHECK(v.get()->punkVal != static_cast<IUnknown*>(inst.get()));
    ComPtr<IWbemClassObject> got;
    CHECK_HR(ComPtr<IUnknown>::Share(v.get()->punkVal).As(&got), S_OK);
    CHECK_EQ(Str(GetValue(got.get(), OLESTR("Name"))), OleString(OLESTR("before")));
    CHECK_HR(PutValue(got.get(), OLESTR("Name"), Variant::FromBstr(OLESTR("changed"))), S_OK);
    Variant again;
    CHECK_HR(ctx->GetValue(OLESTR("obj"), 0, again.put()), S_OK);
    ComPtr<IWbemClassObject> got2;
    CHECK_HR(ComPtr<IUnknown>::Share(again.get()->punkVal).As(&got2), S_OK);
    CHECK_EQ(Str(GetValue(got2.get(), OLESTR("Name"))), OleString(OLESTR("before")));
  }
  CHECK_LIVE(live);
}

WP_TEST("context: DeleteValue, DeleteAll, enumeration, Clone") {
  Live live;
  {
    ComPtr<IWbemContext> ctx = NewContext();
    CHECK_HR(Set(ctx.get(), OLESTR("One"), Variant::FromI4(1)), S_OK);
    CHECK_HR(Set(ctx.get(), OLESTR("Two"), Variant::FromI4(2)), S_OK);
    CHECK_HR(Set(ctx.get(), OLESTR("Three"), Variant::FromI4(3)), S_OK);
    CHECK_HR(ctx->Next(0, nullptr, nullptr), WBEM_E_UNEXPECTED);
    CHECK_HR(ctx->BeginEnumeration(1), WBEM_E_INVALID_PARAMETER);
    CHECK_HR(ctx->BeginEnumeration(0), S_OK);
    com::Bstr name;
    Variant v;
    CHECK_HR(ctx->Next(0, name.put(), v.put()), S_OK);
    CHECK_EQ(name.str(), OleString(OLESTR("One")));
    CHECK_EQ(v.get()->lVal, 1);
    CHECK_HR(ctx->DeleteValue(OLESTR("two"), 0), S_OK);  // deleted during the enumeration: skipped
    CHECK_HR(ctx->Next(0, name.put(), v.put()), S_OK);
    CHECK_EQ(name.str(), OleString(OLESTR("Three")));
    CHECK_HR(ctx->Next(0, name.put(), v.put()), WBEM_S_NO_MORE_DATA);
    CHECK_HR(ctx->Next(1, name.put(), v.put()), WBEM_E_INVALID_PARAMETER);
    CHECK_HR(ctx->EndEnumeration(), S_OK);
    CHECK_HR(ctx->Next(0, name.put(), v.put()), WBEM_E_UNEXPECTED);
    CHECK_HR(ctx->DeleteValue(OLESTR("two"), 0), WBEM_E_NOT_FOUND);
    CHECK_HR(ctx->DeleteValue(OLESTR("One"), 1), WBEM_E_INVALID_PARAMETER);

    ComPtr<IWbemContext> copy;
    CHECK_HR(ctx->Clone(copy.put()), S_OK);
    CHECK_EQ(embedded::live::contexts.load(), live.contexts + 2);
    CHECK_HR(Set(copy.get(), OLESTR("One"), Variant::FromI4(100)), S_OK);
    CHECK_HR(ctx->GetValue(OLESTR("One"), 0, v.put()), S_OK);
    CHECK_EQ(v.get()->lVal, 1);
    CHECK_EQ(Join(ContextNames(copy.get())), std::string("One,Three"));
    CHECK_HR(ctx->DeleteAll(), S_OK);
    CHECK_EQ(ContextNames(ctx.get()).size(), 0u);
    CHECK_EQ(ContextNames(copy.get()).size(), 2u);
    SAFEARRAY* sa = nullptr;
    CHECK_HR(ctx->GetNames(1, &sa), WBEM_E_INVALID_PARAMETER);
    CHECK_HR(ctx->Clone(nullptr), WBEM_E_INVALID_PARAMETER);
    ComPtr<IWbemClassObject> notThere;
    CHECK_HR(ctx.As(&notThere), E_NOINTERFACE);
    CHECK_HR(embedded::CreateContext(nullptr), WBEM_E_INVALID_PARAMETER);
  }
  CHECK_LIVE(live);
}

WP_TEST("context: concurrent readers and a writer") {
  Live live;
  {
    ComPtr<IWbemContext> ctx = NewContext();
    CHECK_HR(Set(ctx.get(), OLESTR("n"), Variant::FromI4(0)), S_OK);
    std::thread writer([&] {
      for (int i = 1; i <= 2000; ++i) Set(ctx.get(), OLESTR("n"), Variant::FromI4(i));
    });
    int bad = 0;
    for (int i = 0; i < 2000; ++i) {
      Variant v;
      if (FAILED(ctx->GetValue(OLESTR("N"), 0, v.put())) || v.vt() != VT_I4) ++bad;
    }
    writer.join();
    CHECK_EQ(bad, 0);
    Variant v;
    CHECK_HR(ctx->GetValue(OLESTR("n"), 0, v.put()), S_OK);
    CHECK_EQ(v.get()->lVal, 2000);
  }
  CHECK_LIVE(live);
}
