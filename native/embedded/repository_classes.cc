// PutClass: the class create/update engine of the embedded repository
// (wmi-put-semantics.md §2.1-§2.4): name rules, superclass resolution,
// structural rules (abstract, singleton, keys, property count), the
// create/update matrix and the compatible/safe/force update modes with
// subclass rebasing and instance handling.
#include <algorithm>
#include <deque>

#include "embedded/names.h"
#include "embedded/repository_impl.h"
#include "embedded/value_rules.h"

namespace wmiput::embedded {

using repo::ClassEntry;
using repo::Namespace;

namespace {

// Most user properties a class may have (WBEM_MAX_USER_PROPERTIES).
constexpr size_t kMaxProperties = 1024;

struct Verdict {
  HRESULT hr = S_OK;
  OleString description;
  OleString parameterInfo;
};

Verdict Bad(HRESULT hr, OleString description, OleString parameterInfo) {
  return Verdict{hr, std::move(description), std::move(parameterInfo)};
}

bool HasLocalAmended(const QualifierList& list) {
  for (const Qualifier& q : list)
    if (!q.propagated && (q.flavor & WBEM_FLAVOR_AMENDED)) return true;
  return false;
}

// [unconfirmed] only the qualifiers the class itself declares count: those
// inherited from a stored parent are the repository's own.
bool ClassHasAmended(const ClassData& c) {
  if (HasLocalAmended(c.qualifiers)) return true;
  for (const Property& p : c.properties)
    if (HasLocalAmended(p.qualifiers)) return true;
  for (const Method& m : c.methods)
    if (HasLocalAmended(m.qualifiers)) return true;
  return false;
}

OleString NameDescription(HRESULT hr) {
  switch (hr) {
    case static_cast<HRESULT>(WBEM_E_INVALID_OPERATION): return OLESTR("A class name must not start with '_'.");
    case static_cast<HRESULT>(WBEM_E_INVALID_OBJECT): return OLESTR("A class name must not end with '_'.");
    case static_cast<HRESULT>(WBEM_E_QUOTA_VIOLATION): return OLESTR("The class name is longer than 4096 characters.");
    default: return OLESTR("The class name is empty or not a valid identifier.");
  }
}

std::vector<OleString> KeyNames(const ClassData& c) {
  std::vector<OleString> names;
  for (size_t i = 0; i < c.properties.size(); ++i)
    if (c.IsKeyProperty(i)) names.push_back(FoldCase(c.properties[i].name));
  std::sort(names.begin(), names.end());
  return names;
}

std::vector<OleString> IndexedNames(const ClassData& c) {
  std::vector<OleString> names;
  for (const Property& p : c.properties)
    if (repo::QualifierTrue(p.qualifiers, OLESTR("Indexed"))) names.push_back(FoldCase(p.name));
  std::sort(names.begin(), names.end());
  return names;
}

// The "important" parts of a class (§2.2): property names, types, Key and
// Indexed, and the Abstract/Singleton/Dynamic class qualifiers.
bool SameLayout(const ClassData& a, const ClassData& b) {
  if (a.IsAbstract() != b.IsAbstract() || a.IsSingleton() != b.IsSingleton() ||
      a.IsDynamic() != b.IsDynamic())
    return false;
  if (a.properties.size() != b.properties.size()) return false;
  for (size_t i = 0; i < a.properties.size(); ++i) {
    const Property& x = a.properties[i];
    const Property& y = b.properties[i];
    if (!EqualsNoCase(x.name, y.name) || x.type != y.type) return false;
    if (a.IsKeyProperty(i) != b.IsKeyProperty(i)) return false;
    if (repo::QualifierTrue(x.qualifiers, OLESTR("Indexed")) !=
        repo::QualifierTrue(y.qualifiers, OLESTR("Indexed")))
      return false;
  }
  return true;
}

bool SameQualifiers(const QualifierList& a, const QualifierList& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    const Qualifier& x = a[i];
    const Qualifier& y = b[i];
    if (x.name != y.name || x.flavor != y.flavor || x.propagated != y.propagated ||
        !ValuesEqual(*x.value.get(), *y.value.get()))
      return false;
  }
  return true;
}

bool SameClassContent(const ClassData& a, const ClassData& b);

bool SameParams(const std::shared_ptr<const ClassData>& a, const std::shared_ptr<const ClassData>& b) {
  if (a == b) return true;
  if (!a || !b) return false;
  return SameClassContent(*a, *b);
}

// Everything a client can change (location and version excluded).
bool SameClassContent(const ClassData& a, const ClassData& b) {
  if (a.name != b.name || !EqualsNoCase(a.superclass, b.superclass)) return false;
  if (!SameQualifiers(a.qualifiers, b.qualifiers)) return false;
  if (a.properties.size() != b.properties.size() || a.methods.size() != b.methods.size())
    return false;
  for (size_t i = 0; i < a.properties.size(); ++i) {
    const Property& x = a.properties[i];
    const Property& y = b.properties[i];
    if (x.name != y.name || x.type != y.type || x.propagated != y.propagated ||
        !EqualsNoCase(x.origin, y.origin) || !ValuesEqual(*x.value.get(), *y.value.get()) ||
        !SameQualifiers(x.qualifiers, y.qualifiers))
      return false;
  }
  for (size_t i = 0; i < a.methods.size(); ++i) {
    const Method& x = a.methods[i];
    const Method& y = b.methods[i];
    if (x.name != y.name || x.propagated != y.propagated || !EqualsNoCase(x.origin, y.origin) ||
        !SameQualifiers(x.qualifiers, y.qualifiers) || !SameParams(x.inParams, y.inParams) ||
        !SameParams(x.outParams, y.outParams))
      return false;
  }
  return true;
}

// Effective data of `cls` re-derived on the stored parent: the parent's
// current propagated parts plus what `cls` declares itself.
HRESULT Derive(const ClassData* parent, const ClassData& cls, bool force, ClassData* out) {
  if (!parent) {
    ClassData d = cls;
    d.superclass.clear();
    d.derivation.clear();
    for (Qualifier& q : d.qualifiers) q.propagated = false;
    for (Property& p : d.properties) {
      p.origin = d.name;
      p.propagated = false;
    }
    for (Method& m : d.methods) {
      m.origin = d.name;
      m.propagated = false;
    }
    *out = std::move(d);
    return S_OK;
  }
  // The class's own new members originate in it, whatever origin the client
  // object carried (e.g. properties added before __CLASS was set).
  // An override of an ancestor's member keeps that ancestor as its origin
  // (Rebase drops it when the new parent no longer has the member).
  ClassData own = cls;
  auto ancestral = [&own](const OleString& origin) {
    for (const OleString& d : own.derivation)
      if (EqualsNoCase(d, origin)) return true;
    return false;
  };
  for (Property& p : own.properties)
    if (!p.propagated && parent->FindProperty(p.name) < 0 && !ancestral(p.origin))
      p.origin = own.name;
  for (Method& m : own.methods)
    if (!m.propagated && !parent->FindMethod(m.name) && !ancestral(m.origin)) m.origin = own.name;
  HRESULT hr = Rebase(*parent, own, force, out);
  if (FAILED(hr)) return hr;
  out->name = cls.name;
  out->superclass = parent->name;
  out->derivation.clear();
  out->derivation.push_back(parent->name);
  out->derivation.insert(out->derivation.end(), parent->derivation.begin(), parent->derivation.end());
  return S_OK;
}

// Structural rules of §2.3 for `c` derived from `parent` (facts of the
// parent; null for a base class).
Verdict Validate(const ClassData& c, const ClassData* parent, const repo::ClassFacts* pf) {
  if (c.properties.size() > kMaxProperties)
    return Bad(WBEM_E_TOO_MANY_PROPERTIES, OLESTR("The class has more than 1024 properties."), c.name);
  for (const Property& p : c.properties) {
    if (parent && parent->FindProperty(p.name) >= 0) continue;
    HRESULT hr = CheckPropertyName(p.name);
    if (FAILED(hr))
      return Bad(hr, OLESTR("The property name is not a valid identifier."), p.name);
  }
  if (c.IsAbstract() && parent && !pf->abstract)
    return Bad(WBEM_E_CANNOT_BE_ABSTRACT,
               OLESTR("A class can be abstract only if its superclass is abstract."), c.name);
  const bool parentHasKeys = pf && !pf->keyOrder.empty();
  bool hasKeys = false;
  for (size_t i = 0; i < c.properties.size(); ++i) {
    if (!c.IsKeyProperty(i)) continue;
    hasKeys = true;
    const Property& p = c.properties[i];
    const CIMTYPE t = p.type & ~CIM_FLAG_ARRAY;
    if ((p.type & CIM_FLAG_ARRAY) || t == CIM_REAL32 || t == CIM_REAL64 || t == CIM_OBJECT)
      return Bad(WBEM_E_CANNOT_BE_KEY,
                 OLESTR("Arrays, real numbers and embedded objects cannot be keys."), p.name);
    if (parent) {
      const int pi = parent->FindProperty(p.name);
      const bool inheritedKey = pi >= 0 && parent->IsKeyProperty(static_cast<size_t>(pi));
      if (parentHasKeys && !inheritedKey)
        return Bad(WBEM_E_CANNOT_BE_KEY,
                   OLESTR("A derived class cannot add keys to the keys its superclass declares."),
                   p.name);
      // Below a keyless parent (abstract or not) a class may introduce keys:
      // the Key qualifier page forbids new keys only where "a parent class
      // specifies a key"; real MOF relies on it (the WMIEvent classes of
      // Windows-driver-samples' acpimof.mof add an InstanceName key under
      // the concrete, keyless WMIEvent : __ExtrinsicEvent).
    }
  }
  if (c.IsSingleton()) {
    if (hasKeys || parentHasKeys)
      return Bad(WBEM_E_CANNOT_BE_SINGLETON, OLESTR("A singleton class cannot have keys."), c.name);
    // [unconfirmed] a singleton may derive from a singleton or from an
    // abstract keyless class (as __thisNAMESPACE derives from __SystemClass).
    if (parent && !pf->singleton && !pf->abstract)
      return Bad(WBEM_E_CANNOT_BE_SINGLETON,
                 OLESTR("A singleton class cannot derive from a non-singleton class."), c.name);
  }
  return Verdict{};
}

// The facts Validate needs about a class that is not stored yet.
repo::ClassFacts FactsOf(const ClassData& c, const repo::ClassFacts* parentFacts,
                         const ClassData* parent) {
  repo::ClassFacts f;
  f.abstract = c.IsAbstract();
  f.singleton = c.IsSingleton();
  if (parentFacts && !parentFacts->keyOrder.empty()) {
    for (int pi : parentFacts->keyOrder) {
      const int i = c.FindProperty(parent->properties[pi].name);
      if (i >= 0) f.keyOrder.push_back(i);
    }
  } else {
    for (size_t i = 0; i < c.properties.size(); ++i)
      if (c.IsKeyProperty(i)) f.keyOrder.push_back(static_cast<int>(i));
  }
  return f;
}

size_t SubtreeInstances(const ClassEntry* e) {
  size_t n = e->ownInstances;
  for (const ClassEntry* c : e->children) n += SubtreeInstances(c);
  return n;
}

OleString ConflictDescription(HRESULT hr) {
  switch (hr) {
    case static_cast<HRESULT>(WBEM_E_UPDATE_TYPE_MISMATCH):
      return OLESTR("A subclass redefines a property of the changed class with another type.");
    case static_cast<HRESULT>(WBEM_E_UPDATE_OVERRIDE_NOT_ALLOWED):
      return OLESTR("A subclass overrides a qualifier the changed class no longer lets it override.");
    case static_cast<HRESULT>(WBEM_E_UPDATE_PROPAGATED_METHOD):
      return OLESTR("A subclass redeclares a method of the changed class with another signature.");
    default:
      return OLESTR("The change conflicts with a subclass.");
  }
}

}  // namespace

// Thread: any (lock held exclusively).
OpResult Repository::Impl::PutClassLocked(Namespace* ns, const ClassData& cls, long flags) {
  HRESULT hr = CheckClassName(cls.name);
  if (FAILED(hr)) return repo::Failure(hr, NameDescription(hr), cls.name);
  if (!(flags & WBEM_FLAG_USE_AMENDED_QUALIFIERS) && ClassHasAmended(cls))
    return repo::Failure(WBEM_E_AMENDED_OBJECT,
                         OLESTR("The class carries amended qualifiers; write it with WBEM_FLAG_USE_AMENDED_QUALIFIERS."),
                         cls.name);

  ClassEntry* existing = ns->Find(cls.name);
  ClassEntry* parent = nullptr;
  if (!cls.superclass.empty()) {
    if (EqualsNoCase(cls.superclass, cls.name))
      return repo::Failure(WBEM_E_CIRCULAR_REFERENCE, OLESTR("A class cannot derive from itself."),
                           cls.name);
    parent = ns->Find(cls.superclass);
    if (!parent)
      return repo::Failure(WBEM_E_NOT_FOUND, OLESTR("The superclass does not exist."),
                           cls.superclass);
    if (existing && repo::DerivesFrom(parent, existing))
      return repo::Failure(WBEM_E_CIRCULAR_REFERENCE,
                           OLESTR("The superclass derives from the class itself."), cls.superclass);
  }

  ClassData eff;
  hr = Derive(parent ? parent->cls.get() : nullptr, cls, false, &eff);
  if (FAILED(hr)) {
    // The class conflicts with its own (current) superclass: report the
    // building-time code rather than the subclass-update one.
    HRESULT own = hr;
    if (hr == static_cast<HRESULT>(WBEM_E_UPDATE_TYPE_MISMATCH)) own = WBEM_E_TYPE_MISMATCH;
    if (hr == static_cast<HRESULT>(WBEM_E_UPDATE_OVERRIDE_NOT_ALLOWED)) own = WBEM_E_OVERRIDE_NOT_ALLOWED;
    if (hr == static_cast<HRESULT>(WBEM_E_UPDATE_PROPAGATED_METHOD)) own = WBEM_E_PROPAGATED_METHOD;
    return repo::Failure(own, OLESTR("The class conflicts with its superclass's current definition."),
                         cls.name);
  }
  Verdict v = Validate(eff, parent ? parent->cls.get() : nullptr, parent ? &parent->facts : nullptr);
  if (FAILED(v.hr)) return repo::Failure(v.hr, std::move(v.description), std::move(v.parameterInfo));

  const bool createOnly = (flags & WBEM_FLAG_CREATE_ONLY) != 0;
  const bool updateOnly = (flags & WBEM_FLAG_UPDATE_ONLY) != 0;
  if (!existing) {
    if (updateOnly)
      return repo::Failure(WBEM_E_NOT_FOUND, OLESTR("The class does not exist."), cls.name);
    ClassEntry* e = AddClass(ns, Seal(ns, std::move(eff)));
    OpResult r;
    r.path = e->name;
    return r;
  }
  if (createOnly)
    return repo::Failure(WBEM_E_ALREADY_EXISTS, OLESTR("The class already exists."), existing->name);
  if (existing->parent != parent)
    // [unconfirmed] INVALID_SUPERCLASS for a changed parent (NOT_FOUND is
    // kept for a missing one).
    return repo::Failure(WBEM_E_INVALID_SUPERCLASS,
                         OLESTR("The superclass of an existing class cannot be changed."), cls.name);
  if (IsSystemName(existing->name))
    return repo::Failure(WBEM_E_INVALID_OPERATION, OLESTR("System classes cannot be changed."),
                         existing->name);

  OpResult ok;
  ok.path = existing->name;
  eff.name = existing->name;  // names are case-preserving: the stored spelling stays
  for (Property& p : eff.properties)
    if (!p.propagated && EqualsNoCase(p.origin, existing->name)) p.origin = existing->name;
  for (Method& m : eff.methods)
    if (!m.propagated && EqualsNoCase(m.origin, existing->name)) m.origin = existing->name;
  const ClassData& old = *existing->cls;
  if (SameClassContent(old, eff)) return ok;  // nothing changed

  const long mode = flags & WBEM_MASK_UPDATE_MODE;
  const bool force = mode == WBEM_FLAG_UPDATE_FORCE_MODE;
  const bool safe = mode == WBEM_FLAG_UPDATE_SAFE_MODE;
  const bool important = !SameLayout(old, eff);
  const bool hasChildren = !existing->children.empty();
  const size_t instances = SubtreeInstances(existing);
  if (!force && !safe && important) {
    if (hasChildren)
      return repo::Failure(WBEM_E_CLASS_HAS_CHILDREN,
                           OLESTR("The class has subclasses; use safe or force mode to change its layout."),
                           existing->name);
    if (instances)
      return repo::Failure(WBEM_E_CLASS_HAS_INSTANCES,
                           OLESTR("The class has instances; use force mode to change its layout."),
                           existing->name);
  }
  if (safe && important) {
    if (instances)
      return repo::Failure(WBEM_E_CLASS_HAS_INSTANCES,
                           OLESTR("The class has instances; use force mode to change its layout."),
                           existing->name);
    if (hasChildren && KeyNames(old) != KeyNames(eff))
      return repo::Failure(WBEM_E_CANNOT_CHANGE_KEY_INHERITANCE,
                           OLESTR("The keys of a class with subclasses cannot change."), existing->name);
    if (hasChildren && IndexedNames(old) != IndexedNames(eff))
      return repo::Failure(WBEM_E_CANNOT_CHANGE_INDEX_INHERITANCE,
                           OLESTR("The indexed properties of a class with subclasses cannot change."),
                           existing->name);
  }

  // Plan: the class and every subclass re-derived on its new parent, in
  // pre-order (a deque keeps references stable while it grows).
  struct Step {
    ClassEntry* entry;
    ClassData data;
    repo::ClassFacts facts;
    bool layoutChanged;
    size_t parentStep;  // index in plan; unused for the first step
  };
  std::deque<Step> plan;
  {
    repo::ClassFacts f = FactsOf(eff, parent ? &parent->facts : nullptr,
                                 parent ? parent->cls.get() : nullptr);
    plan.push_back(Step{existing, std::move(eff), std::move(f), important, 0});
  }
  for (size_t s = 0; s < plan.size(); ++s) {
    // Children of plan[s], appended in order; a breadth-first plan still has
    // every parent before its children, which is all the commit needs.
    for (ClassEntry* child : plan[s].entry->children) {
      const Step& up = plan[s];
      ClassData nd;
      HRESULT rh = Derive(&up.data, *child->cls, force, &nd);
      if (FAILED(rh)) {
        // [unconfirmed] compatible mode reports a subclass conflict as
        // CLASS_HAS_CHILDREN, safe mode with the specific UPDATE_* code.
        return repo::Failure(safe ? rh : static_cast<HRESULT>(WBEM_E_CLASS_HAS_CHILDREN), ConflictDescription(rh),
                             child->name);
      }
      Verdict cv = Validate(nd, &up.data, &up.facts);
      if (FAILED(cv.hr)) {
        // [unconfirmed] a subclass the change would make invalid.
        return repo::Failure(force ? cv.hr : static_cast<HRESULT>(WBEM_E_CLASS_HAS_CHILDREN),
                             repo::Cat({OLESTR("The change would make subclass "), child->name,
                                        OLESTR(" invalid: "), cv.description}),
                             child->name);
      }
      const bool changed = !SameLayout(*child->cls, nd);
      if (changed && !force && SubtreeInstances(child))
        return repo::Failure(WBEM_E_CLASS_HAS_INSTANCES,
                             OLESTR("A subclass whose layout would change has instances."), child->name);
      repo::ClassFacts cf = FactsOf(nd, &up.facts, &up.data);
      plan.push_back(Step{child, std::move(nd), std::move(cf), changed, s});
    }
  }

  // Commit. Force mode deletes the instances of every class whose layout
  // changes ([unconfirmed]: instances survive a forced change that leaves
  // the layout alone), then the new definitions replace the old ones,
  // parents first.
  for (Step& s : plan)
    if (s.layoutChanged) DropInstancesOf(ns, s.entry);
  for (Step& s : plan) {
    s.entry->cls = Seal(ns, std::move(s.data));
    RefreshClass(ns, s.entry);
  }
  return ok;
}

}  // namespace wmiput::embedded
