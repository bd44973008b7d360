// The Connection behind Connection::Open: one COM worker thread that makes
// every COM call of the connection (ARCHITECTURE.md §3–§4). The JS thread only
// locks, appends and notifies (Submit, Cancel) or drains completions.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

#include "client/api.h"
#include "client/class_cache.h"
#include "client/completion_queue.h"
#include "client/object_sink.h"
#include "com/raii.h"
#include "windows/call_hooks.h"

namespace wmiput::client {

class ConnectionImpl final : public Connection, private SinkOwner {
 public:
  // How long Close waits for the server to answer the cancels of operations
  // still in flight before completing them locally with WBEM_E_CALL_CANCELLED.
  static constexpr std::chrono::seconds kCloseTimeout{10};

  ConnectionImpl(ConnectOptions options, Doorbell doorbell);
  ~ConnectionImpl() override;

  // Thread: JS. Starts the worker (which connects first).
  void Start();

  void Submit(std::vector<OpRequest> requests) override;
  void Cancel(uint32_t id) override;
  size_t Drain(std::vector<Completion>* out, size_t max) override;
  void Close() override;
  size_t InFlight() const override;

 private:
  struct Active {
    com::ComPtr<ObjectSink> sink;
    // What the server was given (and what CancelAsyncCall takes): the sink
    // itself, or its Unsecapp stub on Windows. Released at the final status.
    com::ComPtr<IWbemObjectSink> handed;
    OpKind kind = OpKind::kPutInstance;
  };

  // SinkOwner. Thread: any.
  void OnProgress(Completion&& c) noexcept override;
  void OnFinal(Completion&& c) noexcept override;

  // Thread: COM worker.
  void Run() noexcept;
  void Process(std::vector<OpRequest>& requests, std::vector<uint32_t>& cancels,
               bool stopping) noexcept;
  void StartOp(OpRequest& req) noexcept;
  HRESULT Call(const OpRequest& req, IWbemClassObject* obj, IWbemContext* ctx,
               IWbemObjectSink* sink) noexcept;
  void Shutdown() noexcept;
  bool WaitAllFinished(std::chrono::milliseconds timeout) noexcept;
  HRESULT Connect(OleString* message) noexcept;
  // Thread: COM worker. Cancels one started operation (semisynchronous ones
  // are forgotten and completed here).
  void CancelActive(const com::ComPtr<ObjectSink>& sink,
                    const com::ComPtr<IWbemObjectSink>& handed) noexcept;
  // Thread: any. Completes `id` without a sink (never started, or the call
  // returned a failure).
  void CompleteHere(uint32_t id, HRESULT hr, OleString property, OleString message,
                    bool ring = true) noexcept;
  void Finished() noexcept;

  const ConnectOptions options_;
  CompletionQueue queue_;
  std::thread worker_;

  mutable std::mutex mutex_;
  std::condition_variable cv_;
  std::vector<OpRequest> requests_;        // guarded by mutex_
  std::vector<uint32_t> cancels_;          // guarded by mutex_
  // Its own lock, so that completions (server threads) and the JS thread's
  // Submit/Cancel do not contend for one mutex.
  std::mutex activeMutex_;
  std::condition_variable activeCv_;       // an operation finished while stopping_
  std::atomic<bool> stopping_{false};      // Shutdown is waiting for operations to finish
  std::unordered_map<uint32_t, Active> active_;  // started, not completed; guarded by activeMutex_
  bool stop_ = false;                      // guarded by mutex_
  bool closed_ = false;                    // guarded by mutex_ (JS side)
  std::atomic<size_t> inFlight_{0};

  // Bumped when a putClass/deleteClass of this connection completes; the
  // worker clears its class cache when it sees a new value.
  std::atomic<uint64_t> classGeneration_{0};

  // Worker-only state.
  // Windows: connect/sink-wrapping/semisynchronous hooks (native/windows/);
  // null elsewhere.
  std::unique_ptr<windows::CallHooks> hooks_;
  bool semisyncPending_ = false;
  com::ComPtr<IWbemServices> services_;
  HRESULT connectHr_ = S_OK;
  ClassCache cache_;
  uint64_t seenGeneration_ = 0;
};

}  // namespace wmiput::client
