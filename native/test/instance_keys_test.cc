// PutInstance semantics and instance paths (wmi-put-semantics.md §1.3, §1.7,
// §2.3, §6): the create/update matrix, key uniqueness across the hierarchy,
// singletons, GUID keys, ILLEGAL_NULL, NO_KEY, abstract/Amendment classes,
// amended qualifiers, partial updates and every GetInstance path form.
#include "embedded/model.h"
#include "embedded/names.h"
#include "repository_support.h"

using namespace wmiput::test::repo;

namespace {

void Schema(Repository& r) {
  CHECK_HR(PutC(r, Base("Test_Item", {KeyProp("Name", CIM_STRING), Prop("Size", CIM_UINT32),
                                       Prop("Note", CIM_STRING)})),
           S_OK);
  CHECK_HR(PutC(r, Derived(r, "Test_Item", "Test_File")), S_OK);
  CHECK_HR(PutC(r, Derived(r, "Test_Item", "Test_Dir")), S_OK);
  CHECK_HR(PutC(r, Base("Test_Pair", {KeyProp("StrVal", CIM_STRING), KeyProp("IntVal", CIM_UINT32),
                                       Prop("Data", CIM_STRING)})),
           S_OK);
}

}  // namespace

WP_TEST("instance put: create/update matrix") {
  Repository r;
  Schema(r);
  InstanceData a = Inst(r, "Test_Item", {{"Name", Str("alpha")}, {"Size", I4(1)}});
  OpResult res = r.PutInstance(Ns(), a, WBEM_FLAG_UPDATE_ONLY, nullptr);
  CHECK_HR(res.hr, WBEM_E_NOT_FOUND);
  CHECK(res.parameterInfo == W("Test_Item.Name=\"alpha\""));
  res = r.PutInstance(Ns(), a, WBEM_FLAG_CREATE_ONLY, nullptr);
  CHECK_HR(res.hr, S_OK);
  CHECK(res.path == W("Test_Item.Name=\"alpha\""));
  res = r.PutInstance(Ns(), a, WBEM_FLAG_CREATE_ONLY, nullptr);
  CHECK_HR(res.hr, WBEM_E_ALREADY_EXISTS);
  CHECK(res.parameterInfo == W("Test_Item.Name=\"alpha\""));
  CHECK(!res.description.empty());
  InstanceData b = Inst(r, "Test_Item", {{"Name", Str("alpha")}, {"Size", I4(2)}});
  CHECK_HR(PutI(r, b, WBEM_FLAG_UPDATE_ONLY), S_OK);
  CHECK_EQ(LongAt(r, "Test_Item.Name=\"alpha\"", "Size"), 2);
  b.values[1] = I4(3);
  CHECK_HR(PutI(r, b, 0), S_OK);
  CHECK_EQ(LongAt(r, "Test_Item.Name=\"alpha\"", "Size"), 3);
  CHECK_HR(PutI(r, Inst(r, "Test_Item", {{"Name", Str("beta")}}), 0), S_OK);
  std::vector<InstanceData> list;
  CHECK_HR(r.EnumInstances(Ns(), W("Test_Item"), false, &list), S_OK);
  CHECK_EQ(list.size(), size_t{2});
  CHECK_HR(r.PutInstance(W("root\\none"), a, 0, nullptr).hr, WBEM_E_INVALID_NAMESPACE);
  InstanceData orphan;
  CHECK_HR(PutI(r, orphan), WBEM_E_INVALID_OBJECT);
  // An instance of a class this namespace does not have.
  InstanceData foreign = Inst(r, "Test_Item", {{"Name", Str("x")}});
  CHECK_HR(r.PutInstance(W("root\\cimv2"), foreign, 0, nullptr).hr, WBEM_E_INVALID_CLASS);
}

WP_TEST("instance put: string keys match case-insensitively and keep their case") {
  Repository r;
  Schema(r);
  CHECK_HR(PutI(r, Inst(r, "Test_Item", {{"Name", Str("MixedCase")}, {"Size", I4(1)}})), S_OK);
  OpResult res = r.PutInstance(Ns(), Inst(r, "Test_Item", {{"Name", Str("MIXEDCASE")}, {"Size", I4(2)}}),
                               0, nullptr);
  CHECK_HR(res.hr, S_OK);
  CHECK(res.path == W("Test_Item.Name=\"MixedCase\""));
  std::vector<InstanceData> list;
  CHECK_HR(r.EnumInstances(Ns(), W("Test_Item"), true, &list), S_OK);
  CHECK_EQ(list.size(), size_t{1});
  CHECK(StrOf(list[0].values[0]) == W("MixedCase"));
  CHECK_EQ(list[0].values[1].get()->lVal, 2);
  CHECK_HR(PutI(r, Inst(r, "Test_Item", {{"Name", Str("mixedcase")}}), WBEM_FLAG_CREATE_ONLY),
           WBEM_E_ALREADY_EXISTS);
}

WP_TEST("instance put: keys are unique across the hierarchy below the key-declaring class") {
  Repository r;
  Schema(r);
  CHECK_HR(PutI(r, Inst(r, "Test_File", {{"Name", Str("k")}, {"Size", I4(1)}})), S_OK);
  // A sibling class with the same key.
  OpResult res = r.PutInstance(Ns(), Inst(r, "Test_Dir", {{"Name", Str("K")}}), WBEM_FLAG_CREATE_ONLY, nullptr);
  CHECK_HR(res.hr, WBEM_E_ALREADY_EXISTS);
  CHECK(res.parameterInfo == W("Test_File.Name=\"k\""));
  res = r.PutInstance(Ns(), Inst(r, "Test_Dir", {{"Name", Str("k")}}), 0, nullptr);
  CHECK_HR(res.hr, WBEM_E_INVALID_OPERATION);
  CHECK(res.parameterInfo == W("Test_File.Name=\"k\""));
  CHECK_HR(PutI(r, Inst(r, "Test_Dir", {{"Name", Str("k")}}), WBEM_FLAG_UPDATE_ONLY),
           WBEM_E_INVALID_OPERATION);
  // The parent class shares the key space.
  CHECK_HR(PutI(r, Inst(r, "Test_Item", {{"Name", Str("k")}})), WBEM_E_INVALID_OPERATION);
  // Reading through the parent class finds the derived instance.
  InstanceData d;
  CHECK_HR(r.GetInstance(Ns(), W("Test_Item.Name=\"k\""), &d), S_OK);
  CHECK(d.cls->name == W("Test_File"));
  CHECK_EQ(d.values[1].get()->lVal, 1);
  CHECK_HR(r.GetInstance(Ns(), W("Test_File.Name=\"k\""), &d), S_OK);
  CHECK_HR(r.GetInstance(Ns(), W("Test_Dir.Name=\"k\""), &d), WBEM_E_NOT_FOUND);
  // Delete it, then the sibling may take the key.
  CHECK_HR(r.DeleteInstance(Ns(), W("Test_Item.Name=\"K\"")).hr, S_OK);
  CHECK_HR(PutI(r, Inst(r, "Test_Dir", {{"Name", Str("k")}})), S_OK);
  // Enumeration: deep from the parent sees it, shallow does not.
  std::vector<InstanceData> list;
  CHECK_HR(r.EnumInstances(Ns(), W("Test_Item"), true, &list), S_OK);
  CHECK_EQ(list.size(), size_t{1});
  CHECK_HR(r.EnumInstances(Ns(), W("Test_Item"), false, &list), S_OK);
  CHECK_EQ(list.size(), size_t{0});
  CHECK_HR(r.EnumInstances(Ns(), W("Test_Dir"), false, &list), S_OK);
  CHECK_EQ(list.size(), size_t{1});
  CHECK_HR(r.EnumInstances(Ns(), W("Test_Nope"), false, &list), WBEM_E_INVALID_CLASS);
}

WP_TEST("instance put: classes below an abstract keyless class have separate key spaces") {
  Repository r;
  CHECK_HR(PutC(r, Base("Test_AbsBase", {Prop("Common", CIM_STRING)}, {Qual("Abstract", Bool(true))})), S_OK);
  CHECK_HR(PutC(r, Derived(r, "Test_AbsBase", "Test_KA", {KeyProp("K", CIM_UINT32)})), S_OK);
  CHECK_HR(PutC(r, Derived(r, "Test_AbsBase", "Test_KB", {KeyProp("K", CIM_UINT32)})), S_OK);
  CHECK_HR(PutI(r, Inst(r, "Test_KA", {{"K", I4(1)}})), S_OK);
  CHECK_HR(PutI(r, Inst(r, "Test_KB", {{"K", I4(1)}})), S_OK);
  std::vector<InstanceData> list;
  CHECK_HR(r.EnumInstances(Ns(), W("Test_AbsBase"), true, &list), S_OK);
  CHECK_EQ(list.size(), size_t{2});
  OpResult res = r.PutInstance(Ns(), Inst(r, "Test_AbsBase", {}), 0, nullptr);
  CHECK_HR(res.hr, WBEM_E_INVALID_OPERATION);
  CHECK(res.parameterInfo == W("Test_AbsBase"));
}

WP_TEST("instance put: singletons") {
  Repository r;
  CHECK_HR(PutC(r, Base("Test_Config", {Prop("Level", CIM_UINT32)}, {Qual("Singleton", Bool(true))})), S_OK);
  OpResult res = r.PutInstance(Ns(), Inst(r, "Test_Config", {{"Level", I4(1)}}), 0, nullptr);
  CHECK_HR(res.hr, S_OK);
  CHECK(res.path == W("Test_Config=@"));
  CHECK_HR(PutI(r, Inst(r, "Test_Config", {{"Level", I4(2)}}), WBEM_FLAG_CREATE_ONLY), WBEM_E_ALREADY_EXISTS);
  CHECK_HR(PutI(r, Inst(r, "Test_Config", {{"Level", I4(3)}}), WBEM_FLAG_UPDATE_ONLY), S_OK);
  CHECK_EQ(LongAt(r, "Test_Config=@", "Level"), 3);
  InstanceData d;
  CHECK(wmiput::embedded::InstanceRelPath((r.GetInstance(Ns(), W("test_config=@"), &d), d)) ==
        W("Test_Config=@"));
  CHECK_HR(r.GetInstance(Ns(), W("Test_Config.Level=3"), &d), WBEM_E_INVALID_OBJECT_PATH);
  CHECK_HR(r.DeleteInstance(Ns(), W("Test_Config=@")).hr, S_OK);
  CHECK_HR(r.GetInstance(Ns(), W("Test_Config=@"), &d), WBEM_E_NOT_FOUND);
  CHECK_HR(PutI(r, Inst(r, "Test_Config", {}), WBEM_FLAG_UPDATE_ONLY), WBEM_E_NOT_FOUND);
}

WP_TEST("instance put: NULL string key gets a GUID, NULL non-string key is ILLEGAL_NULL") {
  Repository r;
  Schema(r);
  OpResult one = r.PutInstance(Ns(), Inst(r, "Test_Item", {{"Size", I4(1)}}), 0, nullptr);
  OpResult two = r.PutInstance(Ns(), Inst(r, "Test_Item", {{"Size", I4(2)}}), 0, nullptr);
  CHECK_HR(one.hr, S_OK);
  CHECK_HR(two.hr, S_OK);
  CHECK(one.path != two.path);
  // Test_Item.Name="{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}"
  CHECK_EQ(one.path.size(), W("Test_Item.Name=\"\"").size() + 38);
  CHECK_EQ(one.path[16], OLECHAR('{'));
  InstanceData d;
  CHECK_HR(r.GetInstance(Ns(), one.path, &d), S_OK);
  CHECK_EQ(d.values[1].get()->lVal, 1);
  CHECK(d.modified[0]);
  CHECK_HR(PutI(r, Inst(r, "Test_Item", {}), WBEM_FLAG_UPDATE_ONLY), WBEM_E_NOT_FOUND);
  // A NULL uint32 key.
  OpResult res = r.PutInstance(Ns(), Inst(r, "Test_Pair", {{"StrVal", Str("a")}}), 0, nullptr);
  CHECK_HR(res.hr, WBEM_E_ILLEGAL_NULL);
  CHECK(res.parameterInfo == W("IntVal"));
}

WP_TEST("instance put: Not_Null and Indexed properties must have values") {
  Repository r;
  CHECK_HR(PutC(r, Base("Test_Strict", {KeyProp("K", CIM_UINT32),
                                         Prop("Must", CIM_STRING, {Qual("Not_Null", Bool(true))}),
                                         Prop("Idx", CIM_SINT32, {Qual("Indexed", Bool(true))}),
                                         Prop("Free", CIM_STRING, {Qual("Not_Null", Bool(false))})})),
           S_OK);
  OpResult res = r.PutInstance(Ns(), Inst(r, "Test_Strict", {{"K", I4(1)}, {"Idx", I4(1)}}), 0, nullptr);
  CHECK_HR(res.hr, WBEM_E_ILLEGAL_NULL);
  CHECK(res.parameterInfo == W("Must"));
  res = r.PutInstance(Ns(), Inst(r, "Test_Strict", {{"K", I4(1)}, {"Must", Str("x")}}), 0, nullptr);
  CHECK_HR(res.hr, WBEM_E_ILLEGAL_NULL);
  CHECK(res.parameterInfo == W("Idx"));
  CHECK_HR(PutI(r, Inst(r, "Test_Strict", {{"K", I4(1)}, {"Must", Str("x")}, {"Idx", I4(0)}})), S_OK);
}

WP_TEST("instance put: keyless, abstract, Amendment and dynamic classes") {
  Repository r;
  CHECK_HR(PutC(r, Base("Test_NoKey", {Prop("V", CIM_STRING)})), S_OK);
  OpResult res = r.PutInstance(Ns(), Inst(r, "Test_NoKey", {{"V", Str("x")}}), 0, nullptr);
  CHECK_HR(res.hr, WBEM_E_NO_KEY);
  CHECK(res.parameterInfo == W("Test_NoKey"));
  CHECK_HR(PutC(r, Base("Test_Abstract", {KeyProp("K", CIM_STRING)}, {Qual("Abstract", Bool(true))})), S_OK);
  CHECK_HR(PutI(r, Inst(r, "Test_Abstract", {{"K", Str("x")}})), WBEM_E_INVALID_OPERATION);
  CHECK_HR(PutC(r, Base("Test_Amendment", {KeyProp("K", CIM_STRING)}, {Qual("Amendment", Bool(true))})), S_OK);
  CHECK_HR(PutI(r, Inst(r, "Test_Amendment", {{"K", Str("x")}})), WBEM_E_INVALID_OPERATION);
  CHECK_HR(PutC(r, Base("Test_Dynamic", {KeyProp("K", CIM_STRING)},
                        {Qual("Dynamic", Bool(true)), Qual("Provider", Str("Nobody"))})),
           S_OK);
  CHECK_HR(PutI(r, Inst(r, "Test_Dynamic", {{"K", Str("x")}})), WBEM_E_PROVIDER_NOT_FOUND);
}

WP_TEST("instance put: amended instance qualifiers need USE_AMENDED_QUALIFIERS") {
  Repository r;
  Schema(r);
  InstanceData d = Inst(r, "Test_Item", {{"Name", Str("a")}});
  d.qualifiers.push_back(Qual("Description", Str("localized"), WBEM_FLAVOR_AMENDED));
  CHECK_HR(PutI(r, d), WBEM_E_AMENDED_OBJECT);
  InstanceData p = Inst(r, "Test_Item", {{"Name", Str("b")}});
  p.propertyQualifiers.resize(p.values.size());
  p.propertyQualifiers[2].push_back(Qual("DisplayName", Str("x"), WBEM_FLAVOR_AMENDED));
  CHECK_HR(PutI(r, p), WBEM_E_AMENDED_OBJECT);
  CHECK_HR(PutI(r, d, WBEM_FLAG_USE_AMENDED_QUALIFIERS), S_OK);
  InstanceData back;
  CHECK_HR(r.GetInstance(Ns(), W("Test_Item.Name=\"a\""), &back), S_OK);
  CHECK_EQ(back.qualifiers.size(), size_t{1});
  CHECK(back.qualifiers[0].name == W("Description"));
}

WP_TEST("instance put: partial updates through __PUT_EXT_ context values") {
  Repository r;
  Schema(r);
  CHECK_HR(PutI(r, Inst(r, "Test_Item", {{"Name", Str("p")}, {"Size", I4(1)}, {"Note", Str("keep")}})), S_OK);
  TestContext ctx;
  ctx.Set("__PUT_EXTENSIONS", Bool(true));
  ctx.Set("__PUT_EXT_PROPERTIES", StringArray({"Size", "Note"}));
  // Size written; Note is NULL in the object and strict nulls are off: kept.
  CHECK_HR(PutI(r, Inst(r, "Test_Item", {{"Name", Str("p")}, {"Size", I4(9)}}), 0, &ctx), S_OK);
  CHECK_EQ(LongAt(r, "Test_Item.Name=\"p\"", "Size"), 9);
  CHECK(StrOf(ValueAt(r, "Test_Item.Name=\"p\"", "Note")) == W("keep"));
  // Properties outside the list are not written.
  ctx.Set("__PUT_EXT_PROPERTIES", StringArray({"Size"}));
  CHECK_HR(PutI(r, Inst(r, "Test_Item", {{"Name", Str("p")}, {"Size", I4(10)}, {"Note", Str("new")}}), 0, &ctx),
           S_OK);
  CHECK_EQ(LongAt(r, "Test_Item.Name=\"p\"", "Size"), 10);
  CHECK(StrOf(ValueAt(r, "Test_Item.Name=\"p\"", "Note")) == W("keep"));
  // Strict nulls: a listed NULL property becomes NULL.
  ctx.Set("__PUT_EXT_PROPERTIES", StringArray({"Note"}));
  ctx.Set("__PUT_EXT_STRICT_NULLS", Bool(true));
  ctx.Set("__PUT_EXT_ATOMIC", Bool(true));
  CHECK_HR(PutI(r, Inst(r, "Test_Item", {{"Name", Str("p")}}), 0, &ctx), S_OK);
  CHECK_EQ(ValueAt(r, "Test_Item.Name=\"p\"", "Note").vt(), VT_NULL);
  CHECK_EQ(LongAt(r, "Test_Item.Name=\"p\"", "Size"), 10);
  // A new instance gets class defaults outside the list.
  CHECK_HR(PutI(r, Inst(r, "Test_Item", {{"Name", Str("q")}, {"Size", I4(4)}, {"Note", Str("n")}}), 0, &ctx),
           S_OK);
  CHECK_EQ(ValueAt(r, "Test_Item.Name=\"q\"", "Size").vt(), VT_NULL);
  CHECK(StrOf(ValueAt(r, "Test_Item.Name=\"q\"", "Note")) == W("n"));
  // An unknown property name.
  ctx.Set("__PUT_EXT_PROPERTIES", StringArray({"Nope"}));
  OpResult res = r.PutInstance(Ns(), Inst(r, "Test_Item", {{"Name", Str("p")}}), 0, &ctx);
  CHECK_HR(res.hr, WBEM_E_INVALID_PROPERTY);
  CHECK(res.parameterInfo == W("Nope"));
  // __PUT_EXTENSIONS FALSE: a normal full put.
  ctx.Set("__PUT_EXTENSIONS", Bool(false));
  CHECK_HR(PutI(r, Inst(r, "Test_Item", {{"Name", Str("p")}, {"Size", I4(11)}}), 0, &ctx), S_OK);
  CHECK_EQ(ValueAt(r, "Test_Item.Name=\"p\"", "Note").vt(), VT_NULL);
}

WP_TEST("instance put: malformed partial-update contexts are INVALID_CONTEXT") {
  Repository r;
  Schema(r);
  InstanceData d = Inst(r, "Test_Item", {{"Name", Str("p")}});
  {
    TestContext ctx;
    ctx.Set("__PUT_EXTENSIONS", I4(1));
    ctx.Set("__PUT_EXT_PROPERTIES", StringArray({"Size"}));
    OpResult res = r.PutInstance(Ns(), d, 0, &ctx);
    CHECK_HR(res.hr, WBEM_E_INVALID_CONTEXT);
    CHECK(!res.description.empty());
    CHECK(res.parameterInfo == W("Test_Item"));
  }
  {
    TestContext ctx;
    ctx.Set("__PUT_EXTENSIONS", Bool(true));
    CHECK_HR(PutI(r, d, 0, &ctx), WBEM_E_INVALID_CONTEXT);
  }
  {
    TestContext ctx;
    ctx.Set("__PUT_EXTENSIONS", Bool(true));
    ctx.Set("__PUT_EXT_PROPERTIES", Str("Size"));
    CHECK_HR(PutI(r, d, 0, &ctx), WBEM_E_INVALID_CONTEXT);
  }
  {
    TestContext ctx;
    ctx.Set("__PUT_EXTENSIONS", Bool(true));
    ctx.Set("__PUT_EXT_PROPERTIES", StringArray({"Size"}));
    ctx.Set("__PUT_EXT_STRICT_NULLS", Str("yes"));
    CHECK_HR(PutI(r, d, 0, &ctx), WBEM_E_INVALID_CONTEXT);
  }
  {
    TestContext ctx;
    ctx.Set("__PUT_EXTENSIONS", Bool(true));
    ctx.Set("__PUT_EXT_PROPERTIES", StringArray({"Size"}));
    ctx.Set("__PUT_EXT_ATOMIC", I4(1));
    CHECK_HR(PutI(r, d, 0, &ctx), WBEM_E_INVALID_CONTEXT);
  }
  {
    // Other context values are irrelevant.
    TestContext ctx;
    ctx.Set("Something", I4(1));
    CHECK_HR(PutI(r, d, 0, &ctx), S_OK);
  }
  CHECK_EQ(ValueAt(r, "Test_Item.Name=\"p\"", "Size").vt(), VT_NULL);
}

WP_TEST("instance paths: every form of GetInstance") {
  Repository r;
  Schema(r);
  CHECK_HR(PutI(r, Inst(r, "Test_Item", {{"Name", Str("C:\\dir \"q\"")}, {"Size", I4(5)}})), S_OK);
  CHECK_HR(PutI(r, Inst(r, "Test_Pair", {{"StrVal", Str("AAA")}, {"IntVal", I4(33)}, {"Data", Str("d")}})), S_OK);
  const std::string server = A(r.ServerName());
  const char* found[] = {
      "Test_Item.Name=\"C:\\\\dir \\\"q\\\"\"",
      "test_item.name=\"c:\\\\DIR \\\"Q\\\"\"",
      "Test_Item=\"C:\\\\dir \\\"q\\\"\"",
      "Test_Item.Name='C:\\\\dir \"q\"'",
      "root\\default:Test_Item.Name=\"C:\\\\dir \\\"q\\\"\"",
      "\\\\.\\root\\default:Test_Item.Name=\"C:\\\\dir \\\"q\\\"\"",
      "//./root/default:Test_Item.Name=\"C:\\\\dir \\\"q\\\"\"",
      "Test_Pair.IntVal=33,StrVal=\"AAA\"",
      "Test_Pair.StrVal=\"aaa\",IntVal=33",
      "Test_Pair.StrVal=\"AAA\",IntVal=0x21",
      "Test_Pair.StrVal=\"AAA\",IntVal=\"33\"",
      "ROOT\\DEFAULT:TEST_PAIR.INTVAL=33,STRVAL=\"AAA\"",
  };
  for (const char* p : found) {
    InstanceData d;
    // Paths with a namespace part are resolved there, whatever the
    // connection's namespace; the others in the connection's one.
    const std::string text(p);
    const bool hasNamespace = text.rfind("root", 0) == 0 || text.rfind("ROOT", 0) == 0 ||
                              text.rfind("\\\\", 0) == 0 || text.rfind("//", 0) == 0;
    HRESULT hr = r.GetInstance(hasNamespace ? W("root\\cimv2") : Ns(), W(p), &d);
    if (hr != S_OK) wmiput::test::Fail(__FILE__, __LINE__, std::string("not found: ") + p);
  }
  InstanceData d;
  const std::string full = "\\\\" + server + "\\root\\default:Test_Pair.IntVal=33,StrVal=\"AAA\"";
  CHECK_HR(r.GetInstance(Ns(), W(full.c_str()), &d), S_OK);
  CHECK(StrOf(d.values[2]) == W("d"));
  CHECK(wmiput::embedded::InstanceRelPath(d) == W("Test_Pair.IntVal=33,StrVal=\"AAA\""));
  struct Bad {
    const char* path;
    int64_t hr;  // WBEMSTATUS is unsigned in the Windows headers, HRESULT signed
  } bad[] = {
      {"Test_Item.Name=\"zzz\"", WBEM_E_NOT_FOUND},
      {"Test_Pair.StrVal=\"AAA\",IntVal=34", WBEM_E_NOT_FOUND},
      {"Test_Pair.StrVal=\"AAA\",IntVal=-1", WBEM_E_NOT_FOUND},
      {"Test_Pair.StrVal=\"AAA\",IntVal=4294967296", WBEM_E_NOT_FOUND},
      {"Test_Pair=\"AAA\"", WBEM_E_INVALID_OBJECT_PATH},
      {"Test_Pair.StrVal=\"AAA\"", WBEM_E_INVALID_OBJECT_PATH},
      {"Test_Pair.StrVal=\"AAA\",IntVal=33,Data=\"d\"", WBEM_E_INVALID_OBJECT_PATH},
      {"Test_Pair.StrVal=\"AAA\",Other=33", WBEM_E_INVALID_OBJECT_PATH},
      {"Test_Pair.StrVal=33,IntVal=33", WBEM_E_INVALID_OBJECT_PATH},
      {"Test_Pair.StrVal=\"AAA\",IntVal=\"x\"", WBEM_E_INVALID_OBJECT_PATH},
      {"Test_Item=@", WBEM_E_INVALID_OBJECT_PATH},
      {"Test_Item", WBEM_E_INVALID_OBJECT_PATH},
      {"Test_Item.Name=", WBEM_E_INVALID_OBJECT_PATH},
      {"Test_Nope.Name=\"x\"", WBEM_E_INVALID_CLASS},
      {"root\\nope:Test_Item.Name=\"x\"", WBEM_E_INVALID_NAMESPACE},
      {"\\\\OTHERBOX\\root\\default:Test_Item.Name=\"x\"", WBEM_E_INVALID_OBJECT_PATH},
  };
  for (const Bad& b : bad) {
    HRESULT hr = r.GetInstance(Ns(), W(b.path), &d);
    if (static_cast<uint32_t>(hr) != static_cast<uint32_t>(b.hr))
      wmiput::test::Fail(__FILE__, __LINE__, std::string(b.path) + " gave " + wmiput::test::Show(static_cast<uint32_t>(hr)));
  }
  OpResult res = r.DeleteInstance(Ns(), W("Test_Pair.StrVal=\"x\",IntVal=1"));
  CHECK_HR(res.hr, WBEM_E_NOT_FOUND);
  CHECK(res.parameterInfo == W("Test_Pair.StrVal=\"x\",IntVal=1"));
  CHECK_HR(r.DeleteInstance(Ns(), W("Test_Pair.IntVal=1,")).hr, WBEM_E_INVALID_OBJECT_PATH);
  res = r.DeleteInstance(Ns(), W("test_pair.strval=\"aaa\",intval=33"));
  CHECK_HR(res.hr, S_OK);
  CHECK(res.path == W("Test_Pair.IntVal=33,StrVal=\"AAA\""));
}

WP_TEST("instance paths: canonical __RELPATH for every key type matches InstanceRelPath") {
  Repository r;
  CHECK_HR(PutC(r, Base("Test_Types", {KeyProp("S", CIM_STRING), KeyProp("b", CIM_BOOLEAN),
                                        KeyProp("U32", CIM_UINT32), KeyProp("I64", CIM_SINT64),
                                        KeyProp("U64", CIM_UINT64), KeyProp("I8", CIM_SINT8),
                                        KeyProp("Ch", CIM_CHAR16), KeyProp("When", CIM_DATETIME),
                                        KeyProp("Ref", CIM_REFERENCE), Prop("V", CIM_STRING)})),
           S_OK);
  InstanceData d = Inst(r, "Test_Types", {{"S", Str("a\"b\\c")},
                                          {"b", Bool(true)},
                                          {"U32", I4(-1)},
                                          {"I64", Str("-9223372036854775808")},
                                          {"U64", Str("18446744073709551615")},
                                          {"I8", Variant::FromI2(-5)},
                                          {"Ch", Variant::FromI2(65)},
                                          {"When", Str("20240131235959.000000+060")},
                                          {"Ref", Str("Test_Item.Name=\"x\"")}});
  OpResult res = r.PutInstance(Ns(), d, 0, nullptr);
  CHECK_HR(res.hr, S_OK);
  CHECK(res.path == wmiput::embedded::InstanceRelPath(d));
  CHECK(res.path ==
        W("Test_Types.b=TRUE,Ch=65,I64=-9223372036854775808,I8=-5,Ref=\"Test_Item.Name=\\\"x\\\"\","
          "S=\"a\\\"b\\\\c\",U32=4294967295,U64=18446744073709551615,When=\"20240131235959.000000+060\""));
  InstanceData back;
  CHECK_HR(r.GetInstance(Ns(), res.path, &back), S_OK);
  CHECK(wmiput::embedded::InstanceRelPath(back) == res.path);
  // Char16 by character, booleans as 1.
  std::string alt = A(res.path);
  alt.replace(alt.find("Ch=65"), 5, "Ch=\"A\"");
  alt.replace(alt.find("b=TRUE"), 6, "b=1");
  CHECK_HR(r.GetInstance(Ns(), W(alt.c_str()), &back), S_OK);
}

WP_TEST("instance put: __RELPATH longer than 8192 characters is a quota violation") {
  Repository r;
  Schema(r);
  std::string big(8200, 'x');
  OpResult res = r.PutInstance(Ns(), Inst(r, "Test_Item", {{"Name", Str(big.c_str())}}), 0, nullptr);
  CHECK_HR(res.hr, WBEM_E_QUOTA_VIOLATION);
  std::string fits(8192 - std::string("Test_Item.Name=\"\"").size(), 'y');
  CHECK_HR(PutI(r, Inst(r, "Test_Item", {{"Name", Str(fits.c_str())}})), S_OK);
}

WP_TEST("instance put: an instance built on an older class version maps by property name") {
  Repository r;
  Schema(r);
  InstanceData old = Inst(r, "Test_Item", {{"Name", Str("o")}, {"Size", I4(4)}, {"Note", Str("n")}});
  // The class changes (no instances yet; force for the subclasses): a
  // property is added in front.
  CHECK_HR(PutC(r, Base("Test_Item", {Prop("Added", CIM_STRING), KeyProp("Name", CIM_STRING),
                                       Prop("Size", CIM_UINT32), Prop("Note", CIM_STRING)}),
                WBEM_FLAG_UPDATE_FORCE_MODE),
           S_OK);
  CHECK_HR(PutI(r, old), S_OK);
  CHECK_EQ(LongAt(r, "Test_Item.Name=\"o\"", "Size"), 4);
  CHECK(StrOf(ValueAt(r, "Test_Item.Name=\"o\"", "Note")) == W("n"));
  CHECK_EQ(ValueAt(r, "Test_Item.Name=\"o\"", "Added").vt(), VT_NULL);
  // A property the stored class lost is refused when set, and a retyped one too.
  InstanceData retyped = old;
  ClassData cd = *old.cls;
  cd.properties[1].type = CIM_STRING;
  retyped.cls = std::make_shared<const ClassData>(cd);
  CHECK_HR(PutI(r, retyped), WBEM_E_TYPE_MISMATCH);
  ClassData extra = *old.cls;
  extra.properties.push_back(Prop("Gone", CIM_STRING));
  InstanceData withGone = old;
  withGone.cls = std::make_shared<const ClassData>(extra);
  withGone.values.push_back(Str("g"));
  withGone.modified.push_back(true);
  OpResult res = r.PutInstance(Ns(), withGone, 0, nullptr);
  CHECK_HR(res.hr, WBEM_E_INVALID_PROPERTY);
  CHECK(res.parameterInfo == W("Gone"));
}

WP_TEST("instance store: growth, deletes and re-inserts keep every key reachable") {
  Repository r;
  CHECK_HR(PutC(r, Base("Test_Many", {KeyProp("N", CIM_UINT32), Prop("V", CIM_SINT32)})), S_OK);
  const size_t base = r.InstanceCount();
  ClassPtr c = Get(r, "Test_Many");
  auto put = [&](int n, int v) {
    InstanceData d = wmiput::embedded::NewInstance(c);
    d.values[0] = I4(n);
    d.values[1] = I4(v);
    return PutI(r, d);
  };
  for (int round = 0; round < 3; ++round) {
    for (int n = 0; n < 3000; ++n) CHECK_HR(put(n, n + round), S_OK);
    for (int n = 0; n < 3000; n += 2) {
      const std::string path = "Test_Many.N=" + std::to_string(n);
      CHECK_HR(r.DeleteInstance(Ns(), W(path.c_str())).hr, S_OK);
    }
    CHECK_EQ(r.InstanceCount(), base + 1500);
    for (int n = 0; n < 3000; ++n) {
      const std::string path = "Test_Many.N=" + std::to_string(n);
      if (n % 2) {
        if (LongAt(r, path.c_str(), "V") != n + round) CHECK_EQ(LongAt(r, path.c_str(), "V"), n + round);
      } else {
        InstanceData d;
        CHECK_HR(r.GetInstance(Ns(), W(path.c_str()), &d), WBEM_E_NOT_FOUND);
      }
    }
  }
  std::vector<InstanceData> list;
  CHECK_HR(r.EnumInstances(Ns(), W("Test_Many"), false, &list), S_OK);
  CHECK_EQ(list.size(), size_t{1500});
  CHECK_HR(r.DeleteClass(Ns(), W("Test_Many")).hr, S_OK);
  CHECK_EQ(r.InstanceCount(), base);
}

WP_TEST("instance put: a modified copy of the stored class is mapped by name, not by position") {
  Repository r;
  Schema(r);
  // Same version and property count as the stored class, but Size and Note
  // swapped: values must follow the names.
  ClassData swapped = *Get(r, "Test_Item");
  std::swap(swapped.properties[1], swapped.properties[2]);
  InstanceData d;
  d.cls = std::make_shared<const ClassData>(swapped);
  d.values.push_back(Str("s"));
  d.values.push_back(Str("note"));  // Note
  d.values.push_back(I4(12));       // Size
  d.modified.assign(3, true);
  CHECK_HR(PutI(r, d), S_OK);
  CHECK_EQ(LongAt(r, "Test_Item.Name=\"s\"", "Size"), 12);
  CHECK(StrOf(ValueAt(r, "Test_Item.Name=\"s\"", "Note")) == W("note"));
}
