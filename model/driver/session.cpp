// Replaying one scenario; see session.h.
#include "model/driver/session.h"

#include <fmt/format.h>

#include "model/driver/directives.h"
#include "model/kern/signal.h"

namespace procsim::driver {

Session::Session(const script::Scenario& scenario, std::optional<std::uint64_t> seed_override)
    : m_scenario(scenario), m_seed_override(seed_override) {}

void Session::boot(system::MachineConfig config) {
  m_pending.clear();
  m_login.reset();
  m_machine.reset();
  m_machine = std::make_unique<system::Machine>(std::move(config));
}

script::ScriptResult<system::Machine*> Session::require_machine(const script::Directive& directive) {
  if (m_machine) return m_machine.get();
  return base::fail(directive.error_at(
      script::Directive::name_column(),
      fmt::format("'{}' needs a machine: put a 'machine' directive first", directive.name())));
}

script::ScriptResult<script::ActualOutput> Session::run() {
  script::ActualOutput actual;
  actual.reserve(m_scenario.inputs.size());
  for (const auto& input : m_scenario.inputs) {
    OutputLines out;
    TRY(execute(input, out));
    collect_trace(out);
    actual.push_back(std::move(out));
  }
  return actual;
}

script::ScriptResult<OutputLines> Session::replay(const script::Input& input) {
  OutputLines out;
  TRY(execute(input, out));
  collect_trace(out);
  return out;
}

script::ScriptResult<void> Session::execute(const script::Input& input, OutputLines& out) {
  switch (input.kind()) {
    case script::InputKind::Directive: {
      const script::Directive& directive = *input.directive();
      const DirectiveSpec* spec = find_directive(directive.name());
      if (spec == nullptr) return base::fail(directive.unknown_directive());
      return spec->handler(*this, directive, out);
    }
    case script::InputKind::Program: return run_program_block(*this, *input.program(), out);
    case script::InputKind::Shell: return shell_input(input, out);
    case script::InputKind::SystemCall: return system_call(input, out);
  }
  PROCSIM_UNREACHABLE();
}

script::ScriptResult<void> Session::system_call(const script::Input& input, OutputLines& out) {
  const std::string& file = m_scenario.file_name;
  const script::SystemCallInput& line = *input.system_call();
  auto where = [&](int column, std::string message) {
    return base::fail(script::Diagnostic{file, input.line, column, std::move(message)});
  };
  if (!m_machine) return where(1, "system calls need a machine: put a 'machine' directive first");
  kern::Kernel& kernel = m_machine->kernel();
  kern::Pid pid(static_cast<std::int32_t>(line.pid));
  kern::UserMemory* memory = kernel.user_memory(pid);
  if (memory == nullptr) {
    return where(line.pid_column,
                 fmt::format("no scripted process {}: use 'spawn ... script' first", line.pid));
  }
  if (m_pending.count(line.pid) != 0) {
    return where(line.pid_column,
                 fmt::format("process {} is still in a system call: use 'wait @{}'", line.pid, line.pid));
  }
  auto marshalled = marshal_call(line.call, *memory, kernel.pfind(pid)->abi);
  if (marshalled.is_error()) return base::fail(script::locate(file, input.line, marshalled.error()));
  if (auto submitted = kernel.script_submit(pid, marshalled.value().request); submitted.is_error()) {
    return where(line.pid_column,
                 fmt::format("process {} is not a scripted process waiting for a call", line.pid));
  }
  m_pending.emplace(line.pid, PendingCall{std::move(marshalled.value()), line.call.name});
  if (line.call.background) return {};
  finish_call(line.pid, out);
  return {};
}

sim::RunReport Session::run_bounded(const std::function<bool()>& done, std::uint64_t cpu_seconds,
                                    bool& cpu_exhausted) {
  kern::Kernel& kernel = m_machine->kernel();
  const std::uint64_t start = kernel.busy_ticks();
  const std::uint64_t budget = cpu_seconds * kernel.hz();
  cpu_exhausted = false;
  return m_machine->engine().run_until(*m_machine, [&] {
    if (done()) return true;
    cpu_exhausted = kernel.busy_ticks() - start > budget;
    return cpu_exhausted;
  });
}

void Session::finish_call(std::uint32_t pid_number, OutputLines& out) {
  kern::Kernel& kernel = m_machine->kernel();
  kern::Pid pid(static_cast<std::int32_t>(pid_number));
  auto pending = m_pending.find(pid_number);
  PROCSIM_ASSERT(pending != m_pending.end());
  bool exhausted = false;
  sim::RunReport report =
      run_bounded([&] { return kernel.script_finished(pid); }, kWaitCpuSeconds, exhausted);
  collect_trace(out);
  if (report.outcome == sim::RunOutcome::Blocked || exhausted) {
    out.emplace_back(exhausted ? "(still running)" : "(blocked)");
    return;  // the call stays pending: a later `wait @PID` may see it finish
  }
  if (report.outcome != sim::RunOutcome::Done) {
    out.push_back(fmt::format("(stopped: {})", sim::run_outcome_name(report.outcome)));
    return;
  }
  std::optional<kern::SyscallResult> result = kernel.script_result(pid);
  if (result) {
    const kern::UserMemory* memory = kernel.user_memory(pid);
    if (memory == nullptr) {
      // The process is gone: nothing it was given to fill can be shown.
      pending->second.call.outs.clear();
      kern::EmptyUserMemory empty;
      out.push_back(format_call_result(pending->second.call, *result, empty));
    } else {
      // A register structure continues on lines of its own.
      std::string text = format_call_result(pending->second.call, *result, *memory);
      for (std::size_t start = 0; start <= text.size();) {
        std::size_t end = std::min(text.find('\n', start), text.size());
        out.push_back(text.substr(start, end - start));
        start = end + 1;
      }
    }
    for (kern::Signal signal : kernel.take_script_caught_signals(pid)) {
      out.push_back(fmt::format("caught {}", kern::signal_name(signal)));
    }
  }
  m_pending.erase(pending);
}

void Session::collect_trace(OutputLines& out) {
  if (!m_machine) return;
  for (auto& line : m_machine->engine().trace().take_lines()) out.push_back(std::move(line));
}

}  // namespace procsim::driver
