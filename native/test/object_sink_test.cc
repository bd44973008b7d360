// ObjectSink in isolation: one kDone per operation whatever the server does,
// progress packing, Indicate on puts ignored, results of GetObject carried by
// the final completion, local completion racing with SetStatus, detaching.
#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

#include "check.h"
#include "client/counters.h"
#include "client/object_sink.h"
#include "embedded/embedded.h"

namespace {

using namespace wmiput::client;
using wmiput::com::Bstr;
using wmiput::com::ComPtr;
using wmiput::com::OleString;

class Owner final : public SinkOwner {
 public:
  void OnProgress(Completion&& c) noexcept override {
    std::lock_guard<std::mutex> lock(mutex);
    progress.push_back(std::move(c));
  }
  void OnFinal(Completion&& c) noexcept override {
    std::lock_guard<std::mutex> lock(mutex);
    finals.push_back(std::move(c));
  }
  // Waits until `n` final completions arrived (the latch is taken before
  // the completion is handed over, so Completed() alone is not enough).
  void WaitFinals(size_t n) {
    for (int i = 0; i < 5000; ++i) {
      {
        std::lock_guard<std::mutex> lock(mutex);
        if (finals.size() >= n) return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }
  std::mutex mutex;
  std::vector<Completion> progress, finals;
};

WP_TEST("object_sink: a second COMPLETE is ignored; strParam and hr are copied") {
  Owner owner;
  int64_t before = live::sinks.load();
  {
    ComPtr<ObjectSink> sink = ObjectSink::Create(7, ObjectSink::Mode::kPut, &owner);
    CHECK_EQ(live::sinks.load(), before + 1);
    Bstr path{OleString(OLESTR("Contoso_App.Name=\"x\""))};
    CHECK_HR(sink->SetStatus(WBEM_STATUS_COMPLETE, S_OK, path.get(), nullptr), WBEM_S_NO_ERROR);
    CHECK_HR(sink->SetStatus(WBEM_STATUS_COMPLETE, WBEM_E_FAILED, nullptr, nullptr),
             WBEM_S_NO_ERROR);
    CHECK(!sink->CompleteLocally(WBEM_E_CALL_CANCELLED, OLESTR("late")));
    CHECK(sink->Completed());
  }
  CHECK_EQ(live::sinks.load(), before);
  CHECK_EQ(owner.finals.size(), size_t{1});
  CHECK_EQ(owner.finals[0].id, uint32_t{7});
  CHECK_HR(owner.finals[0].hr, S_OK);
  CHECK(owner.finals[0].strParam == OleString(OLESTR("Contoso_App.Name=\"x\"")));
  CHECK(!owner.finals[0].extended.present);
}

WP_TEST("object_sink: progress unpacks LOWORD/HIWORD; Indicate on a put is ignored") {
  Owner owner;
  ComPtr<ObjectSink> sink = ObjectSink::Create(3, ObjectSink::Mode::kPut, &owner);
  Bstr msg{OleString(OLESTR("half"))};
  CHECK_HR(sink->SetStatus(WBEM_STATUS_PROGRESS, static_cast<HRESULT>(0x00640032), msg.get(),
                           nullptr),
           WBEM_S_NO_ERROR);
  CHECK_HR(sink->Indicate(0, nullptr), WBEM_S_NO_ERROR);
  CHECK_HR(sink->SetStatus(WBEM_STATUS_LOGGING_INFORMATION, 0, nullptr, nullptr),
           WBEM_S_NO_ERROR);
  CHECK_EQ(owner.progress.size(), size_t{1});
  CHECK(owner.progress[0].type == Completion::Type::kProgress);
  CHECK_EQ(owner.progress[0].progressTotal, 100);
  CHECK_EQ(owner.progress[0].progressCurrent, 50);
  CHECK(owner.progress[0].progressMessage == OleString(OLESTR("half")));
  CHECK(owner.finals.empty());
  sink->SetStatus(WBEM_STATUS_COMPLETE, WBEM_E_CALL_CANCELLED, nullptr, nullptr);
  sink->SetStatus(WBEM_STATUS_PROGRESS, 0x00010001, nullptr, nullptr);  // after the end: dropped
  CHECK_EQ(owner.progress.size(), size_t{1});
  CHECK_EQ(owner.finals.size(), size_t{1});
  CHECK_HR(owner.finals[0].hr, WBEM_E_CALL_CANCELLED);
}

WP_TEST("object_sink: abandoned sinks deliver nothing; QueryInterface") {
  Owner owner;
  ComPtr<ObjectSink> sink = ObjectSink::Create(1, ObjectSink::Mode::kStream, &owner);
  ComPtr<IWbemObjectSink> asSink;
  CHECK_HR(sink.As(&asSink), S_OK);
  ComPtr<IWbemContext> wrong;
  CHECK_HR(sink.As(&wrong), E_NOINTERFACE);
  CHECK(sink->Abandon());
  CHECK(!sink->Abandon());
  asSink->SetStatus(WBEM_STATUS_COMPLETE, S_OK, nullptr, nullptr);
  CHECK(owner.finals.empty());
}

WP_TEST("object_sink: GetObject results travel with the final completion; errors with __ExtendedStatus") {
  auto repo = wmiput::embedded::NewRepository();
  ComPtr<IWbemServices> services;
  CHECK_HR(wmiput::embedded::ConnectServer(repo, OLESTR("root\\cimv2"), services.put()), S_OK);
  Owner owner;
  ComPtr<ObjectSink> sink = ObjectSink::Create(5, ObjectSink::Mode::kSingle, &owner);
  Bstr path{OleString(OLESTR("__ExtendedStatus"))};
  CHECK_HR(services->GetObjectAsync(path.get(), 0, nullptr, sink.get()), S_OK);
  owner.WaitFinals(1);
  {
    std::lock_guard<std::mutex> lock(owner.mutex);
    CHECK_EQ(owner.finals.size(), size_t{1});
    CHECK_HR(owner.finals[0].hr, S_OK);
    CHECK_EQ(owner.finals[0].objects.size(), size_t{1});
    CHECK(owner.finals[0].objects[0].isClass);
    CHECK(owner.finals[0].objects[0].classSpec->name == OleString(OLESTR("__ExtendedStatus")));
    CHECK(owner.progress.empty());
  }
  // A failing GetObject: the error object's fields are copied.
  ComPtr<ObjectSink> sink2 = ObjectSink::Create(6, ObjectSink::Mode::kSingle, &owner);
  Bstr missing{OleString(OLESTR("No_Such_Class"))};
  CHECK_HR(services->GetObjectAsync(missing.get(), 0, nullptr, sink2.get()), S_OK);
  owner.WaitFinals(2);
  std::lock_guard<std::mutex> lock(owner.mutex);
  CHECK_EQ(owner.finals.size(), size_t{2});
  CHECK_HR(owner.finals[1].hr, WBEM_E_NOT_FOUND);
  CHECK(owner.finals[1].objects.empty());
  CHECK(owner.finals[1].extended.present);
  CHECK_EQ(owner.finals[1].extended.statusCode, static_cast<uint32_t>(WBEM_E_NOT_FOUND));
}

WP_TEST("object_sink: local completion racing with SetStatus from 8 threads: exactly one") {
  for (int round = 0; round < 200; ++round) {
    Owner owner;
    ComPtr<ObjectSink> sink = ObjectSink::Create(9, ObjectSink::Mode::kPut, &owner);
    std::atomic<bool> go{false};
    std::atomic<int> localWins{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t) {
      threads.emplace_back([&, t] {
        while (!go.load()) std::this_thread::yield();
        if (t % 2) {
          sink->SetStatus(WBEM_STATUS_COMPLETE, S_OK, nullptr, nullptr);
        } else if (sink->CompleteLocally(WBEM_E_CALL_CANCELLED, OLESTR("local"))) {
          localWins.fetch_add(1);
        }
      });
    }
    go = true;
    for (auto& t : threads) t.join();
    CHECK_EQ(owner.finals.size(), size_t{1});
    CHECK_HR(owner.finals[0].hr, localWins.load() ? WBEM_E_CALL_CANCELLED : S_OK);
  }
}

}  // namespace
