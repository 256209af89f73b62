// The line editor of `procsim shell`; see line_editor.h. libedit keeps the history for the
// process's lifetime; nothing is written to disk.
#include "model/driver/line_editor.h"

#include <unistd.h>

#include <cstdlib>

#include <editline/readline.h>

namespace procsim::driver {

namespace {

// The longest line read at once without the editor; longer input is read in pieces.
constexpr int kLineBytesMax = 4096;

}  // namespace

LineEditor::LineEditor(std::FILE* in, std::FILE* out) : m_in(in), m_out(out) {
  m_editing = in == stdin && isatty(fileno(stdin)) != 0 && isatty(fileno(out)) != 0;
  if (m_editing) {
    rl_readline_name = "procsim";
    using_history();
  }
}

LineEditor::~LineEditor() {
  if (m_editing) clear_history();
}

std::optional<std::string> LineEditor::read_line(const std::string& prompt) {
  if (m_editing) {
    char* raw = readline(prompt.c_str());
    if (raw == nullptr) return std::nullopt;
    std::string line(raw);
    std::free(raw);  // readline's buffer comes from malloc
    if (!line.empty()) add_history(line.c_str());
    return line;
  }
  std::fputs(prompt.c_str(), m_out);
  std::fflush(m_out);
  std::string buffer(kLineBytesMax, '\0');
  if (std::fgets(buffer.data(), kLineBytesMax, m_in) == nullptr) return std::nullopt;
  std::string line(buffer.c_str());
  if (!line.empty() && line.back() == '\n') line.pop_back();
  return line;
}

}  // namespace procsim::driver
