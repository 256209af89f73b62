// The signal table (8.3 sys/sys/signal.h numbers, kern_sig.c sigproptbl, procfs_ctl.c and
// libc siglist.c names) and the lookups over it. Row i is signal i + 1, checked at compile time.
#include "model/kern/signal.h"

#include <fmt/format.h>

namespace procsim::kern {

namespace {

constexpr SigProps kKillProc = SA_KILL | SA_PROC;
constexpr SigProps kCoreProc = SA_KILL | SA_CORE | SA_PROC;
constexpr SigProps kCore = SA_KILL | SA_CORE;
constexpr SigProps kIgnoreProc = SA_IGNORE | SA_PROC;
constexpr SigProps kTtyStopProc = SA_STOP | SA_TTYSTOP | SA_PROC;

}  // namespace

// spec/kernel.md §2.6. SIGKILL and SIGSTOP are not SA_CANTMASK in sigproptbl: 8.3 enforces
// "cannot be masked" with SIG_CANTMASK on the mask itself.
constexpr std::array<SignalRow, 32> kSignalTable = {{
    {Sighup, "SIGHUP", "hup", kKillProc, SigDefault::Terminate},
    {Sigint, "SIGINT", "int", kKillProc, SigDefault::Terminate},
    {Sigquit, "SIGQUIT", "quit", kCoreProc, SigDefault::Core},
    {Sigill, "SIGILL", "ill", kCore, SigDefault::Core},
    {Sigtrap, "SIGTRAP", "trap", kCore, SigDefault::Core},
    {Sigabrt, "SIGABRT", "abrt", kCore, SigDefault::Core},
    {Sigemt, "SIGEMT", "emt", kCoreProc, SigDefault::Core},
    {Sigfpe, "SIGFPE", "fpe", kCore, SigDefault::Core},
    {Sigkill, "SIGKILL", "kill", kKillProc, SigDefault::Terminate},
    {Sigbus, "SIGBUS", "bus", kCore, SigDefault::Core},
    {Sigsegv, "SIGSEGV", "segv", kCore, SigDefault::Core},
    {Sigsys, "SIGSYS", "sys", kCore, SigDefault::Core},
    {Sigpipe, "SIGPIPE", "pipe", kKillProc, SigDefault::Terminate},
    {Sigalrm, "SIGALRM", "alrm", kKillProc, SigDefault::Terminate},
    {Sigterm, "SIGTERM", "term", kKillProc, SigDefault::Terminate},
    {Sigurg, "SIGURG", "urg", kIgnoreProc, SigDefault::Ignore},
    {Sigstop, "SIGSTOP", "stop", SA_STOP | SA_PROC, SigDefault::Stop},
    {Sigtstp, "SIGTSTP", "tstp", kTtyStopProc, SigDefault::Stop},
    {Sigcont, "SIGCONT", "cont", SA_IGNORE | SA_CONT | SA_PROC, SigDefault::Continue},
    {Sigchld, "SIGCHLD", "chld", kIgnoreProc, SigDefault::Ignore},
    {Sigttin, "SIGTTIN", "ttin", kTtyStopProc, SigDefault::Stop},
    {Sigttou, "SIGTTOU", "ttou", kTtyStopProc, SigDefault::Stop},
    {Sigio, "SIGIO", "io", kIgnoreProc, SigDefault::Ignore},
    {Sigxcpu, "SIGXCPU", "xcpu", SA_KILL, SigDefault::Terminate},
    {Sigxfsz, "SIGXFSZ", "xfsz", SA_KILL, SigDefault::Terminate},
    {Sigvtalrm, "SIGVTALRM", "vtalrm", kKillProc, SigDefault::Terminate},
    {Sigprof, "SIGPROF", "prof", kKillProc, SigDefault::Terminate},
    {Sigwinch, "SIGWINCH", "winch", kIgnoreProc, SigDefault::Ignore},
    {Siginfo, "SIGINFO", "info", kIgnoreProc, SigDefault::Ignore},
    {Sigusr1, "SIGUSR1", "usr1", kKillProc, SigDefault::Terminate},
    {Sigusr2, "SIGUSR2", "usr2", kKillProc, SigDefault::Terminate},
    {Sigthr, "SIGTHR", "", 0, SigDefault::Terminate},
}};

constexpr std::array<SignalAliasRow, 1> kSignalCtlAliases = {{
    {"iot", Sigiot},
}};

namespace {

// The default action follows from the properties, as issignal() derives it.
constexpr SigDefault derived_default(SigProps props) {
  if ((props & SA_CONT) != 0) return SigDefault::Continue;
  if ((props & SA_STOP) != 0) return SigDefault::Stop;
  if ((props & SA_IGNORE) != 0) return SigDefault::Ignore;
  if ((props & SA_CORE) != 0) return SigDefault::Core;
  return SigDefault::Terminate;
}

constexpr bool signal_table_is_consistent() {
  for (std::size_t i = 0; i < kSignalTable.size(); ++i) {
    const SignalRow& row = kSignalTable[i];
    if (row.signal.value() != i + 1) return false;
    if (row.default_action != derived_default(row.props)) return false;
    bool below_nsig = row.signal.value() < kNsig;
    if (below_nsig == row.ctl_word.empty()) return false;
    if (row.name.substr(0, 3) != "SIG") return false;
  }
  return true;
}
static_assert(signal_table_is_consistent());

constexpr char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
constexpr char upper(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; }

bool equal_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

}  // namespace

const SignalRow* signal_row(Signal signal) {
  PROCSIM_ASSERT(is_valid_signal(signal.value()));
  if (signal.value() > kSignalTable.size()) return nullptr;
  const SignalRow& row = kSignalTable[signal.value() - 1];
  PROCSIM_ASSERT(row.signal == signal);
  return &row;
}

std::string signal_name(Signal signal) {
  const SignalRow* row = signal_row(signal);
  if (row == nullptr) return fmt::format("SIG{}", signal.value());
  return std::string(row->name);
}

SigProps sigprop(Signal signal) {
  const SignalRow* row = signal_row(signal);
  if (row == nullptr || signal.value() >= kNsig) return 0;
  return row->props;
}

SigDefault default_action(Signal signal) {
  const SignalRow* row = signal_row(signal);
  if (row == nullptr) return SigDefault::Terminate;
  return row->default_action;
}

std::optional<Signal> signal_from_ctl_word(std::string_view word) {
  if (word.empty()) return std::nullopt;
  for (const SignalRow& row : kSignalTable) {
    if (row.ctl_word == word) return row.signal;
  }
  for (const SignalAliasRow& alias : kSignalCtlAliases) {
    if (alias.ctl_word == word) return alias.signal;
  }
  return std::nullopt;
}

std::string kill_name(Signal signal, LetterCase letter_case) {
  if (signal.value() >= kNsig) return "";
  const SignalRow* row = signal_row(signal);
  PROCSIM_ASSERT(row != nullptr);
  std::string name(row->ctl_word);
  if (letter_case == LetterCase::Upper) {
    for (char& c : name) c = upper(c);
  }
  return name;
}

std::optional<Signal> signal_from_kill_name(std::string_view name) {
  if (name.size() >= 3 && equal_ignoring_case(name.substr(0, 3), "sig")) name.remove_prefix(3);
  if (name.empty()) return std::nullopt;
  for (const SignalRow& row : kSignalTable) {
    if (row.signal.value() >= kNsig) break;
    if (equal_ignoring_case(row.ctl_word, name)) return row.signal;
  }
  return std::nullopt;
}

std::string kill_list_text(LetterCase letter_case) {
  std::string out;
  for (std::uint32_t number = 1; number < kNsig; ++number) {
    out += kill_name(Signal(number), letter_case);
    bool line_ends = number == kNsig / 2 || number == kNsig - 1;
    out += line_ends ? '\n' : ' ';
  }
  return out;
}

SigSet cantmask_signals() { return SigSet{Sigkill, Sigstop}; }

void sig_cantmask(SigSet& set) { set.remove_all(cantmask_signals()); }

namespace {

SigSet signals_with(SigProps wanted) {
  SigSet set;
  for (const SignalRow& row : kSignalTable) {
    if ((row.props & wanted) != 0) set.add(row.signal);
  }
  return set;
}

}  // namespace

SigSet stop_signals() { return signals_with(SA_STOP); }

SigSet cont_signals() { return signals_with(SA_CONT); }

}  // namespace procsim::kern
