// Scripted system calls: a scenario's `@PID name(args...)` line becomes the registers of one
// system call of that process, and its result becomes the truss-style text the transcript shows
// (`= 3`, `= -1 EBUSY (Device busy)`, then what an out-argument received). Strings, structures
// and out-buffers are placed in the process's own user memory, in a scratch area, so the kernel
// reads them with copyin as it would a real program's.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model/kern/program.h"
#include "model/kern/syscall_table.h"
#include "sim/script/call.h"
#include "sim/script/diagnostic.h"

namespace procsim::driver {

// Where scripted calls put their strings and structures: a fixed address, so output that shows a
// pointer is the same on every run.
inline constexpr std::uint64_t kScriptScratchAddr = kern::kScriptScratchAddr;
inline constexpr std::uint64_t kScriptScratchBytes = kern::kScriptScratchBytes;

// An argument the call fills, shown after the result.
struct OutArgument {
  kern::ArgFormat format = kern::ArgFormat::OutBuffer;
  kern::UserAddr addr{0};
  std::size_t size = 0;
  bool int_words = false;           // shown as 32-bit ints (an ioctl's argument) rather than 64-bit words
  std::uint32_t ioctl_command = 0;  // ioctl: the command whose out-structure this is
};

struct MarshalledCall {
  const kern::SyscallRow* row = nullptr;
  kern::SyscallRequest request;
  std::vector<OutArgument> outs;
};

// Builds the request for `call`, writing its in-arguments into `memory`. Errors (unknown call,
// wrong number of arguments, an argument of the wrong kind) point at the call's columns.
script::SyntaxResult<MarshalledCall> marshal_call(const script::Call& call, kern::UserMemory& memory);

// "= 3", "= -1 ESRCH (No such process)", followed by the out-arguments' contents.
std::string format_call_result(const MarshalledCall& call, const kern::SyscallResult& result,
                               const kern::UserMemory& memory);

}  // namespace procsim::driver
