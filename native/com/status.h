// Names and descriptions of WBEM and COM status codes, from the single table com/wbem_status.def.
#pragma once

#include <cstddef>
#include <cstdint>

#include "com/com.h"

namespace wmiput::com {

struct StatusEntry {
  const char* name;         // "WBEM_E_ALREADY_EXISTS"
  uint32_t value;           // 0x80041019
  const char* description;  // one short sentence
};

struct StatusTableView {
  const StatusEntry* data;
  size_t count;
  const StatusEntry* begin() const noexcept { return data; }
  const StatusEntry* end() const noexcept { return data + count; }
  size_t size() const noexcept { return count; }
};

// Every entry of com/wbem_status.def in file order; names and values are unique.
// Thread: any.
StatusTableView StatusTable() noexcept;

// The entry for hr, or nullptr when hr is not in the table.
// Thread: any.
const StatusEntry* FindStatus(HRESULT hr) noexcept;

// "WBEM_E_ALREADY_EXISTS" for 0x80041019; nullptr for an unknown code. S_OK gives
// "WBEM_S_NO_ERROR" and S_FALSE "WBEM_S_FALSE" (the table holds no aliases).
// Thread: any.
const char* StatusName(HRESULT hr) noexcept;

// The table's short description of hr, or nullptr for an unknown code.
// Thread: any.
const char* StatusDescription(HRESULT hr) noexcept;

}  // namespace wmiput::com
