// Helpers for assembler tests: hex strings to and from bytes, and assembling a source that must
// succeed (a failure shows the assembler's diagnostic).
#pragma once

#include <string>
#include <string_view>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include "model/machine/asm/assembler.h"

namespace procsim::machine::testing {

inline std::string to_hex(base::ByteSpan bytes) {
  std::string out;
  for (std::uint8_t b : bytes) out += fmt::format("{:02x}", b);
  return out;
}

inline base::Bytes from_hex(std::string_view hex) {
  base::Bytes out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<std::uint8_t>(std::stoul(std::string(hex.substr(i, 2)), nullptr, 16)));
  }
  return out;
}

inline Image assemble_ok(Abi abi, std::string_view source) {
  auto result = assemble(abi, source);
  if (!result.ok()) {
    FAIL_CHECK(fmt::format("{}:{}: {}", result.error().line, result.error().column, result.error().message));
    return Image{};
  }
  return std::move(result).value();
}

inline std::string text_hex(Abi abi, std::string_view source) {
  return to_hex(assemble_ok(abi, source).text.bytes);
}

inline AsmError assemble_error(Abi abi, std::string_view source) {
  auto result = assemble(abi, source);
  REQUIRE_MESSAGE(result.is_error(), "expected an assembler error");
  return result.error();
}

struct EncodingCase {
  const char* source;
  const char* hex;
};

}  // namespace procsim::machine::testing
