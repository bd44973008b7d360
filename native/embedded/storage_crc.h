// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78) of the durable
// repository's file format (docs/repository-format.md). Our own table-driven
// implementation, eight bytes per step.
#pragma once

#include <cstddef>
#include <cstdint>

namespace wmiput::embedded::storage {

// Thread: any. CRC-32C of `n` bytes, continuing from `crc` (0 to start).
// Crc32c("123456789") == 0xE3069283.
uint32_t Crc32c(const void* data, size_t n, uint32_t crc = 0) noexcept;

}  // namespace wmiput::embedded::storage
