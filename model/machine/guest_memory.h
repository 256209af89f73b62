// The interpreters' view of a process's address space. The VM layer implements it; the
// machine layer only reads, writes and fetches through it and never keeps host pointers to
// guest memory. Faults are values: the kernel turns them into signals (spec/kernel.md §7).
#pragma once

#include <cstdint>
#include <span>

namespace procsim::machine {

enum class MemFault : std::uint8_t {
  None,
  Unmapped,    // no mapping: SIGSEGV/SEGV_MAPERR
  Protection,  // mapped without the needed permission: SIGSEGV/SEGV_ACCERR (SIGBUS for old osrel)
};

class GuestMemory {
 public:
  virtual ~GuestMemory() = default;

  // Each call is all-or-nothing: on a fault nothing was transferred (for write: nothing changed).
  virtual MemFault read(std::uint64_t address, std::span<std::uint8_t> out) = 0;
  virtual MemFault write(std::uint64_t address, std::span<const std::uint8_t> in) = 0;
  // Like read, but needs execute permission. The interpreters fetch whole pages and cache what
  // they decode from them.
  virtual MemFault fetch(std::uint64_t address, std::span<std::uint8_t> out) = 0;

  // Must change whenever a byte that fetch could return changes (a write to an executable page,
  // a debugger planting a breakpoint) or the mapping or execute permission of any page changes.
  // The interpreters drop their decoded code when it does.
  virtual std::uint64_t code_generation() const = 0;
};

}  // namespace procsim::machine
