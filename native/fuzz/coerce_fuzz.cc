// libFuzzer target: the value converter (client/coerce.h). The input is
// decoded into a CIMTYPE (scalar or array, with or without the interval
// subtype) and an arbitrary client::Value tree (every kind, nested arrays and
// embedded objects past the depth limit, odd numbers, long texts). Checked:
//   - ToVariant either succeeds or refuses with WBEM_E_TYPE_MISMATCH and a
//     reason (WBEM_E_OUT_OF_MEMORY aside);
//   - what ToVariant made reads back (FromVariant), and the value read back
//     converts again to the same VARIANT and reads back to the same value (the
//     round trip is a fixed point);
//   - the lossless cases are exact: strings keep every UTF-16 unit, 64-bit
//     integers their sign and magnitude, real64 every bit, small integers
//     their number;
//   - no IWbemClassObject outlives the input.
// Embedded objects are built by the production ObjectBuilder over an embedded
// server holding Fuzz_Node { sint32 V; object Child; object Kids[]; string S; uint64 U }.
// Build and run: npm run fuzz (scripts/fuzz.js), or by hand from the repo root:
//   cmake -S . -B build-fuzz -DWMI_PUT_FUZZ=ON -DCMAKE_CXX_COMPILER=clang++ && \
//     cmake --build build-fuzz --target coerce_fuzz
//   build-fuzz/fuzz/coerce_fuzz -max_total_time=60 <scratch> native/fuzz/corpus/coerce
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>

#include "client/class_cache.h"
#include "client/coerce.h"
#include "client/object_builder.h"
#include "com/com.h"
#include "com/raii.h"
#include "embedded/counters.h"
#include "embedded/embedded.h"
#include "fuzz/fuzz_reader.h"

using wmiput::client::ObjectValue;
using wmiput::client::Value;
using wmiput::com::Bstr;
using wmiput::com::ComPtr;
using wmiput::com::OleString;
using wmiput::com::Variant;
using Kind = wmiput::client::Value::Kind;

namespace {

using Reader = wmiput::fuzz::FuzzReader;

// A violated invariant: say which, then abort (libFuzzer keeps the input).
#define REQUIRE(cond)                                                         \
  do {                                                                        \
    if (!(cond)) {                                                            \
      std::fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                           \
    }                                                                         \
  } while (0)

OleString W(const char* s) {
  OleString o;
  for (; *s; ++s) o.push_back(static_cast<OLECHAR>(*s));
  return o;
}

const CIMTYPE kTypes[] = {CIM_SINT8,  CIM_UINT8,  CIM_SINT16,   CIM_UINT16,    CIM_SINT32,
                          CIM_UINT32, CIM_SINT64, CIM_UINT64,   CIM_REAL32,    CIM_REAL64,
                          CIM_BOOLEAN, CIM_STRING, CIM_DATETIME, CIM_REFERENCE, CIM_CHAR16,
                          CIM_OBJECT};

struct World {
  ComPtr<IWbemServices> svc;
};

// Thread: fuzzer main.
World& TheWorld() {
  static World* world = [] {
    auto* w = new World;
    wmiput::embedded::RepositoryPtr repo = wmiput::embedded::NewRepository();
    REQUIRE(SUCCEEDED(wmiput::embedded::ConnectServer(repo, OLESTR("root\\cimv2"), w->svc.put())));
    ComPtr<IWbemClassObject> cls;
    REQUIRE(SUCCEEDED(w->svc->GetObject(nullptr, 0, nullptr, cls.put(), nullptr)));
    Variant name = Variant::FromBstr(W("Fuzz_Node"));
    REQUIRE(SUCCEEDED(cls->Put(OLESTR("__CLASS"), 0, name.get(), 0)));
    const struct {
      const char* name;
      CIMTYPE type;
    } props[] = {{"V", CIM_SINT32}, {"Child", CIM_OBJECT}, {"Kids", CIM_OBJECT | CIM_FLAG_ARRAY},
                 {"S", CIM_STRING}, {"U", CIM_UINT64},     {"T", CIM_DATETIME}};
    for (const auto& p : props) {
      Variant nul = Variant::Null();
      REQUIRE(SUCCEEDED(cls->Put(W(p.name).c_str(), 0, nul.get(), p.type)));
    }
    REQUIRE(SUCCEEDED(w->svc->PutClass(cls.get(), 0, nullptr, nullptr)));
    return w;
  }();
  return *world;
}

OleString Text(Reader& in) {
  const uint8_t shape = in.U8();
  if (shape < 24) {
    // DMTF-shaped text with a few fuzzed characters: reaches the datetime/interval checks.
    OleString s = W(shape & 1 ? "20240131235959.123456-300" : "00000001020304.000005:000");
    for (int i = 0; i < (shape >> 3); ++i) s[in.U8() % s.size()] = static_cast<OLECHAR>(in.U8());
    return s;
  }
  if (shape < 32) {
    // Decimal text for the 64-bit integers.
    OleString s;
    if (in.U8() & 1) s.push_back('-');
    const int digits = in.U8() % 24;
    for (int i = 0; i < digits; ++i) s.push_back(static_cast<OLECHAR>('0' + in.U8() % 10));
    return s;
  }
  if (shape < 36) return W("Fuzz_Node.V=1");
  if (shape == 36) return OleString(5000 + in.U16() % 4096, static_cast<OLECHAR>('x' + in.U8() % 3));
  OleString s;
  const size_t n = in.U8() % 24;
  for (size_t i = 0; i < n && !in.empty(); ++i) s.push_back(static_cast<OLECHAR>(in.U16()));
  return s;
}

double Number(Reader& in) {
  const uint8_t shape = in.U8();
  static const double special[] = {0.0, -0.0, 1.0, -1.0, 0.5, 127, 128, 255, 256, -129,
                                   32767, 32768, 65535, 65536, 2147483647.0, 2147483648.0,
                                   4294967295.0, 4294967296.0, 9007199254740991.0,
                                   9007199254740992.0, -9007199254740992.0, 3.4028234663852886e38,
                                   3.4028235677973366e38, 1e300, 1e-320, NAN, INFINITY, -INFINITY};
  if (shape < 64) return special[shape % (sizeof(special) / sizeof(special[0]))];
  if (shape < 160) return static_cast<double>(static_cast<int32_t>(in.U32()));
  uint64_t bits = in.U64();
  double d;
  std::memcpy(&d, &bits, sizeof d);
  return d;
}

Value MakeValue(Reader& in, int depth);

std::shared_ptr<const ObjectValue> MakeObject(Reader& in, int depth) {
  auto obj = std::make_shared<ObjectValue>();
  const uint8_t cls = in.U8();
  obj->className = cls < 200 ? W("Fuzz_Node") : cls < 230 ? OleString() : W("Fuzz_Missing");
  static const char* names[] = {"V", "Child", "Kids", "S", "U", "T", "Nope", "__CLASS"};
  const int n = in.U8() % 4;
  for (int i = 0; i < n && !in.empty(); ++i) {
    obj->properties.emplace_back(W(names[in.U8() % 8]), MakeValue(in, depth + 1));
  }
  return obj;
}

// A Value of any kind; `depth` bounds the tree (chains of objects may still
// exceed kMaxObjectDepth through a dedicated shape).
Value MakeValue(Reader& in, int depth) {
  Value v;
  const uint8_t k = in.U8();
  switch (k % 10) {
    case 0: v.kind = Kind::kNull; break;
    case 1: v.kind = Kind::kBoolean; v.boolean = in.U8() & 1; break;
    case 2: case 3: v.kind = Kind::kNumber; v.number = Number(in); break;
    case 4:
      v.kind = Kind::kBigInt;
      v.negative = in.U8() & 1;
      v.magnitude = (k & 0x80) ? in.U64() : in.U8();
      v.overflow = (k & 0x70) == 0x70;
      break;
    case 5: v.kind = Kind::kString; v.text = Text(in); break;
    case 6: v.kind = (k & 0x10) ? Kind::kInterval : Kind::kDateTime; v.text = Text(in); break;
    case 7:
    case 8:
      v.kind = Kind::kArray;
      if (depth < 6) {
        const int n = in.U8() % 9;
        for (int i = 0; i < n && !in.empty(); ++i) v.items.push_back(MakeValue(in, depth + 1));
      }
      break;
    case 9:
      v.kind = Kind::kObject;
      if ((k & 0xF0) == 0xF0) {
        // A chain of Child objects around the documented depth limit (32).
        const int chain = 28 + in.U8() % 10;
        std::shared_ptr<const ObjectValue> inner = std::make_shared<ObjectValue>(ObjectValue{W("Fuzz_Node"), {}});
        for (int i = 1; i < chain; ++i) {
          auto o = std::make_shared<ObjectValue>();
          o->className = W("Fuzz_Node");
          Value child;
          child.kind = Kind::kObject;
          child.object = inner;
          o->properties.emplace_back(W("Child"), std::move(child));
          inner = o;
        }
        v.object = inner;
      } else {
        v.object = depth < 6 ? MakeObject(in, depth) : std::make_shared<ObjectValue>(ObjectValue{W("Fuzz_Node"), {}});
      }
      break;
  }
  return v;
}

bool SameBits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

// Structural equality of two values read back by FromVariant (NaN-aware).
bool Same(const Value& a, const Value& b) {
  if (a.kind != b.kind) return false;
  switch (a.kind) {
    case Kind::kNull: return true;
    case Kind::kBoolean: return a.boolean == b.boolean;
    case Kind::kNumber: return SameBits(a.number, b.number) || (std::isnan(a.number) && std::isnan(b.number));
    case Kind::kBigInt: return a.negative == b.negative && a.magnitude == b.magnitude && a.overflow == b.overflow;
    case Kind::kString:
    case Kind::kDateTime:
    case Kind::kInterval: return a.text == b.text;
    case Kind::kArray:
      if (a.items.size() != b.items.size()) return false;
      for (size_t i = 0; i < a.items.size(); ++i)
        if (!Same(a.items[i], b.items[i])) return false;
      return true;
    case Kind::kObject: {
      if (!a.object || !b.object) return a.object == b.object;
      if (a.object->className != b.object->className) return false;
      const auto& pa = a.object->properties;
      const auto& pb = b.object->properties;
      if (pa.size() != pb.size()) return false;
      for (size_t i = 0; i < pa.size(); ++i)
        if (pa[i].first != pb[i].first || !Same(pa[i].second, pb[i].second)) return false;
      return true;
    }
  }
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  World& world = TheWorld();
  const int64_t liveBefore = wmiput::embedded::live::classObjects.load();
  {
    Reader in(data, size);
    const uint8_t t = in.U8();
    CIMTYPE type = kTypes[t % (sizeof(kTypes) / sizeof(kTypes[0]))];
    if (t & 0x80) type |= CIM_FLAG_ARRAY;
    const bool interval = (t & 0x40) != 0;
    const Value value = MakeValue(in, 0);

    wmiput::client::ClassCache cache;
    wmiput::client::ObjectBuilder builder(world.svc.get(), &cache);
    const OleString objectClass = (in.U8() & 1) ? W("Fuzz_Node") : OleString();

    Variant first;
    OleString why;
    const HRESULT hr = wmiput::client::ToVariant(value, type, interval, &first, &why, &builder, objectClass);
    if (FAILED(hr)) {
      REQUIRE(hr == static_cast<HRESULT>(WBEM_E_OUT_OF_MEMORY) ||
              (hr == static_cast<HRESULT>(WBEM_E_TYPE_MISMATCH) && !why.empty()));
    } else {
      REQUIRE(hr == S_OK);
      Value back;
      REQUIRE(wmiput::client::FromVariant(*first.get(), type, &back) == S_OK);
      Variant second;
      OleString why2;
      // The value read back converts again. FromVariant tells datetimes from
      // intervals by their text (it does not know the property's subtype), so
      // the second conversion takes the subtype from what came back; a
      // datetime array holding both kinds (only possible for texts the server
      // refuses at Put anyway) has no single subtype and is skipped.
      bool anyInterval = back.kind == Kind::kInterval, anyDateTime = back.kind == Kind::kDateTime;
      for (const Value& item : back.items) {
        anyInterval = anyInterval || item.kind == Kind::kInterval;
        anyDateTime = anyDateTime || item.kind == Kind::kDateTime;
      }
      const bool mixed = anyInterval && anyDateTime;
      const bool backInterval = anyInterval;
      const HRESULT hr2 = mixed ? S_OK
                                : wmiput::client::ToVariant(back, type, backInterval, &second, &why2, &builder, objectClass);
      if (hr2 != S_OK) {
        std::string text;
        for (OLECHAR ch : why2) text.push_back(ch < 128 ? static_cast<char>(ch) : '?');
        std::fprintf(stderr, "second conversion (kind %d -> %d) refused: %s\n", static_cast<int>(value.kind),
                     static_cast<int>(back.kind), text.c_str());
      }
      REQUIRE(hr2 == S_OK);
      if (!mixed) {
        Value again;
        REQUIRE(wmiput::client::FromVariant(*second.get(), type, &again) == S_OK);
        REQUIRE(Same(back, again));
      }

      // Exact cases.
      const CIMTYPE base = type & ~CIM_FLAG_ARRAY;
      if (!(type & CIM_FLAG_ARRAY) && value.kind != Kind::kNull) {
        if (base == CIM_STRING && value.kind == Kind::kString) REQUIRE(back.kind == Kind::kString && back.text == value.text);
        if ((base == CIM_SINT64 || base == CIM_UINT64) && value.kind == Kind::kBigInt) {
          REQUIRE(back.kind == Kind::kBigInt && back.magnitude == value.magnitude &&
                  (back.negative == value.negative || value.magnitude == 0));
        }
        if (base == CIM_REAL64 && value.kind == Kind::kNumber) {
          REQUIRE(back.kind == Kind::kNumber && (SameBits(back.number, value.number) ||
                                                 (std::isnan(back.number) && std::isnan(value.number))));
        }
        if ((base == CIM_SINT32 || base == CIM_UINT32 || base == CIM_SINT16 || base == CIM_UINT16 ||
             base == CIM_SINT8 || base == CIM_UINT8) &&
            value.kind == Kind::kNumber) {
          REQUIRE(back.kind == Kind::kNumber && back.number == value.number);
        }
      }
      if (value.kind == Kind::kNull) REQUIRE(back.kind == Kind::kNull);
    }
  }
  REQUIRE(wmiput::embedded::live::classObjects.load() == liveBefore);
  return 0;
}
