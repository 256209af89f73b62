// FreeBSD ls output; see ls_format.h. Restated from FreeBSD 8.3 bin/ls: ls.c (option rules,
// traverse, display and its width computation, mastercmp), print.c (printscol, printlong,
// printtime, printlink, printsize, printdev), util.c (usage) and libc strmode(3).
#include "model/userland/ls_format.h"

#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "model/userland/calendar.h"
#include "model/userland/getopt.h"
#include "model/userland/program_errors.h"
#include "sim/base/assert.h"

namespace procsim::userland {

namespace {

constexpr std::string_view kProgram = "ls";
constexpr std::string_view kOptionString = "1ABCD:FGHILPRSTUWZabcdfghiklmnopqrstuwx";
constexpr std::string_view kUsage =
    "usage: ls [-ABCFGHILPRSTUWZabcdfghiklmnopqrstuwx1] [-D format] [file ...]\n";
// Dates within half a year of now show the time, others the year (print.c SIXMONTHS).
constexpr std::int64_t kSixMonthsSeconds = (365 / 2) * 86400;
// printdev's "%3d, %3d" and "%3d, 0x%08x" (ls.h DEVSTR_LEN, DEVSTR_HEX_LEN).
constexpr std::size_t kDeviceWidth = 8;
constexpr std::size_t kDeviceHexWidth = 15;

bool is_type(std::uint32_t mode, std::uint32_t type) { return (mode & kModeTypeMask) == type; }
bool is_dot_or_dotdot(std::string_view name) { return name == "." || name == ".."; }
std::size_t digits(std::uint64_t value) { return fmt::formatted_size("{}", value); }

// The options ls accepts from getopt but procsim's ls does not implement.
bool is_unimplemented(char letter) {
  return std::string_view("BCDFGHLPRSTUWZbchkmopqrstux").find(letter) != std::string_view::npos;
}

struct Widths {
  std::size_t inode = 0;
  std::size_t nlink = 0;
  std::size_t user = 0;
  std::size_t group = 0;
  std::size_t size = 0;
  std::int64_t total_blocks = 0;
};

std::string user_text(const LsOptions& options, const FileInfo& info) {
  if (options.numeric_ids || !info.owner_name.has_value()) return fmt::format("{}", info.uid);
  return *info.owner_name;
}

std::string group_text(const LsOptions& options, const FileInfo& info) {
  if (options.numeric_ids || !info.group_name.has_value()) return fmt::format("{}", info.gid);
  return *info.group_name;
}

bool is_device(const FileInfo& info) {
  return is_type(info.mode, kModeCharDevice) || is_type(info.mode, kModeBlockDevice);
}

// display(): every column is as wide as its widest value among the entries shown.
Widths measure(const LsOptions& options, std::span<const FileInfo* const> entries) {
  Widths widths;
  std::uint64_t max_inode = 0;
  std::uint64_t max_nlink = 0;
  std::int64_t max_size = 0;
  std::size_t device_width = 0;
  for (const FileInfo* info : entries) {
    max_inode = std::max(max_inode, info->inode);
    max_nlink = std::max(max_nlink, info->nlink);
    max_size = std::max(max_size, info->size_bytes);
    widths.total_blocks += info->blocks;
    if (!options.long_format) continue;
    widths.user = std::max(widths.user, user_text(options, *info).size());
    widths.group = std::max(widths.group, group_text(options, *info).size());
    if (is_device(*info))
      device_width = std::max(device_width, info->rdev_minor > 255 ? kDeviceHexWidth : kDeviceWidth);
  }
  widths.inode = digits(max_inode);
  widths.nlink = digits(max_nlink);
  widths.size = std::max(fmt::formatted_size("{}", max_size), device_width);
  PROCSIM_ASSERT(widths.inode >= 1 && widths.size >= 1);
  return widths;
}

// printtime(): "Mon DD HH:MM " within six months of now either way, "Mon DD  YYYY " otherwise.
std::string format_time(std::int64_t file_time, std::int64_t now, std::int64_t utc_offset) {
  CivilTime time = civil_from_unix_seconds(file_time + utc_offset);
  std::string_view month = month_abbreviation(time.month);
  bool recent = file_time + kSixMonthsSeconds > now && file_time < now + kSixMonthsSeconds;
  if (recent) return fmt::format("{} {:2} {:02}:{:02} ", month, time.day, time.hour, time.minute);
  return fmt::format("{} {:2}  {} ", month, time.day, time.year);
}

std::string format_size_column(const FileInfo& info, std::size_t width) {
  if (!is_device(info)) return fmt::format("{:>{}} ", info.size_bytes, width);
  std::string device = info.rdev_minor > 255 ? fmt::format("{:3}, 0x{:08x}", info.rdev_major, info.rdev_minor)
                                             : fmt::format("{:3}, {:3}", info.rdev_major, info.rdev_minor);
  return fmt::format("{:>{}} ", device, width);
}

// One printlong() line; a failed readlink writes its error between the line and its newline.
void print_long_line(ProgramOutput& output, const LsOptions& options, const Widths& widths,
                     const FileInfo& info, std::string_view shown_name, std::string_view link_path) {
  std::string line;
  if (options.inode) line += fmt::format("{:>{}} ", info.inode, widths.inode);
  line += fmt::format("{} {:>{}} {:<{}}  {:<{}}  ", format_mode(info.mode), info.nlink, widths.nlink,
                      user_text(options, info), widths.user, group_text(options, info), widths.group);
  line += format_size_column(info, widths.size);
  line += format_time(info.mtime_seconds, options.now_seconds, options.utc_offset_seconds);
  line += shown_name;
  if (is_type(info.mode, kModeSymlink)) {
    if (info.link_error.has_value()) {
      output.out(line);
      output.err(fmt::format("\nls: {}: {}\n", link_path, *info.link_error));
      output.out("\n");
      return;
    }
    line += " -> " + info.link_target;
  }
  output.out(line + "\n");
}

// printscol() or printlong() for one group. `names` are what is printed (the operand path
// at the top level, the entry name inside a directory); `parent` prefixes readlink paths.
void print_group(ProgramOutput& output, const LsOptions& options, std::span<const FileInfo* const> entries,
                 std::span<const std::string> names, bool top_level, std::string_view parent) {
  PROCSIM_ASSERT(entries.size() == names.size());
  Widths widths = measure(options, entries);
  if (!options.long_format) {
    for (std::size_t index = 0; index < entries.size(); ++index) {
      std::string prefix = options.inode ? fmt::format("{:>{}} ", entries[index]->inode, widths.inode) : "";
      output.out(prefix + names[index] + "\n");
    }
    return;
  }
  // BLOCKSIZE unset: getbsize() gives 512 and st_blocks counts 512-byte units already.
  if (!top_level) output.out(fmt::format("total {}\n", widths.total_blocks));
  for (std::size_t index = 0; index < entries.size(); ++index) {
    std::string link_path = top_level ? names[index] : fmt::format("{}/{}", parent, names[index]);
    print_long_line(output, options, widths, *entries[index], names[index], link_path);
  }
}

bool operand_is_listed_directory(const LsOptions& options, const LsOperand& operand) {
  return !operand.stat_error.has_value() && is_type(operand.info.mode, kModeDirectory) && !options.directory;
}

// fts_open with mastercmp: at the top level, directories to be listed sort after the rest.
std::vector<const LsOperand*> order_operands(const LsOptions& options, std::span<const LsOperand> operands) {
  std::vector<const LsOperand*> ordered;
  for (const auto& operand : operands) ordered.push_back(&operand);
  if (options.unsorted) return ordered;
  std::stable_sort(ordered.begin(), ordered.end(), [&](const LsOperand* a, const LsOperand* b) {
    bool a_dir = operand_is_listed_directory(options, *a);
    bool b_dir = operand_is_listed_directory(options, *b);
    if (a_dir != b_dir) return b_dir;
    return a->path < b->path;
  });
  return ordered;
}

// display(NULL, ...): errors for operands that could not be stat'ed, then the non-directories.
bool display_operands(ProgramOutput& output, const LsOptions& options,
                      std::span<const LsOperand* const> ordered) {
  std::vector<const FileInfo*> shown;
  std::vector<std::string> names;
  for (const LsOperand* operand : ordered) {
    if (operand->stat_error.has_value()) {
      output.err(warn_text(kProgram, operand->path, *operand->stat_error));
      output.set_exit_status(1);
      continue;
    }
    if (operand_is_listed_directory(options, *operand)) continue;
    shown.push_back(&operand->info);
    names.push_back(operand->path);
  }
  if (shown.empty()) return false;
  print_group(output, options, shown, names, true, "");
  return true;
}

// display(p, children) for one directory; returns whether anything went to stdout.
bool display_directory(ProgramOutput& output, const LsOptions& options, const LsOperand& operand) {
  std::vector<const LsEntry*> entries;
  for (const auto& entry : operand.entries) {
    // fts drops "." and ".." unless FTS_SEEDOT (-a) asks for them.
    if (is_dot_or_dotdot(entry.info.name) && !options.see_dot) continue;
    entries.push_back(&entry);
  }
  if (!options.unsorted) {
    std::stable_sort(entries.begin(), entries.end(),
                     [](const LsEntry* a, const LsEntry* b) { return a->info.name < b->info.name; });
  }
  std::vector<const FileInfo*> shown;
  std::vector<std::string> names;
  for (const LsEntry* entry : entries) {
    if (entry->stat_error.has_value()) {
      output.err(warn_text(kProgram, entry->info.name, *entry->stat_error));
      output.set_exit_status(1);
      continue;
    }
    if (entry->info.name.starts_with('.') && !options.list_dot) continue;
    shown.push_back(&entry->info);
    names.push_back(entry->info.name);
  }
  // An empty directory prints nothing, except "total 0" in long format.
  if (shown.empty() && !options.long_format) return false;
  print_group(output, options, shown, names, false, operand.path);
  return true;
}

}  // namespace

std::string format_mode(std::uint32_t mode) {
  static constexpr std::array<std::pair<std::uint32_t, char>, 8> kTypes = {{
      {kModeDirectory, 'd'},
      {kModeCharDevice, 'c'},
      {kModeBlockDevice, 'b'},
      {kModeRegular, '-'},
      {kModeSymlink, 'l'},
      {kModeSocket, 's'},
      {kModeFifo, 'p'},
      {kModeWhiteout, 'w'},
  }};
  std::string text(11, '-');
  text[0] = '?';
  for (const auto& [type, letter] : kTypes)
    if (is_type(mode, type)) text[0] = letter;
  const std::string_view rwx = "rwxrwxrwx";
  for (std::size_t bit = 0; bit < 9; ++bit)
    if (mode & (0400u >> bit)) text[1 + bit] = rwx[bit];
  // The set-id and sticky bits take the execute slots: lower case when execute is also set.
  auto special = [&](std::size_t slot, std::uint32_t flag, char set_with_x, char set_without_x) {
    if (!(mode & flag)) return;
    text[slot] = text[slot] == '-' ? set_without_x : set_with_x;
  };
  special(3, kModeSetUid, 's', 'S');
  special(6, kModeSetGid, 's', 'S');
  special(9, kModeSticky, 't', 'T');
  text[10] = ' ';  // where ls puts '+' for an ACL
  PROCSIM_ASSERT(text.size() == 11);
  return text;
}

bool ls_follows_operand_links(const LsOptions& options) { return !options.long_format && !options.directory; }

bool ls_lists_contents(const LsOptions& options, const LsOperand& operand) {
  return operand_is_listed_directory(options, operand);
}

bool ls_needs_entry_stat(const LsOptions& options) { return options.long_format || options.inode; }

base::Result<LsInvocation, ProgramOutput> parse_ls_arguments(std::span<const std::string> arguments,
                                                             bool superuser) {
  GetoptResult parsed = parse_options(kProgram, arguments, kOptionString);
  ProgramOutput failure;
  failure.set_exit_status(1);
  if (!parsed.ok()) {
    failure.err(parsed.error);
    failure.err(kUsage);
    return base::fail(std::move(failure));
  }
  LsInvocation invocation;
  LsOptions& options = invocation.options;
  bool no_auto_dot = false;
  for (const auto& option : parsed.options) {
    switch (option.letter) {
      case '1': options.long_format = false; break;
      case 'l': options.long_format = true; break;
      case 'a': options.see_dot = options.list_dot = true; break;
      case 'A': options.list_dot = true; break;
      case 'I': no_auto_dot = true; break;
      case 'd': options.directory = true; break;
      case 'f': options.unsorted = true; break;
      case 'i': options.inode = true; break;
      case 'n': options.numeric_ids = true; break;
      // -g is a 4.3BSD no-op; -w (print names raw) is already what non-terminal output does.
      case 'g':
      case 'w': break;
      default:
        PROCSIM_ASSERT(is_unimplemented(option.letter));
        failure.err(warnx_text(kProgram, fmt::format("-{}: option not supported", option.letter)));
        return base::fail(std::move(failure));
    }
  }
  if (!options.list_dot && superuser && !no_auto_dot) options.list_dot = true;
  invocation.operands = parsed.operands;
  if (invocation.operands.empty()) invocation.operands.push_back(".");
  return invocation;
}

ProgramOutput format_ls(const LsOptions& options, std::span<const LsOperand> operands) {
  PROCSIM_ASSERT(!operands.empty());
  ProgramOutput output;
  std::vector<const LsOperand*> ordered = order_operands(options, operands);
  bool printed = display_operands(output, options, ordered);
  for (const LsOperand* operand : ordered) {
    if (!operand_is_listed_directory(options, *operand)) continue;
    if (printed) {
      output.out(fmt::format("\n{}:\n", operand->path));
    } else if (operands.size() > 1) {
      output.out(fmt::format("{}:\n", operand->path));
      printed = true;
    }
    if (operand->read_error.has_value()) {
      // fts_children found nothing; display() still prints the long format's total, then
      // fts_read reports the directory it could not read.
      if (options.long_format) {
        output.out("total 0\n");
        printed = true;
      }
      output.err(warn_text(kProgram, operand->path, *operand->read_error));
      output.set_exit_status(1);
      continue;
    }
    if (display_directory(output, options, *operand)) printed = true;
  }
  return output;
}

}  // namespace procsim::userland
