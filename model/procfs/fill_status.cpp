// Three status formatters, one per era, each writing its fields in the order and spelling of
// that era's procfs_dostatus() (spec/procfs.md §3.1). 4.4BSD is the first CSRG revision, which
// the README transcript matches; FreeBSD 4 is the 2000 file; FreeBSD 8 the 2009-2011 pseudofs one.
#include "model/procfs/fill_status.h"

#include <algorithm>
#include <cstdint>

#include <fmt/format.h>

#include "model/kern/proc_flags.h"
#include "sim/base/assert.h"

namespace procsim::procfs {

namespace {

using kern::P_CONTROLT;
using kern::P_INMEM;

// p_comm up to its first NUL, at most `limit` bytes: what bcopy(p_comm, MAXCOMLEN) followed by a
// terminating NUL and strlen() leave.
std::string_view comm_prefix(std::string_view comm, std::size_t limit) {
  std::string_view bounded = comm.substr(0, std::min(limit, comm.size()));
  return bounded.substr(0, std::min(bounded.find('\0'), bounded.size()));
}

void check_snapshot(const ProcSnapshot& target) {
  PROCSIM_ASSERT(target.comm.size() <= kCommBytesMax);
  PROCSIM_ASSERT(!target.cred.groups.empty());
  PROCSIM_ASSERT(target.start.usec >= 0 && target.start.usec < 1000000);
  PROCSIM_ASSERT(target.user_time.usec >= 0 && target.system_time.usec >= 0);
}

// "pid ppid pgid sid " and the terminal: "maj,min " (4.4BSD, FreeBSD 4) or the device name
// (FreeBSD 8); printed only while the process has P_CONTROLT and its session a terminal.
void append_ids_and_tty(std::string& out, const ProcSnapshot& target, Era era) {
  out += fmt::format(" {} {} {} {} ", target.pid.value(), target.ppid.value(), target.pgid.value(),
                     target.sid.value());
  bool has_tty = (target.p_flag & P_CONTROLT) != 0 && target.session_tty.has_value();
  if (era == Era::FreeBSD8) {
    out += has_tty ? target.session_tty->name + " " : std::string("- ");
    return;
  }
  if (has_tty) {
    out += fmt::format("{},{} ", target.session_tty->major, target.session_tty->minor);
  } else {
    out += "-1,-1 ";
  }
}

// "ctty" when the session has a terminal vnode, "sldr" for its leader, joined by ",";
// "noflags" for neither.
void append_flags(std::string& out, const ProcSnapshot& target) {
  std::string_view separator;
  if (target.session_has_tty_vnode) {
    out += "ctty";
    separator = ",";
  }
  if (target.session_leader) {
    out += separator;
    out += "sldr";
    separator = ",";
  }
  if (separator.empty()) out += "noflags";
}

std::string format_44bsd(const ProcSnapshot& target, const Profile& layout) {
  std::string out(comm_prefix(target.comm, layout.maxcomlen));
  append_ids_and_tty(out, target, Era::Bsd44);
  append_flags(out, target);
  // Only the start time depends on P_INMEM; the run times are always printed.
  if ((target.p_flag & P_INMEM) != 0) {
    out += fmt::format(" {} {}", target.start.sec, target.start.usec);
  } else {
    out += " -1 -1";
  }
  out += fmt::format(" {} {} {} {}", target.user_time.sec, target.user_time.usec, target.system_time.sec,
                     target.system_time.usec);
  out += " " + target.wmesg.value_or("nochan");
  // cr_uid and cr_gid (= cr_groups[0]) with %d, then every group, all separated by spaces.
  const vfs::Ucred& cred = target.cred;
  out += fmt::format(" {} {}", static_cast<std::int32_t>(cred.uid.value()),
                     static_cast<std::int32_t>(cred.egid().value()));
  for (vfs::Gid gid : cred.groups) out += fmt::format(" {}", static_cast<std::int32_t>(gid.value()));
  out += "\n";
  return out;
}

// The times, wait message and credentials FreeBSD 4 and 8 share: " sec,usec" three times (or
// " -1,-1" three times when swapped out), the wait message, "euid ruid rgid" and ",gid" for
// every entry of the group list.
void append_times_and_creds(std::string& out, const ProcSnapshot& target) {
  if ((target.p_flag & P_INMEM) != 0) {
    out += fmt::format(" {},{} {},{} {},{}", target.start.sec, target.start.usec, target.user_time.sec,
                       target.user_time.usec, target.system_time.sec, target.system_time.usec);
  } else {
    out += " -1,-1 -1,-1 -1,-1";
  }
  out += " " + target.wmesg.value_or("nochan");
  const vfs::Ucred& cred = target.cred;
  out += fmt::format(" {} {} {}", cred.uid.value(), cred.ruid.value(), cred.rgid.value());
  for (vfs::Gid gid : cred.groups) out += fmt::format(",{}", gid.value());
}

std::string format_freebsd4(const ProcSnapshot& target, const Profile& layout) {
  std::string out(comm_prefix(target.comm, layout.maxcomlen));
  append_ids_and_tty(out, target, Era::FreeBSD4);
  append_flags(out, target);
  append_times_and_creds(out, target);
  out += target.jail.has_value() ? " " + target.jail->hostname : std::string(" -");
  out += "\n";
  return out;
}

std::string format_freebsd8(const ProcSnapshot& target) {
  std::string out = escape_comm_freebsd8(target.comm);
  append_ids_and_tty(out, target, Era::FreeBSD8);
  append_flags(out, target);
  append_times_and_creds(out, target);
  out += target.jail.has_value() ? " " + target.jail->name_for_reader : std::string(" -");
  out += "\n";
  return out;
}

}  // namespace

std::string escape_comm_freebsd8(std::string_view comm) {
  std::string out;
  std::size_t index = 0;
  // do { ... } while (*++pc): the first byte is always printed, even a NUL.
  do {
    char byte = index < comm.size() ? comm[index] : '\0';
    auto value = static_cast<signed char>(byte);
    if (value < 33 || value > 126 || byte == '\\') {
      // Kernel printf's %o takes the promoted int as a 32-bit unsigned number.
      out += fmt::format("\\{:03o}", static_cast<std::uint32_t>(static_cast<std::int32_t>(value)));
    } else {
      out += byte;
    }
    ++index;
  } while (index < comm.size() && comm[index] != '\0');
  PROCSIM_ASSERT(!out.empty());
  return out;
}

vfs::KResult<std::string> fill_status(const ProcSnapshot& target, const ReaderView& reader, Era era) {
  (void)reader;  // the jail name relative to the reader arrives precomputed in the snapshot
  const Profile& layout = profile(era);
  check_snapshot(target);
  std::string text;
  switch (era) {
    case Era::Bsd44: text = format_44bsd(target, layout); break;
    case Era::FreeBSD4: text = format_freebsd4(target, layout); break;
    case Era::FreeBSD8: text = format_freebsd8(target); break;
  }
  PROCSIM_ASSERT(!text.empty() && text.back() == '\n');
  return text;
}

}  // namespace procsim::procfs
