// Per-environment state of the addon (one per main thread / worker thread):
// the JS hooks handed over by setup() and cached property keys. Each
// connection registers its own env cleanup hook (connection_wrap.cc).
// Thread: JS only.
#pragma once

#include <napi.h>

namespace wmiput::bridge {

// Property keys read on every submit, created once per env.
struct Keys {
  Napi::Reference<Napi::String> id, kind, flags, className, path, properties,
      classSpec, context, deep, name, superclass, qualifiers, methods, type,
      key, refClass, objectClass, hasDefault, defaultValue, value, flavor,
      returnType, parameters, in, out, propagated, cls;
  void Init(Napi::Env env);
};

struct EnvState {
  Napi::FunctionReference dateTimeClass;
  Napi::FunctionReference intervalClass;
  Napi::FunctionReference makeDateTime;
  Napi::FunctionReference makeInterval;
  Keys keys;
  bool ready = false;  // setup() was called
};

// The EnvState of `env` (the addon's instance data).
EnvState& StateOf(Napi::Env env);

}  // namespace wmiput::bridge
