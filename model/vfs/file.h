// Open files and descriptor tables: the open(2) flags with their names (8.3 sys/sys/fcntl.h),
// struct file (a vnode or another object, f_flag, a shared offset, the opener's credentials, a
// reference count shared across fork), the open file table (kern.maxfiles: ENFILE) and struct
// filedesc (lowest free fd, close-on-exec, EMFILE, dup/dup2, fork copy, cwd, root, umask).
// Advisory lock state, descriptor passing and capabilities are not modelled.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/vfs/errno.h"
#include "model/vfs/stat.h"
#include "model/vfs/ucred.h"
#include "model/vfs/vnode.h"
#include "sim/base/bytes.h"

namespace procsim::vfs {

// open(2) flags. The host's <fcntl.h> defines O_* as macros, hence the k-names; the tables
// below give FreeBSD's names. Values checked against sys/sys/fcntl.h of the 8/9 branch.
using OpenFlags = std::uint32_t;
inline constexpr OpenFlags kORdonly = 0x0000;
inline constexpr OpenFlags kOWronly = 0x0001;
inline constexpr OpenFlags kORdwr = 0x0002;
inline constexpr OpenFlags kOAccmode = 0x0003;
inline constexpr OpenFlags kONonblock = 0x0004;
inline constexpr OpenFlags kOAppend = 0x0008;
inline constexpr OpenFlags kOShlock = 0x0010;
inline constexpr OpenFlags kOExlock = 0x0020;
inline constexpr OpenFlags kOAsync = 0x0040;
inline constexpr OpenFlags kOFsync = 0x0080;
inline constexpr OpenFlags kONofollow = 0x0100;
inline constexpr OpenFlags kOCreat = 0x0200;
inline constexpr OpenFlags kOTrunc = 0x0400;
inline constexpr OpenFlags kOExcl = 0x0800;
inline constexpr OpenFlags kONoctty = 0x8000;
inline constexpr OpenFlags kODirect = 0x00010000;
inline constexpr OpenFlags kODirectory = 0x00020000;
inline constexpr OpenFlags kOExec = 0x00040000;
inline constexpr OpenFlags kOTtyInit = 0x00080000;
inline constexpr OpenFlags kOCloexec = 0x00100000;

// f_flag bits: the kernel form of the open flags, FFLAGS(oflags) = oflags + 1, which turns the
// access mode into independent FREAD and FWRITE bits.
inline constexpr OpenFlags kFRead = 0x0001;
inline constexpr OpenFlags kFWrite = 0x0002;
inline constexpr OpenFlags kFAppend = kOAppend;
inline constexpr OpenFlags kFNonblock = kONonblock;
inline constexpr OpenFlags kFAsync = kOAsync;
inline constexpr OpenFlags kFFsync = kOFsync;
inline constexpr OpenFlags kFHaslock = 0x4000;
inline constexpr OpenFlags kFExec = kOExec;
// FMASK: the bits kept in f_flag after open. FCNTLFLAGS: the bits F_SETFL may change
// (FRDAHEAD reuses O_CREAT's bit).
inline constexpr OpenFlags kFMask =
    kFRead | kFWrite | kFAppend | kFAsync | kFFsync | kFNonblock | kODirect | kFExec;
inline constexpr OpenFlags kFcntlFlags = kFAppend | kFAsync | kFFsync | kFNonblock | kOCreat | kODirect;

constexpr OpenFlags fflags_from_oflags(OpenFlags oflags) { return oflags + 1; }
constexpr OpenFlags oflags_from_fflags(OpenFlags fflags) { return fflags - 1; }

// One named open flag.
struct OpenFlagRow {
  OpenFlags flag;
  std::string_view name;
};

// The access modes, which are values of the O_ACCMODE field rather than bits.
inline constexpr std::array<OpenFlagRow, 4> kOpenAccessModeTable = {{
    {kORdonly, "O_RDONLY"},
    {kOWronly, "O_WRONLY"},
    {kORdwr, "O_RDWR"},
    {kOAccmode, "O_ACCMODE"},
}};

// The flag bits in bit order, which is the order a decoder prints them in.
inline constexpr std::array<OpenFlagRow, 16> kOpenFlagTable = {{
    {kONonblock, "O_NONBLOCK"},
    {kOAppend, "O_APPEND"},
    {kOShlock, "O_SHLOCK"},
    {kOExlock, "O_EXLOCK"},
    {kOAsync, "O_ASYNC"},
    {kOFsync, "O_FSYNC"},
    {kONofollow, "O_NOFOLLOW"},
    {kOCreat, "O_CREAT"},
    {kOTrunc, "O_TRUNC"},
    {kOExcl, "O_EXCL"},
    {kONoctty, "O_NOCTTY"},
    {kODirect, "O_DIRECT"},
    {kODirectory, "O_DIRECTORY"},
    {kOExec, "O_EXEC"},
    {kOTtyInit, "O_TTY_INIT"},
    {kOCloexec, "O_CLOEXEC"},
}};

// "O_WRONLY|O_CREAT|O_TRUNC": the access mode first, then the set bits in table order; bits
// without a name follow as one hexadecimal number ("O_RDONLY|0x40000000").
std::string format_open_flags(OpenFlags flags);
// The inverse: names and numbers (C notation) joined by '|', as a scenario writes them.
// Unknown names and empty terms give nullopt.
std::optional<OpenFlags> parse_open_flags(std::string_view text);

// lseek(2) whence values. <cstdio> defines SEEK_* as macros.
inline constexpr int kSeekSet = 0;
inline constexpr int kSeekCur = 1;
inline constexpr int kSeekEnd = 2;

// f_type (8.3 sys/sys/file.h DTYPE_*). None is a file whose open has not completed
// (badfileops): every operation on it fails with EBADF.
enum class FileType : std::uint8_t { None = 0, Vnode = 1, Socket = 2, Pipe = 3, Fifo = 4, Pts = 10 };

class File;

// struct fileops for files that are not vnodes (pipes, pseudo-terminal masters): the kernel's.
// read, write and stat must be supplied; ioctl defaults to ENOTTY and close to success.
class FileObject {
 public:
  virtual ~FileObject() = default;
  virtual KResult<void> read(File& fp, Uio& uio, const VfsContext& ctx) = 0;
  virtual KResult<void> write(File& fp, Uio& uio, const VfsContext& ctx) = 0;
  virtual KResult<void> ioctl(File& fp, std::uint32_t command, base::MutableByteSpan data,
                              const VfsContext& ctx);
  virtual KResult<Stat> stat(File& fp, const VfsContext& ctx) = 0;
  // The last reference to the file went away.
  virtual KResult<void> close(File& fp, const VfsContext& ctx);
  // DFLAG_SEEKABLE: lseek is allowed (else ESPIPE).
  virtual bool seekable() const { return false; }
};

class FileRegistry;

// struct file.
class File {
 public:
  File(const File&) = delete;
  File& operator=(const File&) = delete;

  // Allocation order in the registry: a stable identity for traces.
  std::uint64_t serial() const { return m_serial; }
  FileType type() const { return m_type; }
  // f_flag: FREAD, FWRITE, O_APPEND, O_NONBLOCK, ...
  OpenFlags flags() const { return m_flags; }
  void set_flags(OpenFlags flags) { m_flags = flags; }
  // f_offset, shared by every descriptor (and process) referring to this file.
  std::int64_t offset() const { return m_offset; }
  void set_offset(std::int64_t offset) { m_offset = offset; }
  // f_vnode: the vnode of a Vnode file (held with a use reference), else null.
  Vnode* vnode() const { return m_vnode.get(); }
  FileObject* object() const { return m_object.get(); }
  // f_cred: the credentials of the opener; vnode I/O runs with them.
  const Ucred& cred() const { return m_cred; }
  // f_count: references from descriptor tables and from system calls in progress.
  std::uint32_t refcount() const { return m_refcount; }

  // finit(): completes a file allocated by falloc() as a vnode file.
  void finit_vnode(VnodeRef vnode, OpenFlags fflags);
  // finit() for a non-vnode file.
  void finit_object(FileType type, std::unique_ptr<FileObject> object, OpenFlags fflags);

 private:
  friend class FileRegistry;
  File(std::uint64_t serial, const Ucred& cred);

  std::uint64_t m_serial;
  FileType m_type = FileType::None;
  OpenFlags m_flags = 0;
  std::int64_t m_offset = 0;
  VnodeRef m_vnode;
  std::unique_ptr<FileObject> m_object;
  Ucred m_cred;
  std::uint32_t m_refcount = 1;
};

// The system open file table: every struct file, the kern.openfiles count and the
// kern.maxfiles limit. Must outlive every FileTable that refers to it.
class FileRegistry {
 public:
  FileRegistry(Era era, std::size_t maxfiles);
  FileRegistry(const FileRegistry&) = delete;
  FileRegistry& operator=(const FileRegistry&) = delete;
  ~FileRegistry();

  Era era() const { return m_era; }
  std::size_t maxfiles() const { return m_maxfiles; }
  void set_maxfiles(std::size_t maxfiles) { m_maxfiles = maxfiles; }
  // kern.openfiles.
  std::size_t open_count() const { return m_files.size(); }

  // falloc(): a new file of type None with one reference (the caller's); ENFILE at maxfiles.
  KResult<File*> falloc(const Ucred& cred);
  // fhold().
  void fhold(File& fp);
  // fdrop(): releases a reference; the last one closes the file (vn_close: VOP_CLOSE then
  // vrele, or the object's close) and frees it. The result is the close's.
  KResult<void> fdrop(File& fp, const VfsContext& ctx);
  // Teardown only: releases a reference without running any close operation.
  void fdrop_quietly(File& fp);

 private:
  void free_file(File& fp);

  Era m_era;
  std::size_t m_maxfiles;
  std::uint64_t m_next_serial = 1;
  std::map<std::uint64_t, std::unique_ptr<File>> m_files;
};

// struct filedesc: one process's descriptor table, its current and root directories and its
// umask. Movable, not copyable: fork uses fork_copy().
class FileTable {
 public:
  explicit FileTable(FileRegistry& registry);
  FileTable(FileTable&& other) noexcept;
  FileTable& operator=(FileTable&& other) noexcept;
  FileTable(const FileTable&) = delete;
  FileTable& operator=(const FileTable&) = delete;
  // Teardown only: drops every file without closing it (close_all() is the modelled path).
  ~FileTable();

  FileRegistry& registry() const { return *m_registry; }

  // The descriptor limit: min(RLIMIT_NOFILE soft limit, kern.maxfilesperproc), kept current
  // by the kernel. Descriptors at or above it cannot be allocated.
  std::uint64_t fd_limit() const { return m_fd_limit; }
  void set_fd_limit(std::uint64_t limit) { m_fd_limit = limit; }

  // fdcopy(): a child's table sharing every open file (one more reference each), with the
  // same close-on-exec flags, directories, umask and limit.
  FileTable fork_copy() const;

  // fdalloc(): the lowest free descriptor >= min_fd, or EMFILE. Reserves nothing.
  KResult<int> lowest_free(int min_fd = 0) const;
  // Installs `fp` at the lowest free descriptor, taking a new reference for the table.
  KResult<int> install(File& fp, bool close_on_exec);
  // fget(): the file behind `fd`, or EBADF.
  KResult<File*> get(int fd) const;
  bool is_open(int fd) const;
  // close(2): EBADF for a descriptor that is not open; else the result of the file's close if
  // this was its last reference.
  KResult<void> close(int fd, const VfsContext& ctx);
  // fdclose(): undoes install() of a file whose open failed, if `fd` still refers to it.
  void uninstall(int fd, File& fp, const VfsContext& ctx);
  // dup(2): the lowest free descriptor; close-on-exec is clear on the copy.
  KResult<int> dup(int fd);
  // fcntl(F_DUPFD): the lowest free descriptor >= min_fd (EINVAL when min_fd is out of range).
  KResult<int> dup_at_least(int fd, int min_fd);
  // dup2(2): `to` refers to the file of `from`; a file open at `to` is closed first (its
  // error is ignored). Out-of-range `to`: EBADF before 8.x, EMFILE in 8.3.
  KResult<int> dup2(int from, int to, const VfsContext& ctx);
  // FD_CLOEXEC (UF_EXCLOSE).
  KResult<bool> close_on_exec(int fd) const;
  KResult<void> set_close_on_exec(int fd, bool close_on_exec);
  // execve(): closes every descriptor marked close-on-exec, lowest first.
  void close_marked_on_exec(const VfsContext& ctx);
  // exit(): closes every descriptor, lowest first.
  void close_all(const VfsContext& ctx);
  // The open descriptors, in increasing order.
  std::vector<int> open_fds() const;

  // fd_cdir and fd_rdir.
  Vnode* cdir() const { return m_cdir.get(); }
  void set_cdir(VnodeRef dir) { m_cdir = std::move(dir); }
  Vnode* rdir() const { return m_rdir.get(); }
  void set_rdir(VnodeRef dir) { m_rdir = std::move(dir); }
  // fd_cmask (umask), 022 by default.
  std::uint32_t cmask() const { return m_cmask; }
  void set_cmask(std::uint32_t cmask) { m_cmask = cmask & kAllPerms; }

 private:
  struct Entry {
    File* file = nullptr;
    bool close_on_exec = false;
  };

  bool in_range(int fd) const;
  void place(int fd, File& fp, bool close_on_exec);
  void release_all_quietly();

  FileRegistry* m_registry;
  std::vector<Entry> m_entries;
  std::uint64_t m_fd_limit = 64;
  VnodeRef m_cdir;
  VnodeRef m_rdir;
  std::uint32_t m_cmask = 022;
};

}  // namespace procsim::vfs
