// UTF-16 string conversion between N-API and com::OleString. OLECHAR and
// char16_t are both 16-bit code units, so the data is copied as is.
// Thread: JS.
#pragma once

#include <napi.h>

#include <iterator>

#include "com/com.h"

namespace wmiput::bridge {

inline com::OleString ToOle(napi_env env, napi_value value) {
  // Short strings (property names, keys, most values) in one call through a
  // stack buffer; a string that may not have fit is read again at its length.
  char16_t small[128];
  size_t copied = 0;
  NAPI_THROW_IF_FAILED(env,
      napi_get_value_string_utf16(env, value, small, std::size(small), &copied),
      com::OleString());
  if (copied + 1 < std::size(small)) {
    return com::OleString(reinterpret_cast<const OLECHAR*>(small), copied);
  }
  size_t length = 0;
  NAPI_THROW_IF_FAILED(env,
      napi_get_value_string_utf16(env, value, nullptr, 0, &length),
      com::OleString());
  com::OleString out(length, OLECHAR(0));
  if (length > 0) {
    NAPI_THROW_IF_FAILED(env,
        napi_get_value_string_utf16(
            env, value, reinterpret_cast<char16_t*>(&out[0]), length + 1,
            &length),
        com::OleString());
  }
  return out;
}

inline com::OleString ToOle(const Napi::Value& value) {
  return ToOle(value.Env(), value);
}

inline Napi::String FromOle(Napi::Env env, com::OleStringView s) {
  return Napi::String::New(env, reinterpret_cast<const char16_t*>(s.data()),
                           s.size());
}

// A string or null (for empty optional strings).
inline Napi::Value FromOleOrNull(Napi::Env env, com::OleStringView s) {
  if (s.empty()) return env.Null();
  return FromOle(env, s);
}

}  // namespace wmiput::bridge
