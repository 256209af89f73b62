// Test helpers for machine-code processes: a kernel configured for one architecture (its
// address-space parameters included) and a child that runs assembled source.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

#include <doctest/doctest.h>

#include "model/kern/machine_program.h"
#include "model/machine/abi_ops.h"
#include "model/machine/asm/assembler.h"
#include "model/vm/vmspace.h"
#include "tests/unit/kern/kernel_test_support.h"

namespace procsim::kern::testing {

inline KernelConfig config_for(machine::Arch arch) {
  KernelConfig config = checked_config();
  config.arch = arch;
  static constexpr std::array<vm::AddressSpaceParams, 4> kParams = {vm::kI386Params, vm::kAmd64Params,
                                                                    vm::kArm64Params, vm::kRiscv64Params};
  config.address_space = kParams[static_cast<std::size_t>(arch)];
  return config;
}

// Spawns `source` assembled for `abi` as a child of `parent`; the image is in place before the
// child first runs.
inline Pid spawn_machine_code(TestMachine& m, Pid parent, machine::Abi abi, const std::string& source) {
  auto image = machine::assemble(abi, source);
  REQUIRE_MESSAGE(image.ok(), (image.ok() ? "" : image.error().message));
  SpawnSpec spec;
  spec.ppid = parent;
  spec.comm = "prog";
  std::uint64_t stack = machine::abi_info(abi).usrstack - 4096;
  vfs::KResult<Pid> pid = m.kernel.spawn_program(spec, make_machine_program(abi, image.value().entry, stack));
  REQUIRE(pid.ok());
  REQUIRE(load_image(m.kernel, m.proc(pid.value()), image.value()).ok());
  return pid.value();
}

}  // namespace procsim::kern::testing
