// Processes own real address spaces: copyin/copyout fault like FreeBSD's, fork copies on
// write, exit gives the swap charges back, and a debugger's proc_rwmem reaches another map.
#include <doctest/doctest.h>

#include "kernel_test_support.h"

namespace procsim::kern {
namespace {

using testing::kArgA;
using testing::TestMachine;

TEST_CASE("copyin and copyout fail with EFAULT where nothing is mapped") {
  TestMachine m;
  Pid pid = m.spawn();
  UserMemory* memory = m.kernel.user_memory(pid);
  REQUIRE(memory != nullptr);
  std::array<std::uint8_t, 4> raw{1, 2, 3, 4};
  CHECK(memory->copyout(UserAddr(0x1000), raw).error() == vfs::Errno::Efault);
  CHECK(memory->copyin(UserAddr(0), raw).error() == vfs::Errno::Efault);
  // The last bytes of the scratch region are mapped; one byte further is not.
  UserAddr last(kScriptScratchAddr + kScriptScratchBytes - 4);
  CHECK(memory->copyout(last, raw).ok());
  CHECK(memory->copyout(UserAddr(last.value() + 1), raw).error() == vfs::Errno::Efault);
  // A system call handed a bad pointer fails the same way.
  CHECK(m.error_of(pid, Sysno::Sigpending, {0x2000}) == vfs::Errno::Efault);
}

TEST_CASE("a forked child's writes are invisible to its parent and the other way round") {
  TestMachine m;
  Pid parent = m.spawn();
  m.write_value<std::uint64_t>(parent, kArgA, 0x1111);
  auto child = Pid(static_cast<std::int32_t>(m.ok_value(parent, Sysno::Fork)));
  CHECK(m.read_value<std::uint64_t>(child, kArgA) == 0x1111);
  m.write_value<std::uint64_t>(child, kArgA, 0x2222);
  CHECK(m.read_value<std::uint64_t>(parent, kArgA) == 0x1111);
  m.write_value<std::uint64_t>(parent, kArgA, 0x3333);
  CHECK(m.read_value<std::uint64_t>(child, kArgA) == 0x2222);
  m.proc(parent).vmspace->check_invariants();
  m.proc(child).vmspace->check_invariants();
}

TEST_CASE("each process's swap charge is its real uid's, and exit gives it back") {
  TestMachine m;
  const vm::SwapAccount& swap = m.kernel.swap_account();
  CHECK(swap.uid_reserved_bytes(vm::Uid(1001)) == 0);
  Pid pid = m.spawn_as(1001);
  std::int64_t one = swap.uid_reserved_bytes(vm::Uid(1001));
  // The stack's first sgrowsiz bytes and the scratch region, both anonymous and writable.
  CHECK(one == static_cast<std::int64_t>((128 << 10) + kScriptScratchBytes));
  auto child = Pid(static_cast<std::int32_t>(m.ok_value(pid, Sysno::Fork)));
  CHECK(swap.uid_reserved_bytes(vm::Uid(1001)) > one);
  m.start(child, Sysno::Exit, {0});
  CHECK(m.finish(child) == sim::RunOutcome::Done);
  CHECK(m.proc(child).vmspace == nullptr);
  CHECK(m.kernel.user_memory(child) == nullptr);
  (void)m.wait4(pid, child.value());
  m.start(pid, Sysno::Exit, {0});
  CHECK(m.finish(pid) == sim::RunOutcome::Done);
  m.run_until_idle();
  CHECK(swap.uid_reserved_bytes(vm::Uid(1001)) == 0);
}

TEST_CASE("proc_rwmem reads and writes another process's memory and stops at the first hole") {
  TestMachine m;
  Pid target = m.spawn_as(1001);
  Pid debugger = m.spawn_as(1001);
  m.write_value<std::uint32_t>(target, kArgA, 0xabcd1234);
  std::array<std::uint8_t, 4> raw{};
  RwmemResult read =
      m.kernel.proc_rwmem(m.proc(target), m.thread(debugger), kArgA, base::MutableByteSpan(raw));
  CHECK(read.moved == 4);
  CHECK_FALSE(read.error.has_value());
  CHECK(base::load_le<std::uint32_t>(raw, 0) == 0xabcd1234);
  std::array<std::uint8_t, 4> patch{0xef, 0xbe, 0xad, 0xde};
  RwmemResult wrote = m.kernel.proc_rwmem(m.proc(target), m.thread(debugger), kArgA, base::ByteSpan(patch));
  CHECK(wrote.moved == 4);
  CHECK(m.read_value<std::uint32_t>(target, kArgA) == 0xdeadbeef);
  std::uint64_t end = kScriptScratchAddr + kScriptScratchBytes;
  std::array<std::uint8_t, 8> across{};
  RwmemResult partial =
      m.kernel.proc_rwmem(m.proc(target), m.thread(debugger), end - 4, base::MutableByteSpan(across));
  CHECK(partial.moved == 4);
  CHECK(partial.error == vfs::Errno::Efault);
}

}  // namespace
}  // namespace procsim::kern
