// Per-connection cache of class objects (GetObject once per class) with a
// case-insensitive property index: name → CIMTYPE, SubType("interval"),
// embedded-object class. Used only on the connection's COM worker.
#pragma once

#include <memory>
#include <unordered_map>

#include "client/api.h"
#include "com/raii.h"

namespace wmiput::client {

using com::OleStringView;

struct PropertyInfo {
  OleString name;          // as the class declares it
  CIMTYPE type = CIM_EMPTY;
  bool interval = false;   // SubType("interval")
  OleString objectClass;   // CIM_OBJECT: the X of "object:X" (empty = any)
};

struct CachedClass {
  com::ComPtr<IWbemClassObject> object;
  std::unordered_map<OleString, PropertyInfo> properties;  // key: FoldCase(name)

  const PropertyInfo* Find(OleStringView name) const;
};

// ASCII case folding (WMI identifiers compare case-insensitively; non-ASCII
// letters are compared as they are).
OleString FoldCase(OleStringView s);

// Thread: any. The property index of a class object.
HRESULT IndexClass(IWbemClassObject* cls, CachedClass* out) noexcept;

class ClassCache {
 public:
  ClassCache() = default;
  ~ClassCache();
  ClassCache(const ClassCache&) = delete;
  ClassCache& operator=(const ClassCache&) = delete;

  // Thread: COM worker. The cached class, fetched with GetObject on a miss;
  // *fetched says whether this call went to the server.
  HRESULT Get(IWbemServices* services, OleStringView className,
              std::shared_ptr<const CachedClass>* out, bool* fetched = nullptr) noexcept;
  // Thread: COM worker.
  void Invalidate(OleStringView className) noexcept;
  void Clear() noexcept;
  size_t size() const noexcept { return classes_.size(); }

 private:
  void Remember(OleStringView className, const std::shared_ptr<const CachedClass>& entry) noexcept;

  std::unordered_map<OleString, std::shared_ptr<const CachedClass>> classes_;
  // The last class handed out under its name exactly as asked (puts of one
  // class repeat the same name: no case folding, allocation or hashing).
  OleString lastName_;
  std::shared_ptr<const CachedClass> last_;
};

}  // namespace wmiput::client
