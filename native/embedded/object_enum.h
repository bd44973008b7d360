// IEnumWbemClassObject of the embedded server over a snapshot of classes or
// instances taken when the enumeration was created. Each Next hands out new
// objects (copies), so callers may modify what they receive. With
// WBEM_FLAG_FORWARD_ONLY, Reset and Clone fail with WBEM_E_INVALID_OPERATION.
// A semisynchronous enumeration whose query failed reports that error from
// Next/Skip.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <vector>

#include "com/unknown.h"
#include "com/raii.h"
#include "embedded/model.h"

namespace wmiput::embedded {

struct EnumSnapshot {
  std::vector<ClassPtr> classes;          // a class enumeration, or
  std::vector<InstanceData> instances;    // an instance enumeration
  size_t size() const { return classes.empty() ? instances.size() : classes.size(); }
};

class ObjectEnum final : public com::UnknownImpl<ObjectEnum, IEnumWbemClassObject, IID_IEnumWbemClassObject> {
  friend class com::UnknownImpl<ObjectEnum, IEnumWbemClassObject, IID_IEnumWbemClassObject>;  // deletes us on the last Release
 public:
  // Thread: any.
  static HRESULT Create(std::shared_ptr<const EnumSnapshot> items, bool forwardOnly,
                        HRESULT failure, com::ComPtr<IEnumWbemClassObject>* out) noexcept;

  // The object at `index` of a snapshot (a new class or instance object).
  // Thread: any.
  static com::ComPtr<IWbemClassObject> MakeObject(const EnumSnapshot& items, size_t index);

  // Thread: any (calls on one enumerator are serialised by its mutex).
  HRESULT STDMETHODCALLTYPE Reset() noexcept override;
  HRESULT STDMETHODCALLTYPE Next(long lTimeout, ULONG uCount, IWbemClassObject** apObjects,
                                 ULONG* puReturned) noexcept override;
  HRESULT STDMETHODCALLTYPE NextAsync(ULONG uCount, IWbemObjectSink* pSink) noexcept override;
  HRESULT STDMETHODCALLTYPE Clone(IEnumWbemClassObject** ppEnum) noexcept override;
  HRESULT STDMETHODCALLTYPE Skip(long lTimeout, ULONG nCount) noexcept override;

 private:
  ObjectEnum(std::shared_ptr<const EnumSnapshot> items, bool forwardOnly, HRESULT failure,
             size_t position);
  ~ObjectEnum() = default;

  const std::shared_ptr<const EnumSnapshot> items_;
  const bool forwardOnly_;
  const HRESULT failure_;
  std::mutex mu_;
  size_t position_;
};

}  // namespace wmiput::embedded
