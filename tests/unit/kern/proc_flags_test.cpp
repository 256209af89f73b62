// p_flag values decide stops and permissions and appear in traces; the state codes feed ps. The
// values, the trace formatting and the ki_stat derivation are pinned here.
#include "model/kern/proc_flags.h"

#include <doctest/doctest.h>

namespace kern = procsim::kern;
using kern::KiStat;
using kern::ProcState;

TEST_CASE("p_flag values are 8.3's") {
  CHECK(kern::P_CONTROLT == 0x2);
  CHECK(kern::P_PPWAIT == 0x10);
  CHECK(kern::P_SUGID == 0x100);
  CHECK(kern::P_SYSTEM == 0x200);
  CHECK(kern::P_TRACED == 0x800);
  CHECK(kern::P_WAITED == 0x1000);
  CHECK(kern::P_WEXIT == 0x2000);
  CHECK(kern::P_STOPPED_SIG == 0x20000);
  CHECK(kern::P_STOPPED_TRACE == 0x40000);
  CHECK(kern::P_STOPPED_SINGLE == 0x80000);
  CHECK(kern::P_JAILED == 0x1000000);
  CHECK(kern::P_INEXEC == 0x4000000);
  CHECK(kern::P_INMEM == 0x10000000);
  CHECK(kern::P_SWAPPINGIN == 0x40000000);
  CHECK(kern::kProcFlagTable.size() == 30);
}

TEST_CASE("P_SHOULDSTOP is any of the three stop bits") {
  CHECK_FALSE(kern::p_shouldstop(kern::P_TRACED | kern::P_INMEM));
  CHECK(kern::p_shouldstop(kern::P_STOPPED_SIG));
  CHECK(kern::p_shouldstop(kern::P_STOPPED_TRACE));
  CHECK(kern::p_shouldstop(kern::P_STOPPED_SINGLE));
  CHECK(kern::P_STOPPED == 0xe0000);
}

TEST_CASE("flags format in bit order, with unknown bits kept") {
  CHECK(kern::format_proc_flags(0) == "0");
  CHECK(kern::format_proc_flags(kern::P_STOPPED_SIG | kern::P_TRACED) == "P_TRACED|P_STOPPED_SIG");
  CHECK(kern::format_proc_flags(kern::P_SYSTEM | kern::P_INMEM) == "P_SYSTEM|P_INMEM");
  CHECK(kern::format_proc_flags(0x2000000) == "0x2000000");
  CHECK(kern::format_proc_flags(kern::P_TRACED | 0x80000000u) == "P_TRACED|0x80000000");
  for (const auto& row : kern::kProcFlagTable) CHECK(kern::format_proc_flags(row.bit) == row.name);
}

TEST_CASE("state, inhibitor and debug flag values") {
  CHECK(static_cast<int>(ProcState::PRS_NEW) == 0);
  CHECK(static_cast<int>(ProcState::PRS_NORMAL) == 1);
  CHECK(static_cast<int>(ProcState::PRS_ZOMBIE) == 2);
  CHECK(kern::proc_state_name(ProcState::PRS_ZOMBIE) == "PRS_ZOMBIE");
  CHECK(static_cast<int>(kern::ThreadState::TDS_RUNNING) == 4);
  CHECK(kern::thread_state_name(kern::ThreadState::TDS_INHIBITED) == "TDS_INHIBITED");
  CHECK(kern::TDI_SUSPENDED == 0x1);
  CHECK(kern::TDI_SLEEPING == 0x2);
  CHECK(kern::TDI_IWAIT == 0x10);
  CHECK(kern::TDF_SINTR == 0x8);
  CHECK(kern::TDB_SUSPEND == 0x1);
  CHECK(kern::TDB_EXEC == 0x20);
  CHECK(kern::TDB_STOPATFORK == 0x80);
}

TEST_CASE("ki_stat: new, zombie, then running beats stopped beats sleeping") {
  using kern::KiStatInputs;
  CHECK(kern::ki_stat({ProcState::PRS_NEW, 0, true, false, false}) == KiStat::SIDL);
  CHECK(kern::ki_stat({ProcState::PRS_ZOMBIE, kern::P_STOPPED_SIG, true, false, false}) == KiStat::SZOMB);
  CHECK(kern::ki_stat({ProcState::PRS_NORMAL, kern::P_STOPPED_SIG, true, false, false}) == KiStat::SRUN);
  CHECK(kern::ki_stat({ProcState::PRS_NORMAL, kern::P_STOPPED_SIG, false, true, false}) == KiStat::SSTOP);
  CHECK(kern::ki_stat({ProcState::PRS_NORMAL, 0, false, true, false}) == KiStat::SSLEEP);
  CHECK(kern::ki_stat({ProcState::PRS_NORMAL, 0, false, false, true}) == KiStat::SLOCK);
  CHECK(kern::ki_stat({ProcState::PRS_NORMAL, 0, false, false, false}) == KiStat::SWAIT);
  CHECK(static_cast<int>(KiStat::SZOMB) == 5);
}
