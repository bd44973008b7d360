// CancelAsyncCall and the final-status latch (wmi-put-semantics.md §3.3,
// §3.4): exactly one SetStatus per operation whatever races, failing sink
// callbacks cancel, re-entrant cancels neither nest callbacks nor deadlock.
#include <random>

#include "check.h"
#include "embedded/async_call.h"
#include "services_support.h"

using namespace wmiput::test::svc;
using wmiput::test::Fail;
using wmiput::test::Show;
using wmiput::com::Bstr;
namespace emb = wmiput::embedded;

namespace {

void FillRows(Fixture& f, int n) {
  f.AddClass(KeyedClass("Row"));
  for (int i = 0; i < n; ++i) {
    HRESULT hr = f.svc->PutInstance(f.NewInstance("Row", W(std::to_string(i).c_str())).get(), 0, nullptr,
                                    nullptr);
    if (FAILED(hr)) Fail(__FILE__, __LINE__, "PutInstance failed");
  }
}

}  // namespace

WP_TEST("cancel: NULL and unknown sinks") {
  const emb::Counters base = emb::GetCounters();
  {
    Fixture f;
    TestSink sink;
    CHECK_HR(f.svc->CancelAsyncCall(nullptr), WBEM_E_INVALID_PARAMETER);
    CHECK_HR(f.svc->CancelAsyncCall(&sink), WBEM_E_NOT_FOUND);
    CHECK_EQ(sink.maxRefs(), 1u);
    // A completed call is no longer known.
    f.AddClass(KeyedClass("Row"));
    CHECK_HR(f.svc->PutInstanceAsync(f.NewInstance("Row", "a").get(), 0, nullptr, &sink), WBEM_S_NO_ERROR);
    CHECK(sink.WaitDone());
    CHECK(WaitQuiescent(emb::Counters{base.classObjects + 1, base.services + 1, 0, base.contexts,
                                      base.repositories + 1})
              .pendingCalls == 0);
    CHECK_HR(f.svc->CancelAsyncCall(&sink), WBEM_E_NOT_FOUND);
    CHECK_EQ(sink.statusCount(), 1u);
  }
  CHECK_QUIESCENT(base);
}

WP_TEST("cancel: a pending put gets SetStatus(CALL_CANCELLED) before CancelAsyncCall returns") {
  const emb::Counters base = emb::GetCounters();
  {
    Fixture f;
    f.AddClass(KeyedClass("Row"));
    emb::RepositoryControls slow;
    slow.latency = std::chrono::milliseconds(200);
    emb::SetControls(*f.repo, slow);
    TestSink sink;
    CHECK_HR(f.svc->PutInstanceAsync(f.NewInstance("Row", "c").get(), 0, nullptr, &sink), WBEM_S_NO_ERROR);
    CHECK_EQ(sink.refs(), 2u);
    CHECK_HR(f.svc->CancelAsyncCall(&sink), WBEM_S_NO_ERROR);
    // Delivered and released before the return.
    CHECK_EQ(sink.statusCount(), 1u);
    CHECK_HR(sink.status().hr, WBEM_E_CALL_CANCELLED);
    CHECK_EQ(sink.status().flags, static_cast<long>(WBEM_STATUS_COMPLETE));
    CHECK_EQ(sink.refs(), 1u);
    CHECK_EQ(sink.status().thread == std::this_thread::get_id(), true);
    IWbemClassObject* err = sink.status().error.get();
    CHECK(err);
    CHECK_EQ(PropStr(err, "__CLASS"), std::string("__ExtendedStatus"));
    CHECK_EQ(PropStr(err, "Operation"), std::string("PutInstance"));
    CHECK_EQ(PropStr(err, "ProviderName"), std::string("Windows Management"));
    CHECK_EQ(static_cast<uint32_t>(Prop(err, "StatusCode").get()->lVal), 0x80041032u);
    CHECK_HR(f.svc->CancelAsyncCall(&sink), WBEM_E_NOT_FOUND);
    // The operation was cancelled before it ran: nothing was written, and no
    // second SetStatus arrives once the latency has passed.
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    CHECK_EQ(sink.statusCount(), 1u);
    emb::SetControls(*f.repo, emb::RepositoryControls{});
    ComPtr<IWbemClassObject> obj;
    Bstr path(OLESTR("Row.Key=\"c\""));
    CHECK_HR(f.svc->GetObject(path.get(), 0, nullptr, obj.put(), nullptr), WBEM_E_NOT_FOUND);
  }
  CHECK_QUIESCENT(base);
}

WP_TEST("cancel: every pending call that used the sink is cancelled, others are not") {
  const emb::Counters base = emb::GetCounters();
  {
    Fixture f;
    f.AddClass(KeyedClass("Row"));
    emb::RepositoryControls slow;
    slow.latency = std::chrono::milliseconds(100);
    slow.delivery = emb::DeliveryMode::kOrdered;
    emb::SetControls(*f.repo, slow);
    TestSink shared, other;
    for (int i = 0; i < 3; ++i) {
      CHECK_HR(f.svc->PutInstanceAsync(f.NewInstance("Row", W(("s" + std::to_string(i)).c_str())).get(), 0,
                                       nullptr, &shared),
               WBEM_S_NO_ERROR);
    }
    CHECK_HR(f.svc->PutInstanceAsync(f.NewInstance("Row", "o").get(), 0, nullptr, &other), WBEM_S_NO_ERROR);
    CHECK_EQ(shared.refs(), 4u);
    CHECK_HR(f.svc->CancelAsyncCall(&shared), WBEM_S_NO_ERROR);
    CHECK_EQ(shared.statusCount(), 3u);
    for (size_t i = 0; i < 3; ++i) CHECK_HR(shared.status(i).hr, WBEM_E_CALL_CANCELLED);
    CHECK_EQ(shared.refs(), 1u);
    CHECK(other.WaitDone());
    CHECK_EQ(other.statusCount(), 1u);
    CHECK_HR(other.status().hr, WBEM_S_NO_ERROR);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    CHECK_EQ(shared.statusCount(), 3u);
  }
  CHECK_QUIESCENT(base);
}

WP_TEST("cancel: 10,000 put/cancel races deliver exactly one SetStatus each") {
  const emb::Counters base = emb::GetCounters();
  {
    Fixture f;
    f.AddClass(KeyedClass("Row"));
    ComPtr<IWbemClassObject> inst = f.NewInstance("Row", "race");
    std::minstd_rand rng(12345);
    int completed = 0, cancelled = 0, cancelOk = 0, cancelNotFound = 0;
    for (int i = 0; i < 10000; ++i) {
      TestSink sink;
      CHECK_HR(f.svc->PutInstanceAsync(inst.get(), 0, nullptr, &sink), WBEM_S_NO_ERROR);
      // Cancel from this thread while a worker runs the put: sometimes at
      // once, sometimes after a short spin.
      const int spin = static_cast<int>(rng() % 4) * static_cast<int>(rng() % 400);
      for (volatile int k = 0; k < spin; ++k) {
      }
      HRESULT hr = f.svc->CancelAsyncCall(&sink);
      if (hr == static_cast<HRESULT>(WBEM_S_NO_ERROR)) {
        ++cancelOk;
      } else if (hr == static_cast<HRESULT>(WBEM_E_NOT_FOUND)) {
        ++cancelNotFound;
      } else {
        Fail(__FILE__, __LINE__, "CancelAsyncCall returned " + Show(static_cast<uint32_t>(hr)));
      }
      if (!sink.WaitDone()) Fail(__FILE__, __LINE__, "no completion in iteration " + std::to_string(i));
      if (sink.statusCount() != 1u) Fail(__FILE__, __LINE__, "SetStatus count != 1");
      HRESULT st = sink.status().hr;
      if (st == static_cast<HRESULT>(WBEM_S_NO_ERROR)) {
        ++completed;
      } else if (st == static_cast<HRESULT>(WBEM_E_CALL_CANCELLED)) {
        ++cancelled;
      } else {
        Fail(__FILE__, __LINE__, "unexpected status " + Show(static_cast<uint32_t>(st)));
      }
      // NOT_FOUND means the call had finished: it cannot have been cancelled.
      if (hr == static_cast<HRESULT>(WBEM_E_NOT_FOUND)) CHECK_HR(st, WBEM_S_NO_ERROR);
      CHECK_EQ(sink.maxConcurrent(), 1);
    }
    CHECK_EQ(completed + cancelled, 10000);
    CHECK_EQ(cancelOk + cancelNotFound, 10000);
    // Both outcomes of the race happen.
    CHECK(completed > 0);
    CHECK(cancelled > 0);
    inst.reset();
  }
  CHECK_QUIESCENT(base);
}

WP_TEST("cancel: a failing Indicate cancels the operation") {
  const emb::Counters base = emb::GetCounters();
  {
    Fixture f;
    FillRows(f, 600);
    TestSink sink;
    sink.indicateResult = WBEM_E_FAILED;
    Bstr cls(OLESTR("Row"));
    CHECK_HR(f.svc->CreateInstanceEnumAsync(cls.get(), 0, nullptr, &sink), WBEM_S_NO_ERROR);
    CHECK(sink.WaitDone());
    CHECK_EQ(sink.indications().size(), 1u);  // nothing after the failure
    CHECK_EQ(sink.statusCount(), 1u);
    CHECK_HR(sink.status().hr, WBEM_E_CALL_CANCELLED);
    CHECK_EQ(PropStr(sink.status().error.get(), "Operation"), std::string("CreateInstanceEnum"));
    CHECK(!sink.indicateAfterStatus());
    TestSink get;
    get.indicateResult = E_FAIL;
    Bstr inst(OLESTR("Row.Key=\"1\""));
    CHECK_HR(f.svc->GetObjectAsync(inst.get(), 0, nullptr, &get), WBEM_S_NO_ERROR);
    CHECK(get.WaitDone());
    CHECK_EQ(get.statusCount(), 1u);
    CHECK_HR(get.status().hr, WBEM_E_CALL_CANCELLED);
  }
  CHECK_QUIESCENT(base);
}

WP_TEST("cancel: CancelAsyncCall from inside Indicate neither nests callbacks nor deadlocks") {
  const emb::Counters base = emb::GetCounters();
  {
    Fixture f;
    FillRows(f, 600);
    TestSink sink;
    HRESULT inner = 1;
    size_t statusesSeenInside = 99;
    IWbemServices* svc = f.svc.get();
    sink.onIndicate = [&] {
      if (inner != 1) return;
      inner = svc->CancelAsyncCall(&sink);
      statusesSeenInside = sink.statusCount();
    };
    Bstr cls(OLESTR("Row"));
    CHECK_HR(f.svc->CreateInstanceEnumAsync(cls.get(), 0, nullptr, &sink), WBEM_S_NO_ERROR);
    CHECK(sink.WaitDone());
    CHECK_HR(inner, WBEM_S_NO_ERROR);
    CHECK_EQ(statusesSeenInside, 0u);  // not delivered from inside the callback
    CHECK_EQ(sink.indications().size(), 1u);
    CHECK_EQ(sink.statusCount(), 1u);
    CHECK_HR(sink.status().hr, WBEM_E_CALL_CANCELLED);
    CHECK_EQ(sink.maxConcurrent(), 1);
  }
  CHECK_QUIESCENT(base);
}

WP_TEST("cancel: CancelAsyncCall from inside the final SetStatus is harmless") {
  const emb::Counters base = emb::GetCounters();
  {
    Fixture f;
    f.AddClass(KeyedClass("Row"));
    TestSink sink;
    HRESULT inner = 1;
    IWbemServices* svc = f.svc.get();
    sink.onStatus = [&] { inner = svc->CancelAsyncCall(&sink); };
    CHECK_HR(f.svc->PutInstanceAsync(f.NewInstance("Row", "x").get(), 0, nullptr, &sink), WBEM_S_NO_ERROR);
    CHECK(sink.WaitDone());
    CHECK(inner == WBEM_S_NO_ERROR || inner == static_cast<HRESULT>(WBEM_E_NOT_FOUND));
    CHECK_EQ(sink.statusCount(), 1u);
    CHECK_HR(sink.status().hr, WBEM_S_NO_ERROR);
  }
  CHECK_QUIESCENT(base);
}

WP_TEST("cancel: a cancel racing a slow Indicate waits for it; one callback at a time") {
  const emb::Counters base = emb::GetCounters();
  {
    Fixture f;
    FillRows(f, 1000);
    TestSink sink;
    std::atomic<bool> inIndicate{false};
    sink.onIndicate = [&] {
      inIndicate = true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    };
    Bstr cls(OLESTR("Row"));
    CHECK_HR(f.svc->CreateInstanceEnumAsync(cls.get(), 0, nullptr, &sink), WBEM_S_NO_ERROR);
    while (!inIndicate) std::this_thread::yield();
    CHECK_HR(f.svc->CancelAsyncCall(&sink), WBEM_S_NO_ERROR);
    CHECK_EQ(sink.statusCount(), 1u);
    CHECK_HR(sink.status().hr, WBEM_E_CALL_CANCELLED);
    CHECK_EQ(sink.refs(), 1u);
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    CHECK_EQ(sink.indications().size(), 1u);
    CHECK(!sink.indicateAfterStatus());
    CHECK_EQ(sink.maxConcurrent(), 1);
  }
  CHECK_QUIESCENT(base);
}

WP_TEST("cancel: two operations whose callbacks cancel each other do not deadlock") {
  const emb::Counters base = emb::GetCounters();
  {
    Fixture f;
    FillRows(f, 1000);
    TestSink a, b;
    IWbemServices* svc = f.svc.get();
    std::atomic<int> entered{0};
    auto hook = [&](TestSink* other) {
      return [&, other] {
        entered.fetch_add(1);
        const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(200);
        while (entered.load() < 2 && std::chrono::steady_clock::now() < until) std::this_thread::yield();
        svc->CancelAsyncCall(other);
      };
    };
    a.onIndicate = hook(&b);
    b.onIndicate = hook(&a);
    Bstr cls(OLESTR("Row"));
    CHECK_HR(f.svc->CreateInstanceEnumAsync(cls.get(), 0, nullptr, &a), WBEM_S_NO_ERROR);
    CHECK_HR(f.svc->CreateInstanceEnumAsync(cls.get(), 0, nullptr, &b), WBEM_S_NO_ERROR);
    CHECK(a.WaitDone());
    CHECK(b.WaitDone());
    CHECK_EQ(a.statusCount(), 1u);
    CHECK_EQ(b.statusCount(), 1u);
    CHECK_EQ(a.maxConcurrent(), 1);
    CHECK_EQ(b.maxConcurrent(), 1);
    CHECK(!a.indicateAfterStatus());
    CHECK(!b.indicateAfterStatus());
  }
  CHECK_QUIESCENT(base);
}

WP_TEST("cancel: an Indicate slower than the sink timeout cancels the operation") {
  const emb::Counters base = emb::GetCounters();
  {
    Fixture f;
    FillRows(f, 600);
    CHECK_EQ(emb::AsyncCall::SinkTimeout().count(), 30000);  // WMI's 30 s
    emb::AsyncCall::SetSinkTimeout(std::chrono::milliseconds(20));
    TestSink sink;
    sink.onIndicate = [] { std::this_thread::sleep_for(std::chrono::milliseconds(40)); };
    Bstr cls(OLESTR("Row"));
    CHECK_HR(f.svc->CreateInstanceEnumAsync(cls.get(), 0, nullptr, &sink), WBEM_S_NO_ERROR);
    const bool done = sink.WaitDone();
    emb::AsyncCall::SetSinkTimeout(std::chrono::milliseconds(30000));
    CHECK(done);
    CHECK_EQ(sink.indications().size(), 1u);
    CHECK_EQ(sink.statusCount(), 1u);
    CHECK_HR(sink.status().hr, WBEM_E_CALL_CANCELLED);
    // A quick sink is unaffected.
    TestSink quick;
    CHECK_HR(f.svc->CreateInstanceEnumAsync(cls.get(), 0, nullptr, &quick), WBEM_S_NO_ERROR);
    CHECK(quick.WaitDone());
    CHECK_EQ(quick.indications().size(), 3u);
    CHECK_HR(quick.status().hr, WBEM_S_NO_ERROR);
  }
  CHECK_QUIESCENT(base);
}
