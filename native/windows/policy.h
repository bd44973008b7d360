// How a connection's operations reach the server and how the server's
// callbacks reach us (docs/windows.md). Portable (no Windows headers) so that
// client::ConnectOptions can carry it on every OS; only the Windows build acts
// on it (native/windows/call_hooks.cc).
#pragma once

#include <cstdint>

namespace wmiput::windows {

enum class SinkSecurity : uint8_t {
  kAuto,                 // in-process for local servers, Unsecapp for remote ones
  kInProcess,            // the server calls our own IWbemObjectSink directly
  kUnsecappCheckAccess,  // IWbemUnsecuredApartment::CreateSinkStub(WBEM_FLAG_UNSECAPP_CHECK_ACCESS)
};

enum class CallMode : uint8_t {
  kAsync,     // *Async calls with a sink (the server calls back into the process)
  kSemisync,  // WBEM_FLAG_RETURN_IMMEDIATELY + IWbemCallResult / enumerator polled
              // on the COM worker: no callback into the process at all
};

struct CallPolicy {
  SinkSecurity sinkSecurity = SinkSecurity::kAuto;
  CallMode callMode = CallMode::kAsync;
};

}  // namespace wmiput::windows
