// DMTF datetime and interval strings (wmi-put-semantics.md §5.2). Pure
// functions; thread-safe, any thread.
#pragma once

#include "com/com.h"

namespace wmiput::embedded {

using com::OleStringView;

// A point in time "yyyymmddHHMMSS.mmmmmmsUUU" (exactly 25 code units).
// Each field is either all digits or all '*' (unknown):
//   yyyy 0000-9999; mm 01-12; dd 01-31, and when month (and year) are known
//   no more than the days of that month (February: 29 when the year is a
//   Gregorian leap year or unknown, else 28); HH 00-23; MM 00-59; SS 00-59
//   (a leap second "60" is rejected: neither FILETIME, SWbemDateTime nor JS
//   Date can represent it); '.' literal; mmmmmm six digits, six '*', or, per
//   DMTF DSP0004, leading digits followed by trailing '*' (reduced
//   precision, e.g. "123***"); s '+' or '-' (never '*'); UUU three digits
//   (minutes offset, 000-999) or "***" (no time zone).
bool IsValidDateTime(OleStringView s) noexcept;

// An interval "ddddddddHHMMSS.mmmmmm:000" (exactly 25 code units): 8-digit
// days, HH 00-23, MM 00-59, SS 00-59, 6-digit microseconds, the literal
// ":000". No '*' anywhere.
bool IsValidInterval(OleStringView s) noexcept;

// Either of the two (what a CIM_DATETIME property may hold).
bool IsValidDateTimeOrInterval(OleStringView s) noexcept;

}  // namespace wmiput::embedded
