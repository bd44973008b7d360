#include "embedded/storage.h"

#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <new>
#include <thread>

#include "com/raii.h"
#include "embedded/storage_crc.h"
#include "embedded/storage_file.h"

namespace wmiput::embedded::storage {
namespace {

constexpr char kMagic[8] = {'W', 'M', 'I', 'P', 'U', 'T', 'R', 'P'};
constexpr size_t kHeaderSize = 24;
constexpr uint32_t kFrameMagic = 0x314D5246u;  // bytes "FRM1"
constexpr size_t kFrameHeader = 16;
constexpr size_t kRecordHeader = 5;
constexpr size_t kMaxFrame = size_t{16} << 20;        // payload bytes per frame (soft)
constexpr uint64_t kMinCompactBytes = uint64_t{1} << 20;

// Thread: any.
std::vector<uint8_t> HeaderBytes() {
  std::vector<uint8_t> h(kHeaderSize, 0);
  std::memcpy(h.data(), kMagic, 8);
  const uint32_t version = kFormatVersion, size = kHeaderSize, reserved = 0;
  std::memcpy(h.data() + 8, &version, 4);
  std::memcpy(h.data() + 12, &size, 4);
  std::memcpy(h.data() + 16, &reserved, 4);
  const uint32_t crc = Crc32c(h.data(), 20);
  std::memcpy(h.data() + 20, &crc, 4);
  return h;
}

// Thread: any.
OleString Say(const std::string& path, const std::string& text) {
  return com::Utf8ToOle("The repository file '" + path + "' " + text);
}

// Thread: any. The byte length of the record starting at p (header included).
size_t RecordSize(const uint8_t* p) noexcept {
  uint32_t len;
  std::memcpy(&len, p + 1, 4);
  return kRecordHeader + len;
}

// Thread: any (the file's one writer). Writes whole records as frames of at
// most ~kMaxFrame payload bytes each.
bool WriteFrames(File& f, const uint8_t* data, size_t n, uint64_t* written, std::string* why) {
  size_t off = 0;
  while (off < n) {
    size_t end = off;
    while (end < n) {
      const size_t rec = RecordSize(data + end);
      if (end > off && end + rec - off > kMaxFrame) break;
      end += rec;
    }
    const uint32_t len = static_cast<uint32_t>(end - off);
    uint8_t hdr[kFrameHeader];
    const uint32_t payloadCrc = Crc32c(data + off, len);
    std::memcpy(hdr, &kFrameMagic, 4);
    std::memcpy(hdr + 4, &len, 4);
    std::memcpy(hdr + 8, &payloadCrc, 4);
    const uint32_t headerCrc = Crc32c(hdr, 12);
    std::memcpy(hdr + 12, &headerCrc, 4);
    if (!f.Append(hdr, kFrameHeader, why) || !f.Append(data + off, len, why)) return false;
    *written += kFrameHeader + len;
    off = end;
  }
  return true;
}

// Thread: any. True when bytes [p, p+n) start with a valid frame header whose
// payload fits in the n bytes and matches its checksum.
bool ValidFrameAt(const uint8_t* p, size_t n) noexcept {
  if (n < kFrameHeader) return false;
  uint32_t magic, len, payloadCrc, headerCrc;
  std::memcpy(&magic, p, 4);
  std::memcpy(&len, p + 4, 4);
  std::memcpy(&payloadCrc, p + 8, 4);
  std::memcpy(&headerCrc, p + 12, 4);
  if (magic != kFrameMagic || Crc32c(p, 12) != headerCrc) return false;
  if (len > n - kFrameHeader) return false;
  return Crc32c(p + kFrameHeader, len) == payloadCrc;
}

}  // namespace

struct Journal::State {
  // Sizes of records by kind: the inputs of the live-size estimate.
  struct Tally {
    uint64_t instBytes = 0, instCount = 0, otherBytes = 0;
    void Count(uint8_t type, uint64_t bytes) {
      if (type == kInstancePut) {
        instBytes += bytes;
        ++instCount;
      } else if (type == kClassPut || type == kClassState || type == kNamespaceCreate) {
        otherBytes += bytes;
      }
    }
    void Add(const Tally& o) {
      instBytes += o.instBytes;
      instCount += o.instCount;
      otherBytes += o.otherBytes;
    }
  };
  struct Waiter {
    uint64_t ticket;
    std::function<void(HRESULT)> fn;
  };

  std::string path, lockPath, tmpPath;
  File lock, file;  // `file` is written only by the commit thread once started

  mutable std::mutex mu;
  std::condition_variable wake;       // the commit thread
  std::condition_variable durableCv;  // WaitDurable
  std::condition_variable compactCv;  // CompactNow
  std::vector<uint8_t> pending;       // records not yet handed to the disk
  std::vector<uint8_t> tail;          // records since the snapshot mark (while capturing)
  bool capturing = false;
  uint64_t lastSeq = 0, durableSeq = 0;
  bool swapReady = false;
  File swapFile;
  uint64_t swapBytes = 0;
  Tally swapTally;  // the snapshot's records
  std::deque<Waiter> waiters;
  bool eligible = false;    // a queued waiter is already durable
  bool delivering = false;  // the commit thread is running completions
  HRESULT failed = S_OK;
  OleString failWhy;
  bool closing = false, stopping = false, stopped = false;
  // !failed && !closing && !stopping, readable without mu (Writable runs on
  // every put); written under mu by FailLocked and the closers.
  std::atomic<bool> accepting{true};
  std::thread committer, compactor;
  std::thread::id committerId;
  bool compacting = false;
  HRESULT compactResult = S_OK;
  SnapshotFn snapshot;
  LiveFn live;
  uint64_t fileBytes = 0;
  Tally tally;      // the records of the file (replayed, written, or the snapshot + its tail)
  Tally tailTally;  // the records of `tail`
  JournalStats stats;

  // mu held.
  uint64_t LiveEstimateLocked() const {
    const uint64_t avg = tally.instCount ? tally.instBytes / tally.instCount : 0;
    const uint64_t n = live ? live() : 0;
    return kHeaderSize + n * (avg + kFrameHeader / 8) + tally.otherBytes;
  }
  // mu held. A write or fsync failed: the log takes no more writes.
  void FailLocked(const std::string& why) {
    failed = WBEM_E_FAILED;
    failWhy = Say(path, "could not be written: " + why + ".");
    accepting.store(false, std::memory_order_release);
  }
  // mu held.
  void CountRecord(uint8_t type, size_t bytes) {
    tally.Count(type, bytes);
    if (capturing) tailTally.Count(type, bytes);
  }
  // mu held. Ends capturing the records written after the snapshot mark.
  void DropTailLocked() {
    capturing = false;
    tail.clear();
    tailTally = Tally{};
  }
};

namespace {

using State = Journal::State;

// Thread: the commit thread (or the one calling Close from it). Writes what
// is pending and syncs, without running completions.
void FlushInline(State& s) {
  std::vector<uint8_t> batch;
  uint64_t upto;
  {
    std::lock_guard<std::mutex> lk(s.mu);
    if (s.failed != S_OK || s.pending.empty() || !s.file.IsOpen()) return;
    batch.swap(s.pending);
    upto = s.lastSeq;
  }
  std::string why;
  uint64_t written = 0;
  const bool ok = WriteFrames(s.file, batch.data(), batch.size(), &written, &why) && s.file.Sync(&why);
  {
    std::lock_guard<std::mutex> lk(s.mu);
    s.fileBytes += written;
    if (ok) {
      s.durableSeq = upto;
      ++s.stats.commits;
    } else {
      s.FailLocked(why);
    }
  }
  s.durableCv.notify_all();
}

// Thread: the commit thread. Makes the snapshot in s.swapFile the log: the
// records since the mark go after it, then it is renamed over the log.
bool SwapIn(State& s, std::vector<uint8_t>& tail, File& fresh, std::string* why) {
  uint64_t written = 0;
  if (!WriteFrames(fresh, tail.data(), tail.size(), &written, why) || !fresh.Sync(why)) return false;
#ifdef _WIN32
  s.file.Close();  // Windows cannot rename over a file this process has open
#endif
  if (!RenameOver(s.tmpPath, s.path, why)) {
#ifdef _WIN32
    std::string ignored;
    s.file.Open(s.path, false, &ignored);
#endif
    return false;
  }
  s.file = std::move(fresh);
  std::lock_guard<std::mutex> lk(s.mu);
  s.fileBytes = s.swapBytes + written;
  return true;
}

void CompactionRun(std::shared_ptr<State> s);

// mu held. Starts the compaction thread.
void StartCompactionLocked(const std::shared_ptr<State>& s) {
  if (s->compactor.joinable()) s->compactor.join();  // finished: compacting was false
  s->compacting = true;
  s->compactResult = S_OK;
  s->compactor = std::thread([s] { CompactionRun(s); });
}

// Thread: the compaction thread.
void CompactionRun(std::shared_ptr<State> s) {
  HRESULT hr = S_OK;
  std::string why;
  File fresh;
  uint64_t bytes = 0;
  State::Tally snapTally;
  bool marked = false;
  try {
    Encoder snap;
    auto mark = [&s, &marked]() {
      std::lock_guard<std::mutex> lk(s->mu);
      s->capturing = true;
      s->tail.clear();
      s->tailTally = State::Tally{};
      marked = true;
      return s->lastSeq;
    };
    if (!s->snapshot || !s->snapshot(mark, &snap) || !marked) {
      hr = WBEM_E_FAILED;
      why = "snapshot failed";
    } else {
      const std::vector<uint8_t>& b = snap.bytes();
      for (size_t off = 0; off < b.size();) {
        const size_t rec = RecordSize(b.data() + off);
        snapTally.Count(b[off], rec);
        off += rec;
      }
      RemoveFile(s->tmpPath);
      const std::vector<uint8_t> header = HeaderBytes();
      bytes = header.size();
      if (!fresh.Open(s->tmpPath, true, &why) || !fresh.Append(header.data(), header.size(), &why) ||
          !WriteFrames(fresh, b.data(), b.size(), &bytes, &why) || !fresh.Sync(&why))
        hr = WBEM_E_FAILED;
    }
  } catch (const std::bad_alloc&) {
    hr = WBEM_E_OUT_OF_MEMORY;
    why = "out of memory";
  } catch (...) {
    hr = WBEM_E_FAILED;
    why = "unexpected failure";
  }
  std::unique_lock<std::mutex> lk(s->mu);
  if (hr != S_OK || s->stopping || s->failed != S_OK) {
    s->DropTailLocked();
    s->tail.shrink_to_fit();
    fresh.Close();
    RemoveFile(s->tmpPath);
    s->compactResult = hr != S_OK ? hr : static_cast<HRESULT>(WBEM_E_SHUTTING_DOWN);
    s->compacting = false;
    lk.unlock();
    s->compactCv.notify_all();
    return;
  }
  s->swapReady = true;
  s->swapFile = std::move(fresh);
  s->swapBytes = bytes;
  s->swapTally = snapTally;
  lk.unlock();
  s->wake.notify_one();
}

// Thread: the commit thread.
void CommitLoop(std::shared_ptr<State> s) {
  std::vector<uint8_t> batch;
  std::vector<State::Waiter> ready;
  std::unique_lock<std::mutex> lk(s->mu);
  for (;;) {
    s->wake.wait(lk, [&] {
      return !s->pending.empty() || s->swapReady || s->eligible || s->stopping;
    });
    const bool swap = s->swapReady && !s->stopping && s->failed == S_OK;
    File fresh;
    if (s->swapReady) {
      s->swapReady = false;
      fresh = std::move(s->swapFile);
      if (swap) {
        batch.swap(s->tail);
        s->pending.clear();
        // From here the file is the snapshot and its tail; what is appended
        // from now on counts on top.
        s->tally = s->swapTally;
        s->tally.Add(s->tailTally);
      } else {
        fresh.Close();
        RemoveFile(s->tmpPath);
        s->compacting = false;
        s->compactResult = WBEM_E_SHUTTING_DOWN;
        s->compactCv.notify_all();
      }
      s->DropTailLocked();
    }
    if (!swap) batch.swap(s->pending);
    const uint64_t upto = s->lastSeq;
    s->eligible = false;
    const bool write = (!batch.empty() || swap) && s->failed == S_OK;
    lk.unlock();

    std::string why;
    bool ok = true;
    uint64_t written = 0;
    if (write) {
      if (swap) {
        ok = SwapIn(*s, batch, fresh, &why);
      } else {
        ok = WriteFrames(s->file, batch.data(), batch.size(), &written, &why) && s->file.Sync(&why);
      }
    }
    batch.clear();

    lk.lock();
    if (write) {
      if (ok) {
        s->durableSeq = upto;
        ++s->stats.commits;
        if (swap) {
          ++s->stats.compactions;
        } else {
          s->fileBytes += written;
        }
      } else {
        s->FailLocked(why);
      }
      if (swap) {
        s->compacting = false;
        s->compactResult = ok ? S_OK : static_cast<HRESULT>(WBEM_E_FAILED);
        s->compactCv.notify_all();
        if (!ok) RemoveFile(s->tmpPath);
      }
    }
    // Completions whose records are on disk (all of them after a failure).
    ready.clear();
    for (auto it = s->waiters.begin(); it != s->waiters.end();) {
      if (s->failed != S_OK || it->ticket <= s->durableSeq) {
        ready.push_back(std::move(*it));
        it = s->waiters.erase(it);
      } else {
        ++it;
      }
    }
    const HRESULT status = s->failed;
    s->delivering = !ready.empty();
    lk.unlock();
    s->durableCv.notify_all();
    for (State::Waiter& w : ready) {
      try {
        w.fn(status);
      } catch (...) {
      }
    }
    ready.clear();
    lk.lock();
    s->delivering = false;
    if (s->stopping && s->pending.empty() && !s->swapReady && s->waiters.empty()) break;
    if (s->stopping && s->pending.empty() && !s->waiters.empty()) {
      // Nothing more will be written: what is still waiting is past the end.
      for (State::Waiter& w : s->waiters) w.ticket = 0;
      s->eligible = true;
      continue;
    }
    // Compaction: dead bytes (file - live) above live bytes.
    if (!s->compacting && !s->stopping && s->failed == S_OK && s->snapshot &&
        s->fileBytes > kMinCompactBytes && s->fileBytes > 2 * s->LiveEstimateLocked()) {
      try {
        StartCompactionLocked(s);
      } catch (...) {
        s->compacting = false;
      }
    }
  }
}

// Thread: the opener. Reads the log and applies every record.
HRESULT Replay(State& s, const Journal::ApplyFn& apply, OleString* why) {
  std::string err;
  uint64_t size = 0;
  if (!s.file.Size(&size, &err)) {
    *why = Say(s.path, "could not be read: " + err + ".");
    return WBEM_E_FAILED;
  }
  const std::vector<uint8_t> header = HeaderBytes();
  if (size < kHeaderSize) {
    // New, or its creation was interrupted: only a prefix of our header may be there.
    std::vector<uint8_t> head(static_cast<size_t>(size));
    size_t got = 0;
    if (size && (!s.file.ReadAt(0, head.data(), head.size(), &got, &err) || got != head.size())) {
      *why = Say(s.path, "could not be read: " + err + ".");
      return WBEM_E_FAILED;
    }
    if (size && std::memcmp(head.data(), header.data(), head.size()) != 0) {
      *why = Say(s.path, "is not a wmi-put repository file.");
      return WBEM_E_INVALID_STREAM;
    }
    if (!s.file.Truncate(0, &err) || !s.file.Append(header.data(), header.size(), &err) ||
        !s.file.Sync(&err) || !SyncDirectoryOf(s.path, &err)) {
      *why = Say(s.path, "could not be created: " + err + ".");
      return WBEM_E_FAILED;
    }
    s.fileBytes = kHeaderSize;
    return S_OK;
  }
  uint8_t head[kHeaderSize];
  size_t got = 0;
  if (!s.file.ReadAt(0, head, kHeaderSize, &got, &err) || got != kHeaderSize) {
    *why = Say(s.path, "could not be read: " + err + ".");
    return WBEM_E_FAILED;
  }
  if (std::memcmp(head, kMagic, 8) != 0) {
    *why = Say(s.path, "is not a wmi-put repository file.");
    return WBEM_E_INVALID_STREAM;
  }
  uint32_t version, headerCrc;
  std::memcpy(&version, head + 8, 4);
  std::memcpy(&headerCrc, head + 20, 4);
  if (Crc32c(head, 20) != headerCrc) {
    *why = Say(s.path, "has a damaged header.");
    return WBEM_E_INVALID_STREAM;
  }
  if (version != kFormatVersion) {
    *why = Say(s.path, "has format version " + std::to_string(version) +
                           "; this version of wmi-put reads version " +
                           std::to_string(kFormatVersion) + ".");
    return WBEM_E_NOT_SUPPORTED;
  }

  uint64_t off = kHeaderSize;
  std::vector<uint8_t> payload;
  while (off < size) {
    uint8_t fh[kFrameHeader];
    bool bad = false;
    uint32_t len = 0;
    if (!s.file.ReadAt(off, fh, kFrameHeader, &got, &err)) {
      *why = Say(s.path, "could not be read: " + err + ".");
      return WBEM_E_FAILED;
    }
    if (got < kFrameHeader) {
      bad = true;
    } else {
      uint32_t magic, hc;
      std::memcpy(&magic, fh, 4);
      std::memcpy(&len, fh + 4, 4);
      std::memcpy(&hc, fh + 12, 4);
      bad = magic != kFrameMagic || Crc32c(fh, 12) != hc || len > size - off - kFrameHeader;
    }
    if (!bad) {
      payload.resize(len);
      if (!s.file.ReadAt(off + kFrameHeader, payload.data(), len, &got, &err)) {
        *why = Say(s.path, "could not be read: " + err + ".");
        return WBEM_E_FAILED;
      }
      uint32_t pc;
      std::memcpy(&pc, fh + 8, 4);
      bad = got != len || Crc32c(payload.data(), len) != pc;
    }
    if (bad) {
      // A torn tail (the last commit never completed) is cut off; a damaged
      // frame followed by valid ones is corruption and the file is refused.
      std::vector<uint8_t> rest(static_cast<size_t>(size - off));
      if (!s.file.ReadAt(off, rest.data(), rest.size(), &got, &err)) {
        *why = Say(s.path, "could not be read: " + err + ".");
        return WBEM_E_FAILED;
      }
      rest.resize(got);
      for (size_t i = 1; i + kFrameHeader <= rest.size(); ++i) {
        uint32_t magic;
        std::memcpy(&magic, rest.data() + i, 4);
        if (magic == kFrameMagic && ValidFrameAt(rest.data() + i, rest.size() - i)) {
          *why = Say(s.path, "is damaged at offset " + std::to_string(off) +
                                 " (a commit frame fails its checksum and valid frames follow it); "
                                 "it was not opened. Restore a copy, or truncate the file to " +
                                 std::to_string(off) + " bytes to keep what precedes the damage.");
          return WBEM_E_INVALID_STREAM;
        }
      }
      if (!s.file.Truncate(off, &err) || !s.file.Sync(&err)) {
        *why = Say(s.path, "could not be repaired (cutting its torn tail): " + err + ".");
        return WBEM_E_FAILED;
      }
      s.stats.droppedTailBytes = size - off;
      size = off;
      break;
    }
    // Records of the frame.
    size_t p = 0;
    while (p < payload.size()) {
      if (payload.size() - p < kRecordHeader || RecordSize(payload.data() + p) > payload.size() - p) {
        *why = Say(s.path, "has a malformed record at offset " + std::to_string(off + kFrameHeader + p) + ".");
        return WBEM_E_INVALID_STREAM;
      }
      const uint8_t type = payload[p];
      const size_t rec = RecordSize(payload.data() + p);
      if (type < kNamespaceCreate || type > kClassState) {
        *why = Say(s.path, "holds a record of unknown type " + std::to_string(type) + " at offset " +
                               std::to_string(off + kFrameHeader + p) +
                               " (written by a newer version of wmi-put?).");
        return WBEM_E_NOT_SUPPORTED;
      }
      Decoder d(payload.data() + p + kRecordHeader, rec - kRecordHeader);
      OleString reason;
      if (!apply(type, d, &reason)) {
        *why = Say(s.path, "holds a record (type " + std::to_string(type) + ", offset " +
                               std::to_string(off + kFrameHeader + p) +
                               ") that cannot be applied: " + com::OleToUtf8(reason));
        return WBEM_E_INVALID_STREAM;
      }
      s.CountRecord(type, rec);
      ++s.stats.replayedRecords;
      p += rec;
    }
    off += kFrameHeader + len;
  }
  s.fileBytes = size;
  return S_OK;
}

}  // namespace

Journal::Journal(std::shared_ptr<State> s) : s_(std::move(s)) {}

// Thread: any.
Journal::~Journal() { Close(); }

// Thread: any.
HRESULT Journal::Open(const std::string& path, const ApplyFn& apply, std::unique_ptr<Journal>* out,
                      OleString* why) {
  try {
    auto s = std::make_shared<State>();
    s->path = path;
    s->lockPath = path + ".lock";
    s->tmpPath = path + ".compact";
    std::string err;
    if (path.empty()) {
      *why = OLESTR("The repository path is empty.");
      return WBEM_E_INVALID_PARAMETER;
    }
    if (!s->lock.Open(s->lockPath, true, &err)) {
      *why = Say(path, "cannot be used: its lock file could not be opened (" + err + ").");
      return WBEM_E_ACCESS_DENIED;
    }
    bool busy = false;
    if (!s->lock.TryLock(&busy, &err)) {
      if (busy) {
        *why = Say(path, "is in use: another process (or another open repository of this process) holds its lock.");
        return WBEM_E_ACCESS_DENIED;
      }
      *why = Say(path, "could not be locked: " + err + ".");
      return WBEM_E_FAILED;
    }
    RemoveFile(s->tmpPath);  // a compaction interrupted by a crash
    if (!s->file.Open(path, true, &err)) {
      *why = Say(path, "could not be opened: " + err + ".");
      return WBEM_E_ACCESS_DENIED;
    }
    HRESULT hr = Replay(*s, apply, why);
    if (FAILED(hr)) return hr;
    out->reset(new Journal(std::move(s)));
    return S_OK;
  } catch (const std::bad_alloc&) {
    *why = OLESTR("Out of memory while opening the repository.");
    return WBEM_E_OUT_OF_MEMORY;
  } catch (...) {
    *why = OLESTR("Unexpected failure while opening the repository.");
    return WBEM_E_FAILED;
  }
}

// Thread: any.
void Journal::Start(SnapshotFn snapshot, LiveFn live) {
  std::lock_guard<std::mutex> lk(s_->mu);
  s_->snapshot = std::move(snapshot);
  s_->live = std::move(live);
  s_->committer = std::thread([s = s_] { CommitLoop(s); });
  s_->committerId = s_->committer.get_id();
}

// Thread: any (repository write lock held).
HRESULT Journal::Writable(OleString* why) const {
  if (s_->accepting.load(std::memory_order_acquire)) return S_OK;  // the per-put case
  std::lock_guard<std::mutex> lk(s_->mu);
  if (s_->failed != S_OK) {
    if (why) *why = s_->failWhy + OLESTR(" The repository no longer accepts writes.");
    return WBEM_E_FAILED;
  }
  if (s_->closing || s_->stopping) {
    if (why) *why = Say(s_->path, "was closed.");
    return WBEM_E_SHUTTING_DOWN;
  }
  return S_OK;
}

// Thread: any (repository write lock held).
uint64_t Journal::Append(RecordType type, const uint8_t* body, size_t n) {
  uint8_t hdr[kRecordHeader];
  hdr[0] = type;
  const uint32_t len = static_cast<uint32_t>(n);
  std::memcpy(hdr + 1, &len, 4);
  State& s = *s_;
  std::lock_guard<std::mutex> lk(s.mu);
  const bool wasEmpty = s.pending.empty();
  s.pending.insert(s.pending.end(), hdr, hdr + kRecordHeader);
  s.pending.insert(s.pending.end(), body, body + n);
  if (s.capturing) {
    s.tail.insert(s.tail.end(), hdr, hdr + kRecordHeader);
    s.tail.insert(s.tail.end(), body, body + n);
  }
  s.CountRecord(type, kRecordHeader + n);
  ++s.stats.records;
  const uint64_t ticket = ++s.lastSeq;
  if (wasEmpty) s.wake.notify_one();
  return ticket;
}

// Thread: any.
uint64_t Journal::LastTicket() const {
  std::lock_guard<std::mutex> lk(s_->mu);
  return s_->lastSeq;
}

// Thread: any.
void Journal::AfterDurable(uint64_t ticket, std::function<void(HRESULT)> fn) {
  std::unique_lock<std::mutex> lk(s_->mu);
  State& s = *s_;
  if (s.failed != S_OK || s.stopped) {
    const HRESULT hr = s.failed != S_OK ? s.failed
                       : ticket <= s.durableSeq ? S_OK
                                                : static_cast<HRESULT>(WBEM_E_SHUTTING_DOWN);
    lk.unlock();
    fn(hr);
    return;
  }
  if (ticket <= s.durableSeq && s.waiters.empty() && !s.delivering) {
    lk.unlock();
    fn(S_OK);
    return;
  }
  s.waiters.push_back(State::Waiter{ticket, std::move(fn)});
  if (ticket <= s.durableSeq) {
    s.eligible = true;
    s.wake.notify_one();
  }
}

// Thread: any.
HRESULT Journal::WaitDurable(uint64_t ticket) {
  State& s = *s_;
  if (std::this_thread::get_id() == s.committerId) FlushInline(s);
  std::unique_lock<std::mutex> lk(s.mu);
  s.durableCv.wait(lk, [&] { return ticket <= s.durableSeq || s.failed != S_OK || s.stopped; });
  if (ticket <= s.durableSeq) return S_OK;
  return s.failed != S_OK ? s.failed : static_cast<HRESULT>(WBEM_E_SHUTTING_DOWN);
}

// Thread: any (repository write lock held).
void Journal::MarkClosing() {
  std::lock_guard<std::mutex> lk(s_->mu);
  s_->closing = true;
  s_->accepting.store(false, std::memory_order_release);
}

// Thread: any.
HRESULT Journal::Close() {
  State& s = *s_;
  {
    std::lock_guard<std::mutex> lk(s.mu);
    if (s.stopped) return s.failed;
    s.closing = true;
    s.stopping = true;
    s.accepting.store(false, std::memory_order_release);
  }
  s.wake.notify_all();
  if (s.committer.joinable()) {
    if (std::this_thread::get_id() == s.committerId) {
      // Called from a completion: the loop exits by itself once it returns.
      FlushInline(s);
      s.committer.detach();
    } else {
      s.committer.join();
    }
  } else {
    FlushInline(s);
  }
  if (s.compactor.joinable()) s.compactor.join();
  std::vector<State::Waiter> rest;
  {
    std::lock_guard<std::mutex> lk(s.mu);
    for (State::Waiter& w : s.waiters) rest.push_back(std::move(w));
    s.waiters.clear();
    s.stopped = true;
  }
  s.durableCv.notify_all();
  for (State::Waiter& w : rest) {
    const HRESULT hr = s.failed != S_OK ? s.failed
                       : w.ticket <= s.durableSeq ? S_OK
                                                  : static_cast<HRESULT>(WBEM_E_SHUTTING_DOWN);
    try {
      w.fn(hr);
    } catch (...) {
    }
  }
  s.file.Close();
  RemoveFile(s.tmpPath);
  s.lock.Close();
  return s.failed;
}

// Thread: any (not the commit thread).
HRESULT Journal::CompactNow() {
  State& s = *s_;
  std::unique_lock<std::mutex> lk(s.mu);
  s.compactCv.wait(lk, [&] { return !s.compacting || s.stopping; });
  if (s.stopping || s.stopped) return WBEM_E_SHUTTING_DOWN;
  if (s.failed != S_OK) return s.failed;
  if (!s.snapshot) return WBEM_E_INVALID_OPERATION;
  const uint64_t before = s.stats.compactions;
  StartCompactionLocked(s_);
  s.compactCv.wait(lk, [&] { return !s.compacting; });
  if (s.stats.compactions > before) return S_OK;
  return s.compactResult != S_OK ? s.compactResult : static_cast<HRESULT>(WBEM_E_FAILED);
}

// Thread: any.
JournalStats Journal::Stats() const {
  std::lock_guard<std::mutex> lk(s_->mu);
  JournalStats st = s_->stats;
  st.fileBytes = s_->fileBytes;
  st.liveEstimate = s_->LiveEstimateLocked();
  return st;
}

const std::string& Journal::path() const { return s_->path; }

}  // namespace wmiput::embedded::storage
