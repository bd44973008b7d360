// PutInstance and instance paths of the embedded repository
// (wmi-put-semantics.md §1.3, §1.7, §2.3, §6): keys, GUIDs for NULL string
// keys, ILLEGAL_NULL, partial updates, __NAMESPACE instances, and resolving
// every object-path form to a stored instance.
#include <algorithm>
#include <new>

#include "embedded/guid.h"
#include "embedded/names.h"
#include "embedded/object_path.h"
#include "embedded/repository_impl.h"

namespace wmiput::embedded {

using repo::ClassEntry;
using repo::Namespace;
using repo::StoredInstance;

namespace {

// Longest namespace name (the __Namespace name path quota, §6.4).
constexpr size_t kMaxNamespacePath = 8173;

void AppendDecimal(uint64_t v, OleString* out) {
  OLECHAR buf[24];
  int n = 0;
  do {
    buf[n++] = static_cast<OLECHAR>('0' + v % 10);
    v /= 10;
  } while (v);
  while (n) out->push_back(buf[--n]);
}

// A key-tuple component for a string value: length, ':', folded text (the
// length prefix keeps the encoding unambiguous whatever the text holds).
// [unconfirmed] string key values match case-insensitively (§6.3 emulator
// choice); the stored value keeps its case.
void AppendStringComponent(OleStringView s, OleString* key) {
  key->push_back(static_cast<OLECHAR>('S'));
  AppendDecimal(s.size(), key);
  key->push_back(static_cast<OLECHAR>(':'));
  for (OLECHAR c : s) key->push_back(FoldChar(c));
}

void AppendIntegerComponent(bool negative, uint64_t magnitude, OleString* key) {
  key->push_back(static_cast<OLECHAR>('I'));
  if (negative) key->push_back(static_cast<OLECHAR>('-'));
  AppendDecimal(magnitude, key);
  key->push_back(static_cast<OLECHAR>(';'));
}

void AppendBooleanComponent(bool b, OleString* key) {
  key->push_back(static_cast<OLECHAR>('B'));
  key->push_back(static_cast<OLECHAR>(b ? '1' : '0'));
}

void AppendQuoted(OleStringView s, OleString* out) {
  out->push_back(static_cast<OLECHAR>('"'));
  for (OLECHAR c : s) {
    if (c == '"' || c == '\\') out->push_back(static_cast<OLECHAR>('\\'));
    out->push_back(c);
  }
  out->push_back(static_cast<OLECHAR>('"'));
}

bool IsStringLike(CIMTYPE t) {
  return t == CIM_STRING || t == CIM_DATETIME || t == CIM_REFERENCE;
}

bool IsInteger(CIMTYPE t) {
  switch (t) {
    case CIM_SINT8: case CIM_UINT8: case CIM_SINT16: case CIM_UINT16: case CIM_SINT32:
    case CIM_UINT32: case CIM_SINT64: case CIM_UINT64: case CIM_CHAR16:
      return true;
    default:
      return false;
  }
}

bool InRange(CIMTYPE t, bool negative, uint64_t mag) {
  switch (t) {
    case CIM_SINT8: return negative ? mag <= 128 : mag <= 127;
    case CIM_SINT16: return negative ? mag <= 32768 : mag <= 32767;
    case CIM_SINT32: return negative ? mag <= 2147483648ull : mag <= 2147483647ull;
    case CIM_SINT64: return negative ? mag <= 9223372036854775808ull : mag <= 9223372036854775807ull;
    case CIM_UINT8: return !negative && mag <= 0xFF;
    case CIM_UINT16: case CIM_CHAR16: return !negative && mag <= 0xFFFF;
    case CIM_UINT32: return !negative && mag <= 0xFFFFFFFFull;
    case CIM_UINT64: return !negative;
    default: return false;
  }
}

bool ParseDecimal(OleStringView s, bool allowSign, bool* negative, uint64_t* mag) {
  size_t i = 0;
  *negative = false;
  if (allowSign && !s.empty() && s[0] == '-') {
    *negative = true;
    i = 1;
  }
  if (i >= s.size()) return false;
  uint64_t v = 0;
  for (; i < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    const uint64_t d = static_cast<uint64_t>(s[i] - '0');
    if (v > (UINT64_MAX - d) / 10) return false;
    v = v * 10 + d;
  }
  *mag = v;
  if (v == 0) *negative = false;
  return true;
}

// The integer a stored canonical value holds, read as CIM type t.
bool IntegerOf(const VARIANT& v, CIMTYPE t, bool* negative, uint64_t* mag) {
  int64_t s = 0;
  bool isSigned = true;
  uint64_t u = 0;
  switch (v.vt) {
    case VT_I1: s = v.cVal; break;
    case VT_UI1: u = v.bVal; isSigned = false; break;
    case VT_I2:
      if (t == CIM_CHAR16) {
        u = static_cast<uint16_t>(v.iVal);
        isSigned = false;
      } else {
        s = v.iVal;
      }
      break;
    case VT_UI2: u = v.uiVal; isSigned = false; break;
    case VT_I4:
      if (t == CIM_UINT32 || t == CIM_UINT16) {
        u = static_cast<uint32_t>(v.lVal);
        isSigned = false;
      } else {
        s = v.lVal;
      }
      break;
    case VT_UI4: u = v.ulVal; isSigned = false; break;
    case VT_INT: s = v.intVal; break;
    case VT_UINT: u = v.uintVal; isSigned = false; break;
    case VT_I8: s = v.llVal; break;
    case VT_UI8: u = v.ullVal; isSigned = false; break;
    case VT_BSTR:
      return ParseDecimal(OleStringView(v.bstrVal ? v.bstrVal : OLESTR(""), SysStringLen(v.bstrVal)),
                          true, negative, mag);
    default:
      return false;
  }
  if (isSigned) {
    *negative = s < 0;
    *mag = s < 0 ? static_cast<uint64_t>(-(s + 1)) + 1 : static_cast<uint64_t>(s);
  } else {
    *negative = false;
    *mag = u;
  }
  return true;
}

OleStringView BstrOf(const VARIANT& v) {
  return OleStringView(v.bstrVal ? v.bstrVal : OLESTR(""), SysStringLen(v.bstrVal));
}

// The key component an object-path literal gives for a key of CIM type t.
// WBEM_E_INVALID_OBJECT_PATH when the literal cannot denote such a value;
// WBEM_E_NOT_FOUND when it is of the right kind but out of the type's range
// (no instance can have it).
HRESULT LiteralComponent(CIMTYPE t, const KeyLiteral& lit, OleString* key) {
  if (IsStringLike(t)) {
    if (lit.kind != KeyLiteral::Kind::String) return WBEM_E_INVALID_OBJECT_PATH;
    AppendStringComponent(lit.text, key);
    return S_OK;
  }
  if (t == CIM_BOOLEAN) {
    if (lit.kind == KeyLiteral::Kind::Boolean) {
      AppendBooleanComponent(lit.boolean, key);
      return S_OK;
    }
    if (lit.kind == KeyLiteral::Kind::Integer && !lit.negative && lit.magnitude <= 1) {
      AppendBooleanComponent(lit.magnitude == 1, key);
      return S_OK;
    }
    return WBEM_E_INVALID_OBJECT_PATH;
  }
  if (IsInteger(t)) {
    bool negative = false;
    uint64_t mag = 0;
    if (lit.kind == KeyLiteral::Kind::Integer) {
      negative = lit.negative;
      mag = lit.magnitude;
    } else if (lit.kind == KeyLiteral::Kind::String) {
      // Quoted numbers are accepted; a char16 key may also be the character.
      if (t == CIM_CHAR16 && lit.text.size() == 1) {
        mag = static_cast<uint16_t>(lit.text[0]);
      } else if (!ParseDecimal(lit.text, true, &negative, &mag)) {
        return WBEM_E_INVALID_OBJECT_PATH;
      }
    } else {
      return WBEM_E_INVALID_OBJECT_PATH;
    }
    if (!InRange(t, negative, mag)) return WBEM_E_NOT_FOUND;
    AppendIntegerComponent(negative, mag, key);
    return S_OK;
  }
  return WBEM_E_INVALID_OBJECT_PATH;
}

// Partial-update request read from the context (§1.7).
struct PutExtensions {
  bool active = false;
  bool strictNulls = false;
  std::vector<OleString> properties;
};

// Thread: any. S_OK, or WBEM_E_INVALID_CONTEXT with *why set.
HRESULT ReadPutExtensions(IWbemContext* ctx, PutExtensions* out, OleString* why) {
  if (!ctx) return S_OK;
  com::Variant ext;
  if (FAILED(ctx->GetValue(OLESTR("__PUT_EXTENSIONS"), 0, ext.put())) || ext.isEmpty())
    return S_OK;
  if (ext.vt() != VT_BOOL) {
    *why = OLESTR("The context value __PUT_EXTENSIONS must be a boolean (VT_BOOL).");
    return WBEM_E_INVALID_CONTEXT;
  }
  if (ext.get()->boolVal == VARIANT_FALSE) return S_OK;
  auto readBool = [&](const OLECHAR* name, bool* value) -> HRESULT {
    com::Variant v;
    if (FAILED(ctx->GetValue(name, 0, v.put())) || v.isEmpty()) return S_OK;
    if (v.vt() != VT_BOOL) {
      *why = repo::Cat({OLESTR("The context value "), name, OLESTR(" must be a boolean (VT_BOOL).")});
      return WBEM_E_INVALID_CONTEXT;
    }
    *value = v.get()->boolVal != VARIANT_FALSE;
    return S_OK;
  };
  bool atomic = false;
  if (FAILED(readBool(OLESTR("__PUT_EXT_STRICT_NULLS"), &out->strictNulls)))
    return WBEM_E_INVALID_CONTEXT;
  // The static repository applies every put atomically, so the value only
  // needs to be well-formed.
  if (FAILED(readBool(OLESTR("__PUT_EXT_ATOMIC"), &atomic))) return WBEM_E_INVALID_CONTEXT;
  com::Variant props;
  if (FAILED(ctx->GetValue(OLESTR("__PUT_EXT_PROPERTIES"), 0, props.put())) || props.isEmpty()) {
    // [unconfirmed] __PUT_EXT_PROPERTIES is treated as required once
    // __PUT_EXTENSIONS is TRUE: without it there is nothing to restrict.
    *why = OLESTR("__PUT_EXTENSIONS is TRUE but the context has no __PUT_EXT_PROPERTIES list.");
    return WBEM_E_INVALID_CONTEXT;
  }
  if (props.vt() != (VT_ARRAY | VT_BSTR) || !props.get()->parray ||
      SafeArrayGetDim(props.get()->parray) != 1) {
    *why = OLESTR("The context value __PUT_EXT_PROPERTIES must be an array of strings (VT_ARRAY|VT_BSTR).");
    return WBEM_E_INVALID_CONTEXT;
  }
  SAFEARRAY* sa = props.get()->parray;
  LONG lo = 0, hi = -1;
  SafeArrayGetLBound(sa, 1, &lo);
  SafeArrayGetUBound(sa, 1, &hi);
  for (LONG i = lo; i <= hi; ++i) {
    BSTR b = nullptr;
    if (FAILED(SafeArrayGetElement(sa, &i, &b))) {
      *why = OLESTR("The context value __PUT_EXT_PROPERTIES could not be read.");
      return WBEM_E_INVALID_CONTEXT;
    }
    com::Bstr owned = com::Bstr::Adopt(b);
    out->properties.push_back(owned.str());
  }
  out->active = true;
  return S_OK;
}

// Per-property flags that allocate nothing for the usual <= 64 properties.
class PropBits {
 public:
  explicit PropBits(size_t n) {
    if (n > 64) big_.assign(n, false);
  }
  void Set(size_t i, bool v) {
    if (!big_.empty())
      big_[i] = v;
    else if (v)
      low_ |= uint64_t{1} << i;
    else
      low_ &= ~(uint64_t{1} << i);
  }
  bool Get(size_t i) const { return big_.empty() ? ((low_ >> i) & 1) != 0 : big_[i]; }
  uint64_t Low() const {
    if (big_.empty()) return low_;
    uint64_t b = 0;
    for (size_t i = 0; i < 64; ++i)
      if (big_[i]) b |= uint64_t{1} << i;
    return b;
  }
  const std::vector<bool>& Big() const { return big_; }

 private:
  uint64_t low_ = 0;
  std::vector<bool> big_;
};

bool HasLocalAmended(const QualifierList& list) {
  for (const Qualifier& q : list)
    if (!q.propagated && (q.flavor & WBEM_FLAVOR_AMENDED)) return true;
  return false;
}

}  // namespace

namespace repo {

// Thread: any (lock held, shared or exclusive).
bool KeyEquals(const StoredInstance& s, OleStringView key) {
  thread_local OleString scratch;
  if (FAILED(BuildKey(*s.entry, s.values.get(), &scratch, nullptr, nullptr))) return false;
  return OleStringView(scratch) == key;
}

// Thread: any (lock held).
HRESULT BuildKey(const ClassEntry& e, const com::Variant* values, OleString* key,
                 OleString* relPath, OleString* why) {
  const ClassData& c = *e.cls;
  if (key) key->clear();
  if (relPath) *relPath = c.name;
  if (e.facts.keyOrder.empty()) {
    if (relPath && e.facts.singleton) relPath->append(OLESTR("=@"));
    return S_OK;
  }
  // keyOrder is sorted by name ([unconfirmed]: alphabetical key order is
  // what WMI is observed to produce, §6.3).
  bool first = true;
  for (int i : e.facts.keyOrder) {
    const Property& p = c.properties[i];
    const VARIANT& v = *values[i].get();
    const CIMTYPE t = p.type & ~CIM_FLAG_ARRAY;
    if (relPath) {
      relPath->push_back(static_cast<OLECHAR>(first ? '.' : ','));
      relPath->append(p.name);
      relPath->push_back(static_cast<OLECHAR>('='));
    }
    first = false;
    if (IsStringLike(t) && v.vt == VT_BSTR) {
      OleStringView s = BstrOf(v);
      if (key) AppendStringComponent(s, key);
      if (relPath) AppendQuoted(s, relPath);
    } else if (t == CIM_BOOLEAN && v.vt == VT_BOOL) {
      const bool b = v.boolVal != VARIANT_FALSE;
      if (key) AppendBooleanComponent(b, key);
      if (relPath) relPath->append(b ? OLESTR("TRUE") : OLESTR("FALSE"));
    } else {
      bool negative = false;
      uint64_t mag = 0;
      if (!IsInteger(t) || !IntegerOf(v, t, &negative, &mag)) {
        if (why) *why = Cat({OLESTR("The key property "), p.name, OLESTR(" holds a value its type does not allow.")});
        return WBEM_E_TYPE_MISMATCH;
      }
      if (key) AppendIntegerComponent(negative, mag, key);
      if (relPath) {
        if (negative) relPath->push_back(static_cast<OLECHAR>('-'));
        AppendDecimal(mag, relPath);
      }
    }
  }
  return S_OK;
}

}  // namespace repo

// Thread: any (lock held, shared or exclusive).
HRESULT Repository::Impl::Locate(OleStringView ns, OleStringView path, Namespace** outNs,
                                 repo::InstanceTable** table, StoredInstance** it,
                                 OleString* why) const {
  ObjectPath p;
  if (FAILED(ParseObjectPath(path, &p))) {
    *why = OLESTR("The object path is not valid.");
    return WBEM_E_INVALID_OBJECT_PATH;
  }
  Namespace* n = nullptr;
  if (!p.namespaceSegments.empty()) {
    if (!p.server.empty() && p.server != OLESTR(".") && !EqualsNoCase(p.server, server) &&
        !EqualsNoCase(p.server, OLESTR("localhost"))) {
      // [unconfirmed] the code for a path naming another machine.
      *why = OLESTR("The object path names another server.");
      return WBEM_E_INVALID_OBJECT_PATH;
    }
    auto found = byName.find(JoinNamespace(p.namespaceSegments));
    n = found == byName.end() ? nullptr : found->second;
  } else {
    n = FindNamespace(ns);
  }
  if (!n) {
    *why = OLESTR("The namespace does not exist.");
    return WBEM_E_INVALID_NAMESPACE;
  }
  if (p.IsClassPath()) {
    *why = OLESTR("The path names a class, not an instance.");
    return WBEM_E_INVALID_OBJECT_PATH;
  }
  ClassEntry* e = n->Find(p.className);
  if (!e) {
    *why = OLESTR("The class named by the path does not exist.");
    return WBEM_E_INVALID_CLASS;
  }
  const ClassData& c = *e->cls;
  const std::vector<int>& keys = e->facts.keyOrder;
  // A per-thread buffer: building the key allocates nothing once warm.
  thread_local OleString keyBuffer;
  OleString& key = keyBuffer;
  key.clear();
  if (p.singleton) {
    if (!e->facts.singleton) {
      *why = OLESTR("The path uses '=@' but the class is not a singleton.");
      return WBEM_E_INVALID_OBJECT_PATH;
    }
  } else {
    if (keys.empty()) {
      *why = OLESTR("The path gives key values but the class has no keys.");
      return WBEM_E_INVALID_OBJECT_PATH;
    }
    const bool shorthand = p.keys.size() == 1 && p.keys[0].name.empty();
    if (shorthand ? keys.size() != 1 : p.keys.size() != keys.size()) {
      *why = shorthand ? OleString(OLESTR("The path gives one unnamed key but the class has several keys."))
                       : OleString(OLESTR("The path does not name every key of the class exactly once."));
      return WBEM_E_INVALID_OBJECT_PATH;
    }
    for (int k : keys) {
      const Property& prop = c.properties[k];
      const KeyBinding* b = shorthand ? &p.keys[0] : nullptr;
      if (!b)
        for (const KeyBinding& kb : p.keys)
          if (EqualsNoCase(kb.name, prop.name)) b = &kb;
      if (!b) {
        *why = repo::Cat({OLESTR("The path does not give the key property "), prop.name, OLESTR(".")});
        return WBEM_E_INVALID_OBJECT_PATH;
      }
      HRESULT hr = LiteralComponent(prop.type & ~CIM_FLAG_ARRAY, b->value, &key);
      if (hr == static_cast<HRESULT>(WBEM_E_NOT_FOUND)) {
        *why = OLESTR("No instance has this key value.");
        return hr;
      }
      if (FAILED(hr)) {
        *why = repo::Cat({OLESTR("The value given for key "), prop.name, OLESTR(" does not fit its type.")});
        return hr;
      }
    }
  }
  repo::InstanceTable* t = e->keyRoot->table.get();
  StoredInstance* found = t ? t->Find(key, repo::KeyHash(key)) : nullptr;
  if (!found || !repo::DerivesFrom(found->entry, e)) {
    *why = OLESTR("The instance does not exist.");
    return WBEM_E_NOT_FOUND;
  }
  *outNs = n;
  *table = t;
  *it = found;
  return S_OK;
}

// Thread: any (lock held exclusively).
OpResult Repository::Impl::PutInstanceLocked(Namespace* ns, const InstanceData& inst,
                                             std::vector<com::Variant>* owned, long flags,
                                             IWbemContext* ctx, StoredInstance** stored) {
  if (!inst.cls)
    return repo::Failure(WBEM_E_INVALID_OBJECT, OLESTR("The object is not an instance of a class."),
                         OLESTR("__CLASS"));
  const ClassData& given = *inst.cls;
  ClassEntry* e = ns->Find(given.name);
  if (!e)
    return repo::Failure(WBEM_E_INVALID_CLASS,
                         OLESTR("The class of the instance does not exist in this namespace."),
                         given.name);
  if (!(flags & WBEM_FLAG_USE_AMENDED_QUALIFIERS)) {
    bool amended = HasLocalAmended(inst.qualifiers);
    for (const QualifierList& q : inst.propertyQualifiers) amended = amended || HasLocalAmended(q);
    if (amended)
      return repo::Failure(WBEM_E_AMENDED_OBJECT,
                           OLESTR("The instance carries amended qualifiers; write it with WBEM_FLAG_USE_AMENDED_QUALIFIERS."),
                           given.name);
  }
  const repo::ClassFacts& f = e->facts;
  const ClassData& c = *e->cls;
  if (f.abstract)
    // [unconfirmed] the code for an instance of an abstract class.
    return repo::Failure(WBEM_E_INVALID_OPERATION, OLESTR("An abstract class cannot have instances."),
                         c.name);
  if (f.amendment)
    return repo::Failure(WBEM_E_INVALID_OPERATION,
                         OLESTR("A class with the Amendment qualifier cannot have instances."), c.name);
  if (f.dynamic)
    // The embedded server hosts no providers: a Dynamic class has none.
    return repo::Failure(WBEM_E_PROVIDER_NOT_FOUND,
                         OLESTR("The class is provided dynamically and no provider is registered for it."),
                         c.name);
  if (f.keyOrder.empty() && !f.singleton)
    // [unconfirmed] keyless, non-singleton class: WBEM_E_NO_KEY.
    return repo::Failure(WBEM_E_NO_KEY, OLESTR("The class declares no key properties and is not a singleton."),
                         c.name);

  PutExtensions ext;
  OleString why;
  if (FAILED(ReadPutExtensions(ctx, &ext, &why)))
    return repo::Failure(WBEM_E_INVALID_CONTEXT, std::move(why), c.name);

  // Values laid out as the stored class.
  const size_t n = c.properties.size();
  std::unique_ptr<com::Variant[]> vals(new com::Variant[n]);
  PropBits set(n);
  // Index in `given` of stored property i: the identity when the client's
  // class is the stored one (the usual case: no mapping, no allocation).
  bool sameLayout = &given == &c || (given.version != 0 && given.version == c.version &&
                                      given.properties.size() == n);
  if (sameLayout && &given != &c) {
    // A copy of the stored class: trust it only while its layout is intact
    // (a client-modified copy may keep the version it was read with).
    for (size_t i = 0; i < n && sameLayout; ++i)
      sameLayout = given.properties[i].type == c.properties[i].type &&
                   EqualsNoCase(given.properties[i].name, c.properties[i].name);
  }
  std::vector<int> mapping;
  auto from = [&](size_t i) { return sameLayout ? static_cast<int>(i) : mapping[i]; };
  if (!sameLayout) {
    mapping.assign(n, -1);
    for (size_t j = 0; j < given.properties.size(); ++j) {
      const Property& gp = given.properties[j];
      const int i = c.FindProperty(gp.name);
      if (i < 0) {
        if (j < inst.values.size() && !repo::IsNull(*inst.values[j].get()))
          return repo::Failure(WBEM_E_INVALID_PROPERTY,
                               OLESTR("The instance sets a property its class does not have."), gp.name);
        continue;
      }
      if (gp.type != c.properties[i].type)
        return repo::Failure(WBEM_E_TYPE_MISMATCH,
                             OLESTR("The property's type differs from the stored class definition."),
                             gp.name);
      mapping[i] = static_cast<int>(j);
    }
  }
  for (size_t i = 0; i < n; ++i) {
    const int j = from(i);
    if (j >= 0 && static_cast<size_t>(j) < inst.values.size()) {
      if (owned)
        vals[i] = std::move((*owned)[j]);  // a value is read once: j is unique per i
      else
        vals[i] = inst.values[j];
      set.Set(i, static_cast<size_t>(j) < inst.modified.size() && inst.modified[j]);
    } else {
      vals[i] = c.properties[i].value;
    }
  }

  // NULL keys: a GUID for string keys, ILLEGAL_NULL otherwise (§1.7).
  for (int k : f.keyOrder) {
    if (!repo::IsNull(*vals[k].get())) continue;
    const Property& p = c.properties[k];
    if ((p.type & ~CIM_FLAG_ARRAY) == CIM_STRING && !f.isNamespaceClass) {
      vals[k] = com::Variant::FromBstr(NewGuidString());
      set.Set(k, true);
    } else {
      // [unconfirmed] ILLEGAL_NULL rather than NO_KEY for a NULL non-string key.
      return repo::Failure(WBEM_E_ILLEGAL_NULL, OLESTR("A key property is NULL."), p.name);
    }
  }

  thread_local OleString keyBuffer;  // no allocation once warm
  OleString& key = keyBuffer;
  OleString rel;
  HRESULT hr = repo::BuildKey(*e, vals.get(), &key, &rel, &why);
  if (FAILED(hr)) return repo::Failure(hr, std::move(why), c.name);
  if (rel.size() > kMaxPathLength)
    return repo::Failure(WBEM_E_QUOTA_VIOLATION,
                         OLESTR("The instance's relative path is longer than 8192 characters."), c.name);

  repo::InstanceTable& table = *e->keyRoot->table;
  const uint64_t hash = repo::KeyHash(key);
  StoredInstance* existing = table.Find(key, hash);

  if (ext.active) {
    // [unconfirmed] whether the static repository honours __PUT_EXT_PROPERTIES;
    // the emulator does (§1.7). Only the listed properties are written; the rest keep their stored
    // values (or the class defaults when the instance is new). Keys always
    // come from the object.
    std::vector<bool> listed(n, false);
    for (const OleString& name : ext.properties) {
      const int i = c.FindProperty(name);
      if (i < 0)
        // [unconfirmed] the code for an unknown name in __PUT_EXT_PROPERTIES.
        return repo::Failure(WBEM_E_INVALID_PROPERTY,
                             OLESTR("__PUT_EXT_PROPERTIES names a property the class does not have."),
                             name);
      listed[i] = true;
    }
    const bool sameClass = existing && existing->entry == e;
    for (size_t i = 0; i < n; ++i) {
      if (std::find(f.keyOrder.begin(), f.keyOrder.end(), static_cast<int>(i)) != f.keyOrder.end())
        continue;
      const bool write = listed[i] && (ext.strictNulls || !repo::IsNull(*vals[i].get()));
      if (write) continue;
      if (sameClass) {
        vals[i] = existing->values[i];
        set.Set(i, i < 64 ? ((existing->modified >> i) & 1) != 0
                           : (existing->extras && i < existing->extras->modified.size() &&
                              existing->extras->modified[i]));
      } else {
        vals[i] = c.properties[i].value;
        set.Set(i, false);
      }
    }
  }

  for (int i : f.notNull)
    if (repo::IsNull(*vals[i].get()))
      return repo::Failure(WBEM_E_ILLEGAL_NULL,
                           OLESTR("A property marked Not_Null or Indexed is NULL."), c.properties[i].name);

  const bool createOnly = (flags & WBEM_FLAG_CREATE_ONLY) != 0;
  const bool updateOnly = (flags & WBEM_FLAG_UPDATE_ONLY) != 0;
  if (existing) {
    if (existing->entry != e) {
      // [unconfirmed] the same key held by an instance of another class of
      // the hierarchy: ALREADY_EXISTS with CREATE_ONLY, else INVALID_OPERATION.
      OleString other;
      BuildKey(*existing->entry, existing->values.get(), nullptr, &other, nullptr);
      if (createOnly)
        return repo::Failure(WBEM_E_ALREADY_EXISTS,
                             repo::Cat({OLESTR("An instance of class "), existing->entry->name,
                                        OLESTR(" already has these key values.")}),
                             other);
      return repo::Failure(WBEM_E_INVALID_OPERATION,
                           repo::Cat({OLESTR("An instance of class "), existing->entry->name,
                                      OLESTR(" already has these key values; delete it first.")}),
                           other);
    }
    if (createOnly)
      return repo::Failure(WBEM_E_ALREADY_EXISTS, OLESTR("The instance already exists."), rel);
  } else if (updateOnly) {
    return repo::Failure(WBEM_E_NOT_FOUND, OLESTR("The instance does not exist."), rel);
  }

  if (f.isNamespaceClass && !existing) {
    const VARIANT& nv = *vals[f.keyOrder.front()].get();
    OleStringView name = BstrOf(nv);
    if (!IsValidNamespaceSegment(name))
      // [unconfirmed] the code for an invalid namespace name.
      return repo::Failure(WBEM_E_INVALID_PARAMETER,
                           OLESTR("The namespace name must be letters, digits and underscores."),
                           OleString(name));
    if (ns->fullName.size() + 1 + name.size() > kMaxNamespacePath)
      return repo::Failure(WBEM_E_QUOTA_VIOLATION, OLESTR("The namespace path is too long."),
                           OleString(name));
    CreateNamespace(ns, name, /*registerInParent=*/false);
  }

  std::unique_ptr<repo::InstanceExtras> extras;
  bool anyPropQualifiers = false;
  for (const QualifierList& q : inst.propertyQualifiers) anyPropQualifiers = anyPropQualifiers || !q.empty();
  if (n > 64 || !inst.qualifiers.empty() || anyPropQualifiers) {
    extras = std::make_unique<repo::InstanceExtras>();
    extras->qualifiers = inst.qualifiers;
    if (anyPropQualifiers) {
      extras->propertyQualifiers.resize(n);
      for (size_t i = 0; i < n; ++i)
        if (from(i) >= 0 && static_cast<size_t>(from(i)) < inst.propertyQualifiers.size())
          extras->propertyQualifiers[i] = inst.propertyQualifiers[from(i)];
    }
    if (n > 64) extras->modified = set.Big();
  }
  const uint64_t bits = set.Low();

  if (existing) {
    // [unconfirmed] keys are fixed when an instance is created: an update
    // matching case-insensitively keeps the stored spelling (and path).
    for (int k : f.keyOrder) vals[k] = existing->values[k];
    rel.clear();
    repo::BuildKey(*e, vals.get(), nullptr, &rel, nullptr);
    existing->values = std::move(vals);
    existing->modified = bits;
    existing->extras = std::move(extras);
    *stored = existing;
  } else {
    StoredInstance s;
    s.entry = e;
    s.values = std::move(vals);
    s.modified = bits;
    s.extras = std::move(extras);
    *stored = table.Insert(hash, std::move(s));
    ++e->ownInstances;
    instanceCount.fetch_add(1, std::memory_order_relaxed);
  }
  OpResult r;
  r.path = std::move(rel);
  return r;
}

}  // namespace wmiput::embedded
