// JS <-> client value conversion, on the JS thread: property values, named
// values (contexts), class specifications and objects read back.
// Conversion failures are reported (not thrown) so that one bad op is
// rejected without affecting the others of a batch.
#pragma once

#include <string>

#include <napi.h>

#include "bridge/env_state.h"
#include "client/api.h"

namespace wmiput::bridge {

// Embedded objects and arrays may nest this deep; deeper (or cyclic) input
// is a WBEM_E_TYPE_MISMATCH.
constexpr int kMaxValueDepth = 32;

struct ConvertError {
  HRESULT hr = S_OK;
  com::OleString property;  // top-level property at fault
  std::string message;
};

// Thread: JS.
bool ToValue(EnvState& state, napi_env env, napi_value value,
             client::Value* out, int depth, std::string* why);
bool ToNamedValues(EnvState& state, napi_env env, napi_value object,
                   client::NamedValues* out, ConvertError* err);
bool ToClassSpec(EnvState& state, napi_env env, napi_value object,
                 client::ClassSpec* out, ConvertError* err);

Napi::Value FromValue(EnvState& state, Napi::Env env, const client::Value& v);
Napi::Object FromClassSpec(EnvState& state, Napi::Env env,
                           const client::ClassSpec& spec);
Napi::Object FromObjectRecord(EnvState& state, Napi::Env env,
                              const client::ObjectRecord& record);

// DMTF text (UTC, "+000") of a JS Date's time value; false when out of the
// years 0000-9999 or not finite.
bool DateToDmtf(double msSinceEpoch, com::OleString* out);

}  // namespace wmiput::bridge
