// ps output; see ps_format.h. Restated from FreeBSD 8.3 bin/ps: ps.c (options, selection,
// pscomp, sizevars, saveuser), print.c (printheader and one function per field) and fmt.c
// (fmt_argv).
#include "model/userland/ps_format.h"

#include <algorithm>

#include <fmt/format.h>

#include "model/userland/calendar.h"
#include "model/userland/ps_keywords.h"
#include "sim/base/assert.h"

namespace procsim::userland {

namespace {

constexpr int kPzero = 84;               // sys/param.h PZERO: pri and upr print relative to it
constexpr std::uint32_t kMaxSleep = 20;  // MAXSLP: asleep this long (s) shows as idle, 'I'
constexpr std::size_t kMaxComLen = 19;   // MAXCOMLEN

// A column with its final width, as sizevars() leaves it.
struct SizedColumn {
  const PsKeyword* keyword;
  std::string header;
  int width;
};

// Per-row facts saveuser() prepares.
struct RowContext {
  const PsProcess* process;
  bool valid;        // ki_valid: the u-area is in memory
  std::string args;  // ki_args for COMM columns
};

std::string pad_left(std::string_view text, int width) {
  return fmt::format("{:>{}}", text, std::max(width, 0));
}
std::string pad_right(std::string_view text, int width) {
  return fmt::format("{:<{}}", text, std::max(width, 0));
}
std::string truncate(std::string_view text, int width) {
  return std::string(text.substr(0, static_cast<std::size_t>(std::max(width, 0))));
}

std::string name_or_number(const std::optional<std::string>& name, std::uint32_t id) {
  return name.has_value() ? *name : fmt::format("{}", id);
}

// vis(3) as ps applies it twice (shquote with VIS_NL|VIS_CSTYLE, then VIS_TAB|VIS_NL|
// VIS_NOSLASH): printable ASCII passes, newline reads \n, tab ^I, other bytes \ooo.
std::string vis_argument(std::string_view text) {
  std::string out;
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x20 && byte < 0x7f) {
      out.push_back(c);
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "^I";
    } else {
      out += fmt::format("\\{:03o}", byte);
    }
  }
  return out;
}

std::string_view basename_of(std::string_view path) {
  auto slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

std::string format_centiseconds(std::uint64_t usec) {
  // printtime(): round to hundredths, then minutes:seconds.hundredths.
  std::uint64_t secs = usec / 1000000;
  std::uint64_t hundredths = (usec % 1000000 + 5000) / 10000;
  secs += hundredths / 100;
  hundredths %= 100;
  return fmt::format("{:3}:{:02}.{:02}", secs / 60, secs % 60, hundredths);
}

std::string format_tenths(std::uint32_t tenths, int width) {
  return pad_left(fmt::format("{}.{}", tenths / 10, tenths % 10), width);
}

// started(): the C locale has an AM/PM time format, so ps uses the 12-hour forms.
std::string format_started(std::int64_t start, std::int64_t now) {
  CivilTime time = civil_from_unix_seconds(start);
  int hour12 = time.hour % 12 == 0 ? 12 : time.hour % 12;
  std::string_view meridiem = time.hour < 12 ? "AM" : "PM";
  if (now - start < 24 * 3600) return fmt::format("{:2}:{:02}{}", hour12, time.minute, meridiem);
  if (now - start < 7 * 86400)
    return fmt::format("{}{:02}{}", weekday_abbreviation(time.weekday), hour12, meridiem);
  return fmt::format("{:2}{}{:02}", time.day, month_abbreviation(time.month), time.year % 100);
}

// lstarted(): strftime %c in the C locale, "%a %b %e %H:%M:%S %Y".
std::string format_lstart(std::int64_t start) {
  CivilTime time = civil_from_unix_seconds(start);
  return fmt::format("{} {} {:2} {:02}:{:02}:{:02} {}", weekday_abbreviation(time.weekday),
                     month_abbreviation(time.month), time.day, time.hour, time.minute, time.second,
                     time.year);
}

std::string format_elapsed(std::int64_t seconds) {
  std::int64_t days = seconds / 86400;
  std::int64_t hours = seconds % 86400 / 3600;
  std::int64_t minutes = seconds % 3600 / 60;
  std::int64_t secs = seconds % 60;
  if (days != 0) return fmt::format("{:3}-{:02}:{:02}:{:02}", days, hours, minutes, secs);
  if (hours != 0) return fmt::format("{:02}:{:02}:{:02}", hours, minutes, secs);
  return fmt::format("{:02}:{:02}", minutes, secs);
}

std::string format_rtprio(const PsProcess& process) {
  switch (process.priority_class) {
    case 1: return fmt::format("intr:{}", process.priority_level);
    case 2: return fmt::format("real:{}", process.priority_level);
    case 3: return "normal";
    case 4: return fmt::format("idle:{}", process.priority_level);
    default: return truncate(fmt::format("{}:{}", process.priority_class, process.priority_level), 7);
  }
}

// tname(): "tty"/"cua" and "pts/" prefixes dropped, cut to width - 1, then ' ' or '-' as the
// terminal is still the process's controlling terminal.
std::string format_tt(const PsProcess& process, int width) {
  if (!process.tty.has_value()) return pad_left("??", width - 1) + " ";
  std::string_view name = process.tty->name;
  if (name.starts_with("tty") || name.starts_with("cua")) name.remove_prefix(3);
  if (name.starts_with("pts/")) name.remove_prefix(4);
  return pad_left(truncate(name, width - 1), width - 1) + (process.has_controlling_tty ? ' ' : '-');
}

std::string format_wait_channel(const PsProcess& process, int width) {
  if (process.wchan == 0) return pad_right("-", width);
  if (!process.wmesg.empty()) return pad_right(truncate(process.wmesg, width), width);
  return pad_right(fmt::format("{:x}", process.wchan), width);
}

std::string user_valued(bool valid, std::int64_t value, int width) {
  return valid ? pad_left(fmt::format("{}", value), width) : pad_left("-", width);
}

std::uint32_t cap127(std::uint32_t value) { return std::min<std::uint32_t>(value, 127); }

}  // namespace

std::string format_ps_state(const PsProcess& p) {
  std::string state;
  switch (p.state) {
    case PsState::Stop: state = "T"; break;
    case PsState::Sleep:
      state = p.sleep_interruptible ? (p.sleep_seconds >= kMaxSleep ? "I" : "S") : "D";
      break;
    case PsState::Run:
    case PsState::Idle: state = "R"; break;
    case PsState::Wait: state = "W"; break;
    case PsState::Lock: state = "L"; break;
    case PsState::Zombie: state = "Z"; break;
  }
  if (!(p.flags & kPsFlagInMemory)) state += 'W';
  if (p.nice < 0) state += '<';
  if (p.nice > 0) state += 'N';
  if (p.flags & kPsFlagTraced) state += 'X';
  if ((p.flags & kPsFlagExiting) && p.state != PsState::Zombie) state += 'E';
  if (p.flags & kPsFlagPpwait) state += 'V';
  if (p.flags & kPsFlagSystem) state += 'L';
  if (p.session_leader) state += 's';
  if ((p.flags & kPsFlagControllingTty) && p.pgid == p.tpgid) state += '+';
  if (p.flags & kPsFlagJailed) state += 'J';
  PROCSIM_ASSERT(!state.empty());
  return state;
}

std::string format_ps_cputime(std::uint64_t usec) { return format_centiseconds(usec); }

std::string format_ps_command(const PsProcess& process) {
  std::string comm = truncate(process.comm, static_cast<int>(kMaxComLen));
  if (!process.argv.has_value() || process.argv->empty()) return fmt::format("[{}]", comm);
  std::string joined;
  for (const auto& argument : *process.argv) {
    if (argument.empty()) continue;  // shquote skips empty arguments
    if (!joined.empty()) joined += ' ';
    joined += vis_argument(argument);
  }
  std::string_view arg0 = basename_of(process.argv->front());
  if (arg0.substr(0, kMaxComLen) != std::string_view(comm)) joined += fmt::format(" ({})", comm);
  return joined;
}

namespace {

std::string render_pointer(std::uint64_t value, int width) {
  return pad_left(fmt::format("{:x}", value), width);
}

// The COMMAND-like columns: the last one is not padded but cut at the terminal width.
std::string render_command(const SizedColumn& column, const RowContext& row, const PsInvocation& invocation,
                           bool last, int total_width) {
  const PsProcess& p = *row.process;
  bool is_command = column.keyword->field == PsField::Command;
  if (is_command && invocation.command_name_only) return last ? p.comm : pad_right(p.comm, column.width);
  std::string text = row.args;
  if (!last) return pad_right(truncate(text, column.width), column.width);
  if (invocation.terminal_width == 0) return text;
  int left = invocation.terminal_width - (total_width - column.width);
  if (left < 1) left = column.width;
  return truncate(text, left);
}

std::string render_time_field(const SizedColumn& column, const RowContext& row) {
  const PsProcess& p = *row.process;
  std::uint64_t usec = 0;
  if (row.valid) {
    if (column.keyword->field == PsField::Time) usec = p.runtime_usec;
    if (column.keyword->field == PsField::Usertime) usec = p.user_usec;
    if (column.keyword->field == PsField::Systime) usec = p.system_usec;
  }
  return pad_left(format_centiseconds(usec), column.width);
}

// Fields printed with printf "%*d"/"%*u"/"%*x"/"%*ld" from kinfo_proc or rusage.
std::optional<std::string> render_number(PsField field, const PsProcess& p, int width, bool valid,
                                         std::uint32_t page_size) {
  auto num = [&](std::int64_t value) { return pad_left(fmt::format("{}", value), width); };
  auto hex = [&](std::uint64_t value) { return pad_left(fmt::format("{:x}", value), width); };
  auto kb = [&](std::uint64_t pages) { return num(static_cast<std::int64_t>(pages * page_size / 1024)); };
  switch (field) {
    case PsField::Acflag: return hex(p.acflag);
    case PsField::Estcpu: return num(p.estcpu);
    case PsField::Flag: return hex(p.flags);
    case PsField::Jid: return num(p.jid);
    case PsField::Jobc: return num(p.jobc);
    case PsField::Ktrace: return hex(static_cast<std::uint32_t>(p.traceflag));
    case PsField::Lwp: return num(p.tid);
    case PsField::Nice: return num(p.nice);
    case PsField::Nlwp: return num(p.numthreads);
    case PsField::Pgid: return num(p.pgid);
    case PsField::Pid: return num(p.pid);
    case PsField::Ppid: return num(p.ppid);
    case PsField::Pri: return num(p.priority_level - kPzero);
    case PsField::Upr: return num(p.priority_user - kPzero);
    case PsField::Re: return num(cap127(p.swap_seconds));
    case PsField::Sl: return num(cap127(p.sleep_seconds));
    case PsField::Rgid: return num(p.rgid);
    case PsField::Ruid: return num(p.ruid);
    case PsField::Svgid: return num(p.svgid);
    case PsField::Svuid: return num(p.svuid);
    case PsField::Uid: return num(p.uid);
    case PsField::Sid: return num(p.sid);
    case PsField::Tpgid: return num(p.tpgid);
    case PsField::Tsid: return num(p.tsid);
    case PsField::Sig: return hex(p.sig_pending);
    case PsField::Sigcatch: return hex(p.sig_caught);
    case PsField::Sigignore: return hex(p.sig_ignored);
    case PsField::Sigmask: return hex(p.sig_blocked);
    case PsField::Xstat: return hex(p.xstat);
    case PsField::Rss: return kb(p.rss_pages);
    case PsField::Tsiz: return kb(p.text_pages);
    case PsField::Vsz: return num(static_cast<std::int64_t>(p.vsize_bytes / 1024));
    case PsField::Pagein: return num(valid ? p.majflt : 0);
    case PsField::Inblock: return user_valued(valid, p.inblock, width);
    case PsField::Oublock: return user_valued(valid, p.oublock, width);
    case PsField::Majflt: return user_valued(valid, p.majflt, width);
    case PsField::Minflt: return user_valued(valid, p.minflt, width);
    case PsField::Msgrcv: return user_valued(valid, p.msgrcv, width);
    case PsField::Msgsnd: return user_valued(valid, p.msgsnd, width);
    case PsField::Nsigs: return user_valued(valid, p.nsignals, width);
    case PsField::Nswap: return user_valued(valid, p.nswap, width);
    case PsField::Nvcsw: return user_valued(valid, p.nvcsw, width);
    case PsField::Nivcsw: return user_valued(valid, p.nivcsw, width);
    default: return std::nullopt;
  }
}

// Fields printed as text.
std::string render_text(const SizedColumn& column, const RowContext& row, const PsContext& context) {
  const PsProcess& p = *row.process;
  int width = column.width;
  switch (column.keyword->field) {
    case PsField::Pcpu: return format_tenths(p.pcpu_tenths, width);
    case PsField::Pmem: return format_tenths(p.pmem_tenths, width);
    case PsField::Emul: return pad_right(p.emulation.empty() ? "-" : p.emulation, width);
    case PsField::Elapsed:
      return row.valid ? pad_left(format_elapsed(context.now_seconds - p.start_seconds), width)
                       : pad_right("-", width);
    case PsField::Label: return pad_right("  -", width);
    case PsField::Lim: return pad_left("-", width);
    case PsField::Lockname: return pad_right("-", width);
    case PsField::Login: return pad_right(p.login.empty() ? "-" : p.login, width);
    case PsField::Lstart: return pad_right(row.valid ? format_lstart(p.start_seconds) : "-", width);
    case PsField::Start:
      return pad_right(row.valid ? format_started(p.start_seconds, context.now_seconds) : "-", width);
    case PsField::Mwchan:
    case PsField::Wchan: return format_wait_channel(p, width);
    case PsField::Nwchan:
      return p.wchan == 0 ? pad_right("-", width) : fmt::format("{:0{}x}", p.wchan, width);
    case PsField::Paddr: return render_pointer(p.paddr, width);
    case PsField::Tdaddr: return render_pointer(p.tdaddr, width);
    case PsField::Rtprio: return pad_left(format_rtprio(p), width);
    case PsField::State: return pad_right(format_ps_state(p), width);
    case PsField::Tdev:
      return pad_left(p.tty.has_value() ? fmt::format("{}/{}", p.tty->major, p.tty->minor) : "??", width);
    case PsField::Tdnam: return pad_right("      ", width);
    case PsField::Tt: return format_tt(p, width);
    case PsField::Tty: return pad_right(p.tty.has_value() ? p.tty->name : "??", width);
    case PsField::User: return pad_right(name_or_number(p.user_name, p.uid), width);
    case PsField::Ruser: return pad_right(name_or_number(p.ruser_name, p.ruid), width);
    case PsField::Rgroup: return pad_right(name_or_number(p.rgroup_name, p.rgid), width);
    default: break;
  }
  PROCSIM_UNREACHABLE();
}

std::string render_cell(const SizedColumn& column, const RowContext& row, const PsInvocation& invocation,
                        const PsContext& context, bool last, int total_width) {
  switch (column.keyword->field) {
    case PsField::Args:
    case PsField::Command: return render_command(column, row, invocation, last, total_width);
    case PsField::Ucomm: return last ? row.process->comm : pad_right(row.process->comm, column.width);
    case PsField::Time:
    case PsField::Usertime:
    case PsField::Systime: return render_time_field(column, row);
    default: break;
  }
  auto number =
      render_number(column.keyword->field, *row.process, column.width, row.valid, context.page_size_bytes);
  if (number.has_value()) return *number;
  return render_text(column, row, context);
}

// The value whose length sets a kPsDsiz column's width (the s_* functions).
std::size_t dynamic_size(PsField field, const PsProcess& p) {
  switch (field) {
    case PsField::Ucomm: return p.comm.size();
    case PsField::User: return name_or_number(p.user_name, p.uid).size();
    case PsField::Ruser: return name_or_number(p.ruser_name, p.ruid).size();
    case PsField::Rgroup: return name_or_number(p.rgroup_name, p.rgid).size();
    case PsField::Label: return 0;
    default: break;
  }
  PROCSIM_UNREACHABLE();
}

std::vector<SizedColumn> size_columns(const PsInvocation& invocation, const PsContext& context,
                                      std::span<const RowContext> rows) {
  std::vector<SizedColumn> sized;
  for (const auto& column : invocation.columns) {
    const PsKeyword& keyword = ps_keywords()[column.keyword];
    PROCSIM_ASSERT(keyword.field != PsField::Alias);
    int width = keyword.width == kPsPointerWidth ? context.pointer_hex_digits : keyword.width;
    if (keyword.flags & kPsDsiz) {
      int cap = width;
      width = 0;
      for (const auto& row : rows)
        width = std::min(cap, std::max(width, static_cast<int>(dynamic_size(keyword.field, *row.process))));
    }
    width = std::max(width, static_cast<int>(column.header.size()));
    sized.push_back(SizedColumn{&keyword, column.header, width});
  }
  return sized;
}

std::string render_header(std::span<const SizedColumn> columns) {
  bool any =
      std::any_of(columns.begin(), columns.end(), [](const SizedColumn& c) { return !c.header.empty(); });
  if (!any) return "";
  std::string line;
  for (std::size_t index = 0; index < columns.size(); ++index) {
    const SizedColumn& column = columns[index];
    bool last = index + 1 == columns.size();
    if (column.keyword->flags & kPsLjust) {
      line += last ? column.header : pad_right(column.header, column.width);
    } else {
      line += pad_left(column.header, column.width);
    }
    if (!last) line += ' ';
  }
  return line + "\n";
}

}  // namespace

namespace {

// Which processes ps keeps: the kern.proc query it makes and the filter of its main loop.
struct Selection {
  std::optional<std::int32_t> kernel_pid;   // KERN_PROC_PID
  std::optional<std::uint32_t> kernel_uid;  // KERN_PROC_UID (effective uid)
  std::vector<std::int32_t> pids;
  std::vector<std::uint32_t> uids;
  int selectors = 0;
  bool keep_no_tty = false;
};

Selection make_selection(const PsInvocation& invocation, const PsContext& context) {
  Selection selection;
  selection.pids = invocation.pids;
  selection.selectors = invocation.selector_options;
  selection.keep_no_tty = invocation.keep_no_tty.value_or(false);
  if (selection.selectors == 0) {
    // No selector at all: the processes of the real uid.
    selection.uids.push_back(context.real_uid);
    selection.selectors = 1;
  }
  if (selection.selectors == 1) {
    if (selection.pids.size() == 1) {
      selection.kernel_pid = selection.pids.front();
      selection.selectors = 0;
    } else if (selection.uids.size() == 1) {
      selection.kernel_uid = selection.uids.front();
      selection.selectors = 0;
    } else if (invocation.all_users) {
      selection.selectors = 0;
    }
  }
  return selection;
}

bool contains(std::span<const std::int32_t> values, std::int32_t value) {
  return std::find(values.begin(), values.end(), value) != values.end();
}

bool selected(const Selection& selection, const PsProcess& p) {
  if (selection.kernel_pid.has_value() && p.pid != *selection.kernel_pid) return false;
  if (selection.kernel_uid.has_value() && p.uid != *selection.kernel_uid) return false;
  // Listed pids are kept before the terminal filter applies, even with -X.
  if (contains(selection.pids, p.pid)) return true;
  bool has_terminal = p.tty.has_value() && (p.flags & kPsFlagControllingTty);
  if (!selection.keep_no_tty && !has_terminal) return false;
  if (selection.selectors == 0) return true;
  return std::find(selection.uids.begin(), selection.uids.end(), p.uid) != selection.uids.end();
}

// pscomp(): %CPU or memory descending when asked, then terminal (none first), pid, thread.
bool row_before(const RowContext& a, const RowContext& b, PsSort sort) {
  const PsProcess& x = *a.process;
  const PsProcess& y = *b.process;
  if (sort == PsSort::Cpu && x.pcpu_tenths != y.pcpu_tenths) return x.pcpu_tenths > y.pcpu_tenths;
  if (sort == PsSort::Memory) {
    std::uint64_t x_size = x.text_pages + x.data_pages + x.stack_pages;
    std::uint64_t y_size = y.text_pages + y.data_pages + y.stack_pages;
    if (x_size != y_size) return x_size > y_size;
  }
  if (x.tty.has_value() != y.tty.has_value()) return !x.tty.has_value();
  if (x.tty.has_value() && x.tty->device != y.tty->device) return x.tty->device < y.tty->device;
  if (x.pid != y.pid) return x.pid < y.pid;
  return x.tid < y.tid;
}

bool columns_need(const PsInvocation& invocation, std::uint8_t flag) {
  return std::any_of(invocation.columns.begin(), invocation.columns.end(), [&](const PsColumn& column) {
    return (ps_keywords()[column.keyword].flags & flag) != 0;
  });
}

std::vector<RowContext> collect_rows(const PsInvocation& invocation, const PsContext& context,
                                     std::span<const PsProcess> processes) {
  Selection selection = make_selection(invocation, context);
  bool need_args = columns_need(invocation, kPsComm);
  std::vector<RowContext> rows;
  for (const auto& process : processes) {
    if (!selected(selection, process)) continue;
    RowContext row{&process, (process.flags & kPsFlagInMemory) != 0, ""};
    if (need_args) row.args = process.state == PsState::Zombie ? "<defunct>" : format_ps_command(process);
    rows.push_back(std::move(row));
  }
  std::stable_sort(rows.begin(), rows.end(), [&](const RowContext& a, const RowContext& b) {
    return row_before(a, b, invocation.sort);
  });
  return rows;
}

}  // namespace

ProgramOutput format_ps(const PsInvocation& invocation, const PsContext& context,
                        std::span<const PsProcess> processes) {
  ProgramOutput output = invocation.diagnostics;
  if (invocation.list_keywords) {
    output.out(format_ps_keywords(invocation.terminal_width));
    output.set_exit_status(0);
    return output;
  }
  PROCSIM_ASSERT(!invocation.columns.empty());
  std::vector<RowContext> rows = collect_rows(invocation, context, processes);
  std::vector<SizedColumn> columns = size_columns(invocation, context, rows);
  int total_width = -1;
  for (const auto& column : columns) total_width += column.width + 1;
  output.out(render_header(columns));
  if (rows.empty()) {
    output.set_exit_status(1);
    return output;
  }
  for (const auto& row : rows) {
    std::string line;
    for (std::size_t index = 0; index < columns.size(); ++index) {
      bool last = index + 1 == columns.size();
      line += render_cell(columns[index], row, invocation, context, last, total_width);
      if (!last) line += ' ';
    }
    output.out(line + "\n");
  }
  return output;
}

}  // namespace procsim::userland
