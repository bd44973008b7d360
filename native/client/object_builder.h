// Building the objects a put sends (instances through the class cache, classes
// from a ClassSpec, method signatures) and reading objects back (ObjectRecord,
// ClassSpec with only the class's own parts, so getClass → putClass round-trips).
#pragma once

#include "client/api.h"
#include "client/class_cache.h"
#include "client/coerce.h"
#include "com/raii.h"

namespace wmiput::client {

// Why building failed: the HRESULT the operation completes with, the property
// at fault (empty for class-level faults) and a readable reason.
struct BuildFault {
  HRESULT hr = S_OK;
  OleString property;
  OleString message;
};

// Flavor the client gives the Key qualifier: Key propagates to subclasses
// and to instances (instances report their keys) and cannot be overridden,
// as CIM declares it (DisableOverride, ToSubclass) and as WMI's own classes
// carry it.
constexpr long kKeyFlavor = WBEM_FLAVOR_FLAG_PROPAGATE_TO_INSTANCE |
                            WBEM_FLAVOR_FLAG_PROPAGATE_TO_DERIVED_CLASS |
                            WBEM_FLAVOR_NOT_OVERRIDABLE;
// Flavor of the CIMTYPE qualifier the client writes for "ref:X"/"object:X"
// (as WMI's automatic CIMTYPE qualifiers: to instances and subclasses).
constexpr long kCimTypeFlavor =
    WBEM_FLAVOR_FLAG_PROPAGATE_TO_INSTANCE | WBEM_FLAVOR_FLAG_PROPAGATE_TO_DERIVED_CLASS;

class ObjectBuilder final : public EmbeddedObjectFactory {
 public:
  ObjectBuilder(IWbemServices* services, ClassCache* cache) noexcept
      : services_(services), cache_(cache) {}

  // Thread: COM worker. An instance of `className` holding `properties`
  // (each coerced to its CIMTYPE; an unknown property is WBEM_E_NOT_FOUND,
  // a value that does not fit WBEM_E_TYPE_MISMATCH, both with `property`
  // set). A failure caused by a stale cached class is retried once with the
  // class fetched again.
  HRESULT BuildInstance(const OleString& className, const NamedValues& properties,
                        com::ComPtr<IWbemClassObject>* out, BuildFault* fault) noexcept;

  // Thread: COM worker. A class object for PutClass(Async).
  HRESULT BuildClass(const ClassSpec& spec, com::ComPtr<IWbemClassObject>* out,
                     BuildFault* fault) noexcept;

  // EmbeddedObjectFactory. Thread: COM worker.
  HRESULT Build(const ObjectValue& value, const OleString& defaultClass, int depth,
                com::ComPtr<IWbemClassObject>* out, OleString* why) noexcept override;

 private:
  HRESULT FillInstance(const CachedClass& cls, const NamedValues& properties, int depth,
                       com::ComPtr<IWbemClassObject>* out, BuildFault* fault);
  HRESULT BuildClassImpl(const ClassSpec& spec, com::ComPtr<IWbemClassObject>* out,
                         BuildFault* fault);
  HRESULT BuildSignature(const MethodSpec& method, bool outputs,
                         com::ComPtr<IWbemClassObject>* out, BuildFault* fault);

  IWbemServices* services_;
  ClassCache* cache_;
};

// Thread: any. Puts `qualifiers` into `set` (values untyped: see
// UntypedToVariant; flavors without origin bits).
HRESULT PutQualifiers(IWbemQualifierSet* set, const std::vector<QualifierSpec>& qualifiers,
                      BuildFault* fault);

// Thread: any (sink threads call these from Indicate).
HRESULT ToObjectRecord(IWbemClassObject* obj, ObjectRecord* out) noexcept;
HRESULT ToClassSpec(IWbemClassObject* cls, ClassSpec* out) noexcept;

}  // namespace wmiput::client
