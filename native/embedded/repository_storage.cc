// The durable repository's side of the repository (storage.h is the log):
// what each committed write logs, how a record is replayed into the
// in-memory structures on open, the snapshot a compaction writes, and the
// Repository / embedded.h entry points for durable repositories.
// Record bodies are laid out in docs/repository-format.md.
#include <algorithm>
#include <mutex>
#include <new>

#include "embedded/embedded.h"
#include "embedded/names.h"
#include "embedded/repository_impl.h"
#include "embedded/server_state.h"
#include "embedded/storage.h"

namespace wmiput::embedded {

using repo::ClassEntry;
using repo::Namespace;
using repo::StoredInstance;
using storage::Decoder;
using storage::Encoder;

namespace {

// Thread: any. The scratch buffer a writer encodes one record into.
Encoder& Scratch() {
  thread_local Encoder e;
  e.clear();
  return e;
}

// Thread: any (lock held). The namespace segment an instance of a
// __NAMESPACE class names.
OleString NamespaceNameOf(const StoredInstance& s) {
  const ClassEntry* e = s.entry;
  if (e->facts.keyOrder.empty()) return OleString();
  const VARIANT& v = *s.values[e->facts.keyOrder.front()].get();
  return v.vt == VT_BSTR && v.bstrVal ? com::ToOleString(v.bstrVal) : OleString();
}

// Thread: any (lock held). Instance record body.
bool EncodeInstance(Encoder& e, const Namespace& ns, const StoredInstance& s) {
  const ClassEntry& c = *s.entry;
  const size_t n = c.cls->properties.size();
  e.Str(ns.fullName);
  e.Str(c.name);
  e.U32(static_cast<uint32_t>(n));
  for (size_t i = 0; i < n; ++i)
    if (!storage::EncodeVariant(e, *s.values[i].get())) return false;
  e.U64(s.modified);
  e.U8(s.extras ? 1 : 0);
  if (s.extras) {
    if (!storage::EncodeQualifiers(e, s.extras->qualifiers)) return false;
    e.U32(static_cast<uint32_t>(s.extras->propertyQualifiers.size()));
    for (const QualifierList& q : s.extras->propertyQualifiers)
      if (!storage::EncodeQualifiers(e, q)) return false;
    e.U32(static_cast<uint32_t>(s.extras->modified.size()));
    for (bool b : s.extras->modified) e.U8(b ? 1 : 0);
  }
  return true;
}

// Thread: any (lock held). Appends a whole record (type, length, body) to out.
template <class F>
bool Record(Encoder* out, storage::RecordType type, F body) {
  out->U8(type);
  const size_t at = out->size();
  out->U32(0);
  if (!body(*out)) return false;
  out->PatchU32(at, static_cast<uint32_t>(out->size() - at - 4));
  return true;
}

// Replay: consecutive instance records usually name the same namespace and
// class. Reset by every other record (it may delete or change the class).
struct ReplayCache {
  const void* owner = nullptr;
  OleString ns, cls;
  Namespace* n = nullptr;
  ClassEntry* e = nullptr;
};
thread_local ReplayCache tlsReplay;

// Thread: any.
OpResult NotRecorded(OleStringView parameter) {
  return repo::Failure(WBEM_E_FAILED,
                       OLESTR("The change was made in memory but could not be recorded in the repository file (a value the file format cannot hold)."),
                       OleString(parameter));
}

}  // namespace

// ---- logging (lock held exclusively) ------------------------------------------

// Thread: any (executor or caller).
bool Repository::Impl::RefuseWrite(OleStringView parameter, OpResult* refused) const {
  OleString why;
  const HRESULT hr = journal->Writable(&why);
  if (SUCCEEDED(hr)) return false;
  *refused = repo::Failure(hr, std::move(why), OleString(parameter));
  return true;
}

// Thread: any (executor or caller).
void Repository::Impl::LogPutClass(Namespace* ns, const ClassData& cls, long flags, OpResult* r) {
  if (FAILED(r->hr)) {
    r->ticket = journal->LastTicket();
    return;
  }
  Encoder& e = Scratch();
  e.Str(ns->fullName);
  e.U32(static_cast<uint32_t>(flags));
  if (!storage::EncodeClass(e, cls)) {
    *r = NotRecorded(cls.name);
    r->ticket = journal->LastTicket();
    return;
  }
  r->ticket = journal->Append(storage::kClassPut, e.bytes().data(), e.size());
}

// Thread: any (executor or caller).
void Repository::Impl::LogPutInstance(Namespace* ns, StoredInstance* s, OpResult* r) {
  if (FAILED(r->hr) || !s) {
    r->ticket = journal->LastTicket();
    return;
  }
  if (s->entry->facts.isNamespaceClass) {
    Encoder& e = Scratch();
    e.Str(ns->fullName);
    e.Str(NamespaceNameOf(*s));
    journal->Append(storage::kNamespaceCreate, e.bytes().data(), e.size());
  }
  Encoder& e = Scratch();
  if (!EncodeInstance(e, *ns, *s)) {
    *r = NotRecorded(r->path);
    r->ticket = journal->LastTicket();
    return;
  }
  r->ticket = journal->Append(storage::kInstancePut, e.bytes().data(), e.size());
}

// Thread: any (executor or caller).
void Repository::Impl::LogDeleteClass(Namespace* ns, OleStringView className, OpResult* r) {
  if (FAILED(r->hr)) {
    r->ticket = journal->LastTicket();
    return;
  }
  Encoder& e = Scratch();
  e.Str(ns->fullName);
  e.Str(className);
  r->ticket = journal->Append(storage::kClassDelete, e.bytes().data(), e.size());
}

// Thread: any (executor or caller).
void Repository::Impl::LogDeleteInstance(Namespace* ns, bool namespaceInstance, OpResult* r) {
  if (FAILED(r->hr)) {
    r->ticket = journal->LastTicket();
    return;
  }
  Encoder& e = Scratch();
  e.Str(ns->fullName);
  e.Str(r->path);
  r->ticket = journal->Append(namespaceInstance ? storage::kNamespaceDelete : storage::kInstanceDelete,
                              e.bytes().data(), e.size());
}

// ---- replay (lock held exclusively) ------------------------------------------------

// Thread: the opener.
bool Repository::Impl::ApplyInstance(Decoder& d, OleString* why) {
  ReplayCache& c = tlsReplay;
  const void*& cacheOwner = c.owner;
  OleString& cacheNs = c.ns;
  OleString& cacheClass = c.cls;
  Namespace*& ns = c.n;
  ClassEntry*& e = c.e;
  const uint8_t* nsRaw;
  const uint8_t* clsRaw;
  uint32_t nsLen, clsLen;
  if (!d.StrRaw(&nsRaw, &nsLen) || !d.StrRaw(&clsRaw, &clsLen)) return *why = OLESTR("truncated"), false;
  auto same = [](const OleString& s, const uint8_t* raw, uint32_t len) {
    return s.size() == len && std::memcmp(s.data(), raw, len * sizeof(OLECHAR)) == 0;
  };
  if (cacheOwner != this || !ns || !e || !same(cacheNs, nsRaw, nsLen) || !same(cacheClass, clsRaw, clsLen)) {
    cacheOwner = nullptr;
    cacheNs.assign(nsLen, OLECHAR(0));
    if (nsLen) std::memcpy(&cacheNs[0], nsRaw, nsLen * sizeof(OLECHAR));
    cacheClass.assign(clsLen, OLECHAR(0));
    if (clsLen) std::memcpy(&cacheClass[0], clsRaw, clsLen * sizeof(OLECHAR));
    ns = FindNamespace(cacheNs);
    if (!ns) return *why = repo::Cat({OLESTR("namespace "), cacheNs, OLESTR(" does not exist")}), false;
    e = ns->Find(cacheClass);
    if (!e) return *why = repo::Cat({OLESTR("class "), cacheClass, OLESTR(" does not exist")}), false;
    if (!e->keyRoot || !e->keyRoot->table) return *why = OLESTR("the class cannot hold instances"), false;
    cacheOwner = this;
  }
  const size_t n = e->cls->properties.size();
  if (d.U32() != n) {
    cacheOwner = nullptr;
    return *why = OLESTR("the value count differs from the class definition"), false;
  }
  StoredInstance s;
  s.entry = e;
  s.values.reset(new com::Variant[n]);
  for (size_t i = 0; i < n; ++i)
    if (!storage::DecodeVariant(d, &s.values[i])) return *why = OLESTR("a value is malformed"), false;
  s.modified = d.U64();
  const uint8_t hasExtras = d.U8();
  if (!d.ok()) return *why = OLESTR("truncated"), false;
  if (hasExtras) {
    s.extras = std::make_unique<repo::InstanceExtras>();
    if (!storage::DecodeQualifiers(d, &s.extras->qualifiers)) return *why = OLESTR("bad qualifiers"), false;
    uint32_t k = d.U32();
    if (!d.ok() || k > d.remaining()) return *why = OLESTR("truncated"), false;
    s.extras->propertyQualifiers.resize(k);
    for (QualifierList& q : s.extras->propertyQualifiers)
      if (!storage::DecodeQualifiers(d, &q)) return *why = OLESTR("bad qualifiers"), false;
    k = d.U32();
    if (!d.ok() || k > d.remaining()) return *why = OLESTR("truncated"), false;
    s.extras->modified.resize(k);
    for (uint32_t i = 0; i < k; ++i) s.extras->modified[i] = d.U8() != 0;
    if (!d.ok()) return *why = OLESTR("truncated"), false;
  }
  thread_local OleString key;
  key.clear();
  OleString reason;
  if (FAILED(repo::BuildKey(*e, s.values.get(), &key, nullptr, &reason)))
    return *why = repo::Cat({OLESTR("bad key: "), reason}), false;
  repo::InstanceTable& table = *e->keyRoot->table;
  const uint64_t hash = repo::KeyHash(key);
  StoredInstance* existing = table.Find(key, hash);
  if (existing && existing->entry == e) {
    existing->values = std::move(s.values);
    existing->modified = s.modified;
    existing->extras = std::move(s.extras);
    return true;
  }
  // The key held by an instance of another class in the hierarchy: a log
  // written by PutInstanceLocked never holds this (it refuses such a put), so
  // erase the same way a delete would.
  if (existing) EraseInstance(ns, table, existing);
  table.Insert(hash, std::move(s));
  ++e->ownInstances;
  instanceCount.fetch_add(1, std::memory_order_relaxed);
  return true;
}

// Thread: the opener.
bool Repository::Impl::ApplyRecord(uint8_t type, Decoder& d, OleString* why) {
  if (type == storage::kInstancePut) return ApplyInstance(d, why);
  tlsReplay.owner = nullptr;
  OleString nsName = d.Str();
  if (!d.ok()) return *why = OLESTR("truncated"), false;
  Namespace* ns = FindNamespace(nsName);
  if (!ns) return *why = repo::Cat({OLESTR("namespace "), nsName, OLESTR(" does not exist")}), false;
  switch (type) {
    case storage::kNamespaceCreate: {
      OleString name = d.Str();
      if (!d.ok() || name.empty()) return *why = OLESTR("malformed"), false;
      for (const auto& c : ns->children)
        if (EqualsNoCase(c->name, name)) return true;
      CreateNamespace(ns, name, /*registerInParent=*/false);
      return true;
    }
    case storage::kNamespaceDelete:
    case storage::kInstanceDelete: {
      OleString path = d.Str();
      if (!d.ok()) return *why = OLESTR("malformed"), false;
      Namespace* at = nullptr;
      repo::InstanceTable* table = nullptr;
      StoredInstance* it = nullptr;
      OleString reason;
      if (FAILED(Locate(ns->fullName, path, &at, &table, &it, &reason)))
        return *why = repo::Cat({OLESTR("cannot delete "), path, OLESTR(": "), reason}), false;
      EraseInstance(at, *table, it);
      return true;
    }
    case storage::kClassPut: {
      const long flags = static_cast<long>(d.U32());
      ClassData cls;
      if (!storage::DecodeClass(d, &cls)) return *why = OLESTR("malformed class"), false;
      OpResult r = PutClassLocked(ns, cls, flags);
      if (FAILED(r.hr))
        return *why = repo::Cat({OLESTR("class "), cls.name, OLESTR(": "), r.description}), false;
      return true;
    }
    case storage::kClassDelete: {
      OleString name = d.Str();
      if (!d.ok()) return *why = OLESTR("malformed"), false;
      ClassEntry* e = ns->Find(name);
      if (!e) return *why = repo::Cat({OLESTR("class "), name, OLESTR(" does not exist")}), false;
      DropClassTree(ns, e);
      return true;
    }
    case storage::kClassState: {
      ClassData cls;
      if (!storage::DecodeClass(d, &cls)) return *why = OLESTR("malformed class"), false;
      if (ns->Find(cls.name)) return *why = repo::Cat({OLESTR("class "), cls.name, OLESTR(" exists twice")}), false;
      if (!cls.superclass.empty() && !ns->Find(cls.superclass))
        return *why = repo::Cat({OLESTR("superclass "), cls.superclass, OLESTR(" does not exist")}), false;
      AddClass(ns, Seal(ns, std::move(cls)));
      return true;
    }
    default:
      *why = OLESTR("unknown record type");
      return false;
  }
}

// ---- snapshot (compaction) -----------------------------------------------------------

// Thread: the compaction thread.
bool Repository::Impl::Snapshot(const std::function<uint64_t()>& mark, Encoder* out) const {
  std::shared_lock<std::shared_mutex> lock(mu);
  mark();
  // Namespaces in pre-order; the built-in ones exist on every open, so only
  // their absence is recorded.
  std::vector<const Namespace*> order;
  std::vector<const Namespace*> stack{root.get()};
  while (!stack.empty()) {
    const Namespace* n = stack.back();
    stack.pop_back();
    order.push_back(n);
    for (auto it = n->children.rbegin(); it != n->children.rend(); ++it) stack.push_back(it->get());
  }
  for (const OLECHAR* builtin : {OLESTR("cimv2"), OLESTR("default")}) {
    bool present = false;
    for (const auto& c : root->children) present = present || EqualsNoCase(c->name, builtin);
    if (present) continue;
    bool ok = Record(out, storage::kNamespaceDelete, [&](Encoder& e) {
      e.Str(root->fullName);
      e.Str(repo::Cat({OLESTR("__NAMESPACE.Name=\""), builtin, OLESTR("\"")}));
      return true;
    });
    if (!ok) return false;
  }
  for (const Namespace* n : order) {
    if (!n->parent) continue;
    const bool builtin = n->parent == root.get() &&
                         (EqualsNoCase(n->name, OLESTR("cimv2")) || EqualsNoCase(n->name, OLESTR("default")));
    if (builtin) continue;
    bool ok = Record(out, storage::kNamespaceCreate, [&](Encoder& e) {
      e.Str(n->parent->fullName);
      e.Str(n->name);
      return true;
    });
    if (!ok) return false;
  }
  // Classes, parents first; system classes come with every namespace.
  for (const Namespace* n : order) {
    std::vector<const ClassEntry*> cs(n->roots.rbegin(), n->roots.rend());
    while (!cs.empty()) {
      const ClassEntry* c = cs.back();
      cs.pop_back();
      if (!IsSystemName(c->name)) {
        bool ok = Record(out, storage::kClassState, [&](Encoder& e) {
          e.Str(n->fullName);
          return storage::EncodeClass(e, *c->cls);
        });
        if (!ok) return false;
      }
      cs.insert(cs.end(), c->children.rbegin(), c->children.rend());
    }
  }
  // Instances.
  for (const Namespace* n : order) {
    for (const auto& kv : n->classes) {
      const ClassEntry& c = *kv.second;
      if (c.keyRoot != &c || !c.table) continue;
      bool ok = true;
      c.table->ForEach([&](const StoredInstance& s) {
        if (ok)
          ok = Record(out, storage::kInstancePut, [&](Encoder& e) { return EncodeInstance(e, *n, s); });
      });
      if (!ok) return false;
    }
  }
  return true;
}

// ---- Repository -------------------------------------------------------------------

// Thread: any.
HRESULT Repository::Open(const std::string& path, std::unique_ptr<Repository>* out, OleString* why) {
  try {
    auto r = std::make_unique<Repository>();
    Impl* impl = r->impl_.get();
    tlsReplay = ReplayCache();
    {
      std::unique_lock<std::shared_mutex> lock(impl->mu);
      std::unique_ptr<storage::Journal> journal;
      HRESULT hr = storage::Journal::Open(
          path,
          [impl](uint8_t type, Decoder& d, OleString* w) {
            // Thread: the opener.
            return impl->ApplyRecord(type, d, w);
          },
          &journal, why);
      tlsReplay = ReplayCache();
      if (FAILED(hr)) return hr;
      impl->journal = std::move(journal);
    }
    impl->journal->Start(
        [impl](const std::function<uint64_t()>& mark, Encoder* o) {
          // Thread: the compaction thread.
          return impl->Snapshot(mark, o);
        },
        [impl]() {
          // Thread: the commit thread.
          return static_cast<uint64_t>(impl->instanceCount.load(std::memory_order_relaxed));
        });
    *out = std::move(r);
    return S_OK;
  } catch (const std::bad_alloc&) {
    *why = OLESTR("Out of memory while opening the repository.");
    return WBEM_E_OUT_OF_MEMORY;
  }
}

bool Repository::IsDurable() const noexcept { return impl_->journal != nullptr; }

// Thread: any.
void Repository::AfterDurable(uint64_t ticket, std::function<void(HRESULT)> fn) {
  if (!impl_->journal) {
    fn(S_OK);
    return;
  }
  impl_->journal->AfterDurable(ticket, std::move(fn));
}

// Thread: any.
HRESULT Repository::WaitDurable(uint64_t ticket) {
  return impl_->journal ? impl_->journal->WaitDurable(ticket) : S_OK;
}

// Thread: any.
HRESULT Repository::Close() {
  if (!impl_->journal) return S_OK;
  {
    std::unique_lock<std::shared_mutex> lock(impl_->mu);
    impl_->journal->MarkClosing();
  }
  return impl_->journal->Close();
}

// Thread: any.
HRESULT Repository::Compact() {
  return impl_->journal ? impl_->journal->CompactNow() : static_cast<HRESULT>(WBEM_E_INVALID_OPERATION);
}

// Thread: any.
DurableStats Repository::Stats() const {
  DurableStats d;
  if (!impl_->journal) return d;
  const storage::JournalStats s = impl_->journal->Stats();
  d.fileBytes = s.fileBytes;
  d.liveEstimate = s.liveEstimate;
  d.commits = s.commits;
  d.records = s.records;
  d.compactions = s.compactions;
  d.replayedRecords = s.replayedRecords;
  d.droppedTailBytes = s.droppedTailBytes;
  return d;
}

// ---- embedded.h ---------------------------------------------------------------------

// Thread: any.
HRESULT OpenRepository(const std::string& path, RepositoryPtr* out, std::string* why) noexcept {
  try {
    std::unique_ptr<Repository> r;
    OleString reason;
    HRESULT hr = Repository::Open(path, &r, &reason);
    if (FAILED(hr)) {
      if (why) *why = com::OleToUtf8(reason);
      return hr;
    }
    RepositoryPtr repo(r.release(), [](Repository* p) {
      // Thread: whichever thread drops the last reference.
      ForgetServerState(p);
      delete p;
    });
    ServerStateFor(repo);
    *out = std::move(repo);
    return S_OK;
  } catch (const std::bad_alloc&) {
    if (why) *why = "Out of memory while opening the repository.";
    return WBEM_E_OUT_OF_MEMORY;
  } catch (...) {
    if (why) *why = "Unexpected failure while opening the repository.";
    return WBEM_E_FAILED;
  }
}

// Thread: any.
HRESULT CloseRepository(Repository& repo) noexcept {
  try {
    return repo.Close();
  } catch (...) {
    return WBEM_E_FAILED;
  }
}

}  // namespace wmiput::embedded
