// Scripted ptrace calls: how `@PID ptrace(...)` lines marshal the request-dependent addr
// argument and how register structures come back in the transcript.
#include "model/driver/script_call.h"

#include <map>
#include <string>

#include <doctest/doctest.h>

#include "model/kern/sys_ptrace.h"
#include "model/machine/register_file.h"
#include "sim/base/bytes.h"

namespace procsim::driver {
namespace {

// Every byte readable and writable, zero until written.
class TestMemory final : public kern::UserMemory {
 public:
  vfs::KResult<void> copyin(kern::UserAddr addr, base::MutableByteSpan out) const override {
    for (std::size_t i = 0; i < out.size(); ++i) {
      auto it = m_bytes.find(addr.value() + i);
      out[i] = it == m_bytes.end() ? 0 : it->second;
    }
    return {};
  }
  vfs::KResult<void> copyout(kern::UserAddr addr, base::ByteSpan in) override {
    for (std::size_t i = 0; i < in.size(); ++i) m_bytes[addr.value() + i] = in[i];
    return {};
  }

 private:
  std::map<std::uint64_t, std::uint8_t> m_bytes;
};

script::SyntaxResult<MarshalledCall> marshal(const std::string& text, kern::UserMemory& memory,
                                             machine::Abi abi = machine::Abi::Amd64) {
  auto call = script::parse_call(text, 0);
  REQUIRE(call.ok());
  return marshal_call(call.value(), memory, abi);
}

TEST_CASE("PT_GETREGS reserves the caller's struct reg and shows it field by field") {
  TestMemory memory;
  auto call = marshal("ptrace(PT_GETREGS, 401, &regs, 0)", memory);
  REQUIRE(call.ok());
  CHECK(call.value().request.args[0] == 33);
  REQUIRE(call.value().outs.size() == 1);
  CHECK(call.value().outs[0].size == 176);
  machine::CpuState state = machine::CpuState{};
  state.gpr[machine::x86::kRax] = 0x1234;
  state.pc = 0x400000;
  base::Bytes bytes =
      machine::fill_registers(machine::register_layout(machine::Abi::Amd64, machine::RegSet::Reg), state);
  REQUIRE(memory.copyout(call.value().outs[0].addr, bytes).ok());
  std::string text = format_call_result(call.value(), kern::SyscallResult{}, memory);
  CHECK(text.rfind("= 0\n", 0) == 0);
  CHECK(text.find("r_rax=0x1234") != std::string::npos);
  CHECK(text.find("r_rip=0x400000") != std::string::npos);
  // Every line of the structure fits the transcript.
  for (std::size_t start = 0, end = 0; start < text.size(); start = end + 1) {
    end = std::min(text.find('\n', start), text.size());
    CHECK(end - start <= 96);
  }
}

TEST_CASE("an i386 caller's structures are the 32-bit ones") {
  TestMemory memory;
  auto call = marshal("ptrace(PT_GETREGS, 401, &regs, 0)", memory, machine::Abi::I386);
  REQUIRE(call.ok());
  CHECK(call.value().outs[0].size == 76);
}

TEST_CASE("PT_SETREGS changes named fields of the structure the last PT_GETREGS left") {
  TestMemory memory;
  auto get = marshal("ptrace(PT_GETREGS, 401, &regs, 0)", memory);
  REQUIRE(get.ok());
  base::Bytes filled(176, 0);
  base::store_le<std::uint64_t>(filled, 136, 0x400000);  // r_rip
  REQUIRE(memory.copyout(get.value().outs[0].addr, filled).ok());
  auto set = marshal("ptrace(PT_SETREGS, 401, {{r_rax, 5}}, 0)", memory);
  REQUIRE(set.ok());
  base::Bytes sent(176);
  REQUIRE(memory.copyin(kern::UserAddr(set.value().request.args[2]), sent).ok());
  CHECK(base::load_le<std::uint64_t>(sent, 112) == 5);         // r_rax changed
  CHECK(base::load_le<std::uint64_t>(sent, 136) == 0x400000);  // r_rip kept
  base::Bytes original(176);
  REQUIRE(memory.copyin(get.value().outs[0].addr, original).ok());
  CHECK(base::load_le<std::uint64_t>(original, 112) == 0);  // the structure read stays as read
}

TEST_CASE("a field the structure does not have is a diagnostic at its column") {
  TestMemory memory;
  auto set = marshal("ptrace(PT_SETREGS, 401, {{r_bogus, 5}}, 0)", memory);
  REQUIRE(set.is_error());
  CHECK(set.error().message == "struct reg has no integer field 'r_bogus'");
  CHECK(set.error().column == 27);
  auto get = marshal("ptrace(PT_GETREGS, 401, 0x1000, 0)", memory);
  CHECK(get.ok());  // a plain address is passed through
}

TEST_CASE("PT_IO builds a ptrace_io_desc and shows what moved") {
  TestMemory memory;
  auto io = marshal("ptrace(PT_IO, 401, {PIOD_READ_D, 0x20000, &buf, 4}, 0)", memory);
  REQUIRE(io.ok());
  kern::UserAddr desc(io.value().request.args[2]);
  base::Bytes bytes(32);
  REQUIRE(memory.copyin(desc, bytes).ok());
  CHECK(base::load_le<std::uint32_t>(bytes, 0) == 1);
  CHECK(base::load_le<std::uint64_t>(bytes, 8) == 0x20000);
  CHECK(base::load_le<std::uint64_t>(bytes, 24) == 4);
  std::uint64_t buffer = base::load_le<std::uint64_t>(bytes, 16);
  const std::uint8_t data[] = {'a', 'b', 'c', 'd'};
  REQUIRE(memory.copyout(kern::UserAddr(buffer), data).ok());
  CHECK(format_call_result(io.value(), kern::SyscallResult{}, memory) == "= 0 piod_len=4 \"abcd\"");
}

}  // namespace
}  // namespace procsim::driver
