// Case folding, identifier rules, class/property name checks, namespace
// paths (embedded/names.h) and generated GUID keys (embedded/guid.h).
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "check.h"
#include "embedded/guid.h"
#include "embedded/names.h"

namespace {

using namespace wmiput::embedded;  // NOLINT: test file

OleString A(const std::string& s) {
  OleString out;
  for (unsigned char c : s) out.push_back(static_cast<OLECHAR>(c));
  return out;
}
OleString W(std::initializer_list<uint32_t> units) {
  OleString out;
  for (uint32_t u : units) out.push_back(static_cast<OLECHAR>(u));
  return out;
}
uint32_t F(uint32_t c) { return static_cast<uint16_t>(FoldChar(static_cast<OLECHAR>(c))); }
std::string N(OleStringView s) {
  std::string out;
  for (auto ch : s) {
    const uint32_t c = static_cast<uint16_t>(ch);
    out += c >= 0x20 && c < 0x7F ? std::string(1, static_cast<char>(c)) : "<" + std::to_string(c) + ">";
  }
  return out;
}

constexpr uint32_t kInvalidParameter = 0x80041008;
constexpr uint32_t kInvalidObject = 0x8004100F;
constexpr uint32_t kInvalidOperation = 0x80041016;
constexpr uint32_t kQuotaViolation = 0x8004106C;

}  // namespace

WP_TEST("names: FoldChar maps the documented ranges and nothing else") {
  CHECK_EQ(F('A'), uint32_t{'a'});
  CHECK_EQ(F('Z'), uint32_t{'z'});
  CHECK_EQ(F('a'), uint32_t{'a'});
  CHECK_EQ(F('@'), uint32_t{'@'});
  CHECK_EQ(F('['), uint32_t{'['});
  CHECK_EQ(F('_'), uint32_t{'_'});
  CHECK_EQ(F(0xC0), 0xE0u);   // À
  CHECK_EQ(F(0xDE), 0xFEu);   // Þ
  CHECK_EQ(F(0xD7), 0xD7u);   // × is not a letter
  CHECK_EQ(F(0xDF), 0xDFu);   // ß has no simple mapping
  CHECK_EQ(F(0x100), 0x101u); // Ā
  CHECK_EQ(F(0x101), 0x101u);
  CHECK_EQ(F(0x130), uint32_t{'i'});  // İ
  CHECK_EQ(F(0x131), 0x131u);         // ı stays
  CHECK_EQ(F(0x139), 0x13Au);         // Ĺ (odd-numbered upper case)
  CHECK_EQ(F(0x13A), 0x13Au);
  CHECK_EQ(F(0x14A), 0x14Bu);         // Ŋ
  CHECK_EQ(F(0x178), 0xFFu);          // Ÿ
  CHECK_EQ(F(0x17D), 0x17Eu);         // Ž
  CHECK_EQ(F(0x17F), 0x17Fu);         // ſ stays
  CHECK_EQ(F(0x391), 0x3B1u);         // Α
  CHECK_EQ(F(0x3A9), 0x3C9u);         // Ω
  CHECK_EQ(F(0x3A2), 0x3A2u);         // unassigned
  CHECK_EQ(F(0x386), 0x3ACu);         // Ά
  CHECK_EQ(F(0x38F), 0x3CEu);         // Ώ
  CHECK_EQ(F(0x3C2), 0x3C3u);         // final sigma
  CHECK_EQ(F(0x400), 0x450u);         // Ѐ
  CHECK_EQ(F(0x410), 0x430u);         // А
  CHECK_EQ(F(0x42F), 0x44Fu);         // Я
  CHECK_EQ(F(0x430), 0x430u);
  CHECK_EQ(F(0x460), 0x461u);
  CHECK_EQ(F(0x4C0), 0x4CFu);
  CHECK_EQ(F(0x4C1), 0x4C2u);
  CHECK_EQ(F(0x4D0), 0x4D1u);
  CHECK_EQ(F(0x52E), 0x52Fu);
  CHECK_EQ(F(0x530), 0x530u);
  CHECK_EQ(F(0xFF21), 0xFF21u);  // fullwidth letters are not folded
  CHECK_EQ(F(0xD800), 0xD800u);
  // Idempotent over the whole BMP.
  for (uint32_t c = 0; c < 0x10000; ++c) {
    if (F(F(c)) != F(c))
      ::wmiput::test::Fail(__FILE__, __LINE__, "not idempotent at " + std::to_string(c));
  }
}

WP_TEST("names: EqualsNoCase, CompareNoCase and FoldCase") {
  CHECK(EqualsNoCase(A("Win32_Service"), A("WIN32_SERVICE")));
  CHECK(EqualsNoCase(A(""), A("")));
  CHECK(!EqualsNoCase(A("abc"), A("abd")));
  CHECK(!EqualsNoCase(A("abc"), A("abcd")));
  CHECK(EqualsNoCase(W({0x41C, 0x438, 0x440}), W({0x43C, 0x418, 0x420})));  // Мир
  CHECK(EqualsNoCase(W({0x3A3}), W({0x3C2})));                              // Σ ς
  CHECK(!EqualsNoCase(W({0xDF}), A("ss")));
  CHECK_EQ(CompareNoCase(A("abc"), A("ABC")), 0);
  CHECK_EQ(CompareNoCase(A("abc"), A("ABD")), -1);
  CHECK_EQ(CompareNoCase(A("B"), A("a")), 1);
  CHECK_EQ(CompareNoCase(A("ab"), A("ABC")), -1);
  CHECK_EQ(CompareNoCase(A("abc"), A("AB")), 1);
  CHECK_EQ(CompareNoCase(A("_"), A("a")), -1);  // '_' (0x5F) < 'a' (0x61) after folding
  CHECK_EQ(N(FoldCase(A("Root\\CIMv2"))), "root\\cimv2");
  CHECK(FoldCase(W({0xC9, 0x178, 'X'})) == W({0xE9, 0xFF, 'x'}));
}

WP_TEST("names: NoCaseHash/NoCaseEqual/NoCaseLess as container keys") {
  NoCaseHash h;
  CHECK_EQ(h(A("Contoso_App")), h(A("CONTOSO_APP")));
  CHECK(h(A("ab")) != h(A("ba")));
  std::unordered_map<OleString, int, NoCaseHash, NoCaseEqual> m;
  m[A("Name")] = 1;
  m[A("NAME")] = 2;
  m[A("Size")] = 3;
  CHECK_EQ(m.size(), size_t{2});
  CHECK_EQ(m.at(A("name")), 2);
  std::map<OleString, int, NoCaseLess> sorted;
  sorted[A("b")] = 1;
  sorted[A("A")] = 2;
  sorted[A("B")] = 3;
  CHECK_EQ(sorted.size(), size_t{2});
  CHECK_EQ(N(sorted.begin()->first), "A");
  // Transparent lookup with a view.
  CHECK(sorted.find(OleStringView(A("a"))) != sorted.end());
  CHECK_EQ(sorted.find(OleStringView(A("B")))->second, 3);
}

WP_TEST("names: IsValidIdentifier and IsSystemName") {
  for (const char* ok : {"a", "Z", "Contoso_App", "Win32_Service", "a1", "A_b_c", "x9_9"})
    if (!IsValidIdentifier(A(ok))) ::wmiput::test::Fail(__FILE__, __LINE__, std::string("rejected ") + ok);
  for (const char* bad : {"", "_a", "a_", "__CLASS", "1a", "a b", "a-b", "a.b", "a:b", "_", "9"})
    if (IsValidIdentifier(A(bad))) ::wmiput::test::Fail(__FILE__, __LINE__, std::string("accepted ") + bad);
  CHECK(!IsValidIdentifier(W({0xE9, 'a'})));
  CHECK(!IsValidIdentifier(W({'a', 0xE9})));
  CHECK(!IsValidIdentifier(W({'a', 0})));
  CHECK(IsSystemName(A("__CLASS")));
  CHECK(IsSystemName(A("__")));
  CHECK(!IsSystemName(A("_x")));
  CHECK(!IsSystemName(A("a__")));
  CHECK(!IsSystemName(A("")));
}

WP_TEST("names: CheckClassName returns the exact HRESULTs") {
  CHECK_HR(CheckClassName(A("Contoso_App")), S_OK);
  CHECK_HR(CheckClassName(A("a")), S_OK);
  CHECK_HR(CheckClassName(A("")), kInvalidParameter);
  CHECK_HR(CheckClassName(A("_Contoso")), kInvalidOperation);
  CHECK_HR(CheckClassName(A("__SystemClass")), kInvalidOperation);
  CHECK_HR(CheckClassName(A("_")), kInvalidOperation);
  CHECK_HR(CheckClassName(A("Contoso_")), kInvalidObject);
  CHECK_HR(CheckClassName(A("1Contoso")), kInvalidParameter);
  CHECK_HR(CheckClassName(A("Con toso")), kInvalidParameter);
  CHECK_HR(CheckClassName(A("Con-toso")), kInvalidParameter);
  CHECK_HR(CheckClassName(W({'C', 0xE9})), kInvalidParameter);
  CHECK_HR(CheckClassName(A("1bad_")), kInvalidObject);  // trailing '_' is checked before grammar
  CHECK_HR(CheckClassName(OleString(4096, static_cast<OLECHAR>('a'))), S_OK);
  CHECK_HR(CheckClassName(OleString(4097, static_cast<OLECHAR>('a'))), kQuotaViolation);
  CHECK_HR(CheckClassName(OleString(5000, static_cast<OLECHAR>('-'))), kQuotaViolation);
  CHECK_HR(CheckClassName(A("_") + OleString(5000, static_cast<OLECHAR>('a'))), kInvalidOperation);
}

WP_TEST("names: CheckPropertyName has the same rules without a quota") {
  CHECK_HR(CheckPropertyName(A("Name")), S_OK);
  CHECK_HR(CheckPropertyName(A("")), kInvalidParameter);
  CHECK_HR(CheckPropertyName(A("_Name")), kInvalidOperation);
  CHECK_HR(CheckPropertyName(A("__PATH")), kInvalidOperation);
  CHECK_HR(CheckPropertyName(A("Name_")), kInvalidObject);
  CHECK_HR(CheckPropertyName(A("9Name")), kInvalidParameter);
  CHECK_HR(CheckPropertyName(A("Na.me")), kInvalidParameter);
  CHECK_HR(CheckPropertyName(OleString(10000, static_cast<OLECHAR>('a'))), S_OK);
}

WP_TEST("names: ParseNamespacePath accepts both separators and a server") {
  NamespacePath p;
  CHECK(ParseNamespacePath(A("root\\cimv2"), &p));
  CHECK_EQ(N(p.server), "");
  CHECK_EQ(p.segments.size(), size_t{2});
  CHECK_EQ(N(p.segments[0]), "root");
  CHECK_EQ(N(p.segments[1]), "cimv2");
  CHECK(ParseNamespacePath(A("root/cimv2/ms_409"), &p));
  CHECK_EQ(p.segments.size(), size_t{3});
  CHECK_EQ(N(p.segments[2]), "ms_409");
  CHECK(ParseNamespacePath(A("\\\\.\\root\\default"), &p));
  CHECK_EQ(N(p.server), ".");
  CHECK_EQ(p.segments.size(), size_t{2});
  CHECK(ParseNamespacePath(A("//host-1.corp/root"), &p));
  CHECK_EQ(N(p.server), "host-1.corp");
  CHECK_EQ(p.segments.size(), size_t{1});
  CHECK(ParseNamespacePath(A("ROOT"), &p));
  CHECK_EQ(N(p.server), "");
  std::vector<OleString> segs;
  CHECK(ParseNamespacePath(A("\\\\srv\\root/a\\b"), &segs));
  CHECK_EQ(segs.size(), size_t{3});
  CHECK_EQ(N(JoinNamespace(segs)), "root\\a\\b");
  CHECK_EQ(N(JoinNamespace({})), "");
  CHECK_EQ(N(JoinNamespace({A("root")})), "root");
}

WP_TEST("names: ParseNamespacePath rejects empty segments and bad names") {
  const std::vector<std::string> bad = {
      "", "\\", "/", "\\root", "root\\", "root\\\\cimv2", "root//cimv2", "root\\cimv2\\",
      "\\\\", "\\\\srv", "\\\\srv\\", "\\\\\\root", "\\\\s v\\root", "root cimv2",
      "root:cimv2", "root\\ci.mv2", "\\\\srv:\\root", "root\\cimv2:Class"};
  for (const auto& b : bad) {
    NamespacePath p;
    p.server = A("untouched");
    if (ParseNamespacePath(A(b), &p))
      ::wmiput::test::Fail(__FILE__, __LINE__, "accepted " + b);
    CHECK_EQ(N(p.server), "untouched");
  }
  std::vector<OleString> segs;
  CHECK(!ParseNamespacePath(W({'r', 0xE9}), &segs));
  CHECK(!ParseNamespacePath(W({'r', 0, 'x'}), &segs));
  CHECK(IsValidNamespaceSegment(A("ms_409")));
  CHECK(!IsValidNamespaceSegment(A("")));
  CHECK(IsValidServerName(A(".")));
  CHECK(!IsValidServerName(A("a b")));
}

namespace {
bool IsGuidFormat(const OleString& g) {
  if (g.size() != 38 || g[0] != '{' || g[37] != '}') return false;
  for (size_t i = 1; i < 37; ++i) {
    const uint32_t c = static_cast<uint16_t>(g[i]);
    if (i == 9 || i == 14 || i == 19 || i == 24) {
      if (c != '-') return false;
    } else if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'F'))) {
      return false;
    }
  }
  // Version 4, RFC 4122 variant (8, 9, A or B).
  const uint32_t variant = static_cast<uint16_t>(g[20]);
  return g[15] == '4' && (variant == '8' || variant == '9' || variant == 'A' || variant == 'B');
}
}  // namespace

WP_TEST("guid: format is {8-4-4-4-12} uppercase v4 and 10,000 draws are unique") {
  std::set<OleString> seen;
  for (int i = 0; i < 10000; ++i) {
    const OleString g = NewGuidString();
    if (!IsGuidFormat(g)) ::wmiput::test::Fail(__FILE__, __LINE__, "bad GUID " + N(g));
    seen.insert(g);
  }
  CHECK_EQ(seen.size(), size_t{10000});
  CHECK(!IsGuidFormat(A("{6F9619FF-8B86-D011-B42D-00C04FC964FF}")));  // the checker can fail
  CHECK(!IsGuidFormat(A("{6f9619ff-8b86-4011-b42d-00c04fc964ff}")));
}

WP_TEST("guid: threads draw independent values") {
  std::vector<std::vector<OleString>> perThread(4);
  std::vector<std::thread> threads;
  for (auto& out : perThread)
    threads.emplace_back([&out] {
      for (int i = 0; i < 2000; ++i) out.push_back(NewGuidString());
    });
  for (auto& t : threads) t.join();
  std::set<OleString> all;
  for (const auto& v : perThread)
    for (const auto& g : v) {
      CHECK(IsGuidFormat(g));
      all.insert(g);
    }
  CHECK_EQ(all.size(), size_t{8000});
}
