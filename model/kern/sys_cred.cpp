// Credential and resource-limit system calls (8.3 kern_prot.c, kern_resource.c): the id
// queries, setuid/setgid as 8.3 compiles them (POSIX appendix B.4.2.2 on, _POSIX_SAVED_IDS off:
// the saved ids only matter to seteuid/setegid), setgroups, issetugid, getrlimit, setrlimit.
// Every change of an id marks the process set-id (setsugid). The RLIMIT_CPU timer and
// stack-size side effects of setrlimit are not modelled.
#include "model/kern/sys_handlers.h"
#include "sim/base/assert.h"

namespace procsim::kern {

vfs::KResult<SyscallReturn> sys_getuid(Kernel&, Thread& td, const SyscallRequest&) {
  const vfs::Ucred& cred = td.proc().cred;
  return SyscallReturn{cred.ruid.value(), cred.uid.value()};
}

vfs::KResult<SyscallReturn> sys_geteuid(Kernel&, Thread& td, const SyscallRequest&) {
  return ret(td.proc().cred.uid.value());
}

vfs::KResult<SyscallReturn> sys_getgid(Kernel&, Thread& td, const SyscallRequest&) {
  const vfs::Ucred& cred = td.proc().cred;
  return SyscallReturn{cred.rgid.value(), cred.egid().value()};
}

vfs::KResult<SyscallReturn> sys_getegid(Kernel&, Thread& td, const SyscallRequest&) {
  return ret(td.proc().cred.egid().value());
}

// getgroups(): a size of 0 asks for the count; a smaller buffer than the list is EINVAL.
vfs::KResult<SyscallReturn> sys_getgroups(Kernel& kernel, Thread& td, const SyscallRequest& request) {
  const vfs::Ucred& cred = td.proc().cred;
  std::uint32_t size = arg_uint(request, 0);
  std::size_t ngroups = cred.ngroups();
  if (size == 0) return ret(static_cast<std::int64_t>(ngroups));
  if (size < ngroups) return base::fail(vfs::Errno::Einval);
  base::Bytes raw(ngroups * 4);
  for (std::size_t i = 0; i < ngroups; ++i) base::store_le<std::uint32_t>(raw, 4 * i, cred.groups[i].value());
  TRY(kernel.copyout(td, arg_ptr(request, 1), raw));
  return ret(static_cast<std::int64_t>(ngroups));
}

// setuid(): allowed to the real or effective uid (B.4.2.2's "setuid(geteuid())"), or with
// privilege; it then sets all three uids. The real uid's change moves the per-uid process count.
vfs::KResult<SyscallReturn> sys_setuid(Kernel& kernel, Thread& td, const SyscallRequest& request) {
  Proc& p = td.proc();
  vfs::Uid uid(arg_uint(request, 0));
  const vfs::Ucred old = p.cred;
  if (uid != old.ruid && uid != old.uid && !kernel.privileged(old)) return base::fail(vfs::Errno::Eperm);
  if (uid != old.ruid) {
    kernel.change_ruid(p, uid);
    kernel.setsugid(p);
  }
  if (uid != old.svuid) {
    p.cred.svuid = uid;
    kernel.setsugid(p);
  }
  if (uid != old.uid) {
    p.cred.uid = uid;
    kernel.setsugid(p);
  }
  PROCSIM_ASSERT(p.cred.uid == uid && p.cred.ruid == uid && p.cred.svuid == uid);
  return ret(0);
}

vfs::KResult<SyscallReturn> sys_seteuid(Kernel& kernel, Thread& td, const SyscallRequest& request) {
  Proc& p = td.proc();
  vfs::Uid euid(arg_uint(request, 0));
  const vfs::Ucred& cred = p.cred;
  if (euid != cred.ruid && euid != cred.svuid && !kernel.privileged(cred))
    return base::fail(vfs::Errno::Eperm);
  if (cred.uid != euid) {
    p.cred.uid = euid;
    kernel.setsugid(p);
  }
  return ret(0);
}

// setgid(): the same rules for the real, effective and saved gids.
vfs::KResult<SyscallReturn> sys_setgid(Kernel& kernel, Thread& td, const SyscallRequest& request) {
  Proc& p = td.proc();
  vfs::Gid gid(arg_uint(request, 0));
  const vfs::Ucred old = p.cred;
  if (gid != old.rgid && gid != old.egid() && !kernel.privileged(old)) return base::fail(vfs::Errno::Eperm);
  if (old.rgid != gid) {
    p.cred.rgid = gid;
    kernel.setsugid(p);
  }
  if (old.svgid != gid) {
    p.cred.svgid = gid;
    kernel.setsugid(p);
  }
  if (old.egid() != gid) {
    p.cred.groups.front() = gid;
    kernel.setsugid(p);
  }
  return ret(0);
}

vfs::KResult<SyscallReturn> sys_setegid(Kernel& kernel, Thread& td, const SyscallRequest& request) {
  Proc& p = td.proc();
  vfs::Gid egid(arg_uint(request, 0));
  const vfs::Ucred& cred = p.cred;
  if (egid != cred.rgid && egid != cred.svgid && !kernel.privileged(cred))
    return base::fail(vfs::Errno::Eperm);
  if (cred.egid() != egid) {
    p.cred.groups.front() = egid;
    kernel.setsugid(p);
  }
  return ret(0);
}

// setgroups(): the size check comes first (EINVAL), then the copy (EFAULT), then privilege
// (EPERM). An empty list keeps only the effective gid.
vfs::KResult<SyscallReturn> sys_setgroups(Kernel& kernel, Thread& td, const SyscallRequest& request) {
  Proc& p = td.proc();
  std::uint32_t count = arg_uint(request, 0);
  const vfs::GroupRules& rules = vfs::group_rules(kernel.config().era);
  TRY(vfs::check_setgroups_count(count, rules));
  base::Bytes raw(static_cast<std::size_t>(count) * 4);
  TRY(kernel.copyin(td, arg_ptr(request, 1), raw));
  if (!kernel.privileged(p.cred)) return base::fail(vfs::Errno::Eperm);
  if (count == 0) {
    p.cred.groups.resize(1);
  } else {
    std::vector<vfs::Gid> groups;
    for (std::size_t i = 0; i < count; ++i) groups.emplace_back(base::load_le<std::uint32_t>(raw, 4 * i));
    vfs::crsetgroups(p.cred, groups, rules);
  }
  kernel.setsugid(p);
  return ret(0);
}

vfs::KResult<SyscallReturn> sys_issetugid(Kernel&, Thread& td, const SyscallRequest&) {
  return ret((td.proc().flag & P_SUGID) != 0 ? 1 : 0);
}

vfs::KResult<SyscallReturn> sys_getrlimit(Kernel& kernel, Thread& td, const SyscallRequest& request) {
  std::uint32_t which = arg_uint(request, 0);
  if (which >= kRlimNlimits) return base::fail(vfs::Errno::Einval);
  const RlimitValue& value = td.proc().limits.get(static_cast<Rlimit>(which));
  std::array<std::uint8_t, kRlimitBytes> raw{};
  base::store_le<std::uint64_t>(raw, 0, value.cur);
  base::store_le<std::uint64_t>(raw, 8, value.max);
  TRY(kernel.copyout(td, arg_ptr(request, 1), raw));
  return ret(0);
}

// setrlimit(): negative values mean infinity; raising either value above the current maximum
// needs privilege (EPERM); the current value is cut to the maximum, then the per-resource
// clamps apply.
vfs::KResult<SyscallReturn> sys_setrlimit(Kernel& kernel, Thread& td, const SyscallRequest& request) {
  std::array<std::uint8_t, kRlimitBytes> raw{};
  TRY(kernel.copyin(td, arg_ptr(request, 1), raw));
  std::uint32_t which = arg_uint(request, 0);
  if (which >= kRlimNlimits) return base::fail(vfs::Errno::Einval);
  auto as_limit = [](std::int64_t value) {
    return value < 0 ? kRlimInfinity : static_cast<std::uint64_t>(value);
  };
  RlimitValue wanted{as_limit(base::load_le<std::int64_t>(raw, 0)),
                     as_limit(base::load_le<std::int64_t>(raw, 8))};
  Proc& p = td.proc();
  auto resource = static_cast<Rlimit>(which);
  const RlimitValue& current = p.limits.get(resource);
  bool raises = wanted.cur > current.max || wanted.max > current.max;
  if (raises && !kernel.privileged(p.cred)) return base::fail(vfs::Errno::Eperm);
  if (wanted.cur > wanted.max) wanted.cur = wanted.max;
  p.limits.set(resource,
               clamp_rlimit(resource, wanted, kernel.config().params, kernel.config().vm_size_limits));
  return ret(0);
}

}  // namespace procsim::kern
