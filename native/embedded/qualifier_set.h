// IWbemQualifierSet of the embedded server (wmi-put-semantics.md §5.4) over
// the qualifiers of a ClassObject: the class/instance itself, one property or
// one method. The set keeps its owner alive and writes through to it; it is
// re-resolved by name on every call, so it follows copy-on-write and sees
// later changes. Like the owner, not for concurrent use.
#pragma once

#include "embedded/model.h"

namespace wmiput::embedded {

class ClassObject;

enum class QualifierScope { kObject, kProperty, kMethod };

// Thread: any. A new qualifier set (AddRefs `owner`). WBEM_E_NOT_FOUND when
// the property/method does not exist; WBEM_E_SYSTEM_PROPERTY for a system
// property; WBEM_E_ILLEGAL_OPERATION for a method scope on an instance.
HRESULT NewQualifierSet(ClassObject* owner, QualifierScope scope, OleStringView name,
                        IWbemQualifierSet** out) noexcept;

// Thread: any. The qualifiers of the scope as a client sees them: on classes
// the stored list (propagated flags as stored); on instances the class's
// qualifiers that propagate to instances (marked propagated) overlaid with
// the instance's own; on properties the automatic CIMTYPE qualifier is added
// when it is not stored. Throws std::bad_alloc.
HRESULT EffectiveQualifiers(const ClassObject& owner, QualifierScope scope, OleStringView name,
                            QualifierList* out);

// The flavor bits a qualifier reports (its flavor plus the origin bit).
long ReportedFlavor(const Qualifier& q) noexcept;

}  // namespace wmiput::embedded
