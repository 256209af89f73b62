// The command-line parser of FreeBSD 8.3's /bin/sh for procsim's shell: lists (; & newline),
// && ||, pipelines with !, simple commands, quoting (' " \), parameters ($name ${name} $? $$
// $! $0-$9) and the redirections < > >> >| <> >& <&; expansion is left to sh_expand.h.
// Compound commands, functions, here-documents, command substitution, arithmetic and ${x-y}
// operators are reported as not supported; aliases and $LINENO are not modelled.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/userland/program_errors.h"

namespace procsim::userland {

// One piece of a word. Literal text has its quotes removed; a parameter is kept by name
// ("?", "$", "1", "HOME") so the shell can expand it later.
struct ShWordPart {
  enum class Kind { Literal, Parameter };
  Kind kind = Kind::Literal;
  std::string text;
  bool quoted = false;  // inside '' or "", or escaped with a backslash

  bool operator==(const ShWordPart&) const = default;
};

struct ShWord {
  std::vector<ShWordPart> parts;

  bool operator==(const ShWord&) const = default;
};

enum class ShRedirectionKind {
  Input,      // <
  Output,     // >
  Append,     // >>
  Clobber,    // >|
  ReadWrite,  // <>
  DupOutput,  // >&  (target "N" or "-", checked when the shell runs it)
  DupInput,   // <&
};

struct ShRedirection {
  ShRedirectionKind kind = ShRedirectionKind::Output;
  int fd = 1;  // the descriptor redirected: 0-9
  ShWord target;

  bool operator==(const ShRedirection&) const = default;
};

struct ShSimpleCommand {
  std::vector<ShWord> words;
  std::vector<ShRedirection> redirections;  // in the order written
  bool negated = false;                     // "! cmd" after a "|"

  bool operator==(const ShSimpleCommand&) const = default;
};

struct ShPipeline {
  std::vector<ShSimpleCommand> commands;  // one or more
  bool negated = false;

  bool operator==(const ShPipeline&) const = default;
};

enum class ShConnector { And, Or };

struct ShAndOr {
  ShPipeline first;
  std::vector<std::pair<ShConnector, ShPipeline>> rest;
  bool background = false;  // ended by "&"

  bool operator==(const ShAndOr&) const = default;
};

// What one parse step yields: the and-or lists up to the end of a line.
struct ShCommandList {
  std::vector<ShAndOr> items;

  bool operator==(const ShCommandList&) const = default;
};

struct ShParseError {
  enum class Kind { Syntax, Unsupported };
  Kind kind = Kind::Syntax;
  std::string message;  // for Syntax, the text after "Syntax error: "
  int line = 1;         // line where the offending token started
};

// Whether the text handed to the parser is all there is (a -c string, a script at EOF) or a
// terminal may still deliver lines (an interactive shell that would print PS2).
enum class ShInputEnd { EndOfInput, MoreMayFollow };

enum class ShStepKind {
  Command,        // `command` holds the parsed list
  Blank,          // an empty or comment-only line
  EndOfInput,     // nothing left
  NeedMoreInput,  // the command continues past the text given; append a line and retry
  Error,          // `error` says why; FreeBSD's sh discards the rest of its input buffer
};

struct ShParseStep {
  ShStepKind kind = ShStepKind::EndOfInput;
  ShCommandList command;
  ShParseError error;
  std::size_t next_offset = 0;  // where the next step starts (Command, Blank)
  int next_line = 1;
};

// Parses the next command of `input` starting at `offset` (line number `line`), as one call
// of sh's parsecmd(): it stops after the newline that ends the command. After NeedMoreInput,
// call again with the same offset and line once more text has been appended.
ShParseStep parse_sh_command(std::string_view input, std::size_t offset, int line, ShInputEnd end);

// "Syntax error: MSG\n", prefixed "NAME: LINE: " while sh reads a script file (8.3 synerror).
// Unsupported constructs read "Not supported: MSG\n" with the same prefix.
std::string format_sh_parse_error(const ShParseError& error, ShCommandName command_name);

// A compact S-expression of a parsed list, for tests and traces:
// (seq (bg (and (pipe (cmd ls -l 1>out) (cmd wc)) (cmd echo ${?}))) ...).
std::string dump_sh_command(const ShCommandList& list);
std::string dump_sh_word(const ShWord& word);

}  // namespace procsim::userland
