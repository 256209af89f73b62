// The ctl parser and decision table. Facts: spec/procfs.md §4; 4.4BSD's procfs_ctl.c (no
// permission checks, no faultin, SIGTRAP left pending at detach), FreeBSD 4's (P_INEXEC, init at
// securelevel > 0, CHECKIO and p_trespass; every command but detach checked) and FreeBSD 8's
// (p_candebug, P_STOPPED_SIG-only resumes, thread_unsuspend(), the inverted wait loop).
#include "model/procfs/ctl.h"

#include <algorithm>

#include <fmt/format.h>

#include "sim/base/assert.h"

namespace procsim::procfs {

using kern::P_INEXEC;
using kern::P_TRACED;
using vfs::Errno;

namespace {

bool is_kernel_space(char byte) { return byte == ' ' || (byte >= '\t' && byte <= '\r'); }

// The word an era's parser compares, or the error the write fails with first.
vfs::KResult<std::string> extract_word(const CtlParseRules& rules, base::ByteSpan data, std::int64_t offset) {
  if (rules.offset_must_be_zero && offset != 0) return base::fail(Errno::Einval);
  if (rules.max_bytes != 0 && data.size() > rules.max_bytes) return base::fail(Errno::Emsgsize);
  std::string text(data.begin(), data.end());
  if (rules.trim == CtlTrim::OneNewline) {
    text = text.substr(0, std::min(text.find('\0'), text.size()));
    if (!text.empty() && text.back() == '\n') text.pop_back();
    return text;
  }
  while (!text.empty() && is_kernel_space(text.back())) text.pop_back();
  return text;
}

std::optional<CtlVerb> verb_from_word(std::string_view word) {
  for (const CtlVerbRow& row : kCtlVerbs) {
    if (row.word == word) return row.verb;
  }
  return std::nullopt;
}

CtlEffect effect(CtlEffectKind kind) { return CtlEffect{kind, std::nullopt, std::nullopt}; }
CtlEffect signal_effect(CtlEffectKind kind, kern::Signal signal) {
  return CtlEffect{kind, signal, std::nullopt};
}

bool is_stopped(const CtlTarget& target) { return kern::p_shouldstop(target.p_flag); }
bool is_traced(const CtlTarget& target) { return (target.p_flag & P_TRACED) != 0; }

// The permission checks before a command word, in the era's order.
std::optional<Errno> permission_error(CtlVerb verb, const CtlContext& context) {
  const CtlTarget& target = context.target;
  switch (context.era) {
    case Era::Bsd44: return std::nullopt;
    case Era::FreeBSD4:
      if ((target.p_flag & P_INEXEC) != 0) return Errno::Eagain;
      if (verb == CtlVerb::Detach) return std::nullopt;
      if (context.securelevel > 0 && target.pid.value() == 1) return Errno::Eperm;
      if (!context.io_allowed) return Errno::Eperm;
      return std::nullopt;
    case Era::FreeBSD8:
      if (verb == CtlVerb::Detach) return std::nullopt;
      return context.debug_error;
  }
  PROCSIM_UNREACHABLE();
}

// Ends a list the vnode-ops eras way (setrunnable() of a stopped target) or FreeBSD 8's.
void append_resume(std::vector<CtlEffect>& effects, const CtlContext& context) {
  if (context.era == Era::FreeBSD8) {
    effects.push_back(effect(CtlEffectKind::ThreadUnsuspend));
  } else if (is_stopped(context.target)) {
    effects.push_back(effect(CtlEffectKind::MakeRunnable));
  }
}

CtlDecision decide_attach(const CtlContext& context) {
  const CtlTarget& target = context.target;
  if (is_traced(target)) return CtlDecision{Errno::Ebusy, {}, CtlWaitLoop::None, std::nullopt};
  if (target.pid == context.writer) return CtlDecision{Errno::Einval, {}, CtlWaitLoop::None, std::nullopt};
  // FreeBSD would follow a NULL p_pptr here and panic; the model refuses instead.
  if (!target.parent.has_value()) return CtlDecision{Errno::Einval, {}, CtlWaitLoop::None, std::nullopt};
  CtlDecision decision;
  decision.effects.push_back(effect(CtlEffectKind::SetTraced));
  if (context.era != Era::Bsd44) decision.effects.push_back(effect(CtlEffectKind::SwapIn));
  decision.effects.push_back(effect(CtlEffectKind::ClearXstat));
  if (*target.parent != context.writer) {
    decision.effects.push_back(effect(CtlEffectKind::SaveParentAsOppid));
    decision.effects.push_back(effect(CtlEffectKind::ReparentToWriter));
  }
  decision.effects.push_back(signal_effect(CtlEffectKind::PostSignal, kern::Sigstop));
  return decision;
}

// Detach of a traced target. p_xstat has already been cleared.
void append_detach(std::vector<CtlEffect>& effects, const CtlContext& context) {
  const CtlTarget& target = context.target;
  effects.push_back(effect(CtlEffectKind::ClearTraced));
  if (context.era == Era::FreeBSD8) effects.push_back(effect(CtlEffectKind::ClearStoppedTrace));
  if (context.era != Era::Bsd44) effects.push_back(effect(CtlEffectKind::DeletePendingSigtrap));
  if (context.era == Era::FreeBSD8) effects.push_back(effect(CtlEffectKind::ClearThreadsDebugSuspend));
  // p_oppid is 0 when the debugger already was the parent: pfind(0) then finds proc0, and the
  // target is handed to pid 0 (spec §4.2).
  if (target.parent.has_value() && target.oppid != *target.parent && target.oppid_exists) {
    effects.push_back(CtlEffect{CtlEffectKind::ReparentTo, std::nullopt, target.oppid});
  }
  effects.push_back(effect(CtlEffectKind::ClearOppid));
  effects.push_back(effect(CtlEffectKind::ClearWaited));
  effects.push_back(effect(CtlEffectKind::WakeupWriter));
  append_resume(effects, context);
}

CtlWaitLoop wait_loop(const CtlContext& context) {
  bool traced = is_traced(context.target);
  if (context.era == Era::FreeBSD8)
    return traced ? CtlWaitLoop::WhileStoppedTraced : CtlWaitLoop::WhileStopped;
  return traced ? CtlWaitLoop::UntilStoppedTraced : CtlWaitLoop::UntilStopped;
}

CtlDecision decide_verb(CtlVerb verb, const CtlContext& context) {
  if (std::optional<Errno> denied = permission_error(verb, context)) {
    return CtlDecision{denied, {}, CtlWaitLoop::None, std::nullopt};
  }
  if (verb == CtlVerb::Attach) return decide_attach(context);
  bool needs_trace_wait = verb == CtlVerb::Step || verb == CtlVerb::Run;
  if (needs_trace_wait && !trace_wait(context.target, context.writer)) {
    return CtlDecision{Errno::Ebusy, {}, CtlWaitLoop::None, std::nullopt};
  }
  CtlDecision decision;
  decision.effects.push_back(effect(CtlEffectKind::ClearXstat));
  switch (verb) {
    case CtlVerb::Attach: PROCSIM_UNREACHABLE();
    case CtlVerb::Detach:
      if (is_traced(context.target)) append_detach(decision.effects, context);
      break;
    case CtlVerb::Step:
      decision.effects.push_back(effect(CtlEffectKind::ArmSingleStep));
      append_resume(decision.effects, context);
      break;
    case CtlVerb::Run:
      if (context.era == Era::FreeBSD8) decision.effects.push_back(effect(CtlEffectKind::ClearStoppedSig));
      append_resume(decision.effects, context);
      break;
    case CtlVerb::Wait: decision.wait = wait_loop(context); break;
  }
  return decision;
}

// A signal word: no permission check in any era beyond having opened ctl.
CtlDecision decide_signal(kern::Signal signal, const CtlContext& context) {
  CtlDecision decision;
  if (!trace_wait(context.target, context.writer)) {
    decision.effects.push_back(signal_effect(CtlEffectKind::PostSignal, signal));
    return decision;
  }
  decision.effects.push_back(signal_effect(CtlEffectKind::SetXstat, signal));
  if (context.era == Era::FreeBSD8) {
    decision.effects.push_back(effect(CtlEffectKind::ClearStoppedSig));
    decision.effects.push_back(effect(CtlEffectKind::ThreadUnsuspend));
  } else {
    decision.effects.push_back(effect(CtlEffectKind::MakeRunnable));
  }
  return decision;
}

}  // namespace

vfs::KResult<CtlCommand> parse_ctl_write(Era era, base::ByteSpan data, std::int64_t offset) {
  const CtlParseRules& rules = ctl_parse_rules(era);
  PROCSIM_ASSERT(rules.era == era);
  std::string word = TRY(extract_word(rules, data, offset));
  // An embedded NUL survives FreeBSD 8's trimming and can never equal a word.
  if (word.find('\0') != std::string::npos) return base::fail(Errno::Eopnotsupp);
  if (std::optional<CtlVerb> verb = verb_from_word(word)) return CtlCommand{verb, std::nullopt, word};
  if (std::optional<kern::Signal> signal = kern::signal_from_ctl_word(word)) {
    PROCSIM_ASSERT(signal->value() < kern::kNsig);
    return CtlCommand{std::nullopt, signal, word};
  }
  return base::fail(Errno::Eopnotsupp);
}

bool trace_wait(const CtlTarget& target, kern::Pid writer) {
  return is_stopped(target) && target.parent == writer && is_traced(target);
}

CtlDecision decide_ctl(const CtlCommand& command, const CtlContext& context) {
  PROCSIM_ASSERT(command.verb.has_value() != command.signal.has_value());
  CtlDecision decision =
      command.is_signal() ? decide_signal(*command.signal, context) : decide_verb(*command.verb, context);
  PROCSIM_ASSERT(!decision.error.has_value() || decision.effects.empty());
  PROCSIM_ASSERT(decision.wait == CtlWaitLoop::None || command.verb == CtlVerb::Wait);
  if (context.era == Era::FreeBSD8) {
    decision.console = command.is_signal() ? fmt::format("procfs: got a sig{}\n", command.word)
                                           : fmt::format("procfs: got a {} command\n", command.word);
  }
  return decision;
}

CtlWaitStep ctl_wait_step(CtlWaitLoop loop, const CtlTarget& target, kern::Pid writer) {
  bool stopped = is_stopped(target);
  bool traced_child = is_traced(target) && target.parent == writer;
  std::optional<Errno> traced_result;
  if (!trace_wait(target, writer)) traced_result = Errno::Ebusy;
  switch (loop) {
    case CtlWaitLoop::None: break;
    case CtlWaitLoop::UntilStoppedTraced:
      if (!stopped && traced_child) return CtlWaitStep{true, "procfsx", std::nullopt};
      return CtlWaitStep{false, "", traced_result};
    case CtlWaitLoop::UntilStopped:
      if (!stopped) return CtlWaitStep{true, "procfs", std::nullopt};
      return CtlWaitStep{false, "", std::nullopt};
    case CtlWaitLoop::WhileStoppedTraced:
      if (stopped && traced_child) return CtlWaitStep{true, "procfsx", std::nullopt};
      return CtlWaitStep{false, "", traced_result};
    case CtlWaitLoop::WhileStopped:
      if (stopped) return CtlWaitStep{true, "procfs", std::nullopt};
      return CtlWaitStep{false, "", std::nullopt};
  }
  PROCSIM_UNREACHABLE();
}

}  // namespace procsim::procfs
