// Formatting of scenario diagnostics; see diagnostic.h.
#include "sim/script/diagnostic.h"

#include <utility>

#include <fmt/format.h>

namespace procsim::script {

std::string Diagnostic::format() const {
  PROCSIM_ASSERT(line >= 1);
  PROCSIM_ASSERT(column >= 1);
  PROCSIM_ASSERT(!message.empty());
  return fmt::format("{}:{}:{}: error: {}", file, line, column, message);
}

Diagnostic locate(const std::string& file, int line, SyntaxError error) {
  PROCSIM_ASSERT(line >= 1);
  PROCSIM_ASSERT(error.column >= 1);
  return Diagnostic{file, line, error.column, std::move(error.message)};
}

}  // namespace procsim::script
