// The file system calls (8.3 kern/vfs_syscalls.c, sys_generic.c, kern_descrip.c): the user
// boundary of the VFS cores in vfs_syscalls.h. Paths are copied in with copyinstr's limits,
// buffers and structures with copyin/copyout (EFAULT), in the order FreeBSD checks them.
// Structures are the LP64 (amd64) layouts. Transfers are capped at kMaxIoBytes per call (a
// short count), a limit on host memory; *at() calls, pipes and sockets are not modelled here.
#include <algorithm>
#include <string>

#include "model/kern/sys_handlers.h"
#include "model/vfs/namei.h"
#include "model/vfs/vfs_syscalls.h"
#include "sim/base/assert.h"

namespace procsim::kern {

namespace {

// The most bytes one read, write, readlink or getdirentries moves.
constexpr std::size_t kMaxIoBytes = std::size_t{1} << 20;
// Pages are read one at a time while looking for a path's NUL, as copyinstr faults per page.
constexpr std::uint64_t kCopyinstrChunk = 4096;

// fcntl(2) commands and FD_CLOEXEC (8.3 sys/sys/fcntl.h).
constexpr std::int32_t kFDupfd = 0;
constexpr std::int32_t kFGetfd = 1;
constexpr std::int32_t kFSetfd = 2;
constexpr std::int32_t kFGetfl = 3;
constexpr std::int32_t kFSetfl = 4;
constexpr std::uint64_t kFdCloexec = 1;

// ioctl command encoding (8.3 sys/sys/ioccom.h).
constexpr std::uint32_t kIocVoid = 0x20000000;
constexpr std::uint32_t kIocOut = 0x40000000;
constexpr std::uint32_t kIocIn = 0x80000000;
constexpr std::uint32_t kIocparmMask = 0x1fff;
constexpr std::size_t kIocparmMax = 1 << 13;

std::size_t io_count(const SyscallRequest& request, std::size_t index) {
  return static_cast<std::size_t>(std::min<std::uint64_t>(request.args[index], kMaxIoBytes));
}

// read(2)'s and write(2)'s EINVAL: a count above IOSIZE_MAX.
vfs::KResult<void> check_io_size(const SyscallRequest& request, std::size_t index) {
  if (request.args[index] > vfs::kIoSizeMax) return base::fail(vfs::Errno::Einval);
  return {};
}

struct FileCall {
  vfs::VfsContext ctx;
  vfs::FileTable& fdt;
};

FileCall file_call(Kernel& kernel, Thread& td) {
  Proc& p = td.proc();
  vfs::FileTable& fdt = kernel.fdtable(p);
  return FileCall{kernel.vfs_context(p), fdt};
}

// Reads into a kernel buffer, then copies out. A bad buffer gives EFAULT with the file's offset
// where it was, as a uiomove that failed on its first byte leaves it.
template <typename Transfer>
vfs::KResult<std::size_t> read_out(Kernel& kernel, Thread& td, vfs::File* fp, UserAddr buffer,
                                   std::size_t count, Transfer transfer) {
  std::int64_t offset_before = fp != nullptr ? fp->offset() : 0;
  base::Bytes bytes(count);
  std::size_t moved = TRY(transfer(base::MutableByteSpan(bytes)));
  PROCSIM_ASSERT(moved <= count);
  if (kernel.copyout(td, buffer, base::ByteSpan(bytes).first(moved)).is_error()) {
    if (fp != nullptr) fp->set_offset(offset_before);
    return base::fail(vfs::Errno::Efault);
  }
  return moved;
}

vfs::KResult<void> copyout_stat(Kernel& kernel, Thread& td, UserAddr addr, const vfs::Stat& sb) {
  base::Bytes bytes = vfs::encode_stat(sb, vfs::StatAbi::Lp64);
  PROCSIM_ASSERT(bytes.size() == vfs::stat_size(vfs::StatAbi::Lp64));
  return kernel.copyout(td, addr, bytes);
}

}  // namespace

// ---- Kernel services the handlers share -------------------------------------------------

vfs::Timespec Kernel::time_of_day() const {
  sim::Timeval now = m_engine.clock().time_of_day();
  return vfs::Timespec{now.sec, now.usec * 1000};
}

vfs::VfsContext Kernel::vfs_context(const Proc& p) const {
  PROCSIM_ASSERT_MSG(p.fd != nullptr, "file operations need a descriptor table");
  PROCSIM_ASSERT(p.fd->rdir() != nullptr && p.fd->cdir() != nullptr);
  return vfs::VfsContext{p.cred, p.fd->rdir(), p.fd->cdir(), p.pid().value(), m_config.era, time_of_day()};
}

vfs::FileTable& Kernel::fdtable(Proc& p) {
  PROCSIM_ASSERT_MSG(p.fd != nullptr, "file operations need a descriptor table");
  std::uint64_t limit =
      std::min<std::uint64_t>(p.limits.get(Rlimit::Nofile).cur, m_config.params.maxfilesperproc);
  p.fd->set_fd_limit(limit);
  return *p.fd;
}

vfs::KResult<std::string> Kernel::copyin_path(Thread& td, UserAddr addr) {
  std::string path;
  std::uint64_t at = addr.value();
  while (path.size() < vfs::kPathMax) {
    std::uint64_t chunk = kCopyinstrChunk - at % kCopyinstrChunk;
    chunk = std::min<std::uint64_t>(chunk, vfs::kPathMax - path.size());
    base::Bytes bytes(static_cast<std::size_t>(chunk));
    TRY(copyin(td, UserAddr(at), bytes));
    auto nul = std::find(bytes.begin(), bytes.end(), std::uint8_t{0});
    path.append(bytes.begin(), nul);
    if (nul != bytes.end()) return path;
    at += chunk;
  }
  PROCSIM_ASSERT(path.size() == vfs::kPathMax);
  return base::fail(vfs::Errno::Enametoolong);
}

// ---- Descriptors ----------------------------------------------------------------------------

// open(2): falloc's ENFILE and EMFILE come before the lookup, so before the path's EFAULT too.
vfs::KResult<SyscallReturn> sys_open(Kernel& kernel, Thread& td, const SyscallRequest& request) {
  FileCall call = file_call(kernel, td);
  vfs::KResult<std::string> path = kernel.copyin_path(td, arg_ptr(request, 0));
  if (path.is_error()) {
    vfs::FileRegistry& registry = call.fdt.registry();
    if (registry.open_count() >= registry.maxfiles()) return base::fail(vfs::Errno::Enfile);
    TRY(call.fdt.lowest_free());
    return base::fail(path.error());
  }
  int fd = TRY(vfs::kern_open(call.ctx, call.fdt, path.value(), arg_uint(request, 1), arg_uint(request, 2)));
  return ret(fd);
}

vfs::KResult<SyscallReturn> sys_close(Kernel& kernel, Thread& td, const SyscallRequest& request) {
  FileCall call = file_call(kernel, td);
  TRY(vfs::kern_close(call.ctx, call.fdt, arg_int(request, 0)));
  return ret(0);
}

vfs::KResult<SyscallReturn> sys_dup(Kernel& kernel, Thread& td, const SyscallRequest& request) {
  FileCall call = file_call(kernel, td);
  return ret(TRY(call.fdt.dup(arg_int(request, 0))));
}

vfs::KResult<SyscallReturn> sys_dup2(Kernel& kernel, Thread& td, const SyscallRequest& request) {
  FileCall call = file_call(kernel, td);
  return ret(TRY(call.fdt.dup2(arg_int(request, 0), arg_int(request, 1), call.ctx)));
}

// fcntl(2): F_DUPFD, F_GETFD/F_SETFD (FD_CLOEXEC), F_GETFL/F_SETFL (only FCNTLFLAGS change).
// Locking commands are EINVAL here, as an unknown command is.
vfs::KResult<SyscallReturn> sys_fcntl(Kernel& kernel, Thread& td, const SyscallRequest& request) {
  FileCall call = file_call(kernel, td);
  int fd = arg_int(request, 0);
  std::uint64_t arg = request.args[2];
  switch (arg_int(request, 1)) {
    case kFDupfd: return ret(TRY(call.fdt.dup_at_least(fd, arg_int(request, 2))));
    case kFGetfd: return ret(TRY(call.fdt.close_on_exec(fd)) ? 1 : 0);
    case kFSetfd: TRY(call.fdt.set_close_on_exec(fd, (arg & kFdCloexec) != 0)); return ret(0);
    case kFGetfl: {
      vfs::File* fp = TRY(call.fdt.get(fd));
      return ret(vfs::oflags_from_fflags(fp->flags()));
    }
    case kFSetfl: {
      vfs::File* fp = TRY(call.fdt.get(fd));
      vfs::OpenFlags wanted = vfs::fflags_from_oflags(static_cast<vfs::OpenFlags>(arg)) & vfs::kFcntlFlags;
      fp->set_flags((fp->flags() & ~vfs::kFcntlFlags) | wanted);
      return ret(0);
    }
    default: TRY(call.fdt.get(fd)); return base::fail(vfs::Errno::Einval);
  }
}

// ---- Transfers --------------------------------------------------------------------------------

vfs::KResult<SyscallReturn> sys_read(Kernel& kernel, Thread& td, const SyscallRequest& request) {
  FileCall call = file_call(kernel, td);
  TRY(check_io_size(request, 2));
  int fd = arg_int(request, 0);
  vfs::File* fp = TRY(call.fdt.get(fd));
  std::size_t moved = TRY(
      read_out(kernel, td, fp, arg_ptr(request, 1), io_count(request, 2),
               [&](base::MutableByteSpan buffer) { return vfs::kern_read(call.ctx, call.fdt, fd, buffer); }));
  return ret(static_cast<std::int64_t>(moved));
}

// write(2): EBADF (not open, or not for writing) before the buffer's EFAULT.
vfs::KResult<SyscallReturn> sys_write(Kernel& kernel, Thread& td, const SyscallRequest& request) {
  FileCall call = file_call(kernel, td);
  TRY(check_io_size(request, 2));
  int fd = arg_int(request, 0);
  vfs::File* fp = TRY(call.fdt.get(fd));
  if ((fp->flags() & vfs::kFWrite) == 0) return base::fail(vfs::Errno::Ebadf);
  base::Bytes data(io_count(request, 2));
  TRY(kernel.copyin(td, arg_ptr(request, 1), data));
  return ret(static_cast<std::int64_t>(TRY(vfs::kern_write(call.ctx, call.fdt, fd, data))));
}

vfs::KResult<SyscallReturn> sys_lseek(Kernel& kernel, Thread& td, const SyscallRequest& request) {
  FileCall call = file_call(kernel, td);
  auto offset = static_cast<std::int64_t>(request.args[1]);
  return ret(TRY(vfs::kern_lseek(call.ctx, call.fdt, arg_int(request, 0), offset, arg_int(request, 2))));
}

// getdirentries(2) and getdents(2): *basep (when asked for) receives the offset the read
// started at.
static vfs::KResult<SyscallReturn> read_directory(Kernel& kernel, Thread& td, const SyscallRequest& request,
                                                  UserAddr basep_addr) {
  FileCall call = file_call(kernel, td);
  int fd = arg_int(request, 0);
  vfs::File* fp = TRY(call.fdt.get(fd));
  std::int64_t basep = 0;
  auto transfer = [&](base::MutableByteSpan buffer) -> vfs::KResult<std::size_t> {
    vfs::DirentriesResult result = TRY(vfs::kern_getdirentries(call.ctx, call.fdt, fd, buffer));
    basep = result.basep;
    return result.bytes;
  };
  std::size_t moved = TRY(read_out(kernel, td, fp, arg_ptr(request, 1), io_count(request, 2), transfer));
  if (!is_null(basep_addr)) {
    std::array<std::uint8_t, 8> raw{};
    base::store_le<std::int64_t>(raw, 0, basep);
    TRY(kernel.copyout(td, basep_addr, raw));
  }
  return ret(static_cast<std::int64_t>(moved));
}

vfs::KResult<SyscallReturn> sys_getdirentries(Kernel& kernel, Thread& td, const SyscallRequest& request) {
  return read_directory(kernel, td, request, arg_ptr(request, 3));
}

vfs::KResult<SyscallReturn> sys_getdents(Kernel& kernel, Thread& td, const SyscallRequest& request) {
  return read_directory(kernel, td, request, UserAddr(0));
}

vfs::KResult<SyscallReturn> sys_readlink(Kernel& kernel, Thread& td, const SyscallRequest& request) {
  FileCall call = file_call(kernel, td);
  std::string path = TRY(kernel.copyin_path(td, arg_ptr(request, 0)));
  std::size_t moved =
      TRY(read_out(kernel, td, nullptr, arg_ptr(request, 1), io_count(request, 2),
                   [&](base::MutableByteSpan buffer) { return vfs::kern_readlink(call.ctx, path, buffer); }));
  return ret(static_cast<std::int64_t>(moved));
}

// ioctl(2): the command's encoding is checked first (ENOTTY), then its argument is copied in
// (EFAULT), then the descriptor is looked at; an _IOR command's result is copied out.
vfs::KResult<SyscallReturn> sys_ioctl(Kernel& kernel, Thread& td, const SyscallRequest& request) {
  FileCall call = file_call(kernel, td);
  std::uint32_t command = arg_uint(request, 1);
  std::size_t size = (command >> 16) & kIocparmMask;
  bool direction_ok = (command & (kIocVoid | kIocIn | kIocOut)) != 0;
  if (size > kIocparmMax || !direction_ok || ((command & kIocVoid) != 0 && size > 0 && size != 4)) {
    return base::fail(vfs::Errno::Enotty);
  }
  base::Bytes data(size);
  UserAddr addr = arg_ptr(request, 2);
  if ((command & kIocIn) != 0 && size > 0) TRY(kernel.copyin(td, addr, data));
  // 8.3 kern_ioctl: a void command's argument is the value itself (_IOWINT: an int; the old _IO
  // form: the pointer word), which the file sees as its data.
  if ((command & kIocVoid) != 0) {
    data.assign(8, 0);
    base::store_le<std::uint64_t>(data, 0, request.args[2]);
  }
  TRY(vfs::kern_ioctl(call.ctx, call.fdt, arg_int(request, 0), command, data));
  if ((command & kIocOut) != 0 && size > 0) TRY(kernel.copyout(td, addr, data));
  return ret(0);
}

// ---- Names -----------------------------------------------------------------------------------

vfs::KResult<SyscallReturn> sys_stat(Kernel& kernel, Thread& td, const SyscallRequest& request) {
  FileCall call = file_call(kernel, td);
  std::string path = TRY(kernel.copyin_path(td, arg_ptr(request, 0)));
  vfs::Stat sb = TRY(vfs::kern_stat(call.ctx, path));
  TRY(copyout_stat(kernel, td, arg_ptr(request, 1), sb));
  return ret(0);
}

vfs::KResult<SyscallReturn> sys_lstat(Kernel& kernel, Thread& td, const SyscallRequest& request) {
  FileCall call = file_call(kernel, td);
  std::string path = TRY(kernel.copyin_path(td, arg_ptr(request, 0)));
  vfs::Stat sb = TRY(vfs::kern_lstat(call.ctx, path));
  TRY(copyout_stat(kernel, td, arg_ptr(request, 1), sb));
  return ret(0);
}

vfs::KResult<SyscallReturn> sys_fstat(Kernel& kernel, Thread& td, const SyscallRequest& request) {
  FileCall call = file_call(kernel, td);
  vfs::Stat sb = TRY(vfs::kern_fstat(call.ctx, call.fdt, arg_int(request, 0)));
  TRY(copyout_stat(kernel, td, arg_ptr(request, 1), sb));
  return ret(0);
}

vfs::KResult<SyscallReturn> sys_access(Kernel& kernel, Thread& td, const SyscallRequest& request) {
  FileCall call = file_call(kernel, td);
  std::string path = TRY(kernel.copyin_path(td, arg_ptr(request, 0)));
  TRY(vfs::kern_access(call.ctx, path, arg_int(request, 1)));
  return ret(0);
}

vfs::KResult<SyscallReturn> sys_chdir(Kernel& kernel, Thread& td, const SyscallRequest& request) {
  FileCall call = file_call(kernel, td);
  std::string path = TRY(kernel.copyin_path(td, arg_ptr(request, 0)));
  TRY(vfs::kern_chdir(call.ctx, call.fdt, path));
  return ret(0);
}

vfs::KResult<SyscallReturn> sys_fchdir(Kernel& kernel, Thread& td, const SyscallRequest& request) {
  FileCall call = file_call(kernel, td);
  TRY(vfs::kern_fchdir(call.ctx, call.fdt, arg_int(request, 0)));
  return ret(0);
}

// umask(2) cannot fail: it returns the previous mask.
vfs::KResult<SyscallReturn> sys_umask(Kernel& kernel, Thread& td, const SyscallRequest& request) {
  vfs::FileTable& fdt = kernel.fdtable(td.proc());
  std::uint32_t old = fdt.cmask();
  fdt.set_cmask(arg_uint(request, 0));
  return ret(old);
}

vfs::KResult<SyscallReturn> sys_unlink(Kernel& kernel, Thread& td, const SyscallRequest& request) {
  FileCall call = file_call(kernel, td);
  std::string path = TRY(kernel.copyin_path(td, arg_ptr(request, 0)));
  TRY(vfs::kern_unlink(call.ctx, path));
  return ret(0);
}

vfs::KResult<SyscallReturn> sys_mkdir(Kernel& kernel, Thread& td, const SyscallRequest& request) {
  FileCall call = file_call(kernel, td);
  std::string path = TRY(kernel.copyin_path(td, arg_ptr(request, 0)));
  TRY(vfs::kern_mkdir(call.ctx, call.fdt, path, arg_uint(request, 1)));
  return ret(0);
}

vfs::KResult<SyscallReturn> sys_rmdir(Kernel& kernel, Thread& td, const SyscallRequest& request) {
  FileCall call = file_call(kernel, td);
  std::string path = TRY(kernel.copyin_path(td, arg_ptr(request, 0)));
  TRY(vfs::kern_rmdir(call.ctx, path));
  return ret(0);
}

vfs::KResult<SyscallReturn> sys_symlink(Kernel& kernel, Thread& td, const SyscallRequest& request) {
  FileCall call = file_call(kernel, td);
  std::string target = TRY(kernel.copyin_path(td, arg_ptr(request, 0)));
  std::string path = TRY(kernel.copyin_path(td, arg_ptr(request, 1)));
  TRY(vfs::kern_symlink(call.ctx, call.fdt, target, path));
  return ret(0);
}

vfs::KResult<SyscallReturn> sys_rename(Kernel& kernel, Thread& td, const SyscallRequest& request) {
  FileCall call = file_call(kernel, td);
  std::string from = TRY(kernel.copyin_path(td, arg_ptr(request, 0)));
  std::string to = TRY(kernel.copyin_path(td, arg_ptr(request, 1)));
  TRY(vfs::kern_rename(call.ctx, from, to));
  return ret(0);
}

}  // namespace procsim::kern
