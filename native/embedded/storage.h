// The durable repository's log (docs/repository-format.md): a versioned file
// of checksummed commit frames holding records, group-committed by one
// commit thread, replayed on open, compacted in the background, owned by one
// process at a time through an advisory lock on "<path>.lock".
//
// Threads:
//   - writers (executor workers, sync callers) call Append with the
//     repository's write lock held, so records are in commit order; Append
//     only copies bytes into the pending batch;
//   - the commit thread takes every record queued since its last fsync,
//     writes them as one frame, fsyncs once, then runs the completions
//     (AfterDurable) whose records are now on disk;
//   - a compaction thread (started by the commit thread when dead bytes
//     exceed live bytes) writes a snapshot of the repository to
//     "<path>.compact"; the commit thread appends the records logged since the
//     snapshot and renames it over the log.
// The repository's in-memory state stays the source of truth for reads.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "embedded/model.h"
#include "embedded/storage_codec.h"

namespace wmiput::embedded::storage {

enum RecordType : uint8_t {
  kNamespaceCreate = 1,  // parent namespace, segment name
  kNamespaceDelete = 2,  // parent namespace, __RELPATH of its __NAMESPACE instance
  kClassPut = 3,         // namespace, flags, the ClassData given to PutClass
  kClassDelete = 4,      // namespace, class name
  kInstancePut = 5,      // namespace, class name, stored values and extras
  kInstanceDelete = 6,   // namespace, canonical __RELPATH
  kClassState = 7,       // namespace, a stored class exactly (snapshots)
};

constexpr uint32_t kFormatVersion = 1;

struct JournalStats {
  uint64_t fileBytes = 0;
  uint64_t liveEstimate = 0;   // bytes a snapshot would take (estimate)
  uint64_t commits = 0;        // fsync'd frames since open
  uint64_t records = 0;        // records appended since open
  uint64_t compactions = 0;
  uint64_t replayedRecords = 0;
  uint64_t droppedTailBytes = 0;  // torn tail cut off at open
};

class Journal {
 public:
  // Applies one replayed record; false = the record cannot be applied (*why).
  using ApplyFn = std::function<bool(uint8_t type, Decoder& body, OleString* why)>;
  // Writes the repository's whole state as records into *out, holding the
  // repository's lock (shared) and calling mark() under it: the snapshot then
  // covers every record up to the ticket mark() returns.
  using SnapshotFn = std::function<bool(const std::function<uint64_t()>& mark, Encoder* out)>;
  // Number of live instances (for the live-bytes estimate).
  using LiveFn = std::function<uint64_t()>;

  // Thread: any. Opens (or creates) the log at `path`, takes its lock and
  // replays it through `apply`. Errors: WBEM_E_ACCESS_DENIED (in use),
  // WBEM_E_INVALID_STREAM (not a repository file, or damaged before its
  // end), WBEM_E_NOT_SUPPORTED (newer format), WBEM_E_FAILED (I/O, a record
  // that cannot be applied); *why says which, naming the file.
  static HRESULT Open(const std::string& path, const ApplyFn& apply,
                      std::unique_ptr<Journal>* out, OleString* why);
  ~Journal();
  Journal(const Journal&) = delete;
  Journal& operator=(const Journal&) = delete;

  // Thread: any (once, after Open). Starts the commit thread.
  void Start(SnapshotFn snapshot, LiveFn live);

  // Thread: any, repository write lock held. S_OK when records may be
  // appended; otherwise why not (closed, or an earlier I/O failure).
  HRESULT Writable(OleString* why) const;
  // Thread: any, repository write lock held. Queues one record; returns its
  // ticket (1, 2, ... in commit order).
  uint64_t Append(RecordType type, const uint8_t* body, size_t n);
  // Thread: any, repository write lock held. The ticket of the last record.
  uint64_t LastTicket() const;
  // Thread: any. Calls fn(S_OK) once every record up to `ticket` is on disk
  // (fn(error) if it cannot be); on the commit thread, or right here when
  // that is already the case and nothing is queued before it.
  void AfterDurable(uint64_t ticket, std::function<void(HRESULT)> fn);
  // Thread: any. Blocks until `ticket` is durable; S_OK or the I/O failure.
  HRESULT WaitDurable(uint64_t ticket);

  // Thread: any. Marks the log closed for writers (repository write lock
  // held), so that Writable fails from now on.
  void MarkClosing();
  // Thread: any (not a repository lock holder). Flushes, stops the threads,
  // releases the lock. Idempotent.
  HRESULT Close();
  // Thread: any. Runs a compaction now and waits for it (tests, tools).
  HRESULT CompactNow();
  JournalStats Stats() const;
  const std::string& path() const;

  struct State;

 private:
  explicit Journal(std::shared_ptr<State> s);
  std::shared_ptr<State> s_;
};

}  // namespace wmiput::embedded::storage
