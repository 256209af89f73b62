// pipe(2): an anonymous pipe of PIPE_SIZE bytes whose reader sleeps in "piperd" while it is
// empty and a writer is left, and whose writer sleeps in "pipewr" while it is full; a write with
// no reader left is EPIPE and SIGPIPE (8.3 kern/sys_pipe.c). Direct (page-loaned) writes, the
// PIPE_BUF atomicity rule for small writes, kqueue, select and pipe resizing are not modelled.
#include <algorithm>
#include <memory>
#include <string>

#include "model/kern/sys_handlers.h"
#include "model/vfs/file.h"
#include "model/vfs/vfs_syscalls.h"
#include "sim/base/assert.h"

namespace procsim::kern {

namespace {

// PIPE_SIZE: the buffer a pipe starts with.
constexpr std::size_t kPipeSize = 16384;
// PRIBIO: the priority both sleeps use.
constexpr int kPribio = 76;
// A bound on the sleeps one read or write may take.
constexpr std::size_t kPipeWaitsMax = 1'000'000;

struct PipeBuffer {
  std::int64_t id = 0;  // the read end's file serial: names the wait channels
  std::string data;
  bool reader_open = true;
  bool writer_open = true;
  vfs::Timespec created;
};

WaitChannel read_channel(const PipeBuffer& pipe) { return WaitChannel{WaitChannel::Kind::Pipe, pipe.id * 2}; }
WaitChannel write_channel(const PipeBuffer& pipe) {
  return WaitChannel{WaitChannel::Kind::Pipe, pipe.id * 2 + 1};
}

class PipeEnd final : public vfs::FileObject {
 public:
  PipeEnd(Kernel& kernel, std::shared_ptr<PipeBuffer> pipe, bool read_end)
      : m_kernel(&kernel), m_pipe(std::move(pipe)), m_read_end(read_end) {}

  vfs::KResult<void> read(vfs::File& fp, vfs::Uio& uio, const vfs::VfsContext&) override {
    PROCSIM_ASSERT(m_read_end);
    for (std::size_t round = 0; round < kPipeWaitsMax; ++round) {
      if (!m_pipe->data.empty()) {
        std::size_t moved = uio.move_out(
            base::ByteSpan(reinterpret_cast<const std::uint8_t*>(m_pipe->data.data()), m_pipe->data.size()));
        m_pipe->data.erase(0, moved);
        m_kernel->wakeup(write_channel(*m_pipe));
        return {};
      }
      if (!m_pipe->writer_open) return {};  // end of file
      if ((fp.flags() & vfs::kFNonblock) != 0) return base::fail(vfs::Errno::Eagain);
      TRY(wait(read_channel(*m_pipe), "piperd"));
    }
    PROCSIM_UNREACHABLE();
  }

  vfs::KResult<void> write(vfs::File& fp, vfs::Uio& uio, const vfs::VfsContext&) override {
    PROCSIM_ASSERT(!m_read_end);
    for (std::size_t round = 0; round < kPipeWaitsMax && uio.resid() > 0; ++round) {
      if (!m_pipe->reader_open) return broken_pipe();
      std::size_t room = kPipeSize - m_pipe->data.size();
      if (room == 0) {
        // A write that moved some bytes returns them rather than blocking for more.
        if ((fp.flags() & vfs::kFNonblock) != 0) {
          return uio.transferred() > 0 ? vfs::KResult<void>{} : base::fail(vfs::Errno::Eagain);
        }
        TRY(wait(write_channel(*m_pipe), "pipewr"));
        continue;
      }
      base::ByteSpan bytes = uio.move_in(std::min(room, uio.resid()));
      m_pipe->data.append(reinterpret_cast<const char*>(bytes.data()), bytes.size());
      m_kernel->wakeup(read_channel(*m_pipe));
    }
    PROCSIM_ASSERT(m_pipe->data.size() <= kPipeSize);
    return {};
  }

  vfs::KResult<vfs::Stat> stat(vfs::File& fp, const vfs::VfsContext&) override {
    // pipe_stat(): a FIFO owned by the opener, its buffered bytes as the size.
    vfs::Stat sb;
    sb.mode = 0010000 | 0600;
    sb.nlink = 1;
    sb.uid = fp.cred().uid;
    sb.gid = fp.cred().egid();
    sb.size = static_cast<std::int64_t>(m_pipe->data.size());
    sb.blksize = vfs::kPageSize;
    sb.ino = static_cast<std::uint32_t>(m_pipe->id);
    sb.atime = sb.mtime = sb.ctime = m_pipe->created;
    return sb;
  }

  vfs::KResult<void> close(vfs::File&, const vfs::VfsContext&) override {
    if (m_read_end) {
      m_pipe->reader_open = false;
      m_kernel->wakeup(write_channel(*m_pipe));
    } else {
      m_pipe->writer_open = false;
      m_kernel->wakeup(read_channel(*m_pipe));
    }
    return {};
  }

 private:
  vfs::KResult<void> wait(WaitChannel channel, std::string_view wmesg) {
    Thread* td = m_kernel->current_thread();
    if (td == nullptr) return base::fail(vfs::Errno::Eagain);
    return m_kernel->sleep(*td, channel, kPribio, wmesg, 0, true);
  }

  vfs::KResult<void> broken_pipe() {
    if (Thread* td = m_kernel->current_thread()) m_kernel->psignal(td->proc(), Sigpipe);
    return base::fail(vfs::Errno::Epipe);
  }

  Kernel* m_kernel;
  std::shared_ptr<PipeBuffer> m_pipe;
  bool m_read_end;
};

// falloc() and install() for one end; the table keeps the reference, the call's goes.
vfs::KResult<int> install_end(vfs::FileTable& fdt, const vfs::VfsContext& ctx, vfs::File& fp) {
  vfs::KResult<int> fd = fdt.install(fp, false);
  if (fd.is_error()) {
    fdt.registry().fdrop_quietly(fp);
    return fd;
  }
  TRY(fdt.registry().fdrop(fp, ctx));
  return fd;
}

}  // namespace

vfs::KResult<SyscallReturn> sys_pipe(Kernel& kernel, Thread& td, const SyscallRequest&) {
  Proc& p = td.proc();
  vfs::FileTable& fdt = kernel.fdtable(p);
  vfs::VfsContext ctx = kernel.vfs_context(p);
  vfs::FileRegistry& registry = fdt.registry();
  vfs::File* read_fp = TRY(registry.falloc(ctx.cred));
  auto pipe = std::make_shared<PipeBuffer>();
  pipe->id = static_cast<std::int64_t>(read_fp->serial());
  pipe->created = ctx.now;
  read_fp->finit_object(vfs::FileType::Pipe, std::make_unique<PipeEnd>(kernel, pipe, true), vfs::kFRead);
  vfs::KResult<int> read_fd = install_end(fdt, ctx, *read_fp);
  if (read_fd.is_error()) return base::fail(read_fd.error());
  vfs::KResult<vfs::File*> write_fp = registry.falloc(ctx.cred);
  if (write_fp.is_error()) {
    (void)vfs::kern_close(ctx, fdt, read_fd.value());
    return base::fail(write_fp.error());
  }
  write_fp.value()->finit_object(vfs::FileType::Pipe, std::make_unique<PipeEnd>(kernel, pipe, false),
                                 vfs::kFWrite);
  vfs::KResult<int> write_fd = install_end(fdt, ctx, *write_fp.value());
  if (write_fd.is_error()) {
    (void)vfs::kern_close(ctx, fdt, read_fd.value());
    return base::fail(write_fd.error());
  }
  PROCSIM_ASSERT(read_fd.value() != write_fd.value());
  return SyscallReturn{static_cast<std::uint64_t>(read_fd.value()),
                       static_cast<std::uint64_t>(write_fd.value())};
}

}  // namespace procsim::kern
