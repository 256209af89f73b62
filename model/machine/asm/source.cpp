// Splitting assembler lines into statements and operands, and integer expressions over
// symbols. Comment syntax differs per instruction set and is passed in; everything else is
// shared. Errors carry the column of the offending character.
#include "model/machine/asm/source.h"

#include <cctype>

#include <fmt/format.h>

#include "sim/base/text.h"

namespace procsim::machine::assembly {
namespace {

AsmError error_at(int line, int column, std::string message) {
  return AsmError{line, column, std::move(message)};
}

// The offset where a comment starts, or text.size(). Quotes protect '#' and "//".
std::size_t comment_start(std::string_view text, const CommentSyntax& comments) {
  std::size_t first = text.find_first_not_of(" \t");
  if (comments.hash_at_line_start && first != std::string_view::npos && text[first] == '#') return first;
  char quote = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quote != 0) {
      if (c == '\\')
        ++i;
      else if (c == quote)
        quote = 0;
      continue;
    }
    if (c == '"') quote = c;
    if (c == '#' && comments.hash_anywhere) return i;
    if (c == '/' && comments.double_slash && i + 1 < text.size() && text[i + 1] == '/') return i;
  }
  return text.size();
}

// Pieces of a line between top-level ';'.
std::vector<std::pair<std::size_t, std::string_view>> split_statements(std::string_view text) {
  std::vector<std::pair<std::size_t, std::string_view>> pieces;
  char quote = 0;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    if (i < text.size() && quote != 0) {
      if (text[i] == '\\')
        ++i;
      else if (text[i] == quote)
        quote = 0;
      continue;
    }
    if (i < text.size() && text[i] == '"') quote = '"';
    if (i == text.size() || text[i] == ';') {
      pieces.emplace_back(start, text.substr(start, i - start));
      start = i + 1;
    }
  }
  return pieces;
}

base::Result<Statement, AsmError> parse_statement(std::string_view text, int line, int column) {
  Statement statement;
  statement.line = line;
  std::size_t i = 0;
  auto skip_blanks = [&] {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
  };
  for (;;) {
    skip_blanks();
    std::size_t start = i;
    while (i < text.size() && is_symbol_char(text[i])) ++i;
    bool is_label = i > start && i < text.size() && text[i] == ':' && is_symbol_start(text[start]);
    if (!is_label) {
      i = start;
      break;
    }
    statement.labels.push_back(
        {std::string(text.substr(start, i - start)), column + static_cast<int>(start)});
    ++i;
  }
  skip_blanks();
  statement.source = std::string(trim(text));
  if (i == text.size()) return statement;
  std::size_t start = i;
  while (i < text.size() && (is_symbol_char(text[i]) || text[i] == '.')) ++i;
  std::size_t equals = text.find_first_not_of(" \t", i);
  if (i > start && equals != std::string_view::npos && text[equals] == '=') {
    // `name = expr` is `.set name, expr`.
    statement.column = column + static_cast<int>(start);
    statement.mnemonic = ".set";
    statement.operands.push_back({std::string(text.substr(start, i - start)), statement.column});
    std::string_view rest = text.substr(equals + 1);
    std::size_t lead = rest.find_first_not_of(" \t");
    int rest_column = column + static_cast<int>(equals + 1 + (lead == std::string_view::npos ? 0 : lead));
    statement.operands.push_back({std::string(trim(rest)), rest_column});
    return statement;
  }
  if (i == start) {
    return base::fail(error_at(line, column + static_cast<int>(start),
                               fmt::format("junk '{}' at start of statement", text.substr(start, 1))));
  }
  statement.column = column + static_cast<int>(start);
  statement.mnemonic = to_lower(text.substr(start, i - start));
  statement.operands = split_operands(text.substr(i), column + static_cast<int>(i));
  return statement;
}

std::optional<std::int64_t> parse_number(std::string_view text) {
  if (text.size() > 2 && text[0] == '0' && (text[1] == 'b' || text[1] == 'B')) {
    std::uint64_t value = 0;
    for (char c : text.substr(2)) {
      if (c != '0' && c != '1') return std::nullopt;
      if (value >> 63) return std::nullopt;
      value = value * 2 + static_cast<std::uint64_t>(c - '0');
    }
    return static_cast<std::int64_t>(value);
  }
  auto value = base::parse_c_unsigned(text);
  if (!value) return std::nullopt;
  return static_cast<std::int64_t>(*value);
}

// A character literal 'c' or '\n' starting at text[i]; advances i past it.
std::optional<std::int64_t> parse_char(std::string_view text, std::size_t& i) {
  std::size_t end = text.find('\'', i + 2);
  if (end == std::string_view::npos) return std::nullopt;
  auto body = base::c_unescape(text.substr(i + 1, end - i - 1));
  if (!body || body->size() != 1) return std::nullopt;
  i = end + 1;
  return static_cast<std::uint8_t>((*body)[0]);
}

}  // namespace

std::string to_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view trim(std::string_view text) {
  std::size_t first = text.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) return {};
  std::size_t last = text.find_last_not_of(" \t\r");
  return text.substr(first, last - first + 1);
}

bool is_symbol_start(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '.' || c == '$';
}

bool is_symbol_char(char c) { return is_symbol_start(c) || std::isdigit(static_cast<unsigned char>(c)) != 0; }

base::Result<std::vector<Statement>, AsmError> split_line(std::string_view text, int line,
                                                          const CommentSyntax& comments) {
  std::vector<Statement> statements;
  std::string_view code = text.substr(0, comment_start(text, comments));
  for (auto [offset, piece] : split_statements(code)) {
    Statement statement = TRY(parse_statement(piece, line, 1 + static_cast<int>(offset)));
    if (statement.labels.empty() && statement.mnemonic.empty()) continue;
    statements.push_back(std::move(statement));
  }
  return statements;
}

std::vector<Operand> split_operands(std::string_view text, int column) {
  std::vector<Operand> operands;
  int depth = 0;
  char quote = 0;
  std::size_t start = 0;
  auto flush = [&](std::size_t end) {
    std::string_view piece = text.substr(start, end - start);
    std::size_t lead = piece.find_first_not_of(" \t");
    if (lead == std::string_view::npos) return;
    operands.push_back({std::string(trim(piece)), column + static_cast<int>(start + lead)});
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quote != 0) {
      if (c == '\\')
        ++i;
      else if (c == quote)
        quote = 0;
      continue;
    }
    if (c == '"') quote = c;
    if (c == '(' || c == '[' || c == '{') ++depth;
    if (c == ')' || c == ']' || c == '}') --depth;
    if (c == ',' && depth == 0) {
      flush(i);
      start = i + 1;
    }
  }
  if (trim(text).empty() && operands.empty()) return operands;
  flush(text.size());
  return operands;
}

namespace {

class ExpressionParser {
 public:
  ExpressionParser(std::string_view text, int line, int column)
      : m_text(text), m_line(line), m_column(column) {}

  base::Result<Expr, AsmError> parse() {
    Expr expr;
    TRY(sum(expr, 1));
    skip_blanks();
    if (m_pos != m_text.size())
      return base::fail(error(fmt::format("junk '{}' in expression", m_text.substr(m_pos))));
    return expr;
  }

 private:
  AsmError error(std::string message) const {
    return error_at(m_line, m_column + static_cast<int>(m_pos), std::move(message));
  }
  void skip_blanks() {
    while (m_pos < m_text.size() && (m_text[m_pos] == ' ' || m_text[m_pos] == '\t')) ++m_pos;
  }

  base::Result<void, AsmError> sum(Expr& expr, int sign) {
    int term_sign = 1;
    skip_blanks();
    while (m_pos < m_text.size() && (m_text[m_pos] == '-' || m_text[m_pos] == '+')) {
      if (m_text[m_pos] == '-') term_sign = -term_sign;
      ++m_pos;
      skip_blanks();
    }
    TRY(term(expr, sign * term_sign));
    for (;;) {
      skip_blanks();
      if (m_pos >= m_text.size() || (m_text[m_pos] != '+' && m_text[m_pos] != '-')) return {};
      int next_sign = m_text[m_pos] == '-' ? -1 : 1;
      ++m_pos;
      skip_blanks();
      while (m_pos < m_text.size() && (m_text[m_pos] == '-' || m_text[m_pos] == '+')) {
        if (m_text[m_pos] == '-') next_sign = -next_sign;
        ++m_pos;
      }
      TRY(term(expr, sign * next_sign));
    }
  }

  base::Result<void, AsmError> term(Expr& expr, int sign) {
    skip_blanks();
    if (m_pos >= m_text.size()) return base::fail(error("missing operand in expression"));
    char c = m_text[m_pos];
    if (c == '(') {
      ++m_pos;
      TRY(sum(expr, sign));
      skip_blanks();
      if (m_pos >= m_text.size() || m_text[m_pos] != ')') return base::fail(error("missing ')'"));
      ++m_pos;
      return {};
    }
    if (c == '\'') {
      std::size_t start = m_pos;
      auto value = parse_char(m_text, m_pos);
      if (!value) {
        m_pos = start;
        return base::fail(error("bad character constant"));
      }
      expr.constant += sign * *value;
      return {};
    }
    std::size_t start = m_pos;
    if (std::isdigit(static_cast<unsigned char>(c)) != 0) {
      while (m_pos < m_text.size() && std::isalnum(static_cast<unsigned char>(m_text[m_pos])) != 0) ++m_pos;
      auto value = parse_number(m_text.substr(start, m_pos - start));
      if (!value) {
        m_pos = start;
        return base::fail(error(fmt::format("bad number '{}'", number_text(start))));
      }
      expr.constant =
          static_cast<std::int64_t>(static_cast<std::uint64_t>(expr.constant) +
                                    static_cast<std::uint64_t>(sign) * static_cast<std::uint64_t>(*value));
      return {};
    }
    if (!is_symbol_start(c))
      return base::fail(error(fmt::format("junk '{}' in expression", m_text.substr(m_pos))));
    while (m_pos < m_text.size() && is_symbol_char(m_text[m_pos])) ++m_pos;
    expr.symbols.push_back(
        {std::string(m_text.substr(start, m_pos - start)), sign, m_column + static_cast<int>(start)});
    return {};
  }

  std::string_view number_text(std::size_t start) const {
    std::size_t end = start;
    while (end < m_text.size() && std::isalnum(static_cast<unsigned char>(m_text[end])) != 0) ++end;
    return m_text.substr(start, end - start);
  }

  std::string_view m_text;
  int m_line;
  int m_column;
  std::size_t m_pos = 0;
};

constexpr int kDeferredDepthMax = 32;

base::Result<std::int64_t, AsmError> evaluate_at_depth(const Expr& expr, const SymbolTable& symbols, int line,
                                                       int depth) {
  auto value = static_cast<std::uint64_t>(expr.constant);
  for (const SymbolRef& ref : expr.symbols) {
    const SymbolInfo* info = symbols.find(ref.name);
    if (info == nullptr) {
      return base::fail(error_at(line, ref.column, fmt::format("undefined label '{}'", ref.name)));
    }
    std::int64_t symbol_value = info->value;
    if (info->deferred) {
      if (depth >= kDeferredDepthMax) {
        return base::fail(
            error_at(line, ref.column, fmt::format("symbol '{}' is defined in terms of itself", ref.name)));
      }
      symbol_value = TRY(evaluate_at_depth(*info->deferred, symbols, info->line, depth + 1));
    }
    value += static_cast<std::uint64_t>(ref.sign) * static_cast<std::uint64_t>(symbol_value);
  }
  return static_cast<std::int64_t>(value);
}

}  // namespace

base::Result<Expr, AsmError> parse_expression(std::string_view text, int line, int column) {
  std::size_t lead = text.find_first_not_of(" \t");
  if (lead == std::string_view::npos) return base::fail(error_at(line, column, "missing expression"));
  ExpressionParser parser(text, line, column);
  return parser.parse();
}

const SymbolInfo* SymbolTable::find(std::string_view name) const {
  auto found = m_symbols.find(name);
  return found == m_symbols.end() ? nullptr : &found->second;
}

SymbolInfo* SymbolTable::find(std::string_view name) {
  auto found = m_symbols.find(name);
  return found == m_symbols.end() ? nullptr : &found->second;
}

bool SymbolTable::define(const std::string& name, const SymbolInfo& info) {
  return m_symbols.emplace(name, info).second;
}

base::Result<std::int64_t, AsmError> evaluate(const Expr& expr, const SymbolTable& symbols, int line) {
  return evaluate_at_depth(expr, symbols, line, 0);
}

std::optional<std::int64_t> known_value(const Expr& expr, const SymbolTable& symbols) {
  std::int64_t value = expr.constant;
  for (const SymbolRef& ref : expr.symbols) {
    const SymbolInfo* info = symbols.find(ref.name);
    if (info == nullptr || info->kind != SymbolKind::Constant || info->deferred) return std::nullopt;
    value = static_cast<std::int64_t>(static_cast<std::uint64_t>(value) +
                                      static_cast<std::uint64_t>(ref.sign) *
                                          static_cast<std::uint64_t>(info->value));
  }
  return value;
}

}  // namespace procsim::machine::assembly
