// IWbemClassObject of the embedded server: building classes and instances,
// system properties, Put/Get/Delete rules, GetNames filters, enumeration,
// Spawn*, Clone/CompareTo, methods, DeriveFrom/Rebase, refcounts.
#include "embedded/class_object.h"

#include <atomic>
#include <thread>

#include "embedded/embedded.h"
#include "embedded/qualifier_set.h"
#include "embedded/repository.h"
#include "objects_fixture.h"

using namespace wmiput;
using namespace wmiput::test::objects;

namespace {

ComPtr<IWbemClassObject> Spawn(IWbemClassObject* cls) {
  ComPtr<IWbemClassObject> inst;
  HRESULT hr = cls->SpawnInstance(0, inst.put());
  if (FAILED(hr)) test::Fail(__FILE__, __LINE__, "SpawnInstance failed");
  return inst;
}

ComPtr<IWbemClassObject> Derive(IWbemClassObject* cls, const OLECHAR* name) {
  ComPtr<IWbemClassObject> child;
  HRESULT hr = cls->SpawnDerivedClass(0, child.put());
  if (FAILED(hr)) test::Fail(__FILE__, __LINE__, "SpawnDerivedClass failed");
  if (name) PutValue(child.get(), OLESTR("__CLASS"), Variant::FromBstr(name));
  return child;
}

// Marks a class object as stored by rebuilding it from its data with a location.
ComPtr<IWbemClassObject> Store(IWbemClassObject* cls) {
  ClassData data = embedded::ViewOf(cls)->Class();
  data.location = TestLocation();
  return embedded::NewClassObject(std::move(data));
}

std::vector<OleString> GetNames(IWbemClassObject* obj, long flags, const OLECHAR* qualifier = nullptr,
                                VARIANT* value = nullptr) {
  SAFEARRAY* sa = nullptr;
  HRESULT hr = obj->GetNames(qualifier, flags, value, &sa);
  if (FAILED(hr)) test::Fail(__FILE__, __LINE__, "GetNames failed: " + test::Show(static_cast<uint32_t>(hr)));
  return Names(sa);
}

long Flavor(IWbemClassObject* obj, const OLECHAR* name) {
  long flavor = -1;
  Variant v;
  CHECK_HR(obj->Get(name, 0, v.put(), nullptr, &flavor), S_OK);
  return flavor;
}

// A __PARAMETERS signature object with the given (name, type, id) params;
// id < 0 = no ID qualifier.
struct ParamSpec {
  const OLECHAR* name;
  CIMTYPE type;
  int id;
};
ComPtr<IWbemClassObject> Signature(std::initializer_list<ParamSpec> params) {
  ComPtr<IWbemClassObject> sig = embedded::NewClassObject(ClassData());
  PutValue(sig.get(), OLESTR("__CLASS"), Variant::FromBstr(OLESTR("__PARAMETERS")));
  for (const ParamSpec& p : params) {
    CHECK_HR(sig->Put(p.name, 0, nullptr, p.type), S_OK);
    if (p.id >= 0) {
      ComPtr<IWbemQualifierSet> qs;
      CHECK_HR(sig->GetPropertyQualifierSet(p.name, qs.put()), S_OK);
      Variant id = Variant::FromI4(p.id);
      CHECK_HR(qs->Put(OLESTR("ID"), id.get(), 0), S_OK);
    }
  }
  return sig;
}

}  // namespace

WP_TEST("class_object: a new base class is built with Put(__CLASS) and typed NULL properties") {
  Live live;
  {
    ComPtr<IWbemClassObject> cls = embedded::NewClassObject(ClassData());
    CIMTYPE type = 0;
    long flavor = 0;
    CHECK_EQ(I4(GetValue(cls.get(), OLESTR("__GENUS"), &type, &flavor)), WBEM_GENUS_CLASS);
    CHECK_EQ(type, CIM_SINT32);
    CHECK_EQ(flavor, WBEM_FLAVOR_ORIGIN_SYSTEM);
    CHECK_EQ(GetValue(cls.get(), OLESTR("__CLASS")).vt(), VT_NULL);
    CHECK_EQ(I4(GetValue(cls.get(), OLESTR("__PROPERTY_COUNT"))), 0);

    CHECK_HR(PutValue(cls.get(), OLESTR("__CLASS"), Variant::FromBstr(OLESTR("Test_New"))), S_OK);
    CHECK_HR(cls->Put(OLESTR("Name"), 0, nullptr, CIM_STRING), S_OK);
    CHECK_HR(PutValue(cls.get(), OLESTR("Count"), Variant::FromI4(5), CIM_UINT32), S_OK);
    CHECK_HR(PutValue(cls.get(), OLESTR("Ratio"), Variant::FromR8(0.5)), S_OK);  // inferred real64
    CHECK_HR(cls->Put(OLESTR("Size"), 0, nullptr, 0), WBEM_E_INVALID_PROPERTY_TYPE);
    CHECK_HR(cls->Put(OLESTR("Size"), 0, nullptr, 77), WBEM_E_INVALID_PROPERTY_TYPE);
    CHECK_HR(cls->Put(OLESTR("_Size"), 0, nullptr, CIM_UINT64), WBEM_E_INVALID_PARAMETER);
    CHECK_HR(cls->Put(OLESTR("Size_"), 0, nullptr, CIM_UINT64), WBEM_E_INVALID_PARAMETER);
    CHECK_HR(cls->Put(OLESTR("Si ze"), 0, nullptr, CIM_UINT64), WBEM_E_INVALID_PARAMETER);
    CHECK_HR(cls->Put(OLESTR("Size"), 1, nullptr, CIM_UINT64), WBEM_E_INVALID_PARAMETER);
    CHECK_HR(cls->Put(nullptr, 0, nullptr, CIM_UINT64), WBEM_E_INVALID_PARAMETER);
    CHECK_HR(PutValue(cls.get(), OLESTR("__GENUS"), Variant::FromI4(2)), WBEM_E_READ_ONLY);
    CHECK_HR(PutValue(cls.get(), OLESTR("__PATH"), Variant::FromBstr(OLESTR("x"))), WBEM_E_READ_ONLY);
    CHECK_HR(PutValue(cls.get(), OLESTR("__Other"), Variant::FromI4(2)), WBEM_E_INVALID_PARAMETER);
    CHECK_HR(PutValue(cls.get(), OLESTR("__CLASS"), Variant::FromBstr(OLESTR(""))),
             WBEM_E_INVALID_PARAMETER);
    CHECK_HR(PutValue(cls.get(), OLESTR("__CLASS"), Variant::FromI4(1)), WBEM_E_TYPE_MISMATCH);
    // Default of an existing property: coerced to its type.
    CHECK_HR(PutValue(cls.get(), OLESTR("Count"), Variant::FromBstr(OLESTR("x"))), WBEM_E_TYPE_MISMATCH);
    CHECK_HR(PutValue(cls.get(), OLESTR("Count"), Variant::FromI2(3)), WBEM_E_TYPE_MISMATCH);
    CHECK_HR(PutValue(cls.get(), OLESTR("Count"), Variant::FromR8(6)), S_OK);
    CHECK_HR(PutValue(cls.get(), OLESTR("Count"), Variant::FromI4(7), CIM_UINT32), S_OK);

    Variant v = GetValue(cls.get(), OLESTR("Count"), &type, &flavor);
    CHECK_EQ(v.vt(), VT_I4);
    CHECK_EQ(v.get()->lVal, 7);
    CHECK_EQ(type, CIM_UINT32);
    CHECK_EQ(flavor, WBEM_FLAVOR_ORIGIN_LOCAL);
    CHECK_EQ(GetValue(cls.get(), OLESTR("name"), &type).vt(), VT_NULL);  // case-insensitive
    CHECK_EQ(type, CIM_STRING);
    GetValue(cls.get(), OLESTR("Ratio"), &type);
    CHECK_EQ(type, CIM_REAL64);
    CHECK_EQ(Str(GetValue(cls.get(), OLESTR("__CLASS"))), OleString(OLESTR("Test_New")));
    CHECK_EQ(I4(GetValue(cls.get(), OLESTR("__PROPERTY_COUNT"))), 3);
    // Not stored yet: the location properties are NULL.
    CHECK_EQ(GetValue(cls.get(), OLESTR("__PATH")).vt(), VT_NULL);
    CHECK_EQ(GetValue(cls.get(), OLESTR("__RELPATH")).vt(), VT_NULL);
    CHECK_EQ(GetValue(cls.get(), OLESTR("__SERVER")).vt(), VT_NULL);
    CHECK_EQ(GetValue(cls.get(), OLESTR("__NAMESPACE")).vt(), VT_NULL);
    CHECK_EQ(Vt(GetValue(cls.get(), OLESTR("__DYNASTY"))), VT_BSTR);
    CHECK_EQ(Str(GetValue(cls.get(), OLESTR("__DYNASTY"))), OleString(OLESTR("Test_New")));
    // Unknown property, NULL out-pointers.
    CHECK_HR(cls->Get(OLESTR("Nope"), 0, nullptr, nullptr, nullptr), WBEM_E_NOT_FOUND);
    CHECK_HR(cls->Get(OLESTR("Count"), 0, nullptr, nullptr, nullptr), S_OK);
    CHECK_HR(cls->Get(OLESTR("Count"), 1, nullptr, nullptr, nullptr), WBEM_E_INVALID_PARAMETER);
    // Origin follows the class name.
    com::Bstr origin;
    CHECK_HR(cls->GetPropertyOrigin(OLESTR("Count"), origin.put()), S_OK);
    CHECK_EQ(origin.str(), OleString(OLESTR("Test_New")));
    // Never stored: no instances, no subclasses.
    ComPtr<IWbemClassObject> x;
    CHECK_HR(cls->SpawnInstance(0, x.put()), WBEM_E_INCOMPLETE_CLASS);
    CHECK_HR(cls->SpawnDerivedClass(0, x.put()), WBEM_E_INCOMPLETE_CLASS);
    CHECK_HR(cls->SpawnInstance(1, x.put()), WBEM_E_INVALID_PARAMETER);
  }
  CHECK_LIVE(live);
}

WP_TEST("class_object: system properties of a stored class") {
  Live live;
  {
    ComPtr<IWbemClassObject> cls = StoredBase();
    CIMTYPE type = 0;
    long flavor = 0;
    CHECK_EQ(Str(GetValue(cls.get(), OLESTR("__CLASS"), &type, &flavor)), OleString(OLESTR("Test_Base")));
    CHECK_EQ(type, CIM_STRING);
    CHECK_EQ(flavor, WBEM_FLAVOR_ORIGIN_SYSTEM);
    CHECK_EQ(GetValue(cls.get(), OLESTR("__SUPERCLASS"), &type).vt(), VT_NULL);
    CHECK_EQ(type, CIM_STRING);
    CHECK_EQ(Str(GetValue(cls.get(), OLESTR("__DYNASTY"))), OleString(OLESTR("Test_Base")));
    CHECK_EQ(Str(GetValue(cls.get(), OLESTR("__RELPATH"))), OleString(OLESTR("Test_Base")));
    CHECK_EQ(Str(GetValue(cls.get(), OLESTR("__PATH"))),
             OleString(OLESTR("\\\\HOST\\root\\test:Test_Base")));
    CHECK_EQ(Str(GetValue(cls.get(), OLESTR("__SERVER"))), OleString(OLESTR("HOST")));
    CHECK_EQ(Str(GetValue(cls.get(), OLESTR("__NAMESPACE"))), OleString(OLESTR("root\\test")));
    CHECK_EQ(I4(GetValue(cls.get(), OLESTR("__PROPERTY_COUNT"), &type)), 3);
    CHECK_EQ(type, CIM_SINT32);
    Variant derivation = GetValue(cls.get(), OLESTR("__DERIVATION"), &type);
    CHECK_EQ(type, CIM_STRING | CIM_FLAG_ARRAY);
    CHECK_EQ(derivation.vt(), VT_ARRAY | VT_BSTR);
    CHECK_EQ(ArraySize(derivation), 0u);
    // A stored class cannot be renamed.
    CHECK_HR(PutValue(cls.get(), OLESTR("__CLASS"), Variant::FromBstr(OLESTR("Other"))), WBEM_E_READ_ONLY);
  }
  CHECK_LIVE(live);
}

WP_TEST("class_object: instances: defaults, Put only on existing properties, origin flavors, Delete resets") {
  Live live;
  {
    ComPtr<IWbemClassObject> cls = StoredBase();
    ComPtr<IWbemClassObject> inst = Spawn(cls.get());
    CHECK_EQ(I4(GetValue(inst.get(), OLESTR("__GENUS"))), WBEM_GENUS_INSTANCE);
    CHECK_EQ(Str(GetValue(inst.get(), OLESTR("__CLASS"))), OleString(OLESTR("Test_Base")));
    CHECK_EQ(GetValue(inst.get(), OLESTR("__RELPATH")).vt(), VT_NULL);
    CHECK_EQ(GetValue(inst.get(), OLESTR("__PATH")).vt(), VT_NULL);
    CHECK_EQ(I4(GetValue(inst.get(), OLESTR("__PROPERTY_COUNT"))), 3);
    CIMTYPE type = 0;
    long flavor = 0;
    Variant count = GetValue(inst.get(), OLESTR("Count"), &type, &flavor);
    CHECK_EQ(count.get()->lVal, 5);  // the class default
    CHECK_EQ(type, CIM_UINT32);
    CHECK_EQ(flavor, WBEM_FLAVOR_ORIGIN_PROPAGATED);
    CHECK_HR(PutValue(inst.get(), OLESTR("Count"), Variant::FromI4(9)), S_OK);
    CHECK_EQ(I4(GetValue(inst.get(), OLESTR("Count"), nullptr, &flavor)), 9);
    CHECK_EQ(flavor, WBEM_FLAVOR_ORIGIN_LOCAL);
    CHECK_HR(PutValue(inst.get(), OLESTR("Count"), Variant::FromI4(10), CIM_UINT32), S_OK);
    CHECK_HR(PutValue(inst.get(), OLESTR("Count"), Variant::FromI4(10), CIM_STRING), WBEM_E_TYPE_MISMATCH);
    CHECK_HR(PutValue(inst.get(), OLESTR("Count"), Variant::FromI2(1)), WBEM_E_TYPE_MISMATCH);
    CHECK_HR(PutValue(inst.get(), OLESTR("Nope"), Variant::FromI4(1)), WBEM_E_NOT_FOUND);
    CHECK_HR(PutValue(inst.get(), OLESTR("__CLASS"), Variant::FromBstr(OLESTR("X"))), WBEM_E_READ_ONLY);
    CHECK_HR(PutValue(inst.get(), OLESTR("__RELPATH"), Variant::FromBstr(OLESTR("X"))), WBEM_E_READ_ONLY);
    CHECK_HR(inst->Put(OLESTR("Count"), 2, nullptr, 0), WBEM_E_INVALID_PARAMETER);
    // 64-bit as decimal strings.
    CHECK_HR(PutValue(inst.get(), OLESTR("Size"), Variant::FromBstr(OLESTR("18446744073709551615"))), S_OK);
    CHECK_EQ(Str(GetValue(inst.get(), OLESTR("Size"), &type)), OleString(OLESTR("18446744073709551615")));
    CHECK_EQ(type, CIM_UINT64);
    // NULL is distinct from 0.
    CHECK_HR(inst->Put(OLESTR("Count"), 0, nullptr, 0), S_OK);
    CHECK_EQ(GetValue(inst.get(), OLESTR("Count")).vt(), VT_NULL);
    CHECK_HR(PutValue(inst.get(), OLESTR("Count"), Variant::FromI4(0)), S_OK);
    CHECK_EQ(GetValue(inst.get(), OLESTR("Count")).vt(), VT_I4);
    // Delete resets to the class default.
    CHECK_HR(inst->Delete(OLESTR("Count")), WBEM_S_RESET_TO_DEFAULT);
    CHECK_EQ(I4(GetValue(inst.get(), OLESTR("Count"), nullptr, &flavor)), 5);
    CHECK_EQ(flavor, WBEM_FLAVOR_ORIGIN_PROPAGATED);
    CHECK_HR(inst->Delete(OLESTR("Nope")), WBEM_E_NOT_FOUND);
    CHECK_HR(inst->Delete(OLESTR("__CLASS")), WBEM_E_SYSTEM_PROPERTY);
    // Spawning from an instance gives a fresh instance of the same class.
    CHECK_HR(PutValue(inst.get(), OLESTR("Count"), Variant::FromI4(42)), S_OK);
    ComPtr<IWbemClassObject> again = Spawn(inst.get());
    CHECK_EQ(Str(GetValue(again.get(), OLESTR("__CLASS"))), OleString(OLESTR("Test_Base")));
    CHECK_EQ(I4(GetValue(again.get(), OLESTR("Count"))), 5);
    ComPtr<IWbemClassObject> x;
    CHECK_HR(inst->SpawnDerivedClass(0, x.put()), WBEM_E_ILLEGAL_OPERATION);
    CHECK_HR(inst->InheritsFrom(OLESTR("test_base")), WBEM_S_NO_ERROR);
    CHECK_HR(inst->InheritsFrom(OLESTR("Other")), WBEM_S_FALSE);
  }
  CHECK_LIVE(live);
}

WP_TEST("class_object: __RELPATH/__PATH of stored instances: sorted keys, escaping, singletons") {
  Live live;
  {
    ClassData data = BaseClass();
    Property id = MakeProperty(OLESTR("Id"), CIM_UINT32, OLESTR("Test_Base"));
    id.qualifiers.push_back(MakeQualifier(OLESTR("Key"), Variant::FromBool(true)));
    data.properties.push_back(std::move(id));
    auto cls = std::make_shared<const ClassData>(std::move(data));
    embedded::InstanceData inst = embedded::NewInstance(cls);
    inst.values[0] = Variant::FromBstr(OLESTR("a\"b\\c"));
    inst.values[3] = Variant::FromI4(-1);  // uint32 4294967295
    inst.location = TestLocation();
    ComPtr<IWbemClassObject> obj = embedded::NewInstanceObject(inst);
    const OleString rel = OLESTR("Test_Base.Id=4294967295,Name=\"a\\\"b\\\\c\"");
    CHECK_EQ(Str(GetValue(obj.get(), OLESTR("__RELPATH"))), rel);
    CHECK_EQ(embedded::InstanceRelPath(inst), rel);
    CHECK_EQ(Str(GetValue(obj.get(), OLESTR("__PATH"))), OleString(OLESTR("\\\\HOST\\root\\test:")) + rel);
    CHECK_EQ(Str(GetValue(obj.get(), OLESTR("__SERVER"))), OleString(OLESTR("HOST")));

    ClassData single;
    single.name = OLESTR("Test_Single");
    single.qualifiers.push_back(MakeQualifier(OLESTR("Singleton"), Variant::FromBool(true)));
    single.properties.push_back(MakeProperty(OLESTR("Value"), CIM_SINT32, OLESTR("Test_Single")));
    embedded::InstanceData s = embedded::NewInstance(std::make_shared<const ClassData>(single));
    CHECK_EQ(embedded::InstanceRelPath(s), OleString(OLESTR("Test_Single=@")));
  }
  CHECK_LIVE(live);
}

WP_TEST("class_object: derived classes: inheritance, origins, redefinition and Delete rules") {
  Live live;
  {
    ComPtr<IWbemClassObject> base = StoredBase();
    ComPtr<IWbemClassObject> child = Derive(base.get(), nullptr);
    CHECK_EQ(GetValue(child.get(), OLESTR("__CLASS")).vt(), VT_NULL);
    CHECK_EQ(Str(GetValue(child.get(), OLESTR("__SUPERCLASS"))), OleString(OLESTR("Test_Base")));
    CHECK_EQ(Str(GetValue(child.get(), OLESTR("__DYNASTY"))), OleString(OLESTR("Test_Base")));
    CHECK_EQ(GetValue(child.get(), OLESTR("__PATH")).vt(), VT_NULL);
    CHECK_HR(PutValue(child.get(), OLESTR("__CLASS"), Variant::FromBstr(OLESTR("Test_Child"))), S_OK);
    CHECK_EQ(Flavor(child.get(), OLESTR("Count")), WBEM_FLAVOR_ORIGIN_PROPAGATED);
    CHECK_EQ(I4(GetValue(child.get(), OLESTR("Count"))), 5);
    CHECK_HR(child->Put(OLESTR("Extra"), 0, nullptr, CIM_STRING), S_OK);
    com::Bstr origin;
    CHECK_HR(child->GetPropertyOrigin(OLESTR("Count"), origin.put()), S_OK);
    CHECK_EQ(origin.str(), OleString(OLESTR("Test_Base")));
    CHECK_HR(child->GetPropertyOrigin(OLESTR("Extra"), origin.put()), S_OK);
    CHECK_EQ(origin.str(), OleString(OLESTR("Test_Child")));
    CHECK_HR(child->GetPropertyOrigin(OLESTR("Nope"), origin.put()), WBEM_E_NOT_FOUND);
    // Redefining an inherited property with another type is refused.
    CHECK_HR(PutValue(child.get(), OLESTR("Count"), Variant::FromBstr(OLESTR("x")), CIM_STRING),
             WBEM_E_TYPE_MISMATCH);
    // Overriding its default is allowed and makes it local.
    CHECK_HR(PutValue(child.get(), OLESTR("Count"), Variant::FromI4(10)), S_OK);
    CHECK_EQ(Flavor(child.get(), OLESTR("Count")), WBEM_FLAVOR_ORIGIN_LOCAL);
    CHECK_HR(child->GetPropertyOrigin(OLESTR("Count"), origin.put()), S_OK);
    CHECK_EQ(origin.str(), OleString(OLESTR("Test_Base")));
    // A local property can still be redefined while the class is built.
    CHECK_HR(PutValue(child.get(), OLESTR("Extra"), Variant::FromI4(1), CIM_SINT32), S_OK);
    CIMTYPE type = 0;
    GetValue(child.get(), OLESTR("Extra"), &type);
    CHECK_EQ(type, CIM_SINT32);
    CHECK_HR(child->Delete(OLESTR("Name")), WBEM_E_PROPAGATED_PROPERTY);
    CHECK_HR(child->Delete(OLESTR("Count")), WBEM_E_PROPAGATED_PROPERTY);
    CHECK_HR(child->Delete(OLESTR("__CLASS")), WBEM_E_SYSTEM_PROPERTY);
    CHECK_HR(child->Delete(OLESTR("Extra")), S_OK);
    CHECK_HR(child->Get(OLESTR("Extra"), 0, nullptr, nullptr, nullptr), WBEM_E_NOT_FOUND);
    CHECK_HR(child->InheritsFrom(OLESTR("TEST_BASE")), WBEM_S_NO_ERROR);
    CHECK_HR(child->InheritsFrom(OLESTR("Test_Child")), WBEM_S_FALSE);
    CHECK_HR(child->InheritsFrom(nullptr), WBEM_E_INVALID_PARAMETER);
    // The base class object is untouched (copy on write of shared data).
    CHECK_EQ(I4(GetValue(base.get(), OLESTR("Count"))), 5);

    // Third level: __DERIVATION is parent first, root last.
    ComPtr<IWbemClassObject> stored = Store(child.get());
    ComPtr<IWbemClassObject> grand = Derive(stored.get(), OLESTR("Test_Grand"));
    Variant derivation = GetValue(grand.get(), OLESTR("__DERIVATION"));
    CHECK_EQ(ArraySize(derivation), 2u);
    CHECK_EQ(BstrAt(derivation, 0), OleString(OLESTR("Test_Child")));
    CHECK_EQ(BstrAt(derivation, 1), OleString(OLESTR("Test_Base")));
    CHECK_EQ(Str(GetValue(grand.get(), OLESTR("__DYNASTY"))), OleString(OLESTR("Test_Base")));
    CHECK_EQ(I4(GetValue(grand.get(), OLESTR("Count"))), 10);
    ComPtr<IWbemClassObject> inst = Spawn(Store(grand.get()).get());
    CHECK_HR(inst->InheritsFrom(OLESTR("Test_Grand")), WBEM_S_NO_ERROR);
    CHECK_HR(inst->InheritsFrom(OLESTR("Test_Base")), WBEM_S_NO_ERROR);
  }
  CHECK_LIVE(live);
}

WP_TEST("class_object: GetNames filters") {
  Live live;
  {
    ComPtr<IWbemClassObject> base = StoredBase();
    CHECK_EQ(Join(GetNames(base.get(), WBEM_FLAG_ALWAYS)),
             std::string("__GENUS,__CLASS,__SUPERCLASS,__DYNASTY,__RELPATH,__PROPERTY_COUNT,"
                         "__DERIVATION,__SERVER,__NAMESPACE,__PATH,Name,Count,Size"));
    CHECK_EQ(Join(GetNames(base.get(), WBEM_FLAG_NONSYSTEM_ONLY)), std::string("Name,Count,Size"));
    CHECK_EQ(GetNames(base.get(), WBEM_FLAG_SYSTEM_ONLY).size(), 10u);
    CHECK_EQ(Join(GetNames(base.get(), WBEM_FLAG_KEYS_ONLY)), std::string("Name"));
    CHECK_EQ(Join(GetNames(base.get(), WBEM_FLAG_ONLY_IF_TRUE, OLESTR("description"))),
             std::string("Size"));
    CHECK_EQ(Join(GetNames(base.get(), WBEM_FLAG_ONLY_IF_FALSE, OLESTR("Description"))),
             std::string("Name,Count"));
    Variant size = Variant::FromBstr(OLESTR("size"));
    CHECK_EQ(Join(GetNames(base.get(), WBEM_FLAG_ONLY_IF_IDENTICAL, OLESTR("Description"), size.get())),
             std::string("Size"));
    Variant other = Variant::FromBstr(OLESTR("other"));
    CHECK_EQ(GetNames(base.get(), WBEM_FLAG_ONLY_IF_IDENTICAL, OLESTR("Description"), other.get()).size(),
             0u);
    // The automatic CIMTYPE qualifier is there for every property.
    Variant u32 = Variant::FromBstr(OLESTR("uint32"));
    CHECK_EQ(Join(GetNames(base.get(), WBEM_FLAG_ONLY_IF_IDENTICAL, OLESTR("CIMTYPE"), u32.get())),
             std::string("Count"));

    ComPtr<IWbemClassObject> child = Derive(base.get(), OLESTR("Test_Child"));
    CHECK_HR(child->Put(OLESTR("Extra"), 0, nullptr, CIM_REFERENCE), S_OK);
    CHECK_HR(PutValue(child.get(), OLESTR("Count"), Variant::FromI4(1)), S_OK);
    CHECK_EQ(Join(GetNames(child.get(), WBEM_FLAG_LOCAL_ONLY)), std::string("Count,Extra"));
    CHECK_EQ(Join(GetNames(child.get(), WBEM_FLAG_PROPAGATED_ONLY)), std::string("Name,Size"));
    CHECK_EQ(Join(GetNames(child.get(), WBEM_FLAG_CLASS_OVERRIDES_ONLY)), std::string("Count"));
    CHECK_EQ(Join(GetNames(child.get(), WBEM_FLAG_CLASS_LOCAL_AND_OVERRIDES)), std::string("Count,Extra"));
    CHECK_EQ(Join(GetNames(child.get(), WBEM_FLAG_REFS_ONLY)), std::string("Extra"));
    CHECK_EQ(Join(GetNames(child.get(), WBEM_FLAG_KEYS_ONLY)), std::string("Name"));  // Key propagates

    // Instances: LOCAL = values set on the instance.
    ComPtr<IWbemClassObject> inst = Spawn(base.get());
    CHECK_HR(PutValue(inst.get(), OLESTR("Size"), Variant::FromI4(3)), S_OK);
    CHECK_EQ(Join(GetNames(inst.get(), WBEM_FLAG_LOCAL_ONLY)), std::string("Size"));
    CHECK_EQ(Join(GetNames(inst.get(), WBEM_FLAG_PROPAGATED_ONLY)), std::string("Name,Count"));

    SAFEARRAY* sa = nullptr;
    CHECK_HR(base->GetNames(nullptr, WBEM_FLAG_ONLY_IF_TRUE, nullptr, &sa), WBEM_E_INVALID_PARAMETER);
    CHECK_HR(base->GetNames(OLESTR("Key"), WBEM_FLAG_ONLY_IF_TRUE, size.get(), &sa),
             WBEM_E_INVALID_PARAMETER);
    CHECK_HR(base->GetNames(OLESTR("Key"), WBEM_FLAG_ONLY_IF_IDENTICAL, nullptr, &sa),
             WBEM_E_INVALID_PARAMETER);
    CHECK_HR(base->GetNames(nullptr, 0x50, nullptr, &sa), WBEM_E_INVALID_PARAMETER);
    CHECK_HR(base->GetNames(nullptr, 0x1000, nullptr, &sa), WBEM_E_INVALID_PARAMETER);
    CHECK_HR(base->GetNames(nullptr, 0, nullptr, nullptr), WBEM_E_INVALID_PARAMETER);
  }
  CHECK_LIVE(live);
}

WP_TEST("class_object: property enumeration with origin flags") {
  Live live;
  {
    ComPtr<IWbemClassObject> base = StoredBase();
    CHECK_HR(base->Next(0, nullptr, nullptr, nullptr, nullptr), WBEM_E_UNEXPECTED);
    CHECK_HR(base->BeginEnumeration(WBEM_FLAG_ONLY_IF_TRUE), WBEM_E_INVALID_PARAMETER);
    CHECK_HR(base->BeginEnumeration(WBEM_FLAG_NONSYSTEM_ONLY), S_OK);
    std::vector<OleString> names;
    for (;;) {
      com::Bstr name;
      Variant value;
      CIMTYPE type = 0;
      long flavor = -1;
      HRESULT hr = base->Next(0, name.put(), value.put(), &type, &flavor);
      if (hr == WBEM_S_NO_MORE_DATA) break;
      CHECK_HR(hr, S_OK);
      CHECK_EQ(flavor, WBEM_FLAVOR_ORIGIN_LOCAL);
      if (name.str() == OLESTR("Count")) {
        CHECK_EQ(type, CIM_UINT32);
        CHECK_EQ(value.get()->lVal, 5);
      }
      names.push_back(name.str());
    }
    CHECK_EQ(Join(names), std::string("Name,Count,Size"));
    CHECK_HR(base->Next(0, nullptr, nullptr, nullptr, nullptr), WBEM_S_NO_MORE_DATA);
    CHECK_HR(base->Next(1, nullptr, nullptr, nullptr, nullptr), WBEM_E_INVALID_PARAMETER);
    CHECK_HR(base->EndEnumeration(), S_OK);
    CHECK_HR(base->Next(0, nullptr, nullptr, nullptr, nullptr), WBEM_E_UNEXPECTED);
    CHECK_HR(base->BeginEnumeration(WBEM_FLAG_SYSTEM_ONLY), S_OK);
    com::Bstr first;
    long flavor = 0;
    CHECK_HR(base->Next(0, first.put(), nullptr, nullptr, &flavor), S_OK);
    CHECK_EQ(first.str(), OleString(OLESTR("__GENUS")));
    CHECK_EQ(flavor, WBEM_FLAVOR_ORIGIN_SYSTEM);
    CHECK_HR(base->BeginEnumeration(WBEM_FLAG_KEYS_ONLY), S_OK);
    CHECK_HR(base->Next(0, first.put(), nullptr, nullptr, nullptr), S_OK);
    CHECK_EQ(first.str(), OleString(OLESTR("Name")));
    CHECK_HR(base->Next(0, first.put(), nullptr, nullptr, nullptr), WBEM_S_NO_MORE_DATA);
  }
  CHECK_LIVE(live);
}

WP_TEST("class_object: property qualifier sets of system and unknown properties") {
  Live live;
  {
    ComPtr<IWbemClassObject> base = StoredBase();
    ComPtr<IWbemQualifierSet> qs;
    CHECK_HR(base->GetPropertyQualifierSet(OLESTR("__CLASS"), qs.put()), WBEM_E_SYSTEM_PROPERTY);
    CHECK_HR(base->GetPropertyQualifierSet(OLESTR("Nope"), qs.put()), WBEM_E_NOT_FOUND);
    CHECK_HR(base->GetPropertyQualifierSet(OLESTR("count"), qs.put()), S_OK);
    ComPtr<IWbemClassObject> inst = Spawn(base.get());
    CHECK_HR(inst->GetPropertyQualifierSet(OLESTR("__PATH"), qs.put()), WBEM_E_SYSTEM_PROPERTY);
  }
  CHECK_LIVE(live);
}

WP_TEST("class_object: Clone is independent; CompareTo flags") {
  Live live;
  {
    ComPtr<IWbemClassObject> base = StoredBase();
    ComPtr<IWbemClassObject> copy;
    CHECK_HR(base->Clone(copy.put()), S_OK);
    CHECK_HR(base->CompareTo(0, copy.get()), WBEM_S_SAME);
    CHECK_HR(PutValue(copy.get(), OLESTR("Count"), Variant::FromI4(6)), S_OK);
    CHECK_EQ(I4(GetValue(base.get(), OLESTR("Count"))), 5);
    CHECK_HR(base->CompareTo(0, copy.get()), WBEM_S_DIFFERENT);
    CHECK_HR(base->CompareTo(WBEM_FLAG_IGNORE_DEFAULT_VALUES, copy.get()), WBEM_S_SAME);
    CHECK_HR(base->CompareTo(0x40, copy.get()), WBEM_E_INVALID_PARAMETER);
    CHECK_HR(base->CompareTo(0, nullptr), WBEM_E_INVALID_PARAMETER);

    ComPtr<IWbemClassObject> a = Spawn(base.get());
    ComPtr<IWbemClassObject> b = Spawn(base.get());
    CHECK_HR(a->CompareTo(0, b.get()), WBEM_S_SAME);
    CHECK_HR(a->CompareTo(0, base.get()), WBEM_S_DIFFERENT);  // class vs instance
    CHECK_HR(PutValue(a.get(), OLESTR("Name"), Variant::FromBstr(OLESTR("Abc"))), S_OK);
    CHECK_HR(PutValue(b.get(), OLESTR("Name"), Variant::FromBstr(OLESTR("aBC"))), S_OK);
    CHECK_HR(a->CompareTo(0, b.get()), WBEM_S_DIFFERENT);
    CHECK_HR(a->CompareTo(WBEM_FLAG_IGNORE_CASE, b.get()), WBEM_S_SAME);
    ComPtr<IWbemClassObject> ac;
    CHECK_HR(a->Clone(ac.put()), S_OK);
    CHECK_HR(PutValue(ac.get(), OLESTR("Name"), Variant::FromBstr(OLESTR("zzz"))), S_OK);
    CHECK_EQ(Str(GetValue(a.get(), OLESTR("Name"))), OleString(OLESTR("Abc")));
    // Object source.
    embedded::InstanceData stored = embedded::ViewOf(a.get())->Instance();
    stored.location = TestLocation();
    ComPtr<IWbemClassObject> s = embedded::NewInstanceObject(stored);
    CHECK_HR(a->CompareTo(0, s.get()), WBEM_S_DIFFERENT);
    CHECK_HR(a->CompareTo(WBEM_FLAG_IGNORE_OBJECT_SOURCE, s.get()), WBEM_S_SAME);
  }
  CHECK_LIVE(live);
}

WP_TEST("class_object: an embedded object is copied at Put and at Get") {
  Live live;
  {
    ClassData data = BaseClass();
    data.properties.push_back(MakeProperty(OLESTR("Inner"), CIM_OBJECT, OLESTR("Test_Base")));
    ComPtr<IWbemClassObject> cls = embedded::NewClassObject(std::move(data));
    ComPtr<IWbemClassObject> outer = Spawn(cls.get());
    ComPtr<IWbemClassObject> inner = Spawn(cls.get());
    CHECK_HR(PutValue(inner.get(), OLESTR("Name"), Variant::FromBstr(OLESTR("first"))), S_OK);
    CHECK_HR(PutValue(outer.get(), OLESTR("Inner"), Variant::FromUnknown(inner.get())), S_OK);
    CHECK_HR(PutValue(inner.get(), OLESTR("Name"), Variant::FromBstr(OLESTR("second"))), S_OK);
    Variant got = GetValue(outer.get(), OLESTR("Inner"));
    CHECK_EQ(got.vt(), VT_UNKNOWN);
    ComPtr<IWbemClassObject> stored;
    CHECK_HR(ComPtr<IUnknown>::Share(got.get()->punkVal).As(&stored), S_OK);
    CHECK_EQ(Str(GetValue(stored.get(), OLESTR("Name"))), OleString(OLESTR("first")));
    // Changing what Get returned does not change the stored copy either.
    CHECK_HR(PutValue(stored.get(), OLESTR("Name"), Variant::FromBstr(OLESTR("third"))), S_OK);
    Variant again = GetValue(outer.get(), OLESTR("Inner"));
    ComPtr<IWbemClassObject> stored2;
    CHECK_HR(ComPtr<IUnknown>::Share(again.get()->punkVal).As(&stored2), S_OK);
    CHECK_EQ(Str(GetValue(stored2.get(), OLESTR("Name"))), OleString(OLESTR("first")));
    CHECK_HR(PutValue(outer.get(), OLESTR("Inner"), Variant::FromBstr(OLESTR("x"))), WBEM_E_TYPE_MISMATCH);
  }
  CHECK_LIVE(live);
}

WP_TEST("class_object: QueryInterface, ViewOf and refcounts") {
  Live live;
  {
    ComPtr<IWbemClassObject> cls = StoredBase();
    CHECK_EQ(embedded::live::classObjects.load(), live.objects + 1);
    ComPtr<IUnknown> unk;
    CHECK_HR(cls.As(&unk), S_OK);
    CHECK(unk.get() == static_cast<IUnknown*>(cls.get()));
    ComPtr<IWbemContext> notThere;
    CHECK_HR(cls.As(&notThere), E_NOINTERFACE);
    void* p = nullptr;
    CHECK_HR(cls->QueryInterface(embedded::IID_IWmiPutEmbeddedObject, &p), S_OK);
    ComPtr<IWbemClassObject> held = ComPtr<IWbemClassObject>::Adopt(static_cast<IWbemClassObject*>(p));
    embedded::ClassObjectView* view = embedded::ViewOf(cls.get());
    CHECK(view != nullptr);
    CHECK(view->IsClass());
    CHECK_EQ(view->Class().name, OleString(OLESTR("Test_Base")));
    CHECK(!view->HasAmendedQualifiers());
    CHECK(embedded::ViewOf(nullptr) == nullptr);
    CHECK_EQ(cls->AddRef(), 4u);  // cls, unk, held, this one
    CHECK_EQ(cls->Release(), 3u);
  }
  CHECK_LIVE(live);
}

WP_TEST("class_object: HasAmendedQualifiers sees amended qualifiers at every level") {
  Live live;
  {
    ClassData data = BaseClass();
    data.properties[1].qualifiers.push_back(MakeQualifier(
        OLESTR("Description"), Variant::FromBstr(OLESTR("loc")), WBEM_FLAVOR_AMENDED));
    ComPtr<IWbemClassObject> cls = embedded::NewClassObject(std::move(data));
    CHECK(embedded::ViewOf(cls.get())->HasAmendedQualifiers());
    // Not ToInstance: the instance does not carry it.
    ComPtr<IWbemClassObject> inst = Spawn(cls.get());
    CHECK(!embedded::ViewOf(inst.get())->HasAmendedQualifiers());
    ComPtr<IWbemQualifierSet> qs;
    CHECK_HR(inst->GetQualifierSet(qs.put()), S_OK);
    Variant v = Variant::FromBstr(OLESTR("x"));
    CHECK_HR(qs->Put(OLESTR("Note"), v.get(), WBEM_FLAVOR_AMENDED), S_OK);
    CHECK(embedded::ViewOf(inst.get())->HasAmendedQualifiers());
  }
  CHECK_LIVE(live);
}

WP_TEST("class_object: GetObjectText gives MOF for classes and instances") {
  Live live;
  {
    ComPtr<IWbemClassObject> base = StoredBase();
    com::Bstr text;
    CHECK_HR(base->GetObjectText(0, text.put()), S_OK);
    CHECK_EQ(text.utf8(), std::string("[Description(\"base\"): ToInstance ToSubclass, Locale(1033)]\n"
                                      "class Test_Base\n{\n"
                                      "\t[Key] string Name;\n"
                                      "\tuint32 Count = 5;\n"
                                      "\t[Description(\"size\"): ToSubclass] uint64 Size;\n"
                                      "};\n"));
    CHECK_HR(base->GetObjectText(WBEM_FLAG_NO_FLAVORS, text.put()), S_OK);
    CHECK_EQ(text.utf8().substr(0, 45), std::string("[Description(\"base\"), Locale(1033)]\nclass Tes"));
    ComPtr<IWbemClassObject> inst = Spawn(base.get());
    CHECK_HR(PutValue(inst.get(), OLESTR("Name"), Variant::FromBstr(OLESTR("a\"b"))), S_OK);
    CHECK_HR(PutValue(inst.get(), OLESTR("Count"), Variant::FromI4(-1)), S_OK);
    CHECK_HR(PutValue(inst.get(), OLESTR("Size"), Variant::FromBstr(OLESTR("123"))), S_OK);
    CHECK_HR(inst->GetObjectText(0, text.put()), S_OK);
    CHECK_EQ(text.utf8(), std::string("instance of Test_Base\n{\n"
                                      "\tName = \"a\\\"b\";\n"
                                      "\tCount = 4294967295;\n"
                                      "\tSize = 123;\n"
                                      "};\n"));
    ComPtr<IWbemClassObject> child = Derive(base.get(), OLESTR("Test_Child"));
    CHECK_HR(child->Put(OLESTR("Tags"), 0, nullptr, CIM_STRING | CIM_FLAG_ARRAY), S_OK);
    CHECK_HR(child->Put(OLESTR("Owner"), 0, nullptr, CIM_REFERENCE), S_OK);
    CHECK_HR(child->GetObjectText(0, text.put()), S_OK);
    // Only what the class declares itself: no inherited qualifiers or properties.
    CHECK_EQ(text.utf8(), std::string("class Test_Child : Test_Base\n{\n"
                                      "\tstring Tags[];\n"
                                      "\tobject ref Owner;\n"
                                      "};\n"));
    CHECK_HR(base->GetObjectText(2, text.put()), WBEM_E_INVALID_PARAMETER);
  }
  CHECK_LIVE(live);
}

WP_TEST("class_object: method signatures: PutMethod/GetMethod, ID rules, inheritance, enumeration") {
  Live live;
  {
    ComPtr<IWbemClassObject> cls = embedded::NewClassObject(ClassData());
    PutValue(cls.get(), OLESTR("__CLASS"), Variant::FromBstr(OLESTR("Test_M")));
    ComPtr<IWbemClassObject> in = Signature({{OLESTR("Why"), CIM_STRING, 0}, {OLESTR("Force"), CIM_BOOLEAN, 1}});
    ComPtr<IWbemClassObject> out = Signature({{OLESTR("ReturnValue"), CIM_UINT32, -1}, {OLESTR("Code"), CIM_SINT32, 2}});
    CHECK_HR(cls->PutMethod(OLESTR("Stop"), 0, in.get(), out.get()), S_OK);
    CHECK_HR(cls->PutMethod(OLESTR("Ping"), 0, nullptr, nullptr), S_OK);
    CHECK_HR(cls->PutMethod(OLESTR("Bad_"), 0, nullptr, nullptr), WBEM_E_INVALID_PARAMETER);
    CHECK_HR(cls->PutMethod(OLESTR("X"), 1, nullptr, nullptr), WBEM_E_INVALID_PARAMETER);
    ComPtr<IWbemClassObject> noId = Signature({{OLESTR("A"), CIM_STRING, -1}});
    CHECK_HR(cls->PutMethod(OLESTR("X"), 0, noId.get(), nullptr), WBEM_E_MISSING_PARAMETER_ID);
    ComPtr<IWbemClassObject> gap = Signature({{OLESTR("A"), CIM_STRING, 0}, {OLESTR("B"), CIM_STRING, 2}});
    CHECK_HR(cls->PutMethod(OLESTR("X"), 0, gap.get(), nullptr), WBEM_E_NONCONSECUTIVE_PARAMETER_IDS);
    ComPtr<IWbemClassObject> retId = Signature({{OLESTR("ReturnValue"), CIM_UINT32, 0}});
    CHECK_HR(cls->PutMethod(OLESTR("X"), 0, nullptr, retId.get()), WBEM_E_PARAMETER_ID_ON_RETVAL);

    ComPtr<IWbemClassObject> gotIn, gotOut;
    CHECK_HR(cls->GetMethod(OLESTR("stop"), 0, gotIn.put(), gotOut.put()), S_OK);
    CHECK(gotIn && gotOut);
    CHECK_EQ(Str(GetValue(gotIn.get(), OLESTR("__CLASS"))), OleString(OLESTR("__PARAMETERS")));
    CHECK_EQ(Join(GetNames(gotIn.get(), WBEM_FLAG_NONSYSTEM_ONLY)), std::string("Why,Force"));
    CHECK_EQ(Join(GetNames(gotOut.get(), WBEM_FLAG_ONLY_IF_TRUE, OLESTR("ID"))), std::string("Code"));
    // Signature objects can be spawned to fill in arguments.
    ComPtr<IWbemClassObject> args = Spawn(gotIn.get());
    CHECK_HR(PutValue(args.get(), OLESTR("Why"), Variant::FromBstr(OLESTR("because"))), S_OK);
    CHECK_HR(cls->GetMethod(OLESTR("Ping"), 0, gotIn.put(), gotOut.put()), S_OK);
    CHECK(!gotIn && !gotOut);
    CHECK_HR(cls->GetMethod(OLESTR("Nope"), 0, gotIn.put(), nullptr), WBEM_E_NOT_FOUND);
    com::Bstr origin;
    CHECK_HR(cls->GetMethodOrigin(OLESTR("Stop"), origin.put()), S_OK);
    CHECK_EQ(origin.str(), OleString(OLESTR("Test_M")));
    ComPtr<IWbemQualifierSet> mq;
    CHECK_HR(cls->GetMethodQualifierSet(OLESTR("Stop"), mq.put()), S_OK);
    Variant impl = Variant::FromBool(true);
    CHECK_HR(mq->Put(OLESTR("Implemented"), impl.get(), WBEM_FLAVOR_FLAG_PROPAGATE_TO_DERIVED_CLASS), S_OK);
    CHECK_HR(cls->GetMethodQualifierSet(OLESTR("Nope"), mq.put()), WBEM_E_NOT_FOUND);
    com::Bstr text;
    CHECK_HR(cls->GetObjectText(0, text.put()), S_OK);
    CHECK_EQ(text.utf8(), std::string("class Test_M\n{\n"
                                      "\t[Implemented: ToSubclass] uint32 Stop([in] string Why, [in] boolean Force, [out] sint32 Code);\n"
                                      "\tvoid Ping();\n"
                                      "};\n"));

    // Derived: inherited methods cannot be deleted or redeclared differently.
    ComPtr<IWbemClassObject> stored = Store(cls.get());
    ComPtr<IWbemClassObject> child = Derive(stored.get(), OLESTR("Test_MChild"));
    CHECK_HR(child->GetMethodOrigin(OLESTR("Stop"), origin.put()), S_OK);
    CHECK_EQ(origin.str(), OleString(OLESTR("Test_M")));
    CHECK_HR(child->DeleteMethod(OLESTR("Stop")), WBEM_E_PROPAGATED_METHOD);
    CHECK_HR(child->PutMethod(OLESTR("Stop"), 0, gap.get(), nullptr),
             WBEM_E_NONCONSECUTIVE_PARAMETER_IDS);
    ComPtr<IWbemClassObject> other = Signature({{OLESTR("Why"), CIM_SINT32, 0}});
    CHECK_HR(child->PutMethod(OLESTR("Stop"), 0, other.get(), nullptr), WBEM_E_PROPAGATED_METHOD);
    CHECK_HR(child->PutMethod(OLESTR("Stop"), 0, in.get(), out.get()), S_OK);  // same signature
    ComPtr<IWbemQualifierSet> cq;
    CHECK_HR(child->GetMethodQualifierSet(OLESTR("Stop"), cq.put()), S_OK);
    long flavor = 0;
    CHECK_HR(cq->Get(OLESTR("Implemented"), 0, nullptr, &flavor), S_OK);
    CHECK_EQ(flavor, WBEM_FLAVOR_FLAG_PROPAGATE_TO_DERIVED_CLASS | WBEM_FLAVOR_ORIGIN_PROPAGATED);
    CHECK_HR(child->PutMethod(OLESTR("Start"), 0, nullptr, nullptr), S_OK);
    CHECK_HR(child->DeleteMethod(OLESTR("Start")), S_OK);
    CHECK_HR(child->DeleteMethod(OLESTR("Start")), WBEM_E_NOT_FOUND);
    CHECK_HR(child->PutMethod(OLESTR("Start"), 0, nullptr, nullptr), S_OK);

    // Enumeration.
    CHECK_HR(child->NextMethod(0, nullptr, nullptr, nullptr), WBEM_E_UNEXPECTED);
    CHECK_HR(child->BeginMethodEnumeration(WBEM_FLAG_KEYS_ONLY), WBEM_E_INVALID_PARAMETER);
    CHECK_HR(child->BeginMethodEnumeration(0), S_OK);
    std::vector<OleString> names;
    for (;;) {
      com::Bstr name;
      ComPtr<IWbemClassObject> i, o;
      HRESULT hr = child->NextMethod(0, name.put(), i.put(), o.put());
      if (hr == WBEM_S_NO_MORE_DATA) break;
      CHECK_HR(hr, S_OK);
      names.push_back(name.str());
    }
    CHECK_EQ(Join(names), std::string("Stop,Ping,Start"));
    CHECK_HR(child->BeginMethodEnumeration(WBEM_FLAG_PROPAGATED_ONLY), S_OK);
    com::Bstr name;
    CHECK_HR(child->NextMethod(0, name.put(), nullptr, nullptr), S_OK);
    CHECK_EQ(name.str(), OleString(OLESTR("Ping")));  // Stop was redeclared: local now
    CHECK_HR(child->NextMethod(0, name.put(), nullptr, nullptr), WBEM_S_NO_MORE_DATA);
    CHECK_HR(child->EndMethodEnumeration(), S_OK);
    CHECK_HR(child->NextMethod(0, name.put(), nullptr, nullptr), WBEM_E_UNEXPECTED);

    // Methods exist only on classes.
    ComPtr<IWbemClassObject> inst = Spawn(stored.get());
    CHECK_HR(inst->GetMethod(OLESTR("Stop"), 0, gotIn.put(), gotOut.put()), WBEM_E_ILLEGAL_OPERATION);
    CHECK_HR(inst->PutMethod(OLESTR("Stop"), 0, nullptr, nullptr), WBEM_E_ILLEGAL_OPERATION);
    CHECK_HR(inst->DeleteMethod(OLESTR("Stop")), WBEM_E_ILLEGAL_OPERATION);
    CHECK_HR(inst->BeginMethodEnumeration(0), WBEM_E_ILLEGAL_OPERATION);
    CHECK_HR(inst->GetMethodQualifierSet(OLESTR("Stop"), mq.put()), WBEM_E_ILLEGAL_OPERATION);
    CHECK_HR(inst->GetMethodOrigin(OLESTR("Stop"), origin.put()), WBEM_E_ILLEGAL_OPERATION);
  }
  CHECK_LIVE(live);
}

WP_TEST("model: DeriveFrom copies qualifiers by flavor (Key always, Abstract never)") {
  ClassData parent = BaseClass();
  parent.qualifiers.push_back(MakeQualifier(OLESTR("Abstract"), Variant::FromBool(true),
                                            WBEM_FLAVOR_FLAG_PROPAGATE_TO_DERIVED_CLASS));
  ClassData d = embedded::DeriveFrom(parent);
  CHECK_EQ(d.superclass, OleString(OLESTR("Test_Base")));
  CHECK_EQ(d.derivation.size(), 1u);
  CHECK(d.name.empty());
  CHECK(d.location.nameSpace.empty());
  CHECK(embedded::FindQualifier(d.qualifiers, OLESTR("Description")) != nullptr);
  CHECK(embedded::FindQualifier(d.qualifiers, OLESTR("Description"))->propagated);
  CHECK(embedded::FindQualifier(d.qualifiers, OLESTR("Locale")) == nullptr);    // restricted
  CHECK(embedded::FindQualifier(d.qualifiers, OLESTR("Abstract")) == nullptr);  // never inherited
  CHECK(d.IsKeyProperty(0));  // Key was put with flavor 0 and still propagates
  CHECK(d.properties[0].propagated);
  CHECK_EQ(d.properties[0].origin, OleString(OLESTR("Test_Base")));
  CHECK(embedded::FindQualifier(d.properties[2].qualifiers, OLESTR("Description")) != nullptr);
  CHECK_EQ(d.properties[1].value.get()->lVal, 5);
}

WP_TEST("model: Rebase conflicts: UPDATE_TYPE_MISMATCH / UPDATE_OVERRIDE_NOT_ALLOWED / UPDATE_PROPAGATED_METHOD") {
  ClassData parent = BaseClass();
  ClassData child = embedded::DeriveFrom(parent);
  child.name = OLESTR("Test_Child");
  child.location = TestLocation();
  child.properties.push_back(MakeProperty(OLESTR("Extra"), CIM_STRING, OLESTR("Test_Child")));
  // The child overrides the (overridable) Description class qualifier.
  embedded::Qualifier* d = embedded::FindQualifier(child.qualifiers, OLESTR("Description"));
  d->value = Variant::FromBstr(OLESTR("child"));
  d->propagated = false;

  // No conflict: a new parent property appears in the child before its own.
  ClassData p1 = parent;
  p1.properties.push_back(MakeProperty(OLESTR("Added"), CIM_SINT32, OLESTR("Test_Base")));
  ClassData out;
  CHECK_HR(embedded::Rebase(p1, child, false, &out), S_OK);
  CHECK_EQ(out.name, OleString(OLESTR("Test_Child")));
  CHECK_EQ(out.properties.size(), 5u);
  CHECK_EQ(out.properties[3].name, OleString(OLESTR("Added")));
  CHECK(out.properties[3].propagated);
  CHECK_EQ(out.properties[4].name, OleString(OLESTR("Extra")));
  CHECK(!out.properties[4].propagated);
  CHECK_EQ(Str(embedded::FindQualifier(out.qualifiers, OLESTR("Description"))->value),
           OleString(OLESTR("child")));
  CHECK_EQ(out.location.server, OleString(OLESTR("HOST")));

  // The parent adds a property the child already defines with another type.
  ClassData p2 = parent;
  p2.properties.push_back(MakeProperty(OLESTR("Extra"), CIM_UINT32, OLESTR("Test_Base")));
  CHECK_HR(embedded::Rebase(p2, child, false, &out), WBEM_E_UPDATE_TYPE_MISMATCH);
  CHECK_HR(embedded::Rebase(p2, child, true, &out), S_OK);
  CHECK_EQ(out.properties.size(), 4u);
  CHECK_EQ(out.properties[3].type, CIM_UINT32);  // the child's definition was dropped
  // Same type: the child's definition becomes an override.
  ClassData p2b = parent;
  p2b.properties.push_back(MakeProperty(OLESTR("Extra"), CIM_STRING, OLESTR("Test_Base")));
  CHECK_HR(embedded::Rebase(p2b, child, false, &out), S_OK);
  CHECK_EQ(out.properties[3].origin, OleString(OLESTR("Test_Base")));
  CHECK(!out.properties[3].propagated);

  // The parent makes Description DisableOverride while the child overrides it.
  ClassData p3 = parent;
  embedded::FindQualifier(p3.qualifiers, OLESTR("Description"))->flavor |= WBEM_FLAVOR_NOT_OVERRIDABLE;
  CHECK_HR(embedded::Rebase(p3, child, false, &out), WBEM_E_UPDATE_OVERRIDE_NOT_ALLOWED);
  CHECK_HR(embedded::Rebase(p3, child, true, &out), S_OK);
  const embedded::Qualifier* q = embedded::FindQualifier(out.qualifiers, OLESTR("Description"));
  CHECK(q->propagated);
  CHECK_EQ(Str(q->value), OleString(OLESTR("base")));

  // Method signatures.
  auto sig = [](CIMTYPE t) {
    auto c = std::make_shared<ClassData>();
    c->name = OLESTR("__PARAMETERS");
    Property p = MakeProperty(OLESTR("A"), t, OLESTR("__PARAMETERS"));
    p.qualifiers.push_back(MakeQualifier(OLESTR("ID"), Variant::FromI4(0)));
    c->properties.push_back(std::move(p));
    return embedded::ClassPtr(c);
  };
  ClassData p4 = parent;
  embedded::Method m;
  m.name = OLESTR("Run");
  m.inParams = sig(CIM_STRING);
  m.origin = OLESTR("Test_Base");
  p4.methods.push_back(m);
  ClassData c4 = child;
  embedded::Method cm = m;
  cm.inParams = sig(CIM_UINT32);
  cm.origin = OLESTR("Test_Child");
  c4.methods.push_back(cm);
  CHECK_HR(embedded::Rebase(p4, c4, false, &out), WBEM_E_UPDATE_PROPAGATED_METHOD);
  CHECK_HR(embedded::Rebase(p4, c4, true, &out), S_OK);
  CHECK_EQ(out.methods.size(), 1u);
  CHECK(embedded::SameSignature(out.methods[0], m));
}

WP_TEST("class_object: __RELPATH of a stored instance equals the path the repository reports") {
  Live live;
  {
    embedded::Repository repo;
    const OleString ns = OLESTR("root\\default");
    ClassData c;
    c.name = OLESTR("Test_K");
    struct KeySpec {
      const OLECHAR* name;
      CIMTYPE type;
    };
    const KeySpec keys[] = {{OLESTR("S"), CIM_STRING},    {OLESTR("U"), CIM_UINT32},
                            {OLESTR("N"), CIM_SINT64},    {OLESTR("B"), CIM_BOOLEAN},
                            {OLESTR("C"), CIM_CHAR16},    {OLESTR("R"), CIM_REFERENCE},
                            {OLESTR("a8"), CIM_SINT8},    {OLESTR("U64"), CIM_UINT64},
                            {OLESTR("D"), CIM_DATETIME}};
    for (const KeySpec& k : keys) {
      Property p = MakeProperty(k.name, k.type, OLESTR("Test_K"));
      p.qualifiers.push_back(MakeQualifier(OLESTR("Key"), Variant::FromBool(true)));
      c.properties.push_back(std::move(p));
    }
    CHECK_HR(repo.PutClass(ns, c, 0, nullptr).hr, S_OK);
    embedded::ClassPtr cls;
    CHECK_HR(repo.GetClass(ns, OLESTR("Test_K"), &cls), S_OK);
    ComPtr<IWbemClassObject> clsObj = embedded::NewClassObject(cls);
    ComPtr<IWbemClassObject> inst = Spawn(clsObj.get());
    PutValue(inst.get(), OLESTR("S"), Variant::FromBstr(OLESTR("a\"b\\c")));
    PutValue(inst.get(), OLESTR("U"), Variant::FromI4(-1));
    PutValue(inst.get(), OLESTR("N"), Variant::FromBstr(OLESTR("-9223372036854775808")));
    PutValue(inst.get(), OLESTR("B"), Variant::FromBool(true));
    PutValue(inst.get(), OLESTR("C"), Variant::FromI2(0x41));
    PutValue(inst.get(), OLESTR("R"), Variant::FromBstr(OLESTR("Foo.Name=\"x\"")));
    PutValue(inst.get(), OLESTR("a8"), Variant::FromI2(-5));
    PutValue(inst.get(), OLESTR("U64"), Variant::FromBstr(OLESTR("18446744073709551615")));
    CHECK_HR(PutValue(inst.get(), OLESTR("D"), Variant::FromBstr(OLESTR("20240101000000.000000+000"))), S_OK);
    embedded::OpResult put = repo.PutInstance(ns, embedded::ViewOf(inst.get())->Instance(), 0, nullptr);
    CHECK_HR(put.hr, S_OK);
    embedded::InstanceData got;
    CHECK_HR(repo.GetInstance(ns, put.path, &got), S_OK);
    CHECK_EQ(embedded::InstanceRelPath(got), put.path);
    ComPtr<IWbemClassObject> read = embedded::NewInstanceObject(got);
    CHECK_EQ(Str(GetValue(read.get(), OLESTR("__RELPATH"))), put.path);
    CHECK_EQ(put.path, OleString(OLESTR("Test_K.a8=-5,B=TRUE,C=65,D=\"20240101000000.000000+000\","
                                        "N=-9223372036854775808,R=\"Foo.Name=\\\"x\\\"\",S=\"a\\\"b\\\\c\","
                                        "U=4294967295,U64=18446744073709551615")));
  }
  CHECK_LIVE(live);
}

WP_TEST("class_object: objects sharing stored class data are independent across threads") {
  Live live;
  {
    auto shared = std::make_shared<const ClassData>(BaseClass());
    std::vector<std::thread> threads;
    std::atomic<int> failures{0};
    for (int t = 0; t < 4; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < 200; ++i) {
          ComPtr<IWbemClassObject> cls = embedded::NewClassObject(shared);
          ComPtr<IWbemClassObject> inst;
          if (FAILED(cls->SpawnInstance(0, inst.put()))) ++failures;
          Variant v = Variant::FromI4(t * 1000 + i);
          if (FAILED(inst->Put(OLESTR("Count"), 0, v.get(), 0))) ++failures;
          // Writing the class object copies the shared data first.
          Variant d = Variant::FromI4(i);
          if (FAILED(cls->Put(OLESTR("Count"), 0, d.get(), 0))) ++failures;
          Variant back;
          if (FAILED(inst->Get(OLESTR("Count"), 0, back.put(), nullptr, nullptr)) ||
              back.get()->lVal != t * 1000 + i)
            ++failures;
          ComPtr<IWbemClassObject> again;
          if (FAILED(inst->SpawnInstance(0, again.put()))) ++failures;
          Variant def;
          if (FAILED(again->Get(OLESTR("Count"), 0, def.put(), nullptr, nullptr)) || def.get()->lVal != 5)
            ++failures;
        }
      });
    }
    for (std::thread& th : threads) th.join();
    CHECK_EQ(failures.load(), 0);
    CHECK_EQ(shared->properties[1].value.get()->lVal, 5);
  }
  CHECK_LIVE(live);
}
