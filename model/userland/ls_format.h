// FreeBSD's ls (bin/ls, FreeBSD 8.3) for -1 -A -a -d -f -i -l -n and -I, with output that is
// not a terminal (one name per line, names printed raw): operand ordering, the per-directory
// sections, dot-file rules, -l columns and widths, "total", dates and error messages. The
// program gathers stat and directory data through system calls; this module decides the text.
// Leaves out -C/-x/-m columns, -R, -s, -h, -F, -t/-S/-r sorting, BLOCKSIZE and flags/labels.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "model/userland/program_output.h"
#include "sim/base/result.h"

namespace procsim::userland {

// st_mode bits (sys/stat.h).
inline constexpr std::uint32_t kModeTypeMask = 0170000;
inline constexpr std::uint32_t kModeFifo = 0010000;
inline constexpr std::uint32_t kModeCharDevice = 0020000;
inline constexpr std::uint32_t kModeDirectory = 0040000;
inline constexpr std::uint32_t kModeBlockDevice = 0060000;
inline constexpr std::uint32_t kModeRegular = 0100000;
inline constexpr std::uint32_t kModeSymlink = 0120000;
inline constexpr std::uint32_t kModeSocket = 0140000;
inline constexpr std::uint32_t kModeWhiteout = 0160000;
inline constexpr std::uint32_t kModeSetUid = 04000;
inline constexpr std::uint32_t kModeSetGid = 02000;
inline constexpr std::uint32_t kModeSticky = 01000;

// What stat(2)/lstat(2) and readlink(2) said about one file.
struct FileInfo {
  std::string name;  // the directory entry's name (ignored for operands: their path is used)
  std::uint32_t mode = 0;
  std::uint64_t inode = 0;
  std::uint64_t nlink = 0;
  std::uint32_t uid = 0;
  std::uint32_t gid = 0;
  std::optional<std::string> owner_name;  // from the password file; unknown ids print as numbers
  std::optional<std::string> group_name;
  std::int64_t size_bytes = 0;
  std::int64_t blocks = 0;  // st_blocks, in 512-byte units
  std::int64_t mtime_seconds = 0;
  std::uint32_t rdev_major = 0;  // character and block devices
  std::uint32_t rdev_minor = 0;
  std::string link_target;                // symlinks: what readlink returned
  std::optional<std::string> link_error;  // symlinks: strerror text if readlink failed
};

struct LsOptions {
  bool long_format = false;             // -l
  bool inode = false;                   // -i
  bool see_dot = false;                 // -a: "." and ".." too
  bool list_dot = false;                // -A, -a, or the superuser without -I: other dot files
  bool directory = false;               // -d: directories as plain entries
  bool numeric_ids = false;             // -n
  bool unsorted = false;                // -f: directory order (FreeBSD 8 -f does not imply -a)
  std::int64_t now_seconds = 0;         // time(3) when ls started, for the six-month date rule
  std::int64_t utc_offset_seconds = 0;  // localtime(3)'s zone (calendar.h tz_offset_seconds)
};

struct LsInvocation {
  LsOptions options;
  std::vector<std::string> operands;  // "." when none were given
};

// Parses ls's command line. On a bad option the error output is the diagnostic and the usage
// text with exit status 1. `superuser`: the real uid is 0 (ls then implies -A unless -I).
base::Result<LsInvocation, ProgramOutput> parse_ls_arguments(std::span<const std::string> arguments,
                                                             bool superuser);

// One directory entry as fts returns it: lstat information, or why lstat failed.
struct LsEntry {
  FileInfo info;
  std::optional<std::string> stat_error;  // strerror text
};

struct LsOperand {
  std::string path;  // as typed
  FileInfo info;     // stat or lstat of the path, as ls_follows_operand_links says
  std::optional<std::string> stat_error;
  // For operands ls_lists_contents accepts: the entries in the order getdirentries returned
  // them ("." and ".." included), or why the directory could not be read.
  std::vector<LsEntry> entries;
  std::optional<std::string> read_error;
};

// Operands that are symbolic links are followed (stat) unless -l or -d is given (lstat).
bool ls_follows_operand_links(const LsOptions& options);
// Whether the program must read this operand as a directory.
bool ls_lists_contents(const LsOptions& options, const LsOperand& operand);
// Whether entries need lstat at all (fts runs with FTS_NOSTAT otherwise).
bool ls_needs_entry_stat(const LsOptions& options);

// The whole output of ls for the operands in command-line order; exit status 1 after errors.
ProgramOutput format_ls(const LsOptions& options, std::span<const LsOperand> operands);

// strmode(3): ten mode characters and a trailing space ("drwxr-xr-x ").
std::string format_mode(std::uint32_t mode);

}  // namespace procsim::userland
