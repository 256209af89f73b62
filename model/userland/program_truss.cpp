// /usr/bin/truss as FreeBSD 4 built it on procfs (spec/procfs.md §6.4): it starts a command
// stopped at its exec or attaches to a running process, sets the stop events with PIOCBIS on
// /proc/PID/mem, and loops on PIOCWAIT/PIOCCONT, reading the registers from /proc/PID/regs and
// strings through mem. Leaves out the SIGINT/SIGTERM/SIGQUIT handler that restores an attached
// process's event mask, -o's stdio buffering, and decoders for arm64 and riscv64 processes.
#include <charconv>

#include <fmt/format.h>

#include "model/kern/syscall_table.h"
#include "model/machine/abi_ops.h"
#include "model/machine/register_file.h"
#include "model/userland/getopt.h"
#include "model/userland/program_errors.h"
#include "model/userland/programs.h"
#include "model/userland/truss_format.h"
#include "sim/base/assert.h"
#include "sim/base/bytes.h"

namespace procsim::userland {

namespace {

constexpr std::string_view kTrussUsage =
    "usage: truss [-S] [-o file] -p pid\n"
    "       truss [-S] [-o file] command [args]\n";

// sys/pioctl.h as FreeBSD 4 spells it: _IO('p', n) for the commands whose int argument is the
// ioctl's argument itself, _IOR('p', n, struct procfs_status) for the two that fill one.
constexpr std::uint32_t kPiocBis = 0x20007001;
constexpr std::uint32_t kPiocBic = 0x20007002;
constexpr std::uint32_t kPiocSfl = 0x20007003;
constexpr std::uint32_t kPiocWait = 0x40207004;
constexpr std::uint32_t kPiocCont = 0x20007005;
constexpr std::uint32_t kPiocStatus = 0x40207006;
// struct procfs_status on LP64: state, flags, events, why, val.
constexpr std::size_t kProcfsStatusBytes = 32;

// Stop events and PF_LINGER (sys/pioctl.h).
constexpr std::uint32_t kSExec = 0x01;
constexpr std::uint32_t kSSig = 0x02;
constexpr std::uint32_t kSSce = 0x04;
constexpr std::uint32_t kSScx = 0x08;
constexpr std::uint32_t kSCore = 0x10;
constexpr std::uint32_t kSExit = 0x20;
constexpr std::uint32_t kPfLinger = 0x01;

constexpr int kFSetfd = 2;
constexpr int kSigint = 2;
constexpr int kSigquit = 3;
constexpr int kSigterm = 15;
// _PATH_DEFPATH: execvp's search path when PATH is unset.
constexpr std::string_view kExecvpDefaultPath = "/usr/bin:/bin";

// Limits: the stops one truss follows, the rounds in a row it tolerates in which neither
// PIOCWAIT nor PIOCCONT worked, the bytes one string argument shows, what set_etype
// reads (its progt[32]) and the piece one read of the target's memory asks for.
constexpr std::size_t kTrussStopsMax = 1'000'000;
constexpr std::size_t kTrussFailedRoundsMax = 3;
constexpr std::size_t kTrussStringBytesMax = 4096;
constexpr std::size_t kEtypeBytesMax = 32;
constexpr std::uint64_t kMemPieceBytes = 256;

struct ProcfsStatus {
  std::int32_t state = 0;
  std::uint32_t flags = 0;
  std::uint64_t events = 0;
  std::uint32_t why = 0;
  std::uint64_t val = 0;
};

ProcfsStatus decode_status(std::span<const std::uint8_t> bytes) {
  PROCSIM_ASSERT(bytes.size() == kProcfsStatusBytes);
  ProcfsStatus status;
  status.state = base::load_le<std::int32_t>(bytes, 0);
  status.flags = base::load_le<std::uint32_t>(bytes, 4);
  status.events = base::load_le<std::uint64_t>(bytes, 8);
  status.why = base::load_le<std::uint32_t>(bytes, 16);
  status.val = base::load_le<std::uint64_t>(bytes, 24);
  // PIOCWAIT and PIOCSTATUS report 0 (stopped) or 1 (running).
  PROCSIM_ASSERT(status.state == 0 || status.state == 1);
  return status;
}

// The decoders truss is built with (an amd64 truss), one row per execution type: the text of
// procfs `etype`, the ABI whose struct reg a 64-bit reader gets from `regs`, and the ABI whose
// system-call convention the process follows (an ia32 process's registers come in the amd64
// layout, its arguments on its stack). The first row is the one an unknown type falls back to.
struct ExecutionType {
  std::string_view etype;
  machine::Abi layout_abi;
  machine::Abi call_abi;
};
constexpr std::array kExecutionTypes = {
    ExecutionType{"FreeBSD ELF64", machine::Abi::Amd64, machine::Abi::Amd64},
    ExecutionType{"FreeBSD ELF32", machine::Abi::Amd64, machine::Abi::Ia32},
};

// atoi(3): leading blanks, a sign, digits; anything else ends the number.
std::int32_t parse_atoi(std::string_view text) {
  std::size_t at = text.find_first_not_of(" \t\n\v\f\r");
  if (at == std::string_view::npos) return 0;
  text.remove_prefix(at);
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  std::int32_t value = 0;
  (void)std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

struct TrussOptions {
  std::int32_t pid = 0;
  std::optional<std::string> output_path;
  bool trace_signals = true;
  std::vector<std::string> command;
};

// A truss that has to stop: the status it exits with (err(3) has printed why).
struct TrussExit {
  int status = 0;
};
template <typename T>
using TrussResult = base::Result<T, TrussExit>;

// fsc: the call the last S_SCE stop announced.
struct PendingCall {
  std::optional<std::string_view> name;  // nullopt: no entry was seen, or the number is unknown
  const kern::SyscallRow* row = nullptr;
  std::vector<std::uint64_t> args;
  std::vector<std::optional<std::string>> shown;
};

class Truss {
 public:
  Truss(ProgramContext& context, TrussOptions options) : m_context(&context), m_options(std::move(options)) {}

  int run();

 private:
  Usys& sys() { return m_context->sys; }
  void put(std::string_view text);
  void warn(std::string_view message, vfs::Errno error);
  TrussExit fail(int status, std::string_view message, vfs::Errno error);

  TrussResult<std::int32_t> setup_and_wait();
  kern::Program::Entry traced_child() const;
  TrussResult<bool> start_tracing(std::uint32_t events);
  void set_etype();
  TrussResult<void> follow();
  void dispatch(const ProcfsStatus& status, bool& in_exec);

  std::optional<machine::CpuState> read_registers(vfs::OpenFlags open_flags);
  std::optional<std::uint64_t> read_word(std::uint64_t address);
  std::string read_string(std::uint64_t address);
  void syscall_entry(std::uint64_t nargs);
  void syscall_exit();

  ProgramContext* m_context;
  TrussOptions m_options;
  std::int32_t m_pid = 0;
  std::optional<int> m_output_fd;
  int m_mem_fd = -1;
  std::optional<int> m_regs_fd;
  const ExecutionType* m_type = &kExecutionTypes.front();
  std::optional<PendingCall> m_call;
  std::uint64_t m_sigexit = 0;
};

void Truss::put(std::string_view text) {
  if (m_output_fd.has_value()) {
    (void)sys().write_all(*m_output_fd, text);
    return;
  }
  m_context->io.err(text);
}

void Truss::warn(std::string_view message, vfs::Errno error) {
  m_context->io.err(warn_text(m_context->progname(), message, strerror_text(error)));
}

TrussExit Truss::fail(int status, std::string_view message, vfs::Errno error) {
  warn(message, error);
  return TrussExit{status};
}

// The child truss forks for a command: it arms its own S_EXEC and S_EXIT stops through
// /proc/curproc/mem, with PF_LINGER so that exec's closing of that descriptor keeps them, then
// execs the command and stops at the end of the exec.
kern::Program::Entry Truss::traced_child() const {
  std::string progname = m_context->progname();
  std::string path = m_context->getenv("PATH").value_or(std::string(kExecvpDefaultPath));
  std::vector<std::string> command = m_options.command;
  std::vector<std::string> environment = m_context->args.envp;
  return [progname, path, command, environment](kern::UserContext& user) {
    Usys sys(user);
    auto fd = sys.open("/proc/curproc/mem", vfs::kOWronly);
    if (fd.is_error()) {
      (void)sys.write_all(kStderr,
                          warn_text(progname, "cannot open /proc/curproc/mem", strerror_text(fd.error())));
      return 2;
    }
    (void)sys.fcntl(fd.value(), kFSetfd, 1);
    if (auto armed = sys.ioctl_value(fd.value(), kPiocBis, kSExec | kSExit); armed.is_error()) {
      (void)sys.write_all(kStderr, warn_text(progname, "PIOCBIS", strerror_text(armed.error())));
      return 3;
    }
    if (auto linger = sys.ioctl_value(fd.value(), kPiocSfl, kPfLinger); linger.is_error()) {
      (void)sys.write_all(kStderr,
                          warn_text(progname, "cannot set PF_LINGER", strerror_text(linger.error())));
    }
    vfs::Errno error = execvp(sys, path, command, environment);
    // ioctl(fd, PIOCBIC, ~0): the int -1 as the argument word.
    (void)sys.ioctl_value(fd.value(), kPiocBic, kern::sarg(-1));
    (void)sys.write_all(kStderr, warn_text(progname, "execvp " + command.front(), strerror_text(error)));
    return 4;
  };
}

// setup_and_wait(): fork the command, then wait on its mem for the exec (or exit) stop.
TrussResult<std::int32_t> Truss::setup_and_wait() {
  PROCSIM_ASSERT(!m_options.command.empty());
  auto forked = sys().fork(traced_child());
  if (forked.is_error()) return base::fail(fail(1, "fork failed", forked.error()));
  std::int32_t pid = forked.value();
  PROCSIM_ASSERT(pid > 0);
  // The child already gone means its exec failed and it said so: quietly give up.
  auto early = sys().wait4(pid, kWnohang);
  if (early.is_error() || early.value().pid != 0) return base::fail(TrussExit{1});
  std::string mem_path = fmt::format("/proc/{}/mem", pid);
  auto fd = sys().open(mem_path, vfs::kORdwr);
  if (fd.is_error()) return base::fail(fail(5, "cannot open " + mem_path, fd.error()));
  std::array<std::uint8_t, kProcfsStatusBytes> raw{};
  if (auto waited = sys().ioctl(fd.value(), kPiocWait, raw); waited.is_error()) {
    return base::fail(fail(6, "PIOCWAIT", waited.error()));
  }
  if (decode_status(raw).why == kSExit) {
    m_context->io.err("process exited before exec'ing\n");
    (void)sys().ioctl_value(fd.value(), kPiocCont, 0);
    (void)sys().wait4(-1, 0);
    return base::fail(TrussExit{7});
  }
  (void)sys().close(fd.value());
  return pid;
}

// start_tracing(): open the target's mem for good and add truss's events. false: the process
// went away before truss could open it (or kill(2) cannot reach it either), and truss ends.
TrussResult<bool> Truss::start_tracing(std::uint32_t events) {
  std::string mem_path = fmt::format("/proc/{}/mem", m_pid);
  auto fd = sys().open(mem_path, vfs::kORdwr);
  if (fd.is_error()) {
    if (sys().kill(m_pid, 0).is_error()) return false;
    return base::fail(fail(8, "cannot open " + mem_path, fd.error()));
  }
  m_mem_fd = fd.value();
  std::array<std::uint8_t, kProcfsStatusBytes> raw{};
  if (auto status = sys().ioctl(m_mem_fd, kPiocStatus, raw); status.is_error()) {
    return base::fail(fail(10, "cannot get procfs status struct", status.error()));
  }
  if (auto armed = sys().ioctl_value(m_mem_fd, kPiocBis, events); armed.is_error()) {
    return base::fail(fail(9, "cannot set procfs event bit mask", armed.error()));
  }
  // Dropping PF_LINGER: should truss die, its last close of mem releases the process.
  if (auto cleared = sys().ioctl_value(m_mem_fd, kPiocSfl, 0); cleared.is_error()) {
    warn("cannot clear PF_LINGER", cleared.error());
  }
  return true;
}

// set_etype(): the decoder for the target's execution type, read from /proc/PID/etype (its
// last byte, the newline, cut). An unreadable etype counts as the first row's.
void Truss::set_etype() {
  std::string etype(kExecutionTypes.front().etype);
  if (auto fd = sys().open(fmt::format("/proc/{}/etype", m_pid), vfs::kORdonly); fd.ok()) {
    auto text = sys().read(fd.value(), kEtypeBytesMax);
    if (text.ok() && !text.value().empty()) etype = text.value().substr(0, text.value().size() - 1);
    (void)sys().close(fd.value());
  }
  for (const ExecutionType& row : kExecutionTypes) {
    if (row.etype == etype) {
      m_type = &row;
      return;
    }
  }
  m_type = &kExecutionTypes.front();
  m_context->io.err(warnx_text(
      m_context->progname(),
      fmt::format("Execution type {} is not supported -- using {}", etype, kExecutionTypes.front().etype)));
}

// The registers of the target's stopped thread, as /proc/PID/regs gives them (opened once and
// read from offset 0 each time), decoded with the execution type's struct reg.
std::optional<machine::CpuState> Truss::read_registers(vfs::OpenFlags open_flags) {
  if (!m_regs_fd.has_value()) {
    auto fd = sys().open(fmt::format("/proc/{}/regs", m_pid), open_flags);
    if (fd.is_error()) {
      put("-- CANNOT OPEN REGISTERS --\n");
      return std::nullopt;
    }
    m_regs_fd = fd.value();
  }
  const machine::RegLayout& layout = machine::register_layout(m_type->layout_abi, machine::RegSet::Reg);
  (void)sys().lseek(*m_regs_fd, 0, vfs::kSeekSet);
  auto bytes = sys().read(*m_regs_fd, layout.size_bytes);
  if (bytes.is_error() || bytes.value().size() != layout.size_bytes) {
    put("-- CANNOT READ REGISTERS --\n");
    return std::nullopt;
  }
  // A fresh user state of the layout's ABI to decode into: the write checks then accept any
  // user flags. The convention is the process's own.
  const machine::AbiInfo& abi = machine::abi_info(m_type->layout_abi);
  machine::CpuState state = machine::initial_state(m_type->layout_abi, abi.text_base, abi.usrstack);
  auto raw = std::span(reinterpret_cast<const std::uint8_t*>(bytes.value().data()), bytes.value().size());
  if (machine::set_registers(layout, state, raw).is_error()) {
    put("-- CANNOT READ REGISTERS --\n");
    return std::nullopt;
  }
  PROCSIM_ASSERT(state.abi == m_type->layout_abi);
  PROCSIM_ASSERT(machine::abi_info(m_type->call_abi).arch == abi.arch);
  state.abi = m_type->call_abi;
  return state;
}

std::optional<std::uint64_t> Truss::read_word(std::uint64_t address) {
  std::size_t word_bytes = machine::abi_info(m_type->call_abi).pointer_size_bytes;
  PROCSIM_ASSERT(word_bytes == 4 || word_bytes == 8);
  PROCSIM_ASSERT(m_mem_fd >= 0);
  if (sys().lseek(m_mem_fd, static_cast<std::int64_t>(address), vfs::kSeekSet).is_error())
    return std::nullopt;
  auto bytes = sys().read(m_mem_fd, word_bytes);
  if (bytes.is_error() || bytes.value().size() != word_bytes) return std::nullopt;
  auto raw = std::span(reinterpret_cast<const std::uint8_t*>(bytes.value().data()), word_bytes);
  return word_bytes == 8 ? base::load_le<std::uint64_t>(raw, 0) : base::load_le<std::uint32_t>(raw, 0);
}

// get_string(): the bytes at `address` up to a NUL, read through mem a piece at a time (never
// across a page, so a string at the end of a mapping reads whole); what was read when a read
// fails.
std::string Truss::read_string(std::uint64_t address) {
  std::string text;
  std::uint64_t page = machine::arch_info(machine::abi_info(m_type->call_abi).arch).page_size_bytes;
  while (text.size() < kTrussStringBytesMax) {
    std::uint64_t at = address + text.size();
    std::uint64_t piece = std::min(kMemPieceBytes, page - at % page);
    if (sys().lseek(m_mem_fd, static_cast<std::int64_t>(at), vfs::kSeekSet).is_error()) break;
    auto bytes = sys().read(m_mem_fd, piece);
    if (bytes.is_error() || bytes.value().empty()) break;
    std::size_t nul = bytes.value().find('\0');
    text += bytes.value().substr(0, nul);
    if (nul != std::string::npos) break;
  }
  if (text.size() > kTrussStringBytesMax) text.resize(kTrussStringBytesMax);
  PROCSIM_ASSERT(text.find('\0') == std::string::npos);
  return text;
}

// S_SCE (val: the argument count): the call's number and arguments from the registers (the
// rest from the stack through mem), shown by the kernel table's formats. exit and execve do not
// come back, so they are printed now.
void Truss::syscall_entry(std::uint64_t nargs) {
  m_call.reset();
  std::optional<machine::CpuState> state = read_registers(vfs::kORdwr);
  if (!state.has_value()) return;
  machine::SyscallRequest request = machine::syscall_request(*state);
  PendingCall call;
  if (request.number <= UINT32_MAX) call.row = kern::syscall_row(static_cast<std::uint32_t>(request.number));
  if (call.row != nullptr) {
    call.name = call.row->name;
  } else {
    put(fmt::format("-- UNKNOWN SYSCALL {} --\n", static_cast<std::int32_t>(request.number)));
  }
  if (nargs == 0) {
    m_call = std::move(call);
    return;
  }
  for (std::uint64_t i = 0; i < nargs && i < request.register_args.size(); ++i) {
    if (i < request.register_arg_count) {
      call.args.push_back(request.register_args[i]);
      continue;
    }
    std::uint64_t word_bytes = machine::abi_info(m_type->call_abi).pointer_size_bytes;
    call.args.push_back(
        read_word(request.stack_args_address + (i - request.register_arg_count) * word_bytes).value_or(0));
  }
  std::size_t count = call.row != nullptr ? call.row->nargs : call.args.size();
  call.shown.resize(count);
  if (call.row != nullptr) {
    auto reader = [this](std::uint64_t address) { return read_string(address); };
    for (std::size_t i = 0; i < count && i < call.args.size(); ++i) {
      call.shown[i] = format_truss_argument(call.row->args[i], call.args[i], reader);
    }
    kern::Sysno number = call.row->number;
    if (number == kern::Sysno::Exit || number == kern::Sysno::Execve) {
      put(format_truss_call(call.name, call.shown) + "\n");
    }
  }
  m_call = std::move(call);
}

// S_SCX: the result from the return register and the ABI's error indication. A call whose
// entry truss did not see (it attached in the middle of it) prints as "(null)()".
void Truss::syscall_exit() {
  std::optional<machine::CpuState> state = read_registers(vfs::kORdonly);
  if (!state.has_value()) return;
  const machine::SyscallConvention& convention = machine::abi_info(m_type->call_abi).syscall;
  auto retval = static_cast<std::int64_t>(state->gpr[convention.return_gpr]);
  bool error = convention.error_report == machine::SyscallErrorReport::CarryFlag
                   ? (state->flags & convention.carry_flag_mask) != 0
                   : state->gpr[convention.error_gpr] != 0;
  PendingCall call = m_call.value_or(PendingCall{});
  if (call.row == nullptr) {
    // A call truss has no description of shows its argument words in hex.
    for (std::size_t i = 0; i < call.shown.size() && i < call.args.size(); ++i) {
      call.shown[i] = fmt::format("{:#x}", call.args[i]);
    }
  }
  put(format_truss_call(call.name, call.shown) + format_truss_result(error, retval));
  m_call.reset();
}

// One stop, by why. The exit stop that follows an exec is skipped, so an exec prints once (and
// the fork return that created a command is never shown).
void Truss::dispatch(const ProcfsStatus& status, bool& in_exec) {
  switch (status.why) {
    case kSSce: syscall_entry(status.val); return;
    case kSScx:
      if (in_exec) {
        in_exec = false;
        return;
      }
      syscall_exit();
      return;
    case kSSig:
      put(format_truss_signal(status.val));
      m_sigexit = status.val;
      return;
    case kSExit: put(format_truss_exit(status.val)); return;
    case kSExec:
      set_etype();
      in_exec = true;
      return;
    default: put(format_truss_unknown_stop(status.why)); return;
  }
}

// The main loop: wait for a stop, print it, continue the process, until its exit stop. A
// failed PIOCCONT on a process that no longer exists ends the loop too. truss gives up after
// a few rounds in which both ioctls failed: a killed child stays a zombie that kill(2) still
// reaches, and FreeBSD's truss would warn about it for ever.
TrussResult<void> Truss::follow() {
  bool in_exec = false;
  std::array<std::uint8_t, kProcfsStatusBytes> raw{};
  ProcfsStatus status;
  std::size_t failed_rounds = 0;
  for (std::size_t stop = 0; stop < kTrussStopsMax && failed_rounds < kTrussFailedRoundsMax; ++stop) {
    bool waited_ok = true;
    if (auto waited = sys().ioctl(m_mem_fd, kPiocWait, raw); waited.is_error()) {
      warn("PIOCWAIT top of loop", waited.error());
      waited_ok = false;
    } else {
      status = decode_status(raw);
      dispatch(status, in_exec);
    }
    bool continued_ok = true;
    if (auto continued = sys().ioctl_value(m_mem_fd, kPiocCont, 0); continued.is_error()) {
      auto alive = sys().kill(m_pid, 0);
      if (alive.is_error() && alive.error() == vfs::Errno::Esrch) return {};
      warn("PIOCCONT", continued.error());
      continued_ok = false;
    }
    failed_rounds = waited_ok || continued_ok ? 0 : failed_rounds + 1;
    PROCSIM_ASSERT(failed_rounds <= kTrussFailedRoundsMax);
    if (status.why == kSExit) return {};
  }
  return {};
}

int Truss::run() {
  if (m_options.output_path.has_value()) {
    auto fd = sys().open(*m_options.output_path, vfs::kOWronly | vfs::kOCreat | vfs::kOTrunc, 0666);
    if (fd.is_error()) {
      m_context->io.err(warnx_text(m_context->progname(), "cannot open " + *m_options.output_path));
      return 1;
    }
    m_output_fd = fd.value();
  }
  // truss's own command ignores the terminal's signals, which reach the traced command too.
  m_pid = m_options.pid;
  if (m_pid == 0) {
    auto started = setup_and_wait();
    if (started.is_error()) return started.error().status;
    m_pid = started.value();
    for (int signal : {kSigint, kSigterm, kSigquit}) (void)sys().set_signal_disposition(signal, true);
  }
  std::uint32_t events = kSExec | kSSce | kSScx | kSCore | kSExit | (m_options.trace_signals ? kSSig : 0);
  auto tracing = start_tracing(events);
  if (tracing.is_error()) return tracing.error().status;
  if (!tracing.value()) return 0;
  set_etype();
  if (auto followed = follow(); followed.is_error()) return followed.error().status;
  // The last signal the process saw ends truss the same way (SIGQUIT as an exit status).
  if (m_sigexit == 0) return 0;
  auto signal = static_cast<int>(m_sigexit);
  if (signal == kSigquit) return signal;
  (void)sys().set_signal_disposition(signal, false);
  (void)sys().kill(sys().getpid(), signal);
  return 0;
}

}  // namespace

int truss_main(ProgramContext& context) {
  std::span<const std::string> arguments(context.args.argv);
  if (!arguments.empty()) arguments = arguments.subspan(1);
  GetoptResult parsed = parse_options(context.progname(), arguments, "p:o:S");
  TrussOptions options;
  bool usage = !parsed.ok();
  if (!usage) {
    for (const ParsedOption& option : parsed.options) {
      if (option.letter == 'p') options.pid = parse_atoi(option.argument.value_or(""));
      if (option.letter == 'o') options.output_path = option.argument;
      if (option.letter == 'S') options.trace_signals = false;
    }
    options.command = parsed.operands;
    usage = (options.pid == 0) == options.command.empty();
  }
  if (usage) {
    context.io.err(parsed.error);
    context.io.err(kTrussUsage);
    return 1;
  }
  Truss truss(context, std::move(options));
  return truss.run();
}

}  // namespace procsim::userland
