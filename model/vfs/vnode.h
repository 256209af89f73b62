// Vnodes: the file-system-independent handle of a file (FreeBSD's struct vnode), its attributes
// (struct vattr), the I/O request (struct uio), the vnode-operation interface each file system
// implements (struct vop_vector as a C++ class), explicit use counts (vref/vrele) and revocation
// (vgone) to a dead vnode answering as deadfs does. Locking, the buffer cache, the name cache,
// VM objects, advisory locks, kqueue and extended attributes are not modelled.
#pragma once

#include <array>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "model/vfs/errno.h"
#include "model/vfs/ucred.h"
#include "sim/base/bytes.h"

namespace procsim::vfs {

class Mount;
class Vnode;

// enum vtype (8.3 sys/sys/vnode.h), same values in every era modelled.
enum class VType : std::uint8_t { VNON, VREG, VDIR, VBLK, VCHR, VLNK, VSOCK, VFIFO, VBAD };
inline constexpr std::size_t kVTypeCount = 9;

// File types of a directory entry (sys/dirent.h DT_*). The host's <dirent.h> defines the
// DT_* names as macros, so the enumerators are spelled in words; the table gives the names.
enum class DirentType : std::uint8_t {
  Unknown = 0,
  Fifo = 1,
  Chr = 2,
  Dir = 4,
  Blk = 6,
  Reg = 8,
  Lnk = 10,
  Sock = 12,
  Wht = 14,
};

// st_mode bits (sys/stat.h). The host defines S_IF* as macros, hence the k-names.
inline constexpr std::uint32_t kSIfmt = 0170000;
inline constexpr std::uint32_t kSIfifo = 0010000;
inline constexpr std::uint32_t kSIfchr = 0020000;
inline constexpr std::uint32_t kSIfdir = 0040000;
inline constexpr std::uint32_t kSIfblk = 0060000;
inline constexpr std::uint32_t kSIfreg = 0100000;
inline constexpr std::uint32_t kSIflnk = 0120000;
inline constexpr std::uint32_t kSIfsock = 0140000;
inline constexpr std::uint32_t kSIsuid = 0004000;
inline constexpr std::uint32_t kSIsgid = 0002000;
inline constexpr std::uint32_t kSIsvtx = 0001000;    // S_ISTXT: the sticky bit
inline constexpr std::uint32_t kAllPerms = 0007777;  // ALLPERMS
inline constexpr std::uint32_t kAccessPerms = 0000777;

// Every fact about one vnode type: its name, the st_mode type bits vn_stat() reports and the
// dirent type. Row order is enum order. VNON and VBAD have no st_mode type: stat answers EBADF.
struct VTypeRow {
  VType type;
  std::string_view name;
  std::uint32_t mode_type;
  DirentType dirent_type;
};

inline constexpr std::array<VTypeRow, kVTypeCount> kVTypeTable = {{
    {VType::VNON, "VNON", 0, DirentType::Unknown},
    {VType::VREG, "VREG", kSIfreg, DirentType::Reg},
    {VType::VDIR, "VDIR", kSIfdir, DirentType::Dir},
    {VType::VBLK, "VBLK", kSIfblk, DirentType::Blk},
    {VType::VCHR, "VCHR", kSIfchr, DirentType::Chr},
    {VType::VLNK, "VLNK", kSIflnk, DirentType::Lnk},
    {VType::VSOCK, "VSOCK", kSIfsock, DirentType::Sock},
    {VType::VFIFO, "VFIFO", kSIfifo, DirentType::Fifo},
    {VType::VBAD, "VBAD", 0, DirentType::Unknown},
}};

constexpr const VTypeRow& vtype_row(VType type) { return kVTypeTable[static_cast<std::size_t>(type)]; }

// A FreeBSD dev_t (32 bits in 8.3): makedev(major, minor) = major << 8 | minor, with the major
// in bits 8..15 and the minor in the other bits (8.3 sys/sys/types.h).
constexpr std::uint32_t makedev(std::uint32_t major, std::uint32_t minor) { return (major << 8) | minor; }
constexpr std::uint32_t dev_major(std::uint32_t dev) { return (dev >> 8) & 0xff; }
constexpr std::uint32_t dev_minor(std::uint32_t dev) { return dev & 0xffff00ffU; }

// PAGE_SIZE of every architecture modelled (i386, amd64, arm64, riscv64).
inline constexpr std::uint32_t kPageSize = 4096;

// struct timespec as a value. Simulated time only; never the host's.
struct Timespec {
  std::int64_t sec = 0;
  std::int64_t nsec = 0;
  auto operator<=>(const Timespec&) const = default;
};

// NODEV: the device number of something that is not a device.
inline constexpr std::uint32_t kNodev = 0xffffffff;

// struct vattr: what VOP_GETATTR reports. `mode` holds permission bits only (07777); the type
// lives in `type`. `bytes` is the storage used (st_blocks = bytes / 512). The birth time and
// rdev start as vn_stat() presets them before asking the file system ({-1, 0} and NODEV).
struct Vattr {
  VType type = VType::VNON;
  std::uint32_t mode = 0;
  std::uint32_t nlink = 0;
  Uid uid{0};
  Gid gid{0};
  std::uint64_t size = 0;
  std::uint32_t blocksize = 0;
  std::uint64_t bytes = 0;
  std::uint64_t fileid = 0;           // the inode number
  std::optional<std::uint32_t> fsid;  // st_dev; left unset (VNOVAL), vn_stat uses the mount's
  Timespec atime;
  Timespec mtime;
  Timespec ctime;
  Timespec birthtime{-1, 0};
  std::uint32_t flags = 0;      // chflags(2) flags
  std::uint32_t rdev = kNodev;  // VCHR/VBLK: the device number
  std::uint32_t gen = 0;
};

// What VOP_SETATTR is asked to change: FreeBSD marks unchanged fields VNOVAL, here they are
// absent. procfs distinguishes a size change (O_TRUNC) from a flags change.
struct SetattrRequest {
  std::optional<std::uint32_t> mode;
  std::optional<Uid> uid;
  std::optional<Gid> gid;
  std::optional<std::uint64_t> size;
  std::optional<Timespec> atime;
  std::optional<Timespec> mtime;
  std::optional<std::uint32_t> flags;
};

// uio_rw.
enum class UioRw : std::uint8_t { Read, Write };

// struct uio with one iovec: the offset in the file, the bytes still to move (resid) and the
// caller's buffer as host memory. Copying to and from simulated user memory is the kernel's job;
// a file system moves bytes with move_out (kernel to caller, reads) and move_in (writes).
class Uio {
 public:
  static Uio for_read(base::MutableByteSpan buffer, std::int64_t offset);
  static Uio for_write(base::ByteSpan data, std::int64_t offset);

  UioRw rw() const { return m_rw; }
  std::int64_t offset() const { return m_offset; }
  // File systems with their own offset rules (procfs regs resets it, readdir cookies) set it.
  void set_offset(std::int64_t offset) { m_offset = offset; }
  std::size_t resid() const { return m_resid; }
  std::size_t transferred() const { return m_length - m_resid; }

  // uiomove() for a read: copies up to resid bytes of `source` to the caller and advances the
  // offset. Returns the number of bytes moved.
  std::size_t move_out(base::ByteSpan source);
  // uiomove() for a write: hands out the next `count` (at most resid) bytes the caller wrote and
  // advances the offset.
  base::ByteSpan move_in(std::size_t count);
  // Shortens the request (ufs_readdir trims it to a block boundary). `resid` must not grow.
  void limit_resid(std::size_t resid);

 private:
  Uio(UioRw rw, std::uint8_t* read_base, const std::uint8_t* write_base, std::size_t length,
      std::int64_t offset);

  UioRw m_rw;
  std::uint8_t* m_read_base;
  const std::uint8_t* m_write_base;
  std::size_t m_length;
  std::size_t m_resid;
  std::int64_t m_offset;
};

// ioflag bits of VOP_READ/VOP_WRITE (8.3 sys/sys/vnode.h).
using IoFlags = std::uint32_t;
inline constexpr IoFlags kIoAppend = 0x0002;  // IO_APPEND: write at end of file
inline constexpr IoFlags kIoNdelay = 0x0004;  // IO_NDELAY: FNONBLOCK is set on the file

// cn_nameiop: what the path lookup is for. File systems answer CREATE/DELETE/RENAME on their
// own terms (procfs: EROFS in 4.x, EOPNOTSUPP in 8.x).
enum class NameiOp : std::uint8_t { Lookup, Create, Delete, Rename };

// struct componentname: one path component and the lookup's intent. `op` is the operation of
// the whole namei() call, as in FreeBSD; file systems act on it only when `is_last` is set.
struct ComponentName {
  NameiOp op = NameiOp::Lookup;
  std::string_view name;
  bool is_last = false;         // ISLASTCN
  bool is_dotdot = false;       // ISDOTDOT
  bool trailing_slash = false;  // TRAILINGSLASH
};

// Who is asking and when: the credentials, the process's root and current directories, the pid
// of the calling process (procfs's curproc resolves to it), the era whose rules apply and the
// simulated time of day (getattr of procfs nodes reports it; created files take it).
struct VfsContext {
  const Ucred& cred;
  Vnode* root = nullptr;  // fd_rdir: where "/" and ".." stop; never null during a lookup
  Vnode* cwd = nullptr;   // fd_cdir: where relative paths start
  std::int64_t caller_pid = 0;
  Era era = Era::FreeBSD8;
  Timespec now;
};

// What a file system wants done with a vnode whose last use reference went away.
enum class InactiveAction : std::uint8_t { Keep, Recycle };

// struct vop_vector: the vnode operations of one file system. Every default answers as FreeBSD
// 8.3's default_vnodeops does (kern/vfs_default.c): lookup ENOTDIR (vop_nolookup); open, close
// and inactive succeed doing nothing (VOP_NULL); ioctl ENOTTY; readlink EINVAL; every operation
// the table does not list (create, mkdir, symlink, mknod, remove, rmdir, rename, getattr,
// setattr, read, write, readdir) EOPNOTSUPP (the vop_bypass). FreeBSD has no usable default for
// access (every file system must supply one); the default here is what ufs and pseudofs do:
// vaccess() on the mode, owner and group getattr reports.
class VnodeOps {
 public:
  virtual ~VnodeOps() = default;

  // VOP_LOOKUP: one component in directory `dvp`. Success returns a vnode with a use reference
  // for the caller. A missing last component of a CREATE or RENAME lookup answers EJUSTRETURN
  // (the name may be created); "." and ".." are passed through like other names.
  virtual KResult<Vnode*> lookup(Vnode& dvp, const ComponentName& cnp, const VfsContext& ctx);
  virtual KResult<Vnode*> create(Vnode& dvp, const ComponentName& cnp, const Vattr& vap,
                                 const VfsContext& ctx);
  virtual KResult<Vnode*> mkdir(Vnode& dvp, const ComponentName& cnp, const Vattr& vap,
                                const VfsContext& ctx);
  virtual KResult<Vnode*> symlink(Vnode& dvp, const ComponentName& cnp, const Vattr& vap,
                                  std::string_view target, const VfsContext& ctx);
  virtual KResult<void> remove(Vnode& dvp, Vnode& vp, const ComponentName& cnp, const VfsContext& ctx);
  virtual KResult<void> rmdir(Vnode& dvp, Vnode& vp, const ComponentName& cnp, const VfsContext& ctx);
  // `tvp` is the vnode the target name already refers to, or null.
  virtual KResult<void> rename(Vnode& fdvp, Vnode& fvp, const ComponentName& fcnp, Vnode& tdvp, Vnode* tvp,
                               const ComponentName& tcnp, const VfsContext& ctx);
  // `fflags` are the file's f_flag bits (FREAD, FWRITE, O_APPEND, ...).
  virtual KResult<void> open(Vnode& vp, std::uint32_t fflags, const VfsContext& ctx);
  virtual KResult<void> close(Vnode& vp, std::uint32_t fflags, const VfsContext& ctx);
  virtual KResult<void> access(Vnode& vp, Accmode accmode, const VfsContext& ctx);
  virtual KResult<Vattr> getattr(Vnode& vp, const VfsContext& ctx);
  virtual KResult<void> setattr(Vnode& vp, const SetattrRequest& request, const VfsContext& ctx);
  virtual KResult<void> read(Vnode& vp, Uio& uio, IoFlags ioflag, const VfsContext& ctx);
  virtual KResult<void> write(Vnode& vp, Uio& uio, IoFlags ioflag, const VfsContext& ctx);
  // `data` is the kernel copy of the ioctl argument, sized by the command's IOCPARM_LEN.
  virtual KResult<void> ioctl(Vnode& vp, std::uint32_t command, base::MutableByteSpan data,
                              std::uint32_t fflags, const VfsContext& ctx);
  // getdirentries semantics: records are written with uio.move_out() starting at uio.offset(),
  // whose meaning (a byte offset, an entry index times a record size) the file system decides;
  // it leaves uio.offset() where the next call continues.
  virtual KResult<void> readdir(Vnode& vp, Uio& uio, const VfsContext& ctx);
  virtual KResult<void> readlink(Vnode& vp, Uio& uio, const VfsContext& ctx);
  // VOP_ADVLOCK for open(2)'s O_SHLOCK/O_EXLOCK. Locks are not modelled: the default grants
  // every request, as an uncontended vop_stdadvlock does; pseudofs refuses with EOPNOTSUPP.
  virtual KResult<void> advlock(Vnode& vp, bool exclusive, const VfsContext& ctx);
  // The last use reference is gone. Recycle asks for reclaim and release of the vnode; the hook
  // itself must neither take references nor revoke the vnode.
  virtual InactiveAction inactive(Vnode& vp);
  // The vnode is leaving the file system (recycled or revoked): drop every pointer to it.
  virtual void reclaim(Vnode& vp);
};

// struct vnode. Owned by its Mount (the file system instance); use references are counted
// explicitly: every holder of a Vnode* that may outlive the current call owns one (a VnodeRef,
// or a vref() paired with a vrele()). A revoked vnode (vgone) keeps its identity and use count
// but has type VBAD and answers every operation as deadfs.
class Vnode {
 public:
  Vnode(const Vnode&) = delete;
  Vnode& operator=(const Vnode&) = delete;
  ~Vnode();

  // Allocation order within the Vfs: a stable identity for traces, never an address.
  std::uint64_t serial() const { return m_serial; }
  VType type() const { return m_type; }
  Mount& mount() const { return *m_mount; }
  // v_usecount: the references held by descriptors, namei results and directories in use.
  std::uint32_t usecount() const { return m_usecount; }
  bool is_dead() const { return m_ops == nullptr; }
  // The operations table; null once revoked. Call operations through the vop_* functions.
  VnodeOps* ops() const { return m_ops; }

  // File-system private data (v_data): procfs packs (node, pid), memfs the inode number.
  std::uint64_t fs_data() const { return m_fs_data; }
  void set_fs_data(std::uint64_t data) { m_fs_data = data; }

  // VV_ROOT: the root directory of its mount. Set by the mount.
  bool is_root() const { return m_is_root; }
  // VV_ISTTY: a terminal; a revoked terminal reads as end of file instead of EIO.
  bool is_tty() const { return m_is_tty; }
  void set_tty(bool is_tty) { m_is_tty = is_tty; }
  // v_mountedhere: the file system mounted on this directory, or null.
  Mount* mounted_here() const { return m_mounted_here; }

 private:
  friend class Mount;
  friend void vrele(Vnode& vp);
  friend void vref(Vnode& vp);
  friend void vgone(Vnode& vp);

  Vnode(Mount& mount, std::uint64_t serial, VType type, VnodeOps& ops, std::uint64_t fs_data);

  Mount* m_mount;
  std::uint64_t m_serial;
  VType m_type;
  VnodeOps* m_ops;
  std::uint64_t m_fs_data;
  std::uint32_t m_usecount = 0;
  bool m_is_root = false;
  bool m_is_tty = false;
  Mount* m_mounted_here = nullptr;
};

// vref(): one more use reference.
void vref(Vnode& vp);
// vrele(): drops a use reference. At zero a dead vnode is freed; a live one gets VOP_INACTIVE
// and, if its file system asks, is reclaimed and freed. `vp` may be gone when this returns.
void vrele(Vnode& vp);
// vgone(): revokes the vnode. Its file system reclaims it (VOP_RECLAIM) and forgets it; the
// vnode becomes VBAD with deadfs operations. Holders keep their references and see deadfs
// answers; a vnode nobody references is freed at once.
void vgone(Vnode& vp);

// One owned use reference, released on destruction: the safe way to hold a Vnode*.
class VnodeRef {
 public:
  VnodeRef() = default;
  VnodeRef(const VnodeRef&) = delete;
  VnodeRef& operator=(const VnodeRef&) = delete;
  VnodeRef(VnodeRef&& other) noexcept : m_vnode(other.m_vnode) { other.m_vnode = nullptr; }
  VnodeRef& operator=(VnodeRef&& other) noexcept;
  ~VnodeRef() { reset(); }

  // Takes over a reference the caller already holds (a lookup result).
  static VnodeRef adopt(Vnode& vp);
  // Takes a new reference (vref).
  static VnodeRef acquire(Vnode& vp);

  Vnode* get() const { return m_vnode; }
  Vnode& operator*() const;
  Vnode* operator->() const;
  explicit operator bool() const { return m_vnode != nullptr; }
  // A second reference to the same vnode.
  VnodeRef share() const;
  // vrele()s the reference, if any.
  void reset();
  // Gives up ownership without vrele(): the caller now holds the reference.
  Vnode* release();

 private:
  Vnode* m_vnode = nullptr;
};

// The VOP_* entry points. A revoked vnode answers as deadfs (8.3 fs/deadfs/dead_vnops.c):
// lookup ENOTDIR, open ENXIO, read EIO (end of file for a terminal), write EIO, getattr,
// setattr, access, ioctl, readdir, readlink and advlock EBADF, close succeeds; create, mkdir, symlink,
// remove, rmdir and rename never reach a dead directory (namei fails first) and assert.
KResult<VnodeRef> vop_lookup(Vnode& dvp, const ComponentName& cnp, const VfsContext& ctx);
KResult<VnodeRef> vop_create(Vnode& dvp, const ComponentName& cnp, const Vattr& vap, const VfsContext& ctx);
KResult<VnodeRef> vop_mkdir(Vnode& dvp, const ComponentName& cnp, const Vattr& vap, const VfsContext& ctx);
KResult<VnodeRef> vop_symlink(Vnode& dvp, const ComponentName& cnp, const Vattr& vap, std::string_view target,
                              const VfsContext& ctx);
KResult<void> vop_remove(Vnode& dvp, Vnode& vp, const ComponentName& cnp, const VfsContext& ctx);
KResult<void> vop_rmdir(Vnode& dvp, Vnode& vp, const ComponentName& cnp, const VfsContext& ctx);
KResult<void> vop_rename(Vnode& fdvp, Vnode& fvp, const ComponentName& fcnp, Vnode& tdvp, Vnode* tvp,
                         const ComponentName& tcnp, const VfsContext& ctx);
KResult<void> vop_open(Vnode& vp, std::uint32_t fflags, const VfsContext& ctx);
KResult<void> vop_close(Vnode& vp, std::uint32_t fflags, const VfsContext& ctx);
KResult<void> vop_access(Vnode& vp, Accmode accmode, const VfsContext& ctx);
KResult<Vattr> vop_getattr(Vnode& vp, const VfsContext& ctx);
KResult<void> vop_setattr(Vnode& vp, const SetattrRequest& request, const VfsContext& ctx);
KResult<void> vop_read(Vnode& vp, Uio& uio, IoFlags ioflag, const VfsContext& ctx);
KResult<void> vop_write(Vnode& vp, Uio& uio, IoFlags ioflag, const VfsContext& ctx);
KResult<void> vop_ioctl(Vnode& vp, std::uint32_t command, base::MutableByteSpan data, std::uint32_t fflags,
                        const VfsContext& ctx);
KResult<void> vop_readdir(Vnode& vp, Uio& uio, const VfsContext& ctx);
KResult<void> vop_readlink(Vnode& vp, Uio& uio, const VfsContext& ctx);
KResult<void> vop_advlock(Vnode& vp, bool exclusive, const VfsContext& ctx);

// vaccess() on the attributes a vnode reports: the check most file systems' VOP_ACCESS makes.
KResult<void> vaccess_vattr(const Vattr& vap, Accmode accmode, const Ucred& cred);

}  // namespace procsim::vfs
