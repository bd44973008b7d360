// The embedded server's data model: the flattened class and instance data that
// IWbemClassObject objects wrap and the repository stores. A class is stored
// "effective" (every inherited property and propagated qualifier is present,
// marked as propagated), the way WMI's own class objects look to Get/GetNames;
// the parts a class declares or overrides itself are the non-propagated ones.
//
// Ownership: a ClassData that the repository has stored is immutable and shared
// (std::shared_ptr<const ClassData>); objects handed to clients copy on write.
// Nothing here is thread-safe by itself; immutability is what makes sharing safe.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "com/com.h"
#include "com/raii.h"

namespace wmiput::embedded {

using com::OleString;
using com::OleStringView;

struct Qualifier {
  OleString name;
  com::Variant value;
  // WBEM_FLAVOR_* propagation/override/amended bits only (never origin bits;
  // origin is reported from `propagated`).
  long flavor = 0;
  // Inherited from the parent class (or, on an instance, from its class) and
  // not overridden here.
  bool propagated = false;
  // Set on a local qualifier that overrides a propagated one: the parent's
  // version, which IWbemQualifierSet::Delete restores (propagated = true).
  std::shared_ptr<const Qualifier> inherited;
};

using QualifierList = std::vector<Qualifier>;

// Case-insensitive lookup helpers (names compare per names.h EqualsNoCase).
Qualifier* FindQualifier(QualifierList& list, OleStringView name);
const Qualifier* FindQualifier(const QualifierList& list, OleStringView name);

// Whether a qualifier is copied into derived classes (DeriveFrom) / shown on
// instances: by its flavor bits, except that Key and CIMTYPE always
// propagate (they define layout and identity) and Abstract never does.
bool PropagatesToDerived(const Qualifier& q);
bool PropagatesToInstance(const Qualifier& q);
// True when the qualifier is present with a value other than FALSE/NULL.
bool IsQualifierSet(const QualifierList& list, OleStringView name);

struct Property {
  OleString name;  // case as declared by the origin class
  CIMTYPE type = CIM_EMPTY;  // element type | CIM_FLAG_ARRAY
  // On a class: the default value (VT_NULL = none). On an instance object the
  // value lives in InstanceData::values instead.
  com::Variant value;
  QualifierList qualifiers;
  OleString origin;  // the class that first declared the property
  // Inherited and neither its default nor any of its qualifiers changed here.
  bool propagated = false;
};

// The value of the automatic CIMTYPE qualifier of a property: the stored
// CIMTYPE qualifier when there is one (e.g. "ref:Win32_Process",
// "object:Foo"), else the MOF name of the element type ("uint32", "string",
// "ref", "object"; arrays are reported by the CIM_FLAG_ARRAY of the
// property's type, not in this string).
OleString CimTypeQualifierValue(const Property& p);

struct ClassData;

struct Method {
  OleString name;
  // `__PARAMETERS` classes; either may be null (no parameters).
  std::shared_ptr<const ClassData> inParams;
  std::shared_ptr<const ClassData> outParams;
  QualifierList qualifiers;
  OleString origin;
  bool propagated = false;
};

// Where a stored object lives; empty for objects not yet written.
struct Location {
  OleString server;     // machine name, e.g. the host name
  OleString nameSpace;  // e.g. root\cimv2
};

struct ClassData {
  OleString name;        // __CLASS (empty on a fresh GetObject(NULL) class)
  OleString superclass;  // empty for a base class
  std::vector<OleString> derivation;  // parent first ... root last
  QualifierList qualifiers;
  std::vector<Property> properties;  // inherited first (parent order), then own
  std::vector<Method> methods;
  Location location;       // set when the class comes from the repository
  uint64_t version = 0;    // bumped by the repository on every stored change

  // Index of a property by case-insensitive name, or -1.
  int FindProperty(OleStringView name) const;
  const Method* FindMethod(OleStringView name) const;
  bool IsKeyProperty(size_t index) const;  // carries Key=TRUE
  bool HasQualifier(OleStringView name) const;  // present and not FALSE/NULL
  // True for Abstract / Singleton / Dynamic / Amendment class qualifiers.
  bool IsAbstract() const;
  bool IsSingleton() const;
  bool IsDynamic() const;
};

using ClassPtr = std::shared_ptr<const ClassData>;

// True when `origin` names a class other than `cls` itself (an inherited
// property or method); an empty origin counts as local.
bool IsInheritedOrigin(const ClassData& cls, OleStringView origin);

struct InstanceData {
  ClassPtr cls;                       // never null for an instance
  std::vector<com::Variant> values;   // index-aligned with cls->properties
  std::vector<bool> modified;         // set by Put (origin LOCAL vs PROPAGATED)
  // Qualifiers added or overridden on this instance only (usually empty);
  // effective instance qualifiers = the class's ToInstance ones + these.
  QualifierList qualifiers;
  std::vector<QualifierList> propertyQualifiers;  // empty, or one per property
  Location location;
};

// Builds the effective data of a new class derived from `parent` (the object
// SpawnDerivedClass returns): every property, qualifier and method of the
// parent is copied as propagated, qualifiers only when their flavor has
// WBEM_FLAVOR_FLAG_PROPAGATE_TO_DERIVED_CLASS; derivation = parent + parent's.
ClassData DeriveFrom(const ClassData& parent);

// Re-derives `child`'s own (non-propagated) parts on top of `newParent`, as the
// class update engine needs when a parent changes. Returns S_OK or the first
// conflict: WBEM_E_UPDATE_TYPE_MISMATCH (child redefines a now-inherited
// property with another type), WBEM_E_UPDATE_OVERRIDE_NOT_ALLOWED (child
// overrides a qualifier the parent made DisableOverride),
// WBEM_E_UPDATE_PROPAGATED_METHOD (method signature differs). With `force`
// the conflicting child element is dropped instead and S_OK returned.
HRESULT Rebase(const ClassData& newParent, const ClassData& child, bool force,
               ClassData* out);

// A new instance of `cls` with every value set to the class default (what
// SpawnInstance returns).
InstanceData NewInstance(const ClassPtr& cls);

// True when the two methods have the same parameter lists (same names,
// CIM types, IDs and directions, in and out), what PutMethod and Rebase
// compare for WBEM_E_PROPAGATED_METHOD / WBEM_E_UPDATE_PROPAGATED_METHOD.
bool SameSignature(const Method& a, const Method& b);

// The canonical __RELPATH of an instance (wmi-put-semantics.md §6.3): class
// name as defined, "Class=@" for a singleton, else "Class.K1=v1,K2=v2" with
// the key properties sorted by name (case-insensitively), strings quoted
// and escaped, integers in decimal, booleans TRUE/FALSE. Keys whose value is
// NULL are left out; a keyless non-singleton class gives just the class name.
OleString InstanceRelPath(const InstanceData& inst);

}  // namespace wmiput::embedded
