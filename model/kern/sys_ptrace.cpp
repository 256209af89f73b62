// ptrace(2) as FreeBSD 8.3's sys_process.c implements it (spec/kernel.md §2.2): the system call
// copies structures in and out around kern_ptrace, which finds the target, runs the visibility,
// debug and system-process checks and the per-request permission in 8.3's order, and acts.
// Memory goes through proc_rwmem (so a breakpoint written into read-only text copies the
// page); registers through the register-file codecs with their write validation. The
// once-only console line "P_STOPPED_TRACE not set." is not printed, and swapped-out processes
// (EIO) never occur.
#include "model/kern/sys_ptrace.h"

#include <algorithm>
#include <array>

#include "model/kern/sys_handlers.h"
#include "model/machine/abi_ops.h"
#include "model/machine/register_file.h"
#include "sim/base/assert.h"

namespace procsim::kern {

namespace {

using vfs::Errno;
using vfs::KResult;

vfs::Errno errno_of(machine::MachineError error) {
  switch (error) {
    case machine::MachineError::Invalid: return Errno::Einval;
    case machine::MachineError::NotSupported: return Errno::Eopnotsupp;
  }
  PROCSIM_UNREACHABLE();
}

bool is_request(std::int32_t req, PtRequest request) { return req == static_cast<std::int32_t>(request); }

// What kern_ptrace reads from and leaves for the system call: the `union r` buffer.
struct PtraceArgs {
  std::int32_t req = 0;
  std::int32_t pid = 0;
  UserAddr addr{0};
  std::int32_t data = 0;
  base::Bytes buffer;        // a register structure in or out
  std::int32_t piod_op = 0;  // PT_IO descriptor
  std::uint64_t piod_offs = 0;
  std::uint64_t piod_addr = 0;
  std::uint64_t piod_len = 0;
};

struct Target {
  Proc* p = nullptr;
  Thread* td = nullptr;  // td2: the thread the request acts on
};

// Step 2-7: the target process (or thread), and the checks every request passes.
KResult<Target> find_target(Kernel& kernel, Thread& td, const PtraceArgs& args) {
  Target target;
  if (is_request(args.req, PtRequest::TraceMe)) {
    target.p = &td.proc();
  } else if (args.pid <= PID_MAX) {
    target.p = kernel.pfind(Pid(args.pid));
  } else if (Thread* thread = kernel.tdfind(Tid(args.pid))) {
    target.td = thread;
    target.p = &thread->proc();
  }
  if (target.p == nullptr) return base::fail(Errno::Esrch);
  Proc& p = *target.p;
  if ((p.flag & P_WEXIT) != 0) return base::fail(Errno::Esrch);
  ProcView caller = kernel.view(td.proc());
  ProcView view = kernel.view(p);
  TRY(p_cansee(caller, view, kernel.policy()));
  TRY(p_candebug(caller, view, kernel.policy()));
  if ((p.flag & P_SYSTEM) != 0) return base::fail(Errno::Einval);
  if (target.td == nullptr) {
    bool trace_stopped = (p.flag & P_STOPPED_TRACE) != 0 && p.xthread != nullptr;
    target.td = trace_stopped ? p.xthread : &p.first_thread();
  }
  PROCSIM_ASSERT(&target.td->proc() == &p);
  return target;
}

// Step 8: may this caller make this request of this target now?
KResult<void> check_permission(Thread& td, const Target& target, std::int32_t req) {
  Proc& curp = td.proc();
  Proc& p = *target.p;
  if (is_request(req, PtRequest::TraceMe)) return {};
  if (is_request(req, PtRequest::Attach)) {
    if (&p == &curp) return base::fail(Errno::Einval);
    if ((p.flag & P_TRACED) != 0) return base::fail(Errno::Ebusy);
    if ((curp.flag & P_TRACED) != 0) {
      // A traced process may not trace one of its own ancestors.
      std::size_t depth = 0;
      for (Proc* pp = curp.pptr; pp != nullptr && depth <= PID_MAX; pp = pp->pptr, ++depth) {
        if (pp == &p) return base::fail(Errno::Einval);
        if (pp->pptr == pp) break;
      }
    }
    return {};
  }
  if (is_request(req, PtRequest::Clearstep) && target.td == &td) return {};
  if ((p.flag & P_TRACED) == 0) return base::fail(Errno::Eperm);
  if (p.pptr != &curp) return base::fail(Errno::Ebusy);
  bool stopped = (p.flag & (P_STOPPED_SIG | P_STOPPED_TRACE)) != 0;
  if (!stopped || !p.all_threads_suspended() || (p.flag & P_WAITED) == 0) return base::fail(Errno::Ebusy);
  return {};
}

// PT_DETACH's own part: back to the parent it had before the debugger (or init), untraced.
void detach(Kernel& kernel, Proc& p) {
  PROCSIM_ASSERT(p.pptr != nullptr);
  if (p.oppid != p.pptr->pid()) {
    Proc* original = kernel.pfind(p.oppid);
    Proc& parent = original != nullptr ? *original : *kernel.initproc();
    kernel.proc_reparent(p, parent);
    if (&parent == kernel.initproc()) p.sigparent = Sigchld;
  }
  p.oppid = Pid(0);
  p.flag &= ~(P_TRACED | P_WAITED | P_FOLLOWFORK);
}

// STEP, CONTINUE, TO_SCE, TO_SCX, SYSCALL and DETACH: validate the signal, prepare, resume.
KResult<SyscallReturn> resume(Kernel& kernel, const Target& target, const PtraceArgs& args) {
  if (args.data < 0 || args.data > static_cast<std::int32_t>(kSigMaxsig)) return base::fail(Errno::Einval);
  Proc& p = *target.p;
  auto request = static_cast<PtRequest>(args.req);
  switch (request) {
    case PtRequest::Step: {
      auto stepped = machine::set_single_step(target.td->frame);
      if (stepped.is_error()) return base::fail(errno_of(stepped.error()));
      break;
    }
    case PtRequest::Continue:
    case PtRequest::ToSce:
    case PtRequest::ToScx:
    case PtRequest::Syscall:
      if (args.addr.value() != kPtraceResumeInPlace) machine::set_pc(target.td->frame, args.addr.value());
      if (request == PtRequest::ToSce || request == PtRequest::Syscall) p.stops |= S_PT_SCE;
      if (request == PtRequest::ToScx || request == PtRequest::Syscall) p.stops |= S_PT_SCX;
      break;
    case PtRequest::Detach: detach(kernel, p); break;
    default: PROCSIM_UNREACHABLE();
  }
  kernel.ptrace_sendsig(p, static_cast<std::uint32_t>(args.data), request == PtRequest::Detach);
  return SyscallReturn{0, 0};
}

// One int through proc_rwmem (PT_READ_I/D, PT_WRITE_I/D). A short transfer without an error of
// its own (or with ENOSPC or EPERM) is EINVAL.
KResult<SyscallReturn> peek_poke(Kernel& kernel, Thread& td, const Target& target, const PtraceArgs& args,
                                 bool write) {
  std::array<std::uint8_t, 4> word{};
  RwmemResult moved;
  if (write) {
    target.td->dbgflags |= TDB_USERWR;
    base::store_le<std::uint32_t>(word, 0, static_cast<std::uint32_t>(args.data));
    moved = kernel.proc_rwmem(*target.p, td, args.addr.value(), base::ByteSpan(word));
  } else {
    moved = kernel.proc_rwmem(*target.p, td, args.addr.value(), base::MutableByteSpan(word));
  }
  if (moved.moved != word.size()) {
    bool einval = !moved.error || *moved.error == Errno::Enospc || *moved.error == Errno::Eperm;
    return base::fail(einval ? Errno::Einval : *moved.error);
  }
  if (write) return SyscallReturn{0, 0};
  return ret(static_cast<std::int32_t>(base::load_le<std::uint32_t>(word, 0)));
}

// PT_IO: through proc_rwmem in pieces of the debugger's buffer; piod_len becomes what moved.
KResult<SyscallReturn> transfer(Kernel& kernel, Thread& td, const Target& target, PtraceArgs& args) {
  auto op = std::find_if(kPiodOpTable.begin(), kPiodOpTable.end(),
                         [&](const PiodOpRow& row) { return row.op == args.piod_op; });
  if (op == kPiodOpTable.end()) return base::fail(Errno::Einval);
  if (op->write) target.td->dbgflags |= TDB_USERWR;
  constexpr std::uint64_t kChunkBytes = 4096;
  std::uint64_t done = 0;
  std::optional<Errno> error;
  base::Bytes chunk;
  while (done < args.piod_len && !error) {
    std::uint64_t at = args.piod_offs + done;
    std::uint64_t length = std::min(args.piod_len - done, kChunkBytes - at % kChunkBytes);
    chunk.assign(static_cast<std::size_t>(length), 0);
    UserAddr own(args.piod_addr + done);
    RwmemResult moved;
    if (op->write) {
      if (auto in = kernel.copyin(td, own, chunk); in.is_error()) {
        error = in.error();
        break;
      }
      moved = kernel.proc_rwmem(*target.p, td, at, base::ByteSpan(chunk));
    } else {
      moved = kernel.proc_rwmem(*target.p, td, at, base::MutableByteSpan(chunk));
      base::ByteSpan got(chunk.data(), moved.moved);
      if (auto out = kernel.copyout(td, own, got); out.is_error()) {
        error = out.error();
        break;
      }
    }
    done += moved.moved;
    error = moved.error;
  }
  args.piod_len = done;
  if (error) return base::fail(*error);
  return SyscallReturn{0, 0};
}

KResult<SyscallReturn> registers(Thread& td, const Target& target, PtraceArgs& args,
                                 const PtRequestRow& row) {
  auto access = machine::layout_for_access(td.proc().abi, target.td->frame.abi, row.regs);
  if (access.is_error()) return base::fail(errno_of(access.error()));
  const machine::RegLayout* layout = access.value();
  if (row.addr == PtAddr::RegsOut) {
    args.buffer = machine::fill_registers(*layout, target.td->frame);
    return SyscallReturn{0, 0};
  }
  PROCSIM_ASSERT(args.buffer.size() == layout->size_bytes);
  auto stored = machine::set_registers(*layout, target.td->frame, args.buffer);
  if (stored.is_error()) return base::fail(errno_of(stored.error()));
  target.td->dbgflags |= TDB_USERWR;
  return SyscallReturn{0, 0};
}

KResult<SyscallReturn> kern_ptrace(Kernel& kernel, Thread& td, PtraceArgs& args) {
  Target target = TRY(find_target(kernel, td, args));
  TRY(check_permission(td, target, args.req));
  Proc& p = *target.p;
  const PtRequestRow* row = pt_request_row(args.req);
  if (row == nullptr) return base::fail(Errno::Einval);
  switch (row->request) {
    case PtRequest::TraceMe:
      p.flag |= P_TRACED;
      p.oppid = p.pptr->pid();
      return SyscallReturn{0, 0};
    case PtRequest::Attach:
      p.flag |= P_TRACED;
      p.oppid = p.pptr->pid();
      if (p.pptr != &td.proc()) kernel.proc_reparent(p, td.proc());
      kernel.ptrace_sendsig(p, Sigstop.value(), false);
      return SyscallReturn{0, 0};
    case PtRequest::Clearstep:
    case PtRequest::Setstep: {
      bool set = row->request == PtRequest::Setstep;
      auto done =
          set ? machine::set_single_step(target.td->frame) : machine::clear_single_step(target.td->frame);
      if (done.is_error()) return base::fail(errno_of(done.error()));
      return SyscallReturn{0, 0};
    }
    case PtRequest::Suspend: target.td->dbgflags |= TDB_SUSPEND; return SyscallReturn{0, 0};
    case PtRequest::Resume: target.td->dbgflags &= ~TDB_SUSPEND; return SyscallReturn{0, 0};
    case PtRequest::Step:
    case PtRequest::Continue:
    case PtRequest::ToSce:
    case PtRequest::ToScx:
    case PtRequest::Syscall:
    case PtRequest::Detach: return resume(kernel, target, args);
    case PtRequest::Kill: kernel.ptrace_sendsig(p, Sigkill.value(), false); return SyscallReturn{0, 0};
    case PtRequest::FollowFork:
      if (args.data != 0) {
        p.flag |= P_FOLLOWFORK;
      } else {
        p.flag &= ~P_FOLLOWFORK;
      }
      return SyscallReturn{0, 0};
    case PtRequest::ReadI:
    case PtRequest::ReadD: return peek_poke(kernel, td, target, args, false);
    case PtRequest::WriteI:
    case PtRequest::WriteD: return peek_poke(kernel, td, target, args, true);
    case PtRequest::Io: return transfer(kernel, td, target, args);
    case PtRequest::Getnumlwps: return ret(static_cast<std::int64_t>(p.thread_count()));
    default: break;
  }
  if (row->addr == PtAddr::RegsOut || row->addr == PtAddr::RegsIn) {
    if ((p.flag & P_INMEM) == 0) return base::fail(Errno::Eio);
    return registers(td, target, args, *row);
  }
  return base::fail(Errno::Einval);
}

const PiodLayout& piod_layout(const Thread& td) {
  return machine::abi_info(td.proc().abi).pointer_size_bytes == 4 ? kPiodIlp32 : kPiodLp64;
}

std::uint64_t load_word(base::ByteSpan bytes, std::size_t offset, std::uint8_t width) {
  return width == 4 ? base::load_le<std::uint32_t>(bytes, offset)
                    : base::load_le<std::uint64_t>(bytes, offset);
}

}  // namespace

// The system call: structures the request passes by pointer are copied in before kern_ptrace
// (so a bad pointer is EFAULT before anything else) and out after it succeeded.
KResult<SyscallReturn> sys_ptrace(Kernel& kernel, Thread& td, const SyscallRequest& request) {
  PtraceArgs args;
  args.req = arg_int(request, 0);
  args.pid = arg_int(request, 1);
  args.addr = arg_ptr(request, 2);
  args.data = arg_int(request, 3);
  const PtRequestRow* row = pt_request_row(args.req);
  PtAddr kind = row == nullptr ? PtAddr::Ignored : row->addr;
  const PiodLayout& piod = piod_layout(td);
  base::Bytes desc(piod.size_bytes);
  if (kind == PtAddr::RegsIn) {
    args.buffer.assign(machine::register_layout(td.proc().abi, row->regs).size_bytes, 0);
    TRY(kernel.copyin(td, args.addr, args.buffer));
  } else if (kind == PtAddr::IoDesc) {
    TRY(kernel.copyin(td, args.addr, desc));
    args.piod_op = static_cast<std::int32_t>(base::load_le<std::uint32_t>(desc, 0));
    args.piod_offs = load_word(desc, piod.offs_offset, piod.pointer_bytes);
    args.piod_addr = load_word(desc, piod.addr_offset, piod.pointer_bytes);
    args.piod_len = load_word(desc, piod.len_offset, piod.pointer_bytes);
  }
  SyscallReturn result = TRY(kern_ptrace(kernel, td, args));
  if (kind == PtAddr::RegsOut) TRY(kernel.copyout(td, args.addr, args.buffer));
  if (kind == PtAddr::IoDesc) {
    if (piod.pointer_bytes == 4) {
      base::store_le<std::uint32_t>(desc, piod.len_offset, static_cast<std::uint32_t>(args.piod_len));
    } else {
      base::store_le<std::uint64_t>(desc, piod.len_offset, args.piod_len);
    }
    TRY(kernel.copyout(td, args.addr, desc));
  }
  return result;
}

}  // namespace procsim::kern
