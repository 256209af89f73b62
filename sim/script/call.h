// System-call expressions of `@PID` lines, written like C: `open("/proc/401/ctl", O_WRONLY)`.
// This is syntax only: whether `open` exists, how many arguments it takes and what `O_WRONLY`
// means are decided by the driver from the kernel's syscall table.
//
// Grammar (BLANK is a space or a tab; blanks may appear between any two tokens):
//   call      := NAME '(' [argument (',' argument)*] ')' ['&']
//   NAME      := [A-Za-z_][A-Za-z0-9_]*
//   argument  := STRING | list | reference | flags
//   STRING    := '"' C string body '"'            (escapes as in directive.h)
//   list      := '{' [argument (',' argument)*] '}'   e.g. setgroups(2, {20, 0})
//   reference := '&' NAME                          an out-parameter to be shown after the
//                                                  result, e.g. wait4(401, &status, 0, NULL)
//   flags     := atom ('|' atom)*                  a single atom stands for itself
//   atom      := NUMBER | NAME                     e.g. O_RDWR|O_CREAT|0x200, NULL, SIGSTOP
//   NUMBER    := ['-'] (decimal | 0x hex | 0 octal), at most 64 bits (-2^63 when negative)
// A trailing '&' starts the call in the background (spec/scenario-format.md "Lines").
// Lists nest at most kCallNestingMax deep and hold at most kCallArgumentsMax arguments.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sim/script/diagnostic.h"

namespace procsim::script {

inline constexpr std::size_t kCallArgumentsMax = 16;
inline constexpr std::size_t kCallNestingMax = 4;

enum class ArgumentKind { Integer, Identifier, String, Flags, Reference, List };

struct CallArgument {
  ArgumentKind kind = ArgumentKind::Integer;
  int column = 0;                   // first byte of the argument
  std::string raw;                  // the bytes as written
  std::uint64_t bits = 0;           // Integer: the value in two's complement (-1 is all ones)
  bool negative = false;            // Integer: written with a leading '-'
  std::string text;                 // Identifier and Reference: the name; String: the unescaped bytes
  std::vector<CallArgument> parts;  // Flags: the atoms (Integer or Identifier); List: elements

  // Integer as a signed number; meaningful whatever the sign was written as.
  std::int64_t signed_value() const { return static_cast<std::int64_t>(bits); }
};

struct Call {
  std::string name;
  int name_column = 0;
  std::vector<CallArgument> arguments;
  bool background = false;  // the line ended with '&'
};

// Parses the call that starts at `start` in `line` and runs to the end of the line. Columns in
// the result and in errors are columns of `line`.
SyntaxResult<Call> parse_call(std::string_view line, std::size_t start);

}  // namespace procsim::script
