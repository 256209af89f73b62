// The keyword table of FreeBSD 8.3 ps (bin/ps/keyword.c), one row per keyword in the
// table's alphabetical order, which is also the order `ps -L` prints. Internal to the ps
// module (ps_format.cpp, ps_keywords.cpp): programs use ps_format.h.
// Leaves out the printf formats and structure offsets: each row names a field instead.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace procsim::userland {

// VAR flags (bin/ps/ps.h).
inline constexpr std::uint8_t kPsLjust = 0x01;   // left-justified; the last column is not padded
inline constexpr std::uint8_t kPsUser = 0x02;    // needs the u-area (ki_valid)
inline constexpr std::uint8_t kPsComm = 0x04;    // needs the argument vector
inline constexpr std::uint8_t kPsDsiz = 0x08;    // width follows the widest value, up to `width`
inline constexpr std::uint8_t kPsInf127 = 0x10;  // values above 127 print as 127

// Which value a keyword prints (the oproc of each VAR, with kvar/rvar split per field).
enum class PsField : std::uint8_t {
  Alias,
  Pcpu,
  Pmem,
  Acflag,
  Args,
  Command,
  Ucomm,
  Estcpu,
  Emul,
  Elapsed,
  Flag,
  Inblock,
  Jid,
  Jobc,
  Ktrace,
  Label,
  Lim,
  Lockname,
  Login,
  Lstart,
  Lwp,
  Majflt,
  Minflt,
  Msgrcv,
  Msgsnd,
  Mwchan,
  Nice,
  Nivcsw,
  Nlwp,
  Nsigs,
  Nswap,
  Nvcsw,
  Nwchan,
  Oublock,
  Paddr,
  Pagein,
  Pgid,
  Pid,
  Ppid,
  Pri,
  Re,
  Rgid,
  Rgroup,
  Rss,
  Rtprio,
  Ruid,
  Ruser,
  Sid,
  Sig,
  Sigcatch,
  Sigignore,
  Sigmask,
  Sl,
  Start,
  State,
  Svgid,
  Svuid,
  Systime,
  Tdaddr,
  Tdev,
  Tdnam,
  Time,
  Tpgid,
  Tsid,
  Tsiz,
  Tt,
  Tty,
  Uid,
  Upr,
  User,
  Usertime,
  Vsz,
  Wchan,
  Xstat,
};

// Widths that depend on the machine: sizeof(void *) * 2 hex digits.
inline constexpr int kPsPointerWidth = -1;

struct PsKeyword {
  std::string_view name;
  std::string_view header;
  std::string_view alias;  // for Alias rows: the keyword this name stands for
  std::uint8_t flags;
  PsField field;
  int width;  // default width, or the cap for kPsDsiz rows
};

std::span<const PsKeyword> ps_keywords();
std::optional<std::size_t> find_ps_keyword(std::string_view name);

}  // namespace procsim::userland
