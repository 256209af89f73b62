// User code and the boundary it crosses. A Program is what runs in user mode on a thread: a
// host-implemented program (C++ that reaches the kernel only through UserContext::syscall), a
// scripted process (the scenario's @PID lines) or, later, simulated machine code (a Program
// whose run() drives the interpreter and calls consume_cpu). UserMemory is the user address
// space system calls copy in and out of; proc_memory.h implements it over the process's vmspace.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <string_view>

#include "model/kern/signal.h"
#include "model/kern/sysent.h"
#include "model/vfs/errno.h"
#include "sim/base/bytes.h"
#include "sim/base/strong_id.h"

namespace procsim::kern {

class Kernel;
class Thread;
class UserContext;

// A simulated user address (never a host pointer).
using UserAddr = base::StrongId<struct UserAddrTag, std::uint64_t>;

// A process's user address space as copyin()/copyout() see it: EFAULT outside what is mapped
// or where the protection forbids the access.
class UserMemory {
 public:
  virtual ~UserMemory() = default;
  virtual vfs::KResult<void> copyin(UserAddr addr, base::MutableByteSpan out) const = 0;
  virtual vfs::KResult<void> copyout(UserAddr addr, base::ByteSpan in) = 0;
};

// An address space with nothing mapped: every access faults. What a process that has released
// its vmspace (a zombie) looks like from outside.
class EmptyUserMemory final : public UserMemory {
 public:
  vfs::KResult<void> copyin(UserAddr, base::MutableByteSpan out) const override;
  vfs::KResult<void> copyout(UserAddr, base::ByteSpan in) override;
};

// Where the scenario's scripted calls put their strings and structures: an anonymous read-write
// region every scripted process has at a fixed address, so output that shows a pointer is the
// same on every run.
inline constexpr std::uint64_t kScriptScratchAddr = 0x10000000;
inline constexpr std::uint64_t kScriptScratchBytes = 1 << 20;

// Thrown on a thread's own stack when a system call returns to user code whose image exec has
// replaced: the old program unwinds and the thread starts the new one. Never crosses a fiber.
struct ImageReplaced {};

// What runs in user mode.
class Program {
 public:
  using Entry = std::function<int(UserContext&)>;

  virtual ~Program() = default;
  // The user code. Returning is calling exit(2) with the value as status.
  virtual int run(UserContext& context) = 0;
  // A caught signal reaches the user boundary: run the handler at user address `handler`.
  // The default does nothing, like a handler that returns at once.
  virtual void handle_signal(UserContext& context, Signal signal, std::uint64_t handler);
  // The child's user code when this program forks with UserContext::fork(entry).
  virtual std::unique_ptr<Program> make_child(Entry entry) const;
  // The child's user code for a fork without an explicit entry (a scripted fork), or null
  // when this program cannot be forked that way.
  virtual std::unique_ptr<Program> clone_for_fork() const { return nullptr; }
};

// A host-implemented program: a C++ function, and the signal handlers it registers by address
// (the address passed to sigaction is only a token that selects one of these functions).
class HostProgram : public Program {
 public:
  using Handler = std::function<void(UserContext&, Signal)>;
  using Handlers = std::map<std::uint64_t, Handler>;

  explicit HostProgram(Entry entry, Handlers handlers = {});

  int run(UserContext& context) override;
  void handle_signal(UserContext& context, Signal signal, std::uint64_t handler) override;
  // The child keeps the parent's handlers: signal dispositions survive fork.
  std::unique_ptr<Program> make_child(Entry entry) const override;

 private:
  Entry m_entry;
  Handlers m_handlers;
};

// A scripted process: it waits in user mode for the scenario's next system call, makes it, and
// hands the result back. Caught signals are counted; a scripted fork gives a scripted child.
class ScriptProgram final : public Program {
 public:
  int run(UserContext& context) override;
  void handle_signal(UserContext& context, Signal signal, std::uint64_t handler) override;
  std::unique_ptr<Program> clone_for_fork() const override;
};

// The user-mode side of one thread: the trap into the kernel and the thread's own memory.
class UserContext {
 public:
  // Scratch space host programs marshal system-call arguments in (a region of their own
  // address space, handed out upward and released all at once), one slice per level of
  // nested signal handler, kScratchLevels levels in all. The region sits just below the
  // stack's reserved range (Proc::host_scratch_base).
  static constexpr std::uint64_t kScratchBytes = 256 * 1024;
  static constexpr std::uint64_t kScratchLevels = 64;

  UserContext(Kernel& kernel, Thread& thread);

  // The system-call trap.
  SyscallResult syscall(const SyscallRequest& request);
  SyscallResult syscall(Sysno number, std::initializer_list<std::uint64_t> args = {});

  // fork(2) whose child runs `child` (with this program's signal handlers).
  SyscallResult fork(Program::Entry child);

  // Simulated CPU work in user mode: uses up slice and may be preempted (and see signals).
  void consume_cpu(std::uint64_t units);

  UserMemory& memory();
  UserAddr scratch(std::size_t bytes);
  void reset_scratch() { m_scratch_used = 0; }

  // For ScriptProgram only: wait in user mode for the scenario's next call, and report a result.
  SyscallRequest wait_for_script_request();
  void post_script_result(const SyscallResult& result);

  Kernel& kernel() const { return *m_kernel; }
  Thread& thread() const { return *m_thread; }

 private:
  Kernel* m_kernel;
  Thread* m_thread;
  std::uint64_t m_scratch_used = 0;
};

// Helpers for host programs: pack a signed value into an argument register the way the C
// calling convention sign-extends it.
constexpr std::uint64_t sarg(std::int64_t value) { return static_cast<std::uint64_t>(value); }

}  // namespace procsim::kern
