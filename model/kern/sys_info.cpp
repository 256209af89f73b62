// Information calls: __sysctl for the few nodes userland programs read (kern.proc for ps,
// kern.proc.args, kern.msgbuf for dmesg, and sysctlbyname's name-to-oid lookup) and
// clock_gettime (8.3 kern/kern_sysctl.c, kern/kern_proc.c, kern/subr_msgbuf.c,
// kern/kern_time.c). Writable nodes, the rest of the MIB tree and per-thread records are
// not modelled; kern.proc records use procsim's kinfo_proc layout (kinfo_proc.h).
#include <algorithm>
#include <array>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "model/kern/kinfo_proc.h"
#include "model/kern/sys_handlers.h"
#include "sim/base/assert.h"

namespace procsim::kern {

namespace {

// CTL_MAXNAME: the longest numeric name.
constexpr std::uint32_t kCtlMaxName = 24;
// The top-level and kern.* numbers (sys/sys/sysctl.h).
constexpr std::int32_t kCtlSysctl = 0;
constexpr std::int32_t kCtlSysctlName2oid = 3;
constexpr std::int32_t kCtlKern = 1;
constexpr std::int32_t kKernProc = 14;
constexpr std::int32_t kKernProcAll = 0;
constexpr std::int32_t kKernProcPid = 1;
constexpr std::int32_t kKernProcArgs = 7;
constexpr std::int32_t kKernProcProc = 8;
constexpr std::int32_t kCtlHw = 6;
constexpr std::int32_t kHwMachineArch = 11;
// kern.msgbuf is an OID_AUTO node; the kernel numbers those from CTL_AUTO_START (0x100) in the
// order they register. procsim registers it first (docs/deviations.md).
constexpr std::int32_t kKernMsgbufAuto = 0x100;
// The longest name sysctlbyname may look up.
constexpr std::size_t kNameMax = 256;

// Nodes reachable by name, for sysctlbyname(3).
struct SysctlNameRow {
  std::string_view name;
  std::array<std::int32_t, 2> oid;
};
constexpr std::array<SysctlNameRow, 3> kSysctlNames = {{
    {"hw.machine_arch", {kCtlHw, kHwMachineArch}},
    {"kern.msgbuf", {kCtlKern, kKernMsgbufAuto}},
    {"kern.proc", {kCtlKern, kKernProc}},
}};

// The CLOCK_* ids clock_gettime accepts.
constexpr std::uint64_t kClockRealtime = 0;
constexpr std::uint64_t kClockMonotonic = 4;

KinfoStat kinfo_stat(const Proc& p) {
  if (p.is_zombie()) return KinfoStat::Zombie;
  if (p.state() == ProcState::PRS_NEW) return KinfoStat::Idle;
  if ((p.flag & P_STOPPED) != 0) return KinfoStat::Stop;
  const Thread& td = p.first_thread();
  if (td.is_runnable()) return KinfoStat::Run;
  if (td.is_sleeping()) return KinfoStat::Sleep;
  // Parked scripted threads and suspended ones wait without a channel.
  return KinfoStat::Wait;
}

void fill_ids(const Kernel& kernel, const Proc& p, KinfoProc& k) {
  k.pid = p.pid().value();
  k.ppid = p.pptr != nullptr ? p.pptr->pid().value() : 0;
  if (p.pgrp != nullptr) {
    k.pgid = p.pgrp->pgid.value();
    k.jobc = p.pgrp->jobc;
    const Session* session = p.pgrp->session;
    PROCSIM_ASSERT(session != nullptr);
    k.sid = session->sid.value();
    k.login = session->login.substr(0, 16);
    if (session->leader == &p) k.kiflag |= kKiSleader;
    if (session->tty.has_value() && session->has_tty_vnode) {
      k.kiflag |= kKiCtty;
      k.tty = session->tty->substr(0, 15);
      k.tsid = k.sid;
      if (const Tty* tty = kernel.tty(*session->tty)) k.tpgid = tty->foreground.value();
    }
  }
  k.uid = p.cred.uid.value();
  k.ruid = p.cred.ruid.value();
  k.svuid = p.cred.svuid.value();
  k.rgid = p.cred.rgid.value();
  k.svgid = p.cred.svgid.value();
}

KinfoProc fill_kinfo_proc(Kernel& kernel, const Proc& p) {
  KinfoProc k;
  fill_ids(kernel, p, k);
  k.flag = p.flag;
  k.stat = kinfo_stat(p);
  k.nice = p.nice;
  k.xstat = p.xstat;
  k.numthreads = static_cast<std::uint32_t>(p.thread_count());
  k.comm = p.comm.substr(0, kMaxComLen);
  k.emul = p.sysent_name.substr(0, 15);
  k.siglist = p.sigqueue.signals().words()[0];
  k.sigignore = p.sigacts.sigignore.words()[0];
  k.sigcatch = p.sigacts.sigcatch.words()[0];
  sim::Timeval start = kernel.engine().clock().time_of_day_at(p.start_tick);
  k.start_seconds = start.sec;
  k.start_usec = start.usec;
  sim::Timeval user = kernel.ticks_to_timeval(p.user_ticks);
  sim::Timeval system = kernel.ticks_to_timeval(p.system_ticks);
  k.user_usec = static_cast<std::uint64_t>(user.sec * 1'000'000 + user.usec);
  k.system_usec = static_cast<std::uint64_t>(system.sec * 1'000'000 + system.usec);
  k.runtime_usec = k.user_usec + k.system_usec;
  if (p.thread_count() > 0) {
    const Thread& td = p.first_thread();
    k.tid = td.tid().value();
    k.sigmask = td.sigmask.words()[0];
    k.pri_level = td.priority;
    k.pri_user = td.user_priority;
    k.sleep_interruptible = td.sleep_interruptible ? 1 : 0;
    if (td.is_sleeping()) {
      k.wmesg = std::string(td.wmesg.substr(0, 8));
      k.wchan = td.sleep_sequence + 1;
    }
  }
  return k;
}

// Output to the caller's old buffer with sysctl_old_user()'s rules: copy what fits, count
// everything, ENOMEM when the buffer was too small.
vfs::KResult<SyscallReturn> copy_old(Kernel& kernel, Thread& td, const SyscallRequest& request,
                                     const base::Bytes& bytes) {
  UserAddr oldp = arg_ptr(request, 2);
  UserAddr oldlenp = arg_ptr(request, 3);
  std::array<std::uint8_t, 8> raw{};
  if (is_null(oldlenp)) return ret(0);
  TRY(kernel.copyin(td, oldlenp, raw));
  std::uint64_t room = base::load_le<std::uint64_t>(raw, 0);
  std::uint64_t needed = bytes.size();
  bool truncated = false;
  std::uint64_t reported = needed;
  if (!is_null(oldp)) {
    std::uint64_t copied = std::min(room, needed);
    TRY(kernel.copyout(td, oldp, base::ByteSpan(bytes.data(), static_cast<std::size_t>(copied))));
    truncated = copied < needed;
    if (truncated) reported = copied;
  }
  base::store_le<std::uint64_t>(raw, 0, reported);
  TRY(kernel.copyout(td, oldlenp, raw));
  if (truncated) return base::fail(vfs::Errno::Enomem);
  return ret(0);
}

vfs::KResult<base::Bytes> name_to_oid(Kernel& kernel, Thread& td, const SyscallRequest& request) {
  UserAddr newp = arg_ptr(request, 4);
  std::uint64_t newlen = request.args[5];
  if (is_null(newp) || newlen == 0 || newlen >= kNameMax) return base::fail(vfs::Errno::Einval);
  std::string name(static_cast<std::size_t>(newlen), '\0');
  TRY(kernel.copyin(td, newp,
                    base::MutableByteSpan(reinterpret_cast<std::uint8_t*>(name.data()), name.size())));
  if (!name.empty() && name.back() == '\0') name.pop_back();
  for (const SysctlNameRow& row : kSysctlNames) {
    if (row.name != name) continue;
    base::Bytes out(row.oid.size() * 4);
    for (std::size_t i = 0; i < row.oid.size(); ++i) base::store_le<std::int32_t>(out, 4 * i, row.oid[i]);
    return out;
  }
  return base::fail(vfs::Errno::Enoent);
}

vfs::KResult<base::Bytes> kern_proc(Kernel& kernel, Thread& td, std::span<const std::int32_t> name) {
  if (name.empty()) return base::fail(vfs::Errno::Eisdir);
  const ProcView caller = kernel.view(td.proc());
  auto visible = [&](const Proc& p) { return p_cansee(caller, kernel.view(p), kernel.policy()).ok(); };
  base::Bytes out;
  if (name[0] == kKernProcAll || name[0] == kKernProcProc) {
    if (name.size() != 1) return base::fail(vfs::Errno::Einval);
    // sysctl_kern_proc walks allproc, then zombproc, skipping what p_cansee hides.
    for (const auto* list : {&kernel.allproc(), &kernel.zombproc()}) {
      for (const Proc* p : *list) {
        if (p->state() == ProcState::PRS_NEW || !visible(*p)) continue;
        base::Bytes record = encode_kinfo_proc(fill_kinfo_proc(kernel, *p));
        out.insert(out.end(), record.begin(), record.end());
      }
    }
    return out;
  }
  if (name[0] != kKernProcPid && name[0] != kKernProcArgs) return base::fail(vfs::Errno::Enoent);
  if (name.size() != 2) return base::fail(vfs::Errno::Einval);
  const Proc* p = kernel.find_proc(Pid(name[1]));
  if (p == nullptr || p->state() == ProcState::PRS_NEW) return base::fail(vfs::Errno::Esrch);
  if (!visible(*p)) return base::fail(name[0] == kKernProcArgs ? vfs::Errno::Eperm : vfs::Errno::Esrch);
  if (name[0] == kKernProcPid) return encode_kinfo_proc(fill_kinfo_proc(kernel, *p));
  for (const std::string& arg : p->args) {
    out.insert(out.end(), arg.begin(), arg.end());
    out.push_back(0);
  }
  return out;
}

// hw.machine_arch: MACHINE_ARCH of the kernel as a C string, so that a program built for every
// architecture can tell which one it runs on (aarch64 is arm64's MACHINE_ARCH).
vfs::KResult<base::Bytes> machine_arch(const Kernel& kernel) {
  std::string_view text;
  switch (kernel.config().arch) {
    case machine::Arch::I386: text = "i386"; break;
    case machine::Arch::Amd64: text = "amd64"; break;
    case machine::Arch::Arm64: text = "aarch64"; break;
    case machine::Arch::Riscv64: text = "riscv64"; break;
  }
  PROCSIM_ASSERT(!text.empty());
  base::Bytes out(text.begin(), text.end());
  out.push_back(0);
  return out;
}

vfs::KResult<base::Bytes> sysctl_lookup(Kernel& kernel, Thread& td, const SyscallRequest& request,
                                        std::span<const std::int32_t> name) {
  if (name[0] == kCtlSysctl && name[1] == kCtlSysctlName2oid && name.size() == 2) {
    return name_to_oid(kernel, td, request);
  }
  if (name[0] == kCtlHw && name[1] == kHwMachineArch && name.size() == 2) return machine_arch(kernel);
  if (name[0] != kCtlKern) return base::fail(vfs::Errno::Enoent);
  if (name[1] == kKernProc) return kern_proc(kernel, td, name.subspan(2));
  if (name[1] == kKernMsgbufAuto) {
    if (name.size() != 2) return base::fail(vfs::Errno::Enotdir);
    const std::string& text = kernel.message_buffer().contents();
    return base::Bytes(text.begin(), text.end());
  }
  return base::fail(vfs::Errno::Enoent);
}

}  // namespace

vfs::KResult<SyscallReturn> sys_sysctl(Kernel& kernel, Thread& td, const SyscallRequest& request) {
  std::uint32_t namelen = arg_uint(request, 1);
  if (namelen > kCtlMaxName || namelen < 2) return base::fail(vfs::Errno::Einval);
  std::array<std::uint8_t, kCtlMaxName * 4> raw{};
  TRY(kernel.copyin(td, arg_ptr(request, 0), std::span(raw).first(namelen * 4)));
  std::array<std::int32_t, kCtlMaxName> words{};
  for (std::size_t i = 0; i < namelen; ++i) words[i] = base::load_le<std::int32_t>(raw, 4 * i);
  std::span<const std::int32_t> name = std::span(words).first(namelen);
  bool is_name2oid = name[0] == kCtlSysctl && name[1] == kCtlSysctlName2oid;
  // Every node procsim has is read-only: a new value is EPERM, except name2oid's input.
  if (!is_name2oid && !is_null(arg_ptr(request, 4))) return base::fail(vfs::Errno::Eperm);
  base::Bytes bytes = TRY(sysctl_lookup(kernel, td, request, name));
  return copy_old(kernel, td, request, bytes);
}

vfs::KResult<SyscallReturn> sys_clock_get_time(Kernel& kernel, Thread& td, const SyscallRequest& request) {
  std::uint64_t clock_id = request.args[0];
  sim::Timeval now;
  if (clock_id == kClockRealtime) {
    now = kernel.engine().clock().time_of_day();
  } else if (clock_id == kClockMonotonic) {
    now = kernel.engine().clock().uptime();
  } else {
    return base::fail(vfs::Errno::Einval);
  }
  std::array<std::uint8_t, kTimespecBytes> raw{};
  base::store_le<std::int64_t>(raw, 0, now.sec);
  base::store_le<std::int64_t>(raw, 8, now.usec * 1000);
  TRY(kernel.copyout(td, arg_ptr(request, 1), raw));
  return ret(0);
}

}  // namespace procsim::kern
