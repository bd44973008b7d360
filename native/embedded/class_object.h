// IWbemClassObject (and IWbemQualifierSet) of the embedded server, over the
// data model of model.h. One ClassObject is either a class (genus 1) or an
// instance (genus 2). Like WMI's objects, one object must not be used from two
// threads at once; distinct objects are independent (stored data is shared
// immutably and copied on write).
#pragma once

#include "embedded/model.h"

namespace wmiput::embedded {

// Private interface ID answered by QueryInterface on our objects only, so the
// server can tell its own objects from foreign ones without RTTI across COM.
extern const IID IID_IWmiPutEmbeddedObject;

// Thread: any. A class object over `data` (e.g. GetObject(NULL) → an empty
// ClassData; a stored class → a copy whose location is set).
com::ComPtr<IWbemClassObject> NewClassObject(ClassData data);
com::ComPtr<IWbemClassObject> NewClassObject(ClassPtr shared);  // copy on write
// Thread: any. An instance object over `data`.
com::ComPtr<IWbemClassObject> NewInstanceObject(InstanceData data);

// The non-COM face of ClassObject used by the server.
class ClassObjectView {
 public:
  virtual ~ClassObjectView() = default;
  virtual bool IsClass() const noexcept = 0;
  // Valid for classes only.
  virtual const ClassData& Class() const noexcept = 0;
  // Valid for instances only.
  virtual const InstanceData& Instance() const noexcept = 0;
  // True when the object still carries any qualifier with the
  // WBEM_FLAVOR_AMENDED bit (class, property, method or instance level).
  virtual bool HasAmendedQualifiers() const noexcept = 0;
};

// Thread: any. Our implementation behind `obj` (found through
// IID_IWmiPutEmbeddedObject), or nullptr when `obj` is null or foreign.
// Does not AddRef.
ClassObjectView* ViewOf(IWbemClassObject* obj) noexcept;

}  // namespace wmiput::embedded
