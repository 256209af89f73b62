// The interactive shell command; see shell_command.h. The session is a scenario built on the
// fly: a machine directive and a login, then one '%' line per line read, or a directive for a
// line that starts with ':'. ^C typed while a line runs interrupts the simulated command.
#include "model/driver/shell_command.h"

#include <atomic>
#include <csignal>
#include <string>

#include <fmt/format.h>

#include "model/driver/line_editor.h"
#include "model/driver/session.h"
#include "sim/script/scenario.h"

namespace procsim::driver {

namespace {

// Set by the host's SIGINT handler, read by the run loop after every simulated tick. A handler
// can reach nothing else, so this flag is the one piece of state outside any object.
std::atomic<bool> g_host_interrupt{false};

extern "C" void note_host_interrupt(int) { g_host_interrupt.store(true); }

constexpr std::string_view kShellHelpText =
    "Lines are typed at the simulated login shell (sh): try ls -l /proc, cat /proc/curproc/status,\n"
    "ps -ax, /bin/sleep 5 &, kill. A line that starts with ':' is a scenario directive instead:\n"
    "  :spawn [user=U] [tty=T] [jail=N] script   make a scripted process (prints its pid)\n"
    "  :spawn [user=U] -- PATH ARGS...           make a process that runs PATH\n"
    "  :run ticks=N | :run until=idle            let simulated time pass\n"
    "  :trace on | :trace off                    print the kernel's events as they happen\n"
    "  :user NAME uid=N gid=N   :group NAME gid=N   :jail   :swap   :tty NAME input=...\n"
    "  :@PID CALL(ARGS)                          a system call by a scripted process, e.g.\n"
    "                                            :@3 open(\"/proc/1/status\", O_RDONLY, 0)\n"
    "^C interrupts the running command; ^D or 'exit' leaves. docs/scenario-format.md has it all.\n";

void print_lines(const OutputLines& lines, std::FILE* out) {
  for (const std::string& line : lines) std::fprintf(out, "%s\n", line.c_str());
}

// Installs the SIGINT handler for the session's lifetime and puts the old one back after.
class HostInterruptScope {
 public:
  HostInterruptScope() {
    struct sigaction action {};
    action.sa_handler = note_host_interrupt;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, &m_previous);
  }
  ~HostInterruptScope() { sigaction(SIGINT, &m_previous, nullptr); }
  HostInterruptScope(const HostInterruptScope&) = delete;
  HostInterruptScope& operator=(const HostInterruptScope&) = delete;

 private:
  struct sigaction m_previous {};
};

// One line typed at the prompt: a directive or system call after ':', else a shell line.
// Returns false once the login shell has gone.
bool type_line(Session& session, const std::string& line, std::FILE* out, std::FILE* err) {
  bool directive = line.starts_with(':');
  std::string text = directive ? line.substr(1) : "% " + line;
  auto parsed = script::parse_scenario("<stdin>", text + "\n");
  if (parsed.is_error() || parsed.value().inputs.size() != 1) {
    if (parsed.is_error()) {
      std::fprintf(err, "%s\n", parsed.error().format().c_str());
    } else {
      std::fprintf(err, "procsim: type one directive or system call after ':'\n");
    }
    return true;
  }
  const script::Input& input = parsed.value().inputs.front();
  if (input.kind() == script::InputKind::Directive &&
      (input.directive()->name() == "machine" || input.directive()->name() == "login")) {
    std::fprintf(err,
                 "procsim: the machine is booted and logged in already; give machine options "
                 "to 'procsim shell' instead\n");
    return true;
  }
  g_host_interrupt.store(false);
  auto shown = session.replay(input);
  if (shown.is_error()) {
    std::fprintf(err, "%s\n", shown.error().format().c_str());
    return session.logged_in();
  }
  print_lines(shown.value(), out);
  return session.logged_in();
}

}  // namespace

int run_shell(const ShellOptions& options, std::FILE* in, std::FILE* out, std::FILE* err) {
  std::string machine = "machine";
  bool has_arch = false;
  for (const std::string& word : options.machine_words) {
    machine += " " + word;
    has_arch = has_arch || word.starts_with("arch=");
  }
  if (!has_arch) machine += " arch=amd64";
  auto boot = script::parse_scenario("<shell>", machine + "\nlogin\n");
  if (boot.is_error()) {
    std::fprintf(err, "%s\n", boot.error().format().c_str());
    return 2;
  }
  Session session(boot.value(), std::nullopt);
  auto booted = session.run();
  if (booted.is_error()) {
    std::fprintf(err, "%s\n", booted.error().format().c_str());
    return 2;
  }
  for (const OutputLines& lines : booted.value()) print_lines(lines, out);
  HostInterruptScope interrupts;
  session.set_interrupt_poll([] { return g_host_interrupt.exchange(false); });
  LineEditor editor(in, out);
  if (editor.editing()) std::fputs("Type 'help' for help; ^D leaves.\n", out);
  for (;;) {
    std::optional<std::string> line = editor.read_line("% ");
    // libedit gives up the line it was editing when ^C arrives: a new prompt, not the end.
    if (!line && g_host_interrupt.exchange(false)) {
      std::fputs("\n", out);
      continue;
    }
    if (!line) break;
    if (*line == "help") {
      std::fputs(std::string(kShellHelpText).c_str(), out);
      continue;
    }
    if (!type_line(session, *line, out, err)) return 0;
  }
  std::fputs("\n", out);
  return 0;
}

}  // namespace procsim::driver
