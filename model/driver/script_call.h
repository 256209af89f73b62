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
#include "model/machine/arch.h"
#include "model/machine/reg_layout.h"
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
  bool int_words = false;  // shown as 32-bit ints (an ioctl's argument) rather than 64-bit words
  // ptrace: the register structure the kernel fills (shown field by field), or a PT_IO
  // descriptor (shown as the length moved and, for reads, the bytes).
  const machine::RegLayout* regs = nullptr;
  bool ptrace_io = false;
  bool ptrace_io_read = false;
  std::uint8_t pointer_bytes = 8;
  std::uint32_t ioctl_command = 0;  // ioctl: the command whose out-structure this is
};

struct MarshalledCall {
  const kern::SyscallRow* row = nullptr;
  kern::SyscallRequest request;
  std::vector<OutArgument> outs;
};

// Builds the request for `call`, writing its in-arguments into `memory`. Errors (unknown call,
// wrong number of arguments, an argument of the wrong kind) point at the call's columns. `abi`
// is the calling process's: it decides the size of the structures ptrace exchanges.
//
// ptrace's addr takes, by request: a number (an address; 1 resumes where it stopped); `&regs`
// for PT_GETREGS/GETFPREGS/GETDBREGS; for PT_SET*REGS either `&regs` (the structure the last
// PT_GET*REGS left, unchanged) or `{{r_rax, 5}, {"x[3]", 7}}` (that structure with the named
// fields changed); for PT_IO `{PIOD_READ_D, OFFS, &buf, LEN}` or `{PIOD_WRITE_D, OFFS, "bytes", LEN}`.
script::SyntaxResult<MarshalledCall> marshal_call(const script::Call& call, kern::UserMemory& memory,
                                                  machine::Abi abi = machine::Abi::Amd64);

// "= 3", "= -1 ESRCH (No such process)", followed by the out-arguments' contents. A register
// structure continues on further lines (separated by '\n'): scalar fields always, elements of
// array fields only when not zero.
std::string format_call_result(const MarshalledCall& call, const kern::SyscallResult& result,
                               const kern::UserMemory& memory);

}  // namespace procsim::driver
