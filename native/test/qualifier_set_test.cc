// IWbemQualifierSet of the embedded server: flavors and origin bits,
// propagation to subclasses and instances, override rules, Key rules,
// qualifier value types, the automatic CIMTYPE qualifier, names and
// enumeration, write-through and owner lifetime.
#include "embedded/qualifier_set.h"

#include "embedded/class_object.h"
#include "objects_fixture.h"

using namespace wmiput;
using namespace wmiput::test::objects;

namespace {

ComPtr<IWbemQualifierSet> ClassQuals(IWbemClassObject* obj) {
  ComPtr<IWbemQualifierSet> qs;
  if (FAILED(obj->GetQualifierSet(qs.put()))) test::Fail(__FILE__, __LINE__, "GetQualifierSet");
  return qs;
}

ComPtr<IWbemQualifierSet> PropQuals(IWbemClassObject* obj, const OLECHAR* prop) {
  ComPtr<IWbemQualifierSet> qs;
  if (FAILED(obj->GetPropertyQualifierSet(prop, qs.put())))
    test::Fail(__FILE__, __LINE__, "GetPropertyQualifierSet");
  return qs;
}

ComPtr<IWbemClassObject> Derived(IWbemClassObject* cls) {
  ComPtr<IWbemClassObject> child;
  if (FAILED(cls->SpawnDerivedClass(0, child.put()))) test::Fail(__FILE__, __LINE__, "derive");
  PutValue(child.get(), OLESTR("__CLASS"), Variant::FromBstr(OLESTR("Test_Child")));
  return child;
}

ComPtr<IWbemClassObject> Instance(IWbemClassObject* cls) {
  ComPtr<IWbemClassObject> inst;
  if (FAILED(cls->SpawnInstance(0, inst.put()))) test::Fail(__FILE__, __LINE__, "spawn");
  return inst;
}

HRESULT QPut(IWbemQualifierSet* qs, const OLECHAR* name, Variant v, long flavor = 0) {
  return qs->Put(name, v.get(), flavor);
}

long QFlavor(IWbemQualifierSet* qs, const OLECHAR* name) {
  long flavor = -1;
  HRESULT hr = qs->Get(name, 0, nullptr, &flavor);
  if (FAILED(hr)) test::Fail(__FILE__, __LINE__, "qualifier Get failed: " + test::Show(static_cast<uint32_t>(hr)));
  return flavor;
}

Variant QValue(IWbemQualifierSet* qs, const OLECHAR* name) {
  Variant v;
  HRESULT hr = qs->Get(name, 0, v.put(), nullptr);
  if (FAILED(hr)) test::Fail(__FILE__, __LINE__, "qualifier Get failed: " + test::Show(static_cast<uint32_t>(hr)));
  return v;
}

std::vector<OleString> QNames(IWbemQualifierSet* qs, long flags) {
  SAFEARRAY* sa = nullptr;
  HRESULT hr = qs->GetNames(flags, &sa);
  if (FAILED(hr)) test::Fail(__FILE__, __LINE__, "qualifier GetNames failed");
  return Names(sa);
}

constexpr long kToSub = WBEM_FLAVOR_FLAG_PROPAGATE_TO_DERIVED_CLASS;
constexpr long kToInst = WBEM_FLAVOR_FLAG_PROPAGATE_TO_INSTANCE;

}  // namespace

WP_TEST("qualifier_set: Put/Get on a class: flavor as given plus ORIGIN_LOCAL") {
  Live live;
  {
    ComPtr<IWbemClassObject> cls = StoredBase();
    ComPtr<IWbemQualifierSet> qs = ClassQuals(cls.get());
    CHECK_HR(QPut(qs.get(), OLESTR("Units"), Variant::FromBstr(OLESTR("bytes"))), S_OK);
    CHECK_EQ(QFlavor(qs.get(), OLESTR("units")), 0);
    CHECK_EQ(Str(QValue(qs.get(), OLESTR("Units"))), OleString(OLESTR("bytes")));
    CHECK_HR(QPut(qs.get(), OLESTR("Units"), Variant::FromBstr(OLESTR("kB")),
                  kToSub | WBEM_FLAVOR_NOT_OVERRIDABLE | WBEM_FLAVOR_ORIGIN_PROPAGATED),
             S_OK);  // origin bits in the input are ignored
    CHECK_EQ(QFlavor(qs.get(), OLESTR("Units")), kToSub | WBEM_FLAVOR_NOT_OVERRIDABLE);
    CHECK_EQ(QFlavor(qs.get(), OLESTR("Description")), kToSub | kToInst);
    CHECK_HR(qs->Get(OLESTR("Nope"), 0, nullptr, nullptr), WBEM_E_NOT_FOUND);
    CHECK_HR(qs->Get(OLESTR("Units"), 1, nullptr, nullptr), WBEM_E_INVALID_PARAMETER);
    CHECK_HR(qs->Get(nullptr, 0, nullptr, nullptr), WBEM_E_INVALID_PARAMETER);
    CHECK_HR(QPut(qs.get(), OLESTR("Units"), Variant::FromI4(1), 0x100), WBEM_E_INVALID_PARAMETER);
    CHECK_HR(qs->Put(OLESTR("Units"), nullptr, 0), WBEM_E_INVALID_PARAMETER);
    CHECK_HR(QPut(qs.get(), OLESTR("_Bad"), Variant::FromI4(1)), WBEM_E_INVALID_PARAMETER);
    CHECK_HR(QPut(qs.get(), OLESTR(""), Variant::FromI4(1)), WBEM_E_INVALID_PARAMETER);
    // Write-through: the class object sees the new qualifier.
    CHECK(embedded::FindQualifier(embedded::ViewOf(cls.get())->Class().qualifiers, OLESTR("Units")));
  }
  CHECK_LIVE(live);
}

WP_TEST("qualifier_set: value types are VT_I4, VT_R8, VT_BSTR, VT_BOOL and arrays of them") {
  Live live;
  {
    ComPtr<IWbemClassObject> cls = StoredBase();
    ComPtr<IWbemQualifierSet> qs = ClassQuals(cls.get());
    CHECK_HR(QPut(qs.get(), OLESTR("A"), Variant::FromI4(1)), S_OK);
    CHECK_HR(QPut(qs.get(), OLESTR("B"), Variant::FromR8(1.5)), S_OK);
    CHECK_HR(QPut(qs.get(), OLESTR("C"), Variant::FromBool(false)), S_OK);
    CHECK_HR(QPut(qs.get(), OLESTR("D"), BstrArray({OLESTR("x"), OLESTR("y")})), S_OK);
    CHECK_HR(QPut(qs.get(), OLESTR("E"), ArrayOf<int32_t>(VT_I4, {1, 2})), S_OK);
    CHECK_HR(QPut(qs.get(), OLESTR("F"), Variant::FromI2(1)), WBEM_E_INVALID_QUALIFIER_TYPE);
    CHECK_HR(QPut(qs.get(), OLESTR("F"), Variant::FromR4(1)), WBEM_E_INVALID_QUALIFIER_TYPE);
    CHECK_HR(QPut(qs.get(), OLESTR("F"), Variant::FromUI1(1)), WBEM_E_INVALID_QUALIFIER_TYPE);
    CHECK_HR(QPut(qs.get(), OLESTR("F"), Variant::Null()), WBEM_E_INVALID_QUALIFIER_TYPE);
    CHECK_HR(QPut(qs.get(), OLESTR("F"), Variant::FromUnknown(cls.get())), WBEM_E_INVALID_QUALIFIER_TYPE);
    CHECK_HR(QPut(qs.get(), OLESTR("F"), ArrayOf<short>(VT_I2, {1})), WBEM_E_INVALID_QUALIFIER_TYPE);
    // Boolean qualifiers must be VT_BOOL.
    CHECK_HR(QPut(qs.get(), OLESTR("Abstract"), Variant::FromI4(1)), WBEM_E_INVALID_QUALIFIER_TYPE);
    CHECK_HR(QPut(qs.get(), OLESTR("Singleton"), Variant::FromBstr(OLESTR("TRUE"))),
             WBEM_E_INVALID_QUALIFIER_TYPE);
    CHECK_HR(QPut(qs.get(), OLESTR("Dynamic"), Variant::FromBool(true)), S_OK);
    ComPtr<IWbemQualifierSet> pq = PropQuals(cls.get(), OLESTR("Count"));
    CHECK_HR(QPut(pq.get(), OLESTR("Key"), Variant::FromI4(1)), WBEM_E_INVALID_QUALIFIER_TYPE);
    CHECK_HR(QPut(pq.get(), OLESTR("Not_Null"), Variant::FromI4(1)), WBEM_E_INVALID_QUALIFIER_TYPE);
    CHECK_HR(QPut(pq.get(), OLESTR("Indexed"), Variant::FromBool(true)), S_OK);
    Variant d = QValue(qs.get(), OLESTR("D"));
    CHECK_EQ(d.vt(), VT_ARRAY | VT_BSTR);
    CHECK_EQ(BstrAt(d, 1), OleString(OLESTR("y")));
  }
  CHECK_LIVE(live);
}

WP_TEST("qualifier_set: Key cannot go on instances, arrays, reals or embedded objects") {
  Live live;
  {
    ClassData data = BaseClass();
    data.properties.push_back(MakeProperty(OLESTR("R4"), CIM_REAL32, OLESTR("Test_Base")));
    data.properties.push_back(MakeProperty(OLESTR("R8"), CIM_REAL64, OLESTR("Test_Base")));
    data.properties.push_back(MakeProperty(OLESTR("Arr"), CIM_UINT32 | CIM_FLAG_ARRAY, OLESTR("Test_Base")));
    data.properties.push_back(MakeProperty(OLESTR("Obj"), CIM_OBJECT, OLESTR("Test_Base")));
    data.properties.push_back(MakeProperty(OLESTR("Ref"), CIM_REFERENCE, OLESTR("Test_Base")));
    ComPtr<IWbemClassObject> cls = embedded::NewClassObject(std::move(data));
    const Variant yes = Variant::FromBool(true);
    for (const OLECHAR* p : {OLESTR("R4"), OLESTR("R8"), OLESTR("Arr"), OLESTR("Obj")})
      CHECK_HR(QPut(PropQuals(cls.get(), p).get(), OLESTR("Key"), yes), WBEM_E_CANNOT_BE_KEY);
    CHECK_HR(QPut(PropQuals(cls.get(), OLESTR("Ref")).get(), OLESTR("Key"), yes), S_OK);
    CHECK_HR(QPut(PropQuals(cls.get(), OLESTR("Count")).get(), OLESTR("Key"), yes), S_OK);
    // Key=FALSE is not a key and is accepted anywhere on a class.
    CHECK_HR(QPut(PropQuals(cls.get(), OLESTR("R8")).get(), OLESTR("Key"), Variant::FromBool(false)), S_OK);
    ComPtr<IWbemClassObject> inst = Instance(cls.get());
    CHECK_HR(QPut(PropQuals(inst.get(), OLESTR("Size")).get(), OLESTR("Key"), yes), WBEM_E_CANNOT_BE_KEY);
    CHECK_HR(QPut(ClassQuals(inst.get()).get(), OLESTR("Key"), yes), WBEM_E_CANNOT_BE_KEY);
  }
  CHECK_LIVE(live);
}

WP_TEST("qualifier_set: propagation to subclasses, override, DisableOverride, Delete reverting") {
  Live live;
  {
    ComPtr<IWbemClassObject> base = StoredBase();
    ComPtr<IWbemQualifierSet> bq = ClassQuals(base.get());
    CHECK_HR(QPut(bq.get(), OLESTR("Fixed"), Variant::FromBstr(OLESTR("f")), kToSub | WBEM_FLAVOR_NOT_OVERRIDABLE),
             S_OK);
    ComPtr<IWbemClassObject> stored;
    {
      ClassData data = embedded::ViewOf(base.get())->Class();
      stored = embedded::NewClassObject(std::move(data));
    }
    ComPtr<IWbemClassObject> child = Derived(stored.get());
    ComPtr<IWbemQualifierSet> cq = ClassQuals(child.get());
    CHECK_EQ(QFlavor(cq.get(), OLESTR("Description")), kToSub | kToInst | WBEM_FLAVOR_ORIGIN_PROPAGATED);
    CHECK_HR(cq->Get(OLESTR("Locale"), 0, nullptr, nullptr), WBEM_E_NOT_FOUND);  // restricted
    CHECK_EQ(Join(QNames(cq.get(), WBEM_FLAG_PROPAGATED_ONLY)), std::string("Description,Fixed"));
    CHECK_EQ(QNames(cq.get(), WBEM_FLAG_LOCAL_ONLY).size(), 0u);

    // Deleting a propagated qualifier is refused.
    CHECK_HR(cq->Delete(OLESTR("Description")), WBEM_E_PROPAGATED_QUALIFIER);
    // Overriding an overridable one makes it local; deleting the override reverts.
    CHECK_HR(QPut(cq.get(), OLESTR("Description"), Variant::FromBstr(OLESTR("child")), kToSub), S_OK);
    CHECK_EQ(QFlavor(cq.get(), OLESTR("Description")), kToSub);
    CHECK_EQ(Str(QValue(cq.get(), OLESTR("Description"))), OleString(OLESTR("child")));
    CHECK_EQ(Join(QNames(cq.get(), WBEM_FLAG_LOCAL_ONLY)), std::string("Description"));
    CHECK_HR(cq->Delete(OLESTR("Description")), WBEM_S_RESET_TO_DEFAULT);
    CHECK_EQ(Str(QValue(cq.get(), OLESTR("Description"))), OleString(OLESTR("base")));
    CHECK_EQ(QFlavor(cq.get(), OLESTR("Description")), kToSub | kToInst | WBEM_FLAVOR_ORIGIN_PROPAGATED);
    // DisableOverride: a different value is refused, the same value is accepted.
    CHECK_HR(QPut(cq.get(), OLESTR("Fixed"), Variant::FromBstr(OLESTR("g")), kToSub),
             WBEM_E_OVERRIDE_NOT_ALLOWED);
    CHECK_HR(QPut(cq.get(), OLESTR("Fixed"), Variant::FromBstr(OLESTR("f")), kToSub | WBEM_FLAVOR_NOT_OVERRIDABLE),
             S_OK);
    // A local qualifier can be deleted outright.
    CHECK_HR(QPut(cq.get(), OLESTR("Own"), Variant::FromI4(3)), S_OK);
    CHECK_HR(cq->Delete(OLESTR("own")), S_OK);
    CHECK_HR(cq->Delete(OLESTR("Own")), WBEM_E_NOT_FOUND);
    CHECK_HR(cq->Delete(nullptr), WBEM_E_INVALID_PARAMETER);

    // Property qualifiers: Key propagates; overriding a property qualifier
    // makes the property local (flavor of Get) without changing its origin.
    ComPtr<IWbemQualifierSet> nameQ = PropQuals(child.get(), OLESTR("Name"));
    CHECK_EQ(QFlavor(nameQ.get(), OLESTR("Key")), WBEM_FLAVOR_ORIGIN_PROPAGATED);
    ComPtr<IWbemQualifierSet> sizeQ = PropQuals(child.get(), OLESTR("Size"));
    CHECK_HR(QPut(sizeQ.get(), OLESTR("Description"), Variant::FromBstr(OLESTR("child size")), kToSub), S_OK);
    long flavor = -1;
    CHECK_HR(child->Get(OLESTR("Size"), 0, nullptr, nullptr, &flavor), S_OK);
    CHECK_EQ(flavor, WBEM_FLAVOR_ORIGIN_LOCAL);
    CHECK_HR(sizeQ->Delete(OLESTR("Description")), WBEM_S_RESET_TO_DEFAULT);
    CHECK_EQ(Str(QValue(sizeQ.get(), OLESTR("Description"))), OleString(OLESTR("size")));
    // The parent class object is untouched.
    CHECK_EQ(Str(QValue(PropQuals(stored.get(), OLESTR("Size")).get(), OLESTR("Description"))),
             OleString(OLESTR("size")));
  }
  CHECK_LIVE(live);
}

WP_TEST("qualifier_set: instances show the class's ToInstance qualifiers as propagated") {
  Live live;
  {
    ComPtr<IWbemClassObject> cls = StoredBase();
    ComPtr<IWbemClassObject> inst = Instance(cls.get());
    ComPtr<IWbemQualifierSet> iq = ClassQuals(inst.get());
    CHECK_EQ(Join(QNames(iq.get(), 0)), std::string("Description"));  // Locale is restricted
    CHECK_EQ(QFlavor(iq.get(), OLESTR("Description")), kToSub | kToInst | WBEM_FLAVOR_ORIGIN_PROPAGATED);
    CHECK_HR(iq->Delete(OLESTR("Description")), WBEM_E_PROPAGATED_QUALIFIER);
    // Instance-only qualifiers and overrides.
    CHECK_HR(QPut(iq.get(), OLESTR("Note"), Variant::FromBstr(OLESTR("n"))), S_OK);
    CHECK_EQ(QFlavor(iq.get(), OLESTR("Note")), 0);
    CHECK_HR(QPut(iq.get(), OLESTR("Description"), Variant::FromBstr(OLESTR("mine"))), S_OK);
    CHECK_EQ(Join(QNames(iq.get(), WBEM_FLAG_LOCAL_ONLY)), std::string("Description,Note"));
    CHECK_EQ(QNames(iq.get(), WBEM_FLAG_PROPAGATED_ONLY).size(), 0u);
    CHECK_HR(iq->Delete(OLESTR("Description")), WBEM_S_RESET_TO_DEFAULT);
    CHECK_EQ(Str(QValue(iq.get(), OLESTR("Description"))), OleString(OLESTR("base")));
    CHECK_HR(iq->Delete(OLESTR("Note")), S_OK);
    // The class is not changed by instance qualifiers.
    CHECK_HR(ClassQuals(cls.get())->Get(OLESTR("Note"), 0, nullptr, nullptr), WBEM_E_NOT_FOUND);
    // Property level: Key and CIMTYPE are there, propagated.
    ComPtr<IWbemQualifierSet> pq = PropQuals(inst.get(), OLESTR("Name"));
    CHECK_EQ(Join(QNames(pq.get(), 0)), std::string("Key,CIMTYPE"));
    CHECK_EQ(QFlavor(pq.get(), OLESTR("Key")), WBEM_FLAVOR_ORIGIN_PROPAGATED);
    // Size's Description is ToSubclass only: not on the instance.
    CHECK_EQ(Join(QNames(PropQuals(inst.get(), OLESTR("Size")).get(), 0)), std::string("CIMTYPE"));
    // Methods have no qualifier sets on instances.
    ComPtr<IWbemQualifierSet> mq;
    CHECK_HR(inst->GetMethodQualifierSet(OLESTR("X"), mq.put()), WBEM_E_ILLEGAL_OPERATION);
  }
  CHECK_LIVE(live);
}

WP_TEST("qualifier_set: the automatic CIMTYPE qualifier") {
  Live live;
  {
    ClassData data = BaseClass();
    data.properties.push_back(MakeProperty(OLESTR("Tags"), CIM_STRING | CIM_FLAG_ARRAY, OLESTR("Test_Base")));
    data.properties.push_back(MakeProperty(OLESTR("Owner"), CIM_REFERENCE, OLESTR("Test_Base")));
    data.properties.push_back(MakeProperty(OLESTR("When"), CIM_DATETIME, OLESTR("Test_Base")));
    data.properties.push_back(MakeProperty(OLESTR("Inner"), CIM_OBJECT, OLESTR("Test_Base")));
    ComPtr<IWbemClassObject> cls = embedded::NewClassObject(std::move(data));
    CHECK_EQ(Str(QValue(PropQuals(cls.get(), OLESTR("Count")).get(), OLESTR("CIMTYPE"))),
             OleString(OLESTR("uint32")));
    CHECK_EQ(Str(QValue(PropQuals(cls.get(), OLESTR("Tags")).get(), OLESTR("CIMTYPE"))),
             OleString(OLESTR("string")));
    CHECK_EQ(Str(QValue(PropQuals(cls.get(), OLESTR("When")).get(), OLESTR("CIMTYPE"))),
             OleString(OLESTR("datetime")));
    ComPtr<IWbemQualifierSet> owner = PropQuals(cls.get(), OLESTR("Owner"));
    CHECK_EQ(Str(QValue(owner.get(), OLESTR("CIMTYPE"))), OleString(OLESTR("ref")));
    CHECK_EQ(QFlavor(owner.get(), OLESTR("CIMTYPE")), kToSub | kToInst);
    // A reference or object property is narrowed to a class through CIMTYPE.
    CHECK_HR(QPut(owner.get(), OLESTR("CIMTYPE"), Variant::FromBstr(OLESTR("ref:Test_Base"))), S_OK);
    CHECK_EQ(Str(QValue(owner.get(), OLESTR("CIMTYPE"))), OleString(OLESTR("ref:Test_Base")));
    CHECK_HR(QPut(owner.get(), OLESTR("CIMTYPE"), Variant::FromBstr(OLESTR("string"))), WBEM_E_TYPE_MISMATCH);
    CHECK_HR(QPut(owner.get(), OLESTR("CIMTYPE"), Variant::FromBstr(OLESTR("ref:"))), WBEM_E_TYPE_MISMATCH);
    CHECK_HR(QPut(owner.get(), OLESTR("CIMTYPE"), Variant::FromI4(1)), WBEM_E_INVALID_QUALIFIER_TYPE);
    ComPtr<IWbemQualifierSet> inner = PropQuals(cls.get(), OLESTR("Inner"));
    CHECK_HR(QPut(inner.get(), OLESTR("CIMTYPE"), Variant::FromBstr(OLESTR("object:Test_Base"))), S_OK);
    CHECK_HR(QPut(PropQuals(cls.get(), OLESTR("Count")).get(), OLESTR("CIMTYPE"),
                  Variant::FromBstr(OLESTR("string"))),
             WBEM_E_TYPE_MISMATCH);
    // The automatic one cannot be deleted.
    CHECK_HR(PropQuals(cls.get(), OLESTR("Count"))->Delete(OLESTR("CIMTYPE")), WBEM_E_INVALID_OPERATION);
    // Instances: read-only.
    ComPtr<IWbemClassObject> stored;
    {
      ClassData copy = embedded::ViewOf(cls.get())->Class();
      stored = embedded::NewClassObject(std::move(copy));
    }
    ComPtr<IWbemClassObject> inst = Instance(stored.get());
    ComPtr<IWbemQualifierSet> iq = PropQuals(inst.get(), OLESTR("Owner"));
    CHECK_EQ(Str(QValue(iq.get(), OLESTR("CIMTYPE"))), OleString(OLESTR("ref:Test_Base")));
    // (stored with the flavor it was put with, 0; CIMTYPE propagates regardless)
    CHECK_EQ(QFlavor(iq.get(), OLESTR("CIMTYPE")), WBEM_FLAVOR_ORIGIN_PROPAGATED);
    CHECK_HR(QPut(iq.get(), OLESTR("CIMTYPE"), Variant::FromBstr(OLESTR("ref:Other"))), WBEM_E_READ_ONLY);
    CHECK_HR(iq->Delete(OLESTR("CIMTYPE")), WBEM_E_INVALID_OPERATION);
    // Changing a local property's type drops a stored CIMTYPE.
    CHECK_HR(cls->Put(OLESTR("Inner"), 0, nullptr, CIM_STRING), S_OK);
    CHECK_EQ(Str(QValue(PropQuals(cls.get(), OLESTR("Inner")).get(), OLESTR("CIMTYPE"))),
             OleString(OLESTR("string")));
  }
  CHECK_LIVE(live);
}

WP_TEST("qualifier_set: names, enumeration and flags") {
  Live live;
  {
    ComPtr<IWbemClassObject> cls = StoredBase();
    ComPtr<IWbemQualifierSet> qs = ClassQuals(cls.get());
    CHECK_EQ(Join(QNames(qs.get(), 0)), std::string("Description,Locale"));
    SAFEARRAY* sa = nullptr;
    CHECK_HR(qs->GetNames(0x40, &sa), WBEM_E_INVALID_PARAMETER);
    CHECK_HR(qs->GetNames(0, nullptr), WBEM_E_INVALID_PARAMETER);
    CHECK_HR(qs->Next(0, nullptr, nullptr, nullptr), WBEM_E_UNEXPECTED);
    CHECK_HR(qs->BeginEnumeration(0x40), WBEM_E_INVALID_PARAMETER);
    CHECK_HR(qs->BeginEnumeration(0), S_OK);
    com::Bstr name;
    Variant value;
    long flavor = -1;
    CHECK_HR(qs->Next(0, name.put(), value.put(), &flavor), S_OK);
    CHECK_EQ(name.str(), OleString(OLESTR("Description")));
    CHECK_EQ(Str(value), OleString(OLESTR("base")));
    CHECK_EQ(flavor, kToSub | kToInst);
    CHECK_HR(qs->Next(0, name.put(), value.put(), &flavor), S_OK);
    CHECK_EQ(name.str(), OleString(OLESTR("Locale")));
    CHECK_EQ(value.get()->lVal, 1033);
    CHECK_HR(qs->Next(0, name.put(), value.put(), &flavor), WBEM_S_NO_MORE_DATA);
    CHECK_HR(qs->Next(1, name.put(), nullptr, nullptr), WBEM_E_INVALID_PARAMETER);
    CHECK_HR(qs->EndEnumeration(), S_OK);
    CHECK_HR(qs->Next(0, name.put(), nullptr, nullptr), WBEM_E_UNEXPECTED);
  }
  CHECK_LIVE(live);
}

WP_TEST("qualifier_set: the set keeps its owner alive and follows later changes") {
  Live live;
  {
    ComPtr<IWbemQualifierSet> qs;
    {
      ComPtr<IWbemClassObject> cls = StoredBase();
      qs = PropQuals(cls.get(), OLESTR("Count"));
      // A property added to the owner after the set was taken is visible to
      // the owner's filters through the set's writes.
      CHECK_HR(QPut(qs.get(), OLESTR("Key"), Variant::FromBool(true)), S_OK);
      SAFEARRAY* sa = nullptr;
      CHECK_HR(cls->GetNames(nullptr, WBEM_FLAG_KEYS_ONLY, nullptr, &sa), S_OK);
      CHECK_EQ(Join(Names(sa)), std::string("Name,Count"));
      // Deleting the property under the set makes the set's calls fail.
      CHECK_HR(cls->Delete(OLESTR("Count")), S_OK);
      CHECK_HR(qs->Get(OLESTR("Key"), 0, nullptr, nullptr), WBEM_E_NOT_FOUND);
      CHECK_HR(cls->Put(OLESTR("Count"), 0, nullptr, CIM_UINT32), S_OK);
      CHECK_HR(qs->Get(OLESTR("Key"), 0, nullptr, nullptr), WBEM_E_NOT_FOUND);
      CHECK_HR(qs->Get(OLESTR("CIMTYPE"), 0, nullptr, nullptr), S_OK);
    }
    // The class object is still alive through the set.
    CHECK_EQ(embedded::live::classObjects.load(), live.objects + 1);
    CHECK_HR(QPut(qs.get(), OLESTR("Units"), Variant::FromBstr(OLESTR("x"))), S_OK);
    ComPtr<IUnknown> unk;
    CHECK_HR(qs.As(&unk), S_OK);
    ComPtr<IWbemClassObject> notThere;
    CHECK_HR(qs.As(&notThere), E_NOINTERFACE);
  }
  CHECK_LIVE(live);
}
