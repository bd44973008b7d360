// libFuzzer target: DMTF datetime/interval validation. The input is
// UTF-16LE. Checks invariants that hold for every accepted string, against an
// independent reading of the fields.
// Build and run (from the repo root):
//   clang++ -std=c++17 -g -O1 -fsanitize=fuzzer,address,undefined -Inative \
//     native/fuzz/datetime_fuzz.cc native/embedded/{names,object_path,datetime}.cc -o /tmp/datetime_fuzz
//   /tmp/datetime_fuzz -max_total_time=60 <scratch-dir> native/fuzz/corpus/datetime
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "embedded/datetime.h"

using wmiput::com::OleString;

namespace {
bool AllDigits(const OleString& s, size_t pos, size_t n) {
  for (size_t i = pos; i < pos + n; ++i)
    if (s[i] < '0' || s[i] > '9') return false;
  return true;
}
int Num(const OleString& s, size_t pos, size_t n) {
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) v = v * 10 + (s[i] - '0');
  return v;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  OleString text;
  for (size_t i = 0; i + 1 < size; i += 2)
    text.push_back(static_cast<OLECHAR>(data[i] | (data[i + 1] << 8)));
  // Also try the bytes as ASCII so short inputs reach the 25-char forms.
  OleString ascii;
  for (size_t i = 0; i < size; ++i) ascii.push_back(static_cast<OLECHAR>(data[i]));

  for (const OleString* s : {&text, &ascii}) {
    const bool dt = wmiput::embedded::IsValidDateTime(*s);
    const bool iv = wmiput::embedded::IsValidInterval(*s);
    if (dt != iv && wmiput::embedded::IsValidDateTimeOrInterval(*s) != true) std::abort();
    if (dt && iv) std::abort();  // ':' vs '+'/'-' at 21 makes them disjoint
    if (dt) {
      const OleString& d = *s;
      if (d.size() != 25 || d[14] != '.' || (d[21] != '+' && d[21] != '-')) std::abort();
      if (AllDigits(d, 4, 2) && (Num(d, 4, 2) < 1 || Num(d, 4, 2) > 12)) std::abort();
      if (AllDigits(d, 6, 2) && (Num(d, 6, 2) < 1 || Num(d, 6, 2) > 31)) std::abort();
      if (AllDigits(d, 8, 2) && Num(d, 8, 2) > 23) std::abort();
      if (AllDigits(d, 10, 2) && Num(d, 10, 2) > 59) std::abort();
      if (AllDigits(d, 12, 2) && Num(d, 12, 2) > 59) std::abort();
    }
    if (iv) {
      const OleString& d = *s;
      if (d.size() != 25 || !AllDigits(d, 0, 14) || !AllDigits(d, 15, 6) || d[14] != '.' ||
          d[21] != ':' || Num(d, 8, 2) > 23 || Num(d, 10, 2) > 59 || Num(d, 12, 2) > 59)
        std::abort();
    }
  }
  return 0;
}
