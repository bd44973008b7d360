// The one seam between the client and the server behind IWbemServices:
// the embedded server everywhere, real WMI on Windows (native/windows/).
#pragma once

#include "client/api.h"

#ifdef _WIN32
namespace wmiput::windows {
// Thread: COM worker (already in the MTA). ConnectServer to options.server /
// options.nameSpace with the options' credentials, locale and authority, the
// proxy blanket set. Implemented in native/windows/.
HRESULT ConnectWmi(const client::ConnectOptions& options, IWbemServices** out,
                   com::OleString* message) noexcept;
}  // namespace wmiput::windows
#endif

namespace wmiput::client {

// Thread: COM worker. The IWbemServices for `options` (AddRef'd into *out);
// `message` may receive a readable reason on failure. Backend::kWmi off
// Windows is WBEM_E_NOT_SUPPORTED.
HRESULT OpenServices(const ConnectOptions& options, IWbemServices** out,
                     OleString* message) noexcept;

}  // namespace wmiput::client
