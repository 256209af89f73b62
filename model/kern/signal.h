// Signals as data: the Signal number type (1..128), FreeBSD 8.3's table of signals 1..32 with
// their names, procfs ctl words, property bits and default actions (spec/kernel.md §2.6), the
// 128-bit signal set, and the name lookups procfs ctl and kill(1) use. Posting, delivery and
// stops belong to the process code; names for the real-time range are not modelled.
#pragma once

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "model/vfs/ucred.h"
#include "sim/base/assert.h"
#include "sim/base/strong_id.h"

namespace procsim::kern {

// A signal number, 1..128. Construct through make_signal() when the number is untrusted.
using Signal = base::StrongId<struct SignalTag, std::uint32_t>;

// NSIG (the classic signal count, 0 included) and _SIG_MAXSIG. The host defines NSIG as a macro.
inline constexpr std::uint32_t kNsig = 32;
inline constexpr std::uint32_t kSigMaxsig = 128;

constexpr bool is_valid_signal(std::uint32_t number) { return number >= 1 && number <= kSigMaxsig; }

constexpr std::optional<Signal> make_signal(std::uint32_t number) {
  if (!is_valid_signal(number)) return std::nullopt;
  return Signal(number);
}

// The signals by name. The host's <signal.h> defines SIGHUP etc. as macros, so the names keep
// only their first letter in upper case (SIGHUP -> Sighup).
inline constexpr Signal Sighup{1};
inline constexpr Signal Sigint{2};
inline constexpr Signal Sigquit{3};
inline constexpr Signal Sigill{4};
inline constexpr Signal Sigtrap{5};
inline constexpr Signal Sigabrt{6};
inline constexpr Signal Sigiot = Sigabrt;
inline constexpr Signal Sigemt{7};
inline constexpr Signal Sigfpe{8};
inline constexpr Signal Sigkill{9};
inline constexpr Signal Sigbus{10};
inline constexpr Signal Sigsegv{11};
inline constexpr Signal Sigsys{12};
inline constexpr Signal Sigpipe{13};
inline constexpr Signal Sigalrm{14};
inline constexpr Signal Sigterm{15};
inline constexpr Signal Sigurg{16};
inline constexpr Signal Sigstop{17};
inline constexpr Signal Sigtstp{18};
inline constexpr Signal Sigcont{19};
inline constexpr Signal Sigchld{20};
inline constexpr Signal Sigttin{21};
inline constexpr Signal Sigttou{22};
inline constexpr Signal Sigio{23};
inline constexpr Signal Sigxcpu{24};
inline constexpr Signal Sigxfsz{25};
inline constexpr Signal Sigvtalrm{26};
inline constexpr Signal Sigprof{27};
inline constexpr Signal Sigwinch{28};
inline constexpr Signal Siginfo{29};
inline constexpr Signal Sigusr1{30};
inline constexpr Signal Sigusr2{31};
inline constexpr Signal Sigthr{32};
inline constexpr Signal Sigrtmin{65};
inline constexpr Signal Sigrtmax{126};

// sigprop bits (8.3 kern_sig.c).
using SigProps = std::uint8_t;
inline constexpr SigProps SA_KILL = 0x01;      // terminates the process by default
inline constexpr SigProps SA_CORE = 0x02;      // ... and dumps core
inline constexpr SigProps SA_STOP = 0x04;      // stops the process by default
inline constexpr SigProps SA_TTYSTOP = 0x08;   // a terminal stop signal
inline constexpr SigProps SA_IGNORE = 0x10;    // ignored by default
inline constexpr SigProps SA_CONT = 0x20;      // continues a stopped process
inline constexpr SigProps SA_CANTMASK = 0x40;  // may not be masked
inline constexpr SigProps SA_PROC = 0x80;      // directed at the process, not a thread

// What happens to a process that neither catches nor ignores the signal.
enum class SigDefault : std::uint8_t { Terminate, Core, Stop, Ignore, Continue };

// Every fact about one signal. Row order is number order.
struct SignalRow {
  Signal signal;
  std::string_view name;      // "SIGHUP"
  std::string_view ctl_word;  // the procfs ctl word and libc's sys_signame entry: "hup"
  SigProps props;
  SigDefault default_action;
};

// Signals 1..32; row i is signal i + 1. SIGTHR (32) is past NSIG: no properties, no ctl word.
extern const std::array<SignalRow, 32> kSignalTable;

// Second ctl words for signals that already have a row (procfs.md §4.2: "iot" = SIGABRT).
struct SignalAliasRow {
  std::string_view ctl_word;
  Signal signal;
};
extern const std::array<SignalAliasRow, 1> kSignalCtlAliases;

// The signal's row, or nullptr above 32.
const SignalRow* signal_row(Signal signal);

// "SIGHUP" for 1..32, "SIG<n>" above.
std::string signal_name(Signal signal);

// sigprop(): the property bits for 1..31; 0 for every other signal (8.3 indexes its table only
// below NSIG).
SigProps sigprop(Signal signal);

// The default action; signals without properties terminate without a core.
SigDefault default_action(Signal signal);

// procfs ctl: the signal named by an exact, case-sensitive ctl word ("hup", "iot"); no "sig"
// prefix, no numbers, and never SIGTHR or a real-time signal.
std::optional<Signal> signal_from_ctl_word(std::string_view word);

// The case kill -l prints libc's sys_signame in, per era. Every era's libc keeps the names in
// lower case ("hup"): lib/libc/gen/siglist.c as of 2007 (the file 8.3 ships) and bin/kill/kill.c
// prints them unchanged. Upper-case names came with a later libc. FIXME: 8.3 unconfirmed.
enum class LetterCase : std::uint8_t { Lower, Upper };

struct KillNameRules {
  vfs::Era era;
  LetterCase letter_case;
};

inline constexpr std::array<KillNameRules, vfs::kEraCount> kKillNameRules = {{
    {vfs::Era::Bsd44, LetterCase::Lower},
    {vfs::Era::FreeBSD4, LetterCase::Lower},
    {vfs::Era::FreeBSD8, LetterCase::Lower},
}};

constexpr const KillNameRules& kill_name_rules(vfs::Era era) {
  return kKillNameRules[static_cast<std::size_t>(era)];
}

// kill(1)'s name for signals 1..31 (sys_signame): "hup" or "HUP". Empty for other signals.
std::string kill_name(Signal signal, LetterCase letter_case);

// kill(1) -SIG / -s SIG: the names of signals 1..31 matched without regard to case, with an
// optional "SIG" prefix in any case ("TERM", "sigterm", "Term"). No aliases, no numbers.
std::optional<Signal> signal_from_kill_name(std::string_view name);

// kill -l: signals 1..31 separated by spaces, a line break after 16 and after 31.
std::string kill_list_text(LetterCase letter_case);

// A set of signals 1..128, laid out as FreeBSD's sigset_t: four 32-bit words, signal n at bit
// (n - 1) % 32 of word (n - 1) / 32.
class SigSet {
 public:
  using Words = std::array<std::uint32_t, 4>;

  constexpr SigSet() = default;
  constexpr SigSet(std::initializer_list<Signal> signals) {
    for (Signal signal : signals) add(signal);
  }
  static constexpr SigSet from_words(const Words& words) {
    SigSet set;
    set.m_words = words;
    return set;
  }

  constexpr void add(Signal signal) { m_words[word_index(signal)] |= bit(signal); }
  constexpr void del(Signal signal) { m_words[word_index(signal)] &= ~bit(signal); }
  constexpr bool contains(Signal signal) const { return (m_words[word_index(signal)] & bit(signal)) != 0; }
  constexpr bool empty() const {
    for (std::uint32_t word : m_words) {
      if (word != 0) return false;
    }
    return true;
  }

  // sig_ffs(): the lowest-numbered member, the order in which pending signals are delivered.
  constexpr std::optional<Signal> lowest() const {
    for (std::size_t i = 0; i < m_words.size(); ++i) {
      if (m_words[i] == 0) continue;
      auto bit_index = static_cast<std::uint32_t>(std::countr_zero(m_words[i]));
      return Signal(static_cast<std::uint32_t>(i) * 32 + bit_index + 1);
    }
    return std::nullopt;
  }

  constexpr SigSet& operator|=(const SigSet& other) {
    for (std::size_t i = 0; i < m_words.size(); ++i) m_words[i] |= other.m_words[i];
    return *this;
  }
  constexpr SigSet& operator&=(const SigSet& other) {
    for (std::size_t i = 0; i < m_words.size(); ++i) m_words[i] &= other.m_words[i];
    return *this;
  }
  // Removes every member of `other` (SIGSETNAND).
  constexpr SigSet& remove_all(const SigSet& other) {
    for (std::size_t i = 0; i < m_words.size(); ++i) m_words[i] &= ~other.m_words[i];
    return *this;
  }

  constexpr const Words& words() const { return m_words; }
  constexpr bool operator==(const SigSet&) const = default;

 private:
  static constexpr std::size_t word_index(Signal signal) {
    PROCSIM_ASSERT(is_valid_signal(signal.value()));
    return (signal.value() - 1) / 32;
  }
  static constexpr std::uint32_t bit(Signal signal) { return 1u << ((signal.value() - 1) % 32); }

  Words m_words{};
};

// The signals no mask may hold (SIG_CANTMASK): SIGKILL and SIGSTOP.
SigSet cantmask_signals();
// SIG_CANTMASK(set): strips SIGKILL and SIGSTOP, as sigprocmask and sigaction do.
void sig_cantmask(SigSet& set);
// The stop signals a SIGCONT discards (SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU: SA_STOP).
SigSet stop_signals();
// The signals a stop discards (SA_CONT: SIGCONT).
SigSet cont_signals();

}  // namespace procsim::kern
