// Per-env state: property keys created once per env. Thread: JS.
#include "bridge/env_state.h"

namespace wmiput::bridge {

namespace {
Napi::Reference<Napi::String> Key(Napi::Env env, const char* name) {
  return Napi::Persistent(Napi::String::New(env, name));
}
}  // namespace

void Keys::Init(Napi::Env env) {
  id = Key(env, "id");
  kind = Key(env, "kind");
  flags = Key(env, "flags");
  className = Key(env, "className");
  path = Key(env, "path");
  properties = Key(env, "properties");
  classSpec = Key(env, "classSpec");
  context = Key(env, "context");
  deep = Key(env, "deep");
  name = Key(env, "name");
  superclass = Key(env, "superclass");
  qualifiers = Key(env, "qualifiers");
  methods = Key(env, "methods");
  type = Key(env, "type");
  key = Key(env, "key");
  refClass = Key(env, "refClass");
  objectClass = Key(env, "objectClass");
  hasDefault = Key(env, "hasDefault");
  defaultValue = Key(env, "defaultValue");
  value = Key(env, "value");
  flavor = Key(env, "flavor");
  returnType = Key(env, "returnType");
  parameters = Key(env, "parameters");
  in = Key(env, "in");
  out = Key(env, "out");
  propagated = Key(env, "propagated");
  cls = Key(env, "__CLASS");
}

}  // namespace wmiput::bridge
