// vn_stat() (8.3 kern/vfs_vnops.c) and the struct stat byte layouts. Offsets follow from the
// 8.3 field list with i386 alignment (4-byte time_t, long and off_t alignment) and LP64
// alignment (8-byte time_t and long).
#include "model/vfs/stat.h"

#include <algorithm>
#include <limits>

#include "sim/base/assert.h"

namespace procsim::vfs {

namespace {

// Where the fields after st_rdev start: the three timespecs, then the 64-bit counts.
struct StatLayout {
  std::size_t size;
  std::size_t timespec_size;  // time_t + long
  std::size_t atime_offset;
};

constexpr StatLayout kI386Layout = {96, 8, 24};
constexpr StatLayout kLp64Layout = {120, 16, 24};

const StatLayout& layout_of(StatAbi abi) { return abi == StatAbi::I386 ? kI386Layout : kLp64Layout; }

void put_timespec(base::MutableByteSpan out, std::size_t offset, const Timespec& ts,
                  const StatLayout& layout) {
  if (layout.timespec_size == 8) {
    base::store_le<std::int32_t>(out, offset, static_cast<std::int32_t>(ts.sec));
    base::store_le<std::int32_t>(out, offset + 4, static_cast<std::int32_t>(ts.nsec));
    return;
  }
  PROCSIM_ASSERT(layout.timespec_size == 16);
  base::store_le<std::int64_t>(out, offset, ts.sec);
  base::store_le<std::int64_t>(out, offset + 8, ts.nsec);
}

}  // namespace

KResult<Stat> vattr_to_stat(const Vattr& vap, Era era, const Ucred& cred) {
  std::uint32_t mode_type = vtype_row(vap.type).mode_type;
  if (mode_type == 0) return base::fail(Errno::Ebadf);
  if (vap.size > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
    return base::fail(Errno::Eoverflow);
  }
  Stat sb;
  sb.dev = vap.fsid.value_or(0);
  sb.ino = static_cast<std::uint32_t>(vap.fileid);
  sb.mode = static_cast<std::uint16_t>(mode_type | (vap.mode & kAllPerms));
  sb.nlink = static_cast<std::uint16_t>(std::min<std::uint32_t>(vap.nlink, UINT16_MAX));
  sb.uid = vap.uid;
  sb.gid = vap.gid;
  sb.rdev = vap.rdev;
  sb.atime = vap.atime;
  sb.mtime = vap.mtime;
  sb.ctime = vap.ctime;
  sb.size = static_cast<std::int64_t>(vap.size);
  sb.blocks = static_cast<std::int64_t>(vap.bytes / kStatBlockSize);
  sb.flags = vap.flags;
  sb.gen = cred.uid == kRootUid ? vap.gen : 0;
  if (era == Era::FreeBSD8) {
    // 8.3 reports at least PAGE_SIZE (devices report no block size of their own).
    sb.blksize = std::max(kPageSize, vap.blocksize);
    sb.birthtime = vap.birthtime;
  } else {
    sb.blksize = vap.blocksize;
  }
  PROCSIM_ASSERT((sb.mode & kSIfmt) == mode_type);
  return sb;
}

std::size_t stat_size(StatAbi abi) { return layout_of(abi).size; }

base::Bytes encode_stat(const Stat& sb, StatAbi abi) {
  const StatLayout& layout = layout_of(abi);
  base::Bytes bytes(layout.size, 0);
  base::MutableByteSpan out(bytes);
  base::store_le<std::uint32_t>(out, 0, sb.dev);
  base::store_le<std::uint32_t>(out, 4, sb.ino);
  base::store_le<std::uint16_t>(out, 8, sb.mode);
  base::store_le<std::uint16_t>(out, 10, sb.nlink);
  base::store_le<std::uint32_t>(out, 12, sb.uid.value());
  base::store_le<std::uint32_t>(out, 16, sb.gid.value());
  base::store_le<std::uint32_t>(out, 20, sb.rdev);
  std::size_t offset = layout.atime_offset;
  put_timespec(out, offset, sb.atime, layout);
  put_timespec(out, offset + layout.timespec_size, sb.mtime, layout);
  put_timespec(out, offset + 2 * layout.timespec_size, sb.ctime, layout);
  offset += 3 * layout.timespec_size;
  base::store_le<std::int64_t>(out, offset, sb.size);
  base::store_le<std::int64_t>(out, offset + 8, sb.blocks);
  base::store_le<std::uint32_t>(out, offset + 16, sb.blksize);
  base::store_le<std::uint32_t>(out, offset + 20, sb.flags);
  base::store_le<std::uint32_t>(out, offset + 24, sb.gen);
  // st_lspare stays zero; the birth time follows, then padding to the full size.
  put_timespec(out, offset + 32, sb.birthtime, layout);
  PROCSIM_ASSERT(offset + 32 + layout.timespec_size <= layout.size);
  PROCSIM_ASSERT(bytes.size() == layout.size);
  return bytes;
}

}  // namespace procsim::vfs
