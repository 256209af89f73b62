// ps's command line: the old-style argument rewrite, getopt, the built-in formats and -p
// lists, as FreeBSD 8.3 bin/ps/ps.c main(), kludge_oldps_options(), add_list() and
// addelem_pid() handle them. Declared in ps_format.h.
#include <cctype>

#include <fmt/format.h>

#include "model/userland/getopt.h"
#include "model/userland/program_errors.h"
#include "model/userland/ps_format.h"
#include "model/userland/ps_keywords.h"
#include "sim/base/assert.h"

namespace procsim::userland {

namespace {

constexpr std::string_view kProgram = "ps";
constexpr std::string_view kOptionString = "AaCcdeG:gHhjLlM:mN:O:o:p:rSTt:U:uvwXxZ";
constexpr std::string_view kUsage =
    "usage: ps [-aCcdeHhjlmrSTuvwXxZ] [-O fmt | -o fmt] [-G gid[,gid...]]\n"
    "          [-M core] [-N system]\n"
    "          [-p pid[,pid...]] [-t tty[,tty...]] [-U user[,user...]]\n"
    "       ps [-L]\n";
constexpr std::string_view kDefaultFormat = "pid,tt,state,time,command";
constexpr std::string_view kJobsFormat = "user,pid,ppid,pgid,sid,jobc,state,tt,time,command";
constexpr std::string_view kLongFormat = "uid,pid,ppid,cpu,pri,nice,vsz,rss,mwchan,state,tt,time,command";
constexpr std::string_view kUserFormat = "user,pid,%cpu,%mem,vsz,rss,tt,state,start,time,command";
constexpr std::string_view kVirtualFormat = "pid,state,time,sl,re,pagein,vsz,rss,lim,tsiz,%cpu,%mem,command";
constexpr std::int64_t kPidMax = 99999;  // BSD_PID_MAX

bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool takes_argument(char letter) {
  auto at = kOptionString.find(letter);
  return letter != ':' && at != std::string_view::npos && at + 1 < kOptionString.size() &&
         kOptionString[at + 1] == ':';
}

// kludge_oldps_options(): "ps ax" means "ps -ax", "ps 34" means "ps -p34", and a trailing
// 't' without a terminal name means this terminal (-T).
std::string rewrite_old_style(std::string original, const std::string* next) {
  PROCSIM_ASSERT(!original.empty());
  std::size_t argument_at = std::string::npos;
  for (std::size_t index = 0; index < original.size(); ++index) {
    if (takes_argument(original[index])) {
      argument_at = index;
      break;
    }
  }
  if (argument_at != std::string::npos && original[0] == '-') return original;
  std::size_t last = original.size() - 1;
  std::size_t pid_at = std::string::npos;
  if (original[last] == 't' && original[0] != '-' && last == argument_at) {
    if (next == nullptr || next->empty() || (*next)[0] == '-' || is_digit((*next)[0])) original[last] = 'T';
  } else if (argument_at == std::string::npos && is_digit(original[last])) {
    std::size_t cut = last + 1;
    while (cut > 0 && (original[cut - 1] == ',' || is_digit(original[cut - 1]))) --cut;
    pid_at = cut;
  }
  if (original[0] == '-' && pid_at == std::string::npos) return original;
  std::string rewritten = original[0] != '-' ? "-" : "";
  if (pid_at == std::string::npos) return rewritten + original;
  return rewritten + original.substr(0, pid_at) + "p" + original.substr(pid_at);
}

// addelem_pid(): strtol rules, negative or junk is invalid, above PID_MAX too large.
bool add_pid(std::string_view element, std::vector<std::int32_t>& pids, ProgramOutput& diagnostics) {
  if (element.empty()) {
    diagnostics.err(warnx_text(kProgram, "Invalid (zero-length) process id"));
    return false;
  }
  std::size_t at = 0;
  bool negative = false;
  if (element[0] == '+' || element[0] == '-') {
    negative = element[0] == '-';
    at = 1;
  }
  std::size_t digits_start = at;
  std::int64_t value = 0;
  bool overflow = false;
  for (; at < element.size() && is_digit(element[at]); ++at) {
    if (value > (INT64_MAX - 9) / 10) overflow = true;
    if (!overflow) value = value * 10 + (element[at] - '0');
  }
  if (at != element.size() || at == digits_start || (negative && value != 0)) {
    diagnostics.err(warnx_text(kProgram, fmt::format("Invalid process id: {}", element)));
    return false;
  }
  if (overflow || value > kPidMax) {
    diagnostics.err(warnx_text(kProgram, fmt::format("process id too large: {}", element)));
    return false;
  }
  pids.push_back(static_cast<std::int32_t>(value));
  return true;
}

// add_list(): elements separated by blanks and at most one comma each; a trailing comma
// adds an empty (invalid) element.
bool add_pid_list(std::string_view list, std::vector<std::int32_t>& pids, ProgramOutput& diagnostics) {
  constexpr std::string_view kBlank = " \t";
  bool ok = true;
  if (list.empty()) ok = add_pid("", pids, diagnostics) && ok;
  while (!list.empty()) {
    list.remove_prefix(std::min(list.find_first_not_of(kBlank), list.size()));
    std::size_t end = list.find_first_of(" \t,");
    std::string_view element = list.substr(0, end);
    list.remove_prefix(element.size());
    ok = add_pid(element, pids, diagnostics) && ok;
    list.remove_prefix(std::min(list.find_first_not_of(kBlank), list.size()));
    if (!list.empty() && list[0] == ',') {
      list.remove_prefix(1);
      if (list.empty()) ok = add_pid("", pids, diagnostics) && ok;
    }
  }
  return ok;
}

// parsefmt() exits when the column list is still empty after a format.
bool add_format(std::string_view format, bool user_list, PsInvocation& invocation) {
  parse_ps_format(format, user_list, invocation.columns, invocation.diagnostics);
  if (!invocation.columns.empty()) return true;
  invocation.diagnostics.err(warnx_text(kProgram, "no valid keywords; valid keywords:"));
  invocation.diagnostics.out(format_ps_keywords(invocation.terminal_width));
  invocation.diagnostics.set_exit_status(1);
  return false;
}

// Built-in formats are used once: ps empties each string after parsing it.
struct BuiltinFormats {
  bool jobs = false, long_format = false, user = false, virtual_memory = false, around = false;
};

std::string_view once(bool& used, std::string_view format) {
  if (used) return "";
  used = true;
  return format;
}

struct OptionState {
  BuiltinFormats used;
  bool custom_format = false;
  int w_count = 0;
  bool fatal = false;
};

// One option; false when ps would exit at once (diagnostics already hold why).
bool apply_option(const ParsedOption& option, PsInvocation& invocation, OptionState& state) {
  switch (option.letter) {
    case 'A': invocation.keep_no_tty = true; [[fallthrough]];
    case 'a':
      invocation.all_users = true;
      ++invocation.selector_options;
      return true;
    case 'c': invocation.command_name_only = true; return true;
    case 'g': return true;  // the historical no-op
    case 'L': invocation.list_keywords = true; return false;
    case 'm': invocation.sort = PsSort::Memory; return true;
    case 'r': invocation.sort = PsSort::Cpu; return true;
    case 'X': invocation.keep_no_tty = false; return true;
    case 'x': invocation.keep_no_tty = true; return true;
    case 'w':
      if (state.w_count++ > 0)
        invocation.terminal_width = 0;
      else if (invocation.terminal_width < 131)
        invocation.terminal_width = 131;
      return true;
    case 'p':
      if (!add_pid_list(*option.argument, invocation.pids, invocation.diagnostics)) state.fatal = true;
      ++invocation.selector_options;
      return true;
    default: break;
  }
  state.custom_format = true;
  switch (option.letter) {
    case 'j': return add_format(once(state.used.jobs, kJobsFormat), false, invocation);
    case 'l': return add_format(once(state.used.long_format, kLongFormat), false, invocation);
    case 'u':
      invocation.sort = PsSort::Cpu;
      return add_format(once(state.used.user, kUserFormat), false, invocation);
    case 'v':
      invocation.sort = PsSort::Memory;
      return add_format(once(state.used.virtual_memory, kVirtualFormat), false, invocation);
    case 'o': return add_format(*option.argument, true, invocation);
    case 'O': {
      bool first = !state.used.around;
      state.used.around = true;
      return add_format(first ? "pid" : "", true, invocation) &&
             add_format(*option.argument, true, invocation) &&
             add_format(first ? "tt,state,time,command" : "", true, invocation);
    }
    default: break;
  }
  invocation.diagnostics.err(warnx_text(kProgram, fmt::format("-{}: option not supported", option.letter)));
  invocation.diagnostics.set_exit_status(1);
  return false;
}

}  // namespace

base::Result<PsInvocation, ProgramOutput> parse_ps_arguments(std::span<const std::string> arguments,
                                                             int terminal_width) {
  PROCSIM_ASSERT(terminal_width >= 0);
  std::vector<std::string> words(arguments.begin(), arguments.end());
  if (!words.empty() && !words[0].empty())
    words[0] = rewrite_old_style(words[0], words.size() > 1 ? &words[1] : nullptr);
  GetoptResult parsed = parse_options(kProgram, words, kOptionString);
  PsInvocation invocation;
  invocation.terminal_width = terminal_width;
  OptionState state;
  for (const auto& option : parsed.options) {
    if (apply_option(option, invocation, state)) continue;
    if (invocation.list_keywords) return invocation;
    return base::fail(std::move(invocation.diagnostics));
  }
  auto usage_failure = [&](std::string_view message) {
    invocation.diagnostics.err(message);
    invocation.diagnostics.err(kUsage);
    invocation.diagnostics.set_exit_status(1);
    return base::fail(std::move(invocation.diagnostics));
  };
  if (!parsed.ok()) return usage_failure(parsed.error);
  std::size_t index = 0;
  for (; index < parsed.operands.size() && !parsed.operands[index].empty() &&
         is_digit(parsed.operands[index][0]);
       ++index) {
    if (!add_pid_list(parsed.operands[index], invocation.pids, invocation.diagnostics)) state.fatal = true;
  }
  if (index < parsed.operands.size())
    return usage_failure(fmt::format("ps: illegal argument: {}\n", parsed.operands[index]));
  if (state.fatal) {
    invocation.diagnostics.set_exit_status(1);
    return base::fail(std::move(invocation.diagnostics));
  }
  if (!state.custom_format) add_format(kDefaultFormat, false, invocation);
  PROCSIM_ASSERT(!invocation.columns.empty());
  return invocation;
}

}  // namespace procsim::userland
