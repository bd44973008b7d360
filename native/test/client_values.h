// Builders for client::Value in native tests (coerce_test, client_connection_test).
#pragma once

#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

#include "client/api.h"

namespace wmiput::client::testing {

inline Value Num(double d) {
  Value v;
  v.kind = Value::Kind::kNumber;
  v.number = d;
  return v;
}
inline Value Big(bool negative, uint64_t magnitude) {
  Value v;
  v.kind = Value::Kind::kBigInt;
  v.negative = negative;
  v.magnitude = magnitude;
  return v;
}
inline Value Str(const com::OleString& s, Value::Kind kind = Value::Kind::kString) {
  Value v;
  v.kind = kind;
  v.text = s;
  return v;
}
inline Value Bool(bool b) {
  Value v;
  v.kind = Value::Kind::kBoolean;
  v.boolean = b;
  return v;
}
inline Value Arr(std::vector<Value> items) {
  Value v;
  v.kind = Value::Kind::kArray;
  v.items = std::move(items);
  return v;
}
inline Value Obj(const com::OleString& cls, NamedValues props) {
  auto o = std::make_shared<ObjectValue>();
  o->className = cls;
  o->properties = std::move(props);
  Value v;
  v.kind = Value::Kind::kObject;
  v.object = o;
  return v;
}

}  // namespace wmiput::client::testing
