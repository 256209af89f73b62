// The recursive-descent parser for system-call expressions; the grammar is in call.h.
#include "sim/script/call.h"

#include <limits>
#include <utility>

#include <fmt/format.h>

#include "sim/base/text.h"
#include "sim/script/lexer.h"

namespace procsim::script {

namespace {

CallArgument start_argument(ArgumentKind kind, std::size_t index) {
  CallArgument argument;
  argument.kind = kind;
  argument.column = column_of(index);
  return argument;
}

class CallParser {
 public:
  CallParser(std::string_view line, std::size_t start) : m_line(line), m_pos(start) {
    PROCSIM_ASSERT(start <= line.size());
  }

  SyntaxResult<Call> parse();

 private:
  bool at_end() const { return m_pos >= m_line.size(); }
  char peek() const { return at_end() ? '\0' : m_line[m_pos]; }
  void skip() { m_pos = skip_blanks(m_line, m_pos); }
  base::Failure<SyntaxError> error_at(std::size_t index, std::string message) const {
    return base::fail(SyntaxError{column_of(index), std::move(message)});
  }
  std::string_view identifier();

  SyntaxResult<std::vector<CallArgument>> parse_arguments(char close, std::size_t depth);
  SyntaxResult<CallArgument> parse_argument(std::size_t depth);
  SyntaxResult<CallArgument> parse_list(std::size_t depth);
  SyntaxResult<CallArgument> parse_reference();
  SyntaxResult<CallArgument> parse_flags();
  SyntaxResult<CallArgument> parse_atom(const char* expected);
  SyntaxResult<CallArgument> parse_number();

  std::string_view m_line;
  std::size_t m_pos;
};

std::string_view CallParser::identifier() {
  PROCSIM_ASSERT(is_identifier_start(peek()));
  std::size_t start = m_pos;
  while (!at_end() && is_identifier_char(peek())) ++m_pos;
  return m_line.substr(start, m_pos - start);
}

SyntaxResult<Call> CallParser::parse() {
  skip();
  if (!is_identifier_start(peek())) return error_at(m_pos, "expected a system call name");
  Call call;
  call.name_column = column_of(m_pos);
  call.name = std::string(identifier());
  skip();
  if (peek() != '(') return error_at(m_pos, fmt::format("expected '(' after '{}'", call.name));
  ++m_pos;
  call.arguments = TRY(parse_arguments(')', 0));
  skip();
  if (peek() == '&') {
    call.background = true;
    ++m_pos;
    skip();
  }
  if (!at_end()) return error_at(m_pos, "unexpected text after the system call");
  PROCSIM_ASSERT(!call.name.empty());
  return call;
}

// Parses `argument (',' argument)* close`, the opening bracket already consumed.
SyntaxResult<std::vector<CallArgument>> CallParser::parse_arguments(char close, std::size_t depth) {
  PROCSIM_ASSERT(close == ')' || close == '}');
  std::vector<CallArgument> arguments;
  skip();
  if (at_end()) return error_at(m_pos, fmt::format("missing '{}'", close));
  if (peek() == close) {
    ++m_pos;
    return arguments;
  }
  while (true) {
    if (arguments.size() == kCallArgumentsMax)
      return error_at(m_pos, fmt::format("too many arguments (at most {})", kCallArgumentsMax));
    arguments.push_back(TRY(parse_argument(depth)));
    skip();
    if (at_end()) return error_at(m_pos, fmt::format("missing '{}'", close));
    if (peek() == close) break;
    if (peek() != ',') return error_at(m_pos, fmt::format("expected ',' or '{}'", close));
    ++m_pos;
    skip();
  }
  ++m_pos;
  PROCSIM_ASSERT(arguments.size() <= kCallArgumentsMax);
  return arguments;
}

SyntaxResult<CallArgument> CallParser::parse_argument(std::size_t depth) {
  PROCSIM_ASSERT(depth <= kCallNestingMax);
  skip();
  std::size_t start = m_pos;
  if (peek() == '"') {
    auto quoted = TRY(lex_quoted(m_line, start));
    m_pos = quoted.end;
    CallArgument argument = start_argument(ArgumentKind::String, start);
    argument.raw = std::string(m_line.substr(start, m_pos - start));
    argument.text = std::move(quoted.value);
    return argument;
  }
  if (peek() == '{') return parse_list(depth);
  if (peek() == '&') return parse_reference();
  return parse_flags();
}

SyntaxResult<CallArgument> CallParser::parse_list(std::size_t depth) {
  PROCSIM_ASSERT(peek() == '{');
  std::size_t start = m_pos;
  if (depth == kCallNestingMax)
    return error_at(start, fmt::format("lists nest too deeply (at most {})", kCallNestingMax));
  ++m_pos;
  CallArgument argument = start_argument(ArgumentKind::List, start);
  argument.parts = TRY(parse_arguments('}', depth + 1));
  argument.raw = std::string(m_line.substr(start, m_pos - start));
  PROCSIM_ASSERT(argument.raw.back() == '}');
  return argument;
}

SyntaxResult<CallArgument> CallParser::parse_reference() {
  PROCSIM_ASSERT(peek() == '&');
  std::size_t start = m_pos++;
  if (!is_identifier_start(peek())) return error_at(m_pos, "expected a name after '&'");
  CallArgument argument = start_argument(ArgumentKind::Reference, start);
  argument.text = std::string(identifier());
  argument.raw = std::string(m_line.substr(start, m_pos - start));
  return argument;
}

// One atom stands for itself; two or more joined by '|' make a Flags argument.
SyntaxResult<CallArgument> CallParser::parse_flags() {
  std::size_t start = m_pos;
  CallArgument first = TRY(parse_atom("expected an argument"));
  std::size_t end = m_pos;
  skip();
  if (peek() != '|') {
    m_pos = end;
    return first;
  }
  CallArgument flags = start_argument(ArgumentKind::Flags, start);
  flags.parts.push_back(std::move(first));
  while (peek() == '|') {
    ++m_pos;
    skip();
    flags.parts.push_back(TRY(parse_atom("expected a flag after '|'")));
    end = m_pos;
    skip();
  }
  m_pos = end;
  flags.raw = std::string(m_line.substr(start, end - start));
  PROCSIM_ASSERT(flags.parts.size() >= 2);
  return flags;
}

SyntaxResult<CallArgument> CallParser::parse_atom(const char* expected) {
  if (is_digit(peek()) || peek() == '-') return parse_number();
  if (!is_identifier_start(peek())) return error_at(m_pos, expected);
  CallArgument argument = start_argument(ArgumentKind::Identifier, m_pos);
  argument.text = std::string(identifier());
  argument.raw = argument.text;
  return argument;
}

SyntaxResult<CallArgument> CallParser::parse_number() {
  std::size_t start = m_pos;
  bool negative = peek() == '-';
  if (negative) ++m_pos;
  if (!is_digit(peek())) return error_at(m_pos, "expected a number after '-'");
  std::size_t digits = m_pos;
  while (!at_end() && is_identifier_char(peek())) ++m_pos;
  std::string_view raw = m_line.substr(start, m_pos - start);
  auto magnitude = base::parse_c_unsigned(m_line.substr(digits, m_pos - digits));
  if (!magnitude) return error_at(start, fmt::format("bad number '{}'", raw));
  constexpr std::uint64_t negative_max = std::uint64_t{1} << 63;
  if (negative && *magnitude > negative_max)
    return error_at(start, fmt::format("number '{}' is out of range", raw));
  CallArgument argument = start_argument(ArgumentKind::Integer, start);
  argument.raw = std::string(raw);
  argument.negative = negative;
  // Unsigned negation is two's complement, so -1 becomes all ones and -2^63 stays itself.
  argument.bits = negative ? std::uint64_t{0} - *magnitude : *magnitude;
  return argument;
}

}  // namespace

SyntaxResult<Call> parse_call(std::string_view line, std::size_t start) {
  return CallParser(line, start).parse();
}

}  // namespace procsim::script
