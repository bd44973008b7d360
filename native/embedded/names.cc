#include "embedded/names.h"

#include <cstdint>

namespace wmiput::embedded {

namespace {

bool IsAsciiLetter(uint32_t c) noexcept {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}
bool IsAsciiDigit(uint32_t c) noexcept { return c >= '0' && c <= '9'; }
bool IsSeparator(uint32_t c) noexcept { return c == '\\' || c == '/'; }

// Upper/lower pairs laid out as (upper, upper+1) starting at an even (or odd)
// code point.
bool InPairRange(uint32_t c, uint32_t first, uint32_t last) noexcept {
  return c >= first && c <= last && ((c - first) % 2 == 0);
}

}  // namespace

// Thread: any.
OLECHAR FoldChar(OLECHAR ch) noexcept {
  const uint32_t c = static_cast<uint16_t>(ch);
  uint32_t r = c;
  if (c < 0x80) {
    if (c >= 'A' && c <= 'Z') r = c + 0x20;
  } else if (c < 0x100) {
    if (c >= 0xC0 && c <= 0xDE && c != 0xD7) r = c + 0x20;
  } else if (c < 0x180) {
    if (c == 0x130) {
      r = 'i';
    } else if (c == 0x178) {
      r = 0xFF;
    } else if (InPairRange(c, 0x100, 0x12F) || InPairRange(c, 0x132, 0x137) ||
               InPairRange(c, 0x139, 0x148) || InPairRange(c, 0x14A, 0x177) ||
               InPairRange(c, 0x179, 0x17E)) {
      r = c + 1;
    }
  } else if (c >= 0x370 && c < 0x400) {
    if (c == 0x386) {
      r = 0x3AC;
    } else if (c >= 0x388 && c <= 0x38A) {
      r = c + 0x25;
    } else if (c == 0x38C) {
      r = 0x3CC;
    } else if (c == 0x38E || c == 0x38F) {
      r = c + 0x3F;
    } else if (c >= 0x391 && c <= 0x3AB && c != 0x3A2) {
      r = c + 0x20;
    } else if (c == 0x3C2) {
      r = 0x3C3;
    }
  } else if (c >= 0x400 && c < 0x530) {
    if (c <= 0x40F) {
      r = c + 0x50;
    } else if (c <= 0x42F) {
      r = c + 0x20;
    } else if (c == 0x4C0) {
      r = 0x4CF;
    } else if (InPairRange(c, 0x460, 0x481) || InPairRange(c, 0x48A, 0x4BF) ||
               InPairRange(c, 0x4C1, 0x4CE) || InPairRange(c, 0x4D0, 0x52F)) {
      r = c + 1;
    }
  }
  return static_cast<OLECHAR>(r);
}

// Thread: any.
OleString FoldCase(OleStringView s) {
  OleString out(s);
  for (auto& c : out) c = FoldChar(c);
  return out;
}

// Thread: any.
bool EqualsNoCase(OleStringView a, OleStringView b) noexcept {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i] != b[i] && FoldChar(a[i]) != FoldChar(b[i])) return false;
  }
  return true;
}

// Thread: any.
int CompareNoCase(OleStringView a, OleStringView b) noexcept {
  const size_t n = a.size() < b.size() ? a.size() : b.size();
  for (size_t i = 0; i < n; ++i) {
    const uint32_t x = static_cast<uint16_t>(FoldChar(a[i]));
    const uint32_t y = static_cast<uint16_t>(FoldChar(b[i]));
    if (x != y) return x < y ? -1 : 1;
  }
  if (a.size() == b.size()) return 0;
  return a.size() < b.size() ? -1 : 1;
}

// Thread: any. FNV-1a over the folded code units.
size_t NoCaseHash::operator()(OleStringView s) const noexcept {
  uint64_t h = 14695981039346656037ull;
  for (OLECHAR c : s) {
    const uint32_t f = static_cast<uint16_t>(FoldChar(c));
    h = (h ^ (f & 0xFF)) * 1099511628211ull;
    h = (h ^ (f >> 8)) * 1099511628211ull;
  }
  return static_cast<size_t>(h ^ (h >> 32));
}

// Thread: any.
bool IsValidIdentifier(OleStringView s) noexcept {
  if (s.empty() || !IsAsciiLetter(static_cast<uint16_t>(s.front())))
    return false;
  if (s.back() == '_') return false;
  for (OLECHAR ch : s) {
    const uint32_t c = static_cast<uint16_t>(ch);
    if (!IsAsciiLetter(c) && !IsAsciiDigit(c) && c != '_') return false;
  }
  return true;
}

// Thread: any.
bool IsSystemName(OleStringView s) noexcept {
  return s.size() >= 2 && s[0] == '_' && s[1] == '_';
}

namespace {
// Thread: any.
HRESULT CheckName(OleStringView name, bool quota) noexcept {
  if (name.empty()) return WBEM_E_INVALID_PARAMETER;
  if (name.front() == '_') return WBEM_E_INVALID_OPERATION;
  if (quota && name.size() > kMaxIdentifierLength) return WBEM_E_QUOTA_VIOLATION;
  if (name.back() == '_') return WBEM_E_INVALID_OBJECT;
  if (!IsValidIdentifier(name)) return WBEM_E_INVALID_PARAMETER;
  return S_OK;
}
}  // namespace

// Thread: any.
HRESULT CheckClassName(OleStringView name) noexcept {
  return CheckName(name, true);
}

// Thread: any.
HRESULT CheckPropertyName(OleStringView name) noexcept {
  return CheckName(name, false);
}

// Thread: any.
bool IsValidNamespaceSegment(OleStringView s) noexcept {
  if (s.empty()) return false;
  for (OLECHAR ch : s) {
    const uint32_t c = static_cast<uint16_t>(ch);
    if (!IsAsciiLetter(c) && !IsAsciiDigit(c) && c != '_') return false;
  }
  return true;
}

// Thread: any.
bool IsValidServerName(OleStringView s) noexcept {
  if (s.empty()) return false;
  for (OLECHAR ch : s) {
    const uint32_t c = static_cast<uint16_t>(ch);
    if (!IsAsciiLetter(c) && !IsAsciiDigit(c) && c != '_' && c != '-' &&
        c != '.')
      return false;
  }
  return true;
}

// Thread: any.
bool ParseNamespacePath(OleStringView in, NamespacePath* out) {
  NamespacePath result;
  size_t pos = 0;
  if (in.size() >= 2 && IsSeparator(static_cast<uint16_t>(in[0])) &&
      IsSeparator(static_cast<uint16_t>(in[1]))) {
    pos = 2;
    size_t end = pos;
    while (end < in.size() && !IsSeparator(static_cast<uint16_t>(in[end])))
      ++end;
    // A server must be followed by a separator and a namespace.
    if (end >= in.size()) return false;
    OleStringView server = in.substr(pos, end - pos);
    if (!IsValidServerName(server)) return false;
    result.server.assign(server);
    pos = end + 1;
  }
  // Segments: pos is at the start of a segment.
  while (true) {
    size_t end = pos;
    while (end < in.size() && !IsSeparator(static_cast<uint16_t>(in[end])))
      ++end;
    OleStringView seg = in.substr(pos, end - pos);
    if (!IsValidNamespaceSegment(seg)) return false;
    result.segments.emplace_back(seg);
    if (end == in.size()) break;
    pos = end + 1;
  }
  if (out) *out = std::move(result);
  return true;
}

// Thread: any.
bool ParseNamespacePath(OleStringView in, std::vector<OleString>* segments) {
  NamespacePath p;
  if (!ParseNamespacePath(in, &p)) return false;
  if (segments) *segments = std::move(p.segments);
  return true;
}

// Thread: any.
OleString JoinNamespace(const std::vector<OleString>& segments) {
  OleString out;
  for (size_t i = 0; i < segments.size(); ++i) {
    if (i) out.push_back(static_cast<OLECHAR>('\\'));
    out += segments[i];
  }
  return out;
}

}  // namespace wmiput::embedded
