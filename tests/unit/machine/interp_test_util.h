// A simulated process for interpreter tests: an assembled program loaded into TestMemory with a
// stack below a fixed top, the exec register state and an Interpreter.
#pragma once

#include <string_view>

#include "model/machine/abi_ops.h"
#include "model/machine/cpu.h"
#include "tests/unit/machine/asm_test_util.h"
#include "tests/unit/machine/test_memory.h"

namespace procsim::machine::testing {

inline constexpr std::uint64_t kStackTop = 0x7ff000;
inline constexpr std::uint64_t kStackSize = 0x4000;

struct Process {
  Process(Abi abi, std::string_view source) : image(assemble_ok(abi, source)) {
    memory.load(image);
    memory.map(kStackTop - kStackSize, kStackSize, {true, true, false});
    state = initial_state(abi, image.entry, kStackTop - 0x100);
  }

  StopInfo run(std::uint64_t budget = 1000000) { return interpreter.run(state, memory, budget); }

  std::uint64_t symbol(std::string_view name) const {
    for (const ImageSymbol& s : image.symbols)
      if (s.name == name) return s.value;
    FAIL_CHECK("no such symbol");
    return 0;
  }

  Image image;
  TestMemory memory;
  CpuState state;
  Interpreter interpreter;
};

}  // namespace procsim::machine::testing
