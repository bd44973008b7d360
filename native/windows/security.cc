#ifdef _WIN32

#include "windows/security.h"

#include <cwctype>
#include <mutex>
#include <new>
#include <string>
#include <vector>

#include "client/backend.h"
#include "com/status.h"

namespace wmiput::windows {

using com::Bstr;
using com::ComPtr;

namespace {

HRESULT g_securityResult = S_OK;
std::once_flag g_securityOnce;

OLECHAR Lower(OLECHAR c) noexcept {
  return (c >= 'A' && c <= 'Z') ? static_cast<OLECHAR>(c - 'A' + 'a') : c;
}

// Thread: any.
OleString ComputerName(COMPUTER_NAME_FORMAT format) {
  DWORD size = 0;
  GetComputerNameExW(format, nullptr, &size);
  if (size == 0) return {};
  OleString name(size, 0);
  if (!GetComputerNameExW(format, name.data(), &size)) return {};
  name.resize(size);
  return name;
}

// Thread: any.
OleString HexStatus(HRESULT hr) {
  static const char digits[] = "0123456789ABCDEF";
  std::string s = "0x";
  for (int shift = 28; shift >= 0; shift -= 4)
    s.push_back(digits[(static_cast<unsigned long>(hr) >> shift) & 0xF]);
  return Ole(s.c_str());
}

}  // namespace

// Thread: any.
OleString Ole(const char* ascii) {
  OleString o;
  for (; ascii && *ascii; ++ascii) o.push_back(static_cast<OLECHAR>(static_cast<unsigned char>(*ascii)));
  return o;
}

// Thread: any.
bool EqualsIgnoreCase(OleStringView a, OleStringView b) noexcept {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (Lower(a[i]) != Lower(b[i])) return false;
  return true;
}

// Thread: any.
bool StartsWithIgnoreCase(OleStringView s, OleStringView prefix) noexcept {
  return s.size() >= prefix.size() && EqualsIgnoreCase(s.substr(0, prefix.size()), prefix);
}

// Thread: any (COM initialised on the calling thread).
HRESULT EnsureProcessSecurity() noexcept {
  try {
    std::call_once(g_securityOnce, [] {
      g_securityResult = CoInitializeSecurity(nullptr, -1, nullptr, nullptr,
                                              RPC_C_AUTHN_LEVEL_DEFAULT,
                                              RPC_C_IMP_LEVEL_IMPERSONATE, nullptr,
                                              EOAC_NONE, nullptr);
    });
  } catch (...) {
    return E_FAIL;
  }
  return g_securityResult;
}

// Thread: any.
bool IsLocalServer(OleStringView server) noexcept {
  try {
    while (!server.empty() && (server.front() == '\\' || server.front() == '/')) server.remove_prefix(1);
    if (server.empty() || server == OLESTR(".")) return true;
    for (const char* name : {"localhost", "127.0.0.1", "::1", "[::1]"})
      if (EqualsIgnoreCase(server, Ole(name))) return true;
    for (COMPUTER_NAME_FORMAT f : {ComputerNameNetBIOS, ComputerNameDnsHostname,
                                   ComputerNameDnsFullyQualified}) {
      OleString own = ComputerName(f);
      if (!own.empty() && EqualsIgnoreCase(server, own)) return true;
    }
    return false;
  } catch (...) {
    return false;
  }
}

// Thread: any.
Target MakeTarget(OleStringView server, OleStringView nameSpace) {
  Target t;
  while (!server.empty() && (server.front() == '\\' || server.front() == '/')) server.remove_prefix(1);
  t.server = OleString(server);
  t.remote = !IsLocalServer(server);
  if (t.remote) {
    t.resource = OLESTR("\\\\");
    t.resource += server;
    t.resource += OLESTR("\\");
  }
  t.resource += nameSpace;
  return t;
}

Identity::Identity(OleStringView user, OleStringView password, OleStringView authority) {
  size_t slash = user.find(OLECHAR('\\'));
  if (slash != OleStringView::npos) {
    domain_ = OleString(user.substr(0, slash));
    user_ = OleString(user.substr(slash + 1));
  } else {
    user_ = OleString(user);
  }
  const OleString ntlmDomain = Ole("NTLMDOMAIN:");
  if (domain_.empty() && StartsWithIgnoreCase(authority, ntlmDomain))
    domain_ = OleString(authority.substr(ntlmDomain.size()));
  password_ = OleString(password);
  auth_.User = reinterpret_cast<USHORT*>(user_.data());
  auth_.UserLength = static_cast<ULONG>(user_.size());
  auth_.Domain = domain_.empty() ? nullptr : reinterpret_cast<USHORT*>(domain_.data());
  auth_.DomainLength = static_cast<ULONG>(domain_.size());
  auth_.Password = reinterpret_cast<USHORT*>(password_.data());
  auth_.PasswordLength = static_cast<ULONG>(password_.size());
  auth_.Flags = SEC_WINNT_AUTH_IDENTITY_UNICODE;
}

Identity::~Identity() {
  if (!password_.empty()) SecureZeroMemory(password_.data(), password_.size() * sizeof(OLECHAR));
  SecureZeroMemory(&auth_, sizeof auth_);
}

// Thread: COM worker.
void ApplyAuthority(OleStringView authority, Blanket* blanket) {
  const OleString kerberos = Ole("Kerberos:");
  if (StartsWithIgnoreCase(authority, kerberos)) {
    blanket->kerberos = true;
    blanket->principal = OleString(authority.substr(kerberos.size()));
  }
}

// Thread: COM worker.
HRESULT ApplyBlanket(IUnknown* proxy, const Blanket& blanket) noexcept {
  if (!proxy) return E_POINTER;
  DWORD authn = blanket.kerberos ? RPC_C_AUTHN_GSS_KERBEROS : RPC_C_AUTHN_DEFAULT;
  DWORD authz = blanket.kerberos ? RPC_C_AUTHZ_NONE : RPC_C_AUTHZ_DEFAULT;
  OLECHAR* principal = blanket.kerberos && !blanket.principal.empty()
                           ? const_cast<OLECHAR*>(blanket.principal.c_str())
                           : COLE_DEFAULT_PRINCIPAL;
  DWORD level = blanket.remote ? RPC_C_AUTHN_LEVEL_PKT_PRIVACY : RPC_C_AUTHN_LEVEL_DEFAULT;
  RPC_AUTH_IDENTITY_HANDLE identity =
      blanket.identity ? static_cast<RPC_AUTH_IDENTITY_HANDLE>(blanket.identity->get())
                       : COLE_DEFAULT_AUTHINFO;
  HRESULT hr = CoSetProxyBlanket(proxy, authn, authz, principal, level,
                                 RPC_C_IMP_LEVEL_IMPERSONATE, identity, EOAC_NONE);
  if (hr == E_NOINTERFACE) return S_FALSE;  // not a proxy: an in-process server
  if (FAILED(hr)) return hr;
  if (blanket.identity) {
    // AddRef/Release go through the proxy manager's IUnknown: same identity.
    ComPtr<IUnknown> unknown;
    if (SUCCEEDED(proxy->QueryInterface(IID_IUnknown, reinterpret_cast<void**>(unknown.put())))) {
      HRESULT u = CoSetProxyBlanket(unknown.get(), authn, authz, principal, level,
                                    RPC_C_IMP_LEVEL_IMPERSONATE, identity, EOAC_NONE);
      if (FAILED(u) && u != E_NOINTERFACE) return u;
    }
  }
  return S_OK;
}

// Thread: any.
OleString DescribeConnectFailure(HRESULT hr, const Target& target) {
  OleString where = Ole("namespace ") + target.resource;
  const char* name = com::StatusName(hr);
  OleString code = name ? Ole(name) : HexStatus(hr);
  OleString why;
  switch (hr) {
    case static_cast<HRESULT>(WBEM_E_INVALID_NAMESPACE):
      why = Ole("the namespace does not exist");
      break;
    case static_cast<HRESULT>(WBEM_E_LOCAL_CREDENTIALS):
      why = Ole("user and password cannot be used for a local connection; omit them, or give a remote server");
      break;
    case static_cast<HRESULT>(WBEM_E_ACCESS_DENIED):
    case E_ACCESSDENIED:
      why = Ole("access denied: the account needs the namespace's Enable Account (and Remote Enable "
                "when remote) permission (wmimgmt.msc > Security), and remotely DCOM launch/access "
                "rights; see docs/windows.md");
      break;
    case static_cast<HRESULT>(0x800706BA):  // RPC_S_SERVER_UNAVAILABLE
      why = Ole("the RPC server is unavailable: check the server name, that the Windows Management "
                "Instrumentation firewall rules are enabled there and that DCOM is allowed");
      break;
    case static_cast<HRESULT>(WBEM_E_INVALID_PARAMETER):
      why = Ole("ConnectServer rejected a parameter (user, locale \"MS_<hex LCID>\", or a domain "
                "given both in the user and the authority)");
      break;
    default:
      why = Ole("ConnectServer failed");
      break;
  }
  OleString out = why + Ole(" (") + code + Ole(", ") + where;
  if (target.remote) out += Ole(" on ") + target.server;
  out += Ole(")");
  return out;
}

// Thread: COM worker.
HRESULT ConnectWithSecurity(const client::ConnectOptions& options, IWbemServices** out,
                            std::unique_ptr<Identity>* identity, Blanket* blanket,
                            OleString* message) noexcept {
  if (!out) return WBEM_E_INVALID_PARAMETER;
  *out = nullptr;
  try {
    // Not fatal either way: every proxy gets an explicit blanket below.
    EnsureProcessSecurity();

    Target target = MakeTarget(options.server, options.nameSpace);
    const bool credentials = !options.user.empty();
    if (credentials && !target.remote) {
      if (message) *message = DescribeConnectFailure(WBEM_E_LOCAL_CREDENTIALS, target);
      return WBEM_E_LOCAL_CREDENTIALS;
    }

    ComPtr<IWbemLocator> locator;
    HRESULT hr = CoCreateInstance(CLSID_WbemLocator, nullptr, CLSCTX_INPROC_SERVER,
                                  IID_IWbemLocator, reinterpret_cast<void**>(locator.put()));
    if (FAILED(hr)) {
      if (message) *message = Ole("cannot create the WMI locator (CLSID_WbemLocator): ") + HexStatus(hr);
      return hr;
    }

    Bstr resource{target.resource};
    Bstr user, password, locale, authority;
    if (credentials) {
      user = Bstr(options.user);
      password = Bstr(options.password);  // "" is a real empty password
    }
    if (!options.locale.empty()) locale = Bstr(options.locale);
    if (!options.authority.empty()) authority = Bstr(options.authority);

    ComPtr<IWbemServices> services;
    hr = locator->ConnectServer(resource.get(), user.get(), password.get(), locale.get(),
                                WBEM_FLAG_CONNECT_USE_MAX_WAIT, authority.get(), nullptr,
                                services.put());
    if (password.get() && password.size())
      SecureZeroMemory(password.get(), password.size() * sizeof(OLECHAR));
    if (FAILED(hr)) {
      if (message) *message = DescribeConnectFailure(hr, target);
      return hr;
    }
    if (!services) return WBEM_E_FAILED;

    Blanket b;
    b.remote = target.remote;
    ApplyAuthority(options.authority, &b);
    std::unique_ptr<Identity> id;
    if (credentials) {
      id = std::make_unique<Identity>(options.user, options.password, options.authority);
      b.identity = id.get();
    }
    hr = ApplyBlanket(services.get(), b);
    if (FAILED(hr)) {
      if (message)
        *message = Ole("CoSetProxyBlanket failed on the IWbemServices proxy: ") + HexStatus(hr);
      return hr;
    }
    if (identity) *identity = std::move(id);
    if (blanket) *blanket = b;
    *out = services.detach();
    return S_OK;
  } catch (const std::bad_alloc&) {
    return WBEM_E_OUT_OF_MEMORY;
  } catch (...) {
    return WBEM_E_FAILED;
  }
}

// The seam client/backend.h declares (Backend::kWmi before the connection
// carries CallHooks). Thread: COM worker.
HRESULT ConnectWmi(const client::ConnectOptions& options, IWbemServices** out,
                   com::OleString* message) noexcept {
  std::unique_ptr<Identity> identity;
  HRESULT hr = ConnectWithSecurity(options, out, &identity, nullptr, message);
  if (SUCCEEDED(hr) && identity) {
    // The blanket points at the identity and this seam has nowhere to keep it
    // for the life of the proxy: keep it for the life of the process. The
    // CallHooks path (MakeCallHooks) owns it per connection instead.
    static std::mutex keepMutex;
    static std::vector<std::unique_ptr<Identity>>* kept = new std::vector<std::unique_ptr<Identity>>();
    try {
      std::lock_guard<std::mutex> lock(keepMutex);
      kept->push_back(std::move(identity));
    } catch (...) {
      if (*out) {
        (*out)->Release();
        *out = nullptr;
      }
      return WBEM_E_OUT_OF_MEMORY;
    }
  }
  return hr;
}

}  // namespace wmiput::windows

#endif  // _WIN32
