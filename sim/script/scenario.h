// The parsed form of a .scn file and its parser (spec/scenario-format.md "Lines"). The parser
// keeps every line's exact bytes and whether the file ended with a newline, so rewrite.h can
// reproduce the file byte for byte. It knows no directive names except `program` and `end`,
// which change how the lines between them are read; the driver owns the directive table.
//
// Line grammar. The first bytes of a line decide its kind:
//   ""                  blank            kept as is
//   "#..."              comment          kept as is
//   "  TEXT"            expected output  TEXT (everything after the two spaces, tabs and trailing
//                                        spaces included; "  " alone is an empty output line) is
//                                        one output line of the nearest input line above; the
//                                        block of expected lines must follow its input directly
//                                        (no blank or comment line between); see "Expected output"
//   "%" or "% COMMAND"  shell input      COMMAND is kept verbatim (may be empty); `%x` is an error
//   "@PID CALL"         system call      PID is decimal digits (leading zeros do not mean
//                                        octal), at most kScriptPidMax; CALL as in call.h; one
//                                        or more blanks separate them
//   "[a-z]..."          directive        words as in directive.h
// Any other line is an error, including lines of only blanks (write "  " for an empty output
// line), lines starting with one blank, and lines starting with a tab.
// Comment, directive, shell and system-call lines must not contain a carriage return (DOS line
// endings); expected output and program text may.
//
// Program blocks. A directive named `program` opens a block; the next line that is `end` at
// column 1 (trailing blanks allowed) closes it. Every line between is program text, kept
// verbatim with its line number and never classified (indentation, '#', '@' and '%' mean
// nothing there; an indented `end` is program text). Blocks do not nest: a line inside a block
// whose first word, at column 1, is `program` means the block lacks its `end`; that is reported
// at the outer `program` line. A directive `end` outside a block is an error.
// Expected output of a program block follows its `end` line.
//
// Expected output. Every input (directive, shell, system call, program block) owns the expected
// lines directly below it, possibly none. The file's last line may lack its '\n'.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "sim/script/call.h"
#include "sim/script/diagnostic.h"
#include "sim/script/directive.h"

namespace procsim::script {

// Named limits: a larger file or pid is an error, never a slow run.
inline constexpr std::size_t kScenarioBytesMax = std::size_t{16} << 20;
inline constexpr std::uint64_t kScriptPidMax = 0x7fffffff;

enum class LineKind { Blank, Comment, Expected, Directive, Shell, SystemCall, ProgramText, ProgramEnd };

struct SourceLine {
  int number = 0;  // 1-based
  LineKind kind = LineKind::Blank;
  std::string text;  // the exact bytes, without the '\n'
};

struct ShellInput {
  std::string command;     // after "% ", verbatim
  int command_column = 0;  // 3, or 2 for a bare "%"
};

struct SystemCallInput {
  std::uint32_t pid = 0;
  int pid_column = 0;  // always 2
  Call call;
};

struct ProgramLine {
  int number = 0;
  std::string text;
};

struct ProgramBlock {
  Directive header;  // the `program NAME ...` line
  // Empty, with end_line the header's own line, for `program NAME file=PATH`.
  std::vector<ProgramLine> lines;  // the text between `program` and `end`
  int end_line = 0;
};

enum class InputKind { Directive, Shell, SystemCall, Program };

struct Input {
  std::variant<Directive, ShellInput, SystemCallInput, ProgramBlock> body;
  int line = 0;                       // number of the input line (the `program` line for a block)
  std::size_t first_index = 0;        // index in Scenario::lines of the input's first line
  std::size_t last_index = 0;         // ... and of its last (the `end` line for a block)
  std::vector<std::string> expected;  // the expected output, each without its two spaces

  InputKind kind() const { return static_cast<InputKind>(body.index()); }
  const Directive* directive() const { return std::get_if<Directive>(&body); }
  const ShellInput* shell() const { return std::get_if<ShellInput>(&body); }
  const SystemCallInput* system_call() const { return std::get_if<SystemCallInput>(&body); }
  const ProgramBlock* program() const { return std::get_if<ProgramBlock>(&body); }
};

struct Scenario {
  std::string file_name;
  std::vector<SourceLine> lines;  // every line of the file, in order
  bool ends_with_newline = false;
  std::vector<Input> inputs;  // in file order
};

// Parses a whole file. The first error stops the parse.
ScriptResult<Scenario> parse_scenario(std::string file_name, std::string_view contents);

// Parses the text of one `@` line (from the '@'), for callers that read such lines elsewhere.
SyntaxResult<SystemCallInput> parse_system_call_line(std::string_view text);

}  // namespace procsim::script
