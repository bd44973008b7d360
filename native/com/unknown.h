// UnknownImpl: IUnknown for our own single-interface COM objects (the embedded
// server's objects; not the client's sink, which answers several interfaces).
//
// The count starts at 1: the creator holds the first reference. QueryInterface
// answers IUnknown, `Iid`, and whatever `Derived::AlsoAnswers(riid)` accepts
// (a derived class hides the default to add IIDs), always with the same
// pointer. The last Release deletes the object as `Derived`; derived classes
// keep their destructor private and befriend their base (`friend Unknown;`).
//
// Thread: any. No method throws.
#pragma once

#include <atomic>

#include "com/com.h"

namespace wmiput::com {

template <class Derived, class Interface, const IID& Iid>
class UnknownImpl : public Interface {
 public:
  // Thread: any.
  HRESULT STDMETHODCALLTYPE QueryInterface(REFIID riid, void** ppv) noexcept override {
    if (!ppv) return E_POINTER;
    if (IsEqualIID(riid, IID_IUnknown) || IsEqualIID(riid, Iid) || Derived::AlsoAnswers(riid)) {
      *ppv = static_cast<Interface*>(this);
      AddRef();
      return S_OK;
    }
    *ppv = nullptr;
    return E_NOINTERFACE;
  }
  // Thread: any.
  ULONG STDMETHODCALLTYPE AddRef() noexcept override {
    return refs_.fetch_add(1, std::memory_order_relaxed) + 1;
  }
  // Thread: any.
  ULONG STDMETHODCALLTYPE Release() noexcept override {
    const ULONG left = refs_.fetch_sub(1, std::memory_order_acq_rel) - 1;
    if (left == 0) delete static_cast<Derived*>(this);
    return left;
  }

 protected:
  UnknownImpl() noexcept = default;
  ~UnknownImpl() = default;
  static bool AlsoAnswers(REFIID) noexcept { return false; }

 private:
  std::atomic<ULONG> refs_{1};
};

}  // namespace wmiput::com
