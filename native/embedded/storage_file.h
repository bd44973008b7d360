// The operating-system layer of the durable repository: one open file with
// positional reads, appends, fsync, truncation, an exclusive advisory lock
// (flock on POSIX, LockFileEx on Windows), and atomic replace-by-rename.
// Paths are UTF-8. Errors are reported as a short English sentence.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace wmiput::embedded::storage {

class File {
 public:
  File() = default;
  ~File() { Close(); }
  File(const File&) = delete;
  File& operator=(const File&) = delete;
  File(File&& other) noexcept { *this = std::move(other); }
  File& operator=(File&& other) noexcept;

  // Thread: any (one owner at a time). Opens `path` for reading and writing,
  // creating it when `create` and absent.
  bool Open(const std::string& path, bool create, std::string* why);
  bool IsOpen() const noexcept;
  void Close() noexcept;
  // Exclusive, non-blocking lock of the whole file, held until Close. *busy is
  // set when another open file description (any process) holds it.
  bool TryLock(bool* busy, std::string* why);
  // Reads up to n bytes at `offset`; *got < n only at end of file.
  bool ReadAt(uint64_t offset, void* buf, size_t n, size_t* got, std::string* why);
  // Writes all n bytes at the end of the file.
  bool Append(const void* data, size_t n, std::string* why);
  // Data (and the size) reach the disk: fdatasync / FlushFileBuffers.
  bool Sync(std::string* why);
  bool Truncate(uint64_t size, std::string* why);
  bool Size(uint64_t* size, std::string* why);

 private:
#ifdef _WIN32
  void* handle_ = nullptr;  // HANDLE; null when closed
#else
  int fd_ = -1;
#endif
};

// Thread: any. Replaces `to` by `from` atomically (rename / MoveFileEx with
// REPLACE_EXISTING | WRITE_THROUGH) and, on POSIX, syncs the directory.
bool RenameOver(const std::string& from, const std::string& to, std::string* why);
// Thread: any. Removes a file; true when it is gone (or was never there).
bool RemoveFile(const std::string& path);
// Thread: any. Syncs the directory holding `path` (POSIX; no-op on Windows).
bool SyncDirectoryOf(const std::string& path, std::string* why);

}  // namespace wmiput::embedded::storage
