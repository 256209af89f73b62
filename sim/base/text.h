// Text helpers shared by every layer: C-style escaping of byte strings (how scenario files and
// truss-style output show buffers) and the reverse, decimal/hex/octal number parsing with
// overflow checks, and splitting into lines.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace procsim::base {

// Escapes bytes as C does inside a double-quoted string: \n \t \r \\ \" \0 (when not followed by
// an octal digit) and \xNN for every other byte outside printable ASCII.
std::string c_escape(std::string_view bytes);

// Where an unescape failed: the byte offset within the input and a message.
struct UnescapeError {
  std::size_t offset = 0;
  std::string message;
};

// Reverses c_escape for the body of a quoted string (without the quotes). Accepts \a \b \f \n
// \r \t \v \\ \' \" \? \xNN (one or two hex digits) and \NNN (one to three octal digits).
std::optional<std::string> c_unescape(std::string_view text, UnescapeError* error = nullptr);

// Parses an unsigned number as C does: 0x hex, leading 0 octal, else decimal. No sign, no
// trailing characters. Empty optional on a syntax error or overflow of 64 bits.
std::optional<std::uint64_t> parse_c_unsigned(std::string_view text);

// Parses an optionally signed number (leading '-' allowed) in the same bases.
std::optional<std::int64_t> parse_c_signed(std::string_view text);

// Splits text at '\n'. A trailing newline does not produce an empty last line.
std::vector<std::string> split_lines(std::string_view text);

}  // namespace procsim::base
