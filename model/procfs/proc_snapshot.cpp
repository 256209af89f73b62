// Snapshots of kernel state for the fill functions. The status line's terminal is printed by
// device numbers in the vnode-ops eras; the simulator names its terminals ("ttyp0", "ttyv1",
// "console"), so their numbers come from FreeBSD's majors for those drivers (pty 5, syscons 12,
// console 0). spec/procfs.md §3.1, §3.5.
#include "model/procfs/proc_snapshot.h"

#include <array>
#include <charconv>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "model/procfs/access.h"
#include "sim/base/assert.h"

namespace procsim::procfs {

namespace {

struct TtyMajorRow {
  std::string_view prefix;
  std::int32_t major;
};

constexpr std::array kTtyMajors = {
    TtyMajorRow{"ttyp", 5},
    TtyMajorRow{"ttyv", 12},
    TtyMajorRow{"console", 0},
};

TtyView tty_view(const std::string& name) {
  TtyView view{0, 0, name};
  for (const TtyMajorRow& row : kTtyMajors) {
    if (!std::string_view(name).starts_with(row.prefix)) continue;
    view.major = row.major;
    std::string_view rest = std::string_view(name).substr(row.prefix.size());
    std::int32_t minor = 0;
    auto [end, error] = std::from_chars(rest.data(), rest.data() + rest.size(), minor);
    if (error == std::errc() && end == rest.data() + rest.size()) view.minor = minor;
    break;
  }
  return view;
}

TimeVal time_val(sim::Timeval value) { return TimeVal{value.sec, value.usec}; }

std::optional<std::string> cached_args(const kern::Proc& p) {
  std::string joined;
  for (const std::string& arg : p.args) {
    joined += arg;
    joined += '\0';
  }
  if (p.args.empty() || joined.size() > kPsArgCacheLimit) return std::nullopt;
  return joined;
}

}  // namespace

std::string prison_name(const kern::PrisonTree& prisons, vfs::PrisonId reader, vfs::PrisonId target) {
  if (reader == target) return "0";
  PROCSIM_ASSERT(target != vfs::kPrison0);
  // The full name, built leaf first; each step climbs one level of a tree of parents.size() prisons.
  std::vector<std::string> components;
  std::size_t reader_depth = 0;
  bool beneath_reader = false;
  for (vfs::PrisonId current = target; current != vfs::kPrison0;) {
    PROCSIM_ASSERT(components.size() <= prisons.parents.size());
    PROCSIM_ASSERT_MSG(current.value() < prisons.parents.size(), "prison missing from the PrisonTree");
    components.push_back(fmt::format("{}", current.value()));
    current = prisons.parents[current.value()];
    if (current == reader) beneath_reader = true;
    if (beneath_reader && current != vfs::kPrison0) ++reader_depth;
  }
  // prison_ischild(): the reader's own components are dropped from the front.
  std::size_t keep = beneath_reader ? components.size() - reader_depth : components.size();
  PROCSIM_ASSERT(keep >= 1);
  std::string name;
  for (std::size_t i = keep; i-- > 0;) name += (name.empty() ? "" : ".") + components[i];
  return name;
}

ProcSnapshot snapshot_of(kern::Kernel& kernel, const kern::Proc& p, vfs::PrisonId reader_prison) {
  PROCSIM_ASSERT(!p.is_zombie());
  ProcSnapshot snapshot;
  snapshot.pid = p.pid();
  snapshot.ppid = p.pptr != nullptr ? p.pptr->pid() : kern::Pid(0);
  snapshot.comm = p.comm.substr(0, std::min(p.comm.size(), kCommBytesMax - 1));
  snapshot.p_flag = p.flag;
  if (p.pgrp != nullptr) {
    const kern::Session& session = *p.pgrp->session;
    snapshot.pgid = p.pgrp->pgid;
    snapshot.sid = session.leader != nullptr ? session.sid : kern::Pid(0);
    if (session.tty.has_value()) snapshot.session_tty = tty_view(*session.tty);
    snapshot.session_has_tty_vnode = session.has_tty_vnode;
    snapshot.session_leader = session.leader == &p;
  }
  snapshot.start = time_val(kernel.engine().clock().time_of_day_at(p.start_tick));
  snapshot.user_time = time_val(kernel.ticks_to_timeval(p.user_ticks));
  snapshot.system_time = time_val(kernel.ticks_to_timeval(p.system_ticks));
  const kern::Thread& td = p.first_thread();
  if (td.is_sleeping()) snapshot.wmesg = std::string(td.wmesg);
  snapshot.cred = p.cred;
  if (p.cred.jailed()) {
    // FreeBSD 4's host name is a jail(2) argument procsim does not take; "jail" and the id stand in.
    snapshot.jail = JailView{fmt::format("jail{}", p.cred.prison.value()),
                             prison_name(kernel.policy().prisons, reader_prison, p.cred.prison)};
  }
  snapshot.cached_args = cached_args(p);
  snapshot.argv_in_memory = p.args;
  if (!p.sysent_name.empty()) snapshot.abi_name = p.sysent_name;
  snapshot.osrel = p.osrel;
  snapshot.limits = p.limits;
  PROCSIM_ASSERT(snapshot.comm.size() < kCommBytesMax);
  return snapshot;
}

ReaderView reader_view_of(const kern::Kernel& kernel, const kern::Proc& reader, const kern::Proc& target) {
  ReaderView view = make_reader_view(kernel.view(reader), kernel.view(target), kernel.policy());
  // SV_ILP32 on a 64-bit kernel: an ia32 process (amd64's COMPAT_FREEBSD32).
  view.reader_compat32 = reader.abi == machine::Abi::Ia32;
  view.target_compat32 = target.abi == machine::Abi::Ia32;
  return view;
}

CtlTarget ctl_target_of(const kern::Kernel& kernel, const kern::Proc& target) {
  CtlTarget view;
  view.pid = target.pid();
  view.p_flag = target.flag;
  if (target.pptr != nullptr) view.parent = target.pptr->pid();
  view.oppid = target.oppid;
  view.oppid_exists = kernel.pfind(target.oppid) != nullptr;
  return view;
}

}  // namespace procsim::procfs
