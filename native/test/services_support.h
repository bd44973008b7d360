// Helpers for the embedded server's COM-face tests: a recording sink, a
// foreign IWbemClassObject, class/instance builders and a quiescence wait.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "check.h"
#include "com/com.h"
#include "com/raii.h"
#include "embedded/class_object.h"
#include "embedded/embedded.h"
#include "embedded/model.h"
#include "embedded/repository.h"

namespace wmiput::test::svc {

using com::ComPtr;
using com::OleString;
using com::Variant;
using embedded::ClassData;
using embedded::InstanceData;

inline OleString W(const char* s) {
  OleString o;
  for (; *s; ++s) o.push_back(static_cast<OLECHAR>(static_cast<unsigned char>(*s)));
  return o;
}

inline std::string A(com::OleStringView s) {
  std::string o;
  for (OLECHAR c : s) o.push_back(c < 128 ? static_cast<char>(c) : '?');
  return o;
}

// Records every callback with its thread; can be told to fail Indicate and
// to run hooks inside callbacks. Starts with one reference (the test's).
class TestSink final : public IWbemObjectSink {
 public:
  struct Status {
    long flags = 0;
    HRESULT hr = 0;
    bool hasParam = false;
    OleString param;
    ComPtr<IWbemClassObject> error;
    std::thread::id thread;
  };
  struct Indication {
    long count = 0;
    std::vector<ComPtr<IWbemClassObject>> objects;
    std::thread::id thread;
  };

  HRESULT STDMETHODCALLTYPE QueryInterface(REFIID riid, void** ppv) noexcept override {
    if (!ppv) return E_POINTER;
    if (riid == IID_IUnknown || riid == IID_IWbemObjectSink) {
      *ppv = static_cast<IWbemObjectSink*>(this);
      AddRef();
      return S_OK;
    }
    *ppv = nullptr;
    return E_NOINTERFACE;
  }
  ULONG STDMETHODCALLTYPE AddRef() noexcept override {
    ULONG n = refs_.fetch_add(1) + 1;
    if (n > maxRefs_.load()) maxRefs_.store(n);
    return n;
  }
  ULONG STDMETHODCALLTYPE Release() noexcept override {
    // Notify under the lock: once a waiter sees refs == 1 it may destroy us.
    std::lock_guard<std::mutex> lk(mu_);
    ULONG n = refs_.fetch_sub(1) - 1;
    cv_.notify_all();
    return n;  // owned by the test (stack or unique_ptr): never deletes itself
  }
  HRESULT STDMETHODCALLTYPE Indicate(long lObjectCount,
                                     IWbemClassObject** apObjArray) noexcept override {
    Enter();
    Indication ind;
    ind.count = lObjectCount;
    ind.thread = std::this_thread::get_id();
    for (long i = 0; i < lObjectCount; ++i) ind.objects.push_back(ComPtr<IWbemClassObject>::Share(apObjArray[i]));
    {
      std::lock_guard<std::mutex> lk(mu_);
      if (!statuses_.empty()) indicateAfterStatus_ = true;
      indications_.push_back(std::move(ind));
    }
    if (onIndicate) onIndicate();
    Leave();
    return indicateResult;
  }
  HRESULT STDMETHODCALLTYPE SetStatus(long lFlags, HRESULT hResult, BSTR strParam,
                                      IWbemClassObject* pObjParam) noexcept override {
    Enter();
    Status s;
    s.flags = lFlags;
    s.hr = hResult;
    s.hasParam = strParam != nullptr;
    s.param = com::ToOleString(strParam);
    s.error = ComPtr<IWbemClassObject>::Share(pObjParam);
    s.thread = std::this_thread::get_id();
    {
      std::lock_guard<std::mutex> lk(mu_);
      statuses_.push_back(std::move(s));
      statusOrder_ = order_.fetch_add(1);
    }
    if (onStatus) onStatus();
    Leave();
    return WBEM_S_NO_ERROR;
  }

  // Waits until SetStatus arrived and the server released its reference.
  bool WaitDone(std::chrono::milliseconds timeout = std::chrono::milliseconds(5000)) {
    std::unique_lock<std::mutex> lk(mu_);
    return cv_.wait_for(lk, timeout, [&] { return !statuses_.empty() && refs_.load() == 1; });
  }
  ULONG refs() const { return refs_.load(); }
  ULONG maxRefs() const { return maxRefs_.load(); }
  size_t statusCount() {
    std::lock_guard<std::mutex> lk(mu_);
    return statuses_.size();
  }
  Status status(size_t i = 0) {
    std::lock_guard<std::mutex> lk(mu_);
    if (i >= statuses_.size()) Fail(__FILE__, __LINE__, "no SetStatus recorded");
    return statuses_[i];
  }
  std::vector<Indication> indications() {
    std::lock_guard<std::mutex> lk(mu_);
    return indications_;
  }
  int maxConcurrent() const { return maxConcurrent_.load(); }
  bool indicateAfterStatus() {
    std::lock_guard<std::mutex> lk(mu_);
    return indicateAfterStatus_;
  }
  uint64_t statusOrder() {
    std::lock_guard<std::mutex> lk(mu_);
    return statusOrder_;
  }

  HRESULT indicateResult = WBEM_S_NO_ERROR;
  std::function<void()> onIndicate;
  std::function<void()> onStatus;
  static inline std::atomic<uint64_t> order_{0};

 private:
  void Enter() {
    int now = inCallback_.fetch_add(1) + 1;
    int prev = maxConcurrent_.load();
    while (now > prev && !maxConcurrent_.compare_exchange_weak(prev, now)) {
    }
  }
  void Leave() { inCallback_.fetch_sub(1); }

  std::atomic<ULONG> refs_{1};
  std::atomic<ULONG> maxRefs_{1};
  std::atomic<int> inCallback_{0};
  std::atomic<int> maxConcurrent_{0};
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Status> statuses_;
  std::vector<Indication> indications_;
  bool indicateAfterStatus_ = false;
  uint64_t statusOrder_ = 0;
};

// An IWbemClassObject that is not ours (every method E_NOTIMPL).
class ForeignObject final : public IWbemClassObject {
 public:
  HRESULT STDMETHODCALLTYPE QueryInterface(REFIID riid, void** ppv) noexcept override {
    if (!ppv) return E_POINTER;
    if (riid == IID_IUnknown || riid == IID_IWbemClassObject) {
      *ppv = static_cast<IWbemClassObject*>(this);
      AddRef();
      return S_OK;
    }
    *ppv = nullptr;
    return E_NOINTERFACE;
  }
  ULONG STDMETHODCALLTYPE AddRef() noexcept override { return ++refs_; }
  ULONG STDMETHODCALLTYPE Release() noexcept override { return --refs_; }
  HRESULT STDMETHODCALLTYPE GetQualifierSet(IWbemQualifierSet**) noexcept override { return E_NOTIMPL; }
  HRESULT STDMETHODCALLTYPE Get(LPCWSTR, long, VARIANT*, CIMTYPE*, long*) noexcept override { return E_NOTIMPL; }
  HRESULT STDMETHODCALLTYPE Put(LPCWSTR, long, VARIANT*, CIMTYPE) noexcept override { return E_NOTIMPL; }
  HRESULT STDMETHODCALLTYPE Delete(LPCWSTR) noexcept override { return E_NOTIMPL; }
  HRESULT STDMETHODCALLTYPE GetNames(LPCWSTR, long, VARIANT*, SAFEARRAY**) noexcept override { return E_NOTIMPL; }
  HRESULT STDMETHODCALLTYPE BeginEnumeration(long) noexcept override { return E_NOTIMPL; }
  HRESULT STDMETHODCALLTYPE Next(long, BSTR*, VARIANT*, CIMTYPE*, long*) noexcept override { return E_NOTIMPL; }
  HRESULT STDMETHODCALLTYPE EndEnumeration() noexcept override { return E_NOTIMPL; }
  HRESULT STDMETHODCALLTYPE GetPropertyQualifierSet(LPCWSTR, IWbemQualifierSet**) noexcept override { return E_NOTIMPL; }
  HRESULT STDMETHODCALLTYPE Clone(IWbemClassObject**) noexcept override { return E_NOTIMPL; }
  HRESULT STDMETHODCALLTYPE GetObjectText(long, BSTR*) noexcept override { return E_NOTIMPL; }
  HRESULT STDMETHODCALLTYPE SpawnDerivedClass(long, IWbemClassObject**) noexcept override { return E_NOTIMPL; }
  HRESULT STDMETHODCALLTYPE SpawnInstance(long, IWbemClassObject**) noexcept override { return E_NOTIMPL; }
  HRESULT STDMETHODCALLTYPE CompareTo(long, IWbemClassObject*) noexcept override { return E_NOTIMPL; }
  HRESULT STDMETHODCALLTYPE GetPropertyOrigin(LPCWSTR, BSTR*) noexcept override { return E_NOTIMPL; }
  HRESULT STDMETHODCALLTYPE InheritsFrom(LPCWSTR) noexcept override { return E_NOTIMPL; }
  HRESULT STDMETHODCALLTYPE GetMethod(LPCWSTR, long, IWbemClassObject**, IWbemClassObject**) noexcept override { return E_NOTIMPL; }
  HRESULT STDMETHODCALLTYPE PutMethod(LPCWSTR, long, IWbemClassObject*, IWbemClassObject*) noexcept override { return E_NOTIMPL; }
  HRESULT STDMETHODCALLTYPE DeleteMethod(LPCWSTR) noexcept override { return E_NOTIMPL; }
  HRESULT STDMETHODCALLTYPE BeginMethodEnumeration(long) noexcept override { return E_NOTIMPL; }
  HRESULT STDMETHODCALLTYPE NextMethod(long, BSTR*, IWbemClassObject**, IWbemClassObject**) noexcept override { return E_NOTIMPL; }
  HRESULT STDMETHODCALLTYPE EndMethodEnumeration() noexcept override { return E_NOTIMPL; }
  HRESULT STDMETHODCALLTYPE GetMethodQualifierSet(LPCWSTR, IWbemQualifierSet**) noexcept override { return E_NOTIMPL; }
  HRESULT STDMETHODCALLTYPE GetMethodOrigin(LPCWSTR, BSTR*) noexcept override { return E_NOTIMPL; }

 private:
  std::atomic<ULONG> refs_{1};
};

inline embedded::Qualifier Qual(const char* name, Variant v, long flavor) {
  embedded::Qualifier q;
  q.name = W(name);
  q.value = std::move(v);
  q.flavor = flavor;
  return q;
}

// A base class `name` with a string key `Key` and optional extra properties
// (uint32 / string), as GetObject(NULL) + Put would build it.
inline ClassData KeyedClass(const char* name, std::vector<std::pair<const char*, CIMTYPE>> extra = {}) {
  ClassData c;
  c.name = W(name);
  embedded::Property key;
  key.name = W("Key");
  key.type = CIM_STRING;
  key.value = Variant::Null();
  key.origin = c.name;
  key.qualifiers.push_back(Qual("key", Variant::FromBool(true),
                                WBEM_FLAVOR_FLAG_PROPAGATE_TO_INSTANCE |
                                    WBEM_FLAVOR_FLAG_PROPAGATE_TO_DERIVED_CLASS));
  c.properties.push_back(std::move(key));
  for (auto& e : extra) {
    embedded::Property p;
    p.name = W(e.first);
    p.type = e.second;
    p.value = Variant::Null();
    p.origin = c.name;
    c.properties.push_back(std::move(p));
  }
  return c;
}

// A connection to a fresh repository's root\default.
struct Fixture {
  Fixture() : repo(embedded::NewRepository()) {
    HRESULT hr = embedded::ConnectServer(repo, OLESTR("root\\default"), svc.put());
    if (FAILED(hr)) Fail(__FILE__, __LINE__, "ConnectServer failed");
  }
  // PutClass (sync) of a class.
  void AddClass(const ClassData& c) {
    ComPtr<IWbemClassObject> obj = embedded::NewClassObject(ClassData(c));
    HRESULT hr = svc->PutClass(obj.get(), 0, nullptr, nullptr);
    if (FAILED(hr)) Fail(__FILE__, __LINE__, "PutClass failed: " + std::to_string(static_cast<uint32_t>(hr)));
  }
  // A new instance object of the stored class with Key = key.
  ComPtr<IWbemClassObject> NewInstance(const char* cls, const OleString& key) {
    embedded::ClassPtr c;
    if (FAILED(repo->GetClass(OLESTR("root\\default"), W(cls), &c))) Fail(__FILE__, __LINE__, "no class");
    InstanceData d = embedded::NewInstance(c);
    int i = c->FindProperty(OLESTR("Key"));
    d.values[static_cast<size_t>(i)] = Variant::FromBstr(key);
    d.modified[static_cast<size_t>(i)] = true;
    return embedded::NewInstanceObject(std::move(d));
  }
  ComPtr<IWbemClassObject> NewInstance(const char* cls, const char* key) {
    return NewInstance(cls, W(key));
  }
  embedded::RepositoryPtr repo;
  ComPtr<IWbemServices> svc;
};

// Reads a property of an object as a Variant.
inline Variant Prop(IWbemClassObject* obj, const char* name) {
  Variant v;
  if (FAILED(obj->Get(W(name).c_str(), 0, v.put(), nullptr, nullptr))) return Variant();
  return v;
}
inline std::string PropStr(IWbemClassObject* obj, const char* name) {
  Variant v = Prop(obj, name);
  return v.vt() == VT_BSTR ? A(com::ToOleString(v.get()->bstrVal)) : std::string("<not a string>");
}

// Waits for every live counter of the embedded server to return to `base`
// (operations finish on worker threads slightly after their SetStatus).
inline embedded::Counters WaitQuiescent(const embedded::Counters& base,
                                        std::chrono::milliseconds timeout = std::chrono::milliseconds(5000)) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  embedded::Counters c;
  for (;;) {
    c = embedded::GetCounters();
    if ((c.classObjects == base.classObjects && c.services == base.services &&
         c.pendingCalls == base.pendingCalls && c.contexts == base.contexts &&
         c.repositories == base.repositories) ||
        std::chrono::steady_clock::now() > until) {
      return c;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

// Checks that the live counters are back to those of `base` (taken with
// embedded::GetCounters() at the start of the test).
#define CHECK_QUIESCENT(base)                                      \
  do {                                                             \
    auto wp_c_ = ::wmiput::test::svc::WaitQuiescent(base);         \
    CHECK_EQ(wp_c_.classObjects, (base).classObjects);             \
    CHECK_EQ(wp_c_.services, (base).services);                     \
    CHECK_EQ(wp_c_.pendingCalls, (base).pendingCalls);             \
    CHECK_EQ(wp_c_.contexts, (base).contexts);                     \
    CHECK_EQ(wp_c_.repositories, (base).repositories);             \
  } while (0)

}  // namespace wmiput::test::svc
