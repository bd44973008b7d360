// The COM ABI every other layer includes: the real SDK headers on Windows, the portable subset
// (com/portable/) elsewhere, plus a few C++ helpers common to both.
#pragma once

#ifdef _WIN32
#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#ifndef NOMINMAX
#define NOMINMAX
#endif
#include <windows.h>
// <wingdi.h> maps GetObject to GetObjectA/W; drop the macro before <wbemidl.h> declares
// IWbemServices::GetObject so that declaration and calls agree in every translation unit.
#ifdef GetObject
#undef GetObject
#endif
#include <oleauto.h>
#include <wbemidl.h>
#else
#include "com/portable/ole.h"
#include "com/portable/wbem.h"
#endif

#include <string>
#include <string_view>
#include <type_traits>

namespace wmiput::com {

static_assert(sizeof(OLECHAR) == 2, "OLECHAR must be a 16-bit code unit");

using OleString = std::basic_string<OLECHAR>;
using OleStringView = std::basic_string_view<OLECHAR>;

template <class T>
struct IidOfTrait {
  static_assert(!std::is_same_v<T, T>, "com::IidOf<T>: no IID registered for this interface");
};

#define WP_COM_IID(Interface)                                              \
  template <>                                                              \
  struct IidOfTrait<Interface> {                                           \
    static const IID& Get() noexcept { return IID_##Interface; }           \
  };

WP_COM_IID(IUnknown)
WP_COM_IID(IWbemClassObject)
WP_COM_IID(IWbemQualifierSet)
WP_COM_IID(IWbemObjectSink)
WP_COM_IID(IWbemContext)
WP_COM_IID(IWbemCallResult)
WP_COM_IID(IWbemServices)
WP_COM_IID(IEnumWbemClassObject)
WP_COM_IID(IWbemLocator)

#undef WP_COM_IID

// The IID of interface T (IID_IUnknown, IID_IWbemServices, ...).
template <class T>
const IID& IidOf() noexcept {
  return IidOfTrait<std::remove_cv_t<T>>::Get();
}

}  // namespace wmiput::com
