// FreeBSD 8.3 sh parser subset; see sh_parse.h. The structure follows bin/sh/parser.c
// (list, andor, pipeline, command, simplecmd, readtoken with its keyword-check states) so
// that the same inputs give the same trees and the same "Syntax error" texts.
#include "model/userland/sh_parse.h"

#include <array>
#include <optional>

#include <fmt/format.h>

#include "sim/base/assert.h"
#include "sim/base/result.h"

namespace procsim::userland {

namespace {

using base::fail;
using base::Result;

// Tokens in bin/sh/mktokens order. Each row: the name error messages use, and whether the
// token ends a list. The keywords start at If.
enum class Tok {
  Eof,
  Newline,
  Semi,
  Background,
  And,
  Or,
  Pipe,
  LeftParen,
  RightParen,
  EndCase,
  EndBackquote,
  Redirection,
  Word,
  If,
  Then,
  Else,
  Elif,
  Fi,
  While,
  Until,
  For,
  Do,
  Done,
  Begin,
  End,
  Case,
  Esac,
  Not,
};

struct TokenRow {
  std::string_view name;
  bool ends_list;
  std::string_view keyword;  // the word that spells it, for keywords
};

constexpr std::array<TokenRow, 28> kTokens = {{
    {"end of file", true, ""},     {"newline", false, ""},        {"\";\"", false, ""},
    {"\"&\"", false, ""},          {"\"&&\"", false, ""},         {"\"||\"", false, ""},
    {"\"|\"", false, ""},          {"\"(\"", false, ""},          {"\")\"", true, ""},
    {"\";;\"", true, ""},          {"\"`\"", true, ""},           {"redirection", false, ""},
    {"word", false, ""},           {"\"if\"", false, "if"},       {"\"then\"", true, "then"},
    {"\"else\"", true, "else"},    {"\"elif\"", true, "elif"},    {"\"fi\"", true, "fi"},
    {"\"while\"", false, "while"}, {"\"until\"", false, "until"}, {"\"for\"", false, "for"},
    {"\"do\"", true, "do"},        {"\"done\"", true, "done"},    {"\"{\"", false, "{"},
    {"\"}\"", true, "}"},          {"\"case\"", false, "case"},   {"\"esac\"", true, "esac"},
    {"\"!\"", false, "!"},
}};

const TokenRow& row_of(Tok token) {
  auto index = static_cast<std::size_t>(token);
  PROCSIM_ASSERT(index < kTokens.size());
  return kTokens[index];
}

constexpr int kEof = -1;

// How a character behaves in each quoting state (bin/sh/mksyntax.c, reduced to the classes
// this subset distinguishes).
enum class CharClass {
  Word,
  Newline,
  Backslash,
  SingleQuote,
  DoubleQuote,
  EndQuote,
  Backquote,
  Dollar,
  Eof,
  Special,
};
enum class Syntax { Base, Single, Double };

CharClass classify(Syntax syntax, int c) {
  if (c == kEof) return CharClass::Eof;
  if (c == '\n') return CharClass::Newline;
  switch (syntax) {
    case Syntax::Single: return c == '\'' ? CharClass::EndQuote : CharClass::Word;
    case Syntax::Double:
      if (c == '\\') return CharClass::Backslash;
      if (c == '"') return CharClass::EndQuote;
      if (c == '`') return CharClass::Backquote;
      if (c == '$') return CharClass::Dollar;
      return CharClass::Word;
    case Syntax::Base: break;
  }
  switch (c) {
    case '\\': return CharClass::Backslash;
    case '\'': return CharClass::SingleQuote;
    case '"': return CharClass::DoubleQuote;
    case '`': return CharClass::Backquote;
    case '$': return CharClass::Dollar;
    case '<':
    case '>':
    case '(':
    case ')':
    case ';':
    case '&':
    case '|':
    case ' ':
    case '\t': return CharClass::Special;
    default: return CharClass::Word;
  }
}

bool is_name_start(int c) { return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(int c) { return c >= '0' && c <= '9'; }
bool is_in_name(int c) { return is_name_start(c) || is_digit(c); }
bool is_special_parameter(int c) {
  return c == '!' || c == '#' || c == '$' || c == '*' || c == '-' || c == '?' || c == '@';
}

// Accumulates the parts of a word, merging adjacent literal text of the same quoting.
class WordBuilder {
 public:
  void add_char(char c, bool quoted) {
    if (!m_word.parts.empty()) {
      ShWordPart& last = m_word.parts.back();
      if (last.kind == ShWordPart::Kind::Literal && last.quoted == quoted) {
        last.text.push_back(c);
        return;
      }
    }
    m_word.parts.push_back(ShWordPart{ShWordPart::Kind::Literal, std::string(1, c), quoted});
  }
  // An opening quote: even '' must leave a (quoted, empty) trace in the word.
  void open_quote() {
    bool has_quoted_tail = !m_word.parts.empty() && m_word.parts.back().kind == ShWordPart::Kind::Literal &&
                           m_word.parts.back().quoted;
    if (!has_quoted_tail) m_word.parts.push_back(ShWordPart{ShWordPart::Kind::Literal, "", true});
  }
  void add_parameter(std::string name, bool quoted) {
    PROCSIM_ASSERT(!name.empty());
    m_word.parts.push_back(ShWordPart{ShWordPart::Kind::Parameter, std::move(name), quoted});
  }
  const ShWord& word() const { return m_word; }
  ShWord take() { return std::move(m_word); }

 private:
  ShWord m_word;
};

class Parser {
 public:
  Parser(std::string_view input, std::size_t offset, int line) : m_input(input), m_pos(offset), m_line(line) {
    PROCSIM_ASSERT(offset <= input.size());
    PROCSIM_ASSERT(line >= 1);
  }

  Result<Tok, ShParseError> read_token();
  Result<ShCommandList, ShParseError> list();
  void push_back() { m_pushback = true; }

  bool read_past_end() const { return m_read_past_end; }
  std::size_t position() const { return m_pos; }
  int line() const { return m_line; }

 private:
  // Characters.
  int getc();
  void ungetc();

  // Tokens.
  Result<Tok, ShParseError> raw_token();
  Result<Tok, ShParseError> read_word(int c);
  Result<void, ShParseError> read_word_char(int& c, Syntax& syntax, bool& quoted_flag);
  Result<void, ShParseError> read_backslash(Syntax syntax, bool& quoted_flag);
  Result<void, ShParseError> read_parameter(Syntax syntax);
  Result<void, ShParseError> read_braced_parameter(Syntax syntax);
  Result<Tok, ShParseError> read_redirection(int c);
  Tok set_last(Tok token) {
    m_last_token = token;
    return token;
  }

  // Grammar.
  Result<ShAndOr, ShParseError> and_or();
  Result<ShPipeline, ShParseError> pipeline();
  Result<ShSimpleCommand, ShParseError> command();
  Result<ShSimpleCommand, ShParseError> simple_command(std::vector<ShRedirection> redirections);
  Result<void, ShParseError> parse_file_name(ShRedirection& redirection);

  // Errors.
  ShParseError syntax_error(std::string message) const {
    return ShParseError{ShParseError::Kind::Syntax, std::move(message), m_start_line};
  }
  ShParseError unexpected(std::optional<Tok> expected) const;
  ShParseError unsupported(std::string_view what) const {
    return ShParseError{ShParseError::Kind::Unsupported, std::string(what), m_start_line};
  }

  std::string_view m_input;
  std::size_t m_pos;
  int m_line;
  int m_start_line = 1;
  bool m_last_was_eof = false;
  bool m_read_past_end = false;

  Tok m_last_token = Tok::Eof;
  bool m_pushback = false;
  int m_check_keywords = 0;  // 0 none, 1 keywords, 2 keywords and skip newlines (parser.c checkkwd)
  bool m_quote_flag = false;
  ShWord m_word;
  ShRedirection m_redirection;
  WordBuilder m_builder;
};

int Parser::getc() {
  if (m_pos >= m_input.size()) {
    m_last_was_eof = true;
    m_read_past_end = true;
    return kEof;
  }
  m_last_was_eof = false;
  return static_cast<unsigned char>(m_input[m_pos++]);
}

void Parser::ungetc() {
  // Pushing back end-of-input leaves it in place: the next read sees it again.
  if (m_last_was_eof) return;
  PROCSIM_ASSERT(m_pos > 0);
  --m_pos;
}

ShParseError Parser::unexpected(std::optional<Tok> expected) const {
  if (expected.has_value()) {
    return syntax_error(
        fmt::format("{} unexpected (expecting {})", row_of(m_last_token).name, row_of(*expected).name));
  }
  return syntax_error(fmt::format("{} unexpected", row_of(m_last_token).name));
}

// readtoken(): raw tokens, newline skipping and keyword recognition as checkkwd asks.
Result<Tok, ShParseError> Parser::read_token() {
  int saved_check = m_check_keywords;
  Tok token = TRY(raw_token());
  if (m_check_keywords == 0) return token;
  if (m_check_keywords == 2) {
    m_check_keywords = 0;
    while (token == Tok::Newline) token = TRY(raw_token());
  } else {
    m_check_keywords = 0;
  }
  bool plain_word = token == Tok::Word && !m_quote_flag && m_word.parts.size() == 1 &&
                    m_word.parts[0].kind == ShWordPart::Kind::Literal;
  if (plain_word) {
    for (std::size_t index = static_cast<std::size_t>(Tok::If); index < kTokens.size(); ++index) {
      if (kTokens[index].keyword == m_word.parts[0].text) {
        token = set_last(static_cast<Tok>(index));
        break;
      }
    }
  }
  m_check_keywords = token == Tok::Not ? saved_check : 0;
  return token;
}

// xxreadtoken(): operators, comments, line continuations; words go to read_word.
Result<Tok, ShParseError> Parser::raw_token() {
  if (m_pushback) {
    m_pushback = false;
    return m_last_token;
  }
  m_start_line = m_line;
  for (;;) {
    int c = getc();
    switch (c) {
      case ' ':
      case '\t': continue;
      case '#':
        while ((c = getc()) != '\n' && c != kEof) {
        }
        ungetc();
        continue;
      case '\\':
        if (getc() == '\n') {
          m_start_line = ++m_line;
          continue;
        }
        ungetc();
        return read_word('\\');
      case '\n': ++m_line; return set_last(Tok::Newline);
      case kEof: return set_last(Tok::Eof);
      case '&':
        if (getc() == '&') return set_last(Tok::And);
        ungetc();
        return set_last(Tok::Background);
      case '|':
        if (getc() == '|') return set_last(Tok::Or);
        ungetc();
        return set_last(Tok::Pipe);
      case ';':
        if (getc() == ';') return set_last(Tok::EndCase);
        ungetc();
        return set_last(Tok::Semi);
      case '(': return set_last(Tok::LeftParen);
      case ')': return set_last(Tok::RightParen);
      default: return read_word(c);
    }
  }
}

// readtoken1() for words: collects parts until an unquoted special character or the end.
Result<Tok, ShParseError> Parser::read_word(int c) {
  m_start_line = m_line;
  m_builder = WordBuilder();
  Syntax syntax = Syntax::Base;
  bool quoted_flag = false;
  for (;;) {
    CharClass cls = classify(syntax, c);
    bool ends_word = cls == CharClass::Eof ||
                     ((cls == CharClass::Special || cls == CharClass::Newline) && syntax == Syntax::Base);
    if (ends_word) break;
    TRY(read_word_char(c, syntax, quoted_flag));
    c = getc();
  }
  if (syntax != Syntax::Base) return fail(syntax_error("Unterminated quoted string"));
  const ShWord& word = m_builder.word();
  bool redirection_prefix =
      word.parts.empty() || (word.parts.size() == 1 && word.parts[0].kind == ShWordPart::Kind::Literal &&
                             word.parts[0].text.size() == 1 && is_digit(word.parts[0].text[0]));
  if ((c == '>' || c == '<') && !quoted_flag && redirection_prefix) {
    int fd = word.parts.empty() ? (c == '>' ? 1 : 0) : word.parts[0].text[0] - '0';
    m_redirection = ShRedirection{};
    m_redirection.fd = fd;
    return read_redirection(c);
  }
  ungetc();
  m_quote_flag = quoted_flag;
  m_word = m_builder.take();
  return set_last(Tok::Word);
}

// One character of a word in the current quoting state (the switch of readtoken1).
Result<void, ShParseError> Parser::read_word_char(int& c, Syntax& syntax, bool& quoted_flag) {
  bool in_quotes = syntax != Syntax::Base;
  switch (classify(syntax, c)) {
    case CharClass::Newline:
      PROCSIM_ASSERT(in_quotes);
      m_builder.add_char('\n', true);
      ++m_line;
      return {};
    case CharClass::Word:
    case CharClass::Special: m_builder.add_char(static_cast<char>(c), in_quotes); return {};
    case CharClass::Backslash: return read_backslash(syntax, quoted_flag);
    case CharClass::SingleQuote:
      m_builder.open_quote();
      syntax = Syntax::Single;
      return {};
    case CharClass::DoubleQuote:
      m_builder.open_quote();
      syntax = Syntax::Double;
      return {};
    case CharClass::EndQuote:
      syntax = Syntax::Base;
      quoted_flag = true;
      return {};
    case CharClass::Dollar: return read_parameter(syntax);
    case CharClass::Backquote: return fail(unsupported("command substitution"));
    case CharClass::Eof: break;
  }
  PROCSIM_UNREACHABLE();
}

// A backslash: quotes the next character; before a newline it joins the lines; at the end
// of input it stands for itself. Inside "" it quotes only \ ` $ " (and newline).
Result<void, ShParseError> Parser::read_backslash(Syntax syntax, bool& quoted_flag) {
  int c = getc();
  if (c == kEof) {
    m_builder.add_char('\\', syntax != Syntax::Base);
    ungetc();
    return {};
  }
  if (c == '\n') {
    ++m_line;
    return {};
  }
  bool keeps_backslash = syntax == Syntax::Double && c != '\\' && c != '`' && c != '$' && c != '"';
  if (keeps_backslash) m_builder.add_char('\\', true);
  m_builder.add_char(static_cast<char>(c), true);
  quoted_flag = true;
  return {};
}

// parsesub(): what follows a '$'. A '$' that starts no expansion is an ordinary character.
Result<void, ShParseError> Parser::read_parameter(Syntax syntax) {
  bool quoted = syntax == Syntax::Double;
  int c = getc();
  if (c == '(') {
    c = getc();
    return fail(unsupported(c == '(' ? "arithmetic expansion" : "command substitution"));
  }
  if (c == '{') return read_braced_parameter(syntax);
  if (is_name_start(c)) {
    std::string name;
    do {
      name.push_back(static_cast<char>(c));
      c = getc();
    } while (is_in_name(c));
    ungetc();
    m_builder.add_parameter(std::move(name), quoted);
    return {};
  }
  if (is_digit(c) || is_special_parameter(c)) {
    m_builder.add_parameter(std::string(1, static_cast<char>(c)), quoted);
    return {};
  }
  m_builder.add_char('$', quoted);
  ungetc();
  return {};
}

// ${name}, ${N...} and ${special}; the operator forms are outside the subset.
Result<void, ShParseError> Parser::read_braced_parameter(Syntax syntax) {
  bool quoted = syntax == Syntax::Double;
  std::string name;
  int c = getc();
  if (is_name_start(c)) {
    do {
      name.push_back(static_cast<char>(c));
      c = getc();
    } while (is_in_name(c));
  } else if (is_digit(c)) {
    do {
      name.push_back(static_cast<char>(c));
      c = getc();
    } while (is_digit(c));
  } else if (is_special_parameter(c)) {
    name.push_back(static_cast<char>(c));
    c = getc();
  }
  if (c == kEof) return fail(ShParseError{ShParseError::Kind::Syntax, "Missing '}'", m_line});
  if (name.empty() || c != '}') return fail(unsupported("this ${...} expansion"));
  m_builder.add_parameter(std::move(name), quoted);
  return {};
}

// parseredir: the operator after an optional single-digit descriptor.
Result<Tok, ShParseError> Parser::read_redirection(int c) {
  int next = getc();
  if (c == '>') {
    switch (next) {
      case '>': m_redirection.kind = ShRedirectionKind::Append; break;
      case '&': m_redirection.kind = ShRedirectionKind::DupOutput; break;
      case '|': m_redirection.kind = ShRedirectionKind::Clobber; break;
      default: m_redirection.kind = ShRedirectionKind::Output; ungetc();
    }
    return set_last(Tok::Redirection);
  }
  PROCSIM_ASSERT(c == '<');
  switch (next) {
    case '<': return fail(unsupported("here-documents"));
    case '&': m_redirection.kind = ShRedirectionKind::DupInput; break;
    case '>': m_redirection.kind = ShRedirectionKind::ReadWrite; break;
    default: m_redirection.kind = ShRedirectionKind::Input; ungetc();
  }
  return set_last(Tok::Redirection);
}

// list(1): and-or lists separated by ; and &, ended by a newline or the end of input.
Result<ShCommandList, ShParseError> Parser::list() {
  ShCommandList result;
  m_check_keywords = 2;
  for (;;) {
    ShAndOr item = TRY(and_or());
    Tok token = TRY(read_token());
    if (token == Tok::Background) item.background = true;
    result.items.push_back(std::move(item));
    switch (token) {
      case Tok::Background:
      case Tok::Semi:
        token = TRY(read_token());
        if (token == Tok::Newline) return result;
        push_back();
        m_check_keywords = 2;
        token = TRY(read_token());
        push_back();
        // A list-ending token (")", "fi", end of input...) stays unread; parsecmd drops it.
        if (row_of(token).ends_list) return result;
        break;
      case Tok::Newline:
      case Tok::Eof: return result;
      default: return fail(unexpected(std::nullopt));
    }
  }
}

Result<ShAndOr, ShParseError> Parser::and_or() {
  ShAndOr result;
  result.first = TRY(pipeline());
  for (;;) {
    Tok token = TRY(read_token());
    if (token != Tok::And && token != Tok::Or) {
      push_back();
      return result;
    }
    ShConnector connector = token == Tok::And ? ShConnector::And : ShConnector::Or;
    ShPipeline next = TRY(pipeline());
    result.rest.emplace_back(connector, std::move(next));
  }
}

Result<ShPipeline, ShParseError> Parser::pipeline() {
  ShPipeline result;
  m_check_keywords = 2;
  while (TRY(read_token()) == Tok::Not) result.negated = !result.negated;
  push_back();
  result.commands.push_back(TRY(command()));
  if (TRY(read_token()) == Tok::Pipe) {
    do {
      result.commands.push_back(TRY(command()));
    } while (TRY(read_token()) == Tok::Pipe);
  }
  push_back();
  PROCSIM_ASSERT(!result.commands.empty());
  return result;
}

// command(): leading redirections, "!", then the kind of command the next token starts.
Result<ShSimpleCommand, ShParseError> Parser::command() {
  m_check_keywords = 2;
  std::vector<ShRedirection> redirections;
  while (TRY(read_token()) == Tok::Redirection) {
    redirections.push_back(m_redirection);
    TRY(parse_file_name(redirections.back()));
  }
  push_back();
  bool negated = false;
  while (TRY(read_token()) == Tok::Not) negated = !negated;
  push_back();
  Tok token = TRY(read_token());
  switch (token) {
    case Tok::If:
    case Tok::While:
    case Tok::Until:
    case Tok::For:
    case Tok::Case: return fail(unsupported(fmt::format("{} commands", row_of(token).keyword)));
    case Tok::LeftParen: return fail(unsupported("subshells"));
    case Tok::Begin: return fail(unsupported("{ } groups"));
    case Tok::Background:
    case Tok::Semi:
    case Tok::And:
    case Tok::Or:
      // An empty command is only allowed when redirections made it non-empty.
      if (redirections.empty()) return fail(unexpected(std::nullopt));
      [[fallthrough]];
    case Tok::Newline:
    case Tok::Eof:
    case Tok::Word:
    case Tok::RightParen: {
      push_back();
      ShSimpleCommand result = TRY(simple_command(std::move(redirections)));
      result.negated = negated;
      return result;
    }
    default: return fail(unexpected(std::nullopt));
  }
}

Result<ShSimpleCommand, ShParseError> Parser::simple_command(std::vector<ShRedirection> redirections) {
  ShSimpleCommand result;
  result.redirections = std::move(redirections);
  bool redirected_here = false;
  for (;;) {
    Tok token = TRY(read_token());
    if (token == Tok::Word) {
      result.words.push_back(m_word);
    } else if (token == Tok::Redirection) {
      result.redirections.push_back(m_redirection);
      TRY(parse_file_name(result.redirections.back()));
      redirected_here = true;
    } else if (token == Tok::LeftParen && result.words.size() == 1 && !redirected_here) {
      // NAME ( ) starts a function definition.
      if (TRY(read_token()) != Tok::RightParen) return fail(unexpected(Tok::RightParen));
      return fail(unsupported("function definitions"));
    } else {
      push_back();
      return result;
    }
  }
}

Result<void, ShParseError> Parser::parse_file_name(ShRedirection& redirection) {
  if (TRY(read_token()) != Tok::Word) return fail(unexpected(std::nullopt));
  redirection.target = m_word;
  return {};
}

ShParseStep finish_step(const Parser& parser, ShInputEnd end, ShParseStep step) {
  // Reading past the text given means a terminal would have been asked for another line; what
  // the parser made of the missing text does not count.
  if (end == ShInputEnd::MoreMayFollow && parser.read_past_end()) {
    ShParseStep more;
    more.kind = ShStepKind::NeedMoreInput;
    return more;
  }
  step.next_offset = parser.position();
  step.next_line = parser.line();
  return step;
}

void dump_command(std::string& out, const ShSimpleCommand& command);
void dump_pipeline(std::string& out, const ShPipeline& pipeline);

}  // namespace

ShParseStep parse_sh_command(std::string_view input, std::size_t offset, int line, ShInputEnd end) {
  Parser parser(input, offset, line);
  ShParseStep step;
  auto first = parser.read_token();
  if (first.is_error()) {
    step.kind = ShStepKind::Error;
    step.error = first.error();
    return finish_step(parser, end, std::move(step));
  }
  if (first.value() == Tok::Eof || first.value() == Tok::Newline) {
    step.kind = first.value() == Tok::Eof ? ShStepKind::EndOfInput : ShStepKind::Blank;
    return finish_step(parser, end, std::move(step));
  }
  parser.push_back();
  auto parsed = parser.list();
  if (parsed.is_error()) {
    step.kind = ShStepKind::Error;
    step.error = parsed.error();
  } else {
    step.kind = ShStepKind::Command;
    step.command = std::move(parsed.value());
    PROCSIM_ASSERT(!step.command.items.empty());
  }
  return finish_step(parser, end, std::move(step));
}

std::string format_sh_parse_error(const ShParseError& error, ShCommandName command_name) {
  PROCSIM_ASSERT(!error.message.empty());
  std::string prefix = command_name.has_value() ? fmt::format("{}: {}: ", *command_name, error.line) : "";
  std::string_view label = error.kind == ShParseError::Kind::Syntax ? "Syntax error" : "Not supported";
  return fmt::format("{}{}: {}\n", prefix, label, error.message);
}

std::string dump_sh_word(const ShWord& word) {
  std::string out;
  for (const auto& part : word.parts) {
    if (part.kind == ShWordPart::Kind::Parameter) {
      out += part.quoted ? fmt::format("\"${{{}}}\"", part.text) : fmt::format("${{{}}}", part.text);
    } else if (part.quoted) {
      out += fmt::format("'{}'", part.text);
    } else {
      out += part.text;
    }
  }
  return out;
}

namespace {

std::string_view redirection_operator(ShRedirectionKind kind) {
  switch (kind) {
    case ShRedirectionKind::Input: return "<";
    case ShRedirectionKind::Output: return ">";
    case ShRedirectionKind::Append: return ">>";
    case ShRedirectionKind::Clobber: return ">|";
    case ShRedirectionKind::ReadWrite: return "<>";
    case ShRedirectionKind::DupOutput: return ">&";
    case ShRedirectionKind::DupInput: return "<&";
  }
  PROCSIM_UNREACHABLE();
}

void dump_command(std::string& out, const ShSimpleCommand& command) {
  if (command.negated) out += "(! ";
  out += "(cmd";
  for (const auto& word : command.words) out += " " + dump_sh_word(word);
  for (const auto& redirection : command.redirections) {
    out += fmt::format(" {}{}{}", redirection.fd, redirection_operator(redirection.kind),
                       dump_sh_word(redirection.target));
  }
  out += ")";
  if (command.negated) out += ")";
}

void dump_pipeline(std::string& out, const ShPipeline& pipeline) {
  if (pipeline.negated) out += "(not ";
  if (pipeline.commands.size() > 1) out += "(pipe";
  for (std::size_t index = 0; index < pipeline.commands.size(); ++index) {
    if (pipeline.commands.size() > 1) out += " ";
    dump_command(out, pipeline.commands[index]);
  }
  if (pipeline.commands.size() > 1) out += ")";
  if (pipeline.negated) out += ")";
}

void dump_and_or(std::string& out, const ShAndOr& item) {
  if (item.background) out += "(bg ";
  // Left-associative, as sh builds NAND/NOR nodes.
  for (auto it = item.rest.rbegin(); it != item.rest.rend(); ++it)
    out += it->first == ShConnector::And ? "(and " : "(or ";
  dump_pipeline(out, item.first);
  for (const auto& [connector, pipeline] : item.rest) {
    out += " ";
    dump_pipeline(out, pipeline);
    out += ")";
  }
  if (item.background) out += ")";
}

}  // namespace

std::string dump_sh_command(const ShCommandList& list) {
  std::string out;
  bool sequence = list.items.size() > 1;
  if (sequence) out += "(seq";
  for (const auto& item : list.items) {
    if (sequence) out += " ";
    dump_and_or(out, item);
  }
  if (sequence) out += ")";
  return out;
}

}  // namespace procsim::userland
