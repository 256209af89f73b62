// A process's signal state as FreeBSD 8.3 keeps it (sys/sys/signalvar.h): the dispositions
// (struct sigacts, as per-signal handlers plus the ps_sig* sets sigaction derives), the
// queue of pending signals with their siginfo (sigqueue_t: a set of pending numbers, the
// numbers queued without information, and the ksiginfo list), and the constants sigaction
// and SIGCHLD reporting use. Real-time queueing limits and sigqueue(2) are not modelled.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <optional>

#include "model/kern/pid_alloc.h"
#include "model/kern/signal.h"
#include "model/vfs/ucred.h"

namespace procsim::kern {

// Handler values with a meaning of their own (SIG_DFL, SIG_IGN). Any other value is the user
// address of a handler. The host's <signal.h> owns the exact names, hence the spelling.
inline constexpr std::uint64_t Sig_dfl = 0;
inline constexpr std::uint64_t Sig_ign = 1;

// sigaction sa_flags (8.3 sys/sys/signal.h).
using SaFlags = std::uint32_t;
inline constexpr SaFlags Sa_onstack = 0x0001;
inline constexpr SaFlags Sa_restart = 0x0002;
inline constexpr SaFlags Sa_resethand = 0x0004;
inline constexpr SaFlags Sa_nocldstop = 0x0008;
inline constexpr SaFlags Sa_nodefer = 0x0010;
inline constexpr SaFlags Sa_nocldwait = 0x0020;
inline constexpr SaFlags Sa_siginfo = 0x0040;

// sigprocmask how (SIG_BLOCK, SIG_UNBLOCK, SIG_SETMASK).
inline constexpr std::uint64_t Sig_block = 1;
inline constexpr std::uint64_t Sig_unblock = 2;
inline constexpr std::uint64_t Sig_setmask = 3;

// sigacts ps_flag (8.3 sys/sys/signalvar.h).
using PsFlags = std::uint32_t;
inline constexpr PsFlags PS_NOCLDWAIT = 0x0001;  // no zombies: children go to init
inline constexpr PsFlags PS_NOCLDSTOP = 0x0002;  // no SIGCHLD when children stop or continue
inline constexpr PsFlags PS_CLDSIGIGN = 0x0004;  // the SIGCHLD handler is SIG_IGN

// si_code values (spec/kernel.md §2.7).
inline constexpr std::int32_t Si_user = 0x10001;
inline constexpr std::int32_t Si_kernel = 0x10006;
inline constexpr std::int32_t Cld_exited = 1;
inline constexpr std::int32_t Cld_killed = 2;
inline constexpr std::int32_t Cld_dumped = 3;
inline constexpr std::int32_t Cld_trapped = 4;
inline constexpr std::int32_t Cld_stopped = 5;
inline constexpr std::int32_t Cld_continued = 6;

// A queued signal's information (ksiginfo_t, the fields the model fills).
struct Ksiginfo {
  Signal signo{1};
  std::int32_t code = 0;
  std::int32_t status = 0;
  Pid pid{0};
  vfs::Uid uid{0};
  std::uint64_t addr = 0;  // ksi_addr: the faulting address, or the PC a trap reports
  // Set on a child's preallocated p_ksi: the child whose SIGCHLD this is. A process has one
  // p_ksi, so at most one entry per owner is ever queued.
  std::optional<Pid> owner;
};

// sigqueue_t. A signal is pending while it is in signals(); each pending number has either
// queued entries, a bare "kill" bit (posted without information), or both.
class SigQueue {
 public:
  const SigSet& signals() const { return m_signals; }
  bool contains(Signal signal) const { return m_signals.contains(signal); }
  bool empty() const { return m_signals.empty(); }

  // sigqueue_add(): without information (the kernel's own psignal, SIGKILL, SIGSTOP) only the
  // bare bit is set; otherwise the entry is queued, at the head when `at_head`.
  void add(Signal signal, const std::optional<Ksiginfo>& info, bool at_head = false);
  // sigqueue_get(): takes one instance. Empty when the signal is not pending; a bare instance
  // comes back as an entry with only signo set.
  std::optional<Ksiginfo> get(Signal signal);
  // sigqueue_delete(): forgets every instance of the signal.
  void remove(Signal signal);
  // sigqueue_delete_set(): forgets every instance of every member.
  void remove_set(const SigSet& set);
  // sigqueue_take() of a child's p_ksi: unqueues it (the bit goes when nothing else of that
  // signal is left). False if it was not queued here.
  bool take_owned(Pid owner);
  // The queued p_ksi of `owner`, to update in place (sigparent's reuse rule).
  Ksiginfo* find_owned(Pid owner);
  void flush();

  std::size_t entry_count() const { return m_entries.size(); }

 private:
  SigSet m_signals;
  SigSet m_kill;
  std::deque<Ksiginfo> m_entries;
};

// struct sigacts: per-signal handler and handler mask, and the sets sigaction derives.
struct Sigacts {
  std::array<std::uint64_t, kSigMaxsig> action{};  // ps_sigact: Sig_dfl, Sig_ign or a handler
  std::array<SigSet, kSigMaxsig> catchmask{};      // ps_catchmask: extra mask while handling
  SigSet sigcatch;                                 // ps_sigcatch: signals with a handler
  SigSet sigignore;   // ps_sigignore: ignored (SIG_IGN, or default-ignore with SIG_DFL)
  SigSet siginfo;     // ps_siginfo: SA_SIGINFO handlers
  SigSet sigintr;     // ps_sigintr: interrupt system calls (no SA_RESTART): EINTR
  SigSet sigonstack;  // ps_sigonstack
  SigSet sigreset;    // ps_sigreset: SA_RESETHAND
  SigSet signodefer;  // ps_signodefer: SA_NODEFER
  PsFlags flag = 0;

  // siginit(): every default-ignore signal but SIGCONT is in the ignore set.
  static Sigacts initial();

  std::uint64_t handler(Signal signal) const { return action[signal.value() - 1]; }
  const SigSet& mask_for(Signal signal) const { return catchmask[signal.value() - 1]; }
};

}  // namespace procsim::kern
