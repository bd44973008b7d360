// A minimal native test harness. Test files register cases with WP_TEST; the
// binary `wmi_put_native_tests` runs them and prints one line per case
// ("ok <name>" / "not ok <name>: <why>"), which test/native.test.mjs maps onto
// node:test subtests. Filter with argv[1] (substring of the case name).
#pragma once

#include <cstdint>
#include <functional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace wmiput::test {

struct Case {
  const char* name;
  std::function<void()> body;
};

std::vector<Case>& Registry();

struct Registrar {
  Registrar(const char* name, std::function<void()> body) {
    Registry().push_back({name, std::move(body)});
  }
};

class Failure : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

template <class T>
std::string Show(const T& v) {
  std::ostringstream os;
  if constexpr (std::is_same_v<T, std::u16string> || std::is_same_v<T, std::wstring>) {
    for (auto c : v) os << (c < 128 ? static_cast<char>(c) : '?');
  } else if constexpr (std::is_integral_v<T> && sizeof(T) >= 4) {
    os << v << " (0x" << std::hex << static_cast<uint64_t>(v) << ")";
  } else if constexpr (std::is_enum_v<T>) {
    os << static_cast<long long>(v);
  } else if constexpr (std::is_pointer_v<T>) {
    os << static_cast<const void*>(v);
  } else {
    os << v;
  }
  return os.str();
}

[[noreturn]] inline void Fail(const char* file, int line, const std::string& msg) {
  throw Failure(std::string(file) + ":" + std::to_string(line) + ": " + msg);
}

}  // namespace wmiput::test

#define WP_CONCAT2(a, b) a##b
#define WP_CONCAT(a, b) WP_CONCAT2(a, b)
#define WP_TEST(name)                                                     \
  static void WP_CONCAT(wp_test_fn_, __LINE__)();                         \
  static ::wmiput::test::Registrar WP_CONCAT(wp_test_reg_, __LINE__)(     \
      name, &WP_CONCAT(wp_test_fn_, __LINE__));                           \
  static void WP_CONCAT(wp_test_fn_, __LINE__)()

#define CHECK(cond)                                                              \
  do {                                                                           \
    if (!(cond)) ::wmiput::test::Fail(__FILE__, __LINE__, "CHECK(" #cond ")"); \
  } while (0)

#define CHECK_EQ(a, b)                                                          \
  do {                                                                          \
    const auto& wp_a_ = (a);                                                    \
    const auto& wp_b_ = (b);                                                    \
    if (!(wp_a_ == wp_b_))                                                      \
      ::wmiput::test::Fail(__FILE__, __LINE__,                                  \
                           "CHECK_EQ(" #a ", " #b "): " +                       \
                               ::wmiput::test::Show(wp_a_) + " != " +           \
                               ::wmiput::test::Show(wp_b_));                    \
  } while (0)

// HRESULTs compare as unsigned so failures print as 0x8004xxxx.
#define CHECK_HR(expr, expected)                                                \
  CHECK_EQ(static_cast<uint32_t>(expr), static_cast<uint32_t>(expected))
