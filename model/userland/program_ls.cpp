// /bin/ls: gathers what ls_format.h prints through stat, lstat, readlink and getdirentries,
// as fts(3) does for FreeBSD 8.3's ls (operands stat'ed first, directories read in the order
// getdirentries returns, entries lstat'ed only when a column needs it).
#include <fmt/format.h>

#include "model/userland/calendar.h"
#include "model/userland/ls_format.h"
#include "model/userland/programs.h"
#include "sim/base/assert.h"

namespace procsim::userland {

namespace {

// The buffer fts reads directories with.
constexpr std::size_t kDirectoryBufferBytes = 4096;
// A limit on the entries one directory may contribute.
constexpr std::size_t kDirectoryEntriesMax = 100000;

FileInfo file_info(const vfs::Stat& sb, const AccountNames& names) {
  FileInfo info;
  info.mode = sb.mode;
  info.inode = sb.ino;
  info.nlink = sb.nlink;
  info.uid = sb.uid.value();
  info.gid = sb.gid.value();
  info.owner_name = names.user_name(info.uid);
  info.group_name = names.group_name(info.gid);
  info.size_bytes = sb.size;
  info.blocks = sb.blocks;
  info.mtime_seconds = sb.mtime.sec;
  info.rdev_major = vfs::dev_major(sb.rdev);
  info.rdev_minor = sb.rdev & 0xffff00ffU;
  return info;
}

void read_link(Usys& sys, const std::string& path, FileInfo& info) {
  if ((info.mode & kModeTypeMask) != kModeSymlink) return;
  auto target = sys.readlink(path);
  if (target.ok()) {
    info.link_target = target.value();
  } else {
    info.link_error = strerror_text(target.error());
  }
}

void read_directory(Usys& sys, const LsOptions& options, const AccountNames& names, LsOperand& operand) {
  auto opened = sys.open(operand.path, vfs::kORdonly | vfs::kODirectory);
  if (opened.is_error()) {
    operand.read_error = strerror_text(opened.error());
    return;
  }
  std::vector<vfs::Dirent> records;
  for (;;) {
    auto chunk = sys.getdirentries(opened.value(), kDirectoryBufferBytes);
    if (chunk.is_error()) {
      operand.read_error = strerror_text(chunk.error());
      break;
    }
    if (chunk.value().empty() || records.size() > kDirectoryEntriesMax) break;
    for (vfs::Dirent& record : chunk.value()) {
      // Records with a zero inode are deleted entries that readdir(3) skips.
      if (record.fileno != 0) records.push_back(std::move(record));
    }
  }
  (void)sys.close(opened.value());
  for (const vfs::Dirent& record : records) {
    LsEntry entry;
    entry.info.name = record.name;
    if (ls_needs_entry_stat(options)) {
      std::string path = operand.path == "/" ? "/" + record.name : operand.path + "/" + record.name;
      auto sb = sys.lstat(path);
      if (sb.ok()) {
        entry.info = file_info(sb.value(), names);
        entry.info.name = record.name;
        if (options.long_format) read_link(sys, path, entry.info);
      } else {
        entry.stat_error = strerror_text(sb.error());
      }
    }
    operand.entries.push_back(std::move(entry));
  }
}

}  // namespace

int ls_main(ProgramContext& context) {
  std::span<const std::string> arguments(context.args.argv);
  if (!arguments.empty()) arguments = arguments.subspan(1);
  auto invocation = parse_ls_arguments(arguments, context.sys.getuid() == 0);
  if (invocation.is_error()) {
    context.io.emit(invocation.error());
    return invocation.error().exit_status();
  }
  LsOptions& options = invocation.value().options;
  options.now_seconds = context.sys.time_of_day_seconds().value_or(0);
  options.utc_offset_seconds = tz_offset_seconds(context.getenv("TZ"));
  AccountNames names(context.sys);
  std::vector<LsOperand> operands;
  for (const std::string& path : invocation.value().operands) {
    LsOperand operand;
    operand.path = path;
    auto sb = ls_follows_operand_links(options) ? context.sys.stat(path) : context.sys.lstat(path);
    if (sb.is_error()) {
      operand.stat_error = strerror_text(sb.error());
      operands.push_back(std::move(operand));
      continue;
    }
    operand.info = file_info(sb.value(), names);
    operand.info.name = path;
    if (options.long_format) read_link(context.sys, path, operand.info);
    if (ls_lists_contents(options, operand)) read_directory(context.sys, options, names, operand);
    operands.push_back(std::move(operand));
  }
  ProgramOutput output = format_ls(options, operands);
  context.io.emit(output);
  return output.exit_status();
}

}  // namespace procsim::userland
