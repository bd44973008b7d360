// Tests of the status table (com/wbem_status.def) and its lookups.
#include <cstring>
#include <set>
#include <string>

#include "check.h"
#include "com/status.h"

using namespace wmiput::com;

WP_TEST("status: names and values are unique") {
  std::set<std::string> names;
  std::set<uint32_t> values;
  size_t n = 0;
  for (const StatusEntry& e : StatusTable()) {
    CHECK(e.name != nullptr && e.description != nullptr);
    CHECK(std::strlen(e.description) > 0);
    CHECK(names.insert(e.name).second);
    CHECK(values.insert(e.value).second);
    ++n;
  }
  CHECK_EQ(n, StatusTable().size());
  CHECK(n >= 200);  // 190 WBEMSTATUS members + generic COM/RPC codes
}

WP_TEST("status: known entries have exact values") {
  struct Known {
    const char* name;
    uint32_t value;
  };
  const Known known[] = {
      {"WBEM_S_NO_ERROR", 0x0},
      {"WBEM_S_FALSE", 0x1},
      {"WBEM_S_NO_MORE_DATA", 0x40005},
      {"WBEM_E_FAILED", 0x80041001},
      {"WBEM_E_NOT_FOUND", 0x80041002},
      {"WBEM_E_INVALID_PARAMETER", 0x80041008},
      {"WBEM_E_ALREADY_EXISTS", 0x80041019},
      {"WBEM_E_ILLEGAL_NULL", 0x80041028},
      {"WBEM_E_CALL_CANCELLED", 0x80041032},
      {"WBEM_E_INVALID_OBJECT_PATH", 0x8004103A},
      {"WBEM_E_CANNOT_CHANGE_INDEX_INHERITANCE", 0x80041050},
      {"WBEM_E_QUOTA_VIOLATION", 0x8004106C},
      {"WBEM_E_NO_KEY", 0x80041089},
      {"WBEM_E_PROVIDER_DISABLED", 0x8004108A},
      {"WBEMMOF_E_INVALID_DELETECLASS_SYNTAX", 0x80044031},
      {"E_NOTIMPL", 0x80004001},
      {"E_OUTOFMEMORY", 0x8007000E},
      {"DISP_E_BADINDEX", 0x8002000B},
      {"CO_E_SERVER_STOPPING", 0x80080008},
      {"RPC_E_CHANGED_MODE", 0x80010106},
      {"RPC_S_SERVER_UNAVAILABLE", 0x800706BA},
      {"RPC_S_CALL_FAILED", 0x800706BE},
  };
  for (const Known& k : known) {
    const char* name = StatusName(static_cast<HRESULT>(k.value));
    CHECK(name != nullptr);
    CHECK_EQ(std::string(name), std::string(k.name));
  }
}

WP_TEST("status: table agrees with the compiled WBEMSTATUS and HRESULT constants") {
  CHECK_EQ(std::string(StatusName(WBEM_E_ALREADY_EXISTS)), "WBEM_E_ALREADY_EXISTS");
  CHECK_EQ(std::string(StatusName(WBEM_E_TYPE_MISMATCH)), "WBEM_E_TYPE_MISMATCH");
  CHECK_EQ(std::string(StatusName(WBEM_E_SHUTTING_DOWN)), "WBEM_E_SHUTTING_DOWN");
  CHECK_EQ(std::string(StatusName(WBEM_S_TIMEDOUT)), "WBEM_S_TIMEDOUT");
  CHECK_EQ(std::string(StatusName(S_OK)), "WBEM_S_NO_ERROR");
  CHECK_EQ(std::string(StatusName(S_FALSE)), "WBEM_S_FALSE");
  CHECK_EQ(std::string(StatusName(E_FAIL)), "E_FAIL");
  CHECK_EQ(std::string(StatusName(E_INVALIDARG)), "E_INVALIDARG");
  CHECK_EQ(std::string(StatusName(DISP_E_ARRAYISLOCKED)), "DISP_E_ARRAYISLOCKED");
  CHECK_EQ(std::string(StatusName(CO_E_SERVER_STOPPING)), "CO_E_SERVER_STOPPING");
  CHECK_EQ(std::string(StatusName(RPC_E_TOO_LATE)), "RPC_E_TOO_LATE");
  HRESULT hr = WBEM_E_INVALID_OBJECT_PATH;
  CHECK(hr == static_cast<HRESULT>(WBEM_E_INVALID_OBJECT_PATH));
  CHECK(FAILED(hr));
  CHECK(SUCCEEDED(static_cast<HRESULT>(WBEM_S_NO_MORE_DATA)));
  CHECK_HR(hr, 0x8004103Au);
}

WP_TEST("status: descriptions and unknown codes") {
  const char* d = StatusDescription(static_cast<HRESULT>(0x80041019u));
  CHECK(d != nullptr);
  CHECK(std::strlen(d) > 10);
  CHECK(StatusName(static_cast<HRESULT>(0x80041099u)) == nullptr);
  CHECK(StatusName(static_cast<HRESULT>(0x12345678u)) == nullptr);
  CHECK(StatusDescription(static_cast<HRESULT>(0x12345678u)) == nullptr);
  CHECK(FindStatus(static_cast<HRESULT>(0x8004105Eu)) == nullptr);  // gap in the SDK numbering
  const StatusEntry* e = FindStatus(static_cast<HRESULT>(0x80041089u));
  CHECK(e != nullptr);
  CHECK_EQ(e->value, 0x80041089u);
}

namespace {
// The forms that compile identically against the portable header (enumerators of type HRESULT)
// and mingw's <wbemcli.h> (unsigned enumerators): compare with ==, and cast in case labels.
const char* Classify(HRESULT hr) {
  switch (hr) {
    case static_cast<HRESULT>(WBEM_E_NOT_FOUND):
      return "missing";
    case static_cast<HRESULT>(WBEM_E_ALREADY_EXISTS):
      return "exists";
    default:
      return SUCCEEDED(hr) ? "ok" : "other";
  }
}
}  // namespace

WP_TEST("status: WBEM enumerators work in switches and comparisons on every platform") {
  CHECK_EQ(std::string(Classify(static_cast<HRESULT>(0x80041002u))), "missing");
  CHECK_EQ(std::string(Classify(static_cast<HRESULT>(0x80041019u))), "exists");
  CHECK_EQ(std::string(Classify(WBEM_S_NO_ERROR)), "ok");
  CHECK_EQ(std::string(Classify(WBEM_E_FAILED)), "other");
  const HRESULT hr = WBEM_E_CALL_CANCELLED;
  CHECK(hr == static_cast<HRESULT>(WBEM_E_CALL_CANCELLED));
  CHECK(static_cast<uint32_t>(hr) == 0x80041032u);
  CHECK(static_cast<uint32_t>(WBEM_INFINITE) == 0xFFFFFFFFu);
  const long timeout = WBEM_INFINITE;  // how a caller passes it through a `long` parameter
  CHECK(static_cast<uint32_t>(timeout) == WBEM_INFINITE);
}
