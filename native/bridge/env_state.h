// Per-environment state of the addon (one per main thread / worker thread):
// the JS hooks handed over by setup() and cached property keys. Each
// connection registers its own env cleanup hook (connection_wrap.cc).
// Thread: JS only.
#pragma once

#include <napi.h>

#include "bridge/reaper.h"

namespace wmiput::bridge {

// Property-name keys, created once per env and kept in an array (Node-API 8
// cannot hold references to strings); StateOf() loads them into these
// napi_values, which are valid for the current callback only.
struct Keys {
  napi_value id, kind, flags, className, path, properties,
      classSpec, context, deep, name, superclass, qualifiers, methods, type,
      key, refClass, objectClass, hasDefault, defaultValue, value, flavor,
      returnType, parameters, in, out, propagated, cls;
  void Init(Napi::Env env, Napi::ObjectReference* store);
  void Load(Napi::Env env, const Napi::ObjectReference& store);
};

struct EnvState {
  Napi::FunctionReference dateTimeClass;
  Napi::FunctionReference intervalClass;
  Napi::FunctionReference makeDateTime;
  Napi::FunctionReference makeInterval;
  Keys keys;
  Napi::ObjectReference keyStore;
  bool ready = false;  // setup() was called
  // Last releases of connections and repositories collected by the GC.
  // Declared last: destroyed (joined) first, while the rest is still there.
  Reaper reaper;
};

// The EnvState of `env` (the addon's instance data), keys loaded.
EnvState& StateOf(Napi::Env env);

}  // namespace wmiput::bridge
