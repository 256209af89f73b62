// User programs and the user side of the system-call boundary: the empty address space,
// host programs with their handler tokens, scripted processes, and UserContext, which
// turns a program's calls into traps on its thread.
#include "model/kern/program.h"

#include <algorithm>

#include "model/kern/kernel.h"
#include "sim/base/assert.h"

namespace procsim::kern {

// ---- EmptyUserMemory ---------------------------------------------------------------------

vfs::KResult<void> EmptyUserMemory::copyin(UserAddr, base::MutableByteSpan out) const {
  if (out.empty()) return {};
  return base::fail(vfs::Errno::Efault);
}

vfs::KResult<void> EmptyUserMemory::copyout(UserAddr, base::ByteSpan in) {
  if (in.empty()) return {};
  return base::fail(vfs::Errno::Efault);
}

// ---- Programs ----------------------------------------------------------------------------

void Program::handle_signal(UserContext&, Signal, std::uint64_t) {}

std::unique_ptr<Program> Program::make_child(Entry entry) const {
  return std::make_unique<HostProgram>(std::move(entry));
}

HostProgram::HostProgram(Entry entry, Handlers handlers)
    : m_entry(std::move(entry)), m_handlers(std::move(handlers)) {
  PROCSIM_ASSERT(m_entry != nullptr);
}

int HostProgram::run(UserContext& context) { return m_entry(context); }

void HostProgram::handle_signal(UserContext& context, Signal signal, std::uint64_t handler) {
  auto found = m_handlers.find(handler);
  if (found == m_handlers.end()) return;
  found->second(context, signal);
}

std::unique_ptr<Program> HostProgram::make_child(Entry entry) const {
  return std::make_unique<HostProgram>(std::move(entry), m_handlers);
}

int ScriptProgram::run(UserContext& context) {
  for (;;) {
    SyscallRequest request = context.wait_for_script_request();
    SyscallResult result = context.syscall(request);
    context.post_script_result(result);
  }
}

void ScriptProgram::handle_signal(UserContext& context, Signal signal, std::uint64_t) {
  Proc& p = context.thread().proc();
  PROCSIM_ASSERT(p.script.has_value());
  p.script->caught.push_back(signal);
}

std::unique_ptr<Program> ScriptProgram::clone_for_fork() const { return std::make_unique<ScriptProgram>(); }

// ---- UserContext -------------------------------------------------------------------------

UserContext::UserContext(Kernel& kernel, Thread& thread) : m_kernel(&kernel), m_thread(&thread) {}

SyscallResult UserContext::syscall(const SyscallRequest& request) {
  SyscallResult result = m_kernel->syscall(*m_thread, request);
  // A successful execve does not return to the code that made it.
  if (m_thread->image_replaced) throw ImageReplaced{};
  return result;
}

SyscallResult UserContext::syscall(Sysno number, std::initializer_list<std::uint64_t> args) {
  PROCSIM_ASSERT(args.size() <= 6);
  SyscallRequest request;
  request.number = sysno_value(number);
  std::copy(args.begin(), args.end(), request.args.begin());
  return syscall(request);
}

SyscallResult UserContext::fork(Program::Entry child) {
  Program* program = m_thread->proc().program.get();
  PROCSIM_ASSERT(program != nullptr);
  m_thread->fork_child_program = program->make_child(std::move(child));
  SyscallResult result = syscall(Sysno::Fork);
  // A failed fork leaves the child's image unused.
  m_thread->fork_child_program.reset();
  return result;
}

void UserContext::consume_cpu(std::uint64_t units) { m_kernel->consume_user_cpu(*m_thread, units); }

UserMemory& UserContext::memory() {
  UserMemory* memory = m_thread->proc().memory.get();
  PROCSIM_ASSERT(memory != nullptr);
  return *memory;
}

// Each level of signal handler gets its own scratch region, so a handler never overwrites
// the buffers of the code it interrupted.
UserAddr UserContext::scratch(std::size_t bytes) {
  std::uint64_t rounded = (static_cast<std::uint64_t>(bytes) + 15) & ~std::uint64_t{15};
  PROCSIM_ASSERT_MSG(m_scratch_used + rounded <= kScratchBytes, "scratch space exhausted: reset_scratch()");
  PROCSIM_ASSERT(static_cast<std::uint64_t>(m_thread->signal_depth) < kScratchLevels);
  std::uint64_t base = m_thread->proc().host_scratch_base;
  PROCSIM_ASSERT_MSG(base != 0, "a host program's address space has a scratch region");
  std::uint64_t region = base + static_cast<std::uint64_t>(m_thread->signal_depth) * kScratchBytes;
  UserAddr addr(region + m_scratch_used);
  m_scratch_used += rounded;
  return addr;
}

SyscallRequest UserContext::wait_for_script_request() { return m_kernel->script_wait(*m_thread); }

void UserContext::post_script_result(const SyscallResult& result) {
  m_kernel->script_post(*m_thread, result);
}

}  // namespace procsim::kern
