// The JS face of a client::Connection: open/submit/cancel/drain/close, the
// thread-safe-function doorbell and its keep-alive accounting.
#pragma once

#include <napi.h>

namespace wmiput::bridge {

// Thread: JS (all of them).
Napi::Value OpenConnection(const Napi::CallbackInfo& info);
Napi::Value SubmitOps(const Napi::CallbackInfo& info);
Napi::Value CancelOp(const Napi::CallbackInfo& info);
Napi::Value DrainCompletions(const Napi::CallbackInfo& info);
Napi::Value CloseConnection(const Napi::CallbackInfo& info);

}  // namespace wmiput::bridge
