// Directory entries as getdirentries(2) returns them: struct dirent (8.3 sys/sys/dirent.h, the
// same layout in 4.4BSD and FreeBSD 4): d_fileno (u32), d_reclen (u16), d_type (u8), d_namlen
// (u8), then the name, NUL-terminated and padded with NULs. File systems choose the record
// length (GENERIC_DIRSIZ, or a fixed size as the procfs of each era does).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/vfs/vnode.h"
#include "sim/base/bytes.h"

namespace procsim::vfs {

// Bytes before d_name.
inline constexpr std::size_t kDirentHeaderSize = 8;
// MAXNAMLEN: the longest name a record can carry.
inline constexpr std::size_t kDirentNameMax = 255;

// GENERIC_DIRSIZ: the header plus the name and its NUL rounded up to a multiple of 4.
constexpr std::size_t generic_dirsiz(std::size_t namlen) {
  return kDirentHeaderSize + ((namlen + 1 + 3) & ~std::size_t{3});
}

// The names of the d_type values, in value order.
struct DirentTypeRow {
  DirentType type;
  std::string_view name;
};

inline constexpr std::array<DirentTypeRow, 9> kDirentTypeTable = {{
    {DirentType::Unknown, "DT_UNKNOWN"},
    {DirentType::Fifo, "DT_FIFO"},
    {DirentType::Chr, "DT_CHR"},
    {DirentType::Dir, "DT_DIR"},
    {DirentType::Blk, "DT_BLK"},
    {DirentType::Reg, "DT_REG"},
    {DirentType::Lnk, "DT_LNK"},
    {DirentType::Sock, "DT_SOCK"},
    {DirentType::Wht, "DT_WHT"},
}};

// "DT_DIR"; "DT_<n>" for a value without a name.
std::string dirent_type_name(DirentType type);

// One decoded record.
struct Dirent {
  std::uint32_t fileno = 0;
  std::uint16_t reclen = 0;
  DirentType type = DirentType::Unknown;
  std::string name;

  bool operator==(const Dirent&) const = default;
};

// Appends one record of `reclen` bytes (at least generic_dirsiz(name), a multiple of 4),
// padding the name area with NULs.
void append_dirent(base::Bytes& out, std::uint32_t fileno, DirentType type, std::string_view name,
                   std::size_t reclen);
// Appends one record of GENERIC_DIRSIZ bytes.
void append_generic_dirent(base::Bytes& out, std::uint32_t fileno, DirentType type, std::string_view name);

// Splits a getdirentries buffer into records. nullopt when a record is malformed (reclen
// shorter than its header and name, or running past the end).
std::optional<std::vector<Dirent>> decode_dirents(base::ByteSpan bytes);

}  // namespace procsim::vfs
