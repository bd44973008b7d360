#include "com/status.h"

namespace wmiput::com {
namespace {

constexpr StatusEntry kStatusTable[] = {
#define WP_STATUS(name, value, description) {#name, value##u, description},
#define WP_GENERIC_STATUS(name, value, description) {#name, value##u, description},
#include "com/wbem_status.def"
};

}  // namespace

// Thread: any.
StatusTableView StatusTable() noexcept {
  return {kStatusTable, sizeof(kStatusTable) / sizeof(kStatusTable[0])};
}

// Thread: any.
const StatusEntry* FindStatus(HRESULT hr) noexcept {
  const uint32_t value = static_cast<uint32_t>(hr);
  for (const StatusEntry& e : kStatusTable)
    if (e.value == value) return &e;
  return nullptr;
}

// Thread: any.
const char* StatusName(HRESULT hr) noexcept {
  const StatusEntry* e = FindStatus(hr);
  return e ? e->name : nullptr;
}

// Thread: any.
const char* StatusDescription(HRESULT hr) noexcept {
  const StatusEntry* e = FindStatus(hr);
  return e ? e->description : nullptr;
}

}  // namespace wmiput::com
