// Bitmask immediates: encoding searches the smallest repeating element and the rotation of its
// run of ones; decoding rebuilds the element and replicates it.
#include "model/machine/arm64_bitmask.h"

#include <bit>

#include "sim/base/assert.h"

namespace procsim::machine::arm64 {
namespace {

std::uint64_t ones(unsigned count) {
  return count >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << count) - 1;
}

std::uint64_t rotate_right(std::uint64_t value, unsigned amount, unsigned size) {
  value &= ones(size);
  if (amount == 0) return value;
  return ((value >> amount) | (value << (size - amount))) & ones(size);
}

std::uint64_t replicate(std::uint64_t element, unsigned size) {
  std::uint64_t out = 0;
  for (unsigned at = 0; at < 64; at += size) out |= element << at;
  return out;
}

}  // namespace

std::optional<std::uint32_t> encode_bitmask(std::uint64_t value, unsigned width) {
  PROCSIM_ASSERT(width == 32 || width == 64);
  if (width == 32) value = replicate(value & ones(32), 32);
  if (value == 0 || value == ~std::uint64_t{0}) return std::nullopt;
  unsigned size = 2;
  while (size < 64 && replicate(value & ones(size), size) != value) size *= 2;
  if (width == 32 && size == 64) return std::nullopt;
  std::uint64_t element = value & ones(size);
  auto count = static_cast<unsigned>(std::popcount(element));
  std::uint64_t run = ones(count);
  for (unsigned rotation = 0; rotation < size; ++rotation) {
    if (rotate_right(run, rotation, size) != element) continue;
    unsigned n = size == 64 ? 1 : 0;
    unsigned imms = ((~(size * 2 - 1)) & 0x3f) | (count - 1);
    if (size == 64) imms = count - 1;
    std::uint32_t fields = (n << 22) | (rotation << 16) | (imms << 10);
    PROCSIM_ASSERT(decode_bitmask(n, rotation, imms, width) == (width == 32 ? value & ones(32) : value));
    return fields;
  }
  return std::nullopt;
}

std::optional<std::uint64_t> decode_bitmask(unsigned n, unsigned immr, unsigned imms, unsigned width) {
  unsigned combined = (n << 6) | (~imms & 0x3f);
  if (combined == 0) return std::nullopt;
  unsigned length = static_cast<unsigned>(std::bit_width(combined)) - 1;
  if (length < 1 || (width == 32 && n == 1)) return std::nullopt;
  unsigned size = 1u << length;
  unsigned levels = size - 1;
  unsigned s = imms & levels;
  unsigned r = immr & levels;
  if (s == levels) return std::nullopt;
  std::uint64_t element = rotate_right(ones(s + 1), r, size);
  return replicate(element, size) & ones(width);
}

}  // namespace procsim::machine::arm64
