// Byte buffers and little/big-endian field access, for register files, memory images and
// binary procfs files. All multi-byte values are written explicitly in one byte order; the
// host's layout never reaches output.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "sim/base/assert.h"

namespace procsim::base {

using Bytes = std::vector<std::uint8_t>;
using ByteSpan = std::span<const std::uint8_t>;
using MutableByteSpan = std::span<std::uint8_t>;

template <typename T>
constexpr T load_le(ByteSpan bytes, std::size_t offset) {
  PROCSIM_ASSERT(offset + sizeof(T) <= bytes.size());
  std::uint64_t value = 0;
  for (std::size_t i = 0; i < sizeof(T); ++i) {
    value |= static_cast<std::uint64_t>(bytes[offset + i]) << (8 * i);
  }
  return static_cast<T>(value);
}

template <typename T>
constexpr void store_le(MutableByteSpan bytes, std::size_t offset, T value) {
  PROCSIM_ASSERT(offset + sizeof(T) <= bytes.size());
  auto raw = static_cast<std::uint64_t>(value);
  for (std::size_t i = 0; i < sizeof(T); ++i) {
    bytes[offset + i] = static_cast<std::uint8_t>(raw >> (8 * i));
  }
}

template <typename T>
constexpr T load_be(ByteSpan bytes, std::size_t offset) {
  PROCSIM_ASSERT(offset + sizeof(T) <= bytes.size());
  std::uint64_t value = 0;
  for (std::size_t i = 0; i < sizeof(T); ++i) {
    value = (value << 8) | bytes[offset + i];
  }
  return static_cast<T>(value);
}

template <typename T>
constexpr void store_be(MutableByteSpan bytes, std::size_t offset, T value) {
  PROCSIM_ASSERT(offset + sizeof(T) <= bytes.size());
  auto raw = static_cast<std::uint64_t>(value);
  for (std::size_t i = 0; i < sizeof(T); ++i) {
    bytes[offset + sizeof(T) - 1 - i] = static_cast<std::uint8_t>(raw >> (8 * i));
  }
}

// Appends little-endian values to a growing buffer.
class ByteWriter {
 public:
  template <typename T>
  void put_le(T value) {
    auto raw = static_cast<std::uint64_t>(value);
    for (std::size_t i = 0; i < sizeof(T); ++i) {
      m_bytes.push_back(static_cast<std::uint8_t>(raw >> (8 * i)));
    }
  }
  void put_bytes(ByteSpan bytes) { m_bytes.insert(m_bytes.end(), bytes.begin(), bytes.end()); }
  void put_zeros(std::size_t count) { m_bytes.insert(m_bytes.end(), count, 0); }
  std::size_t size() const { return m_bytes.size(); }
  const Bytes& bytes() const& { return m_bytes; }
  Bytes take() && { return std::move(m_bytes); }

 private:
  Bytes m_bytes;
};

}  // namespace procsim::base
