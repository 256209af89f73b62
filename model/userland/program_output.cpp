// Ordered stdout/stderr pieces of a simulated program; see program_output.h.
#include "model/userland/program_output.h"

#include "sim/base/assert.h"

namespace procsim::userland {

void ProgramOutput::out(std::string_view text) { add(OutputStream::Stdout, text); }

void ProgramOutput::err(std::string_view text) { add(OutputStream::Stderr, text); }

void ProgramOutput::append(const ProgramOutput& other) {
  for (const auto& piece : other.m_pieces) add(piece.stream, piece.text);
  if (other.m_exit_status != 0) m_exit_status = other.m_exit_status;
}

void ProgramOutput::set_exit_status(int status) {
  // exit(3) keeps the low eight bits; callers pass what FreeBSD's programs pass.
  PROCSIM_ASSERT(status >= 0);
  PROCSIM_ASSERT(status <= 255);
  m_exit_status = status;
}

std::string ProgramOutput::stdout_text() const {
  std::string text;
  for (const auto& piece : m_pieces)
    if (piece.stream == OutputStream::Stdout) text += piece.text;
  return text;
}

std::string ProgramOutput::stderr_text() const {
  std::string text;
  for (const auto& piece : m_pieces)
    if (piece.stream == OutputStream::Stderr) text += piece.text;
  return text;
}

std::string ProgramOutput::interleaved_text() const {
  std::string text;
  for (const auto& piece : m_pieces) text += piece.text;
  return text;
}

void ProgramOutput::add(OutputStream stream, std::string_view text) {
  if (text.empty()) return;
  if (!m_pieces.empty() && m_pieces.back().stream == stream) {
    m_pieces.back().text.append(text);
    return;
  }
  m_pieces.push_back(OutputPiece{stream, std::string(text)});
  PROCSIM_ASSERT(!m_pieces.back().text.empty());
}

}  // namespace procsim::userland
