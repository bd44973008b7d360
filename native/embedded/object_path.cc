#include "embedded/object_path.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <new>
#include <string>
#include <system_error>

#include "embedded/names.h"

namespace wmiput::embedded {

namespace {

uint32_t U(OLECHAR c) { return static_cast<uint16_t>(c); }
bool IsAsciiLetter(uint32_t c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
bool IsDigit(uint32_t c) { return c >= '0' && c <= '9'; }
bool IsNameChar(uint32_t c) { return IsAsciiLetter(c) || IsDigit(c) || c == '_'; }
bool IsSep(uint32_t c) { return c == '\\' || c == '/'; }
int HexValue(uint32_t c) {
  if (c >= '0' && c <= '9') return static_cast<int>(c - '0');
  if (c >= 'a' && c <= 'f') return static_cast<int>(c - 'a' + 10);
  if (c >= 'A' && c <= 'F') return static_cast<int>(c - 'A' + 10);
  return -1;
}

void AppendAscii(OleString* out, const char* s, size_t n) {
  for (size_t i = 0; i < n; ++i) out->push_back(static_cast<OLECHAR>(s[i]));
}
void AppendAscii(OleString* out, const char* s) {
  while (*s) out->push_back(static_cast<OLECHAR>(*s++));
}

// Thread: any (every helper in this file is a pure function).
// A cursor over the input; every method either consumes and returns true or
// leaves the position alone and returns false. No recursion anywhere.
class Parser {
 public:
  explicit Parser(OleStringView t) : t_(t) {}

  bool AtEnd() const { return pos_ == t_.size(); }
  uint32_t Peek(size_t ahead = 0) const {
    return pos_ + ahead < t_.size() ? U(t_[pos_ + ahead]) : 0xFFFFFFFFu;
  }
  bool Eat(uint32_t c) {
    if (Peek() != c) return false;
    ++pos_;
    return true;
  }
  size_t pos() const { return pos_; }
  void set_pos(size_t p) { pos_ = p; }

  // [A-Za-z0-9_]* (possibly empty).
  OleStringView NameChars() {
    const size_t start = pos_;
    while (pos_ < t_.size() && IsNameChar(U(t_[pos_]))) ++pos_;
    return t_.substr(start, pos_ - start);
  }
  // [A-Za-z_][A-Za-z0-9_]*
  bool Name(OleString* out) {
    if (AtEnd() || IsDigit(Peek()) || !IsNameChar(Peek())) return false;
    out->assign(NameChars());
    return true;
  }
  bool Server(OleString* out) {
    const size_t start = pos_;
    while (pos_ < t_.size() && !IsSep(U(t_[pos_]))) ++pos_;
    OleStringView s = t_.substr(start, pos_ - start);
    if (!IsValidServerName(s)) {
      pos_ = start;
      return false;
    }
    out->assign(s);
    return true;
  }

  bool Constant(KeyLiteral* out) {
    const uint32_t c = Peek();
    if (c == '"' || c == '\'') return QuotedString(out);
    if (c == '-' || IsDigit(c)) return Number(out);
    if (c == 't' || c == 'T' || c == 'f' || c == 'F') return Boolean(out);
    return false;
  }

 private:
  bool QuotedString(KeyLiteral* out) {
    const uint32_t quote = Peek();
    size_t p = pos_ + 1;
    OleString text;
    while (p < t_.size()) {
      const uint32_t c = U(t_[p]);
      if (c == quote) {
        out->kind = KeyLiteral::Kind::String;
        out->text = std::move(text);
        pos_ = p + 1;
        return true;
      }
      if (c == '\\') {
        if (++p == t_.size()) return false;
      }
      text.push_back(t_[p]);
      ++p;
    }
    return false;  // unterminated
  }

  bool Boolean(KeyLiteral* out) {
    static const char kTrue[] = "true";
    static const char kFalse[] = "false";
    for (int b = 0; b < 2; ++b) {
      const char* word = b == 0 ? kTrue : kFalse;
      const size_t n = b == 0 ? 4 : 5;
      if (t_.size() - pos_ < n) continue;
      bool match = true;
      for (size_t i = 0; i < n && match; ++i) {
        uint32_t c = U(t_[pos_ + i]);
        if (c >= 'A' && c <= 'Z') c += 0x20;
        match = c == static_cast<uint32_t>(word[i]);
      }
      if (match) {
        out->kind = KeyLiteral::Kind::Boolean;
        out->boolean = b == 0;
        pos_ += n;
        return true;
      }
    }
    return false;
  }

  bool Number(KeyLiteral* out) {
    size_t p = pos_;
    const bool negative = U(t_[p]) == '-';
    if (negative) ++p;
    if (p == t_.size() || !IsDigit(U(t_[p]))) return false;
    uint64_t mag = 0;
    if (U(t_[p]) == '0' && p + 1 < t_.size() &&
        (U(t_[p + 1]) == 'x' || U(t_[p + 1]) == 'X')) {
      p += 2;
      const size_t digits = p;
      while (p < t_.size() && HexValue(U(t_[p])) >= 0) {
        if (mag >> 60) return false;  // would overflow 64 bits
        mag = (mag << 4) | static_cast<uint64_t>(HexValue(U(t_[p])));
        ++p;
      }
      if (p == digits) return false;
    } else {
      bool overflow = false;
      while (p < t_.size() && IsDigit(U(t_[p]))) {
        const uint64_t d = U(t_[p]) - '0';
        if (mag > (UINT64_MAX - d) / 10) {
          overflow = true;  // still a valid real prefix, so keep scanning
        } else {
          mag = mag * 10 + d;
        }
        ++p;
      }
      const uint32_t next = p < t_.size() ? U(t_[p]) : 0;
      if (next == '.' || next == 'e' || next == 'E') return Real(out, p);
      if (overflow) return false;
    }
    if (negative && mag > (uint64_t{1} << 63)) return false;
    out->kind = KeyLiteral::Kind::Integer;
    out->negative = negative && mag != 0;
    out->magnitude = mag;
    pos_ = p;
    return true;
  }

  // p is just after the integer digits, at '.', 'e' or 'E'.
  bool Real(KeyLiteral* out, size_t p) {
    if (U(t_[p]) == '.') {
      ++p;
      const size_t frac = p;
      while (p < t_.size() && IsDigit(U(t_[p]))) ++p;
      if (p == frac) return false;
    }
    if (p < t_.size() && (U(t_[p]) == 'e' || U(t_[p]) == 'E')) {
      ++p;
      if (p < t_.size() && (U(t_[p]) == '+' || U(t_[p]) == '-')) ++p;
      const size_t exp = p;
      while (p < t_.size() && IsDigit(U(t_[p]))) ++p;
      if (p == exp) return false;
    }
    std::string ascii;
    ascii.reserve(p - pos_);
    for (size_t i = pos_; i < p; ++i) ascii.push_back(static_cast<char>(U(t_[i])));
    double v = 0;
    const auto r = std::from_chars(ascii.data(), ascii.data() + ascii.size(), v);
    if (r.ec != std::errc() || r.ptr != ascii.data() + ascii.size()) return false;
    if (!std::isfinite(v)) return false;
    out->kind = KeyLiteral::Kind::Real;
    out->real = v;
    pos_ = p;
    return true;
  }

  OleStringView t_;
  size_t pos_ = 0;
};

// Thread: any.
HRESULT Parse(OleStringView text, ObjectPath* out) {
  constexpr HRESULT kBad = WBEM_E_INVALID_OBJECT_PATH;
  ObjectPath r;
  Parser ps(text);

  // Namespace part.
  bool hasServer = false;
  if (IsSep(ps.Peek(0)) && IsSep(ps.Peek(1))) {
    ps.set_pos(2);
    if (!ps.Server(&r.server)) return kBad;
    if (!IsSep(ps.Peek())) return kBad;
    ps.set_pos(ps.pos() + 1);
    hasServer = true;
  }
  {
    const size_t start = ps.pos();
    OleStringView first = ps.NameChars();
    const uint32_t c = ps.Peek();
    if (hasServer || IsSep(c) || c == ':') {
      if (first.empty()) return kBad;
      r.namespaceSegments.emplace_back(first);
      while (IsSep(ps.Peek())) {
        ps.set_pos(ps.pos() + 1);
        OleStringView seg = ps.NameChars();
        if (seg.empty()) return kBad;
        r.namespaceSegments.emplace_back(seg);
      }
      if (!ps.Eat(':')) return kBad;
    } else {
      ps.set_pos(start);  // no namespace: that was the class name
    }
  }

  // Object part.
  if (!ps.Name(&r.className)) return kBad;
  if (ps.AtEnd()) {
    *out = std::move(r);
    return S_OK;
  }
  if (ps.Eat('=')) {
    if (ps.Eat('@')) {
      if (!ps.AtEnd()) return kBad;
      r.singleton = true;
    } else {
      KeyBinding k;
      if (!ps.Constant(&k.value) || !ps.AtEnd()) return kBad;
      r.keys.push_back(std::move(k));
    }
    *out = std::move(r);
    return S_OK;
  }
  if (!ps.Eat('.')) return kBad;
  while (true) {
    KeyBinding k;
    if (!ps.Name(&k.name)) return kBad;
    if (!ps.Eat('=')) return kBad;
    if (!ps.Constant(&k.value)) return kBad;
    r.keys.push_back(std::move(k));
    if (ps.AtEnd()) break;
    if (!ps.Eat(',')) return kBad;
  }
  if (r.keys.size() > 1) {
    std::vector<const OleString*> names;
    names.reserve(r.keys.size());
    for (const auto& k : r.keys) names.push_back(&k.name);
    std::sort(names.begin(), names.end(), [](const OleString* a, const OleString* b) {
      return CompareNoCase(*a, *b) < 0;
    });
    for (size_t i = 1; i < names.size(); ++i)
      if (EqualsNoCase(*names[i - 1], *names[i])) return kBad;
  }
  *out = std::move(r);
  return S_OK;
}

}  // namespace

// Thread: any.
KeyLiteral KeyLiteral::MakeString(OleStringView s) {
  KeyLiteral k;
  k.kind = Kind::String;
  k.text.assign(s);
  return k;
}
// Thread: any.
KeyLiteral KeyLiteral::MakeInteger(bool negative, uint64_t magnitude) {
  KeyLiteral k;
  k.kind = Kind::Integer;
  k.negative = negative && magnitude != 0;
  k.magnitude = magnitude;
  return k;
}
// Thread: any.
KeyLiteral KeyLiteral::MakeSigned(int64_t v) {
  const uint64_t mag = v < 0 ? uint64_t{0} - static_cast<uint64_t>(v)
                             : static_cast<uint64_t>(v);
  return MakeInteger(v < 0, mag);
}
// Thread: any.
KeyLiteral KeyLiteral::MakeUnsigned(uint64_t v) { return MakeInteger(false, v); }
// Thread: any.
KeyLiteral KeyLiteral::MakeReal(double v) {
  KeyLiteral k;
  k.kind = Kind::Real;
  k.real = v;
  return k;
}
// Thread: any.
KeyLiteral KeyLiteral::MakeBoolean(bool v) {
  KeyLiteral k;
  k.kind = Kind::Boolean;
  k.boolean = v;
  return k;
}

// Thread: any.
bool operator==(const KeyLiteral& a, const KeyLiteral& b) {
  if (a.kind != b.kind) return false;
  switch (a.kind) {
    case KeyLiteral::Kind::String: return a.text == b.text;
    case KeyLiteral::Kind::Integer:
      return a.negative == b.negative && a.magnitude == b.magnitude;
    case KeyLiteral::Kind::Real: return a.real == b.real;
    case KeyLiteral::Kind::Boolean: return a.boolean == b.boolean;
  }
  return false;
}

// Thread: any.
bool operator==(const KeyBinding& a, const KeyBinding& b) {
  return a.name == b.name && a.value == b.value;
}

// Thread: any.
bool operator==(const ObjectPath& a, const ObjectPath& b) {
  return a.server == b.server && a.namespaceSegments == b.namespaceSegments &&
         a.className == b.className && a.singleton == b.singleton &&
         a.keys == b.keys;
}

// Thread: any.
HRESULT ParseObjectPath(OleStringView text, ObjectPath* out) noexcept {
  try {
    ObjectPath tmp;
    const HRESULT hr = Parse(text, &tmp);
    if (hr == S_OK && out) *out = std::move(tmp);
    return hr;
  } catch (const std::bad_alloc&) {
    return WBEM_E_OUT_OF_MEMORY;
  } catch (...) {
    return WBEM_E_FAILED;
  }
}

// Thread: any.
OleString QuoteString(OleStringView raw) {
  OleString out;
  out.reserve(raw.size() + 2);
  out.push_back(static_cast<OLECHAR>('"'));
  for (OLECHAR c : raw) {
    if (c == '"' || c == '\\') out.push_back(static_cast<OLECHAR>('\\'));
    out.push_back(c);
  }
  out.push_back(static_cast<OLECHAR>('"'));
  return out;
}

// Thread: any.
OleString FormatKeyLiteral(const KeyLiteral& v) {
  OleString out;
  switch (v.kind) {
    case KeyLiteral::Kind::String:
      return QuoteString(v.text);
    case KeyLiteral::Kind::Integer: {
      char buf[24];
      const auto r = std::to_chars(buf, buf + sizeof buf, v.magnitude);
      if (v.negative && v.magnitude != 0) out.push_back(static_cast<OLECHAR>('-'));
      AppendAscii(&out, buf, static_cast<size_t>(r.ptr - buf));
      return out;
    }
    case KeyLiteral::Kind::Real: {
      if (std::isnan(v.real)) {
        AppendAscii(&out, "nan");
        return out;
      }
      if (std::isinf(v.real)) {
        AppendAscii(&out, v.real < 0 ? "-inf" : "inf");
        return out;
      }
      char buf[64];
      const auto r = std::to_chars(buf, buf + sizeof buf, v.real);
      const size_t n = static_cast<size_t>(r.ptr - buf);
      AppendAscii(&out, buf, n);
      bool marked = false;
      for (size_t i = 0; i < n; ++i)
        if (buf[i] == '.' || buf[i] == 'e') marked = true;
      if (!marked) AppendAscii(&out, ".0");
      return out;
    }
    case KeyLiteral::Kind::Boolean:
      AppendAscii(&out, v.boolean ? "TRUE" : "FALSE");
      return out;
  }
  return out;
}

// Thread: any.
OleString FormatRelPath(const ObjectPath& p) {
  OleString out = p.className;
  if (p.singleton) {
    AppendAscii(&out, "=@");
    return out;
  }
  if (p.keys.empty()) return out;
  if (p.keys.size() == 1 && p.keys[0].name.empty()) {
    out.push_back(static_cast<OLECHAR>('='));
    out += FormatKeyLiteral(p.keys[0].value);
    return out;
  }
  std::vector<const KeyBinding*> sorted;
  sorted.reserve(p.keys.size());
  for (const auto& k : p.keys) sorted.push_back(&k);
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const KeyBinding* a, const KeyBinding* b) {
                     return CompareNoCase(a->name, b->name) < 0;
                   });
  out.push_back(static_cast<OLECHAR>('.'));
  for (size_t i = 0; i < sorted.size(); ++i) {
    if (i) out.push_back(static_cast<OLECHAR>(','));
    out += sorted[i]->name;
    out.push_back(static_cast<OLECHAR>('='));
    out += FormatKeyLiteral(sorted[i]->value);
  }
  return out;
}

// Thread: any.
OleString FormatObjectPath(const ObjectPath& p) {
  OleString out;
  if (!p.server.empty()) {
    AppendAscii(&out, "\\\\");
    out += p.server;
    out.push_back(static_cast<OLECHAR>('\\'));
  }
  if (!p.server.empty() || !p.namespaceSegments.empty()) {
    out += JoinNamespace(p.namespaceSegments);
    out.push_back(static_cast<OLECHAR>(':'));
  }
  out += FormatRelPath(p);
  return out;
}

// Thread: any.
OleString FormatFullPath(OleStringView server, OleStringView ns,
                         OleStringView relpath) {
  OleString out;
  out.reserve(server.size() + ns.size() + relpath.size() + 4);
  AppendAscii(&out, "\\\\");
  out += server;
  out.push_back(static_cast<OLECHAR>('\\'));
  for (OLECHAR c : ns) out.push_back(c == '/' ? static_cast<OLECHAR>('\\') : c);
  out.push_back(static_cast<OLECHAR>(':'));
  out += relpath;
  return out;
}

}  // namespace wmiput::embedded
