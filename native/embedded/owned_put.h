// A private shortcut for wmi-put's own client (client/object_builder.cc):
// IWbemClassObject::Put on one of our embedded instances that takes the
// caller's VARIANT over instead of copying it, when it already is the value
// the property would store. Plain COM is unaffected: foreign objects (real
// WMI) and every other case go through IWbemClassObject::Put.
#pragma once

#include "com/com.h"
#include "com/raii.h"

namespace wmiput::embedded {

// Thread: any (one thread at a time per object). Same outcome and HRESULTs
// as obj->Put(name, 0, value->get(), 0). When `obj` is an embedded instance
// and IsStoredForm(property type, *value) holds, *value is moved into the
// object and left VT_EMPTY; otherwise *value is left as it was.
HRESULT PutTaking(IWbemClassObject* obj, LPCWSTR name, com::Variant* value) noexcept;

}  // namespace wmiput::embedded
