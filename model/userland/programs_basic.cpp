// The small programs: true, false, echo, cat, sleep, kill, hexdump, env, id and dmesg
// (FreeBSD 8.3 usr.bin/true, bin/echo, bin/cat, bin/sleep, bin/kill, usr.bin/hexdump,
// usr.bin/env, usr.bin/id, sbin/dmesg), restated from their documented behaviour. cat's
// -benstuv, hexdump's formats other than -C and env's -P/-S/-u/-v are not modelled.
#include <charconv>

#include <fmt/format.h>

#include "model/kern/signal.h"
#include "model/userland/getopt.h"
#include "model/userland/hexdump_format.h"
#include "model/userland/program_errors.h"
#include "model/userland/programs.h"
#include "sim/base/assert.h"
#include "sim/base/text.h"

namespace procsim::userland {

namespace {

std::span<const std::string> operands_of(const ProgramContext& context) {
  std::span<const std::string> all(context.args.argv);
  return all.empty() ? all : all.subspan(1);
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

}  // namespace

int true_main(ProgramContext&) { return 0; }
int false_main(ProgramContext&) { return 1; }

// ---- echo ---------------------------------------------------------------------------------

std::string echo_text(std::span<const std::string> arguments) {
  bool newline = true;
  if (!arguments.empty() && arguments.front() == "-n") {
    newline = false;
    arguments = arguments.subspan(1);
  }
  std::string text;
  for (std::size_t i = 0; i < arguments.size(); ++i) {
    std::string_view word = arguments[i];
    // A "\c" ending the last word suppresses the newline (and is not printed).
    if (i + 1 == arguments.size() && word.size() >= 2 && word.substr(word.size() - 2) == "\\c") {
      word.remove_suffix(2);
      newline = false;
    }
    if (i > 0) text += ' ';
    text += word;
  }
  if (newline) text += '\n';
  return text;
}

int echo_main(ProgramContext& context) {
  // echo writes with one writev(2) and reports a failure through raw writes to stderr.
  std::string text = echo_text(operands_of(context));
  if (auto wrote = context.sys.write_all(kStdout, text); wrote.is_error()) {
    context.io.err(fmt::format("{}: write: {}\n", context.args.argv.front(), strerror_text(wrote.error())));
    return 1;
  }
  return 0;
}

// ---- cat ----------------------------------------------------------------------------------

namespace {

// raw_cat(): copies one descriptor to stdout with read(2)/write(2), no stdio. A failed write
// ends the program ("cat: stdout: ..."), a failed read is a warning about the file.
enum class CatOutcome { Done, ReadFailed, WriteFailed };

CatOutcome raw_cat(ProgramContext& context, int fd, std::string_view name, std::string& diagnostic) {
  // A limit on how much one cat copies, so a file that never ends cannot hold the machine.
  constexpr std::uint64_t kCatBytesMax = 64ULL * 1024 * 1024;
  std::uint64_t copied = 0;
  while (copied < kCatBytesMax) {
    auto chunk = context.sys.read(fd, 4096);
    if (chunk.is_error()) {
      diagnostic = warn_text("cat", name, strerror_text(chunk.error()));
      return CatOutcome::ReadFailed;
    }
    if (chunk.value().empty()) return CatOutcome::Done;
    if (auto wrote = context.sys.write_all(kStdout, chunk.value()); wrote.is_error()) {
      diagnostic = warn_text("cat", "stdout", strerror_text(wrote.error()));
      return CatOutcome::WriteFailed;
    }
    copied += chunk.value().size();
  }
  return CatOutcome::Done;
}

}  // namespace

int cat_main(ProgramContext& context) {
  GetoptResult parsed = parse_options("cat", operands_of(context), "benstuv");
  if (!parsed.ok()) {
    context.io.err(parsed.error);
    context.io.err("usage: cat [-benstuv] [file ...]\n");
    return 1;
  }
  std::vector<std::string> files = parsed.operands;
  if (files.empty()) files.emplace_back("-");
  int status = 0;
  for (const std::string& path : files) {
    bool is_stdin = path == "-";
    int fd = kStdin;
    if (!is_stdin) {
      auto opened = context.sys.open(path, vfs::kORdonly);
      if (opened.is_error()) {
        context.io.err(warn_text("cat", path, strerror_text(opened.error())));
        status = 1;
        continue;
      }
      fd = opened.value();
    }
    std::string diagnostic;
    CatOutcome outcome = raw_cat(context, fd, is_stdin ? "stdin" : path, diagnostic);
    if (!is_stdin) (void)context.sys.close(fd);
    if (outcome == CatOutcome::Done) continue;
    context.io.err(diagnostic);
    if (outcome == CatOutcome::WriteFailed) return 1;
    status = 1;
  }
  return status;
}

// ---- sleep --------------------------------------------------------------------------------

std::optional<SleepDuration> parse_sleep_duration(std::string_view operand) {
  constexpr std::int64_t kIntMax = 2147483647;
  std::size_t at = 0;
  while (at < operand.size() && (operand[at] == ' ' || operand[at] == '\t')) ++at;
  bool negative = false;
  if (at < operand.size() && operand[at] == '-') {
    negative = true;
    ++at;
    if (at >= operand.size() || (!is_digit(operand[at]) && operand[at] != '.')) return std::nullopt;
  } else if (at < operand.size() && operand[at] == '+') {
    ++at;
  }
  SleepDuration duration;
  while (at < operand.size() && is_digit(operand[at])) {
    duration.seconds = std::min(duration.seconds * 10 + (operand[at] - '0'), kIntMax);
    ++at;
  }
  if (at < operand.size() && operand[at] == '.') {
    ++at;
    std::int64_t scale = 100'000'000;
    while (at < operand.size() && is_digit(operand[at])) {
      duration.nanoseconds += (operand[at] - '0') * scale;
      scale /= 10;
      ++at;
    }
  }
  // Anything after the number is ignored, as strtol's end pointer is.
  if (negative) return SleepDuration{};
  PROCSIM_ASSERT(duration.nanoseconds < 1'000'000'000);
  return duration;
}

int sleep_main(ProgramContext& context) {
  auto operands = operands_of(context);
  std::optional<SleepDuration> duration;
  if (operands.size() == 1) duration = parse_sleep_duration(operands.front());
  if (!duration) {
    context.io.err("usage: sleep seconds\n");
    return 1;
  }
  if (duration->seconds > 0 || duration->nanoseconds > 0) {
    (void)context.sys.nanosleep(duration->seconds, duration->nanoseconds);
  }
  return 0;
}

// ---- kill ---------------------------------------------------------------------------------

namespace {

constexpr std::string_view kKillUsage =
    "usage: kill [-s signal_name] pid ...\n"
    "       kill -l [exit_status]\n"
    "       kill -signal_name pid ...\n"
    "       kill -signal_number pid ...\n";
// sys_nsig: kill(1) knows signals 1..31.
constexpr int kKillNsig = 32;

ProgramOutput kill_failure(std::string_view stderr_text, int status) {
  ProgramOutput output;
  output.err(stderr_text);
  output.set_exit_status(status);
  return output;
}

ProgramOutput kill_usage() { return kill_failure(kKillUsage, 2); }

ProgramOutput kill_nosig(std::string_view name) {
  return kill_failure(warnx_text("kill", fmt::format("unknown signal {}; valid signals:", name)) +
                          kern::kill_list_text(kern::LetterCase::Lower),
                      2);
}

std::optional<int> parse_decimal(std::string_view text) {
  int value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || ptr != text.data() + text.size()) return std::nullopt;
  return value;
}

base::Result<KillPlan, ProgramOutput> kill_list(std::span<const std::string> rest) {
  if (rest.size() > 1) return base::fail(kill_usage());
  ProgramOutput output;
  if (rest.empty()) {
    output.out(kern::kill_list_text(kern::LetterCase::Lower));
    return base::fail(output);
  }
  const std::string& word = rest.front();
  if (word.empty() || !is_digit(word.front())) return base::fail(kill_usage());
  std::optional<int> number = parse_decimal(word);
  if (number && *number >= 128) *number -= 128;
  if (!number || *number <= 0 || *number >= kKillNsig) {
    return base::fail(kill_failure(warnx_text("kill", fmt::format("illegal signal number: {}", word)), 2));
  }
  output.out(kern::kill_name(kern::Signal(static_cast<std::uint32_t>(*number)), kern::LetterCase::Lower) +
             "\n");
  return base::fail(output);
}

}  // namespace

base::Result<KillPlan, ProgramOutput> parse_kill_arguments(std::span<const std::string> arguments) {
  if (arguments.empty()) return base::fail(kill_usage());
  if (arguments.front() == "-l") return kill_list(arguments.subspan(1));
  KillPlan plan;
  std::span<const std::string> rest = arguments;
  const std::string& first = rest.front();
  if (first == "-s") {
    rest = rest.subspan(1);
    if (rest.empty()) {
      return base::fail(
          kill_failure(warnx_text("kill", "option requires an argument -- s") + std::string(kKillUsage), 2));
    }
    if (rest.front() == "0") {
      plan.signal = 0;
    } else {
      auto signal = kern::signal_from_kill_name(rest.front());
      if (!signal) return base::fail(kill_nosig(rest.front()));
      plan.signal = static_cast<int>(signal->value());
    }
    rest = rest.subspan(1);
  } else if (first.size() >= 1 && first[0] == '-' && (first.size() < 2 || first[1] != '-')) {
    std::string_view name = std::string_view(first).substr(1);
    if (!name.empty() && is_alpha(name.front())) {
      auto signal = kern::signal_from_kill_name(name);
      if (!signal) return base::fail(kill_nosig(name));
      plan.signal = static_cast<int>(signal->value());
    } else if (!name.empty() && is_digit(name.front())) {
      std::optional<int> number = parse_decimal(name);
      if (!number)
        return base::fail(
            kill_failure(warnx_text("kill", fmt::format("illegal signal number: {}", name)), 2));
      plan.signal = *number;
    } else {
      return base::fail(kill_nosig(name));
    }
    rest = rest.subspan(1);
  }
  if (!rest.empty() && rest.front().starts_with("--")) rest = rest.subspan(1);
  if (rest.empty()) return base::fail(kill_usage());
  plan.operands.assign(rest.begin(), rest.end());
  return plan;
}

std::optional<std::int32_t> parse_kill_pid(std::string_view operand) {
  std::int64_t value = 0;
  std::string_view digits = operand;
  if (!digits.empty() && digits.front() == '+') digits.remove_prefix(1);
  auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (digits.empty() || ec != std::errc() || ptr != digits.data() + digits.size()) return std::nullopt;
  // pid_t is 32 bits: strtol's long is truncated by the assignment, as in kill.c.
  return static_cast<std::int32_t>(value);
}

int kill_main(ProgramContext& context) {
  auto plan = parse_kill_arguments(operands_of(context));
  if (plan.is_error()) {
    context.io.emit(plan.error());
    return plan.error().exit_status();
  }
  int status = 0;
  for (const std::string& operand : plan.value().operands) {
    std::optional<std::int32_t> pid = parse_kill_pid(operand);
    if (!pid) {
      context.io.err(warnx_text("kill", fmt::format("illegal process id: {}", operand)));
      return 2;
    }
    if (auto sent = context.sys.kill(*pid, plan.value().signal); sent.is_error()) {
      context.io.err(warn_text("kill", operand, strerror_text(sent.error())));
      status = 1;
    }
  }
  return status;
}

// ---- hexdump ------------------------------------------------------------------------------

int hexdump_main(ProgramContext& context) {
  GetoptResult parsed = parse_options("hexdump", operands_of(context), "bcCde:f:n:os:vx");
  bool canonical = false;
  bool other = !parsed.ok();
  std::optional<std::uint64_t> length;  // -n: at most this many bytes of input
  for (const ParsedOption& option : parsed.options) {
    if (option.letter == 'C') {
      canonical = true;
    } else if (option.letter == 'n') {
      // atoi(3): leading digits, anything else stops the number (so "x" is 0).
      std::string_view text = *option.argument;
      std::size_t digits = 0;
      while (digits < text.size() && digits < 18 && text[digits] >= '0' && text[digits] <= '9') ++digits;
      if (!text.empty() && text.front() == '-') {
        context.io.err(fmt::format("hexdump: {}: bad length value\n", text));
        return 1;
      }
      length = digits == 0 ? 0 : base::parse_c_unsigned(text.substr(0, digits)).value_or(0);
    } else {
      other = true;
    }
  }
  if (!canonical || other) {
    // Only the canonical display (with -n) is modelled; other formats are a usage error.
    context.io.err(parsed.error);
    context.io.err(
        "usage: hexdump [-bcCdovx] [-e fmt] [-f fmt_file] [-n length]\n"
        "               [-s skip] [file ...]\n");
    return 1;
  }
  CanonicalHexdump dump;
  int status = 0;
  std::vector<std::string> files = parsed.operands;
  bool from_stdin = files.empty();
  if (from_stdin) files.emplace_back("-");
  for (const std::string& path : files) {
    int fd = kStdin;
    if (!from_stdin) {
      auto opened = context.sys.open(path, vfs::kORdonly);
      if (opened.is_error()) {
        context.io.err(warn_text("hexdump", path, strerror_text(opened.error())));
        status = 1;
        continue;
      }
      fd = opened.value();
    }
    for (;;) {
      if (length == std::uint64_t{0}) break;
      auto chunk = context.sys.read(
          fd, static_cast<std::size_t>(std::min<std::uint64_t>(4096, length.value_or(4096))));
      if (chunk.is_error()) {
        context.io.err(warn_text("hexdump", from_stdin ? "stdin" : path, strerror_text(chunk.error())));
        status = 1;
        break;
      }
      if (chunk.value().empty()) break;
      if (length) *length -= chunk.value().size();
      context.io.out(dump.feed(chunk.value()));
    }
    if (!from_stdin) (void)context.sys.close(fd);
  }
  context.io.out(dump.finish());
  return status;
}

// ---- env ----------------------------------------------------------------------------------

int env_main(ProgramContext& context) {
  std::span<const std::string> rest = operands_of(context);
  std::vector<std::string> environment = context.args.envp;
  if (!rest.empty() && (rest.front() == "-i" || rest.front() == "-")) {
    environment.clear();
    rest = rest.subspan(1);
  }
  // NAME=value operands set variables until the first word without '='.
  while (!rest.empty() && rest.front().find('=') != std::string::npos && rest.front().front() != '=') {
    std::string name = rest.front().substr(0, rest.front().find('='));
    std::erase_if(environment, [&](const std::string& entry) { return entry.starts_with(name + "="); });
    environment.push_back(rest.front());
    rest = rest.subspan(1);
  }
  if (rest.empty()) {
    for (const std::string& entry : environment) context.io.out(entry + "\n");
    return 0;
  }
  std::string path = std::string(kDefaultPath);
  for (const std::string& entry : environment) {
    if (entry.starts_with("PATH=")) path = entry.substr(5);
  }
  context.io.flush();
  std::vector<std::string> argv(rest.begin(), rest.end());
  vfs::Errno error = execvp(context.sys, path, argv, environment);
  context.io.err(warn_text("env", argv.front(), strerror_text(error)));
  return error == vfs::Errno::Enoent ? 127 : 126;
}

// ---- id -----------------------------------------------------------------------------------

std::string format_id(const IdFacts& facts, const NameLookup& user_name, const NameLookup& group_name) {
  auto named = [](std::uint32_t id, const NameLookup& lookup) {
    std::optional<std::string> name = lookup ? lookup(id) : std::nullopt;
    return name ? fmt::format("{}({})", id, *name) : fmt::format("{}", id);
  };
  std::string text = fmt::format("uid={} gid={}", named(facts.uid, user_name), named(facts.gid, group_name));
  if (facts.euid != facts.uid) text += fmt::format(" euid={}", named(facts.euid, user_name));
  if (facts.egid != facts.gid) text += fmt::format(" egid={}", named(facts.egid, group_name));
  // Adjacent duplicates print once, as id.c compares each group with the one before.
  std::optional<std::uint32_t> last;
  std::string_view separator = " groups=";
  for (std::uint32_t gid : facts.groups) {
    if (last == gid) continue;
    text += separator;
    text += named(gid, group_name);
    separator = ",";
    last = gid;
  }
  return text + "\n";
}

namespace {

constexpr std::string_view kIdUsage =
    "usage: id [user]\n       id -A\n       id -G [-n] [user]\n       id -M\n"
    "       id -P [user]\n       id -g [-nr] [user]\n       id -p [user]\n"
    "       id -u [-nr] [user]\n";

// id -u, -g or -G (with -n for names, -r for the real id): one line.
std::string id_single(ProgramContext& context, const AccountNames& names, char what, bool by_name,
                      bool real) {
  auto named = [&](std::uint32_t id, bool is_group) {
    std::optional<std::string> name = is_group ? names.group_name(id) : names.user_name(id);
    return by_name && name ? *name : fmt::format("{}", id);
  };
  if (what == 'u') return named(real ? context.sys.getuid() : context.sys.geteuid(), false) + "\n";
  if (what == 'g') return named(real ? context.sys.getgid() : context.sys.getegid(), true) + "\n";
  std::string line;
  std::optional<std::uint32_t> last;
  for (std::uint32_t gid : context.sys.getgroups().value_or({})) {
    if (last == gid) continue;
    if (!line.empty()) line += ' ';
    line += named(gid, true);
    last = gid;
  }
  return line + "\n";
}

}  // namespace

int id_main(ProgramContext& context) {
  GetoptResult parsed = parse_options("id", operands_of(context), "AGMPagnpru");
  int selectors = 0;
  char what = 0;
  bool by_name = false;
  bool real = false;
  bool unmodelled = false;
  for (const ParsedOption& option : parsed.options) {
    if (option.letter == 'n') by_name = true;
    if (option.letter == 'r') real = true;
    if (option.letter == 'u' || option.letter == 'g' || option.letter == 'G') what = option.letter;
    if (std::string_view("AGMPgpu").find(option.letter) != std::string_view::npos) ++selectors;
    if (std::string_view("AMPpa").find(option.letter) != std::string_view::npos) unmodelled = true;
  }
  // One selector at most; -n and -r only with one. User operands are not modelled.
  bool usage = !parsed.ok() || selectors > 1 || (selectors == 0 && (by_name || real)) || unmodelled ||
               !parsed.operands.empty();
  if (usage) {
    context.io.err(parsed.error);
    context.io.err(kIdUsage);
    return 1;
  }
  AccountNames names(context.sys);
  if (what != 0) {
    context.io.out(id_single(context, names, what, by_name, real));
    return 0;
  }
  IdFacts facts;
  facts.uid = context.sys.getuid();
  facts.gid = context.sys.getgid();
  facts.euid = context.sys.geteuid();
  facts.egid = context.sys.getegid();
  facts.groups = context.sys.getgroups().value_or({});
  context.io.out(format_id(
      facts, [&](std::uint32_t uid) { return names.user_name(uid); },
      [&](std::uint32_t gid) { return names.group_name(gid); }));
  return 0;
}

// ---- dmesg --------------------------------------------------------------------------------

namespace {

// vis(3) with no flags: printable characters, space, tab and newline pass; others become
// "\^X" (control), "\^?" (DEL) or "\M-" followed by the low seven bits' form.
void vis_char(std::string& out, unsigned char c) {
  if ((c >= 0x20 && c < 0x7f) || c == '\t' || c == '\n') {
    out += static_cast<char>(c);
    return;
  }
  out += '\\';
  if (c & 0x80) {
    out += "M-";
    c &= 0x7f;
    if ((c >= 0x20 && c < 0x7f)) {
      out += static_cast<char>(c);
      return;
    }
  }
  out += '^';
  out += c == 0x7f ? '?' : static_cast<char>(c + '@');
}

}  // namespace

std::string format_dmesg(std::string_view buffer) {
  // LOG_KERN is facility 0: "<N>" prefixes with N < 8 belong to the kernel.
  std::size_t at = buffer.find_first_not_of('\0');
  if (at == std::string_view::npos) return "";
  buffer.remove_prefix(at);
  std::string out;
  while (!buffer.empty()) {
    std::size_t end = buffer.find('\n');
    std::string_view line = buffer.substr(0, end == std::string_view::npos ? buffer.size() : end + 1);
    buffer.remove_prefix(line.size());
    if (line.size() > 2 && line[0] == '<' && is_digit(line[1])) {
      std::size_t close = line.find('>');
      std::optional<int> priority =
          close == std::string_view::npos ? std::nullopt : parse_decimal(line.substr(1, close - 1));
      if (priority) {
        if (*priority >= 8) continue;
        line.remove_prefix(close + 1);
      }
    }
    for (char c : line) vis_char(out, static_cast<unsigned char>(c));
  }
  return out;
}

int dmesg_main(ProgramContext& context) {
  // sysctlbyname("kern.msgbuf"): the name to its number, then the node.
  auto oid = context.sys.sysctl_name_to_oid("kern.msgbuf");
  std::optional<vfs::Errno> error;
  std::string buffer;
  if (oid.ok()) {
    auto contents = context.sys.sysctl(oid.value(), 256 * 1024);
    if (contents.ok()) buffer = contents.value();
    if (contents.is_error()) error = contents.error();
  } else {
    error = oid.error();
  }
  if (error) {
    context.io.err(warn_text("dmesg", "sysctl kern.msgbuf", strerror_text(*error)));
    return 1;
  }
  context.io.out(format_dmesg(buffer));
  return 0;
}

}  // namespace procsim::userland
