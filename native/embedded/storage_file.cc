#include "embedded/storage_file.h"

#include <cerrno>
#include <cstring>
#include <utility>

#ifdef _WIN32
#include <windows.h>

#include "com/raii.h"
#else
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#endif

namespace wmiput::embedded::storage {
namespace {

#ifdef _WIN32
// Thread: any.
std::string LastError(const char* what) {
  return std::string(what) + " failed (Windows error " + std::to_string(GetLastError()) + ")";
}
#else
// Thread: any.
std::string LastError(const char* what) {
  const int e = errno;
  return std::string(what) + " failed: " + std::strerror(e);
}
#endif

}  // namespace

#ifdef _WIN32

File& File::operator=(File&& other) noexcept {
  if (this != &other) {
    Close();
    handle_ = std::exchange(other.handle_, nullptr);
  }
  return *this;
}

// Thread: any.
bool File::Open(const std::string& path, bool create, std::string* why) {
  Close();
  HANDLE h = CreateFileW(com::Utf8ToOle(path).c_str(), GENERIC_READ | GENERIC_WRITE,
                         FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, nullptr,
                         create ? OPEN_ALWAYS : OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, nullptr);
  if (h == INVALID_HANDLE_VALUE) {
    *why = LastError("opening the file");
    return false;
  }
  handle_ = h;
  return true;
}

bool File::IsOpen() const noexcept { return handle_ != nullptr; }

// Thread: any.
void File::Close() noexcept {
  if (handle_) CloseHandle(static_cast<HANDLE>(handle_));
  handle_ = nullptr;
}

// Thread: any.
bool File::TryLock(bool* busy, std::string* why) {
  *busy = false;
  OVERLAPPED ov{};
  if (LockFileEx(static_cast<HANDLE>(handle_), LOCKFILE_EXCLUSIVE_LOCK | LOCKFILE_FAIL_IMMEDIATELY, 0,
                 1, 0, &ov))
    return true;
  const DWORD e = GetLastError();
  if (e == ERROR_LOCK_VIOLATION || e == ERROR_IO_PENDING || e == ERROR_SHARING_VIOLATION) {
    *busy = true;
    return false;
  }
  *why = LastError("locking the file");
  return false;
}

// Thread: any.
bool File::ReadAt(uint64_t offset, void* buf, size_t n, size_t* got, std::string* why) {
  *got = 0;
  while (*got < n) {
    OVERLAPPED ov{};
    const uint64_t at = offset + *got;
    ov.Offset = static_cast<DWORD>(at);
    ov.OffsetHigh = static_cast<DWORD>(at >> 32);
    const size_t want = n - *got;
    DWORD chunk = want > (1u << 30) ? (1u << 30) : static_cast<DWORD>(want);
    DWORD read = 0;
    if (!ReadFile(static_cast<HANDLE>(handle_), static_cast<char*>(buf) + *got, chunk, &read, &ov)) {
      if (GetLastError() == ERROR_HANDLE_EOF) return true;
      *why = LastError("reading the file");
      return false;
    }
    if (read == 0) return true;
    *got += read;
  }
  return true;
}

// Thread: any.
bool File::Append(const void* data, size_t n, std::string* why) {
  LARGE_INTEGER zero{};
  if (!SetFilePointerEx(static_cast<HANDLE>(handle_), zero, nullptr, FILE_END)) {
    *why = LastError("seeking the file");
    return false;
  }
  size_t done = 0;
  while (done < n) {
    const size_t want = n - done;
    DWORD chunk = want > (1u << 30) ? (1u << 30) : static_cast<DWORD>(want);
    DWORD wrote = 0;
    if (!WriteFile(static_cast<HANDLE>(handle_), static_cast<const char*>(data) + done, chunk, &wrote,
                   nullptr) ||
        wrote == 0) {
      *why = LastError("writing the file");
      return false;
    }
    done += wrote;
  }
  return true;
}

// Thread: any.
bool File::Sync(std::string* why) {
  if (FlushFileBuffers(static_cast<HANDLE>(handle_))) return true;
  *why = LastError("flushing the file");
  return false;
}

// Thread: any.
bool File::Truncate(uint64_t size, std::string* why) {
  LARGE_INTEGER at;
  at.QuadPart = static_cast<LONGLONG>(size);
  if (SetFilePointerEx(static_cast<HANDLE>(handle_), at, nullptr, FILE_BEGIN) &&
      SetEndOfFile(static_cast<HANDLE>(handle_)))
    return true;
  *why = LastError("truncating the file");
  return false;
}

// Thread: any.
bool File::Size(uint64_t* size, std::string* why) {
  LARGE_INTEGER s;
  if (!GetFileSizeEx(static_cast<HANDLE>(handle_), &s)) {
    *why = LastError("reading the file size");
    return false;
  }
  *size = static_cast<uint64_t>(s.QuadPart);
  return true;
}

// Thread: any.
bool RenameOver(const std::string& from, const std::string& to, std::string* why) {
  if (MoveFileExW(com::Utf8ToOle(from).c_str(), com::Utf8ToOle(to).c_str(),
                  MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH))
    return true;
  *why = LastError("replacing the file");
  return false;
}

// Thread: any.
bool RemoveFile(const std::string& path) {
  return DeleteFileW(com::Utf8ToOle(path).c_str()) || GetLastError() == ERROR_FILE_NOT_FOUND;
}

// Thread: any.
bool SyncDirectoryOf(const std::string&, std::string*) { return true; }

#else  // POSIX

File& File::operator=(File&& other) noexcept {
  if (this != &other) {
    Close();
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

// Thread: any.
bool File::Open(const std::string& path, bool create, std::string* why) {
  Close();
  int flags = O_RDWR | O_CLOEXEC;
  if (create) flags |= O_CREAT;
  int fd;
  do {
    fd = ::open(path.c_str(), flags, 0644);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) {
    *why = LastError("opening the file");
    return false;
  }
  fd_ = fd;
  return true;
}

bool File::IsOpen() const noexcept { return fd_ >= 0; }

// Thread: any.
void File::Close() noexcept {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

// Thread: any.
bool File::TryLock(bool* busy, std::string* why) {
  *busy = false;
  int r;
  do {
    r = ::flock(fd_, LOCK_EX | LOCK_NB);
  } while (r != 0 && errno == EINTR);
  if (r == 0) return true;
  if (errno == EWOULDBLOCK || errno == EAGAIN) {
    *busy = true;
    return false;
  }
  *why = LastError("locking the file");
  return false;
}

// Thread: any.
bool File::ReadAt(uint64_t offset, void* buf, size_t n, size_t* got, std::string* why) {
  *got = 0;
  while (*got < n) {
    const ssize_t r = ::pread(fd_, static_cast<char*>(buf) + *got, n - *got,
                              static_cast<off_t>(offset + *got));
    if (r < 0) {
      if (errno == EINTR) continue;
      *why = LastError("reading the file");
      return false;
    }
    if (r == 0) return true;
    *got += static_cast<size_t>(r);
  }
  return true;
}

// Thread: any.
bool File::Append(const void* data, size_t n, std::string* why) {
  if (::lseek(fd_, 0, SEEK_END) < 0) {
    *why = LastError("seeking the file");
    return false;
  }
  size_t done = 0;
  while (done < n) {
    const ssize_t r = ::write(fd_, static_cast<const char*>(data) + done, n - done);
    if (r < 0) {
      if (errno == EINTR) continue;
      *why = LastError("writing the file");
      return false;
    }
    done += static_cast<size_t>(r);
  }
  return true;
}

// Thread: any.
bool File::Sync(std::string* why) {
#if defined(__APPLE__)
  const int r = ::fsync(fd_);
#else
  const int r = ::fdatasync(fd_);
#endif
  if (r == 0) return true;
  *why = LastError("syncing the file");
  return false;
}

// Thread: any.
bool File::Truncate(uint64_t size, std::string* why) {
  if (::ftruncate(fd_, static_cast<off_t>(size)) == 0) return true;
  *why = LastError("truncating the file");
  return false;
}

// Thread: any.
bool File::Size(uint64_t* size, std::string* why) {
  struct stat st;
  if (::fstat(fd_, &st) != 0) {
    *why = LastError("reading the file size");
    return false;
  }
  *size = static_cast<uint64_t>(st.st_size);
  return true;
}

// Thread: any.
bool SyncDirectoryOf(const std::string& path, std::string* why) {
  const size_t slash = path.find_last_of('/');
  const std::string dir = slash == std::string::npos ? "." : (slash == 0 ? "/" : path.substr(0, slash));
  const int fd = ::open(dir.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    *why = LastError("opening the directory");
    return false;
  }
  const int r = ::fsync(fd);
  ::close(fd);
  if (r == 0 || errno == EINVAL) return true;  // some file systems cannot sync directories
  *why = LastError("syncing the directory");
  return false;
}

// Thread: any.
bool RenameOver(const std::string& from, const std::string& to, std::string* why) {
  if (::rename(from.c_str(), to.c_str()) != 0) {
    *why = LastError("renaming the file");
    return false;
  }
  return SyncDirectoryOf(to, why);
}

// Thread: any.
bool RemoveFile(const std::string& path) { return ::unlink(path.c_str()) == 0 || errno == ENOENT; }

#endif

}  // namespace wmiput::embedded::storage
