// The durable repository: CRC-32C, the value codec, reopen round trips,
// torn tails, mid-file damage, the file lock, compaction and group commit.
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "embedded/class_object.h"
#include "embedded/embedded.h"
#include "embedded/storage.h"
#include "embedded/storage_codec.h"
#include "embedded/storage_crc.h"
#include "embedded/value_rules.h"
#include "repository_support.h"

namespace wmiput::test::repo {
namespace {

using embedded::DurableStats;
namespace st = embedded::storage;

std::string TempDir() {
#ifdef _WIN32
  const char* d = std::getenv("TEMP");
  return d ? d : ".";
#else
  const char* d = std::getenv("TMPDIR");
  return d && *d ? d : "/tmp";
#endif
}

// A fresh path (and no leftovers of an earlier run).
std::string Fresh(const char* name) {
  static int counter = 0;
  std::string p = TempDir() + "/wmiput-storage-" + name + "-" + std::to_string(++counter) + ".wpr";
  std::remove(p.c_str());
  std::remove((p + ".lock").c_str());
  std::remove((p + ".compact").c_str());
  return p;
}

std::vector<uint8_t> ReadAll(const std::string& p) {
  std::vector<uint8_t> out;
  FILE* f = std::fopen(p.c_str(), "rb");
  if (!f) return out;
  uint8_t buf[65536];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out.insert(out.end(), buf, buf + n);
  std::fclose(f);
  return out;
}

void WriteAll(const std::string& p, const std::vector<uint8_t>& data, size_t n) {
  FILE* f = std::fopen(p.c_str(), "wb");
  CHECK(f != nullptr);
  if (n) CHECK_EQ(std::fwrite(data.data(), 1, n, f), n);
  std::fclose(f);
}

std::unique_ptr<Repository> OpenAt(const std::string& p, HRESULT* hr = nullptr, OleString* why = nullptr) {
  std::unique_ptr<Repository> r;
  OleString reason;
  HRESULT h = Repository::Open(p, &r, &reason);
  if (hr) *hr = h;
  if (why) *why = reason;
  if (!hr && FAILED(h)) Fail(__FILE__, __LINE__, "Open failed: " + A(reason));
  return r;
}

// Durable put: waits for the disk.
HRESULT PutD(Repository& r, const InstanceData& d, long flags = 0) {
  OpResult res = r.PutInstance(Ns(), d, flags, nullptr);
  if (FAILED(res.hr)) return res.hr;
  return r.WaitDurable(res.ticket);
}
HRESULT PutCD(Repository& r, const ClassData& c, long flags = 0) {
  OpResult res = r.PutClass(Ns(), c, flags, nullptr);
  if (FAILED(res.hr)) return res.hr;
  return r.WaitDurable(res.ticket);
}

OleString TextOf(IWbemClassObject* o) {
  com::Bstr text;
  if (FAILED(o->GetObjectText(0, text.put()))) return OleString();
  return text.str();
}
OleString ClassText(Repository& r, const OleString& ns, const OleString& name) {
  ClassPtr c;
  if (FAILED(r.GetClass(ns, name, &c))) return OleString();
  return TextOf(embedded::NewClassObject(c).get());
}

// Every class and instance of every namespace, as MOF text, sorted.
std::vector<std::string> Dump(Repository& r, std::vector<OleString> namespaces) {
  std::vector<std::string> out;
  for (const OleString& ns : namespaces) {
    std::vector<ClassPtr> classes;
    if (FAILED(r.EnumClasses(ns, OleString(), true, &classes))) {
      out.push_back("missing namespace " + A(ns));
      continue;
    }
    for (const ClassPtr& c : classes) {
      out.push_back(A(ns) + " class " + A(TextOf(embedded::NewClassObject(c).get())));
      std::vector<InstanceData> insts;
      if (SUCCEEDED(r.EnumInstances(ns, c->name, false, &insts)))
        for (InstanceData& d : insts)
          out.push_back(A(ns) + " instance " + A(TextOf(embedded::NewInstanceObject(std::move(d)).get())));
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

com::Variant ArrayOf(VARTYPE vt, std::vector<com::Variant> items) {
  com::SafeArray sa = com::SafeArray::Create(vt, static_cast<ULONG>(items.size()));
  for (size_t i = 0; i < items.size(); ++i) {
    const VARIANT& v = *items[i].get();
    const void* p = vt == VT_BSTR ? static_cast<const void*>(v.bstrVal)
                    : vt == VT_UNKNOWN ? static_cast<const void*>(v.punkVal)
                                       : static_cast<const void*>(&v.llVal);
    CHECK_HR(sa.Put(static_cast<LONG>(i), p), S_OK);
  }
  return com::Variant::FromArray(std::move(sa));
}

// A class with one property of every CIM type (scalar and array).
ClassData AllTypes() {
  std::vector<Property> props{KeyProp("Id", CIM_STRING)};
  const std::pair<const char*, CIMTYPE> types[] = {
      {"S8", CIM_SINT8},     {"U8", CIM_UINT8},       {"S16", CIM_SINT16}, {"U16", CIM_UINT16},
      {"S32", CIM_SINT32},   {"U32", CIM_UINT32},     {"S64", CIM_SINT64}, {"U64", CIM_UINT64},
      {"R32", CIM_REAL32},   {"R64", CIM_REAL64},     {"B", CIM_BOOLEAN},  {"S", CIM_STRING},
      {"DT", CIM_DATETIME},  {"C16", CIM_CHAR16},     {"Ref", CIM_REFERENCE}, {"Obj", CIM_OBJECT}};
  for (const auto& t : types) {
    props.push_back(Prop(t.first, t.second));
    props.push_back(Prop((std::string(t.first) + "A").c_str(), t.second | CIM_FLAG_ARRAY));
  }
  return Base("AllTypes", std::move(props),
              {Qual("Description", Str("every type"), WBEM_FLAVOR_FLAG_PROPAGATE_TO_DERIVED_CLASS)});
}

}  // namespace

WP_TEST("storage: CRC-32C check values") {
  CHECK_EQ(st::Crc32c("123456789", 9), 0xE3069283u);
  CHECK_EQ(st::Crc32c("", 0), 0u);
  std::vector<uint8_t> zeros(32, 0);
  CHECK_EQ(st::Crc32c(zeros.data(), zeros.size()), 0x8A9136AAu);
  // Incremental = one shot.
  const char* text = "The quick brown fox jumps over the lazy dog";
  const size_t n = std::strlen(text);
  CHECK_EQ(st::Crc32c(text + 10, n - 10, st::Crc32c(text, 10)), st::Crc32c(text, n));
}

WP_TEST("storage: VARIANT codec round-trips scalars, arrays, NULL BSTRs and embedded objects") {
  Repository r;
  CHECK_HR(PutC(r, Base("Emb", {KeyProp("K", CIM_UINT32), Prop("V", CIM_STRING)})), S_OK);
  InstanceData emb = Inst(r, "Emb", {{"K", I4(7)}, {"V", Str("inner")}});
  com::ComPtr<IWbemClassObject> obj = embedded::NewInstanceObject(emb);
  com::ComPtr<IWbemClassObject> cls = embedded::NewClassObject(Get(r, "Emb"));
  std::vector<com::Variant> values;
  values.push_back(com::Variant());
  values.push_back(com::Variant::Null());
  values.push_back(com::Variant::FromBool(true));
  values.push_back(com::Variant::FromUI1(200));
  values.push_back(com::Variant::FromI2(-12345));
  values.push_back(com::Variant::FromI4(-2000000000));
  values.push_back(com::Variant::FromR4(1.5f));
  values.push_back(com::Variant::FromR8(-2.25e300));
  values.push_back(Str(""));
  values.push_back(Str("h\xe9llo \"quoted\" \\ back"));
  {
    com::Variant nullBstr;
    VARIANT* v = nullBstr.put();
    v->vt = VT_BSTR;
    v->bstrVal = nullptr;
    values.push_back(std::move(nullBstr));
  }
  values.push_back(com::Variant::FromUnknown(obj.get()));
  values.push_back(com::Variant::FromUnknown(cls.get()));
  values.push_back(ArrayOf(VT_I4, {I4(1), I4(-2), I4(3)}));
  values.push_back(ArrayOf(VT_BSTR, {Str("a"), Str(""), Str("ccc")}));
  values.push_back(ArrayOf(VT_BOOL, {Bool(true), Bool(false)}));
  values.push_back(ArrayOf(VT_R8, {com::Variant::FromR8(0.1), com::Variant::FromR8(1e-300)}));
  values.push_back(ArrayOf(VT_UNKNOWN, {com::Variant::FromUnknown(obj.get())}));
  values.push_back(ArrayOf(VT_I2, {}));
  for (size_t i = 0; i < values.size(); ++i) {
    st::Encoder e;
    CHECK(st::EncodeVariant(e, *values[i].get()));
    st::Decoder d(e.bytes().data(), e.size());
    com::Variant back;
    CHECK(st::DecodeVariant(d, &back));
    CHECK(d.ok());
    CHECK_EQ(d.remaining(), size_t{0});
    CHECK_EQ(back.vt(), values[i].vt());
    if (values[i].vt() == VT_BSTR) {
      CHECK_EQ(back.get()->bstrVal == nullptr, values[i].get()->bstrVal == nullptr);
    }
    CHECK(embedded::ValuesEqual(*back.get(), *values[i].get()));
    // Truncated input fails cleanly at every length.
    for (size_t cut = 0; cut < e.size(); ++cut) {
      st::Decoder t(e.bytes().data(), cut);
      com::Variant partial;
      CHECK(!st::DecodeVariant(t, &partial));
    }
  }
}

WP_TEST("storage: reopen round trip of every CIM type, hierarchies, qualifiers and namespaces") {
  const std::string path = Fresh("roundtrip");
  std::vector<std::string> before;
  const std::vector<OleString> spaces{W("root"), W("root\\default"), W("root\\cimv2"),
                                      W("root\\default\\child"), W("root\\default\\child\\deeper")};
  {
    auto r = OpenAt(path);
    CHECK(r->IsDurable());
    CHECK_HR(PutCD(*r, AllTypes()), S_OK);
    CHECK_HR(PutCD(*r, Base("Emb", {KeyProp("K", CIM_UINT32), Prop("V", CIM_STRING)})), S_OK);
    InstanceData emb = Inst(*r, "Emb", {{"K", I4(7)}, {"V", Str("inner")}});
    CHECK_HR(PutD(*r, emb), S_OK);
    com::ComPtr<IWbemClassObject> obj = embedded::NewInstanceObject(emb);
    InstanceData all = Inst(*r, "AllTypes",
                            {{"Id", Str("one")},
                             {"S8", com::Variant::FromI2(-5)},
                             {"U8", com::Variant::FromUI1(250)},
                             {"S16", com::Variant::FromI2(-300)},
                             {"U16", I4(65000)},
                             {"S32", I4(-7)},
                             {"U32", I4(-1)},
                             {"S64", Str("-9223372036854775808")},
                             {"U64", Str("18446744073709551615")},
                             {"R32", com::Variant::FromR4(3.25f)},
                             {"R64", com::Variant::FromR8(6.02214076e23)},
                             {"B", Bool(true)},
                             {"S", Str("text")},
                             {"DT", Str("20240102030405.123456+060")},
                             {"C16", com::Variant::FromI2(65)},
                             {"Ref", Str("Emb.K=7")},
                             {"Obj", com::Variant::FromUnknown(obj.get())},
                             {"S32A", ArrayOf(VT_I4, {I4(1), I4(2), I4(3)})},
                             {"SA", ArrayOf(VT_BSTR, {Str("x"), Str("")})},
                             {"BA", ArrayOf(VT_BOOL, {Bool(false), Bool(true)})},
                             {"R64A", ArrayOf(VT_R8, {com::Variant::FromR8(0.5)})},
                             {"ObjA", ArrayOf(VT_UNKNOWN, {com::Variant::FromUnknown(obj.get())})}});
    CHECK_HR(PutD(*r, all), S_OK);
    // A hierarchy with an overriding default and a propagated qualifier.
    CHECK_HR(PutCD(*r, Base("Animal", {KeyProp("Name", CIM_STRING), Prop("Legs", CIM_UINT32)},
                            {Qual("Abstract", Bool(true))})),
             S_OK);
    CHECK_HR(PutCD(*r, Derived(*r, "Animal", "Dog", {Prop("Legs", CIM_UINT32, {}, I4(4)), Prop("Breed", CIM_STRING)})), S_OK);
    CHECK_HR(PutCD(*r, Derived(*r, "Dog", "Puppy", {Prop("AgeWeeks", CIM_UINT8)})), S_OK);
    CHECK_HR(PutD(*r, Inst(*r, "Dog", {{"Name", Str("rex")}, {"Breed", Str("collie")}})), S_OK);
    CHECK_HR(PutD(*r, Inst(*r, "Puppy", {{"Name", Str("bit")}, {"AgeWeeks", com::Variant::FromUI1(9)}})), S_OK);
    // An update of an existing instance.
    CHECK_HR(PutD(*r, Inst(*r, "Dog", {{"Name", Str("rex")}, {"Breed", Str("husky")}}), WBEM_FLAG_UPDATE_ONLY), S_OK);
    // A GUID-keyed instance: the key generated at put time must come back.
    CHECK_HR(PutCD(*r, Base("Guidy", {KeyProp("Id", CIM_STRING), Prop("N", CIM_SINT32)})), S_OK);
    OpResult g = r->PutInstance(Ns(), Inst(*r, "Guidy", {{"N", I4(1)}}), 0, nullptr);
    CHECK_HR(g.hr, S_OK);
    CHECK_HR(r->WaitDurable(g.ticket), S_OK);
    // Deletes.
    CHECK_HR(PutD(*r, Inst(*r, "Emb", {{"K", I4(8)}, {"V", Str("gone")}})), S_OK);
    OpResult del = r->DeleteInstance(Ns(), W("Emb.K=8"));
    CHECK_HR(del.hr, S_OK);
    CHECK_HR(PutCD(*r, Base("Doomed", {KeyProp("K", CIM_UINT32)})), S_OK);
    CHECK_HR(r->DeleteClass(Ns(), W("Doomed")).hr, S_OK);
    // Namespaces: create two levels, one more then delete it.
    CHECK_HR(PutD(*r, Inst(*r, "__NAMESPACE", {{"Name", Str("child")}})), S_OK);
    InstanceData nsInst = Inst(*r, "__NAMESPACE", {{"Name", Str("deeper")}}, W("root\\default\\child"));
    CHECK_HR(r->PutInstance(W("root\\default\\child"), nsInst, 0, nullptr).hr, S_OK);
    ClassData inChild = Base("InChild", {KeyProp("K", CIM_STRING)});
    OpResult pc = r->PutClass(W("root\\default\\child\\deeper"), inChild, 0, nullptr);
    CHECK_HR(pc.hr, S_OK);
    CHECK_HR(PutD(*r, Inst(*r, "__NAMESPACE", {{"Name", Str("temp")}})), S_OK);
    OpResult dn = r->DeleteInstance(Ns(), W("__NAMESPACE.Name=\"temp\""));
    CHECK_HR(dn.hr, S_OK);
    CHECK_HR(r->WaitDurable(dn.ticket), S_OK);
    CHECK_EQ(r->CanonicalNamespace(W("root\\default\\temp")), OleString());
    before = Dump(*r, spaces);
    CHECK(before.size() > 20);
    CHECK_HR(r->Close(), S_OK);
    // After Close, writes are refused and reads still work.
    CHECK_HR(r->PutClass(Ns(), Base("Late", {KeyProp("K", CIM_UINT32)}), 0, nullptr).hr,
             WBEM_E_SHUTTING_DOWN);
    CHECK(!ClassText(*r, Ns(), W("Dog")).empty());
  }
  auto again = OpenAt(path);
  std::vector<std::string> after = Dump(*again, spaces);
  CHECK_EQ(after.size(), before.size());
  for (size_t i = 0; i < before.size() && i < after.size(); ++i) CHECK_EQ(after[i], before[i]);
  CHECK_EQ(again->CanonicalNamespace(W("root\\default\\temp")), OleString());
  CHECK_EQ(again->CanonicalNamespace(W("ROOT\\default\\child\\deeper")), W("root\\default\\child\\deeper"));
  CHECK_EQ(StrOf(ValueAt(*again, "Dog.Name=\"rex\"", "Breed")), W("husky"));
  CHECK_EQ(LongAt(*again, "Dog.Name=\"rex\"", "Legs"), 4);
  // A compacted copy holds exactly the same.
  CHECK_HR(again->Compact(), S_OK);
  CHECK_HR(again->Close(), S_OK);
  again.reset();
  auto third = OpenAt(path);
  std::vector<std::string> compacted = Dump(*third, spaces);
  CHECK_EQ(compacted.size(), before.size());
  for (size_t i = 0; i < before.size() && i < compacted.size(); ++i) CHECK_EQ(compacted[i], before[i]);
}

WP_TEST("storage: a torn tail is cut at every offset of the last commit; what precedes stays") {
  const std::string path = Fresh("torn");
  uint64_t sizeBefore = 0;
  {
    auto r = OpenAt(path);
    CHECK_HR(PutCD(*r, Base("T", {KeyProp("K", CIM_UINT32), Prop("V", CIM_STRING)})), S_OK);
    for (int i = 0; i < 5; ++i)
      CHECK_HR(PutD(*r, Inst(*r, "T", {{"K", I4(i)}, {"V", Str("value")}})), S_OK);
    sizeBefore = r->Stats().fileBytes;
    CHECK_HR(PutD(*r, Inst(*r, "T", {{"K", I4(5)}, {"V", Str("the last one")}})), S_OK);
    CHECK_HR(r->Close(), S_OK);
  }
  const std::vector<uint8_t> full = ReadAll(path);
  CHECK_EQ(static_cast<uint64_t>(ReadAll(path).size()) > sizeBefore, true);
  const std::string copy = path + ".copy";
  int checked = 0;
  for (size_t cut = static_cast<size_t>(sizeBefore); cut < full.size(); ++cut) {
    WriteAll(copy, full, cut);
    std::remove((copy + ".lock").c_str());
    HRESULT hr = S_OK;
    OleString why;
    auto r = OpenAt(copy, &hr, &why);
    if (FAILED(hr)) Fail(__FILE__, __LINE__, "cut at " + std::to_string(cut) + ": " + A(why));
    CHECK_EQ(r->InstanceCount(), size_t{5} + 2);  // 5 of T + root's __NAMESPACE instances
    CHECK_EQ(LongAt(*r, "T.K=5", "K"), INT32_MIN);
    CHECK_EQ(StrOf(ValueAt(*r, "T.K=4", "V")), W("value"));
    CHECK_EQ(r->Stats().droppedTailBytes, static_cast<uint64_t>(cut - sizeBefore));
    CHECK_EQ(r->Stats().fileBytes, sizeBefore);
    r.reset();
    CHECK_EQ(static_cast<uint64_t>(ReadAll(copy).size()), sizeBefore);  // cut on disk too
    ++checked;
  }
  CHECK(checked > 20);
  auto whole = OpenAt(path);
  CHECK_EQ(StrOf(ValueAt(*whole, "T.K=5", "V")), W("the last one"));
  std::remove(copy.c_str());
  std::remove((copy + ".lock").c_str());
}

WP_TEST("storage: damage before the end is refused with WBEM_E_INVALID_STREAM, naming the offset") {
  const std::string path = Fresh("corrupt");
  uint64_t firstFrameEnd = 0;
  {
    auto r = OpenAt(path);
    CHECK_HR(PutCD(*r, Base("T", {KeyProp("K", CIM_UINT32)})), S_OK);
    firstFrameEnd = r->Stats().fileBytes;
    for (int i = 0; i < 3; ++i) CHECK_HR(PutD(*r, Inst(*r, "T", {{"K", I4(i)}})), S_OK);
  }
  std::vector<uint8_t> bytes = ReadAll(path);
  // Flip one byte inside the first frame's payload.
  bytes[30] ^= 0x40;
  WriteAll(path, bytes, bytes.size());
  HRESULT hr = S_OK;
  OleString why;
  auto r = OpenAt(path, &hr, &why);
  CHECK_HR(hr, WBEM_E_INVALID_STREAM);
  CHECK(!r);
  const std::string text = A(why);
  CHECK(text.find("damaged at offset 24") != std::string::npos);
  CHECK(text.find(path) != std::string::npos);
  // The file was left as it was.
  CHECK_EQ(ReadAll(path).size(), bytes.size());
  CHECK(firstFrameEnd > 24);
  // Not a repository file at all.
  const std::string other = Fresh("notrepo");
  std::vector<uint8_t> junk(100, 'x');
  WriteAll(other, junk, junk.size());
  OpenAt(other, &hr, &why);
  CHECK_HR(hr, WBEM_E_INVALID_STREAM);
  CHECK(A(why).find("is not a wmi-put repository file") != std::string::npos);
}

WP_TEST("storage: a second opener gets WBEM_E_ACCESS_DENIED until the first closes") {
  const std::string path = Fresh("lock");
  auto first = OpenAt(path);
  HRESULT hr = S_OK;
  OleString why;
  auto second = OpenAt(path, &hr, &why);
  CHECK_HR(hr, WBEM_E_ACCESS_DENIED);
  CHECK(A(why).find("is in use") != std::string::npos);
  CHECK(A(why).find(path) != std::string::npos);
  CHECK_HR(first->Close(), S_OK);
  auto third = OpenAt(path, &hr, &why);
  CHECK_HR(hr, S_OK);
}

WP_TEST("storage: compacting unchanged data again keeps the file size and the live-size estimate") {
  const std::string path = Fresh("recompact");
  auto r = OpenAt(path);
  for (int c = 0; c < 40; ++c) {
    const std::string name = "Cls" + std::to_string(c);
    CHECK_HR(PutCD(*r, Base(name.c_str(), {KeyProp("K", CIM_UINT32), Prop("Pad", CIM_STRING)})), S_OK);
  }
  for (int i = 0; i < 20; ++i) CHECK_HR(PutD(*r, Inst(*r, "Cls0", {{"K", I4(i)}, {"Pad", Str("x")}})), S_OK);
  CHECK_HR(r->Compact(), S_OK);
  const DurableStats first = r->Stats();
  for (int k = 0; k < 3; ++k) CHECK_HR(r->Compact(), S_OK);
  const DurableStats later = r->Stats();
  CHECK_EQ(later.compactions, first.compactions + 3);
  CHECK_EQ(later.fileBytes, first.fileBytes);
  // The estimate decides when compaction runs on its own: it must describe
  // the file as it is, not grow with every compaction.
  CHECK_EQ(later.liveEstimate, first.liveEstimate);
  CHECK(first.liveEstimate <= first.fileBytes + 4096);
  CHECK_HR(r->Close(), S_OK);
}

WP_TEST("storage: put/delete churn keeps the file bounded by compaction; data intact after reopen") {
  const std::string path = Fresh("churn");
  {
    auto r = OpenAt(path);
    CHECK_HR(PutCD(*r, Base("C", {KeyProp("K", CIM_UINT32), Prop("Pad", CIM_STRING)})), S_OK);
    const std::string pad(200, 'p');
    for (int i = 0; i < 50; ++i) CHECK_HR(PutD(*r, Inst(*r, "C", {{"K", I4(1000 + i)}, {"Pad", Str(pad.c_str())}})), S_OK);
    uint64_t maxSize = 0;
    for (int round = 0; round < 60000; ++round) {
      OpResult p = r->PutInstance(Ns(), Inst(*r, "C", {{"K", I4(round % 7)}, {"Pad", Str(pad.c_str())}}), 0, nullptr);
      CHECK_HR(p.hr, S_OK);
      OpResult d = r->DeleteInstance(Ns(), W(("C.K=" + std::to_string(round % 7)).c_str()));
      CHECK_HR(d.hr, S_OK);
      if (round % 1000 == 999) {
        CHECK_HR(r->WaitDurable(d.ticket), S_OK);
        maxSize = std::max<uint64_t>(maxSize, r->Stats().fileBytes);
      }
    }
    CHECK_HR(PutD(*r, Inst(*r, "C", {{"K", I4(1)}, {"Pad", Str("survivor")}})), S_OK);
    const DurableStats s = r->Stats();
    CHECK(s.records > 120000);
    CHECK(s.compactions >= 3);
    // Without compaction the file would pass 50 MB; with it, it stays within
    // 2x live + 1 MiB plus what is logged while a compaction runs.
    CHECK(maxSize < (uint64_t{8} << 20));
    CHECK_HR(r->Close(), S_OK);
  }
  auto r = OpenAt(path);
  CHECK_EQ(r->InstanceCount(), size_t{51} + 2);  // 50 + the survivor + root's __NAMESPACE for cimv2/default
  CHECK_EQ(StrOf(ValueAt(*r, "C.K=1", "Pad")), W("survivor"));
  CHECK_EQ(LongAt(*r, "C.K=1049", "K"), 1049);
  CHECK(r->Stats().fileBytes < (uint64_t{4} << 20));
}

WP_TEST("storage: concurrent writers are group-committed (fewer fsyncs than records)") {
  const std::string path = Fresh("group");
  auto r = OpenAt(path);
  CHECK_HR(PutCD(*r, Base("G", {KeyProp("K", CIM_UINT32)})), S_OK);
  const uint64_t commitsBefore = r->Stats().commits;
  std::atomic<int> done{0}, ok{0};
  std::vector<std::thread> threads;
  const int perThread = 2000;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < perThread; ++i) {
        OpResult res = r->PutInstance(Ns(), Inst(*r, "G", {{"K", I4(t * perThread + i)}}), 0, nullptr);
        if (FAILED(res.hr)) continue;
        r->AfterDurable(res.ticket, [&](HRESULT hr) {
          if (SUCCEEDED(hr)) ok.fetch_add(1);
          done.fetch_add(1);
        });
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int spin = 0; spin < 2000 && done.load() < 4 * perThread; ++spin)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  CHECK_EQ(ok.load(), 4 * perThread);
  const uint64_t commits = r->Stats().commits - commitsBefore;
  CHECK(commits >= 1);
  CHECK(commits < static_cast<uint64_t>(4 * perThread) / 4);
}

}  // namespace wmiput::test::repo
