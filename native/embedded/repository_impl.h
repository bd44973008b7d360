// Internals of the embedded CIM repository (repository.h), shared by
// repository.cc (namespaces, reads, deletes), repository_classes.cc (PutClass:
// the class create/update engine) and repository_instances.cc (PutInstance,
// keys and instance paths). Not for other layers.
//
// Layout: one Namespace per namespace (a tree under `root`); each holds a
// class table of ClassEntry (case-insensitive name -> entry, with parent and
// child links). Instances live in the InstanceTable of their class's *key
// root* (the top-most class of the chain that declares the keys; a keyless
// class is its own root), keyed by the folded canonical key tuple, so key
// uniqueness spans the whole hierarchy below the key-declaring class
// (wmi-put-semantics.md §9 item 3). An instance stores only its values and a
// pointer to its ClassEntry (the ClassData is shared).
//
// Locking: one std::shared_mutex per repository. Reads take it shared, every
// write takes it exclusively. Nothing here locks by itself: the caller does.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <shared_mutex>
#include <unordered_map>
#include <vector>

#include "embedded/names.h"
#include "embedded/object_path.h"
#include "embedded/repository.h"

namespace wmiput::embedded {
namespace storage {
class Journal;
class Encoder;
class Decoder;
}  // namespace storage
namespace repo {

struct ClassEntry;

// Rarely used parts of a stored instance (instance-level qualifiers).
struct InstanceExtras {
  QualifierList qualifiers;
  std::vector<QualifierList> propertyQualifiers;  // empty, or one per property
  std::vector<bool> modified;  // only for classes with more than 64 properties
};

// One stored instance. values has exactly entry->cls->properties.size()
// elements (an invariant every class change maintains).
struct StoredInstance {
  ClassEntry* entry = nullptr;
  std::unique_ptr<com::Variant[]> values;
  uint64_t modified = 0;  // bit i = property i was set (first 64 properties)
  uint64_t hash = 0;      // KeyHash of the folded key tuple
  std::unique_ptr<InstanceExtras> extras;
};

// Hash of a folded key tuple.
uint64_t KeyHash(OleStringView key) noexcept;
// True when `s`'s folded key tuple is `key` (rebuilt from its values: the
// key is not stored, which saves a string per instance).
bool KeyEquals(const StoredInstance& s, OleStringView key);

// Folded canonical key tuple -> instance: open addressing over (hash,
// pointer) slots with linear probing and tombstones. Instances are
// heap-allocated once and never move, so pointers stay valid until erased.
class InstanceTable {
 public:
  InstanceTable() = default;
  InstanceTable(const InstanceTable&) = delete;
  InstanceTable& operator=(const InstanceTable&) = delete;
  ~InstanceTable();

  size_t size() const noexcept { return size_; }
  StoredInstance* Find(OleStringView key, uint64_t hash) const;
  // `key` must be absent. Returns the stored instance.
  StoredInstance* Insert(uint64_t hash, StoredInstance&& s);
  void Erase(StoredInstance* s);
  // f(StoredInstance&) for every instance; f must not insert or erase.
  template <class F>
  void ForEach(F&& f) const {
    for (const Slot& slot : slots_)
      if (slot.inst && slot.inst != Tombstone()) f(*slot.inst);
  }

 private:
  struct Slot {
    uint64_t hash = 0;
    StoredInstance* inst = nullptr;  // null = never used
  };
  static StoredInstance* Tombstone() noexcept;
  void Grow();
  std::vector<Slot> slots_;  // size 0 or a power of two
  size_t size_ = 0;          // live instances
  size_t used_ = 0;          // live + tombstones
};

// Facts derived from a stored ClassData, recomputed whenever it changes.
struct ClassFacts {
  bool abstract = false;
  bool singleton = false;
  bool dynamic = false;
  bool amendment = false;
  bool isNamespaceClass = false;  // __NAMESPACE or derived from it
  // Indexes of the key properties, sorted case-insensitively by name (the
  // canonical __RELPATH order).
  std::vector<int> keyOrder;
  // Indexes of non-key properties that must not be NULL (Not_Null, Indexed).
  std::vector<int> notNull;
};

struct ClassEntry {
  OleString name;  // stored spelling; the class table's key views this string
  ClassPtr cls;
  ClassFacts facts;
  ClassEntry* parent = nullptr;
  std::vector<ClassEntry*> children;  // in creation order
  ClassEntry* keyRoot = nullptr;      // holds the table for this class's instances
  std::unique_ptr<InstanceTable> table;  // only on key roots
  size_t ownInstances = 0;  // instances whose class is exactly this one
};

// Case-insensitive hashing and comparison of namespace names that treats '/'
// and '\' alike.
struct NsHash {
  size_t operator()(OleStringView s) const noexcept;
};
struct NsEqual {
  bool operator()(OleStringView a, OleStringView b) const noexcept;
};

struct Namespace {
  OleString name;      // last segment as created
  OleString fullName;  // "root\cimv2"; byName_ keys view this string
  Namespace* parent = nullptr;
  std::vector<std::unique_ptr<Namespace>> children;
  std::unordered_map<OleStringView, std::unique_ptr<ClassEntry>, NoCaseHash,
                     NoCaseEqual>
      classes;
  std::vector<ClassEntry*> roots;  // base classes in creation order

  ClassEntry* Find(OleStringView className) const {
    auto it = classes.find(className);
    return it == classes.end() ? nullptr : it->second.get();
  }
};

// Builds an OpResult for a failure.
OpResult Failure(HRESULT hr, OleString description, OleString parameterInfo);

// Concatenation of string pieces (descriptions).
OleString Cat(std::initializer_list<OleStringView> parts);

// True for VT_EMPTY, VT_NULL and a null VT_UNKNOWN.
bool IsNull(const VARIANT& v) noexcept;
// Qualifier present with a value other than FALSE/NULL.
bool QualifierTrue(const QualifierList& list, OleStringView name);
// True when `d` is `ancestor` or derives from it.
bool DerivesFrom(const ClassEntry* d, const ClassEntry* ancestor) noexcept;

// Builds the folded canonical key tuple of `values` (laid out as e.cls) into
// *key and/or the canonical __RELPATH into *relPath (either may be null).
// WBEM_E_TYPE_MISMATCH when a key value has a VARIANT type its CIM type does
// not allow (why says which); NULL keys must have been handled before.
HRESULT BuildKey(const ClassEntry& e, const com::Variant* values, OleString* key,
                 OleString* relPath, OleString* why);

// Process-wide version stamps: every stored ClassData gets a distinct one, so
// equal versions mean the very same stored layout (used by PutInstance's fast
// path to skip the property-name mapping).
uint64_t NextVersion() noexcept;

}  // namespace repo

struct Repository::Impl {
  mutable std::shared_mutex mu;
  std::unique_ptr<repo::Namespace> root;
  std::unordered_map<OleStringView, repo::Namespace*, repo::NsHash, repo::NsEqual>
      byName;
  OleString server;
  std::atomic<size_t> instanceCount{0};
  // Bumped (lock held exclusively) by every RemoveNamespace.
  std::atomic<uint64_t> namespaceRemovals{0};

  // ---- namespaces (repository.cc) ----
  // Lock held by the caller (shared is enough).
  repo::Namespace* FindNamespace(OleStringView ns) const;
  // Lock held exclusively. Creates `name` under `parent` with the system
  // classes and, when parent is set and `registerInParent`, the __NAMESPACE
  // instance in the parent.
  repo::Namespace* CreateNamespace(repo::Namespace* parent, OleStringView name,
                                   bool registerInParent = true);
  // Lock held exclusively. Removes `child` (and its subtree) from its parent;
  // the parent's __NAMESPACE instance is removed by the caller.
  void RemoveNamespace(repo::Namespace* child);
  // Adds a stored class (parent already present). Lock held exclusively.
  repo::ClassEntry* AddClass(repo::Namespace* ns, ClassPtr cls);
  // Recomputes facts, key order and key root of `e` (parent's already done).
  void RefreshClass(repo::Namespace* ns, repo::ClassEntry* e);
  // A stored copy of `data` for namespace `ns`: location set, new version.
  ClassPtr Seal(const repo::Namespace* ns, ClassData data) const;
  // Deletes every instance of exactly class `e`.
  void DropInstancesOf(repo::Namespace* ns, repo::ClassEntry* e);
  // Deletes class `e`, its subclasses and all their instances.
  void DropClassTree(repo::Namespace* ns, repo::ClassEntry* e);
  // Removes one instance (and a child namespace for __NAMESPACE).
  void EraseInstance(repo::Namespace* ns, repo::InstanceTable& table,
                     repo::StoredInstance* s);
  // Copies a stored instance out.
  void Export(const repo::Namespace* ns, const repo::StoredInstance& s,
              InstanceData* out) const;

  // ---- instances (repository_instances.cc) ----
  // Resolves an instance path against namespace `ns` (or the namespace the
  // path names). On S_OK *table/*it address the stored instance.
  HRESULT Locate(OleStringView ns, OleStringView path, repo::Namespace** outNs,
                 repo::InstanceTable** table, repo::StoredInstance** it,
                 OleString* why) const;
  // `owned`: null, or inst.values handed over by the caller (values are moved
  // out of it instead of copied). On success *stored is the instance written.
  OpResult PutInstanceLocked(repo::Namespace* ns, const InstanceData& inst,
                             std::vector<com::Variant>* owned, long flags,
                             IWbemContext* ctx, repo::StoredInstance** stored);

  // ---- classes (repository_classes.cc) ----
  OpResult PutClassLocked(repo::Namespace* ns, const ClassData& cls, long flags);

  // ---- durability (repository_storage.cc; journal is null in memory) ----
  // Lock held exclusively. False (and *refused set) when the log takes no
  // more writes (closed, or an I/O failure).
  bool RefuseWrite(OleStringView parameter, OpResult* refused) const;
  // Lock held exclusively, after the operation: log it when it succeeded and
  // set r->ticket (a failure gets the last ticket, so it is reported in order).
  void LogPutClass(repo::Namespace* ns, const ClassData& cls, long flags, OpResult* r);
  // `stored`: what PutInstanceLocked wrote (null when it failed).
  void LogPutInstance(repo::Namespace* ns, repo::StoredInstance* stored, OpResult* r);
  void LogDeleteClass(repo::Namespace* ns, OleStringView className, OpResult* r);
  void LogDeleteInstance(repo::Namespace* ns, bool namespaceInstance, OpResult* r);
  // Replay of one record (lock held exclusively).
  bool ApplyRecord(uint8_t type, storage::Decoder& d, OleString* why);
  bool ApplyInstance(storage::Decoder& d, OleString* why);
  // Every live namespace, class and instance as records (takes the lock shared).
  bool Snapshot(const std::function<uint64_t()>& mark, storage::Encoder* out) const;
  // Declared last so that it is destroyed first: closing it joins threads
  // that read the rest.
  std::unique_ptr<storage::Journal> journal;
};

}  // namespace wmiput::embedded
