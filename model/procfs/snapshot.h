// The plain inputs of procfs's fill functions: a snapshot of everything the text files print
// about one process (ProcSnapshot) and where the reading process stands towards it (ReaderView).
// The kernel fills both from its own state; the fill functions never see a Proc, so they can be
// tested alone. Locking, the "process went away" races and uio bookkeeping are not here.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/kern/pid_alloc.h"
#include "model/kern/proc_flags.h"
#include "model/kern/rlimit.h"
#include "model/vfs/errno.h"
#include "model/vfs/ucred.h"

namespace procsim::procfs {

// struct timeval: seconds and microseconds, usec in [0, 1000000).
struct TimeVal {
  std::int64_t sec = 0;
  std::int64_t usec = 0;
};

// The session's terminal (s_ttyp): its device numbers, printed by 4.4BSD and FreeBSD 4, and its
// devtoname() name ("pts/0", "ttyv0"), printed by FreeBSD 8.
struct TtyView {
  std::int32_t major = 0;
  std::int32_t minor = 0;
  std::string name;
};

// The target's jail, as the status file names it: FreeBSD 4 prints the jail's host name,
// FreeBSD 8 the jail's name relative to the reader's own prison (prison_name(): "0" when both
// are in the same jail).
struct JailView {
  std::string hostname;
  std::string name_for_reader;
};

// p_comm's size in FreeBSD 8 (MAXCOMLEN 19 and its NUL), the largest of the eras; 4.4BSD and
// FreeBSD 4 print at most their own MAXCOMLEN (16) of it.
inline constexpr std::size_t kCommBytesMax = 20;

// Everything the procfs text files print about one process. The kernel fills every field.
struct ProcSnapshot {
  kern::Pid pid{0};
  kern::Pid ppid{0};  // the parent's pid, 0 without a parent
  kern::Pid pgid{0};
  kern::Pid sid{0};  // the session leader's pid, 0 once the leader is gone
  // p_comm as the kernel holds it: up to MAXCOMLEN + 1 bytes, NUL-terminated, possibly with stale
  // bytes of an earlier name after the first NUL (FreeBSD 4's cmdline fallback prints them).
  std::string comm;
  kern::ProcFlags p_flag = 0;

  std::optional<TtyView> session_tty;  // s_ttyp; printed only with P_CONTROLT
  bool session_has_tty_vnode = false;  // s_ttyvp: the "ctty" flag
  bool session_leader = false;         // the "sldr" flag

  TimeVal start;  // absolute start time (FreeBSD 8: p_start plus boottime, already added)
  TimeVal user_time;
  TimeVal system_time;
  // The wait message of the (first) thread while it sleeps on a channel; none otherwise.
  std::optional<std::string> wmesg;

  vfs::Ucred cred;
  std::optional<JailView> jail;  // none: not jailed

  // p_args: the kernel's cached argument bytes (each argument NUL-terminated), if cached.
  std::optional<std::string> cached_args;
  // The argument strings as the process's own memory holds them (ps_strings); none when that
  // memory cannot be read (the read fails with EFAULT).
  std::optional<std::vector<std::string>> argv_in_memory;

  std::optional<std::string> abi_name;  // p_sysent->sv_name ("FreeBSD ELF64"); none: no sysentvec
  std::int32_t osrel = 0;               // p_osrel
  kern::RlimitSet limits;
};

// Where the reading process stands towards the target, in the terms each era's checks use. Build
// it with make_reader_view() (access.h) or fill it directly in tests.
struct ReaderView {
  kern::Pid pid{0};
  // FreeBSD 4: CHECKIO(reader, target) && p_trespass(reader, target) == 0.
  bool io_allowed = false;
  // FreeBSD 4: the kern.ps_argsopen sysctl (default 1): cached arguments are public.
  bool ps_argsopen = true;
  // FreeBSD 8: p_cansee(reader, target) == 0.
  bool can_see = false;
  // FreeBSD 8: the error p_candebug(reader, target) returns; none when debugging is allowed.
  std::optional<vfs::Errno> debug_error;
  // FreeBSD 8: the reader and the target are 32-bit processes on a 64-bit kernel (SV_ILP32 under
  // COMPAT_FREEBSD32).
  bool reader_compat32 = false;
  bool target_compat32 = false;

  bool can_debug() const { return !debug_error.has_value(); }
};

}  // namespace procsim::procfs
