// Entry point of wmi_put_native_tests: runs every registered case, prints one
// result line per case and a closing "N passed, N failed" line.
#include <cstdio>
#include <cstring>
#include <exception>

#include "check.h"

namespace wmiput::test {
std::vector<Case>& Registry() {
  static std::vector<Case> cases;
  return cases;
}
}  // namespace wmiput::test

int main(int argc, char** argv) {
  const char* filter = argc > 1 ? argv[1] : nullptr;
  int passed = 0, failed = 0;
  for (auto& c : wmiput::test::Registry()) {
    if (filter && !std::strstr(c.name, filter)) continue;
    try {
      c.body();
      std::printf("ok %s\n", c.name);
      ++passed;
    } catch (const std::exception& e) {
      std::printf("not ok %s: %s\n", c.name, e.what());
      ++failed;
    } catch (...) {
      std::printf("not ok %s: unknown exception\n", c.name);
      ++failed;
    }
    std::fflush(stdout);
  }
  std::printf("native: %d passed, %d failed\n", passed, failed);
  return failed == 0 && passed > 0 ? 0 : 1;
}
