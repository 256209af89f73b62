// A scenario session: replays one parsed scenario on machines it boots, collecting the output of
// every input line. Directives are dispatched through the directive table (directives.h); the
// first error stops the session and is returned as a Diagnostic.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "model/driver/script_call.h"
#include "model/system/machine.h"
#include "sim/script/rewrite.h"
#include "sim/script/scenario.h"

namespace procsim::driver {

// Where one input's output lines go.
using OutputLines = std::vector<std::string>;

class Session {
 public:
  Session(const script::Scenario& scenario, std::optional<std::uint64_t> seed_override);

  // Replays every input in order; the output of each input, or the first error.
  script::ScriptResult<script::ActualOutput> run();
  // Replays one more input (from another scenario text) on the same machine: `procsim shell`.
  script::ScriptResult<OutputLines> replay(const script::Input& input);

  // For directive handlers.
  const script::Scenario& scenario() const { return m_scenario; }
  std::optional<std::uint64_t> seed_override() const { return m_seed_override; }
  system::Machine* machine() { return m_machine.get(); }
  void boot(system::MachineConfig config);
  // The booted machine, or the diagnostic "no machine: ..." at the directive's name.
  script::ScriptResult<system::Machine*> require_machine(const script::Directive& directive);

  // The login shell '%' lines are typed at (login.cpp): its pid, terminal and prompts.
  struct LoginShell {
    std::uint32_t pid = 0;
    std::string tty;
    std::string prompt;               // PS1
    std::string continuation = "> ";  // PS2
  };
  void set_login(LoginShell login) { m_login = std::move(login); }
  bool logged_in() const { return m_login.has_value(); }
  // Runs the machine until the login shell waits for a line at its prompt again (or exits),
  // then appends what the terminal showed, without the prompt.
  void run_until_prompt(OutputLines& out);
  // The CPU a typed line may use before the driver types the interrupt character for it (the
  // user's ^C), in seconds of busy simulated CPU; a second budget after it ends in SIGKILL.
  static constexpr std::uint64_t kLineCpuSeconds = 1;
  // Runs the machine until `done` holds, but for at most `cpu_seconds` of busy simulated CPU: a
  // program that computes for ever would otherwise keep a wait from ever ending. Waits for a
  // scripted call and `run until=idle` get kWaitCpuSeconds. `cpu_exhausted` says whether the
  // budget ended the run.
  static constexpr std::uint64_t kWaitCpuSeconds = 2;
  sim::RunReport run_bounded(const std::function<bool()>& done, std::uint64_t cpu_seconds,
                             bool& cpu_exhausted);
  // Polled after every simulated tick while a line runs: true means the user pressed ^C, and
  // the foreground command is interrupted at once (procsim shell). Unset for scenario files.
  void set_interrupt_poll(std::function<bool()> poll) { m_interrupt_poll = std::move(poll); }

  // A scripted call started with a trailing '&', whose result a `wait @PID` line prints.
  bool has_pending_call(std::uint32_t pid) const { return m_pending.count(pid) != 0; }
  // Runs the machine until the pending call of `pid` returns; its output lines.
  void finish_call(std::uint32_t pid, OutputLines& out);

 private:
  script::ScriptResult<void> execute(const script::Input& input, OutputLines& out);
  // Trace lines the machine produced while the input ran, in order.
  void collect_trace(OutputLines& out);
  script::ScriptResult<void> system_call(const script::Input& input, OutputLines& out);
  script::ScriptResult<void> shell_input(const script::Input& input, OutputLines& out);
  bool login_shell_waits() const;

  struct PendingCall {
    MarshalledCall call;
    std::string call_name;
  };

  const script::Scenario& m_scenario;
  std::optional<std::uint64_t> m_seed_override;
  std::unique_ptr<system::Machine> m_machine;
  std::map<std::uint32_t, PendingCall> m_pending;  // by pid
  std::optional<LoginShell> m_login;
  std::function<bool()> m_interrupt_poll;

  // Signals every member of the terminal's foreground group but the login shell, which, as an
  // interactive sh, ignores the interrupt itself.
  void interrupt_foreground(kern::Signal signal);
};

}  // namespace procsim::driver
