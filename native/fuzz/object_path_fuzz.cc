// libFuzzer target: object path parsing and canonical formatting.
// The input is UTF-16LE (an odd trailing byte is ignored). Whatever parses
// must format to a canonical text that parses back to the same value and
// formats to the same text again; a failed parse must be exactly
// WBEM_E_INVALID_OBJECT_PATH.
// Build and run (from the repo root):
//   clang++ -std=c++17 -g -O1 -fsanitize=fuzzer,address,undefined -Inative \
//     native/fuzz/object_path_fuzz.cc native/embedded/{names,object_path,datetime}.cc -o /tmp/object_path_fuzz
//   /tmp/object_path_fuzz -max_total_time=60 <scratch-dir> native/fuzz/corpus/object_path
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "embedded/object_path.h"

using wmiput::embedded::FormatObjectPath;
using wmiput::embedded::KeyBinding;
using wmiput::embedded::ObjectPath;
using wmiput::embedded::OleString;
using wmiput::embedded::ParseObjectPath;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  OleString text;
  text.reserve(size / 2);
  for (size_t i = 0; i + 1 < size; i += 2)
    text.push_back(static_cast<OLECHAR>(data[i] | (data[i + 1] << 8)));

  ObjectPath p;
  const HRESULT hr = ParseObjectPath(text, &p);
  if (hr != S_OK) {
    if (static_cast<uint32_t>(hr) != 0x8004103Au) std::abort();
    return 0;
  }
  const OleString canon = FormatObjectPath(p);
  ObjectPath q;
  if (ParseObjectPath(canon, &q) != S_OK) std::abort();
  if (FormatObjectPath(q) != canon) std::abort();
  // q has the keys in canonical order; same set of bindings as p.
  if (q.keys.size() != p.keys.size() || q.className != p.className ||
      q.server != p.server || q.namespaceSegments != p.namespaceSegments ||
      q.singleton != p.singleton)
    std::abort();
  for (const KeyBinding& k : p.keys) {
    bool found = false;
    for (const KeyBinding& m : q.keys) found = found || (m == k);
    if (!found) std::abort();
  }
  // String keys that hold paths re-parse stably too (nested references).
  for (const KeyBinding& k : p.keys) {
    if (k.value.kind != wmiput::embedded::KeyLiteral::Kind::String) continue;
    ObjectPath inner, again;
    if (ParseObjectPath(k.value.text, &inner) != S_OK) continue;
    const OleString innerCanon = FormatObjectPath(inner);
    if (ParseObjectPath(innerCanon, &again) != S_OK) std::abort();
    if (FormatObjectPath(again) != innerCanon) std::abort();
  }
  return 0;
}
