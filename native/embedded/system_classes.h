// The system classes every WMI namespace holds (__SystemClass, __NAMESPACE,
// __NotifyStatus, __ExtendedStatus, the event classes, __EventConsumer,
// __EventFilter, __FilterToConsumerBinding, __Provider, __Win32Provider and
// the provider registration classes) with their real properties and
// qualifiers, already derived (effective) and in dependency order (parents
// first). The repository copies them into every namespace it creates.
#pragma once

#include <vector>

#include "embedded/model.h"

namespace wmiput::embedded {

// Thread: any (built once, immutable afterwards).
const std::vector<ClassPtr>& SystemClasses();

}  // namespace wmiput::embedded
