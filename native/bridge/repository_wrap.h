// Embedded repositories as JS handles, their test controls, the live
// counters and the status table.
#pragma once

#include <napi.h>

#include "embedded/embedded.h"

namespace wmiput::bridge {

// Thread: JS (all of them).
// createRepository(options?): in memory, or durable at options.path (throws an
// Error with an `hresult` property when the file cannot be opened).
Napi::Value CreateRepository(const Napi::CallbackInfo& info);
// closeRepository(handle): flushes and releases a durable repository's file;
// returns the HRESULT (S_OK for in-memory repositories).
Napi::Value CloseRepository(const Napi::CallbackInfo& info);
Napi::Value ControlRepository(const Napi::CallbackInfo& info);
Napi::Value Counters(const Napi::CallbackInfo& info);
Napi::Value StatusTable(const Napi::CallbackInfo& info);

// The repository behind a handle made by CreateRepository, or null when
// `value` is null/undefined (throws a TypeError for anything else).
embedded::RepositoryPtr RepositoryFromHandle(Napi::Env env, Napi::Value value);

}  // namespace wmiput::bridge
