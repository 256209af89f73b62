// Modelled failures of the machine layer (register writes, single-step requests). The layer
// sits below the one that defines Errno, so it has its own small enum; each enumerator names
// the errno the kernel returns for it. Bad input to the assembler is an AsmError instead.
#pragma once

#include <cstdint>
#include <string_view>

namespace procsim::machine {

enum class MachineError : std::uint8_t {
  Invalid,       // EINVAL: a register write the kernel refuses (spec/kernel.md §1.7)
  NotSupported,  // EOPNOTSUPP: e.g. single step on riscv (spec/kernel.md §1.8)
};

// The FreeBSD errno name the error maps to ("EINVAL", "EOPNOTSUPP").
constexpr std::string_view errno_name(MachineError error) {
  switch (error) {
    case MachineError::Invalid: return "EINVAL";
    case MachineError::NotSupported: return "EOPNOTSUPP";
  }
  return "";
}

// FreeBSD's errno numbers for the two (sys/errno.h: EINVAL 22, EOPNOTSUPP 45).
constexpr int errno_value(MachineError error) {
  switch (error) {
    case MachineError::Invalid: return 22;
    case MachineError::NotSupported: return 45;
  }
  return 0;
}

}  // namespace procsim::machine
