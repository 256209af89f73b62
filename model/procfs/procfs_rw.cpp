// procfs reads and writes (spec/procfs.md §3-§5, §7, §8.3): the checks every transfer makes per
// era, the generated text files through the fill functions and text_read.h's offset rules, the
// register files and mem through the kernel's seams, note, osrel, and ctl: its parser, decision
// table and the effects on the target, including the `wait` sleep.
#include "model/procfs/procfs_vnops.h"

#include <algorithm>

#include "model/machine/abi_ops.h"
#include "model/machine/register_file.h"
#include "model/procfs/access.h"
#include "model/procfs/ctl.h"
#include "model/procfs/fill_cmdline.h"
#include "model/procfs/fill_etype.h"
#include "model/procfs/fill_map.h"
#include "model/procfs/fill_note.h"
#include "model/procfs/fill_osrel.h"
#include "model/procfs/fill_regs.h"
#include "model/procfs/fill_rlimit.h"
#include "model/procfs/fill_status.h"
#include "model/procfs/proc_snapshot.h"
#include "model/procfs/procfs_vfs.h"
#include "model/procfs/text_read.h"
#include "sim/base/assert.h"

namespace procsim::procfs {

using vfs::Errno;

namespace {

// Bound on the wake-ups one ctl `wait` sleeps through.
constexpr std::size_t kCtlWaitRoundsMax = 1'000'000;

base::Bytes copy_of(base::ByteSpan data) { return base::Bytes(data.begin(), data.end()); }

base::ByteSpan span_of(const std::string& text) {
  return base::ByteSpan(reinterpret_cast<const std::uint8_t*>(text.data()), text.size());
}

std::size_t register_size(const ProcfsSeams& seams, Node node) {
  switch (node) {
    case Node::Regs: return seams.register_sizes.reg;
    case Node::Fpregs: return seams.register_sizes.fpreg;
    case Node::Dbregs: return seams.register_sizes.dbreg;
    default: PROCSIM_UNREACHABLE();
  }
}

// PT_STEP's arm of the first thread's trace flag; riscv64 has none (EOPNOTSUPP).
vfs::KResult<void> arm_single_step(kern::Proc& target) {
  auto armed = machine::set_single_step(target.first_thread().frame);
  if (armed.ok()) return {};
  return base::fail(armed.error() == machine::MachineError::NotSupported ? Errno::Eopnotsupp : Errno::Einval);
}

// One ctl effect applied to the kernel (ctl.h names each; spec §4.2 says what they do). Only the
// single-step arm can fail, and its failure is the write's.
vfs::KResult<void> apply_ctl_effect(kern::Kernel& kernel, kern::Proc& target, kern::Pid writer,
                                    const CtlEffect& effect) {
  using enum CtlEffectKind;
  switch (effect.kind) {
    case SetTraced: target.flag |= kern::P_TRACED; break;
    case SwapIn: target.flag |= kern::P_INMEM; break;
    case ClearXstat: target.xstat = 0; break;
    case SaveParentAsOppid: target.oppid = target.pptr->pid(); break;
    case ReparentToWriter: kernel.proc_reparent(target, *kernel.pfind(writer)); break;
    case PostSignal: kernel.psignal(target, *effect.signal); break;
    case SetXstat: target.xstat = static_cast<std::uint16_t>(effect.signal->value()); break;
    case ClearTraced: target.flag &= ~kern::P_TRACED; break;
    case ClearStoppedTrace: target.flag &= ~kern::P_STOPPED_TRACE; break;
    case DeletePendingSigtrap:
      target.sigqueue.remove(kern::Sigtrap);
      for (const auto& td : target.threads) td->sigqueue.remove(kern::Sigtrap);
      break;
    case ClearThreadsDebugSuspend:
      for (const auto& td : target.threads) td->dbgflags &= ~kern::TDB_SUSPEND;
      break;
    case ReparentTo: {
      kern::Proc* parent = kernel.pfind(*effect.pid);
      PROCSIM_ASSERT(parent != nullptr);
      kernel.proc_reparent(target, *parent);
      break;
    }
    case ClearOppid: target.oppid = kern::Pid(0); break;
    case ClearWaited: target.flag &= ~kern::P_WAITED; break;
    case WakeupWriter: kernel.wakeup(kern::WaitChannel{kern::WaitChannel::Kind::Proc, writer.value()}); break;
    case ArmSingleStep: return arm_single_step(target);
    case ClearStoppedSig: target.flag &= ~kern::P_STOPPED_SIG; break;
    case MakeRunnable:
      // setrunnable() of a stopped process; p_xstat is the signal it resumes with.
      if (kern::p_shouldstop(target.flag)) kernel.ptrace_sendsig(target, target.xstat, false);
      break;
    case ThreadUnsuspend: kernel.thread_unsuspend(target); break;
  }
  return {};
}

}  // namespace

// spec §7.1, §7.2, §8.3: FreeBSD 8 asks for a regular node carrying the direction (EINVAL,
// EBADF) and a visible node (EIO); the vnode-ops eras for a live process (EINVAL), then init's
// securelevel rule, then the node's direction.
vfs::KResult<kern::Proc*> ProcfsVnodeOps::check_io(const vfs::Vnode& vp, bool is_write,
                                                   const vfs::VfsContext& ctx) const {
  Era era = m_fs->era();
  Node node = key_node(vp.fs_data());
  kern::Pid pid = key_pid(vp.fs_data());
  IoDirection direction = is_write ? IoDirection::Write : IoDirection::Read;
  std::optional<Errno> wrong = wrong_direction_error(era, node, direction);
  if (era == Era::FreeBSD8) {
    if (wrong.has_value()) return base::fail(*wrong);
    if (!visible(node, pid, ctx)) return base::fail(Errno::Eio);
    kern::Proc* p = target_of(pid, ctx);
    PROCSIM_ASSERT(p != nullptr);
    return p;
  }
  if (node == Node::Root || node == Node::ProcDir) return base::fail(*wrong);
  kern::Proc* p = target_of(pid, ctx);
  if (p == nullptr) return base::fail(Errno::Einval);
  TRY(vnode_rw_gate(era, pid, is_write, m_fs->kernel().config().securelevel));
  if (wrong.has_value()) return base::fail(*wrong);
  return p;
}

vfs::KResult<void> ProcfsVnodeOps::read(vfs::Vnode& vp, vfs::Uio& uio, vfs::IoFlags,
                                        const vfs::VfsContext& ctx) {
  kern::Proc* p = TRY(check_io(vp, false, ctx));
  Node node = key_node(vp.fs_data());
  switch (node) {
    case Node::Mem: return transfer_memory(*p, uio, ctx);
    case Node::Regs:
    case Node::Fpregs:
    case Node::Dbregs: return read_registers(node, *p, uio, ctx);
    case Node::Note:
    case Node::Notepg: return base::fail(note_read_error(m_fs->era()));
    default: return read_generated(node, *p, uio, ctx);
  }
}

vfs::KResult<void> ProcfsVnodeOps::write(vfs::Vnode& vp, vfs::Uio& uio, vfs::IoFlags,
                                         const vfs::VfsContext& ctx) {
  kern::Proc* p = TRY(check_io(vp, true, ctx));
  Node node = key_node(vp.fs_data());
  switch (node) {
    case Node::Mem: return transfer_memory(*p, uio, ctx);
    case Node::Regs:
    case Node::Fpregs:
    case Node::Dbregs: return write_registers(node, *p, uio, ctx);
    case Node::Ctl: return write_ctl(*p, uio, ctx);
    case Node::Osrel: return write_osrel(*p, uio);
    case Node::Note:
    case Node::Notepg: {
      std::int64_t offset = uio.offset();
      base::Bytes data = copy_of(uio.move_in(uio.resid()));
      uio.set_offset(offset);
      return base::fail(note_write_error(m_fs->era(), data, offset));
    }
    default: PROCSIM_UNREACHABLE();
  }
}

// The text files: generated anew for every read, then cut by the node's offset rule (§3.7).
vfs::KResult<void> ProcfsVnodeOps::read_generated(Node node, kern::Proc& target, vfs::Uio& uio,
                                                  const vfs::VfsContext& ctx) {
  Era era = m_fs->era();
  ReaderView reader = reader_view(ctx, target);
  ProcSnapshot snapshot = snapshot_of(m_fs->kernel(), target, caller(ctx)->cred.prison);
  std::string text;
  switch (node) {
    case Node::Status: text = TRY(fill_status(snapshot, reader, era)); break;
    case Node::Cmdline: text = TRY(fill_cmdline(snapshot, reader, era)); break;
    case Node::Rlimit: text = TRY(fill_rlimit(snapshot, reader, era)); break;
    case Node::Etype: text = TRY(fill_etype(snapshot, reader, era)); break;
    case Node::Osrel: text = TRY(fill_osrel(snapshot, reader, era)); break;
    case Node::Map: {
      const vm::VmMap* map = m_fs->seams().vm_map ? m_fs->seams().vm_map(target) : target.vmspace.get();
      if (map != nullptr) {
        text = TRY(fill_map(*map, reader, era, vm::kKernelAddresses64));
      } else if (era == Era::FreeBSD8) {
        TRY(pseudofs_map_gate(reader));
      }
      break;
    }
    default: PROCSIM_UNREACHABLE();
  }
  TextRead rule = node_row(era, node).text_read;
  PROCSIM_ASSERT(rule != TextRead::NotText);
  ReadOutcome outcome = procfs::read_text(rule, text, ReadRequest{uio.offset(), uio.resid()});
  std::size_t moved = uio.move_out(span_of(outcome.bytes));
  PROCSIM_ASSERT(moved == outcome.bytes.size());
  if (!outcome.ok()) return base::fail(*outcome.error);
  return {};
}

namespace {

// The register structure `node` names, in the layout a reader of `reader_abi` sees for the
// target's first thread (machine::layout_for_access(): the native layout for a 64-bit reader, the
// 32-bit family for an ia32 reader of an ia32 target, EINVAL for an ia32 reader of a 64-bit one).
vfs::KResult<const machine::RegLayout*> register_layout_of(Node node, const kern::Proc& reader,
                                                           const kern::Proc& target) {
  machine::RegSet set = node == Node::Regs     ? machine::RegSet::Reg
                        : node == Node::Fpregs ? machine::RegSet::FpReg
                                               : machine::RegSet::DbReg;
  auto access = machine::layout_for_access(reader.abi, target.first_thread().frame.abi, set);
  if (access.is_error()) return base::fail(Errno::Einval);
  PROCSIM_ASSERT(access.value()->set == set);
  return access.value();
}

}  // namespace

// Without the seams, the registers are the target's first thread's user frame (td_frame).
vfs::KResult<base::Bytes> ProcfsVnodeOps::register_image(Node node, kern::Proc& target,
                                                         const vfs::VfsContext& ctx) {
  if (m_fs->seams().read_registers) return m_fs->seams().read_registers(target, node);
  const machine::RegLayout* layout = TRY(register_layout_of(node, *caller(ctx), target));
  return machine::fill_registers(*layout, target.first_thread().frame);
}

vfs::KResult<void> ProcfsVnodeOps::store_registers(Node node, kern::Proc& target, base::ByteSpan image,
                                                   const vfs::VfsContext& ctx) {
  if (m_fs->seams().write_registers) return m_fs->seams().write_registers(target, node, image);
  const machine::RegLayout* layout = TRY(register_layout_of(node, *caller(ctx), target));
  if (machine::set_registers(*layout, target.first_thread().frame, image).is_error()) {
    return base::fail(Errno::Einval);
  }
  return {};
}

std::size_t ProcfsVnodeOps::register_bytes(Node node, const kern::Proc& target,
                                           const vfs::VfsContext& ctx) const {
  if (m_fs->seams().read_registers) return register_size(m_fs->seams(), node);
  vfs::KResult<const machine::RegLayout*> layout = register_layout_of(node, *caller(ctx), target);
  // A refused layout is refused again when the image is read; the native size stands in.
  if (layout.is_error()) return register_size(m_fs->seams(), node);
  return layout.value()->size_bytes;
}

vfs::KResult<void> ProcfsVnodeOps::read_registers(Node node, kern::Proc& target, vfs::Uio& uio,
                                                  const vfs::VfsContext& ctx) {
  Era era = m_fs->era();
  bool stopped = kern::p_shouldstop(target.flag);
  RegsRequest request{node, false, uio.offset(), uio.resid(), {}};
  std::size_t size = register_bytes(node, target, ctx);
  RegsPlan plan = TRY(plan_register_io(era, request, size, stopped, reader_view(ctx, target)));
  if (!plan.reads_registers) return {};
  base::Bytes image = TRY(register_image(node, target, ctx));
  RegsOutcome outcome = transfer_registers(era, request, image, stopped);
  uio.move_out(outcome.bytes);
  uio.set_offset(outcome.offset);
  if (outcome.error.has_value()) return base::fail(*outcome.error);
  return {};
}

vfs::KResult<void> ProcfsVnodeOps::write_registers(Node node, kern::Proc& target, vfs::Uio& uio,
                                                   const vfs::VfsContext& ctx) {
  Era era = m_fs->era();
  bool stopped = kern::p_shouldstop(target.flag);
  std::int64_t offset = uio.offset();
  // The caller's bytes are looked at through a copy: only what the transfer moves counts as
  // written, so a FreeBSD 8 write at a non-zero offset returns 0 and a write running past the
  // structure's end returns the bytes that fitted (spec §5.3).
  vfs::Uio peek = uio;
  base::Bytes data = copy_of(peek.move_in(peek.resid()));
  RegsRequest request{node, true, offset, data.size(), data};
  std::size_t size = register_bytes(node, target, ctx);
  RegsPlan plan = TRY(plan_register_io(era, request, size, stopped, reader_view(ctx, target)));
  if (!plan.reads_registers) return {};
  base::Bytes image = TRY(register_image(node, target, ctx));
  RegsOutcome outcome = transfer_registers(era, request, image, stopped);
  PROCSIM_ASSERT(outcome.moved <= uio.resid());
  uio.move_in(outcome.moved);
  uio.set_offset(outcome.offset);
  if (outcome.error.has_value()) return base::fail(*outcome.error);
  if (outcome.write_back.has_value()) TRY(store_registers(node, target, *outcome.write_back, ctx));
  return {};
}

// spec §5.2: the file offset is the target address; bytes moved before a fault stay moved and the
// call still fails (EFAULT, or ENOMEM when a copy-on-write copy finds no swap). Without a seam the
// kernel's proc_rwmem() moves the bytes, the reader's thread paying for copies.
vfs::KResult<void> ProcfsVnodeOps::transfer_memory(kern::Proc& target, vfs::Uio& uio,
                                                   const vfs::VfsContext& ctx) {
  if (uio.resid() == 0) return {};
  TRY(mem_io_gate(m_fs->era(), target.flag, reader_view(ctx, target)));
  const ProcfsSeams& seams = m_fs->seams();
  kern::Thread& debugger = caller(ctx)->first_thread();
  auto address = static_cast<std::uint64_t>(uio.offset());
  kern::RwmemResult result;
  if (uio.rw() == vfs::UioRw::Read) {
    base::Bytes buffer(uio.resid());
    if (seams.read_memory) {
      vfs::KResult<std::size_t> moved = seams.read_memory(target, address, buffer);
      result =
          moved.ok() ? kern::RwmemResult{moved.value(), std::nullopt} : kern::RwmemResult{0, moved.error()};
    } else {
      result = m_fs->kernel().proc_rwmem(target, debugger, address, base::MutableByteSpan(buffer));
    }
    PROCSIM_ASSERT(result.moved <= buffer.size());
    uio.move_out(base::ByteSpan(buffer.data(), result.moved));
  } else {
    std::int64_t offset = uio.offset();
    base::Bytes data = copy_of(uio.move_in(uio.resid()));
    if (seams.write_memory) {
      vfs::KResult<std::size_t> moved = seams.write_memory(target, address, data);
      result =
          moved.ok() ? kern::RwmemResult{moved.value(), std::nullopt} : kern::RwmemResult{0, moved.error()};
    } else {
      result = m_fs->kernel().proc_rwmem(target, debugger, address, base::ByteSpan(data));
    }
    PROCSIM_ASSERT(result.moved <= data.size());
    uio.set_offset(offset + static_cast<std::int64_t>(result.moved));
  }
  if (result.error.has_value()) return base::fail(*result.error);
  return {};
}

vfs::KResult<void> ProcfsVnodeOps::write_osrel(kern::Proc& target, vfs::Uio& uio) {
  base::Bytes data = copy_of(uio.move_in(uio.resid()));
  target.osrel = TRY(parse_osrel_write(m_fs->era(), data));
  return {};
}

// spec §4: parse, decide, apply. The vnode-ops eras keep the descriptor's offset at 0 (the
// routine resets it); FreeBSD 8 consumes the write. FreeBSD 8 logs every recognised word.
vfs::KResult<void> ProcfsVnodeOps::write_ctl(kern::Proc& target, vfs::Uio& uio, const vfs::VfsContext& ctx) {
  Era era = m_fs->era();
  kern::Kernel& kernel = m_fs->kernel();
  std::int64_t offset = uio.offset();
  if (ctl_parse_rules(era).offset_must_be_zero && offset != 0) return base::fail(Errno::Einval);
  if (ctl_parse_rules(era).max_bytes != 0 && uio.resid() > ctl_parse_rules(era).max_bytes) {
    return base::fail(Errno::Emsgsize);
  }
  base::Bytes data = copy_of(uio.move_in(uio.resid()));
  if (era != Era::FreeBSD8) uio.set_offset(offset);
  CtlCommand command = TRY(parse_ctl_write(era, data, offset));
  ReaderView reader = reader_view(ctx, target);
  CtlContext context;
  context.era = era;
  context.writer = reader.pid;
  context.target = ctl_target_of(kernel, target);
  context.securelevel = kernel.config().securelevel;
  context.io_allowed = reader.io_allowed;
  context.debug_error = reader.debug_error;
  CtlDecision decision = decide_ctl(command, context);
  if (decision.console.has_value()) kernel.message_buffer().append(*decision.console);
  if (decision.error.has_value()) return base::fail(*decision.error);
  for (const CtlEffect& effect : decision.effects) TRY(apply_ctl_effect(kernel, target, reader.pid, effect));
  if (decision.wait == CtlWaitLoop::None) return {};
  return run_ctl_wait(decision.wait, target.pid(), ctx);
}

// The `wait` sleep on the target's proc (spec §4.2, §4.4), re-evaluated at every wake-up. A
// target that exits meanwhile ends the wait: EBUSY for a traced wait (it can no longer be
// TRACE_WAIT), success for an untraced one.
vfs::KResult<void> ProcfsVnodeOps::run_ctl_wait(CtlWaitLoop loop, kern::Pid target_pid,
                                                const vfs::VfsContext& ctx) {
  kern::Kernel& kernel = m_fs->kernel();
  kern::Proc* writer = caller(ctx);
  PROCSIM_ASSERT(writer != nullptr);
  bool traced_loop = loop == CtlWaitLoop::UntilStoppedTraced || loop == CtlWaitLoop::WhileStoppedTraced;
  for (std::size_t round = 0; round < kCtlWaitRoundsMax; ++round) {
    kern::Proc* target = kernel.pfind(target_pid);
    if (target == nullptr || (target->flag & kern::P_WEXIT) != 0) {
      if (traced_loop) return base::fail(Errno::Ebusy);
      return {};
    }
    CtlWaitStep step = ctl_wait_step(loop, ctl_target_of(kernel, *target), writer->pid());
    if (!step.sleep) {
      if (step.result.has_value()) return base::fail(*step.result);
      return {};
    }
    kern::WaitChannel channel{kern::WaitChannel::Kind::Proc, target_pid.value()};
    TRY(kernel.sleep(writer->first_thread(), channel, kern::PWAIT, step.wmesg, 0, true));
  }
  PROCSIM_UNREACHABLE();
}

}  // namespace procsim::procfs
