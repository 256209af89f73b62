// Describing ioctl out-structures and directory records; see script_structs.h. The layouts are
// sys/pioctl.h's struct procfs_status (LP64: int, int, long, int, long; ILP32: five 32-bit words)
// and sys/dirent.h's record header, the same in every era procfs has.
#include "model/driver/script_structs.h"

#include <array>

#include <fmt/format.h>

#include "model/vfs/dirent.h"
#include "sim/base/text.h"

namespace procsim::driver {

namespace {

constexpr std::uint32_t kIocOut = 0x40000000;
constexpr std::uint32_t kIocparmMask = 0x1fff;

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

std::optional<std::size_t> ioctl_out_size(std::uint32_t command) {
  if ((command & kIocOut) == 0) return std::nullopt;
  return (command >> 16) & kIocparmMask;
}

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

std::string describe_dirents(base::ByteSpan bytes) {
  std::optional<std::vector<vfs::Dirent>> records = vfs::decode_dirents(bytes);
  if (!records.has_value()) return " <malformed>";
  std::string text;
  bool same_length = true;
  for (const vfs::Dirent& record : *records) {
    same_length = same_length && record.reclen == records->front().reclen;
    text += fmt::format(" {{ino={}, type={}, name=\"{}\"}}", record.fileno,
                        vfs::dirent_type_name(record.type), base::c_escape(record.name));
  }
  if (!records->empty() && same_length) text += fmt::format(" {{reclen={}}}", records->front().reclen);
  return text;
}

}  // namespace procsim::driver
