// Describing the PIOC ioctls' out-structures; see script_structs.h. The layout is sys/pioctl.h's
// struct procfs_status (LP64: int, int, long, int, long; ILP32: five 32-bit words).
#include "model/driver/script_structs.h"

#include <array>

#include <fmt/format.h>

namespace procsim::driver {

namespace {

struct PiocOutRow {
  std::uint32_t command;
  bool status;  // struct procfs_status; else PIOCGFL's unsigned int
  bool lp64;
};

constexpr std::array kPiocOuts = {
    PiocOutRow{0x40207004, true, true},    // PIOCWAIT
    PiocOutRow{0x40207006, true, true},    // PIOCSTATUS
    PiocOutRow{0x40147004, true, false},   // PIOCWAIT, ILP32
    PiocOutRow{0x40147006, true, false},   // PIOCSTATUS, ILP32
    PiocOutRow{0x40047007, false, false},  // PIOCGFL
};

}  // namespace

std::optional<std::string> describe_ioctl_out(std::uint32_t command, base::ByteSpan bytes) {
  for (const PiocOutRow& row : kPiocOuts) {
    if (row.command != command) continue;
    if (!row.status) return fmt::format(" {{flags={:#x}}}", base::load_le<std::uint32_t>(bytes, 0));
    std::size_t long_bytes = row.lp64 ? 8 : 4;
    auto load_long = [&](std::size_t offset) -> std::uint64_t {
      return row.lp64 ? base::load_le<std::uint64_t>(bytes, offset)
                      : base::load_le<std::uint32_t>(bytes, offset);
    };
    std::size_t why_at = 8 + long_bytes;
    std::size_t val_at = row.lp64 ? 24 : 16;
    return fmt::format(" {{state={}, flags={:#x}, events={:#x}, why={:#x}, val={}}}",
                       base::load_le<std::int32_t>(bytes, 0), base::load_le<std::uint32_t>(bytes, 4),
                       load_long(8), base::load_le<std::uint32_t>(bytes, why_at), load_long(val_at));
  }
  return std::nullopt;
}

}  // namespace procsim::driver
