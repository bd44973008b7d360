// COM security for WMI (semantics §4.3–§4.4): process security once per
// process, connection targets, alternate credentials, proxy blankets.
// Windows only.
#pragma once

#ifdef _WIN32

#include <memory>

#include "client/api.h"
#include "com/raii.h"

namespace wmiput::windows {

using com::OleString;
using com::OleStringView;

// Thread: any (COM initialised). CoInitializeSecurity(DEFAULT authentication,
// IMPERSONATE) tried once per process; later calls return the first result.
// RPC_E_TOO_LATE (the host or another module got there first) is reported as
// is and is not an error for us: every proxy gets an explicit blanket.
HRESULT EnsureProcessSecurity() noexcept;

// Where ConnectServer goes.
struct Target {
  bool remote = false;
  OleString server;    // as given, without leading backslashes ("" = local)
  OleString resource;  // "root\\cimv2" or "\\\\server\\root\\cimv2"
};

// Thread: any. "", ".", "localhost", "127.0.0.1", "::1" and this computer's
// own name (NetBIOS or DNS, case-insensitive) are local.
bool IsLocalServer(OleStringView server) noexcept;
Target MakeTarget(OleStringView server, OleStringView nameSpace);

// Alternate credentials for the proxy blanket: a COAUTHIDENTITY whose strings
// this object owns (and wipes when destroyed). It must outlive every proxy
// whose blanket points at it.
class Identity {
 public:
  // user "DOMAIN\\user" gives domain + user; "user@domain" stays whole (UPN);
  // authority "NTLMDOMAIN:<domain>" supplies the domain.
  Identity(OleStringView user, OleStringView password, OleStringView authority);
  ~Identity();
  Identity(const Identity&) = delete;
  Identity& operator=(const Identity&) = delete;

  COAUTHIDENTITY* get() noexcept { return &auth_; }
  const OleString& user() const noexcept { return user_; }
  const OleString& domain() const noexcept { return domain_; }

 private:
  OleString user_, domain_, password_;
  COAUTHIDENTITY auth_{};
};

// The blanket every proxy of one connection gets.
struct Blanket {
  bool remote = false;
  Identity* identity = nullptr;  // remote with credentials only
  bool kerberos = false;         // authority "Kerberos:<principal>"
  OleString principal;
};

// Thread: COM worker. Authority "Kerberos:<principal>" -> kerberos + principal.
void ApplyAuthority(OleStringView authority, Blanket* blanket);

// Thread: COM worker. CoSetProxyBlanket on `proxy` (and on its IUnknown when
// credentials are used, so that AddRef/Release run as the same identity).
// Local: RPC_C_AUTHN_DEFAULT, RPC_C_AUTHN_LEVEL_DEFAULT, IMPERSONATE. Remote:
// RPC_C_AUTHN_LEVEL_PKT_PRIVACY, IMPERSONATE and the identity if any.
// An object that is not a proxy (an in-process server) answers E_NOINTERFACE:
// that is S_FALSE here (nothing to secure).
HRESULT ApplyBlanket(IUnknown* proxy, const Blanket& blanket) noexcept;

// Thread: any. A readable reason for a failed ConnectServer; names the server
// and the namespace, never the credentials.
OleString DescribeConnectFailure(HRESULT hr, const Target& target);

// Thread: COM worker. ConnectServer + blanket for `options`; `identity`
// receives the credentials' holder when credentials are used (keep it as long
// as the services). Used by CallHooks::Connect and ConnectWmi.
HRESULT ConnectWithSecurity(const client::ConnectOptions& options, IWbemServices** out,
                            std::unique_ptr<Identity>* identity, Blanket* blanket,
                            OleString* message) noexcept;

// ASCII/UTF-16 helpers.
OleString Ole(const char* ascii);
bool EqualsIgnoreCase(OleStringView a, OleStringView b) noexcept;
bool StartsWithIgnoreCase(OleStringView s, OleStringView prefix) noexcept;

}  // namespace wmiput::windows

#endif  // _WIN32
