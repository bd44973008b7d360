// Byte encoding of the durable repository's records (docs/repository-format.md):
// little-endian integers, UTF-16LE strings with a u32 length, VARIANTs
// (every CIM value type, arrays and embedded objects), qualifier lists and
// whole class definitions. No file I/O here (storage_file.h) and no repository
// knowledge (repository_storage.cc).
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "embedded/model.h"

namespace wmiput::embedded::storage {

// Appends to a growing byte buffer. Thread: one owner at a time.
class Encoder {
 public:
  std::vector<uint8_t>& bytes() noexcept { return buf_; }
  const std::vector<uint8_t>& bytes() const noexcept { return buf_; }
  size_t size() const noexcept { return buf_.size(); }
  void clear() noexcept { buf_.clear(); }

  void U8(uint8_t v) { buf_.push_back(v); }
  void U16(uint16_t v) { Raw(&v, 2); }
  void U32(uint32_t v) { Raw(&v, 4); }
  void U64(uint64_t v) { Raw(&v, 8); }
  // u32 unit count, then the UTF-16LE units.
  void Str(OleStringView s) {
    U32(static_cast<uint32_t>(s.size()));
    Raw(s.data(), s.size() * sizeof(OLECHAR));
  }
  void Raw(const void* p, size_t n) {
    const size_t at = buf_.size();
    buf_.resize(at + n);
    if (n) std::memcpy(buf_.data() + at, p, n);
  }
  // Overwrites 4 bytes at `at` (a length field written before its body).
  void PatchU32(size_t at, uint32_t v) noexcept { std::memcpy(buf_.data() + at, &v, 4); }

 private:
  std::vector<uint8_t> buf_;
};

// Reads a byte range; any read past the end (or a bad value) clears ok().
// Thread: one owner at a time.
class Decoder {
 public:
  Decoder(const uint8_t* p, size_t n) noexcept : p_(p), end_(p + n) {}
  bool ok() const noexcept { return ok_; }
  void Fail() noexcept { ok_ = false; p_ = end_; }
  size_t remaining() const noexcept { return static_cast<size_t>(end_ - p_); }
  const uint8_t* pos() const noexcept { return p_; }

  uint8_t U8() noexcept { uint8_t v = 0; Raw(&v, 1); return v; }
  uint16_t U16() noexcept { uint16_t v = 0; Raw(&v, 2); return v; }
  uint32_t U32() noexcept { uint32_t v = 0; Raw(&v, 4); return v; }
  uint64_t U64() noexcept { uint64_t v = 0; Raw(&v, 8); return v; }
  OleString Str();
  // A string as a view of the raw bytes (unaligned UTF-16LE): `units` units at `data`.
  bool StrRaw(const uint8_t** data, uint32_t* units) noexcept;
  void Raw(void* out, size_t n) noexcept {
    if (!ok_ || remaining() < n) {
      Fail();
      return;
    }
    std::memcpy(out, p_, n);
    p_ += n;
  }
  bool Skip(size_t n) noexcept {
    if (!ok_ || remaining() < n) {
      Fail();
      return false;
    }
    p_ += n;
    return true;
  }

 private:
  const uint8_t* p_;
  const uint8_t* end_;
  bool ok_ = true;
};

// Thread: any. false when the value holds something the format cannot carry
// (a VARTYPE outside the CIM set, a foreign embedded object, a
// multi-dimensional array); the encoder is then left in an unspecified state.
bool EncodeVariant(Encoder& e, const VARIANT& v);
bool DecodeVariant(Decoder& d, com::Variant* out);

bool EncodeQualifiers(Encoder& e, const QualifierList& list);
bool DecodeQualifiers(Decoder& d, QualifierList* out);

// A whole ClassData: name, superclass, derivation, qualifiers, properties
// (with defaults, qualifiers, origin, propagated), methods (with their
// parameter classes) and location. The version is not stored.
bool EncodeClass(Encoder& e, const ClassData& c);
bool DecodeClass(Decoder& d, ClassData* out);

// An instance's values, modified bits, qualifiers and location plus its full
// class definition (embedded objects carry their own class).
bool EncodeInstanceData(Encoder& e, const InstanceData& inst);
bool DecodeInstanceData(Decoder& d, InstanceData* out);

}  // namespace wmiput::embedded::storage
