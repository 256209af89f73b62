// The file system call cores after 8.3 kern/vfs_syscalls.c (kern_openat, lseek, getdirentries,
// accessat, readlinkat, the *dir and rename calls), vfs_vnops.c (vn_open_cred, vn_read, vn_write,
// vn_stat, vn_ioctl), sys_generic.c (dofileread, dofilewrite, kern_ioctl). Where 4.4BSD and
// FreeBSD 4 visibly differ (O_TRUNC before VOP_OPEN, no O_DIRECTORY/O_CLOEXEC, st_blksize), the
// era decides.
#include "model/vfs/vfs_syscalls.h"

#include <limits>
#include <utility>

#include "model/vfs/namei.h"
#include "sim/base/assert.h"

namespace procsim::vfs {

namespace {

constexpr std::int64_t kOffMax = std::numeric_limits<std::int64_t>::max();

VfsContext with_cred(const VfsContext& ctx, const Ucred& cred) {
  return VfsContext{cred, ctx.root, ctx.cwd, ctx.caller_pid, ctx.era, ctx.now};
}

bool is_modern(const VfsContext& ctx) { return ctx.era == Era::FreeBSD8; }

KResult<void> truncate_to_zero(Vnode& vp, const VfsContext& ctx) {
  SetattrRequest request;
  request.size = 0;
  return vop_setattr(vp, request, ctx);
}

// The O_CREAT half of vn_open_cred: create the file or find it existing.
KResult<VnodeRef> open_creating(const VfsContext& ctx, std::string_view path, OpenFlags& fmode,
                                std::uint32_t cmode) {
  NameiRequest request;
  request.path = path;
  request.op = NameiOp::Create;
  request.follow = (fmode & (kOExcl | kONofollow)) == 0;
  request.want_parent = true;
  NameiResult nd = TRY(namei(ctx, request));
  if (!nd.vp) {
    Vattr vap;
    vap.type = VType::VREG;
    vap.mode = cmode;
    ComponentName cnp{NameiOp::Create, nd.last_name, true, false, false};
    VnodeRef vp = TRY(vop_create(*nd.dvp, cnp, vap, ctx));
    fmode &= ~kOTrunc;  // a new file is empty: no truncation, and no access check below
    return vp;
  }
  if ((fmode & kOExcl) != 0) return base::fail(Errno::Eexist);
  fmode &= ~kOCreat;
  return std::move(nd.vp);
}

// The checks of vn_open_cred between lookup and VOP_OPEN.
KResult<void> check_open(const VfsContext& ctx, Vnode& vp, OpenFlags fmode) {
  if (vp.type() == VType::VLNK) return base::fail(Errno::Emlink);
  if (vp.type() == VType::VSOCK) return base::fail(Errno::Eopnotsupp);
  if (is_modern(ctx) && (fmode & kODirectory) != 0 && vp.type() != VType::VDIR)
    return base::fail(Errno::Enotdir);
  Accmode accmode = 0;
  if ((fmode & (kFWrite | kOTrunc)) != 0) {
    if (vp.type() == VType::VDIR) return base::fail(Errno::Eisdir);
    accmode |= VWRITE;
  }
  if ((fmode & kFRead) != 0) accmode |= VREAD;
  if ((fmode & kOAppend) != 0 && (fmode & kFWrite) != 0) accmode |= VAPPEND;
  // A file this open created is not checked: its mode may forbid what its creator asked for.
  if ((fmode & kOCreat) == 0 && accmode != 0) TRY(vop_access(vp, accmode, ctx));
  return {};
}

// The file behind a descriptor, which must be a vnode file (getvnode(): EINVAL otherwise).
KResult<File*> get_vnode_file(const FileTable& fdt, int fd) {
  File* fp = TRY(fdt.get(fd));
  if (fp->type() != FileType::Vnode) return base::fail(Errno::Einval);
  PROCSIM_ASSERT(fp->vnode() != nullptr);
  return fp;
}

// dofileread/dofilewrite: a partial transfer cut short by a signal or by non-blocking I/O is
// reported as the bytes that moved.
KResult<std::size_t> transfer_result(KResult<void> result, const Uio& uio) {
  if (result.ok()) return uio.transferred();
  Errno error = result.error();
  bool interrupted = error == Errno::Erestart || error == Errno::Eintr || error == Errno::Ewouldblock;
  if (interrupted && uio.transferred() > 0) return uio.transferred();
  return base::fail(error);
}

KResult<void> vn_read(const VfsContext& ctx, File& fp, Uio& uio) {
  Vnode& vp = *fp.vnode();
  IoFlags ioflag = (fp.flags() & kFNonblock) != 0 ? kIoNdelay : 0;
  KResult<void> result = vop_read(vp, uio, ioflag, with_cred(ctx, fp.cred()));
  fp.set_offset(uio.offset());
  return result;
}

KResult<void> vn_write(const VfsContext& ctx, File& fp, Uio& uio) {
  Vnode& vp = *fp.vnode();
  IoFlags ioflag = 0;
  if (vp.type() == VType::VREG && (fp.flags() & kFAppend) != 0) ioflag |= kIoAppend;
  if ((fp.flags() & kFNonblock) != 0) ioflag |= kIoNdelay;
  KResult<void> result = vop_write(vp, uio, ioflag, with_cred(ctx, fp.cred()));
  fp.set_offset(uio.offset());
  return result;
}

KResult<Stat> stat_path(const VfsContext& ctx, std::string_view path, bool follow) {
  NameiRequest request;
  request.path = path;
  request.follow = follow;
  NameiResult nd = TRY(namei(ctx, request));
  return vn_stat(ctx, *nd.vp);
}

// change_dir(): a directory the caller may search.
KResult<void> check_change_dir(const VfsContext& ctx, Vnode& vp) {
  if (vp.type() != VType::VDIR) return base::fail(Errno::Enotdir);
  return vop_access(vp, VEXEC, ctx);
}

KResult<void> vn_ioctl(const VfsContext& ctx, File& fp, std::uint32_t command, base::MutableByteSpan data) {
  Vnode& vp = *fp.vnode();
  switch (vp.type()) {
    case VType::VREG:
    case VType::VDIR: {
      if (command == kFionread) {
        Vattr vap = TRY(vop_getattr(vp, ctx));
        PROCSIM_ASSERT(data.size() >= 4);
        auto available = static_cast<std::int64_t>(vap.size) - fp.offset();
        base::store_le<std::int32_t>(data, 0, static_cast<std::int32_t>(available));
        return {};
      }
      if (command == kFionbio || command == kFioasync) return {};
      return vop_ioctl(vp, command, data, fp.flags(), ctx);
    }
    case VType::VCHR:
      // Devices: what devfs's file operations would pass to the driver.
      return vop_ioctl(vp, command, data, fp.flags(), ctx);
    default: return base::fail(Errno::Enotty);
  }
}

// FIONBIO/FIOASYNC change the file's flag before the file's own ioctl sees the command.
void apply_flag_ioctl(File& fp, std::uint32_t command, base::ByteSpan data) {
  OpenFlags flag = command == kFionbio ? kFNonblock : kFAsync;
  PROCSIM_ASSERT(data.size() >= 4);
  bool on = base::load_le<std::int32_t>(data, 0) != 0;
  fp.set_flags(on ? (fp.flags() | flag) : (fp.flags() & ~flag));
}

KResult<NameiResult> lookup_for_change(const VfsContext& ctx, std::string_view path, NameiOp op,
                                       bool will_be_dir = false) {
  NameiRequest request;
  request.path = path;
  request.op = op;
  request.follow = false;
  request.want_parent = true;
  request.will_be_dir = will_be_dir;
  return namei(ctx, request);
}

ComponentName last_component(NameiOp op, const NameiResult& nd) {
  return ComponentName{op, nd.last_name, true, nd.last_name == "..", false};
}

// What kern_openat does with the open file: the flock-style lock of O_SHLOCK/O_EXLOCK, then
// (8.x) the truncation. A failure here closes the file again: the file system sees the close.
KResult<void> finish_open(const VfsContext& ctx, File& fp, OpenFlags oflags, OpenFlags fflags) {
  if ((oflags & (kOShlock | kOExlock)) != 0) {
    TRY(vop_advlock(*fp.vnode(), (oflags & kOExlock) != 0, ctx));
    fp.set_flags(fp.flags() | kFHaslock);
  }
  if (is_modern(ctx) && (fflags & kOTrunc) != 0) TRY(truncate_to_zero(*fp.vnode(), ctx));
  return {};
}

}  // namespace

KResult<VnodeRef> vn_open(const VfsContext& ctx, std::string_view path, OpenFlags& fflags,
                          std::uint32_t cmode) {
  VnodeRef vp;
  if ((fflags & kOCreat) != 0) {
    vp = TRY(open_creating(ctx, path, fflags, cmode));
  } else {
    NameiRequest request;
    request.path = path;
    request.follow = (fflags & kONofollow) == 0;
    vp = std::move(TRY(namei(ctx, request)).vp);
  }
  PROCSIM_ASSERT(vp);
  TRY(check_open(ctx, *vp, fflags));
  // 4.4BSD and FreeBSD 4 truncate inside vn_open, before the file system sees the open.
  if (!is_modern(ctx) && (fflags & kOTrunc) != 0) TRY(truncate_to_zero(*vp, ctx));
  TRY(vop_open(*vp, fflags, ctx));
  return vp;
}

KResult<int> kern_open(const VfsContext& ctx, FileTable& fdt, std::string_view path, OpenFlags oflags,
                       std::uint32_t mode) {
  if ((oflags & kOAccmode) == kOAccmode) return base::fail(Errno::Einval);
  OpenFlags fflags = fflags_from_oflags(oflags);
  FileRegistry& registry = fdt.registry();
  File* fp = TRY(registry.falloc(ctx.cred));
  bool close_on_exec = is_modern(ctx) && (oflags & kOCloexec) != 0;
  KResult<int> installed = fdt.install(*fp, close_on_exec);
  if (installed.is_error()) {
    registry.fdrop_quietly(*fp);
    return base::fail(installed.error());
  }
  int fd = installed.value();
  std::uint32_t cmode = (mode & ~fdt.cmask()) & kAllPerms & ~kSIsvtx;
  KResult<VnodeRef> opened = vn_open(ctx, path, fflags, cmode);
  KResult<void> result;
  if (opened.ok()) {
    fp->finit_vnode(std::move(opened.value()), fflags);
    result = finish_open(ctx, *fp, oflags, fflags);
  } else {
    result = base::fail(opened.error());
  }
  if (result.is_error()) {
    fdt.uninstall(fd, *fp, ctx);
    (void)registry.fdrop(*fp, ctx);
    return base::fail(result.error());
  }
  // The table keeps its reference; the one falloc() gave this call goes.
  TRY(registry.fdrop(*fp, ctx));
  PROCSIM_ASSERT(fdt.is_open(fd));
  return fd;
}

KResult<std::size_t> file_read(const VfsContext& ctx, File& fp, base::MutableByteSpan buffer) {
  if (buffer.size() > kIoSizeMax) return base::fail(Errno::Einval);
  if ((fp.flags() & kFRead) == 0) return base::fail(Errno::Ebadf);
  Uio uio = Uio::for_read(buffer, fp.offset());
  switch (fp.type()) {
    case FileType::None: return base::fail(Errno::Ebadf);
    case FileType::Vnode: return transfer_result(vn_read(ctx, fp, uio), uio);
    default: return transfer_result(fp.object()->read(fp, uio, ctx), uio);
  }
}

KResult<std::size_t> file_write(const VfsContext& ctx, File& fp, base::ByteSpan data) {
  if (data.size() > kIoSizeMax) return base::fail(Errno::Einval);
  if ((fp.flags() & kFWrite) == 0) return base::fail(Errno::Ebadf);
  Uio uio = Uio::for_write(data, fp.offset());
  switch (fp.type()) {
    case FileType::None: return base::fail(Errno::Ebadf);
    case FileType::Vnode: return transfer_result(vn_write(ctx, fp, uio), uio);
    default: return transfer_result(fp.object()->write(fp, uio, ctx), uio);
  }
}

KResult<std::size_t> vn_read_at(const VfsContext& ctx, Vnode& vp, std::int64_t offset,
                                base::MutableByteSpan buffer) {
  if (buffer.size() > kIoSizeMax) return base::fail(Errno::Einval);
  Uio uio = Uio::for_read(buffer, offset);
  TRY(vop_read(vp, uio, 0, ctx));
  return uio.transferred();
}

KResult<std::size_t> kern_read(const VfsContext& ctx, FileTable& fdt, int fd, base::MutableByteSpan buffer) {
  if (buffer.size() > kIoSizeMax) return base::fail(Errno::Einval);
  File* fp = TRY(fdt.get(fd));
  return file_read(ctx, *fp, buffer);
}

KResult<std::size_t> kern_write(const VfsContext& ctx, FileTable& fdt, int fd, base::ByteSpan data) {
  if (data.size() > kIoSizeMax) return base::fail(Errno::Einval);
  File* fp = TRY(fdt.get(fd));
  return file_write(ctx, *fp, data);
}

KResult<std::int64_t> kern_lseek(const VfsContext& ctx, FileTable& fdt, int fd, std::int64_t offset,
                                 int whence) {
  File* fp = TRY(fdt.get(fd));
  bool seekable = fp->type() == FileType::Vnode ? fp->vnode()->type() != VType::VFIFO
                                                : fp->object() != nullptr && fp->object()->seekable();
  if (!seekable) return base::fail(Errno::Espipe);
  // Character devices may seek to negative offsets (kernel memory addresses).
  bool no_negative = fp->type() != FileType::Vnode || fp->vnode()->type() != VType::VCHR;
  std::int64_t base_offset = 0;
  switch (whence) {
    case kSeekSet: break;
    case kSeekCur: base_offset = fp->offset(); break;
    case kSeekEnd: {
      if (fp->type() != FileType::Vnode) return base::fail(Errno::Einval);
      Vattr vap = TRY(vop_getattr(*fp->vnode(), ctx));
      if (vap.size > static_cast<std::uint64_t>(kOffMax)) return base::fail(Errno::Eoverflow);
      base_offset = static_cast<std::int64_t>(vap.size);
      break;
    }
    default: return base::fail(Errno::Einval);
  }
  if (no_negative && (base_offset < 0 || (offset > 0 && base_offset > kOffMax - offset))) {
    return base::fail(Errno::Eoverflow);
  }
  std::int64_t result = base_offset + offset;
  if (no_negative && result < 0) return base::fail(Errno::Einval);
  fp->set_offset(result);
  return result;
}

KResult<DirentriesResult> kern_getdirentries(const VfsContext& ctx, FileTable& fdt, int fd,
                                             base::MutableByteSpan buffer) {
  if (buffer.size() > kIoSizeMax) return base::fail(Errno::Einval);
  File* fp = TRY(get_vnode_file(fdt, fd));
  if ((fp->flags() & kFRead) == 0) return base::fail(Errno::Ebadf);
  Vnode& vp = *fp->vnode();
  if (vp.type() != VType::VDIR) return base::fail(Errno::Einval);
  DirentriesResult result;
  result.basep = fp->offset();
  Uio uio = Uio::for_read(buffer, fp->offset());
  KResult<void> read = vop_readdir(vp, uio, with_cred(ctx, fp->cred()));
  fp->set_offset(uio.offset());
  TRY(std::move(read));
  result.bytes = uio.transferred();
  PROCSIM_ASSERT(result.bytes <= buffer.size());
  return result;
}

KResult<Stat> vn_stat(const VfsContext& ctx, Vnode& vp) {
  Vattr vap = TRY(vop_getattr(vp, ctx));
  if (!vap.fsid.has_value()) vap.fsid = vp.mount().fsid();
  return vattr_to_stat(vap, ctx.era, ctx.cred);
}

KResult<Stat> kern_stat(const VfsContext& ctx, std::string_view path) { return stat_path(ctx, path, true); }

KResult<Stat> kern_lstat(const VfsContext& ctx, std::string_view path) { return stat_path(ctx, path, false); }

KResult<Stat> kern_fstat(const VfsContext& ctx, FileTable& fdt, int fd) {
  File* fp = TRY(fdt.get(fd));
  switch (fp->type()) {
    case FileType::None: return base::fail(Errno::Ebadf);
    case FileType::Vnode: return vn_stat(ctx, *fp->vnode());
    default: return fp->object()->stat(*fp, ctx);
  }
}

KResult<std::size_t> kern_readlink(const VfsContext& ctx, std::string_view path,
                                   base::MutableByteSpan buffer) {
  if (buffer.size() > kIoSizeMax) return base::fail(Errno::Einval);
  NameiRequest request;
  request.path = path;
  request.follow = false;
  NameiResult nd = TRY(namei(ctx, request));
  if (nd.vp->type() != VType::VLNK) return base::fail(Errno::Einval);
  Uio uio = Uio::for_read(buffer, 0);
  TRY(vop_readlink(*nd.vp, uio, ctx));
  return uio.transferred();
}

KResult<void> kern_close(const VfsContext& ctx, FileTable& fdt, int fd) { return fdt.close(fd, ctx); }

KResult<void> kern_ioctl(const VfsContext& ctx, FileTable& fdt, int fd, std::uint32_t command,
                         base::MutableByteSpan data) {
  File* fp = TRY(fdt.get(fd));
  if ((fp->flags() & (kFRead | kFWrite)) == 0) return base::fail(Errno::Ebadf);
  if (command == kFioclex || command == kFionclex) return fdt.set_close_on_exec(fd, command == kFioclex);
  if (command == kFionbio || command == kFioasync) apply_flag_ioctl(*fp, command, data);
  switch (fp->type()) {
    case FileType::None: return base::fail(Errno::Ebadf);
    case FileType::Vnode: return vn_ioctl(ctx, *fp, command, data);
    default: return fp->object()->ioctl(*fp, command, data, ctx);
  }
}

KResult<void> kern_access(const VfsContext& ctx, std::string_view path, int amode) {
  // The real ids stand in for the effective ones, for the lookup as well.
  Ucred real = ctx.cred;
  real.uid = ctx.cred.ruid;
  real.groups.front() = ctx.cred.rgid;
  VfsContext real_ctx = with_cred(ctx, real);
  NameiRequest request;
  request.path = path;
  NameiResult nd = TRY(namei(real_ctx, request));
  Accmode accmode = 0;
  if ((amode & kROk) != 0) accmode |= VREAD;
  if ((amode & kWOk) != 0) accmode |= VWRITE;
  if ((amode & kXOk) != 0) accmode |= VEXEC;
  if (accmode == 0) return {};  // F_OK: existence only
  return vop_access(*nd.vp, accmode, real_ctx);
}

KResult<void> kern_chdir(const VfsContext& ctx, FileTable& fdt, std::string_view path) {
  NameiRequest request;
  request.path = path;
  NameiResult nd = TRY(namei(ctx, request));
  TRY(check_change_dir(ctx, *nd.vp));
  fdt.set_cdir(std::move(nd.vp));
  return {};
}

KResult<void> kern_fchdir(const VfsContext& ctx, FileTable& fdt, int fd) {
  File* fp = TRY(get_vnode_file(fdt, fd));
  VnodeRef vp = VnodeRef::acquire(*fp->vnode());
  TRY(check_change_dir(ctx, *vp));
  while (vp->mounted_here() != nullptr) vp = VnodeRef::acquire(vp->mounted_here()->root());
  fdt.set_cdir(std::move(vp));
  return {};
}

KResult<void> kern_unlink(const VfsContext& ctx, std::string_view path) {
  NameiResult nd = TRY(lookup_for_change(ctx, path, NameiOp::Delete));
  PROCSIM_ASSERT(nd.vp && nd.dvp);
  if (nd.vp->type() == VType::VDIR) return base::fail(Errno::Eperm);  // POSIX
  if (nd.vp->is_root()) return base::fail(Errno::Ebusy);
  return vop_remove(*nd.dvp, *nd.vp, last_component(NameiOp::Delete, nd), ctx);
}

KResult<void> kern_mkdir(const VfsContext& ctx, const FileTable& fdt, std::string_view path,
                         std::uint32_t mode) {
  NameiResult nd = TRY(lookup_for_change(ctx, path, NameiOp::Create, true));
  if (nd.vp) return base::fail(Errno::Eexist);
  Vattr vap;
  vap.type = VType::VDIR;
  vap.mode = (mode & kAccessPerms) & ~fdt.cmask();
  VnodeRef vp = TRY(vop_mkdir(*nd.dvp, last_component(NameiOp::Create, nd), vap, ctx));
  PROCSIM_ASSERT(vp->type() == VType::VDIR);
  return {};
}

KResult<void> kern_rmdir(const VfsContext& ctx, std::string_view path) {
  NameiResult nd = TRY(lookup_for_change(ctx, path, NameiOp::Delete));
  PROCSIM_ASSERT(nd.vp && nd.dvp);
  if (nd.vp->type() != VType::VDIR) return base::fail(Errno::Enotdir);
  if (nd.vp.get() == nd.dvp.get()) return base::fail(Errno::Einval);  // rmdir(".")
  if (nd.vp->is_root()) return base::fail(Errno::Ebusy);
  return vop_rmdir(*nd.dvp, *nd.vp, last_component(NameiOp::Delete, nd), ctx);
}

KResult<void> kern_symlink(const VfsContext& ctx, const FileTable& fdt, std::string_view target,
                           std::string_view path) {
  if (target.size() >= kPathMax) return base::fail(Errno::Enametoolong);
  NameiResult nd = TRY(lookup_for_change(ctx, path, NameiOp::Create));
  if (nd.vp) return base::fail(Errno::Eexist);
  Vattr vap;
  vap.type = VType::VLNK;
  vap.mode = kAccessPerms & ~fdt.cmask();
  VnodeRef vp = TRY(vop_symlink(*nd.dvp, last_component(NameiOp::Create, nd), vap, target, ctx));
  PROCSIM_ASSERT(vp->type() == VType::VLNK);
  return {};
}

KResult<void> kern_rename(const VfsContext& ctx, std::string_view from, std::string_view to) {
  NameiResult source = TRY(lookup_for_change(ctx, from, NameiOp::Delete));
  PROCSIM_ASSERT(source.vp && source.dvp);
  bool is_dir = source.vp->type() == VType::VDIR;
  NameiResult target = TRY(lookup_for_change(ctx, to, NameiOp::Rename, is_dir));
  Vnode* tvp = target.vp.get();
  if (tvp != nullptr && is_dir && tvp->type() != VType::VDIR) return base::fail(Errno::Enotdir);
  if (tvp != nullptr && !is_dir && tvp->type() == VType::VDIR) return base::fail(Errno::Eisdir);
  if (source.vp.get() == target.dvp.get()) return base::fail(Errno::Einval);
  Mount* mount = &source.vp->mount();
  if (mount != &target.dvp->mount() || (tvp != nullptr && mount != &tvp->mount())) {
    return base::fail(Errno::Exdev);
  }
  // Two names of one file: nothing to do.
  if (source.vp.get() == tvp) return {};
  return vop_rename(*source.dvp, *source.vp, last_component(NameiOp::Delete, source), *target.dvp, tvp,
                    last_component(NameiOp::Rename, target), ctx);
}

KResult<Statfs> kern_statfs(const VfsContext& ctx, std::string_view path) {
  NameiRequest request;
  request.path = path;
  NameiResult nd = TRY(namei(ctx, request));
  return nd.vp->mount().statfs();
}

KResult<Statfs> kern_fstatfs(const VfsContext&, FileTable& fdt, int fd) {
  File* fp = TRY(get_vnode_file(fdt, fd));
  // A revoked vnode has lost its file system (EBADF in 8.3's kern_fstatfs).
  if (fp->vnode()->is_dead()) return base::fail(Errno::Ebadf);
  return fp->vnode()->mount().statfs();
}

}  // namespace procsim::vfs
