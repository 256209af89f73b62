// What a simulated program writes, kept as an ordered list of stdout and stderr pieces so the
// program can decide how the two streams reach its file descriptors (FreeBSD stdio buffers
// stdout but not stderr). Pure formatters return this; they never perform I/O themselves.
// Leaves out: buffering itself, partial writes and write errors (the program's business).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace procsim::userland {

enum class OutputStream { Stdout, Stderr };

struct OutputPiece {
  OutputStream stream = OutputStream::Stdout;
  std::string text;

  bool operator==(const OutputPiece&) const = default;
};

class ProgramOutput {
 public:
  // Appends to stdout / stderr. Adjacent pieces of the same stream are merged.
  void out(std::string_view text);
  void err(std::string_view text);
  void append(const ProgramOutput& other);

  // The exit status the program would pass to exit(3); 0 until set.
  int exit_status() const { return m_exit_status; }
  void set_exit_status(int status);

  const std::vector<OutputPiece>& pieces() const { return m_pieces; }
  std::string stdout_text() const;
  std::string stderr_text() const;
  // Both streams in the order they were produced (what an unbuffered terminal would show).
  std::string interleaved_text() const;

 private:
  void add(OutputStream stream, std::string_view text);

  std::vector<OutputPiece> m_pieces;
  int m_exit_status = 0;
};

}  // namespace procsim::userland
