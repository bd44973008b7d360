// The CIM repository of the embedded server: namespaces, classes, instances
// and WMI's put semantics (wmi-put-semantics.md §1.3, §1.7, §2, §6). It is
// synchronous and COM-free at its surface except for the model types: the
// IWbemServices layer (services.h) validates flags, runs these on executor
// threads and turns OpResult into SetStatus + __ExtendedStatus.
//
// Thread: every method may be called from any thread concurrently. Readers
// (Get*, Enum*) do not block each other; writers are serialised.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <shared_mutex>
#include <string>
#include <vector>

#include "embedded/model.h"

namespace wmiput::embedded {

// The outcome of one repository operation.
struct OpResult {
  HRESULT hr = S_OK;
  // On success: the canonical relative path of the instance written (PutInstance)
  // or the class name (PutClass); what SetStatus passes as strParam.
  OleString path;
  // On failure: the __ExtendedStatus fields the repository knows.
  OleString description;    // a sentence saying what is wrong
  OleString parameterInfo;  // the class/property/path at fault
  // Durable repositories only (0 otherwise): the outcome may be reported once
  // WaitDurable/AfterDurable(ticket) says every write up to it is on disk.
  uint64_t ticket = 0;
};

// What a durable repository's file holds (tests, tools).
struct DurableStats {
  uint64_t fileBytes = 0;
  uint64_t liveEstimate = 0;
  uint64_t commits = 0;      // fsync'd commit frames since open
  uint64_t records = 0;      // records logged since open
  uint64_t compactions = 0;  // since open
  uint64_t replayedRecords = 0;
  uint64_t droppedTailBytes = 0;  // torn tail cut off at open
};

class Repository {
 public:
  Repository();  // root, root\cimv2, root\default with the system classes
  ~Repository();
  Repository(const Repository&) = delete;
  Repository& operator=(const Repository&) = delete;

  // Namespace names: '\' or '/' separators, case-insensitive. Returns the
  // stored spelling ("root\cimv2") or an empty string when absent.
  OleString CanonicalNamespace(OleStringView ns) const;
  // Thread: any, lock-free. Changes whenever a namespace is removed: a
  // namespace seen to exist while it was G still exists while it is G (lets
  // IWbemServices check its namespace once instead of under the lock per call).
  uint64_t NamespaceRemovals() const noexcept;
  OleString ServerName() const;  // the machine name put in __SERVER / __PATH

  // `flags` were already validated by the caller (only the CREATE/UPDATE,
  // update-mode and amended bits reach here). `ctx` may be null.
  OpResult PutClass(OleStringView ns, const ClassData& cls, long flags,
                    IWbemContext* ctx);
  OpResult PutInstance(OleStringView ns, const InstanceData& inst, long flags,
                       IWbemContext* ctx);
  // The same, taking the instance's values: they are moved into the store
  // instead of copied (IWbemServices hands over its own snapshot). Only
  // inst.values is taken (unspecified afterwards, whatever the outcome); the
  // rest of `inst`, its class included, is left as it was.
  OpResult PutInstance(OleStringView ns, InstanceData&& inst, long flags,
                       IWbemContext* ctx);
  // Deleting a class deletes its subclasses and all their instances;
  // deleting a __NAMESPACE instance removes that namespace subtree.
  OpResult DeleteClass(OleStringView ns, OleStringView className);
  OpResult DeleteInstance(OleStringView ns, OleStringView objectPath);

  // `path` is any form of §6 (class path, instance path, full path).
  // WBEM_E_NOT_FOUND, WBEM_E_INVALID_OBJECT_PATH, WBEM_E_INVALID_CLASS, ...
  HRESULT GetClass(OleStringView ns, OleStringView className, ClassPtr* out) const;
  HRESULT GetInstance(OleStringView ns, OleStringView objectPath,
                      InstanceData* out) const;

  // superclass empty = from the top; deep = the whole tree below, shallow =
  // only the immediate children (semantics of CreateClassEnum).
  HRESULT EnumClasses(OleStringView ns, OleStringView superclass, bool deep,
                      std::vector<ClassPtr>* out) const;
  // Instances of `className` and (deep) of its subclasses; shallow = only
  // those whose class is exactly `className` (CreateInstanceEnum).
  HRESULT EnumInstances(OleStringView ns, OleStringView className, bool deep,
                        std::vector<InstanceData>* out) const;

  // Number of stored instances across all namespaces (tests, benchmarks).
  size_t InstanceCount() const;

  // ---- durable repositories (repository_storage.cc, storage.h) ----
  // Thread: any. A repository replayed from the log file at `path` (UTF-8;
  // created when absent) whose every later write is logged there. Errors
  // (with *why naming the file): WBEM_E_ACCESS_DENIED (in use by another
  // process or open repository), WBEM_E_INVALID_STREAM (not a repository
  // file, or damaged before its end), WBEM_E_NOT_SUPPORTED (newer format),
  // WBEM_E_FAILED (I/O).
  static HRESULT Open(const std::string& path, std::unique_ptr<Repository>* out,
                      OleString* why);
  bool IsDurable() const noexcept;
  // Thread: any. fn(S_OK) once every write up to `ticket` is on disk, or
  // fn(error); from the commit thread or right here.
  void AfterDurable(uint64_t ticket, std::function<void(HRESULT)> fn);
  // Thread: any. Blocks until `ticket` is on disk.
  HRESULT WaitDurable(uint64_t ticket);
  // Thread: any. Flushes and releases the file; later writes fail with
  // WBEM_E_SHUTTING_DOWN, reads keep working. S_OK for in-memory ones.
  HRESULT Close();
  // Thread: any. Rewrites the file from the live data now (waits for it).
  HRESULT Compact();
  DurableStats Stats() const;

 private:
  struct Impl;
  // Both PutInstance overloads; `owned`: null, or inst.values to move from.
  OpResult PutInstanceIn(OleStringView ns, const InstanceData& inst,
                         std::vector<com::Variant>* owned, long flags, IWbemContext* ctx);
  std::unique_ptr<Impl> impl_;
};

}  // namespace wmiput::embedded
