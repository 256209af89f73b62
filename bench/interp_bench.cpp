// Interpreter throughput: simulated instructions per second for the `spin` loop of each
// architecture, and the ratio to a native loop of the same shape measured in the same run.
// Host time is measured here on purpose (the tidy test exempts bench/); nothing here is a test.
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string_view>
#include <vector>

#include "model/machine/abi_ops.h"
#include "model/machine/arch.h"
#include "model/machine/asm/assembler.h"
#include "model/machine/cpu.h"

namespace {

using namespace procsim;

// A flat image: text at its link address, everything else unmapped.
class FlatMemory final : public machine::GuestMemory {
 public:
  FlatMemory(std::uint64_t base, base::Bytes bytes) : m_base(base), m_bytes(std::move(bytes)) {
    m_bytes.resize((m_bytes.size() + 4095) / 4096 * 4096);
  }
  machine::MemFault read(std::uint64_t address, std::span<std::uint8_t> out) override {
    return copy(address, out);
  }
  machine::MemFault write(std::uint64_t, std::span<const std::uint8_t>) override {
    return machine::MemFault::Protection;
  }
  machine::MemFault fetch(std::uint64_t address, std::span<std::uint8_t> out) override {
    return copy(address, out);
  }
  std::uint64_t code_generation() const override { return 0; }

 private:
  machine::MemFault copy(std::uint64_t address, std::span<std::uint8_t> out) {
    if (address < m_base || address - m_base + out.size() > m_bytes.size())
      return machine::MemFault::Unmapped;
    std::memcpy(out.data(), m_bytes.data() + (address - m_base), out.size());
    return machine::MemFault::None;
  }
  std::uint64_t m_base;
  base::Bytes m_bytes;
};

struct SpinProgram {
  machine::Abi abi;
  std::string_view name;
  std::string_view source;  // a loop of an add and a backward branch, as `spin` runs
  std::uint64_t stack;      // where exec would leave the stack pointer; never touched here
};

constexpr SpinProgram kPrograms[] = {
    {machine::Abi::Amd64, "amd64", "_start:\nloop:\n\taddq $1, %rax\n\tjmp loop\n", 0x7fffffffe000},
    {machine::Abi::I386, "i386", "_start:\nloop:\n\taddl $1, %eax\n\tjmp loop\n", 0xbfbfe000},
    {machine::Abi::Arm64, "arm64", "_start:\nloop:\n\tadd x0, x0, #1\n\tb loop\n", 0x7fffffffe000},
    {machine::Abi::Riscv64, "riscv64", "_start:\nloop:\n\taddi a0, a0, 1\n\tj loop\n", 0x3fffffe000},
};

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// The same loop natively: an add and a branch per iteration, kept from being optimised away.
double native_instructions_per_second(std::uint64_t iterations) {
  volatile std::uint64_t sink = 0;
  auto start = std::chrono::steady_clock::now();
  for (std::uint64_t i = 0; i < iterations; ++i) sink = sink + 1;
  return static_cast<double>(2 * iterations) / seconds_since(start);
}

}  // namespace

int main() {
  constexpr std::uint64_t kInstructions = 200'000'000;
  double native = native_instructions_per_second(kInstructions / 2);
  std::printf("native loop: %.0f M instructions/s\n", native / 1e6);
  for (const auto& program : kPrograms) {
    auto image = machine::assemble(program.abi, program.source);
    if (image.is_error()) {
      std::printf("%s: does not assemble: %s\n", program.name.data(), image.error().message.c_str());
      return 1;
    }
    FlatMemory memory(image.value().text.address, image.value().text.bytes);
    machine::CpuState state = machine::initial_state(program.abi, image.value().entry, program.stack);
    machine::Interpreter interpreter;
    auto start = std::chrono::steady_clock::now();
    machine::StopInfo stop = interpreter.run(state, memory, kInstructions);
    double seconds = seconds_since(start);
    double rate = static_cast<double>(stop.instructions_executed) / seconds;
    std::printf("spin %-8s %6.0f M simulated instructions/s (%s after %llu), %.3f of native\n",
                program.name.data(), rate / 1e6, machine::stop_reason_name(stop.reason).data(),
                static_cast<unsigned long long>(stop.instructions_executed), rate / native);
  }
  return 0;
}
