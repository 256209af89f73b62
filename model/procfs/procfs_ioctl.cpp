// The PIOC ioctls (spec/procfs.md §6): which descriptors accept them per era, the command
// numbers (FreeBSD 4's _IO/_IOC(IOC_IN) forms, FreeBSD 8's _IOWINT forms with the older ones
// still accepted), struct procfs_status, and PIOCWAIT's sleep on the target's p_stype. 4.4BSD had
// no procfs ioctls. The stop events themselves are the kernel's (kern stopevent()).
#include <array>

#include "model/kern/cred_policy.h"
#include "model/procfs/access.h"
#include "model/procfs/procfs_vfs.h"
#include "model/procfs/procfs_vnops.h"
#include "sim/base/assert.h"

namespace procsim::procfs {

using vfs::Errno;

namespace {

// Bound on the wake-ups one PIOCWAIT sleeps through.
constexpr std::size_t kPiocWaitRoundsMax = 1'000'000;

enum class PiocOp : std::uint8_t { Bis, Bic, Sfl, Wait, Cont, Status, Gfl };

constexpr std::uint32_t kIocVoid = 0x20000000;
constexpr std::uint32_t kIocOut = 0x40000000;
constexpr std::uint32_t kIocIn = 0x80000000;

constexpr std::uint32_t ioc(std::uint32_t inout, std::uint32_t number, std::uint32_t length) {
  return inout | ((length & 0x1fff) << 16) | (std::uint32_t{'p'} << 8) | number;
}

struct PiocRow {
  PiocOp op;
  std::uint32_t number;  // the 'p' group's command number
  bool reads_status;     // _IOR(..., struct procfs_status): its size depends on the ABI
  bool takes_int;        // the argument is an int passed by value
};

// sys/pioctl.h: one row per command, in number order.
constexpr std::array kPiocTable = {
    PiocRow{PiocOp::Bis, 1, false, true},  PiocRow{PiocOp::Bic, 2, false, true},
    PiocRow{PiocOp::Sfl, 3, false, true},  PiocRow{PiocOp::Wait, 4, true, false},
    PiocRow{PiocOp::Cont, 5, false, true}, PiocRow{PiocOp::Status, 6, true, false},
    PiocRow{PiocOp::Gfl, 7, false, false},
};

// struct procfs_status: int state, int flags, unsigned long events, int why, unsigned long val.
std::size_t status_bytes(std::size_t long_bytes) { return long_bytes == 8 ? 32 : 20; }

// The encodings each era accepts for a row: FreeBSD 8 _IOWINT ('p', n) plus the compat _IO and
// _IOC(IOC_IN) forms; FreeBSD 4 _IO and _IOC(IOC_IN) (spec §6.1, unconfirmed for 4.x).
bool matches(const PiocRow& row, std::uint32_t command, std::size_t long_bytes) {
  if (row.reads_status)
    return command == ioc(kIocOut, row.number, static_cast<std::uint32_t>(status_bytes(long_bytes)));
  if (!row.takes_int) return command == ioc(kIocOut, row.number, 4);
  return command == ioc(kIocVoid, row.number, 4) || command == ioc(kIocVoid, row.number, 0) ||
         command == ioc(kIocIn, row.number, 0);
}

std::uint32_t int_argument(base::ByteSpan data) {
  if (data.size() < 4) return 0;
  return base::load_le<std::uint32_t>(data, 0);
}

void store_status(base::MutableByteSpan data, std::size_t long_bytes, std::int32_t state, std::uint32_t flags,
                  std::uint64_t events, std::uint32_t why, std::uint64_t val) {
  PROCSIM_ASSERT(data.size() >= status_bytes(long_bytes));
  base::store_le<std::int32_t>(data, 0, state);
  base::store_le<std::uint32_t>(data, 4, flags);
  if (long_bytes == 8) {
    base::store_le<std::uint64_t>(data, 8, events);
    base::store_le<std::uint32_t>(data, 16, why);
    base::store_le<std::uint32_t>(data, 20, 0);
    base::store_le<std::uint64_t>(data, 24, val);
    return;
  }
  base::store_le<std::uint32_t>(data, 8, static_cast<std::uint32_t>(events));
  base::store_le<std::uint32_t>(data, 12, why);
  base::store_le<std::uint32_t>(data, 16, static_cast<std::uint32_t>(val));
}

// PIOCSTATUS (and FreeBSD 8's PIOCWAIT): state 1 while running; why and val only while stopped;
// FreeBSD 8 always reports flags 0.
void store_current_status(base::MutableByteSpan data, std::size_t long_bytes, const kern::Proc& p, Era era) {
  std::uint32_t flags = era == Era::FreeBSD8 ? 0 : p.pfsflags;
  std::uint32_t why = p.step ? p.stype : 0;
  std::uint64_t val = p.step ? p.xstat : 0;
  store_status(data, long_bytes, p.step ? 0 : 1, flags, p.stops, why, val);
}

}  // namespace

// spec §6.3 pre-checks: FreeBSD 4 takes them on any procfs vnode of a live process; FreeBSD 8
// only on mem (directories EINVAL, other files ENOTTY) while it is visible.
vfs::KResult<void> ProcfsVnodeOps::ioctl(vfs::Vnode& vp, std::uint32_t command, base::MutableByteSpan data,
                                         std::uint32_t, const vfs::VfsContext& ctx) {
  Era era = m_fs->era();
  Node node = key_node(vp.fs_data());
  kern::Pid pid = key_pid(vp.fs_data());
  if (era == Era::Bsd44) return base::fail(Errno::Enotty);
  if (era == Era::FreeBSD8) {
    if (vp.type() != vfs::VType::VREG) return base::fail(Errno::Einval);
    if (node != Node::Mem) return base::fail(Errno::Enotty);
    if (!visible(node, pid, ctx)) return base::fail(Errno::Eio);
    kern::Proc* p = target_of(pid, ctx);
    PROCSIM_ASSERT(p != nullptr);
    return pioc(*p, command, data, ctx);
  }
  if (node == Node::Root || node == Node::Curproc) return base::fail(Errno::Enotty);
  kern::Proc* p = target_of(pid, ctx);
  if (p == nullptr) return base::fail(Errno::Enotty);
  if ((p->flag & kern::P_INEXEC) != 0) return base::fail(Errno::Eagain);
  if (!reader_view(ctx, *p).io_allowed) return base::fail(Errno::Eperm);
  return pioc(*p, command, data, ctx);
}

vfs::KResult<void> ProcfsVnodeOps::pioc(kern::Proc& target, std::uint32_t command, base::MutableByteSpan data,
                                        const vfs::VfsContext& ctx) {
  Era era = m_fs->era();
  kern::Kernel& kernel = m_fs->kernel();
  std::size_t long_bytes = m_fs->seams().long_bytes;
  const PiocRow* row = nullptr;
  for (const PiocRow& candidate : kPiocTable) {
    if (matches(candidate, command, long_bytes)) row = &candidate;
  }
  if (row == nullptr) return base::fail(Errno::Enotty);
  std::uint32_t argument = row->takes_int ? int_argument(data) : 0;
  switch (row->op) {
    case PiocOp::Bis: target.stops |= argument; return {};
    case PiocOp::Bic: target.stops &= ~argument; return {};
    case PiocOp::Sfl: {
      // FreeBSD 4 keeps a byte; PF_ISUGID needs root (PRIV_DEBUG_SUGID in FreeBSD 8).
      std::uint32_t flags = era == Era::FreeBSD8 ? argument : (argument & 0xff);
      if ((flags & kern::PF_ISUGID) != 0 && !kernel.privileged(ctx.cred)) return base::fail(Errno::Eperm);
      target.pfsflags = flags;
      return {};
    }
    case PiocOp::Gfl: base::store_le<std::uint32_t>(data, 0, target.pfsflags); return {};
    case PiocOp::Status: store_current_status(data, long_bytes, target, era); return {};
    case PiocOp::Wait: return pioc_wait(target, data, ctx);
    case PiocOp::Cont: {
      if (!target.step) {
        if (era == Era::FreeBSD8) return {};
        return base::fail(Errno::Einval);
      }
      std::uint32_t limit = era == Era::FreeBSD8 ? kern::kSigMaxsig : kern::kNsig - 1;
      if (argument > limit) return base::fail(Errno::Einval);
      if (argument != 0) kernel.psignal(target, kern::Signal(argument));
      target.step = false;
      kernel.wakeup(kern::WaitChannel{kern::WaitChannel::Kind::ProcStep, target.pid().value()});
      return {};
    }
  }
  PROCSIM_UNREACHABLE();
}

// FreeBSD 4 sleeps once ("piocwait") and reports state 1 whatever woke it; FreeBSD 8 loops
// ("pioctl") until the target stops or starts exiting, then reports as PIOCSTATUS does.
vfs::KResult<void> ProcfsVnodeOps::pioc_wait(kern::Proc& target, base::MutableByteSpan data,
                                             const vfs::VfsContext& ctx) {
  Era era = m_fs->era();
  kern::Kernel& kernel = m_fs->kernel();
  kern::Proc* waiter = caller(ctx);
  PROCSIM_ASSERT(waiter != nullptr);
  kern::Pid pid = target.pid();
  kern::WaitChannel channel{kern::WaitChannel::Kind::ProcStype, pid.value()};
  std::size_t long_bytes = m_fs->seams().long_bytes;
  if (era != Era::FreeBSD8) {
    if (!target.step) TRY(kernel.sleep(waiter->first_thread(), channel, kern::PWAIT, "piocwait", 0, true));
    kern::Proc* p = kernel.find_proc(pid);
    if (p == nullptr) {
      store_status(data, long_bytes, 1, 0, 0, 0, 0);
      return {};
    }
    store_status(data, long_bytes, 1, p->pfsflags, p->stops, p->stype, p->xstat);
    return {};
  }
  for (std::size_t round = 0; round < kPiocWaitRoundsMax; ++round) {
    kern::Proc* p = kernel.find_proc(pid);
    if (p == nullptr) {
      store_status(data, long_bytes, 1, 0, 0, 0, 0);
      return {};
    }
    if (p->step || (p->flag & kern::P_WEXIT) != 0) {
      store_current_status(data, long_bytes, *p, era);
      return {};
    }
    TRY(kernel.sleep(waiter->first_thread(), channel, kern::PWAIT, "pioctl", 0, true));
  }
  PROCSIM_UNREACHABLE();
}

}  // namespace procsim::procfs
