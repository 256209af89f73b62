// C-style escaping and number parsing; see text.h.
#include "sim/base/text.h"

#include <limits>

#include <fmt/format.h>

namespace procsim::base {

namespace {

bool is_octal_digit(char c) { return c >= '0' && c <= '7'; }

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<std::uint64_t> parse_digits(std::string_view digits, unsigned base) {
  if (digits.empty()) return std::nullopt;
  std::uint64_t value = 0;
  for (char c : digits) {
    int digit = hex_value(c);
    if (digit < 0 || static_cast<unsigned>(digit) >= base) return std::nullopt;
    if (value > (std::numeric_limits<std::uint64_t>::max() - static_cast<unsigned>(digit)) / base)
      return std::nullopt;
    value = value * base + static_cast<unsigned>(digit);
  }
  return value;
}

}  // namespace

std::string c_escape(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size());
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    auto c = static_cast<unsigned char>(bytes[i]);
    switch (c) {
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      case '\\': out += "\\\\"; break;
      case '"': out += "\\\""; break;
      case '\0': {
        bool next_is_digit = i + 1 < bytes.size() && is_octal_digit(bytes[i + 1]);
        out += next_is_digit ? "\\x00" : "\\0";
        break;
      }
      default:
        if (c >= 0x20 && c < 0x7f) {
          out += static_cast<char>(c);
        } else {
          out += fmt::format("\\x{:02x}", c);
        }
    }
  }
  return out;
}

std::optional<std::string> c_unescape(std::string_view text, UnescapeError* error) {
  auto report = [&](std::size_t offset, std::string message) -> std::optional<std::string> {
    if (error != nullptr) *error = UnescapeError{offset, std::move(message)};
    return std::nullopt;
  };
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c != '\\') {
      out += c;
      continue;
    }
    if (i + 1 >= text.size()) return report(i, "backslash at end of string");
    std::size_t start = i;
    char e = text[++i];
    switch (e) {
      case 'a': out += '\a'; break;
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case 'v': out += '\v'; break;
      case '\\': out += '\\'; break;
      case '\'': out += '\''; break;
      case '"': out += '"'; break;
      case '?': out += '?'; break;
      case 'x': {
        int value = 0;
        int count = 0;
        while (count < 2 && i + 1 < text.size() && hex_value(text[i + 1]) >= 0) {
          value = value * 16 + hex_value(text[++i]);
          ++count;
        }
        if (count == 0) return report(start, "\\x used with no following hex digits");
        out += static_cast<char>(value);
        break;
      }
      default:
        if (is_octal_digit(e)) {
          int value = e - '0';
          int count = 1;
          while (count < 3 && i + 1 < text.size() && is_octal_digit(text[i + 1])) {
            value = value * 8 + (text[++i] - '0');
            ++count;
          }
          if (value > 0xff) return report(start, "octal escape out of range");
          out += static_cast<char>(value);
          break;
        }
        return report(start, fmt::format("unknown escape sequence '\\{}'", e));
    }
  }
  return out;
}

std::optional<std::uint64_t> parse_c_unsigned(std::string_view text) {
  if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X'))
    return parse_digits(text.substr(2), 16);
  if (text.size() > 1 && text[0] == '0') return parse_digits(text.substr(1), 8);
  return parse_digits(text, 10);
}

std::optional<std::int64_t> parse_c_signed(std::string_view text) {
  bool negative = !text.empty() && text[0] == '-';
  auto magnitude = parse_c_unsigned(negative ? text.substr(1) : text);
  if (!magnitude) return std::nullopt;
  constexpr auto max_positive = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  if (!negative) {
    if (*magnitude > max_positive) return std::nullopt;
    return static_cast<std::int64_t>(*magnitude);
  }
  if (*magnitude > max_positive + 1) return std::nullopt;
  if (*magnitude == max_positive + 1) return std::numeric_limits<std::int64_t>::min();
  return -static_cast<std::int64_t>(*magnitude);
}

std::vector<std::string> split_lines(std::string_view text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) {
      lines.emplace_back(text.substr(start));
      break;
    }
    lines.emplace_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

}  // namespace procsim::base
