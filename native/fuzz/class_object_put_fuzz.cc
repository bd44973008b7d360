// libFuzzer target: IWbemClassObject::Put with arbitrary names, CIMTYPEs,
// flags and VARIANTs on the embedded server's objects. The input is decoded
// into a target (a new class, a derived class of a class with a property of
// every CIM type, or an instance of it) and a sequence of Puts. Checked for
// every input, beyond "no crash, no sanitizer report":
//   - every HRESULT is S_OK or a failure (never a success code other than S_OK);
//   - a Put that succeeded can be read back with Get (same CIMTYPE when one was given);
//   - the object still formats (GetObjectText), clones and can be written
//     (PutClass / PutInstance, then deleted again), whatever was put into it;
//   - no IWbemClassObject outlives the input (embedded::live::classObjects),
//     including an object put into its own property.
// Build and run: npm run fuzz (scripts/fuzz.js), or by hand from the repo root:
//   cmake -S . -B build-fuzz -DWMI_PUT_FUZZ=ON -DCMAKE_CXX_COMPILER=clang++ && \
//     cmake --build build-fuzz --target class_object_put_fuzz
//   build-fuzz/fuzz/class_object_put_fuzz -max_total_time=60 <scratch> native/fuzz/corpus/class_object_put
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "com/com.h"
#include "com/raii.h"
#include "embedded/counters.h"
#include "embedded/embedded.h"
#include "fuzz/fuzz_reader.h"

using wmiput::com::Bstr;
using wmiput::com::ComPtr;
using wmiput::com::OleString;
using wmiput::com::SafeArray;
using wmiput::com::Variant;

namespace {

// The input as integers, plus length-prefixed UTF-16 text.
class Reader : public wmiput::fuzz::FuzzReader {
 public:
  using FuzzReader::FuzzReader;
  // UTF-16 text of up to `max` units, length first.
  OleString Text(size_t max) {
    size_t n = U8() % (max + 1);
    OleString s;
    for (size_t i = 0; i < n && !empty(); ++i) s.push_back(static_cast<OLECHAR>(U16()));
    return s;
  }
};

const CIMTYPE kTypes[] = {CIM_SINT8,  CIM_UINT8,  CIM_SINT16,    CIM_UINT16,   CIM_SINT32,
                          CIM_UINT32, CIM_SINT64, CIM_UINT64,    CIM_REAL32,   CIM_REAL64,
                          CIM_BOOLEAN, CIM_STRING, CIM_DATETIME, CIM_REFERENCE, CIM_CHAR16,
                          CIM_OBJECT};

const VARTYPE kVarTypes[] = {VT_EMPTY, VT_NULL, VT_I1,  VT_UI1,  VT_I2,   VT_UI2,    VT_I4,
                             VT_UI4,   VT_I8,   VT_UI8, VT_R4,   VT_R8,   VT_BOOL,   VT_BSTR,
                             VT_UNKNOWN, VT_DISPATCH, VT_INT, VT_UINT, VT_ERROR, VT_DATE, VT_CY};

struct World {
  ComPtr<IWbemServices> svc;
  ComPtr<IWbemClassObject> target;    // Fuzz_Target: a property of every CIM type, scalar and array
  ComPtr<IWbemClassObject> embedded;  // Fuzz_Embedded: an instance to embed
};

OleString W(const char* s) {
  OleString o;
  for (; *s; ++s) o.push_back(static_cast<OLECHAR>(*s));
  return o;
}

OleString TypeName(CIMTYPE t) {
  static const char* names[] = {"S8", "U8", "S16", "U16", "S32", "U32", "S64", "U64",
                                "R32", "R64", "B", "Str", "DT", "Ref", "C16", "Obj"};
  for (size_t i = 0; i < sizeof(kTypes) / sizeof(kTypes[0]); ++i) {
    if (kTypes[i] == (t & ~CIM_FLAG_ARRAY)) {
      OleString n = W(names[i]);
      if (t & CIM_FLAG_ARRAY) n += W("s");
      return n;
    }
  }
  return W("X");
}

// A violated invariant: say which, then abort (libFuzzer keeps the input).
#define REQUIRE(cond)                                                         \
  do {                                                                        \
    if (!(cond)) {                                                            \
      std::fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                           \
    }                                                                         \
  } while (0)

// Thread: fuzzer main. The shared repository and classes, made once.
World& TheWorld() {
  static World* world = [] {
    auto* w = new World;
    wmiput::embedded::RepositoryPtr repo = wmiput::embedded::NewRepository();
    REQUIRE(SUCCEEDED(wmiput::embedded::ConnectServer(repo, OLESTR("root\\cimv2"), w->svc.put())));
    auto makeClass = [&](const char* name, bool everyType) {
      ComPtr<IWbemClassObject> cls;
      REQUIRE(SUCCEEDED(w->svc->GetObject(nullptr, 0, nullptr, cls.put(), nullptr)));
      Variant v = Variant::FromBstr(W(name));
      REQUIRE(SUCCEEDED(cls->Put(OLESTR("__CLASS"), 0, v.get(), 0)));
      Variant key = Variant::Null();
      REQUIRE(SUCCEEDED(cls->Put(OLESTR("Name"), 0, key.get(), CIM_STRING)));
      ComPtr<IWbemQualifierSet> qs;
      REQUIRE(SUCCEEDED(cls->GetPropertyQualifierSet(OLESTR("Name"), qs.put())));
      Variant yes = Variant::FromBool(true);
      REQUIRE(SUCCEEDED(qs->Put(OLESTR("Key"), yes.get(), 0)));
      if (everyType) {
        for (CIMTYPE t : kTypes) {
          for (CIMTYPE a : {CIMTYPE{0}, CIMTYPE{CIM_FLAG_ARRAY}}) {
            Variant nul = Variant::Null();
            REQUIRE(SUCCEEDED(cls->Put(TypeName(t | a).c_str(), 0, nul.get(), t | a)));
          }
        }
      }
      REQUIRE(SUCCEEDED(w->svc->PutClass(cls.get(), 0, nullptr, nullptr)));
      ComPtr<IWbemClassObject> stored;
      Bstr bname(W(name));
      REQUIRE(SUCCEEDED(w->svc->GetObject(bname.get(), 0, nullptr, stored.put(), nullptr)));
      return stored;
    };
    ComPtr<IWbemClassObject> emb = makeClass("Fuzz_Embedded", false);
    REQUIRE(SUCCEEDED(emb->SpawnInstance(0, w->embedded.put())));
    w->target = makeClass("Fuzz_Target", true);
    return w;
  }();
  return *world;
}

OleString PickName(Reader& in) {
  static const char* pool[] = {"Name", "__CLASS", "__RELPATH", "__PATH", "__GENUS", "__SUPERCLASS",
                               "__PROPERTY_COUNT", "", "New_Prop", "bad name", "_lead", "x_",
                               "__New", "NAME", "9Start"};
  const uint8_t pick = in.U8();
  if (pick < 96) {
    // One of Fuzz_Target's typed properties (S8 .. Objs).
    const CIMTYPE t = kTypes[pick % (sizeof(kTypes) / sizeof(kTypes[0]))];
    return TypeName(t | ((pick & 0x10) ? CIM_FLAG_ARRAY : 0));
  }
  if (pick < 200) return W(pool[pick % (sizeof(pool) / sizeof(pool[0]))]);
  return in.Text(40);
}

CIMTYPE PickType(Reader& in) {
  const uint8_t pick = in.U8();
  if (pick < 128) return 0;  // "keep the property's type"
  if (pick < 240) {
    CIMTYPE t = kTypes[pick % (sizeof(kTypes) / sizeof(kTypes[0]))];
    return (pick & 0x20) ? (t | CIM_FLAG_ARRAY) : t;
  }
  return static_cast<CIMTYPE>(in.U32());
}

// One element of type vt, into `out` (a VARIANT of that type).
bool Scalar(Reader& in, VARTYPE vt, IWbemClassObject* self, Variant* out) {
  switch (vt) {
    case VT_EMPTY: *out = Variant(); return true;
    case VT_NULL: *out = Variant::Null(); return true;
    case VT_I1: *out = Variant::FromI1(static_cast<int8_t>(in.U8())); return true;
    case VT_UI1: *out = Variant::FromUI1(in.U8()); return true;
    case VT_I2: *out = Variant::FromI2(static_cast<int16_t>(in.U16())); return true;
    case VT_UI2: *out = Variant::FromUI2(in.U16()); return true;
    case VT_I4: *out = Variant::FromI4(static_cast<int32_t>(in.U32())); return true;
    case VT_UI4: *out = Variant::FromUI4(in.U32()); return true;
    case VT_I8: *out = Variant::FromI8(static_cast<int64_t>(in.U64())); return true;
    case VT_UI8: *out = Variant::FromUI8(in.U64()); return true;
    case VT_R4: {
      uint32_t bits = in.U32();
      float f;
      std::memcpy(&f, &bits, sizeof f);
      *out = Variant::FromR4(f);
      return true;
    }
    case VT_R8: {
      uint64_t bits = in.U64();
      double d;
      std::memcpy(&d, &bits, sizeof d);
      *out = Variant::FromR8(d);
      return true;
    }
    case VT_BOOL: {
      // Any 16-bit pattern, not only VARIANT_TRUE/FALSE.
      Variant v = Variant::FromBool(true);
      v.get()->boolVal = static_cast<VARIANT_BOOL>(in.U16());
      *out = std::move(v);
      return true;
    }
    case VT_BSTR: {
      const uint8_t shape = in.U8();
      if (shape < 16) {
        // A DMTF-like datetime or interval with fuzzed digits.
        OleString s = W(shape & 1 ? "20240131235959.123456-300" : "00000001020304.000005:000");
        for (size_t i = 0; i < 3; ++i) s[in.U8() % s.size()] = static_cast<OLECHAR>(in.U8());
        *out = Variant::FromBstr(s);
      } else if (shape < 24) {
        *out = Variant::FromBstr(W("Fuzz_Target.Name=\"x\""));
      } else {
        *out = Variant::FromBstr(in.Text(64));
      }
      return true;
    }
    case VT_UNKNOWN:
    case VT_DISPATCH: {
      const uint8_t which = in.U8() % 4;
      IUnknown* p = nullptr;
      if (which == 1) p = TheWorld().embedded.get();
      if (which == 2) p = self;  // an object put into its own property
      if (which == 3) p = TheWorld().target.get();
      Variant v = Variant::FromUnknown(p);
      if (vt == VT_DISPATCH) v.get()->vt = VT_DISPATCH;  // same pointer, the type WMI refuses
      *out = std::move(v);
      return true;
    }
    case VT_INT:
    case VT_UINT:
    case VT_ERROR:
    case VT_DATE:
    case VT_CY: {
      Variant v = Variant::FromI8(static_cast<int64_t>(in.U64()));
      v.get()->vt = vt;  // the same 8 bytes read as another type
      if (vt == VT_INT || vt == VT_UINT || vt == VT_ERROR) v.get()->lVal = static_cast<LONG>(in.U32());
      *out = std::move(v);
      return true;
    }
    default:
      return false;
  }
}

Variant MakeVariant(Reader& in, IWbemClassObject* self) {
  const uint8_t pick = in.U8();
  const VARTYPE vt = kVarTypes[pick % (sizeof(kVarTypes) / sizeof(kVarTypes[0]))];
  if ((pick & 0xC0) != 0xC0 || vt == VT_EMPTY || vt == VT_NULL) {
    Variant v;
    Scalar(in, vt, self, &v);
    return v;
  }
  // An array (VT_ARRAY | vt) of up to 16 elements.
  const ULONG count = in.U8() % 17;
  SafeArray sa;
  try {
    sa = SafeArray::Create(vt == VT_DISPATCH ? VT_UNKNOWN : vt, count);
  } catch (...) {
    return Variant();
  }
  if (!sa) return Variant();
  for (ULONG i = 0; i < count; ++i) {
    Variant e;
    if (!Scalar(in, vt, self, &e)) break;
    VARIANT* raw = e.get();
    const void* p;
    switch (raw->vt) {
      case VT_BSTR: p = raw->bstrVal; break;
      case VT_UNKNOWN:
      case VT_DISPATCH: p = raw->punkVal; break;
      default: p = &raw->llVal; break;  // every scalar starts at the union's first byte
    }
    if (raw->vt == VT_UNKNOWN || raw->vt == VT_DISPATCH) {
      if (!raw->punkVal) continue;  // leave the zeroed (null) element
    }
    sa.Put(static_cast<LONG>(i), p);
  }
  return Variant::FromArray(std::move(sa));
}

void CheckHr(HRESULT hr) {
  // S_OK or a failure; no other success code is defined for these calls.
  REQUIRE(hr == S_OK || FAILED(hr));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  World& world = TheWorld();
  const int64_t liveBefore = wmiput::embedded::live::classObjects.load();
  {
    Reader in(data, size);
    ComPtr<IWbemClassObject> obj;
    const uint8_t kind = in.U8() % 3;
    if (kind == 0) {
      REQUIRE(SUCCEEDED(world.svc->GetObject(nullptr, 0, nullptr, obj.put(), nullptr)));
      Variant name = Variant::FromBstr(W("Fuzz_New"));
      REQUIRE(SUCCEEDED(obj->Put(OLESTR("__CLASS"), 0, name.get(), 0)));
    } else if (kind == 1) {
      REQUIRE(SUCCEEDED(world.target->SpawnDerivedClass(0, obj.put())));
      Variant name = Variant::FromBstr(W("Fuzz_New"));
      REQUIRE(SUCCEEDED(obj->Put(OLESTR("__CLASS"), 0, name.get(), 0)));
    } else {
      REQUIRE(SUCCEEDED(world.target->SpawnInstance(0, obj.put())));
    }

    for (int n = 0; n < 24 && !in.empty(); ++n) {
      OleString name = PickName(in);
      const CIMTYPE type = PickType(in);
      const long flags = (in.U8() < 240) ? 0 : static_cast<long>(in.U32());
      Variant value = MakeVariant(in, obj.get());
      const bool nullName = name.size() == 1 && name[0] == 0xFFFF;
      const HRESULT hr = obj->Put(nullName ? nullptr : name.c_str(), flags, value.get(), type);
      CheckHr(hr);
      if (hr == S_OK) {
        Variant back;
        CIMTYPE backType = 0;
        const HRESULT got = obj->Get(name.c_str(), 0, back.put(), &backType, nullptr);
        REQUIRE(got == S_OK);
        if (type != 0 && !(name.size() > 1 && name[0] == '_' && name[1] == '_')) REQUIRE(backType == type);
      }
    }

    Bstr text;
    CheckHr(obj->GetObjectText(0, text.put()));
    ComPtr<IWbemClassObject> copy;
    REQUIRE(SUCCEEDED(obj->Clone(copy.put())));

    // Write it and take it away again, so the repository stays as it was.
    if (kind == 2) {
      // A NULL string key would get a generated GUID: give it a known value, so
      // that the instance can be found and deleted again.
      Variant key;
      if (obj->Get(OLESTR("Name"), 0, key.put(), nullptr, nullptr) == S_OK && key.isNull()) {
        Variant name = Variant::FromBstr(W("fuzz"));
        REQUIRE(obj->Put(OLESTR("Name"), 0, name.get(), 0) == S_OK);
      }
      // The call result hands back the path the instance was stored under.
      ComPtr<IWbemCallResult> result;
      const HRESULT put = world.svc->PutInstance(obj.get(), 0, nullptr, result.put());
      CheckHr(put);
      if (put == S_OK) {
        REQUIRE(result);
        Bstr path;
        REQUIRE(result->GetResultString(WBEM_INFINITE, path.put()) == S_OK);
        REQUIRE(SUCCEEDED(world.svc->DeleteInstance(path.get(), 0, nullptr, nullptr)));
      }
    } else {
      const HRESULT put = world.svc->PutClass(obj.get(), WBEM_FLAG_CREATE_ONLY, nullptr, nullptr);
      CheckHr(put);
      if (put == S_OK) {
        // Under the name it was written with (a Put of __CLASS may have renamed it).
        Variant cls;
        REQUIRE(obj->Get(OLESTR("__CLASS"), 0, cls.put(), nullptr, nullptr) == S_OK && cls.vt() == VT_BSTR);
        REQUIRE(SUCCEEDED(world.svc->DeleteClass(cls.get()->bstrVal, 0, nullptr, nullptr)));
      }
    }
  }
  // Every object made for this input is gone (no reference cycle, no lost Release).
  REQUIRE(wmiput::embedded::live::classObjects.load() == liveBefore);
  return 0;
}
