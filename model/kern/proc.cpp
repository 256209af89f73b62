// The process and thread state machines (spec/kernel.md §3.1-3.2). Every state change goes
// through a transition that asserts where it comes from, so a thread can never, say, be queued
// to run while it sleeps, nor a zombie come back to life.
#include "model/kern/proc.h"

#include "model/kern/program.h"
#include "sim/base/assert.h"

namespace procsim::kern {

Thread::Thread(Tid tid, Proc& proc) : m_tid(tid), m_proc(&proc) {
  PROCSIM_ASSERT(tid.value() >= kThread0Tid);
}

// Out of line so that Program is a complete type here.
Thread::~Thread() = default;

void Thread::transition_to_runq() {
  bool from_inhibited = m_state == ThreadState::TDS_INHIBITED && m_inhibitors == 0;
  PROCSIM_ASSERT(m_state == ThreadState::TDS_INACTIVE || m_state == ThreadState::TDS_RUNNING ||
                 from_inhibited);
  PROCSIM_ASSERT(!wchan.has_value());
  m_state = ThreadState::TDS_RUNQ;
}

void Thread::transition_to_running() {
  PROCSIM_ASSERT(m_state == ThreadState::TDS_RUNQ);
  PROCSIM_ASSERT(m_inhibitors == 0);
  m_state = ThreadState::TDS_RUNNING;
}

void Thread::transition_to_inhibited(ThreadInhibitors inhibitor) {
  PROCSIM_ASSERT(m_state == ThreadState::TDS_RUNNING);
  PROCSIM_ASSERT(inhibitor != 0 && m_inhibitors == 0);
  m_inhibitors = inhibitor;
  m_state = ThreadState::TDS_INHIBITED;
}

void Thread::transition_to_inactive() {
  PROCSIM_ASSERT(m_state == ThreadState::TDS_RUNNING);
  PROCSIM_ASSERT(m_inhibitors == 0);
  m_state = ThreadState::TDS_INACTIVE;
}

void Thread::add_inhibitor(ThreadInhibitors inhibitor) {
  PROCSIM_ASSERT(m_state == ThreadState::TDS_INHIBITED);
  PROCSIM_ASSERT((m_inhibitors & inhibitor) == 0);
  m_inhibitors |= inhibitor;
}

bool Thread::clear_inhibitor(ThreadInhibitors inhibitor) {
  PROCSIM_ASSERT(m_state == ThreadState::TDS_INHIBITED);
  PROCSIM_ASSERT((m_inhibitors & inhibitor) != 0);
  m_inhibitors = static_cast<ThreadInhibitors>(m_inhibitors & ~inhibitor);
  return m_inhibitors == 0;
}

Proc::Proc(Pid pid) : m_pid(pid) { PROCSIM_ASSERT(pid.value() >= 0); }

// Out of line so the members' types (Program, UserMemory) are complete here.
Proc::~Proc() = default;

void Proc::transition_to_normal() {
  PROCSIM_ASSERT(m_state == ProcState::PRS_NEW);
  PROCSIM_ASSERT(!threads.empty());
  m_state = ProcState::PRS_NORMAL;
}

void Proc::transition_to_zombie() {
  PROCSIM_ASSERT(m_state == ProcState::PRS_NORMAL);
  PROCSIM_ASSERT((flag & P_WEXIT) != 0);
  m_state = ProcState::PRS_ZOMBIE;
}

Thread& Proc::first_thread() const {
  PROCSIM_ASSERT(!threads.empty());
  return *threads.front();
}

}  // namespace procsim::kern
