// Pids appear in every transcript, so the allocation order is pinned: sequential, skipping pids
// still used as process-group or session ids, wrapping to 100, and a defined end when full.
#include "model/kern/pid_alloc.h"

#include <set>

#include <doctest/doctest.h>

namespace kern = procsim::kern;
using kern::Pid;
using kern::PidAllocator;
using procsim::vfs::Era;
using procsim::vfs::Errno;

namespace {

const kern::PidRules& rules83() { return kern::pid_rules(Era::FreeBSD8); }

// A predicate over a fixed set of taken pids, counting how often it is asked.
struct Taken {
  std::set<std::int32_t> pids;
  int calls = 0;

  kern::PidInUse predicate() {
    return [this](Pid pid) {
      ++calls;
      return pids.count(pid.value()) != 0;
    };
  }
};

}  // namespace

TEST_CASE("pids are handed out in sequence after the last one") {
  Taken taken;
  PidAllocator allocator(rules83());
  CHECK(allocator.lastpid() == Pid(0));
  CHECK(allocator.allocate(taken.predicate()).value() == Pid(1));
  CHECK(allocator.allocate(taken.predicate()).value() == Pid(2));
  CHECK(allocator.allocate(taken.predicate()).value() == Pid(3));
  CHECK(allocator.lastpid() == Pid(3));
}

TEST_CASE("next after the last, not lowest free: a freed low pid is not reused") {
  Taken taken{{1, 3}};
  CHECK(kern::next_free_pid(Pid(3), taken.predicate(), rules83()).value() == Pid(4));
}

TEST_CASE("a pid still used as a process group or session id is skipped") {
  Taken taken{{5, 6}};  // e.g. 5 is a live pgid whose leader exited, 6 a zombie's pid
  CHECK(kern::next_free_pid(Pid(4), taken.predicate(), rules83()).value() == Pid(7));
}

TEST_CASE("allocation wraps to 100 at PID_MAX, never handing out 99999") {
  Taken none;
  CHECK(kern::PID_MAX == 99999);
  CHECK(kern::NO_PID == 100000);
  CHECK(kern::next_free_pid(Pid(99997), none.predicate(), rules83()).value() == Pid(99998));
  CHECK(kern::next_free_pid(Pid(99998), none.predicate(), rules83()).value() == Pid(100));
  Taken low{{100, 101}};
  CHECK(kern::next_free_pid(Pid(99998), low.predicate(), rules83()).value() == Pid(102));
  Taken top{{99998}};
  CHECK(kern::next_free_pid(Pid(99996), top.predicate(), rules83()).value() == Pid(99997));
  CHECK(kern::next_free_pid(Pid(99997), top.predicate(), rules83()).value() == Pid(100));
}

TEST_CASE("after a wrap, free pids below 100 are never chosen") {
  Taken all_but_50;
  for (std::int32_t pid = 1; pid < kern::PID_MAX; ++pid) {
    if (pid != 50) all_but_50.pids.insert(pid);
  }
  // Reached before the wrap: found.
  CHECK(kern::next_free_pid(Pid(40), all_but_50.predicate(), rules83()).value() == Pid(50));
  // Only reachable through the wrap, which restarts at 100: the table is full.
  auto result = kern::next_free_pid(Pid(60), all_but_50.predicate(), rules83());
  REQUIRE(result.is_error());
  CHECK(result.error() == Errno::Eagain);
}

TEST_CASE("a full table ends in EAGAIN after a bounded search") {
  Taken full;
  for (std::int32_t pid = 1; pid < kern::PID_MAX; ++pid) full.pids.insert(pid);
  PidAllocator allocator(rules83());
  auto result = allocator.allocate(full.predicate());
  REQUIRE(result.is_error());
  CHECK(result.error() == Errno::Eagain);
  CHECK(full.calls <= kern::PID_MAX);
  CHECK(allocator.lastpid() == Pid(0));
}

TEST_CASE("nextpid N: the next process gets N, and allocation continues from there") {
  Taken taken;
  PidAllocator allocator(rules83());
  REQUIRE(allocator.set_next(Pid(500)).ok());
  CHECK(allocator.allocate(taken.predicate()).value() == Pid(500));
  CHECK(allocator.allocate(taken.predicate()).value() == Pid(501));
}

TEST_CASE("nextpid N with N in use continues upward from N") {
  Taken taken{{500}};
  PidAllocator allocator(rules83());
  REQUIRE(allocator.set_next(Pid(500)).ok());
  CHECK(allocator.allocate(taken.predicate()).value() == Pid(501));
}

TEST_CASE("nextpid accepts 1 to PID_MAX - 1 and refuses the rest with EINVAL") {
  PidAllocator allocator(rules83());
  CHECK(allocator.set_next(Pid(0)).error() == Errno::Einval);
  CHECK(allocator.set_next(Pid(-5)).error() == Errno::Einval);
  CHECK(allocator.set_next(Pid(99999)).error() == Errno::Einval);
  CHECK(allocator.set_next(Pid(1)).ok());
  REQUIRE(allocator.set_next(Pid(99998)).ok());
  Taken none;
  CHECK(allocator.allocate(none.predicate()).value() == Pid(99998));
  CHECK(allocator.allocate(none.predicate()).value() == Pid(100));
}

TEST_CASE("4.4BSD wraps at its PID_MAX of 30000") {
  Taken none;
  const kern::PidRules& bsd44 = kern::pid_rules(Era::Bsd44);
  CHECK(bsd44.pid_max == 30000);
  CHECK(kern::pid_rules(Era::FreeBSD4).pid_max == 99999);
  CHECK(kern::next_free_pid(Pid(29998), none.predicate(), bsd44).value() == Pid(29999));
  CHECK(kern::next_free_pid(Pid(29999), none.predicate(), bsd44).value() == Pid(100));
}
