// Wait statuses are what sh, truss and @PID wait4 lines print, so the encoding and every
// predicate are pinned against FreeBSD's sys/wait.h definitions.
#include "model/kern/wait_status.h"

#include <doctest/doctest.h>

namespace kern = procsim::kern;

static_assert(kern::w_exitcode(3, 0) == 0x300);
static_assert(kern::w_stopcode(17) == 0x117f);
static_assert(kern::wifexited(kern::exit_status(0)));

TEST_CASE("exit(n) keeps only the low 8 bits of n") {
  CHECK(kern::exit_status(0) == 0);
  CHECK(kern::exit_status(1) == 0x100);
  CHECK(kern::exit_status(255) == 0xff00);
  CHECK(kern::exit_status(256) == 0);
  CHECK(kern::exit_status(257) == 0x100);
  CHECK(kern::exit_status(-1) == 0xff00);
  CHECK(kern::wexitstatus(kern::exit_status(300)) == 44);
}

TEST_CASE("an exited status is exited, not signaled, stopped or continued") {
  kern::WaitStatus status = kern::exit_status(7);
  CHECK(kern::wifexited(status));
  CHECK(kern::wexitstatus(status) == 7);
  CHECK_FALSE(kern::wifsignaled(status));
  CHECK_FALSE(kern::wifstopped(status));
  CHECK_FALSE(kern::wifcontinued(status));
}

TEST_CASE("a killed status carries the signal and, with a core, WCOREFLAG") {
  kern::WaitStatus killed = kern::killed_status(9, false);
  CHECK(killed == 9);
  CHECK(kern::wifsignaled(killed));
  CHECK(kern::wtermsig(killed) == 9);
  CHECK_FALSE(kern::wcoredump(killed));
  CHECK_FALSE(kern::wifexited(killed));
  kern::WaitStatus cored = kern::killed_status(11, true);
  CHECK(cored == 0213);
  CHECK(kern::Wcoreflag == 0200);
  CHECK(kern::wifsignaled(cored));
  CHECK(kern::wtermsig(cored) == 11);
  CHECK(kern::wcoredump(cored));
}

TEST_CASE("a stopped status is W_STOPCODE(sig) and is neither exited nor signaled") {
  kern::WaitStatus stopped = kern::w_stopcode(5);
  CHECK(stopped == 0x57f);
  CHECK(kern::wifstopped(stopped));
  CHECK(kern::wstopsig(stopped) == 5);
  CHECK_FALSE(kern::wifsignaled(stopped));
  CHECK_FALSE(kern::wifexited(stopped));
}

TEST_CASE("the continued status is exactly 0x13 and is not mistaken for a signal") {
  CHECK(kern::wifcontinued(0x13));
  CHECK_FALSE(kern::wifsignaled(0x13));
  CHECK_FALSE(kern::wifcontinued(kern::killed_status(19, true)));
  CHECK(kern::wifsignaled(kern::killed_status(19, true)));
}

TEST_CASE("wait option bits and validity") {
  CHECK(kern::Wnohang == 1);
  CHECK(kern::Wuntraced == 2);
  CHECK(kern::Wstopped == kern::Wuntraced);
  CHECK(kern::Wcontinued == 4);
  CHECK(kern::Wnowait == 8);
  CHECK(kern::Wlinuxclone == 0x80000000u);
  CHECK(kern::wait_options_valid(kern::Wnohang | kern::Wuntraced | kern::Wcontinued | kern::Wnowait));
  CHECK(kern::wait_options_valid(0));
  CHECK_FALSE(kern::wait_options_valid(16));
  CHECK_FALSE(kern::wait_options_valid(kern::Wnohang | 0x100));
  CHECK(kern::kWaitAny == -1);
  CHECK(kern::kWaitMyPgrp == 0);
}
