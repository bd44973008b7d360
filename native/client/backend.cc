#include "client/backend.h"

#include "client/coerce.h"

namespace wmiput::client {

// Thread: COM worker.
HRESULT OpenServices(const ConnectOptions& options, IWbemServices** out,
                     OleString* message) noexcept {
  if (!out) return WBEM_E_INVALID_PARAMETER;
  *out = nullptr;
  try {
    if (options.backend == Backend::kWmi) {
#ifdef _WIN32
      return windows::ConnectWmi(options, out, message);
#else
      if (message) *message = ToOle("the 'wmi' backend exists only on Windows");
      return WBEM_E_NOT_SUPPORTED;
#endif
    }
    embedded::RepositoryPtr repo =
        options.repository ? options.repository : embedded::DefaultRepository();
    if (!repo) return WBEM_E_FAILED;
    return embedded::ConnectServer(repo, options.nameSpace, out);
  } catch (const std::bad_alloc&) {
    return WBEM_E_OUT_OF_MEMORY;
  } catch (...) {
    return WBEM_E_FAILED;
  }
}

}  // namespace wmiput::client
