// FreeBSD 8.3's ps (bin/ps): the keyword table of keyword.c with its headers and widths, -o/-O
// format lists, the default, -j, -l, -u and -v formats, process selection (-a -x -X -A -p and
// the own-uid default), sorting, STAT letters, TT names, TIME, STARTED and the COMMAND column
// cut at the terminal width. The program collects kinfo_proc data through sysctl; this module
// decides the text. Leaves out -e, -d, -H, -h, -G, -U, -t, -M, -N, MAC labels and threads.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "model/userland/program_output.h"
#include "sim/base/result.h"

namespace procsim::userland {

// kinfo_proc ki_stat codes (sys/proc.h).
enum class PsState : int { Idle = 1, Run = 2, Sleep = 3, Stop = 4, Zombie = 5, Wait = 6, Lock = 7 };

// p_flag bits ps looks at (8.3 sys/proc.h; spec/kernel.md §3.1).
inline constexpr std::uint32_t kPsFlagControllingTty = 0x00002;  // P_CONTROLT
inline constexpr std::uint32_t kPsFlagPpwait = 0x00010;          // P_PPWAIT
inline constexpr std::uint32_t kPsFlagSystem = 0x00200;          // P_SYSTEM
inline constexpr std::uint32_t kPsFlagTraced = 0x00800;          // P_TRACED
inline constexpr std::uint32_t kPsFlagExiting = 0x02000;         // P_WEXIT
inline constexpr std::uint32_t kPsFlagJailed = 0x1000000;        // P_JAILED
inline constexpr std::uint32_t kPsFlagInMemory = 0x10000000;     // P_INMEM

// The process's terminal as devname(3) names it ("ttyp0", "console"), and its device number,
// which orders the listing.
struct PsTty {
  std::string name;
  std::uint32_t device = 0;
  std::uint32_t major = 0;
  std::uint32_t minor = 0;
};

// One process as the program read it from kern.proc (struct kinfo_proc), plus the names of
// its ids. Percentages are integer tenths: ps's floating-point %CPU/%MEM are computed by the
// kernel side so that no floating point reaches the output.
struct PsProcess {
  std::int32_t pid = 0;
  std::int32_t ppid = 0;
  std::int32_t pgid = 0;
  std::int32_t sid = 0;
  std::int32_t tpgid = 0;  // foreground process group of the terminal
  std::int32_t tsid = 0;
  std::int32_t jobc = 0;
  std::int32_t tid = 0;
  std::uint32_t uid = 0;  // effective
  std::uint32_t ruid = 0;
  std::uint32_t svuid = 0;
  std::uint32_t rgid = 0;
  std::uint32_t svgid = 0;
  std::optional<std::string> user_name;  // names from the password and group files
  std::optional<std::string> ruser_name;
  std::optional<std::string> rgroup_name;
  std::string comm;                              // p_comm
  std::optional<std::vector<std::string>> argv;  // nullopt: no arguments readable (kernel processes)
  std::string login;                             // the session's login name
  std::string emulation = "FreeBSD ELF64";       // sv_name
  PsState state = PsState::Run;
  std::uint32_t flags = kPsFlagInMemory;  // p_flag
  bool sleep_interruptible = true;        // TDF_SINTR
  bool session_leader = false;            // KI_SLEADER
  bool has_controlling_tty = false;       // KI_CTTY
  std::optional<PsTty> tty;               // nullopt: NODEV
  std::int32_t nice = 0;
  std::int32_t estcpu = 0;
  std::int32_t priority_level = 0;  // pri_level, before ps subtracts PZERO
  std::int32_t priority_user = 0;
  std::int32_t priority_class = 3;  // PRI_TIMESHARE
  std::uint32_t sleep_seconds = 0;  // ki_slptime
  std::uint32_t swap_seconds = 0;   // ki_swtime
  std::uint64_t runtime_usec = 0;
  std::uint64_t user_usec = 0;
  std::uint64_t system_usec = 0;
  std::int64_t start_seconds = 0;
  std::uint64_t wchan = 0;  // 0: not sleeping
  std::string wmesg;
  std::uint64_t vsize_bytes = 0;
  std::uint64_t rss_pages = 0;
  std::uint64_t text_pages = 0;
  std::uint64_t data_pages = 0;
  std::uint64_t stack_pages = 0;
  std::uint32_t numthreads = 1;
  std::int32_t jid = 0;
  std::uint16_t xstat = 0;
  std::uint16_t acflag = 0;
  std::int32_t traceflag = 0;
  std::uint32_t sig_pending = 0;  // first word of each signal set
  std::uint32_t sig_caught = 0;
  std::uint32_t sig_ignored = 0;
  std::uint32_t sig_blocked = 0;
  std::uint64_t paddr = 0;  // simulated kernel addresses
  std::uint64_t tdaddr = 0;
  std::int64_t inblock = 0, oublock = 0, majflt = 0, minflt = 0, msgsnd = 0, msgrcv = 0;
  std::int64_t nsignals = 0, nswap = 0, nvcsw = 0, nivcsw = 0;
  std::uint32_t pcpu_tenths = 0;
  std::uint32_t pmem_tenths = 0;
};

// One column of the output: a row of the keyword table and the header shown for it.
struct PsColumn {
  std::size_t keyword = 0;  // index into the keyword table
  std::string header;

  bool operator==(const PsColumn&) const = default;
};

enum class PsSort { Default, Cpu, Memory };

struct PsInvocation {
  std::vector<PsColumn> columns;
  bool all_users = false;           // -a/-A
  int selector_options = 0;         // how many -a, -A and -p options were given
  std::optional<bool> keep_no_tty;  // -x (true) / -X (false); unset: only processes with a terminal
  std::vector<std::int32_t> pids;   // -p and numeric operands
  PsSort sort = PsSort::Default;
  int terminal_width = 79;         // 0: unlimited (-ww)
  bool command_name_only = false;  // -c
  bool list_keywords = false;      // -L
  ProgramOutput diagnostics;       // warnings printed before the listing; may carry exit status 1
};

// Parses ps's command line (with 8.3's old-style "ps ax" and "ps 34" rewrites). The terminal
// width is what ps computed before parsing: $COLUMNS, else TIOCGWINSZ columns - 1, else 79.
// A usage error returns the diagnostics with exit status 1.
base::Result<PsInvocation, ProgramOutput> parse_ps_arguments(std::span<const std::string> arguments,
                                                             int terminal_width);

// Parses one -o list into columns, as parsefmt() does. `user_list`: from -o/-O, where a
// keyword may repeat; built-in formats skip keywords already present. Unknown keywords add
// "ps: NAME: keyword not found" to `diagnostics` and set its exit status to 1.
void parse_ps_format(std::string_view list, bool user_list, std::vector<PsColumn>& columns,
                     ProgramOutput& diagnostics);

// What the program knows besides the process list.
struct PsContext {
  std::uint32_t real_uid = 0;    // getuid(): the default selection
  std::int64_t now_seconds = 0;  // time(3)
  int pointer_hex_digits = 16;   // sizeof(void *) * 2 on the simulated architecture
  std::uint32_t page_size_bytes = 4096;
};

// The whole output: header, rows, diagnostics, and the exit status (1 when nothing matched).
ProgramOutput format_ps(const PsInvocation& invocation, const PsContext& context,
                        std::span<const PsProcess> processes);

// The -L list: every keyword, wrapped before the terminal width.
std::string format_ps_keywords(int terminal_width);

// Individual fields, exposed for tests and for programs that print them elsewhere.
std::string format_ps_state(const PsProcess& process);
std::string format_ps_cputime(std::uint64_t usec);
std::string format_ps_command(const PsProcess& process);  // fmt_argv(): args or "[comm]"

}  // namespace procsim::userland
