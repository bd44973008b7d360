// JS <-> client value conversion. Every function here runs on the JS thread.
#include "bridge/values.h"

#include <cmath>

#include "bridge/strings.h"

namespace wmiput::bridge {
namespace {

using client::Value;
using Kind = client::Value::Kind;

std::string Utf8(com::OleStringView s) {
  std::string out;
  for (OLECHAR c : s) {  // names are ASCII identifiers; good enough for messages
    out.push_back(c < 0x80 ? static_cast<char>(c) : '?');
  }
  return out;
}

napi_value Get(napi_env env, napi_value object, napi_value key) {
  napi_value result = nullptr;
  if (napi_get_property(env, object, key, &result) != napi_ok) {
    return nullptr;
  }
  return result;
}

napi_valuetype TypeOf(napi_env env, napi_value v) {
  napi_valuetype t = napi_undefined;
  if (v) napi_typeof(env, v, &t);
  return t;
}

bool IsNullish(napi_env env, napi_value v) {
  napi_valuetype t = TypeOf(env, v);
  return t == napi_undefined || t == napi_null;
}

bool InstanceOf(napi_env env, napi_value v, Napi::FunctionReference& ctor) {
  if (ctor.IsEmpty()) return false;
  bool result = false;
  return napi_instanceof(env, v, ctor.Value(), &result) == napi_ok && result;
}

bool StringOf(napi_env env, napi_value v, com::OleString* out) {
  napi_value s = nullptr;
  if (napi_coerce_to_string(env, v, &s) != napi_ok) return false;
  *out = ToOle(env, s);
  return true;
}

int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

// Days since 1970-01-01 to a proleptic Gregorian civil date.
void CivilFromDays(int64_t days, int64_t* y, unsigned* m, unsigned* d) {
  days += 719468;
  const int64_t era = FloorDiv(days, 146097);
  const unsigned doe = static_cast<unsigned>(days - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = static_cast<int64_t>(yoe) + era * 400 + (*m <= 2 ? 1 : 0);
}

bool ToArray(EnvState& state, napi_env env, napi_value value, Value* out,
             int depth, std::string* why) {
  uint32_t length = 0;
  napi_get_array_length(env, value, &length);
  out->kind = Kind::kArray;
  out->items.resize(length);
  for (uint32_t i = 0; i < length; ++i) {
    napi_value item = nullptr;
    if (napi_get_element(env, value, i, &item) != napi_ok) {
      *why = "array element " + std::to_string(i) + " cannot be read";
      return false;
    }
    if (!ToValue(state, env, item, &out->items[i], depth + 1, why)) {
      *why = "element " + std::to_string(i) + ": " + *why;
      return false;
    }
  }
  return true;
}

bool ToObject(EnvState& state, napi_env env, napi_value value, Value* out,
              int depth, std::string* why) {
  napi_value cls = Get(env, value, state.keys.cls);
  if (TypeOf(env, cls) != napi_string) {
    *why = "an embedded object needs a string __CLASS property";
    return false;
  }
  auto object = std::make_shared<client::ObjectValue>();
  object->className = ToOle(env, cls);
  napi_value names = nullptr;
  if (napi_get_all_property_names(env, value, napi_key_own_only,
                                  static_cast<napi_key_filter>(napi_key_enumerable | napi_key_skip_symbols),
                                  napi_key_numbers_to_strings, &names) != napi_ok) {
    *why = "the object's properties cannot be listed";
    return false;
  }
  uint32_t count = 0;
  napi_get_array_length(env, names, &count);
  object->properties.reserve(count);
  for (uint32_t i = 0; i < count; ++i) {
    napi_value name = nullptr, item = nullptr;
    napi_get_element(env, names, i, &name);
    com::OleString key = ToOle(env, name);
    if (key == OLESTR("__CLASS")) continue;
    if (napi_get_property(env, value, name, &item) != napi_ok) {
      *why = "property " + Utf8(key) + " cannot be read";
      return false;
    }
    Value v;
    if (!ToValue(state, env, item, &v, depth + 1, why)) {
      *why = Utf8(object->className) + "." + Utf8(key) + ": " + *why;
      return false;
    }
    object->properties.emplace_back(std::move(key), std::move(v));
  }
  out->kind = Kind::kObject;
  out->object = std::move(object);
  return true;
}

}  // namespace

bool DateToDmtf(double ms, com::OleString* out) {
  if (!std::isfinite(ms)) return false;
  const int64_t total = static_cast<int64_t>(std::floor(ms));
  const int64_t days = FloorDiv(total, 86400000);
  int64_t rest = total - days * 86400000;
  int64_t year;
  unsigned month, day;
  CivilFromDays(days, &year, &month, &day);
  if (year < 0 || year > 9999) return false;
  const unsigned hour = static_cast<unsigned>(rest / 3600000);
  rest %= 3600000;
  const unsigned minute = static_cast<unsigned>(rest / 60000);
  rest %= 60000;
  const unsigned second = static_cast<unsigned>(rest / 1000);
  const unsigned micros = static_cast<unsigned>(rest % 1000) * 1000;
  // yyyymmddHHMMSS.mmmmmm+000, digit by digit (snprintf showed up in the
  // submit path's profile).
  OLECHAR buf[25];
  auto put = [&buf](size_t at, unsigned value, size_t width) {
    for (size_t i = width; i-- > 0; value /= 10) buf[at + i] = static_cast<OLECHAR>(u'0' + value % 10);
  };
  put(0, static_cast<unsigned>(year), 4);
  put(4, month, 2);
  put(6, day, 2);
  put(8, hour, 2);
  put(10, minute, 2);
  put(12, second, 2);
  buf[14] = u'.';
  put(15, micros, 6);
  buf[21] = u'+';
  buf[22] = buf[23] = buf[24] = u'0';
  out->assign(buf, buf + 25);
  return true;
}

bool ToValue(EnvState& state, napi_env env, napi_value value, Value* out,
             int depth, std::string* why) {
  if (depth > kMaxValueDepth) {
    *why = "nested deeper than " + std::to_string(kMaxValueDepth) +
           " levels (or cyclic)";
    return false;
  }
  switch (TypeOf(env, value)) {
    case napi_undefined:
    case napi_null:
      out->kind = Kind::kNull;
      return true;
    case napi_boolean:
      out->kind = Kind::kBoolean;
      napi_get_value_bool(env, value, &out->boolean);
      return true;
    case napi_number:
      out->kind = Kind::kNumber;
      napi_get_value_double(env, value, &out->number);
      return true;
    case napi_bigint: {
      int sign = 0;
      size_t words = 2;
      uint64_t digits[2] = {0, 0};
      napi_get_value_bigint_words(env, value, &sign, &words, digits);
      out->kind = Kind::kBigInt;
      out->negative = sign != 0;
      out->magnitude = digits[0];
      out->overflow = words > 1 && digits[1] != 0;
      if (words > 2) out->overflow = true;
      if (out->magnitude == 0 && !out->overflow) out->negative = false;
      return true;
    }
    case napi_string:
      out->kind = Kind::kString;
      out->text = ToOle(env, value);
      return true;
    case napi_object: {
      bool flag = false;
      if (napi_is_array(env, value, &flag) == napi_ok && flag) {
        return ToArray(state, env, value, out, depth, why);
      }
      if (napi_is_date(env, value, &flag) == napi_ok && flag) {
        double ms = 0;
        napi_get_date_value(env, value, &ms);
        if (!DateToDmtf(ms, &out->text)) {
          *why = "the Date is invalid or outside the years 0000-9999";
          return false;
        }
        out->kind = Kind::kDateTime;
        return true;
      }
      if (InstanceOf(env, value, state.dateTimeClass)) {
        out->kind = Kind::kDateTime;
        return StringOf(env, value, &out->text);
      }
      if (InstanceOf(env, value, state.intervalClass)) {
        out->kind = Kind::kInterval;
        return StringOf(env, value, &out->text);
      }
      return ToObject(state, env, value, out, depth, why);
    }
    default:
      *why = "functions and symbols are not CIM values";
      return false;
  }
}

bool ToNamedValues(EnvState& state, napi_env env, napi_value object,
                   client::NamedValues* out, ConvertError* err) {
  if (IsNullish(env, object)) return true;
  if (TypeOf(env, object) != napi_object) {
    err->hr = WBEM_E_INVALID_PARAMETER;
    err->message = "expected an object of named values";
    return false;
  }
  napi_value names = nullptr;
  if (napi_get_all_property_names(env, object, napi_key_own_only,
                                  static_cast<napi_key_filter>(napi_key_enumerable | napi_key_skip_symbols),
                                  napi_key_numbers_to_strings, &names) != napi_ok) {
    err->hr = WBEM_E_INVALID_PARAMETER;
    err->message = "the object's properties cannot be listed";
    return false;
  }
  uint32_t count = 0;
  napi_get_array_length(env, names, &count);
  out->reserve(out->size() + count);
  for (uint32_t i = 0; i < count; ++i) {
    napi_value name = nullptr, item = nullptr;
    napi_get_element(env, names, i, &name);
    com::OleString key = ToOle(env, name);
    napi_get_property(env, object, name, &item);
    Value v;
    std::string why;
    if (!ToValue(state, env, item, &v, 0, &why)) {
      err->hr = WBEM_E_TYPE_MISMATCH;
      err->property = key;
      err->message = why;
      return false;
    }
    out->emplace_back(std::move(key), std::move(v));
  }
  return true;
}

namespace {

bool ReadString(EnvState&, napi_env env, napi_value object,
                napi_value key, com::OleString* out) {
  napi_value v = Get(env, object, key);
  if (TypeOf(env, v) == napi_string) {
    *out = ToOle(env, v);
    return true;
  }
  return IsNullish(env, v);
}

bool ReadBool(napi_env env, napi_value object, napi_value key) {
  napi_value v = Get(env, object, key);
  bool b = false;
  if (TypeOf(env, v) == napi_boolean) napi_get_value_bool(env, v, &b);
  return b;
}

long ReadInt(napi_env env, napi_value object, napi_value key) {
  napi_value v = Get(env, object, key);
  int64_t i = 0;
  if (TypeOf(env, v) == napi_number) napi_get_value_int64(env, v, &i);
  return static_cast<long>(i);
}

template <class F>
bool ForEachElement(napi_env env, napi_value array, F&& f) {
  if (IsNullish(env, array)) return true;
  bool isArray = false;
  if (napi_is_array(env, array, &isArray) != napi_ok || !isArray) return false;
  uint32_t n = 0;
  napi_get_array_length(env, array, &n);
  for (uint32_t i = 0; i < n; ++i) {
    napi_value item = nullptr;
    napi_get_element(env, array, i, &item);
    if (TypeOf(env, item) != napi_object || !f(item)) return false;
  }
  return true;
}

bool ToQualifiers(EnvState& state, napi_env env, napi_value array,
                  std::vector<client::QualifierSpec>* out, ConvertError* err) {
  Keys& k = state.keys;
  return ForEachElement(env, array, [&](napi_value q) {
    client::QualifierSpec spec;
    if (!ReadString(state, env, q, k.name, &spec.name) || spec.name.empty()) {
      err->message = "a qualifier needs a name";
      return false;
    }
    std::string why;
    if (!ToValue(state, env, Get(env, q, k.value), &spec.value, 1, &why)) {
      err->hr = WBEM_E_INVALID_QUALIFIER_TYPE;
      err->property = spec.name;
      err->message = "qualifier " + Utf8(spec.name) + ": " + why;
      return false;
    }
    spec.flavor = ReadInt(env, q, k.flavor);
    out->push_back(std::move(spec));
    return true;
  });
}

}  // namespace

bool ToClassSpec(EnvState& state, napi_env env, napi_value object,
                 client::ClassSpec* out, ConvertError* err) {
  Keys& k = state.keys;
  err->hr = WBEM_E_INVALID_PARAMETER;
  if (TypeOf(env, object) != napi_object ||
      !ReadString(state, env, object, k.name, &out->name) ||
      !ReadString(state, env, object, k.superclass, &out->superclass)) {
    err->message = "a class specification needs a string name";
    return false;
  }
  if (!ToQualifiers(state, env, Get(env, object, k.qualifiers), &out->qualifiers, err)) {
    if (err->message.empty()) err->message = "qualifiers must be an array";
    return false;
  }
  bool ok = ForEachElement(env, Get(env, object, k.properties), [&](napi_value p) {
    client::PropertySpec prop;
    ReadString(state, env, p, k.name, &prop.name);
    prop.type = ReadInt(env, p, k.type);
    prop.key = ReadBool(env, p, k.key);
    ReadString(state, env, p, k.refClass, &prop.refClass);
    ReadString(state, env, p, k.objectClass, &prop.objectClass);
    prop.hasDefault = ReadBool(env, p, k.hasDefault);
    if (prop.hasDefault) {
      std::string why;
      if (!ToValue(state, env, Get(env, p, k.defaultValue), &prop.defaultValue, 0, &why)) {
        err->hr = WBEM_E_TYPE_MISMATCH;
        err->property = prop.name;
        err->message = "default value: " + why;
        return false;
      }
    }
    if (!ToQualifiers(state, env, Get(env, p, k.qualifiers), &prop.qualifiers, err)) {
      if (err->property.empty()) err->property = prop.name;
      return false;
    }
    out->properties.push_back(std::move(prop));
    return true;
  });
  if (!ok) {
    if (err->message.empty()) err->message = "properties must be an array of objects";
    return false;
  }
  ok = ForEachElement(env, Get(env, object, k.methods), [&](napi_value m) {
    client::MethodSpec method;
    ReadString(state, env, m, k.name, &method.name);
    method.returnType = ReadInt(env, m, k.returnType);
    if (!ToQualifiers(state, env, Get(env, m, k.qualifiers), &method.qualifiers, err)) return false;
    bool params = ForEachElement(env, Get(env, m, k.parameters), [&](napi_value p) {
      client::ParameterSpec param;
      ReadString(state, env, p, k.name, &param.name);
      param.type = ReadInt(env, p, k.type);
      param.in = ReadBool(env, p, k.in);
      param.out = ReadBool(env, p, k.out);
      ReadString(state, env, p, k.refClass, &param.refClass);
      ReadString(state, env, p, k.objectClass, &param.objectClass);
      if (!ToQualifiers(state, env, Get(env, p, k.qualifiers), &param.qualifiers, err)) return false;
      method.parameters.push_back(std::move(param));
      return true;
    });
    if (!params) return false;
    out->methods.push_back(std::move(method));
    return true;
  });
  if (!ok) {
    if (err->message.empty()) err->message = "methods must be an array of objects";
    return false;
  }
  err->hr = S_OK;
  return true;
}

Napi::Value FromValue(EnvState& state, Napi::Env env, const Value& v) {
  switch (v.kind) {
    case Kind::kNull:
      return env.Null();
    case Kind::kBoolean:
      return Napi::Boolean::New(env, v.boolean);
    case Kind::kNumber:
      return Napi::Number::New(env, v.number);
    case Kind::kBigInt: {
      uint64_t word = v.magnitude;
      return Napi::BigInt::New(env, v.negative ? 1 : 0, 1, &word);
    }
    case Kind::kString:
      return FromOle(env, v.text);
    case Kind::kDateTime:
      if (!state.makeDateTime.IsEmpty()) {
        return state.makeDateTime.Call({FromOle(env, v.text)});
      }
      return FromOle(env, v.text);
    case Kind::kInterval:
      if (!state.makeInterval.IsEmpty()) {
        return state.makeInterval.Call({FromOle(env, v.text)});
      }
      return FromOle(env, v.text);
    case Kind::kArray: {
      Napi::Array array = Napi::Array::New(env, v.items.size());
      for (size_t i = 0; i < v.items.size(); ++i) {
        array.Set(static_cast<uint32_t>(i), FromValue(state, env, v.items[i]));
      }
      return array;
    }
    case Kind::kObject: {
      Napi::Object object = Napi::Object::New(env);
      if (v.object) {
        object.Set(state.keys.cls, FromOle(env, v.object->className));
        for (const auto& [name, item] : v.object->properties) {
          object.Set(FromOle(env, name), FromValue(state, env, item));
        }
      }
      return object;
    }
  }
  return env.Null();
}

namespace {

Napi::Array FromQualifiers(EnvState& state, Napi::Env env,
                           const std::vector<client::QualifierSpec>& list) {
  Keys& k = state.keys;
  Napi::Array array = Napi::Array::New(env, list.size());
  for (size_t i = 0; i < list.size(); ++i) {
    Napi::Object q = Napi::Object::New(env);
    q.Set(k.name, FromOle(env, list[i].name));
    q.Set(k.value, FromValue(state, env, list[i].value));
    q.Set(k.flavor, Napi::Number::New(env, static_cast<double>(list[i].flavor)));
    q.Set(k.propagated, Napi::Boolean::New(env, list[i].propagated));
    array.Set(static_cast<uint32_t>(i), q);
  }
  return array;
}

}  // namespace

Napi::Object FromClassSpec(EnvState& state, Napi::Env env,
                           const client::ClassSpec& spec) {
  Keys& k = state.keys;
  Napi::Object out = Napi::Object::New(env);
  out.Set(k.name, FromOle(env, spec.name));
  out.Set(k.superclass, FromOle(env, spec.superclass));
  out.Set(k.qualifiers, FromQualifiers(state, env, spec.qualifiers));
  Napi::Array props = Napi::Array::New(env, spec.properties.size());
  for (size_t i = 0; i < spec.properties.size(); ++i) {
    const client::PropertySpec& p = spec.properties[i];
    Napi::Object o = Napi::Object::New(env);
    o.Set(k.name, FromOle(env, p.name));
    o.Set(k.type, Napi::Number::New(env, static_cast<double>(p.type)));
    o.Set(k.key, Napi::Boolean::New(env, p.key));
    o.Set(k.refClass, FromOle(env, p.refClass));
    o.Set(k.objectClass, FromOle(env, p.objectClass));
    o.Set(k.hasDefault, Napi::Boolean::New(env, p.hasDefault));
    o.Set(k.defaultValue,
          p.hasDefault ? FromValue(state, env, p.defaultValue) : env.Null());
    o.Set(k.qualifiers, FromQualifiers(state, env, p.qualifiers));
    props.Set(static_cast<uint32_t>(i), o);
  }
  out.Set(k.properties, props);
  Napi::Array methods = Napi::Array::New(env, spec.methods.size());
  for (size_t i = 0; i < spec.methods.size(); ++i) {
    const client::MethodSpec& m = spec.methods[i];
    Napi::Object o = Napi::Object::New(env);
    o.Set(k.name, FromOle(env, m.name));
    o.Set(k.returnType, Napi::Number::New(env, static_cast<double>(m.returnType)));
    o.Set(k.qualifiers, FromQualifiers(state, env, m.qualifiers));
    Napi::Array params = Napi::Array::New(env, m.parameters.size());
    for (size_t j = 0; j < m.parameters.size(); ++j) {
      const client::ParameterSpec& p = m.parameters[j];
      Napi::Object po = Napi::Object::New(env);
      po.Set(k.name, FromOle(env, p.name));
      po.Set(k.type, Napi::Number::New(env, static_cast<double>(p.type)));
      po.Set(k.in, Napi::Boolean::New(env, p.in));
      po.Set(k.out, Napi::Boolean::New(env, p.out));
      po.Set(k.refClass, FromOle(env, p.refClass));
      po.Set(k.objectClass, FromOle(env, p.objectClass));
      po.Set(k.qualifiers, FromQualifiers(state, env, p.qualifiers));
      params.Set(static_cast<uint32_t>(j), po);
    }
    o.Set(k.parameters, params);
    methods.Set(static_cast<uint32_t>(i), o);
  }
  out.Set(k.methods, methods);
  return out;
}

Napi::Object FromObjectRecord(EnvState& state, Napi::Env env,
                              const client::ObjectRecord& record) {
  Napi::Object out = Napi::Object::New(env);
  out.Set("isClass", Napi::Boolean::New(env, record.isClass));
  Napi::Object props = Napi::Object::New(env);
  for (const auto& [name, value] : record.properties) {
    props.Set(FromOle(env, name), FromValue(state, env, value));
  }
  out.Set(state.keys.properties, props);
  out.Set(state.keys.classSpec,
          record.classSpec ? Napi::Value(FromClassSpec(state, env, *record.classSpec))
                           : env.Null());
  return out;
}

}  // namespace wmiput::bridge
