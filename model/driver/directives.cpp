// Directive handlers (docs/scenario-format.md "Directives"). Each checks its arguments, reporting
// the first problem at its column, then acts on the session's machine.
#include "model/driver/directives.h"

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>

#include <fmt/format.h>

#include "model/driver/login.h"
#include "model/kern/pid_alloc.h"
#include "model/machine/arch.h"
#include "model/machine/asm/assembler.h"
#include "model/vfs/errno.h"
#include "model/vfs/memfs.h"
#include "sim/base/text.h"
#include "sim/time.h"

namespace procsim::driver {

namespace {

using script::Directive;
using script::ScriptResult;

constexpr std::array<std::string_view, 3> kProfileNames = {"4.4bsd", "freebsd4", "freebsd8"};
constexpr std::array<std::string_view, 2> kChoiceModes = {"first", "seeded"};

ScriptResult<std::uint32_t> parse_hz(const Directive& directive) {
  auto hz = TRY(directive.get_u64("hz"));
  if (!hz) return std::uint32_t{1000};
  if (*hz < sim::SimClock::kHzMin || *hz > sim::SimClock::kHzMax) {
    return base::fail(directive.error_at(
        *directive.find("hz"),
        fmt::format("hz must be between {} and {}", sim::SimClock::kHzMin, sim::SimClock::kHzMax)));
  }
  return static_cast<std::uint32_t>(*hz);
}

ScriptResult<std::int64_t> parse_epoch(const Directive& directive, system::Profile profile) {
  auto clock = TRY(directive.get_string("clock"));
  std::string text = clock ? *clock : std::string(system::profile_info(profile).default_clock);
  auto seconds = sim::parse_clock(text);
  if (!seconds) {
    const script::Word& word = *directive.find("clock");
    return base::fail(directive.error_at(
        word.value_column,
        fmt::format("bad clock '{}' (expected \"YYYY-MM-DD HH:MM:SS\", 1970 to 9999)", text)));
  }
  return *seconds;
}

ScriptResult<int> parse_securelevel(const Directive& directive) {
  auto level = TRY(directive.get_i64("securelevel"));
  if (!level) return -1;
  if (*level < -1 || *level > 3) {
    return base::fail(directive.error_at(directive.find("securelevel")->value_column,
                                         "securelevel must be between -1 and 3"));
  }
  return static_cast<int>(*level);
}

ScriptResult<void> do_machine(Session& session, const Directive& directive, OutputLines&) {
  TRY(directive.check_keys({"arch", "profile", "seed", "hz", "clock", "securelevel", "choices"}));
  TRY(directive.check_positionals(0));
  system::MachineConfig config;
  auto arch = TRY(directive.get_choice("arch", system::kArchNames));
  if (!arch) return base::fail(directive.missing_argument("arch"));
  config.arch = std::string(system::kArchNames[*arch]);
  auto profile = TRY(directive.get_choice("profile", kProfileNames));
  config.profile = profile ? system::kProfiles[*profile].profile : system::Profile::FreeBSD4;
  auto seed = TRY(directive.get_u64("seed"));
  config.seed = session.seed_override().value_or(seed.value_or(0));
  config.hz = TRY(parse_hz(directive));
  config.epoch_seconds = TRY(parse_epoch(directive, config.profile));
  config.securelevel = TRY(parse_securelevel(directive));
  auto choices = TRY(directive.get_choice("choices", kChoiceModes));
  config.seeded_choices = choices.value_or(0) == 1;
  session.boot(std::move(config));
  return {};
}

ScriptResult<std::uint32_t> parse_id(const Directive& directive, std::string_view key) {
  auto value = TRY(directive.require_u64(key));
  if (value > std::numeric_limits<std::uint32_t>::max() - 1) {
    return base::fail(directive.error_at(directive.find(key)->value_column,
                                         fmt::format("{} out of range (0 to 4294967294)", key)));
  }
  return static_cast<std::uint32_t>(value);
}

ScriptResult<std::string> parse_account_name(const Directive& directive) {
  auto positionals = directive.positionals();
  if (positionals.empty()) {
    return base::fail(directive.error_at(static_cast<int>(directive.name().size()) + 2,
                                         fmt::format("missing name after '{}'", directive.name())));
  }
  TRY(directive.check_positionals(1));
  const std::string& name = positionals[0]->value;
  bool valid = !name.empty() && name.size() <= 16 &&
               name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_-") == std::string::npos;
  if (!valid) {
    return base::fail(
        directive.error_at(*positionals[0], fmt::format("bad name '{}' (lower-case letters, digits, '_' "
                                                        "and '-', at most 16)",
                                                        name)));
  }
  return name;
}

std::string_view account_error_text(system::AccountError error) {
  switch (error) {
    case system::AccountError::DuplicateName: return "already exists";
    case system::AccountError::DuplicateId: return "uses an id that is already taken";
  }
  PROCSIM_UNREACHABLE();
}

ScriptResult<void> do_group(Session& session, const Directive& directive, OutputLines&) {
  system::Machine* machine = TRY(session.require_machine(directive));
  TRY(directive.check_keys({"gid"}));
  std::string name = TRY(parse_account_name(directive));
  std::uint32_t gid = TRY(parse_id(directive, "gid"));
  if (auto error = machine->add_group({name, gid})) {
    return base::fail(directive.error_at(*directive.positionals()[0],
                                         fmt::format("group '{}' {}", name, account_error_text(*error))));
  }
  return {};
}

ScriptResult<void> do_user(Session& session, const Directive& directive, OutputLines&) {
  system::Machine* machine = TRY(session.require_machine(directive));
  TRY(directive.check_keys({"uid", "gid", "groups"}));
  std::string name = TRY(parse_account_name(directive));
  system::User user;
  user.name = name;
  user.uid = TRY(parse_id(directive, "uid"));
  user.gid = TRY(parse_id(directive, "gid"));
  auto groups = TRY(directive.get_u64_list("groups"));
  if (groups) {
    for (std::uint64_t gid : *groups) {
      if (gid > std::numeric_limits<std::uint32_t>::max() - 1) {
        return base::fail(directive.error_at(directive.find("groups")->value_column, "gid out of range"));
      }
      user.groups.push_back(static_cast<std::uint32_t>(gid));
    }
  }
  if (auto error = machine->add_user(std::move(user))) {
    return base::fail(directive.error_at(*directive.positionals()[0],
                                         fmt::format("user '{}' {}", name, account_error_text(*error))));
  }
  return {};
}

void report_run(const sim::RunReport& report, OutputLines& out) {
  switch (report.outcome) {
    case sim::RunOutcome::Done:
    case sim::RunOutcome::Idle: return;
    case sim::RunOutcome::Blocked: out.emplace_back("(blocked)"); return;
    case sim::RunOutcome::LimitReached:
      out.push_back(fmt::format("(limit reached: {})", sim::run_limit_name(report.limit)));
      return;
    case sim::RunOutcome::ReplayDiverged: out.emplace_back("(replay diverged)"); return;
  }
  PROCSIM_UNREACHABLE();
}

ScriptResult<void> do_run(Session& session, const Directive& directive, OutputLines& out) {
  system::Machine* machine = TRY(session.require_machine(directive));
  TRY(directive.check_keys({"ticks", "until"}));
  TRY(directive.check_positionals(0));
  auto ticks = TRY(directive.get_u64("ticks"));
  auto until = TRY(directive.get_string("until"));
  if (ticks.has_value() == until.has_value()) {
    return base::fail(
        directive.error_at(Directive::name_column(), "'run' needs exactly one of ticks=N or until=idle"));
  }
  if (until && *until != "idle") {
    return base::fail(
        directive.error_at(directive.find("until")->value_column,
                           fmt::format("unknown value '{}' for 'until' (expected idle)", *until)));
  }
  sim::Engine& engine = machine->engine();
  if (ticks && *ticks > engine.config().limits.max_ticks_per_run) {
    return base::fail(directive.error_at(
        directive.find("ticks")->value_column,
        fmt::format("ticks must be at most {}", engine.config().limits.max_ticks_per_run)));
  }
  if (ticks) {
    report_run(engine.run_ticks(*machine, *ticks), out);
    return {};
  }
  // until=idle: idle is the run_until's Blocked outcome (nothing left to run).
  bool exhausted = false;
  sim::RunReport report = session.run_bounded([] { return false; }, Session::kWaitCpuSeconds, exhausted);
  if (exhausted) {
    out.emplace_back("(still running)");
  } else if (report.outcome != sim::RunOutcome::Blocked) {
    report_run(report, out);
  }
  return {};
}

ScriptResult<void> do_trace(Session& session, const Directive& directive, OutputLines&) {
  system::Machine* machine = TRY(session.require_machine(directive));
  TRY(directive.check_keys({}));
  auto positionals = directive.positionals();
  if (positionals.size() != 1 || (positionals[0]->value != "on" && positionals[0]->value != "off")) {
    int column = positionals.empty() ? static_cast<int>(directive.name().size()) + 2 : positionals[0]->column;
    return base::fail(directive.error_at(column, "'trace' takes 'on' or 'off'"));
  }
  machine->kernel().set_trace(positionals[0]->value == "on");
  return {};
}

ScriptResult<void> do_nextpid(Session& session, const Directive& directive, OutputLines&) {
  system::Machine* machine = TRY(session.require_machine(directive));
  TRY(directive.check_keys({}));
  TRY(directive.check_positionals(1));
  std::uint64_t pid = TRY(directive.positional_u64(0));
  const script::Word& word = *directive.positionals()[0];
  if (pid == 0 || pid > static_cast<std::uint64_t>(kern::PID_MAX)) {
    return base::fail(directive.error_at(word, fmt::format("pid must be between 1 and {}", kern::PID_MAX)));
  }
  auto set = machine->kernel().set_next_pid(kern::Pid(static_cast<std::int32_t>(pid)));
  if (set.is_error()) {
    return base::fail(
        directive.error_at(word, fmt::format("cannot use pid {}: {}", pid, vfs::errno_text(set.error()))));
  }
  return {};
}

// A pid-valued key of spawn, checked against PID_MAX.
ScriptResult<std::optional<kern::Pid>> pid_argument(const Directive& directive, std::string_view key) {
  auto value = TRY(directive.get_u64(key));
  if (!value) return std::optional<kern::Pid>{};
  if (*value > static_cast<std::uint64_t>(kern::PID_MAX)) {
    return base::fail(directive.error_at(directive.find(key)->value_column,
                                         fmt::format("{} must be at most {}", key, kern::PID_MAX)));
  }
  return std::optional<kern::Pid>{kern::Pid(static_cast<std::int32_t>(*value))};
}

ScriptResult<kern::SpawnSpec> spawn_spec(system::Machine& machine, const Directive& directive) {
  kern::SpawnSpec spec;
  spec.pid = TRY(pid_argument(directive, "pid"));
  spec.ppid = TRY(pid_argument(directive, "ppid"));
  spec.pgid = TRY(pid_argument(directive, "pgid"));
  spec.sid = TRY(pid_argument(directive, "sid"));
  if (auto user_name = TRY(directive.get_string("user"))) {
    const system::User* user = machine.find_user(*user_name);
    if (user == nullptr) {
      return base::fail(directive.error_at(directive.find("user")->value_column,
                                           fmt::format("unknown user '{}'", *user_name)));
    }
    spec.cred = machine.credentials_of(*user);
    spec.login = user->name;
  }
  spec.tty = TRY(directive.get_string("tty"));
  if (auto jail = TRY(directive.get_u64("jail"))) {
    if (*jail == 0 || *jail >= machine.kernel().prison_count()) {
      return base::fail(directive.error_at(directive.find("jail")->value_column,
                                           fmt::format("no jail {} (make one with 'jail')", *jail)));
    }
    spec.prison = vfs::PrisonId(static_cast<std::uint32_t>(*jail));
  }
  return spec;
}

// spawn ... script, or spawn ... -- PATH [ARGS...]: a process that execs PATH.
ScriptResult<void> do_spawn(Session& session, const Directive& directive, OutputLines& out) {
  system::Machine* machine = TRY(session.require_machine(directive));
  TRY(directive.check_keys({"pid", "ppid", "user", "tty", "pgid", "sid", "jail", "name"}));
  auto positionals = directive.positionals();
  auto command = directive.after_separator();
  bool scripted = positionals.size() == 1 && positionals[0]->value == "script" && !directive.has_separator();
  bool exec = directive.has_separator() && !command.empty() && positionals.empty();
  if (!scripted && !exec) {
    int column = positionals.empty() ? static_cast<int>(directive.name().size()) + 2 : positionals[0]->column;
    return base::fail(directive.error_at(column, "'spawn' takes 'script' or '-- PATH [ARGS...]'"));
  }
  kern::SpawnSpec spec = TRY(spawn_spec(*machine, directive));
  vfs::KResult<kern::Pid> pid = base::fail(vfs::Errno::Einval);
  if (scripted) {
    auto name = TRY(directive.get_string("name"));
    spec.comm = name.value_or("script");
    spec.argv = {spec.comm};
    pid = machine->kernel().spawn_scripted(spec);
  } else {
    for (const script::Word* word : command) spec.argv.push_back(word->value);
    pid = machine->kernel().spawn_exec(spec, command.front()->value);
  }
  if (pid.is_error()) {
    return base::fail(directive.error_at(Directive::name_column(),
                                         fmt::format("cannot spawn: {}", vfs::errno_text(pid.error()))));
  }
  out.push_back(fmt::format("pid {}", pid.value()));
  return {};
}

ScriptResult<void> do_wait(Session& session, const Directive& directive, OutputLines& out) {
  TRY(session.require_machine(directive));
  TRY(directive.check_keys({}));
  auto positionals = directive.positionals();
  std::optional<std::uint64_t> pid;
  if (positionals.size() == 1 && positionals[0]->value.size() > 1 && positionals[0]->value[0] == '@') {
    pid = base::parse_c_unsigned(positionals[0]->value.substr(1));
  }
  if (!pid) {
    int column = positionals.empty() ? static_cast<int>(directive.name().size()) + 2 : positionals[0]->column;
    return base::fail(
        directive.error_at(column, "'wait' takes @PID, a process with a call started with '&'"));
  }
  if (*pid > 0xffffffffu || !session.has_pending_call(static_cast<std::uint32_t>(*pid))) {
    return base::fail(
        directive.error_at(*positionals[0], fmt::format("process {} has no call in progress", *pid)));
  }
  session.finish_call(static_cast<std::uint32_t>(*pid), out);
  return {};
}

// `jail [parent=N]`: a new prison beneath prison0 or jail N; prints `jail N` with its id.
ScriptResult<void> do_jail(Session& session, const Directive& directive, OutputLines& out) {
  system::Machine* machine = TRY(session.require_machine(directive));
  TRY(directive.check_keys({"parent"}));
  TRY(directive.check_positionals(0));
  kern::Kernel& kernel = machine->kernel();
  vfs::PrisonId parent = vfs::kPrison0;
  if (auto given = TRY(directive.get_u64("parent"))) {
    if (*given >= kernel.prison_count()) {
      return base::fail(directive.error_at(directive.find("parent")->value_column,
                                           fmt::format("no jail {} to be the parent", *given)));
    }
    parent = vfs::PrisonId(static_cast<std::uint32_t>(*given));
  }
  vfs::KResult<vfs::PrisonId> id = kernel.create_prison(parent);
  if (id.is_error()) {
    return base::fail(directive.error_at(Directive::name_column(),
                                         fmt::format("cannot make a jail: {}", vfs::errno_text(id.error()))));
  }
  out.push_back(fmt::format("jail {}", id.value().value()));
  return {};
}

// `swap [overcommit=N]`: sets vm.overcommit when given, then shows the 2009 swap books
// (spec/kernel.md §5.3): the policy, the global reservation and each uid's ui_vmsize, in uid
// order, for every uid that ever held a reservation.
ScriptResult<void> do_swap(Session& session, const Directive& directive, OutputLines& out) {
  system::Machine* machine = TRY(session.require_machine(directive));
  TRY(directive.check_keys({"overcommit"}));
  TRY(directive.check_positionals(0));
  vm::SwapAccount& swap = machine->kernel().swap_account();
  if (auto overcommit = TRY(directive.get_u64("overcommit"))) {
    constexpr std::uint64_t kAllBits =
        vm::SWAP_RESERVE_FORCE_ON | vm::SWAP_RESERVE_RLIMIT_ON | vm::SWAP_RESERVE_ALLOW_NONWIRED;
    if ((*overcommit & ~kAllBits) != 0) {
      return base::fail(directive.error_at(directive.find("overcommit")->value_column,
                                           "overcommit takes the bits 1, 2 and 4"));
    }
    swap.set_overcommit(static_cast<std::uint32_t>(*overcommit));
  }
  out.push_back(fmt::format("vm.overcommit: {}", swap.config().overcommit));
  out.push_back(fmt::format("vm.swap_total: {}", swap.config().swap_total_bytes));
  out.push_back(fmt::format("vm.swap_reserved: {}", swap.reserved_bytes()));
  for (const auto& [uid, bytes] : swap.per_uid_bytes()) out.push_back(fmt::format("uid {}: {}", uid, bytes));
  return {};
}

// One line of terminal output as the transcript shows it: control characters other than tab
// as \xNN, so that the expected output stays plain text.
std::string terminal_line(std::string_view line) {
  std::string text;
  for (char c : line) {
    auto byte = static_cast<unsigned char>(c);
    if ((byte < 0x20 && c != '\t') || byte == 0x7f) {
      text += fmt::format("\\x{:02x}", byte);
    } else {
      text += c;
    }
  }
  return text;
}

// tty NAME [input="..."] [eof]: types the input at the terminal (and the end-of-file character),
// then prints what programs wrote to it since the last look, one output line per line.
ScriptResult<void> do_tty(Session& session, const Directive& directive, OutputLines& out) {
  system::Machine* machine = TRY(session.require_machine(directive));
  TRY(directive.check_keys({"input"}));
  auto positionals = directive.positionals();
  bool eof = positionals.size() == 2 && positionals[1]->value == "eof";
  if (positionals.empty() || positionals.size() > 2 || (positionals.size() == 2 && !eof)) {
    int column =
        positionals.empty() ? static_cast<int>(directive.name().size()) + 2 : positionals.back()->column;
    return base::fail(directive.error_at(column, "'tty' takes a terminal name and optionally 'eof'"));
  }
  kern::Tty* tty = machine->tty(positionals[0]->value);
  if (tty == nullptr) {
    return base::fail(
        directive.error_at(*positionals[0], fmt::format("no terminal '{}'", positionals[0]->value)));
  }
  auto input = TRY(directive.get_string("input"));
  if (input) tty->push_input(*input);
  if (eof) tty->push_eof();
  std::string output = tty->take_output();
  std::size_t start = 0;
  while (start < output.size()) {
    std::size_t end = output.find('\n', start);
    if (end == std::string::npos) end = output.size();
    out.push_back(terminal_line(std::string_view(output).substr(start, end - start)));
    start = end + 1;
  }
  return {};
}

// The owner or group a `file` directive names: an account of the machine's database.
ScriptResult<std::optional<std::uint32_t>> file_account(system::Machine& machine, const Directive& directive,
                                                        std::string_view key) {
  auto name = TRY(directive.get_string(key));
  if (!name) return std::optional<std::uint32_t>{};
  std::optional<std::uint32_t> id = key == "user" ? machine.uid_of(*name) : machine.gid_of(*name);
  if (id) return id;
  return base::fail(
      directive.error_at(directive.find(key)->value_column, fmt::format("unknown {} '{}'", key, *name)));
}

// The attributes a `file` directive sets; unset ones take 0555, root, wheel, now.
ScriptResult<vfs::MemfsNodeSpec> file_spec(system::Machine& machine, const Directive& directive) {
  vfs::MemfsNodeSpec spec;
  spec.mode = 0555;
  spec.ino = TRY(directive.get_u64("ino"));
  spec.uid = vfs::Uid(TRY(file_account(machine, directive, "user")).value_or(0));
  spec.gid = vfs::Gid(TRY(file_account(machine, directive, "group")).value_or(0));
  spec.size = TRY(directive.get_u64("size"));
  if (auto mode = TRY(directive.get_u64("mode"))) {
    if (*mode > 07777)
      return base::fail(
          directive.error_at(directive.find("mode")->value_column, "mode must be at most 07777"));
    spec.mode = static_cast<std::uint32_t>(*mode);
  }
  spec.at(machine.kernel().time_of_day());
  if (auto mtime = TRY(directive.get_string("mtime"))) {
    std::optional<std::int64_t> seconds = sim::parse_clock(*mtime);
    if (!seconds) {
      return base::fail(directive.error_at(
          directive.find("mtime")->value_column,
          fmt::format("bad mtime '{}' (expected \"YYYY-MM-DD HH:MM:SS\", 1970 to 9999)", *mtime)));
    }
    spec.mtime = vfs::Timespec{*seconds, 0};
  }
  return spec;
}

// file PATH [ino=N] [mode=M] [user=U] [group=G] [size=N] [mtime="..."]: restamps a regular file
// of the root file system, as an installation would have left it.
ScriptResult<void> do_file(Session& session, const Directive& directive, OutputLines&) {
  system::Machine* machine = TRY(session.require_machine(directive));
  TRY(directive.check_keys({"ino", "mode", "user", "group", "size", "mtime"}));
  TRY(directive.check_positionals(1));
  const script::Word& path = *directive.positionals()[0];
  if (!path.value.starts_with('/')) return base::fail(directive.error_at(path, "the path must be absolute"));
  vfs::MemfsNodeSpec spec = TRY(file_spec(*machine, directive));
  auto replaced = machine->root_memfs().replace_file(path.value, spec);
  if (replaced.is_error()) {
    const script::Word* word = replaced.error() == vfs::Errno::Eexist ? directive.find("ino") : &path;
    int column = word == &path ? path.column : word->value_column;
    return base::fail(directive.error_at(
        column, fmt::format("cannot set up {}: {}", path.value, vfs::errno_text(replaced.error()))));
  }
  return {};
}

constexpr std::array kDirectives = {
    DirectiveSpec{"machine",
                  "machine arch=A [profile=P] [seed=N] [hz=N] [clock=\"YYYY-MM-DD HH:MM:SS\"] "
                  "[securelevel=N] [choices=first|seeded]",
                  do_machine},
    DirectiveSpec{"group", "group NAME gid=N", do_group},
    DirectiveSpec{"user", "user NAME uid=N gid=N [groups=N,N...]", do_user},
    DirectiveSpec{"nextpid", "nextpid N", do_nextpid},
    DirectiveSpec{"spawn",
                  "spawn [pid=N] [ppid=N] [user=U] [tty=T] [pgid=N] [sid=N] [jail=N] [name=NAME] script | "
                  "spawn [pid=N] [ppid=N] [user=U] [tty=T] [pgid=N] [sid=N] [jail=N] -- PATH [ARGS...]",
                  do_spawn},
    DirectiveSpec{"login", "login [pid=N] [ppid=N] [pgid=N] [sid=N] [user=U] [tty=T] [tz=ZONE]", do_login},
    DirectiveSpec{"run", "run ticks=N | run until=idle", do_run},
    DirectiveSpec{"wait", "wait @PID", do_wait},
    DirectiveSpec{"trace", "trace on | trace off", do_trace},
    DirectiveSpec{"swap", "swap [overcommit=N]", do_swap},
    DirectiveSpec{"jail", "jail [parent=N]", do_jail},
    DirectiveSpec{"tty", "tty NAME [input=STRING] [eof]", do_tty},
    DirectiveSpec{"file",
                  "file PATH [ino=N] [mode=M] [user=U] [group=G] [size=N] [mtime=\"YYYY-MM-DD HH:MM:SS\"]",
                  do_file},
};

}  // namespace

namespace {

// A program's source: the block's lines, or for file=PATH the file at PATH taken relative to the
// scenario's directory, with the name its assembler errors are reported under.
struct ProgramSource {
  std::string text;
  std::string file;                   // where assembler errors point
  const script::ProgramBlock* block;  // nullptr for file=
};

ScriptResult<ProgramSource> program_source(const script::ProgramBlock& block) {
  const Directive& header = block.header;
  std::string scenario_file = header.error_at(1, "").file;
  const script::Word* file = header.find("file");
  if (file == nullptr) {
    ProgramSource source{"", scenario_file, &block};
    for (const script::ProgramLine& line : block.lines) source.text += line.text + "\n";
    return source;
  }
  PROCSIM_ASSERT(block.lines.empty());
  std::filesystem::path path = std::filesystem::path(scenario_file).parent_path() / file->value;
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  if (in) buffer << in.rdbuf();
  if (!in || in.bad() || file->value.empty()) {
    return base::fail(
        header.error_at(file->value_column, fmt::format("cannot read '{}'", path.generic_string())));
  }
  return ProgramSource{buffer.str(), path.generic_string(), nullptr};
}

}  // namespace

// program NAME [arch=A] ... end, or program NAME [arch=A] file=PATH: assembles the block or the
// file and installs it as /usr/bin/NAME.
ScriptResult<void> run_program_block(Session& session, const script::ProgramBlock& block, OutputLines&) {
  const Directive& header = block.header;
  system::Machine* machine = TRY(session.require_machine(header));
  TRY(header.check_keys({"arch", "file"}));
  auto positionals = header.positionals();
  if (positionals.size() != 1) {
    int column = positionals.empty() ? static_cast<int>(header.name().size()) + 2 : positionals[1]->column;
    return base::fail(header.error_at(column, "'program' takes one name: program NAME [arch=A] [file=PATH]"));
  }
  const std::string& name = positionals[0]->value;
  if (name.empty() || name.size() > 64 || name.find_first_of("/ ") != std::string::npos || name == "." ||
      name == "..") {
    return base::fail(header.error_at(*positionals[0], fmt::format("bad program name '{}'", name)));
  }
  machine::Arch kernel_arch = machine->kernel().config().arch;
  machine::Arch program_arch = kernel_arch;
  if (auto arch = TRY(header.get_choice("arch", system::kArchNames))) {
    program_arch = *machine::arch_from_name(system::kArchNames[*arch]);
  }
  auto abi = machine::program_abi(kernel_arch, program_arch);
  if (abi.is_error()) {
    return base::fail(header.error_at(
        header.find("arch")->value_column,
        fmt::format("an {} machine cannot run {} programs", machine::arch_info(kernel_arch).name,
                    machine::arch_info(program_arch).name)));
  }
  ProgramSource source = TRY(program_source(block));
  auto image = machine::assemble(abi.value(), source.text);
  if (image.is_error()) {
    const machine::AsmError& error = image.error();
    int line = std::max(error.line, 1);
    if (source.block != nullptr) {
      bool in_block = error.line >= 1 && static_cast<std::size_t>(error.line) <= block.lines.size();
      line = in_block ? block.lines[static_cast<std::size_t>(error.line - 1)].number : header.line();
    }
    return base::fail(script::Diagnostic{source.file, line, std::max(error.column, 1), error.message});
  }
  machine->install_program(name, image.value());
  return {};
}

std::span<const DirectiveSpec> directive_table() { return kDirectives; }

const DirectiveSpec* find_directive(std::string_view name) {
  for (const auto& spec : kDirectives) {
    if (spec.name == name) return &spec;
  }
  return nullptr;
}

}  // namespace procsim::driver
