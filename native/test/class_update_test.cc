// The class update engine (wmi-put-semantics.md §2.1, §2.2): compatible,
// safe and force modes against subclasses and instances.
#include "embedded/model.h"
#include "repository_support.h"

using namespace wmiput::test::repo;

namespace {

constexpr long kSafe = WBEM_FLAG_UPDATE_SAFE_MODE;
constexpr long kForce = WBEM_FLAG_UPDATE_FORCE_MODE;
constexpr long kToSub = WBEM_FLAVOR_FLAG_PROPAGATE_TO_DERIVED_CLASS;

ClassData Parent(std::vector<Property> extra = {}, std::vector<Qualifier> quals = {}) {
  std::vector<Property> props{KeyProp("Id", CIM_STRING), Prop("Size", CIM_UINT32)};
  for (Property& p : extra) props.push_back(std::move(p));
  return Base("Test_Parent", std::move(props), std::move(quals));
}

void SetupWithChild(Repository& r, std::vector<Property> childProps = {}) {
  CHECK_HR(PutC(r, Parent()), S_OK);
  CHECK_HR(PutC(r, Derived(r, "Test_Parent", "Test_Child", std::move(childProps))), S_OK);
}

bool HasProperty(Repository& r, const char* cls, const char* prop) {
  return Get(r, cls)->FindProperty(W(prop)) >= 0;
}

}  // namespace

WP_TEST("class update: compatible mode without children or instances accepts any change") {
  Repository r;
  CHECK_HR(PutC(r, Parent()), S_OK);
  CHECK_HR(PutC(r, Parent({Prop("Added", CIM_STRING)})), S_OK);
  CHECK(HasProperty(r, "Test_Parent", "Added"));
  // Dropping a property and changing a type are also fine.
  ClassData changed = Base("Test_Parent", {KeyProp("Id", CIM_STRING), Prop("Size", CIM_UINT64)});
  CHECK_HR(PutC(r, changed), S_OK);
  CHECK(!HasProperty(r, "Test_Parent", "Added"));
  CHECK_EQ(Get(r, "Test_Parent")->properties[1].type, CIMTYPE{CIM_UINT64});
}

WP_TEST("class update: compatible mode with a subclass") {
  Repository r;
  SetupWithChild(r);
  OpResult res = r.PutClass(Ns(), Parent({Prop("Added", CIM_STRING)}), 0, nullptr);
  CHECK_HR(res.hr, WBEM_E_CLASS_HAS_CHILDREN);
  CHECK(res.parameterInfo == W("Test_Parent"));
  CHECK(!HasProperty(r, "Test_Parent", "Added"));
  // An unimportant change (a propagating Description) is accepted and
  // reaches the subclass.
  const uint64_t childVersion = Get(r, "Test_Child")->version;
  CHECK_HR(PutC(r, Parent({}, {Qual("Description", Str("parent text"), kToSub)})), S_OK);
  ClassPtr child = Get(r, "Test_Child");
  CHECK(child->version != childVersion);
  const wmiput::embedded::Qualifier* q = wmiput::embedded::FindQualifier(child->qualifiers, W("Description"));
  CHECK(q != nullptr);
  CHECK(q->propagated);
  CHECK(StrOf(q->value) == W("parent text"));
  // Default values are unimportant too.
  ClassData withDefault = Parent({}, {Qual("Description", Str("parent text"), kToSub)});
  withDefault.properties[1].value = Variant::FromI4(5);
  CHECK_HR(PutC(r, withDefault), S_OK);
  CHECK_EQ(Get(r, "Test_Child")->properties[1].value.get()->lVal, 5);
  // Adding Abstract/Key-type changes is important.
  CHECK_HR(PutC(r, Parent({}, {Qual("Abstract", Bool(true))})), WBEM_E_CLASS_HAS_CHILDREN);
}

WP_TEST("class update: compatible mode with instances") {
  Repository r;
  CHECK_HR(PutC(r, Parent()), S_OK);
  CHECK_HR(PutI(r, Inst(r, "Test_Parent", {{"Id", Str("one")}, {"Size", I4(1)}})), S_OK);
  OpResult res = r.PutClass(Ns(), Parent({Prop("Added", CIM_STRING)}), 0, nullptr);
  CHECK_HR(res.hr, WBEM_E_CLASS_HAS_INSTANCES);
  CHECK(res.parameterInfo == W("Test_Parent"));
  // Changing Key / Indexed or a type is important as well.
  ClassData indexed = Parent();
  indexed.properties[1].qualifiers.push_back(Qual("Indexed", Bool(true)));
  CHECK_HR(PutC(r, indexed), WBEM_E_CLASS_HAS_INSTANCES);
  ClassData retyped = Parent();
  retyped.properties[1].type = CIM_SINT32;
  CHECK_HR(PutC(r, retyped), WBEM_E_CLASS_HAS_INSTANCES);
  // Unimportant change: accepted, the instance survives and sees the new class.
  CHECK_HR(PutC(r, Parent({}, {Qual("Description", Str("d"))})), S_OK);
  InstanceData d;
  CHECK_HR(r.GetInstance(Ns(), W("Test_Parent.Id=\"one\""), &d), S_OK);
  CHECK(d.cls == Get(r, "Test_Parent"));
  CHECK_EQ(d.values[1].get()->lVal, 1);
  // Instances of a subclass count too.
  Repository r2;
  SetupWithChild(r2);
  CHECK_HR(PutI(r2, Inst(r2, "Test_Child", {{"Id", Str("c")}})), S_OK);
  CHECK_HR(PutC(r2, Parent({Prop("Added", CIM_STRING)}), kSafe), WBEM_E_CLASS_HAS_INSTANCES);
}

WP_TEST("class update: safe mode adds a non-conflicting property to a class with subclasses") {
  Repository r;
  SetupWithChild(r, {Prop("Own", CIM_STRING)});
  CHECK_HR(PutC(r, Derived(r, "Test_Child", "Test_Grandchild")), S_OK);
  CHECK_HR(PutC(r, Parent({Prop("Added", CIM_SINT32)}), kSafe), S_OK);
  ClassPtr child = Get(r, "Test_Child");
  int i = child->FindProperty(W("Added"));
  CHECK(i >= 0);
  CHECK(child->properties[i].propagated);
  CHECK(child->properties[i].origin == W("Test_Parent"));
  CHECK(child->FindProperty(W("Own")) >= 0);
  // Inherited properties come first, in the parent's order.
  CHECK(child->FindProperty(W("Added")) < child->FindProperty(W("Own")));
  CHECK(HasProperty(r, "Test_Grandchild", "Added"));
  CHECK(Get(r, "Test_Grandchild")->location.nameSpace == W("root\\default"));
}

WP_TEST("class update: safe mode reports a conflicting subclass with the UPDATE_ code") {
  Repository r;
  SetupWithChild(r, {Prop("Clash", CIM_STRING)});
  OpResult res = r.PutClass(Ns(), Parent({Prop("Clash", CIM_UINT32)}), kSafe, nullptr);
  CHECK_HR(res.hr, WBEM_E_UPDATE_TYPE_MISMATCH);
  CHECK(res.parameterInfo == W("Test_Child"));
  CHECK(!res.description.empty());
  CHECK(!HasProperty(r, "Test_Parent", "Clash"));
  // Same type is no conflict: the child's property becomes an override.
  CHECK_HR(PutC(r, Parent({Prop("Clash", CIM_STRING)}), kSafe), S_OK);
  ClassPtr child = Get(r, "Test_Child");
  const int i = child->FindProperty(W("Clash"));
  CHECK(i >= 0);
  CHECK(child->properties[i].origin == W("Test_Parent"));
}

WP_TEST("class update: safe mode and a DisableOverride qualifier the subclass overrides") {
  Repository r;
  CHECK_HR(PutC(r, Parent({}, {Qual("Note", Str("p"), kToSub)})), S_OK);
  CHECK_HR(PutC(r, Derived(r, "Test_Parent", "Test_Child")), S_OK);
  // The child overrides Note.
  ClassData child = wmiput::embedded::DeriveFrom(*Get(r, "Test_Parent"));
  child.name = W("Test_Child");
  wmiput::embedded::Qualifier* q = wmiput::embedded::FindQualifier(child.qualifiers, W("Note"));
  CHECK(q != nullptr);
  q->value = Str("c");
  q->propagated = false;
  CHECK_HR(PutC(r, child), S_OK);
  OpResult res = r.PutClass(Ns(), Parent({}, {Qual("Note", Str("p"), kToSub | WBEM_FLAVOR_NOT_OVERRIDABLE)}),
                            kSafe, nullptr);
  CHECK_HR(res.hr, WBEM_E_UPDATE_OVERRIDE_NOT_ALLOWED);
  CHECK(res.parameterInfo == W("Test_Child"));
  // Compatible mode: the same conflict is CLASS_HAS_CHILDREN.
  CHECK_HR(PutC(r, Parent({}, {Qual("Note", Str("p"), kToSub | WBEM_FLAVOR_NOT_OVERRIDABLE)})),
           WBEM_E_CLASS_HAS_CHILDREN);
  // Force mode drops the child's override.
  CHECK_HR(PutC(r, Parent({}, {Qual("Note", Str("p"), kToSub | WBEM_FLAVOR_NOT_OVERRIDABLE)}), kForce), S_OK);
  const wmiput::embedded::Qualifier* after =
      wmiput::embedded::FindQualifier(Get(r, "Test_Child")->qualifiers, W("Note"));
  CHECK(after != nullptr);
  CHECK(StrOf(after->value) == W("p"));
}

WP_TEST("class update: safe mode cannot change keys under subclasses") {
  Repository r;
  CHECK_HR(PutC(r, Base("Test_Parent", {KeyProp("Id", CIM_STRING), Prop("Size", CIM_UINT32)},
                        {Qual("Abstract", Bool(true))})),
           S_OK);
  CHECK_HR(PutC(r, Derived(r, "Test_Parent", "Test_Child")), S_OK);
  ClassData rekeyed = Base("Test_Parent", {KeyProp("Id", CIM_STRING), KeyProp("Size", CIM_UINT32)},
                           {Qual("Abstract", Bool(true))});
  CHECK_HR(PutC(r, rekeyed, kSafe), WBEM_E_CANNOT_CHANGE_KEY_INHERITANCE);
  ClassData indexed = Base("Test_Parent", {KeyProp("Id", CIM_STRING),
                                           Prop("Size", CIM_UINT32, {Qual("Indexed", Bool(true))})},
                           {Qual("Abstract", Bool(true))});
  CHECK_HR(PutC(r, indexed, kSafe), WBEM_E_CANNOT_CHANGE_INDEX_INHERITANCE);
}

WP_TEST("class update: force mode deletes instances and rebases subclasses") {
  Repository r;
  SetupWithChild(r, {Prop("Clash", CIM_STRING)});
  CHECK_HR(PutC(r, Base("Test_Unrelated", {KeyProp("Id", CIM_STRING)})), S_OK);
  const size_t base = r.InstanceCount();
  CHECK_HR(PutI(r, Inst(r, "Test_Parent", {{"Id", Str("p")}})), S_OK);
  CHECK_HR(PutI(r, Inst(r, "Test_Child", {{"Id", Str("c")}, {"Clash", Str("x")}})), S_OK);
  CHECK_HR(PutI(r, Inst(r, "Test_Unrelated", {{"Id", Str("u")}})), S_OK);
  CHECK_EQ(r.InstanceCount(), base + 3);
  OpResult res = r.PutClass(Ns(), Parent({Prop("Clash", CIM_UINT32)}), kForce, nullptr);
  CHECK_HR(res.hr, S_OK);
  CHECK(res.path == W("Test_Parent"));
  // The static instances of the changed classes are gone, others stay.
  CHECK_EQ(r.InstanceCount(), base + 1);
  InstanceData d;
  CHECK_HR(r.GetInstance(Ns(), W("Test_Parent.Id=\"p\""), &d), WBEM_E_NOT_FOUND);
  CHECK_HR(r.GetInstance(Ns(), W("Test_Parent.Id=\"c\""), &d), WBEM_E_NOT_FOUND);
  CHECK_HR(r.GetInstance(Ns(), W("Test_Unrelated.Id=\"u\""), &d), S_OK);
  // The child's conflicting definition was dropped in favour of the parent's.
  ClassPtr child = Get(r, "Test_Child");
  const int i = child->FindProperty(W("Clash"));
  CHECK(i >= 0);
  CHECK_EQ(child->properties[i].type, CIMTYPE{CIM_UINT32});
  CHECK(child->properties[i].origin == W("Test_Parent"));
  // The classes still work for new instances.
  CHECK_HR(PutI(r, Inst(r, "Test_Child", {{"Id", Str("c2")}, {"Clash", I4(3)}})), S_OK);
  CHECK_HR(r.GetInstance(Ns(), W("Test_Parent.Id=\"c2\""), &d), S_OK);
  CHECK(d.cls->name == W("Test_Child"));
}

WP_TEST("class update: force mode keeps instances when the layout is unchanged") {
  Repository r;
  CHECK_HR(PutC(r, Parent()), S_OK);
  CHECK_HR(PutI(r, Inst(r, "Test_Parent", {{"Id", Str("p")}})), S_OK);
  CHECK_HR(PutC(r, Parent({}, {Qual("Description", Str("x"))}), kForce), S_OK);
  InstanceData d;
  CHECK_HR(r.GetInstance(Ns(), W("Test_Parent.Id=\"p\""), &d), S_OK);
}

WP_TEST("class update: a subclass put re-derives on the stored parent") {
  Repository r;
  CHECK_HR(PutC(r, Parent()), S_OK);
  // The client spawned from an old copy of the parent...
  ClassData stale = Derived(r, "Test_Parent", "Test_Child", {Prop("Own", CIM_STRING)});
  // ...and the parent gained a property since.
  CHECK_HR(PutC(r, Parent({Prop("Later", CIM_STRING)})), S_OK);
  CHECK_HR(PutC(r, stale), S_OK);
  ClassPtr child = Get(r, "Test_Child");
  CHECK(child->FindProperty(W("Later")) >= 0);
  CHECK(child->FindProperty(W("Own")) >= 0);
  CHECK_EQ(child->derivation.size(), size_t{1});
  CHECK(child->derivation[0] == W("Test_Parent"));
  CHECK(child->superclass == W("Test_Parent"));
  // A subclass redefining an inherited property's type is refused.
  ClassData bad = Derived(r, "Test_Parent", "Test_Bad");
  bad.properties[1].type = CIM_STRING;
  bad.properties[1].propagated = false;
  CHECK_HR(PutC(r, bad), WBEM_E_TYPE_MISMATCH);
}

WP_TEST("class update: UPDATE_ONLY and CREATE_ONLY with subclasses") {
  Repository r;
  SetupWithChild(r);
  CHECK_HR(PutC(r, Derived(r, "Test_Parent", "Test_Child"), WBEM_FLAG_CREATE_ONLY), WBEM_E_ALREADY_EXISTS);
  CHECK_HR(PutC(r, Derived(r, "Test_Parent", "Test_Child2"), WBEM_FLAG_UPDATE_ONLY), WBEM_E_NOT_FOUND);
  CHECK_HR(PutC(r, Parent({}, {Qual("Description", Str("x"))}), WBEM_FLAG_UPDATE_ONLY | kSafe), S_OK);
}

namespace {

// A method whose in-parameters are one property of type `type`.
wmiput::embedded::Method MethodWith(const char* name, CIMTYPE type) {
  ClassData params;
  params.name = W("__PARAMETERS");
  params.properties.push_back(Prop("Arg", type, {Qual("ID", I4(0)), Qual("In", Bool(true))}));
  wmiput::embedded::Method m;
  m.name = W(name);
  m.inParams = std::make_shared<const ClassData>(std::move(params));
  return m;
}

}  // namespace

WP_TEST("class update: safe mode and a subclass redeclaring a method with another signature") {
  Repository r;
  ClassData parent = Parent();
  parent.methods.push_back(MethodWith("Run", CIM_UINT32));
  CHECK_HR(PutC(r, parent), S_OK);
  ClassPtr storedParent = Get(r, "Test_Parent");
  CHECK(storedParent->FindMethod(W("Run")) != nullptr);
  CHECK(storedParent->FindMethod(W("Run"))->origin == W("Test_Parent"));
  // The child overrides Run (same signature, an own qualifier).
  ClassData child = Derived(r, "Test_Parent", "Test_Child");
  for (wmiput::embedded::Method& m : child.methods)
    if (m.name == W("Run")) {
      m.qualifiers.push_back(Qual("Description", Str("child's run")));
      m.propagated = false;
    }
  CHECK_HR(PutC(r, child), S_OK);
  const wmiput::embedded::Method* inherited = Get(r, "Test_Child")->FindMethod(W("Run"));
  CHECK(inherited != nullptr);
  CHECK(!inherited->propagated);
  CHECK(inherited->origin == W("Test_Parent"));
  // The parent changes Run's signature.
  ClassData changed = Parent();
  changed.methods.push_back(MethodWith("Run", CIM_STRING));
  OpResult res = r.PutClass(Ns(), changed, kSafe, nullptr);
  CHECK_HR(res.hr, WBEM_E_UPDATE_PROPAGATED_METHOD);
  CHECK(res.parameterInfo == W("Test_Child"));
  CHECK_HR(PutC(r, changed), WBEM_E_CLASS_HAS_CHILDREN);
  // Force: the child's redeclaration gives way to the parent's.
  CHECK_HR(PutC(r, changed, kForce), S_OK);
  const wmiput::embedded::Method* after = Get(r, "Test_Child")->FindMethod(W("Run"));
  CHECK(after != nullptr);
  CHECK(after->inParams != nullptr);
  CHECK_EQ(after->inParams->properties[0].type, CIMTYPE{CIM_STRING});
  // A class redeclaring an inherited method with another signature is refused.
  ClassData bad = Derived(r, "Test_Parent", "Test_Bad");
  for (wmiput::embedded::Method& m : bad.methods)
    if (m.name == W("Run")) {
      m.inParams = MethodWith("Run", CIM_SINT8).inParams;
      m.propagated = false;
    }
  CHECK_HR(PutC(r, bad), WBEM_E_PROPAGATED_METHOD);
}
