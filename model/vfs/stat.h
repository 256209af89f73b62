// struct stat as a value, vn_stat()'s conversion from vnode attributes, and the byte layout of
// FreeBSD's struct stat for the two ABIs procsim runs (i386: 32-bit time_t and long, 96 bytes;
// LP64 amd64/arm64/riscv64: 120 bytes). The layout is 8.3's (sys/sys/stat.h); 4.4BSD and
// FreeBSD 4 have the same offsets with spare words where 8.3 keeps the birth time.
// ostat/nstat (the compat layouts) are not modelled.
#pragma once

#include <cstddef>
#include <cstdint>

#include "model/vfs/errno.h"
#include "model/vfs/ucred.h"
#include "model/vfs/vnode.h"
#include "sim/base/bytes.h"

namespace procsim::vfs {

// S_BLKSIZE: the unit of st_blocks.
inline constexpr std::uint64_t kStatBlockSize = 512;

// struct stat, field for field. `mode` and `nlink` are 16 bits wide in the ABI.
struct Stat {
  std::uint32_t dev = 0;  // st_dev
  std::uint32_t ino = 0;  // st_ino (32 bits in every era modelled)
  std::uint16_t mode = 0;
  std::uint16_t nlink = 0;
  Uid uid{0};
  Gid gid{0};
  std::uint32_t rdev = 0;
  Timespec atime;
  Timespec mtime;
  Timespec ctime;
  std::int64_t size = 0;
  std::int64_t blocks = 0;  // in units of kStatBlockSize
  std::uint32_t blksize = 0;
  std::uint32_t flags = 0;
  std::uint32_t gen = 0;
  Timespec birthtime;  // 8.3 only; zero (the spare words) in older eras

  bool operator==(const Stat&) const = default;
};

// vn_stat(): the stat of a vnode from its attributes. A type without st_mode bits (VNON, VBAD)
// is EBADF; a size beyond OFF_MAX is EOVERFLOW. st_blksize is max(PAGE_SIZE, va_blocksize) in
// 8.3 and va_blocksize before; st_gen is shown to root only (PRIV_VFS_GENERATION).
KResult<Stat> vattr_to_stat(const Vattr& vap, Era era, const Ucred& cred);

// The ABI a struct stat is encoded for.
enum class StatAbi : std::uint8_t { I386, Lp64 };

// sizeof(struct stat): 96 on i386, 120 on LP64.
std::size_t stat_size(StatAbi abi);

// The little-endian bytes of a struct stat as the kernel copies it out.
base::Bytes encode_stat(const Stat& sb, StatAbi abi);

}  // namespace procsim::vfs
