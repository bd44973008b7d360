// Random GUIDs for NULL string keys (wmi-put-semantics.md §1.7).
#pragma once

#include "com/com.h"

namespace wmiput::embedded {

using com::OleString;

// A random version-4 GUID as WMI writes generated keys: 38 code units,
// uppercase hex in braces, "{6F9619FF-8B86-4011-B42D-00C04FC964FF}".
// Thread-safe without locks: each thread has its own engine, seeded from
// std::random_device mixed with the time, the thread and an address.
OleString NewGuidString();

}  // namespace wmiput::embedded
