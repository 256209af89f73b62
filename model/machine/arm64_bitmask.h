// The "bitmask immediate" of arm64 logical instructions (AND/ORR/EOR/ANDS with an immediate):
// a rotated run of ones, replicated across the register. Shared by the assembler, which
// encodes, and the interpreter, which decodes. Arm ARM DecodeBitMasks.
#pragma once

#include <cstdint>
#include <optional>

namespace procsim::machine::arm64 {

// The N:immr:imms fields placed at bits 22, 21..16 and 15..10, or nullopt when `value` cannot
// be encoded for a `width`-bit (32 or 64) operation.
std::optional<std::uint32_t> encode_bitmask(std::uint64_t value, unsigned width);

// The value the fields stand for, or nullopt for a reserved encoding.
std::optional<std::uint64_t> decode_bitmask(unsigned n, unsigned immr, unsigned imms, unsigned width);

}  // namespace procsim::machine::arm64
