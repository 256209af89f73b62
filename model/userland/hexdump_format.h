// `hexdump -C` (the canonical hex+ASCII display) as FreeBSD's usr.bin/hexdump prints it:
// 16 bytes a line at an 8-digit hex offset, two groups of eight, the |ASCII| column, "*" for
// a run of lines equal to the one above, and the final offset. Input is streamed in pieces as
// a program reads it. Leaves out -v, -s, -n and every other format (-b -c -d -o -x -e -f).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace procsim::userland {

class CanonicalHexdump {
 public:
  static constexpr std::size_t kBytesPerLine = 16;

  // Adds bytes read from the input; returns the text of the lines they completed.
  std::string feed(std::string_view bytes);
  // Ends the input; returns the rest: a last short line or "*", and the final offset line.
  // Nothing at all for an empty input.
  std::string finish();

 private:
  enum class RepeatState { First, Wait, Dup };  // display.c's vflag without -v

  std::string complete_line();
  std::string format_line(std::size_t valid_bytes) const;

  std::array<std::uint8_t, kBytesPerLine> m_current{};
  std::array<std::uint8_t, kBytesPerLine> m_previous{};
  std::size_t m_filled = 0;
  bool m_have_previous = false;
  RepeatState m_repeat = RepeatState::First;
  std::uint64_t m_address = 0;  // offset of the line being filled
  bool m_finished = false;
};

// The whole of `hexdump -C` for one input.
std::string hexdump_canonical(std::string_view bytes);

}  // namespace procsim::userland
