// The embedded IWbemServices: the §1.5 split between synchronous returns and
// SetStatus, __ExtendedStatus error objects, the sync and semisynchronous
// forms, GetObject, enumerations, deletes, unsupported methods, system classes.
#include <algorithm>
#include <functional>
#include <map>
#include <set>

#include "check.h"
#include "embedded/system_classes.h"
#include "services_support.h"

using namespace wmiput::test::svc;
using wmiput::test::Fail;
using wmiput::test::Show;
using wmiput::com::Bstr;
using wmiput::embedded::ClassPtr;
namespace emb = wmiput::embedded;

namespace {

constexpr long kNoSync = 0x7fffffff;  // marker: the call is accepted

struct SplitRow {
  const char* name;
  // Makes the call with `sink` (may ignore it) and returns its HRESULT.
  std::function<HRESULT(Fixture&, IWbemObjectSink*)> call;
  int64_t returned;     // the HRESULT the call returns
  int64_t delivered;    // the SetStatus hResult when returned == S_OK
};

}  // namespace

WP_TEST("services: ConnectServer finds namespaces case-insensitively with either separator") {
  const emb::Counters base = emb::GetCounters();
  {
    emb::RepositoryPtr repo = emb::NewRepository();
    ComPtr<IWbemServices> s;
    CHECK_HR(emb::ConnectServer(repo, OLESTR("ROOT/CIMV2"), s.put()), WBEM_S_NO_ERROR);
    CHECK(s);
    CHECK_HR(emb::ConnectServer(repo, OLESTR("root\\default"), s.put()), WBEM_S_NO_ERROR);
    CHECK_HR(emb::ConnectServer(repo, OLESTR("root\\nope"), s.put()), WBEM_E_INVALID_NAMESPACE);
    CHECK(!s);
    CHECK_HR(emb::ConnectServer(repo, OLESTR("root\\cimv2"), nullptr), WBEM_E_INVALID_PARAMETER);
    CHECK_HR(emb::ConnectServer(nullptr, OLESTR("root"), s.put()), WBEM_E_INVALID_PARAMETER);
  }
  CHECK_QUIESCENT(base);
}

WP_TEST("services: the sync/async split of wmi-put-semantics 1.5, one row per case") {
  const emb::Counters base = emb::GetCounters();
  const long both = WBEM_FLAG_UPDATE_ONLY | WBEM_FLAG_CREATE_ONLY;
  std::vector<SplitRow> rows = {
      {"NULL object", [](Fixture& f, IWbemObjectSink* s) { return f.svc->PutInstanceAsync(nullptr, 0, nullptr, s); },
       WBEM_E_INVALID_PARAMETER, 0},
      {"NULL sink", [](Fixture& f, IWbemObjectSink*) {
         return f.svc->PutInstanceAsync(f.NewInstance("Row", "a").get(), 0, nullptr, nullptr); },
       WBEM_E_INVALID_PARAMETER, 0},
      {"NULL class object", [](Fixture& f, IWbemObjectSink* s) { return f.svc->PutClassAsync(nullptr, 0, nullptr, s); },
       WBEM_E_INVALID_PARAMETER, 0},
      {"foreign object", [](Fixture& f, IWbemObjectSink* s) {
         ForeignObject foreign;
         return f.svc->PutInstanceAsync(&foreign, 0, nullptr, s); },
       WBEM_E_INVALID_PARAMETER, 0},
      {"UPDATE_ONLY|CREATE_ONLY", [both](Fixture& f, IWbemObjectSink* s) {
         return f.svc->PutInstanceAsync(f.NewInstance("Row", "a").get(), both, nullptr, s); },
       WBEM_E_INVALID_PARAMETER, 0},
      {"RETURN_IMMEDIATELY on an async call", [](Fixture& f, IWbemObjectSink* s) {
         return f.svc->PutInstanceAsync(f.NewInstance("Row", "a").get(), WBEM_FLAG_RETURN_IMMEDIATELY, nullptr, s); },
       WBEM_E_INVALID_PARAMETER, 0},
      {"update mode on an instance put", [](Fixture& f, IWbemObjectSink* s) {
         return f.svc->PutInstanceAsync(f.NewInstance("Row", "a").get(), WBEM_FLAG_UPDATE_SAFE_MODE, nullptr, s); },
       WBEM_E_INVALID_PARAMETER, 0},
      {"STRONG_VALIDATION", [](Fixture& f, IWbemObjectSink* s) {
         return f.svc->PutInstanceAsync(f.NewInstance("Row", "a").get(), WBEM_FLAG_STRONG_VALIDATION, nullptr, s); },
       WBEM_E_INVALID_PARAMETER, 0},
      {"SAFE|FORCE on PutClassAsync", [](Fixture& f, IWbemObjectSink* s) {
         auto cls = emb::NewClassObject(KeyedClass("Other"));
         return f.svc->PutClassAsync(cls.get(), WBEM_FLAG_UPDATE_SAFE_MODE | WBEM_FLAG_UPDATE_FORCE_MODE, nullptr, s); },
       WBEM_E_INVALID_PARAMETER, 0},
      {"__RELPATH longer than 8192", [](Fixture& f, IWbemObjectSink* s) {
         // Row.Key="..." is 10 + n characters.
         return f.svc->PutInstanceAsync(f.NewInstance("Row", OleString(8183, OLESTR('x'))).get(), 0, nullptr, s); },
       WBEM_E_QUOTA_VIOLATION, 0},
      {"injected synchronous fault", [](Fixture& f, IWbemObjectSink* s) {
         emb::InjectFault(*f.repo, {static_cast<HRESULT>(WBEM_E_SERVER_TOO_BUSY), 1, emb::FaultWhen::kSynchronous});
         return f.svc->PutInstanceAsync(f.NewInstance("Row", "a").get(), 0, nullptr, s); },
       WBEM_E_SERVER_TOO_BUSY, 0},
      {"__RELPATH of exactly 8192", [](Fixture& f, IWbemObjectSink* s) {
         return f.svc->PutInstanceAsync(f.NewInstance("Row", OleString(8182, OLESTR('x'))).get(), 0, nullptr, s); },
       WBEM_S_NO_ERROR, WBEM_S_NO_ERROR},
      {"CREATE_ONLY on an existing instance", [](Fixture& f, IWbemObjectSink* s) {
         return f.svc->PutInstanceAsync(f.NewInstance("Row", "exists").get(), WBEM_FLAG_CREATE_ONLY, nullptr, s); },
       WBEM_S_NO_ERROR, WBEM_E_ALREADY_EXISTS},
      {"UPDATE_ONLY on a missing instance", [](Fixture& f, IWbemObjectSink* s) {
         return f.svc->PutInstanceAsync(f.NewInstance("Row", "missing").get(), WBEM_FLAG_UPDATE_ONLY, nullptr, s); },
       WBEM_S_NO_ERROR, WBEM_E_NOT_FOUND},
      {"a class passed to PutInstanceAsync", [](Fixture& f, IWbemObjectSink* s) {
         auto cls = emb::NewClassObject(KeyedClass("Other"));
         return f.svc->PutInstanceAsync(cls.get(), 0, nullptr, s); },
       WBEM_S_NO_ERROR, WBEM_E_INVALID_OBJECT},
      {"an instance passed to PutClassAsync", [](Fixture& f, IWbemObjectSink* s) {
         return f.svc->PutClassAsync(f.NewInstance("Row", "a").get(), 0, nullptr, s); },
       WBEM_S_NO_ERROR, WBEM_E_INVALID_CLASS},
      {"injected fault through the sink", [](Fixture& f, IWbemObjectSink* s) {
         emb::InjectFault(*f.repo, {static_cast<HRESULT>(WBEM_E_OUT_OF_DISK_SPACE), 1, emb::FaultWhen::kThroughSink});
         return f.svc->PutInstanceAsync(f.NewInstance("Row", "a").get(), 0, nullptr, s); },
       WBEM_S_NO_ERROR, WBEM_E_OUT_OF_DISK_SPACE},
      {"reserved bits (OWNER_UPDATE) are ignored", [](Fixture& f, IWbemObjectSink* s) {
         return f.svc->PutInstanceAsync(f.NewInstance("Row", "r").get(), WBEM_FLAG_OWNER_UPDATE, nullptr, s); },
       WBEM_S_NO_ERROR, WBEM_S_NO_ERROR},
      {"SEND_STATUS is accepted", [](Fixture& f, IWbemObjectSink* s) {
         return f.svc->PutInstanceAsync(f.NewInstance("Row", "s").get(), WBEM_FLAG_SEND_STATUS, nullptr, s); },
       WBEM_S_NO_ERROR, WBEM_S_NO_ERROR},
      {"PutClassAsync of a new class", [](Fixture& f, IWbemObjectSink* s) {
         auto cls = emb::NewClassObject(KeyedClass("Fresh"));
         return f.svc->PutClassAsync(cls.get(), WBEM_FLAG_CREATE_ONLY | WBEM_FLAG_OWNER_UPDATE, nullptr, s); },
       WBEM_S_NO_ERROR, WBEM_S_NO_ERROR},
      {"DeleteInstanceAsync of a missing instance", [](Fixture& f, IWbemObjectSink* s) {
         Bstr path(OLESTR("Row.Key=\"missing\""));
         return f.svc->DeleteInstanceAsync(path.get(), 0, nullptr, s); },
       WBEM_S_NO_ERROR, WBEM_E_NOT_FOUND},
      {"DeleteClassAsync with RETURN_IMMEDIATELY", [](Fixture& f, IWbemObjectSink* s) {
         Bstr name(OLESTR("Row"));
         return f.svc->DeleteClassAsync(name.get(), WBEM_FLAG_RETURN_IMMEDIATELY, nullptr, s); },
       WBEM_E_INVALID_PARAMETER, 0},
      {"GetObjectAsync of a missing class", [](Fixture& f, IWbemObjectSink* s) {
         Bstr name(OLESTR("NoSuchClass"));
         return f.svc->GetObjectAsync(name.get(), 0, nullptr, s); },
       WBEM_S_NO_ERROR, WBEM_E_NOT_FOUND},
  };
  for (const SplitRow& row : rows) {
    {
      Fixture f;
      f.AddClass(KeyedClass("Row", {{"Size", CIM_UINT32}}));
      CHECK_HR(f.svc->PutInstance(f.NewInstance("Row", "exists").get(), 0, nullptr, nullptr),
               WBEM_S_NO_ERROR);
      TestSink sink;
      HRESULT hr = row.call(f, &sink);
      if (static_cast<uint32_t>(hr) != static_cast<uint32_t>(row.returned)) {
        Fail(__FILE__, __LINE__, std::string(row.name) + ": returned " + Show(static_cast<uint32_t>(hr)));
      }
      if (FAILED(hr)) {
        // Rejected: the sink was never called nor AddRef'd.
        CHECK_EQ(sink.statusCount(), 0u);
        CHECK(sink.indications().empty());
        CHECK_EQ(sink.maxRefs(), 1u);
      } else {
        if (!sink.WaitDone()) Fail(__FILE__, __LINE__, std::string(row.name) + ": no completion");
        CHECK_EQ(sink.statusCount(), 1u);
        TestSink::Status st = sink.status();
        CHECK_EQ(st.flags, static_cast<long>(WBEM_STATUS_COMPLETE));
        if (static_cast<uint32_t>(st.hr) != static_cast<uint32_t>(row.delivered)) {
          Fail(__FILE__, __LINE__, std::string(row.name) + ": delivered " + Show(static_cast<uint32_t>(st.hr)));
        }
        CHECK_EQ(st.thread == std::this_thread::get_id(), false);
        if (FAILED(st.hr)) {
          CHECK(st.error);
          CHECK_EQ(PropStr(st.error.get(), "__CLASS"), std::string("__ExtendedStatus"));
          Variant code = Prop(st.error.get(), "StatusCode");
          CHECK_EQ(code.vt(), VT_I4);
          CHECK_EQ(static_cast<uint32_t>(code.get()->lVal), static_cast<uint32_t>(row.delivered));
        } else {
          CHECK(!st.error);
        }
        CHECK_EQ(sink.refs(), 1u);
      }
      emb::ClearFaults(*f.repo);
    }
    (void)kNoSync;
  }
  CHECK_QUIESCENT(base);
}

WP_TEST("services: a successful PutInstanceAsync reports the relative path once, no Indicate") {
  const emb::Counters base = emb::GetCounters();
  {
    Fixture f;
    f.AddClass(KeyedClass("Row", {{"Size", CIM_UINT32}}));
    TestSink sink;
    CHECK_HR(f.svc->PutInstanceAsync(f.NewInstance("Row", "a\"b").get(), 0, nullptr, &sink),
             WBEM_S_NO_ERROR);
    CHECK(sink.WaitDone());
    CHECK_EQ(sink.statusCount(), 1u);
    CHECK(sink.indications().empty());
    TestSink::Status st = sink.status();
    CHECK_HR(st.hr, WBEM_S_NO_ERROR);
    CHECK(st.hasParam);
    CHECK_EQ(A(st.param), std::string("Row.Key=\"a\\\"b\""));
    CHECK_EQ(sink.refs(), 1u);
    CHECK_EQ(sink.maxRefs(), 2u);  // exactly one server reference while pending
    // It was written.
    ComPtr<IWbemClassObject> got;
    Bstr path(st.param);
    CHECK_HR(f.svc->GetObject(path.get(), 0, nullptr, got.put(), nullptr), WBEM_S_NO_ERROR);
    CHECK_EQ(PropStr(got.get(), "Key"), std::string("a\"b"));
  }
  CHECK_QUIESCENT(base);
}

WP_TEST("services: __ExtendedStatus carries Description, Operation, ParameterInfo, ProviderName, StatusCode") {
  const emb::Counters base = emb::GetCounters();
  {
    Fixture f;
    f.AddClass(KeyedClass("Row"));
    CHECK_HR(f.svc->PutInstance(f.NewInstance("Row", "x").get(), 0, nullptr, nullptr), WBEM_S_NO_ERROR);
    TestSink sink;
    CHECK_HR(f.svc->PutInstanceAsync(f.NewInstance("Row", "x").get(), WBEM_FLAG_CREATE_ONLY, nullptr, &sink),
             WBEM_S_NO_ERROR);
    CHECK(sink.WaitDone());
    TestSink::Status st = sink.status();
    CHECK_HR(st.hr, WBEM_E_ALREADY_EXISTS);
    CHECK(!st.hasParam);
    IWbemClassObject* e = st.error.get();
    CHECK(e);
    CHECK_EQ(PropStr(e, "__CLASS"), std::string("__ExtendedStatus"));
    CHECK_EQ(PropStr(e, "__SUPERCLASS"), std::string("__NotifyStatus"));
    CHECK_EQ(PropStr(e, "Operation"), std::string("PutInstance"));
    CHECK_EQ(PropStr(e, "ProviderName"), std::string("Windows Management"));
    CHECK(!PropStr(e, "Description").empty());
    CHECK(PropStr(e, "Description") != std::string("<not a string>"));
    CHECK(PropStr(e, "ParameterInfo").find("Row") != std::string::npos);
    Variant code = Prop(e, "StatusCode");
    CHECK_EQ(code.vt(), VT_I4);
    CHECK_EQ(static_cast<uint32_t>(code.get()->lVal), 0x80041019u);
    CIMTYPE type = 0;
    CHECK_HR(e->Get(OLESTR("StatusCode"), 0, nullptr, &type, nullptr), WBEM_S_NO_ERROR);
    CHECK_EQ(type, static_cast<CIMTYPE>(CIM_UINT32));

    // Operation names of the other methods.
    TestSink del;
    Bstr path(OLESTR("Row.Key=\"none\""));
    CHECK_HR(f.svc->DeleteInstanceAsync(path.get(), 0, nullptr, &del), WBEM_S_NO_ERROR);
    CHECK(del.WaitDone());
    CHECK_HR(del.status().hr, WBEM_E_NOT_FOUND);
    CHECK_EQ(PropStr(del.status().error.get(), "Operation"), std::string("DeleteInstance"));
    TestSink cls;
    auto inst = f.NewInstance("Row", "y");
    CHECK_HR(f.svc->PutClassAsync(inst.get(), 0, nullptr, &cls), WBEM_S_NO_ERROR);
    CHECK(cls.WaitDone());
    CHECK_HR(cls.status().hr, WBEM_E_INVALID_CLASS);
    CHECK_EQ(PropStr(cls.status().error.get(), "Operation"), std::string("PutClass"));
    TestSink get;
    Bstr missing(OLESTR("Row.Key=\"zzz\""));
    CHECK_HR(f.svc->GetObjectAsync(missing.get(), 0, nullptr, &get), WBEM_S_NO_ERROR);
    CHECK(get.WaitDone());
    CHECK_HR(get.status().hr, WBEM_E_NOT_FOUND);
    CHECK_EQ(PropStr(get.status().error.get(), "Operation"), std::string("GetObject"));
    CHECK(get.indications().empty());
  }
  CHECK_QUIESCENT(base);
}

WP_TEST("services: sync PutInstance returns what the async form delivers, with a call result") {
  const emb::Counters base = emb::GetCounters();
  {
    Fixture f;
    f.AddClass(KeyedClass("Row"));
    ComPtr<IWbemCallResult> cr;
    CHECK_HR(f.svc->PutInstance(f.NewInstance("Row", "k").get(), WBEM_FLAG_CREATE_ONLY, nullptr, cr.put()),
             WBEM_S_NO_ERROR);
    CHECK(cr);
    long status = -1;
    CHECK_HR(cr->GetCallStatus(0, &status), WBEM_S_NO_ERROR);
    CHECK_EQ(status, 0L);
    Bstr text;
    CHECK_HR(cr->GetResultString(0, text.put()), WBEM_S_NO_ERROR);
    CHECK_EQ(A(text.view()), std::string("Row.Key=\"k\""));
    ComPtr<IWbemServices> none;
    CHECK_HR(cr->GetResultServices(0, none.put()), WBEM_E_NOT_SUPPORTED);
    // Failure: same HRESULT returned, the call result carries it too.
    CHECK_HR(f.svc->PutInstance(f.NewInstance("Row", "k").get(), WBEM_FLAG_CREATE_ONLY, nullptr, cr.put()),
             WBEM_E_ALREADY_EXISTS);
    CHECK(cr);
    CHECK_HR(cr->GetCallStatus(WBEM_INFINITE, &status), WBEM_S_NO_ERROR);
    CHECK_EQ(static_cast<uint32_t>(status), 0x80041019u);
    CHECK_HR(cr->GetResultString(0, text.put()), WBEM_E_ALREADY_EXISTS);
    CHECK(!text);
    // Without a call result.
    CHECK_HR(f.svc->PutInstance(f.NewInstance("Row", "k").get(), WBEM_FLAG_UPDATE_ONLY, nullptr, nullptr),
             WBEM_S_NO_ERROR);
    CHECK_HR(f.svc->PutInstance(f.NewInstance("Row", "k2").get(), WBEM_FLAG_UPDATE_ONLY, nullptr, nullptr),
             WBEM_E_NOT_FOUND);
    // Sync-only flag rules.
    CHECK_HR(f.svc->PutInstance(f.NewInstance("Row", "k").get(), WBEM_FLAG_SEND_STATUS, nullptr, nullptr),
             WBEM_E_INVALID_PARAMETER);
    CHECK_HR(f.svc->PutInstance(f.NewInstance("Row", "k").get(), WBEM_FLAG_RETURN_IMMEDIATELY, nullptr, nullptr),
             WBEM_E_INVALID_PARAMETER);
    CHECK_HR(f.svc->PutClass(f.NewInstance("Row", "k").get(), 0, nullptr, nullptr), WBEM_E_INVALID_CLASS);
    auto cls = emb::NewClassObject(KeyedClass("C2"));
    CHECK_HR(f.svc->PutInstance(cls.get(), 0, nullptr, nullptr), WBEM_E_INVALID_OBJECT);
    CHECK_HR(f.svc->PutClass(cls.get(), WBEM_FLAG_UPDATE_SAFE_MODE, nullptr, cr.put()), WBEM_S_NO_ERROR);
    CHECK_HR(cr->GetResultString(0, text.put()), WBEM_S_NO_ERROR);
    CHECK_EQ(A(text.view()), std::string("C2"));
    // Faults apply to sync forms too.
    emb::InjectFault(*f.repo, {static_cast<HRESULT>(WBEM_E_SHUTTING_DOWN), 2, emb::FaultWhen::kThroughSink});
    CHECK_HR(f.svc->PutInstance(f.NewInstance("Row", "f").get(), 0, nullptr, nullptr), WBEM_E_SHUTTING_DOWN);
    CHECK_HR(f.svc->PutInstance(f.NewInstance("Row", "f").get(), 0, nullptr, nullptr), WBEM_E_SHUTTING_DOWN);
    CHECK_HR(f.svc->PutInstance(f.NewInstance("Row", "f").get(), 0, nullptr, nullptr), WBEM_S_NO_ERROR);
  }
  CHECK_QUIESCENT(base);
}

WP_TEST("services: semisynchronous PutInstance times out in GetCallStatus while pending") {
  const emb::Counters base = emb::GetCounters();
  {
    Fixture f;
    f.AddClass(KeyedClass("Row"));
    emb::RepositoryControls slow;
    slow.latency = std::chrono::milliseconds(300);
    emb::SetControls(*f.repo, slow);
    ComPtr<IWbemCallResult> cr;
    const auto t0 = std::chrono::steady_clock::now();
    CHECK_HR(f.svc->PutInstance(f.NewInstance("Row", "semi").get(), WBEM_FLAG_RETURN_IMMEDIATELY, nullptr,
                                cr.put()),
             WBEM_S_NO_ERROR);
    CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::milliseconds(250));
    long status = 12345;
    CHECK_HR(cr->GetCallStatus(0, &status), WBEM_S_TIMEDOUT);
    CHECK_EQ(status, 12345L);
    CHECK_HR(cr->GetCallStatus(20, &status), WBEM_S_TIMEDOUT);
    Bstr text;
    CHECK_HR(cr->GetResultString(0, text.put()), WBEM_S_TIMEDOUT);
    CHECK_HR(cr->GetCallStatus(-5, &status), WBEM_E_INVALID_PARAMETER);
    CHECK_HR(cr->GetCallStatus(WBEM_INFINITE, &status), WBEM_S_NO_ERROR);
    CHECK_EQ(status, 0L);
    CHECK(std::chrono::steady_clock::now() - t0 >= std::chrono::milliseconds(300));
    CHECK_HR(cr->GetResultString(0, text.put()), WBEM_S_NO_ERROR);
    CHECK_EQ(A(text.view()), std::string("Row.Key=\"semi\""));
    // A semisynchronous failure.
    CHECK_HR(f.svc->PutInstance(f.NewInstance("Row", "semi").get(),
                                WBEM_FLAG_RETURN_IMMEDIATELY | WBEM_FLAG_CREATE_ONLY, nullptr, cr.put()),
             WBEM_S_NO_ERROR);
    CHECK_HR(cr->GetCallStatus(WBEM_INFINITE, &status), WBEM_S_NO_ERROR);
    CHECK_EQ(static_cast<uint32_t>(status), 0x80041019u);
    // Semisynchronous GetObject hands the object through GetResultObject.
    emb::SetControls(*f.repo, emb::RepositoryControls{});
    Bstr path(OLESTR("Row.Key=\"semi\""));
    ComPtr<IWbemClassObject> obj;
    CHECK_HR(f.svc->GetObject(path.get(), WBEM_FLAG_RETURN_IMMEDIATELY, nullptr, obj.put(), cr.put()),
             WBEM_S_NO_ERROR);
    CHECK(!obj);
    CHECK_HR(cr->GetResultObject(WBEM_INFINITE, obj.put()), WBEM_S_NO_ERROR);
    CHECK(obj);
    CHECK_EQ(PropStr(obj.get(), "Key"), std::string("semi"));
    CHECK_HR(f.svc->GetObject(path.get(), WBEM_FLAG_RETURN_IMMEDIATELY, nullptr, nullptr, nullptr),
             WBEM_E_INVALID_PARAMETER);
  }
  CHECK_QUIESCENT(base);
}

WP_TEST("services: GetObject of NULL, a class path, an instance path; GetObjectAsync indicates once") {
  const emb::Counters base = emb::GetCounters();
  {
    Fixture f;
    f.AddClass(KeyedClass("Row"));
    CHECK_HR(f.svc->PutInstance(f.NewInstance("Row", "g").get(), 0, nullptr, nullptr), WBEM_S_NO_ERROR);
    ComPtr<IWbemClassObject> obj;
    CHECK_HR(f.svc->GetObject(nullptr, 0, nullptr, obj.put(), nullptr), WBEM_S_NO_ERROR);
    Variant genus = Prop(obj.get(), "__GENUS");
    CHECK_EQ(genus.vt(), VT_I4);
    CHECK_EQ(genus.get()->lVal, 1);
    CHECK_EQ(emb::ViewOf(obj.get())->IsClass(), true);
    CHECK(emb::ViewOf(obj.get())->Class().properties.empty());
    Bstr empty(OLESTR(""));
    CHECK_HR(f.svc->GetObject(empty.get(), 0, nullptr, obj.put(), nullptr), WBEM_S_NO_ERROR);
    CHECK(emb::ViewOf(obj.get())->IsClass());

    Bstr cls(OLESTR("row"));
    CHECK_HR(f.svc->GetObject(cls.get(), 0, nullptr, obj.put(), nullptr), WBEM_S_NO_ERROR);
    CHECK_EQ(PropStr(obj.get(), "__CLASS"), std::string("Row"));
    CHECK_EQ(PropStr(obj.get(), "__NAMESPACE"), std::string("root\\default"));
    CHECK(PropStr(obj.get(), "__PATH").find(":Row") != std::string::npos);

    Bstr inst(OLESTR("Row.Key=\"g\""));
    CHECK_HR(f.svc->GetObject(inst.get(), 0, nullptr, obj.put(), nullptr), WBEM_S_NO_ERROR);
    Variant g2 = Prop(obj.get(), "__GENUS");
    CHECK_EQ(g2.get()->lVal, 2);
    CHECK_EQ(PropStr(obj.get(), "__RELPATH"), std::string("Row.Key=\"g\""));

    Bstr bad(OLESTR("Row.Key="));
    CHECK_HR(f.svc->GetObject(bad.get(), 0, nullptr, obj.put(), nullptr), WBEM_E_INVALID_OBJECT_PATH);
    CHECK(!obj);
    Bstr missing(OLESTR("Nope"));
    CHECK_HR(f.svc->GetObject(missing.get(), 0, nullptr, obj.put(), nullptr), WBEM_E_NOT_FOUND);
    CHECK_HR(f.svc->GetObject(missing.get(), 0, nullptr, nullptr, nullptr), WBEM_E_INVALID_PARAMETER);
    CHECK_HR(f.svc->GetObject(inst.get(), WBEM_FLAG_SEND_STATUS, nullptr, obj.put(), nullptr),
             WBEM_E_INVALID_PARAMETER);

    TestSink sink;
    CHECK_HR(f.svc->GetObjectAsync(inst.get(), 0, nullptr, &sink), WBEM_S_NO_ERROR);
    CHECK(sink.WaitDone());
    auto ind = sink.indications();
    CHECK_EQ(ind.size(), 1u);
    CHECK_EQ(ind[0].count, 1L);
    CHECK_EQ(PropStr(ind[0].objects[0].get(), "Key"), std::string("g"));
    CHECK_EQ(sink.statusCount(), 1u);
    CHECK_HR(sink.status().hr, WBEM_S_NO_ERROR);
    CHECK(!sink.indicateAfterStatus());
    CHECK_EQ(sink.maxConcurrent(), 1);
  }
  CHECK_QUIESCENT(base);
}

WP_TEST("services: enumerations deliver Indicate batches of at most 256, then SetStatus") {
  const emb::Counters base = emb::GetCounters();
  {
    Fixture f;
    f.AddClass(KeyedClass("Row"));
    for (int i = 0; i < 600; ++i) {
      CHECK_HR(f.svc->PutInstance(f.NewInstance("Row", W(std::to_string(i).c_str())).get(), 0, nullptr, nullptr),
               WBEM_S_NO_ERROR);
    }
    TestSink sink;
    Bstr cls(OLESTR("Row"));
    CHECK_HR(f.svc->CreateInstanceEnumAsync(cls.get(), 0, nullptr, &sink), WBEM_S_NO_ERROR);
    CHECK(sink.WaitDone());
    auto ind = sink.indications();
    CHECK_EQ(ind.size(), 3u);
    CHECK_EQ(ind[0].count, 256L);
    CHECK_EQ(ind[1].count, 256L);
    CHECK_EQ(ind[2].count, 88L);
    std::set<std::string> keys;
    for (auto& batch : ind)
      for (auto& o : batch.objects) keys.insert(PropStr(o.get(), "Key"));
    CHECK_EQ(keys.size(), 600u);
    CHECK_EQ(sink.statusCount(), 1u);
    CHECK_HR(sink.status().hr, WBEM_S_NO_ERROR);
    CHECK(!sink.indicateAfterStatus());
    CHECK_EQ(sink.maxConcurrent(), 1);
    ind.clear();

    // Synchronous enumerator.
    ComPtr<IEnumWbemClassObject> e;
    CHECK_HR(f.svc->CreateInstanceEnum(cls.get(), 0, nullptr, e.put()), WBEM_S_NO_ERROR);
    std::vector<IWbemClassObject*> out(700, nullptr);
    ULONG got = 0;
    CHECK_HR(e->Next(WBEM_INFINITE, 10, out.data(), &got), WBEM_S_NO_ERROR);
    CHECK_EQ(got, 10u);
    for (ULONG i = 0; i < got; ++i) ComPtr<IWbemClassObject>::Adopt(out[i]);
    CHECK_HR(e->Skip(WBEM_INFINITE, 500), WBEM_S_NO_ERROR);
    ComPtr<IEnumWbemClassObject> clone;
    CHECK_HR(e->Clone(clone.put()), WBEM_S_NO_ERROR);
    CHECK_HR(e->Next(WBEM_INFINITE, 700, out.data(), &got), WBEM_S_FALSE);
    CHECK_EQ(got, 90u);
    for (ULONG i = 0; i < got; ++i) ComPtr<IWbemClassObject>::Adopt(out[i]);
    CHECK_HR(e->Next(0, 1, out.data(), &got), WBEM_S_FALSE);
    CHECK_EQ(got, 0u);
    CHECK_HR(clone->Skip(0, 100), WBEM_S_FALSE);
    CHECK_HR(e->Reset(), WBEM_S_NO_ERROR);
    CHECK_HR(e->Skip(0, 600), WBEM_S_NO_ERROR);
    CHECK_HR(e->Next(0, 1, nullptr, &got), WBEM_E_INVALID_PARAMETER);
    CHECK_HR(e->NextAsync(1, &sink), WBEM_E_NOT_SUPPORTED);

    // Forward-only semisynchronous enumerator; a failing one reports from Next.
    CHECK_HR(f.svc->CreateInstanceEnum(cls.get(), WBEM_FLAG_RETURN_IMMEDIATELY | WBEM_FLAG_FORWARD_ONLY,
                                       nullptr, e.put()),
             WBEM_S_NO_ERROR);
    CHECK_HR(e->Reset(), WBEM_E_INVALID_OPERATION);
    CHECK_HR(e->Clone(clone.put()), WBEM_E_INVALID_OPERATION);
    Bstr nope(OLESTR("NoSuchClass"));
    CHECK_HR(f.svc->CreateInstanceEnum(nope.get(), 0, nullptr, e.put()), WBEM_E_INVALID_CLASS);
    CHECK(!e);
    CHECK_HR(f.svc->CreateInstanceEnum(nope.get(), WBEM_FLAG_RETURN_IMMEDIATELY, nullptr, e.put()),
             WBEM_S_NO_ERROR);
    CHECK_HR(e->Next(0, 1, out.data(), &got), WBEM_E_INVALID_CLASS);
    CHECK_HR(f.svc->CreateInstanceEnum(nullptr, 0, nullptr, e.put()), WBEM_E_INVALID_PARAMETER);
    CHECK_HR(f.svc->CreateInstanceEnum(cls.get(), WBEM_FLAG_SEND_STATUS, nullptr, e.put()),
             WBEM_E_INVALID_PARAMETER);
    e.reset();
    clone.reset();
  }
  CHECK_QUIESCENT(base);
}

WP_TEST("services: class enumerations, shallow and deep") {
  const emb::Counters base = emb::GetCounters();
  {
    Fixture f;
    f.AddClass(KeyedClass("Base1"));
    ClassPtr parent;
    CHECK_HR(f.repo->GetClass(OLESTR("root\\default"), OLESTR("Base1"), &parent), WBEM_S_NO_ERROR);
    ClassData child = emb::DeriveFrom(*parent);
    child.name = OLESTR("Child1");
    f.AddClass(child);
    ClassData grandchild = emb::DeriveFrom(*parent);
    grandchild.name = OLESTR("Child2");
    f.AddClass(grandchild);

    auto names = [&](const OLECHAR* super, long flags) {
      std::set<std::string> out;
      ComPtr<IEnumWbemClassObject> e;
      Bstr s = super ? Bstr(super) : Bstr();
      HRESULT hr = f.svc->CreateClassEnum(s.get(), flags, nullptr, e.put());
      if (FAILED(hr)) return out;
      for (;;) {
        IWbemClassObject* o = nullptr;
        ULONG n = 0;
        e->Next(WBEM_INFINITE, 1, &o, &n);
        if (n == 0) break;
        ComPtr<IWbemClassObject> own = ComPtr<IWbemClassObject>::Adopt(o);
        out.insert(PropStr(o, "__CLASS"));
      }
      return out;
    };
    std::set<std::string> shallow = names(OLESTR("Base1"), WBEM_FLAG_SHALLOW);
    CHECK_EQ(shallow.size(), 2u);
    CHECK(shallow.count("Child1") == 1 && shallow.count("Child2") == 1);
    std::set<std::string> top = names(nullptr, WBEM_FLAG_SHALLOW);
    CHECK(top.count("Base1") == 1);
    CHECK(top.count("__SystemClass") == 1);
    CHECK(top.count("Child1") == 0);
    std::set<std::string> all = names(nullptr, 0);
    CHECK(all.count("Child1") == 1);
    CHECK(all.count("__ExtendedStatus") == 1);

    TestSink sink;
    CHECK_HR(f.svc->CreateClassEnumAsync(nullptr, 0, nullptr, &sink), WBEM_S_NO_ERROR);
    CHECK(sink.WaitDone());
    size_t total = 0;
    for (auto& b : sink.indications()) total += static_cast<size_t>(b.count);
    CHECK_EQ(total, all.size());
    CHECK_HR(sink.status().hr, WBEM_S_NO_ERROR);
  }
  CHECK_QUIESCENT(base);
}

WP_TEST("services: DeleteInstance and DeleteClass, sync and async") {
  const emb::Counters base = emb::GetCounters();
  {
    Fixture f;
    f.AddClass(KeyedClass("Row"));
    CHECK_HR(f.svc->PutInstance(f.NewInstance("Row", "d").get(), 0, nullptr, nullptr), WBEM_S_NO_ERROR);
    Bstr path(OLESTR("Row.Key=\"d\""));
    TestSink sink;
    CHECK_HR(f.svc->DeleteInstanceAsync(path.get(), 0, nullptr, &sink), WBEM_S_NO_ERROR);
    CHECK(sink.WaitDone());
    CHECK_HR(sink.status().hr, WBEM_S_NO_ERROR);
    CHECK(!sink.status().error);
    ComPtr<IWbemClassObject> obj;
    CHECK_HR(f.svc->GetObject(path.get(), 0, nullptr, obj.put(), nullptr), WBEM_E_NOT_FOUND);
    CHECK_HR(f.svc->DeleteInstance(path.get(), 0, nullptr, nullptr), WBEM_E_NOT_FOUND);
    CHECK_HR(f.svc->DeleteInstance(nullptr, 0, nullptr, nullptr), WBEM_E_INVALID_PARAMETER);
    CHECK_HR(f.svc->DeleteInstanceAsync(path.get(), 0, nullptr, nullptr), WBEM_E_INVALID_PARAMETER);
    Bstr cls(OLESTR("Row"));
    ComPtr<IWbemCallResult> cr;
    CHECK_HR(f.svc->DeleteClass(cls.get(), WBEM_FLAG_RETURN_IMMEDIATELY, nullptr, cr.put()), WBEM_S_NO_ERROR);
    long status = -1;
    CHECK_HR(cr->GetCallStatus(WBEM_INFINITE, &status), WBEM_S_NO_ERROR);
    CHECK_EQ(status, 0L);
    CHECK_HR(f.svc->GetObject(cls.get(), 0, nullptr, obj.put(), nullptr), WBEM_E_NOT_FOUND);
    TestSink again;
    CHECK_HR(f.svc->DeleteClassAsync(cls.get(), 0, nullptr, &again), WBEM_S_NO_ERROR);
    CHECK(again.WaitDone());
    CHECK_HR(again.status().hr, WBEM_E_NOT_FOUND);
    CHECK_EQ(PropStr(again.status().error.get(), "Operation"), std::string("DeleteClass"));
  }
  CHECK_QUIESCENT(base);
}

WP_TEST("services: a deleted namespace gives INVALID_NAMESPACE synchronously") {
  const emb::Counters base = emb::GetCounters();
  {
    emb::RepositoryPtr repo = emb::NewRepository();
    ComPtr<IWbemServices> root;
    CHECK_HR(emb::ConnectServer(repo, OLESTR("root"), root.put()), WBEM_S_NO_ERROR);
    ClassPtr nsClass;
    CHECK_HR(repo->GetClass(OLESTR("root"), OLESTR("__NAMESPACE"), &nsClass), WBEM_S_NO_ERROR);
    InstanceData d = emb::NewInstance(nsClass);
    d.values[static_cast<size_t>(nsClass->FindProperty(OLESTR("Name")))] = Variant::FromBstr(OLESTR("Temp"));
    auto nsObj = emb::NewInstanceObject(std::move(d));
    CHECK_HR(root->PutInstance(nsObj.get(), 0, nullptr, nullptr), WBEM_S_NO_ERROR);
    ComPtr<IWbemServices> temp;
    CHECK_HR(emb::ConnectServer(repo, OLESTR("root/temp"), temp.put()), WBEM_S_NO_ERROR);
    auto cls = emb::NewClassObject(KeyedClass("InTemp"));
    CHECK_HR(temp->PutClass(cls.get(), 0, nullptr, nullptr), WBEM_S_NO_ERROR);
    Bstr path(OLESTR("__NAMESPACE.Name=\"Temp\""));
    CHECK_HR(root->DeleteInstance(path.get(), 0, nullptr, nullptr), WBEM_S_NO_ERROR);
    TestSink sink;
    CHECK_HR(temp->PutClassAsync(cls.get(), 0, nullptr, &sink), WBEM_E_INVALID_NAMESPACE);
    CHECK_EQ(sink.maxRefs(), 1u);
    CHECK_EQ(sink.statusCount(), 0u);
    Bstr name(OLESTR("InTemp"));
    ComPtr<IWbemClassObject> obj;
    CHECK_HR(temp->GetObject(name.get(), 0, nullptr, obj.put(), nullptr), WBEM_E_INVALID_NAMESPACE);
    CHECK_HR(emb::ConnectServer(repo, OLESTR("root\\temp"), temp.put()), WBEM_E_INVALID_NAMESPACE);
  }
  CHECK_QUIESCENT(base);
}

WP_TEST("services: unsupported methods return WBEM_E_NOT_SUPPORTED") {
  const emb::Counters base = emb::GetCounters();
  {
    Fixture f;
    TestSink sink;
    Bstr wql(OLESTR("WQL")), q(OLESTR("select * from __NAMESPACE")), ns(OLESTR("x")), m(OLESTR("M"));
    ComPtr<IEnumWbemClassObject> e;
    ComPtr<IWbemServices> s2;
    ComPtr<IWbemObjectSink> qs;
    ComPtr<IWbemClassObject> out;
    CHECK_HR(f.svc->ExecQuery(wql.get(), q.get(), 0, nullptr, e.put()), WBEM_E_NOT_SUPPORTED);
    CHECK_HR(f.svc->ExecQueryAsync(wql.get(), q.get(), 0, nullptr, &sink), WBEM_E_NOT_SUPPORTED);
    CHECK_HR(f.svc->ExecNotificationQuery(wql.get(), q.get(), 0, nullptr, e.put()), WBEM_E_NOT_SUPPORTED);
    CHECK_HR(f.svc->ExecNotificationQueryAsync(wql.get(), q.get(), 0, nullptr, &sink), WBEM_E_NOT_SUPPORTED);
    CHECK_HR(f.svc->ExecMethod(ns.get(), m.get(), 0, nullptr, nullptr, out.put(), nullptr), WBEM_E_NOT_SUPPORTED);
    CHECK_HR(f.svc->ExecMethodAsync(ns.get(), m.get(), 0, nullptr, nullptr, &sink), WBEM_E_NOT_SUPPORTED);
    CHECK_HR(f.svc->OpenNamespace(ns.get(), 0, nullptr, s2.put(), nullptr), WBEM_E_NOT_SUPPORTED);
    CHECK_HR(f.svc->QueryObjectSink(0, qs.put()), WBEM_E_NOT_SUPPORTED);
    CHECK_EQ(sink.maxRefs(), 1u);
    ComPtr<IWbemServices> viaQi;
    CHECK_HR(f.svc.As(&viaQi), S_OK);
    ComPtr<IWbemClassObject> wrong;
    CHECK_HR(f.svc.As(&wrong), E_NOINTERFACE);
  }
  CHECK_QUIESCENT(base);
}

WP_TEST("system classes: every namespace holds them with their real properties and keys") {
  const std::vector<ClassPtr>& all = emb::SystemClasses();
  std::map<std::string, ClassPtr> byName;
  for (const ClassPtr& c : all) {
    CHECK(byName.count(A(c->name)) == 0);
    if (!c->superclass.empty()) CHECK(byName.count(A(c->superclass)) == 1);  // parents first
    byName[A(c->name)] = c;
  }
  const char* expected[] = {"__SystemClass", "__NAMESPACE", "__NotifyStatus", "__ExtendedStatus", "__Event",
                            "__ExtrinsicEvent", "__InstanceOperationEvent", "__InstanceCreationEvent",
                            "__InstanceModificationEvent", "__InstanceDeletionEvent", "__ClassOperationEvent",
                            "__ClassCreationEvent", "__ClassModificationEvent", "__ClassDeletionEvent",
                            "__NamespaceOperationEvent", "__NamespaceCreationEvent",
                            "__NamespaceModificationEvent", "__NamespaceDeletionEvent", "__TimerEvent",
                            "__IndicationRelated", "__EventConsumer", "__EventFilter",
                            "__FilterToConsumerBinding", "__Provider", "__Win32Provider",
                            "__ProviderRegistration", "__ObjectProviderRegistration",
                            "__ClassProviderRegistration", "__InstanceProviderRegistration",
                            "__MethodProviderRegistration", "__EventProviderRegistration",
                            "__EventConsumerProviderRegistration", "__PropertyProviderRegistration",
                            "__SystemSecurity", "__CacheControl", "__thisNAMESPACE"};
  for (const char* n : expected) {
    if (!byName.count(n)) Fail(__FILE__, __LINE__, std::string("missing ") + n);
  }
  auto prop = [&](const char* cls, const char* name) -> const emb::Property* {
    const ClassData& c = *byName.at(cls);
    int i = c.FindProperty(W(name));
    return i < 0 ? nullptr : &c.properties[static_cast<size_t>(i)];
  };
  auto isKey = [&](const char* cls, const char* name) {
    const ClassData& c = *byName.at(cls);
    int i = c.FindProperty(W(name));
    return i >= 0 && c.IsKeyProperty(static_cast<size_t>(i));
  };
  CHECK(byName.at("__SystemClass")->IsAbstract());
  CHECK(byName.at("__Event")->IsAbstract());
  CHECK(!byName.at("__ExtendedStatus")->IsAbstract());
  CHECK(byName.at("__thisNAMESPACE")->IsSingleton());
  CHECK(isKey("__NAMESPACE", "Name"));
  CHECK_EQ(prop("__NAMESPACE", "Name")->type, static_cast<CIMTYPE>(CIM_STRING));
  // __ExtendedStatus: inherited StatusCode + its own four strings.
  const ClassData& es = *byName.at("__ExtendedStatus");
  CHECK_EQ(A(es.superclass), std::string("__NotifyStatus"));
  CHECK_EQ(es.derivation.size(), 2u);
  CHECK_EQ(A(es.derivation[0]), std::string("__NotifyStatus"));
  CHECK_EQ(A(es.derivation[1]), std::string("__SystemClass"));
  CHECK_EQ(es.properties.size(), 5u);
  CHECK_EQ(prop("__ExtendedStatus", "StatusCode")->type, static_cast<CIMTYPE>(CIM_UINT32));
  CHECK_EQ(A(prop("__ExtendedStatus", "StatusCode")->origin), std::string("__NotifyStatus"));
  CHECK(prop("__ExtendedStatus", "StatusCode")->propagated);
  for (const char* p : {"Description", "Operation", "ParameterInfo", "ProviderName"}) {
    CHECK_EQ(prop("__ExtendedStatus", p)->type, static_cast<CIMTYPE>(CIM_STRING));
    CHECK_EQ(A(prop("__ExtendedStatus", p)->origin), std::string("__ExtendedStatus"));
  }
  // Events.
  CHECK_EQ(prop("__Event", "SECURITY_DESCRIPTOR")->type, static_cast<CIMTYPE>(CIM_UINT8 | CIM_FLAG_ARRAY));
  CHECK_EQ(prop("__Event", "TIME_CREATED")->type, static_cast<CIMTYPE>(CIM_UINT64));
  CHECK_EQ(prop("__InstanceModificationEvent", "TargetInstance")->type, static_cast<CIMTYPE>(CIM_OBJECT));
  CHECK_EQ(prop("__InstanceModificationEvent", "PreviousInstance")->type, static_cast<CIMTYPE>(CIM_OBJECT));
  CHECK(prop("__InstanceModificationEvent", "TIME_CREATED") != nullptr);
  CHECK(prop("__ClassModificationEvent", "PreviousClass") != nullptr);
  CHECK(prop("__NamespaceModificationEvent", "PreviousNamespace") != nullptr);
  CHECK(prop("__TimerEvent", "TimerId") != nullptr);
  // Registration classes.
  CHECK(isKey("__EventFilter", "Name"));
  for (const char* p : {"Query", "QueryLanguage", "EventNamespace", "EventAccess"}) {
    CHECK_EQ(prop("__EventFilter", p)->type, static_cast<CIMTYPE>(CIM_STRING));
  }
  CHECK_EQ(prop("__EventFilter", "CreatorSID")->value.vt(), static_cast<VARTYPE>(VT_ARRAY | VT_UI1));
  CHECK(isKey("__FilterToConsumerBinding", "Filter"));
  CHECK(isKey("__FilterToConsumerBinding", "Consumer"));
  CHECK_EQ(prop("__FilterToConsumerBinding", "Filter")->type, static_cast<CIMTYPE>(CIM_REFERENCE));
  CHECK_EQ(prop("__FilterToConsumerBinding", "DeliverSynchronously")->type, static_cast<CIMTYPE>(CIM_BOOLEAN));
  CHECK_EQ(prop("__FilterToConsumerBinding", "DeliverSynchronously")->value.get()->boolVal, VARIANT_FALSE);
  CHECK(isKey("__Win32Provider", "Name"));
  CHECK_EQ(A(prop("__Win32Provider", "Name")->origin), std::string("__Provider"));
  CHECK_EQ(prop("__Win32Provider", "CLSID")->type, static_cast<CIMTYPE>(CIM_STRING));
  CHECK_EQ(prop("__Win32Provider", "HostingModel")->type, static_cast<CIMTYPE>(CIM_STRING));
  CHECK_EQ(prop("__Win32Provider", "UnloadTimeout")->type, static_cast<CIMTYPE>(CIM_DATETIME));
  CHECK_EQ(prop("__Win32Provider", "Pure")->value.get()->boolVal, VARIANT_TRUE);
  CHECK(isKey("__InstanceProviderRegistration", "provider"));
  CHECK_EQ(prop("__InstanceProviderRegistration", "SupportsEnumeration")->value.get()->boolVal, VARIANT_TRUE);
  CHECK_EQ(prop("__ObjectProviderRegistration", "SupportsEnumeration")->value.get()->boolVal, VARIANT_FALSE);
  CHECK_EQ(prop("__ClassProviderRegistration", "ResultSetQueries")->type,
           static_cast<CIMTYPE>(CIM_STRING | CIM_FLAG_ARRAY));
  CHECK_EQ(prop("__EventProviderRegistration", "EventQueryList")->type,
           static_cast<CIMTYPE>(CIM_STRING | CIM_FLAG_ARRAY));
  CHECK_EQ(prop("__EventConsumerProviderRegistration", "ConsumerClassNames")->type,
           static_cast<CIMTYPE>(CIM_STRING | CIM_FLAG_ARRAY));
  CHECK(prop("__PropertyProviderRegistration", "SupportsPut") != nullptr);
  CHECK(prop("__MethodProviderRegistration", "provider") != nullptr);

  // A connected namespace serves them.
  const emb::Counters base = emb::GetCounters();
  {
    Fixture f;
    ComPtr<IWbemClassObject> obj;
    Bstr name(OLESTR("__win32provider"));
    CHECK_HR(f.svc->GetObject(name.get(), 0, nullptr, obj.put(), nullptr), WBEM_S_NO_ERROR);
    CHECK_EQ(PropStr(obj.get(), "__CLASS"), std::string("__Win32Provider"));
    CHECK_EQ(PropStr(obj.get(), "__SUPERCLASS"), std::string("__Provider"));
  }
  CHECK_QUIESCENT(base);
}
