// Where `procsim shell` reads its lines: libedit's readline() with history when the input is a
// terminal, plain fgets() otherwise (a pipe, a file, a test). Completion is not offered.
#pragma once

#include <cstdio>
#include <memory>
#include <optional>
#include <string>

namespace procsim::driver {

class LineEditor {
 public:
  // Edits lines on the terminal when `in` is stdin and a terminal; else reads `in` as is.
  LineEditor(std::FILE* in, std::FILE* out);
  ~LineEditor();
  LineEditor(const LineEditor&) = delete;
  LineEditor& operator=(const LineEditor&) = delete;

  // Shows `prompt` and returns the next line without its newline; nullopt at end of input.
  std::optional<std::string> read_line(const std::string& prompt);
  bool editing() const { return m_editing; }

 private:
  std::FILE* m_in;
  std::FILE* m_out;
  bool m_editing = false;
};

}  // namespace procsim::driver
