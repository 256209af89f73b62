// The login shell and `%` lines; see login.h. The shell is /bin/sh from the program table,
// started as a session leader on its terminal with descriptors 0, 1 and 2 open on it, argv[0]
// "-sh" as login(1) gives a login shell, and the environment login(1) sets up.
#include "model/driver/login.h"

#include <vector>

#include <fmt/format.h>

#include "model/kern/pid_alloc.h"
#include "model/userland/program_runtime.h"
#include "model/userland/usys.h"
#include "sim/base/assert.h"

namespace procsim::driver {

namespace {

using script::Directive;
using script::ScriptResult;

// The terminal a login uses when the directive names none.
constexpr std::string_view kDefaultTty = "console";

userland::ProgramArgs login_arguments(const std::string& user, std::uint32_t uid,
                                      const std::optional<std::string>& tz) {
  userland::ProgramArgs args;
  args.argv = {"-sh"};
  std::string home = uid == 0 ? "/root" : fmt::format("/home/{}", user);
  args.envp = {
      fmt::format("HOME={}", home),
      fmt::format("PATH={}", userland::kDefaultPath),
      "SHELL=/bin/sh",
      fmt::format("USER={}", user),
      "TERM=vt100",
  };
  // login.conf's "timezone" capability: setusercontext() exports it as TZ.
  if (tz) args.envp.push_back(fmt::format("TZ={}", *tz));
  return args;
}

// A pid-valued key (pid, ppid, pgid, sid), 1 to PID_MAX.
ScriptResult<std::optional<kern::Pid>> login_pid(const Directive& directive, std::string_view key) {
  auto pid = TRY(directive.get_u64(key));
  if (!pid) return std::optional<kern::Pid>{};
  if (*pid == 0 || *pid > static_cast<std::uint64_t>(kern::PID_MAX)) {
    return base::fail(directive.error_at(directive.find(key)->value_column,
                                         fmt::format("{} must be between 1 and {}", key, kern::PID_MAX)));
  }
  return std::optional<kern::Pid>{kern::Pid(static_cast<std::int32_t>(*pid))};
}

ScriptResult<kern::SpawnSpec> login_spec(system::Machine& machine, const Directive& directive,
                                         std::uint32_t& uid) {
  kern::SpawnSpec spec;
  spec.pid = TRY(login_pid(directive, "pid"));
  spec.ppid = TRY(login_pid(directive, "ppid"));
  spec.pgid = TRY(login_pid(directive, "pgid"));
  spec.sid = TRY(login_pid(directive, "sid"));
  // A shell in another's session (sid= not its own pid) is that session's foreground job on
  // the session's terminal, as when a shell started it; the kernel ignores this for a new one.
  spec.join_terminal = spec.sid.has_value();
  std::string user_name = TRY(directive.get_string("user")).value_or("root");
  const system::User* user = machine.find_user(user_name);
  uid = user != nullptr ? user->uid : 0;
  if (user != nullptr) {
    spec.cred = machine.credentials_of(*user);
  } else if (user_name != "root") {
    const script::Word* word = directive.find("user");
    return base::fail(directive.error_at(word->value_column, fmt::format("unknown user '{}'", user_name)));
  }
  spec.login = user_name;
  spec.tty = TRY(directive.get_string("tty")).value_or(std::string(kDefaultTty));
  if (machine.tty(*spec.tty) == nullptr) {
    return base::fail(
        directive.error_at(directive.find("tty")->value_column, fmt::format("no terminal '{}'", *spec.tty)));
  }
  spec.comm = "login";
  spec.argv = {"login"};
  return spec;
}

}  // namespace

ScriptResult<void> do_login(Session& session, const Directive& directive, OutputLines& out) {
  system::Machine* machine = TRY(session.require_machine(directive));
  TRY(directive.check_keys({"pid", "ppid", "pgid", "sid", "user", "tty", "tz"}));
  TRY(directive.check_positionals(0));
  std::uint32_t uid = 0;
  kern::SpawnSpec spec = TRY(login_spec(*machine, directive, uid));
  // login(1)'s last act: exec the user's shell, so the session leader runs /bin/sh's image.
  std::optional<std::string> tz = TRY(directive.get_string("tz"));
  userland::ProgramArgs args = login_arguments(*spec.login, uid, tz);
  auto login_program = std::make_unique<kern::HostProgram>([args](kern::UserContext& user) {
    userland::Usys sys(user);
    (void)sys.execve("/bin/sh", args.argv, args.envp);
    return 1;  // login's "No shell" exit
  });
  auto pid = machine->kernel().spawn_program(spec, std::move(login_program));
  if (pid.is_error()) {
    return base::fail(directive.error_at(Directive::name_column(),
                                         fmt::format("cannot log in: {}", vfs::errno_text(pid.error()))));
  }
  Session::LoginShell login;
  login.pid = static_cast<std::uint32_t>(pid.value().value());
  login.tty = *spec.tty;
  login.prompt = uid == 0 ? "# " : "$ ";
  session.set_login(std::move(login));
  session.run_until_prompt(out);
  return {};
}

std::vector<std::string> terminal_output_lines(std::string_view text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string line;
    for (char c : text.substr(start, end - start)) {
      auto byte = static_cast<unsigned char>(c);
      bool control = (byte < 0x20 && c != '\t') || byte == 0x7f;
      line += control ? fmt::format("\\x{:02x}", byte) : std::string(1, c);
    }
    lines.push_back(std::move(line));
    start = end + 1;
  }
  return lines;
}

std::string strip_trailing_prompt(std::string text, std::string_view prompt) {
  if (!prompt.empty() && text.ends_with(prompt)) text.resize(text.size() - prompt.size());
  return text;
}

bool Session::login_shell_waits() const {
  PROCSIM_ASSERT(m_login.has_value());
  const kern::Proc* p = m_machine->kernel().pfind(kern::Pid(static_cast<std::int32_t>(m_login->pid)));
  if (p == nullptr || p->is_zombie() || p->thread_count() == 0) return true;
  const kern::Thread& td = p->first_thread();
  const kern::Tty* tty = m_machine->kernel().tty(m_login->tty);
  return td.is_sleeping() && td.wmesg == "ttyin" && (tty == nullptr || tty->queued_input() == 0);
}

void Session::interrupt_foreground(kern::Signal signal) {
  kern::Kernel& kernel = m_machine->kernel();
  const kern::Tty* tty = kernel.tty(m_login->tty);
  PROCSIM_ASSERT(tty != nullptr);
  kern::Pgrp* pgrp = kernel.pgfind(tty->foreground);
  if (pgrp == nullptr) return;
  // Copy first: a signal may end a member and change the list.
  std::vector<kern::Pid> members;
  for (const kern::Proc* p : pgrp->members) members.push_back(p->pid());
  for (kern::Pid pid : members) {
    kern::Proc* p = kernel.pfind(pid);
    if (p == nullptr || p->is_zombie() || pid.value() == static_cast<std::int32_t>(m_login->pid)) continue;
    kernel.psignal(*p, signal);
  }
}

void Session::run_until_prompt(OutputLines& out) {
  PROCSIM_ASSERT(m_machine != nullptr && m_login.has_value());
  kern::Kernel& kernel = m_machine->kernel();
  kern::Tty* tty = kernel.tty(m_login->tty);
  PROCSIM_ASSERT(tty != nullptr);
  std::string text;
  sim::RunReport report;
  // A command that keeps the CPU busy without returning to the prompt gets the interrupt
  // character after the budget (as a user would press ^C), then SIGKILL after another.
  for (int attempt = 0;; ++attempt) {
    bool exhausted = false;
    bool asked = false;  // the user's own ^C (procsim shell)
    auto prompt_or_interrupt = [&] {
      if (login_shell_waits()) return true;
      asked = m_interrupt_poll && m_interrupt_poll();
      return asked;
    };
    report = run_bounded(prompt_or_interrupt, kLineCpuSeconds, exhausted);
    if ((!exhausted && !asked) || attempt == 2) break;
    text += tty->take_output();
    text += "^C\n";
    interrupt_foreground(attempt == 0 ? kern::Sigint : kern::Sigkill);
  }
  collect_trace(out);
  text += tty->take_output();
  if (report.outcome == sim::RunOutcome::Done && login_shell_waits()) {
    text = strip_trailing_prompt(std::move(text), m_login->prompt);
    text = strip_trailing_prompt(std::move(text), m_login->continuation);
  }
  for (std::string& line : terminal_output_lines(text)) out.push_back(std::move(line));
  if (report.outcome == sim::RunOutcome::Blocked) out.emplace_back("(blocked)");
  if (report.outcome == sim::RunOutcome::LimitReached) {
    out.push_back(fmt::format("(limit reached: {})", sim::run_limit_name(report.limit)));
  }
  if (report.outcome == sim::RunOutcome::Done && !login_shell_waits()) out.emplace_back("(still running)");
  const kern::Proc* p = kernel.pfind(kern::Pid(static_cast<std::int32_t>(m_login->pid)));
  if (p == nullptr || p->is_zombie()) m_login.reset();  // the shell logged out
}

ScriptResult<void> Session::shell_input(const script::Input& input, OutputLines& out) {
  const script::ShellInput& line = *input.shell();
  if (!m_machine || !m_login) {
    return base::fail(script::Diagnostic{m_scenario.file_name, input.line, 1,
                                         "no login shell: use 'login' before '%' lines"});
  }
  kern::Tty* tty = m_machine->kernel().tty(m_login->tty);
  PROCSIM_ASSERT(tty != nullptr);
  // Output that appeared since the last prompt (a background job's) belongs to this line.
  tty->push_input(line.command + "\n");
  run_until_prompt(out);
  return {};
}

}  // namespace procsim::driver
