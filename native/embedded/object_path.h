// WMI object paths: parsing and canonical formatting (wmi-put-semantics.md
// §6.1-§6.3). Pure functions; all are thread-safe and can run on any thread.
//
// Accepted input (no whitespace anywhere outside quoted strings):
//   [ namespace-path ":" ] class [ "=@" | "=" constant | "." key "=" constant
//                                  *( "," key "=" constant ) ]
//   namespace-path = [ sep sep server sep ] segment *( sep segment )
//   sep = "\" | "/"      (a server requires a namespace and the ':')
//   class, key = [A-Za-z_][A-Za-z0-9_]*      (system names such as __Namespace
//                                              parse; the server decides)
//   segment = [A-Za-z0-9_]+   server = [A-Za-z0-9_.-]+   ("." = local)
//   constant = string | integer | real | TRUE | FALSE (case-insensitive)
//   string  = '"' ... '"' | "'" ... "'"; inside, "\" escapes the next code
//             unit whatever it is (\" \' \\ \x -> x); any other unit, NUL
//             and non-ASCII included, is taken literally.
//   integer = ["-"] ( digits | ("0x"|"0X") hexdigits ); value must fit in
//             uint64 (non-negative) or be >= -2^63 (negative). "-0" is 0.
//   real    = ["-"] digits ( "." digits [exp] | exp ),  exp = (e|E)[+|-]digits;
//             must be finite and not underflow.
// URL escapes (%xx) are NOT decoded anywhere: inside quoted strings '%' is an
// ordinary character (decoding would change values such as "100%25", and
// canonical WMI paths never contain escapes), outside quotes '%' is a syntax
// error. Duplicate key names (case-insensitive), an empty key list, a
// trailing ',', or a shorthand key followed by more keys are errors.
// Any error gives WBEM_E_INVALID_OBJECT_PATH and leaves *out untouched.
// Parsing is iterative and O(n log n) at worst (duplicate-key check); there
// is no length limit here (the server applies WBEM_MAX_PATH where needed).
#pragma once

#include <cstdint>
#include <vector>

#include "com/com.h"

namespace wmiput::embedded {

using com::OleString;
using com::OleStringView;

struct KeyLiteral {
  enum class Kind { String, Integer, Real, Boolean };
  Kind kind = Kind::String;
  OleString text;          // String: the unescaped value
  bool negative = false;   // Integer: sign (never true with magnitude 0)
  uint64_t magnitude = 0;  // Integer: absolute value
  double real = 0;         // Real
  bool boolean = false;    // Boolean

  static KeyLiteral MakeString(OleStringView s);
  static KeyLiteral MakeSigned(int64_t v);
  static KeyLiteral MakeUnsigned(uint64_t v);
  static KeyLiteral MakeInteger(bool negative, uint64_t magnitude);
  static KeyLiteral MakeReal(double v);
  static KeyLiteral MakeBoolean(bool v);
};

struct KeyBinding {
  OleString name;  // empty for the single-key shorthand Class="v"
  KeyLiteral value;
};

struct ObjectPath {
  OleString server;  // "" no server part, "." local
  std::vector<OleString> namespaceSegments;
  OleString className;
  bool singleton = false;
  std::vector<KeyBinding> keys;  // in input order

  bool IsClassPath() const { return !singleton && keys.empty(); }
};

// Exact comparison of the fields that matter for each kind (case-sensitive;
// reals with ==). Used for round-trip checks.
bool operator==(const KeyLiteral& a, const KeyLiteral& b);
inline bool operator!=(const KeyLiteral& a, const KeyLiteral& b) { return !(a == b); }
bool operator==(const KeyBinding& a, const KeyBinding& b);
bool operator==(const ObjectPath& a, const ObjectPath& b);
inline bool operator!=(const ObjectPath& a, const ObjectPath& b) { return !(a == b); }

// S_OK, WBEM_E_INVALID_OBJECT_PATH on any syntax error, WBEM_E_OUT_OF_MEMORY.
HRESULT ParseObjectPath(OleStringView text, ObjectPath* out) noexcept;

// "raw" in double quotes with '"' and '\' escaped by '\'.
OleString QuoteString(OleStringView raw);
// Canonical literal: quoted string, decimal integer, TRUE/FALSE, and reals in
// shortest round-trip form that always contains '.' or an exponent (so they
// re-parse as reals). Non-finite reals (which the parser never produces)
// come out as "inf"/"-inf"/"nan" and do not parse.
OleString FormatKeyLiteral(const KeyLiteral& v);
// Canonical relative path: "Class" for a class path, "Class=@" for a
// singleton, else "Class.A=..,B=.." with keys sorted case-insensitively by
// name (stable), names as given. A lone shorthand key (empty name) gives
// "Class=value"; the server should fill in the key name before formatting a
// __RELPATH.
OleString FormatRelPath(const ObjectPath& p);
// The whole path: "\\server\ns:rel" when a server is set, "ns:rel" when only
// a namespace is set, else the relative path. Parsing the result gives back p
// (with keys in canonical order).
OleString FormatObjectPath(const ObjectPath& p);
// "\\" server "\" ns ":" relpath, with '/' in ns written as '\'.
OleString FormatFullPath(OleStringView server, OleStringView ns,
                         OleStringView relpath);

}  // namespace wmiput::embedded
