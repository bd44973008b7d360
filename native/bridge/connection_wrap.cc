// Connections as opaque JS handles. Completions reach JS through one
// thread-safe function per connection used only as a doorbell: the client
// rings it when its queue goes from empty to non-empty (or per event when
// perEventDelivery is set), and JS then pulls batches with drain().
#include "bridge/connection_wrap.h"

#include <memory>
#include <mutex>

#include "bridge/env_state.h"
#include "bridge/repository_wrap.h"
#include "bridge/strings.h"
#include "bridge/values.h"
#include "client/api.h"

namespace wmiput::bridge {
namespace {

// The thread-safe function behind the doorbell, nulled (under the mutex)
// before it is released so that a late ring is a no-op.
struct Bell {
  std::mutex mutex;
  napi_threadsafe_function tsfn = nullptr;

  // Thread: any (client worker, executor or RPC thread).
  void Ring() noexcept {
    std::lock_guard<std::mutex> lock(mutex);
    if (tsfn) napi_call_threadsafe_function(tsfn, nullptr, napi_tsfn_nonblocking);
  }
};

class ConnectionWrap {
 public:
  ConnectionWrap(napi_env env, std::shared_ptr<Bell> bell, Reaper* reaper)
      : env_(env), bell_(std::move(bell)), reaper_(reaper) {
    napi_add_env_cleanup_hook(env_, &ConnectionWrap::OnEnvCleanup, this);
  }

  // Thread: JS (GC finalizer or env teardown).
  ~ConnectionWrap() {
    if (!envGone_) napi_remove_env_cleanup_hook(env_, &ConnectionWrap::OnEnvCleanup, this);
    Shutdown();
    // The client is closed; what is left is letting go of it, which may be
    // the last reference to a big repository: off the JS thread.
    if (reaper_) reaper_->Release(std::move(connection));
  }

  std::shared_ptr<client::Connection> connection;
  // Thread: JS. Reused by every drain: a fresh vector per call reserved up to
  // 4096 completions (about 1.3 MB) and made malloc map, consolidate and
  // unmap memory on the JS thread each time.
  std::vector<client::Completion> drained;

  // Thread: JS. Keeps the event loop alive exactly while operations
  // (including the connect) are outstanding.
  void AddPending(size_t n) {
    pending_ += n;
    UpdateRef();
  }
  void RemovePending(size_t n) {
    pending_ = n > pending_ ? 0 : pending_ - n;
    UpdateRef();
  }

  // Thread: JS. Closes the client (cancelling what is in flight) and
  // silences the doorbell. Completions stay drainable.
  void Shutdown() {
    if (connection) connection->Close();
    napi_threadsafe_function tsfn = nullptr;
    {
      std::lock_guard<std::mutex> lock(bell_->mutex);
      tsfn = bell_->tsfn;
      bell_->tsfn = nullptr;
    }
    if (tsfn && !envGone_) napi_release_threadsafe_function(tsfn, napi_tsfn_abort);
    refed_ = false;
  }

  bool closed() const { return closed_; }
  void MarkClosed() { closed_ = true; }

 private:
  void UpdateRef() {
    // refed_ is JS-thread state: decide before taking the bell's mutex, which
    // a server thread may hold (ringing) while it is preempted.
    const bool want = pending_ > 0;
    if (want == refed_) return;
    std::lock_guard<std::mutex> lock(bell_->mutex);
    if (!bell_->tsfn) return;
    if (want) {
      napi_ref_threadsafe_function(env_, bell_->tsfn);
    } else {
      napi_unref_threadsafe_function(env_, bell_->tsfn);
    }
    refed_ = want;
  }

  // Thread: JS (env teardown: process exit or worker termination). Runs
  // before the TSFN's own cleanup because it was registered after it.
  static void OnEnvCleanup(void* arg) {
    auto* self = static_cast<ConnectionWrap*>(arg);
    self->Shutdown();
    self->envGone_ = true;
  }

  napi_env env_;
  std::shared_ptr<Bell> bell_;
  Reaper* reaper_;  // the env's (EnvState outlives every wrap of its env)
  size_t pending_ = 0;
  bool refed_ = false;
  bool closed_ = false;
  bool envGone_ = false;
};

ConnectionWrap* Unwrap(const Napi::CallbackInfo& info) {
  if (info.Length() < 1 || !info[0].IsExternal()) {
    throw Napi::TypeError::New(info.Env(), "expected a connection handle");
  }
  return info[0].As<Napi::External<ConnectionWrap>>().Data();
}

com::OleString OptString(Napi::Object options, const char* name) {
  Napi::Value v = options.Get(name);
  return v.IsString() ? ToOle(v) : com::OleString();
}

}  // namespace

Napi::Value OpenConnection(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 2 || !info[0].IsObject() || !info[1].IsFunction()) {
    throw Napi::TypeError::New(env, "open(options, onReady) expects an object and a function");
  }
  Napi::Object options = info[0].As<Napi::Object>();
  client::ConnectOptions opts;
  com::OleString backend = OptString(options, "backend");
  if (backend == OLESTR("wmi")) {
    opts.backend = client::Backend::kWmi;
  } else if (backend == OLESTR("embedded")) {
    opts.backend = client::Backend::kEmbedded;
  } else {
    throw Napi::TypeError::New(env, "backend must be 'embedded' or 'wmi'");
  }
  opts.nameSpace = OptString(options, "namespace");
  opts.repository = RepositoryFromHandle(env, options.Get("repository"));
  opts.perEventDelivery = options.Get("perEventDelivery").ToBoolean().Value();
  opts.server = OptString(options, "server");
  opts.user = OptString(options, "user");
  opts.password = OptString(options, "password");
  opts.locale = OptString(options, "locale");
  opts.authority = OptString(options, "authority");
  com::OleString sinkSecurity = OptString(options, "sinkSecurity");
  if (sinkSecurity.empty()) {
    opts.callPolicy.sinkSecurity = windows::SinkSecurity::kAuto;
  } else if (sinkSecurity == OLESTR("in-process")) {
    opts.callPolicy.sinkSecurity = windows::SinkSecurity::kInProcess;
  } else if (sinkSecurity == OLESTR("unsecapp-check-access")) {
    opts.callPolicy.sinkSecurity = windows::SinkSecurity::kUnsecappCheckAccess;
  } else {
    throw Napi::TypeError::New(env, "sinkSecurity must be 'in-process' or 'unsecapp-check-access'");
  }
  com::OleString callMode = OptString(options, "callMode");
  if (callMode.empty() || callMode == OLESTR("async")) {
    opts.callPolicy.callMode = windows::CallMode::kAsync;
  } else if (callMode == OLESTR("semisync")) {
    opts.callPolicy.callMode = windows::CallMode::kSemisync;
  } else {
    throw Napi::TypeError::New(env, "callMode must be 'async' or 'semisync'");
  }

  auto bell = std::make_shared<Bell>();
  napi_value name = Napi::String::New(env, "wmi-put doorbell");
  NAPI_THROW_IF_FAILED(env,
      napi_create_threadsafe_function(env, info[1], nullptr, name, 0, 1,
                                      nullptr, nullptr, nullptr, nullptr,
                                      &bell->tsfn),
      env.Undefined());
  napi_unref_threadsafe_function(env, bell->tsfn);

  auto* wrap = new ConnectionWrap(env, bell, &StateOf(env).reaper);
  auto handle = Napi::External<ConnectionWrap>::New(
      env, wrap, [](Napi::Env, ConnectionWrap* w) { delete w; });
  // Thread: any. Must not block: Bell::Ring only takes a short mutex.
  wrap->connection = client::Connection::Open(std::move(opts), [bell] { bell->Ring(); });
  wrap->AddPending(1);  // the connect outcome (completion 0)
  return handle;
}

Napi::Value SubmitOps(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ConnectionWrap* wrap = Unwrap(info);
  if (wrap->closed()) throw Napi::Error::New(env, "the connection is closed");
  if (info.Length() < 2 || !info[1].IsArray()) {
    throw Napi::TypeError::New(env, "submit(connection, ops) expects an array");
  }
  EnvState& state = StateOf(env);
  Keys& k = state.keys;
  napi_value ops = info[1];
  uint32_t count = 0;
  napi_get_array_length(env, ops, &count);

  std::vector<client::OpRequest> requests;
  requests.reserve(count);
  Napi::Array errors;
  uint32_t errorCount = 0;
  for (uint32_t i = 0; i < count; ++i) {
    Napi::Value item = Napi::Array(env, ops).Get(i);
    if (!item.IsObject()) throw Napi::TypeError::New(env, "each op must be an object");
    Napi::Object op = item.As<Napi::Object>();
    client::OpRequest req;
    req.id = op.Get(k.id).As<Napi::Number>().Uint32Value();
    req.kind = static_cast<client::OpKind>(op.Get(k.kind).As<Napi::Number>().Uint32Value());
    req.flags = static_cast<long>(op.Get(k.flags).As<Napi::Number>().Int64Value());
    Napi::Value v = op.Get(k.className);
    if (v.IsString()) req.className = ToOle(v);
    // path and deep mean something to these kinds only (the client ignores
    // them otherwise): not reading them saves two lookups per put.
    if (req.kind == client::OpKind::kGetObject || req.kind == client::OpKind::kDeleteInstance) {
      v = op.Get(k.path);
      if (v.IsString()) req.path = ToOle(v);
    }
    if (req.kind == client::OpKind::kEnumInstances || req.kind == client::OpKind::kEnumClasses) {
      v = op.Get(k.deep);
      req.deep = v.IsBoolean() ? v.As<Napi::Boolean>().Value() : true;
    }

    ConvertError err;
    bool ok = ToNamedValues(state, env, op.Get(k.properties), &req.properties, &err);
    if (ok) {
      ok = ToNamedValues(state, env, op.Get(k.context), &req.context, &err);
      if (!ok && err.hr == static_cast<HRESULT>(WBEM_E_TYPE_MISMATCH)) err.hr = WBEM_E_INVALID_PARAMETER;
    }
    if (ok) {
      Napi::Value spec = op.Get(k.classSpec);
      if (spec.IsObject()) {
        auto cls = std::make_shared<client::ClassSpec>();
        ok = ToClassSpec(state, env, spec, cls.get(), &err);
        req.classSpec = std::move(cls);
      }
    }
    if (!ok) {
      if (errorCount == 0) errors = Napi::Array::New(env);
      Napi::Object e = Napi::Object::New(env);
      e.Set("id", Napi::Number::New(env, req.id));
      e.Set("hresult", Napi::Number::New(env, static_cast<uint32_t>(err.hr)));
      e.Set("property", FromOleOrNull(env, err.property));
      e.Set("message", Napi::String::New(env, err.message));
      errors.Set(errorCount++, e);
      continue;
    }
    requests.push_back(std::move(req));
  }
  if (!requests.empty()) {
    wrap->AddPending(requests.size());
    wrap->connection->Submit(std::move(requests));
  }
  return errorCount ? Napi::Value(errors) : env.Null();
}

Napi::Value CancelOp(const Napi::CallbackInfo& info) {
  ConnectionWrap* wrap = Unwrap(info);
  if (info.Length() < 2 || !info[1].IsNumber()) {
    throw Napi::TypeError::New(info.Env(), "cancel(connection, id) expects a number");
  }
  if (!wrap->closed()) wrap->connection->Cancel(info[1].As<Napi::Number>().Uint32Value());
  return info.Env().Undefined();
}

Napi::Value DrainCompletions(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ConnectionWrap* wrap = Unwrap(info);
  EnvState& state = StateOf(env);
  size_t max = 4096;
  if (info.Length() > 1 && info[1].IsNumber()) {
    max = info[1].As<Napi::Number>().Uint32Value();
  }
  // Borrowed (swapped out and back) so that a re-entrant drain from a JS
  // hook called below cannot touch the vector being read.
  std::vector<client::Completion> batch;
  batch.swap(wrap->drained);
  batch.clear();
  const size_t remaining = wrap->connection->Drain(&batch, max);

  napi_value records = nullptr;
  NAPI_THROW_IF_FAILED(env, napi_create_array_with_length(env, batch.size() * 4, &records),
                       env.Undefined());
  napi_value null = env.Null();
  // Raw element writes: the record slots are plain data (no setters), and a
  // failure here can only be a pending exception, checked once at the end.
  auto set = [&](uint32_t slot, napi_value v) { napi_set_element(env, records, slot, v); };
  auto number = [&](uint32_t n) {
    napi_value v = nullptr;
    napi_create_uint32(env, n, &v);
    return v;
  };
  size_t done = 0;
  uint32_t slot = 0;
  for (const client::Completion& c : batch) {
    set(slot++, number(c.id));
    set(slot++, number(static_cast<uint32_t>(c.hr)));
    if (c.strParam.empty()) {
      set(slot++, null);
    } else {
      napi_value str = nullptr;
      napi_create_string_utf16(env, reinterpret_cast<const char16_t*>(c.strParam.data()),
                               c.strParam.size(), &str);
      set(slot++, str);
    }
    const bool plain = c.type == client::Completion::Type::kDone &&
                       !c.extended.present && c.property.empty() &&
                       c.message.empty() && c.objects.empty();
    if (plain) {
      set(slot++, null);
    } else {
      Napi::Object extra = Napi::Object::New(env);
      extra.Set("type", Napi::Number::New(env, static_cast<int>(c.type)));
      if (c.extended.present) {
        Napi::Object ext = Napi::Object::New(env);
        ext.Set("description", FromOle(env, c.extended.description));
        ext.Set("operation", FromOle(env, c.extended.operation));
        ext.Set("parameterInfo", FromOle(env, c.extended.parameterInfo));
        ext.Set("providerName", FromOle(env, c.extended.providerName));
        ext.Set("statusCode", Napi::Number::New(env, c.extended.statusCode));
        extra.Set("extended", ext);
      } else {
        extra.Set("extended", env.Null());
      }
      extra.Set("property", FromOleOrNull(env, c.property));
      extra.Set("message", FromOleOrNull(env, c.message));
      if (c.objects.empty()) {
        extra.Set("objects", env.Null());
      } else {
        Napi::Array objects = Napi::Array::New(env, c.objects.size());
        for (size_t i = 0; i < c.objects.size(); ++i) {
          objects.Set(static_cast<uint32_t>(i), FromObjectRecord(state, env, c.objects[i]));
        }
        extra.Set("objects", objects);
      }
      extra.Set("progressTotal", Napi::Number::New(env, c.progressTotal));
      extra.Set("progressCurrent", Napi::Number::New(env, c.progressCurrent));
      extra.Set("progressMessage", FromOleOrNull(env, c.progressMessage));
      set(slot++, extra);
    }
    if (c.type == client::Completion::Type::kDone) ++done;
  }
  // The strings were copied into JS; free them now, keep the capacity.
  batch.clear();
  if (batch.capacity() <= 4096) wrap->drained.swap(batch);
  wrap->RemovePending(done);
  bool pending = false;
  napi_is_exception_pending(env, &pending);
  if (pending) return env.Undefined();
  Napi::Object result = Napi::Object::New(env);
  result.Set("remaining", Napi::Number::New(env, static_cast<double>(remaining)));
  result.Set("records", records);
  return result;
}

Napi::Value CloseConnection(const Napi::CallbackInfo& info) {
  ConnectionWrap* wrap = Unwrap(info);
  if (!wrap->closed()) {
    wrap->MarkClosed();
    wrap->Shutdown();
  }
  return info.Env().Undefined();
}

}  // namespace wmiput::bridge
