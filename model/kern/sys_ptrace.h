// ptrace(2)'s vocabulary as FreeBSD 8.3 defines it (sys/sys/ptrace.h, spec/kernel.md §2.1): the
// request numbers with their names, the PT_IO operations and the layout of struct
// ptrace_io_desc, for the kernel's handler and for anything that prints or parses requests.
// PT_LWPINFO, PT_GETLWPLIST, PT_VM_TIMESTAMP, PT_VM_ENTRY and machine-dependent requests are
// not implemented: they fail with EINVAL as unknown requests do.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "model/machine/reg_layout.h"

namespace procsim::kern {

enum class PtRequest : std::int32_t {
  TraceMe = 0,
  ReadI = 1,
  ReadD = 2,
  WriteI = 4,
  WriteD = 5,
  Continue = 7,
  Kill = 8,
  Step = 9,
  Attach = 10,
  Detach = 11,
  Io = 12,
  Lwpinfo = 13,
  Getnumlwps = 14,
  Getlwplist = 15,
  Clearstep = 16,
  Setstep = 17,
  Suspend = 18,
  Resume = 19,
  ToSce = 20,
  ToScx = 21,
  Syscall = 22,
  FollowFork = 23,
  Getregs = 33,
  Setregs = 34,
  Getfpregs = 35,
  Setfpregs = 36,
  Getdbregs = 37,
  Setdbregs = 38,
  VmTimestamp = 40,
  VmEntry = 41,
};

// What a request does with `addr`, which decides how a caller marshals it.
enum class PtAddr : std::uint8_t {
  Ignored,  // not used
  Address,  // a target address (READ/WRITE), or the resume PC (1 = where it stopped)
  RegsOut,  // the kernel fills a register structure of the caller's ABI
  RegsIn,   // the kernel reads a register structure of the caller's ABI
  IoDesc,   // struct ptrace_io_desc, read and written back
};

struct PtRequestRow {
  PtRequest request;
  std::string_view name;  // "PT_ATTACH"
  PtAddr addr;
  machine::RegSet regs;  // RegsOut / RegsIn: which structure
};

inline constexpr std::array<PtRequestRow, 30> kPtRequestTable = {{
    {PtRequest::TraceMe, "PT_TRACE_ME", PtAddr::Ignored, machine::RegSet::Reg},
    {PtRequest::ReadI, "PT_READ_I", PtAddr::Address, machine::RegSet::Reg},
    {PtRequest::ReadD, "PT_READ_D", PtAddr::Address, machine::RegSet::Reg},
    {PtRequest::WriteI, "PT_WRITE_I", PtAddr::Address, machine::RegSet::Reg},
    {PtRequest::WriteD, "PT_WRITE_D", PtAddr::Address, machine::RegSet::Reg},
    {PtRequest::Continue, "PT_CONTINUE", PtAddr::Address, machine::RegSet::Reg},
    {PtRequest::Kill, "PT_KILL", PtAddr::Ignored, machine::RegSet::Reg},
    {PtRequest::Step, "PT_STEP", PtAddr::Ignored, machine::RegSet::Reg},
    {PtRequest::Attach, "PT_ATTACH", PtAddr::Ignored, machine::RegSet::Reg},
    {PtRequest::Detach, "PT_DETACH", PtAddr::Ignored, machine::RegSet::Reg},
    {PtRequest::Io, "PT_IO", PtAddr::IoDesc, machine::RegSet::Reg},
    {PtRequest::Lwpinfo, "PT_LWPINFO", PtAddr::Address, machine::RegSet::Reg},
    {PtRequest::Getnumlwps, "PT_GETNUMLWPS", PtAddr::Ignored, machine::RegSet::Reg},
    {PtRequest::Getlwplist, "PT_GETLWPLIST", PtAddr::Address, machine::RegSet::Reg},
    {PtRequest::Clearstep, "PT_CLEARSTEP", PtAddr::Ignored, machine::RegSet::Reg},
    {PtRequest::Setstep, "PT_SETSTEP", PtAddr::Ignored, machine::RegSet::Reg},
    {PtRequest::Suspend, "PT_SUSPEND", PtAddr::Ignored, machine::RegSet::Reg},
    {PtRequest::Resume, "PT_RESUME", PtAddr::Ignored, machine::RegSet::Reg},
    {PtRequest::ToSce, "PT_TO_SCE", PtAddr::Address, machine::RegSet::Reg},
    {PtRequest::ToScx, "PT_TO_SCX", PtAddr::Address, machine::RegSet::Reg},
    {PtRequest::Syscall, "PT_SYSCALL", PtAddr::Address, machine::RegSet::Reg},
    {PtRequest::FollowFork, "PT_FOLLOW_FORK", PtAddr::Ignored, machine::RegSet::Reg},
    {PtRequest::Getregs, "PT_GETREGS", PtAddr::RegsOut, machine::RegSet::Reg},
    {PtRequest::Setregs, "PT_SETREGS", PtAddr::RegsIn, machine::RegSet::Reg},
    {PtRequest::Getfpregs, "PT_GETFPREGS", PtAddr::RegsOut, machine::RegSet::FpReg},
    {PtRequest::Setfpregs, "PT_SETFPREGS", PtAddr::RegsIn, machine::RegSet::FpReg},
    {PtRequest::Getdbregs, "PT_GETDBREGS", PtAddr::RegsOut, machine::RegSet::DbReg},
    {PtRequest::Setdbregs, "PT_SETDBREGS", PtAddr::RegsIn, machine::RegSet::DbReg},
    {PtRequest::VmTimestamp, "PT_VM_TIMESTAMP", PtAddr::Ignored, machine::RegSet::Reg},
    {PtRequest::VmEntry, "PT_VM_ENTRY", PtAddr::Address, machine::RegSet::Reg},
}};

// The row of a request number, or nullptr for numbers ptrace.h does not define.
constexpr const PtRequestRow* pt_request_row(std::int32_t number) {
  for (const PtRequestRow& row : kPtRequestTable) {
    if (static_cast<std::int32_t>(row.request) == number) return &row;
  }
  return nullptr;
}

// PT_IO operations.
struct PiodOpRow {
  std::int32_t op;
  std::string_view name;
  bool write;
};
inline constexpr std::array<PiodOpRow, 4> kPiodOpTable = {{
    {1, "PIOD_READ_D", false},
    {2, "PIOD_WRITE_D", true},
    {3, "PIOD_READ_I", false},
    {4, "PIOD_WRITE_I", true},
}};

// struct ptrace_io_desc { int piod_op; void *piod_offs; void *piod_addr; size_t piod_len; }:
// natural alignment makes it 32 bytes for LP64 callers and 16 for ILP32 ones.
struct PiodLayout {
  std::uint8_t pointer_bytes;
  std::uint8_t offs_offset;
  std::uint8_t addr_offset;
  std::uint8_t len_offset;
  std::uint8_t size_bytes;
};
inline constexpr PiodLayout kPiodLp64{8, 8, 16, 24, 32};
inline constexpr PiodLayout kPiodIlp32{4, 4, 8, 12, 16};

// The value the resume requests take as "continue where it stopped".
inline constexpr std::uint64_t kPtraceResumeInPlace = 1;

}  // namespace procsim::kern
