// The Windows layer (native/windows/): process security, connection targets,
// credentials, ConnectServer against the host's WMI (Wine's wbemprox in CI),
// Unsecapp sink security, and the semisynchronous call path checked against
// the embedded server. Built and run only on Windows (the cross-built binary
// runs under Wine: `npm run test:wine`).
#ifdef _WIN32

#include <atomic>
#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "check.h"
#include "client/api.h"
#include "client/backend.h"
#include "com/raii.h"
#include "embedded/embedded.h"
#include "windows/call_hooks.h"
#include "windows/security.h"

namespace {

using wmiput::com::Bstr;
using wmiput::com::ComPtr;
using wmiput::com::OleString;
using wmiput::com::Variant;
namespace win = wmiput::windows;
namespace client = wmiput::client;

std::string A(const OleString& s) {
  std::string o;
  for (OLECHAR c : s) o.push_back(c < 128 ? static_cast<char>(c) : '?');
  return o;
}

// The tests' thread joins the MTA, as the connection's COM worker does.
struct Mta {
  HRESULT hr;
  Mta() : hr(CoInitializeEx(nullptr, COINIT_MULTITHREADED)) {}
  ~Mta() {
    if (SUCCEEDED(hr)) CoUninitialize();
  }
};

bool RunningUnderWine() {
  HMODULE ntdll = GetModuleHandleW(L"ntdll.dll");
  return ntdll && GetProcAddress(ntdll, "wine_get_version") != nullptr;
}

// Records what a server (or the semisync poller) delivers.
class RecordingSink final : public IWbemObjectSink {
 public:
  HRESULT STDMETHODCALLTYPE QueryInterface(REFIID riid, void** ppv) noexcept override {
    if (!ppv) return E_POINTER;
    if (IsEqualIID(riid, IID_IUnknown) || IsEqualIID(riid, IID_IWbemObjectSink)) {
      *ppv = static_cast<IWbemObjectSink*>(this);
      AddRef();
      return S_OK;
    }
    *ppv = nullptr;
    return E_NOINTERFACE;
  }
  ULONG STDMETHODCALLTYPE AddRef() noexcept override { return ++refs; }
  ULONG STDMETHODCALLTYPE Release() noexcept override {
    ULONG n = --refs;
    if (n == 0) delete this;
    return n;
  }
  HRESULT STDMETHODCALLTYPE Indicate(long count, IWbemClassObject** objects) noexcept override {
    std::lock_guard<std::mutex> lock(mu);
    for (long i = 0; i < count; ++i) this->objects.push_back(ComPtr<IWbemClassObject>::Share(objects[i]));
    return WBEM_S_NO_ERROR;
  }
  HRESULT STDMETHODCALLTYPE SetStatus(long flags, HRESULT hr, BSTR param,
                                      IWbemClassObject* error) noexcept override {
    if (flags != WBEM_STATUS_COMPLETE) return WBEM_S_NO_ERROR;
    std::lock_guard<std::mutex> lock(mu);
    ++completions;
    status = hr;
    hasParam = param != nullptr;
    this->param = wmiput::com::ToOleString(param);
    errorObject = error != nullptr;
    return WBEM_S_NO_ERROR;
  }

  std::atomic<ULONG> refs{1};
  std::mutex mu;
  std::vector<ComPtr<IWbemClassObject>> objects;
  int completions = 0;
  HRESULT status = E_PENDING;
  bool hasParam = false;
  OleString param;
  bool errorObject = false;
};

ComPtr<RecordingSink> NewSink() { return ComPtr<RecordingSink>::Adopt(new RecordingSink()); }

// Polls until nothing is pending (bounded).
void Drain(win::CallHooks& hooks) {
  auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (hooks.Poll() > 0) {
    if (std::chrono::steady_clock::now() > until) wmiput::test::Fail(__FILE__, __LINE__, "semisync calls never finished");
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

client::ConnectOptions WmiOptions(const char* ns) {
  client::ConnectOptions o;
  o.backend = client::Backend::kWmi;
  o.nameSpace = win::Ole(ns);
  return o;
}

}  // namespace

WP_TEST("windows: CoInitializeSecurity is tried once per process; RPC_E_TOO_LATE is tolerated") {
  Mta mta;
  HRESULT first = win::EnsureProcessSecurity();
  CHECK(first == S_OK || first == static_cast<HRESULT>(RPC_E_TOO_LATE));
  CHECK_EQ(win::EnsureProcessSecurity(), first);
}

WP_TEST("windows: local and remote servers, resource paths") {
  CHECK(win::IsLocalServer(OLESTR("")));
  CHECK(win::IsLocalServer(OLESTR(".")));
  CHECK(win::IsLocalServer(OLESTR("LocalHost")));
  CHECK(win::IsLocalServer(OLESTR("127.0.0.1")));
  CHECK(win::IsLocalServer(OLESTR("\\\\.")));
  wchar_t own[256];
  DWORD size = 256;
  CHECK(GetComputerNameExW(ComputerNameNetBIOS, own, &size));
  CHECK(win::IsLocalServer(OleString(own)));
  CHECK(!win::IsLocalServer(OLESTR("fileserver7")));
  CHECK(!win::IsLocalServer(OLESTR("10.1.2.3")));

  win::Target local = win::MakeTarget(OLESTR(""), OLESTR("root\\cimv2"));
  CHECK(!local.remote);
  CHECK_EQ(A(local.resource), std::string("root\\cimv2"));
  win::Target remote = win::MakeTarget(OLESTR("\\\\srv01"), OLESTR("root\\default"));
  CHECK(remote.remote);
  CHECK_EQ(A(remote.server), std::string("srv01"));
  CHECK_EQ(A(remote.resource), std::string("\\\\srv01\\root\\default"));
}

WP_TEST("windows: COAUTHIDENTITY from DOMAIN\\user, UPN and NTLMDOMAIN authority") {
  win::Identity a(OLESTR("CONTOSO\\agent"), OLESTR("pw"), OLESTR(""));
  CHECK_EQ(A(a.domain()), std::string("CONTOSO"));
  CHECK_EQ(A(a.user()), std::string("agent"));
  CHECK_EQ(a.get()->UserLength, 5u);
  CHECK_EQ(a.get()->DomainLength, 7u);
  CHECK_EQ(a.get()->PasswordLength, 2u);
  CHECK_EQ(a.get()->Flags, static_cast<ULONG>(SEC_WINNT_AUTH_IDENTITY_UNICODE));

  win::Identity upn(OLESTR("agent@contoso.com"), OLESTR(""), OLESTR(""));
  CHECK_EQ(A(upn.user()), std::string("agent@contoso.com"));
  CHECK(upn.get()->Domain == nullptr);
  CHECK_EQ(upn.get()->PasswordLength, 0u);

  win::Identity viaAuthority(OLESTR("agent"), OLESTR("pw"), OLESTR("ntlmdomain:FABRIKAM"));
  CHECK_EQ(A(viaAuthority.domain()), std::string("FABRIKAM"));

  win::Blanket b;
  win::ApplyAuthority(OLESTR("kERBEROS:host/srv01"), &b);
  CHECK(b.kerberos);
  CHECK_EQ(A(b.principal), std::string("host/srv01"));
}

WP_TEST("windows: ConnectServer to root\\cimv2 through the host's WMI") {
  Mta mta;
  ComPtr<IWbemServices> services;
  OleString message;
  HRESULT hr = win::ConnectWmi(WmiOptions("root\\cimv2"), services.put(), &message);
  CHECK_EQ(hr, static_cast<HRESULT>(S_OK));
  CHECK(services);
  // The proxy (or in-process object) answers a class lookup.
  ComPtr<IWbemClassObject> cls;
  Bstr name{OLESTR("Win32_OperatingSystem")};
  CHECK_EQ(services->GetObject(name.get(), 0, nullptr, cls.put(), nullptr), static_cast<HRESULT>(S_OK));
  CHECK(cls);
}

WP_TEST("windows: a missing namespace is WBEM_E_INVALID_NAMESPACE with a readable reason") {
  Mta mta;
  ComPtr<IWbemServices> services;
  OleString message;
  HRESULT hr = win::ConnectWmi(WmiOptions("root\\wmi_put_no_such_ns"), services.put(), &message);
  CHECK_EQ(hr, static_cast<HRESULT>(WBEM_E_INVALID_NAMESPACE));
  CHECK(!services);
  CHECK(A(message).find("root\\wmi_put_no_such_ns") != std::string::npos);
  CHECK(A(message).find("WBEM_E_INVALID_NAMESPACE") != std::string::npos);
}

WP_TEST("windows: credentials on a local connection are WBEM_E_LOCAL_CREDENTIALS; never echoed") {
  Mta mta;
  client::ConnectOptions o = WmiOptions("root\\cimv2");
  o.user = OLESTR("CONTOSO\\someone");
  o.password = OLESTR("s3cr3t-Pa55");
  ComPtr<IWbemServices> services;
  OleString message;
  CHECK_EQ(win::ConnectWmi(o, services.put(), &message), static_cast<HRESULT>(WBEM_E_LOCAL_CREDENTIALS));
  CHECK(!services);
  CHECK(!message.empty());
  CHECK(A(message).find("s3cr3t") == std::string::npos);
  CHECK(A(message).find("someone") == std::string::npos);
  // The same through the hooks (the per-connection path).
  auto hooks = win::MakeCallHooks(o, win::CallPolicy{});
  CHECK(hooks);
  message.clear();
  CHECK_EQ(hooks->Connect(services.put(), &message), static_cast<HRESULT>(WBEM_E_LOCAL_CREDENTIALS));
  CHECK(A(message).find("s3cr3t") == std::string::npos);
}

WP_TEST("windows: in-process sink security hands the server our own sink") {
  Mta mta;
  client::ConnectOptions o = WmiOptions("root\\cimv2");
  win::CallPolicy policy;
  policy.sinkSecurity = win::SinkSecurity::kInProcess;
  auto hooks = win::MakeCallHooks(o, policy);
  ComPtr<IWbemServices> services;
  OleString message;
  CHECK_EQ(hooks->Connect(services.put(), &message), static_cast<HRESULT>(S_OK));
  CHECK_EQ(hooks->Prepare(services.get(), &message), static_cast<HRESULT>(S_OK));
  auto sink = NewSink();
  ComPtr<IWbemObjectSink> wrapped;
  CHECK_EQ(hooks->WrapSink(sink.get(), wrapped.put(), &message), static_cast<HRESULT>(S_OK));
  CHECK(wrapped.get() == static_cast<IWbemObjectSink*>(sink.get()));
  CHECK_EQ(sink->refs.load(), 2u);
  CHECK(!hooks->Semisync(client::OpKind::kPutInstance));

  // Results through the sink's Indicate path. (Wine implements ExecQueryAsync
  // with a real sink; its CreateInstanceEnumAsync/GetObjectAsync are stubs.)
  Bstr wql{OLESTR("WQL")};
  Bstr query{OLESTR("SELECT * FROM Win32_OperatingSystem")};
  CHECK_EQ(services->ExecQueryAsync(wql.get(), query.get(), 0, nullptr, wrapped.get()),
           static_cast<HRESULT>(S_OK));
  auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  for (;;) {
    {
      std::lock_guard<std::mutex> lock(sink->mu);
      if (sink->completions) break;
    }
    CHECK(std::chrono::steady_clock::now() < until);
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  std::lock_guard<std::mutex> lock(sink->mu);
  CHECK_EQ(sink->status, static_cast<HRESULT>(WBEM_S_NO_ERROR));
  CHECK_EQ(sink->completions, 1);
  CHECK_EQ(sink->objects.size(), 1u);
  Variant cls;
  CHECK_EQ(sink->objects[0]->Get(OLESTR("__CLASS"), 0, cls.put(), nullptr, nullptr), static_cast<HRESULT>(S_OK));
  CHECK_EQ(cls.vt(), static_cast<VARTYPE>(VT_BSTR));
  CHECK_EQ(A(wmiput::com::ToOleString(cls.get()->bstrVal)), std::string("Win32_OperatingSystem"));
}

WP_TEST("windows: unsecapp-check-access wraps the sink in a stub (Wine has no Unsecapp: a clear error)") {
  Mta mta;
  client::ConnectOptions o;  // the embedded backend; the policy is explicit
  win::CallPolicy policy;
  policy.sinkSecurity = win::SinkSecurity::kUnsecappCheckAccess;
  auto hooks = win::MakeCallHooks(o, policy);
  ComPtr<IWbemServices> services;
  CHECK_EQ(wmiput::embedded::ConnectServer(wmiput::embedded::NewRepository(), OLESTR("root\\cimv2"),
                                           services.put()),
           static_cast<HRESULT>(S_OK));
  OleString message;
  HRESULT hr = hooks->Prepare(services.get(), &message);
  if (RunningUnderWine()) {
    CHECK_EQ(hr, static_cast<HRESULT>(REGDB_E_CLASSNOTREG));
    CHECK(A(message).find("unsecapp-check-access") != std::string::npos);
    CHECK(A(message).find("semisync") != std::string::npos);
  } else {
    CHECK_EQ(hr, static_cast<HRESULT>(S_OK));
    auto sink = NewSink();
    ComPtr<IWbemObjectSink> stub;
    CHECK_EQ(hooks->WrapSink(sink.get(), stub.put(), &message), static_cast<HRESULT>(S_OK));
    CHECK(stub);
    CHECK(stub.get() != static_cast<IWbemObjectSink*>(sink.get()));
  }
  hooks->Shutdown();
}

WP_TEST("windows: semisync put/get/enumerate/delete deliver the async results (embedded server)") {
  Mta mta;
  client::ConnectOptions o;
  win::CallPolicy policy;
  policy.callMode = win::CallMode::kSemisync;
  auto hooks = win::MakeCallHooks(o, policy);
  CHECK(hooks->Semisync(client::OpKind::kPutInstance));
  CHECK(hooks->Semisync(client::OpKind::kEnumInstances));
  ComPtr<IWbemServices> services;
  CHECK_EQ(wmiput::embedded::ConnectServer(wmiput::embedded::NewRepository(), OLESTR("root\\cimv2"),
                                           services.put()),
           static_cast<HRESULT>(S_OK));
  OleString message;
  CHECK_EQ(hooks->Prepare(services.get(), &message), static_cast<HRESULT>(S_OK));

  // A class with a string key.
  ComPtr<IWbemClassObject> cls;
  CHECK_EQ(services->GetObject(nullptr, 0, nullptr, cls.put(), nullptr), static_cast<HRESULT>(S_OK));
  Variant className = Variant::FromBstr(OLESTR("WinTest_Item"));
  CHECK_EQ(cls->Put(OLESTR("__CLASS"), 0, className.get(), 0), static_cast<HRESULT>(S_OK));
  CHECK_EQ(cls->Put(OLESTR("Name"), 0, nullptr, CIM_STRING), static_cast<HRESULT>(S_OK));
  ComPtr<IWbemQualifierSet> quals;
  CHECK_EQ(cls->GetPropertyQualifierSet(OLESTR("Name"), quals.put()), static_cast<HRESULT>(S_OK));
  Variant yes = Variant::FromBool(true);
  CHECK_EQ(quals->Put(OLESTR("key"), yes.get(), 0), static_cast<HRESULT>(S_OK));

  client::OpRequest putClass;
  putClass.kind = client::OpKind::kPutClass;
  putClass.flags = WBEM_FLAG_CREATE_ONLY;
  auto s1 = NewSink();
  CHECK_EQ(hooks->StartSemisync(services.get(), putClass, cls.get(), nullptr, s1.get()),
           static_cast<HRESULT>(S_OK));
  Drain(*hooks);
  CHECK_EQ(s1->completions, 1);
  CHECK_EQ(s1->status, static_cast<HRESULT>(WBEM_S_NO_ERROR));

  // An instance: the path comes back as the async SetStatus strParam would.
  ComPtr<IWbemClassObject> defined, inst;
  Bstr name{OLESTR("WinTest_Item")};
  CHECK_EQ(services->GetObject(name.get(), 0, nullptr, defined.put(), nullptr), static_cast<HRESULT>(S_OK));
  CHECK_EQ(defined->SpawnInstance(0, inst.put()), static_cast<HRESULT>(S_OK));
  Variant a = Variant::FromBstr(OLESTR("a"));
  CHECK_EQ(inst->Put(OLESTR("Name"), 0, a.get(), 0), static_cast<HRESULT>(S_OK));
  client::OpRequest putInst;
  putInst.kind = client::OpKind::kPutInstance;
  putInst.flags = WBEM_FLAG_CREATE_ONLY;
  auto s2 = NewSink();
  CHECK_EQ(hooks->StartSemisync(services.get(), putInst, inst.get(), nullptr, s2.get()),
           static_cast<HRESULT>(S_OK));
  Drain(*hooks);
  CHECK_EQ(s2->completions, 1);
  CHECK_EQ(s2->status, static_cast<HRESULT>(WBEM_S_NO_ERROR));
  CHECK(s2->hasParam);
  CHECK_EQ(A(s2->param), std::string("WinTest_Item.Name=\"a\""));

  // Create-only again: the server's error, not the transport's.
  auto s3 = NewSink();
  CHECK_EQ(hooks->StartSemisync(services.get(), putInst, inst.get(), nullptr, s3.get()),
           static_cast<HRESULT>(S_OK));
  Drain(*hooks);
  CHECK_EQ(s3->completions, 1);
  CHECK_EQ(s3->status, static_cast<HRESULT>(WBEM_E_ALREADY_EXISTS));

  // GetObject: the object through Indicate, then the status.
  client::OpRequest get;
  get.kind = client::OpKind::kGetObject;
  get.path = OLESTR("WinTest_Item.Name=\"a\"");
  auto s4 = NewSink();
  CHECK_EQ(hooks->StartSemisync(services.get(), get, nullptr, nullptr, s4.get()), static_cast<HRESULT>(S_OK));
  Drain(*hooks);
  CHECK_EQ(s4->status, static_cast<HRESULT>(WBEM_S_NO_ERROR));
  CHECK_EQ(s4->objects.size(), 1u);

  // A second instance, then enumerate both.
  Variant b = Variant::FromBstr(OLESTR("b"));
  CHECK_EQ(inst->Put(OLESTR("Name"), 0, b.get(), 0), static_cast<HRESULT>(S_OK));
  auto s5 = NewSink();
  CHECK_EQ(hooks->StartSemisync(services.get(), putInst, inst.get(), nullptr, s5.get()),
           static_cast<HRESULT>(S_OK));
  Drain(*hooks);
  CHECK_EQ(s5->status, static_cast<HRESULT>(WBEM_S_NO_ERROR));
  client::OpRequest enumerate;
  enumerate.kind = client::OpKind::kEnumInstances;
  enumerate.className = OLESTR("WinTest_Item");
  auto s6 = NewSink();
  CHECK_EQ(hooks->StartSemisync(services.get(), enumerate, nullptr, nullptr, s6.get()),
           static_cast<HRESULT>(S_OK));
  Drain(*hooks);
  CHECK_EQ(s6->completions, 1);
  CHECK_EQ(s6->status, static_cast<HRESULT>(WBEM_S_NO_ERROR));
  CHECK_EQ(s6->objects.size(), 2u);

  // Delete, then the instance is gone.
  client::OpRequest del;
  del.kind = client::OpKind::kDeleteInstance;
  del.path = OLESTR("WinTest_Item.Name=\"a\"");
  auto s7 = NewSink();
  CHECK_EQ(hooks->StartSemisync(services.get(), del, nullptr, nullptr, s7.get()), static_cast<HRESULT>(S_OK));
  Drain(*hooks);
  CHECK_EQ(s7->status, static_cast<HRESULT>(WBEM_S_NO_ERROR));
  auto s8 = NewSink();
  CHECK_EQ(hooks->StartSemisync(services.get(), get, nullptr, nullptr, s8.get()), static_cast<HRESULT>(S_OK));
  Drain(*hooks);
  CHECK_EQ(s8->status, static_cast<HRESULT>(WBEM_E_NOT_FOUND));
  CHECK_EQ(s8->objects.size(), 0u);

  // Forget: the call is dropped, its sink never hears from it.
  auto s9 = NewSink();
  CHECK_EQ(hooks->StartSemisync(services.get(), get, nullptr, nullptr, s9.get()), static_cast<HRESULT>(S_OK));
  CHECK(hooks->Forget(s9.get()));
  CHECK(!hooks->Forget(s9.get()));
  Drain(*hooks);
  CHECK_EQ(s9->completions, 0);
  CHECK_EQ(s9->refs.load(), 1u);
  hooks->Shutdown();
}

WP_TEST("windows: semisync PutInstance against the host's WMI returns its synchronous failure") {
  // Wine's wbemprox implements PutInstance as a stub that fails at once; on
  // Windows the call starts and this test is about Wine only.
  if (!RunningUnderWine()) return;
  Mta mta;
  client::ConnectOptions o = WmiOptions("root\\cimv2");
  win::CallPolicy policy;
  policy.callMode = win::CallMode::kSemisync;
  auto hooks = win::MakeCallHooks(o, policy);
  ComPtr<IWbemServices> services;
  OleString message;
  CHECK_EQ(hooks->Connect(services.put(), &message), static_cast<HRESULT>(S_OK));
  ComPtr<IWbemClassObject> cls, inst;
  Bstr name{OLESTR("Win32_OperatingSystem")};
  CHECK_EQ(services->GetObject(name.get(), 0, nullptr, cls.put(), nullptr), static_cast<HRESULT>(S_OK));
  CHECK_EQ(cls->SpawnInstance(0, inst.put()), static_cast<HRESULT>(S_OK));
  client::OpRequest put;
  put.kind = client::OpKind::kPutInstance;
  auto sink = NewSink();
  CHECK_EQ(hooks->StartSemisync(services.get(), put, inst.get(), nullptr, sink.get()),
           static_cast<HRESULT>(WBEM_E_FAILED));
  CHECK_EQ(hooks->Poll(), 0u);
  CHECK_EQ(sink->completions, 0);
  CHECK_EQ(sink->refs.load(), 1u);
  hooks->Shutdown();
}

#endif  // _WIN32
