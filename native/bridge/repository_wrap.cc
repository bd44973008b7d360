// Embedded repositories as JS handles, their test controls, the live
// counters and the status table. Thread: JS (all of them).
#include "bridge/repository_wrap.h"

#include "bridge/env_state.h"

#include "client/api.h"
#include "com/status.h"

namespace wmiput::bridge {
namespace {

struct RepositoryHolder {
  embedded::RepositoryPtr repo;
};

}  // namespace

embedded::RepositoryPtr RepositoryFromHandle(Napi::Env env, Napi::Value value) {
  if (value.IsNull() || value.IsUndefined()) return nullptr;
  if (!value.IsExternal()) {
    throw Napi::TypeError::New(env, "expected a repository handle");
  }
  return value.As<Napi::External<RepositoryHolder>>().Data()->repo;
}

Napi::Value CreateRepository(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  embedded::RepositoryPtr repo;
  if (info.Length() > 0 && !info[0].IsUndefined() && !info[0].IsNull()) {
    if (!info[0].IsObject()) throw Napi::TypeError::New(env, "createRepository(options) expects an object");
    Napi::Value path = info[0].As<Napi::Object>().Get("path");
    if (!path.IsUndefined()) {
      if (!path.IsString()) throw Napi::TypeError::New(env, "path must be a string");
      std::string why;
      const HRESULT hr = embedded::OpenRepository(path.As<Napi::String>().Utf8Value(), &repo, &why);
      if (FAILED(hr)) {
        // lib/repository.ts turns this into a WbemError of that HRESULT.
        Napi::Error error = Napi::Error::New(env, why);
        error.Value().Set("hresult", Napi::Number::New(env, static_cast<uint32_t>(hr)));
        throw error;
      }
    }
  }
  if (!repo) repo = embedded::NewRepository();
  auto* holder = new RepositoryHolder{std::move(repo)};
  Reaper* reaper = &StateOf(env).reaper;
  // Thread: JS (GC finalizer or env teardown). The last reference to a big
  // repository is let go on the reaper thread.
  return Napi::External<RepositoryHolder>::New(
      info.Env(), holder, [reaper](Napi::Env, RepositoryHolder* h) {
        reaper->Release(std::move(h->repo));
        delete h;
      });
}

Napi::Value CloseRepository(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  embedded::RepositoryPtr repo = info.Length() > 0 ? RepositoryFromHandle(env, info[0]) : nullptr;
  if (!repo) throw Napi::TypeError::New(env, "closeRepository(repository) expects a repository handle");
  const HRESULT hr = embedded::CloseRepository(*repo);
  return Napi::Number::New(env, static_cast<uint32_t>(hr));
}

Napi::Value ControlRepository(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 2 || !info[1].IsObject()) {
    throw Napi::TypeError::New(env, "controlRepository(repository, controls) expects an object");
  }
  embedded::RepositoryPtr repo = RepositoryFromHandle(env, info[0]);
  if (!repo) repo = embedded::DefaultRepository();
  Napi::Object controls = info[1].As<Napi::Object>();

  Napi::Value delivery = controls.Get("delivery");
  Napi::Value latency = controls.Get("latencyMicros");
  if (delivery.IsString() || latency.IsNumber()) {
    embedded::RepositoryControls c;
    std::string mode = delivery.IsString() ? delivery.As<Napi::String>().Utf8Value() : "pooled";
    if (mode == "pooled") {
      c.delivery = embedded::DeliveryMode::kPooled;
    } else if (mode == "ordered") {
      c.delivery = embedded::DeliveryMode::kOrdered;
    } else if (mode == "chaos") {
      c.delivery = embedded::DeliveryMode::kChaos;
    } else {
      throw Napi::TypeError::New(env, "delivery must be 'pooled', 'ordered' or 'chaos'");
    }
    if (latency.IsNumber()) {
      c.latency = std::chrono::microseconds(latency.As<Napi::Number>().Int64Value());
    }
    embedded::SetControls(*repo, c);
  }
  if (controls.Get("clearFaults").ToBoolean().Value()) embedded::ClearFaults(*repo);
  Napi::Value fault = controls.Get("fault");
  if (fault.IsObject()) {
    Napi::Object f = fault.As<Napi::Object>();
    embedded::Fault spec;
    spec.hr = static_cast<HRESULT>(f.Get("hresult").As<Napi::Number>().Uint32Value());
    spec.count = f.Get("count").As<Napi::Number>().Int32Value();
    Napi::Value when = f.Get("when");
    spec.when = when.IsString() && when.As<Napi::String>().Utf8Value() == "synchronous"
                    ? embedded::FaultWhen::kSynchronous
                    : embedded::FaultWhen::kThroughSink;
    embedded::InjectFault(*repo, spec);
  }
  return env.Undefined();
}

Napi::Value Counters(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const embedded::Counters e = embedded::GetCounters();
  const client::ClientCounters c = client::GetClientCounters();
  Napi::Object out = Napi::Object::New(env);
  out.Set("classObjects", Napi::Number::New(env, static_cast<double>(e.classObjects)));
  out.Set("services", Napi::Number::New(env, static_cast<double>(e.services)));
  out.Set("pendingCalls", Napi::Number::New(env, static_cast<double>(e.pendingCalls)));
  out.Set("contexts", Napi::Number::New(env, static_cast<double>(e.contexts)));
  out.Set("repositories", Napi::Number::New(env, static_cast<double>(e.repositories)));
  out.Set("sinks", Napi::Number::New(env, static_cast<double>(c.sinks)));
  out.Set("operations", Napi::Number::New(env, static_cast<double>(c.operations)));
  out.Set("cachedClasses", Napi::Number::New(env, static_cast<double>(c.cachedClasses)));
  out.Set("connections", Napi::Number::New(env, static_cast<double>(c.connections)));
  return out;
}

Napi::Value StatusTable(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const com::StatusTableView table = com::StatusTable();
  Napi::Array out = Napi::Array::New(env, table.count);
  uint32_t i = 0;
  for (const com::StatusEntry& entry : table) {
    Napi::Array row = Napi::Array::New(env, 3);
    row.Set(0u, Napi::String::New(env, entry.name));
    row.Set(1u, Napi::Number::New(env, entry.value));
    row.Set(2u, Napi::String::New(env, entry.description));
    out.Set(i++, row);
  }
  return out;
}

}  // namespace wmiput::bridge
