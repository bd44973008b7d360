// The embedded CIM repository: namespaces, reads, enumerations and deletes.
// PutClass lives in repository_classes.cc, PutInstance and instance paths in
// repository_instances.cc; the shared layout is described in
// repository_impl.h.
#include "embedded/repository.h"

#include <algorithm>
#include <mutex>
#include <new>

#include "embedded/counters.h"
#include "embedded/names.h"
#include "embedded/repository_impl.h"
#include "embedded/storage.h"
#include "embedded/system_classes.h"

#ifdef _WIN32
#include <windows.h>
#else
#include <unistd.h>
#endif

namespace wmiput::embedded {
namespace repo {

namespace {

OLECHAR NsFold(OLECHAR c) noexcept {
  return c == static_cast<OLECHAR>('/') ? static_cast<OLECHAR>('\\') : FoldChar(c);
}

std::atomic<uint64_t> g_version{0};

}  // namespace

// Thread: any.
size_t NsHash::operator()(OleStringView s) const noexcept {
  uint64_t h = 14695981039346656037ull;
  for (OLECHAR c : s) h = (h ^ static_cast<uint16_t>(NsFold(c))) * 1099511628211ull;
  return static_cast<size_t>(h ^ (h >> 32));
}

// Thread: any.
bool NsEqual::operator()(OleStringView a, OleStringView b) const noexcept {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (NsFold(a[i]) != NsFold(b[i])) return false;
  return true;
}

// Thread: any.
OpResult Failure(HRESULT hr, OleString description, OleString parameterInfo) {
  OpResult r;
  r.hr = hr;
  r.description = std::move(description);
  r.parameterInfo = std::move(parameterInfo);
  return r;
}

// Thread: any.
OleString Cat(std::initializer_list<OleStringView> parts) {
  size_t n = 0;
  for (OleStringView p : parts) n += p.size();
  OleString out;
  out.reserve(n);
  for (OleStringView p : parts) out.append(p);
  return out;
}

// Thread: any.
bool IsNull(const VARIANT& v) noexcept {
  return v.vt == VT_EMPTY || v.vt == VT_NULL || (v.vt == VT_UNKNOWN && !v.punkVal);
}

// Thread: any.
bool QualifierTrue(const QualifierList& list, OleStringView name) {
  const Qualifier* q = FindQualifier(list, name);
  if (!q) return false;
  const VARIANT& v = *q->value.get();
  if (IsNull(v)) return false;
  if (v.vt == VT_BOOL) return v.boolVal != VARIANT_FALSE;
  return true;
}

// Thread: any.
bool DerivesFrom(const ClassEntry* d, const ClassEntry* ancestor) noexcept {
  for (; d; d = d->parent)
    if (d == ancestor) return true;
  return false;
}

// Thread: any.
uint64_t KeyHash(OleStringView key) noexcept {
  uint64_t h = 14695981039346656037ull;
  for (OLECHAR c : key) h = (h ^ static_cast<uint16_t>(c)) * 1099511628211ull;
  // Final mix so that the low bits (the slot index) depend on every unit.
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  return h;
}

// Thread: any (lock held).
InstanceTable::~InstanceTable() {
  for (Slot& slot : slots_)
    if (slot.inst && slot.inst != Tombstone()) delete slot.inst;
}

// Thread: any.
StoredInstance* InstanceTable::Tombstone() noexcept {
  static StoredInstance marker;
  return &marker;
}

// Thread: any (lock held, shared or exclusive).
StoredInstance* InstanceTable::Find(OleStringView key, uint64_t hash) const {
  if (slots_.empty()) return nullptr;
  const size_t mask = slots_.size() - 1;
  for (size_t i = static_cast<size_t>(hash) & mask;; i = (i + 1) & mask) {
    const Slot& slot = slots_[i];
    if (!slot.inst) return nullptr;
    if (slot.hash == hash && slot.inst != Tombstone() && KeyEquals(*slot.inst, key))
      return slot.inst;
  }
}

// Thread: any (lock held exclusively).
void InstanceTable::Grow() {
  // Keep live + tombstones under 3/4; double only when live entries need it.
  size_t cap = slots_.empty() ? 16 : slots_.size();
  while ((size_ + 1) * 2 > cap) cap *= 2;
  std::vector<Slot> old(cap);
  old.swap(slots_);
  const size_t mask = cap - 1;
  for (const Slot& slot : old) {
    if (!slot.inst || slot.inst == Tombstone()) continue;
    size_t i = static_cast<size_t>(slot.hash) & mask;
    while (slots_[i].inst) i = (i + 1) & mask;
    slots_[i] = slot;
  }
  used_ = size_;
}

// Thread: any (lock held exclusively).
StoredInstance* InstanceTable::Insert(uint64_t hash, StoredInstance&& s) {
  if ((used_ + 1) * 4 > slots_.size() * 3) Grow();
  auto owned = std::make_unique<StoredInstance>(std::move(s));
  owned->hash = hash;
  const size_t mask = slots_.size() - 1;
  size_t i = static_cast<size_t>(hash) & mask;
  while (slots_[i].inst && slots_[i].inst != Tombstone()) i = (i + 1) & mask;
  if (!slots_[i].inst) ++used_;
  slots_[i].hash = hash;
  slots_[i].inst = owned.release();
  ++size_;
  return slots_[i].inst;
}

// Thread: any (lock held exclusively).
void InstanceTable::Erase(StoredInstance* s) {
  if (slots_.empty()) return;
  const size_t mask = slots_.size() - 1;
  for (size_t i = static_cast<size_t>(s->hash) & mask;; i = (i + 1) & mask) {
    Slot& slot = slots_[i];
    if (!slot.inst) return;  // not here
    if (slot.inst == s) {
      slot.inst = Tombstone();
      --size_;
      delete s;
      return;
    }
  }
}

// Thread: any.
uint64_t NextVersion() noexcept { return g_version.fetch_add(1, std::memory_order_relaxed) + 1; }

}  // namespace repo

using repo::ClassEntry;
using repo::Namespace;
using repo::StoredInstance;

namespace {

const OLECHAR kNamespaceClass[] = OLESTR("__NAMESPACE");

// Thread: any. The machine name as WMI reports it in __SERVER (NetBIOS style:
// the host name without domain, upper case).
OleString MachineName() {
  OleString out;
#ifdef _WIN32
  wchar_t buf[256];
  DWORD n = 256;
  if (GetComputerNameW(buf, &n)) out.assign(reinterpret_cast<const OLECHAR*>(buf), n);
#else
  char buf[256] = {};
  if (gethostname(buf, sizeof buf - 1) == 0) {
    for (const char* p = buf; *p && *p != '.'; ++p) out.push_back(static_cast<OLECHAR>(*p));
  }
#endif
  for (OLECHAR& c : out)
    if (c >= 'a' && c <= 'z') c = static_cast<OLECHAR>(c - 'a' + 'A');
  if (out.empty()) out = OLESTR("LOCALHOST");
  return out;
}

}  // namespace

// ---------------------------------------------------------------------------
// Impl: namespaces and class bookkeeping. Every function here runs with the
// repository lock held by its caller.

// Thread: any (lock held, shared or exclusive).
Namespace* Repository::Impl::FindNamespace(OleStringView ns) const {
  auto it = byName.find(ns);
  if (it != byName.end()) return it->second;
  // Slow path: a server part ("\\.\root\cimv2") or other spellings.
  std::vector<OleString> segments;
  if (!ParseNamespacePath(ns, &segments) || segments.empty()) return nullptr;
  OleString joined = JoinNamespace(segments);
  it = byName.find(joined);
  return it == byName.end() ? nullptr : it->second;
}

// Thread: any (lock held exclusively).
ClassPtr Repository::Impl::Seal(const Namespace* ns, ClassData data) const {
  data.location.server = server;
  data.location.nameSpace = ns->fullName;
  data.version = repo::NextVersion();
  return std::make_shared<const ClassData>(std::move(data));
}

// Thread: any (lock held exclusively).
void Repository::Impl::RefreshClass(Namespace* ns, ClassEntry* e) {
  (void)ns;
  const ClassData& c = *e->cls;
  repo::ClassFacts f;
  f.abstract = c.IsAbstract();
  f.singleton = c.IsSingleton();
  f.dynamic = c.IsDynamic();
  f.amendment = c.HasQualifier(OLESTR("Amendment"));
  f.isNamespaceClass = EqualsNoCase(c.name, kNamespaceClass) ||
                       (e->parent && e->parent->facts.isNamespaceClass);
  const bool inheritsKeys = e->parent && !e->parent->facts.keyOrder.empty();
  if (inheritsKeys) {
    // Keys are fixed by the key-declaring ancestor: a derived class cannot
    // drop them even if its own copy lost the Key qualifier.
    for (int pi : e->parent->facts.keyOrder) {
      int i = c.FindProperty(e->parent->cls->properties[pi].name);
      if (i >= 0) f.keyOrder.push_back(i);
    }
  } else {
    for (size_t i = 0; i < c.properties.size(); ++i)
      if (c.IsKeyProperty(i)) f.keyOrder.push_back(static_cast<int>(i));
  }
  std::stable_sort(f.keyOrder.begin(), f.keyOrder.end(), [&c](int a, int b) {
    return CompareNoCase(c.properties[a].name, c.properties[b].name) < 0;
  });
  for (size_t i = 0; i < c.properties.size(); ++i) {
    if (std::find(f.keyOrder.begin(), f.keyOrder.end(), static_cast<int>(i)) != f.keyOrder.end())
      continue;
    const QualifierList& q = c.properties[i].qualifiers;
    if (repo::QualifierTrue(q, OLESTR("Not_Null")) || repo::QualifierTrue(q, OLESTR("Indexed")))
      f.notNull.push_back(static_cast<int>(i));
  }
  e->facts = std::move(f);
  ClassEntry* root = inheritsKeys ? e->parent->keyRoot : e;
  e->keyRoot = root;
  if (root == e) {
    if (!e->table) e->table = std::make_unique<repo::InstanceTable>();
  } else {
    e->table.reset();  // callers drop the instances before a key root moves
  }
}

// Thread: any (lock held exclusively).
ClassEntry* Repository::Impl::AddClass(Namespace* ns, ClassPtr cls) {
  auto e = std::make_unique<ClassEntry>();
  e->name = cls->name;
  e->cls = std::move(cls);
  e->parent = e->cls->superclass.empty() ? nullptr : ns->Find(e->cls->superclass);
  ClassEntry* raw = e.get();
  ns->classes.emplace(OleStringView(raw->name), std::move(e));
  if (raw->parent)
    raw->parent->children.push_back(raw);
  else
    ns->roots.push_back(raw);
  RefreshClass(ns, raw);
  return raw;
}

// Thread: any (lock held exclusively).
Namespace* Repository::Impl::CreateNamespace(Namespace* parent, OleStringView name,
                                             bool registerInParent) {
  auto n = std::make_unique<Namespace>();
  n->name = OleString(name);
  n->fullName = parent ? repo::Cat({parent->fullName, OLESTR("\\"), name}) : OleString(name);
  n->parent = parent;
  for (const ClassPtr& sc : SystemClasses()) {
    ClassData copy = *sc;
    AddClass(n.get(), Seal(n.get(), std::move(copy)));
  }
  Namespace* raw = n.get();
  if (parent) {
    parent->children.push_back(std::move(n));
  } else {
    root = std::move(n);
  }
  byName.emplace(OleStringView(raw->fullName), raw);
  if (parent && registerInParent) {
    // The __NAMESPACE instance naming the child in its parent.
    ClassEntry* e = parent->Find(kNamespaceClass);
    if (e && !e->facts.keyOrder.empty()) {
      const ClassData& c = *e->cls;
      StoredInstance s;
      s.entry = e;
      s.values.reset(new com::Variant[c.properties.size()]);
      for (size_t i = 0; i < c.properties.size(); ++i) s.values[i] = c.properties[i].value;
      const int ni = e->facts.keyOrder.front();
      s.values[ni] = com::Variant::FromBstr(name);
      if (ni < 64) s.modified |= uint64_t{1} << ni;
      OleString key;
      if (SUCCEEDED(repo::BuildKey(*e, s.values.get(), &key, nullptr, nullptr))) {
        const uint64_t h = repo::KeyHash(key);
        repo::InstanceTable& t = *e->keyRoot->table;
        if (!t.Find(key, h)) {
          t.Insert(h, std::move(s));
          ++e->ownInstances;
          instanceCount.fetch_add(1, std::memory_order_relaxed);
        }
      }
    }
  }
  return raw;
}

// Thread: any (lock held exclusively).
void Repository::Impl::RemoveNamespace(Namespace* child) {
  namespaceRemovals.fetch_add(1, std::memory_order_release);
  // Forget the subtree's names and instance counts first.
  std::vector<Namespace*> stack{child};
  while (!stack.empty()) {
    Namespace* n = stack.back();
    stack.pop_back();
    byName.erase(OleStringView(n->fullName));
    for (auto& kv : n->classes)
      if (kv.second->table)
        instanceCount.fetch_sub(kv.second->table->size(), std::memory_order_relaxed);
    for (auto& c : n->children) stack.push_back(c.get());
  }
  Namespace* parent = child->parent;
  if (!parent) return;  // root is never removed
  auto& v = parent->children;
  v.erase(std::remove_if(v.begin(), v.end(),
                         [child](const std::unique_ptr<Namespace>& p) { return p.get() == child; }),
          v.end());
}

// Thread: any (lock held exclusively).
void Repository::Impl::EraseInstance(Namespace* ns, repo::InstanceTable& table,
                                     StoredInstance* s) {
  ClassEntry* e = s->entry;
  Namespace* childNs = nullptr;
  if (e->facts.isNamespaceClass && !e->facts.keyOrder.empty()) {
    const VARIANT& v = *s->values[e->facts.keyOrder.front()].get();
    if (v.vt == VT_BSTR && v.bstrVal) {
      for (auto& c : ns->children)
        if (EqualsNoCase(c->name, com::ToOleString(v.bstrVal))) childNs = c.get();
    }
  }
  --e->ownInstances;
  instanceCount.fetch_sub(1, std::memory_order_relaxed);
  table.Erase(s);
  if (childNs) RemoveNamespace(childNs);
}

// Thread: any (lock held exclusively).
void Repository::Impl::DropInstancesOf(Namespace* ns, ClassEntry* e) {
  if (e->ownInstances == 0 || !e->keyRoot || !e->keyRoot->table) return;
  repo::InstanceTable& t = *e->keyRoot->table;
  std::vector<StoredInstance*> doomed;
  t.ForEach([&](StoredInstance& s) {
    if (s.entry == e) doomed.push_back(&s);
  });
  for (StoredInstance* s : doomed) EraseInstance(ns, t, s);
}

// Thread: any (lock held exclusively).
void Repository::Impl::DropClassTree(Namespace* ns, ClassEntry* e) {
  std::vector<ClassEntry*> kids = e->children;
  for (ClassEntry* k : kids) DropClassTree(ns, k);
  DropInstancesOf(ns, e);
  auto& siblings = e->parent ? e->parent->children : ns->roots;
  siblings.erase(std::remove(siblings.begin(), siblings.end(), e), siblings.end());
  auto it = ns->classes.find(OleStringView(e->name));
  if (it != ns->classes.end()) ns->classes.erase(it);
}

// Thread: any (lock held, shared or exclusive).
void Repository::Impl::Export(const Namespace* ns, const StoredInstance& s,
                              InstanceData* out) const {
  const size_t n = s.entry->cls->properties.size();
  InstanceData d;
  d.cls = s.entry->cls;
  d.values.reserve(n);
  for (size_t i = 0; i < n; ++i) d.values.push_back(s.values[i]);
  d.modified.resize(n);
  for (size_t i = 0; i < n; ++i) {
    if (i < 64)
      d.modified[i] = (s.modified >> i) & 1;
    else if (s.extras && i < s.extras->modified.size())
      d.modified[i] = s.extras->modified[i];
  }
  if (s.extras) {
    d.qualifiers = s.extras->qualifiers;
    d.propertyQualifiers = s.extras->propertyQualifiers;
  }
  d.location.server = server;
  d.location.nameSpace = ns->fullName;
  *out = std::move(d);
}

// ---------------------------------------------------------------------------
// Repository

// Thread: any.
Repository::Repository() : impl_(std::make_unique<Impl>()) {
  impl_->server = MachineName();
  Namespace* root = impl_->CreateNamespace(nullptr, OLESTR("root"));
  impl_->CreateNamespace(root, OLESTR("cimv2"));
  impl_->CreateNamespace(root, OLESTR("default"));
  live::repositories.fetch_add(1, std::memory_order_relaxed);
}

// Thread: any.
Repository::~Repository() { live::repositories.fetch_sub(1, std::memory_order_relaxed); }

// Thread: any.
OleString Repository::CanonicalNamespace(OleStringView ns) const {
  std::shared_lock<std::shared_mutex> lock(impl_->mu);
  Namespace* n = impl_->FindNamespace(ns);
  return n ? n->fullName : OleString();
}

// Thread: any.
uint64_t Repository::NamespaceRemovals() const noexcept {
  return impl_->namespaceRemovals.load(std::memory_order_acquire);
}

// Thread: any.
OleString Repository::ServerName() const { return impl_->server; }

// Thread: any (executor).
OpResult Repository::PutClass(OleStringView ns, const ClassData& cls, long flags,
                              IWbemContext* ctx) {
  (void)ctx;
  try {
    std::unique_lock<std::shared_mutex> lock(impl_->mu);
    Namespace* n = impl_->FindNamespace(ns);
    if (!n)
      return repo::Failure(WBEM_E_INVALID_NAMESPACE,
                           OLESTR("The namespace does not exist."), OleString(ns));
    OpResult r;
    if (impl_->journal && impl_->RefuseWrite(cls.name, &r)) return r;
    r = impl_->PutClassLocked(n, cls, flags);
    if (impl_->journal) impl_->LogPutClass(n, cls, flags, &r);
    return r;
  } catch (const std::bad_alloc&) {
    return repo::Failure(WBEM_E_OUT_OF_MEMORY, OLESTR("Out of memory."), cls.name);
  } catch (...) {
    return repo::Failure(WBEM_E_FAILED, OLESTR("Unexpected failure."), cls.name);
  }
}

// Thread: any (executor).
OpResult Repository::PutInstanceIn(OleStringView ns, const InstanceData& inst,
                                   std::vector<com::Variant>* owned, long flags,
                                   IWbemContext* ctx) {
  Impl* impl = impl_.get();
  // For error results only; inst.cls outlives the call (only values move).
  const OleStringView className = inst.cls ? OleStringView(inst.cls->name) : OleStringView();
  try {
    std::unique_lock<std::shared_mutex> lock(impl->mu);
    Namespace* n = impl->FindNamespace(ns);
    if (!n)
      return repo::Failure(WBEM_E_INVALID_NAMESPACE,
                           OLESTR("The namespace does not exist."), OleString(ns));
    OpResult r;
    if (impl->journal && impl->RefuseWrite(className, &r)) return r;
    StoredInstance* stored = nullptr;
    r = impl->PutInstanceLocked(n, inst, owned, flags, ctx, &stored);
    if (impl->journal) impl->LogPutInstance(n, stored, &r);
    return r;
  } catch (const std::bad_alloc&) {
    return repo::Failure(WBEM_E_OUT_OF_MEMORY, OLESTR("Out of memory."), OleString(className));
  } catch (...) {
    return repo::Failure(WBEM_E_FAILED, OLESTR("Unexpected failure."), OleString(className));
  }
}

// Thread: any (executor).
OpResult Repository::PutInstance(OleStringView ns, const InstanceData& inst, long flags,
                                 IWbemContext* ctx) {
  return PutInstanceIn(ns, inst, nullptr, flags, ctx);
}

// Thread: any (executor).
OpResult Repository::PutInstance(OleStringView ns, InstanceData&& inst, long flags,
                                 IWbemContext* ctx) {
  return PutInstanceIn(ns, inst, &inst.values, flags, ctx);
}

// Thread: any (executor).
OpResult Repository::DeleteClass(OleStringView ns, OleStringView className) {
  try {
    std::unique_lock<std::shared_mutex> lock(impl_->mu);
    Namespace* n = impl_->FindNamespace(ns);
    if (!n)
      return repo::Failure(WBEM_E_INVALID_NAMESPACE,
                           OLESTR("The namespace does not exist."), OleString(ns));
    ClassEntry* e = n->Find(className);
    if (!e)
      return repo::Failure(WBEM_E_NOT_FOUND, OLESTR("The class does not exist."),
                           OleString(className));
    if (IsSystemName(e->name))
      // [unconfirmed] the code Windows returns for deleting a system class.
      return repo::Failure(WBEM_E_INVALID_OPERATION,
                           OLESTR("System classes cannot be deleted."), e->name);
    OpResult r;
    if (impl_->journal && impl_->RefuseWrite(e->name, &r)) return r;
    r.path = e->name;
    impl_->DropClassTree(n, e);
    if (impl_->journal) impl_->LogDeleteClass(n, r.path, &r);
    return r;
  } catch (const std::bad_alloc&) {
    return repo::Failure(WBEM_E_OUT_OF_MEMORY, OLESTR("Out of memory."), OleString(className));
  }
}

// Thread: any (executor).
OpResult Repository::DeleteInstance(OleStringView ns, OleStringView objectPath) {
  try {
    std::unique_lock<std::shared_mutex> lock(impl_->mu);
    Namespace* n = nullptr;
    repo::InstanceTable* table = nullptr;
    StoredInstance* it = nullptr;
    OleString why;
    HRESULT hr = impl_->Locate(ns, objectPath, &n, &table, &it, &why);
    if (FAILED(hr)) return repo::Failure(hr, std::move(why), OleString(objectPath));
    OpResult r;
    if (impl_->journal && impl_->RefuseWrite(objectPath, &r)) return r;
    repo::BuildKey(*it->entry, it->values.get(), nullptr, &r.path, nullptr);
    const bool namespaceInstance = it->entry->facts.isNamespaceClass;
    impl_->EraseInstance(n, *table, it);
    if (impl_->journal) impl_->LogDeleteInstance(n, namespaceInstance, &r);
    return r;
  } catch (const std::bad_alloc&) {
    return repo::Failure(WBEM_E_OUT_OF_MEMORY, OLESTR("Out of memory."), OleString(objectPath));
  }
}

// Thread: any.
HRESULT Repository::GetClass(OleStringView ns, OleStringView className, ClassPtr* out) const {
  if (!out) return WBEM_E_INVALID_PARAMETER;
  std::shared_lock<std::shared_mutex> lock(impl_->mu);
  Namespace* n = impl_->FindNamespace(ns);
  if (!n) return WBEM_E_INVALID_NAMESPACE;
  ClassEntry* e = n->Find(className);
  if (!e) return WBEM_E_NOT_FOUND;
  *out = e->cls;
  return S_OK;
}

// Thread: any.
HRESULT Repository::GetInstance(OleStringView ns, OleStringView objectPath,
                                InstanceData* out) const {
  if (!out) return WBEM_E_INVALID_PARAMETER;
  try {
    std::shared_lock<std::shared_mutex> lock(impl_->mu);
    Namespace* n = nullptr;
    repo::InstanceTable* table = nullptr;
    StoredInstance* it = nullptr;
    OleString why;
    HRESULT hr = impl_->Locate(ns, objectPath, &n, &table, &it, &why);
    if (FAILED(hr)) return hr;
    impl_->Export(n, *it, out);
    return S_OK;
  } catch (const std::bad_alloc&) {
    return WBEM_E_OUT_OF_MEMORY;
  }
}

// Thread: any.
HRESULT Repository::EnumClasses(OleStringView ns, OleStringView superclass, bool deep,
                                std::vector<ClassPtr>* out) const {
  if (!out) return WBEM_E_INVALID_PARAMETER;
  try {
    std::shared_lock<std::shared_mutex> lock(impl_->mu);
    Namespace* n = impl_->FindNamespace(ns);
    if (!n) return WBEM_E_INVALID_NAMESPACE;
    const std::vector<ClassEntry*>* start = &n->roots;
    if (!superclass.empty()) {
      ClassEntry* e = n->Find(superclass);
      if (!e) return WBEM_E_INVALID_CLASS;
      start = &e->children;
    }
    std::vector<ClassPtr> result;
    // Pre-order, children in creation order.
    std::vector<ClassEntry*> stack(start->rbegin(), start->rend());
    while (!stack.empty()) {
      ClassEntry* e = stack.back();
      stack.pop_back();
      result.push_back(e->cls);
      if (deep) stack.insert(stack.end(), e->children.rbegin(), e->children.rend());
    }
    *out = std::move(result);
    return S_OK;
  } catch (const std::bad_alloc&) {
    return WBEM_E_OUT_OF_MEMORY;
  }
}

// Thread: any.
HRESULT Repository::EnumInstances(OleStringView ns, OleStringView className, bool deep,
                                  std::vector<InstanceData>* out) const {
  if (!out) return WBEM_E_INVALID_PARAMETER;
  try {
    std::shared_lock<std::shared_mutex> lock(impl_->mu);
    Namespace* n = impl_->FindNamespace(ns);
    if (!n) return WBEM_E_INVALID_NAMESPACE;
    ClassEntry* e = n->Find(className);
    if (!e) return WBEM_E_INVALID_CLASS;
    std::vector<InstanceData> result;
    auto take = [&](const StoredInstance& s) {
      result.emplace_back();
      impl_->Export(n, s, &result.back());
    };
    if (!deep) {
      if (e->ownInstances && e->keyRoot->table)
        e->keyRoot->table->ForEach([&](const StoredInstance& s) {
          if (s.entry == e) take(s);
        });
    } else {
      // The key root's table (filtered to this subtree), then the tables of
      // key roots below this class (everything in them is in the subtree).
      if (e->keyRoot->table) {
        const bool all = e->keyRoot == e;
        e->keyRoot->table->ForEach([&](const StoredInstance& s) {
          if (all || repo::DerivesFrom(s.entry, e)) take(s);
        });
      }
      std::vector<ClassEntry*> stack(e->children.begin(), e->children.end());
      while (!stack.empty()) {
        ClassEntry* d = stack.back();
        stack.pop_back();
        if (d->keyRoot == d && d != e->keyRoot && d->table)
          d->table->ForEach([&](const StoredInstance& s) { take(s); });
        stack.insert(stack.end(), d->children.begin(), d->children.end());
      }
    }
    *out = std::move(result);
    return S_OK;
  } catch (const std::bad_alloc&) {
    return WBEM_E_OUT_OF_MEMORY;
  }
}

// Thread: any.
size_t Repository::InstanceCount() const {
  return impl_->instanceCount.load(std::memory_order_relaxed);
}

}  // namespace wmiput::embedded
