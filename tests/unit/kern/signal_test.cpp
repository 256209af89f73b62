// Signal facts reach output through procfs ctl words, kill -l, wait statuses and traces, and
// decide default actions, so every row of the table and every lookup rule is pinned here.
#include "model/kern/signal.h"

#include <array>
#include <string>

#include <doctest/doctest.h>

namespace kern = procsim::kern;
using kern::LetterCase;
using kern::SigDefault;
using kern::Signal;
using kern::SigProps;
using kern::SigSet;

namespace {

struct ExpectedSignal {
  std::uint32_t number;
  const char* name;
  const char* ctl_word;
  SigProps props;
  SigDefault action;
};

// spec/kernel.md §2.6, transcribed independently of the implementation's table.
constexpr SigProps K = kern::SA_KILL, C = kern::SA_CORE, S = kern::SA_STOP, T = kern::SA_TTYSTOP,
                   I = kern::SA_IGNORE, N = kern::SA_CONT, P = kern::SA_PROC;
constexpr std::array<ExpectedSignal, 32> kExpected = {{
    {1, "SIGHUP", "hup", K | P, SigDefault::Terminate},
    {2, "SIGINT", "int", K | P, SigDefault::Terminate},
    {3, "SIGQUIT", "quit", K | C | P, SigDefault::Core},
    {4, "SIGILL", "ill", K | C, SigDefault::Core},
    {5, "SIGTRAP", "trap", K | C, SigDefault::Core},
    {6, "SIGABRT", "abrt", K | C, SigDefault::Core},
    {7, "SIGEMT", "emt", K | C | P, SigDefault::Core},
    {8, "SIGFPE", "fpe", K | C, SigDefault::Core},
    {9, "SIGKILL", "kill", K | P, SigDefault::Terminate},
    {10, "SIGBUS", "bus", K | C, SigDefault::Core},
    {11, "SIGSEGV", "segv", K | C, SigDefault::Core},
    {12, "SIGSYS", "sys", K | C, SigDefault::Core},
    {13, "SIGPIPE", "pipe", K | P, SigDefault::Terminate},
    {14, "SIGALRM", "alrm", K | P, SigDefault::Terminate},
    {15, "SIGTERM", "term", K | P, SigDefault::Terminate},
    {16, "SIGURG", "urg", I | P, SigDefault::Ignore},
    {17, "SIGSTOP", "stop", S | P, SigDefault::Stop},
    {18, "SIGTSTP", "tstp", S | T | P, SigDefault::Stop},
    {19, "SIGCONT", "cont", I | N | P, SigDefault::Continue},
    {20, "SIGCHLD", "chld", I | P, SigDefault::Ignore},
    {21, "SIGTTIN", "ttin", S | T | P, SigDefault::Stop},
    {22, "SIGTTOU", "ttou", S | T | P, SigDefault::Stop},
    {23, "SIGIO", "io", I | P, SigDefault::Ignore},
    {24, "SIGXCPU", "xcpu", K, SigDefault::Terminate},
    {25, "SIGXFSZ", "xfsz", K, SigDefault::Terminate},
    {26, "SIGVTALRM", "vtalrm", K | P, SigDefault::Terminate},
    {27, "SIGPROF", "prof", K | P, SigDefault::Terminate},
    {28, "SIGWINCH", "winch", I | P, SigDefault::Ignore},
    {29, "SIGINFO", "info", I | P, SigDefault::Ignore},
    {30, "SIGUSR1", "usr1", K | P, SigDefault::Terminate},
    {31, "SIGUSR2", "usr2", K | P, SigDefault::Terminate},
    {32, "SIGTHR", "", 0, SigDefault::Terminate},
}};

}  // namespace

TEST_CASE("each signal row has FreeBSD's number, name, ctl word, properties and default") {
  for (const ExpectedSignal& expected : kExpected) {
    std::string name = expected.name;
    CAPTURE(name);
    Signal signal(expected.number);
    const kern::SignalRow* row = kern::signal_row(signal);
    REQUIRE(row != nullptr);
    CHECK(row->signal == signal);
    CHECK(row->name == expected.name);
    CHECK(row->ctl_word == expected.ctl_word);
    CHECK(row->props == expected.props);
    CHECK(row->default_action == expected.action);
    CHECK(kern::signal_name(signal) == expected.name);
    CHECK(kern::default_action(signal) == expected.action);
  }
}

TEST_CASE("named constants carry FreeBSD's numbers") {
  CHECK(kern::Sighup.value() == 1);
  CHECK(kern::Sigabrt == kern::Sigiot);
  CHECK(kern::Sigkill.value() == 9);
  CHECK(kern::Sigstop.value() == 17);
  CHECK(kern::Sigcont.value() == 19);
  CHECK(kern::Sigchld.value() == 20);
  CHECK(kern::Sigusr2.value() == 31);
  CHECK(kern::Sigthr.value() == 32);
  CHECK(kern::Sigrtmin.value() == 65);
  CHECK(kern::Sigrtmax.value() == 126);
}

TEST_CASE("signals are valid from 1 to 128") {
  CHECK_FALSE(kern::make_signal(0).has_value());
  CHECK(kern::make_signal(1) == Signal(1));
  CHECK(kern::make_signal(128) == Signal(128));
  CHECK_FALSE(kern::make_signal(129).has_value());
}

TEST_CASE("signals from NSIG up have no properties and terminate") {
  for (std::uint32_t number : {32u, 33u, 64u, 65u, 126u, 128u}) {
    CAPTURE(number);
    CHECK(kern::sigprop(Signal(number)) == 0);
    CHECK(kern::default_action(Signal(number)) == SigDefault::Terminate);
  }
  CHECK(kern::signal_row(Signal(33)) == nullptr);
  CHECK(kern::signal_name(Signal(65)) == "SIG65");
  CHECK(kern::sigprop(kern::Sigtstp) == (kern::SA_STOP | kern::SA_TTYSTOP | kern::SA_PROC));
}

TEST_CASE("procfs ctl knows 32 signal words: 31 signals plus iot") {
  std::string words;
  for (const ExpectedSignal& expected : kExpected) {
    if (expected.ctl_word[0] == '\0') continue;
    CHECK(kern::signal_from_ctl_word(expected.ctl_word) == Signal(expected.number));
    words += expected.ctl_word;
    words += ' ';
  }
  CHECK(kern::signal_from_ctl_word("iot") == kern::Sigabrt);
  CHECK(words ==
        "hup int quit ill trap abrt emt fpe kill bus segv sys pipe alrm term urg stop tstp cont "
        "chld ttin ttou io xcpu xfsz vtalrm prof winch info usr1 usr2 ");
}

TEST_CASE("procfs ctl words are exact: no case folding, prefixes, numbers or newer signals") {
  for (const char* word : {"HUP", "Hup", "sighup", "SIGHUP", "9", "", "hup\n", " hup", "thr", "lwp", "librt",
                           "rtmin", "abort"}) {
    std::string word_text = word;
    CAPTURE(word_text);
    CHECK_FALSE(kern::signal_from_ctl_word(word).has_value());
  }
}

TEST_CASE("kill names match without regard to case and with an optional SIG prefix") {
  CHECK(kern::signal_from_kill_name("TERM") == kern::Sigterm);
  CHECK(kern::signal_from_kill_name("term") == kern::Sigterm);
  CHECK(kern::signal_from_kill_name("SIGTERM") == kern::Sigterm);
  CHECK(kern::signal_from_kill_name("sigterm") == kern::Sigterm);
  CHECK(kern::signal_from_kill_name("SiGkIlL") == kern::Sigkill);
  CHECK(kern::signal_from_kill_name("USR2") == kern::Sigusr2);
  CHECK(kern::signal_from_kill_name("ABRT") == kern::Sigabrt);
}

TEST_CASE("kill knows only libc's names for signals 1 to 31") {
  for (const char* name : {"IOT", "SIGIOT", "THR", "SIGTHR", "SIG", "", "9", "SIGSIGTERM", "TERM "}) {
    std::string name_text = name;
    CAPTURE(name_text);
    CHECK_FALSE(kern::signal_from_kill_name(name).has_value());
  }
}

TEST_CASE("kill -l prints 16 names, a newline, 15 names and a newline") {
  CHECK(kern::kill_list_text(LetterCase::Lower) ==
        "hup int quit ill trap abrt emt fpe kill bus segv sys pipe alrm term urg\n"
        "stop tstp cont chld ttin ttou io xcpu xfsz vtalrm prof winch info usr1 usr2\n");
  CHECK(kern::kill_list_text(LetterCase::Upper) ==
        "HUP INT QUIT ILL TRAP ABRT EMT FPE KILL BUS SEGV SYS PIPE ALRM TERM URG\n"
        "STOP TSTP CONT CHLD TTIN TTOU IO XCPU XFSZ VTALRM PROF WINCH INFO USR1 USR2\n");
  CHECK(kern::kill_name(kern::Sigvtalrm, LetterCase::Upper) == "VTALRM");
  CHECK(kern::kill_name(kern::Sigthr, LetterCase::Lower).empty());
}

TEST_CASE("every era's kill -l uses libc's lower-case names") {
  CHECK(kern::kill_name_rules(procsim::vfs::Era::Bsd44).letter_case == LetterCase::Lower);
  CHECK(kern::kill_name_rules(procsim::vfs::Era::FreeBSD4).letter_case == LetterCase::Lower);
  CHECK(kern::kill_name_rules(procsim::vfs::Era::FreeBSD8).letter_case == LetterCase::Lower);
  for (const auto& rules : kern::kKillNameRules) CHECK(kern::kill_name_rules(rules.era).era == rules.era);
}

TEST_CASE("a signal set has FreeBSD's word layout") {
  SigSet set{Signal(1), Signal(32), Signal(33), Signal(128)};
  CHECK(set.words() == SigSet::Words{0x80000001u, 0x00000001u, 0u, 0x80000000u});
  CHECK(SigSet::from_words(set.words()) == set);
}

TEST_CASE("a signal set adds, removes and tests members") {
  SigSet set;
  CHECK(set.empty());
  set.add(kern::Sigterm);
  set.add(Signal(100));
  CHECK(set.contains(kern::Sigterm));
  CHECK(set.contains(Signal(100)));
  CHECK_FALSE(set.contains(kern::Sigint));
  set.del(kern::Sigterm);
  CHECK_FALSE(set.contains(kern::Sigterm));
  set.del(Signal(100));
  CHECK(set.empty());
}

TEST_CASE("the lowest pending signal comes first, across words") {
  CHECK_FALSE(SigSet{}.lowest().has_value());
  CHECK(SigSet{kern::Sigterm, kern::Sigint, Signal(100)}.lowest() == kern::Sigint);
  CHECK(SigSet{Signal(100), Signal(65)}.lowest() == Signal(65));
  CHECK(SigSet{Signal(128)}.lowest() == Signal(128));
  CHECK(SigSet{Signal(32), Signal(33)}.lowest() == Signal(32));
}

TEST_CASE("set operations combine whole sets") {
  SigSet a{kern::Sighup, kern::Sigint, Signal(70)};
  SigSet b{kern::Sigint, Signal(70), Signal(90)};
  SigSet both = a;
  both &= b;
  CHECK(both == SigSet{kern::Sigint, Signal(70)});
  SigSet either = a;
  either |= b;
  CHECK(either == SigSet{kern::Sighup, kern::Sigint, Signal(70), Signal(90)});
  SigSet only_a = a;
  only_a.remove_all(b);
  CHECK(only_a == SigSet{kern::Sighup});
}

TEST_CASE("SIG_CANTMASK strips exactly SIGKILL and SIGSTOP") {
  SigSet mask{kern::Sighup, kern::Sigkill, kern::Sigstop, kern::Sigtstp, Signal(99)};
  kern::sig_cantmask(mask);
  CHECK(mask == SigSet{kern::Sighup, kern::Sigtstp, Signal(99)});
  CHECK(kern::cantmask_signals() == SigSet{kern::Sigkill, kern::Sigstop});
}

TEST_CASE("the stop and continue signal sets follow the property bits") {
  CHECK(kern::stop_signals() == SigSet{kern::Sigstop, kern::Sigtstp, kern::Sigttin, kern::Sigttou});
  CHECK(kern::cont_signals() == SigSet{kern::Sigcont});
}
