// The kernel's trace events (`trace on`): one table row per kind, in the order this file lists
// them. Each event is a sim::TraceEvent built by the Kernel with the fields documented here;
// the single formatter in sim/trace.cpp turns it into text, so the fields are an interface.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "sim/trace.h"

namespace procsim::kern {

enum class KernTrace : std::uint8_t {
  Spawn,      // spawn pid= ppid= comm=            a process created by the scenario
  Fork,       // fork pid= child=                  fork(2) made a child
  Exit,       // exit pid= status=0x..             exit1 finished: the process is a zombie
  Reap,       // reap pid= by=                     wait4 freed a zombie
  Post,       // signal pid= sig= from=            a signal was queued (from=0: the kernel)
  Deliver,    // deliver pid= sig= action=         a signal was acted on at the user boundary
  Stop,       // stop pid= sig=                    the whole process is now stopped
  Continue,   // continue pid= sig=                a stopped process runs again
  Sleep,      // sleep pid= tid= wmesg=            a thread went to sleep
  Wakeup,     // wakeup pid= tid= wmesg= reason=   a sleep ended (wakeup, timeout, signal)
  Stopevent,  // stopevent pid= event= val=        a procfs stop event holds the process
  Exec,       // exec pid= comm=                   execve replaced the process's image
};

struct KernTraceRow {
  KernTrace kind;
  sim::TraceKind name;
};

inline constexpr std::array<KernTraceRow, 12> kKernTraceTable = {{
    {KernTrace::Spawn, {"spawn"}},
    {KernTrace::Fork, {"fork"}},
    {KernTrace::Exit, {"exit"}},
    {KernTrace::Reap, {"reap"}},
    {KernTrace::Post, {"signal"}},
    {KernTrace::Deliver, {"deliver"}},
    {KernTrace::Stop, {"stop"}},
    {KernTrace::Continue, {"continue"}},
    {KernTrace::Sleep, {"sleep"}},
    {KernTrace::Wakeup, {"wakeup"}},
    {KernTrace::Stopevent, {"stopevent"}},
    {KernTrace::Exec, {"exec"}},
}};

constexpr sim::TraceKind kern_trace_kind(KernTrace kind) {
  return kKernTraceTable[static_cast<std::size_t>(kind)].name;
}

constexpr bool kern_trace_table_is_ordered() {
  for (std::size_t i = 0; i < kKernTraceTable.size(); ++i) {
    if (static_cast<std::size_t>(kKernTraceTable[i].kind) != i) return false;
  }
  return true;
}
static_assert(kern_trace_table_is_ordered(), "kKernTraceTable rows must follow KernTrace order");

}  // namespace procsim::kern
