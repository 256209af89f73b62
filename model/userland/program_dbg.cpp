// /usr/bin/dbg, a small teaching debugger that drives another process only through procfs:
// ctl for attach, wait, step, run and detach (spec/procfs.md §4), mem for breakpoints and
// memory (§5.2) and regs for the registers (§5.3), decoded by field name from the machine's
// struct reg. Leaves out symbols, disassembly, watchpoints, fpregs and dbregs, and re-arming a
// breakpoint after it was hit: a hit breakpoint is removed (docs/programs/dbg.md).
#include <algorithm>

#include <fmt/format.h>

#include "model/machine/arch.h"
#include "model/machine/reg_layout.h"
#include "model/userland/program_errors.h"
#include "model/userland/programs.h"
#include "sim/base/assert.h"
#include "sim/base/bytes.h"
#include "sim/base/text.h"

namespace procsim::userland {

namespace {

constexpr std::string_view kDbgUsage = "usage: dbg pid [command ...]\n";
constexpr std::string_view kPrompt = "(dbg) ";
// Limits: commands one run obeys, bytes one line of standard input holds, bytes `x` shows,
// breakpoints planted at once, and the width of a line of registers.
constexpr std::size_t kCommandsMax = 1000;
constexpr std::size_t kLineBytesMax = 1024;
constexpr std::uint64_t kExamineBytesMax = 4096;
constexpr std::size_t kBreakpointsMax = 64;
constexpr std::size_t kRegisterLineColumns = 72;
constexpr std::size_t kExamineBytesPerLine = 16;
constexpr std::uint32_t kModeTypeMask = 0170000;
constexpr std::uint32_t kModeCharDevice = 0020000;

// hw.machine_arch, as the kernel names each architecture.
struct MachineArchRow {
  std::string_view machine_arch;
  machine::Arch arch;
};
constexpr std::array kMachineArchs = {
    MachineArchRow{"i386", machine::Arch::I386},
    MachineArchRow{"amd64", machine::Arch::Amd64},
    MachineArchRow{"aarch64", machine::Arch::Arm64},
    MachineArchRow{"riscv64", machine::Arch::Riscv64},
};

struct Breakpoint {
  std::uint64_t address = 0;
  std::string original;  // the bytes the breakpoint instruction replaced
};

class Dbg;
using CommandHandler = bool (Dbg::*)(std::span<const std::string_view> words);

// One row per command: its name, how many operands it takes, and what does it.
struct CommandRow {
  std::string_view name;
  std::size_t operands;
  CommandHandler handler;
};

class Dbg {
 public:
  Dbg(ProgramContext& context, std::int32_t pid, const machine::ArchInfo& arch)
      : m_context(&context), m_pid(pid), m_arch(&arch) {}

  // Obeys one command line; false when it asked to stop (quit).
  bool obey(std::string_view line);
  bool failed() const { return m_failed; }

  bool attach(std::span<const std::string_view> words);
  bool wait(std::span<const std::string_view> words);
  bool set_break(std::span<const std::string_view> words);
  bool remove_break(std::span<const std::string_view> words);
  bool cont(std::span<const std::string_view> words);
  bool step(std::span<const std::string_view> words);
  bool regs(std::span<const std::string_view> words);
  bool examine(std::span<const std::string_view> words);
  bool detach(std::span<const std::string_view> words);
  bool quit(std::span<const std::string_view> words);

 private:
  Usys& sys() { return m_context->sys; }
  void say(std::string_view text) { m_context->io.out(text); }
  bool complain(std::string_view object, vfs::Errno error);
  bool complain(std::string_view message);
  bool open_node(std::string_view name, vfs::OpenFlags flags, std::optional<int>& fd);
  bool open_mem() { return open_node("mem", vfs::kORdwr, m_mem_fd); }
  bool open_regs() { return open_node("regs", vfs::kORdwr, m_regs_fd); }
  bool control(std::string_view verb);
  SysResult<std::string> read_memory(std::uint64_t address, std::uint64_t length);
  SysResult<void> write_memory(std::uint64_t address, std::string_view bytes);
  SysResult<std::string> read_registers();
  const machine::RegField* pc_field() const;
  void report_stop();
  std::optional<std::uint64_t> address_operand(std::string_view text);

  ProgramContext* m_context;
  std::int32_t m_pid;
  const machine::ArchInfo* m_arch;
  std::optional<int> m_ctl_fd;
  std::optional<int> m_mem_fd;
  std::optional<int> m_regs_fd;
  std::vector<Breakpoint> m_breakpoints;  // in the order they were set
  bool m_failed = false;
  bool m_gone = false;  // the process has no procfs directory
};

constexpr std::array kCommands = {
    CommandRow{"attach", 0, &Dbg::attach},   CommandRow{"wait", 0, &Dbg::wait},
    CommandRow{"break", 1, &Dbg::set_break}, CommandRow{"delete", 1, &Dbg::remove_break},
    CommandRow{"cont", 0, &Dbg::cont},       CommandRow{"step", 0, &Dbg::step},
    CommandRow{"regs", 0, &Dbg::regs},       CommandRow{"x", 2, &Dbg::examine},
    CommandRow{"detach", 0, &Dbg::detach},   CommandRow{"quit", 0, &Dbg::quit},
};

std::vector<std::string_view> split_words(std::string_view line) {
  std::vector<std::string_view> words;
  std::size_t at = 0;
  while (at < line.size()) {
    std::size_t start = line.find_first_not_of(" \t", at);
    if (start == std::string_view::npos) break;
    std::size_t end = line.find_first_of(" \t", start);
    if (end == std::string_view::npos) end = line.size();
    words.push_back(line.substr(start, end - start));
    at = end;
  }
  return words;
}

bool Dbg::complain(std::string_view object, vfs::Errno error) {
  m_context->io.flush();
  m_context->io.err(warn_text("dbg", object, strerror_text(error)));
  m_failed = true;
  return true;
}

bool Dbg::complain(std::string_view message) {
  m_context->io.flush();
  m_context->io.err(warnx_text("dbg", message));
  m_failed = true;
  return true;
}

bool Dbg::obey(std::string_view line) {
  std::vector<std::string_view> words = split_words(line);
  if (words.empty()) return true;
  for (const CommandRow& row : kCommands) {
    if (row.name != words.front()) continue;
    if (words.size() != row.operands + 1) {
      return complain(
          fmt::format("{}: takes {} operand{}", row.name, row.operands, row.operands == 1 ? "" : "s"));
    }
    bool go_on = (this->*row.handler)(std::span(words).subspan(1));
    return go_on && !m_gone;
  }
  return complain(fmt::format("{}: unknown command", words.front()));
}

// The procfs node `name` of the target, opened the first time a command needs it; false (and
// the reason said) when it cannot be.
bool Dbg::open_node(std::string_view name, vfs::OpenFlags flags, std::optional<int>& fd) {
  if (fd.has_value()) return true;
  std::string path = fmt::format("/proc/{}/{}", m_pid, name);
  auto opened = sys().open(path, flags);
  if (opened.is_error()) {
    complain(path, opened.error());
    // No such process: every later command would say the same, so dbg ends.
    if (opened.error() == vfs::Errno::Enoent) m_gone = true;
    return false;
  }
  fd = opened.value();
  PROCSIM_ASSERT(*fd >= 0);
  return true;
}

// One ctl message, written whole at offset 0 (spec/procfs.md §4.1).
bool Dbg::control(std::string_view verb) {
  if (!open_node("ctl", vfs::kOWronly, m_ctl_fd)) return false;
  if (auto wrote = sys().write(*m_ctl_fd, verb); wrote.is_error()) {
    complain(verb, wrote.error());
    return false;
  }
  return true;
}

SysResult<std::string> Dbg::read_memory(std::uint64_t address, std::uint64_t length) {
  PROCSIM_ASSERT(m_mem_fd.has_value());
  int fd = *m_mem_fd;
  TRY(sys().lseek(fd, static_cast<std::int64_t>(address), vfs::kSeekSet));
  std::string bytes = TRY(sys().read(fd, static_cast<std::size_t>(length)));
  // A read that stops short at the end of a mapping is as bad as one that faults at once.
  if (bytes.size() != length) return base::fail(vfs::Errno::Efault);
  return bytes;
}

SysResult<void> Dbg::write_memory(std::uint64_t address, std::string_view bytes) {
  PROCSIM_ASSERT(m_mem_fd.has_value());
  int fd = *m_mem_fd;
  TRY(sys().lseek(fd, static_cast<std::int64_t>(address), vfs::kSeekSet));
  std::size_t wrote = TRY(sys().write(fd, bytes));
  if (wrote != bytes.size()) return base::fail(vfs::Errno::Efault);
  return {};
}

// struct reg as regs gives it, read whole from offset 0 each time.
SysResult<std::string> Dbg::read_registers() {
  const machine::RegLayout& layout = machine::register_layout(m_arch->native_abi, machine::RegSet::Reg);
  PROCSIM_ASSERT(m_regs_fd.has_value());
  int fd = *m_regs_fd;
  TRY(sys().lseek(fd, 0, vfs::kSeekSet));
  std::string bytes = TRY(sys().read(fd, layout.size_bytes));
  if (bytes.size() != layout.size_bytes) return base::fail(vfs::Errno::Eio);
  return bytes;
}

const machine::RegField* Dbg::pc_field() const {
  const machine::RegLayout& layout = machine::register_layout(m_arch->native_abi, machine::RegSet::Reg);
  for (const machine::RegField& field : layout.fields) {
    if (field.slot == machine::RegSlot::Pc) return &field;
  }
  PROCSIM_UNREACHABLE();
}

std::uint64_t load_field(std::string_view bytes, std::uint16_t offset, std::uint8_t width) {
  auto raw = std::span(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
  PROCSIM_ASSERT(offset + width <= raw.size());
  switch (width) {
    case 1: return raw[offset];
    case 2: return base::load_le<std::uint16_t>(raw, offset);
    case 4: return base::load_le<std::uint32_t>(raw, offset);
    case 8: return base::load_le<std::uint64_t>(raw, offset);
    default: PROCSIM_UNREACHABLE();
  }
}

std::optional<std::uint64_t> Dbg::address_operand(std::string_view text) {
  std::optional<std::uint64_t> value = base::parse_c_unsigned(text);
  if (!value.has_value()) complain(fmt::format("{}: bad address", text));
  return value;
}

bool Dbg::attach(std::span<const std::string_view>) {
  if (control("attach")) say(fmt::format("attached to {}\n", m_pid));
  return true;
}

// Breakpoints still planted are taken out first, as a debugger must before it lets go: the
// process would otherwise trap on them with nobody to catch the SIGTRAP.
bool Dbg::detach(std::span<const std::string_view>) {
  while (!m_breakpoints.empty() && open_mem()) {
    const Breakpoint& last = m_breakpoints.back();
    if (auto wrote = write_memory(last.address, last.original); wrote.is_error()) {
      complain(fmt::format("{:#x}", last.address), wrote.error());
    } else {
      say(fmt::format("deleted breakpoint at {:#x}\n", last.address));
    }
    m_breakpoints.pop_back();
  }
  if (control("detach")) say(fmt::format("detached from {}\n", m_pid));
  return true;
}

bool Dbg::cont(std::span<const std::string_view>) {
  (void)control("run");
  return true;
}

// riscv64 has no hardware single step, so ctl `step` fails there with EOPNOTSUPP.
bool Dbg::step(std::span<const std::string_view>) {
  if (!control("step") && !m_arch->has_hardware_single_step) {
    say(fmt::format("{} has no hardware single step; set a breakpoint and cont\n", m_arch->name));
  }
  return true;
}

bool Dbg::wait(std::span<const std::string_view>) {
  if (control("wait")) report_stop();
  return true;
}

bool Dbg::quit(std::span<const std::string_view>) { return false; }

// Where the target stopped. A stop on one of dbg's breakpoints puts the original bytes back
// and, on x86 where the trap leaves the PC past the int3, moves the PC back onto them, so
// `cont` or `step` runs the instruction that was there.
void Dbg::report_stop() {
  if (!open_regs() || !open_mem()) return;
  auto bytes = read_registers();
  if (bytes.is_error()) {
    complain("regs", bytes.error());
    return;
  }
  const machine::RegField* field = pc_field();
  std::uint64_t pc = load_field(bytes.value(), field->offset, field->width);
  bool after = m_arch->breakpoint_pc == machine::BreakpointPc::AfterInstruction;
  std::uint64_t trap_address = after ? pc - m_arch->breakpoint.size_bytes : pc;
  auto hit = std::find_if(m_breakpoints.begin(), m_breakpoints.end(),
                          [&](const Breakpoint& b) { return b.address == trap_address; });
  if (hit == m_breakpoints.end()) {
    say(fmt::format("stopped at {:#x}\n", pc));
    return;
  }
  if (auto restored = write_memory(hit->address, hit->original); restored.is_error()) {
    complain("mem", restored.error());
    return;
  }
  m_breakpoints.erase(hit);
  if (after) {
    std::string updated = bytes.value();
    auto raw = std::span(reinterpret_cast<std::uint8_t*>(updated.data()), updated.size());
    PROCSIM_ASSERT(field->width == 4 || field->width == 8);
    if (field->width == 8) base::store_le<std::uint64_t>(raw, field->offset, trap_address);
    if (field->width == 4)
      base::store_le<std::uint32_t>(raw, field->offset, static_cast<std::uint32_t>(trap_address));
    PROCSIM_ASSERT(m_regs_fd.has_value());
    (void)sys().lseek(*m_regs_fd, 0, vfs::kSeekSet);
    if (auto wrote = sys().write(*m_regs_fd, updated); wrote.is_error()) {
      complain("regs", wrote.error());
      return;
    }
  }
  say(fmt::format("breakpoint at {:#x}, removed\n", trap_address));
}

bool Dbg::set_break(std::span<const std::string_view> words) {
  std::optional<std::uint64_t> address = address_operand(words[0]);
  if (!address.has_value()) return true;
  for (const Breakpoint& b : m_breakpoints) {
    if (b.address == *address) return complain(fmt::format("{:#x}: breakpoint already set", *address));
  }
  if (m_breakpoints.size() >= kBreakpointsMax) return complain("too many breakpoints");
  if (!open_mem()) return true;
  std::span<const std::uint8_t> instruction = m_arch->breakpoint.view();
  auto original = read_memory(*address, instruction.size());
  if (original.is_error()) return complain(words[0], original.error());
  std::string planted(instruction.begin(), instruction.end());
  if (auto wrote = write_memory(*address, planted); wrote.is_error())
    return complain(words[0], wrote.error());
  m_breakpoints.push_back(Breakpoint{*address, original.value()});
  say(fmt::format("breakpoint at {:#x}\n", *address));
  return true;
}

bool Dbg::remove_break(std::span<const std::string_view> words) {
  std::optional<std::uint64_t> address = address_operand(words[0]);
  if (!address.has_value()) return true;
  auto found = std::find_if(m_breakpoints.begin(), m_breakpoints.end(),
                            [&](const Breakpoint& b) { return b.address == *address; });
  if (found == m_breakpoints.end()) return complain(fmt::format("{:#x}: no breakpoint", *address));
  if (!open_mem()) return true;
  if (auto wrote = write_memory(found->address, found->original); wrote.is_error()) {
    return complain(words[0], wrote.error());
  }
  m_breakpoints.erase(found);
  say(fmt::format("deleted breakpoint at {:#x}\n", *address));
  return true;
}

// Every scalar and array element of struct reg by its C name, as many to a line as fit.
bool Dbg::regs(std::span<const std::string_view>) {
  if (!open_regs()) return true;
  auto bytes = read_registers();
  if (bytes.is_error()) return complain("regs", bytes.error());
  const machine::RegLayout& layout = machine::register_layout(m_arch->native_abi, machine::RegSet::Reg);
  std::string line;
  for (const machine::RegField& field : layout.fields) {
    if (field.width > 8) continue;
    for (unsigned element = 0; element < field.count; ++element) {
      std::uint64_t value = load_field(bytes.value(), field.element_offset(element), field.width);
      std::string item = fmt::format("{}={:#x}", machine::element_name(field, element), value);
      if (!line.empty() && line.size() + 1 + item.size() > kRegisterLineColumns) {
        say(line + "\n");
        line.clear();
      }
      line += (line.empty() ? "" : " ") + item;
    }
  }
  if (!line.empty()) say(line + "\n");
  return true;
}

// x ADDR LEN: the bytes at ADDR in hex, sixteen to a line after their address.
bool Dbg::examine(std::span<const std::string_view> words) {
  std::optional<std::uint64_t> address = address_operand(words[0]);
  if (!address.has_value()) return true;
  std::optional<std::uint64_t> length = base::parse_c_unsigned(words[1]);
  if (!length.has_value() || *length == 0 || *length > kExamineBytesMax) {
    return complain(fmt::format("{}: bad length", words[1]));
  }
  if (!open_mem()) return true;
  auto bytes = read_memory(*address, *length);
  if (bytes.is_error()) return complain(words[0], bytes.error());
  for (std::size_t at = 0; at < bytes.value().size(); at += kExamineBytesPerLine) {
    std::string line = fmt::format("{:#x}:", *address + at);
    for (std::size_t i = at; i < bytes.value().size() && i < at + kExamineBytesPerLine; ++i) {
      line += fmt::format(" {:02x}", static_cast<std::uint8_t>(bytes.value()[i]));
    }
    say(line + "\n");
  }
  return true;
}

std::optional<machine::Arch> machine_arch(Usys& sys) {
  auto oid = sys.sysctl_name_to_oid("hw.machine_arch");
  if (oid.is_error()) return std::nullopt;
  auto text = sys.sysctl(oid.value(), kLineBytesMax);
  if (text.is_error()) return std::nullopt;
  std::string name = text.value().substr(0, text.value().find('\0'));
  for (const MachineArchRow& row : kMachineArchs) {
    if (row.machine_arch == name) return row.arch;
  }
  return std::nullopt;
}

bool stdin_is_terminal(Usys& sys) {
  auto sb = sys.fstat(kStdin);
  return sb.ok() && (sb.value().mode & kModeTypeMask) == kModeCharDevice;
}

// Commands one a line from standard input, with a prompt before each on a terminal.
void obey_stdin(ProgramContext& context, Dbg& dbg) {
  bool prompt = stdin_is_terminal(context.sys);
  std::string pending;
  for (std::size_t count = 0; count < kCommandsMax; ++count) {
    if (prompt) {
      context.io.out(kPrompt);
      context.io.flush();
    }
    while (pending.find('\n') == std::string::npos && pending.size() < kLineBytesMax) {
      auto got = context.sys.read(kStdin, kLineBytesMax - pending.size());
      if (got.is_error() || got.value().empty()) break;
      pending += got.value();
    }
    if (pending.empty()) return;
    std::size_t end = pending.find('\n');
    std::string line = pending.substr(0, end);
    pending.erase(0, end == std::string::npos ? pending.size() : end + 1);
    if (!dbg.obey(line)) return;
  }
}

}  // namespace

int dbg_main(ProgramContext& context) {
  std::span<const std::string> arguments(context.args.argv);
  if (!arguments.empty()) arguments = arguments.subspan(1);
  std::optional<std::uint64_t> pid = arguments.empty() ? std::nullopt : base::parse_c_unsigned(arguments[0]);
  if (!pid.has_value() || *pid == 0 || *pid > INT32_MAX) {
    context.io.err(kDbgUsage);
    return 1;
  }
  std::optional<machine::Arch> arch = machine_arch(context.sys);
  if (!arch.has_value()) {
    context.io.err(warnx_text("dbg", "unknown machine architecture"));
    return 1;
  }
  Dbg dbg(context, static_cast<std::int32_t>(*pid), machine::arch_info(*arch));
  if (arguments.size() == 1) {
    obey_stdin(context, dbg);
  } else {
    for (const std::string& command :
         arguments.subspan(1).first(std::min(arguments.size() - 1, kCommandsMax))) {
      if (!dbg.obey(command)) break;
    }
  }
  return dbg.failed() ? 1 : 0;
}

}  // namespace procsim::userland
