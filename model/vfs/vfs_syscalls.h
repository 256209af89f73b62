// The kernel-independent cores of the file system calls (8.3 kern/vfs_syscalls.c, vfs_vnops.c,
// sys_generic.c; the older eras where they visibly differ): open, read, write, lseek,
// getdirentries, stat, readlink, close, ioctl, access, chdir and the name-changing calls.
// Copying to and from simulated user memory, syscall numbers and restarts are the kernel's.
// No *at() variants, no chmod/chown/utimes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "model/vfs/errno.h"
#include "model/vfs/file.h"
#include "model/vfs/mount.h"
#include "model/vfs/stat.h"
#include "model/vfs/vnode.h"
#include "sim/base/bytes.h"

namespace procsim::vfs {

// Generic file ioctls (8.3 sys/sys/filio.h). <sys/ioctl.h> defines these names as macros.
inline constexpr std::uint32_t kFioclex = 0x20006601;   // _IO('f', 1): set close-on-exec
inline constexpr std::uint32_t kFionclex = 0x20006602;  // _IO('f', 2): clear close-on-exec
inline constexpr std::uint32_t kFioasync = 0x8004667d;  // _IOW('f', 125, int)
inline constexpr std::uint32_t kFionbio = 0x8004667e;   // _IOW('f', 126, int)
inline constexpr std::uint32_t kFionread = 0x4004667f;  // _IOR('f', 127, int)

// access(2) modes. <unistd.h> defines R_OK and friends as macros.
inline constexpr int kFOk = 0;
inline constexpr int kXOk = 1;
inline constexpr int kWOk = 2;
inline constexpr int kROk = 4;

// IOSIZE_MAX (INT_MAX in 8.3): a larger read, write or getdirentries count is EINVAL.
inline constexpr std::size_t kIoSizeMax = 0x7fffffff;

// vn_open(): namei plus the checks of vn_open_cred: O_CREAT creates a missing file with mode
// `cmode` (already masked by the caller's umask) and fails with EEXIST under O_EXCL; a
// symbolic link as last component (O_NOFOLLOW, or O_CREAT|O_EXCL) is EMLINK; a socket is
// EOPNOTSUPP; O_DIRECTORY on a non-directory is ENOTDIR; writing or truncating a directory is
// EISDIR; VOP_ACCESS checks the access mode of an existing file; then VOP_OPEN. `fflags` are
// f_flag bits (FFLAGS of the open flags); O_CREAT is cleared in them when the file existed and
// O_TRUNC when it was created. In 4.4BSD O_TRUNC is applied here, before VOP_OPEN.
KResult<VnodeRef> vn_open(const VfsContext& ctx, std::string_view path, OpenFlags& fflags,
                          std::uint32_t cmode);

// open(2): the lowest free descriptor is taken first (ENFILE, EMFILE before any lookup), then
// vn_open; O_SHLOCK/O_EXLOCK then ask VOP_ADVLOCK, and in 8.x O_TRUNC calls VOP_SETATTR(size 0)
// on the open file. A failure there closes the file again (VOP_CLOSE runs) and is the result:
// how 8.x procfs makes `>` fail with EOPNOTSUPP. `mode` is the caller's mode argument; the
// table's umask applies. O_ACCMODE as access mode is EINVAL.
KResult<int> kern_open(const VfsContext& ctx, FileTable& fdt, std::string_view path, OpenFlags oflags,
                       std::uint32_t mode);

// read(2)/write(2) through a descriptor: EBADF unless the file was opened for reading
// (writing); the transfer starts at the file's offset, which advances by what moved even when
// the file system then fails. O_APPEND writes to a regular file at its end. A partial transfer
// ended by EINTR, ERESTART or EWOULDBLOCK counts as success. Returns the bytes moved.
KResult<std::size_t> kern_read(const VfsContext& ctx, FileTable& fdt, int fd, base::MutableByteSpan buffer);
KResult<std::size_t> kern_write(const VfsContext& ctx, FileTable& fdt, int fd, base::ByteSpan data);
// The same on a file already in hand (fo_read/fo_write).
KResult<std::size_t> file_read(const VfsContext& ctx, File& fp, base::MutableByteSpan buffer);
KResult<std::size_t> file_write(const VfsContext& ctx, File& fp, base::ByteSpan data);

// vn_rdwr(UIO_READ): reads from a vnode at `offset` without a descriptor (exec reading a
// binary). Returns the bytes read.
KResult<std::size_t> vn_read_at(const VfsContext& ctx, Vnode& vp, std::int64_t offset,
                                base::MutableByteSpan buffer);

// lseek(2): ESPIPE for files that cannot seek; SEEK_END adds the size from getattr; EINVAL for
// another whence or a negative result (allowed on character devices); EOVERFLOW past OFF_MAX.
KResult<std::int64_t> kern_lseek(const VfsContext& ctx, FileTable& fdt, int fd, std::int64_t offset,
                                 int whence);

// getdirentries(2): EBADF unless readable; EINVAL unless a directory. `basep` is the offset
// before the call; the file's offset is left where the file system's readdir stopped.
struct DirentriesResult {
  std::size_t bytes = 0;
  std::int64_t basep = 0;
};
KResult<DirentriesResult> kern_getdirentries(const VfsContext& ctx, FileTable& fdt, int fd,
                                             base::MutableByteSpan buffer);

// stat(2) follows a final symbolic link, lstat(2) does not, fstat(2) asks the open file.
KResult<Stat> kern_stat(const VfsContext& ctx, std::string_view path);
KResult<Stat> kern_lstat(const VfsContext& ctx, std::string_view path);
KResult<Stat> kern_fstat(const VfsContext& ctx, FileTable& fdt, int fd);
// vn_stat() of a vnode.
KResult<Stat> vn_stat(const VfsContext& ctx, Vnode& vp);

// readlink(2): EINVAL unless the path names a symbolic link. Returns the bytes copied (no NUL).
KResult<std::size_t> kern_readlink(const VfsContext& ctx, std::string_view path,
                                   base::MutableByteSpan buffer);

// close(2).
KResult<void> kern_close(const VfsContext& ctx, FileTable& fdt, int fd);

// ioctl(2): EBADF for a bad descriptor or one opened with neither FREAD nor FWRITE; FIOCLEX and
// FIONCLEX change the descriptor's flag; FIONBIO and FIOASYNC set or clear the file's flag and
// are passed on; vnode files then answer as vn_ioctl: regular files and directories handle
// FIONREAD (size minus offset) and pass other commands to VOP_IOCTL, character devices pass
// everything on, every other vnode type (a revoked one is VBAD) is ENOTTY. `data` holds the
// argument the kernel copied in and receives what is copied out.
KResult<void> kern_ioctl(const VfsContext& ctx, FileTable& fdt, int fd, std::uint32_t command,
                         base::MutableByteSpan data);

// access(2): the check runs with the real user and group ids, lookup included. `amode` is
// F_OK or a mix of R_OK, W_OK and X_OK.
KResult<void> kern_access(const VfsContext& ctx, std::string_view path, int amode);

// chdir(2)/fchdir(2): the target must be a directory (ENOTDIR) with search permission.
KResult<void> kern_chdir(const VfsContext& ctx, FileTable& fdt, std::string_view path);
KResult<void> kern_fchdir(const VfsContext& ctx, FileTable& fdt, int fd);

// unlink(2): EPERM for a directory, EBUSY for a mount's root.
KResult<void> kern_unlink(const VfsContext& ctx, std::string_view path);
// mkdir(2): EEXIST if the name exists; the mode is masked by the table's umask.
KResult<void> kern_mkdir(const VfsContext& ctx, const FileTable& fdt, std::string_view path,
                         std::uint32_t mode);
// rmdir(2): EINVAL for ".", EBUSY for a mount's root.
KResult<void> kern_rmdir(const VfsContext& ctx, std::string_view path);
// symlink(2): a link named `path` whose contents are `target`.
KResult<void> kern_symlink(const VfsContext& ctx, const FileTable& fdt, std::string_view target,
                           std::string_view path);
// rename(2): EXDEV across mounts; replacing follows the file system's rules.
KResult<void> kern_rename(const VfsContext& ctx, std::string_view from, std::string_view to);

// statfs(2)/fstatfs(2).
KResult<Statfs> kern_statfs(const VfsContext& ctx, std::string_view path);
KResult<Statfs> kern_fstatfs(const VfsContext& ctx, FileTable& fdt, int fd);

}  // namespace procsim::vfs
