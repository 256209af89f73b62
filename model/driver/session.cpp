// Replaying one scenario; see session.h.
#include "model/driver/session.h"

#include <fmt/format.h>

#include "model/driver/directives.h"

namespace procsim::driver {

Session::Session(const script::Scenario& scenario, std::optional<std::uint64_t> seed_override)
    : m_scenario(scenario), m_seed_override(seed_override) {}

void Session::boot(system::MachineConfig config) {
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

script::ScriptResult<void> Session::execute(const script::Input& input, OutputLines& out) {
  const std::string& file = m_scenario.file_name;
  switch (input.kind()) {
    case script::InputKind::Directive: {
      const script::Directive& directive = *input.directive();
      const DirectiveSpec* spec = find_directive(directive.name());
      if (spec == nullptr) return base::fail(directive.unknown_directive());
      return spec->handler(*this, directive, out);
    }
    case script::InputKind::Program:
      return base::fail(script::Diagnostic{
          file, input.line, 1, "'program' blocks need the machine layer, which is not built yet"});
    case script::InputKind::Shell:
      return base::fail(
          script::Diagnostic{file, input.line, 1, "no login shell: use 'login' before '%' lines"});
    case script::InputKind::SystemCall: {
      const script::SystemCallInput& call = *input.system_call();
      return base::fail(
          script::Diagnostic{file, input.line, call.pid_column,
                             fmt::format("no scripted process {}: use 'spawn ... script' first", call.pid)});
    }
  }
  PROCSIM_UNREACHABLE();
}

void Session::collect_trace(OutputLines& out) {
  if (!m_machine) return;
  for (auto& line : m_machine->engine().trace().take_lines()) out.push_back(std::move(line));
}

}  // namespace procsim::driver
