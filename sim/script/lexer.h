// Character-level pieces shared by the directive and call lexers: blanks, identifiers, columns
// and double-quoted strings with C escapes. Everything works on one line, without its '\n';
// indexes are 0-based bytes and columns 1-based bytes.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "sim/script/diagnostic.h"

namespace procsim::script {

// Space and tab separate words; nothing else does.
constexpr bool is_blank(char c) {
  return c == ' ' || c == '\t';
}
constexpr bool is_lower(char c) {
  return c >= 'a' && c <= 'z';
}
constexpr bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
constexpr bool is_identifier_start(char c) {
  return is_lower(c) || (c >= 'A' && c <= 'Z') || c == '_';
}
constexpr bool is_identifier_char(char c) {
  return is_identifier_start(c) || is_digit(c);
}

// The 1-based column of a 0-based byte index.
int column_of(std::size_t index);

// Index of the first non-blank byte at or after `index` (line.size() if none).
std::size_t skip_blanks(std::string_view line, std::size_t index);

struct QuotedString {
  std::string value;  // the bytes after C unescaping
  std::size_t end;    // index just past the closing quote
};

// Lexes the double-quoted string whose opening quote is at `open`. Errors: `unterminated
// string` at the opening quote; a bad escape (base::c_unescape's message) at its backslash.
SyntaxResult<QuotedString> lex_quoted(std::string_view line, std::size_t open);

}  // namespace procsim::script
