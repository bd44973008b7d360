// The Windows hooks around a connection's server calls (docs/windows.md):
// connecting to WMI with explicit COM security, wrapping sinks in Unsecapp
// stubs, and the semisynchronous call path. Declared portably; implemented
// only in the Windows build. One object per connection, owned and used only
// by that connection's COM worker thread (which is in the MTA).
#pragma once

#include <cstddef>
#include <memory>

#include "client/api.h"
#include "windows/policy.h"

namespace wmiput::windows {

class CallHooks {
 public:
  virtual ~CallHooks() = default;

  // Thread: COM worker. Backend::kWmi: process COM security (once),
  // IWbemLocator::ConnectServer with the options' server, namespace,
  // credentials, locale and authority (WBEM_FLAG_CONNECT_USE_MAX_WAIT), and the
  // proxy blanket. `message` gets a readable reason on failure (never the
  // credentials).
  virtual HRESULT Connect(IWbemServices** out, com::OleString* message) noexcept = 0;

  // Thread: COM worker. After the services are open (any backend): creates
  // the Unsecapp apartment when the sink security asks for it. A failure
  // fails the connect.
  virtual HRESULT Prepare(IWbemServices* services, com::OleString* message) noexcept = 0;

  // Thread: COM worker. The sink to hand to the server's *Async call and to
  // CancelAsyncCall: `sink` itself or its Unsecapp stub, AddRef'd into *out.
  // Keep it until the operation's final SetStatus (semantics §4.2).
  virtual HRESULT WrapSink(IWbemObjectSink* sink, IWbemObjectSink** out,
                           com::OleString* message) noexcept = 0;

  // Thread: COM worker. True when `kind` must be started with StartSemisync
  // instead of its *Async call.
  virtual bool Semisync(client::OpKind kind) const noexcept = 0;

  // Thread: COM worker. Starts `req` semisynchronously (flags |
  // WBEM_FLAG_RETURN_IMMEDIATELY). Its outcome is later delivered by Poll to
  // `sink` (Indicate for result objects, then SetStatus(COMPLETE, hr, path,
  // error object)), exactly as an async server would. A failure return means
  // the call was not started and `sink` will never be called.
  virtual HRESULT StartSemisync(IWbemServices* services, const client::OpRequest& req,
                                IWbemClassObject* object, IWbemContext* context,
                                IWbemObjectSink* sink) noexcept = 0;

  // Thread: COM worker. Delivers what the pending semisynchronous calls have
  // produced without waiting; returns how many are still pending.
  virtual size_t Poll() noexcept = 0;

  // Thread: COM worker. Stops tracking the semisynchronous call delivering to
  // `sink` (a best-effort cancel: the server may still complete it); true if
  // there was one. The caller completes the operation itself.
  virtual bool Forget(IWbemObjectSink* sink) noexcept = 0;

  // Thread: COM worker. Releases every call result, enumerator and the
  // Unsecapp apartment; call before releasing the services and CoUninitialize.
  virtual void Shutdown() noexcept = 0;
};

#ifdef _WIN32
// Thread: COM worker (after CoInitializeEx). Null only when out of memory.
std::unique_ptr<CallHooks> MakeCallHooks(const client::ConnectOptions& options,
                                         const CallPolicy& policy) noexcept;
#endif

}  // namespace wmiput::windows
