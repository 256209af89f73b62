// What a write to ctl means depends on the era's parser: FreeBSD 4 takes at most 8 bytes at
// offset 0, cuts at a NUL and drops one newline; FreeBSD 8 takes the whole write and trims all
// trailing whitespace. One table row per input, with the outcome in each era.
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "model/procfs/ctl.h"
#include "test_support.h"

using namespace procfs_test;  // NOLINT: test-local helpers
using procfs::CtlVerb;
using procfs::Era;

namespace {

// An outcome written as the word that matched ("attach", "sig:hup") or an errno name.
std::string outcome(Era era, std::string_view input, std::int64_t offset = 0) {
  vfs::KResult<procfs::CtlCommand> parsed = procfs::parse_ctl_write(era, bytes_of(input), offset);
  if (parsed.is_error()) return vfs::errno_name(parsed.error());
  const procfs::CtlCommand& command = parsed.value();
  if (command.is_signal()) return "sig:" + command.word;
  return command.word;
}

}  // namespace

TEST_CASE("ctl inputs and their outcome in FreeBSD 4 and FreeBSD 8") {
  struct Row {
    std::string_view input;
    std::string_view freebsd4;
    std::string_view freebsd8;
  };
  const std::vector<Row> kRows = {
      {"attach", "attach", "attach"},
      {"attach\n", "attach", "attach"},
      // One newline only in FreeBSD 4: the second remains and matches nothing.
      {"attach\n\n", "EOPNOTSUPP", "attach"},
      {"attach  ", "EOPNOTSUPP", "attach"},
      {"attach\r\n", "EOPNOTSUPP", "attach"},
      {"attach\t\f", "EOPNOTSUPP", "attach"},
      {"attach\t\v\f", "EMSGSIZE", "attach"},
      {" attach", "EOPNOTSUPP", "EOPNOTSUPP"},
      {"ATTACH", "EOPNOTSUPP", "EOPNOTSUPP"},
      {"Attach", "EOPNOTSUPP", "EOPNOTSUPP"},
      // The first NUL ends FreeBSD 4's string; FreeBSD 8 compares it and never matches.
      {std::string_view("attach\0x", 8), "attach", "EOPNOTSUPP"},
      {std::string_view("run\0junk", 8), "run", "EOPNOTSUPP"},
      {std::string_view("attach\n\0", 8), "attach", "EOPNOTSUPP"},
      // Nine bytes exceed PROCFS_CTLLEN.
      {std::string_view("attach\0xx", 9), "EMSGSIZE", "EOPNOTSUPP"},
      {"detach\n\n\n", "EMSGSIZE", "detach"},
      {"vtalrm\n", "sig:vtalrm", "sig:vtalrm"},
      {"hup", "sig:hup", "sig:hup"},
      {"iot", "sig:iot", "sig:iot"},
      {"abrt", "sig:abrt", "sig:abrt"},
      {"usr2\n", "sig:usr2", "sig:usr2"},
      {"sigstop", "EOPNOTSUPP", "EOPNOTSUPP"},
      {"SIGSTOP", "EOPNOTSUPP", "EOPNOTSUPP"},
      {"STOP", "EOPNOTSUPP", "EOPNOTSUPP"},
      {"thr", "EOPNOTSUPP", "EOPNOTSUPP"},
      {"lwp", "EOPNOTSUPP", "EOPNOTSUPP"},
      {"librt", "EOPNOTSUPP", "EOPNOTSUPP"},
      {"9", "EOPNOTSUPP", "EOPNOTSUPP"},
      {"", "EOPNOTSUPP", "EOPNOTSUPP"},
      {"\n", "EOPNOTSUPP", "EOPNOTSUPP"},
      {"step", "step", "step"},
      {"run", "run", "run"},
      {"wait\n", "wait", "wait"},
  };
  for (const Row& row : kRows) {
    CAPTURE(std::string(row.input));
    CHECK(outcome(Era::FreeBSD4, row.input) == row.freebsd4);
    CHECK(outcome(Era::Bsd44, row.input) == row.freebsd4);
    CHECK(outcome(Era::FreeBSD8, row.input) == row.freebsd8);
  }
}

TEST_CASE("FreeBSD 4 refuses a ctl write at a non-zero offset before looking at its size") {
  CHECK(outcome(Era::FreeBSD4, "attach", 1) == "EINVAL");
  CHECK(outcome(Era::FreeBSD4, "attach-attach", 1) == "EINVAL");
  CHECK(outcome(Era::FreeBSD8, "attach", 1) == "attach");
}

TEST_CASE("FreeBSD 8 collects writes of any length") {
  CHECK(outcome(Era::FreeBSD8, "detach" + std::string(5000, ' ')) == "detach");
}

TEST_CASE("every ctl word maps to its verb or signal") {
  vfs::KResult<procfs::CtlCommand> attach = procfs::parse_ctl_write(Era::FreeBSD4, bytes_of("attach"), 0);
  REQUIRE(attach.ok());
  CHECK(attach.value().verb == CtlVerb::Attach);
  CHECK_FALSE(attach.value().is_signal());
  struct Row {
    std::string_view word;
    kern::Signal signal;
  };
  const std::vector<Row> kSignals = {
      {"hup", kern::Sighup},   {"int", kern::Sigint},     {"quit", kern::Sigquit},
      {"ill", kern::Sigill},   {"trap", kern::Sigtrap},   {"abrt", kern::Sigabrt},
      {"iot", kern::Sigabrt},  {"emt", kern::Sigemt},     {"fpe", kern::Sigfpe},
      {"kill", kern::Sigkill}, {"bus", kern::Sigbus},     {"segv", kern::Sigsegv},
      {"sys", kern::Sigsys},   {"pipe", kern::Sigpipe},   {"alrm", kern::Sigalrm},
      {"term", kern::Sigterm}, {"urg", kern::Sigurg},     {"stop", kern::Sigstop},
      {"tstp", kern::Sigtstp}, {"cont", kern::Sigcont},   {"chld", kern::Sigchld},
      {"ttin", kern::Sigttin}, {"ttou", kern::Sigttou},   {"io", kern::Sigio},
      {"xcpu", kern::Sigxcpu}, {"xfsz", kern::Sigxfsz},   {"vtalrm", kern::Sigvtalrm},
      {"prof", kern::Sigprof}, {"winch", kern::Sigwinch}, {"info", kern::Siginfo},
      {"usr1", kern::Sigusr1}, {"usr2", kern::Sigusr2},
  };
  CHECK(kSignals.size() == 32);
  for (const Row& row : kSignals) {
    CAPTURE(std::string(row.word));
    vfs::KResult<procfs::CtlCommand> parsed = procfs::parse_ctl_write(Era::FreeBSD8, bytes_of(row.word), 0);
    REQUIRE(parsed.ok());
    CHECK(parsed.value().signal == row.signal);
    CHECK_FALSE(parsed.value().verb.has_value());
  }
  for (const procfs::CtlVerbRow& row : procfs::kCtlVerbs) {
    vfs::KResult<procfs::CtlCommand> parsed = procfs::parse_ctl_write(Era::FreeBSD4, bytes_of(row.word), 0);
    REQUIRE(parsed.ok());
    CHECK(parsed.value().verb == row.verb);
  }
}
