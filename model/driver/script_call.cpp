// Marshalling scripted system calls and printing their results; see script_call.h.
#include "model/driver/script_call.h"

#include <array>
#include <optional>

#include <fmt/format.h>

#include "model/driver/script_structs.h"
#include "model/kern/rlimit.h"
#include "model/kern/signal.h"
#include "model/kern/sys_handlers.h"
#include "model/kern/wait_status.h"
#include "model/vfs/dirent.h"
#include "model/vfs/stat.h"
#include "sim/base/bytes.h"
#include "sim/base/text.h"

namespace procsim::driver {

namespace {

using script::ArgumentKind;
using script::CallArgument;
using script::SyntaxError;
using script::SyntaxResult;

// Names a scripted call may use for numbers, one row each (FreeBSD's values).
struct NamedConstant {
  std::string_view name;
  std::uint64_t value;
};

constexpr std::array kConstants = {
    NamedConstant{"NULL", 0},
    NamedConstant{"WNOHANG", 1},
    NamedConstant{"WUNTRACED", 2},
    NamedConstant{"WSTOPPED", 2},
    NamedConstant{"WCONTINUED", 4},
    NamedConstant{"WNOWAIT", 8},
    NamedConstant{"SIG_BLOCK", 1},
    NamedConstant{"SIG_UNBLOCK", 2},
    NamedConstant{"SIG_SETMASK", 3},
    NamedConstant{"SIG_DFL", 0},
    NamedConstant{"SIG_IGN", 1},
    NamedConstant{"SIG_CATCH", 2},
    NamedConstant{"SA_ONSTACK", 0x1},
    NamedConstant{"SA_RESTART", 0x2},
    NamedConstant{"SA_RESETHAND", 0x4},
    NamedConstant{"SA_NOCLDSTOP", 0x8},
    NamedConstant{"SA_NODEFER", 0x10},
    NamedConstant{"SA_NOCLDWAIT", 0x20},
    NamedConstant{"SA_SIGINFO", 0x40},
    NamedConstant{"O_RDONLY", 0},
    NamedConstant{"O_WRONLY", 1},
    NamedConstant{"O_RDWR", 2},
    NamedConstant{"O_NONBLOCK", 4},
    NamedConstant{"O_APPEND", 8},
    NamedConstant{"O_CREAT", 0x200},
    NamedConstant{"O_TRUNC", 0x400},
    NamedConstant{"O_EXCL", 0x800},
    NamedConstant{"SEEK_SET", 0},
    NamedConstant{"SEEK_CUR", 1},
    NamedConstant{"SEEK_END", 2},
    NamedConstant{"O_NOFOLLOW", 0x100},
    NamedConstant{"O_NOCTTY", 0x8000},
    NamedConstant{"O_DIRECTORY", 0x20000},
    NamedConstant{"O_CLOEXEC", 0x100000},
    NamedConstant{"F_DUPFD", 0},
    NamedConstant{"F_GETFD", 1},
    NamedConstant{"F_SETFD", 2},
    NamedConstant{"F_GETFL", 3},
    NamedConstant{"F_SETFL", 4},
    NamedConstant{"FD_CLOEXEC", 1},
    NamedConstant{"F_OK", 0},
    NamedConstant{"X_OK", 1},
    NamedConstant{"W_OK", 2},
    NamedConstant{"R_OK", 4},
    NamedConstant{"FIOCLEX", 0x20006601},
    NamedConstant{"FIONCLEX", 0x20006602},
    NamedConstant{"FIONREAD", 0x4004667f},
    NamedConstant{"FIONBIO", 0x8004667e},
    NamedConstant{"TIOCGETA", 0x402c7413},
    NamedConstant{"TIOCGPGRP", 0x40047477},
    NamedConstant{"TIOCSPGRP", 0x80047476},
    NamedConstant{"PIOCBIS", 0x20047001},
    NamedConstant{"PIOCBIC", 0x20047002},
    NamedConstant{"PIOCSFL", 0x20047003},
    NamedConstant{"PIOCWAIT", 0x40207004},
    NamedConstant{"PIOCCONT", 0x20047005},
    NamedConstant{"PIOCSTATUS", 0x40207006},
    NamedConstant{"PIOCGFL", 0x40047007},
    NamedConstant{"S_EXEC", 0x01},
    NamedConstant{"S_SIG", 0x02},
    NamedConstant{"S_SCE", 0x04},
    NamedConstant{"S_SCX", 0x08},
    NamedConstant{"S_CORE", 0x10},
    NamedConstant{"S_EXIT", 0x20},
    NamedConstant{"PF_LINGER", 0x1},
    NamedConstant{"PF_ISUGID", 0x2},
    NamedConstant{"PF_FORK", 0x4},
    NamedConstant{"PROT_NONE", 0},
    NamedConstant{"PROT_READ", 1},
    NamedConstant{"PROT_WRITE", 2},
    NamedConstant{"PROT_EXEC", 4},
    NamedConstant{"MAP_SHARED", 0x1},
    NamedConstant{"MAP_PRIVATE", 0x2},
    NamedConstant{"MAP_FIXED", 0x10},
    NamedConstant{"MAP_STACK", 0x400},
    NamedConstant{"MAP_ANON", 0x1000},
};

// Calls whose return value is a user address, shown in hex.
constexpr std::array kAddressReturningCalls = {kern::Sysno::Mmap};

bool returns_address(const kern::SyscallRow& row) {
  for (kern::Sysno number : kAddressReturningCalls) {
    if (row.number == number) return true;
  }
  return false;
}

std::optional<std::uint64_t> constant_value(std::string_view name) {
  for (const auto& constant : kConstants) {
    if (constant.name == name) return constant.value;
  }
  for (const auto& row : kern::kSignalTable) {
    if (row.name == name) return row.signal.value();
  }
  for (std::size_t i = 0; i < kern::kRlimitTable.size(); ++i) {
    if (kern::kRlimitTable[i].constant == name) return i;
  }
  return std::nullopt;
}

SyntaxError error_at(const CallArgument& argument, std::string message) {
  return SyntaxError{argument.column, std::move(message)};
}

SyntaxResult<std::uint64_t> number_of(const CallArgument& argument) {
  switch (argument.kind) {
    case ArgumentKind::Integer: return argument.bits;
    case ArgumentKind::Identifier: {
      auto value = constant_value(argument.text);
      if (!value) return base::fail(error_at(argument, fmt::format("unknown name '{}'", argument.text)));
      return *value;
    }
    case ArgumentKind::Flags: {
      std::uint64_t value = 0;
      for (const auto& part : argument.parts) value |= TRY(number_of(part));
      return value;
    }
    case ArgumentKind::String:
    case ArgumentKind::Reference:
    case ArgumentKind::List: break;
  }
  return base::fail(error_at(argument, fmt::format("expected a number or a name, not '{}'", argument.raw)));
}

// Bump allocation in the scratch area of the calling process's memory.
class Scratch {
 public:
  explicit Scratch(kern::UserMemory& memory) : m_memory(memory) {}

  SyntaxResult<kern::UserAddr> place(const CallArgument& argument, base::ByteSpan bytes) {
    kern::UserAddr addr = TRY(reserve(argument, bytes.size()));
    if (m_memory.copyout(addr, bytes).is_error()) {
      return base::fail(error_at(argument, "the process's memory cannot hold this argument"));
    }
    return addr;
  }

  SyntaxResult<kern::UserAddr> reserve(const CallArgument& argument, std::size_t size) {
    std::uint64_t rounded = (size + 15) & ~std::uint64_t{15};
    if (m_used + rounded > kScriptScratchBytes) {
      return base::fail(error_at(argument, "arguments too large for a scripted call"));
    }
    kern::UserAddr addr{kScriptScratchAddr + m_used};
    m_used += rounded == 0 ? 16 : rounded;
    // An out-argument starts zeroed, so what the call did not fill reads as zeros.
    base::Bytes zeros(static_cast<std::size_t>(rounded));
    if (m_memory.copyout(addr, zeros).is_error()) {
      return base::fail(error_at(argument, "the process's memory cannot hold this argument"));
    }
    return addr;
  }

 private:
  kern::UserMemory& m_memory;
  std::uint64_t m_used = 0;
};

SyntaxResult<kern::SigSet> sigset_of(const CallArgument& argument) {
  if (argument.kind != ArgumentKind::List) {
    return base::fail(error_at(argument, "expected a signal set such as {SIGINT, SIGTERM}"));
  }
  kern::SigSet set;
  for (const auto& part : argument.parts) {
    std::uint64_t number = TRY(number_of(part));
    if (number == 0 || number > 128) return base::fail(error_at(part, "not a signal number"));
    set.add(kern::Signal(static_cast<std::uint32_t>(number)));
  }
  return set;
}

bool is_null(const CallArgument& argument) {
  return argument.kind == ArgumentKind::Identifier && argument.text == "NULL";
}

// A pointer argument: NULL, a number, an out-reference, or an in-value built by `build`.
template <typename Build>
SyntaxResult<std::uint64_t> pointer_argument(const CallArgument& argument, kern::ArgFormat format,
                                             std::size_t out_size, Scratch& scratch,
                                             std::vector<OutArgument>& outs, Build build) {
  if (is_null(argument) || argument.kind == ArgumentKind::Integer) return number_of(argument);
  if (argument.kind == ArgumentKind::Reference) {
    kern::UserAddr addr = TRY(scratch.reserve(argument, out_size));
    outs.push_back(OutArgument{format, addr, out_size});
    return addr.value();
  }
  base::Bytes bytes = TRY(build(argument));
  kern::UserAddr addr = TRY(scratch.place(argument, bytes));
  return addr.value();
}

SyntaxResult<base::Bytes> build_string(const CallArgument& argument) {
  if (argument.kind != ArgumentKind::String) return base::fail(error_at(argument, "expected a string"));
  base::Bytes bytes(argument.text.begin(), argument.text.end());
  bytes.push_back(0);
  return bytes;
}

SyntaxResult<base::Bytes> build_sigset(const CallArgument& argument) {
  kern::SigSet set = TRY(sigset_of(argument));
  base::Bytes bytes(kern::kSigsetBytes);
  kern::encode_sigset(bytes, 0, set);
  return bytes;
}

// {HANDLER [, FLAGS [, {MASK...}]]}
SyntaxResult<base::Bytes> build_sigaction(const CallArgument& argument) {
  if (argument.kind != ArgumentKind::List || argument.parts.empty() || argument.parts.size() > 3) {
    return base::fail(error_at(argument, "expected {handler [, flags [, {mask}]]}"));
  }
  base::Bytes bytes(kern::kSigactionBytes);
  base::store_le<std::uint64_t>(bytes, 0, TRY(number_of(argument.parts[0])));
  if (argument.parts.size() > 1) {
    base::store_le<std::uint32_t>(bytes, 8, static_cast<std::uint32_t>(TRY(number_of(argument.parts[1]))));
  }
  if (argument.parts.size() > 2) kern::encode_sigset(bytes, 12, TRY(sigset_of(argument.parts[2])));
  return bytes;
}

// {SECONDS, NANOSECONDS}
SyntaxResult<base::Bytes> build_timespec(const CallArgument& argument) {
  if (argument.kind != ArgumentKind::List || argument.parts.size() != 2) {
    return base::fail(error_at(argument, "expected {seconds, nanoseconds}"));
  }
  base::Bytes bytes(kern::kTimespecBytes);
  base::store_le<std::uint64_t>(bytes, 0, TRY(number_of(argument.parts[0])));
  base::store_le<std::uint64_t>(bytes, 8, TRY(number_of(argument.parts[1])));
  return bytes;
}

SyntaxResult<base::Bytes> build_gid_list(const CallArgument& argument) {
  if (argument.kind != ArgumentKind::List) return base::fail(error_at(argument, "expected a list of gids"));
  base::Bytes bytes(argument.parts.size() * 4);
  for (std::size_t i = 0; i < argument.parts.size(); ++i) {
    base::store_le<std::uint32_t>(bytes, i * 4,
                                  static_cast<std::uint32_t>(TRY(number_of(argument.parts[i]))));
  }
  return bytes;
}

// {A, B, ...} for a plain pointer: a structure of 64-bit fields, such as struct rlimit.
SyntaxResult<base::Bytes> build_words(const CallArgument& argument) {
  if (argument.kind != ArgumentKind::List) {
    return base::fail(error_at(argument, fmt::format("expected a pointer (NULL, a number, &name or {{...}}), "
                                                     "not '{}'",
                                                     argument.raw)));
  }
  base::Bytes bytes(argument.parts.size() * 8);
  for (std::size_t i = 0; i < argument.parts.size(); ++i) {
    base::store_le<std::uint64_t>(bytes, i * 8, TRY(number_of(argument.parts[i])));
  }
  return bytes;
}

// {"a", "b", ...} for argv or envp: each string is placed, then the vector of their addresses
// with the NULL that ends it. A NULL (or a number) in the list is stored as it is.
SyntaxResult<std::uint64_t> place_string_vector(const CallArgument& argument, Scratch& scratch) {
  base::Bytes vector((argument.parts.size() + 1) * 8, 0);
  for (std::size_t i = 0; i < argument.parts.size(); ++i) {
    const CallArgument& part = argument.parts[i];
    std::uint64_t pointer = 0;
    if (part.kind == ArgumentKind::String) {
      base::Bytes text = TRY(build_string(part));
      pointer = TRY(scratch.place(part, text)).value();
    } else {
      pointer = TRY(number_of(part));
    }
    base::store_le<std::uint64_t>(vector, i * 8, pointer);
  }
  return TRY(scratch.place(argument, vector)).value();
}

SyntaxResult<base::Bytes> no_in_value(const CallArgument& argument) {
  return base::fail(error_at(
      argument, fmt::format("expected a pointer (NULL, a number or &name), not '{}'", argument.raw)));
}

// The size an out-argument of this format needs.
std::size_t out_size(kern::ArgFormat format, std::uint64_t next_argument) {
  switch (format) {
    case kern::ArgFormat::StatusOut: return 4;
    case kern::ArgFormat::Sigset: return kern::kSigsetBytes;
    case kern::ArgFormat::Sigaction: return kern::kSigactionBytes;
    case kern::ArgFormat::Timespec: return kern::kTimespecBytes;
    case kern::ArgFormat::Rusage: return kern::kRusageBytes;
    case kern::ArgFormat::StatOut: return vfs::stat_size(vfs::StatAbi::Lp64);
    case kern::ArgFormat::GidList: return 4 * 1024;
    case kern::ArgFormat::OutBuffer: return static_cast<std::size_t>(next_argument);
    default: return 16;
  }
}

SyntaxResult<std::uint64_t> marshal_argument(const CallArgument& argument, kern::ArgFormat format,
                                             std::uint64_t next_argument, Scratch& scratch,
                                             std::vector<OutArgument>& outs) {
  std::size_t size = out_size(format, next_argument);
  switch (format) {
    case kern::ArgFormat::String:
      return pointer_argument(argument, format, size, scratch, outs, build_string);
    case kern::ArgFormat::InBuffer:
      return pointer_argument(argument, format, size, scratch, outs, [](const CallArgument& a) {
        return a.kind == ArgumentKind::String
                   ? SyntaxResult<base::Bytes>(base::Bytes(a.text.begin(), a.text.end()))
                   : no_in_value(a);
      });
    case kern::ArgFormat::Sigset:
      return pointer_argument(argument, format, size, scratch, outs, build_sigset);
    case kern::ArgFormat::Sigaction:
      return pointer_argument(argument, format, size, scratch, outs, build_sigaction);
    case kern::ArgFormat::Timespec:
      return pointer_argument(argument, format, size, scratch, outs, build_timespec);
    case kern::ArgFormat::GidList:
      return pointer_argument(argument, format, size, scratch, outs, build_gid_list);
    case kern::ArgFormat::OutBuffer:
    case kern::ArgFormat::StatusOut:
    case kern::ArgFormat::StatOut:
    case kern::ArgFormat::Rusage: return pointer_argument(argument, format, size, scratch, outs, no_in_value);
    case kern::ArgFormat::Pointer:
      // A value passed in the pointer's place (an ioctl's int argument) may be named.
      if (argument.kind == ArgumentKind::Flags ||
          (argument.kind == ArgumentKind::Identifier && !is_null(argument))) {
        return number_of(argument);
      }
      return pointer_argument(argument, format, size, scratch, outs, build_words);
    case kern::ArgFormat::StringVector: {
      if (argument.kind != ArgumentKind::List)
        return pointer_argument(argument, format, size, scratch, outs, no_in_value);
      return place_string_vector(argument, scratch);
    }
    default: return number_of(argument);
  }
}

}  // namespace

SyntaxResult<MarshalledCall> marshal_call(const script::Call& call, kern::UserMemory& memory) {
  MarshalledCall marshalled;
  marshalled.row = kern::syscall_row_by_name(call.name);
  if (marshalled.row == nullptr) {
    return base::fail(SyntaxError{call.name_column, fmt::format("unknown system call '{}'", call.name)});
  }
  const kern::SyscallRow& row = *marshalled.row;
  marshalled.request.number = kern::sysno_value(row.number);
  // An out-buffer may be left out (`read(3, 64)`): the driver then provides one.
  std::size_t omitted_out = row.nargs;
  for (std::size_t i = 0; i < row.nargs; ++i) {
    if (row.args[i] == kern::ArgFormat::OutBuffer) omitted_out = i;
  }
  bool buffer_omitted = call.arguments.size() + 1 == row.nargs && omitted_out < row.nargs;
  if (call.arguments.size() != row.nargs && !buffer_omitted) {
    return base::fail(
        SyntaxError{call.name_column, fmt::format("'{}' takes {} argument{}, not {}", row.name, row.nargs,
                                                  row.nargs == 1 ? "" : "s", call.arguments.size())});
  }
  Scratch scratch(memory);
  std::size_t given = 0;
  for (std::size_t i = 0; i < row.nargs; ++i) {
    if (buffer_omitted && i == omitted_out) continue;
    const CallArgument& argument = call.arguments[given++];
    // The length that follows a buffer sizes it; an ioctl's argument is sized by its command.
    std::uint64_t next = 0;
    if (given < call.arguments.size() && call.arguments[given].kind == ArgumentKind::Integer) {
      next = call.arguments[given].bits;
    }
    std::size_t ioctl_size = (marshalled.request.args[1] >> 16) & 0x1fff;
    if (row.number == kern::Sysno::Ioctl && i == 2 && argument.kind == ArgumentKind::Reference &&
        ioctl_size > 0) {
      kern::UserAddr addr = TRY(scratch.reserve(argument, ioctl_size));
      marshalled.outs.push_back(OutArgument{kern::ArgFormat::Pointer, addr, ioctl_size, true});
      marshalled.request.args[i] = addr.value();
      continue;
    }
    marshalled.request.args[i] = TRY(marshal_argument(argument, row.args[i], next, scratch, marshalled.outs));
  }
  // procfs's ioctl structures are shown by field (script_structs.h).
  if (row.number == kern::Sysno::Ioctl && !marshalled.outs.empty()) {
    marshalled.outs.back().ioctl_command = static_cast<std::uint32_t>(marshalled.request.args[1]);
  }
  if (buffer_omitted) {
    std::uint64_t length = marshalled.request.args[omitted_out + 1];
    if (length > kScriptScratchBytes / 2) {
      return base::fail(SyntaxError{call.name_column, "buffer length too large for a scripted call"});
    }
    kern::UserAddr addr = TRY(scratch.reserve(call.arguments.front(), static_cast<std::size_t>(length)));
    marshalled.request.args[omitted_out] = addr.value();
    marshalled.outs.push_back(
        OutArgument{kern::ArgFormat::OutBuffer, addr, static_cast<std::size_t>(length)});
  }
  return marshalled;
}

namespace {

std::string describe_status(std::uint32_t status) {
  auto signal_name = [](std::uint32_t number) { return kern::signal_name(kern::Signal(number)); };
  if (kern::wifexited(status)) return fmt::format("exited {}", kern::wexitstatus(status));
  if (kern::wifcontinued(status)) return "continued";
  if (kern::wifstopped(status)) return fmt::format("stopped by {}", signal_name(kern::wstopsig(status)));
  std::string text = fmt::format("killed by {}", signal_name(kern::wtermsig(status)));
  if (kern::wcoredump(status)) text += ", core dumped";
  return text;
}

std::string describe_sigset(const kern::SigSet& set) {
  std::string text = "{";
  for (std::uint32_t number = 1; number <= 128; ++number) {
    if (!set.contains(kern::Signal(number))) continue;
    if (text.size() > 1) text += ",";
    text += kern::signal_name(kern::Signal(number));
  }
  return text + "}";
}

// A struct stat (LP64 layout, vfs/stat.h) by its fields; rdev only for device nodes.
std::string describe_stat(base::ByteSpan bytes) {
  auto mode = base::load_le<std::uint16_t>(bytes, 8);
  std::string text =
      fmt::format(" {{ino={}, mode={:#o}, nlink={}, uid={}, gid={}", base::load_le<std::uint32_t>(bytes, 4),
                  mode, base::load_le<std::uint16_t>(bytes, 10), base::load_le<std::uint32_t>(bytes, 12),
                  base::load_le<std::uint32_t>(bytes, 16));
  std::uint16_t type = mode & 0170000;
  if (type == 0020000 || type == 0060000) {
    auto rdev = base::load_le<std::uint32_t>(bytes, 20);
    text += fmt::format(", rdev={},{}", rdev >> 8, rdev & 0xff);
  }
  return text + fmt::format(", size={}, blocks={}, blksize={}}}", base::load_le<std::int64_t>(bytes, 72),
                            base::load_le<std::int64_t>(bytes, 80), base::load_le<std::uint32_t>(bytes, 88));
}

// A getdirentries buffer by record: ` [2 DT_DIR ".", 2 DT_DIR "..", 3 DT_REG "passwd"]`.
std::string describe_dirents(base::ByteSpan bytes) {
  std::optional<std::vector<vfs::Dirent>> records = vfs::decode_dirents(bytes);
  if (!records) return " <malformed directory entries>";
  std::string text = " [";
  for (const vfs::Dirent& record : *records) {
    if (text.size() > 2) text += ", ";
    text += fmt::format("{} {} \"{}\"", record.fileno, vfs::dirent_type_name(record.type),
                        base::c_escape(record.name));
  }
  return text + "]";
}

std::string describe_out(const OutArgument& out, const kern::SyscallResult& result,
                         const kern::UserMemory& memory) {
  std::size_t size = out.size;
  if (out.format == kern::ArgFormat::OutBuffer || out.format == kern::ArgFormat::GidList) {
    std::uint64_t count = result.retval[0] * (out.format == kern::ArgFormat::GidList ? 4 : 1);
    size = static_cast<std::size_t>(std::min<std::uint64_t>(count, out.size));
  }
  base::Bytes bytes(size);
  if (memory.copyin(out.addr, bytes).is_error()) return " <unreadable>";
  switch (out.format) {
    case kern::ArgFormat::StatusOut: {
      auto status = base::load_le<std::uint32_t>(bytes, 0);
      return fmt::format(" status={:#x} ({})", status, describe_status(status));
    }
    case kern::ArgFormat::Sigset: return " " + describe_sigset(kern::decode_sigset(bytes, 0));
    case kern::ArgFormat::Sigaction: {
      auto handler = base::load_le<std::uint64_t>(bytes, 0);
      std::string name = handler == 0 ? "SIG_DFL" : handler == 1 ? "SIG_IGN" : fmt::format("{:#x}", handler);
      return fmt::format(" {{{}, {:#x}, {}}}", name, base::load_le<std::uint32_t>(bytes, 8),
                         describe_sigset(kern::decode_sigset(bytes, 12)));
    }
    case kern::ArgFormat::Timespec:
      return fmt::format(" {{{}, {}}}", base::load_le<std::int64_t>(bytes, 0),
                         base::load_le<std::int64_t>(bytes, 8));
    case kern::ArgFormat::GidList: {
      std::string text = " {";
      for (std::size_t i = 0; i + 4 <= bytes.size(); i += 4) {
        text += fmt::format("{}{}", i == 0 ? "" : ",", base::load_le<std::uint32_t>(bytes, i));
      }
      return text + "}";
    }
    case kern::ArgFormat::Rusage: return "";
    case kern::ArgFormat::StatOut: return describe_stat(bytes);
    case kern::ArgFormat::Pointer: {
      if (out.ioctl_command != 0) {
        if (std::optional<std::string> named = describe_ioctl_out(out.ioctl_command, bytes)) return *named;
      }
      std::string text = " {";
      if (out.int_words) {
        for (std::size_t i = 0; i + 4 <= bytes.size(); i += 4) {
          text += fmt::format("{}{}", i == 0 ? "" : ", ", base::load_le<std::int32_t>(bytes, i));
        }
        return text + "}";
      }
      for (std::size_t i = 0; i + 8 <= bytes.size(); i += 8) {
        auto word = base::load_le<std::uint64_t>(bytes, i);
        // RLIM_INFINITY reads better by name.
        std::string value = word == 0x7fffffffffffffffULL ? "RLIM_INFINITY" : fmt::format("{}", word);
        text += fmt::format("{}{}", i == 0 ? "" : ", ", value);
      }
      return text + "}";
    }
    default: {
      std::string text(bytes.begin(), bytes.end());
      return " \"" + base::c_escape(text) + "\"";
    }
  }
}

}  // namespace

std::string format_call_result(const MarshalledCall& call, const kern::SyscallResult& result,
                               const kern::UserMemory& memory) {
  // A successful execve returns nothing to the code that made it; truss prints EJUSTRETURN.
  if (result.error == vfs::Errno::Ejustreturn) return "EJUSTRETURN";
  if (!result.ok()) {
    return fmt::format("= -1 {} ({})", vfs::errno_name(*result.error), vfs::errno_text(*result.error));
  }
  std::string text = call.row != nullptr && returns_address(*call.row)
                         ? fmt::format("= {:#x}", result.retval[0])
                         : fmt::format("= {}", static_cast<std::int64_t>(result.retval[0]));
  for (const auto& out : call.outs) {
    // wait4 with WNOHANG and nothing to report leaves *status untouched.
    if (out.format == kern::ArgFormat::StatusOut && result.retval[0] == 0) continue;
    bool directory =
        call.row->number == kern::Sysno::Getdirentries || call.row->number == kern::Sysno::Getdents;
    if (directory && out.format == kern::ArgFormat::OutBuffer) {
      base::Bytes bytes(static_cast<std::size_t>(std::min<std::uint64_t>(result.retval[0], out.size)));
      text += memory.copyin(out.addr, bytes).is_error() ? " <unreadable>" : describe_dirents(bytes);
      continue;
    }
    text += describe_out(out, result, memory);
  }
  return text;
}

}  // namespace procsim::driver
