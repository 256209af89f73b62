// hexdump -C; see hexdump_format.h. Mirrors FreeBSD usr.bin/hexdump/display.c get() and
// display(): a full line equal to the previous one is not printed and the first of such a run
// prints "*"; a short last line equal to the start of the previous line is also swallowed
// (after a "*"), and then the final offset is that line's start, not the input's length:
// FreeBSD 8 behaves so and procsim keeps it.
#include "model/userland/hexdump_format.h"

#include <algorithm>
#include <cstring>

#include <fmt/format.h>

#include "sim/base/assert.h"

namespace procsim::userland {

namespace {

constexpr std::size_t kGroup = 8;

bool is_print(std::uint8_t byte) { return byte >= 0x20 && byte <= 0x7e; }

}  // namespace

std::string CanonicalHexdump::feed(std::string_view bytes) {
  PROCSIM_ASSERT(!m_finished);
  std::string out;
  while (!bytes.empty()) {
    std::size_t take = std::min(bytes.size(), kBytesPerLine - m_filled);
    std::memcpy(m_current.data() + m_filled, bytes.data(), take);
    m_filled += take;
    bytes.remove_prefix(take);
    if (m_filled == kBytesPerLine) out += complete_line();
  }
  PROCSIM_ASSERT(m_filled < kBytesPerLine);
  return out;
}

// A full line: printed unless it repeats the previous one.
std::string CanonicalHexdump::complete_line() {
  PROCSIM_ASSERT(m_filled == kBytesPerLine);
  std::string out;
  bool repeats = m_have_previous && m_repeat != RepeatState::First && m_current == m_previous;
  if (!repeats) {
    out = format_line(kBytesPerLine);
    m_repeat = RepeatState::Wait;
    m_previous = m_current;
    m_have_previous = true;
  } else {
    if (m_repeat == RepeatState::Wait) out = "*\n";
    m_repeat = RepeatState::Dup;
  }
  m_address += kBytesPerLine;
  m_filled = 0;
  return out;
}

std::string CanonicalHexdump::finish() {
  PROCSIM_ASSERT(!m_finished);
  m_finished = true;
  std::string out;
  std::uint64_t end_address = 0;
  if (m_filled > 0) {
    bool repeats_prefix = m_have_previous && std::memcmp(m_current.data(), m_previous.data(), m_filled) == 0;
    if (repeats_prefix) {
      if (m_repeat != RepeatState::Dup) out += "*\n";
    } else {
      out += format_line(m_filled);
      end_address = m_address + m_filled;
    }
  }
  if (end_address == 0) {
    if (m_address == 0) return out;
    end_address = m_address;
  }
  out += fmt::format("{:08x}\n", end_address);
  return out;
}

// "%08.8_ax  " 8/1 "%02x " "  " 8/1 "%02x " "  |" 16/1 "%_p" "|\n"; bytes past the end
// become blanks of the same width, and the last byte of each group has no trailing space.
std::string CanonicalHexdump::format_line(std::size_t valid_bytes) const {
  PROCSIM_ASSERT(valid_bytes > 0 && valid_bytes <= kBytesPerLine);
  std::string line = fmt::format("{:08x}  ", m_address);
  for (std::size_t index = 0; index < kBytesPerLine; ++index) {
    line += index < valid_bytes ? fmt::format("{:02x}", m_current[index]) : std::string("  ");
    bool group_end = index % kGroup == kGroup - 1;
    if (!group_end) line += ' ';
    if (index == kGroup - 1) line += "  ";
  }
  line += "  |";
  for (std::size_t index = 0; index < valid_bytes; ++index)
    line += is_print(m_current[index]) ? static_cast<char>(m_current[index]) : '.';
  line += "|\n";
  return line;
}

std::string hexdump_canonical(std::string_view bytes) {
  CanonicalHexdump dump;
  std::string out = dump.feed(bytes);
  out += dump.finish();
  return out;
}

}  // namespace procsim::userland
