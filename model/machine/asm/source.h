// Pieces of assembler source shared by every instruction set (internal to the assembler):
// statements split from lines, operands split at top-level commas, integer expressions with
// symbols, and the symbol table. Columns are 1-based, as in diagnostics.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/machine/asm/assembler.h"

namespace procsim::machine::assembly {

struct Operand {
  std::string text;  // trimmed
  int column = 0;
};

// One statement: optional labels, then a directive or an instruction with its operands.
struct Statement {
  int line = 0;
  int column = 0;               // of the mnemonic or directive
  std::vector<Operand> labels;  // "name" without the colon
  std::string mnemonic;         // lower-cased; directives keep their leading '.'
  std::vector<Operand> operands;
  std::string source;  // the statement text, trimmed
};

struct CommentSyntax {
  bool hash_anywhere;       // '#' starts a comment anywhere (x86, riscv)
  bool hash_at_line_start;  // '#' as the first non-blank character (arm64)
  bool double_slash;        // "//" starts a comment (arm64)
};

// Splits one source line into statements (';' separates them). Labels may stand alone.
base::Result<std::vector<Statement>, AsmError> split_line(std::string_view text, int line,
                                                          const CommentSyntax& comments);

// Splits `text` (starting at `column`) at commas outside parentheses, brackets and quotes.
std::vector<Operand> split_operands(std::string_view text, int column);

bool is_symbol_start(char c);
bool is_symbol_char(char c);

struct SymbolRef {
  std::string name;
  int sign = 1;
  int column = 0;
};

// constant + sum(sign * symbol). Anything else (products of symbols...) is rejected.
struct Expr {
  std::int64_t constant = 0;
  std::vector<SymbolRef> symbols;
  bool is_constant() const { return symbols.empty(); }
};

base::Result<Expr, AsmError> parse_expression(std::string_view text, int line, int column);

enum class SymbolKind : std::uint8_t { Label, Constant };

struct SymbolInfo {
  SymbolKind kind = SymbolKind::Label;
  std::int64_t value = 0;  // labels: their address once laid out
  // Constants defined from labels (`len = . - msg`) are evaluated after layout.
  std::optional<Expr> deferred;
  SectionId section = SectionId::Text;
  std::size_t item = 0;  // labels: the item they precede
  int line = 0;
  int column = 0;
};

class SymbolTable {
 public:
  const SymbolInfo* find(std::string_view name) const;
  SymbolInfo* find(std::string_view name);
  // False if the name is already defined.
  bool define(const std::string& name, const SymbolInfo& info);
  const std::map<std::string, SymbolInfo, std::less<>>& all() const { return m_symbols; }

 private:
  std::map<std::string, SymbolInfo, std::less<>> m_symbols;
};

// The value of `expr`; an undefined symbol is an error at its column.
base::Result<std::int64_t, AsmError> evaluate(const Expr& expr, const SymbolTable& symbols, int line);

// The value if every symbol in `expr` is a constant already defined; instruction encoders use it
// to choose short immediate forms exactly where GNU as can.
std::optional<std::int64_t> known_value(const Expr& expr, const SymbolTable& symbols);

std::string to_lower(std::string_view text);
std::string_view trim(std::string_view text);

}  // namespace procsim::machine::assembly
