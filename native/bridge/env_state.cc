// Per-env state: property keys created once per env. Thread: JS.
#include "bridge/env_state.h"

#include <iterator>

namespace wmiput::bridge {

namespace {

struct KeyName {
  napi_value Keys::*member;
  const char* name;
};

constexpr KeyName kKeyNames[] = {
    {&Keys::id, "id"},
    {&Keys::kind, "kind"},
    {&Keys::flags, "flags"},
    {&Keys::className, "className"},
    {&Keys::path, "path"},
    {&Keys::properties, "properties"},
    {&Keys::classSpec, "classSpec"},
    {&Keys::context, "context"},
    {&Keys::deep, "deep"},
    {&Keys::name, "name"},
    {&Keys::superclass, "superclass"},
    {&Keys::qualifiers, "qualifiers"},
    {&Keys::methods, "methods"},
    {&Keys::type, "type"},
    {&Keys::key, "key"},
    {&Keys::refClass, "refClass"},
    {&Keys::objectClass, "objectClass"},
    {&Keys::hasDefault, "hasDefault"},
    {&Keys::defaultValue, "defaultValue"},
    {&Keys::value, "value"},
    {&Keys::flavor, "flavor"},
    {&Keys::returnType, "returnType"},
    {&Keys::parameters, "parameters"},
    {&Keys::in, "in"},
    {&Keys::out, "out"},
    {&Keys::propagated, "propagated"},
    {&Keys::cls, "__CLASS"},
};

}  // namespace

void Keys::Init(Napi::Env env, Napi::ObjectReference* store) {
  Napi::Array array = Napi::Array::New(env, std::size(kKeyNames));
  for (uint32_t i = 0; i < std::size(kKeyNames); ++i) {
    array.Set(i, Napi::String::New(env, kKeyNames[i].name));
  }
  *store = Napi::Persistent(array.As<Napi::Object>());
  Load(env, *store);
}

void Keys::Load(Napi::Env env, const Napi::ObjectReference& store) {
  napi_value array = store.Value();
  for (uint32_t i = 0; i < std::size(kKeyNames); ++i) {
    napi_get_element(env, array, i, &(this->*kKeyNames[i].member));
  }
}

}  // namespace wmiput::bridge
