// The host-implemented programs of /bin, /sbin and /usr/bin, as main functions over the C
// runtime (program_runtime.h), and the pure halves of their command lines and output that
// unit tests check without a kernel. Each program's behaviour is FreeBSD 8.3's; the reference
// pages in docs/programs/ say what each prints and which options it takes.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "model/userland/program_output.h"
#include "model/userland/program_runtime.h"
#include "sim/base/result.h"

namespace procsim::userland {

int true_main(ProgramContext& context);
int false_main(ProgramContext& context);
int echo_main(ProgramContext& context);
int cat_main(ProgramContext& context);
int sleep_main(ProgramContext& context);
int kill_main(ProgramContext& context);
int hexdump_main(ProgramContext& context);
int env_main(ProgramContext& context);
int id_main(ProgramContext& context);
int dmesg_main(ProgramContext& context);
int ls_main(ProgramContext& context);
int ps_main(ProgramContext& context);
int sh_main(ProgramContext& context);
int truss_main(ProgramContext& context);
int dbg_main(ProgramContext& context);

// echo's words and whether the trailing newline is printed ("-n", or "\c" ending the last word).
std::string echo_text(std::span<const std::string> arguments);

// sleep(1)'s operand as seconds and nanoseconds; nullopt for a usage error. Negative and zero
// durations give {0, 0}: sleep returns at once.
struct SleepDuration {
  std::int64_t seconds = 0;
  std::int64_t nanoseconds = 0;
  bool operator==(const SleepDuration&) const = default;
};
std::optional<SleepDuration> parse_sleep_duration(std::string_view operand);

// kill(1)'s command line. Either the whole output (-l, usage and signal errors, with the exit
// status) or the signal to send and the pid operands, which are checked one by one as kill
// reaches them.
struct KillPlan {
  int signal = 15;
  std::vector<std::string> operands;
};
base::Result<KillPlan, ProgramOutput> parse_kill_arguments(std::span<const std::string> arguments);
// A pid operand: strtol with nothing left over, or nullopt ("illegal process id").
std::optional<std::int32_t> parse_kill_pid(std::string_view operand);

// dmesg's rendering of the message buffer: leading NULs dropped, syslog "<N>" prefixes of
// kernel-facility lines removed, other control characters made visible as vis(3) does.
std::string format_dmesg(std::string_view buffer);

// id(1) without options: "uid=N(name) gid=N(name)[ euid=..][ egid=..] groups=N(name),..."
struct IdFacts {
  std::uint32_t uid = 0, gid = 0, euid = 0, egid = 0;
  std::vector<std::uint32_t> groups;
};
using NameLookup = std::function<std::optional<std::string>(std::uint32_t id)>;
std::string format_id(const IdFacts& facts, const NameLookup& user_name, const NameLookup& group_name);

}  // namespace procsim::userland
