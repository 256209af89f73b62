// Directive lines (`machine arch=amd64 seed=7`, `spawn user=jsp -- /bin/sleep 100`): the word
// lexer and typed access to arguments with diagnostics. Which directives exist and what they
// mean is the driver's business (its directive table); this layer only knows the word grammar.
//
// Grammar (spec/scenario-format.md "Lines"; space and tab both separate words):
//   directive   := NAME (BLANK+ word)* BLANK*
//   NAME        := [a-z][a-z0-9_-]*
//   word        := key '=' value | '"' quoted '"' | '--' | bare
//   key         := [a-z][a-z0-9_]*
//   value       := '"' quoted '"' | bare            (never empty: `key=` is an error; `key=""` is not)
//   bare        := one or more bytes that are not blank and not '"'
//   quoted      := C string body: \a \b \f \n \r \t \v \\ \' \" \? \xH[H] \O[O[O]]
// A closing quote must be followed by a blank or the end of the line. After the word `--` every
// word is positional (`-- /usr/bin/env A=1` passes `A=1` through). A key may appear only once.
// There are no comments on directive lines.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sim/script/diagnostic.h"

namespace procsim::script {

// Named limits: a directive line with more words is an error.
inline constexpr std::size_t kDirectiveWordsMax = 256;

struct Word {
  std::string raw;               // the bytes as written, quotes and escapes included
  std::string key;               // empty for a positional word
  std::string value;             // unescaped: the value of key=value, or the whole positional word
  int column = 0;                // first byte of the word
  int value_column = 0;          // first byte of the value (its opening quote when quoted)
  bool quoted = false;           // the value was a double-quoted string
  bool after_separator = false;  // the word follows `--`

  bool is_keyed() const { return !key.empty(); }
  // The unquoted word `--` itself.
  bool is_separator() const { return !quoted && !after_separator && raw == "--"; }
};

class Directive {
 public:
  // Lexes one directive line (without its '\n'); `file` and `line` (1-based) place
  // diagnostics. Any text is accepted: one that does not start with a name is an error.
  static ScriptResult<Directive> parse(std::string file, int line, std::string_view text);

  const std::string& name() const { return m_name; }
  const std::string& file() const { return m_file; }
  int line() const { return m_line; }
  // The name is always the first word, at column 1.
  static constexpr int name_column() { return 1; }
  // Every word after the name, in order, `--` included.
  const std::vector<Word>& words() const { return m_words; }

  const Word* find(std::string_view key) const;
  // Positional words before `--`, in order (the `--` itself excluded).
  std::vector<const Word*> positionals() const;
  bool has_separator() const;
  // Words after `--`, in order; empty when there is no `--`.
  std::vector<const Word*> after_separator() const;

  // `unknown argument 'foo' to 'machine'` at the first key not in `allowed`.
  ScriptResult<void> check_keys(std::initializer_list<std::string_view> allowed) const;
  // `unexpected argument 'x' to 'trace'` at the first positional word beyond `max`, or at `--`
  // when the directive takes no command after it.
  ScriptResult<void> check_positionals(std::size_t max, bool separator_allowed = false) const;

  // Typed values of key=value arguments; an absent key gives an empty optional.
  // Numbers: decimal, 0x hex, 0 octal; errors `bad number 'x2' for 'ticks'` at the value.
  ScriptResult<std::optional<std::uint64_t>> get_u64(std::string_view key) const;
  ScriptResult<std::optional<std::int64_t>> get_i64(std::string_view key) const;
  ScriptResult<std::optional<std::string>> get_string(std::string_view key) const;
  // Comma-separated numbers (`groups=5,20,0`), in the order written, duplicates kept.
  ScriptResult<std::optional<std::vector<std::uint64_t>>> get_u64_list(std::string_view key) const;
  // Index of the value in `choices`; otherwise
  // `unknown value 'x' for 'arch' (expected one of: i386, amd64)`.
  ScriptResult<std::optional<std::size_t>> get_choice(std::string_view key,
                                                      std::span<const std::string_view> choices) const;
  // Like the get_ functions, but an absent key is `missing argument 'arch' to 'machine'`.
  ScriptResult<std::uint64_t> require_u64(std::string_view key) const;
  ScriptResult<std::string> require_string(std::string_view key) const;
  // The positional word at `index` as a number: `bad number 'x' for 'nextpid'`, or
  // `missing argument to 'nextpid'` when there are not that many.
  ScriptResult<std::uint64_t> positional_u64(std::size_t index) const;

  // Diagnostics at a place on this directive's line.
  Diagnostic error_at(int column, std::string message) const;
  Diagnostic error_at(const Word& word, std::string message) const;
  Diagnostic unknown_directive() const;  // `unknown directive 'foo'` at column 1
  Diagnostic missing_argument(std::string_view key) const;

 private:
  Directive(std::string file, int line, std::string name)
      : m_file(std::move(file)), m_line(line), m_name(std::move(name)) {}

  Diagnostic bad_number(const Word& word, std::string_view text, int column) const;

  std::string m_file;
  int m_line = 0;
  std::string m_name;
  std::vector<Word> m_words;
};

}  // namespace procsim::script
