#include "embedded/guid.h"

#include <chrono>
#include <cstdint>
#include <functional>
#include <random>
#include <thread>

namespace wmiput::embedded {

namespace {

// Thread: any (once per thread).
std::mt19937_64 MakeEngine() {
  // random_device alone is not trusted: old MinGW runtimes return a fixed
  // sequence, so mix in entropy that differs between processes and threads.
  std::random_device rd;
  const uint64_t now = static_cast<uint64_t>(
      std::chrono::high_resolution_clock::now().time_since_epoch().count());
  const uint64_t tid = std::hash<std::thread::id>()(std::this_thread::get_id());
  int local = 0;
  const uint64_t addr = reinterpret_cast<uintptr_t>(&local);
  std::seed_seq seq{rd(), rd(), rd(), rd(), rd(), rd(), rd(), rd(),
                    static_cast<unsigned>(now), static_cast<unsigned>(now >> 32),
                    static_cast<unsigned>(tid), static_cast<unsigned>(tid >> 32),
                    static_cast<unsigned>(addr), static_cast<unsigned>(addr >> 32)};
  return std::mt19937_64(seq);
}

}  // namespace

// Thread: any.
OleString NewGuidString() {
  thread_local std::mt19937_64 engine = MakeEngine();
  uint8_t b[16];
  const uint64_t hi = engine(), lo = engine();
  for (int i = 0; i < 8; ++i) {
    b[i] = static_cast<uint8_t>(hi >> (56 - 8 * i));
    b[8 + i] = static_cast<uint8_t>(lo >> (56 - 8 * i));
  }
  b[6] = static_cast<uint8_t>((b[6] & 0x0F) | 0x40);  // version 4
  b[8] = static_cast<uint8_t>((b[8] & 0x3F) | 0x80);  // RFC 4122 variant
  static const char kHex[] = "0123456789ABCDEF";
  OleString out;
  out.reserve(38);
  out.push_back(static_cast<OLECHAR>('{'));
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back(static_cast<OLECHAR>('-'));
    out.push_back(static_cast<OLECHAR>(kHex[b[i] >> 4]));
    out.push_back(static_cast<OLECHAR>(kHex[b[i] & 0xF]));
  }
  out.push_back(static_cast<OLECHAR>('}'));
  return out;
}

}  // namespace wmiput::embedded
