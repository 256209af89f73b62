// struct file, the open file table and struct filedesc (8.3 kern/kern_descrip.c; dup2's range
// error follows each era's do_dup/dup2). Descriptors are allocated lowest first; a file's last
// reference runs its close (vn_close: VOP_CLOSE with the file's flags and credentials).
#include "model/vfs/file.h"

#include <algorithm>
#include <utility>

#include <fmt/format.h>

#include "sim/base/assert.h"
#include "sim/base/text.h"

namespace procsim::vfs {

namespace {

constexpr bool open_flag_rows_are_ordered() {
  for (std::size_t i = 0; i < kOpenFlagTable.size(); ++i) {
    OpenFlags flag = kOpenFlagTable[i].flag;
    if (flag == 0 || (flag & (flag - 1)) != 0 || (flag & kOAccmode) != 0) return false;
    if (i > 0 && kOpenFlagTable[i - 1].flag >= flag) return false;
  }
  return true;
}
static_assert(open_flag_rows_are_ordered(), "open flags are single bits above O_ACCMODE, in bit order");
static_assert(fflags_from_oflags(kORdonly) == kFRead);
static_assert(fflags_from_oflags(kOWronly) == kFWrite);
static_assert(fflags_from_oflags(kORdwr) == (kFRead | kFWrite));

// The context a file's own operations run in: the caller's, with the opener's credentials.
VfsContext file_context(const File& fp, const VfsContext& ctx) {
  return VfsContext{fp.cred(), ctx.root, ctx.cwd, ctx.caller_pid, ctx.era, ctx.now};
}

std::optional<OpenFlags> parse_open_flag_term(std::string_view term) {
  for (const OpenFlagRow& row : kOpenAccessModeTable) {
    if (row.name == term) return row.flag;
  }
  for (const OpenFlagRow& row : kOpenFlagTable) {
    if (row.name == term) return row.flag;
  }
  std::optional<std::uint64_t> number = base::parse_c_unsigned(term);
  if (!number.has_value() || *number > UINT32_MAX) return std::nullopt;
  return static_cast<OpenFlags>(*number);
}

}  // namespace

std::string format_open_flags(OpenFlags flags) {
  std::string text(kOpenAccessModeTable[flags & kOAccmode].name);
  OpenFlags rest = flags & ~kOAccmode;
  for (const OpenFlagRow& row : kOpenFlagTable) {
    if ((rest & row.flag) == 0) continue;
    text += '|';
    text += row.name;
    rest &= ~row.flag;
  }
  if (rest != 0) text += fmt::format("|{:#x}", rest);
  return text;
}

std::optional<OpenFlags> parse_open_flags(std::string_view text) {
  OpenFlags flags = 0;
  std::size_t start = 0;
  while (true) {
    std::size_t bar = text.find('|', start);
    std::string_view term =
        text.substr(start, bar == std::string_view::npos ? std::string_view::npos : bar - start);
    std::optional<OpenFlags> value = parse_open_flag_term(term);
    if (term.empty() || !value.has_value()) return std::nullopt;
    flags |= *value;
    if (bar == std::string_view::npos) return flags;
    start = bar + 1;
  }
}

// ---- FileObject defaults -----------------------------------------------------------------------

KResult<void> FileObject::ioctl(File&, std::uint32_t, base::MutableByteSpan, const VfsContext&) {
  return base::fail(Errno::Enotty);
}
KResult<void> FileObject::close(File&, const VfsContext&) { return {}; }

// ---- File --------------------------------------------------------------------------------------

File::File(std::uint64_t serial, const Ucred& cred) : m_serial(serial), m_cred(cred) {}

void File::finit_vnode(VnodeRef vnode, OpenFlags fflags) {
  PROCSIM_ASSERT(m_type == FileType::None);
  PROCSIM_ASSERT(vnode);
  m_type = FileType::Vnode;
  m_flags = fflags & kFMask;
  m_vnode = std::move(vnode);
}

void File::finit_object(FileType type, std::unique_ptr<FileObject> object, OpenFlags fflags) {
  PROCSIM_ASSERT(m_type == FileType::None);
  PROCSIM_ASSERT(type != FileType::None && type != FileType::Vnode);
  PROCSIM_ASSERT(object != nullptr);
  m_type = type;
  m_flags = fflags & kFMask;
  m_object = std::move(object);
}

// ---- FileRegistry ------------------------------------------------------------------------------

FileRegistry::FileRegistry(Era era, std::size_t maxfiles) : m_era(era), m_maxfiles(maxfiles) {
  PROCSIM_ASSERT(maxfiles > 0);
}

FileRegistry::~FileRegistry() {
  PROCSIM_ASSERT_MSG(m_files.empty(), "open files outlive the open file table: tear down processes first");
}

KResult<File*> FileRegistry::falloc(const Ucred& cred) {
  if (m_files.size() >= m_maxfiles) return base::fail(Errno::Enfile);
  std::uint64_t serial = m_next_serial++;
  auto file = std::unique_ptr<File>(new File(serial, cred));
  File* result = file.get();
  m_files.emplace(serial, std::move(file));
  PROCSIM_ASSERT(result->refcount() == 1);
  return result;
}

void FileRegistry::fhold(File& fp) {
  PROCSIM_ASSERT(fp.m_refcount > 0);
  PROCSIM_ASSERT(m_files.count(fp.serial()) == 1);
  ++fp.m_refcount;
}

KResult<void> FileRegistry::fdrop(File& fp, const VfsContext& ctx) {
  PROCSIM_ASSERT(fp.m_refcount > 0);
  if (--fp.m_refcount > 0) return {};
  KResult<void> result;
  VfsContext close_ctx = file_context(fp, ctx);
  if (fp.m_type == FileType::Vnode) {
    result = vop_close(*fp.m_vnode, fp.m_flags, close_ctx);
  } else if (fp.m_object != nullptr) {
    result = fp.m_object->close(fp, close_ctx);
  }
  free_file(fp);
  return result;
}

void FileRegistry::fdrop_quietly(File& fp) {
  PROCSIM_ASSERT(fp.m_refcount > 0);
  if (--fp.m_refcount > 0) return;
  free_file(fp);
}

void FileRegistry::free_file(File& fp) {
  PROCSIM_ASSERT(fp.m_refcount == 0);
  // The vnode reference goes with the file (vn_close's vput).
  std::size_t erased = m_files.erase(fp.serial());
  PROCSIM_ASSERT(erased == 1);
}

// ---- FileTable ---------------------------------------------------------------------------------

FileTable::FileTable(FileRegistry& registry) : m_registry(&registry) {}

FileTable::FileTable(FileTable&& other) noexcept
    : m_registry(other.m_registry),
      m_entries(std::move(other.m_entries)),
      m_fd_limit(other.m_fd_limit),
      m_cdir(std::move(other.m_cdir)),
      m_rdir(std::move(other.m_rdir)),
      m_cmask(other.m_cmask) {
  other.m_entries.clear();
}

FileTable& FileTable::operator=(FileTable&& other) noexcept {
  if (this == &other) return *this;
  release_all_quietly();
  m_registry = other.m_registry;
  m_entries = std::move(other.m_entries);
  other.m_entries.clear();
  m_fd_limit = other.m_fd_limit;
  m_cdir = std::move(other.m_cdir);
  m_rdir = std::move(other.m_rdir);
  m_cmask = other.m_cmask;
  return *this;
}

FileTable::~FileTable() { release_all_quietly(); }

void FileTable::release_all_quietly() {
  for (Entry& entry : m_entries) {
    if (entry.file != nullptr) m_registry->fdrop_quietly(*entry.file);
    entry = Entry{};
  }
  m_entries.clear();
}

FileTable FileTable::fork_copy() const {
  FileTable child(*m_registry);
  child.m_fd_limit = m_fd_limit;
  child.m_cmask = m_cmask;
  if (m_cdir) child.m_cdir = m_cdir.share();
  if (m_rdir) child.m_rdir = m_rdir.share();
  child.m_entries = m_entries;
  for (const Entry& entry : child.m_entries) {
    if (entry.file != nullptr) m_registry->fhold(*entry.file);
  }
  PROCSIM_ASSERT(child.open_fds() == open_fds());
  return child;
}

bool FileTable::in_range(int fd) const { return fd >= 0 && static_cast<std::uint64_t>(fd) < m_fd_limit; }

KResult<int> FileTable::lowest_free(int min_fd) const {
  PROCSIM_ASSERT(min_fd >= 0);
  for (int fd = min_fd; in_range(fd); ++fd) {
    if (!is_open(fd)) return fd;
  }
  return base::fail(Errno::Emfile);
}

void FileTable::place(int fd, File& fp, bool close_on_exec) {
  PROCSIM_ASSERT(in_range(fd));
  PROCSIM_ASSERT(!is_open(fd));
  auto index = static_cast<std::size_t>(fd);
  if (m_entries.size() <= index) m_entries.resize(index + 1);
  m_registry->fhold(fp);
  m_entries[index] = Entry{&fp, close_on_exec};
}

KResult<int> FileTable::install(File& fp, bool close_on_exec) {
  int fd = TRY(lowest_free(0));
  place(fd, fp, close_on_exec);
  PROCSIM_ASSERT(is_open(fd));
  return fd;
}

bool FileTable::is_open(int fd) const {
  if (fd < 0 || static_cast<std::size_t>(fd) >= m_entries.size()) return false;
  return m_entries[static_cast<std::size_t>(fd)].file != nullptr;
}

KResult<File*> FileTable::get(int fd) const {
  if (!is_open(fd)) return base::fail(Errno::Ebadf);
  return m_entries[static_cast<std::size_t>(fd)].file;
}

KResult<void> FileTable::close(int fd, const VfsContext& ctx) {
  File* fp = TRY(get(fd));
  m_entries[static_cast<std::size_t>(fd)] = Entry{};
  PROCSIM_ASSERT(!is_open(fd));
  return m_registry->fdrop(*fp, ctx);
}

void FileTable::uninstall(int fd, File& fp, const VfsContext& ctx) {
  if (!is_open(fd) || m_entries[static_cast<std::size_t>(fd)].file != &fp) return;
  m_entries[static_cast<std::size_t>(fd)] = Entry{};
  // The opener still holds its own reference: this drop never closes the file.
  PROCSIM_ASSERT(fp.refcount() > 1);
  (void)m_registry->fdrop(fp, ctx);
}

KResult<int> FileTable::dup(int fd) { return dup_at_least(fd, 0); }

KResult<int> FileTable::dup_at_least(int fd, int min_fd) {
  if (!in_range(min_fd)) return base::fail(Errno::Einval);
  File* fp = TRY(get(fd));
  int new_fd = TRY(lowest_free(min_fd));
  place(new_fd, *fp, false);
  return new_fd;
}

KResult<int> FileTable::dup2(int from, int to, const VfsContext& ctx) {
  bool modern = m_registry->era() == Era::FreeBSD8;
  if (modern) {
    // 8.3 do_dup(): a negative descriptor is EBADF, one beyond the limit EMFILE, both before the
    // source is looked at.
    if (from < 0 || to < 0) return base::fail(Errno::Ebadf);
    if (!in_range(to)) return base::fail(Errno::Emfile);
  }
  File* fp = TRY(get(from));
  if (!in_range(to)) return base::fail(Errno::Ebadf);  // 4.4BSD and FreeBSD 4 dup2()
  if (from == to) return to;
  File* displaced = nullptr;
  if (is_open(to)) {
    displaced = m_entries[static_cast<std::size_t>(to)].file;
    m_entries[static_cast<std::size_t>(to)] = Entry{};
  }
  place(to, *fp, false);
  // The displaced file is closed after the new one is in place; its error is not reported.
  if (displaced != nullptr) (void)m_registry->fdrop(*displaced, ctx);
  return to;
}

KResult<bool> FileTable::close_on_exec(int fd) const {
  TRY(get(fd));
  return m_entries[static_cast<std::size_t>(fd)].close_on_exec;
}

KResult<void> FileTable::set_close_on_exec(int fd, bool close_on_exec) {
  TRY(get(fd));
  m_entries[static_cast<std::size_t>(fd)].close_on_exec = close_on_exec;
  return {};
}

void FileTable::close_marked_on_exec(const VfsContext& ctx) {
  for (std::size_t fd = 0; fd < m_entries.size(); ++fd) {
    if (m_entries[fd].file != nullptr && m_entries[fd].close_on_exec) (void)close(static_cast<int>(fd), ctx);
  }
}

void FileTable::close_all(const VfsContext& ctx) {
  for (std::size_t fd = 0; fd < m_entries.size(); ++fd) {
    if (m_entries[fd].file != nullptr) (void)close(static_cast<int>(fd), ctx);
  }
  m_entries.clear();
  PROCSIM_ASSERT(open_fds().empty());
}

std::vector<int> FileTable::open_fds() const {
  std::vector<int> fds;
  for (std::size_t fd = 0; fd < m_entries.size(); ++fd) {
    if (m_entries[fd].file != nullptr) fds.push_back(static_cast<int>(fd));
  }
  return fds;
}

}  // namespace procsim::vfs
