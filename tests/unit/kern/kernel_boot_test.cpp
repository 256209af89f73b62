// Booting: pid 0 and init as FreeBSD 8.3 creates them, and what the older eras change.
#include <doctest/doctest.h>

#include "tests/unit/kern/kernel_test_support.h"

using namespace procsim::kern;
using procsim::kern::testing::checked_config;
using procsim::kern::testing::TestMachine;
namespace vfs = procsim::vfs;

TEST_CASE("boot creates the kernel process and init, both asleep") {
  TestMachine m;
  Proc& proc0 = m.proc(Pid(0));
  CHECK(proc0.comm == "kernel");
  CHECK(proc0.flag == (P_SYSTEM | P_INMEM));
  CHECK(proc0.sysent_name == "null");
  CHECK(proc0.first_thread().name == "swapper");
  CHECK(proc0.first_thread().tid() == Tid(100000));
  CHECK(proc0.first_thread().wmesg == "sched");
  CHECK(proc0.pgrp->pgid == Pid(0));
  CHECK(proc0.pgrp->session->sid == Pid(0));

  Proc& init = m.proc(Pid(1));
  CHECK(init.comm == "init");
  CHECK(init.args == std::vector<std::string>{"/sbin/init", "--"});
  CHECK(init.flag == (P_SYSTEM | P_INMEM));
  CHECK(init.pptr == &proc0);
  CHECK(init.first_thread().tid() == Tid(100001));
  // init made its own session with setsid() and now waits for children.
  CHECK(init.pgrp->pgid == Pid(1));
  CHECK(init.pgrp->session->sid == Pid(1));
  CHECK(init.pgrp->session->leader == &init);
  CHECK(m.wmesg(Pid(1)) == "wait");
  CHECK(init.cred.uid == vfs::kRootUid);
  CHECK_FALSE(m.kernel.has_runnable_work());
}

TEST_CASE("allproc lists the newest process first with pid 0 last") {
  TestMachine m;
  Pid a = m.spawn();
  Pid b = m.spawn();
  std::vector<std::int32_t> order;
  for (Proc* p : m.kernel.allproc()) order.push_back(p->pid().value());
  CHECK(order == std::vector<std::int32_t>{b.value(), a.value(), 1, 0});
  CHECK(a == Pid(2));
  CHECK(b == Pid(3));
}

TEST_CASE("a scripted process waits in user mode with no wait channel") {
  TestMachine m;
  Pid pid = m.spawn();
  m.run_until_idle();
  Thread& td = m.thread(pid);
  CHECK(td.is_parked());
  CHECK_FALSE(td.wchan.has_value());
  CHECK(td.wmesg.empty());
  CHECK(td.state() == ThreadState::TDS_INHIBITED);
}

TEST_CASE("the FreeBSD 4 era names pid 0 swapper and gives it the a.out ABI") {
  TestMachine m(checked_config(vfs::Era::FreeBSD4));
  CHECK(m.proc(Pid(0)).comm == "swapper");
  CHECK(m.proc(Pid(0)).sysent_name == "FreeBSD a.out");
  CHECK((m.proc(Pid(1)).flag & P_SYSTEM) != 0);
}

TEST_CASE("the 4.4BSD era leaves init an ordinary process") {
  TestMachine m(checked_config(vfs::Era::Bsd44));
  CHECK(m.proc(Pid(0)).comm == "swapper");
  CHECK(m.proc(Pid(1)).flag == P_INMEM);
}

TEST_CASE("the message buffer keeps the newest bytes when it overflows") {
  MessageBuffer buffer(8);
  buffer.append("abcdef");
  buffer.append("ghij");
  CHECK(buffer.contents() == "cdefghij");
  buffer.append("0123456789");
  CHECK(buffer.contents() == "23456789");
}
