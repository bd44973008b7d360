// DMTF datetime and interval validation (embedded/datetime.h).
#include <cstdio>
#include <string>
#include <vector>

#include "check.h"
#include "embedded/datetime.h"

namespace {

using wmiput::com::OleString;
using wmiput::com::OleStringView;
using wmiput::embedded::IsValidDateTime;
using wmiput::embedded::IsValidDateTimeOrInterval;
using wmiput::embedded::IsValidInterval;

OleString A(const std::string& s) {
  OleString out;
  for (unsigned char c : s) out.push_back(static_cast<OLECHAR>(c));
  return out;
}

using Validator = bool (*)(OleStringView) noexcept;

void ExpectAll(Validator fn, const std::vector<std::string>& v, bool expected, int line) {
  for (const auto& s : v) {
    // Accepted strings must be well-formed test data (25 code units).
    if (expected && s.size() != 25)
      ::wmiput::test::Fail(__FILE__, line, "test data is not 25 chars: " + s);
    if (fn(A(s)) != expected)
      ::wmiput::test::Fail(__FILE__, line, (expected ? "rejected " : "accepted ") + s);
  }
}

}  // namespace

WP_TEST("datetime: valid point-in-time strings incl. leap years and wildcards") {
  ExpectAll(&IsValidDateTime,
            {
                "20240131235959.000000+060",
                "20240229000000.000000+000",  // 2024 is a leap year
                "20000229120000.123456-300",  // 2000 is (divisible by 400)
                "19991231235959.999999+999",
                "00000101000000.000000+000",
                "99991231235959.999999-999",
                "20230430000000.000000+000",
                "20231130000000.000000+000",
                "20230131000000.000000+000",
                "19980416******.000000+***",  // time unknown, no time zone
                "**************.******+***",  // everything unknown
                "****0229000000.000000+000",  // year unknown: Feb 29 allowed
                "2023**31000000.000000+000",  // month unknown: day 31 allowed
                "202302**000000.000000+000",
                "20240101**3000.000000+000",
                "2024010112**00.000000+000",
                "202401011230**.000000+000",
                "20240101123000.123***+000",  // DSP0004 reduced precision
                "20240101123000.1*****-000",
                "20240101123000.000000-***",
            },
            true, __LINE__);
}

WP_TEST("datetime: invalid point-in-time strings") {
  ExpectAll(&IsValidDateTime,
            {
                "",
                "20240131235959.000000+06",     // 24 chars
                "20240131235959.000000+0600",   // 26 chars
                "20230229000000.000000+000",    // 2023 is not a leap year
                "19000229000000.000000+000",    // 1900 is not (divisible by 100)
                "20230431000000.000000+000",    // April has 30 days
                "20230631000000.000000+000",
                "20230931000000.000000+000",
                "20231131000000.000000+000",
                "20230230000000.000000+000",
                "****0230000000.000000+000",    // Feb 30 never exists
                "20231301000000.000000+000",    // month 13
                "20230001000000.000000+000",    // month 00
                "20230100000000.000000+000",    // day 00
                "20230132000000.000000+000",    // day 32
                "20230101240000.000000+000",    // hour 24
                "20230101006000.000000+000",    // minute 60
                "20230101000060.000000+000",    // second 60 (no leap seconds)
                "20230101000000,000000+000",    // ',' for '.'
                "20230101000000.000000*000",    // sign '*'
                "20230101000000.000000 000",    // sign ' '
                "20230101000000.000000+0*0",    // mixed UUU
                "20230101000000.000000+**0",
                "2*230101000000.000000+000",    // partial year wildcard
                "202*0101000000.000000+000",
                "2023*101000000.000000+000",
                "20230101*00000.000000+000",
                "20230101000000.**0000+000",    // stars before digits in microseconds
                "20230101000000.1*1***+000",
                "20230101000000.00000a+000",
                "2023010100000.0000000+000",    // '.' misplaced
                "20230101000000000000000+0",
                "2023-01-01 00:00:00.000000",   // WQL form, 26 chars
                "2023/01/0100000.000000+000",
                "+2023010100000.000000+000",
                " 20230101000000.00000+000",
                "00000000000000.000000:000",    // an interval is not a datetime
            },
            false, __LINE__);
  // Non-ASCII digits and NUL.
  OleString s = A("20230101000000.000000+000");
  s[3] = static_cast<OLECHAR>(0x0663);  // ARABIC-INDIC DIGIT THREE
  CHECK(!IsValidDateTime(s));
  s[3] = static_cast<OLECHAR>(0);
  CHECK(!IsValidDateTime(s));
}

WP_TEST("datetime: interval accept/reject") {
  ExpectAll(&IsValidInterval,
            {
                "00000000000000.000000:000",
                "00000001000000.000000:000",
                "99999999235959.999999:000",
                "00000010123045.500000:000",
            },
            true, __LINE__);
  ExpectAll(&IsValidInterval,
            {
                "",
                "00000000000000.000000:00",
                "00000000000000.000000:0000",
                "00000000240000.000000:000",   // hours < 24
                "00000000006000.000000:000",   // minutes < 60
                "00000000000060.000000:000",   // seconds < 60
                "00000000000000.000000:001",   // literal :000
                "00000000000000.000000+000",   // a datetime offset, not ':'
                "********000000.000000:000",   // no asterisks
                "00000000**0000.000000:000",
                "00000000000000.******:000",
                "00000000000000.000000:***",
                "0000000000000.0000000:000",
                "-0000000000000.000000:000",
                "20240131235959.000000+060",   // a datetime is not an interval
            },
            false, __LINE__);
}

WP_TEST("datetime: IsValidDateTimeOrInterval accepts either form") {
  CHECK(IsValidDateTimeOrInterval(A("20240131235959.000000+060")));
  CHECK(IsValidDateTimeOrInterval(A("00000001000000.000000:000")));
  CHECK(!IsValidDateTimeOrInterval(A("20240131235959.000000:060")));
  CHECK(!IsValidDateTimeOrInterval(A("x")));
}

WP_TEST("datetime: every day of 1900-2400 agrees with the calendar") {
  // Independent day count: walk the calendar and compare the validator with
  // the days actually in each month.
  int accepted = 0;
  for (int y = 1900; y <= 2400; ++y) {
    const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    for (int m = 1; m <= 12; ++m) {
      const int days = m == 2 ? (leap ? 29 : 28) : (m == 4 || m == 6 || m == 9 || m == 11) ? 30 : 31;
      for (int d = 28; d <= 32; ++d) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%04d%02d%02d000000.000000+000", y, m, d);
        const bool ok = IsValidDateTime(A(buf));
        if (ok != (d <= days)) ::wmiput::test::Fail(__FILE__, __LINE__, std::string("wrong verdict for ") + buf);
        accepted += ok;
      }
    }
  }
  // Per year: day 28 of 12 months, days 29-31 of 7 months, 29-30 of 4
  // months, plus Feb 29 in the 122 leap years of 1900-2400.
  CHECK_EQ(accepted, 501 * (12 + 3 * 7 + 2 * 4) + 122);
}
