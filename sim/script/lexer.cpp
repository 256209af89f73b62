// Shared character-level lexing; see lexer.h.
#include "sim/script/lexer.h"

#include <limits>

#include "sim/base/text.h"

namespace procsim::script {

int column_of(std::size_t index) {
  PROCSIM_ASSERT(index < static_cast<std::size_t>(std::numeric_limits<int>::max()));
  return static_cast<int>(index) + 1;
}

std::size_t skip_blanks(std::string_view line, std::size_t index) {
  PROCSIM_ASSERT(index <= line.size());
  while (index < line.size() && is_blank(line[index])) ++index;
  return index;
}

SyntaxResult<QuotedString> lex_quoted(std::string_view line, std::size_t open) {
  PROCSIM_ASSERT(open < line.size());
  PROCSIM_ASSERT(line[open] == '"');
  std::size_t close = open + 1;
  // A backslash always takes the next byte with it, so `\"` never closes the string.
  while (close < line.size() && line[close] != '"') {
    close += line[close] == '\\' ? std::size_t{2} : std::size_t{1};
  }
  if (close >= line.size()) return base::fail(SyntaxError{column_of(open), "unterminated string"});
  std::string_view body = line.substr(open + 1, close - open - 1);
  base::UnescapeError error;
  auto value = base::c_unescape(body, &error);
  if (!value) return base::fail(SyntaxError{column_of(open + 1 + error.offset), error.message});
  PROCSIM_ASSERT(line[close] == '"');
  return QuotedString{std::move(*value), close + 1};
}

}  // namespace procsim::script
