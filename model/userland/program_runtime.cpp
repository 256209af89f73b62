// The host programs' C runtime; see program_runtime.h. Restates the behaviour of 8.3's libc
// (stdio buffering modes, getpwuid/getgrgid over the flat files, execvp's PATH walk) without
// its code.
#include "model/userland/program_runtime.h"

#include <charconv>

#include "model/machine/arch.h"
#include "sim/base/bytes.h"

#include "sim/base/assert.h"

namespace procsim::userland {

namespace {

// TIOCGETA would tell a terminal from a device; a character device is what stdio sees here.
constexpr std::uint32_t kModeTypeMaskBits = 0170000;
constexpr std::uint32_t kModeCharDeviceBits = 0020000;

}  // namespace

Stdio::Stdio(Usys& sys) : m_sys(&sys) {}

bool Stdio::stdout_is_line_buffered() {
  if (!m_line_buffered.has_value()) {
    auto sb = m_sys->fstat(kStdout);
    m_line_buffered = sb.ok() && (sb.value().mode & kModeTypeMaskBits) == kModeCharDeviceBits;
  }
  return *m_line_buffered;
}

void Stdio::out(std::string_view text) {
  m_pending += text;
  if (stdout_is_line_buffered()) {
    std::size_t end = m_pending.rfind('\n');
    if (end == std::string::npos) return;
    std::string complete = m_pending.substr(0, end + 1);
    m_pending.erase(0, end + 1);
    if (auto wrote = m_sys->write_all(kStdout, complete); wrote.is_error() && !m_stdout_error) {
      m_stdout_error = wrote.error();
    }
    return;
  }
  if (m_pending.size() >= kStdioBufferBytes) flush();
}

void Stdio::err(std::string_view text) {
  // stderr is unbuffered: each call is its own write, errors ignored as warn(3) ignores them.
  (void)m_sys->write_all(kStderr, text);
}

void Stdio::emit(const ProgramOutput& output) {
  for (const OutputPiece& piece : output.pieces()) {
    if (piece.stream == OutputStream::Stdout) {
      out(piece.text);
    } else {
      err(piece.text);
    }
  }
}

void Stdio::flush() {
  if (m_pending.empty()) return;
  std::string text = std::move(m_pending);
  m_pending.clear();
  if (auto wrote = m_sys->write_all(kStdout, text); wrote.is_error() && !m_stdout_error) {
    m_stdout_error = wrote.error();
  }
  PROCSIM_ASSERT(m_pending.empty());
}

std::optional<std::string> ProgramContext::getenv(std::string_view name) const {
  for (const std::string& entry : args.envp) {
    if (entry.size() > name.size() && entry.compare(0, name.size(), name) == 0 && entry[name.size()] == '=') {
      return entry.substr(name.size() + 1);
    }
  }
  return std::nullopt;
}

std::string ProgramContext::progname() const {
  if (args.argv.empty()) return "";
  const std::string& zero = args.argv.front();
  std::size_t slash = zero.rfind('/');
  return slash == std::string::npos ? zero : zero.substr(slash + 1);
}

kern::Program::Entry program_entry(ProgramMain main, ProgramArgs args) {
  PROCSIM_ASSERT(main != nullptr);
  return [main, args = std::move(args)](kern::UserContext& user) {
    Usys sys(user);
    Stdio io(sys);
    ProgramContext context{sys, io, args};
    int status = main(context);
    io.flush();
    PROCSIM_ASSERT(status >= 0 && status <= 255);
    return status;
  };
}

namespace {

// Limits on what crt0 reads from the initial stack: ARG_MAX bounds the strings in all.
constexpr std::size_t kExecVectorMax = 65536;
constexpr std::size_t kExecStringBytesMax = 262144;

std::optional<std::uint64_t> load_word(kern::UserMemory& memory, std::uint64_t addr, std::size_t bytes) {
  std::array<std::uint8_t, 8> raw{};
  if (memory.copyin(kern::UserAddr(addr), std::span(raw.data(), bytes)).is_error()) return std::nullopt;
  return bytes == 8 ? base::load_le<std::uint64_t>(raw, 0) : base::load_le<std::uint32_t>(raw, 0);
}

std::optional<std::string> load_string(kern::UserMemory& memory, std::uint64_t addr, std::size_t& budget) {
  std::string text;
  for (; budget > 0; --budget, ++addr) {
    std::array<std::uint8_t, 1> byte{};
    if (memory.copyin(kern::UserAddr(addr), byte).is_error()) return std::nullopt;
    if (byte[0] == 0) return text;
    text.push_back(static_cast<char>(byte[0]));
  }
  return std::nullopt;
}

std::optional<std::vector<std::string>> load_vector(kern::UserMemory& memory, std::uint64_t table,
                                                    std::uint64_t count, std::size_t pointer_bytes,
                                                    std::size_t& budget) {
  if (count > kExecVectorMax) return std::nullopt;
  std::vector<std::string> strings;
  for (std::uint64_t i = 0; i < count; ++i) {
    std::optional<std::uint64_t> pointer = load_word(memory, table + pointer_bytes * i, pointer_bytes);
    if (!pointer) return std::nullopt;
    std::optional<std::string> text = load_string(memory, *pointer, budget);
    if (!text) return std::nullopt;
    strings.push_back(std::move(*text));
  }
  return strings;
}

}  // namespace

namespace {

// crt0's view of struct ps_strings, four pointer-sized words below the ABI's USRSTACK.
std::optional<ProgramArgs> read_ps_strings(kern::UserMemory& memory, const machine::AbiInfo& abi) {
  std::size_t ptr = abi.pointer_size_bytes;
  PROCSIM_ASSERT(ptr == 4 || ptr == 8);
  std::uint64_t ps_strings = abi.usrstack - 4 * ptr;
  std::optional<std::uint64_t> argv = load_word(memory, ps_strings, ptr);
  std::optional<std::uint64_t> argc = load_word(memory, ps_strings + ptr, 4);
  std::optional<std::uint64_t> envv = load_word(memory, ps_strings + 2 * ptr, ptr);
  std::optional<std::uint64_t> envc = load_word(memory, ps_strings + 3 * ptr, 4);
  if (!argv || !argc || !envv || !envc) return std::nullopt;
  std::size_t budget = kExecStringBytesMax;
  auto arguments = load_vector(memory, *argv, *argc, ptr, budget);
  auto environment = load_vector(memory, *envv, *envc, ptr, budget);
  if (!arguments || !environment) return std::nullopt;
  ProgramArgs args;
  args.argv = std::move(*arguments);
  args.envp = std::move(*environment);
  return args;
}

}  // namespace

std::optional<ProgramArgs> read_exec_arguments(kern::UserContext& user) {
  kern::UserMemory& memory = user.memory();
  // LP64 layouts first; an ILP32 process (i386, or ia32 on amd64) has nothing mapped at their
  // addresses and is found by its own ABI's layout.
  for (std::size_t pointer_bytes : {std::size_t{8}, std::size_t{4}}) {
    for (const machine::AbiInfo& abi : machine::all_abis()) {
      if (abi.pointer_size_bytes != pointer_bytes) continue;
      if (std::optional<ProgramArgs> args = read_ps_strings(memory, abi)) return args;
    }
  }
  return std::nullopt;
}

kern::Program::Entry exec_entry(ProgramMain main) {
  PROCSIM_ASSERT(main != nullptr);
  return [main](kern::UserContext& user) {
    std::optional<ProgramArgs> args = read_exec_arguments(user);
    // An image started without an argument block runs as if argv were empty.
    return program_entry(main, args.value_or(ProgramArgs{}))(user);
  };
}

AccountNames::AccountNames(Usys& sys) {
  // A missing file leaves every id unnamed: ls and ps then print numbers.
  if (auto passwd = read_whole_file(sys, "/etc/passwd"); passwd.ok()) m_users = parse(passwd.value());
  if (auto group = read_whole_file(sys, "/etc/group"); group.ok()) m_groups = parse(group.value());
}

std::vector<AccountNames::Entry> AccountNames::parse(std::string_view text) {
  std::vector<Entry> entries;
  while (!text.empty()) {
    std::size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    if (line.empty() || line.front() == '#') continue;
    // name:password:id:...
    std::size_t first = line.find(':');
    std::size_t second = first == std::string_view::npos ? first : line.find(':', first + 1);
    if (second == std::string_view::npos) continue;
    std::string_view id_text = line.substr(second + 1);
    id_text = id_text.substr(0, id_text.find(':'));
    std::uint32_t id = 0;
    auto [ptr, ec] = std::from_chars(id_text.data(), id_text.data() + id_text.size(), id);
    if (ec != std::errc() || ptr != id_text.data() + id_text.size()) continue;
    entries.push_back(Entry{std::string(line.substr(0, first)), id});
  }
  return entries;
}

std::optional<std::string> AccountNames::find(const std::vector<Entry>& entries, std::uint32_t id) {
  // The first line with the id wins, as getpwuid's sequential scan finds it.
  for (const Entry& entry : entries) {
    if (entry.id == id) return entry.name;
  }
  return std::nullopt;
}

std::optional<std::string> AccountNames::user_name(std::uint32_t uid) const { return find(m_users, uid); }
std::optional<std::string> AccountNames::group_name(std::uint32_t gid) const { return find(m_groups, gid); }

SysResult<std::string> read_whole_file(Usys& sys, std::string_view path) {
  // A limit on what one program reads into memory at once.
  constexpr std::size_t kFileBytesMax = 1024 * 1024;
  int fd = TRY(sys.open(path, vfs::kORdonly));
  std::string text;
  for (;;) {
    auto chunk = sys.read(fd, kReadChunkMax);
    if (chunk.is_error()) {
      (void)sys.close(fd);
      return base::fail(chunk.error());
    }
    if (chunk.value().empty() || text.size() >= kFileBytesMax) break;
    text += chunk.value();
  }
  (void)sys.close(fd);
  return text;
}

vfs::Errno execvp(Usys& sys, std::string_view path_variable, std::span<const std::string> argv,
                  std::span<const std::string> envp) {
  PROCSIM_ASSERT(!argv.empty());
  const std::string& name = argv.front();
  if (name.empty()) return vfs::Errno::Enoent;
  if (name.find('/') != std::string::npos) return sys.execve(name, argv, envp);
  bool eacces = false;
  vfs::Errno last = vfs::Errno::Enoent;
  std::string_view rest = path_variable;
  for (bool more = true; more;) {
    std::size_t colon = rest.find(':');
    more = colon != std::string_view::npos;
    std::string_view directory = rest.substr(0, colon);
    if (more) rest.remove_prefix(colon + 1);
    // An empty element is the current directory.
    std::string candidate = directory.empty() ? name : std::string(directory) + "/" + name;
    last = sys.execve(candidate, argv, envp);
    if (last == vfs::Errno::Eacces) {
      eacces = true;
      continue;
    }
    // Only "not here" errors move on to the next directory.
    if (last != vfs::Errno::Enoent && last != vfs::Errno::Enotdir) return last;
  }
  return eacces ? vfs::Errno::Eacces : last;
}

}  // namespace procsim::userland
