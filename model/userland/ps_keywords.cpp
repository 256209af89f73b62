// ps keywords, format-list parsing and the -L listing; see ps_keywords.h and ps_format.h.
// Rows restated from FreeBSD 8.3 bin/ps/keyword.c (widths: PIDLEN 5, UIDLEN 5, USERLEN =
// MAXLOGNAME - 1 = 16, COMMLEN 19 + OCOMMLEN 16 + 1, EMULLEN 13, LWPLEN 6, NLWPLEN 4).
#include "model/userland/ps_keywords.h"

#include <array>

#include <fmt/format.h>

#include "model/userland/program_errors.h"
#include "model/userland/ps_format.h"
#include "sim/base/assert.h"

namespace procsim::userland {

namespace {

using F = PsField;
constexpr std::uint8_t kL = kPsLjust;
constexpr std::uint8_t kU = kPsUser;
constexpr std::uint8_t kC = kPsComm;
constexpr std::uint8_t kD = kPsDsiz;
constexpr std::uint8_t kI = kPsInf127;
constexpr int kP = kPsPointerWidth;

constexpr PsKeyword alias(std::string_view name, std::string_view target) {
  return PsKeyword{name, "", target, 0, F::Alias, 0};
}

constexpr std::array kKeywords = {
    PsKeyword{"%cpu", "%CPU", "", 0, F::Pcpu, 4},
    PsKeyword{"%mem", "%MEM", "", 0, F::Pmem, 4},
    PsKeyword{"acflag", "ACFLG", "", 0, F::Acflag, 3},
    alias("acflg", "acflag"),
    PsKeyword{"args", "COMMAND", "", kC | kL | kU, F::Args, 16},
    alias("blocked", "sigmask"),
    alias("caught", "sigcatch"),
    PsKeyword{"comm", "COMMAND", "", kL | kD, F::Ucomm, 19 + 16 + 1},
    PsKeyword{"command", "COMMAND", "", kC | kL | kU, F::Command, 16},
    PsKeyword{"cpu", "CPU", "", 0, F::Estcpu, 3},
    alias("cputime", "time"),
    PsKeyword{"emul", "EMUL", "", kL, F::Emul, 13},
    PsKeyword{"etime", "ELAPSED", "", kU, F::Elapsed, 12},
    PsKeyword{"f", "F", "", 0, F::Flag, 8},
    alias("flags", "f"),
    alias("ignored", "sigignore"),
    PsKeyword{"inblk", "INBLK", "", kU, F::Inblock, 4},
    alias("inblock", "inblk"),
    PsKeyword{"jid", "JID", "", 0, F::Jid, 6},
    PsKeyword{"jobc", "JOBC", "", 0, F::Jobc, 4},
    PsKeyword{"ktrace", "KTRACE", "", 0, F::Ktrace, 8},
    PsKeyword{"label", "LABEL", "", kL | kD, F::Label, 32767},
    PsKeyword{"lim", "LIM", "", 0, F::Lim, 5},
    PsKeyword{"lockname", "LOCK", "", kL, F::Lockname, 6},
    PsKeyword{"login", "LOGIN", "", kL, F::Login, 16},
    alias("logname", "login"),
    PsKeyword{"lstart", "STARTED", "", kL | kU, F::Lstart, 28},
    PsKeyword{"lwp", "LWP", "", 0, F::Lwp, 6},
    PsKeyword{"majflt", "MAJFLT", "", kU, F::Majflt, 4},
    PsKeyword{"minflt", "MINFLT", "", kU, F::Minflt, 4},
    PsKeyword{"msgrcv", "MSGRCV", "", kU, F::Msgrcv, 4},
    PsKeyword{"msgsnd", "MSGSND", "", kU, F::Msgsnd, 4},
    PsKeyword{"mwchan", "MWCHAN", "", kL, F::Mwchan, 6},
    alias("ni", "nice"),
    PsKeyword{"nice", "NI", "", 0, F::Nice, 2},
    PsKeyword{"nivcsw", "NIVCSW", "", kU, F::Nivcsw, 5},
    PsKeyword{"nlwp", "NLWP", "", 0, F::Nlwp, 4},
    alias("nsignals", "nsigs"),
    PsKeyword{"nsigs", "NSIGS", "", kU, F::Nsigs, 4},
    PsKeyword{"nswap", "NSWAP", "", kU, F::Nswap, 4},
    PsKeyword{"nvcsw", "NVCSW", "", kU, F::Nvcsw, 5},
    PsKeyword{"nwchan", "NWCHAN", "", kL, F::Nwchan, kP},
    PsKeyword{"oublk", "OUBLK", "", kU, F::Oublock, 4},
    alias("oublock", "oublk"),
    PsKeyword{"paddr", "PADDR", "", 0, F::Paddr, kP},
    PsKeyword{"pagein", "PAGEIN", "", kU, F::Pagein, 6},
    alias("pcpu", "%cpu"),
    alias("pending", "sig"),
    PsKeyword{"pgid", "PGID", "", 0, F::Pgid, 5},
    PsKeyword{"pid", "PID", "", 0, F::Pid, 5},
    alias("pmem", "%mem"),
    PsKeyword{"ppid", "PPID", "", 0, F::Ppid, 5},
    PsKeyword{"pri", "PRI", "", 0, F::Pri, 3},
    PsKeyword{"re", "RE", "", kI, F::Re, 3},
    PsKeyword{"rgid", "RGID", "", 0, F::Rgid, 5},
    PsKeyword{"rgroup", "RGROUP", "", kL | kD, F::Rgroup, 16},
    PsKeyword{"rss", "RSS", "", 0, F::Rss, 5},
    PsKeyword{"rtprio", "RTPRIO", "", 0, F::Rtprio, 7},
    PsKeyword{"ruid", "RUID", "", 0, F::Ruid, 5},
    PsKeyword{"ruser", "RUSER", "", kL | kD, F::Ruser, 16},
    PsKeyword{"sid", "SID", "", 0, F::Sid, 5},
    PsKeyword{"sig", "PENDING", "", 0, F::Sig, 8},
    PsKeyword{"sigcatch", "CAUGHT", "", 0, F::Sigcatch, 8},
    PsKeyword{"sigignore", "IGNORED", "", 0, F::Sigignore, 8},
    PsKeyword{"sigmask", "BLOCKED", "", 0, F::Sigmask, 8},
    PsKeyword{"sl", "SL", "", kI, F::Sl, 3},
    PsKeyword{"start", "STARTED", "", kL | kU, F::Start, 7},
    alias("stat", "state"),
    PsKeyword{"state", "STAT", "", 0, F::State, 4},
    PsKeyword{"svgid", "SVGID", "", 0, F::Svgid, 5},
    PsKeyword{"svuid", "SVUID", "", 0, F::Svuid, 5},
    PsKeyword{"systime", "SYSTIME", "", kU, F::Systime, 9},
    PsKeyword{"tdaddr", "TDADDR", "", 0, F::Tdaddr, kP},
    PsKeyword{"tdev", "TDEV", "", 0, F::Tdev, 5},
    PsKeyword{"tdnam", "TDNAM", "", kL, F::Tdnam, 19},
    PsKeyword{"time", "TIME", "", kU, F::Time, 9},
    PsKeyword{"tpgid", "TPGID", "", 0, F::Tpgid, 4},
    PsKeyword{"tsid", "TSID", "", 0, F::Tsid, 5},
    PsKeyword{"tsiz", "TSIZ", "", 0, F::Tsiz, 4},
    PsKeyword{"tt", "TT ", "", 0, F::Tt, 4},
    PsKeyword{"tty", "TTY", "", kL, F::Tty, 8},
    PsKeyword{"ucomm", "UCOMM", "", kL | kD, F::Ucomm, 19 + 16 + 1},
    PsKeyword{"uid", "UID", "", 0, F::Uid, 5},
    PsKeyword{"upr", "UPR", "", 0, F::Upr, 3},
    PsKeyword{"uprocp", "UPROCP", "", 0, F::Paddr, kP},
    PsKeyword{"user", "USER", "", kL | kD, F::User, 16},
    PsKeyword{"usertime", "USERTIME", "", kU, F::Usertime, 9},
    alias("usrpri", "upr"),
    alias("vsize", "vsz"),
    PsKeyword{"vsz", "VSZ", "", 0, F::Vsz, 5},
    PsKeyword{"wchan", "WCHAN", "", kL, F::Wchan, 6},
    PsKeyword{"xstat", "XSTAT", "", 0, F::Xstat, 4},
};

constexpr bool keywords_sorted() {
  for (std::size_t index = 1; index < kKeywords.size(); ++index)
    if (!(kKeywords[index - 1].name < kKeywords[index].name)) return false;
  return true;
}
static_assert(keywords_sorted(), "findvar() binary-searches the table: keep it sorted");

constexpr std::string_view kSeparators = " \t,\n";  // FMTSEP

void add_column(std::size_t index, std::string_view header_override, bool has_override, bool user_list,
                std::vector<PsColumn>& columns) {
  // Built-in formats (-l, -u, ...) do not repeat a keyword already listed.
  if (!user_list) {
    for (const auto& column : columns)
      if (column.keyword == index) return;
  }
  std::string header(has_override ? header_override : kKeywords[index].header);
  columns.push_back(PsColumn{index, std::move(header)});
}

// findvar(): NAME or NAME=HEADER; aliases are parsed again with the header carried along.
void add_item(std::string_view item, bool user_list, std::vector<PsColumn>& columns,
              ProgramOutput& diagnostics) {
  auto equals = item.find('=');
  std::string_view name = item.substr(0, equals);
  bool has_header = equals != std::string_view::npos;
  std::string_view header = has_header ? item.substr(equals + 1) : std::string_view();
  std::optional<std::size_t> index = find_ps_keyword(name);
  if (!index.has_value()) {
    diagnostics.err(warnx_text("ps", fmt::format("{}: keyword not found", name)));
    diagnostics.set_exit_status(1);
    return;
  }
  const PsKeyword& keyword = kKeywords[*index];
  if (keyword.field == PsField::Alias) {
    std::string target =
        has_header ? fmt::format("{}={}", keyword.alias, header) : std::string(keyword.alias);
    parse_ps_format(target, user_list, columns, diagnostics);
    return;
  }
  add_column(*index, header, has_header, user_list, columns);
}

}  // namespace

std::span<const PsKeyword> ps_keywords() { return kKeywords; }

std::optional<std::size_t> find_ps_keyword(std::string_view name) {
  for (std::size_t index = 0; index < kKeywords.size(); ++index)
    if (kKeywords[index].name == name) return index;
  return std::nullopt;
}

void parse_ps_format(std::string_view list, bool user_list, std::vector<PsColumn>& columns,
                     ProgramOutput& diagnostics) {
  // Mirrors parsefmt()'s strsep() walk; `at_end` stands for strsep's NULL. (Plain values rather
  // than std::optional<std::string_view>, which GCC 12 misreports as uninitialised at -O2.)
  std::string_view rest = list;
  bool at_end = false;
  while (!at_end && !rest.empty()) {
    std::string_view item;
    bool have_item = false;
    std::size_t stop = rest.find_first_of("= \t,\n");
    if (stop != std::string_view::npos && rest[stop] == '=') {
      // An item with '=' names a header that may contain separators: it takes the rest.
      item = rest;
      have_item = true;
      at_end = true;
    } else {
      while (!at_end) {
        std::size_t end = rest.find_first_of(kSeparators);
        std::string_view token = rest.substr(0, end);
        if (end == std::string_view::npos) {
          at_end = true;
        } else {
          rest = rest.substr(end + 1);
        }
        if (!token.empty()) {
          item = token;
          have_item = true;
          break;
        }
      }
    }
    if (have_item) add_item(item, user_list, columns, diagnostics);
  }
}

std::string format_ps_keywords(int terminal_width) {
  PROCSIM_ASSERT(terminal_width >= 0);
  std::string out;
  int used = 0;
  std::string_view separator;
  for (const auto& keyword : kKeywords) {
    int length = static_cast<int>(keyword.name.size());
    used += length + 1;
    if (terminal_width != 0 && used > terminal_width) {
      used = length;
      separator = "\n";
    }
    out += separator;
    out += keyword.name;
    separator = " ";
  }
  out += "\n";
  return out;
}

}  // namespace procsim::userland
