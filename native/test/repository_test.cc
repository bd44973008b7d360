// Repository basics: namespaces, class create matrix and structural rules,
// reads, enumerations, deletes and concurrency (wmi-put-semantics.md §1.3,
// §1.7, §2.3, §2.4, §9).
#include <thread>
#include <vector>

#include "embedded/model.h"
#include "embedded/names.h"
#include "repository_support.h"

using namespace wmiput::test::repo;
using wmiput::embedded::EqualsNoCase;

namespace {

ClassData Keyed(const char* name) {
  return Base(name, {KeyProp("Id", CIM_STRING), Prop("Size", CIM_UINT32)});
}

}  // namespace

WP_TEST("repository: starts with root, root\\cimv2 and root\\default holding system classes") {
  Repository r;
  CHECK(r.CanonicalNamespace(W("root")) == W("root"));
  CHECK(r.CanonicalNamespace(W("ROOT/CIMV2")) == W("root\\cimv2"));
  CHECK(r.CanonicalNamespace(W("Root\\Default")) == W("root\\default"));
  CHECK(r.CanonicalNamespace(W("\\\\.\\root\\cimv2")) == W("root\\cimv2"));
  CHECK(r.CanonicalNamespace(W("root\\nothere")).empty());
  for (const char* ns : {"root", "root\\cimv2", "root\\default"}) {
    ClassPtr c;
    CHECK_HR(r.GetClass(W(ns), W("__ExtendedStatus"), &c), S_OK);
    CHECK(c->location.nameSpace == W(ns));
    CHECK(c->location.server == r.ServerName());
    CHECK(c->version != 0);
  }
  std::vector<InstanceData> list;
  CHECK_HR(r.EnumInstances(W("root"), W("__NAMESPACE"), false, &list), S_OK);
  CHECK_EQ(list.size(), size_t{2});
  CHECK_EQ(r.InstanceCount(), size_t{2});
  InstanceData d;
  CHECK_HR(r.GetInstance(W("root"), W("__NAMESPACE.Name=\"cimv2\""), &d), S_OK);
  CHECK(d.location.nameSpace == W("root"));
  CHECK(wmiput::embedded::InstanceRelPath(d) == W("__NAMESPACE.Name=\"cimv2\""));
  CHECK_HR(r.GetClass(W("root\\none"), W("__ExtendedStatus"), nullptr), WBEM_E_INVALID_PARAMETER);
  ClassPtr c;
  CHECK_HR(r.GetClass(W("root\\none"), W("__ExtendedStatus"), &c), WBEM_E_INVALID_NAMESPACE);
  CHECK_HR(r.GetClass(Ns(), W("NoSuchClass"), &c), WBEM_E_NOT_FOUND);
}

WP_TEST("repository: class create/update matrix") {
  Repository r;
  ClassData c = Keyed("Test_A");
  CHECK_HR(PutC(r, c, WBEM_FLAG_UPDATE_ONLY), WBEM_E_NOT_FOUND);
  OpResult res = r.PutClass(Ns(), c, WBEM_FLAG_CREATE_ONLY, nullptr);
  CHECK_HR(res.hr, S_OK);
  CHECK(res.path == W("Test_A"));
  ClassPtr stored = Get(r, "test_a");
  CHECK(stored->name == W("Test_A"));
  CHECK(stored->location.nameSpace == W("root\\default"));
  CHECK(stored->location.server == r.ServerName());
  CHECK_EQ(stored->properties.size(), size_t{2});
  CHECK(stored->properties[0].origin == W("Test_A"));
  res = r.PutClass(Ns(), c, WBEM_FLAG_CREATE_ONLY, nullptr);
  CHECK_HR(res.hr, WBEM_E_ALREADY_EXISTS);
  CHECK(res.parameterInfo == W("Test_A"));
  CHECK(!res.description.empty());
  // Unchanged re-put: allowed, nothing stored.
  CHECK_HR(PutC(r, c, 0), S_OK);
  CHECK_EQ(Get(r, "Test_A")->version, stored->version);
  // Update with a new property (no children, no instances): allowed.
  c.properties.push_back(Prop("Extra", CIM_STRING));
  CHECK_HR(PutC(r, c, WBEM_FLAG_UPDATE_ONLY), S_OK);
  ClassPtr updated = Get(r, "Test_A");
  CHECK(updated->version > stored->version);
  CHECK_EQ(updated->properties.size(), size_t{3});
  CHECK_EQ(stored->properties.size(), size_t{2});  // the old snapshot is immutable
  // Names are case-preserving: an update spelled differently keeps "Test_A".
  ClassData lower = c;
  lower.name = W("TEST_a");
  lower.properties.push_back(Prop("More", CIM_STRING));
  res = r.PutClass(Ns(), lower, 0, nullptr);
  CHECK_HR(res.hr, S_OK);
  CHECK(res.path == W("Test_A"));
  ClassPtr relabeled = Get(r, "Test_A");
  CHECK(relabeled->name == W("Test_A"));
  CHECK(relabeled->properties[3].origin == W("Test_A"));
  CHECK_HR(r.PutClass(W("root\\none"), c, 0, nullptr).hr, WBEM_E_INVALID_NAMESPACE);
}

WP_TEST("repository: class name rules") {
  Repository r;
  struct Case {
    const char* name;
    int64_t hr;  // WBEMSTATUS is unsigned in the Windows headers, HRESULT signed
  } cases[] = {{"", WBEM_E_INVALID_PARAMETER},
               {"_Lead", WBEM_E_INVALID_OPERATION},
               {"Trail_", WBEM_E_INVALID_OBJECT},
               {"1Digit", WBEM_E_INVALID_PARAMETER},
               {"Has Space", WBEM_E_INVALID_PARAMETER},
               {"__System", WBEM_E_INVALID_OPERATION}};
  for (const Case& k : cases) {
    OpResult res = r.PutClass(Ns(), Base(k.name, {}), 0, nullptr);
    CHECK_HR(res.hr, k.hr);
    CHECK(res.parameterInfo == W(k.name));
  }
  std::string longName(4097, 'a');
  CHECK_HR(PutC(r, Base(longName.c_str(), {})), WBEM_E_QUOTA_VIOLATION);
  std::string okName(4096, 'a');
  CHECK_HR(PutC(r, Base(okName.c_str(), {})), S_OK);
}

WP_TEST("repository: superclass resolution, circular references and parent changes") {
  Repository r;
  ClassData orphan = Base("Test_Orphan", {});
  orphan.superclass = W("Test_Missing");
  OpResult res = r.PutClass(Ns(), orphan, 0, nullptr);
  CHECK_HR(res.hr, WBEM_E_NOT_FOUND);
  CHECK(res.parameterInfo == W("Test_Missing"));
  ClassData self = Base("Test_Self", {});
  self.superclass = W("test_self");
  CHECK_HR(PutC(r, self), WBEM_E_CIRCULAR_REFERENCE);

  CHECK_HR(PutC(r, Base("Test_P1", {})), S_OK);
  CHECK_HR(PutC(r, Base("Test_P2", {})), S_OK);
  CHECK_HR(PutC(r, Derived(r, "Test_P1", "Test_C")), S_OK);
  ClassPtr c = Get(r, "Test_C");
  CHECK(c->superclass == W("Test_P1"));
  CHECK_EQ(c->derivation.size(), size_t{1});
  // Moving Test_C under Test_P2 is not allowed.
  CHECK_HR(PutC(r, Derived(r, "Test_P2", "Test_C")), WBEM_E_INVALID_SUPERCLASS);
  // Making Test_P1 derive from its own child is circular.
  CHECK_HR(PutC(r, Derived(r, "Test_C", "Test_P1")), WBEM_E_CIRCULAR_REFERENCE);
  // CREATE_ONLY wins over the parent check.
  CHECK_HR(PutC(r, Derived(r, "Test_P2", "Test_C"), WBEM_FLAG_CREATE_ONLY), WBEM_E_ALREADY_EXISTS);
}

WP_TEST("repository: abstract, singleton and key structure rules") {
  Repository r;
  auto abstractQ = [] { return Qual("Abstract", Bool(true)); };
  auto singletonQ = [] { return Qual("Singleton", Bool(true), WBEM_FLAVOR_FLAG_PROPAGATE_TO_DERIVED_CLASS); };
  CHECK_HR(PutC(r, Keyed("Test_Concrete")), S_OK);
  CHECK_HR(PutC(r, Derived(r, "Test_Concrete", "Test_AbsUnderConcrete", {}, {abstractQ()})),
           WBEM_E_CANNOT_BE_ABSTRACT);
  CHECK_HR(PutC(r, Base("Test_Abs", {}, {abstractQ()})), S_OK);
  CHECK_HR(PutC(r, Derived(r, "Test_Abs", "Test_AbsUnderAbs", {}, {abstractQ()})), S_OK);
  // Keys: types.
  CHECK_HR(PutC(r, Base("Test_RealKey", {KeyProp("K", CIM_REAL64)})), WBEM_E_CANNOT_BE_KEY);
  CHECK_HR(PutC(r, Base("Test_Real32Key", {KeyProp("K", CIM_REAL32)})), WBEM_E_CANNOT_BE_KEY);
  CHECK_HR(PutC(r, Base("Test_ArrKey", {KeyProp("K", CIM_STRING | CIM_FLAG_ARRAY)})),
           WBEM_E_CANNOT_BE_KEY);
  CHECK_HR(PutC(r, Base("Test_ObjKey", {KeyProp("K", CIM_OBJECT)})), WBEM_E_CANNOT_BE_KEY);
  // Keys: inheritance.
  OpResult res = r.PutClass(Ns(), Derived(r, "Test_Concrete", "Test_MoreKeys", {KeyProp("K2", CIM_UINT32)}),
                            0, nullptr);
  CHECK_HR(res.hr, WBEM_E_CANNOT_BE_KEY);
  CHECK(res.parameterInfo == W("K2"));
  CHECK_HR(PutC(r, Base("Test_Keyless", {Prop("V", CIM_STRING)})), S_OK);
  CHECK_HR(PutC(r, Derived(r, "Test_Keyless", "Test_KeyUnderKeyless", {KeyProp("K", CIM_UINT32)})),
           S_OK);
  CHECK_HR(PutC(r, Derived(r, "Test_KeyUnderKeyless", "Test_KeyUnderKeyless2", {KeyProp("K2", CIM_UINT32)})),
           WBEM_E_CANNOT_BE_KEY);
  CHECK_HR(PutC(r, Derived(r, "Test_Abs", "Test_KeyUnderAbs", {KeyProp("K", CIM_UINT32)})), S_OK);
  // Keys inherited from the abstract-keyless exception stay fixed below it.
  CHECK_HR(PutC(r, Derived(r, "Test_KeyUnderAbs", "Test_Grandchild", {KeyProp("K3", CIM_STRING)})),
           WBEM_E_CANNOT_BE_KEY);
  CHECK_HR(PutC(r, Derived(r, "Test_KeyUnderAbs", "Test_Grandchild", {Prop("V", CIM_STRING)})), S_OK);
  // Singletons.
  CHECK_HR(PutC(r, Base("Test_SingleKeyed", {KeyProp("K", CIM_STRING)}, {singletonQ()})),
           WBEM_E_CANNOT_BE_SINGLETON);
  CHECK_HR(PutC(r, Derived(r, "Test_Concrete", "Test_SingleUnderKeyed", {}, {singletonQ()})),
           WBEM_E_CANNOT_BE_SINGLETON);
  CHECK_HR(PutC(r, Derived(r, "Test_Keyless", "Test_SingleUnderConcrete", {}, {singletonQ()})),
           WBEM_E_CANNOT_BE_SINGLETON);
  CHECK_HR(PutC(r, Base("Test_Single", {Prop("V", CIM_STRING)}, {singletonQ()})), S_OK);
  CHECK_HR(PutC(r, Derived(r, "Test_Abs", "Test_SingleUnderAbs", {}, {singletonQ()})), S_OK);
  CHECK_HR(PutC(r, Derived(r, "Test_Single", "Test_SingleUnderSingle")), S_OK);
}

WP_TEST("repository: property count limit and amended qualifiers") {
  Repository r;
  std::vector<Property> props;
  std::vector<std::string> names;
  for (int i = 0; i < 1025; ++i) names.push_back("P" + std::to_string(i));
  for (int i = 0; i < 1024; ++i) props.push_back(Prop(names[i].c_str(), CIM_UINT8));
  CHECK_HR(PutC(r, Base("Test_Max", props)), S_OK);
  props.push_back(Prop(names[1024].c_str(), CIM_UINT8));
  OpResult res = r.PutClass(Ns(), Base("Test_TooMany", props), 0, nullptr);
  CHECK_HR(res.hr, WBEM_E_TOO_MANY_PROPERTIES);
  CHECK(res.parameterInfo == W("Test_TooMany"));

  ClassData amended = Base("Test_Amended", {KeyProp("K", CIM_STRING)},
                           {Qual("Description", Str("localized"), WBEM_FLAVOR_AMENDED)});
  CHECK_HR(PutC(r, amended), WBEM_E_AMENDED_OBJECT);
  ClassData amendedProp = Base("Test_Amended", {Prop("P", CIM_STRING, {Qual("Description", Str("x"), WBEM_FLAVOR_AMENDED)})});
  CHECK_HR(PutC(r, amendedProp), WBEM_E_AMENDED_OBJECT);
  CHECK_HR(PutC(r, amended, WBEM_FLAG_USE_AMENDED_QUALIFIERS), S_OK);
}

WP_TEST("repository: enumerating classes shallow and deep") {
  Repository r;
  CHECK_HR(PutC(r, Keyed("Test_Root")), S_OK);
  CHECK_HR(PutC(r, Derived(r, "Test_Root", "Test_Mid")), S_OK);
  CHECK_HR(PutC(r, Derived(r, "Test_Mid", "Test_Leaf")), S_OK);
  CHECK_HR(PutC(r, Derived(r, "Test_Root", "Test_Side")), S_OK);
  std::vector<ClassPtr> list;
  CHECK_HR(r.EnumClasses(Ns(), W("Test_Root"), false, &list), S_OK);
  CHECK_EQ(list.size(), size_t{2});
  CHECK(list[0]->name == W("Test_Mid"));
  CHECK(list[1]->name == W("Test_Side"));
  CHECK_HR(r.EnumClasses(Ns(), W("test_root"), true, &list), S_OK);
  CHECK_EQ(list.size(), size_t{3});
  CHECK(list[0]->name == W("Test_Mid"));
  CHECK(list[1]->name == W("Test_Leaf"));
  CHECK(list[2]->name == W("Test_Side"));
  CHECK_HR(r.EnumClasses(Ns(), W("Test_Nope"), true, &list), WBEM_E_INVALID_CLASS);
  std::vector<ClassPtr> top, all;
  CHECK_HR(r.EnumClasses(Ns(), OleString(), false, &top), S_OK);
  CHECK_HR(r.EnumClasses(Ns(), OleString(), true, &all), S_OK);
  bool sawRoot = false, sawMidAtTop = false;
  for (auto& c : top) {
    sawRoot = sawRoot || c->name == W("Test_Root");
    sawMidAtTop = sawMidAtTop || c->name == W("Test_Mid");
  }
  CHECK(sawRoot);
  CHECK(!sawMidAtTop);
  CHECK(all.size() > top.size() + 3);
}

WP_TEST("repository: deleting a class deletes its subclasses and their instances") {
  Repository r;
  CHECK_HR(PutC(r, Keyed("Test_Top")), S_OK);
  CHECK_HR(PutC(r, Derived(r, "Test_Top", "Test_Sub")), S_OK);
  CHECK_HR(PutC(r, Derived(r, "Test_Sub", "Test_SubSub")), S_OK);
  CHECK_HR(PutC(r, Keyed("Test_Other")), S_OK);
  const size_t base = r.InstanceCount();
  CHECK_HR(PutI(r, Inst(r, "Test_Top", {{"Id", Str("a")}})), S_OK);
  CHECK_HR(PutI(r, Inst(r, "Test_Sub", {{"Id", Str("b")}})), S_OK);
  CHECK_HR(PutI(r, Inst(r, "Test_SubSub", {{"Id", Str("c")}})), S_OK);
  CHECK_HR(PutI(r, Inst(r, "Test_Other", {{"Id", Str("a")}})), S_OK);
  CHECK_EQ(r.InstanceCount(), base + 4);
  OpResult res = r.DeleteClass(Ns(), W("test_sub"));
  CHECK_HR(res.hr, S_OK);
  CHECK(res.path == W("Test_Sub"));
  ClassPtr c;
  CHECK_HR(r.GetClass(Ns(), W("Test_Sub"), &c), WBEM_E_NOT_FOUND);
  CHECK_HR(r.GetClass(Ns(), W("Test_SubSub"), &c), WBEM_E_NOT_FOUND);
  CHECK_EQ(r.InstanceCount(), base + 2);
  InstanceData d;
  CHECK_HR(r.GetInstance(Ns(), W("Test_Top.Id=\"a\""), &d), S_OK);
  CHECK_HR(r.GetInstance(Ns(), W("Test_Top.Id=\"b\""), &d), WBEM_E_NOT_FOUND);
  std::vector<ClassPtr> kids;
  CHECK_HR(r.EnumClasses(Ns(), W("Test_Top"), true, &kids), S_OK);
  CHECK_EQ(kids.size(), size_t{0});
  CHECK_HR(r.DeleteClass(Ns(), W("Test_Sub")).hr, WBEM_E_NOT_FOUND);
  CHECK_HR(r.DeleteClass(Ns(), W("__NAMESPACE")).hr, WBEM_E_INVALID_OPERATION);
  CHECK_HR(r.DeleteClass(W("root\\none"), W("Test_Top")).hr, WBEM_E_INVALID_NAMESPACE);
  CHECK_HR(r.DeleteClass(Ns(), W("Test_Top")).hr, S_OK);
  CHECK_EQ(r.InstanceCount(), base + 1);
  // The name can be reused with a different shape.
  CHECK_HR(PutC(r, Base("Test_Top", {KeyProp("N", CIM_UINT32)})), S_OK);
  CHECK_HR(PutI(r, Inst(r, "Test_Top", {{"N", I4(1)}})), S_OK);
  CHECK_HR(r.GetInstance(Ns(), W("Test_Top.N=1"), &d), S_OK);
}

WP_TEST("repository: __NAMESPACE instances create and delete namespaces") {
  Repository r;
  auto ns = [&](const char* parent, const char* name) {
    return r.PutInstance(W(parent), Inst(r, "__NAMESPACE", {{"Name", Str(name)}}, W(parent)), 0, nullptr);
  };
  OpResult res = ns("root\\default", "Child");
  CHECK_HR(res.hr, S_OK);
  CHECK(res.path == W("__NAMESPACE.Name=\"Child\""));
  CHECK(r.CanonicalNamespace(W("ROOT/default/child")) == W("root\\default\\Child"));
  ClassPtr c;
  CHECK_HR(r.GetClass(W("root\\default\\child"), W("__ExtendedStatus"), &c), S_OK);
  CHECK(c->location.nameSpace == W("root\\default\\Child"));
  CHECK_HR(ns("root\\default\\Child", "Grand").hr, S_OK);
  // Updating the existing __NAMESPACE instance (any case) keeps the namespace.
  CHECK_HR(ns("root\\default", "CHILD").hr, S_OK);
  CHECK_HR(r.PutInstance(W("root\\default"), Inst(r, "__NAMESPACE", {{"Name", Str("child")}}, W("root\\default")),
                         WBEM_FLAG_CREATE_ONLY, nullptr).hr,
           WBEM_E_ALREADY_EXISTS);
  CHECK(r.CanonicalNamespace(W("root\\default\\child\\grand")) == W("root\\default\\Child\\Grand"));
  // UPDATE_ONLY for a missing child namespace.
  CHECK_HR(r.PutInstance(W("root\\default"), Inst(r, "__NAMESPACE", {{"Name", Str("Nope")}}, W("root\\default")),
                         WBEM_FLAG_UPDATE_ONLY, nullptr).hr,
           WBEM_E_NOT_FOUND);
  CHECK(r.CanonicalNamespace(W("root\\default\\Nope")).empty());
  // Classes and instances inside the child.
  const OleString child = W("root\\default\\child");
  CHECK_HR(r.PutClass(child, Keyed("Test_InChild"), 0, nullptr).hr, S_OK);
  CHECK_HR(r.PutInstance(child, Inst(r, "Test_InChild", {{"Id", Str("x")}}, child), 0, nullptr).hr, S_OK);
  const size_t before = r.InstanceCount();
  // Bad names and NULL names.
  CHECK_HR(ns("root\\default", "bad name").hr, WBEM_E_INVALID_PARAMETER);
  CHECK_HR(r.PutInstance(W("root\\default"), Inst(r, "__NAMESPACE", {}, W("root\\default")), 0, nullptr).hr,
           WBEM_E_ILLEGAL_NULL);
  // Deleting the __NAMESPACE instance removes the whole subtree.
  res = r.DeleteInstance(W("root\\default"), W("__namespace.name=\"CHILD\""));
  CHECK_HR(res.hr, S_OK);
  CHECK(res.path == W("__NAMESPACE.Name=\"Child\""));
  CHECK(r.CanonicalNamespace(W("root\\default\\child")).empty());
  CHECK(r.CanonicalNamespace(W("root\\default\\child\\grand")).empty());
  CHECK_HR(r.GetClass(child, W("Test_InChild"), &c), WBEM_E_INVALID_NAMESPACE);
  // The child's instances: its __NAMESPACE for Grand and Test_InChild.x.
  CHECK_EQ(r.InstanceCount(), before - 3);
  // Recreate: a fresh namespace without the old classes.
  CHECK_HR(ns("root\\default", "child").hr, S_OK);
  CHECK_HR(r.GetClass(child, W("Test_InChild"), &c), WBEM_E_NOT_FOUND);
  CHECK_HR(r.GetClass(child, W("__NAMESPACE"), &c), S_OK);
}

WP_TEST("repository: instances are returned with location and class") {
  Repository r;
  CHECK_HR(PutC(r, Keyed("Test_Loc")), S_OK);
  CHECK_HR(PutI(r, Inst(r, "Test_Loc", {{"Id", Str("Mixed")}, {"Size", I4(7)}})), S_OK);
  InstanceData d;
  CHECK_HR(r.GetInstance(Ns(), W("Test_Loc.Id=\"Mixed\""), &d), S_OK);
  CHECK(d.location.server == r.ServerName());
  CHECK(d.location.nameSpace == W("root\\default"));
  CHECK(d.cls == Get(r, "Test_Loc"));
  CHECK_EQ(d.values.size(), size_t{2});
  CHECK_EQ(d.modified.size(), size_t{2});
  CHECK(d.modified[0]);
  CHECK(d.modified[1]);
  CHECK_EQ(d.values[1].get()->lVal, 7);
  CHECK(StrOf(d.values[0]) == W("Mixed"));
}

// 8 threads x 10,000 mixed puts/gets/deletes/enumerations on a shared
// repository; afterwards the counts must match and every instance a thread
// last wrote (and did not delete) must be readable with its value.
WP_TEST("repository: concurrent puts, gets, deletes and enumerations keep invariants") {
  Repository r;
  CHECK_HR(PutC(r, Base("Test_Conc", {KeyProp("T", CIM_UINT32), KeyProp("N", CIM_UINT32),
                                       Prop("V", CIM_SINT32)})),
           S_OK);
  CHECK_HR(PutC(r, Derived(r, "Test_Conc", "Test_ConcSub")), S_OK);
  const size_t base = r.InstanceCount();
  constexpr int kThreads = 8;
  constexpr int kOps = 10000;
  constexpr int kKeys = 64;
  std::vector<std::vector<int>> last(kThreads, std::vector<int>(kKeys, -1));  // -1 absent
  std::vector<std::vector<int>> cls(kThreads, std::vector<int>(kKeys, 0));
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      uint32_t seed = 12345u + static_cast<uint32_t>(t) * 7919u;
      auto rnd = [&seed] {
        seed = seed * 1103515245u + 12345u;
        return (seed >> 16) & 0x7FFF;
      };
      ClassPtr conc, sub;
      r.GetClass(Ns(), W("Test_Conc"), &conc);
      r.GetClass(Ns(), W("Test_ConcSub"), &sub);
      for (int i = 0; i < kOps; ++i) {
        const int k = static_cast<int>(rnd() % kKeys);
        const int op = static_cast<int>(rnd() % 10);
        std::string path = "Test_Conc.N=" + std::to_string(k) + ",T=" + std::to_string(t);
        if (op < 5) {
          // Puts go to the class the key already lives in (or a random one).
          const bool useSub = last[t][k] >= 0 ? cls[t][k] == 1 : (rnd() & 1);
          InstanceData d = wmiput::embedded::NewInstance(useSub ? sub : conc);
          d.values[0] = Variant::FromI4(t);
          d.values[1] = Variant::FromI4(k);
          d.values[2] = Variant::FromI4(i);
          if (r.PutInstance(Ns(), d, 0, nullptr).hr != S_OK) ++failures;
          last[t][k] = i;
          cls[t][k] = useSub ? 1 : 0;
        } else if (op < 7) {
          InstanceData d;
          HRESULT hr = r.GetInstance(Ns(), W(path.c_str()), &d);
          if (last[t][k] >= 0 ? (hr != S_OK || d.values[2].get()->lVal != last[t][k])
                              : hr != static_cast<HRESULT>(WBEM_E_NOT_FOUND))
            ++failures;
        } else if (op < 9) {
          HRESULT hr = r.DeleteInstance(Ns(), W(path.c_str())).hr;
          if (hr != (last[t][k] >= 0 ? S_OK : static_cast<HRESULT>(WBEM_E_NOT_FOUND))) ++failures;
          last[t][k] = -1;
        } else {
          std::vector<InstanceData> list;
          if (r.EnumInstances(Ns(), W("Test_Conc"), (rnd() & 1) != 0, &list) != S_OK) ++failures;
          for (const InstanceData& d : list)
            if (d.values.size() != 3) ++failures;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  CHECK_EQ(failures.load(), 0);
  size_t expected = 0, expectedSub = 0;
  for (int t = 0; t < kThreads; ++t)
    for (int k = 0; k < kKeys; ++k)
      if (last[t][k] >= 0) {
        ++expected;
        if (cls[t][k] == 1) ++expectedSub;
        std::string path = "Test_Conc.T=" + std::to_string(t) + ",N=" + std::to_string(k);
        Variant v = ValueAt(r, path.c_str(), "V");
        CHECK_EQ(v.vt(), VT_I4);
        CHECK_EQ(v.get()->lVal, last[t][k]);
      }
  CHECK_EQ(r.InstanceCount(), base + expected);
  std::vector<InstanceData> deep, shallow, subOnly;
  CHECK_HR(r.EnumInstances(Ns(), W("Test_Conc"), true, &deep), S_OK);
  CHECK_HR(r.EnumInstances(Ns(), W("Test_Conc"), false, &shallow), S_OK);
  CHECK_HR(r.EnumInstances(Ns(), W("Test_ConcSub"), true, &subOnly), S_OK);
  CHECK_EQ(deep.size(), expected);
  CHECK_EQ(subOnly.size(), expectedSub);
  CHECK_EQ(shallow.size(), expected - expectedSub);
}
