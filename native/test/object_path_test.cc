// Object path parsing and canonical formatting (embedded/object_path.h).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "check.h"
#include "embedded/names.h"
#include "embedded/object_path.h"

namespace {

using wmiput::embedded::FormatFullPath;
using wmiput::embedded::FormatKeyLiteral;
using wmiput::embedded::FormatObjectPath;
using wmiput::embedded::FormatRelPath;
using wmiput::embedded::KeyBinding;
using wmiput::embedded::KeyLiteral;
using wmiput::embedded::ObjectPath;
using wmiput::embedded::OleString;
using wmiput::embedded::OleStringView;
using wmiput::embedded::ParseObjectPath;
using wmiput::embedded::QuoteString;
using Kind = KeyLiteral::Kind;

constexpr uint32_t kBadPath = 0x8004103A;

// Printable form of a UTF-16 string for CHECK_EQ (works with wchar_t OLECHAR
// too): ASCII as is, anything else as <xxxx>.
std::string N(OleStringView s) {
  std::string out;
  for (auto ch : s) {
    const uint32_t c = static_cast<uint16_t>(ch);
    if (c >= 0x20 && c < 0x7F) {
      out.push_back(static_cast<char>(c));
    } else {
      static const char kHex[] = "0123456789abcdef";
      out += '<';
      for (int sh = 12; sh >= 0; sh -= 4) out += kHex[(c >> sh) & 0xF];
      out += '>';
    }
  }
  return out;
}

// OleString from ASCII/UTF-16 code units given as a u16 literal (portable).
OleString W(const char16_t* s, size_t n) {
  OleString out;
  for (size_t i = 0; i < n; ++i) out.push_back(static_cast<OLECHAR>(s[i]));
  return out;
}
template <size_t M>
OleString W(const char16_t (&s)[M]) {
  return W(s, M - 1);
}
OleString A(const std::string& s) {
  OleString out;
  for (unsigned char c : s) out.push_back(static_cast<OLECHAR>(c));
  return out;
}

ObjectPath P(const std::string& text) {
  ObjectPath p;
  const HRESULT hr = ParseObjectPath(A(text), &p);
  if (hr != S_OK)
    ::wmiput::test::Fail(__FILE__, __LINE__,
                         "parse failed for " + text + ": " + ::wmiput::test::Show(static_cast<uint32_t>(hr)));
  return p;
}

std::string Canon(const std::string& text) { return N(FormatObjectPath(P(text))); }

void CheckStringKey(const KeyBinding& k, const std::string& name, const std::string& value) {
  CHECK_EQ(N(k.name), name);
  CHECK(k.value.kind == Kind::String);
  CHECK_EQ(N(k.value.text), value);
}

void CheckIntKey(const KeyBinding& k, const std::string& name, bool negative, uint64_t mag) {
  CHECK_EQ(N(k.name), name);
  CHECK(k.value.kind == Kind::Integer);
  CHECK_EQ(k.value.negative, negative);
  CHECK_EQ(k.value.magnitude, mag);
}

}  // namespace

WP_TEST("object_path: full path with server, namespace and key") {
  ObjectPath p = P(R"(\\Server\root\cimv2:Class.Key="v")");
  CHECK_EQ(N(p.server), "Server");
  CHECK_EQ(p.namespaceSegments.size(), size_t{2});
  CHECK_EQ(N(p.namespaceSegments[0]), "root");
  CHECK_EQ(N(p.namespaceSegments[1]), "cimv2");
  CHECK_EQ(N(p.className), "Class");
  CHECK(!p.singleton);
  CHECK(!p.IsClassPath());
  CHECK_EQ(p.keys.size(), size_t{1});
  CheckStringKey(p.keys[0], "Key", "v");
}

WP_TEST("object_path: local server dot, forward slashes, mixed separators") {
  ObjectPath p = P(R"(\\.\root\cimv2:Win32_Service.Name="x")");
  CHECK_EQ(N(p.server), ".");
  CHECK_EQ(N(p.className), "Win32_Service");
  ObjectPath q = P("//srv-01.example.com/root/cimv2:C");
  CHECK_EQ(N(q.server), "srv-01.example.com");
  CHECK_EQ(q.namespaceSegments.size(), size_t{2});
  CHECK_EQ(N(q.namespaceSegments[1]), "cimv2");
  CHECK(q.IsClassPath());
  ObjectPath r = P(R"(\/srv\root/cimv2\ms_409:C=@)");
  CHECK_EQ(N(r.server), "srv");
  CHECK_EQ(r.namespaceSegments.size(), size_t{3});
  CHECK_EQ(N(r.namespaceSegments[2]), "ms_409");
  CHECK(r.singleton);
  CHECK_EQ(N(FormatObjectPath(r)), R"(\\srv\root\cimv2\ms_409:C=@)");
}

WP_TEST("object_path: namespace without server") {
  ObjectPath p = P(R"(root\cimv2:Class)");
  CHECK_EQ(N(p.server), "");
  CHECK_EQ(p.namespaceSegments.size(), size_t{2});
  CHECK_EQ(N(p.className), "Class");
  CHECK(p.IsClassPath());
  ObjectPath q = P("root:Class=@");
  CHECK_EQ(q.namespaceSegments.size(), size_t{1});
  CHECK(q.singleton);
  CHECK(q.keys.empty());
  CHECK(!q.IsClassPath());
}

WP_TEST("object_path: relative, class, singleton and system class paths") {
  ObjectPath p = P(R"(Class.Key="v")");
  CHECK_EQ(N(p.server), "");
  CHECK(p.namespaceSegments.empty());
  CheckStringKey(p.keys.at(0), "Key", "v");
  ObjectPath c = P("Contoso_App");
  CHECK(c.IsClassPath());
  CHECK_EQ(N(c.className), "Contoso_App");
  ObjectPath s = P("Config=@");
  CHECK(s.singleton);
  CHECK(s.keys.empty());
  ObjectPath n = P(R"(__Namespace.Name="sub")");
  CHECK_EQ(N(n.className), "__Namespace");
  CheckStringKey(n.keys.at(0), "Name", "sub");
}

WP_TEST("object_path: single-key shorthand with string, integer and boolean") {
  ObjectPath a = P(R"(Class="v")");
  CHECK_EQ(a.keys.size(), size_t{1});
  CheckStringKey(a.keys[0], "", "v");
  ObjectPath b = P("Class=5");
  CheckIntKey(b.keys.at(0), "", false, 5);
  ObjectPath c = P("Class=-5");
  CheckIntKey(c.keys.at(0), "", true, 5);
  ObjectPath d = P("Class=true");
  CHECK(d.keys.at(0).value.kind == Kind::Boolean);
  CHECK_EQ(d.keys[0].value.boolean, true);
  CHECK_EQ(N(FormatRelPath(a)), R"(Class="v")");
  CHECK_EQ(N(FormatRelPath(b)), "Class=5");
}

WP_TEST("object_path: compound keys in either order are the same canonical path") {
  ObjectPath a = P(R"(Class.IntVal=33,StrVal="AAA")");
  ObjectPath b = P(R"(Class.StrVal="AAA",IntVal=33)");
  CHECK_EQ(a.keys.size(), size_t{2});
  CheckIntKey(a.keys[0], "IntVal", false, 33);
  CheckStringKey(a.keys[1], "StrVal", "AAA");
  CheckStringKey(b.keys[0], "StrVal", "AAA");  // input order kept
  CHECK_EQ(N(FormatRelPath(a)), R"(Class.IntVal=33,StrVal="AAA")");
  CHECK_EQ(N(FormatRelPath(b)), R"(Class.IntVal=33,StrVal="AAA")");
  // Sorting ignores case and keeps the names' casing.
  CHECK_EQ(Canon(R"(C.name="n",Domain="d",aLPHA=1)"), R"(C.aLPHA=1,Domain="d",name="n")");
}

WP_TEST("object_path: quoting, single quotes and backslash escapes") {
  CheckStringKey(P(R"(C.K='a"b')").keys.at(0), "K", "a\"b");
  CheckStringKey(P(R"(C.K='it\'s')").keys.at(0), "K", "it's");
  CheckStringKey(P(R"(C.K="a\"b\\c\d")").keys.at(0), "K", "a\"b\\cd");
  CheckStringKey(P(R"(C.K="")").keys.at(0), "K", "");
  CheckStringKey(P(R"(C.K="'")").keys.at(0), "K", "'");
  CheckStringKey(P(R"(CIM_DataFile.Name="c:\\windows\\system32\\x.dll")").keys.at(0),
                 "Name", R"(c:\windows\system32\x.dll)");
  // Separators and whitespace inside a string are data.
  CheckStringKey(P(R"(C.K="a b:c.d=e,f@g\\h/i")").keys.at(0), "K", R"(a b:c.d=e,f@g\h/i)");
  // %xx is never decoded.
  CheckStringKey(P(R"(C.K="100%25 %20")").keys.at(0), "K", "100%25 %20");
  CHECK_EQ(N(QuoteString(A(R"(a"b\c)"))), R"("a\"b\\c")");
  CHECK_EQ(Canon(R"(C.K='a"b\\c')"), R"(C.K="a\"b\\c")");
  CHECK_EQ(Canon(R"(C.K="\q")"), R"(C.K="q")");
}

WP_TEST("object_path: non-ASCII and embedded NUL inside strings") {
  const OleString text = W(u"C.K=\"\u00e9\u03a9\u4e2d\U0001F600\0x\"");
  ObjectPath p;
  CHECK_HR(ParseObjectPath(text, &p), S_OK);
  CHECK(p.keys.at(0).value.kind == Kind::String);
  CHECK(p.keys[0].value.text == W(u"\u00e9\u03a9\u4e2d\U0001F600\0x"));
  CHECK_EQ(p.keys[0].value.text.size(), size_t{7});
  CHECK(FormatObjectPath(p) == text);
}

WP_TEST("object_path: reference keys with nested escaping") {
  const std::string text =
      R"(Assoc.A="\\\\SRV\\root\\x:ClassA.aKey=\"k1\"",C="ClassC.cKey=\"k2\"")";
  ObjectPath p = P(text);
  CHECK_EQ(p.keys.size(), size_t{2});
  CheckStringKey(p.keys[0], "A", R"(\\SRV\root\x:ClassA.aKey="k1")");
  CheckStringKey(p.keys[1], "C", R"(ClassC.cKey="k2")");
  ObjectPath inner;
  CHECK_HR(ParseObjectPath(p.keys[0].value.text, &inner), S_OK);
  CHECK_EQ(N(inner.server), "SRV");
  CHECK_EQ(N(inner.className), "ClassA");
  CheckStringKey(inner.keys.at(0), "aKey", "k1");
  CHECK_EQ(N(FormatObjectPath(p)), text);
}

WP_TEST("object_path: booleans are case-insensitive and format as TRUE/FALSE") {
  ObjectPath p = P("C.A=true,B=False,C=TrUe,D=FALSE");
  CHECK_EQ(p.keys.size(), size_t{4});
  CHECK(p.keys[0].value.kind == Kind::Boolean);
  CHECK_EQ(p.keys[0].value.boolean, true);
  CHECK_EQ(p.keys[1].value.boolean, false);
  CHECK_EQ(p.keys[2].value.boolean, true);
  CHECK_EQ(p.keys[3].value.boolean, false);
  CHECK_EQ(N(FormatRelPath(p)), "C.A=TRUE,B=FALSE,C=TRUE,D=FALSE");
}

WP_TEST("object_path: integers, hex input, extremes, decimal output") {
  ObjectPath p = P(
      "C.A=0x1F,B=-0X10,C=0xFFFFFFFFFFFFFFFF,D=-9223372036854775808,"
      "E=18446744073709551615,F=-0,G=007,H=0,I=-0x8000000000000000,J=0xabcDEF");
  CheckIntKey(p.keys.at(0), "A", false, 31);
  CheckIntKey(p.keys.at(1), "B", true, 16);
  CheckIntKey(p.keys.at(2), "C", false, UINT64_MAX);
  CheckIntKey(p.keys.at(3), "D", true, uint64_t{1} << 63);
  CheckIntKey(p.keys.at(4), "E", false, UINT64_MAX);
  CheckIntKey(p.keys.at(5), "F", false, 0);
  CheckIntKey(p.keys.at(6), "G", false, 7);
  CheckIntKey(p.keys.at(7), "H", false, 0);
  CheckIntKey(p.keys.at(8), "I", true, uint64_t{1} << 63);
  CheckIntKey(p.keys.at(9), "J", false, 0xABCDEF);
  CHECK_EQ(N(FormatRelPath(p)),
           "C.A=31,B=-16,C=18446744073709551615,D=-9223372036854775808,"
           "E=18446744073709551615,F=0,G=7,H=0,I=-9223372036854775808,J=11259375");
}

WP_TEST("object_path: reals parse and format in round-trip form") {
  ObjectPath p = P("C.A=1.5,B=-2e3,C=1E+2,D=0.1,E=1.0,F=1.5e300,G=5e-324,H=-0.0");
  CHECK(p.keys.at(0).value.kind == Kind::Real);
  CHECK_EQ(p.keys[0].value.real, 1.5);
  CHECK_EQ(p.keys[1].value.real, -2000.0);
  CHECK_EQ(p.keys[2].value.real, 100.0);
  CHECK_EQ(p.keys[3].value.real, 0.1);
  CHECK_EQ(p.keys[4].value.real, 1.0);
  CHECK_EQ(p.keys[5].value.real, 1.5e300);
  CHECK_EQ(p.keys[6].value.real, 5e-324);
  CHECK_EQ(N(FormatRelPath(p)),
           "C.A=1.5,B=-2000.0,C=100.0,D=0.1,E=1.0,F=1.5e+300,G=5e-324,H=-0.0");
  CHECK_EQ(N(FormatKeyLiteral(KeyLiteral::MakeReal(1e21))), "1e+21");
}

WP_TEST("object_path: every syntax error is WBEM_E_INVALID_OBJECT_PATH") {
  const std::vector<std::string> bad = {
      "", ":", "root:", ":Class", "\\", "\\\\", "\\\\srv", "\\\\srv\\",
      R"(\\srv\root)", R"(\\srv\root:)", R"(\\srv\:C)", R"(\\srv:C)", R"(\\srv\root\cimv2)",
      R"(\root\cimv2:C)", R"(root\\cimv2:C)", R"(root\:C)", R"(root\cimv2\:C)", R"(root\cimv2)",
      R"(\\s v\root:C)", R"(\\\root:C)", R"(\\s"v\root:C)", R"(root\ci mv2:C)",
      "1Class", "Cl ass", " Class", "Class ", "Class\t", "Class.", "Class.=1", "Class.K",
      "Class.K=", "Class.K=1,", "Class.K=1,,L=2", "Class.K=1 ,L=2", "Class.K= 1",
      "Class.K =1", R"(Class.K="abc)", R"(Class.K="abc\)", R"(Class.K="abc\")",
      R"(Class.K='abc")", "Class.K=abc", "Class.K=@", "Class=@x", "Class=@@", "Class=",
      "Class@", R"(Class="v",L=1)", "Class.K=1.L=2", "Class.K=1,K=2", "Class.K=1,k=2",
      R"(Class.Key="a",KEY="b")", "Class.K=0x", "Class.K=0xG", "Class.K=0x1G",
      "Class.K=18446744073709551616", "Class.K=99999999999999999999",
      "Class.K=-9223372036854775809", "Class.K=0x10000000000000000",
      "Class.K=-0x8000000000000001", "Class.K=1.", "Class.K=.5", "Class.K=1.e5",
      "Class.K=1e", "Class.K=1e+", "Class.K=1e999", "Class.K=-1e999", "Class.K=1e-400",
      "Class.K=--1", "Class.K=+1", "Class.K=-", "Class.K=-x", "Class.K=TRUEX",
      "Class.K=TRU", "Class.K=yes", "Class.K=%20", "Class%20", "Cl%41ss",
      R"(Class.K="a""b")", R"(Class.K="a"b)", R"(Class.K="a"")", "C.K=1:x",
      "root:Class:Other", "Class..K=1", "Class=@,K=1", "Class.K=1=2", "Class.K==1",
      "Class.1K=1", "Class,K=1", "Class=1,K=2", "Class.K=1;", "Class.K=(1)",
      "Class.K={1}", R"(C.K="x" )", "\\\\srv\\root\\:C", "root/:C", "root//cimv2:C",
      "//srv//root:C", "\\\\.\\root\\cimv2:", "Class=@ ", "Class.K=0x-1",
  };
  for (const auto& text : bad) {
    ObjectPath p;
    p.className = A("untouched");
    const HRESULT hr = ParseObjectPath(A(text), &p);
    if (static_cast<uint32_t>(hr) != kBadPath)
      ::wmiput::test::Fail(__FILE__, __LINE__, "expected 0x8004103A for: " + text + " got " +
                                                   ::wmiput::test::Show(static_cast<uint32_t>(hr)));
    CHECK_EQ(N(p.className), "untouched");
  }
  // Code units outside ASCII or NUL outside quotes.
  const std::vector<OleString> badW = {
      W(u"Cl\u00e4ss"), W(u"Class.K=1\0"), W(u"Class\0.K=1"), W(u"root\u00e9:C"),
      W(u"Class.K\u00e9=1"), W(u"Class.K=\uff11"), W(u"\u005c\u005cs\u00e9\u005croot:C"),
  };
  for (const auto& text : badW) {
    ObjectPath p;
    CHECK_HR(ParseObjectPath(text, &p), kBadPath);
  }
}

WP_TEST("object_path: FormatFullPath and FormatObjectPath") {
  CHECK_EQ(N(FormatFullPath(A("SRV"), A("root/cimv2"), A(R"(C.K="1")"))),
           R"(\\SRV\root\cimv2:C.K="1")");
  CHECK_EQ(N(FormatFullPath(A("."), A(R"(root\default)"), A("C=@"))), R"(\\.\root\default:C=@)");
  CHECK_EQ(Canon(R"(\\.\root\cimv2:C.B=0x10,a="x")"), R"(\\.\root\cimv2:C.a="x",B=16)");
  CHECK_EQ(Canon(R"(root/cimv2:C)"), R"(root\cimv2:C)");
  CHECK_EQ(Canon("C"), "C");
  CHECK_EQ(Canon("C=@"), "C=@");
}

WP_TEST("object_path: pathological inputs parse in bounded time without recursion") {
  // 1,000,000 escaped backslashes in one string.
  std::string big = "C.K=\"";
  for (int i = 0; i < 1000000; ++i) big += "\\\\";
  big += "\"";
  ObjectPath p = P(big);
  CHECK_EQ(p.keys.at(0).value.text.size(), size_t{1000000});
  // 20,000 distinct keys (duplicate check must not be quadratic), one duplicate.
  std::string many = "C.";
  for (int i = 0; i < 20000; ++i) many += (i ? ",K" : "K") + std::to_string(i) + "=" + std::to_string(i);
  ObjectPath m = P(many);
  CHECK_EQ(m.keys.size(), size_t{20000});
  CheckIntKey(m.keys[19999], "K19999", false, 19999);
  ObjectPath dup;
  CHECK_HR(ParseObjectPath(A(many + ",k777=1"), &dup), kBadPath);
  // 100,000 namespace segments.
  std::string deep;
  for (int i = 0; i < 100000; ++i) deep += "n\\";
  deep.back() = ':';
  deep += "C";
  CHECK_EQ(P(deep).namespaceSegments.size(), size_t{100000});
  // A reference nested 200 levels deep (escaping doubles each level, so keep
  // the innermost short): parse one level at a time.
  OleString inner = A(R"(C.K="x")");
  for (int level = 0; level < 12; ++level) {
    ObjectPath outer;
    outer.className = A("R");
    KeyBinding k;
    k.name = A("Ref");
    k.value = KeyLiteral::MakeString(inner);
    outer.keys.push_back(k);
    inner = FormatObjectPath(outer);
  }
  for (int level = 0; level < 12; ++level) {
    ObjectPath outer;
    CHECK_HR(ParseObjectPath(inner, &outer), S_OK);
    CHECK_EQ(N(outer.className), "R");
    inner = outer.keys.at(0).value.text;
  }
  CHECK_EQ(N(inner), R"(C.K="x")");
}

namespace {

// Random values for the round-trip property test.
class Gen {
 public:
  explicit Gen(uint32_t seed) : rng_(seed) {}
  uint64_t U64() { return rng_(); }
  size_t Below(size_t n) { return static_cast<size_t>(rng_() % n); }
  bool Coin() { return (rng_() & 1) != 0; }

  OleString Name(bool allowSystem) {
    static const char kFirst[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    static const char kRest[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_";
    OleString s;
    if (allowSystem && Below(8) == 0) s = A("__");
    s.push_back(static_cast<OLECHAR>(kFirst[Below(sizeof kFirst - 1)]));
    const size_t n = Below(10);
    for (size_t i = 0; i < n; ++i) s.push_back(static_cast<OLECHAR>(kRest[Below(sizeof kRest - 1)]));
    return s;
  }

  OleString Text() {
    static const char16_t kUnits[] = {
        u'"', u'\\', u':', u'.', u'=', u',', u'\'', u'@', u'%', u' ', u'/', u'a', u'Z', u'0',
        u'\0', u'\t', 0x00E9, 0x03A9, 0x4E2D, 0xD83D, 0xDE00, 0xFFFF, 0x7F};
    OleString s;
    const size_t n = Below(12);
    for (size_t i = 0; i < n; ++i)
      s.push_back(static_cast<OLECHAR>(kUnits[Below(sizeof kUnits / sizeof kUnits[0])]));
    return s;
  }

  KeyLiteral Literal(int depth) {
    switch (Below(depth > 0 ? 5 : 4)) {
      case 0: return KeyLiteral::MakeString(Text());
      case 1: {
        static const uint64_t kEdges[] = {0, 1, UINT64_MAX, uint64_t{1} << 63,
                                          (uint64_t{1} << 63) - 1};
        const uint64_t mag = Coin() ? kEdges[Below(5)] : U64() >> Below(64);
        bool neg = Coin();
        if (mag > (uint64_t{1} << 63)) neg = false;
        return KeyLiteral::MakeInteger(neg, mag);
      }
      case 2: {
        double d;
        do {
          const uint64_t bits = U64();
          std::memcpy(&d, &bits, sizeof d);
        } while (!std::isfinite(d));
        if (Below(4) == 0) d = static_cast<double>(static_cast<int64_t>(U64() >> 20)) / 8;
        return KeyLiteral::MakeReal(d);
      }
      case 3: return KeyLiteral::MakeBoolean(Coin());
      default: return KeyLiteral::MakeString(FormatObjectPath(Path(depth - 1)));
    }
  }

  ObjectPath Path(int depth) {
    ObjectPath p;
    const size_t server = Below(4);
    if (server == 1) p.server = A(".");
    if (server == 2) p.server = A("SRV-01.example.com");
    if (server != 0 || Coin()) {
      const size_t n = 1 + Below(3);
      for (size_t i = 0; i < n; ++i) p.namespaceSegments.push_back(Name(false));
    }
    p.className = Name(true);
    switch (Below(5)) {
      case 0: break;  // class path
      case 1: p.singleton = true; break;
      case 2: {
        KeyBinding k;
        k.value = Literal(depth);
        p.keys.push_back(std::move(k));
        break;
      }
      default: {
        const size_t n = 1 + Below(5);
        for (size_t i = 0; i < n; ++i) {
          KeyBinding k;
          // Unique case-insensitively: a distinct letter first, random case.
          k.name = Name(false);
          k.name[0] = static_cast<OLECHAR>((Coin() ? 'a' : 'A') + i);
          k.value = Literal(depth);
          p.keys.push_back(std::move(k));
        }
      }
    }
    return p;
  }

 private:
  std::mt19937_64 rng_;
};

ObjectPath SortedKeys(ObjectPath p) {
  std::stable_sort(p.keys.begin(), p.keys.end(), [](const KeyBinding& a, const KeyBinding& b) {
    return wmiput::embedded::CompareNoCase(a.name, b.name) < 0;
  });
  return p;
}

}  // namespace

WP_TEST("object_path: round trip parse(format(x)) == x over generated paths") {
  Gen g(20240601);
  int references = 0, checked = 0;
  for (int i = 0; i < 5000; ++i) {
    const ObjectPath x = g.Path(2);
    const OleString text = FormatObjectPath(x);
    ObjectPath y;
    const HRESULT hr = ParseObjectPath(text, &y);
    if (hr != S_OK)
      ::wmiput::test::Fail(__FILE__, __LINE__, "no parse: " + N(text));
    if (!(y == SortedKeys(x)))
      ::wmiput::test::Fail(__FILE__, __LINE__, "round trip differs: " + N(text) + " -> " +
                                                   N(FormatObjectPath(y)));
    CHECK(FormatObjectPath(y) == text);
    // A string key that holds a formatted path re-parses to that path.
    for (const auto& k : x.keys) {
      if (k.value.kind != Kind::String) continue;
      ObjectPath inner, again;
      if (ParseObjectPath(k.value.text, &inner) != S_OK) continue;
      if (k.value.text.find(static_cast<OLECHAR>('"')) != OleString::npos) ++references;
      CHECK_HR(ParseObjectPath(FormatObjectPath(inner), &again), S_OK);
      CHECK(again == SortedKeys(inner));
    }
    ++checked;
  }
  CHECK_EQ(checked, 5000);
  CHECK(references > 100);  // the generator really produced nested references
}
