// Names in WMI: case-insensitive comparison, identifier grammar, class and
// property name checks for PutClass, namespace paths (wmi-put-semantics.md
// §2.2, §6.3, §6.4). Pure functions over UTF-16 code units; all are
// thread-safe and can run on any thread.
#pragma once

#include <cstddef>
#include <vector>

#include "com/com.h"

namespace wmiput::embedded {

using com::OleString;
using com::OleStringView;

// Longest class name PutClass accepts (WBEM_MAX_IDENTIFIER, Vista+).
constexpr size_t kMaxIdentifierLength = 0x1000;
// Longest __RELPATH (WBEM_MAX_PATH); enforced by the server, not the parser.
constexpr size_t kMaxPathLength = 0x2000;

// Simple one-to-one lowercase mapping of one UTF-16 code unit. Folded:
//   ASCII A-Z; Latin-1 U+00C0-U+00DE (not U+00D7); Latin Extended-A
//   U+0100-U+017F upper/lower pairs, U+0130 -> 'i', U+0178 -> U+00FF;
//   Greek U+0386, U+0388-U+038F, U+0391-U+03AB (not U+03A2), and final sigma
//   U+03C2 -> U+03C3 so that both sigmas compare equal; Cyrillic U+0400-U+042F,
//   and the U+0460-U+0481, U+048A-U+04BF, U+04C1-U+04CE, U+04D0-U+052F pairs,
//   U+04C0 -> U+04CF.
// Everything else (other scripts, surrogates, multi-unit mappings such as
// U+00DF) is left as is. The mapping is idempotent: FoldChar(FoldChar(c)) ==
// FoldChar(c).
OLECHAR FoldChar(OLECHAR c) noexcept;

OleString FoldCase(OleStringView s);
bool EqualsNoCase(OleStringView a, OleStringView b) noexcept;
// <0, 0, >0 comparing the folded code units lexicographically.
int CompareNoCase(OleStringView a, OleStringView b) noexcept;

// Function objects for case-insensitive OleString keys, e.g.
// std::unordered_map<OleString, T, NoCaseHash, NoCaseEqual> or
// std::map<OleString, T, NoCaseLess> (NoCaseLess is transparent, so a map can
// be searched with an OleStringView).
struct NoCaseHash {
  size_t operator()(OleStringView s) const noexcept;
};
struct NoCaseEqual {
  bool operator()(OleStringView a, OleStringView b) const noexcept {
    return EqualsNoCase(a, b);
  }
};
struct NoCaseLess {
  using is_transparent = void;
  bool operator()(OleStringView a, OleStringView b) const noexcept {
    return CompareNoCase(a, b) < 0;
  }
};

// A user identifier (class, property, qualifier): an ASCII letter, then ASCII
// letters, digits or '_', not ending with '_'. Non-ASCII is rejected.
bool IsValidIdentifier(OleStringView s) noexcept;
// True when s starts with "__" (system class or property names).
bool IsSystemName(OleStringView s) noexcept;

// Class name check for PutClass. Checked in this order:
//   empty                      -> WBEM_E_INVALID_PARAMETER
//   starts with '_'            -> WBEM_E_INVALID_OPERATION
//   longer than 4096 units     -> WBEM_E_QUOTA_VIOLATION
//   ends with '_'              -> WBEM_E_INVALID_OBJECT
//   not IsValidIdentifier      -> WBEM_E_INVALID_PARAMETER
//   otherwise S_OK.
HRESULT CheckClassName(OleStringView name) noexcept;
// Same as CheckClassName without the length quota.
HRESULT CheckPropertyName(OleStringView name) noexcept;

// A namespace path: optional "\\server\" (or "//server/"), then segments
// separated by '\' or '/' (mixing is allowed). Segments are non-empty runs of
// ASCII letters, digits and '_'. The server is a non-empty run of ASCII
// letters, digits, '_', '-' and '.' ("." = local machine). No leading single
// separator, no trailing separator, no empty segment.
struct NamespacePath {
  OleString server;  // "" when the path has no server part
  std::vector<OleString> segments;
};
bool ParseNamespacePath(OleStringView in, NamespacePath* out);
// Same, for callers that do not care about the server (it is still accepted).
bool ParseNamespacePath(OleStringView in, std::vector<OleString>* segments);
bool IsValidNamespaceSegment(OleStringView s) noexcept;
bool IsValidServerName(OleStringView s) noexcept;
// Segments joined with '\' ("root\cimv2").
OleString JoinNamespace(const std::vector<OleString>& segments);

}  // namespace wmiput::embedded
