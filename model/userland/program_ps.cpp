// /bin/ps: reads every process from sysctl kern.proc (one kinfo_proc record each, kinfo_proc.h)
// and each process's arguments from kern.proc.args, names ids from the account files and
// terminals from /dev, then prints with ps_format.h. The terminal width is $COLUMNS or 79
// (TIOCGWINSZ is not modelled, so ps reads its terminal as 80 columns wide).
#include <array>
#include <charconv>

#include <fmt/format.h>

#include "model/kern/kinfo_proc.h"
#include "model/userland/programs.h"
#include "model/userland/ps_format.h"
#include "sim/base/assert.h"

namespace procsim::userland {

namespace {

constexpr std::int32_t kCtlKern = 1;
constexpr std::int32_t kKernProc = 14;
constexpr std::int32_t kKernProcArgs = 7;
constexpr std::int32_t kKernProcProc = 8;
// How much of the process table one ps reads (records of kKinfoProcBytes).
constexpr std::size_t kProcTableBytesMax = 512 * kern::kKinfoProcBytes;
constexpr std::size_t kArgsBytesMax = 4096;

std::optional<std::vector<std::string>> read_arguments(Usys& sys, std::int32_t pid) {
  std::array<std::int32_t, 4> name = {kCtlKern, kKernProc, kKernProcArgs, pid};
  auto raw = sys.sysctl(name, kArgsBytesMax);
  if (raw.is_error() || raw.value().empty()) return std::nullopt;
  std::vector<std::string> argv;
  std::string_view rest = raw.value();
  while (!rest.empty()) {
    std::size_t nul = rest.find('\0');
    argv.emplace_back(rest.substr(0, nul));
    if (nul == std::string_view::npos) break;
    rest.remove_prefix(nul + 1);
  }
  return argv;
}

std::optional<PsTty> terminal_of(Usys& sys, const std::string& name) {
  if (name.empty()) return std::nullopt;
  auto sb = sys.stat("/dev/" + name);
  std::uint32_t device = sb.ok() ? sb.value().rdev : 0;
  return PsTty{name, device, vfs::dev_major(device), device & 0xffff00ffU};
}

PsProcess ps_process(Usys& sys, const kern::KinfoProc& k, const AccountNames& names) {
  PsProcess p;
  p.pid = k.pid;
  p.ppid = k.ppid;
  p.pgid = k.pgid;
  p.sid = k.sid;
  p.tpgid = k.tpgid;
  p.tsid = k.tsid;
  p.jobc = k.jobc;
  p.tid = k.tid;
  p.uid = k.uid;
  p.ruid = k.ruid;
  p.svuid = k.svuid;
  p.rgid = k.rgid;
  p.svgid = k.svgid;
  p.user_name = names.user_name(k.uid);
  p.ruser_name = names.user_name(k.ruid);
  p.rgroup_name = names.group_name(k.rgid);
  p.comm = k.comm;
  p.argv = read_arguments(sys, k.pid);
  p.login = k.login;
  p.emulation = k.emul;
  p.state = static_cast<PsState>(static_cast<int>(k.stat));
  p.flags = k.flag;
  p.sleep_interruptible = k.sleep_interruptible != 0;
  p.session_leader = (k.kiflag & kern::kKiSleader) != 0;
  p.has_controlling_tty = (k.kiflag & kern::kKiCtty) != 0;
  p.tty = terminal_of(sys, k.tty);
  p.nice = k.nice;
  p.priority_level = k.pri_level;
  p.priority_user = k.pri_user;
  p.runtime_usec = k.runtime_usec;
  p.user_usec = k.user_usec;
  p.system_usec = k.system_usec;
  p.start_seconds = k.start_seconds;
  p.wchan = k.wchan;
  p.wmesg = k.wmesg;
  p.numthreads = k.numthreads;
  p.xstat = static_cast<std::uint16_t>(k.xstat);
  p.sig_pending = k.siglist;
  p.sig_caught = k.sigcatch;
  p.sig_ignored = k.sigignore;
  p.sig_blocked = k.sigmask;
  return p;
}

int terminal_width(const ProgramContext& context) {
  constexpr int kDefaultWidth = 79;
  std::optional<std::string> columns = context.getenv("COLUMNS");
  int width = 0;
  if (columns) {
    auto [ptr, ec] = std::from_chars(columns->data(), columns->data() + columns->size(), width);
    if (ec == std::errc() && ptr == columns->data() + columns->size() && width > 0) return width;
  }
  return kDefaultWidth;
}

}  // namespace

int ps_main(ProgramContext& context) {
  std::span<const std::string> arguments(context.args.argv);
  if (!arguments.empty()) arguments = arguments.subspan(1);
  auto invocation = parse_ps_arguments(arguments, terminal_width(context));
  if (invocation.is_error()) {
    context.io.emit(invocation.error());
    return invocation.error().exit_status();
  }
  std::array<std::int32_t, 3> name = {kCtlKern, kKernProc, kKernProcProc};
  auto table = context.sys.sysctl(name, kProcTableBytesMax);
  if (table.is_error()) {
    context.io.err(fmt::format("ps: kvm_getprocs: {}\n", strerror_text(table.error())));
    return 1;
  }
  AccountNames names(context.sys);
  std::vector<PsProcess> processes;
  std::string_view raw = table.value();
  for (std::size_t at = 0; at + kern::kKinfoProcBytes <= raw.size(); at += kern::kKinfoProcBytes) {
    auto bytes = std::span(reinterpret_cast<const std::uint8_t*>(raw.data() + at), kern::kKinfoProcBytes);
    std::optional<kern::KinfoProc> record = kern::decode_kinfo_proc(bytes);
    PROCSIM_ASSERT_MSG(record.has_value(), "kern.proc returned a malformed record");
    processes.push_back(ps_process(context.sys, *record, names));
  }
  PsContext ps_context;
  ps_context.real_uid = context.sys.getuid();
  ps_context.now_seconds = context.sys.time_of_day_seconds().value_or(0);
  ProgramOutput output = format_ps(invocation.value(), ps_context, processes);
  context.io.emit(output);
  return output.exit_status();
}

}  // namespace procsim::userland
