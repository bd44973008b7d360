// wmi_put_bench_native: the floor for the JS benchmarks. The same puts that
// bench/trials/putMany.mjs issues through the addon, issued here straight at
// the embedded server with no JavaScript and no client layer: one class with
// the five benchmark properties, then N x (SpawnInstance from the cached class,
// five Puts, PutInstanceAsync with its own sink), at most `window` in flight.
//
// Usage: wmi_put_bench_native [count=1000000] [window=256]
// Prints one JSON line: {"opsPerSec","count","window","failures","elapsedMs",
// "cpuUsPerOp" (process CPU time over all threads per put)}.
// Exit status 1 when any put fails (the first failure is named on stderr).
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <mutex>
#include <new>
#include <string>

#include "com/com.h"
#include "com/raii.h"
#include "com/status.h"
#include "com/unknown.h"
#include "embedded/embedded.h"

namespace {

using wmiput::com::Bstr;
using wmiput::com::ComPtr;
using wmiput::com::OleString;
using wmiput::com::SafeArray;
using wmiput::com::Variant;

constexpr const OLECHAR* kClassName = OLESTR("Bench_Item");

// Counts completions and bounds how many puts are in flight.
class Window {
 public:
  explicit Window(long limit) : limit_(limit), lowWater_(limit - (limit + 3) / 4) {}

  // Thread: main. Blocks while `limit` puts are in flight, then takes a slot.
  void Acquire() {
    std::unique_lock<std::mutex> lock(mutex_);
    while (inFlight_ >= limit_) {
      waiting_ = true;
      cv_.wait(lock);
    }
    waiting_ = false;
    ++inFlight_;
  }

  // Thread: embedded executor (sink) or main (synchronous failure).
  void Complete(HRESULT hr) noexcept {
    bool wake;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      --inFlight_;
      ++completed_;
      if (FAILED(hr)) {
        if (failures_ == 0) firstFailure_ = hr;
        ++failures_;
      }
      // Wake the submitter only once a quarter of the window is free (and
      // at the end): one wake per completion would cost a context switch each.
      wake = (waiting_ && inFlight_ <= lowWater_) || inFlight_ == 0;
    }
    if (wake) cv_.notify_one();
  }

  // Thread: main. Waits until nothing is in flight.
  void Drain() {
    std::unique_lock<std::mutex> lock(mutex_);
    cv_.wait(lock, [this] { return inFlight_ == 0; });
  }

  long completed() const { return completed_; }
  long failures() const { return failures_; }
  HRESULT firstFailure() const { return firstFailure_; }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  const long limit_;
  const long lowWater_;
  long inFlight_ = 0;
  bool waiting_ = false;
  long completed_ = 0;
  long failures_ = 0;
  HRESULT firstFailure_ = S_OK;
};

// One sink per put, as the client uses; it reports the final status once.
class PutSink final : public wmiput::com::UnknownImpl<PutSink, IWbemObjectSink, IID_IWbemObjectSink> {
  friend class wmiput::com::UnknownImpl<PutSink, IWbemObjectSink, IID_IWbemObjectSink>;

 public:
  explicit PutSink(Window* window) : window_(window) {}

  // Thread: embedded executor. A put indicates nothing; tolerate it anyway.
  HRESULT STDMETHODCALLTYPE Indicate(long, IWbemClassObject**) noexcept override {
    return WBEM_S_NO_ERROR;
  }
  // Thread: embedded executor.
  HRESULT STDMETHODCALLTYPE SetStatus(long lFlags, HRESULT hResult, BSTR,
                                      IWbemClassObject*) noexcept override {
    if (lFlags != WBEM_STATUS_COMPLETE) return WBEM_S_NO_ERROR;
    if (done_.exchange(true, std::memory_order_acq_rel)) return WBEM_S_NO_ERROR;
    window_->Complete(hResult);
    return WBEM_S_NO_ERROR;
  }

 private:
  ~PutSink() = default;
  std::atomic<bool> done_{false};
  Window* const window_;
};

// Thread: main or embedded executor.
const char* Name(HRESULT hr) {
  const char* name = wmiput::com::StatusName(hr);
  return name ? name : "?";
}

// Thread: main.
bool Check(HRESULT hr, const char* what) {
  if (SUCCEEDED(hr)) return true;
  std::fprintf(stderr, "wmi_put_bench_native: %s failed: 0x%08lX %s\n", what,
               static_cast<unsigned long>(static_cast<uint32_t>(hr)), Name(hr));
  return false;
}

// Thread: main.
OleString Ascii(const std::string& s) { return OleString(s.begin(), s.end()); }

// Declares one property of a new class: type only, no value. Thread: main.
bool DeclareProperty(IWbemClassObject* cls, const OLECHAR* name, CIMTYPE type) {
  return Check(cls->Put(name, 0, nullptr, type), "IWbemClassObject::Put (class property)");
}

// Creates Bench_Item (Name string key, Count uint32, Total uint64, Seen
// datetime, Tags string[]) and returns the stored class object. Thread: main.
bool PutBenchClass(IWbemServices* svc, ComPtr<IWbemClassObject>* stored) {
  ComPtr<IWbemClassObject> cls;
  if (!Check(svc->GetObject(nullptr, 0, nullptr, cls.put(), nullptr), "GetObject(NULL)")) return false;
  Variant className = Variant::FromBstr(kClassName);
  if (!Check(cls->Put(OLESTR("__CLASS"), 0, className.get(), 0), "Put __CLASS")) return false;
  if (!DeclareProperty(cls.get(), OLESTR("Name"), CIM_STRING) ||
      !DeclareProperty(cls.get(), OLESTR("Count"), CIM_UINT32) ||
      !DeclareProperty(cls.get(), OLESTR("Total"), CIM_UINT64) ||
      !DeclareProperty(cls.get(), OLESTR("Seen"), CIM_DATETIME) ||
      !DeclareProperty(cls.get(), OLESTR("Tags"), CIM_STRING | CIM_FLAG_ARRAY)) {
    return false;
  }
  ComPtr<IWbemQualifierSet> qualifiers;
  if (!Check(cls->GetPropertyQualifierSet(OLESTR("Name"), qualifiers.put()),
             "GetPropertyQualifierSet(Name)")) {
    return false;
  }
  Variant yes = Variant::FromBool(true);
  if (!Check(qualifiers->Put(OLESTR("Key"), yes.get(), 0), "Put Key qualifier")) return false;
  if (!Check(svc->PutClass(cls.get(), WBEM_FLAG_CREATE_OR_UPDATE, nullptr, nullptr), "PutClass")) {
    return false;
  }
  Bstr name(kClassName);
  return Check(svc->GetObject(name.get(), 0, nullptr, stored->put(), nullptr), "GetObject(class)");
}

// The per-instance values, built fresh for every put as the addon does.
// Thread: main.
bool PutValues(IWbemClassObject* inst, long i, const SafeArray& tagsTemplate) {
  Variant name = Variant::FromBstr(Ascii("item-" + std::to_string(i)));
  Variant count = Variant::FromI4(static_cast<int32_t>(i));
  Variant total = Variant::FromBstr(Ascii(std::to_string(1099511627776ULL + static_cast<uint64_t>(i))));
  Variant seen = Variant::FromBstr(OLESTR("20240102030405.123456+060"));
  Variant tags = Variant::FromArray(SafeArray(tagsTemplate));
  return Check(inst->Put(OLESTR("Name"), 0, name.get(), 0), "Put Name") &&
         Check(inst->Put(OLESTR("Count"), 0, count.get(), 0), "Put Count") &&
         Check(inst->Put(OLESTR("Total"), 0, total.get(), 0), "Put Total") &&
         Check(inst->Put(OLESTR("Seen"), 0, seen.get(), 0), "Put Seen") &&
         Check(inst->Put(OLESTR("Tags"), 0, tags.get(), 0), "Put Tags");
}

// Thread: main.
long ArgOr(int argc, char** argv, int index, long fallback) {
  if (argc <= index) return fallback;
  char* end = nullptr;
  long v = std::strtol(argv[index], &end, 10);
  if (!end || *end != '\0' || v <= 0) {
    std::fprintf(stderr, "wmi_put_bench_native: bad argument '%s'\n", argv[index]);
    std::exit(2);
  }
  return v;
}

// Thread: main. The whole benchmark; the sinks run on executor threads.
int Run(long count, long windowSize) {
  auto repo = wmiput::embedded::NewRepository();
  ComPtr<IWbemServices> svc;
  if (!Check(wmiput::embedded::ConnectServer(repo, OLESTR("root\\cimv2"), svc.put()), "ConnectServer")) {
    return 1;
  }
  ComPtr<IWbemClassObject> cls;
  if (!PutBenchClass(svc.get(), &cls)) return 1;

  SafeArray tags = SafeArray::Create(VT_BSTR, 4);
  const OLECHAR* tagText[4] = {OLESTR("alpha"), OLESTR("beta"), OLESTR("gamma"), OLESTR("delta")};
  for (LONG t = 0; t < 4; ++t) {
    Bstr b(tagText[t]);
    if (!Check(tags.Put(t, b.get()), "SafeArrayPutElement")) return 1;
  }

  Window window(windowSize);
  const std::clock_t cpuStart = std::clock();  // process CPU time, all threads
  const auto start = std::chrono::steady_clock::now();
  for (long i = 0; i < count; ++i) {
    ComPtr<IWbemClassObject> inst;
    if (!Check(cls->SpawnInstance(0, inst.put()), "SpawnInstance")) return 1;
    if (!PutValues(inst.get(), i, tags)) return 1;
    window.Acquire();
    ComPtr<PutSink> sink = ComPtr<PutSink>::Adopt(new PutSink(&window));
    HRESULT hr = svc->PutInstanceAsync(inst.get(), WBEM_FLAG_CREATE_OR_UPDATE, nullptr, sink.get());
    if (FAILED(hr)) {
      // A failed call never touches the sink: the put completes here.
      window.Complete(hr);
    }
  }
  window.Drain();
  const auto elapsed = std::chrono::steady_clock::now() - start;
  const double seconds = std::chrono::duration<double>(elapsed).count();
  const double cpuSeconds = static_cast<double>(std::clock() - cpuStart) / CLOCKS_PER_SEC;

  // Sanity: the last instance is really there.
  if (window.failures() == 0) {
    Bstr path(Ascii("Bench_Item.Name=\"item-" + std::to_string(count - 1) + "\""));
    ComPtr<IWbemClassObject> back;
    if (!Check(svc->GetObject(path.get(), 0, nullptr, back.put(), nullptr), "GetObject(last instance)")) {
      return 1;
    }
  }

  std::printf(
      "{\"opsPerSec\":%.0f,\"count\":%ld,\"window\":%ld,\"failures\":%ld,\"elapsedMs\":%.1f,"
      "\"cpuUsPerOp\":%.2f}\n",
      static_cast<double>(window.completed()) / seconds, window.completed(), windowSize, window.failures(),
      seconds * 1000.0, cpuSeconds * 1e6 / static_cast<double>(window.completed()));
  std::fflush(stdout);
  if (window.failures() > 0) {
    std::fprintf(stderr, "wmi_put_bench_native: %ld puts failed, first 0x%08lX %s\n", window.failures(),
                 static_cast<unsigned long>(static_cast<uint32_t>(window.firstFailure())),
                 Name(window.firstFailure()));
    return 1;
  }
  return 0;
}

}  // namespace

// Thread: main.
int main(int argc, char** argv) {
  const long count = ArgOr(argc, argv, 1, 1000000);
  const long windowSize = ArgOr(argc, argv, 2, 256);
  try {
    return Run(count, windowSize);
  } catch (const std::bad_alloc&) {
    std::fprintf(stderr, "wmi_put_bench_native: out of memory\n");
    return 1;
  }
}
