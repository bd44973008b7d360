#include "embedded/object_enum.h"

#include <new>

#include "embedded/class_object.h"

namespace wmiput::embedded {

// Thread: any.
ObjectEnum::ObjectEnum(std::shared_ptr<const EnumSnapshot> items, bool forwardOnly,
                       HRESULT failure, size_t position)
    : items_(std::move(items)), forwardOnly_(forwardOnly), failure_(failure), position_(position) {}

// Thread: any.
HRESULT ObjectEnum::Create(std::shared_ptr<const EnumSnapshot> items, bool forwardOnly,
                           HRESULT failure, com::ComPtr<IEnumWbemClassObject>* out) noexcept {
  if (!out) return WBEM_E_INVALID_PARAMETER;
  try {
    if (!items) items = std::make_shared<const EnumSnapshot>();
    *out = com::ComPtr<IEnumWbemClassObject>::Adopt(
        new ObjectEnum(std::move(items), forwardOnly, failure, 0));
    return S_OK;
  } catch (...) {
    return WBEM_E_OUT_OF_MEMORY;
  }
}

// Thread: any.
com::ComPtr<IWbemClassObject> ObjectEnum::MakeObject(const EnumSnapshot& items, size_t index) {
  if (!items.classes.empty()) return NewClassObject(items.classes[index]);
  return NewInstanceObject(items.instances[index]);
}

// Thread: any.
HRESULT STDMETHODCALLTYPE ObjectEnum::Reset() noexcept {
  if (forwardOnly_) return WBEM_E_INVALID_OPERATION;
  std::lock_guard<std::mutex> lk(mu_);
  position_ = 0;
  return WBEM_S_NO_ERROR;
}

namespace {
// Thread: any.
bool ValidTimeout(long lTimeout) {
  return lTimeout >= 0 || static_cast<uint32_t>(lTimeout) == WBEM_INFINITE;
}
}  // namespace

// Thread: any.
HRESULT STDMETHODCALLTYPE ObjectEnum::Next(long lTimeout, ULONG uCount,
                                           IWbemClassObject** apObjects,
                                           ULONG* puReturned) noexcept {
  if (!apObjects || !puReturned || !ValidTimeout(lTimeout)) return WBEM_E_INVALID_PARAMETER;
  *puReturned = 0;
  if (FAILED(failure_)) return failure_;
  std::lock_guard<std::mutex> lk(mu_);
  ULONG n = 0;
  try {
    while (n < uCount && position_ < items_->size()) {
      apObjects[n] = MakeObject(*items_, position_).detach();
      ++position_;
      ++n;
    }
  } catch (const std::bad_alloc&) {
    *puReturned = n;
    return WBEM_E_OUT_OF_MEMORY;
  } catch (...) {
    *puReturned = n;
    return WBEM_E_FAILED;
  }
  *puReturned = n;
  return n == uCount ? WBEM_S_NO_ERROR : WBEM_S_FALSE;
}

// Thread: any.
HRESULT STDMETHODCALLTYPE ObjectEnum::NextAsync(ULONG /*uCount*/,
                                                IWbemObjectSink* /*pSink*/) noexcept {
  return WBEM_E_NOT_SUPPORTED;
}

// Thread: any.
HRESULT STDMETHODCALLTYPE ObjectEnum::Clone(IEnumWbemClassObject** ppEnum) noexcept {
  if (!ppEnum) return WBEM_E_INVALID_PARAMETER;
  *ppEnum = nullptr;
  if (forwardOnly_) return WBEM_E_INVALID_OPERATION;
  std::lock_guard<std::mutex> lk(mu_);
  try {
    *ppEnum = new ObjectEnum(items_, forwardOnly_, failure_, position_);
    return WBEM_S_NO_ERROR;
  } catch (...) {
    return WBEM_E_OUT_OF_MEMORY;
  }
}

// Thread: any.
HRESULT STDMETHODCALLTYPE ObjectEnum::Skip(long lTimeout, ULONG nCount) noexcept {
  if (!ValidTimeout(lTimeout)) return WBEM_E_INVALID_PARAMETER;
  if (FAILED(failure_)) return failure_;
  std::lock_guard<std::mutex> lk(mu_);
  const size_t left = items_->size() - position_;
  if (nCount > left) {
    position_ = items_->size();
    return WBEM_S_FALSE;
  }
  position_ += nCount;
  return WBEM_S_NO_ERROR;
}

}  // namespace wmiput::embedded
