// wmi_put_bench_tsfn.node: the Node-API floor for per-event delivery. A native
// thread makes `count` non-blocking napi_call_threadsafe_function calls; the
// thread-safe function's JS-thread callback counts them (and, when a per-call
// function is given, calls it each time, as per-event delivery calls the
// connection's doorbell); after the last one it calls onDone(elapsedNs), the
// time from run() to the last callback.
//
//   run(count: number, onDone: (elapsedNs: number) => void, perCall?: () => void): void
//
// Only bench/trials/tsfnRoundTrip.mjs loads it. Written to build/bench/, never
// build/Release (which holds exactly the one addon node-gyp-build loads).
#include <node_api.h>

#include <chrono>
#include <cstdint>
#include <thread>

namespace {

struct Run {
  napi_threadsafe_function tsfn = nullptr;
  napi_ref perCall = nullptr;
  std::thread producer;
  int64_t count = 0;
  int64_t received = 0;
  std::chrono::steady_clock::time_point start;
};

// Thread: JS.
void ThrowError(napi_env env, const char* message) { napi_throw_type_error(env, nullptr, message); }

// Thread: JS. Runs once per queued call; `js_cb` is onDone.
void CallJs(napi_env env, napi_value js_cb, void* context, void* /*data*/) {
  if (env == nullptr) return;  // teardown: nothing to call, no data to free
  Run* run = static_cast<Run*>(context);
  ++run->received;
  if (run->perCall != nullptr) {
    napi_value fn;
    napi_value undefined;
    if (napi_get_reference_value(env, run->perCall, &fn) == napi_ok &&
        napi_get_undefined(env, &undefined) == napi_ok) {
      napi_call_function(env, undefined, fn, 0, nullptr, nullptr);
    }
  }
  if (run->received != run->count) return;
  const double elapsedNs = static_cast<double>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - run->start)
          .count());
  napi_value arg;
  napi_value undefined;
  if (napi_create_double(env, elapsedNs, &arg) == napi_ok && napi_get_undefined(env, &undefined) == napi_ok) {
    napi_call_function(env, undefined, js_cb, 1, &arg, nullptr);
  }
}

// Thread: JS. After the producer released the function and the queue is empty.
void Finalize(napi_env env, void* finalizeData, void* /*hint*/) {
  Run* run = static_cast<Run*>(finalizeData);
  if (run->producer.joinable()) run->producer.join();
  if (run->perCall != nullptr && env != nullptr) napi_delete_reference(env, run->perCall);
  delete run;
}

// Thread: producer (a plain std::thread).
void Produce(Run* run) {
  for (int64_t i = 0; i < run->count; ++i) {
    // The queue is unbounded, so a non-blocking call only fails when the
    // function is closing (env teardown): stop then.
    if (napi_call_threadsafe_function(run->tsfn, nullptr, napi_tsfn_nonblocking) != napi_ok) break;
  }
  napi_release_threadsafe_function(run->tsfn, napi_tsfn_release);
}

// Thread: JS.
napi_value RunBench(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  if (napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr) != napi_ok) return nullptr;
  if (argc < 2) {
    ThrowError(env, "run(count, onDone, perCall?)");
    return nullptr;
  }
  int64_t count = 0;
  napi_valuetype type;
  if (napi_get_value_int64(env, argv[0], &count) != napi_ok || count < 1) {
    ThrowError(env, "count must be a positive integer");
    return nullptr;
  }
  if (napi_typeof(env, argv[1], &type) != napi_ok || type != napi_function) {
    ThrowError(env, "onDone must be a function");
    return nullptr;
  }
  Run* run = new Run();
  run->count = count;
  if (argc >= 3 && napi_typeof(env, argv[2], &type) == napi_ok && type == napi_function) {
    napi_create_reference(env, argv[2], 1, &run->perCall);
  }
  napi_value name;
  napi_create_string_utf8(env, "wmi_put_bench_tsfn", NAPI_AUTO_LENGTH, &name);
  napi_status status = napi_create_threadsafe_function(env, argv[1], nullptr, name, 0 /* unbounded queue */,
                                                       1 /* the producer */, run, Finalize, run, CallJs,
                                                       &run->tsfn);
  if (status != napi_ok) {
    if (run->perCall != nullptr) napi_delete_reference(env, run->perCall);
    delete run;
    ThrowError(env, "napi_create_threadsafe_function failed");
    return nullptr;
  }
  run->start = std::chrono::steady_clock::now();
  try {
    run->producer = std::thread(Produce, run);
  } catch (...) {
    // No producer: release its reference here; Finalize frees the run.
    napi_release_threadsafe_function(run->tsfn, napi_tsfn_abort);
    ThrowError(env, "cannot start the producer thread");
  }
  return nullptr;
}

// Thread: JS.
napi_value Init(napi_env env, napi_value exports) {
  napi_value fn;
  if (napi_create_function(env, "run", NAPI_AUTO_LENGTH, RunBench, nullptr, &fn) == napi_ok) {
    napi_set_named_property(env, exports, "run", fn);
  }
  return exports;
}

}  // namespace

NAPI_MODULE(wmi_put_bench_tsfn, Init)
