#include "embedded/datetime.h"

#include <cstdint>

namespace wmiput::embedded {

namespace {

constexpr size_t kLength = 25;

uint32_t U(OLECHAR c) { return static_cast<uint16_t>(c); }
bool IsDigit(uint32_t c) { return c >= '0' && c <= '9'; }

enum class Field { Digits, Stars, Bad };

// Classifies s[pos, pos+n) and, for digits, returns the value.
Field Classify(OleStringView s, size_t pos, size_t n, int* value) {
  if (IsDigit(U(s[pos]))) {
    int v = 0;
    for (size_t i = pos; i < pos + n; ++i) {
      if (!IsDigit(U(s[i]))) return Field::Bad;
      v = v * 10 + static_cast<int>(U(s[i]) - '0');
    }
    *value = v;
    return Field::Digits;
  }
  for (size_t i = pos; i < pos + n; ++i)
    if (U(s[i]) != '*') return Field::Bad;
  return Field::Stars;
}

// A field that may be unknown: all digits within [lo, hi], or all '*'.
bool RangeOrStars(OleStringView s, size_t pos, size_t n, int lo, int hi,
                  int* value, bool* known) {
  const Field f = Classify(s, pos, n, value);
  if (f == Field::Bad) return false;
  *known = f == Field::Digits;
  return !*known || (*value >= lo && *value <= hi);
}

bool DigitsInRange(OleStringView s, size_t pos, size_t n, int lo, int hi) {
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (!IsDigit(U(s[i]))) return false;
    v = v * 10 + static_cast<int>(U(s[i]) - '0');
  }
  return v >= lo && v <= hi;
}

bool IsLeapYear(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysInMonth(int month, bool yearKnown, int year) {
  static const int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2) return (!yearKnown || IsLeapYear(year)) ? 29 : 28;
  return kDays[month - 1];
}

}  // namespace

// Thread: any.
bool IsValidDateTime(OleStringView s) noexcept {
  if (s.size() != kLength) return false;
  int year = 0, month = 0, day = 0, v = 0;
  bool yearKnown = false, monthKnown = false, dayKnown = false, known = false;
  if (!RangeOrStars(s, 0, 4, 0, 9999, &year, &yearKnown)) return false;
  if (!RangeOrStars(s, 4, 2, 1, 12, &month, &monthKnown)) return false;
  if (!RangeOrStars(s, 6, 2, 1, 31, &day, &dayKnown)) return false;
  if (dayKnown && monthKnown && day > DaysInMonth(month, yearKnown, year))
    return false;
  if (!RangeOrStars(s, 8, 2, 0, 23, &v, &known)) return false;
  if (!RangeOrStars(s, 10, 2, 0, 59, &v, &known)) return false;
  if (!RangeOrStars(s, 12, 2, 0, 59, &v, &known)) return false;
  if (U(s[14]) != '.') return false;
  // Microseconds: digits, then only '*' (DSP0004 reduced precision).
  size_t i = 15;
  while (i < 21 && IsDigit(U(s[i]))) ++i;
  while (i < 21 && U(s[i]) == '*') ++i;
  if (i != 21) return false;
  const uint32_t sign = U(s[21]);
  if (sign != '+' && sign != '-') return false;
  return RangeOrStars(s, 22, 3, 0, 999, &v, &known);
}

// Thread: any.
bool IsValidInterval(OleStringView s) noexcept {
  if (s.size() != kLength) return false;
  if (!DigitsInRange(s, 0, 8, 0, 99999999)) return false;
  if (!DigitsInRange(s, 8, 2, 0, 23)) return false;
  if (!DigitsInRange(s, 10, 2, 0, 59)) return false;
  if (!DigitsInRange(s, 12, 2, 0, 59)) return false;
  if (U(s[14]) != '.') return false;
  if (!DigitsInRange(s, 15, 6, 0, 999999)) return false;
  return U(s[21]) == ':' && U(s[22]) == '0' && U(s[23]) == '0' &&
         U(s[24]) == '0';
}

// Thread: any.
bool IsValidDateTimeOrInterval(OleStringView s) noexcept {
  return IsValidDateTime(s) || IsValidInterval(s);
}

}  // namespace wmiput::embedded
