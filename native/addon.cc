// Module initialisation: one Addon instance per env (main thread or worker),
// holding that env's state; the exports are exactly binding.d.ts' Binding.
#include <napi.h>

#include "bridge/connection_wrap.h"
#include "bridge/env_state.h"
#include "bridge/repository_wrap.h"

namespace wmiput::bridge {

class Addon : public Napi::Addon<Addon> {
 public:
  // Thread: JS.
  Addon(Napi::Env env, Napi::Object exports) {
    state_.keys.Init(env, &state_.keyStore);
    DefineAddon(exports, {
        InstanceMethod("setup", &Addon::Setup, napi_enumerable),
        Function(env, "open", &OpenConnection),
        Function(env, "submit", &SubmitOps),
        Function(env, "cancel", &CancelOp),
        Function(env, "drain", &DrainCompletions),
        Function(env, "close", &CloseConnection),
        Function(env, "createRepository", &CreateRepository),
        Function(env, "closeRepository", &CloseRepository),
        Function(env, "controlRepository", &ControlRepository),
        Function(env, "counters", &Counters),
        Function(env, "statusTable", &StatusTable),
    });
  }

  EnvState& state() { return state_; }

 private:
  static AddonProp Function(Napi::Env env, const char* name,
                            Napi::Value (*cb)(const Napi::CallbackInfo&)) {
    return InstanceValue(name, Napi::Function::New(env, cb, name),
                         napi_enumerable);
  }

  // Thread: JS. Takes the classes and factories of lib/datetime.ts.
  Napi::Value Setup(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (info.Length() < 1 || !info[0].IsObject()) {
      throw Napi::TypeError::New(env, "setup(hooks) expects an object");
    }
    Napi::Object hooks = info[0].As<Napi::Object>();
    auto fn = [&](const char* name) {
      Napi::Value v = hooks.Get(name);
      if (!v.IsFunction()) {
        throw Napi::TypeError::New(env, std::string("setup: ") + name + " must be a function");
      }
      return Napi::Persistent(v.As<Napi::Function>());
    };
    state_.dateTimeClass = fn("dateTimeClass");
    state_.intervalClass = fn("intervalClass");
    state_.makeDateTime = fn("makeDateTime");
    state_.makeInterval = fn("makeInterval");
    state_.ready = true;
    return env.Undefined();
  }

  EnvState state_;
};

EnvState& StateOf(Napi::Env env) {
  EnvState& state = env.GetInstanceData<Addon>()->state();
  state.keys.Load(env, state.keyStore);
  return state;
}

}  // namespace wmiput::bridge

using WmiPutAddon = wmiput::bridge::Addon;
NODE_API_ADDON(WmiPutAddon)
