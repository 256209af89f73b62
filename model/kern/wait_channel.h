// Wait channels: what a sleeping thread waits on. FreeBSD uses the address of a kernel object;
// here a channel is a typed value (which kind of object, and whose), so sleep queues order and
// compare channels without ever looking at a host address.
#pragma once

#include <array>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace procsim::kern {

struct WaitChannel {
  // The kernel object slept on. `id` names its owner (a pid) or is 0 for a global object.
  enum class Kind : std::uint8_t {
    Proc,         // a struct proc: wait4 sleeps on the parent, procfs ctl wait on the target
    ProcStep,     // &p->p_step: a process held at a stop event
    ProcStype,    // &p->p_stype: waiters for a stop event to happen
    ProcSigacts,  // &p->p_sigacts: sigsuspend's "pause"
    ProcLock,     // &p->p_lock: exit waiting for holds to drain ("exithold")
    ProcPwait,    // the child's p_pwait condition variable: a vfork parent ("ppwait")
    Nanowait,     // the global nanowait: nanosleep
    PauseWchan,   // pause(9)'s private channel: nobody ever wakes it, only the timeout ends it
    TtyInput,     // a terminal's input queue (t_inwait): id is the terminal's device number
  };

  Kind kind = Kind::Proc;
  std::int64_t id = 0;

  auto operator<=>(const WaitChannel&) const = default;
};

struct WaitChannelKindRow {
  WaitChannel::Kind kind;
  std::string_view name;  // for traces
};

inline constexpr std::array<WaitChannelKindRow, 9> kWaitChannelKinds = {{
    {WaitChannel::Kind::Proc, "proc"},
    {WaitChannel::Kind::ProcStep, "p_step"},
    {WaitChannel::Kind::ProcStype, "p_stype"},
    {WaitChannel::Kind::ProcSigacts, "p_sigacts"},
    {WaitChannel::Kind::ProcLock, "p_lock"},
    {WaitChannel::Kind::ProcPwait, "p_pwait"},
    {WaitChannel::Kind::Nanowait, "nanowait"},
    {WaitChannel::Kind::PauseWchan, "pause_wchan"},
    {WaitChannel::Kind::TtyInput, "t_inwait"},
}};

constexpr std::string_view wait_channel_kind_name(WaitChannel::Kind kind) {
  return kWaitChannelKinds[static_cast<std::size_t>(kind)].name;
}

constexpr bool wait_channel_table_is_ordered() {
  for (std::size_t i = 0; i < kWaitChannelKinds.size(); ++i) {
    if (static_cast<std::size_t>(kWaitChannelKinds[i].kind) != i) return false;
  }
  return true;
}
static_assert(wait_channel_table_is_ordered(), "kWaitChannelKinds rows must follow Kind order");

}  // namespace procsim::kern
